#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the host tools (tools/vgpu-sim) with cargo into build/cargo and prints the
# simulator's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

target=$KIO_BUILD/cargo
mkdir -p "$KIO_LOGS"
CARGO_TARGET_DIR=$target cargo build --release --locked --quiet \
	--manifest-path "$KIO_ROOT/tools/vgpu-sim/Cargo.toml" >"$KIO_LOGS/tools-build.log" 2>&1 ||
	{ tail -n 20 "$KIO_LOGS/tools-build.log" >&2; die "building tools/vgpu-sim failed; see $KIO_LOGS/tools-build.log"; }
echo "$target/release/vgpu-sim"
