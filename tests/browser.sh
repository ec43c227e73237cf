#!/bin/sh
# browser.sh CNRS RUBRIC BUILD - the static site in headless Chromium: the
# index (zh and en), a scorecard with several years, the heatmap, the
# method page (zh and en) and the page of a hostile company are rendered to
# PNG screenshots under BUILD/screens/ (look at them), and each page must
# run its script without an error: the DOM Chromium dumps after loading
# must carry the marker the script sets last (<html data-js="ok">), and
# Chromium's log must hold no console line at all (the site's script logs
# nothing; Chromium logs console.error and uncaught exceptions alike as
# INFO:CONSOLE). The method page must show its sections and every page must
# link to it. Skipped, with a message, when chromium is not installed
# (Debian package chromium, DEB_TEST).
CNRS=$1 RUBRIC=$2 BUILD=$3
if ! command -v chromium > /dev/null 2>&1; then
    echo "browser: chromium not installed; skipped (apt-get install chromium fonts-noto-cjk)"
    exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/lib.sh"
screens=$BUILD/screens
mkdir -p "$screens"
screens=$(cd "$screens" && pwd)

# The corpora, plus one company with a 2022 report (another company's text,
# so the scores differ) for the chart across years, plus a hostile name.
mkdir "$tmp/in"
cp corpora/*.txt corpora/*.html "$tmp/in/"
{ cat corpora/300865_xingyun-motor-demo_2023_zh.txt; printf '\n'; } \
    > "$tmp/in/600736_huacheng-power-demo_2022_zh.txt" # not the same bytes: stored
{ cat corpora/600977_skyline-data-demo_2023_en.txt
  printf '\n公司建立了环境管理体系<script>alert(1)</script>，并制定了环境方针与环保理念。\n'; } \
    > "$tmp/in/x.txt"
printf 'path,company,code,year,industry\nx.txt,<script>alert(1)</script>,../../etc,2023,data\n' > "$tmp/in/m.csv"
"$CNRS" batch --quiet --rubric "$RUBRIC" --db "$tmp/b.db" --manifest "$tmp/in/m.csv" "$tmp/in" \
    > /dev/null 2>"$tmp/batch.err" || { echo "browser: batch failed: $(cat "$tmp/batch.err")" >&2; exit 1; }
"$CNRS" report --db "$tmp/b.db" --out "$tmp/zh" > /dev/null || bad "report zh"
"$CNRS" report --db "$tmp/b.db" --out "$tmp/en" --lang en > /dev/null || bad "report en"

# The Chromium flags of the issue; a throw-away profile; no network at all.
CHROME="chromium --headless --no-sandbox --disable-gpu --disable-background-networking
 --no-first-run --no-default-browser-check --disable-extensions --hide-scrollbars
 --user-data-dir=$tmp/profile --enable-logging=stderr --v=0"

# shoot NAME PAGE: screenshot and DOM of one page.
shoot() {
    name=$1 page=$2
    if [ ! -f "$page" ]; then bad "$name: no page $page"; return; fi
    url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
    # shellcheck disable=SC2086
    timeout 60 $CHROME --screenshot="$screens/$name.png" --window-size=1280,2000 "$url" \
        > /dev/null 2> "$tmp/$name.shot.log"
    if [ -s "$screens/$name.png" ]; then ok; else bad "$name: no screenshot ($(tail -3 "$tmp/$name.shot.log"))"; fi
    # shellcheck disable=SC2086
    timeout 60 $CHROME --dump-dom "$url" > "$tmp/$name.dom" 2> "$tmp/$name.dom.log"
    if grep -q '<html[^>]* data-js="ok"' "$tmp/$name.dom"; then ok; else bad "$name: the page's script did not run to its end"; fi
    if grep -h -E 'CONSOLE|Uncaught' "$tmp/$name.shot.log" "$tmp/$name.dom.log"; then
        bad "$name: console errors (above)"
    else ok; fi
    if grep -q '<script>alert' "$tmp/$name.dom"; then bad "$name: a script element from the data in the DOM"; else ok; fi
}

card=$(ls "$tmp/zh/cards/" | grep '^600736-2023-')
evil=$(ls "$tmp/zh/cards/" | grep '^______etc-')
shoot index "$tmp/zh/index.html"
shoot card "$tmp/zh/cards/$card"
shoot heatmap "$tmp/zh/heatmap.html"
shoot hostile "$tmp/zh/cards/$evil"
shoot index-en "$tmp/en/index.html"
shoot card-en "$tmp/en/cards/$card"
shoot method "$tmp/zh/method.html"
shoot method-en "$tmp/en/method.html"
# The escaped name shows as text on the hostile company's page.
if grep -q '<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>' "$tmp/hostile.dom"; then ok; else bad "hostile: the name is not shown as text"; fi

# The method page renders its sections and the weights chart; every page's
# navigation reaches it.
for sec in auto stages points columns rubric; do
    if grep -q "id=\"$sec\"" "$tmp/method.dom"; then ok; else bad "method: no section $sec in the DOM"; fi
done
if grep -q '<svg' "$tmp/method.dom"; then ok; else bad "method: no weights chart"; fi
for name in index card heatmap hostile; do
    if grep -q 'href="[./]*method.html"' "$tmp/$name.dom"; then ok; else bad "$name: no link to the method page"; fi
done
echo "browser: $pass passed, $fail failed; screenshots in $screens"
[ "$fail" = 0 ]
