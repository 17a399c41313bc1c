// SPDX-License-Identifier: GPL-2.0
// expect: cannot be sent between threads safely
//! A view of system memory smuggled to another thread inside an `IoSysMap`: the map can hold a
//! `SysMem`, so it must not be `Send` either (cf_sysmem_view_send).
use kio::io::{
    IoSysMap,
    SysMem, //
};
fn spawn<T: Send>(_: T) {}
pub fn f(mem: &mut [u32; 4]) {
    let map: IoSysMap<'_, [u32; 4]> = SysMem::from_mut(mem).into();
    spawn(kio::io_project!(map, [build: 1]));
}
