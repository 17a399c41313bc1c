// SPDX-License-Identifier: GPL-2.0

//! [`SysMem`]: views of ordinary kernel memory, accessed like I/O memory.

use super::{
    memory,
    IoBackend,
    IoBase,
    IoCapable,
    IoCopyable,
    Region, //
};
use core::marker::PhantomData;
use kernel::{
    prelude::*,
    ptr::KnownSize, //
};

/// A view of ordinary memory, accessed with volatile loads and stores and with copies that the
/// compiler keeps.
///
/// `SysMem` serves memory that something besides this code may change or look at (a buffer
/// shared with a device, a firmware image), and code written once for I/O memory and memory
/// alike. [`SysMem::new`] takes a raw pointer, as upstream's does; kio adds safe constructors
/// from an exclusive borrow ([`SysMem::from_mut`], [`SysMem::from_mut_slice`],
/// [`SysMem::from_bytes`]).
///
/// # Invariants
///
/// For all of `'a`, `ptr` points to `KnownSize::size(ptr)` bytes of memory that the CPU may read
/// and write, aligned for `T`, whose bytes are valid for every access the view allows: a read
/// (`read_val`, `copy_read`) needs `FromBytes` or a primitive, for which any bytes are valid,
/// and every write writes a valid value of the view's own type, so the memory's owner keeps a
/// valid value of its own type. A `Region` view starts aligned to
/// [`REGION_ALIGN`](super::REGION_ALIGN) and is at least `SIZE` bytes long.
///
/// # Threads
///
/// A `SysMem` is neither `Send` nor `Sync`, unlike upstream's: it is `Copy`, and it usually
/// stands for a borrow of memory this thread owns (`from_mut`), which safe code must not be able
/// to hand to two threads at once. Memory shared with a device is [`dma::CoherentView`], which
/// is `Send` and `Sync` as upstream's, and whose copies, like upstream's, are plain `memcpy`s
/// that rely on the driver's ownership protocol when two parties could copy at once (see the
/// `memory` module documentation).
///
/// [`dma::CoherentView`]: crate::dma::CoherentView
pub struct SysMem<'a, T: ?Sized> {
    ptr: *mut T,
    _borrow: PhantomData<&'a ()>,
}

impl<T: ?Sized> Clone for SysMem<'_, T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for SysMem<'_, T> {}

impl<'a, T: ?Sized> SysMem<'a, T> {
    /// Makes a view of the memory at `ptr`.
    ///
    /// # Safety
    ///
    /// For all of `'a`:
    ///
    /// - `ptr` points to `KnownSize::size(ptr)` bytes that the CPU may read and write, aligned
    ///   for `T`, and that nothing reaches through a Rust reference while a view is used;
    /// - whoever owns the memory accepts every value of `T`'s parts that a view may write (a
    ///   view writes only valid values of its own type: a primitive, or a `copy_write` of an
    ///   `IntoBytes` value), and reads through views need `FromBytes` or a primitive, so any
    ///   bytes are fine for the view itself;
    /// - for a `Region<SIZE>`, `ptr` is aligned to [`REGION_ALIGN`](super::REGION_ALIGN) and
    ///   its length is at least `SIZE`;
    /// - if a device or other CPUs access the memory meanwhile, single accesses race only with
    ///   marked (volatile or atomic) accesses, and copies only as the caller's ownership
    ///   protocol allows (see the `memory` module documentation).
    #[inline(always)]
    pub unsafe fn new(ptr: *mut T) -> Self {
        // INVARIANT: The caller's promise.
        Self {
            ptr,
            _borrow: PhantomData,
        }
    }

    /// Returns the pointer this view covers. Never turn it into a reference while a view of the
    /// memory is in use.
    #[inline(always)]
    pub fn as_ptr(self) -> *mut T {
        self.ptr
    }
}

impl<'a, T: FromBytes + IntoBytes> SysMem<'a, T> {
    /// Makes a view of `mem`, borrowed exclusively for `'a`.
    ///
    /// `T` must accept any bytes and have no padding (zerocopy's `FromBytes` and `IntoBytes`),
    /// since the view can write any bytes to it.
    #[inline(always)]
    pub fn from_mut(mem: &'a mut T) -> Self {
        // INVARIANT: A `&'a mut T` is valid, aligned and exclusive for `'a`, and its size is
        // `size_of::<T>()`; `FromBytes` makes every bit pattern a valid `T`.
        Self {
            ptr: core::ptr::from_mut(mem),
            _borrow: PhantomData,
        }
    }
}

