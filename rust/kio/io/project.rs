// SPDX-License-Identifier: GPL-2.0

//! The projection macros: [`io_project!`], [`io_read!`] and [`io_write!`].
//!
//! [`io_project!`]: crate::io_project
//! [`io_read!`]: crate::io_read
//! [`io_write!`]: crate::io_write

/// Projects a view, or anything a view starts from, to a view of a part of it.
///
/// `io_project!(io, proj)` takes a view ([`Mmio`](crate::io::Mmio),
/// [`SysMem`](crate::io::SysMem), [`CoherentView`](crate::dma::CoherentView), ...) or a handle
/// of a whole region (`&dma::Coherent<T>`, `&pci::Bar`; anything [`IoBase`](crate::io::IoBase)),
/// and a projection in the syntax of the kernel's [`kernel::ptr::project!`], which does the
/// pointer arithmetic:
///
/// - `.field` and `.0`: a field of a struct or tuple; a field of a `#[repr(packed)]` struct that
///   would be unaligned does not build, and neither does going through a type with `Deref`;
/// - `[build: i]`: an element of an array or slice, proven in bounds at build time;
/// - `[try: i]`: an element, checked at run time; out of range returns `ERANGE` from the
///   enclosing function (`?`);
/// - `[panic: i]`: an element, checked at run time; out of range panics;
/// - any of the three with a range (`[try: a..b]`, `[build: ..n]`): a sub-slice.
///
/// Steps chain in any order (`.queue[try: n].header.seq`). The result is a view of the same
/// backend, borrowing the same mapping.
///
/// # Examples
///
/// ```
/// use kio::{io_project, io_read, io_write, io::SysMem};
///
/// #[repr(C)]
/// #[derive(FromBytes, IntoBytes)]
/// struct Ring { head: u32, tail: u32, slots: [u64; 8] }
///
/// fn demo(ring: &mut Ring) -> Result {
///     let io = SysMem::from_mut(ring);
///     let slots = io_project!(io, .slots);
///     io_write!(slots, [build: 3], 0xfeed);
///     assert_eq!(io_read!(io, .slots[try: 3]), 0xfeed);
///     assert!((|| -> Result<u64> { Ok(io_read!(io, .slots[try: 8])) })().is_err());
///     Ok(())
/// }
///
/// let mut ring = Ring { head: 0, tail: 0, slots: [0; 8] };
/// demo(&mut ring)?;
/// assert_eq!(ring.slots[3], 0xfeed);
/// # Ok::<(), Error>(())
/// ```
#[macro_export]
macro_rules! io_project {
    ($io:expr, $($proj:tt)*) => {{
        #[allow(unused_imports)]
        use $crate::io::IoBase as _;
        // `ProjectStart::new` accepts nothing but a backend's own view type, whatever method
        // `as_view` resolved to, so what the projection starts from is a view kio can trust.
        // A `match` keeps temporaries of `$io` alive for the whole statement.
        match $crate::io::ProjectStart::new(($io).as_view()) {
            start => {
                $crate::__io_check_projection!($($proj)*);
                let ptr = $crate::__private::kernel::ptr::project!(mut start.as_ptr(), $($proj)*);
                #[allow(unused_unsafe)]
                // SAFETY: `kernel::ptr::project!` returns a pointer derived from its input (same
                // provenance) whose pointee lies within the input's pointee, i.e. within the
                // view. It is aligned: the view is (invariant of every view), an element of an
                // aligned array is, and `project!` refuses to build a projection to a field that
                // could be unaligned (it takes a reference to the field in dead code, which the
                // compiler rejects for a field of a packed struct; `cf_packed` fails if that
                // ever changes).
                unsafe { start.project(ptr) }
            }
        }
    }};
}

