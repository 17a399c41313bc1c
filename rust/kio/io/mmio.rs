// SPDX-License-Identifier: GPL-2.0

//! [`Mmio`] and [`RelaxedMmio`]: views of memory-mapped I/O, and the kernel's mappings (`&Bar`,
//! `&IoMem`, `&io::Mmio`) as their starting points.

use super::{
    IoBackend,
    IoBase,
    IoCapable,
    IoCopyable,
    MmioRaw,
    Region, //
};
use core::marker::PhantomData;
use kernel::{
    bindings,
    ffi::c_void,
    ptr::KnownSize, //
};

/// Defines a view type over mapped I/O memory and its backend.
macro_rules! mmio_view {
    (
        $(#[$doc:meta])*
        $view:ident, $backend:ident, $backend_doc:literal;
        $($(#[$attr:meta])* $ty:ty => $read:ident, $write:ident;)*
    ) => {
        $(#[$doc])*
        ///
        /// # Invariants
        ///
        /// For all of `'a`, `ptr` points to `KnownSize::size(ptr)` bytes of mapped I/O memory
        /// that the kernel's `readX`/`writeX` families and `memcpy_{from,to}io` may access,
        /// aligned for `T`. A `Region<SIZE>` view is at least `SIZE` bytes long and starts
        /// aligned to [`REGION_ALIGN`](super::REGION_ALIGN) (kio's constructors check both;
        /// for the kernel's own mappings, the alignment is what their creators, `pci_iomap` and
        /// `ioremap` of aligned resources, give, and what the kernel's own accessors assume).
        pub struct $view<'a, T: ?Sized> {
            ptr: *mut T,
            _mapping: PhantomData<&'a ()>,
        }

        impl<T: ?Sized> Clone for $view<'_, T> {
            #[inline(always)]
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<T: ?Sized> Copy for $view<'_, T> {}

        // SAFETY: A view is an address in a mapping that outlives it; the kernel's MMIO
        // accessors may be called from any thread. What the device makes of accesses from
        // several CPUs is the driver's concern, as in C.
        unsafe impl<T: ?Sized + Sync> Send for $view<'_, T> {}

        // SAFETY: As for `Send`: `&view` only copies the address.
        unsafe impl<T: ?Sized + Sync> Sync for $view<'_, T> {}

        impl<'a, T: ?Sized + KnownSize> IoBase<'a> for $view<'a, T> {
            type Backend = $backend;
            type Target = T;

            #[inline(always)]
            fn as_view(self) -> Self {
                self
            }
        }

        #[doc = $backend_doc]
        pub struct $backend;

        // SAFETY: `as_ptr` returns the view's own pointer, which its invariants make exactly its
        // bytes (a `Region` view at least `SIZE` long; its alignment is checked by kio's
        // constructors and is the creator's for kernel mappings, which MMIO's C accessors
        // allow); `project_view` wraps the given part.
        unsafe impl IoBackend for $backend {
            type View<'a, T: ?Sized + KnownSize> = $view<'a, T>;

            #[inline(always)]
            fn as_ptr<'a, T: ?Sized + KnownSize>(view: Self::View<'a, T>) -> *mut T {
                view.ptr
            }

            #[inline(always)]
            unsafe fn project_view<'a, T: ?Sized + KnownSize, U: ?Sized + KnownSize>(
                _view: Self::View<'a, T>,
                ptr: *mut U,
            ) -> Self::View<'a, U> {
                // INVARIANT: `ptr` lies within the view's mapped bytes, aligned for `U` (the
                // caller's promise), in the same mapping.
                $view {
                    ptr,
                    _mapping: PhantomData,
                }
            }
        }

        $(
            $(#[$attr])*
            impl IoCapable<$ty> for $backend {
                #[inline(always)]
                fn io_read(view: $view<'_, $ty>) -> $ty {
                    // SAFETY: Mapped, aligned I/O memory for as long as the view lives
                    // (invariant).
                    unsafe { bindings::$read(view.ptr.cast::<c_void>().cast_const()) }
                }

                #[inline(always)]
                fn io_write(view: $view<'_, $ty>, value: $ty) {
                    // SAFETY: As for `io_read`.
                    unsafe { bindings::$write(value, view.ptr.cast::<c_void>()) }
                }
            }
        )*

        // SAFETY: Each `copy_from_io` copies all of the view's bytes into `buffer`.
        unsafe impl IoCopyable for $backend {
            #[inline(always)]
            unsafe fn copy_from_io(view: $view<'_, [u8]>, buffer: *mut u8) {
                // SAFETY: The view's bytes are mapped (invariant); `buffer` is writable for as
                // many (the caller's promise).
                unsafe {
                    bindings::memcpy_fromio(
                        buffer.cast(),
                        view.ptr.cast::<c_void>().cast_const(),
                        view.ptr.len(),
                    )
                }
            }

            #[inline(always)]
            unsafe fn copy_to_io(view: $view<'_, [u8]>, buffer: *const u8) {
                // SAFETY: As for `copy_from_io`, with the roles swapped.
                unsafe {
                    bindings::memcpy_toio(view.ptr.cast::<c_void>(), buffer.cast(), view.ptr.len())
                }
            }
        }
    };
}

