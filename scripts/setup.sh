#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs what kio needs on Debian 12: the kernel's Rust toolchain from Debian, clang/LLVM 19,
# QEMU, busybox, a pinned bindgen-cli, and the Linux 7.2 source (unless KDIR is given).
# Idempotent: when everything is present it installs and downloads nothing.
#
# Every failure is one line "kio: error: ...". Knobs (also used by the tests of this script):
#   KDIR=/path             use this Rust-enabled 7.2 build instead of fetching the source
#   KIO_CACHE=/path        where the source, bindgen and kernels are cached
#   KIO_SRC_DIR=/path      where the kernel source is unpacked (default KIO_CACHE/src)
#   KIO_KERNEL_VERSION=V   the Linux version to fetch, V.x (default 7.2; `make bench` runs this
#                          script with 7.3 for the upstream side of its codegen table, and then
#                          reads KIO_UPSTREAM_KDIR and KIO_UPSTREAM_SUITES instead of KDIR and
#                          KIO_KERNEL_SUITES: see lib.sh)
#   KIO_KERNEL_SUITES="…"  Debian suites searched for linux-source-7.2
#   KIO_APT_MIRROR=URI     mirror used for those suites (default: the machine's own)
#   KIO_MIN_FREE_MB=N      free space needed in KIO_CACHE
#   KIO_EUID / KIO_SUDO    effective uid and sudo command (to simulate an unprivileged user)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PACKAGES=(rustc-web rust-web-src rust-web-clippy rustfmt-web clang-19 lld-19 llvm-19
	libclang-19-dev qemu-system-x86 busybox-static cpio flex bison bc libelf-dev
	libssl-dev xz-utils python3 make gcc libc6-dev procps stress-ng)
SUITES=${KIO_KERNEL_SUITES-sid trixie-backports}
MIN_FREE_MB=${KIO_MIN_FREE_MB:-12000}
euid=${KIO_EUID:-$(id -u)}
sudo_cmd=${KIO_SUDO:-sudo}

# --- privileges -------------------------------------------------------------------------
as_root=()
if [ "$euid" != 0 ]; then
	command -v "$sudo_cmd" >/dev/null 2>&1 && "$sudo_cmd" -n true 2>/dev/null ||
		die "not root and no passwordless sudo: run as root or configure 'sudo -n'"
	as_root=("$sudo_cmd" -n)
fi

# --- disk -------------------------------------------------------------------------------
mkdir -p "$KIO_CACHE" "$KIO_LOGS"
free_mb=$(df -Pm "$KIO_CACHE" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge "$MIN_FREE_MB" ] ||
	die "disk too small: ${free_mb} MiB free in $KIO_CACHE, need ${MIN_FREE_MB} MiB (set KIO_CACHE elsewhere)"

apt_log=$KIO_LOGS/setup-apt.log

# Runs from other clones share KIO_CACHE (bindgen, the source, the kernels) and the system's
# packages: one set-up at a time on the machine; a second one waits, then finds everything.
exec 8>"$KIO_CACHE/.setup.lock"
flock 8

