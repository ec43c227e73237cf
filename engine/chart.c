/* chart.c - bar charts printed as data labels -> caption, year header and one
 * row per series (rules in chart.h). */
#include "chart.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* At most this many series in a stacked chart, and years on its axis. */
#define S_MAXK 6
#define S_MAXY 16

/* The passes below compare pieces pairwise; a chart is a few hundred
 * pieces, so a page with more is a dense table or hostile, and not read. */
#define S_MAXPIECES 3000

typedef struct S_info {
    int year;      /* > 0: a year label */
    char ylab[16]; /* as the header prints it */
    uint8_t num;   /* a bare number: a data label */
    uint8_t glued; /* touches a piece of its row: part of a word (CO + 2) */
    uint8_t tickp; /* parses as an axis tick (50K, 3,000, 10%) */
    int tick;      /* > 0: tick group id */
    double tv;     /* tick value */
} S_info;

typedef struct S_box {
    float x0, y0, x1, y1;
} S_box;

typedef struct S_ctx {
    const cnrs_chart_piece *p;
    size_t n;
    S_info *in;
    unsigned char *used;
    unsigned char *take; /* scratch: pieces of the chart being read */
    S_box *groups;       /* tick groups, by id - 1 */
    size_t ngroups;
    float pw, ph;
    cnrs_buf *text;
    cnrs_chart_line **lines;
    size_t *nlines, *cap;
} S_ctx;

/* ==== pieces ================================================================ */

static int S_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A year label filling the whole piece: 2018, 2020年, 2020年度, FY2019,
 * FY19, '18 (straight or curly apostrophe). Returns the year (0: none) and
 * writes the header text: 4-digit forms as printed, 2-digit ones with the
 * century (FY19 -> FY2019, '18 -> 2018). */
static int S_year_label(const char *s, size_t n, char *out, size_t cap)
{
    size_t i = 0;
    int fy = 0, apo = 0;
    if (n >= 2 && (s[0] == 'F' || s[0] == 'f') && (s[1] == 'Y' || s[1] == 'y')) {
        fy = 1;
        i = 2;
        if (i < n && s[i] == ' ')
            i++;
    } else if (n >= 1 && s[0] == '\'') {
        apo = 1;
        i = 1;
    } else if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
               ((unsigned char)s[2] == 0x98 || (unsigned char)s[2] == 0x99)) {
        apo = 1;
        i = 3;
    }
    size_t d = i;
    while (d < n && S_digit(s[d]))
        d++;
    size_t nd = d - i, rest = n - d;
    static const char nian[] = "\xE5\xB9\xB4", du[] = "\xE5\xBA\xA6"; /* 年 度 */
    if (rest && !(fy || apo) && nd == 4 && (rest == 3 || rest == 6) && !memcmp(s + d, nian, 3) &&
        (rest == 3 || !memcmp(s + d + 3, du, 3)))
        rest = 0;
    if (rest)
        return 0;
    int y = 0; /* the text is not NUL-terminated: no atoi */
    for (size_t k = i; k < d && nd <= 4; k++)
        y = y * 10 + (s[k] - '0');
    if (nd == 2 && (fy || apo))
        y += 2000;
    else if (!(nd == 4 && !apo))
        y = 0;
    if (y < 1990 || y > 2099)
        return 0;
    if (fy)
        snprintf(out, cap, "FY%d", y);
    else if (nd == 4)
        snprintf(out, cap, "%.*s", (int)n, s);
    else
        snprintf(out, cap, "%d", y);
    return y;
}

/* A bare number: optional minus, digits with comma groups of three, an
 * optional decimal part; nothing else. */
static int S_bare_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    size_t d = i;
    while (i < n && S_digit(s[i]))
        i++;
    if (i == d)
        return 0;
    while (i < n && s[i] == ',') {
        if (i - d > 3 || i + 4 > n || !S_digit(s[i + 1]) || !S_digit(s[i + 2]) ||
            !S_digit(s[i + 3]) || (i + 4 < n && S_digit(s[i + 4])))
            return 0;
        i += 4;
        d = i - 3;
    }
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && S_digit(s[i]))
            i++;
        if (i == f)
            return 0;
    }
    return i == n;
}

/* An axis tick: a number (commas and a decimal point allowed) with an
 * optional K, M, B or % suffix. Sets *v. */
