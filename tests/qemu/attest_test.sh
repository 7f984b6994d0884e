#!/usr/bin/env bash
# attest_test.sh BUILD: Initial Attestation on the emulated board, end to end.
#
# A fresh device with fresh keys, its attestation key brought by the manufacturer (--iak) and
# every attestation claim provisioned; the uRoT, the attestation SM test image and the NS test
# application (ns_attest_test.c) signed and programmed. One run of four boots, then an NS update
# (1.1.0, confirmed) and one more boot. Every token the NS application prints is verified by
# smtool token verify with the IAK's public key, its nonce and the three image files, so each
# measurement in it equals the SHA-256 smtool computes from the file programmed (and its signer
# the file's key hash); then the claims are checked: client ids, lifecycle, implementation id,
# certification reference, verification service, the boot seed (one per boot), and the update
# changing the NS component only. The device runs two secure modules of two owners (the echo
# and probe modules of tests/modules, slots 0 and 1): each is a software component of its own
# (ARoT), and a later update of module 0 alone changes that component only. A second device,
# provisioned in another lifecycle state and with no optional claims, gives tokens that say so.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib.sh"
test_env "$1"
impl=a1a2a3a4a5a6a7a8b1b2b3b4b5b6b7b8c1c2c3c4c5c6c7c8d1d2d3d4d5d6d7d8
cert=0604565272829-10010
url=https://verifier.example/psa/v1

keygen urot sm ns iak mod0 mod1
sign() { # sign KEY IMAGE.bin OUT VERSION COUNTER SLOT [options]
    local key=$1
    shift
    sign_image "$keys/$key.pem" "$@"
}
sign urot "$fw/boot/urot/urot.bin" "$tmp/urot.img" 1.0.0 1 urot
sign sm "$fw/core/sm_attest_test.bin" "$tmp/sm.img" 1.2.0 1 sm
sign ns "$fw/tests/qemu/ns_attest_test.bin" "$tmp/ns.img" 1.0.0 1 ns
sign ns "$fw/tests/qemu/ns_attest_test.bin" "$tmp/ns2.img" 1.1.0 2 ns --pad --confirm
sign mod0 "$fw/tests/modules/mod_echo.payload" "$tmp/mod0.img" 1.0.0 1 mod0
sign mod1 "$fw/tests/modules/mod_probe.payload" "$tmp/mod1.img" 1.0.0 1 mod1
sign mod0 "$fw/tests/modules/mod_echo.payload" "$tmp/mod02.img" 1.1.0 2 mod0 --pad --confirm
"$smtool" provision -d "$dev" --urot-key "$keys/urot.pem" --sm-key "$keys/sm.pem" \
    --ns-key "$keys/ns.pem" --iak "$keys/iak.pem" --implementation-id "$impl" \
    --cert-ref "$cert" --verification-url "$url" --module0-key "$keys/mod0.pem" \
    --module1-key "$keys/mod1.pem" --module-slots 2 >/dev/null || exit 1
"$smtool" program -d "$dev" --slot irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
for s in urot sm ns mod0 mod1; do
    "$smtool" program -d "$dev" --slot $s "$tmp/$s.img" >/dev/null || exit 1
done

run() { # run LOG MAX_BOOTS: power on until power-off
    # --icount: virtual time is instructions, so the timer interrupts boot 2 counts during a
    # token measure the signature's length, not the machine's load.
    "$smrun" --icount --timeout 240 --max-boots "$2" "$dev" </dev/null >"$1" 2>&1
    local rc=$?
    sed "s/^/[$(basename "$1")] /" "$1"
    [ "$rc" = 0 ] || fail "$(basename "$1"): exit status $rc"
}
expect() { # expect LOG PATTERN...
    local log=$1
    shift
    for p in "$@"; do grep -Eq -- "$p" "$log" || fail "$(basename "$log"): no /$p/"; done
}
run "$tmp/log1" 4
expect "$tmp/log1" "attest_test boot 1: [0-9]+ passed, 0 failed" \
    "attest_test: the partition's lifecycle state is 3000" \
    "attest_test boot 2: [0-9]+ passed, 0 failed" "attest_test boot 3: [0-9]+ passed, 0 failed" \
    "attest_test boot 4: [0-9]+ passed, 0 failed" "attest_test: all boots done" \
    "partition TEST_ATTEST_CLIENT stopped: attestation call from a partition without the attestation key" \
    "partition TEST_ATTEST_CLIENT stopped: MemManage fault .* at address 10008040" \
    "partition TEST_ATTEST_CLIENT stopped: MemManage fault .* at address 38013ffc" \
    "SM: 2 module\\(s\\), 2 service\\(s\\)"
