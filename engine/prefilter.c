/* prefilter.c - required literals of PCRE2 patterns and an Aho-Corasick scan
 * over all of them (see prefilter.h). */
#include "prefilter.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ==== required-literal analysis ============================================ */

/* A set of literals one of which every match contains, or "any" when the
 * analysis found no such set. */
typedef struct S_set {
    cnrs_buf *v;
    size_t n, cap;
    int any;
    long pre; /* a match's occurrence of one of the literals starts at most this
                 many bytes after the match starts (0: the literals open every
                 match); S_NOBOUND when unknown. Set where a set is offered. */
} S_set;

#define S_NOBOUND (-1L)

/* Byte counts with S_NOBOUND absorbing; past 64 KiB a bound is useless. */
static long S_add(long a, long b)
{
    return a < 0 || b < 0 || a + b > 65535 ? S_NOBOUND : a + b;
}

static long S_times(long w, long count)
{
    if (w == 0)
        return 0;
    return w < 0 || count < 0 || count > 65535 / w ? S_NOBOUND : w * count;
}

static long S_wider(long a, long b)
{
    return a < 0 || b < 0 ? S_NOBOUND : a > b ? a : b;
}

/* One character of the subject is at most 4 bytes of UTF-8 (caseless
 * matching may pair an ASCII letter with a longer one: K and the Kelvin
 * sign), so every character of a pattern counts 4. */
#define S_CHAR 4L

static void S_set_free(S_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        cnrs_buf_free(&s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static int S_set_has(const S_set *s, const char *p, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].len == len && (len == 0 || memcmp(s->v[i].data, p, len) == 0))
            return 1;
    return 0;
}

static void S_set_add(S_set *s, const char *p, size_t len)
{
    if (S_set_has(s, p, len))
        return;
    s->v = cnrs_xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
    s->v[s->n] = (cnrs_buf)CNRS_BUF_INIT;
    cnrs_buf_append(&s->v[s->n], p, len);
    s->n++;
}

/* How useful a set is as a filter: its shortest literal (longer is rarer),
 * then fewer literals. -1 for "any". */
static long S_score(const S_set *s)
{
    if (s->any || s->n == 0)
        return -1;
    size_t m = (size_t)-1;
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].len < m)
            m = s->v[i].len;
    return (long)m * 1024 - (long)(s->n > 1023 ? 1023 : s->n);
}

/* Whether a and b hold the same literals. */
static int S_set_same(const S_set *a, const S_set *b)
{
    if (a->any || b->any || a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (!S_set_has(b, a->v[i].data, a->v[i].len))
            return 0;
    return 1;
}

/* Keep the two best of *best, *second and *cand (cand is consumed). Every
 * factor of a sequence is required, so both may be demanded together; a
 * factor with the best one's literals again (20\d\d-20\d\d) adds nothing. */
static void S_keep_best(S_set *best, S_set *second, S_set *cand)
{
    long c = S_score(cand);
    if (S_set_same(cand, best)) {
        S_set_free(cand); /* best keeps its bound: its own occurrence bounds the start */
    } else if (c > S_score(best)) {
        S_set_free(second);
        *second = *best;
        *best = *cand;
    } else if (c > S_score(second)) {
        S_set_free(second);
        *second = *cand;
    } else {
        S_set_free(cand);
    }
    memset(cand, 0, sizeof *cand);
}

typedef struct S_parser {
    const unsigned char *p;
    size_t i, n;
    int depth;
    long w; /* bytes the last atom (or group) can consume once, at most; S_NOBOUND */
} S_parser;

enum { S_ATOM_LIT, S_ATOM_SET, S_ATOM_ANY, S_ATOM_ZERO, S_ATOM_END };

static S_set S_parse_alt(S_parser *P, S_set *second, S_set *exact);

static unsigned char S_fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Non-ASCII characters that caseless UTF matching equates with others
 * (Latin-1 and Latin Extended letters, Greek, Cyrillic, Armenian, Georgian,
 * Cherokee, Latin Extended Additional, Greek Extended, the Ohm, Kelvin and
 * Angstrom signs, Roman numerals, circled and full-width letters, Deseret
 * ...): generous ranges, since a character wrongly counted costs only a
 * weaker filter. The scan folds ASCII only, so such a character is not a
 * literal: it ends the literal run like a class would. */
static int S_cased(uint32_t c)
{
    static const uint32_t r[][2] = {
        {0x00B5, 0x00B5},   {0x00C0, 0x02AF},   {0x0345, 0x0345},   {0x0370, 0x058F},
        {0x10A0, 0x10FF},   {0x13A0, 0x13FF},   {0x1C80, 0x1CBF},   {0x1D00, 0x1FFF},
        {0x2126, 0x2126},   {0x212A, 0x212B},   {0x2132, 0x2132},   {0x214E, 0x214E},
        {0x2160, 0x2188},   {0x24B6, 0x24E9},   {0x2C00, 0x2D2F},   {0xA640, 0xA69F},
        {0xA720, 0xA7FF},   {0xAB30, 0xABBF},   {0xFB00, 0xFB17},   {0xFF21, 0xFF3A},
        {0xFF41, 0xFF5A},   {0x10400, 0x104FF}, {0x10570, 0x105BF}, {0x10C80, 0x10CFF},
        {0x118A0, 0x118FF}, {0x16E40, 0x16E9F}, {0x1E900, 0x1E95F}};
    for (size_t i = 0; i < sizeof r / sizeof *r; i++)
        if (c >= r[i][0] && c <= r[i][1])
            return 1;
    return 0;
}

static void S_put_cp(cnrs_buf *b, uint32_t cp)
{
    if (cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF))
        cnrs_buf_put_cp(b, cp);
}

