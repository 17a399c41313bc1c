// SPDX-License-Identifier: GPL-2.0

//! [`Io`]: the methods every view and I/O handle has, and [`IoLoc`], the locations of the
//! untyped accessors.

use super::{
    view,
    IoBackend,
    IoBase,
    IoCapable,
    IoCopyable,
    IoLayout,
    KnownMinSize,
    Plain,
    Readable,
    Region,
    Writable,
    REGION_ALIGN, //
};
use kernel::{
    build_assert::build_assert,
    prelude::*,
    ptr::KnownSize, //
};

/// A location in an untyped region: an offset, the primitive moved there, and the type a caller
/// sees (the primitive itself for a plain `usize` offset, a register type for the kernel's
/// `register!` locations).
///
/// kio implements it for every location of the kernel's own `io::IoLoc` (plain offsets and the
/// types the kernel's `register!` generates), over a [`Region`] of any `SIZE`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a location in `{Base}`",
    label = "not a location here",
    note = "offsets (read32(0x10)) and register! locations address an untyped `Region`, such as the view of a `&pci::Bar`; a typed view is read by field with io_read!/read_val"
)]
pub trait IoLoc<Base: ?Sized, T> {
    /// The primitive of the single access.
    type IoType: Into<T> + From<T>;

    /// The offset of the location, in bytes from the start of the region.
    fn offset(self) -> usize;
}

impl<const SIZE: usize, T, L: kernel::io::IoLoc<T>> IoLoc<Region<SIZE>, T> for L {
    type IoType = <L as kernel::io::IoLoc<T>>::IoType;

    #[inline(always)]
    fn offset(self) -> usize {
        kernel::io::IoLoc::offset(self)
    }
}

/// Whether an access of a `U` at `offset` fits in `size` bytes and is aligned, given a base
/// aligned to at least `align_of::<U>()`.
#[inline(always)]
const fn fits<U>(offset: usize, size: usize) -> bool {
    match offset.checked_add(size_of::<U>()) {
        Some(end) => end <= size && offset % align_of::<U>() == 0,
        None => false,
    }
}

/// The view of the `U` at `offset` in `io`, checked at run time (`EINVAL`).
#[inline(always)]
fn untyped_view<'a, I: Io<'a>, U>(
    io: I,
    offset: usize,
) -> Result<<I::Backend as IoBackend>::View<'a, U>> {
    let whole = io.as_view();
    let base = I::Backend::as_ptr(whole);
    let ptr = base.cast::<u8>().wrapping_add(offset).cast::<U>();
    if !fits::<U>(offset, KnownSize::size(base)) || !ptr.is_aligned() {
        return Err(EINVAL);
    }
    // SAFETY: Derived from the region's pointer, within its bytes and aligned (checked).
    Ok(unsafe { I::Backend::project_view(whole, ptr) })
}

/// The view of the `U` at `offset` in `io`, checked at build time.
#[inline(always)]
fn untyped_view_known<'a, I: Io<'a>, U>(
    io: I,
    offset: usize,
) -> <I::Backend as IoBackend>::View<'a, U>
where
    I::Target: KnownMinSize,
{
    build_assert!(
        fits::<U>(offset, <I::Target as KnownMinSize>::MIN_SIZE),
        "kio: an untyped access is out of the region's build-time size, or unaligned"
    );
    // `U` is the location's `IoType`, which a caller's own `IoLoc` may choose: only types the
    // region's start is aligned for can be reached by an aligned offset.
    build_assert!(
        align_of::<U>() <= REGION_ALIGN,
        "kio: an untyped access of a type aligned beyond REGION_ALIGN"
    );
    let whole = io.as_view();
    let ptr = I::Backend::as_ptr(whole)
        .cast::<u8>()
        .wrapping_add(offset)
        .cast::<U>();
    // SAFETY: The first `MIN_SIZE` bytes of the region hold the access (checked at build time;
    // `KnownMinSize` is sealed, and a `Region<SIZE>` view is at least `SIZE` bytes long). The region starts aligned to
    // `REGION_ALIGN` (invariant of every `Region` view, established by their constructors),
    // which is at least the alignment of `U` (checked above), so an aligned offset is an aligned
    // address.
    unsafe { I::Backend::project_view(whole, ptr) }
}

