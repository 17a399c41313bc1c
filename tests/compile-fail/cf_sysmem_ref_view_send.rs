// SPDX-License-Identifier: GPL-2.0
// expect: cannot be shared between threads safely
//! A SysMem view made through the `&&X` IntoView impl, sent to another thread.
use kio::io::{
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
