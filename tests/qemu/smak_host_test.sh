#!/usr/bin/env bash
# smak_host_test.sh BUILD: one NS application's source, built with the SMAK only, for the board
# and for Linux, gives the same output (CTest tool.smak_host; ns/kit/README.md).
#  - ns/examples/hello built for the board (its Makefile, the SMAK in BUILD/smak) and booted on
#    the emulated board as the NS application of a device made by make-device.sh;
#  - the same source built for Linux (TARGET=host, BUILD/smak/host) and run over a device
#    made the same way (SM_DEVICE);
#  - and built through an installed kit (install.sh, pkg-config smak-host);
# every line the application prints ("hello...") must be the same in the three runs. A run
# with no device must stop with a message naming it.
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "smak_host_test: $*"; exit 1; }
cp -R "$here/ns/examples/hello" "$tmp/src"
make -s -C "$tmp/src" SMAK="$build/smak" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "board build failed"; }
make -s -C "$tmp/src" SMAK="$build/smak" TARGET=host >"$tmp/make.log" 2>&1 ||
    { cat "$tmp/make.log"; fail "host build failed"; }
SM_KEYS="$tmp/keys" "$here/scripts/make-device.sh" "$build" "$tmp/board" "$tmp/src/hello.bin" \
    >/dev/null || fail "make-device failed"
SM_KEYS="$tmp/keys" "$here/scripts/make-device.sh" "$build" "$tmp/pc" >/dev/null ||
    fail "make-device failed"
"$here/tools/smrun" --timeout 60 "$tmp/board" </dev/null >"$tmp/board.log" 2>&1 ||
    { cat "$tmp/board.log"; fail "the board run failed"; }
SM_DEVICE="$tmp/pc" "$tmp/src/hello" >"$tmp/pc.log" 2>&1 || { cat "$tmp/pc.log"; fail "the Linux run failed"; }
# Through an installed kit and pkg-config.
"$here/scripts/install.sh" "$build" "$tmp/prefix" >/dev/null || fail "install failed"
for f in bin/smtool bin/smrun share/smak/lib/libsmak.a share/smak/ld/ns.ld \
    share/smak/host/lib/libsmak_host.a share/smak/host/include/psa/crypto.h; do
    [ -e "$tmp/prefix/$f" ] || fail "install: no $f"
done
flags=$(PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --cflags --libs smak-host) ||
    fail "pkg-config smak-host failed"
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra -Werror "$tmp/src/main.c" $flags -o "$tmp/hello-pc" ||
    fail "build with pkg-config failed"
SM_DEVICE="$tmp/pc" "$tmp/hello-pc" >"$tmp/pc2.log" 2>&1 || { cat "$tmp/pc2.log"; fail "the installed-kit run failed"; }
grep -a '^hello' "$tmp/board.log" | tr -d '\r' >"$tmp/board.out"
grep -a '^hello' "$tmp/pc.log" >"$tmp/pc.out"
grep -a '^hello' "$tmp/pc2.log" >"$tmp/pc2.out"
[ -s "$tmp/board.out" ] || { cat "$tmp/board.log"; fail "the board run printed nothing of hello"; }
cmp -s "$tmp/board.out" "$tmp/pc.out" || { diff "$tmp/board.out" "$tmp/pc.out"; fail "board and Linux differ"; }
cmp -s "$tmp/pc.out" "$tmp/pc2.out" || fail "the installed kit's build differs"
# No device: a clear message, exit status 2, before main.
SM_DEVICE="$tmp/none" "$tmp/src/hello" >"$tmp/none.log" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "no device at $tmp/none" "$tmp/none.log" || { cat "$tmp/none.log"; fail "no device: status $rc"; }
! grep -q '^hello' "$tmp/none.log" || fail "main ran without a device"
echo "smak_host_test: $(wc -l <"$tmp/board.out") lines, the same on the board, on Linux and through the installed kit"
