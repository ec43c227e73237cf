/* site_inventory.c - a scorecard's emissions inventory (see site_inventory.h):
 * the table by scope and year, the chart, the intensities; two languages. */
#include "site_inventory.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

enum { S_S1, S_S2, S_S12, S_S3, S_TOT, S_NSCOPE };
enum { S_NBASIS = 3 }; /* not stated, market, location */
#define S_NONE SIZE_MAX

/* Table and chart order: each part before its sums. */
static const char *const S_scope_id[S_NSCOPE] = {"1", "2", "1+2", "3", "total"};
static const char *const S_scope_cls[S_NSCOPE] = {"sc1", "sc2", "sc12", "sc3", "sct"};

/* The words of the section. */
typedef struct S_words {
    const char *title, *none, *unit_note, *chart_title, *chart_note, *int_title;
    const char *th_scope, *th_year, *th_value, *th_page, *year_unknown;
    const char *scope[S_NSCOPE];
    const char *basis[S_NBASIS]; /* appended to a scope */
    const char *page_fmt;        /* %d */
} S_words;

static const S_words S_zh = {
    .title = "排放清单",
    .none = "报告中未找到公司自身的温室气体排放数字。",
    .unit_note = "单位：吨二氧化碳当量（tCO2e）。鼠标停在数字上，可见报告原文的数值、单位和页码。",
    .chart_title = "各年份、各范围的排放量（吨二氧化碳当量）",
    .chart_note = "为避免重复计算，图中的“范围一+二”只画在没有单独范围一、范围二数字的年份，"
                  "“排放总量”只画在没有任何分范围数字的年份；表中列出全部数字。",
    .int_title = "排放强度",
    .th_scope = "范围",
    .th_year = "年份",
    .th_value = "数值（按原文）",
    .th_page = "页码",
    .year_unknown = "年份未知",
    .scope = {"范围一", "范围二", "范围一+二", "范围三", "排放总量"},
    .basis = {"", "（基于市场）", "（基于位置）"},
    .page_fmt = "第 %d 页",
};

static const S_words S_en = {
    .title = "Emissions inventory",
    .none = "No own-emission figures were found in the report.",
    .unit_note = "In tCO2e. Hover over a number for the value and unit as printed in the report, "
                 "and its page.",
    .chart_title = "Emissions by year and scope (tCO2e)",
    .chart_note = "To avoid double counting, the chart shows Scopes 1+2 only in years without a "
                  "separate Scope 1 or 2 figure, and the total only in years without any scope "
                  "figure; the table lists every figure.",
    .int_title = "Intensities",
    .th_scope = "Scope",
    .th_year = "Year",
    .th_value = "Value as printed",
    .th_page = "Page",
    .year_unknown = "Year unknown",
    .scope = {"Scope 1", "Scope 2", "Scopes 1+2", "Scope 3", "Total"},
    .basis = {"", " (market-based)", " (location-based)"},
    .page_fmt = "p. %d",
};

typedef struct S_inv {
    cnrs_buf *b;
    const S_words *W;
    const cnrs_stored_figure *fig;
    size_t n;
    int paged;  /* 0: a text without pages, whose figures all say page 1 */
    int *years; /* distinct years of the emission figures, ascending, 0 last */
    size_t nyears;
    cnrs_buf t, u; /* scratch */
} S_inv;

/* ---- reading the figures ---------------------------------------------------------- */

static int S_scope(const char *s)
{
    for (int k = 0; s && k < S_NSCOPE; k++)
        if (strcmp(s, S_scope_id[k]) == 0)
            return k;
    return -1;
}

static int S_basis(const char *s)
{
    if (s && strcmp(s, "market") == 0)
        return 1;
    if (s && strcmp(s, "location") == 0)
        return 2;
    return 0;
}

static int S_kind(const cnrs_stored_figure *f, const char *kind)
{
    return f->kind && strcmp(f->kind, kind) == 0;
}

/* An emission figure of a scope this page knows (a future scope name is
 * left to the JSON and the export rather than shown under a wrong row). */
