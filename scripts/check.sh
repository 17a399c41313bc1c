#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: set up, build, and run every test layer. Each layer prints
# "RESULT <passed> <failed> <skipped>"; the last line of this script is the total,
# "N passed, N failed[, N skipped]", and the exit status is non-zero on any failure.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

mkdir -p "$KIO_LOGS"
total_pass=0 total_fail=0 total_skip=0
phases=()
t0=$(date +%s)

phase() { # name seconds
	phases+=("$(printf '%-12s %4ss' "$1" "$2")")
}

# layer <name> <command...>: runs a layer, shows its output, adds its RESULT line.
layer() {
	local name=$1 out res p f s
	shift
	echo "== $name"
	out=$("$@" 2>&1)
	res=$(grep '^RESULT ' <<<"$out" | tail -n 1)
	grep -v '^RESULT ' <<<"$out" | grep -E '^(not ok|FAIL|  )' | head -n 60
	if [ -z "$res" ]; then
		echo "FAIL: layer $name gave no result"
		tail -n 20 <<<"$out" | sed 's/^/  | /'
		res="RESULT 0 1 0"
	fi
	read -r _ p f s <<<"$res"
	# A layer that ran no case, or printed a failed one its count missed, has failed.
	if [ "$p" = 0 ] && [ "$f" = 0 ] && [ "$s" = 0 ]; then
		echo "FAIL: layer $name ran no case"
		f=1
	elif [ "$f" = 0 ] && grep -q '^not ok' <<<"$out"; then
		echo "FAIL: layer $name printed 'not ok' lines but counted no failure"
		f=$(grep -c '^not ok' <<<"$out")
	fi
	echo "   $name: $p passed, $f failed$([ "$s" = 0 ] || echo ", $s skipped")"
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f)) total_skip=$((total_skip + s))
}

# step <name> <command...>: a build step that must succeed; counts as one case.
step() {
	local name=$1
	shift
	echo "== $name"
	if "$@"; then
		total_pass=$((total_pass + 1))
	else
		total_fail=$((total_fail + 1))
		echo "FAIL: $name"
		return 1
	fi
}

finish() {
	echo "== phase times"
	printf '   %s\n' "${phases[@]}" "$(printf '%-12s %4ss' total $(($(date +%s) - t0)))"
	local line="$total_pass passed, $total_fail failed"
	[ "$total_skip" -eq 0 ] || line+=", $total_skip skipped"
	echo "$line"
	[ "$total_fail" -eq 0 ]
	exit $?
}

s=$(date +%s)
if ! "$KIO_ROOT/scripts/setup.sh"; then
	total_fail=$((total_fail + 1))
	finish
fi
phase install $(($(date +%s) - s))

s=$(date +%s)
kdir=$("$KIO_ROOT/scripts/build-kernel.sh") || { total_fail=$((total_fail + 1)); finish; }
phase kernel $(($(date +%s) - s))
kunit=$(kio_kunit_py "$kdir")

s=$(date +%s)
step "modules (kernel Rust lints, zero warnings)" "$KIO_ROOT/scripts/build-modules.sh" || finish
phase modules $(($(date +%s) - s))

s=$(date +%s)
step initramfs "$KIO_ROOT/scripts/build-initramfs.sh" || finish
phase initramfs $(($(date +%s) - s))

# Three jobs run at once from here, on the machine's two cores (a guest's checks do not
# depend on the host's load, see pipeline.rst, "Time"):
#   - this script: the main boot, its verdict, the checks that read its console, then the
#     boots of devices of a user's own;
#   - the second boot lane: the fuzz boot;
#   - the host lane: the clippy build, then the host-side layers whose results may be reused
#     (see reuse below), the boots of a planted failing doc example and of make run with a
#     failing case, and the quick host checks.
# Every boot has its own initramfs, console, simulator and shared-memory files. The layers'
# outputs are collected at the end, in a fixed order. (All at the same priority: lanes at
# nice 10 saved about 5 s on an idle machine but starved behind other processes on a busy one.)
"$KIO_ROOT/scripts/build-tools.sh" >/dev/null || { total_fail=$((total_fail + 1)); finish; }

