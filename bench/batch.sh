#!/bin/sh
# bench/batch.sh CNRS GENCORPUS SEEDS - `make bench-batch`: batch throughput.
# Generates (once) a deterministic corpus of N text reports recombined from
# corpora/ and the seeds (tools/gencorpus.c) in build/bench-batch/: N=10000
# reports of 100-300 KB of text, what a report of some 50-100 pages holds,
# unless BENCH_BATCH_N, BENCH_BATCH_MIN_KB, BENCH_BATCH_MAX_KB say otherwise.
# Then it scores the corpus into a fresh database with --jobs 1 and
# --jobs 2, alternately, BENCH_BATCH_ROUNDS times (default 2), and prints the
# best wall time of each (other load on the machine only ever slows a run
# down), reports/s, the speed-up, the share of wall time the writer spent in
# the database, and CPU time. Everything lives under build/ (never
# committed); results also go to build/bench-batch/results.json.
set -eu
CNRS=$1 GEN=$2 SEEDS=$3
N=${BENCH_BATCH_N:-10000}
MIN=${BENCH_BATCH_MIN_KB:-100}
MAX=${BENCH_BATCH_MAX_KB:-300}
ROUNDS=${BENCH_BATCH_ROUNDS:-2}
DIR=build/bench-batch
CORPUS=$DIR/corpus-$N-$MIN-$MAX
mkdir -p "$DIR"
if [ ! -f "$CORPUS/.done" ]; then
    rm -rf "$CORPUS"; mkdir -p "$CORPUS"
    echo "generating $N reports of $MIN-$MAX KB in $CORPUS ..."
    # Ask for 10% more than N reports' worth of text, then keep the first N.
    "$GEN" "$CORPUS" $((N * (MIN + MAX) / 2 * 11 / 10)) "$MIN" "$MAX" 4 corpora/*.txt "$SEEDS"/*.txt
    have=$(ls "$CORPUS" | wc -l)
    if [ "$have" -lt "$N" ]; then echo "bench-batch: only $have reports generated" >&2; exit 1; fi
    ls "$CORPUS" | sort | tail -n +$((N + 1)) | (cd "$CORPUS" && xargs rm -f)
    touch "$CORPUS/.done"
fi
bytes=$(find "$CORPUS" -name '*.txt' -exec cat {} + | wc -c)
cores=$(nproc)

# The summary's last line:
#   2 jobs, 24.24 s, 412.6 reports/s; database writes 4.20 s (17% of wall time); CPU 25.04 s, of which the writer 2.81 s
# -> "wall rate dbwrite cpu writercpu"
summary() {
    echo "$1" | awk '/reports\/s;/ {
        gsub(/[,;()%]/, " ")
        for (i = 1; i <= NF; i++) {
            if ($(i + 1) == "s" && !wall) wall = $i
            if ($(i + 1) == "reports/s") rate = $i
            if ($i == "writes") db = $(i + 1)
            if ($i == "CPU") cpu = $(i + 1)
            if ($i == "writer") wcpu = $(i + 1)
        }
        print wall, rate, db, cpu, wcpu }'
}
best1="" best2=""
r=1
while [ $r -le "$ROUNDS" ]; do
    for j in 1 2; do
        rm -f "$DIR/j$j.db" "$DIR/j$j.db-wal" "$DIR/j$j.db-shm"
        out=$("$CNRS" batch --jobs $j --db "$DIR/j$j.db" "$CORPUS")
        line=$(summary "$out")
        echo "round $r, --jobs $j: $(echo "$out" | tail -1 | sed 's/^ *//')"
        eval "cur=\$best$j"
        if [ -z "$cur" ] || [ "$(echo "$line $cur" | awk '{ print ($1 < $6) }')" = 1 ]; then
            eval "best$j=\"\$line\""
        fi
    done
    r=$((r + 1))
done
set -- $best1; w1=$1 r1=$2 d1=$3 c1=$4 k1=$5
set -- $best2; w2=$1 r2=$2 d2=$3 c2=$4 k2=$5
pct() { echo "$1 $2" | awk '{ printf "%.1f", 100 * $1 / $2 }'; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
dbmb=$(du -m "$DIR/j2.db" | cut -f1)
echo
printf '%-52s %14s\n' "measure (cores: $cores, $N reports, $((bytes / 1000000)) MB, best of $ROUNDS)" value
printf '%-52s %14s\n' "--jobs 1: wall s / reports/s" "$w1 / $r1"
printf '%-52s %14s\n' "--jobs 2: wall s / reports/s" "$w2 / $r2"
printf '%-52s %14s\n' "speed-up --jobs 2 / --jobs 1" "$(ratio "$w1" "$w2")"
printf '%-52s %14s\n' "writer in the database, % of wall (jobs 1)" "$(pct "$d1" "$w1")"
printf '%-52s %14s\n' "writer in the database, % of wall (jobs 2)" "$(pct "$d2" "$w2")"
printf '%-52s %14s\n' "CPU s, all threads (jobs 1 / jobs 2)" "$c1 / $c2"
printf '%-52s %14s\n' "writer thread CPU s (jobs 1 / jobs 2)" "$k1 / $k2"
printf '%-52s %14s\n' "database size (MB)" "$dbmb"
cat > "$DIR/results.json" <<JSON
{"cores": $cores, "reports": $N, "bytes": $bytes, "rounds": $ROUNDS,
 "jobs1": {"wall_s": $w1, "reports_s": $r1, "db_write_s": $d1, "cpu_s": $c1, "writer_cpu_s": $k1},
 "jobs2": {"wall_s": $w2, "reports_s": $r2, "db_write_s": $d2, "cpu_s": $c2, "writer_cpu_s": $k2},
 "db_mb": $dbmb}
JSON
echo "wrote $DIR/results.json"
