#!/usr/bin/env bash
# smtool_token_test.sh SMTOOL TEST_ATTEST: `smtool provision` with the attestation options and
# `smtool token verify` from the command line: a device provisioned by smtool (its own IAK given
# with --iak) makes a token on the host library (test_attest token), which smtool accepts with
# the right key and nonce and refuses with a wrong nonce, another key, a flipped byte anywhere
# and a byte added; a legacy PSA_IOT_PROFILE_1 token is read too; bad provisioning options are
# refused before anything is written.
set -uo pipefail
smtool=$1
test_attest=$2
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
nonce=$(printf '%064x' 0 | tr 0 7)
impl=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

"$smtool" keygen -k "$tmp/iak.pem" >/dev/null || exit 1
"$smtool" keygen -k "$tmp/other.pem" >/dev/null || exit 1
for bad in "--implementation-id 0123" "--implementation-id $(printf 'zz%.0s' {1..32})" \
           "--cert-ref 1234567890123" "--cert-ref 123456789012a-12345" \
           "--verification-url has\ space" "--verification-url $(printf 'u%.0s' {1..97})"; do
    # shellcheck disable=SC2086
    if eval "\"$smtool\" provision -d \"$tmp/bad\" $bad" >/dev/null 2>&1 || [ -e "$tmp/bad" ]; then
        fail "provision accepted $bad"
    fi
done
"$smtool" provision -d "$tmp/dev" --iak "$tmp/iak.pem" --implementation-id "$impl" \
    --cert-ref 0604565272829-10010 --verification-url https://verifier.example/psa \
    --lifecycle psa-rot-provisioning >/dev/null || exit 1
# The device's iak.pub.pem is the public half of the key given.
"$smtool" getpub -k "$tmp/iak.pem" > "$tmp/a" && "$smtool" getpub -k "$tmp/dev/iak.pub.pem" > "$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "iak.pub.pem is not the public half of --iak"

"$test_attest" token "$tmp/dev" "$nonce" "$tmp/token.cbor" || exit 1
verify() { "$smtool" token verify "$@" 2>"$tmp/err"; }
verify -k "$tmp/iak.pem" --nonce "$nonce" "$tmp/token.cbor" > "$tmp/out" || fail "the device's token: $(cat "$tmp/err")"
grep -q "verified: signed by" "$tmp/out" || fail "no verified line"
verify -k "$tmp/dev/iak.pub.pem" --json "$tmp/token.cbor" > "$tmp/json" || fail "json: $(cat "$tmp/err")"
python3 - "$tmp/json" "$impl" "$nonce" <<'PY' || fail "the JSON claims"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["profile"] == "tag:psacertified.org,2023:psa#tfm", t["profile"]
assert t["implementation_id"] == sys.argv[2]
assert t["nonce"] == sys.argv[3]
assert t["client_id"] == -1
assert t["security_lifecycle"] == 0x2000 and t["security_lifecycle_name"] == "psa-rot-provisioning"
assert t["certification_reference"] == "0604565272829-10010"
assert t["verification_service"] == "https://verifier.example/psa"
assert [c["measurement_type"] for c in t["software_components"]] == ["BL", "PRoT", "ARoT", "App"]
assert len(t["boot_seed"]) == 64 and len(t["instance_id"]) == 66
PY
# The same token in hex, as the demo prints it.
xxd -p "$tmp/token.cbor" > "$tmp/token.hex"
verify -k "$tmp/iak.pem" "$tmp/token.hex" >/dev/null || fail "the token in hex"
# Refusals: a wrong nonce, another key, a byte added, a flipped byte anywhere.
verify -k "$tmp/iak.pem" --nonce "${nonce%??}00" "$tmp/token.cbor" >/dev/null &&
    fail "a wrong nonce was accepted"
grep -q "nonce" "$tmp/err" || fail "no reason for the wrong nonce"
verify -k "$tmp/other.pem" "$tmp/token.cbor" >/dev/null && fail "another key was accepted"
{ cat "$tmp/token.cbor"; printf '\0'; } > "$tmp/trailing.cbor"
verify -k "$tmp/iak.pem" "$tmp/trailing.cbor" >/dev/null && fail "a trailing byte was accepted"
grep -q "trailing" "$tmp/err" || fail "no reason for the trailing byte"
len=$(stat -c %s "$tmp/token.cbor")
for ((i = 0; i < len; i += 7)); do
    python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); b[int(sys.argv[2])]^=0xff; open(sys.argv[3],'wb').write(b)" \
        "$tmp/token.cbor" "$i" "$tmp/flip.cbor"
    if verify -k "$tmp/iak.pem" "$tmp/flip.cbor" >/dev/null; then
        fail "byte $i flipped: accepted"
    fi
done
verify -k "$tmp/iak.pem" "$tmp/missing.cbor" >/dev/null && fail "a missing file was accepted"
# A legacy PSA_IOT_PROFILE_1 token is read as well.
"$test_attest" legacy "$tmp/legacy.cbor" "$tmp/legacy.pub.pem" || exit 1
verify -k "$tmp/legacy.pub.pem" "$tmp/legacy.cbor" > "$tmp/out" || fail "legacy: $(cat "$tmp/err")"
grep -q "PSA_IOT_PROFILE_1" "$tmp/out" || fail "legacy profile not named"
finish "smtool token"
