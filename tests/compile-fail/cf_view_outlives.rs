// SPDX-License-Identifier: GPL-2.0
// expect: cannot return value referencing local
//! A view that would outlive the memory it was projected from: the coherent allocation is
//! freed when `buf` drops at the end of the function, and the view borrows it.
use kernel::{
    device::{
        Bound,
        Device, //
    },
    dma::Coherent,
    prelude::*, //
};
use kio::dma::CoherentView;
pub fn f<'a>(dev: &Device<Bound>) -> Result<CoherentView<'a, u32>> {
    let buf = Coherent::<[u32; 4]>::zeroed(dev, GFP_KERNEL)?;
    Ok(kio::io_project!(&buf, [build: 0]))
}
