#!/usr/bin/env bash
# smtool_chip_test.sh SMTOOL: `smtool chip make`, `show` and `verify` (docs/design/lifecycle.md,
# "The chip"): a blank chip holding only its own secrets and the vendor's certificate, the
# vendor directory keeping only the vendor's keys, no secret of the chip in any file the tool
# writes but the chip's flash, its certificate verifying against root.pub.pem and refused
# with a reason for every field broken, its lifecycle ASSEMBLY_AND_TEST.
set -u
smtool=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # check DESCRIPTION COMMAND...: COMMAND must succeed
    local what=$1
    shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
expect_fail() { # expect_fail DESCRIPTION STATUS PATTERN COMMAND...: exit STATUS, stderr has PATTERN
    local what=$1 status=$2 pattern=$3
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc = "$status" ] && grep -q -- "$pattern" "$tmp/err"; then
        echo "ok   $what"
    else
        echo "FAIL $what (exit $rc, stderr: $(cat "$tmp/err"))"
        fails=$((fails + 1))
    fi
}
offset_of() { local hex; hex=$("$smtool" regions | awk -v n="$1" '$1 == n { print $2 }'); echo $((hex)); }
otp=$(offset_of otp)
chip_at=$((otp + 0x1D00)) # BL_CHIP_OFFSET: struct bl_chip

irot=$tmp/irot.bin
head -c 1000 /dev/urandom >"$irot"
# Everything the tool prints is kept too: it is written somewhere (a terminal, a log).
check "chip make makes a chip and the vendor's keys on first use" \
    bash -c "'$smtool' chip make '$tmp/chip1' --vendor '$tmp/vendor' --irot '$irot' >'$tmp/make1.out' 2>'$tmp/make1.err'"
check "... the vendor directory holds its root and product keys" \
    bash -c "cd '$tmp/vendor' && ls | sort | tr '\n' ' ' | grep -qx 'product.pem product.pub.pem root.pem root.pub.pem '"
check "... the vendor's private keys readable by the owner only" \
    bash -c "[ \$(stat -c %a '$tmp/vendor/root.pem') = 600 ] && [ \$(stat -c %a '$tmp/vendor/product.pem') = 600 ]"
check "... the chip directory holds only the chip's flash" \
    bash -c "cd '$tmp/chip1' && ls | sort | tr '\n' ' ' | grep -qx 'flash.img flash.prog '"
check "... with the iRoT at the reset vector" cmp -s "$irot" <(head -c 1000 "$tmp/chip1/flash.img")
check "a second chip from the same vendor" \
    bash -c "'$smtool' chip make '$tmp/chip2' --vendor '$tmp/vendor' >'$tmp/make2.out' 2>'$tmp/make2.err'"
check "... reuses the vendor's keys (same issuer), with an id of its own" python3 - "$tmp" <<'PY'
import sys, re
t = sys.argv[1]
a, b = (open(f"{t}/make{i}.out").read() for i in (1, 2))
ida, idb = (re.search(r"chip id: +([0-9a-f]{32})", x).group(1) for x in (a, b))
isa, isb = (re.search(r"certified by: +([0-9a-f]{64})", x).group(1) for x in (a, b))
assert ida != idb and isa == isb, (ida, idb, isa, isb)
assert "a new vendor key" not in open(f"{t}/make2.err").read()
PY
expect_fail "a chip is not made twice" 1 "already holds a device" \
    "$smtool" chip make "$tmp/chip1" --vendor "$tmp/vendor"
check "show: the lifecycle, the id and the certificate verified against root.pub.pem" \
    bash -c "'$smtool' chip show -d '$tmp/chip1' --root '$tmp/vendor/root.pub.pem' --cert-out '$tmp/c1.cert' >'$tmp/show.out' 2>'$tmp/show.err' && grep -q '^lifecycle: *ASSEMBLY_AND_TEST' '$tmp/show.out' && grep -q 'verified against' '$tmp/show.out'"
check "lifecycle: ASSEMBLY_AND_TEST" bash -c "'$smtool' lifecycle -d '$tmp/chip1' | grep -qx 'ASSEMBLY_AND_TEST (0x1000)'"
check "verify: the certificate file" "$smtool" chip verify --root "$tmp/vendor/root.pub.pem" "$tmp/c1.cert"

