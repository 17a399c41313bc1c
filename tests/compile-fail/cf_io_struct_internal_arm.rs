// SPDX-License-Identifier: GPL-2.0
// expect: FieldOf<u32>` is not satisfied
//! io_struct!'s inner rules can be called directly: a check list that names `u32` as the
//! layout to check for a field that is a repr(Rust) struct with padding must still be refused,
//! since the final rule checks that the field type is built from the checked one.
pub struct Hole {
    pub a: u8,
    pub b: u32,
}
kio::io_struct!(@field [pub Forged] [pub h: Hole,] [(h, Hole, u32)]);
pub fn f(mem: &mut [u8; 16]) -> u32 {
    let r = kio::io::SysMem::<kio::io::Region<16>>::from_bytes(mem).unwrap_or_else(|_| loop {});
    let io = kio::io::IoExt::cast::<Forged>(r);
    kio::io_read!(io, .h.b)
}