static int S_hex(unsigned char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Skip a {...} argument of an escape (\p{L}, \x{41}, \g{1}). */
static void S_skip_braces(S_parser *P)
{
    if (P->i < P->n && P->p[P->i] == '{') {
        while (P->i < P->n && P->p[P->i] != '}')
            P->i++;
        if (P->i < P->n)
            P->i++;
    }
}

/* Parse a quantifier at P->i; returns 1 and the minimum and maximum counts
 * (-1: unbounded) when there is one (and consumes it with any
 * lazy/possessive suffix). */
static int S_quantifier(S_parser *P, long *min, long *max)
{
    if (P->i >= P->n)
        return 0;
    unsigned char c = P->p[P->i];
    size_t j = P->i;
    if (c == '?' || c == '*') {
        *min = 0;
        *max = c == '?' ? 1 : -1;
        j++;
    } else if (c == '+') {
        *min = 1;
        *max = -1;
        j++;
    } else if (c == '{') {
        size_t k = j + 1;
        long lo = 0;
        int digits = 0;
        while (k < P->n && P->p[k] >= '0' && P->p[k] <= '9') {
            lo = lo * 10 + (P->p[k] - '0');
            if (lo > 100000)
                lo = 100000;
            k++;
            digits++;
        }
        long hi = lo;
        if (k < P->n && P->p[k] == ',') {
            k++;
            int d2 = 0;
            hi = 0;
            while (k < P->n && P->p[k] >= '0' && P->p[k] <= '9') {
                hi = hi * 10 + (P->p[k] - '0');
                if (hi > 100000)
                    hi = 100000;
                k++;
                d2++;
            }
            if (!digits && !d2)
                return 0;
            if (!d2)
                hi = -1;
        } else if (!digits) {
            return 0;
        }
        if (k >= P->n || P->p[k] != '}')
            return 0; /* a literal '{' */
        *min = lo;
        *max = hi;
        j = k + 1;
    } else {
        return 0;
    }
    if (j < P->n && (P->p[j] == '?' || P->p[j] == '+'))
        j++;
    P->i = j;
    return 1;
}

/* A class of a few plain characters, [一二三] or [1-3a]: its members (ASCII
 * case-folded) into *out as a set of one-character strings, and 1; 0 (and
 * *out empty) when it is negated, holds an escape, a POSIX class, a range
 * that is not of ASCII digits or letters, a character caseless matching may
 * vary, or more than 16 characters. c[0..n) is the text between [ and ]. */
static int S_class_set(const unsigned char *c, size_t n, S_set *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0 || c[0] == '^' || c[0] == ']')
        return 0;
    for (size_t i = 0; i < n;) {
        if (c[i] == '\\' || c[i] == '[')
            goto refuse;
        if (c[i] < 0x80) {
            unsigned lo = c[i], hi = lo;
            if (i + 2 < n && c[i + 1] == '-') { /* a range; a final '-' is itself */
                hi = c[i + 2];
                int digits = lo >= '0' && hi <= '9';
                int lower = lo >= 'a' && hi <= 'z', upper = lo >= 'A' && hi <= 'Z';
                if (hi < lo || !(digits || lower || upper) || hi - lo >= 16)
                    goto refuse;
                i += 3;
            } else {
                i++;
            }
            for (unsigned ch = lo; ch <= hi; ch++) {
                char f = (char)S_fold((unsigned char)ch);
                S_set_add(out, &f, 1);
            }
        } else {
            size_t at = i++;
            while (i < n && (c[i] & 0xC0) == 0x80)
                i++;
            uint32_t cp;
            if (cnrs_utf8_decode(c + at, i - at, &cp) == 0 || S_cased(cp) ||
                (i + 1 < n && c[i] == '-'))
                goto refuse; /* a non-ASCII range */
            S_set_add(out, (const char *)c + at, i - at);
        }
        if (out->n > 16)
            goto refuse;
    }
    out->pre = 0;
    return 1;
refuse:
    S_set_free(out);
    return 0;
}

/* The non-ASCII character whose lead byte was just read: a literal, or
 * "any" when caseless matching may vary it or it is not UTF-8. */
static int S_utf8_atom(S_parser *P, cnrs_buf *lit)
{
    size_t at = P->i - 1;
    while (P->i < P->n && (P->p[P->i] & 0xC0) == 0x80)
        P->i++;
    uint32_t cp;
    if (cnrs_utf8_decode(P->p + at, P->i - at, &cp) == 0 || S_cased(cp))
        return S_ATOM_ANY;
    cnrs_buf_append(lit, P->p + at, P->i - at);
    return S_ATOM_LIT;
}

/* One atom. Literal bytes (one character, case-folded) go to `lit`; a group's
 * requirement to *set and, when the group can only match a small finite set
 * of strings (alternations and sequences of literals), those strings to
 * *exact (else exact->any). */
