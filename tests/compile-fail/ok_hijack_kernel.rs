// SPDX-License-Identifier: GPL-2.0
// expect: builds
//! A crate that names itself `kernel` (`extern crate self as kernel;`) and defines its own
//! `ptr::project!`: kio's macros must not use it, since it would compute the pointer of a view
//! (this one fails the build if it is ever expanded). They reach the kernel crate through
//! `kio::__private` instead of a `::kernel` path that the caller's crate resolves.
extern crate self as kernel;
pub mod ptr {
    macro_rules! project {
        ($($t:tt)*) => {
            compile_error!("io_project! used the calling crate's `kernel::ptr::project!`")
        };
    }
    pub(crate) use project;
}
pub fn f(mem: &mut [u32; 4]) {
    let io = kio::io::SysMem::from_mut(mem);
    kio::io_write!(io, [build: 1], 0xdead_beef);
}
