#!/usr/bin/env bash
# make-device.sh BUILD DEVICE_DIR [NS_APP.bin]: a fresh device holding the whole system, as
# `make run` boots it: provisioned with development keys (made once in BUILD/keys, never
# committed), the iRoT at the reset vector, and the uRoT, SM and an NS application (the demo
# unless NS_APP.bin is given) signed for their slots. SM_KEYS=DIR takes (and makes missing)
# the signing keys there instead; the signed images are left there too. SM_IMAGE=FILE.bin
# puts that SM image (e.g. the test image sm_test.bin) in place of the product one.
set -euo pipefail
build=$1
dev=$2
ns_app=${3:-$build/fw/ns/demo/ns_demo_v1.bin}
smtool="$build/host/tools/smtool/smtool"
fw="$build/fw"
keys=${SM_KEYS:-$build/keys}
mkdir -p "$keys"
for k in urot sm ns; do
    [ -f "$keys/$k.pem" ] || "$smtool" keygen -k "$keys/$k.pem" >/dev/null
done
slot_size() { "$smtool" regions | awk -v n="$1" '$1 == n { print $3 * 1024 }'; }
sign() { # sign KIND IMAGE.bin OUT VERSION
    "$smtool" sign -k "$keys/$1.pem" -v "$4" -s 1 -H 0x400 --pad-header -S "$(slot_size "$1")" \
        "$2" "$3" >/dev/null
}
sign urot "$fw/boot/urot/urot.bin" "$keys/urot.signed" 1.0.0
sign sm "${SM_IMAGE:-$fw/core/sm.bin}" "$keys/sm.signed" 1.0.0
sign ns "$ns_app" "$keys/ns.signed" 1.0.0
"$smtool" provision --force -d "$dev" --urot-key "$keys/urot.pem" --sm-key "$keys/sm.pem" \
    --ns-key "$keys/ns.pem" >/dev/null
"$smtool" program -d "$dev" --slot irot "$fw/boot/irot/irot.bin" >/dev/null
"$smtool" program -d "$dev" --slot urot "$keys/urot.signed" >/dev/null
"$smtool" program -d "$dev" --slot sm "$keys/sm.signed" >/dev/null
"$smtool" program -d "$dev" --slot ns "$keys/ns.signed" >/dev/null
