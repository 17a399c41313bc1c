// SPDX-License-Identifier: GPL-2.0

//! KUnit: the command queue on system memory, against a GSP written here.

use super::cmdq::{
    self,
    Cmdq,
    RING_BYTES, //
};
use kernel::prelude::*;
use kio::{
    io::{
        Io,
        SysMem, //
    },
    io_project,
    io_read,
    io_write, //
};
use vgpu_wire::{
    ElemHeader,
    GspMem,
    RpcHeader,
    HEADERS_SIZE,
    QUEUE_PAGES, //
};

/// How the test GSP misbehaves.
#[derive(Clone, Copy, PartialEq)]
enum Fault {
    None,
    Checksum,
    Seq,
    Function,
    TooLong,
    /// The reply is posted twice.
    Duplicate,
    /// The reply carries the GSP's own sequence number.
    Unsolicited,
}

fn gsp_mem() -> Result<KBox<GspMem>> {
    let mem = KBox::<GspMem>::new_uninit(GFP_KERNEL | __GFP_ZERO)?;
    // SAFETY: Zeroed memory is a valid `GspMem` (all fields are integers).
    Ok(unsafe { mem.assume_init() })
}

/// The test GSP: takes one command and echoes it back (with `fault` applied).
fn serve(mem: SysMem<'_, GspMem>, fault: Fault) -> Result {
    let read = io_read!(mem, .cmdq.read_ptr);
    assert_ne!(io_read!(mem, .cmdq.write_ptr), read, "no command queued");
    let cmd = io_project!(mem, .cmd_pages).try_cast::<[u8; RING_BYTES]>()?;
    let mut hdrs = [0u8; HEADERS_SIZE];
    cmdq::ring_read(cmd, read as usize * vgpu_wire::PAGE_SIZE, &mut hdrs)?;
    let elem = ElemHeader::read_from_bytes(&hdrs[..16]).map_err(|_| EIO)?;
    let rpc = RpcHeader::read_from_bytes(&hdrs[16..]).map_err(|_| EIO)?;
    let mut msg = KVec::from_elem(0u8, HEADERS_SIZE + rpc.length as usize, GFP_KERNEL)?;
    cmdq::ring_read(cmd, read as usize * vgpu_wire::PAGE_SIZE, &mut msg)?;
    if vgpu_wire::checksum(&msg[16..]) != elem.checksum {
        return Err(EIO);
    }
    io_write!(mem, .cmdq.read_ptr, (read + elem.elem_count) % QUEUE_PAGES);

    let mut reply_rpc = rpc;
    if fault == Fault::Function {
        reply_rpc.function = 0xdead;
    }
    msg[16..32].copy_from_slice(reply_rpc.as_bytes());
    let mut reply = elem;
    reply.checksum = vgpu_wire::checksum(&msg[16..]);
    match fault {
        Fault::Checksum => reply.checksum ^= 1,
        Fault::Seq => reply.seq += 1,
        Fault::Unsolicited => reply.seq = vgpu_wire::UNSOLICITED_SEQ,
        Fault::TooLong => reply.elem_count = QUEUE_PAGES + 1,
        _ => {}
    }
    msg[..16].copy_from_slice(reply.as_bytes());
    let write = io_read!(mem, .msgq.write_ptr);
    let ring = io_project!(mem, .msg_pages).try_cast::<[u8; RING_BYTES]>()?;
    cmdq::ring_write(ring, write as usize * vgpu_wire::PAGE_SIZE, &msg)?;
    let mut write = (write + elem.elem_count) % QUEUE_PAGES;
    if fault == Fault::Duplicate {
        cmdq::ring_write(ring, write as usize * vgpu_wire::PAGE_SIZE, &msg)?;
        write = (write + elem.elem_count) % QUEUE_PAGES;
    }
    io_write!(mem, .msgq.write_ptr, write);
    Ok(())
}

/// Sends `payload` as an echo, lets the test GSP answer, and receives.
fn round_trip(
    q: &mut Cmdq,
    mem: SysMem<'_, GspMem>,
    payload: &[u8],
    fault: Fault,
) -> Result<KVec<u8>> {
    let seq = q.send(mem, vgpu_wire::RPC_ECHO, payload)?;
    serve(mem, fault)?;
    if !q.reply_ready(mem)? {
        return Err(ETIMEDOUT);
    }
    Ok(q.receive(mem, seq, vgpu_wire::RPC_ECHO)?.payload)
}

fn pattern(len: usize, seed: u8) -> Result<KVec<u8>> {
    let mut v = KVec::from_elem(0u8, len, GFP_KERNEL)?;
    for (i, b) in v.iter_mut().enumerate() {
        *b = (i as u8).wrapping_add(seed);
    }
    Ok(v)
}

#[kunit_tests(nova_lite_cmdq)]
mod tests {
    use super::*;

    #[test]
    fn echo_round_trip() -> Result {
        let mut g = gsp_mem()?;
        let mem = SysMem::from_mut(&mut *g);
        cmdq::init(mem);
        let mut q = Cmdq::new();
        let data = pattern(100, 1)?;
        let back = round_trip(&mut q, mem, &data, Fault::None)?;
        assert_eq!(&back[..], &data[..]);
        assert_eq!(q.stats.received, 1);
        assert_eq!(io_read!(mem, .cmdq.num_pages), QUEUE_PAGES);
        Ok(())
    }

