// SPDX-License-Identifier: GPL-2.0

//! nova-lite: a driver in nova-core's shape for the kio virtual GPU.
//!
//! The virtual GPU is QEMU's `ivshmem-plain` (1af4:1110) whose BAR2 is shared with a host
//! program, `tools/vgpu-sim`, playing the GSP firmware. The driver identifies the chip
//! (`BOOT_0`), resets it, allocates the GSP queue memory (`Coherent<GspMem>`), boots the GSP
//! and talks to it over the command queue with kio projections: a static-info RPC, an echo, a
//! DMA copy through the VRAM aperture verified byte for byte, and a checksum. Any misbehaviour
//! of the device fails the probe with a message and an errno, after stopping the GSP so that
//! it no longer touches the queue memory that is then freed. A GSP that does not stop keeps
//! its DMA memory: it is leaked on purpose, with a message, rather than freed under it.

use core::fmt;
use kernel::{
    debugfs,
    device::Core,
    dma::{
        Coherent,
        Device as _,
        DmaMask, //
    },
    pci,
    prelude::*,
    time::{
        Delta,
        Instant,
        Monotonic, //
    }, //
};
use kio::{
    io::{
        IoBase,
        IoExt, //
    },
    io_project, //
};
use vgpu_wire::{
    ChecksumReply,
    ChecksumReq,
    DmaCopy,
    GspMem,
    StaticInfo, //
};

mod cmdq;
#[cfg(CONFIG_KUNIT)]
mod cmdq_tests;
mod gsp;
mod legacy;
mod regs;

use cmdq::Cmdq;
use gsp::Gpu;
use regs::BAR2_MAPPED;

/// Bytes moved by the DMA-copy round trip at probe.
const DMA_LEN: usize = 64 * 1024;
/// Where in VRAM the round trip goes.
const VRAM_AT: u64 = 0x2_0000;

type Bar2<'bound> = pci::Bar<'bound, BAR2_MAPPED>;

/// Everything the driver keeps while bound.
#[pin_data(PinnedDrop)]
struct NovaLite<'bound> {
    bar: Bar2<'bound>,
    /// Kept allocated while the GSP may use it; freed only after `drop` stopped the GSP
    /// (taken out there, never moved while pinned).
    gsp: Option<Coherent<GspMem>>,
    /// `/sys/kernel/debug/nova_lite/info`.
    #[pin]
    _info: debugfs::File<Info>,
    _dir: debugfs::Dir,
}

#[pinned_drop]
impl PinnedDrop for NovaLite<'_> {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: `gsp` is not a structurally pinned field: taking it out moves nothing that
        // is pinned, and `self` itself is not moved.
        let this = unsafe { self.get_unchecked_mut() };
        let Some(gsp) = this.gsp.take() else {
            return;
        };
        release(Gpu::new(this.bar.as_view()), gsp, []);
    }
}

/// Stops the GSP, then frees `gsp` and `buffers`; if it does not stop, they stay allocated
/// for good (see [`keep_dma_memory`]).
fn release<const N: usize>(gpu: Gpu<'_>, gsp: Coherent<GspMem>, buffers: [Coherent<[u8]>; N]) {
    if gpu.stop().is_err() {
        keep_dma_memory(gsp, buffers);
    }
}

/// The GPU may still write to this DMA memory: never free it. Leaking it is the only safe
/// answer left (a function-level reset is not available on this device); the memory is lost
/// until reboot, and the message says so.
fn keep_dma_memory<const N: usize>(gsp: Coherent<GspMem>, buffers: [Coherent<[u8]>; N]) {
    let bytes = size_of::<GspMem>() + buffers.iter().map(|b| b.len()).sum::<usize>();
    pr_err!(
        "the GSP did not stop: leaking its {} KiB of DMA memory (queue at {:#x}) so that it never writes to freed memory\n",
        bytes / 1024,
        gsp.dma_handle()
    );
    core::mem::forget(gsp);
    core::mem::forget(buffers);
}

/// Chip information and queue statistics, shown in debugfs.
struct Info {
    chip: gsp::Chip,
    name: [u8; 16],
    vram_size: u64,
    stats: cmdq::Stats,
}

