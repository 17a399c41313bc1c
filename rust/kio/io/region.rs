// SPDX-License-Identifier: GPL-2.0

//! [`Region`]: the untyped I/O region.

use kernel::ptr::KnownSize;

/// Alignment, in bytes, that every [`Region`] base address has.
///
/// It is the alignment of the widest untyped access (`u64`), so that an offset that is a
/// multiple of an access's size gives an aligned address. PCI BARs and `ioremap` mappings are
/// at least this aligned; memory handed to [`SysMem`](super::SysMem) is checked.
pub const REGION_ALIGN: usize = 8;

/// An untyped I/O region of at least `SIZE` bytes.
///
/// `Region` is a dynamically sized type: a `*mut Region<SIZE>` is a fat pointer whose metadata
/// is the region's length in bytes, known at runtime. `SIZE` is the part of that length known at
/// compile time, which lets accesses below `SIZE` be checked at build time.
///
/// Only regions give access by offset (`read32(0x10)`, the kernel's `register!` types): an
/// offset means nothing more than "some bytes in here", which is exactly what a region is. A
/// typed region has a layout, and accessing it by raw offset would bypass that layout.
///
/// Pointers to a `Region` can be made freely ([`Region::raw_from_parts`]); it is the backends
/// that promise, in their invariants, that the regions they hand out have a base aligned to
/// [`REGION_ALIGN`] and a length of at least `SIZE`.
///
/// # Examples
///
/// ```
/// use kio::io::Region;
/// use kernel::ptr::KnownSize;
///
/// let ptr = Region::<16>::raw_from_parts(core::ptr::null_mut(), 64);
/// assert_eq!(KnownSize::size(ptr), 64);
/// assert_eq!(Region::<16>::MIN_SIZE, 16);
/// ```
#[repr(transparent)]
pub struct Region<const SIZE: usize = 0> {
    bytes: [u8],
}

impl<const SIZE: usize> Region<SIZE> {
    /// The length, in bytes, that every region of this type has at least.
    pub const MIN_SIZE: usize = SIZE;

    /// Builds a pointer to the `len` bytes at `base`.
    ///
    /// Nothing is checked and nothing is dereferenced; it is the constructors of the backends
    /// that check `len` and the alignment of `base`.
    #[inline(always)]
    pub fn raw_from_parts(base: *mut u8, len: usize) -> *mut Self {
        // CAST: `Region` is a transparent wrapper around `[u8]`, so both pointers have the same
        // metadata (the length in bytes).
        core::ptr::slice_from_raw_parts_mut(base, len) as *mut Self
    }
}

impl<const SIZE: usize> KnownSize for Region<SIZE> {
    #[inline(always)]
    fn size(p: *const Self) -> usize {
        // CAST: same metadata, see `raw_from_parts`. The length of a `[u8]` is its size.
        (p as *const [u8]).len()
    }
}

// SAFETY: A region is a run of bytes: no fields to reorder, no padding.
unsafe impl<const SIZE: usize> super::IoLayout for Region<SIZE> {}

/// The one size-and-alignment check of every runtime cast: the start of `len` bytes at `base`
/// as a `U`, if `U` fits in them and `base` is aligned for it (else `EINVAL`).
///
/// The returned pointer is `base` (same address and provenance), typed as `U`.
#[inline]
pub(super) fn checked_cast<U>(base: *mut u8, len: usize) -> kernel::error::Result<*mut U> {
    let ptr = base.cast::<U>();
    if len < size_of::<U>() || !ptr.is_aligned() {
        return Err(kernel::error::code::EINVAL);
    }
    Ok(ptr)
}

/// Reinterprets the start of `region` as a `U`, if it fits and is aligned (else `EINVAL`).
#[inline]
pub(super) fn try_cast<const SIZE: usize, U>(
    region: *mut Region<SIZE>,
) -> kernel::error::Result<*mut U> {
    checked_cast(region.cast::<u8>(), KnownSize::size(region))
}

/// Reinterprets the start of `region` as a `U`; the build fails unless `SIZE` and
/// [`REGION_ALIGN`] prove that `U` fits and is aligned.
#[inline(always)]
pub(super) fn cast<const SIZE: usize, U>(region: *mut Region<SIZE>) -> *mut U {
    kernel::build_assert::build_assert!(
        size_of::<U>() <= SIZE,
        "the region's SIZE is smaller than the type it is cast to"
    );
    kernel::build_assert::build_assert!(
        align_of::<U>() <= REGION_ALIGN,
        "the type needs more alignment than a Region guarantees"
    );
    region.cast::<U>()
}
