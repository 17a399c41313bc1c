// SPDX-License-Identifier: GPL-2.0

//! The GSP-like firmware of the kio virtual GPU, run on the host.
//!
//! The GPU's BAR2 is a shared-memory file (QEMU's `ivshmem-plain`) and guest RAM is another
//! (`memory-backend-file,share=on`), so this process sees the registers the driver writes and
//! can read and write guest memory at guest-physical addresses, as a bus master would (there is
//! no IOMMU: a DMA address is a guest-physical address). [`Sim::step`] polls the registers,
//! starts the GSP when asked, and serves RPCs from the command ring, optionally misbehaving in
//! one of the ways of [`vgpu_wire::fault`], or, in fuzz mode ([`fuzz`]), in seeded random
//! ways.

pub mod fuzz;

use std::{
    sync::atomic::{
        fence,
        Ordering, //
    },
    time::{
        Duration,
        Instant, //
    }, //
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
    /// Writes to the queue memory after the driver cleared `ENABLE` (stuck-stop modes).
    pub writes_after_disable: u64,
}

/// The simulated firmware.
pub struct Sim {
    bar: Shared,
    ram: Shared,
    fault: u32,
    state: State,
    heartbeat: u32,
    /// Commands consumed since the last `START`.
    served: u64,
    /// Since when a stuck GSP has been ignoring a cleared `ENABLE`.
    stuck_since: Option<Instant>,
    /// How long a stuck GSP ignores a cleared `ENABLE` ([`fault::STUCK_STOP_MS`]; tests
    /// shorten it).
    pub stuck_for: Duration,
    /// The fuzzer, while `SIM_FUZZ` holds a seed.
    fuzz: Option<fuzz::Fuzz>,
    /// The value of `SIM_FUZZ` last applied.
    fuzz_seed: u32,
    /// A shared value flipping between good and bad.
    toctou: Option<(u64, fuzz::Toctou)>,
    /// The GPU's clock (`PTIMER`), in ns: the host's monotonic time since the simulator
    /// started, except that it runs [`fault::SILENT_TIMER_RATE`] times as fast over (the first
    /// [`fault::SILENT_TIMER_MAX_FAST_NS`] of) a polling interval at both ends of which the GSP
    /// was silent on purpose (see [`Sim::tick`]).
    timer: u64,
    /// The host time `timer` was last advanced to.
    timer_at: Instant,
    /// Whether the GSP was silent on purpose when `timer` was last advanced.
    silent: bool,
    /// A command was consumed and, by the fault mode, left unanswered.
    unanswered: bool,
    /// Counters.
    pub stats: Stats,
}

