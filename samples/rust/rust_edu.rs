// SPDX-License-Identifier: GPL-2.0

//! A driver for QEMU's educational PCI device (`edu`, 1234:11e8) written with kio.
//!
//! BAR0 is a typed register block ([`EduRegs`]) reached with `io_read!`/`io_write!`; the
//! device's DMA engine moves a pattern from a coherent buffer into the device and back into a
//! second buffer, which is then compared. At probe the driver checks the identification
//! register (and refuses to bind anything else), the liveness register, computes 10!, raises
//! and acknowledges an interrupt through MSI, and runs DMA round trips of several sizes.
//!
//! Register map: QEMU's `docs/specs/edu.rst`.

use kernel::{
    bindings,
    device::{
        Bound,
        Core, //
    },
    devres::Devres,
    dma::{
        Coherent,
        Device as _,
        DmaMask, //
    },
    ffi::c_void,
    io::poll::{
        read_poll_timeout,
        read_poll_timeout_atomic, //
    },
    irq::{
        self,
        IrqReturn, //
    },
    pci::{
        self,
        IrqType,
        IrqTypes, //
    },
    prelude::*,
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        Arc,
    },
    time::{
        Delta,
        Instant,
        Monotonic, //
    }, //
};
use kio::{
    io::{
        IoBase,
        IoExt,
        Mmio,
        ReadPure,
        WriteOnly, //
    },
    io_project,
    io_read,
    io_write, //
};

/// Identification register value of the device this driver supports (version 1.0).
const EDU_ID: u32 = 0x0100_00ed;
/// Size of the device's DMA buffer, and its address on the device side.
const BUF_SIZE: usize = 4096;
const BUF_DEVICE_ADDR: u64 = 0x40000;
/// Bits of the DMA command register.
const DMA_START: u64 = 1 << 0;
const DMA_TO_RAM: u64 = 1 << 1;
/// Bit 0 of the status register: a factorial is being computed.
const STATUS_COMPUTING: u32 = 1 << 0;
/// The interrupt status bit this driver raises to test MSI delivery.
const TEST_IRQ: u32 = 1 << 20;
/// DMA transfer sizes tried at every probe.
const SIZES: [usize; 5] = [1, 4, 64, 4095, 4096];

/// Bytes of BAR0 this driver maps: the registers and the DMA buffer window.
const BAR0_SIZE: usize = 0x41000;
type Bar0 = pci::Bar<'static, BAR0_SIZE>;

kio::io_struct! {
    /// BAR0 of `edu`, as a Rust type.
    pub struct EduRegs {
        id: ReadPure<u32>,
        liveness: u32,
        factorial: u32,
        _reserved0: [u32; 5],
        status: u32,
        irq_status: ReadPure<u32>,
        _reserved1: [u32; 14],
        irq_raise: WriteOnly<u32>,
        irq_ack: WriteOnly<u32>,
        _reserved2: [u32; 6],
        dma_src: u64,
        dma_dst: u64,
        dma_count: u64,
        dma_cmd: u64,
        _gap: [u8; 0x40000 - 0xa0],
        /// The device's DMA buffer. QEMU's model does not decode CPU accesses to this window
        /// (they read as all ones); only the DMA engine reaches it.
        buffer: [u8; BUF_SIZE],
    }
}

type Regs<'a> = Mmio<'a, EduRegs>;

/// Two coherent buffers: the source of the RAM-to-device transfer and the destination of the
/// device-to-RAM one.
struct DmaBufs {
    to_dev: Coherent<[u8]>,
    from_dev: Coherent<[u8]>,
}

module! {
    type: EduModule,
    name: "rust_edu",
    authors: ["kio developers"],
    description: "QEMU edu device driven through kio typed views",
    license: "GPL",
    params: {
        transfer_size: usize {
            default: 4096,
            description: "Size in bytes of the extra DMA round trip at probe (1..=4096)",
        },
        bench_loops: u32 {
            default: 0,
            description: "If not 0, time copies and DMA at probe with this many loops (make bench)",
        },
    },
}

/// Checks a DMA length against the device buffer: `EINVAL` for 0 or more than 4096 bytes.
fn check_len(len: usize) -> Result {
    if len == 0 || len > BUF_SIZE {
        return Err(EINVAL);
    }
    Ok(())
}

