/* gaps.h - the self-assessment report: what a report is missing, ranked by
 * the points each addition would earn.
 *
 * From a scorecard (score.h) and the rubric, every possible single addition
 * is tried through the same scoring rules (cnrs_score_indicator):
 *   - an item with no evidence disclosed in one new sentence, with a figure
 *     in a fitting unit when the item has unit classes (else qualitative);
 *   - a covered item without a figure given one;
 *   - a content dimension not satisfied (trend with a favourable direction,
 *     comparison, integration);
 *   - a leadership or benchmark claim where it is all B5 lacks.
 * Each gap records the indicator's percentage before and after and the
 * points it adds: weight * (pct after - pct before) / 100. Gaps are sorted
 * by points (descending), then rubric order; gaps worth nothing are dropped.
 * Indicators above the report's stage count only once the report reaches
 * their stage; `from_stage` says which, and `stage_note` says what the next
 * stage needs.
 */
#ifndef CNRS_GAPS_H
#define CNRS_GAPS_H

#include <stddef.h>

#include "rubric.h"
#include "score.h"
#include "util.h"

typedef enum cnrs_gap_kind {
    CNRS_GAP_ITEM = 0,    /* disclose an item that has no evidence */
    CNRS_GAP_QUANTITY,    /* add a figure to a covered item */
    CNRS_GAP_TREND,       /* add favourable trend data */
    CNRS_GAP_COMPARISON,  /* add a benchmark or industry comparison */
    CNRS_GAP_INTEGRATION, /* add future plans and targets */
    CNRS_GAP_LEADERSHIP   /* add a leadership/benchmark claim (B5) */
} cnrs_gap_kind;

typedef struct cnrs_gap {
    cnrs_gap_kind kind;
    int indicator; /* rubric->indicators index */
    int item;      /* rubric->items index, or -1 for dimensions */
    int with_figure; /* ITEM: the estimate assumes a figure in a fitting unit */
    int band_before, band_after;
    double pct_before, pct_after;
    double points; /* weight * (after - before) / 100 */
    int from_stage; /* the stage from which these points count */
} cnrs_gap;

typedef struct cnrs_gaps {
    cnrs_gap *v;
    size_t n;
    int english; /* advice for a report in English: English examples, no region="CN" items */
    char stage_note[512]; /* what reaching the next stage needs ("" at the top stage) */
} cnrs_gaps;

struct cnrs_stored_card;

/* The scorecard of a card read back from the database (store.h), so its
 * gaps can be computed: the band inputs are rebuilt from the stored item
 * flags and counts and every indicator is rescored through
 * cnrs_score_indicator. The stored trend mark is the satisfied dimension,
 * so unfavourable trend data reads back as none, which leaves the gaps
 * unchanged (adding favourable data is the same addition either way).
 * Reviews are ignored: gaps are about the report's automatic evidence.
 * On success *out is a new scorecard (cnrs_scorecard_free). Fails with
 * CNRS_ERR_USAGE, *out NULL, when the card was scored with another rubric
 * (its SHA-256 differs), its items do not match the rubric's, or a rescored
 * percentage differs from the stored one. */
cnrs_status cnrs_scorecard_from_stored(const cnrs_rubric *r, const struct cnrs_stored_card *c,
                                       cnrs_scorecard **out, cnrs_error *err);

/* Compute the gaps of `card`. Free with cnrs_gaps_free. */
void cnrs_gaps_compute(const cnrs_rubric *r, const cnrs_scorecard *card, cnrs_gaps *out);
/* The same for a report in English (`english` 1: a report without Chinese
 * text): items marked region="CN" (China's policy framing, such as a
 * carbon-peak target) are not advised, and writers show English examples. */
void cnrs_gaps_compute_lang(const cnrs_rubric *r, const cnrs_scorecard *card, int english,
                            cnrs_gaps *out);
void cnrs_gaps_free(cnrs_gaps *g);

/* Short English name of a gap kind ("item", "quantity", ...). */
const char *cnrs_gap_kind_name(cnrs_gap_kind k);

#endif
