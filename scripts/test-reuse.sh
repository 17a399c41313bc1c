#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check reuses a host-side layer's passing result only on the same inputs (kio_tree_key
# and kio_reuse of lib.sh; Documentation/kio/pipeline.rst, "Reused results"). This runs both
# on a scratch git tree and a fake layer, and checks that every kind of change to the inputs
# makes the layer run again, that only passing results are kept, and that without a key (not
# a git tree, or KIO_CHECK_FRESH=1) nothing is reused. Prints "RESULT <passed> <failed> 0".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/tree
kdir=$tmp/kernel
mkdir -p "$tree/src" "$kdir"
echo "CONFIG_RUST=y" >"$kdir/.config"
echo "symbols" >"$kdir/Module.symvers"
git -C "$tree" init -q
printf 'build/\n' >"$tree/.gitignore"
echo "fn main() {}" >"$tree/src/a.rs"
git -C "$tree" add -A
git -C "$tree" -c user.name=t -c user.email=t@t commit -qm init
# kio_tree_key hashes $KIO_ROOT: the scratch tree here.
KIO_ROOT=$tree

key() { kio_tree_key "${1:-$kdir}"; }
# differs <what> <key before>: the key now must differ from the one before.
differs() {
	local now
	now=$(key)
	[ -n "$now" ] && [ "$now" != "$2" ]
	kio_case $? "reuse key changes with $1" "reuse key did not change with $1" "before $2, now $now"
}

k0=$(key)
[ -n "$k0" ] && [ "$k0" = "$(key)" ]
kio_case $? "reuse key of an unchanged tree is stable" "reuse key of an unchanged tree changed" "$k0"

echo "fn main() { let _ = 1; }" >"$tree/src/a.rs"
differs "an uncommitted edit of a tracked file" "$k0"
git -C "$tree" checkout -q -- src/a.rs
[ "$(key)" = "$k0" ]
kio_case $? "reuse key is back once the edit is undone" "reuse key did not come back after the edit was undone" ""

echo "new" >"$tree/src/b.rs"
differs "a new untracked file" "$k0"
rm "$tree/src/b.rs"

echo "src/c.rs" >>"$tree/.git/info/exclude"
echo "hidden" >"$tree/src/c.rs"
differs "an untracked file that .git/info/exclude hides (the scripts would still read it)" "$k0"
rm "$tree/src/c.rs"

chmod +x "$tree/src/a.rs"
differs "a file's mode" "$k0"
chmod -x "$tree/src/a.rs"

mkdir -p "$tree/build"
echo "generated" >"$tree/build/out.o"
[ "$(key)" = "$k0" ]
kio_case $? "reuse key ignores ignored files (build/)" "reuse key changed with a file under the ignored build/" ""

git -C "$tree" rm -q src/a.rs
differs "a deleted file" "$k0"
git -C "$tree" reset -q --hard

echo "CONFIG_RUST=y CONFIG_KASAN=y" >"$kdir/.config"
differs "the kernel's .config" "$k0"
echo "CONFIG_RUST=y" >"$kdir/.config"
echo "other symbols" >"$kdir/Module.symvers"
differs "the kernel's Module.symvers" "$k0"
echo "symbols" >"$kdir/Module.symvers"
mkdir -p "$kdir/rust"
echo "crate metadata" >"$kdir/rust/libkernel.rmeta"
k0=$(key)
echo "other crate metadata" >"$kdir/rust/libkernel.rmeta"
differs "the kernel's Rust crate metadata (an API change Module.symvers does not show)" "$k0"
echo "crate metadata" >"$kdir/rust/libkernel.rmeta"
mkdir -p "$tmp/kernel2"
cp "$kdir/.config" "$kdir/Module.symvers" "$tmp/kernel2/"
now=$(key "$tmp/kernel2")
[ "$now" != "$k0" ]
kio_case $? "reuse key changes with another kernel directory" "reuse key is the same for another kernel directory" ""