static int S_atom(S_parser *P, cnrs_buf *lit, S_set *set, S_set *exact)
{
    const unsigned char *p = P->p;
    if (P->i >= P->n)
        return S_ATOM_END;
    unsigned char c = p[P->i];
    if (c == '|' || c == ')')
        return S_ATOM_END;
    P->i++;
    P->w = S_CHAR; /* most atoms are one character; the others say so below */
    switch (c) {
    case '.': return S_ATOM_ANY;
    case '^':
    case '$': P->w = 0; return S_ATOM_ZERO;
    case '[': {
        size_t open = P->i; /* just past '[' */
        if (P->i < P->n && p[P->i] == '^')
            P->i++;
        if (P->i < P->n && p[P->i] == ']')
            P->i++;
        while (P->i < P->n && p[P->i] != ']') {
            if (p[P->i] == '\\') {
                /* Only \x \o \p \P \N take a {...} argument in a class. */
                unsigned char e = P->i + 1 < P->n ? p[P->i + 1] : 0;
                P->i += 2;
                if (e == 'x' || e == 'o' || e == 'p' || e == 'P' || e == 'N')
                    S_skip_braces(P);
            } else if (p[P->i] == '[' && P->i + 1 < P->n && p[P->i + 1] == ':') {
                /* A POSIX class only when letters and ":]" follow. */
                size_t k = P->i + 2;
                if (k < P->n && p[k] == '^')
                    k++;
                while (k < P->n && ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z')))
                    k++;
                if (k + 1 < P->n && p[k] == ':' && p[k + 1] == ']')
                    P->i = k + 2;
                else
                    P->i++;
            } else {
                P->i++;
            }
        }
        if (P->i >= P->n)
            return S_ATOM_ANY;
        P->i++;
        if (!S_class_set(p + open, P->i - 1 - open, exact))
            return S_ATOM_ANY;
        for (size_t k = 0; k < exact->n; k++)
            S_set_add(set, exact->v[k].data, exact->v[k].len);
        return S_ATOM_SET;
    }
    case '(': {
        int zero = 0, any = 0;
        if (P->i < P->n && p[P->i] == '*') { /* (*VERB) */
            while (P->i < P->n && p[P->i] != ')')
                P->i++;
            if (P->i < P->n)
                P->i++;
            P->w = 0;
            return S_ATOM_ZERO;
        }
        if (P->i < P->n && p[P->i] == '?') {
            P->i++;
            unsigned char d = P->i < P->n ? p[P->i] : 0;
            if (d == '#') {
                while (P->i < P->n && p[P->i] != ')')
                    P->i++;
                if (P->i < P->n)
                    P->i++;
                P->w = 0;
                return S_ATOM_ZERO;
            } else if (d == ':' || d == '|' || d == '>') {
                P->i++;
            } else if (d == '=' || d == '!') {
                P->i++;
                zero = 1;
            } else if (d == '<' && P->i + 1 < P->n && (p[P->i + 1] == '=' || p[P->i + 1] == '!')) {
                P->i += 2;
                zero = 1;
            } else if (d == '<' || d == '\'' || (d == 'P' && P->i + 1 < P->n && p[P->i + 1] == '<')) {
                unsigned char close = d == '\'' ? '\'' : '>';
                while (P->i < P->n && p[P->i] != close)
                    P->i++;
                if (P->i < P->n)
                    P->i++;
            } else {
                /* Flags "(?i)", "(?i:", "(?-i:", or recursion/backreference
                 * forms "(?R)", "(?1)", "(?&name)", "(?P=name)". */
                size_t k = P->i;
                while (k < P->n && ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z') ||
                                    p[k] == '-' || p[k] == '^'))
                    k++;
                if (k < P->n && p[k] == ')' && k > P->i && p[P->i] != 'R') {
                    P->i = k + 1;
                    P->w = 0;
                    return S_ATOM_ZERO; /* inline flag setting */
                }
                if (k < P->n && p[k] == ':' && k > P->i) {
                    P->i = k + 1;
                } else {
                    while (P->i < P->n && p[P->i] != ')')
                        P->i++;
                    if (P->i < P->n)
                        P->i++;
                    P->w = S_NOBOUND; /* recursion, a condition: any length */
                    return S_ATOM_ANY;
                }
            }
        }
        if (++P->depth > 200) {
            any = 1; /* absurd nesting: give up on this pattern, stay correct */
        }
        S_set ex = {0};
        S_set inner = S_parse_alt(P, NULL, &ex); /* sets P->w to the group's width */
        P->depth--;
        if (P->i < P->n && p[P->i] == ')')
            P->i++;
        if (zero || any) {
            S_set_free(&inner);
            S_set_free(&ex);
            P->w = zero ? 0 : S_NOBOUND;
            return zero ? S_ATOM_ZERO : S_ATOM_ANY;
        }
        *set = inner;
        *exact = ex;
        return S_ATOM_SET;
    }
    case '\\': {
        if (P->i >= P->n)
            return S_ATOM_ANY;
        unsigned char e = p[P->i++];
        if (e >= 0x80)
            return S_utf8_atom(P, lit); /* an escaped character is itself: \万 */
        switch (e) {
        case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K':
            P->w = 0;
            return S_ATOM_ZERO;
        case 't': cnrs_buf_putc(lit, '\t'); return S_ATOM_LIT;
        case 'n': cnrs_buf_putc(lit, '\n'); return S_ATOM_LIT;
        case 'r': cnrs_buf_putc(lit, '\r'); return S_ATOM_LIT;
        case 'f': cnrs_buf_putc(lit, '\f'); return S_ATOM_LIT;
        case 'e': cnrs_buf_putc(lit, 27); return S_ATOM_LIT;
        case 'a': cnrs_buf_putc(lit, 7); return S_ATOM_LIT;
        case 'x': {
            uint32_t cp = 0;
            if (P->i < P->n && p[P->i] == '{') {
                P->i++;
                while (P->i < P->n && S_hex(p[P->i]) >= 0)
                    cp = cp * 16 + (uint32_t)S_hex(p[P->i++]);
                if (P->i < P->n && p[P->i] == '}')
                    P->i++;
            } else {
                for (int k = 0; k < 2 && P->i < P->n && S_hex(p[P->i]) >= 0; k++)
                    cp = cp * 16 + (uint32_t)S_hex(p[P->i++]);
            }
            if (cp < 0x80)
                cnrs_buf_putc(lit, (char)S_fold((unsigned char)cp));
            else if (S_cased(cp))
                return S_ATOM_ANY;
            else
                S_put_cp(lit, cp);
            return S_ATOM_LIT;
        }
        case 'Q': {
            /* \Q...\E: a literal run; only its last character could take a
             * quantifier, so the run is returned as one literal "character"
             * only when it is one character long. */
            size_t start = lit->len;
            int cased = 0;
            long chars = 0;
            while (P->i < P->n && !(p[P->i] == '\\' && P->i + 1 < P->n && p[P->i + 1] == 'E')) {
                uint32_t cp;
                if (p[P->i] >= 0xC0 &&
                    (cnrs_utf8_decode(p + P->i, P->n - P->i, &cp) == 0 || S_cased(cp)))
                    cased = 1;
                chars += (p[P->i] & 0xC0) != 0x80;
                cnrs_buf_putc(lit, (char)S_fold(p[P->i++]));
            }
            P->w = S_times(S_CHAR, chars);
            if (P->i < P->n)
                P->i += 2;
            if (cased) {
                lit->len = start; /* a character caseless matching may vary */
                return S_ATOM_ANY;
            }
            return lit->len > start ? S_ATOM_LIT : S_ATOM_ZERO;
        }
        case 'E': P->w = 0; return S_ATOM_ZERO;
        case 'p': case 'P': case 'g': case 'k': case 'o': case 'N':
            if (e == 'g' || e == 'k')
                P->w = S_NOBOUND; /* a backreference or subroutine call */
            if (P->i < P->n && (p[P->i] == '{'))
                S_skip_braces(P);
            else if ((e == 'k' || e == 'g') && P->i < P->n &&
                     (p[P->i] == '<' || p[P->i] == '\'')) {
                unsigned char close = p[P->i] == '<' ? '>' : '\'';
                while (P->i < P->n && p[P->i] != close)
                    P->i++;
                if (P->i < P->n)
                    P->i++;
            } else if ((e == 'p' || e == 'P' || e == 'g') && P->i < P->n) {
                P->i++; /* \pL, \g1 */
            }
            return S_ATOM_ANY;
        case 'c':
            if (P->i < P->n)
                P->i++;
            return S_ATOM_ANY;
        default:
            if (e >= '0' && e <= '9') {
                /* A backreference (\12) or an octal character (\100, \012):
                 * its digits are one atom, whatever it is. */
                while (P->i < P->n && p[P->i] >= '0' && p[P->i] <= '9')
                    P->i++;
                P->w = S_NOBOUND;
                return S_ATOM_ANY;
            }
            if (e == 'X' || e == 'R')
                P->w = S_NOBOUND; /* grapheme clusters, line breaks */
            if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z'))
                return S_ATOM_ANY; /* classes \d \w \s ... */
            cnrs_buf_putc(lit, (char)S_fold(e));
            return S_ATOM_LIT;
        }
    }
    default:
        if (c < 0x80) {
            cnrs_buf_putc(lit, (char)S_fold(c));
            return S_ATOM_LIT;
        }
        return S_utf8_atom(P, lit);
    }
}

