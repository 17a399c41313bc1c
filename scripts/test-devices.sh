#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Devices of your own (KIO_QEMU_DEVICES) and kio.driver_override in KIO_CMDLINE.
#
# First the mistakes run-qemu.sh must refuse before it starts anything: a slot the project or
# QEMU already fills, a malformed address, a malformed override. Then one boot with kio_test
# and rust_edu, reloaded a few times, and three more edu devices:
#   00:06.0  driver_override kio_nobody: no driver must bind it, although both modules would
#            (it is the first edu of the bus, which kio_test takes, and rust_edu takes any)
#   00:0c.0  no override: the control, rust_edu binds it
#   00:0d.0  driver_override rust_edu: the named driver still binds it
# and an override for a device that does not exist (00:1f.0), which the guest must report as a
# failure. kio_test must still bind the project's edu at 00:09.0 and pass its suites, and
# run-qemu.sh's own edu at 00:07.0, reserved for rust_edu_mini (not loaded here), must stay
# unprobed too. A second boot without the override is the control: kio_test then takes 00:06.0.
# Prints "RESULT <passed> <failed> 0".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kdir=$("$KIO_ROOT/scripts/build-kernel.sh") || { echo "RESULT 0 1 0"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# refused <KIO_QEMU_DEVICES> <KIO_CMDLINE> <text of the one error line>
refused() {
	local out rc
	out=$(KIO_QEMU_DEVICES=$1 KIO_CMDLINE=$2 KIO_QEMU_TIMEOUT=5 \
		"$KIO_ROOT/scripts/run-qemu.sh" "$tmp/refused.log" 2>&1)
	rc=$?
	out=$(grep -v '^kio: kernel cached' <<<"$out")
	[ $rc -ne 0 ] && [ "$(grep -c . <<<"$out")" = 1 ] && grep -qF -- "kio: error: $3" <<<"$out" &&
		[ ! -e "$tmp/refused.log" ]
	kio_case $? "refused before boot: $out" \
		"KIO_QEMU_DEVICES='$1' KIO_CMDLINE='$2': wanted one line 'kio: error: $3' and no boot, got $rc:" "$out"
}
refused "-device edu,addr=0x09" "" \
	"KIO_QEMU_DEVICES: '-device edu,addr=0x09': slot 09 holds the project's first edu (kio_test); free slots are 04-06 and 0c-1f"
refused "-device edu,addr=0x07" "" \
	"KIO_QEMU_DEVICES: '-device edu,addr=0x07': slot 07 holds the project's edu of rust_edu_mini; free slots are 04-06 and 0c-1f"
refused "-device e1000,addr=3" "" \
	"KIO_QEMU_DEVICES: '-device e1000,addr=3': slot 03 holds the e1000 network card; free slots are 04-06 and 0c-1f"
refused "-device edu,addr=0x0c.9" "" \
	"KIO_QEMU_DEVICES: '-device edu,addr=0x0c.9': addr=0x0c.9 is not <slot>[.<function>] in hex, e.g. addr=0x0c"
refused "-device edu,addr=0x0c" "kio.driver_override=00:0c.0=my_edu" \
	"kio.driver_override: '00:0c.0=my_edu' is not <pci device>=<driver>, e.g. 0000:00:0c.0=my_edu"

# The boot.
[ -f "$KIO_BUILD/modules/kio_test.ko" ] || "$KIO_ROOT/scripts/build-modules.sh" >/dev/null ||
	{ echo "not ok the modules do not build"; kio_result; exit 1; }
log=$KIO_LOGS/devices-console.log
KIO_INITRAMFS=$tmp/initramfs.cpio.gz KIO_MODULES="kio_test rust_edu" \
	"$KIO_ROOT/scripts/build-initramfs.sh" 2>/dev/null ||
	{ echo "not ok the initramfs does not build"; kio_result; exit 1; }
devices="-device edu,addr=0x06 -device edu,addr=0x0c -device edu,addr=0x0d"
# Two unbind/bind and two rmmod/insmod cycles of rust_edu (and the refused parameters, which
# reload it too): every reload probes the free devices again.
cmdline="kio.cycles=2 kio.driver_override=0000:00:06.0=kio_nobody,0000:00:0d.0=rust_edu,0000:00:1f.0=ghost"
# KIO_MODULES also tells run-qemu.sh that this is not the full module set, so a debug run does
# not fire the positive controls (tests/controls) in this boot: they belong to check.sh's.
notes=$(KIO_INITRAMFS=$tmp/initramfs.cpio.gz KIO_MODULES="kio_test rust_edu" \
	KIO_QEMU_DEVICES=$devices KIO_CMDLINE=$cmdline "$KIO_ROOT/scripts/run-qemu.sh" "$log" 2>&1)
qemu_rc=$?
awk '$2 == "kio_test"' "$KIO_ROOT/tests/expected-suites" >"$tmp/suites"
report=$(python3 "$KIO_ROOT/scripts/guest-results.py" "$log" --kunit "$(kio_kunit_py "$kdir")" \
	--expected "$tmp/suites" --qemu-status "$qemu_rc" 2>&1)
