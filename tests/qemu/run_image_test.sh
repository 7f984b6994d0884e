#!/usr/bin/env bash
# run_image_test.sh: boot images on a fresh emulated device and check what happens.
#
# usage: run_image_test.sh --tools HOST_TOOLS_DIR --program SLOT FILE [--program SLOT FILE]...
#          [--expect REGEX]... [--once REGEX]... [--reject REGEX]... [--status N] [--boots N]
#          [--timeout S] [--max-boots N] [--gdb] [--icount] [--icount-shift K]
#          [--absent FILE]... [--same OFFSET SIZE]...
#        run_image_test.sh --tools HOST_TOOLS_DIR --chain SM.bin NS.bin [...]
# --chain makes the device as `make run` does (scripts/make-device.sh: signed uRoT, the given
# SM image and NS application, keys of its own) instead of programming raw images.
# --icount runs the guest with deterministic time (one instruction a nanosecond); --icount-shift K
# with 2^K ns an instruction, so timers fire after fewer instructions: interrupts land
# elsewhere in the code (a way to look for races on purpose).
# Passes when smrun exits with --status (default 0), the console output (with smrun's own
# messages) matches every --expect, each --once on exactly one line, and no --reject, and, with --boots, the run took exactly
# that many boots, no FILE (relative to the device directory) exists afterwards, and each
# --same range of flash.img is as it was before the run.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
smrun="$here/../../tools/smrun"
programs=()
chain=()
expects=()
onces=()
rejects=()
status=0
boots=""
run_opts=()
qemu_args=()
absent=()
same=()
while [ $# -gt 0 ]; do
    case "$1" in
        --tools) smtool="$2/tools/smtool/smtool"; shift 2 ;;
        --program) programs+=("$2" "$3"); shift 3 ;;
        --chain) chain=("$2" "$3"); shift 3 ;;
        --expect) expects+=("$2"); shift 2 ;;
        --once) onces+=("$2"); shift 2 ;;
        --reject) rejects+=("$2"); shift 2 ;;
        --status) status=$2; shift 2 ;;
        --boots) boots=$2; shift 2 ;;
        --timeout) run_opts+=(--timeout "$2"); shift 2 ;;
        --max-boots) run_opts+=(--max-boots "$2"); shift 2 ;;
        --gdb) run_opts+=(--gdb); shift ;;
        --icount) run_opts+=(--icount); shift ;;
        --icount-shift) qemu_args+=(-icount "shift=$2"); shift 2 ;;
        --absent) absent+=("$2"); shift 2 ;;
        --same) same+=("$2" "$3"); shift 3 ;;
        *) echo "run_image_test: unknown argument $1" >&2; exit 2 ;;
    esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ${#chain[@]} -gt 0 ]; then
    build=$(cd "$(dirname "$smtool")/../../.." && pwd)
    SM_KEYS="$tmp/keys" SM_IMAGE="${chain[0]}" "$here/../../scripts/make-device.sh" "$build" \
        "$tmp/dev" "${chain[1]}" || exit 1
else
    "$smtool" provision -d "$tmp/dev" >/dev/null || exit 1
fi
for ((i = 0; i < ${#programs[@]}; i += 2)); do
    "$smtool" program -d "$tmp/dev" --slot "${programs[i]}" "${programs[i + 1]}" >/dev/null || exit 1
done
region() { od -An -tx1 -v -j "$(($1))" -N "$(($2))" "$tmp/dev/flash.img" | tr -d ' \n'; }
before=()
for ((i = 0; i < ${#same[@]}; i += 2)); do before+=("$(region "${same[i]}" "${same[i + 1]}")"); done
"$smrun" "${run_opts[@]}" "$tmp/dev" -- "${qemu_args[@]}" </dev/null >"$tmp/log" 2>&1
rc=$?
cat "$tmp/log"
fail=0
if [ "$rc" != "$status" ]; then
    echo "run_image_test: smrun exited $rc, expected $status"
    fail=1
fi
for re in "${expects[@]}"; do
    grep -Eq -- "$re" "$tmp/log" || { echo "run_image_test: missing output /$re/"; fail=1; }
done
for re in "${onces[@]}"; do
    n=$(grep -Ec -- "$re" "$tmp/log")
    [ "$n" = 1 ] || { echo "run_image_test: /$re/ on $n lines, not one"; fail=1; }
done
for re in "${rejects[@]}"; do
    ! grep -Eq -- "$re" "$tmp/log" || { echo "run_image_test: unexpected output /$re/"; fail=1; }
done
for f in "${absent[@]}"; do
    [ ! -e "$tmp/dev/$f" ] || { echo "run_image_test: $f exists on the host"; fail=1; }
done
for ((i = 0; i < ${#same[@]}; i += 2)); do
    [ "$(region "${same[i]}" "${same[i + 1]}")" = "${before[i / 2]}" ] ||
        { echo "run_image_test: flash.img changed at ${same[i]} (${same[i + 1]} bytes)"; fail=1; }
done
[ "$(stat -c %s "$tmp/dev/flash.img")" = $((0x400000)) ] ||
    { echo "run_image_test: flash.img is no longer 4 MiB"; fail=1; }
if [ -n "$boots" ]; then
    n=$(($(grep -c "power cycle, boot" "$tmp/log") + 1))
    [ "$n" = "$boots" ] || { echo "run_image_test: $n boots, expected $boots"; fail=1; }
fi
exit $fail
