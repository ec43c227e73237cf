/* pipeline.c - ingest, segment, extract and score one report. */
#include "pipeline.h"

#include <stdlib.h>

#include "normalise.h"
#include "segment.h"
#include "util.h"

size_t cnrs_classify_sentence(cnrs_extractor *x, const char *s, size_t n, uint32_t sent,
                              cnrs_buf *scratch, cnrs_evidence_set *out)
{
    cnrs_buf_reset(scratch);
    cnrs_normalise(s ? s : "", n, scratch);
    cnrs_evidence_set_reset(out);
    return cnrs_extract_sentence(x, scratch->data ? scratch->data : "", scratch->len, sent, out);
}

cnrs_report *cnrs_score_doc(cnrs_extractor *x, const cnrs_rubric *r, cnrs_doc *doc)
{
    cnrs_report *rep = cnrs_xcalloc(1, sizeof *rep);
    rep->doc = doc;
    cnrs_segment(doc);
    cnrs_evidence_set_init(&rep->ev);
    cnrs_extract_doc(x, doc, &rep->ev);
    rep->card = cnrs_score(r, &rep->ev);
    return rep;
}

cnrs_status cnrs_score_file(cnrs_extractor *x, const cnrs_rubric *r, const char *path,
                            const cnrs_ingest_opts *opts, cnrs_report **out, cnrs_error *err)
{
    cnrs_doc *doc = NULL;
    *out = NULL;
    cnrs_status st = cnrs_ingest_file(path, opts, &doc, err);
    if (st != CNRS_OK)
        return st;
    *out = cnrs_score_doc(x, r, doc);
    return CNRS_OK;
}

void cnrs_report_free(cnrs_report *rep)
{
    if (!rep)
        return;
    cnrs_doc_free(rep->doc);
    cnrs_evidence_set_free(&rep->ev);
    cnrs_scorecard_free(rep->card);
    free(rep);
}
