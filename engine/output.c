/* output.c - text and JSON writers (see output.h). */
#include "output.h"

#include "quantity.h"

#include <string.h>

/* ---- JSON ------------------------------------------------------------------- */

/* JSON text must be UTF-8 (RFC 8259), but file names are bytes and may not
 * be: each byte of an invalid sequence becomes U+FFFD, as cnrs_normalise
 * does, so the line stays parseable and the rest of the name readable. */
void cnrs_json_string(cnrs_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    cnrs_buf_putc(out, '"');
    size_t run = 0; /* bytes to copy verbatim, flushed before each escape */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = u[i];
        const char *esc = NULL;
        char e[7];
        size_t k = 1;
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\t')
            esc = "\\t";
        else if (c == '\r')
            esc = "\\r";
        else if (c < 0x20 || c == 0x7F) {
            memcpy(e, "\\u00", 4);
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            e[6] = '\0';
            esc = e;
        } else if (c >= 0x80) {
            uint32_t cp;
            int len = cnrs_utf8_decode(u + i, n - i, &cp);
            if (len == 0)
                esc = "\xEF\xBF\xBD"; /* U+FFFD */
            else
                k = (size_t)len;
        }
        if (esc) {
            cnrs_buf_append(out, s + i - run, run);
            run = 0;
            cnrs_buf_puts(out, esc);
        } else {
            run += k;
            i += k - 1;
        }
    }
    cnrs_buf_append(out, s + n - run, run);
    cnrs_buf_putc(out, '"');
}

static void S_jkey(cnrs_buf *out, const char *key, int *first)
{
    if (!*first)
        cnrs_buf_putc(out, ',');
    *first = 0;
    cnrs_buf_printf(out, "\"%s\":", key);
}

static void S_jstr(cnrs_buf *out, const char *key, const char *v, int *first)
{
    S_jkey(out, key, first);
    if (v)
        cnrs_json_string(out, v, strlen(v));
    else
        cnrs_buf_puts(out, "null");
}

static void S_jnum(cnrs_buf *out, const char *key, double v, int decimals, int *first)
{
    S_jkey(out, key, first);
    cnrs_buf_put_fixed(out, v, decimals);
}

static void S_jint(cnrs_buf *out, const char *key, long v, int *first)
{
    S_jkey(out, key, first);
    cnrs_buf_printf(out, "%ld", v);
}

static void S_jbool(cnrs_buf *out, const char *key, int v, int *first)
{
    S_jkey(out, key, first);
    cnrs_buf_puts(out, v ? "true" : "false");
}

static const char *S_stage_name(const cnrs_rubric *r, int stage)
{
    if (stage == 0)
        return "no carbon-neutrality responsibility disclosure";
    for (size_t i = 0; i < r->nstages; i++)
        if (r->stages[i].n == stage)
            return r->stages[i].name_en ? r->stages[i].name_en : "";
    return "";
}

/* The heading path of sentence `sent` in `tmp` (reset), NUL-terminated. */
static const char *S_section(cnrs_buf *tmp, const cnrs_doc *d, uint32_t sent)
{
    cnrs_buf_reset(tmp);
    if (sent < d->nsents)
        cnrs_doc_section_path(d, d->sents[sent].section, tmp);
    return cnrs_buf_cstr(tmp);
}

static void S_json_evidence(cnrs_buf *out, const cnrs_rubric *r, const cnrs_report *rep,
                            const cnrs_evidence *e, cnrs_buf *tmp)
{
    const cnrs_doc *d = rep->doc;
    const cnrs_features *f = &rep->ev.feats[e->feat];
    int first = 1;
    cnrs_buf_putc(out, '{');
    S_jkey(out, "page", &first);
    if (d->paged && e->sent < d->nsents)
        cnrs_buf_printf(out, "%d", d->sents[e->sent].page);
    else
        cnrs_buf_puts(out, "null");
    S_jstr(out, "item", r->items[e->item].qid, &first);
    S_jbool(out, "quant", e->units != 0, &first);
    S_jkey(out, "units", &first);
    cnrs_buf_putc(out, '[');
    int uf = 1;
    for (size_t u = 0; u < r->nunits; u++)
        if (e->units & (1u << u)) {
            if (!uf)
                cnrs_buf_putc(out, ',');
            uf = 0;
            cnrs_json_string(out, r->units[u].id, strlen(r->units[u].id));
        }
    cnrs_buf_putc(out, ']');
    S_jbool(out, "trend", f->trend, &first);
    S_jbool(out, "comparison", f->comparison, &first);
    S_jbool(out, "integration", f->integration, &first);
    S_jbool(out, "leadership", f->leadership, &first);
    S_jstr(out, "section", S_section(tmp, d, e->sent), &first);
    S_jkey(out, "text", &first);
    if (e->sent < d->nsents)
        cnrs_json_string(out, d->text + d->sents[e->sent].off, d->sents[e->sent].len);
    else
        cnrs_buf_puts(out, "\"\"");
    cnrs_buf_putc(out, '}');
}

