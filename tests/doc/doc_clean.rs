// SPDX-License-Identifier: GPL-2.0

//! A crate whose documentation `make doc` must accept: links to its own items and to the
//! kernel crate resolve.

/// Reads the status register; [`set_control`] writes the control register.
pub fn status() -> u32 {
    0
}

/// Writes the control register, or fails with a [`kernel::error::Error`].
pub fn set_control(_value: u32) -> kernel::error::Result {
    Ok(())
}
