// SPDX-License-Identifier: GPL-2.0
// expect: `Inner` has no layout that I/O memory can be described with
//! A block declared with io_struct! whose field is a `repr(Rust)` struct: the block itself is
//! `repr(C)` and has no padding, but the compiler may still reorder the field's own fields.
use kio::io::{
    IoExt,
    Mmio,
    Region, //
};
pub struct Inner {
    pub ctrl: u32,
    pub data: u32,
}
kio::io_struct! {
    pub struct Outer {
        pub inner: Inner,
        pub doorbell: u32,
    }
}
pub fn f(bar: Mmio<'_, Region<64>>) {
    let regs = bar.cast::<Outer>();
    kio::io_write!(regs, .inner.ctrl, 1);
}