void cnrs_write_score_json(cnrs_buf *out, const cnrs_rubric *r, const cnrs_report *rep)
{
    const cnrs_doc *d = rep->doc;
    const cnrs_scorecard *c = rep->card;
    cnrs_buf tmp = CNRS_BUF_INIT; /* an evidence record's section */
    int first = 1;
    cnrs_buf_putc(out, '{');
    S_jstr(out, "file", d->path, &first);
    S_jstr(out, "format", cnrs_format_name(d->format), &first);
    S_jstr(out, "encoding", d->encoding, &first);
    S_jstr(out, "script", cnrs_script_name(d->script), &first);
    S_jint(out, "pages", d->npages, &first);
    S_jbool(out, "paged", d->paged, &first);
    S_jbool(out, "copy_restricted", d->copy_restricted, &first);
    S_jbool(out, "ocr", d->ocr, &first);
    S_jint(out, "sentences", (long)d->nsents, &first);
    S_jkey(out, "rubric", &first);
    {
        int f2 = 1;
        cnrs_buf_putc(out, '{');
        S_jstr(out, "id", r->id, &f2);
        S_jstr(out, "version", r->version, &f2);
        S_jstr(out, "sha256", r->sha256, &f2);
        cnrs_buf_putc(out, '}');
    }
    S_jint(out, "stage", c->stage, &first);
    S_jstr(out, "stage_name", S_stage_name(r, c->stage), &first);
    S_jnum(out, "score", c->total, 1, &first);
    S_jnum(out, "max", c->max, 0, &first);
    S_jkey(out, "indicators", &first);
    cnrs_buf_putc(out, '[');
    for (size_t i = 0; i < c->nind; i++) {
        const cnrs_indicator_score *s = &c->ind[i];
        const cnrs_indicator *ind = &r->indicators[i];
        int f = 1;
        if (i)
            cnrs_buf_putc(out, ',');
        cnrs_buf_putc(out, '{');
        S_jstr(out, "id", ind->id, &f);
        S_jstr(out, "key", ind->key, &f);
        S_jstr(out, "name", ind->name_en, &f);
        S_jint(out, "stage", ind->stage, &f);
        S_jbool(out, "in_stage", s->in_stage, &f);
        S_jnum(out, "weight", s->weight, 3, &f);
        S_jstr(out, "band", cnrs_band_name(s->band), &f);
        S_jint(out, "K", (long)s->in.K, &f);
        S_jint(out, "covered", (long)s->in.covered, &f);
        S_jnum(out, "coverage", s->c, 3, &f);
        S_jnum(out, "quant", s->q, 3, &f);
        S_jint(out, "sentences", (long)s->in.S, &f);
        S_jnum(out, "n", s->n, 2, &f);
        S_jbool(out, "trend", s->trend, &f);
        S_jbool(out, "comparison", s->comparison, &f);
        S_jbool(out, "integration", s->integration, &f);
        S_jbool(out, "leadership", s->in.leadership, &f);
        S_jbool(out, "bonus", s->bonus, &f);
        S_jnum(out, "pct", s->pct, 2, &f);
        S_jnum(out, "points", s->in_stage ? s->points : 0, 3, &f);
        S_jkey(out, "items", &f);
        cnrs_buf_putc(out, '[');
        for (size_t k = 0; k < ind->nitems; k++) {
            size_t it = ind->first_item + k;
            int f3 = 1;
            if (k)
                cnrs_buf_putc(out, ',');
            cnrs_buf_putc(out, '{');
            S_jstr(out, "id", r->items[it].qid, &f3);
            S_jbool(out, "covered", c->item_covered[it], &f3);
            S_jbool(out, "quant", c->item_quant[it], &f3);
            cnrs_buf_putc(out, '}');
        }
        cnrs_buf_putc(out, ']');
        S_jkey(out, "evidence", &f);
        cnrs_buf_putc(out, '[');
        int ef = 1;
        for (size_t e = 0; e < rep->ev.n; e++) {
            if (rep->ev.ev[e].indicator != i)
                continue;
            if (!ef)
                cnrs_buf_putc(out, ',');
            ef = 0;
            S_json_evidence(out, r, rep, &rep->ev.ev[e], &tmp);
        }
        cnrs_buf_puts(out, "]}");
    }
    cnrs_buf_free(&tmp);
    cnrs_buf_puts(out, "],\"figures\":");
    cnrs_write_figures_json(out, rep);
    cnrs_buf_puts(out, "}\n");
}

