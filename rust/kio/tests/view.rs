// SPDX-License-Identifier: GPL-2.0

//! KUnit suites for views, projections and copies: `kio_view` on system memory, `kio_view_edu`
//! on edu's BAR0 (MMIO) and `kio_coherent` on DMA-coherent memory of the edu device.

use super::*;
use kernel::dma::Coherent;
use kio::{
    io::{
        IoSysMap,
        ReadOnly,
        ReadPure,
        WriteOnly, //
    },
    io_project,
    io_read,
    io_write, //
};

/// A small device-shared structure with every primitive width.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Debug, FromBytes, IntoBytes)]
pub(crate) struct Item {
    pub(crate) tag: u8,
    pub(crate) flags: u8,
    pub(crate) len: u16,
    pub(crate) seq: u32,
    pub(crate) addr: u64,
}

// SAFETY: Primitives only, no padding (1 + 1 + 2 + 4 + 8 bytes, in order; the `IntoBytes`
// derive checks it).
unsafe impl kernel::transmute::FromBytes for Item {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for Item {}

/// Two words in a tuple struct, for `.0`/`.1` projections.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Debug, FromBytes, IntoBytes)]
pub(crate) struct Pair(pub(crate) u32, pub(crate) u32);

/// A ring of items and payloads of odd sizes, with a nested tuple struct.
#[repr(C)]
#[derive(FromBytes, IntoBytes)]
pub(crate) struct Ring {
    pub(crate) head: u32,
    pub(crate) tail: u32,
    pub(crate) pair: Pair,
    pub(crate) items: [Item; 8],
    pub(crate) one: [u8; 1],
    pub(crate) three: [u8; 3],
    pub(crate) page: [u8; 4095],
    pub(crate) _pad: [u8; 5],
    pub(crate) big: Big,
}

/// A structure larger than a page.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes)]
pub(crate) struct Big {
    pub(crate) words: [u64; 520],
}

// SAFETY: Primitives and arrays of them, no padding (checked by the `IntoBytes` derive).
unsafe impl kernel::transmute::FromBytes for Ring {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for Ring {}

/// Allocates a zeroed `Ring` on the heap (it is larger than a kernel stack should hold).
pub(crate) fn ring() -> Result<KBox<Ring>> {
    let ring = KBox::<Ring>::new_uninit(GFP_KERNEL | __GFP_ZERO)?;
    // SAFETY: Zeroed memory is a valid `Ring` (`FromBytes`).
    Ok(unsafe { ring.assume_init() })
}

fn pattern(i: usize) -> u8 {
    (i * 7 + 3) as u8
}

#[kunit_tests(kio_view)]
mod view_tests {
    use super::*;

    #[test]
    fn ring_layout() {
        assert_eq!(size_of::<Item>(), 16);
        assert_eq!(core::mem::offset_of!(Ring, items), 16);
        assert_eq!(core::mem::offset_of!(Ring, page), 16 + 128 + 4);
        assert_eq!(core::mem::offset_of!(Ring, big), 16 + 128 + 4 + 4095 + 5);
        assert_eq!(size_of::<Ring>(), 16 + 128 + 4 + 4095 + 5 + 4160);
    }

    #[test]
    fn field_and_tuple_projection() -> Result {
        let mut r = ring()?;
        let io = SysMem::from_mut(&mut *r);
        io_write!(io, .head, 7);
        io_write!(io, .pair.1, 0xdead_beef);
        assert_eq!(io_read!(io, .head), 7);
        assert_eq!(io_read!(io, .pair.1), 0xdead_beef);
        assert_eq!(io_read!(io, .pair.0), 0);
        assert_eq!(r.head, 7);
        assert_eq!(r.pair, Pair(0, 0xdead_beef));
        Ok(())
    }

    #[test]
    fn nested_projection_every_width() -> Result {
        let mut r = ring()?;
        let io = SysMem::from_mut(&mut *r);
        io_write!(io, .items[build: 2].tag, 0xa1);
        io_write!(io, .items[build: 2].len, 0xb2c3);
        io_write!(io, .items[build: 2].seq, 0xd4e5_f607);
        io_write!(io, .items[build: 2].addr, 0x1122_3344_5566_7788);
        let item = io_project!(io, .items[build: 2]);
        assert_eq!(io_read!(item, .tag), 0xa1);
        assert_eq!(io_read!(item, .len), 0xb2c3);
        assert_eq!(io_read!(item, .seq), 0xd4e5_f607);
        assert_eq!(io_read!(item, .addr), 0x1122_3344_5566_7788);
        assert_eq!(
            r.items[2],
            Item {
                tag: 0xa1,
                flags: 0,
                len: 0xb2c3,
                seq: 0xd4e5_f607,
                addr: 0x1122_3344_5566_7788
            }
        );
        Ok(())
    }

