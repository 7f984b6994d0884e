#!/usr/bin/env bash
# smak_out_of_tree_test.sh SRC SMAK SM.bin RUN_IMAGE_TEST...: copies ns/examples/hello out of
# the tree, builds it with its own Makefile against the SMAK package alone, and boots it
# through the whole chain on the SM image SM.bin.
set -euo pipefail
src=$1
smak=$2
sm=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$src/ns/examples/hello" "$tmp/hello"
make -s -C "$tmp/hello" SMAK="$smak"
"$@" --chain "$sm" "$tmp/hello/hello.bin" \
    --expect "hello from an out-of-tree NS application: FF-M 1.1" \
    --expect "hello: psa_version\(0x1234\) = 0" \
    --expect "hello: SHA-256\(\"abc\"\) = ba7816bf... \(32 bytes, status 0\)"
