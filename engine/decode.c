/* decode.c - encoding detection and conversion of text files to UTF-8. */
#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if CNRS_SSE2
#include <emmintrin.h>
#endif

/* ---- helpers ------------------------------------------------------------- */

/* Control characters that plain text legitimately contains. */
static int S_is_text_control(unsigned char c)
{
    return c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x1B;
}

/* CNRS_ERR_BINARY if s[0..n) holds a NUL or too many other C0 controls.
 * Bytes below 0x20 mean the same in UTF-8 and GB18030 (multi-byte sequences
 * never use them), so this can run before the encoding is known. `ctl`
 * controls of s[0..from) were counted already (by S_utf8_valid); the rest
 * are counted here. */
static cnrs_status S_check_binary(const char *name, const unsigned char *s, size_t n, size_t from,
                                  size_t ctl, cnrs_error *err)
{
    const unsigned char *nul = memchr(s, 0, n);
    if (nul)
        return cnrs_error_set(err, CNRS_ERR_BINARY, "%s: binary file (NUL byte at offset %zu)",
                              name, (size_t)(nul - s));
    for (size_t i = from; i < n; i++)
        if (s[i] < 0x20 && !S_is_text_control(s[i]))
            ctl++;
    if (ctl > n / 100 + 4)
        return cnrs_error_set(err, CNRS_ERR_BINARY,
                              "%s: binary file (%zu control characters in %zu bytes)", name, ctl,
                              n);
    return CNRS_OK;
}

/* C0 controls plain text does not hold (S_is_text_control), by byte value. */
static const unsigned char S_bad_ctl[32] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1,
                                            1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1};

#if !CNRS_SSE2 /* the portable fast path of S_utf8_valid */
/* Whether the low six bytes of w are two three-byte sequences with leads
 * E1..EF other than ED and two continuation bytes each: valid UTF-8 (no
 * overlongs, no surrogates), no controls. */
static inline int S_two_cjk(uint64_t w)
{
    return (w & 0xC0C0F0C0C0F0ull) == 0x8080E08080E0ull &&
           ((0xDFFEu >> (w & 15)) & (0xDFFEu >> ((w >> 24) & 15)) & 1);
}
#endif

#if CNRS_SSE2
/* S_utf8_valid over the characters at the start of s[0..16) that it takes
 * without counting or decoding: ASCII from 0x20 and '\n', C2..DF with a
 * continuation byte, E1..EF other than ED with two (no overlongs, no
 * surrogates). Returns the bytes they take (at most 18; 16 or more when
 * they cover the window); the character after them is left to the
 * per-character tests. Reads s[0..18). */
static inline size_t S_valid16(const unsigned char *s)
{
    const __m128i a = _mm_loadu_si128((const __m128i *)s);
    const __m128i b = _mm_loadu_si128((const __m128i *)(s + 1));
    const __m128i c = _mm_loadu_si128((const __m128i *)(s + 2));
    const __m128i cont = _mm_set1_epi8((char)0xC0); /* signed: 80..BF lie below */
    const __m128i zero = _mm_setzero_si128();
    unsigned asc = (unsigned)_mm_movemask_epi8(_mm_or_si128(
        _mm_cmpgt_epi8(a, _mm_set1_epi8(0x1F)), _mm_cmpeq_epi8(a, _mm_set1_epi8('\n'))));
    __m128i cb = _mm_cmplt_epi8(b, cont);
    __m128i two = _mm_cmpeq_epi8(
        _mm_subs_epu8(_mm_sub_epi8(a, _mm_set1_epi8((char)0xC2)), _mm_set1_epi8(0x1D)), zero);
    __m128i three = _mm_andnot_si128(
        _mm_cmpeq_epi8(a, _mm_set1_epi8((char)0xED)),
        _mm_cmpeq_epi8(
            _mm_subs_epu8(_mm_sub_epi8(a, _mm_set1_epi8((char)0xE1)), _mm_set1_epi8(0x0E)),
            zero));
    unsigned g2 = (unsigned)_mm_movemask_epi8(_mm_and_si128(two, cb));
    unsigned g3 = (unsigned)_mm_movemask_epi8(
        _mm_and_si128(three, _mm_and_si128(cb, _mm_cmplt_epi8(c, cont))));
    /* Bytes covered by those characters; the first byte not covered opens
     * a character (the covered ones form whole characters from byte 0). */
    unsigned ok = (asc | g2 | g2 << 1 | g3 | g3 << 1 | g3 << 2) & 0xFFFFu;
    return ok == 0xFFFFu ? 16 + ((g2 >> 15) | (g3 >> 14)) : (size_t)__builtin_ctz(~ok);
}
#endif

