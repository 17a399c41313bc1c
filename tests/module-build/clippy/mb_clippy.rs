// SPDX-License-Identifier: GPL-2.0

//! Builds without a rustc warning, but clippy warns (the kernel's `clippy::cast_lossless`).

use kernel::prelude::*;

module! {
    type: Clippy,
    name: "mb_clippy",
    authors: ["kio developers"],
    description: "Test fixture: a module clippy warns about",
    license: "GPL",
}

struct Clippy;

#[inline(never)]
fn widen(x: u32) -> u64 {
    x as u64
}

impl kernel::Module for Clippy {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("{}\n", widen(7));
        Ok(Clippy)
    }
}
