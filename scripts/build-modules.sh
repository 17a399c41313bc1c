#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds our out-of-tree modules against the test kernel (or KDIR) into build/modules; any
# warning fails. KIO_CLIPPY=1 builds with clippy into build/modules-clippy. Both builds are
# incremental once they have passed (see the stamp below).
#
# KIO_MODULES_TREE=<dir> builds another out-of-tree module tree the same way (the tests of this
# script use it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir=$("$KIO_ROOT/scripts/build-kernel.sh")
tree=${KIO_MODULES_TREE:-$KIO_ROOT}
out=$KIO_BUILD/modules${KIO_CLIPPY:+-clippy}
mkdir -p "$KIO_LOGS"
mapfile -t margs < <(kio_make_args)
extra=()
[ -z "${KIO_CLIPPY:-}" ] || extra+=(CLIPPY=1)
# rustc and clippy report only on the crates they compile, and Kbuild compiles only what
# changed. A build is therefore reused only if it ended without a warning (the stamp); after
# warnings, errors or an interrupted build, the next one starts from scratch and reports
# everything again, instead of passing because nothing was compiled.
clean_stamp=$out/.kio-clean
[ -f "$clean_stamp" ] || rm -rf "$out"
rm -f "$clean_stamp"
mkdir -p "$out"
log=$KIO_LOGS/modules${KIO_CLIPPY:+-clippy}.log

set +e
make -C "$kdir" M="$tree" MO="$out" "${margs[@]}" "${extra[@]}" -j"$(nproc)" modules >"$log" 2>&1
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
touch "$clean_stamp"
note "modules built in $out"
