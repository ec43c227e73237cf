/* normalise.c - one-pass character normalisation of UTF-8 text. */
#include "normalise.h"

#include <stdint.h>
#include <string.h>

#if CNRS_SSE2
#include <emmintrin.h>
#endif

/* What a code point becomes. */
enum { S_DROP = 0xFFFFFFFFu, S_SPACE = 0x20 };

/* Map one code point to its normal form: another code point, S_SPACE, or
 * S_DROP. ASCII other than controls never gets here. */
static uint32_t S_map(uint32_t c)
{
    if (c < 0x20 || (c >= 0x7F && c <= 0xA0))
        return c == '\n' ? '\n' : S_SPACE; /* C0, DEL, C1 controls, NBSP */
    if (c >= 0xFF01 && c <= 0xFF5E) {
        /* Chinese sentence and clause marks stay: segmentation needs them. */
        if (c == 0xFF0C || c == 0xFF1B || c == 0xFF1A || c == 0xFF01 || c == 0xFF1F)
            return c;
        return c - 0xFEE0;
    }
    switch (c) {
    case 0x3000: /* ideographic space */
    case 0x1680:
    case 0x202F:
    case 0x205F:
        return S_SPACE;
    case 0x00AD: /* soft hyphen */
    case 0x200B: /* zero-width space, non-joiner, joiner */
    case 0x200C:
    case 0x200D:
    case 0x2060: /* word joiner */
    case 0xFEFF:
        return S_DROP;
    case 0x00B9:
        return '1';
    case 0x00B2:
        return '2';
    case 0x00B3:
        return '3';
    case 0x2070:
        return '0';
    case 0x207A:
    case 0x208A:
        return '+';
    case 0x207B:
    case 0x208B:
    case 0x2212:
        return '-';
    case 0x212A: /* Kelvin sign: caseless PCRE2 matches it as k, the prefilter */
        return 'K'; /* folds ASCII only, so give it the ASCII letter */
    case 0x017F: /* long s, likewise */
        return 's';
    default:
        break;
    }
    if (c >= 0x2000 && c <= 0x200A)
        return S_SPACE;
    if (c >= 0x2010 && c <= 0x2015)
        return '-';
    if (c >= 0x2074 && c <= 0x2079)
        return '0' + (c - 0x2070);
    if (c >= 0x2080 && c <= 0x2089)
        return '0' + (c - 0x2080);
    return c;
}

/* Quotes, ellipsis and middle dot: typographic marks Chinese text uses as its
 * own punctuation, though they live outside the CJK blocks. */
static int S_is_cjk_mark(uint32_t c)
{
    return c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x2026 || c == 0x00B7 ||
           c == 0x2014;
}

static int S_is_bracket(uint32_t c)
{
    return c == '(' || c == ')' || c == '[' || c == ']';
}

/* Whether a space between a and b is layout noise to be removed. */
static int S_drop_space(uint32_t a, uint32_t b)
{
    int ca = cnrs_is_cjk(a), cb = cnrs_is_cjk(b);
    if (!ca && !cb)
        return 0;
    uint32_t other = ca ? b : a;
    if (ca && cb)
        return 1;
    return (other >= '0' && other <= '9') || S_is_cjk_mark(other) || S_is_bracket(other);
}

static void S_put(cnrs_buf *out, uint32_t c)
{
    if (c < 0x80) {
        if (out->cap - out->len < 2)
            cnrs_buf_reserve(out, 64);
        out->data[out->len++] = (char)c;
    } else {
        cnrs_buf_put_cp(out, c);
    }
}

/* Lead bytes of the characters S_run copies as they are: 1 printable ASCII
 * other than space, 2 a three-byte lead whose every well-formed sequence maps
 * to itself (U+4000..U+CFFF, U+E000..U+EFFF), 3 a three-byte lead that needs
 * a closer look (E2, E3, ED, EF), 0 anything else. */
/* clang-format off */
static const unsigned char S_lead[256] = {
#define S_R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
    S_R16(0), S_R16(0),
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20: space is 0 */
    S_R16(1), S_R16(1), S_R16(1), S_R16(1),
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, /* 0x7F: DEL is 0 */
    S_R16(0), S_R16(0), S_R16(0), S_R16(0), S_R16(0), S_R16(0),
    0, 0, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 3, /* 0xE0 */
    S_R16(0)
#undef S_R16
};
/* clang-format on */

#if !CNRS_SSE2 /* the portable fast paths of S_run */
/* Whether the low six bytes of w are two well-formed three-byte characters
 * that map to themselves: leads E4..EC and EE (S_lead 2), or E3 other than
 * U+3000. The Chinese text between ASCII and marks, two characters a test. */
static inline int S_two_same3(uint64_t w)
{
    if ((w & 0xC0C0F0C0C0F0ull) != 0x8080E08080E0ull)
        return 0;
    /* bit k set: lead 0xE0 + k qualifies (3, 4..12, 14) */
    if (!((0x5FF8u >> (w & 15)) & (0x5FF8u >> ((w >> 24) & 15)) & 1))
        return 0;
    return (w & 0xFFFFFF) != 0x8080E3 && ((w >> 24) & 0xFFFFFF) != 0x8080E3;
}

