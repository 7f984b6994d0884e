#!/usr/bin/env bash
# lc_moves_test.sh BUILD: the moves of a running device's lifecycle state on the emulated board
# (docs/design/lifecycle.md, "Moving a running device"). The NS application (ns_lc_test.c)
# hands the SM the requests `smtool lifecycle --sign` makes here, with the OEM's key (the NS
# signing key of a device `smtool provision` made), sent over its serial line (smrun --port,
# lc_line.py), and prints tokens that `smtool token verify` checks with the device's IAK.
#
# A SECURED device moves to NON_PSA_ROT_DEBUG; at the next boot the uRoT traces what it
# verified and the token says 0x4000. There, refused, each with its PSA status: a request with
# a bad signature, the OEM's request for another chip, the first request again (an earlier
# count), a move the store does not allow; then back to SECURED (0x3000, no trace), to
# RECOVERABLE_PSA_ROT_DEBUG (0x5000, the trace), and to DECOMMISSIONED: the next boot erases
# every secret and stops with E23, as every boot after. First, a power cut during the SM's write
# of the move, on copies of the SECURED device: old state or new, never stuck, the replay. That the refusals write nothing: the
# boot that makes them ends with the flash (flash.img and flash.prog) byte for byte that of
# the same boot, from a copy of the device, without them (every boot writes the boot counter,
# so "the flash before the boot" would not do; a boot is deterministic given its flash and
# its input).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib.sh"
test_env "$1"
port="$tmp/port"
smrun_pid=
on_exit+=('[ -n "$smrun_pid" ] && kill -TERM "$smrun_pid" && wait "$smrun_pid"')

SM_KEYS="$keys" "$here/../../scripts/make-device.sh" "$build" "$dev" \
    "$fw/tests/qemu/ns_lc_test.bin" || exit 1
keygen other

