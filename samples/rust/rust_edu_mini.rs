// SPDX-License-Identifier: GPL-2.0

//! A small driver for QEMU's educational PCI device (`edu`, 1234:11e8) written with kio, and
//! its KUnit suite `rust_edu_mini`, which runs on the device the driver bound.
//!
//! This is the driver that `Documentation/kio/writing-a-driver.rst` walks through; the page
//! shows the lines between each `// doc: start <name>` and `// doc: end <name>` marker, so
//! edit them knowing that. Register map: QEMU's `docs/specs/edu.rst`.

use kernel::{
    device::Core,
    devres::Devres,
    dma::{
        Coherent,
        Device as _,
        DmaMask, //
    },
    io::poll::{
        read_poll_timeout,
        read_poll_timeout_atomic, //
    },
    pci,
    prelude::*,
    sync::Arc,
    time::Delta, //
};
use kio::{
    io::{
        Io,
        Mmio,
        ReadPure, //
    },
    io_project,
    io_read,
    io_write, //
};

// doc: start regs
/// PCI vendor and device ID of `edu`, and the value of its identification register.
const EDU_VENDOR: u16 = 0x1234;
const EDU_DEVICE: u16 = 0x11e8;
const EDU_ID: u32 = 0x0100_00ed;

/// Bytes of BAR0 the driver maps: the registers below are at its start.
const BAR0_SIZE: usize = 0x1000;
type Bar0 = pci::Bar<'static, BAR0_SIZE>;

kio::io_struct! {
    /// The registers of `edu` this driver uses, at their offsets in BAR0.
    struct MiniRegs {
        id: ReadPure<u32>,       // 0x00
        liveness: u32,           // 0x04: reads back the bitwise inverse of what was written
        factorial: u32,          // 0x08: write n, read n! once `status` says it is done
        _reserved0: [u32; 5],
        status: u32,             // 0x20: bit 0 is set while the factorial is computed
        _reserved1: [u32; 23],
        dma_src: u64,            // 0x80
        dma_dst: u64,            // 0x88
        dma_count: u64,          // 0x90
        dma_cmd: u64,            // 0x98: bit 0 starts a transfer and clears when it is done
    }
}

const STATUS_COMPUTING: u32 = 1 << 0;
const DMA_START: u64 = 1 << 0;
/// Direction bit of `dma_cmd`: from the device's buffer to RAM.
const DMA_TO_RAM: u64 = 1 << 1;
/// The device's DMA buffer, as its DMA engine addresses it.
const EDU_BUFFER: u64 = 0x40000;
// doc: end regs

// doc: start bounce
/// Bytes of the DMA round trip.
const DMA_LEN: usize = 64;

/// The driver's one coherent buffer: a half for each direction of the round trip.
#[repr(C)]
#[derive(FromBytes, IntoBytes)]
struct Bounce {
    to_device: [u8; DMA_LEN],
    from_device: [u8; DMA_LEN],
}

// SAFETY: Two byte arrays, no padding (the `IntoBytes` derive checks it).
unsafe impl kernel::transmute::FromBytes for Bounce {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for Bounce {}
// doc: end bounce

// doc: start device
/// What the driver keeps of the device it bound, shared with the KUnit suite.
struct MiniDev {
    bar: Devres<Bar0>,
    bounce: Coherent<Bounce>,
}

kernel::sync::global_lock! {
    // SAFETY: Initialised in the module initialiser, before the driver is registered.
    unsafe(uninit) static DEVICE: Mutex<Option<Arc<MiniDev>>> = None;
}

/// The device this module's driver bound, for the KUnit suite.
fn bound_device() -> Result<Arc<MiniDev>> {
    DEVICE.lock().clone().ok_or_else(|| {
        pr_err!("no edu is bound to rust_edu_mini: is one added and reserved for it?\n");
        ENODEV
    })
}
// doc: end device

// doc: start access
impl MiniDev {
    /// Runs `f` on the registers, under the BAR's revocation guard (`ENXIO` once the device
    /// is unbound). The guard is an RCU read-side critical section: `f` must not sleep.
    fn with_regs<R>(&self, f: impl FnOnce(Mmio<'_, MiniRegs>) -> Result<R>) -> Result<R> {
        let bar = self.bar.try_access().ok_or(ENXIO)?;
        f((&*bar).try_cast()?)
    }

    fn id(&self) -> Result<u32> {
        self.with_regs(|regs| Ok(io_read!(regs, .id)))
    }

    /// Writes `x` to the liveness register and returns what it reads back.
    fn liveness(&self, x: u32) -> Result<u32> {
        self.with_regs(|regs| {
            io_write!(regs, .liveness, x);
            Ok(io_read!(regs, .liveness))
        })
    }

    /// Has the device compute `n!`, in 32 bits.
    fn factorial(&self, n: u32) -> Result<u32> {
        self.with_regs(|regs| {
            io_write!(regs, .factorial, n);
            // Under the guard, so busy-wait: up to 100000 polls 10 us apart.
            read_poll_timeout_atomic(
                || Ok(io_read!(regs, .status)),
                |status| status & STATUS_COMPUTING == 0,
                Delta::from_micros(10),
                100_000,
            )?;
            Ok(io_read!(regs, .factorial))
        })
    }
}
// doc: end access

// doc: start dma
impl MiniDev {
    /// Runs one transfer of `DMA_LEN` bytes of the DMA engine and waits for its end.
    fn dma(&self, src: u64, dst: u64, to_ram: bool) -> Result {
        self.with_regs(|regs| {
            io_write!(regs, .dma_src, src);
            io_write!(regs, .dma_dst, dst);
            io_write!(regs, .dma_count, DMA_LEN as u64);
            io_write!(regs, .dma_cmd, DMA_START | if to_ram { DMA_TO_RAM } else { 0 });
            Ok(())
        })?;
        // The device ends a transfer 100 ms after it starts: sleep between the polls, each of
        // which takes the guard for one read.
        read_poll_timeout(
            || self.with_regs(|regs| Ok(io_read!(regs, .dma_cmd))),
            |cmd| cmd & DMA_START == 0,
            Delta::from_millis(5),
            Delta::from_secs(1),
        )?;
        Ok(())
    }

