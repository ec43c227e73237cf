#!/bin/sh
# batch.sh CNRS RUBRIC GENCORPUS - the database commands' contract: batch
# (manifest, bad input, exit statuses), a batch killed with SIGKILL and run
# again, two batches at once on one database, the lock-wait message, rank
# --db with tracks and ties, show (the same JSON as score), history, review,
# export, shards and merge, databases that are not ours, readers during two
# --force batches, and a full disk (ulimit -f; a 1 MiB tmpfs in a mount
# namespace of its own when root may mount one, else skipped) then the same
# command with room. POSIX sh plus the sqlite3 command-line tool (DEB_TEST in
# the Makefile); unshare(1) for the tmpfs case.
CNRS=$1 RUBRIC=$2 GEN=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/lib.sh"
q() { sqlite3 "$1" "$2"; } # q DB SQL
B="$CNRS batch --rubric $RUBRIC"

# --- batch over the team's corpora ------------------------------------------------
db=$tmp/corpora.db
expect_status 0 "batch corpora" $B --db "$db" $TEAM
expect_out "scored " "batch prints a summary"
if grep -q 'ETA' "$tmp/err"; then bad "progress bar drawn although stderr is not a terminal"; else ok; fi
n=$(echo $TEAM | wc -w | tr -d ' ')
same "one score per corpus report" "$n" "$(q "$db" 'SELECT count(*) FROM scores')"
same "16 indicator rows each" "$((16 * n))" "$(q "$db" 'SELECT count(*) FROM indicator_scores')"
same "integrity" ok "$(q "$db" 'PRAGMA integrity_check')"
same "schema version" 5 "$(q "$db" 'PRAGMA user_version')"
# Every evidence record has its section (schema 5), nested ones among them.
same "evidence sections stored" "1|1" \
    "$(q "$db" "SELECT count(*) = count(section), sum(section LIKE '% > %') > 0 FROM evidence")"
# The script of each report: 3 English team reports have no Han characters,
# the other 8 are simplified Chinese; none of them is a copy-restricted PDF.
same "scripts stored" "none 3|zh-Hans 8" \
    "$(q "$db" "SELECT group_concat(script || ' ' || k, '|') FROM (SELECT script, count(*) AS k FROM reports GROUP BY script ORDER BY script)")"
same "copy restriction stored" 0 "$(q "$db" 'SELECT sum(copy_restricted) FROM reports')"
# The sample PDF's image-only page 7 is OCRed, but holds no text: not flagged.
same "no OCR text stored" 0 "$(q "$db" 'SELECT sum(ocr) FROM reports')"
expect_status 0 "batch again" $B --db "$db" $TEAM
expect_out "unchanged  *$n" "a second run scores nothing"
same "still one score each" "$n" "$(q "$db" 'SELECT count(*) FROM scores')"

# --- a scanned PDF: OCRed (two pages at once under --jobs 2 would be allowed),
# flagged in the store; with --ocr never it fails as before (exit 20).
scan=tests/fixtures/ocr/scanned-zh-en.pdf
expect_status 0 "batch a scanned PDF" $B --db "$tmp/ocr.db" --jobs 2 "$scan"
same "OCR flagged in the store" "1|1" "$(q "$tmp/ocr.db" 'SELECT ocr, pages FROM reports')"
expect_status 20 "batch --ocr never on a scanned PDF" $B --db "$tmp/ocr-never.db" --ocr never "$scan"
same "nothing stored without OCR" 0 "$(q "$tmp/ocr-never.db" 'SELECT count(*) FROM reports')"
expect_status 2 "batch --ocr with a bad mode" $B --db "$tmp/ocr-bad.db" --ocr sometimes "$scan"

# show --format json is the scorecard `score --format json` prints, plus "db".
for f in corpora/600736_huacheng-power-demo_2023_zh.txt corpora/601228_haisheng-port-demo_2023_zh.html \
         corpora/600977_skyline-data-demo_2023_en.txt corpora/600871_canglan-energy-demo_2023_zh.txt; do
    code=$(basename "$f" | cut -d_ -f1)
    "$CNRS" score --rubric "$RUBRIC" --format json "$f" > "$tmp/score.json"
    "$CNRS" show --db "$db" --format json "$code" | sed 's/,"db":{.*}}$/}/' > "$tmp/show.json"
    if cmp -s "$tmp/score.json" "$tmp/show.json"; then ok; else bad "show --format json differs from score for $f"; fi
done
expect_status 0 "show text" "$CNRS" show --db "$db" --top 2 skyline
expect_out "stage 3 (quantified own emissions): score" "show text names the stage"
expect_out "\[Q11\." "show text lists evidence"
expect_out "^    § " "show text puts sections above evidence"
expect_status 1 "show unknown company" "$CNRS" show --db "$db" nosuchcompany
expect_err 'no company matches "nosuchcompany"' "show says what did not match"
expect_status 1 "show ambiguous" "$CNRS" show --db "$db" demo
expect_err "companies match" "show lists ambiguous matches"

# rank --db: stages never mix; the old rank PATH... still works.
expect_status 0 "rank --db" "$CNRS" rank --db "$db"
expect_out "^2023, stage 3 - quantified own emissions" "rank groups by year and stage"
expect_out "^2023, stage 0 - " "stage 0 has its own track"
expect_status 0 "rank --db csv" "$CNRS" rank --db "$db" --format csv --year 2023
same "rank --db csv starts with a UTF-8 BOM" "efbbbf" "$(head -c 3 "$tmp/out" | od -An -tx1 | tr -d ' \n')"
same "rank csv header" "year,stage,industry,size,rank,score,auto_score,reviews,max,code,company,report_type,file" "$(head -1 "$tmp/out" | tail -c +4)"
expect_status 0 "rank --db json" "$CNRS" rank --db "$db" --format json
expect_out '"stage":3,"stage_name":"quantified own emissions"' "rank json"
expect_status 2 "rank bad track" "$CNRS" rank --db "$db" --track industry,stage
expect_status 0 "rank PATH still works" "$CNRS" rank --rubric "$RUBRIC" $TEAM
expect_out "stage 3" "rank PATH output"

