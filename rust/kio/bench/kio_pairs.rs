// SPDX-License-Identifier: GPL-2.0

//! Codegen pairs of the typed I/O API, one source for two kernels.
//!
//! Every `kio_pairs_api_*` function is written with the names of Linux 7.3's `kernel::io` and
//! `kernel::dma` only, reached through kio's paths. `make bench` builds this file twice: on
//! Linux 7.2 against kio, and on Linux 7.3 against the kernel's own API, with every path
//! renamed from kio to kernel (scripts/bench-upstream.sh). Every `kio_pairs_hand_*` twin is what
//! a C driver writes (`readl(base + OFF)`, a volatile access through the CPU pointer of
//! coherent memory, `dma_handle + offsetof(...)`, `memcpy_fromio`) and does not touch the API,
//! so it is the same code on both kernels.
//!
//! `scripts/bench-codegen.py --pairs-kio/--pairs-upstream` disassembles both builds and prints,
//! for each pair, the instruction counts of kio, upstream 7.3 and the hand-written twin. The
//! functions are public and `#[inline(never)]` so that each is one symbol; nothing calls them
//! and loading the module does nothing.
//!
//! The twins of the DMA-address pairs keep the handle beside the CPU pointer, as a C driver
//! does, rather than asking a `Coherent` for it: the kernel renamed that accessor between 7.2
//! and 7.3, and a twin must build unchanged on both.

use core::mem::offset_of;
use kernel::{
    bindings,
    dma::Coherent,
    ffi::c_void,
    prelude::*, //
};
use kio::{
    dma::CoherentView,
    io::{
        Io,
        IoSysMap,
        Mmio,
        Region,
        SysMem, //
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
#[derive(FromBytes, IntoBytes)]
pub struct Header {
    flags: u32,
    seq: u32,
}

/// The register block of the MMIO pairs (224 bytes, no padding).
#[repr(C)]
#[derive(FromBytes, IntoBytes)]
pub struct Regs {
    id: u32,
    control: u32,
    reserved: [u32; 14],
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
    pub(super) const REGS_SIZE: usize = 0xe0;
    pub(super) const REGS_ALIGN: usize = 8;
}

// The twins use the offsets the API computes, or the pairs would compare different accesses.
const _: () = {
    assert!(offset_of!(Regs, control) == off::CONTROL);
    assert!(
        offset_of!(Regs, queue) + 2 * size_of::<Header>() + offset_of!(Header, seq)
            == off::QUEUE2_SEQ
    );
    assert!(offset_of!(Regs, slots) == off::SLOTS);
    assert!(offset_of!(Regs, blob) - offset_of!(Regs, slots) == off::NSLOTS * 4);
    assert!(offset_of!(Regs, blob) == off::BLOB);
    assert!(size_of::<Regs>() == off::REGS_SIZE);
    assert!(align_of::<Regs>() == off::REGS_ALIGN);
};

/// Memory shared with a device, for the coherent and system-memory pairs.
#[repr(C)]
#[derive(FromBytes, IntoBytes)]
pub struct Shared {
    head: u32,
    tail: u32,
    ring: [u64; 32],
    blob: Blob,
}

// A driver that allocates a `Coherent<Shared>` implements the kernel's byte traits for it, on
// 7.2 and on 7.3 alike; the pairs do the same.
// SAFETY: Primitives and arrays of them, no padding (4 + 4 + 256 + 64 bytes; the `IntoBytes`
// derive checks it): every bit pattern is valid and every byte is initialised.
unsafe impl kernel::transmute::FromBytes for Shared {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for Shared {}

/// The hand-written side's coherent allocation: the CPU pointer and the DMA handle, as a C
/// driver keeps them (`void *cpu; dma_addr_t dma;`).
pub struct HandCoherent {
    /// CPU address.
    pub cpu: *mut Shared,
    /// DMA address.
    pub dma: bindings::dma_addr_t,
}

/// The hand-written side's coherent byte buffer, with its size.
pub struct HandBuffer {
    /// CPU address.
    pub cpu: *mut u8,
    /// Size in bytes.
    pub size: usize,
    /// DMA address.
    pub dma: bindings::dma_addr_t,
}

/// The hand-written side's `struct iosys_map`: a pointer and whether it is I/O memory.
pub struct HandMap {
    vaddr: *mut c_void,
    is_iomem: bool,
}

// --- MMIO -----------------------------------------------------------------------------------

/// Field read at a constant offset.
#[inline(never)]
pub fn kio_pairs_api_field_read(regs: Mmio<'_, Regs>) -> u32 {
    io_read!(regs, .control)
}

/// Field read at a constant offset, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_pairs_hand_field_read(base: *mut c_void) -> u32 {
    // SAFETY: `base + CONTROL` is in the mapping (caller).
    unsafe { bindings::readl(base.byte_add(off::CONTROL)) }
}

/// Field write at a constant offset.
#[inline(never)]
pub fn kio_pairs_api_field_write(regs: Mmio<'_, Regs>, v: u32) {
    io_write!(regs, .control, v)
}

/// Field write at a constant offset, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_pairs_hand_field_write(base: *mut c_void, v: u32) {
    // SAFETY: `base + CONTROL` is in the mapping (caller).
    unsafe { bindings::writel(v, base.byte_add(off::CONTROL)) }
}

/// Nested field read.
#[inline(never)]
pub fn kio_pairs_api_nested_read(regs: Mmio<'_, Regs>) -> u32 {
    io_read!(regs, .queue[build: 2].seq)
}

/// Nested field read, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_pairs_hand_nested_read(base: *mut c_void) -> u32 {
    // SAFETY: In the mapping (caller).
    unsafe { bindings::readl(base.byte_add(off::QUEUE2_SEQ)) }
}

