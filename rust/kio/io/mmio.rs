// SPDX-License-Identifier: GPL-2.0

//! [`Mmio`] and [`RelaxedMmio`]: memory-mapped I/O backends.

use super::{
    region,
    Io,
    IoCapable,
    IoCopy,
    IoLayout,
    MmioRaw,
    Region, //
};
use core::marker::PhantomData;
use kernel::{
    bindings,
    ffi::c_void,
    prelude::*,
    ptr::KnownSize, //
};

/// Access ordering of an [`Mmio`] backend: the ordered `readX`/`writeX` family.
pub enum Ordered {}

/// Access ordering of an [`Mmio`] backend: the `readX_relaxed`/`writeX_relaxed` family.
pub enum Relaxed {}

/// Mapped I/O memory laid out as `T`, valid for the lifetime `'a`.
///
/// `Mmio` is a copyable handle: the mapping belongs to somebody else (a PCI BAR, an `IoMem`)
/// and `'a` is the borrow of that owner. Accesses use the ordered `readX`/`writeX` functions;
/// [`RelaxedMmio`] (from [`Mmio::relaxed`]) uses the relaxed ones.
///
/// # Invariants
///
/// For all of `'a`, `raw` points to `raw.size()` bytes of mapped I/O memory that `readX` and
/// `writeX` (and their relaxed forms) may access. `raw` is aligned for `T`; if `T` is a
/// [`Region`], it is aligned to [`REGION_ALIGN`](super::REGION_ALIGN) and at least `SIZE` bytes long.
///
/// # Examples
///
/// ```
/// use kio::io::{Mmio, Region};
///
/// fn id(bar: &kernel::pci::Bar<'_, 0x100>) -> Result<u32> {
///     let mmio = Mmio::<Region<0x100>>::from_kernel(bar)?;
///     // The kernel's untyped accessors, checked at build time against 0x100.
///     Ok(kernel::io::Io::read32(&mmio, 0x0))
/// }
/// ```
pub struct Mmio<'a, T: ?Sized + KnownSize, O = Ordered> {
    raw: MmioRaw<T>,
    _mapping: PhantomData<(&'a (), O)>,
}

/// [`Mmio`] with relaxed ordering: `readX_relaxed`/`writeX_relaxed`.
///
/// Relaxed accesses are not ordered against normal memory accesses (for example DMA buffers);
/// use them for registers whose ordering the driver handles itself.
pub type RelaxedMmio<'a, T> = Mmio<'a, T, Relaxed>;

impl<T: ?Sized + KnownSize, O> Clone for Mmio<'_, T, O> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized + KnownSize, O> Copy for Mmio<'_, T, O> {}

// SAFETY: `Mmio` is an address of I/O memory; the `readX`/`writeX` accessors may be used from
// any thread, and moving the handle does not move the memory.
unsafe impl<T: ?Sized + KnownSize, O> Send for Mmio<'_, T, O> {}

// SAFETY: Every access through `&Mmio` is a `readX`/`writeX` call or a `memcpy_fromio` /
// `memcpy_toio`, which the kernel allows from several threads at once (what the device makes of
// concurrent accesses is the driver's concern, as in C).
unsafe impl<T: ?Sized + KnownSize, O> Sync for Mmio<'_, T, O> {}

impl<'a, T: ?Sized + KnownSize + IoLayout> Mmio<'a, T> {
    /// Makes a backend out of a raw pointer.
    ///
    /// # Safety
    ///
    /// For all of `'a`, `raw` must point to `raw.size()` bytes of mapped I/O memory valid for
    /// `readX`/`writeX`, aligned for `T`; for a [`Region`], aligned to [`REGION_ALIGN`](super::REGION_ALIGN) and at
    /// least `SIZE` bytes long.
    #[inline(always)]
    pub unsafe fn from_raw(raw: MmioRaw<T>) -> Self {
        // INVARIANT: The caller guarantees the mapping, its size and alignment for `'a`.
        Self {
            raw,
            _mapping: PhantomData,
        }
    }
}

impl<'a, T: ?Sized + KnownSize> Mmio<'a, T> {
    /// Returns the same mapping with relaxed ordering.
    #[inline(always)]
    pub fn relaxed(self) -> RelaxedMmio<'a, T> {
        // INVARIANT: Same mapping; the invariant covers the relaxed accessors too.
        Mmio {
            raw: self.raw,
            _mapping: PhantomData,
        }
    }
}

impl<T: ?Sized + KnownSize, O> Mmio<'_, T, O> {
    /// Returns the raw pointer of the mapping.
    #[inline(always)]
    pub fn raw(&self) -> MmioRaw<T> {
        self.raw
    }
}

