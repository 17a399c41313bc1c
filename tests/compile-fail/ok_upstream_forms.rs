// SPDX-License-Identifier: GPL-2.0
// expect: builds
//! Forms that drivers written for Linux 7.3 (nova-core's GSP and falcon code among them) use,
//! written here in our own code with only upstream names, `kio::` in place of `kernel::`: a
//! tuple-struct projection (`.0.field`), chained open ranges (`[build: 8..][build: ..n]`) then
//! `try_cast` to a const-generic array type, `dma_address()` of a `[try: a..b]` sub-view, a
//! field of a struct holding the `Coherent`, and `Io` methods on `CoherentView`s passed by value.
//! The same file, with `kio::` renamed `kernel::` and 7.2's `dma_handle()` renamed
//! `dma_address()` (a change outside I/O, Documentation/kio/upstream.rst), was built against
//! Linux 7.3.4 when it was written.
use kernel::{
    device,
    dma::{
        Coherent,
        DmaAddress, //
    },
    prelude::*,
};
use kio::{
    dma::CoherentView,
    io::{
        Io,
        IoBase, //
    },
    io_project,
    io_read,
    io_write, //
};

#[repr(C)]
#[derive(FromBytes, IntoBytes)]
pub struct QueueHeader {
    pub version: u32,
    pub write_index: u32,
}

#[repr(transparent)]
#[derive(FromBytes, IntoBytes)]
pub struct TxHeader(pub QueueHeader);

impl TxHeader {
    pub fn write_index(this: CoherentView<'_, Self>) -> u32 {
        io_read!(this, .0.write_index)
    }

    pub fn set_write_index(this: CoherentView<'_, Self>, index: u32) {
        io_write!(this, .0.write_index, index)
    }
}

#[repr(C)]
#[derive(FromBytes, IntoBytes)]
pub struct PageTable<const N: usize>(pub [u64; N]);

impl<const N: usize> PageTable<N> {
    pub fn fill(view: CoherentView<'_, Self>, first: DmaAddress) -> Result {
        for i in 0..N {
            io_write!(view, .0[build: i], first.checked_add((i as u64) << 12).ok_or(EOVERFLOW)?);
        }
        Ok(())
    }
}

pub struct Buffer(pub Coherent<[u8; 4096]>);

// SAFETY: Only `u32`s, no padding (checked by the `IntoBytes` derive).
unsafe impl kernel::transmute::FromBytes for TxHeader {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for TxHeader {}

pub fn setup(dev: &device::Device<device::Bound>) -> Result<Buffer> {
    let buf = Buffer(Coherent::zeroed(dev, GFP_KERNEL)?);
    let first = buf.0.dma_handle();
    let table = io_project!(buf.0, [build: 8..][build: ..4 * 8]).try_cast::<PageTable<4>>()?;
    PageTable::fill(table, first)?;
    Ok(buf)
}

pub fn window(buf: &Buffer, start: usize, end: usize) -> Result<DmaAddress> {
    Ok(io_project!(buf.0, [try: start..end]).dma_address())
}

pub fn bump(tx: &Coherent<TxHeader>) -> u32 {
    let view = tx.as_view();
    TxHeader::set_write_index(view, TxHeader::write_index(view) + 1);
    TxHeader::write_index(view)
}
