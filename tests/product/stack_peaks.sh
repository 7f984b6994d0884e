#!/usr/bin/env bash
# stack_peaks.sh [--check PCT] [--fwu] BUILD SM.elf SM.bin NS.bin: the peak of every stack of an
# SM image (each partition's, the core's, the NS agent's, the idle thread's), measured on the
# emulated board. (The deferred work's stack, defer_stack, is wiped after each job, so it shows
# no peak here; the arch measured its own, core/arch/armv8m/sm_arch_armv8m.c.)
#
# The device is made as `make run` makes it (scripts/make-device.sh) with this SM image and NS
# application, and booted until it powers off; smrun saves the SM's RAM as the board stopped
# (SMRUN_SECURE_RAM). Every power-on starts with RAM zeroed (one QEMU per boot) and a stack is
# never written below its peak, so the peak is the distance from the stack's top down to its
# lowest non-zero byte: the zeroed RAM is the paint. A stack could hold zeros at its lowest used
# bytes, so the figure can be a few bytes under the truth, never over; hence the margin --check
# demands. With --check PCT it fails unless every peak is at most PCT% of its stack.
#
# --fwu: NS.bin is the firmware update test (tests/qemu/ns_fwu_test.c), and the one power-on
# measured is an update's (as tests/qemu/fwu_test.sh's first scenario): NS and SM 2.0.0, signed
# and encrypted for the device, downloaded, finished (the core verifies each, decrypting with the
# device key, on its own stack in handler mode) and installed, up to the reboot request.
set -euo pipefail
check=
fwu=0
while [ $# -gt 0 ]; do
    case $1 in
    --check) check=$2; shift 2 ;;
    --fwu) fwu=1; shift ;;
    *) break ;;
    esac
done
build=${1:?usage: stack_peaks.sh [--check PCT] [--fwu] BUILD SM.elf SM.bin NS.bin}
elf=$2 sm_bin=$3 ns_bin=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
smtool="$build/host/tools/smtool/smtool"
SM_KEYS="$tmp/keys" SM_IMAGE="$sm_bin" "$here/../../scripts/make-device.sh" "$build" "$tmp/dev" \
    "$ns_bin" >/dev/null
if [ $fwu = 0 ]; then
    SMRUN_SECURE_RAM="$tmp/sram.bin" "$here/../../tools/smrun" --quiet --timeout 300 --max-boots 4 \
        "$tmp/dev" </dev/null >"$tmp/log" 2>&1 ||
        { cat "$tmp/log"; echo "stack_peaks: the run failed"; exit 1; }
else
    size() { "$smtool" regions | awk -v n="$1" '$1 == n { print $3 * 1024 }'; }
    for k in sm ns; do
        in=$sm_bin
        [ $k = ns ] && in=$ns_bin
        "$smtool" sign -k "$tmp/keys/$k.pem" -v 2.0.0 -s 2 -H 0x400 --pad-header -S "$(size $k)" \
            -E "$tmp/dev/enc.pub.pem" "$in" "$tmp/$k.2" >/dev/null
    done
    python3 - "$tmp/bundle" "$tmp/ns.2" "$tmp/sm.2" <<'PY'
import struct, sys
ns, sm = open(sys.argv[2], "rb").read(), open(sys.argv[3], "rb").read()
open(sys.argv[1], "wb").write(struct.pack("<IIIII", 0x54555746, ord("A"), len(ns), len(sm), 0) + ns + sm)
PY
    # One power-on: it ends with the update's reboot request, which smrun does not follow.
    SMRUN_SECURE_RAM="$tmp/sram.bin" "$here/../../tools/smrun" --timeout 300 --max-boots 1 \
        "$tmp/dev" -- -device "loader,file=$tmp/bundle,addr=0x28300000,force-raw=on" \
        </dev/null >"$tmp/log" 2>&1 || true
    grep -q "fwu_test: staged NS 2.0.0 and SM 2.0.0, rebooting" "$tmp/log" ||
        { cat "$tmp/log"; echo "stack_peaks: the update did not reach its install"; exit 1; }
fi
[ -s "$tmp/sram.bin" ] || { echo "stack_peaks: no RAM saved"; exit 1; }
arm-none-eabi-nm -S "$elf" >"$tmp/syms"
python3 - "$tmp/syms" "$tmp/sram.bin" "${check:-}" <<'PY'
import re, sys
syms, sram, check = sys.argv[1], sys.argv[2], sys.argv[3]
RAM_BASE = 0x38000000
ram = open(sram, "rb").read()
stacks, plain = [], {}
for line in open(syms):
    p = line.split()
    if len(p) == 4 and re.match(r"sm_stack_\w+$|ns_agent_stack$|idle_stack$", p[3]):
        stacks.append((p[3], int(p[0], 16), int(p[1], 16)))
    elif len(p) == 3:
        plain[p[2]] = int(p[0], 16)
if "__stack_limit" in plain and "__stack_top" in plain:
    stacks.append(("core", plain["__stack_limit"], plain["__stack_top"] - plain["__stack_limit"]))
if not stacks:
    sys.exit("stack_peaks: no stack symbols in the image")
bad = 0
for name, base, size in sorted(stacks):
    area = ram[base - RAM_BASE:base - RAM_BASE + size]
    low = next((i for i, b in enumerate(area) if b), size)
    peak = size - low
    pct = 100.0 * peak / size
    print(f"stack {name}: peak {peak} of {size} bytes ({pct:.0f}%)")
    if check and pct > float(check):
        print(f"stack_peaks: {name} peaks at {pct:.0f}% of its stack, more than {check}%")
        bad = 1
sys.exit(bad)
PY
