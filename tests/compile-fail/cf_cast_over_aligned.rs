// SPDX-License-Identifier: GPL-2.0
// expect: rust_build_error
//! A build-time cast of a region to a type that needs more alignment than a region's start is
//! promised (`REGION_ALIGN`, 8 bytes): `cast` refuses it; `try_cast` checks at run time.
use kernel::prelude::*;
use kio::io::{
    IoExt,
    Region,
    SysMem, //
};
#[repr(C, align(16))]
#[derive(FromBytes, IntoBytes)]
pub struct Wide {
    pub a: u64,
    pub b: u64,
}
pub fn f(mem: SysMem<'_, Region<64>>) -> SysMem<'_, Wide> {
    mem.cast::<Wide>()
}
