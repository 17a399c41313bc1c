#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns a guest console log into test results.

KTAP is parsed by the kernel's own tools/testing/kunit/kunit.py, loaded as a library (the
parse that `kunit.py parse --json` runs). The console holds one KTAP document per module load
(plus an empty one for the built-in suites at boot) and kunit.py reads only the first document
of its input, so the log is cut at every top-level "KTAP version" line and each document is
handed to kunit.py's parser on its own.

On top of KUnit, the run fails on: an expected suite that did not run (tests/expected-suites),
a kernel BUG/WARNING/Oops/panic/KASAN report, a module that failed to load or unload, and a
guest that never reached the end of its init (hung or crashed; QEMU status 124 is a timeout).

With --controls (debug runs), each positive control of that file must have run between its
"KIO: control <name> begin/end" markers and its detector must have printed the expected text
there; a silent detector fails the run. Reports inside a control's markers are the expected
ones and do not fail the run; anywhere else they do.

--ktap-out writes every suite of the console as one KTAP document, for `kunit.py parse`;
--cases prints each case's result.

Prints a readable report and, last, one line "RESULT <passed> <failed> <skipped>".
Exit status: 0 when nothing failed.
"""

import argparse
import json
import os
import re
import sys

BAD_LINES = re.compile(
    r"(BUG:|WARNING:|Oops|Kernel panic|KASAN:|UBSAN:|kmemleak: [1-9]\d* new suspected|"
    r"unreferenced object 0x|"
    r"general protection fault|Call Trace:|rust_panic|Unable to handle)"
)
DONE = re.compile(r"KIO: done status=(\d+)")


def split_ktap(lines):
    """Yields the KTAP documents of the console, each a list of lines."""
    doc = None
    for line in lines:
        bare = re.sub(r"^\[[ 0-9.]+\] ", "", line)
        if bare.startswith(("KTAP version", "TAP version")):
            if doc:
                yield doc
            doc = [bare]
        elif doc is not None:
            doc.append(bare)
    if doc:
        yield doc


KTAP_LINE = re.compile(r"^\s*(KTAP version|TAP version|\d+\.\.\d+|ok |not ok |#)")
TOP_RESULT = re.compile(r"^(ok|not ok) \d+ (.*)$")


def merge_ktap(docs):
    """One KTAP document holding the suites of every document, renumbered."""
    body, n = [], 0
    for doc in docs:
        for line in doc[2:]:
            if not KTAP_LINE.match(line):
                continue  # kernel messages between the KTAP lines
            m = TOP_RESULT.match(line.rstrip("\n"))
            if m:
                n += 1
                line = f"{m.group(1)} {n} {m.group(2)}\n"
            body.append(line)
    return ["KTAP version 1\n", f"1..{n}\n"] + body


def controls_check(lines, path, fail):
    """Checks each positive control of `path`; returns the console lines inside controls and
    one report line per control."""
    inside, found = set(), []
    with open(path) as f:
        specs = [l.split(None, 2) for l in f if l.strip() and not l.startswith("#")]
    for name, detector, text in specs:
        text = text.strip()
        begin = next((i for i, l in enumerate(lines) if f"KIO: control {name} begin" in l), None)
        if begin is None:
            fail(f"control {name} ({detector}) did not run (no 'KIO: control {name} begin')")
            continue
        end = next(
            (i for i in range(begin, len(lines)) if f"KIO: control {name} end" in lines[i]),
            len(lines),
        )
        inside.update(range(begin, end + 1))
        hit = next((l.strip() for l in lines[begin:end] if text in l), None)
        if hit:
            found.append(f"{name}: {detector} reported it: {hit}")
        else:
            fail(
                f"control {name}: {detector} stayed silent (no '{text}' after "
                f"insmod kio_control.ko fire={name}); is {detector} in the kernel?",
                "".join(lines[begin : end + 1][:30]),
            )
    return inside, found


def kunit_parser(kunit_py):
    """The parse function of the kernel's kunit.py, loaded as a library from its directory:
    what `kunit.py parse --json` runs, without starting a Python per document. Returns a
    function from a KTAP document to its JSON result (None if kunit.py cannot parse it)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(kunit_py)))
    import kunit_json  # noqa: E402 (the kernel's tools/testing/kunit)
    import kunit_parser as parser  # noqa: E402
    import kunit_printer  # noqa: E402

    def parse(doc):
        try:
            # As kunit.py parse reads its file: the text split into lines.
            test = parser.parse_run_tests("".join(doc).splitlines(), kunit_printer.null_printer)
            return json.loads(kunit_json.get_json_result(test, kunit_json.Metadata()))
        except Exception:  # kunit.py itself would stop without a JSON file
            return None

    return parse


def suite_cases(group):
    """Yields (suite, case, status, log) for every test case under a JSON group."""
    for sub in group.get("sub_groups", []):
        for case in sub.get("test_cases", []):
            yield sub["name"], case["name"], case["status"], case.get("log", "")
        yield from suite_cases(sub)


def excerpt(lines, needle, before=3, after=12):
    for i, line in enumerate(lines):
        if needle in line:
            return "".join(lines[max(0, i - before) : i + after])
    return ""


DEVICE_NAMES = {
    "0x1b36:0x0005": "pci-testdev",
    "0x1234:0x11e8": "edu",
    "0x1af4:0x1110": "ivshmem-plain",
}


