#!/bin/sh
# corpus.sh OUT - build the seed corpora of the fuzz targets in OUT/TARGET/
# from corpora/ (the team's sample reports), tests/fixtures/classify.tsv and
# the hand-made seeds in tests/fuzz/seeds/TARGET/. Run from the repository
# root. POSIX sh plus iconv (glibc's, always there on Debian).
out=$1
[ -n "$out" ] || { echo "usage: corpus.sh OUT" >&2; exit 2; }
rm -rf "$out"
for t in decode segment html pdfxml rubric classify; do mkdir -p "$out/$t"; done

# Hand-made seeds first (small, one feature each).
for t in decode html pdfxml rubric; do
    [ -d "tests/fuzz/seeds/$t" ] && cp tests/fuzz/seeds/$t/* "$out/$t/" 2>/dev/null
done

n=0
for f in corpora/*.txt; do
    n=$((n + 1))
    b=$(basename "$f" .txt)
    # decode: the file as it is, and a UTF-16 LE/BE copy (with BOM) of its start.
    cp "$f" "$out/decode/$b.txt"
    case $f in
    *gb18030*) utf8="$out/segment/$b.utf8"; iconv -f GB18030 -t UTF-8 "$f" > "$utf8" ;;
    *) utf8=$f ;;
    esac
    head -c 1500 "$utf8" | iconv -f UTF-8 -t UTF-16LE -c > "$out/decode/$b.u16le.body" 2>/dev/null
    { printf '\377\376'; cat "$out/decode/$b.u16le.body"; } > "$out/decode/$b.u16le"
    head -c 1500 "$utf8" | iconv -f UTF-8 -t UTF-16BE -c > "$out/decode/$b.u16be.body" 2>/dev/null
    { printf '\376\377'; cat "$out/decode/$b.u16be.body"; } > "$out/decode/$b.u16be"
    rm -f "$out/decode/$b.u16le.body" "$out/decode/$b.u16be.body"
    # segment: flag byte (fuzz_segment.c) + UTF-8 text: plain, paged, real reader.
    { printf '\000'; cat "$utf8"; } > "$out/segment/$b.plain"
    { printf '\002'; cat "$utf8"; } > "$out/segment/$b.paged"
    { printf '\200'; cat "$f"; } > "$out/segment/$b.reader"
    # classify: one seed per sentence-sized line.
    i=0
    while IFS= read -r line; do
        i=$((i + 1))
        [ ${#line} -ge 8 ] || continue
        printf '%s\n' "$line" > "$out/classify/$b.$i"
    done < "$utf8"
    rm -f "$out/segment/$b.utf8"
done
for f in corpora/*.html; do
    cp "$f" "$out/html/"
    cp "$f" "$out/decode/$(basename "$f").txt"
done
# the hand-coded classify sentences (first column)
grep -v '^#' tests/fixtures/classify.tsv | cut -f1 | {
    i=0
    while IFS= read -r line; do
        i=$((i + 1))
        [ -n "$line" ] && printf '%s\n' "$line" > "$out/classify/fixture.$i"
    done
}
cp rubrics/ceca-2021.xml "$out/rubric/"
# prefilter: every cue, exclusion and unit pattern of the shipped rubric
# (macros expanded), each with its item's example phrase when it has one
# (so many seeds match) or a fixture sentence; flag byte 1 for lang="en".
mkdir -p "$out/prefilter"
grep -v '^#' tests/fixtures/classify.tsv | cut -f1 | grep . > "$out/prefilter.sentences"
awk -v out="$out/prefilter" -v sentfile="$out/prefilter.sentences" '
    function unxml(s) {
        gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
        gsub(/&apos;/, "'"'"'", s); gsub(/&amp;/, "\\&", s); return s
    }
    function inner(s) { sub(/^[^>]*>/, "", s); sub(/<\/[a-z]+>[ \t]*$/, "", s); return s }
    function expand(s,    i, k, name, changed, pass) {
        for (pass = 0; pass < 5; pass++) {
            changed = 0
            for (k = 1; k <= nm; k++) {
                name = "{" mname[k] "}"
                while ((i = index(s, name)) > 0) {
                    s = substr(s, 1, i - 1) "(?:" mval[k] ")" substr(s, i + length(name))
                    changed = 1
                }
            }
            if (!changed) break
        }
        return s
    }
    function emit(flag, pat, text) {
        n++
        f = out "/" n
        printf "%c%s%c%s", flag == 1 ? 1 : 32, pat, 0, text > f
        close(f)
    }
    BEGIN { while ((getline line < sentfile) > 0) sent[++ns] = line }
    /<macro name="/ { m = $0; sub(/.*<macro name="/, "", m); sub(/".*/, "", m)
                      mname[++nm] = m; mval[nm] = expand(unxml(inner($0))); next }
    /<(cue|exclude|p)( lang="[a-z]+")?>/ {
        pats[++np] = expand(unxml(inner($0))); en[np] = ($0 ~ /lang="en"/) }
    /<example / { ex = unxml(inner($0)) }
    /<\/(item|unit|detector)>/ {
        for (k = 1; k <= np; k++)
            emit(en[k], pats[k], ex != "" ? ex : sent[(n % ns) + 1])
        np = 0; ex = ""
    }' rubrics/ceca-2021.xml
rm -f "$out/prefilter.sentences"
# pdftohtml XML of the team's PDFs (when poppler-utils is there): whole, and
# one document per page so seeds stay under the target's max_len.
if command -v pdftohtml > /dev/null 2>&1; then
    for f in corpora/*.pdf tests/fixtures/pdf/*.pdf; do
        [ -f "$f" ] || continue
        b=$(basename "$f" .pdf)
        pdftohtml -xml -i -stdout -enc UTF-8 "$f" > "$out/pdfxml/$b.xml" 2>/dev/null
        [ -s "$out/pdfxml/$b.xml" ] || { rm -f "$out/pdfxml/$b.xml"; continue; }
        awk -v out="$out/pdfxml/$b" '
            NR <= 4 && !/<page/ { head = head $0 "\n"; next }
            /<page / { n++; file = out ".page" n ".xml"; printf "%s", head > file }
            file != "" { print > file }
            file != "" && /<\/page>/ { print "</pdf2xml>" > file; close(file); file = "" }' "$out/pdfxml/$b.xml"
    done
fi
echo "corpus: $(ls "$out"/* | grep -vc ':$') seed files from $n text reports in $out"
