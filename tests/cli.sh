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

# --- sections: evidence carries its sentence's heading path (doc.h) ---------------------
printf '%s' '<html><body><h1>环境责任</h1><h2>应对气候变化</h2><h3>温室气体排放</h3>' \
    '<p>2023年公司温室气体排放总量为45.6万吨二氧化碳当量。</p><h2>污染防治</h2>' \
    '<p>公司严格控制废水排放。</p></body></html>' > "$tmp/sections.html"
path='环境责任 > 应对气候变化 > 温室气体排放'
expect_status 0 "score json with headings" "$CNRS" score --format json "$tmp/sections.html"
expect_out "\"item\":\"Q11.total\".*\"section\":\"$path\",\"text\":\"2023年公司温室气体排放总量" \
    "score json evidence names its section"
expect_status 0 "score text with headings" "$CNRS" score "$tmp/sections.html"
expect_out "^    § $path$" "text scorecard puts the section above its evidence"
expect_status 0 "text with headings" "$CNRS" text "$tmp/sections.html"
expect_out "^--- section: 环境责任 > 污染防治 ---$" "text shows where the path changes"
expect_status 0 "text json with headings" "$CNRS" text --format json "$tmp/sections.html"
expect_out "\"section\":\"环境责任 > 污染防治\",\"text\":\"公司严格控制废水排放。\"" \
    "text json gives each sentence its section"

# --- classify ---------------------------------------------------------------------------
printf '%s\n' "2023年公司温室气体排放总量为45.6万吨二氧化碳当量。" "no evidence here" > "$tmp/in.txt"
expect_status 0 "classify" sh -c "\"$CNRS\" classify < \"$tmp/in.txt\""
printf '1\tQ11\tQ11.total\t1\t0\t0\t0\n2\t-\t-\t0\t0\t0\t0\n' > "$tmp/want.tsv"
if cmp -s "$tmp/out" "$tmp/want.tsv"; then ok; else bad "classify output: $(cat "$tmp/out")"; fi

# --- gaps --db: a stored score gives the same gaps as the file --------------------------
# The file path's gaps are tested against a hand-worked case (tests/test_gaps.c);
# read back from the database they must be identical, apart from the name.
expect_status 0 "batch the corpora for gaps --db" "$CNRS" batch --quiet --db "$tmp/g.db" $TEAM
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

# --- eval: the fixture directory (tests/fixtures/eval, worked by hand in test_eval.c) ----
ev=tests/fixtures/eval
expect_status 0 "eval on the fixture" "$CNRS" eval --rubric "$RUBRIC" --json "$tmp/eval.json" \
    --floors "$ev/floors" "$ev"
expect_out "^micro C6-Q16  P 0.857  R 0.857" "eval table: micro C6-Q16"
expect_out "^figures: 3 of 4 found" "eval table: figures"
expect_out "^900001_made-up-demo_2023_zh  3->3  18.7/" "eval table: one line per report"
if [ -s "$tmp/err" ]; then bad "eval on the fixture wrote to stderr: $(head -c 400 "$tmp/err")"; else ok; fi
grep -q '"kappa_indicator":0.9036' "$tmp/eval.json" && ok || bad "eval json: kappa_indicator"
# The second coder's file (its header works the numbers by hand).
expect_out "^coders: 1 reports coded twice; stage exact 1.000, band exact 0.875, band within one 0.938, figures 1 of 2 the same" "eval table: coders"
grep -q '"coders":{"n":1,"stage_confusion":\[\[0,0,0,0\],\[0,0,0,0\],\[0,0,0,0\],\[0,0,0,1\]\],"stage_exact":1.0000,"band_exact":0.8750,"band_within1":0.9375,"figures":2,"figures_same":1}' "$tmp/eval.json" && ok || bad "eval json: coders"
grep -q '"stage_confusion":\[\[0,0,0,0\],\[0,0,0,0\],\[0,0,0,0\],\[0,0,0,1\]\]' "$tmp/eval.json" && ok \
    || bad "eval json: stage confusion"