static int S_tick_number(const char *s, size_t n, double *v)
{
    char buf[32];
    size_t k = 0, i = 0;
    if (i < n && s[i] == '-')
        buf[k++] = s[i++];
    size_t d = i;
    while (i < n && k < sizeof buf - 1 && (S_digit(s[i]) || s[i] == ',' || s[i] == '.')) {
        if (s[i] != ',')
            buf[k++] = s[i];
        i++;
    }
    if (i == d || !S_digit(s[d]))
        return 0;
    buf[k] = 0;
    double m = 1;
    if (i < n && s[i] == ' ')
        i++;
    if (i < n) {
        char c = s[i];
        m = c == 'K' || c == 'k' ? 1e3 : c == 'M' ? 1e6 : c == 'B' ? 1e9 : c == '%' ? 1 : 0;
        if (m == 0 || i + 1 != n)
            return 0;
    }
    *v = strtod(buf, NULL) * m;
    return 1;
}

/* ==== geometry: a = along the year axis, c = across it ====================== */

static float S_a0(const cnrs_chart_piece *p, int o)
{
    return o ? p->y0 : p->x0;
}
static float S_a1(const cnrs_chart_piece *p, int o)
{
    return o ? p->y1 : p->x1;
}
static float S_c0(const cnrs_chart_piece *p, int o)
{
    return o ? p->x0 : p->y0;
}
static float S_c1(const cnrs_chart_piece *p, int o)
{
    return o ? p->x1 : p->y1;
}
static float S_ac(const cnrs_chart_piece *p, int o)
{
    return (S_a0(p, o) + S_a1(p, o)) / 2;
}
static float S_cc(const cnrs_chart_piece *p, int o)
{
    return (S_c0(p, o) + S_c1(p, o)) / 2;
}
static float S_h(const cnrs_chart_piece *p)
{
    return p->y1 - p->y0 > 1 ? p->y1 - p->y0 : 1;
}

static float S_yoverlap(const cnrs_chart_piece *a, const cnrs_chart_piece *b)
{
    float lo = a->y0 > b->y0 ? a->y0 : b->y0, hi = a->y1 < b->y1 ? a->y1 : b->y1;
    return hi - lo;
}

static int S_same_row(const cnrs_chart_piece *a, const cnrs_chart_piece *b)
{
    float h = S_h(a) < S_h(b) ? S_h(a) : S_h(b);
    return S_yoverlap(a, b) >= 0.5f * h;
}

static void S_grow(S_box *b, const cnrs_chart_piece *p)
{
    b->x0 = fminf(b->x0, p->x0);
    b->y0 = fminf(b->y0, p->y0);
    b->x1 = fmaxf(b->x1, p->x1);
    b->y1 = fmaxf(b->y1, p->y1);
}

/* ==== axis ticks ============================================================= */

static const cnrs_chart_piece *S_sort_base;
static int S_sort_o;

static int S_cmp_y(const void *a, const void *b)
{
    const cnrs_chart_piece *p = &S_sort_base[*(const size_t *)a],
                           *q = &S_sort_base[*(const size_t *)b];
    float u = S_sort_o ? p->x0 : p->y0, v = S_sort_o ? q->x0 : q->y0;
    return u < v ? -1 : u > v;
}

/* Whether members m[0..k) (sorted by position) are evenly spaced, in
 * arithmetic progression of their values. o: 0 a column, 1 a row. */
static int S_tick_run(const S_ctx *c, const size_t *m, size_t k, int o)
{
    if (k < 3)
        return 0;
    float first = o ? S_ac(&c->p[m[0]], 0) : S_cc(&c->p[m[0]], 0);
    float last = o ? S_ac(&c->p[m[k - 1]], 0) : S_cc(&c->p[m[k - 1]], 0);
    float mean = (last - first) / (float)(k - 1);
    if (!(mean > 0))
        return 0;
    double d = c->in[m[1]].tv - c->in[m[0]].tv;
    if (d == 0)
        return 0;
    for (size_t i = 1; i < k; i++) {
        float a = o ? S_ac(&c->p[m[i - 1]], 0) : S_cc(&c->p[m[i - 1]], 0);
        float b = o ? S_ac(&c->p[m[i]], 0) : S_cc(&c->p[m[i]], 0);
        if (b - a < 0.8f * mean || b - a > 1.25f * mean)
            return 0;
        double di = c->in[m[i]].tv - c->in[m[i - 1]].tv;
        if (fabs(di - d) > 1e-6 * fabs(d) + 1e-9)
            return 0;
    }
    return 1;
}

