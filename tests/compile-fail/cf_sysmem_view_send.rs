// SPDX-License-Identifier: GPL-2.0
// expect: cannot be shared between threads safely
//! A view of system memory sent to another thread: `SysMem`'s copies are plain memory copies,
//! which must not race, so `SysMem` is not `Sync` and its views are not `Send`.
use kio::io::SysMem;
fn spawn<T: Send>(_: T) {}
pub fn f(mem: &mut [u32; 4]) {
    let io = SysMem::new(mem);
    spawn(kio::io_project!(io, [build: 1]));
}
