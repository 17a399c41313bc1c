// SPDX-License-Identifier: GPL-2.0

//! BAR2 of the virtual GPU: the register page as a typed block, `BOOT_0`'s fields with the
//! kernel's `register!`, and the VRAM aperture.
//!
//! Offsets come from `vgpu_wire::regs`; the build fails if this layout ever disagrees.

use kernel::io::register;
use kio::io::{
    ReadPure,
    WriteOnly, //
};
use vgpu_wire::{
    regs as off,
    BAR2_SIZE,
    VRAM_OFFSET,
    VRAM_SIZE, //
};

kio::io_struct! {
    /// The register page.
    pub(crate) struct Regs {
        pub(crate) boot0: ReadPure<u32>,
        pub(crate) enable: u32,
        pub(crate) status: ReadPure<u32>,
        pub(crate) error: ReadPure<u32>,
        pub(crate) mailbox0: u32,
        pub(crate) mailbox1: u32,
        pub(crate) doorbell: WriteOnly<u32>,
        _reserved0: u32,
        pub(crate) queue_base_lo: u32,
        pub(crate) queue_base_hi: u32,
        pub(crate) queue_size: u32,
        _reserved1: u32,
        pub(crate) start: WriteOnly<u32>,
        _reserved2: [u32; 3],
        pub(crate) sim_fault: u32,
        pub(crate) sim_heartbeat: ReadPure<u32>,
        _sim_fuzz: u32,
        _reserved3: u32,
        pub(crate) ptimer: ReadPure<u64>,
        _reserved4: [u8; off::END - 0x58],
    }
}

kio::io_struct! {
    /// The part of BAR2 the driver uses: registers, then the VRAM aperture.
    pub(crate) struct Bar2 {
        pub(crate) regs: Regs,
        _gap: [u8; VRAM_OFFSET - off::END],
        pub(crate) vram: [u8; VRAM_SIZE],
    }
}

/// Bytes of BAR2 mapped.
pub(crate) const BAR2_MAPPED: usize = size_of::<Bar2>();

const _: () = {
    use core::mem::offset_of;
    assert!(offset_of!(Regs, boot0) == off::BOOT_0);
    assert!(offset_of!(Regs, enable) == off::ENABLE);
    assert!(offset_of!(Regs, status) == off::STATUS);
    assert!(offset_of!(Regs, error) == off::ERROR);
    assert!(offset_of!(Regs, mailbox0) == off::MAILBOX0);
    assert!(offset_of!(Regs, mailbox1) == off::MAILBOX1);
    assert!(offset_of!(Regs, doorbell) == off::DOORBELL);
    assert!(offset_of!(Regs, queue_base_lo) == off::QUEUE_BASE_LO);
    assert!(offset_of!(Regs, queue_base_hi) == off::QUEUE_BASE_HI);
    assert!(offset_of!(Regs, queue_size) == off::QUEUE_SIZE);
    assert!(offset_of!(Regs, start) == off::START);
    assert!(offset_of!(Regs, sim_fault) == off::SIM_FAULT);
    assert!(offset_of!(Regs, sim_heartbeat) == off::SIM_HEARTBEAT);
    assert!(offset_of!(Regs, ptimer) == off::PTIMER);
    assert!(size_of::<Regs>() == off::END);
    assert!(offset_of!(Bar2, vram) == VRAM_OFFSET);
    assert!(BAR2_MAPPED <= BAR2_SIZE);
};

register! {
    /// Chip identification, in the spirit of nova-core's `NV_PMC_BOOT_0`.
    pub(crate) BOOT_0(u32) @ 0x000 {
        31:24 architecture;
        23:20 implementation;
        7:0 revision;
    }

    /// GSP status.
    pub(crate) STATUS(u32) @ 0x008 {
        0:0 ready;
        1:1 error;
    }
}

const _: () = assert!(off::BOOT_0 == 0x000 && off::STATUS == 0x008);
