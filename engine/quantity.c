/* quantity.c - the grammar of numbers, units from a table (see quantity.h). */
#include "quantity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- the unit table ---------------------------------------------------------- */

#define S_FORM_MAX 48

typedef struct S_form {
    char s[S_FORM_MAX];
    size_t len;
    int dim;
    double factor;
    int exact, before, marker;
    char currency[4];
} S_form;

typedef struct S_dim {
    char *id, *canonical;
    char *mass_id; /* resolved lazily: dimensions may be added in any order */
} S_dim;

/* Forms by their first character (S_key: an ASCII byte folded to lower
 * case, or a 3-byte character hashed), so a position is tried against the
 * few forms that can start there. */
#define S_NKEYS (256 + 509)
static inline size_t S_key(const char *s, size_t n, size_t i);
typedef struct S_bucket {
    uint16_t *v;
    size_t n, cap;
} S_bucket;

struct cnrs_qtable {
    S_dim dims[CNRS_QUNIT_MAXDIMS];
    size_t ndims;
    S_form *forms;
    size_t nforms, cap;
    S_bucket first[S_NKEYS];
    S_bucket before; /* forms printed before their number */
    unsigned char before_last[256]; /* last bytes (folded) of those forms */
    unsigned char mult_key[S_NKEYS]; /* keys that can start a multiplier */
    uint32_t key_dims[S_NKEYS]; /* per key, the dimensions of the unit forms starting there */
    /* the same by the first two bytes of a 3-byte character (lead & 15, second & 63), bit
     * 32 for a multiplier: cheaper than S_key's hash for every Han character */
    uint64_t pair_dims[16 * 64];
    uint32_t before_dims;       /* the dimensions of the `before` forms */
    uint64_t qual_last[256];    /* per last byte (folded), the S_before qualifiers ending in it */
    int mass[CNRS_QUNIT_MAXDIMS]; /* per dimension, its mass dimension's index or -1 */
    int pct;                      /* the "percent" dimension, or -1 */
};

static void S_mult_keys(cnrs_qtable *t);
static void S_qual_keys(cnrs_qtable *t);

/* Mark in pair_dims the first two bytes of form, when it starts with a
 * 3-byte character. */
static void S_pair_mark(cnrs_qtable *t, const char *form, size_t len, uint64_t bits)
{
    const unsigned char *u = (const unsigned char *)form;
    if (len >= 3 && u[0] >= 0xE0 && u[0] < 0xF0)
        t->pair_dims[((u[0] & 15) << 6) | (u[1] & 63)] |= bits;
}

static unsigned char S_fold_byte(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

cnrs_qtable *cnrs_qtable_new(void)
{
    cnrs_qtable *t = cnrs_xcalloc(1, sizeof(cnrs_qtable));
    S_mult_keys(t);
    S_qual_keys(t);
    t->pct = -1;
    return t;
}

void cnrs_qtable_free(cnrs_qtable *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ndims; i++) {
        free(t->dims[i].id);
        free(t->dims[i].canonical);
        free(t->dims[i].mass_id);
    }
    free(t->forms);
    for (size_t b = 0; b < S_NKEYS; b++)
        free(t->first[b].v);
    free(t->before.v);
    free(t);
}

int cnrs_qtable_dim(const cnrs_qtable *t, const char *id)
{
    for (size_t i = 0; id && i < t->ndims; i++)
        if (strcmp(t->dims[i].id, id) == 0)
            return (int)i;
    return -1;
}

int cnrs_qtable_add_dim(cnrs_qtable *t, const char *id, const char *canonical, const char *mass)
{
    if (!id || !*id || t->ndims >= CNRS_QUNIT_MAXDIMS || cnrs_qtable_dim(t, id) >= 0)
        return -1;
    S_dim *d = &t->dims[t->ndims];
    d->id = cnrs_xstrdup(id);
    d->canonical = cnrs_xstrdup(canonical ? canonical : "");
    d->mass_id = mass && *mass ? cnrs_xstrdup(mass) : NULL;
    int k = (int)t->ndims++;
    /* indices resolved once per added dimension (dimensions come in any
     * order), so the scanner compares ints instead of ids */
    for (size_t i = 0; i < t->ndims; i++)
        t->mass[i] = cnrs_qtable_dim(t, t->dims[i].mass_id);
    t->pct = cnrs_qtable_dim(t, "percent");
    return k;
}

const char *cnrs_qtable_dim_id(const cnrs_qtable *t, int d)
{
    return d >= 0 && (size_t)d < t->ndims ? t->dims[d].id : "";
}

const char *cnrs_qtable_dim_canonical(const cnrs_qtable *t, int d)
{
    return d >= 0 && (size_t)d < t->ndims ? t->dims[d].canonical : "";
}

size_t cnrs_qtable_ndims(const cnrs_qtable *t)
{
    return t->ndims;
}

size_t cnrs_qtable_nforms(const cnrs_qtable *t)
{
    return t->nforms;
}

static int S_add(cnrs_qtable *t, int d, const char *form, double factor, int exact,
                 const char *currency, int before, int marker)
{
    size_t len = form ? strlen(form) : 0;
    if (d < 0 || (size_t)d >= t->ndims || len == 0 || len >= S_FORM_MAX || !(factor > 0) ||
        t->nforms >= UINT16_MAX)
        return -1;
    S_bucket *bk = before ? &t->before : &t->first[S_key(form, len, 0)];
    if (before) {
        t->before_last[S_fold_byte((unsigned char)form[len - 1])] = 1;
        t->before_dims |= 1u << d;
    }
    else if (!marker) {
        t->key_dims[S_key(form, len, 0)] |= 1u << d;
        S_pair_mark(t, form, len, 1u << d);
    }
    bk->v = cnrs_xgrow(bk->v, &bk->cap, bk->n + 1, sizeof *bk->v);
    bk->v[bk->n++] = (uint16_t)t->nforms;
    t->forms = cnrs_xgrow(t->forms, &t->cap, t->nforms + 1, sizeof *t->forms);
    S_form *f = &t->forms[t->nforms++];
    memset(f, 0, sizeof *f);
    memcpy(f->s, form, len);
    f->len = len;
    f->dim = d;
    f->factor = factor;
    f->exact = exact;
    f->before = before;
    f->marker = marker;
    if (currency)
        snprintf(f->currency, sizeof f->currency, "%s", currency);
    return 0;
}

int cnrs_qtable_add_form(cnrs_qtable *t, int d, const char *form, double factor, int exact,
                         const char *currency, int before)
{
    return S_add(t, d, form, factor, exact, currency, before, 0);
}

int cnrs_qtable_add_marker(cnrs_qtable *t, int d, const char *marker)
{
    return S_add(t, d, marker, 1, 0, NULL, 0, 1);
}

/* The bucket of the character at s[i] (see S_NKEYS). Inline: the label
 * search asks it for every character. */
static inline size_t S_key(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s + i;
    if (u[0] < 0x80)
        return u[0] >= 'A' && u[0] <= 'Z' ? (size_t)(u[0] | 0x20) : u[0];
    if (u[0] >= 0xE0 && u[0] < 0xF0 && i + 2 < n) {
        uint32_t cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) |
                      (u[2] & 0x3F);
        return 256 + cp % 509;
    }
    return u[0];
}

const char *cnrs_approx_name(cnrs_approx a)
{
    static const char *const names[] = {"exact", "approx", "min", "max"};
    return a <= CNRS_APPROX_MAX ? names[a] : "exact";
}

