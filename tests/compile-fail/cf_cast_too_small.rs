// SPDX-License-Identifier: GPL-2.0
// expect: rust_build_error
//! A build-time cast to a type larger than the region's SIZE.
use kio::io::{
    IoExt,
    Mmio,
    Region, //
};
pub fn f(bar: Mmio<'_, Region<16>>) -> usize {
    kio::io::Io::size(bar.cast::<[u32; 8]>())
}
