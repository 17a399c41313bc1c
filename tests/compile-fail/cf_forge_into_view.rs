// SPDX-License-Identifier: GPL-2.0
// expect: expected an array with a size of 4096, found one with a size of 64
//! A new starting point for projections that lies about its region: `IoBase` is open (a
//! driver may make its own handles starting points), but `as_view` must return the backend's
//! own view of `Target`, and a view's size is set only by kio's constructors. A wrapper of a
//! 64-byte `SysMem` cannot claim 4096 bytes.
use kio::io::{
    IoBase,
    SysMem,
    SysMemBackend, //
};
#[derive(Clone, Copy)]
pub struct Wrapper<'a>(SysMem<'a, [u8; 64]>);
impl<'a> IoBase<'a> for Wrapper<'a> {
    type Backend = SysMemBackend;
    type Target = [u8; 4096];
    fn as_view(self) -> SysMem<'a, [u8; 4096]> {
        self.0
    }
}
pub fn f(mem: &mut [u8; 64]) -> u8 {
    kio::io_read!(Wrapper(SysMem::from_mut(mem)), [build: 4000])
}