/* ---- characters --------------------------------------------------------------- */

static int S_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static unsigned char S_fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static int S_alnum(unsigned char c)
{
    return S_alpha(c) || (c >= '0' && c <= '9');
}

/* The decimal digit at s[i] (ASCII or full-width ０-９): its value, and its
 * length in *len; -1 when there is none. */
static int S_digit(const char *s, size_t n, size_t i, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i < n && u[i] >= '0' && u[i] <= '9') {
        *len = 1;
        return u[i] - '0';
    }
    if (i + 2 < n && u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] >= 0x90 && u[i + 2] <= 0x99) {
        *len = 3;
        return u[i + 2] - 0x90;
    }
    return -1;
}

/* Whether s[i..] starts with the literal lit (ASCII letters folded when
 * `fold`). */
static int S_at(const char *s, size_t n, size_t i, const char *lit, size_t len, int fold)
{
    if (i + len > n)
        return 0;
    if (!fold)
        return memcmp(s + i, lit, len) == 0;
    for (size_t k = 0; k < len; k++) {
        unsigned char a = (unsigned char)s[i + k], b = (unsigned char)lit[k];
        if (a != b && !(S_alpha(a) && S_alpha(b) && (a | 0x20) == (b | 0x20)))
            return 0;
    }
    return 1;
}

#define S_LIT(s, n, i, lit) S_at(s, n, i, lit, sizeof(lit) - 1, 1)

/* Whether a Latin word may end after byte e-1: a form ending in a letter or
 * digit must not run on into another letter. */
static int S_word_end(const char *s, size_t n, size_t e)
{
    return e >= n || !S_alpha((unsigned char)s[e]) || !S_alnum((unsigned char)s[e - 1]);
}

static size_t S_spaces(const char *s, size_t n, size_t i, size_t max)
{
    size_t k = 0;
    while (i < n && k < max && s[i] == ' ') {
        i++;
        k++;
    }
    return i;
}

/* ---- units ---------------------------------------------------------------------- */

/* The longest form (markers excluded; `before` forms only when `before`) of
 * dimension `only` (or any when -1) at s[i..], word-bounded unless a marker
 * attaches to it. Returns the form index or -1; *end is set. */
static long S_form_at(const cnrs_qtable *t, const char *s, size_t n, size_t i, int before,
                      int only, size_t *end)
{
    long best = -1;
    size_t blen = 0;
    if (i >= n)
        return -1;
    const S_bucket *bk = &t->first[S_key(s, n, i)];
    for (size_t j = 0; j < bk->n; j++) {
        size_t k = bk->v[j];
        const S_form *f = &t->forms[k];
        if (f->marker || f->before != before || f->len < blen || (only >= 0 && f->dim != only))
            continue;
        if (!S_at(s, n, i, f->s, f->len, !f->exact))
            continue;
        /* of two forms as long, the one that matches case exactly wins (Mt, mt) */
        if (f->len == blen && (best < 0 || !f->exact || t->forms[best].exact))
            continue;
        best = (long)k;
        blen = f->len;
    }
    if (best >= 0)
        *end = i + blen;
    return best;
}

/* A marker of dimension d at s[i..] (after optional spaces, "of" and "-"):
 * its end, or 0. */
static size_t S_marker_at(const cnrs_qtable *t, int d, const char *s, size_t n, size_t i)
{
    i = S_spaces(s, n, i, 2);
    if (S_LIT(s, n, i, "of "))
        i = S_spaces(s, n, i + 3, 2);
    if (i < n && s[i] == '-')
        i++;
    size_t best = 0;
    if (i >= n)
        return 0;
    const S_bucket *bk = &t->first[S_key(s, n, i)];
    for (size_t j = 0; j < bk->n; j++) {
        const S_form *f = &t->forms[bk->v[j]];
        if (!f->marker || f->dim != d || !S_at(s, n, i, f->s, f->len, 1))
            continue;
        if (i + f->len > best && S_word_end(s, n, i + f->len))
            best = i + f->len;
    }
    return best;
}

typedef struct S_unit {
    int dim;
    double factor;
    size_t start, end;
    const char *currency;
} S_unit;

/* The unit at s[i..]: a form, upgraded to a marker dimension when one of
 * that dimension's markers follows a form of its mass dimension. */
static int S_unit_at(const cnrs_qtable *t, const char *s, size_t n, size_t i, S_unit *u)
{
    size_t end;
    long k = S_form_at(t, s, n, i, 0, -1, &end);
    if (k < 0)
        return 0;
    const S_form *f = &t->forms[k];
    for (size_t d = 0; d < t->ndims; d++) {
        if (t->mass[d] != f->dim)
            continue;
        size_t me = S_marker_at(t, (int)d, s, n, end);
        if (me) {
            *u = (S_unit){(int)d, f->factor, i, me, ""};
            return 1;
        }
    }
    if (!S_word_end(s, n, end))
        return 0;
    *u = (S_unit){f->dim, f->factor, i, end, f->currency};
    return 1;
}

/* ---- numbers -------------------------------------------------------------------- */

typedef struct S_mult {
    const char *w;
    double f;
    int word;  /* Latin: must end at a word boundary */
    int alone; /* a single letter: only before a unit or after a currency (k also
                * glued to its digits: 1.5k) */
    int exact;
} S_mult;

static const S_mult S_mults[] = {
    {"万亿", 1e12, 0, 0, 0},     {"千万", 1e7, 0, 0, 0},      {"百万", 1e6, 0, 0, 0},
    {"十万", 1e5, 0, 0, 0},      {"萬億", 1e12, 0, 0, 0},     {"百萬", 1e6, 0, 0, 0},
    {"千萬", 1e7, 0, 0, 0},      {"十萬", 1e5, 0, 0, 0},      {"万", 1e4, 0, 0, 0},
    {"萬", 1e4, 0, 0, 0},        {"亿", 1e8, 0, 0, 0},        {"億", 1e8, 0, 0, 0},
    {"千", 1e3, 0, 0, 0},        {"thousand", 1e3, 1, 0, 0},  {"million", 1e6, 1, 0, 0},
    {"billion", 1e9, 1, 0, 0},   {"trillion", 1e12, 1, 0, 0}, {"mln", 1e6, 1, 0, 0},
    {"mn", 1e6, 1, 0, 0},        {"bn", 1e9, 1, 0, 0},        {"MM", 1e6, 1, 1, 1},
    {"k", 1e3, 1, 1, 0},         {"m", 1e6, 1, 1, 0},         {"b", 1e9, 1, 1, 1},
};

/* Whether the character at s[i] can start multiplier m: its first byte
 * (folded), and for a Han multiplier its whole first character. */
static int S_mult_starts(const S_mult *m, const char *s, size_t n, size_t i)
{
    if (S_fold((unsigned char)s[i]) != S_fold((unsigned char)m->w[0]))
        return 0;
    return (unsigned char)m->w[0] < 0x80 || (i + 3 <= n && memcmp(s + i, m->w, 3) == 0);
}

static void S_mult_keys(cnrs_qtable *t)
{
    for (size_t k = 0; k < sizeof S_mults / sizeof *S_mults; k++) {
        const char *w = S_mults[k].w;
        t->mult_key[S_key(w, strlen(w), 0)] = 1;
        S_pair_mark(t, w, strlen(w), (uint64_t)1 << 32);
        if (w[0] >= 'a' && w[0] <= 'z') /* keys fold case; "MM" and "b" match exactly later */
            t->mult_key[(unsigned char)w[0]] = 1;
    }
}

