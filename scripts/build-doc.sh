#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make doc`: rustdoc HTML of the kio crate in build/doc/kio/index.html, built against the
# test kernel (or KDIR) with the kernel's own rustdoc flags (scripts/Kbuild.doc). Any rustdoc
# warning (a broken intra-doc link, say) fails it: the first is shown in full, every other one
# as a line with its location, then the log's path.
# KIO_DOC_CRATE=<crate root .rs> documents another crate (the tests of this script use it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir=$("$KIO_ROOT/scripts/build-kernel.sh")
crate=$(readlink -f "${KIO_DOC_CRATE:-$KIO_ROOT/rust/kio/kio.rs}")
[ -f "$crate" ] || die "no crate root at ${KIO_DOC_CRATE:-$KIO_ROOT/rust/kio/kio.rs}"
name=$(basename "$crate" .rs)
doc=$KIO_BUILD/doc
tree=$KIO_BUILD/doc-tree
log=$KIO_LOGS/doc.log
mkdir -p "$tree" "$doc" "$KIO_LOGS"
ln -sfn "$KIO_ROOT/scripts/Kbuild.doc" "$tree/Kbuild"
rm -rf "${doc:?}/$name"
mapfile -t margs < <(kio_make_args)
set +e
make -C "$kdir" M="$tree" MO="$tree/out" "${margs[@]}" KIO_DOC_CRATE="$crate" \
	KIO_DOC_OUT="$doc" rustdoc.o >"$log" 2>&1
rc=$?
set -e
warnings=$(grep -E '^warning(\[[A-Za-z0-9]+\])?: ' "$log" | grep -vcE '^warning: [0-9]+ warnings? emitted' || true)
if [ $rc -ne 0 ]; then
	shown=$(kio_diagnostics "$log" error)
	[ -n "$shown" ] && echo "$shown" >&2 || tail -n 30 "$log" >&2
	die "make doc: rustdoc failed for $name; full log in $log"
fi
if [ "$warnings" -gt 0 ]; then
	kio_diagnostics "$log" warning >&2
	die "make doc: $warnings rustdoc warning$([ "$warnings" = 1 ] || echo s) in $name (zero allowed); full log in $log"
fi
[ -f "$doc/$name/index.html" ] || die "make doc: rustdoc wrote no $doc/$name/index.html; see $log"
note "documentation of $name: $doc/$name/index.html"
