#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Feeds recorded consoles (tests/harness/) to guest-results.py and checks that each is judged
# as tests/harness/expectations says. Prints "RESULT <passed> <failed> 0".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kunit=${1:?usage: test-harness.sh path/to/kunit.py}
dir=$KIO_ROOT/tests/harness
pass=0 fail=0
while read -r log qemu want text; do
	case "$log" in '' | '#'*) continue ;; esac
	out=$(python3 "$KIO_ROOT/scripts/guest-results.py" "$dir/$log" --kunit "$kunit" \
		--expected "$KIO_ROOT/tests/expected-suites" --qemu-status "$qemu" --quiet)
	got=$?
	if [ "$got" = "$want" ] && grep -qF -- "$text" <<<"$out"; then
		pass=$((pass + 1))
		echo "ok harness $log (qemu $qemu): $text"
	else
		fail=$((fail + 1))
		echo "not ok harness $log (qemu $qemu): wanted exit $want and '$text', got exit $got:"
		sed 's/^/  | /' <<<"$out"
	fi
done <"$dir/expectations"
echo "RESULT $pass $fail 0"
