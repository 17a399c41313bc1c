// SPDX-License-Identifier: GPL-2.0
// expect: type mismatch resolving
//! A backend that adopts kio's `SysMem` as its view type, even with an `unsafe impl` (whose
//! author would be breaking its contract): the trait ties a backend's view type to that
//! backend (`View: IoBase<Backend = Self>`), so a kio view only ever goes through its own
//! backend, whatever another backend's `as_ptr` says.
use kernel::ptr::KnownSize;
use kio::io::{
    IoBackend,
    SysMem, //
};
pub struct Adopter;
// SAFETY: None: this is the misuse under test, and it does not build.
unsafe impl IoBackend for Adopter {
    type View<'a, T: ?Sized + KnownSize> = SysMem<'a, T>;
    fn as_ptr<'a, T: ?Sized + KnownSize>(view: Self::View<'a, T>) -> *mut T {
        view.as_ptr().wrapping_byte_add(4096)
    }
    unsafe fn project_view<'a, T: ?Sized + KnownSize, U: ?Sized + KnownSize>(
        _view: Self::View<'a, T>,
        ptr: *mut U,
    ) -> Self::View<'a, U> {
        // SAFETY: None, see above.
        unsafe { SysMem::new(ptr) }
    }
}
