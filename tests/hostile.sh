#!/bin/sh
# hostile.sh CNRS RUBRIC - hostile inputs, each with its expected behaviour
# (docs/hardening.md, "Hostile inputs"). Every input is generated here, in a
# temporary directory, with POSIX sh, printf, awk, head, tr, dd and iconv;
# time is bounded with timeout(1) and memory with `ulimit -v`, so a case
# that loops or balloons fails instead of hanging or swapping the machine.
#
# CNRS_TEST_PENDING=1 runs only the pending cases: hostile inputs that still
# fail because of bugs in files this suite does not own (each names the file
# and function). They are kept out of the default run until fixed.
# CNRS_TEST_SLOW=1 also runs cases that need minutes (the pdftohtml deadline
# when the CLI has no option to shorten it).
CNRS=$1 RUBRIC=$2
[ -x "$CNRS" ] && [ -f "$RUBRIC" ] || { echo "usage: hostile.sh CNRS RUBRIC" >&2; exit 2; }
case $CNRS in /*) ;; *) CNRS=$(pwd)/$CNRS ;; esac
case $RUBRIC in /*) ;; *) RUBRIC=$(pwd)/$RUBRIC ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/lib.sh"
skip=0
pending=${CNRS_TEST_PENDING:-0}

skipped() { skip=$((skip + 1)); echo "SKIP: $*"; }

# run SECS VMEM_KB CMD... : run CMD with a deadline and a virtual-memory cap;
# sets $st (124: deadline passed) and $secs (elapsed, whole seconds).
run() {
    t=$1 mem=$2; shift 2
    t0=$(date +%s)
    ( ulimit -v "$mem" 2>/dev/null; exec timeout -s KILL "$t" "$@" ) >"$tmp/out" 2>"$tmp/err" </dev/null
    st=$?
    secs=$(( $(date +%s) - t0 ))
    [ "$st" = 137 ] && st=124 # killed by timeout -s KILL
}
# expect WANT DESC : the last run's status (a space-separated list of choices)
expect() {
    for w in $1; do
        [ "$st" = "$w" ] && { ok; return 0; }
    done
    if [ "$st" = 124 ]; then
        bad "$2: did not finish within its time bound"
    else
        bad "$2: exit $st, expected $1 ($(head -c 300 "$tmp/err"))"
    fi
    return 1
}
expect_no()  { # expect_no STRING DESC : STRING in neither stdout nor stderr
    if grep -q -- "$1" "$tmp/out" "$tmp/err"; then bad "$2: '$1' leaked into the output"; else ok; fi
}
expect_lines() { # expect_lines FILE N DESC
    n=$(wc -l < "$1")
    [ "$n" -eq "$2" ] && ok || bad "$3: $n lines, expected $2"
}
# repeat N STRING : STRING N times, no newline
repeat() { awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

# Memory caps (KiB of virtual memory; cnrs itself needs about 60 MiB).
SMALL=300000   # 300 MiB: ordinary reports, refusals before reading
LARGE=1200000  # 1.2 GiB: inputs up to the 256 MiB default input limit

SENT='公司2023年温室气体排放总量为45.6万吨二氧化碳当量。'
SECRET="cnrs-secret-$$-do-not-leak"
printf '%s\n' "$SECRET" > "$tmp/secret.txt"
printf '<!ENTITY ext "%s">\n' "$SECRET" > "$tmp/secret.dtd"

# lol9 billion-laughs declarations (10^9 copies of "lol" if expanded)
laughs() {
    printf ' <!ENTITY lol "lol">\n'
    printf ' <!ENTITY lol1 "%s">\n' "$(repeat 10 '&lol;')"
    for i in 2 3 4 5 6 7 8 9; do
        printf ' <!ENTITY lol%d "%s">\n' $i "$(repeat 10 "&lol$((i - 1));")"
    done
}
# rubric_with DOCTYPE TITLE-PREFIX > FILE : the shipped rubric with a DOCTYPE
# after the XML declaration and text put in front of its English title.
rubric_with() {
    awk -v dt="$1" -v pre="$2" '
        NR == 1 { print; print dt; next }
        !done && (i = index($0, "<title lang=\"en\">")) {
            $0 = substr($0, 1, i + 16) pre substr($0, i + 17); done = 1 }
        { print }' "$RUBRIC"
}

if [ "$pending" != 1 ]; then
# ==== 1. XML entity attacks ==================================================

# Rubric files are XML a user may download. libxml2 runs without NOENT,
# DTDLOAD or network: entity loops are refused, external entities never read.
rubric_with "<!DOCTYPE rubric [
$(laughs)
]>" '&lol9;' > "$tmp/laughs.xml"
run 10 $SMALL "$CNRS" rubric check "$tmp/laughs.xml"
expect 1 "billion laughs rubric: rubric check refuses it" && expect_err "entity reference loop" "billion laughs rubric message"

for v in 'file' 'dtd' 'param'; do
    case $v in
    file)  rubric_with "<!DOCTYPE rubric [<!ENTITY xxe SYSTEM \"file://$tmp/secret.txt\">]>" '&xxe;' ;;
    dtd)   rubric_with "<!DOCTYPE rubric SYSTEM \"file://$tmp/secret.dtd\">" '&ext;' ;;
    param) rubric_with "<!DOCTYPE rubric [<!ENTITY % p SYSTEM \"file://$tmp/secret.dtd\"> %p;]>" '&ext;' ;;
    esac > "$tmp/xxe-$v.xml"
    run 10 $SMALL "$CNRS" rubric show "$tmp/xxe-$v.xml"
    expect "0 1 3" "XXE rubric ($v): rubric show" && expect_no "$SECRET" "XXE rubric ($v)"
    run 10 $SMALL "$CNRS" rubric check "$tmp/xxe-$v.xml"
    expect_no "$SECRET" "XXE rubric ($v), rubric check"
done

# HTML: libxml2's HTML parser has no DTD processing; entities stay text.
{ printf '<!DOCTYPE html [\n'; laughs; printf ']>\n<html><body><p>%s&lol9;</p></body></html>\n' "$SENT"; } > "$tmp/laughs.html"
run 10 $SMALL "$CNRS" text "$tmp/laughs.html"
expect 0 "billion laughs HTML: read, entities not expanded" && expect_out "温室气体排放总量" "billion laughs HTML keeps its text"
if grep -q 'lollollol' "$tmp/out"; then bad "billion laughs HTML: an entity was expanded"; else ok; fi
printf '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://%s/secret.txt">]>\n<html><body><p>A &xxe; B %s</p></body></html>\n' "$tmp" "$SENT" > "$tmp/xxe.html"
run 10 $SMALL "$CNRS" text "$tmp/xxe.html"
expect 0 "XXE HTML" && expect_no "$SECRET" "XXE HTML"
{ printf '<!DOCTYPE html [<!ENTITY big "%s">]>\n<html><body><p>' "$(repeat 50000 a)"; repeat 20000 '&big;'; printf '</p></body></html>\n'; } > "$tmp/quadratic.html"
run 20 $SMALL "$CNRS" text "$tmp/quadratic.html"
expect "0 13" "quadratic blowup HTML: bounded"

# pdftohtml XML (.xml), when this build reads it: same rules as the rubric.
printf '<?xml version="1.0" encoding="UTF-8"?>\n<pdf2xml producer="poppler" version="22.12.0">\n<page number="1" position="absolute" top="0" left="0" height="842" width="595">\n<text top="100" left="72" width="450" height="13" font="0">%s</text>\n</page>\n</pdf2xml>\n' "$SENT" > "$tmp/probe.xml"
run 20 $SMALL "$CNRS" text "$tmp/probe.xml"
if [ "$st" != 0 ]; then
    skipped "pdftohtml-XML cases: this build does not read .xml (exit $st)"
else
    { printf '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE pdf2xml [\n'; laughs
      printf ']>\n<pdf2xml>\n<page number="1" position="absolute" top="0" left="0" height="842" width="595">\n<text top="100" left="72" width="450" height="13" font="0">%s&lol9;</text>\n</page>\n</pdf2xml>\n' "$SENT"; } > "$tmp/laughs.xml"
    run 10 $SMALL "$CNRS" text "$tmp/laughs.xml"
    expect "0 16" "billion laughs pdftohtml XML: bounded, refused or entities left alone"
    if grep -q 'lollollol' "$tmp/out"; then bad "billion laughs pdftohtml XML: an entity was expanded"; else ok; fi
    { printf '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE pdf2xml [<!ENTITY big "%s">]>\n<pdf2xml>\n<page number="1" position="absolute" top="0" left="0" height="842" width="595">\n<text top="100" left="72" width="450" height="13" font="0">%s' "$(repeat 50000 a)" "$SENT"
      repeat 20000 '&big;'; printf '</text>\n</page>\n</pdf2xml>\n'; } > "$tmp/quadratic.xml"
    run 20 $SMALL "$CNRS" text "$tmp/quadratic.xml"
    expect "0 16" "quadratic blowup pdftohtml XML: bounded"
    for v in file dtd; do
        case $v in
        file) dt="<!DOCTYPE pdf2xml [<!ENTITY xxe SYSTEM \"file://$tmp/secret.txt\">]>" ref='&xxe;' ;;
        dtd)  dt="<!DOCTYPE pdf2xml SYSTEM \"file://$tmp/secret.dtd\">" ref='&ext;' ;;
        esac
        printf '<?xml version="1.0" encoding="UTF-8"?>\n%s\n<pdf2xml>\n<page number="1" position="absolute" top="0" left="0" height="842" width="595">\n<text top="100" left="72" width="450" height="13" font="0">%s %s</text>\n</page>\n</pdf2xml>\n' "$dt" "$SENT" "$ref" > "$tmp/xxe-$v.xml"
        run 10 $SMALL "$CNRS" text "$tmp/xxe-$v.xml"
        expect "0 16" "XXE pdftohtml XML ($v)" && expect_no "$SECRET" "XXE pdftohtml XML ($v)"
    done
fi

# ==== 2. HTML nested 100,000 deep ==============================================
# The parser runs with XML_PARSE_HUGE and the tree walk is iterative: the
# sentence at the bottom is found, in bounded time and without stack growth.
for v in div unclosed inline table pre; do
    case $v in
    div)      { printf '<html><body>'; repeat 100000 '<div>'; printf '<p>%s</p>' "$SENT"; repeat 100000 '</div>'; printf '</body></html>\n'; } ;;
    unclosed) { printf '<html><body>'; repeat 100000 '<div>'; printf '<p>%s\n' "$SENT"; } ;;
    inline)   { printf '<p>'; repeat 100000 '<b>'; printf '%s\n' "$SENT"; } ;;
    table)    { printf '<body>'; repeat 30000 '<table><tr><td>'; printf '%s\n' "$SENT"; } ;;
    pre)      { printf '<body>'; repeat 100000 '<pre>'; printf '%s\nsecond line\n' "$SENT"; } ;;
    esac > "$tmp/deep-$v.html"
    run 20 $SMALL "$CNRS" text "$tmp/deep-$v.html"
    expect 0 "HTML nested 100,000 deep ($v)" && expect_out "温室气体排放总量为45.6万吨" "deep HTML ($v) keeps the sentence"
done

# ==== 3. Size: 1 GiB without a newline, endless streams, long lines =============
# A regular file over the input limit (256 MiB by default) is refused from its
# size before a byte is read; a stream is refused once it passes the limit,
# holding at most the limit in memory.
if [ "$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')" -gt 65536 ]; then
    printf 'no newline anywhere ' > "$tmp/huge.txt"
    dd if=/dev/null of="$tmp/huge.txt" bs=1 count=0 seek=1073741824 2>/dev/null # sparse: no disk used
    run 10 200000 "$CNRS" score "$tmp/huge.txt"
    expect 18 "1 GiB file: refused as over the limit" &&
        expect_err "huge.txt: 1073741824 bytes, larger than the 268435456-byte input limit" "1 GiB file message"
    # a good file after it is still scored
    run 30 200000 "$CNRS" score --format json "$tmp/huge.txt" corpora/603716_lvyuan-food-demo_2023_zh.txt
    expect 18 "1 GiB file then a good one: the refusal decides the exit status" &&
        expect_lines "$tmp/out" 1 "the good file after the 1 GiB one is scored"
else
    skipped "1 GiB file: less than 64 MiB free in $tmp"
fi
mkfifo "$tmp/stream.txt" 2>/dev/null &&
{
    # 300 MB without a newline from a pipe: no size to check up front.
    ( head -c 300000000 /dev/zero | tr '\0' 'a' > "$tmp/stream.txt" ) 2>/dev/null &
    run 60 600000 "$CNRS" score "$tmp/stream.txt"
    wait
    expect 18 "300 MB stream without newline: refused at the limit, memory bounded" &&
        expect_err "stream.txt: larger than the 268435456-byte input limit" "stream message"
}
if "$CNRS" 2>&1 | grep -q -- '--max-bytes'; then
    repeat 2000 a > "$tmp/2k.txt"
    run 10 $SMALL "$CNRS" score --max-bytes=1000 "$tmp/2k.txt"
    expect 18 "--max-bytes=1000 refuses a 2000-byte file"
else
    skipped "configurable input limit: the CLI has no --max-bytes option yet (ingest opts.max_bytes exists)"
fi
# 32 MiB on one line, under the limit: scored in linear time (sentences are
# cut at CNRS_MAX_SENTENCE bytes).
repeat 600000 '公司温室气体排放总量为万吨二氧化碳当量并' > "$tmp/longline.txt"
run 60 $LARGE "$CNRS" score "$tmp/longline.txt"
expect 0 "32 MiB single line: scored in bounded time and memory"

# ==== 4. Bytes: invalid UTF-8, NUL, UTF-16 without BOM ===========================
printf 'abc \377\376\375 def \300\200\n' > "$tmp/invalid.txt"
run 10 $SMALL "$CNRS" score "$tmp/invalid.txt"
expect 14 "invalid UTF-8 (not GB18030 either): refused" && expect_err "neither UTF-8 nor GB18030 (invalid byte sequence at offset" "invalid UTF-8 message"
printf '\357\273\277ok \355\240\200 surrogate\n' > "$tmp/bom-invalid.txt"
run 10 $SMALL "$CNRS" score "$tmp/bom-invalid.txt"
expect 14 "invalid UTF-8 after a BOM: refused" && expect_err "invalid UTF-8 after a UTF-8 byte-order mark" "BOM message"
printf '%s\n%s\000%s\n' "$SENT" "$SENT" "$SENT" > "$tmp/nul.txt"
run 10 $SMALL "$CNRS" score "$tmp/nul.txt"
expect 15 "stray NUL in text: refused as binary" && expect_err "NUL byte at offset" "NUL message gives the offset"
printf '<html><body><p>%s \377\376 \000 %s</p></body></html>\n' "$SENT" "$SENT" > "$tmp/nul.html"
run 10 $SMALL "$CNRS" text "$tmp/nul.html"
expect "0 16" "NUL and invalid UTF-8 in HTML: read (or refused as unparsable)"
# HTML neither UTF-8 nor GB18030 and no declared charset: read as UTF-8
# with each bad byte as U+FFFD, and said so ("utf-8-lossy", not "utf-8").
printf '<p>%s \346</p>' "$SENT" > "$tmp/undeclared.html"
run 10 $SMALL "$CNRS" text --format json "$tmp/undeclared.html"
expect 0 "HTML neither UTF-8 nor GB18030, no charset: read" &&
    expect_out '"encoding":"utf-8-lossy"' "undeclared HTML names its encoding honestly" &&
    expect_out "当量。\"},{[^}]*\"text\":\"$(printf '\357\277\275')\"" "the bad byte is U+FFFD"
printf '%s\nab\377cd\000ef\n%s\n' "$SENT" "We emitted 3.71 Mt CO2e." > "$tmp/classify.in"
run 10 $SMALL sh -c "exec \"$CNRS\" classify < \"$tmp/classify.in\""
expect 0 "classify with invalid UTF-8 and NUL on stdin" && expect_lines "$tmp/out" 3 "classify keeps one line per input line"
printf 'Annual report\r\n%s\n' "$SENT" | iconv -f UTF-8 -t UTF-16LE > "$tmp/u16le.txt"
run 10 $SMALL "$CNRS" score "$tmp/u16le.txt"
expect 15 "UTF-16LE without BOM (ASCII inside: NUL bytes)" && expect_err "looks like UTF-16LE without a byte-order mark" "UTF-16LE message"
printf 'Annual report\n%s\n' "$SENT" | iconv -f UTF-8 -t UTF-16BE > "$tmp/u16be.txt"
run 10 $SMALL "$CNRS" score "$tmp/u16be.txt"
expect 15 "UTF-16BE without BOM" && expect_err "looks like UTF-16BE without a byte-order mark" "UTF-16BE message"
# Chinese only, no ASCII: no NUL byte, and valid GB18030 byte by byte.
printf '公司温室气体排放总量为万吨二氧化碳当量' | iconv -f UTF-8 -t UTF-16LE > "$tmp/u16cjk.txt"
run 10 $SMALL "$CNRS" score "$tmp/u16cjk.txt"
expect 14 "Chinese-only UTF-16LE without BOM: refused, not read as GB18030 nonsense" &&
    expect_err "looks like UTF-16LE without a byte-order mark" "Chinese UTF-16 message"
{ printf '\377\376'; printf '%s\n' "$SENT" | iconv -f UTF-8 -t UTF-16LE; } > "$tmp/u16bom.txt"
run 10 $SMALL "$CNRS" score "$tmp/u16bom.txt"
expect 0 "UTF-16LE with BOM is read"

# ==== 5. PDF: pdftohtml that never ends or floods =================================
# A fake pdftohtml first in PATH plays the hostile converter; cnrs must kill
# its whole process group at the deadline or the output cap.
printf '%%PDF-1.4\n%% hostile\n' > "$tmp/hostile.pdf"
run 60 $SMALL "$CNRS" score corpora/600982_jinglan-power-demo_2023_zh.pdf
if [ "$st" != 0 ]; then
    skipped "PDF cases: this build does not score PDF (exit $st)"
else
    mkdir -p "$tmp/bin"
    # gone PIDFILE DESC : the fake converter (its pid in PIDFILE) no longer runs
    gone() {
        sleep 1
        p=$(cat "$1" 2>/dev/null)
        if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
            bad "$2 left running (pid $p)"; kill -9 "$p" 2>/dev/null
        else ok; fi
    }
    # The fakes exec, so the recorded pid is the process cnrs must kill.
    cat > "$tmp/bin/pdftohtml" <<FAKE
#!/bin/sh
# endless (valid) pdftohtml XML of empty pages
echo \$\$ > "$tmp/flood.pid"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<pdf2xml producer="fake">\n'
exec yes '<page number="1" position="absolute" top="0" left="0" height="842" width="595"></page>'
FAKE
    chmod +x "$tmp/bin/pdftohtml"
    run 120 $LARGE env PATH="$tmp/bin:$PATH" "$CNRS" score "$tmp/hostile.pdf"
    expect 18 "pdftohtml writing without end: killed at the output cap" && expect_err "output over the" "output cap message"
    gone "$tmp/flood.pid" "flooding pdftohtml"
    cat > "$tmp/bin/pdftohtml" <<FAKE
#!/bin/sh
# never finishes, deaf to polite signals
echo \$\$ > "$tmp/sleep.pid"
trap '' TERM HUP INT
exec sleep 100000
FAKE
    if "$CNRS" 2>&1 | grep -q -- '--pdf-timeout'; then
        run 30 $SMALL env PATH="$tmp/bin:$PATH" "$CNRS" score --pdf-timeout=2 "$tmp/hostile.pdf"
        expect 24 "pdftohtml that never ends: killed at the deadline" && expect_err "did not finish within" "deadline message"
        gone "$tmp/sleep.pid" "sleeping pdftohtml"
    elif [ "${CNRS_TEST_SLOW:-0}" = 1 ]; then
        run 200 $SMALL env PATH="$tmp/bin:$PATH" "$CNRS" score "$tmp/hostile.pdf"
        expect 24 "pdftohtml that never ends: killed at the 120 s default deadline" && expect_err "did not finish within" "deadline message"
        gone "$tmp/sleep.pid" "sleeping pdftohtml"
    else
        skipped "pdftohtml that never ends: no --pdf-timeout option and the default deadline is 120 s (CNRS_TEST_SLOW=1 runs it)"
    fi
fi

# ==== 5b. OCR: tesseract that floods or never ends ===============================
# The scanned fixture has no text layer, so tesseract runs on its page; a fake
# one first in PATH must be killed with its process group at the 64 MiB cap on
# its TSV or at the deadline, and the file fails with its own status.
if command -v tesseract >/dev/null 2>&1 && type gone >/dev/null 2>&1 && "$CNRS" 2>&1 | grep -q -- '--ocr'; then
    mkdir -p "$tmp/ocrbin"
    cat > "$tmp/ocrbin/tesseract" <<FAKE
#!/bin/sh
echo \$\$ > "$tmp/tflood.pid"
exec yes 'word'
FAKE
    chmod +x "$tmp/ocrbin/tesseract"
    run 60 $SMALL env PATH="$tmp/ocrbin:$PATH" "$CNRS" score tests/fixtures/ocr/scanned-zh-en.pdf
    expect 18 "tesseract writing without end: killed at the output cap" && expect_err "output for page 1 over" "OCR output cap message"
    gone "$tmp/tflood.pid" "flooding tesseract"
    cat > "$tmp/ocrbin/tesseract" <<FAKE
#!/bin/sh
echo \$\$ > "$tmp/tsleep.pid"
trap '' TERM HUP INT
exec sleep 100000
FAKE
    run 30 $SMALL env PATH="$tmp/ocrbin:$PATH" "$CNRS" score --pdf-timeout=2 tests/fixtures/ocr/scanned-zh-en.pdf
    expect 24 "tesseract that never ends: killed at the deadline" && expect_err "did not finish page 1 within 2 s" "OCR deadline message"
    gone "$tmp/tsleep.pid" "sleeping tesseract"
else
    skipped "OCR cases: no tesseract, or this build has no --ocr"
fi

# ==== 6. Catastrophic backtracking ============================================
# A rubric variant may carry a pattern that backtracks exponentially; PCRE2's
# match and depth limits (extract.c) stop each attempt, which counts as no match.
awk '!done && /<cue lang="zh">环境方针/ { print; print "        <cue lang=\"en\">(a+)+$</cue>"; print "        <cue lang=\"en\">(x+x+)+y</cue>"; done = 1; next } { print }' \
    "$RUBRIC" > "$tmp/backtrack.xml"
run 20 $SMALL "$CNRS" rubric check "$tmp/backtrack.xml"
expect "0 1" "rubric with exponential patterns: checked (accepted or rejected)"
if [ "$st" = 0 ]; then
    { repeat 50000 a; printf '!\n'; } > "$tmp/a50k.txt"
    run 10 $SMALL "$CNRS" score --rubric "$tmp/backtrack.xml" "$tmp/a50k.txt"
    expect 0 "(a+)+\$ against 50,000 'a' and a '!': finishes"
    run 10 $SMALL sh -c "exec \"$CNRS\" classify --rubric \"$tmp/backtrack.xml\" < \"$tmp/a50k.txt\""
    expect 0 "classify: (a+)+\$ against a 50,000-byte line"
    { repeat 5000 x; printf 'z y\n'; } > "$tmp/x5k.txt"
    run 10 $SMALL sh -c "exec \"$CNRS\" classify --rubric \"$tmp/backtrack.xml\" < \"$tmp/x5k.txt\""
    expect 0 "classify: (x+x+)+y against 5,000 'x'"
fi
# The shipped patterns against text built to stress them: long numbers with
# separators, cue words repeated without the unit, dots, mixed scripts.
{
    repeat 3000 '1,'; printf '\n'
    repeat 2000 '1.'; printf '吨\n'
    repeat 1500 '温室气体'; repeat 500 '1 '; printf '\n'
    repeat 1500 '排放'; repeat 800 '9'; printf '万吨\n'
    repeat 3000 'CO2 '; printf 'tCO2e\n'
    repeat 2000 'scope 1 '; printf '\n'
    repeat 1000 '较上年下降'; printf '\n'
    repeat 1000 '2023年'; printf '\n'
} > "$tmp/stress.txt"
run 20 $SMALL sh -c "exec \"$CNRS\" classify < \"$tmp/stress.txt\""
expect 0 "shipped rubric against pattern-stressing lines: bounded time"
run 20 $SMALL "$CNRS" score "$tmp/stress.txt"
expect 0 "score of pattern-stressing text: bounded time"

# ==== 7. File names ================================================================
# Spaces, quotes, a newline, a tab, a backslash, a leading dash, bytes that
# are not UTF-8: scored; JSON stays valid UTF-8 on one line per report;
# messages stay one line.
mkdir "$tmp/names"
good=corpora/603716_lvyuan-food-demo_2023_zh.txt
nl='
'
for name in "with space.txt" "quote\"double.txt" "quote'single.txt" "new${nl}line.txt" \
            "tab	name.txt" 'back\slash.txt' "-dash.txt" "$(printf 'bad\377\376byte.txt')" \
            "中文 报告.txt"; do
    cp "$good" "$tmp/names/$name"
done
( cd "$tmp/names" && exec timeout -s KILL 30 "$CNRS" score --format json -- * ) >"$tmp/out" 2>"$tmp/err"; st=$?
expect 0 "file names: all scored"
expect_lines "$tmp/out" 9 "file names: one JSON line per report"
expect_out '"file":"new\\nline.txt"' "newline in a name is escaped in JSON"
expect_out '"file":"quote\\"double.txt"' "double quote escaped in JSON"
expect_out '"file":"back\\\\slash.txt"' "backslash escaped in JSON"
expect_out '"file":"tab\\tname.txt"' "tab escaped in JSON"
expect_out "$(printf '"file":"bad\357\277\275\357\277\275byte.txt"')" "non-UTF-8 bytes become U+FFFD in JSON"
if LC_ALL=C grep -q "$(printf '\377')" "$tmp/out"; then bad "raw non-UTF-8 byte in JSON output"; else ok; fi
( cd "$tmp/names" && exec timeout -s KILL 30 "$CNRS" score -- "missing${nl}name.txt" "$(printf 'gone\377.txt')" ) >"$tmp/out" 2>"$tmp/err"; st=$?
expect 11 "missing files with odd names"
expect_lines "$tmp/err" 2 "one stderr line per missing file, even with a newline in its name"
( cd "$tmp/names" && exec timeout -s KILL 30 "$CNRS" rank --format csv . ) >"$tmp/out" 2>"$tmp/err"; st=$?
expect 0 "rank a directory of odd names"
expect_out 'quote""double.txt"' "CSV doubles quotes"
run 30 $SMALL "$CNRS" text --format json "$tmp/names/new${nl}line.txt"
expect 0 "text --format json with a newline in the name"
# Terminal escapes in a name: the text scorecard and messages print '?'.
esc=$(printf 'esc\033]0;owned\007\033[31m.txt')
cp "$good" "$tmp/names2-$esc"
run 30 $SMALL "$CNRS" score "$tmp/names2-$esc" "$tmp/missing-$esc"
expect 11 "names with terminal escapes: scored, the missing one reported"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/out" "$tmp/err"; then bad "ESC from a file name reached the terminal"; else ok; fi
expect_lines "$tmp/err" 1 "one message for the missing file"

# A DTD's internal entities would be expanded when text is read, after
# libxml2's amplification checks (50 KB x 20,000 references in a 216 KB file
# make a 1 GB title): a rubric with a DOCTYPE is refused.
rubric_with "<!DOCTYPE rubric [<!ENTITY big \"$(repeat 50000 a)\">]>" "$(repeat 20000 '&big;')" > "$tmp/quadratic.xml"
run 20 3000000 "$CNRS" rubric check "$tmp/quadratic.xml"
expect 1 "quadratic entity blowup in a rubric must be refused" &&
    if grep -q "Memory allocation failed" "$tmp/err"; then
        bad "quadratic blowup refused only because memory ran out"; else ok; fi
# rank (text format) and text print file names without control characters.
mkdir "$tmp/esc-main"
cp corpora/603716_lvyuan-food-demo_2023_zh.txt "$tmp/esc-main/$(printf 'a\033[2Jb\nc.txt')"
run 30 $SMALL "$CNRS" rank "$tmp/esc-main"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/out"; then bad "rank prints ESC from a file name"; else ok; fi
run 30 $SMALL "$CNRS" text "$tmp/esc-main/$(printf 'a\033[2Jb\nc.txt')"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/out"; then bad "text prints ESC from a file name"; else ok; fi
# The database commands (cmd_db.c) print names, manifest fields and review
# text the same way: batch warnings and messages, rank --db (with tracks),
# show, history, review; export --format csv neutralises formula cells.
if "$CNRS" 2>&1 | grep -q 'batch --db'; then
    ESC=$(printf '\033')
    # no_esc DESC : neither stdout nor stderr of the last run holds an ESC byte
    no_esc() { if LC_ALL=C grep -q "$ESC" "$tmp/out" "$tmp/err"; then bad "$1 prints ESC"; else ok; fi; }
    mkdir "$tmp/esc"
    cp corpora/603716_lvyuan-food-demo_2023_zh.txt "$tmp/esc/$(printf 'a\033[2Jb\nc.txt')"
    cp corpora/603716_lvyuan-food-demo_2023_zh.txt "$tmp/esc/$(printf 'copy\033]0;owned\007.txt')"
    cp corpora/603716_lvyuan-food-demo_2023_zh.txt "$tmp/esc/=HYPERLINK(1)_x_2023.txt"
    printf '另一行。\n' >> "$tmp/esc/=HYPERLINK(1)_x_2023.txt"
    cp corpora/600977_skyline-data-demo_2023_en.txt "$tmp/esc/m.txt"
    printf 'path,company,code,year,industry,size,report_type\nm.txt,%s,600001,2023,%s,%s,%s\nm.txt,x,600002,2023,,,\n%s,y,600003,2023,,,\n' \
        "$(printf 'Evil\033]0;title\007Co')" "$(printf 'ind\033[31m')" "$(printf 'big\033[2J')" \
        "$(printf 'ESG\033[1m')" "$(printf 'gone\033[5m.txt')" > "$tmp/esc/m.csv"
    run 60 $SMALL "$CNRS" batch --db "$tmp/esc.db" --manifest "$tmp/esc/m.csv" "$tmp/esc"
    expect 11 "batch over names and a manifest with terminal escapes" &&
        expect_err "warning: .*copy?]0;owned?.txt: the same content as" "batch warning shows ? for ESC"
    no_esc "batch (warnings, failures, summary)"
    expect_lines "$tmp/err" 4 "batch: one stderr line per failure and warning"
    run 30 $SMALL "$CNRS" rank --db "$tmp/esc.db" --track stage,industry,size
    expect 0 "rank --db over escaped names" && expect_out 'Evil?]0;title?Co (ESG?\[1m)' "rank --db shows ? for ESC"
    no_esc "rank --db (text, with tracks)"
    run 30 $SMALL "$CNRS" show --db "$tmp/esc.db" 600001
    expect 0 "show over escaped names"; no_esc "show (text)"
    run 30 $SMALL "$CNRS" history --db "$tmp/esc.db" 600001
    expect 0 "history over escaped names"; no_esc "history (text)"
    run 30 $SMALL "$CNRS" show --db "$tmp/esc.db" "$(printf 'nothing\033[2J')"
    expect 1 "show with an escape in the query"; no_esc "show's no-match message"
    run 30 $SMALL "$CNRS" review --db "$tmp/esc.db" --company 600001 --year 2023 --indicator C6 --pct 50 \
        --reason "$(printf 'why\033[31m')" --reviewer "$(printf 'me\033]0;x\007')"
    expect 0 "review with escapes in reason and reviewer"; no_esc "review"
    run 30 $SMALL "$CNRS" review --db "$tmp/esc.db" --list
    expect 0 "review --list"; no_esc "review --list"
    run 30 $SMALL "$CNRS" show --db "$tmp/esc.db" 600001
    no_esc "show with a review"
    run 30 $SMALL "$CNRS" export --db "$tmp/esc.db" --format csv
    if grep -q '^=\|,=' "$tmp/out"; then bad "export CSV cell starting with '=' (formula injection)"; else ok; fi
    run 30 $SMALL "$CNRS" rank --db "$tmp/esc.db" --format csv
    if grep -q '^=\|,=' "$tmp/out"; then bad "rank --db CSV cell starting with '=' (formula injection)"; else ok; fi
fi
# The document model stays compact on files of short lines (16 bytes a raw
# block, 8 a line while segmenting, the decoded text kept as the raw text):
# 64 MiB of "x\n" is scored within 1.2 GiB (about 1 GiB resident).
awk 'BEGIN { for (i = 0; i < 33554432; i++) print "x" }' > "$tmp/lines.txt"
run 120 $LARGE "$CNRS" score "$tmp/lines.txt"
expect "0 18" "64 MiB of short lines within 1.2 GiB"
rm -f "$tmp/lines.txt"
else
# ==== pending: known failures in files this suite does not own ========================
echo "hostile: no pending cases at the moment"
fi

echo "hostile: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
