// SPDX-License-Identifier: GPL-2.0

//! Typed I/O regions: views, the backends behind them, and the traits that access them.
//!
//! # The model
//!
//! A region of device or shared memory is described by a raw pointer `*mut T` whose type lays the
//! region out: a `#[repr(C)]` register block, an array, a slice, or [`Region`] (untyped bytes).
//! The pointer also carries the region's size (through the kernel's `KnownSize`). A **view** is
//! such a pointer wrapped in a type that says how to reach the memory:
//!
//! | view | backend | single accesses | copies | made from |
//! |---|---|---|---|---|
//! | [`Mmio<'a, T>`](Mmio) | [`MmioBackend`] | `readX`/`writeX` | `memcpy_{from,to}io` | `&pci::Bar`, `&IoMem`, [`Mmio::from_raw`] |
//! | [`RelaxedMmio<'a, T>`](RelaxedMmio) | [`RelaxedMmioBackend`] | `readX_relaxed`/`writeX_relaxed` | as `Mmio` | [`Mmio::relaxed`] |
//! | [`SysMem<'a, T>`](SysMem) | [`SysMemBackend`] | volatile loads/stores | fenced `memcpy` | `&mut` memory, or [`SysMem::new`] |
//! | [`CoherentView<'a, T>`](crate::dma::CoherentView) | [`CoherentIoBackend`](crate::dma::CoherentIoBackend) | as `SysMem` | as `SysMem` | `&dma::Coherent<T>` |
//! | [`IoSysMap<'a, T>`](IoSysMap) | [`IoSysMapBackend`] | chosen at run time | chosen at run time | a `Mmio` or a `SysMem` |
//! | [`ConfigSpace<'a, T>`](crate::pci::ConfigSpace) | [`ConfigSpaceBackend`](crate::pci::ConfigSpaceBackend) | `pci_{read,write}_config_*` | none | `&pci::ConfigSpace` |
//!
//! Every view implements [`View`], and everything that a projection can start from (a view, or a
//! handle such as `&Coherent<T>` or `&pci::Bar`) implements [`IoBase`], which turns it into the
//! view of its whole region. The [`Io`] trait gives all of them the same methods (`read_val`,
//! `copy_read`, `try_cast`, `read32`, ...), and the [`io_project!`](crate::io_project),
//! [`io_read!`](crate::io_read) and [`io_write!`](crate::io_write) macros go from a view to a
//! view of one of its parts.
//!
//! The names and shapes are those of Linux 7.3's `kernel::io`, so that I/O code written for 7.3
//! builds against kio once `kernel::` is renamed `kio::`. What kio adds (access rights,
//! build-time casts, slice copies that return errors, safe `SysMem` constructors) lives under
//! names that 7.3 does not use, mostly in [`IoExt`]; `Documentation/kio/upstream.rst` lists the
//! differences.
//!
//! I/O memory is never referenced with `&`/`&mut`: the compiler may read through a reference
//! whenever it likes, and a spurious read of a device register can have side effects. Every
//! access goes through the backend's accessors.

use kernel::ptr::KnownSize;

mod access;
mod ext;
mod memory;
mod mmio;
mod ops;
mod project;
#[doc(hidden)]
pub use project::projection_step_is_one_field;
mod raw;
mod region;
mod sysmap;
mod sysmem;
mod view;

#[doc(hidden)]
pub use access::assert_io_layout;
pub use access::{
    IoLayout,
    Plain,
    ReadOnly,
    ReadPure,
    Readable,
    Writable,
    WriteOnly, //
};
pub use ext::IoExt;
pub(crate) use memory::{
    kept_copy_from,
    kept_copy_to, //
};
pub use mmio::{
    Mmio,
    MmioBackend,
    RelaxedMmio,
    RelaxedMmioBackend, //
};
pub use ops::{
    Io,
    IoLoc, //
};
pub use raw::MmioRaw;
pub use region::{
    KnownMinSize,
    Region,
    REGION_ALIGN, //
};
pub use sysmap::{
    IoSysMap,
    IoSysMapBackend, //
};
pub use sysmem::{
    SysMem,
    SysMemBackend, //
};
#[doc(hidden)]
pub use view::ProjectStart;
pub use view::View;

/// How a family of views reaches its memory: the view type, and how to move from a view to a
/// view of a part of it.
///
/// A backend is a type without values (such as [`MmioBackend`]); its views are values of
/// [`IoBackend::View`]. Which single accesses a backend can make is said by [`IoCapable`], and
/// whether it can copy by [`IoCopyable`].
///
/// Implementing a backend is how a new kind of memory joins kio. A view type's constructor is
/// where its validity is established (it is `unsafe`, or checks what it is given); the trait
/// methods carry that validity from a view to its parts.
///
/// # Safety
///
/// kio's generic code (`io_project!`, [`Io`], [`IoExt`]) computes parts of a view from
/// `as_ptr` and hands them to `project_view`, trusting that:
///
/// - `as_ptr(view)` describes exactly the memory of `view`: `KnownSize::size` of it is the
///   number of bytes the view may access, and it is aligned for `T`;
/// - `project_view(view, ptr)`, for a `ptr` within those bytes, returns a view of exactly the
///   bytes `ptr` describes;
/// - a view of a [`Region<SIZE>`](Region) is at least `SIZE` bytes long (the build-time checked
///   accessors and [`IoExt::cast`] rely on it) and starts aligned to [`REGION_ALIGN`], unless
///   an unaligned access through the backend cannot be undefined behaviour. MMIO is such a
///   backend: its accesses are the kernel's C accessors, and a kernel mapping's alignment is
///   its creator's to give, as for the kernel's own accessors.
///
/// This is stricter than upstream's (safe) trait: kio does not let a backend written without
/// `unsafe` make kio's own checks wrong.
pub unsafe trait IoBackend {
    /// The view of a `T` reached through this backend.
    type View<'a, T: ?Sized + KnownSize>: IoBase<'a, Backend = Self, Target = T>;