impl Sim {
    /// Takes over BAR2 and guest RAM; `fault` is used unless the harness sets `SIM_FAULT`.
    pub fn new(bar: Shared, ram: Shared, fault: u32) -> Self {
        assert!(bar.len() >= vgpu_wire::BAR2_SIZE, "BAR2 file too small");
        bar.write32(regs::SIM_FAULT, fault);
        bar.write32(regs::SIM_FUZZ, 0);
        let mut sim = Self {
            bar,
            ram,
            fault,
            state: State::Off,
            heartbeat: 0,
            served: 0,
            fuzz: None,
            fuzz_seed: 0,
            toctou: None,
            stuck_since: None,
            stuck_for: Duration::from_millis(fault::STUCK_STOP_MS),
            timer: 0,
            timer_at: Instant::now(),
            silent: false,
            unanswered: false,
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

    /// The fuzzer's seed and action count, if fuzzing.
    pub fn fuzzing(&self) -> Option<(u64, u32)> {
        self.fuzz.as_ref().map(|f| (f.seed(), f.actions()))
    }

    /// The fuzz actions recorded since the last call.
    pub fn take_fuzz_log(&mut self) -> Vec<String> {
        self.fuzz.as_mut().map(|f| f.take_log()).unwrap_or_default()
    }

    /// Flips a value between good and bad (fuzz mode), then leaves it good.
    fn step_toctou(&mut self) {
        let Some((at, t)) = self.toctou.as_mut() else {
            return;
        };
        t.rounds -= 1;
        let v = if t.rounds % 2 == 1 && t.rounds != 0 { t.bad } else { t.good };
        let (at, done) = (*at, t.rounds == 0);
        self.ram.write(at, &v.to_le_bytes());
        if done {
            self.toctou = None;
        }
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
        self.stuck_since = None;
        self.toctou = None;
        self.unanswered = false;
    }

    /// Whether the current fault mode ignores a cleared `ENABLE`.
    fn stuck(&self) -> bool {
        matches!(self.fault, fault::STUCK_STOP | fault::STUCK_NO_REPLY)
    }

    /// A running GSP that ignores a cleared `ENABLE`: keeps serving and writing to the queue
    /// memory until `stuck_for` has passed, then stops.
    fn step_stuck(&mut self, base: u64) -> bool {
        let since = *self.stuck_since.get_or_insert_with(Instant::now);
        if since.elapsed() >= self.stuck_for {
            self.reset();
            return true;
        }
        // The reserved part of the header page: the driver never reads it, but it is the
        // driver's memory, which it must not have freed.
        let n = self.stats.writes_after_disable as u32;
        if self.ram.write(base + 32, &n.to_le_bytes()).is_some() {
            self.stats.writes_after_disable += 1;
        }
        self.serve(base);
        true
    }

    fn fail(&mut self, code: u32) {
        self.bar.write32(regs::ERROR, code);
        self.bar.write32(regs::STATUS, vgpu_wire::STATUS_ERROR);
        self.state = State::Failed;
    }

    /// One polling round. Returns whether anything happened.
    ///
    /// `PTIMER` is advanced at the end of the round, after the work of the round is visible:
    /// time a driver sees pass has always included a round that could answer it.
    pub fn step(&mut self) -> bool {
        self.heartbeat = self.heartbeat.wrapping_add(1);
        self.bar.write32(regs::SIM_HEARTBEAT, self.heartbeat);
        let busy = self.work();
        self.tick();
        busy
    }

    /// Whether the GSP is silent on purpose now (see [`fault::SILENT_TIMER_RATE`]): a stuck
    /// GSP ignoring a cleared `ENABLE`, or, while `ENABLE` is still set, a GSP started in
    /// [`fault::NEVER_READY`] or sitting on a command its fault mode leaves unanswered.
    fn silent_now(&self) -> bool {
        let State::Running(base) = self.state else {
            return false;
        };
        let enabled = self.bar.read32(regs::ENABLE) & 1 != 0;
        (self.stuck_since.is_some() && !enabled) || ((base == u64::MAX || self.unanswered) && enabled)
    }

    /// Advances `PTIMER` to the host's time now. The interval since the last advance counts
    /// [`fault::SILENT_TIMER_RATE`] times only if the GSP was silent on purpose at its start
    /// and still is after its end, and only for its first
    /// [`fault::SILENT_TIMER_MAX_FAST_NS`]: a polling interval longer than that is a host
    /// stall, and a stall counts once, whatever the driver did meanwhile (it may clear
    /// `ENABLE` right after the registers were read here, and start a wait that must succeed).
    fn tick(&mut self) {
        let now = Instant::now();
        let silent = self.silent_now();
        let ns = u64::try_from(now.duration_since(self.timer_at).as_nanos()).unwrap_or(u64::MAX);
        let fast = if silent && self.silent {
            ns.min(fault::SILENT_TIMER_MAX_FAST_NS)
                .saturating_mul(fault::SILENT_TIMER_RATE - 1)
        } else {
            0
        };
        self.timer = self.timer.saturating_add(ns).saturating_add(fast);
        self.timer_at = now;
        self.silent = silent;
        self.bar.write64(regs::PTIMER, self.timer);
    }

    /// The work of one polling round.
    fn work(&mut self) -> bool {
        let fault = self.bar.read32(regs::SIM_FAULT);
        if fault != self.fault && fault < fault::COUNT {
            self.fault = fault;
            self.reset();
            return true;
        }
        let seed = self.bar.read32(regs::SIM_FUZZ);
        if seed != self.fuzz_seed {
            self.fuzz_seed = seed;
            self.fuzz = (seed != 0).then(|| fuzz::Fuzz::new(seed.into()));
            self.reset();
            return true;
        }
        self.step_toctou();
        let enabled = self.bar.read32(regs::ENABLE) & 1 != 0;
        match self.state {
            State::Running(base) if !enabled && self.stuck() && base != u64::MAX => {
                self.step_stuck(base)
            }
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
        self.served = 0;
        self.state = State::Running(base);
        if let Some(f) = self.fuzz.as_mut() {
            let a = f.on_start();
            if let Some(v) = a.version {
                self.bar.write32(regs::MAILBOX0, v);
            }
            if let Some(code) = a.error {
                self.bar.write32(regs::ERROR, code);
                self.bar
                    .write32(regs::STATUS, vgpu_wire::STATUS_READY | vgpu_wire::STATUS_ERROR);
            }
        }
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
        self.served += 1;
        if self.fault == fault::GSP_ERROR && self.served == 2 {
            self.fail(vgpu_wire::ERR_BAD_COMMAND);
            return true;
        }

        let fuzzed = match self.fuzz.as_mut() {
            Some(f) => f.on_command(rpc.function, cmdq.write_ptr, next),
            None => fuzz::OnCommand::default(),
        };
        if fuzzed.gsp_error {
            self.fail(vgpu_wire::ERR_BAD_COMMAND);
            return true;
        }

        let payload = &msg[32..];
        let (status, mut reply) = self.handle(rpc.function, payload);
        if self.fault == fault::OVERSIZED_REPLY && rpc.function == vgpu_wire::RPC_GET_STATIC_INFO {
            reply.resize(13 * PAGE_SIZE - vgpu_wire::HEADERS_SIZE, 0);
        }
        if matches!(self.fault, fault::NO_REPLY | fault::STUCK_NO_REPLY) {
            self.unanswered = true;
        } else if !fuzzed.drop_reply {
            self.reply(base, elem.seq, rpc.function, status, reply);
        }
        // Pointers the GSP does not own, rewritten after the reply is out.
        let cmd_ptrs = Self::ring_ptr(base, 0);
        for (at, v) in [
            (cmd_ptrs, fuzzed.cmd_write),
            (cmd_ptrs + 4, fuzzed.cmd_read),
            (Self::ring_ptr(base, 1) + 4, fuzzed.msg_read),
        ] {
            if let Some(v) = v {
                self.ram.write(at, &v.to_le_bytes());
            }
        }
        match self.fault {
            fault::INDEX_REWRITTEN => {
                // Both pointers move together, so that the ring still looks empty here.
                let moved = (next + 5) % QUEUE_PAGES;
                self.ram.write(cmd_ptrs, &moved.to_le_bytes());
                self.ram.write(cmd_ptrs + 4, &moved.to_le_bytes());
            }
            fault::READ_PAST_WRITE => {
                let past = (next + 1) % QUEUE_PAGES;
                self.ram.write(cmd_ptrs + 4, &past.to_le_bytes());
            }
            _ => {}
        }
        true
    }

    fn handle(&mut self, function: u32, payload: &[u8]) -> (u32, Vec<u8>) {
        let invalid = (vgpu_wire::RPC_STATUS_INVALID, Vec::new());
        match function {
            vgpu_wire::RPC_GET_STATIC_INFO => {
                let mut name = [0u8; 16];
                name[..8].copy_from_slice(b"KIO-VGPU");
                if self.fault == fault::BAD_CHIP_NAME {
                    name[..3].copy_from_slice(&[b'K', 0xff, 0xfe]);
                }
                let vram_size = if self.fault == fault::BAD_VRAM_SIZE {
                    176_132 << 20
                } else {
                    vgpu_wire::VRAM_SIZE as u64
                };
                let info = StaticInfo {
                    name,
                    revision: vgpu_wire::CHIP_BOOT_0 & 0xff,
                    reserved: 0,
                    vram_size,
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
                if self.fault == fault::DMA_SOURCE_REWRITE && req.direction == vgpu_wire::DMA_TO_VRAM {
                    // Change the source as a bus master before copying it.
                    if self.ram.read(req.guest_addr, &mut buf).is_some() {
                        buf.iter_mut().for_each(|b| *b ^= 0xa5);
                        self.ram.write(req.guest_addr, &buf);
                    }
                }
                let done = match req.direction {
                    vgpu_wire::DMA_TO_VRAM => self
                        .ram
                        .read(req.guest_addr, &mut buf)
                        .map(|()| self.fuzz_dma(&mut buf))
                        .and_then(|()| self.bar.write(vram, &buf)),
                    vgpu_wire::DMA_FROM_VRAM => self
                        .bar
                        .read(vram, &mut buf)
                        .map(|()| self.fuzz_dma(&mut buf))
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

    /// Fuzz mode: may change a byte of DMA data on its way.
    fn fuzz_dma(&mut self, buf: &mut [u8]) {
        if let Some((at, x)) = self.fuzz.as_mut().and_then(|f| f.on_dma(buf.len())) {
            buf[at] ^= x;
        }
    }

    /// Answers a command, as the fault mode or the fuzzer has it.
    fn reply(&mut self, base: u64, seq: u32, function: u32, status: u32, mut payload: Vec<u8>) {
        let pages = vgpu_wire::pages_for(payload.len());
        let mut rpc = RpcHeader {
            function: if self.fault == fault::UNKNOWN_FUNCTION { 0xdead } else { function },
            length: payload.len() as u32,
            status,
            reserved: 0,
        };
        let mut body = rpc.as_bytes().to_vec();
        body.extend_from_slice(&payload);
        let mut elem = ElemHeader {
            seq: if self.fault == fault::SEQ_MISMATCH { seq.wrapping_add(1) } else { seq },
            elem_count: if self.fault == fault::MSG_TOO_LONG { 4 * QUEUE_PAGES } else { pages },
            checksum: vgpu_wire::checksum(&body),
            reserved: 0,
        };
        if self.fault == fault::BAD_CHECKSUM {
            elem.checksum ^= 0x5a5a;
        }
        let good_write = self
            .ram
            .get::<QueueHdr>(Self::ring_ptr(base, 1))
            .map_or(0, |q| q.write_ptr.wrapping_add(pages) % QUEUE_PAGES);
        let extra = match self.fuzz.as_mut() {
            Some(f) => f.on_reply(&mut elem, &mut rpc, &mut payload, good_write),
            None => fuzz::OnReply::default(),
        };
        if self.fault == fault::UNSOLICITED || extra.unsolicited_first {
            let event = RpcHeader {
                function: 0x1000,
                length: 4,
                status: 0,
                reserved: 0,
            };
            let data = 0x1000u32.to_le_bytes();
            let mut body = event.as_bytes().to_vec();
            body.extend_from_slice(&data);
            let unsolicited = ElemHeader {
                seq: vgpu_wire::UNSOLICITED_SEQ,
                elem_count: 1,
                checksum: vgpu_wire::checksum(&body),
                reserved: 0,
            };
            self.post(base, &unsolicited, &event, &data, None);
        }
        let Some((at, next)) = self.post(base, &elem, &rpc, &payload, extra.write_ptr) else {
            return;
        };
        if self.fault == fault::DUPLICATE_REPLY || extra.duplicate {
            self.post(base, &elem, &rpc, &payload, None);
        }
        let flip = |what, at, good, bad| {
            Some((
                at,
                fuzz::Toctou {
                    what,
                    good,
                    bad,
                    rounds: 64,
                },
            ))
        };
        if let Some(bad) = extra.toctou_write_ptr {
            self.toctou = flip(fuzz::Flip::MsgWritePtr, Self::ring_ptr(base, 1), next, bad);
        } else if let Some(bad) = extra.toctou_seq {
            self.toctou = flip(fuzz::Flip::ReplySeq(at), at, elem.seq, bad);
        }
    }

    /// Writes one message at the message ring's `write_ptr` and publishes it (with
    /// `forced_write` instead of the right new pointer, if given). Returns where the message
    /// is in guest RAM and the pointer published.
    fn post(
        &mut self,
        base: u64,
        elem: &ElemHeader,
        rpc: &RpcHeader,
        payload: &[u8],
        forced_write: Option<u32>,
    ) -> Option<(u64, u32)> {
        let msgq = self.ram.get::<QueueHdr>(Self::ring_ptr(base, 1))?;
        let pages = vgpu_wire::pages_for(payload.len());
        // The driver owns read_ptr: check it before any arithmetic with it.
        if msgq.write_ptr >= QUEUE_PAGES || msgq.read_ptr >= QUEUE_PAGES {
            self.fail(vgpu_wire::ERR_BAD_QUEUE);
            return None;
        }
        let free = (msgq.read_ptr + QUEUE_PAGES - msgq.write_ptr - 1) % QUEUE_PAGES;
        if pages > free {
            self.fail(vgpu_wire::ERR_BAD_QUEUE);
            return None;
        }
        let mut msg = elem.as_bytes().to_vec();
        msg.extend_from_slice(rpc.as_bytes());
        msg.extend_from_slice(payload);
        let ring = base + MSG_PAGES_OFFSET as u64;
        self.ring_write(ring, msgq.write_ptr, &msg)?;
        fence(Ordering::Release);
        let next = if self.fault == fault::PTR_OUT_OF_RANGE {
            QUEUE_PAGES + 7
        } else {
            forced_write.unwrap_or((msgq.write_ptr + pages) % QUEUE_PAGES)
        };
        self.ram.write(Self::ring_ptr(base, 1), &next.to_le_bytes());
        self.stats.replies += 1;
        Some((ring + (msgq.write_ptr as usize * PAGE_SIZE) as u64, next))
    }
}