/* Limits of an exact set (S_atom): beyond them a sequence is cut into
 * several required sets instead. */
enum { S_EXACT_MAX = 64, S_EXACT_BYTES = 4096 };

static int S_has_empty(const S_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].len == 0)
            return 1;
    return 0;
}

/* *cur becomes every string of *cur followed by every string of *add; 0 (and
 * *cur untouched) when that would pass the limits. */
static int S_cross(S_set *cur, const S_set *add)
{
    size_t bytes = 0;
    for (size_t i = 0; i < cur->n; i++)
        for (size_t j = 0; j < add->n; j++)
            bytes += cur->v[i].len + add->v[j].len;
    if (cur->n * add->n > S_EXACT_MAX || bytes > S_EXACT_BYTES)
        return 0;
    if (add->n == 1) { /* the common case: one more literal character */
        for (size_t i = 0; i < cur->n; i++)
            cnrs_buf_append(&cur->v[i], add->v[0].data ? add->v[0].data : "", add->v[0].len);
        return 1;
    }
    S_set out = {0};
    cnrs_buf t = CNRS_BUF_INIT;
    for (size_t i = 0; i < cur->n; i++)
        for (size_t j = 0; j < add->n; j++) {
            cnrs_buf_reset(&t);
            cnrs_buf_append(&t, cur->v[i].data ? cur->v[i].data : "", cur->v[i].len);
            cnrs_buf_append(&t, add->v[j].data ? add->v[j].data : "", add->v[j].len);
            S_set_add(&out, t.data, t.len);
        }
    cnrs_buf_free(&t);
    S_set_free(cur);
    *cur = out;
    return 1;
}

/* A set holding only the empty string. */
static S_set S_empty_set(void)
{
    S_set e = {0};
    S_set_add(&e, "", 0);
    return e;
}

/* Offer *cur (consumed) as a required set: useless when it holds the empty
 * string. `pre`: at most this many bytes of the sequence come before it. */
static void S_flush(S_set *best, S_set *second, S_set *cur, long pre)
{
    if (cur->n == 0 || S_has_empty(cur)) {
        S_set_free(cur);
        memset(cur, 0, sizeof *cur);
        return;
    }
    cur->any = 0;
    cur->pre = pre;
    S_keep_best(best, second, cur);
}

/* The best required literal set of a sequence; the second best (a different
 * factor, also required) into *second_out when it is not NULL; into *exact
 * (when not NULL) every string the sequence can match when that is a small
 * finite set, else exact->any. Adjacent literals and exact groups multiply
 * out ("(?:碳|温室气体)排放(?:总量|量)" requires one of four strings). Each
 * set records how many bytes of the sequence can come before it (`pre`);
 * P->w becomes the sequence's own width, at most. */
static S_set S_parse_seq(S_parser *P, S_set *second_out, S_set *exact)
{
    S_set best = {0}, second = {0};
    best.any = 1;
    second.any = 1;
    S_set cur = S_empty_set(); /* the exact strings of the current run */
    long pos = 0;              /* bytes consumed before the current atom, at most */
    long cur_pre = 0;          /* ... before the current run */
    int all_exact = 1;
    cnrs_buf lit = CNRS_BUF_INIT;
    for (;;) {
        S_set group = {0}, gex = {0};
        cnrs_buf_reset(&lit);
        int kind = S_atom(P, &lit, &group, &gex);
        if (kind == S_ATOM_END)
            break;
        long w = P->w;
        long min = 1, max = 1;
        int quant = S_quantifier(P, &min, &max);
        if (kind == S_ATOM_ZERO) {
            S_set_free(&group);
            S_set_free(&gex);
            continue; /* zero-width, quantified or not: requires nothing */
        }
        long before = pos;
        pos = S_add(pos, S_times(w, max));
        S_set atom = {0};
        int have = 0;
        if (kind == S_ATOM_LIT) {
            S_set_add(&atom, lit.data ? lit.data : "", lit.len);
            have = 1;
        } else if (kind == S_ATOM_SET && !gex.any && gex.n) {
            atom = gex;
            memset(&gex, 0, sizeof gex);
            have = 1;
        }
        S_set_free(&gex);
        if (have && (!quant || (min == 1 && max == 1))) {
            if (!S_cross(&cur, &atom)) {
                S_flush(&best, &second, &cur, cur_pre);
                cur = atom;
                memset(&atom, 0, sizeof atom);
                cur_pre = before;
                all_exact = 0;
            }
            S_set_free(&atom);
            S_set_free(&group);
            continue;
        }
        if (have && min == 0 && max == 1) {
            S_set_add(&atom, "", 0);
            if (!S_cross(&cur, &atom)) {
                S_flush(&best, &second, &cur, cur_pre);
                cur = S_empty_set();
                cur_pre = pos;
                all_exact = 0;
            }
            S_set_free(&atom);
            S_set_free(&group);
            continue;
        }
        /* Anything else ends the run; a quantified literal or exact group
         * that must occur still ends it with its first occurrence. */
        all_exact = 0;
        if (have && min >= 1 && !S_cross(&cur, &atom)) {
            S_flush(&best, &second, &cur, cur_pre);
            cur = atom;
            memset(&atom, 0, sizeof atom);
            cur_pre = before;
        }
        S_set_free(&atom);
        S_flush(&best, &second, &cur, cur_pre);
        cur = S_empty_set();
        cur_pre = pos;
        if (kind == S_ATOM_SET && min >= 1) {
            group.pre = S_add(before, group.pre);
            S_keep_best(&best, &second, &group);
        } else {
            S_set_free(&group);
        }
    }
    if (exact) {
        memset(exact, 0, sizeof *exact);
        exact->any = 1;
        if (all_exact) {
            for (size_t i = 0; i < cur.n; i++)
                S_set_add(exact, cur.v[i].data ? cur.v[i].data : "", cur.v[i].len);
            exact->any = 0;
        }
    }
    S_flush(&best, &second, &cur, cur_pre);
    cnrs_buf_free(&lit);
    P->w = pos;
    if (second_out && !second.any && second.n > 0)
        *second_out = second;
    else
        S_set_free(&second);
    return best;
}

