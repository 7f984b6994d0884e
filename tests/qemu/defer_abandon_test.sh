#!/usr/bin/env bash
# defer_abandon_test.sh BUILD: the NS world abandons a partition's deferred work that its
# interrupt preempted and calls the SM on top of it (ns_defer_abandon_test.c, against the
# attestation SM test image on a device with an IAK): the device must restart (the gateway's
# rule for a call made while another secure thread than the NS agent is current), never take
# the call as the partition's, and the attestation service must work after the restart.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib.sh"
test_env "$1"
keygen urot sm ns iak
sign_image "$keys/urot.pem" "$fw/boot/urot/urot.bin" "$tmp/urot.img" 1.0.0 1 urot
sign_image "$keys/sm.pem" "$fw/core/sm_attest_test.bin" "$tmp/sm.img" 1.0.0 1 sm
sign_image "$keys/ns.pem" "$fw/tests/qemu/ns_defer_abandon_test.bin" "$tmp/ns.img" 1.0.0 1 ns
"$smtool" provision -d "$dev" --urot-key "$keys/urot.pem" --sm-key "$keys/sm.pem" \
    --ns-key "$keys/ns.pem" --iak "$keys/iak.pem" >/dev/null || exit 1
"$smtool" program -d "$dev" --slot irot "$fw/boot/irot/irot.bin" >/dev/null || exit 1
for s in urot sm ns; do
    "$smtool" program -d "$dev" --slot $s "$tmp/$s.img" >/dev/null || exit 1
done
# --icount: the abandoned preemption lands at the same instruction on every run.
"$smrun" --icount --timeout 240 --max-boots 3 "$dev" </dev/null >"$tmp/log" 2>&1
rc=$?
sed 's/^/[log] /' "$tmp/log"
[ "$rc" = 0 ] && ok "powered off with status 0" || bad "exit status $rc"
expect "$tmp/log" "defer_abandon_test: abandoned the secure code preempted" \
    "a preemption of secure code abandoned"
expect "$tmp/log" "the non-secure world ran on instead of returning to the secure thread it preempted \\(SM_ATTEST\\); restarting the device" \
    "the NS call on top of the abandoned deferred work restarts the device"
expect "$tmp/log" "defer_abandon_test boot 2: [0-9]+ passed, 0 failed" \
    "the attestation service answers after the restart"
if grep -Eq "stopped: NS entry from a partition|FAIL" "$tmp/log"; then
    bad "the NS calls were taken as the partition's (or a check failed)"
else
    ok "no partition stopped for the NS world's call"
fi
finish defer_abandon_test