now=$(PATH="$tmp:$PATH" key)
[ -n "$now" ] && [ "$now" != "$k0" ]
kio_case $? "reuse key changes with PATH" "reuse key did not change with PATH" "$now"
now=$(KIO_SOME_KNOB=1 key)
[ -n "$now" ] && [ "$now" != "$k0" ]
kio_case $? "reuse key changes with a KIO_* variable of the environment" \
	"reuse key did not change with KIO_SOME_KNOB=1 in the environment" "$now"

# The fake layer counts its runs in a file; it fails as many cases as its argument says.
runs=$tmp/runs
layer() {
	echo run >>"$runs"
	echo "ok fake case"
	echo "RESULT 1 ${1:-0} 0"
}
store=$tmp/store
out=$tmp/layer.out
count() { wc -l <"$runs" 2>/dev/null || echo 0; }

kio_reuse "$store" "$k0" "$kdir" "$out" fake layer
kio_reuse "$store" "$k0" "$kdir" "$out" fake layer
[ "$(count)" = 1 ] && grep -q '^  reused: ' "$out" && grep -q '^RESULT 1 0 0$' "$out"
kio_case $? "a passing layer is reused on the same key, with its RESULT and a 'reused:' line" \
	"a passing layer was not reused on the same key (runs: $(count))" "$(cat "$out")"

echo "fn main() { let _ = 2; }" >"$tree/src/a.rs"
k1=$(key)
kio_reuse "$store" "$k1" "$kdir" "$out" fake layer
[ "$(count)" = 2 ] && ! grep -q 'reused:' "$out"
kio_case $? "a layer runs again after an input changed" \
	"a layer was reused after an input changed (runs: $(count))" "$(cat "$out")"

rm -f "$runs"
kio_reuse "$store" "$k1" "$kdir" "$out" failing layer 1
kio_reuse "$store" "$k1" "$kdir" "$out" failing layer 1
[ "$(count)" = 2 ] && [ ! -e "$store/failing.key" ]
kio_case $? "a failing layer is never kept, it runs every time" \
	"a failing layer was kept (runs: $(count))" "$(ls "$store")"

# Failures a RESULT line does not count: a non-zero exit status, no case at all, a "not ok".
exits() { layer; return 1; }
nothing() { echo "RESULT 0 0 0"; }
uncounted() { echo "not ok something"; echo "RESULT 1 0 0"; }
for bad in exits nothing uncounted; do
	kio_reuse "$store" "$k1" "$kdir" "$out" "$bad" "$bad"
	[ ! -e "$store/$bad.key" ]
	kio_case $? "a layer that fails by '$bad' is not kept" "a layer that fails by '$bad' was kept" ""
done

rm -f "$runs"
kio_reuse "$store" "" "$kdir" "$out" nokey layer
kio_reuse "$store" "" "$kdir" "$out" nokey layer
[ "$(count)" = 2 ] && [ ! -e "$store/nokey.key" ]
kio_case $? "without a key (KIO_CHECK_FRESH=1) every layer runs" \
	"a layer was reused without a key (runs: $(count))" ""

# A layer during which the inputs change is not kept under the key of the run's start.
rm -f "$runs"
editing_layer() {
	echo "fn main() { let _ = 3; }" >"$tree/src/a.rs"
	layer
}
k2=$(key)
kio_reuse "$store" "$k2" "$kdir" "$out" edited editing_layer
[ ! -e "$store/edited.key" ]
kio_case $? "a layer whose inputs changed while it ran is not kept" \
	"a layer whose inputs changed while it ran was kept under the old key" ""

# Outside a git work tree there is no key.
KIO_ROOT=$tmp/kernel
[ -z "$(kio_tree_key "$kdir")" ]
kio_case $? "outside a git work tree there is no reuse key" "a reuse key outside a git work tree" ""
kio_result
