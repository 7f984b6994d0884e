#!/usr/bin/env bash
# power_cut_test.sh BUILD: power cuts on the emulated board lose nothing committed.
#
# A device made as `make run` makes it boots once to the end (the demo stores an ITS asset in
# its first boot, resets, reads it back). Then, for N = 0, 1, 2, ...: smrun --cut-after N cuts
# the power before the N+1th flash operation (unit program or sector erase) of a boot, and the
# next boot must still read the asset back and count boots without going backwards. The loop
# ends when a boot does fewer than N+1 flash operations (smrun: "no power cut"), so every
# operation of a boot (the uRoT's boot counter, the SM's writes) is cut once.
set -u
build=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smrun="$here/../../tools/smrun"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SM_KEYS="$tmp/keys" "$here/../../scripts/make-device.sh" "$build" "$tmp/dev" || exit 1
fails=0
secret='NS: read back from Internal Trusted Storage: "a secret for the next boot"'
boot_no() { sed -n 's/.*SM: boot \([0-9]*\) since provisioning.*/\1/p' "$tmp/log" | tail -1; }

"$smrun" --timeout 60 --max-boots 2 "$tmp/dev" </dev/null >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; echo "FAIL: the first run"; exit 1; }
grep -q "$secret" "$tmp/log" || { cat "$tmp/log"; echo "FAIL: no asset after the first run"; exit 1; }
last=$(boot_no)
cuts=0
for n in $(seq 0 40); do
    "$smrun" --timeout 60 --max-boots 2 --cut-after "$n" "$tmp/dev" </dev/null >"$tmp/log" 2>&1
    rc=$?
    sed "s/^/[cut $n] /" "$tmp/log" | grep -E "smrun|SM: boot [0-9]+ since|Trusted Storage|FAIL|stopped"
    if grep -q "no power cut" "$tmp/log"; then
        break
    fi
    cuts=$((cuts + 1))
    grep -q "power cut after $n flash operation" "$tmp/log" || { echo "FAIL cut $n: no cut"; fails=$((fails + 1)); }
    [ "$rc" = 0 ] || { echo "FAIL cut $n: smrun exited $rc"; fails=$((fails + 1)); }
    grep -q "$secret" "$tmp/log" || { echo "FAIL cut $n: the ITS asset was lost"; fails=$((fails + 1)); }
    now=$(boot_no)
    if [ -z "$now" ] || [ "$now" -le "$last" ]; then
        echo "FAIL cut $n: boot counter $now after $last"
        fails=$((fails + 1))
    fi
    last=${now:-$last}
done
[ "$cuts" -gt 0 ] || { echo "FAIL: no boot did a flash operation to cut"; fails=$((fails + 1)); }
echo "power_cut_test: $cuts cut(s), $fails failure(s)"
exit $((fails > 0))
