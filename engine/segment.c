/* segment.c - raw blocks -> normalised, classified blocks -> sentences. */
#include "segment.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "normalise.h"
#include "util.h"

#if CNRS_SSE2
#include <emmintrin.h>
#endif

/* ==== small UTF-8 and character helpers =================================== */

/* Whether s[0..3) is a three-byte sequence with lead E1..EF other than ED:
 * always well-formed (no overlong, no surrogate), so cnrs_utf8_decode would
 * return 3 and S_cp3 is its code point. Most of the text is such. */
static inline int S_is_cjk3(const unsigned char *s)
{
    return s[0] >= 0xE1 && s[0] != 0xED && s[0] <= 0xEF && (s[1] & 0xC0) == 0x80 &&
           (s[2] & 0xC0) == 0x80;
}

static inline uint32_t S_cp3(const unsigned char *s)
{
    return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
}

/* Code point at s[i] (n > i); *k receives its byte length (1 for invalid). */
static uint32_t S_cp_at(const unsigned char *s, size_t n, size_t i, int *k)
{
    uint32_t cp = s[i];
    if (cp < 0x80) {
        *k = 1;
        return cp;
    }
    if (i + 2 < n && S_is_cjk3(s + i)) {
        *k = 3;
        return S_cp3(s + i);
    }
    int l = cnrs_utf8_decode(s + i, n - i, &cp);
    *k = l ? l : 1;
    return cp;
}

/* Code point ending at s[end) (end > 0). */
static uint32_t S_cp_before(const unsigned char *s, size_t end, size_t *start)
{
    if (end >= 3 && S_is_cjk3(s + end - 3)) {
        if (start) /* the loop below stops at that lead */
            *start = end - 3;
        return S_cp3(s + end - 3);
    }
    size_t b = end - 1;
    while (b > 0 && end - b < 4 && (s[b] & 0xC0) == 0x80)
        b--;
    uint32_t cp;
    int k = cnrs_utf8_decode(s + b, end - b, &cp);
    if (k == 0 || (size_t)k != end - b) {
        b = end - 1;
        cp = s[b];
    }
    if (start)
        *start = b;
    return cp;
}

static int S_is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static int S_is_alpha(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Sentence-final marks: Chinese 。！？； and ASCII ! ? . */
static int S_is_final(uint32_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == '!' || c == '?' ||
           c == '.';
}

/* Closing quotes and brackets that stay with the sentence before them. */
static int S_is_closer(uint32_t c)
{
    switch (c) {
    case 0x201D: /* ” */
    case 0x2019: /* ’ */
    case '"':
    case '\'':
    case ')':
    case ']':
    case 0x3011: /* 】 */
    case 0x300D: /* 」 */
    case 0x300F: /* 』 */
    case 0x300B: /* 》 */
    case 0x3009: /* 〉 */
    case 0x3015: /* 〕 */
    case 0xFF09: /* ） (normalised text has ')', raw callers may not) */
        return 1;
    }
    return 0;
}

/* CJK for joining: ideographs, CJK punctuation, full-width forms, and the
 * typographic quotes Chinese text uses. */
static int S_is_cjkish(uint32_t c)
{
    return cnrs_is_cjk(c) || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 ||
           c == 0x2026 || c == 0x00B7;
}

/* Whether bytes 0 and 3 of w both lie in E4..E9: two characters S_measure
 * counts 2 each without looking further. The bytes are 24 bits apart, so
 * each sum's carry lands in a byte the mask drops. */
static inline int S_two_wide(uint64_t w)
{
    uint64_t x = w & 0xFF0000FFull;
    return ((x + 0x1C00001Cull) & ~(x + 0x16000016ull) & 0x100000100ull) == 0x100000100ull;
}

/* Whether w may hold a byte S_cells stops at (tab, space, E3, C2); false
 * positives only, from borrows past a byte that matches. */
static inline int S_may_hold_gap(uint64_t w)
{
    const uint64_t one = 0x0101010101010101ull, hi = 0x8080808080808080ull;
    uint64_t a = w ^ 0x20 * one, b = w ^ 0x09 * one, c = w ^ 0xE3 * one, d = w ^ 0xC2 * one;
    return ((((a - one) & ~a) | ((b - one) & ~b) | ((c - one) & ~c) | ((d - one) & ~d)) & hi) != 0;
}

#if CNRS_SSE2
/* Set bits of a byte (__builtin_popcount is a library call without
 * -mpopcnt). */
static const unsigned char S_pop8[256] = {
#define S_P2(n) n, n + 1, n + 1, n + 2
#define S_P4(n) S_P2(n), S_P2(n + 1), S_P2(n + 1), S_P2(n + 2)
#define S_P6(n) S_P4(n), S_P4(n + 1), S_P4(n + 1), S_P4(n + 2)
    S_P6(0), S_P6(1), S_P6(1), S_P6(2)
#undef S_P2
#undef S_P4
#undef S_P6
};

static inline unsigned S_popcount16(unsigned x)
{
    return (unsigned)S_pop8[x & 0xFF] + S_pop8[(x >> 8) & 0xFF];
}

/* S_measure's loop over the characters at the start of s[0..16) that it
 * measures without decoding: ASCII (1), a lead E3..E9 with two continuation
 * bytes (2) and EF BC xx / EF BD xx (U+FF00..U+FF7F, 2). Adds their width
 * to *w, sets *prose as S_measure does (", ", 。、, ，；：), and returns the
 * bytes they take (at most 18; 16 or more when every character opening a
 * byte of the window is of these kinds). Reads s[0..18). */
static inline size_t S_measure16(const unsigned char *s, int *w, int *prose)
{
    const __m128i a = _mm_loadu_si128((const __m128i *)s);
    const __m128i b = _mm_loadu_si128((const __m128i *)(s + 1));
    const __m128i c = _mm_loadu_si128((const __m128i *)(s + 2));
#define S_EQ(v, x) _mm_cmpeq_epi8((v), _mm_set1_epi8((char)(x)))
    const __m128i cont = _mm_set1_epi8((char)0xC0); /* signed: 80..BF lie below */
    unsigned asc = ~(unsigned)_mm_movemask_epi8(a) & 0xFFFFu;
    __m128i cont2 = _mm_and_si128(_mm_cmplt_epi8(b, cont), _mm_cmplt_epi8(c, cont));
    __m128i wide = _mm_cmpeq_epi8(
        _mm_subs_epu8(_mm_sub_epi8(a, _mm_set1_epi8((char)0xE3)), _mm_set1_epi8(6)),
        _mm_setzero_si128()); /* E3..E9 */
    __m128i ff = _mm_and_si128(S_EQ(a, 0xEF), _mm_or_si128(S_EQ(b, 0xBC), S_EQ(b, 0xBD)));
    unsigned g = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_or_si128(wide, ff), cont2));
    /* Bytes covered by those characters. The first byte not covered opens a
     * character (the covered ones form whole characters from byte 0). */
    unsigned ok = (asc | g | g << 1 | g << 2) & 0xFFFFu;
    size_t end = ok == 0xFFFFu ? 16 + (g >> 14) : (size_t)__builtin_ctz(~ok);
    unsigned pre = end >= 16 ? 0xFFFFu : (1u << end) - 1;
    if (!*prose) {
        __m128i comma = _mm_and_si128(S_EQ(a, ','), S_EQ(b, ' '));
        __m128i ju = _mm_and_si128(_mm_and_si128(S_EQ(a, 0xE3), S_EQ(b, 0x80)),
                                   _mm_or_si128(S_EQ(c, 0x81), S_EQ(c, 0x82)));
        __m128i fw = _mm_and_si128(_mm_and_si128(S_EQ(a, 0xEF), S_EQ(b, 0xBC)),
                                   _mm_or_si128(_mm_or_si128(S_EQ(c, 0x8C), S_EQ(c, 0x9B)),
                                                S_EQ(c, 0x9A)));
        if ((unsigned)_mm_movemask_epi8(_mm_or_si128(comma, _mm_or_si128(ju, fw))) & pre)
            *prose = 1;
    }
#undef S_EQ
    /* end bytes: one per ASCII character, three per wide one */
    *w += (int)(end - S_popcount16(g & pre));
    return end;
}
#endif

/* Display width of s[0..n), ignoring leading and trailing blanks, and in
 * *prose whether it holds prose punctuation (， 。 、 ； ： or ", "): wrapped
 * text has it, labels and headings mostly do not. One pass over the bytes:
 * ASCII counts 1, continuation bytes 0, leads E3-E9 (U+3000-U+9FFF, CJK) 2;
 * other multi-byte characters are decoded and measured by cnrs_cp_width. */
static int S_measure(const char *str, size_t n, int *prose)
{
    const unsigned char *u = (const unsigned char *)str;
    size_t i = 0;
    while (n > 0 && (u[n - 1] == ' ' || u[n - 1] == '\t'))
        n--;
    while (n >= 3 && u[n - 3] == 0xE3 && u[n - 2] == 0x80 && u[n - 1] == 0x80)
        n -= 3; /* trailing U+3000 */
    while (i < n && (u[i] == ' ' || u[i] == '\t'))
        i++;
    int w = 0, p = 0;
    while (i < n) {
#if CNRS_SSE2
        while (i + 18 <= n) {
            size_t e = S_measure16(u + i, &w, &p);
            i += e;
            if (e < 16)
                break; /* the character at i needs the loop below */
        }
        if (i >= n)
            break;
#endif
        unsigned c = u[i];
        if (c >= 0xE4 && c <= 0xE9 && i + 2 < n) {
            w += 2; /* the bulk of Chinese text: U+4000-U+9FFF */
            i += 3;
            while (i + 8 <= n && S_two_wide(cnrs_load64le(u + i))) {
                w += 4;
                i += 6;
            }
            continue;
        }
        if (c < 0x80) {
            w++;
            if (c == ',' && i + 1 < n && u[i + 1] == ' ')
                p = 1;
            i++;
        } else if ((c & 0xC0) == 0x80) {
            i++; /* stray continuation byte */
        } else if (c >= 0xE3 && c <= 0xE9) {
            w += 2;
            if (c == 0xE3 && i + 2 < n && u[i + 1] == 0x80 &&
                (u[i + 2] == 0x82 || u[i + 2] == 0x81))
                p = 1; /* 。 、 */
            i += i + 2 < n ? 3 : 1;
        } else {
            if (c == 0xEF && i + 2 < n && u[i + 1] == 0xBC &&
                (u[i + 2] == 0x8C || u[i + 2] == 0x9B || u[i + 2] == 0x9A))
                p = 1; /* ， ； ： */
            int k;
            w += cnrs_cp_width(S_cp_at(u, n, i, &k));
            i += (size_t)k;
        }
    }
    *prose = p;
    return w;
}

