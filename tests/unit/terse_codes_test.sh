#!/usr/bin/env bash
# terse_codes_test.sh SRC: the kernel's reasons for stopping a partition (core/sm_ipc.c,
# core/sm_sched.c) are each written SM_WHY("code", "text"), no code twice, and the table of
# docs/design/footprint.md ("Short reasons") gives every code its text and no other code: what
# the product image prints (SM_TERSE) can always be read back.
set -euo pipefail
src=$1
python3 - "$src" <<'PY'
import re, sys
src = sys.argv[1]
fails = []
codes = {}
for f in ("core/sm_ipc.c", "core/sm_sched.c"):
    text = open(f"{src}/{f}").read()
    # A reason given as a bare string literal would print in full in the product image.
    for m in re.finditer(r'(sm_programmer_error\(|sm_stop_partition\(\w+, |bad = |call_msg\(h, idx, )"', text):
        fails.append(f"{f}: a reason without SM_WHY at offset {m.start()}")
    for code, why in re.findall(r'SM_WHY\(\s*"(\w+)",\s*"([^"]*)"\s*\)', text, re.S):
        if code in codes:
            fails.append(f"{f}: code {code} used twice")
        codes[code] = why
doc = open(f"{src}/docs/design/footprint.md").read()
table = dict(re.findall(r"^\| `(\w+)` \| (.*) \|$", doc, re.M))
for code, why in codes.items():
    if table.get(code) != why:
        fails.append(f"{code}: the table says {table.get(code)!r}, the source {why!r}")
for code in table.keys() - codes.keys():
    fails.append(f"{code}: in the table, not in the sources")
if len(codes) < 30:
    fails.append(f"only {len(codes)} codes found")
for f in fails:
    print("FAIL:", f)
if fails:
    sys.exit(1)
print(f"terse_codes: {len(codes)} codes, all in the table")
PY
