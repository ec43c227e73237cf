/* gaps.c - single additions tried through the scoring rules (see gaps.h). */
#include "gaps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cnrs_gap_kind_name(cnrs_gap_kind k)
{
    switch (k) {
    case CNRS_GAP_ITEM: return "item";
    case CNRS_GAP_QUANTITY: return "quantity";
    case CNRS_GAP_TREND: return "trend";
    case CNRS_GAP_COMPARISON: return "comparison";
    case CNRS_GAP_INTEGRATION: return "integration";
    case CNRS_GAP_LEADERSHIP: return "leadership";
    }
    return "?";
}

typedef struct S_acc {
    cnrs_gap *v;
    size_t n, cap;
} S_acc;

/* Score `in` and record the gap when it adds points. */
static void S_try(S_acc *acc, const cnrs_rubric *r, const cnrs_scorecard *card, int ind,
                  const cnrs_indicator_input *in, cnrs_gap g)
{
    const cnrs_indicator_score *now = &card->ind[ind];
    cnrs_indicator_score after;
    cnrs_score_indicator(&r->scoring, in, now->weight, &after);
    double points = now->weight * (after.pct - now->pct) / 100.0;
    if (points < 1e-9)
        return;
    g.indicator = ind;
    g.band_before = now->band;
    g.band_after = after.band;
    g.pct_before = now->pct;
    g.pct_after = after.pct;
    g.points = points;
    g.from_stage = r->indicators[ind].stage > card->stage ? r->indicators[ind].stage : 0;
    acc->v = cnrs_xgrow(acc->v, &acc->cap, acc->n + 1, sizeof *acc->v);
    acc->v[acc->n++] = g;
}

static int S_cmp(const void *pa, const void *pb)
{
    const cnrs_gap *a = pa, *b = pb;
    if (a->points != b->points)
        return a->points < b->points ? 1 : -1;
    if (a->indicator != b->indicator)
        return a->indicator - b->indicator;
    if (a->item != b->item)
        return a->item - b->item;
    return (int)a->kind - (int)b->kind;
}

/* The next stage's requirement in words, from the rubric's stage rules. */
static void S_stage_note(const cnrs_rubric *r, int stage, char *buf, size_t cap)
{
    buf[0] = '\0';
    const cnrs_stage_def *next = NULL;
    for (size_t s = 0; s < r->nstages; s++)
        if (r->stages[s].n == stage + 1)
            next = &r->stages[s];
    if (!next)
        return;
    cnrs_buf ids = CNRS_BUF_INIT;
    for (size_t i = 0; i < r->nindicators; i++)
        if (next->indicators & (1u << i)) {
            if (ids.len)
                cnrs_buf_puts(&ids, ", ");
            cnrs_buf_puts(&ids, r->indicators[i].id);
        }
    if (next->rule == CNRS_RULE_QUANTIFIED) {
        cnrs_buf units = CNRS_BUF_INIT;
        for (size_t u = 0; u < r->nunits; u++)
            if (next->units & (1u << u)) {
                if (units.len)
                    cnrs_buf_puts(&units, " or ");
                cnrs_buf_puts(&units, r->units[u].name_en ? r->units[u].name_en : r->units[u].id);
            }
        snprintf(buf, cap,
                 "stage %d needs quantified own emissions: a figure in %s for %s (e.g. scope 1 "
                 "or 2 emissions in tCO2e); avoided or reduced emissions do not count",
                 next->n, cnrs_buf_cstr(&units), cnrs_buf_cstr(&ids));
        cnrs_buf_free(&units);
    } else {
        snprintf(buf, cap, "stage %d (%s) needs the company's own disclosure on any of %s",
                 next->n, next->name_en ? next->name_en : "", cnrs_buf_cstr(&ids));
    }
    cnrs_buf_free(&ids);
}

void cnrs_gaps_compute(const cnrs_rubric *r, const cnrs_scorecard *card, cnrs_gaps *out)
{
    memset(out, 0, sizeof *out);
    S_acc acc = {0};
    for (size_t i = 0; i < card->nind; i++) {
        const cnrs_indicator *ind = &r->indicators[i];
        const cnrs_indicator_input base = card->ind[i].in;
        for (size_t k = 0; k < ind->nitems; k++) {
            size_t it = ind->first_item + k;
            cnrs_indicator_input in = base;
            cnrs_gap g = {0};
            g.item = (int)it;
            if (!card->item_covered[it]) {
                /* One new sentence on the item, with a figure if one fits. */
                g.kind = CNRS_GAP_ITEM;
                g.with_figure = r->items[it].units != 0;
                in.covered++;
                in.S++;
                if (g.with_figure)
                    in.quant++;
                S_try(&acc, r, card, (int)i, &in, g);
            } else if (!card->item_quant[it] && r->items[it].units) {
                g.kind = CNRS_GAP_QUANTITY;
                in.quant++;
                S_try(&acc, r, card, (int)i, &in, g);
            }
        }
        if (base.covered == 0)
            continue; /* dimensions and claims need some disclosure first */
        const cnrs_indicator_score *now = &card->ind[i];
        cnrs_gap g = {0};
        g.item = -1;
        if (!now->trend) {
            cnrs_indicator_input in = base;
            in.trend = 1;
            if (in.polarity == CNRS_POL_LOWER)
                in.down = in.up + 1;
            else if (in.polarity == CNRS_POL_HIGHER)
                in.up = in.down + 1;
            g.kind = CNRS_GAP_TREND;
            S_try(&acc, r, card, (int)i, &in, g);
        }
        if (!now->comparison) {
            cnrs_indicator_input in = base;
            in.comparison = 1;
            g.kind = CNRS_GAP_COMPARISON;
            S_try(&acc, r, card, (int)i, &in, g);
        }
        if (!now->integration) {
            cnrs_indicator_input in = base;
            in.integration = 1;
            g.kind = CNRS_GAP_INTEGRATION;
            S_try(&acc, r, card, (int)i, &in, g);
        }
        if (!base.leadership) {
            cnrs_indicator_input in = base;
            in.leadership = 1;
            g.kind = CNRS_GAP_LEADERSHIP;
            S_try(&acc, r, card, (int)i, &in, g);
        }
    }
    qsort(acc.v, acc.n, sizeof *acc.v, S_cmp);
    out->v = acc.v;
    out->n = acc.n;
    S_stage_note(r, card->stage, out->stage_note, sizeof out->stage_note);
}

void cnrs_gaps_free(cnrs_gaps *g)
{
    free(g->v);
    memset(g, 0, sizeof *g);
}
