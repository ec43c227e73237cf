/* output_eval.c - `cnrs eval` results as a plain table and as JSON (eval.h). */
#include <math.h>
#include <string.h>

#include "eval.h"
#include "output.h"
#include "score.h"

/* ---- text -------------------------------------------------------------------------- */

/* A ratio with 3 decimals in `width` columns, or "-" when not computed. */
static void S_ratio(cnrs_buf *out, double v, int width)
{
    cnrs_buf tmp = CNRS_BUF_INIT;
    if (isnan(v))
        cnrs_buf_putc(&tmp, '-');
    else
        cnrs_buf_put_fixed(&tmp, v, 3);
    cnrs_buf_printf(out, "%*s", width, cnrs_buf_cstr(&tmp));
    cnrs_buf_free(&tmp);
}

static void S_pr_line(cnrs_buf *out, const char *label, const cnrs_eval_counts *c)
{
    cnrs_buf_printf(out, "%-13s P", label);
    S_ratio(out, cnrs_eval_precision(c), 6);
    cnrs_buf_puts(out, "  R");
    S_ratio(out, cnrs_eval_recall(c), 6);
    cnrs_buf_printf(out, "   (tp %zu, fp %zu, fn %zu)\n", c->tp, c->fp, c->fn);
}

static void S_text_report(cnrs_buf *out, const cnrs_rubric *r, const cnrs_eval_report *rep)
{
    cnrs_buf_put_printable(out, rep->name);
    if (rep->error) {
        cnrs_buf_puts(out, "  FAILED: ");
        cnrs_buf_put_printable(out, rep->error);
        cnrs_buf_putc(out, '\n');
        return;
    }
    cnrs_buf_printf(out, "  %d->%d  ", rep->exp.stage, rep->stage);
    cnrs_buf_put_fixed(out, rep->hand_total, 1);
    cnrs_buf_putc(out, '/');
    cnrs_buf_put_fixed(out, rep->total, 1);
    if (rep->exp.nfig)
        cnrs_buf_printf(out, "  figures %zu/%zu", rep->fig_found, rep->exp.nfig);
    int first = 1;
    for (size_t i = 0; i < r->nindicators; i++) {
        if (rep->exp.band[i] == rep->band[i])
            continue;
        cnrs_buf_printf(out, "%s%s %s/%s", first ? "  " : ", ", r->indicators[i].id,
                        cnrs_band_name(rep->exp.band[i]), cnrs_band_name(rep->band[i]));
        first = 0;
    }
    cnrs_buf_putc(out, '\n');
}