/* ---- figures ------------------------------------------------------------------ */

static void S_json_figure(cnrs_buf *out, const cnrs_report *rep, const cnrs_figure *f)
{
    const cnrs_sentence *se = &rep->doc->sents[f->sent];
    int first = 1;
    cnrs_buf_putc(out, '{');
    S_jstr(out, "scope", f->scope, &first);
    S_jstr(out, "basis", f->basis[0] ? f->basis : NULL, &first);
    S_jstr(out, "kind", f->kind, &first);
    S_jkey(out, "year", &first);
    if (f->year)
        cnrs_buf_printf(out, "%d", f->year);
    else
        cnrs_buf_puts(out, "null");
    S_jstr(out, "value", f->value_text, &first);
    S_jstr(out, "unit", f->unit, &first);
    S_jkey(out, "tco2e", &first);
    if (strcmp(f->kind, "emissions") == 0)
        cnrs_buf_put_fixed(out, f->tco2e, 3);
    else
        cnrs_buf_puts(out, "null");
    S_jstr(out, "approx", cnrs_approx_name((cnrs_approx)f->approx), &first);
    S_jbool(out, "unit_from_context", f->unit_from_context, &first);
    S_jint(out, "page", f->page, &first);
    S_jkey(out, "text", &first);
    cnrs_json_string(out, rep->doc->text + se->off, se->len);
    cnrs_buf_putc(out, '}');
}

void cnrs_write_figures_json(cnrs_buf *out, const cnrs_report *rep)
{
    cnrs_buf_putc(out, '[');
    for (size_t k = 0; k < rep->figs.n; k++) {
        if (k)
            cnrs_buf_putc(out, ',');
        S_json_figure(out, rep, &rep->figs.v[k]);
    }
    cnrs_buf_putc(out, ']');
}

void cnrs_write_figure_line(cnrs_buf *out, const char *scope, const char *basis, const char *kind,
                            int year, const char *value, const char *unit, double tco2e,
                            int page)
{
    cnrs_buf_printf(out, "    %-9s %-5s ", strcmp(kind, "intensity") == 0 ? "intensity" : "scope",
                    scope);
    if (year)
        cnrs_buf_printf(out, "%d  ", year);
    else
        cnrs_buf_puts(out, "-     ");
    cnrs_buf_printf(out, "%s %s", value, unit);
    if (strcmp(kind, "emissions") == 0) {
        cnrs_buf_puts(out, " = ");
        cnrs_buf_put_fixed(out, tco2e, 1);
        cnrs_buf_puts(out, " tCO2e");
    }
    if (basis && *basis)
        cnrs_buf_printf(out, " (%s-based)", basis);
    if (page)
        cnrs_buf_printf(out, "  p.%d", page);
    cnrs_buf_putc(out, '\n');
}

