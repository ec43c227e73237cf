#!/bin/sh
# valgrind.sh CNRS RUBRIC SEEDS - memcheck over the CLI paths: score (text and
# JSON) of the corpora and seeds, classify, eval, rubric check, and the database
# commands (batch, rank --db, show, history, review, export, merge, report).
# Any error or leak fails.
CNRS=$1 RUBRIC=$2 SEEDS=$3
# The team's sample reports at the top of corpora/ (not corpora/real/: real
# reports under memcheck would take far too long; `make eval` measures them).
TEAM=$(ls corpora/*.txt corpora/*.html corpora/*.pdf 2>/dev/null | tr '\n' ' ')
# PCRE2's JIT reads aligned blocks past the subject in SIMD code, which
# memcheck reports as uninitialised reads; valgrind checks the interpreter.
export CNRS_NO_JIT=1
VG="valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"
fail=0
run() {
    $VG "$@" > /dev/null 2> /tmp/cnrs-vg.$$
    st=$?
    if [ $st = 99 ]; then echo "valgrind: errors in: $*" >&2; cat /tmp/cnrs-vg.$$ >&2; fail=1; fi
    rm -f /tmp/cnrs-vg.$$
}
run "$CNRS" score --format json --rubric "$RUBRIC" $TEAM "$SEEDS"/*.txt
run "$CNRS" score --rubric "$RUBRIC" "$SEEDS/001_90c452405eb75d1a.txt" /nonexistent.txt
run "$CNRS" rank $TEAM
run "$CNRS" rubric check "$RUBRIC"
printf '公司力争于2028年前实现碳达峰。\nWe emitted 3.71 Mt CO2e.\n' > /tmp/cnrs-vg-in.$$
run sh -c "exec $VG \"$CNRS\" classify < /tmp/cnrs-vg-in.$$"
rm -f /tmp/cnrs-vg-in.$$
run "$CNRS" eval --jobs 2 --json /tmp/cnrs-vg-eval.$$ --floors tests/fixtures/eval/floors tests/fixtures/eval
rm -f /tmp/cnrs-vg-eval.$$
# The database commands: batch (workers, writer, a bad manifest row), rank,
# show, history, review, export, merge.
vgdb=$(mktemp -d)
printf 'path,company,code,year,industry,size\ncorpora/600977_skyline-data-demo_2023_en.txt,Sky,600977,2023,data,large\nmissing.txt,X,1,2023,,\n' > "$vgdb/m.csv"
run "$CNRS" batch --quiet --jobs 2 --rubric "$RUBRIC" --db "$vgdb/a.db" --manifest "$vgdb/m.csv" $TEAM
run "$CNRS" batch --jobs 2 --rubric "$RUBRIC" --db "$vgdb/a.db" $TEAM
run "$CNRS" rank --db "$vgdb/a.db" --track stage,industry,size --format json
run "$CNRS" show --db "$vgdb/a.db" --format json 600977
run "$CNRS" show --db "$vgdb/a.db" huacheng
run "$CNRS" review --db "$vgdb/a.db" --company 600977 --year 2023 --indicator C6 --pct 90 --reason vg
run "$CNRS" history --db "$vgdb/a.db" 600977
run "$CNRS" export --db "$vgdb/a.db" --format jsonl --what evidence
run "$CNRS" batch --quiet --shard 1/2 --rubric "$RUBRIC" --db "$vgdb/s.db" $TEAM
run "$CNRS" merge "$vgdb/m.db" "$vgdb/s.db" "$vgdb/a.db"
run "$CNRS" report --db "$vgdb/a.db" --out "$vgdb/site" --rubric "$RUBRIC"
run "$CNRS" report --db "$vgdb/a.db" --out "$vgdb/site-en" --lang en --year 2023
rm -rf "$vgdb"
if [ $fail = 0 ]; then echo "valgrind: 18 passed, 0 failed"; else echo "valgrind: failures above"; fi
exit $fail
