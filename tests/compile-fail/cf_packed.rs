// SPDX-License-Identifier: GPL-2.0
// expect: reference to field of packed struct is unaligned
//! A field of a packed struct that may be unaligned.
use kio::io::SysMem;
#[repr(C, packed)]
pub struct P {
    a: u8,
    b: u32,
}
// SAFETY: Bytes and a `u32`, packed: no padding.
unsafe impl kernel::transmute::FromBytes for P {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for P {}
pub fn f(mem: &mut P) -> u32 {
    let io = SysMem::new(mem);
    kio::io_read!(io, .b)
}
