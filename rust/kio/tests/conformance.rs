// SPDX-License-Identifier: GPL-2.0

//! `kio_conformance`: the upstream-style code of `conformance_io.rs` on edu and on coherent
//! memory. The assertions live here, so that `conformance_io.rs` stays plain 7.3-style code.

use super::*;
use conformance_io as up;

// SAFETY: `u32`s only, no padding (the `IntoBytes` derive checks it). The 7.2 kernel's
// `Coherent` allocations need its own byte traits.
unsafe impl kernel::transmute::FromBytes for up::Ring {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for up::Ring {}

#[kunit_tests(kio_conformance)]
mod conformance_tests {
    use super::*;

    /// Runs `f` on edu's BAR0 as a `Mmio<'_, Region<BAR_SIZE>>`, the view upstream's `&Bar`
    /// gives.
    fn on_bar<R>(f: impl FnOnce(Mmio<'_, Region<{ up::BAR_SIZE }>>) -> Result<R>) -> Result<R> {
        with_edu(f)
    }

    #[test]
    fn ids_by_offset_and_by_cast() -> Result {
        assert_eq!(on_bar(up::ids)?, (0x0100_00ed, 0x0100_00ed));
        Ok(())
    }

    #[test]
    fn every_access_form_reaches_the_device() -> Result {
        for x in [0u32, 0x1234_5678, u32::MAX] {
            assert_eq!(on_bar(|bar| up::liveness(bar, x))?, [!x; 4]);
        }
        Ok(())
    }

    #[test]
    fn checked_accesses_refuse() -> Result {
        assert_eq!(on_bar(|bar| Ok(up::bad_offsets(bar)))?, [Some(EINVAL); 3]);
        Ok(())
    }

    #[test]
    fn coherent_ring() -> Result {
        let res = edu_res()?;
        let ring = &res.conf_ring;
        let addr = up::fill_ring(ring, 5)?;
        assert_eq!(addr, ring.dma_handle() + 8 + 5 * 4);
        let (third, all, tail_len, tail) = up::read_ring(ring)?;
        assert_eq!(third, 103);
        assert!(all.iter().enumerate().all(|(n, v)| *v == 100 + n as u32));
        assert_eq!((tail_len, tail), (4, 14));
        assert_eq!(up::fill_ring(ring, 14).err(), Some(ERANGE));
        Ok(())
    }

    #[test]
    fn system_memory_and_sysmap() {
        let mut buf = [0u8; 16];
        let out = up::bytes_round_trip(&mut buf);
        let expect = [0xaa, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0];
        assert_eq!(out, expect);
        assert_eq!(buf, expect);
    }
}
