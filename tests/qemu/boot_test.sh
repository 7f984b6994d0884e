#!/usr/bin/env bash
# boot_test.sh BUILD SCENARIO: the boot chain on the emulated board (iRoT, uRoT, SM, NS).
#
# Each scenario makes a fresh device with fresh keys, boots it with tools/smrun (one run = one
# power cycle), and checks the console. Update scenarios put a signed image in the NS download
# slot between runs, as an updater would.
set -u
scenario=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib.sh"
test_env "$1"

keygen urot sm ns other
# sign KEY IMAGE.bin OUT VERSION COUNTER [extra smtool sign options]: for the NS slot
sign() {
    local key=$1 in=$2 out=$3 ver=$4 cnt=$5
    shift 5
    sign_image "$keys/$key.pem" "$in" "$out" "$ver" "$cnt" ns "$@"
}
make_device() { # the device `make run` makes, with this test's keys
    SM_KEYS="$keys" "$here/../../scripts/make-device.sh" "$build" "$dev" || exit 1
}
run=0
boot() { # boot EXPECTED_STATUS: power on until power-off; console in $tmp/log.N
    # The demo requests one reset at the first boot since provisioning: up to 2 boots a run.
    run=$((run + 1))
    "$smrun" --timeout 60 --max-boots 2 "$dev" </dev/null >"$tmp/log" 2>&1
    local rc=$?
    cp "$tmp/log" "$tmp/log.$run"
    sed "s/^/[run $run] /" "$tmp/log"
    if [ "$rc" != "$1" ]; then
        echo "FAIL run $run: exit status $rc, expected $1"
        fails=$((fails + 1))
    fi
}
expect() { # expect PATTERN...: each in the last run's console
    for p in "$@"; do
        if ! grep -Eq -- "$p" "$tmp/log"; then
            echo "FAIL run $run: no /$p/"
            fails=$((fails + 1))
        fi
    done
}
reject() {
    for p in "$@"; do
        if grep -Eq -- "$p" "$tmp/log"; then
            echo "FAIL run $run: unexpected /$p/"
            fails=$((fails + 1))
        fi
    done
}
flip_byte() { # flip_byte FILE OFFSET
    local b
    b=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 0x5A)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
le16_at() { od -An -tu2 -j "$2" -N 2 "$1" | tr -d ' '; }
le32_at() { od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '; }
put_le16() { # put_le16 FILE OFFSET VALUE
    printf "$(printf '\\%03o\\%03o' $(($3 & 255)) $(($3 >> 8)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# An NS update request that the uRoT must refuse, leaving v1 running.
rejected_update() { # rejected_update IMAGE REASON
    "$smtool" program -d "$dev" --slot ns-dl "$1" >/dev/null || exit 1
    boot 0
    expect "boot: NS update rejected: $2" "NS: demo application 1.0.0 started"
    reject "installing NS"
    boot 0 # the request was dropped: no second attempt
    reject "rejected" "installing"
    expect "NS: demo application 1.0.0 started"
}

make_device
case "$scenario" in
chain)
    boot 0
    expect "iRoT: Secure Manager immutable root of trust" "boot: booting uRoT image 1.0.0" \
        "iRoT: uRoT verified, starting it" "boot: booting SM image 1.0.0" \
        "boot: booting NS image 1.0.0" "SM: boot record: uRoT" "SM: boot record: NS" \
        "NS: demo application 1.0.0 started in the non-secure world" \
        "NS: the SM implements PSA FF-M 1.1 \(psa_framework_version\(\) = 0x0101\)" \
        "NS: stored 27 bytes in Internal Trusted Storage \(UID 0x4445\): status 0" \
        "NS: first boot since provisioning: requesting a reset" "power cycle, boot 2" \
        "SM: boot 2 since provisioning" "NS: boot 2: the boot counter written before the reset" \
        "NS: read back from Internal Trusted Storage: \"a secret for the next boot\" \(27 bytes\)"
    ;;
update-trial)
    boot 0
    expect "NS: demo application 1.0.0"
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/ns2.img" 2.0.0 2 -E "$dev/enc.pub.pem" --pad
    "$smtool" program -d "$dev" --slot ns-dl "$tmp/ns2.img" >/dev/null
    boot 0
    expect "boot: installing NS image 2.0.0" "boot: booting \(trial\) NS image 2.0.0" \
        "SM: boot record: NS +2.0.0.* \(trial\)" "NS: demo application 2.0.0 started"
    boot 0 # not confirmed: reverted
    expect "NS trial image was not confirmed: reverting" "boot: booting NS image 1.0.0" \
        "NS: demo application 1.0.0 started"
    boot 0
    expect "NS: demo application 1.0.0 started"
    reject "installing"
    ;;
