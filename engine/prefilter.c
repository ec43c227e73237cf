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
} S_set;

static void S_set_free(S_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        cnrs_buf_free(&s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static void S_set_add(S_set *s, const char *p, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].len == len && memcmp(s->v[i].data, p, len) == 0)
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

/* Keep the two best of *best, *second and *cand (cand is consumed). Every
 * factor of a sequence is required, so both may be demanded together. */
static void S_keep_best(S_set *best, S_set *second, S_set *cand)
{
    long c = S_score(cand);
    if (c > S_score(best)) {
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
} S_parser;

enum { S_ATOM_LIT, S_ATOM_SET, S_ATOM_ANY, S_ATOM_ZERO, S_ATOM_END };

static S_set S_parse_alt(S_parser *P, S_set *second);

static unsigned char S_fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
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

/* Parse a quantifier at P->i; returns 1 and the minimum count when there is
 * one (and consumes it with any lazy/possessive suffix). */
static int S_quantifier(S_parser *P, long *min)
{
    if (P->i >= P->n)
        return 0;
    unsigned char c = P->p[P->i];
    size_t j = P->i;
    if (c == '?' || c == '*') {
        *min = 0;
        j++;
    } else if (c == '+') {
        *min = 1;
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
        if (k < P->n && P->p[k] == ',') {
            k++;
            int d2 = 0;
            while (k < P->n && P->p[k] >= '0' && P->p[k] <= '9') {
                k++;
                d2++;
            }
            if (!digits && !d2)
                return 0;
        } else if (!digits) {
            return 0;
        }
        if (k >= P->n || P->p[k] != '}')
            return 0; /* a literal '{' */
        *min = lo;
        j = k + 1;
    } else {
        return 0;
    }
    if (j < P->n && (P->p[j] == '?' || P->p[j] == '+'))
        j++;
    P->i = j;
    return 1;
}

/* One atom. Literal bytes (one character, case-folded) go to `lit`; a group's
 * requirement to *set. */
static int S_atom(S_parser *P, cnrs_buf *lit, S_set *set)
{
    const unsigned char *p = P->p;
    if (P->i >= P->n)
        return S_ATOM_END;
    unsigned char c = p[P->i];
    if (c == '|' || c == ')')
        return S_ATOM_END;
    P->i++;
    switch (c) {
    case '.': return S_ATOM_ANY;
    case '^':
    case '$': return S_ATOM_ZERO;
    case '[': {
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
        if (P->i < P->n)
            P->i++;
        return S_ATOM_ANY;
    }
    case '(': {
        int zero = 0, any = 0;
        if (P->i < P->n && p[P->i] == '*') { /* (*VERB) */
            while (P->i < P->n && p[P->i] != ')')
                P->i++;
            if (P->i < P->n)
                P->i++;
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
                    return S_ATOM_ZERO; /* inline flag setting */
                }
                if (k < P->n && p[k] == ':' && k > P->i) {
                    P->i = k + 1;
                } else {
                    while (P->i < P->n && p[P->i] != ')')
                        P->i++;
                    if (P->i < P->n)
                        P->i++;
                    return S_ATOM_ANY;
                }
            }
        }
        if (++P->depth > 200) {
            any = 1; /* absurd nesting: give up on this pattern, stay correct */
        }
        S_set inner = S_parse_alt(P, NULL);
        P->depth--;
        if (P->i < P->n && p[P->i] == ')')
            P->i++;
        if (zero || any) {
            S_set_free(&inner);
            return zero ? S_ATOM_ZERO : S_ATOM_ANY;
        }
        *set = inner;
        return S_ATOM_SET;
    }
    case '\\': {
        if (P->i >= P->n)
            return S_ATOM_ANY;
        unsigned char e = p[P->i++];
        switch (e) {
        case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K':
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
            else
                S_put_cp(lit, cp);
            return S_ATOM_LIT;
        }
        case 'Q': {
            /* \Q...\E: a literal run; only its last character could take a
             * quantifier, so the run is returned as one literal "character"
             * only when it is one character long. */
            size_t start = lit->len;
            while (P->i < P->n && !(p[P->i] == '\\' && P->i + 1 < P->n && p[P->i + 1] == 'E'))
                cnrs_buf_putc(lit, (char)S_fold(p[P->i++]));
            if (P->i < P->n)
                P->i += 2;
            return lit->len > start ? S_ATOM_LIT : S_ATOM_ZERO;
        }
        case 'E': return S_ATOM_ZERO;
        case 'p': case 'P': case 'g': case 'k': case 'o': case 'N':
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
            if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))
                return S_ATOM_ANY; /* classes \d \w \s ..., backreferences */
            cnrs_buf_putc(lit, (char)S_fold(e));
            return S_ATOM_LIT;
        }
    }
    default:
        if (c < 0x80) {
            cnrs_buf_putc(lit, (char)S_fold(c));
        } else {
            /* One UTF-8 character: its lead byte and continuation bytes. */
            cnrs_buf_putc(lit, (char)c);
            while (P->i < P->n && (p[P->i] & 0xC0) == 0x80)
                cnrs_buf_putc(lit, (char)p[P->i++]);
        }
        return S_ATOM_LIT;
    }
}