/* Whether the eight bytes of w are printable ASCII and single spaces, the
 * first and the last not a space: S_run's ASCII rules, eight bytes a test. */
static inline int S_eight_plain(uint64_t w)
{
    const uint64_t hi = 0x8080808080808080ull, one = 0x0101010101010101ull;
    if (w & hi)
        return 0;
    /* No byte has its high bit, so no sum below carries into the next byte. */
    uint64_t a = (w + 0x5F * one) & ~(w + one) & hi;    /* 0x21..0x7E */
    uint64_t sp = ~((w ^ 0x20 * one) + 0x7F * one) & hi; /* 0x20 */
    return (a | sp) == hi && (a & 0x8000000000000080ull) == 0x8000000000000080ull &&
           !(sp & sp << 8);
}
#endif

/* Whether the well-formed three-byte sequence lead c (S_lead 3) with code
 * point cp maps to itself. */
static int S_same3(unsigned c, uint32_t cp)
{
    switch (c) {
    case 0xE2: /* quotes, ellipsis, letterlike and other symbols; not the
                * spaces, dashes, invisibles, super/subscripts, K, minus */
        return (cp >= 0x2016 && cp <= 0x205E && cp != 0x202F) ||
               (cp >= 0x2100 && cp != 0x212A && cp != 0x2212);
    case 0xE3:
        return cp != 0x3000; /* ideographic space */
    case 0xED:
        return cp < 0xD800; /* not a surrogate */
    default:                /* 0xEF */
        return cp < 0xFEFF || cp > 0xFF5E || cp == 0xFF0C || cp == 0xFF1B || cp == 0xFF1A ||
               cp == 0xFF01 || cp == 0xFF1F;
    }
}

#if CNRS_SSE2
/* S_run over the characters at the start of s[0..16) that it takes in
 * every context and that can be told apart bytewise: printable ASCII other
 * than space, a space between two of them (not at s[0], whose left
 * neighbour this does not see), E3..EC and EE leads with two continuation
 * bytes except U+3000 (E3 80 80), and ，：； (EF BC 8C, 9A, 9B). Returns the
 * bytes they take (at most 18; 16 or more when they cover the window); the
 * character after them is left to S_run's per-character tests. Reads
 * s[0..18). */
static inline size_t S_run16(const unsigned char *s)
{
    const __m128i a = _mm_loadu_si128((const __m128i *)s);
    const __m128i b = _mm_loadu_si128((const __m128i *)(s + 1));
    const __m128i c = _mm_loadu_si128((const __m128i *)(s + 2));
#define S_EQ(v, x) _mm_cmpeq_epi8((v), _mm_set1_epi8((char)(x)))
    /* Signed compares: bytes from 0x80 are negative. Printable: 0x21..0x7E,
     * the bytes that add 1 to above 0x21 (0x7F wraps to -128). */
    unsigned pa = (unsigned)_mm_movemask_epi8(
        _mm_cmpgt_epi8(_mm_add_epi8(a, _mm_set1_epi8(1)), _mm_set1_epi8(0x21)));
    /* a space with printable bytes on both sides (never at 0 or 15: the
     * shifts bring zeros there) */
    unsigned space = (unsigned)_mm_movemask_epi8(S_EQ(a, ' ')) & pa >> 1 & pa << 1;
    const __m128i cont = _mm_set1_epi8((char)0xC0);
    __m128i lead = _mm_or_si128(
        _mm_cmpeq_epi8(
            _mm_subs_epu8(_mm_sub_epi8(a, _mm_set1_epi8((char)0xE3)), _mm_set1_epi8(9)),
            _mm_setzero_si128()), /* E3..EC */
        S_EQ(a, 0xEE));
    __m128i cjk = _mm_and_si128(lead, _mm_and_si128(_mm_cmplt_epi8(b, cont), _mm_cmplt_epi8(c, cont)));
    __m128i ideo_space = _mm_and_si128(_mm_and_si128(S_EQ(a, 0xE3), S_EQ(b, 0x80)), S_EQ(c, 0x80));
    __m128i marks = _mm_and_si128(_mm_and_si128(S_EQ(a, 0xEF), S_EQ(b, 0xBC)),
                                  _mm_or_si128(S_EQ(c, 0x8C), /* 9A or 9B: */
                                               S_EQ(_mm_and_si128(c, _mm_set1_epi8((char)0xFE)), 0x9A)));
#undef S_EQ
    unsigned g = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_andnot_si128(ideo_space, cjk), marks));
    /* Bytes covered by those characters; the first byte not covered opens
     * a character (the covered ones form whole characters from byte 0). */
    unsigned ok = (pa | space | g | g << 1 | g << 2) & 0xFFFFu;
    return ok == 0xFFFFu ? 16 + (g >> 14) : (size_t)__builtin_ctz(~ok);
}
#endif

