/* normalise.c - one-pass character normalisation of UTF-8 text. */
#include "normalise.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

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

/* ---- compatibility characters (NFKC through utf8proc) ---------------------- */

/* Characters NFKC would change that stay as printed: full-width ASCII
 * variants (S_map decided them), dot leaders and the ellipsis (contents
 * lines, Chinese ellipsis), the degree signs the rubric writes (℃ ℉),
 * enclosed numbers and ideographs that open list items (① ⑴ ⒈ ㈠ 🄂), CJK
 * punctuation and kana, Yi and Hangul, full-width currency signs (￥). */
static int S_kept(uint32_t c)
{
    return (c >= 0x2024 && c <= 0x2026) || c == 0x2103 || c == 0x2109 ||
           (c >= 0x2460 && c <= 0x24FF) || (c >= 0x3000 && c <= 0x30FF) ||
           (c >= 0x3200 && c <= 0x32FF) || (c >= 0xA000 && c <= 0xD7FF) ||
           (c >= 0xFF01 && c <= 0xFF5E) || (c >= 0xFFE0 && c <= 0xFFE6) ||
           (c >= 0x1F100 && c <= 0x1F1FF);
}

/* The compatibility form of c (NFKC of the character alone) into dst[0..8):
 * ligatures (ﬁ -> fi), Kangxi radicals and CJK compatibility ideographs
 * (⽓ -> 气), squared units (㎡ -> m2), small and vertical forms, math
 * letters. Returns the count, 1 with dst[0] = c when c stays: S_kept,
 * spacing accents (NFKC makes them a space and a combining mark), forms
 * longer than 8. A combining mark is not composed with the character
 * before it (each character is looked at alone). */
static int S_compat(uint32_t c, uint32_t dst[8])
{
    dst[0] = c;
    if (c < 0xA0 || S_kept(c) || utf8proc_get_property((utf8proc_int32_t)c)->decomp_seqindex ==
                                     UINT16_MAX)
        return 1;
    utf8proc_int32_t buf[8];
    int bc = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char((utf8proc_int32_t)c, buf, 8,
                                                 UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &bc);
    if (n <= 0 || n > 8)
        return 1;
    n = utf8proc_normalize_utf32(buf, n, UTF8PROC_COMPOSE);
    if (n <= 0 || buf[0] == ' ')
        return 1;
    /* Small and vertical forms of the Chinese marks segmentation splits on
     * stay Chinese marks (NFKC gives ASCII). */
    if ((c >= 0xFE10 && c <= 0xFE19) || (c >= 0xFE50 && c <= 0xFE57)) {
        const char *ascii = ",;:!?", *p = n == 1 && buf[0] > 0 ? strchr(ascii, (int)buf[0]) : NULL;
        static const uint32_t cjk[] = {0xFF0C, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F};
        if (p && *p) {
            dst[0] = cjk[p - ascii];
            return 1;
        }
    }
    for (utf8proc_ssize_t k = 0; k < n; k++)
        dst[k] = (uint32_t)buf[k];
    return (int)n;
}

/* Bit per BMP code point: the three-byte character maps to itself in every
 * context (S_map and S_compat leave it), so runs copy it as it is. */
static unsigned char S_same_bits[0x10000 / 8];
static pthread_once_t S_same_once = PTHREAD_ONCE_INIT;

static void S_same_init(void)
{
    for (uint32_t c = 0x800; c < 0x10000; c++) {
        uint32_t d[8];
        if ((c < 0xD800 || c > 0xDFFF) && S_map(c) == c && S_compat(c, d) == 1 && d[0] == c)
            S_same_bits[c >> 3] |= (unsigned char)(1u << (c & 7));
    }
}