void cnrs_write_eval_text(cnrs_buf *out, const cnrs_rubric *r, const cnrs_eval *e)
{
    cnrs_buf_printf(out, "sentences: %zu (", e->nsent);
    for (int l = 0; l < CNRS_EVAL_LANGS; l++)
        cnrs_buf_printf(out, "%s%s %zu, %zu labelled", l ? "; " : "",
                        cnrs_eval_lang_name((cnrs_eval_lang)l), e->lang_n[l], e->lang_pos[l]);
    cnrs_buf_puts(out, ")\nindicator       P       R     tp    fp    fn\n");
    for (size_t i = 0; i < r->nindicators; i++) {
        const cnrs_eval_counts *c = &e->ind[i];
        cnrs_buf_printf(out, "%-9s", r->indicators[i].id);
        S_ratio(out, cnrs_eval_precision(c), 8);
        S_ratio(out, cnrs_eval_recall(c), 8);
        cnrs_buf_printf(out, "%7zu%6zu%6zu\n", c->tp, c->fp, c->fn);
    }
    S_pr_line(out, "micro C6-Q16", &e->micro_c6_q16);
    S_pr_line(out, "micro all", &e->micro_all);
    S_pr_line(out, "items", &e->items);
    cnrs_buf_puts(out, "none_fp");
    S_ratio(out, e->none_fp, 6);
    cnrs_buf_printf(out, "  (%zu of %zu sentences labelled - get an indicator)\n", e->none_hit,
                    e->none_n);
    if (e->have_second) {
        cnrs_buf_printf(out, "agreement: %zu sentences in both labellings; kappa any", e->agree_n);
        S_ratio(out, e->kappa_any, 6);
        cnrs_buf_puts(out, ", kappa per indicator");
        S_ratio(out, e->kappa_indicator, 6);
        cnrs_buf_puts(out, ", identical");
        S_ratio(out, e->identical, 6);
        cnrs_buf_putc(out, '\n');
    } else {
        cnrs_buf_puts(out, "agreement: no sentences-second.tsv\n");
    }

    if (e->coders_n) {
        cnrs_buf_printf(out, "coders: %zu reports coded twice; stage exact", e->coders_n);
        S_ratio(out, e->coders_stage_exact, 6);
        cnrs_buf_puts(out, ", band exact");
        S_ratio(out, e->coders_band_exact, 6);
        cnrs_buf_puts(out, ", band within one");
        S_ratio(out, e->coders_band_within1, 6);
        cnrs_buf_printf(out, ", figures %zu of %zu the same\n", e->coders_figs_same,
                        e->coders_figs);
    } else {
        cnrs_buf_puts(out, "coders: no second-coder/\n");
    }

    cnrs_buf_printf(out, "\nreports: %zu scored, %zu failed\n", e->nscored, e->nfailed);
    cnrs_buf_puts(out, "stage confusion (rows expected, columns engine)\n         ");
    for (int c = 0; c < CNRS_EVAL_STAGES; c++)
        cnrs_buf_printf(out, "%5d", c);
    cnrs_buf_putc(out, '\n');
    for (int s = 0; s < CNRS_EVAL_STAGES; s++) {
        cnrs_buf_printf(out, "  %-7d", s);
        for (int c = 0; c < CNRS_EVAL_STAGES; c++)
            cnrs_buf_printf(out, "%5zu", e->confusion[s][c]);
        cnrs_buf_putc(out, '\n');
    }
    cnrs_buf_puts(out, "stage exact");
    S_ratio(out, e->stage_exact, 6);
    cnrs_buf_puts(out, ", band exact");
    S_ratio(out, e->band_exact, 6);
    cnrs_buf_puts(out, ", band within one");
    S_ratio(out, e->band_within1, 6);
    cnrs_buf_puts(out, "\ntotal MAD ");
    if (isnan(e->total_mad))
        cnrs_buf_puts(out, "-");
    else {
        cnrs_buf_put_fixed(out, e->total_mad, 2);
        cnrs_buf_puts(out, " points (mean engine - hand ");
        if (e->total_bias >= 0)
            cnrs_buf_putc(out, '+');
        cnrs_buf_put_fixed(out, e->total_bias, 2);
        cnrs_buf_putc(out, ')');
    }
    cnrs_buf_printf(out, "\nfigures: %zu of %zu found (", e->fig_found, e->fig_coded);
    S_ratio(out, e->fig_share, 0);
    cnrs_buf_printf(out, "); %zu engine figures match no coded figure (", e->fig_extra);
    cnrs_buf_puts(out, "wrong scope, year or value, or not own inventory");
    cnrs_buf_puts(out, ")\n\nper report: stage expected->engine, total hand/engine, "
                       "figures found/coded, bands that differ (expected/engine)\n");
    for (size_t k = 0; k < e->nrep; k++)
        S_text_report(out, r, &e->rep[k]);
}

/* ---- JSON -------------------------------------------------------------------------- */

static void S_num(cnrs_buf *out, double v, int decimals)
{
    if (isnan(v))
        cnrs_buf_puts(out, "null");
    else
        cnrs_buf_put_fixed(out, v, decimals);
}

/* "stage_confusion":[[..],..],"stage_exact":x,"band_exact":x,"band_within1":x of
 * one pair of readings (the engine against the coders, or coder against coder). */
