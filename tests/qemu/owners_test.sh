#!/usr/bin/env bash
# owners_test.sh SRC FW_BUILD HOST_BUILD: whose assets a secure module gets
# (docs/design/modules.md, "Whose assets"). One device, the development SM, the NS program
# ns_owners_test.c (it reports the probe module's ITS asset 1 and key 1 and makes them where
# missing), module slots 0 and 1 with two owners' keys. The probe module's id (16386) is its
# vendor's: whoever signs it carries it. Boot by boot:
#   1. the probe signed by owner 1 in slot 1: no asset, no key; it stores and makes them
#   2. the same: both kept; 2b. the stored binding table tampered with: no module served
#   3. the same binary signed by owner 0 in slot 0 (slot 1's copy refused: the id is taken):
#      the id now carries another owner's module, so owner 1's asset and key are gone before
#      it is served; it makes its own
#   4. both slots empty: no probe; 5. the probe of owner 0 back in slot 0: its asset and key
#      kept (an empty slot is no removal)
#   6. the echo module in slot 0 in its place: no probe; 7. the probe back: replaced for good
#      in step 6, so its asset and key were removed
set -uo pipefail
src=$1 fw=$2 host=$3
smtool="$host/tools/smtool/smtool"
smrun="$src/tools/smrun"
build=$(cd "$host/.." && pwd)
. "$src/tests/lib.sh"

keys="$tmp/keys"
mkdir -p "$keys"
SM_KEYS="$keys" SM_IMAGE="$fw/core/sm.bin" "$src/scripts/make-device.sh" "$build" \
    "$tmp/dev0" "$fw/tests/qemu/ns_owners_test.bin" >/dev/null || exit 1
for k in 0 1; do "$smtool" keygen -k "$keys/mod$k.pem" >/dev/null || exit 1; done
sign() { # KEY PAYLOAD OUT
    "$smtool" sign -k "$keys/$1.pem" -v 1.0.0 -s 1 -H 0x400 --pad-header -S 0x10000 "$2" "$3" \
        >/dev/null || exit 1
}
sign mod1 "$fw/tests/modules/mod_probe.payload" "$tmp/probe1.img"
sign mod0 "$fw/tests/modules/mod_probe.payload" "$tmp/probe0.img"
sign mod0 "$fw/tests/modules/mod_echo.payload" "$tmp/echo0.img"
head -c 16 /dev/zero | tr '\0' '\377' >"$tmp/blank.img" # an erased slot
dev="$tmp/dev"
"$smtool" provision --force -d "$dev" --urot-key "$keys/urot.pem" --sm-key "$keys/sm.pem" \
    --ns-key "$keys/ns.pem" --module0-key "$keys/mod0.pem" --module1-key "$keys/mod1.pem" \
    --module-slots 2 >/dev/null || exit 1
"$smtool" program -d "$dev" --slot irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
for s in urot sm ns; do
    "$smtool" program -d "$dev" --slot $s "$keys/$s.signed" >/dev/null || exit 1
done
slots() { # MOD0 MOD1
    "$smtool" program -d "$dev" --slot mod0 "$tmp/$1.img" >/dev/null || exit 1
    "$smtool" program -d "$dev" --slot mod1 "$tmp/$2.img" >/dev/null || exit 1
}
run() { # N: one boot, its output in $tmp/outN
    "$smrun" --timeout 120 --max-boots 1 "$dev" </dev/null 2>&1 | tr -d '\r' >"$tmp/out$1"
    echo "--- boot $1" && grep -E "owners_test|SM: module|stopped|FAIL" "$tmp/out$1"
}
field() { sed -n "s/^owners_test: $2 //p" "$tmp/out$1"; }
expect_boot() { expect "$tmp/out$1" "$2" "$3"; } # N REGEX WHAT: in boot N's output

