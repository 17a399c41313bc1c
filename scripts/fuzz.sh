#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The fuzz layer of `make check` and `make fuzz SEEDS=N [FUZZ_BASE=B]`: boots a guest with
# only nova_lite, then for each seed B..B+N-1 makes the simulator a seeded hostile GSP
# (tools/vgpu-sim fuzz mode) and binds nova_lite once. Every attempt must bind with verified
# RPCs or be refused with an errno and a cause; no kernel report, no hang, and a clean bind
# and rmmod after the fuzzer stops. Prints a per-attempt table (seed, actions, result) and
# "RESULT <passed> <failed> <skipped>". Seeds are reproducible: rerun one with
# `make fuzz SEEDS=1 FUZZ_BASE=<seed>`; the simulator's actions are in
# build/logs/fuzz-console-vgpu-sim.log.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

seeds=${1:-${SEEDS:-12}}
base=${FUZZ_BASE:-1}
[[ "$seeds" =~ ^[1-9][0-9]*$ && "$base" =~ ^[1-9][0-9]*$ ]] ||
	die "SEEDS and FUZZ_BASE must be positive numbers (got '$seeds', '$base')"
kdir=$("$KIO_ROOT/scripts/build-kernel.sh") || exit 1
[ -f "$KIO_BUILD/modules/nova_lite.ko" ] || die "no nova_lite.ko in $KIO_BUILD/modules; run make modules"
# Its own initramfs (only nova_lite), not the one of make run: a fuzz run may boot beside others.
image=$KIO_BUILD/fuzz/initramfs.cpio.gz
mkdir -p "$(dirname "$image")"
KIO_INITRAMFS=$image KIO_MODULES=nova_lite "$KIO_ROOT/scripts/build-initramfs.sh" 2>/dev/null ||
	die "building the fuzz initramfs failed"
log=$KIO_LOGS/fuzz-console.log
simlog=$KIO_LOGS/fuzz-console-vgpu-sim.log
# An attempt takes at most a few seconds (two 2 s timeouts); the boot about 15. The timeout
# only detects a hung guest: a debug kernel (KASAN) on a host whose cores are busy runs
# several times slower, so it is at least run-qemu.sh's own 600 s.
timeout=$((60 + 6 * seeds))
[ "$timeout" -ge 600 ] || timeout=600
KIO_INITRAMFS=$image KIO_CMDLINE="${KIO_CMDLINE:-} kio.quick=1 kio.fuzz=$seeds kio.fuzz_base=$base" \
	KIO_QEMU_TIMEOUT=$timeout "$KIO_ROOT/scripts/run-qemu.sh" "$log"
rc=$?

lines=$(mktemp)
suites=$(mktemp)
trap 'rm -f "$lines" "$suites"' EXIT
printf '%s\n' "$seeds KIO: fuzz seed " "1 KIO: fuzz done: nova_lite bound again" \
	"1 KIO: unloaded nova_lite" >"$lines"
echo nova_lite_cmdq >"$suites"
out=$(python3 "$KIO_ROOT/scripts/guest-results.py" "$log" --kunit "$(kio_kunit_py "$kdir")" \
	--expected "$suites" --lines "$lines" --qemu-status "$rc" --quiet)

# The per-attempt table: seed, simulator actions, result.
printf '   %-6s %-7s %s\n' seed actions "result (console: $log, actions: $simlog)"
grep -E 'KIO: (FAILED )?fuzz seed [0-9]+:' "$log" | sed 's/^.*fuzz seed \([0-9]*\): /\1 /' |
	while read -r seed result; do
		n=$(grep -c "fuzz seed $seed action " "$simlog")
		printf '   %-6s %-7s %s\n' "$seed" "$n" "$result"
	done
echo "$out"
