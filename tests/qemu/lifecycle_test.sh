#!/usr/bin/env bash
# lifecycle_test.sh BUILD: what each PSA lifecycle state does at boot on the emulated board
# (docs/design/lifecycle.md, "What each state does"): the debug states boot with the trace,
# SECURED without it, the two manufacturing states boot no image and write nothing, and
# DECOMMISSIONED reached on the device erases every secret and asset at the next boot and
# stops, saying why, at every boot after.
set -u
build=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smtool="$build/host/tools/smtool/smtool"
smrun="$here/../../tools/smrun"
fw="$build/fw"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dev="$tmp/dev"
keys="$tmp/keys"
fails=0
run=0
boot() { # boot EXPECTED_STATUS: power on until power-off; console in $tmp/log
    run=$((run + 1))
    "$smrun" --timeout 60 --max-boots 2 "$dev" </dev/null >"$tmp/log" 2>&1
    local rc=$?
    sed "s/^/[run $run] /" "$tmp/log"
    if [ "$rc" != "$1" ]; then
        echo "FAIL run $run: exit status $rc, expected $1"
        fails=$((fails + 1))
    fi
}
expect() {
    for p in "$@"; do
        grep -Eq -- "$p" "$tmp/log" || { echo "FAIL run $run: no /$p/"; fails=$((fails + 1)); }
    done
}
reject() {
    for p in "$@"; do
        ! grep -Eq -- "$p" "$tmp/log" || { echo "FAIL run $run: unexpected /$p/"; fails=$((fails + 1)); }
    done
}
offset_of() { local h; h=$("$smtool" regions | awk -v n="$1" '$1 == n { print $2 }'); echo $((h)); }

mkdir -p "$keys"
SM_KEYS="$keys" "$here/../../scripts/make-device.sh" "$build" "$dev" || exit 1

# SECURED: the normal boot, no trace.
boot 0
expect "NS: demo application 1.0.0 started"
reject "trace"
# The debug states: the same boot, with the trace.
for st in non-psa-rot-debug recoverable-psa-rot-debug; do
    "$smtool" lifecycle -d "$dev" --to "$st" >/dev/null || exit 1
    code=$([ $st = non-psa-rot-debug ] && echo 4000 || echo 5000)
    boot 0
    expect "uRoT: trace $code: SM at 00040[0-9a-f]{3}, counter 1, hash [0-9a-f]{8}" \
        "uRoT: trace $code: NS at 00180[0-9a-f]{3}, counter 1, hash" "NS: demo application 1.0.0 started"
    "$smtool" lifecycle -d "$dev" --to secured >/dev/null || exit 1
    boot 0
    expect "NS: demo application 1.0.0 started"
    reject "trace"
done

# DECOMMISSIONED reached on the device (the transition recorded as the device records it,
# the erase left to its boot stages): at the next boot the uRoT marks it and resets, and the
# iRoT erases every secret and stops saying why (E23), as at every boot after; none of the four secrets of the provisioning area (HUK,
# IAK, image key, seed: struct bl_otp at 32..159) nor an ITS asset is left in the flash.
otp=$(offset_of otp)
its=$(offset_of its)
secrets=$(od -An -tx1 -v -j $((otp + 32)) -N 128 "$dev/flash.img" | tr -d ' \n')
asset=$(od -An -tx1 -v -j "$its" -N 64 "$dev/flash.img" | tr -d ' \n')
"$smtool" lifecycle -d "$dev" --to decommissioned --record-only | grep -q "erased by the device at its next boot" ||
    { echo "FAIL: --record-only"; fails=$((fails + 1)); }
python3 - "$dev/flash.img" "$secrets" <<'PY' || { echo "FAIL: the secrets were erased before the boot"; fails=$((fails + 1)); }
import sys
flash = open(sys.argv[1], "rb").read()
s = bytes.fromhex(sys.argv[2])
assert all(s[i:i + 32] in flash for i in range(0, 128, 32))
PY
boot 2
expect "uRoT: Secure Manager updatable root of trust" "power cycle, boot 2" "iRoT: stopped: E23"
reject "booting SM" "NS:"
boot 2
expect "iRoT: stopped: E23"
reject "uRoT:"
python3 - "$dev/flash.img" "$secrets" "$asset" <<'PY' || fails=$((fails + 1))
import sys
flash = open(sys.argv[1], "rb").read()
s = bytes.fromhex(sys.argv[2])
keys = [s[i:i + 32] for i in range(0, 128, 32)] + [bytes.fromhex(sys.argv[3])[16:48]]
assert all(len(set(k)) > 1 for k in keys), "the secrets read before were not secrets"
found = [i for i, k in enumerate(keys) if k in flash]
if found:
    print(f"FAIL: secrets {found} still in the flash")
    sys.exit(1)
PY
"$smtool" lifecycle -d "$dev" | grep -qx 'DECOMMISSIONED (0x6000)' || { echo "FAIL: state after"; fails=$((fails + 1)); }

# The manufacturing states: no image boots, nothing is written.
for st in assembly-and-test psa-rot-provisioning; do
    "$smtool" provision --force -d "$dev" --lifecycle "$st" --urot-key "$keys/urot.pem" \
        --sm-key "$keys/sm.pem" --ns-key "$keys/ns.pem" >/dev/null || exit 1
    for s in irot urot sm ns; do
        img="$keys/$s.signed"
        [ $s = irot ] && img="$fw/boot/irot/irot.bin"
        "$smtool" program -d "$dev" --slot $s "$img" >/dev/null || exit 1
    done
    boot 2 # (the iRoT raises the uRoT's security counter at the first boot, as always)
    cp "$dev/flash.img" "$tmp/before.img"
    boot 2
    expect "iRoT: uRoT verified" "uRoT: stopped: provisioning only"
    reject "booting SM" "NS:"
    cmp -s "$dev/flash.img" "$tmp/before.img" || { echo "FAIL: $st: the flash changed"; fails=$((fails + 1)); }
done

# A blank chip (smtool chip make: the iRoT and the chip's own secrets, no device record yet)
# boots nothing: the iRoT finds no device provisioning.
"$smtool" chip make "$dev" --force --vendor "$tmp/vendor" --irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
"$smtool" lifecycle -d "$dev" | grep -qx 'ASSEMBLY_AND_TEST (0x1000)' || { echo "FAIL: chip state"; fails=$((fails + 1)); }
boot 2
expect "iRoT: Secure Manager immutable root of trust" "iRoT: stopped: E18"
reject "uRoT"

[ $fails = 0 ] && echo "lifecycle: all passed" || echo "lifecycle: $fails failed"
exit $((fails != 0))
