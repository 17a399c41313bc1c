// SPDX-License-Identifier: GPL-2.0

//! DMA-coherent memory (the kernel's `dma::Coherent<T>`) as an I/O backend.
//!
//! `Coherent<T>` is memory the CPU and a device share. The device may read or write it at any
//! time, so the CPU side is treated like I/O memory: single accesses are volatile, nothing is
//! referenced, and whole values move with [`copy_read`](super::View::copy_read) and
//! [`copy_write`](super::View::copy_write), whose copies are the kernel's `memcpy` fenced for
//! the compiler on both sides, so that a copy is always performed in full where it stands and
//! never answered from what the compiler remembers of the memory. A `CoherentBox` (CPU-only
//! until it is handed over) becomes a `Coherent` with `Coherent::from`.
//!
//! The backend is implemented for `T: FromBytes + AsBytes` (the kernel's byte traits, which
//! every constructor of `Coherent` requires), so that any bytes the device or a primitive write
//! leaves are a valid `T`, and for `T: IoLayout`, so that its fields are where the device
//! expects them. `Coherent` is `Sync`: accesses from several threads race like the device's
//! do, each a single marked access under the kernel's memory model (see `memory.rs`), and
//! views of it may be sent to other threads.

use super::{
    view::root_view,
    Io,
    IoLayout,
    View, //
};
use kernel::{
    dma::Coherent,
    prelude::*,
    ptr::KnownSize,
    transmute::AsBytes, //
};

// SAFETY: `Coherent`'s invariants make `as_mut_ptr()` a pointer to the live allocation of
// `KnownSize::size` bytes for as long as the `Coherent` lives, unchanged. It is aligned for
// `T`: `dma_alloc_coherent` aligns an allocation to the power-of-two number of pages that
// holds it, which is at least its size, and the size of a (non-zero-sized, as the kernel's
// constructors require) `T` or `[T]` is a multiple of `align_of::<T>()`, so at least it. The
// memory is readable and writable by the CPU, and `FromBytes` makes any bytes a valid `T`.
unsafe impl<T: ?Sized + KnownSize + kernel::transmute::FromBytes + AsBytes + IoLayout> Io
    for Coherent<T>
{
    type Target = T;

    #[inline(always)]
    fn as_ptr(&self) -> *mut T {
        self.as_mut_ptr()
    }
}

super::memory::memory_backend!(
    [T: ?Sized + KnownSize + kernel::transmute::FromBytes + AsBytes + IoLayout] Coherent<T>
);

root_view! {
    [T: ?Sized + KnownSize + kernel::transmute::FromBytes + AsBytes + IoLayout] Coherent<T>;
}

impl<'a, T, U> View<'a, Coherent<T>, U>
where
    T: ?Sized + KnownSize + kernel::transmute::FromBytes + AsBytes + IoLayout,
    U: FromBytes,
{
    /// Returns a shared reference to the part of the coherent allocation this view covers.
    ///
    /// # Safety
    ///
    /// For as long as the reference lives, nothing writes to the covered bytes: neither the
    /// device (it has not been given the memory, or has been told to stop using it) nor the
    /// CPU through this or any other view or reference.
    #[inline(always)]
    pub unsafe fn as_ref(&self) -> &'a U {
        // SAFETY: The view is within the live allocation and aligned (invariants); zerocopy's
        // `U: FromBytes` makes any content a valid `U` (and is not implemented by a type with
        // a `ReadOnly` or `WriteOnly` field); the caller rules out writers.
        unsafe { &*Io::as_ptr(self) }
    }
}

impl<'a, T, U> View<'a, Coherent<T>, U>
where
    T: ?Sized + KnownSize + kernel::transmute::FromBytes + AsBytes + IoLayout,
    U: FromBytes + IntoBytes,
{
    /// Returns an exclusive reference to the part of the coherent allocation this view covers.
    ///
    /// # Safety
    ///
    /// For as long as the reference lives, the covered bytes are accessed through it only: not
    /// by the device, and not by the CPU through any view (this one included, or a copy of it)
    /// or other reference.
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn as_mut(&self) -> &'a mut U {
        // SAFETY: As for `as_ref`, with exclusivity from the caller; any value written through
        // the reference is representable as bytes (`IntoBytes`) for the device.
        unsafe { &mut *Io::as_ptr(self) }
    }
}