/* Whether a multiplier can start at s[i] (a cheap first test). */
static int S_mult_first(const cnrs_qtable *t, const char *s, size_t n, size_t i)
{
    return t->mult_key[S_key(s, n, i)];
}

/* A multiplier at s[i..]: its factor, *end set; 0 when none. Single letters
 * count only when a unit follows or `money` (RMB 3.2 m). */
static double S_mult_at(const cnrs_qtable *t, const char *s, size_t n, size_t i, int money,
                        size_t *end)
{
    if (i >= n || !S_mult_first(t, s, n, i)) /* most positions: no table walk */
        return 0;
    for (size_t k = 0; k < sizeof S_mults / sizeof *S_mults; k++) {
        const S_mult *m = &S_mults[k];
        if (!S_mult_starts(m, s, n, i))
            continue;
        size_t len = strlen(m->w);
        if (!S_at(s, n, i, m->w, len, !m->exact))
            continue;
        if (m->word && !S_word_end(s, n, i + len))
            continue;
        if (m->alone && !money && !(m->w[0] == 'k' && i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')) {
            S_unit u;
            if (!S_unit_at(t, s, n, S_spaces(s, n, i + len, 1), &u))
                continue;
        }
        *end = i + len;
        return m->f;
    }
    return 0;
}

/* A number of digits at s[i..]: thousands separators (, ， and thin or
 * no-break spaces before exactly three digits) and one decimal point (. ．).
 * Returns its end, or i when none; *v, *digits (integer digits), *plain (no
 * separator and no decimal). */
static size_t S_digits(const char *s, size_t n, size_t i, double *v, size_t *digits, int *plain)
{
    char buf[64];
    size_t b = 0, len, j = i, nd = 0, nfrac = 0;
    uint64_t mant = 0;
    int sep = 0, dec = 0;
    while (j < n) {
        int d = S_digit(s, n, j, &len);
        if (d >= 0) {
            if (b < sizeof buf - 2) {
                buf[b++] = (char)('0' + d);
                mant = mant * 10 + (uint64_t)d;
                nfrac += (size_t)dec;
            }
            if (!dec)
                nd++;
            j += len;
            continue;
        }
        if (nd == 0 || dec)
            break;
        /* separator + exactly three digits + no fourth */
        size_t sl = 0;
        const unsigned char *u = (const unsigned char *)s + j;
        if (s[j] == ',')
            sl = 1;
        else if (j + 2 < n && u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8C)
            sl = 3; /* ， */
        else if (j + 2 < n && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x89 || u[2] == 0xAF))
            sl = 3; /* thin spaces */
        else if (j + 1 < n && u[0] == 0xC2 && u[1] == 0xA0)
            sl = 2;
        if (sl) {
            size_t k = j + sl, cnt = 0, l2;
            while (cnt < 4 && S_digit(s, n, k, &l2) >= 0) {
                k += l2;
                cnt++;
            }
            if (cnt == 3 && (sep || nd <= 3)) {
                sep = 1;
                j += sl;
                continue;
            }
            break;
        }
        size_t dl = 0;
        if (s[j] == '.')
            dl = 1;
        else if (j + 2 < n && u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8E)
            dl = 3; /* ． */
        if (dl && S_digit(s, n, j + dl, &len) >= 0) {
            dec = 1;
            if (b < sizeof buf - 2)
                buf[b++] = '.';
            j += dl;
            continue;
        }
        break;
    }
    buf[b] = 0;
    /* Up to 15 digits the mantissa and the power of ten are exact doubles,
     * so one division rounds as strtod does (Clinger's fast path); most
     * numbers in reports take it and skip strtod. */
    static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    size_t ndig = b - (size_t)(dec && b > 0);
    if (b == 0)
        *v = 0;
    else if (ndig <= 15)
        *v = (double)mant / p10[nfrac];
    else
        *v = strtod(buf, NULL);
    *digits = nd;
    *plain = !sep && !dec;
    return j;
}

/* Chinese numerals: 零〇 一 二两 三 ... 九, 十 百 千 万 亿, 点. */
static int S_han_digit(const char *s, size_t n, size_t i, size_t *len)
{
    static const char *const d[] = {"零", "〇", "一", "二", "两", "三", "四", "五",
                                    "六", "七", "八", "九", "兩"};
    static const int v[] = {0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 2};
    for (size_t k = 0; k < sizeof d / sizeof *d; k++)
        if (S_at(s, n, i, d[k], 3, 0)) {
            *len = 3;
            return v[k];
        }
    return -1;
}

static double S_han_unit(const char *s, size_t n, size_t i)
{
    if (S_at(s, n, i, "十", 3, 0))
        return 10;
    if (S_at(s, n, i, "百", 3, 0))
        return 100;
    if (S_at(s, n, i, "千", 3, 0))
        return 1000;
    if (S_at(s, n, i, "万", 3, 0) || S_at(s, n, i, "萬", 3, 0))
        return 1e4;
    if (S_at(s, n, i, "亿", 3, 0) || S_at(s, n, i, "億", 3, 0))
        return 1e8;
    return 0;
}

/* A Chinese numeral at s[i..]: its end (i when none), value, and whether it
 * holds a positional character or a decimal point. Stops before a digit that
 * follows a digit once a positional character was seen (十四五 is 十四), and
 * before a positional character that starts a unit (两万千瓦时: 千瓦时). */
static size_t S_han_number(const cnrs_qtable *t, const char *s, size_t n, size_t i, double *v,
                           int *positional)
{
    double total = 0, section = 0, cur = 0, frac = 0, scale = 0.1;
    int prev_digit = 0, pos = 0, dec = 0, any = 0;
    size_t j = i, len, ue;
    while (j < n) {
        int d = S_han_digit(s, n, j, &len);
        if (d >= 0) {
            if (dec) {
                frac += d * scale;
                scale /= 10;
            } else if (prev_digit) {
                if (pos)
                    break;
                cur = cur * 10 + d; /* 二〇二二 */
            } else {
                cur = d;
            }
            /* 一百零五: after 零 the next digit starts afresh */
            prev_digit = !(d == 0 && pos);
            any = 1;
            j += len;
            continue;
        }
        double u = dec ? 0 : S_han_unit(s, n, j);
        if (u && any && S_form_at(t, s, n, j, 0, -1, &ue) >= 0)
            break;
        if (u == 10 || u == 100 || u == 1000) {
            if (!any && u != 10)
                break; /* 百 千 do not start a number */
            section += (cur == 0 && u == 10 ? 1 : cur) * u;
            cur = 0;
        } else if (u == 1e4) {
            if (!any)
                break;
            total += (section + cur) * 1e4;
            section = cur = 0;
        } else if (u == 1e8) {
            if (!any)
                break;
            total = (total + section + cur) * 1e8;
            section = cur = 0;
        } else if (!dec && any && S_at(s, n, j, "点", 3, 0) && S_han_digit(s, n, j + 3, &len) >= 0) {
            dec = 1;
            pos = 1;
            j += 3;
            continue;
        } else {
            break;
        }
        pos = 1;
        any = 1;
        prev_digit = 0;
        j += 3;
    }
    *v = total + section + cur + frac;
    *positional = pos;
    return any ? j : i;
}