static void S_json_stages(cnrs_buf *out, const size_t conf[CNRS_EVAL_STAGES][CNRS_EVAL_STAGES],
                          double stage_exact, double band_exact, double band_within1)
{
    cnrs_buf_puts(out, "\"stage_confusion\":[");
    for (int s = 0; s < CNRS_EVAL_STAGES; s++) {
        cnrs_buf_puts(out, s ? ",[" : "[");
        for (int c = 0; c < CNRS_EVAL_STAGES; c++)
            cnrs_buf_printf(out, "%s%zu", c ? "," : "", conf[s][c]);
        cnrs_buf_putc(out, ']');
    }
    cnrs_buf_puts(out, "],\"stage_exact\":");
    S_num(out, stage_exact, 4);
    cnrs_buf_puts(out, ",\"band_exact\":");
    S_num(out, band_exact, 4);
    cnrs_buf_puts(out, ",\"band_within1\":");
    S_num(out, band_within1, 4);
}

static void S_json_counts(cnrs_buf *out, const cnrs_eval_counts *c)
{
    cnrs_buf_printf(out, "{\"tp\":%zu,\"fp\":%zu,\"fn\":%zu,\"precision\":", c->tp, c->fp, c->fn);
    S_num(out, cnrs_eval_precision(c), 4);
    cnrs_buf_puts(out, ",\"recall\":");
    S_num(out, cnrs_eval_recall(c), 4);
    cnrs_buf_putc(out, '}');
}

static void S_json_bands(cnrs_buf *out, const cnrs_rubric *r, const int *band)
{
    cnrs_buf_putc(out, '{');
    for (size_t i = 0; i < r->nindicators; i++)
        cnrs_buf_printf(out, "%s\"%s\":\"%s\"", i ? "," : "", r->indicators[i].id,
                        cnrs_band_name(band[i]));
    cnrs_buf_putc(out, '}');
}

static void S_json_report(cnrs_buf *out, const cnrs_rubric *r, const cnrs_eval_report *rep)
{
    cnrs_buf_puts(out, "{\"name\":");
    cnrs_json_string(out, rep->name, strlen(rep->name));
    cnrs_buf_puts(out, ",\"file\":");
    if (rep->path)
        cnrs_json_string(out, rep->path, strlen(rep->path));
    else
        cnrs_buf_puts(out, "null");
    cnrs_buf_puts(out, ",\"error\":");
    if (rep->error)
        cnrs_json_string(out, rep->error, strlen(rep->error));
    else
        cnrs_buf_puts(out, "null");
    cnrs_buf_printf(out, ",\"expected_stage\":%d,\"engine_stage\":", rep->exp.stage);
    if (rep->error)
        cnrs_buf_puts(out, "null");
    else
        cnrs_buf_printf(out, "%d", rep->stage);
    cnrs_buf_puts(out, ",\"hand_total\":");
    cnrs_buf_put_fixed(out, rep->hand_total, 3);
    cnrs_buf_puts(out, ",\"engine_total\":");
    S_num(out, rep->error ? NAN : rep->total, 3);
    cnrs_buf_puts(out, ",\"expected_bands\":");
    S_json_bands(out, r, rep->exp.band);
    cnrs_buf_puts(out, ",\"engine_bands\":");
    if (rep->error)
        cnrs_buf_puts(out, "null");
    else
        S_json_bands(out, r, rep->band);
    cnrs_buf_printf(out, ",\"figures\":{\"coded\":%zu,\"found\":%zu,\"missing\":[", rep->exp.nfig,
                    rep->fig_found);
    int first = 1;
    for (size_t k = 0; k < rep->exp.nfig; k++) {
        if (rep->fig_hit && rep->fig_hit[k])
            continue;
        if (!first)
            cnrs_buf_putc(out, ',');
        first = 0;
        cnrs_json_string(out, rep->exp.fig[k].value, strlen(rep->exp.fig[k].value));
    }
    cnrs_buf_puts(out, "]}}");
}

