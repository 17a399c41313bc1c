// SPDX-License-Identifier: GPL-2.0
// expect: no field `reserved` on type `Padded`
//! A `#[cfg(any())]` field is counted by io_struct!'s padding check but is not in the
//! struct, so three bytes of padding after `ctrl` pass as "no padding" (cf_cast_padding again).
use kio::io::{
    IoExt,
    Mmio,
    Region, //
};
kio::io_struct! {
    pub struct Padded {
        pub ctrl: u8,
        #[cfg(any())]
        pub reserved: [u8; 3],
        pub data: u32,
    }
}
pub fn f(bar: Mmio<'_, Region<64>>) {
    let regs = bar.cast::<Padded>();
    kio::io_write!(regs, .data, 1);
}
