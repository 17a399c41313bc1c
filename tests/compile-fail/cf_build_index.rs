// SPDX-License-Identifier: GPL-2.0
// expect: rust_build_error
//! `[build: i]` with an index the compiler can prove out of range.
use kio::io::SysMem;
pub fn f(mem: &mut [u32; 8]) -> u32 {
    let io = SysMem::from_mut(mem);
    kio::io_read!(io, [build: 8])
}
