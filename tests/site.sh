#!/bin/sh
# site.sh CNRS RUBRIC - `cnrs report`, the static site: usage errors and exit
# statuses; the site of the corpora (every page, every relative link, pages
# parse as XML when xmllint is there); the emissions inventory of three
# corpora reports; hostile company names, codes,
# industries, file names and evidence (nothing written outside DIR, no raw
# markup, the escaped form present); --lang, --year; an output that is a
# file; a write that fails part-way leaves only whole pages and no index.
# POSIX sh plus find, grep, sed; xmllint (libxml2-utils) when installed.
CNRS=$1 RUBRIC=$2
tmp=$(mktemp -d) || exit 1
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/lib.sh"

# check_site DIR DESC: every page starts with the doctype and <html lang>,
# parses as XML (xmllint --nonet, no entity substitution), every href/src is
# relative and names an existing file of the site; no temporary file is left.
# Sets $pages to the number of pages checked.
check_site() {
    dir=$1 desc=$2
    pages=0
    for page in "$dir"/*.html "$dir"/cards/*.html; do
        [ -f "$page" ] || continue
        pages=$((pages + 1))
        if head -c 28 "$page" | grep -q '^<!DOCTYPE html>$' && sed -n 2p "$page" | grep -q '^<html lang="'; then ok
        else bad "$desc: $page does not start with <!DOCTYPE html> and <html lang>"; fi
        if [ -n "$XMLLINT" ]; then
            if "$XMLLINT" --noout --nonet "$page" 2>"$tmp/xml"; then ok; else bad "$desc: $page is not well-formed: $(head -3 "$tmp/xml")"; fi
        fi
        pdir=$(dirname "$page")
        grep -o -E '(href|src)="[^"]*"' "$page" | sed -E 's/^(href|src)="//; s/"$//' | sort -u > "$tmp/links"
        while IFS= read -r link; do
            case $link in
            *:* | /* | "") bad "$desc: $page: link '$link' is not relative"; continue ;;
            \#*) grep -q "id=\"${link#\#}\"" "$page" || bad "$desc: $page: no id for '$link'"; continue ;;
            esac
            target=${link%%#*}
            if [ -f "$pdir/$target" ]; then ok; else bad "$desc: $page: link '$link' names no file"; fi
        done < "$tmp/links"
    done
    left=$(find "$dir" -name '.*' | wc -l)
    same "$desc: no temporary files left" 0 "$left"
}
XMLLINT=$(command -v xmllint || true)
[ -n "$XMLLINT" ] || echo "site.sh: xmllint not installed; XML parsing is left to the Check suite (test_site.c)"

# --- usage and exit statuses ------------------------------------------------------
db=$tmp/corpora.db
"$CNRS" batch --quiet --rubric "$RUBRIC" --db "$db" $TEAM > /dev/null 2>&1 || bad "batch corpora"
expect_status 2 "report without --out" "$CNRS" report --db "$db"
expect_err "--out DIR is required" "names the missing option"
if [ -e "$tmp/site" ]; then bad "report without --out wrote something"; else ok; fi
expect_status 2 "report without --db" "$CNRS" report --out "$tmp/site"
expect_err "--db FILE is required" "names --db"
expect_status 2 "--out without a value" "$CNRS" report --db "$db" --out
expect_status 2 "unknown language" "$CNRS" report --db "$db" --out "$tmp/site" --lang fr
expect_err 'unknown language "fr"' "names the language"
expect_status 2 "bad year" "$CNRS" report --db "$db" --out "$tmp/site" --year 1800
expect_status 2 "stray argument" "$CNRS" report --db "$db" --out "$tmp/site" extra
expect_status 25 "missing database" "$CNRS" report --db "$tmp/none.db" --out "$tmp/site"
printf 'not a database\n' > "$tmp/text.db"
expect_status 25 "not a cnrs database" "$CNRS" report --db "$tmp/text.db" --out "$tmp/site"
if [ -e "$tmp/site" ]; then bad "a failed open created the site directory"; else ok; fi
expect_status 3 "missing rubric" "$CNRS" report --db "$db" --out "$tmp/site" --rubric "$tmp/none.xml"
printf 'keep' > "$tmp/file"
expect_status 11 "--out is a file" "$CNRS" report --db "$db" --out "$tmp/file"
expect_err "not a directory" "says why"
same "the file is untouched" keep "$(cat "$tmp/file")"

# --- the corpora ------------------------------------------------------------------
n=$(echo $TEAM | wc -w | tr -d ' ')
expect_status 0 "report corpora" "$CNRS" report --db "$db" --out "$tmp/site/a/b"
same "last line is the index" "$tmp/site/a/b/index.html" "$(tail -1 "$tmp/out")"
expect_out "cnrs report: $n scorecards" "summary line"
for f in index.html heatmap.html method.html site.css site.js; do
    if [ -s "$tmp/site/a/b/$f" ]; then ok; else bad "no $f"; fi
done
same "one card per report" "$n" "$(ls "$tmp/site/a/b/cards" | grep -c '\.html$')"
check_site "$tmp/site/a/b" corpora
same "pages checked" "$((n + 3))" "$pages"
idx=$tmp/site/a/b/index.html
grep -q '<html lang="zh-CN">' "$idx" && ok || bad "default language is zh"
grep -q '分赛道排名' "$idx" && ok || bad "Chinese labels"
grep -q 'font-family:"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC"' "$tmp/site/a/b/site.css" && ok || bad "CJK font stack"
grep -q '<svg ' "$idx" && ok || bad "charts are inline SVG"
# Evidence on the cards names its section (the heading path).
grep -q '<span class="sec">[^<]* &gt; [^<]*</span></li>' "$tmp/site/a/b"/cards/*.html && ok ||
    bad "no evidence section on the cards"
if grep -q -E '(src|href)="(https?:)?//' "$tmp/site/a/b"/*.html "$tmp/site/a/b"/cards/*.html; then bad "something is fetched from the network"; else ok; fi
# The emissions inventory. 601228 (HTML) prints a table of scope 1 (152,340,
# 148,920, 141,650 tCO2e) and scope 2 (86,210, 83,470, 79,880) for 2021-2023,
# and states 2023's scope 1 (141,650) in a sentence too: one number in its
# cell, and six bars (the totals hold the scopes and are not drawn).
inv=$(ls "$tmp"/site/a/b/cards/601228-*.html)
grep -q '<section class="inventory"><h2>排放清单</h2>' "$inv" && ok || bad "inventory: no section"
grep -q '<th>范围</th><th>2021</th><th>2022</th><th>2023</th></tr>' "$inv" && ok || bad "inventory: year columns 2021-2023"
for row in 'sc1">.*>152,340</span></td><td class="num"><span[^>]*>148,920</span></td><td class="num"><span[^>]*>141,650</span></td></tr>'            'sc2">.*>86,210</span></td><td class="num"><span[^>]*>83,470</span></td><td class="num"><span[^>]*>79,880</span></td></tr>'; do
    grep -q "<tr class=\"$row" "$inv" && ok || bad "inventory: row $row"
done
grep -q '<span class="src" title="141,650 吨二氧化碳当量">141,650</span></td></tr>' "$inv" && ok || bad "inventory: a restated figure is one number with its unit as printed"
same "inventory: six bars" 6 "$(grep -o 'class="bar [a-z0-9]*"' "$inv" | wc -l | tr -d ' ')"
same "inventory: the bars are scopes 1 and 2" "sc1 sc2 sc1 sc2 sc1 sc2" \
    "$(grep -o 'class="bar [a-z0-9]*"' "$inv" | sed 's/.* //; s/"//' | tr '\n' ' ' | sed 's/ $//')"
# 600736 prints the intensity 0.802吨二氧化碳当量/兆瓦时: its own table, not tCO2e.
grep -q '<table class="inv int">' "$tmp"/site/a/b/cards/600736-*.html && ok || bad "inventory: no intensity table"
if grep -q 'class="src"[^>]*>0\.8' "$tmp"/site/a/b/cards/600736-*.html; then bad "inventory: the intensity among the tCO2e"; else ok; fi
grep -q '<td>0\.802 吨二氧化碳当量/兆瓦时' "$tmp"/site/a/b/cards/600736-*.html && ok || bad "inventory: the intensity as printed"
# 002918 states no emissions: one line, no table.
grep -q '<h2>排放清单</h2>$' "$tmp"/site/a/b/cards/002918-*.html && ok || bad "inventory: no heading on 002918"
grep -q '<p class="note">报告中未找到公司自身的温室气体排放数字。</p>' "$tmp"/site/a/b/cards/002918-*.html && ok || bad "inventory: 002918 does not say none was found"
if grep -q '<table class="inv' "$tmp"/site/a/b/cards/002918-*.html; then bad "inventory: an empty table on 002918"; else ok; fi
# Run again over the same directory: pages replaced, nothing left over.
expect_status 0 "report again" "$CNRS" report --db "$db" --out "$tmp/site/a/b"
same "still one card per report" "$n" "$(ls "$tmp/site/a/b/cards" | wc -l)"

expect_status 0 "--lang en" "$CNRS" report --db "$db" --out "$tmp/en" --lang en
grep -q '<html lang="en">' "$tmp/en/index.html" && ok || bad "--lang en: lang attribute"
grep -q 'Rankings by track' "$tmp/en/index.html" && ok || bad "--lang en: English labels"
grep -q '<h2>Emissions inventory</h2>' "$tmp"/en/cards/601228-*.html && ok || bad "--lang en: inventory heading"
check_site "$tmp/en" en

expect_status 0 "--year with nothing" "$CNRS" report --db "$db" --out "$tmp/y" --year 2022
expect_err "no scored reports for 2022" "says there is nothing"
grep -q '没有已评分的报告' "$tmp/y/index.html" && ok || bad "empty index says so"
same "no cards" 0 "$(ls "$tmp/y/cards" | wc -l)"

# --- hostile names and evidence ---------------------------------------------------
w=$tmp/h
mkdir -p "$w/in"
cp corpora/600736_huacheng-power-demo_2023_zh.txt "$w/in/a.txt"
cp corpora/002918_qinghe-textile-demo_2023_zh.txt "$w/in/b.txt"
{ cat corpora/600977_skyline-data-demo_2023_en.txt
  printf '\n公司建立了环境管理体系<script>alert(1)</script>，并制定了环境方针与环保理念。\n'
  printf 'We reduced Scope 1 emissions to 1,200 tCO2e in 2023 <script>alert(1)</script> & "q" '"'"'a'"'"'.\n'
} > "$w/in/c.txt"
cp corpora/603716_lvyuan-food-demo_2023_zh.txt "$w/in/600001_<img src=x onerror=alert(2)>_2023.txt"
printf 'path,company,code,year,industry\nin/a.txt,../../etc,../../etc,2023,../x\nin/b.txt,a/b,a/b,2023,<i>ind</i>\nin/c.txt,<script>alert(1)</script>,<b>x</b>,2023,\n' > "$w/m.csv"
"$CNRS" batch --quiet --rubric "$RUBRIC" --db "$w/h.db" --manifest "$w/m.csv" "$w/in" > /dev/null 2>&1 || bad "batch hostile"
(cd "$tmp" && find . | sort) > "$tmp/before"
expect_status 0 "report hostile" "$CNRS" report --db "$w/h.db" --out "$w/out/site"
(cd "$tmp" && find . | sort) > "$tmp/after"
comm -13 "$tmp/before" "$tmp/after" | grep -v -E '^\./(out|err|before|after|new|raw|links|xml)$' > "$tmp/new"
outside=$(grep -v -E '^\./h/out(/site(/.*)?)?$' "$tmp/new" || true)
same "nothing written outside DIR" "" "$outside"
same "four cards" 4 "$(ls "$w/out/site/cards" | wc -l)"
if ls "$w/out/site/cards" | grep -q -v -E '^[A-Za-z0-9_-]+\.html$'; then bad "unsafe page names: $(ls "$w/out/site/cards")"; else ok; fi
check_site "$w/out/site" hostile
if grep -r -l '<script>alert' "$w/out/site" > "$tmp/raw"; then bad "raw <script>alert in $(cat "$tmp/raw")"; else ok; fi
if grep -r -l -e '<img src=x' -e '<b>x</b>' -e '<i>ind</i>' "$w/out/site" > "$tmp/raw"; then bad "raw markup from names in $(cat "$tmp/raw")"; else ok; fi
esc=$(grep -r -l '&lt;script&gt;alert(1)&lt;/script&gt;' "$w/out/site" | wc -l)
if [ "$esc" -ge 3 ]; then ok; else bad "escaped <script> on $esc pages, expected index, heatmap and the card"; fi
grep -q '体系&lt;script&gt;alert(1)&lt;/script&gt;，并制定' "$w"/out/site/cards/_b_x__b_-*.html && ok || bad "escaped evidence on the card"
grep -q '&amp; &quot;q&quot; &#39;a&#39;' "$w"/out/site/cards/_b_x__b_-*.html && ok || bad "& \" ' escaped"

# --- publishing: --by, --title, --date, the method page, stage 0, charts ----------
# Two stage-3 reports of different industries (huacheng 64.1 > skyline 50.4)
# and one stage-0 report. By stage (the default) the two share one table
# ("1 / 2", "2 / 2"); by stage and industry each is alone ("1 / 1").
p=$tmp/pub
mkdir -p "$p/in"
cp corpora/600736_huacheng-power-demo_2023_zh.txt corpora/600977_skyline-data-demo_2023_en.txt \
    corpora/600871_canglan-energy-demo_2023_zh.txt "$p/in/"
printf 'path,company,code,year,industry\nin/600736_huacheng-power-demo_2023_zh.txt,huacheng,600736,2023,power\nin/600977_skyline-data-demo_2023_en.txt,skyline,600977,2023,data\nin/600871_canglan-energy-demo_2023_zh.txt,沧澜能源股份有限公司,600871,2023,energy\n' > "$p/m.csv"
"$CNRS" batch --quiet --rubric "$RUBRIC" --db "$p/secret-name.db" --manifest "$p/m.csv" "$p/in" > /dev/null 2>&1 || bad "batch publishing"
expect_status 2 "unknown --by" "$CNRS" report --db "$p/secret-name.db" --out "$p/x" --by industry
expect_err 'unknown --by "industry"' "names the value"
expect_status 2 "--date not a date" "$CNRS" report --db "$p/secret-name.db" --out "$p/x" --date 2023-02-29
expect_err "YYYY-MM-DD" "says the form"
expect_status 2 "--date not a date" "$CNRS" report --db "$p/secret-name.db" --out "$p/x" --date 30/06/2024
expect_status 0 "report by stage" "$CNRS" report --db "$p/secret-name.db" --out "$p/st" \
    --title 'Ranking <2024>' --date 2024-06-30
check_site "$p/st" publishing
same "pages: index, heatmap, method, 3 cards" 6 "$pages"
card() { cat "$1"/cards/"$2"-*.html; }
card "$p/st" 600736 | grep -q '赛道内排名 1 / 2' && ok || bad "by stage: huacheng is 1 of 2 ($(card "$p/st" 600736 | grep -o '赛道内排名[^<]*'))"
card "$p/st" 600977 | grep -q '赛道内排名 2 / 2' && ok || bad "by stage: skyline is 2 of 2"
same "by stage: one table per stage (3 and 0)" 2 "$(grep -c 'class="track"' "$p/st/index.html")"
if grep -q '<h4[^>]*>[^<]*行业' "$p/st/index.html"; then bad "by stage: a table is headed by an industry"; else ok; fi
expect_status 0 "report by stage and industry" "$CNRS" report --db "$p/secret-name.db" --out "$p/si" --by stage-industry
card "$p/si" 600736 | grep -q '赛道内排名 1 / 1' && ok || bad "by stage-industry: huacheng alone"
card "$p/si" 600977 | grep -q '赛道内排名 1 / 1' && ok || bad "by stage-industry: skyline alone"
same "by stage-industry: one table per stage and industry" 3 "$(grep -c 'class="track"' "$p/si/index.html")"
# Stage 0 (spec section 3: scores 0): listed without a rank and without "/ 0".
card "$p/st" 600871 | grep -q '赛道内排名' && bad "stage 0 has a rank" || ok
card "$p/st" 600871 | grep -q '不参与排名' && ok || bad "stage 0 says it is not ranked"
grep -q '<tr><td class="num">—</td><td><a href="cards/600871-' "$p/st/index.html" && ok || bad "stage 0 row has no rank"
if grep -q '0\.0 / 0<' "$p/st/index.html" "$p"/st/cards/600871-*.html; then bad "stage 0 shown as 0.0 / 0"; else ok; fi
# Title, date, no file names of this machine.
for page in "$p"/st/*.html "$p"/st/cards/*.html; do
    grep -q '<title>[^<]*Ranking &lt;2024&gt;</title>' "$page" && ok || bad "--title not in <title> of $page"
    grep -q '<footer>.*2024-06-30' "$page" && ok || bad "--date not in the footer of $page"
    grep -q 'href="\(\.\./\)\{0,1\}method\.html"' "$page" && ok || bad "$page does not link the method page"
done
grep -q '<h1>Ranking &lt;2024&gt;</h1>' "$p/st/index.html" && ok || bad "--title is the index heading"
if grep -r -l -e 'secret-name' -e "$tmp" "$p/st" > "$tmp/raw"; then bad "a path of this machine in $(cat "$tmp/raw")"; else ok; fi
today=$(date -u +%Y-%m-%d)
grep -q "<footer>.*$today" "$p/si/index.html" && ok || bad "without --date the footer shows today ($today)"
# The method page: automatic reading and review; the rubric's numbers (spec
# section 2: C6 weighs 100 * 14.5 / 120 = 12.083; section 4: B5 is 90-100%).
m=$p/st/method.html
grep -q '<section id="auto">' "$m" && grep -q '全部得分由程序 cnrs 自动阅读报告文本得出' "$m" && ok || bad "method: automatic reading"
grep -q '申请复核' "$m" && ok || bad "method: how to ask for a review"
grep -q '<td>C6</td><td>[^<]*</td><td class="num">2</td><td class="num">12.083</td>' "$m" && ok || bad "method: C6's weight from the rubric"
grep -q '<td>B5</td><td class="num">90–100%</td>' "$m" && ok || bad "method: band B5's range"
grep -q '满分：100' "$m" && ok || bad "method: stage 3's maximum"
for col in stage weight band cov quant sent pct pts marks; do
    card "$p/st" 600736 | grep -q "href=\"../method.html#col-$col\"" && ok || bad "card header $col does not link the method"
    grep -q "id=\"col-$col\"" "$m" && ok || bad "method: no entry for column $col"
done
expect_status 0 "report en" "$CNRS" report --db "$p/secret-name.db" --out "$p/en" --lang en
grep -q 'automatic reading of the report text' "$p/en/method.html" && ok || bad "method en: automatic reading"
grep -q 'not ranked' "$p"/en/cards/600871-*.html && ok || bad "en: stage 0 not ranked"
# Charts of the corpora (stage maxima 16, 52, 100): whole-number ticks; the
# counts over the bars (class small) stay below the title (baseline 16,
# 14px): no y under 30.
if grep -o '<text[^>]*class="small">[0-9.]*</text>' "$tmp/site/a/b/index.html" | grep -q '>[0-9]*\.[0-9]'; then
    bad "a chart tick or count is not a whole number"
else ok; fi
top=$(grep -o '<text[^>]*y="[0-9.]*"[^>]*class="small"' "$tmp/site/a/b/index.html" | sed 's/.*y="\([0-9]*\).*/\1/' | sort -n | head -1)
if [ -n "$top" ] && [ "$top" -ge 30 ]; then ok; else bad "a bar's count at y=$top overlaps the chart title"; fi

# --- CSV and the workbook -------------------------------------------------------------
# rank --format csv starts with the UTF-8 byte-order mark (as export does), so
# Excel reads Chinese names right.
expect_status 0 "rank csv" "$CNRS" rank --format csv corpora/600736_huacheng-power-demo_2023_zh.txt
same "rank csv starts with a UTF-8 BOM" "efbbbf" "$(head -c 3 "$tmp/out" | od -An -tx1 | tr -d ' \n')"
# rank --db --format xlsx: a zip with the ranking, indicators and evidence
# sheets; the header row frozen; an autofilter over the header and the 3
# reports (A1:M4: 13 columns, 4 rows); the company column wide enough for a
# name of 10 CJK characters (2 columns each, plus 2: 22).
expect_status 2 "--out without xlsx" "$CNRS" rank --db "$p/secret-name.db" --format csv --out "$p/r.csv"
expect_err "--out FILE is for --format xlsx" "says --out needs xlsx"
expect_status 2 "unknown format" "$CNRS" rank --db "$p/secret-name.db" --format xls
expect_err "text, csv, json or xlsx" "lists xlsx"
expect_status 0 "rank xlsx" "$CNRS" rank --db "$p/secret-name.db" --format xlsx --out "$p/r.xlsx"
same "rank xlsx: nothing on stdout" 0 "$(wc -c < "$tmp/out" | tr -d ' ')"
if unzip -tq "$p/r.xlsx" > /dev/null 2>&1; then ok; else bad "rank xlsx is not a zip"; fi
unzip -p "$p/r.xlsx" xl/workbook.xml > "$p/wb.xml"
for sheet in ranking indicators evidence figures; do
    grep -q "<sheet name=\"$sheet\"" "$p/wb.xml" && ok || bad "workbook: no sheet $sheet"
done
unzip -p "$p/r.xlsx" xl/worksheets/sheet1.xml > "$p/s1.xml"
grep -q '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' "$p/s1.xml" && ok || bad "ranking: header row not frozen"
grep -q '<autoFilter ref="A1:M4"/>' "$p/s1.xml" && ok || bad "ranking: no autofilter over A1:M4"
grep -q '<col min="11" max="11" width="22\.' "$p/s1.xml" && ok || bad "ranking: company column not 22 wide: $(grep -o '<col min="11"[^>]*>' "$p/s1.xml")"
unzip -p "$p/r.xlsx" xl/sharedStrings.xml | grep -q '沧澜能源股份有限公司' && ok || bad "workbook: the Chinese company name"
# The same score as the CSV, written as a number (column F; the library
# writes 17 significant digits, so compared as numbers).
sc=$("$CNRS" rank --db "$p/secret-name.db" --format csv | grep ',600736,' | cut -d, -f6)
grep -o '<c r="F[0-9]*"><v>[^<]*' "$p/s1.xml" | sed 's/.*<v>//' |
    awk -v s="$sc" '{ d = $1 - s; if (d < 0) d = -d; if (d < 0.001) f = 1 } END { exit !f }' &&
    ok || bad "ranking: huacheng's score $sc not a number cell"
for n in 2 3 4; do
    unzip -p "$p/r.xlsx" xl/worksheets/sheet$n.xml | grep -q 'state="frozen"' && ok || bad "sheet $n: header not frozen"
done
# The figures sheet holds the own-inventory columns (docs/figures.md).
unzip -p "$p/r.xlsx" xl/sharedStrings.xml | grep -q '<t>tco2e</t>' && ok || bad "workbook: the figures sheet's tco2e column"
# export --format xlsx to standard output (not a terminal): the same sheets.
expect_status 0 "export xlsx" "$CNRS" export --db "$p/secret-name.db" --format xlsx
if unzip -tq "$tmp/out" > /dev/null 2>&1; then ok; else bad "export xlsx is not a zip"; fi
same "export xlsx sheets" "ranking indicators evidence figures" \
    "$(unzip -p "$tmp/out" xl/workbook.xml | grep -o '<sheet name="[a-z]*"' | sed 's/.*="//; s/"//' | tr '\n' ' ' | sed 's/ $//')"

# --- the method in the repository --------------------------------------------------
# Text scorecards name their columns and point to docs/method.md, which
# explains every one of them.
expect_status 0 "score text" "$CNRS" score corpora/600736_huacheng-power-demo_2023_zh.txt
expect_out "See docs/method.md" "score: the legend points to the method"
expect_status 0 "show text" "$CNRS" show --db "$p/secret-name.db" 600736
expect_out "See docs/method.md" "show: the legend points to the method"
for col in '`c`' '`q`' '`S`' '`n`' '`T C I`' '`pct`' '`points`' '`weight`' '`band`'; do
    grep -q "^| $col" docs/method.md && ok || bad "docs/method.md does not explain column $col"
done
for band in B0 B1 B2 B3 B4 B5; do
    grep -q "^| $band |" docs/method.md && ok || bad "docs/method.md has no row for band $band"
done

# --- a write that fails part-way: only whole pages --------------------------------
# A directory where the third card's page should go: its rename fails
# (EISDIR) after two cards were written.
third=$(basename "$(ls "$tmp"/site/a/b/cards/600977-*.html)")
mkdir -p "$tmp/small/cards/$third/x"
expect_status 11 "a failed write" "$CNRS" report --db "$db" --out "$tmp/small"
expect_err "$third: cannot rename into place" "a failed write names the page"
whole=0
for page in "$tmp/small"/*.html "$tmp/small"/cards/*.html; do
    [ -f "$page" ] || continue
    whole=$((whole + 1))
    if tail -c 8 "$page" | grep -q '</html>'; then ok; else bad "half-written page $page"; fi
done
same "the pages before it were written" 2 "$whole"
same "no temporary file after a failed write" 0 "$(find "$tmp/small" -name '.*' | wc -l)"
if [ -e "$tmp/small/index.html" ]; then bad "index written although a page failed"; else ok; fi

echo "site: $pass passed, $fail failed"
[ "$fail" = 0 ]
