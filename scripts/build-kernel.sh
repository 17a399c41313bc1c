#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the test kernel out of tree, once per (kernel version, config
# fragments, toolchain) key, and prints the build directory on stdout.
# A user-supplied KDIR is validated and printed instead.
# KIO_KERNEL_VERSION=7.3 builds upstream 7.3 the same way, with the same fragments, for the
# upstream side of `make bench` (its own build is KIO_UPSTREAM_KDIR; see lib.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kv=$KIO_KERNEL_VERSION
if [ -n "${KDIR:-}" ]; then
	k="$KIO_KDIR_KNOB=$KDIR"
	[ -f "$KDIR/.config" ] || die "$k is not a configured kernel build (no .config)"
	grep -q '^CONFIG_RUST=y' "$KDIR/.config" || die "$k is not Rust-enabled (CONFIG_RUST is not set)"
	ver=$(make -s -C "$KDIR" kernelversion 2>/dev/null || true)
	case "$ver" in
	"$kv" | "$kv".*) ;;
	*) die "$k is Linux '${ver:-unknown}', kio needs a Rust-enabled $kv build" ;;
	esac
	[ -f "$KDIR/Module.symvers" ] || die "$k has no Module.symvers: build the kernel first"
	echo "$KDIR"
	exit 0
fi

src=$(kio_src_tree)
[ -n "$src" ] || die "no Linux $kv source under $KIO_SRC_DIR; run scripts/setup.sh or pass $KIO_KDIR_KNOB=/path/to/$kv/build"
out=$(kio_kernel_dir)
mapfile -t margs < <(kio_make_args)

# One build of a given kernel at a time: a second caller waits for the first to finish.
mkdir -p "$out"
exec 9>"$out.lock"
flock 9

if [ -f "$out/.kio-done" ]; then
	note "kernel cached: $out"
	echo "$out"
	exit 0
fi

mkdir -p "$out" "$KIO_LOGS"
log=$KIO_LOGS/kernel-build$KIO_KERNEL_TAG.log
frags=("$KIO_ROOT/configs/kio.config")
[ -z "${KIO_DEBUG:-}" ] || frags+=("$KIO_ROOT/configs/debug.config")
[ -z "${KIO_EXTRA_CONFIG:-}" ] || frags+=("$KIO_EXTRA_CONFIG")
note "building the Linux $kv test kernel in $out (log: $log)"
{
	make -C "$src" O="$out" "${margs[@]}" rustavailable
	make -C "$src" O="$out" "${margs[@]}" tinyconfig
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m .config "${frags[@]}")
	make -C "$src" O="$out" "${margs[@]}" olddefconfig
} >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "kernel configuration failed; full log in $log"; }

# Every line of the fragments must have survived olddefconfig (an option whose dependencies
# are not met is dropped silently): stop before building, naming every lost option.
lost=$(kio_lost_options "$out/.config" "${frags[@]}")
if [ -n "$lost" ]; then
	echo "kio: config options lost by olddefconfig: $lost" >>"$log"
	die "kernel config lost fragment options (unmet dependencies?): $lost"
fi

# A cold build takes minutes: say every 30 s how far it is (kio_progress).
make -C "$src" O="$out" "${margs[@]}" -j"$(nproc)" all >>"$log" 2>&1 &
build_pid=$!
kio_progress "$build_pid" "$log" "kernel build"
wait "$build_pid" || { tail -n 30 "$log" >&2; die "kernel build failed; full log in $log"; }
note "kernel built in $out"
touch "$out/.kio-done"
echo "$out"