/* The code point of the 3-byte UTF-8 sequence at s[i]. */
static uint32_t S_cp3(const char *s, size_t i)
{
    const unsigned char *u = (const unsigned char *)s + i;
    return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
}

/* Whether code point cp can start a number: a Chinese digit, 十 百 千 万 亿
 * (a bare multiplier after 近, 逾 ...), or 百 of 百分之. Every Han character
 * of a scanned sentence goes through it, so it is one load: the 19 code
 * points fall in distinct slots of (cp >> 1) & 63 (a clash would be an
 * overridden initializer, which -Wextra reports). */
#define S_NSLOT(cp) [((cp) >> 1) & 63] = (cp)
static const uint16_t S_numeral_slots[64] = {
    S_NSLOT(0x96F6), /* 零 */ S_NSLOT(0x4E00), /* 一 */ S_NSLOT(0x4E8C), /* 二 */
    S_NSLOT(0x4E24), /* 两 */ S_NSLOT(0x5169), /* 兩 */ S_NSLOT(0x4E09), /* 三 */
    S_NSLOT(0x56DB), /* 四 */ S_NSLOT(0x4E94), /* 五 */ S_NSLOT(0x516D), /* 六 */
    S_NSLOT(0x4E03), /* 七 */ S_NSLOT(0x516B), /* 八 */ S_NSLOT(0x4E5D), /* 九 */
    S_NSLOT(0x5341), /* 十 */ S_NSLOT(0x767E), /* 百 */ S_NSLOT(0x5343), /* 千 */
    S_NSLOT(0x4E07), /* 万 */ S_NSLOT(0x842C), /* 萬 */ S_NSLOT(0x4EBF), /* 亿 */
    S_NSLOT(0x5104), /* 億 */
};

static int S_numeral_cp(uint32_t cp)
{
    return S_numeral_slots[(cp >> 1) & 63] == cp;
}

/* A cheaper first test on the first two bytes: per lead byte E4-E9, the
 * second bytes (low 6 bits) of the numerals above. Few Han characters share
 * them, so most are passed over without decoding. */
#define S_PBIT(cp, w)                                                                          \
    ((((cp) >> 12) - 4u == (w)) ? (uint64_t)1 << (((cp) >> 6) & 63) : 0)
#define S_PWORD(w)                                                                             \
    (S_PBIT(0x96F6, w) | S_PBIT(0x4E00, w) | S_PBIT(0x4E8C, w) | S_PBIT(0x4E24, w) |            \
     S_PBIT(0x5169, w) | S_PBIT(0x4E09, w) | S_PBIT(0x56DB, w) | S_PBIT(0x4E94, w) |            \
     S_PBIT(0x516D, w) | S_PBIT(0x4E03, w) | S_PBIT(0x516B, w) | S_PBIT(0x4E5D, w) |            \
     S_PBIT(0x5341, w) | S_PBIT(0x767E, w) | S_PBIT(0x5343, w) | S_PBIT(0x4E07, w) |            \
     S_PBIT(0x842C, w) | S_PBIT(0x4EBF, w) | S_PBIT(0x5104, w))
static const uint64_t S_numeral_pairs[6] = {S_PWORD(0), S_PWORD(1), S_PWORD(2),
                                            S_PWORD(3), S_PWORD(4), S_PWORD(5)};

/* Whether the 3-byte character at s[i] (lead byte E4-E9) is a numeral. */
static int S_numeral_at(const char *s, size_t i)
{
    const unsigned char *u = (const unsigned char *)s + i;
    return ((S_numeral_pairs[u[0] - 0xE4] >> (u[1] & 63)) & 1) && S_numeral_cp(S_cp3(s, i));
}

/* ---- qualifiers ------------------------------------------------------------------ */

typedef struct S_qual {
    const char *w;
    size_t len;
    cnrs_approx a;
} S_qual;

/* Before a number; the longest that ends where the number starts wins. */
static const S_qual S_before[] = {
    {"近似为", sizeof "近似为" - 1, CNRS_APPROX_ABOUT},
    {"近似", sizeof "近似" - 1, CNRS_APPROX_ABOUT},
    {"约为", sizeof "约为" - 1, CNRS_APPROX_ABOUT},
    {"大约", sizeof "大约" - 1, CNRS_APPROX_ABOUT},
    {"约", sizeof "约" - 1, CNRS_APPROX_ABOUT},
    {"約", sizeof "約" - 1, CNRS_APPROX_ABOUT},
    {"接近", sizeof "接近" - 1, CNRS_APPROX_MAX},
    {"将近", sizeof "将近" - 1, CNRS_APPROX_MAX},
    {"將近", sizeof "將近" - 1, CNRS_APPROX_MAX},
    {"近", sizeof "近" - 1, CNRS_APPROX_MAX},
    {"不足", sizeof "不足" - 1, CNRS_APPROX_MAX},
    {"不到", sizeof "不到" - 1, CNRS_APPROX_MAX},
    {"不超过", sizeof "不超过" - 1, CNRS_APPROX_MAX},
    {"不超過", sizeof "不超過" - 1, CNRS_APPROX_MAX},
    {"少于", sizeof "少于" - 1, CNRS_APPROX_MAX},
    {"低于", sizeof "低于" - 1, CNRS_APPROX_MAX},
    {"超过", sizeof "超过" - 1, CNRS_APPROX_MIN},
    {"超過", sizeof "超過" - 1, CNRS_APPROX_MIN},
    {"逾", sizeof "逾" - 1, CNRS_APPROX_MIN},
    {"超", sizeof "超" - 1, CNRS_APPROX_MIN},
    {"不少于", sizeof "不少于" - 1, CNRS_APPROX_MIN},
    {"不低于", sizeof "不低于" - 1, CNRS_APPROX_MIN},
    {"至少", sizeof "至少" - 1, CNRS_APPROX_MIN},
    {"多于", sizeof "多于" - 1, CNRS_APPROX_MIN},
    {"高于", sizeof "高于" - 1, CNRS_APPROX_MIN},
    {"approximately", sizeof "approximately" - 1, CNRS_APPROX_ABOUT},
    {"approx.", sizeof "approx." - 1, CNRS_APPROX_ABOUT},
    {"approx", sizeof "approx" - 1, CNRS_APPROX_ABOUT},
    {"about", sizeof "about" - 1, CNRS_APPROX_ABOUT},
    {"around", sizeof "around" - 1, CNRS_APPROX_ABOUT},
    {"roughly", sizeof "roughly" - 1, CNRS_APPROX_ABOUT},
    {"circa", sizeof "circa" - 1, CNRS_APPROX_ABOUT},
    {"c.", sizeof "c." - 1, CNRS_APPROX_ABOUT},
    {"some", sizeof "some" - 1, CNRS_APPROX_ABOUT},
    {"close to", sizeof "close to" - 1, CNRS_APPROX_ABOUT},
    {"~", sizeof "~" - 1, CNRS_APPROX_ABOUT},
    {"～", sizeof "～" - 1, CNRS_APPROX_ABOUT},
    {"nearly", sizeof "nearly" - 1, CNRS_APPROX_MAX},
    {"almost", sizeof "almost" - 1, CNRS_APPROX_MAX},
    {"just under", sizeof "just under" - 1, CNRS_APPROX_MAX},
    {"less than", sizeof "less than" - 1, CNRS_APPROX_MAX},
    {"fewer than", sizeof "fewer than" - 1, CNRS_APPROX_MAX},
    {"up to", sizeof "up to" - 1, CNRS_APPROX_MAX},
    {"below", sizeof "below" - 1, CNRS_APPROX_MAX},
    {"under", sizeof "under" - 1, CNRS_APPROX_MAX},
    {"no more than", sizeof "no more than" - 1, CNRS_APPROX_MAX},
    {"more than", sizeof "more than" - 1, CNRS_APPROX_MIN},
    {"over", sizeof "over" - 1, CNRS_APPROX_MIN},
    {"just over", sizeof "just over" - 1, CNRS_APPROX_MIN},
    {"at least", sizeof "at least" - 1, CNRS_APPROX_MIN},
    {"in excess of", sizeof "in excess of" - 1, CNRS_APPROX_MIN},
    {"above", sizeof "above" - 1, CNRS_APPROX_MIN},
    {"no less than", sizeof "no less than" - 1, CNRS_APPROX_MIN},
};

