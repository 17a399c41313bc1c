// SPDX-License-Identifier: GPL-2.0

//! Typed I/O for Rust kernel drivers, as an out-of-tree crate.
//!
//! `kio` grows the kernel's untyped `io::Mmio<SIZE>` into typed I/O: a region of device or
//! shared memory is described by a raw pointer to the Rust type that lays it out, and every
//! backend (MMIO, relaxed MMIO, DMA-coherent memory, system memory) implements one [`io::Io`]
//! trait over it.
//!
//! The names follow the `kernel::io` of the upstream series (`Mmio`, `View`, `io_project!`,
//! `io_read!`, `io_write!`, `copy_read`, ...), so porting a driver is mostly a matter of
//! renaming `kio::` to `kernel::`. What cannot match, because kio may not change the kernel
//! crate: `Mmio` carries the lifetime of the mapping it borrows (`Mmio::from_kernel`) instead
//! of being what `pci::Bar` dereferences to, and the untyped accessors are the 7.2 kernel's own
//! `kernel::io::Io` trait, implemented for `Region` backends.
//!
//! The crate is linked into each module that uses it; it has no module state of its own.

pub mod io;

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
