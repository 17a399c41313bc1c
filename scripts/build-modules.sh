#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds our out-of-tree modules against the test kernel (or KDIR) into build/modules.
# KIO_CLIPPY=1 builds with clippy and fails on any warning.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir=$("$KIO_ROOT/scripts/build-kernel.sh")
out=$KIO_BUILD/modules${KIO_CLIPPY:+-clippy}
mkdir -p "$out" "$KIO_LOGS"
mapfile -t margs < <(kio_make_args)
extra=()
if [ -n "${KIO_CLIPPY:-}" ]; then
	extra+=(CLIPPY=1)
	# Clippy only reports on crates it compiles: start from scratch.
	rm -rf "$out"
	mkdir -p "$out"
fi
log=$KIO_LOGS/modules${KIO_CLIPPY:+-clippy}.log
set +e
make -C "$kdir" M="$KIO_ROOT" MO="$out" "${margs[@]}" "${extra[@]}" -j"$(nproc)" modules >"$log" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ]; then
	if grep -qE '^(error|warning|ERROR)' "$log"; then
		grep -E -A12 '^(error|warning|ERROR)' "$log" | head -n 80 >&2
	else
		tail -n 40 "$log" >&2
	fi
	die "module build failed; full log in $log"
fi
if grep -qE '(^|: )(warning|error)(\[[^]]*\])?:' "$log"; then
	grep -E -A12 '(^|: )warning' "$log" | head -n 80 >&2
	die "module build has warnings (the kernel's Rust lints${KIO_CLIPPY:+ and clippy}); full log in $log"
fi
note "modules built in $out"
