// SPDX-License-Identifier: GPL-2.0

//! I/O code in the style of Linux 7.3's `kernel::io`: only names that 7.3 has, reached through
//! `kio::`. The `kio_conformance` suite runs it on edu and on coherent memory on 7.2; `make
//! bench` builds this same file against a 7.3 kernel with `kio::` renamed `kernel::`, which
//! proves that what builds here is upstream's API.
//!
//! Nothing here may use a kio extension (`IoExt`, access rights, `SysMem::from_mut`, ...).

use kernel::{
    dma::Coherent,
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

/// Size of edu's BAR0.
pub(crate) const BAR_SIZE: usize = 0x10_0000;

/// The start of edu's register block, as upstream casts allow it (`FromBytes + IntoBytes`).
#[repr(C)]
#[derive(FromBytes, IntoBytes)]
pub(crate) struct Regs {
    pub(crate) id: u32,
    pub(crate) liveness: u32,
    pub(crate) factorial: u32,
    pub(crate) reserved: [u32; 5],
    pub(crate) status: u32,
}

/// A descriptor ring in coherent memory.
#[repr(C)]
#[derive(FromBytes, IntoBytes)]
pub(crate) struct Ring {
    pub(crate) head: u32,
    pub(crate) tail: u32,
    pub(crate) slots: [u32; 14],
}

/// Reads the ID register by offset and through a typed cast; returns both.
pub(crate) fn ids(bar: Mmio<'_, Region<BAR_SIZE>>) -> Result<(u32, u32)> {
    let regs: Mmio<'_, Regs> = bar.try_cast()?;
    Ok((bar.read32(0x0), io_read!(regs, .id)))
}

/// Writes `x` to the liveness register with each access form, returning what each read back.
pub(crate) fn liveness(bar: Mmio<'_, Region<BAR_SIZE>>, x: u32) -> Result<[u32; 4]> {
    let regs: Mmio<'_, Regs> = bar.try_cast()?;
    io_write!(regs, .liveness, x);
    let typed = io_read!(regs, .liveness);
    bar.write32(x, 0x4);
    let untyped = bar.read32(0x4);
    bar.try_write32(x, 0x4)?;
    let checked = bar.try_read32(0x4)?;
    let relaxed = bar.relaxed();
    relaxed.write32(x, 0x4);
    Ok([typed, untyped, checked, relaxed.read32(0x4)])
}

/// The errors of run-time checked accesses past the end and off alignment.
pub(crate) fn bad_offsets(bar: Mmio<'_, Region<BAR_SIZE>>) -> [Option<Error>; 3] {
    [
        bar.try_read32(BAR_SIZE).err(),
        bar.try_read32(0x2).err(),
        bar.try_cast::<[u8; 2 * BAR_SIZE]>().err(),
    ]
}

/// Fills the ring through projections and returns the DMA address of slot `i`.
pub(crate) fn fill_ring(ring: &Coherent<Ring>, i: usize) -> Result<u64> {
    io_write!(ring, .head, 0);
    for n in 0..14 {
        io_write!(ring, .slots[try: n], 100 + n as u32);
    }
    io_write!(ring, .tail, 14);
    let slot: CoherentView<'_, u32> = io_project!(ring, .slots[try: i]);
    Ok(slot.dma_address())
}

/// Reads the ring back: a slot, a whole copy, the length of a sub-slice, a cast.
pub(crate) fn read_ring(ring: &Coherent<Ring>) -> Result<(u32, [u32; 14], usize, u32)> {
    let slots = io_project!(ring, .slots);
    let tail: CoherentView<'_, [u32]> = io_project!(slots, [try: 10..14]);
    let as_words: CoherentView<'_, [u32; 2]> = ring.try_cast()?;
    Ok((
        io_read!(slots, [try: 3]),
        slots.copy_read(),
        tail.len(),
        io_read!(as_words, [build: 1]),
    ))
}

/// Copies bytes in and out of memory through `SysMem` and `IoSysMap`; returns what came back.
pub(crate) fn bytes_round_trip(buf: &mut [u8; 16]) -> [u8; 16] {
    // SAFETY: `buf` is a live, exclusive borrow of 16 bytes for this whole function, and is
    // reached only through the views below meanwhile.
    let mem = unsafe { SysMem::new(core::ptr::from_mut(buf)) };
    let bytes: SysMem<'_, [u8]> = io_project!(mem, [build: 4..12]);
    bytes.copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
    let map: IoSysMap<'_, [u8; 16]> = mem.into();
    io_write!(map, [build: 0], 0xaa);
    let mut out = [0u8; 16];
    let all: IoSysMap<'_, [u8]> = io_project!(map, [build: 0..16]);
    all.copy_to_slice(&mut out);
    out
}
