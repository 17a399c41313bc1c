// SPDX-License-Identifier: GPL-2.0

//! Wire format of the kio virtual GPU: its register map, the layout of the GSP-like queue
//! memory, message headers, RPC payloads and the message checksum.
//!
//! This file is the only definition of the format. It is compiled twice: by Kbuild as the
//! `vgpu_wire` crate linked into `nova_lite.ko`, and by cargo as the `vgpu-wire` library of the
//! host simulator (`tools/vgpu-sim`). Both use zerocopy 0.8 derives; the kernel build also
//! gets the kernel's own byte-level traits (`kernel::transmute`) for kio's copies.

#![cfg_attr(not(MODULE), no_std)]

use zerocopy_derive::{
    FromBytes,
    Immutable,
    IntoBytes,
    KnownLayout, //
};

/// Size of a queue page and of the GSP memory's header page.
pub const PAGE_SIZE: usize = 4096;
/// Pages in each of the two rings.
pub const QUEUE_PAGES: u32 = 16;

/// The value of `BOOT_0` on a healthy virtual GPU.
pub const CHIP_BOOT_0: u32 = 0x1b40_00a1;
/// Architecture field (`BOOT_0[31:24]`) this driver knows.
pub const CHIP_ARCH: u32 = 0x1b;

/// Register offsets in BAR2 (all 32 bits wide, little endian).
pub mod regs {
    /// Chip identification: architecture `[31:24]`, implementation `[23:20]`, revision `[7:0]`.
    pub const BOOT_0: usize = 0x000;
    /// Bit 0: the GPU is enabled. Writing 0 resets the GSP.
    pub const ENABLE: usize = 0x004;
    /// Bit 0: the GSP is ready; bit 1: the GSP stopped on an error (see `ERROR`).
    pub const STATUS: usize = 0x008;
    /// Error code of the GSP (`ERR_*`).
    pub const ERROR: usize = 0x00c;
    /// Falcon-like mailboxes: the GSP leaves its protocol version in `MAILBOX0` when ready.
    pub const MAILBOX0: usize = 0x010;
    /// Second mailbox, free for the driver.
    pub const MAILBOX1: usize = 0x014;
    /// Doorbell: the driver writes 1 after queueing a command.
    pub const DOORBELL: usize = 0x018;
    /// Guest-physical address of the queue memory ([`GspMem`]), low and high halves.
    pub const QUEUE_BASE_LO: usize = 0x020;
    /// High half of the queue memory's address.
    pub const QUEUE_BASE_HI: usize = 0x024;
    /// Size in bytes of the queue memory.
    pub const QUEUE_SIZE: usize = 0x028;
    /// Writing 1 starts the GSP with the queue memory described above.
    pub const START: usize = 0x030;
    /// Fault injected by the simulator (`FAULT_*`), chosen by the test harness.
    pub const SIM_FAULT: usize = 0x040;
    /// Incremented by the simulator while it runs.
    pub const SIM_HEARTBEAT: usize = 0x044;
    /// Fuzz seed (harness only): non-zero makes the simulator a seeded hostile GSP.
    pub const SIM_FUZZ: usize = 0x048;
    /// The GPU's timer (in the spirit of nova's `PTIMER`): nanoseconds of the GPU's own clock
    /// as one 64-bit register, read with one 64-bit load. The simulator sets it from the host's
    /// monotonic clock at every polling round, so it is host time: the driver measures its
    /// waits for the GSP with it (see `Documentation/kio/pipeline.rst`, "Time").
    pub const PTIMER: usize = 0x050;
    /// End of the register space.
    pub const END: usize = 0x1000;
}

/// `STATUS` bits.
pub const STATUS_READY: u32 = 1 << 0;
/// `STATUS` bits.
pub const STATUS_ERROR: u32 = 1 << 1;

/// `ERROR` codes.
pub const ERR_NONE: u32 = 0;
/// The queue memory's address or size is unusable.
pub const ERR_BAD_QUEUE: u32 = 1;
/// A command failed its checksum or its header was invalid.
pub const ERR_BAD_COMMAND: u32 = 2;

