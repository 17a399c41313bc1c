// SPDX-License-Identifier: GPL-2.0

//! [`View`]: what every view type is, and the moves between views that kio's own code makes.

use super::{
    region,
    IoBackend,
    IoBase,
    IoLayout, //
};
use kernel::{
    prelude::*,
    ptr::KnownSize, //
};

/// A view: a part of an I/O region, laid out as [`IoBase::Target`], reached through
/// [`IoBase::Backend`].
///
/// Implemented by every type that is its backend's [`IoBackend::View`]: [`Mmio`](super::Mmio),
/// [`RelaxedMmio`](super::RelaxedMmio), [`SysMem`](super::SysMem),
/// [`CoherentView`](crate::dma::CoherentView), [`IoSysMap`](super::IoSysMap),
/// [`ConfigSpace`](crate::pci::ConfigSpace), and the views of backends defined elsewhere. A
/// function that accepts any view takes a `V: View<'a, Target = T>` (and says which accesses
/// it makes, e.g. `V::Backend: IoCapable<u32>`).
///
/// Views are `Copy`: a view is an address plus what the backend needs to reach it, and it
/// borrows the mapping for `'a`, so it cannot outlive it. Projecting a view
/// ([`io_project!`](crate::io_project)) gives a view of the same backend.
///
/// # Examples
///
/// ```
/// use kio::io::{Io, SysMem, View};
///
/// fn total<'a, V>(v: V, n: usize) -> Result<u32>
/// where
///     V: View<'a, Target = [u32; 4]>,
///     V::Backend: kio::io::IoCapable<u32>,
/// {
///     let mut sum = 0;
///     for i in 0..n {
///         sum += kio::io_read!(v, [try: i]);
///     }
///     Ok(sum)
/// }
///
/// let mut words = [1u32, 2, 3, 4];
/// let view = SysMem::from_mut(&mut words);
/// assert_eq!(total(view, 4)?, 10);
/// assert_eq!(total(view, 5), Err(ERANGE));
/// # Ok::<(), Error>(())
/// ```
pub trait View<'a>: IoBase<'a> {}

impl<'a, V> View<'a> for V
where
    V: IoBase<'a>,
    V::Backend: IoBackend<View<'a, V::Target> = V>,
{
}

/// The start of a projection: a view, wrapped so that [`io_project!`](crate::io_project) can
/// reach its backend's functions as methods. Not an API.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct ProjectStart<V>(V);

impl<'a, V> ProjectStart<V>
where
    V: IoBase<'a>,
    V::Backend: IoBackend<View<'a, V::Target> = V>,
{
    /// Wraps a view (nothing else passes the bound: only a backend's own view type is its
    /// `View<'a, Target>`).
    #[inline(always)]
    pub fn new(view: V) -> Self {
        Self(view)
    }

    /// The pointer that describes the view, for `kernel::ptr::project!`.
    #[inline(always)]
    pub fn as_ptr(self) -> *mut V::Target {
        V::Backend::as_ptr(self.0)
    }

    /// The view of the part at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` is a projection of [`ProjectStart::as_ptr`] (see [`IoBackend::project_view`]).
    #[inline(always)]
    pub unsafe fn project<U: ?Sized + KnownSize>(
        self,
        ptr: *mut U,
    ) -> <V::Backend as IoBackend>::View<'a, U> {
        // SAFETY: The caller's promise is the one `project_view` asks for.
        unsafe { V::Backend::project_view::<V::Target, U>(self.0, ptr) }
    }
}

/// The same memory as `view`, as a view of its bytes.
#[inline(always)]
pub(super) fn as_bytes<B: IoBackend + ?Sized, T>(view: B::View<'_, T>) -> B::View<'_, [u8]> {
    let ptr = B::as_ptr(view);
    let bytes = core::ptr::slice_from_raw_parts_mut(ptr.cast::<u8>(), size_of::<T>());
    // SAFETY: Same address and provenance, same `size_of::<T>()` bytes, and bytes need no
    // alignment.
    unsafe { B::project_view(view, bytes) }
}

/// The same memory as `view`, as a view of the primitive `V` that `T` stands for (`u32` for
/// `u32`, `ReadOnly<u32>`, `WriteOnly<u32>`, ...).
///
/// # Safety
///
/// `T` has the size and alignment of `V` (what `Readable` and `Writable`, `unsafe` traits
/// implemented only by kio, promise of their `Value`).
#[inline(always)]
pub(super) unsafe fn as_primitive<B: IoBackend, T, V>(view: B::View<'_, T>) -> B::View<'_, V> {
    let ptr = B::as_ptr(view).cast::<V>();
    // SAFETY: The same address covers the same bytes, aligned for `V` (the caller's promise).
    unsafe { B::project_view(view, ptr) }
}

/// The bytes of a slice view of `len` elements (`EINVAL` if it has another length).
///
/// Every copy between a slice view and a slice checks the length here, on the very view it
/// then copies: `IoBase` is safe and need not return the same view twice.
#[inline(always)]
pub(super) fn slice_bytes<'a, B: IoBackend, T>(
    view: B::View<'a, [T]>,
    len: usize,
) -> Result<B::View<'a, [u8]>> {
    let ptr = B::as_ptr(view);
    if ptr.len() != len {
        return Err(EINVAL);
    }
    let bytes = core::ptr::slice_from_raw_parts_mut(ptr.cast::<u8>(), KnownSize::size(ptr));
    // SAFETY: The same bytes as the view, same provenance; bytes need no alignment.
    Ok(unsafe { B::project_view(view, bytes) })
}

/// The start of `view` as a `U`, checked at run time (`EINVAL`).
///
/// # Safety
///
/// The access rights of `T` do not protect the memory through the result: the caller either
/// knows that `T` has none (`Plain`) or promises not to make an access they forbid.
#[inline]
pub(super) unsafe fn cast_checked<'a, B: IoBackend, T: ?Sized + KnownSize, U: IoLayout>(
    view: B::View<'a, T>,
) -> Result<B::View<'a, U>> {
    let ptr = B::as_ptr(view);
    let cast = region::checked_cast::<T, U>(ptr, KnownSize::size(ptr))?;
    // SAFETY: Same address and provenance; `U` fits in the view's bytes and is aligned
    // (checked). What `U` may do with the bytes is the caller's concern (above).
    Ok(unsafe { B::project_view(view, cast) })
}
