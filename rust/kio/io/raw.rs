// SPDX-License-Identifier: GPL-2.0

//! [`MmioRaw`]: the typed `__iomem` pointer.

use super::{
    region,
    IoLayout,
    Region, //
};
use kernel::{
    ffi::c_void,
    prelude::*,
    ptr::KnownSize, //
};

/// A raw pointer to I/O memory laid out as `T`: Rust's spelling of C's `T __iomem *`.
///
/// The size of the memory comes from [`KnownSize`]: `size_of::<T>()` for sized types, the
/// length times the element size for slices, and the byte length for [`Region`]. The pointer is
/// not guaranteed to be mapped; it is what a mapping function returns and what [`Mmio`] is made
/// of.
///
/// [`Mmio`]: super::Mmio
///
/// # Examples
///
/// ```
/// use kio::io::MmioRaw;
///
/// let raw = MmioRaw::<[u32]>::from_ptr(core::ptr::slice_from_raw_parts_mut(core::ptr::null_mut(), 5));
/// assert_eq!(raw.size(), 20);
/// let regs = MmioRaw::<[u32; 4]>::new(0x1000);
/// assert_eq!((regs.addr(), regs.size()), (0x1000, 16));
/// assert!(MmioRaw::<kio::io::Region<64>>::new_region(0x1000, 32).is_err());
/// ```
pub struct MmioRaw<T: ?Sized> {
    ptr: *mut T,
}

impl<T: ?Sized> Clone for MmioRaw<T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for MmioRaw<T> {}

// SAFETY: An `MmioRaw` is an address and nothing else: it gives no access by itself (every
// access through it needs `unsafe`, whose caller argues the mapping), so moving it to another
// thread is like moving an integer.
unsafe impl<T: ?Sized> Send for MmioRaw<T> {}

// SAFETY: As for `Send`: `&MmioRaw` only reads the address.
unsafe impl<T: ?Sized> Sync for MmioRaw<T> {}

impl<T: ?Sized> MmioRaw<T> {
    /// Wraps `ptr`. Nothing is checked.
    #[inline(always)]
    pub const fn from_ptr(ptr: *mut T) -> Self {
        Self { ptr }
    }

    /// Returns the pointer.
    #[inline(always)]
    pub const fn as_ptr(self) -> *mut T {
        self.ptr
    }
}

impl<T: ?Sized + KnownSize> MmioRaw<T> {
    /// Returns the address of the first byte.
    #[inline(always)]
    pub fn addr(&self) -> usize {
        self.ptr.cast::<u8>().addr()
    }

    /// Returns the size of the memory in bytes.
    #[inline(always)]
    pub fn size(&self) -> usize {
        KnownSize::size(self.ptr)
    }
}

impl<T> MmioRaw<T> {
    /// Describes the `size_of::<T>()` bytes at the address `addr` as a `T`. Nothing is checked.
    #[inline(always)]
    pub fn new(addr: usize) -> Self {
        // I/O memory is only reached through the C accessors, never dereferenced by Rust, so the
        // provenance the pointer carries does not matter.
        Self::from_ptr(core::ptr::with_exposed_provenance_mut(addr))
    }
}

impl<T: IoLayout> MmioRaw<T> {
    /// Describes the first `size_of::<T>()` bytes of a mapping of `len` bytes at `base` as `T`.
    ///
    /// Fails with `EINVAL` if the mapping is shorter than `T` or `base` is not aligned for `T`.
    pub fn from_parts(base: *mut c_void, len: usize) -> Result<Self> {
        Ok(Self::from_ptr(region::checked_cast::<c_void, T>(
            base, len,
        )?))
    }
}

impl<const SIZE: usize> MmioRaw<Region<SIZE>> {
    /// Describes a mapping of `len` bytes at `base` as a [`Region`].
    ///
    /// Fails with `EINVAL` if `len` is below `SIZE` or `base` is not aligned to
    /// [`REGION_ALIGN`](super::REGION_ALIGN).
    pub fn from_region_parts(base: *mut c_void, len: usize) -> Result<Self> {
        Ok(Self::from_ptr(Region::ptr_for_view(base.cast(), len)?))
    }

    /// Describes the `size` bytes at the address `addr` as a [`Region`].
    ///
    /// Fails with `EINVAL` if `size` is below `SIZE` or `addr` is not aligned to
    /// [`REGION_ALIGN`](super::REGION_ALIGN).
    #[inline]
    pub fn new_region(addr: usize, size: usize) -> Result<Self> {
        Self::from_region_parts(core::ptr::with_exposed_provenance_mut(addr), size)
    }
}