# --- tracks and ties: three stage-3 reports, two with the same bytes-different
# copies of one report (same score), by industry and size from a manifest ---------
mkdir "$tmp/t"
cp corpora/600977_skyline-data-demo_2023_en.txt "$tmp/t/a.txt"
cp corpora/600977_skyline-data-demo_2023_en.txt "$tmp/t/b.txt"; printf '\n' >> "$tmp/t/b.txt"
cp corpora/600736_huacheng-power-demo_2023_zh.txt "$tmp/t/c.txt"
cp corpora/002918_qinghe-textile-demo_2023_zh.txt "$tmp/t/d.txt"
printf 'path,company,code,year,industry,size\na.txt,Alpha,000001,2023,data,large\nb.txt,Beta,000002,2023,data,small\nc.txt,Gamma,000003,2023,power,large\nd.txt,Delta,000004,2023,textile,large\n' > "$tmp/t/m.csv"
tdb=$tmp/tracks.db
expect_status 0 "batch with manifest" $B --db "$tdb" --manifest "$tmp/t/m.csv"
a=$(q "$tdb" "SELECT printf('%.1f', total) FROM scores s JOIN reports r ON r.id = s.report_id JOIN companies c ON c.id = r.company_id WHERE c.code = '000001'")
c=$(q "$tdb" "SELECT printf('%.1f', total) FROM scores s JOIN reports r ON r.id = s.report_id JOIN companies c ON c.id = r.company_id WHERE c.code = '000003'")
"$CNRS" rank --db "$tdb" --format csv | cut -d, -f2,5,10 > "$tmp/r"
# Alpha and Beta tie (same text): both rank 1 if they lead stage 3, else both 2.
if [ "$(echo "$a > $c" | awk '{ print ($1 > $3) }')" = 1 ]; then want="3,1,000001 3,1,000002 3,3,000003"; else want="3,1,000003 3,2,000001 3,2,000002"; fi
same "ties share a rank, the next is skipped" "$want 1,1,000004" "$(grep -v '^stage' "$tmp/r" | tr '\n' ' ' | sed 's/ $//')"
"$CNRS" rank --db "$tdb" --format csv --track stage,industry | cut -d, -f3,5,10 | grep -v '^industry' | sort > "$tmp/r"
same "by industry: each track ranks from 1" "data,1,000001 data,1,000002 power,1,000003 textile,1,000004" "$(tr '\n' ' ' < "$tmp/r" | sed 's/ $//')"
"$CNRS" rank --db "$tdb" --format csv --track stage,industry,size | cut -d, -f3,4,5,10 | grep -v '^industry' | sort > "$tmp/r"
same "by industry and size" "data,large,1,000001 data,small,1,000002 power,large,1,000003 textile,large,1,000004" "$(tr '\n' ' ' < "$tmp/r" | sed 's/ $//')"
expect_status 0 "rank text by track" "$CNRS" rank --db "$tdb" --track stage,industry,size
expect_out "stage 3 - quantified own emissions, industry data, size small" "track header"

# --- review: override, both scores shown, list, undo --------------------------------
w=$(q "$tdb" "SELECT weight || ' ' || pct FROM indicator_scores i JOIN scores s ON s.id = i.score_id JOIN reports r ON r.id = s.report_id JOIN companies c ON c.id = r.company_id WHERE c.code = '000002' AND i.indicator = 'C6'")
expect_status 0 "review" "$CNRS" review --db "$tdb" --company Beta --year 2023 --indicator C6 --pct 100 --reason "target confirmed" --reviewer ana
expect_out "review 1: 000002 Beta 2023 C6" "review confirms"
# reviewed = auto + weight * (100 - pct) / 100, worked out from the stored row
b=$(q "$tdb" "SELECT total FROM scores s JOIN reports r ON r.id = s.report_id JOIN companies c ON c.id = r.company_id WHERE c.code = '000002'")
want=$(echo "$b $w" | awk '{ printf "%.1f", $1 + $2 * (100 - $3) / 100 }')
"$CNRS" rank --db "$tdb" --format csv | grep ',000002,' | cut -d, -f6,7,8 > "$tmp/r"
same "rank shows reviewed and automatic scores" "$want,$(printf '%.1f' "$b"),1" "$(cat "$tmp/r")"
expect_status 0 "rank text marks the review" "$CNRS" rank --db "$tdb"
expect_out "reviewed: 1 indicator; automatic" "text ranking shows both"
expect_status 0 "review list" "$CNRS" review --db "$tdb" --list
expect_out "target confirmed" "list shows the reason"
expect_out "	ana	" "list shows the reviewer"
expect_status 0 "undo" "$CNRS" review --db "$tdb" --undo 1
expect_status 1 "undo twice" "$CNRS" review --db "$tdb" --undo 1
"$CNRS" rank --db "$tdb" --format csv | grep ',000002,' | cut -d, -f6,7,8 > "$tmp/r"
same "undone: automatic score again" "$(printf '%.1f' "$b"),$(printf '%.1f' "$b"),0" "$(cat "$tmp/r")"
same "the undone review is kept" 1 "$(q "$tdb" 'SELECT count(*) FROM reviews WHERE undone_at IS NOT NULL')"
expect_status 2 "review pct out of range" "$CNRS" review --db "$tdb" --company Beta --year 2023 --indicator C6 --pct 101 --reason x
expect_status 2 "review unknown indicator" "$CNRS" review --db "$tdb" --company Beta --year 2023 --indicator Z9 --pct 5 --reason x
expect_status 1 "review unknown company" "$CNRS" review --db "$tdb" --company Nobody --year 2023 --indicator C6 --pct 5 --reason x
expect_status 2 "review without reason" "$CNRS" review --db "$tdb" --company Beta --year 2023 --indicator C6 --pct 5