def report(lines, seen, controls=(), cases=None):
    """Prints what the guest did, from its "KIO:" lines and the suite tallies."""
    kio = [l[5:].strip() for l in lines if l.startswith("KIO: ")]
    reported = set()
    for l in kio:
        if l.startswith("guest up"):
            print(f"  guest:    {l}")
    devices = []
    for l in kio:
        parts = l.split()
        if parts[0] == "pci" and parts[2] in DEVICE_NAMES:
            devices.append(f"{DEVICE_NAMES[parts[2]]} ({parts[1]})")
    print(f"  devices:  {', '.join(devices) or 'none of ours'}")
    loaded = [l.split()[1] for l in kio if l.startswith("loaded ")]
    print(f"  modules:  {', '.join(loaded) or 'none'} loaded")
    for l in kio:
        parts = l.split()
        if parts[0] == "driver_override":
            print(f"  override: {DEVICE_NAMES.get(parts[2], parts[2])} {parts[1]}: only {parts[-1]} may bind it")
        elif parts[0] == "bound":
            print(f"  bound:    {DEVICE_NAMES.get(parts[2], parts[2])} {parts[1]} -> {parts[-1]}")
        elif parts[0] == "FAILED":
            print(f"  error:    {l}")
    for suite, (ok, total) in sorted(seen.items()):
        print(f"  suite:    {suite}: {ok}/{total} passed")
    for l in lines:
        text = l.split("kio-report: ", 1)[1].strip() if "kio-report: " in l else None
        if text and text not in reported:
            reported.add(text)
            print(f"  sample:   {text}")
    for l in kio:
        if l.startswith(("cycles ", "refused ", "kmemleak ", "fault ", "faults done")):
            print(f"  check:    {l}")
    for c in controls:
        print(f"  control:  {c}")
    for suite, case, status in cases or []:
        print(f"  case:     {suite}.{case}: {status}")
    for l in kio:
        if l.startswith("done "):
            print(f"  guest:    {l}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("console")
    ap.add_argument("--kunit", required=True, help="path of the kernel's kunit.py")
    ap.add_argument("--expected", required=True, help="file listing the expected suites")
    ap.add_argument("--lines", help="file of '<count> <text>' lines the console must contain")
    ap.add_argument("--qemu-status", type=int, default=0)
    ap.add_argument("--quiet", action="store_true", help="only print failures and RESULT")
    ap.add_argument("--controls", help="tests/controls: positive controls that must be reported")
    ap.add_argument("--ktap-out", help="write all suites as one KTAP document to this file")
    ap.add_argument("--cases", action="store_true", help="print every case with its result")
    args = ap.parse_args()

    with open(args.console, errors="backslashreplace") as f:
        lines = f.readlines()
    expected = []
    with open(args.expected) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if line:
                expected.append(line[0])

    passed = failed = skipped = 0
    seen = {}
    problems = []
    all_cases = []
    docs = []

    def fail(what, text=""):
        nonlocal failed
        failed += 1
        problems.append((what, text))

    for doc in split_ktap(lines):
        if len(doc) > 1 and doc[1].strip() == "1..0":
            continue  # the built-in suites at boot: there are none
        docs.append(doc)
    # kunit.py's verdict on a document depends on its text alone: each distinct text is parsed
    # once (a module reloaded many times prints the same document).
    parse = kunit_parser(args.kunit)
    parsed = {}
    for doc in docs:
        text = "".join(doc)
        if text not in parsed:
            parsed[text] = parse(doc)
    for doc in docs:
        result = parsed["".join(doc)]
        if result is None:
            fail("kunit.py could not parse a KTAP document", "".join(doc[:20]))
            continue
        for suite, case, status, log in suite_cases(result):
            tally = seen.setdefault(suite, [0, 0])
            tally[1] += 1
            all_cases.append((suite, case, status))
            if status == "PASS":
                passed += 1
                tally[0] += 1
            elif status == "SKIP":
                skipped += 1
            else:
                fail(f"{suite}.{case}: {status}", excerpt(doc, f"# {case}:", 1, 6) or log)
        if not result.get("sub_groups"):
            fail("a KTAP document without suites", "".join(doc[:20]))

    for suite in expected:
        if suite not in seen:
            fail(f"expected suite {suite} did not run (tests/expected-suites)")

    inside, controls = set(), []
    if args.controls:
        inside, controls = controls_check(lines, args.controls, fail)
        passed += len(controls)

    for i, line in enumerate(lines):
        if i not in inside and BAD_LINES.search(line):
            fail("kernel report: " + line.strip(), "".join(lines[max(0, i - 2) : i + 15]))
            break

    if args.lines:
        with open(args.lines) as f:
            for spec in f:
                spec = spec.rstrip("\n")
                if not spec or spec.startswith("#"):
                    continue
                want, text = spec.split(" ", 1)
                got = sum(text in line for line in lines)
                if got == int(want):
                    passed += 1
                else:
                    fail(f"expected {want} console lines with '{text}', found {got}")

    for line in lines:
        if "KIO: FAILED" in line:
            fail(line.strip())
        m = re.search(r"KIO: kmemleak scan: (\d+)", line)
        if m and m.group(1) != "0":
            fail(f"kmemleak found {m.group(1)} leaked objects", "".join(lines[-30:]))

    done = [m for m in map(DONE.search, lines) if m]
    if args.qemu_status == 124:
        fail("guest hung: QEMU timed out", "".join(lines[-15:]))
    elif not done:
        fail("guest did not finish its init (crash or hang)", "".join(lines[-15:]))

    if args.ktap_out:
        with open(args.ktap_out, "w") as f:
            f.writelines(merge_ktap(docs))
    if not args.quiet:
        report(lines, seen, controls, all_cases if args.cases else None)
    for what, text in problems:
        print(f"FAIL: {what}")
        if text:
            print("  | " + "\n  | ".join(text.rstrip("\n").splitlines()))
    print(f"RESULT {passed} {failed} {skipped}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
