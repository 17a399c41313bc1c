// SPDX-License-Identifier: GPL-2.0

//! Accessors shared by the backends over ordinary memory ([`SysMem`](super::SysMem) and the
//! kernel's `dma::Coherent`): volatile single accesses and plain copies.

/// Implements `IoCapable<u8..u64>` (volatile loads and stores) and `IoCopy` (plain copies) for
/// a memory backend.
///
/// The backend's invariant must make its whole region valid for reads and writes, by any bit
/// pattern, for as long as the backend lives.
macro_rules! memory_backend {
    ([$($gen:tt)*] $backend:ty) => {
        $crate::io::memory::memory_backend!(@each [$($gen)*] $backend; u8, u16, u32, u64);

        impl<$($gen)*> $crate::io::IoCopy for $backend {
            #[inline(always)]
            unsafe fn copy_from_region(&self, src: *const u8, dst: *mut u8, len: usize) {
                // SAFETY: The caller keeps `src..src + len` inside the region, valid while
                // `self` lives (backend invariant), and makes `dst` writable and disjoint.
                unsafe { core::ptr::copy_nonoverlapping(src, dst, len) }
            }

            #[inline(always)]
            unsafe fn copy_to_region(&self, src: *const u8, dst: *mut u8, len: usize) {
                // SAFETY: As for `copy_from_region`, with the roles swapped; any bytes keep the
                // region valid (backend invariant).
                unsafe { core::ptr::copy_nonoverlapping(src, dst, len) }
            }
        }
    };
    // The generics travel as one bracketed token tree, so they can be repeated per primitive.
    (@each $gen:tt $backend:ty; $($ty:ty),*) => {$(
        $crate::io::memory::memory_backend!(@one $gen $backend; $ty);
    )*};
    (@one [$($gen:tt)*] $backend:ty; $ty:ty) => {
        impl<$($gen)*> $crate::io::IoCapable<$ty> for $backend {
            #[inline(always)]
            unsafe fn io_read(&self, ptr: *mut $ty) -> $ty {
                // SAFETY: The caller keeps `ptr` inside the region, aligned and derived from
                // it; the region is valid memory while `self` lives (backend invariant).
                unsafe { ptr.read_volatile() }
            }

            #[inline(always)]
            unsafe fn io_write(&self, ptr: *mut $ty, value: $ty) {
                // SAFETY: As for `io_read`; any value keeps the region valid (backend
                // invariant).
                unsafe { ptr.write_volatile(value) }
            }
        }
    };
}
pub(crate) use memory_backend;