grep -q "FAIL" "$tmp/log1" && fail "a check failed on the board"
part_id=$(sed -n 's/.*the partition.s client id is \([0-9]*\).*/\1/p' "$tmp/log1" | head -1)
timer_id=$(sed -n 's/.*the timer.s \([0-9]*\).*/\1/p' "$tmp/log1" | head -1)

# verify LOG LABEL IMAGE...: the token LABEL of LOG verified; its JSON in $tmp/LABEL.json
verify() {
    local log=$1 label=$2
    shift 2
    local line nonce
    line=$(tr -d '\r' <"$log" | grep "attest_test: token $label " | head -1)
    [ -n "$line" ] || { fail "no token $label"; return; }
    nonce=$(echo "$line" | awk '{print $4}')
    echo "$line" | awk '{print $5}' > "$tmp/$label.hex"
    local args=()
    for img in "$@"; do args+=(--image "$img"); done
    if ! "$smtool" token verify -k "$dev/iak.pub.pem" --nonce "$nonce" "${args[@]}" --json \
        "$tmp/$label.hex" > "$tmp/$label.json" 2>"$tmp/err"; then
        fail "token $label: $(cat "$tmp/err")"
    fi
}
expect "$tmp/log1" "SM: a call of SM_ATTEST waits for the deferred work of SM_FWU"
[ -n "$timer_id" ] || fail "the timer partition's id is not printed"
for label in ns1 ns1b part1 ns2 dfr ns3 ns3b; do
    verify "$tmp/log1" $label "$tmp/urot.img" "$tmp/sm.img" "$tmp/mod0.img" "$tmp/mod1.img" \
        "$tmp/ns.img"
done
# A token must not verify against an image the device did not boot.
if "$smtool" token verify -k "$dev/iak.pub.pem" --image "$tmp/ns2.img" "$tmp/ns1.hex" \
    >/dev/null 2>&1; then
    fail "token ns1 verified against the NS update it never booted"
fi

# The NS update, then one more boot.
"$smtool" program -d "$dev" --slot ns-dl "$tmp/ns2.img" >/dev/null || exit 1
run "$tmp/log2" 2
expect "$tmp/log2" "attest_test boot 5: [0-9]+ passed, 0 failed" "booting NS image 1.1.0"
verify "$tmp/log2" upd "$tmp/urot.img" "$tmp/sm.img" "$tmp/mod0.img" "$tmp/mod1.img" \
    "$tmp/ns2.img"

# Module 0 updated alone (its owner's 1.1.0), then one more boot: token "mod".
"$smtool" program -d "$dev" --slot mod0-dl "$tmp/mod02.img" >/dev/null || exit 1
run "$tmp/log4" 2
expect "$tmp/log4" "attest_test boot 6: [0-9]+ passed, 0 failed" "booting module 0 image 1.1.0" \
    "SM: module slot 0: TEST_MOD_ECHO .*loaded"
tr -d '\r' <"$tmp/log4" | sed 's/attest_test: token upd /attest_test: token mod /' >"$tmp/log4m"
verify "$tmp/log4m" mod "$tmp/urot.img" "$tmp/sm.img" "$tmp/mod02.img" "$tmp/mod1.img" \
    "$tmp/ns2.img"

# The lifecycle claim follows the provisioned state: the same images on a device provisioned in
# the non-PSA-RoT debug state (a state that boots: PSA RoT provisioning boots no image,
# docs/design/lifecycle.md), one boot (the application then asks for a reset: status 125).
"$smtool" provision -d "$tmp/dev2" --urot-key "$keys/urot.pem" --sm-key "$keys/sm.pem" \
    --ns-key "$keys/ns.pem" --lifecycle non-psa-rot-debug >/dev/null || exit 1
