// SPDX-License-Identifier: GPL-2.0
// expect: `usize` is not a location in `[u32; 16]`
//! Untyped offset access on a typed region: `Io::read32` takes offsets only in a `Region`.
use kio::io::{
    Io as _,
    Mmio, //
};
pub fn f(regs: Mmio<'_, [u32; 16]>) -> u32 {
    regs.read32(0x4)
}
