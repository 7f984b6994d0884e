#!/usr/bin/env bash
# fuzz.sh: runs the libFuzzer harnesses of tests/fuzz (built in <host build>/fuzz/tests/fuzz).
#
#   fuzz.sh --test BIN_DIR TARGET RUNS
#       the CTest test of one harness: every input of its seed corpus (generated, in
#       BIN_DIR/seeds/TARGET) and of its in-tree corpus (tests/fuzz/corpus/TARGET: the inputs of
#       past findings), then RUNS mutations with -seed=1, so a failure repeats. New inputs go to
#       a scratch directory, never into either corpus. Runs without address randomisation,
#       so a run repeats exactly.
#   fuzz.sh --run BIN_DIR SECONDS WORK_DIR [TARGET...]
#       `make fuzz`: each harness (default all) for SECONDS, keeping its growing corpus in
#       WORK_DIR/corpus/TARGET between runs and any crashing input in WORK_DIR/findings; prints
#       executions, executions per second and coverage per harness, and fails on any finding.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TARGETS=(image boot otp sm_calls records its token p256_verify module_desc fwu frame update_proto
         chip_cert prov_proto its_owners pkg json lc_request)

die() { printf 'fuzz: %s\n' "$*" >&2; exit 2; }

corpora() { # the read-only corpus directories of a target
    local bin=$1 t=$2
    [ -d "$bin/seeds/$t" ] && printf '%s\n' "$bin/seeds/$t"
    [ -d "$here/corpus/$t" ] && printf '%s\n' "$here/corpus/$t"
    return 0
}

case "${1:-}" in
--test)
    [ $# = 4 ] || die "usage: fuzz.sh --test BIN_DIR TARGET RUNS"
    bin=$2 t=$3 runs=$4
    [ -x "$bin/fuzz_$t" ] || die "no harness $bin/fuzz_$t"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    mapfile -t dirs < <(corpora "$bin" "$t")
    # -runs counts every execution, the corpus included: add its size so RUNS are mutations.
    n=0
    for d in "${dirs[@]}"; do n=$((n + $(find "$d" -type f | wc -l))); done
    # Without address randomisation: libFuzzer learns from compared values, pointers among
    # them, so only then do two runs of the same seed mutate the same way.
    norand=()
    if setarch "$(uname -m)" -R true 2>/dev/null; then norand=(setarch "$(uname -m)" -R); fi
    exec "${norand[@]}" "$bin/fuzz_$t" -seed=1 -runs=$((runs + n)) -artifact_prefix="$work/" -print_final_stats=1 \
        "$work" "${dirs[@]}"
    ;;
--run)
    [ $# -ge 4 ] || die "usage: fuzz.sh --run BIN_DIR SECONDS WORK_DIR [TARGET...]"
    bin=$2 secs=$3 work=$4
    shift 4
    [ $# -gt 0 ] && TARGETS=("$@")
    mkdir -p "$work/findings" "$work/logs"
    status=0
    summary=()
    for t in "${TARGETS[@]}"; do
        [ -x "$bin/fuzz_$t" ] || die "no harness $bin/fuzz_$t (run make first)"
        mkdir -p "$work/corpus/$t"
        mapfile -t dirs < <(corpora "$bin" "$t")
        log="$work/logs/$t.log"
        echo "fuzz: $t for ${secs}s (log $log)"
        if ! "$bin/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 -timeout=30 \
            -artifact_prefix="$work/findings/$t-" "$work/corpus/$t" "${dirs[@]}" >"$log" 2>&1; then
            status=1
            echo "fuzz: $t: FINDING, see $log and $work/findings/"
        fi
        # libFuzzer's last status line (cov, ft, corpus) and its final stats.
        last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
        cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
        ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        summary+=("$(printf '%-10s %6ss %12s %8s %6s %6s' "$t" "$secs" "${execs:-?}" "${rate:-?}" \
            "${cov:-?}" "${ft:-?}")")
    done
    printf '%-10s %7s %12s %8s %6s %6s\n' target time execs exec/s cov ft
    printf '%s\n' "${summary[@]}"
    exit $status
    ;;
*)
    die "usage: fuzz.sh --test BIN_DIR TARGET RUNS | --run BIN_DIR SECONDS WORK_DIR [TARGET...]"
    ;;
esac
