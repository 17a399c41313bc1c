// SPDX-License-Identifier: GPL-2.0

//! The command queue: messages to the GSP on the command ring, replies from it on the
//! message ring, both in [`GspMem`].
//!
//! The code is generic over the kio view of the queue memory, so the same functions run on
//! DMA-coherent memory shared with the device (`CoherentView`) and, in KUnit, on system memory
//! (`SysMem`) with a device side written in the test. Everything read from the rings that the
//! device writes (its pointers, headers, lengths, checksums) is checked before it is used.
//!
//! The indices the driver owns (the command ring's write pointer, the message ring's read
//! pointer) live in [`Cmdq`]; the copies in the shared memory are only written for the device
//! and, when read back, compared with the private ones. The device's own indices are read
//! once per use and validated against what the driver knows.

use kernel::{
    prelude::*,
    sync::barrier::{
        smp_rmb,
        smp_wmb, //
    }, //
};
use kio::{
    io::{
        Io,
        IoBackend,
        IoBase,
        IoCapable,
        IoCopyable,
        IoExt,
        View, //
    },
    io_project,
    io_read,
    io_write, //
};
use vgpu_wire::{
    ElemHeader,
    GspMem,
    Page,
    RpcHeader,
    HEADERS_SIZE,
    MAX_PAYLOAD,
    PAGE_SIZE,
    QUEUE_PAGES, //
};

/// `EPROTO`: the reply does not belong to the command (7.2's Rust error list lacks it).
pub(crate) fn eproto() -> Error {
    Error::from_errno(-(kernel::bindings::EPROTO as i32))
}

/// Bytes in one ring.
pub(crate) const RING_BYTES: usize = QUEUE_PAGES as usize * PAGE_SIZE;

/// What a queue backend must offer: 32-bit accesses for the pointers, copies for messages.
pub(crate) trait QueueIo: IoCapable<u32> + IoCopyable {}
impl<B: IoCapable<u32> + IoCopyable + ?Sized> QueueIo for B {}

/// A view of the queue memory through a backend that can run the queue.
pub(crate) trait Mem<'a>: View<'a, Target = GspMem, Backend: QueueIo> {}
impl<'a, V: View<'a, Target = GspMem, Backend: QueueIo>> Mem<'a> for V {}

/// A view of one ring's bytes through a backend that can run the queue.
pub(crate) trait Ring<'a>: View<'a, Target = [u8; RING_BYTES], Backend: QueueIo> {}
impl<'a, V: View<'a, Target = [u8; RING_BYTES], Backend: QueueIo>> Ring<'a> for V {}

/// The view of a `T` through the backend of the view `V`.
type ViewOf<'a, V, T> = <<V as IoBase<'a>>::Backend as IoBackend>::View<'a, T>;

/// Counters kept by the driver side of a queue.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Stats {
    pub(crate) sent: u64,
    pub(crate) received: u64,
    pub(crate) bytes_sent: u64,
    pub(crate) bytes_received: u64,
    pub(crate) wraps: u64,
}

/// The driver's side of both rings.
pub(crate) struct Cmdq {
    next_seq: u32,
    /// Command ring: the driver's write pointer, and the GSP's read pointer when last seen.
    cmd_write: u32,
    cmd_read: u32,
    /// Message ring: the driver's read pointer.
    msg_read: u32,
    /// Sequence number of the last reply taken.
    last_seq: Option<u32>,
    pub(crate) stats: Stats,
}

/// A reply taken from the message ring.
pub(crate) struct Reply {
    pub(crate) status: u32,
    pub(crate) payload: KVec<u8>,
}

/// Sets up empty rings (before the GSP is told where they are).
pub(crate) fn init<'a>(mem: impl Mem<'a>) {
    for hdr in [io_project!(mem, .cmdq), io_project!(mem, .msgq)] {
        io_write!(hdr, .write_ptr, 0);
        io_write!(hdr, .read_ptr, 0);
        io_write!(hdr, .num_pages, QUEUE_PAGES);
        io_write!(hdr, .reserved, 0);
    }
}

/// Copies `data` into a ring from byte `at` on, wrapping at the end. Returns whether it
/// wrapped.
pub(crate) fn ring_write<'a>(ring: impl Ring<'a>, at: usize, data: &[u8]) -> Result<bool> {
    let start = at % RING_BYTES;
    let first = data.len().min(RING_BYTES - start);
    io_project!(ring, [try: start..start + first]).try_copy_from_slice(&data[..first])?;
    let rest = &data[first..];
    if !rest.is_empty() {
        io_project!(ring, [try: 0..rest.len()]).try_copy_from_slice(rest)?;
    }
    Ok(!rest.is_empty())
}