static S_set S_parse_alt(S_parser *P, S_set *second, S_set *exact)
{
    S_set all = {0};
    all.pre = 0;
    long width = 0;
    S_set ex = {0}; /* union of the branches' exact sets */
    int ex_ok = exact != NULL;
    for (int nseq = 0;; nseq++) {
        S_set sec = {0}, sex = {0};
        S_set seq = S_parse_seq(P, second ? &sec : NULL, ex_ok ? &sex : NULL);
        width = S_wider(width, P->w);
        if (second && nseq == 0)
            *second = sec; /* only meaningful if this stays the only branch */
        else
            S_set_free(&sec);
        if (ex_ok) {
            if (sex.any || ex.n + sex.n > S_EXACT_MAX)
                ex_ok = 0;
            for (size_t i = 0; ex_ok && i < sex.n; i++)
                S_set_add(&ex, sex.v[i].data ? sex.v[i].data : "", sex.v[i].len);
        }
        S_set_free(&sex);
        if (seq.any || seq.n == 0)
            all.any = 1;
        all.pre = S_wider(all.pre, seq.pre);
        for (size_t i = 0; i < seq.n && !all.any; i++)
            S_set_add(&all, seq.v[i].data, seq.v[i].len);
        S_set_free(&seq);
        if (P->i < P->n && P->p[P->i] == '|') {
            P->i++;
            if (second)
                S_set_free(second); /* an alternation: factors do not add up */
            continue;
        }
        break;
    }
    if (exact) {
        if (ex_ok) {
            *exact = ex;
        } else {
            S_set_free(&ex);
            memset(exact, 0, sizeof *exact);
            exact->any = 1;
        }
    }
    if (all.any) {
        S_set_free(&all);
        if (second)
            S_set_free(second);
    }
    P->w = width;
    return all;
}

/* How far before the end of the first occurrence of one of the literals of
 * `pat`'s required set `req` a match can start, at most: `pre` plus the
 * longest literal; 0 when unknown. \K moves the reported start, so it rules
 * this out. */
static unsigned S_req_lead(const char *pat, const S_set *req)
{
    for (const char *q = pat; *q; q++)
        if (q[0] == '\\' && q[1]) {
            if (q[1] == 'K')
                return 0;
            q++;
        }
    if (req->any || req->n == 0 || req->pre < 0)
        return 0;
    size_t m = 0;
    for (size_t i = 0; i < req->n; i++)
        m = req->v[i].len > m ? req->v[i].len : m;
    long lead = S_add(req->pre, (long)m);
    return lead > 0 ? (unsigned)lead : 0;
}

/* The required set of a whole pattern (.any when there is none) and, for a
 * pattern without top-level alternation, a second required set of another
 * factor in *second (empty when there is none). */
/* Constructs the analysis does not model, found anywhere in the pattern:
 * backtracking verbs ((*ACCEPT) ends a match before later literals) and
 * extended mode ((?x): white space and # comments are not literals). */
static int S_unmodelled(const char *pat)
{
    for (const char *q = pat; *q; q++) {
        if (q[0] == '\\' && q[1]) {
            q++;
            continue;
        }
        if (q[0] == '(' && q[1] == '*')
            return 1;
        if (q[0] == '(' && q[1] == '?') {
            const char *f = q + 2;
            while ((*f >= 'a' && *f <= 'z') || (*f >= 'A' && *f <= 'Z') || *f == '-' ||
                   *f == '^') {
                if (*f == 'x')
                    return 1;
                f++;
            }
        }
    }
    return 0;
}

static S_set S_required(const char *pat, S_set *second)
{
    if (S_unmodelled(pat)) {
        S_set any = {0};
        any.any = 1;
        if (second)
            memset(second, 0, sizeof *second);
        return any;
    }
    S_parser P = {(const unsigned char *)pat, 0, strlen(pat), 0, 0};
    S_set sec = {0};
    S_set s = S_parse_alt(&P, &sec, NULL);
    if (P.i < P.n) { /* an unbalanced ')': do not trust the analysis */
        S_set_free(&s);
        S_set_free(&sec);
        s.any = 1;
    }
    if (second)
        *second = sec;
    else
        S_set_free(&sec);
    return s;
}

int cnrs_prefilter_literals_of(const char *pat, cnrs_buf *out)
{
    S_set sec;
    S_set s = S_required(pat, &sec);
    int found = !s.any && s.n > 0;
    for (size_t i = 0; found && i < s.n; i++) {
        cnrs_buf_append(out, s.v[i].data, s.v[i].len);
        cnrs_buf_putc(out, '\n');
    }
    if (found && sec.n) {
        cnrs_buf_puts(out, "&\n");
        for (size_t i = 0; i < sec.n; i++) {
            cnrs_buf_append(out, sec.v[i].data, sec.v[i].len);
            cnrs_buf_putc(out, '\n');
        }
    }
    S_set_free(&s);
    S_set_free(&sec);
    return found;
}

/* ==== Aho-Corasick ============================================================ */

typedef struct S_lit {
    size_t off, len; /* into pf->lits */
    unsigned id;     /* pattern id, or (second) the pattern id + S_SECOND */
} S_lit;

#define S_SECOND 0x80000000u

struct cnrs_prefilter {
    cnrs_buf lits; /* literal bytes */
    S_lit *lit;
    size_t nlit, lit_cap;
    uint64_t *always;
    size_t words; /* bitmap words (pattern ids, then second-factor ids) */
    unsigned maxid;
    uint32_t *second; /* per pattern id: bit index of its second factor, or UINT32_MAX */
    unsigned char *uses; /* per pattern id: how many patterns were added (saturating) */
    size_t second_cap;
    uint16_t *lead; /* per pattern id: every match starts with one of its literals; the
                       longest literal's length, or 0 */
    size_t lead_cap;
    uint16_t *minlen; /* per pattern id: its shortest literal, or 0 (always a candidate) */
    /* automaton */
    unsigned char cls[256];
    unsigned ncls;
    unsigned shift; /* a state's row starts at state << shift (1 << shift >= ncls) */
    /* Rows of 1 << shift entries, each the target state. 16-bit entries
     * when the states fit (the built-in rubric's 17,600 states: 4.5 MB, and
     * the rows the text keeps visiting stay in L2), else 32-bit. */
    uint16_t *delta16;
    uint32_t *delta32;
    uint32_t start;     /* the root */
    uint32_t out_state; /* states from here on have outputs */
    size_t nstates;
    uint32_t *out_off, *out_len;
    uint16_t *outs; /* ids (bit indexes) */
    size_t nouts;
    int built;
};

cnrs_prefilter *cnrs_prefilter_new(void)
{
    return cnrs_xcalloc(1, sizeof(cnrs_prefilter));
}

void cnrs_prefilter_free(cnrs_prefilter *pf)
{
    if (!pf)
        return;
    cnrs_buf_free(&pf->lits);
    free(pf->lit);
    free(pf->always);
    free(pf->delta16);
    free(pf->delta32);
    free(pf->out_off);
    free(pf->out_len);
    free(pf->outs);
    free(pf->second);
    free(pf->uses);
    free(pf->lead);
    free(pf->minlen);
    free(pf);
}

