// SPDX-License-Identifier: GPL-2.0
// expect: rust_build_error
//! An untyped access whose constant offset ends past the region's build-time size: `read32(14)`
//! on a `Region<16>` would touch bytes 14 to 17. The build-time checked accessors refuse it
//! (`try_read32` is the run-time checked form).
use kio::io::{
    Io,
    Region,
    SysMem, //
};
pub fn f(mem: SysMem<'_, Region<16>>) -> u32 {
    mem.read32(14)
}