/* ==== sentence splitting ================================================== */

/* Past the run of terminators and closers starting at j. */
static size_t S_after_closers(const unsigned char *s, size_t n, size_t j)
{
    while (j < n) {
        int k;
        uint32_t c = S_cp_at(s, n, j, &k);
        if (!S_is_closer(c) && !S_is_final(c))
            break;
        j += (size_t)k;
    }
    return j;
}

/* Abbreviations after which '.' does not end a sentence. */
static int S_is_abbrev(const char *w, size_t n)
{
    static const char *const ab[] = {"e.g",    "i.e",    "E.g", "I.e",  "etc",  "Etc", "Co",
                                     "co",     "Ltd",    "ltd", "Inc",  "inc",  "No",  "Nos",
                                     "Mr",     "Mrs",    "Ms",  "Dr",   "Prof", "vs",  "Vs",
                                     "approx", "Approx", "Fig", "fig",  "Figs", "cf",  "al",
                                     "Jr",     "Sr",     "St",  "Corp", "Dept", "Vol", "pp"};
    for (size_t i = 0; i < sizeof ab / sizeof *ab; i++)
        if (ab[i][0] == w[0] && strlen(ab[i]) == n && !memcmp(ab[i], w, n))
            return 1;
    return 0;
}

/* For an ASCII '.', '!' or '?' at s[i] in the sentence that began at
 * `start`: where the sentence ends (after closers), or 0 if it goes on; then
 * *run is the end of the run of marks and closers, where scanning resumes
 * (so a long run of dots is not rescanned from each dot). *numend caches
 * where the digits, dots and spaces opening the sentence end (SIZE_MAX =
 * not yet known), keeping the section-number test linear. */
static size_t S_ascii_end(const unsigned char *s, size_t n, size_t start, size_t i, size_t *numend,
                          size_t *run)
{
    size_t j = S_after_closers(s, n, i + 1);
    *run = j;
    size_t k = j;
    while (k < n && s[k] == ' ')
        k++;
    if (k == n)
        return j;
    int kk;
    uint32_t next = S_cp_at(s, n, k, &kk);
    if (s[i] != '.') {
        /* '!' / '?' end unless a lower-case word follows ("what? he said",
         * "Yahoo!news"). */
        return next >= 'a' && next <= 'z' ? 0 : j;
    }
    if (k == j) {
        /* No space: "3.71", "Ltd.的", "U.S.", "No.5" go on; a word opening
         * with a capital after a lower-case word, a number or a closer is
         * a join that lost its space ("percent.Our"), unless the word
         * before is an abbreviation (below). */
        unsigned p = i > start ? s[i - 1] : ' ';
        if (!(next >= 'A' && next <= 'Z' && k + 1 < n && s[k + 1] >= 'a' && s[k + 1] <= 'z' &&
              ((p >= 'a' && p <= 'z') || S_is_digit(p) || p == '%' || p == ')' || p == '"')))
            return 0;
    } else if (!((next >= 'A' && next <= 'Z') || S_is_digit(next) || next == '"' ||
                 next == '\'' || next == 0x201C || next == 0x2018 || cnrs_is_cjk(next))) {
        return 0;
    }
    if (i > 0) {
        /* Single capital: "U.S. The", "J. Smith". */
        unsigned p = s[i - 1];
        if (p >= 'A' && p <= 'Z' && (i - 1 == start || !S_is_alpha(s[i - 2])))
            return 0;
        /* Known abbreviation: the letters-and-dots word before the '.'. */
        size_t w = i;
        while (w > start && i - w < 16 && (S_is_alpha(s[w - 1]) || s[w - 1] == '.'))
            w--;
        if (w < i && (w == start || !S_is_alpha(s[w - 1])) &&
            S_is_abbrev((const char *)s + w, i - w))
            return 0;
    }
    /* A section number opening the sentence: "1. Introduction", "2.1. 企业". */
    if (*numend == SIZE_MAX) {
        size_t q = start;
        while (q < n && (S_is_digit(s[q]) || s[q] == '.' || s[q] == ' '))
            q++;
        *numend = q;
    }
    if (*numend >= i)
        return 0;
    return j;
}

/* Where a sentence s[a, b) is cut when it is longer than
 * CNRS_MAX_SENTENCE_CHARS characters: after the last clause mark in the
 * second half of its first CNRS_MAX_SENTENCE_CHARS characters, trying ；
 * and ';' first, then ， and ", ", then a space; else after that many
 * characters. b when it is not longer. (Cuts in the second half take at
 * least half a window each, so cutting stays linear.) */
static size_t S_clause_cut(const unsigned char *s, size_t a, size_t b)
{
    size_t lim = a, half = a;
    int chars = 0;
    /* Eight bytes at a time while far from the limits: characters are the
     * bytes that are not continuation bytes (10xxxxxx). */
    while (lim + 8 <= b && chars + 8 < CNRS_MAX_SENTENCE_CHARS / 2 && lim - a + 8 < CNRS_MAX_SENTENCE) {
        uint64_t w = cnrs_load64le(s + lim);
        chars += 8 - __builtin_popcountll(w & ~(w << 1) & 0x8080808080808080ull);
        lim += 8;
    }
    for (; lim < b; lim++) {
        if (lim - a >= CNRS_MAX_SENTENCE) { /* bytes that are not UTF-8 */
            while (lim > a + 1 && (s[lim] & 0xC0) == 0x80)
                lim--;
            break;
        }
        if ((s[lim] & 0xC0) == 0x80)
            continue;
        if (chars == CNRS_MAX_SENTENCE_CHARS)
            break;
        if (chars == CNRS_MAX_SENTENCE_CHARS / 2)
            half = lim;
        chars++;
    }
    if (lim >= b)
        return b;
    for (int level = 0; level < 3; level++) {
        for (size_t p = lim; p > half; p--) {
            int fw = p >= a + 3 && s[p - 3] == 0xEF && s[p - 2] == 0xBC;
            if (level == 0 ? s[p - 1] == ';' || (fw && s[p - 1] == 0x9B)
                : level == 1 ? (s[p - 1] == ',' && s[p] == ' ') || (fw && s[p - 1] == 0x8C)
                             : s[p - 1] == ' ')
                return p;
        }
    }
    return lim;
}

static void S_emit_sentence(const unsigned char *s, size_t a, size_t b,
                            void (*cb)(void *ctx, size_t off, size_t len), void *ctx)
{
    for (;;) {
        while (a < b && s[a] == ' ')
            a++;
        while (b > a && s[b - 1] == ' ')
            b--;
        if (a == b)
            return;
        /* Never more bytes than characters: most sentences need no count. */
        size_t cut = b - a <= CNRS_MAX_SENTENCE_CHARS ? b : S_clause_cut(s, a, b);
        if (cut == b) {
            cb(ctx, a, b - a);
            return;
        }
        /* Each piece is trimmed too (a starts on a non-space, so the piece
         * is not empty). */
        size_t e = cut;
        while (e > a && s[e - 1] == ' ')
            e--;
        cb(ctx, a, e - a);
        a = cut;
    }
}

/* Length of the list bullet at s[i] (• ● ▪ ■ ◦ ◆ ◇ ► ▶ ‣ ⁃ ∙ ❖ ➢ ✓ ✔ and
 * the Symbol and Wingdings font bullets PDFs give as private-use
 * characters), 0 if none. */
static int S_bullet(const unsigned char *s, size_t n, size_t i)
{
    if (i + 2 >= n || (s[i] != 0xE2 && s[i] != 0xEF))
        return 0;
    uint32_t c = S_cp3(s + i);
    switch (c) {
    case 0x2022: case 0x2023: case 0x2043: case 0x2219: case 0x25A0: case 0x25A1: case 0x25AA:
    case 0x25AB: case 0x25B6: case 0x25BA: case 0x25C6: case 0x25C7: case 0x25CF: case 0x25E6:
    case 0x2713: case 0x2714: case 0x2756: case 0x27A2: case 0xF06C: case 0xF06E: case 0xF0A7:
    case 0xF0B7: case 0xF0D8:
        return 3;
    }
    return 0;
}

#if CNRS_SSE2
/* Bit p set where s[p] (p < 16) opens what cnrs_split_sentences stops at:
 * '.', '!', '?', '|', the first bytes that may open a bullet (E2 other
 * than E2 80, E2 80 A2, E2 80 A3, EF 81..83), or all three bytes of
 * 。 (E3 80 82) or ！？； (EF BC 81, 9F, 9B). Reads s[0..18). The byte
 * table below stops at every E2, E3 and EF; the others (，、“ and the like)
 * it then steps over one byte at a time. */
static inline unsigned S_stops16(const unsigned char *s)
{
    __m128i a = _mm_loadu_si128((const __m128i *)s);
    __m128i b = _mm_loadu_si128((const __m128i *)(s + 1));
    __m128i c = _mm_loadu_si128((const __m128i *)(s + 2));
#define S_EQ(v, x) _mm_cmpeq_epi8((v), _mm_set1_epi8((char)(x)))
    __m128i ascii = _mm_or_si128(_mm_or_si128(S_EQ(a, '.'), S_EQ(a, '!')),
                                 _mm_or_si128(S_EQ(a, '?'), S_EQ(a, '|')));
    /* bullets (S_bullet): E2 other than E2 80 (general punctuation: quotes,
     * dashes, ellipsis) but E2 80 A2/A3 (• ‣); EF 81..83 (private use) */
    __m128i e2 = _mm_and_si128(
        S_EQ(a, 0xE2),
        _mm_or_si128(_mm_xor_si128(S_EQ(b, 0x80), _mm_set1_epi8(-1)),
                     S_EQ(_mm_and_si128(c, _mm_set1_epi8((char)0xFE)), 0xA2)));
    __m128i ef = _mm_and_si128(
        S_EQ(a, 0xEF),
        _mm_or_si128(_mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(b, _mm_set1_epi8((char)0x81)),
                                                  _mm_set1_epi8(2)),
                                    _mm_setzero_si128()),
                     _mm_and_si128(S_EQ(b, 0xBC), _mm_or_si128(_mm_or_si128(S_EQ(c, 0x81), S_EQ(c, 0x9F)),
                                                               S_EQ(c, 0x9B)))));
    __m128i lead = _mm_or_si128(e2, ef);
    __m128i ju = _mm_and_si128(_mm_and_si128(S_EQ(a, 0xE3), S_EQ(b, 0x80)), S_EQ(c, 0x82));
