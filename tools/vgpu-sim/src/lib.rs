// SPDX-License-Identifier: GPL-2.0

//! The GSP-like firmware of the kio virtual GPU, run on the host.
//!
//! The GPU's BAR2 is a shared-memory file (QEMU's `ivshmem-plain`) and guest RAM is another
//! (`memory-backend-file,share=on`), so this process sees the registers the driver writes and
//! can read and write guest memory at guest-physical addresses, as a bus master would (there is
//! no IOMMU: a DMA address is a guest-physical address). [`Sim::step`] polls the registers,
//! starts the GSP when asked, and serves RPCs from the command ring, optionally misbehaving in
//! one of the ways of [`vgpu_wire::fault`].

use std::sync::atomic::{
    fence,
    Ordering, //
};
use vgpu_wire::{
    fault,
    regs,
    ChecksumReply,
    ChecksumReq,
    DmaCopy,
    ElemHeader,
    QueueHdr,
    RpcHeader,
    StaticInfo,
    CMD_PAGES_OFFSET,
    MSG_PAGES_OFFSET,
    PAGE_SIZE,
    QUEUE_PAGES, //
};
use zerocopy::{
    FromBytes,
    IntoBytes, //
};

/// A shared-memory mapping accessed like device memory: single volatile accesses for
/// registers and queue pointers, bounds-checked copies for data.
pub struct Shared {
    ptr: *mut u8,
    len: usize,
    _map: Option<memmap2::MmapMut>,
}

// SAFETY: The mapping is only used through volatile accesses and copies; the other side (QEMU
// and the guest) is outside this process anyway.
unsafe impl Send for Shared {}

impl Shared {
    /// Wraps a mapping.
    pub fn new(mut map: memmap2::MmapMut) -> Self {
        Self {
            ptr: map.as_mut_ptr(),
            len: map.len(),
            _map: Some(map),
        }
    }

    /// Size in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the mapping is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn check(&self, off: u64, len: usize) -> Option<usize> {
        let off = usize::try_from(off).ok()?;
        (off.checked_add(len)? <= self.len).then_some(off)
    }

    /// Reads a 32-bit word (panics outside the mapping or unaligned: a simulator bug).
    pub fn read32(&self, off: usize) -> u32 {
        assert!(off % 4 == 0 && off + 4 <= self.len);
        // SAFETY: In bounds and aligned (checked); the mapping lives as long as `self`.
        unsafe { self.ptr.add(off).cast::<u32>().read_volatile() }
    }

    /// Writes a 32-bit word.
    pub fn write32(&self, off: usize, v: u32) {
        assert!(off % 4 == 0 && off + 4 <= self.len);
        // SAFETY: As for `read32`.
        unsafe { self.ptr.add(off).cast::<u32>().write_volatile(v) }
    }

    /// Reads a 64-bit word with one load (panics outside the mapping or unaligned).
    pub fn read64(&self, off: usize) -> u64 {
        assert!(off % 8 == 0 && off + 8 <= self.len);
        // SAFETY: In bounds and aligned (checked); the mapping lives as long as `self`.
        unsafe { self.ptr.add(off).cast::<u64>().read_volatile() }
    }

    /// Writes a 64-bit word with one store, so that a reader never sees half of it.
    pub fn write64(&self, off: usize, v: u64) {
        assert!(off % 8 == 0 && off + 8 <= self.len);
        // SAFETY: As for `read64`.
        unsafe { self.ptr.add(off).cast::<u64>().write_volatile(v) }
    }

    /// Copies `dst.len()` bytes at `off` out, or returns `None` if they are not all mapped.
    pub fn read(&self, off: u64, dst: &mut [u8]) -> Option<()> {
        let off = self.check(off, dst.len())?;
        // SAFETY: In bounds (checked); `dst` is a distinct buffer.
        unsafe { std::ptr::copy_nonoverlapping(self.ptr.add(off), dst.as_mut_ptr(), dst.len()) };
        Some(())
    }

    /// Copies `src` in at `off`, or returns `None` if it does not fit.
    pub fn write(&self, off: u64, src: &[u8]) -> Option<()> {
        let off = self.check(off, src.len())?;
        // SAFETY: In bounds (checked); `src` is a distinct buffer.
        unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), self.ptr.add(off), src.len()) };
        Some(())
    }

    /// Reads a plain-data value at `off`.
    pub fn get<T: FromBytes + IntoBytes>(&self, off: u64) -> Option<T> {
        let mut v = T::new_zeroed();
        self.read(off, v.as_mut_bytes())?;
        Some(v)
    }

    /// Writes a plain-data value at `off`.
    pub fn put<T: IntoBytes + zerocopy::Immutable>(&self, off: u64, v: &T) -> Option<()> {
        self.write(off, v.as_bytes())
    }
}

