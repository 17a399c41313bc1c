#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make run`: set up, build, boot QEMU with our devices and modules, and print the guest's
# report. The exit status is the verdict of scripts/guest-results.py on the console: non-zero
# when a KUnit case fails, an expected suite or report is missing, a positive control is not
# reported (debug runs), a BUG:/WARNING:/Oops/KASAN line appears, a module fails to load or
# unload, or the guest does not finish.
#
# Every suite of the run is also written as one KTAP document, build/logs/run.ktap, for
# `kunit.py parse`. KIO_CASES=1 lists every case with its result.
# KIO_RUN_REPLAY=<console> judges a recorded console instead of booting (for the tests of this
# script; KIO_RUN_QEMU_STATUS gives QEMU's status).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The suites this run must see: those of tests/expected-suites whose module is loaded (all, or
# those of KIO_MODULES) and whose name passes the suite part of a kunit.filter_glob=... given
# in KIO_CMDLINE (the kernel applies it to the suites of modules too).
suites=$(mktemp)
trap 'rm -f "$suites"' EXIT
modules=
IFS=$' \t\n,' read -ra modules <<<"${KIO_MODULES:-}"
glob=$(tr ' ' '\n' <<<"${KIO_CMDLINE:-}" | sed -n 's/^kunit\.filter_glob=//p' | tail -n 1)
glob=${glob%%.*}
while read -r suite module; do
	case "$suite" in '' | '#'*) continue ;; esac
	[ -z "${KIO_MODULES:-}" ] || [[ " ${modules[*]} " == *" $module "* ]] || continue
	# shellcheck disable=SC2053 # a glob on purpose
	[ -z "$glob" ] || [[ "$suite" == $glob ]] || continue
	echo "$suite $module"
done <"$KIO_ROOT/tests/expected-suites" >"$suites"
expect=(--expected "$suites" --lines "$KIO_ROOT/tests/expected-lines")
if [ -n "${KIO_MODULES:-}" ]; then
	# A subset of the modules: no cycles, and the console line counts of a full run do not
	# apply.
	export KIO_CMDLINE="${KIO_CMDLINE:-} kio.quick=1"
	expect=(--expected "$suites")
fi
! kio_controls_on || expect+=(--controls "$KIO_ROOT/tests/controls")
[ -z "${KIO_CASES:-}" ] || expect+=(--cases)

if [ -n "${KIO_RUN_REPLAY:-}" ]; then
	log=$KIO_RUN_REPLAY
	kdir=${KDIR:-$(kio_kernel_dir)}
	qemu_rc=${KIO_RUN_QEMU_STATUS:-0}
	ktap=${KIO_RUN_KTAP:-$(mktemp)}
else
	# KIO_RUN_PREBUILT=1: set-up, kernel and modules are done (scripts/test-run-status.sh).
	if [ -z "${KIO_RUN_PREBUILT:-}" ]; then
		"$KIO_ROOT/scripts/setup.sh"
		kdir=$("$KIO_ROOT/scripts/build-kernel.sh")
		"$KIO_ROOT/scripts/build-modules.sh"
	else
		kdir=$("$KIO_ROOT/scripts/build-kernel.sh")
	fi
	"$KIO_ROOT/scripts/build-initramfs.sh"
	log=$KIO_LOGS/run-console.log
	ktap=$KIO_LOGS/run.ktap
	note "booting QEMU (console: $log)"
	set +e
	"$KIO_ROOT/scripts/run-qemu.sh" "$log"
	qemu_rc=$?
	set -e
fi
echo "kio report"
set +e
python3 "$KIO_ROOT/scripts/guest-results.py" "$log" --kunit "$(kio_kunit_py "$kdir")" \
	"${expect[@]}" --qemu-status "$qemu_rc" --ktap-out "$ktap" | grep -v '^RESULT '
verdict=${PIPESTATUS[0]}
set -e
status=$(sed -n 's/^KIO: done status=\([0-9]*\).*/\1/p' "$log" | tail -n 1)
if [ -z "$status" ]; then
	echo "kio: the guest did not finish (see $log)"
	exit 1
fi
[ -n "${KIO_RUN_REPLAY:-}" ] || echo "kio: KTAP of every suite in $ktap (kunit.py parse $ktap)"
if [ "$verdict" != 0 ] || [ "$status" != 0 ]; then
	echo "kio: run failed (report: $verdict, guest status: $status)"
	exit 1
fi