    #[test]
    fn try_index_in_and_out_of_range() -> Result {
        let mut r = ring()?;
        let io = SysMem::from_mut(&mut *r);
        for i in 0..8u32 {
            io_write!(io, .items[try: i as usize].seq, i + 100);
        }
        assert_eq!(io_read!(io, .items[try: 7].seq), 107);
        let past = (|| -> Result<u32> { Ok(io_read!(io, .items[try: 8].seq)) })();
        assert_eq!(past.err(), Some(ERANGE));
        let huge = (|| -> Result {
            io_write!(io, .items[try: usize::MAX].seq, 1);
            Ok(())
        })();
        assert_eq!(huge.err(), Some(ERANGE));
        assert!(r.items.iter().zip(100..).all(|(it, s)| it.seq == s));
        Ok(())
    }

    #[test]
    fn panic_index_in_range() -> Result {
        let mut r = ring()?;
        let io = SysMem::from_mut(&mut *r);
        let i = core::hint::black_box(5usize);
        io_write!(io, .items[panic: i].flags, 0x5a);
        assert_eq!(io_read!(io, .items[panic: i].flags), 0x5a);
        Ok(())
    }

    #[test]
    fn view_of_view_keeps_backend() -> Result {
        let mut r = ring()?;
        let io = SysMem::from_mut(&mut *r);
        let items = io_project!(io, .items);
        let third: SysMem<'_, Item> = io_project!(items, [build: 3]);
        io_write!(third, .seq, 33);
        assert_eq!(io_read!(io, .items[build: 3].seq), 33);
        assert_eq!(third.size(), 16);
        assert_eq!(
            third.as_ptr().addr() - io.as_ptr().addr(),
            16 + 3 * size_of::<Item>()
        );
        Ok(())
    }

    #[test]
    fn slice_backend_try_index() -> Result {
        let mut words = KVec::from_elem(0u32, 10, GFP_KERNEL)?;
        let io = SysMem::from_mut_slice(&mut words[..]);
        assert_eq!(io.size(), 40);
        io_write!(io, [try: 9], 99);
        io_write!(io, [build: 0], 1);
        assert_eq!(io_read!(io, [try: 9]), 99);
        let past = (|| -> Result<u32> { Ok(io_read!(io, [try: 10])) })();
        assert_eq!(past.err(), Some(ERANGE));
        assert_eq!((words[0], words[9]), (1, 99));
        Ok(())
    }

    #[test]
    fn try_cast_success_and_each_failure() -> Result {
        let mut r = ring()?;
        let io = SysMem::from_mut(&mut *r);
        let items = io_project!(io, .items);
        let words = items.try_cast::<[u32; 32]>()?;
        io_write!(words, [build: 1], 0x0102_0304);
        assert_eq!(io_read!(io, .items[build: 0].addr), 0);
        assert_eq!(io_read!(io, .items[build: 0].seq), 0x0102_0304);
        // Larger than the view.
        assert_eq!(items.try_cast::<[u32; 33]>().err(), Some(EINVAL));
        // Misaligned for the target: `three` is at an odd-ish offset.
        let three = io_project!(io, .three);
        assert_eq!(three.try_cast::<u16>().err(), Some(EINVAL));
        assert_eq!(io_project!(io, .one).try_cast::<u16>().err(), Some(EINVAL));
        Ok(())
    }

    #[test]
    fn copy_struct_round_trip() -> Result {
        let mut r = ring()?;
        let io = SysMem::from_mut(&mut *r);
        let item = Item {
            tag: 1,
            flags: 2,
            len: 3,
            seq: 4,
            addr: 5,
        };
        io_project!(io, .items[build: 6]).copy_write(item);
        assert_eq!(io_project!(io, .items[build: 6]).copy_read(), item);
        assert_eq!(io_read!(io, .items[build: 6].addr), 5);
        Ok(())
    }

