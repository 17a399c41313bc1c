// SPDX-License-Identifier: GPL-2.0
// expect: cannot return value referencing local
//! A view that would outlive the backend it was projected from.
use kio::io::{
    SysMem,
    View, //
};
pub fn f<'a>(mem: &'a mut [u32; 4]) -> View<'a, SysMem<'a, [u32; 4]>, u32> {
    let io = SysMem::new(mem);
    kio::io_project!(io, [build: 0])
}
