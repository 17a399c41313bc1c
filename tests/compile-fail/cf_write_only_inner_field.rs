// SPDX-License-Identifier: GPL-2.0
// expect: private
//! Reading a WriteOnly register through the wrapper's inner field.
use kio::io::{
    Mmio,
    WriteOnly, //
};
kio::io_struct! {
    pub struct Regs {
        pub doorbell: WriteOnly<u32>,
    }
}
pub fn f(regs: Mmio<'_, Regs>) -> u32 {
    kio::io_read!(regs, .doorbell.0)
}
