/* score.h - stage and 100-point score from evidence (spec sections 3 and 4).
 *
 * Per indicator (K items): c = items with evidence / K, q = items with
 * quantitative evidence / K, S = distinct evidence sentences.
 *   band  B0 c = 0; B1 0 < c < part, q = 0; B2 c < part, q > 0;
 *         B3 part <= c < most; B4 c >= most and not B5;
 *         B5 c >= most, q >= detail_quant and a leadership claim.
 *   n     = low + (high - low) * min(1, (S - 1) / depth_divisor); B0 gives 0.
 *   dims  trend (some trend data whose main direction is favourable for the
 *         indicator's polarity: lower -> more "down" than "up" words in its
 *         trend sentences; higher -> the reverse; any -> any trend data),
 *         comparison, integration.
 *   pct   n + bonus (capped at 100) when dims >= bonus_min_dims and the band
 *         is at least B1; else n.
 *   points = weight * pct / 100.
 * Stage: the highest stage whose rule holds (rubric.h); stage 0 when none.
 * The score is the sum of points of indicators whose stage <= the report's
 * stage; max is the stage's published maximum (0 for stage 0).
 */
#ifndef CNRS_SCORE_H
#define CNRS_SCORE_H

#include <stddef.h>

#include "extract.h"
#include "rubric.h"

/* What one indicator's evidence amounts to: the inputs of the band rules. */
typedef struct cnrs_indicator_input {
    size_t K;          /* items */
    size_t covered;    /* items with evidence */
    size_t quant;      /* items with quantitative evidence */
    size_t S;          /* distinct evidence sentences */
    int trend;         /* some evidence sentence has trend data */
    unsigned up, down; /* direction words in those trend sentences */
    int comparison, integration, leadership;
    cnrs_polarity polarity;
} cnrs_indicator_input;

typedef struct cnrs_indicator_score {
    int indicator; /* rubric->indicators index */
    cnrs_indicator_input in;
    int band;      /* 0..5 */
    double c, q, n;
    int trend, comparison, integration; /* dimensions satisfied */
    int dims;
    int bonus;     /* the bonus was applied */
    double pct;    /* 0..100 */
    double weight; /* points at 100% */
    double points; /* weight * pct / 100, counted only when in_stage */
    int in_stage;  /* indicator's stage <= report's stage */
} cnrs_indicator_score;

typedef struct cnrs_scorecard {
    int stage;
    double total; /* sum of points of in-stage indicators */
    double max;   /* published maximum of the stage */
    size_t nind;
    cnrs_indicator_score *ind;   /* one per rubric indicator, rubric order */
    unsigned char *item_covered; /* per rubric item: has evidence */
    unsigned char *item_quant;   /* per rubric item: has quantitative evidence */
} cnrs_scorecard;

/* Score one indicator from its inputs (pure; exposed for tests). */
void cnrs_score_indicator(const cnrs_scoring *p, const cnrs_indicator_input *in, double weight,
                          cnrs_indicator_score *out);

/* The stage the evidence supports (0..nstages). */
int cnrs_decide_stage(const cnrs_rubric *r, const cnrs_evidence_set *ev);

/* A scorecard for a report's evidence. Free with cnrs_scorecard_free. */
cnrs_scorecard *cnrs_score(const cnrs_rubric *r, const cnrs_evidence_set *ev);
void cnrs_scorecard_free(cnrs_scorecard *card);

/* "B0".."B5". Static storage. */
const char *cnrs_band_name(int band);

#endif
