#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`, upstream side: builds the codegen pairs (rust/kio/bench/kio_pairs.rs, written
# in upstream 7.3's names through the kio path) against Linux 7.3 itself, with every `kio::`
# path renamed to `kernel::`, and prints the object's path on stdout.
#
# The 7.3 source is fetched like 7.2's (scripts/setup.sh; suites KIO_UPSTREAM_SUITES, default
# "sid trixie-backports") and the kernel is built like 7.2's, with the same config fragments,
# cached under its own key (scripts/build-kernel.sh). KIO_UPSTREAM_KDIR=/path uses an own
# Rust-enabled 7.3 build instead. Every failure is one line "kio: error: ...".
set -euo pipefail
export KIO_KERNEL_VERSION=${KIO_UPSTREAM_VERSION:-7.3}
. "$(dirname "$0")/lib.sh"

"$KIO_ROOT/scripts/setup.sh"
kdir=$("$KIO_ROOT/scripts/build-kernel.sh")

src=$KIO_ROOT/rust/kio/bench/kio_pairs.rs
out=$KIO_BUILD/bench/upstream
rm -rf "$out"
mkdir -p "$out" "$KIO_LOGS"
# The path rename a driver author makes to move from kio to the kernel's API; nothing else.
sed 's/\bkio::/kernel::/g' "$src" >"$out/kio_pairs.rs"
cat >"$out/Kbuild" <<'EOF'
# SPDX-License-Identifier: GPL-2.0
# Written by scripts/bench-upstream.sh: kio's codegen pairs against the kernel's own API.
obj-m += kio_pairs.o
EOF

log=$KIO_LOGS/bench-upstream.log
mapfile -t margs < <(kio_make_args)
if ! make -C "$kdir" M="$out" "${margs[@]}" -j"$(nproc)" modules >"$log" 2>&1; then
	grep -E -A12 '^(error|ERROR)' "$log" | head -n 60 >&2 || tail -n 30 "$log" >&2
	die "kio_pairs.rs does not build against Linux $KIO_KERNEL_VERSION's kernel::io; full log in $log"
fi
if grep -qE '(^|: )warning(\[[^]]*\])?:' "$log"; then
	grep -E -A12 '(^|: )warning' "$log" | head -n 60 >&2
	die "kio_pairs.rs has warnings against Linux $KIO_KERNEL_VERSION (the kernel's Rust lints); full log in $log"
fi
[ -f "$out/kio_pairs.o" ] || die "the Linux $KIO_KERNEL_VERSION build left no $out/kio_pairs.o; see $log"
note "kio_pairs built against Linux $(make -s -C "$kdir" kernelversion) in $out"
echo "$out/kio_pairs.o"
