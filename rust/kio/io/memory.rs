// SPDX-License-Identifier: GPL-2.0

//! Accessors of the backends over ordinary memory ([`SysMem`](super::SysMem), and through it
//! [`CoherentView`](crate::dma::CoherentView)): volatile single accesses, and copies that are the kernel's
//! `memcpy` fenced for the compiler, so that they happen in full, where they stand, even when
//! their result looks unused.
//!
//! # Concurrency
//!
//! `dma::Coherent` is `Sync` and shared with a device, so a single access here can race with
//! the device or with another CPU. Rust's own memory model has no racing volatile accesses;
//! kernel Rust follows the kernel's convention instead (the Linux kernel memory model, LKMM),
//! where a volatile access of an aligned primitive no wider than the machine word is a marked
//! access, like C's `READ_ONCE`/`WRITE_ONCE`: it happens exactly once and untorn, and racing
//! marked accesses are the ordinary way CPUs and devices share memory. This is why `u64`
//! accesses exist only on 64-bit kernels (as for MMIO).
//!
//! Copies are different: like upstream Linux 7.3's, they are the kernel's `memcpy`, a plain
//! access. A device (or another CPU) writing the bytes while they are copied is a data race in
//! Rust's model and in the LKMM alike; the kernel's own volatile `field_read`/`field_write`
//! are the accesses it sanctions for racing. Drivers make copies race-free the way C drivers
//! do, by an ownership protocol: read the flag that hands a buffer over with `io_read!`, order
//! with `dma_rmb()`/`dma_wmb()`, then copy a buffer the device has stopped writing. If a
//! device breaks the protocol, what the kernel's practice gives is torn or stale bytes, which
//! every `FromBytes` type accepts; a copy that must tolerate such a device should be made of
//! `io_read!`s. The compiler fences around a copy keep the compiler from assuming the memory
//! unchanged across it (they are compiler barriers, with the cost of the kernel's `barrier()`:
//! values it held in registers are reloaded, and small copies go through memory).

/// Tells the compiler that `src` and `dst` escape here to code it cannot see (the device,
/// another CPU), which may read or write any memory reachable through them. The block itself
/// is empty; its cost is that of a compiler barrier (the pointers must be in registers, and
/// memory the compiler could otherwise have kept in registers is stored and reloaded).
#[inline(always)]
fn fence_pointers(src: *const u8, dst: *mut u8) {
    // SAFETY: The template is an assembler comment: nothing is executed. Without `nomem` or
    // `readonly`, the compiler must assume the block reads and writes memory, in particular
    // through the two pointers it is handed, so it cannot move accesses of that memory across
    // it or merge them with accesses on the other side.
    unsafe {
        core::arch::asm!(
            "/* kio: {0} {1} */",
            in(reg) src,
            in(reg) dst,
            options(nostack, preserves_flags)
        )
    };
}

/// Like [`fence_pointers`], for the shared side of a copy into shared memory only: the source
/// is a value of the caller's, which must stay free to live in registers.
#[inline(always)]
fn fence_pointer(dst: *mut u8) {
    // SAFETY: As for `fence_pointers`.
    unsafe { core::arch::asm!("/* kio: {0} */", in(reg) dst, options(nostack, preserves_flags)) };
}

/// Tells the compiler that memory may be read or written here by code it cannot see; since
/// [`fence_pointers`] or [`fence_pointer`] let the shared side of a copy escape before it, that
/// includes that memory. An empty block with the cost of a compiler barrier.
#[inline(always)]
fn fence() {
    // SAFETY: As for `fence_pointers`: an assembler comment that the compiler must assume to
    // read and write any memory whose address has escaped.
    unsafe { core::arch::asm!("/* kio */", options(nostack, preserves_flags)) };
}

/// Copies `len` bytes out of memory a device may share, in full and where it stands: the
/// kernel's `memcpy` (or, for a small constant `len`, the moves the compiler emits for it),
/// fenced for the compiler on both sides.
///
/// The fences are what a plain copy lacks. The one before hands both pointers to code the
/// compiler cannot see, so it may not reuse bytes it read from the shared memory earlier (the
/// device may have changed them); the one after may read `dst` through the escaped pointer, so
/// the copy cannot be dropped even when its result looks unused. The copy itself has `memcpy`
/// semantics: no access width, order or atomicity is promised.
///
/// # Safety
///
/// `src` is valid for reads and `dst` for writes of `len` bytes; they do not overlap.
#[inline(always)]
pub(crate) unsafe fn kept_copy_from(src: *const u8, dst: *mut u8, len: usize) {
    fence_pointers(src, dst);
    // SAFETY: The caller's promise. That no device or CPU writes `src` during the copy is the
    // driver's ownership protocol (module documentation); a device that breaks it gets torn
    // or stale bytes in the kernel's practice, which the callers accept (`FromBytes`).
    unsafe { core::ptr::copy_nonoverlapping(src, dst, len) };
    fence();
}

/// Copies `len` bytes into memory a device may share, in full and where it stands: the
/// kernel's `memcpy` fenced for the compiler on both sides.
///
/// The fence before keeps the stores from moving above earlier accesses of the shared memory
/// or merging with them; the one after keeps the compiler from dropping them as dead (the
/// device may read them before anything else is written) or forwarding them to later reads.
///
/// # Safety
///
/// As for [`kept_copy_from`].
#[inline(always)]
pub(crate) unsafe fn kept_copy_to(src: *const u8, dst: *mut u8, len: usize) {
    fence_pointer(dst);
    // SAFETY: The caller's promise. That the device does not read `dst` during the copy is the
    // driver's ownership protocol (module documentation); one that does may see part of it.
    unsafe { core::ptr::copy_nonoverlapping(src, dst, len) };
    fence();
}
