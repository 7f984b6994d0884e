# tests/lib.sh: the set-up and checks the test scripts share (sourced, never run). A script
# sources it first:
#     . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# and gets $tmp, a fresh directory removed at exit (after the commands of the array on_exit,
# e.g. on_exit+=("kill $pid")), fails=0, and:
#   ok WHAT / bad WHAT / fail WHAT...       report a check; bad and fail count a failure
#   check WHAT COMMAND...                   COMMAND must succeed (its output in $tmp/out and
#                                           $tmp/err, stderr shown when it fails)
#   expect LOG REGEX WHAT                   a line of the file LOG matches REGEX (grep -E)
#   expect_fail WHAT STATUS PATTERN COMMAND...  COMMAND exits STATUS with PATTERN on stderr
#   region_offset NAME / region_size NAME   a flash region's offset / size in bytes, from
#                                           `$smtool regions` (the script sets $smtool)
#   sign_image KEY IN OUT VERSION COUNTER SLOT [smtool sign options...]
#                                           IN signed with KEY (a .pem path) for SLOT's size,
#                                           with the 0x400-byte header the stages expect
#   test_env BUILD                          the board tests' names: smtool, smrun, fw (BUILD's
#                                           tools and firmware), dev and keys (in $tmp; keys
#                                           made)
#   keygen NAME...                          a fresh P-256 key $keys/NAME.pem for each NAME
#   finish NAME                             "NAME: all checks passed" or "NAME: N failed",
#                                           then exits 0 or 1
# Why one file: every script had its own copy of these, with small drifts in what a failure
# printed; the checks are the same, so are their messages now.

sm_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
on_exit=()
sm_lib_exit() {
    local c
    for c in "${on_exit[@]}"; do eval "$c" 2>/dev/null; done
    rm -rf "$tmp"
}
trap sm_lib_exit EXIT
fails=0

ok() { echo "ok   $1"; }
bad() {
    echo "FAIL $1"
    fails=$((fails + 1))
}
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

check() {
    local what=$1
    shift
    if "$@" >"$tmp/out" 2>"$tmp/err"; then
        ok "$what"
    else
        bad "$what: $(cat "$tmp/err")"
    fi
}

expect() {
    if grep -Eq -- "$2" "$1"; then ok "$3"; else bad "$3 (no /$2/)"; fi
}

expect_fail() {
    local what=$1 status=$2 pattern=$3
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc = "$status" ] && grep -q -- "$pattern" "$tmp/err"; then
        ok "$what"
    else
        bad "$what (exit $rc, stderr: $(cat "$tmp/err"))"
    fi
}

region_offset() {
    local hex
    hex=$("$smtool" regions | awk -v n="$1" '$1 == n { print $2 }')
    echo $((hex))
}
region_size() { "$smtool" regions | awk -v n="$1" '$1 == n { print $3 * 1024 }'; }

sign_image() {
    local key=$1 in=$2 out=$3 ver=$4 cnt=$5 slot=$6
    shift 6
    "$smtool" sign -k "$key" -v "$ver" -s "$cnt" -H 0x400 --pad-header -S "$(region_size "$slot")" \
        "$@" "$in" "$out" >/dev/null || exit 1
}

finish() {
    if [ $fails = 0 ]; then echo "$1: all checks passed"; else echo "$1: $fails failed"; fi
    exit $((fails != 0))
}

test_env() {
    build=$1
    smtool="$build/host/tools/smtool/smtool"
    smrun="$sm_lib_dir/../tools/smrun"
    fw="$build/fw"
    dev="$tmp/dev"
    keys="$tmp/keys"
    mkdir -p "$keys"
}

keygen() {
    local k
    for k in "$@"; do "$smtool" keygen -k "$keys/$k.pem" >/dev/null || exit 1; done
}
