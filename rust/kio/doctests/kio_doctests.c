// SPDX-License-Identifier: GPL-2.0
/*
 * kio_doctests.ko: the doc examples of the kio crate, one KUnit case each, in the suite
 * rust_doctests_kio. The cases and the suite are generated at build time from the crate's
 * sources by the kernel's rustdoc_test_builder and rustdoc_test_gen (scripts/Kbuild.doctests);
 * this file gives the module its description.
 */

#include <linux/module.h>

MODULE_DESCRIPTION("kio: the kio crate's doc examples as the KUnit suite rust_doctests_kio");
MODULE_LICENSE("GPL");
