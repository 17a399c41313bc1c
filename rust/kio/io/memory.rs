// SPDX-License-Identifier: GPL-2.0

//! Accessors shared by the backends over ordinary memory ([`SysMem`](super::SysMem) and the
//! kernel's `dma::Coherent`): volatile single accesses, and copies that are plain for memory
//! only the CPU touches and volatile for memory a device may write meanwhile.
//!
//! # Concurrency
//!
//! `dma::Coherent` is `Sync` and shared with a device, so a single access here can race with
//! the device or with another CPU. Rust's own memory model has no racing volatile accesses;
//! kernel Rust follows the kernel's convention instead (the Linux kernel memory model, LKMM),
//! where a volatile access of an aligned primitive no wider than the machine word is a marked
//! access, like C's `READ_ONCE`/`WRITE_ONCE`: it happens exactly once and untorn, and racing
//! marked accesses are the ordinary way CPUs and devices share memory. This is why `u64`
//! accesses exist only on 64-bit kernels (as for MMIO), and why copies of coherent memory are
//! volatile too. Accesses of different widths to the same bytes (a copy's 64-bit words against
//! a 32-bit `io_write!` on another CPU) are outside what the LKMM formally describes; in the
//! kernel's practice they give torn or stale values, which every `FromBytes` type accepts, and
//! drivers order them with locks or barriers as in C.

/// Copies `len` bytes with volatile accesses: 64-bit words where both sides allow it, bytes
/// for the rest. Each byte is read and written exactly once.
///
/// # Safety
///
/// `src` is valid for reads and `dst` for writes of `len` bytes; they do not overlap.
#[inline]
pub(crate) unsafe fn volatile_copy(src: *const u8, dst: *mut u8, len: usize) {
    let mut i = 0;
    let words = src.align_offset(8) == dst.align_offset(8);
    if words {
        while i < len && src.wrapping_add(i).align_offset(8) != 0 {
            // SAFETY: `i < len`: in both ranges (caller).
            unsafe { dst.add(i).write_volatile(src.add(i).read_volatile()) };
            i += 1;
        }
        while i + 8 <= len {
            // SAFETY: `i + 8 <= len`, and both pointers are 8-byte aligned here (same offset
            // from alignment, and the loop above reached it).
            unsafe {
                let w = src.add(i).cast::<u64>().read_volatile();
                dst.add(i).cast::<u64>().write_volatile(w);
            }
            i += 8;
        }
    }
    while i < len {
        // SAFETY: `i < len`: in both ranges (caller).
        unsafe { dst.add(i).write_volatile(src.add(i).read_volatile()) };
        i += 1;
    }
}

/// Implements `IoCapable<u8..u64>` (volatile loads and stores) and `IoCopy` for a memory
/// backend; `$copy` is the copy function (`core::ptr::copy_nonoverlapping` when only the CPU
/// touches the memory, [`volatile_copy`] when a device may).
///
/// The backend's invariant must make its whole region valid for reads and writes, by any bit
/// pattern, for as long as the backend lives.
macro_rules! memory_backend {
    ([$($gen:tt)*] $backend:ty, $copy:path) => {
        $crate::io::memory::memory_backend!(@each [$($gen)*] $backend; u8, u16, u32);
        #[cfg(CONFIG_64BIT)]
        $crate::io::memory::memory_backend!(@one [$($gen)*] $backend; u64);

        // SAFETY: `$copy` copies all `len` bytes (`copy_nonoverlapping`, or `volatile_copy`,
        // whose loops together cover `0..len`).
        unsafe impl<$($gen)*> $crate::io::IoCopy for $backend {
            #[inline(always)]
            unsafe fn copy_from_region(&self, src: *const u8, dst: *mut u8, len: usize) {
                // SAFETY: The caller keeps `src..src + len` inside the region, valid while
                // `self` lives (backend invariant), and makes `dst` writable and disjoint.
                unsafe { $copy(src, dst, len) }
            }

            #[inline(always)]
            unsafe fn copy_to_region(&self, src: *const u8, dst: *mut u8, len: usize) {
                // SAFETY: As for `copy_from_region`, with the roles swapped; any bytes keep the
                // region valid (backend invariant).
                unsafe { $copy(src, dst, len) }
            }
        }
    };
    // The generics travel as one bracketed token tree, so they can be repeated per primitive.
    (@each $gen:tt $backend:ty; $($ty:ty),*) => {$(
        $crate::io::memory::memory_backend!(@one $gen $backend; $ty);
    )*};
    (@one [$($gen:tt)*] $backend:ty; $ty:ty) => {
        // SAFETY: One volatile load or store of a `$ty`, nothing else.
        unsafe impl<$($gen)*> $crate::io::IoCapable<$ty> for $backend {
            #[inline(always)]
            unsafe fn io_read(&self, ptr: *mut $ty) -> $ty {
                // SAFETY: The caller keeps `ptr` inside the region, aligned and derived from
                // it; the region is valid memory while `self` lives (backend invariant). A
                // concurrent access by the device or another CPU is the kernel's kind of race,
                // not undefined behaviour: this is one marked access of an aligned primitive no
                // wider than a machine word (see the module documentation).
                unsafe { ptr.read_volatile() }
            }

            #[inline(always)]
            unsafe fn io_write(&self, ptr: *mut $ty, value: $ty) {
                // SAFETY: As for `io_read`, concurrency included; any value keeps the region
                // valid (backend invariant).
                unsafe { ptr.write_volatile(value) }
            }
        }
    };
}
pub(crate) use memory_backend;
