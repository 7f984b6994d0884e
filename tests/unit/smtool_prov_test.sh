#!/usr/bin/env bash
# smtool_prov_test.sh SMTOOL PROV_DEVICE: the programmer's first commands over a serial line
# (a unix socket) to the provisioning stage's core on the host (prov_device): a chip made by
# smtool chip make shows its certificate, which verifies against root.pub.pem; a malformed, a
# truncated and a damaged frame are refused (the first two with their reason) and change
# nothing; the lifecycle moves as the store allows, by the factory alone from
# ASSEMBLY_AND_TEST, by the OEM's key from PSA_ROT_PROVISIONING; a SECURED device refuses.
set -u
smtool=$1
prov_device=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
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
port=$tmp/port
serve() { # serve DEVICE_DIR: the device's provisioning stage on $port
    [ -n "$pid" ] && { kill $pid; wait $pid 2>/dev/null; }
    "$prov_device" "$1" "$port" &
    pid=$!
    for _ in $(seq 50); do [ -S "$port" ] && return; sleep 0.1; done
    echo "FAIL prov_device did not start"; exit 1
}
# raw_frame TYPE HEXPAYLOAD [damage]: one frame sent as is; prints the answer's type and
# payload in hex, or "none" after 2 s.
raw_frame() {
    python3 - "$port" "$@" <<'PY'
import socket, struct, sys, zlib, time
path, t, payload = sys.argv[1], int(sys.argv[2], 0), bytes.fromhex(sys.argv[3])
body = bytes([t, 0x33]) + struct.pack("<H", len(payload)) + payload
frame = b"\xa5\x5a" + body + struct.pack("<I", zlib.crc32(body))
if len(sys.argv) > 4:  # damaged on the line: one payload bit flipped, the CRC left
    frame = bytearray(frame); frame[7] ^= 0x10; frame = bytes(frame)
s = socket.socket(socket.AF_UNIX); s.connect(path); s.sendall(frame); s.settimeout(2)
buf = b""
try:
    while True:
        buf += s.recv(4096)
        i = buf.find(b"\xa5\x5a")
        if i >= 0 and len(buf) >= i + 6:
            n = struct.unpack("<H", buf[i + 4:i + 6])[0]
            if len(buf) >= i + 10 + n:
                print("%02x %s" % (buf[i + 2], buf[i + 6:i + 6 + n].hex())); break
except socket.timeout:
    print("none")
PY
}

"$smtool" chip make "$tmp/chip" --vendor "$tmp/vendor" >/dev/null 2>&1 || exit 1
serve "$tmp/chip"
check "device info: the chip's state and certificate, verified against root.pub.pem" bash -c \
    "'$smtool' device info --port '$port' --root '$tmp/vendor/root.pub.pem' >'$tmp/info' && grep -q '^lifecycle: *ASSEMBLY_AND_TEST (0x1000), 0 transition' '$tmp/info' && grep -q '^certificate: *verified against' '$tmp/info' && grep -q '^chip id:' '$tmp/info'"
check "... the id it shows is the chip's" bash -c \
    "'$smtool' chip show -d '$tmp/chip' | grep '^chip id:' | cmp -s - <(grep '^chip id:' '$tmp/info')"
"$smtool" keygen -k "$tmp/other.pem" >/dev/null
expect_fail "device info: a certificate checked against another vendor's root is refused" 1 \
    "another key than this vendor root" "$smtool" device info --port "$port" --root "$tmp/other.pem"

# Hostile frames: answered with their reason, nothing changed.
cp "$tmp/chip/flash.img" "$tmp/before.img"
zeros64=$(printf '00%.0s' $(seq 64))
good=002000000000000000000000$zeros64 # LIFECYCLE to PSA_ROT_PROVISIONING, 0 made, unsigned
ans=$(raw_frame 0x22 "${good:0:150}")
check "a LIFECYCLE truncated by a byte is refused as malformed (STATUS, reason 1)" \
    test "${ans:0:7}" = "a2 2201"
