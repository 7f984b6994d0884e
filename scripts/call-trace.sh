#!/usr/bin/env bash
# call-trace.sh BUILD LOOP FUNC: an instruction-level breakdown of one call made by the NS
# benchmark (tests/bench/ns_bench.c) on the test SM image, as docs/design/call-path.md shows it.
# QEMU (-icount shift=0) waits for gdb-multiarch, which runs to LOOP (an ns_bench loop
# function), then to FUNC's second entry (the first warms nothing up, but is skipped to measure
# a call in the middle of the loop), and single-steps until FUNC returns; each PC is then named
# with arm-none-eabi-nm over the NS and SM images. Prints the instructions per function, then
# the sequence. Example: scripts/call-trace.sh build loop_hash_empty psa_hash_compute
set -euo pipefail
build=${1:?usage: call-trace.sh BUILD LOOP FUNC}
loop=${2:?}
func=${3:?}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
trap 'kill "$qemu" 2>/dev/null || true; rm -rf "$tmp"' EXIT
ns_elf="$build/fw/tests/bench/ns_bench.elf"
SM_IMAGE="$build/fw/core/sm_test.bin" "$here/make-device.sh" "$build" "$tmp/dev" \
    "$build/fw/tests/bench/ns_bench.bin" >/dev/null
"$here/../tools/smrun" --quiet --icount --gdb --timeout 900 "$tmp/dev" </dev/null >/dev/null 2>&1 &
qemu=$!
sleep 2
cat >"$tmp/trace.py" <<PY
import gdb
gdb.execute("set pagination off")
gdb.execute("target remote :1234")
b = gdb.Breakpoint("*$loop")
gdb.execute("continue")
b.delete()
b = gdb.Breakpoint("*$func")
gdb.execute("continue")
gdb.execute("continue")
b.delete()
ret = int(gdb.parse_and_eval("\$lr")) & ~1
with open("$tmp/pcs", "w") as f:
    for _ in range(200000):
        pc = int(gdb.parse_and_eval("\$pc"))
        if pc == ret:
            break
        f.write("%x\n" % pc)
        gdb.execute("stepi", to_string=True)
gdb.execute("kill")
PY
gdb-multiarch --batch -x "$tmp/trace.py" "$ns_elf" >/dev/null 2>&1 || true
python3 - "$tmp/pcs" "$ns_elf" "$build/fw/core/sm_test.elf" <<'PY'
import bisect, collections, subprocess, sys
syms = []
for elf in sys.argv[2:]:
    out = subprocess.run(["arm-none-eabi-nm", "-n", elf], capture_output=True, text=True).stdout
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "tTwW":
            syms.append((int(p[0], 16) & ~1, p[2]))
syms.sort()
addrs = [a for a, _ in syms]
names = [syms[bisect.bisect_right(addrs, int(l, 16)) - 1][1] for l in open(sys.argv[1])]
print("total", len(names))
for n, c in collections.Counter(names).most_common():
    print("%6d %s" % (c, n))
print("--- sequence")
run = []
for n in names:
    if run and run[-1][0] == n:
        run[-1][1] += 1
    else:
        run.append([n, 1])
for n, c in run:
    print("%6d %s" % (c, n))
PY
