// SPDX-License-Identifier: GPL-2.0
// expect: write `.0.1` as `.0 .1`
//! cf_deref with tuple fields: `.0.0` is one float-literal token, so the projection goes
//! through `ManuallyDrop`'s `Deref` although `project!` claims to refuse `Deref` types.
use core::mem::ManuallyDrop;
use kio::io::SysMem;
#[repr(C)]
#[derive(kernel::prelude::FromBytes, kernel::prelude::IntoBytes)]
pub struct Inner(u32);
#[repr(C)]
#[derive(kernel::prelude::FromBytes, kernel::prelude::IntoBytes)]
pub struct S(ManuallyDrop<Inner>);
#[allow(dangerous_implicit_autorefs)]
pub fn f(mem: &mut S) -> u32 {
    let io = SysMem::from_mut(mem);
    kio::io_read!(io, .0.0)
}
