// SPDX-License-Identifier: GPL-2.0

//! Per-field access rights ([`ReadOnly`], [`WriteOnly`], [`ReadPure`]) and the layout traits
//! that keep them: [`IoLayout`] and [`Plain`].
//!
//! A register block is a Rust type; its fields say how each register may be used. A plain
//! primitive field (`u32`) can be read and written. Wrapping it declares less:
//!
//! | field type | `io_read!` | `io_write!` | whole-value copies | meaning |
//! |---|---|---|---|---|
//! | `u32` | yes | yes | read and write | an ordinary register or memory word |
//! | `ReadOnly<u32>` | yes | no | neither | reads may have side effects (clear-on-read) |
//! | `ReadPure<u32>` | yes | no | `copy_read` only | reads have no side effects (an ID) |
//! | `WriteOnly<u32>` | no | yes | `copy_write` only | a doorbell, a command register |
//!
//! The rights hold on every safe route to the memory:
//!
//! - single accesses: `io_write!` of a `ReadOnly`/`ReadPure` field and `io_read!` of a
//!   `WriteOnly` field do not build ([`Readable`], [`Writable`]);
//! - whole-value copies: `copy_read` needs zerocopy's `FromBytes`, which only `ReadPure` of the
//!   wrappers has, and `copy_write` needs `IntoBytes`, which only `WriteOnly` has. zerocopy's
//!   derives check every field, and implementing its traits by hand takes an `unsafe impl`, so
//!   in safe code a block with a `ReadOnly` field can be neither copied in nor out as a whole;
//! - casts: a view can only be cast if what it covers is [`Plain`] (no rights at all), so a
//!   right cannot be dropped by reinterpreting the memory. `IoExt::try_cast_ignoring_rights` is
//!   the `unsafe` way around, for a driver that knows better.
//!
//! What the rights do not cover: the device itself (a `ReadPure` register that the hardware
//! changes anyway), the escape hatches marked `unsafe`, and raw pointers from `Io::as_ptr`.
//!
//! # Layouts
//!
//! Every type that describes I/O memory, as the target of a backend or of a cast, is
//! [`IoLayout`]: its fields are at offsets the compiler may not change and it has no padding.
//! Types deriving zerocopy's `IntoBytes` are (the derive refuses `repr(Rust)` and padding);
//! register blocks with access rights are declared with [`io_struct!`](crate::io_struct),
//! which adds `#[repr(C)]` and proves at build time that there is no padding.
//!
//! # Examples
//!
//! ```
//! use kio::io::{
//!     IoExt,
//!     Mmio,
//!     ReadPure,
//!     Region,
//!     WriteOnly, //
//! };
//!
//! kio::io_struct! {
//!     /// A tiny register block.
//!     pub struct Regs {
//!         /// Identification.
//!         pub boot0: ReadPure<u32>,
//!         /// Free for the driver.
//!         pub scratch: u32,
//!         /// Rings the doorbell.
//!         pub doorbell: WriteOnly<u32>,
//!     }
//! }
//!
//! fn ring(bar: Mmio<'_, Region<0x100>>) -> u32 {
//!     let regs = bar.cast::<Regs>();
//!     kio::io_write!(regs, .doorbell, 1);
//!     // kio::io_write!(regs, .boot0, 0);   // does not build: `boot0` is read-only
//!     // kio::io_read!(regs, .doorbell);    // does not build: `doorbell` is write-only
//!     kio::io_read!(regs, .boot0)
//! }
//! ```

use kernel::prelude::*;
use zerocopy_derive::{
    Immutable,
    KnownLayout, //
};

/// A field whose reads may have side effects and which must not be written.
///
/// Neither `FromBytes` nor `IntoBytes`: a block with such a field cannot be copied as a whole.
#[repr(transparent)]
#[derive(KnownLayout, Immutable)]
pub struct ReadOnly<T>(T);

/// A field whose reads have no side effects and which must not be written.
///
/// "Pure" is a promise about the hardware: reading it any number of times (including not at
/// all) is indistinguishable for the device. It is `FromBytes`, so a block of such fields can
/// be read whole with `copy_read`, but not `IntoBytes`.
#[repr(transparent)]
#[derive(FromBytes, KnownLayout, Immutable)]
pub struct ReadPure<T>(T);

impl<T: Copy> ReadPure<T> {
    /// The value, e.g. of a register block read whole with `copy_read`.
    #[inline(always)]
    pub fn get(&self) -> T {
        self.0
    }
}