/* Length of the valid UTF-8 prefix of s[0..n) (cnrs_utf8_valid_prefix), and
 * in the same pass the number of C0 controls S_check_binary counts within
 * that prefix, added to *ctl. Fast paths: eight ASCII bytes at a time, and
 * the three-byte sequences of Chinese text. */
static size_t S_utf8_valid(const unsigned char *s, size_t n, size_t *ctl)
{
    const uint64_t hi = 0x8080808080808080ull, sp = 0x2020202020202020ull;
    size_t i = 0, bad = 0;
    while (i < n) {
#if CNRS_SSE2
        while (i + 18 <= n) {
            size_t e = S_valid16(s + i);
            i += e;
            if (e < 16)
                break; /* the character at i needs the tests below */
        }
        if (i >= n)
            break;
#endif
        unsigned c = s[i];
        if (c < 0x80) {
            if (!CNRS_SSE2 && i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                /* all ASCII, none below 0x20 */
                if (((w | ((w - sp) & ~w)) & hi) == 0) {
                    i += 8;
                    continue;
                }
            }
            if (c < 0x20)
                bad += S_bad_ctl[c];
            i++;
            continue;
        }
        if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < n &&
            (((unsigned)s[i + 1] << 8 | s[i + 2]) & 0xC0C0) == 0x8080) {
            i += 3; /* U+1000..U+CFFF, U+E000..U+FFFF: no overlongs, no surrogates */
#if !CNRS_SSE2
            while (i + 8 <= n && S_two_cjk(cnrs_load64le(s + i)))
                i += 6;
#endif
            continue;
        }
        uint32_t cp;
        int k = cnrs_utf8_decode(s + i, n - i, &cp);
        if (!k)
            break;
        i += (size_t)k;
    }
    *ctl += bad;
    return i;
}

/* Whether s[0..n) looks like UTF-16 without a byte-order mark: 'l' (LE),
 * 'b' (BE) or 0. Such text is refused with a message that says so, rather
 * than as "binary" (ASCII gives every other byte NUL) or, worse, converted
 * as GB18030 (Chinese-only UTF-16 is often valid GB18030 byte by byte and
 * would become fluent nonsense). A code unit "fits" when its high byte is
 * 00 with a non-NUL low byte (ASCII, Latin-1) or 30, FF, 4E..9F (CJK marks,
 * full-width forms, ideographs); UTF-16 in one byte order has at least 90%
 * fitting units and at most 60% in the other. Real GB18030 text never
 * does: its trail bytes lie above A0 for all common characters. The first
 * 64 KiB decide. */
static int S_utf16_without_bom(const unsigned char *s, size_t n)
{
    if (n % 2 || n < 8)
        return 0;
    if (n > 65536)
        n = 65536;
    size_t units = n / 2, le = 0, be = 0;
    for (size_t i = 0; i < n; i += 2) {
        unsigned a = s[i], b = s[i + 1]; /* LE: a low, b high; BE: the other way */
        le += (b == 0 && a != 0) || b == 0x30 || b == 0xFF || (b >= 0x4E && b <= 0x9F);
        be += (a == 0 && b != 0) || a == 0x30 || a == 0xFF || (a >= 0x4E && a <= 0x9F);
    }
    if (le * 10 >= units * 9 && be * 10 <= units * 6)
        return 'l';
    if (be * 10 >= units * 9 && le * 10 <= units * 6)
        return 'b';
    return 0;
}

static cnrs_status S_utf16_refused(const char *name, int order, cnrs_status code,
                                   cnrs_error *err)
{
    return cnrs_error_set(err, code,
                          "%s: looks like UTF-16%s without a byte-order mark; convert it to "
                          "UTF-8 (or save it as UTF-16 with a BOM)",
                          name, order == 'b' ? "BE" : "LE");
}

/* Turn "\r\n" and lone "\r" into "\n" in place; returns the new length. */
static size_t S_fix_newlines(char *s, size_t n)
{
    char *p = memchr(s, '\r', n);
    if (!p)
        return n;
    size_t w = (size_t)(p - s);
    for (size_t r = w; r < n; r++) {
        if (s[r] == '\r') {
            s[w++] = '\n';
            if (r + 1 < n && s[r + 1] == '\n')
                r++;
        } else {
            s[w++] = s[r];
        }
    }
    s[w] = '\0';
    return w;
}

/* UTF-16 to UTF-8 by hand: it is a few lines, and exact about what is
 * malformed (odd length, unpaired surrogates), which iconv is not everywhere. */
