#!/usr/bin/env bash
# module_test.sh SRC FW_BUILD HOST_BUILD: secure modules on the board (docs/design/modules.md).
# Devices provisioned with a signing key per module slot, the test SM image and the NS module
# test (ns_module_test.c), module payloads signed by smtool with their slot's key:
#   run 1  echo (slot 0, key 0) and probe (slot 1, key 1), two owners; a malformed module in
#          slot 2: refused with its reason, the rest boots; the probe misbehaves one way per
#          boot and is stopped alone, or spins for ever beside NS (ns_module_test.c)
#   run 2  for several descriptor fields, slot 0 holds a module broken in that field (refused,
#          reason printed), slot 1 the same echo binary as run 1's slot 0 (it works from
#          there), slot 2 the probe, past the install configuration's 2 slots: ignored
set -uo pipefail
src=$1 fw=$2 host=$3
smtool="$host/tools/smtool/smtool"
smrun="$src/tools/smrun"
build=$(cd "$host/.." && pwd)
. "$src/tests/lib.sh"
keys="$tmp/keys"
mkdir -p "$keys"

# The signed uRoT, SM (the test image) and NS application, as make-device.sh makes them.
SM_KEYS="$keys" SM_IMAGE="$fw/core/sm_test.bin" "$src/scripts/make-device.sh" "$build" \
    "$tmp/dev0" "$fw/tests/qemu/ns_module_test.bin" >/dev/null || exit 1
for k in 0 1 2; do "$smtool" keygen -k "$keys/mod$k.pem" >/dev/null || exit 1; done
sign_module() { # KEY PAYLOAD OUT
    "$smtool" sign -k "$keys/$1.pem" -v 1.0.0 -s 1 -H 0x400 --pad-header -S 0x10000 "$2" "$3" \
        >/dev/null
}
# device DIR SLOTS IMAGE0 IMAGE1 IMAGE2: a fresh device with these module images (or -).
device() {
    local dir=$1 slots=$2
    shift 2
    "$smtool" provision --force -d "$dir" --urot-key "$keys/urot.pem" --sm-key "$keys/sm.pem" \
        --ns-key "$keys/ns.pem" --module0-key "$keys/mod0.pem" --module1-key "$keys/mod1.pem" \
        --module2-key "$keys/mod2.pem" --module-slots "$slots" >/dev/null || exit 1
    "$smtool" program -d "$dir" --slot irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
    for s in urot sm ns; do
        "$smtool" program -d "$dir" --slot $s "$keys/$s.signed" >/dev/null || exit 1
    done
    local i=0
    for img in "$@"; do
        [ "$img" = - ] || "$smtool" program -d "$dir" --slot "mod$i" "$img" >/dev/null || exit 1
        i=$((i + 1))
    done
}
# broken PAYLOAD OFFSET HEX OUT: the payload with bytes at OFFSET replaced.
broken() {
    python3 - "$1" "$2" "$3" "$4" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
off, val = int(sys.argv[2], 0), bytes.fromhex(sys.argv[3])
b[off:off + len(val)] = val
open(sys.argv[4], "wb").write(b)
PY
}
echo_payload="$fw/tests/modules/mod_echo.payload"
probe_payload="$fw/tests/modules/mod_probe.payload"
sign_module mod0 "$echo_payload" "$tmp/echo0.signed"
sign_module mod1 "$probe_payload" "$tmp/probe1.signed"
sign_module mod1 "$echo_payload" "$tmp/echo1.signed"
sign_module mod2 "$probe_payload" "$tmp/probe2.signed"
broken "$echo_payload" 0 00000000 "$tmp/bad.payload"
sign_module mod2 "$tmp/bad.payload" "$tmp/bad2.signed"

# Run 1.
device "$tmp/dev1" 3 "$tmp/echo0.signed" "$tmp/probe1.signed" "$tmp/bad2.signed"
"$smrun" --icount --timeout 400 --max-boots 12 "$tmp/dev1" </dev/null >"$tmp/log1" 2>&1
rc=$?
tr -d '\r' <"$tmp/log1" >"$tmp/out1"
cat "$tmp/out1"
[ $rc = 0 ] && ok "run 1: powered off with status 0" || bad "run 1: smrun exited $rc"
expect "$tmp/out1" "SM: module slot 0: TEST_MOD_ECHO \\(partition id 16385\\), 1 service\\(s\\), loaded" \
    "the echo module (owner key 0) loaded from slot 0"
expect "$tmp/out1" "SM: module slot 1: TEST_MOD_PROBE \\(partition id 16386\\), 1 service\\(s\\), loaded" \
    "the probe module (owner key 1) loaded from slot 1"
expect "$tmp/out1" "SM: module slot 2: refused: no module descriptor \\(magic\\)" \
    "a malformed module in slot 2 refused with its reason"
expect "$tmp/out1" "SM: 2 module\\(s\\), 2 service\\(s\\)" "two modules running"
expect "$tmp/out1" "module_test: the probe's RAM at 0x38028" "the probe's data in slot 1's RAM window"
for b in 1 2 3 4 5 6 7 8 9; do
    expect "$tmp/out1" "module_test boot $b: [0-9]+ passed, 0 failed" "run 1 boot $b"
done
[ "$(grep -c "SM: partition TEST_MOD_PROBE stopped" "$tmp/out1")" = 7 ] &&
    ok "the probe stopped once in each of boots 2-7 and 9" || bad "the probe's stops"
expect "$tmp/out1" "SM: partition TEST_MOD_PROBE stopped: held a call past its deadline" \
    "a module looping in a call: stopped at its deadline, its caller gets SERVICE_FAILURE"
expect "$tmp/out1" "module_test: 20 echo calls served next to a spinning module" \
    "a module that never blocks: the time slice keeps NS and the other module running"
expect "$tmp/out1" "module_test: all boots done" "run 1: all boots"
! grep -q "FAIL\|FATAL" "$tmp/out1" || bad "run 1: a failure reported"

# Run 2: one boot per broken field.
while read -r off hex reason; do
    broken "$echo_payload" "$off" "$hex" "$tmp/bad.payload"
    sign_module mod0 "$tmp/bad.payload" "$tmp/bad0.signed"
    device "$tmp/dev2" 2 "$tmp/bad0.signed" "$tmp/echo1.signed" "$tmp/probe2.signed"
    "$smrun" --icount --timeout 120 --max-boots 1 "$tmp/dev2" </dev/null 2>&1 | tr -d '\r' \
        >"$tmp/out2"
    expect "$tmp/out2" "SM: module slot 0: refused: $reason" "slot 0 broken at $off: '$reason'"
    expect "$tmp/out2" "SM: module slot 1: TEST_MOD_ECHO .*loaded" \
        "  the echo binary works from slot 1 (key 1)"
    expect "$tmp/out2" "module_test boot 1: [0-9]+ passed, 0 failed" "  it answers NS from there"
    expect "$tmp/out2" "module_test: no probe module" "  the probe in slot 2, past the 2 slots, ignored"
    ! grep -q "module slot 2" "$tmp/out2" || bad "  slot 2 was looked at"
done <<'EOF2'
12 00000000 partition id not positive
16 61 module name empty
32 07 unknown priority
36 00010000 entry point not Thumb code
56 10000000 stack smaller than 256 bytes|data, bss and stack do not fit
64 00000000 a service with SID 0
EOF2
finish module_test
