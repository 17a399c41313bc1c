// SPDX-License-Identifier: GPL-2.0
// expect: no rules expected
//! A generic block: the macro must refuse it (it could not check every instantiation).
kio::io_struct! {
    pub struct G<T> {
        pub a: u8,
        pub b: T,
    }
}
