// SPDX-License-Identifier: GPL-2.0
// expect: cannot be read with io_read!/read_val
//! `io_read!` of a struct: only primitives are read in one access.
use kio::io::SysMem;
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Pair {
    a: u32,
    b: u32,
}
// SAFETY: Two `u32`s.
unsafe impl kernel::transmute::FromBytes for Pair {}
// SAFETY: Two `u32`s.
unsafe impl kernel::transmute::AsBytes for Pair {}
pub fn f(mem: &mut [Pair; 2]) -> Pair {
    let io = SysMem::new(mem);
    kio::io_read!(io, [build: 0])
}