slots blank probe1
run 1
expect_boot 1 "^owners_test: asset -140 $" "1. owner 1's probe in slot 1: no asset 1 yet"
expect_boot 1 "^owners_test: stored \"probe asset of boot 1\" 0$" "   it stores one"
key1=$(field 1 "made key 0")
[ ${#key1} = 130 ] && ok "   and makes its key 1" || bad "1. no key made: '$key1'"

run 2
expect_boot 2 "^owners_test: asset 0 probe asset of boot 1$" "2. the same module: its asset kept"
[ "$(field 2 "key 0")" = "$key1" ] && ok "   and its key" || bad "2. the key changed"

# 2b. The stored binding table tampered with (a flash attacker flips a byte of its ciphertext):
# ITS cannot tell whose assets are whose, so it serves no module (STORAGE_FAILURE for the
# probe's asset and key) and NS as before. The flash is restored afterwards.
cp "$dev/flash.img" "$tmp/flash.saved"
cp "$dev/flash.prog" "$tmp/flash.prog.saved"
python3 - "$dev/flash.img" <<'PY' || bad "2b. no binding table record in the ITS area"
import struct, sys
# The ITS area (flash_map.h FLASH_ITS_OFFSET / SIZE_MAX); a record header (docs/design/its.md,
# Layout): kind, flags (16 bits each), owner (the ITS partition, 256), UID (1: the table).
base, size = 0x280000, 0x40000
f = bytearray(open(sys.argv[1], "rb").read())
key = struct.pack("<IQ", 256, 1)
hits = [o for o in range(base, base + size, 16) if f[o + 4:o + 16] == key]
for o in hits:
    f[o + 48] ^= 0x01  # the first byte of its ciphertext
open(sys.argv[1], "wb").write(f)
sys.exit(0 if hits else 1)
PY
run 2b
expect_boot 2b "^owners_test: asset -146 $" "2b. the binding table tampered with: no module asset served"
expect_boot 2b "^owners_test: key -146 $" "   nor a module key (STORAGE_FAILURE)"
expect_boot 2b "^owners_test: ns asset 0$" "   NS's own ITS unaffected"
! grep -q "^owners_test: stored\|^owners_test: made" "$tmp/out2b" && ok "   nothing written" ||
    bad "2b. the probe stored or made something"
cp "$tmp/flash.saved" "$dev/flash.img"
cp "$tmp/flash.prog.saved" "$dev/flash.prog"

slots probe0 probe1
run 3
expect_boot 3 "SM: module slot 1: refused: its partition id or name is another partition's" \
    "3. the same id in both slots: slot 1's refused"
expect_boot 3 "^owners_test: asset -140 $" \
    "   owner 0's probe (the same binary, the same id) does not get owner 1's asset"
expect_boot 3 "^owners_test: key -136 $" "   nor its key (INVALID_HANDLE)"
key3=$(field 3 "made key 0")
[ ${#key3} = 130 ] && [ "$key3" != "$key1" ] && ok "   it makes a key of its own" ||
    bad "3. key '$key3'"

slots blank blank
run 4
expect_boot 4 "^owners_test: probe absent$" "4. both slots empty: no probe"
slots probe0 blank
run 5
expect_boot 5 "^owners_test: asset 0 probe asset of boot 3$" \
    "5. owner 0's probe back in slot 0: its asset kept across the empty slot"
[ "$(field 5 "key 0")" = "$key3" ] && ok "   and its key" || bad "5. the key changed"

slots echo0 blank
run 6
expect_boot 6 "^owners_test: probe absent$" "6. the echo module in slot 0 in its place"
slots probe0 blank
run 7
expect_boot 7 "^owners_test: asset -140 $" "7. the probe back: replaced in step 6, its asset removed"
expect_boot 7 "^owners_test: key -136 $" "   and its key"
for n in 1 2 2b 3 4 5 6 7; do
    ! grep -q "FAIL\|FATAL\|stopped" "$tmp/out$n" || bad "boot $n: a failure or a stop"
done
finish owners_test