/* Mark groups of tick numbers sharing a left edge, right edge or row. */
static void S_ticks(S_ctx *c)
{
    size_t *m = cnrs_xmalloc((c->n + 1) * sizeof *m);
    size_t gcap = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->in[i].tickp || c->in[i].tick || c->used[i])
            continue;
        for (int key = 0; key < 3; key++) {
            size_t k = 0;
            const cnrs_chart_piece *a = &c->p[i];
            for (size_t j = 0; j < c->n; j++) {
                if (!c->in[j].tickp || c->in[j].tick || c->used[j])
                    continue;
                const cnrs_chart_piece *b = &c->p[j];
                int same = key == 0   ? fabsf(a->x0 - b->x0) <= 2
                           : key == 1 ? fabsf(a->x1 - b->x1) <= 2
                                      : fabsf(S_cc(a, 0) - S_cc(b, 0)) <= 0.3f * S_h(a);
                if (same)
                    m[k++] = j;
            }
            S_sort_base = c->p;
            S_sort_o = key == 2;
            qsort(m, k, sizeof *m, S_cmp_y);
            if (!S_tick_run(c, m, k, key == 2))
                continue;
            c->groups = cnrs_xgrow(c->groups, &gcap, c->ngroups + 1, sizeof *c->groups);
            S_box *g = &c->groups[c->ngroups++];
            *g = (S_box){FLT_MAX, FLT_MAX, -FLT_MAX, -FLT_MAX};
            for (size_t t = 0; t < k; t++) {
                c->in[m[t]].tick = (int)c->ngroups;
                S_grow(g, &c->p[m[t]]);
            }
            break;
        }
    }
    free(m);
}

/* ==== text rows: caption and legend ========================================== */

/* Append piece p to b, with a space when the pieces are apart and neither
 * side is beyond ASCII (CJK needs none). */
static void S_join(cnrs_buf *b, const cnrs_chart_piece *prev, const cnrs_chart_piece *p)
{
    if (prev && b->len) {
        float h = fminf(S_h(prev), S_h(p));
        int apart = p->x0 - prev->x1 > 0.15f * h || (prev->blank & 2) || (p->blank & 1);
        unsigned char last = (unsigned char)b->data[b->len - 1], first = (unsigned char)p->text[0];
        if (apart && last != ' ' && last < 0x80 && first < 0x80)
            cnrs_buf_putc(b, ' ');
    }
    cnrs_buf_append(b, p->text, p->len);
}

static int S_cmp_x(const void *a, const void *b)
{
    const cnrs_chart_piece *p = &S_sort_base[*(const size_t *)a],
                           *q = &S_sort_base[*(const size_t *)b];
    return p->x0 < q->x0 ? -1 : p->x0 > q->x0;
}

/* The row of text nearest above (below = 0) or under (below = 1) the box,
 * overlapping it and within six of its line heights: its pieces in x order
 * in row[] (returns the count, at most cap), with chain[] numbering the
 * runs of touching pieces (gap within 0.8 line height). Pieces already
 * used or taken are not looked at; *seed_chain is the chain of the piece
 * nearest the box. */
static size_t S_text_row(const S_ctx *c, const S_box *bb, int below, size_t *row, int *chain,
                         size_t cap, int *seed_chain)
{
    size_t seed = SIZE_MAX;
    for (size_t j = 0; j < c->n; j++) {
        const cnrs_chart_piece *p = &c->p[j];
        if (c->used[j] || c->take[j] || p->x1 < bb->x0 || p->x0 > bb->x1)
            continue;
        float h = S_h(p);
        float gap = below ? p->y0 - bb->y1 : bb->y0 - p->y1;
        if (gap < -0.3f * h || gap > 6 * h)
            continue;
        if (seed == SIZE_MAX || (below ? p->y0 < c->p[seed].y0 : p->y1 > c->p[seed].y1))
            seed = j;
    }
    if (seed == SIZE_MAX)
        return 0;
    size_t k = 0;
    for (size_t j = 0; j < c->n && k < cap; j++)
        if (!c->used[j] && !c->take[j] && S_same_row(&c->p[seed], &c->p[j]))
            row[k++] = j;
    S_sort_base = c->p;
    qsort(row, k, sizeof *row, S_cmp_x);
    int ch = 0;
    for (size_t t = 0; t < k; t++) {
        if (t) {
            const cnrs_chart_piece *a = &c->p[row[t - 1]], *b = &c->p[row[t]];
            float h = fmaxf(S_h(a), S_h(b));
            if (b->x0 - a->x1 > 0.8f * h)
                ch++;
        }
        chain[t] = ch;
    }
    for (size_t t = 0; t < k; t++)
        if (row[t] == seed)
            *seed_chain = chain[t];
    return k;
}