# The Debian mirror for the private source lists: KIO_APT_MIRROR, else the machine's own.
apt_mirror() {
	[ -z "${KIO_APT_MIRROR:-}" ] || { echo "$KIO_APT_MIRROR"; return; }
	grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list.d/*.list | grep -v security | grep -oE 'https?://[^ ]+' | head -n 1 || true
}

# --- Debian packages --------------------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	note "installing: ${missing[*]}"
	"${as_root[@]}" apt-get update >"$apt_log" 2>&1 && ! grep -qE '^(Err|W: Failed)' "$apt_log" ||
		die "package registry unreachable (apt-get update failed; see $apt_log)"
	DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y --no-install-recommends \
		"${missing[@]}" >>"$apt_log" 2>&1 ||
		die "apt-get install failed for: ${missing[*]} (see $apt_log)"
fi

# --- QEMU >= 8 ------------------------------------------------------------------------------
# Bookworm's QEMU 7.2 aborts (hw_error) on an edu DMA that ends at the last byte of the device
# buffer, i.e. on every 4096-byte transfer (fixed upstream in 8.0). bookworm-backports carries a
# fixed QEMU; install it through a private sources list, leaving the system's untouched.
qemu_major=$(qemu-system-x86_64 --version 2>/dev/null | sed -n 's/^QEMU emulator version \([0-9]*\).*/\1/p')
if [ "${qemu_major:-0}" -lt 8 ]; then
	mirror=$(apt_mirror)
	[ -n "$mirror" ] || die "no Debian mirror configured in /etc/apt; set KIO_APT_MIRROR=URI"
	bpo=$KIO_CACHE/apt-backports
	mkdir -p "$bpo/lists/partial"
	{
		echo "deb $mirror bookworm main"
		echo "deb $mirror bookworm-updates main"
		echo "deb ${mirror%/debian}/debian-security bookworm-security main"
		echo "deb $mirror bookworm-backports main"
	} >"$bpo/sources.list"
	bopts=(-o Dir::Etc::sourcelist="$bpo/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$bpo/lists")
	note "installing qemu-system-x86 from bookworm-backports (found QEMU ${qemu_major:-none}, need >= 8)"
	"${as_root[@]}" apt-get "${bopts[@]}" update >"$apt_log" 2>&1 && ! grep -qE '^(Err|W: Failed)' "$apt_log" ||
		die "package registry unreachable: $mirror (bookworm-backports); see $apt_log"
	DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get "${bopts[@]}" install -y --no-install-recommends \
		-t bookworm-backports qemu-system-x86 >>"$apt_log" 2>&1 ||
		die "could not install qemu-system-x86 from bookworm-backports; see $apt_log"
fi

# --- bindgen ----------------------------------------------------------------------------
if ! "$KIO_BINDGEN" --version 2>/dev/null | grep -qx "bindgen $KIO_BINDGEN_VERSION"; then
	command -v cargo >/dev/null || die "cargo not found: it is needed once to build bindgen-cli $KIO_BINDGEN_VERSION"
	note "building bindgen-cli $KIO_BINDGEN_VERSION (about a minute)"
	LIBCLANG_PATH=/usr/lib/llvm-19/lib cargo install --locked --quiet \
		--root "$KIO_CACHE/bindgen-$KIO_BINDGEN_VERSION" bindgen-cli --version "$KIO_BINDGEN_VERSION" \
		>"$KIO_LOGS/setup-bindgen.log" 2>&1 ||
		die "could not build bindgen-cli $KIO_BINDGEN_VERSION from crates.io (registry unreachable?); see $KIO_LOGS/setup-bindgen.log"
fi

# --- kernel source ----------------------------------------------------------------------
if [ -n "${KDIR:-}" ]; then
	"$KIO_ROOT/scripts/build-kernel.sh" >/dev/null
elif [ -z "$(kio_src_tree)" ]; then
	mirror=$(apt_mirror)
	[ -n "$mirror" ] || die "no Debian mirror configured in /etc/apt; set KIO_APT_MIRROR=URI"
	priv=$KIO_SRC_DIR/.apt
	rm -rf "$priv"
	mkdir -p "$priv/lists/partial" "$priv/archives/partial"
	: >"$priv/sources.list"
	for s in $SUITES; do
		echo "deb $mirror $s main" >>"$priv/sources.list"
	done
	aptopts=(-o Dir::Etc::sourcelist="$priv/sources.list" -o Dir::Etc::sourceparts=-
		-o Dir::State::Lists="$priv/lists" -o Dir::Cache::archives="$priv/archives"
		-o APT::Sandbox::User=root)
	if [ -n "$SUITES" ]; then
		apt-get "${aptopts[@]}" update >"$apt_log" 2>&1 && ! grep -qE '^(Err|W: Failed)' "$apt_log" ||
			die "package registry unreachable: $mirror (suites: $SUITES); see $apt_log"
	fi
	kv=$KIO_KERNEL_VERSION
	ver=$(apt-cache "${aptopts[@]}" madison "linux-source-$kv" 2>/dev/null |
		awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -V | tail -n 1 || true)
	[ -n "$ver" ] ||
		die "no linux-source-$kv ($kv.x) in suites '${SUITES:-none}' of $mirror; pass $KIO_KDIR_KNOB=/path/to/a/rust-enabled/$kv/build or set $KIO_SUITES_KNOB"
	note "fetching linux-source-$kv $ver"
	(cd "$priv/archives" && apt-get "${aptopts[@]}" download "linux-source-$kv=$ver" >>"$apt_log" 2>&1) ||
		die "could not download linux-source-$kv $ver from $mirror; see $apt_log"
	rm -rf "$priv/deb"
	dpkg -x "$priv/archives/linux-source-${kv}_"*.deb "$priv/deb"
	mkdir -p "$KIO_SRC_DIR.tmp"
	tar -xJf "$priv/deb/usr/src/linux-source-$kv.tar.xz" -C "$KIO_SRC_DIR.tmp"
	mkdir -p "$KIO_SRC_DIR"
	mv "$KIO_SRC_DIR.tmp/linux-source-$kv" "$KIO_SRC_DIR/"
	rm -rf "$KIO_SRC_DIR.tmp" "$priv"
fi

# --- the kernel accepts this toolchain ----------------------------------------------------
if [ -z "${KDIR:-}" ]; then
	mapfile -t margs < <(kio_make_args)
	chk=$KIO_BUILD/rustavailable$KIO_KERNEL_TAG
	log=$KIO_LOGS/rustavailable$KIO_KERNEL_TAG.log
	mkdir -p "$chk"
	make -s -C "$(kio_src_tree)" O="$chk" "${margs[@]}" rustavailable >"$log" 2>&1 ||
		die "Linux $KIO_KERNEL_VERSION rejects this Rust toolchain (make rustavailable); see $log"
fi
