// SPDX-License-Identifier: GPL-2.0

//! Per-field access rights: [`ReadOnly`], [`WriteOnly`] and [`ReadPure`].
//!
//! A register block is a Rust type; its fields say how each register may be used. A plain
//! primitive field (`u32`) can be read and written. Wrapping it declares less:
//!
//! | field type | `io_read!` | `io_write!` | meaning |
//! |---|---|---|---|
//! | `u32` | yes | yes | an ordinary register or memory word |
//! | `ReadOnly<u32>` | yes | no | reads may have side effects (e.g. clear-on-read status) |
//! | `ReadPure<u32>` | yes | no | reads have no side effects (e.g. an ID register) |
//! | `WriteOnly<u32>` | no | yes | a doorbell, a command register |
//!
//! Misuse does not build: `io_write!` of a `ReadOnly`/`ReadPure` field and `io_read!` of a
//! `WriteOnly` field are errors that name the field type and its right.
//!
//! The wrappers are `#[repr(transparent)]`, so a register block has the same layout with or
//! without them, and projections reach the wrapped field like any other.
//!
//! # Examples
//!
//! ```ignore
//! use kio::io::{ReadPure, WriteOnly};
//!
//! #[repr(C)]
//! struct Regs {
//!     boot0: ReadPure<u32>,
//!     scratch: u32,
//!     doorbell: WriteOnly<u32>,
//! }
//!
//! let chip = kio::io_read!(regs, .boot0);
//! kio::io_write!(regs, .doorbell, 1);
//! // kio::io_write!(regs, .boot0, 0);   // does not build: `boot0` is read-only
//! // kio::io_read!(regs, .doorbell);    // does not build: `doorbell` is write-only
//! ```

use kernel::transmute::{
    AsBytes,
    FromBytes, //
};

/// A field whose reads may have side effects and which must not be written.
#[repr(transparent)]
pub struct ReadOnly<T>(T);

/// A field whose reads have no side effects and which must not be written.
///
/// "Pure" is a promise about the hardware: reading it any number of times (including not at
/// all) is indistinguishable for the device.
#[repr(transparent)]
pub struct ReadPure<T>(T);

/// A field that may only be written; reading it is meaningless or harmful.
#[repr(transparent)]
pub struct WriteOnly<T>(T);

/// Types a view can read with `io_read!`/`read_val`: the primitive read, and whether reading
/// is free of side effects.
///
/// # Safety
///
/// `Self` has the size and alignment of `Self::Value`, and any `Self::Value` is a valid `Self`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read with io_read!/read_val",
    label = "this field is write-only, or not a primitive",
    note = "io_read! reads one primitive; use copy_read() for structs and arrays"
)]
pub unsafe trait Readable {
    /// The primitive that is read.
    type Value;
    /// Whether a read has no side effects on the device.
    const PURE: bool;
}

/// Types a view can write with `io_write!`/`write_val`.
///
/// # Safety
///
/// `Self` has the size and alignment of `Self::Value`, and any `Self::Value` is a valid `Self`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written with io_write!/write_val",
    label = "this field is read-only, or not a primitive",
    note = "io_write! writes one primitive; use copy_write() for structs and arrays"
)]
pub unsafe trait Writable {
    /// The primitive that is written.
    type Value;
}

macro_rules! rights {
    ($($ty:ty),*) => {$(
        // SAFETY: `Self` is `Value`.
        unsafe impl Readable for $ty {
            type Value = $ty;
            const PURE: bool = true;
        }
        // SAFETY: `Self` is `Value`.
        unsafe impl Writable for $ty {
            type Value = $ty;
        }
        // SAFETY: `ReadOnly` is a transparent wrapper without invariants.
        unsafe impl Readable for ReadOnly<$ty> {
            type Value = $ty;
            const PURE: bool = false;
        }
        // SAFETY: `ReadPure` is a transparent wrapper without invariants.
        unsafe impl Readable for ReadPure<$ty> {
            type Value = $ty;
            const PURE: bool = true;
        }
        // SAFETY: `WriteOnly` is a transparent wrapper without invariants.
        unsafe impl Writable for WriteOnly<$ty> {
            type Value = $ty;
        }
    )*};
}

rights!(u8, u16, u32, u64);

// The wrappers carry over only the byte-level trait that matches their direction, so whole-value
// copies respect the rights too: `copy_read` needs `FromBytes` and `copy_write` needs `AsBytes`.

// SAFETY: A transparent wrapper: the same bytes are valid.
unsafe impl<T: FromBytes> FromBytes for ReadOnly<T> {}
// SAFETY: A transparent wrapper: the same bytes are valid.
unsafe impl<T: FromBytes> FromBytes for ReadPure<T> {}
// SAFETY: A transparent wrapper: the same bytes are initialised.
unsafe impl<T: AsBytes> AsBytes for WriteOnly<T> {}
