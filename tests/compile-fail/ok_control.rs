// SPDX-License-Identifier: GPL-2.0
// expect: builds
//! Control case: correct use of everything the cf_* cases misuse must build, so that a
//! refusal there is due to the misuse and not to the set-up.
use kio::io::{
    Mmio,
    ReadPure,
    Region,
    SysMem,
    WriteOnly, //
};
#[repr(C)]
pub struct Regs {
    id: ReadPure<u32>,
    doorbell: WriteOnly<u32>,
    words: [u32; 8],
}
pub fn f(regs: Mmio<'_, Regs>, bar: Mmio<'_, Region<64>>, mem: &mut [u32; 8]) -> kernel::error::Result<u32> {
    kio::io_write!(regs, .doorbell, 1);
    kio::io_write!(regs, .words[build: 7], 2);
    let io = SysMem::new(mem);
    kio::io_write!(io, [try: 3], 4u32);
    let _ = kernel::io::Io::read32(&bar, 0x3c);
    let _ = kio::io::Io::size(&bar.cast::<[u32; 16]>());
    Ok(kio::io_read!(regs, .id) + kio::io_read!(io, [build: 7]))
}
