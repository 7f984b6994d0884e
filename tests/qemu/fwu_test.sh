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
#   module   secure module slot 0 (the echo module of tests/modules, its owner's key) updated
#            alone to 2.0.0 (encrypted for the device), trial, accepted, confirmed; NS and SM
#            stay 1.0.0 (3 boots, then 1)
# The console must show each step, the boot stage installing and reverting, and no FAIL.
set -u
build=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smtool="$build/host/tools/smtool/smtool"
smrun="$here/../../tools/smrun"
fw="$build/fw"
. "$here/../lib.sh"

# device NAME: keys, images and a provisioned, programmed device in $tmp/NAME.
device() {
    local d="$tmp/$1"
    mkdir -p "$d/keys"
    for k in urot sm ns; do "$smtool" keygen -k "$d/keys/$k.pem" >/dev/null || exit 1; done
    "$smtool" keygen -k "$d/keys/mod0.pem" >/dev/null || exit 1
    "$smtool" provision -d "$d/dev" --urot-key "$d/keys/urot.pem" --sm-key "$d/keys/sm.pem" \
        --ns-key "$d/keys/ns.pem" --module0-key "$d/keys/mod0.pem" --module-slots 1 \
        >/dev/null || exit 1
    sign() { # KEY IN OUT VERSION COUNTER SLOT [options]
        local key=$1
        shift
        sign_image "$d/keys/$key.pem" "$@"
    }
    sign urot "$fw/boot/urot/urot.bin" "$d/urot.img" 1.0.0 1 urot
    sign sm "$fw/core/sm.bin" "$d/sm.img" 1.0.0 1 sm
    sign ns "$fw/tests/qemu/ns_fwu_test.bin" "$d/ns.img" 1.0.0 1 ns
    sign sm "$fw/core/sm.bin" "$d/sm2.img" 2.0.0 2 sm -E "$d/dev/enc.pub.pem"
    sign ns "$fw/tests/qemu/ns_fwu_test.bin" "$d/ns2.img" 2.0.0 2 ns -E "$d/dev/enc.pub.pem"
    sign mod0 "$fw/tests/modules/mod_echo.payload" "$d/mod0.img" 1.0.0 1 mod0
    sign mod0 "$fw/tests/modules/mod_echo.payload" "$d/mod02.img" 2.0.0 2 mod0 -E "$d/dev/enc.pub.pem"
    "$smtool" program -d "$d/dev" --slot irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
    for s in urot sm ns mod0; do
        "$smtool" program -d "$d/dev" --slot $s "$d/$s.img" >/dev/null || exit 1
    done
}

# bundle NAME SCENARIO WITH_SM: the update bundle ns_fwu_test.c reads (little endian header);
# scenario M carries the module 0 image alone.
bundle() {
    local d="$tmp/$1"
    python3 - "$d" "$2" "$3" <<'PY' || exit 1
import struct, sys
d, scenario, with_sm = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
read = lambda name: open(f"{d}/{name}", "rb").read()
ns_b = b"" if scenario == "M" else read("ns2.img")
sm_b = read("sm2.img") if with_sm else b""
mod_b = read("mod02.img") if scenario == "M" else b""
with open(f"{d}/bundle.bin", "wb") as f:
    f.write(struct.pack("<IIIII", 0x54555746, ord(scenario), len(ns_b), len(sm_b), len(mod_b)))
    f.write(ns_b + sm_b + mod_b)
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

device module && bundle module M 0 && run module 4
expect module "SM: module slot 0: TEST_MOD_ECHO .*loaded" \
    "fwu_test: boot 1: module 0 1.0.0 \(READY\), NS 1.0.0 \(READY\), SM 1.0.0 \(READY\)" \
    "fwu_test: staged module 0 2.0.0, rebooting" "boot: installing module 0 image 2.0.0" \
    "fwu_test: boot 2: module 0 2.0.0 \(TRIAL\), NS 1.0.0 \(READY\), SM 1.0.0 \(READY\)" \
    "fwu_test: the new module 0 answers: accepted 2.0.0" "powered off with status 0 after 2 boot"
! grep -q "installing \(NS\|SM\)" "$tmp/module/log" || fail "module: another image installed"
run module 1 && mv "$tmp/module/log" "$tmp/module/log2"
grep -Eq "boot: booting module 0 image 2.0.0" "$tmp/module/log2" &&
    grep -Eq "fwu_test: running module 0 2.0.0, confirmed, security counter 2" \
        "$tmp/module/log2" || fail "module: not confirmed by the next power-on"

finish fwu_test