    /// Returns the pointer that describes `view`: its address and, in its metadata or type, its
    /// size.
    ///
    /// The pointer is the backend's business: it may point into I/O memory, or (for PCI
    /// configuration space) not point at memory at all. It is never dereferenced by generic
    /// code, and must never be turned into a reference.
    fn as_ptr<'a, T: ?Sized + KnownSize>(view: Self::View<'a, T>) -> *mut T;

    /// Returns the view of the part of `view` that `ptr` describes.
    ///
    /// # Safety
    ///
    /// `ptr` is a projection of `Self::as_ptr(view)`: derived from it, its `KnownSize::size`
    /// bytes within the bytes of `view`, and aligned for `U`.
    unsafe fn project_view<'a, T: ?Sized + KnownSize, U: ?Sized + KnownSize>(
        view: Self::View<'a, T>,
        ptr: *mut U,
    ) -> Self::View<'a, U>;
}

/// A backend that moves a `T` in one access.
///
/// Implemented for each primitive the backend can access in one go: MMIO for `u8`, `u16`,
/// `u32` and, on 64-bit kernels, `u64`; PCI configuration space for `u8`, `u16` and `u32`.
#[diagnostic::on_unimplemented(
    message = "the I/O backend `{Self}` cannot move a `{T}` in one access",
    label = "no single access of this type",
    note = "read_val/write_val and io_read!/io_write! move one primitive (u8, u16, u32, u64 on 64-bit); a struct or an array moves with copy_read()/copy_write(), or field by field"
)]
pub trait IoCapable<T>: IoBackend {
    /// Reads the `T` that `view` covers, in one access.
    fn io_read(view: Self::View<'_, T>) -> T;

    /// Writes `value` to the `T` that `view` covers, in one access.
    fn io_write(view: Self::View<'_, T>, value: T);
}

/// A backend that copies bytes between its memory and ordinary memory.
///
/// Copies have no atomicity: the bytes may move in any order and width.
///
/// # Safety
///
/// `copy_from_io` writes every one of the `KnownSize::size` bytes of `buffer` that it is given
/// (the default [`IoCopyable::copy_read`] and kio's copies take the buffer as initialised
/// afterwards). Upstream's trait is safe; kio's is not, so that a backend written without
/// `unsafe` cannot hand out uninitialised memory.
#[diagnostic::on_unimplemented(
    message = "the I/O backend `{Self}` cannot copy",
    note = "move single primitives with read_val/write_val (io_read!/io_write!)"
)]
pub unsafe trait IoCopyable: IoBackend {
    /// Copies the bytes of `view` to `buffer`.
    ///
    /// # Safety
    ///
    /// `buffer` is valid for writes of `KnownSize::size` of `view` bytes and does not overlap
    /// the memory of `view`.
    unsafe fn copy_from_io(view: Self::View<'_, [u8]>, buffer: *mut u8);

    /// Copies bytes from `buffer` to the memory of `view`.
    ///
    /// # Safety
    ///
    /// `buffer` is valid for reads of `KnownSize::size` of `view` bytes and does not overlap
    /// the memory of `view`.
    unsafe fn copy_to_io(view: Self::View<'_, [u8]>, buffer: *const u8);

    /// Copies the `T` that `view` covers out of the region.
    #[inline(always)]
    fn copy_read<T: zerocopy::FromBytes>(view: Self::View<'_, T>) -> T {
        let mut value = core::mem::MaybeUninit::<T>::uninit();
        // SAFETY: `value` is a local of `size_of::<T>()` bytes, the size of `view`.
        unsafe { Self::copy_from_io(view::as_bytes::<Self, T>(view), value.as_mut_ptr().cast()) };
        // SAFETY: `copy_from_io` wrote every byte (the trait's contract), and any bytes are a
        // valid `T` (`FromBytes`).
        unsafe { value.assume_init() }
    }

    /// Copies `value` into the `T` that `view` covers. `value`'s destructor does not run (it
    /// now lives in the region, as bytes).
    #[inline(always)]
    fn copy_write<T: zerocopy::IntoBytes>(view: Self::View<'_, T>, value: T) {
        let value = core::mem::ManuallyDrop::new(value);
        // SAFETY: `value` is a local of `size_of::<T>()` bytes, all initialised (`IntoBytes`).
        unsafe {
            Self::copy_to_io(
                view::as_bytes::<Self, T>(view),
                core::ptr::from_ref(&*value).cast(),
            )
        };
    }
}

/// What a projection or an [`Io`] method can start from: a view, or a handle of a whole region
/// (`&dma::Coherent<T>`, `&pci::Bar`, `&io::mem::IoMem`).
///
/// Implemented on cheap `Copy` handles (views and references), so the methods of [`Io`] take
/// `self` by value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an I/O region kio can reach",
    label = "not a kio view or I/O handle",
    note = "start from a view (Mmio, SysMem, CoherentView, ...) or a reference to a region: `&Coherent<T>`, `&pci::Bar`, `&IoMem`"
)]
pub trait IoBase<'a>: Copy {
    /// How the region is reached.
    type Backend: IoBackend;

    /// The layout of the region: a type, a slice, or [`Region`].
    type Target: ?Sized + KnownSize;

    /// Returns the view of the whole region.
    fn as_view(self) -> <Self::Backend as IoBackend>::View<'a, Self::Target>;
}