/* A TSV cell: tabs and line breaks become spaces. */
static void S_tsv_cell(cnrs_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cnrs_buf_putc(out, s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
}

void cnrs_write_figures_tsv(cnrs_buf *out, const cnrs_report *rep)
{
    for (size_t k = 0; k < rep->figs.n; k++) {
        const cnrs_figure *f = &rep->figs.v[k];
        const cnrs_sentence *se = &rep->doc->sents[f->sent];
        S_tsv_cell(out, rep->doc->path, strlen(rep->doc->path));
        cnrs_buf_printf(out, "\t%s\t%s\t%s\t", f->scope, f->basis[0] ? f->basis : "-", f->kind);
        if (f->year)
            cnrs_buf_printf(out, "%d", f->year);
        else
            cnrs_buf_putc(out, '-');
        cnrs_buf_putc(out, '\t');
        S_tsv_cell(out, f->value_text, strlen(f->value_text));
        cnrs_buf_putc(out, '\t');
        S_tsv_cell(out, f->unit, strlen(f->unit));
        cnrs_buf_putc(out, '\t');
        if (strcmp(f->kind, "emissions") == 0)
            cnrs_buf_put_fixed(out, f->tco2e, 3);
        else
            cnrs_buf_putc(out, '-');
        cnrs_buf_printf(out, "\t%s\t%d\t", cnrs_approx_name((cnrs_approx)f->approx), f->page);
        S_tsv_cell(out, rep->doc->text + se->off, se->len);
        cnrs_buf_putc(out, '\n');
    }
}

/* ---- CSV -------------------------------------------------------------------- */

void cnrs_csv_field(cnrs_buf *out, const char *s)
{
    if (!s || !*s)
        return;
    int formula = strchr("=+-@\t", *s) != NULL;
    if (!formula && strpbrk(s, ",\"\r\n") == NULL && *s != ' ') {
        cnrs_buf_puts(out, s);
        return;
    }
    cnrs_buf_putc(out, '"');
    if (formula)
        cnrs_buf_putc(out, '\'');
    for (; *s; s++) {
        if (*s == '"')
            cnrs_buf_putc(out, '"');
        cnrs_buf_putc(out, *s);
    }
    cnrs_buf_putc(out, '"');
}

/* ---- text ------------------------------------------------------------------- */

/* Append at most `max` display columns of s[0..n), with "..." when cut. */
static void S_put_clipped(cnrs_buf *out, const char *s, size_t n, int max)
{
    int w = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int k = cnrs_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (k == 0)
            k = 1;
        int cw = cnrs_cp_width(cp);
        if (w + cw > max - 3 && i + (size_t)k < n) {
            cnrs_buf_append(out, s, i);
            cnrs_buf_puts(out, "...");
            return;
        }
        w += cw;
        i += (size_t)k;
    }
    cnrs_buf_append(out, s, n);
}

/* s[0..n) for a terminal: a file name is bytes, and its control characters
 * (newline, ESC sequences, C1 controls) or invalid UTF-8 must neither break
 * the layout nor drive the terminal; each such byte is written as '?'. */
static void S_put_display(cnrs_buf *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp = u[i];
        int k = 1, bad = 0;
        if (cp >= 0x80 && (k = cnrs_utf8_decode(u + i, n - i, &cp)) == 0) {
            k = 1;
            bad = 1;
        }
        if (bad || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            for (int j = 0; j < k; j++)
                cnrs_buf_putc(out, '?');
        } else {
            cnrs_buf_append(out, s + i, (size_t)k);
        }
        i += (size_t)k;
    }
}

void cnrs_write_score_legend(cnrs_buf *out)
{
    cnrs_buf_puts(out, "  c, q: shares of items with evidence, with a figure; S: evidence sentences;\n"
                       "  n: level in its band B0-B5; T C I: trend, comparison, integration (+ holds);\n"
                       "  pct: n plus any bonus; points: weight x pct / 100. See docs/method.md\n");
}

