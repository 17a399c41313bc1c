// SPDX-License-Identifier: GPL-2.0

//! Typed I/O regions and the backends that access them.
//!
//! The central idea: an I/O region is a raw pointer `*mut T` that carries both where the region
//! is and, through [`KnownSize`], how big it is. `T` is either a Rust type that describes the
//! layout (a `#[repr(C)]` register block, an array, a slice) or [`Region`], an untyped run of
//! bytes. A backend (a type implementing [`Io`]) owns or borrows such a pointer and knows how to
//! perform single accesses through it ([`IoCapable`]).
//!
//! | backend | accesses | made from |
//! |---|---|---|
//! | [`Mmio`] | `readX`/`writeX` (ordered) | a kernel `io::Mmio` (e.g. a PCI BAR) |
//! | [`RelaxedMmio`] | `readX_relaxed`/`writeX_relaxed` | [`Mmio::relaxed`] |
//! | `dma::Coherent` | volatile loads, stores and copies | the kernel's DMA API |
//! | [`SysMem`] | volatile loads and stores | a `&mut` borrow of ordinary memory |
//!
//! The untyped accessors (`read32`, `try_write8`, ...) and the kernel's `register!` types are
//! only available when the target is a [`Region`]; see [`Region`] for why.
//!
//! I/O memory is never referenced with `&`/`&mut`: the compiler may read through a reference
//! whenever it likes, and a spurious read of a device register can have side effects. All
//! access goes through raw pointers and the accessors of the backend.

use kernel::ptr::KnownSize;

mod access;
mod coherent;
mod copy;
mod memory;
mod mmio;
mod project;
#[doc(hidden)]
pub use project::projection_step_is_one_field;
mod raw;
mod region;
mod sysmem;
mod untyped;
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
pub use copy::IoCopy;
pub use mmio::{
    Mmio,
    Ordered,
    Relaxed,
    RelaxedMmio, //
};
pub use raw::MmioRaw;
pub use region::{
    Region,
    REGION_ALIGN, //
};
pub use sysmem::SysMem;
pub use view::{
    IntoView,
    View, //
};

/// An I/O region of type [`Io::Target`], reachable through a backend.
///
/// Implementors hand out the pointer that describes their region. The pointer itself is never
/// dereferenced by generic code; accesses happen through [`IoCapable`].
///
/// The trait is `unsafe` because kio builds views from its answers: a view of the whole region
/// starts at [`Io::as_ptr`] and spans [`Io::size`] bytes, and every access through a view trusts
/// both.
///
/// # Safety
///
/// For as long as `&self` lives, `as_ptr` returns the same pointer, whose `KnownSize::size`
/// bytes are memory that the backend's [`IoCapable`] and [`IoCopy`] implementations may access,
/// aligned for `Target` (to [`REGION_ALIGN`] for a [`Region`], which is then at least `SIZE`
/// bytes long), and `size` returns that size.
///
/// # Examples
///
/// ```
/// use kio::io::{Io, Region, SysMem};
///
/// let mut buf = [0u64; 4];
/// let mem = SysMem::new(&mut buf);
/// assert_eq!(mem.size(), 32);
///
/// let mut words = [0u64; 2];
/// let bytes = kernel::transmute::AsBytes::as_bytes_mut(&mut words);
/// let region = SysMem::<Region<8>>::from_bytes(bytes)?;
/// assert_eq!(region.size(), 16);
/// # Ok::<(), kernel::error::Error>(())
/// ```
pub unsafe trait Io {
    /// The type that lays out the region: a sized type, a slice or a [`Region`].
    type Target: ?Sized + KnownSize;

    /// Returns the pointer to the start of the region.
    ///
    /// The pointer carries the region's size in its metadata (for slices and [`Region`]) or in
    /// its type. It may point into I/O memory: never turn it into a reference.
    fn as_ptr(&self) -> *mut Self::Target;

    /// Returns the size of the region in bytes.
    #[inline(always)]
    fn size(&self) -> usize {
        KnownSize::size(self.as_ptr())
    }
}

/// A backend that can perform a single access of type `U`.
///
/// A backend implements this for each primitive it can access in one go, e.g. MMIO for `u8`,
/// `u16`, `u32` and, on 64-bit kernels, `u64`.
///
/// Implementations rely on the backend's own invariants (the region is mapped and alive) and on
/// the caller's promises below; together they make the access valid.
///
/// # Safety
///
/// `io_read` and `io_write` perform exactly one access of `size_of::<U>()` bytes at `ptr`
/// (one `readX`/`writeX`, or one volatile load or store), and nothing else.
#[diagnostic::on_unimplemented(
    message = "the I/O backend `{Self}` cannot access a `{U}` in one go",
    note = "io_read!/io_write! move the primitives a backend supports; use copy_read()/copy_write() otherwise"
)]
pub unsafe trait IoCapable<U>: Io {
    /// Reads a `U` from `ptr`.
    ///
    /// # Safety
    ///
    /// - `ptr` is derived from [`Io::as_ptr`] of `self` (it has the same provenance);
    /// - the `size_of::<U>()` bytes at `ptr` lie within the `self.size()` bytes of the region;
    /// - `ptr` is aligned to `align_of::<U>()`.
    unsafe fn io_read(&self, ptr: *mut U) -> U;

    /// Writes `value` to `ptr`.
    ///
    /// # Safety
    ///
    /// The same requirements as [`IoCapable::io_read`].
    unsafe fn io_write(&self, ptr: *mut U, value: U);
}