#undef S_EQ
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(ascii, _mm_or_si128(ju, lead)));
}
#endif

void cnrs_split_sentences(const char *str, size_t n, void (*cb)(void *ctx, size_t off, size_t len),
                          void *ctx)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t start = 0, i = 0, numend = SIZE_MAX;
    while (start < n && s[start] == ' ')
        start++;
    i = start;
    /* Bytes that may start a sentence end: everything else is skipped in a
     * tight loop. */
    static const unsigned char stop[256] = {['.'] = 1,  ['!'] = 1,  ['?'] = 1, ['|'] = 1,
                                            [0xE2] = 1, [0xE3] = 1, [0xEF] = 1};
    while (i < n) {
#if CNRS_SSE2
        for (; i + 18 <= n; i += 16) {
            unsigned m = S_stops16(s + i);
            if (m) {
                i += (size_t)__builtin_ctz(m); /* a stop byte: the loops below stay */
                break;
            }
        }
#endif
        while (i + 4 <= n && !(stop[s[i]] | stop[s[i + 1]] | stop[s[i + 2]] | stop[s[i + 3]]))
            i += 4;
        while (i < n && !stop[s[i]])
            i++;
        if (i >= n)
            break;
        unsigned c = s[i];
        size_t end;
        if (c == '.' || c == '!' || c == '?') {
            size_t run;
            end = S_ascii_end(s, n, start, i, &numend, &run);
            if (!end) {
                i = run;
                continue;
            }
        } else if (c == '|' && i + 1 < n && s[i + 1] == '|') {
            /* "|||" separates items: it ends the sentence and is dropped */
            S_emit_sentence(s, start, i, cb, ctx);
            while (i < n && (s[i] == '|' || s[i] == ' '))
                i++;
            start = i;
            numend = SIZE_MAX;
            continue;
        } else if (S_bullet(s, n, i)) {
            /* a bullet opens the next sentence (one opening this one stays) */
            if (i > start) {
                S_emit_sentence(s, start, i, cb, ctx);
                start = i;
                numend = SIZE_MAX;
            }
            i += 3;
            continue;
        } else if ((c == 0xE3 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0x82) ||
                   (c == 0xEF && i + 2 < n && s[i + 1] == 0xBC &&
                    (s[i + 2] == 0x81 || s[i + 2] == 0x9F || s[i + 2] == 0x9B))) {
            end = S_after_closers(s, n, i + 3); /* 。！？； */
        } else {
            i++;
            continue;
        }
        S_emit_sentence(s, start, end, cb, ctx);
        start = i = end;
        numend = SIZE_MAX;
        while (start < n && s[start] == ' ')
            start = ++i;
    }
    S_emit_sentence(s, start, n, cb, ctx);
}

/* ==== line classification helpers ======================================== */

/* Trim ASCII spaces from s[*a..*b). */
static void S_trim(const char *s, size_t *a, size_t *b)
{
    while (*a < *b && s[*a] == ' ')
        (*a)++;
    while (*b > *a && s[*b - 1] == ' ')
        (*b)--;
}

static size_t S_skip_spaces(const char *s, size_t i, size_t n)
{
    while (i < n && s[i] == ' ')
        i++;
    return i;
}

static size_t S_skip_digits(const char *s, size_t i, size_t n)
{
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

static int S_prefix_ci(const char *s, size_t n, const char *p)
{
    size_t l = strlen(p);
    if (n < l)
        return 0;
    for (size_t i = 0; i < l; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != p[i])
            return 0;
    }
    return 1;
}

/* A bare page number: "12", "- 12 -", "12 / 80", "第12页", "Page 12 of 80".
 * `s` is normalised (dashes are '-'). */
static int S_is_page_number(const char *s, size_t n)
{
    size_t a = 0, b = n, i, d;
    S_trim(s, &a, &b);
    if (a == b)
        return 0;
    s += a;
    n = b - a;
    static const char di[] = "\xE7\xAC\xAC", ye[] = "\xE9\xA1\xB5"; /* 第 页 */
    if (n > 6 && !memcmp(s, di, 3)) {
        i = S_skip_spaces(s, 3, n);
        d = S_skip_digits(s, i, n);
        if (d == i || d - i > 4)
            return 0;
        i = S_skip_spaces(s, d, n);
        return i + 3 == n && !memcmp(s + i, ye, 3);
    }
    i = 0;
    if (S_prefix_ci(s, n, "page")) {
        i = S_skip_spaces(s, 4, n);
        if (i == 4 && i < n && s[i] != '.' && !(s[i] >= '0' && s[i] <= '9'))
            return 0;
        if (i < n && s[i] == '.')
            i = S_skip_spaces(s, i + 1, n);
    } else {
        while (i < n && (s[i] == '-' || s[i] == ' '))
            i++;
    }
    d = S_skip_digits(s, i, n);
    if (d == i || d - i > 4)
        return 0;
    i = S_skip_spaces(s, d, n);
    if (i < n && (s[i] == '/' || S_prefix_ci(s + i, n - i, "of"))) {
        i = S_skip_spaces(s, i + (s[i] == '/' ? 1 : 2), n);
        d = S_skip_digits(s, i, n);
        if (d == i || d - i > 4)
            return 0;
        i = d;
    }
    while (i < n && (s[i] == '-' || s[i] == ' '))
        i++;
    return i == n;
}

/* Lower-cased ASCII, spaces removed, into key[0..cap); returns the length or
 * cap + 1 when it does not fit. */
