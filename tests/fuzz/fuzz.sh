#!/bin/sh
# fuzz.sh smoke|long BUILD SECONDS TARGET... - run the libFuzzer targets.
#
#   smoke  for each target: replay tests/fuzz/regressions/TARGET/ (every input
#          once), then fuzz from a fresh copy of the seed corpus with -seed=1
#          for a fixed number of inputs (S_runs) or SECONDS, whichever ends
#          first; any crash, leak, timeout or out-of-memory fails. Used by
#          `make fuzz-smoke` (part of `make test`).
#   long   fuzz each target SECONDS, one after the other, from the corpus kept
#          in BUILD/corpus/TARGET (merged with the seeds); crashes go to
#          BUILD/crashes/, logs to BUILD/logs/. Used by `make fuzz`.
#
# Both print per target how long it ran, the runs, and libFuzzer's final
# coverage counters (cov: edges, ft: features). Runs under nice in one process
# (no -jobs, which would fork and write fuzz-N.log into the current directory),
# so other work on the machine keeps going. Run from the
# repository root. Exit status 86 from a target probed with CNRS_FUZZ_PROBE=1 means "not supported by this
# build" (fuzz_pdfxml before the PDF reader exists): reported and skipped.
mode=$1 build=$2 secs=$3
shift 3
[ -n "$mode" ] && [ -n "$build" ] && [ -n "$secs" ] && [ $# -gt 0 ] ||
    { echo "usage: fuzz.sh smoke|long BUILD SECONDS TARGET..." >&2; exit 2; }

mkdir -p "$build/logs" "$build/crashes"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
seeds=$tmp/seeds # private, so two runs at once do not race
sh tests/fuzz/corpus.sh "$seeds" > /dev/null || exit 1
fail=0 total=0

# Per-target input size cap and dictionary.
S_maxlen() {
    case $1 in
    rubric) echo 80000 ;;
    pdfxml) echo 32768 ;;
    classify) echo 4096 ;;
    *) echo 16384 ;;
    esac
}
S_dict() {
    case $1 in
    html) echo tests/fuzz/dict/html.dict ;;
    pdfxml) echo tests/fuzz/dict/pdfxml.dict ;;
    rubric | prefilter) echo tests/fuzz/dict/rubric.dict ;;
    *) echo tests/fuzz/dict/text.dict ;;
    esac
}
# Smoke runs stop after this many inputs (about 6 s each on the 2-core
# development machine) or at the time limit, whichever comes first: with
# -seed=1 the inputs are the same sequence everywhere, so a machine that
# passes runs a prefix of what was checked here, and CI does not turn red
# by luck.
S_runs() {
    case $1 in
    classify) echo 80000 ;;
    prefilter) echo 100000 ;;
    pdfxml) echo 12000 ;;
    html) echo 9000 ;;
    decode) echo 8000 ;;
    segment) echo 6000 ;;
    rubric) echo 2500 ;;
    *) echo 5000 ;;
    esac
}
# The last "cov: N ft: M" libFuzzer printed, and the run count.
S_stats() {
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$1" | tail -n 1)
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$1" | tail -n 1 | grep -o '[0-9]*$')
    echo "${runs:-?} runs, ${cov:-no coverage line}"
}

for t in "$@"; do
    bin=$build/fuzz_$t
    if [ ! -x "$bin" ]; then
        echo "fuzz: $bin missing (make fuzz-build)" >&2
        fail=1
        continue
    fi
    log=$build/logs/$t.$mode.log
    common="-timeout=10 -rss_limit_mb=2048 -max_len=$(S_maxlen "$t") -dict=$(S_dict "$t")"

    # Is the entry point there yet? (86 and "not supported": not in this build)
    CNRS_FUZZ_PROBE=1 "$bin" -runs=0 > "$log" 2>&1
    if [ $? = 86 ] && grep -q "not supported" "$log"; then
        echo "fuzz: $t: SKIPPED ($(grep -m1 'not supported' "$log"))"
        continue
    fi

    reg=tests/fuzz/regressions/$t
    # Pending: inputs that break a contract of a file this suite does not own,
    # until it is fixed. With CNRS_TEST_PENDING=1 only they are replayed, with
    # the strict checks (CNRS_FUZZ_STRICT=1), and each failure fails the run.
    pend=tests/fuzz/pending/$t
    if [ "${CNRS_TEST_PENDING:-0}" = 1 ]; then
        [ -d "$pend" ] || continue
        for p in "$pend"/*; do
            if CNRS_FUZZ_STRICT=1 "$bin" $common "$p" > "$log.pending" 2>&1; then
                echo "fuzz: $t: pending $p passes now: move it to $reg/"
            else
                echo "fuzz: $t: pending $p FAILS: $(grep -m1 -E 'invariant|misses|ERROR' "$log.pending" | sort | tail -n 1)" >&2
                fail=1
            fi
        done
        continue
    fi

    # Regressions: every input that ever crashed or hung, replayed once.
    if [ -d "$reg" ] && [ -n "$(ls "$reg")" ]; then
        if ! "$bin" $common "$reg"/* > "$log" 2>&1; then
            echo "fuzz: $t: a regression input fails again:" >&2
            grep -E 'ERROR|invariant|Running:|Test unit written' "$log" | tail -n 20 >&2
            fail=1
            continue
        fi
        echo "fuzz: $t: $(ls "$reg" | wc -l) regression inputs pass"
    fi

    if [ "$mode" = smoke ]; then
        work=$tmp/$t
        mkdir -p "$work"
        start=$(date +%s)
        nice -n 10 "$bin" $common -seed=1 -runs="$(S_runs "$t")" -max_total_time="$secs" \
            -print_final_stats=1 -artifact_prefix="$tmp/crash-$t-" "$work" "$seeds/$t" \
            > "$log" 2>&1
        st=$?
    else
        work=$build/corpus/$t
        mkdir -p "$work"
        start=$(date +%s)
        nice -n 10 "$bin" $common -max_total_time="$secs" \
            -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" "$work" "$seeds/$t" \
            > "$log" 2>&1
        st=$?
    fi
    end=$(date +%s)
    total=$((total + end - start))
    if [ $st != 0 ]; then
        echo "fuzz: $t: FAILED after $((end - start)) s (exit $st); log $log" >&2
        grep -E '^==[0-9]+==ERROR|SUMMARY|invariant violated|ALARM|out-of-memory|Test unit written|leak' \
            "$log" | head -n 20 >&2
        if [ "$mode" = smoke ]; then
            for c in "$tmp"/crash-"$t"-*; do
                [ -f "$c" ] || continue
                cp "$c" "$build/crashes/"
                echo "  input saved as $build/crashes/$(basename "$c"); minimise it with" >&2
                echo "  $bin -minimize_crash=1 -runs=10000 $build/crashes/$(basename "$c")" >&2
                echo "  and add it under tests/fuzz/regressions/$t/" >&2
            done
        fi
        fail=1
        continue
    fi
    echo "fuzz: $t: ok, $((end - start)) s, $(S_stats "$log")"
done
echo "fuzz ($mode): ${total} s fuzzing in all; $([ $fail = 0 ] && echo passed || echo FAILED)"
exit $fail
