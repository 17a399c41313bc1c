// SPDX-License-Identifier: GPL-2.0
// expect: is not an I/O region kio can reach
//! A look-alike starting point: a user type whose inherent `as_view` (which method lookup picks
//! before `IoBase::as_view`) returns a look-alike view whose `as_ptr` claims 4096 bytes behind a
//! 4-byte `SysMem`. `io_project!` hands what `as_view` returns to `ProjectStart::new`, which
//! takes only a backend's own view type, so the look-alike is refused whichever method the
//! call resolved to.
use kio::io::SysMem;
#[derive(Clone, Copy)]
pub struct Fake<'a>(SysMem<'a, u32>);
#[derive(Clone, Copy)]
pub struct FakeView<'a>(SysMem<'a, u32>);
impl<'a> Fake<'a> {
    pub fn as_view(self) -> FakeView<'a> {
        FakeView(self.0)
    }
}
impl<'a> FakeView<'a> {
    pub fn as_ptr(self) -> *mut [u8; 4096] {
        self.0.as_ptr().cast()
    }
    pub fn size(self) -> usize {
        4096
    }
}
pub fn f(mem: &mut u32) -> u8 {
    let fake = Fake(SysMem::from_mut(mem));
    kio::io_write!(fake, [build: 4000], 0xff);
    kio::io_read!(fake, [build: 4000])
}