    #[test]
    fn copy_odd_sizes() -> Result {
        let mut r = ring()?;
        let io = SysMem::from_mut(&mut *r);
        io_project!(io, .one).copy_write([0xee]);
        io_project!(io, .three).copy_write([1, 2, 3]);
        let mut page = KVec::from_elem(0u8, 4095, GFP_KERNEL)?;
        for (i, b) in page.iter_mut().enumerate() {
            *b = pattern(i);
        }
        let view = io_project!(io, .page);
        let slice: SysMem<'_, [u8]> = io_project!(view, [try: 0..4095]);
        slice.try_copy_from_slice(&page)?;
        assert_eq!(io_project!(io, .one).copy_read(), [0xee]);
        assert_eq!(io_project!(io, .three).copy_read(), [1, 2, 3]);
        let mut back = KVec::from_elem(0u8, 4095, GFP_KERNEL)?;
        slice.try_copy_to_slice(&mut back)?;
        assert!(back.iter().enumerate().all(|(i, b)| *b == pattern(i)));
        assert!(r.page.iter().enumerate().all(|(i, b)| *b == pattern(i)));
        assert_eq!((r.one, r.three, r._pad), ([0xee], [1, 2, 3], [0; 5]));
        Ok(())
    }

    #[test]
    fn copy_slice_length_mismatch() -> Result {
        let mut r = ring()?;
        let io = SysMem::from_mut(&mut *r);
        let slice: SysMem<'_, [u8]> = io_project!(io, .page[try: 10..20]);
        let mut small = [0u8; 9];
        assert_eq!(slice.try_copy_to_slice(&mut small).err(), Some(EINVAL));
        assert_eq!(slice.try_copy_from_slice(&[1u8; 11]).err(), Some(EINVAL));
        assert_eq!(io_read!(io, .page[build: 10]), 0);
        Ok(())
    }

    #[test]
    fn copy_larger_than_a_page() -> Result {
        let mut r = ring()?;
        for (i, w) in r.big.words.iter_mut().enumerate() {
            *w = (i as u64) << 32 | 0xabcd;
        }
        let io = SysMem::from_mut(&mut *r);
        let big = KBox::new(io_project!(io, .big).copy_read(), GFP_KERNEL)?;
        assert_eq!(size_of::<Big>(), 4160);
        assert!(big
            .words
            .iter()
            .enumerate()
            .all(|(i, w)| *w == (i as u64) << 32 | 0xabcd));
        let mut twice = KBox::new(*big, GFP_KERNEL)?;
        for w in twice.words.iter_mut() {
            *w = !*w;
        }
        io_project!(io, .big).copy_write(*twice);
        assert_eq!(
            io_read!(io, .big.words[build: 519]),
            !(519u64 << 32 | 0xabcd)
        );
        Ok(())
    }

    #[test]
    fn copy_read_into_fills_the_callers_buffer() -> Result {
        let mut r = ring()?;
        for (i, w) in r.big.words.iter_mut().enumerate() {
            *w = !(i as u64);
        }
        r.items[6].seq = 0x1234_5678;
        let io = SysMem::from_mut(&mut *r);
        // Straight into a heap buffer: no 4 KiB value on the stack.
        let mut big = KBox::new(Big { words: [7; 520] }, GFP_KERNEL)?;
        io_project!(io, .big).copy_read_into(&mut big);
        assert!(big.words.iter().enumerate().all(|(i, w)| *w == !(i as u64)));
        let mut item = Item::default();
        io_project!(io, .items[build: 6]).copy_read_into(&mut item);
        assert_eq!(item.seq, 0x1234_5678);
        // The copy is taken when it is asked for, not from an earlier read: a write between two
        // copies shows in the second.
        io_write!(io, .items[build: 6].seq, 9);
        io_project!(io, .items[build: 6]).copy_read_into(&mut item);
        assert_eq!(item.seq, 9);
        Ok(())
    }

