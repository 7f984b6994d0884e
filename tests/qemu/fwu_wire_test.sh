#!/usr/bin/env bash
# fwu_wire_test.sh BUILD: the firmware update over the serial line, end to end on the emulated
# board: `smtool update --port` to the NS updater (ns/examples/updater) through `smrun --port`,
# against the product SM image.
#
# smtool's own refusals first: usage, an unknown component, a file that is not an image, a
# port that is not there.
# Device "line" (a clean line), one smrun for the whole sequence:
#   refused   an image signed with another key: "device refused: PSA_ERROR_INVALID_SIGNATURE
#             at finish", exit 1, and nothing changed (the next session finds boot 1, NS 1.0.0
#             READY)
#   update    NS 2.0.0: downloaded, installed, rebooted, self-tested and accepted; exit 0
#   selftest  NS 3.0.0 whose self-test fails: rejected on trial, reverted; exit 1 naming it
#   sm        the SM 2.0.0 (--component sm): installed, self-tested and accepted; exit 0
#   then SIGTERM (the flash saved), and a power-on without the port: the boot stage boots NS
#   2.0.0 and SM 2.0.0, confirmed (NS security counter 2)
# Device "noise": the same update over a line that damages about one byte in 1,000 each way
#   (smrun --port-noise): it completes, with frames sent again.
# Device "rules": the updater's own checks, with raw frames (fwu_wire_frames.py): requests
#   before HELLO, malformed and unknown ones, DATA before START, out of bounds, a gap, FINISH
#   before the end, a repeated request answered again without being done twice, and a REBOOT
#   sent again that reaches the next boot refused there (no second reboot before the self-test).
# No wall-clock assertions: every wait is a generous timeout.
set -u
build=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smtool="$build/host/tools/smtool/smtool"
smrun="$here/../../tools/smrun"
fw="$build/fw"
updater="$fw/ns/examples/updater"
tmp=$(mktemp -d)
smrun_pid=
cleanup() {
    [ -n "$smrun_pid" ] && kill -TERM "$smrun_pid" 2>/dev/null && wait "$smrun_pid"
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
slot_size() { "$smtool" regions | awk -v n="$1" '$1 == n { print $3 * 1024 }'; }

# device NAME: keys, images and a provisioned, programmed device in $tmp/NAME.
device() {
    local d="$tmp/$1"
    mkdir -p "$d/keys"
    for k in urot sm ns other; do "$smtool" keygen -k "$d/keys/$k.pem" >/dev/null || exit 1; done
    "$smtool" provision -d "$d/dev" --urot-key "$d/keys/urot.pem" --sm-key "$d/keys/sm.pem" \
        --ns-key "$d/keys/ns.pem" >/dev/null || exit 1
    sign() { # KEY IN OUT VERSION COUNTER SLOT [options]
        local key=$1 in=$2 out=$3 ver=$4 cnt=$5 slot=$6
        shift 6
        "$smtool" sign -k "$d/keys/$key.pem" -v "$ver" -s "$cnt" -H 0x400 --pad-header \
            -S "$(slot_size "$slot")" "$@" "$in" "$out" >/dev/null || exit 1
    }
    local enc=(-E "$d/dev/enc.pub.pem")
    sign urot "$fw/boot/urot/urot.bin" "$d/urot.img" 1.0.0 1 urot
    sign sm "$fw/core/sm.bin" "$d/sm.img" 1.0.0 1 sm
    sign ns "$updater/updater.bin" "$d/ns.img" 1.0.0 1 ns
    sign ns "$updater/updater.bin" "$d/ns2.img" 2.0.0 2 ns "${enc[@]}"
    sign other "$updater/updater.bin" "$d/other-key.img" 2.0.0 2 ns "${enc[@]}"
    sign ns "$updater/updater_selftest_fails.bin" "$d/ns3-fails.img" 3.0.0 3 ns "${enc[@]}"
    sign sm "$fw/core/sm.bin" "$d/sm2.img" 2.0.0 2 sm "${enc[@]}"
    "$smtool" program -d "$d/dev" --slot irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
    for s in urot sm ns; do
        "$smtool" program -d "$d/dev" --slot $s "$d/$s.img" >/dev/null || exit 1
    done
}

# start NAME LOG [smrun options]: smrun in the background on $tmp/NAME/dev.
start() {
    local d="$tmp/$1" log=$2
    shift 2
    "$smrun" --timeout 900 --max-boots 20 "$@" "$d/dev" </dev/null >"$d/$log" 2>&1 &
    smrun_pid=$!
}
# stop NAME LOG: SIGTERM to smrun, which saves the flash and exits 143.
stop() {
    local d="$tmp/$1"
    kill -TERM "$smrun_pid"
    wait "$smrun_pid"
    local rc=$?
    smrun_pid=
    sed "s/^/[$1 $2] /" "$d/$2"
    [ "$rc" = 143 ] || fail "$1: smrun exit status $rc, not 143 (SIGTERM)"
    grep -q "stopped by SIGTERM in boot [0-9]* (flash saved)" "$d/$2" || fail "$1: no SIGTERM stop"
}
# update NAME STEP EXPECTED_STATUS IMAGE [smtool options]: the output in $tmp/NAME/STEP.
update() {
    local name=$1 step=$2 want=$3 img=$4 d="$tmp/$1"
    shift 4
    "$smtool" update --port "$d/port.sock" --timeout 600 "$@" "$d/$img" >"$d/$step" 2>&1
    local rc=$?
    sed "s/^/[$name $step] /" "$d/$step"
    [ "$rc" = "$want" ] || fail "$name $step: smtool exit status $rc, not $want"
}
expect() { # expect NAME FILE PATTERN...
    local f="$tmp/$1/$2" name="$1 $2"
    shift 2
    for p in "$@"; do grep -Eq -- "$p" "$f" || fail "$name: no /$p/"; done
}
# wait_for NAME FILE PATTERN: until the pattern shows in the file (at most 300 s).
wait_for() {
    for _ in $(seq 600); do
        grep -Eq -- "$3" "$tmp/$1/$2" && return 0
        sleep 0.5
    done
    fail "$1 $2: /$3/ never came"
}

# --- smtool's own refusals, before any device.
device line
"$smtool" update >"$tmp/line/usage" 2>&1
[ $? = 2 ] && grep -q "usage: smtool update --port PATH" "$tmp/line/usage" || fail "usage: not 2"
"$smtool" update --port "$tmp/line/port.sock" --component bogus "$tmp/line/ns2.img" \
    >"$tmp/line/usage" 2>&1
[ $? = 2 ] && grep -q "unknown component 'bogus'" "$tmp/line/usage" || fail "bogus component"
"$smtool" update --port "$tmp/line/port.sock" "$fw/ns/examples/updater/updater.bin" \
    >"$tmp/line/notimage" 2>&1
[ $? = 1 ] && grep -q "not a signed image" "$tmp/line/notimage" || fail "not an image: accepted"
"$smtool" update --port "$tmp/line/none.sock" --timeout 1 "$tmp/line/ns2.img" \
    >"$tmp/line/noport" 2>&1
[ $? = 1 ] && grep -q "none.sock: No such file or directory" "$tmp/line/noport" ||
    fail "no port: not refused"

# --- A clean line.
start line smrun.log --port "$tmp/line/port.sock"
wait_for line smrun.log "NS UART \(UART1\) on"
update line refused 1 other-key.img
expect line refused "device \(boot 1\): .*ns 1\.0\.0\+0 READY" \
    "device refused: PSA_ERROR_INVALID_SIGNATURE at finish \(not signed with the device's key" \
    "nothing changed on the device: it runs ns 1\.0\.0\+0" "device: updater: NS image refused"
update line update 0 ns2.img
# Nothing changed by the refusal: the same boot, the component READY, no clean needed.
expect line update "device \(boot 1\): .*ns 1\.0\.0\+0 READY" "sent [0-9]+ of [0-9]+ bytes \(100%\)" \
    "device: updater: NS image verified: candidate" "installing: the device reboots" \
    "device: updater: on trial: NS 2\.0\.0\+0 \(TRIAL\)" \
    "device: updater: self-test passed, accepted NS 2\.0\.0\+0" \
    "device back \(boot 2\): .*ns 2\.0\.0\+0 READY" "the device runs ns 2\.0\.0\+0, accepted"
! grep -q "cleaning" "$tmp/line/update" || fail "line update: the refused image left something"
expect line update "; 0 damaged frames received"
update line selftest 1 ns3-fails.img
expect line selftest "device: updater: on trial: NS 3\.0\.0\+0 \(TRIAL\)" \
    "device: updater: self-test failed: rejected" \
    "the device did not keep the update: it runs ns 2\.0\.0\+0 \(FAILED"
update line sm 0 sm2.img --component sm
expect line sm "device \(boot 4\): .*sm 1\.0\.0\+0 READY" \
    "device: updater: self-test passed, accepted SM 2\.0\.0\+0" \
    "device back \(boot 5\): .*sm 2\.0\.0\+0 READY" "the device runs sm 2\.0\.0\+0, accepted"
stop line smrun.log
expect line smrun.log "boot: installing SM image 2\.0\.0" "boot: installing NS image 2\.0\.0" "boot: booting \(trial\) NS image 2\.0\.0" \
    "boot: installing NS image 3\.0\.0" "boot: NS trial image was not confirmed: reverting"
# Powered on again, the NS UART on the console: NS 2.0.0 confirmed by the boot stage.
start line boot.log
wait_for line boot.log "updater: waiting for an update"
stop line boot.log
expect line boot.log "boot: booting NS image 2\.0\.0\+0" "boot: booting SM image 2\.0\.0\+0" \
    "updater: running NS 2\.0\.0\+0 \(FAILED\), security counter 2"
! grep -q "installing\|reverting\|(trial)" "$tmp/line/boot.log" || fail "line boot: not confirmed"

# --- A noisy line: bytes flipped, lost and added both ways.
device noise
start noise smrun.log --port "$tmp/noise/port.sock" --port-noise 1000
wait_for noise smrun.log "NS UART \(UART1\) on"
update noise update 0 ns2.img
expect noise update "the device runs ns 2\.0\.0\+0, accepted" "\([1-9][0-9]* sent again\)"
stop noise smrun.log
expect noise smrun.log "port: [1-9][0-9]* byte\(s\) damaged on the line"

# --- The updater's rules, frame by frame.
device rules
start rules smrun.log --port "$tmp/rules/port.sock"
wait_for rules smrun.log "NS UART \(UART1\) on"
python3 "$here/fwu_wire_frames.py" "$tmp/rules/port.sock" "$tmp/rules/ns2.img" \
    >"$tmp/rules/frames" 2>&1 || fail "rules: fwu_wire_frames.py failed"
sed "s/^/[rules frames] /" "$tmp/rules/frames"
stop rules smrun.log

if [ "$fails" != 0 ]; then
    echo "fwu_wire_test: $fails failure(s)"
    exit 1
fi
echo "fwu_wire_test: all scenarios passed"