static int S_emission(const cnrs_stored_figure *f)
{
    return S_kind(f, "emissions") && S_scope(f->scope) >= 0;
}

static int S_in(const cnrs_stored_figure *f, int s, int a, int year)
{
    return S_emission(f) && S_scope(f->scope) == s && S_basis(f->basis) == a && f->year == year;
}

/* tCO2e are stored with three decimals. */
static int S_same(double a, double b)
{
    return fabs(a - b) < 0.0005;
}

/* Ascending, the year not stated (0) last. */
static int S_year_cmp(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    if (a == b)
        return 0;
    if (!a || !b)
        return a ? -1 : 1;
    return a < b ? -1 : 1;
}

static void S_years(S_inv *x)
{
    x->years = cnrs_xcalloc(x->n ? x->n : 1, sizeof *x->years);
    for (size_t i = 0; i < x->n; i++)
        if (S_emission(&x->fig[i]))
            x->years[x->nyears++] = x->fig[i].year;
    qsort(x->years, x->nyears, sizeof *x->years, S_year_cmp);
    size_t k = 0;
    for (size_t i = 0; i < x->nyears; i++)
        if (!k || x->years[k - 1] != x->years[i])
            x->years[k++] = x->years[i];
    x->nyears = k;
}

/* ---- words ------------------------------------------------------------------------ */

/* tCO2e in whole tonnes; below 100 t, with two decimals. */
static void S_tco2e(cnrs_buf *b, double v)
{
    cnrs_buf_put_grouped(b, v, fabs(v) >= 100 ? 0 : 2);
}

/* The row label of a figure: its scope, and its basis when stated. */
static void S_label(const S_inv *x, cnrs_buf *t, const cnrs_stored_figure *f)
{
    int s = S_scope(f->scope);
    cnrs_buf_puts(t, s >= 0 ? x->W->scope[s] : f->scope ? f->scope : "?");
    cnrs_buf_puts(t, x->W->basis[S_basis(f->basis)]);
}

static void S_year_label(cnrs_buf *t, int year, const char *unknown)
{
    if (year)
        cnrs_buf_printf(t, "%d", year);
    else
        cnrs_buf_puts(t, unknown);
}

/* Where a number comes from: the value and unit as printed, the page. */
static void S_source(const S_inv *x, cnrs_buf *t, const cnrs_stored_figure *f)
{
    cnrs_buf_puts(t, f->value ? f->value : "?");
    if (f->unit && *f->unit) {
        cnrs_buf_putc(t, ' ');
        cnrs_buf_puts(t, f->unit);
    }
    if (x->paged && f->page > 0) {
        cnrs_buf_puts(t, " \xC2\xB7 ");
        cnrs_buf_printf(t, x->W->page_fmt, f->page);
    }
}

static void S_th(cnrs_buf *b, const char *label)
{
    cnrs_buf_puts(b, "<th>");
    cnrs_html_esc(b, label);
    cnrs_buf_puts(b, "</th>");
}

/* ---- the table -------------------------------------------------------------------- */

/* The distinct values of one scope, basis and year in report order, each
 * with the sources of every figure that gave it in its tooltip. */
static void S_cell(S_inv *x, int s, int a, int year)
{
    cnrs_buf *b = x->b;
    int shown = 0;
    for (size_t i = 0; i < x->n; i++) {
        const cnrs_stored_figure *f = &x->fig[i];
        if (!S_in(f, s, a, year))
            continue;
        size_t j = 0;
        while (j < i && !(S_in(&x->fig[j], s, a, year) && S_same(x->fig[j].tco2e, f->tco2e)))
            j++;
        if (j < i)
            continue; /* restated: its source is in the first one's tooltip */
        cnrs_buf_reset(&x->t);
        for (size_t k = i; k < x->n; k++)
            if (S_in(&x->fig[k], s, a, year) && S_same(x->fig[k].tco2e, f->tco2e)) {
                if (x->t.len)
                    cnrs_buf_puts(&x->t, "; ");
                S_source(x, &x->t, &x->fig[k]);
            }
        if (shown++)
            cnrs_buf_puts(b, "<br/>");
        cnrs_buf_puts(b, "<span class=\"src\" title=\"");
        cnrs_html_esc(b, cnrs_buf_cstr(&x->t));
        cnrs_buf_puts(b, "\">");
        S_tco2e(b, f->tco2e);
        cnrs_buf_puts(b, "</span>");
    }
    if (!shown)
        cnrs_buf_puts(b, "\xE2\x80\x94");
}

