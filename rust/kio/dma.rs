// SPDX-License-Identifier: GPL-2.0

//! [`CoherentView`]: views of DMA-coherent memory (the kernel's `dma::Coherent`), which know the
//! address the device sees.

use crate::io::{
    kept_copy_from,
    kept_copy_to,
    IoBackend,
    IoBase,
    IoCapable,
    IoCopyable,
    SysMem,
    SysMemBackend, //
};
use core::marker::PhantomData;
use kernel::{
    dma::{
        Coherent,
        DmaAddress, //
    },
    prelude::*,
    ptr::KnownSize, //
};

/// A view of a part of a DMA-coherent allocation, laid out as `T`.
///
/// `&Coherent<T>` is the starting point ([`IoBase`]): `io_read!(&coherent, .field)`,
/// `io_project!(coherent, .queue[try: i])`. Accesses are those of [`SysMem`] (volatile loads and
/// stores, fenced copies). A view also knows where the device sees its memory:
/// [`CoherentView::dma_address`].
///
/// As upstream's, a view carries the DMA address of its first byte, and a projection moves it
/// by the distance it moves the CPU pointer. Unlike upstream's, that arithmetic wraps (it
/// cannot overflow: both addresses stay within one allocation) instead of being checked, so it
/// has no panic path: where the DMA address is never read, the compiler removes its
/// computation, and a field access through a projection costs what a hand-written volatile
/// access costs.
///
/// # Invariants
///
/// - `ptr` points into the live allocation of a `Coherent` borrowed for `'a`: its
///   `KnownSize::size(ptr)` bytes are within it, aligned for `T`, readable and writable by the
///   CPU, and every write through a view writes a valid value of the view's own type;
/// - `dma` is the address the device uses for the first byte of the view.
///
/// # Examples
///
/// ```
/// use kio::{dma::CoherentView, io::Io};
/// use kernel::{device::{Bound, Device}, dma::Coherent};
///
/// #[repr(C)]
/// #[derive(FromBytes, IntoBytes)]
/// struct Ring { head: u32, tail: u32, slots: [u64; 16] }
///
/// // SAFETY: Primitives only, no padding (the `IntoBytes` derive checks it).
/// unsafe impl kernel::transmute::FromBytes for Ring {}
/// // SAFETY: As above.
/// unsafe impl kernel::transmute::AsBytes for Ring {}
///
/// fn setup(dev: &Device<Bound>) -> Result {
///     let ring = Coherent::<Ring>::zeroed(dev, GFP_KERNEL)?;
///     kio::io_write!(&ring, .head, 3);
///     let slots: CoherentView<'_, [u64]> = kio::io_project!(&ring, .slots[try: 4..8]);
///     assert_eq!(slots.len(), 4);
///     assert_eq!(slots.dma_address(), ring.dma_handle() + 8 + 4 * 8);
///     Ok(())
/// }
/// ```
pub struct CoherentView<'a, T: ?Sized> {
    ptr: *mut T,
    dma: DmaAddress,
    _alloc: PhantomData<&'a ()>,
}

impl<T: ?Sized> Clone for CoherentView<'_, T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for CoherentView<'_, T> {}

// SAFETY: Coherent memory is shared with a device, and the kernel shares it between CPUs the
// same way: single accesses are marked (volatile) accesses of aligned primitives, the kernel's
// sanctioned races, and copies rely on the driver's ownership protocol, as for `&Coherent<T>`,
// which is `Sync` too. `T: Sync` as for a shared reference.
unsafe impl<T: ?Sized + Sync> Send for CoherentView<'_, T> {}

// SAFETY: As for `Send`: `&CoherentView` only copies the address.
unsafe impl<T: ?Sized + Sync> Sync for CoherentView<'_, T> {}

impl<'a, T: ?Sized> CoherentView<'a, T> {
    /// Returns the address the device uses for the first byte of this view.
    ///
    /// Projections keep it up to date with wrapping arithmetic, which the compiler drops where
    /// the address is never read.
    #[inline(always)]
    pub fn dma_address(self) -> DmaAddress {
        self.dma
    }

    /// Returns the same memory as a [`SysMem`] view, which forgets the DMA address.
    #[inline(always)]
    pub fn as_sys_mem(self) -> SysMem<'a, T> {
        // SAFETY: CPU-accessible memory, aligned and live for `'a`, written only with valid
        // values of the views' types (invariant); other CPUs and the device reach it with
        // marked accesses, or copy under the driver's ownership protocol, which is what the
        // `SysMem::new` contract allows.
        unsafe { SysMem::new(self.ptr) }
    }

    /// Returns the raw CPU pointer of this view. Never turn it into a reference while the
    /// device may access the memory.
    #[inline(always)]
    pub fn as_ptr(self) -> *mut T {
        self.ptr
    }
}