macro_rules! untyped_accessors {
    ($($ty:ty => $try_read:ident, $try_write:ident, $read:ident, $write:ident;)*) => {$(
        #[doc = concat!("Reads a `", stringify!($ty), "` at `offset`, checked at run time \
            (`EINVAL` if out of the region or unaligned).")]
        #[inline(always)]
        fn $try_read(self, offset: usize) -> Result<$ty>
        where
            usize: IoLoc<Self::Target, $ty, IoType = $ty>,
            Self::Backend: IoCapable<$ty>,
        {
            self.try_read(offset)
        }

        #[doc = concat!("Writes a `", stringify!($ty), "` at `offset`, checked at run time \
            (`EINVAL` if out of the region or unaligned).")]
        #[inline(always)]
        fn $try_write(self, value: $ty, offset: usize) -> Result
        where
            usize: IoLoc<Self::Target, $ty, IoType = $ty>,
            Self::Backend: IoCapable<$ty>,
        {
            self.try_write(offset, value)
        }

        #[doc = concat!("Reads a `", stringify!($ty), "` at `offset`, which must be known at \
            build time to be in the region and aligned (the build fails otherwise).")]
        #[inline(always)]
        fn $read(self, offset: usize) -> $ty
        where
            Self::Target: KnownMinSize,
            usize: IoLoc<Self::Target, $ty, IoType = $ty>,
            Self::Backend: IoCapable<$ty>,
        {
            self.read(offset)
        }

        #[doc = concat!("Writes a `", stringify!($ty), "` at `offset`, which must be known at \
            build time to be in the region and aligned (the build fails otherwise).")]
        #[inline(always)]
        fn $write(self, value: $ty, offset: usize)
        where
            Self::Target: KnownMinSize,
            usize: IoLoc<Self::Target, $ty, IoType = $ty>,
            Self::Backend: IoCapable<$ty>,
        {
            self.write(offset, value)
        }
    )*};
}

/// The methods of every view and I/O handle.
///
/// Implemented for everything that is [`IoBase`]. Which methods build depends on the backend
/// (does it implement [`IoCapable`] for the primitive, [`IoCopyable`]) and on the target (typed
/// accessors for typed views, offset accessors for [`Region`]s).
///
/// # Examples
///
/// ```
/// use kio::io::{Io, IoExt, Region, SysMem};
///
/// #[repr(C)]
/// #[derive(FromBytes, IntoBytes)]
/// struct Pair { a: u32, b: u32 }
///
/// let mut words = [0u64; 2];
/// let bytes = kernel::transmute::AsBytes::as_bytes_mut(&mut words);
/// let region = SysMem::<Region<16>>::from_bytes(bytes)?;
/// region.write32(7, 4);
/// assert_eq!(region.try_read32(4)?, 7);
/// assert_eq!(region.try_read32(2), Err(EINVAL));
/// let pair = region.try_cast::<Pair>()?;
/// assert_eq!(kio::io_read!(pair, .b), 7);
/// assert_eq!(pair.size(), 8);
/// # Ok::<(), Error>(())
/// ```
pub trait Io<'a>: IoBase<'a> {
    /// Returns the size of the region in bytes.
    #[inline(always)]
    fn size(self) -> usize {
        KnownSize::size(Self::Backend::as_ptr(self.as_view()))
    }

    /// Returns the number of elements of a slice region.
    #[inline(always)]
    fn len<T>(self) -> usize
    where
        Self: Io<'a, Target = [T]>,
    {
        Self::Backend::as_ptr(self.as_view()).len()
    }

    /// Returns whether a slice region has no elements.
    #[inline(always)]
    fn is_empty<T>(self) -> bool
    where
        Self: Io<'a, Target = [T]>,
    {
        self.len() == 0
    }

    /// Views the start of the region as a `U`, checking at run time that it fits and is aligned
    /// (`EINVAL` otherwise).
    ///
    /// The region must be [`Plain`] (bytes or integers, without access rights, so no right can
    /// be lost by reinterpreting it) and `U` must have a defined layout ([`IoLayout`]): every
    /// type zerocopy's `IntoBytes` accepts, and register blocks declared with
    /// [`io_struct!`](crate::io_struct).
    #[inline]
    fn try_cast<U>(self) -> Result<<Self::Backend as IoBackend>::View<'a, U>>
    where
        Self::Target: Plain,
        U: IoLayout,
    {
        // SAFETY: `Self::Target: Plain`: the region has no rights that a cast could drop.
        unsafe { view::cast_checked::<Self::Backend, _, _>(self.as_view()) }
    }

