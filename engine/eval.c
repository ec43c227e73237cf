/* eval.c - the engine against hand-coded reports and sentences (see eval.h). */
#include "eval.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest.h"
#include "normalise.h"
#include "pipeline.h"
#include "score.h"

/* ==== metric arithmetic ========================================================== */

double cnrs_eval_precision(const cnrs_eval_counts *c)
{
    return c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : NAN;
}

double cnrs_eval_recall(const cnrs_eval_counts *c)
{
    return c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : NAN;
}

double cnrs_eval_kappa(size_t yy, size_t yn, size_t ny, size_t nn)
{
    double n = (double)(yy + yn + ny + nn);
    if (n == 0)
        return NAN;
    double po = (double)(yy + nn) / n;
    double p1 = (double)(yy + yn) / n, p2 = (double)(yy + ny) / n;
    double pe = p1 * p2 + (1 - p1) * (1 - p2);
    if (pe >= 1 - 1e-12)
        return NAN;
    return (po - pe) / (1 - pe);
}

int cnrs_eval_band_within1(int a, int b)
{
    return abs(a - b) <= 1;
}

double cnrs_eval_hand_total(const cnrs_rubric *r, int stage, const int *band)
{
    double total = 0;
    for (size_t i = 0; i < r->nindicators; i++) {
        int b = band[i];
        if (r->indicators[i].stage > stage || b <= 0 || b >= CNRS_NBANDS)
            continue;
        double mid = (r->scoring.band_low[b] + r->scoring.band_high[b]) / 2;
        total += r->indicators[i].weight * mid / 100;
    }
    return total;
}

/* ==== figure values ================================================================
 * A coded figure is found when the engine has a figure of its scope and year
 * with its value (cnrs_eval_figure_hit); values are compared as printed. */

/* Byte length of a thousands separator at s[0..n) (",", "，", space, thin
 * space U+2009, no-break spaces U+00A0 and U+202F), or 0. */
static size_t S_sep_len(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[0] == ',' || s[0] == ' '))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBC && s[2] == 0x8C)
        return 3;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x89 || s[2] == 0xAF))
        return 3;
    return 0;
}

static size_t S_digits(const unsigned char *s, size_t n)
{
    size_t k = 0;
    while (k < n && isdigit(s[k]))
        k++;
    return k;
}

/* Drop a fraction of zeros and trailing zeros of a fraction: "36959.0" and
 * "36959" compare equal, as do "9.50" and "9.5". */
static void S_trim_fraction(cnrs_buf *b)
{
    if (!b->data || !memchr(b->data, '.', b->len))
        return;
    while (b->len && b->data[b->len - 1] == '0')
        b->len--;
    if (b->len && b->data[b->len - 1] == '.')
        b->len--;
    b->data[b->len] = '\0';
}

/* Read the number starting at s[0] (a digit) into `canon` (digits, at most
 * one '.'); returns the bytes consumed. Digit groups are joined over a
 * separator only as thousands grouping: a first group of 1-3 digits, then
 * groups of exactly three, so "2022 1,488.10" is two numbers, not one. */
static size_t S_number(const unsigned char *s, size_t n, cnrs_buf *canon)
{
    cnrs_buf_reset(canon);
    size_t k = S_digits(s, n);
    cnrs_buf_append(canon, s, k);
    if (k <= 3) {
        for (;;) {
            size_t sep = S_sep_len(s + k, n - k);
            if (!sep || S_digits(s + k + sep, n - k - sep) != 3)
                break;
            cnrs_buf_append(canon, s + k + sep, 3);
            k += sep + 3;
        }
    }
    if (k + 1 < n && s[k] == '.' && isdigit(s[k + 1])) {
        size_t f = S_digits(s + k + 1, n - k - 1);
        cnrs_buf_append(canon, s + k, f + 1);
        k += f + 1;
    }
    S_trim_fraction(canon);
    return k;
}

/* The canonical form of a coded VALUE: separators dropped, digits and one
 * '.'; 0 when it is not a number. */
static int S_value_canon(const char *value, cnrs_buf *canon)
{
    cnrs_buf norm = CNRS_BUF_INIT;
    cnrs_normalise(value, strlen(value), &norm); /* full-width digits, odd spaces */
    cnrs_buf_reset(canon);
    const unsigned char *s = (const unsigned char *)(norm.data ? norm.data : "");
    size_t n = norm.len, dots = 0, digits = 0;
    for (size_t k = 0; k < n;) {
        size_t sep = S_sep_len(s + k, n - k);
        if (sep) {
            k += sep;
            continue;
        }
        if (isdigit(s[k]))
            digits++;
        else if (s[k] == '.')
            dots++;
        else if (!(k == 0 && (s[k] == '-' || s[k] == '+'))) {
            dots = 2; /* anything else: not a number */
            break;
        }
        if (s[k] != '-' && s[k] != '+')
            cnrs_buf_putc(canon, (char)s[k]);
        k++;
    }
    cnrs_buf_free(&norm);
    if (!digits || dots > 1)
        return 0;
    S_trim_fraction(canon);
    return 1;
}

int cnrs_eval_figure_hit(const cnrs_eval_figure *want, const cnrs_figure *got)
{
    if (strcmp(got->kind, "emissions") != 0 || strcmp(want->scope, got->scope) != 0 ||
        (want->year && want->year != got->year))
        return 0;
    cnrs_buf canon = CNRS_BUF_INIT;
    int ok = S_value_canon(want->value, &canon);
    double v = ok ? strtod(cnrs_buf_cstr(&canon), NULL) : 0;
    cnrs_buf_free(&canon);
    return ok && (fabs(got->value - v) <= 0.005 * fabs(v) || fabs(got->scaled - v) <= 0.005 * fabs(v));
}

