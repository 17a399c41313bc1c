#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The user's knobs explain themselves: each case runs a script the way `make` does, on a
# scratch build directory, and checks what it does and says. No kernel is built and no guest
# is booted. Prints "RESULT <passed> <failed> 0".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- KIO_MODULES: commas and spaces both separate names; an unknown name is listed with the
# modules there are. build-initramfs.sh runs on a scratch build whose modules are empty files.
fake=$tmp/initramfs-build
mkdir -p "$fake/modules"
printf '%s.o\n' kio_test kio_bench rust_edu rust_dma nova_lite kio_control >"$fake/modules/modules.order"
for m in kio_test kio_bench rust_edu rust_dma nova_lite kio_control; do : >"$fake/modules/$m.ko"; done

# modules_case <KIO_MODULES> <wanted etc/kio-modules, space-separated>
modules_case() {
	local out got
	rm -f "$fake/initramfs/etc/kio-modules"
	out=$(KIO_BUILD=$fake KIO_MODULES=$1 "$KIO_ROOT/scripts/build-initramfs.sh" 2>&1)
	got=$(tr '\n' ' ' <"$fake/initramfs/etc/kio-modules" 2>/dev/null)
	[ "${got% }" = "$2" ]
	kio_case $? "KIO_MODULES='$1' loads: $2" "KIO_MODULES='$1': wanted '$2', got '${got% }':" "$out"
}
modules_case "rust_edu nova_lite" "rust_edu nova_lite"
modules_case "nova_lite,rust_edu" "rust_edu nova_lite"
modules_case " rust_edu , nova_lite," "rust_edu nova_lite"
modules_case "kio_control" "kio_control"
modules_case "" "kio_test kio_bench rust_edu rust_dma nova_lite"

# modules_error <KIO_MODULES> <text the one error line must contain>
modules_error() {
	local out rc
	out=$(KIO_BUILD=$fake KIO_MODULES=$1 "$KIO_ROOT/scripts/build-initramfs.sh" 2>&1)
	rc=$?
	[ $rc -ne 0 ] && [ "$(grep -c . <<<"$out")" = 1 ] && grep -qF -- "kio: error: $2" <<<"$out"
	kio_case $? "KIO_MODULES='$1' refused: $out" \
		"KIO_MODULES='$1': wanted status != 0 and one line 'kio: error: $2', got $rc:" "$out"
}
all="(the modules of this build are kio_test, kio_bench, rust_edu, rust_dma, nova_lite, kio_control)"
modules_error "rust_edu,nova_lte" "KIO_MODULES: unknown module 'nova_lte' $all"
modules_error "rust_edu foo bar" "KIO_MODULES: unknown modules 'foo' 'bar' $all"
modules_error "rust_edu.ko" "KIO_MODULES: unknown module 'rust_edu.ko' $all"
modules_error " , " "KIO_MODULES=' , ' names no module $all"

# --- A cold kernel build says how far it is. scripts/build-kernel.sh runs on a fake kernel
# tree in a scratch cache whose build prints a Kbuild step every 0.7 s for 4 s; with a report
# every second (KIO_PROGRESS_SECONDS=1) at least two progress lines must come, with growing
# step counts and the last step. FAKE_FAIL=1 makes the fake build fail, which must be said.
fk=$tmp/kernel
src=$fk/cache/src/linux-source-7.2.99
mkdir -p "$src/scripts/kconfig"
cat >"$src/Makefile" <<'MAKEFILE'
kernelversion:
	@echo 7.2.99
rustavailable tinyconfig olddefconfig:
	@touch $(O)/.config
all:
	@for i in 1 2 3 4 5 6; do echo "  CC      fake/step$$i.o"; sleep 0.7; done
	@[ -z "$(FAKE_FAIL)" ] || { echo "fake/step6.c:1: error: deliberate"; exit 1; }
