// SPDX-License-Identifier: GPL-2.0

//! A source with doc markers for scripts/test-doc-includes.sh; never built.

// doc: start good
fn good() {}
// doc: end good

// doc: start twice
fn twice() {}
// doc: end twice

// doc: start twice
fn again() {}
// doc: end twice

// doc: start open
fn open() {}

// doc: start unshown
fn unshown() {}
// doc: end unshown
