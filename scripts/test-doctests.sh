#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Doc examples are KUnit cases (scripts/Kbuild.doctests), and a broken one fails make check.
# A copy of the tree (rust/kio copied, everything else linked) gets planted examples in the
# docs of kio's `Region` (rust/kio/io/region.rs), one step at a time, and is built with
# scripts/build-modules.sh into a scratch build directory. Only kio_doctests.ko (with kio.o,
# linked into it) is built (KIO_ONLY, see build-modules.sh): the examples are in no other
# module, and as each of the three builds starts from scratch, building every module would
# spend most of their time on modules this test never looks at.
#   1. an `ignore` example without a reason: the build fails and names the example's line;
#   2. that example with its reason, and an example that does not compile: the build fails with
#      rustc's error, and the line of the example that broke it is named;
#   3. instead, an example whose `assert_eq!` fails: the module builds, and make run with only
#      kio_doctests exits non-zero, failing that KUnit case at the assertion's source line,
#      while the others of rust_doctests_kio pass.
#   test-doctests.sh [build|boot]   steps 1 and 2, or step 3 (default: all)
# The boot step reuses the scratch build of the build step when that build was made from the
# same tree (the kio_tree_key it recorded), and otherwise makes it first. Its initramfs,
# console and KTAP are that build's too (build/test-doctests/build/), never those of make run,
# as this test boots beside others in make check.
# Prints "RESULT <passed> <failed> 0".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kdir=$("$KIO_ROOT/scripts/build-kernel.sh") || { echo "RESULT 0 1 0"; exit 1; }
work=$KIO_BUILD/test-doctests
tree=$work/tree
region=$tree/rust/kio/io/region.rs
what=${1:-all}

