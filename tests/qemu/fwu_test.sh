#!/usr/bin/env bash
# fwu_test.sh BUILD: firmware update on the emulated board, through the PSA Firmware Update API
# from the NS application (ns_fwu_test.c) against the product SM image.
#
# Each scenario is a fresh device with fresh keys; the uRoT, the SM and the NS test application
# (1.0.0) signed and programmed; and an update bundle the runner loads into NS RAM at every
# power-on (NS and SM 2.0.0, signed and encrypted for this device):
#   accept   NS and SM updated in one install, trial, accepted: both 2.0.0 (2 boots), and
#            confirmed by the boot stage at the next power-on (security counters raised)
#   reject   NS updated, rejected on trial: reverted to 1.0.0 (3 boots)
#   revert   NS updated, not accepted: the power cycle reverts it (3 boots)
#   cut      the download cut by a power cut: FAILED after the reboot, cleaned, updated again,
#            accepted (3 boots)
# The console must show each step, the boot stage installing and reverting, and no FAIL.
set -u
build=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smtool="$build/host/tools/smtool/smtool"
smrun="$here/../../tools/smrun"
fw="$build/fw"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
slot_size() { "$smtool" regions | awk -v n="$1" '$1 == n { print $3 * 1024 }'; }

# device NAME: keys, images and a provisioned, programmed device in $tmp/NAME.
device() {
    local d="$tmp/$1"
    mkdir -p "$d/keys"
    for k in urot sm ns; do "$smtool" keygen -k "$d/keys/$k.pem" >/dev/null || exit 1; done
    "$smtool" provision -d "$d/dev" --urot-key "$d/keys/urot.pem" --sm-key "$d/keys/sm.pem" \
        --ns-key "$d/keys/ns.pem" >/dev/null || exit 1
    sign() { # KEY IN OUT VERSION COUNTER SLOT [options]
        local key=$1 in=$2 out=$3 ver=$4 cnt=$5 slot=$6
        shift 6
        "$smtool" sign -k "$d/keys/$key.pem" -v "$ver" -s "$cnt" -H 0x400 --pad-header \
            -S "$(slot_size "$slot")" "$@" "$in" "$out" >/dev/null || exit 1
    }
    sign urot "$fw/boot/urot/urot.bin" "$d/urot.img" 1.0.0 1 urot
    sign sm "$fw/core/sm.bin" "$d/sm.img" 1.0.0 1 sm
    sign ns "$fw/tests/qemu/ns_fwu_test.bin" "$d/ns.img" 1.0.0 1 ns
    sign sm "$fw/core/sm.bin" "$d/sm2.img" 2.0.0 2 sm -E "$d/dev/enc.pub.pem"
    sign ns "$fw/tests/qemu/ns_fwu_test.bin" "$d/ns2.img" 2.0.0 2 ns -E "$d/dev/enc.pub.pem"
    "$smtool" program -d "$d/dev" --slot irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
    for s in urot sm ns; do
        "$smtool" program -d "$d/dev" --slot $s "$d/$s.img" >/dev/null || exit 1
    done
}

# bundle NAME SCENARIO WITH_SM: the update bundle ns_fwu_test.c reads (little endian header).
bundle() {
    local d="$tmp/$1" sm_len=0
    [ "$3" = 1 ] && sm_len=$(stat -c %s "$d/sm2.img")
    python3 - "$d/bundle.bin" "$2" "$d/ns2.img" "$d/sm2.img" "$sm_len" <<'PY' || exit 1
import struct, sys
out, scenario, ns, sm, sm_len = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
ns_b = open(ns, "rb").read()
sm_b = open(sm, "rb").read() if sm_len else b""
with open(out, "wb") as f:
    f.write(struct.pack("<IIII", 0x54555746, ord(scenario), len(ns_b), len(sm_b)) + ns_b + sm_b)
PY
}

# run NAME MAX_BOOTS [smrun options]: boots until the power-off; the log in $tmp/NAME/log.
run() {
    local name=$1 d="$tmp/$1" max=$2
    shift 2
    "$smrun" --timeout 300 --max-boots "$max" "$@" "$d/dev" -- \
        -device "loader,file=$d/bundle.bin,addr=0x28300000,force-raw=on" </dev/null >"$d/log" 2>&1
    local rc=$?
    sed "s/^/[$name] /" "$d/log"
    [ "$rc" = 0 ] || fail "$name: exit status $rc"
    ! grep -q "FAIL:" "$d/log" || fail "$name: a check failed"
}
expect() { # expect NAME PATTERN...
    local log="$tmp/$1/log" name=$1
    shift
    for p in "$@"; do grep -Eq -- "$p" "$log" || fail "$name: no /$p/"; done
}

device accept && bundle accept A 1 && run accept 3
expect accept "fwu_test: boot 1: NS 1.0.0 \(READY\), SM 1.0.0 \(READY\)" \
    "fwu_test: staged NS 2.0.0 and SM 2.0.0, rebooting" "boot: installing SM image 2.0.0" \
    "boot: installing NS image 2.0.0" "fwu_test: boot 2: NS 2.0.0 \(TRIAL\), SM 2.0.0 \(TRIAL\)" \
    "fwu_test: accepted NS 2.0.0 and SM 2.0.0" "powered off with status 0 after 2 boot"
# Powered on again: the boot stage confirms what the service accepted; the counters rise.
run accept 1 && mv "$tmp/accept/log" "$tmp/accept/log2"
grep -Eq "boot: booting NS image 2.0.0" "$tmp/accept/log2" &&
    grep -Eq "boot: booting SM image 2.0.0" "$tmp/accept/log2" &&
    grep -Eq "fwu_test: running NS 2.0.0, confirmed, security counter 2" "$tmp/accept/log2" ||
    fail "accept: not confirmed by the next power-on"

device reject && bundle reject J 0 && run reject 4
expect reject "fwu_test: staged NS 2.0.0, rebooting" "fwu_test: boot 2: NS 2.0.0 \(TRIAL\)" \
    "fwu_test: rejected NS 2.0.0, rebooting" "boot: NS trial image was not confirmed: reverting" \
    "fwu_test: boot 3: NS 1.0.0 \(FAILED\)" "fwu_test: back on NS 1.0.0" \
    "powered off with status 0 after 3 boot"

device revert && bundle revert V 0 && run revert 4
expect revert "fwu_test: boot 2: NS 2.0.0 \(TRIAL\)" "fwu_test: not accepting NS 2.0.0" \
    "boot: NS trial image was not confirmed: reverting" "fwu_test: boot 3: NS 1.0.0 \(FAILED\)" \
    "fwu_test: back on NS 1.0.0" "powered off with status 0 after 3 boot"

# The cut: well inside the download (each of its units is one flash operation).
device cut && bundle cut C 0 && run cut 4 --cut-after 150
expect cut "power cut after 150 flash operation" "fwu_test: boot 2: NS 1.0.0 \(FAILED\)" \
    "fwu_test: the interrupted download is FAILED: cleaned, again" \
    "fwu_test: boot 3: NS 2.0.0 \(TRIAL\)" "fwu_test: accepted NS 2.0.0" \
    "powered off with status 0 after 3 boot"

if [ "$fails" != 0 ]; then
    echo "fwu_test: $fails failure(s)"
    exit 1
fi
echo "fwu_test: all scenarios passed"
