// SPDX-License-Identifier: GPL-2.0
// expect: the trait `IoBackend` requires an `unsafe impl` declaration
//! A lying backend: kio's generic code trusts a backend's `as_ptr` for where and how large its
//! views are. A backend of the user's that adopted kio's `SysMem` as its view type could move a
//! 4-byte `SysMem` 4096 bytes on. `IoBackend` is an `unsafe` trait (upstream's is safe), so safe
//! code cannot implement it at all; behind that, the trait also ties a backend's view type to
//! that backend (`View: IoBase<Backend = Self>`).
use kernel::ptr::KnownSize;
use kio::io::{
    IoBackend,
    SysMem, //
};
pub struct Liar;
impl IoBackend for Liar {
    type View<'a, T: ?Sized + KnownSize> = SysMem<'a, T>;
    fn as_ptr<'a, T: ?Sized + KnownSize>(view: Self::View<'a, T>) -> *mut T {
        view.as_ptr().wrapping_byte_add(4096)
    }
    unsafe fn project_view<'a, T: ?Sized + KnownSize, U: ?Sized + KnownSize>(
        _view: Self::View<'a, T>,
        _ptr: *mut U,
    ) -> Self::View<'a, U> {
        loop {}
    }
}
