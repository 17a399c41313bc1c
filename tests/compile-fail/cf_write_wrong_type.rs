// SPDX-License-Identifier: GPL-2.0
// expect: mismatched types
//! `io_write!` of a `u16` to a `u32` field.
use kio::io::SysMem;
pub fn f(mem: &mut [u32; 4]) {
    let io = SysMem::from_mut(mem);
    kio::io_write!(io, [build: 1], 5u16);
}
