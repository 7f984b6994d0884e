#!/usr/bin/env bash
# smtool_lcsign_test.sh SMTOOL TEST_ATTEST: `smtool lifecycle --sign` makes the requests a
# running device's SM takes (sm/sm_lifecycle.h): a device provisioned by smtool with the OEM's
# key as its NS key (the OEM key of a device provisioned offline) moves SECURED to
# NON_PSA_ROT_DEBUG and back with requests the tool signed, handed over by the NS side on the
# host library (test_attest lifecycle); a replay, another key's request, one for another chip
# and one with a count not the device's are refused and move nothing; bad options write no file.
set -uo pipefail
smtool=$1
test_attest=$2
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

"$smtool" keygen -k "$tmp/oem.pem" >/dev/null || exit 1
"$smtool" keygen -k "$tmp/other.pem" >/dev/null || exit 1
"$smtool" provision -d "$tmp/dev" --ns-key "$tmp/oem.pem" --lifecycle secured >/dev/null || exit 1
state() { "$smtool" lifecycle -d "$tmp/dev"; }
# hand FILE: the status the SM answers the NS application with.
hand() { "$test_attest" lifecycle "$tmp/dev" "$1" | sed -n 's/^status //p'; }
is() { [ "$2" = "$3" ] || fail "$1: status $2, not $3"; }
sign() { "$smtool" lifecycle --sign "$@" >/dev/null 2>&1; }

sign "$tmp/r0" --key "$tmp/oem.pem" --to non-psa-rot-debug || fail "sign"
[ "$(stat -c %s "$tmp/r0")" = 92 ] || fail "a request is 92 bytes"
[ "$(head -c 4 "$tmp/r0")" = SMLR ] || fail "a request starts with its magic"
sign "$tmp/other" --key "$tmp/other.pem" --to non-psa-rot-debug || fail "sign other"
sign "$tmp/chip" --key "$tmp/oem.pem" --to non-psa-rot-debug \
    --chip 000102030405060708090a0b0c0d0e0f || fail "sign chip"
sign "$tmp/count" --key "$tmp/oem.pem" --to non-psa-rot-debug --transitions 1 || fail "sign count"
is "another key's request" "$(hand "$tmp/other")" -149
is "another chip's request" "$(hand "$tmp/chip")" -149
is "a count not the device's" "$(hand "$tmp/count")" -137
state | grep -q "(0x3000)" || fail "a refusal moved the state: $(state)"
is "the OEM's request" "$(hand "$tmp/r0")" 0
state | grep -q "(0x4000)" || fail "not moved: $(state)"
is "its replay" "$(hand "$tmp/r0")" -137
sign "$tmp/r1" --key "$tmp/oem.pem" --to secured --transitions 1 || fail "sign back"
is "back to SECURED" "$(hand "$tmp/r1")" 0
state | grep -q "(0x3000)" || fail "not back: $(state)"
for bad in "--to secured" "--key $tmp/oem.pem" "--key $tmp/oem.pem --to nowhere" \
           "--key $tmp/oem.pem --to secured --transitions x" \
           "--key $tmp/oem.pem --to secured --transitions 65536" \
           "--key $tmp/oem.pem --to secured --chip 0011"; do
    # shellcheck disable=SC2086
    if "$smtool" lifecycle --sign "$tmp/bad" $bad >/dev/null 2>&1 || [ -e "$tmp/bad" ]; then
        fail "--sign accepted $bad"
    fi
done
finish smtool_lcsign