int cnrs_eval_figure_matches(const char *value, const char *text, size_t n)
{
    cnrs_buf want = CNRS_BUF_INIT, got = CNRS_BUF_INIT;
    int found = 0;
    if (S_value_canon(value, &want)) {
        const unsigned char *s = (const unsigned char *)text;
        for (size_t k = 0; k < n && !found;) {
            if (!isdigit(s[k])) {
                k++;
                continue;
            }
            k += S_number(s + k, n - k, &got);
            found = got.len == want.len && memcmp(got.data, want.data, got.len) == 0;
        }
    }
    cnrs_buf_free(&want);
    cnrs_buf_free(&got);
    return found;
}

/* ==== line and field splitting ====================================================== */

typedef struct S_lines {
    const char *p, *end;
    int lineno;
} S_lines;

static void S_lines_init(S_lines *it, const char *text, size_t len)
{
    it->p = text;
    it->end = text + len;
    it->lineno = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) /* UTF-8 BOM */
        it->p += 3;
}

/* The next line (without its \n or \r\n) in *s, *n; 0 at the end. */
static int S_next_line(S_lines *it, const char **s, size_t *n)
{
    if (it->p >= it->end)
        return 0;
    const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
    const char *e = nl ? nl : it->end;
    *s = it->p;
    *n = (size_t)(e - it->p);
    if (*n && (*s)[*n - 1] == '\r')
        (*n)--;
    it->p = nl ? nl + 1 : it->end;
    it->lineno++;
    return 1;
}

/* Comment or blank (spaces only) line. */
static int S_skip(const char *s, size_t n)
{
    if (n && s[0] == '#')
        return 1;
    for (size_t k = 0; k < n; k++)
        if (s[k] != ' ' && s[k] != '\t')
            return 0;
    return 1;
}

typedef struct S_span {
    const char *s;
    size_t n;
} S_span;

/* Split s[0..n) at `sep`; stores at most `max` fields, returns how many there
 * are. */
static size_t S_split(const char *s, size_t n, char sep, S_span *f, size_t max)
{
    size_t count = 0, start = 0;
    for (size_t k = 0; k <= n; k++) {
        if (k < n && s[k] != sep)
            continue;
        if (count < max)
            f[count] = (S_span){s + start, k - start};
        count++;
        start = k + 1;
    }
    return count;
}

/* Split at runs of spaces and tabs. */
static size_t S_words(const char *s, size_t n, S_span *f, size_t max)
{
    size_t count = 0, k = 0;
    while (k < n) {
        while (k < n && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (k == n)
            break;
        size_t start = k;
        while (k < n && s[k] != ' ' && s[k] != '\t')
            k++;
        if (count < max)
            f[count] = (S_span){s + start, k - start};
        count++;
    }
    return count;
}

static int S_is(S_span f, const char *lit)
{
    return f.n == strlen(lit) && memcmp(f.s, lit, f.n) == 0;
}

static S_span S_trim(S_span f)
{
    while (f.n && (f.s[0] == ' ' || f.s[0] == '\t'))
        f.s++, f.n--;
    while (f.n && (f.s[f.n - 1] == ' ' || f.s[f.n - 1] == '\t'))
        f.n--;
    return f;
}

/* The indicator whose id is exactly f, or -1 (keys are not accepted). */
static int S_indicator(const cnrs_rubric *r, S_span f)
{
    for (size_t i = 0; i < r->nindicators; i++)
        if (S_is(f, r->indicators[i].id))
            return (int)i;
    return -1;
}

static int S_item(const cnrs_rubric *r, S_span f)
{
    for (size_t i = 0; i < r->nitems; i++)
        if (S_is(f, r->items[i].qid))
            return (int)i;
    return -1;
}

/* ==== NAME.expected ================================================================== */

void cnrs_eval_expected_clear(cnrs_eval_expected *e)
{
    for (size_t k = 0; k < e->nfig; k++) {
        free(e->fig[k].scope);
        free(e->fig[k].basis);
        free(e->fig[k].value);
        free(e->fig[k].unit);
    }
    free(e->fig);
    memset(e, 0, sizeof *e);
}

static const char *const S_scopes[] = {"1", "2", "1+2", "3", "total", NULL};
static const char *const S_bases[] = {"market", "location", "-", NULL};

static int S_one_of(S_span f, const char *const *set)
{
    for (; *set; set++)
        if (S_is(f, *set))
            return 1;
    return 0;
}

/* One `figure` line's six tab-separated fields; 0 with a message in err. */
static int S_parse_figure(const char *name, int line, const char *s, size_t n,
                          cnrs_eval_figure *fig, cnrs_error *err)
{
    S_span f[6];
    size_t nf = S_split(s, n, '\t', f, 6);
    if (nf != 6) {
        cnrs_error_set(err, CNRS_ERR_PARSE,
                       "%s:%d: a figure line has 6 tab-separated fields "
                       "(figure SCOPE BASIS YEAR VALUE UNIT), this one %zu",
                       name, line, nf);
        return 0;
    }
    for (int k = 1; k < 6; k++)
        f[k] = S_trim(f[k]);
    if (!S_one_of(f[1], S_scopes)) {
        cnrs_error_set(err, CNRS_ERR_PARSE,
                       "%s:%d: figure scope \"%.*s\" (use 1, 2, 1+2, 3 or total)", name, line,
                       (int)f[1].n, f[1].s);
        return 0;
    }
    if (!S_one_of(f[2], S_bases)) {
        cnrs_error_set(err, CNRS_ERR_PARSE,
                       "%s:%d: figure basis \"%.*s\" (use market, location or -)", name, line,
                       (int)f[2].n, f[2].s);
        return 0;
    }
    int year = 0;
    if (!S_is(f[3], "-")) {
        if (f[3].n != 4 || S_digits((const unsigned char *)f[3].s, 4) != 4) {
            cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: figure year \"%.*s\" (four digits or -)",
                           name, line, (int)f[3].n, f[3].s);
            return 0;
        }
        year = atoi(f[3].s);
    }
    char *value = cnrs_xstrndup(f[4].s, f[4].n);
    cnrs_buf canon = CNRS_BUF_INIT;
    int number = S_value_canon(value, &canon);
    cnrs_buf_free(&canon);
    if (!number) {
        cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: figure value \"%s\" is not a number", name,
                       line, value);
        free(value);
        return 0;
    }
    if (f[5].n == 0) {
        cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: figure without a unit", name, line);
        free(value);
        return 0;
    }
    fig->scope = cnrs_xstrndup(f[1].s, f[1].n);
    fig->basis = cnrs_xstrndup(f[2].s, f[2].n);
    fig->year = year;
    fig->value = value;
    fig->unit = cnrs_xstrndup(f[5].s, f[5].n);
    fig->line = line;
    return 1;
}

