#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boots the test kernel with our initramfs and virtual PCI devices under TCG, writes the whole
# console to build/logs/console.log (or $1) and returns QEMU's exit status (124 on timeout).
# What this run started is recorded next to the console, in <console>.run: the simulator's PID
# and the run's shared-memory files, so that checks look at this run's own and at nothing of
# another run on the same machine.
#
# Devices: pci-testdev, three edu (one for kio's own suites, one for the edu sample, one for
# rust_edu_mini), and ivshmem-plain whose BAR2 is a host shared-memory file. Guest RAM is a
# shared file too, so a host process can act as a bus master on guest-physical addresses.
#
# Devices of your own: KIO_QEMU_DEVICES="-device edu,addr=0x0c ..." is appended to QEMU's
# arguments (split at white space). A device meant for your driver is kept from the project's
# drivers with kio.driver_override=<pci device>=<driver>[,...] in KIO_CMDLINE: the guest init
# writes <driver> to the device's driver_override before it loads any module, so that only a
# PCI driver of that name can bind it (see Documentation/kio/pipeline.rst, "Devices").
set -euo pipefail
. "$(dirname "$0")/lib.sh"

log=${1:-$KIO_LOGS/console.log}
kdir=$("$KIO_ROOT/scripts/build-kernel.sh")
timeout_s=${KIO_QEMU_TIMEOUT:-600}
# rust_edu_mini, the driver of Documentation/kio/writing-a-driver.rst, has an edu of its own,
# added and reserved the way that page tells a driver author to add and reserve theirs: a QEMU
# device at a free slot, and kio.driver_override naming the driver, so that kio_test and
# rust_edu leave it alone.
# doc: start sample-device
sample_devices=(-device edu,addr=0x07)
cmdline="console=ttyS0 panic=-1 kio.driver_override=0000:00:07.0=rust_edu_mini ${KIO_CMDLINE:-}"
# doc: end sample-device

# The slots this script and QEMU's pc machine fill (the rest, 04-06 and 0c-1f, are free).
declare -A taken=([00]="the host bridge" [01]="the ISA/IDE bridge" [02]="the VGA card"
	[03]="the e1000 network card" [07]="the project's edu of rust_edu_mini"
	[08]="the project's pci-testdev (rust_dma)"
	[09]="the project's first edu (kio_test)" [0a]="the project's second edu (rust_edu)"
	[0b]="the project's ivshmem-plain (nova_lite)")
read -ra user_devices <<<"${KIO_QEMU_DEVICES:-}"
overrides=$(tr ' ' '\n' <<<"${KIO_CMDLINE:-}" | sed -n 's/^kio\.driver_override=//p' | tr ',' '\n')
while read -r spec; do
	[ -n "$spec" ] || continue
	[[ "$spec" =~ ^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]=[A-Za-z0-9_.-]+$ ]] ||
		die "kio.driver_override: '$spec' is not <pci device>=<driver>, e.g. 0000:00:0c.0=my_edu (lower-case hex, as in /sys/bus/pci/devices)"
