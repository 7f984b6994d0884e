#!/usr/bin/env bash
# keyvault_host_test.sh SRC BUILD: the KEYVAULT example module on a PC (docs/design/modules.md,
# "The same module on a PC"): its NS example built with TARGET=host against copies of the
# SMAK for Linux and the SMDK, the module's own source compiled in as an in-process partition
# (smmodule.py host), run twice over one device directory: the module loaded by the SM's
# loader, its signature verified with python3-cryptography, its key and count persisted in the
# device's flash; and a module whose manifest takes the ITS service's partition id refused by
# the loader, stopping the program before main.
set -uo pipefail
src=$1 build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
cp -r "$build/smak" "$tmp/smak" && cp -r "$build/smdk" "$tmp/smdk" &&
    cp -r "$src/modules/examples/keyvault" "$tmp/keyvault" || exit 1
rm -rf "$tmp/keyvault/ns/gen"
if make -s -C "$tmp/keyvault/ns" SMAK="$tmp/smak" SMDK="$tmp/smdk" TARGET=host \
    >"$tmp/make.log" 2>&1; then
    ok "the key vault's NS example built for Linux with the module in-process"
else
    cat "$tmp/make.log"
    bad "host build"
    exit 1
fi
SM_KEYS="$tmp/keys" "$src/scripts/make-device.sh" "$build" "$tmp/dev" >/dev/null || exit 1
run() { SM_DEVICE="$tmp/dev" "$tmp/keyvault/ns/keyvault_client" >"$tmp/$1" 2>&1; }
run out1
rc1=$?
run out2
rc2=$?
cat "$tmp/out1" "$tmp/out2"
[ $rc1 = 0 ] && [ $rc2 = 0 ] && ok "two runs, status 0" || bad "runs: $rc1 $rc2"
grep -q "SM: module slot 0: KEYVAULT (partition id 19286), 1 service(s), loaded" "$tmp/out1" &&
    ok "loaded by the SM's module loader" || bad "not loaded"
field() { sed -n "s/^keyvault: $2 //p" "$tmp/$1"; }
[ -n "$(field out1 'public key')" ] && [ "$(field out1 'public key')" = "$(field out2 'public key')" ] &&
    ok "the same key in both runs (persisted in the device's flash)" || bad "the key changed"
grep -q "^SM: trace KEYVAULT: made its key$" "$tmp/out1" && ! grep -q "SM: trace" "$tmp/out2" &&
    ok "sm_trace on the PC: the line when it made its key, in the first run only" ||
    bad "the trace on the PC"
grep -q "keyvault: 1 signature(s)" "$tmp/out1" && grep -q "keyvault: 2 signature(s)" "$tmp/out2" &&
    ok "its count in its ITS asset: 1, then 2" || bad "the count"
for o in out1 out2; do
    python3 - "$(field $o 'public key')" "$(field $o 'signature')" <<'PY' || bad "$o: the signature"
import sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
pub, sig = (bytes.fromhex(x) for x in sys.argv[1:3])
key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), pub)
der = utils.encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
key.verify(der, b"a message for the key vault", ec.ECDSA(hashes.SHA256()))
print("ok   the signature verifies under the exported key")
PY
done
# A module the loader must refuse: the ITS service's partition id.
sed -i 's/"id": 19286/"id": 256/' "$tmp/keyvault/keyvault.json"
make -s -C "$tmp/keyvault/ns" SMAK="$tmp/smak" SMDK="$tmp/smdk" TARGET=host >/dev/null 2>&1 ||
    bad "rebuild with id 256"
SM_DEVICE="$tmp/dev" "$tmp/keyvault/ns/keyvault_client" >"$tmp/out3" 2>&1
rc=$?
cat "$tmp/out3"
[ $rc = 2 ] && grep -q "module slot 0: refused: its partition id or name is another partition's" \
    "$tmp/out3" && ! grep -q "^keyvault:" "$tmp/out3" &&
    ok "a module colliding with the SM's ITS refused, the program stopped before main" ||
    bad "the colliding module (status $rc)"
[ $fails = 0 ] && echo "keyvault_host_test: all checks passed"
exit $((fails > 0))
