// SPDX-License-Identifier: GPL-2.0
// expect: type annotations needed
//! Projecting through a type that implements `Deref` (here `ManuallyDrop`): the field would
//! be reached through `deref()`, outside the region.
use core::mem::ManuallyDrop;
use kio::io::SysMem;
#[repr(C)]
#[derive(kernel::prelude::FromBytes, kernel::prelude::IntoBytes)]
pub struct Inner {
    a: u32,
}
#[repr(C)]
#[derive(kernel::prelude::FromBytes, kernel::prelude::IntoBytes)]
pub struct S {
    inner: ManuallyDrop<Inner>,
}
pub fn f(mem: &mut S) -> u32 {
    let io = SysMem::from_mut(mem);
    kio::io_read!(io, .inner.a)
}
