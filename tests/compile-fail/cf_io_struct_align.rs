// SPDX-License-Identifier: GPL-2.0
// expect: has padding
//! A caller's repr(align) adds tail padding.
kio::io_struct! {
    #[repr(align(16))]
    pub struct A {
        pub a: u32,
    }
}
