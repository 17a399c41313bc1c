#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The excerpts of Documentation/ (`.. literalinclude::`) still find their files and markers
# (scripts/check-doc-includes.py), and the check itself fails on each mistake of the fixture
# tests/doc-includes/. Prints "RESULT <passed> <failed> 0".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=$(python3 "$KIO_ROOT/scripts/check-doc-includes.py" "$KIO_ROOT/Documentation")
rc=$?
grep -v '^RESULT ' <<<"$out"
read -r _ pass fail _ < <(grep '^RESULT ' <<<"$out")
kio_pass=${pass:-0} kio_fail=${fail:-1}
[ $rc = 0 ] || [ "${fail:-1}" != 0 ] || kio_fail=1

# The fixture: one good include, then a start marker on two lines, a start without its end, a
# cut by line numbers, a missing file, and a marker that no page shows.
out=$(python3 "$KIO_ROOT/scripts/check-doc-includes.py" "$KIO_ROOT/tests/doc-includes/Documentation")
rc=$?
want="ok Documentation/broken.rst:9: src/sample.rs from 'doc: start good', 1 lines
not ok Documentation/broken.rst:14: src/sample.rs: start marker 'doc: start twice' is on 2 lines (9, 13)
not ok Documentation/broken.rst:19: src/sample.rs: end marker 'doc: end open' not found after the start
not ok Documentation/broken.rst:24: src/sample.rs is cut by :lines:, which drifts; use marker comments
not ok Documentation/broken.rst:28: includes ../src/missing.rs, which does not exist
not ok src/sample.rs: its 9 doc markers paired and shown
  | line 20: 'doc: start unshown' is shown by no page
  | line 17: 'doc: start open' has no 'doc: end open' after it
RESULT 1 5 0"
[ $rc != 0 ] && [ "$out" = "$want" ]
kio_case $? "check-doc-includes.py refuses each mistake of tests/doc-includes/" \
	"check-doc-includes.py on tests/doc-includes/: wanted a failure and these lines, got $rc:" \
	"$(diff <(echo "$want") <(echo "$out"))"
kio_result