cnrs_status cnrs_eval_parse_expected(const cnrs_rubric *r, const char *name, const char *text,
                                     size_t len, cnrs_eval_expected *out, cnrs_error *err)
{
    memset(out, 0, sizeof *out);
    int have_stage = 0, have_band[CNRS_MAX_INDICATORS] = {0};
    size_t figcap = 0;
    S_lines it;
    S_lines_init(&it, text, len);
    const char *s;
    size_t n;
    while (S_next_line(&it, &s, &n)) {
        if (S_skip(s, n))
            continue;
        int line = it.lineno;
        if (n > 7 && memcmp(s, "figure\t", 7) == 0) {
            out->fig = cnrs_xgrow(out->fig, &figcap, out->nfig + 1, sizeof *out->fig);
            if (!S_parse_figure(name, line, s, n, &out->fig[out->nfig], err))
                goto fail;
            out->nfig++;
            continue;
        }
        S_span w[3];
        size_t nw = S_words(s, n, w, 3);
        if (nw == 2 && S_is(w[0], "stage")) {
            if (have_stage) {
                cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: a second stage line", name, line);
                goto fail;
            }
            if (w[1].n != 1 || w[1].s[0] < '0' || w[1].s[0] > '3' ||
                w[1].s[0] - '0' > (int)r->nstages) {
                cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: stage \"%.*s\" (use 0 to %zu)", name,
                               line, (int)w[1].n, w[1].s, r->nstages < 3 ? r->nstages : 3);
                goto fail;
            }
            out->stage = w[1].s[0] - '0';
            have_stage = 1;
            continue;
        }
        int ind = nw == 2 ? S_indicator(r, w[0]) : -1;
        if (ind < 0) {
            if (nw == 2 && w[1].n == 2 && w[1].s[0] == 'B')
                cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: unknown indicator \"%.*s\"", name, line,
                               (int)w[0].n, w[0].s);
            else
                cnrs_error_set(err, CNRS_ERR_PARSE,
                               "%s:%d: not a stage, band or figure line (\"stage N\", \"E1 B3\", "
                               "\"figure<TAB>SCOPE<TAB>BASIS<TAB>YEAR<TAB>VALUE<TAB>UNIT\")",
                               name, line);
            goto fail;
        }
        if (w[1].n != 2 || w[1].s[0] != 'B' || w[1].s[1] < '0' || w[1].s[1] > '5') {
            cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: %s: band \"%.*s\" (use B0 to B5)", name,
                           line, r->indicators[ind].id, (int)w[1].n, w[1].s);
            goto fail;
        }
        if (have_band[ind]) {
            cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: a second band for %s", name, line,
                           r->indicators[ind].id);
            goto fail;
        }
        have_band[ind] = 1;
        out->band[ind] = w[1].s[1] - '0';
    }
    if (!have_stage) {
        cnrs_error_set(err, CNRS_ERR_PARSE, "%s: no \"stage N\" line", name);
        goto fail;
    }
    for (size_t i = 0; i < r->nindicators; i++)
        if (!have_band[i]) {
            cnrs_error_set(err, CNRS_ERR_PARSE,
                           "%s: no band line for %s (all %zu indicators are needed)", name,
                           r->indicators[i].id, r->nindicators);
            goto fail;
        }
    return CNRS_OK;
fail:
    cnrs_eval_expected_clear(out);
    return CNRS_ERR_PARSE;
}

/* ==== sentences.tsv ===================================================================== */

const char *cnrs_eval_lang_name(cnrs_eval_lang l)
{
    switch (l) {
    case CNRS_LANG_ZH:
        return "zh";
    case CNRS_LANG_ZH_HANT:
        return "zh-Hant";
    case CNRS_LANG_EN:
        return "en";
    }
    return "?";
}

