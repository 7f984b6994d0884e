#!/usr/bin/env bash
# bad_mmio_test.sh SRC FW_BUILD HOST_BUILD: an SM image whose partition TEST_BAD_MMIO names
# TIMER1, the SM's own platform clock, among its peripherals: the SM refuses to start, naming
# the partition and the address, and the NS application never runs.
set -uo pipefail
src=$1 fw=$2 host=$3
build=$(cd "$host/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SM_IMAGE="$fw/core/sm_bad_mmio.bin" "$src/scripts/make-device.sh" "$build" "$tmp/dev" \
    >/dev/null || exit 1
"$src/tools/smrun" --timeout 60 --max-boots 1 "$tmp/dev" </dev/null 2>&1 | tr -d '\r' >"$tmp/out"
cat "$tmp/out"
fails=0
grep -q "SM: FATAL: partition TEST_BAD_MMIO: declares MMIO this board cannot give it (50001000)" \
    "$tmp/out" && echo "ok   the SM refuses a partition naming its own clock (TIMER1)" ||
    { echo "FAIL no refusal"; fails=1; }
! grep -q "SM: starting the non-secure application" "$tmp/out" &&
    echo "ok   the NS application never starts" || { echo "FAIL NS started"; fails=1; }
exit $fails
