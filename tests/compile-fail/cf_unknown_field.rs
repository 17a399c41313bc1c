// SPDX-License-Identifier: GPL-2.0
// expect: no field `nope`
//! Projection to a field the type does not have.
use kio::io::SysMem;
#[repr(C)]
pub struct S {
    a: u32,
}
// SAFETY: A `u32`.
unsafe impl kernel::transmute::FromBytes for S {}
// SAFETY: A `u32`.
unsafe impl kernel::transmute::AsBytes for S {}
pub fn f(mem: &mut S) -> u32 {
    let io = SysMem::new(mem);
    kio::io_read!(io, .nope)
}
