#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks that every `.. literalinclude::` of Documentation/ still shows what it should.

Nothing in make check renders the pages, so an excerpt whose marker was renamed or deleted
would silently show the wrong lines (Sphinx only warns). For each include this resolves the
file and cuts the excerpt the way Sphinx's literalinclude does (:start-after:/:start-at: at
the first line containing the text, :end-before:/:end-at: at the first line after it), and
fails when the file or a marker is missing, a start marker is not unique in its file, the
excerpt is empty, or line numbers (:lines:, which drift) are used. In every file that a page
includes, each `doc: start <name>` marker comment must have its `doc: end <name>` and be shown
by some page.

Usage: check-doc-includes.py <Documentation directory>
Prints "ok ..."/"not ok ..." per case, then "RESULT <passed> <failed> 0".
"""

import pathlib
import re
import sys

INCLUDE = re.compile(r"^\s*\.\. literalinclude::\s+(\S+)\s*$")
OPTION = re.compile(r"^\s+:([\w-]+):\s*(.*?)\s*$")
MARKER = re.compile(r"(?:#|//)\s*doc: (start|end) (\S+)\s*$")

passed = failed = 0


def case(ok, text, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok {text}")
    else:
        failed += 1
        print(f"not ok {text}")
        for line in detail.splitlines():
            print(f"  | {line}")


def excerpt(lines, opts):
    """The lines Sphinx shows, or a string saying why there are none."""
    start = opts.get("start-after") or opts.get("start-at")
    if start:
        hits = [i for i, l in enumerate(lines) if start in l]
        if not hits:
            return f"start marker '{start}' not found"
        if len(hits) > 1:
            return f"start marker '{start}' is on {len(hits)} lines ({', '.join(str(i + 1) for i in hits)})"
        lines = lines[hits[0] + (1 if "start-after" in opts else 0) :]
    end = opts.get("end-before") or opts.get("end-at")
    if end:
        for i, line in enumerate(lines):
            if end not in line:
                continue
            if "end-at" in opts:
                lines = lines[: i + 1]
                break
            if i > 0:  # Sphinx's end-before skips a match on the first line
                lines = lines[:i]
                break
        else:
            return f"end marker '{end}' not found after the start"
    if not any(l.strip() for l in lines):
        return "the excerpt is empty"
    return lines


def main():
    docs = pathlib.Path(sys.argv[1]).resolve()
    root = docs.parent
    shown = {}  # included file -> set of start texts used
    for page in sorted(docs.rglob("*.rst")):
        text = page.read_text().splitlines()
        for n, line in enumerate(text):
            m = INCLUDE.match(line)
            if not m:
                continue
            opts = {}
            for opt in text[n + 1 :]:
                o = OPTION.match(opt)
                if not o:
                    break
                opts[o.group(1)] = o.group(2)
            where = f"{page.relative_to(root)}:{n + 1}"
            target = m.group(1)
            path = (docs / target.lstrip("/")) if target.startswith("/") else (page.parent / target)
            path = path.resolve()
            name = path.relative_to(root) if path.is_relative_to(root) else path
            if "lines" in opts:
                case(False, f"{where}: {name} is cut by :lines:, which drifts; use marker comments")
                continue
            if not path.is_file():
                case(False, f"{where}: includes {target}, which does not exist")
                continue
            got = excerpt(path.read_text().splitlines(), opts)
            start = opts.get("start-after") or opts.get("start-at") or "(start)"
            shown.setdefault(path, set()).add(start)
            if isinstance(got, str):
                case(False, f"{where}: {name}: {got}")
            else:
                case(True, f"{where}: {name} from '{start}', {len(got)} lines")
    for path, starts in sorted(shown.items()):
        name = path.relative_to(root) if path.is_relative_to(root) else path
        problems = []
        open_markers = {}
        markers = 0
        for n, line in enumerate(path.read_text().splitlines(), 1):
            m = MARKER.search(line)
            if not m:
                continue
            kind, marker = m.groups()
            markers += 1
            if kind == "start":
                open_markers[marker] = n
                if not any(s in line for s in starts):
                    problems.append(f"line {n}: 'doc: start {marker}' is shown by no page")
            elif open_markers.pop(marker, None) is None:
                problems.append(f"line {n}: 'doc: end {marker}' without its start")
        for marker, n in open_markers.items():
            problems.append(f"line {n}: 'doc: start {marker}' has no 'doc: end {marker}' after it")
        if markers or problems:
            case(not problems, f"{name}: its {markers} doc markers paired and shown", "\n".join(problems))
    print(f"RESULT {passed} {failed} 0")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
