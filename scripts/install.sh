#!/bin/sh
# install.sh BUILD PREFIX: installs what `make` built (make install PREFIX=...):
#   PREFIX/bin/smtool, PREFIX/bin/smrun       the tools
#   PREFIX/share/smak/                        the SMAK for the board (include, lib, ld, README)
#   PREFIX/share/smak/host/                   the SMAK for Linux (include, lib/libsmak_host.a)
#   PREFIX/lib/pkgconfig/smak-host.pc         names it: cc app.c $(pkg-config --cflags --libs smak-host)
#   PREFIX/share/smdk/                        the SMDK, for secure modules (modules/kit/README.md)
set -eu
build=$1
prefix=$2
here=$(cd "$(dirname "$0")/.." && pwd)
for f in "$build/host/tools/smtool/smtool" "$build/smak/lib/libsmak.a" \
    "$build/smak/host/lib/libsmak_host.a"; do
    [ -f "$f" ] || { echo "install: $f is missing: run make first" >&2; exit 1; }
done
mkdir -p "$prefix/bin" "$prefix/share" "$prefix/lib/pkgconfig"
install -m 755 "$build/host/tools/smtool/smtool" "$here/tools/smrun" "$prefix/bin/"
rm -rf "$prefix/share/smak"
cp -R "$build/smak" "$prefix/share/smak"
rm -rf "$prefix/share/smak/host/lib/pkgconfig"
# The kit's own .pc finds it relative to itself; the installed one names the prefix.
sed "s|^prefix=.*|prefix=$prefix/share/smak/host|" \
    "$build/smak/host/lib/pkgconfig/smak-host.pc" >"$prefix/lib/pkgconfig/smak-host.pc"
smdk=""
if [ -d "$build/smdk" ]; then
    rm -rf "$prefix/share/smdk"
    cp -R "$build/smdk" "$prefix/share/smdk"
    smdk=", share/smdk"
fi
echo "installed in $prefix: bin/smtool, bin/smrun, share/smak (board and host)$smdk, lib/pkgconfig/smak-host.pc"