    /// Sends `data` to the device's buffer and fetches it back, through the two halves of the
    /// coherent buffer; returns what came back.
    fn round_trip(&self, data: [u8; DMA_LEN]) -> Result<[u8; DMA_LEN]> {
        let out = io_project!(&self.bounce, .to_device);
        let back = io_project!(&self.bounce, .from_device);
        out.copy_write(data);
        back.copy_write([0; DMA_LEN]);
        self.dma(out.dma_address(), EDU_BUFFER, false)?;
        self.dma(EDU_BUFFER, back.dma_address(), true)?;
        Ok(back.copy_read())
    }
}
// doc: end dma

// doc: start driver
struct MiniDriver;

/// Keeps the device's resources while it is bound.
struct MiniData {
    _dev: Arc<MiniDev>,
}

kernel::pci_device_table!(
    MINI_TABLE,
    MODULE_MINI_TABLE,
    <MiniDriver as pci::Driver>::IdInfo,
    // 7.2's `pci::Vendor` has no constant for QEMU's vendor 0x1234 and no public way to make
    // one: match edu's class ("other", 0x00ff00) and check the IDs in `probe`.
    [(pci::DeviceId::from_class(0x00_ff00, 0xff_ff00), ())]
);

impl pci::Driver for MiniDriver {
    type IdInfo = ();
    type Data<'bound> = MiniData;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &MINI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: &'bound Self::IdInfo,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        if pdev.vendor_id().as_raw() != EDU_VENDOR || pdev.device_id() != EDU_DEVICE {
            return Err(ENODEV);
        }
        let mut slot = DEVICE.lock();
        // One device: the first one offered, which is the one reserved for this driver.
        if slot.is_some() {
            return Err(ENODEV);
        }
        pdev.enable_device_mem()?;
        pdev.set_master();
        // SAFETY: No DMA allocation or mapping of this device exists yet.
        unsafe { pdev.dma_set_mask_and_coherent(DmaMask::new::<28>())? };
        let dev = Arc::new(
            MiniDev {
                bar: pdev
                    .iomap_region_sized::<BAR0_SIZE>(0, c"rust_edu_mini")?
                    .into_devres()?,
                bounce: Coherent::zeroed(pdev.as_ref(), GFP_KERNEL)?,
            },
            GFP_KERNEL,
        )?;
        let id = dev.id()?;
        if id != EDU_ID {
            dev_err!(pdev, "identification {id:#010x}, expected {EDU_ID:#010x}\n");
            return Err(ENODEV);
        }
        dev_info!(pdev, "kio-report: rust_edu_mini: edu {id:#010x} bound\n");
        *slot = Some(dev.clone());
        Ok(MiniData { _dev: dev })
    }

    fn unbind<'bound>(_pdev: &'bound pci::Device<Core<'_>>, _this: Pin<&Self::Data<'bound>>) {
        *DEVICE.lock() = None;
    }
}
// doc: end driver

// doc: start suite
#[kunit_tests(rust_edu_mini)]
mod tests {
    use super::*;

    #[test]
    fn identification() -> Result {
        assert_eq!(bound_device()?.id()?, EDU_ID);
        Ok(())
    }

    #[test]
    fn liveness_inverts() -> Result {
        let dev = bound_device()?;
        for x in [0, 1, 0x1234_5678, u32::MAX] {
            assert_eq!(dev.liveness(x)?, !x);
        }
        Ok(())
    }

    #[test]
    fn factorial() -> Result {
        let dev = bound_device()?;
        for (n, fact) in [(0, 1), (1, 1), (5, 120), (10, 3_628_800), (12, 479_001_600)] {
            assert_eq!(dev.factorial(n)?, fact);
        }
        // 13! does not fit in 32 bits; the device keeps the low ones.
        assert_eq!(dev.factorial(13)?, 6_227_020_800u64 as u32);
        Ok(())
    }

    #[test]
    fn dma_round_trip() -> Result {
        let dev = bound_device()?;
        let data: [u8; DMA_LEN] = core::array::from_fn(|i| (i * 37 + 11) as u8);
        assert_eq!(dev.round_trip(data)?, data);
        Ok(())
    }
}
// doc: end suite

// doc: start module
#[pin_data]
struct MiniModule {
    #[pin]
    _driver: kernel::driver::Registration<pci::Adapter<MiniDriver>>,
}

impl kernel::InPlaceModule for MiniModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        // SAFETY: Called once, before the driver that uses the lock is registered.
        unsafe { DEVICE.init() };
        try_pin_init!(Self {
            // The driver's name: `kio.driver_override` names it to reserve a device for it.
            _driver <- kernel::driver::Registration::new(c"rust_edu_mini", module),
        })
    }
}

module! {
    type: MiniModule,
    name: "rust_edu_mini",
    authors: ["kio developers"],
    description: "A small edu driver written with kio, and its KUnit suite",
    license: "GPL",
}
// doc: end module