impl<'a, const SIZE: usize> Mmio<'a, Region<SIZE>> {
    /// Borrows a kernel `io::Mmio` mapping (a PCI BAR, an `IoMem`) as a [`Region`].
    ///
    /// Fails with `EINVAL` if the mapping is not aligned to [`REGION_ALIGN`](super::REGION_ALIGN) (PCI BARs and
    /// `ioremap` mappings always are).
    #[inline]
    pub fn from_kernel(io: &'a kernel::io::Mmio<SIZE>) -> Result<Self> {
        use kernel::io::Io as _;

        // The memory is only ever reached through the C accessors (`readX`, `memcpy_fromio`),
        // never dereferenced by Rust, so which provenance the pointer carries does not matter.
        let base = core::ptr::with_exposed_provenance_mut::<c_void>(io.addr());
        let raw = MmioRaw::<Region<SIZE>>::from_region_parts(base, io.maxsize())?;
        // SAFETY: The only way to get a `&kernel::io::Mmio` is `kernel::io::Mmio::from_raw`,
        // whose callers guarantee that `addr()..addr() + maxsize()` is a valid I/O mapping for
        // as long as the returned reference lives; `io` is such a reference, borrowed for `'a`.
        // `from_region_parts` checked the alignment and `maxsize() >= SIZE`.
        Ok(unsafe { Self::from_raw(raw) })
    }
}

impl<'a, const SIZE: usize, O> Mmio<'a, Region<SIZE>, O> {
    /// Views the start of the region as a `U`, checking size and alignment at runtime.
    ///
    /// Fails with `EINVAL` if the region is shorter than `U` or not aligned for it.
    #[inline]
    pub fn try_cast<U: IoLayout>(self) -> Result<Mmio<'a, U, O>> {
        let ptr = region::try_cast::<SIZE, U>(self.raw.as_ptr())?;
        // INVARIANT: `try_cast` checked that `U` fits and is aligned; same mapping.
        Ok(Mmio {
            raw: MmioRaw::new(ptr),
            _mapping: PhantomData,
        })
    }

    /// Views the start of the region as a `U`, checked at build time.
    ///
    /// The build fails unless `SIZE` covers `U` and [`REGION_ALIGN`](super::REGION_ALIGN) satisfies its alignment.
    #[inline(always)]
    pub fn cast<U: IoLayout>(self) -> Mmio<'a, U, O> {
        // INVARIANT: `region::cast` proves at build time that `U` fits and is aligned.
        Mmio {
            raw: MmioRaw::new(region::cast::<SIZE, U>(self.raw.as_ptr())),
            _mapping: PhantomData,
        }
    }
}

// SAFETY: By the invariants, `raw` points to `raw.size()` bytes of mapped I/O memory that the
// `readX`/`writeX` and `memcpy_fromio`/`memcpy_toio` used below may access, aligned for `T`,
// for all of `'a`; `raw` never changes.
unsafe impl<T: ?Sized + KnownSize, O> Io for Mmio<'_, T, O> {
    type Target = T;

    #[inline(always)]
    fn as_ptr(&self) -> *mut T {
        self.raw.as_ptr()
    }
}

macro_rules! mmio_accessors {
    ($order:ty: $($(#[$attr:meta])* $ty:ty => $read:ident, $write:ident;)*) => {$(
        $(#[$attr])*
        // SAFETY: One `readX`/`writeX` call (or its relaxed form), nothing else.
        unsafe impl<T: ?Sized + KnownSize> IoCapable<$ty> for Mmio<'_, T, $order> {
            #[inline(always)]
            unsafe fn io_read(&self, ptr: *mut $ty) -> $ty {
                // SAFETY: The caller keeps `ptr` inside the region and aligned; by the type
                // invariant the region is mapped I/O memory for as long as `self` lives.
                unsafe { bindings::$read(ptr.cast::<c_void>().cast_const()) }
            }

            #[inline(always)]
            unsafe fn io_write(&self, ptr: *mut $ty, value: $ty) {
                // SAFETY: As for `io_read`.
                unsafe { bindings::$write(value, ptr.cast::<c_void>()) }
            }
        }
    )*};
}

mmio_accessors!(Ordered:
    u8 => readb, writeb;
    u16 => readw, writew;
    u32 => readl, writel;
    #[cfg(CONFIG_64BIT)]
    u64 => readq, writeq;
);

mmio_accessors!(Relaxed:
    u8 => readb_relaxed, writeb_relaxed;
    u16 => readw_relaxed, writew_relaxed;
    u32 => readl_relaxed, writel_relaxed;
    #[cfg(CONFIG_64BIT)]
    u64 => readq_relaxed, writeq_relaxed;
);

// SAFETY: `memcpy_fromio`/`memcpy_toio` copy all `len` bytes.
unsafe impl<T: ?Sized + KnownSize, O> IoCopy for Mmio<'_, T, O> {
    #[inline(always)]
    unsafe fn copy_from_region(&self, src: *const u8, dst: *mut u8, len: usize) {
        // SAFETY: The caller keeps `src..src + len` inside the mapping (mapped for as long as
        // `self` lives, by the type invariant) and makes `dst` writable for `len` bytes.
        unsafe { bindings::memcpy_fromio(dst.cast(), src.cast(), len) }
    }

    #[inline(always)]
    unsafe fn copy_to_region(&self, src: *const u8, dst: *mut u8, len: usize) {
        // SAFETY: As for `copy_from_region`, with the roles of `src` and `dst` swapped.
        unsafe { bindings::memcpy_toio(dst.cast(), src.cast(), len) }
    }
}

super::view::root_view! {
    ['m, T: ?Sized + KnownSize, O] Mmio<'m, T, O>;
}
