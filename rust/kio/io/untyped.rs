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
//! The kernel's `IoCapable` contract only promises that an address is in bounds. The kernel's
//! accessors always pass aligned addresses (they check `offset % size == 0` and a region's base
//! is 8-byte aligned), and for them the alignment check below compiles away. A direct caller
//! that passes an unaligned address gets the access split into byte accesses, which is harmless
//! for memory but not what a side-effecting register expects: do not do that.

use super::{
    Io,
    IoCapable,
    Mmio,
    Region,
    SysMem,
    REGION_ALIGN, //
};

/// The primitives that untyped accessors move, with their little-endian byte forms.
///
/// Used only on the slow path for an address that is not aligned for the access.
trait Prim: Copy {
    type Bytes: Copy + AsRef<[u8]> + AsMut<[u8]>;
    const ZERO: Self::Bytes;
    fn from_le(bytes: Self::Bytes) -> Self;
    fn to_le(self) -> Self::Bytes;
}

macro_rules! prim {
    ($($ty:ty),*) => {$(
        impl Prim for $ty {
            type Bytes = [u8; size_of::<$ty>()];
            const ZERO: Self::Bytes = [0; size_of::<$ty>()];
            #[inline(always)]
            fn from_le(bytes: Self::Bytes) -> Self {
                <$ty>::from_le_bytes(bytes)
            }
            #[inline(always)]
            fn to_le(self) -> Self::Bytes {
                self.to_le_bytes()
            }
        }
    )*};
}

prim!(u8, u16, u32, u64);

/// Turns an address handed to the kernel's `IoCapable` back into a pointer into `io`'s region.
#[inline(always)]
fn region_ptr<B: Io + ?Sized, U>(io: &B, address: usize) -> *mut U {
    // `with_addr` keeps the provenance of the region's pointer.
    io.as_ptr().cast::<u8>().with_addr(address).cast::<U>()
}

/// Reads a `U` at `address` of `io`'s region.
///
/// # Safety
///
/// `address..address + size_of::<U>()` lies within the region of `io`.
#[inline(always)]
unsafe fn read_at<B, U>(io: &B, address: usize) -> U
where
    B: IoCapable<U> + IoCapable<u8>,
    U: Prim,
{
    let ptr = region_ptr::<B, U>(io, address);
    if ptr.is_aligned() {
        // SAFETY: In bounds (caller), aligned (just checked), derived from `as_ptr`.
        return unsafe { IoCapable::<U>::io_read(io, ptr) };
    }
    // The kernel's `IoCapable` contract does not promise alignment, so an unaligned address is
    // served byte by byte rather than by an access the backend cannot do.
    let mut bytes = U::ZERO;
    for (i, byte) in bytes.as_mut().iter_mut().enumerate() {
        // SAFETY: Byte `i < size_of::<U>()` of an in-bounds range; `u8` is always aligned.
        *byte = unsafe { IoCapable::<u8>::io_read(io, ptr.cast::<u8>().wrapping_add(i)) };
    }
    U::from_le(bytes)
}

/// Writes `value` at `address` of `io`'s region.
///
/// # Safety
///
/// `address..address + size_of::<U>()` lies within the region of `io`.
#[inline(always)]
unsafe fn write_at<B, U>(io: &B, address: usize, value: U)
where
    B: IoCapable<U> + IoCapable<u8>,
    U: Prim,
{
    let ptr = region_ptr::<B, U>(io, address);
    if ptr.is_aligned() {
        // SAFETY: In bounds (caller), aligned (just checked), derived from `as_ptr`.
        return unsafe { IoCapable::<U>::io_write(io, ptr, value) };
    }
    for (i, byte) in value.to_le().as_ref().iter().enumerate() {
        // SAFETY: Byte `i < size_of::<U>()` of an in-bounds range; `u8` is always aligned.
        unsafe { IoCapable::<u8>::io_write(io, ptr.cast::<u8>().wrapping_add(i), *byte) };
    }
}

/// Implements the kernel's `io` traits for a backend over `Region<SIZE>`.
macro_rules! region_io {
    ($([$($gen:tt)*] $backend:ty;)*) => {$(
        impl<$($gen)*, const SIZE: usize> kernel::io::Io for $backend {
            #[inline(always)]
            fn addr(&self) -> usize {
                let addr = self.as_ptr().cast::<u8>().addr();
                // SAFETY: Every backend's invariant makes a `Region` base aligned to
                // `REGION_ALIGN`. Telling the compiler lets it drop the alignment checks of
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
            Self: IoCapable<$ty> + IoCapable<u8>,
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