static inline int S_same(uint32_t c)
{
    return S_same_bits[c >> 3] >> (c & 7) & 1;
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
 * a closer look (E2, E3, ED, EF: S_same), 0 anything else. */
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
 * with leads E4..EC or EE (S_lead 2), which map to themselves: the Chinese
 * text between ASCII and marks, two characters a test. */
static inline int S_two_same3(uint64_t w)
{
    if ((w & 0xC0C0F0C0C0F0ull) != 0x8080E08080E0ull)
        return 0;
    /* bit k set: lead 0xE0 + k qualifies (4..12, 14) */
    return (0x5FF0u >> (w & 15)) & (0x5FF0u >> ((w >> 24) & 15)) & 1;
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

#if CNRS_SSE2
/* S_run over the characters at the start of s[0..16) that it takes in
 * every context and that can be told apart bytewise: printable ASCII other
 * than space, a space between two of them (not at s[0], whose left
 * neighbour this does not see), E4..EC and EE leads with two continuation
 * bytes, U+3001..U+30FF (E3 80..83 xx: CJK punctuation and kana; not
 * U+3000, E3 80 80), and ，：； (EF BC 8C, 9A, 9B). Returns the
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
            _mm_subs_epu8(_mm_sub_epi8(a, _mm_set1_epi8((char)0xE4)), _mm_set1_epi8(8)),
            _mm_setzero_si128()), /* E4..EC */
        _mm_or_si128(S_EQ(a, 0xEE), /* E3 80..83: the rest of E3 goes to S_same */
                     _mm_and_si128(S_EQ(a, 0xE3),
                                   S_EQ(_mm_and_si128(b, _mm_set1_epi8((char)0xFC)), 0x80))));
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
            if (k == 3 && !S_same((c & 0x0F) << 12 | (c1 & 0x3F) << 6 | (c2 & 0x3F)))
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

/* ---- OCR and layout noise in Latin text ------------------------------------- */

static int S_lower(int c)
{
    return c >= 'a' && c <= 'z';
}

static int S_alnum(int c)
{
    return S_lower(c | 0x20) || (c >= '0' && c <= '9');
}

/* Whether the hyphen and space at d[h] split one word ("emis- sions"): a
 * lower-case fragment of two or more letters (a whole word so far) before,
 * a lower-case letter after, and the word after not a conjunction that
 * makes the hyphen a suspended one ("low- and zero-carbon", "medium- to
 * long-term"). */
static int S_split_word(const char *d, size_t from, size_t h, size_t n)
{
    static const char *const conj[] = {"and", "or", "to", "nor", "as", "but", "vs", "versus"};
    size_t w = h;
    while (w > from && S_lower(d[w - 1]))
        w--;
    if (h - w < 2 || (w > from && (S_alnum(d[w - 1]) || d[w - 1] == '-')))
        return 0;
    size_t e = h + 2;
    while (e < n && S_lower(d[e]))
        e++;
    if (e == h + 2)
        return 0;
    for (size_t k = 0; k < sizeof conj / sizeof *conj; k++)
        if (strlen(conj[k]) == e - h - 2 && !memcmp(d + h + 2, conj[k], e - h - 2))
            return 0;
    return 1;
}

/* Length of a gas formula whose subscript digit stands apart at d[p]
 * ("CO 2", "CH 4": printed as its own piece), 0 otherwise. A letter before
 * it must be lower-case (tCO 2) and nothing alphanumeric may follow, but
 * for the "e" of CO2e ("CO 2e", "CO 2 e"), which *e_at then points at. */
static size_t S_gas(const char *d, size_t from, size_t p, size_t n, size_t *e_at)
{
    if (p + 4 > n || d[p] != 'C' || (d[p + 1] != 'O' && d[p + 1] != 'H') || d[p + 2] != ' ' ||
        d[p + 3] != (d[p + 1] == 'O' ? '2' : '4'))
        return 0;
    if (p > from && S_alnum(d[p - 1]) && !S_lower(d[p - 1]))
        return 0;
    size_t q = p + 4;
    *e_at = 0;
    if (d[p + 1] == 'O' && q < n && (d[q] == 'e' || (d[q] == ' ' && q + 1 < n && d[q + 1] == 'e'))) {
        size_t e = d[q] == 'e' ? q : q + 1;
        if (e + 1 == n || !S_alnum(d[e + 1]))
            *e_at = e;
    }
    if (!*e_at && q < n && S_alnum(d[q]))
        return 0;
    return *e_at ? *e_at + 1 - p : 4;
}

/* Whether S_latin_noise changes d[i, ...): i is '-', 'O' or 'H' before a
 * space (the scans below find those). */
static int S_noise_at(const char *d, size_t from, size_t i, size_t n)
{
    size_t e;
    if (d[i] == '-')
        return S_split_word(d, from, i, n);
    return i > from && S_gas(d, from, i - 1, n, &e) > 0;
}

/* First place in d[from, n) that S_latin_noise changes, or n. Both repairs
 * need a '-', 'O' or 'H' followed by a space, which clean text seldom has,
 * so one pass finds the few places worth a closer look. */
static size_t S_first_noise(const char *d, size_t from, size_t n)
{
    size_t i = from;
#if CNRS_SSE2
    for (; i + 17 <= n; i += 16) {
        const __m128i a = _mm_loadu_si128((const __m128i *)(d + i));
        const __m128i b = _mm_loadu_si128((const __m128i *)(d + i + 1));
        __m128i c = _mm_or_si128(_mm_cmpeq_epi8(a, _mm_set1_epi8('-')),
                                 _mm_or_si128(_mm_cmpeq_epi8(a, _mm_set1_epi8('O')),
                                              _mm_cmpeq_epi8(a, _mm_set1_epi8('H'))));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(c, _mm_cmpeq_epi8(b, _mm_set1_epi8(' '))));
        for (; m; m &= m - 1) {
            size_t at = i + (size_t)__builtin_ctz(m);
            if (S_noise_at(d, from, at, n))
                return at - (d[at] != '-'); /* a gas formula starts at its 'C' */
        }
    }
#endif
    for (; i + 1 < n; i++)
        if ((d[i] == '-' || d[i] == 'O' || d[i] == 'H') && d[i + 1] == ' ' &&
            S_noise_at(d, from, i, n))
            return i - (d[i] != '-');
    return n;
}

