// SPDX-License-Identifier: GPL-2.0
// expect: `ReadOnly<u32>` carries access rights or has no plain layout, so it cannot be cast
//! A cast that drops a right: the view of a `ReadOnly` field recast as a plain `u32` writes a clear-on-read status register.
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
pub fn f(regs: Mmio<'_, Regs>) -> kernel::error::Result {
    kio::io_project!(regs, .status).try_cast::<u32>()?.write_val(0);
    Ok(())
}
