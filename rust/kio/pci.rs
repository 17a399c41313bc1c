// SPDX-License-Identifier: GPL-2.0

//! PCI configuration space as an I/O backend: [`ConfigSpace`].
//!
//! The starting point is the kernel's own configuration space handle, `&pci::ConfigSpace`
//! (from `pdev.config_space()` or `pdev.config_space_extended()?`). With `kio::io::Io` in
//! scope, `pdev.config_space().read16(0x2)` reads the device ID, and a `#[repr(C)]` layout of
//! the header can be projected like any other region.

use crate::io::{
    IoBackend,
    IoBase,
    IoCapable,
    Region, //
};
use kernel::{
    io::{
        Io as KernelIo,
        IoCapable as KernelIoCapable, //
    },
    pci::{
        Extended,
        Normal, //
    },
    ptr::KnownSize,
};

/// The kernel's handle of the configuration space a view reaches.
#[derive(Clone, Copy)]
enum Space<'a> {
    Normal(&'a kernel::pci::ConfigSpace<'a, Normal>),
    Extended(&'a kernel::pci::ConfigSpace<'a, Extended>),
}

/// A view of a part of a PCI device's configuration space, laid out as `T`.
///
/// Configuration space is not memory: `ptr` holds the offset in configuration space as its
/// address (the whole space starts at address 0), and each access is one
/// `pci_{read,write}_config_{byte,word,dword}` call. There are no copies and no 64-bit
/// accesses.
///
/// # Invariants
///
/// `ptr`'s address is an offset in the configuration space of `space`'s device, and its
/// `KnownSize::size(ptr)` bytes end within that space (`maxsize()` of the kernel's handle); it
/// is aligned for `T`.
///
/// # Examples
///
/// ```
/// use kio::io::Io;
/// use kernel::{device::Bound, pci};
///
/// fn ids(pdev: &pci::Device<Bound>) -> (u16, u16) {
///     let cfg = pdev.config_space();
///     (cfg.read16(0x0), cfg.read16(0x2))
/// }
/// ```
pub struct ConfigSpace<'a, T: ?Sized> {
    space: Space<'a>,
    ptr: *mut T,
}

impl<T: ?Sized> Clone for ConfigSpace<'_, T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for ConfigSpace<'_, T> {}

// SAFETY: A view is a reference to the kernel's handle (which refers to a bound device) plus an
// offset; the configuration accessors may be called from any thread (they take the PCI
// configuration lock).
unsafe impl<T: ?Sized + Sync> Send for ConfigSpace<'_, T> {}

// SAFETY: As for `Send`.
unsafe impl<T: ?Sized + Sync> Sync for ConfigSpace<'_, T> {}

impl<'a, T: ?Sized + KnownSize> IoBase<'a> for ConfigSpace<'a, T> {
    type Backend = ConfigSpaceBackend;
    type Target = T;

    #[inline(always)]
    fn as_view(self) -> Self {
        self
    }
}

/// Makes `&'a pci::ConfigSpace<'_, Kind>` the starting point over the whole space.
macro_rules! whole_space {
    ($kind:ident, $size:literal) => {
        impl<'a, 'b: 'a> IoBase<'a> for &'a kernel::pci::ConfigSpace<'b, $kind> {
            type Backend = ConfigSpaceBackend;
            type Target = Region<$size>;

            #[inline(always)]
            fn as_view(self) -> ConfigSpace<'a, Region<$size>> {
                // INVARIANT: Offsets 0 to `maxsize()` (the device's configuration space size,
                // at least `$size` for this kind of handle: 256 for every device, 4096 for a
                // handle the kernel only gives out for extended spaces) are the space; 0 is
                // aligned to anything.
                ConfigSpace {
                    space: Space::$kind(self),
                    ptr: Region::ptr_from_raw_parts_mut(core::ptr::null_mut(), self.maxsize()),
                }
            }
        }
    };
}

whole_space!(Normal, 256);
whole_space!(Extended, 4096);

/// The backend of [`ConfigSpace`]: the kernel's configuration accessors.
pub struct ConfigSpaceBackend;

// SAFETY: `as_ptr` returns the view's offset pointer, which its invariants make exactly its
// part of the space; `project_view` keeps the device. A whole-space `Region` view is
// `maxsize()` long, the device's space size, which the kernel only reports as 256 or 4096, at
// least the 256 or 4096 of the handle's kind; it starts at 0, aligned to anything.
unsafe impl IoBackend for ConfigSpaceBackend {
    type View<'a, T: ?Sized + KnownSize> = ConfigSpace<'a, T>;

    #[inline(always)]
    fn as_ptr<'a, T: ?Sized + KnownSize>(view: Self::View<'a, T>) -> *mut T {
        view.ptr
    }

    #[inline(always)]
    unsafe fn project_view<'a, T: ?Sized + KnownSize, U: ?Sized + KnownSize>(
        view: Self::View<'a, T>,
        ptr: *mut U,
    ) -> Self::View<'a, U> {
        // INVARIANT: Within the view and aligned (the caller's promise), so within the space.
        ConfigSpace {
            space: view.space,
            ptr,
        }
    }
}

macro_rules! config_accesses {
    ($($ty:ty),*) => {$(
        impl IoCapable<$ty> for ConfigSpaceBackend {
            #[inline(always)]
            fn io_read(view: ConfigSpace<'_, $ty>) -> $ty {
                let offset = view.ptr.addr();
                match view.space {
                    // SAFETY: The access ends within the space (invariant), the kernel's bounds.
                    Space::Normal(s) => unsafe { KernelIoCapable::<$ty>::io_read(s, offset) },
                    // SAFETY: As above.
                    Space::Extended(s) => unsafe { KernelIoCapable::<$ty>::io_read(s, offset) },
                }
            }

            #[inline(always)]
            fn io_write(view: ConfigSpace<'_, $ty>, value: $ty) {
                let offset = view.ptr.addr();
                match view.space {
                    // SAFETY: As for `io_read`.
                    Space::Normal(s) => unsafe { KernelIoCapable::<$ty>::io_write(s, value, offset) },
                    // SAFETY: As for `io_read`.
                    Space::Extended(s) => unsafe {
                        KernelIoCapable::<$ty>::io_write(s, value, offset)
                    },
                }
            }
        }
    )*};
}

config_accesses!(u8, u16, u32);