/* Repair out->data[from, len) in place: hyphens splitting a word, gas
 * formulas split from their digits (S_split_word, S_gas). */
static void S_latin_noise(cnrs_buf *out, size_t from)
{
    char *d = out->data;
    size_t n = out->len, r = S_first_noise(d, from, n), w = r, m, e;
    while (r < n) {
        char c = d[r];
        if (c == '-' && r + 2 < n && d[r + 1] == ' ' && S_split_word(d, from, r, n)) {
            r += 2;
            continue;
        }
        if (c == 'C' && (m = S_gas(d, from, r, n, &e)) > 0) {
            d[w++] = 'C';
            d[w++] = d[r + 1];
            d[w++] = d[r + 3];
            if (e)
                d[w++] = 'e';
            r += m;
            continue;
        }
        d[w++] = c;
        r++;
    }
    out->len = w;
}

/* OCR marks in figures: the CJK zero 〇 read for the O of CO2 ("kgC〇2"), and
 * an underscore read for a decimal point ("66_8kgCO2/m2"). Both are rare in
 * clean text: memchr finds the first candidate, or that there is none. */
static void S_ocr_marks(cnrs_buf *out, size_t from)
{
    char *d = out->data;
    size_t n = out->len, first = n;
    const char *u = memchr(d + from, '_', n - from);
    if (u)
        first = (size_t)(u - d);
    /* 〇 is a CJK character: text without any (most English) skips the C loop */
    const char *cjk = memchr(d + from, '\xE3', n - from);
    for (const char *c = cjk ? memchr(d + from, 'C', n - from) : NULL; c && (size_t)(c - d) < first;
         c = memchr(c + 1, 'C', n - (size_t)(c + 1 - d)))
        if ((size_t)(c - d) + 3 < n && (unsigned char)c[1] == 0xE3 && (unsigned char)c[2] == 0x80 &&
            (unsigned char)c[3] == 0x87) {
            first = (size_t)(c - d);
            break;
        }
    if (first == n)
        return;
    size_t r = first, w = first;
    while (r < n) {
        if (d[r] == 'C' && r + 4 < n && (unsigned char)d[r + 1] == 0xE3 &&
            (unsigned char)d[r + 2] == 0x80 && (unsigned char)d[r + 3] == 0x87 &&
            (d[r + 4] == '2' || d[r + 4] == 'O')) {
            d[w++] = 'C';
            d[w++] = 'O';
            r += 4;
            continue;
        }
        if (d[r] == '_' && r > from && r + 1 < n && d[r - 1] >= '0' && d[r - 1] <= '9' &&
            d[r + 1] >= '0' && d[r + 1] <= '9') {
            d[w++] = '.';
            r++;
            continue;
        }
        d[w++] = d[r++];
    }
    out->len = w;
}

/* Write code point c (already mapped) after a possibly pending space. */
static void S_emit(cnrs_buf *out, uint32_t c, uint32_t *last, int *pending)
{
    if (c == S_DROP)
        return;
    if (c == S_SPACE) {
        if (*last != '\n')
            *pending = 1;
        return;
    }
    if (c == '\n') {
        *pending = 0; /* trailing spaces of a line go */
    } else if (*pending) {
        if (!S_drop_space(*last, c))
            S_put(out, ' ');
        *pending = 0;
    }
    S_put(out, c);
    *last = c;
}

void cnrs_normalise(const char *s, size_t n, cnrs_buf *out)
{
    pthread_once(&S_same_once, S_same_init);
    const unsigned char *u = (const unsigned char *)s;
    /* Most text shrinks or keeps its size; growth past this is handled by
     * S_put and cnrs_buf_put_cp. */
    cnrs_buf_reserve(out, n + 8);
    size_t from = out->len;
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
            /* Fast path for the bulk of Chinese text after a space: a
             * well-formed character that maps to itself (not overlong). */
            uint32_t cp = (c & 0x0F) << 12 | (uint32_t)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F);
            if (cp >= 0x800 && S_same(cp)) {
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
        uint32_t form[8];
        if (c < 0xA0 || c == S_DROP || (c < 0x10000 && S_same(c))) {
            S_emit(out, c, &last, &pending);
        } else {
            int nf = S_compat(c, form);
            for (int k = 0; k < nf; k++) /* S_map again: ﹘ -> — -> '-' */
                S_emit(out, form[k] == c ? c : S_map(form[k]), &last, &pending);
        }
    }
    if (out->data) {
        S_latin_noise(out, from);
        S_ocr_marks(out, from);
        out->data[out->len] = '\0';
    }
}