/// Refuses, at build time, a projection step that `kernel::ptr::project!` would take as one field
/// but is two: `.0.1` is the dot and the single number token `0.1`, and the field access
/// `(*ptr).0.1` that `project!` builds for it would go through a `Deref` of the type of `.0`
/// (out of the region) without meeting `project!`'s guard, which checks only the outer type.
/// Not an API.
#[doc(hidden)]
#[macro_export]
macro_rules! __io_check_projection {
    () => {};
    (. $index:literal $($rest:tt)*) => {
        const _: () = $crate::__private::core::assert!(
            $crate::io::projection_step_is_one_field($crate::__private::core::stringify!($index)),
            "io_project!: write `.0.1` as `.0 .1`: one field per step, so that no step passes through a `Deref`"
        );
        $crate::__io_check_projection!($($rest)*);
    };
    ($other:tt $($rest:tt)*) => {
        $crate::__io_check_projection!($($rest)*);
    };
}

/// Whether a numeric field token names one field (`0`), not two (`0.1`). Not an API.
#[doc(hidden)]
pub const fn projection_step_is_one_field(token: &str) -> bool {
    let bytes = token.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'.' {
            return false;
        }
        i += 1;
    }
    true
}

/// Reads the primitive at a projection of a view.
///
/// `io_read!(io, proj)` is `io_project!(io, proj).read_val()`. It builds only for the
/// primitives the backend moves in one go ([`IoCapable`](crate::io::IoCapable)), and not for
/// fields declared [`WriteOnly`](crate::io::WriteOnly). Use `copy_read()` for anything larger.
///
/// # Examples
///
/// ```
/// use kio::io::SysMem;
///
/// #[repr(C)]
/// #[derive(FromBytes, IntoBytes)]
/// struct Msg { seq: u32, len: u32 }
///
/// let mut queue = [Msg { seq: 1, len: 0 }, Msg { seq: 2, len: 0 }];
/// let queue = SysMem::from_mut(&mut queue);
/// let i = 1;
/// assert_eq!(kio::io_read!(queue, [try: i].seq), 2);
/// # Ok::<(), Error>(())
/// ```
#[macro_export]
macro_rules! io_read {
    ($io:expr, $($proj:tt)*) => {
        $crate::io::Io::read_val($crate::io_project!($io, $($proj)*))
    };
}

/// Writes a primitive to a projection of a view.
///
/// `io_write!(io, proj, value)` is `io_project!(io, proj).write_val(value)`. It builds only
/// for the primitives the backend moves in one go, when `value` has the field's type, and not
/// for fields declared [`ReadOnly`](crate::io::ReadOnly) or [`ReadPure`](crate::io::ReadPure).
///
/// # Examples
///
/// ```
/// use kio::io::SysMem;
///
/// #[repr(C)]
/// #[derive(FromBytes, IntoBytes)]
/// struct Header { seq: u32, doorbell: u32 }
///
/// let mut msgs = [Header { seq: 0, doorbell: 0 }, Header { seq: 0, doorbell: 0 }];
/// let msgs = SysMem::from_mut(&mut msgs);
/// kio::io_write!(msgs, [build: 0].seq, 41);
/// kio::io_write!(msgs, [build: 1].doorbell, 1u32);
/// assert_eq!(kio::io_read!(msgs, [build: 0].seq), 41);
/// ```
#[macro_export]
macro_rules! io_write {
    // The projection is a run of `.field` and `[...]` tokens; collect them until the `,` that
    // introduces the value.
    (@proj [$io:expr] [$($proj:tt)*] , $value:expr $(,)?) => {
        $crate::io::Io::write_val($crate::io_project!($io, $($proj)*), $value)
    };
    (@proj [$io:expr] [$($proj:tt)*] . $field:tt $($rest:tt)*) => {
        $crate::io_write!(@proj [$io] [$($proj)* . $field] $($rest)*)
    };
    (@proj [$io:expr] [$($proj:tt)*] [$($index:tt)*] $($rest:tt)*) => {
        $crate::io_write!(@proj [$io] [$($proj)* [$($index)*]] $($rest)*)
    };
    ($io:expr, $($rest:tt)*) => {
        $crate::io_write!(@proj [$io] [] $($rest)*)
    };
}
