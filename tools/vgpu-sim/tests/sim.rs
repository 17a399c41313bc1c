// SPDX-License-Identifier: GPL-2.0

//! The simulator against a driver written in the test, on anonymous memory standing in for
//! BAR2 and guest RAM.

use vgpu_sim::{
    Shared,
    Sim,
    State, //
};
use vgpu_wire::{
    fault,
    regs,
    ChecksumReply,
    ChecksumReq,
    DmaCopy,
    ElemHeader,
    GspMem,
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

const RAM: usize = 4 << 20;
const BASE: u64 = 0x10_0000;
const BUF: u64 = 0x30_0000;

fn anon(len: usize) -> Shared {
    Shared::new(memmap2::MmapMut::map_anon(len).unwrap())
}

/// A minimal driver: sets up the queue memory, boots the GSP and exchanges messages.
struct Driver {
    sim: Sim,
    seq: u32,
}

impl Driver {
    fn new(fault: u32) -> Self {
        let sim = Sim::new(anon(vgpu_wire::BAR2_SIZE), anon(RAM), fault);
        Self { sim, seq: 100 }
    }

    fn ram(&self) -> &Shared {
        self.sim.ram()
    }

    fn run(&mut self) {
        for _ in 0..8 {
            self.sim.step();
        }
    }

    fn boot_with(&mut self, base: u64, size: u32) {
        let hdr = QueueHdr {
            num_pages: QUEUE_PAGES,
            ..Default::default()
        };
        self.ram().put(base, &hdr).unwrap();
        self.ram().put(base + 16, &hdr).unwrap();
        let bar = self.sim.bar();
        bar.write32(regs::QUEUE_BASE_LO, base as u32);
        bar.write32(regs::QUEUE_BASE_HI, (base >> 32) as u32);
        bar.write32(regs::QUEUE_SIZE, size);
        bar.write32(regs::ENABLE, 1);
        self.run();
        self.sim.bar().write32(regs::START, 1);
        self.run();
    }

    fn boot(&mut self) {
        self.boot_with(BASE, size_of::<GspMem>() as u32);
        assert_eq!(self.sim.bar().read32(regs::STATUS), vgpu_wire::STATUS_READY);
    }

    fn set_ptrs(&self, which: u64, write: u32, read: u32) {
        self.ram().write(BASE + 16 * which, &write.to_le_bytes()).unwrap();
        self.ram().write(BASE + 16 * which + 4, &read.to_le_bytes()).unwrap();
    }

    fn ring_io(&self, ring: u64, page: u32, data: &mut [u8], write: bool) {
        for (i, b) in data.iter_mut().enumerate() {
            let off = (page as usize * PAGE_SIZE + i) % (QUEUE_PAGES as usize * PAGE_SIZE);
            let at = BASE + ring + off as u64;
            if write {
                self.ram().write(at, std::slice::from_ref(b)).unwrap();
            } else {
                self.ram().read(at, std::slice::from_mut(b)).unwrap();
            }
        }
    }

    /// Queues one command; returns its sequence number.
    fn send(&mut self, function: u32, payload: &[u8]) -> u32 {
        self.seq += 1;
        let cmdq: QueueHdr = self.ram().get(BASE).unwrap();
        let rpc = RpcHeader {
            function,
            length: payload.len() as u32,
            ..Default::default()
        };
        let mut body = rpc.as_bytes().to_vec();
        body.extend_from_slice(payload);
        let elem = ElemHeader {
            seq: self.seq,
            elem_count: vgpu_wire::pages_for(payload.len()),
            checksum: vgpu_wire::checksum(&body),
            reserved: 0,
        };
        let mut msg = elem.as_bytes().to_vec();
        msg.extend_from_slice(&body);
        self.ring_io(CMD_PAGES_OFFSET as u64, cmdq.write_ptr, &mut msg, true);
        let next = (cmdq.write_ptr + elem.elem_count) % QUEUE_PAGES;
        self.ram().write(BASE, &next.to_le_bytes()).unwrap();
        self.sim.bar().write32(regs::DOORBELL, 1);
        self.seq
    }

    /// Takes the next reply, if any: (element header, RPC header, payload).
    fn recv(&mut self) -> Option<(ElemHeader, RpcHeader, Vec<u8>)> {
        self.run();
        let msgq: QueueHdr = self.ram().get(BASE + 16).unwrap();
        if msgq.write_ptr == msgq.read_ptr {
            return None;
        }
        let mut hdrs = [0u8; 32];
        self.ring_io(MSG_PAGES_OFFSET as u64, msgq.read_ptr, &mut hdrs, false);
        let elem = ElemHeader::read_from_bytes(&hdrs[..16]).unwrap();
        let rpc = RpcHeader::read_from_bytes(&hdrs[16..]).unwrap();
        let mut msg = vec![0u8; 32 + rpc.length.min(1 << 20) as usize];
        self.ring_io(MSG_PAGES_OFFSET as u64, msgq.read_ptr, &mut msg, false);
        let next = msgq.read_ptr.wrapping_add(elem.elem_count) % QUEUE_PAGES;
        self.ram().write(BASE + 16 + 4, &next.to_le_bytes()).unwrap();
        Some((elem, rpc, msg[32..].to_vec()))
    }

    fn call(&mut self, function: u32, payload: &[u8]) -> (u32, Vec<u8>) {
        let seq = self.send(function, payload);
        let (elem, rpc, data) = self.recv().expect("no reply");
        assert_eq!(elem.seq, seq);
        assert_eq!(rpc.function, function);
        let mut body = rpc.as_bytes().to_vec();
        body.extend_from_slice(&data);
        assert_eq!(vgpu_wire::checksum(&body), elem.checksum);
        (rpc.status, data)
    }
}

#[test]
fn layout_of_the_wire_types() {
    assert_eq!(size_of::<GspMem>(), PAGE_SIZE * (1 + 2 * QUEUE_PAGES as usize));
    assert_eq!(size_of::<ElemHeader>() + size_of::<RpcHeader>(), vgpu_wire::HEADERS_SIZE);
    assert_eq!(std::mem::offset_of!(GspMem, cmd_pages), CMD_PAGES_OFFSET);
    assert_eq!(std::mem::offset_of!(GspMem, msg_pages), MSG_PAGES_OFFSET);
    assert_eq!(std::mem::offset_of!(GspMem, msgq), 16);
    assert_eq!(size_of::<StaticInfo>(), 32);
    assert_eq!(size_of::<DmaCopy>(), 32);
    assert_eq!(vgpu_wire::pages_for(0), 1);
    assert_eq!(vgpu_wire::pages_for(PAGE_SIZE - 32), 1);
    assert_eq!(vgpu_wire::pages_for(PAGE_SIZE - 31), 2);
}

#[test]
fn fletcher32_reference_vectors() {
    assert_eq!(vgpu_wire::checksum(b"abcde"), 0xF04F_C729);
    assert_eq!(vgpu_wire::checksum(b"abcdef"), 0x5650_2D2A);
    assert_eq!(vgpu_wire::checksum(b"abcdefgh"), 0xEBE1_9591);
    let mut c = vgpu_wire::Checksum::new();
    c.update(b"abc");
    c.update(b"defgh");
    assert_eq!(c.finish(), 0xEBE1_9591);
}

#[test]
fn boot_rejects_bad_queue_memory() {
    let mut d = Driver::new(fault::NONE);
    d.boot_with(BASE + 8, size_of::<GspMem>() as u32);
    assert_eq!(d.sim.state(), State::Failed);
    assert_eq!(d.sim.bar().read32(regs::ERROR), vgpu_wire::ERR_BAD_QUEUE);
    let mut d = Driver::new(fault::NONE);
    d.boot_with(RAM as u64 - PAGE_SIZE as u64, size_of::<GspMem>() as u32);
    assert_eq!(d.sim.bar().read32(regs::ERROR), vgpu_wire::ERR_BAD_QUEUE);
    let mut d = Driver::new(fault::NONE);
    d.boot_with(BASE, 4096);
    assert_eq!(d.sim.bar().read32(regs::ERROR), vgpu_wire::ERR_BAD_QUEUE);
}

#[test]
fn boot_and_static_info() {
    let mut d = Driver::new(fault::NONE);
    assert_eq!(d.sim.bar().read32(regs::BOOT_0), vgpu_wire::CHIP_BOOT_0);
    d.boot();
    assert_eq!(d.sim.bar().read32(regs::MAILBOX0), vgpu_wire::PROTOCOL_VERSION);
    let (status, data) = d.call(vgpu_wire::RPC_GET_STATIC_INFO, &[]);
    assert_eq!(status, 0);
    let info = StaticInfo::read_from_bytes(&data).unwrap();
    assert_eq!(&info.name[..8], b"KIO-VGPU");
    assert_eq!(info.vram_size, vgpu_wire::VRAM_SIZE as u64);
}

#[test]
fn echo_of_every_size_wraps_the_ring() {
    let mut d = Driver::new(fault::NONE);
    d.boot();
    for len in [0usize, 1, 100, 4064, 4065, 20000, vgpu_wire::MAX_PAYLOAD] {
        let data: Vec<u8> = (0..len).map(|i| (i * 13 + len) as u8).collect();
        let (status, back) = d.call(vgpu_wire::RPC_ECHO, &data);
        assert_eq!(status, 0);
        assert_eq!(back, data, "echo of {len} bytes");
    }
    assert_eq!(d.sim.stats.commands, 7);
}

#[test]
fn dma_copy_both_ways_and_checksum() {
    let mut d = Driver::new(fault::NONE);
    d.boot();
    let data: Vec<u8> = (0..10_000).map(|i| (i % 251) as u8).collect();
    d.ram().write(BUF, &data).unwrap();
    let to = DmaCopy {
        direction: vgpu_wire::DMA_TO_VRAM,
        reserved: 0,
        guest_addr: BUF,
        vram_offset: 0x1000,
        length: data.len() as u64,
    };
    assert_eq!(d.call(vgpu_wire::RPC_DMA_COPY, to.as_bytes()).0, 0);
    let mut vram = vec![0u8; data.len()];
    d.sim.bar().read((vgpu_wire::VRAM_OFFSET + 0x1000) as u64, &mut vram).unwrap();
    assert_eq!(vram, data);
    let back = DmaCopy {
        direction: vgpu_wire::DMA_FROM_VRAM,
        guest_addr: BUF + 0x10000,
        ..to
    };
    assert_eq!(d.call(vgpu_wire::RPC_DMA_COPY, back.as_bytes()).0, 0);
    let mut copy = vec![0u8; data.len()];
    d.ram().read(BUF + 0x10000, &mut copy).unwrap();
    assert_eq!(copy, data);
    let req = ChecksumReq {
        guest_addr: BUF,
        length: data.len() as u64,
    };
    let (status, reply) = d.call(vgpu_wire::RPC_CHECKSUM, req.as_bytes());
    assert_eq!(status, 0);
    let sum = ChecksumReply::read_from_bytes(&reply).unwrap();
    assert_eq!(sum.checksum, vgpu_wire::checksum(&data));
}

#[test]
fn bad_requests_get_an_error_status() {
    let mut d = Driver::new(fault::NONE);
    d.boot();
    let past_vram = DmaCopy {
        direction: vgpu_wire::DMA_TO_VRAM,
        reserved: 0,
        guest_addr: BUF,
        vram_offset: vgpu_wire::VRAM_SIZE as u64 - 4,
        length: 8,
    };
    assert_eq!(d.call(vgpu_wire::RPC_DMA_COPY, past_vram.as_bytes()).0, vgpu_wire::RPC_STATUS_INVALID);
    let past_ram = ChecksumReq {
        guest_addr: RAM as u64 - 4,
        length: 8,
    };
    assert_eq!(d.call(vgpu_wire::RPC_CHECKSUM, past_ram.as_bytes()).0, vgpu_wire::RPC_STATUS_INVALID);
    assert_eq!(d.call(77, &[]).0, vgpu_wire::RPC_STATUS_INVALID);
}

#[test]
fn corrupted_command_stops_the_gsp() {
    let mut d = Driver::new(fault::NONE);
    d.boot();
    d.send(vgpu_wire::RPC_ECHO, b"hello");
    // Flip a payload byte after the checksum was computed.
    d.ram().write(BASE + CMD_PAGES_OFFSET as u64 + 32, b"j").unwrap();
    assert!(d.recv().is_none());
    assert_eq!(d.sim.stats.rejected, 1);
    assert_eq!(d.sim.bar().read32(regs::ERROR), vgpu_wire::ERR_BAD_COMMAND);
}

#[test]
fn reset_by_clearing_enable() {
    let mut d = Driver::new(fault::NONE);
    d.boot();
    d.sim.bar().write32(regs::ENABLE, 0);
    d.run();
    assert_eq!(d.sim.state(), State::Off);
    assert_eq!(d.sim.bar().read32(regs::STATUS), 0);
    d.set_ptrs(0, 0, 0);
    d.set_ptrs(1, 0, 0);
    d.boot();
    assert_eq!(d.call(vgpu_wire::RPC_ECHO, b"again").1, b"again");
}

/// PTIMER is host time: it only moves forward, and by at least the time that passed.
#[test]
fn ptimer_follows_host_time() {
    let mut d = Driver::new(fault::NONE);
    d.sim.step();
    let t0 = d.sim.bar().read64(regs::PTIMER);
    std::thread::sleep(std::time::Duration::from_millis(20));
    d.sim.step();
    let t1 = d.sim.bar().read64(regs::PTIMER);
    assert!(t1 >= t0 + 20_000_000, "PTIMER went from {t0} to {t1} in 20 ms");
    // Also in the never-ready fault mode, where the driver's timeout depends on it.
    let mut d = Driver::new(fault::NEVER_READY);
    d.sim.step();
    let t0 = d.sim.bar().read64(regs::PTIMER);
    d.sim.step();
    assert!(d.sim.bar().read64(regs::PTIMER) >= t0);
}

/// Every fault mode, as the driver sees it.
#[test]
fn fault_modes() {
    let d = Driver::new(fault::WRONG_CHIP_ID);
    assert_ne!(d.sim.bar().read32(regs::BOOT_0) >> 24, vgpu_wire::CHIP_ARCH);

    let mut d = Driver::new(fault::NEVER_READY);
    d.boot_with(BASE, size_of::<GspMem>() as u32);
    for _ in 0..100 {
        d.sim.step();
    }
    assert_eq!(d.sim.bar().read32(regs::STATUS), 0);

    let reply = |fault: u32| {
        let mut d = Driver::new(fault);
        d.boot();
        let seq = d.send(vgpu_wire::RPC_ECHO, b"ping");
        let got = d.recv();
        let msgq: QueueHdr = d.ram().get(BASE + 16).unwrap();
        (seq, got, msgq)
    };
    let (_, got, _) = reply(fault::BAD_CHECKSUM);
    let (elem, rpc, data) = got.unwrap();
    let mut body = rpc.as_bytes().to_vec();
    body.extend_from_slice(&data);
    assert_ne!(vgpu_wire::checksum(&body), elem.checksum);

    let (_, _, msgq) = reply(fault::PTR_OUT_OF_RANGE);
    assert!(msgq.write_ptr >= QUEUE_PAGES);

    let (_, got, _) = reply(fault::MSG_TOO_LONG);
    assert!(got.unwrap().0.elem_count >= QUEUE_PAGES);

    let (_, got, _) = reply(fault::UNKNOWN_FUNCTION);
    assert_eq!(got.unwrap().1.function, 0xdead);

    let (seq, got, _) = reply(fault::SEQ_MISMATCH);
    assert_ne!(got.unwrap().0.seq, seq);

    let (_, got, msgq) = reply(fault::NO_REPLY);
    assert!(got.is_none());
    assert_eq!(msgq.write_ptr, 0);
}

#[test]
fn harness_switches_fault_through_the_register() {
    let mut d = Driver::new(fault::NONE);
    d.sim.bar().write32(regs::SIM_FAULT, fault::WRONG_CHIP_ID);
    d.run();
    assert_ne!(d.sim.bar().read32(regs::BOOT_0), vgpu_wire::CHIP_BOOT_0);
    d.sim.bar().write32(regs::SIM_FAULT, fault::NONE);
    d.run();
    assert_eq!(d.sim.bar().read32(regs::BOOT_0), vgpu_wire::CHIP_BOOT_0);
}

/// A GSP in a stuck-stop mode keeps running and writing to the queue memory after `ENABLE`
/// is cleared, until its time is up; in the other modes it stops at once.
#[test]
fn stuck_stop_keeps_writing_after_disable() {
    for (mode, answers) in [(fault::STUCK_STOP, true), (fault::STUCK_NO_REPLY, false)] {
        let mut d = Driver::new(mode);
        d.sim.stuck_for = std::time::Duration::from_millis(300);
        d.boot();
        let seq = d.send(vgpu_wire::RPC_ECHO, b"ping");
        assert_eq!(d.recv().map(|r| r.0.seq), answers.then_some(seq));
        d.sim.bar().write32(regs::ENABLE, 0);
        d.run();
        assert!(matches!(d.sim.state(), State::Running(_)));
        assert_eq!(d.sim.bar().read32(regs::STATUS), vgpu_wire::STATUS_READY);
        assert_eq!(d.sim.stats.writes_after_disable, 8);
        std::thread::sleep(std::time::Duration::from_millis(350));
        d.run();
        assert_eq!(d.sim.state(), State::Off);
        assert_eq!(d.sim.bar().read32(regs::STATUS), 0);
    }
    let mut d = Driver::new(fault::NONE);
    d.boot();
    d.sim.bar().write32(regs::ENABLE, 0);
    d.run();
    assert_eq!(d.sim.state(), State::Off);
    assert_eq!(d.sim.stats.writes_after_disable, 0);
}

/// The reply-forging modes, as a driver sees the message ring.
#[test]
fn forged_and_extra_replies() {
    let mut d = Driver::new(fault::OVERSIZED_REPLY);
    d.boot();
    let (status, data) = d.call(vgpu_wire::RPC_GET_STATIC_INFO, &[]);
    assert_eq!((status, data.len()), (0, 13 * PAGE_SIZE - 32));

    let mut d = Driver::new(fault::DUPLICATE_REPLY);
    d.boot();
    let seq = d.send(vgpu_wire::RPC_ECHO, b"once");
    assert_eq!(d.recv().unwrap().0.seq, seq);
    assert_eq!(d.recv().unwrap().0.seq, seq);
    assert!(d.recv().is_none());

    let mut d = Driver::new(fault::UNSOLICITED);
    d.boot();
    let seq = d.send(vgpu_wire::RPC_ECHO, b"asked");
    let (elem, rpc, _) = d.recv().unwrap();
    assert_eq!((elem.seq, rpc.function), (vgpu_wire::UNSOLICITED_SEQ, 0x1000));
    assert_eq!(d.recv().unwrap().0.seq, seq);

    let info = |mode| {
        let mut d = Driver::new(mode);
        d.boot();
        StaticInfo::read_from_bytes(&d.call(vgpu_wire::RPC_GET_STATIC_INFO, &[]).1).unwrap()
    };
    assert_eq!(info(fault::BAD_VRAM_SIZE).vram_size, 176_132 << 20);
    assert!(std::str::from_utf8(&info(fault::BAD_CHIP_NAME).name).is_err());
}

/// Pointers the driver owns, rewritten by the GSP, and an error in the middle of an RPC.
#[test]
fn rewritten_indices_and_gsp_error() {
    let mut d = Driver::new(fault::INDEX_REWRITTEN);
    d.boot();
    d.call(vgpu_wire::RPC_ECHO, b"one");
    let cmdq: QueueHdr = d.ram().get(BASE).unwrap();
    assert_eq!((cmdq.write_ptr, cmdq.read_ptr), (6, 6));
    assert_eq!(d.sim.state(), State::Running(BASE));

    let mut d = Driver::new(fault::READ_PAST_WRITE);
    d.boot();
    d.call(vgpu_wire::RPC_ECHO, b"one");
    let cmdq: QueueHdr = d.ram().get(BASE).unwrap();
    assert_eq!((cmdq.write_ptr, cmdq.read_ptr), (1, 2));

    // On the second command of every boot.
    let mut d = Driver::new(fault::GSP_ERROR);
    for _ in 0..2 {
        d.set_ptrs(0, 0, 0);
        d.set_ptrs(1, 0, 0);
        d.boot();
        d.call(vgpu_wire::RPC_ECHO, b"one");
        d.send(vgpu_wire::RPC_ECHO, b"two");
        assert!(d.recv().is_none());
        assert_eq!(d.sim.state(), State::Failed);
        assert_eq!(d.sim.bar().read32(regs::ERROR), vgpu_wire::ERR_BAD_COMMAND);
        d.sim.bar().write32(regs::ENABLE, 0);
        d.run();
    }
}

/// The GSP changes the source of a copy into VRAM before copying it.
#[test]
fn dma_source_rewritten() {
    let mut d = Driver::new(fault::DMA_SOURCE_REWRITE);
    d.boot();
    let data = vec![0x11u8; 256];
    d.ram().write(BUF, &data).unwrap();
    let to = DmaCopy {
        direction: vgpu_wire::DMA_TO_VRAM,
        reserved: 0,
        guest_addr: BUF,
        vram_offset: 0,
        length: data.len() as u64,
    };
    assert_eq!(d.call(vgpu_wire::RPC_DMA_COPY, to.as_bytes()).0, 0);
    let mut src = vec![0u8; data.len()];
    d.ram().read(BUF, &mut src).unwrap();
    assert_ne!(src, data);
}

/// A read pointer the driver set out of range must not make the GSP's free-space arithmetic
/// overflow: it stops with `ERROR` 1 instead.
#[test]
fn huge_message_read_pointer() {
    let mut d = Driver::new(fault::NONE);
    d.boot();
    d.set_ptrs(1, 0, u32::MAX);
    d.send(vgpu_wire::RPC_ECHO, b"x");
    d.run();
    assert_eq!(d.sim.state(), State::Failed);
    assert_eq!(d.sim.bar().read32(regs::ERROR), vgpu_wire::ERR_BAD_QUEUE);
}

/// One probe-like attempt against a fuzzing GSP, by a driver that checks nothing and panics
/// on nothing: returns the fuzz actions taken.
fn fuzz_attempt(seed: u32) -> Vec<String> {
    let mut d = Driver::new(fault::NONE);
    d.sim.bar().write32(regs::SIM_FUZZ, seed);
    d.run();
    assert_eq!(d.sim.fuzzing(), Some((u64::from(seed), 0)));
    d.boot_with(BASE, size_of::<GspMem>() as u32);
    d.ram().write(BUF, &[0x42u8; 4096]).unwrap();
    let dma = DmaCopy {
        direction: vgpu_wire::DMA_TO_VRAM,
        reserved: 0,
        guest_addr: BUF,
        vram_offset: 0,
        length: 4096,
    };
    let sum = ChecksumReq {
        guest_addr: BUF,
        length: 4096,
    };
    let calls: [(u32, &[u8]); 4] = [
        (vgpu_wire::RPC_GET_STATIC_INFO, &[]),
        (vgpu_wire::RPC_ECHO, &[7u8; 3000]),
        (vgpu_wire::RPC_DMA_COPY, dma.as_bytes()),
        (vgpu_wire::RPC_CHECKSUM, sum.as_bytes()),
    ];
    for _ in 0..3 {
        for (function, payload) in calls {
            // The rings may be anywhere after the fuzzer moved them: start from the
            // pointers as they are, like a driver that does not validate.
            let cmdq: QueueHdr = d.ram().get(BASE).unwrap();
            d.set_ptrs(0, cmdq.write_ptr % QUEUE_PAGES, cmdq.read_ptr % QUEUE_PAGES);
            let msgq: QueueHdr = d.ram().get(BASE + 16).unwrap();
            d.set_ptrs(1, msgq.write_ptr % QUEUE_PAGES, msgq.read_ptr % QUEUE_PAGES);
            d.send(function, payload);
            for _ in 0..4 {
                d.recv();
            }
            for _ in 0..70 {
                d.sim.step(); // let any flipping value settle
            }
        }
    }
    let log = d.sim.take_fuzz_log();
    assert_eq!(log.len() as u32, d.sim.fuzzing().unwrap().1);
    log
}

/// Fuzz mode is reproducible (same seed, same actions), logs every action with its seed,
/// and over a few hundred seeds takes every kind of action without the simulator failing.
#[test]
fn fuzz_is_seeded_and_covers_every_action() {
    let mut all = String::new();
    for seed in 1..=300u32 {
        let log = fuzz_attempt(seed);
        assert!(log.iter().all(|l| l.starts_with(&format!("fuzz seed {seed} action "))));
        if seed <= 20 {
            assert_eq!(log, fuzz_attempt(seed), "seed {seed} is not reproducible");
        }
        all.push_str(&log.join("\n"));
        all.push('\n');
    }
    assert_ne!(fuzz_attempt(1), fuzz_attempt(2));
    for what in [
        "MAILBOX0 protocol version",
        "STATUS ready|error",
        "no reply to function",
        "ERROR 2 on function",
        "command ring read_ptr",
        "command ring write_ptr",
        "message ring read_ptr",
        "DMA destination byte",
        "reply payload byte",
        "reply payload resized",
        "reply seq ",
        "reply elem_count",
        "reply checksum",
        "reply function",
        "reply length",
        "reply status",
        "checksum recomputed",
        "unsolicited message first",
        "reply posted twice",
        "message ring write_ptr",
        "write_ptr flips with",
        "reply seq flips with",
    ] {
        assert!(all.contains(what), "no fuzz action '{what}' in 300 seeds");
    }
}

/// What `PTIMER` did over about `ms` of host time, the simulator stepped after every sleep of
/// at least a millisecond: its advance, the host time that bounds it from above (from before
/// the step that wrote the first value to after the step that wrote the last), and the number
/// of intervals between those steps, each at least a millisecond long.
struct Span {
    advance: u64,
    host: u64,
    intervals: u64,
}

fn span(d: &mut Driver, ms: u64) -> Span {
    let t0 = std::time::Instant::now();
    d.sim.step();
    let before = d.sim.bar().read64(regs::PTIMER);
    let mut intervals = 0;
    while t0.elapsed() < std::time::Duration::from_millis(ms) {
        std::thread::sleep(std::time::Duration::from_millis(1));
        d.sim.step();
        intervals += 1;
    }
    let host = u64::try_from(t0.elapsed().as_nanos()).unwrap();
    Span {
        advance: d.sim.bar().read64(regs::PTIMER) - before,
        host,
        intervals,
    }
}

/// At the host's pace: never more than the host time (whatever the host's load).
fn host_paced(s: &Span) -> bool {
    s.advance <= s.host
}

/// Fast: every interval of at least 1 ms added at least `SILENT_TIMER_RATE - 1` ms more than
/// the host time, and never more than the capped fast part allows (whatever the host's load).
fn fast(s: &Span) -> bool {
    let extra = fault::SILENT_TIMER_RATE - 1;
    s.advance >= s.intervals * extra * 1_000_000
        && s.advance <= s.host + s.intervals * extra * fault::SILENT_TIMER_MAX_FAST_NS
}

#[test]
fn ptimer_follows_the_host_unless_the_gsp_is_silent_on_purpose() {
    const MS: u64 = 40;
    // A working GSP: host time.
    let mut d = Driver::new(fault::NONE);
    d.boot();
    let s = span(&mut d, MS);
    assert!(host_paced(&s), "{} > {}", s.advance, s.host);

    // Started but never ready: the driver's wait for ready runs on a fast clock.
    let mut d = Driver::new(fault::NEVER_READY);
    d.boot_with(BASE, size_of::<GspMem>() as u32);
    let s = span(&mut d, MS);
    assert!(fast(&s), "{} in {} ns, {} intervals", s.advance, s.host, s.intervals);
    // Once ENABLE is cleared the GSP stops and the clock is the host's again.
    d.sim.bar().write32(regs::ENABLE, 0);
    d.sim.step();
    let s = span(&mut d, MS);
    assert!(host_paced(&s), "{} > {}", s.advance, s.host);

    // A command left unanswered: fast while ENABLE stays set, not before the command.
    let mut d = Driver::new(fault::NO_REPLY);
    d.boot();
    let s = span(&mut d, MS);
    assert!(host_paced(&s), "{} > {}", s.advance, s.host);
    d.send(vgpu_wire::RPC_GET_STATIC_INFO, &[]);
    d.run();
    let s = span(&mut d, MS);
    assert!(fast(&s), "{} in {} ns, {} intervals", s.advance, s.host, s.intervals);

    // Stuck, ignoring a cleared ENABLE: fast.
    let mut d = Driver::new(fault::STUCK_STOP);
    d.boot();
    d.sim.bar().write32(regs::ENABLE, 0);
    d.run();
    let s = span(&mut d, MS);
    assert!(fast(&s), "{} in {} ns, {} intervals", s.advance, s.host, s.intervals);
}

#[test]
fn a_host_stall_of_a_silent_gsp_counts_once_beyond_the_cap() {
    // The GSP sits on an unanswered command (NO_REPLY), so it is silent at both ends of the
    // stall: only SILENT_TIMER_MAX_FAST_NS of the stall counts fast, the rest once. A driver
    // that cleared ENABLE just after the simulator read it (the interleaving the cap is for)
    // thus sees the stall plus at most the capped part, not 8 times the stall.
    const STALL_MS: u64 = 100;
    let mut d = Driver::new(fault::NO_REPLY);
    d.boot();
    d.send(vgpu_wire::RPC_GET_STATIC_INFO, &[]);
    d.run();
    let t0 = std::time::Instant::now();
    d.sim.step();
    let a = d.sim.bar().read64(regs::PTIMER);
    std::thread::sleep(std::time::Duration::from_millis(STALL_MS));
    d.sim.step();
    let host = u64::try_from(t0.elapsed().as_nanos()).unwrap();
    let advance = d.sim.bar().read64(regs::PTIMER) - a;
    let cap = (fault::SILENT_TIMER_RATE - 1) * fault::SILENT_TIMER_MAX_FAST_NS;
    assert!(advance >= STALL_MS * 1_000_000, "{advance}");
    assert!(advance <= host + cap, "{advance} > {host} + {cap}");
}