mmio_view! {
    /// A view of mapped I/O memory laid out as `T`, accessed with the ordered `readX`/`writeX`.
    ///
    /// `Mmio` is a `Copy` handle that borrows the mapping for `'a`: the mapping belongs to
    /// somebody else (a PCI BAR, an `IoMem`). A reference to the kernel's mapping is itself a
    /// starting point ([`IoBase`]), so `io_read!(bar, ...)`, `bar.read32(0x10)` and
    /// `bar.as_view()` work on a `&pci::Bar` directly.
    ///
    /// # Examples
    ///
    /// ```
    /// use kio::io::{Io, IoBase, IoExt, Mmio};
    ///
    /// #[repr(C)]
    /// #[derive(FromBytes, IntoBytes)]
    /// struct Regs { id: u32, control: u32 }
    ///
    /// fn start(bar: &kernel::pci::Bar<'_, 0x100>) -> u32 {
    ///     // Offsets of an untyped region, checked at build time against 0x100.
    ///     bar.write32(1, 0x4);
    ///     // The same through a layout.
    ///     let regs: Mmio<'_, Regs> = bar.as_view().cast();
    ///     kio::io_write!(regs, .control, 1);
    ///     kio::io_read!(regs, .id)
    /// }
    /// ```
    Mmio, MmioBackend, "The backend of [`Mmio`]: `readX`/`writeX`, `memcpy_{from,to}io`.";
    u8 => readb, writeb;
    u16 => readw, writew;
    u32 => readl, writel;
    #[cfg(CONFIG_64BIT)]
    u64 => readq, writeq;
}

mmio_view! {
    /// [`Mmio`] with relaxed ordering: `readX_relaxed`/`writeX_relaxed`.
    ///
    /// Relaxed accesses are not ordered against accesses to normal memory (DMA buffers
    /// included); use them for registers whose ordering the driver handles itself.
    RelaxedMmio, RelaxedMmioBackend, "The backend of [`RelaxedMmio`].";
    u8 => readb_relaxed, writeb_relaxed;
    u16 => readw_relaxed, writew_relaxed;
    u32 => readl_relaxed, writel_relaxed;
    #[cfg(CONFIG_64BIT)]
    u64 => readq_relaxed, writeq_relaxed;
}

impl<'a, T: ?Sized> Mmio<'a, T> {
    /// Makes a view of the mapping `raw` describes.
    ///
    /// # Safety
    ///
    /// For all of `'a`, `raw` points to `raw.size()` bytes of mapped I/O memory valid for the
    /// kernel's `readX`/`writeX` and `memcpy_{from,to}io`, aligned for `T`; for a
    /// `Region<SIZE>`, aligned to [`REGION_ALIGN`](super::REGION_ALIGN) and at least `SIZE`
    /// bytes long.
    #[inline(always)]
    pub unsafe fn from_raw(raw: MmioRaw<T>) -> Self {
        // INVARIANT: The caller's promise.
        Self {
            ptr: raw.as_ptr(),
            _mapping: PhantomData,
        }
    }

    /// Returns the same view with relaxed ordering.
    #[inline(always)]
    pub fn relaxed(self) -> RelaxedMmio<'a, T> {
        // INVARIANT: Same mapping; the relaxed accessors need nothing more.
        RelaxedMmio {
            ptr: self.ptr,
            _mapping: PhantomData,
        }
    }

    /// Returns the raw pointer of the view.
    #[inline(always)]
    pub fn raw(self) -> MmioRaw<T> {
        MmioRaw::from_ptr(self.ptr)
    }
}

/// The view of the whole of a kernel `io::Mmio` mapping.
#[inline(always)]
fn kernel_mapping<'a, const SIZE: usize>(io: &'a kernel::io::Mmio<SIZE>) -> Mmio<'a, Region<SIZE>> {
    use kernel::io::Io as _;

    let base = core::ptr::with_exposed_provenance_mut::<u8>(io.addr());
    // INVARIANT: A `&kernel::io::Mmio` only comes from `kernel::io::Mmio::from_raw`, whose
    // callers guarantee a valid mapping of `maxsize()` bytes at `addr()` for as long as the
    // reference lives (`'a`), and `maxsize() >= SIZE` (checked by the kernel's
    // `MmioRaw::new`). The memory is reached only through the C accessors, so the provenance
    // the pointer carries does not matter. Alignment: see the type's invariants.
    Mmio {
        ptr: Region::ptr_from_raw_parts_mut(base, io.maxsize()),
        _mapping: PhantomData,
    }
}

impl<'a, const SIZE: usize> IoBase<'a> for &'a kernel::io::Mmio<SIZE> {
    type Backend = MmioBackend;
    type Target = Region<SIZE>;

    #[inline(always)]
    fn as_view(self) -> Mmio<'a, Region<SIZE>> {
        kernel_mapping(self)
    }
}

/// Makes `&'a Handle` a starting point over the kernel mapping it dereferences to.
macro_rules! kernel_handles {
    ($($handle:ident)::*) => {
        impl<'a, const SIZE: usize> IoBase<'a> for &'a $($handle)::*<'_, SIZE> {
            type Backend = MmioBackend;
            type Target = Region<SIZE>;

            #[inline(always)]
            fn as_view(self) -> Mmio<'a, Region<SIZE>> {
                kernel_mapping(self)
            }
        }
    };
}

kernel_handles!(kernel::pci::Bar);
kernel_handles!(kernel::io::mem::IoMem);
kernel_handles!(kernel::io::mem::ExclusiveIoMem);
