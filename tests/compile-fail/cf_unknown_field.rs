// SPDX-License-Identifier: GPL-2.0
// expect: no field `nope`
//! Projection to a field the type does not have.
use kio::io::SysMem;
#[repr(C)]
#[derive(kernel::prelude::FromBytes, kernel::prelude::IntoBytes)]
pub struct S {
    a: u32,
}
pub fn f(mem: &mut S) -> u32 {
    let io = SysMem::from_mut(mem);
    kio::io_read!(io, .nope)
}