static cnrs_status S_utf16(const char *name, const unsigned char *s, size_t n, int big_endian,
                           cnrs_buf *out, cnrs_error *err)
{
    if (n % 2)
        return cnrs_error_set(err, CNRS_ERR_ENCODING, "%s: malformed UTF-16 (odd byte count)",
                              name);
    cnrs_buf_reserve(out, n + n / 2);
    for (size_t i = 0; i < n; i += 2) {
        uint32_t u =
            big_endian ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 3 >= n)
                return cnrs_error_set(err, CNRS_ERR_ENCODING,
                                      "%s: malformed UTF-16 (unpaired surrogate at offset %zu)",
                                      name, i);
            uint32_t lo = big_endian ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
                                     : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
            if (lo < 0xDC00 || lo > 0xDFFF)
                return cnrs_error_set(err, CNRS_ERR_ENCODING,
                                      "%s: malformed UTF-16 (unpaired surrogate at offset %zu)",
                                      name, i);
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            return cnrs_error_set(err, CNRS_ERR_ENCODING,
                                  "%s: malformed UTF-16 (unpaired surrogate at offset %zu)", name,
                                  i);
        }
        cnrs_buf_put_cp(out, u);
    }
    return CNRS_OK;
}

/* GB18030 (superset of GBK and GB2312) through iconv. */
static cnrs_status S_gb18030(const char *name, const char *s, size_t n, cnrs_buf *out,
                             cnrs_error *err)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return cnrs_error_set(err, CNRS_ERR_ENCODING,
                              "%s: not UTF-8, and GB18030 conversion is unavailable", name);
    /* iconv's prototype takes char ** but does not write the input. */
    char *in = (char *)(uintptr_t)s;
    size_t inleft = n;
    cnrs_buf_reserve(out, n + n / 2 + 16);
    cnrs_status st = CNRS_OK;
    while (inleft > 0) {
        char *o = out->data + out->len;
        size_t oleft = out->cap - out->len - 1;
        size_t before = oleft;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        out->len += before - oleft;
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            cnrs_buf_reserve(out, inleft * 2 + 64);
            continue;
        }
        st = cnrs_error_set(err, CNRS_ERR_ENCODING,
                            "%s: neither UTF-8 nor GB18030 (invalid byte sequence at offset %zu)",
                            name, n - inleft);
        break;
    }
    iconv_close(cd);
    out->data[out->len] = '\0';
    return st;
}

/* ---- public -------------------------------------------------------------- */

cnrs_status cnrs_decode_text(const char *name, const char *data, size_t len, char **out,
                             size_t *out_len, const char **encoding, cnrs_error *err)
{
    const unsigned char *u = (const unsigned char *)data;
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_status st = CNRS_OK;
    const char *enc;

    *out = NULL;
    *out_len = 0;
    if (!name)
        name = "-";

    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        int be = u[0] == 0xFE;
        enc = be ? "utf-16be" : "utf-16le";
        st = S_utf16(name, u + 2, len - 2, be, &b, err);
        /* The byte-level check cannot run on UTF-16; check what it decoded to. */
        if (st == CNRS_OK)
            st = S_check_binary(name, (const unsigned char *)cnrs_buf_cstr(&b), b.len, 0, 0, err);
    } else {
        size_t skip = 0;
        enc = "utf-8";
        if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
            skip = 3;
            enc = "utf-8-bom";
        }
        /* One pass validates UTF-8 and counts controls; S_check_binary
         * counts the rest when the text is not UTF-8. */
        size_t ctl = 0;
        size_t valid = S_utf8_valid(u + skip, len - skip, &ctl);
        st = S_check_binary(name, u + skip, len - skip, valid, ctl, err);
        int order;
        if (st != CNRS_OK && !skip && (order = S_utf16_without_bom(u, len)) != 0)
            st = S_utf16_refused(name, order, st, err);
        if (st == CNRS_OK) {
            if (valid == len - skip) {
                cnrs_buf_append(&b, data + skip, len - skip);
            } else if (skip) {
                st = cnrs_error_set(err, CNRS_ERR_ENCODING,
                                    "%s: invalid UTF-8 after a UTF-8 byte-order mark (offset %zu)",
                                    name, valid + skip);
            } else if ((order = S_utf16_without_bom(u, len)) != 0) {
                st = S_utf16_refused(name, order, CNRS_ERR_ENCODING, err);
            } else {
                enc = "gb18030";
                st = S_gb18030(name, data, len, &b, err);
            }
        }
    }
    if (st != CNRS_OK) {
        cnrs_buf_free(&b);
        return st;
    }
    cnrs_buf_cstr(&b);
    b.len = S_fix_newlines(b.data, b.len);
    *out_len = b.len;
    /* The buffer grew by doubling; give back the slack (the caller may keep
     * the text as long as the document lives). */
    size_t n = b.len;
    *out = cnrs_xrealloc(cnrs_buf_steal(&b), n + 1);
    if (encoding)
        *encoding = enc;
    return CNRS_OK;
}
