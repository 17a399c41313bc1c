// SPDX-License-Identifier: GPL-2.0

//! Typed I/O for Rust kernel drivers, as an out-of-tree crate.
//!
//! `kio` grows the kernel's untyped `io::Mmio<SIZE>` into typed I/O: a region of device or
//! shared memory is described by a raw pointer to the Rust type that lays it out, and every
//! backend (MMIO, relaxed MMIO, system memory) implements one [`io::Io`] trait over it.
//!
//! The module paths follow `kernel::io` so that a driver written against `kio` moves to the
//! upstream API by replacing `kio::` with `kernel::`.
//!
//! The crate is linked into each module that uses it; it has no module state of its own.

pub mod io;