static void S_table(S_inv *x)
{
    cnrs_buf *b = x->b;
    cnrs_buf_puts(b, "<table class=\"inv\"><thead><tr>");
    S_th(b, x->W->th_scope);
    for (size_t y = 0; y < x->nyears; y++) {
        cnrs_buf_reset(&x->t);
        S_year_label(&x->t, x->years[y], x->W->year_unknown);
        S_th(b, cnrs_buf_cstr(&x->t));
    }
    cnrs_buf_puts(b, "</tr></thead><tbody>\n");
    for (int s = 0; s < S_NSCOPE; s++)
        for (int a = 0; a < S_NBASIS; a++) {
            size_t i = 0;
            while (i < x->n && !(S_emission(&x->fig[i]) && S_scope(x->fig[i].scope) == s &&
                                 S_basis(x->fig[i].basis) == a))
                i++;
            if (i == x->n)
                continue;
            cnrs_buf_printf(b, "<tr class=\"%s\"><td>", S_scope_cls[s]);
            cnrs_buf_reset(&x->t);
            S_label(x, &x->t, &x->fig[i]);
            cnrs_html_esc(b, cnrs_buf_cstr(&x->t));
            cnrs_buf_puts(b, "</td>");
            for (size_t y = 0; y < x->nyears; y++) {
                cnrs_buf_puts(b, "<td class=\"num\">");
                S_cell(x, s, a, x->years[y]);
                cnrs_buf_puts(b, "</td>");
            }
            cnrs_buf_puts(b, "</tr>\n");
        }
    cnrs_buf_puts(b, "</tbody></table>\n<p class=\"note\">");
    cnrs_html_esc(b, x->W->unit_note);
    cnrs_buf_puts(b, "</p>\n");
}

/* ---- the chart -------------------------------------------------------------------- */

/* The figure drawn for a scope and year: one without a basis, else the
 * market-based one, else the location-based one (a basis pair is one
 * quantity measured two ways); the first in report order. S_NONE if none. */
static size_t S_pick(const S_inv *x, int s, int year)
{
    size_t best = S_NONE;
    int best_basis = S_NBASIS;
    for (size_t i = 0; i < x->n; i++) {
        const cnrs_stored_figure *f = &x->fig[i];
        if (S_emission(f) && S_scope(f->scope) == s && f->year == year &&
            S_basis(f->basis) < best_basis) {
            best = i;
            best_basis = S_basis(f->basis);
        }
    }
    return best;
}

/* The smallest 1, 2, 2.5 or 5 times a power of ten at least v (v > 0), so
 * the axis's half and top ticks are round numbers. */
static double S_nice(double v)
{
    static const double m[] = {1, 2, 2.5, 5, 10};
    double p = pow(10, floor(log10(v)));
    for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
        if (m[k] * p >= v * (1 - 1e-9))
            return m[k] * p;
    return 10 * p;
}

/* Grouped bars: per year, one bar per scope drawn, in table order. Returns
 * whether a 1+2 or total figure was left out to avoid double counting. */
