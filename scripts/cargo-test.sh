#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs `cargo test` for one host tool (tools/<name>/Cargo.toml) and turns libtest's summary
# lines into "RESULT <passed> <failed> <ignored>".
set -uo pipefail
manifest=${1:?usage: cargo-test.sh tools/<name>/Cargo.toml}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/build/cargo} cargo test --quiet --locked --manifest-path "$manifest" 2>&1)
rc=$?
echo "$out" | grep -E '^(test .* FAILED|failures:|---- )' | sed 's/^/  /'
read -r p f i < <(echo "$out" | sed -n 's/^test result: .*\. \([0-9]*\) passed; \([0-9]*\) failed; \([0-9]*\) ignored.*/\1 \2 \3/p' |
	awk '{ p += $1; f += $2; i += $3 } END { print p + 0, f + 0, i + 0 }')
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
	echo "FAIL: cargo test did not build or run ($manifest)"
	echo "$out" | tail -n 20 | sed 's/^/  | /'
	f=1
fi
echo "RESULT $p $f $i"