/// The pattern written at byte `i` of a transfer of `len` bytes (differs per length).
fn pattern(i: usize, len: usize) -> u8 {
    (i.wrapping_mul(31) ^ len.wrapping_mul(7)) as u8
}

fn identify(regs: Regs<'_>) -> Result {
    let id = io_read!(regs, .id);
    if id != EDU_ID {
        pr_err!("identification {id:#010x}, expected {EDU_ID:#010x}: not binding\n");
        return Err(ENODEV);
    }
    Ok(())
}

fn liveness(regs: Regs<'_>) -> Result {
    for x in [0x1234_5678u32, !0, 0] {
        io_write!(regs, .liveness, x);
        let back = io_read!(regs, .liveness);
        if back != !x {
            pr_err!("liveness wrote {x:#x}, read {back:#x}\n");
            return Err(EIO);
        }
    }
    Ok(())
}

fn factorial(regs: Regs<'_>, n: u32) -> Result<u32> {
    io_write!(regs, .factorial, n);
    // QEMU computes the factorial in a host thread. Busy-wait: under `-icount sleep=off` the
    // guest's clock only advances with executed instructions while it spins, so the second
    // waited here is a fixed number of instructions however busy the host is, and takes longer
    // on a busier host (see Documentation/kio/pipeline.rst, "Time"); a sleeping poll would let
    // the clock jump to its timeout at once.
    read_poll_timeout_atomic(
        || Ok(io_read!(regs, .status)),
        |s| s & STATUS_COMPUTING == 0,
        Delta::from_micros(10),
        100_000,
    )?;
    Ok(io_read!(regs, .factorial))
}

/// Runs one transfer of the DMA engine and waits for it (`ETIMEDOUT` after a second).
fn dma(regs: Regs<'_>, src: u64, dst: u64, len: usize, to_ram: bool) -> Result {
    check_len(len)?;
    io_write!(regs, .dma_src, src);
    io_write!(regs, .dma_dst, dst);
    io_write!(regs, .dma_count, len as u64);
    io_write!(regs, .dma_cmd, DMA_START | if to_ram { DMA_TO_RAM } else { 0 });
    read_poll_timeout(
        || Ok(io_read!(regs, .dma_cmd)),
        |cmd| cmd & DMA_START == 0,
        // QEMU's model completes a transfer 100 ms (virtual time) after it starts.
        Delta::from_millis(5),
        Delta::from_secs(1),
    )
    .inspect_err(|_| pr_err!("DMA of {len} bytes did not complete\n"))?;
    Ok(())
}

/// RAM -> device buffer -> RAM for `len` bytes, then compares. `EINVAL` before the device is
/// touched when `len` does not fit.
fn round_trip(regs: Regs<'_>, bufs: &DmaBufs, len: usize) -> Result {
    check_len(len)?;
    for i in 0..len {
        io_write!(bufs.to_dev, [try: i], pattern(i, len));
    }
    io_project!(bufs.from_dev, [try: 0..len])
        .try_copy_from_slice(&KVec::from_elem(0, len, GFP_KERNEL)?)?;
    dma(regs, bufs.to_dev.dma_handle(), BUF_DEVICE_ADDR, len, false)?;
    dma(regs, BUF_DEVICE_ADDR, bufs.from_dev.dma_handle(), len, true)?;
    let mut back = KVec::from_elem(0u8, len, GFP_KERNEL)?;
    io_project!(bufs.from_dev, [try: 0..len]).try_copy_to_slice(&mut back)?;
    if let Some(i) = (0..len).find(|&i| back[i] != pattern(i, len)) {
        pr_err!(
            "rust_edu: DMA of {len} bytes: byte {i} is {:#x}, expected {:#x}\n",
            back[i],
            pattern(i, len)
        );
        return Err(EIO);
    }
    Ok(())
}

/// The MSI handler: acknowledges what the device raised and counts it.
struct EduIrq {
    bar: Arc<Devres<Bar0>>,
    count: Atomic<u32>,
}

