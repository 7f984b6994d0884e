#!/usr/bin/env bash
# install_test.sh FW_BUILD HOST_BUILD: the install package on the emulated board (docs/design/
# install-package.md), through `smrun --port` (the provisioning stage's line, UART1).
#
# A blank chip made by `smtool chip make --irot --prov`; `smtool package` makes a package of
# no image from a configuration. Refused, each with its reason, and the flash unchanged
# (compared after the board stopped): the package checked against another vendor's root; a
# tampered chunk; a package whose NS image is no image. Then the package installs: the device
# record is written (device info: provisioned), the programmer receives the IAK's public key,
# and the OEM's key moves the device to SECURED through PSA_ROT_PROVISIONING.
# Then a second blank chip gets a package with the uRoT, the SM (encrypted for the vendor's
# product key), a secure module (the echo test module, signed by its owner and encrypted for
# the product key as its owner would deliver it) and an NS test application (the OEM's
# install key's, ns_install_test.c): installed, moved to SECURED, it boots them all, the
# module's service answers the NS application, and its token verifies with the IAK the
# programmer received (lifecycle SECURED, each component signed by its kind's key of the
# package). The bytes that install went over the line through a relay that kept them: their
# BEGIN (the package key wrapped for that chip) sent to a third blank chip is refused (reason
# 8) with its flash unchanged.
# Power cuts: two more blank chips, the install cut while the images are written and at its
# fourth last flash operation (the device record), then the same package sent again
# finishes it. Not yet here (lifecycle.md, "What remains"): the figure of a blank chip's
# install in make bench.
# No wall-clock assertions: every wait is a generous timeout.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
fw_build=$1 host_build=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smtool="$host_build/tools/smtool/smtool"
smrun="$here/../../tools/smrun"
fw="$fw_build"
port="$tmp/port"
smrun_pid=
on_exit+=('[ -n "$smrun_pid" ] && kill -TERM "$smrun_pid" && wait "$smrun_pid"')
# start DEVICE_DIR [SMRUN_OPTION...]: the board on $port, its console in $tmp/console.
start() { # start DEVICE_DIR [SMRUN_OPTION...]
    local dir=$1
    shift
    rm -f "$port"
    "$smrun" --timeout 600 --port "$port" "$@" "$dir" </dev/null >"$tmp/console" 2>&1 &
    smrun_pid=$!
    for _ in $(seq 100); do [ -S "$port" ] && return; sleep 0.1; done
    fail "smrun did not open its port: $(cat "$tmp/console")"
    finish install_test
}
# stop: SIGTERM, the flash saved (smrun's 143).
stop() {
    kill -TERM "$smrun_pid"
    wait "$smrun_pid"
    local rc=$?
    smrun_pid=
    [ $rc = 143 ] || bad "smrun's exit status $rc, not 143"
}
cd "$tmp" || exit 1
"$smtool" chip make chip --vendor vendor --irot "$fw/boot/irot/irot.bin" \
    --prov "$fw/boot/prov/prov.bin" >/dev/null 2>&1 || { fail "chip make"; finish install_test; }
"$smtool" chip make other --vendor vendor2 >/dev/null 2>&1 || { fail "chip make"; finish install_test; } # its root
for k in line oem install ns sm; do "$smtool" keygen -k "$k.pem" >/dev/null || exit 1; done
cat >install.json <<'J'
{
  "line_key": "line.pem",
  "lifecycle_key": "oem.pem",
  "ns_install_key": "install.pem",
  "key.ns": "ns.pem",
  "key.sm": "sm.pem",
  "modules": 1,
  "its_size": 65536,
  "its_max_asset": 2048,
  "ns_updates": "ns,module0",
  "implementation_id": "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
  "cert_ref": "1234567890123-12345",
  "verification_url": "https://verify.example/v1"
}
J
check "package: made from install.json" "$smtool" package --config install.json -o pkg.bin
python3 - <<'PY'
d = bytearray(open("pkg.bin", "rb").read())
d[208 + 8 + 100] ^= 0x04  # a bit of the first chunk's ciphertext
open("tampered.bin", "wb").write(d)
PY
head -c 4000 /dev/urandom >ns.img
sed 's/"modules": 1,/"modules": 1, "image.ns": "ns.img",/' install.json >img.json
"$smtool" package --config img.json -o img.bin >/dev/null 2>&1

cp chip/flash.img blank.img
start chip
expect_fail "install: the chip's certificate checked against another vendor's root is refused" \
    1 "the chip's certificate" "$smtool" install --port "$port" pkg.bin --root vendor2/root.pub.pem --key line.pem
expect_fail "install: a tampered chunk is refused by the device, with its reason" 1 \
    "device refused: the package does not authenticate" \
    "$smtool" install --port "$port" tampered.bin --root vendor/root.pub.pem --key line.pem
expect_fail "install: a package whose NS image is no image is refused by the device" 1 \
    "device refused: an image of the package is refused" \
    "$smtool" install --port "$port" img.bin --root vendor/root.pub.pem --key line.pem
stop
check "... none of the refusals changed the flash" cmp -s blank.img chip/flash.img

