#!/bin/sh
# crypto_diff.sh SERVICE_BIN DIRECT_BIN SEED COUNT: runs the same seeded sequences of PSA Crypto
# calls (crypto_diff.c) through the crypto service and against Mbed TLS directly, and fails,
# showing the first differences, unless the two transcripts are identical.
set -u
service=$1 direct=$2 seed=$3 count=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/dev" "$tmp/direct"
"$service" "$seed" "$count" "$tmp/dev" >"$tmp/service.out" 2>"$tmp/service.err" || {
    echo "crypto_diff: the service run failed"; cat "$tmp/service.err"; exit 1; }
"$direct" "$seed" "$count" "$tmp/direct" >"$tmp/direct.out" 2>"$tmp/direct.err" || {
    echo "crypto_diff: the direct run failed"; cat "$tmp/direct.err"; exit 1; }
grep -E '^[0-9]+\.[0-9]+ ' "$tmp/service.out" >"$tmp/s"
grep -E '^[0-9]+\.[0-9]+ ' "$tmp/direct.out" >"$tmp/d"
calls=$(wc -l <"$tmp/d")
errors=$(grep -cv ' 0\( \|$\)' "$tmp/d")
if ! cmp -s "$tmp/s" "$tmp/d"; then
    echo "crypto_diff: seed $seed: the service and Mbed TLS differ (service <, Mbed TLS >):"
    diff "$tmp/s" "$tmp/d" | head -40
    exit 1
fi
echo "crypto_diff: seed $seed, $count sequences: $calls calls ($errors failing on purpose), identical"