# --- export --------------------------------------------------------------------------
expect_status 0 "export csv" "$CNRS" export --db "$tdb" --format csv --what scores
same "CSV starts with a UTF-8 BOM" "efbbbf" "$(head -c 3 "$tmp/out" | od -An -tx1 | tr -d ' \n')"
expect_out "code,company,year,report_type,industry,size,stage" "export header"
same "export rows" 5 "$(wc -l < "$tmp/out" | tr -d ' ')"
expect_status 0 "export jsonl evidence" "$CNRS" export --db "$tdb" --format jsonl --what evidence
same "jsonl evidence lines" "$(q "$tdb" 'SELECT count(*) FROM evidence')" "$(wc -l < "$tmp/out" | tr -d ' ')"
expect_out '"item":"Q11\.' "evidence export names items"
expect_out '"section":' "evidence export has the section"
expect_status 0 "export csv evidence" "$CNRS" export --db "$tdb" --format csv --what evidence
same "evidence CSV header" "code,company,year,report_type,indicator,item,page,sentence,quant,units,trend,comparison,integration,leadership,text,section" \
    "$(head -1 "$tmp/out" | tail -c +4 | tr -d '\r')"
expect_status 0 "export indicators" "$CNRS" export --db "$tdb" --what indicators
same "16 indicator rows per report" 65 "$(wc -l < "$tmp/out" | tr -d ' ')"

# --- history ---------------------------------------------------------------------------
mkdir "$tmp/h"
cp corpora/605188_jaderiver-packaging-demo_2023_en.txt "$tmp/h/600977_skyline_2021.txt"
cp corpora/688315_lumen-electronics-demo_2023_en.txt "$tmp/h/600977_skyline_2022.txt"
cp corpora/600977_skyline-data-demo_2023_en.txt "$tmp/h/600977_skyline_2023.txt"
hdb=$tmp/history.db
expect_status 0 "batch three years" $B --quiet --db "$hdb" "$tmp/h"
expect_status 0 "history" "$CNRS" history --db "$hdb" 600977
expect_out "  2021  " "history lists 2021"
expect_out "  2023  " "history lists 2023"
q11=$(q "$hdb" "SELECT printf('%.1f', i.pct) FROM indicator_scores i JOIN scores s ON s.id = i.score_id JOIN reports r ON r.id = s.report_id WHERE r.year = 2023 AND i.indicator = 'Q11'")
q11p=$(q "$hdb" "SELECT printf('%.1f', i.pct) FROM indicator_scores i JOIN scores s ON s.id = i.score_id JOIN reports r ON r.id = s.report_id WHERE r.year = 2022 AND i.indicator = 'Q11'")
expect_out "Q11 .*$q11 (+$(echo "$q11 $q11p" | awk '{ printf "%.1f", $1 - $2 }'))" "history shows the Q11 change"
expect_status 0 "history csv" "$CNRS" history --db "$hdb" --format csv skyline
same "history csv rows: 3 years x (total + 16)" 52 "$(wc -l < "$tmp/out" | tr -d ' ')"

# --- real file names and codes (issue 16): years from the name, one company
# however its code is written, manifest codes never padded into another market --
mkdir "$tmp/names"
i=0
for name in "Microsoft 2022 Sustainability Report.txt" "mckinsey-esg-2022.txt" "600519-贵州茅台-2023.txt" \
            "SH600519_贵州茅台_2022.txt" "600519.SS 贵州茅台 2021.txt" "600519_2020_贵州茅台社会责任报告.txt" \
            "00700_腾讯控股_2023.txt" "09988_阿里巴巴_2023.txt"; do
    i=$((i + 1))
    { cat corpora/603716_lvyuan-food-demo_2023_zh.txt; printf '\n第%d份。\n' "$i"; } > "$tmp/names/$name"
done
cp corpora/600977_skyline-data-demo_2023_en.txt "$tmp/names/sony.txt"
cp corpora/600736_huacheng-power-demo_2023_zh.txt "$tmp/names/ali.txt"
cp corpora/002918_qinghe-textile-demo_2023_zh.txt "$tmp/names/tencent.txt"
printf 'path,company,code,year\nsony.txt,Sony,6758,2023\nali.txt,阿里巴巴,09988,2022\ntencent.txt,腾讯控股,700.HK,2022\n' > "$tmp/names/m.csv"
ndb=$tmp/names.db
expect_status 0 "batch over real file names" $B --db "$ndb" --manifest "$tmp/names/m.csv" "$tmp/names"
if grep -q 'unknown_company\|unknown_year' "$tmp/err" "$tmp/out"; then bad "real names: $(cat "$tmp/err")"; else ok; fi
same "Microsoft 2022" "Microsoft|2022" "$(q "$ndb" "SELECT c.name, r.year FROM reports r JOIN companies c ON c.id = r.company_id WHERE r.path LIKE '%Microsoft%'")"
same "mckinsey 2022" "mckinsey-esg|2022" "$(q "$ndb" "SELECT c.name, r.year FROM reports r JOIN companies c ON c.id = r.company_id WHERE r.path LIKE '%mckinsey%'")"
same "600519, SH600519, 600519.SS: one company, four years" "1|2020,2021,2022,2023" \
    "$(q "$ndb" "SELECT count(DISTINCT c.id), group_concat(r.year, ',') FROM (SELECT * FROM reports ORDER BY year) r JOIN companies c ON c.id = r.company_id WHERE c.code = '600519'")"
