// SPDX-License-Identifier: GPL-2.0
// expect: FromBytes` is not satisfied
//! Reading write-only doorbells through a sub-slice projection and a slice copy
//! (`try_copy_to_slice`; `Io::copy_to_slice` only takes byte slices).
use kio::io::{
    IoExt,
    Mmio,
    Region,
    WriteOnly, //
};
kio::io_struct! {
    pub struct Bells {
        pub ring: [WriteOnly<u32>; 4],
    }
}
pub fn f(bar: Mmio<'_, Region<64>>, out: &mut [WriteOnly<u32>]) -> kernel::error::Result {
    let regs = bar.cast::<Bells>();
    kio::io_project!(regs, .ring[build: 0..2]).try_copy_to_slice(out)
}
