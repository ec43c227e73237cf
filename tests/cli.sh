#!/bin/sh
# cli.sh CNRS RUBRIC SEEDS - the command-line contract: outputs, error
# messages and exit statuses (see engine/main.c). POSIX sh, no other tools
# than grep, cmp and printf, so it runs on a fresh machine.
CNRS=$1 RUBRIC=$2 SEEDS=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/lib.sh"

# --- rubric ---------------------------------------------------------------
expect_status 0 "rubric weights" "$CNRS" rubric weights "$RUBRIC"
if cmp -s "$tmp/out" tests/fixtures/weights.expected; then ok; else bad "rubric weights differ from the spec table"; fi
expect_status 0 "built-in rubric weights" "$CNRS" rubric weights
if cmp -s "$tmp/out" tests/fixtures/weights.expected; then ok; else bad "built-in rubric differs"; fi
expect_status 0 "rubric check" "$CNRS" rubric check "$RUBRIC"
sed 's|<row id="E1">  -   0 0.5|<row id="E1">  -   1 0.5|' "$RUBRIC" > "$tmp/bad-matrix.xml"
expect_status 1 "rubric check, inconsistent matrix" "$CNRS" rubric check "$tmp/bad-matrix.xml"
expect_err "bad-matrix.xml:[0-9]*: priority: E1 vs E2" "matrix message names file, line, indicators"
sed 's|<stage n="1" max="16"|<stage n="1" max="15"|' "$RUBRIC" > "$tmp/bad-max.xml"
expect_status 1 "rubric check, wrong maximum" "$CNRS" rubric check "$tmp/bad-max.xml"
expect_err "stage 1: derived maximum 15.833" "maximum message"
expect_status 3 "score with a missing rubric" "$CNRS" score --rubric "$tmp/none.xml" "$SEEDS/001_90c452405eb75d1a.txt"
expect_err "none.xml" "missing rubric named"

# --- score: bad input, one line each, batch goes on ---------------------------
: > "$tmp/empty.txt"
printf '\000\001\002\003binary\000\377\376garbage' > "$tmp/garbage.txt"
printf 'abc \377\376\375 def\n' > "$tmp/invalid.txt"
printf 'text' > "$tmp/report.docx"
mkdir "$tmp/dir.txt"
good="$SEEDS/002_f14ea4ac132f2bb9.txt"
for case in "empty.txt 13" "garbage.txt 15" "report.docx 12" "missing.txt 11" "dir.txt 11"; do
    f=${case% *} st=${case#* }
    expect_status "$st" "score $f" "$CNRS" score --format json "$tmp/$f" "$good"
    expect_err "$tmp/$f" "error for $f names the file"
    n=$(grep -c '"stage"' "$tmp/out")
    if [ "$n" = 1 ]; then ok; else bad "score $f: the good file after it was not scored ($n objects)"; fi
    lines=$(wc -l < "$tmp/err")
    if [ "$lines" = 1 ]; then ok; else bad "score $f: $lines stderr lines, expected 1"; fi
done
"$CNRS" score --format json "$tmp/invalid.txt" >"$tmp/out" 2>"$tmp/err"; st=$?
if [ "$st" -ge 11 ]; then ok; else bad "invalid UTF-8 accepted (exit $st)"; fi
expect_err "invalid.txt" "invalid UTF-8 error names the file"

# --- score JSON shape ---------------------------------------------------------------
expect_status 0 "score json" "$CNRS" score --format json "$SEEDS/001_90c452405eb75d1a.txt"
for key in '"file"' '"stage":3' '"score"' '"max":100' '"indicators"' '"id":"Q11"' '"weight":12.083' \
           '"band"' '"coverage"' '"quant"' '"sentences"' '"n"' '"trend"' '"comparison"' \
           '"integration"' '"pct"' '"points"' '"evidence"' '"item":"Q11.scope1"' '"text"'; do
    expect_out "$key" "score json has $key"
done
expect_status 0 "score text" "$CNRS" score "$SEEDS/002_f14ea4ac132f2bb9.txt"
expect_out "stage 2" "text scorecard shows the stage"

# --- classify ---------------------------------------------------------------------------
printf '%s\n' "2023年公司温室气体排放总量为45.6万吨二氧化碳当量。" "no evidence here" > "$tmp/in.txt"
expect_status 0 "classify" sh -c "\"$CNRS\" classify < \"$tmp/in.txt\""
printf '1\tQ11\tQ11.total\t1\t0\t0\t0\n2\t-\t-\t0\t0\t0\t0\n' > "$tmp/want.tsv"
if cmp -s "$tmp/out" "$tmp/want.tsv"; then ok; else bad "classify output: $(cat "$tmp/out")"; fi

# --- gaps --db: a stored score gives the same gaps as the file --------------------------
# The file path's gaps are tested against a hand-worked case (tests/test_gaps.c);
# read back from the database they must be identical, apart from the name.
expect_status 0 "batch the corpora for gaps --db" "$CNRS" batch --quiet --db "$tmp/g.db" corpora
for f in corpora/*_20[0-9][0-9]_*; do
    case $f in *.expected) continue ;; esac
    code=$(basename "$f"); code=${code%%_*}
    "$CNRS" gaps --format json "$f" | sed 's/^{"file":"[^"]*",//' > "$tmp/gf"
    expect_status 0 "gaps --db $code" "$CNRS" gaps --db "$tmp/g.db" --company "$code" --format json
    sed 's/^{"file":"[^"]*",//' "$tmp/out" > "$tmp/gd"
    if cmp -s "$tmp/gf" "$tmp/gd"; then ok; else bad "gaps --db $code differs from gaps $f"; fi
done
expect_status 0 "gaps --db text" "$CNRS" gaps --db "$tmp/g.db" --company 300865 --top 3
expect_out "next: stage 3 needs quantified own emissions" "gaps --db says what stage 3 needs"
expect_status 1 "gaps --db, unknown company" "$CNRS" gaps --db "$tmp/g.db" --company no-such-co
expect_err "no company matches" "unknown company named"
expect_status 2 "gaps --db without --company" "$CNRS" gaps --db "$tmp/g.db"
sed 's|</rubric>|<!-- another rubric --></rubric>|' "$RUBRIC" > "$tmp/other.xml"
expect_status 3 "gaps --db with another rubric" "$CNRS" gaps --db "$tmp/g.db" --company 300865 --rubric "$tmp/other.xml"
expect_err "scored with rubric" "rubric mismatch explained"

# --- usage ------------------------------------------------------------------------------
expect_status 2 "no command" "$CNRS"
expect_status 2 "unknown command" "$CNRS" frobnicate
expect_status 2 "unknown format" "$CNRS" score --format xml "$good"
expect_status 2 "score without files" "$CNRS" score
expect_status 2 "an option without its value" "$CNRS" score --top
expect_err "option --top needs a value" "names the option"
expect_status 2 "a database option without its value keeps defaults safe" "$CNRS" export --db "$tmp/none.db" --format

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
