#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# rustfmt with the kernel's .rustfmt.toml over our Rust sources (not tools/, which is cargo's).
#   rustfmt.sh check   list unformatted files, fail if any ("RESULT <passed> <failed> 0")
#   rustfmt.sh fix     format in place
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-check}
src=$(kio_src_tree)
[ -n "$src" ] || src=${KDIR:-}
cfg=$src/.rustfmt.toml
[ -f "$cfg" ] || cfg=$(readlink -f "$src/source" 2>/dev/null)/.rustfmt.toml
[ -f "$cfg" ] || die "no .rustfmt.toml in the kernel tree ($src)"
mapfile -t files < <(cd "$KIO_ROOT" && git ls-files -co --exclude-standard '*.rs' | grep -v '^tools/' | grep -v '^tests/compile-fail/' || true)
fmt=("$KIO_RUSTFMT" --config-path "$cfg" --edition 2021 --color never)
if [ "$mode" = fix ]; then
	(cd "$KIO_ROOT" && "${fmt[@]}" "${files[@]}")
	exit 0
fi
# rustfmt follows `mod` items, so list the files with a diff once, then judge each file.
bad=$(cd "$KIO_ROOT" && "${fmt[@]}" --check -l "${files[@]}" 2>&1 | grep '\.rs$' | sed "s|^$KIO_ROOT/||" | sort -u || true)
pass=0 fail=0
for f in "${files[@]}"; do
	if grep -qxF -- "$f" <<<"$bad"; then
		fail=$((fail + 1))
		echo "not ok rustfmt $f (run 'make fmt')"
	else
		pass=$((pass + 1))
	fi
done
echo "RESULT $pass $fail 0"
