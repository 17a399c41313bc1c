// SPDX-License-Identifier: GPL-2.0

//! [`SysMem`]: ordinary memory as an I/O backend.

use super::{
    region,
    Io,
    IoLayout,
    Region,
    REGION_ALIGN, //
};
use core::marker::PhantomData;
use kernel::{
    prelude::*,
    ptr::KnownSize, //
};

/// Ordinary kernel memory, exclusively borrowed, accessed like I/O memory: volatile loads and
/// stores for single accesses, plain copies for whole values.
///
/// Useful for testing code that is generic over [`Io`] without a device (for memory a device
/// shares, use `dma::Coherent`).
///
/// `SysMem` is `Send` (it is an exclusive borrow) but not `Sync`: its copies are ordinary
/// memory copies, which must not race, so it and its views stay on one thread at a time.
///
/// # Invariants
///
/// For all of `'a`, `ptr` is valid for reads and writes of `KnownSize::size(ptr)` bytes, is
/// aligned for `T` (to [`REGION_ALIGN`] for a [`Region`], which is then at least `SIZE` bytes
/// long), and nothing but this backend accesses that memory. The memory was borrowed as a type
/// for which every bit pattern is valid (bytes, or a `FromBytes` type), so any bytes written
/// leave it valid for its owner.
///
/// # Examples
///
/// ```
/// use kio::io::{Region, SysMem};
/// use kernel::io::Io;
///
/// let mut words = [0u64; 4];
/// let mem = SysMem::<Region<32>>::from_bytes(kernel::transmute::AsBytes::as_bytes_mut(&mut words))?;
/// mem.write32(0xdead_beef, 0x8);
/// assert_eq!(mem.read32(0x8), 0xdead_beef);
/// assert!(mem.try_read32(0x20).is_err());
/// # Ok::<(), kernel::error::Error>(())
/// ```
pub struct SysMem<'a, T: ?Sized + KnownSize> {
    ptr: *mut T,
    _borrow: PhantomData<&'a mut T>,
}

// SAFETY: A `SysMem` is an exclusive borrow of the memory (`&'a mut T`), and moving an
// exclusive borrow to another thread is sound when `T` may be sent.
unsafe impl<T: ?Sized + KnownSize + Send> Send for SysMem<'_, T> {}

impl<'a, T: FromBytes + IntoBytes> SysMem<'a, T> {
    /// Borrows `mem` exclusively for `'a` and accesses it through the backend.
    ///
    /// zerocopy's `FromBytes` makes every value a primitive access may leave behind a valid
    /// `T`; `IntoBytes` gives `T` a defined layout without padding (and no access rights: a
    /// block with a [`ReadOnly`](super::ReadOnly) field is neither).
    #[inline(always)]
    pub fn new(mem: &'a mut T) -> Self {
        // INVARIANT: A `&'a mut T` is valid, aligned and exclusive for `'a`, and its size is
        // `size_of::<T>()`, which is what `KnownSize` reports for a sized type; `FromBytes`
        // makes every bit pattern a valid `T`.
        Self {
            ptr: core::ptr::from_mut(mem),
            _borrow: PhantomData,
        }
    }
}

impl<'a, T: FromBytes + IntoBytes> SysMem<'a, [T]> {
    /// Borrows the slice `mem` exclusively for `'a` and accesses it through the backend.
    #[inline(always)]
    pub fn from_slice(mem: &'a mut [T]) -> Self {
        // INVARIANT: As for `new`; the slice pointer keeps the length, so `KnownSize` reports
        // exactly the borrowed `len * size_of::<T>()` bytes.
        Self {
            ptr: core::ptr::from_mut(mem),
            _borrow: PhantomData,
        }
    }
}

impl<'a, const SIZE: usize> SysMem<'a, Region<SIZE>> {
    /// Borrows `bytes` exclusively for `'a` as a [`Region`].
    ///
    /// Fails with `EINVAL` if `bytes` is shorter than `SIZE` or does not start at a multiple
    /// of [`REGION_ALIGN`].
    #[inline]
    pub fn from_bytes(bytes: &'a mut [u8]) -> Result<Self> {
        if bytes.len() < SIZE || bytes.as_ptr().addr() % REGION_ALIGN != 0 {
            return Err(EINVAL);
        }
        // INVARIANT: Checked above; a `&'a mut [u8]` is valid and exclusive for `'a`, and bytes
        // have no invalid bit patterns.
        Ok(Self {
            ptr: Region::raw_from_parts(bytes.as_mut_ptr(), bytes.len()),
            _borrow: PhantomData,
        })
    }

    /// Views the start of the region as a `U`, checking size and alignment at runtime.
    ///
    /// Fails with `EINVAL` if the region is shorter than `U` or not aligned for it.
    #[inline]
    pub fn try_cast<U: IoLayout>(self) -> Result<SysMem<'a, U>> {
        let ptr = region::try_cast::<SIZE, U>(self.ptr)?;
        // INVARIANT: `U` fits and is aligned (checked); the bytes are ours for `'a`, and they
        // stay bytes for their owner whatever is written.
        Ok(SysMem {
            ptr,
            _borrow: PhantomData,
        })
    }

    /// Views the start of the region as a `U`, checked at build time.
    #[inline(always)]
    pub fn cast<U: IoLayout>(self) -> SysMem<'a, U> {
        // INVARIANT: `region::cast` proves at build time that `U` fits and is aligned.
        SysMem {
            ptr: region::cast::<SIZE, U>(self.ptr),
            _borrow: PhantomData,
        }
    }
}

// SAFETY: By the invariants, `ptr` is valid, aligned memory of `KnownSize::size(ptr)` bytes
// that only this backend accesses, for all of `'a`; the pointer never changes.
unsafe impl<T: ?Sized + KnownSize> Io for SysMem<'_, T> {
    type Target = T;

    #[inline(always)]
    fn as_ptr(&self) -> *mut T {
        self.ptr
    }
}

super::memory::memory_backend!(
    ['m, T: ?Sized + KnownSize] SysMem<'m, T>
);

super::view::root_view! {
    ['m, T: ?Sized + KnownSize] SysMem<'m, T>;
}
