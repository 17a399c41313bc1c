// SPDX-License-Identifier: GPL-2.0
// expect: FromBytes` is not satisfied
//! A `copy_read` (a memcpy) of a side-effecting, clear-on-read register: only `io_read!` may
//! read it, once, as one access.
use kio::io::{
    Io,
    Mmio,
    ReadOnly, //
};
#[repr(C)]
pub struct Irq {
    status: ReadOnly<u32>,
    mask: u32,
}
pub fn f(regs: Mmio<'_, Irq>) -> ReadOnly<u32> {
    kio::io_project!(regs, .status).copy_read()
}