/* End of the run of characters from u[i] on that normalise to themselves
 * and need no space decision: printable ASCII, most three-byte characters
 * (all of CJK), and single spaces between two printable ASCII characters of
 * the run (such a space is always kept). *last becomes the run's last code
 * point when the run is not empty. */
static size_t S_run(const unsigned char *u, size_t i, size_t n, uint32_t *last)
{
    size_t start = i;
    while (i < n) {
#if CNRS_SSE2
        while (i + 18 <= n) {
            size_t e = S_run16(u + i);
            i += e;
            if (e < 16)
                break; /* the character at i needs the tests below */
        }
        if (i >= n)
            break;
#endif
        unsigned c = u[i], k = S_lead[c];
        if (k >= 2) { /* tested first: most of the text is Chinese */
            if (i + 2 >= n)
                break;
            unsigned c1 = u[i + 1], c2 = u[i + 2];
            /* one test for both continuation bytes */
            if (((c1 << 8 | c2) & 0xC0C0) != 0x8080)
                break;
            if (k == 3 && !S_same3(c, (c & 0x0F) << 12 | (c1 & 0x3F) << 6 | (c2 & 0x3F)))
                break;
            i += 3;
#if !CNRS_SSE2
            while (i + 8 <= n && S_two_same3(cnrs_load64le(u + i)))
                i += 6;
#endif
            continue;
        }
        if (k == 1) {
            i++;
#if !CNRS_SSE2
            while (i + 8 <= n && S_eight_plain(cnrs_load64le(u + i)))
                i += 8;
#endif
            continue;
        }
        if (c == ' ' && i > start && i + 1 < n && S_lead[u[i - 1]] == 1 && S_lead[u[i + 1]] == 1) {
            i += 2;
            continue;
        }
        break;
    }
    if (i > start) {
        if (u[i - 1] < 0x80)
            *last = u[i - 1];
        else
            *last = (u[i - 3] & 0x0Fu) << 12 | (u[i - 2] & 0x3Fu) << 6 | (u[i - 1] & 0x3Fu);
    }
    return i;
}

void cnrs_normalise(const char *s, size_t n, cnrs_buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    /* Most text shrinks or keeps its size; growth past this is handled by
     * S_put and cnrs_buf_put_cp. */
    cnrs_buf_reserve(out, n + 8);
    uint32_t last = '\n'; /* last code point written; '\n' = start of a line */
    int pending = 0;      /* a space is waiting to learn what follows it */
    size_t i = 0;
    while (i < n) {
        if (!pending) {
            /* The bulk of the text: copied as it is, a run at a time. */
            size_t e = S_run(u, i, n, &last);
            if (e > i) {
                if (out->cap - out->len < e - i + 2)
                    cnrs_buf_reserve(out, 64 + (n - i));
                memcpy(out->data + out->len, u + i, e - i);
                out->len += e - i;
                i = e;
                if (i == n)
                    break;
            }
        }
        uint32_t c = u[i];
        if (c >= 0x21 && c < 0x7F) {
            /* ASCII fast path: printable, non-space. */
            if (pending && (last != '\n') && !S_drop_space(last, c))
                S_put(out, ' ');
            pending = 0;
            if (out->cap - out->len < 2)
                cnrs_buf_reserve(out, 64 + (n - i));
            out->data[out->len++] = (char)c;
            last = c;
            i++;
            continue;
        }
        if (c >= 0xE0 && c < 0xF0 && i + 2 < n && (u[i + 1] & 0xC0) == 0x80 &&
            (u[i + 2] & 0xC0) == 0x80) {
            /* Fast path for the bulk of Chinese text: U+3001..U+FEFE are
             * well-formed, never surrogates, and map to themselves. */
            uint32_t cp = (c & 0x0F) << 12 | (uint32_t)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F);
            if (cp > 0x3000 && cp < 0xFEFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                if (pending && !S_drop_space(last, cp))
                    S_put(out, ' ');
                pending = 0;
                if (out->cap - out->len < 4)
                    cnrs_buf_reserve(out, 64 + (n - i));
                memcpy(out->data + out->len, u + i, 3);
                out->len += 3;
                last = cp;
                i += 3;
                continue;
            }
        }
        if (c < 0x80) {
            i++;
        } else {
            int k = cnrs_utf8_decode(u + i, n - i, &c);
            if (k == 0) {
                c = 0xFFFD;
                k = 1;
            }
            i += (size_t)k;
        }
        c = S_map(c);
        if (c == S_DROP)
            continue;
        if (c == S_SPACE) {
            if (last != '\n')
                pending = 1;
            continue;
        }
        if (c == '\n') {
            pending = 0; /* trailing spaces of a line go */
        } else if (pending) {
            if (!S_drop_space(last, c))
                S_put(out, ' ');
            pending = 0;
        }
        S_put(out, c);
        last = c;
    }
    if (out->data)
        out->data[out->len] = '\0';
}