    #[test]
    fn access_rights_allowed_directions() -> Result {
        kio::io_struct! {
            struct Regs {
                id: ReadPure<u32>,
                status: ReadOnly<u32>,
                doorbell: WriteOnly<u32>,
                _reserved: u32,
                scratch: u64,
            }
        }
        let mut words = [0u64; 3];
        let mem = SysMem::<Region<24>>::from_bytes(words.as_mut_bytes())?;
        let io = mem.try_cast::<Regs>()?;
        // SAFETY: Test set-up: plant values behind the read-only fields through the bytes.
        unsafe { io.as_ptr().cast::<u32>().write_volatile(0x1234) };
        io_write!(io, .doorbell, 0x55);
        io_write!(io, .scratch, 9);
        assert_eq!(io_read!(io, .id), 0x1234);
        assert_eq!(io_read!(io, .status), 0);
        assert_eq!(io_read!(io, .scratch), 9);
        assert_eq!(words, [0x1234, 0x55, 9]);
        Ok(())
    }

    #[test]
    fn cast_ignoring_rights_is_checked_at_runtime() -> Result {
        kio::io_struct! {
            struct Regs {
                status: ReadOnly<u32>,
                doorbell: WriteOnly<u32>,
            }
        }
        let mut words = [0u64; 1];
        let mem = SysMem::<Region<8>>::from_bytes(words.as_mut_bytes())?;
        let regs = mem.try_cast::<Regs>()?;
        io_write!(regs, .doorbell, 0x77);
        // SAFETY: System memory: reading back the write-only word has no side effect.
        let doorbell = unsafe { io_project!(regs, .doorbell).try_cast_ignoring_rights::<u32>() }?;
        assert_eq!(doorbell.read_val(), 0x77);
        // SAFETY: As above; the write to the read-only word only plants a value.
        let status = unsafe { io_project!(regs, .status).try_cast_ignoring_rights::<u32>() }?;
        status.write_val(0x99);
        assert_eq!(io_read!(regs, .status), 0x99);
        // Size and alignment are still checked.
        // SAFETY: Fails before any access.
        let wide = unsafe { io_project!(regs, .doorbell).try_cast_ignoring_rights::<u64>() };
        assert_eq!(wide.err(), Some(EINVAL));
        assert_eq!(words, [0x77_0000_0099]);
        Ok(())
    }

    #[test]
    fn slice_views_len_and_byte_copies() -> Result {
        let mut r = ring()?;
        let io = SysMem::from_mut(&mut *r);
        let window: SysMem<'_, [u8]> = io_project!(io, .page[try: 100..108]);
        assert_eq!(
            (window.len(), window.is_empty(), window.size()),
            (8, false, 8)
        );
        let empty: SysMem<'_, [u8]> = io_project!(io, .page[try: 5..5]);
        assert!(empty.is_empty());
        // Upstream's byte-slice copies (same lengths; a mismatch would panic, as
        // `<[u8]>::copy_from_slice` does).
        window.copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let mut back = [0u8; 8];
        window.copy_to_slice(&mut back);
        assert_eq!(back, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(r.page[100..108], [1, 2, 3, 4, 5, 6, 7, 8]);
        Ok(())
    }

    #[test]
    fn byte_copies_use_one_view_of_a_changing_start() -> Result {
        // `IoBase` is safe: a start may return a different (real) view on each call. The copy
        // must check the length of the view it copies, so the 4-byte view is the one used.
        #[derive(Clone, Copy)]
        struct Changing<'a> {
            calls: &'a core::cell::Cell<u32>,
            short: SysMem<'a, [u8]>,
            long: SysMem<'a, [u8]>,
        }
        impl<'a> kio::io::IoBase<'a> for Changing<'a> {
            type Backend = kio::io::SysMemBackend;
            type Target = [u8];
            fn as_view(self) -> SysMem<'a, [u8]> {
                let n = self.calls.get();
                self.calls.set(n + 1);
                if n == 0 {
                    self.short
                } else {
                    self.long
                }
            }
        }
        let mut short = [1u8, 2, 3, 4];
        let mut long = KVec::from_elem(9u8, 4096, GFP_KERNEL)?;
        let calls = core::cell::Cell::new(0);
        let start = Changing {
            calls: &calls,
            short: SysMem::from_mut_slice(&mut short[..]),
            long: SysMem::from_mut_slice(&mut long[..]),
        };
        let mut out = [[0u8; 4]; 2];
        start.copy_to_slice(&mut out[0]);
        assert_eq!(calls.get(), 1);
        assert_eq!(out, [[1, 2, 3, 4], [0; 4]]);
        Ok(())
    }

