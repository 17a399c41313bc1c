// SPDX-License-Identifier: GPL-2.0

//! KUnit suites for the kio core types.
//!
//! - `kio_core`: [`Region`], [`MmioRaw`] and the system-memory backend, including every bad
//!   input the constructors and untyped accessors must reject.
//! - `kio_conformance`: I/O code in Linux 7.3's style (`conformance_io.rs`), on edu and
//!   coherent memory.
//! - `kio_edu`: the MMIO backends on BAR0 of QEMU's `edu` device, which this module binds as a
//!   PCI driver. The suites run once the module is live, after the device has been probed.

use kernel::{
    devres::Devres,
    dma::Coherent,
    io::{
        poll::read_poll_timeout_atomic,
        register,
        register::Array as _, //
    },
    pci,
    prelude::*,
    ptr::KnownSize,
    sync::Arc,
    time::Delta, //
};
use kio::io::{
    Io,
    IoBase,
    IoExt,
    Mmio,
    MmioRaw,
    ReadOnly,
    ReadPure,
    Region,
    SysMem,
    WriteOnly,
    REGION_ALIGN, //
};

mod conformance;
mod conformance_io;
mod view;

/// Size of `edu`'s BAR0 (QEMU maps 1 MiB of registers).
const EDU_BAR0_SIZE: usize = 0x10_0000;
/// PCI vendor and device ID of QEMU's `edu`.
const EDU_VENDOR: u16 = 0x1234;
const EDU_DEVICE: u16 = 0x11e8;
type EduBar = pci::Bar<'static, EDU_BAR0_SIZE>;
type EduSlot = Option<Arc<EduRes>>;

kernel::sync::global_lock! {
    // SAFETY: Initialised in the module initialiser, before the driver is registered.
    unsafe(uninit) static EDU: Mutex<EduSlot> = None;
}

kio::io_struct! {
    /// The `edu` register block as a Rust type, for the typed casts.
    struct EduRegs {
        id: ReadPure<u32>,
        liveness: u32,
        factorial: u32,
        _reserved0: [u32; 5],
        status: u32,
        irq_status: ReadOnly<u32>,
        _reserved1: [u32; 14],
        irq_raise: WriteOnly<u32>,
        irq_ack: WriteOnly<u32>,
        _reserved2: [u32; 6],
        dma_src: u64,
        dma_dst: u64,
        dma_count: u64,
        dma_cmd: u64,
    }
}

mod regs {
    use super::register;

    register! {
        /// Identification: `0xMMmm00ed`, major and minor version.
        pub(super) EDU_ID(u32) @ 0x00 {
            31:24 major;
            23:16 minor;
            7:0 magic;
        }

        /// Status: bit 0 is set while a factorial is computed.
        pub(super) EDU_STATUS(u32) @ 0x20 {
            0:0 computing;
            7:7 irq_on_factorial;
        }
    }

    register! {
        /// Scratch words of the system-memory tests.
        pub(super) SCRATCH(u32)[4] @ 0x10 {
            31:16 high;
            15:0 low;
        }

        /// A control register of the system-memory tests.
        pub(super) CTRL(u32) @ 0x04 {
            0:0 enable;
            11:8 mode;
        }
    }
}

/// 64 bytes of system memory with the alignment a [`Region`] needs.
fn scratch() -> [u64; 8] {
    [0; 8]
}

/// The first 16 bytes of a PCI configuration header, for the configuration-space backend.
#[repr(C)]
#[derive(FromBytes, IntoBytes)]
struct PciHeader {
    vendor: u16,
    device: u16,
    command: u16,
    status: u16,
    revision: u8,
    prog_if: u8,
    subclass: u8,
    class: u8,
    cache_line: u8,
    latency: u8,
    header_type: u8,
    bist: u8,
}

/// What probe read and wrote through kio's configuration-space backend. Configuration space
/// needs the bound device, which only probe has; the suites check the values.
struct ConfigSeen {
    /// Vendor and device ID through `read16` at offsets 0 and 2.
    ids: (u16, u16),
    /// Both IDs in one `read32` at offset 0.
    ids32: u32,
    /// Vendor, device and subclass through projections of `PciHeader`.
    header: (u16, u16, u8),
    /// The interrupt line register after writing 0x5a to it (restored afterwards).
    line_written: u8,
    /// `try_read32` one past the end of a 256-byte space.
    past_end: Option<Error>,
    /// The size of the space seen through the view.
    size: usize,
}