_Static_assert(sizeof S_before / sizeof *S_before <= 64, "qual_last holds 64 qualifiers");

static void S_qual_keys(cnrs_qtable *t)
{
    for (size_t k = 0; k < sizeof S_before / sizeof *S_before; k++)
        t->qual_last[S_fold_byte((unsigned char)S_before[k].w[S_before[k].len - 1])] |=
            (uint64_t)1 << k;
}

/* The qualifier ending at s[e] (spaces between allowed): its kind, *start
 * set; CNRS_APPROX_EXACT when none. English words must start a word. */
/* Whether the character ending at s[e] can end a qualifier: a Latin letter,
 * '.', '~', or the last character of a Chinese one (约 近 足 到 过 逾 超 于
 * 少 似 为 多 低 高 ～). Most numbers follow none, and skip the table. */
static int S_qual_last(const char *s, size_t e)
{
    unsigned char b = (unsigned char)s[e - 1];
    if (b < 0x80)
        return S_alpha(b) || b == '.' || b == '~';
    if (e < 3)
        return 0;
    static const char *const last[] = {"约", "約", "近", "足", "到", "过", "過", "逾", "超",
                                       "于", "少", "似", "为", "為", "多", "低", "高", "～"};
    for (size_t k = 0; k < sizeof last / sizeof *last; k++)
        if (memcmp(s + e - 3, last[k], 3) == 0)
            return 1;
    return 0;
}

static cnrs_approx S_qual_before(const cnrs_qtable *t, const char *s, size_t e, size_t *start)
{
    while (e > 0 && s[e - 1] == ' ')
        e--;
    if (e == 0 || !S_qual_last(s, e))
        return CNRS_APPROX_EXACT;
    size_t best = 0;
    cnrs_approx a = CNRS_APPROX_EXACT;
    /* only the qualifiers ending in this byte, in table order */
    for (uint64_t m = t->qual_last[S_fold_byte((unsigned char)s[e - 1])]; m; m &= m - 1) {
        size_t k = (size_t)__builtin_ctzll(m);
        size_t len = S_before[k].len;
        if (len > e || len <= best || !S_at(s, e, e - len, S_before[k].w, len, 1))
            continue;
        if (S_alpha((unsigned char)S_before[k].w[0]) && e - len > 0 &&
            S_alpha((unsigned char)s[e - len - 1]))
            continue;
        best = len;
        a = S_before[k].a;
        *start = e - len;
    }
    return a;
}

/* ---- the scanner ----------------------------------------------------------------- */

/* Whether s[i] starts a number that is not glued to a Latin word
 * ("Scope1", "CO2", "emissions9", "(Scope 1+2+3)1"): a letter or a closing
 * bracket directly before digits. */
static int S_glued(const char *s, size_t i)
{
    return i > 0 && (S_alpha((unsigned char)s[i - 1]) || s[i - 1] == '_' || s[i - 1] == ')');
}

/* Whether the ASCII digits at s[i..] are a dotted code: two or more dots,
 * each between digits ("2.3.1", "2021.12.31"), not a number. */
static int S_dotted(const char *s, size_t n, size_t i)
{
    int dots = 0;
    for (size_t k = i; k < n; k++) {
        if (s[k] >= '0' && s[k] <= '9')
            continue;
        if (s[k] != '.' || k == i || k + 1 >= n || s[k + 1] < '0' || s[k + 1] > '9')
            break;
        dots++;
    }
    return dots >= 2;
}

/* Whether the number at s[i..] follows "page", "pages", "p.", "pp." or 第
 * (a page reference or an ordinal: "shown on page 329", "第3名"). */
static int S_page_ref(const char *s, size_t n, size_t i)
{
    size_t k = i;
    while (k > 0 && s[k - 1] == ' ')
        k--;
    if (k >= 3 && memcmp(s + k - 3, "\xE7\xAC\xAC", 3) == 0) /* 第 */
        return 1;
    static const char *const w[] = {"pages", "page", "pp.", "p."};
    for (size_t t = 0; t < sizeof w / sizeof *w; t++) {
        size_t len = strlen(w[t]);
        if (k >= len && S_at(s, n, k - len, w[t], len, 1) &&
            (k == len || !S_alpha((unsigned char)s[k - len - 1])))
            return 1;
    }
    return 0;
}

/* A currency or other `before` form ending at e (spaces allowed). */
static long S_before_form(const cnrs_qtable *t, const char *s, size_t e, size_t *start)
{
    size_t e0 = e;
    while (e > 0 && s[e - 1] == ' ' && e0 - e < 2)
        e--;
    /* most numbers follow no currency: the last byte rules them out */
    if (e == 0 || !t->before_last[S_fold_byte((unsigned char)s[e - 1])])
        return -1;
    long best = -1;
    size_t blen = 0;
    for (size_t j = 0; j < t->before.n; j++) {
        size_t k = t->before.v[j];
        const S_form *f = &t->forms[k];
        if (!f->before || f->len > e || f->len <= blen ||
            !S_at(s, e, e - f->len, f->s, f->len, !f->exact))
            continue;
        if (S_alpha((unsigned char)f->s[0]) && e - f->len > 0 &&
            S_alpha((unsigned char)s[e - f->len - 1]))
            continue;
        best = (long)k;
        blen = f->len;
    }
    if (best >= 0)
        *start = e - blen;
    return best;
}

/* One number (digits or Chinese numerals) at s[i..], with its multiplier:
 * end, value; *ok 0 when there is none. `money` lets single-letter
 * multipliers count. */
typedef struct S_num {
    size_t start, end;
    double v;
    size_t digits;
    int plain, han, positional, mult;
} S_num;

static int S_number_at(const cnrs_qtable *t, const char *s, size_t n, size_t i, int money,
                       S_num *out)
{
    memset(out, 0, sizeof *out);
    size_t len;
    out->start = i;
    if (S_digit(s, n, i, &len) >= 0) {
        out->end = S_digits(s, n, i, &out->v, &out->digits, &out->plain);
    } else {
        out->end = S_han_number(t, s, n, i, &out->v, &out->positional);
        out->han = 1;
        out->plain = 1;
        if (out->end == i)
            return 0;
    }
    size_t j = out->end, me;
    if (S_form_at(t, s, n, j, 0, -1, &me) >= 0)
        return 1; /* 千瓦时, 千克: a unit, not a multiplier */
    /* a Latin multiplier may follow a space; a Chinese one follows directly */
    double m = S_mult_at(t, s, n, j, money, &me);
    if (!m && j < n && s[j] == ' ')
        m = S_mult_at(t, s, n, j + 1, money, &me);
    if (m) {
        out->v *= m;
        out->end = me;
        out->mult = 1;
    }
    return 1;
}

