#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make doc` (scripts/build-doc.sh): the kio crate's rustdoc HTML with zero warnings; a crate
# with a broken intra-doc link and an open backtick (tests/doc/doc_broken.rs) must fail it,
# both named with their lines; a clean crate whose links reach its own items and the kernel
# crate (tests/doc/doc_clean.rs) must pass, with the links in its HTML.
# Prints "RESULT <passed> <failed> 0".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fixtures=$KIO_ROOT/tests/doc

out=$(KIO_BUILD=$tmp KIO_DOC_CRATE=$fixtures/doc_broken.rs "$KIO_ROOT/scripts/build-doc.sh" 2>&1)
rc=$?
link=$(grep -n 'broken: link' "$fixtures/doc_broken.rs" | cut -d: -f1)
tick=$(grep -n 'broken: backtick' "$fixtures/doc_broken.rs" | cut -d: -f1)
[ $rc -ne 0 ] && grep -qF 'warning: unresolved link to `NoSuchRegister`' <<<"$out" &&
	grep -qF -- "--> $fixtures/doc_broken.rs:$link:" <<<"$out" &&
	grep -qF "  warning: unescaped backtick  ($fixtures/doc_broken.rs:$tick:" <<<"$out" &&
	grep -qF "kio: error: make doc: 2 rustdoc warnings in doc_broken (zero allowed); full log in $tmp/logs/doc.log" <<<"$out"
kio_case $? "make doc refuses a broken link (line $link) and an open backtick (line $tick)" \
	"make doc on doc_broken.rs: wanted both warnings with their lines and a failure, got $rc:" "$out"

out=$(KIO_BUILD=$tmp KIO_DOC_CRATE=$fixtures/doc_clean.rs "$KIO_ROOT/scripts/build-doc.sh" 2>&1)
rc=$?
html=$tmp/doc/doc_clean
[ $rc = 0 ] && grep -qF 'href="fn.set_control.html"' "$html/fn.status.html" &&
	grep -qF 'kernel::error::Error' "$html/fn.set_control.html"
kio_case $? "make doc builds a clean crate: its own link in the HTML, the kernel crate's item resolved" \
	"make doc on doc_clean.rs: wanted status 0 and the resolved links in its HTML, got $rc:" "$out"

out=$("$KIO_ROOT/scripts/build-doc.sh" 2>&1)
rc=$?
[ $rc = 0 ] && [ -f "$KIO_BUILD/doc/kio/index.html" ] && [ -f "$KIO_BUILD/doc/kio/io/index.html" ]
kio_case $? "make doc: kio's rustdoc HTML, zero warnings ($KIO_BUILD/doc/kio/index.html)" \
	"make doc on the kio crate failed ($rc):" "$out"
kio_result