/// Reads and writes edu's configuration space through kio (see [`ConfigSeen`]).
fn probe_config(pdev: &pci::Device<kernel::device::Bound>) -> Result<ConfigSeen> {
    let cfg = pdev.config_space();
    let ids = (cfg.read16(0x0), cfg.read16(0x2));
    let header = cfg.try_cast::<PciHeader>()?;
    let seen_header = (
        kio::io_read!(header, .vendor),
        kio::io_read!(header, .device),
        kio::io_read!(header, .subclass),
    );
    let old = cfg.read8(0x3c);
    cfg.write8(0x5a, 0x3c);
    let line_written = cfg.read8(0x3c);
    cfg.write8(old, 0x3c);
    Ok(ConfigSeen {
        ids,
        ids32: cfg.read32(0x0),
        header: seen_header,
        line_written,
        past_end: cfg.try_read32(cfg.size()).err(),
        size: cfg.size(),
    })
}

/// What the driver sets up at probe for the suites: edu's BAR0 and DMA-coherent memory of it.
struct EduRes {
    config: ConfigSeen,
    bar: Devres<EduBar>,
    ring: Coherent<view::Ring>,
    items: Coherent<[view::Item]>,
    conf_ring: Coherent<conformance_io::Ring>,
}

/// Returns the resources of the `edu` device bound by this module's driver.
fn edu_res() -> Result<Arc<EduRes>> {
    EDU.lock().clone().ok_or_else(|| {
        pr_err!("no edu device is bound; is QEMU started with -device edu?\n");
        ENODEV
    })
}

