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
//! Misuse through the accessors does not build: `io_write!` of a `ReadOnly`/`ReadPure` field
//! and `io_read!` of a `WriteOnly` field are errors that name the field type and its right.
//! Whole-value copies follow the rights too: `copy_read` needs `FromBytes`, which only
//! `ReadPure` carries (a clear-on-read register must not be swept up by a memcpy), and
//! `copy_write` needs `AsBytes`, which only `WriteOnly` carries. A cast (`try_cast`) to another
//! type is an explicit way around the rights, like a cast of a pointer.
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
///
/// Not `FromBytes`: a whole-value `copy_read` of a block with such a field does not build.
#[repr(transparent)]
pub struct ReadOnly<T>(T);

/// A field whose reads have no side effects and which must not be written.
///
/// "Pure" is a promise about the hardware: reading it any number of times (including not at
/// all) is indistinguishable for the device.
#[repr(transparent)]
pub struct ReadPure<T>(T);

impl<T: Copy> ReadPure<T> {
    /// The value, e.g. of a register block read whole with `copy_read`.
    pub fn get(&self) -> T {
        self.0
    }
}

/// A field that may only be written; reading it is meaningless or harmful.
#[repr(transparent)]
pub struct WriteOnly<T>(T);

impl<T> WriteOnly<T> {
    /// Wraps `value`, e.g. to build a register block written whole with `copy_write`.
    pub const fn new(value: T) -> Self {
        Self(value)
    }
}

/// Types a view can read with `io_read!`/`read_val`: the primitive read, and whether reading
/// is free of side effects.
///
/// # Safety
///
/// `Self` is `Self::Value` or a transparent wrapper of it: same size and alignment, and the
/// valid values of the two are the same, so a read of a `Value` at a `Self` is a valid
/// `Value` and a write of a `Value` leaves a valid `Self`.
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
/// As for [`Readable`]: `Self` is `Self::Value` or a transparent wrapper of it.
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
unsafe impl<T: FromBytes> FromBytes for ReadPure<T> {}
// SAFETY: A transparent wrapper: the same bytes are initialised.
unsafe impl<T: AsBytes> AsBytes for WriteOnly<T> {}
