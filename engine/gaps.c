/* gaps.c - single additions tried through the scoring rules (see gaps.h). */
#include "gaps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

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
    cnrs_gaps_compute_lang(r, card, 0, out);
}

void cnrs_gaps_compute_lang(const cnrs_rubric *r, const cnrs_scorecard *card, int english,
                            cnrs_gaps *out)
{
    memset(out, 0, sizeof *out);
    out->english = english;
    S_acc acc = {0};
    for (size_t i = 0; i < card->nind; i++) {
        const cnrs_indicator *ind = &r->indicators[i];
        const cnrs_indicator_input base = card->ind[i].in;
        for (size_t k = 0; k < ind->nitems; k++) {
            size_t it = ind->first_item + k;
            cnrs_indicator_input in = base;
            cnrs_gap g = {0};
            g.item = (int)it;
            if (english && r->items[it].china_only && !card->item_covered[it])
                continue; /* a US company is not told to set a 碳达峰 target */
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

/* Whether the stored items JSON (store.c S_items_json) holds item `qid`
 * with the given flags; 0/1 in *covered and *quant. The JSON is ours, so
 * matching its exact spelling is enough; anything else is a mismatch. */
static int S_stored_item(const char *json, const char *qid, int *covered, int *quant)
{
    static const char *const flags[4] = {
        "\",\"covered\":false,\"quant\":false}", "\",\"covered\":false,\"quant\":true}",
        "\",\"covered\":true,\"quant\":false}", "\",\"covered\":true,\"quant\":true}"};
    size_t qn = strlen(qid);
    for (const char *p = json; (p = strstr(p, "{\"id\":\"")) != NULL; p++) {
        const char *v = p + 7;
        if (strncmp(v, qid, qn) != 0 || v[qn] != '"')
            continue;
        for (int f = 0; f < 4; f++)
            if (strncmp(v + qn, flags[f], strlen(flags[f])) == 0) {
                *covered = f >> 1;
                *quant = f & 1;
                return 1;
            }
        return 0;
    }
    return 0;
}

cnrs_status cnrs_scorecard_from_stored(const cnrs_rubric *r, const cnrs_stored_card *c,
                                       cnrs_scorecard **out, cnrs_error *err)
{
    *out = NULL;
    const char *who = c->path ? c->path : "(stored report)";
    if (!c->rubric_sha256 || strcmp(c->rubric_sha256, r->sha256) != 0)
        return cnrs_error_set(err, CNRS_ERR_USAGE,
                              "%s: scored with rubric %.12s, not %.12s (%s); load that rubric "
                              "with --rubric",
                              who, c->rubric_sha256 ? c->rubric_sha256 : "?", r->sha256, r->path);
    if (c->nind != r->nindicators)
        return cnrs_error_set(err, CNRS_ERR_USAGE, "%s: %zu stored indicators, rubric has %zu",
                              who, c->nind, r->nindicators);
    cnrs_scorecard *card = cnrs_xcalloc(1, sizeof *card);
    card->nind = r->nindicators;
    card->ind = cnrs_xcalloc(r->nindicators ? r->nindicators : 1, sizeof *card->ind);
    card->item_covered = cnrs_xcalloc(r->nitems ? r->nitems : 1, 1);
    card->item_quant = cnrs_xcalloc(r->nitems ? r->nitems : 1, 1);
    card->stage = c->stage;
    card->max = cnrs_rubric_stage_max(r, c->stage);
    for (size_t i = 0; i < r->nindicators; i++) {
        const cnrs_indicator *d = &r->indicators[i];
        const cnrs_stored_indicator *x = &c->ind[i];
        cnrs_indicator_input in = {0};
        in.K = d->nitems;
        in.polarity = d->polarity;
        in.S = x->sentences > 0 ? (size_t)x->sentences : 0;
        int bad = strcmp(x->id ? x->id : "", d->id) != 0 || !x->items;
        for (size_t k = 0; k < d->nitems && !bad; k++) {
            size_t it = d->first_item + k;
            int cov, q;
            if (!S_stored_item(x->items, r->items[it].qid, &cov, &q)) {
                bad = 1;
                break;
            }
            card->item_covered[it] = (unsigned char)cov;
            card->item_quant[it] = (unsigned char)q;
            in.covered += (size_t)cov;
            in.quant += (size_t)q;
        }
        if (x->trend) {
            in.trend = 1;
            if (in.polarity == CNRS_POL_LOWER)
                in.down = 1;
            else if (in.polarity == CNRS_POL_HIGHER)
                in.up = 1;
        }
        in.comparison = x->comparison;
        in.integration = x->integration;
        in.leadership = x->leadership;
        cnrs_indicator_score *sc = &card->ind[i];
        if (!bad) {
            cnrs_score_indicator(&r->scoring, &in, d->weight, sc);
            sc->indicator = (int)i;
            sc->in_stage = card->stage > 0 && d->stage <= card->stage;
            if (sc->in_stage)
                card->total += sc->points;
            bad = (int)in.covered != x->covered || sc->pct - x->pct > 1e-6 ||
                  x->pct - sc->pct > 1e-6;
        }
        if (bad) {
            cnrs_scorecard_free(card);
            return cnrs_error_set(err, CNRS_ERR_USAGE,
                                  "%s: stored indicator %s does not match rubric %s", who,
                                  x->id ? x->id : "?", r->path);
        }
    }
    *out = card;
    return CNRS_OK;
}