grep -q '"figures":{"coded":4,"found":3,"extra":0,"share":0.7500}}$' "$tmp/eval.json" && ok || bad "eval json: figures"
same "eval json: no temporary file left" "" "$(ls -A "$tmp" | grep 'eval.json.tmp')"

# --- figures: seed 001's inventory as the figures issue states it (2020: total
# 951.4万吨, scope 1 51.0万吨, scope 2 371.0万吨, scope 3 529.4万吨) -------------
tab=$(printf '\t')
expect_status 0 "figures seed 001" "$CNRS" figures "$SEEDS/001_90c452405eb75d1a.txt"
expect_out "^file${tab}scope${tab}basis${tab}kind${tab}year${tab}value${tab}unit${tab}tco2e" "figures header"
for want in "total${tab}-${tab}emissions${tab}2020${tab}951.4${tab}万吨${tab}9514000.000" \
            "1${tab}-${tab}emissions${tab}2020${tab}51.0${tab}万吨${tab}510000.000" \
            "2${tab}-${tab}emissions${tab}2020${tab}371.0${tab}万吨${tab}3710000.000" \
            "3${tab}-${tab}emissions${tab}2020${tab}529.4${tab}万吨${tab}5294000.000${tab}approx"; do
    expect_out "$want" "figures seed 001: $want"
