// SPDX-License-Identifier: GPL-2.0

//! [`View`]: a typed part of a larger I/O region.

use super::{
    region,
    Io,
    IoCapable,
    IoLayout,
    Plain,
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
///
/// # Threads
///
/// A view is `Send` and `Sync` when its backend is `Sync`: every access through a view is a call
/// on `&B`, so handing a view to another thread is handing it `&B`. MMIO and DMA-coherent
/// backends are `Sync`; [`SysMem`](super::SysMem) is not (its copies are plain memory copies,
/// which must not race), so its views stay on their thread.
pub struct View<'a, B: ?Sized, T: ?Sized> {
    io: &'a B,
    ptr: *mut T,
}

// SAFETY: A view is `&'a B` plus an address inside `B`'s region, and everything it does goes
// through `&B` (`IoCapable`, `IoCopy`). Sending it is sending `&B`, which is sound when `B:
// Sync`. The address itself is plain data. No `T` value is ever owned by a view.
unsafe impl<B: ?Sized + Sync, T: ?Sized> Send for View<'_, B, T> {}

// SAFETY: `&View` gives nothing that `&B` does not (see `Send`), so sharing it needs `B: Sync`.
unsafe impl<B: ?Sized + Sync, T: ?Sized> Sync for View<'_, B, T> {}

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

    /// Returns the pointer to the part of the region this view covers.
    ///
    /// It may point into I/O memory: never turn it into a reference.
    #[inline(always)]
    pub fn as_ptr(&self) -> *mut T {
        self.ptr
    }

    /// Views the start of this view as a `U`, checking size and alignment at runtime.
    ///
    /// Fails with `EINVAL` if the view is shorter than `U` or its start is not aligned for it.
    /// Builds only if this view covers [`Plain`] memory (a [`Region`](super::Region), bytes,
    /// integers: nothing with access rights) and `U` has a defined layout ([`IoLayout`]).
    #[inline]
    pub fn try_cast<U: IoLayout>(self) -> Result<View<'a, B, U>>
    where
        T: Plain,
    {
        // SAFETY: `T: Plain`: this view has no rights that the new one could lose.
        unsafe { self.try_cast_ignoring_rights() }
    }

    /// Views the start of this view as a `U` whatever the access rights of either, checking
    /// size and alignment at runtime (`EINVAL`).
    ///
    /// # Safety
    ///
    /// The access rights of `T` do not protect the memory through the new view: the caller
    /// promises that it will not use the view for an access that `T`'s rights forbid (reading
    /// a [`WriteOnly`](super::WriteOnly) register, writing a [`ReadOnly`](super::ReadOnly) one,
    /// or sweeping a clear-on-read register into a copy) unless the device allows it.
    #[inline]
    pub unsafe fn try_cast_ignoring_rights<U: IoLayout>(self) -> Result<View<'a, B, U>> {
        let ptr = region::checked_cast::<U>(self.ptr.cast::<u8>(), KnownSize::size(self.ptr))?;
        // INVARIANT: Same address and provenance as `self.ptr`; `U` fits within this view,
        // hence within the region, and is aligned (both checked).
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

// SAFETY: By the invariants, `ptr` is derived from the backend's region, its
// `KnownSize::size(ptr)` bytes lie within it and it is aligned for `T`: every access that is
// valid through the backend for those bytes is valid through the view, for `'a`.
unsafe impl<B: Io + ?Sized, T: ?Sized + KnownSize> Io for View<'_, B, T> {
    type Target = T;

    #[inline(always)]
    fn as_ptr(&self) -> *mut T {
        self.ptr
    }
}

// SAFETY: Each method is one call of the backend's, which performs exactly one access.
unsafe impl<B: IoCapable<U> + ?Sized, T: ?Sized + KnownSize, U> IoCapable<U> for View<'_, B, T> {
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

pub(crate) mod sealed {
    /// Keeps [`IntoView`](super::IntoView) to kio's backends and views.
    pub trait Sealed {}
}

/// Where a projection starts: a backend, or a view of one.
///
/// [`io_project!`](crate::io_project) calls [`IntoView::into_view`] on a reference to its
/// argument; a view yields itself (so projecting a view does not nest the backend type) and a
/// backend yields a view of its whole region. A reference to either works as well.
///
/// The trait is sealed: only kio's backends and views are starting points, since the macros
/// build views from what it returns.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a kio I/O backend or view",
    label = "io_project!/io_read!/io_write! need a kio backend (Mmio, SysMem, dma::Coherent) or a view of one",
    note = "a kernel `io::Mmio` (e.g. a PCI BAR) becomes one with `kio::io::Mmio::from_kernel`"
)]
pub trait IntoView<'a>: Copy + sealed::Sealed {
    /// The backend of the whole region.
    type Backend: Io + ?Sized + 'a;
    /// The layout of the part seen.
    type Target: ?Sized + KnownSize;

    /// Returns the view.
    fn into_view(self) -> View<'a, Self::Backend, Self::Target>;
}

impl<B: ?Sized, T: ?Sized> sealed::Sealed for &View<'_, B, T> {}

impl<'a, B: Io + ?Sized, T: ?Sized + KnownSize> IntoView<'a> for &View<'a, B, T> {
    type Backend = B;
    type Target = T;

    #[inline(always)]
    fn into_view(self) -> View<'a, B, T> {
        *self
    }
}

impl<'a, X: ?Sized> sealed::Sealed for &&'a X where &'a X: IntoView<'a> {}

/// A reference to a backend or view starts a projection like the backend or view itself.
impl<'a, X: ?Sized> IntoView<'a> for &&'a X
where
    &'a X: IntoView<'a>,
{
    type Backend = <&'a X as IntoView<'a>>::Backend;
    type Target = <&'a X as IntoView<'a>>::Target;

    #[inline(always)]
    fn into_view(self) -> View<'a, Self::Backend, Self::Target> {
        IntoView::into_view(*self)
    }
}

/// Makes `&'a Backend` the start of a projection over its whole region.
macro_rules! root_view {
    ($([$($gen:tt)*] $backend:ty;)*) => {$(
        impl<$($gen)*> $crate::io::view::sealed::Sealed for &$backend {}

        impl<'a, $($gen)*> $crate::io::IntoView<'a> for &'a $backend {
            type Backend = $backend;
            type Target = <$backend as $crate::io::Io>::Target;

            #[inline(always)]
            fn into_view(self) -> $crate::io::View<'a, Self::Backend, Self::Target> {
                let ptr = $crate::io::Io::as_ptr(self);
                // SAFETY: The whole region of a kio backend: derived from `as_ptr`, in bounds
                // and aligned for the target, by the backend's `unsafe impl Io`.
                unsafe { $crate::io::View::new_unchecked(self, ptr) }
            }
        }
    )*};
}
pub(crate) use root_view;
