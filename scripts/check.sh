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

# Work that needs no guest runs on the second core while TCG keeps one busy with the guests
# (the guest's checks do not depend on the host's load, see pipeline.rst, "Time"): the clippy
# build (into its own directory; incremental after a clean one), the set-up error paths
# (mostly the fragment guard's kernel configuration), the knobs' and the module build's own
# tests, make doc, the compile-fail suite and the host tools' tests. Their results are
# collected after the boots.
(
	env KIO_CLIPPY=1 "$KIO_ROOT/scripts/build-modules.sh" >"$KIO_LOGS/check-clippy.out" 2>&1
	echo $? >"$KIO_LOGS/check-clippy.rc"
	"$KIO_ROOT/scripts/test-setup.sh" >"$KIO_LOGS/test-setup.out" 2>&1
	"$KIO_ROOT/scripts/test-knobs.sh" >"$KIO_LOGS/test-knobs.out" 2>&1
	"$KIO_ROOT/scripts/test-module-build.sh" >"$KIO_LOGS/test-module-build.out" 2>&1
	"$KIO_ROOT/scripts/test-doc.sh" >"$KIO_LOGS/test-doc.out" 2>&1
	"$KIO_ROOT/scripts/test-compile-fail.sh" >"$KIO_LOGS/compile-fail.out" 2>&1
	for manifest in "$KIO_ROOT"/tools/*/Cargo.toml; do
		[ -f "$manifest" ] || continue
		"$KIO_ROOT/scripts/cargo-test.sh" "$manifest" \
			>"$KIO_LOGS/cargo-test-$(basename "$(dirname "$manifest")").out" 2>&1
	done
) &
beside_boot_pid=$!

s=$(date +%s)
echo "== boot QEMU and run the KUnit suites (console: $KIO_LOGS/console.log)"
# A decoy: a process named vgpu-sim that is not this run's, as another run on the same machine
# would have. The checks below must not mistake it for ours.
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
layer "fuzz: nova_lite against a seeded hostile GPU (scripts/fuzz.sh)" "$KIO_ROOT/scripts/fuzz.sh" "${KIO_FUZZ_SEEDS:-32}"
phase boot+tests $(($(date +%s) - s))

# The boots of test-run-status.sh (a KUnit case failing on request) and test-devices.sh
# (devices of a user's own, kept from the project's drivers), one after the other, beside the
# host tests; then test-doctests.sh, whose builds of planted broken doc examples and whose boot
# of the one that fails an assertion take less than the host tests left to do.
(
	"$KIO_ROOT/scripts/test-run-status.sh" boot >"$KIO_LOGS/test-run-boot.out" 2>&1
	"$KIO_ROOT/scripts/test-devices.sh" >"$KIO_LOGS/test-devices.out" 2>&1
	"$KIO_ROOT/scripts/test-doctests.sh" build >"$KIO_LOGS/test-doctests-build.out" 2>&1
	"$KIO_ROOT/scripts/test-doctests.sh" boot >"$KIO_LOGS/test-doctests-boot.out" 2>&1
) &
run_boot_pid=$!

s=$(date +%s)
wait "$beside_boot_pid"
echo "== modules with CLIPPY=1 (zero warnings)"
cat "$KIO_LOGS/check-clippy.out"
if [ "$(cat "$KIO_LOGS/check-clippy.rc")" = 0 ]; then
	total_pass=$((total_pass + 1))
else
	total_fail=$((total_fail + 1))
	echo "FAIL: modules with CLIPPY=1 (zero warnings)"
fi
layer "compile-fail suite" cat "$KIO_LOGS/compile-fail.out"
layer "codegen benchmark (build/bench/codegen.txt)" env KIO_BENCH_NO_BUILD=1 KIO_BENCH_CODEGEN_ONLY=1 KIO_BENCH_UPSTREAM=0 "$KIO_ROOT/scripts/bench.sh"
layer "harness on recorded consoles" "$KIO_ROOT/scripts/test-harness.sh" "$kunit"
layer "set-up error paths" cat "$KIO_LOGS/test-setup.out"
layer "knobs that explain themselves" cat "$KIO_LOGS/test-knobs.out"
layer "module build output (tests/module-build)" cat "$KIO_LOGS/test-module-build.out"
layer "make doc (zero rustdoc warnings)" cat "$KIO_LOGS/test-doc.out"
layer "make run exit status (recorded consoles)" "$KIO_ROOT/scripts/test-run-status.sh" replay
wait "$run_boot_pid"
layer "make run exit status (a failing case)" cat "$KIO_LOGS/test-run-boot.out"
layer "own QEMU devices and kio.driver_override" cat "$KIO_LOGS/test-devices.out"
layer "doc examples: broken ones fail the build (planted)" cat "$KIO_LOGS/test-doctests-build.out"
layer "doc examples: a failing assertion fails the run (planted)" cat "$KIO_LOGS/test-doctests-boot.out"
layer "rustfmt (kernel .rustfmt.toml)" "$KIO_ROOT/scripts/rustfmt.sh" check
layer "documentation excerpts (literalinclude)" "$KIO_ROOT/scripts/test-doc-includes.sh"
for manifest in "$KIO_ROOT"/tools/*/Cargo.toml; do
	[ -f "$manifest" ] || continue
	layer "cargo test $(basename "$(dirname "$manifest")")" \
		cat "$KIO_LOGS/cargo-test-$(basename "$(dirname "$manifest")").out"
done
phase host-tests $(($(date +%s) - s))

finish