/// Copies `out.len()` bytes out of a ring from byte `at` on, wrapping at the end.
pub(crate) fn ring_read<'a>(ring: impl Ring<'a>, at: usize, out: &mut [u8]) -> Result {
    let start = at % RING_BYTES;
    let first = out.len().min(RING_BYTES - start);
    let (a, b) = out.split_at_mut(first);
    io_project!(ring, [try: start..start + first]).try_copy_to_slice(a)?;
    if !b.is_empty() {
        io_project!(ring, [try: 0..b.len()]).try_copy_to_slice(b)?;
    }
    Ok(())
}

/// Views of the two headers at the start of page `page` of a ring (messages start at page
/// boundaries, so the 32 bytes of headers never wrap).
fn headers<'a, P>(
    pages: P,
    page: u32,
) -> Result<(ViewOf<'a, P, ElemHeader>, ViewOf<'a, P, RpcHeader>)>
where
    P: View<'a, Target = [Page; QUEUE_PAGES as usize], Backend: QueueIo>,
{
    let bytes = io_project!(pages, [try: page as usize].0);
    Ok((
        io_project!(bytes, [build: 0..16]).try_cast::<ElemHeader>()?,
        io_project!(bytes, [build: 16..32]).try_cast::<RpcHeader>()?,
    ))
}

impl Cmdq {
    /// The driver's side of rings just set up by [`init`].
    pub(crate) fn new() -> Self {
        Self {
            next_seq: 1,
            cmd_write: 0,
            cmd_read: 0,
            msg_read: 0,
            last_seq: None,
            stats: Stats::default(),
        }
    }