/* Text of chain `ch` of a row into b (reset first); 1 when it holds a
 * letter and is not a bare number. */
static int S_chain_text(const S_ctx *c, const size_t *row, const int *chain, size_t k, int ch,
                        cnrs_buf *b, S_box *box)
{
    cnrs_buf_reset(b);
    const cnrs_chart_piece *prev = NULL;
    int letter = 0;
    for (size_t t = 0; t < k; t++) {
        if (chain[t] != ch)
            continue;
        const cnrs_chart_piece *p = &c->p[row[t]];
        S_join(b, prev, p);
        if (box)
            S_grow(box, p);
        prev = p;
        for (size_t i = 0; i < p->len; i++) {
            unsigned char u = (unsigned char)p->text[i];
            letter |= u >= 0x80 || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
        }
    }
    return letter;
}

/* ==== one chart ============================================================== */

typedef struct S_cand {
    size_t i;
    float d; /* distance from the axis */
} S_cand;

static int S_cmp_cand(const void *a, const void *b)
{
    const S_cand *p = a, *q = b;
    return p->d < q->d ? -1 : p->d > q->d;
}

static void S_add_line(S_ctx *c, int kind, size_t off, const S_box *bb)
{
    *c->lines = cnrs_xgrow(*c->lines, c->cap, *c->nlines + 1, sizeof **c->lines);
    (*c->lines)[(*c->nlines)++] =
        (cnrs_chart_line){kind, off, c->text->len - off, bb->x0, bb->y0, bb->x1, bb->y1};
}

/* Try the chart whose year labels are run[0..m) (o: 0 a row, vertical
 * bars; 1 a column, horizontal bars). Returns 1 when read. */
