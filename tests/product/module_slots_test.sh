#!/usr/bin/env bash
# module_slots_test.sh BUILD SM.bin: the product SM image loads modules from its two module
# slots only (SM_PRODUCT_MODULE_SLOTS, core/CMakeLists.txt; docs/design/footprint.md). A device
# provisioned with three module slots, the echo module in slot 0, the probe in slot 1 and the
# echo again in slot 2 (each signed with its slot's key), booted with the demo application:
# slots 0 and 1 load, slot 2 is refused as past the image's reservation and never looked at.
set -uo pipefail
build=$1 sm_bin=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smtool="$build/host/tools/smtool/smtool"
fw="$build/fw"
. "$here/../lib.sh"
keys="$tmp/keys"
SM_KEYS="$keys" SM_IMAGE="$sm_bin" "$here/../../scripts/make-device.sh" "$build" "$tmp/dev0" \
    >/dev/null || exit 1
for k in 0 1 2; do "$smtool" keygen -k "$keys/mod$k.pem" >/dev/null || exit 1; done
sign_module() { # KEY PAYLOAD OUT
    "$smtool" sign -k "$keys/$1.pem" -v 1.0.0 -s 1 -H 0x400 --pad-header -S 0x10000 "$2" "$3" \
        >/dev/null || exit 1
}
sign_module mod0 "$fw/tests/modules/mod_echo.payload" "$tmp/m0.signed"
sign_module mod1 "$fw/tests/modules/mod_probe.payload" "$tmp/m1.signed"
sign_module mod2 "$fw/tests/modules/mod_echo.payload" "$tmp/m2.signed"
dev="$tmp/dev"
"$smtool" provision --force -d "$dev" --urot-key "$keys/urot.pem" --sm-key "$keys/sm.pem" \
    --ns-key "$keys/ns.pem" --module0-key "$keys/mod0.pem" --module1-key "$keys/mod1.pem" \
    --module2-key "$keys/mod2.pem" --module-slots 3 >/dev/null || exit 1
"$smtool" program -d "$dev" --slot irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
for s in urot sm ns; do
    "$smtool" program -d "$dev" --slot $s "$keys/$s.signed" >/dev/null || exit 1
done
for i in 0 1 2; do
    "$smtool" program -d "$dev" --slot "mod$i" "$tmp/m$i.signed" >/dev/null || exit 1
done
"$here/../../tools/smrun" --icount --timeout 300 --max-boots 2 "$dev" </dev/null 2>&1 |
    tr -d '\r' >"$tmp/out"
cat "$tmp/out"
expect() { # REGEX WHAT
    grep -Eq -- "$1" "$tmp/out" && ok "$2" || bad "$2 (no /$1/)"
}
expect "SM: module slot 0: TEST_MOD_ECHO .*loaded" "the echo module loaded from slot 0"
expect "SM: module slot 1: TEST_MOD_PROBE .*loaded" "the probe module loaded from slot 1"
expect "SM: module slots 2 to 2: refused: this image loads 2" "slot 2 refused: past the image's two"
expect "SM: 2 module\\(s\\), 2 service\\(s\\)" "two modules running"
expect "NS: attestation token \\([0-9]+ bytes\\)" "the demo runs beside them"
! grep -q "SM: module slot 2:" "$tmp/out" || bad "slot 2 was looked at"
! grep -q "FATAL\|stopped" "$tmp/out" || bad "a failure reported"
finish module_slots_test