    /// Reads the primitive the view covers, in one access.
    ///
    /// Builds for the primitives the backend moves in one go, and for fields declared
    /// [`ReadOnly`](super::ReadOnly) or [`ReadPure`](super::ReadPure); not for
    /// [`WriteOnly`](super::WriteOnly) ones.
    #[inline(always)]
    fn read_val(self) -> <Self::Target as Readable>::Value
    where
        Self::Target: Readable,
        Self::Backend: IoCapable<<Self::Target as Readable>::Value>,
    {
        // SAFETY: `Readable` promises that `Self::Target` has the size and alignment of its
        // `Value`.
        let value = unsafe { view::as_primitive::<Self::Backend, _, _>(self.as_view()) };
        Self::Backend::io_read(value)
    }

    /// Writes the primitive the view covers, in one access.
    ///
    /// Builds for the primitives the backend moves in one go, and for fields declared
    /// [`WriteOnly`](super::WriteOnly); not for [`ReadOnly`](super::ReadOnly) or
    /// [`ReadPure`](super::ReadPure) ones.
    #[inline(always)]
    fn write_val(self, value: <Self::Target as Writable>::Value)
    where
        Self::Target: Writable,
        Self::Backend: IoCapable<<Self::Target as Writable>::Value>,
    {
        // SAFETY: `Writable` promises that `Self::Target` has the size and alignment of its
        // `Value`.
        let target = unsafe { view::as_primitive::<Self::Backend, _, _>(self.as_view()) };
        Self::Backend::io_write(target, value)
    }

    /// Copies the value the view covers out of the region, in accesses of any width and order.
    ///
    /// For MMIO the bytes are not swapped, so a copy of a little-endian register on a big-endian
    /// machine differs from [`Io::read_val`].
    #[inline(always)]
    fn copy_read(self) -> Self::Target
    where
        Self::Backend: IoCopyable,
        Self::Target: Sized + FromBytes,
    {
        Self::Backend::copy_read(self.as_view())
    }

    /// Copies `value` into the region, in accesses of any width and order.
    #[inline(always)]
    fn copy_write(self, value: Self::Target)
    where
        Self::Backend: IoCopyable,
        Self::Target: Sized + IntoBytes,
    {
        Self::Backend::copy_write(self.as_view(), value)
    }

    /// Copies `data` into a byte-slice region of the same length.
    ///
    /// # Panics
    ///
    /// Panics if the lengths differ, as `<[u8]>::copy_from_slice` does. [`IoExt::try_copy_from_slice`]
    /// returns `EINVAL` instead, for slices of any element type.
    ///
    /// [`IoExt::try_copy_from_slice`]: super::IoExt::try_copy_from_slice
    #[inline]
    fn copy_from_slice(self, data: &[u8])
    where
        Self::Backend: IoCopyable,
        Self: Io<'a, Target = [u8]>,
    {
        let Ok(bytes) = view::slice_bytes::<Self::Backend, u8>(self.as_view(), data.len()) else {
            panic!("kio: copy_from_slice: lengths differ");
        };
        // SAFETY: `data` is readable for its length, which is the size of `bytes` (checked by
        // `slice_bytes` on that view itself), and a shared borrow of ordinary memory does not
        // overlap a region reached only through views.
        unsafe { Self::Backend::copy_to_io(bytes, data.as_ptr()) }
    }

    /// Copies a byte-slice region into `data`, of the same length.
    ///
    /// # Panics
    ///
    /// Panics if the lengths differ, as `<[u8]>::copy_from_slice` does. [`IoExt::try_copy_to_slice`]
    /// returns `EINVAL` instead.
    ///
    /// [`IoExt::try_copy_to_slice`]: super::IoExt::try_copy_to_slice
    #[inline]
    fn copy_to_slice(self, data: &mut [u8])
    where
        Self::Backend: IoCopyable,
        Self: Io<'a, Target = [u8]>,
    {
        let Ok(bytes) = view::slice_bytes::<Self::Backend, u8>(self.as_view(), data.len()) else {
            panic!("kio: copy_to_slice: lengths differ");
        };
        // SAFETY: As for `copy_from_slice`; `data` is writable and exclusive.
        unsafe { Self::Backend::copy_from_io(bytes, data.as_mut_ptr()) }
    }

