/* prefilter.h - which patterns can possibly match a piece of text.
 *
 * Every rubric pattern registers under an id. From its PCRE2 source the
 * prefilter derives a set of literals at least one of which any match must
 * contain (alternations give several literals; optional or repeated-zero
 * parts and character classes give none); for a pattern without top-level
 * alternation also a second set from another required factor, so that, say,
 * "(?:减排|降碳)[^。]{0,30}(?:目标完成|完成率)" is a candidate only where
 * literals of both sets occur. All literals go into one
 * Aho-Corasick automaton over ASCII-case-folded bytes, so a single pass over
 * a sentence marks every id whose pattern may match there; patterns without
 * a usable literal are marked on every scan ("always" ids).
 *
 * The answer is a superset: a marked id may still not match (PCRE2 decides),
 * but an unmarked id cannot match, for normalised text (normalise.h folds
 * the two non-ASCII letters caseless matching equates with ASCII ones) and
 * literals whose caseless forms are ASCII. Patterns using constructs the
 * analysis does not model (backtracking verbs, extended mode) always run. Tests compare results with and without
 * the prefilter on the corpora and seeds.
 *
 * Build once (not thread-safe while building); scanning is read-only and may
 * run from many threads.
 */
#ifndef CNRS_PREFILTER_H
#define CNRS_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

typedef struct cnrs_prefilter cnrs_prefilter;

cnrs_prefilter *cnrs_prefilter_new(void);
void cnrs_prefilter_free(cnrs_prefilter *pf);

/* Register PCRE2 pattern `pat` (macros already expanded) under `id`. Several
 * patterns may share an id (a joined alternation). Returns 1 when required
 * literals were found, 0 when the pattern makes `id` an "always" id. */
int cnrs_prefilter_add(cnrs_prefilter *pf, unsigned id, const char *pat);

/* Build the automaton; call once after the last add. */
void cnrs_prefilter_build(cnrs_prefilter *pf);

/* States of the built automaton (diagnostics and tests). */
size_t cnrs_prefilter_states(const cnrs_prefilter *pf);

/* Number of 64-bit words a candidate bitmap needs. */
size_t cnrs_prefilter_words(const cnrs_prefilter *pf);

/* Set the bit of every id whose pattern may match within s[0..n); `bits`
 * (cnrs_prefilter_words() words) is overwritten. */
void cnrs_prefilter_scan(const cnrs_prefilter *pf, const char *s, size_t n, uint64_t *bits);

/* Where the literals of an id occurred in a scanned text: the offsets just
 * past the end of the first and of the last occurrence. */
typedef struct cnrs_prefilter_span {
    uint32_t first, last;
} cnrs_prefilter_span;

/* The same scan, also writing ends[id] (an array of cnrs_prefilter_words() *
 * 64 entries) for every id a literal marked; other entries are left alone.
 * With cnrs_prefilter_lead and cnrs_prefilter_minlen this bounds where a
 * match can start. */
void cnrs_prefilter_scan_at(const cnrs_prefilter *pf, const char *s, size_t n, uint64_t *bits,
                            cnrs_prefilter_span *ends);

/* Two cnrs_prefilter_scan_at in one pass, each with its own outputs: the
 * same results as two calls, faster, since the two walks over the automaton
 * overlap their memory latency. */
void cnrs_prefilter_scan_pair(const cnrs_prefilter *pf, const char *s1, size_t n1,
                              uint64_t *bits1, cnrs_prefilter_span *ends1, const char *s2,
                              size_t n2, uint64_t *bits2, cnrs_prefilter_span *ends2);

/* For pattern `id` (alone under its id) whose match can only begin a
 * bounded number of bytes before its required literal: that bound plus the
 * longest literal, in bytes (so 0 < lead); else 0. After a
 * cnrs_prefilter_scan_at that marked `id`, no match starts before
 * ends[id].first - lead. */
unsigned cnrs_prefilter_lead(const cnrs_prefilter *pf, unsigned id);

/* The shortest literal of `id` in bytes, or 0 when `id` has none (it is
 * always a candidate). After a cnrs_prefilter_scan_at that marked `id`
 * through a literal, no match of its patterns starts after
 * ends[id].last - minlen: every match contains one of the literals. */
unsigned cnrs_prefilter_minlen(const cnrs_prefilter *pf, unsigned id);

static inline int cnrs_prefilter_has(const uint64_t *bits, unsigned id)
{
    return (int)((bits[id >> 6] >> (id & 63)) & 1);
}

/* Whether pattern `id` may match, given the bits of a scan: its literal set
 * and, when it has one, its second set were both seen. */
int cnrs_prefilter_cand(const cnrs_prefilter *pf, const uint64_t *bits, unsigned id);

/* After build: per pattern id, the bit of its second factor or UINT32_MAX
 * (for callers that test candidates inline). Owned by the prefilter. */
const uint32_t *cnrs_prefilter_seconds(const cnrs_prefilter *pf);

/* Every literal (case-folded, deduplicated), for `cnrs rubric cues`. */
void cnrs_prefilter_each_literal(const cnrs_prefilter *pf,
                                 void (*cb)(void *ctx, const char *lit, size_t len), void *ctx);

/* The required literals of one pattern, appended to `out` one per line, then
 * "&" and the second set when there is one ("" with return 0 when there are
 * none): for tests and diagnostics. */
struct cnrs_buf;
int cnrs_prefilter_literals_of(const char *pat, struct cnrs_buf *out);

#endif