impl fmt::Debug for Info {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self
            .name
            .iter()
            .position(|b| *b == 0)
            .unwrap_or(self.name.len());
        let name = core::str::from_utf8(&self.name[..len]).unwrap_or("?");
        let s = &self.stats;
        writeln!(f, "chip: {name}")?;
        writeln!(f, "boot0: {:#010x}", self.chip.boot0)?;
        writeln!(f, "architecture: {:#x}", self.chip.architecture)?;
        writeln!(f, "revision: {:#x}", self.chip.revision)?;
        writeln!(f, "vram: {} MiB", self.vram_size >> 20)?;
        writeln!(f, "rpcs sent: {}", s.sent)?;
        writeln!(f, "replies received: {}", s.received)?;
        writeln!(f, "bytes sent: {}", s.bytes_sent)?;
        writeln!(f, "bytes received: {}", s.bytes_received)?;
        write!(f, "ring wraps: {}", s.wraps)
    }
}

/// Fills `buf` with a pattern and returns the driver's private copy of it: the reference
/// data of the DMA checks is never read back from memory the device can write.
fn fill(buf: &Coherent<[u8]>, seed: u8) -> Result<KVec<u8>> {
    let mut data = KVec::from_elem(0u8, buf.len(), GFP_KERNEL)?;
    for (i, b) in data.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(seed) ^ (i >> 8) as u8;
    }
    io_project!(buf, [try: 0..buf.len()]).try_copy_from_slice(&data)?;
    Ok(data)
}

/// Checks every value of the static-info reply; returns the chip name.
fn check_static_info<'a>(info: &'a StaticInfo, chip: &gsp::Chip) -> Result<&'a str> {
    let len = info
        .name
        .iter()
        .position(|b| *b == 0)
        .unwrap_or(info.name.len());
    let name = core::str::from_utf8(&info.name[..len]).map_err(|_| {
        pr_err!(
            "static info: chip name {:02x?} is not UTF-8\n",
            &info.name[..len]
        );
        EIO
    })?;
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
        pr_err!("static info: chip name {name:?} is empty or not printable\n");
        return Err(EIO);
    }
    if info.name[len..].iter().any(|b| *b != 0) {
        pr_err!("static info: chip name not NUL-padded\n");
        return Err(EIO);
    }
    if info.reserved != 0 {
        pr_err!(
            "static info: reserved field {:#x}, expected 0\n",
            info.reserved
        );
        return Err(EIO);
    }
    if info.revision != chip.revision {
        pr_err!(
            "static info: revision {:#x}, BOOT_0 says {:#x}\n",
            info.revision,
            chip.revision
        );
        return Err(EIO);
    }
    // The driver's DMA check uses VRAM up to VRAM_AT + DMA_LEN, and the aperture shows all
    // of it.
    let (min, max) = (VRAM_AT + DMA_LEN as u64, vgpu_wire::VRAM_SIZE as u64);
    if !(min..=max).contains(&info.vram_size) || info.vram_size % (1 << 20) != 0 {
        pr_err!(
            "static info: VRAM of {} bytes ({} MiB) is not a whole number of MiB in {min}..={max}\n",
            info.vram_size,
            info.vram_size >> 20
        );
        return Err(EIO);
    }
    Ok(name)
}

fn contents(len: usize, read: impl FnOnce(&mut [u8]) -> Result) -> Result<KVec<u8>> {
    let mut v = KVec::from_elem(0u8, len, GFP_KERNEL)?;
    read(&mut v)?;
    Ok(v)
}

