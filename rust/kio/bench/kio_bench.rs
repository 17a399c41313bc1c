// SPDX-License-Identifier: GPL-2.0

//! Codegen benchmark: pairs of functions, one written with kio and one by hand in the style of
//! a C driver (`readl(base + OFFSET)`, volatile access to coherent memory, `memcpy_fromio`).
//!
//! `scripts/bench-codegen.py` disassembles this module and compares each pair's instructions.
//! The functions are public and `#[inline(never)]` so that each is one symbol; nothing
//! calls them. Loading the module does nothing.

use kernel::{
    bindings,
    dma::Coherent,
    ffi::c_void,
    prelude::*, //
};
use kio::{
    io::{
        Io,
        IoExt,
        Mmio, //
    },
    io_project,
    io_read,
    io_write, //
};

/// A 64-byte block, for the copy pair.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes)]
pub struct Blob {
    words: [u64; 8],
}

/// A queue header nested in the register block.
#[repr(C)]
pub struct Header {
    flags: u32,
    seq: u32,
}

/// The register block of the benchmark.
#[repr(C)]
pub struct Regs {
    id: u32,
    control: u32,
    _reserved: [u32; 14],
    queue: [Header; 4],
    slots: [u32; 16],
    blob: Blob,
}

/// Offsets of the hand-written side, as a C driver would `#define` them.
mod off {
    pub(super) const CONTROL: usize = 0x04;
    pub(super) const QUEUE2_SEQ: usize = 0x40 + 2 * 8 + 4;
    pub(super) const SLOTS: usize = 0x60;
    pub(super) const SLOT5: usize = SLOTS + 5 * 4;
    pub(super) const NSLOTS: usize = 16;
    pub(super) const BLOB: usize = 0xa0;
}

/// Coherent memory shared with a device, for the DMA pairs.
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

/// Field read at a constant offset.
#[inline(never)]
pub fn kio_bench_kio_field_read(regs: Mmio<'_, Regs>) -> u32 {
    io_read!(regs, .control)
}

/// Field read at a constant offset, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_bench_hand_field_read(base: *mut c_void) -> u32 {
    // SAFETY: `base + CONTROL` is in the mapping (caller).
    unsafe { bindings::readl(base.byte_add(off::CONTROL)) }
}

/// Field write at a constant offset.
#[inline(never)]
pub fn kio_bench_kio_field_write(regs: Mmio<'_, Regs>, v: u32) {
    io_write!(regs, .control, v)
}

/// Field write at a constant offset, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_bench_hand_field_write(base: *mut c_void, v: u32) {
    // SAFETY: `base + CONTROL` is in the mapping (caller).
    unsafe { bindings::writel(v, base.byte_add(off::CONTROL)) }
}

/// Nested field read.
#[inline(never)]
pub fn kio_bench_kio_nested_read(regs: Mmio<'_, Regs>) -> u32 {
    io_read!(regs, .queue[build: 2].seq)
}

/// Nested field read, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_bench_hand_nested_read(base: *mut c_void) -> u32 {
    // SAFETY: In the mapping (caller).
    unsafe { bindings::readl(base.byte_add(off::QUEUE2_SEQ)) }
}

/// `[build:]` index write.
#[inline(never)]
pub fn kio_bench_kio_build_index(regs: Mmio<'_, Regs>, v: u32) {
    io_write!(regs, .slots[build: 5], v)
}

/// Constant index write, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_bench_hand_build_index(base: *mut c_void, v: u32) {
    // SAFETY: In the mapping (caller).
    unsafe { bindings::writel(v, base.byte_add(off::SLOT5)) }
}

/// `[try:]` index read.
#[inline(never)]
pub fn kio_bench_kio_try_index(regs: Mmio<'_, Regs>, i: usize) -> Result<u32> {
    Ok(io_read!(regs, .slots[try: i]))
}

/// Runtime index read with a bounds check, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_bench_hand_try_index(base: *mut c_void, i: usize) -> Result<u32> {
    if i >= off::NSLOTS {
        return Err(ERANGE);
    }
    // SAFETY: In the mapping (caller), `i` checked.
    Ok(unsafe { bindings::readl(base.byte_add(off::SLOTS + 4 * i)) })
}

/// `copy_read` of a 64-byte struct.
#[inline(never)]
pub fn kio_bench_kio_copy_read(regs: Mmio<'_, Regs>) -> Blob {
    io_project!(regs, .blob).copy_read()
}

/// `memcpy_fromio` of a 64-byte struct that is returned, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_bench_hand_copy_read(base: *mut c_void) -> Blob {
    let mut blob = core::mem::MaybeUninit::<Blob>::uninit();
    // SAFETY: 64 bytes in the mapping (caller) into `blob`.
    unsafe {
        bindings::memcpy_fromio(
            blob.as_mut_ptr().cast(),
            base.byte_add(off::BLOB),
            size_of::<Blob>(),
        )
    };
    // SAFETY: All 64 bytes were written; any bytes are a valid `Blob`.
    unsafe { blob.assume_init() }
}

/// Coherent field read.
#[inline(never)]
pub fn kio_bench_kio_coherent_read(shared: &Coherent<Shared>) -> u64 {
    io_read!(shared, .ring[build: 3])
}

/// Coherent field read, by hand.
#[inline(never)]
pub fn kio_bench_hand_coherent_read(shared: &Coherent<Shared>) -> u64 {
    let p = shared.as_mut_ptr();
    // SAFETY: `ring[3]` is within the live allocation, aligned.
    unsafe { (&raw mut (*p).ring[3]).read_volatile() }
}

/// Coherent field write.
#[inline(never)]
pub fn kio_bench_kio_coherent_write(shared: &Coherent<Shared>, v: u32) {
    io_write!(shared, .tail, v)
}

/// Coherent field write, by hand.
#[inline(never)]
pub fn kio_bench_hand_coherent_write(shared: &Coherent<Shared>, v: u32) {
    let p = shared.as_mut_ptr();
    // SAFETY: `tail` is within the live allocation, aligned.
    unsafe { (&raw mut (*p).tail).write_volatile(v) }
}

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

/// The DMA address of a projected coherent sub-view: computed only here, when asked for.
#[inline(never)]
pub fn kio_bench_kio_dma_address(shared: &Coherent<Shared>) -> u64 {
    io_project!(shared, .ring[build: 3]).dma_address()
}

/// Hand-written twin: the allocation's DMA address plus the field's offset.
#[inline(never)]
pub fn kio_bench_hand_dma_address(shared: &Coherent<Shared>) -> u64 {
    shared
        .dma_handle()
        .wrapping_add((core::mem::offset_of!(Shared, ring) + 3 * 8) as u64)
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
