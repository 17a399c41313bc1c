// SPDX-License-Identifier: GPL-2.0
// expect: rust_build_error
//! A location of the caller's own whose access type needs 16-byte alignment: a region's start
//! is only promised `REGION_ALIGN` (8), so an aligned offset would not make an aligned address.
//! The build-time checked accessors refuse it, even with the caller's own `IoCapable` impl.
use kernel::prelude::*;
use kio::io::{
    Io,
    IoCapable,
    Region,
    SysMem,
    SysMemBackend, //
};
#[repr(C, align(16))]
#[derive(Clone, Copy)]
pub struct Wide(pub u64, pub u64);
impl IoCapable<Wide> for SysMemBackend {
    fn io_read(view: SysMem<'_, Wide>) -> Wide {
        Wide(view.as_ptr().addr() as u64, 0)
    }
    fn io_write(_view: SysMem<'_, Wide>, _value: Wide) {}
}
pub struct Loc;
impl kernel::io::IoLoc<Wide> for Loc {
    type IoType = Wide;
    fn offset(self) -> usize {
        0
    }
}
pub fn f(mem: SysMem<'_, Region<32>>) -> u64 {
    mem.read(Loc).0
}