done <<<"$overrides"
for ((i = 0; i < ${#user_devices[@]}; i++)); do
	[ "${user_devices[i]}" = -device ] || continue
	dev=${user_devices[i + 1]:-}
	[ -n "$dev" ] || die "KIO_QEMU_DEVICES: -device without a value"
	addr=$(tr ',' '\n' <<<"$dev" | sed -n 's/^addr=//p')
	if [ -z "$addr" ]; then
		note "KIO_QEMU_DEVICES: '-device $dev' has no addr=, so QEMU picks its slot and the" \
			"project's drivers may bind it; give it a free slot (04-06, 0c-1f) and a driver with" \
			"KIO_CMDLINE=kio.driver_override=0000:00:<slot>.0=<driver>"
		continue
	fi
	[[ "${addr,,}" =~ ^(0x)?([0-9a-f]{1,2})(\.([0-7]))?$ ]] ||
		die "KIO_QEMU_DEVICES: '-device $dev': addr=$addr is not <slot>[.<function>] in hex, e.g. addr=0x0c"
	slot=$(printf '%02x' "$((16#${BASH_REMATCH[2]}))")
	bdf=0000:00:$slot.${BASH_REMATCH[4]:-0}
	[ "$((16#$slot))" -le 31 ] || die "KIO_QEMU_DEVICES: '-device $dev': slot $slot is above 1f"
	[ -z "${taken[$slot]:-}" ] ||
		die "KIO_QEMU_DEVICES: '-device $dev': slot $slot holds ${taken[$slot]}; free slots are 04-06 and 0c-1f"
	grep -q "^$bdf=" <<<"$overrides" ||
		note "KIO_QEMU_DEVICES: $bdf ('-device $dev') may be bound by the project's drivers;" \
			"keep it for yours with KIO_CMDLINE=kio.driver_override=$bdf=<driver>"
done
! kio_controls_on || cmdline+=" kio.controls=1 printk.devkmsg=on"
shm=${KIO_SHM_DIR:-/dev/shm}
ram_file=$shm/kio-ram-$$
vgpu_file=$shm/kio-vgpu-$$
mkdir -p "$(dirname "$log")"
sim_pid= stall_pid=
cleanup() {
	if [ -n "$stall_pid" ]; then
		kill "$stall_pid" 2>/dev/null || true
		wait "$stall_pid" 2>/dev/null || true
	fi
	# The simulator ends on SIGTERM: its status is not ours (nor an error under set -e).
	if [ -n "$sim_pid" ]; then
		kill "$sim_pid" 2>/dev/null || true
		kill -CONT "$sim_pid" 2>/dev/null || true
		wait "$sim_pid" 2>/dev/null || true
	fi
	rm -f "$ram_file" "$vgpu_file"
}
trap cleanup EXIT

# The virtual GPU's firmware: a host process on the two shared files. It is killed when this
# script exits, and exits by itself if this script disappears.
# Its log, like everything of this run, is named after the console: <console>-vgpu-sim.log.
# A guest that will not load nova_lite (its initramfs's etc/kio-modules, written next to the
# image by build-initramfs.sh, does not name it) gets no simulator: an idle one still polls.
sim_log=${log%.log}-vgpu-sim.log
image=${KIO_INITRAMFS:-$KIO_BUILD/initramfs.cpio.gz}
modlist=${image%.cpio.gz}/etc/kio-modules
truncate -s 512M "$ram_file"
truncate -s 8M "$vgpu_file"
if [ ! -f "$modlist" ] || grep -qx nova_lite "$modlist"; then
	sim=$("$KIO_ROOT/scripts/build-tools.sh")
	"$sim" --bar "$vgpu_file" --ram "$ram_file" --max-seconds "$((timeout_s + 10))" \
		2>"$sim_log" &
	sim_pid=$!
else
	echo "vgpu-sim: not started, the guest does not load nova_lite ($modlist)" >"$sim_log"
fi

# KIO_SIM_STALL_MS=N: stop the simulator (SIGSTOP) for N ms at random moments, 0.5 to 3 s apart,
# for as long as it runs, as a loaded host would. Each stall is logged in
# <console>-vgpu-sim-stalls.log.
if [ -n "${KIO_SIM_STALL_MS:-}" ] && [ -n "$sim_pid" ]; then
	stall_log=${log%.log}-vgpu-sim-stalls.log
	: >"$stall_log"
	(
		nap= # the sleep in progress, ended with the loop
		trap 'kill -CONT $sim_pid 2>/dev/null; kill $nap 2>/dev/null; exit 0' TERM
		while kill -0 "$sim_pid" 2>/dev/null; do
			sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", 0.5 + r / 32768 * 2.5 }')" &
			nap=$!
			wait $nap
			kill -STOP "$sim_pid" 2>/dev/null || break
			echo "$(date +%T.%N) stopped for $KIO_SIM_STALL_MS ms" >>"$stall_log"
			sleep "$(awk -v ms="$KIO_SIM_STALL_MS" 'BEGIN { printf "%.3f", ms / 1000 }')" &
			nap=$!
			wait $nap
			kill -CONT "$sim_pid" 2>/dev/null || break
		done
	) &
	stall_pid=$!
fi
printf 'sim_pid=%s\nsim_bar=%s\nshm_files="%s %s"\n' "$sim_pid" "$vgpu_file" "$ram_file" "$vgpu_file" \
	>"${log%.log}.run"

# The CPU model: QEMU's qemu64 (KIO_QEMU_CPU overrides it). Under -cpu max, which also
# offers every extension TCG can emulate (AVX-512, XSAVE state of 2.7 KiB, ...), the same
# main boot took 60 s instead of 44, and the kernel's and our code use none of them: both are
# built for baseline x86-64 without SIMD.
set +e
timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 \
	-machine pc,memory-backend=ram -accel tcg -icount "${KIO_QEMU_ICOUNT:-shift=3,sleep=off}" -cpu "${KIO_QEMU_CPU:-qemu64}" -smp 2 -m 512M \
	-object memory-backend-file,id=ram,size=512M,mem-path="$ram_file",share=on \
	-object memory-backend-file,id=vgpu,size=8M,mem-path="$vgpu_file",share=on \
	-kernel "$kdir/arch/x86/boot/bzImage" \
	-initrd "$image" \
	-append "$cmdline" \
	-device pci-testdev,addr=0x08 \
	-device edu,addr=0x09 \
	-device edu,addr=0x0a \
	-device ivshmem-plain,memdev=vgpu,addr=0x0b \
	"${sample_devices[@]}" "${user_devices[@]}" \
	-display none -no-reboot -serial "file:$log" -monitor none
rc=$?
set -e
exit $rc