console=$(cat "$log" 2>/dev/null)

# expect <ok text> <not-ok text> <pattern>...: every (fixed) pattern in the console.
expect() {
	local ok=$1 bad=$2 p r=0
	shift 2
	for p in "$@"; do
		grep -qF -- "$p" <<<"$console" || r=1
	done
	kio_case $r "$ok" "$bad (console: $log)" "$(grep '^KIO: ' <<<"$console")"
}
expect "00:06.0 reserved for kio_nobody stays unbound" "00:06.0 with driver_override kio_nobody" \
	"KIO: driver_override 0000:00:06.0 0x1234:0x11e8 -> kio_nobody"
probes06=$(grep -cE '^(kio_test|rust_edu) 0000:00:06\.0: ' <<<"$console")
probes0c=$(grep -cE '^rust_edu 0000:00:0c\.0: kio-report: ' <<<"$console")
! grep -q '^KIO: bound 0000:00:06.0 ' <<<"$console" && grep -q '^KIO: pci 0000:00:06.0 ' <<<"$console" &&
	[ "$probes06" = 0 ] && grep -q '^KIO: cycles rust_edu: 2 unbind/bind and 2 rmmod/insmod' <<<"$console" &&
	[ "$probes0c" -ge 4 ]
kio_case $? "no project driver probed 00:06.0 through rust_edu's reloads (00:0c.0: $probes0c probes)" \
	"00:06.0 was probed $probes06 times, bound, or absent despite its override (00:0c.0: $probes0c probes)" \
	"$(grep -E '^KIO: (pci|bound|cycles)|0000:00:06\.0' <<<"$console")"
# run-qemu.sh's own reserved edu, 00:07.0 for rust_edu_mini (not loaded here), is free through
# the reloads as well.
probes07=$(grep -cE '^(kio_test|rust_edu) 0000:00:07\.0: ' <<<"$console")
! grep -q '^KIO: bound 0000:00:07.0 ' <<<"$console" &&
	grep -qF 'KIO: driver_override 0000:00:07.0 0x1234:0x11e8 -> rust_edu_mini' <<<"$console" &&
	[ "$probes07" = 0 ]
kio_case $? "00:07.0 reserved for rust_edu_mini (not loaded) stays unbound through rust_edu's reloads" \
	"00:07.0 of rust_edu_mini was probed $probes07 times, bound, or not reserved" \
	"$(grep -E '^KIO: (pci|bound|driver_override)|0000:00:07\.0' <<<"$console")"
expect "kio_test still binds the project's edu 00:09.0" "kio_test did not bind 00:09.0" \
	"KIO: bound 0000:00:09.0 0x1234:0x11e8 -> kio_test"
expect "control: rust_edu binds the free edu 00:0c.0" "control: rust_edu did not bind the free 00:0c.0" \
	"KIO: bound 0000:00:0c.0 0x1234:0x11e8 -> rust_edu" "KIO: bound 0000:00:0a.0 0x1234:0x11e8 -> rust_edu"
expect "00:0d.0 reserved for rust_edu is bound by rust_edu" "00:0d.0 with driver_override rust_edu" \
	"KIO: driver_override 0000:00:0d.0 0x1234:0x11e8 -> rust_edu" \
	"KIO: bound 0000:00:0d.0 0x1234:0x11e8 -> rust_edu"
# The run's verdict: the kio_test suites passed, and the only failure is the missing device.
fails=$(grep '^FAIL: ' <<<"$report")
[ "$fails" = "FAIL: KIO: FAILED kio.driver_override: no PCI device 0000:00:1f.0" ] &&
	grep -q '^  suite:    kio_edu: [0-9]*/[0-9]* passed' <<<"$report" &&
	grep -qF '  override: edu 0000:00:06.0: only kio_nobody may bind it' <<<"$report"
kio_case $? "kio_test's suites pass; an override of a missing device fails the run" \
	"the run's report: wanted the kio_test suites passed and only the missing device failed:" "$report"
grep -qF "KIO_QEMU_DEVICES: 0000:00:0c.0 ('-device edu,addr=0x0c') may be bound by the project's drivers" <<<"$notes"
kio_case $? "run-qemu.sh says which added device has no override" \
	"run-qemu.sh did not point out 00:0c.0 without an override:" "$notes"

# The control of the override itself: the same edu at 00:06.0 without it is taken by kio_test
# (the first edu of the bus), and the project's own 00:09.0 then goes to rust_edu.
log=$KIO_LOGS/devices-control-console.log
KIO_INITRAMFS=$tmp/initramfs.cpio.gz KIO_QEMU_DEVICES="-device edu,addr=0x06" \
	KIO_CMDLINE="kio.quick=1" "$KIO_ROOT/scripts/run-qemu.sh" "$log" >/dev/null 2>&1
console=$(cat "$log" 2>/dev/null)
expect "control: without the override, kio_test takes 00:06.0" \
	"control: kio_test did not take the free 00:06.0" \
	"KIO: bound 0000:00:06.0 0x1234:0x11e8 -> kio_test" "KIO: bound 0000:00:09.0 0x1234:0x11e8 -> rust_edu"
kio_result