static int S_chart(S_inv *x)
{
    size_t ny = x->nyears;
    size_t *pick = cnrs_xmalloc(ny * S_NSCOPE * sizeof *pick);
    int dropped = 0, used[S_NSCOPE] = {0};
    size_t maxbars = 0, nused = 0;
    double vmax = 0;
    for (size_t y = 0; y < ny; y++) {
        size_t *p = &pick[y * S_NSCOPE];
        for (int s = 0; s < S_NSCOPE; s++)
            p[s] = S_pick(x, s, x->years[y]);
        /* No double counting: 1+2 holds scopes 1 and 2, the total holds
         * every scope, so a sum is drawn only when none of its parts is. */
        if (p[S_S12] != S_NONE && (p[S_S1] != S_NONE || p[S_S2] != S_NONE)) {
            p[S_S12] = S_NONE;
            dropped = 1;
        }
        if (p[S_TOT] != S_NONE &&
            (p[S_S1] != S_NONE || p[S_S2] != S_NONE || p[S_S12] != S_NONE || p[S_S3] != S_NONE)) {
            p[S_TOT] = S_NONE;
            dropped = 1;
        }
        size_t k = 0;
        for (int s = 0; s < S_NSCOPE; s++) {
            if (p[s] == S_NONE)
                continue;
            k++;
            nused += !used[s];
            used[s] = 1;
            if (x->fig[p[s]].tco2e > vmax)
                vmax = x->fig[p[s]].tco2e;
        }
        if (k > maxbars)
            maxbars = k;
    }
    if (!maxbars) {
        free(pick);
        return 0;
    }
    double top_v = vmax > 0 ? S_nice(vmax) : 1;
    cnrs_buf *b = x->b;
    const double left = 84, top = 34, plot_h = 150, bottom = 30, bw = 18, gap = 3;
    const double key_w = x->W == &S_en ? 108 : 84;
    double gw = (double)maxbars * (bw + gap) - gap + 24;
    if (gw < 56)
        gw = 56;
    double right = left + gw * (double)ny, w = right + 12, h = top + plot_h + bottom;
    if (w < left + key_w * (double)nused)
        w = left + key_w * (double)nused;
    cnrs_svg_begin(b, w, h, "chart", x->W->chart_title);
    double kx = left;
    for (int s = 0; s < S_NSCOPE; s++)
        if (used[s]) {
            cnrs_svg_rect(b, kx, 8, 14, 12, S_scope_cls[s], NULL);
            cnrs_svg_text(b, kx + 20, 18, "start", "small", x->W->scope[s]);
            kx += key_w;
        }
    cnrs_svg_text(b, left - 6, 18, "end", "small", "tCO2e");
    cnrs_svg_line(b, left, top + plot_h, right, top + plot_h, "axis");
    cnrs_svg_line(b, left, top, left, top + plot_h, "axis");
    for (int t = 0; t <= 2; t++) {
        double ty = top + plot_h - plot_h * t / 2.0;
        cnrs_buf_reset(&x->t);
        if (t)
            S_tco2e(&x->t, top_v * t / 2.0);
        else
            cnrs_buf_putc(&x->t, '0');
        cnrs_svg_text(b, left - 5, ty + 4, "end", "small", cnrs_buf_cstr(&x->t));
        if (t)
            cnrs_svg_line(b, left, ty, right, ty, "grid");
    }
    for (size_t y = 0; y < ny; y++) {
        const size_t *p = &pick[y * S_NSCOPE];
        size_t k = 0;
        for (int s = 0; s < S_NSCOPE; s++)
            k += p[s] != S_NONE;
        double gx = left + gw * (double)y;
        double bx = gx + (gw - ((double)k * (bw + gap) - gap)) / 2;
        for (int s = 0; s < S_NSCOPE; s++) {
            if (p[s] == S_NONE)
                continue;
            const cnrs_stored_figure *f = &x->fig[p[s]];
            /* At least a hairline, so a small scope beside a large one
             * still shows that it was stated. */
            double bh = f->tco2e > 0 ? fmax(plot_h * f->tco2e / top_v, 1) : 0;
            /* The tooltip: scope, year, tCO2e, and the figure as printed. */
            cnrs_buf_reset(&x->t);
            S_label(x, &x->t, f);
            cnrs_buf_puts(&x->t, " \xC2\xB7 ");
            S_year_label(&x->t, f->year, x->W->year_unknown);
            cnrs_buf_puts(&x->t, ": ");
            S_tco2e(&x->t, f->tco2e);
            cnrs_buf_puts(&x->t, " tCO2e (");
            S_source(x, &x->t, f);
            cnrs_buf_putc(&x->t, ')');
            cnrs_buf_reset(&x->u);
            cnrs_buf_printf(&x->u, "bar %s", S_scope_cls[s]);
            cnrs_svg_rect(b, bx, top + plot_h - bh, bw, bh, cnrs_buf_cstr(&x->u),
                          cnrs_buf_cstr(&x->t));
            bx += bw + gap;
        }
        cnrs_buf_reset(&x->t);
        S_year_label(&x->t, x->years[y], "?");
        cnrs_svg_text(b, gx + gw / 2, top + plot_h + 18, "middle", NULL, cnrs_buf_cstr(&x->t));
    }
    cnrs_svg_end(b);
    free(pick);
    return dropped;
}