    #[test]
    fn messages_wrap_around_the_rings() -> Result {
        let mut g = gsp_mem()?;
        let mem = SysMem::from_mut(&mut *g);
        cmdq::init(mem);
        let mut q = Cmdq::new();
        for i in 0..12u8 {
            let data = pattern(3 * 4096 - HEADERS_SIZE - 7 * usize::from(i), i)?;
            let back = round_trip(&mut q, mem, &data, Fault::None)?;
            assert_eq!(&back[..], &data[..]);
        }
        assert!(q.stats.wraps >= 2);
        assert_eq!(q.stats.received, 12);
        Ok(())
    }

    #[test]
    fn full_queue_and_oversize() -> Result {
        let mut g = gsp_mem()?;
        let mem = SysMem::from_mut(&mut *g);
        cmdq::init(mem);
        let mut q = Cmdq::new();
        let big = pattern(vgpu_wire::MAX_PAYLOAD + 1, 0)?;
        assert_eq!(q.send(mem, vgpu_wire::RPC_ECHO, &big).err(), Some(EINVAL));
        let page = pattern(4000, 0)?;
        let mut sent = 0;
        while q.send(mem, vgpu_wire::RPC_ECHO, &page).is_ok() {
            sent += 1;
        }
        assert_eq!(sent, QUEUE_PAGES - 1);
        assert_eq!(q.send(mem, vgpu_wire::RPC_ECHO, &page).err(), Some(EBUSY));
        Ok(())
    }

    #[test]
    fn corrupted_replies_are_refused() -> Result {
        for (fault, err) in [
            (Fault::Checksum, EIO),
            (Fault::Seq, cmdq::eproto()),
            (Fault::Function, cmdq::eproto()),
            (Fault::TooLong, EIO),
            (Fault::Unsolicited, cmdq::eproto()),
        ] {
            let mut g = gsp_mem()?;
            let mem = SysMem::from_mut(&mut *g);
            cmdq::init(mem);
            let mut q = Cmdq::new();
            let data = pattern(64, 3)?;
            assert_eq!(round_trip(&mut q, mem, &data, fault).err(), Some(err));
            assert_eq!(q.stats.received, 0);
        }
        Ok(())
    }

    #[test]
    fn device_pointers_out_of_range() -> Result {
        let mut g = gsp_mem()?;
        let mem = SysMem::from_mut(&mut *g);
        cmdq::init(mem);
        let mut q = Cmdq::new();
        io_write!(mem, .msgq.write_ptr, QUEUE_PAGES + 3);
        assert_eq!(q.reply_ready(mem).err(), Some(EIO));
        assert_eq!(q.receive(mem, 1, vgpu_wire::RPC_ECHO).err(), Some(EIO));
        io_write!(mem, .msgq.write_ptr, 0);
        io_write!(mem, .cmdq.read_ptr, u32::MAX);
        assert_eq!(q.send(mem, vgpu_wire::RPC_ECHO, &[1]).err(), Some(EIO));
        Ok(())
    }

    /// The driver's indices are its own: the shared copies, rewritten by the device, are
    /// refused; so is a device read pointer past the pending commands.
    #[test]
    fn device_rewritten_indices() -> Result {
        let data = pattern(64, 5)?;
        for case in 0..3 {
            let mut g = gsp_mem()?;
            let mem = SysMem::from_mut(&mut *g);
            cmdq::init(mem);
            let mut q = Cmdq::new();
            round_trip(&mut q, mem, &data, Fault::None)?;
            let got = match case {
                0 => {
                    io_write!(mem, .cmdq.write_ptr, 9);
                    q.send(mem, vgpu_wire::RPC_ECHO, &data).map(|_| ())
                }
                1 => {
                    // One past the driver's write pointer (1): nothing was pending there.
                    io_write!(mem, .cmdq.read_ptr, 2);
                    q.send(mem, vgpu_wire::RPC_ECHO, &data).map(|_| ())
                }
                _ => {
                    let seq = q.send(mem, vgpu_wire::RPC_ECHO, &data)?;
                    serve(mem, Fault::None)?;
                    io_write!(mem, .msgq.read_ptr, 7);
                    q.receive(mem, seq, vgpu_wire::RPC_ECHO).map(|_| ())
                }
            };
            assert_eq!(got.err(), Some(EIO));
        }
        Ok(())
    }

    #[test]
    fn duplicate_reply_is_refused() -> Result {
        let mut g = gsp_mem()?;
        let mem = SysMem::from_mut(&mut *g);
        cmdq::init(mem);
        let mut q = Cmdq::new();
        let data = pattern(64, 9)?;
        assert_eq!(
            &round_trip(&mut q, mem, &data, Fault::Duplicate)?[..],
            &data[..]
        );
        let got = round_trip(&mut q, mem, &data, Fault::None);
        assert_eq!(got.err(), Some(cmdq::eproto()));
        assert_eq!(q.stats.received, 1);
        Ok(())
    }
}