same "Tokyo code not padded" "Sony|6758" "$(q "$ndb" "SELECT name, code FROM companies WHERE name = 'Sony'")"
same "09988 in the manifest and the file name: one company" "09988.HK|2" \
    "$(q "$ndb" "SELECT c.code, count(*) FROM reports r JOIN companies c ON c.id = r.company_id WHERE c.code LIKE '%9988%' GROUP BY c.id")"
same "00700 and 700.HK: one company" "00700.HK|2" \
    "$(q "$ndb" "SELECT c.code, count(*) FROM reports r JOIN companies c ON c.id = r.company_id WHERE c.code LIKE '%700%' GROUP BY c.id")"
expect_status 0 "show by a code written another way" "$CNRS" show --db "$ndb" SH600519 --year 2021
expect_out "^600519 贵州茅台, 2021" "SH600519 finds 600519"

# --- the file the latest run names is the one ranked, whatever was stored
# before; a company left without reports is neither found nor ranked ---------
mkdir -p "$tmp/cur/a" "$tmp/cur/b"
cp corpora/600977_skyline-data-demo_2023_en.txt "$tmp/cur/a/600519_maotai_2023.txt"
cp corpora/600736_huacheng-power-demo_2023_zh.txt "$tmp/cur/b/x.txt"
printf 'path,company,code,year\nb/x.txt,maotai,600519,2023\n' > "$tmp/cur/m.csv"
cdb=$tmp/cur1.db
$B --quiet --db "$cdb" "$tmp/cur/a" 2>/dev/null
$B --quiet --db "$cdb" --manifest "$tmp/cur/m.csv" 2>/dev/null
expect_status 0 "the older file named again" $B --db "$cdb" "$tmp/cur/a"
expect_out "^    $tmp/cur/a/600519_maotai_2023.txt: replaces $tmp/cur/b/x.txt as the report of 600519" "the summary names the file replaced"
"$CNRS" rank --db "$cdb" --format csv | cut -d, -f10,13 > "$tmp/r1"
$B --quiet --db "$tmp/cur2.db" "$tmp/cur/a"
"$CNRS" rank --db "$tmp/cur2.db" --format csv | cut -d, -f10,13 > "$tmp/r2"
same "an old database ranks the file the latest run names" "600519,$tmp/cur/a/600519_maotai_2023.txt" "$(tail -n +2 "$tmp/r1")"
same "as a new database does" "$(cat "$tmp/r2")" "$(cat "$tmp/r1")"
same "a report moved: integrity and foreign keys" "ok" "$(q "$cdb" 'PRAGMA integrity_check; PRAGMA foreign_key_check')"
same "its score moved with it" "1|1" "$(q "$cdb" "SELECT count(*), count(DISTINCT report_id) FROM scores s JOIN reports r ON r.id = s.report_id WHERE r.path LIKE '%maotai%'")"
# The manifest's file, then the folder's: the folder's is named last and counts
# already, so nothing is replaced.
expect_status 0 "both named again" $B --db "$cdb" --manifest "$tmp/cur/m.csv" "$tmp/cur/a"
if grep -q replaced "$tmp/out" "$tmp/err"; then bad "a report replaced by a run naming both: $(cat "$tmp/err")"; else ok; fi
mkdir "$tmp/stale"
cp corpora/603716_lvyuan-food-demo_2023_zh.txt "$tmp/stale/foo.txt"
printf 'path,company,code,year\nfoo.txt,Acme,600001,2023\n' > "$tmp/stale/m.csv"
sdb=$tmp/stale.db
$B --quiet --db "$sdb" "$tmp/stale/foo.txt" 2>/dev/null
$B --quiet --db "$sdb" --manifest "$tmp/stale/m.csv" 2>/dev/null
expect_status 1 "show a company left without reports" "$CNRS" show --db "$sdb" foo
expect_err 'no company matches "foo"' "the stale company is not found"
expect_status 0 "show the company the report moved to" "$CNRS" show --db "$sdb" Acme
same "only the current company ranked" "600001,Acme" "$("$CNRS" rank --db "$sdb" --format csv | cut -d, -f10,11 | tail -n +2)"

# --- bad input: manifest rows, malformed lines, duplicates, unknown companies ------
mkdir "$tmp/bad"
cp corpora/600977_skyline-data-demo_2023_en.txt "$tmp/bad/600977_sky_2023.txt"
cp corpora/600977_skyline-data-demo_2023_en.txt "$tmp/bad/dup.txt"
cp corpora/603716_lvyuan-food-demo_2023_zh.txt "$tmp/bad/noname.txt"
: > "$tmp/bad/600001_empty_2023.txt"
printf 'path,company,code,year\ngone.txt,Gone,600002,2023\n"unclosed,x\nfine.txt\n' > "$tmp/bad/m.csv"
printf 'notes\n' > "$tmp/bad/notes.md"; printf 'doc\n' > "$tmp/bad/report.docx"; printf 'x\n' > "$tmp/bad/.hidden"
expect_status 11 "bad inputs: exit with the first failure (io)" $B --db "$tmp/bad.db" --manifest "$tmp/bad/m.csv" "$tmp/bad"
expect_err "m.csv:2: .*gone.txt" "missing file named with its manifest line"
expect_err "m.csv:2: gone.txt: no such file (looked for $tmp/bad/gone.txt: paths in a manifest are relative to its folder)" "the path tried is named"
expect_out "^  skipped  *3  " "the summary counts the files skipped in the folder"
for f in m.csv notes.md report.docx; do
    expect_out "^    $tmp/bad/$f: not a report type" "the summary names skipped $f and why"
