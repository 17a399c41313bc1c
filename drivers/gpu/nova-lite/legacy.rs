// SPDX-License-Identifier: GPL-2.0

//! The echo RPC in the pre-series style: 7.2's `dma_read!`/`dma_write!` for the queue
//! pointers and raw pointer arithmetic with `copy_nonoverlapping` for the message bodies, the
//! way 7.2's nova-core reaches its GSP queues.
//!
//! It exists only as the baseline of `make bench` (and for the side-by-side in
//! `Documentation/kio/nova-lite-side-by-side.rst`); the driver itself uses [`crate::cmdq`].
//! It checks the same things as the kio queue.

use core::ptr;
use kernel::{
    dma::Coherent,
    prelude::*,
    sync::barrier::{
        smp_rmb,
        smp_wmb, //
    }, //
};
use vgpu_wire::{
    ElemHeader,
    GspMem,
    RpcHeader,
    CMD_PAGES_OFFSET,
    HEADERS_SIZE,
    MAX_PAYLOAD,
    MSG_PAGES_OFFSET,
    PAGE_SIZE,
    QUEUE_PAGES, //
};

const RING_BYTES: usize = QUEUE_PAGES as usize * PAGE_SIZE;

/// Copies `data` into the ring at `ring_off` (from the start of `GspMem`), page `page`.
///
/// # Safety
///
/// `data.len() <= RING_BYTES`.
unsafe fn ring_copy_in(gsp: &Coherent<GspMem>, ring_off: usize, page: u32, data: &[u8]) {
    let ring = gsp.as_mut_ptr().cast::<u8>().wrapping_add(ring_off);
    let start = page as usize * PAGE_SIZE;
    let first = data.len().min(RING_BYTES - start);
    // SAFETY: `start + first <= RING_BYTES` and the rest is at most `RING_BYTES - first`
    // (caller): both ranges are inside the ring, inside the live allocation.
    unsafe {
        ptr::copy_nonoverlapping(data.as_ptr(), ring.add(start), first);
        ptr::copy_nonoverlapping(data.as_ptr().add(first), ring, data.len() - first);
    }
}

/// Copies `out.len()` bytes out of the ring at `ring_off`, page `page`.
///
/// # Safety
///
/// `out.len() <= RING_BYTES`.
unsafe fn ring_copy_out(gsp: &Coherent<GspMem>, ring_off: usize, page: u32, out: &mut [u8]) {
    let ring = gsp.as_mut_ptr().cast::<u8>().wrapping_add(ring_off);
    let start = page as usize * PAGE_SIZE;
    let first = out.len().min(RING_BYTES - start);
    // SAFETY: As for `ring_copy_in`.
    unsafe {
        ptr::copy_nonoverlapping(ring.add(start), out.as_mut_ptr(), first);
        ptr::copy_nonoverlapping(ring, out.as_mut_ptr().add(first), out.len() - first);
    }
}

/// Queues an echo of `payload` with sequence number `seq`.
pub(crate) fn send_echo(gsp: &Coherent<GspMem>, seq: u32, payload: &[u8]) -> Result {
    if payload.len() > MAX_PAYLOAD {
        return Err(EINVAL);
    }
    let pages = vgpu_wire::pages_for(payload.len());
    let write = kernel::dma_read!(gsp, .cmdq.write_ptr);
    let read = kernel::dma_read!(gsp, .cmdq.read_ptr);
    if read >= QUEUE_PAGES || write >= QUEUE_PAGES {
        return Err(EIO);
    }
    if pages > (read + QUEUE_PAGES - write - 1) % QUEUE_PAGES {
        return Err(EBUSY);
    }
    let rpc = RpcHeader {
        function: vgpu_wire::RPC_ECHO,
        length: payload.len() as u32,
        status: 0,
        reserved: 0,
    };
    let mut msg = KVec::with_capacity(HEADERS_SIZE + payload.len(), GFP_KERNEL)?;
    msg.extend_from_slice(&[0; 16], GFP_KERNEL)?;
    msg.extend_from_slice(zerocopy::IntoBytes::as_bytes(&rpc), GFP_KERNEL)?;
    msg.extend_from_slice(payload, GFP_KERNEL)?;
    let elem = ElemHeader {
        seq,
        elem_count: pages,
        checksum: vgpu_wire::checksum(&msg[16..]),
        reserved: 0,
    };
    msg[..16].copy_from_slice(zerocopy::IntoBytes::as_bytes(&elem));
    // SAFETY: At most `MAX_PAYLOAD + HEADERS_SIZE < RING_BYTES` bytes.
    unsafe { ring_copy_in(gsp, CMD_PAGES_OFFSET, write, &msg) };
    smp_wmb();
    kernel::dma_write!(gsp, .cmdq.write_ptr, (write + pages) % QUEUE_PAGES);
    Ok(())
}

/// Whether a reply is waiting.
pub(crate) fn reply_ready(gsp: &Coherent<GspMem>) -> Result<bool> {
    let write = kernel::dma_read!(gsp, .msgq.write_ptr);
    if write >= QUEUE_PAGES {
        return Err(EIO);
    }
    Ok(write != kernel::dma_read!(gsp, .msgq.read_ptr))
}

/// Takes the echo reply to `seq` and returns its payload length.
pub(crate) fn receive_echo(gsp: &Coherent<GspMem>, seq: u32, out: &mut KVec<u8>) -> Result {
    let read = kernel::dma_read!(gsp, .msgq.read_ptr);
    let write = kernel::dma_read!(gsp, .msgq.write_ptr);
    if read >= QUEUE_PAGES || write >= QUEUE_PAGES {
        return Err(EIO);
    }
    let available = (write + QUEUE_PAGES - read) % QUEUE_PAGES;
    smp_rmb();
    let mut hdrs = [0u8; HEADERS_SIZE];
    // SAFETY: `HEADERS_SIZE < RING_BYTES`.
    unsafe { ring_copy_out(gsp, MSG_PAGES_OFFSET, read, &mut hdrs) };
    let elem: ElemHeader = zerocopy::FromBytes::read_from_bytes(&hdrs[..16]).map_err(|_| EIO)?;
    let rpc: RpcHeader = zerocopy::FromBytes::read_from_bytes(&hdrs[16..]).map_err(|_| EIO)?;
    let len = rpc.length as usize;
    if elem.elem_count == 0
        || elem.elem_count > available
        || len > MAX_PAYLOAD
        || vgpu_wire::pages_for(len) != elem.elem_count
    {
        return Err(EIO);
    }
    out.clear();
    out.resize(HEADERS_SIZE + len, 0, GFP_KERNEL)?;
    // SAFETY: `HEADERS_SIZE + len <= HEADERS_SIZE + MAX_PAYLOAD < RING_BYTES`.
    unsafe { ring_copy_out(gsp, MSG_PAGES_OFFSET, read, out) };
    if vgpu_wire::checksum(&out[16..]) != elem.checksum {
        return Err(EIO);
    }
    kernel::dma_write!(gsp, .msgq.read_ptr, (read + elem.elem_count) % QUEUE_PAGES);
    if elem.seq != seq || rpc.function != vgpu_wire::RPC_ECHO {
        return Err(crate::cmdq::eproto());
    }
    Ok(())
}
