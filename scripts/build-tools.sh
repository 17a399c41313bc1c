#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the host tools (tools/vgpu-sim) with cargo into build/cargo and prints the
# simulator's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# KIO_CARGO_TARGET: another cargo target directory (the tests that boot from a scratch
# KIO_BUILD pass the project's own, so that the simulator is not compiled again there).
target=${KIO_CARGO_TARGET:-$KIO_BUILD/cargo}
mkdir -p "$KIO_LOGS"
CARGO_TARGET_DIR=$target cargo build --release --locked --quiet \
	--manifest-path "$KIO_ROOT/tools/vgpu-sim/Cargo.toml" >"$KIO_LOGS/tools-build.log" 2>&1 ||
	{ tail -n 20 "$KIO_LOGS/tools-build.log" >&2; die "building tools/vgpu-sim failed; see $KIO_LOGS/tools-build.log"; }
echo "$target/release/vgpu-sim"
