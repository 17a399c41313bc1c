// SPDX-License-Identifier: GPL-2.0
// expect: no method named `read32` found
//! Untyped offset access on a typed region.
use kernel::io::Io as _;
use kio::io::Mmio;
pub fn f(regs: Mmio<'_, [u32; 16]>) -> u32 {
    regs.read32(0x4)
}