start chip
check "install: the package installs on the board" "$smtool" install --port "$port" pkg.bin \
    --root vendor/root.pub.pem --key line.pem --out .
cp "$tmp/out" install.out
expect install.out "^installed on chip:" "... the programmer reports the chip"
ls ./*.iak.pub.pem >/dev/null 2>&1 && ok "... and wrote the IAK's public key" ||
    bad "... no IAK public key written"
check "device info: provisioned" bash -c \
    "'$smtool' device info --port '$port' | grep -q '^device record: *provisioned'"
check "lifecycle: to PSA_ROT_PROVISIONING" "$smtool" lifecycle --port "$port" \
    --to psa-rot-provisioning
check "lifecycle: to SECURED with the OEM's key the package gave" bash -c \
    "'$smtool' lifecycle --port '$port' --to secured --key oem.pem | grep -qx 'PSA_ROT_PROVISIONING -> SECURED'"
stop

# The whole device from a package: the uRoT (encrypted with the OEM's install key, which
# the iRoT decrypts it with), the SM and the module (encrypted for the vendor's product key,
# which the OEM never holds) and the NS application (the install key's), on a second blank
# chip. It installs, moves to SECURED, then boots them all: the module answers NS and the
# token verifies with the IAK public key the programmer received, its lifecycle SECURED.
"$smtool" chip make chip2 --vendor vendor --irot "$fw/boot/irot/irot.bin" \
    --prov "$fw/boot/prov/prov.bin" >/dev/null 2>&1 || { fail "chip make"; finish install_test; }
"$smtool" keygen -k urot.pem >/dev/null || exit 1
"$smtool" keygen -k mod0.pem >/dev/null || exit 1
"$smtool" getpub -k install.pem -o install.pub.pem >/dev/null || exit 1
sign_image urot.pem "$fw/boot/urot/urot.bin" urot.img 1.0.0 1 urot -E install.pub.pem
sign_image sm.pem "$fw/core/sm.bin" sm.img 1.0.0 1 sm -E vendor/product.pub.pem
sign_image ns.pem "$fw/ns/demo/ns_demo_v1.bin" ns.img 1.0.0 1 ns -E install.pub.pem
sign_image ns.pem "$fw/tests/qemu/ns_install_test.bin" nsm.img 1.0.0 1 ns -E install.pub.pem
sign_image mod0.pem "$fw/tests/modules/mod_echo.payload" mod0.img 1.0.0 1 mod0 \
    -E vendor/product.pub.pem
sed 's/"modules": 1,/"modules": 1, "key.urot": "urot.pem", "image.urot": "urot.img", "image.sm": "sm.img", "image.ns": "ns.img",/' \
    install.json >full.json
check "package: the uRoT, the SM and NS in one package" "$smtool" package --config full.json -o full.bin
sed 's/"modules": 1,/"modules": 1, "key.urot": "urot.pem", "image.urot": "urot.img", "image.sm": "sm.img", "image.ns": "nsm.img", "key.module0": "mod0.pem", "image.module0": "mod0.img",/' \
    install.json >fullm.json
check "package: the uRoT, the SM, a module and NS in one package" "$smtool" package \
    --config fullm.json -o fullm.bin
mkdir -p out2
start chip2
# The line through a relay that keeps what the programmer sent (line.log).
python3 - "$port" relay line.log <<'PY' &
import os, socket, sys, threading
dev, path, log = sys.argv[1:]
ls = socket.socket(socket.AF_UNIX)
ls.bind(path)
ls.listen(1)
c, _ = ls.accept()
d = socket.socket(socket.AF_UNIX)
d.connect(dev)
out = open(log, "wb")
def back():
    while True:
        b = d.recv(4096)
        if not b:
            break
        c.sendall(b)
threading.Thread(target=back, daemon=True).start()
while True:
    b = c.recv(4096)
    if not b:
        break
    out.write(b)
    out.flush()
    d.sendall(b)
PY
relay_pid=$!
for _ in $(seq 50); do [ -S relay ] && break; sleep 0.1; done
check "install: the package with its images and a module installs on a blank chip" "$smtool" \
    install --port relay fullm.bin --root vendor/root.pub.pem --key line.pem --out out2
kill "$relay_pid" 2>/dev/null
wait "$relay_pid" 2>/dev/null
check "lifecycle: to PSA_ROT_PROVISIONING" "$smtool" lifecycle --port "$port" \
    --to psa-rot-provisioning
check "lifecycle: to SECURED" "$smtool" lifecycle --port "$port" --to secured --key oem.pem
stop
"$smrun" --icount --timeout 300 --max-boots 3 chip2 </dev/null 2>&1 | tr -d '\r' >boot.log
expect boot.log "SM: module slot 0: TEST_MOD_ECHO .*loaded" "the installed device loads the module"
expect boot.log "^install_test: module: installed, status 1$" "... whose service answers NS"
expect boot.log "^install_test: [0-9]+ passed, 0 failed" "... and NS's checks pass"
line=$(grep '^install_test: token ' boot.log | head -1)
echo "$line" | awk '{print $4}' >token.hex
iak=$(ls out2/*.iak.pub.pem 2>/dev/null | head -1)
if [ -z "$iak" ]; then
    bad "no IAK public key from the install"
elif "$smtool" token verify -k "$iak" token.hex --json --nonce "$(echo "$line" | awk '{print $3}')" \
    >token.json 2>token.err; then
    ok "the token verifies with the IAK the programmer received"
    expect token.json '"security_lifecycle": *12288' "... and says SECURED (0x3000)"
    # The images are encrypted (their measurements are of the plaintext, which only the
    # device saw): each component is matched by its signer, the key hash of its kind's key.
    for k in urot sm mod0 ns; do
        h=$("$smtool" getpub -k $k.pem | sed -n 's/^key hash.*: //p')
        expect token.json "$h" "... with the $k image signed by the package's $k key"
    done
else
    bad "token verify: $(cat token.err)"
    sed 's/^/[boot] /' boot.log | tail -40
fi

# The same bytes replayed to another chip: its BEGIN carries the package key wrapped for
# chip2's certified key, so a third blank chip refuses it (reason 8, the key does not open)
# and its flash (both files) stays as it was.
"$smtool" chip make chip3 --vendor vendor --irot "$fw/boot/irot/irot.bin" \
    --prov "$fw/boot/prov/prov.bin" >/dev/null 2>&1 || { fail "chip make"; finish install_test; }
cp chip3/flash.img chip3.img
cp chip3/flash.prog chip3.prog
start chip3
check "the package as sent to one chip is refused by another on the board" python3 - "$port" <<'PY'
import socket, struct, sys, time, zlib
log = open("line.log", "rb").read()
frames, i = [], 0
while True:
    i = log.find(b"\xa5\x5a", i)
    if i < 0 or i + 6 > len(log):
        break
    n = struct.unpack("<H", log[i + 4:i + 6])[0]
    body = log[i + 2:i + 6 + n]
    if i + 10 + n <= len(log) and zlib.crc32(body) == struct.unpack("<I", log[i + 6 + n:i + 10 + n])[0]:
        frames.append(log[i:i + 10 + n])
        i += 10 + n
    else:
        i += 1
begin = [f for f in frames if f[2] == 0x23]
assert begin, "no BEGIN recorded"
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(120)
s.sendall(begin[0])  # bytes wait in smrun until the stage's UART takes them: sent once
buf = b""
while len(buf) < 22:
    buf += s.recv(64)
assert buf[2] == 0xA2 and buf[6] == 0x23 and buf[7] == 8, buf.hex()  # STATUS, BEGIN, reason 8
PY
stop
check "... its flash.img unchanged" cmp -s chip3.img chip3/flash.img
check "... and its flash.prog" cmp -s chip3.prog chip3/flash.prog

# Power cuts during the install: a blank chip cut at the K-th flash operation of the install
# (smrun --cut-after: the board powers off and on again, the stage starts afresh, the
# programmer's session is gone), then the same package sent again finishes the install
# (install-package.md: every byte is a function of the chip and the package). K: while the
# images are written, and among the last operations (the device record, written last).
# An install's operations: the three slots' sector erases, then one per unit programmed,
# counted from the units the install after the first cut marked (against a blank chip's).
units() { python3 -c "import sys; print(sum(bin(b).count('1') for b in open(sys.argv[1],'rb').read()))" "$1"; }
"$smtool" chip make blank3 --vendor vendor --irot "$fw/boot/irot/irot.bin" \
    --prov "$fw/boot/prov/prov.bin" >/dev/null 2>&1 || exit 1
erases=$(( ($(region_size urot-dl) + $(region_size sm-dl) + $(region_size ns-dl)) / 8192 ))
cut_install() { # cut_install K
    local k=$1
    "$smtool" chip make cut$k --vendor vendor --irot "$fw/boot/irot/irot.bin" \
        --prov "$fw/boot/prov/prov.bin" >/dev/null 2>&1 || { fail "chip make"; finish install_test; }
    start cut$k --cut-after "$k"
    if "$smtool" install --port "$port" full.bin --root vendor/root.pub.pem --key line.pem \
        >/dev/null 2>&1; then
        bad "install cut at operation $k: it finished"
    fi
    expect "$tmp/console" "power cut after $k flash operation" "install: power cut at operation $k"
    check "... the same package sent again installs" "$smtool" install --port "$port" full.bin \
        --root vendor/root.pub.pem --key line.pem --out cut$k
    check "... device info: provisioned" bash -c \
        "'$smtool' device info --port '$port' | grep -q '^device record: *provisioned'"
    local iak
    iak=$(cat cut$k/*.iak.pub.pem 2>/dev/null)
    [ -n "$iak" ] && [ "$iak" != "$(cat out2/*.iak.pub.pem)" ] && ok "... an IAK of its own" ||
        bad "... no IAK, or another chip's"
    stop
}
cut_install 3000
total=$(( erases + $(units cut3000/flash.prog) - $(units blank3/flash.prog) ))
echo "an install of this package: $total flash operations"
cut_install $((total - 4))
finish install_test
