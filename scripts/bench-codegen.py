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

Last line: "RESULT <passed> <failed> 0" (one case per pair).
"""

import argparse
import re
import subprocess
import sys

# pair name -> (description, target: "same", "try", "fenced" or ("kept", copies kio keeps))
PAIRS = {
    "field_read": ("io_read! field, constant offset", "same"),
    "field_write": ("io_write! field, constant offset", "same"),
    "nested_read": ("io_read! nested field", "same"),
    "build_index": ("io_write! [build:] index", "same"),
    "try_index": ("io_read! [try:] index", "try"),
    "copy_read": ("copy_read of a 64-byte struct", "same"),
    "coherent_read": ("io_read! Coherent field", "same"),
    "coherent_write": ("io_write! Coherent field", "same"),
    "dma_address": ("dma_address() of a projected Coherent sub-view", "same"),
    "coherent_copy": ("copy_read_into 64 bytes, Coherent", "fenced"),
    # "kept" counts memcpy calls: this kernel's build calls memcpy even for 64 constant bytes;
    # a build that inlines them as moves makes these pairs fail loudly, not pass silently.
    "unused_copy": ("copy_read, result unused, Coherent", ("kept", 1)),
    "overwritten_copy": ("copy_write twice, Coherent", ("kept", 2)),
}
PANIC = re.compile(r"panic|build_error|\bBUG\b|ud2|__ubsan|unwrap_failed|expect_failed")
# Return and indirect-branch thunks (CONFIG_MITIGATION_RETHUNK and friends) are not calls.
THUNK = re.compile(r"__x86_(return|indirect)_thunk")
PADDING = re.compile(r"^\s*(int3|nop\w*)\b")


def functions(objdump, obj):
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
                funcs[m.group(1)] = {"insns": [], "panic": False, "calls": 0, "memcpy": 0}
            name = m.group(1)
            continue
        if name is None or not line.strip():
            continue
        if "R_X86_64" in line:
            if PANIC.search(line):
                funcs[name]["panic"] = True
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("object")
    ap.add_argument("--objdump", default="llvm-objdump-19")
    ap.add_argument("--out", required=True)
    ap.add_argument("--verbose", action="store_true", help="print each function's code")
    args = ap.parse_args()

    funcs = functions(args.objdump, args.object)
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
        if args.verbose or not ok:
            for side, f in (("kio", k), ("hand", h)):
                print(f"--- {pair} ({side})")
                print("\n".join("    " + i for i in f["insns"]))

    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    table = "\n".join(lines) + "\n"
    with open(args.out, "w") as f:
        f.write("kio codegen: instructions per function (llvm-objdump, padding excluded)\n")
        f.write(table)
    sys.stdout.write(table)
    for r in rows[1:]:
        print(f"{'ok' if r[-1] == 'ok' else 'not ok'} codegen {r[0]}")
    print(f"RESULT {passed} {failed} 0")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