MAKEFILE
cat >"$src/scripts/kconfig/merge_config.sh" <<'SCRIPT'
#!/bin/sh
# Fake: appends the fragments (the arguments after "-m .config") to .config.
shift 2
cat "$@" >>.config
SCRIPT
chmod +x "$src/scripts/kconfig/merge_config.sh"
kernel_case() { # kernel_case <FAKE_FAIL value>
	rm -rf "$fk/cache"/kernel-*
	env -u KDIR -u KIO_DEBUG -u KIO_EXTRA_CONFIG -u KIO_SRC_DIR KIO_CACHE="$fk/cache" \
		KIO_BUILD="$fk/build" KIO_PROGRESS_SECONDS=1 FAKE_FAIL="$1" \
		"$KIO_ROOT/scripts/build-kernel.sh" 2>&1 >/dev/null
}
out=$(kernel_case "")
rc=$?
progress=$(grep '^kio: kernel build: ' <<<"$out")
counts=$(sed -E 's/.*, ([0-9]+) steps done.*/\1/' <<<"$progress" | tr '\n' ' ')
[ $rc = 0 ] && [ "$(grep -c . <<<"$progress")" -ge 2 ] &&
	grep -qE '^kio: kernel build: 0m0[0-9]s, [1-6] steps done, last: CC fake/step[1-6]\.o$' <<<"$progress" &&
	[ "$(tr ' ' '\n' <<<"$counts" | grep . | sort -n | tr '\n' ' ')" = "$counts" ] &&
	[ "$(tr ' ' '\n' <<<"$counts" | grep . | sort -u | wc -l)" -ge 2 ]
kio_case $? "cold kernel build reports progress: $(tail -n 1 <<<"$progress")" \
	"cold kernel build: wanted status 0 and growing 'kio: kernel build: ...' lines, got $rc:" "$out"
out=$(kernel_case 1)
rc=$?
[ $rc -ne 0 ] && grep -qF "kio: error: kernel build failed; full log in $fk/build/logs/kernel-build.log" <<<"$out" &&
	grep -qF "deliberate" <<<"$out"
kio_case $? "a failed kernel build says so, with its last lines and the log" \
	"a failed kernel build: wanted a non-zero status, its error and the log's path, got $rc:" "$out"

# --- make help names every target of the Makefile and every variable the scripts read from
# the environment, except the hooks that only the project's own scripts and tests set, the
# variables of other tools, and the scripts' own variables.
hooks=(KIO_ROOT KIO_T KIO_CLIPPY KIO_RUN_REPLAY KIO_RUN_QEMU_STATUS KIO_RUN_KTAP
	KIO_RUN_PREBUILT KIO_BENCH_NO_BUILD KIO_BENCH_CODEGEN_ONLY KIO_EUID KIO_SUDO
	KIO_MODULES_TREE KIO_ONLY KIO_CARGO_TARGET KIO_INITRAMFS KIO_DOC_CRATE XDG_CACHE_HOME
	CARGO_TARGET_DIR SUITES)
hooks=" ${hooks[*]} "
help=$(make -s -C "$KIO_ROOT" help 2>&1)
targets=$(sed -n 's/^\.PHONY://p' "$KIO_ROOT/Makefile")
missing=()
for t in $targets; do
	if [ "$t" = all ]; then
		grep -qw "target all" <<<"$help" || missing+=("$t")
	else
		grep -qE "^  make $t( |$)" <<<"$help" || missing+=("$t")
	fi
done
[ -n "$targets" ] && [ ${#missing[@]} -eq 0 ]
kio_case $? "make help lists every target: $(echo $targets)" \
	"make help does not list the targets: ${missing[*]:-(no .PHONY line found)}" "$help"
vars=$(grep -ohE '\$\{[A-Z][A-Z0-9_]*(:-|:\+|-|\+)' "$KIO_ROOT"/scripts/*.sh |
	sed -E 's/^\$\{//; s/(:-|:\+|-|\+)$//' | sort -u)
missing=()
for v in $vars; do
	[[ "$hooks" == *" $v "* ]] || grep -qw -- "$v" <<<"$help" || missing+=("$v")
done
[ -n "$vars" ] && [ ${#missing[@]} -eq 0 ]
kio_case $? "make help names every variable the scripts read: $(echo $vars | wc -w) variables" \
	"make help does not name the variables: ${missing[*]:-(none found in scripts/)}" "$help"
for v in KIO_MODULES KIO_CMDLINE kunit.filter_glob KIO_DEBUG KIO_QEMU_TIMEOUT SEEDS KDIR \
	KIO_QEMU_DEVICES kio.driver_override; do
	grep -qF -- "$v" <<<"$help"
	kio_case $? "make help explains $v" "make help does not mention $v" ""
done

kio_result
