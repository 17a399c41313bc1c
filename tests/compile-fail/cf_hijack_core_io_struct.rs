// SPDX-License-Identifier: GPL-2.0
// expect: has padding
//! A crate that names itself `core` and brings its own `assert!`, `mem::offset_of!` and
//! `mem::size_of`: io_struct!'s padding checks must still be the real ones (they reach `core`
//! through `kio::__private`), so a padded block is refused.
extern crate self as core;
extern crate core as real_core;
#[macro_export]
macro_rules! assert {
    ($($t:tt)*) => {};
}
pub mod mem {
    pub const fn size_of<T>() -> usize {
        0
    }
    macro_rules! offset_of {
        ($($t:tt)*) => {
            0usize
        };
    }
    pub(crate) use offset_of;
}
use real_core::{concat, stringify};
kio::io_struct! {
    pub struct Padded {
        pub a: u8,
        pub b: u32,
    }
}
fn is_io_layout<T: kio::io::IoLayout>() {}
pub fn f() {
    is_io_layout::<Padded>();
}
