#!/usr/bin/env bash
# smtool_image_test.sh SMTOOL: keygen, getpub, sign and verify from the command line: results,
# exit statuses, and error messages that name the file and the problem.
set -u
smtool=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fails=0
check() {
    local what=$1
    shift
    if "$@" >out 2>err; then echo "ok   $what"; else echo "FAIL $what: $(cat err)"; fails=$((fails + 1)); fi
}
has() { # DESCRIPTION PATTERN: the previous command's stdout has PATTERN
    if grep -q -- "$2" out; then echo "ok   $1"; else echo "FAIL $1: no '$2' in: $(cat out)"; fails=$((fails + 1)); fi
}
expect_fail() { # DESCRIPTION STATUS PATTERN COMMAND...
    local what=$1 status=$2 pattern=$3
    shift 3
    "$@" >out 2>err
    local rc=$?
    if [ $rc = "$status" ] && grep -q -- "$pattern" err; then
        echo "ok   $what"
    else
        echo "FAIL $what (exit $rc, stderr: $(cat err))"
        fails=$((fails + 1))
    fi
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
expect_fail "--confirm without --pad is refused" 2 "needs --pad" "$smtool" sign -k sign.pem --confirm app.bin c.img

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

[ $fails = 0 ] && echo "smtool image: all passed" || echo "smtool image: $fails failed"
exit $((fails != 0))