void cnrs_write_score_text(cnrs_buf *out, const cnrs_rubric *r, const cnrs_report *rep, int top)
{
    const cnrs_doc *d = rep->doc;
    const cnrs_scorecard *c = rep->card;
    S_put_display(out, d->path, strlen(d->path));
    cnrs_buf_putc(out, '\n');
    cnrs_buf_printf(out, "  %s, %s, %zu sentences", cnrs_format_name(d->format), d->encoding,
                    d->nsents);
    if (d->paged)
        cnrs_buf_printf(out, ", %d pages", d->npages);
    cnrs_buf_printf(out, "\n  stage %d (%s): score ", c->stage, S_stage_name(r, c->stage));
    cnrs_buf_put_fixed(out, c->total, 1);
    cnrs_buf_puts(out, " / ");
    cnrs_buf_put_fixed(out, c->max, 0);
    cnrs_buf_puts(out, "\n\n  id   key           weight band    c    q   S      n  T C I    pct  "
                       "points\n");
    for (size_t i = 0; i < c->nind; i++) {
        const cnrs_indicator_score *s = &c->ind[i];
        const cnrs_indicator *ind = &r->indicators[i];
        cnrs_buf_printf(out, "  %-4s %-12s ", ind->id, ind->key);
        cnrs_buf t = CNRS_BUF_INIT;
        cnrs_buf_put_fixed(&t, s->weight, 3);
        cnrs_buf_printf(out, "%7s %-4s ", cnrs_buf_cstr(&t), cnrs_band_name(s->band));
        cnrs_buf_reset(&t);
        cnrs_buf_put_fixed(&t, s->c, 2);
        cnrs_buf_printf(out, "%4s ", t.data);
        cnrs_buf_reset(&t);
        cnrs_buf_put_fixed(&t, s->q, 2);
        cnrs_buf_printf(out, "%4s %3zu ", t.data, s->in.S);
        cnrs_buf_reset(&t);
        cnrs_buf_put_fixed(&t, s->n, 1);
        cnrs_buf_printf(out, "%6s  %c %c %c ", t.data, s->trend ? '+' : '.',
                        s->comparison ? '+' : '.', s->integration ? '+' : '.');
        cnrs_buf_reset(&t);
        cnrs_buf_put_fixed(&t, s->pct, 1);
        cnrs_buf_printf(out, "%6s ", t.data);
        cnrs_buf_reset(&t);
        if (s->in_stage)
            cnrs_buf_put_fixed(&t, s->points, 3);
        else
            cnrs_buf_puts(&t, "-");
        cnrs_buf_printf(out, "%7s\n", t.data);
        cnrs_buf_free(&t);
    }
    cnrs_write_score_legend(out);
    if (rep->figs.n)
        cnrs_buf_puts(out, "\n  figures (own GHG inventory, docs/figures.md)\n");
    for (size_t k = 0; k < rep->figs.n; k++) {
        const cnrs_figure *f = &rep->figs.v[k];
        cnrs_write_figure_line(out, f->scope, f->basis, f->kind, f->year, f->value_text, f->unit,
                               f->tco2e, d->paged ? f->page : 0);
    }
    if (top <= 0)
        return;
    cnrs_buf_puts(out, "\n  evidence (T trend, C comparison, I integration, Q quantitative)\n");
    cnrs_buf path = CNRS_BUF_INIT, prev = CNRS_BUF_INIT; /* as show does: by the path's text */
    for (size_t i = 0; i < c->nind; i++) {
        int shown = 0;
        long last = -1;
        uint32_t section = CNRS_NO_SECTION;
        cnrs_buf_reset(&prev);
        for (size_t e = 0; e < rep->ev.n && shown < top; e++) {
            const cnrs_evidence *x = &rep->ev.ev[e];
            if (x->indicator != i || (long)x->sent == last)
                continue;
            last = (long)x->sent;
            if (shown++ == 0)
                cnrs_buf_printf(out, "  %s %s\n", r->indicators[i].id, r->indicators[i].key);
            const cnrs_sentence *se = &d->sents[x->sent];
            if (se->section != section) {
                section = se->section;
                const char *p = S_section(&path, d, x->sent);
                if (strcmp(p, cnrs_buf_cstr(&prev)) != 0) {
                    cnrs_write_section_line(out, p);
                    cnrs_buf_reset(&prev);
                    cnrs_buf_puts(&prev, p);
                }
            }
            const cnrs_features *f = &rep->ev.feats[x->feat];
            if (d->paged)
                cnrs_buf_printf(out, "    p.%-3d ", se->page);
            else
                cnrs_buf_puts(out, "    ");
            cnrs_buf_printf(out, "[%s%s%s%s%s] ", r->items[x->item].qid, x->units ? " Q" : "",
                            f->trend ? " T" : "", f->comparison ? " C" : "",
                            f->integration ? " I" : "");
            S_put_clipped(out, d->text + se->off, se->len, 100);
            cnrs_buf_putc(out, '\n');
        }
    }
    cnrs_buf_free(&path);
    cnrs_buf_free(&prev);
}