/// What the GSP is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum State {
    /// Not enabled, or reset.
    Off,
    /// Enabled, waiting for `START`.
    Enabled,
    /// Serving RPCs from the queue memory at this guest-physical address.
    Running(u64),
    /// Stopped on an error (`ERROR` says which).
    Failed,
}

/// Counters, for logs and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// Commands consumed.
    pub commands: u64,
    /// Replies written.
    pub replies: u64,
    /// Commands rejected (bad header or checksum).
    pub rejected: u64,
}

/// The simulated firmware.
pub struct Sim {
    bar: Shared,
    ram: Shared,
    fault: u32,
    state: State,
    heartbeat: u32,
    /// The GPU's clock (`PTIMER`): host monotonic time since the simulator started.
    clock: std::time::Instant,
    /// Counters.
    pub stats: Stats,
}

impl Sim {
    /// Takes over BAR2 and guest RAM; `fault` is used unless the harness sets `SIM_FAULT`.
    pub fn new(bar: Shared, ram: Shared, fault: u32) -> Self {
        assert!(bar.len() >= vgpu_wire::BAR2_SIZE, "BAR2 file too small");
        bar.write32(regs::SIM_FAULT, fault);
        let mut sim = Self {
            bar,
            ram,
            fault,
            state: State::Off,
            heartbeat: 0,
            clock: std::time::Instant::now(),
            stats: Stats::default(),
        };
        sim.reset();
        sim
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// BAR2, as the guest sees it.
    pub fn bar(&self) -> &Shared {
        &self.bar
    }

    /// Guest RAM.
    pub fn ram(&self) -> &Shared {
        &self.ram
    }

    fn reset(&mut self) {
        let boot0 = if self.fault == fault::WRONG_CHIP_ID {
            0x0f00_0001
        } else {
            vgpu_wire::CHIP_BOOT_0
        };
        self.bar.write32(regs::BOOT_0, boot0);
        self.bar.write32(regs::STATUS, 0);
        self.bar.write32(regs::ERROR, vgpu_wire::ERR_NONE);
        self.bar.write32(regs::MAILBOX0, 0);
        self.bar.write32(regs::START, 0);
        self.state = State::Off;
    }

    fn fail(&mut self, code: u32) {
        self.bar.write32(regs::ERROR, code);
        self.bar.write32(regs::STATUS, vgpu_wire::STATUS_ERROR);
        self.state = State::Failed;
    }

    /// One polling round. Returns whether anything happened.
    pub fn step(&mut self) -> bool {
        self.heartbeat = self.heartbeat.wrapping_add(1);
        self.bar.write32(regs::SIM_HEARTBEAT, self.heartbeat);
        let now = u64::try_from(self.clock.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.bar.write64(regs::PTIMER, now);
        let fault = self.bar.read32(regs::SIM_FAULT);
        if fault != self.fault && fault < fault::COUNT {
            self.fault = fault;
            self.reset();
            return true;
        }
        let enabled = self.bar.read32(regs::ENABLE) & 1 != 0;
        match self.state {
            _ if !enabled => {
                if self.state != State::Off {
                    self.reset();
                    return true;
                }
                false
            }
            State::Off => {
                self.state = State::Enabled;
                true
            }
            State::Enabled => {
                if self.bar.read32(regs::START) != 1 {
                    return false;
                }
                self.bar.write32(regs::START, 0);
                self.start();
                true
            }
            State::Running(base) => self.serve(base),
            State::Failed => false,
        }
    }

    fn start(&mut self) {
        let base = u64::from(self.bar.read32(regs::QUEUE_BASE_LO))
            | (u64::from(self.bar.read32(regs::QUEUE_BASE_HI)) << 32);
        let size = self.bar.read32(regs::QUEUE_SIZE) as usize;
        let hdr_ok = |q: Option<QueueHdr>| q.is_some_and(|q| q.num_pages == QUEUE_PAGES);
        if size != size_of::<vgpu_wire::GspMem>()
            || base % PAGE_SIZE as u64 != 0
            || self.ram.check(base, size).is_none()
            || !hdr_ok(self.ram.get::<QueueHdr>(base))
            || !hdr_ok(self.ram.get::<QueueHdr>(base + 16))
        {
            self.fail(vgpu_wire::ERR_BAD_QUEUE);
            return;
        }
        if self.fault == fault::NEVER_READY {
            self.state = State::Running(u64::MAX);
            return;
        }
        self.bar.write32(regs::MAILBOX0, vgpu_wire::PROTOCOL_VERSION);
        self.bar.write32(regs::STATUS, vgpu_wire::STATUS_READY);
        self.state = State::Running(base);
    }

    fn ring_ptr(base: u64, which: usize) -> u64 {
        base + 16 * which as u64
    }

    /// Copies `len` bytes of a ring starting at page `page`, wrapping around.
    fn ring_read(&self, ring: u64, page: u32, out: &mut [u8]) -> Option<()> {
        let total = (QUEUE_PAGES as usize) * PAGE_SIZE;
        let start = page as usize * PAGE_SIZE;
        let first = out.len().min(total - start);
        let (a, b) = out.split_at_mut(first);
        self.ram.read(ring + start as u64, a)?;
        self.ram.read(ring, b)
    }

    fn ring_write(&self, ring: u64, page: u32, data: &[u8]) -> Option<()> {
        let total = (QUEUE_PAGES as usize) * PAGE_SIZE;
        let start = page as usize * PAGE_SIZE;
        let first = data.len().min(total - start);
        self.ram.write(ring + start as u64, &data[..first])?;
        self.ram.write(ring, &data[first..])
    }

    fn serve(&mut self, base: u64) -> bool {
        if base == u64::MAX {
            return false; // NEVER_READY: started, but silent.
        }
        let Some(cmdq) = self.ram.get::<QueueHdr>(Self::ring_ptr(base, 0)) else {
            self.fail(vgpu_wire::ERR_BAD_QUEUE);
            return true;
        };
        if cmdq.write_ptr == cmdq.read_ptr {
            return false;
        }
        fence(Ordering::Acquire);
        let cmd_ring = base + CMD_PAGES_OFFSET as u64;
        let mut hdrs = [0u8; vgpu_wire::HEADERS_SIZE];
        let ok = cmdq.write_ptr < QUEUE_PAGES
            && cmdq.read_ptr < QUEUE_PAGES
            && self.ring_read(cmd_ring, cmdq.read_ptr, &mut hdrs).is_some();
        let elem = ElemHeader::read_from_bytes(&hdrs[..16]).unwrap_or_default();
        let rpc = RpcHeader::read_from_bytes(&hdrs[16..]).unwrap_or_default();
        let valid = ok
            && elem.elem_count >= 1
            && elem.elem_count < QUEUE_PAGES
            && rpc.length as usize <= vgpu_wire::MAX_PAYLOAD
            && vgpu_wire::pages_for(rpc.length as usize) == elem.elem_count;
        let mut msg = vec![0u8; if valid { 16 + 16 + rpc.length as usize } else { 0 }];
        if !valid
            || self.ring_read(cmd_ring, cmdq.read_ptr, &mut msg).is_none()
            || vgpu_wire::checksum(&msg[16..]) != elem.checksum
        {
            self.stats.rejected += 1;
            self.fail(vgpu_wire::ERR_BAD_COMMAND);
            return true;
        }
        // Consume the command.
        let next = (cmdq.read_ptr + elem.elem_count) % QUEUE_PAGES;
        self.ram.write(Self::ring_ptr(base, 0) + 4, &next.to_le_bytes());
        self.stats.commands += 1;

        let payload = &msg[32..];
        let (status, reply) = self.handle(rpc.function, payload);
        if self.fault != fault::NO_REPLY {
            self.reply(base, elem.seq, rpc.function, status, &reply);
        }
        true
    }

    fn handle(&mut self, function: u32, payload: &[u8]) -> (u32, Vec<u8>) {
        let invalid = (vgpu_wire::RPC_STATUS_INVALID, Vec::new());
        match function {
            vgpu_wire::RPC_GET_STATIC_INFO => {
                let mut name = [0u8; 16];
                name[..8].copy_from_slice(b"KIO-VGPU");
                let info = StaticInfo {
                    name,
                    revision: vgpu_wire::CHIP_BOOT_0 & 0xff,
                    reserved: 0,
                    vram_size: vgpu_wire::VRAM_SIZE as u64,
                };
                (0, info.as_bytes().to_vec())
            }
            vgpu_wire::RPC_ECHO => (0, payload.to_vec()),
            vgpu_wire::RPC_DMA_COPY => {
                let Ok(req) = DmaCopy::read_from_bytes(payload) else {
                    return invalid;
                };
                let Ok(len) = usize::try_from(req.length) else {
                    return invalid;
                };
                let vram_end = req.vram_offset.checked_add(req.length);
                if vram_end.is_none_or(|e| e > vgpu_wire::VRAM_SIZE as u64) || len == 0 {
                    return invalid;
                }
                let vram = vgpu_wire::VRAM_OFFSET as u64 + req.vram_offset;
                let mut buf = vec![0u8; len];
                let done = match req.direction {
                    vgpu_wire::DMA_TO_VRAM => self
                        .ram
                        .read(req.guest_addr, &mut buf)
                        .and_then(|()| self.bar.write(vram, &buf)),
                    vgpu_wire::DMA_FROM_VRAM => self
                        .bar
                        .read(vram, &mut buf)
                        .and_then(|()| self.ram.write(req.guest_addr, &buf)),
                    _ => None,
                };
                if done.is_some() {
                    (0, Vec::new())
                } else {
                    invalid
                }
            }
            vgpu_wire::RPC_CHECKSUM => {
                let Ok(req) = ChecksumReq::read_from_bytes(payload) else {
                    return invalid;
                };
                let mut buf = vec![0u8; usize::try_from(req.length).unwrap_or(usize::MAX).min(64 << 20)];
                if req.length as usize != buf.len() || self.ram.read(req.guest_addr, &mut buf).is_none() {
                    return invalid;
                }
                let reply = ChecksumReply {
                    checksum: vgpu_wire::checksum(&buf),
                    reserved: 0,
                };
                (0, reply.as_bytes().to_vec())
            }
            _ => invalid,
        }
    }

    fn reply(&mut self, base: u64, seq: u32, function: u32, status: u32, payload: &[u8]) {
        let Some(msgq) = self.ram.get::<QueueHdr>(Self::ring_ptr(base, 1)) else {
            return;
        };
        let pages = vgpu_wire::pages_for(payload.len());
        let free = (msgq.read_ptr + QUEUE_PAGES - msgq.write_ptr - 1) % QUEUE_PAGES;
        if msgq.write_ptr >= QUEUE_PAGES || pages > free {
            self.fail(vgpu_wire::ERR_BAD_QUEUE);
            return;
        }
        let rpc = RpcHeader {
            function: if self.fault == fault::UNKNOWN_FUNCTION { 0xdead } else { function },
            length: payload.len() as u32,
            status,
            reserved: 0,
        };
        let mut body = rpc.as_bytes().to_vec();
        body.extend_from_slice(payload);
        let mut elem = ElemHeader {
            seq: if self.fault == fault::SEQ_MISMATCH { seq.wrapping_add(1) } else { seq },
            elem_count: if self.fault == fault::MSG_TOO_LONG { 4 * QUEUE_PAGES } else { pages },
            checksum: vgpu_wire::checksum(&body),
            reserved: 0,
        };
        if self.fault == fault::BAD_CHECKSUM {
            elem.checksum ^= 0x5a5a;
        }
        let mut msg = elem.as_bytes().to_vec();
        msg.extend_from_slice(&body);
        let ring = base + MSG_PAGES_OFFSET as u64;
        if self.ring_write(ring, msgq.write_ptr, &msg).is_none() {
            return;
        }
        fence(Ordering::Release);
        let next = if self.fault == fault::PTR_OUT_OF_RANGE {
            QUEUE_PAGES + 7
        } else {
            (msgq.write_ptr + pages) % QUEUE_PAGES
        };
        self.ram.write(Self::ring_ptr(base, 1), &next.to_le_bytes());
        self.stats.replies += 1;
    }
}
