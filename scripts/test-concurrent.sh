#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Two `make check` runs from two clones of this repository, at the same time on this machine,
# must both pass: no check may look at another run's processes or files. The clones are of
# HEAD (commit first), in a temporary directory, sharing KIO_CACHE (and so the kernels).
# Each clone's output is in <tmp>/<clone>.log; the last line is "both passed" or says which
# did not.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d /tmp/kio-concurrent.XXXXXX)
pids=()
for c in a b; do
	git clone -q "$KIO_ROOT" "$tmp/$c" || die "git clone into $tmp/$c failed"
	(cd "$tmp/$c" && make check >"$tmp/$c.log" 2>&1) &
	pids+=($!)
done
failed=()
for i in 0 1; do
	c=$([ $i = 0 ] && echo a || echo b)
	wait "${pids[$i]}" || failed+=("$c")
	echo "clone $c: $(tail -n 1 "$tmp/$c.log")"
	grep -E '^(FAIL|not ok)' "$tmp/$c.log" | head -n 10 | sed 's/^/  | /'
done
if [ ${#failed[@]} -eq 0 ]; then
	echo "both passed"
	rm -rf "$tmp"
else
	echo "failed: ${failed[*]} (logs in $tmp)"
	exit 1
fi