void cnrs_write_section_line(cnrs_buf *out, const char *path)
{
    if (path && *path)
        cnrs_buf_printf(out, "    \xC2\xA7 %s\n", path); /* § */
}

/* ---- classify ------------------------------------------------------------------ */

void cnrs_write_classify_line(cnrs_buf *out, const cnrs_rubric *r, const cnrs_evidence_set *ev,
                              unsigned long lineno)
{
    cnrs_buf_printf(out, "%lu\t", lineno);
    if (ev->n == 0) {
        cnrs_buf_puts(out, "-\t-\t0\t0\t0\t0\n");
        return;
    }
    int quant = 0;
    long last = -1;
    for (size_t e = 0; e < ev->n; e++) {
        if (ev->ev[e].indicator == last)
            continue;
        if (last >= 0)
            cnrs_buf_putc(out, ',');
        last = ev->ev[e].indicator;
        cnrs_buf_puts(out, r->indicators[last].id);
    }
    cnrs_buf_putc(out, '\t');
    for (size_t e = 0; e < ev->n; e++) {
        if (e)
            cnrs_buf_putc(out, ',');
        cnrs_buf_puts(out, r->items[ev->ev[e].item].qid);
        quant |= ev->ev[e].units != 0;
    }
    const cnrs_features *f = &ev->feats[0];
    cnrs_buf_printf(out, "\t%d\t%d\t%d\t%d\n", quant, f->trend != 0, f->comparison != 0,
                    f->integration != 0);
}

/* ---- rubric listings ------------------------------------------------------------ */

void cnrs_write_rubric_weights(cnrs_buf *out, const cnrs_rubric *r)
{
    for (size_t i = 0; i < r->nindicators; i++) {
        const cnrs_indicator *ind = &r->indicators[i];
        cnrs_buf_printf(out, "%-4s %-13s ", ind->id, ind->key);
        cnrs_buf_put_fixed(out, ind->T, 1);
        cnrs_buf_puts(out, ind->T < 10 ? "   " : "  ");
        cnrs_buf_put_fixed(out, ind->weight, 3);
        cnrs_buf_putc(out, '\n');
    }
    for (size_t s = 0; s < r->nstages; s++) {
        cnrs_buf_printf(out, "stage %d max ", r->stages[s].n);
        cnrs_buf_put_fixed(out, r->stages[s].derived_max, 3);
        cnrs_buf_puts(out, " (published ");
        cnrs_buf_put_fixed(out, r->stages[s].max, 0);
        cnrs_buf_puts(out, ")\n");
    }
}

void cnrs_write_rubric_show(cnrs_buf *out, const cnrs_rubric *r)
{
    static const char *const pol[] = {"any", "lower", "higher"};
    cnrs_buf_printf(out, "%s %s: %s\n", r->id, r->version, r->title_en ? r->title_en : "");
    for (size_t i = 0; i < r->nindicators; i++) {
        const cnrs_indicator *ind = &r->indicators[i];
        cnrs_buf_printf(out, "%s %s  stage %d  polarity %s  weight ", ind->id, ind->key, ind->stage,
                        pol[ind->polarity]);
        cnrs_buf_put_fixed(out, ind->weight, 3);
        cnrs_buf_printf(out, "  %s / %s\n", ind->name_zh ? ind->name_zh : "",
                        ind->name_en ? ind->name_en : "");
        for (size_t k = 0; k < ind->nitems; k++) {
            const cnrs_item *it = &r->items[ind->first_item + k];
            cnrs_buf_printf(out, "  %-24s %s / %s", it->qid, it->name_zh ? it->name_zh : "",
                            it->name_en ? it->name_en : "");
            if (it->units) {
                cnrs_buf_puts(out, "  [units:");
                for (size_t u = 0; u < r->nunits; u++)
                    if (it->units & (1u << u))
                        cnrs_buf_printf(out, " %s", r->units[u].id);
                cnrs_buf_putc(out, ']');
            }
            cnrs_buf_putc(out, '\n');
        }
    }
}
