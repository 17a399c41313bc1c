// SPDX-License-Identifier: GPL-2.0

//! Fuzz mode: a seeded, reproducible hostile GSP.
//!
//! Decisions are taken at protocol events (the GSP starts, a command is consumed, a DMA copy
//! is done, a reply is written), never on wall-clock time, so one seed gives the same
//! actions for the same driver behaviour. Every action is recorded with its seed (see
//! [`Fuzz::take_log`]); `vgpu-sim` prints them.

use vgpu_wire::{
    ElemHeader,
    RpcHeader,
    MAX_PAYLOAD,
    QUEUE_PAGES, //
};
use zerocopy::IntoBytes;

/// A value chosen to be wrong in a particular way, relative to a good value and a bound;
/// never the good value itself.
fn bad_value(r: &mut Rng, good: u32, bound: u32) -> (u32, &'static str) {
    let (v, how) = some_value(r, good, bound);
    if v == good {
        (good ^ 0x100, "the good value with bit 8 flipped")
    } else {
        (v, how)
    }
}

fn some_value(r: &mut Rng, good: u32, bound: u32) -> (u32, &'static str) {
    match r.below(7) {
        0 => (bound, "just past the bound"),
        1 => (bound.wrapping_add(1), "bound + 1"),
        2 => (u32::MAX, "huge"),
        3 => (good.wrapping_add(1), "off by +1"),
        4 => (good.wrapping_sub(1), "off by -1"),
        5 => (0, "zero"),
        _ => (r.next() as u32, "random"),
    }
}

/// splitmix64 (small, fast, and the same on every host), with a rarity factor that makes
/// every [`Rng::one_in`] that much rarer.
#[derive(Clone, Debug)]
pub struct Rng(u64, u32);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed, 1)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: u32) -> u32 {
        (self.next() % u64::from(n)) as u32
    }

    /// True one time in `n` (times the rarity).
    pub fn one_in(&mut self, n: u32) -> bool {
        self.below(n.saturating_mul(self.1)) == 0
    }
}

/// Which shared value a time-of-check/time-of-use flip alternates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Flip {
    /// The message ring's `write_ptr` (at `base + 16`).
    MsgWritePtr,
    /// The sequence number of the reply at this byte offset of guest RAM.
    ReplySeq(u64),
}

/// A value flipping between good and bad for some polling rounds.
#[derive(Clone, Copy, Debug)]
pub struct Toctou {
    /// What flips.
    pub what: Flip,
    /// Its good and bad values.
    pub good: u32,
    /// The bad value.
    pub bad: u32,
    /// Polling rounds left.
    pub rounds: u32,
}

/// What to do to the registers when the GSP becomes ready.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OnStart {
    /// Replace the protocol version in `MAILBOX0`.
    pub version: Option<u32>,
    /// Set `STATUS` error (with ready) and this `ERROR` code.
    pub error: Option<u32>,
}

/// What to do after consuming a command.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OnCommand {
    /// Do not answer it.
    pub drop_reply: bool,
    /// Stop with `ERROR` 2 instead of answering.
    pub gsp_error: bool,
    /// Rewrite the command ring's `read_ptr` (the GSP's) with this value.
    pub cmd_read: Option<u32>,
    /// Rewrite the command ring's `write_ptr` (the driver's).
    pub cmd_write: Option<u32>,
    /// Rewrite the message ring's `read_ptr` (the driver's).
    pub msg_read: Option<u32>,
}

/// What to do to a reply before it is written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OnReply {
    /// Post an unsolicited message first.
    pub unsolicited_first: bool,
    /// Post the reply twice.
    pub duplicate: bool,
    /// Publish this `write_ptr` instead of the right one.
    pub write_ptr: Option<u32>,
    /// Flip the published `write_ptr` between good and this bad value for a while.
    pub toctou_write_ptr: Option<u32>,
    /// Flip the reply's sequence number between good and this bad value for a while.
    pub toctou_seq: Option<u32>,
}

/// The fuzzer's state for one seed.
pub struct Fuzz {
    seed: u64,
    rng: Rng,
    actions: u32,
    log: Vec<String>,
}

impl Fuzz {
    /// A fuzzer for `seed`.
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        // A quarter of the seeds each act 1, 3, 10 or 40 times more rarely: the rare ones
        // let probes get further, and some bind (then unbind) under a fuzzing GSP.
        rng.1 = [1, 3, 10, 40][rng.below(4) as usize];
        Self {
            seed,
            rng,
            actions: 0,
            log: Vec::new(),
        }
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Actions taken so far.
    pub fn actions(&self) -> u32 {
        self.actions
    }

    /// The recorded actions since the last call, each "seed S action N: what".
    pub fn take_log(&mut self) -> Vec<String> {
        std::mem::take(&mut self.log)
    }

    fn act(&mut self, what: String) {
        self.actions += 1;
        self.log
            .push(format!("fuzz seed {} action {}: {what}", self.seed, self.actions));
    }

    /// The GSP has just become ready.
    pub fn on_start(&mut self) -> OnStart {
        let mut a = OnStart::default();
        if self.rng.one_in(12) {
            let v = vgpu_wire::PROTOCOL_VERSION ^ (1 << self.rng.below(32));
            self.act(format!("MAILBOX0 protocol version {v:#x}"));
            a.version = Some(v);
        }
        if self.rng.one_in(12) {
            let code = self.rng.below(4);
            self.act(format!("STATUS ready|error, ERROR {code}"));
            a.error = Some(code);
        }
        a
    }