static void S_need_id(cnrs_prefilter *pf, unsigned id)
{
    if (id > pf->maxid || pf->words == 0) {
        if (id > pf->maxid)
            pf->maxid = id;
        size_t w = pf->maxid / 64 + 1;
        if (w > pf->words) {
            pf->always = cnrs_xrealloc(pf->always, w * sizeof *pf->always);
            memset(pf->always + pf->words, 0, (w - pf->words) * sizeof *pf->always);
            pf->words = w;
        }
    }
}

static void S_add_lits(cnrs_prefilter *pf, const S_set *s, unsigned id)
{
    for (size_t i = 0; i < s->n; i++) {
        pf->lit = cnrs_xgrow(pf->lit, &pf->lit_cap, pf->nlit + 1, sizeof *pf->lit);
        pf->lit[pf->nlit++] = (S_lit){pf->lits.len, s->v[i].len, id};
        cnrs_buf_append(&pf->lits, s->v[i].data, s->v[i].len);
    }
}

int cnrs_prefilter_add(cnrs_prefilter *pf, unsigned id, const char *pat)
{
    S_need_id(pf, id);
    if (id >= pf->second_cap) {
        size_t old = pf->second_cap, cap2 = old;
        pf->second = cnrs_xgrow(pf->second, &pf->second_cap, id + 1, sizeof *pf->second);
        pf->uses = cnrs_xgrow(pf->uses, &cap2, id + 1, sizeof *pf->uses);
        for (size_t i = old; i < pf->second_cap; i++) {
            pf->second[i] = UINT32_MAX;
            pf->uses[i] = 0;
        }
    }
    if (pf->uses[id] < 2)
        pf->uses[id]++;
    if (id >= pf->lead_cap) {
        size_t old = pf->lead_cap;
        pf->lead = cnrs_xgrow(pf->lead, &pf->lead_cap, id + 1, sizeof *pf->lead);
        memset(pf->lead + old, 0, (pf->lead_cap - old) * sizeof *pf->lead);
    }
    S_set sec;
    S_set s = S_required(pat, &sec);
    if (s.any || s.n == 0) {
        pf->always[id >> 6] |= 1ull << (id & 63);
        S_set_free(&s);
        S_set_free(&sec);
        return 0;
    }
    /* several patterns under one id: no single bound */
    pf->lead[id] = pf->uses[id] == 1 ? (uint16_t)S_req_lead(pat, &s) : 0;
    S_add_lits(pf, &s, id);
    /* A second factor makes the test "both present". Several patterns under
     * one id would need "any of the pairs"; build() drops the second factor
     * of such ids. */
    if (sec.n)
        S_add_lits(pf, &sec, id | S_SECOND);
    S_set_free(&s);
    S_set_free(&sec);
    return 1;
}

size_t cnrs_prefilter_states(const cnrs_prefilter *pf)
{
    return pf->nstates;
}

size_t cnrs_prefilter_words(const cnrs_prefilter *pf)
{
    return pf->words ? pf->words : 1;
}

const uint32_t *cnrs_prefilter_seconds(const cnrs_prefilter *pf)
{
    return pf->second;
}

unsigned cnrs_prefilter_lead(const cnrs_prefilter *pf, unsigned id)
{
    return id < pf->lead_cap ? pf->lead[id] : 0;
}

unsigned cnrs_prefilter_minlen(const cnrs_prefilter *pf, unsigned id)
{
    return pf->minlen && id <= pf->maxid ? pf->minlen[id] : 0;
}

int cnrs_prefilter_cand(const cnrs_prefilter *pf, const uint64_t *bits, unsigned id)
{
    if (!cnrs_prefilter_has(bits, id))
        return 0;
    uint32_t s2 = id < pf->second_cap ? pf->second[id] : UINT32_MAX;
    return s2 == UINT32_MAX || cnrs_prefilter_has(bits, s2);
}