done
if grep -q hidden "$tmp/out"; then bad "a dot file listed as skipped"; else ok; fi
expect_err "m.csv:3: a quoted field is not closed" "malformed line reported"
expect_err "m.csv:4: 1 fields where the header has 4" "short line reported"
expect_err "warning: .*dup.txt: the same content as" "duplicate reported"
expect_err "warning: .*noname.txt: unknown company" "unknown company reported"
expect_err "600001_empty_2023.txt: empty" "empty file reported"
expect_out "failed          4  (io 1, manifest 2, empty 1)" "summary with reasons"
expect_out "warnings        2  (duplicate 1, unknown_company 1)" "summary with warnings"
same "failures table" "4|2" "$(q "$tmp/bad.db" 'SELECT sum(fatal), sum(NOT fatal) FROM failures')"
same "the good reports are stored" 2 "$(q "$tmp/bad.db" 'SELECT count(*) FROM scores')"
expect_status 2 "batch without --db" $B $TEAM
expect_status 2 "batch bad shard" $B --db "$tmp/x.db" --shard 3/2 $TEAM
expect_status 2 "batch bad jobs" $B --db "$tmp/x.db" --jobs 0 $TEAM
expect_status 11 "missing manifest" $B --db "$tmp/x.db" --manifest "$tmp/t/none.csv" $TEAM
expect_err "none.csv" "missing manifest named"
printf 'file_name,company\n' > "$tmp/nopath.csv"
expect_status 16 "manifest header without path" $B --db "$tmp/x.db" --manifest "$tmp/nopath.csv"
expect_err 'no "path" column' "manifest header message"

# --- databases that are not ours are left untouched -----------------------------------
printf 'not a database\n' > "$tmp/text.db"; cp "$tmp/text.db" "$tmp/text.bak"
expect_status 25 "batch into a text file" $B --db "$tmp/text.db" $TEAM
expect_err "not a cnrs database" "text file refused"
if cmp -s "$tmp/text.db" "$tmp/text.bak"; then ok; else bad "text file modified"; fi
q "$tmp/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (42);"
cp "$tmp/other.db" "$tmp/other.bak"
expect_status 25 "batch into another application's database" $B --db "$tmp/other.db" $TEAM
expect_err "another application" "foreign database refused"
if cmp -s "$tmp/other.db" "$tmp/other.bak" && [ ! -e "$tmp/other.db-wal" ]; then ok; else bad "foreign database modified"; fi
cp "$db" "$tmp/newer.db"; q "$tmp/newer.db" "PRAGMA user_version = 6"; cp "$tmp/newer.db" "$tmp/newer.bak"
for cmd in "batch --db $tmp/newer.db $TEAM" "rank --db $tmp/newer.db" "show --db $tmp/newer.db skyline" "export --db $tmp/newer.db" "review --db $tmp/newer.db --list"; do
    expect_status 25 "newer schema: $cmd" $CNRS $cmd
    expect_err "schema version 6 is newer" "newer schema message: $cmd"
done
if cmp -s "$tmp/newer.db" "$tmp/newer.bak"; then ok; else bad "newer database modified"; fi
expect_status 25 "rank on a missing database" "$CNRS" rank --db "$tmp/none.db"
if [ -e "$tmp/none.db" ]; then bad "rank created a database"; else ok; fi

