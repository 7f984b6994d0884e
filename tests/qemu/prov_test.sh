#!/usr/bin/env bash
# prov_test.sh BUILD: the provisioning stage on the emulated board (docs/design/lifecycle.md,
# "The provisioning stage"), end to end through `smrun --port` (the stage's line is UART1).
#
# A blank chip made by `smtool chip make --irot --prov`: the iRoT enters the stage, which
# answers `smtool device info` (id, certificate verified against the vendor's root,
# ASSEMBLY_AND_TEST); hostile frames get the protocol's refusal (malformed: reason 1, an
# unknown type: reason 2) or are dropped (a bad CRC; a frame cut short on the line) and the
# next request is answered; a move the store does not allow is refused with its reason; the
# factory's move to PSA_ROT_PROVISIONING is made; the unsigned move to SECURED is refused with
# its reason; none of the refusals changed the flash (compared after the board stopped). The
# state survives a power cycle. A power cut at each of the LIFECYCLE request's flash
# operations (smrun --cut-after) leaves the old or the new state and the stage answers again.
# A provisioning area erased whole enters the stage, which refuses everything, writing nothing.
# A device with its record in PSA_ROT_PROVISIONING enters the stage too; a SECURED one with
# the stage in its flash does not: it boots as before.
# No wall-clock assertions: every wait is a generous timeout.
set -u
build=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smtool="$build/host/tools/smtool/smtool"
smrun="$here/../../tools/smrun"
fw="$build/fw"
irot="$fw/boot/irot/irot.bin"
prov="$fw/boot/prov/prov.bin"
tmp=$(mktemp -d)
port="$tmp/port"
smrun_pid=
cleanup() {
    [ -n "$smrun_pid" ] && kill -TERM "$smrun_pid" 2>/dev/null && wait "$smrun_pid"
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
check() {
    local what=$1
    shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
expect_fail() { # expect_fail DESCRIPTION STATUS PATTERN COMMAND...
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
# start DEVICE_DIR [smrun options]: the board on $port, its console in $tmp/console.
start() {
    local dev=$1
    shift
    rm -f "$port"
    "$smrun" --timeout 600 --port "$port" "$@" "$dev" </dev/null >"$tmp/console" 2>&1 &
    smrun_pid=$!
    for _ in $(seq 100); do [ -S "$port" ] && return; sleep 0.1; done
    echo "FAIL smrun did not open its port"
    cat "$tmp/console"
    exit 1
}
# stop: SIGTERM, the flash saved (smrun's 143); the console shown.
stop() {
    kill -TERM "$smrun_pid"
    wait "$smrun_pid"
    local rc=$?
    smrun_pid=
    sed 's/^/[board] /' "$tmp/console"
    [ $rc = 143 ] || { echo "FAIL smrun's exit status $rc, not 143"; fails=$((fails + 1)); }
}
# raw MODE TYPE HEXPAYLOAD: one frame on the line, as is (MODE plain), with a payload bit
# flipped (crc), or cut short after its header and 10 payload bytes, then HELLO sent every
# second until INFO comes (cut). Prints the answer's type and payload in hex, "none" after 3 s,
# or (cut) "info after N" with the number of HELLOs sent.
raw() {
    python3 - "$port" "$@" <<'PY'
import socket, struct, sys, time, zlib
path, mode, t, payload = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), bytes.fromhex(sys.argv[4])
def frame(t, seq, payload):
    body = bytes([t, seq]) + struct.pack("<H", len(payload)) + payload
    return b"\xa5\x5a" + body + struct.pack("<I", zlib.crc32(body))
def answer(s, seconds):
    s.settimeout(seconds)
    buf = b""
    try:
        while True:
            data = s.recv(4096)
            if not data:
                return None
            buf += data
            i = buf.find(b"\xa5\x5a")
            if i >= 0 and len(buf) >= i + 6:
                n = struct.unpack("<H", buf[i + 4:i + 6])[0]
                if len(buf) >= i + 10 + n:
                    return buf[i + 2], buf[i + 6:i + 6 + n]
    except socket.timeout:
        return None
s = socket.socket(socket.AF_UNIX)
s.connect(path)
f = frame(t, 0x33, payload)
if mode == "crc":
    f = bytearray(f); f[7] ^= 0x10; f = bytes(f)
if mode == "cut":
    s.sendall(f[:6 + 10])
    for tries in range(1, 31):
        s.sendall(frame(0x21, tries, b""))
        a = answer(s, 1)
        if a is not None and a[0] == 0xA1:
            print(f"info after {tries}")
            break
    else:
        print("none")
    sys.exit(0)
s.sendall(f)
a = answer(s, 3)
print("none" if a is None else "%02x %s" % (a[0], a[1].hex()))
PY
}
info() { "$smtool" device info --port "$port" --timeout 30 "$@"; }

# A blank chip with the stage: the iRoT enters it.
"$smtool" chip make "$tmp/chip" --vendor "$tmp/vendor" --irot "$irot" --prov "$prov" \
    >"$tmp/made" 2>/dev/null || { echo "FAIL chip make"; exit 1; }
check "chip make says it wrote the stage" grep -q "provisioning stage written" "$tmp/made"
cp "$tmp/chip/flash.img" "$tmp/before.img"
start "$tmp/chip"
info --root "$tmp/vendor/root.pub.pem" >"$tmp/info" 2>&1
check "device info: ASSEMBLY_AND_TEST, no transition, no device record" bash -c \
    "grep -q '^lifecycle: *ASSEMBLY_AND_TEST (0x1000), 0 transition' '$tmp/info' && grep -q '^device record: *none' '$tmp/info'"
check "... the certificate verified against the vendor's root" \
    grep -q "^certificate: *verified against $tmp/vendor/root.pub.pem" "$tmp/info"
check "... the chip id is the chip's" bash -c \
    "grep -m1 '^chip id:' '$tmp/made' | cmp -s - <(grep -m1 '^chip id:' '$tmp/info')"
"$smtool" keygen -k "$tmp/other.pem" >/dev/null
expect_fail "... and does not verify against another root" 1 "another key than this vendor root" \
    info --root "$tmp/other.pem"

# Hostile frames.
zeros64=$(printf '00%.0s' $(seq 64))
good=002000000000000000000000$zeros64 # LIFECYCLE to PSA_ROT_PROVISIONING, 0 made, unsigned
ans=$(raw plain 0x22 "${good:0:150}")
check "a LIFECYCLE a byte short: refused as malformed (STATUS, reason 1)" test "${ans:0:7}" = "a2 2201"
ans=$(raw plain 0x22 "${good:0:18}01${good:20}")
check "a LIFECYCLE with a reserved byte set: refused as malformed" test "${ans:0:7}" = "a2 2201"
ans=$(raw plain 0x05 "")
check "an unknown request: refused as such (reason 2)" test "${ans:0:7}" = "a2 0002"
ans=$(raw crc 0x22 "$good")
check "a frame damaged on the line (CRC): no answer" test "$ans" = "none"
ans=$(raw cut 0x22 "$good")
check "a frame cut short on the line: dropped, a later HELLO answered ($ans)" \
    bash -c "[[ '$ans' =~ ^info\ after\ [0-9]+$ ]]"
expect_fail "ASSEMBLY_AND_TEST -> SECURED: refused with its reason" 1 "does not move from its state" \
    "$smtool" lifecycle --port "$port" --to secured --timeout 30
stop
check "... none of them changed the flash" cmp -s "$tmp/chip/flash.img" "$tmp/before.img"
check "the console shows the stage" grep -q "prov: provisioning stage" "$tmp/console"
check "... and the iRoT verified nothing, booted nothing" bash -c "! grep -Eq 'uRoT|: stopped:' '$tmp/console'"

# The factory's move, and the OEM's that is refused without its signature.
start "$tmp/chip"
check "lifecycle --port: ASSEMBLY_AND_TEST -> PSA_ROT_PROVISIONING" bash -c \
    "'$smtool' lifecycle --port '$port' --to psa-rot-provisioning --timeout 30 | grep -qx 'ASSEMBLY_AND_TEST -> PSA_ROT_PROVISIONING'"
expect_fail "PSA_ROT_PROVISIONING -> SECURED unsigned: refused with its reason" 1 \
    "needs the OEM's signature" "$smtool" lifecycle --port "$port" --to secured --timeout 30
stop
check "the new state is in the flash (offline)" bash -c \
    "'$smtool' lifecycle -d '$tmp/chip' | grep -qx 'PSA_ROT_PROVISIONING (0x2000)'"
start "$tmp/chip"
check "after a power cycle the stage answers in PSA_ROT_PROVISIONING, 1 transition" bash -c \
    "'$smtool' device info --port '$port' --timeout 30 | grep -q '^lifecycle: *PSA_ROT_PROVISIONING (0x2000), 1 transition'"
stop

# A power cut in the middle of a LIFECYCLE request, at each of its flash operations: the old
# state or the new one, and the stage answers again in the next boot (the programmer's
# request, sent again, may then be carried out there).
cut=0
while :; do
    "$smtool" chip make "$tmp/cut" --force --vendor "$tmp/vendor" --irot "$irot" --prov "$prov" \
        >/dev/null 2>&1 || exit 1
    start "$tmp/cut" --cut-after $cut
    "$smtool" lifecycle --port "$port" --to psa-rot-provisioning --timeout 30 >/dev/null 2>&1
    info >"$tmp/info" 2>&1
    check "cut after $cut: the stage answers (in the old state or the new)" \
        grep -Eq '^lifecycle: *(ASSEMBLY_AND_TEST \(0x1000\), 0|PSA_ROT_PROVISIONING \(0x2000\), 1) transition' "$tmp/info"
    stop
    state=$("$smtool" lifecycle -d "$tmp/cut")
    check "cut after $cut: the flash holds the old or the new state ($state)" \
        bash -c "[[ '$state' = 'ASSEMBLY_AND_TEST (0x1000)' || '$state' = 'PSA_ROT_PROVISIONING (0x2000)' ]]"
    # Past the request's last flash operation the power is not cut (the board stops by SIGTERM).
    grep -q "power cut after $cut flash operation" "$tmp/console" || break
    check "cut after $cut: the stage started again" \
        bash -c "[ \$(grep -c 'prov: provisioning stage' '$tmp/console') = 2 ]"
    cut=$((cut + 1))
    [ $cut -le 8 ] || { echo "FAIL the request never ends"; fails=$((fails + 1)); break; }
done
check "the cuts covered the request's flash operations (at least one cut)" test $cut -ge 1

# A provisioning area erased whole (a decommissioning cut between its erase and its tombstone,
# or a chip's area wiped): no record, so the stage runs, but the store has no state and the
# stage refuses everything, writing nothing.
"$smtool" chip make "$tmp/wiped" --vendor "$tmp/vendor" --irot "$irot" --prov "$prov" >/dev/null 2>&1 || exit 1
otp=$(( $("$smtool" regions | awk '$1 == "otp" { print $2 }') ))
python3 - "$tmp/wiped/flash.img" "$otp" <<'PY' || exit 1
import sys
path, off = sys.argv[1], int(sys.argv[2])
flash = bytearray(open(path, "rb").read())
flash[off:off + 0x2000] = b"\xff" * 0x2000  # flash_map.h FLASH_OTP_SIZE
open(path, "wb").write(flash)
PY
cp "$tmp/wiped/flash.img" "$tmp/before.img"
start "$tmp/wiped"
expect_fail "an erased provisioning area: the stage says the store has no state" 1 "the lifecycle store failed" \
    info
expect_fail "... and refuses a move" 1 "the lifecycle store failed" \
    "$smtool" lifecycle --port "$port" --to psa-rot-provisioning --timeout 30
stop
check "... writing nothing" cmp -s "$tmp/wiped/flash.img" "$tmp/before.img"

# A device with its record: in PSA_ROT_PROVISIONING it enters the stage; SECURED, it boots.
# Its iRoT region as chip make writes it (the iRoT, the stage above it), programmed whole.
python3 - "$irot" "$prov" "$tmp/region.bin" "$("$smtool" regions | awk '$1 == "irot" { print $3 * 1024 }')" <<'PY' || exit 1
import sys
irot, prov = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
PROV_OFFSET = 0x5000  # flash_map.h FLASH_PROV_OFFSET
assert len(irot) <= PROV_OFFSET and PROV_OFFSET + len(prov) <= int(sys.argv[4])
open(sys.argv[3], "wb").write(irot + b"\xff" * (PROV_OFFSET - len(irot)) + prov)
PY
mkdir -p "$tmp/keys"
SM_KEYS="$tmp/keys" "$here/../../scripts/make-device.sh" "$build" "$tmp/dev" || exit 1
"$smtool" program -d "$tmp/dev" --slot irot "$tmp/region.bin" >/dev/null || exit 1
"$smrun" --timeout 120 --max-boots 3 "$tmp/dev" </dev/null >"$tmp/console" 2>&1
rc=$?
sed 's/^/[secured] /' "$tmp/console"
check "SECURED with the stage in its flash: boots as before" test $rc = 0
check "... to the NS application, without the stage" bash -c \
    "grep -q 'NS: demo application 1.0.0 started' '$tmp/console' && ! grep -q 'prov:' '$tmp/console'"
"$smtool" provision --force -d "$tmp/dev" --lifecycle psa-rot-provisioning --urot-key "$tmp/keys/urot.pem" \
    --sm-key "$tmp/keys/sm.pem" --ns-key "$tmp/keys/ns.pem" >/dev/null || exit 1
"$smtool" program -d "$tmp/dev" --slot irot "$tmp/region.bin" >/dev/null || exit 1
start "$tmp/dev"
info >"$tmp/info" 2>&1
check "PSA_ROT_PROVISIONING with a device record: the stage answers" bash -c \
    "grep -q '^lifecycle: *PSA_ROT_PROVISIONING (0x2000), 0 transition' '$tmp/info' && grep -q '^device record: *provisioned' '$tmp/info'"
# The OEM's signature, checked by the stage through the iRoT's ECDSA verify (prov_verify.c).
expect_fail "... signed by another key: refused with its reason" 1 "needs the OEM's signature" \
    "$smtool" lifecycle --port "$port" --to secured --key "$tmp/other.pem" --timeout 30
check "... signed by the OEM's key: PSA_ROT_PROVISIONING -> SECURED" bash -c \
    "'$smtool' lifecycle --port '$port' --to secured --key '$tmp/keys/ns.pem' --timeout 30 | grep -qx 'PSA_ROT_PROVISIONING -> SECURED'"
stop
check "... and no image was verified or booted" bash -c "! grep -q 'uRoT' '$tmp/console'"
check "... SECURED in the flash" bash -c "'$smtool' lifecycle -d '$tmp/dev' | grep -qx 'SECURED (0x3000)'"
# SECURED now: the next power-on does not enter the stage; the iRoT goes on to the uRoT's
# slot (erased here: provision --force left no image), so it stops there, as any boot would.
"$smrun" --timeout 60 --max-boots 2 "$tmp/dev" </dev/null >"$tmp/console" 2>&1
sed 's/^/[secured, no images] /' "$tmp/console"
check "... the next boot does not enter the stage: the iRoT looks for the uRoT" bash -c \
    "grep -q 'iRoT: stopped: no valid uRoT' '$tmp/console' && ! grep -q 'prov:' '$tmp/console'"

[ $fails = 0 ] && echo "prov: all passed" || echo "prov: $fails failed"
exit $((fails != 0))
