// SPDX-License-Identifier: GPL-2.0

//! Builds without a warning under rustc and clippy.

use kernel::prelude::*;

module! {
    type: Clean,
    name: "mb_clean",
    authors: ["kio developers"],
    description: "Test fixture: a module without warnings",
    license: "GPL",
}

struct Clean;

impl kernel::Module for Clean {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("clean\n");
        Ok(Clean)
    }
}