/* A range separator at s[i..] (5~8, 5-8, 5–8, 5至8, 5到8, 5 to 8): its end,
 * or 0. */
static size_t S_range_sep(const char *s, size_t n, size_t i)
{
    size_t j = S_spaces(s, n, i, 1), len = 0;
    if (j >= n)
        return 0;
    /* by the first byte: most numbers are followed by no separator, and the
     * separators differ in it or in their whole character */
    static const char *const wide[] = {"～", "–", "—", "至", "到"};
    switch ((unsigned char)s[j]) {
    case '~':
    case '-':
        len = 1;
        break;
    case 't':
    case 'T':
        len = S_LIT(s, n, j, "to ") ? 3 : 0;
        break;
    case 'a':
    case 'A':
        len = S_LIT(s, n, j, "and ") ? 4 : 0;
        break;
    case 0xEF:
    case 0xE2:
    case 0xE8:
    case 0xE5:
        for (size_t k = 0; k < sizeof wide / sizeof *wide && !len; k++)
            if (j + 3 <= n && memcmp(s + j, wide[k], 3) == 0)
                len = 3;
        break;
    default:
        break;
    }
    return len ? S_spaces(s, n, j + len, 1) : 0;
}

static int S_is_year(const S_num *x)
{
    return !x->han && x->plain && !x->mult && x->digits == 4 && x->v >= 1900 && x->v <= 2099;
}

/* After a number at j: 余 / 多 (at least), then the unit. */
static size_t S_after_min(const char *s, size_t n, size_t j, uint8_t *approx)
{
    if (S_at(s, n, j, "余", 3, 0) || S_at(s, n, j, "餘", 3, 0) || S_at(s, n, j, "多", 3, 0)) {
        *approx = CNRS_APPROX_MIN;
        return j + 3;
    }
    return j;
}

/* After the unit: 以上 / 以下 / 左右, and "/" or "per" making a rate (the
 * denominator's first word joins the quantity). */
static size_t S_after_unit(const char *s, size_t n, size_t j, cnrs_quantity *q)
{
    if (S_at(s, n, j, "以上", 6, 0)) {
        q->approx = CNRS_APPROX_MIN;
        return j + 6;
    }
    if (S_at(s, n, j, "以下", 6, 0)) {
        q->approx = CNRS_APPROX_MAX;
        return j + 6;
    }
    if (S_at(s, n, j, "左右", 6, 0)) {
        q->approx = CNRS_APPROX_ABOUT;
        return j + 6;
    }
    size_t k = S_spaces(s, n, j, 1), d = 0;
    if (k < n && s[k] == '/')
        d = k + 1;
    else if (S_at(s, n, k, "／", 3, 0))
        d = k + 3;
    else if (S_LIT(s, n, k, "per "))
        d = k + 4;
    if (!d)
        return j;
    q->rate = 1;
    d = S_spaces(s, n, d, 1);
    while (d < n && s[d] != ' ' && s[d] != ',' && s[d] != ';' && s[d] != ')' && s[d] != '|' &&
           !S_at(s, n, d, "，", 3, 0) && !S_at(s, n, d, "。", 3, 0) && !S_at(s, n, d, "；", 3, 0) &&
           !S_at(s, n, d, "）", 3, 0))
        d++;
    return d;
}

static void S_set_unit(cnrs_quantity *q, const S_unit *u)
{
    q->dim = u->dim;
    q->factor = u->factor;
    q->unit_start = u->start;
    q->unit_end = u->end;
    if (u->currency && *u->currency)
        snprintf(q->currency, sizeof q->currency, "%s", u->currency);
}

/* Whether s[..e) ends with a scope label ("Scope", "scopes", "范围") or a
 * list of them ("Scope 1 and", "scopes 1, 2 &"): its digit is a name, not a
 * quantity. `prev_label` is the end of the last number taken as a label.
 * Returns 2 right after a scope word, 1 after a category word or a joiner. */
static int S_label_number(const char *s, size_t e, size_t prev_label)
{
    size_t k = e;
    while (k > 0 && s[k - 1] == ' ')
        k--;
    static const struct {
        const char *w;
        size_t len;
    } words[] = {/* scope words first: the first six return 2 */
                 {"scopes", 6}, {"scope", 5}, {"范围", 6},    {"範圍", 6},
                 {"范畴", 6},   {"範疇", 6},  {"category", 8}, {"categories", 10}};
    /* every number asks: the last byte rules most words out */
    unsigned char last = k ? S_fold_byte((unsigned char)s[k - 1]) : 0;
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t len = words[w].len;
        if (len <= k && (unsigned char)words[w].w[len - 1] == last &&
            S_at(s, k, k - len, words[w].w, len, 1) &&
            (k == len || !S_alpha((unsigned char)s[k - len - 1])))
            return w < 6 ? 2 : 1;
    }
    if (!prev_label || prev_label > e)
        return 0;
    /* only joiners between the last label number and this one */
    for (size_t i = prev_label; i < e;) {
        static const char *const joins[] = {" ", ",", "&", "+", "/", "and", "、", "和", "及", "与"};
        size_t w = 0;
        for (; w < sizeof joins / sizeof *joins; w++)
            if (S_at(s, e, i, joins[w], strlen(joins[w]), 1))
                break;
        if (w == sizeof joins / sizeof *joins)
            return 0;
        i += strlen(joins[w]);
    }
    return 1;
}

/* Single-character Chinese qualifiers that are the end of another word
 * (节约, 最近) are not qualifiers. */
static int S_qual_word(const char *s, size_t qs)
{
    static const char *const pre[] = {"节", "節", "制", "签", "簽", "预", "預", "合", "履", "简",
                                      "最", "附", "临", "臨", "邻", "鄰", "赶", "趕", "公"};
    if (qs < 3)
        return 0;
    for (size_t k = 0; k < sizeof pre / sizeof *pre; k++)
        if (S_at(s, qs, qs - 3, pre[k], 3, 0))
            return 1;
    return 0;
}

/* One CJK character (三方, 五度): too common a word to be a unit after a
 * Chinese numeral without 十 百 千 万. */
static int S_one_han(const S_unit *u)
{
    return u->end - u->start == 3;
}

/* A quantity's unit at s[j..] (after up to two spaces), taking a range to a
 * second number with a unit of the same dimension (10%至15%, between 20% and
 * 25%). `known` is 1 when the caller already found that unit (*ku), 0 when
 * it found there is none, -1 when it did not look. */
static size_t S_take_unit(const cnrs_qtable *t, const char *s, size_t n, size_t j,
                          cnrs_quantity *q, int money, int known, const S_unit *ku)
{
    S_unit u;
    if (known == 0 || (known < 0 && !S_unit_at(t, s, n, S_spaces(s, n, j, 2), &u)))
        return j;
    if (known > 0)
        u = *ku;
    S_set_unit(q, &u);
    j = u.end;
    size_t r = q->range ? 0 : S_range_sep(s, n, j);
    S_num b;
    S_unit u2;
    size_t len;
    if (r && S_digit(s, n, r, &len) >= 0 && S_number_at(t, s, n, r, money, &b) &&
        S_unit_at(t, s, n, S_spaces(s, n, b.end, 2), &u2) && u2.dim == u.dim &&
        (!S_LIT(s, n, S_spaces(s, n, j, 1), "and ") ||
         (q->start >= 8 && S_LIT(s, n, q->start - 8, "between ")))) {
        q->range = 1;
        q->value_hi = b.v * u2.factor / u.factor;
        if (S_LIT(s, n, S_spaces(s, n, j, 1), "and "))
            q->start -= 8;
        j = u2.end;
    }
    return j;
}

