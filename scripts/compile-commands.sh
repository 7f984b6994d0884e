#!/usr/bin/env bash
# compile-commands.sh BUILD_DIR...: merge the compile_commands.json of each build into one
# array on stdout, for editors (clangd) at the top of the tree.
set -euo pipefail
first=1
echo "["
for dir in "$@"; do
    f="$dir/compile_commands.json"
    [ -f "$f" ] || continue
    # Each file is "[", entries, "]": keep the entries, join with commas.
    body=$(sed '1d;$d' "$f")
    [ -n "$body" ] || continue
    [ $first = 1 ] || echo ","
    printf '%s\n' "$body"
    first=0
done
echo "]"
