// SPDX-License-Identifier: GPL-2.0

//! Untyped, offset-based access to [`Region`]s through the kernel's `io` traits.
//!
//! Every backend whose target is a [`Region`] implements the kernel's `io::Io`, `IoKnownSize`
//! and `IoCapable`. That brings the kernel's own accessors with it: `read8`..`write64` (offset
//! checked at build time against `SIZE`), `try_read8`..`try_write64` (checked at runtime,
//! `EINVAL` when out of bounds or unaligned), and `read`/`write`/`update` for the types that the
//! kernel's `register!` macro generates. A typed target gets none of these: its layout is
//! reached by projection, not by raw offsets.
//!
//! The kernel's `IoCapable` contract only promises that an address is in bounds, not that it is
//! aligned. The kernel's accessors always pass aligned addresses (they check `offset % size ==
//! 0`, and a region's base is aligned to `REGION_ALIGN`), and for them the alignment check
//! below compiles away. A direct caller that passes an unaligned address is refused: the read
//! returns all ones (what a PCI read that nobody answers returns) and the write is dropped, with
//! a warning in the log. The access is never split into narrower ones, since a register
//! expects exactly one access of its own width, and never made unaligned, which memory
//! backends cannot do with one volatile access.

use super::{
    Io,
    IoCapable,
    Mmio,
    Region,
    SysMem,
    REGION_ALIGN, //
};
use kernel::prelude::*;

/// Turns an address handed to the kernel's `IoCapable` back into a pointer into `io`'s region.
#[inline(always)]
fn region_ptr<B: Io + ?Sized, U>(io: &B, address: usize) -> *mut U {
    // `with_addr` keeps the provenance of the region's pointer.
    io.as_ptr().cast::<u8>().with_addr(address).cast::<U>()
}

/// Logs the refusal of an unaligned untyped access (by offset: kernel addresses stay out of
/// the log).
#[cold]
fn refuse_unaligned(offset: usize, width: usize) {
    kernel::pr_warn_once!(
        "refused an untyped {}-byte access at unaligned offset {:#x}\n",
        width,
        offset
    );
}

/// Reads a `U` at `address` of `io`'s region; all ones if `address` is not aligned for `U`.
///
/// # Safety
///
/// `address..address + size_of::<U>()` lies within the region of `io`.
#[inline(always)]
unsafe fn read_at<B, U>(io: &B, address: usize) -> U
where
    B: IoCapable<U>,
    U: Ones,
{
    let ptr = region_ptr::<B, U>(io, address);
    if !ptr.is_aligned() {
        refuse_unaligned(
            address.wrapping_sub(io.as_ptr().cast::<u8>().addr()),
            size_of::<U>(),
        );
        return U::ONES;
    }
    // SAFETY: In bounds (caller), aligned (just checked), derived from `as_ptr`.
    unsafe { io.io_read(ptr) }
}

/// Writes `value` at `address` of `io`'s region; nothing if `address` is not aligned for `U`.
///
/// # Safety
///
/// `address..address + size_of::<U>()` lies within the region of `io`.
#[inline(always)]
unsafe fn write_at<B, U>(io: &B, address: usize, value: U)
where
    B: IoCapable<U>,
{
    let ptr = region_ptr::<B, U>(io, address);
    if !ptr.is_aligned() {
        refuse_unaligned(
            address.wrapping_sub(io.as_ptr().cast::<u8>().addr()),
            size_of::<U>(),
        );
        return;
    }
    // SAFETY: In bounds (caller), aligned (just checked), derived from `as_ptr`.
    unsafe { io.io_write(ptr, value) }
}

/// The value of a refused read: all bits set.
trait Ones {
    const ONES: Self;
}

macro_rules! ones {
    ($($ty:ty),*) => {$(
        impl Ones for $ty {
            const ONES: Self = <$ty>::MAX;
        }
    )*};
}

ones!(u8, u16, u32, u64);

/// Implements the kernel's `io` traits for a backend over `Region<SIZE>`.
macro_rules! region_io {
    ($([$($gen:tt)*] $backend:ty;)*) => {$(
        impl<$($gen)*, const SIZE: usize> kernel::io::Io for $backend {
            #[inline(always)]
            fn addr(&self) -> usize {
                let addr = self.as_ptr().cast::<u8>().addr();
                // SAFETY: Every backend's invariant makes a `Region` base aligned to
                // `REGION_ALIGN`: the only safe constructors of `Region` backends
                // (`Mmio::from_kernel` through `MmioRaw::from_region_parts`, `SysMem::from_bytes`)
                // check it, and `Mmio::from_raw` makes it its caller's duty. A new constructor
                // must do the same. Telling the compiler lets it drop the alignment checks of
                // `read_at`/`write_at` for offsets it can see.
                unsafe { core::hint::assert_unchecked(addr % REGION_ALIGN == 0) };
                addr
            }

            #[inline(always)]
            fn maxsize(&self) -> usize {
                Io::size(self)
            }
        }

        impl<$($gen)*, const SIZE: usize> kernel::io::IoKnownSize for $backend {
            // By the backends' invariants, a region is never shorter than `SIZE`.
            const MIN_SIZE: usize = SIZE;
        }

        region_io!(@prim [$($gen)*] $backend; u8);
        region_io!(@prim [$($gen)*] $backend; u16);
        region_io!(@prim [$($gen)*] $backend; u32);
        region_io!(@prim [$($gen)*] $backend; u64);
    )*};
    (@prim [$($gen:tt)*] $backend:ty; $ty:ty) => {
        impl<$($gen)*, const SIZE: usize> kernel::io::IoCapable<$ty> for $backend
        where
            Self: IoCapable<$ty>,
        {
            #[inline(always)]
            unsafe fn io_read(&self, address: usize) -> $ty {
                // SAFETY: The kernel's contract puts the range within the bounds of `self`.
                unsafe { read_at(self, address) }
            }

            #[inline(always)]
            unsafe fn io_write(&self, value: $ty, address: usize) {
                // SAFETY: The kernel's contract puts the range within the bounds of `self`.
                unsafe { write_at(self, address, value) }
            }
        }
    };
}

region_io! {
    ['a, O] Mmio<'a, Region<SIZE>, O>;
    ['a] SysMem<'a, Region<SIZE>>;
}
