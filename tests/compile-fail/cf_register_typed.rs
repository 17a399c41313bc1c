// SPDX-License-Identifier: GPL-2.0
// expect: no method named `read` found
//! A kernel `register!` type on a typed region.
use kernel::io::{
    register,
    Io as _, //
};
use kio::io::Mmio;
register! {
    /// A register.
    pub STATUS(u32) @ 0x20 {
        0:0 busy;
    }
}
pub fn f(regs: Mmio<'_, [u32; 16]>) -> bool {
    regs.read(STATUS).busy().into()
}
