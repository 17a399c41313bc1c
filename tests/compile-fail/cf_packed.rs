// SPDX-License-Identifier: GPL-2.0
// expect: reference to field of packed struct is unaligned
//! A field of a packed struct that may be unaligned.
use kio::io::SysMem;
#[repr(C, packed)]
#[derive(kernel::prelude::FromBytes, kernel::prelude::IntoBytes)]
pub struct P {
    a: u8,
    b: u32,
}
pub fn f(mem: &mut P) -> u32 {
    let io = SysMem::from_mut(mem);
    kio::io_read!(io, .b)
}