static size_t S_key(const char *s, size_t n, char *key, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ')
            continue;
        if (k == cap)
            return cap + 1;
        key[k++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    return k;
}

static int S_key_is(const char *k, size_t n, const char *lit)
{
    return strlen(lit) == n && !memcmp(k, lit, n);
}

static int S_key_ends(const char *k, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && !memcmp(k + n - l, lit, l);
}

static int S_key_has(const char *k, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    for (size_t i = 0; i + l <= n; i++)
        if (!memcmp(k + i, lit, l))
            return 1;
    return 0;
}

/* "目录", "目 录", "Contents", "Table of Contents", "目录 CONTENTS". */
static int S_is_contents_heading(const char *s, size_t n)
{
    if (n > 40)
        return 0;
    char k[64];
    size_t l = S_key(s, n, k, sizeof k);
    return S_key_is(k, l, "\xE7\x9B\xAE\xE5\xBD\x95") || /* 目录 */
           S_key_is(k, l, "\xE7\x9B\xAE\xE9\x8C\x84") || /* 目錄 */
           S_key_is(k, l, "contents") || S_key_is(k, l, "tableofcontents") ||
           S_key_is(k, l,
                    "\xE7\x9B\xAE\xE5\xBD\x95"
                    "contents") ||
           S_key_is(k, l, "contents\xE7\x9B\xAE\xE5\xBD\x95");
}

/* GRI内容索引, 指标索引, ESG指标索引, GRI Content Index, ESG Index,
 * 指标对照表 ... */
static int S_is_index_heading(const char *s, size_t n)
{
    /* Cheap rejection first: an index heading ends in 索引 / 索引表 / index
     * or mentions 对照. */
    while (n && s[n - 1] == ' ')
        n--;
    if (n > 128 || n < 5)
        return 0;
    const char *e = s + n;
    int maybe = (n >= 6 && !memcmp(e - 6, "\xE7\xB4\xA2\xE5\xBC\x95", 6)) ||
                (n >= 9 && !memcmp(e - 9, "\xE7\xB4\xA2\xE5\xBC\x95\xE8\xA1\xA8", 9)) ||
                S_prefix_ci(e - 5, 5, "index");
    for (const char *p = s; !maybe && (p = memchr(p, 0xE5, (size_t)(e - p))) != NULL; p++)
        maybe = e - p >= 6 && !memcmp(p, "\xE5\xAF\xB9\xE7\x85\xA7", 6);
    if (!maybe)
        return 0;
    char k[72];
    size_t l = S_key(s, n, k, sizeof k);
    if (l == 0 || l > sizeof k)
        return 0;
    static const char suoyin[] = "\xE7\xB4\xA2\xE5\xBC\x95";                 /* 索引 */
    static const char suoyinbiao[] = "\xE7\xB4\xA2\xE5\xBC\x95\xE8\xA1\xA8"; /* 索引表 */
    static const char duizhao[] = "\xE5\xAF\xB9\xE7\x85\xA7";                /* 对照 */
    static const char zhibiao[] = "\xE6\x8C\x87\xE6\xA0\x87";                /* 指标 */
    static const char neirong[] = "\xE5\x86\x85\xE5\xAE\xB9";                /* 内容 */
    if (l <= 36 && (S_key_ends(k, l, suoyin) || S_key_ends(k, l, suoyinbiao)))
        return 1;
    if (l <= 36 && S_key_has(k, l, duizhao) &&
        (S_key_has(k, l, zhibiao) || S_key_has(k, l, "gri") || S_key_has(k, l, "esg") ||
         S_key_has(k, l, neirong)))
        return 1;
    if (S_key_ends(k, l, "index") &&
        (S_key_has(k, l, "gri") || S_key_has(k, l, "esg") || S_key_has(k, l, "content")))
        return 1;
    return 0;
}

/* A line opening with a GRI disclosure ("GRI 305-1", "305-1", "GRI 2-7")
 * or an HKEX ESG KPI ("A1.1", "KPI B2.3"). */
static int S_starts_with_code(const char *s, size_t n)
{
    size_t i = S_skip_spaces(s, 0, n), d, e;
    int gri = 0;
    if (S_prefix_ci(s + i, n - i, "gri")) {
        gri = 1;
        i = S_skip_spaces(s, i + 3, n);
    }
    d = S_skip_digits(s, i, n);
    if (d > i && d - i <= 3 && d < n && s[d] == '-') {
        e = S_skip_digits(s, d + 1, n);
        if (e == d + 1 || e - d - 1 > 2)
            return 0;
        if (e < n && (s[e] == '.' || s[e] == '-' || S_is_alpha((unsigned char)s[e])))
            return 0;
        if (gri)
            return 1;
        if (d - i != 3)
            return 0;
        int series = (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
        return (series >= 101 && series <= 103) || (series >= 201 && series <= 207) ||
               (series >= 301 && series <= 308) || (series >= 401 && series <= 419);
    }
    if (gri)
        return d > i && d - i <= 3 && (d == n || !S_is_digit((unsigned char)s[d])); /* "GRI 102" */
    int kpi = 0;
    if (S_prefix_ci(s + i, n - i, "kpi")) {
        kpi = 1;
        i = S_skip_spaces(s, i + 3, n);
    }
    if (i + 1 < n && (s[i] == 'A' || s[i] == 'B') && s[i + 1] >= '1' && s[i + 1] <= '9') {
        d = i + 2;
        if (d < n && s[d] == '.' && d + 1 < n && S_is_digit((unsigned char)s[d + 1])) {
            e = S_skip_digits(s, d + 1, n);
            return e - d - 1 <= 2 && (e == n || !S_is_digit((unsigned char)s[e]));
        }
        return kpi && (d == n || !S_is_alpha((unsigned char)s[d]));
    }
    return 0;
}

/* A leader char at s[i] ('.', '…', '·', '⋯', '‥'); returns its byte length
 * and adds its dot count to *dots, or 0. */
static size_t S_leader(const unsigned char *s, size_t n, size_t i, int *dots)
{
    if (s[i] == '.') {
        *dots += 1;
        return 1;
    }
    if (i + 1 < n && s[i] == 0xC2 && s[i + 1] == 0xB7) {
        *dots += 1;
        return 2;
    }
    if (i + 2 < n && s[i] == 0xE2 &&
        ((s[i + 1] == 0x80 && (s[i + 2] == 0xA6 || s[i + 2] == 0xA5)) ||
         (s[i + 1] == 0x8B && s[i + 2] == 0xAF))) {
        *dots += s[i + 2] == 0xA5 ? 2 : 3;
        return 3;
    }
    return 0;
}

/* A contents entry with dot leaders before a trailing page number:
 * "一、公司治理……12", "About us ....... 3". `s` is normalised. */
static int S_is_toc_leaders(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t a = 0, b = n;
    S_trim(str, &a, &b);
    size_t d = b;
    while (d > a && S_is_digit(s[d - 1]))
        d--;
    if (d == b || b - d > 4)
        return 0;
    /* Walk back over leaders and spaces. */
    size_t i = d;
    int dots = 0;
    while (i > a) {
        if (s[i - 1] == ' ') {
            i--;
            continue;
        }
        size_t st;
        S_cp_before(s, i, &st);
        int before = dots;
        if (S_leader(s, i, st, &dots) != i - st || dots == before)
            break;
        i = st;
    }
    if (dots < 3)
        return 0;
    /* The label must say something. */
    for (size_t k = a; k < i; k++)
        if (s[k] != ' ' && !S_is_digit(s[k]) && s[k] != '.')
            return 1;
    return 0;
}

/* The run of white space at raw[i] (ASCII space, tab, U+3000, NBSP): returns
 * its end (i when none), whether it holds a tab, and how many spaces. */
static size_t S_gap(const char *raw, size_t i, size_t n, int *tab, int *spaces)
{
    const unsigned char *u = (const unsigned char *)raw;
    size_t j = i;
    *tab = 0;
    *spaces = 0;
    while (j < n) {
        if (u[j] == ' ') {
            (*spaces)++;
            j++;
        } else if (u[j] == '\t') {
            *tab = 1;
            j++;
        } else if (j + 2 < n && u[j] == 0xE3 && u[j + 1] == 0x80 && u[j + 2] == 0x80) {
            (*spaces)++;
            j += 3;
        } else if (j + 1 < n && u[j] == 0xC2 && u[j + 1] == 0xA0) {
            (*spaces)++;
            j += 2;
        } else {
            break;
        }
    }
    return j;
}

/* Contents entry with a long gap before a trailing page number
 * ("01 关于本报告      3"); the label (past a leading section number) holds
 * no other digits and no other gap, so a two-column data row stays a table
 * row. Works on the raw line, whose spacing normalisation would lose. */
static int S_is_toc_gap(const char *raw, size_t n)
{
    const unsigned char *u = (const unsigned char *)raw;
    size_t b = n;
    while (b > 0 && (u[b - 1] == ' ' || u[b - 1] == '\t' || u[b - 1] == '\r'))
        b--;
    size_t d = b;
    while (d > 0 && S_is_digit(u[d - 1]))
        d--;
    if (d == b || b - d > 3 || d == 0)
        return 0;
    /* Find the start of the white space before the number. */
    size_t g = d;
    while (g > 0) {
        if (u[g - 1] == ' ' || u[g - 1] == '\t') {
            g--;
        } else if (g >= 3 && u[g - 3] == 0xE3 && u[g - 2] == 0x80 && u[g - 1] == 0x80) {
            g -= 3;
        } else {
            break;
        }
    }
    int tab, spaces;
    if (S_gap(raw, g, d, &tab, &spaces) != d || !(tab || spaces >= 4))
        return 0;
    size_t a = 0;
    while (a < g && (u[a] == ' ' || u[a] == '\t'))
        a++;
    if (a == g)
        return 0;
    /* Skip a leading section number: "1", "1.2", "01" followed by a space,
     * '.', or 、. */
    size_t p = a;
    while (p < g && (S_is_digit(u[p]) || u[p] == '.'))
        p++;
    if (p > a && p < g &&
        !(u[p] == ' ' || u[p - 1] == '.' ||
          (p + 2 < g && u[p] == 0xE3 && u[p + 1] == 0x80 && u[p + 2] == 0x81)))
        p = a; /* "2020年" is not a section number */
    for (size_t k = p; k < g; k++) {
        if (S_is_digit(u[k]))
            return 0;
        int t2, s2;
        size_t e = S_gap(raw, k, g, &t2, &s2);
        if (e > k && (t2 || s2 >= 2))
            return 0;
        if (e > k)
            k = e - 1;
    }
    return 1;
}

/* Cheap test before S_cells: a tab, two spaces, U+3000 or NBSP somewhere
 * (memchr is vectorised; most lines have none). */
static int S_may_have_cells(const char *raw, size_t n)
{
    if (memchr(raw, '\t', n))
        return 1;
    const char *p = raw, *end = raw + n;
    while ((p = memchr(p, ' ', (size_t)(end - p))) != NULL) {
        if (++p < end && *p == ' ')
            return 1;
    }
    for (p = raw; (p = memchr(p, 0xE3, (size_t)(end - p))) != NULL; p++)
        if (end - p >= 3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
            return 1;
    for (p = raw; (p = memchr(p, 0xC2, (size_t)(end - p))) != NULL; p++)
        if (end - p >= 2 && (unsigned char)p[1] == 0xA0)
            return 1;
    return 0;
}

#if CNRS_SSE2
/* Bit p set where s[p] (p < 16) opens a space, a tab, U+3000 (E3 80 80) or
 * NBSP (C2 A0): where S_cells' byte loop stops. Reads s[0..18). */
static inline unsigned S_gaps16(const unsigned char *s)
{
    __m128i a = _mm_loadu_si128((const __m128i *)s);
    __m128i b = _mm_loadu_si128((const __m128i *)(s + 1));
    __m128i c = _mm_loadu_si128((const __m128i *)(s + 2));
#define S_EQ(v, x) _mm_cmpeq_epi8((v), _mm_set1_epi8((char)(x)))
    __m128i m = _mm_or_si128(
        _mm_or_si128(S_EQ(a, ' '), S_EQ(a, '\t')),
        _mm_or_si128(_mm_and_si128(_mm_and_si128(S_EQ(a, 0xE3), S_EQ(b, 0x80)), S_EQ(c, 0x80)),
                     _mm_and_si128(S_EQ(a, 0xC2), S_EQ(b, 0xA0))));
#undef S_EQ
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Cells of a raw line separated by tabs or runs of 2+ spaces. Fills
 * cells[] (pairs of offsets) up to `max` cells and returns the count. */
static size_t S_cells(const char *raw, size_t n, size_t *cells, size_t max)
{
    const unsigned char *u = (const unsigned char *)raw;
    size_t i = 0, nc = 0;
    int tab, spaces;
    i = S_gap(raw, 0, n, &tab, &spaces);
    while (i < n) {
        size_t a = i;
        for (;;) {
#if CNRS_SSE2
            /* Where the loop below stops, sixteen bytes a test. */
            for (; i + 18 <= n; i += 16) {
                unsigned m = S_gaps16(u + i);
                if (m) {
                    i += (size_t)__builtin_ctz(m);
                    break;
                }
            }
#endif
            while (i + 8 <= n && !S_may_hold_gap(cnrs_load64le(u + i)))
                i += 8;
            while (i < n && u[i] != ' ' && u[i] != '\t' &&
                   !(i + 2 < n && u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x80) &&
                   !(i + 1 < n && u[i] == 0xC2 && u[i + 1] == 0xA0))
                i++;
            size_t e = S_gap(raw, i, n, &tab, &spaces);
            if (e == n || tab || spaces >= 2) {
                if (nc < max) {
                    cells[2 * nc] = a;
                    cells[2 * nc + 1] = i;
                }
                nc++;
                i = e;
                break;
            }
            i = e; /* a single space inside a cell */
        }
    }
    return nc;
}

/* ==== segmentation ======================================================== */

enum {
    S_F_PAGENUM = 1, /* bare page number */
    S_F_RUNNING = 2, /* running header or footer */
    S_F_TABLE = 4,   /* cells split by tabs / space runs */
    S_F_TOCPAT = 8,  /* looks like a contents entry */
    S_F_FULL = 16,   /* as wide as the text column it belongs to */
    S_F_PROSE = 32,  /* holds prose punctuation */
    S_F_CONT = 64    /* layout sources: the paragraph goes on at the next BODY line */
};

/* Eight bytes a line, so a file of short lines stays small: the normalised
 * text of line i is norm[off, lines[i + 1].off - 1), each line followed by
 * '\n' in the scratch buffer (a sentinel entry follows the last line). */
#define S_OFF_BITS 37
typedef struct S_line {
    uint64_t off : S_OFF_BITS; /* normalised text in the scratch buffer */
    uint64_t width : 16;       /* display width of the raw line (saturating) */
    uint64_t flags : 8;
    uint64_t kind : 3; /* final kind */
} S_line;

static inline size_t S_llen(const S_line *l)
{
    return (size_t)(l[1].off - l[0].off - 1);
}

typedef struct S_pagemark {
    size_t off; /* into doc->text */
    int page;
} S_pagemark;

typedef struct S_seg {
    cnrs_doc *doc;
    S_line *lines;
    cnrs_buf norm; /* normalised text of every line */
    cnrs_buf text; /* doc->text under construction */
    cnrs_block *blocks;
    size_t nblocks, blocks_cap;
    uint8_t *levels; /* per block: a HEADING's level, else 0 */
    size_t levels_cap;
    S_pagemark *marks;
    size_t nmarks, marks_cap;
    int p80;     /* typical full line width */
    int deepest; /* deepest heading level a reader gave */
} S_seg;

/* Readers whose kinds and paragraphs come from page layout (layout.h). */
static int S_layout_source(const cnrs_doc *doc)
{
    return doc->format == CNRS_FMT_PDF || doc->format == CNRS_FMT_PDFXML;
}

/* Normalise raw block i into the scratch buffer, splitting table cells. */
static void S_normalise_line(S_seg *g, size_t i)
{
    const cnrs_raw_block *rb = &g->doc->raw_blocks[i];
    const char *raw = g->doc->raw + rb->off;
    S_line *l = &g->lines[i];
    l->off = g->norm.len;
    l->flags = 0;
    l->kind = CNRS_BLOCK_BODY;
    if (rb->kind == CNRS_BLOCK_BODY && !S_layout_source(g->doc) &&
        S_may_have_cells(raw, rb->len) && !S_is_toc_gap(raw, rb->len)) {
        size_t cells[2 * 64];
        size_t nc = S_cells(raw, rb->len, cells, 64);
        int spaced = 1; /* "目  录": every cell one character */
        for (size_t c = 0; c < nc && c < 64 && spaced; c++) {
            int k;
            S_cp_at((const unsigned char *)raw, rb->len, cells[2 * c], &k);
            if (cells[2 * c + 1] - cells[2 * c] != (size_t)k)
                spaced = 0;
        }
        if (nc >= 2 && nc <= 64 && !spaced) {
            l->flags |= S_F_TABLE;
            for (size_t c = 0; c < nc; c++) {
                size_t before = g->norm.len;
                if (before > l->off)
                    cnrs_buf_puts(&g->norm, " | ");
                size_t at = g->norm.len;
                cnrs_normalise(raw + cells[2 * c], cells[2 * c + 1] - cells[2 * c], &g->norm);
                if (g->norm.len == at)
                    g->norm.len = before; /* empty cell */
            }
        }
    }
    if (!(l->flags & S_F_TABLE))
        cnrs_normalise(raw, rb->len, &g->norm);
    size_t len = g->norm.len - l->off;
    /* Blocks are one line each in doc->text. */
    char *p = g->norm.data + l->off;
    for (char *q = memchr(p, '\n', len); q; q = memchr(q, '\n', len - (size_t)(q - p)))
        *q = ' ';
    cnrs_buf_putc(&g->norm, '\n');
    const char *t = g->norm.data + l->off;
    if (len == 0)
        l->kind = CNRS_BLOCK_BREAK; /* nothing left: classified as a break */
    if (S_is_page_number(t, len))
        l->flags |= S_F_PAGENUM;
    if (rb->kind != CNRS_BLOCK_TABLE_ROW &&
        (S_is_toc_leaders(t, len) || S_is_toc_gap(raw, rb->len)))
        l->flags |= S_F_TOCPAT;
    int prose;
    int w = S_measure(raw, rb->len, &prose);
    l->width = (unsigned)(w > UINT16_MAX ? UINT16_MAX : w); /* every test of it saturates lower */
    if (prose)
        l->flags |= S_F_PROSE;
}

/* 80th percentile of body line widths, by histogram (linear time). */
static int S_typical_width(const S_seg *g)
{
    enum { MAXW = 4096 };
    size_t *hist = cnrs_xcalloc(MAXW + 1, sizeof *hist);
    size_t total = 0;
    for (size_t i = 0; i < g->doc->n_raw; i++) {
        const S_line *l = &g->lines[i];
        if (g->doc->raw_blocks[i].kind != CNRS_BLOCK_BODY || l->kind == CNRS_BLOCK_BREAK ||
            (l->flags & (S_F_PAGENUM | S_F_TABLE | S_F_TOCPAT)))
            continue;
        hist[l->width > MAXW ? MAXW : l->width]++;
        total++;
    }
    int w = 0;
    if (total) {
        size_t want = total - total / 5, acc = 0; /* 80% of lines at or below */
        for (w = 0; w <= MAXW; w++) {
            acc += hist[w];
            if (acc >= want)
                break;
        }
    }
    free(hist);
    return w;
}

/* ---- running headers and footers ----------------------------------------- */

typedef struct S_slot {
    uint64_t h;
    size_t off, len; /* key in the key buffer */
    int first, last; /* pages it opens / closes */
    int used;
} S_slot;

static uint64_t S_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Key of a header line: its text without digits and spaces, so "Report 12"
 * and "Report 13" match. */
static void S_header_key(const char *s, size_t n, cnrs_buf *keys)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && !(s[i] >= '0' && s[i] <= '9'))
            cnrs_buf_putc(keys, s[i]);
}

static S_slot *S_lookup(S_slot *tab, size_t mask, const cnrs_buf *keys, size_t off, size_t len)
{
    uint64_t h = S_hash(keys->data + off, len);
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        S_slot *s = &tab[i];
        if (!s->used) {
            *s = (S_slot){h, off, len, 0, 0, 1};
            return s;
        }
        if (s->h == h && s->len == len && !memcmp(keys->data + s->off, keys->data + off, len))
            return s;
    }
}

static void S_running_lines(S_seg *g)
{
    cnrs_doc *doc = g->doc;
    if (!doc->paged || doc->npages < 3 || S_layout_source(doc))
        return; /* the layout repair found them by position */
    size_t np = (size_t)doc->npages + 1;
    size_t *first = cnrs_xmalloc(np * sizeof *first);
    size_t *last = cnrs_xmalloc(np * sizeof *last);
    for (size_t p = 0; p < np; p++)
        first[p] = last[p] = SIZE_MAX;
    for (size_t i = 0; i < doc->n_raw; i++) {
        const S_line *l = &g->lines[i];
        if (doc->raw_blocks[i].kind == CNRS_BLOCK_BREAK || l->kind == CNRS_BLOCK_BREAK ||
            (l->flags & S_F_PAGENUM))
            continue;
        size_t p = (size_t)doc->raw_blocks[i].page;
        if (first[p] == SIZE_MAX)
            first[p] = i;
        last[p] = i;
    }
    size_t pages = 0;
    for (size_t p = 1; p < np; p++)
        pages += first[p] != SIZE_MAX;
    if (pages < 3)
        goto out;

    size_t cap = 16;
    while (cap < pages * 4)
        cap *= 2;
    S_slot *tab = cnrs_xcalloc(cap, sizeof *tab);
    cnrs_buf keys = CNRS_BUF_INIT;
    S_slot **sf = cnrs_xcalloc(np, sizeof *sf), **sl = cnrs_xcalloc(np, sizeof *sl);
    /* Slot pointers stay valid: the table never grows. */
    for (size_t p = 1; p < np; p++) {
        if (first[p] == SIZE_MAX)
            continue;
        for (int end = 0; end < 2; end++) {
            size_t i = end ? last[p] : first[p];
            if (end && i == first[p]) {
                sl[p] = sf[p];
                if (sf[p])
                    sf[p]->last++;
                break;
            }
            size_t off = keys.len;
            S_header_key(g->norm.data + g->lines[i].off, S_llen(&g->lines[i]), &keys);
            size_t len = keys.len - off;
            if (len == 0)
                continue;
            S_slot *s = S_lookup(tab, cap - 1, &keys, off, len);
            if (s->off != off)
                keys.len = off; /* key already stored */
            if (end) {
                s->last++;
                sl[p] = s;
            } else {
                s->first++;
                sf[p] = s;
            }
        }
    }
    for (size_t p = 1; p < np; p++) {
        if (sf[p] && sf[p]->first >= 2 && (size_t)sf[p]->first * 2 >= pages)
            g->lines[first[p]].flags |= S_F_RUNNING;
        if (sl[p] && sl[p]->last >= 2 && (size_t)sl[p]->last * 2 >= pages)
            g->lines[last[p]].flags |= S_F_RUNNING;
    }
    free(sf);
    free(sl);
    free(tab);
    cnrs_buf_free(&keys);
out:
    free(first);
    free(last);
}

/* ---- kinds --------------------------------------------------------------- */

/* A line of running text, which ends a contents region. */
static int S_is_long_body(const S_seg *g, const S_line *l)
{
    if (l->flags & (S_F_TOCPAT | S_F_TABLE | S_F_PAGENUM))
        return 0;
    if ((long)l->width * 10 < (long)g->p80 * 7)
        return 0;
    const char *t = g->norm.data + l->off;
    size_t len = S_llen(l);
    static const char *const marks[] = {"\xEF\xBC\x8C", "\xE3\x80\x82", "\xEF\xBC\x9B", ", ",
                                        ". "}; /* ， 。 ； */
    for (size_t m = 0; m < sizeof marks / sizeof *marks; m++) {
        size_t ml = strlen(marks[m]);
        for (size_t i = 0; i + ml <= len; i++)
            if (!memcmp(t + i, marks[m], ml))
                return 1;
    }
    return 0;
}

enum { S_TOC_MAX_LINES = 200 };

static void S_classify(S_seg *g)
{
    cnrs_doc *doc = g->doc;
    int toc = 0, toc_lines = 0; /* inside a contents region */
    int index = 0, index_page = 0;
    /* A contents heading printed three times or more is a navigation link
     * on every page ("Contents" back to the list), not the list's heading:
     * it opens no contents region, which would swallow the page's tables. */
    size_t headings = 0;
    if (!S_layout_source(doc))
        for (size_t i = 0; i < doc->n_raw && headings < 3; i++)
            headings += S_is_contents_heading(g->norm.data + g->lines[i].off, S_llen(&g->lines[i]));
    for (size_t i = 0; i < doc->n_raw; i++) {
        const cnrs_raw_block *rb = &doc->raw_blocks[i];
        S_line *l = &g->lines[i];
        const char *t = g->norm.data + l->off;
        size_t len = S_llen(l);
        cnrs_block_kind hint = rb->kind;
        if (rb->level > g->deepest)
            g->deepest = rb->level;
        if (hint == CNRS_BLOCK_BREAK || len == 0) {
            l->kind = CNRS_BLOCK_BREAK;
            continue;
        }
        if (S_layout_source(doc)) {
            l->kind = hint == CNRS_BLOCK_BODY && (l->flags & S_F_PAGENUM) ? CNRS_BLOCK_FURNITURE
                                                                         : hint;
            continue;
        }
        if (index && doc->paged && rb->page != index_page)
            index = 0;
        if (hint == CNRS_BLOCK_BODY && (l->flags & (S_F_PAGENUM | S_F_RUNNING))) {
            l->kind = CNRS_BLOCK_FURNITURE;
            continue;
        }
        if (index) {
            l->kind = CNRS_BLOCK_INDEX;
            continue;
        }
        if (S_is_contents_heading(t, len)) {
            l->kind = headings >= 3 ? CNRS_BLOCK_FURNITURE : CNRS_BLOCK_TOC;
            toc = headings < 3;
            toc_lines = 0;
            continue;
        }
        if (toc) {
            if (S_is_long_body(g, l) || ++toc_lines > S_TOC_MAX_LINES) {
                toc = 0;
            } else {
                l->kind = CNRS_BLOCK_TOC;
                continue;
            }
        }
        /* An index runs to the end of its page; in an unpaged file to the
         * end, so there a heading only counts in the second half (indices
         * close reports, and a contents line must not swallow the body). */
        if (hint != CNRS_BLOCK_TABLE_ROW && S_is_index_heading(t, len) &&
            (doc->paged || rb->off * 2 >= doc->raw_len)) {
            l->kind = CNRS_BLOCK_INDEX;
            index = 1;
            index_page = rb->page;
            continue;
        }
        if (S_starts_with_code(t, len)) {
            l->kind = CNRS_BLOCK_INDEX;
            continue;
        }
        if (l->flags & S_F_TOCPAT) {
            l->kind = CNRS_BLOCK_TOC;
            continue;
        }
        if (hint == CNRS_BLOCK_BODY && (l->flags & S_F_TABLE)) {
            l->kind = CNRS_BLOCK_TABLE_ROW;
            continue;
        }
        l->kind = hint;
    }
}

/* ---- line widths --------------------------------------------------------- */

enum { S_COLUMN_MIN_WIDTH = 16 }; /* eight CJK characters */

static int S_width_tol(int w)
{
    return w / 8 > 2 ? w / 8 : 2;
}

static int S_similar(int a, int b)
{
    int d = a > b ? a - b : b - a;
    return d <= S_width_tol(a > b ? a : b);
}

/* A list item opens the line: "1. ", "2、", "(3)", "一、", "①", "•", "- ".
 * Such a line starts a paragraph even after a full-width line. */
static int S_starts_list(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0)
        return 0;
    int k;
    uint32_t c = S_cp_at(s, n, 0, &k);
    /* Bullets, circled and parenthesised numbers. */
    if (c == 0x2022 || c == 0x25CF || c == 0x25CB || c == 0x25A0 || c == 0x25A1 || c == 0x25C6 ||
        c == 0x25C7 || c == 0x25AA || c == 0x25B6 || c == 0x25BA || c == 0x27A2 || c == 0x2713 ||
        c == 0x203B || (c >= 0x2460 && c <= 0x249B))
        return 1;
    if ((c == '-' || c == '*' || c == 0x00B7) && n > 1 && s[k] == ' ')
        return 1;
    size_t i = 0;
    int paren = 0;
    if (c == '(') {
        paren = 1;
        i = 1;
    }
    size_t d = S_skip_digits(str, i, n);
    size_t e = d;
    if (d == i) {
        /* Chinese numerals: 一 二 三 四 五 六 七 八 九 十 */
        static const uint32_t num[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                       0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};
        while (e < n) {
            int kk;
            uint32_t x = S_cp_at(s, n, e, &kk);
            size_t m = 0;
            while (m < 10 && num[m] != x)
                m++;
            if (m == 10)
                break;
            e += (size_t)kk;
        }
        if (e == i || e - i > 6)
            return 0;
    } else if (d - i > 2) {
        return 0;
    }
    if (e >= n)
        return 0;
    if (paren)
        return s[e] == ')';
    /* 、 */
    if (e + 2 < n && s[e] == 0xE3 && s[e + 1] == 0x80 && s[e + 2] == 0x81)
        return 1;
    if (d == i)
        return 0;
    if (s[e] == ')')
        return 1;
    if (s[e] == '.' && e + 1 < n) {
        int kk;
        uint32_t x = S_cp_at(s, n, e + 1, &kk);
        return x == ' ' || cnrs_is_cjk(x);
    }
    return 0;
}