    #[test]
    fn generic_code_over_any_view() -> Result {
        fn sum<'a, V>(v: V) -> u32
        where
            V: kio::io::View<'a, Target = [u32; 4]>,
            V::Backend: kio::io::IoCapable<u32>,
        {
            (0..4).map(|i| io_read!(v, [panic: i])).sum()
        }
        let mut words = [1u32, 20, 300, 4000];
        assert_eq!(sum(SysMem::from_mut(&mut words)), 4321);
        let map: IoSysMap<'_, [u32; 4]> = SysMem::from_mut(&mut words).into();
        assert_eq!(sum(map), 4321);
        Ok(())
    }

    #[test]
    fn sysmap_on_system_memory() -> Result {
        let mut r = ring()?;
        let map: IoSysMap<'_, Ring> = SysMem::from_mut(&mut *r).into();
        io_write!(map, .items[build: 2].seq, 0xabcd);
        io_project!(map, .pair).copy_write(Pair(5, 6));
        assert_eq!(io_read!(map, .items[try: 2].seq), 0xabcd);
        assert_eq!(io_project!(map, .pair).copy_read(), Pair(5, 6));
        assert!(matches!(io_project!(map, .head), IoSysMap::Sys(_)));
        assert_eq!((r.items[2].seq, r.pair), (0xabcd, Pair(5, 6)));
        Ok(())
    }
}

#[kunit_tests(kio_view_edu)]
mod view_edu_tests {
    use super::*;

    #[test]
    fn typed_registers_read_write() -> Result {
        let (id, back, fact) = with_edu(|bar| {
            let regs = bar.cast::<EduRegs>();
            io_write!(regs, .liveness, 0x00ff_00ff);
            io_write!(regs, .factorial, 5);
            read_poll_timeout_atomic(
                || Ok(io_read!(regs, .status)),
                |s| s & 1 == 0,
                Delta::from_micros(10),
                100_000,
            )?;
            Ok((
                io_read!(regs, .id),
                io_read!(regs, .liveness),
                io_read!(regs, .factorial),
            ))
        })?;
        assert_eq!(id, 0x0100_00ed);
        assert_eq!(back, 0xff00_ff00);
        assert_eq!(fact, 120);
        Ok(())
    }

    #[test]
    fn relaxed_and_64bit_projection() -> Result {
        let (src, dst) = with_edu(|bar| {
            let regs = bar.relaxed().cast::<EduRegs>();
            io_write!(regs, .dma_src, 0x1_0000_2000u64);
            io_write!(regs, .dma_dst, 0x40000u64);
            Ok((io_read!(regs, .dma_src), io_read!(regs, .dma_dst)))
        })?;
        assert_eq!(src, 0x1_0000_2000);
        assert_eq!(dst, 0x40000);
        Ok(())
    }

    #[test]
    fn copy_read_of_registers() -> Result {
        let (head, id, live) = with_edu(|bar| {
            let regs = bar.cast::<EduRegs>();
            io_write!(regs, .liveness, 0x1357_9bdf);
            // memcpy_fromio moves 32-bit words here, which is what edu answers.
            let words = bar.cast::<[u32; 2]>();
            let mut head = [0u32; 2];
            io_project!(words, [build: 0..2]).try_copy_to_slice(&mut head)?;
            Ok((head, io_read!(regs, .id), io_read!(regs, .liveness)))
        })?;
        assert_eq!(head, [id, live]);
        assert_eq!(head, [0x0100_00ed, !0x1357_9bdf]);
        Ok(())
    }

    #[test]
    fn try_index_on_mmio() -> Result {
        let (ok, past) = with_edu(|bar| {
            let words = bar.cast::<[u32; 8]>();
            let ok = (|| -> Result<u32> { Ok(io_read!(words, [try: 0])) })();
            let past = (|| -> Result<u32> { Ok(io_read!(words, [try: 8])) })();
            Ok((ok, past))
        })?;
        assert_eq!(ok.ok(), Some(0x0100_00ed));
        assert_eq!(past.err(), Some(ERANGE));
        Ok(())
    }