/// A field that may only be written; reading it is meaningless or harmful.
///
/// It is `IntoBytes`, so a block of such fields can be written whole with `copy_write`, but
/// not `FromBytes`.
#[repr(transparent)]
#[derive(IntoBytes, KnownLayout, Immutable)]
pub struct WriteOnly<T>(T);

impl<T> WriteOnly<T> {
    /// Wraps `value`, e.g. to build a register block written whole with `copy_write`.
    #[inline(always)]
    pub const fn new(value: T) -> Self {
        Self(value)
    }
}

mod sealed {
    /// Keeps [`Readable`](super::Readable) and [`Writable`](super::Writable) to the types of
    /// this module.
    pub trait Sealed {}
}

/// Types a view can read with `io_read!`/`read_val`: the primitive read.
///
/// Sealed: implemented for `u8`..`u64` and their [`ReadOnly`] and [`ReadPure`] wrappers.
///
/// # Safety
///
/// `Self` is `Self::Value` or a transparent wrapper of it: same size and alignment, and the
/// valid values of the two are the same.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read in one access (io_read!/read_val)",
    label = "io_read!/read_val read one u8, u16, u32 or u64 (plain, ReadOnly or ReadPure)",
    note = "a struct or an array: copy it whole with `io_project!(io, proj).copy_read()`, or name a primitive field: `io_read!(io, proj.field)`",
    note = "a `WriteOnly<_>` register cannot be read at all"
)]
pub unsafe trait Readable: Sized + sealed::Sealed {
    /// The primitive that is read.
    type Value;
}

/// Types a view can write with `io_write!`/`write_val`.
///
/// Sealed: implemented for `u8`..`u64` and their [`WriteOnly`] wrapper.
///
/// # Safety
///
/// As for [`Readable`]: `Self` is `Self::Value` or a transparent wrapper of it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written in one access (io_write!/write_val)",
    label = "io_write!/write_val write one u8, u16, u32 or u64 (plain or WriteOnly)",
    note = "a struct or an array: copy it whole with `io_project!(io, proj).copy_write(value)`, or name a primitive field: `io_write!(io, proj.field, value)`",
    note = "a `ReadOnly<_>` or `ReadPure<_>` register cannot be written at all"
)]
pub unsafe trait Writable: Sized + sealed::Sealed {
    /// The primitive that is written.
    type Value;
}

macro_rules! rights {
    ($($ty:ty),*) => {$(
        impl sealed::Sealed for $ty {}
        impl sealed::Sealed for ReadOnly<$ty> {}
        impl sealed::Sealed for ReadPure<$ty> {}
        impl sealed::Sealed for WriteOnly<$ty> {}
        // SAFETY: `Self` is `Value`.
        unsafe impl Readable for $ty {
            type Value = $ty;
        }
        // SAFETY: `Self` is `Value`.
        unsafe impl Writable for $ty {
            type Value = $ty;
        }
        // SAFETY: `ReadOnly` is a transparent wrapper without invariants.
        unsafe impl Readable for ReadOnly<$ty> {
            type Value = $ty;
        }
        // SAFETY: `ReadPure` is a transparent wrapper without invariants.
        unsafe impl Readable for ReadPure<$ty> {
            type Value = $ty;
        }
        // SAFETY: `WriteOnly` is a transparent wrapper without invariants.
        unsafe impl Writable for WriteOnly<$ty> {
            type Value = $ty;
        }
    )*};
}

rights!(u8, u16, u32, u64);

/// Types with a layout fit to describe I/O memory: the target of a backend or of a cast.
///
/// Implemented for every type that is zerocopy's `IntoBytes` (a primitive, an array or slice of
/// such, a `#[repr(C)]`/`#[repr(transparent)]` struct without padding deriving it), for
/// [`ReadOnly`] and [`ReadPure`] wrappers and arrays of them, and for the blocks declared with
/// [`io_struct!`](crate::io_struct).
///
/// The trait says nothing about the alignment of fields: `repr(packed)` types are `IoLayout`,
/// and it is `io_project!` (through the kernel's `project!`) that refuses to reach a field that
/// may be unaligned.
///
/// # Safety
///
/// The offset of every field of `Self` is fixed by its `repr` (the compiler may not reorder
/// fields), `Self` has no padding bytes, and the fields are `IoLayout` themselves.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no layout that I/O memory can be described with",
    label = "not `IoLayout`",
    note = "derive zerocopy's `IntoBytes` (needs `#[repr(C)]` and no padding), or declare a block with access rights with `kio::io_struct!`"
)]
pub unsafe trait IoLayout {}

