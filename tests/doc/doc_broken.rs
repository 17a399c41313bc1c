// SPDX-License-Identifier: GPL-2.0

//! A crate with two documentation mistakes that `make doc` must refuse: a link to an item that
//! does not exist, and a backtick left open (the kernel's `rustdoc::unescaped_backticks`).

/// Reads the status register; its layout is [`NoSuchRegister`]. // broken: link
pub fn status() -> u32 {
    0
}

/// Writes `value to the control register. // broken: backtick
pub fn set_control(_value: u32) {}