# req NAME TO N [KEY [OPTION...]]: the request $tmp/NAME.bin to move to TO after N
# transitions, signed by KEY (the OEM's: the NS signing key); $NAME holds its hex.
req() {
    local name=$1 to=$2 n=$3 key=${4:-ns}
    shift $(($# < 4 ? $# : 4))
    "$smtool" lifecycle --sign "$tmp/$name.bin" --key "$keys/$key.pem" --to "$to" \
        --transitions "$n" "$@" >/dev/null || { fail "lifecycle --sign $name"; finish lc_moves; }
    printf -v "$name" '%s' "$(od -An -tx1 -v "$tmp/$name.bin" | tr -d ' \n')"
}
# session LABEL DEVICE MAX_BOOTS STATUS COMMAND...: the board on $port until it stops, the
# commands sent (lc_line.py); the secure console in $tmp/LABEL.con, the NS line in
# $tmp/LABEL.ns. STATUS: smrun's exit status expected.
session() {
    local label=$1 dir=$2 boots=$3 want=$4
    shift 4
    rm -f "$port"
    "$smrun" --timeout 300 --max-boots "$boots" --port "$port" "$dir" </dev/null \
        >"$tmp/$label.con" 2>&1 &
    smrun_pid=$!
    for _ in $(seq 100); do [ -S "$port" ] && break; sleep 0.1; done
    python3 "$here/lc_line.py" "$port" "$@" >"$tmp/$label.ns" 2>&1 || bad "$label: the line"
    wait "$smrun_pid"
    local rc=$?
    smrun_pid=
    sed "s/^/[$label] /" "$tmp/$label.con" "$tmp/$label.ns" | tr -d '\r'
    [ $rc = "$want" ] || bad "$label: smrun's exit status $rc, not $want"
}
# statuses LABEL S...: the requests of the session were answered S..., in order, and the NS
# program's own checks passed.
statuses() {
    local label=$1
    shift
    local got
    got=$(sed -n 's/^lc_test: status \(-*[0-9]*\).*/\1/p' "$tmp/$label.ns" | tr '\n' ' ')
    [ "$got" = "$* " ] && ok "$label: the requests answered $*" ||
        bad "$label: the requests answered '$got', not '$* '"
    expect "$tmp/$label.ns" "^lc_test: [0-9]+ passed, 0 failed" "$label: the NS checks passed"
}
# claim LABEL VALUE: the session's token verifies with the device's IAK, its lifecycle VALUE.
claim() {
    local label=$1 want=$2 line
    line=$(tr -d '\r' <"$tmp/$label.ns" | grep '^lc_test: token ' | head -1)
    echo "$line" | awk '{print $4}' >"$tmp/$label.hex"
    if "$smtool" token verify -k "$dev/iak.pub.pem" --nonce "$(echo "$line" | awk '{print $3}')" \
        --json "$tmp/$label.hex" >"$tmp/$label.json" 2>"$tmp/err"; then
        expect "$tmp/$label.json" "\"security_lifecycle\": *$((want))," \
            "$label: the token verifies, lifecycle $want"
    else
        bad "$label: token verify: $(cat "$tmp/err")"
    fi
}
traced() { # traced LABEL CODE: the uRoT traced the SM and NS it verified in state CODE
    expect "$tmp/$1.con" "uRoT: trace $2: SM at 00040[0-9a-f]{3}, counter 1, hash [0-9a-f]{8}" \
        "$1: the uRoT traces the SM in state $2"
    expect "$tmp/$1.con" "uRoT: trace $2: NS at 00180[0-9a-f]{3}, counter 1, hash" \
        "$1: ... and NS"
}
untraced() {
    grep -q "trace" "$tmp/$1.con" && bad "$1: a trace line in SECURED" || ok "$1: no trace"
}
n1=$(printf 'a1%.0s' $(seq 32)) n2=$(printf 'b2%.0s' $(seq 32))
n3=$(printf 'c3%.0s' $(seq 32)) n4=$(printf 'd4%.0s' $(seq 32))
succ=0 sig=-149 state=-137 perm=-133

# SECURED (no transition yet) to NON_PSA_ROT_DEBUG; the same request again is spent.
req r0 non-psa-rot-debug 0

# A power cut during the SM's own write of the record. The move's flash operations: those of
# the boot with the move minus those of the same boot without it (a boot is deterministic).
# (One, the counter's unit: a unit program is whole on the board, torn ones are
# test_bl_lifecycle's on the host.) Each copy of the device is cut at one of them (smrun --cut-after: the power fails before the
# next operation), then powered on again: it boots (never stuck) in the old state or the new
# one, as its token says; the request replayed moves it (SUCCESS) if the old state was kept,
# is spent (BAD_STATE) if the move landed; the boot after says NON_PSA_ROT_DEBUG.
# cut_boot LABEL DIR CUT COMMAND...: one boot cut after CUT operations (none if it does
# fewer), the commands sent; smrun's exit status in $rc.
cut_boot() {
    local label=$1 dir=$2 cut=$3
    shift 3
    rm -f "$port"
    "$smrun" --timeout 300 --max-boots 1 --cut-after "$cut" --port "$port" "$dir" </dev/null \
        >"$tmp/$label.con" 2>&1 &
    smrun_pid=$!
    for _ in $(seq 100); do [ -S "$port" ] && break; sleep 0.1; done
    python3 "$here/lc_line.py" "$port" "$@" >"$tmp/$label.ns" 2>&1
    wait "$smrun_pid"
    rc=$?
    smrun_pid=
}
ops() { tr -d '\r' <"$tmp/$1.con" | sed -n 's/.*no power cut: boot 1 did only \([0-9]*\) flash.*/\1/p'; }
lifecycle_of() { # lifecycle_of LABEL: the lifecycle claim of the session's verified token
    local line
    line=$(tr -d '\r' <"$tmp/$1.ns" | grep '^lc_test: token ' | head -1)
    echo "$line" | awk '{print $4}' >"$tmp/$1.hex"
    "$smtool" token verify -k "$dev/iak.pub.pem" --nonce "$(echo "$line" | awk '{print $3}')" \
        --json "$tmp/$1.hex" 2>/dev/null | sed -n 's/.*"security_lifecycle": *\([0-9]*\),.*/\1/p'
}
rm -rf "$tmp/c0" "$tmp/c1" && cp -a "$dev" "$tmp/c0" && cp -a "$dev" "$tmp/c1"
cut_boot c0 "$tmp/c0" 100000 "T $n1" P
cut_boot c1 "$tmp/c1" 100000 "T $n1" "L $succ $r0" P
a=$(ops c0) b=$(ops c1)
if [ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ]; then
    ok "the SM's write of the move: $((b - a)) flash operations (after $a)"
else
    bad "the move's flash operations: '$a' without it, '$b' with it"
    b=${a:-0}
fi
step=$(((b - a + 7) / 8)) # at most 8 cuts
for ((k = a; k < b; k += step)); do
    rm -rf "$tmp/cut" && cp -a "$dev" "$tmp/cut"
    cut_boot cut$k "$tmp/cut" "$k" "T $n1" "L $succ $r0" P
    # cut: no power-off (P not reached) and smrun did not find the boot short of the cut
    [ "$rc" = 125 ] && [ -z "$(ops cut$k)" ] &&
        ok "cut at operation $k of the boot (the move's $((k - a + 1)))" ||
        bad "cut at $k: smrun's exit status $rc, or no cut"
    session on$k "$tmp/cut" 1 0 "T $n2" "L $succ $r0" P
    was=$(lifecycle_of on$k)
    got=$(sed -n 's/^lc_test: status \(-*[0-9]*\).*/\1/p' "$tmp/on$k.ns" | tr -d '\r')
    case "$was,$got" in
    "$((0x3000)),$succ") ok "... boots SECURED (old state), the replay moves it" ;;
    "$((0x4000)),$state") ok "... boots NON_PSA_ROT_DEBUG (the move landed), the replay BAD_STATE" ;;
    *) bad "... after the cut: state '$was', the replay answered '$got'" ;;
    esac
    session next$k "$tmp/cut" 1 0 "T $n3" P
    [ "$(lifecycle_of next$k)" = $((0x4000)) ] && ok "... then NON_PSA_ROT_DEBUG" ||
        bad "... the boot after: not NON_PSA_ROT_DEBUG"