done
same "figures seed 001: four figures" 5 "$(wc -l < "$tmp/out" | tr -d ' ')"
expect_status 0 "figures json" "$CNRS" figures --format json "$SEEDS/001_90c452405eb75d1a.txt"
expect_out '"stage":3,"figures":\[{"scope":"total","basis":null,"kind":"emissions","year":2020,"value":"951.4","unit":"万吨","tco2e":9514000.000' "figures json"
expect_status 0 "score json has figures" "$CNRS" score --format json "$SEEDS/001_90c452405eb75d1a.txt"
expect_out '"figures":\[{"scope":"total"' "score json: figures array"
expect_status 0 "batch for figures" "$CNRS" batch --quiet --db "$tmp/fig.db" "$SEEDS/001_90c452405eb75d1a.txt"
expect_status 0 "show figures" "$CNRS" show --db "$tmp/fig.db" 001_90c452405eb75d1a
expect_out "^  figures (own GHG inventory" "show: figures block"
expect_out "^    scope     1     2020  51.0 万吨 = 510000.0 tCO2e$" "show: scope 1 figure"
expect_status 0 "export figures" "$CNRS" export --db "$tmp/fig.db" --what figures
expect_out ',total,,emissions,2020,951.4,万吨,9514000.000,exact,' "export figures csv row"
expect_status 2 "export --what bogus" "$CNRS" export --db "$tmp/fig.db" --what bogus
expect_err "scores, indicators, evidence or figures" "export names its choices"
printf '# too high\nfigures.share 0.8\nreports.stage_exact 1\n' > "$tmp/floors-high"
expect_status 1 "eval below a floor" "$CNRS" eval --floors "$tmp/floors-high" "$ev"
expect_err "^eval: figures.share = 0.7500 is below its floor 0.8000$" "the floor missed is named"
same "only the floor missed" 1 "$(wc -l < "$tmp/err" | tr -d ' ')"
printf 'figures.shares 0.8\n' > "$tmp/floors-bad"
expect_status 2 "eval with an unknown floor" "$CNRS" eval --floors "$tmp/floors-bad" "$ev"
expect_err "floors-bad:1: unknown metric" "unknown floor key named with its line"
mkdir "$tmp/ev-bad"
cp "$ev"/*.* "$ev/floors" "$tmp/ev-bad/"
sed 's/^C6 B3$/C6 B9/' "$ev/900001_made-up-demo_2023_zh.expected" > "$tmp/ev-bad/900001_made-up-demo_2023_zh.expected"
expect_status 2 "eval with a malformed .expected" "$CNRS" eval "$tmp/ev-bad"
expect_err '900001_made-up-demo_2023_zh.expected:11: C6: band "B9"' "malformed line named with file and line"
if [ -s "$tmp/out" ]; then bad "eval printed a table despite a malformed .expected"; else ok; fi
cp "$ev/900001_made-up-demo_2023_zh.expected" "$tmp/ev-bad/"
printf 'id\tsource\tlang\tlabels\tsentence\nx\tr.txt\tzh\tC6.nope\tabc\n' > "$tmp/ev-bad/sentences.tsv"
expect_status 2 "eval with an unknown label" "$CNRS" eval "$tmp/ev-bad"
expect_err 'sentences.tsv:2: unknown label "C6.nope"' "unknown qid named with its line"
cp "$ev/sentences.tsv" "$tmp/ev-bad/"
: > "$tmp/ev-bad/900001_made-up-demo_2023_zh.txt"
expect_status 0 "eval with a report that fails (a finding, not bad input)" "$CNRS" eval --json "$tmp/evf.json" "$tmp/ev-bad"
expect_err "900001_made-up-demo_2023_zh.txt: empty.*counted as stage 0" "the failed report named"
expect_out "^reports: 0 scored, 1 failed" "eval goes on without it"
# It counts as what a user gets from it: stage 0 where 3 was coded.
grep -q '"stage_confusion":\[\[0,0,0,0\],\[0,0,0,0\],\[0,0,0,0\],\[1,0,0,0\]\]' "$tmp/evf.json" && ok \
    || bad "a failed report counts as stage 0"
expect_out "^900001_made-up-demo_2023_zh  FAILED: " "the failed report is listed"
expect_status 2 "eval without DIR" "$CNRS" eval
expect_status 11 "eval on a missing directory" "$CNRS" eval "$tmp/none"
expect_err "none" "missing directory named"

# --- help, options anywhere, numbers, standard input, install (issue 16) ------------
CMDS="score rank batch show history review export merge report gaps classify eval figures text rubric bench version help"
for cmd in $CMDS; do
    expect_status 0 "$cmd --help" "$CNRS" "$cmd" --help
    expect_out "^  $cmd\( \|$\)" "$cmd --help prints its own usage"
    if grep -q "^  classify " "$tmp/out" && [ "$cmd" != classify ]; then bad "$cmd --help printed every command"; else ok; fi
    cp "$tmp/out" "$tmp/help1"
    expect_status 0 "$cmd -h" "$CNRS" "$cmd" -h
    if cmp -s "$tmp/out" "$tmp/help1"; then ok; else bad "$cmd -h differs from $cmd --help"; fi
    expect_status 0 "help $cmd" "$CNRS" help "$cmd"
    if cmp -s "$tmp/out" "$tmp/help1"; then ok; else bad "help $cmd differs from $cmd --help"; fi
done
expect_status 0 "help after operands" "$CNRS" score "$good" --help
expect_out "^  score " "score FILE --help is the usage"
expect_status 2 "help for no such command" "$CNRS" help frobnicate
expect_err 'no command "frobnicate"' "help names the unknown command"
# Options after operands mean the same as before them.
"$CNRS" score --format json "$good" > "$tmp/before.json"
expect_status 0 "score FILE --format json" "$CNRS" score "$good" --format json
if cmp -s "$tmp/out" "$tmp/before.json"; then ok; else bad "score FILE --format json differs from score --format json FILE"; fi
"$CNRS" gaps --format json "$good" > "$tmp/before.json"
expect_status 0 "gaps FILE --format json" "$CNRS" gaps "$good" --format json
if cmp -s "$tmp/out" "$tmp/before.json"; then ok; else bad "gaps FILE --format json differs"; fi
expect_status 0 "text FILE --format json" "$CNRS" text "$good" --format json
expect_out '^{"file":' "text FILE --format json is JSON"
expect_status 0 "rank PATH --format csv" "$CNRS" rank "$good" --format csv
same "rank PATH --format csv header" "stage,rank,score,max,code,company,year,file" "$(head -1 "$tmp/out" | tail -c +4)"
# "--" ends the options: a file named like an option.
cp "$good" "$tmp/--odd.txt"
expect_status 0 "rank -- FILE" sh -c 'cd "$1" && exec "$2" rank --format csv -- --odd.txt' sh "$tmp" "$(cd "$(dirname "$CNRS")" && pwd)/$(basename "$CNRS")"
expect_out ",\"'--odd.txt\"$" "a file after -- is an operand"
expect_status 2 "an unknown short option" "$CNRS" score "$good" -x
expect_err "unknown option -x" "the short option is named"
# Numbers are whole numbers in range, or a usage error.
for bad in "score --top abc" "score --top -1" "score --top 3x" "gaps --top abc"; do
    expect_status 2 "$bad" "$CNRS" $bad "$good"
    expect_err "must be a number from" "$bad: says what a number must be"
done
expect_status 2 "eval --jobs 0x" "$CNRS" eval --jobs 0x tests/fixtures/eval
expect_err "--jobs must be a number from 1 to 256" "eval --jobs message"
expect_status 2 "bench --repeat abc" "$CNRS" bench --repeat abc "$good"
expect_status 2 "bench --jobs 0" "$CNRS" bench --jobs 0 "$good"
# A directory: the commands that take one are named.
expect_status 11 "score DIR" "$CNRS" score corpora
expect_err "corpora: is a directory; .*cnrs rank corpora.*cnrs batch" "score DIR points to rank and batch"
# rank PATH names what it skips in a folder.
mkdir "$tmp/mixed"; cp "$good" "$tmp/mixed/a.txt"; printf 'x\n' > "$tmp/mixed/notes.md"
expect_status 0 "rank a folder with a .md" "$CNRS" rank "$tmp/mixed"
expect_err "^cnrs: warning: $tmp/mixed/notes.md: skipped: not a report type" "rank warns of the skipped file"
# "-" reads standard input, as --type says (txt by default).
for f in "$good txt" "corpora/601228_haisheng-port-demo_2023_zh.html html" "corpora/600982_jinglan-power-demo_2023_zh.pdf pdf"; do
    path=${f% *} type=${f#* }
    "$CNRS" score --format json "$path" | sed 's/^{"file":"[^"]*",//' > "$tmp/file.json"
    expect_status 0 "score - --type $type" sh -c 'exec "$1" score --format json --type "$2" - < "$3"' sh "$CNRS" "$type" "$path"
    expect_out '^{"file":"-",' "stdin is named -"
    sed 's/^{"file":"[^"]*",//' "$tmp/out" > "$tmp/stdin.json"
    if cmp -s "$tmp/file.json" "$tmp/stdin.json"; then ok; else bad "score - --type $type differs from score $path"; fi
done
expect_status 13 "empty standard input" sh -c 'exec "$1" score - < /dev/null' sh "$CNRS"
expect_err "^cnrs: -: empty" "empty stdin named -"
expect_status 2 "unknown --type" "$CNRS" score --type docx -
# make install: the binary and the manual page under PREFIX.
expect_status 0 "make install" env -u MAKEFLAGS -u MAKELEVEL make -s install PREFIX="$tmp/prefix" INSTALL_BIN="$CNRS"
if [ -x "$tmp/prefix/bin/cnrs" ] && [ -f "$tmp/prefix/share/man/man1/cnrs.1" ]; then ok; else bad "make install: $(cd "$tmp/prefix" 2>/dev/null && find . -type f)"; fi
expect_status 0 "the installed binary runs" "$tmp/prefix/bin/cnrs" version
for cmd in $CMDS; do
    grep -q "^\.B $cmd\b" "$tmp/prefix/share/man/man1/cnrs.1" && ok || bad "the manual page lacks $cmd"
done
# A web page saved under a .pdf name is read as the HTML it is (issue 15:
# two files of a public report collection are such pages).
printf '<!DOCTYPE html>\n<html><body><p>公司2022年温室气体排放总量为12.5万吨二氧化碳当量。</p></body></html>\n' > "$tmp/page.pdf"
expect_status 0 "a web page named .pdf" "$CNRS" score --format json "$tmp/page.pdf"
expect_out '"format":"html"' "read as HTML"
expect_out '"stage":3' "its GHG figure counts"
printf 'neither a PDF nor a web page' > "$tmp/junk.pdf"
expect_status 22 "a .pdf that is neither" "$CNRS" score "$tmp/junk.pdf"
expect_err "no %PDF- header" "still named a corrupt PDF"

# --- OCR: the scanned fixture (tests/fixtures/ocr/README.md) reads like its text ---------
scan=tests/fixtures/ocr/scanned-zh-en.pdf
expect_status 0 "score the text version" "$CNRS" score --format json "${scan%.pdf}.txt"
expect_out '"ocr":false' "a text file is not OCRed"
text_stage=$(grep -o '"stage":[0-9]*' "$tmp/out" | head -1)
# Q11's total and scope 1 figures, quantified: stage 3 (quantified own emissions).
same "the text version's stage" '"stage":3' "$text_stage"
expect_status 0 "score the scanned page (--ocr auto, the default)" "$CNRS" score --format json "$scan"
expect_out '"ocr":true' "OCR flagged in score JSON"
same "the scanned page's stage is its text's" "$text_stage" "$(grep -o '"stage":[0-9]*' "$tmp/out" | head -1)"
expect_status 0 "text of the scanned page" "$CNRS" text --ocr auto "$scan"
expect_out "^\[body\] 公司2022年温室气体排放总量为12.5万吨二氧化碳当量，其中范围一排放5.1万吨。$" "the Chinese sentence, whole"
expect_out "^\[body\] Our Scope 1 and 2 emissions were 428,000 tCO2e in 2022.$" "the English sentence, whole"
if grep -q 'OCR ' "$tmp/err"; then bad "OCR progress drawn although stderr is not a terminal"; else ok; fi
# classify gives the scanned sentences the items of the printed ones.
grep '^\[' "$tmp/out" | sed 's/^\[[a-z_]*\] //' > "$tmp/ocr-sents.txt"
grep . "${scan%.pdf}.txt" > "$tmp/text-sents.txt"
"$CNRS" classify < "$tmp/ocr-sents.txt" > "$tmp/ocr.tsv"
"$CNRS" classify < "$tmp/text-sents.txt" > "$tmp/text.tsv"
if cmp -s "$tmp/ocr.tsv" "$tmp/text.tsv" && grep -q 'Q11' "$tmp/text.tsv"; then ok; else
    bad "classify of the OCR text differs: $(cat "$tmp/ocr.tsv")"; fi
expect_status 20 "--ocr never keeps exit 20 for a scanned PDF" "$CNRS" score --ocr never "$scan"
expect_err "no text layer, OCR needed" "--ocr never names the problem"
expect_status 2 "--ocr with an unknown mode" "$CNRS" rank --ocr sometimes "$scan"
expect_err "--ocr takes auto, never or always" "--ocr names its values"
if command -v script >/dev/null 2>&1; then
    # On a terminal (script(1) gives one) the progress line shows, then is cleared.
    script -qec "\"$CNRS\" text --ocr always $scan" /dev/null > "$tmp/tty" 2>&1
    if grep -q 'OCR scanned-zh-en.pdf: page 0/1' "$tmp/tty"; then ok; else
        bad "no OCR progress line on a terminal: $(head -c 300 "$tmp/tty")"; fi
fi

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
