// SPDX-License-Identifier: GPL-2.0

//! Copying whole values in and out of I/O regions: `copy_read`, `copy_write`,
//! `copy_to_slice` and `copy_from_slice`.
//!
//! These have `memcpy` semantics, and only those:
//!
//! - the bytes are copied, in no particular order and with no particular access width;
//! - there is no atomicity: a device writing the region meanwhile can leave a torn value;
//! - there is no ordering beyond the backend's own: MMIO uses `memcpy_fromio`/`memcpy_toio`,
//!   DMA-coherent and system memory the kernel's `memcpy`. Use the kernel's barriers (or
//!   [`io_read!`](crate::io_read)/[`io_write!`](crate::io_write) of a flag) to order them;
//! - every copy is performed, in full, where it stands in the program: the compiler may not
//!   drop one whose result looks unused, merge it with other accesses, or answer it from bytes
//!   it read before (the device may have changed them).
//!
//! A large value can be read straight into the caller's memory with
//! [`View::copy_read_into`], without the copy of the return value that `copy_read` may cost.
//!
//! They replace the 7.2 kernel's `dma_read!`/`dma_write!` of whole structs, whose meaning was
//! never more than this.
//!
//! The value types are bounded on zerocopy's `FromBytes` (reads) and `IntoBytes` (writes), not
//! on the kernel's hand-implemented `transmute` traits: zerocopy's are derived (a hand-written
//! implementation takes an `unsafe impl`), and the derive checks every field, which is what keeps the access rights of a block's fields (see
//! [`ReadOnly`](super::ReadOnly)) out of reach of a whole-value copy.

use super::{
    Io,
    View, //
};
use kernel::prelude::*;

/// A backend that can copy bytes in and out of its region.
///
/// # Safety
///
/// Both methods copy all `len` bytes: [`View::copy_read`] treats its destination as
/// initialised afterwards.
pub unsafe trait IoCopy: Io {
    /// Copies `len` bytes from the region at `src` to `dst`.
    ///
    /// # Safety
    ///
    /// `src` is derived from [`Io::as_ptr`] and its `len` bytes lie within the region; `dst` is
    /// valid for writes of `len` bytes and does not overlap the region.
    unsafe fn copy_from_region(&self, src: *const u8, dst: *mut u8, len: usize);

    /// Copies `len` bytes from `src` into the region at `dst`.
    ///
    /// # Safety
    ///
    /// `dst` is derived from [`Io::as_ptr`] and its `len` bytes lie within the region; `src` is
    /// valid for reads of `len` bytes and does not overlap the region.
    unsafe fn copy_to_region(&self, src: *const u8, dst: *mut u8, len: usize);
}

impl<B: IoCopy + ?Sized, T> View<'_, B, T> {
    /// Reads the whole value this view covers, with `memcpy` semantics (see the module
    /// documentation).
    #[inline]
    pub fn copy_read(&self) -> T
    where
        T: FromBytes,
    {
        let mut value = core::mem::MaybeUninit::<T>::uninit();
        // SAFETY: By the view's invariants its `size_of::<T>()` bytes are within the backend's
        // region and derived from it; `value` is a local of that size.
        unsafe {
            self.backend().copy_from_region(
                Io::as_ptr(self).cast::<u8>().cast_const(),
                value.as_mut_ptr().cast::<u8>(),
                size_of::<T>(),
            )
        };
        // SAFETY: All `size_of::<T>()` bytes were written, and any bytes are a valid `T`
        // (`FromBytes`).
        unsafe { value.assume_init() }
    }

    /// Reads the whole value this view covers into `out`, with `memcpy` semantics.
    ///
    /// The same as `*out = self.copy_read()`, but the bytes go straight into `out`: for a large
    /// `T` this saves a copy through the stack.
    #[inline]
    pub fn copy_read_into(&self, out: &mut T)
    where
        T: FromBytes,
    {
        // SAFETY: By the view's invariants its `size_of::<T>()` bytes are within the backend's
        // region and derived from it; `out` is an exclusive borrow of that size, and disjoint
        // from the view's bytes (a reference into a region only comes from the unsafe
        // `as_mut`, whose contract forbids accessing its bytes through a view); any bytes are a
        // valid `T`.
        unsafe {
            self.backend().copy_from_region(
                Io::as_ptr(self).cast::<u8>().cast_const(),
                core::ptr::from_mut(out).cast::<u8>(),
                size_of::<T>(),
            )
        };
    }

    /// Writes `value` over the whole of this view, with `memcpy` semantics.
    #[inline]
    pub fn copy_write(&self, value: T)
    where
        T: IntoBytes,
    {
        // SAFETY: As for `copy_read`; `value` is a local, and `IntoBytes` makes all its bytes
        // initialised.
        unsafe {
            self.backend().copy_to_region(
                core::ptr::from_ref(&value).cast::<u8>(),
                Io::as_ptr(self).cast::<u8>(),
                size_of::<T>(),
            )
        };
    }
}

impl<B: IoCopy + ?Sized, T> View<'_, B, [T]> {
    /// Copies the elements of this view into `dst`, with `memcpy` semantics.
    ///
    /// Fails with `EINVAL` unless `dst` has as many elements as the view.
    #[inline]
    pub fn copy_to_slice(&self, dst: &mut [T]) -> Result
    where
        T: FromBytes,
    {
        let ptr = Io::as_ptr(self);
        if dst.len() != ptr.len() {
            return Err(EINVAL);
        }
        // SAFETY: The view's bytes are within the region (invariant); `dst` is a distinct
        // exclusive borrow of the same size, and any bytes are a valid `T`.
        unsafe {
            self.backend().copy_from_region(
                ptr.cast::<u8>().cast_const(),
                dst.as_mut_ptr().cast::<u8>(),
                size_of_val(dst),
            )
        };
        Ok(())
    }

    /// Copies `src` over the elements of this view, with `memcpy` semantics.
    ///
    /// Fails with `EINVAL` unless `src` has as many elements as the view.
    #[inline]
    pub fn copy_from_slice(&self, src: &[T]) -> Result
    where
        T: IntoBytes,
    {
        let ptr = Io::as_ptr(self);
        if src.len() != ptr.len() {
            return Err(EINVAL);
        }
        // SAFETY: As for `copy_to_slice`; `IntoBytes` makes all bytes of `src` initialised.
        unsafe {
            self.backend().copy_to_region(
                src.as_ptr().cast::<u8>(),
                ptr.cast::<u8>(),
                size_of_val(src),
            )
        };
        Ok(())
    }
}