void cnrs_eval_sentences_clear(cnrs_eval_sentences *s)
{
    for (size_t k = 0; k < s->n; k++) {
        free(s->v[k].id);
        free(s->v[k].source);
        free(s->v[k].text);
        free(s->v[k].items);
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* Labels "-" or "E2.total,Q11.scope1" into t->items and t->ind. */
static int S_parse_labels(const cnrs_rubric *r, const char *name, int line, S_span f,
                          cnrs_eval_sentence *t, cnrs_error *err)
{
    f = S_trim(f);
    if (S_is(f, "-"))
        return 1;
    if (f.n == 0) {
        cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: empty labels (write - for none)", name, line);
        return 0;
    }
    size_t cap = 0;
    const char *p = f.s, *end = f.s + f.n;
    while (p <= end) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        S_span q = S_trim((S_span){p, (size_t)((c ? c : end) - p)});
        int item = S_item(r, q);
        if (item < 0) {
            cnrs_error_set(err, CNRS_ERR_PARSE,
                           "%s:%d: unknown label \"%.*s\" (an item qid such as E2.total: "
                           "cnrs rubric show lists them)",
                           name, line, (int)q.n, q.s);
            return 0;
        }
        int dup = 0;
        for (size_t k = 0; k < t->nitems; k++)
            dup |= t->items[k] == item;
        if (!dup) {
            t->items = cnrs_xgrow(t->items, &cap, t->nitems + 1, sizeof *t->items);
            t->items[t->nitems++] = item;
            t->ind |= 1u << r->items[item].indicator;
        }
        if (!c)
            break;
        p = c + 1;
    }
    return 1;
}

static int S_idcmp(const void *a, const void *b)
{
    const cnrs_eval_sentence *const *x = a, *const *y = b;
    return strcmp((*x)->id, (*y)->id);
}

/* Sorted pointers to the sentences, for duplicate checks and look-ups. */
static const cnrs_eval_sentence **S_by_id(const cnrs_eval_sentences *s)
{
    const cnrs_eval_sentence **v = cnrs_xcalloc(s->n ? s->n : 1, sizeof *v);
    for (size_t k = 0; k < s->n; k++)
        v[k] = &s->v[k];
    qsort(v, s->n, sizeof *v, S_idcmp);
    return v;
}

cnrs_status cnrs_eval_parse_sentences(const cnrs_rubric *r, const char *name, const char *text,
                                      size_t len, int second, cnrs_eval_sentences *out,
                                      cnrs_error *err)
{
    memset(out, 0, sizeof *out);
    const size_t want = second ? 2 : 5;
    const char *header = second ? "id\tlabels" : "id\tsource\tlang\tlabels\tsentence";
    size_t cap = 0;
    int have_header = 0;
    S_lines it;
    S_lines_init(&it, text, len);
    const char *s;
    size_t n;
    while (S_next_line(&it, &s, &n)) {
        if (S_skip(s, n))
            continue;
        int line = it.lineno;
        if (!have_header) {
            if (n != strlen(header) || memcmp(s, header, n) != 0) {
                cnrs_error_set(err, CNRS_ERR_PARSE,
                               "%s:%d: the first line must be the header \"%s\"", name, line,
                               second ? "id<TAB>labels"
                                      : "id<TAB>source<TAB>lang<TAB>labels<TAB>sentence");
                goto fail;
            }
            have_header = 1;
            continue;
        }
        S_span f[5];
        size_t nf = S_split(s, n, '\t', f, 5);
        if (nf != want) {
            cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: %zu tab-separated fields, expected %zu%s",
                           name, line, nf, want, nf > want ? " (no tabs inside a field)" : "");
            goto fail;
        }
        S_span id = S_trim(f[0]);
        if (id.n == 0) {
            cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: empty id", name, line);
            goto fail;
        }
        out->v = cnrs_xgrow(out->v, &cap, out->n + 1, sizeof *out->v);
        cnrs_eval_sentence *t = &out->v[out->n++];
        memset(t, 0, sizeof *t);
        t->line = line;
        t->id = cnrs_xstrndup(id.s, id.n);
        if (!S_parse_labels(r, name, line, f[second ? 1 : 3], t, err))
            goto fail;
        if (second)
            continue;
        S_span lang = S_trim(f[2]);
        if (S_is(lang, "zh"))
            t->lang = CNRS_LANG_ZH;
        else if (S_is(lang, "zh-Hant"))
            t->lang = CNRS_LANG_ZH_HANT;
        else if (S_is(lang, "en"))
            t->lang = CNRS_LANG_EN;
        else {
            cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: language \"%.*s\" (use zh, zh-Hant or en)",
                           name, line, (int)lang.n, lang.s);
            goto fail;
        }
        if (S_trim(f[4]).n == 0) {
            cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: empty sentence", name, line);
            goto fail;
        }
        t->source = cnrs_xstrndup(f[1].s, f[1].n);
        t->text = cnrs_xstrndup(f[4].s, f[4].n);
    }
    if (!have_header) {
        cnrs_error_set(err, CNRS_ERR_PARSE, "%s: no header line", name);
        goto fail;
    }
    const cnrs_eval_sentence **v = S_by_id(out);
    for (size_t k = 1; k < out->n; k++)
        if (strcmp(v[k - 1]->id, v[k]->id) == 0) {
            const cnrs_eval_sentence *a = v[k - 1], *b = v[k];
            if (a->line > b->line)
                a = v[k], b = v[k - 1];
            cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: id \"%s\" again (first on line %d)", name,
                           b->line, b->id, a->line);
            free(v);
            goto fail;
        }
    free(v);
    return CNRS_OK;
fail:
    cnrs_eval_sentences_clear(out);
    return CNRS_ERR_PARSE;
}

/* ==== floors and metric keys ========================================================== */

/* precision / recall / tp / fp / fn of one count. */
static int S_counts_metric(const cnrs_eval_counts *c, const char *leaf, double *val)
{
    if (strcmp(leaf, "precision") == 0)
        *val = cnrs_eval_precision(c);
    else if (strcmp(leaf, "recall") == 0)
        *val = cnrs_eval_recall(c);
    else if (strcmp(leaf, "tp") == 0)
        *val = (double)c->tp;
    else if (strcmp(leaf, "fp") == 0)
        *val = (double)c->fp;
    else if (strcmp(leaf, "fn") == 0)
        *val = (double)c->fn;
    else
        return 0;
    return 1;
}

/* If key starts with prefix, the rest; else NULL. */
static const char *S_after(const char *key, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(key, prefix, n) == 0 ? key + n : NULL;
}