/// `[build:]` index write.
#[inline(never)]
pub fn kio_pairs_api_build_index(regs: Mmio<'_, Regs>, v: u32) {
    io_write!(regs, .slots[build: 5], v)
}

/// Constant index write, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_pairs_hand_build_index(base: *mut c_void, v: u32) {
    // SAFETY: In the mapping (caller).
    unsafe { bindings::writel(v, base.byte_add(off::SLOT5)) }
}

/// `[try:]` index read.
#[inline(never)]
pub fn kio_pairs_api_try_index(regs: Mmio<'_, Regs>, i: usize) -> Result<u32> {
    Ok(io_read!(regs, .slots[try: i]))
}

/// Runtime index read with a bounds check, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_pairs_hand_try_index(base: *mut c_void, i: usize) -> Result<u32> {
    if i >= off::NSLOTS {
        return Err(ERANGE);
    }
    // SAFETY: In the mapping (caller), `i` checked.
    Ok(unsafe { bindings::readl(base.byte_add(off::SLOTS + 4 * i)) })
}

/// `copy_read` of a 64-byte block.
#[inline(never)]
pub fn kio_pairs_api_copy_read(regs: Mmio<'_, Regs>) -> Blob {
    io_project!(regs, .blob).copy_read()
}

/// `memcpy_fromio` of a 64-byte block that is returned, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_pairs_hand_copy_read(base: *mut c_void) -> Blob {
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

/// Field read through the relaxed accessors.
#[inline(never)]
pub fn kio_pairs_api_relaxed_read(regs: Mmio<'_, Regs>) -> u32 {
    io_read!(regs.relaxed(), .control)
}

/// `readl_relaxed`, by hand.
///
/// # Safety
///
/// `base` maps a `Regs`.
#[inline(never)]
pub unsafe fn kio_pairs_hand_relaxed_read(base: *mut c_void) -> u32 {
    // SAFETY: `base + CONTROL` is in the mapping (caller).
    unsafe { bindings::readl_relaxed(base.byte_add(off::CONTROL)) }
}

/// `read32` at a constant offset of an untyped region (checked at build time).
#[inline(never)]
pub fn kio_pairs_api_offset_read(io: Mmio<'_, Region<0x100>>) -> u32 {
    io.read32(0x10)
}

