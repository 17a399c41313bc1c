// SPDX-License-Identifier: GPL-2.0
// expect: cannot be sent between threads safely
//! A SysMem view projected from a reference to a view (`io_project!` reaches the view through
//! auto-deref), cast, and sent to another thread.
use kio::io::{
    Io,
    Region,
    SysMem, //
};
fn spawn<T: Send>(_: T) {}
pub fn f(mem: &mut [u8; 64]) -> kernel::error::Result {
    let io = SysMem::<Region<64>>::from_bytes(mem)?;
    let r = &io;
    spawn(kio::io_project!(r,).try_cast::<u32>()?);
    Ok(())
}