static int S_try(S_ctx *c, const size_t *run, size_t m, int o)
{
    const cnrs_chart_piece *P = c->p;
    float ca[S_MAXY] = {0};
    float yc0 = FLT_MAX, yc1 = -FLT_MAX, lh = 1;
    for (size_t k = 0; k < m; k++) {
        ca[k] = S_ac(&P[run[k]], o);
        yc0 = fminf(yc0, S_c0(&P[run[k]], o));
        yc1 = fmaxf(yc1, S_c1(&P[run[k]], o));
        lh = fmaxf(lh, S_h(&P[run[k]]));
    }
    float sp = (ca[m - 1] - ca[0]) / (float)(m - 1);
    if (!(sp > 0))
        return 0;
    for (size_t k = 0; k < m; k++)
        if (S_a1(&P[run[k]], o) - S_a0(&P[run[k]], o) >= sp)
            return 0;
    float r0 = ca[0] - sp / 2, r1 = ca[m - 1] + sp / 2;
    float limit = (o ? c->pw : c->ph) > 0 ? 0.45f * (o ? c->pw : c->ph) : FLT_MAX;
    memset(c->take, 0, c->n);
    for (size_t k = 0; k < m; k++)
        c->take[run[k]] = 1;

    /* candidates on each side of the axis, nearest first */
    S_cand *cand[2];
    size_t nc[2] = {0, 0};
    cand[0] = cnrs_xmalloc((c->n + 1) * sizeof *cand[0]);
    cand[1] = cnrs_xmalloc((c->n + 1) * sizeof *cand[1]);
    int ok = 1;
    for (size_t j = 0; j < c->n && ok; j++) {
        const cnrs_chart_piece *p = &P[j];
        if (c->used[j] || c->take[j] || c->in[j].tick)
            continue;
        float a = S_ac(p, o);
        if (a < r0 || a > r1)
            continue;
        float tol = 0.3f * lh;
        if (S_c1(p, o) <= yc0 + tol)
            cand[0][nc[0]++] = (S_cand){j, yc0 - S_c1(p, o)};
        else if (S_c0(p, o) >= yc1 - tol)
            cand[1][nc[1]++] = (S_cand){j, S_c0(p, o) - yc1};
        else
            ok = 0; /* something on the axis between the years */
    }
    size_t *vals = cnrs_xmalloc((c->n + 1) * sizeof *vals);
    size_t nv = 0;
    int side = -1;
    for (int s = 0; s < 2 && ok; s++) {
        qsort(cand[s], nc[s], sizeof *cand[s], S_cmp_cand);
        size_t got = 0;
        for (size_t t = 0; t < nc[s]; t++) {
            const S_cand *q = &cand[s][t];
            const S_info *f = &c->in[q->i];
            if (q->d > limit)
                break;
            if (f->num && !f->glued && !f->year) {
                vals[nv++] = q->i;
                got++;
                continue;
            }
            /* the first text ends the chart; numbers on the year centres
             * just past it say it did not (a note among the bars) */
            const cnrs_chart_piece *st = &P[q->i];
            float past = q->d + (S_c1(st, o) - S_c0(st, o)) + 2 * S_h(st);
            for (size_t u = t + 1; u < nc[s] && cand[s][u].d <= past && ok; u++) {
                const S_info *g = &c->in[cand[s][u].i];
                if (!g->num || g->glued || !got)
                    continue;
                float a = S_ac(&P[cand[s][u].i], o);
                for (size_t k = 0; k < m; k++)
                    if (fabsf(a - ca[k]) <= 0.25f * sp)
                        ok = 0;
            }
            break;
        }
        if (got) {
            if (side >= 0)
                ok = 0; /* numbers on both sides */
            side = s;
        }
    }
    free(cand[0]);
    free(cand[1]);
    if (!ok || nv == 0) {
        free(vals);
        return 0;
    }

    /* values onto the years; the same count K in each */
    size_t cnt[S_MAXY] = {0}, slot[S_MAXY][S_MAXK];
    for (size_t v = 0; v < nv && ok; v++) {
        const cnrs_chart_piece *p = &P[vals[v]];
        float a = S_ac(p, o);
        size_t best = 0;
        for (size_t k = 1; k < m; k++)
            if (fabsf(a - ca[k]) < fabsf(a - ca[best]))
                best = k;
        if (fabsf(a - ca[best]) > 0.25f * sp || S_a1(p, o) - S_a0(p, o) > 1.2f * sp ||
            cnt[best] >= S_MAXK)
            ok = 0;
        else
            slot[best][cnt[best]++] = vals[v];
    }
    free(vals);
    size_t K = ok ? cnt[0] : 0;
    for (size_t k = 0; k < m && ok; k++)
        ok = cnt[k] == K;
    if (!ok || K == 0 || (K > 1 && o == 1))
        return 0;
    /* rank from the baseline: bottom up (vertical), left to right */
    for (size_t k = 0; k < m; k++) {
        for (size_t a = 1; a < K; a++)
            for (size_t b = a; b > 0; b--) {
                float u = S_cc(&P[slot[k][b - 1]], o), w = S_cc(&P[slot[k][b]], o);
                if (o ? w < u : w > u) {
                    size_t t = slot[k][b - 1];
                    slot[k][b - 1] = slot[k][b];
                    slot[k][b] = t;
                }
            }
        for (size_t a = 1; a < K; a++) {
            const cnrs_chart_piece *p = &P[slot[k][a - 1]], *q = &P[slot[k][a]];
            float ov = fminf(S_c1(p, o), S_c1(q, o)) - fmaxf(S_c0(p, o), S_c0(q, o));
            if (ov > 0.3f * fminf(S_c1(p, o) - S_c0(p, o), S_c1(q, o) - S_c0(q, o)))
                return 0; /* side by side, not stacked */
        }
    }
    for (size_t k = 0; k < m; k++)
        for (size_t a = 0; a < K; a++)
            c->take[slot[k][a]] = 1;

    /* the box, with the ticks next to it; a table needs them */
    S_box bb = {FLT_MAX, FLT_MAX, -FLT_MAX, -FLT_MAX};
    for (size_t j = 0; j < c->n; j++)
        if (c->take[j])
            S_grow(&bb, &P[j]);
    int table = 1;
    for (size_t a = 0; a < K && table; a++) {
        float lo = FLT_MAX, hi = -FLT_MAX;
        for (size_t k = 0; k < m; k++) {
            lo = fminf(lo, S_c0(&P[slot[k][a]], o));
            hi = fmaxf(hi, S_c0(&P[slot[k][a]], o));
        }
        table = hi - lo <= 2;
    }
    S_box near = {bb.x0 - sp, bb.y0 - sp, bb.x1 + sp, bb.y1 + sp};
    int ticks = 0;
    for (size_t g = 0; g < c->ngroups; g++) {
        const S_box *t = &c->groups[g];
        if (t->x1 < near.x0 || t->x0 > near.x1 || t->y1 < near.y0 || t->y0 > near.y1)
            continue;
        ticks = 1;
        for (size_t j = 0; j < c->n; j++)
            if (c->in[j].tick == (int)g + 1 && !c->used[j])
                c->take[j] = 1;
        bb.x0 = fminf(bb.x0, t->x0);
        bb.y0 = fminf(bb.y0, t->y0);
        bb.x1 = fmaxf(bb.x1, t->x1);
        bb.y1 = fmaxf(bb.y1, t->y1);
    }
    if (table && !ticks)
        return 0;

    /* caption above, legend under */
    enum { CAP = 64 };
    size_t crow[CAP], lrow[CAP];
    int cch[CAP], lch[CAP], cseed = 0, lseed = 0; /* lseed: unused */
    size_t nk = S_text_row(c, &bb, 0, crow, cch, CAP, &cseed);
    size_t nl = S_text_row(c, &bb, 1, lrow, lch, CAP, &lseed);
    cnrs_buf cap = CNRS_BUF_INIT, lab[S_MAXK];
    int has_cap = nk && S_chain_text(c, crow, cch, nk, cseed, &cap, NULL);
    size_t nleg = 0;
    int legend_ok = nl > 0, legch[S_MAXK]; /* the chains of the legend's labels */
    for (size_t a = 0; a < S_MAXK; a++)
        lab[a] = (cnrs_buf)CNRS_BUF_INIT;
    int chains = nl ? lch[nl - 1] + 1 : 0;
    for (int ch = 0; ch < chains && legend_ok; ch++) {
        cnrs_buf t = CNRS_BUF_INIT;
        S_box eb = {FLT_MAX, FLT_MAX, -FLT_MAX, -FLT_MAX};
        int letter = S_chain_text(c, lrow, lch, nl, ch, &t, &eb);
        float mid = (eb.x0 + eb.x1) / 2;
        if (mid >= bb.x0 && mid <= bb.x1) {
            if (!letter || t.len > 48 || t.data[0] == '*' || nleg >= S_MAXK)
                legend_ok = 0;
            else {
                legch[nleg] = ch;
                lab[nleg++] = t;
                t = (cnrs_buf)CNRS_BUF_INIT;
            }
        }
        cnrs_buf_free(&t);
    }
    legend_ok = legend_ok && nleg > 0;
    int use_legend = legend_ok && nleg == K;
    int read = use_legend || (K == 1 && has_cap);
    if (read) {
        /* consume and write */
        for (size_t j = 0; j < c->n; j++)
            if (c->take[j])
                c->used[j] = 1;
        for (size_t t = 0; t < nk && has_cap; t++)
            if (cch[t] == cseed)
                c->used[crow[t]] = 1;
        for (size_t a = 0; a < nleg && use_legend; a++)
            for (size_t t = 0; t < nl; t++)
                if (lch[t] == legch[a])
                    c->used[lrow[t]] = 1;
        size_t off = c->text->len;
        if (use_legend && has_cap) {
            cnrs_buf_append(c->text, cap.data, cap.len);
            S_add_line(c, CNRS_CHART_CAPTION, off, &bb);
        }
        off = c->text->len;
        for (size_t k = 0; k < m; k++) {
            if (k)
                cnrs_buf_puts(c->text, " | ");
            cnrs_buf_puts(c->text, c->in[run[k]].ylab);
        }
        S_add_line(c, CNRS_CHART_ROW, off, &bb);
        for (size_t a = 0; a < K; a++) {
            off = c->text->len;
            const cnrs_buf *name = use_legend ? &lab[a] : &cap;
            cnrs_buf_append(c->text, name->data, name->len);
            for (size_t k = 0; k < m; k++) {
                const cnrs_chart_piece *p = &P[slot[k][a]];
                cnrs_buf_puts(c->text, " | ");
                cnrs_buf_append(c->text, p->text, p->len);
            }
            S_add_line(c, CNRS_CHART_ROW, off, &bb);
        }
    }
    cnrs_buf_free(&cap);
    for (size_t a = 0; a < S_MAXK; a++)
        cnrs_buf_free(&lab[a]);
    return read;
}