void cnrs_write_eval_json(cnrs_buf *out, const cnrs_rubric *r, const cnrs_eval *e)
{
    cnrs_buf_puts(out, "{\"rubric\":{\"id\":");
    cnrs_json_string(out, r->id, strlen(r->id));
    cnrs_buf_puts(out, ",\"version\":");
    cnrs_json_string(out, r->version, strlen(r->version));
    cnrs_buf_printf(out, ",\"sha256\":\"%s\"},\n", r->sha256);

    cnrs_buf_printf(out, "\"sentences\":{\"n\":%zu,\"by_lang\":{", e->nsent);
    for (int l = 0; l < CNRS_EVAL_LANGS; l++)
        cnrs_buf_printf(out, "%s\"%s\":{\"n\":%zu,\"positive\":%zu}", l ? "," : "",
                        cnrs_eval_lang_name((cnrs_eval_lang)l), e->lang_n[l], e->lang_pos[l]);
    cnrs_buf_puts(out, "},\n \"per_indicator\":{");
    for (size_t i = 0; i < r->nindicators; i++) {
        cnrs_buf_printf(out, "%s\"%s\":", i ? ",\n  " : "\n  ", r->indicators[i].id);
        S_json_counts(out, &e->ind[i]);
    }
    cnrs_buf_puts(out, "},\n \"micro_c6_q16\":");
    S_json_counts(out, &e->micro_c6_q16);
    cnrs_buf_puts(out, ",\n \"micro_all\":");
    S_json_counts(out, &e->micro_all);
    cnrs_buf_puts(out, ",\n \"items_micro\":");
    S_json_counts(out, &e->items);
    cnrs_buf_printf(out, ",\n \"none_n\":%zu,\"none_hit\":%zu,\"none_fp\":", e->none_n,
                    e->none_hit);
    S_num(out, e->none_fp, 4);
    cnrs_buf_puts(out, ",\"none_clean\":");
    S_num(out, 1 - e->none_fp, 4);

    cnrs_buf_printf(out, "},\n\"agreement\":{\"n\":%zu,\"kappa_any\":", e->agree_n);
    S_num(out, e->kappa_any, 4);
    cnrs_buf_puts(out, ",\"kappa_indicator\":");
    S_num(out, e->kappa_indicator, 4);
    cnrs_buf_puts(out, ",\"identical\":");
    S_num(out, e->identical, 4);

    cnrs_buf_printf(out, "},\n\"coders\":{\"n\":%zu,", e->coders_n);
    S_json_stages(out, e->coders_confusion, e->coders_stage_exact, e->coders_band_exact,
                  e->coders_band_within1);
    cnrs_buf_printf(out, ",\"figures\":%zu,\"figures_same\":%zu", e->coders_figs,
                    e->coders_figs_same);

    cnrs_buf_printf(out, "},\n\"reports\":{\"n\":%zu,\"failed\":%zu,", e->nrep, e->nfailed);
    S_json_stages(out, e->confusion, e->stage_exact, e->band_exact, e->band_within1);
    cnrs_buf_puts(out, ",\"total_mad\":");
    S_num(out, e->total_mad, 3);
    cnrs_buf_puts(out, ",\"total_bias\":");
    S_num(out, e->total_bias, 3);
    cnrs_buf_puts(out, ",\"per_report\":[");
    for (size_t k = 0; k < e->nrep; k++) {
        cnrs_buf_puts(out, k ? ",\n  " : "\n  ");
        S_json_report(out, r, &e->rep[k]);
    }
    cnrs_buf_printf(out, "]},\n\"figures\":{\"coded\":%zu,\"found\":%zu,\"extra\":%zu,\"share\":",
                    e->fig_coded, e->fig_found, e->fig_extra);
    S_num(out, e->fig_share, 4);
    cnrs_buf_puts(out, "}}\n");
}