void cnrs_prefilter_build(cnrs_prefilter *pf)
{
    /* Second factors get bit indexes after the pattern ids; literals of a
     * second factor that cannot be used are dropped. */
    for (size_t id = 0; id < pf->lead_cap; id++)
        if (id >= pf->second_cap || pf->uses[id] != 1 || (pf->always[id >> 6] >> (id & 63) & 1))
            pf->lead[id] = 0;
    unsigned nextbit = pf->maxid + 1;
    size_t keep = 0;
    for (size_t l = 0; l < pf->nlit; l++) {
        S_lit L = pf->lit[l];
        if (L.id & S_SECOND) {
            unsigned id = L.id & ~S_SECOND;
            if (pf->uses[id] != 1 || (pf->always[id >> 6] >> (id & 63) & 1))
                continue;
            if (pf->second[id] == UINT32_MAX)
                pf->second[id] = nextbit++;
            L.id = pf->second[id];
        }
        pf->lit[keep++] = L;
    }
    pf->nlit = keep;
    if (nextbit > pf->maxid + 1)
        S_need_id(pf, nextbit - 1);

    pf->minlen = cnrs_xcalloc(pf->maxid + 1, sizeof *pf->minlen);
    for (size_t l = 0; l < pf->nlit; l++) {
        unsigned id = pf->lit[l].id;
        if (id > pf->maxid || (pf->always[id >> 6] >> (id & 63) & 1))
            continue; /* a second factor's bit, or an id marked without a literal */
        size_t len = pf->lit[l].len > UINT16_MAX ? UINT16_MAX : pf->lit[l].len;
        if (!pf->minlen[id] || len < pf->minlen[id])
            pf->minlen[id] = (uint16_t)len;
    }

    /* Byte classes: each byte used by a literal gets its own class (upper
     * case shares its lower-case letter's class); every other byte is 0.
     * Classes follow byte order, so the continuation bytes that follow a
     * lead byte are neighbours in a row: fewer cache lines per state. */
    unsigned char used[256] = {0};
    for (size_t i = 0; i < pf->lits.len; i++)
        used[(unsigned char)pf->lits.data[i]] = 1;
    for (int c = 'A'; c <= 'Z'; c++)
        used[c + 32] |= used[c];
    memset(pf->cls, 0, sizeof pf->cls);
    pf->ncls = 1;
    for (unsigned b = 0; b < 256; b++)
        if (used[b] && !(b >= 'A' && b <= 'Z'))
            pf->cls[b] = (unsigned char)pf->ncls++;
    for (int c = 'A'; c <= 'Z'; c++)
        pf->cls[c] = pf->cls[c + 32];
    size_t K = pf->ncls;
    /* Rows of a power-of-two width, so the scan steps from row to row
     * without a multiplication. */
    unsigned shift = 0;
    while ((1u << shift) < K)
        shift++;
    const size_t W = (size_t)1 << shift;

    /* Trie, built straight into the transition table (rows of W entries,
     * state numbers, 0 = no child: the root is never a child), which the BFS
     * below completes in place; it grows as states are added. One table
     * instead of a trie sized for every literal byte, a transition table and
     * a renumbered copy: 9 MB of memory touched instead of about 30 for the
     * built-in rubric, half the system time of loading it. */
    size_t cap = pf->lits.len + 1, n = 1;
    size_t rows_cap = 256;
    uint32_t *delta = cnrs_xcalloc(rows_cap, W * sizeof *delta);
    /* per-state own ids as a linked list in a flat array */
    uint32_t *own_head = cnrs_xmalloc(cap * sizeof *own_head);
    for (size_t i = 0; i < cap; i++)
        own_head[i] = UINT32_MAX;
    uint32_t *own_next = cnrs_xmalloc((pf->nlit + 1) * sizeof *own_next);
    for (size_t l = 0; l < pf->nlit; l++) {
        uint32_t s = 0;
        const unsigned char *t = (const unsigned char *)pf->lits.data + pf->lit[l].off;
        for (size_t k = 0; k < pf->lit[l].len; k++) {
            unsigned c = pf->cls[t[k]];
            if (!delta[s * W + c]) {
                if (n == rows_cap) {
                    rows_cap *= 2;
                    delta = cnrs_xrealloc(delta, rows_cap * W * sizeof *delta);
                }
                /* only rows in use are written, so only their pages are touched */
                memset(delta + n * W, 0, W * sizeof *delta);
                delta[s * W + c] = (uint32_t)n++;
            }
            s = delta[s * W + c];
        }
        own_next[l] = own_head[s];
        own_head[s] = (uint32_t)l;
    }

    /* BFS: failure links, complete transitions, output sets. A state's row
     * still holds only its trie children when it is dequeued; its failure
     * state, shallower, is already complete. The root's row needs nothing:
     * 0, no child, is also the transition back to the root. */
    uint32_t *fail = cnrs_xcalloc(n, sizeof *fail);
    uint32_t *queue = cnrs_xmalloc(n * sizeof *queue);
    size_t qh = 0, qt = 0;
    pf->out_off = cnrs_xcalloc(n, sizeof *pf->out_off);
    pf->out_len = cnrs_xcalloc(n, sizeof *pf->out_len);
    size_t outs_cap = 0;
    pf->outs = NULL;
    pf->nouts = 0;
    for (size_t c = 0; c < K; c++) {
        uint32_t t = delta[c];
        if (t) {
            fail[t] = 0;
            queue[qt++] = t;
        }
    }
    while (qh < qt) {
        uint32_t s = queue[qh++];
        /* outputs: own ids, then those of the failure state (already done) */
        pf->out_off[s] = (uint32_t)pf->nouts;
        for (uint32_t l = own_head[s]; l != UINT32_MAX; l = own_next[l]) {
            pf->outs = cnrs_xgrow(pf->outs, &outs_cap, pf->nouts + 1, sizeof *pf->outs);
            pf->outs[pf->nouts++] = (uint16_t)pf->lit[l].id;
        }
        uint32_t f = fail[s];
        for (uint32_t k = 0; k < pf->out_len[f]; k++) {
            pf->outs = cnrs_xgrow(pf->outs, &outs_cap, pf->nouts + 1, sizeof *pf->outs);
            pf->outs[pf->nouts++] = pf->outs[pf->out_off[f] + k];
        }
        pf->out_len[s] = (uint32_t)(pf->nouts - pf->out_off[s]);
        uint32_t *row = delta + (size_t)s * W;
        const uint32_t *frow = delta + (size_t)f * W;
        for (size_t c = 0; c < K; c++) {
            uint32_t t = row[c];
            if (t) {
                fail[t] = frow[c];
                queue[qt++] = t;
            } else {
                row[c] = frow[c];
            }
        }
    }
    /* States are renumbered so that those with outputs come last: the scan
     * loop tests a transition into one with a single comparison against
     * pf->out_state. Entries are renumbered, then rows move to their new
     * places one cycle of the permutation at a time. */
    if ((n << shift) > UINT32_MAX / sizeof *delta) {
        /* An absurd automaton: every id becomes an "always" id instead. */
        for (size_t l = 0; l < pf->nlit; l++)
            pf->always[pf->lit[l].id >> 6] |= 1ull << (pf->lit[l].id & 63);
        free(delta);
    } else {
        delta = cnrs_xrealloc(delta, (n << shift) * sizeof *delta);
        uint32_t *pos = cnrs_xmalloc(n * sizeof *pos); /* old state -> new state */
        size_t quiet = 0, loud = 0;
        for (size_t st = 0; st < n; st++)
            quiet += pf->out_len[st] == 0;
        for (size_t st = 0; st < n; st++)
            pos[st] = (uint32_t)(pf->out_len[st] ? quiet + loud++ : st - loud);
        uint32_t *off2 = cnrs_xcalloc(n, sizeof *off2), *len2 = cnrs_xcalloc(n, sizeof *len2);
        for (size_t st = 0; st < n; st++) {
            uint32_t *row = delta + (st << shift);
            for (size_t c = 0; c < K; c++)
                row[c] = pos[row[c]];
            off2[pos[st]] = pf->out_off[st];
            len2[pos[st]] = pf->out_len[st];
        }
        uint32_t *carry = cnrs_xmalloc(W * sizeof *carry), *spare = cnrs_xmalloc(W * sizeof *spare);
        unsigned char *moved = cnrs_xcalloc(n, 1);
        for (size_t st = 0; st < n; st++) {
            if (moved[st] || pos[st] == st)
                continue;
            /* carry: the old row of `cur`, due at pos[cur] */
            memcpy(carry, delta + (st << shift), K * sizeof *carry);
            size_t cur = st;
            do {
                uint32_t *dst = delta + ((size_t)pos[cur] << shift);
                memcpy(spare, dst, K * sizeof *spare);
                memcpy(dst, carry, K * sizeof *dst);
                uint32_t *swap = carry;
                carry = spare;
                spare = swap;
                moved[cur] = 1;
                cur = pos[cur];
            } while (cur != st);
        }
        free(moved);
        free(carry);
        free(spare);
        free(pf->out_off);
        free(pf->out_len);
        pf->out_off = off2;
        pf->out_len = len2;
        pf->start = pos[0];
        pf->out_state = (uint32_t)quiet;
        free(pos);
        if (n <= (size_t)UINT16_MAX + 1) {
            /* Narrow in place: entry i moves from byte 4i to byte 2i, after
             * entries below i have moved (copies through unsigned char, so
             * the compiler sees the overlap). */
            unsigned char *b = (unsigned char *)delta;
            for (size_t i = 0; i < (n << shift); i++) {
                uint32_t v;
                memcpy(&v, b + 4 * i, 4);
                uint16_t h = (uint16_t)v;
                memcpy(b + 2 * i, &h, 2);
            }
            pf->delta16 = cnrs_xrealloc(delta, (n << shift) * sizeof *pf->delta16);
        } else {
            pf->delta32 = delta;
        }
    }
    pf->shift = shift;
    pf->nstates = n;
    free(own_head);
    free(own_next);
    free(fail);
    free(queue);
    if (pf->words == 0)
        S_need_id(pf, 0);
    pf->built = 1;
}

