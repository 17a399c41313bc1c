#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds our out-of-tree modules against the test kernel (or KDIR) into build/modules; any
# warning fails. KIO_CLIPPY=1 builds with clippy into build/modules-clippy. Both builds are
# incremental once they have passed (see the stamp below).
#
# On failure it shows the first error (or, for a build that only warns, the first warning) in
# full, as the compiler printed it with all its notes, then one line for each other error and
# warning, then the log's path. When modpost refuses a module for its "rust_build_error"
# reference (a build_assert!, build_error! or [build: i] the compiler could not prove), the
# module is built again with line tables into build/modules-lines and
# scripts/build-error-lines.py names the source line of every failed check.
#
# KIO_MODULES_TREE=<dir> builds another out-of-tree module tree the same way (the tests of this
# script use it).
#
# KIO_ONLY="a b" (or "a,b"), for tests only: build only these modules of the top-level Kbuild,
# which narrows its obj-m to them and stops on a name that is not one of its modules.
# scripts/test-doctests.sh builds only kio_doctests this way, since the other modules are
# not what it looks at. The stamp below does not record it: a later build of more modules
# compiles those it has not built, and reports on them, as usual.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir=$("$KIO_ROOT/scripts/build-kernel.sh")
tree=${KIO_MODULES_TREE:-$KIO_ROOT}
out=$KIO_BUILD/modules${KIO_CLIPPY:+-clippy}
mkdir -p "$KIO_LOGS"
mapfile -t margs < <(kio_make_args)
extra=()
[ -z "${KIO_CLIPPY:-}" ] || extra+=(CLIPPY=1)
# make would take KIO_ONLY from the environment as well; both make commands below name it, so
# that where the Kbuild's value comes from is in plain sight.
only=()
[ -z "${KIO_ONLY:-}" ] || only+=(KIO_ONLY="$KIO_ONLY")
# rustc and clippy report only on the crates they compile, and Kbuild compiles only what
# changed. A build is therefore reused only if it ended without a warning (the stamp); after
# warnings, errors or an interrupted build, the next one starts from scratch and reports
# everything again, instead of passing because nothing was compiled.
clean_stamp=$out/.kio-clean
[ -f "$clean_stamp" ] || rm -rf "$out"
rm -f "$clean_stamp"
mkdir -p "$out"
log=$KIO_LOGS/modules${KIO_CLIPPY:+-clippy}.log

# doc_places <build dir>: reads what was shown of a failed build on stdin and names the doc
# example behind every place in a generated doctest file (scripts/Kbuild.doctests).
doc_places() {
	local text gen
	text=$(cat)
	grep -q 'doctests_[a-z0-9_]*_generated\.rs:[0-9]' <<<"$text" || return 0
	mapfile -t gen < <(find "$1" -name 'doctests_*_generated.rs' 2>/dev/null)
	[ ${#gen[@]} -eq 0 ] ||
		python3 "$KIO_ROOT/scripts/doctest-lines.py" --tree "$tree" "${gen[@]}" <<<"$text" >&2 || true
}

set +e
make -C "$kdir" M="$tree" MO="$out" "${margs[@]}" "${only[@]}" "${extra[@]}" -j"$(nproc)" \
	modules >"$log" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ]; then
	shown=$(kio_diagnostics "$log" error)
	if [ -n "$shown" ]; then
		echo "$shown" >&2
		doc_places "$out" <<<"$shown"
	else
		tail -n 40 "$log" >&2
	fi
	# modpost's 'ERROR: modpost: "rust_build_error" [<module>.ko] undefined!': name the lines.
	mods=$(sed -n 's/^ERROR: modpost: "rust_build_error" \[\(.*\)\.ko\] undefined!$/\1/p' "$log")
	if [ -n "$mods" ]; then
		lines_out=$KIO_BUILD/modules-lines
		lines_log=$KIO_LOGS/modules-lines.log
		echo >&2
		note "a build_assert!, build_error! or [build: i] could not be proven at build time;" \
			"building $(echo $mods | sed 's/\([^ ]*\)/\1.ko/g') again with line tables to find where"
		objs=() dirs=()
		for m in $mods; do
			if make -C "$kdir" M="$tree" MO="$lines_out" "${margs[@]}" "${only[@]}" \
				KRUSTFLAGS=-Cdebuginfo=line-tables-only "$m.o" >>"$lines_log" 2>&1; then
				objs+=("$lines_out/$m.o")
				# The module's own crate is its first part (or the object itself).
				part=$(head -n 1 "$lines_out/$m.mod" 2>/dev/null || echo "$m.o")
				dirs+=(--crate-dir "$(basename "$m")=$tree/$(dirname "$part")")
			else
				echo "  $m.ko: building it with line tables failed (see $lines_log)" >&2
			fi
		done
		if [ ${#objs[@]} -gt 0 ]; then
			found=$(python3 "$KIO_ROOT/scripts/build-error-lines.py" --tree "$tree" \
				"${dirs[@]}" --objdump "llvm-objdump$KIO_LLVM_SUFFIX" \
				--symbolizer "llvm-symbolizer$KIO_LLVM_SUFFIX" --ld "ld.lld$KIO_LLVM_SUFFIX" \
				"${objs[@]}" 2>&1) || true
			echo "$found" >&2
			doc_places "$lines_out" <<<"$found"
		fi
	fi
	die "module build failed; full log in $log"
fi
if grep -qE '(^|: )(warning|error)(\[[^]]*\])?:' "$log"; then
	shown=$(kio_diagnostics "$log" warning)
	echo "$shown" >&2
	doc_places "$out" <<<"$shown"
	die "module build has warnings (the kernel's Rust lints${KIO_CLIPPY:+ and clippy}); full log in $log"
fi
touch "$clean_stamp"
note "modules built in $out"