// SAFETY: zerocopy's `IntoBytes` derive only accepts types whose representation fixes their
// layout (`repr(C)`, `repr(transparent)`, `repr(packed)`, primitive enum reprs) and that have
// no padding; zerocopy's own impls are for primitives, arrays and slices, which have none
// either. Any other impl is an `unsafe impl` whose author promises the same.
unsafe impl<T: ?Sized + IntoBytes> IoLayout for T {}

// SAFETY: Transparent wrappers: the layout of `T`, which is `IoLayout`.
unsafe impl<T: IoLayout> IoLayout for ReadOnly<T> {}
// SAFETY: As above.
unsafe impl<T: IoLayout> IoLayout for ReadPure<T> {}

// Arrays of `ReadOnly`/`ReadPure` cannot be `IoLayout` through a generic impl: coherence
// cannot rule out that zerocopy makes them `IntoBytes` one day, which the impl above covers.
// `io_struct!` checks the element type of an array field instead.

/// `Self` is `E`, an array of `E` or an array of arrays of `E`: how `io_struct!` ties the type it
/// checks for [`IoLayout`] to the type of the field. Not an API.
///
/// # Safety
///
/// `Self` is one of those three forms, so that it is `IoLayout` when `E` is.
#[doc(hidden)]
pub unsafe trait FieldOf<E> {}

// SAFETY: The first form.
unsafe impl<E> FieldOf<E> for E {}
// SAFETY: The second form.
unsafe impl<E, const N: usize> FieldOf<E> for [E; N] {}
// SAFETY: The third form.
unsafe impl<E, const M: usize, const N: usize> FieldOf<E> for [[E; M]; N] {}

/// Fails the build unless the field type `T` is `E`, `[E; N]` or `[[E; M]; N]` and `E` is
/// [`IoLayout`]; `io_struct!` calls it by path for each field, so that no trait of the
/// caller's can answer instead, and it checks the pair (a caller of the macro's inner rules
/// cannot name an unrelated `E`). Not an API.
#[doc(hidden)]
pub const fn assert_io_layout<T: FieldOf<E>, E: IoLayout>() {}

/// Memory without access rights: any bytes are a valid value and every byte may be read and
/// written, as a whole or in parts.
///
/// It is what a view must cover to be cast ([`Io::try_cast`](super::Io::try_cast)): a cast
/// reinterprets the memory, so it must not start from memory whose type restricts access.
/// Implemented for the untyped [`Region`](super::Region) and every type that is both zerocopy's
/// `FromBytes` and `IntoBytes` (which a block with a [`ReadOnly`], [`ReadPure`] or
/// [`WriteOnly`] field never is).
///
/// # Safety
///
/// `Self` has no access rights anywhere in it, and no bytes that are invalid or padding.
#[diagnostic::on_unimplemented(
    message = "`{Self}` carries access rights or has no plain layout, so it cannot be cast",
    label = "not `Plain`",
    note = "a cast could read a write-only or write a read-only register: project to the field you want instead, or, if the device allows it, use the unsafe `IoExt::try_cast_ignoring_rights`"
)]
pub unsafe trait Plain {}

// SAFETY: `FromBytes` makes every byte pattern valid and `IntoBytes` rules out padding; the
// rights wrappers implement at most one of the two, so a type with one of them in it (which
// the derives check field by field) implements at most one as well.
unsafe impl<T: ?Sized + FromBytes + IntoBytes> Plain for T {}

// SAFETY: A region is bytes, without any rights.
unsafe impl<const SIZE: usize> Plain for super::Region<SIZE> {}

