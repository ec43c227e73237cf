/* script.h - the script of Chinese text, and its simplified form for matching.
 *
 * The rubric is written in simplified Chinese; reports of Hong Kong and
 * Taiwan companies (and A+H companies' HKEX reports) are in traditional
 * characters: 本集團2022年溫室氣體排放總量 must match 温室气体排放总量. A
 * document whose Han characters are mostly traditional is matched through
 * a simplified copy made with OpenCC (hk2s: Hong Kong variants and
 * traditional phrases and characters to simplified); the printed text, the
 * evidence and the output keep the original script.
 *
 * Which characters are traditional-only is learnt once per process from
 * OpenCC itself (every CJK Unified Ideograph that t2s changes), so detection
 * is a table look-up per character and never calls the converter; only a
 * document's first 16 KB are looked at. The table is learnt (about 30 ms)
 * the first time Chinese text is seen; English-only runs never learn it.
 *
 * The OpenCC converter is loaded on first use and shared by all threads
 * (conversions are serialised). Without OpenCC's data files the script is
 * still detected, and conversion reports that it is unavailable.
 */
#ifndef CNRS_SCRIPT_H
#define CNRS_SCRIPT_H

#include <stddef.h>

#include "util.h"

typedef enum cnrs_script {
    CNRS_SCRIPT_NONE = 0, /* no Han characters */
    CNRS_SCRIPT_HANS,     /* simplified (or no traditional-only characters) */
    CNRS_SCRIPT_HANT      /* traditional */
} cnrs_script;

/* "none", "zh-Hans", "zh-Hant". Static storage. */
const char *cnrs_script_name(cnrs_script s);

/* The script of UTF-8 text s[0..n) (its first 16 KB): traditional when at
 * least 2% of its Han characters (U+4E00..U+9FFF) are traditional-only.
 * Thread-safe; the first Han character seen learns the table (about 30 ms). */
cnrs_script cnrs_script_detect(const char *s, size_t n);

/* Append the simplified form of s[0..n) to `out`. Returns 1 when `out` got a
 * converted text, 0 when conversion is unavailable (no OpenCC data; `out`
 * is left unchanged). Thread-safe. */
int cnrs_script_simplify(const char *s, size_t n, cnrs_buf *out);

#endif
