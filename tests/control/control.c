// SPDX-License-Identifier: GPL-2.0
/*
 * kio_control.ko: positive controls for the debug kernel's detectors, and for the harness.
 *
 * Never loaded in normal runs. The debug run (KIO_DEBUG=1) loads it once per control, in a
 * phase of its own at the end of the guest init, with fire=<control>; each control does one
 * wrong thing that one detector must report (see tests/controls):
 *
 *   lockdep  two mutexes taken A then B, later B then A (lock-order inversion)
 *   ubsan    a shift by more than the width of the type
 *   leak     sixteen 8 KiB kmallocs whose pointers are dropped
 *   oob      a one-byte write past a 16-byte kmalloc
 *
 * It is C on purpose: the kernel gives UBSAN flags to C only, and the other three detectors
 * see C and Rust alike.
 *
 * Its KUnit suite kio_control has one case that fails when fail_case=1: a control for the
 * harness and for the exit status of make run (scripts/test-run-status.sh).
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *fire = "";
module_param(fire, charp, 0444);
MODULE_PARM_DESC(fire, "control to fire at load: lockdep, ubsan, leak or oob");

static bool fail_case;
module_param(fail_case, bool, 0444);
MODULE_PARM_DESC(fail_case, "make the KUnit case kio_control.deliberate_failure fail");

static DEFINE_MUTEX(control_a);
static DEFINE_MUTEX(control_b);

static void control_lockdep(void)
{
	mutex_lock(&control_a);
	mutex_lock(&control_b);
	mutex_unlock(&control_b);
	mutex_unlock(&control_a);

	mutex_lock(&control_b);
	mutex_lock(&control_a);
	mutex_unlock(&control_a);
	mutex_unlock(&control_b);
}

static void control_ubsan(void)
{
	int shift = 40;
	int value = 1;

	OPTIMIZER_HIDE_VAR(shift);
	value <<= shift;
	OPTIMIZER_HIDE_VAR(value);
	pr_info("kio-control: 1 << %d computed as %d\n", shift, value);
}

/*
 * A leak: blocks that nothing points to any more. kmemleak scans memory conservatively, and
 * copies of a freshly returned pointer can survive where it scans (we did not track down
 * where): on the debug kernel, eight 64-byte kmallocs, a vmalloc and one 8 KiB kmalloc were
 * each still counted as referenced (kmemleak's dump=), while of sixteen 8 KiB kmallocs it
 * reported eight. So sixteen are leaked and the stack they went through is scrubbed;
 * kmemleak must report at least one.
 */
#define LEAK_BLOCKS 16

static noinline int control_leak_alloc(void)
{
	int i;

	for (i = 0; i < LEAK_BLOCKS; i++) {
		void *k = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);

		if (!k)
			return -ENOMEM;
		memset(k, 0x6b, 2 * PAGE_SIZE);
		pr_info("kio-control: leaked %px\n", k);
		OPTIMIZER_HIDE_VAR(k);
	}
	return 0;
}

/* Overwrites the stack below the caller, where stale copies of the pointers were left. */
static noinline void control_scrub_stack(void)
{
	char scrub[1024];

	memset(scrub, 0, sizeof(scrub));
	barrier_data(scrub);
}

static int control_leak(void)
{
	int ret = control_leak_alloc();

	control_scrub_stack();
	return ret;
}

static int control_oob(void)
{
	char *p = kmalloc(16, GFP_KERNEL);
	size_t i = 16;

	if (!p)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(p);
	OPTIMIZER_HIDE_VAR(i);
	p[i] = 1;
	kfree(p);
	return 0;
}

static int __init kio_control_init(void)
{
	int ret = 0;

	if (!strcmp(fire, "lockdep"))
		control_lockdep();
	else if (!strcmp(fire, "ubsan"))
		control_ubsan();
	else if (!strcmp(fire, "leak"))
		ret = control_leak();
	else if (!strcmp(fire, "oob"))
		ret = control_oob();
	else if (fire[0])
		return -EINVAL;
	if (fire[0])
		pr_info("kio-control: fired %s (%d)\n", fire, ret);
	return ret;
}

static void __exit kio_control_exit(void)
{
}

module_init(kio_control_init);
module_exit(kio_control_exit);

static void deliberate_failure(struct kunit *test)
{
	KUNIT_EXPECT_FALSE_MSG(test, fail_case, "failed on request (kio_control.fail_case=1)");
}

static struct kunit_case kio_control_cases[] = {
	KUNIT_CASE(deliberate_failure),
	{}
};

static struct kunit_suite kio_control_suite = {
	.name = "kio_control",
	.test_cases = kio_control_cases,
};
kunit_test_suite(kio_control_suite);

MODULE_DESCRIPTION("kio positive controls for KASAN, kmemleak, lockdep, UBSAN and the harness");
MODULE_LICENSE("GPL");