/* Mark body lines that fill their column, so the next body line continues
 * them. A line is full when it reaches 70% of the document's typical width;
 * or, for narrower columns (side boxes, two-column pages), when it is at least
 * S_COLUMN_MIN_WIDTH wide, the next body line is not wider, a neighbouring
 * body line has about the same width, and prose punctuation occurs in it or
 * in one of the two body lines before and three after that are not wider
 * than it: wrapped lines of one column come in
 * runs of equal width, labels and headings do not. Never full before a line
 * that opens a list item. */
/* The body lines in order, with S_SEP where something else separates them,
 * produced on demand into a ring of the last S_RING entries (a window of
 * two before and four after is all S_mark_full looks at, and an array of
 * every line would cost memory on files of short lines). */
enum { S_RING = 8 };
#define S_SEP SIZE_MAX

typedef struct S_seq {
    size_t ring[S_RING];
    size_t n; /* entries produced */
    size_t i; /* next line to look at */
} S_seq;

static int S_seq_more(const S_seg *g, S_seq *q)
{
    while (q->i < g->doc->n_raw) {
        size_t i = q->i++;
        cnrs_block_kind k = (cnrs_block_kind)g->lines[i].kind;
        if (k == CNRS_BLOCK_BREAK || k == CNRS_BLOCK_FURNITURE)
            continue;
        if (k == CNRS_BLOCK_BODY) {
            q->ring[q->n++ % S_RING] = i;
            return 1;
        }
        if (q->n && q->ring[(q->n - 1) % S_RING] != S_SEP) {
            q->ring[q->n++ % S_RING] = S_SEP;
            return 1;
        }
    }
    return 0;
}