/* ---- intensities ------------------------------------------------------------------ */

/* As printed, in report order: an intensity has no tCO2e to add up. */
static void S_intensities(S_inv *x)
{
    cnrs_buf *b = x->b;
    int any = 0;
    for (size_t i = 0; i < x->n; i++) {
        const cnrs_stored_figure *f = &x->fig[i];
        if (!S_kind(f, "intensity"))
            continue;
        if (!any++) {
            cnrs_buf_puts(b, "<h3>");
            cnrs_html_esc(b, x->W->int_title);
            cnrs_buf_puts(b, "</h3>\n<table class=\"inv int\"><thead><tr>");
            S_th(b, x->W->th_scope);
            S_th(b, x->W->th_year);
            S_th(b, x->W->th_value);
            S_th(b, x->W->th_page);
            cnrs_buf_puts(b, "</tr></thead><tbody>\n");
        }
        cnrs_buf_puts(b, "<tr><td>");
        cnrs_buf_reset(&x->t);
        S_label(x, &x->t, f);
        cnrs_html_esc(b, cnrs_buf_cstr(&x->t));
        cnrs_buf_puts(b, "</td><td class=\"num\">");
        cnrs_buf_reset(&x->t);
        S_year_label(&x->t, f->year, x->W->year_unknown);
        cnrs_html_esc(b, cnrs_buf_cstr(&x->t));
        cnrs_buf_puts(b, "</td><td>");
        cnrs_html_esc(b, f->value ? f->value : "?");
        if (f->unit && *f->unit) {
            cnrs_buf_putc(b, ' ');
            cnrs_html_esc(b, f->unit);
        }
        cnrs_buf_puts(b, "</td><td class=\"num\">");
        if (x->paged && f->page > 0)
            cnrs_buf_printf(b, "%d", f->page);
        else
            cnrs_buf_puts(b, "\xE2\x80\x94");
        cnrs_buf_puts(b, "</td></tr>\n");
    }
    if (any)
        cnrs_buf_puts(b, "</tbody></table>\n");
}

/* ---- the section ------------------------------------------------------------------ */

void cnrs_site_inventory(cnrs_buf *b, const cnrs_stored_card *c, int en)
{
    const cnrs_stored_figure *fig = c->fig;
    size_t n = c->nfig;
    S_inv x = {b, en ? &S_en : &S_zh, fig, n, c->paged, NULL, 0, CNRS_BUF_INIT, CNRS_BUF_INIT};
    cnrs_buf_puts(b, "<section class=\"inventory\"><h2>");
    cnrs_html_esc(b, x.W->title);
    cnrs_buf_puts(b, "</h2>\n");
    S_years(&x);
    size_t nint = 0;
    for (size_t i = 0; i < n; i++)
        nint += S_kind(&fig[i], "intensity");
    if (!x.nyears && !nint) {
        cnrs_buf_puts(b, "<p class=\"note\">");
        cnrs_html_esc(b, x.W->none);
        cnrs_buf_puts(b, "</p>\n");
    }
    if (x.nyears) {
        S_table(&x);
        if (S_chart(&x)) {
            cnrs_buf_puts(b, "<p class=\"note\">");
            cnrs_html_esc(b, x.W->chart_note);
            cnrs_buf_puts(b, "</p>\n");
        }
    }
    S_intensities(&x);
    cnrs_buf_puts(b, "</section>\n");
    free(x.years);
    cnrs_buf_free(&x.t);
    cnrs_buf_free(&x.u);
}