    #[test]
    fn sysmap_on_mmio() -> Result {
        let (id, back, is_io, head) = with_edu(|bar| {
            let map: IoSysMap<'_, EduRegs> = bar.cast::<EduRegs>().into();
            io_write!(map, .liveness, 0x0000_ffff);
            // A copy through the map is the MMIO copy (`memcpy_fromio`).
            let words: IoSysMap<'_, [u32; 2]> = bar.cast::<[u32; 2]>().into();
            Ok((
                io_read!(map, .id),
                io_read!(map, .liveness),
                matches!(map, IoSysMap::Io(_)),
                words.copy_read(),
            ))
        })?;
        assert_eq!((id, back, is_io), (0x0100_00ed, 0xffff_0000, true));
        assert_eq!(head, [0x0100_00ed, 0xffff_0000]);
        Ok(())
    }
}

#[kunit_tests(kio_coherent)]
mod coherent_tests {
    use super::*;
    use kernel::{
        sync::Completion,
        workqueue, //
    };

    #[test]
    fn coherent_views_move_to_a_work_item() -> Result {
        let res = edu_res()?;
        let done = Arc::pin_init(Completion::new(), GFP_KERNEL)?;
        // The views below must be `'static` to go into a work item: lend them the allocation
        // through a reference count that is taken back only after the work item is done.
        let raw = Arc::into_raw(res);
        // SAFETY: `raw` comes from `Arc::into_raw` and stays counted until `Arc::from_raw`
        // below, which runs after the work item's last use of the views (or when it never
        // ran).
        let res: &'static EduRes = unsafe { &*raw };
        io_write!(res.ring, .items[build: 5].seq, 0);
        io_write!(res.ring, .head, 0);
        let seq = io_project!(res.ring, .items[build: 5].seq);
        let head = io_project!(res.ring, .head);
        let signal = done.clone();
        let spawned = workqueue::system().try_spawn(GFP_KERNEL, move || {
            seq.write_val(0x5e4d);
            head.write_val(seq.read_val() + 1);
            signal.complete_all();
        });
        if spawned.is_ok() {
            done.wait_for_completion();
        }
        let (seq_back, head_back) = (
            io_read!(res.ring, .items[build: 5].seq),
            io_read!(res.ring, .head),
        );
        // SAFETY: From `Arc::into_raw` above. The work item completed after its last access
        // through the views and touches nothing after, or was never queued.
        drop(unsafe { Arc::from_raw(raw) });
        spawned?;
        assert_eq!(seq_back, 0x5e4d);
        assert_eq!(head_back, 0x5e4e);
        Ok(())
    }

    #[test]
    fn coherent_projection_and_memory() -> Result {
        let res = edu_res()?;
        let ring = &res.ring;
        io_write!(ring, .items[build: 1].seq, 0x600d);
        io_write!(ring, .head, 3);
        assert_eq!(io_read!(ring, .items[try: 1].seq), 0x600d);
        // SAFETY: The device was never told about this memory; nothing else writes it.
        let items = unsafe { io_project!(ring, .items).as_ref() };
        assert_eq!(items[1].seq, 0x600d);
        assert_eq!(io_read!(ring, .head), 3);
        Ok(())
    }

    #[test]
    fn coherent_as_mut_then_read() -> Result {
        let res = edu_res()?;
        let ring = &res.ring;
        {
            // SAFETY: The device never sees this memory and no other view is used meanwhile.
            let item = unsafe { io_project!(ring, .items[build: 7]).as_mut() };
            item.addr = 0xfeed_f00d;
            item.tag = 7;
        }
        assert_eq!(io_read!(ring, .items[build: 7].addr), 0xfeed_f00d);
        assert_eq!(io_read!(ring, .items[build: 7].tag), 7);
        Ok(())
    }

    #[test]
    fn coherent_slice_try_and_copy() -> Result {
        let res = edu_res()?;
        let items = &res.items;
        let n = items.len();
        for i in 0..n {
            io_project!(items, [try: i]).copy_write(Item {
                tag: i as u8,
                flags: 0,
                len: 2 * i as u16,
                seq: 1000 + i as u32,
                addr: 0,
            });
        }
        let past = (|| -> Result<Item> { Ok(io_project!(items, [try: n]).copy_read()) })();
        assert_eq!(past.err(), Some(ERANGE));
        let mut back = KVec::from_elem(Item::default(), n, GFP_KERNEL)?;
        io_project!(items, [try: 0..n]).try_copy_to_slice(&mut back)?;
        assert!(back
            .iter()
            .enumerate()
            .all(|(i, it)| it.seq == 1000 + i as u32));
        assert_eq!(io_read!(items, [try: n - 1].len), 2 * (n as u16 - 1));
        Ok(())
    }