    /// Continues on rings that other driver code (the pre-series queue of `make bench`,
    /// [`crate::legacy`]) has been using: the one place where the driver's own indices are
    /// taken from the shared memory, and only from memory that code itself wrote.
    pub(crate) fn take_over<'a>(&mut self, mem: impl Mem<'a>) -> Result {
        let write = io_read!(mem, .cmdq.write_ptr);
        let read = io_read!(mem, .msgq.read_ptr);
        if write >= QUEUE_PAGES || read >= QUEUE_PAGES {
            pr_err!("cannot take over rings with pointers {write} and {read}\n");
            return Err(EIO);
        }
        self.cmd_write = write;
        self.cmd_read = write;
        self.msg_read = read;
        Ok(())
    }

    /// Queues an RPC. Returns its sequence number.
    ///
    /// `EINVAL` if the payload cannot fit in the ring, `EBUSY` if the GSP has not consumed
    /// enough of the ring yet, `EIO` if the GSP rewrote the driver's write pointer or moved
    /// its read pointer anywhere but over the commands still pending.
    pub(crate) fn send<'a>(
        &mut self,
        mem: impl Mem<'a>,
        function: u32,
        payload: &[u8],
    ) -> Result<u32> {
        if payload.len() > MAX_PAYLOAD {
            pr_err!(
                "RPC {function}: payload of {} bytes, at most {MAX_PAYLOAD} fit\n",
                payload.len()
            );
            return Err(EINVAL);
        }
        let pages = vgpu_wire::pages_for(payload.len());
        let write = self.cmd_write;
        let shared = io_read!(mem, .cmdq.write_ptr);
        if shared != write {
            pr_err!("the GSP rewrote the command queue write pointer to {shared} (the driver's is {write})\n");
            return Err(EIO);
        }
        // The GSP may only have consumed commands that were pending: from where its read
        // pointer was last seen up to the driver's write pointer.
        let read = io_read!(mem, .cmdq.read_ptr);
        let pending = (write + QUEUE_PAGES - self.cmd_read) % QUEUE_PAGES;
        if read >= QUEUE_PAGES || (read + QUEUE_PAGES - self.cmd_read) % QUEUE_PAGES > pending {
            pr_err!(
                "command queue read pointer {read} is outside the pending pages {}..={write}\n",
                self.cmd_read
            );
            return Err(EIO);
        }
        self.cmd_read = read;
        let free = (read + QUEUE_PAGES - write - 1) % QUEUE_PAGES;
        if pages > free {
            pr_err!("command queue full: RPC {function} needs {pages} pages, {free} free\n");
            return Err(EBUSY);
        }
        let seq = self.next_seq;
        // 0 is the GSP's own (unsolicited) sequence number: never use it.
        self.next_seq = match self.next_seq.wrapping_add(1) {
            vgpu_wire::UNSOLICITED_SEQ => 1,
            next => next,
        };
        let rpc = RpcHeader {
            function,
            length: payload.len() as u32,
            status: 0,
            reserved: 0,
        };
        let mut sum = vgpu_wire::Checksum::new();
        sum.update(rpc.as_bytes());
        sum.update(payload);
        // The body first, then the headers field by field, then the pointer that publishes
        // the message.
        let ring = io_project!(mem, .cmd_pages).try_cast::<[u8; RING_BYTES]>()?;
        let at = write as usize * PAGE_SIZE;
        if ring_write(ring, at + HEADERS_SIZE, payload)? {
            self.stats.wraps += 1;
        }
        let (elem, head) = headers(io_project!(mem, .cmd_pages), write)?;
        io_write!(head, .function, rpc.function);
        io_write!(head, .length, rpc.length);
        io_write!(head, .status, 0);
        io_write!(head, .reserved, 0);
        io_write!(elem, .seq, seq);
        io_write!(elem, .elem_count, pages);
        io_write!(elem, .checksum, sum.finish());
        io_write!(elem, .reserved, 0);
        smp_wmb();
        self.cmd_write = (write + pages) % QUEUE_PAGES;
        io_write!(mem, .cmdq.write_ptr, self.cmd_write);
        self.stats.sent += 1;
        self.stats.bytes_sent += payload.len() as u64;
        Ok(seq)
    }

    /// Whether the GSP has published a reply (`EIO` if its write pointer is out of range).
    pub(crate) fn reply_ready<'a>(&self, mem: impl Mem<'a>) -> Result<bool> {
        let write = io_read!(mem, .msgq.write_ptr);
        if write >= QUEUE_PAGES {
            pr_err!(
                "message queue write pointer {write} out of range (ring of {QUEUE_PAGES} pages)\n"
            );
            return Err(EIO);
        }
        Ok(write != self.msg_read)
    }

    /// Takes the reply to `seq` for `function` from the message ring; call when
    /// [`Cmdq::reply_ready`] said so. Every field is checked: `EIO` for a reply that spans
    /// more pages than the ring or than it has, or fails its checksum, or for a read pointer
    /// the GSP rewrote; `EPROTO` for an unsolicited or duplicate message, the wrong sequence
    /// number or function.
    pub(crate) fn receive<'a>(
        &mut self,
        mem: impl Mem<'a>,
        seq: u32,
        function: u32,
    ) -> Result<Reply> {
        let read = self.msg_read;
        let shared = io_read!(mem, .msgq.read_ptr);
        if shared != read {
            pr_err!("the GSP rewrote the message queue read pointer to {shared} (the driver's is {read})\n");
            return Err(EIO);
        }
        let write = io_read!(mem, .msgq.write_ptr);
        if write >= QUEUE_PAGES {
            pr_err!(
                "message queue write pointer {write} out of range (ring of {QUEUE_PAGES} pages)\n"
            );
            return Err(EIO);
        }
        let available = (write + QUEUE_PAGES - read) % QUEUE_PAGES;
        // The pointer was read before the contents it publishes.
        smp_rmb();
        let (elem, head) = headers(io_project!(mem, .msg_pages), read)?;
        let elem = ElemHeader {
            seq: io_read!(elem, .seq),
            elem_count: io_read!(elem, .elem_count),
            checksum: io_read!(elem, .checksum),
            reserved: io_read!(elem, .reserved),
        };
        let rpc = RpcHeader {
            function: io_read!(head, .function),
            length: io_read!(head, .length),
            status: io_read!(head, .status),
            reserved: io_read!(head, .reserved),
        };
        let len = rpc.length as usize;
        if elem.elem_count == 0
            || elem.elem_count > available
            || len > MAX_PAYLOAD
            || vgpu_wire::pages_for(len) != elem.elem_count
        {
            pr_err!(
                "reply of {} pages with {len} bytes does not fit the {available} pages published\n",
                elem.elem_count
            );
            return Err(EIO);
        }
        let mut payload = KVec::from_elem(0u8, len, GFP_KERNEL)?;
        let ring = io_project!(mem, .msg_pages).try_cast::<[u8; RING_BYTES]>()?;
        ring_read(ring, read as usize * PAGE_SIZE + HEADERS_SIZE, &mut payload)?;
        let mut sum = vgpu_wire::Checksum::new();
        sum.update(rpc.as_bytes());
        sum.update(&payload);
        if sum.finish() != elem.checksum {
            pr_err!("reply {} failed its checksum\n", elem.seq);
            return Err(EIO);
        }
        // Consume it whatever it is: it has been read and checked.
        self.msg_read = (read + elem.elem_count) % QUEUE_PAGES;
        io_write!(mem, .msgq.read_ptr, self.msg_read);
        if elem.seq == vgpu_wire::UNSOLICITED_SEQ {
            pr_err!(
                "unsolicited message from the GSP (function {:#x}) while waiting for reply {seq}\n",
                rpc.function
            );
            return Err(eproto());
        }
        if Some(elem.seq) == self.last_seq {
            pr_err!(
                "duplicate reply to sequence number {} while waiting for {seq}\n",
                elem.seq
            );
            return Err(eproto());
        }
        if elem.seq != seq {
            pr_err!("reply has sequence number {}, expected {seq}\n", elem.seq);
            return Err(eproto());
        }
        if rpc.function != function {
            pr_err!(
                "reply to function {function} has function {:#x}\n",
                rpc.function
            );
            return Err(eproto());
        }
        self.last_seq = Some(seq);
        self.stats.received += 1;
        self.stats.bytes_received += len as u64;
        Ok(Reply {
            status: rpc.status,
            payload,
        })
    }
}
