/* extract.h - evidence: which items of which indicators a sentence supports.
 *
 * For one normalised sentence the extractor:
 *  1. blanks every `mask` detector match (phrases that share words with cues
 *     but mean something else: 绿色通道, 工作环境, "XX能源有限公司");
 *  2. drops the sentence if it matches `unrelated` (anti-corruption, data
 *     security, rural assistance ...), or matches `national` without any
 *     `company` voice (spec section 6);
 *  3. splits it into clauses at ，；：and at , ; : that are not inside a
 *     number; an item's cue counts only at a position whose clause has no
 *     `negation` match and no match of the item's <exclude> patterns;
 *  4. for each matched item, the sentence is quantitative when one of the
 *     item's unit classes matches in a clause that is neither negated nor
 *     excluded; the evidence records which unit classes matched;
 *  5. records sentence features for sentences with evidence: trend (and the
 *     number of up/down direction words), comparison, integration,
 *     leadership.
 * Only BODY and TABLE_ROW sentences earn evidence: headings name what a
 * section discusses without disclosing it, and contents, index pages and
 * furniture must not earn coverage (spec section 6).
 *
 * An extractor holds PCRE2 match data and scratch buffers: one per thread;
 * the rubric it refers to must outlive it. Extraction never fails: a pattern
 * that hits PCRE2's match or depth limit counts as not matching, and the
 * extractor counts such events (cnrs_extractor_limit_hits).
 */
#ifndef CNRS_EXTRACT_H
#define CNRS_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "quantity.h"
#include "rubric.h"

/* A record's page and section (heading path, doc.h) are its sentence's:
 * doc->sents[sent].page and .section, which outputs and the store write
 * beside it; kept there once, not copied into every record. */
typedef struct cnrs_evidence {
    uint32_t sent;      /* sentence index (doc->sents, or the caller's numbering) */
    uint32_t feat;      /* index into cnrs_evidence_set.feats */
    uint16_t item;      /* global item index (rubric->items) */
    uint16_t indicator; /* rubric->indicators index */
    uint32_t units;     /* bitmask of fitting unit classes found; quantitative iff != 0 */
} cnrs_evidence;

typedef struct cnrs_features {
    uint32_t sent;
    uint8_t trend;       /* some trend data */
    uint8_t up, down;    /* direction words counted (saturating at 255) */
    uint8_t comparison;
    uint8_t integration;
    uint8_t leadership;
} cnrs_features;

/* Evidence of one document, in sentence order. Owns its arrays. */
typedef struct cnrs_evidence_set {
    cnrs_evidence *ev;
    size_t n, cap;
    cnrs_features *feats;
    size_t nfeats, feats_cap;
} cnrs_evidence_set;

void cnrs_evidence_set_init(cnrs_evidence_set *set);
void cnrs_evidence_set_reset(cnrs_evidence_set *set);
void cnrs_evidence_set_free(cnrs_evidence_set *set);

typedef struct cnrs_extractor cnrs_extractor;

/* A new extractor for `rubric` (not copied). Free with cnrs_extractor_free. */
cnrs_extractor *cnrs_extractor_new(const cnrs_rubric *rubric);
void cnrs_extractor_free(cnrs_extractor *x);

/* Extract evidence from one normalised, valid UTF-8 sentence s[0..n) and
 * append it to `out` (evidence records tagged `sent`; at most one features
 * record). Returns the number of evidence records appended. */
size_t cnrs_extract_sentence(cnrs_extractor *x, const char *s, size_t n, uint32_t sent,
                             cnrs_evidence_set *out);

/* Extract evidence from every sentence of a segmented document. */
void cnrs_extract_doc(cnrs_extractor *x, const cnrs_doc *doc, cnrs_evidence_set *out);

/* The quantities (cnrs_quantity_scan, all of them) of sentence `sent` of
 * `doc` as the last cnrs_extract_doc on `doc` scanned them, and their
 * number in *n; NULL when it did not scan that sentence's text. Figures
 * reads the same sentences again (figures.h). Owned by the extractor, valid
 * until its next extraction. */
const cnrs_quantity *cnrs_extract_quantities(const cnrs_extractor *x, const cnrs_doc *doc,
                                             size_t sent, size_t *n);

/* Whether byte p of the normalised sentence s[0..n) lies in a clause that
 * item `item` may use: not negated, not in a national voice, and free of the
 * item's <exclude> matches (the rule of step 3 above). For figures
 * (figures.h): a reduction clause removes its own numbers only. Uses the
 * extractor's scratch state: call it between, not during, extractions. */
int cnrs_extract_clause_free(cnrs_extractor *x, const char *s, size_t n, size_t item, size_t p);

/* With naive != 0, run every pattern on every sentence instead of only the
 * prefilter's candidates (prefilter.h): the reference the fast path is
 * tested against, and the baseline `make bench` reports. Same results. */
void cnrs_extractor_set_naive(cnrs_extractor *x, int naive);

/* How many pattern matches were abandoned at PCRE2's match/depth limits. */
unsigned long cnrs_extractor_limit_hits(const cnrs_extractor *x);

#endif
