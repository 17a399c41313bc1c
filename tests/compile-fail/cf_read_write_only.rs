// SPDX-License-Identifier: GPL-2.0
// expect: cannot be read in one access (io_read!/read_val)
//! `io_read!` of a field declared write-only.
use kio::io::{
    Mmio,
    WriteOnly, //
};
#[repr(C)]
pub struct Regs {
    doorbell: WriteOnly<u32>,
}
pub fn f(regs: Mmio<'_, Regs>) -> u32 {
    kio::io_read!(regs, .doorbell)
}
