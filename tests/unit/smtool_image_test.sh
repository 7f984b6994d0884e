#!/usr/bin/env bash
# smtool_image_test.sh SMTOOL: keygen, getpub, sign and verify from the command line: results,
# exit statuses, and error messages that name the file and the problem.
set -u
smtool=$1
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$tmp" || exit 1
has() { # DESCRIPTION PATTERN: the previous command's stdout has PATTERN
    if grep -q -- "$2" out; then echo "ok   $1"; else echo "FAIL $1: no '$2' in: $(cat out)"; fails=$((fails + 1)); fi
}

check "keygen a signing key" "$smtool" keygen -k sign.pem -t ecdsa-p256
check "keygen another key" "$smtool" keygen -k other.pem
check "keygen a device encryption key" "$smtool" keygen -k enc.pem
check "private keys are not world readable" test "$(stat -c %a sign.pem)" = 600
expect_fail "keygen never overwrites a key" 1 "sign.pem: exists already" "$smtool" keygen -k sign.pem
expect_fail "keygen refuses other key types" 2 "not supported" "$smtool" keygen -k x.pem -t rsa-2048

check "getpub writes the public key" "$smtool" getpub -k sign.pem -o sign.pub.pem
hash=$(sed -n 's/^key hash.*: //p' out)
check "getpub prints a 32-byte key hash" test ${#hash} = 64
check "getpub of the public key gives the same hash" "$smtool" getpub -k sign.pub.pem
has "... same hash" "$hash"

head -c 3000 /dev/urandom >app.bin
check "sign with imgtool's flags" "$smtool" sign -k sign.pem -v 1.2.3+4 -H 0x400 -S 0x10000 -s 3 \
    --pad-header app.bin app.img
check "verify with the public key" "$smtool" verify -k sign.pub.pem app.img
has "verify prints the version" "version 1.2.3+4"
has "verify prints the security counter" "security counter: 3"
has "verify prints the key hash TLV" "KEYHASH (0x01): $hash"
check "verify accepts the minimum counter" "$smtool" verify -k sign.pem -s 3 app.img
expect_fail "verify rejects a counter rollback" 1 "app.img: rejected: security counter rollback" \
    "$smtool" verify -k sign.pem -s 4 app.img
expect_fail "verify rejects another key" 1 "app.img: rejected: key not allowed" \
    "$smtool" verify -k other.pem app.img
cp app.img bad.img
printf '\x55' | dd of=bad.img bs=1 seek=2000 conv=notrunc 2>/dev/null
expect_fail "verify rejects a changed payload byte" 1 "bad.img: rejected: SHA-256 mismatch" \
    "$smtool" verify -k sign.pem bad.img
head -c 500 app.img >short.img
expect_fail "verify rejects a truncated image" 1 "short.img: rejected:" "$smtool" verify -k sign.pem short.img
expect_fail "verify names a missing file" 1 "missing.img: No such file" "$smtool" verify -k sign.pem missing.img
expect_fail "verify names a bad key file" 1 "app.bin: not a private key" "$smtool" verify -k app.bin app.img

check "sign --pad --confirm fills the slot" "$smtool" sign -k sign.pem -S 0x8000 --pad-header --pad --confirm app.bin padded.img
check "... to exactly the slot size" test "$(stat -c %s padded.img)" = 32768
check "... and verify reads its trailer" "$smtool" verify -k sign.pem padded.img
has "... as a permanent install request" "install requested, confirmed"
expect_fail "sign refuses an image too big for its slot" 1 "app.bin: image of .* does not fit the 4096-byte slot" \
    "$smtool" sign -k sign.pem -S 0x1000 --pad-header app.bin big.img
check "... and writes no output" test ! -e big.img
expect_fail "sign without --pad-header needs zeros for the header" 1 "does not start with 1024 zero bytes" \
    "$smtool" sign -k sign.pem app.bin nohdr.img
expect_fail "sign rejects a bad version" 2 "bad version '1.x'" "$smtool" sign -k sign.pem -v 1.x app.bin v.img
expect_fail "--confirm implies --pad, which needs the slot size" 1 "needs the slot size" \
    "$smtool" sign -k sign.pem --pad-header --confirm app.bin c.img

# imgtool's flags, with imgtool's meaning (issue #18): a command line written for imgtool.
check "sign takes imgtool's flags" "$smtool" sign -k sign.pem -v 1.2.3 -H 0x400 --pad-header \
    -S 0x8000 --align 16 --max-align 16 -R 0xff -e little --sha 256 --hmac-sha 256 \
    --encrypt-keylen 128 --test --boot-record SPE -F 0x10080000 \
    --custom-tlv 0xa0 0x0102ff --custom-tlv 0xa1 hello --vid linaro.org --cid my_image \
    app.bin imgtool.img
check "... and verify accepts the result" "$smtool" verify -k sign.pem imgtool.img
has "... --test: a test install (not confirmed)" "install requested"
check "... every field as imgtool writes it" python3 - imgtool.img <<'PY'
import hashlib, struct, sys, uuid
d = open(sys.argv[1], 'rb').read()
magic, load, hsz, psz, isz, flags = struct.unpack_from('<IIHHII', d, 0)
assert magic == 0x96f3b83d and load == 0x10080000 and flags == 0x100, (hex(load), hex(flags))
off = hsz + isz
m, tot = struct.unpack_from('<HH', d, off)
assert m == 0x6908 and tot == psz
tlvs, p = [], off + 4
while p < off + tot:
    t, l = struct.unpack_from('<HH', d, p); tlvs.append((t, d[p + 4:p + 4 + l])); p += 4 + l
assert [t for t, _ in tlvs] == [0x60, 0x74, 0x75, 0xa0, 0xa1], [hex(t) for t, _ in tlvs]
# The unprotected area: the key hash, and the signature padded to 72 bytes with zeros.
p = off + tot
m, utot = struct.unpack_from('<HH', d, p)
u, q = {}, p + 4
while q < p + utot:
    t, l = struct.unpack_from('<HH', d, q); u[t] = d[q + 4:q + 4 + l]; q += 4 + l
keyhash = u[0x01]
# BOOT_RECORD: imgtool's CBOR map {1: type, 4: "M.m.r", 5: signer id, 6: "SHA256", 2: zeros}.
def text(s): return bytes([0x60 + len(s)]) + s.encode()
rec = (b'\xa5' + b'\x01' + text('SPE') + b'\x04' + text('1.2.3') + b'\x05\x58\x20' + keyhash +
       b'\x06' + text('SHA256') + b'\x02\x58\x20' + bytes(32))
assert tlvs[0][1] == rec, tlvs[0][1].hex()
vid = uuid.uuid5(uuid.NAMESPACE_DNS, 'linaro.org')
assert tlvs[1][1] == vid.bytes and tlvs[2][1] == uuid.uuid5(vid, 'my_image').bytes
assert tlvs[3][1] == bytes([1, 2, 0xff]) and tlvs[4][1] == b'hello'
PY
check "--pad-sig pads the signature with zeros to 72 bytes" "$smtool" sign -k sign.pem --pad-header \
    --pad-sig app.bin padsig.img
check "... (as imgtool)" python3 - padsig.img <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
hsz, psz, isz = struct.unpack_from('<HHI', d, 8)
p = hsz + isz + psz
m, tot = struct.unpack_from('<HH', d, p)
q = p + 4
while q < p + tot:
    t, l = struct.unpack_from('<HH', d, q)
    if t == 0x22:
        sig = d[q + 4:q + 4 + l]
        assert l == 72 and sig[0] == 0x30 and sig[1] + 2 <= 72 and set(sig[sig[1] + 2:]) <= {0}
        sys.exit(0)
    q += 4 + l
sys.exit(1)
PY
check "... and it verifies: the zero padding is taken, as MCUboot takes it" "$smtool" verify -k sign.pem padsig.img
check "... which fails once a padding byte is not zero" python3 - padsig.img padbad.img <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
hsz, psz, isz = struct.unpack_from('<HHI', d, 8)
p = hsz + isz + psz
m, tot = struct.unpack_from('<HH', d, p)
q = p + 4
while q < p + tot:
    t, l = struct.unpack_from('<HH', d, q)
    if t == 0x22:
        sig = q + 4
        if d[sig + 1] + 2 == 72:
            sys.exit(0)  # no padding in this signature: nothing to spoil (the next check skips)
        d[sig + 71] = 1
    q += 4 + l
open(sys.argv[2], 'wb').write(d)
PY
if [ -f padbad.img ]; then
    expect_fail "... (a non-zero padding byte is refused)" 1 "padbad.img: rejected" "$smtool" verify -k sign.pem padbad.img
fi
check "-L makes a RAM_LOAD image with its load address" "$smtool" sign -k sign.pem --pad-header \
    -L 0x20000000 app.bin ram.img
check "... (flags 0x20)" python3 -c "import struct,sys; h=struct.unpack_from('<IIHHII', open('ram.img','rb').read()); sys.exit(0 if h[1]==0x20000000 and h[5]==0x20 else 1)"
expect_fail "... which the boot stages refuse (they run images in place)" 1 "ram.img: rejected" \
    "$smtool" verify -k sign.pem ram.img
check "a raw UUID is taken as it is" "$smtool" sign -k sign.pem --pad-header \
    --vid 12345678-1234-5678-1234-567812345678 --cid 0123456789abcdef0123456789abcdef app.bin uuid.img
expect_fail "--align 8 is refused, saying why" 2 "16-byte units" "$smtool" sign -k sign.pem --align 8 app.bin x.img
expect_fail "--align 32 too" 2 "where they do not look" "$smtool" sign -k sign.pem --align 32 app.bin x.img
expect_fail "--max-align 32 too" 2 "use 16" "$smtool" sign -k sign.pem --max-align 32 app.bin x.img
expect_fail "-R 0 is refused" 2 "erased" "$smtool" sign -k sign.pem -R 0 app.bin x.img
expect_fail "-e big is refused" 2 "little-endian" "$smtool" sign -k sign.pem -e big app.bin x.img
expect_fail "--overwrite-only is refused" 2 "swap with revert" "$smtool" sign -k sign.pem --overwrite-only app.bin x.img
expect_fail "-M is refused" 2 "omit -M" "$smtool" sign -k sign.pem -M 64 app.bin x.img
expect_fail "--sha 384 is refused" 2 "SHA-256" "$smtool" sign -k sign.pem --sha 384 app.bin x.img
expect_fail "--hmac-sha 512 is refused" 2 "HMAC-SHA-256" "$smtool" sign -k sign.pem --hmac-sha 512 app.bin x.img
expect_fail "--encrypt-keylen 192 is refused" 2 "AES-128 or AES-256" "$smtool" sign -k sign.pem --encrypt-keylen 192 app.bin x.img
expect_fail "--test and --confirm exclude each other" 2 "exclude" "$smtool" sign -k sign.pem -S 0x8000 --pad-header --test --confirm app.bin x.img
expect_fail "-L and -F exclude each other" 2 "exclude" "$smtool" sign -k sign.pem -L 0x20000000 -F 0x10000000 app.bin x.img
expect_fail "a custom TLV may not take a predefined type" 2 "conflicts" "$smtool" sign -k sign.pem --custom-tlv 0x10 0x00 app.bin x.img
expect_fail "... nor come twice" 2 "twice" "$smtool" sign -k sign.pem --custom-tlv 0xa0 a --custom-tlv 0xa0 b app.bin x.img
expect_fail "... nor have an odd hex length" 2 "odd" "$smtool" sign -k sign.pem --custom-tlv 0xa0 0x123 app.bin x.img
expect_fail "a boot record type longer than 12 characters" 1 "1 to 12 characters" "$smtool" sign -k sign.pem --pad-header --boot-record ABCDEFGHIJKLM app.bin x.img
expect_fail "--cid by name needs --vid" 2 "without --vid" "$smtool" sign -k sign.pem --cid my_image app.bin x.img

check "sign -E encrypts for the device" "$smtool" sign -k sign.pem -E enc.pem --pad-header -s auto -v 2.1.0 app.bin enc.img
check "... security counter auto = version" "$smtool" verify -k sign.pem -E enc.pem enc.img
has "... 0x02010000" "security counter: 33619968"
expect_fail "an encrypted image needs the device key to verify" 1 "encrypted: give the device's encryption key" \
    "$smtool" verify -k sign.pem enc.img
expect_fail "another device's key cannot decrypt it" 1 "rejected: not encrypted for this device" \
    "$smtool" verify -k sign.pem -E other.pem enc.img
plain=$(head -c 32 app.bin | od -An -tx1 | tr -d ' \n')
check "the plaintext is not in the encrypted image" bash -c "! od -An -tx1 -w100000 enc.img | tr -d ' \n' | grep -q $plain"
check "... but is in the plain one (the check works)" bash -c "od -An -tx1 -w100000 app.img | tr -d ' \n' | grep -q $plain"
check "--encrypt-keylen 256: an AES-256 image key" "$smtool" sign -k sign.pem -E enc.pem --encrypt-keylen 256 \
    --pad-header app.bin enc256.img
has "... said so" "encrypted, AES-256"
check "... which verify decrypts" "$smtool" verify -k sign.pem -E enc.pem enc256.img
has "... flag 0x8 (ENCRYPTED_AES256)" "flags 0x8 (encrypted, AES-256)"
has "... and a 129-byte ENC_EC256 TLV, as MCUboot's" "ENC_EC256 (0x32): 129 bytes"
expect_fail "... not another device" 1 "rejected: not encrypted for this device" \
    "$smtool" verify -k sign.pem -E other.pem enc256.img
check "... plaintext not in it" bash -c "! od -An -tx1 -w100000 enc256.img | tr -d ' \n' | grep -q $plain"

finish "smtool image"
