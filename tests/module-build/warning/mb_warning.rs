// SPDX-License-Identifier: GPL-2.0

//! Builds, with one rustc warning (an unused variable).

use kernel::prelude::*;

module! {
    type: Warning,
    name: "mb_warning",
    authors: ["kio developers"],
    description: "Test fixture: a module with a rustc warning",
    license: "GPL",
}

struct Warning;

impl kernel::Module for Warning {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let unused = 1;
        Ok(Warning)
    }
}
