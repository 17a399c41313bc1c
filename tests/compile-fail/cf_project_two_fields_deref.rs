// SPDX-License-Identifier: GPL-2.0
// expect: write `.0.1` as `.0 .1`
//! `.0.1` is ONE token tree (a float literal), so `project!` emits `(*ptr).0.1` in a single
//! closure: the Deref guard only looks at the outer type, and the inner `.1` auto-derefs
//! through a user `DerefMut` whose target is a leaked heap object. The offset between that
//! object and the stack place is added to the region's base: an arbitrary address.
use core::ops::{
    Deref,
    DerefMut, //
};
use kernel::prelude::*;
use kio::io::SysMem;
pub struct Far(pub u32, pub u32);
#[repr(C)]
#[derive(kernel::prelude::FromBytes, kernel::prelude::IntoBytes)]
pub struct D(u32);
impl Deref for D {
    type Target = Far;
    fn deref(&self) -> &Far {
        KBox::leak(KBox::new(Far(0, 0), GFP_KERNEL).unwrap())
    }
}
impl DerefMut for D {
    fn deref_mut(&mut self) -> &mut Far {
        KBox::leak(KBox::new(Far(0, 0), GFP_KERNEL).unwrap())
    }
}
#[repr(C)]
#[derive(kernel::prelude::FromBytes, kernel::prelude::IntoBytes)]
pub struct Outer(D, u32);
#[allow(dangerous_implicit_autorefs)]
pub fn f(mem: &mut Outer) {
    let io = SysMem::from_mut(mem);
    kio::io_write!(io, .0.1, 0xdead_beef);
}
