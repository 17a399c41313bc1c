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
# The conformance code of make check's kio_conformance suite, renamed the same way, in a
# module of its own (its functions are only compiled here, never run).
sed 's/\bkio::/kernel::/g' "$KIO_ROOT/rust/kio/tests/conformance_io.rs" >"$out/conformance_io.rs"
cat >"$out/kio_conformance73.rs" <<'EOF'
// SPDX-License-Identifier: GPL-2.0
//! Written by scripts/bench-upstream.sh: builds rust/kio/tests/conformance_io.rs against the
//! kernel's own API.
use kernel::prelude::*;
#[allow(dead_code)]
mod conformance_io;
struct Conformance;
impl kernel::Module for Conformance {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Conformance)
    }
}
module! {
    type: Conformance,
    name: "kio_conformance73",
    authors: ["kio developers"],
    description: "kio's conformance code built against the kernel's own API (never loaded)",
    license: "GPL",
}
EOF
cat >"$out/Kbuild" <<'EOF'
# SPDX-License-Identifier: GPL-2.0
# Written by scripts/bench-upstream.sh: kio's codegen pairs and conformance code against the
# kernel's own API.
obj-m += kio_pairs.o kio_conformance73.o
EOF

log=$KIO_LOGS/bench-upstream.log
mapfile -t margs < <(kio_make_args)
if ! make -C "$kdir" M="$out" "${margs[@]}" -j"$(nproc)" modules >"$log" 2>&1; then
	grep -E -A12 '^(error|ERROR)' "$log" | head -n 60 >&2 || tail -n 30 "$log" >&2
	die "kio_pairs.rs or conformance_io.rs does not build against Linux $KIO_KERNEL_VERSION's kernel::io; full log in $log"
fi
if grep -qE '(^|: )warning(\[[^]]*\])?:' "$log"; then
	grep -E -A12 '(^|: )warning' "$log" | head -n 60 >&2
	die "kio_pairs.rs or conformance_io.rs has warnings against Linux $KIO_KERNEL_VERSION (the kernel's Rust lints); full log in $log"
fi
[ -f "$out/kio_pairs.o" ] || die "the Linux $KIO_KERNEL_VERSION build left no $out/kio_pairs.o; see $log"
[ -f "$out/kio_conformance73.o" ] || die "the Linux $KIO_KERNEL_VERSION build left no $out/kio_conformance73.o; see $log"
note "kio_pairs and conformance_io.rs built against Linux $(make -s -C "$kdir" kernelversion) in $out"
echo "$out/kio_pairs.o"