# The host-side layers whose results may be reused (kio_reuse in lib.sh): a layer that passed
# before on exactly the same inputs is not run again. KIO_CHECK_FRESH=1 runs every layer.
tree_key=
[ "${KIO_CHECK_FRESH:-0}" != 0 ] || tree_key=$(kio_tree_key "$kdir")
# The lanes' outputs of an earlier run must not stand in for one a lane did not write.
rm -f "$KIO_LOGS"/*.out "$KIO_LOGS/check-clippy.rc"
reuse() {
	kio_reuse "$KIO_BUILD/check-reuse" "$tree_key" "$kdir" "$KIO_LOGS/$1.out" "$@"
}

(
	env KIO_CLIPPY=1 "$KIO_ROOT/scripts/build-modules.sh" >"$KIO_LOGS/check-clippy.out" 2>&1
	echo $? >"$KIO_LOGS/check-clippy.rc"
	reuse test-setup "$KIO_ROOT/scripts/test-setup.sh"
	reuse test-knobs "$KIO_ROOT/scripts/test-knobs.sh"
	reuse test-module-build "$KIO_ROOT/scripts/test-module-build.sh"
	reuse test-doc "$KIO_ROOT/scripts/test-doc.sh"
	reuse compile-fail "$KIO_ROOT/scripts/test-compile-fail.sh"
	for manifest in "$KIO_ROOT"/tools/*/Cargo.toml; do
		[ -f "$manifest" ] || continue
		reuse "cargo-test-$(basename "$(dirname "$manifest")")" "$KIO_ROOT/scripts/cargo-test.sh" "$manifest"
	done
	reuse test-doctests-build "$KIO_ROOT/scripts/test-doctests.sh" build
	"$KIO_ROOT/scripts/test-doctests.sh" boot >"$KIO_LOGS/test-doctests-boot.out" 2>&1
	"$KIO_ROOT/scripts/test-run-status.sh" boot >"$KIO_LOGS/test-run-boot.out" 2>&1
	env KIO_BENCH_NO_BUILD=1 KIO_BENCH_CODEGEN_ONLY=1 KIO_BENCH_UPSTREAM=0 "$KIO_ROOT/scripts/bench.sh" \
		>"$KIO_LOGS/check-bench.out" 2>&1
	"$KIO_ROOT/scripts/test-harness.sh" "$kunit" >"$KIO_LOGS/test-harness.out" 2>&1
	"$KIO_ROOT/scripts/test-reuse.sh" >"$KIO_LOGS/test-reuse.out" 2>&1
	"$KIO_ROOT/scripts/rustfmt.sh" check >"$KIO_LOGS/check-rustfmt.out" 2>&1
	"$KIO_ROOT/scripts/test-doc-includes.sh" >"$KIO_LOGS/test-doc-includes.out" 2>&1
) &
host_lane_pid=$!

(
	"$KIO_ROOT/scripts/fuzz.sh" "${KIO_FUZZ_SEEDS:-32}" >"$KIO_LOGS/check-fuzz.out" 2>&1
) &
boot_lane_pid=$!

s=$(date +%s)
echo "== boot QEMU and run the KUnit suites (console: $KIO_LOGS/console.log)"
# A decoy: a process named vgpu-sim that is not this run's, as another run on the same machine
# would have (the fuzz boot of the second lane has a real one). The checks below must not
# mistake either for ours.
decoy_pid=
stop_decoy() {
	[ -z "$decoy_pid" ] || { kill "$decoy_pid" 2>/dev/null; wait "$decoy_pid" 2>/dev/null; }
	decoy_pid=
}
mkdir -p "$KIO_BUILD/decoy"
cp "$(command -v sleep)" "$KIO_BUILD/decoy/vgpu-sim"
"$KIO_BUILD/decoy/vgpu-sim" 600 &
decoy_pid=$!
rm -f "$KIO_LOGS/console.run"
"$KIO_ROOT/scripts/run-qemu.sh" "$KIO_LOGS/console.log"
qemu_rc=$?
controls=()
! kio_controls_on || controls=(--controls "$KIO_ROOT/tests/controls")
layer "guest KUnit suites$([ ${#controls[@]} = 0 ] || echo ' and positive controls')" \
	python3 "$KIO_ROOT/scripts/guest-results.py" "$KIO_LOGS/console.log" \
	--kunit "$kunit" --expected "$KIO_ROOT/tests/expected-suites" --lines "$KIO_ROOT/tests/expected-lines" \
	"${controls[@]}" --qemu-status "$qemu_rc" --quiet
