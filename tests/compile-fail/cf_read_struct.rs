// SPDX-License-Identifier: GPL-2.0
// expect: cannot be read in one access (io_read!/read_val)
//! `io_read!` of a struct: only primitives are read in one access.
use kio::io::SysMem;
#[repr(C)]
#[derive(Clone, Copy, kernel::prelude::FromBytes, kernel::prelude::IntoBytes)]
pub struct Pair {
    a: u32,
    b: u32,
}
pub fn f(mem: &mut [Pair; 2]) -> Pair {
    let io = SysMem::from_mut(mem);
    kio::io_read!(io, [build: 0])
}