    /// A command (of `function`) was consumed; `cmd_write` and `next_read` are the command
    /// ring's pointers after it.
    pub fn on_command(&mut self, function: u32, cmd_write: u32, next_read: u32) -> OnCommand {
        let r = &mut self.rng;
        let mut a = OnCommand::default();
        let mut acts = Vec::new();
        if r.one_in(24) {
            a.drop_reply = true;
            acts.push(format!("no reply to function {function}"));
        } else if r.one_in(24) {
            a.gsp_error = true;
            acts.push(format!("ERROR 2 on function {function}"));
        }
        if r.one_in(12) {
            let (v, how) = bad_value(r, next_read, QUEUE_PAGES);
            a.cmd_read = Some(v);
            acts.push(format!("command ring read_ptr {v} ({how})"));
        }
        if r.one_in(16) {
            let (v, how) = bad_value(r, cmd_write, QUEUE_PAGES);
            a.cmd_write = Some(v);
            acts.push(format!("command ring write_ptr {v} ({how}, the driver's)"));
        }
        if r.one_in(16) {
            let v = r.below(QUEUE_PAGES + 2);
            a.msg_read = Some(v);
            acts.push(format!("message ring read_ptr {v} (the driver's)"));
        }
        for what in acts {
            self.act(what);
        }
        a
    }

    /// A DMA copy of `len` bytes was done: the byte to corrupt in its destination, if any.
    pub fn on_dma(&mut self, len: usize) -> Option<(usize, u8)> {
        if len == 0 || !self.rng.one_in(8) {
            return None;
        }
        let at = self.rng.next() as usize % len;
        let x = 1 + self.rng.below(255) as u8;
        self.act(format!("DMA destination byte {at} ^= {x:#04x}"));
        Some((at, x))
    }

    /// A reply is about to be written: may change its headers and payload (keeping the
    /// checksum right half of the time, so that the deeper checks are reached too).
    pub fn on_reply(
        &mut self,
        elem: &mut ElemHeader,
        rpc: &mut RpcHeader,
        payload: &mut Vec<u8>,
        good_write: u32,
    ) -> OnReply {
        let mut a = OnReply::default();
        let mut acts = Vec::new();
        let r = &mut self.rng;
        let mut resum = false;
        if r.one_in(10) && !payload.is_empty() {
            let at = r.next() as usize % payload.len();
            let x = 1 + r.below(255) as u8;
            payload[at] ^= x;
            resum = true;
            acts.push(format!("reply payload byte {at} ^= {x:#04x}"));
        }
        if r.one_in(16) {
            let len = r.next() as usize % (MAX_PAYLOAD + 1);
            payload.resize(len, 0xee);
            rpc.length = len as u32;
            elem.elem_count = vgpu_wire::pages_for(len);
            resum = true;
            acts.push(format!("reply payload resized to {len} bytes"));
        }
        if r.one_in(6) {
            let (field, good, bound) = match r.below(6) {
                0 => ("seq", elem.seq, elem.seq),
                1 => ("elem_count", elem.elem_count, QUEUE_PAGES),
                2 => ("checksum", elem.checksum, elem.checksum),
                3 => ("function", rpc.function, 5),
                4 => ("length", rpc.length, MAX_PAYLOAD as u32),
                _ => ("status", rpc.status, 2),
            };
            let (v, how) = bad_value(r, good, bound);
            match field {
                "seq" => elem.seq = v,
                "elem_count" => elem.elem_count = v,
                "checksum" => elem.checksum = v,
                "function" => rpc.function = v,
                "length" => rpc.length = v,
                _ => rpc.status = v,
            }
            resum |= field != "checksum" && r.one_in(2);
            acts.push(format!("reply {field} {v:#x} ({how})"));
        }
        if resum {
            let mut body = rpc.as_bytes().to_vec();
            body.extend_from_slice(payload);
            elem.checksum = vgpu_wire::checksum(&body);
            acts.push("checksum recomputed".into());
        }
        if r.one_in(16) {
            a.unsolicited_first = true;
            acts.push("unsolicited message first".into());
        }
        if r.one_in(16) {
            a.duplicate = true;
            acts.push("reply posted twice".into());
        }
        if r.one_in(16) {
            let (v, how) = bad_value(r, good_write, QUEUE_PAGES);
            a.write_ptr = Some(v);
            acts.push(format!("message ring write_ptr {v} ({how})"));
        } else if r.one_in(12) {
            let (v, how) = bad_value(r, good_write, QUEUE_PAGES);
            a.toctou_write_ptr = Some(v);
            acts.push(format!("message ring write_ptr flips with {v} ({how})"));
        } else if r.one_in(12) {
            let v = elem.seq.wrapping_add(1 + r.below(3));
            a.toctou_seq = Some(v);
            acts.push(format!("reply seq flips with {v}"));
        }
        for what in acts {
            self.act(what);
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A corruption is never a no-op, even where the bound is the good value (a sequence
    /// number or a checksum).
    #[test]
    fn bad_values_are_never_the_good_one() {
        let mut r = Rng::new(7);
        for good in [0, 1, 15, 16, 0x1234_5678, u32::MAX] {
            for bound in [good, 16] {
                for _ in 0..200 {
                    assert_ne!(bad_value(&mut r, good, bound).0, good);
                }
            }
        }
    }
}
