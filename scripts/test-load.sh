#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The load-proof claim (Documentation/kio/pipeline.rst, "Time"): `make check` passes while other
# processes saturate every core and the simulator is stopped for 300 ms at random moments.
#   scripts/test-load.sh [runs]    default 5; stress-ng --cpu 4 for the whole series
# Each run's output is kept in build/logs/load-<n>.log; the last line is "N of M runs passed".
# The simulator stalls counted are those of every boot of the run that has a simulator.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

runs=${1:-5}
command -v stress-ng >/dev/null || die "stress-ng is not installed (scripts/setup.sh installs it)"
mkdir -p "$KIO_LOGS"
stress-ng --cpu "${KIO_LOAD_CPUS:-4}" --timeout 0 --quiet &
stress_pid=$!
trap 'kill $stress_pid 2>/dev/null; wait $stress_pid 2>/dev/null' EXIT
passed=0
for i in $(seq 1 "$runs"); do
	log=$KIO_LOGS/load-$i.log
	rm -f "$KIO_LOGS"/*-vgpu-sim-stalls.log
	s=$(date +%s)
	KIO_SIM_STALL_MS=${KIO_SIM_STALL_MS:-300} "$KIO_ROOT/scripts/check.sh" >"$log" 2>&1
	rc=$?
	stalls=$(cat "$KIO_LOGS"/*-vgpu-sim-stalls.log 2>/dev/null | grep -c stopped)
	echo "run $i: exit $rc, $(tail -n 1 "$log"), $(($(date +%s) - s)) s, load $(cut -d' ' -f1 /proc/loadavg), $stalls simulator stalls"
	[ $rc -ne 0 ] || passed=$((passed + 1))
	[ $rc -eq 0 ] || grep -E '^(FAIL|not ok)' "$log" | head -n 10 | sed 's/^/  | /'
done
echo "$passed of $runs runs passed"
[ "$passed" -eq "$runs" ]
