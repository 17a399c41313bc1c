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

# kio's coherent copies must reach this fraction of the kernel memcpy's throughput.
COPY_TARGET = 0.9
COPY = re.compile(r"^copy-(from|to)-(\d+)-(\d+)-(kio|memcpy|words)$")


def copy_table(rounds):
    """The copy rows: for each direction, size and skew, the time per copy of each side (the
    best of its rounds), kio's throughput over memcpy's in each round and best against best,
    and the verdict on the latter.

    Guest time is QEMU's instruction-counting clock shared by both vCPUs, so anything the other
    vCPU runs during a measurement inflates it; the best round of each side is the estimate
    least touched by that, and the per-round ratios show how much it moved."""
    keys = sorted({(m.group(1), int(m.group(2)), int(m.group(3)))
                   for name in rounds for m in [COPY.match(name)] if m},
                  key=lambda k: (k[0], k[1], k[2]))
    if not keys:
        return [], 0
    rows = ["copy (coherent side)  size   skew  kio ns  memcpy ns  words ns  "
            "kio/memcpy throughput (rounds; best)  verdict"]
    below = 0
    for d, size, skew in keys:
        per = {}
        for side in ("kio", "memcpy", "words"):
            per[side] = rounds.get(f"copy-{d}-{size}-{skew}-{side}", [])
        if not per["kio"] or not per["memcpy"]:
            rows.append(f"{d:<21} {size:<6} {skew:<5} missing")
            below += 1
            continue
        op = {side: min(ns / loops for ns, loops in v) if v else 0.0
              for side, v in per.items()}
        each = [m[0] / m[1] / (k[0] / k[1]) for k, m in zip(per["kio"], per["memcpy"])]
        overall = op["memcpy"] / op["kio"] if op["kio"] else 0.0
        ok = overall >= COPY_TARGET
        below += not ok
        rounds_text = " ".join(f"{r:.2f}" for r in each)
        rows.append(f"{d:<21} {size:<6} {skew:<5} {op['kio']:7.0f}  {op['memcpy']:9.0f}  "
                    f"{op['words']:8.0f}  {rounds_text + '; ' + format(overall, '.2f'):<35}  "
                    f"{'ok' if ok else 'below ' + str(COPY_TARGET)}")
    return rows, below


def main():
    console, out = sys.argv[1], sys.argv[2]
    totals = {}
    rounds = {}
    for line in open(console, errors="replace"):
        m = re.search(r"kio-bench: (\S+) bytes=(\d+) loops=(\d+) ns=(\d+)", line)
        if m:
            rounds.setdefault(m.group(1), []).append((int(m.group(4)), int(m.group(3))))
            if COPY.match(m.group(1)):
                continue
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
    copies, below = copy_table(rounds)
    if copies:
        rows.append("")
        rows.extend(copies)
    text = "\n".join(rows) + "\n"
    with open(out, "w") as f:
        f.write("kio run-time benchmark (guest virtual time)\n" + text)
    sys.stdout.write(text)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