# --- a generated corpus: kill -9 in the middle, then the same command ------------------
gen=$tmp/gen
mkdir "$gen"
"$GEN" "$gen" 3000 4 6 11 corpora/*.txt > /dev/null || bad "gencorpus failed"
N=$(ls "$gen" | wc -l | tr -d ' ')
if [ "$N" -ge 400 ]; then ok; else bad "generated corpus too small: $N"; fi
kdb=$tmp/kill.db
$B --quiet --jobs 1 --db "$kdb" "$gen" 2>/dev/null &
pid=$!
i=0 stored=0
while [ $i -lt 2000 ]; do
    stored=$(q "$kdb" 'SELECT count(*) FROM scores' 2>/dev/null || echo 0)
    [ "${stored:-0}" -ge 40 ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.01; i=$((i + 1))
done
if kill -KILL $pid 2>/dev/null; then ok; else bad "the batch ended before it could be killed ($stored stored)"; fi
wait $pid 2>/dev/null
after=$(q "$kdb" 'SELECT count(*) FROM scores')
if [ "$after" -ge 40 ] && [ "$after" -lt "$N" ]; then ok; else bad "killed batch stored $after of $N"; fi
same "killed: integrity" ok "$(q "$kdb" 'PRAGMA integrity_check')"
same "killed: no partial report" 0 "$(q "$kdb" 'SELECT count(*) FROM scores s WHERE (SELECT count(*) FROM indicator_scores i WHERE i.score_id = s.id) <> 16 OR NOT EXISTS (SELECT 1 FROM evidence_sets e WHERE e.score_id = s.id)')"
same "killed: no report without a score" 0 "$(q "$kdb" 'SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE s.report_id = r.id)')"
same "killed run left unfinished" 1 "$(q "$kdb" 'SELECT count(*) FROM runs WHERE finished_at IS NULL')"
expect_status 0 "the same command again" $B --jobs 1 --db "$kdb" "$gen"
expect_out "unchanged  *$after\$" "resumed: what was stored is unchanged"
expect_out "scored  *$((N - after))\$" "resumed: the rest is scored"
same "resumed: each report exactly once" "$N|$N" "$(q "$kdb" 'SELECT count(*), count(DISTINCT report_id) FROM scores')"
same "resumed: integrity" ok "$(q "$kdb" 'PRAGMA integrity_check')"
# The same content as one uninterrupted run (and as --jobs 1 vs 2).
expect_status 0 "clean batch jobs 1" $B --quiet --jobs 1 --db "$tmp/clean.db" "$gen"
"$CNRS" export --db "$tmp/clean.db" --what indicators > "$tmp/clean.csv"
"$CNRS" export --db "$kdb" --what indicators > "$tmp/kill.csv"
if cmp -s "$tmp/clean.csv" "$tmp/kill.csv"; then ok; else bad "killed and resumed batch differs from a clean one"; fi
"$CNRS" export --db "$tmp/clean.db" --what evidence > "$tmp/clean.ev"
"$CNRS" export --db "$kdb" --what evidence > "$tmp/kill.ev"
if cmp -s "$tmp/clean.ev" "$tmp/kill.ev"; then ok; else bad "evidence differs after resuming"; fi
same "the generated corpus has text" 1 "$(q "$tmp/clean.db" 'SELECT count(*) > 100 FROM evidence WHERE length(text) > 0')"

# --- Ctrl-C: the batch stops at a report boundary, prints its summary, says how
# to resume, closes its run marked interrupted, and exits 130 -------------------
idb=$tmp/int.db
$B --jobs 1 --db "$idb" "$gen" > "$tmp/int.out" 2> "$tmp/int.err" &
pid=$!
i=0
while [ $i -lt 2000 ]; do
    [ "$(q "$idb" 'SELECT count(*) FROM scores' 2>/dev/null || echo 0)" -ge 5 ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.01; i=$((i + 1))
done
kill -INT $pid 2>/dev/null || bad "the batch ended before Ctrl-C"
wait $pid; st=$?
cp "$tmp/int.out" "$tmp/out"; cp "$tmp/int.err" "$tmp/err"
same "Ctrl-C: status 130" 130 "$st"
expect_out "^  scored  " "Ctrl-C: the summary is printed"
expect_err "^cnrs batch: interrupted after [0-9]* of $N inputs: run the same command again to resume$" "Ctrl-C: how to resume"
istored=$(q "$idb" 'SELECT count(*) FROM scores')
if [ "$istored" -ge 5 ] && [ "$istored" -lt "$N" ]; then ok; else bad "Ctrl-C: $istored of $N stored"; fi
same "Ctrl-C: the run is closed with its counts" "1|$istored|$N" "$(q "$idb" 'SELECT finished_at IS NOT NULL, scored, inputs FROM runs')"
same "Ctrl-C: the run is marked interrupted" "interrupted|0" "$(q "$idb" "SELECT kind, fatal FROM failures WHERE run_id = 1")"
same "Ctrl-C: integrity" ok "$(q "$idb" 'PRAGMA integrity_check')"
same "Ctrl-C: no partial report" 0 "$(q "$idb" 'SELECT count(*) FROM scores s WHERE (SELECT count(*) FROM indicator_scores i WHERE i.score_id = s.id) <> 16')"
expect_status 0 "Ctrl-C: the same command again" $B --jobs 1 --db "$idb" "$gen"
expect_out "unchanged  *$istored\$" "Ctrl-C, resumed: what was stored is unchanged"
expect_out "scored  *$((N - istored))\$" "Ctrl-C, resumed: the rest is scored"
# A second Ctrl-C exits at once: no summary, the run left open (as after
# kill -9). The first input is large (about 2 s of scoring), so both signals
# arrive while the batch is inside it, before any report boundary.
mkdir "$tmp/slow"
i=0
while [ $i -lt 3000 ]; do
    cat corpora/600736_huacheng-power-demo_2023_zh.txt corpora/600977_skyline-data-demo_2023_en.txt
    i=$((i + 1))
done > "$tmp/slow/a.txt"
cp corpora/600871_canglan-energy-demo_2023_zh.txt "$tmp/slow/b.txt"
jdb=$tmp/int2.db
$B --jobs 1 --db "$jdb" "$tmp/slow" > "$tmp/out" 2> "$tmp/err" &
pid=$!
i=0
while [ $i -lt 2000 ]; do # the run has begun: the handler is in place
    [ "$(q "$jdb" 'SELECT count(*) FROM runs' 2>/dev/null || echo 0)" -ge 1 ] && break
    sleep 0.01; i=$((i + 1))
done
kill -INT $pid; sleep 0.2; kill -INT $pid
wait $pid; st=$?
same "second Ctrl-C: status 130" 130 "$st"
expect_err "interrupted again: stopped at once" "second Ctrl-C says so"
if [ -s "$tmp/out" ]; then bad "second Ctrl-C: a summary was printed: $(cat "$tmp/out")"; else ok; fi
same "second Ctrl-C: nothing stored, the run left open" "0|1" "$(q "$jdb" 'SELECT (SELECT count(*) FROM scores), (SELECT count(*) FROM runs WHERE finished_at IS NULL)')"
same "second Ctrl-C: integrity" ok "$(q "$jdb" 'PRAGMA integrity_check')"

# --- two batches at once on one database ------------------------------------------------
cdb=$tmp/concurrent.db
$B --jobs 1 --db "$cdb" "$gen" > "$tmp/c1.out" 2> "$tmp/c1.err" &
p1=$!
$B --jobs 1 --db "$cdb" "$gen" > "$tmp/c2.out" 2> "$tmp/c2.err" &
p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
same "both concurrent batches finish" "0 0" "$s1 $s2"
same "concurrent: each report once" "$N|$N" "$(q "$cdb" 'SELECT count(*), count(DISTINCT report_id) FROM scores')"
same "concurrent: integrity" ok "$(q "$cdb" 'PRAGMA integrity_check')"
sc=$(cat "$tmp/c1.out" "$tmp/c2.out" | awk '$1 == "scored" { n += $2 } END { print n }')
same "concurrent: scored once between them" "$N" "$sc"
"$CNRS" export --db "$cdb" --what indicators > "$tmp/conc.csv"
if cmp -s "$tmp/clean.csv" "$tmp/conc.csv"; then ok; else bad "concurrent batches stored different content"; fi

# A lock held elsewhere: batch says it waits, then finishes.
# Held 4 s: the batch must reach its first write and wait a whole second
# before the lock goes, also under ASan on a loaded machine (2.5 s was not
# always enough for the ASan build's start-up with five builds on two cores).
(echo "BEGIN IMMEDIATE;"; echo "DELETE FROM failures;"; sleep 4; echo "ROLLBACK;") | sqlite3 "$cdb" &
lp=$!
sleep 0.5
expect_status 0 "batch waits for a lock" $B --db "$cdb" "$gen"
expect_err "is locked by another process; waiting" "the wait is announced"
wait $lp

# --- shards and merge ----------------------------------------------------------------------
for i in 1 2 3; do
    expect_status 0 "shard $i/3" $B --quiet --shard $i/3 --db "$tmp/shard$i.db" "$gen"
done
t=0
for i in 1 2 3; do t=$((t + $(q "$tmp/shard$i.db" 'SELECT count(*) FROM scores'))); done
same "shards cover the corpus once" "$N" "$t"
expect_status 0 "merge" "$CNRS" merge "$tmp/merged.db" "$tmp/shard1.db" "$tmp/shard2.db" "$tmp/shard3.db"
expect_out "merged .*shard3.db: " "merge reports each input"
"$CNRS" export --db "$tmp/merged.db" --what indicators > "$tmp/merged.csv"
if cmp -s "$tmp/clean.csv" "$tmp/merged.csv"; then ok; else bad "merged shards differ from one batch"; fi
expect_status 0 "merge again" "$CNRS" merge "$tmp/merged.db" "$tmp/shard1.db"
expect_out "0 reports, 0 scores" "merging twice adds nothing"
expect_status 25 "merge a text file" "$CNRS" merge "$tmp/merged.db" "$tmp/text.db"
if cmp -s "$tmp/text.db" "$tmp/text.bak"; then ok; else bad "merge modified a foreign input"; fi

# --- readers during batches ----------------------------------------------------------
# rank, show and export, over and over while two --force batches rewrite every
# score at once: each reader holds one snapshot (store.c), so it never fails,
# never waits, and never sees a report twice, missing, or a scorecard torn
# between the old score and the new.
rdb=$tmp/clean.db
code=$(q "$rdb" "SELECT code FROM companies ORDER BY id LIMIT 1")
"$CNRS" show --db "$rdb" --format json "$code" | sed 's/,"db":{.*}}$/}/' > "$tmp/show.ref"
nrank=$("$CNRS" rank --db "$rdb" --format csv | wc -l | tr -d ' ')
nexp=$("$CNRS" export --db "$rdb" --what indicators | wc -l | tr -d ' ')
( for j in 1 2 1; do $B --quiet --force --jobs $j --db "$rdb" "$gen" || exit; done ) 2> "$tmp/w1.err" &
w1=$!
( for j in 2 1 2; do $B --quiet --force --jobs $j --db "$rdb" "$gen" || exit; done ) 2> "$tmp/w2.err" &
w2=$!
reads=0 rfail=0 rbad=0
while kill -0 $w1 2>/dev/null || kill -0 $w2 2>/dev/null || [ $reads -lt 3 ]; do
    reads=$((reads + 1))
    "$CNRS" rank --db "$rdb" --format csv > "$tmp/r.csv" 2> "$tmp/r.err" || { rfail=$((rfail + 1)); cat "$tmp/r.err" >&2; }
    [ "$(wc -l < "$tmp/r.csv" | tr -d ' ')" = "$nrank" ] || { rbad=$((rbad + 1)); echo "rank during a batch: $(wc -l < "$tmp/r.csv") lines, expected $nrank" >&2; }
    [ -z "$(cut -d, -f1,10,12 "$tmp/r.csv" | sort | uniq -d)" ] || { rbad=$((rbad + 1)); echo "rank during a batch: a report twice" >&2; }
    "$CNRS" show --db "$rdb" --format json "$code" > "$tmp/s.json" 2> "$tmp/r.err" || { rfail=$((rfail + 1)); cat "$tmp/r.err" >&2; }
    sed 's/,"db":{.*}}$/}/' "$tmp/s.json" | cmp -s - "$tmp/show.ref" || { rbad=$((rbad + 1)); echo "show during a batch differs" >&2; }
    "$CNRS" export --db "$rdb" --what indicators > "$tmp/e.csv" 2> "$tmp/r.err" || { rfail=$((rfail + 1)); cat "$tmp/r.err" >&2; }
    [ "$(wc -l < "$tmp/e.csv" | tr -d ' ')" = "$nexp" ] || { rbad=$((rbad + 1)); echo "export during a batch: $(wc -l < "$tmp/e.csv") lines, expected $nexp" >&2; }
done
wait $w1; s1=$?
wait $w2; s2=$?
same "two --force batches beside the readers finish" "0 0" "$s1 $s2"
same "readers during batches: none failed" 0 "$rfail"
same "readers during batches: every read consistent" 0 "$rbad"
if [ "$reads" -ge 3 ]; then ok; else bad "only $reads reads during the batches"; fi
same "after the --force batches: each report once" "$N|$N" "$(q "$rdb" 'SELECT count(*), count(DISTINCT report_id) FROM scores')"
"$CNRS" export --db "$rdb" --what indicators > "$tmp/forced.csv"
if cmp -s "$tmp/clean.csv" "$tmp/forced.csv"; then ok; else bad "--force batches changed the scores"; fi
echo "batch: $reads rounds of rank, show and export during two --force batches"

# --- a full disk ------------------------------------------------------------------------
# Past `ulimit -f` write() fails with EFBIG (cnrs ignores SIGXFSZ); on a full
# file system with ENOSPC. Either way: status 25, a message naming the
# database and "disk full", the reports stored before whole, the run closed
# with its counts, and the same command with room stores the rest, once each.
# full_checks DESC DB [NAME] : DB (called NAME when it ran) after a batch
# stopped by a full disk ($tmp/err)
full_checks() {
    expect_err "cnrs: ${3:-$2}: .*disk full (" "$1: the message names the database and the problem"
    expect_err "stopped after [0-9]* of $N inputs" "$1: how far it got"
    same "$1: integrity" ok "$(q "$2" 'PRAGMA integrity_check')"
    fgot=$(q "$2" 'SELECT count(*) FROM scores')
    if [ "$fgot" -gt 0 ] && [ "$fgot" -lt "$N" ]; then ok; else bad "$1: $fgot of $N stored before the fault"; fi
    same "$1: no partial report" 0 "$(q "$2" 'SELECT count(*) FROM scores s WHERE (SELECT count(*) FROM indicator_scores i WHERE i.score_id = s.id) <> 16 OR NOT EXISTS (SELECT 1 FROM evidence_sets e WHERE e.score_id = s.id)')"
    same "$1: no report without a score" 0 "$(q "$2" 'SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE s.report_id = r.id)')"
    same "$1: the run is closed with its counts" "1|$fgot|$N" "$(q "$2" 'SELECT finished_at IS NOT NULL, scored, inputs FROM runs')"
    echo "batch: $1: $fgot of $N reports stored before the fault; $(grep 'disk full' "$tmp/err")"
}
# rerun_checks DESC DB STORED : the same batch again, with room ($tmp/out)
rerun_checks() {
    expect_out "unchanged  *$3\$" "$1, again: what was stored is unchanged"
    expect_out "scored  *$((N - $3))\$" "$1, again: the rest is scored"
    same "$1, again: each report once" "$N|$N" "$(q "$2" 'SELECT count(*), count(DISTINCT report_id) FROM scores')"
    same "$1, again: integrity" ok "$(q "$2" 'PRAGMA integrity_check')"
    "$CNRS" export --db "$2" --what indicators > "$tmp/full.csv"
    if cmp -s "$tmp/clean.csv" "$tmp/full.csv"; then ok; else bad "$1: stopped and resumed batch differs from a clean one"; fi
}
fdb=$tmp/fsize.db
# dash counts ulimit -f in 512-byte blocks, bash in KiB: 2 or 4 MiB, a few dozen reports of WAL
expect_status 25 "batch past ulimit -f" sh -c 'ulimit -f 4096 && exec "$@"' sh $B --jobs 2 --db "$fdb" "$gen"
full_checks "ulimit -f" "$fdb"
expect_status 0 "ulimit -f: the same command with room" $B --jobs 2 --db "$fdb" "$gen"
rerun_checks "ulimit -f" "$fdb" "$fgot"

# A tiny tmpfs, in a mount namespace of its own (root only; skipped otherwise):
# the batch there, then the same command after a remount with room.
mkdir "$tmp/small"
if [ "$(id -u)" = 0 ] && command -v unshare > /dev/null &&
   unshare -m sh -c "mount -t tmpfs -o size=1m cnrs-test '$tmp/small'" 2> /dev/null; then
    unshare -m sh -c '
        t=$1; shift
        mount -t tmpfs -o size=1m cnrs-test "$t/small" || exit 99
        "$@" --jobs 2 --db "$t/small/x.db" "$t/gen" > "$t/tf1.out" 2> "$t/tf1.err"; echo $? > "$t/tf1.st"
        for f in x.db x.db-wal x.db-shm; do [ -e "$t/small/$f" ] && cp "$t/small/$f" "$t/tfull-$f"; done
        mount -o remount,size=64m "$t/small" || exit 98
        "$@" --jobs 2 --db "$t/small/x.db" "$t/gen" > "$t/tf2.out" 2> "$t/tf2.err"; echo $? > "$t/tf2.st"
        for f in x.db x.db-wal x.db-shm; do [ -e "$t/small/$f" ] && cp "$t/small/$f" "$t/tdone-$f"; done
    ' sh "$tmp" $B
    cp "$tmp/tf1.err" "$tmp/err"
    same "tmpfs full: status 25" 25 "$(cat "$tmp/tf1.st" 2>/dev/null)"
    expect_err "No space left on device" "tmpfs full: ENOSPC"
    full_checks "tmpfs full" "$tmp/tfull-x.db" "$tmp/small/x.db"
    cp "$tmp/tf2.out" "$tmp/out"
    same "tmpfs with room: the same command finishes" 0 "$(cat "$tmp/tf2.st" 2>/dev/null)"
    rerun_checks "tmpfs" "$tmp/tdone-x.db" "$fgot"
else
    echo "SKIP: disk full on a tiny tmpfs: needs root and unshare -m with mount (the ulimit -f case ran)"
fi

echo "batch: $pass passed, $fail failed"
[ "$fail" = 0 ]
