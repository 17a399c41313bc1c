// SPDX-License-Identifier: GPL-2.0
// expect: FromBytes` is not satisfied
//! A whole-value copy of a block with a clear-on-read field: the memcpy would read the
//! `ReadOnly` status as a side effect. `Coherent` accepts the block (its constructors need only
//! the kernel's hand-implemented byte traits), but `copy_read` needs zerocopy's derived
//! `FromBytes`, which a block with a `ReadOnly` field never has.
use kernel::dma::Coherent;
use kio::io::{
    Io,
    ReadOnly,
    WriteOnly, //
};
kio::io_struct! {
    pub struct Block {
        pub status: ReadOnly<u32>,
        pub command: WriteOnly<u32>,
    }
}
// SAFETY: Two 32-bit fields, no padding, any bytes valid.
unsafe impl kernel::transmute::FromBytes for Block {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for Block {}
pub fn f(mem: &Coherent<Block>) -> Block {
    mem.copy_read()
}
