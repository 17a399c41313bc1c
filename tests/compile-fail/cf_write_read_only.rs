// SPDX-License-Identifier: GPL-2.0
// expect: cannot be written in one access (io_write!/write_val)
//! `io_write!` to a field declared read-only.
use kio::io::{
    Mmio,
    ReadPure, //
};
#[repr(C)]
pub struct Regs {
    id: ReadPure<u32>,
    scratch: u32,
}
pub fn f(regs: Mmio<'_, Regs>) {
    kio::io_write!(regs, .id, 0);
}
