// SPDX-License-Identifier: GPL-2.0
// expect: io_struct!: `Padded` has padding: reorder its fields or add explicit reserved fields
//! A register block with a hidden hole: three bytes of padding after `ctrl` put `data` at 4,
//! where a reader of the declaration might expect 1.
use kio::io::{
    IoExt,
    Mmio,
    Region, //
};
kio::io_struct! {
    pub struct Padded {
        pub ctrl: u8,
        pub data: u32,
    }
}
pub fn f(bar: Mmio<'_, Region<64>>) {
    kio::io_write!(bar.cast::<Padded>(), .data, 1);
}
