#!/bin/sh
# bench/run.sh CNRS GENCORPUS SEEDS - `make bench`: build the generated corpus
# (deterministic, >= 200 MB of 50 KB - 1 MB reports recombined from corpora/
# and the seeds), then measure the pipeline and print a table, also written
# to bench/results.json. Ratios matter more than absolute figures.
set -eu
CNRS=$1 GEN=$2 SEEDS=$3
DIR=bench/corpus
MB=${BENCH_MB:-210}
if [ ! -f "$DIR/.done-$MB" ]; then
    rm -rf "$DIR"; mkdir -p "$DIR"
    echo "generating a ${MB} MB corpus in $DIR ..."
    "$GEN" "$DIR" $((MB * 1024)) 50 1024 1 corpora/*.txt "$SEEDS"/*.txt
    touch "$DIR/.done-$MB"
fi
mkdir -p build/bench
ONE=build/bench/one-300k
rm -rf "$ONE"; mkdir -p "$ONE"
"$GEN" "$ONE" 300 300 300 7 corpora/*.txt "$SEEDS"/*.txt
SAMPLE=build/bench/sample
if [ ! -d "$SAMPLE" ]; then
    mkdir -p "$SAMPLE"
    "$GEN" "$SAMPLE" $((8 * 1024)) 50 1024 3 corpora/*.txt "$SEEDS"/*.txt
fi

field() { # field NAME LINE
    echo "$2" | tr ' ' '\n' | awk -v k="$1" 'f { print; exit } $0 == k { f = 1 }'
}
# The machine is shared (a virtual machine: other guests take cycles), so
# the measures are taken ROUNDS times, alternately, and each keeps its
# fastest: the same rule for the pipeline, ripgrep and the 300 KB report.
ROUNDS=${BENCH_ROUNDS:-3}
faster() { # faster LINE1 LINE2: the one with the higher mb_per_s
    if [ -z "$1" ]; then echo "$2"; return; fi
    a=$(field mb_per_s "$1"); b=$(field mb_per_s "$2")
    if echo "$a $b" | awk '{ if ($2 > $1) exit 0; exit 1 }'; then echo "$2"; else echo "$1"; fi
}
quicker() { # quicker LINE1 LINE2: the one with the lower median_ms
    if [ -z "$1" ]; then echo "$2"; return; fi
    a=$(field median_ms "$1"); b=$(field median_ms "$2")
    if echo "$a $b" | awk '{ if ($2 < $1) exit 0; exit 1 }'; then echo "$2"; else echo "$1"; fi
}
cores=$(nproc)
"$CNRS" rubric cues > build/bench/cues.txt
j1= j2= lat= rg_mbs=0 r=0
while [ "$r" -lt "$ROUNDS" ]; do
    j1=$(faster "$j1" "$("$CNRS" bench --jobs 1 "$DIR")")
    j2=$(faster "$j2" "$("$CNRS" bench --jobs 2 "$DIR")")
    lat=$(quicker "$lat" "$("$CNRS" bench --repeat 21 "$ONE")")
    if command -v rg >/dev/null 2>&1; then
        # one thread, like --jobs 1 (ripgrep's default uses every core)
        t0=$(date +%s.%N)
        rg -j1 -c -F -i -f build/bench/cues.txt "$DIR" > /dev/null || true
        t1=$(date +%s.%N)
        rg_mbs=$(echo "$(field bytes "$j1") $t0 $t1 $rg_mbs" |
            awk '{ v = $1 / 1e6 / ($3 - $2); printf "%.2f", (v > $4 ? v : $4) }')
    fi
    r=$((r + 1))
done
naive=$("$CNRS" bench --naive --jobs 1 "$SAMPLE")
fast=$("$CNRS" bench --jobs 1 "$SAMPLE")
bytes=$(field bytes "$j1")
mbs1=$(field mb_per_s "$j1"); mbs2=$(field mb_per_s "$j2")
nmbs=$(field mb_per_s "$naive"); fmbs=$(field mb_per_s "$fast")
ms=$(field median_ms "$lat"); rss=$(field peak_rss_kb "$j2")
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "n/a" }'; }
# OCR (docs/ocr.md): the scanned fixture page OCR_PAGES times in one PDF,
# batch-scored with --jobs 1 and --jobs 2 (pages of one report OCRed that
# many at a time); wall time per page, best of ROUNDS, pdftohtml and scoring
# included (a few hundredths of a second).
OCR_PAGES=${BENCH_OCR_PAGES:-6}
ocr1=n/a ocr2=n/a
if command -v tesseract >/dev/null 2>&1 && command -v pdfunite >/dev/null 2>&1; then
    scan=tests/fixtures/ocr/scanned-zh-en.pdf
    set --; k=0
    while [ "$k" -lt "$OCR_PAGES" ]; do set -- "$@" "$scan"; k=$((k + 1)); done
    pdfunite "$@" build/bench/900001_ocr-bench_2022_zh.pdf
    ocr_time() { # ocr_time JOBS: seconds per page, best of ROUNDS
        best= r=0
        while [ "$r" -lt "$ROUNDS" ]; do
            rm -f build/bench/ocr.db*
            t0=$(date +%s.%N)
            "$CNRS" batch --quiet --jobs "$1" --db build/bench/ocr.db build/bench/900001_ocr-bench_2022_zh.pdf
            t1=$(date +%s.%N)
            best=$(echo "$t0 $t1 $OCR_PAGES $best" |
                awk '{ v = ($2 - $1) / $3; if ($4 != "" && $4 < v) v = $4; printf "%.3f", v }')
            r=$((r + 1))
        done
        echo "$best"
    }
    ocr1=$(ocr_time 1); ocr2=$(ocr_time 2)
fi
pps() { echo "$1" | awk '{ if ($1 > 0) printf "%.2f", 1 / $1; else print "n/a" }'; }
printf '%-44s %12s\n' "measure (cores: $cores, corpus: $((bytes / 1000000)) MB, best of $ROUNDS)" value
printf '%-44s %12s\n' "pipeline --jobs 1 (MB/s)" "$mbs1"
printf '%-44s %12s\n' "pipeline --jobs 2 (MB/s)" "$mbs2"
printf '%-44s %12s\n' "speed-up jobs 2 / jobs 1" "$(ratio "$mbs2" "$mbs1")"
printf '%-44s %12s\n' "median ms, one 300 KB report" "$ms"
printf '%-44s %12s\n' "peak RSS, whole corpus, jobs 2 (MB)" "$((rss / 1024))"
printf '%-44s %12s\n' "rg -j1 -F over the cue literals (MB/s)" "$rg_mbs"
printf '%-44s %12s\n' "pipeline / rg" "$(ratio "$mbs1" "$rg_mbs")"
printf '%-44s %12s\n' "naive, every pattern everywhere (MB/s)" "$nmbs"
printf '%-44s %12s\n' "prefiltered on the same sample (MB/s)" "$fmbs"
printf '%-44s %12s\n' "prefiltered / naive" "$(ratio "$fmbs" "$nmbs")"
printf '%-44s %12s\n' "OCR --jobs 1, $OCR_PAGES scanned pages (s/page)" "$ocr1"
printf '%-44s %12s\n' "OCR --jobs 2 (s/page)" "$ocr2"
printf '%-44s %12s\n' "OCR --jobs 2 (pages/s)" "$(pps "$ocr2")"
cat > bench/results.json <<JSON
{"cores": $cores, "corpus_bytes": $bytes, "rounds": $ROUNDS, "jobs1_mb_s": $mbs1, "jobs2_mb_s": $mbs2,
 "median_ms_300k": $ms, "peak_rss_kb": $rss, "rg_mb_s": $rg_mbs,
 "naive_mb_s": $nmbs, "prefiltered_sample_mb_s": $fmbs,
 "ocr_pages": $OCR_PAGES, "ocr_s_per_page_jobs1": "$ocr1", "ocr_s_per_page_jobs2": "$ocr2"}
JSON
echo "wrote bench/results.json"