int cnrs_eval_metric(const cnrs_rubric *r, const cnrs_eval *e, const char *key, double *val)
{
    const struct {
        const char *key;
        double v;
    } direct[] = {
        {"sentences.n", (double)e->nsent},        {"sentences.none_fp", e->none_fp},
        {"sentences.none_clean", 1 - e->none_fp}, {"agreement.n", (double)e->agree_n},
        {"agreement.kappa_any", e->kappa_any},    {"agreement.kappa_indicator", e->kappa_indicator},
        {"agreement.identical", e->identical},
        {"coders.stage_exact", e->coders_stage_exact},
        {"coders.band_exact", e->coders_band_exact},
        {"coders.band_within1", e->coders_band_within1},    {"reports.n", (double)e->nrep},
        {"reports.failed", (double)e->nfailed},   {"reports.stage_exact", e->stage_exact},
        {"reports.band_exact", e->band_exact},    {"reports.band_within1", e->band_within1},
        {"reports.total_mad", e->total_mad},      {"reports.total_bias", e->total_bias},
        {"figures.coded", (double)e->fig_coded},  {"figures.found", (double)e->fig_found},
        {"figures.share", e->fig_share},          {"figures.extra", (double)e->fig_extra},
    };
    for (size_t k = 0; k < sizeof direct / sizeof direct[0]; k++)
        if (strcmp(key, direct[k].key) == 0) {
            *val = direct[k].v;
            return 1;
        }
    const char *rest;
    if ((rest = S_after(key, "sentences.micro_c6_q16.")))
        return S_counts_metric(&e->micro_c6_q16, rest, val);
    if ((rest = S_after(key, "sentences.micro_all.")))
        return S_counts_metric(&e->micro_all, rest, val);
    if ((rest = S_after(key, "sentences.items_micro.")))
        return S_counts_metric(&e->items, rest, val);
    if ((rest = S_after(key, "sentences.per_indicator."))) {
        const char *dot = strchr(rest, '.');
        int ind = dot ? S_indicator(r, (S_span){rest, (size_t)(dot - rest)}) : -1;
        return ind >= 0 && S_counts_metric(&e->ind[ind], dot + 1, val);
    }
    if ((rest = S_after(key, "sentences.by_lang."))) {
        for (int l = 0; l < CNRS_EVAL_LANGS; l++) {
            const char *leaf = S_after(rest, cnrs_eval_lang_name((cnrs_eval_lang)l));
            if (!leaf || leaf[0] != '.')
                continue;
            if (strcmp(leaf, ".n") == 0)
                *val = (double)e->lang_n[l];
            else if (strcmp(leaf, ".positive") == 0)
                *val = (double)e->lang_pos[l];
            else
                continue;
            return 1;
        }
    }
    return 0;
}

void cnrs_eval_floors_clear(cnrs_eval_floors *f)
{
    for (size_t k = 0; k < f->n; k++)
        free(f->v[k].key);
    free(f->v);
    memset(f, 0, sizeof *f);
}

cnrs_status cnrs_eval_parse_floors(const cnrs_rubric *r, const char *name, const char *text,
                                   size_t len, cnrs_eval_floors *out, cnrs_error *err)
{
    memset(out, 0, sizeof *out);
    cnrs_eval probe;
    memset(&probe, 0, sizeof probe); /* only to ask whether a key exists */
    size_t cap = 0;
    S_lines it;
    S_lines_init(&it, text, len);
    const char *s;
    size_t n;
    while (S_next_line(&it, &s, &n)) {
        if (S_skip(s, n))
            continue;
        S_span w[3];
        if (S_words(s, n, w, 3) != 2) {
            cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: a floor line is \"KEY VALUE\"", name,
                           it.lineno);
            goto fail;
        }
        char *key = cnrs_xstrndup(w[0].s, w[0].n), *num = cnrs_xstrndup(w[1].s, w[1].n), *end;
        double dummy, min = strtod(num, &end);
        int good_num = end != num && *end == '\0' && isfinite(min);
        free(num);
        if (!cnrs_eval_metric(r, &probe, key, &dummy)) {
            cnrs_error_set(err, CNRS_ERR_PARSE,
                           "%s:%d: unknown metric \"%s\" (docs/eval.md lists them)", name,
                           it.lineno, key);
            free(key);
            goto fail;
        }
        if (!good_num) {
            cnrs_error_set(err, CNRS_ERR_PARSE, "%s:%d: %s: floor \"%.*s\" is not a number", name,
                           it.lineno, key, (int)w[1].n, w[1].s);
            free(key);
            goto fail;
        }
        out->v = cnrs_xgrow(out->v, &cap, out->n + 1, sizeof *out->v);
        out->v[out->n++] = (cnrs_eval_floor){key, min, it.lineno};
    }
    return CNRS_OK;
fail:
    cnrs_eval_floors_clear(out);
    return CNRS_ERR_PARSE;
}

size_t cnrs_eval_check_floors(const cnrs_rubric *r, const cnrs_eval *e, const cnrs_eval_floors *f,
                              cnrs_buf *msgs)
{
    size_t below = 0;
    for (size_t k = 0; k < f->n; k++) {
        double v = NAN;
        cnrs_eval_metric(r, e, f->v[k].key, &v);
        if (!isnan(v) && v >= f->v[k].min - 1e-9) /* 0.1 + 0.2 meets a floor of 0.3 */
            continue;
        below++;
        cnrs_buf_printf(msgs, "eval: %s = ", f->v[k].key);
        if (isnan(v))
            cnrs_buf_puts(msgs, "null");
        else
            cnrs_buf_put_fixed(msgs, v, 4);
        cnrs_buf_puts(msgs, " is below its floor ");
        cnrs_buf_put_fixed(msgs, f->v[k].min, 4);
        cnrs_buf_putc(msgs, '\n');
    }
    return below;
}

/* ==== the run ============================================================================ */

static char *S_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = cnrs_xmalloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static int S_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int S_strpcmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read `name` in `dir`; when `optional` and the file does not exist, CNRS_OK
 * with *text = NULL. */
static cnrs_status S_read(const char *dir, const char *name, int optional, char **text, size_t *len,
                          cnrs_error *err)
{
    char *path = S_join(dir, name);
    struct stat sb;
    cnrs_status st = CNRS_OK;
    *text = NULL;
    *len = 0;
    if (!optional || stat(path, &sb) == 0)
        st = cnrs_read_file(path, (size_t)256 << 20, text, len, err);
    free(path);
    return st;
}

