#!/usr/bin/env bash
# smtool_device_test.sh SMTOOL: `smtool provision` and `smtool program`, their results in the
# device files and their refusals (each of which must leave the flash unchanged).
set -u
smtool=$1
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

dev="$tmp/dev"
check "provision creates a device" "$smtool" provision -d "$dev"
otp=$(region_offset otp)
ff() { head -c "$1" /dev/zero | tr '\0' '\377'; }
check "flash.img is 4 MiB" test "$(stat -c %s "$dev/flash.img")" = 4194304
check "flash before the OTP area is erased" cmp -s <(head -c "$otp" "$dev/flash.img") <(ff "$otp")
# The counter area follows the OTP area: provisioning writes its first authenticated record.
check "flash after the first counter record is erased" cmp -s <(tail -c +$((otp + 8192 + 16 + 1)) "$dev/flash.img") <(ff $((4194304 - otp - 8192 - 16)))
check "the counter area holds a record" test "$(od -An -tx1 -j $((otp + 8192)) -N 1 "$dev/flash.img" | tr -d ' ')" != "ff"
check "the OTP area holds the provisioning magic" test "$(od -An -tx1 -j "$otp" -N 4 "$dev/flash.img" | tr -d ' ')" = "4d535031"
# 54 units of struct bl_otp (7 bitmap bytes), the attestation block's 18 at +0x400 (3 bytes), and
# the counter record (1 byte).
check "only the OTP's 54 units, the attestation block's 18 and one counter unit are programmed" test "$(od -An -v -tx1 "$dev/flash.prog" | tr -s ' \n' '\n' | grep -v -e '^00$' -e '^$' | wc -l)" = 11
check "the attestation block follows at OTP + 0x400" test "$(od -An -tx1 -j $((otp + 0x400)) -N 4 "$dev/flash.img" | tr -d ' ')" = "41415431"
check "the decryption key's public half is published" grep -q "BEGIN PUBLIC KEY" "$dev/enc.pub.pem"
check "the attestation key's public half is published" grep -q "BEGIN PUBLIC KEY" "$dev/iak.pub.pem"
expect_fail "provision rejects a bad ITS size" 2 "multiple of 8192" "$smtool" provision -d "$tmp/x" --its-size 1000
expect_fail "provision rejects an ITS of fewer than 4 sectors" 2 "from 32768" "$smtool" provision -d "$tmp/x" --its-size 16384
expect_fail "provision rejects a largest ITS asset over the limit" 2 "its-max-asset is 1..6048" "$smtool" provision -d "$tmp/x" --its-max-asset 6049
expect_fail "provision rejects a largest ITS asset of 0" 2 "its-max-asset is 1..6048" "$smtool" provision -d "$tmp/x" --its-max-asset 0
expect_fail "provision rejects too many module slots" 2 "module-slots is 0..4" "$smtool" provision -d "$tmp/x" --module-slots 5
# The install configuration's update policy for the NS world (struct bl_otp, offset 24).
check "by default the NS world may update every component" test "$(od -An -tx1 -j $((otp + 24)) -N 4 "$dev/flash.img" | tr -d ' ')" = "7f000000"
check "provision --ns-updates ns,modules" "$smtool" provision -d "$tmp/pol" --ns-updates ns,modules
check "... is stored as NS and the four module slots" test "$(od -An -tx1 -j $((otp + 24)) -N 4 "$tmp/pol/flash.img" | tr -d ' ')" = "7c000000"
for bad in bogus ns,ns module0,modules ns, ,ns "" all,ns; do
    expect_fail "provision rejects --ns-updates '$bad'" 2 "ns-updates '$bad'" "$smtool" provision -d "$tmp/x" --ns-updates "$bad"
done
expect_fail "provision names a bad key file" 1 "nokey.pem: No such file" "$smtool" provision -d "$tmp/x" --sm-key "$tmp/nokey.pem"
check "... and creates no device on error" test ! -e "$tmp/x/flash.img"
expect_fail "provision refuses an existing device" 1 "already holds a device" "$smtool" provision -d "$dev"

head -c 1000 /dev/urandom >"$tmp/img.bin"
check "program a 1000-byte image into ns" "$smtool" program -d "$dev" --slot ns "$tmp/img.bin"
ns=$(region_offset ns)
check "image bytes are at the ns offset" cmp -s "$tmp/img.bin" <(tail -c +$((ns + 1)) "$dev/flash.img" | head -c 1000)
check "padding to the 16-byte unit is 0xFF" cmp -s <(printf '\377\377\377\377\377\377\377\377') \
    <(tail -c +$((ns + 1001)) "$dev/flash.img" | head -c 8)
