// SPDX-License-Identifier: GPL-2.0

//! [`View`]: a typed part of a larger I/O region.

use super::{
    Io,
    IoCapable,
    Readable,
    Writable, //
};
use kernel::{
    prelude::*,
    ptr::KnownSize, //
};

/// A part of an I/O region, laid out as `T`, accessed through the backend `B` of the whole
/// region.
///
/// Views come from [`io_project!`](crate::io_project) (a field, an element, a sub-slice) or
/// from [`View::try_cast`]. A view of a view keeps the original backend, so the type does not
/// grow with each projection, and it borrows that backend for `'a`: it cannot outlive the
/// mapping.
///
/// # Invariants
///
/// - `ptr` is derived from `io.as_ptr()` (it has the same provenance);
/// - the `KnownSize::size(ptr)` bytes at `ptr` lie within the region of `io`;
/// - `ptr` is aligned for `T`.
pub struct View<'a, B: ?Sized, T: ?Sized> {
    io: &'a B,
    ptr: *mut T,
}

impl<B: ?Sized, T: ?Sized> Clone for View<'_, B, T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}

impl<B: ?Sized, T: ?Sized> Copy for View<'_, B, T> {}

impl<'a, B: Io + ?Sized, T: ?Sized + KnownSize> View<'a, B, T> {
    /// Makes a view of the part of `io`'s region at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` is derived from `io.as_ptr()`, its `KnownSize::size(ptr)` bytes lie within `io`'s
    /// region, and it is aligned for `T`.
    #[inline(always)]
    pub unsafe fn new_unchecked(io: &'a B, ptr: *mut T) -> Self {
        // INVARIANT: Guaranteed by the caller.
        Self { io, ptr }
    }

    /// Returns the backend of the whole region.
    #[inline(always)]
    pub fn backend(&self) -> &'a B {
        self.io
    }

    /// Views the start of this view as a `U`, checking size and alignment at runtime.
    ///
    /// Fails with `EINVAL` if the view is shorter than `U` or its start is not aligned for it.
    #[inline]
    pub fn try_cast<U>(self) -> Result<View<'a, B, U>> {
        let ptr = self.ptr.cast::<U>();
        if KnownSize::size(self.ptr) < size_of::<U>() || !ptr.is_aligned() {
            return Err(EINVAL);
        }
        // INVARIANT: Same provenance; `U` fits within this view, hence within the region
        // (checked); aligned (checked).
        Ok(View { io: self.io, ptr })
    }
}

impl<B: Io + ?Sized, T: Readable> View<'_, B, T> {
    /// Reads the primitive this view covers, in one access of the backend.
    ///
    /// Builds only when the backend can read a `T::Value` in one go and `T` is not
    /// [`WriteOnly`](super::WriteOnly).
    #[inline(always)]
    pub fn read_val(&self) -> T::Value
    where
        B: IoCapable<T::Value>,
    {
        // SAFETY: By the invariants `self.ptr` is derived from the backend's region, within it
        // and aligned for `T`, which has the size and alignment of `T::Value` (`Readable`).
        unsafe { self.io.io_read(self.ptr.cast::<T::Value>()) }
    }
}

impl<B: Io + ?Sized, T: Writable> View<'_, B, T> {
    /// Writes the primitive this view covers, in one access of the backend.
    ///
    /// Builds only when the backend can write a `T::Value` in one go and `T` is not
    /// [`ReadOnly`](super::ReadOnly) or [`ReadPure`](super::ReadPure).
    #[inline(always)]
    pub fn write_val(&self, value: T::Value)
    where
        B: IoCapable<T::Value>,
    {
        // SAFETY: As for `read_val`, with `Writable`; any `T::Value` is a valid `T`.
        unsafe { self.io.io_write(self.ptr.cast::<T::Value>(), value) }
    }
}

impl<B: Io + ?Sized, T: ?Sized + KnownSize> Io for View<'_, B, T> {
    type Target = T;

    #[inline(always)]
    fn as_ptr(&self) -> *mut T {
        self.ptr
    }
}

impl<B: IoCapable<U> + ?Sized, T: ?Sized + KnownSize, U> IoCapable<U> for View<'_, B, T> {
    #[inline(always)]
    unsafe fn io_read(&self, ptr: *mut U) -> U {
        // SAFETY: The caller keeps `ptr` inside this view, aligned and derived from
        // `self.ptr`; by the invariants `self.ptr` is derived from, and within, `self.io`'s
        // region, so the same holds for `self.io`.
        unsafe { self.io.io_read(ptr) }
    }

    #[inline(always)]
    unsafe fn io_write(&self, ptr: *mut U, value: U) {
        // SAFETY: As for `io_read`.
        unsafe { self.io.io_write(ptr, value) }
    }
}

/// Where a projection starts: a backend, or a view of one.
///
/// [`io_project!`](crate::io_project) calls [`IntoView::into_view`] on a reference to its
/// argument; a view yields itself (so projecting a view does not nest the backend type) and a
/// backend yields a view of its whole region.
pub trait IntoView<'a>: Copy {
    /// The backend of the whole region.
    type Backend: Io + ?Sized + 'a;
    /// The layout of the part seen.
    type Target: ?Sized + KnownSize;

    /// Returns the view.
    fn into_view(self) -> View<'a, Self::Backend, Self::Target>;
}

impl<'a, 'b, B: Io + ?Sized, T: ?Sized + KnownSize> IntoView<'a> for &'b View<'a, B, T> {
    type Backend = B;
    type Target = T;

    #[inline(always)]
    fn into_view(self) -> View<'a, B, T> {
        *self
    }
}

/// Makes `&'a Backend` the start of a projection over its whole region.
macro_rules! root_view {
    ($([$($gen:tt)*] $backend:ty;)*) => {$(
        impl<'a, $($gen)*> $crate::io::IntoView<'a> for &'a $backend {
            type Backend = $backend;
            type Target = <$backend as $crate::io::Io>::Target;

            #[inline(always)]
            fn into_view(self) -> $crate::io::View<'a, Self::Backend, Self::Target> {
                let ptr = $crate::io::Io::as_ptr(self);
                // SAFETY: The whole region: derived from `as_ptr` and in bounds. Aligned: `Mmio`
                // and `SysMem` promise it in their invariants, and `dma::Coherent` memory comes
                // from `dma_alloc_coherent`, which returns at least page-aligned memory.
                unsafe { $crate::io::View::new_unchecked(self, ptr) }
            }
        }
    )*};
}
pub(crate) use root_view;
