#!/usr/bin/env bash
# power_cut_test.sh BUILD SM_TEST.bin NS_CUT_TEST.bin: power cuts on the emulated board lose
# nothing committed (CTest qemu.power_cut; docs/design/emulated-flash.md).
#
# The device holds the whole chain with the test SM image and ns_cut_test.c, which in every
# boot reads back its ITS assets (16 B, 256 B, 4 KiB; overwritten, created, removed; and 1 KiB
# of static data) and a persistent key, then changes them, printing "begin" before and "done"
# after each change.
# Each run is `smrun --cut-after N`: the power fails just before the N+1th flash operation
# (unit program or sector erase) of its first boot, and the next boot, which runs to the end,
# verifies. A model of the device (the checker below) follows the log: after a cut, every
# change reported done must read back exactly, the one begun and not done reads back as its
# old or its new value, never anything else (a BAD read: DATA_CORRUPT, a wrong size, contents
# of no generation), the boot counter goes strictly up, every boot that reaches the NS world
# finishes its changes (ITS and the key still work) and powers off with status 0.
#
#  fresh   cuts at each of the first FRESH operations of a fresh device's very first boot
#          (provisioned, never booted: the boot counter's first raise, the ITS area's first
#          sector, the first assets), each on its own copy of the device;
#  steady  on one device that already booted, cuts at operation N for N = 0 .. DENSE-1 (the
#          boot counter and the small changes), then every STRIDE-th operation (the long data
#          runs of the 256 B and 4 KiB records, a unit each) to the end of the boot, then the
#          last TAIL operations of a boot (the 4 KiB record's tag and commit units). A boot
#          writes about 5 KiB, so the ITS area's garbage collection runs in nearly every boot
#          (and copies the static asset every sixth) and is cut too, wherever it falls.
# CUT_FRESH, CUT_DENSE, CUT_STRIDE, CUT_TAIL override the defaults (CUT_STRIDE=1: every
# operation of a boot, several minutes). CUT_CHAIN=1 verifies each cut of the steady part by
# the next cut boot instead of a whole boot, so that cuts land on what earlier cuts left
# (qemu.power_cut.chain; docs/design/emulated-flash.md).
set -u
build=$1
sm_image=$2
ns_app=$3
fresh_cuts=${CUT_FRESH:-30}
dense=${CUT_DENSE:-30}
stride=${CUT_STRIDE:-24}
chain=${CUT_CHAIN:-0}
tail_cuts=${CUT_TAIL:-3}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smrun="$here/../../tools/smrun"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SM_KEYS="$tmp/keys" SM_IMAGE="$sm_image" "$here/../../scripts/make-device.sh" "$build" \
    "$tmp/fresh" "$ns_app" || exit 1

# check.py STATE LOG STATUS BOOTS [N]: follows one run's log (smrun's exit STATUS, at most BOOTS
# boots; N: the cut asked for) from the model in STATE (JSON, missing: a fresh device), writes
# the model back, prints one line on the run, and exits 1 (with the reasons) if the device
# broke a rule. With BOOTS 1 a cut boot ends the run: the next run's boot verifies it.
cat >"$tmp/check.py" <<'EOF'
import json, os, re, sys

state_path, log_path, status, max_boots = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    int(sys.argv[4])
cut_asked = int(sys.argv[5]) if len(sys.argv) > 5 else None
NAMES = ["1", "2", "3", "4", "5", "6", "key"]
if os.path.exists(state_path):
    with open(state_path) as f:
        st = json.load(f)
else:
    st = {"sm_boot": 0, "ok": {n: [None] for n in NAMES}, "pending": {}}
ok = {n: set(v) for n, v in st["ok"].items()}  # values a read may show (None: absent)
pending = st["pending"]                        # changes begun and not reported done
errors = []
seen = set()
ns_boot = None
finished = False
cut = no_cut = None
last_sm_boot = st["sm_boot"]
verified = set()  # the boot stages' reports of this boot
boots = []  # per boot that reached the NS world: [count, changes done, the change in flight]