# 1000 bytes = 63 units: bits 0..62 of the unit bitmap at the slot are set.
unit_byte=$((ns / 16 / 8))
check "63 units are marked programmed" test "$(od -An -tx1 -j $unit_byte -N 8 "$dev/flash.prog" | tr -d ' \n')" = "ffffffffffffff7f"

cp "$dev/flash.img" "$tmp/before.img"
cp "$dev/flash.prog" "$tmp/before.prog"
unchanged() { cmp -s "$dev/flash.img" "$tmp/before.img" && cmp -s "$dev/flash.prog" "$tmp/before.prog"; }
head -c $((64 * 1024 + 1)) /dev/zero >"$tmp/big.bin"
expect_fail "an image larger than its slot is refused" 1 "big.bin: larger than 65536 bytes" \
    "$smtool" program -d "$dev" --slot urot "$tmp/big.bin"
check "... and the flash is unchanged" unchanged
expect_fail "an unknown slot is refused" 2 "unknown slot 'nope'" "$smtool" program -d "$dev" --slot nope "$tmp/img.bin"
expect_fail "a missing image file is named" 1 "missing.bin: No such file" \
    "$smtool" program -d "$dev" --slot ns "$tmp/missing.bin"
check "... and the flash is unchanged" unchanged
expect_fail "a missing device is refused" 1 "no device here" "$smtool" program -d "$tmp/none" --slot ns "$tmp/img.bin"
expect_fail "a unknown command is refused" 2 "unknown command" "$smtool" frobnicate

head -c 100 /dev/urandom >"$tmp/img2.bin"
check "reprogramming a slot erases it first" "$smtool" program -d "$dev" --slot ns "$tmp/img2.bin"
check "... leaving no byte of the old image" cmp -s <(tail -c +$((ns + 113)) "$dev/flash.img" | head -c 1000) \
    <(head -c 1000 /dev/zero | tr '\0' '\377')
check "provision --force replaces the device" "$smtool" provision --force -d "$dev"
check "... with the image gone" cmp -s <(tail -c +$((ns + 1)) "$dev/flash.img" | head -c 4096) <(ff 4096)

# The lifecycle of a development device, offline (bl_lifecycle.h): shown, moved as allowed,
# refused otherwise with nothing changed, final once decommissioned.
lc() { "$smtool" lifecycle -d "$dev" "$@"; }
check "lifecycle shows the provisioned state" bash -c "'$smtool' lifecycle -d '$dev' | grep -qx 'SECURED (0x3000)'"
check "lifecycle moves SECURED -> NON_PSA_ROT_DEBUG" lc --to non-psa-rot-debug
check "... and it holds" bash -c "'$smtool' lifecycle -d '$dev' | grep -q '^NON_PSA_ROT_DEBUG'"
expect_fail "a transition the state does not allow is refused" 1 "NON_PSA_ROT_DEBUG does not move to PSA_ROT_PROVISIONING" lc --to psa-rot-provisioning
check "... changing nothing" bash -c "'$smtool' lifecycle -d '$dev' | grep -q '^NON_PSA_ROT_DEBUG'"
check "back to SECURED" lc --to secured
# Decommissioning erases the device's secrets: none of the OTP area's four (HUK, IAK, image
# decryption key, seed: struct bl_otp at offsets 32..159) is anywhere in the flash afterwards.
otp_at=$(region_offset otp)
secrets=$(od -An -tx1 -v -j $((otp_at + 32)) -N 128 "$dev/flash.img" | tr -d ' \n')
check "decommissioned" lc --to decommissioned
check "... which it shows from the tombstone left in the provisioning area" bash -c "'$smtool' lifecycle -d '$dev' | grep -qx 'DECOMMISSIONED (0x6000)'"
check "... none of the device's secrets left in its flash" python3 - "$dev/flash.img" "$secrets" <<'PY'
import sys
flash = open(sys.argv[1], "rb").read()
s = bytes.fromhex(sys.argv[2])
keys = [s[i:i + 32] for i in range(0, 128, 32)]
assert all(len(set(k)) > 1 for k in keys), "the secrets read before were not secrets"
found = [i for i, k in enumerate(keys) if k in flash]
assert not found, f"secrets {found} still in flash"
PY
expect_fail "... and nothing moves it again" 1 "DECOMMISSIONED does not move to SECURED" lc --to secured
check "... the ITS area and the counters erased" python3 - "$dev/flash.img" "$(region_offset its)" "$(region_offset counters)" <<'PY'
import sys
flash = open(sys.argv[1], "rb").read()
for at, size in ((int(sys.argv[2]), 256 * 1024), (int(sys.argv[3]), 16 * 1024)):
    assert flash[at:at + size] == b"\xff" * size, f"area at {at:#x} not erased"
PY
expect_fail "an unknown state name" 2 "usage" lc --to broken
expect_fail "no device" 1 "no device here" "$smtool" lifecycle -d "$tmp/none"

finish "smtool device"