"$smtool" program -d "$tmp/dev2" --slot irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
for s in urot sm ns; do "$smtool" program -d "$tmp/dev2" --slot $s "$tmp/$s.img" >/dev/null || exit 1; done
"$smrun" --timeout 120 --max-boots 1 "$tmp/dev2" </dev/null >"$tmp/log3" 2>&1
[ $? = 125 ] || fail "log3: not one boot ending in a reset request"
sed "s/^/[log3] /" "$tmp/log3"
expect "$tmp/log3" "attest_test: the partition's lifecycle state is 4000"
line=$(tr -d '\r' <"$tmp/log3" | grep "attest_test: token ns1 " | head -1)
echo "$line" | awk '{print $5}' > "$tmp/lc.hex"
"$smtool" token verify -k "$tmp/dev2/iak.pub.pem" --nonce "$(echo "$line" | awk '{print $4}')" \
    --json "$tmp/lc.hex" > "$tmp/lc.json" 2>"$tmp/err" || fail "token lc: $(cat "$tmp/err")"
python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert t["security_lifecycle"] == 0x4000, t["security_lifecycle"]; assert t["implementation_id"] == "00" * 32 and "certification_reference" not in t and "verification_service" not in t' \
    "$tmp/lc.json" || fail "the lifecycle claim of a device in the non-PSA-RoT debug state"

python3 - "$tmp" "$impl" "$cert" "$url" "$part_id" "$timer_id" <<'PY' || fail "the claims"
import json, os, sys
d, impl, cert, url, part, timer = sys.argv[1:7]
t = {l: json.load(open(os.path.join(d, l + ".json")))
     for l in ("ns1", "ns1b", "part1", "ns2", "dfr", "ns3", "ns3b", "upd", "mod")}
for l, v in t.items():
    assert v["profile"] == "tag:psacertified.org,2023:psa#tfm", l
    assert v["implementation_id"] == impl and v["certification_reference"] == cert, l
    assert v["verification_service"] == url, l
    assert v["security_lifecycle_name"] == "secured", l
    want = {"part1": int(part), "dfr": int(timer)}.get(l, -1)
    assert v["client_id"] == want, (l, v["client_id"])
    assert [c["measurement_type"] for c in v["software_components"]] == \
        ["BL", "PRoT", "ARoT", "ARoT", "App"], l
    assert v["instance_id"] == t["ns1"]["instance_id"], l
seeds = {l: v["boot_seed"] for l, v in t.items()}
assert seeds["ns1"] == seeds["ns1b"] == seeds["part1"], "one boot seed per boot"
assert seeds["ns2"] == seeds["dfr"], "one boot seed per boot"
assert seeds["ns3"] == seeds["ns3b"], "one boot seed per boot"
assert len({seeds["ns1"], seeds["ns2"], seeds["ns3"], seeds["upd"], seeds["mod"]}) == 5, \
    "a boot seed per boot"
versions = [c["version"] for c in t["ns1"]["software_components"]]
assert versions == ["1.0.0+0", "1.2.0+0", "1.0.0+0", "1.0.0+0", "1.0.0+0"], versions
c = t["ns1"]["software_components"]
assert c[2]["signer_id"] != c[3]["signer_id"], "two module owners, two signers"
before, after = t["ns3"]["software_components"], t["upd"]["software_components"]
assert before[:4] == after[:4], "only the NS component changes"
assert before[4]["measurement_value"] != after[4]["measurement_value"]
assert after[4]["version"] == "1.1.0+0" and before[4]["signer_id"] == after[4]["signer_id"]
before, after = after, t["mod"]["software_components"]
assert before[:2] == after[:2] and before[3:] == after[3:], "only module 0's component changes"
assert before[2]["measurement_value"] != after[2]["measurement_value"]
assert after[2]["version"] == "1.1.0+0" and before[2]["signer_id"] == after[2]["signer_id"]
PY
finish attest_test
