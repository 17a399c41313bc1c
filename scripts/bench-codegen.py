#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Codegen proof: compares each kio function of kio_bench with its hand-written twin.

Disassembles the kio_bench object with llvm-objdump (relocations shown, so calls are named),
counts the instructions of each function (padding excluded), looks for panic or build-error
paths, prints a table, saves it, and checks the targets:

- static projections and io_read!/io_write!: exactly the hand-written instruction count;
- [try:]: at most one compare and one branch more than the hand-written bounds check;
- the cost of a fenced copy of memory a device shares: no more out-of-line calls than the
  hand-written copy and at most three instructions more, which is what the fence after the copy
  costs a function that ends with it: a call and a return instead of a tail jump, and the push
  and pop that align the stack for the call (this target measures cost only; whether the copy
  is kept is what the "kept" pairs check);
- kept copies: every kio copy is still there (counted as calls of memcpy), where the
  hand-written plain copy has lost some to the optimiser, which is what the pair proves;
- no panic/BUG path in any kio function.

With --pairs-kio and/or --pairs-upstream it also compares the codegen pairs of kio_pairs
(rust/kio/bench/kio_pairs.rs: one source in upstream 7.3's names, built on Linux 7.2 against
kio and on Linux 7.3 against the kernel's own API). For each pair it prints three instruction
counts, kio (7.2), upstream (7.3) and hand-written, and the panic paths of each, and checks:

- kio: exactly the hand-written instruction count of the same build, and no panic path;
- hand-written twins: no panic path in either build (a twin that can panic proves nothing);
- every function of a given build is there.

Upstream has no target: it is measured, not judged. Either build may be left out (the kio
column until kio compiles the pairs, the upstream one in `make check`); the hand-written
column comes from the 7.2 build when there is one.

Last line: "RESULT <passed> <failed> 0" (one case per pair of each table).
"""

import argparse
import os
import re
import subprocess
import sys

# pair name -> (description, target: "same", "try", "fenced" or ("kept", copies kio keeps))
PAIRS = {
    "coherent_copy": ("copy_read_into 64 bytes, Coherent", "fenced"),
    # "kept" counts memcpy calls: this kernel's build calls memcpy even for 64 constant bytes;
    # a build that inlines them as moves makes these pairs fail loudly, not pass silently.
    "unused_copy": ("copy_read, result unused, Coherent", ("kept", 1)),
    "overwritten_copy": ("copy_write twice, Coherent", ("kept", 2)),
}
# kio_pairs: pair name -> description. Functions kio_pairs_api_<pair> (kio on 7.2, upstream on
# 7.3) and kio_pairs_hand_<pair>.
PORT_PAIRS = {
    "field_read": "io_read! MMIO field",
    "field_write": "io_write! MMIO field",
    "nested_read": "io_read! MMIO nested field",
    "build_index": "io_write! MMIO [build:] index",
    "try_index": "io_read! MMIO [try:] index",
    "copy_read": "copy_read 64 bytes of MMIO",
    "relaxed_read": "io_read! relaxed MMIO field",
    "offset_read": "read32 at a constant offset",
    "offset_try_read": "try_read32 at a run-time offset",
    "try_cast": "try_cast a region, read a field",
    "iosys_read": "io_read! IoSysMap field",
    "sysmem_read": "io_read! SysMem field",
    "coherent_read": "io_read! Coherent u64 field",
    "coherent_write": "io_write! Coherent u32 field",
    "view_read": "io_read! CoherentView field",
    "coherent_try_index": "io_read! Coherent [try:] index",
    "dma_address": "dma_address() of a Coherent field",
    "range_dma_address": "dma_address() of [try: a..b]",
}
PANIC = re.compile(r"panic|build_error|\bBUG\b|ud2|__ubsan|unwrap_failed|expect_failed")
# Return and indirect-branch thunks (CONFIG_MITIGATION_RETHUNK and friends) are not calls.
THUNK = re.compile(r"__x86_(return|indirect)_thunk")
PADDING = re.compile(r"^\s*(int3|nop\w*)\b")


def functions(objdump, obj):
    if not os.path.isfile(obj):
        sys.exit(f"kio: error: no object {obj} to disassemble (was it built?)")
    text = subprocess.run(
        [objdump, "-dr", "-C", "--no-show-raw-insn", obj], check=True, capture_output=True, text=True
    ).stdout
    funcs, name = {}, None
    for line in text.splitlines():
        m = re.match(r"^[0-9a-f]+ <(?:\S+::)?(\S+)>:$", line)
        if m:
            # Identical functions may be folded into one body with two names: a label with no
            # instructions before the next one shares that one's body.
            if name is not None and not funcs[name]["insns"]:
                funcs[m.group(1)] = funcs[name]
            else:
                funcs[m.group(1)] = {"insns": [], "panic": False, "panics": 0, "calls": 0,
                                     "memcpy": 0}
            name = m.group(1)
            continue
        if name is None or not line.strip():
            continue
        if "R_X86_64" in line:
            if PANIC.search(line):
                funcs[name]["panic"] = True
                funcs[name]["panics"] += 1
            if "PLT32" in line and not THUNK.search(line):
                funcs[name]["calls"] += 1
                # memcpy, or KASAN's instrumented __asan_memcpy on a debug kernel; not
                # memcpy_fromio/memcpy_toio.
                if re.search(r"memcpy\b", line):
                    funcs[name]["memcpy"] += 1
            continue
        m = re.match(r"^\s+[0-9a-f]+:\s+(.*)$", line)
        if not m:
            continue
        insn = m.group(1)
        if PADDING.match(insn):
            continue
        if PANIC.search(insn):
            funcs[name]["panic"] = True
            # A call's target is counted by its relocation; a trap (ud2) is a path of its own.
            if not re.match(r"call", insn):
                funcs[name]["panics"] += 1
        funcs[name]["insns"].append(insn)
    # The compiler may fold identical functions into one body with several names; objdump
    # then labels the body with one of them. Give every name of a body that body.
    syms = subprocess.run(
        [objdump, "-t", "-C", obj], check=True, capture_output=True, text=True
    ).stdout
    by_addr = {}
    for line in syms.splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[2] == "F" and parts[3].startswith(".text"):
            by_addr.setdefault((parts[3], parts[0]), []).append(parts[-1].split("::")[-1])
    for names in by_addr.values():
        body = next((funcs[n] for n in names if n in funcs), None)
        for n in names:
            if body is not None:
                funcs.setdefault(n, body)
    return funcs


def table(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


def listing(pair, side, f):
    print(f"--- {pair} ({side})")
    print("\n".join("    " + i for i in f["insns"]))


def bench_table(funcs, verbose):
    """kio_bench: kio vs hand-written in one build. Returns (rows, passed, failed)."""
    rows = [("pair", "kio", "hand", "ratio", "calls (kio/hand)", "panic path (kio/hand)",
             "target", "verdict")]
    passed = failed = 0
    for pair, (desc, target) in PAIRS.items():
        k = funcs.get(f"kio_bench_kio_{pair}")
        h = funcs.get(f"kio_bench_hand_{pair}")
        if not k or not h:
            rows.append((desc, "-", "-", "-", "-", "-", str(target), "MISSING"))
            failed += 1
            continue
        nk, nh = len(k["insns"]), len(h["insns"])
        if target == "same":
            ok, want = nk == nh, "equal"
        elif target == "try":
            ok, want = nk <= nh + 2, "<= hand+2"
        elif target == "fenced":
            ok, want = nk <= nh + 3 and k["calls"] <= h["calls"], "cost <= hand+3"
        else:
            keep = target[1]
            ok = k["memcpy"] == keep and h["memcpy"] < keep
            want = f"{keep} copies kept"
        ok = ok and not k["panic"]
        rows.append((desc, str(nk), str(nh), f"{nk / nh:.2f}", f"{k['calls']}/{h['calls']}",
                     f"{'yes' if k['panic'] else 'no'}/{'yes' if h['panic'] else 'no'}",
                     want, "ok" if ok else "REGRESSED"))
        passed += ok
        failed += not ok
        if verbose or not ok:
            listing(pair, "kio", k)
            listing(pair, "hand", h)
    return rows, passed, failed


def pairs_table(kio, up, verbose, judge_counts=True):
    """kio_pairs: kio (7.2), upstream (7.3) and hand-written. `kio` and `up` are the functions
    of each build, or None when that build was not made. Returns (rows, notes, passed, failed).
    """
    rows = [("pair", "kio 7.2", "upstream 7.3", "hand", "upstream/hand",
             "panic paths (kio/upstream/hand)", "verdict")]
    notes = []
    passed = failed = 0

    def count(f):
        return "-" if f is None else str(len(f["insns"]))

    def panics(f):
        return "-" if f is None else str(f["panics"])

    for pair, desc in PORT_PAIRS.items():
        builds = [(name, fs) for name, fs in (("7.2", kio), ("7.3", up)) if fs is not None]
        got = {name: (fs.get(f"kio_pairs_api_{pair}"), fs.get(f"kio_pairs_hand_{pair}"))
               for name, fs in builds}
        missing = [f"{side} ({name})" for name, (a, h) in got.items()
                   for side, f in (("api", a), ("hand", h)) if f is None]
        k, hk = got.get("7.2", (None, None))
        u, hu = got.get("7.3", (None, None))
        # The hand-written reference: the 7.2 build's twin (kio is judged against it), else 7.3's.
        h = hk if kio is not None else hu
        why = []
        if missing:
            why.append("missing " + ", ".join(missing))
        else:
            for name, (_, hf) in got.items():
                if hf["panic"]:
                    why.append(f"hand-written twin has a panic path ({name})")
            if k is not None:
                # kio may not cost more than the hand-written twin; fewer is allowed (the
                # compiler sometimes schedules kio's checks more tightly than the twin's).
                if len(k["insns"]) > len(hk["insns"]):
                    if judge_counts:
                        why.append(f"kio {len(k['insns'])} > hand {len(hk['insns'])}")
                    else:
                        notes.append(f"{desc}: kio {len(k['insns'])} > hand "
                                     f"{len(hk['insns'])} (not judged on the debug kernel)")
                if k["panic"]:
                    why.append("kio has a panic path")
        ok = not why
        hand = count(h)
        if hk is not None and hu is not None and len(hk["insns"]) != len(hu["insns"]):
            hand = f"{len(hk['insns'])}/{len(hu['insns'])}"
            notes.append(f"{desc}: the hand-written twin is {len(hk['insns'])} instructions "
                         f"on 7.2 and {len(hu['insns'])} on 7.3")
        ratio = "-"
        if u is not None and hu is not None and hu["insns"]:
            ratio = f"{len(u['insns']) / len(hu['insns']):.2f}"
        rows.append((desc, count(k), count(u), hand, ratio,
                     f"{panics(k)}/{panics(u)}/{panics(h)}",
                     "ok" if ok else ("MISSING" if missing else "REGRESSED")))
        if not ok:
            notes.append(f"{desc}: " + "; ".join(why))
        passed += ok
        failed += not ok
        if verbose or (not ok and not missing):
            for side, f in (("kio 7.2", k), ("hand 7.2", hk), ("upstream 7.3", u),
                            ("hand 7.3", hu)):
                if f is not None:
                    listing(pair, side, f)
    if kio is None:
        notes.append("kio 7.2: not built (kio_pairs builds on 7.2 once kio follows 7.3's API; "
                     "until then its Kbuild line is behind KIO_PAIRS=1)")
    if up is None:
        notes.append("upstream 7.3: not built (make bench builds it; make check does not)")
    return rows, notes, passed, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("object", nargs="?", help="kio_bench.o (kio vs hand-written, Linux 7.2)")
    ap.add_argument("--pairs-kio", metavar="OBJ", help="kio_pairs.o built on Linux 7.2 (kio)")
    ap.add_argument("--pairs-upstream", metavar="OBJ",
                    help="kio_pairs.o built on Linux 7.3 (kernel::io)")
    ap.add_argument("--objdump", default="llvm-objdump-19")
    ap.add_argument("--out", required=True)
    ap.add_argument("--verbose", action="store_true", help="print each function's code")
    args = ap.parse_args()
    if not (args.object or args.pairs_kio or args.pairs_upstream):
        ap.error("give kio_bench.o, --pairs-kio or --pairs-upstream")

    text = ""
    cases = []
    passed = failed = 0
    if args.object:
        rows, p, f = bench_table(functions(args.objdump, args.object), args.verbose)
        text += "kio codegen: instructions per function (llvm-objdump, padding excluded)\n"
        text += table(rows)
        cases += [(r[0], r[-1] == "ok") for r in rows[1:]]
        passed, failed = passed + p, failed + f
    if args.pairs_kio or args.pairs_upstream:
        kio = functions(args.objdump, args.pairs_kio) if args.pairs_kio else None
        up = functions(args.objdump, args.pairs_upstream) if args.pairs_upstream else None
        # On the debug kernel, KASAN instruments every load, so a twin that keeps fewer fields
        # (the hand-written ones hold only what a C driver's struct would) differs by the
        # checks of the loads it does not make: the counts are the normal kernel's target,
        # and are only reported here. Panic paths are judged on both.
        debug = bool(os.environ.get("KIO_DEBUG"))
        rows, notes, p, f = pairs_table(kio, up, args.verbose, judge_counts=not debug)
        if text:
            text += "\n"
        text += ("kio_pairs: one source, kio on Linux 7.2 and the kernel's own API on Linux 7.3 "
                 "(instructions, padding excluded)\n")
        text += table(rows)
        text += "".join(f"  note: {n}\n" for n in notes)
        cases += [("pairs " + r[0], r[-1] == "ok") for r in rows[1:]]
        passed, failed = passed + p, failed + f

    with open(args.out, "w") as f:
        f.write(text)
    sys.stdout.write(text)
    for name, ok in cases:
        print(f"{'ok' if ok else 'not ok'} codegen {name}")
    print(f"RESULT {passed} {failed} 0")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