/// `readl` at a constant offset, by hand.
///
/// # Safety
///
/// `base` maps at least 0x100 bytes.
#[inline(never)]
pub unsafe fn kio_pairs_hand_offset_read(base: *mut c_void) -> u32 {
    // SAFETY: `base + 0x10` is in the mapping (caller).
    unsafe { bindings::readl(base.byte_add(0x10)) }
}

/// `try_read32` at a run-time offset of a region whose size is known at run time.
#[inline(never)]
pub fn kio_pairs_api_offset_try_read(io: Mmio<'_, Region>, offset: usize) -> Result<u32> {
    io.try_read32(offset)
}

/// `readl` at a run-time offset after the checks a careful C driver makes: the four bytes are
/// in the mapping and aligned (the base is).
///
/// # Safety
///
/// `base` maps `size` bytes and is 4-byte aligned.
#[inline(never)]
pub unsafe fn kio_pairs_hand_offset_try_read(
    base: *mut c_void,
    size: usize,
    offset: usize,
) -> Result<u32> {
    let Some(end) = offset.checked_add(4) else {
        return Err(EINVAL);
    };
    if end > size || offset % 4 != 0 {
        return Err(EINVAL);
    }
    // SAFETY: Checked to be in the mapping (caller) and aligned.
    Ok(unsafe { bindings::readl(base.byte_add(offset)) })
}

/// A register block found in an untyped region at run time, then a field of it.
#[inline(never)]
pub fn kio_pairs_api_try_cast(io: Mmio<'_, Region>) -> Result<u32> {
    let regs: Mmio<'_, Regs> = io.try_cast()?;
    Ok(io_read!(regs, .control))
}

/// The same checks (size and alignment of the block), then `readl`, by hand.
///
/// # Safety
///
/// `base` maps `size` bytes.
#[inline(never)]
pub unsafe fn kio_pairs_hand_try_cast(base: *mut c_void, size: usize) -> Result<u32> {
    if size < off::REGS_SIZE || base.addr() % off::REGS_ALIGN != 0 {
        return Err(EINVAL);
    }
    // SAFETY: Checked to be in the mapping (caller).
    Ok(unsafe { bindings::readl(base.byte_add(off::CONTROL)) })
}

/// Field read of memory that is I/O memory or system memory, chosen at run time.
///
/// The map is passed by reference, as C passes a `struct iosys_map`: by value the enum's
/// discriminant comes first and the pointer second, and moving the pointer into the first
/// argument register of `readl` would be measured as a cost of the API.
#[inline(never)]
pub fn kio_pairs_api_iosys_read(map: &IoSysMap<'_, Regs>) -> u32 {
    io_read!(*map, .control)
}

/// The same with a `struct iosys_map`, by hand.
///
/// # Safety
///
/// `map.vaddr` points to a `Regs`, in I/O memory if `map.is_iomem`.
#[inline(never)]
pub unsafe fn kio_pairs_hand_iosys_read(map: &HandMap) -> u32 {
    // SAFETY: In the mapping (caller).
    let p = unsafe { map.vaddr.byte_add(off::CONTROL) };
    if map.is_iomem {
        // SAFETY: I/O memory (caller).
        unsafe { bindings::readl(p) }
    } else {
        // SAFETY: System memory (caller), aligned.
        unsafe { p.cast::<u32>().read_volatile() }
    }
}

// --- System and coherent memory ---------------------------------------------------------------

/// Field read of system memory shared with a device.
///
/// # Safety
///
/// `p` points to a live, aligned `Shared`.
#[inline(never)]
pub unsafe fn kio_pairs_api_sysmem_read(p: *mut Shared) -> u32 {
    // SAFETY: `p` is valid and aligned for as long as the view is used (caller).
    let mem = unsafe { SysMem::new(p) };
    io_read!(mem, .tail)
}

/// Volatile read of the field, by hand.
///
/// # Safety
///
/// `p` points to a live, aligned `Shared`.
#[inline(never)]
pub unsafe fn kio_pairs_hand_sysmem_read(p: *mut Shared) -> u32 {
    // SAFETY: `tail` is within the live allocation, aligned (caller).
    unsafe { (&raw mut (*p).tail).read_volatile() }
}

