// SPDX-License-Identifier: GPL-2.0
// expect: builds
//! Legitimate io_struct! input forms: docs with odd contents, every visibility, raw names,
//! types with commas, const-expression lengths, nested blocks and arrays of them, arrays of
//! arrays of rights wrappers, an empty block, references to backends.
use kio::io::{
    Mmio,
    ReadOnly,
    ReadPure,
    WriteOnly, //
};
pub type Arr<T, const N: usize> = [T; N];
const N: usize = 2;
pub mod inner {
    use kio::io::ReadOnly;
    kio::io_struct! {
        /// Same name as the outer one.
        #[derive(Default)]
        pub struct Regs {
            /// doc with `odd` "contents", commas, and ] brackets [
            pub(crate) x: u32,
            pub(super) y: [u32; 3]
        }
    }
    kio::io_struct! {
        pub struct Ro {
            pub ro: ReadOnly<u32>,
        }
    }
}
kio::io_struct! {
    #[doc = "outer"]
    pub struct Regs {
        /// The id.
        pub r#type: ReadPure<u32>,
        #[doc = "status"]
        pub(crate) status: ReadOnly<u32>,
        pub ring: [WriteOnly<u32>; 2 * N],
        pub pair: Arr<u32, 2>,
        pub nested: inner::Ro,
        pub sub: [inner::Ro; N + 1],
        pub raw: core::primitive::u32,
    }
}
kio::io_struct! {
    pub struct Empty {}
}
kio::io_struct! {
    pub struct Status {
        pub status: [[ReadOnly<u32>; 2]; 4],
        pub ids: [[ReadPure<u32>; 2]; 2],
        pub bells: [[WriteOnly<u32>; 2]; 2],
    }
}
pub fn g(regs: Mmio<'_, Status>) -> u32 {
    kio::io_write!(regs, .bells[build: 1][build: 0], 1);
    kio::io_read!(regs, .status[build: 3][build: 1]) + kio::io_read!(regs, .ids[build: 1][build: 1])
}
pub fn f(regs: Mmio<'_, Regs>) -> u32 {
    let r = &regs;
    let rr = &r;
    kio::io_write!(&&&regs, .ring[build: 3], 1);
    let _ = kio::io_read!(rr, .nested.ro);
    let _ = kio::io_read!(regs, .sub[build: 2].ro);
    kio::io_read!(regs, .r#type) + kio::io_read!(regs, .status)
}
