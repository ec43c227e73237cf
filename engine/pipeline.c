/* pipeline.c - ingest, segment, extract and score one report. */
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "normalise.h"
#include "script.h"
#include "segment.h"
#include "util.h"

/* doc->script, and doc->match for a document in traditional characters: its
 * simplified form, with the offsets of doc->text. OpenCC keeps the length of
 * almost every text; where a conversion changes it, the simplified form is
 * taken sentence by sentence, and a sentence whose form changes length is
 * matched as printed. */
static void S_match_text(cnrs_doc *doc)
{
    doc->script = cnrs_script_detect(doc->text, doc->text_len);
    if (doc->script != CNRS_SCRIPT_HANT)
        return;
    cnrs_buf m = CNRS_BUF_INIT;
    if (!cnrs_script_simplify(doc->text, doc->text_len, &m)) {
        cnrs_buf_free(&m);
        return;
    }
    if (m.len != doc->text_len) {
        cnrs_buf_reset(&m);
        cnrs_buf_append(&m, doc->text, doc->text_len);
        cnrs_buf one = CNRS_BUF_INIT;
        for (size_t i = 0; i < doc->nsents; i++) {
            const cnrs_sentence *s = &doc->sents[i];
            cnrs_buf_reset(&one);
            if (cnrs_script_simplify(doc->text + s->off, s->len, &one) && one.len == s->len)
                memcpy(m.data + s->off, one.data, s->len);
        }
        cnrs_buf_free(&one);
    }
    doc->match = cnrs_buf_steal(&m);
}

size_t cnrs_classify_sentence(cnrs_extractor *x, const char *s, size_t n, uint32_t sent,
                              cnrs_buf *scratch, cnrs_evidence_set *out)
{
    cnrs_buf_reset(scratch);
    cnrs_normalise(s ? s : "", n, scratch);
    cnrs_evidence_set_reset(out);
    if (cnrs_script_detect(scratch->data, scratch->len) == CNRS_SCRIPT_HANT) {
        cnrs_buf simp = CNRS_BUF_INIT;
        if (cnrs_script_simplify(scratch->data, scratch->len, &simp)) {
            cnrs_buf_reset(scratch);
            cnrs_buf_append(scratch, simp.data, simp.len);
        }
        cnrs_buf_free(&simp);
    }
    return cnrs_extract_sentence(x, scratch->data ? scratch->data : "", scratch->len, sent, out);
}

cnrs_report *cnrs_score_doc(cnrs_extractor *x, const cnrs_rubric *r, cnrs_doc *doc)
{
    cnrs_report *rep = cnrs_xcalloc(1, sizeof *rep);
    rep->doc = doc;
    cnrs_segment(doc);
    S_match_text(doc);
    cnrs_evidence_set_init(&rep->ev);
    cnrs_extract_doc(x, doc, &rep->ev);
    /* stage 3 and Q11's quantitative flag follow the figures (figures.h) */
    cnrs_meta meta;
    cnrs_meta_from_path(doc->path ? doc->path : "", &meta);
    cnrs_figure_set_init(&rep->figs);
    cnrs_figures_doc(x, r, doc, &rep->ev, meta.year, &rep->figs);
    cnrs_meta_clear(&meta);
    cnrs_figures_mark(r, &rep->figs, &rep->ev);
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
    cnrs_figure_set_free(&rep->figs);
    cnrs_scorecard_free(rep->card);
    free(rep);
}
