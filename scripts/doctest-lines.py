#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Names the doc example behind a line of a generated doctest file.

The kernel's rustdoc_test_gen (run by scripts/doctests.sh) copies every doc example into one
function of doctests_<crate>_generated.rs, so the compiler's errors and the line tables point
into that file. Each function there carries what is needed to go back: the example's file and
the line rustdoc gives for it (in its `assert!` override, `c"<file>", __DOCTEST_ANCHOR - <line>`)
and the anchor, `static __DOCTEST_ANCHOR: i32 = ::core::line!() as i32 + <n> + 2;`, whose value
is the generated line of the example's `fn main() {` wrapper. The KUnit assertions use the same
arithmetic (kernel::kunit_assert!): source line = generated line - anchor + rustdoc's line.
rustdoc's line is the one before the fence for docs that pass through a macro (io/mmio.rs), so
the line found is checked against the source text and moved to the nearest line that matches.

Reads text (a build log) on standard input and, for every distinct place
`<...>doctests_<crate>_generated.rs:<line>[:<column>]` in it, prints one line
`kio: doc example: <place> is <source file>:<line>[:<column>] (KUnit case <case>)`.
Usage: doctest-lines.py --tree <source tree> <generated .rs>...
"""

import argparse
import os
import re
import sys

CASE = re.compile(r'^pub extern "C" fn (\w+)\(')
ORIGIN = re.compile(r'c"([^"]+)", __DOCTEST_ANCHOR - (\d+),')
ANCHOR = re.compile(r"static __DOCTEST_ANCHOR: i32 = ::core::line!\(\) as i32 \+ (\d+) \+ 2;")
# rustdoc's end of its `fn main() {` wrapper: the example's last line is the one before.
BODY_END = re.compile(r"^\} (let test_return_value = |_doctest_main_\w+\(\))")
PLACE = re.compile(r"([^\s(]*?(doctests_\w+_generated\.rs)):(\d+)(?::(\d+))?")
DOC = re.compile(r"^(\s*//[/!] ?)(# )?(.*)$")


def functions(path):
    """[(first line, last line, case, source file, rustdoc's line, anchor, end of the example)]
    of a generated file."""
    with open(path) as f:
        lines = f.read().split("\n")
    found = []
    cur = None
    for n, text in enumerate(lines, 1):
        m = CASE.match(text)
        if m:
            if cur:
                cur[1] = n - 1
            cur = [n, len(lines), m.group(1), None, None, None, None]
            found.append(cur)
            continue
        if not cur:
            continue
        m = ORIGIN.search(text)
        if m and cur[3] is None:
            cur[3], cur[4] = m.group(1), int(m.group(2))
        m = ANCHOR.search(text)
        if m:
            cur[5] = n + int(m.group(1)) + 2
        if cur[5] and cur[6] is None and BODY_END.match(text):
            cur[6] = n
    return lines, [tuple(c) for c in found if None not in c]


def same(doc, generated):
    """Is `generated` the doc line `doc`? rustdoc drops a comment at the end of a line."""
    if doc == generated:
        return True
    rest = doc[len(generated):] if doc.startswith(generated) else ""
    return rest.strip().startswith("//")


def locate(tree, gen_lines, func, line, col):
    """The source place of generated line `line`, as text."""
    _, _, case, src, base, anchor, end = func
    if not anchor < line < end:
        return f"the KUnit wrapper of case {case}, around the example at {src}:{base}"
    want = line - anchor + base
    text = gen_lines[line - 1].rstrip()
    try:
        with open(os.path.join(tree, src)) as f:
            source = f.read().split("\n")
    except OSError:
        return f"{src}:{want} (KUnit case {case})"
    # The generated line is the doc line without its `/// ` (and a hidden line's `# `).
    for delta in (0, 1, -1, 2, -2, 3, -3):
        n = want + delta
        if not 1 <= n <= len(source):
            continue
        m = DOC.match(source[n - 1])
        if m and text.strip() and same(m.group(3).rstrip(), text):
            where = f"{src}:{n}"
            if col is not None:
                where += f":{int(col) + len(m.group(1)) + len(m.group(2) or '')}"
            return f"{where} (KUnit case {case})"
    return f"{src}:{want} (KUnit case {case})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tree", required=True, help="the source tree the files are relative to")
    ap.add_argument("generated", nargs="+", help="doctests_<crate>_generated.rs files")
    args = ap.parse_args()
    files = {}
    for path in args.generated:
        if os.path.isfile(path):
            files[os.path.basename(path)] = functions(path)
    seen = set()
    for m in PLACE.finditer(sys.stdin.read()):
        place, base, line, col = m.group(0), m.group(2), int(m.group(3)), m.group(4)
        if place in seen or base not in files:
            continue
        seen.add(place)
        gen_lines, funcs = files[base]
        func = next((f for f in funcs if f[0] <= line <= f[1]), None)
        if func is None:
            print(f"kio: doc example: {place} is outside every example (generated code)")
            continue
        print(f"kio: doc example: {place} is {locate(args.tree, gen_lines, func, line, col)}")


if __name__ == "__main__":
    main()
