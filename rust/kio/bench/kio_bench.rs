// SPDX-License-Identifier: GPL-2.0

//! Codegen benchmark of what only kio has: pairs of functions, one written with kio and one by
//! hand in the style of a C driver, for the copies of coherent memory that kio keeps (a copy
//! whose result looks unused, a copy overwritten by the next one) and its `copy_read_into`.
//! The pairs that upstream 7.3 has too (field accesses, indexes, MMIO copies, DMA addresses)
//! are in `kio_pairs.rs`, one source for kio on 7.2 and upstream on 7.3.
//!
//! `scripts/bench-codegen.py` disassembles this module and compares each pair's instructions.
//! The functions are public and `#[inline(never)]` so that each is one symbol; nothing
//! calls them. Loading the module does nothing.

use kernel::{
    dma::Coherent,
    prelude::*, //
};
use kio::{
    io::{
        Io,
        IoExt, //
    },
    io_project, //
};

/// A 64-byte block, for the copy pair.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes)]
pub struct Blob {
    words: [u64; 8],
}

/// Coherent memory shared with a device.
#[repr(C)]
#[derive(FromBytes, IntoBytes)]
pub struct Shared {
    head: u32,
    tail: u32,
    ring: [u64; 32],
    blob: Blob,
}

// SAFETY: Primitives and arrays of them; no padding (4 + 4 + 256 + 64 bytes; the `IntoBytes`
// derive checks it).
unsafe impl kernel::transmute::FromBytes for Shared {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for Shared {}

/// `copy_read_into` of a 64-byte struct from coherent memory into the caller's buffer: a copy
/// of a constant size, straight into place.
#[inline(never)]
pub fn kio_bench_kio_coherent_copy(shared: &Coherent<Shared>, out: &mut Blob) {
    io_project!(shared, .blob).copy_read_into(out)
}

/// The same copy with `copy_nonoverlapping`, by hand.
#[inline(never)]
pub fn kio_bench_hand_coherent_copy(shared: &Coherent<Shared>, out: &mut Blob) {
    let p = shared.as_mut_ptr();
    // SAFETY: `blob` is within the live allocation; `out` is 64 writable bytes elsewhere.
    unsafe {
        core::ptr::copy_nonoverlapping(
            (&raw const (*p).blob).cast::<u8>(),
            core::ptr::from_mut(out).cast::<u8>(),
            size_of::<Blob>(),
        )
    };
}

/// `copy_write` of a 64-byte struct to coherent memory, twice: both copies must happen (the
/// device may read the memory in between), where a plain store of the first is dead.
#[inline(never)]
pub fn kio_bench_kio_overwritten_copy(shared: &Coherent<Shared>, a: &Blob, b: &Blob) {
    let blob = io_project!(shared, .blob);
    blob.copy_write(*a);
    blob.copy_write(*b);
}

/// The same with plain copies, by hand: the compiler deletes the first.
#[inline(never)]
pub fn kio_bench_hand_overwritten_copy(shared: &Coherent<Shared>, a: &Blob, b: &Blob) {
    let p = shared.as_mut_ptr();
    // SAFETY: `blob` is within the live allocation; `a` and `b` are 64 readable bytes
    // elsewhere.
    unsafe {
        let dst = (&raw mut (*p).blob).cast::<u8>();
        core::ptr::copy_nonoverlapping(core::ptr::from_ref(a).cast::<u8>(), dst, 64);
        core::ptr::copy_nonoverlapping(core::ptr::from_ref(b).cast::<u8>(), dst, 64);
    }
}

/// `copy_read` of coherent memory whose result is not used: the copy must still happen (the
/// device may count on the reads).
#[inline(never)]
pub fn kio_bench_kio_unused_copy(shared: &Coherent<Shared>) {
    let _ = io_project!(shared, .blob).copy_read();
}

/// The same with a plain copy, by hand: the compiler deletes it.
#[inline(never)]
pub fn kio_bench_hand_unused_copy(shared: &Coherent<Shared>) {
    let p = shared.as_mut_ptr();
    let mut blob = core::mem::MaybeUninit::<Blob>::uninit();
    // SAFETY: As in `kio_bench_hand_coherent_copy`.
    unsafe {
        core::ptr::copy_nonoverlapping(
            (&raw const (*p).blob).cast::<u8>(),
            blob.as_mut_ptr().cast::<u8>(),
            size_of::<Blob>(),
        )
    };
}

struct KioBench;

impl kernel::Module for KioBench {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(KioBench)
    }
}

module! {
    type: KioBench,
    name: "kio_bench",
    authors: ["kio developers"],
    description: "Codegen benchmark pairs of kio (not run; disassembled)",
    license: "GPL",
}