impl<'a, T: FromBytes + IntoBytes> SysMem<'a, [T]> {
    /// Makes a view of the slice `mem`, borrowed exclusively for `'a`.
    #[inline(always)]
    pub fn from_mut_slice(mem: &'a mut [T]) -> Self {
        // INVARIANT: As for `from_mut`; the slice pointer keeps the length.
        Self {
            ptr: core::ptr::from_mut(mem),
            _borrow: PhantomData,
        }
    }
}

impl<'a, const SIZE: usize> SysMem<'a, Region<SIZE>> {
    /// Makes an untyped view of `bytes`, borrowed exclusively for `'a`.
    ///
    /// Fails with `EINVAL` if `bytes` is shorter than `SIZE` or does not start aligned to
    /// [`REGION_ALIGN`](super::REGION_ALIGN).
    #[inline]
    pub fn from_bytes(bytes: &'a mut [u8]) -> Result<Self> {
        let ptr = Region::ptr_for_view(bytes.as_mut_ptr(), bytes.len())?;
        // INVARIANT: Length and alignment checked; a `&'a mut [u8]` is valid and exclusive for
        // `'a`, and bytes have no invalid bit patterns.
        Ok(Self {
            ptr,
            _borrow: PhantomData,
        })
    }
}

impl<'a, T: ?Sized + KnownSize> IoBase<'a> for SysMem<'a, T> {
    type Backend = SysMemBackend;
    type Target = T;

    #[inline(always)]
    fn as_view(self) -> Self {
        self
    }
}

/// The backend of [`SysMem`]: volatile loads and stores, fenced `memcpy`.
pub struct SysMemBackend;

// SAFETY: `as_ptr` returns the view's own pointer, which its invariants make exactly its
// bytes (a `Region` view at least `SIZE` long and `REGION_ALIGN`-aligned, checked by
// `from_bytes` and required by `new`); `project_view` wraps the given part.
unsafe impl IoBackend for SysMemBackend {
    type View<'a, T: ?Sized + KnownSize> = SysMem<'a, T>;

    #[inline(always)]
    fn as_ptr<'a, T: ?Sized + KnownSize>(view: Self::View<'a, T>) -> *mut T {
        view.ptr
    }

    #[inline(always)]
    unsafe fn project_view<'a, T: ?Sized + KnownSize, U: ?Sized + KnownSize>(
        _view: Self::View<'a, T>,
        ptr: *mut U,
    ) -> Self::View<'a, U> {
        // INVARIANT: `ptr` lies within `view`'s memory, aligned for `U` (the caller's promise);
        // reads through the new view still need `FromBytes` or a primitive, and its writes
        // write valid `U`s, which are valid bytes of whatever the projection came from (a field,
        // an element, or a `Plain` region, which any bytes are).
        SysMem {
            ptr,
            _borrow: PhantomData,
        }
    }
}

macro_rules! volatile_accesses {
    ($($(#[$attr:meta])* $ty:ty),*) => {$(
        $(#[$attr])*
        impl IoCapable<$ty> for SysMemBackend {
            #[inline(always)]
            fn io_read(view: SysMem<'_, $ty>) -> $ty {
                // SAFETY: Valid, aligned memory (invariant). A racing access of a device or of
                // another CPU (which the constructors restrict to marked accesses) is the
                // kernel's kind of race: one marked access of an aligned primitive no wider than
                // a machine word (see the module documentation of `memory`).
                unsafe { view.ptr.read_volatile() }
            }

            #[inline(always)]
            fn io_write(view: SysMem<'_, $ty>, value: $ty) {
                // SAFETY: As for `io_read`; any value of a primitive part keeps the whole valid
                // (invariant).
                unsafe { view.ptr.write_volatile(value) }
            }
        }
    )*};
}

volatile_accesses!(
    u8,
    u16,
    u32,
    #[cfg(CONFIG_64BIT)]
    u64
);

// SAFETY: Each `copy_from_io` copies all of the view's bytes into `buffer`.
unsafe impl IoCopyable for SysMemBackend {
    #[inline(always)]
    unsafe fn copy_from_io(view: SysMem<'_, [u8]>, buffer: *mut u8) {
        // SAFETY: The view's bytes are readable (invariant); `buffer` is writable for as many
        // and disjoint (the caller's promise).
        unsafe { memory::kept_copy_from(view.ptr.cast::<u8>(), buffer, view.ptr.len()) }
    }

    #[inline(always)]
    unsafe fn copy_to_io(view: SysMem<'_, [u8]>, buffer: *const u8) {
        // SAFETY: As for `copy_from_io`, with the roles swapped; a copy writes whole values of
        // the view's type, which keep the memory valid (invariant).
        unsafe { memory::kept_copy_to(buffer, view.ptr.cast::<u8>(), view.ptr.len()) }
    }
}