impl irq::Handler for EduIrq {
    fn handle(&self, dev: &kernel::device::Device<Bound>) -> IrqReturn {
        let Ok(bar) = self.bar.access(dev) else {
            return IrqReturn::None;
        };
        let regs = bar.as_view().cast::<EduRegs>();
        let status = io_read!(regs, .irq_status);
        if status == 0 {
            return IrqReturn::None;
        }
        io_write!(regs, .irq_ack, status);
        self.count.add(1, Relaxed);
        IrqReturn::Handled
    }
}

#[pin_data]
struct EduData {
    #[pin]
    irq: irq::Registration<Arc<EduIrq>>,
    handler: Arc<EduIrq>,
    bufs: DmaBufs,
}

/// Raises an interrupt and waits for the MSI handler to acknowledge it.
fn check_msi(regs: Regs<'_>, handler: &EduIrq) -> Result {
    let before = handler.count.load(Relaxed);
    io_write!(regs, .irq_raise, TEST_IRQ);
    read_poll_timeout(
        || Ok(handler.count.load(Relaxed)),
        |n| *n != before,
        Delta::from_micros(100),
        Delta::from_secs(1),
    )
    .inspect_err(|_| pr_err!("the test interrupt was not delivered\n"))?;
    if io_read!(regs, .irq_status) != 0 {
        pr_err!("interrupt status not cleared by the acknowledgement\n");
        return Err(EIO);
    }
    Ok(())
}

