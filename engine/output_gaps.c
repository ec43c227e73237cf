/* output_gaps.c - the self-assessment gap report as text and JSON. */
#include <string.h>

#include "gaps.h"
#include "output.h"

static void S_units(cnrs_buf *out, const cnrs_rubric *r, uint32_t mask, const char *sep, int json)
{
    int first = 1;
    for (size_t u = 0; u < r->nunits; u++)
        if (mask & (1u << u)) {
            if (!first)
                cnrs_buf_puts(out, sep);
            first = 0;
            const char *name = r->units[u].name_en ? r->units[u].name_en : r->units[u].id;
            if (json)
                cnrs_json_string(out, r->units[u].id, strlen(r->units[u].id));
            else
                cnrs_buf_puts(out, name);
        }
}

/* What to do, in words. */
static void S_what(cnrs_buf *out, const cnrs_rubric *r, const cnrs_gap *g)
{
    const cnrs_item *it = g->item >= 0 ? &r->items[g->item] : NULL;
    switch (g->kind) {
    case CNRS_GAP_ITEM:
        cnrs_buf_printf(out, "disclose %s (%s)", it->qid, it->name_en ? it->name_en : "");
        if (g->with_figure) {
            cnrs_buf_puts(out, " with a figure in ");
            S_units(out, r, it->units, " or ", 0);
        }
        break;
    case CNRS_GAP_QUANTITY:
        cnrs_buf_printf(out, "give %s a figure in ", it->qid);
        S_units(out, r, it->units, " or ", 0);
        break;
    case CNRS_GAP_TREND:
        cnrs_buf_printf(out, "add trend data for %s (several years, year-on-year change)%s",
                        r->indicators[g->indicator].id,
                        r->indicators[g->indicator].polarity == CNRS_POL_LOWER ? ", falling"
                        : r->indicators[g->indicator].polarity == CNRS_POL_HIGHER ? ", rising"
                                                                                  : "");
        break;
    case CNRS_GAP_COMPARISON:
        cnrs_buf_printf(out, "compare %s with a benchmark or the industry average",
                        r->indicators[g->indicator].id);
        break;
    case CNRS_GAP_INTEGRATION:
        cnrs_buf_printf(out, "add plans and targets for %s (e.g. by 2030)",
                        r->indicators[g->indicator].id);
        break;
    case CNRS_GAP_LEADERSHIP:
        cnrs_buf_printf(out, "back an industry-leading or benchmark standing for %s",
                        r->indicators[g->indicator].id);
        break;
    }
}

/* Whether example e of `it` is in the report's language (any example when
 * the item has none in it). */
static int S_example_fits(const cnrs_item *it, size_t e, int english)
{
    int have = 0;
    for (size_t k = 0; k < it->nexamples; k++)
        have |= it->example_en[k] == english;
    return !have || it->example_en[e] == english;
}

void cnrs_write_gaps_text(cnrs_buf *out, const cnrs_rubric *r, const char *name,
                          const cnrs_scorecard *card, const cnrs_gaps *g, int top)
{
    cnrs_buf_printf(out, "%s\n  stage %d: score ", name, card->stage);
    cnrs_buf_put_fixed(out, card->total, 1);
    cnrs_buf_puts(out, " / ");
    cnrs_buf_put_fixed(out, card->max, 0);
    cnrs_buf_putc(out, '\n');
    if (g->stage_note[0])
        cnrs_buf_printf(out, "  next: %s\n", g->stage_note);
    cnrs_buf_puts(out, "\n  points  gap\n");
    for (size_t i = 0; i < g->n && (top <= 0 || (int)i < top); i++) {
        const cnrs_gap *x = &g->v[i];
        cnrs_buf_puts(out, "  +");
        cnrs_buf t = CNRS_BUF_INIT;
        cnrs_buf_put_fixed(&t, x->points, 2);
        cnrs_buf_printf(out, "%-6s ", cnrs_buf_cstr(&t));
        cnrs_buf_free(&t);
        S_what(out, r, x);
        cnrs_buf_printf(out, "  [%s %s->%s, ", r->indicators[x->indicator].id,
                        cnrs_band_name(x->band_before), cnrs_band_name(x->band_after));
        cnrs_buf_put_fixed(out, x->pct_before, 1);
        cnrs_buf_puts(out, "%->");
        cnrs_buf_put_fixed(out, x->pct_after, 1);
        cnrs_buf_putc(out, '%');
        if (x->from_stage)
            cnrs_buf_printf(out, ", counts from stage %d", x->from_stage);
        cnrs_buf_puts(out, "]\n");
        for (size_t e = 0; x->item >= 0 && e < r->items[x->item].nexamples; e++)
            if (S_example_fits(&r->items[x->item], e, g->english))
                cnrs_buf_printf(out, "          e.g. %s\n", r->items[x->item].examples[e]);
    }
}