/// The RPCs of the probe, once the GSP is ready. `src` and `dst` are the DMA-copy buffers
/// (the caller frees them, and `gsp`, only once the GSP stopped).
fn exercise(
    pdev: &pci::Device<Core<'_>>,
    gpu: Gpu<'_>,
    gsp: &Coherent<GspMem>,
    [src, dst]: &[Coherent<[u8]>; 2],
    chip: gsp::Chip,
) -> Result<Info> {
    let mem = gsp.as_view();
    let mut q = Cmdq::new();

    let reply = gpu.rpc(
        &mut q,
        mem,
        vgpu_wire::RPC_GET_STATIC_INFO,
        &[],
        size_of::<StaticInfo>(),
    )?;
    let info = StaticInfo::read_from_bytes(&reply.payload).map_err(|_| EIO)?;
    let name = check_static_info(&info, &chip)?;

    let ping: KVec<u8> = KVec::from_elem(0x5a, 3000, GFP_KERNEL)?;
    let echo = gpu.rpc(&mut q, mem, vgpu_wire::RPC_ECHO, &ping, ping.len())?;
    if echo.payload[..] != ping[..] {
        pr_err!("echo came back different\n");
        return Err(EIO);
    }

    // DMA copy: RAM -> VRAM (checked through the aperture) -> RAM (checked).
    let want = fill(src, 7)?;
    let copy = |direction, guest_addr| DmaCopy {
        direction,
        reserved: 0,
        guest_addr,
        vram_offset: VRAM_AT,
        length: DMA_LEN as u64,
    };
    let to_vram = copy(vgpu_wire::DMA_TO_VRAM, src.dma_handle());
    gpu.rpc(&mut q, mem, vgpu_wire::RPC_DMA_COPY, to_vram.as_bytes(), 0)?;
    let at = VRAM_AT as usize;
    let vram = contents(DMA_LEN, |v| {
        io_project!(gpu.bar, .vram[try: at..at + DMA_LEN]).try_copy_to_slice(v)
    })?;
    if vram != want {
        pr_err!("VRAM differs from the buffer copied into it\n");
        return Err(EIO);
    }
    let from_vram = copy(vgpu_wire::DMA_FROM_VRAM, dst.dma_handle());
    gpu.rpc(
        &mut q,
        mem,
        vgpu_wire::RPC_DMA_COPY,
        from_vram.as_bytes(),
        0,
    )?;
    let back = contents(DMA_LEN, |v| {
        io_project!(dst, [try: 0..DMA_LEN]).try_copy_to_slice(v)
    })?;
    if back != want {
        pr_err!("buffer copied back from VRAM differs\n");
        return Err(EIO);
    }

    let req = ChecksumReq {
        guest_addr: src.dma_handle(),
        length: DMA_LEN as u64,
    };
    let sum = gpu.rpc(
        &mut q,
        mem,
        vgpu_wire::RPC_CHECKSUM,
        req.as_bytes(),
        size_of::<ChecksumReply>(),
    )?;
    let sum = ChecksumReply::read_from_bytes(&sum.payload).map_err(|_| EIO)?;
    if sum.reserved != 0 {
        pr_err!(
            "checksum reply: reserved field {:#x}, expected 0\n",
            sum.reserved
        );
        return Err(EIO);
    }
    if sum.checksum != vgpu_wire::checksum(&want) {
        pr_err!(
            "GSP checksum {:#x}, expected {:#x}\n",
            sum.checksum,
            vgpu_wire::checksum(&want)
        );
        return Err(EIO);
    }
    let loops = *module_parameters::bench_rpcs.value();
    if loops != 0 {
        bench(gpu, gsp, &mut q, src, loops)?;
    }
    dev_info!(
        pdev,
        "kio-report: nova-lite {name} rev {:#x} vram {} MiB; GSP ready; echo, DMA copy of {} KiB via VRAM and checksum verified ({} RPCs, {} queue wraps)\n",
        info.revision,
        info.vram_size >> 20,
        DMA_LEN / 1024,
        q.stats.received,
        q.stats.wraps
    );
    Ok(Info {
        chip,
        name: info.name,
        vram_size: info.vram_size,
        stats: q.stats,
    })
}

/// Times `f` over `loops` calls and prints one `kio-bench:` line (`make bench` collects them).
fn time(name: &str, bytes: usize, loops: u32, mut f: impl FnMut() -> Result) -> Result {
    let start = Instant::<Monotonic>::now();
    for _ in 0..loops {
        f()?;
    }
    let ns = start.elapsed().as_nanos();
    pr_info!("kio-bench: {name} bytes={bytes} loops={loops} ns={ns}\n");
    Ok(())
}