    untyped_accessors! {
        u8 => try_read8, try_write8, read8, write8;
        u16 => try_read16, try_write16, read16, write16;
        u32 => try_read32, try_write32, read32, write32;
        u64 => try_read64, try_write64, read64, write64;
    }

    /// Reads `location`, checked at run time (`EINVAL`).
    #[inline(always)]
    fn try_read<T, L>(self, location: L) -> Result<T>
    where
        L: IoLoc<Self::Target, T>,
        Self::Backend: IoCapable<L::IoType>,
    {
        let view = untyped_view::<Self, L::IoType>(self, location.offset())?;
        Ok(Self::Backend::io_read(view).into())
    }

    /// Writes `value` to `location`, checked at run time (`EINVAL`).
    #[inline(always)]
    fn try_write<T, L>(self, location: L, value: T) -> Result
    where
        L: IoLoc<Self::Target, T>,
        Self::Backend: IoCapable<L::IoType>,
    {
        let view = untyped_view::<Self, L::IoType>(self, location.offset())?;
        Self::Backend::io_write(view, value.into());
        Ok(())
    }

    /// Writes a register value of the kernel's `register!` at the location it carries, checked
    /// at run time (`EINVAL`).
    #[inline(always)]
    fn try_write_reg<T, L, V>(self, value: V) -> Result
    where
        L: IoLoc<Self::Target, T>,
        V: kernel::io::register::LocatedRegister<Location = L, Value = T>,
        Self::Backend: IoCapable<L::IoType>,
    {
        let (location, value) = value.into_io_op();
        self.try_write(location, value)
    }

    /// Reads `location`, passes the value to `f` and writes the result back, checked at run
    /// time (`EINVAL`). Not atomic.
    #[inline(always)]
    fn try_update<T, L, F>(self, location: L, f: F) -> Result
    where
        L: IoLoc<Self::Target, T>,
        Self::Backend: IoCapable<L::IoType>,
        F: FnOnce(T) -> T,
    {
        let view = untyped_view::<Self, L::IoType>(self, location.offset())?;
        let value = f(Self::Backend::io_read(view).into());
        Self::Backend::io_write(view, value.into());
        Ok(())
    }

    /// Reads `location`, which must be known at build time to be in the region and aligned.
    #[inline(always)]
    fn read<T, L>(self, location: L) -> T
    where
        Self::Target: KnownMinSize,
        L: IoLoc<Self::Target, T>,
        Self::Backend: IoCapable<L::IoType>,
    {
        let view = untyped_view_known::<Self, L::IoType>(self, location.offset());
        Self::Backend::io_read(view).into()
    }

    /// Writes `value` to `location`, which must be known at build time to be in the region and
    /// aligned.
    #[inline(always)]
    fn write<T, L>(self, location: L, value: T)
    where
        Self::Target: KnownMinSize,
        L: IoLoc<Self::Target, T>,
        Self::Backend: IoCapable<L::IoType>,
    {
        let view = untyped_view_known::<Self, L::IoType>(self, location.offset());
        Self::Backend::io_write(view, value.into())
    }

    /// Writes a register value of the kernel's `register!` at the location it carries, which
    /// must be known at build time to be in the region.
    #[inline(always)]
    fn write_reg<T, L, V>(self, value: V)
    where
        Self::Target: KnownMinSize,
        L: IoLoc<Self::Target, T>,
        V: kernel::io::register::LocatedRegister<Location = L, Value = T>,
        Self::Backend: IoCapable<L::IoType>,
    {
        let (location, value) = value.into_io_op();
        self.write(location, value)
    }

    /// Reads `location`, passes the value to `f` and writes the result back; the location must be
    /// known at build time to be in the region. Not atomic.
    #[inline(always)]
    fn update<T, L, F>(self, location: L, f: F)
    where
        Self::Target: KnownMinSize,
        L: IoLoc<Self::Target, T>,
        Self::Backend: IoCapable<L::IoType>,
        F: FnOnce(T) -> T,
    {
        let view = untyped_view_known::<Self, L::IoType>(self, location.offset());
        let value = f(Self::Backend::io_read(view).into());
        Self::Backend::io_write(view, value.into())
    }
}

impl<'a, I: IoBase<'a>> Io<'a> for I {}
