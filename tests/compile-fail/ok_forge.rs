// SPDX-License-Identifier: GPL-2.0
// expect: builds
//! Control case for the cf_forge_* cases: what they attempt, done honestly, builds. A type of
//! the user's may be a starting point (`IoBase`) when it returns a real view of what it claims,
//! an inherent `as_view` may return a real view, and a backend of the user's has its own view
//! type.
use kernel::ptr::KnownSize;
use kio::io::{
    IoBackend,
    IoBase,
    SysMem,
    SysMemBackend, //
};
#[derive(Clone, Copy)]
pub struct Wrapper<'a>(SysMem<'a, [u8; 64]>);
impl<'a> IoBase<'a> for Wrapper<'a> {
    type Backend = SysMemBackend;
    type Target = [u8; 64];
    fn as_view(self) -> SysMem<'a, [u8; 64]> {
        self.0
    }
}
#[derive(Clone, Copy)]
pub struct Inherent<'a>(SysMem<'a, [u8; 64]>);
impl<'a> Inherent<'a> {
    pub fn as_view(self) -> SysMem<'a, [u8; 64]> {
        self.0
    }
}
pub struct OwnView<'a, T: ?Sized>(SysMem<'a, T>);
impl<T: ?Sized> Clone for OwnView<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: ?Sized> Copy for OwnView<'_, T> {}
impl<'a, T: ?Sized + KnownSize> IoBase<'a> for OwnView<'a, T> {
    type Backend = Own;
    type Target = T;
    fn as_view(self) -> Self {
        self
    }
}
pub struct Own;
// SAFETY: `OwnView` wraps a `SysMem`; both functions are `SysMemBackend`'s, which keep its
// promises.
unsafe impl IoBackend for Own {
    type View<'a, T: ?Sized + KnownSize> = OwnView<'a, T>;
    fn as_ptr<'a, T: ?Sized + KnownSize>(view: Self::View<'a, T>) -> *mut T {
        view.0.as_ptr()
    }
    unsafe fn project_view<'a, T: ?Sized + KnownSize, U: ?Sized + KnownSize>(
        view: Self::View<'a, T>,
        ptr: *mut U,
    ) -> Self::View<'a, U> {
        // SAFETY: `ptr` is a projection of `as_ptr(view)`, which is `SysMemBackend::as_ptr` of
        // the inner view.
        OwnView(unsafe { SysMemBackend::project_view(view.0, ptr) })
    }
}
pub fn f(a: &mut [u8; 64], b: &mut [u8; 64], c: &mut [u8; 64]) -> u8 {
    let w = Wrapper(SysMem::from_mut(a));
    kio::io_write!(w, [build: 40], 0xff);
    let i = Inherent(SysMem::from_mut(b));
    kio::io_write!(i, [build: 40], 0xff);
    let o = OwnView(SysMem::from_mut(c));
    let _ = kio::io_project!(o, [build: 40]);
    kio::io_read!(w, [build: 40]) + kio::io_read!(i, [build: 40])
}