static size_t S_seq_at(const S_seq *q, size_t j)
{
    return q->ring[j % S_RING];
}

static void S_mark_full(S_seg *g)
{
    S_seq q;
    memset(&q, 0, sizeof q);
    for (size_t j = 0;; j++) {
        while (q.n < j + 5 && S_seq_more(g, &q))
            ;
        if (j >= q.n)
            break;
        size_t ns = q.n; /* entries beyond j + 4 are not needed */
        if (S_seq_at(&q, j) == S_SEP)
            continue;
        S_line *l = &g->lines[S_seq_at(&q, j)];
        const S_line *prev =
            j > 0 && S_seq_at(&q, j - 1) != S_SEP ? &g->lines[S_seq_at(&q, j - 1)] : NULL;
        const S_line *next =
            j + 1 < ns && S_seq_at(&q, j + 1) != S_SEP ? &g->lines[S_seq_at(&q, j + 1)] : NULL;
        if (next && S_starts_list(g->norm.data + next->off, S_llen(next)))
            continue;
        int w = (int)l->width;
        if ((long)w * 10 >= (long)g->p80 * 7) {
            l->flags |= S_F_FULL;
            continue;
        }
        if (w < S_COLUMN_MIN_WIDTH || !next || (int)next->width > w + S_width_tol(w))
            continue;
        if (!S_similar(w, (int)next->width) && !(prev && S_similar(w, (int)prev->width)))
            continue;
        /* Prose punctuation within two lines before and three after. */
        size_t lo = j, hi = j;
        while (lo > 0 && j - lo < 2 && S_seq_at(&q, lo - 1) != S_SEP)
            lo--;
        while (hi + 1 < ns && hi - j < 3 && S_seq_at(&q, hi + 1) != S_SEP)
            hi++;
        for (size_t m = lo; m <= hi; m++) {
            const S_line *x = &g->lines[S_seq_at(&q, m)];
            /* Wider lines belong to another paragraph. */
            if ((int)x->width <= w + S_width_tol(w) && (x->flags & S_F_PROSE)) {
                l->flags |= S_F_FULL;
                break;
            }
        }
    }
}

/* ---- blocks -------------------------------------------------------------- */

static void S_page_at(S_seg *g, int page)
{
    if (g->nmarks && g->marks[g->nmarks - 1].page == page)
        return;
    g->marks = cnrs_xgrow(g->marks, &g->marks_cap, g->nmarks + 1, sizeof *g->marks);
    g->marks[g->nmarks++] = (S_pagemark){g->text.len, page};
}