/* ==== year runs ============================================================== */

/* Split the year labels m[0..k) (sorted along the axis) into increasing,
 * evenly spaced runs and try each. */
static size_t S_runs(S_ctx *c, const size_t *m, size_t k, int o)
{
    size_t read = 0, a = 0;
    while (a < k) {
        size_t b = a + 1;
        float first = 0;
        while (b < k && b - a < S_MAXY) {
            float gap = S_ac(&c->p[m[b]], o) - S_ac(&c->p[m[b - 1]], o);
            if (c->in[m[b]].year <= c->in[m[b - 1]].year || !(gap > 0))
                break;
            if (b == a + 1)
                first = gap;
            else if (gap < 0.7f * first || gap > 1.4f * first)
                break;
            b++;
        }
        if (b - a >= 2) {
            int fresh = 1;
            for (size_t t = a; t < b; t++)
                fresh &= !c->used[m[t]];
            if (fresh)
                read += (size_t)S_try(c, m + a, b - a, o);
        }
        a = b;
    }
    return read;
}

size_t cnrs_chart_read(const cnrs_chart_piece *p, size_t n, float page_w, float page_h,
                       unsigned char *used, cnrs_buf *text, cnrs_chart_line **lines, size_t *nlines,
                       size_t *cap)
{
    if (n < 4 || n > S_MAXPIECES)
        return 0;
    S_ctx c = {p, n, NULL, used, NULL, NULL, 0, page_w, page_h, text, lines, nlines, cap};
    c.in = cnrs_xcalloc(n, sizeof *c.in);
    size_t nyears = 0;
    for (size_t i = 0; i < n; i++) {
        S_info *f = &c.in[i];
        f->year = S_year_label(p[i].text, p[i].len, f->ylab, sizeof f->ylab);
        nyears += f->year > 0;
        f->num = (uint8_t)S_bare_number(p[i].text, p[i].len);
        f->tickp = (uint8_t)(!f->year && S_tick_number(p[i].text, p[i].len, &f->tv));
    }
    if (nyears < 2) {
        free(c.in);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!c.in[i].num)
            continue;
        for (size_t j = 0; j < n && !c.in[i].glued; j++) {
            if (j == i || !S_same_row(&p[i], &p[j]))
                continue;
            float h = fminf(S_h(&p[i]), S_h(&p[j]));
            float gap = p[j].x0 >= p[i].x0 ? p[j].x0 - p[i].x1 : p[i].x0 - p[j].x1;
            if (gap <= 0.25f * h && gap >= -0.3f * h)
                c.in[i].glued = 1;
        }
    }
    c.take = cnrs_xcalloc(n, 1);
    S_ticks(&c);
    size_t *m = cnrs_xmalloc(n * sizeof *m), *ys = cnrs_xmalloc(n * sizeof *ys);
    unsigned char *seen = cnrs_xcalloc(n, 1);
    size_t ny = 0, read = 0;
    for (size_t i = 0; i < n; i++)
        if (c.in[i].year)
            ys[ny++] = i;
    /* rows of year labels (vertical bars), then columns (horizontal bars) */
    for (int o = 0; o < 2; o++) {
        memset(seen, 0, n);
        for (size_t t = 0; t < ny; t++) {
            size_t i = ys[t];
            if (seen[i] || used[i])
                continue;
            size_t k = 0;
            for (size_t u = 0; u < ny; u++) {
                size_t j = ys[u];
                if (seen[j] || used[j])
                    continue;
                int same = o == 0 ? fabsf(S_cc(&p[i], 0) - S_cc(&p[j], 0)) <= 0.5f * S_h(&p[i])
                                  : fabsf(p[i].x0 - p[j].x0) <= 3 || fabsf(p[i].x1 - p[j].x1) <= 3;
                if (same) {
                    m[k++] = j;
                    seen[j] = 1;
                }
            }
            S_sort_base = p;
            S_sort_o = o == 0; /* sort a row by x, a column by y */
            qsort(m, k, sizeof *m, S_cmp_y);
            read += S_runs(&c, m, k, o);
        }
    }
    free(seen);
    free(m);
    free(ys);
    free(c.take);
    free(c.groups);
    free(c.in);
    return read;
}