size_t cnrs_quantity_scan(const cnrs_qtable *t, const char *s, size_t n, cnrs_quantity *out,
                          size_t max)
{
    size_t count = 0, i = 0, len, label_end = 0;
    int pct = t->pct;
    while (i < n) {
        /* most bytes start no number: ASCII other than digits, and UTF-8
         * outside the lead bytes of Han numerals (E4-E9) and full-width
         * digits (EF) */
        unsigned char u0 = (unsigned char)s[i];
        if (u0 < 0x80) {
            if (u0 < '0' || u0 > '9') {
                i++;
                continue;
            }
        } else if (u0 >= 0xE4 && u0 <= 0xE9) {
            /* a Han character that is no numeral, multiplier or 百分之: most
             * of Chinese text, passed over without trying the rules below */
            if (i + 2 < n && !S_numeral_at(s, i)) {
                i += 3;
                continue;
            }
        } else if (u0 != 0xEF) {
            i++;
            continue;
        }
        int digit = S_digit(s, n, i, &len) >= 0;
        int han = !digit && (S_han_digit(s, n, i, &len) >= 0 || S_at(s, n, i, "十", 3, 0));
        int bai = !digit && !han && S_at(s, n, i, "百分之", 9, 0);
        size_t qs0;
        /* 近万吨, 逾百万元: a bare multiplier after a qualifier is one of it */
        int bare = !digit && !han && !bai && S_han_unit(s, n, i) >= 100 &&
                   S_qual_before(t, s, i, &qs0) != CNRS_APPROX_EXACT && !S_qual_word(s, qs0);
        if (!digit && !han && !bai && !bare) {
            i++;
            continue;
        }
        int label = digit ? S_label_number(s, i, label_end) : 0;
        if (label) {
            S_num lab;
            S_number_at(t, s, n, i, 0, &lab);
            /* a label names scope 1-3 or category 1-15: "Scope 1+2+3 4,238,446"
             * ends its list before the value; right after a scope word, a
             * footnote digit may be glued to the scope's ("Scope 21 ton") */
            if (lab.v >= 1 && lab.v == floor(lab.v) && lab.end - lab.start <= 2 &&
                (lab.v <= 15 || (label == 2 && s[i] <= '3'))) {
                i = label_end = lab.end;
                continue;
            }
        }
        cnrs_quantity q;
        memset(&q, 0, sizeof q);
        q.dim = -1;
        q.factor = 1;
        q.start = i;
        size_t ns = bai ? i + 9 : i;
        /* digits glued to a word: a footnote, a formula or a name */
        long bf = -1;
        size_t bstart = i;
        /* a dotted code: a section number or a date ("2.3.1", "2021.12.31");
         * a page or an ordinal ("page 329", "pp. 33", "第12页") */
        if (digit && (S_dotted(s, n, i) || S_page_ref(s, n, i))) {
            while (i < n && (S_digit(s, n, i, &len) >= 0 || s[i] == '.'))
                i += S_digit(s, n, i, &len) >= 0 ? len : 1;
            continue;
        }
        if (digit && S_glued(s, i)) {
            bf = S_before_form(t, s, i, &bstart);
            if (bf < 0) {
                while (i < n && (S_digit(s, n, i, &len) >= 0 || s[i] == '.' || s[i] == ','))
                    i += S_digit(s, n, i, &len) >= 0 ? len : 1;
                continue;
            }
        }
        if (han && i >= 3 && (S_han_digit(s, n, i - 3, &len) >= 0 || S_han_unit(s, n, i - 3))) {
            i += 3; /* inside a numeral run that did not parse */
            continue;
        }
        if (bf < 0 && digit)
            bf = S_before_form(t, s, i, &bstart);
        int money = bf >= 0;
        S_num a;
        if (bare) {
            memset(&a, 0, sizeof a);
            a.start = i;
            a.v = S_mult_at(t, s, n, i, 0, &a.end);
            a.han = a.positional = a.mult = 1;
            if (a.v == 0) {
                i++;
                continue;
            }
        } else if (!S_number_at(t, s, n, ns, money, &a)) {
            i = bai ? i + 9 : i + len;
            continue;
        }
        int neg = 0;
        if (!a.han && i > 0) {
            /* a minus sign not between two numbers or words */
            size_t m = 0;
            if (s[i - 1] == '-')
                m = 1;
            else if (i >= 3 && S_at(s, n, i - 3, "−", 3, 0))
                m = 3;
            if (m && (i - m == 0 || !S_alnum((unsigned char)s[i - m - 1]))) {
                neg = 1;
                q.start = i - m;
            }
        }
        q.num_start = a.start;
        q.num_end = a.end;
        q.value = q.value_hi = a.v;
        size_t j = S_after_min(s, n, a.end, &q.approx), me;
        if (!a.mult) { /* 20多万吨, 200余万千瓦时 */
            double m = S_form_at(t, s, n, j, 0, -1, &me) >= 0 ? 0 : S_mult_at(t, s, n, j, money, &me);
            if (m && !(j == a.end && S_alpha((unsigned char)s[j]) && !S_word_end(s, n, me))) {
                q.value *= m;
                j = S_after_min(s, n, me, &q.approx);
                a.mult = 1;
            }
        }
        if (bai) {
            q.percent = 1;
            q.dim = pct;
            q.start = i;
        } else if (bf >= 0) {
            const S_form *f = &t->forms[bf];
            q.dim = f->dim;
            q.factor = f->factor;
            q.unit_start = bstart;
            q.unit_end = bstart + f->len;
            snprintf(q.currency, sizeof q.currency, "%s", f->currency);
            if (bstart < q.start)
                q.start = bstart;
        }
        /* a range of bare numbers: the second takes the unit (and the
         * multiplier) of both */
        size_t r = (bai || a.han) ? 0 : S_range_sep(s, n, j);
        S_num b;
        S_unit u;
        int unit_next = !bai && bf < 0 && S_unit_at(t, s, n, S_spaces(s, n, j, 2), &u);
        size_t unit_j = j; /* where unit_next looked: S_take_unit need not look again */
        if (r && !unit_next && S_digit(s, n, r, &len) >= 0 && !S_glued(s, r) &&
            S_number_at(t, s, n, r, money, &b) && !(S_is_year(&a) && S_is_year(&b))) {
            int between = q.start >= 8 && S_LIT(s, n, q.start - 8, "between ");
            int is_and = S_LIT(s, n, S_spaces(s, n, j, 1), "and ");
            if (!is_and || between) {
                q.range = 1;
                q.value_hi = b.v;
                if (b.mult && !a.mult) { /* 5至8万吨: the multiplier is both's */
                    double bare_b;
                    size_t dd;
                    int pl;
                    S_digits(s, n, r, &bare_b, &dd, &pl);
                    if (bare_b != 0)
                        q.value *= b.v / bare_b;
                }
                q.num_end = b.end;
                j = S_after_min(s, n, b.end, &q.approx);
                if (between)
                    q.start -= 8;
            }
        }
        if (!bai && bf < 0) {
            size_t j2 = S_take_unit(t, s, n, j, &q, money, j == unit_j ? unit_next : -1, &u);
            if (q.dim >= 0 && a.han && !a.positional && S_one_han(&(S_unit){0, 0, q.unit_start, q.unit_end, NULL})) {
                q.dim = -1; /* 三方, 五度 */
                q.factor = 1;
                q.unit_start = q.unit_end = 0;
                q.range = 0;
            } else {
                j = j2;
            }
        } else if (bf >= 0 && S_form_at(t, s, n, j, 0, q.dim, &me) >= 0) {
            j = me; /* 港幣1,200萬元: the currency was named before */
        }
        int han_year = a.han && !a.positional && a.v >= 1900 && a.v <= 2099 &&
                       S_at(s, n, a.end, "年", 3, 0);
        if (q.dim < 0 && a.han && !han_year && (!a.positional || (!a.mult && a.end - a.start < 6))) {
            i = a.end; /* 一 二 三 as words: only a numeral with a unit counts */
            continue;
        }
        if (!a.han && j < n && s[j] == ')' && i > 0 && s[i - 1] == '(' && !neg) {
            neg = 1; /* (1,234) and (2.3%) as tables print negatives */
            q.start = i - 1;
            j++;
        }
        j = S_after_unit(s, n, j, &q);
        q.end = j > q.num_end ? j : q.num_end;
        if (q.dim >= 0 && pct >= 0 && q.dim == pct)
            q.percent = 1;
        q.year = q.dim < 0 && !q.range && (S_is_year(&a) || han_year);
        if (q.year && S_at(s, n, a.end, "年", 3, 0))
            q.end = a.end + 3;
        if (neg) {
            q.value = -q.value;
            q.value_hi = q.range ? -q.value_hi : q.value;
        }
        if (!q.range)
            q.value_hi = q.value;
        size_t qs = q.start;
        cnrs_approx before = S_qual_before(t, s, q.start, &qs);
        if (before != CNRS_APPROX_EXACT && !S_qual_word(s, qs)) {
            q.approx = (uint8_t)before;
            q.start = qs;
        }
        q.lo = q.value * q.factor;
        q.hi = q.value_hi * q.factor;
        if (count < max)
            out[count] = q;
        count++;
        i = q.end > i ? q.end : i + 1;
    }
    return count;
}

