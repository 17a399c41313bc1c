// SPDX-License-Identifier: GPL-2.0
// expect: builds
//! Control case: correct use of everything the cf_* cases misuse must build, so that a
//! refusal there is due to the misuse and not to the set-up.
use kernel::dma::Coherent;
use kio::io::{
    IntoView,
    Mmio,
    ReadOnly,
    ReadPure,
    Region,
    SysMem,
    WriteOnly, //
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
fn spawn<T: Send>(_: T) {}
pub fn f(
    bar: Mmio<'_, Region<64>>,
    ids: Mmio<'_, [Ids; 2]>,
    dma: &Coherent<Plain>,
    mem: &mut [u32; 8],
) -> kernel::error::Result<u32> {
    // A temporary backend lives for the whole statement.
    kio::io_write!(bar.cast::<Regs>(), .doorbell, 1);
    let regs = bar.cast::<Regs>();
    kio::io_write!(regs, .doorbell, 1);
    kio::io_write!(regs, .words[build: 7], 2);
    let _ = kio::io_read!(regs, .status);
    // Casts from plain memory (a region, bytes, integers) to any defined layout.
    let words = kio::io_project!(regs, .words).try_cast::<[u16; 16]>()?;
    kio::io_write!(words, [build: 3], 7u16);
    let _ = IntoView::into_view(&bar).try_cast::<Regs>()?;
    // Whole copies of plain blocks and of blocks whose rights allow them.
    let first = kio::io_project!(ids, [build: 0]).copy_read();
    let plain = IntoView::into_view(dma).copy_read();
    IntoView::into_view(dma).copy_write(plain);
    // Views of MMIO and of coherent memory may go to other threads.
    spawn(kio::io_project!(regs, .id));
    spawn(kio::io_project!(dma, .data));
    let io = SysMem::new(mem);
    kio::io_write!(io, [try: 3], 4u32);
    let _ = kernel::io::Io::read32(&bar, 0x3c);
    let _ = kio::io::Io::size(&bar.cast::<[u32; 16]>());
    Ok(kio::io_read!(regs, .id) + kio::io_read!(io, [build: 7]) + first.device.get())
}
