// SPDX-License-Identifier: GPL-2.0

//! The GSP: reset, boot with the queue memory, and RPCs over the command queue.

use crate::{
    cmdq::{
        Cmdq,
        Mem,
        Reply, //
    },
    regs::{
        Bar2,
        BAR2_MAPPED,
        BOOT_0,
        STATUS, //
    },
};
use kernel::{
    prelude::*,
    processor::cpu_relax,
    time::{
        delay::fsleep,
        Delta,
        Instant,
        Monotonic, //
    },
};
use kio::{
    io::{
        Io,
        IoExt,
        Mmio,
        Region, //
    },
    io_read,
    io_write, //
};

/// BAR2 as an untyped region (for `register!`) and as the typed block.
#[derive(Clone, Copy)]
pub(crate) struct Gpu<'a> {
    pub(crate) region: Mmio<'a, Region<BAR2_MAPPED>>,
    pub(crate) bar: Mmio<'a, Bar2>,
}

/// Chip identification read from `BOOT_0`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Chip {
    pub(crate) boot0: u32,
    pub(crate) architecture: u32,
    pub(crate) revision: u32,
}

/// How long the GSP may take to boot or to answer an RPC, in the GPU's own time (`PTIMER`).
const TIMEOUT: Delta = Delta::from_secs(2);
/// How long `PTIMER` may stand still, in the kernel's time, before a wait gives up on a GPU
/// whose clock has stopped (a dead device). Far longer than `TIMEOUT`: under QEMU's
/// `-icount sleep=off` the kernel's clock runs far ahead of the host's while the guest sleeps,
/// so it cannot tell how long a device on the host had.
const STOPPED_CLOCK_TIMEOUT: Delta = Delta::from_secs(600);
/// Polling interval while the GSP boots or stops.
const BOOT_POLL: Delta = Delta::from_millis(1);
/// Polling interval while an RPC is outstanding.
const RPC_POLL: Delta = Delta::from_micros(200);
impl<'a> Gpu<'a> {
    pub(crate) fn new(region: Mmio<'a, Region<BAR2_MAPPED>>) -> Self {
        Self {
            region,
            bar: region.cast(),
        }
    }

    /// Reads and checks the chip identification: `ENODEV` for an unknown chip.
    pub(crate) fn identify(&self) -> Result<Chip> {
        let boot0 = self.region.read(BOOT_0);
        let chip = Chip {
            boot0: boot0.into_raw(),
            architecture: boot0.architecture().into(),
            revision: boot0.revision().into(),
        };
        if chip.architecture != vgpu_wire::CHIP_ARCH {
            pr_err!(
                "unknown chip: BOOT_0 {:#010x} (architecture {:#x}, expected {:#x})\n",
                chip.boot0,
                chip.architecture,
                vgpu_wire::CHIP_ARCH
            );
            return Err(ENODEV);
        }
        Ok(chip)
    }

    /// The GPU's timer, in nanoseconds.
    pub(crate) fn ptimer(&self) -> u64 {
        io_read!(self.bar, .regs.ptimer)
    }

    /// Polls `op` until `cond` holds, sleeping `poll` between reads. Times out (`ETIMEDOUT`)
    /// after `timeout` of the GPU's own time, like nova-core's `PTIMER` waits: the device's
    /// clock, not the kernel's, measures how long the device had to answer. Also times out when
    /// `PTIMER` has not moved for `STOPPED_CLOCK_TIMEOUT` of the kernel's time.
    pub(crate) fn wait_on<T>(
        &self,
        mut op: impl FnMut() -> Result<T>,
        cond: impl Fn(&T) -> bool,
        poll: Delta,
        timeout: Delta,
    ) -> Result<T> {
        let start = self.ptimer();
        let limit = u64::try_from(timeout.as_nanos()).unwrap_or(0);
        let (mut last, mut last_moved) = (start, Instant::<Monotonic>::now());
        loop {
            let val = op()?;
            if cond(&val) {
                return Ok(val);
            }
            let now = self.ptimer();
            if now.wrapping_sub(start) > limit {
                return Err(ETIMEDOUT);
            }
            if now != last {
                (last, last_moved) = (now, Instant::now());
            } else if last_moved.elapsed() > STOPPED_CLOCK_TIMEOUT {
                pr_err!("the GPU's timer stopped at {now} ns\n");
                return Err(ETIMEDOUT);
            }
            fsleep(poll);
            cpu_relax();
        }
    }

