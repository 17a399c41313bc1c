// SPDX-License-Identifier: GPL-2.0
// expect: builds
//! Control case: correct use of everything the cf_* cases misuse must build, so that a
//! refusal there is due to the misuse and not to the set-up.
use kernel::{
    dma::Coherent,
    io::register, //
};
use kio::{
    dma::CoherentView,
    io::{
        Io,
        IoExt,
        Mmio,
        ReadOnly,
        ReadPure,
        Region,
        SysMem,
        WriteOnly, //
    },
};
kio::io_struct! {
    pub struct Regs {
        pub id: ReadPure<u32>,
        pub status: ReadOnly<u32>,
        pub doorbell: WriteOnly<u32>,
        pub words: [u32; 8],
    }
}
kio::io_struct! {
    #[derive(kernel::prelude::FromBytes)]
    pub struct Ids {
        pub vendor: ReadPure<u32>,
        pub device: ReadPure<u32>,
    }
}
#[repr(C)]
#[derive(kernel::prelude::FromBytes, kernel::prelude::IntoBytes)]
pub struct Plain {
    pub ctrl: u32,
    pub data: u32,
}
// SAFETY: Two 32-bit fields, no padding, any bytes valid.
unsafe impl kernel::transmute::FromBytes for Plain {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for Plain {}
register! {
    /// A register.
    pub STATUS(u32) @ 0x20 {
        0:0 busy;
    }
}
fn spawn<T: Send>(_: T) {}
pub fn f(
    bar: Mmio<'_, Region<64>>,
    ids: Mmio<'_, [Ids; 2]>,
    dma: &Coherent<Plain>,
    mem: &mut [u32; 8],
) -> kernel::error::Result<u32> {
    // A temporary view lives for the whole statement.
    kio::io_write!(bar.cast::<Regs>(), .doorbell, 1);
    let regs = bar.cast::<Regs>();
    kio::io_write!(regs, .doorbell, 1);
    kio::io_write!(regs, .words[build: 7], 2);
    let _ = kio::io_read!(regs, .status);
    // Casts from plain memory (a region, bytes, integers) to any defined layout.
    let words = kio::io_project!(regs, .words).try_cast::<[u16; 16]>()?;
    kio::io_write!(words, [build: 3], 7u16);
    let _ = bar.try_cast::<Regs>()?;
    // Whole copies of plain blocks and of blocks whose rights allow them.
    let first = kio::io_project!(ids, [build: 0]).copy_read();
    let plain = dma.copy_read();
    dma.copy_write(plain);
    let mut out = [0u32; 2];
    kio::io_project!(regs, .words[build: 0..2]).try_copy_to_slice(&mut out)?;
    // Views of MMIO and of coherent memory may go to other threads.
    spawn(kio::io_project!(regs, .id));
    spawn(kio::io_project!(dma, .data));
    let io = SysMem::from_mut(mem);
    kio::io_write!(io, [try: 3], 4u32);
    // A view of system memory used on its thread, reached through a reference.
    let r = &io;
    kio::io_write!(r, [build: 2], 1u32);
    // Offsets and register! locations in an untyped region.
    let _ = bar.read32(0x3c);
    let _ = bar.read(STATUS).busy();
    let _ = Io::size(bar.cast::<[u32; 16]>());
    Ok(kio::io_read!(regs, .id) + kio::io_read!(io, [build: 7]) + first.device.get())
}
/// A view lives as long as the memory it borrows, not as long as the view it was projected from.
pub fn part<'a>(mem: &'a mut [u32; 4]) -> SysMem<'a, u32> {
    let io = SysMem::from_mut(mem);
    kio::io_project!(io, [build: 0])
}
/// The same for a coherent allocation that outlives the function.
pub fn coherent_part(buf: &Coherent<[u32; 4]>) -> CoherentView<'_, u32> {
    kio::io_project!(buf, [build: 0])
}