update-permanent)
    boot 0
    # AES-256 here (imgtool --encrypt-keylen 256), AES-128 in update-trial: the uRoT opens both.
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/ns2.img" 2.0.0 2 -E "$dev/enc.pub.pem" \
        --encrypt-keylen 256 --pad --confirm
    "$smtool" program -d "$dev" --slot ns-dl "$tmp/ns2.img" >/dev/null
    boot 0
    expect "boot: installing NS image 2.0.0" "boot: booting NS image 2.0.0" \
        "NS: demo application 2.0.0 started"
    boot 0
    expect "NS: demo application 2.0.0 started"
    reject "reverting"
    # The counter rose to 2 with the confirmation: version 1 (counter 1) may not come back.
    sign ns "$fw/ns/demo/ns_demo_v1.bin" "$tmp/old.img" 1.0.0 1 --pad
    "$smtool" program -d "$dev" --slot ns-dl "$tmp/old.img" >/dev/null
    boot 0
    expect "boot: NS update rejected: security counter rollback" "NS: demo application 2.0.0"
    ;;
reject-signature)
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/bad.img" 2.0.0 2 --pad
    img_size=$(le32_at "$tmp/bad.img" 12)
    # The unprotected TLVs end with the signature: flip its last byte.
    tlv=$((0x400 + img_size + 12))
    tot=$(le16_at "$tmp/bad.img" $((tlv + 2)))
    flip_byte "$tmp/bad.img" $((tlv + tot - 1))
    rejected_update "$tmp/bad.img" "bad signature"
    ;;
reject-wrong-key)
    sign other "$fw/ns/demo/ns_demo_v2.bin" "$tmp/bad.img" 2.0.0 2 --pad
    rejected_update "$tmp/bad.img" "key not allowed for this image"
    ;;
reject-other-kind-key)
    sign sm "$fw/ns/demo/ns_demo_v2.bin" "$tmp/bad.img" 2.0.0 2 --pad
    rejected_update "$tmp/bad.img" "key not allowed for this image"
    ;;
reject-header)
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/bad.img" 2.0.0 2 --pad
    flip_byte "$tmp/bad.img" 20 # version major
    rejected_update "$tmp/bad.img" "SHA-256 mismatch"
    ;;
reject-payload)
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/bad.img" 2.0.0 2 --pad
    flip_byte "$tmp/bad.img" $((0x400 + 200))
    rejected_update "$tmp/bad.img" "SHA-256 mismatch"
    ;;
reject-tlvs)
    # One byte in each TLV: security counter (protected), SHA-256, key hash, signature.
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/good.img" 2.0.0 2 --pad
    img_size=$(le32_at "$tmp/good.img" 12)
    prot=$((0x400 + img_size))
    tlv=$((prot + 12))
    for spec in "$((prot + 8)):SHA-256 mismatch" "$((tlv + 8)):SHA-256 mismatch" \
        "$((tlv + 40 + 4 + 5)):key not allowed" "$((tlv + 40)):no key hash TLV" "$((tlv + 76 + 10)):bad signature"; do
        cp "$tmp/good.img" "$tmp/bad.img"
        flip_byte "$tmp/bad.img" "${spec%%:*}"
        rejected_update "$tmp/bad.img" "${spec#*:}"
    done
    ;;