# No secret of the chip anywhere but in its flash: the HUK and the chip key (struct bl_chip at
# 16 and 48), raw and as hex, in none of the files the tool wrote or the lines it printed.
huk=$(od -An -tx1 -v -j $((chip_at + 16)) -N 32 "$tmp/chip1/flash.img" | tr -d ' \n')
key=$(od -An -tx1 -v -j $((chip_at + 48)) -N 32 "$tmp/chip1/flash.img" | tr -d ' \n')
key2=$(od -An -tx1 -v -j $((chip_at + 48)) -N 32 "$tmp/chip2/flash.img" | tr -d ' \n')
check "no secret of the chip in any file the tool wrote but the chip's flash" python3 - "$tmp" "$huk" "$key" "$key2" <<'PY'
import os, sys, base64
t, *hexes = sys.argv[1:]
secrets = [bytes.fromhex(h) for h in hexes]
assert all(len(set(s)) > 8 for s in secrets), "what was read is no secret"
assert secrets[0] in open(f"{t}/chip1/flash.img", "rb").read(), "the HUK is not in the chip"
forms = []
for s in secrets:
    forms += [s, s.hex().encode(), s.hex().upper().encode(), base64.b64encode(s)[:40]]
written = [f"{t}/vendor/{n}" for n in os.listdir(f"{t}/vendor")]
written += [f"{t}/chip1/flash.prog", f"{t}/chip2/flash.prog", f"{t}/c1.cert"]
written += [f"{t}/{n}" for n in os.listdir(t) if n.endswith((".out", ".err"))]
for path in written:
    data = open(path, "rb").read()
    for i, f in enumerate(forms):
        assert f not in data, f"secret {i // 4} (form {i % 4}) in {path}"
# The product key, the vendor's own, is in the vendor's file and in the chip, nowhere else.
PY

# The certificate refused with a reason for every field broken, and for its length.
flip() { # flip SRC DST OFFSET
    cp "$1" "$2"
    local b
    b=$(od -An -tu1 -j "$3" -N 1 "$2" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 0x01)))" | dd of="$2" bs=1 seek="$3" conv=notrunc 2>/dev/null
}
root=$tmp/vendor/root.pub.pem
for field in "magic 0 not a chip certificate" "version 4 another version" \
    "chip_id 8 signature does not verify" "chip_pub 24 signature does not verify" \
    "chip_pub_y 87 signature does not verify" "issuer 88 another key than this vendor root" \
    "sig_r 120 signature does not verify" "sig_s 183 signature does not verify"; do
    set -- $field
    name=$1 at=$2
    shift 2
    flip "$tmp/c1.cert" "$tmp/bad.cert" "$at"
    expect_fail "a certificate with its $name altered is refused" 1 "$*" \
        "$smtool" chip verify --root "$root" "$tmp/bad.cert"
done
head -c 183 "$tmp/c1.cert" >"$tmp/short.cert"
expect_fail "a truncated certificate is refused" 1 "certificate truncated" \
    "$smtool" chip verify --root "$root" "$tmp/short.cert"
cat "$tmp/c1.cert" <(printf 'x') >"$tmp/long.cert"
expect_fail "a longer one too" 1 "certificate too long" \
    "$smtool" chip verify --root "$root" "$tmp/long.cert"
"$smtool" keygen -k "$tmp/other.pem" >/dev/null
expect_fail "a certificate checked against another vendor's root is refused" 1 \
    "another key than this vendor root" "$smtool" chip verify --root "$tmp/other.pem" "$tmp/c1.cert"

# The chip's lifecycle moves under its own HUK's counters, and its end erases its secrets.
check "the chip moves to PSA_ROT_PROVISIONING" "$smtool" lifecycle -d "$tmp/chip1" --to psa-rot-provisioning
check "decommissioned" "$smtool" lifecycle -d "$tmp/chip1" --to decommissioned
check "... none of the chip's secrets left in its flash" python3 - "$tmp/chip1/flash.img" "$huk" "$key" <<'PY'
import sys
flash = open(sys.argv[1], "rb").read()
assert not any(bytes.fromhex(h) in flash for h in sys.argv[2:])
PY
expect_fail "... and no chip to show" 1 "no chip record" "$smtool" chip show -d "$tmp/chip1"
expect_fail "usage" 2 "usage" "$smtool" chip make "$tmp/chip3"

[ $fails = 0 ] && echo "smtool chip: all passed" || echo "smtool chip: $fails failed"
exit $((fails != 0))
