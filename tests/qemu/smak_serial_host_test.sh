#!/usr/bin/env bash
# smak_serial_host_test.sh BUILD: the SMAK's serial line on Linux (ns/kit/smak_host.c): a
# program built against build/smak/host (serial_echo.c) reads raw bytes from standard input,
# none of them translated (0x00, newline, carriage return, 0xFF), and its raw output keeps its
# place after smak_printf's text (CTest tool.smak_serial_host).
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "smak_serial_host_test: $*"; exit 1; }
cc -std=c11 -Wall -Wextra -Werror -I"$build/smak/host/include" "$here/tests/qemu/serial_echo.c" \
    "$build/smak/host/lib/libsmak_host.a" -o "$tmp/echo" || fail "build failed"
SM_KEYS="$tmp/keys" "$here/scripts/make-device.sh" "$build" "$tmp/pc" >/dev/null ||
    fail "make-device failed"
printf '\006\000\n\r\377AZ' | SM_DEVICE="$tmp/pc" "$tmp/echo" >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "the run failed"; }
printf 'serial_echo: ready\n\125\137\130\252\024\017\nserial_echo: 6 bytes\n' >"$tmp/want"
cmp "$tmp/out" "$tmp/want" || { od -c "$tmp/out"; fail "not the bytes expected"; }
echo "smak_serial_host_test: 6 raw bytes through the host SMAK's serial line"