reject-truncated)
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/good.img" 2.0.0 2
    head -c $(($(stat -c %s "$tmp/good.img") - 40)) "$tmp/good.img" >"$tmp/bad.img"
    # Keep the install request: append the padded trailer by hand.
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/padded.img" 2.0.0 2 --pad
    cp "$tmp/padded.img" "$tmp/bad2.img"
    dd if="$tmp/bad.img" of="$tmp/bad2.img" conv=notrunc 2>/dev/null
    dd if=/dev/zero bs=1 count=40 2>/dev/null | tr '\0' '\377' |
        dd of="$tmp/bad2.img" bs=1 seek=$(stat -c %s "$tmp/bad.img") conv=notrunc 2>/dev/null
    rejected_update "$tmp/bad2.img" "(bad signature|malformed|overruns)"
    ;;
reject-tlv-overrun)
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/bad.img" 2.0.0 2 --pad
    img_size=$(le32_at "$tmp/bad.img" 12)
    put_le16 "$tmp/bad.img" $((0x400 + img_size + 12 + 4 + 2)) 0xFFF0 # SHA256 TLV length
    rejected_update "$tmp/bad.img" "TLV length overruns its area"
    ;;
reject-rollback)
    boot 0 # confirms v1: the NS counter becomes 1
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/bad.img" 2.0.0 0 --pad
    rejected_update "$tmp/bad.img" "security counter rollback"
    ;;
reject-other-device)
    "$smtool" keygen -k "$tmp/other-device.pem" >/dev/null
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/bad.img" 2.0.0 2 -E "$tmp/other-device.pem" --pad
    rejected_update "$tmp/bad.img" "not encrypted for this device"
    ;;
reject-oversize)
    sign ns "$fw/ns/demo/ns_demo_v2.bin" "$tmp/bad.img" 2.0.0 2 --pad
    printf '\000\000\020\000' | dd of="$tmp/bad.img" bs=1 seek=12 conv=notrunc 2>/dev/null # 1 MiB
    rejected_update "$tmp/bad.img" "image larger than its slot"
    ;;
bad-ns)
    flip_byte "$dev/flash.img" $(($(region_offset ns) + 0x400 + 64))
    boot 2
    expect "boot: NS image rejected: SHA-256 mismatch" "uRoT: stopped: nothing safe to boot"
    reject "NS: demo" "SM: Secure Manager started"
    ;;
missing-sm)
    "$smtool" program -d "$dev" --slot sm /dev/null >/dev/null
    boot 2
    expect "boot: SM image rejected: no image" "uRoT: stopped"
    reject "SM: Secure Manager started"
    ;;
bad-urot)
    flip_byte "$dev/flash.img" $(($(region_offset urot) + 0x400 + 64))
    boot 2
    # The iRoT prints codes (E9: SHA-256 mismatch; docs/design/secure-boot.md).
    expect "boot: uRoT image rejected: E9" "iRoT: stopped: no valid uRoT"
    reject "uRoT: Secure Manager"
    ;;
rom-missing)
    # The uRoT takes its crypto from the iRoT's table (boot/common/bl_rom.h): an iRoT without a
    # valid one (its magic changed here) must stop the uRoT before anything is verified.
    rom=$(sed -n 's/^bl_rom_api = 0x\([0-9a-fA-F]*\);$/\1/p' "$fw/boot/irot/irot_rom.ld")
    [ -n "$rom" ] || { echo "FAIL: no bl_rom_api address"; exit 1; }
    flip_byte "$dev/flash.img" $((0x$rom - 0x10000000 + $(region_offset irot)))
    boot 2
    expect "iRoT: uRoT verified, starting it" \
        "uRoT: stopped: the iRoT's crypto table is missing or of another version"
    reject "booting SM image"
    ;;
update-urot)
    "$smtool" sign -k "$keys/urot.pem" -v 1.1.0 -s 2 -H 0x400 --pad-header -S "$(region_size urot)" \
        -E "$dev/enc.pub.pem" --encrypt-keylen 256 --pad --confirm "$fw/boot/urot/urot.bin" \
        "$tmp/urot2.img" >/dev/null # AES-256: the iRoT opens it
    "$smtool" program -d "$dev" --slot urot-dl "$tmp/urot2.img" >/dev/null
    boot 0
    expect "boot: installing uRoT image 1.1.0" "boot: booting uRoT image 1.1.0" \
        "NS: demo application 1.0.0 started"
    ;;
*)
    echo "boot_test: unknown scenario $scenario"
    exit 2
    ;;
esac
finish "boot_test $scenario"
