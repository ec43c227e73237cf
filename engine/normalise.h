/* normalise.h - character-level normalisation of UTF-8 text for matching.
 *
 * What it does, in one pass:
 *  - full-width ASCII variants U+FF01-U+FF5E fold to ASCII (２０２１ -> 2021,
 *    ％ -> %, ＣＯ２ -> CO2, （ -> (), EXCEPT the Chinese sentence and clause
 *    marks ，；：！？ which stay as they are (segmentation relies on them);
 *  - U+3000 ideographic space, NBSP, tabs and other Unicode spaces -> ' ';
 *  - subscript and superscript digits fold to ASCII (CO₂ -> CO2, m³ -> m3);
 *  - the Kelvin sign and long s fold to K and s (caseless patterns match
 *    them as ASCII letters; the prefilter folds ASCII case only);
 *  - dash variants U+2010-U+2015, U+2212 -> '-'; soft hyphen, zero-width
 *    spaces/joiners and BOMs are removed;
 *  - compatibility characters take their NFKC form (utf8proc, each
 *    character alone: a combining mark is not composed with the letter
 *    before it): Kangxi radicals and CJK compatibility ideographs as the
 *    unified ideograph (⽓ -> 气, ⼆ -> 二), ligatures (ﬁ -> fi, ﬃ -> ffi),
 *    squared units (㎡ -> m2), mathematical letters, Roman numerals. Kept
 *    as printed: ，；：！？ (small and vertical forms of them become them),
 *    … ‥ ․, ℃ ℉ (the rubric writes them), list markers (① ⑴ ⒈ ㈠),
 *    U+3000-U+30FF (CJK punctuation, kana), Yi and Hangul, ￥ and the other
 *    full-width signs U+FFE0-U+FFE6, spacing accents (´ ¨). No case
 *    folding: the rubric's English patterns are caseless already;
 *  - OCR and layout noise in Latin text: a word hyphenated across a line
 *    is joined ("emis- sions" -> "emissions": a lower-case fragment of two
 *    or more letters, a hyphen, one space, a lower-case continuation that
 *    is not a conjunction, so "low- and zero-carbon" stays), and a gas
 *    formula's subscript printed apart is joined ("CO 2" -> "CO2",
 *    "tCO 2 e" -> "tCO2e", "CH 4" -> "CH4"; not "ECO 2" or "CO 25");
 *  - runs of spaces collapse to one; spaces are removed when the characters
 *    on both sides are CJK ideographs/CJK punctuation (so OCR's
 *    "碳 排 放" -> "碳排放") or one side is CJK and
 *    the other an ASCII digit ("2017 年 1 月" -> "2017年1月"), a typographic
 *    quote/ellipsis/middle dot (“” ‘’ … · —) or an ASCII bracket ( ) [ ]
 *    ("( 探寻 )" -> "(探寻)"); and at the ends of the text and of each line;
 *  - invalid UTF-8 bytes become U+FFFD (one per byte); NUL, C0 controls
 *    other than '\n', DEL and C1 controls become ' '.
 * Newlines are kept. Output never contains NUL.
 */
#ifndef CNRS_NORMALISE_H
#define CNRS_NORMALISE_H

#include <stddef.h>

#include "util.h"

/* Append the normalised form of s[0..n) to `out`. Thread-safe (a table is
 * built once, on the first call). The text grows at most by what NFKC
 * adds (a ligature or squared unit gives two or three characters). */
void cnrs_normalise(const char *s, size_t n, cnrs_buf *out);

#endif
