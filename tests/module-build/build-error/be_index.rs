// SPDX-License-Identifier: GPL-2.0

//! Indexes a `[u32; 4]` at `[build: 9]`: the compiler proves the index out of range, so the
//! object references `rust_build_error` and modpost refuses the module.

use kernel::prelude::*;

module! {
    type: BuildIndex,
    name: "be_index",
    authors: ["kio developers"],
    description: "Test fixture: an out-of-range build-time index",
    license: "GPL",
}

struct BuildIndex;

#[inline(never)]
fn ninth(regs: &mut [u32; 4]) -> u32 {
    let regs: *mut [u32; 4] = regs;
    let reg = kernel::ptr::project!(mut regs, [build: 9]); // check: out of range

    // SAFETY: Never reached at run time: the module is refused for the index above.
    unsafe { reg.read_volatile() }
}

impl kernel::Module for BuildIndex {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut regs = [0u32; 4];
        pr_info!("{}\n", ninth(&mut regs));
        Ok(BuildIndex)
    }
}
