#!/usr/bin/env bash
# imgtool_fixtures_test.sh SMTOOL: images made by MCUboot's imgtool (tests/fixtures/imgtool)
# verify with our boot core, which reads back their version, counter, dependency, trailer and
# encrypted payload; and tampered copies are refused.
set -u
smtool=$1
fx="$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/imgtool" && pwd)"
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
verify() { # verify DESCRIPTION IMAGE PATTERN... (smtool verify must pass and print each)
    local what=$1 img=$2
    shift 2
    if ! "$smtool" verify -k "$fx/imgtool-key.pem" "${extra[@]}" "$img" >"$tmp/out" 2>&1; then
        echo "FAIL $what: $(cat "$tmp/out")"
        fails=$((fails + 1))
        return
    fi
    for p in "$@"; do
        grep -q -- "$p" "$tmp/out" || { echo "FAIL $what: no '$p'"; fails=$((fails + 1)); return; }
    done
    echo "ok   $what"
}
extra=()
verify "plain image" "$fx/plain.bin" "version 1.2.3+4" "payload: 1000 bytes" "security counter: none"
verify "security counter and dependency" "$fx/counter-dependency.bin" "security counter: 5" \
    "dependency: image 1 >= 1.0.0+0"
verify "padded, 16-byte trailer, confirmed" "$fx/padded-align16-confirm.bin" \
    "install requested, confirmed (permanent)"
verify "padded, imgtool's default trailer" "$fx/padded-default.bin" "install requested" 
extra=(-E "$fx/enc.pem")
verify "encrypted for the device" "$fx/encrypted.bin" "encrypted, AES-128" "security counter: 7"
verify "encrypted for the device, AES-256" "$fx/encrypted-aes256.bin" "encrypted, AES-256" \
    "ENC_EC256 (0x32): 129 bytes" "security counter: 7"
extra=()
cp "$fx/plain.bin" "$tmp/bad.bin"
printf '\x01' | dd of="$tmp/bad.bin" bs=1 seek=$((0x400 + 10)) conv=notrunc 2>/dev/null
if "$smtool" verify -k "$fx/imgtool-key.pem" "$tmp/bad.bin" >/dev/null 2>&1; then
    echo "FAIL a tampered imgtool image was accepted"
    fails=$((fails + 1))
else
    echo "ok   a tampered imgtool image is refused"
fi
finish "imgtool fixtures"
