// SPDX-License-Identifier: GPL-2.0
// expect: no field `a` on type `Regs`
//! `#[cfg(any())]` on the io_struct! removes the generated struct but not the
//! generated checks and `unsafe impl IoLayout`, which then land on a repr(Rust) struct of the
//! same name declared by hand (the field list only needs the same total size).
use kio::io::{
    IoExt,
    Mmio,
    Region, //
};
kio::io_struct! {
    #[cfg(any())]
    pub struct Regs {
        pub a: u32,
        pub b: u32,
    }
}
pub struct Regs {
    pub ctrl: u8,
    pub data: u32,
}
pub fn f(bar: Mmio<'_, Region<64>>) {
    let regs = bar.cast::<Regs>();
    kio::io_write!(regs, .ctrl, 1u8);
}
