#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The doc examples of an out-of-tree crate as a KUnit suite, made with the kernel's own tools,
# as the kernel makes its suite rust_doctests_kernel (rust/Makefile, CONFIG_RUST_KERNEL_DOCTESTS).
# Run by Kbuild (scripts/Kbuild.doctests), which passes the rustdoc flags of module code:
#
#   doctests.sh <out dir> <crate root .rs> <crate dir in the tree> <tools dir> -- <rustdoc args>
#
# 1. `rustdoc --test --no-run --test-builder <tools>/rustdoc_test_builder` collects the crate's
#    examples; the builder saves each one instead of compiling it.
# 2. <tools>/rustdoc_test_gen turns the saved examples into one `extern "C"` Rust function per
#    example (a KUnit case, whose `assert!` and `assert_eq!` fail the case instead of
#    panicking) and a C file declaring the suite.
#
# Both tools are written for the `kernel` crate: the builder finds an example's file in the
# test's name after `_rust_kernel_` and saves it to rust/test/doctests/kernel/ of the working
# directory; the generator reads that directory, finds the source files under
# $srctree/rust/kernel/ and writes rust/doctests_kernel_generated{.rs,_kunit.c}. So they run in
# a scratch tree (<out dir>/tree) where rust/kernel is a link to the crate's directory, and
# rustdoc is given the crate root as rust/kernel/<root>.rs. What the generator made for the
# crate `kernel` is then renamed after this crate (<name> is the crate root's file name):
#   suite rust_doctests_kernel          -> rust_doctests_<name>
#   cases rust_doctest_kernel_<file>_N  -> rust_doctest_<name>_<file>_N
#   file names rust/kernel/<file>.rs    -> <crate dir>/<file>.rs (locations and failures)
# into <out dir>/doctests_<name>_generated.rs and <out dir>/doctests_<name>_generated_kunit.c.
#
# Examples marked `ignore` are not run; the first line of each must be a comment saying why
# (`// ignore: <reason>`), or this script fails. `compile_fail` examples cannot be run as
# KUnit cases (tests/compile-fail/ is the place for code that must not build): rustdoc reports
# them as failed here.
set -euo pipefail

# fail <message> [<details>]: one line in rustc's form, which scripts/build-modules.sh shows as
# a build's first error, then the details indented under it (no blank line, which would end it).
fail() {
	echo "error: doc examples: $1" >&2
	[ -z "${2:-}" ] || grep . <<<"$2" | sed 's/^/  | /' >&2
	exit 1
}

[ $# -ge 5 ] && [ "$5" = -- ] ||
	fail "usage: doctests.sh <out dir> <crate root .rs> <crate dir> <tools dir> -- <rustdoc args>"
: "${RUSTDOC:?the rustdoc of the kernel build (scripts/Kbuild.doctests passes it)}"
out=$1 root=$2 crate_dir=$3 tools=$4
shift 5
name=$(basename "$root" .rs)
root=$(readlink -f "$root")
mkdir -p "$out"
out=$(cd "$out" && pwd)
tools=$(cd "$tools" && pwd)
tree=$out/tree
log=$out/rustdoc.log
rm -rf "$tree"
mkdir -p "$tree/rust/test/doctests/kernel"
ln -s "$(dirname "$root")" "$tree/rust/kernel"

# Names in rustdoc's output are those of the scratch tree; show the crate's own.
to_crate() {
	sed "s|rust/kernel/|$crate_dir/|g"
}

set +e
(cd "$tree" && "$RUSTDOC" --test "$@" --no-run -Zunstable-options \
	--crate-name "$name" --test-builder "$tools/rustdoc_test_builder" \
	"rust/kernel/$(basename "$root")") >"$log" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ]; then
	hint=
	! grep -q ' - compile fail \.\.\. FAILED$' "$log" ||
		hint=" (a \`compile_fail\` example cannot be a KUnit case: tests/compile-fail/ is the place for code that must not build)"
	fail "rustdoc --test failed for $crate_dir/$(basename "$root")$hint; full output in $log" \
		"$(to_crate <"$log" | grep -vE '^(running [0-9]+ tests?|test .* \.\.\. ok)$' | head -n 40)"
fi

# `ignore` needs its reason: "test rust/kernel/<file>.rs - <item> (line N) ... ignored".
bad=()
# rustdoc's line is the fence's, or the one before it for docs passed through a macro.
while read -r file line; do
	first=$(awk -v from="$line" 'NR >= from && NR <= from + 2 && /```.*ignore/ { getline; print; exit }' \
		"$tree/$file" | sed -E 's@^[[:space:]]*//[/!][[:space:]]?@@')
	[[ "$first" =~ ^(#[[:space:]]*)?//[[:space:]]*ignore:[[:space:]]*[^[:space:]] ]] ||
		bad+=("$crate_dir/${file#rust/kernel/}:$line")
done < <(sed -nE 's/^test (rust\/kernel\/[^ ]+\.rs) - .* \(line ([0-9]+)\)( - compile)? \.\.\. ignored$/\1 \2/p' "$log")
[ ${#bad[@]} -eq 0 ] ||
	fail "\`ignore\` without a reason at ${bad[*]}: every example is run as a KUnit case; one that cannot be must say why in its first line, \`// ignore: <reason>\`"

saved=$(find "$tree/rust/test/doctests/kernel" -type f | wc -l)
(cd "$tree" && srctree=$tree "$tools/rustdoc_test_gen") >>"$log" 2>&1 ||
	fail "the kernel's rustdoc_test_gen failed; full output in $log" "$(to_crate <"$log" | tail -n 20)"

rename() {
	sed -e "s/\brust_doctests_kernel\b/rust_doctests_$name/g" \
		-e "s/\brust_doctest_kernel_/rust_doctest_${name}_/g" \
		-e "s|c\"rust/kernel/|c\"$crate_dir/|g" \
		-e "s|\.location: rust/kernel/|.location: $crate_dir/|g" \
		-e "s/^\/\/! \`kernel\` crate documentation tests\.$/\/\/! \`$name\` crate documentation tests./" \
		-e "s/^ \* \`kernel\` crate documentation tests\.$/ * \`$name\` crate documentation tests./" \
		"$1" >"$2.tmp"
	! grep -qE 'rust_doctests?_kernel|c"rust/kernel/|\.location: rust/kernel/' "$2.tmp" ||
		fail "$2: the kernel's generator wrote names this script does not rename: $(grep -m1 -oE 'rust_doctests?_kernel[a-z_0-9]*|c"rust/kernel/[^"]*"|location: rust/kernel/[^\\]*' "$2.tmp")"
	mv "$2.tmp" "$2"
}
rename "$tree/rust/doctests_kernel_generated.rs" "$out/doctests_${name}_generated.rs"
rename "$tree/rust/doctests_kernel_generated_kunit.c" "$out/doctests_${name}_generated_kunit.c"
cases=$(grep -c "^    KUNIT_CASE(rust_doctest_${name}_" "$out/doctests_${name}_generated_kunit.c" || true)
[ "$cases" = "$saved" ] ||
	fail "rustdoc saved $saved examples, but the suite rust_doctests_$name has $cases cases"