/* `level` is a HEADING's level (0 for other kinds). */
static void S_add_block(S_seg *g, int page, cnrs_block_kind kind, size_t off, int level)
{
    g->levels = cnrs_xgrow(g->levels, &g->levels_cap, g->nblocks + 1, 1);
    g->levels[g->nblocks] = (uint8_t)(kind == CNRS_BLOCK_HEADING ? level : 0);
    g->blocks = cnrs_xgrow(g->blocks, &g->blocks_cap, g->nblocks + 1, sizeof *g->blocks);
    g->blocks[g->nblocks++] = (cnrs_block){page, kind, off, g->text.len - off};
    cnrs_buf_putc(&g->text, '\n');
}

static int S_number_level(const unsigned char *t, size_t n);

/* The level of raw block i as a heading: its reader's, else its numbering's. */
static int S_raw_level(const S_seg *g, size_t i)
{
    const cnrs_raw_block *rb = &g->doc->raw_blocks[i];
    if (rb->level)
        return rb->level;
    return S_number_level((const unsigned char *)g->doc->raw + rb->off, rb->len);
}

static void S_emit_line(S_seg *g, size_t i)
{
    const S_line *l = &g->lines[i];
    int page = g->doc->raw_blocks[i].page;
    S_page_at(g, page);
    size_t off = g->text.len;
    cnrs_buf_append(&g->text, g->norm.data + l->off, S_llen(l));
    S_add_block(g, page, (cnrs_block_kind)l->kind, off,
                l->kind == CNRS_BLOCK_HEADING ? S_raw_level(g, i) : 0);
}

/* Whether a body line may continue on the next one: no sentence-final mark
 * at its end and full width. */
static int S_joinable(const S_seg *g, const S_line *l)
{
    if (S_layout_source(g->doc))
        return (l->flags & S_F_CONT) != 0;
    if (!(l->flags & S_F_FULL))
        return 0;
    const unsigned char *t = (const unsigned char *)g->norm.data + l->off;
    size_t e = S_llen(l);
    while (e > 0) {
        size_t st;
        uint32_t c = S_cp_before(t, e, &st);
        if (S_is_closer(c)) {
            e = st;
            continue;
        }
        return !S_is_final(c);
    }
    return 0;
}

/* Append line i to the paragraph that ends the text buffer. */
static void S_join(S_seg *g, size_t i)
{
    const S_line *l = &g->lines[i];
    const unsigned char *t = (const unsigned char *)g->norm.data + l->off;
    size_t len = S_llen(l);
    cnrs_buf *b = &g->text;
    int k;
    uint32_t first = S_cp_at(t, len, 0, &k);
    uint32_t last = S_cp_before((const unsigned char *)b->data, b->len, NULL);
    if (last == '-' && b->len >= 2 && S_is_alpha((unsigned char)b->data[b->len - 2]) &&
        first >= 'a' && first <= 'z') {
        b->len--; /* "emis-" + "sions" */
    } else if (!S_is_cjkish(last) && !S_is_cjkish(first)) {
        cnrs_buf_putc(b, ' ');
    }
    S_page_at(g, g->doc->raw_blocks[i].page);
    cnrs_buf_append(b, t, len);
}

/* Skip a leading section number: "3.2 ", "一、", "第三章", "(一)", "01 ". */
static size_t S_skip_section_number(const unsigned char *t, size_t n)
{
    size_t i = 0;
    int k;
    uint32_t c = S_cp_at(t, n, 0, &k);
    if (c == 0x7B2C) { /* 第 ... 章/节/部分 */
        size_t j = (size_t)k;
        while (j < n) {
            uint32_t d = S_cp_at(t, n, j, &k);
            j += (size_t)k;
            if (d == 0x7AE0 || d == 0x8282 || d == 0x90E8) /* 章 节 部 */
                return j;
        }
        return 0;
    }
    if (c == '(')
        i = (size_t)k;
    size_t start = i, run = 0;
    while (i < n) {
        c = S_cp_at(t, n, i, &k);
        run = S_is_digit(c) ? run + 1 : 0;
        if (run > 2)
            return 0; /* "2020年" is a year, not a section number */
        if (S_is_digit(c) || c == '.' ||
            c == 0x4E00 || c == 0x4E8C || c == 0x4E09 || c == 0x56DB || c == 0x4E94 ||
            c == 0x516D || c == 0x4E03 || c == 0x516B || c == 0x4E5D || c == 0x5341)
            i += (size_t)k; /* digits and 一二三四五六七八九十 */
        else
            break;
    }
    if (i == start)
        return 0;
    /* A section number is set off from its title ("3.2 环境", "一、"); a
     * number running into CJK text ("2.45万吨") is a figure. */
    c = i < n ? S_cp_at(t, n, i, &k) : 0;
    if (c == 0x3001 || c == ')' || c == 0xFF09 || c == ' ' || c == '\t' || c == 0x3000 ||
        c == 0xFF0E)
        return i + (size_t)k;
    return 0;
}

static int S_is_cn_numeral(uint32_t c)
{
    /* 一 二 三 四 五 六 七 八 九 十 百 零 〇 */
    return c == 0x4E00 || c == 0x4E8C || c == 0x4E09 || c == 0x56DB || c == 0x4E94 ||
           c == 0x516D || c == 0x4E03 || c == 0x516B || c == 0x4E5D || c == 0x5341 ||
           c == 0x767E || c == 0x96F6 || c == 0x3007;
}

/* The level a heading's numbering gives it, from its raw text (the space
 * that sets a number off is gone from the normalised one), in the order of
 * Chinese official documents (GB/T 9704: 一、 > （一） > 1. > （1）):
 *   第…章 篇 编 部分 1;  第…节 2;  一、 2;  (一) ㈠ 3;
 *   1. 1、 "1 " 4;  1.1 (1) ⑴ 5;  1.1.1 and deeper, ① 6;
 * anything else (no numbering) 1. Only heading blocks are asked. */
static int S_number_level(const unsigned char *t, size_t n)
{
    size_t i = 0;
    int k;
    while (i < n && (t[i] == ' ' || t[i] == '\t'))
        i++;
    if (i >= n)
        return 1;
    uint32_t c = S_cp_at(t, n, i, &k);
    if (c == 0x7B2C) { /* 第 */
        for (int m = 0; m < 8 && (i += (size_t)k) < n; m++) {
            c = S_cp_at(t, n, i, &k);
            if (c == 0x8282) /* 节 */
                return 2;
            if (c == 0x7AE0 || c == 0x7BC7 || c == 0x7F16 || c == 0x90E8) /* 章 篇 编 部 */
                return 1;
        }
        return 1;
    }
    if (c >= 0x2460 && c <= 0x2473) /* ① .. ⑳ */
        return 6;
    if (c >= 0x2474 && c <= 0x2487) /* ⑴ .. ⒇ */
        return 5;
    if (c >= 0x3220 && c <= 0x3229) /* ㈠ .. ㈩ */
        return 3;
    int paren = c == '(' || c == 0xFF08;
    if (paren)
        i += (size_t)k;
    size_t cn = 0, groups = 0, digits = 0;
    while (i < n) {
        c = S_cp_at(t, n, i, &k);
        if (!groups && S_is_cn_numeral(c)) {
            cn++;
        } else if (!cn && S_is_digit(c)) {
            if (++digits > 2)
                return 1; /* "2020年": a year, not a number */
            if (digits == 1)
                groups++;
        } else if (!cn && digits && (c == '.' || c == 0xFF0E) && i + 1 < n &&
                   S_is_digit(t[i + 1])) {
            digits = 0; /* "1.1": the next group */
        } else {
            break;
        }
        i += (size_t)k;
    }
    if (!cn && !groups)
        return 1;
    uint32_t after = i < n ? S_cp_at(t, n, i, &k) : 0;
    if (paren)
        return after == ')' || after == 0xFF09 ? (cn ? 3 : groups == 1 ? 5 : 1) : 1;
    int sep = after == 0x3001 || after == '.' || after == 0xFF0E || after == ' ' ||
              after == '\t' || after == 0x3000 || (groups && (after == ')' || after == 0xFF09));
    if (!sep)
        return 1;
    if (cn)
        return 2;
    return groups + 3 > CNRS_MAX_LEVEL ? CNRS_MAX_LEVEL : (int)groups + 3;
}

/* A standalone short line without a sentence end or data: a heading or a
 * label. Headings name what a section discusses; they are not disclosure,
 * so extraction skips them. */
static int S_heading_like(const S_seg *g, size_t li)
{
    const S_line *l = &g->lines[li];
    if (l->kind != CNRS_BLOCK_BODY || S_llen(l) == 0)
        return 0;
    int limit = g->p80 * 6 / 10;
    if (limit < 32)
        limit = 32; /* 16 CJK characters: a short document's titles */
    if ((int)l->width > limit)
        return 0;
    const unsigned char *t = (const unsigned char *)g->norm.data + l->off;
    size_t e = S_llen(l);
    while (e > 0) {
        size_t st;
        uint32_t c = S_cp_before(t, e, &st);
        if (!S_is_closer(c))
            break;
        e = st;
    }
    if (e == 0)
        return 0;
    uint32_t last = S_cp_before(t, e, NULL);
    if (S_is_final(last) || last == 0xFF1A || last == ':')
        return 0;
    /* Figures make it data, not a title; the raw line still has the space
     * that sets a section number off. */
    const cnrs_raw_block *rb = &g->doc->raw_blocks[li];
    const unsigned char *raw = (const unsigned char *)g->doc->raw + rb->off;
    size_t rs = 0;
    while (rs < rb->len && (raw[rs] == ' ' || raw[rs] == '\t'))
        rs++;
    int letters = 0;
    size_t i = rs + S_skip_section_number(raw + rs, rb->len - rs);
#if CNRS_SSE2
    /* The loop below, sixteen bytes a test. */
    for (; i + 16 <= rb->len; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(raw + i));
        __m128i digit = _mm_cmpeq_epi8(
            _mm_subs_epu8(_mm_sub_epi8(x, _mm_set1_epi8('0')), _mm_set1_epi8(9)),
            _mm_setzero_si128());
        if (_mm_movemask_epi8(digit))
            return 0;
        /* above ' ': from 0x21 (signed) or from 0x80 (the sign bit) */
        letters |= _mm_movemask_epi8(_mm_or_si128(x, _mm_cmpgt_epi8(x, _mm_set1_epi8(' ')))) != 0;
    }