/// Coherent field read (u64).
#[inline(never)]
pub fn kio_pairs_api_coherent_read(shared: &Coherent<Shared>) -> u64 {
    io_read!(shared, .ring[build: 3])
}

/// Coherent field read, by hand.
#[inline(never)]
pub fn kio_pairs_hand_coherent_read(shared: &Coherent<Shared>) -> u64 {
    let p = shared.as_mut_ptr();
    // SAFETY: `ring[3]` is within the live allocation, aligned.
    unsafe { (&raw mut (*p).ring[3]).read_volatile() }
}

/// Coherent field write (u32).
#[inline(never)]
pub fn kio_pairs_api_coherent_write(shared: &Coherent<Shared>, v: u32) {
    io_write!(shared, .tail, v)
}

/// Coherent field write, by hand.
#[inline(never)]
pub fn kio_pairs_hand_coherent_write(shared: &Coherent<Shared>, v: u32) {
    let p = shared.as_mut_ptr();
    // SAFETY: `tail` is within the live allocation, aligned.
    unsafe { (&raw mut (*p).tail).write_volatile(v) }
}

/// Field read through a coherent view passed by value.
#[inline(never)]
pub fn kio_pairs_api_view_read(view: CoherentView<'_, Shared>) -> u32 {
    io_read!(view, .tail)
}

/// Volatile read of the field through the CPU pointer, by hand.
///
/// # Safety
///
/// `p` points to a live, aligned `Shared`.
#[inline(never)]
pub unsafe fn kio_pairs_hand_view_read(p: *mut Shared) -> u32 {
    // SAFETY: `tail` is within the live allocation, aligned (caller).
    unsafe { (&raw mut (*p).tail).read_volatile() }
}

/// Coherent element read at a run-time index of a slice.
#[inline(never)]
pub fn kio_pairs_api_coherent_try_index(ring: &Coherent<[u64]>, i: usize) -> Result<u64> {
    Ok(io_read!(ring, [try: i]))
}

/// Bounds check and volatile read, by hand.
#[inline(never)]
pub fn kio_pairs_hand_coherent_try_index(ring: &Coherent<[u64]>, i: usize) -> Result<u64> {
    let p = ring.as_mut_ptr();
    if i >= p.len() {
        return Err(ERANGE);
    }
    // SAFETY: Element `i` is within the live allocation (checked), aligned.
    Ok(unsafe { p.cast::<u64>().add(i).read_volatile() })
}

/// DMA address of a field of a coherent allocation.
#[inline(never)]
pub fn kio_pairs_api_dma_address(shared: &Coherent<Shared>) -> bindings::dma_addr_t {
    io_project!(shared, .ring).dma_address()
}

/// `dma_handle + offsetof(struct shared, ring)`, by hand.
#[inline(never)]
pub fn kio_pairs_hand_dma_address(shared: &HandCoherent) -> bindings::dma_addr_t {
    shared
        .dma
        .wrapping_add(offset_of!(Shared, ring) as bindings::dma_addr_t)
}

/// DMA address of a run-time range of a coherent byte buffer (nova-core's falcon loads).
#[inline(never)]
pub fn kio_pairs_api_range_dma_address(
    buf: &Coherent<[u8]>,
    start: usize,
    end: usize,
) -> Result<bindings::dma_addr_t> {
    Ok(io_project!(buf, [try: start..end]).dma_address())
}

/// The range checked against the buffer's size, then `dma_handle + start`, by hand.
#[inline(never)]
pub fn kio_pairs_hand_range_dma_address(
    buf: &HandBuffer,
    start: usize,
    end: usize,
) -> Result<bindings::dma_addr_t> {
    if end < start || end > buf.size {
        return Err(ERANGE);
    }
    Ok(buf.dma.wrapping_add(start as bindings::dma_addr_t))
}

struct KioPairs;

impl kernel::Module for KioPairs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(KioPairs)
    }
}

module! {
    type: KioPairs,
    name: "kio_pairs",
    authors: ["kio developers"],
    description: "Codegen pairs of the typed I/O API, for kio and upstream (not run; disassembled)",
    license: "GPL",
}