/// Runs `f` on BAR0 of the bound `edu` device as a [`Region`] and returns what it returns.
///
/// `f` runs under the BAR's revocation guard, an RCU read-side section: it must not sleep, and
/// the assertions (which end the test thread when they fail) stay outside.
fn with_edu<R>(f: impl FnOnce(Mmio<'_, Region<EDU_BAR0_SIZE>>) -> Result<R>) -> Result<R> {
    let res = edu_res()?;
    let bar = res.bar.try_access().ok_or(ENXIO)?;
    f((&*bar).as_view())
}

#[kunit_tests(kio_core)]
mod core_tests {
    use super::*;

    #[test]
    fn region_size_is_runtime_length() {
        let ptr = Region::<16>::ptr_from_raw_parts_mut(core::ptr::null_mut(), 64);
        assert_eq!(KnownSize::size(ptr), 64);
        assert_eq!(Region::<16>::MIN_SIZE, 16);
    }

    #[test]
    fn raw_size_of_sized_slice_and_region() {
        let arr = MmioRaw::<[u32; 6]>::from_ptr(core::ptr::null_mut());
        assert_eq!(arr.size(), 24);
        let slice = MmioRaw::<[u16]>::from_ptr(core::ptr::slice_from_raw_parts_mut(
            core::ptr::null_mut(),
            5,
        ));
        assert_eq!(slice.size(), 10);
        let region =
            MmioRaw::<Region>::from_ptr(Region::ptr_from_raw_parts_mut(core::ptr::null_mut(), 3));
        assert_eq!(region.size(), 3);
    }

    #[test]
    fn raw_region_rejects_short_mapping() -> Result {
        let mut mem = scratch();
        let base = mem.as_mut_ptr().cast();
        assert_eq!(
            MmioRaw::<Region<128>>::from_region_parts(base, 64).err(),
            Some(EINVAL)
        );
        let raw = MmioRaw::<Region<64>>::from_region_parts(base, 64)?;
        assert_eq!(raw.size(), 64);
        assert_eq!(raw.addr(), mem.as_ptr().addr());
        Ok(())
    }

    #[test]
    fn raw_region_rejects_misaligned_base() {
        let mut mem = scratch();
        let base = mem.as_mut_ptr().cast::<u8>().wrapping_add(4).cast();
        assert_eq!(
            MmioRaw::<Region<8>>::from_region_parts(base, 32).err(),
            Some(EINVAL)
        );
    }

    #[test]
    fn raw_typed_checks_size_and_alignment() {
        let mut mem = scratch();
        let base = mem.as_mut_ptr().cast::<u8>();
        assert!(MmioRaw::<u64>::from_parts(base.cast(), 8).is_ok());
        assert_eq!(
            MmioRaw::<u64>::from_parts(base.wrapping_add(4).cast(), 8).err(),
            Some(EINVAL)
        );
        assert_eq!(
            MmioRaw::<[u64; 16]>::from_parts(base.cast(), 64).err(),
            Some(EINVAL)
        );
    }

    #[test]
    fn sysmem_region_checks_its_bytes() -> Result {
        let mut mem = scratch();
        let bytes = mem.as_mut_bytes();
        assert_eq!(
            SysMem::<Region<128>>::from_bytes(&mut bytes[..]).err(),
            Some(EINVAL)
        );
        assert_eq!(
            SysMem::<Region<8>>::from_bytes(&mut bytes[1..]).err(),
            Some(EINVAL)
        );
        let region = SysMem::<Region<8>>::from_bytes(&mut bytes[8..])?;
        assert_eq!(region.size(), 56);
        assert_eq!(region.as_ptr().cast::<u8>().addr() % REGION_ALIGN, 0);
        Ok(())
    }

    #[test]
    fn sysmem_untyped_round_trip_every_width() -> Result {
        let mut mem = scratch();
        let io = SysMem::<Region<64>>::from_bytes(mem.as_mut_bytes())?;
        io.write8(0xa5, 0);
        io.write16(0xbeef, 2);
        io.write32(0x1234_5678, 4);
        io.write64(0x0102_0304_0506_0708, 8);
        assert_eq!(io.read8(0), 0xa5);
        assert_eq!(io.read16(2), 0xbeef);
        assert_eq!(io.read32(4), 0x1234_5678);
        assert_eq!(io.read64(8), 0x0102_0304_0506_0708);
        // The accesses landed in the memory itself, in CPU byte order.
        assert_eq!(mem[0], 0x1234_5678_beef_00a5);
        assert_eq!(mem[1], 0x0102_0304_0506_0708);
        Ok(())
    }

    #[test]
    fn sysmem_try_access_in_bounds() -> Result {
        let mut mem = scratch();
        let io = SysMem::<Region<8>>::from_bytes(mem.as_mut_bytes())?;
        io.try_write64(u64::MAX, 56)?;
        assert_eq!(io.try_read64(56)?, u64::MAX);
        io.try_write8(7, 63)?;
        assert_eq!(io.try_read8(63)?, 7);
        assert_eq!(io.try_read32(60)?, 0x07ff_ffff);
        Ok(())
    }

    #[test]
    fn sysmem_try_offset_past_end() -> Result {
        let mut mem = scratch();
        let io = SysMem::<Region<8>>::from_bytes(mem.as_mut_bytes())?;
        assert_eq!(io.try_read32(64).err(), Some(EINVAL));
        assert_eq!(io.try_read64(60).err(), Some(EINVAL));
        assert_eq!(io.try_write8(1, 64).err(), Some(EINVAL));
        assert_eq!(io.try_write16(1, usize::MAX - 1).err(), Some(EINVAL));
        assert_eq!(io.try_read8(usize::MAX).err(), Some(EINVAL));
        // Nothing was written by the rejected accesses.
        assert!(mem.iter().all(|w| *w == 0));
        Ok(())
    }

    #[test]
    fn sysmem_try_unaligned_offset() -> Result {
        let mut mem = scratch();
        let io = SysMem::<Region<8>>::from_bytes(mem.as_mut_bytes())?;
        assert_eq!(io.try_read16(1).err(), Some(EINVAL));
        assert_eq!(io.try_read32(2).err(), Some(EINVAL));
        assert_eq!(io.try_write64(1, 4).err(), Some(EINVAL));
        assert!(mem.iter().all(|w| *w == 0));
        Ok(())
    }

    #[test]
    fn sysmem_region_try_cast() -> Result {
        let mut mem = scratch();
        let bytes = mem.as_mut_bytes();
        let io = SysMem::<Region<8>>::from_bytes(&mut bytes[..])?;
        let typed = io.try_cast::<[u32; 16]>()?;
        assert_eq!(typed.size(), 64);
        let io = SysMem::<Region<8>>::from_bytes(&mut bytes[..])?;
        assert_eq!(io.try_cast::<[u64; 9]>().err(), Some(EINVAL));
        let io = SysMem::<Region<8>>::from_bytes(&mut bytes[..])?;
        let typed = io.cast::<u64>();
        assert_eq!(typed.size(), 8);
        Ok(())
    }

    #[test]
    fn sysmem_typed_from_borrow() {
        let mut arr = [0u32; 5];
        let addr = arr.as_ptr().addr();
        let io = SysMem::from_mut(&mut arr);
        assert_eq!(io.size(), 20);
        assert_eq!(io.as_ptr().addr(), addr);
    }

    #[test]
    fn register_fields_on_region() -> Result {
        let mut mem = scratch();
        let io = SysMem::<Region<64>>::from_bytes(mem.as_mut_bytes())?;
        io.write_reg(
            regs::CTRL::zeroed()
                .with_enable(true)
                .with_const_mode::<0xa>(),
        );
        assert_eq!(io.read32(0x04), 0xa01);
        let ctrl = io.read(regs::CTRL);
        assert!(bool::from(ctrl.enable()));
        assert_eq!(u32::from(ctrl.mode()), 0xa);
        io.update(regs::CTRL, |r| r.with_enable(false));
        assert_eq!(io.read32(0x04), 0xa00);
        Ok(())
    }

    #[test]
    fn register_array_on_region() -> Result {
        let mut mem = scratch();
        let io = SysMem::<Region<64>>::from_bytes(mem.as_mut_bytes())?;
        for i in 0..4u16 {
            io.write(
                regs::SCRATCH::at(usize::from(i)),
                regs::SCRATCH::zeroed().with_high(i + 1).with_low(0x100 * i),
            );
        }
        for i in 0..4u32 {
            assert_eq!(
                io.read32(0x10 + 4 * i as usize),
                ((i + 1) << 16) | (0x100 * i)
            );
        }
        assert!(regs::SCRATCH::try_at(4).is_none());
        Ok(())
    }
}

#[kunit_tests(kio_edu)]
mod edu_tests {
    use super::*;

    #[test]
    fn edu_identification() -> Result {
        let (id, size) = with_edu(|bar| Ok((bar.read32(0x0), bar.size())))?;
        assert_eq!(id, 0x0100_00ed);
        assert_eq!(size, EDU_BAR0_SIZE);
        Ok(())
    }

    #[test]
    fn edu_liveness_inverts() -> Result {
        for x in [0u32, 1, 0x1234_5678, 0xffff_ffff, 0x8000_0001] {
            let back = with_edu(|bar| {
                bar.write32(x, 0x4);
                Ok(bar.read32(0x4))
            })?;
            assert_eq!(back, !x);
        }
        Ok(())
    }

    #[test]
    fn edu_relaxed_liveness() -> Result {
        let (back, id) = with_edu(|bar| {
            let relaxed = bar.relaxed();
            relaxed.write32(0x0f0f_0f0f, 0x4);
            Ok((relaxed.read32(0x4), relaxed.try_read32(0x0)?))
        })?;
        assert_eq!(back, 0xf0f0_f0f0);
        assert_eq!(id, 0x0100_00ed);
        Ok(())
    }

    #[test]
    fn edu_register_fields() -> Result {
        let id = with_edu(|bar| Ok(bar.read(regs::EDU_ID)))?;
        assert_eq!(u32::from(id.major()), 1);
        assert_eq!(u32::from(id.minor()), 0);
        assert_eq!(u32::from(id.magic()), 0xed);
        Ok(())
    }

    #[test]
    fn edu_factorial_with_poll() -> Result {
        let fact = with_edu(|bar| {
            bar.write32(10, 0x8);
            // Busy-wait: the guard is an RCU read-side section.
            read_poll_timeout_atomic(
                || Ok(bar.read(regs::EDU_STATUS)),
                |s| !bool::from(s.computing()),
                Delta::from_micros(10),
                100_000,
            )?;
            Ok(bar.read32(0x8))
        })?;
        assert_eq!(fact, 3_628_800);
        Ok(())
    }

    #[test]
    fn edu_64bit_dma_register() -> Result {
        let (wide, zero) = with_edu(|bar| {
            bar.write64(0x0123_4567_89ab_cdef, 0x80);
            let wide = bar.read64(0x80);
            bar.try_write64(0, 0x80)?;
            Ok((wide, bar.try_read64(0x80)?))
        })?;
        assert_eq!(wide, 0x0123_4567_89ab_cdef);
        assert_eq!(zero, 0);
        Ok(())
    }

    #[test]
    fn edu_try_access_bad_offsets() -> Result {
        let errs = with_edu(|bar| {
            Ok([
                bar.try_read32(EDU_BAR0_SIZE).err(),
                bar.try_read64(EDU_BAR0_SIZE - 4).err(),
                bar.try_write32(0, 0x6).err(),
                bar.try_read16(0x3).err(),
            ])
        })?;
        for err in errs {
            assert_eq!(err, Some(EINVAL));
        }
        Ok(())
    }

    #[test]
    fn edu_config_space() -> Result {
        let res = edu_res()?;
        let seen = &res.config;
        assert_eq!(seen.ids, (EDU_VENDOR, EDU_DEVICE));
        assert_eq!(
            seen.ids32,
            u32::from(EDU_DEVICE) << 16 | u32::from(EDU_VENDOR)
        );
        assert_eq!(seen.header, (EDU_VENDOR, EDU_DEVICE, 0xff));
        assert_eq!(seen.line_written, 0x5a);
        assert_eq!(seen.size, 256);
        assert_eq!(seen.past_end, Some(EINVAL));
        Ok(())
    }

    #[test]
    fn edu_typed_casts() -> Result {
        let (base, size, typed, sized, too_big) = with_edu(|bar| {
            let regs = bar.try_cast::<EduRegs>()?;
            Ok((
                bar.raw().addr(),
                regs.size(),
                regs.raw().addr(),
                bar.cast::<EduRegs>().raw().addr(),
                bar.try_cast::<[u8; 2 * EDU_BAR0_SIZE]>().err(),
            ))
        })?;
        assert_eq!(size, size_of::<EduRegs>());
        assert_eq!(size, 0xa0);
        assert_eq!(typed, base);
        assert_eq!(sized, base);
        assert_eq!(too_big, Some(EINVAL));
        Ok(())
    }
}

struct EduTestDriver;

kernel::pci_device_table!(
    EDU_TABLE,
    MODULE_EDU_TABLE,
    <EduTestDriver as pci::Driver>::IdInfo,
    // The 7.2 `pci::Vendor` has no constant for QEMU's vendor 0x1234 and no public way to make
    // one, so match edu's class (0x00ff00, "other") and check the IDs in `probe`.
    [(pci::DeviceId::from_class(0x00_ff00, 0xff_ff00), ())]
);

/// Keeps the BAR mapped and the coherent memory allocated while the device is bound.
struct EduTestData {
    _res: Arc<EduRes>,
}

impl pci::Driver for EduTestDriver {
    type IdInfo = ();
    type Data<'bound> = EduTestData;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &EDU_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<kernel::device::Core<'_>>,
        _info: &'bound Self::IdInfo,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        if pdev.vendor_id().as_raw() != EDU_VENDOR || pdev.device_id() != EDU_DEVICE {
            return Err(ENODEV);
        }
        let mut slot = EDU.lock();
        // Take only the first `edu`: the others belong to the edu sample.
        if slot.is_some() {
            return Err(ENODEV);
        }
        pdev.enable_device_mem()?;
        let bar = pdev
            .iomap_region_sized::<EDU_BAR0_SIZE>(0, c"kio_test")?
            .into_devres()?;
        let res = Arc::new(
            EduRes {
                config: probe_config(pdev)?,
                bar,
                ring: Coherent::zeroed(pdev.as_ref(), GFP_KERNEL)?,
                items: Coherent::zeroed_slice(pdev.as_ref(), 16, GFP_KERNEL)?,
                conf_ring: Coherent::zeroed(pdev.as_ref(), GFP_KERNEL)?,
            },
            GFP_KERNEL,
        )?;
        *slot = Some(res.clone());
        dev_info!(
            pdev,
            "kio_test: edu BAR0 and coherent memory ready for the suites\n"
        );
        Ok(EduTestData { _res: res })
    }

    fn unbind<'bound>(
        _pdev: &'bound pci::Device<kernel::device::Core<'_>>,
        _this: Pin<&Self::Data<'bound>>,
    ) {
        *EDU.lock() = None;
    }
}

#[pin_data]
struct KioTestModule {
    #[pin]
    _driver: kernel::driver::Registration<pci::Adapter<EduTestDriver>>,
}

impl kernel::InPlaceModule for KioTestModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        // SAFETY: Called once, before the driver that uses the lock is registered.
        unsafe { EDU.init() };
        try_pin_init!(Self {
            _driver <- kernel::driver::Registration::new(c"kio_test", module),
        })
    }
}

module! {
    type: KioTestModule,
    name: "kio_test",
    authors: ["kio developers"],
    description: "KUnit suites of the kio core types",
    license: "GPL",
}