done
session s1 "$dev" 1 0 "T $n1" "L $succ $r0" "L $state $r0" P
untraced s1
claim s1 0x3000
statuses s1 $succ $state

# NON_PSA_ROT_DEBUG (one transition made): the trace, the claim, the refusals, back to SECURED.
req r1 secured 1
req forged secured 1 # a bit of the signature's s flipped
forged=${forged:0:136}$(printf '%02x' $((0x${forged:136:2} ^ 0x10)))${forged:138}
req otherkey secured 1 other
req otherchip secured 1 ns --chip 000102030405060708090a0b0c0d0e0f
req debug2 recoverable-psa-rot-debug 1
cp -a "$dev" "$tmp/ref"
session s2 "$dev" 1 0 "T $n2" "L $sig $forged" "L $sig $otherkey" "L $sig $otherchip" \
    "L $state $r0" "L $perm $debug2" "L $succ $r1" "L $state $r1" P
traced s2 4000
claim s2 0x4000
statuses s2 $sig $sig $sig $state $perm $succ $state
session ref "$tmp/ref" 1 0 "T $n2" "L $succ $r1" "L $state $r1" P
statuses ref $succ $state
for f in flash.img flash.prog; do
    cmp -s "$dev/$f" "$tmp/ref/$f" && ok "s2: the refusals wrote nothing ($f as without them)" ||
        bad "s2: the refusals changed $f"
done

# SECURED again (two transitions): no trace; to RECOVERABLE_PSA_ROT_DEBUG.
req r2 recoverable-psa-rot-debug 2
session s3 "$dev" 1 0 "T $n3" "L $succ $r2" P
untraced s3
claim s3 0x3000
statuses s3 $succ

# RECOVERABLE_PSA_ROT_DEBUG (three): the trace, the claim; to DECOMMISSIONED (its request again
# finds a state that moves no more), then a reset: the uRoT marks the end and resets, the iRoT
# erases the secrets of the provisioning area (HUK, IAK, image key, seed: struct bl_otp at
# 32..159) and stops saying why, as at the boot after.
otp=$(region_offset otp)
secrets=$(od -An -tx1 -v -j $((otp + 32)) -N 128 "$dev/flash.img" | tr -d ' \n')
req r3 decommissioned 3
session s4 "$dev" 3 2 "T $n4" "L $succ $r3" "L $perm $r3" R
traced s4 5000
claim s4 0x5000
statuses s4 $succ $perm
expect "$tmp/s4.con" "power cycle, boot 2" "s4: the uRoT marks the end and resets"
expect "$tmp/s4.con" "iRoT: stopped: E23" "s4: the iRoT erases and stops: E23 (decommissioned)"
[ "$(grep -c "SM: Secure Manager started" "$tmp/s4.con")" = 1 ] && ok "s4: the SM ran no more" ||
    bad "s4: the SM ran after DECOMMISSIONED"
if python3 - "$dev/flash.img" "$secrets" <<'PY'; then ok "s4: none of the four secrets is left"; else bad "s4: secrets left in the flash"; fi
import sys
flash = open(sys.argv[1], "rb").read()
s = bytes.fromhex(sys.argv[2])
keys = [s[i:i + 32] for i in range(0, 128, 32)]
assert all(len(set(k)) > 1 for k in keys), "the secrets read before were not secrets"
found = [i for i, k in enumerate(keys) if k in flash]
assert not found, f"secrets {found} still in the flash"
PY
"$smtool" lifecycle -d "$dev" | grep -qx 'DECOMMISSIONED (0x6000)' && ok "s4: DECOMMISSIONED" ||
    bad "s4: the state after"
"$smrun" --timeout 60 --max-boots 1 "$dev" </dev/null 2>&1 | tr -d '\r' >"$tmp/s5.con"
expect "$tmp/s5.con" "iRoT: stopped: E23" "s5: the next boot stops at once: E23"
grep -q "uRoT:" "$tmp/s5.con" && bad "s5: the uRoT ran" || ok "s5: nothing else runs"
finish lc_moves