/// Declares a `#[repr(C)]` register or memory block that may contain access-right fields,
/// and proves at build time that it has no padding.
///
/// The struct gets `#[repr(C)]` (do not add another `repr`) and an implementation of
/// [`IoLayout`](crate::io::IoLayout), so backends can be cast to it. Every field must be
/// `IoLayout` (a primitive, a rights wrapper, another such block), or an array or array of
/// arrays of such (written out as `[T; N]` or `[[T; M]; N]`, not through a type alias); each
/// field must start where the previous one ends, and the struct must end where
/// the last field does. The build checks all of this against the struct that was actually
/// generated (so `#[cfg]` on a field or on the struct cannot hide a hole). Other attributes,
/// such as derives and docs, are kept. The checks use only paths through `kio` itself, so a
/// caller's crate cannot answer them with its own `core` or `kernel`.
///
/// # Examples
///
/// ```
/// use kio::io::{
///     ReadOnly,
///     WriteOnly, //
/// };
///
/// kio::io_struct! {
///     /// A command queue's doorbells.
///     pub struct Doorbells {
///         /// Read clears the pending bits.
///         pub pending: ReadOnly<u32>,
///         /// One per queue.
///         pub ring: [WriteOnly<u32>; 3],
///     }
/// }
/// assert_eq!(size_of::<Doorbells>(), 16);
/// ```
#[macro_export]
macro_rules! io_struct {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident { $($body:tt)* }
    ) => {
        $crate::io_struct!(@field [$(#[$attr])* $vis $name] [] [] $($body)*);
    };
    // An array of arrays: the innermost element type must be `IoLayout`.
    (@field $head:tt [$($fields:tt)*] [$($checks:tt)*]
        $(#[$fattr:meta])* $fvis:vis $field:ident : [[$elem:ty; $inner:expr]; $n:expr]
        $(, $($rest:tt)*)?
    ) => {
        $crate::io_struct!(@field $head
            [$($fields)* $(#[$fattr])* $fvis $field: [[$elem; $inner]; $n],]
            [$($checks)* ($field, [[$elem; $inner]; $n], $elem)]
            $($($rest)*)?);
    };
    // An array field: its element type must be `IoLayout`.
    (@field $head:tt [$($fields:tt)*] [$($checks:tt)*]
        $(#[$fattr:meta])* $fvis:vis $field:ident : [$elem:ty; $n:expr] $(, $($rest:tt)*)?
    ) => {
        $crate::io_struct!(@field $head
            [$($fields)* $(#[$fattr])* $fvis $field: [$elem; $n],]
            [$($checks)* ($field, [$elem; $n], $elem)]
            $($($rest)*)?);
    };
    // Any other field: its type must be `IoLayout`.
    (@field $head:tt [$($fields:tt)*] [$($checks:tt)*]
        $(#[$fattr:meta])* $fvis:vis $field:ident : $ty:ty $(, $($rest:tt)*)?
    ) => {
        $crate::io_struct!(@field $head
            [$($fields)* $(#[$fattr])* $fvis $field: $ty,]
            [$($checks)* ($field, $ty, $ty)]
            $($($rest)*)?);
    };
    (@field [$(#[$attr:meta])* $vis:vis $name:ident] [$($fields:tt)*]
        [$(($field:ident, $ty:ty, $layout:ty))*]
    ) => {
        $(#[$attr])*
        #[repr(C)]
        $vis struct $name {
            $($fields)*
        }

        const _: () = {
            $($crate::io::assert_io_layout::<$ty, $layout>();)*
            let mut end = 0usize;
            $(
                $crate::__private::core::assert!(
                    $crate::__private::core::mem::offset_of!($name, $field) == end,
                    $crate::__private::core::concat!(
                        "io_struct!: `",
                        $crate::__private::core::stringify!($name),
                        "` has padding: reorder its fields or add explicit reserved fields"
                    ),
                );
                end += $crate::__private::core::mem::size_of::<$ty>();
            )*
            $crate::__private::core::assert!(
                $crate::__private::core::mem::size_of::<$name>() == end,
                $crate::__private::core::concat!(
                    "io_struct!: `",
                    $crate::__private::core::stringify!($name),
                    "` has padding: reorder its fields or add explicit reserved fields"
                ),
            );
        };

        const _: () = {
            // The generated struct has exactly the fields declared, of the types declared.
            #[allow(dead_code)]
            fn same_fields(value: &$name) {
                let $name { $($field: _),* } = value;
                $(let _: &$ty = &value.$field;)*
            }
        };

        // SAFETY: `#[repr(C)]` fixes the fields' order and offsets; the checks above prove, on
        // the struct as generated, that it has exactly the declared fields, each `IoLayout` (or
        // an array of an `IoLayout` element), each starting where the previous one ends, and
        // that it ends where the last one does: no padding.
        unsafe impl $crate::io::IoLayout for $name {}
    };
}
