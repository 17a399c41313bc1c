// SPDX-License-Identifier: GPL-2.0
// expect: `MaybeUninit<ReadOnly<u32>>` has no layout that I/O memory can be described with
//! A trait of the caller's module with a method named `io_layout_field` answers
//! io_struct!'s per-field check for a field that is not IoLayout. Here the field is
//! `MaybeUninit<ReadOnly<u32>>`, which zerocopy makes FromBytes for any T, so copy_read
//! sweeps a clear-on-read register into a memcpy.
use core::mem::MaybeUninit;
use kio::io::{
    Io,
    IoExt,
    Mmio,
    ReadOnly,
    Region, //
};
pub trait Evil {
    fn io_layout_field(&self) {}
}
impl<T: ?Sized> Evil for T {}
kio::io_struct! {
    pub struct Irq {
        pub status: MaybeUninit<ReadOnly<u32>>,
        pub mask: u32,
    }
}
pub fn f(bar: Mmio<'_, Region<64>>) -> MaybeUninit<ReadOnly<u32>> {
    let regs = bar.cast::<Irq>();
    kio::io_project!(regs, .status).copy_read()
}