/* The report beside NAME.expected: the first of these that exists. */
static const char *const S_exts[] = {".txt", ".html", ".htm", ".xhtml", ".pdf", ".xml", NULL};

static char *S_report_path(const char *dir, const char *stem)
{
    for (size_t k = 0; S_exts[k]; k++) {
        size_t n = strlen(dir) + strlen(stem) + strlen(S_exts[k]) + 2;
        char *p = cnrs_xmalloc(n);
        snprintf(p, n, "%s/%s%s", dir, stem, S_exts[k]);
        if (S_is_file(p))
            return p;
        free(p);
    }
    return NULL;
}

/* Per indicator and pooled counts from one sentence's gold and predicted
 * indicator sets. */
static void S_count_sentence(const cnrs_rubric *r, cnrs_eval *e, uint32_t gold, uint32_t pred)
{
    for (size_t i = 0; i < r->nindicators; i++) {
        int g = (gold >> i) & 1, p = (pred >> i) & 1;
        if (!g && !p)
            continue;
        cnrs_eval_counts *c[3] = {&e->ind[i], &e->micro_all,
                                  r->indicators[i].stage >= 2 ? &e->micro_c6_q16 : NULL};
        for (int k = 0; k < 3; k++) {
            if (!c[k])
                continue;
            c[k]->tp += g && p;
            c[k]->fp += p && !g;
            c[k]->fn += g && !p;
        }
    }
}

static void S_eval_sentences(const cnrs_rubric *r, const cnrs_eval_sentences *ss, cnrs_eval *e)
{
    cnrs_extractor *x = cnrs_extractor_new(r);
    cnrs_evidence_set ev;
    cnrs_evidence_set_init(&ev);
    cnrs_buf scratch = CNRS_BUF_INIT;
    unsigned char *gold = cnrs_xcalloc(r->nitems ? r->nitems : 1, 1);
    unsigned char *pred = cnrs_xcalloc(r->nitems ? r->nitems : 1, 1);
    e->nsent = ss->n;
    for (size_t k = 0; k < ss->n; k++) {
        const cnrs_eval_sentence *t = &ss->v[k];
        cnrs_classify_sentence(x, t->text, strlen(t->text), (uint32_t)k, &scratch, &ev);
        uint32_t p = 0;
        memset(gold, 0, r->nitems);
        memset(pred, 0, r->nitems);
        for (size_t j = 0; j < ev.n; j++) {
            p |= 1u << ev.ev[j].indicator;
            pred[ev.ev[j].item] = 1;
        }
        for (size_t j = 0; j < t->nitems; j++)
            gold[t->items[j]] = 1;
        for (size_t j = 0; j < r->nitems; j++) {
            e->items.tp += gold[j] && pred[j];
            e->items.fp += pred[j] && !gold[j];
            e->items.fn += gold[j] && !pred[j];
        }
        S_count_sentence(r, e, t->ind, p);
        e->lang_n[t->lang]++;
        if (t->nitems)
            e->lang_pos[t->lang]++;
        else {
            e->none_n++;
            e->none_hit += p != 0;
        }
    }
    e->none_fp = e->none_n ? (double)e->none_hit / (double)e->none_n : NAN;
    free(gold);
    free(pred);
    cnrs_buf_free(&scratch);
    cnrs_evidence_set_free(&ev);
    cnrs_extractor_free(x);
}

/* Agreement of the two labellings over the ids in both. */
static void S_agreement(const cnrs_rubric *r, const cnrs_eval_sentences *first,
                        const cnrs_eval_sentences *second, cnrs_eval *e)
{
    const cnrs_eval_sentence **by_id = S_by_id(first);
    size_t any[4] = {0}, pooled[4] = {0}, same = 0; /* yy, yn, ny, nn */
    e->have_second = 1;
    for (size_t k = 0; k < second->n; k++) {
        const cnrs_eval_sentence *key = &second->v[k];
        const cnrs_eval_sentence **hit = bsearch(&key, by_id, first->n, sizeof *by_id, S_idcmp);
        if (!hit)
            continue;
        uint32_t a = (*hit)->ind, b = key->ind;
        e->agree_n++;
        any[(a ? 0 : 2) + (b ? 0 : 1)]++;
        for (size_t i = 0; i < r->nindicators; i++)
            pooled[((a >> i) & 1 ? 0 : 2) + ((b >> i) & 1 ? 0 : 1)]++;
        same += a == b;
    }
    free(by_id);
    e->kappa_any = cnrs_eval_kappa(any[0], any[1], any[2], any[3]);
    e->kappa_indicator = cnrs_eval_kappa(pooled[0], pooled[1], pooled[2], pooled[3]);
    e->identical = e->agree_n ? (double)same / (double)e->agree_n : NAN;
}

/* ---- reports, scored by a few threads ---------------------------------------------------- */

typedef struct S_pool {
    const cnrs_rubric *r;
    const cnrs_ingest_opts *io;
    cnrs_eval *e;
    int q11; /* the emissions indicator whose evidence carries figures, or -1 */
    atomic_size_t next;
} S_pool;