impl<'a, T: ?Sized + FromBytes> CoherentView<'a, T> {
    /// Returns a shared reference to the memory of this view.
    ///
    /// Only for `FromBytes` types: the device may have written any bytes.
    ///
    /// # Safety
    ///
    /// While the reference lives, neither the device nor any CPU writes this memory.
    #[inline(always)]
    pub unsafe fn as_ref(self) -> &'a T {
        // SAFETY: Aligned, live for `'a` (invariant); any bytes are a valid `T` (`FromBytes`);
        // no writer while it lives (the caller's promise).
        unsafe { &*self.ptr }
    }
}

impl<'a, T: ?Sized + FromBytes + IntoBytes> CoherentView<'a, T> {
    /// Returns an exclusive reference to the memory of this view.
    ///
    /// # Safety
    ///
    /// While the reference lives, neither the device nor any CPU reads or writes this memory,
    /// and no other reference to it or view access exists.
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn as_mut(self) -> &'a mut T {
        // SAFETY: As for `as_ref`, with exclusivity from the caller; anything written is bytes
        // the device can take (`IntoBytes`).
        unsafe { &mut *self.ptr }
    }
}

impl<'a, T: ?Sized + KnownSize> IoBase<'a> for CoherentView<'a, T> {
    type Backend = CoherentIoBackend;
    type Target = T;

    #[inline(always)]
    fn as_view(self) -> Self {
        self
    }
}

impl<'a, T: ?Sized + KnownSize> IoBase<'a> for &'a Coherent<T> {
    type Backend = CoherentIoBackend;
    type Target = T;

    #[inline(always)]
    fn as_view(self) -> CoherentView<'a, T> {
        let ptr = self.as_mut_ptr();
        // INVARIANT: `Coherent`'s invariants make `as_mut_ptr()` the live allocation of
        // `KnownSize::size` bytes for as long as the `Coherent` (borrowed for `'a`), readable
        // and writable by the CPU, holding a valid `T`. It is aligned for `T`:
        // `dma_alloc_coherent` aligns an allocation to at least the power of two of pages that
        // holds it. `dma_handle()` is the device's address of its first byte, `ptr` the CPU's.
        CoherentView {
            ptr,
            dma: self.dma_handle(),
            _alloc: PhantomData,
        }
    }
}

/// The backend of [`CoherentView`]: the accesses of [`SysMem`].
pub struct CoherentIoBackend;

// SAFETY: `as_ptr` returns the view's own pointer, which its invariants make exactly its
// bytes, aligned; `project_view` keeps the allocation's offset and takes the given part. There
// are no `Region` views of coherent memory (no constructor makes one).
unsafe impl IoBackend for CoherentIoBackend {
    type View<'a, T: ?Sized + KnownSize> = CoherentView<'a, T>;

    #[inline(always)]
    fn as_ptr<'a, T: ?Sized + KnownSize>(view: Self::View<'a, T>) -> *mut T {
        view.ptr
    }

    #[inline(always)]
    unsafe fn project_view<'a, T: ?Sized + KnownSize, U: ?Sized + KnownSize>(
        view: Self::View<'a, T>,
        ptr: *mut U,
    ) -> Self::View<'a, U> {
        // The distance cannot wrap: `ptr` is within `view` (the caller's promise), at or after
        // its first byte. Wrapping arithmetic only keeps overflow checks, which cannot fire, out
        // of the code.
        let distance = ptr
            .cast::<u8>()
            .addr()
            .wrapping_sub(view.ptr.cast::<u8>().addr());
        // INVARIANT: `ptr` is within the view, aligned for `U` (the caller's promise), so within
        // the same allocation; the device sees its first byte `distance` bytes after the view's.
        // CAST: A distance within an allocation fits in a DMA address, which is at least as
        // wide as a pointer on every architecture with DMA.
        CoherentView {
            ptr,
            dma: view.dma.wrapping_add(distance as DmaAddress),
            _alloc: PhantomData,
        }
    }
}

impl<T> IoCapable<T> for CoherentIoBackend
where
    SysMemBackend: IoCapable<T>,
{
    #[inline(always)]
    fn io_read(view: CoherentView<'_, T>) -> T {
        SysMemBackend::io_read(view.as_sys_mem())
    }

    #[inline(always)]
    fn io_write(view: CoherentView<'_, T>, value: T) {
        SysMemBackend::io_write(view.as_sys_mem(), value)
    }
}

// SAFETY: Each `copy_from_io` copies all of the view's bytes into `buffer`.
unsafe impl IoCopyable for CoherentIoBackend {
    #[inline(always)]
    unsafe fn copy_from_io(view: CoherentView<'_, [u8]>, buffer: *mut u8) {
        // SAFETY: The view's bytes are readable (invariant); `buffer` is writable for as many
        // and disjoint (the caller's promise). That the device does not write them meanwhile is
        // the driver's ownership protocol (see `kio::io`'s `memory` documentation).
        unsafe { kept_copy_from(view.ptr.cast::<u8>(), buffer, view.ptr.len()) }
    }

    #[inline(always)]
    unsafe fn copy_to_io(view: CoherentView<'_, [u8]>, buffer: *const u8) {
        // SAFETY: As for `copy_from_io`, with the roles swapped.
        unsafe { kept_copy_to(buffer, view.ptr.cast::<u8>(), view.ptr.len()) }
    }
}
