// SPDX-License-Identifier: GPL-2.0
// expect: `WriteOnly<u32>` carries access rights or has no plain layout, so it cannot be cast
//! A cast that drops a right: the view of a `WriteOnly` field recast as a plain `u32` reads a write-only doorbell.
use kio::io::{
    Io,
    Mmio,
    ReadOnly,
    ReadPure,
    WriteOnly, //
};
kio::io_struct! {
    pub struct Regs {
        pub id: ReadPure<u32>,
        pub status: ReadOnly<u32>,
        pub doorbell: WriteOnly<u32>,
        pub scratch: u32,
    }
}
pub fn f(regs: Mmio<'_, Regs>) -> kernel::error::Result<u32> {
    Ok(kio::io_project!(regs, .doorbell).try_cast::<u32>()?.read_val())
}
