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
 *  - runs of spaces collapse to one; spaces are removed when the characters
 *    on both sides are CJK ideographs/CJK punctuation or one side is CJK and
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

/* Append the normalised form of s[0..n) to `out`. */
void cnrs_normalise(const char *s, size_t n, cnrs_buf *out);

#endif
