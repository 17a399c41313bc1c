// SPDX-License-Identifier: GPL-2.0
// expect: `Regs` has no layout that I/O memory can be described with
//! A cast to a `repr(Rust)` struct: the compiler may reorder its fields (it puts `data` first
//! here), so `ctrl` would not be at offset 0 of the registers.
use kio::io::{
    IoExt,
    Mmio,
    Region, //
};
pub struct Regs {
    pub ctrl: u8,
    pub data: u32,
}
pub fn f(bar: Mmio<'_, Region<64>>) {
    let regs = bar.cast::<Regs>();
    kio::io_write!(regs, .ctrl, 1u8);
}