    #[test]
    fn coherent_sub_view_dma_address() -> Result {
        let res = edu_res()?;
        let ring = &res.ring;
        let base = ring.dma_handle();
        assert_eq!(ring.as_view().dma_address(), base);
        let seq = io_project!(ring, .items[build: 5].seq);
        let expect = core::mem::offset_of!(Ring, items) + 5 * size_of::<Item>() + 4;
        assert_eq!(seq.dma_address(), base + expect as u64);
        // A projection of a projection, and a sub-slice of a slice allocation.
        let items = io_project!(ring, .items);
        let fourth = io_project!(items, [try: 4]);
        assert_eq!(
            fourth.dma_address() - items.dma_address(),
            4 * size_of::<Item>() as u64
        );
        let n = res.items.len();
        let tail = io_project!(&res.items, [try: 2..n]);
        assert_eq!((tail.len(), tail.is_empty()), (n - 2, false));
        assert_eq!(
            tail.dma_address(),
            res.items.dma_handle() + 2 * size_of::<Item>() as u64
        );
        // The system-memory view of the same bytes sees the same values.
        io_write!(ring, .items[build: 5].seq, 0x77);
        assert_eq!(seq.as_sys_mem().read_val(), 0x77);
        Ok(())
    }

    /// Every 7.2 `dma_read!`/`dma_write!` form next to its kio replacement, on the same
    /// allocation: same values read, same bytes left in memory.
    #[test]
    fn dma_macro_migration() -> Result {
        let res = edu_res()?;
        let items: &Coherent<[Item]> = &res.items;
        let item = Item {
            tag: 0x11,
            flags: 0x22,
            len: 0x3344,
            seq: 0x5566_7788,
            addr: 0x99aa_bbcc_ddee_ff00,
        };
        for i in 0..6 {
            io_project!(items, [try: i]).copy_write(Item::default());
        }

        // Whole element, fallible index: dma_write!(a, [try: i], v) -> copy_write.
        kernel::dma_write!(items, [try: 0], item);
        io_project!(items, [try: 1]).copy_write(item);
        // Primitive field: dma_write!(a, [..].f, v) -> io_write!.
        kernel::dma_write!(items, [try: 2].seq, 0x0bad_cafe);
        io_write!(items, [try: 3].seq, 0x0bad_cafe);
        // Panicking index.
        kernel::dma_write!(items, [panic: 4].addr, 42);
        io_write!(items, [panic: 5].addr, 42);

        // Reads: dma_read!(a, p) -> copy_read() / io_read! for primitives.
        let old_whole = kernel::dma_read!(items, [try: 1]);
        let new_whole = io_project!(items, [try: 0]).copy_read();
        assert_eq!(old_whole, new_whole);
        assert_eq!(new_whole, item);
        let old_seq = kernel::dma_read!(items, [try: 3].seq);
        let new_seq = io_read!(items, [try: 2].seq);
        assert_eq!((old_seq, new_seq), (0x0bad_cafe, 0x0bad_cafe));
        assert_eq!(
            kernel::dma_read!(items, [panic: 5].addr),
            io_read!(items, [panic: 4].addr)
        );

        // Field of a single (non-slice) allocation: dma_write!(a, .f, v) / dma_read!(a, .f).
        let ring = &res.ring;
        kernel::dma_write!(ring, .pair.0, 0x1111_2222);
        io_write!(ring, .pair.1, 0x1111_2222);
        assert_eq!(kernel::dma_read!(ring, .pair.1), io_read!(ring, .pair.0));
        assert_eq!(io_read!(ring, .pair.0), io_read!(ring, .pair.1));

        // The memory each pair left behind is identical, byte for byte.
        for (a, b) in [(0, 1), (2, 3), (4, 5)] {
            let x = io_project!(items, [try: a]).copy_read();
            let y = io_project!(items, [try: b]).copy_read();
            assert_eq!(
                kernel::transmute::AsBytes::as_bytes(&x),
                kernel::transmute::AsBytes::as_bytes(&y)
            );
        }
        Ok(())
    }
}