def value(text):
    return None if text in ("0", "none") else int(text)


with open(log_path, errors="replace") as f:
    lines = [line.rstrip("\r\n") for line in f]
for line in lines:
    if re.search(r"FAIL|FATAL|stopped|BAD|QEMU failed|timeout", line):
        errors.append(f"unexpected: {line}")
    if m := re.search(r"smrun: power cut after (\d+) flash op", line):
        cut = int(m.group(1))
    elif m := re.search(r"smrun: no power cut: boot 1 did only (\d+)", line):
        no_cut = int(m.group(1))
    elif m := re.search(r"SM: boot (\d+) since provisioning", line):
        b = int(m.group(1))
        if b <= last_sm_boot:
            errors.append(f"boot counter {b} after {last_sm_boot}")
        last_sm_boot = b
        ns_boot, finished, seen = None, False, set()
    elif re.search(r"iRoT: uRoT verified|uRoT: 2 image\(s\) verified", line):
        verified.add(line.split(":")[0])
    elif m := re.search(r"cut_test: boot (\d+)$", line):
        ns_boot = int(m.group(1))
        if verified != {"iRoT", "uRoT"}:
            errors.append(f"boot {ns_boot}: the NS application ran without every image verified")
        verified = set()
        if ns_boot != last_sm_boot:
            errors.append(f"NS boot count {ns_boot}, the SM's {last_sm_boot}")
        # The last boot may have been cut in the middle of these: old or new value.
        for name, v in pending.items():
            ok[name].add(v)
        if boots and pending:
            boots[-1][2] = " ".join(f"{n}" for n in pending)
        pending = {}
        boots.append([ns_boot, 0, None])
    elif m := re.search(r"cut_test: have (\S+) (\S+)", line):
        name, got = m.group(1), m.group(2)
        if got != "BAD":
            got = value(got)
            if got not in ok[name]:
                want = " or ".join("none" if v is None else f"gen {v}" for v in ok[name])
                errors.append(f"boot {ns_boot}: {name} reads " +
                              ("none" if got is None else f"gen {got}") + f", expected {want}")
            ok[name] = {got}
        seen.add(name)
    elif m := re.search(r"cut_test: (begin|done) (\w+) (\S+) (\d+)", line):
        what, op, name, v = m.group(1), m.group(2), m.group(3), value(m.group(4))
        if set(NAMES) - seen:
            errors.append(f"boot {ns_boot}: changes before checking {sorted(set(NAMES) - seen)}")
            seen = set(NAMES)
        if what == "begin":
            pending[name] = v
        elif pending.pop(name, "none begun") != v:
            errors.append(f"boot {ns_boot}: {line.strip()} without its begin")
        else:
            ok[name] = {v}
            boots[-1][1] += 1
    elif re.search(r"cut_test: boot \d+ done", line):
        finished = True
# A run ends with a boot that was not cut, or (BOOTS 1) with the cut boot itself: smrun stops
# at its reset request (status 125, this application never asks for one) with the flash saved.
ends_cut = max_boots == 1 and cut_asked is not None and no_cut is None and status == 125
if ends_cut:
    cut = cut_asked
if status != (125 if ends_cut else 0):
    errors.append(f"smrun exited {status}")
if cut_asked is not None and cut is None and no_cut is None:
    errors.append("neither a power cut nor smrun's 'no power cut'")
if cut is not None and cut != cut_asked:
    errors.append(f"cut after {cut} operations, asked for {cut_asked}")
if not ends_cut and (ns_boot is None or not finished):
    errors.append("the last boot did not run the NS application to its end")
if pending and not ends_cut:
    errors.append(f"changes left pending by a boot that was not cut: {pending}")
st = {"sm_boot": last_sm_boot, "ok": {n: sorted(v, key=lambda x: -1 if x is None else x)
                                      for n, v in ok.items()}, "pending": pending}