/// Protocol version left in `MAILBOX0` when the GSP is ready.
pub const PROTOCOL_VERSION: u32 = 0x0001_0000;

/// Offset and size of the VRAM aperture in BAR2.
pub const VRAM_OFFSET: usize = 0x10_0000;
/// Size of the VRAM aperture.
pub const VRAM_SIZE: usize = 4 << 20;
/// Size of BAR2 (the host shared-memory file).
pub const BAR2_SIZE: usize = 8 << 20;

/// Faults the simulator can inject (`SIM_FAULT`).
pub mod fault {
    /// No fault.
    pub const NONE: u32 = 0;
    /// `BOOT_0` reads as an unknown chip.
    pub const WRONG_CHIP_ID: u32 = 1;
    /// The GSP never becomes ready.
    pub const NEVER_READY: u32 = 2;
    /// Replies carry a wrong checksum.
    pub const BAD_CHECKSUM: u32 = 3;
    /// The reply queue's write pointer is set out of range.
    pub const PTR_OUT_OF_RANGE: u32 = 4;
    /// A reply claims more pages than the queue has.
    pub const MSG_TOO_LONG: u32 = 5;
    /// A reply has a function nobody asked for.
    pub const UNKNOWN_FUNCTION: u32 = 6;
    /// A reply carries the wrong sequence number.
    pub const SEQ_MISMATCH: u32 = 7;
    /// Commands are consumed but never answered.
    pub const NO_REPLY: u32 = 8;
    /// The running GSP ignores a cleared `ENABLE` for [`STUCK_STOP_MS`] and keeps writing to
    /// the queue memory meanwhile; RPCs are answered normally.
    pub const STUCK_STOP: u32 = 9;
    /// As [`STUCK_STOP`], and commands are never answered, so the probe fails while the GSP
    /// still runs.
    pub const STUCK_NO_REPLY: u32 = 10;
    /// The static-info reply is padded to 13 pages (a valid message of the wrong size).
    pub const OVERSIZED_REPLY: u32 = 11;
    /// Every reply is posted twice.
    pub const DUPLICATE_REPLY: u32 = 12;
    /// A message with sequence number 0 (nobody asked for it) precedes every reply.
    pub const UNSOLICITED: u32 = 13;
    /// After consuming a command the GSP rewrites the command ring's `write_ptr`, which the
    /// driver owns.
    pub const INDEX_REWRITTEN: u32 = 14;
    /// After consuming a command the GSP sets the command ring's `read_ptr` one past its
    /// `write_ptr`.
    pub const READ_PAST_WRITE: u32 = 15;
    /// The second command stops the GSP with `ERROR` 2 instead of a reply.
    pub const GSP_ERROR: u32 = 16;
    /// Static info reports 176132 MiB of VRAM.
    pub const BAD_VRAM_SIZE: u32 = 17;
    /// Static info carries a chip name that is not UTF-8.
    pub const BAD_CHIP_NAME: u32 = 18;
    /// A copy into VRAM first rewrites the guest's source buffer, then copies it.
    pub const DMA_SOURCE_REWRITE: u32 = 19;
    /// Number of modes, `NONE` included.
    pub const COUNT: u32 = 20;

    /// How long a GSP in [`STUCK_STOP`] or [`STUCK_NO_REPLY`] ignores a cleared `ENABLE`
    /// (longer than the driver's wait for it, even on a busy host).
    pub const STUCK_STOP_MS: u64 = 10_000;

    /// How many times faster than the host's clock `PTIMER` runs while a fault keeps the GSP
    /// silent on purpose: started but never ready ([`NEVER_READY`]), a command consumed and
    /// left unanswered ([`NO_REPLY`], [`STUCK_NO_REPLY`]), or ignoring a cleared `ENABLE`
    /// ([`STUCK_STOP`], [`STUCK_NO_REPLY`]). The driver's wait then ends in a timeout
    /// whatever the clock does; a fast clock only makes its 2 s take a quarter of a second.
    pub const SILENT_TIMER_RATE: u64 = 8;

