// SPDX-License-Identifier: GPL-2.0
// expect: Sealed` is not satisfied
//! A new starting point for projections: `IntoView` is sealed, so only kio's backends and
//! views (and references to them) can start one.
use kio::io::{
    IntoView,
    SysMem,
    View, //
};
#[derive(Clone, Copy)]
pub struct Wrapper<'a>(&'a SysMem<'a, [u8; 64]>);
impl<'a> IntoView<'a> for Wrapper<'a> {
    type Backend = SysMem<'a, [u8; 64]>;
    type Target = [u8; 64];
    fn into_view(self) -> View<'a, Self::Backend, Self::Target> {
        IntoView::into_view(self.0)
    }
}