/* The best required literal set of a sequence; the second best (a different
 * factor, also required) into *second_out when it is not NULL. */
static S_set S_parse_seq(S_parser *P, S_set *second_out)
{
    S_set best = {0}, second = {0};
    best.any = 1;
    second.any = 1;
    cnrs_buf run = CNRS_BUF_INIT, lit = CNRS_BUF_INIT;
    for (;;) {
        S_set group = {0};
        cnrs_buf_reset(&lit);
        int kind = S_atom(P, &lit, &group);
        if (kind == S_ATOM_END)
            break;
        long min = 1;
        int quant = S_quantifier(P, &min);
        if (kind == S_ATOM_ZERO)
            continue; /* zero-width, quantified or not: requires nothing */
        if (kind == S_ATOM_LIT && (!quant || min >= 1)) {
            cnrs_buf_append(&run, lit.data, lit.len);
            if (!quant)
                continue;
        }
        /* Anything but a plain literal ends the current run. */
        if (run.len) {
            S_set cand = {0};
            S_set_add(&cand, run.data, run.len);
            S_keep_best(&best, &second, &cand);
            cnrs_buf_reset(&run);
        }
        if (kind == S_ATOM_SET) {
            if (min >= 1)
                S_keep_best(&best, &second, &group);
            else
                S_set_free(&group);
        }
    }
    if (run.len) {
        S_set cand = {0};
        S_set_add(&cand, run.data, run.len);
        S_keep_best(&best, &second, &cand);
    }
    cnrs_buf_free(&run);
    cnrs_buf_free(&lit);
    if (second_out && !second.any && second.n > 0)
        *second_out = second;
    else
        S_set_free(&second);
    return best;
}

