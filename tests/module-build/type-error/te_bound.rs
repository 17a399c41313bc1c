// SPDX-License-Identifier: GPL-2.0

//! Two type errors: a value that is not `Send` handed to a function that needs `Send` (its
//! diagnostic carries "required because ..." and "required by a bound" notes), then a
//! mismatched type.

use kernel::prelude::*;

module! {
    type: TypeError,
    name: "te_bound",
    authors: ["kio developers"],
    description: "Test fixture: a long trait-bound error, then a second error",
    license: "GPL",
}

struct TypeError;

/// Holds a raw pointer, which makes it neither `Send` nor `Sync`.
struct Holder {
    _ptr: *const u8,
}

/// Accepts only values that may move to another thread.
fn needs_send<T: Send>(_value: T) {}

fn first() {
    needs_send(Holder {
        _ptr: core::ptr::null(),
    });
}

fn second() -> u32 {
    "not a number"
}

impl kernel::Module for TypeError {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        first();
        pr_info!("{}\n", second());
        Ok(TypeError)
    }
}