# The simulator must not outlive its QEMU run, nor may the run's shared-memory files. Only
# this run's own are looked at (recorded by run-qemu.sh): another run on the same machine, or
# the decoy started above, has its own simulator and files.
run_state=$KIO_LOGS/console.run
sim_pid= sim_bar= shm_files=
[ -f "$run_state" ] && . "$run_state"
left=()
if [ -z "$sim_pid" ]; then
	left+=("no record of this run's simulator ($run_state)")
elif [ -r "/proc/$sim_pid/cmdline" ] && tr '\0' ' ' <"/proc/$sim_pid/cmdline" | grep -qF -- "$sim_bar"; then
	left+=("this run's vgpu-sim (PID $sim_pid) outlived the QEMU run")
fi
for f in $shm_files; do
	[ ! -e "$f" ] || left+=("this run's shared-memory file $f was not removed")
done
if [ ${#left[@]} -eq 0 ]; then
	total_pass=$((total_pass + 1))
else
	printf 'FAIL: %s\n' "${left[@]}"
	total_fail=$((total_fail + 1))
fi
stop_decoy
# make run's verdict on the recorded consoles and on this run's console (which must pass it).
layer "make run exit status (recorded consoles)" "$KIO_ROOT/scripts/test-run-status.sh" replay
# Then the boots of devices of a user's own.
"$KIO_ROOT/scripts/test-devices.sh" >"$KIO_LOGS/test-devices.out" 2>&1
phase main-lane $(($(date +%s) - s))

s=$(date +%s)
wait "$boot_lane_pid"
phase boot-lane-2 "(+$(($(date +%s) - s)))"
s=$(date +%s)
wait "$host_lane_pid"
phase host-lane "(+$(($(date +%s) - s)))"
layer "fuzz: nova_lite against a seeded hostile GPU (scripts/fuzz.sh)" cat "$KIO_LOGS/check-fuzz.out"
layer "make run exit status (a failing case)" cat "$KIO_LOGS/test-run-boot.out"
layer "own QEMU devices and kio.driver_override" cat "$KIO_LOGS/test-devices.out"
echo "== modules with CLIPPY=1 (zero warnings)"
cat "$KIO_LOGS/check-clippy.out"
if [ "$(cat "$KIO_LOGS/check-clippy.rc")" = 0 ]; then
	total_pass=$((total_pass + 1))
else
	total_fail=$((total_fail + 1))
	echo "FAIL: modules with CLIPPY=1 (zero warnings)"
fi
layer "compile-fail suite" cat "$KIO_LOGS/compile-fail.out"
layer "codegen benchmark (build/bench/codegen.txt)" cat "$KIO_LOGS/check-bench.out"
layer "harness on recorded consoles" cat "$KIO_LOGS/test-harness.out"
layer "reused results: only on the same inputs" cat "$KIO_LOGS/test-reuse.out"
layer "set-up error paths" cat "$KIO_LOGS/test-setup.out"
layer "knobs that explain themselves" cat "$KIO_LOGS/test-knobs.out"
layer "module build output (tests/module-build)" cat "$KIO_LOGS/test-module-build.out"
layer "make doc (zero rustdoc warnings)" cat "$KIO_LOGS/test-doc.out"
layer "doc examples: broken ones fail the build (planted)" cat "$KIO_LOGS/test-doctests-build.out"
layer "doc examples: a failing assertion fails the run (planted)" cat "$KIO_LOGS/test-doctests-boot.out"
layer "rustfmt (kernel .rustfmt.toml)" cat "$KIO_LOGS/check-rustfmt.out"
layer "documentation excerpts (literalinclude)" cat "$KIO_LOGS/test-doc-includes.out"
for manifest in "$KIO_ROOT"/tools/*/Cargo.toml; do
	[ -f "$manifest" ] || continue
	layer "cargo test $(basename "$(dirname "$manifest")")" \
		cat "$KIO_LOGS/cargo-test-$(basename "$(dirname "$manifest")").out"
done
finish
