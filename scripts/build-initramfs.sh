#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Packs busybox, the guest init and our modules into build/initramfs.cpio.gz.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mods=$KIO_BUILD/modules
# KIO_INITRAMFS=<file.cpio.gz>: another initramfs than build/initramfs.cpio.gz, for a test
# that boots beside others (scripts/test-devices.sh); run-qemu.sh boots the same file.
image=${KIO_INITRAMFS:-$KIO_BUILD/initramfs.cpio.gz}
root=${image%.cpio.gz}
busybox=${KIO_BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || die "no static busybox at $busybox (Debian package busybox-static)"
case $(ldd "$busybox" 2>&1 || true) in
*'not a dynamic'*) ;;
*)
	die "$busybox is not statically linked (install busybox-static)" ;;
esac

[ -s "$mods/modules.order" ] || die "no modules in $mods/modules.order; run make modules"
mapfile -t available < <(sed 's|.*/||; s/\.o$//' "$mods/modules.order")
# KIO_MODULES="a b" or "a,b" packs only those modules (make run KIO_MODULES=rust_edu); a name
# that is not a module of this build stops here, naming the modules there are.
selected=
if [ -n "${KIO_MODULES:-}" ]; then
	selected=$(kio_selected_modules "${available[@]}") || exit 1
fi

rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,etc,lib/modules/kio}
cp "$busybox" "$root/bin/busybox"
install -m 0755 "$KIO_ROOT/tests/guest/init" "$root/init"
cp "$KIO_ROOT/tests/guest/cycles" "$root/etc/kio-cycles"
cp "$KIO_ROOT/tests/guest/bad-params" "$root/etc/kio-bad-params"
cp "$KIO_ROOT/tests/guest/faults" "$root/etc/kio-faults"
cp "$KIO_ROOT/tests/guest/debugfs" "$root/etc/kio-debugfs"
cp "$KIO_ROOT/tests/controls" "$root/etc/kio-controls"
: >"$root/etc/kio-modules"
# Every module is packed; the guest loads those of etc/kio-modules, in modules.order. The
# control module (tests/control/) is only loaded when named in KIO_MODULES or by the control
# phase of a debug run (kio.controls=1, tests/controls).
while read -r ko; do
	name=$(basename "$ko" .ko)
	cp "$mods/$ko" "$root/lib/modules/kio/"
	if [ -n "$selected" ]; then
		grep -qxF -- "$name" <<<"$selected" || continue
	else
		[ "$name" != kio_control ] || continue
	fi
	echo "$name" >>"$root/etc/kio-modules"
done < <(sed 's/\.o$/.ko/' "$mods/modules.order")
[ -s "$root/etc/kio-modules" ] || die "no modules in $mods/modules.order; run make modules"
(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc | gzip -9n) >"$image"
note "initramfs: $(tr '\n' ' ' <"$root/etc/kio-modules")"