#endif
    for (; i < rb->len; i++) {
        if (raw[i] >= '0' && raw[i] <= '9')
            return 0;
        letters |= raw[i] > ' ';
    }
    return letters; /* a bare number is data too */
}

/* Layout sources: the reader joined lines into paragraphs by leaving out the
 * BREAK between them; mark each BODY line followed (past FURNITURE only) by
 * another BODY line without a BREAK. */
static void S_mark_layout_joins(S_seg *g)
{
    cnrs_doc *doc = g->doc;
    for (size_t i = 0; i < doc->n_raw; i++) {
        if (g->lines[i].kind != CNRS_BLOCK_BODY)
            continue;
        size_t j = i + 1;
        while (j < doc->n_raw && g->lines[j].kind == CNRS_BLOCK_FURNITURE)
            j++;
        if (j < doc->n_raw && g->lines[j].kind == CNRS_BLOCK_BODY &&
            doc->raw_blocks[j].kind == CNRS_BLOCK_BODY)
            g->lines[i].flags |= S_F_CONT;
    }
}

static void S_build_blocks(S_seg *g)
{
    cnrs_doc *doc = g->doc;
    int join = doc->format != CNRS_FMT_HTML; /* HTML blocks are paragraphs already */
    int open = 0, para_page = 0, para_lines = 0;
    size_t para_off = 0, para_first = 0;
    size_t *held = NULL, nheld = 0, held_cap = 0; /* furniture inside a paragraph */
    for (size_t i = 0; i <= doc->n_raw; i++) {
        const S_line *l = i < doc->n_raw ? &g->lines[i] : NULL;
        if (l && l->kind == CNRS_BLOCK_BREAK)
            continue;
        if (l && l->kind == CNRS_BLOCK_FURNITURE && open) {
            held = cnrs_xgrow(held, &held_cap, nheld + 1, sizeof *held);
            held[nheld++] = i;
            continue;
        }
        if (open && l && l->kind == CNRS_BLOCK_BODY) {
            S_join(g, i);
            para_lines++;
            if (S_joinable(g, l))
                continue;
        } else if (!open && l && l->kind == CNRS_BLOCK_BODY && join) {
            para_page = doc->raw_blocks[i].page;
            S_page_at(g, para_page);
            para_off = g->text.len;
            cnrs_buf_append(&g->text, g->norm.data + l->off, S_llen(l));
            open = 1;
            para_lines = 1;
            para_first = i;
            if (S_joinable(g, l))
                continue;
            l = NULL; /* consumed */
        }
        if (open) {
            int heading = para_lines == 1 && S_heading_like(g, para_first), level = 0;
            /* In a laid-out document a title in body type ranks below
             * every title the layout found by size. */
            if (heading)
                level = !S_layout_source(doc) ? S_raw_level(g, para_first)
                        : g->deepest < CNRS_MAX_LEVEL ? g->deepest + 1
                                                      : CNRS_MAX_LEVEL;
            S_add_block(g, para_page, heading ? CNRS_BLOCK_HEADING : CNRS_BLOCK_BODY, para_off,
                        level);
            open = 0;
            for (size_t h = 0; h < nheld; h++)
                S_emit_line(g, held[h]);
            nheld = 0;
            if (l && l->kind == CNRS_BLOCK_BODY)
                continue; /* it was joined into the paragraph */
        }
        if (l)
            S_emit_line(g, i);
    }
    free(held);
}

/* ---- sentences ----------------------------------------------------------- */

typedef struct S_sent_ctx {
    S_seg *g;
    size_t block;
    uint32_t section; /* in force at the block */
    size_t mark;      /* cursor into g->marks */
    size_t cap;       /* of doc->sents */
} S_sent_ctx;

static void S_add_sentence(void *ctx, size_t off, size_t len)
{
    S_sent_ctx *c = ctx;
    cnrs_doc *doc = c->g->doc;
    const cnrs_block *b = &doc->blocks[c->block];
    size_t abs = b->off + off;
    const S_pagemark *m = c->g->marks;
    while (c->mark + 1 < c->g->nmarks && m[c->mark + 1].off <= abs)
        c->mark++;
    int page = c->g->nmarks ? m[c->mark].page : b->page;
    doc->sents = cnrs_xgrow(doc->sents, &c->cap, doc->nsents + 1, sizeof *doc->sents);
    doc->sents[doc->nsents++] =
        (cnrs_sentence){page, b->kind, (uint32_t)c->block, c->section, abs, len};
}

/* Table rows, contents and index lines are one sentence each: their dots
 * are leaders and separators, not full stops. */
static int S_one_sentence(cnrs_block_kind k)
{
    return k == CNRS_BLOCK_TABLE_ROW || k == CNRS_BLOCK_TOC || k == CNRS_BLOCK_INDEX;
}

/* Open the section heading block i names (doc.h "Heading paths"): close
 * the open ones at its level or deeper, and hang it under the nearest open
 * one above. open[l] is the open section at level l, or CNRS_NO_SECTION. */
static uint32_t S_open_section(cnrs_doc *doc, size_t *cap, uint32_t *open, size_t i, int level)
{
    uint32_t parent = CNRS_NO_SECTION;
    for (int l = level - 1; l >= 1 && parent == CNRS_NO_SECTION; l--)
        parent = open[l];
    doc->sections = cnrs_xgrow(doc->sections, cap, doc->nsections + 1, sizeof *doc->sections);
    uint32_t id = (uint32_t)doc->nsections++;
    doc->sections[id] = (cnrs_section){(uint32_t)i, parent, (uint32_t)level};
    open[level] = id;
    for (int l = level + 1; l <= CNRS_MAX_LEVEL; l++)
        open[l] = CNRS_NO_SECTION;
    return id;
}

static void S_sentences(S_seg *g)
{
    cnrs_doc *doc = g->doc;
    doc->sents = NULL;
    doc->nsents = 0;
    doc->sections = NULL;
    doc->nsections = 0;
    S_sent_ctx c = {g, 0, CNRS_NO_SECTION, 0, 0};
    uint32_t open[CNRS_MAX_LEVEL + 1];
    for (int l = 0; l <= CNRS_MAX_LEVEL; l++)
        open[l] = CNRS_NO_SECTION;
    size_t sections_cap = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const cnrs_block *b = &doc->blocks[i];
        if (b->kind == CNRS_BLOCK_FURNITURE)
            continue;
        if (g->levels[i] && cnrs_line_has_letter(doc->text + b->off, b->len))
            c.section = S_open_section(doc, &sections_cap, open, i, g->levels[i]);
        c.block = i;
        if (S_one_sentence(b->kind))
            S_emit_sentence((const unsigned char *)doc->text + b->off, 0, b->len, S_add_sentence,
                            &c);
        else
            cnrs_split_sentences(doc->text + b->off, b->len, S_add_sentence, &c);
    }
}

void cnrs_segment(cnrs_doc *doc)
{
    S_seg g;
    memset(&g, 0, sizeof g);
    g.doc = doc;
    g.lines = cnrs_xcalloc(doc->n_raw + 1, sizeof *g.lines); /* and the sentinel */
    cnrs_buf_reserve(&g.norm, doc->raw_len + doc->n_raw + 16);
    for (size_t i = 0; i < doc->n_raw; i++) {
        if (doc->raw_blocks[i].kind == CNRS_BLOCK_BREAK ||
            g.norm.len + (size_t)doc->raw_blocks[i].len * 3 + 16 >= ((uint64_t)1 << S_OFF_BITS)) {
            /* (past 128 GiB of normalised text the rest is dropped) */
            g.lines[i].off = g.norm.len;
            g.lines[i].kind = CNRS_BLOCK_BREAK;
            cnrs_buf_putc(&g.norm, '\n');
            continue;
        }
        S_normalise_line(&g, i);
    }
    g.lines[doc->n_raw].off = g.norm.len;
    g.p80 = S_typical_width(&g);
    S_running_lines(&g);
    S_classify(&g);
    if (S_layout_source(doc))
        S_mark_layout_joins(&g);
    else
        S_mark_full(&g);
    cnrs_buf_reserve(&g.text, g.norm.len + doc->n_raw + 16);
    S_build_blocks(&g);

    free(doc->text);
    free(doc->blocks);
    free(doc->sents);
    free(doc->sections);
    doc->text_len = g.text.len;
    doc->text = cnrs_buf_steal(&g.text);
    doc->blocks = g.blocks;
    doc->nblocks = g.nblocks;
    doc->sents = NULL;
    doc->nsents = 0;
    S_sentences(&g);

    free(g.lines);
    free(g.levels);
    free(g.marks);
    cnrs_buf_free(&g.norm);
}

/* ==== line tests for the PDF layout repair ================================= */

int cnrs_line_is_page_number(const char *s, size_t n)
{
    return S_is_page_number(s, n);
}

int cnrs_line_is_contents_heading(const char *s, size_t n)
{
    return S_is_contents_heading(s, n);
}

int cnrs_line_is_index_heading(const char *s, size_t n)
{
    return S_is_index_heading(s, n);
}

int cnrs_line_starts_with_code(const char *s, size_t n)
{
    return S_starts_with_code(s, n);
}

int cnrs_line_is_toc_leaders(const char *s, size_t n)
{
    return S_is_toc_leaders(s, n);
}

int cnrs_line_starts_list(const char *s, size_t n)
{
    return S_starts_list(s, n);
}

int cnrs_line_has_letter(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; i < n;) {
        int k;
        uint32_t c = S_cp_at(s, n, i, &k);
        i += (size_t)k;
        if (S_is_alpha(c) || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
            (c >= 0x370 && c <= 0x52F) || (c >= 0x3040 && c <= 0x30FF) ||
            (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
            (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) || c >= 0x20000)
            return 1;
    }
    return 0;
}

int cnrs_line_width(const char *s, size_t n, int *prose)
{
    return S_measure(s, n, prose);
}