static S_set S_parse_alt(S_parser *P, S_set *second)
{
    S_set all = {0};
    for (int nseq = 0;; nseq++) {
        S_set sec = {0};
        S_set seq = S_parse_seq(P, second ? &sec : NULL);
        if (second && nseq == 0)
            *second = sec; /* only meaningful if this stays the only branch */
        else
            S_set_free(&sec);
        if (seq.any || seq.n == 0)
            all.any = 1;
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
    if (all.any) {
        S_set_free(&all);
        if (second)
            S_set_free(second);
    }
    return all;
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
    S_parser P = {(const unsigned char *)pat, 0, strlen(pat), 0};
    S_set sec = {0};
    S_set s = S_parse_alt(&P, &sec);
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

#define S_OUT_FLAG 0x80000000u

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
    /* automaton */
    unsigned char cls[256];
    unsigned ncls;
    uint32_t *delta; /* nstates x ncls; S_OUT_FLAG marks targets with outputs */
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
    free(pf->delta);
    free(pf->out_off);
    free(pf->out_len);
    free(pf->outs);
    free(pf->second);
    free(pf->uses);
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
    S_set sec;
    S_set s = S_required(pat, &sec);
    if (s.any || s.n == 0) {
        pf->always[id >> 6] |= 1ull << (id & 63);
        S_set_free(&s);
        S_set_free(&sec);
        return 0;
    }
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

size_t cnrs_prefilter_words(const cnrs_prefilter *pf)
{
    return pf->words ? pf->words : 1;
}

const uint32_t *cnrs_prefilter_seconds(const cnrs_prefilter *pf)
{
    return pf->second;
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

    /* Byte classes: each byte used by a literal gets its own class (upper
     * case shares its lower-case letter's class); every other byte is 0. */
    memset(pf->cls, 0, sizeof pf->cls);
    pf->ncls = 1;
    for (size_t i = 0; i < pf->lits.len; i++) {
        unsigned char b = (unsigned char)pf->lits.data[i];
        if (!pf->cls[b])
            pf->cls[b] = (unsigned char)pf->ncls++;
    }
    for (int c = 'A'; c <= 'Z'; c++)
        pf->cls[c] = pf->cls[c + 32];
    size_t K = pf->ncls;

    /* Trie. */
    size_t cap = pf->lits.len + 1, n = 1;
    uint32_t *next = cnrs_xcalloc(cap * K, sizeof *next); /* 0 = none (root is never a child) */
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
            if (!next[s * K + c])
                next[s * K + c] = (uint32_t)n++;
            s = next[s * K + c];
        }
        own_next[l] = own_head[s];
        own_head[s] = (uint32_t)l;
    }

    /* BFS: failure links, complete transitions, output sets. */
    uint32_t *fail = cnrs_xcalloc(n, sizeof *fail);
    uint32_t *queue = cnrs_xmalloc(n * sizeof *queue);
    size_t qh = 0, qt = 0;
    pf->delta = cnrs_xcalloc(n * K, sizeof *pf->delta);
    pf->out_off = cnrs_xcalloc(n, sizeof *pf->out_off);
    pf->out_len = cnrs_xcalloc(n, sizeof *pf->out_len);
    size_t outs_cap = 0;
    pf->outs = NULL;
    pf->nouts = 0;
    for (size_t c = 0; c < K; c++) {
        uint32_t t = next[c];
        pf->delta[c] = t;
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
        for (size_t c = 0; c < K; c++) {
            uint32_t t = next[(size_t)s * K + c];
            if (t) {
                fail[t] = pf->delta[(size_t)f * K + c] & ~S_OUT_FLAG;
                pf->delta[(size_t)s * K + c] = t;
                queue[qt++] = t;
            } else {
                pf->delta[(size_t)s * K + c] = pf->delta[(size_t)f * K + c] & ~S_OUT_FLAG;
            }
        }
    }
    /* Flag transitions into states with outputs so the scan loop tests one bit. */
    for (size_t i = 0; i < n * K; i++)
        if (pf->out_len[pf->delta[i]])
            pf->delta[i] |= S_OUT_FLAG;
    pf->nstates = n;
    free(next);
    free(own_head);
    free(own_next);
    free(fail);
    free(queue);
    if (pf->words == 0)
        S_need_id(pf, 0);
    pf->built = 1;
}

void cnrs_prefilter_scan(const cnrs_prefilter *pf, const char *s, size_t n, uint64_t *bits)
{
    size_t words = cnrs_prefilter_words(pf);
    memcpy(bits, pf->always, words * sizeof *bits);
    if (!pf->delta)
        return;
    const unsigned char *t = (const unsigned char *)s;
    const uint32_t *delta = pf->delta;
    const unsigned char *cls = pf->cls;
    size_t K = pf->ncls;
    uint32_t st = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t x = delta[(size_t)st * K + cls[t[i]]];
        st = x & ~S_OUT_FLAG;
        if (x & S_OUT_FLAG) {
            const uint16_t *o = pf->outs + pf->out_off[st];
            for (uint32_t k = 0; k < pf->out_len[st]; k++)
                bits[o[k] >> 6] |= 1ull << (o[k] & 63);
        }
    }
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