    /// Of each polling interval, at most this many nanoseconds count
    /// [`SILENT_TIMER_RATE`] times; the rest counts once. The simulator polls every 10 to
    /// 200 us, so a silent GSP's clock runs at the full rate; a longer interval is a host
    /// stall, which must not be multiplied into a wait the driver starts meanwhile.
    pub const SILENT_TIMER_MAX_FAST_NS: u64 = 2_000_000;
}

/// Read and write pointers of one ring, in pages. The producer owns `write_ptr`, the consumer
/// `read_ptr`; both are below `num_pages`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct QueueHdr {
    /// Next page the producer will write.
    pub write_ptr: u32,
    /// Next page the consumer will read.
    pub read_ptr: u32,
    /// Pages in the ring (set by the driver).
    pub num_pages: u32,
    /// Reserved, zero.
    pub reserved: u32,
}

/// One 4 KiB page of a ring.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct Page(pub [u8; PAGE_SIZE]);

/// The queue memory the driver allocates (DMA-coherent) and hands to the GSP: a header page
/// with both rings' pointers, the driver-to-GSP command ring and the GSP-to-driver message
/// ring.
#[repr(C)]
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct GspMem {
    /// Command ring pointers (driver produces, GSP consumes).
    pub cmdq: QueueHdr,
    /// Message ring pointers (GSP produces, driver consumes).
    pub msgq: QueueHdr,
    /// Rest of the header page.
    pub reserved: [u8; PAGE_SIZE - 32],
    /// Command ring.
    pub cmd_pages: [Page; QUEUE_PAGES as usize],
    /// Message ring.
    pub msg_pages: [Page; QUEUE_PAGES as usize],
}

/// Offset of the command ring in [`GspMem`].
pub const CMD_PAGES_OFFSET: usize = PAGE_SIZE;
/// Offset of the message ring in [`GspMem`].
pub const MSG_PAGES_OFFSET: usize = PAGE_SIZE * (1 + QUEUE_PAGES as usize);

/// Header at the start of every message: which message, how many pages it spans, and the
/// checksum of everything after this header up to the end of the RPC payload.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct ElemHeader {
    /// Sequence number, chosen by the driver; a reply repeats its command's number.
    pub seq: u32,
    /// Pages the message spans (1 or more, wrapping around the ring).
    pub elem_count: u32,
    /// [`checksum`] of the [`RpcHeader`] and the payload.
    pub checksum: u32,
    /// Reserved, zero.
    pub reserved: u32,
}

/// RPC header, after the [`ElemHeader`].
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct RpcHeader {
    /// `RPC_*` function.
    pub function: u32,
    /// Payload length in bytes.
    pub length: u32,
    /// In replies: 0 on success, else an `ERR_*`-like code of the GSP.
    pub status: u32,
    /// Reserved, zero.
    pub reserved: u32,
}

/// Bytes of headers before the payload.
pub const HEADERS_SIZE: usize = 32;
/// Largest payload of one message (the whole ring but one page, minus the headers).
pub const MAX_PAYLOAD: usize = (QUEUE_PAGES as usize - 1) * PAGE_SIZE - HEADERS_SIZE;

/// Sequence number of messages the GSP sends on its own: the driver never uses it for a
/// command.
pub const UNSOLICITED_SEQ: u32 = 0;

/// RPC functions.
pub const RPC_GET_STATIC_INFO: u32 = 1;
/// Echo the payload back.
pub const RPC_ECHO: u32 = 2;
/// Copy between guest memory and VRAM ([`DmaCopy`]).
pub const RPC_DMA_COPY: u32 = 3;
/// Checksum a guest buffer ([`ChecksumReq`] -> [`ChecksumReply`]).
pub const RPC_CHECKSUM: u32 = 4;

/// Reply status: the request was malformed (bad length, out-of-range address).
pub const RPC_STATUS_INVALID: u32 = 1;

