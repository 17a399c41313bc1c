// SPDX-License-Identifier: GPL-2.0

//! [`IoSysMap`]: a view whose memory is chosen at run time, I/O memory or system memory, like C's
//! `struct iosys_map`.

use super::{
    IoBackend,
    IoBase,
    IoCapable,
    IoCopyable,
    Mmio,
    MmioBackend,
    SysMem,
    SysMemBackend, //
};
use kernel::ptr::KnownSize;

/// A view of either mapped I/O memory or system memory, decided when it is made.
///
/// Code that handles a buffer which may live in either (a framebuffer in VRAM or in RAM, a
/// firmware image) takes one type, and each access picks the right accessors. Projections keep
/// the choice.
///
/// # Examples
///
/// ```
/// use kio::io::{Io, IoSysMap, SysMem};
///
/// let mut words = [0u32; 4];
/// let map: IoSysMap<'_, [u32; 4]> = SysMem::from_mut(&mut words).into();
/// kio::io_write!(map, [build: 2], 9);
/// assert_eq!(kio::io_read!(map, [build: 2]), 9);
/// ```
pub enum IoSysMap<'a, T: ?Sized> {
    /// Mapped I/O memory.
    Io(Mmio<'a, T>),
    /// System memory.
    Sys(SysMem<'a, T>),
}

impl<T: ?Sized> Clone for IoSysMap<'_, T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for IoSysMap<'_, T> {}

impl<'a, T: ?Sized> From<Mmio<'a, T>> for IoSysMap<'a, T> {
    #[inline(always)]
    fn from(view: Mmio<'a, T>) -> Self {
        Self::Io(view)
    }
}

impl<'a, T: ?Sized> From<SysMem<'a, T>> for IoSysMap<'a, T> {
    #[inline(always)]
    fn from(view: SysMem<'a, T>) -> Self {
        Self::Sys(view)
    }
}

impl<'a, T: ?Sized + KnownSize> IoBase<'a> for IoSysMap<'a, T> {
    type Backend = IoSysMapBackend;
    type Target = T;

    #[inline(always)]
    fn as_view(self) -> Self {
        self
    }
}

/// The backend of [`IoSysMap`]: each call goes to the backend of the variant.
pub struct IoSysMapBackend;

// SAFETY: Each function is the variant's backend's, whose views are the variants: what
// `MmioBackend` and `SysMemBackend` promise holds for this enum of their views.
unsafe impl IoBackend for IoSysMapBackend {
    type View<'a, T: ?Sized + KnownSize> = IoSysMap<'a, T>;

    #[inline(always)]
    fn as_ptr<'a, T: ?Sized + KnownSize>(view: Self::View<'a, T>) -> *mut T {
        match view {
            IoSysMap::Io(v) => MmioBackend::as_ptr(v),
            IoSysMap::Sys(v) => SysMemBackend::as_ptr(v),
        }
    }

    #[inline(always)]
    unsafe fn project_view<'a, T: ?Sized + KnownSize, U: ?Sized + KnownSize>(
        view: Self::View<'a, T>,
        ptr: *mut U,
    ) -> Self::View<'a, U> {
        match view {
            // SAFETY: `as_ptr` of the variant is `as_ptr` of the whole, so the caller's promise
            // about it holds for the variant's view.
            IoSysMap::Io(v) => IoSysMap::Io(unsafe { MmioBackend::project_view(v, ptr) }),
            // SAFETY: As above.
            IoSysMap::Sys(v) => IoSysMap::Sys(unsafe { SysMemBackend::project_view(v, ptr) }),
        }
    }
}

impl<T> IoCapable<T> for IoSysMapBackend
where
    MmioBackend: IoCapable<T>,
    SysMemBackend: IoCapable<T>,
{
    #[inline(always)]
    fn io_read(view: IoSysMap<'_, T>) -> T {
        match view {
            IoSysMap::Io(v) => MmioBackend::io_read(v),
            IoSysMap::Sys(v) => SysMemBackend::io_read(v),
        }
    }

    #[inline(always)]
    fn io_write(view: IoSysMap<'_, T>, value: T) {
        match view {
            IoSysMap::Io(v) => MmioBackend::io_write(v, value),
            IoSysMap::Sys(v) => SysMemBackend::io_write(v, value),
        }
    }
}

// SAFETY: Each `copy_from_io` copies all of the view's bytes into `buffer`.
unsafe impl IoCopyable for IoSysMapBackend {
    #[inline(always)]
    unsafe fn copy_from_io(view: IoSysMap<'_, [u8]>, buffer: *mut u8) {
        match view {
            // SAFETY: The caller's promise, for the variant's view of the same bytes.
            IoSysMap::Io(v) => unsafe { MmioBackend::copy_from_io(v, buffer) },
            // SAFETY: As above.
            IoSysMap::Sys(v) => unsafe { SysMemBackend::copy_from_io(v, buffer) },
        }
    }

    #[inline(always)]
    unsafe fn copy_to_io(view: IoSysMap<'_, [u8]>, buffer: *const u8) {
        match view {
            // SAFETY: The caller's promise, for the variant's view of the same bytes.
            IoSysMap::Io(v) => unsafe { MmioBackend::copy_to_io(v, buffer) },
            // SAFETY: As above.
            IoSysMap::Sys(v) => unsafe { SysMemBackend::copy_to_io(v, buffer) },
        }
    }
}
