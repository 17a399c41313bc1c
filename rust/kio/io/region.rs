// SPDX-License-Identifier: GPL-2.0

//! [`Region`]: the untyped I/O region.

use kernel::{
    prelude::*,
    ptr::KnownSize, //
};

/// Alignment, in bytes, that every [`Region`] base address has.
///
/// It is the alignment of the widest untyped access (`u64`), so that an offset that is a
/// multiple of an access's size gives an aligned address. PCI BARs and `ioremap` mappings are
/// at least this aligned; memory handed to [`SysMem`](super::SysMem) is checked.
pub const REGION_ALIGN: usize = 8;

/// An untyped I/O region of at least `SIZE` bytes.
///
/// `Region` is a dynamically sized type: a `*mut Region<SIZE>` is a fat pointer whose metadata
/// is the region's length in bytes, known at run time. `SIZE` is the part of that length known at
/// build time, which lets accesses below `SIZE` be checked at build time.
///
/// Only regions give access by offset (`read32(0x10)`, the kernel's `register!` types): an
/// offset means nothing more than "some bytes in here", which is exactly what a region is. A
/// typed region has a layout, and accessing it by raw offset would bypass that layout.
///
/// Pointers to a `Region` can be made freely ([`Region::ptr_from_raw_parts_mut`]); it is the
/// constructors of the views that promise, in their invariants, that a region they hand out
/// starts aligned to [`REGION_ALIGN`] and is at least `SIZE` bytes long.
///
/// # Examples
///
/// ```
/// use kio::io::Region;
/// use kernel::ptr::KnownSize;
///
/// let ptr = Region::<16>::ptr_from_raw_parts_mut(core::ptr::null_mut(), 64);
/// assert_eq!(KnownSize::size(ptr), 64);
/// assert_eq!(Region::<16>::MIN_SIZE, 16);
/// assert!(Region::<16>::ptr_try_from_raw_parts_mut(core::ptr::null_mut(), 8).is_err());
/// ```
#[repr(transparent)]
pub struct Region<const SIZE: usize = 0> {
    bytes: [u8],
}

impl<const SIZE: usize> Region<SIZE> {
    /// The length, in bytes, that every region of this type has at least.
    pub const MIN_SIZE: usize = SIZE;

    /// Builds a pointer to the `size` bytes at `base`.
    ///
    /// Nothing is checked and nothing is dereferenced.
    #[inline(always)]
    pub fn ptr_from_raw_parts_mut(base: *mut u8, size: usize) -> *mut Self {
        // CAST: `Region` is a transparent wrapper around `[u8]`, so both pointers have the same
        // metadata (the length in bytes).
        core::ptr::slice_from_raw_parts_mut(base, size) as *mut Self
    }

    /// Builds a pointer to the `size` bytes at `base`, refusing (`EINVAL`) a `size` below
    /// `SIZE`.
    #[inline]
    pub fn ptr_try_from_raw_parts_mut(base: *mut u8, size: usize) -> Result<*mut Self> {
        if size < SIZE {
            return Err(EINVAL);
        }
        Ok(Self::ptr_from_raw_parts_mut(base, size))
    }

    /// Builds a pointer to the `size` bytes at `base`, refusing (`EINVAL`) a `size` below
    /// `SIZE` and a `base` not aligned to [`REGION_ALIGN`]: what every `Region` view needs.
    #[inline]
    pub(crate) fn ptr_for_view(base: *mut u8, size: usize) -> Result<*mut Self> {
        if base.addr() % REGION_ALIGN != 0 {
            return Err(EINVAL);
        }
        Self::ptr_try_from_raw_parts_mut(base, size)
    }
}

impl<const SIZE: usize> KnownSize for Region<SIZE> {
    #[inline(always)]
    fn size(p: *const Self) -> usize {
        // CAST: same metadata, see `ptr_from_raw_parts_mut`. The length of a `[u8]` is its size.
        (p as *const [u8]).len()
    }
}

// SAFETY: A region is a run of bytes: no fields to reorder, no padding.
unsafe impl<const SIZE: usize> super::IoLayout for Region<SIZE> {}

mod sealed {
    pub trait Sealed {}
}

impl<const SIZE: usize> sealed::Sealed for Region<SIZE> {}

/// A region type whose views are at least [`KnownMinSize::MIN_SIZE`] bytes long and start
/// aligned to [`REGION_ALIGN`]: the targets of the offset accessors whose offsets are checked
/// at build time (`read32(0x10)`, `write(REG, value)`). Sealed: kio's checks trust it.
pub trait KnownMinSize: sealed::Sealed {
    /// The length every view of this type has at least.
    const MIN_SIZE: usize;
}

impl<const SIZE: usize> KnownMinSize for Region<SIZE> {
    const MIN_SIZE: usize = SIZE;
}

/// Casts `ptr`, of `size` bytes, to a `U`, checking that it fits and is aligned (`EINVAL`).
#[inline]
pub(super) fn checked_cast<T: ?Sized, U>(ptr: *mut T, size: usize) -> Result<*mut U> {
    let cast = ptr.cast::<U>();
    if size < size_of::<U>() || !cast.is_aligned() {
        return Err(EINVAL);
    }
    Ok(cast)
}