static void S_score_one(S_pool *p, cnrs_extractor *x, cnrs_eval_report *rep)
{
    if (!rep->path)
        return; /* no report file: error set while listing */
    cnrs_report *sc;
    cnrs_error err = {0};
    if (cnrs_score_file(x, p->r, rep->path, p->io, &sc, &err) != CNRS_OK) {
        rep->status = err.code ? err.code : CNRS_ERR_IO;
        rep->error = cnrs_xstrdup(err.msg);
        return;
    }
    const cnrs_scorecard *card = sc->card;
    rep->stage = card->stage < CNRS_EVAL_STAGES ? card->stage : CNRS_EVAL_STAGES - 1;
    for (size_t i = 0; i < card->nind && i < CNRS_MAX_INDICATORS; i++)
        rep->band[i] = card->ind[i].band;
    rep->total = card->total;
    rep->fig_hit = cnrs_xcalloc(rep->exp.nfig ? rep->exp.nfig : 1, 1);
    for (size_t k = 0; k < rep->exp.nfig; k++) {
        for (size_t g = 0; g < sc->figs.n && !rep->fig_hit[k]; g++)
            rep->fig_hit[k] = (unsigned char)cnrs_eval_figure_hit(&rep->exp.fig[k], &sc->figs.v[g]);
        rep->fig_found += rep->fig_hit[k];
    }
    /* figures of the engine that no coded figure accounts for */
    for (size_t g = 0; g < sc->figs.n; g++) {
        int hit = strcmp(sc->figs.v[g].kind, "emissions") != 0;
        for (size_t k = 0; k < rep->exp.nfig && !hit; k++)
            hit = cnrs_eval_figure_hit(&rep->exp.fig[k], &sc->figs.v[g]);
        rep->fig_extra += !hit;
    }
    cnrs_report_free(sc);
}

static void *S_worker(void *arg)
{
    S_pool *p = arg;
    cnrs_extractor *x = cnrs_extractor_new(p->r);
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->e->nrep)
            break;
        S_score_one(p, x, &p->e->rep[i]);
    }
    cnrs_extractor_free(x);
    return NULL;
}

static void S_score_reports(const cnrs_rubric *r, const cnrs_eval_opts *o, cnrs_eval *e)
{
    S_pool p = {
        .r = r, .io = o ? o->ingest : NULL, .e = e, .q11 = cnrs_rubric_find_indicator(r, "Q11")};
    atomic_init(&p.next, 0);
    int jobs = o && o->jobs > 1 ? o->jobs : 1;
    if ((size_t)jobs > e->nrep)
        jobs = e->nrep ? (int)e->nrep : 1;
    pthread_t *tid = cnrs_xcalloc((size_t)jobs, sizeof *tid);
    int started = 0;
    for (int j = 1; j < jobs; j++) /* the calling thread is worker 0 */
        if (pthread_create(&tid[started], NULL, S_worker, &p) == 0)
            started++;
    S_worker(&p);
    for (int j = 0; j < started; j++)
        pthread_join(tid[j], NULL);
    free(tid);
}

static void S_aggregate(const cnrs_rubric *r, cnrs_eval *e)
{
    size_t exact = 0, bands = 0, bexact = 0, bwithin = 0;
    double absdiff = 0, diff = 0;
    for (size_t k = 0; k < e->nrep; k++) {
        cnrs_eval_report *rep = &e->rep[k];
        rep->hand_total = cnrs_eval_hand_total(r, rep->exp.stage, rep->exp.band);
        /* A report the engine cannot read gets nothing from it: stage 0, all
         * B0, total 0, no figure (S_score_one leaves them so). That is what a
         * user of cnrs gets, so it counts like any other result. */
        if (rep->error)
            e->nfailed++;
        else
            e->nscored++;
        e->confusion[rep->exp.stage][rep->stage]++;
        exact += rep->exp.stage == rep->stage;
        for (size_t i = 0; i < r->nindicators; i++) {
            bands++;
            bexact += rep->exp.band[i] == rep->band[i];
            bwithin += (size_t)cnrs_eval_band_within1(rep->exp.band[i], rep->band[i]);
        }
        diff += rep->total - rep->hand_total;
        absdiff += fabs(rep->total - rep->hand_total);
        e->fig_coded += rep->exp.nfig;
        e->fig_found += rep->fig_found;
        e->fig_extra += rep->fig_extra;
    }
    double n = (double)e->nrep;
    e->stage_exact = e->nrep ? (double)exact / n : NAN;
    e->band_exact = bands ? (double)bexact / (double)bands : NAN;
    e->band_within1 = bands ? (double)bwithin / (double)bands : NAN;
    e->total_mad = e->nrep ? absdiff / n : NAN;
    e->total_bias = e->nrep ? diff / n : NAN;
    e->fig_share = e->fig_coded ? (double)e->fig_found / (double)e->fig_coded : NAN;
}

void cnrs_eval_clear(cnrs_eval *e)
{
    for (size_t k = 0; k < e->nrep; k++) {
        free(e->rep[k].name);
        free(e->rep[k].path);
        free(e->rep[k].error);
        free(e->rep[k].fig_hit);
        cnrs_eval_expected_clear(&e->rep[k].exp);
    }
    free(e->rep);
    memset(e, 0, sizeof *e);
}

/* The sorted names of the regular files NAME.expected in `dir`. */
static cnrs_status S_list(const char *dir, char ***names, size_t *n, cnrs_error *err)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: %s", dir, strerror(errno));
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= 9 || strcmp(de->d_name + len - 9, ".expected") != 0)
            continue;
        char *path = S_join(dir, de->d_name);
        int file = S_is_file(path);
        free(path);
        if (!file)
            continue;
        *names = cnrs_xgrow(*names, &cap, *n + 1, sizeof **names);
        (*names)[(*n)++] = cnrs_xstrdup(de->d_name);
    }
    closedir(d);
    qsort(*names, *n, sizeof **names, S_strpcmp);
    return CNRS_OK;
}

/* The second coder's NAME.expected files in DIR/second-coder (optional)
 * against the first coder's: stage and band agreement, and how many of the
 * second coder's figure values the first coder also has. Needs out->rep
 * parsed; a second-coder file without a first one is an error. */