/// Everything the driver checks at probe, on the mapped registers.
fn self_test(pdev: &pci::Device<Bound>, regs: Regs<'_>, data: &EduData) -> Result {
    liveness(regs)?;
    let fact = factorial(regs, 10)?;
    if fact != 3_628_800 {
        pr_err!("10! computed as {fact}\n");
        return Err(EIO);
    }
    check_msi(regs, &data.handler)?;
    for len in SIZES {
        round_trip(regs, &data.bufs, len)?;
    }
    // Too large: refused before the device is touched.
    if round_trip(regs, &data.bufs, BUF_SIZE + 1) != Err(EINVAL) {
        return Err(EIO);
    }
    let extra = *module_parameters::transfer_size.value();
    round_trip(regs, &data.bufs, extra)?;
    let loops = *module_parameters::bench_loops.value();
    if loops != 0 {
        bench(regs, &data.bufs, loops)?;
        bench_copies(pdev, loops)?;
    }
    dev_info!(
        pdev,
        "kio-report: edu {EDU_ID:#010x} factorial(10)={fact} msi ok; DMA RAM->device->RAM verified for {SIZES:?} and {extra} bytes\n"
    );
    Ok(())
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

/// The run-time benchmark of `make bench`: each kio copy next to its hand-written twin, in the
/// same run and alternating, and the DMA engine in both directions.
fn bench(regs: Regs<'_>, bufs: &DmaBufs, loops: u32) -> Result {
    let mut dst = KVec::from_elem(0u8, BUF_SIZE, GFP_KERNEL)?;
    let window = io_project!(regs, .buffer);
    let base = window.raw().as_ptr().cast::<c_void>();
    let coherent = bufs.from_dev.as_mut_ptr().cast::<u8>();
    // Twice, alternating kio and hand-written, so drift shows up as a difference between rounds.
    for _ in 0..2 {
        time("mmio-copy-kio", BUF_SIZE, loops, || {
            io_project!(window, [build: 0..BUF_SIZE]).try_copy_to_slice(&mut dst)
        })?;
        time("mmio-copy-hand", BUF_SIZE, loops, || {
            // SAFETY: `base` is the mapped 4 KiB buffer window; `dst` holds 4 KiB.
            unsafe { bindings::memcpy_fromio(dst.as_mut_ptr().cast(), base, BUF_SIZE) };
            Ok(())
        })?;
        time("coherent-copy-kio", BUF_SIZE, loops, || {
            io_project!(bufs.from_dev, [try: 0..BUF_SIZE]).try_copy_to_slice(&mut dst)
        })?;
        time("coherent-volatile-hand", BUF_SIZE, loops, || {
            for (i, d) in dst.iter_mut().enumerate() {
                // SAFETY: `i < BUF_SIZE`, the length of the live coherent buffer.
                *d = unsafe { coherent.add(i).read_volatile() };
            }
            Ok(())
        })?;
    }
    let dma_loops = loops.min(4);
    time("dma-to-device", BUF_SIZE, dma_loops, || {
        dma(
            regs,
            bufs.to_dev.dma_handle(),
            BUF_DEVICE_ADDR,
            BUF_SIZE,
            false,
        )
    })?;
    time("dma-to-ram", BUF_SIZE, dma_loops, || {
        dma(
            regs,
            BUF_DEVICE_ADDR,
            bufs.from_dev.dma_handle(),
            BUF_SIZE,
            true,
        )
    })?;
    Ok(())
}

/// Sizes of the copy benchmark.
const COPY_SIZES: [usize; 3] = [64, 4096, 65536];
/// Bytes each copy measurement moves per `bench_loops` unit.
const COPY_BYTES_PER_LOOP: usize = 16384;

/// One copy between coherent memory at `shared` and RAM at `ram`, in direction `to_device`.
type CopyFn<'a> = &'a dyn Fn(usize, usize, bool) -> Result;

/// Times `f` as copy measurement `what` and prints one `kio-bench:` line.
fn time_copy(
    what: &str,
    to_device: bool,
    size: usize,
    skew: usize,
    loops: u32,
    f: CopyFn<'_>,
) -> Result {
    let dir = if to_device { "to" } else { "from" };
    let start = Instant::<Monotonic>::now();
    for _ in 0..loops {
        f(
            core::hint::black_box(size),
            core::hint::black_box(skew),
            to_device,
        )?;
    }
    let ns = start.elapsed().as_nanos();
    pr_info!("kio-bench: copy-{dir}-{size}-{skew}-{what} bytes={size} loops={loops} ns={ns}\n");
    Ok(())
}

/// The copy benchmark of `make bench`: kio's coherent copies against the kernel's `memcpy` and
/// a hand-written volatile word loop, for each size, with the coherent side aligned and
/// misaligned by one byte, in both directions, alternating (kio, memcpy, words, three times)
/// so that drift shows as a difference between the rounds.
fn bench_copies(pdev: &pci::Device<Bound>, loops: u32) -> Result {
    let len = COPY_SIZES[2] + 64;
    let shared: Coherent<[u8]> = Coherent::zeroed_slice(pdev.as_ref(), len, GFP_KERNEL)?;
    let mut ram = KVec::from_elem(0u8, len, GFP_KERNEL)?;
    let coherent = shared.as_mut_ptr().cast::<u8>();
    let buf = ram.as_mut_ptr();
    let kio = |size: usize, skew: usize, to_device: bool| -> Result {
        // SAFETY: `buf` holds `len >= size` bytes and is not otherwise borrowed while the
        // benchmark runs.
        let ram = unsafe { core::slice::from_raw_parts_mut(buf, size) };
        let end = skew.checked_add(size).ok_or(EINVAL)?;
        let view = io_project!(shared, [try: skew..end]);
        if to_device {
            view.try_copy_from_slice(ram)
        } else {
            view.try_copy_to_slice(ram)
        }
    };
    let memcpy = |size: usize, skew: usize, to_device: bool| -> Result {
        let (src, dst) = if to_device {
            (buf.cast_const(), coherent.wrapping_add(skew))
        } else {
            (coherent.wrapping_add(skew).cast_const(), buf)
        };
        // SAFETY: `skew + size <= len` bytes of the live coherent buffer and `size <= len`
        // bytes of `ram`; the two do not overlap.
        unsafe { core::ptr::copy_nonoverlapping(src, dst, size) };
        core::hint::black_box(dst);
        Ok(())
    };
    let words = |size: usize, skew: usize, to_device: bool| -> Result {
        let (src, dst) = if to_device {
            (buf.cast_const(), coherent.wrapping_add(skew))
        } else {
            (coherent.wrapping_add(skew).cast_const(), buf)
        };
        let mut i = 0;
        // Alignment from the addresses: no out-of-line `align_offset` in the loop.
        if src.addr() % 8 == dst.addr() % 8 {
            while i < size && src.wrapping_add(i).addr() % 8 != 0 {
                // SAFETY: `i < size`, inside both buffers (see `memcpy`).
                unsafe { dst.add(i).write_volatile(src.add(i).read_volatile()) };
                i += 1;
            }
            while i + 8 <= size {
                // SAFETY: Inside both buffers, and both 8-byte aligned here.
                unsafe {
                    let w = src.add(i).cast::<u64>().read_volatile();
                    dst.add(i).cast::<u64>().write_volatile(w);
                }
                i += 8;
            }
        }
        while i < size {
            // SAFETY: `i < size`, inside both buffers.
            unsafe { dst.add(i).write_volatile(src.add(i).read_volatile()) };
            i += 1;
        }
        Ok(())
    };
    for size in COPY_SIZES {
        // No division the compiler cannot prove safe: its panic path would be a call of
        // `panic_const_div_by_zero`, which objtool does not know to be `noreturn`.
        let per_loop = COPY_BYTES_PER_LOOP.checked_div(size).ok_or(EINVAL)?;
        let n = u32::try_from(per_loop)?.saturating_mul(loops).max(1);
        for skew in [0, 1] {
            for to_device in [false, true] {
                for _round in 0..3 {
                    time_copy("kio", to_device, size, skew, n, &kio)?;
                    time_copy("memcpy", to_device, size, skew, n, &memcpy)?;
                    time_copy("words", to_device, size, skew, n, &words)?;
                }
            }
        }
    }
    Ok(())
}

struct EduDriver;

kernel::pci_device_table!(
    EDU_TABLE,
    MODULE_EDU_TABLE,
    <EduDriver as pci::Driver>::IdInfo,
    // The 7.2 `pci::Vendor` has no constant for QEMU's vendor 0x1234: match edu's class
    // ("other", 0x00ff00) and check the IDs in `probe`.
    [(pci::DeviceId::from_class(0x00_ff00, 0xff_ff00), ())]
);

impl pci::Driver for EduDriver {
    type IdInfo = ();
    type Data<'bound> = EduData;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &EDU_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: &'bound Self::IdInfo,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        pin_init::pin_init_scope(move || {
            if pdev.vendor_id().as_raw() != 0x1234 || pdev.device_id() != 0x11e8 {
                return Err(ENODEV);
            }
            pdev.enable_device_mem()?;
            pdev.set_master();
            // SAFETY: No DMA allocation or mapping of this device exists yet.
            unsafe { pdev.dma_set_mask_and_coherent(DmaMask::new::<28>())? };

            let bar = Arc::new(
                pdev.iomap_region_sized::<BAR0_SIZE>(0, c"rust_edu")?
                    .into_devres()?,
                GFP_KERNEL,
            )?;
            {
                let mapped = bar.access(pdev.as_ref())?;
                identify(mapped.as_view().cast())?;
            }
            let vector = *pdev
                .alloc_irq_vectors(1, 1, IrqTypes::default().with(IrqType::Msi))?
                .start();
            let handler = Arc::new(
                EduIrq {
                    bar: bar.clone(),
                    count: Atomic::new(0),
                },
                GFP_KERNEL,
            )?;
            let bufs = DmaBufs {
                to_dev: Coherent::zeroed_slice(pdev.as_ref(), BUF_SIZE, GFP_KERNEL)?,
                from_dev: Coherent::zeroed_slice(pdev.as_ref(), BUF_SIZE, GFP_KERNEL)?,
            };
            let irq = pdev.request_irq(
                vector,
                irq::Flags::TRIGGER_NONE,
                c"rust_edu",
                Ok::<_, Error>(handler.clone()),
            );
            Ok(try_pin_init!(EduData {
                irq <- irq,
                handler,
                bufs,
            })
            .pin_chain(move |data| {
                let mapped = bar.access(pdev.as_ref())?;
                self_test(pdev, mapped.as_view().cast(), &data)
            }))
        })
    }
}

#[pin_data]
struct EduModule {
    #[pin]
    _driver: kernel::driver::Registration<pci::Adapter<EduDriver>>,
}

impl kernel::InPlaceModule for EduModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            // The parameter is checked before any device is touched.
            let size = *module_parameters::transfer_size.value();
            check_len(size).inspect_err(|_| {
                pr_err!("transfer_size={size} is outside 1..={BUF_SIZE}\n");
            })?;
            Ok(try_pin_init!(Self {
                _driver <- kernel::driver::Registration::new(c"rust_edu", module),
            }))
        })
    }
}
