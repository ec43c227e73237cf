/* figures.h - the company's own GHG inventory, read from its report.
 *
 * From the sentences and table rows that carry Q11 (GHG emissions) evidence,
 * figures collects one record per stated emission figure: scope, basis,
 * year, the value as printed with its unit, and the value in tCO2e
 * (quantity.h does the reading; units are rubric data).
 *
 * What counts:
 *  - a quantity of the GHG dimension (51.0万吨二氧化碳当量, 36,959 metric
 *    tonnes CO2e), or a plain mass in a clause about emissions
 *    (实际排放71,631.39吨);
 *  - bare values after a unit printed once: in the row itself
 *    ("Scope 1 GHG emissions tCO2e 141,100 157,820 164,173", "范围一 |
 *    吨二氧化碳当量 | 1466.73"), or for a short row or table row, in a
 *    label nearby ("单位：万吨", "(Metric Tons CO2e)": the heading or three
 *    sentences either side). Each value of such a run takes its year from
 *    the years of a header row above, in order.
 *  - a row of values only (masses and empty cells) under a GHG caption
 *    and a row of gas names, one per value: the entities' total column of
 *    all gases, else its carbon dioxide when no other gas has a value
 *    (docs/figures.md). Such a row has no Q11 evidence of its own;
 *    cnrs_figures_mark gives it.
 *  - never a number in a clause the Q11 items exclude: reductions and
 *    avoided emissions, targets and plans, verification, pollutants,
 *    negated or national-voice clauses (extract.h), so a reduction clause
 *    removes its own figures and not the sentence's others.
 * A quantity with a denominator (tCO2e/万元, per vehicle) is kept as kind
 * "intensity", its tco2e left 0.
 *
 * Scope: the nearest scope label before the value in its sentence (Scope 1,
 * 范围一, direct emissions ...; "Scope 1 and 2" and 范围一和范围二 give
 * "1+2"; all three or a total word give "total"); without one, the sentence's
 * Q11 items decide (only scope1 evidence: "1"), else "total". Year: the
 * header years of a run, else the nearest year in the sentence before the
 * value, else after it, else 0.
 *
 * The records are the single source of truth for stage 3 and for Q11's
 * quantitative flag: cnrs_figures_mark sets Q11 evidence quantitative
 * exactly when its sentence gave a figure.
 */
#ifndef CNRS_FIGURES_H
#define CNRS_FIGURES_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "extract.h"
#include "rubric.h"

typedef struct cnrs_figure {
    char scope[8];    /* "1", "2", "1+2", "3", "total" */
    char basis[12];   /* "market", "location" or "" */
    char kind[12];    /* "emissions" or "intensity" */
    int year;         /* 0: not stated */
    double value;     /* the number as printed (no multiplier applied) */
    double scaled;    /* the number with its multiplier (13.249 million: 13249000) */
    char value_text[40]; /* the number as printed */
    char unit[64];    /* the unit as printed, multipliers included ("万吨二氧化碳当量") */
    double tco2e;     /* emissions: value in tCO2e; intensity: 0 */
    uint8_t approx;   /* cnrs_approx */
    uint8_t unit_from_context; /* the unit was printed once for a row or table */
    uint32_t sent;    /* doc->sents index of the value */
    uint32_t evsent;  /* the sentence with the Q11 evidence it counts for (the same, or
                       * a row or label of the same table) */
    int page;
} cnrs_figure;

/* A report's figures in sentence order. Owns its array. */
typedef struct cnrs_figure_set {
    cnrs_figure *v;
    size_t n, cap;
} cnrs_figure_set;

void cnrs_figure_set_init(cnrs_figure_set *f);
void cnrs_figure_set_free(cnrs_figure_set *f);

/* Append the figures of `doc` to `out`, reading the sentences that hold Q11
 * evidence in `ev` (extracted from this doc by `x`, whose rubric is `r`).
 * `report_year` (0: unknown) is the year of a single figure whose sentence
 * names no year. Identical records (scope, basis, kind, year, value) are kept
 * once. Never fails; a rubric without a "ghg" dimension or a Q11 indicator
 * gives none. */
void cnrs_figures_doc(cnrs_extractor *x, const cnrs_rubric *r, const cnrs_doc *doc,
                      const cnrs_evidence_set *ev, int report_year, cnrs_figure_set *out);

/* Make Q11's evidence quantitative in the rubric's GHG unit class
 * ("ghg_mass") exactly when its sentence gave a figure in `figs`, so stage 3
 * and the heatmap follow the figures. A figure whose sentence has no Q11
 * evidence (a row of values only) first gives it evidence of the item of
 * its scope (scope1, scope2, scope3, else total), inserted in sentence
 * order with the sentence's features record, or a new empty one. */
void cnrs_figures_mark(const cnrs_rubric *r, const cnrs_figure_set *figs, cnrs_evidence_set *ev);

#endif
