// SPDX-License-Identifier: GPL-2.0
// expect: the trait bound `Ids: IntoBytes` is not satisfied
//! A whole-value write over read-only identification registers: `copy_write` needs zerocopy's
//! `IntoBytes`, which `ReadPure` (and so any block with one) does not have.
use kio::io::{
    Io,
    Mmio,
    ReadPure, //
};
kio::io_struct! {
    #[derive(kernel::prelude::FromBytes)]
    pub struct Ids {
        pub vendor: ReadPure<u32>,
        pub device: ReadPure<u32>,
    }
}
pub fn f(regs: Mmio<'_, [Ids; 2]>) {
    let first = kio::io_project!(regs, [build: 1]).copy_read();
    kio::io_project!(regs, [build: 0]).copy_write(first);
}
