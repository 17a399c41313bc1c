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
