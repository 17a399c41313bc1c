#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs scripts/setup.sh under each simulated failure of tests/setup/cases and checks that it
# fails with exactly one clear line. Prints "RESULT <passed> <failed> 0".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

while IFS='|' read -r name envs text; do
	name=$(echo "$name" | xargs)
	case "$name" in '' | '#'*) continue ;; esac
	text=$(echo "$text" | sed 's/^ *//; s/ *$//')
	KIO_T=$(mktemp -d)
	# Fake kernel trees for the KDIR cases.
	mkdir -p "$KIO_T/norust" "$KIO_T/old"
	echo "# CONFIG_RUST is not set" >"$KIO_T/norust/.config"
	echo "CONFIG_RUST=y" >"$KIO_T/old/.config"
	printf 'kernelversion:\n\t@echo 6.1.0\n' >"$KIO_T/old/Makefile"
	envs=$(echo "$envs" | sed "s|\$KIO_T|$KIO_T|g")
	# Each case sets its own conditions; a KDIR of the caller must not leak into them.
	err=$(env -u KDIR $envs "$KIO_ROOT/scripts/setup.sh" 2>&1 >/dev/null)
	rc=$?
	rm -rf "$KIO_T"
	lines=$(printf '%s\n' "$err" | grep -c .)
	[ $rc -ne 0 ] && [ "$lines" -eq 1 ] && grep -qF -- "kio: error: " <<<"$err" &&
		grep -qF -- "$text" <<<"$err"
	kio_case $? "setup $name: $err" \
		"setup $name: wanted one error line with '$text', got status $rc:" "$err"
done <"$KIO_ROOT/tests/setup/cases"

# The fragment guard of scripts/build-kernel.sh: a fragment option that cannot survive
# olddefconfig (KASAN while tinyconfig's SLUB_TINY stays on, the bug the guard once missed)
# must stop the kernel build with one error line naming it, before anything is compiled.
# The extra fragment carries this run's PID, so the kernel key (and directory) is this run's.
if [ -z "${KDIR:-}" ] && [ -n "$(kio_src_tree)" ]; then
	KIO_T=$(mktemp -d)
	printf '# guard test %s\nCONFIG_KASAN=y\nCONFIG_KASAN_GENERIC=y\n' $$ >"$KIO_T/lost.config"
	kdir=$(env -u KIO_DEBUG KIO_EXTRA_CONFIG="$KIO_T/lost.config" bash -c \
		". '$KIO_ROOT/scripts/lib.sh' && kio_kernel_dir")
	err=$(env -u KIO_DEBUG KIO_EXTRA_CONFIG="$KIO_T/lost.config" KIO_BUILD="$KIO_T/build" \
		"$KIO_ROOT/scripts/build-kernel.sh" 2>&1 >/dev/null)
	rc=$?
	errs=$(grep -c '^kio: error: ' <<<"$err")
	[ $rc -ne 0 ] && [ "$errs" -eq 1 ] && [ ! -e "$kdir/vmlinux" ] &&
		grep -q '^kio: error: kernel config lost fragment options.*CONFIG_KASAN=y, CONFIG_KASAN_GENERIC=y' <<<"$err"
	kio_case $? "kernel config guard: $(grep '^kio: error' <<<"$err")" \
		"kernel config guard: wanted one error line naming CONFIG_KASAN=y and CONFIG_KASAN_GENERIC=y and no kernel, got status $rc:" "$err"
	rm -rf "$KIO_T" "$kdir" "$kdir.lock"
fi
kio_result
