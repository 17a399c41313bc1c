// SPDX-License-Identifier: GPL-2.0

//! [`IoExt`]: what kio adds to upstream's [`Io`] methods, under names upstream does not use.

use super::{
    view,
    Io,
    IoBackend,
    IoCopyable,
    IoLayout,
    KnownMinSize,
    Plain,
    REGION_ALIGN, //
};
use kernel::{
    build_assert::build_assert,
    prelude::*, //
};

/// kio's additions to [`Io`], for every view and I/O handle.
///
/// Kept apart from [`Io`] so that code written for upstream's `kernel::io` only ever calls
/// upstream's methods: none of these names exists there.
///
/// # Examples
///
/// ```
/// use kio::io::{Io, IoExt, Region, SysMem};
///
/// #[repr(C)]
/// #[derive(FromBytes, IntoBytes)]
/// struct Head { len: u32, flags: u32 }
///
/// let mut words = [0u64; 4];
/// let bytes = kernel::transmute::AsBytes::as_bytes_mut(&mut words);
/// let region = SysMem::<Region<32>>::from_bytes(bytes)?;
/// // Checked at build time: `Head` fits in 32 bytes.
/// let head = region.cast::<Head>();
/// kio::io_write!(head, .len, 5);
/// let mut copy = Head { len: 0, flags: 0 };
/// head.copy_read_into(&mut copy);
/// assert_eq!(copy.len, 5);
///
/// let mut data = [7u16; 3];
/// let slice = SysMem::from_mut_slice(&mut data);
/// assert_eq!(slice.try_copy_from_slice(&[1, 2]), Err(EINVAL));
/// slice.try_copy_from_slice(&[1, 2, 3])?;
/// # Ok::<(), Error>(())
/// ```
pub trait IoExt<'a>: Io<'a> {
    /// Views the start of an untyped region as a `U`, checked at build time: the build fails
    /// unless the region's `SIZE` covers `U` and [`REGION_ALIGN`] satisfies its alignment.
    #[inline(always)]
    fn cast<U: IoLayout>(self) -> <Self::Backend as IoBackend>::View<'a, U>
    where
        Self::Target: KnownMinSize + Plain,
    {
        build_assert!(
            size_of::<U>() <= <Self::Target as KnownMinSize>::MIN_SIZE,
            "kio: cast: the region's SIZE is smaller than the type it is cast to"
        );
        build_assert!(
            align_of::<U>() <= REGION_ALIGN,
            "kio: cast: the type needs more alignment than a Region guarantees"
        );
        let whole = self.as_view();
        let ptr = Self::Backend::as_ptr(whole).cast::<U>();
        // SAFETY: The region is at least `MIN_SIZE` bytes long and starts aligned to
        // `REGION_ALIGN` (`KnownMinSize`, sealed); both checked against `U` at build time. A
        // `Plain` region has no rights to lose.
        unsafe { Self::Backend::project_view(whole, ptr) }
    }

    /// Views the start of the region as a `U` whatever the access rights of either, checked at
    /// run time (`EINVAL` if it does not fit or is not aligned).
    ///
    /// # Safety
    ///
    /// The rights of the region do not protect its memory through the new view: the caller
    /// promises not to use the view for an access they forbid (reading a
    /// [`WriteOnly`](super::WriteOnly) register, writing a [`ReadOnly`](super::ReadOnly) one,
    /// or sweeping a clear-on-read register into a copy) unless the device allows it.
    #[inline]
    unsafe fn try_cast_ignoring_rights<U: IoLayout>(
        self,
    ) -> Result<<Self::Backend as IoBackend>::View<'a, U>> {
        // SAFETY: The caller's promise.
        unsafe { view::cast_checked::<Self::Backend, _, _>(self.as_view()) }
    }

    /// Copies the value the view covers into `out`, without a temporary on the stack.
    #[inline(always)]
    fn copy_read_into(self, out: &mut Self::Target)
    where
        Self::Backend: IoCopyable,
        Self::Target: Sized + FromBytes,
    {
        let bytes = view::as_bytes::<Self::Backend, Self::Target>(self.as_view());
        // SAFETY: `out` is writable for `size_of::<Self::Target>()` bytes, the view's size, and
        // an exclusive borrow of ordinary memory does not overlap a region reached through
        // views (a reference into one only comes from `unsafe` code, whose contract forbids
        // this). Any bytes are a valid `Self::Target` (`FromBytes`).
        unsafe { Self::Backend::copy_from_io(bytes, core::ptr::from_mut(out).cast()) }
    }

    /// Copies a slice region into `data`; `EINVAL` if the lengths differ (nothing is copied).
    #[inline]
    fn try_copy_to_slice<T: FromBytes>(self, data: &mut [T]) -> Result
    where
        Self: Io<'a, Target = [T]>,
        Self::Backend: IoCopyable,
    {
        let bytes = view::slice_bytes::<Self::Backend, T>(self.as_view(), data.len())?;
        // SAFETY: `data` is writable for its `size_of_val` bytes, the view's size (checked), and
        // exclusive; any bytes are valid `T`s.
        unsafe { Self::Backend::copy_from_io(bytes, data.as_mut_ptr().cast()) };
        Ok(())
    }

    /// Copies `data` into a slice region; `EINVAL` if the lengths differ (nothing is copied).
    #[inline]
    fn try_copy_from_slice<T: IntoBytes>(self, data: &[T]) -> Result
    where
        Self: Io<'a, Target = [T]>,
        Self::Backend: IoCopyable,
    {
        let bytes = view::slice_bytes::<Self::Backend, T>(self.as_view(), data.len())?;
        // SAFETY: `data` is readable for its `size_of_val` bytes, the view's size (checked), all
        // initialised (`IntoBytes`), and a shared borrow of ordinary memory.
        unsafe { Self::Backend::copy_to_io(bytes, data.as_ptr().cast()) };
        Ok(())
    }
}

impl<'a, I: Io<'a>> IoExt<'a> for I {}
