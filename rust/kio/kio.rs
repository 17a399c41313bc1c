// SPDX-License-Identifier: GPL-2.0

//! Typed I/O for Rust kernel drivers, as an out-of-tree crate.
//!
//! `kio` grows the kernel's untyped `io::Mmio<SIZE>` into typed I/O: a region of device or
//! shared memory is described by a raw pointer to the Rust type that lays it out, views of such
//! regions exist for every kind of memory (MMIO, relaxed MMIO, DMA-coherent memory, system
//! memory, PCI configuration space, a run-time choice of MMIO or memory), and one [`io::Io`]
//! trait gives them all the same methods.
//!
//! The API has the shape and the names of Linux 7.3's `kernel::io` (`Mmio<'a, T>`,
//! `dma::CoherentView`, `IoBase`, `Io`, `io_project!`, `io_read!`, `io_write!`, ...), so I/O
//! code written for 7.3 builds on a 7.2 kernel against kio once `kernel::io` is renamed
//! `kio::io` (and `kernel::dma::CoherentView` `kio::dma::CoherentView`). kio's own additions
//! (access rights, build-time casts, slice copies that return errors) use names 7.3 does not
//! have.
//!
//! The crate is linked into each module that uses it; it has no module state of its own.

pub mod dma;
pub mod io;
pub mod pci;

/// The crates kio's exported macros use, reached through `$crate` so that a caller cannot put
/// crates of its own in their place (`extern crate self as kernel;` would otherwise make
/// `::kernel::...` in a macro expansion name the caller's code). Not an API.
#[doc(hidden)]
pub mod __private {
    pub use ::core;
    pub use ::kernel;
}

/// The prefix of kio's log lines (`pr_*!` use it; kio has no `module!` to define it).
#[doc(hidden)]
pub const __LOG_PREFIX: &[u8] = b"kio\0";