void cnrs_write_gaps_json(cnrs_buf *out, const cnrs_rubric *r, const char *name,
                          const cnrs_scorecard *card, const cnrs_gaps *g)
{
    cnrs_buf_puts(out, "{\"file\":");
    cnrs_json_string(out, name, strlen(name));
    cnrs_buf_printf(out, ",\"stage\":%d,\"score\":", card->stage);
    cnrs_buf_put_fixed(out, card->total, 1);
    cnrs_buf_puts(out, ",\"max\":");
    cnrs_buf_put_fixed(out, card->max, 0);
    cnrs_buf_puts(out, ",\"next_stage_needs\":");
    if (g->stage_note[0])
        cnrs_json_string(out, g->stage_note, strlen(g->stage_note));
    else
        cnrs_buf_puts(out, "null");
    cnrs_buf_puts(out, ",\"gaps\":[");
    for (size_t i = 0; i < g->n; i++) {
        const cnrs_gap *x = &g->v[i];
        cnrs_buf_puts(out, i ? ",{\"points\":" : "{\"points\":");
        cnrs_buf_put_fixed(out, x->points, 3);
        cnrs_buf_printf(out, ",\"kind\":\"%s\",\"indicator\":\"%s\",\"item\":",
                        cnrs_gap_kind_name(x->kind), r->indicators[x->indicator].id);
        if (x->item >= 0)
            cnrs_json_string(out, r->items[x->item].qid, strlen(r->items[x->item].qid));
        else
            cnrs_buf_puts(out, "null");
        cnrs_buf_printf(out, ",\"with_figure\":%s,\"units\":[", x->with_figure ? "true" : "false");
        if (x->item >= 0 && (x->kind == CNRS_GAP_QUANTITY || x->with_figure))
            S_units(out, r, r->items[x->item].units, ",", 1);
        cnrs_buf_printf(out, "],\"band_before\":\"%s\",\"band_after\":\"%s\",\"pct_before\":",
                        cnrs_band_name(x->band_before), cnrs_band_name(x->band_after));
        cnrs_buf_put_fixed(out, x->pct_before, 2);
        cnrs_buf_puts(out, ",\"pct_after\":");
        cnrs_buf_put_fixed(out, x->pct_after, 2);
        cnrs_buf_printf(out, ",\"from_stage\":%d,\"what\":", x->from_stage);
        cnrs_buf w = CNRS_BUF_INIT;
        S_what(&w, r, x);
        cnrs_json_string(out, w.data, w.len);
        cnrs_buf_free(&w);
        cnrs_buf_puts(out, ",\"examples\":[");
        int first = 1;
        for (size_t e = 0; x->item >= 0 && e < r->items[x->item].nexamples; e++) {
            if (!S_example_fits(&r->items[x->item], e, g->english))
                continue;
            if (!first)
                cnrs_buf_putc(out, ',');
            first = 0;
            const char *ex = r->items[x->item].examples[e];
            cnrs_json_string(out, ex, strlen(ex));
        }
        cnrs_buf_puts(out, "]}");
    }
    cnrs_buf_puts(out, "]}\n");
}