with open(state_path, "w") as f:
    json.dump(st, f)
held = " ".join(f"{n}=" + "|".join("-" if x is None else str(x) for x in v)
                for n, v in st["ok"].items())
if cut is None:
    where = f"no cut ({no_cut} operations)"
elif not boots or (len(boots) < 2 and not ends_cut):
    where = f"cut after {cut}, before the NS application"
else:
    if ends_cut and pending:
        boots[0][2] = " ".join(pending)
    where = f"cut after {cut}, {boots[0][1]} change(s) done" + \
        (f", cut in the change of {boots[0][2]}" if boots[0][2] else ", none in flight")
print(f"{where}, boot {last_sm_boot}: {held}")
for e in errors:
    print(f"FAIL: {e}")
sys.exit(1 if errors else 0)
EOF

fails=0
runs=0
# run NAME DEVICE STATE BOOTS [N]: one smrun of at most BOOTS boots (cut at N), checked; sets
# $last_ops to the boot's operation count when N was past its end.
run() {
    local name=$1 dev=$2 state=$3 boots=$4 n=${5:-}
    local opts=(--timeout 60 --max-boots "$boots")
    [ -z "$n" ] || opts+=(--cut-after "$n")
    "$smrun" "${opts[@]}" "$dev" </dev/null >"$tmp/log" 2>&1
    local rc=$?
    runs=$((runs + 1))
    last_ops=$(sed -n 's/.*no power cut: boot 1 did only \([0-9]*\) flash.*/\1/p' "$tmp/log")
    if ! python3 "$tmp/check.py" "$state" "$tmp/log" "$rc" "$boots" $n >"$tmp/result"; then
        sed "s/^/[$name] /" "$tmp/log"
        fails=$((fails + 1))
    fi
    sed "s/^/[$name] /" "$tmp/result"
}

# A fresh device's very first boot, each cut on a copy of its own, verified by a whole boot.
for n in $(seq 0 $((fresh_cuts - 1))); do
    rm -rf "$tmp/dev" "$tmp/state"
    cp -a "$tmp/fresh" "$tmp/dev"
    run "fresh cut $n" "$tmp/dev" "$tmp/state" 2 "$n"
    [ -z "$last_ops" ] || break
done

# A device in use: each cut verified by a whole boot (CUT_CHAIN=1: by the next cut boot, which
# checks everything before it changes anything, so that cuts land on what earlier cuts left).
boots=2
[ "$chain" = 0 ] || boots=1
rm -rf "$tmp/dev" "$tmp/state"
cp -a "$tmp/fresh" "$tmp/dev"
fresh_fails=$fails
run "first boot" "$tmp/dev" "$tmp/state" 1
n=0
total=""
while [ -z "$total" ]; do
    run "cut $n" "$tmp/dev" "$tmp/state" "$boots" "$n"
    total=$last_ops
    [ "$fails" = "$fresh_fails" ] || break # the device is broken: what follows tells nothing
    [ "$n" -lt $((dense - 1)) ] && n=$((n + 1)) || n=$((n + stride))
done
# The last operations of a boot: the length alternates with the asset created or removed, so
# count down from the length seen, and from the next boot's if a boot was shorter.
for k in $(seq 1 "$tail_cuts"); do
    [ "$fails" = "$fresh_fails" ] && [ "${total:-0}" -gt "$k" ] || break
    run "cut $((total - k)) (tail)" "$tmp/dev" "$tmp/state" "$boots" "$((total - k))"
    if [ -n "$last_ops" ]; then
        total=$last_ops
        run "cut $((total - k)) (tail)" "$tmp/dev" "$tmp/state" "$boots" "$((total - k))"
    fi
done
[ "$chain" = 0 ] || run "last boot" "$tmp/dev" "$tmp/state" 1
echo "power_cut_test: $runs run(s), $fails failure(s)"
exit $((fails > 0))
