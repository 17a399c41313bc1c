#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: the codegen proof (instruction counts of kio vs hand-written functions, from
# the disassembly of kio_bench), and the codegen pairs of kio_pairs side by side: kio on 7.2,
# the kernel's own API on 7.3 (scripts/bench-upstream.sh), hand-written. The tables go to
# build/bench/codegen.txt.
#   KIO_BENCH_UPSTREAM=0      leave the 7.3 side out (make check does: it needs no 7.3 kernel)
#   KIO_BENCH_NO_BUILD=1      use the modules already built
#   KIO_BENCH_CODEGEN_ONLY=1  no guest run
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -n "${KIO_BENCH_NO_BUILD:-}" ] || "$KIO_ROOT/scripts/build-modules.sh"
mkdir -p "$KIO_BUILD/bench"
pairs=()
# kio's side of the pairs: there when this build of the modules has it (modules.order is
# written anew by every build, so an object left over from an earlier build does not count).
if grep -qx 'kio_pairs.o' "$KIO_BUILD/modules/modules.order" 2>/dev/null; then
	pairs+=(--pairs-kio "$KIO_BUILD/modules/rust/kio/bench/kio_pairs.o")
fi
if [ "${KIO_BENCH_UPSTREAM:-1}" != 0 ]; then
	up=$("$KIO_ROOT/scripts/bench-upstream.sh")
	pairs+=(--pairs-upstream "$up")
fi
python3 "$KIO_ROOT/scripts/bench-codegen.py" "$KIO_BUILD/modules/rust/kio/bench/kio_bench.o" \
	"${pairs[@]}" --objdump "llvm-objdump$KIO_LLVM_SUFFIX" --out "$KIO_BUILD/bench/codegen.txt" "$@"

# Run-time part: boot with only rust_edu and nova_lite, which time their copies, DMA and RPCs
# at probe.
[ -n "${KIO_BENCH_CODEGEN_ONLY:-}" ] && exit 0
KIO_MODULES="rust_edu nova_lite" "$KIO_ROOT/scripts/build-initramfs.sh"
log=$KIO_LOGS/bench-console.log
loops=${KIO_BENCH_LOOPS:-200}
KIO_CMDLINE="kio.quick=1 rust_edu.bench_loops=$loops nova_lite.bench_rpcs=$((loops * 5))" \
	"$KIO_ROOT/scripts/run-qemu.sh" "$log" || die "the benchmark guest failed (see $log)"
echo
python3 "$KIO_ROOT/scripts/bench-runtime.py" "$log" "$KIO_BUILD/bench/runtime.txt"
