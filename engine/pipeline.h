/* pipeline.h - one report through ingest -> segment -> extract -> score.
 *
 * The glue the CLI (and later the batch engine) uses, so every front end
 * scores a file exactly the same way.
 */
#ifndef CNRS_PIPELINE_H
#define CNRS_PIPELINE_H

#include "doc.h"
#include "extract.h"
#include "figures.h"
#include "ingest.h"
#include "rubric.h"
#include "score.h"

/* A scored report: owns its document, evidence and scorecard. */
typedef struct cnrs_report {
    cnrs_doc *doc;
    cnrs_evidence_set ev;
    cnrs_figure_set figs; /* own-inventory figures (figures.h) */
    cnrs_scorecard *card;
} cnrs_report;

/* Score the file at `path` with the rubric behind `x`. On success *out is a
 * new report (free with cnrs_report_free). On failure *out is NULL and `err`
 * names the file and the problem (statuses as cnrs_ingest_file). */
cnrs_status cnrs_score_file(cnrs_extractor *x, const cnrs_rubric *r, const char *path,
                            const cnrs_ingest_opts *opts, cnrs_report **out, cnrs_error *err);

/* Classify one sentence as `cnrs classify` does (and `cnrs eval` for its
 * hand-labelled sentences): normalise s[0..n) into `scratch` (reset first),
 * empty `out`, and extract the evidence of the normalised text into it,
 * tagged `sent`. Returns the number of evidence records. Never fails. */
size_t cnrs_classify_sentence(cnrs_extractor *x, const char *s, size_t n, uint32_t sent,
                              cnrs_buf *scratch, cnrs_evidence_set *out);

/* Score an already ingested (raw) document; takes ownership of `doc`. */
cnrs_report *cnrs_score_doc(cnrs_extractor *x, const cnrs_rubric *r, cnrs_doc *doc);

void cnrs_report_free(cnrs_report *rep);

#endif
