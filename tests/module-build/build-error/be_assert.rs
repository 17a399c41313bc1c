// SPDX-License-Identifier: GPL-2.0

//! Calls an `#[inline(always)]` function whose `build_assert!` fails for the constant it is
//! given: the object references `rust_build_error` and modpost refuses the module.

use kernel::prelude::*;

module! {
    type: BuildAssert,
    name: "be_assert",
    authors: ["kio developers"],
    description: "Test fixture: a failing build_assert! in an inlined function",
    license: "GPL",
}

struct BuildAssert;

/// Lane `i` of four; `i` must be known at build time to be below 4.
#[inline(always)]
fn lane(regs: &[u32; 4], i: usize) -> u32 {
    build_assert!(i < 4, "lane index out of range"); // check: the assertion
    regs[i & 3]
}

#[inline(never)]
fn seventh(regs: &[u32; 4]) -> u32 {
    lane(regs, 7) // call: the caller's constant
}

impl kernel::Module for BuildAssert {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("{}\n", seventh(&[1, 2, 3, 4]));
        Ok(BuildAssert)
    }
}