/* Mark the ids of state st, reached at offset end - 1. */
__attribute__((noinline)) static void S_outputs(const cnrs_prefilter *pf, size_t st, size_t end,
                                                uint64_t *bits, cnrs_prefilter_span *ends)
{
    const uint16_t *o = pf->outs + pf->out_off[st];
    const uint16_t *oe = o + pf->out_len[st];
    for (; o < oe; o++) {
        uint64_t m = 1ull << (*o & 63);
        if (!(bits[*o >> 6] & m)) {
            bits[*o >> 6] |= m;
            if (ends)
                ends[*o].first = (uint32_t)end;
        }
        if (ends)
            ends[*o].last = (uint32_t)end;
    }
}

void cnrs_prefilter_scan(const cnrs_prefilter *pf, const char *s, size_t n, uint64_t *bits)
{
    cnrs_prefilter_scan_at(pf, s, n, bits, NULL);
}

/* The scan loops, for 16- and 32-bit entries (T). One load from each table
 * per byte; a state with outputs is rare and handled out of line. */
#define S_STEP(st, t, i, bits, fe)                                                                \
    st = delta[(st << shift) + cls[(t)[i]]];                                                      \
    if (__builtin_expect(st >= out, 0))                                                           \
        S_outputs(pf, st, (i) + 1, bits, fe);

/* Steps over t[i..n) from state st; four steps per test of the end. */
#define S_SCAN_FN(name, T)                                                                        \
    static void name(const cnrs_prefilter *pf, const T *delta, const unsigned char *t, size_t i,  \
                     size_t n, size_t st, uint64_t *bits, cnrs_prefilter_span *fe)                           \
    {                                                                                             \
        const unsigned char *cls = pf->cls;                                                       \
        const unsigned shift = pf->shift;                                                         \
        const size_t out = pf->out_state;                                                         \
        for (; i + 4 <= n; i += 4) {                                                              \
            S_STEP(st, t, i, bits, fe)                                                            \
            S_STEP(st, t, i + 1, bits, fe)                                                        \
            S_STEP(st, t, i + 2, bits, fe)                                                        \
            S_STEP(st, t, i + 3, bits, fe)                                                        \
        }                                                                                         \
        for (; i < n; i++) {                                                                      \
            S_STEP(st, t, i, bits, fe)                                                            \
        }                                                                                         \
    }
S_SCAN_FN(S_scan16, uint16_t)
S_SCAN_FN(S_scan32, uint32_t)

/* Two texts in one loop: the two walks are independent, so the processor
 * overlaps their table loads (one walk waits on each load in turn). */
#define S_PAIR_FN(name, T, single)                                                                \
    static void name(const cnrs_prefilter *pf, const T *delta, const unsigned char *t1,           \
                     size_t n1, uint64_t *bits1, cnrs_prefilter_span *fe1, const unsigned char *t2,          \
                     size_t n2, uint64_t *bits2, cnrs_prefilter_span *fe2)                                   \
    {                                                                                             \
        const unsigned char *cls = pf->cls;                                                       \
        const unsigned shift = pf->shift;                                                         \
        const size_t out = pf->out_state;                                                         \
        size_t a = pf->start, b = pf->start, i = 0, m = n1 < n2 ? n1 : n2;                        \
        for (; i < m; i++) {                                                                      \
            S_STEP(a, t1, i, bits1, fe1)                                                          \
            S_STEP(b, t2, i, bits2, fe2)                                                          \
        }                                                                                         \
        single(pf, delta, t1, i, n1, a, bits1, fe1);                                              \
        single(pf, delta, t2, i, n2, b, bits2, fe2);                                              \
    }
S_PAIR_FN(S_pair16, uint16_t, S_scan16)
S_PAIR_FN(S_pair32, uint32_t, S_scan32)
#undef S_PAIR_FN
#undef S_SCAN_FN
#undef S_STEP

void cnrs_prefilter_scan_at(const cnrs_prefilter *pf, const char *s, size_t n, uint64_t *bits,
                            cnrs_prefilter_span *ends)
{
    memcpy(bits, pf->always, cnrs_prefilter_words(pf) * sizeof *bits);
    const unsigned char *t = (const unsigned char *)s;
    if (pf->delta16)
        S_scan16(pf, pf->delta16, t, 0, n, pf->start, bits, ends);
    else if (pf->delta32)
        S_scan32(pf, pf->delta32, t, 0, n, pf->start, bits, ends);
}

void cnrs_prefilter_scan_pair(const cnrs_prefilter *pf, const char *s1, size_t n1,
                              uint64_t *bits1, cnrs_prefilter_span *ends1, const char *s2,
                              size_t n2, uint64_t *bits2, cnrs_prefilter_span *ends2)
{
    size_t words = cnrs_prefilter_words(pf);
    memcpy(bits1, pf->always, words * sizeof *bits1);
    memcpy(bits2, pf->always, words * sizeof *bits2);
    const unsigned char *t1 = (const unsigned char *)s1, *t2 = (const unsigned char *)s2;
    if (pf->delta16)
        S_pair16(pf, pf->delta16, t1, n1, bits1, ends1, t2, n2, bits2, ends2);
    else if (pf->delta32)
        S_pair32(pf, pf->delta32, t1, n1, bits1, ends1, t2, n2, bits2, ends2);
}

void cnrs_prefilter_each_literal(const cnrs_prefilter *pf,
                                 void (*cb)(void *ctx, const char *lit, size_t len), void *ctx)
{
    for (size_t i = 0; i < pf->nlit; i++) {
        const char *a = pf->lits.data + pf->lit[i].off;
        size_t len = pf->lit[i].len;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = pf->lit[j].len == len && memcmp(pf->lits.data + pf->lit[j].off, a, len) == 0;
        if (!seen)
            cb(ctx, a, len);
    }
}

