// SPDX-License-Identifier: GPL-2.0
// expect: requires an `unsafe impl` declaration
//! A lying `Io` implementation: its `Target` claims 4096 bytes where the memory has 4. kio's
//! views trust `Io::as_ptr` and the size it implies, so implementing `Io` is `unsafe`.
use kio::io::{
    Io,
    SysMem, //
};
pub struct Liar<'a>(SysMem<'a, u32>);
impl Io for Liar<'_> {
    type Target = [u8; 4096];
    fn as_ptr(&self) -> *mut [u8; 4096] {
        Io::as_ptr(&self.0).cast()
    }
}
pub fn f(mem: &mut u32) -> usize {
    Io::size(&Liar(SysMem::new(mem)))
}