/// `make bench`: echo round trips through the kio queue and through the pre-series-style
/// code of [`legacy`], alternating, then DMA-copy throughput.
fn bench(
    gpu: Gpu<'_>,
    gsp: &Coherent<GspMem>,
    q: &mut Cmdq,
    dma: &Coherent<[u8]>,
    loops: u32,
) -> Result {
    let mem = gsp.as_view();
    let ping = KVec::from_elem(0x3cu8, 64, GFP_KERNEL)?;
    let mut back = KVec::new();
    let mut seq = 0x8000_0000u32;
    for _ in 0..2 {
        q.take_over(mem)?;
        time("echo-rpc-kio", ping.len(), loops, || {
            gpu.rpc(q, mem, vgpu_wire::RPC_ECHO, &ping, ping.len())
                .map(|_| ())
        })?;
        time("echo-rpc-preseries", ping.len(), loops, || {
            seq = seq.wrapping_add(1);
            legacy::send_echo(gsp, seq, &ping)?;
            kio::io_write!(gpu.bar, .regs.doorbell, 1);
            // The same wait as `Gpu::rpc`'s, so that only the queue code differs.
            gpu.wait_on(
                || legacy::reply_ready(gsp),
                |ready| *ready,
                Delta::from_micros(200),
                Delta::from_secs(2),
            )?;
            legacy::receive_echo(gsp, seq, &mut back)
        })?;
    }
    let req = DmaCopy {
        direction: vgpu_wire::DMA_TO_VRAM,
        reserved: 0,
        guest_addr: dma.dma_handle(),
        vram_offset: VRAM_AT,
        length: dma.len() as u64,
    };
    q.take_over(mem)?;
    time("dma-copy-rpc", dma.len(), loops.min(100), || {
        gpu.rpc(q, mem, vgpu_wire::RPC_DMA_COPY, req.as_bytes(), 0)
            .map(|_| ())
    })
}

struct NovaLiteDriver;

/// Logs the errno of a refused device (the cause has been logged where it was found).
fn refused(pdev: &pci::Device<Core<'_>>, e: Error) -> Error {
    dev_err!(pdev, "nova-lite probe failed with errno {}\n", e.to_errno());
    e
}

kernel::pci_device_table!(
    PCI_TABLE,
    MODULE_PCI_TABLE,
    <NovaLiteDriver as pci::Driver>::IdInfo,
    [(
        pci::DeviceId::from_id(pci::Vendor::REDHAT_QUMRANET, 0x1110),
        ()
    )]
);

impl pci::Driver for NovaLiteDriver {
    type IdInfo = ();
    type Data<'bound> = NovaLite<'bound>;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: &'bound Self::IdInfo,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        pin_init::pin_init_scope(move || {
            pdev.enable_device_mem()?;
            pdev.set_master();
            // SAFETY: No DMA allocation or mapping of this device exists yet.
            unsafe { pdev.dma_set_mask_and_coherent(DmaMask::new::<64>())? };
            let bar = pdev.iomap_region_sized::<BAR2_MAPPED>(2, c"nova_lite")?;
            let gpu = Gpu::new(bar.as_view());
            let chip = gpu.identify().map_err(|e| refused(pdev, e))?;
            dev_info!(
                pdev,
                "chip BOOT_0 {:#010x}: architecture {:#x}, revision {:#x}\n",
                chip.boot0,
                chip.architecture,
                chip.revision
            );
            gpu.reset().map_err(|e| refused(pdev, e))?;
            let gsp: Coherent<GspMem> = Coherent::zeroed(pdev.as_ref(), GFP_KERNEL)?;
            let buffers = [
                Coherent::zeroed_slice(pdev.as_ref(), DMA_LEN, GFP_KERNEL)?,
                Coherent::zeroed_slice(pdev.as_ref(), DMA_LEN, GFP_KERNEL)?,
            ];
            cmdq::init(gsp.as_view());
            let info = match gpu
                .boot(gsp.dma_handle(), size_of::<GspMem>())
                .and_then(|()| exercise(pdev, gpu, &gsp, &buffers, chip))
            {
                Ok(info) => info,
                Err(e) => {
                    refused(pdev, e);
                    // The GSP may still use the queue memory or a DMA buffer: stop it before
                    // they are freed.
                    release(gpu, gsp, buffers);
                    return Err(e);
                }
            };
            // Every RPC has been answered: the GSP no longer uses the DMA-copy buffers.
            drop(buffers);
            let dir = debugfs::Dir::new(c"nova_lite");
            Ok(try_pin_init!(NovaLite {
                bar,
                gsp: Some(gsp),
                _info <- dir.read_only_file(c"info", Ok::<_, Error>(info)),
                _dir: dir,
            }))
        })
    }
}

kernel::module_pci_driver! {
    type: NovaLiteDriver,
    name: "nova_lite",
    authors: ["kio developers"],
    description: "nova-core-like driver for the kio virtual GPU",
    license: "GPL",
    params: {
        bench_rpcs: u32 {
            default: 0,
            description: "If not 0, time this many echo RPCs per style at probe (make bench)",
        },
    },
}