/* Whether s[0..n) may hold a unit of one of the dimensions `need` (the
 * mass dimensions behind them included), as cnrs_quantity_scan or the
 * label search would find it: 0 when no character starts a unit form of
 * them. Quantities also take a dimension from a form before the number or
 * from 百分之, so 1 whenever those can give one of `need`. */
static int S_may_have(const cnrs_qtable *t, uint32_t need, const char *s, size_t n)
{
    if ((t->before_dims & need) || (t->pct >= 0 && (need & (1u << t->pct))))
        return 1;
    for (size_t p = 0; p < n; p++) {
        const unsigned char *b = (const unsigned char *)s + p;
        if ((b[0] & 0xC0) == 0x80)
            continue;
        if (b[0] >= 0xE0 && b[0] < 0xF0 && p + 2 < n &&
            !(t->pair_dims[((b[0] & 15) << 6) | (b[1] & 63)] & need))
            continue; /* its first two bytes start no such form: no hash */
        if (t->key_dims[S_key(s, n, p)] & need)
            return 1;
    }
    return 0;
}

int cnrs_quantity_unit_label(const cnrs_qtable *t, int dim, const char *s, size_t n,
                             double *factor, int *is_dim, size_t *at, size_t *end)
{
    return cnrs_quantity_unit_label_q(t, dim, s, n, NULL, 0, factor, is_dim, at, end);
}

/* q NULL: scan s here (after the cheap test, which may spare it). */
int cnrs_quantity_unit_label_q(const cnrs_qtable *t, int dim, const char *s, size_t n,
                               const cnrs_quantity *q, size_t nq, double *factor, int *is_dim,
                               size_t *at, size_t *end)
{
    if (dim < 0 || (size_t)dim >= t->ndims)
        return 0;
    int mass = t->mass[dim];
    /* A unit of `dim` or `mass` is a form of one of `need` (a form of a
     * mass dimension upgraded by its marker included), whether the scan
     * below finds it after a number or the loop after it on its own. */
    uint32_t need = 1u << dim;
    if (mass >= 0) {
        need |= 1u << mass;
        if (t->mass[mass] >= 0)
            need |= 1u << t->mass[mass];
    }
    /* many rows around a table hold none: answered without the scan */
    if (!S_may_have(t, need, s, n))
        return 0;
    /* "10,000 t of CO2e": a round number with the unit is a scale */
    cnrs_quantity mine[16];
    if (!q) {
        nq = cnrs_quantity_scan(t, s, n, mine, 16);
        q = mine;
    }
    for (size_t k = 0; k < nq && k < 16; k++) {
        double v = q[k].value;
        double l = v > 0 ? log10(v) : -1;
        if ((q[k].dim == dim || (mass >= 0 && q[k].dim == mass)) && !q[k].range && v >= 1000 &&
            fabs(l - floor(l + 0.5)) < 1e-9) {
            *factor = q[k].lo;
            *is_dim = q[k].dim == dim;
            *at = q[k].start;
            *end = q[k].end;
            return 1;
        }
    }
    /* a position whose character starts no form of `need` is passed over
     * without S_unit_at */
    for (size_t i = 0; i < n; i++) {
        if ((s[i] & 0xC0) == 0x80)
            continue;
        /* inside a Latin word neither a multiplier nor a unit starts: tested
         * first, as most letters are there */
        if (S_alpha((unsigned char)s[i]) && i > 0 && S_alpha((unsigned char)s[i - 1]))
            continue;
        const unsigned char *b = (const unsigned char *)s + i;
        if (b[0] >= 0xE0 && b[0] < 0xF0 && i + 2 < n &&
            !(t->pair_dims[((b[0] & 15) << 6) | (b[1] & 63)] & (need | (uint64_t)1 << 32)))
            continue; /* a Han character that starts no unit asked for, nor a multiplier */
        size_t key = S_key(s, n, i);
        if (!(t->key_dims[key] & need) && !t->mult_key[key])
            continue;
        size_t j = i, me;
        double m = S_mult_at(t, s, n, i, 0, &me);
        if (m)
            j = S_spaces(s, n, me, 1);
        else
            m = 1;
        if (j >= n || !(t->key_dims[S_key(s, n, j)] & need))
            continue;
        S_unit u;
        if (!S_unit_at(t, s, n, j, &u) || (u.dim != dim && u.dim != mass))
            continue;
        /* "('000 tonnes CO2e)", "(‘000 tCO2e)": thousands, as British and
         * Australian tables print them */
        size_t k = i;
        while (k > 0 && s[k - 1] == ' ')
            k--;
        if (m == 1 && k >= 4 && memcmp(s + k - 3, "000", 3) == 0) {
            size_t q0 = k - 3;
            if (s[q0 - 1] == '\'' || (q0 >= 3 && (memcmp(s + q0 - 3, "\xE2\x80\x98", 3) == 0 ||
                                                   memcmp(s + q0 - 3, "\xE2\x80\x99", 3) == 0))) {
                m = 1000;
                i = s[q0 - 1] == '\'' ? q0 - 1 : q0 - 3;
            }
        }
        *factor = m * u.factor;
        *is_dim = u.dim == dim;
        *at = i;
        *end = u.end;
        return 1;
    }
    return 0;
}
