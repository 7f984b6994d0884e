#!/usr/bin/env bash
# terse_codes_test.sh SRC: the core's reasons for stopping a partition or refusing a call or a
# module (core/sm_ipc.c, core/sm_sched.c, core/sm_kernel.h, the loader, the descriptor parser, the device calls,
# the interrupts, the arch's supervisor calls and faults) are each written SM_WHY("code", "text"), no code
# with two texts, and the table of docs/design/footprint.md ("Short reasons") gives every code
# its text and no other code: what the product image prints (SM_TERSE) can always be read back.
set -euo pipefail
src=$1
python3 - "$src" <<'PY'
import re, sys
src = sys.argv[1]
fails = []
codes = {}
files = ("core/sm_ipc.c", "core/sm_sched.c", "core/sm_kernel.h", "core/sm_module_load.c", "core/sm_module_desc.c",
         "core/sm_device.c", "core/sm_irq.c", "core/arch/armv8m/sm_arch_armv8m.c",
         "core/arch/armv8m/sm_fault.c")
for f in files:
    text = open(f"{src}/{f}").read()
    # A reason given as a bare string literal would print in full in the product image.
    bare = r'(sm_programmer_error\(|sm_stop_partition\([^;"]*?,\s*|bad = |call_msg\(h, idx, |refuse\(c,\s*)"'
    if f.endswith("sm_module_desc.c"):
        bare += r'|return "(?!ok")'
    for m in re.finditer(bare, text):
        fails.append(f"{f}: a reason without SM_WHY at offset {m.start()}")
    # The text may be split over several literals (clang-format); the same code may be used again
    # for the same text (one string in the image), never for another.
    for code, lits in re.findall(r'SM_WHY\(\s*"(\w+)",\s*((?:"[^"]*"\s*)+)\)', text, re.S):
        why = "".join(re.findall(r'"([^"]*)"', lits))
        if code in codes and codes[code] != why:
            fails.append(f"{f}: code {code} used for two reasons")
        codes[code] = why
doc = open(f"{src}/docs/design/footprint.md").read()
table = dict(re.findall(r"^\| `(\w+)` \| (.*) \|$", doc, re.M))
for code, why in codes.items():
    if table.get(code) != why:
        fails.append(f"{code}: the table says {table.get(code)!r}, the source {why!r}")
for code in table.keys() - codes.keys():
    fails.append(f"{code}: in the table, not in the sources")
if len(codes) < 80:
    fails.append(f"only {len(codes)} codes found")
for f in fails:
    print("FAIL:", f)
if fails:
    sys.exit(1)
print(f"terse_codes: {len(codes)} codes, all in the table")
PY
