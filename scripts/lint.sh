#!/usr/bin/env bash
# lint.sh [--fix]: clang-format (check, or rewrite with --fix) and cppcheck on our C sources.
# Third-party trees under build/ are never touched. Exit status 1 on any finding.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find . -path ./build -prune -o -name '*.[ch]' -print)
[ ${#files[@]} -gt 0 ] || { echo "lint: no sources"; exit 0; }
status=0
if [ "${1:-}" = "--fix" ]; then
    clang-format -i "${files[@]}"
else
    if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/lint-format.$$; then
        head -n 40 /tmp/lint-format.$$
        echo "lint: clang-format differences (run make format)"
        status=1
    fi
    rm -f /tmp/lint-format.$$
fi
# cppcheck: real findings only (style checks that fight the code base's conventions are off).
# __CPPCHECK__: headers hide from it what it cannot parse (plat_console.h's _Generic macros); with
# a -D it would check that configuration only, so --force keeps every configuration checked.
if ! cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability,performance \
    --inline-suppr --suppress=missingIncludeSystem -D__CPPCHECK__ --force \
    -I platform/include -I platform/common -I platform/an505/include \
    "${files[@]}"; then
    echo "lint: cppcheck findings"
    status=1
fi
[ $status = 0 ] && echo "lint: clean"
exit $status
