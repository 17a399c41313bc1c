// SPDX-License-Identifier: GPL-2.0
// expect: cannot be sent between threads safely
//! A view of system memory sent to another thread: `SysMem` is `Copy`, and its copies are plain
//! memory copies, which must not race, so `SysMem` views are neither `Send` nor `Sync`.
use kio::io::SysMem;
fn spawn<T: Send>(_: T) {}
pub fn f(mem: &mut [u32; 4]) {
    let io = SysMem::from_mut(mem);
    spawn(kio::io_project!(io, [build: 1]));
}
