// SPDX-License-Identifier: GPL-2.0
// expect: `Inner` has no layout that I/O memory can be described with
//! The same shadowing trait lets a repr(Rust) struct with internal padding be a field
//! of an io_struct!, which then gets `unsafe impl IoLayout` (no padding, fixed offsets).
use kio::io::{
    IoExt,
    Mmio,
    Region, //
};
pub struct Inner {
    pub ctrl: u8,
    pub data: u32,
}
pub trait Evil {
    fn io_layout_field(&self) {}
}
impl<T: ?Sized> Evil for T {}
kio::io_struct! {
    pub struct Regs {
        pub inner: Inner,
    }
}
pub fn f(bar: Mmio<'_, Region<64>>) {
    let regs = bar.cast::<Regs>();
    kio::io_write!(regs, .inner.ctrl, 1u8);
}
