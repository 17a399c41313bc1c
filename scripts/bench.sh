#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: the codegen proof (instruction counts of kio vs hand-written functions, from
# the disassembly of kio_bench). The table goes to build/bench/codegen.txt.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -n "${KIO_BENCH_NO_BUILD:-}" ] || "$KIO_ROOT/scripts/build-modules.sh"
mkdir -p "$KIO_BUILD/bench"
python3 "$KIO_ROOT/scripts/bench-codegen.py" "$KIO_BUILD/modules/rust/kio/bench/kio_bench.o" \
	--objdump "llvm-objdump$KIO_LLVM_SUFFIX" --out "$KIO_BUILD/bench/codegen.txt" "$@"

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
