#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Feeds recorded consoles (tests/harness/) to guest-results.py and checks that each is judged
# as tests/harness/expectations says; debug-*.log are judged with the positive controls of
# tests/controls. Prints "RESULT <passed> <failed> 0".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kunit=${1:?usage: test-harness.sh path/to/kunit.py}
dir=$KIO_ROOT/tests/harness
while read -r log qemu want text; do
	case "$log" in '' | '#'*) continue ;; esac
	# Consoles of debug runs (debug-*.log) are judged with their positive controls.
	controls=()
	[[ "$log" != debug-* ]] || controls=(--controls "$KIO_ROOT/tests/controls")
	out=$(python3 "$KIO_ROOT/scripts/guest-results.py" "$dir/$log" --kunit "$kunit" \
		--expected "$dir/expected-suites" "${controls[@]}" --qemu-status "$qemu" --quiet)
	got=$?
	[ "$got" = "$want" ] && grep -qF -- "$text" <<<"$out"
	kio_case $? "harness $log (qemu $qemu): $text" \
		"harness $log (qemu $qemu): wanted exit $want and '$text', got exit $got:" "$out"
done <"$dir/expectations"
kio_result