/// Reply to `RPC_GET_STATIC_INFO`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct StaticInfo {
    /// Chip name, NUL-padded ASCII.
    pub name: [u8; 16],
    /// Chip revision (`BOOT_0[7:0]`).
    pub revision: u32,
    /// Reserved, zero.
    pub reserved: u32,
    /// VRAM size in bytes.
    pub vram_size: u64,
}

/// `RPC_DMA_COPY` directions.
pub const DMA_TO_VRAM: u32 = 0;
/// From VRAM to guest memory.
pub const DMA_FROM_VRAM: u32 = 1;

/// Request of `RPC_DMA_COPY` (the reply has no payload).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct DmaCopy {
    /// `DMA_TO_VRAM` or `DMA_FROM_VRAM`.
    pub direction: u32,
    /// Reserved, zero.
    pub reserved: u32,
    /// Guest DMA address of the buffer.
    pub guest_addr: u64,
    /// Offset in the VRAM aperture.
    pub vram_offset: u64,
    /// Bytes to copy.
    pub length: u64,
}

/// Request of `RPC_CHECKSUM`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct ChecksumReq {
    /// Guest DMA address of the buffer.
    pub guest_addr: u64,
    /// Bytes to checksum.
    pub length: u64,
}

/// Reply of `RPC_CHECKSUM`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct ChecksumReply {
    /// [`checksum`] of the buffer.
    pub checksum: u32,
    /// Reserved, zero.
    pub reserved: u32,
}

/// Incremental Fletcher-32 checksum (16-bit little-endian words, sums modulo 65535), as used
/// for messages and `RPC_CHECKSUM`. An odd last byte counts as a word with a zero high byte.
#[derive(Clone, Copy, Debug, Default)]
pub struct Checksum {
    a: u32,
    b: u32,
    odd: Option<u8>,
}

impl Checksum {
    /// A checksum of nothing yet.
    pub const fn new() -> Self {
        Self {
            a: 0,
            b: 0,
            odd: None,
        }
    }

    fn word(&mut self, w: u32) {
        self.a = (self.a + w) % 65535;
        self.b = (self.b + self.a) % 65535;
    }

    /// Adds `bytes`; consecutive calls checksum the concatenation.
    pub fn update(&mut self, mut bytes: &[u8]) {
        if let (Some(lo), Some((&hi, rest))) = (self.odd, bytes.split_first()) {
            self.word(u32::from(lo) | (u32::from(hi) << 8));
            self.odd = None;
            bytes = rest;
        }
        let mut words = bytes.chunks_exact(2);
        for w in words.by_ref() {
            self.word(u32::from(w[0]) | (u32::from(w[1]) << 8));
        }
        if let [last] = words.remainder() {
            self.odd = Some(*last);
        }
    }

    /// The checksum of everything added.
    pub fn finish(mut self) -> u32 {
        if let Some(lo) = self.odd.take() {
            self.word(u32::from(lo));
        }
        (self.b << 16) | self.a
    }
}

/// Checksum of one buffer.
pub fn checksum(bytes: &[u8]) -> u32 {
    let mut c = Checksum::new();
    c.update(bytes);
    c.finish()
}

/// Pages a message with `payload` bytes spans.
pub const fn pages_for(payload: usize) -> u32 {
    (HEADERS_SIZE + payload).div_ceil(PAGE_SIZE) as u32
}

/// The kernel's byte-level traits, which kio's `copy_read`/`copy_write` use.
#[cfg(MODULE)]
mod kernel_traits {
    use super::*;

    macro_rules! bytes {
        ($($t:ty),*) => {$(
            // SAFETY: `zerocopy` derived `FromBytes` for the type: any bytes are a valid value.
            unsafe impl kernel::transmute::FromBytes for $t {}
            // SAFETY: `zerocopy` derived `IntoBytes` for the type: no padding or uninitialised
            // bytes.
            unsafe impl kernel::transmute::AsBytes for $t {}
        )*};
    }

    bytes!(
        QueueHdr,
        Page,
        GspMem,
        ElemHeader,
        RpcHeader,
        StaticInfo,
        DmaCopy,
        ChecksumReq,
        ChecksumReply
    );
}
