#!/bin/sh
# pack_host.sh OUT.a WHOLE.a... -- LIB.a...: the SMAK for Linux as one archive of one object.
# The WHOLE archives (the kit's Linux side, the SM with the product's partitions) go in whole,
# the LIBs (what they stand on: the host platform, the boot core, Mbed TLS) only for what they
# use; then every global symbol but the application's API (psa_*, smak_*, and sm_trace,
# sm_reply_wait and sm_reply_get for a secure module compiled in: modules/kit/smdk_host.h) is
# made local. So the package meets nothing of the program it is linked into: the services' own Mbed TLS and
# the host's are not visible, and an application may bring its own libraries.
set -eu
out=$1
shift
whole=""
while [ "$1" != "--" ]; do whole="$whole $1"; shift; done
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
ld -r -o "$tmp/all.o" --whole-archive $whole --no-whole-archive "$@"
nm -g --defined-only "$tmp/all.o" | awk '{ print $3 }' | grep -E '^(psa_|smak_|sm_trace$|sm_reply_wait$|sm_reply_get$)' >"$tmp/api"
objcopy --keep-global-symbols="$tmp/api" "$tmp/all.o" "$tmp/smak_host.o"
rm -f "$out"
ar rcs "$out" "$tmp/smak_host.o"
