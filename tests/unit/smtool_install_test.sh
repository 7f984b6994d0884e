#!/usr/bin/env bash
# smtool_install_test.sh SMTOOL PROV_DEVICE: the install package end to end on the host
# (docs/design/install-package.md): smtool package, then smtool install over a unix socket to
# the provisioning stage's core (prov_device). A chip installs, its device record verifies (the
# OEM's lifecycle key moves it to SECURED, the IAK public key and instance id are written); the
# same package as sent to that chip, replayed to another, is refused; a tampered package, a
# wrong vendor root, a truncated package, another line key and a package with an image are each
# refused with a reason and change nothing (the flash compared byte for byte); no secret (HUK,
# chip key, IAK, install key, package key) is in any file the tools wrote or any line printed.
set -u
smtool=$1
prov_device=$2
tmp=$(mktemp -d)
pid=
proxy=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "$proxy" ] && kill $proxy 2>/dev/null; rm -rf "$tmp"' EXIT
fails=0
check() {
    local what=$1
    shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
expect_fail() { # expect_fail DESCRIPTION PATTERN COMMAND...: exit 1, PATTERN on stderr
    local what=$1 pattern=$2
    shift 2
    "$@" >"$tmp/fail.out" 2>"$tmp/fail.err"
    local rc=$?
    if [ $rc = 1 ] && grep -q -- "$pattern" "$tmp/fail.err"; then
        echo "ok   $what"
    else
        echo "FAIL $what (exit $rc, stderr: $(cat "$tmp/fail.err"))"
        fails=$((fails + 1))
    fi
}
port=$tmp/port
serve() { # serve DEVICE_DIR
    [ -n "$pid" ] && { kill $pid; wait $pid 2>/dev/null; }
    rm -f "$port"
    "$prov_device" "$1" "$port" &
    pid=$!
    for _ in $(seq 50); do [ -S "$port" ] && return; sleep 0.1; done
    echo "FAIL prov_device did not start"; exit 1
}
unchanged() { cmp -s "$1/flash.img" "$tmp/before.img"; }

cd "$tmp" || exit 1
for c in chip1 chip2; do "$smtool" chip make "$c" --vendor vendor >/dev/null 2>&1 || exit 1; done
"$smtool" chip make chip3 --vendor vendor2 >/dev/null 2>&1 || exit 1
for k in line line2 oem install ns sm; do "$smtool" keygen -k "$k.pem" >/dev/null || exit 1; done
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
check "package: made from install.json" bash -c "'$smtool' package --config install.json -o pkg.bin >package.out 2>package.err"
sed 's/"modules": 1/"modules": 9/' install.json >bad.json
expect_fail "package: a configuration out of range is refused with its reason" \
    "configuration is refused" "$smtool" package --config bad.json -o bad.bin
sed 's/"modules": 1,/"modules": 1, "colour": "blue",/' install.json >bad.json
expect_fail "package: an unknown key is refused, named" "'colour': unknown key" \
    "$smtool" package --config bad.json -o bad.bin
printf '{"line_key": "line.pem",}' >bad.json
expect_fail "package: malformed JSON is refused with its place" "at byte" \
    "$smtool" package --config bad.json -o bad.bin

# Refusals before the install, each changing nothing.
serve chip1
cp chip1/flash.img before.img
expect_fail "install: a wrong vendor root is refused" "the chip's certificate" \
    "$smtool" install --port "$port" pkg.bin --root vendor2/root.pub.pem --key line.pem
check "... nothing changed" unchanged chip1
expect_fail "install: another line key cannot open the package" "not wrapped for this line key" \
    "$smtool" install --port "$port" pkg.bin --root vendor/root.pub.pem --key line2.pem
head -c 1000 pkg.bin >trunc.bin
expect_fail "install: a truncated package is refused" "truncated" \
    "$smtool" install --port "$port" trunc.bin --root vendor/root.pub.pem --key line.pem
python3 - <<'PY'
d = bytearray(open("pkg.bin", "rb").read())
d[208 + 8 + 100] ^= 0x04  # a bit of the first chunk's ciphertext
open("tampered.bin", "wb").write(d)
PY
expect_fail "install: a tampered package is refused by the device, with its reason" \
    "device refused: the package does not authenticate" \
    "$smtool" install --port "$port" tampered.bin --root vendor/root.pub.pem --key line.pem
check "... nothing changed" unchanged chip1
head -c 4000 /dev/urandom >ns.img
sed 's/"modules": 1,/"modules": 1, "image.ns": "ns.img",/' install.json >img.json
"$smtool" package --config img.json -o img.bin >/dev/null 2>&1
expect_fail "install: a package whose NS image is no image is refused by the device" \
    "device refused: an image of the package is refused" \
    "$smtool" install --port "$port" img.bin --root vendor/root.pub.pem --key line.pem
check "... nothing changed" unchanged chip1

# The install, through a relay that records what went over the line.
python3 - "$port" "$tmp/relay" "$tmp/line.log" <<'PY' &
import socket, sys, threading, os
dev, path, log = sys.argv[1:]
if os.path.exists(path): os.unlink(path)
ls = socket.socket(socket.AF_UNIX); ls.bind(path); ls.listen(1)
c, _ = ls.accept()
d = socket.socket(socket.AF_UNIX); d.connect(dev)
out = open(log, "wb")
def back():
    while True:
        b = d.recv(4096)
        if not b: break
        c.sendall(b)
threading.Thread(target=back, daemon=True).start()
while True:
    b = c.recv(4096)
    if not b: break
    out.write(b); out.flush(); d.sendall(b)
PY
proxy=$!
for _ in $(seq 50); do [ -S relay ] && break; sleep 0.1; done
id1=$("$smtool" chip show -d chip1 | sed -n 's/^chip id: *//p')
check "install: the package installs on the chip, with progress" bash -c \
    "'$smtool' install --port relay pkg.bin --root vendor/root.pub.pem --key line.pem --out . >install.out 2>install.err && grep -q '^installed on chip:' install.out && grep -q 'chunk 1/1' install.err"
kill $proxy 2>/dev/null; wait $proxy 2>/dev/null; proxy=
check "... the IAK public key and the instance id written, named by the chip" \
    test -s "$id1.iak.pub.pem" -a -s "$id1.instance-id"
cp "$id1.iak.pub.pem" iak.pub.pem
cp "$id1.instance-id" instance-id
check "... the instance id is 0x01 || SHA-256 of the IAK's point" python3 - <<'PY'
import hashlib, base64
pem = open("iak.pub.pem").read().split("-----")[2]
der = base64.b64decode("".join(pem.split()))
point = der[-65:]
assert open("instance-id").read().strip() == "01" + hashlib.sha256(point).hexdigest()
PY
check "... device info: provisioned" bash -c "'$smtool' device info --port '$port' | grep -q '^device record: *provisioned'"
check "... the IAK public key is the device record's IAK's" python3 - <<'PY'
import base64
from cryptography.hazmat.primitives.asymmetric import ec
flash = open("chip1/flash.img", "rb").read()
iak = int.from_bytes(flash[0x8000 + 64:0x8000 + 96], "big")
pub = ec.derive_private_key(iak, ec.SECP256R1()).public_key().public_numbers()
pem = open("iak.pub.pem").read().split("-----")[2]
point = base64.b64decode("".join(pem.split()))[-64:]
assert point == pub.x.to_bytes(32, "big") + pub.y.to_bytes(32, "big")
PY
expect_fail "... installed twice: refused" "provisioned already" \
    "$smtool" install --port "$port" pkg.bin --root vendor/root.pub.pem --key line.pem
check "lifecycle: to PSA_ROT_PROVISIONING" bash -c "'$smtool' lifecycle --port '$port' --to psa-rot-provisioning >/dev/null"
expect_fail "... to SECURED with the NS key: refused (the OEM's lifecycle key decides)" \
    "needs the OEM's signature" "$smtool" lifecycle --port "$port" --to secured --key ns.pem
check "... to SECURED with the OEM's lifecycle key" bash -c \
    "'$smtool' lifecycle --port '$port' --to secured --key oem.pem | grep -qx 'PSA_ROT_PROVISIONING -> SECURED'"

# What chip1 got, replayed to chip2: refused (wrapped for chip1's key), nothing changed.
serve chip2
cp chip2/flash.img before.img
check "the same package as sent to one chip is refused by another" python3 - "$port" <<'PY'
import socket, struct, sys, zlib
log = open("line.log", "rb").read()
frames, i = [], 0
while True:
    i = log.find(b"\xa5\x5a", i)
    if i < 0 or i + 6 > len(log): break
    n = struct.unpack("<H", log[i + 4:i + 6])[0]
    body = log[i + 2:i + 6 + n]
    if zlib.crc32(body) == struct.unpack("<I", log[i + 6 + n:i + 10 + n])[0]:
        frames.append(log[i:i + 10 + n]); i += 10 + n
    else:
        i += 1
begin = [f for f in frames if f[2] == 0x23]
assert begin, "no BEGIN recorded"
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(2)
s.sendall(begin[0])
buf = b""
while len(buf) < 22:
    buf += s.recv(64)
assert buf[2] == 0xA2 and buf[6] == 0x23 and buf[7] == 8, buf.hex()  # STATUS, BEGIN, reason 8
PY
check "... nothing changed" unchanged chip2
check "... while a package wrapped for it installs" bash -c \
    "'$smtool' install --port '$port' pkg.bin --root vendor/root.pub.pem --key line.pem --out . >install2.out 2>install2.err"
kill $pid; wait $pid 2>/dev/null; pid=

# No secret anywhere but in the chips' flash: the HUK, chip key and product key of each chip,
# the IAK, the install key, and the package key (opened here with the line key, as only the
# programmer can).
check "no secret in any file the tools wrote or any line they printed" python3 - <<'PY'
import os, base64, hashlib, hmac
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
secrets = []
for c in ("chip1", "chip2"):
    f = open(f"{c}/flash.img", "rb").read()
    chip = 0x8000 + 0x1D00  # BL_CHIP_OFFSET
    secrets += [f[chip + 16:chip + 48], f[chip + 48:chip + 80], f[chip + 80:chip + 112]]
    secrets += [f[0x8000 + 64:0x8000 + 96], f[0x8000 + 128:0x8000 + 160]]  # IAK, seed
install = serialization.load_pem_private_key(open("install.pem", "rb").read(), None)
secrets.append(install.private_numbers().private_value.to_bytes(32, "big"))
# The package key: ECIES-P256 as MCUboot (ECDH, HKDF "MCUBoot_ECIES_v1", AES-256-CTR).
line = serialization.load_pem_private_key(open("line.pem", "rb").read(), None)
wrap = open("pkg.bin", "rb").read()[64:64 + 129]
peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), wrap[:65])
shared = line.exchange(ec.ECDH(), peer)
k = HKDF(hashes.SHA256(), 64, None, b"MCUBoot_ECIES_v1").derive(shared)
assert hmac.compare_digest(hmac.new(k[32:], wrap[97:], hashlib.sha256).digest(), wrap[65:97])
d = Cipher(algorithms.AES(k[:32]), modes.CTR(bytes(16))).decryptor()
secrets.append(d.update(wrap[97:]) + d.finalize())
assert all(len(set(s)) > 8 for s in secrets), "what was read is no secret"
forms = []
for s in secrets:
    forms += [s, s.hex().encode(), s.hex().upper().encode(), base64.b64encode(s)[:40]]
written = ["pkg.bin", "img.bin", "line.log"]
written += [n for n in os.listdir(".") if n.endswith((".iak.pub.pem", ".instance-id"))]
written += [n for n in os.listdir(".") if n.endswith((".out", ".err"))]
written += [f"vendor/{n}" for n in os.listdir("vendor")]
written += ["chip1/flash.prog", "chip2/flash.prog"]
for path in written:
    data = open(path, "rb").read()
    for i, f in enumerate(forms):
        assert f not in data, f"secret {i // 4} (form {i % 4}) in {path}"
PY

[ $fails = 0 ] && echo "smtool install: all passed" || echo "smtool install: $fails failed"
exit $((fails != 0))