static cnrs_status S_coders(const cnrs_rubric *r, const char *dir, cnrs_eval *out,
                            cnrs_error *err)
{
    out->coders_stage_exact = out->coders_band_exact = out->coders_band_within1 = NAN;
    char *sub = S_join(dir, "second-coder");
    struct stat st;
    if (stat(sub, &st) != 0 || !S_ISDIR(st.st_mode)) {
        free(sub);
        return CNRS_OK;
    }
    char **names;
    size_t nnames, stage_same = 0, bands = 0, bexact = 0, bwithin = 0;
    cnrs_status rc = S_list(sub, &names, &nnames, err);
    for (size_t k = 0; rc == CNRS_OK && k < nnames; k++) {
        size_t stem = strlen(names[k]) - strlen(".expected");
        const cnrs_eval_report *first = NULL;
        for (size_t j = 0; j < out->nrep && !first; j++)
            if (strlen(out->rep[j].name) == stem && strncmp(out->rep[j].name, names[k], stem) == 0)
                first = &out->rep[j];
        char *path = S_join(sub, names[k]), *text = NULL;
        size_t len;
        cnrs_eval_expected second = {0};
        if (!first)
            rc = cnrs_error_set(err, CNRS_ERR_PARSE, "%s: no first coding %s/%s", path, dir,
                                names[k]);
        else if ((rc = cnrs_read_file(path, (size_t)16 << 20, &text, &len, err)) == CNRS_OK)
            rc = cnrs_eval_parse_expected(r, path, text, len, &second, err);
        if (rc == CNRS_OK) {
            out->coders_n++;
            out->coders_confusion[first->exp.stage][second.stage]++;
            stage_same += first->exp.stage == second.stage;
            for (size_t i = 0; i < r->nindicators; i++) {
                bands++;
                bexact += first->exp.band[i] == second.band[i];
                bwithin += (size_t)cnrs_eval_band_within1(first->exp.band[i], second.band[i]);
            }
            for (size_t f = 0; f < second.nfig; f++) {
                out->coders_figs++;
                for (size_t g = 0; g < first->exp.nfig; g++)
                    if (cnrs_eval_figure_matches(second.fig[f].value, first->exp.fig[g].value,
                                                 strlen(first->exp.fig[g].value))) {
                        out->coders_figs_same++;
                        break;
                    }
            }
            cnrs_eval_expected_clear(&second);
        }
        free(text);
        free(path);
    }
    for (size_t k = 0; k < nnames; k++)
        free(names[k]);
    free(names);
    free(sub);
    if (out->coders_n) {
        out->coders_stage_exact = (double)stage_same / (double)out->coders_n;
        out->coders_band_exact = (double)bexact / (double)bands;
        out->coders_band_within1 = (double)bwithin / (double)bands;
    }
    return rc;
}

cnrs_status cnrs_eval_run(const cnrs_rubric *r, const char *dir, const cnrs_eval_opts *opts,
                          cnrs_eval *out, cnrs_error *err)
{
    memset(out, 0, sizeof *out);
    out->nind = r->nindicators;
    out->none_fp = out->kappa_any = out->kappa_indicator = out->identical = NAN;
    char **names;
    size_t nnames;
    cnrs_eval_sentences first = {0}, second = {0};
    char *text = NULL, *path;
    size_t len;
    int have_second = 0;
    cnrs_status st = S_list(dir, &names, &nnames, err);
    if (st != CNRS_OK)
        return st;
    if (nnames == 0) {
        st = cnrs_error_set(err, CNRS_ERR_PARSE, "%s: no NAME.expected files (docs/eval.md)", dir);
        goto done;
    }

    /* Every file is read and checked before anything is scored. */
    path = S_join(dir, "sentences.tsv");
    if ((st = S_read(dir, "sentences.tsv", 0, &text, &len, err)) == CNRS_OK)
        st = cnrs_eval_parse_sentences(r, path, text, len, 0, &first, err);
    free(path);
    free(text);
    text = NULL;
    if (st != CNRS_OK)
        goto done;
    path = S_join(dir, "sentences-second.tsv");
    if ((st = S_read(dir, "sentences-second.tsv", 1, &text, &len, err)) == CNRS_OK && text)
        st = cnrs_eval_parse_sentences(r, path, text, len, 1, &second, err);
    free(path);
    have_second = text != NULL;
    free(text);
    text = NULL;
    if (st != CNRS_OK)
        goto done;

    out->rep = cnrs_xcalloc(nnames, sizeof *out->rep);
    for (size_t k = 0; k < nnames; k++) {
        cnrs_eval_report *rep = &out->rep[out->nrep++];
        size_t stem = strlen(names[k]) - strlen(".expected");
        rep->name = cnrs_xstrndup(names[k], stem);
        path = S_join(dir, names[k]);
        if ((st = cnrs_read_file(path, (size_t)16 << 20, &text, &len, err)) == CNRS_OK)
            st = cnrs_eval_parse_expected(r, path, text, len, &rep->exp, err);
        free(path);
        free(text);
        text = NULL;
        if (st != CNRS_OK)
            goto done;
        rep->path = S_report_path(dir, rep->name);
        if (!rep->path) {
            rep->status = CNRS_ERR_IO;
            cnrs_buf b = CNRS_BUF_INIT;
            cnrs_buf_printf(&b, "%s/%s.expected: no report beside it (%s.txt, .html, .pdf ...)",
                            dir, rep->name, rep->name);
            rep->error = cnrs_buf_steal(&b);
        }
    }

    if ((st = S_coders(r, dir, out, err)) != CNRS_OK)
        goto done;
    S_eval_sentences(r, &first, out);
    if (have_second)
        S_agreement(r, &first, &second, out);
    S_score_reports(r, opts, out);
    S_aggregate(r, out);
done:
    for (size_t k = 0; k < nnames; k++)
        free(names[k]);
    free(names);
    cnrs_eval_sentences_clear(&first);
    cnrs_eval_sentences_clear(&second);
    if (st != CNRS_OK)
        cnrs_eval_clear(out);
    return st;
}
