// SPDX-License-Identifier: GPL-2.0

//! DMA-coherent memory with kio: a PCI driver for QEMU's `pci-testdev` (1b36:0005) that fills
//! a `Coherent` array of small descriptors at probe and verifies every value when it unbinds.
//!
//! It is the kio counterpart of the kernel's DMA sample: projections (`io_project!`,
//! `io_write!`, `io_read!`) and whole-value copies (`copy_write`, `copy_read`) replace
//! `dma_write!`/`dma_read!`. A mismatch is logged as an error with the entry and field.

use kernel::{
    device::Core,
    dma::{
        Coherent,
        Device as _,
        DmaMask, //
    },
    pci,
    prelude::*,
    sync::aref::ARef, //
};
use kio::{
    io::Io,
    io_project,
    io_read,
    io_write, //
};

/// Number of descriptors in the coherent array.
const ENTRIES: usize = 32;

/// A descriptor as a device would read it.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, FromBytes, IntoBytes)]
struct Desc {
    index: u32,
    len: u16,
    flags: u16,
    addr: u64,
}

// SAFETY: Primitives only, no padding (4 + 2 + 2 + 8 bytes; the `IntoBytes` derive checks it).
// The kernel's byte traits are what `Coherent`'s constructors ask for.
unsafe impl kernel::transmute::FromBytes for Desc {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for Desc {}

/// The value entry `i` must hold.
fn expected(i: usize) -> Desc {
    Desc {
        index: i as u32,
        len: 64 + i as u16,
        flags: if i % 2 == 0 { 0x1 } else { 0x8001 },
        addr: 0x1000_0000 + 0x40 * i as u64,
    }
}

struct DmaSample {
    pdev: ARef<pci::Device>,
    descs: Coherent<[Desc]>,
}

impl DmaSample {
    /// Reads every entry back, field by field and whole, and counts the mismatches.
    fn verify(&self) -> Result<usize> {
        let descs = &self.descs;
        let mut bad = 0;
        for i in 0..descs.len() {
            let want = expected(i);
            let fields = (
                io_read!(descs, [try: i].index),
                io_read!(descs, [try: i].len),
                io_read!(descs, [try: i].flags),
                io_read!(descs, [try: i].addr),
            );
            let whole = io_project!(descs, [try: i]).copy_read();
            if fields != (want.index, want.len, want.flags, want.addr) || whole != want {
                dev_err!(
                    self.pdev,
                    "entry {i}: read {:?}, expected {:?}\n",
                    fields,
                    (want.index, want.len, want.flags, want.addr)
                );
                bad += 1;
            }
        }
        Ok(bad)
    }
}

kernel::pci_device_table!(
    TESTDEV_TABLE,
    MODULE_TESTDEV_TABLE,
    <DmaSample as pci::Driver>::IdInfo,
    [(pci::DeviceId::from_id(pci::Vendor::REDHAT, 0x5), ())]
);

impl pci::Driver for DmaSample {
    type IdInfo = ();
    type Data<'bound> = Self;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &TESTDEV_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: &'bound Self::IdInfo,
    ) -> impl PinInit<Self, Error> + 'bound {
        // SAFETY: No DMA allocation or mapping of this device exists yet.
        unsafe { pdev.dma_set_mask_and_coherent(DmaMask::new::<64>())? };
        let descs: Coherent<[Desc]> = Coherent::zeroed_slice(pdev.as_ref(), ENTRIES, GFP_KERNEL)?;
        for i in 0..ENTRIES {
            let want = expected(i);
            if i % 2 == 0 {
                // Whole descriptors with one copy...
                io_project!(descs, [try: i]).copy_write(want);
            } else {
                // ...or field by field.
                io_write!(descs, [try: i].index, want.index);
                io_write!(descs, [try: i].len, want.len);
                io_write!(descs, [try: i].flags, want.flags);
                io_write!(descs, [try: i].addr, want.addr);
            }
        }
        dev_info!(pdev, "kio-report: rust_dma filled {ENTRIES} descriptors\n");
        Ok(DmaSample {
            pdev: pdev.into(),
            descs,
        })
    }
}

impl Drop for DmaSample {
    fn drop(&mut self) {
        match self.verify() {
            Ok(0) => dev_info!(
                self.pdev,
                "kio-report: rust_dma verified {} descriptors on unbind\n",
                self.descs.len()
            ),
            Ok(bad) => dev_err!(self.pdev, "rust_dma: {bad} descriptors differ on unbind\n"),
            Err(e) => dev_err!(self.pdev, "rust_dma: verification failed: {e:?}\n"),
        }
    }
}

kernel::module_pci_driver! {
    type: DmaSample,
    name: "rust_dma",
    authors: ["kio developers"],
    description: "DMA-coherent memory through kio projections (pci-testdev)",
    license: "GPL",
}
