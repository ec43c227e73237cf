/* output.h - scorecards as text and JSON, classify lines, rubric listings.
 *
 * Every writer appends to a cnrs_buf; the caller decides where it goes. All
 * numbers are formatted without locale (util.h cnrs_buf_put_fixed).
 *
 * JSON scorecard (one object per report, on one line):
 *   file, format, encoding, pages, paged, sentences,
 *   rubric {id, version, sha256},
 *   stage, stage_name, score (1 decimal), max,
 *   indicators: [{id, key, name, stage, in_stage, weight (3 decimals),
 *                 band, K, covered, coverage (c), quant (q), sentences (S),
 *                 n, trend, comparison, integration, leadership, bonus,
 *                 pct, points,
 *                 items: [{id, covered, quant}],
 *                 evidence: [{page, item, quant, units: [..], trend,
 *                             comparison, integration, leadership, section,
 *                             text}]}],
 *   figures: [..] (cnrs_write_figures_json)
 * `page` is null for documents without pages; `section` is the evidence
 * sentence's heading path (doc.h), "" before the first heading.
 */
#ifndef CNRS_OUTPUT_H
#define CNRS_OUTPUT_H

#include "pipeline.h"
#include "util.h"

/* Human-readable scorecard; `top` evidence sentences per indicator (0 = none),
 * each indicator's evidence under a section line (cnrs_write_section_line)
 * wherever the heading path changes. */
void cnrs_write_score_text(cnrs_buf *out, const cnrs_rubric *r, const cnrs_report *rep, int top);

/* The line a text scorecard puts above evidence from another section than
 * the evidence before it: "    § PATH\n"; nothing for NULL or "" (no
 * heading above, or stored before sections were). */
void cnrs_write_section_line(cnrs_buf *out, const char *path);

/* The two lines under a text scorecard's indicator table that name its
 * columns (c, q, S, n, bands, T C I, pct) and point to docs/method.md,
 * which explains them. */
void cnrs_write_score_legend(cnrs_buf *out);

/* The JSON object described above, followed by a newline. */
void cnrs_write_score_json(cnrs_buf *out, const cnrs_rubric *r, const cnrs_report *rep);

/* One classify TSV line for the evidence of input line `lineno` (the
 * records in `ev` all belong to it): lineno, indicator ids (comma-separated
 * or "-"), item ids (or "-"), quantitative, trend, comparison, integration
 * (each 0/1). */
void cnrs_write_classify_line(cnrs_buf *out, const cnrs_rubric *r, const cnrs_evidence_set *ev,
                              unsigned long lineno);

/* `rubric weights`: id, key, T, weight (3 decimals) per indicator, then the
 * stage maxima (derived, 3 decimals, and published). */
void cnrs_write_rubric_weights(cnrs_buf *out, const cnrs_rubric *r);

/* `rubric show`: indicators with stage, polarity, weight, items and units. */
void cnrs_write_rubric_show(cnrs_buf *out, const cnrs_rubric *r);

/* The report's own-inventory figures (figures.h) as a JSON array of
 * {scope, basis (null when not stated), kind, year (null), value (as
 * printed), unit, tco2e (null for intensities), approx, unit_from_context,
 * page, text (the sentence as printed)}. */
void cnrs_write_figures_json(cnrs_buf *out, const cnrs_report *rep);

/* One figure as text scorecards list it ("scope 1  2020  51.0 万吨 = 510000.0
 * tCO2e  p.3"); page 0 leaves the page out, basis "" the basis. */
void cnrs_write_figure_line(cnrs_buf *out, const char *scope, const char *basis, const char *kind,
                            int year, const char *value, const char *unit, double tco2e,
                            int page);

/* The same as TSV lines: file, scope, basis, kind, year, value, unit, tco2e,
 * approx, page, text ("-" for what is not stated). */
void cnrs_write_figures_tsv(cnrs_buf *out, const cnrs_report *rep);

struct cnrs_gaps;
/* The self-assessment gap report (gaps.h) of the report `name`: stage,
 * score, what the next stage needs, then the gaps by points (at most `top`,
 * 0 = all) with example phrases (output_gaps.c). */
void cnrs_write_gaps_text(cnrs_buf *out, const cnrs_rubric *r, const char *name,
                          const cnrs_scorecard *card, const struct cnrs_gaps *g, int top);
/* The same as one JSON object on one line: file, stage, score, max,
 * next_stage_needs, gaps [{points, kind, indicator, item, with_figure,
 * units, band_before, band_after, pct_before, pct_after, from_stage, what,
 * examples}]. */
void cnrs_write_gaps_json(cnrs_buf *out, const cnrs_rubric *r, const char *name,
                          const cnrs_scorecard *card, const struct cnrs_gaps *g);

/* Append `s` as one CSV cell (RFC 4180: quoted when it holds a comma, quote,
 * line break or leading space; quotes doubled; NULL is an empty cell). A
 * cell starting with = + - @ or a tab gets a leading apostrophe, so a
 * spreadsheet opening the file shows text instead of running a formula. */
void cnrs_csv_field(cnrs_buf *out, const char *s);

/* Append s[0..n) as a JSON string literal (quotes included). */
void cnrs_json_string(cnrs_buf *out, const char *s, size_t n);

#endif