ans=$(raw_frame 0x22 "${good:0:18}01${good:20}")
check "a LIFECYCLE with a reserved byte set is refused as malformed" test "${ans:0:7}" = "a2 2201"
ans=$(raw_frame 0x22 "${good:0:24}ff${good:26}")
check "a LIFECYCLE with a signature but no signed flag is refused as malformed" \
    test "${ans:0:7}" = "a2 2201"
ans=$(raw_frame 0x05 "")
check "an unknown request is refused as such (reason 2)" test "${ans:0:7}" = "a2 0002"
ans=$(raw_frame 0x22 "$good" damage)
check "a damaged frame (CRC) gets no answer" test "$ans" = "none"
check "... and none of them changed the flash" cmp -s "$tmp/chip/flash.img" "$tmp/before.img"
expect_fail "a move the lifecycle does not allow is refused with its reason" 1 \
    "does not move from its state" "$smtool" lifecycle --port "$port" --to secured
check "... changing nothing" cmp -s "$tmp/chip/flash.img" "$tmp/before.img"

# The factory moves the chip on alone; from there the OEM decides.
check "lifecycle --port: ASSEMBLY_AND_TEST -> PSA_ROT_PROVISIONING" bash -c \
    "'$smtool' lifecycle --port '$port' --to psa-rot-provisioning | grep -qx 'ASSEMBLY_AND_TEST -> PSA_ROT_PROVISIONING'"
expect_fail "PSA_ROT_PROVISIONING -> SECURED without the OEM's signature is refused" 1 \
    "needs the OEM's signature" "$smtool" lifecycle --port "$port" --to secured
kill $pid; wait $pid 2>/dev/null; pid=
check "the chip's state, offline" bash -c "'$smtool' lifecycle -d '$tmp/chip' | grep -qx 'PSA_ROT_PROVISIONING (0x2000)'"

# A device with its record (as provisioning will leave it; here smtool provision's, whose NS
# key is the OEM's): the OEM's signature moves it to SECURED, where it takes nothing more.
"$smtool" keygen -k "$tmp/oem.pem" >/dev/null
"$smtool" provision -d "$tmp/dev" --lifecycle psa-rot-provisioning --ns-key "$tmp/oem.pem" >/dev/null || exit 1
serve "$tmp/dev"
check "device info: a development device (no chip)" bash -c \
    "'$smtool' device info --port '$port' | grep -q '^chip: *none'"
cp "$tmp/dev/flash.img" "$tmp/before.img"
expect_fail "signed by another key: refused" 1 "needs the OEM's signature" \
    "$smtool" lifecycle --port "$port" --to secured --key "$tmp/other.pem"
check "... changing nothing" cmp -s "$tmp/dev/flash.img" "$tmp/before.img"
check "signed by the OEM: PSA_ROT_PROVISIONING -> SECURED" bash -c \
    "'$smtool' lifecycle --port '$port' --to secured --key '$tmp/oem.pem' | grep -qx 'PSA_ROT_PROVISIONING -> SECURED'"
cp "$tmp/dev/flash.img" "$tmp/before.img"
expect_fail "SECURED: the device refuses the commands" 1 "not in a provisioning state" \
    "$smtool" lifecycle --port "$port" --to decommissioned --key "$tmp/oem.pem"
ans=$(raw_frame 0x22 "006000000100000000000000$(printf '00%.0s' $(seq 64))" | tr -d ' ')
check "... a raw LIFECYCLE too (reason 7)" test "${ans:0:6}" = "a22207"
check "... changing nothing" cmp -s "$tmp/dev/flash.img" "$tmp/before.img"
check "device info still says what it is" bash -c \
    "'$smtool' device info --port '$port' | grep -q '^lifecycle: *SECURED'"
kill $pid; wait $pid 2>/dev/null; pid=
expect_fail "no device on the line: a clear error" 1 "cannot connect" \
    "$smtool" device info --port "$tmp/none" --timeout 1

[ $fails = 0 ] && echo "smtool prov: all passed" || echo "smtool prov: $fails failed"
exit $((fails != 0))
