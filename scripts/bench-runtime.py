#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns the "kio-bench:" lines of a guest console into the run-time benchmark table.

Each line is "kio-bench: <name> bytes=<B> loops=<L> ns=<T>"; the same name may appear several
times (rounds, devices) and is summed. Prints MiB/s per measurement and the kio/hand ratios of
the pairs measured in the same run (time of kio over time of hand-written: 1.00 is parity,
below 1 is kio faster). Guest time is QEMU's virtual clock (-icount shift=auto).
"""

import re
import sys

PAIRS = [
    ("Echo RPC round trip (nova-lite)", "echo-rpc-kio", "echo-rpc-preseries"),
    ("MMIO copy of edu's 4 KiB window", "mmio-copy-kio", "mmio-copy-hand"),
    ("Coherent 4 KiB copy vs volatile byte loop", "coherent-copy-kio", "coherent-volatile-hand"),
]


def main():
    console, out = sys.argv[1], sys.argv[2]
    totals = {}
    for line in open(console, errors="replace"):
        m = re.search(r"kio-bench: (\S+) bytes=(\d+) loops=(\d+) ns=(\d+)", line)
        if m:
            t = totals.setdefault(m.group(1), [0, 0, 0])
            t[0] += int(m.group(2)) * int(m.group(3))
            t[1] += int(m.group(4))
            t[2] += int(m.group(3))
    if not totals:
        print("no kio-bench lines in the console", file=sys.stderr)
        return 1
    rows = ["measurement                      MiB/s     ops/s"]
    for name, (nbytes, ns, ops) in sorted(totals.items()):
        rows.append(f"{name:<27} {nbytes / max(ns, 1) * 1e9 / 2**20:10.2f} {ops / max(ns, 1) * 1e9:9.0f}")
    rows.append("")
    rows.append("pair (same run)                              kio/hand time ratio")
    for desc, kio, hand in PAIRS:
        if kio in totals and hand in totals:
            ratio = totals[kio][1] / max(totals[hand][1], 1)
            rows.append(f"{desc:<44} {ratio:.2f}")
    text = "\n".join(rows) + "\n"
    with open(out, "w") as f:
        f.write("kio run-time benchmark (guest virtual time)\n" + text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
