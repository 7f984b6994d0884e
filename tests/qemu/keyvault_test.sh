#!/usr/bin/env bash
# keyvault_test.sh SRC FW_BUILD HOST_BUILD: the SMDK from outside the tree, and ITS and crypto
# as a secure module sees them (docs/design/modules.md, "Services for modules", "The SMDK").
#   1. build/smdk and modules/examples/keyvault copied to a temporary directory, the module
#      built there with the SMDK alone; its NS example (ns/) likewise with a copy of the SMAK
#   2. the payload signed by smtool with module slot 0's key, installed with `smtool program
#      --slot mod0`, the probe module (tests/modules) in slot 1 with slot 1's key, the SM image
#      sm.bin and the NS test ns_keyvault_test.c: two boots, each client (NS, the vault, the
#      probe) seeing only its own ITS asset 1 and crypto key 1, the vault's key persisted
#   3. the NS example programmed on the same device: the vault's signature of the message's
#      hash verified here with python3-cryptography under the public key it exports (the same
#      key as in step 2), and refused for another message; the count of its signatures
#   sm_trace: the development SM (step 2) prints the modules' trace lines prefixed with their
#   names, cut and cleaned; 4. the product SM image, on a device of its own, prints none (the
#   call answers NOT_SUPPORTED) and gives modules their multipart operation as the other does
set -uo pipefail
src=$1 fw=$2 host=$3
smtool="$host/tools/smtool/smtool"
smrun="$src/tools/smrun"
build=$(cd "$host/.." && pwd)
. "$src/tests/lib.sh"

# 1. Out of the tree.
cp -r "$build/smdk" "$tmp/smdk" && cp -r "$build/smak" "$tmp/smak" &&
    cp -r "$src/modules/examples/keyvault" "$tmp/keyvault" || exit 1
rm -rf "$tmp/keyvault/gen" "$tmp/keyvault/ns/gen"
if make -s -C "$tmp/keyvault" SMDK="$tmp/smdk" >"$tmp/make.log" 2>&1 &&
    make -s -C "$tmp/keyvault/ns" SMAK="$tmp/smak" >>"$tmp/make.log" 2>&1; then
    ok "the key vault and its NS example built out of the tree with the SMDK and the SMAK"
else
    cat "$tmp/make.log"
    bad "out-of-tree build"
    exit 1
fi

# 2. Installed and called.
keys="$tmp/keys"
mkdir -p "$keys"
SM_KEYS="$keys" SM_IMAGE="$fw/core/sm.bin" "$src/scripts/make-device.sh" "$build" \
    "$tmp/dev0" "$fw/tests/qemu/ns_keyvault_test.bin" >/dev/null || exit 1
for k in 0 1; do "$smtool" keygen -k "$keys/mod$k.pem" >/dev/null || exit 1; done
sign() { # KEY IMAGE OUT SIZE
    "$smtool" sign -k "$keys/$1.pem" -v 1.0.0 -s 1 -H 0x400 --pad-header -S "$4" "$2" "$3" \
        >/dev/null || exit 1
}
sign mod0 "$tmp/keyvault/keyvault.payload" "$tmp/kv.img" 0x10000
sign mod1 "$fw/tests/modules/mod_probe.payload" "$tmp/probe.img" 0x10000
dev="$tmp/dev"
"$smtool" provision --force -d "$dev" --urot-key "$keys/urot.pem" --sm-key "$keys/sm.pem" \
    --ns-key "$keys/ns.pem" --module0-key "$keys/mod0.pem" --module1-key "$keys/mod1.pem" \
    --module-slots 2 >/dev/null || exit 1
"$smtool" program -d "$dev" --slot irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
for s in urot sm ns; do
    "$smtool" program -d "$dev" --slot $s "$keys/$s.signed" >/dev/null || exit 1
done
"$smtool" program -d "$dev" --slot mod0 "$tmp/kv.img" >/dev/null || exit 1
"$smtool" program -d "$dev" --slot mod1 "$tmp/probe.img" >/dev/null || exit 1
"$smrun" --icount --timeout 300 --max-boots 3 "$dev" </dev/null 2>&1 | tr -d '\r' >"$tmp/out1"
cat "$tmp/out1"
expect "$tmp/out1" "SM: module slot 0: KEYVAULT \\(partition id 19286\\), 1 service\\(s\\), loaded" \
    "the key vault (built out of the tree, slot 0's key) loaded from slot 0"
expect "$tmp/out1" "SM: module slot 1: TEST_MOD_PROBE .*loaded" "the probe module in slot 1"
for b in 1 2; do
    expect "$tmp/out1" "keyvault_test boot $b: [0-9]+ passed, 0 failed" \
        "boot $b: each client sees only its own ITS asset 1 and crypto key 1"
done
! grep -v "stopped: sm_trace with a line the caller may not read" "$tmp/out1" |
    grep -q "FAIL\|FATAL\|stopped" || bad "a failure or a stopped partition in the log"
expect "$tmp/out1" "SM: partition TEST_MOD_PROBE stopped: sm_trace with a line the caller may not read" \
    "sm_trace of a line not its own: the module stopped"
