#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# What scripts/build-modules.sh says and does, on the module trees of tests/module-build/
# (see its README), each built against the test kernel into a scratch build directory:
# the first error in full with its notes, the others listed, the log's path; the source line
# of every failed build-time check behind modpost's "rust_build_error"; warnings that fail
# every build, also an unchanged one; an unchanged clean clippy build that compiles nothing.
# Then KIO_ONLY on the project's own tree: one module built alone, and an unknown name refused.
# Prints "RESULT <passed> <failed> 0".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$KIO_ROOT/scripts/build-kernel.sh" >/dev/null || { echo "RESULT 0 1 0"; exit 1; }
trees=$KIO_ROOT/tests/module-build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# build <tree> [KIO_CLIPPY value]: builds the tree into $tmp/<tree>; sets out and rc.
build() {
	out=$(KIO_BUILD=$tmp/$1 KIO_MODULES_TREE=$trees/$1 KIO_CLIPPY=${2:-} \
		"$KIO_ROOT/scripts/build-modules.sh" 2>&1)
	rc=$?
}
# line <file> <marker>: the number of the line of <file> that holds "// <marker>".
line() {
	grep -n -- "// $2" "$trees/$1" | cut -d: -f1
}
# has <text>...: does $out hold every text?
has() {
	local t
	for t in "$@"; do
		grep -qF -- "$t" <<<"$out" || return 1
	done
}

# --- The first error in full: E0277 with its "required because" and "required by a bound"
# notes (over 20 lines), then the second error as one line with its location, and the log.
build type-error
src=$trees/type-error/te_bound.rs
[ $rc -ne 0 ] && has "error[E0277]: \`*const u8\` cannot be sent between threads safely" \
	"required by a bound introduced by this call" \
	"note: required because it appears within the type \`Holder\`" \
	"note: required by a bound in \`needs_send\`" \
	"   |                  ^^^^ required by this bound in \`needs_send\`" \
	"1 more error(s) and warning(s):" \
	"  error[E0308]: mismatched types  ($src:$(grep -n '"not a number"' "$src" | cut -d: -f1):5)" \
	"kio: error: module build failed; full log in $tmp/type-error/logs/modules.log"
kio_case $? "a failed build shows its first error in full, then the others and the log" \
	"a failed build: wanted E0277 with all its notes, E0308 listed and the log's path, got $rc:" "$out"

# --- rust_build_error: both modules refused by modpost; each failed check named by file and
# line, the inlined assertion with the call that gave it the constant.
build build-error
i=$(line build-error/be_index.rs check:)
a=$(line build-error/be_assert.rs check:)
c=$(line build-error/be_assert.rs call:)
[ $rc -ne 0 ] && has 'ERROR: modpost: "rust_build_error" [be_index.ko] undefined!' \
	"be_index.ko: a build-time check failed at be_index.rs:$i:" "in be_index::ninth" \
	"rust/kernel/ptr/projection.rs:" \
	"be_assert.ko: a build-time check failed at be_assert.rs:$a:" "be_assert.rs:$c:5  in be_assert::seventh" \
	"kio: error: module build failed; full log in $tmp/build-error/logs/modules.log"
kio_case $? "rust_build_error mapped: be_index.rs:$i ([build: 9]), be_assert.rs:$a (build_assert!) called at line $c" \
	"rust_build_error: wanted be_index.rs:$i and be_assert.rs:$a (called at $c) named, got $rc:" "$out"

# --- Warnings fail every build: twice rustc's, twice clippy's (the second build of an
# unchanged tree must not pass because it compiled nothing).
for n in 1 2; do
	build warning
	[ $rc -ne 0 ] && has "warning: unused variable: \`unused\`" "module build has warnings"
	kio_case $? "rustc warning fails build $n of an unchanged tree" \
		"rustc warning: build $n passed (status $rc):" "$out"
done
build clippy
[ $rc = 0 ]
kio_case $? "the clippy fixture builds without warnings under rustc" \
	"the clippy fixture does not build cleanly under rustc (status $rc):" "$out"
for n in 1 2; do
	build clippy 1
	[ $rc -ne 0 ] && has "clippy::cast-lossless" "module build has warnings (the kernel's Rust lints and clippy)"
	kio_case $? "clippy warning fails clippy build $n of an unchanged tree" \
		"clippy warning: clippy build $n passed (status $rc):" "$out"
done

# --- A clean clippy build is incremental: the second build of an unchanged tree compiles
# nothing (no CLIPPY step in its log); a changed source is compiled again.
log=$tmp/clean/logs/modules-clippy.log
build clean 1
first=$(grep -c '^  CLIPPY' "$log")
build clean 1
second=$(grep -c '^  CLIPPY' "$log")
[ $rc = 0 ] && [ "$first" -ge 1 ] && [ "$second" = 0 ]
kio_case $? "an unchanged clean clippy build compiles nothing ($first, then $second crates)" \
	"clippy build of an unchanged clean tree: wanted 0 crates compiled the second time, got $first then $second (status $rc):" "$(cat "$log")"
touch "$trees/clean/mb_clean.rs"
build clean 1
third=$(grep -c '^  CLIPPY' "$log")
[ $rc = 0 ] && [ "$third" -ge 1 ]
kio_case $? "a touched source is checked by clippy again ($third crates)" \
	"clippy build after touching mb_clean.rs: wanted it compiled again, got $third (status $rc):" "$(cat "$log")"

# --- KIO_ONLY narrows the project's Kbuild to the modules named. kio_control, a C module, is
# the cheap one to build alone: nothing else may be compiled (no kio.o, no Rust at all), and
# modules.order, which the initramfs is packed from, must name it alone. A name that is not a
# module stops the build before anything is compiled, naming it and the modules there are.
only_build() { # only_build <scratch name> <KIO_ONLY value>: sets out and rc
	out=$(KIO_BUILD=$tmp/$1 KIO_MODULES_TREE=$KIO_ROOT KIO_ONLY=$2 \
		"$KIO_ROOT/scripts/build-modules.sh" 2>&1)
	rc=$?
}
only_build only kio_control
log=$tmp/only/logs/modules.log
order=$(cat "$tmp/only/modules/modules.order" 2>/dev/null)
[ $rc = 0 ] && [ "$order" = kio_control.o ] && [ -f "$tmp/only/modules/kio_control.ko" ] &&
	! grep -qE '^  (RUSTC|CLIPPY|HOSTRUSTC|DOCTEST) ' "$log"
kio_case $? "KIO_ONLY=kio_control builds kio_control.ko alone (modules.order: $(echo $order))" \
	"KIO_ONLY=kio_control: wanted kio_control.ko alone, got status $rc and modules.order '$(echo $order)':" \
	"$out"$'\n'"$(cat "$log" 2>/dev/null)"
only_build only-unknown "kio_control,kio_contrl"
log=$tmp/only-unknown/logs/modules.log
[ $rc -ne 0 ] && has "KIO_ONLY: unknown module 'kio_contrl' (the modules of this tree are kio_test " \
	"kio: error: module build failed; full log in $log" &&
	! grep -E '^  [A-Z][A-Z0-9_]* ' "$log" | grep -qv '^  UPD '
kio_case $? "KIO_ONLY with an unknown name stops the build before compiling, naming it" \
	"KIO_ONLY=kio_control,kio_contrl: wanted a failed build naming 'kio_contrl', got $rc:" "$out"

kio_result
