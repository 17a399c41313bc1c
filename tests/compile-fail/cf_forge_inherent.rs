// SPDX-License-Identifier: GPL-2.0
// expect: is not a kio I/O backend or view
//! A look-alike backend: a user type whose inherent `into_view`, `backend` and `as_ptr` claim
//! 4096 bytes behind a 4-byte `SysMem`. The macros take only kio's backends and views, found
//! through a fully qualified call of the sealed `IntoView`, so method lookup cannot pick these.
use kio::io::SysMem;
pub struct Fake<'a>(&'a SysMem<'a, u32>);
pub struct FakeView<'a>(&'a SysMem<'a, u32>);
impl<'a> Fake<'a> {
    pub fn into_view(&self) -> FakeView<'a> {
        FakeView(self.0)
    }
}
impl<'a> FakeView<'a> {
    pub fn backend(&self) -> &'a SysMem<'a, u32> {
        self.0
    }
    pub fn as_ptr(&self) -> *mut [u8; 4096] {
        kio::io::Io::as_ptr(self.0).cast()
    }
}
pub fn f(mem: &mut u32) -> u8 {
    let io = SysMem::new(mem);
    let fake = Fake(&io);
    kio::io_write!(fake, [build: 4000], 0xff);
    kio::io_read!(fake, [build: 4000])
}