expect "$tmp/out1" "trace of the SM's RAM: status -144" "  its caller gets PSA_ERROR_SERVICE_FAILURE"
expect "$tmp/out1" "^SM: trace KEYVAULT: made its key$" \
    "sm_trace: the vault's line when it made its key, with its name"
[ "$(grep -c "^SM: trace KEYVAULT: made its key" "$tmp/out1")" = 1 ] &&
    ok "  once: the key was made once, then kept" || bad "the vault made its key more than once"
expect "$tmp/out1" "^SM: trace TEST_MOD_PROBE: a line from the probe$" "sm_trace: the probe's line"
long="bell \\. tab \\. then 012345678901234567890123456789012345678901234567890123456789012345678901234567\\.\\.\\.$"
expect "$tmp/out1" "^SM: trace TEST_MOD_PROBE: $long" \
    "sm_trace: unprintable bytes as '.', cut at 96 bytes"
expect "$tmp/out1" "sm_trace from the probe: status 0" "sm_trace answers PSA_SUCCESS"
vault=$(sed -n 's/^keyvault_test: the vault.s public key //p' "$tmp/out1" | sort -u)
[ "$(echo "$vault" | wc -l)" = 1 ] && [ ${#vault} = 130 ] &&
    ok "the vault's key the same in both boots (persisted)" || bad "the vault's key: '$vault'"

# 3. The NS example on the same device.
"$smtool" sign -k "$keys/ns.pem" -v 1.0.0 -s 1 -H 0x400 --pad-header -S 0x80000 \
    "$tmp/keyvault/ns/keyvault_client.bin" "$tmp/client.img" >/dev/null || exit 1
"$smtool" program -d "$dev" --slot ns "$tmp/client.img" >/dev/null || exit 1
"$smrun" --icount --timeout 120 --max-boots 1 "$dev" </dev/null 2>&1 | tr -d '\r' >"$tmp/out2"
rc=${PIPESTATUS[0]}
cat "$tmp/out2"
[ "$rc" = 0 ] && ok "the NS example powered off with status 0" || bad "the NS example: $rc"
expect "$tmp/out2" "keyvault: 3 signature\\(s\\) made by the module on this device" \
    "the vault counted 3 signatures (two in step 2, this one), in its own ITS asset"
field() { sed -n "s/^keyvault: $1 //p" "$tmp/out2"; }
[ "$(field 'public key')" = "$vault" ] && ok "the example sees the same public key" ||
    bad "the example's public key differs"
python3 - "$(field 'public key')" "$(field 'signature')" "$(field 'sha256')" <<'PY'
import hashlib, sys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
pub, sig, digest = (bytes.fromhex(x) for x in sys.argv[1:4])
msg = b"a message for the key vault"
assert digest == hashlib.sha256(msg).digest(), "the hash is not SHA-256 of the message"
key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), pub)
der = utils.encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
key.verify(der, msg, ec.ECDSA(hashes.SHA256()))
try:
    key.verify(der, msg + b"!", ec.ECDSA(hashes.SHA256()))
    sys.exit("a signature verified for another message")
except InvalidSignature:
    pass
print("ok   the signature verifies on the PC under the exported key, and not for another message")
PY
[ $? = 0 ] || bad "the signature does not verify"
# 4. The product SM: no trace path.
psm="$build/product/fw/core/sm.bin"
SM_KEYS="$keys" SM_IMAGE="$psm" "$src/scripts/make-device.sh" "$build" "$tmp/pdev0" \
    "$fw/tests/qemu/ns_keyvault_test.bin" >/dev/null || exit 1
pdev="$tmp/pdev"
"$smtool" provision --force -d "$pdev" --urot-key "$keys/urot.pem" --sm-key "$keys/sm.pem" \
    --ns-key "$keys/ns.pem" --module0-key "$keys/mod0.pem" --module1-key "$keys/mod1.pem" \
    --module-slots 2 >/dev/null || exit 1
"$smtool" program -d "$pdev" --slot irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
for s in urot sm ns; do
    "$smtool" program -d "$pdev" --slot $s "$keys/$s.signed" >/dev/null || exit 1
done
"$smtool" program -d "$pdev" --slot mod0 "$tmp/kv.img" >/dev/null || exit 1
"$smtool" program -d "$pdev" --slot mod1 "$tmp/probe.img" >/dev/null || exit 1
"$smrun" --icount --timeout 300 --max-boots 3 "$pdev" </dev/null 2>&1 | tr -d '\r' >"$tmp/out3"
cat "$tmp/out3"
for b in 1 2; do
    expect "$tmp/out3" "keyvault_test boot $b: [0-9]+ passed, 0 failed" \
        "product SM, boot $b: the same isolation, a multipart operation for a module"
done
expect "$tmp/out3" "sm_trace from the probe: status -134" \
    "product SM: sm_trace answers PSA_ERROR_NOT_SUPPORTED"
! grep -q "SM: trace" "$tmp/out3" && ok "product SM: no trace line printed" ||
    bad "product SM printed a trace line"
expect "$tmp/out3" "trace of the SM's RAM: status -134" \
    "product SM: a trace of memory not the caller's is not read either (NOT_SUPPORTED)"
! grep -q "stopped" "$tmp/out3" || bad "product SM: a partition stopped"

finish keyvault_test
