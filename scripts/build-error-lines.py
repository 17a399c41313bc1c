#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Names the source lines behind "rust_build_error" references of module objects.

A `build_assert!`, `build_error!` or `[build: i]` projection that the compiler cannot prove
leaves a call to `rust_build_error` in the object, and modpost then only says
`"rust_build_error" [x.ko] undefined!`. Given objects built with line tables
(`-Cdebuginfo=line-tables-only`), this links each into a throw-away executable (so that every
section has an address of its own, keeping the relocations with `-q`), finds the
instructions whose relocation names `rust_build_error` (llvm-objdump -dr), and asks
llvm-symbolizer for their inlining chains. It prints, per reference, the innermost line in
the module's own crate and the chain from the failed check out to the function the code was
compiled into. Exits 1 if an object has no reference it can map.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

FUNC = re.compile(r"^([0-9a-f]+) <(.*)>:$")
INSN = re.compile(r"^\s*([0-9a-f]+):\s")
RELOC = re.compile(r"^\s*([0-9a-f]+):\s+R_\S+\s+rust_build_error\b")


def references(objdump, elf):
    """Yields (instruction address, function) of every instruction relocated against
    rust_build_error."""
    out = subprocess.run([objdump, "-dr", "--no-show-raw-insn", "-C", elf],
                         capture_output=True, text=True, check=True).stdout
    func, insn = "?", None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            func, insn = m.group(2), None
            continue
        m = RELOC.match(line)
        if m:
            if insn is not None:
                yield insn, func
            continue
        m = INSN.match(line)
        if m:
            insn = int(m.group(1), 16)


def frames(symbolizer, elf, addrs):
    """Returns, per address, the inlining chain, innermost first: (function, file, line,
    column) tuples."""
    out = subprocess.run([symbolizer, "--inlining", "--demangle", "--output-style=JSON",
                          "--obj", elf] + [hex(a) for a in addrs],
                         capture_output=True, text=True, check=True).stdout
    chains = []
    for line in out.splitlines():
        if not line.strip():
            continue
        for entry in json.loads(line) if line.lstrip().startswith("[") else [json.loads(line)]:
            chain = []
            for s in entry.get("Symbol", []):
                name = s.get("FileName") or ""
                chain.append((s.get("FunctionName") or "??", os.path.normpath(name) if name else "",
                              s.get("Line") or 0, s.get("Column") or 0))
            chains.append(chain)
    return chains


def shown(path, tree):
    """A path relative to the module tree when inside it, else as it is."""
    if path and (path == tree or path.startswith(tree + os.sep)):
        return os.path.relpath(path, tree)
    return path or "??"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("objects", nargs="+", help="module objects (<name>.o) built with line tables")
    ap.add_argument("--tree", required=True, help="the module tree (Kbuild's M=)")
    ap.add_argument("--crate-dir", action="append", default=[],
                    help="<object>=<dir>: the directory of the object's own crate")
    ap.add_argument("--objdump", default="llvm-objdump")
    ap.add_argument("--symbolizer", default="llvm-symbolizer")
    ap.add_argument("--ld", default="ld.lld")
    args = ap.parse_args()
    tree = os.path.realpath(args.tree)
    crate_dirs = dict(c.split("=", 1) for c in args.crate_dir)
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        for obj in args.objects:
            name = os.path.basename(obj)[:-2]
            elf = os.path.join(tmp, name + ".elf")
            subprocess.run([args.ld, "-q", "-e", "0", "--no-gc-sections",
                            "--unresolved-symbols=ignore-all", "-o", elf, obj],
                           check=True, capture_output=True)
            refs = list(references(args.objdump, elf))
            if not refs:
                print(f"  {name}.ko: no rust_build_error reference found in {obj}")
                status = 1
                continue
            chains = frames(args.symbolizer, elf, [a for a, _ in refs])
            own = os.path.realpath(crate_dirs.get(name, tree))
            seen = {}
            for (addr, func), chain in zip(refs, chains):
                chain = [f for f in chain if f[1]]
                if not chain:
                    key = (f"{func} (no line information)", ())
                else:
                    # The innermost frame in the module's own crate; else the outermost.
                    at = next((f for f in chain
                               if os.path.realpath(f[1]).startswith(own + os.sep)), chain[-1])
                    key = (f"{shown(at[1], tree)}:{at[2]}:{at[3]}, in {at[0]}",
                           tuple((f"{shown(f[1], tree)}:{f[2]}:{f[3]}", f[0]) for f in chain))
                seen[key] = seen.get(key, 0) + 1
            for (where, chain), n in seen.items():
                times = f" ({n} references)" if n > 1 else ""
                print(f"  {name}.ko: a build-time check failed at {where}{times}")
                width = max((len(loc) for loc, _ in chain), default=0)
                for i, (loc, fn) in enumerate(chain):
                    what = " (the failed check)" if i == 0 else ""
                    print(f"      {loc:<{width}}  in {fn}{what}")
    return status


if __name__ == "__main__":
    sys.exit(main())
