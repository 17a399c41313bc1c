#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make run`: set up, build, boot QEMU with our devices and modules, print the guest's report
# and exit with the guest's status.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$KIO_ROOT/scripts/setup.sh"
kdir=$("$KIO_ROOT/scripts/build-kernel.sh")
"$KIO_ROOT/scripts/build-modules.sh"
"$KIO_ROOT/scripts/build-initramfs.sh"
log=$KIO_LOGS/run-console.log
expect=(--expected "$KIO_ROOT/tests/expected-suites" --lines "$KIO_ROOT/tests/expected-lines")
if [ -n "${KIO_MODULES:-}" ]; then
	# A subset of the modules: no cycles, and the full-run expectations do not apply.
	export KIO_CMDLINE="${KIO_CMDLINE:-} kio.quick=1"
	expect=(--expected /dev/null)
fi
note "booting QEMU (console: $log)"
set +e
"$KIO_ROOT/scripts/run-qemu.sh" "$log"
qemu_rc=$?
echo "kio report"
python3 "$KIO_ROOT/scripts/guest-results.py" "$log" --kunit "$(kio_kunit_py "$kdir")" \
	"${expect[@]}" --qemu-status "$qemu_rc" | grep -v '^RESULT '
status=$(sed -n 's/^KIO: done status=\([0-9]*\).*/\1/p' "$log" | tail -n 1)
[ -n "$status" ] || { echo "kio: the guest did not finish (see $log)"; exit 1; }
exit "$status"