# fresh_tree: a copy of rust/kio in a tree whose other files are links to ours.
fresh_tree() {
	rm -rf "$tree"
	mkdir -p "$tree/rust"
	local f
	for f in "$KIO_ROOT"/* "$KIO_ROOT"/rust/*; do
		case "${f#"$KIO_ROOT"/}" in
		rust | build | rust/kio) ;;
		rust/*) ln -s "$f" "$tree/${f#"$KIO_ROOT"/}" ;;
		*) ln -s "$f" "$tree/" ;;
		esac
	done
	cp -r "$KIO_ROOT/rust/kio" "$tree/rust/kio"
}

# plant <text>: inserts doc lines (each given without its `/// `) at the end of the docs of
# `Region`, right before its `#[repr(transparent)]`, in the copy.
plant() {
	local n
	n=$(grep -n '^#\[repr(transparent)\]$' "$region" | head -n 1 | cut -d: -f1)
	[ -n "$n" ] && sed -n "$((n + 1))p" "$region" | grep -q '^pub struct Region<' || {
		kio_case 1 "" "rust/kio/io/region.rs has no '#[repr(transparent)]' before 'pub struct Region<': update plant() of $0" ""
		return 1
	}
	{
		head -n $((n - 1)) "$region"
		echo "///"
		sed 's|^|/// |; s| $||' <<<"$1"
		tail -n +"$n" "$region"
	} >"$region.new" && mv "$region.new" "$region"
}

# line <marker>: the line of the copy's region.rs holding <marker>.
line() {
	grep -nF -- "$1" "$region" | head -n 1 | cut -d: -f1
}

build() {
	out=$(KIO_BUILD=$work/build KIO_MODULES_TREE=$tree KIO_ONLY=kio_doctests \
		"$KIO_ROOT/scripts/build-modules.sh" 2>&1)
	rc=$?
}

has() {
	local t
	for t in "$@"; do
		grep -qF -- "$t" <<<"$out" || return 1
	done
}

# build_assertion: step 3's build, an example whose assertion fails; it must build. Records
# the tree it was made from (kio_tree_key) for the boot step.
stamp=$work/assertion-build.key
build_assertion() {
	local key
	rm -f "$stamp"
	key=$(kio_tree_key "$kdir")
	fresh_tree
	plant '```
let planted = 2;
assert_eq!(planted + 1, 4); // planted: assertion
```' || { kio_case 1 "" "planting the failing assertion failed" ""; return; }
	build
	[ $rc = 0 ]
	kio_case $? "an example with a failing assertion builds (the failure is the guest's to find)" \
		"an example with a failing assertion: wanted a clean build, got $rc:" "$out"
	# Recorded only if the tree did not change while it was copied and built.
	[ $rc != 0 ] || [ "$(kio_tree_key "$kdir")" != "$key" ] || echo "$key" >"$stamp"
	return $rc
}

if [ "$what" != boot ]; then
	fresh_tree
	plant '```ignore
let planted = 1; // planted: no reason
```' || { kio_result; exit 1; }
	at=$(($(line '// planted: no reason') - 1))
	build
	[ $rc -ne 0 ] && has "error: doc examples: \`ignore\` without a reason at rust/kio/io/region.rs:$at:" \
		"kio: error: module build failed; full log in $work/build/logs/modules.log"
	kio_case $? "an \`ignore\` example without its reason fails the build, named (region.rs:$at)" \
		"an \`ignore\` example without a reason: wanted a failed build naming region.rs:$at, got $rc:" "$out"

	fresh_tree
	plant '```ignore
// ignore: planted by scripts/test-doctests.sh, an ignored example with its reason
let planted = 1;
```

```
let planted: u32 = "not a number"; // planted: type error
```' || { kio_result; exit 1; }
	at=$(line '// planted: type error')
	build
	[ $rc -ne 0 ] && has "error[E0308]: mismatched types" \
		"is rust/kio/io/region.rs:$at:24 (KUnit case rust_doctest_kio_io_region_rs_" \
		"kio: error: module build failed; full log in $work/build/logs/modules.log" &&
		! has "doc examples: \`ignore\`"
	kio_case $? "an example that does not compile fails the build, named (region.rs:$at:24); an \`ignore\` with its reason passes" \
		"an example that does not compile: wanted rustc's error and region.rs:$at:24 named, got $rc:" "$out"

	build_assertion
fi
[ "$what" != build ] || { kio_result; exit 0; }

# The boot step boots the build step's module only if that build was made from this tree
# (make check may have reused the build step's result from an earlier run on the same tree,
# or the scratch build may be of another tree); otherwise it builds the module itself.
if [ ! -f "$work/build/modules/kio_doctests.ko" ] || ! grep -qF '// planted: assertion' "$region" 2>/dev/null ||
	[ "$(cat "$stamp" 2>/dev/null)" != "$(kio_tree_key "$kdir")" ] || [ -z "$(cat "$stamp" 2>/dev/null)" ]; then
	build_assertion || { kio_result; exit 1; }
fi
at=$(line '// planted: assertion')
# KIO_BUILD puts the console and KTAP under $work/build/logs; KIO_INITRAMFS is set too, so that
# one inherited from the caller's environment cannot make this boot share another's file.
# The simulator is the one of this project's build (KIO_CARGO_TARGET).
out=$(KIO_BUILD=$work/build KIO_INITRAMFS=$work/build/initramfs.cpio.gz KIO_RUN_PREBUILT=1 \
	KIO_CARGO_TARGET=$KIO_BUILD/cargo \
	KIO_MODULES=kio_doctests KIO_CASES=1 "$KIO_ROOT/scripts/run.sh" 2>&1)
rc=$?
case=$(grep -oE 'rust_doctest_kio_io_region_rs_[0-9]+: FAIL' <<<"$out" | head -n 1 | cut -d: -f1)
total=$(grep -oE 'suite:    rust_doctests_kio: [0-9]+/[0-9]+ passed' <<<"$out" | grep -oE '[0-9]+/[0-9]+')
[ $rc -ne 0 ] && [ -n "$case" ] &&
	has "FAIL: rust_doctests_kio.$case: FAIL" "# $case: ASSERTION FAILED at rust/kio/io/region.rs:$at" &&
	[ "${total%/*}" = $((${total#*/} - 1)) ]
kio_case $? "a failing assertion fails make run: $case at region.rs:$at, the other cases pass ($total)" \
	"an example with a failing assertion: wanted make run to fail the case at region.rs:$at and pass the others, got $rc:" "$out"
kio_result
