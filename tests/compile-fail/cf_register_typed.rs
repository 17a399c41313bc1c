// SPDX-License-Identifier: GPL-2.0
// expect: is not a location in `[u32; 16]`
//! A kernel `register!` type on a typed region: `Io::read` takes register locations only in a
//! `Region`.
use kernel::io::register;
use kio::io::{
    Io as _,
    Mmio, //
};
register! {
    /// A register.
    pub STATUS(u32) @ 0x20 {
        0:0 busy;
    }
}
pub fn f(regs: Mmio<'_, [u32; 16]>) -> bool {
    regs.read(STATUS).busy().into()
}
