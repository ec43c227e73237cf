/* score.c - bands, levels, dimensions, stage and total (see score.h). */
#include "score.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Shares are compared with a little slack so 2/4 counts as exactly 0.5. */
#define S_EPS 1e-9

const char *cnrs_band_name(int band)
{
    static const char *const names[] = {"B0", "B1", "B2", "B3", "B4", "B5"};
    return band >= 0 && band < CNRS_NBANDS ? names[band] : "B?";
}

void cnrs_score_indicator(const cnrs_scoring *p, const cnrs_indicator_input *in, double weight,
                          cnrs_indicator_score *out)
{
    memset(out, 0, sizeof *out);
    out->in = *in;
    out->weight = weight;
    double K = in->K ? (double)in->K : 1;
    out->c = (double)in->covered / K;
    out->q = (double)in->quant / K;

    int band;
    if (in->covered == 0)
        band = 0;
    else if (out->c < p->part - S_EPS)
        band = in->quant == 0 ? 1 : 2;
    else if (out->c < p->most - S_EPS)
        band = 3;
    else if (out->q >= p->detail_quant - S_EPS && in->leadership)
        band = 5;
    else
        band = 4;
    out->band = band;

    if (band > 0) {
        double depth = in->S > 1 ? (double)(in->S - 1) / p->depth_divisor : 0;
        if (depth > 1)
            depth = 1;
        out->n = p->band_low[band] + (p->band_high[band] - p->band_low[band]) * depth;
    }

    switch (in->polarity) {
    case CNRS_POL_LOWER: out->trend = in->trend && in->down > in->up; break;
    case CNRS_POL_HIGHER: out->trend = in->trend && in->up > in->down; break;
    case CNRS_POL_ANY: out->trend = in->trend; break;
    }
    out->comparison = in->comparison != 0;
    out->integration = in->integration != 0;
    out->dims = out->trend + out->comparison + out->integration;
    out->pct = out->n;
    if (band >= 1 && out->dims >= p->bonus_min_dims) {
        out->bonus = 1;
        out->pct = out->n + p->bonus;
        if (out->pct > 100)
            out->pct = 100;
    }
    out->points = weight * out->pct / 100.0;
}

int cnrs_decide_stage(const cnrs_rubric *r, const cnrs_evidence_set *ev)
{
    int stage = 0;
    for (size_t s = 0; s < r->nstages; s++) {
        const cnrs_stage_def *st = &r->stages[s];
        /* distinct sentences that satisfy the rule; evidence is in sentence
         * order, so a new sentence is one unlike the last counted */
        int count = 0;
        long last = -1;
        for (size_t e = 0; e < ev->n && count < st->sentences; e++) {
            if (!(st->indicators & (1u << ev->ev[e].indicator)))
                continue;
            if (st->rule == CNRS_RULE_QUANTIFIED && !(ev->ev[e].units & st->units))
                continue;
            if ((long)ev->ev[e].sent != last) {
                last = (long)ev->ev[e].sent;
                count++;
            }
        }
        int holds = count >= (st->sentences > 0 ? st->sentences : 1);
        if (holds && st->n > stage)
            stage = st->n;
    }
    return stage;
}

cnrs_scorecard *cnrs_score(const cnrs_rubric *r, const cnrs_evidence_set *ev)
{
    cnrs_scorecard *card = cnrs_xcalloc(1, sizeof *card);
    card->nind = r->nindicators;
    card->ind = cnrs_xcalloc(r->nindicators ? r->nindicators : 1, sizeof *card->ind);
    card->item_covered = cnrs_xcalloc(r->nitems ? r->nitems : 1, 1);
    card->item_quant = cnrs_xcalloc(r->nitems ? r->nitems : 1, 1);
    card->stage = cnrs_decide_stage(r, ev);
    card->max = cnrs_rubric_stage_max(r, card->stage);

    cnrs_indicator_input *in = cnrs_xcalloc(r->nindicators ? r->nindicators : 1, sizeof *in);
    /* Evidence is in sentence order, so "last sentence counted" per indicator
     * is enough to count distinct sentences and features once each. */
    long *last = cnrs_xmalloc((r->nindicators ? r->nindicators : 1) * sizeof *last);
    for (size_t i = 0; i < r->nindicators; i++) {
        last[i] = -1;
        in[i].K = r->indicators[i].nitems;
        in[i].polarity = r->indicators[i].polarity;
    }
    for (size_t e = 0; e < ev->n; e++) {
        const cnrs_evidence *x = &ev->ev[e];
        card->item_covered[x->item] = 1;
        if (x->units)
            card->item_quant[x->item] = 1;
        cnrs_indicator_input *ii = &in[x->indicator];
        if (last[x->indicator] == (long)x->sent)
            continue;
        last[x->indicator] = (long)x->sent;
        ii->S++;
        const cnrs_features *f = &ev->feats[x->feat];
        if (f->trend) {
            ii->trend = 1;
            ii->up += f->up;
            ii->down += f->down;
        }
        ii->comparison |= f->comparison;
        ii->integration |= f->integration;
        ii->leadership |= f->leadership;
    }
    free(last);
    for (size_t i = 0; i < r->nitems; i++) {
        in[r->items[i].indicator].covered += card->item_covered[i];
        in[r->items[i].indicator].quant += card->item_quant[i];
    }
    for (size_t i = 0; i < r->nindicators; i++) {
        cnrs_indicator_score *sc = &card->ind[i];
        cnrs_score_indicator(&r->scoring, &in[i], r->indicators[i].weight, sc);
        sc->indicator = (int)i;
        sc->in_stage = card->stage > 0 && r->indicators[i].stage <= card->stage;
        if (sc->in_stage)
            card->total += sc->points;
    }
    free(in);
    return card;
}

void cnrs_scorecard_free(cnrs_scorecard *card)
{
    if (!card)
        return;
    free(card->ind);
    free(card->item_covered);
    free(card->item_quant);
    free(card);
}