    /// Resets the GPU (clears `ENABLE` and waits for the GSP to stop) and enables it again.
    pub(crate) fn reset(&self) -> Result {
        self.stop()?;
        io_write!(self.bar, .regs.enable, 1);
        Ok(())
    }

    /// Disables the GPU and waits until the GSP reports that it stopped, so that it no longer
    /// touches the queue memory.
    pub(crate) fn stop(&self) -> Result {
        io_write!(self.bar, .regs.enable, 0);
        self.wait_on(
            || Ok(self.region.read(STATUS)),
            |s| !bool::from(s.ready()) && !bool::from(s.error()),
            BOOT_POLL,
            TIMEOUT,
        )
        .inspect_err(|_| pr_err!("the GPU did not leave its running state\n"))?;
        Ok(())
    }

    /// Tells the GSP where the queue memory is, starts it and waits until it is ready.
    pub(crate) fn boot(&self, queue_dma: u64, queue_size: usize) -> Result {
        let regs = kio::io_project!(self.bar, .regs);
        io_write!(regs, .queue_base_lo, queue_dma as u32);
        io_write!(regs, .queue_base_hi, (queue_dma >> 32) as u32);
        io_write!(regs, .queue_size, u32::try_from(queue_size)?);
        io_write!(regs, .start, 1);
        let status = self
            .wait_on(
                || Ok(self.region.read(STATUS)),
                |s| bool::from(s.ready()) || bool::from(s.error()),
                BOOT_POLL,
                TIMEOUT,
            )
            .inspect_err(|_| pr_err!("the GSP did not become ready\n"))?;
        if bool::from(status.error()) {
            pr_err!("the GSP stopped with error {}\n", io_read!(regs, .error));
            return Err(EIO);
        }
        let version = io_read!(regs, .mailbox0);
        if version != vgpu_wire::PROTOCOL_VERSION {
            pr_err!(
                "GSP protocol {version:#x}, expected {:#x}\n",
                vgpu_wire::PROTOCOL_VERSION
            );
            return Err(crate::cmdq::eproto());
        }
        Ok(())
    }

    /// Sends one RPC, rings the doorbell, and waits for its reply, which must carry
    /// `reply_len` bytes of payload. `ETIMEDOUT` if none comes, `EIO` if the GSP stops on an
    /// error meanwhile, reports a failure, or replies with another size.
    pub(crate) fn rpc<'m>(
        &self,
        cmdq: &mut Cmdq,
        mem: impl Mem<'m>,
        function: u32,
        payload: &[u8],
        reply_len: usize,
    ) -> Result<Reply> {
        let seq = cmdq.send(mem, function, payload)?;
        io_write!(self.bar, .regs.doorbell, 1);
        let waiting = || {
            if cmdq.reply_ready(mem)? {
                return Ok(true);
            }
            // A GSP that stopped on an error will not answer: say so now, not at the timeout.
            if bool::from(self.region.read(STATUS).error()) {
                pr_err!(
                    "the GSP stopped with error {} during RPC {function} (sequence {seq})\n",
                    io_read!(self.bar, .regs.error)
                );
                return Err(EIO);
            }
            Ok(false)
        };
        self.wait_on(waiting, |ready| *ready, RPC_POLL, TIMEOUT)
            .inspect_err(|e| {
                if *e == ETIMEDOUT {
                    pr_err!("no reply to RPC {function} (sequence {seq})\n");
                }
            })?;
        let reply = cmdq.receive(mem, seq, function)?;
        if reply.status != 0 {
            pr_err!(
                "RPC {function} failed on the GSP with status {}\n",
                reply.status
            );
            return Err(EIO);
        }
        if reply.payload.len() != reply_len {
            pr_err!(
                "reply to RPC {function} has {} bytes of payload, expected {reply_len}\n",
                reply.payload.len()
            );
            return Err(EIO);
        }
        Ok(reply)
    }
}
