#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make run` must tell the truth with its exit status (scripts/run.sh). Recorded consoles of
# tests/harness/ are replayed through it (KIO_RUN_REPLAY) and must fail it with their reason;
# this run's own console must pass it, as it passes make check; then one real boot with the
# KUnit case kio_control.deliberate_failure failing on request must exit non-zero, list the
# case with KIO_CASES=1, and leave a KTAP file on which kunit.py parse sees the failure.
#   test-run-status.sh [replay|boot]   only the replays, or only the boot (default: both)
# Prints "RESULT <passed> <failed> 0".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kdir=$("$KIO_ROOT/scripts/build-kernel.sh") || exit 1
kunit=$(kio_kunit_py "$kdir")
dir=$KIO_ROOT/tests/harness
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# replay <console> <qemu status> <wanted exit: 0 or 1> <text the output must contain>
# [<text it must not contain>]; the environment may add KIO_MODULES and KIO_CMDLINE.
replay() {
	local out rc how=${KIO_MODULES:+ KIO_MODULES=$KIO_MODULES}${KIO_CMDLINE:+ KIO_CMDLINE=$KIO_CMDLINE}
	out=$(KIO_RUN_REPLAY=$1 KIO_RUN_QEMU_STATUS=$2 KIO_RUN_KTAP=$tmp/replay.ktap \
		"$KIO_ROOT/scripts/run.sh" 2>&1)
	rc=$?
	[ "$rc" -ne 0 ] && rc=1
	[ "$rc" = "$3" ] && grep -qF -- "$4" <<<"$out" && { [ -z "${5:-}" ] || ! grep -qF -- "$5" <<<"$out"; }
	kio_case $? "make run$how on $(basename "$1") (qemu $2): exit $3, '$4'${5:+, not '$5'}" \
		"make run$how on $(basename "$1") (qemu $2): wanted exit $3 and '$4'${5:+ and not '$5'}, got exit $rc:" "$out"
}
what=${1:-all}
if [ "$what" != boot ]; then
replay "$dir/failing-case.log" 0 1 "FAIL: kio_core.sysmem_untyped_round_trip_every_width: FAIL"
replay "$dir/oops.log" 0 1 "FAIL: kernel report: BUG: kernel NULL pointer dereference"
replay "$dir/warn.log" 0 1 "FAIL: kernel report: WARNING: CPU: 0 PID: 1"
replay "$dir/missing-suite.log" 0 1 "FAIL: expected suite kio_edu did not run"
replay "$dir/hang.log" 124 1 "the guest did not finish"
# The suites a run must see are those of the modules it loads (KIO_MODULES) that pass a
# kunit.filter_glob of KIO_CMDLINE. missing-suite.log loaded kio_test, and only kio_core ran.
KIO_MODULES=kio_test replay "$dir/missing-suite.log" 0 1 "FAIL: expected suite kio_edu did not run" \
	"nova_lite_cmdq"
KIO_MODULES=rust_edu replay "$dir/missing-suite.log" 0 0 "suite:    kio_core: 15/15 passed"
KIO_CMDLINE=kunit.filter_glob=kio_core KIO_MODULES=kio_test \
	replay "$dir/missing-suite.log" 0 0 "suite:    kio_core: 15/15 passed"
KIO_CMDLINE="kunit.filter_glob=kio_*edu.*" KIO_MODULES=kio_test,nova_lite \
	replay "$dir/missing-suite.log" 0 1 "FAIL: expected suite kio_view_edu did not run" "kio_coherent"
[ ! -f "$KIO_LOGS/console.log" ] || replay "$KIO_LOGS/console.log" 0 0 "guest:    done status=0"
fi
[ "$what" != replay ] || { kio_result; exit 0; }

# A real boot with only the control module and its KUnit case failing on request, from an
# initramfs of its own (this boot may run beside others of make check).
out=$(KIO_INITRAMFS=$tmp/initramfs.cpio.gz KIO_RUN_PREBUILT=1 KIO_MODULES=kio_control KIO_CMDLINE="kio_control.fail_case=1" KIO_CASES=1 \
	"$KIO_ROOT/scripts/run.sh" 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -qF "FAIL: kio_control.deliberate_failure: FAIL" <<<"$out"
kio_case $? "make run with a failing KUnit case exits $rc" \
	"make run with a failing KUnit case: wanted a non-zero exit and the case's FAIL line, got $rc:" "$out"
grep -qF "case:     kio_control.deliberate_failure: FAIL" <<<"$out"
kio_case $? "make run KIO_CASES=1 lists the case with its result" \
	"make run KIO_CASES=1 did not list kio_control.deliberate_failure: FAIL" "$out"
parsed=$(python3 "$kunit" parse "$KIO_LOGS/run.ktap" 2>&1)
grep -qE 'Ran 1 tests?: .*failed: 1' <<<"$parsed"
kio_case $? "kunit.py parse build/logs/run.ktap: $(grep -o 'Ran .*' <<<"$parsed" | tail -n 1)" \
	"kunit.py parse of build/logs/run.ktap did not see the failed case" "$parsed"
kio_result
