/* segment.h - raw blocks -> normalised blocks -> sentences.
 *
 * cnrs_segment fills doc->text, doc->blocks and doc->sents from
 * doc->raw_blocks:
 *
 *  1. Each raw block is normalised (normalise.h).
 *  2. Layout classes for line-based sources:
 *     - TOC: a line that looks like a contents entry (dot leaders or a long
 *       gap before a trailing page number: "一、公司治理……12", "About us ... 3")
 *       and every line between a contents heading (目录 / 目 录 / Contents /
 *       Table of Contents) and the first long body paragraph after it;
 *     - INDEX: from a content-index heading (GRI内容索引, 指标索引, 内容索引,
 *       ESG指标索引, GRI Content Index, ESG Index ...) to the next page break
 *       or the end of the document, and any line beginning with a GRI
 *       disclosure code ("GRI 305-1", "305-1");
 *     - FURNITURE: a bare page number line ("12", "- 12 -", "第12页",
 *       "Page 12"); on paged documents (>= 3 pages) the first or last
 *       non-blank line of a page when the same text (digits ignored) is the
 *       first/last line of at least half of the pages (running headers and
 *       footers);
 *     - TABLE_ROW: a line with two or more cells separated by a tab or by
 *       runs of 2+ spaces, or a reader-declared table row.
 *  3. Wrapped lines are joined into paragraphs: a BODY line is joined to the
 *     next BODY line (skipping BREAK blocks between them, since PDF text
 *     extraction often leaves blank lines between wrapped lines) when it does
 *     not end with sentence-final punctuation and its display width is at
 *     least 70% of the document's typical full line width (the 80th
 *     percentile of line widths); joining puts no space between CJK
 *     characters, a space between Latin words, and removes a hyphen that
 *     splits a Latin word ("emis-" + "sions"). A page break ends a paragraph
 *     unless the text continues mid-sentence (then the paragraph keeps the
 *     page it started on).
 *  4. Sentences: Chinese ends at 。！？；!? and at a line/block end; English
 *     at '.', '!', '?' followed by a space and an upper-case letter, digit,
 *     quote or CJK, or at the end of a block; a '.' between digits (3.71),
 *     after a single capital (U.S.) or after a known abbreviation (e.g., i.e.,
 *     etc., Co., Ltd., Inc., No., Mr., Dr., vs., approx., Fig.) does not end a
 *     sentence. Closing quotes and brackets after the mark stay with the
 *     sentence. Sentences are trimmed of spaces; empty ones are dropped. A
 *     sentence longer than CNRS_MAX_SENTENCE bytes is cut at a UTF-8
 *     boundary (pathological input must not make later stages quadratic).
 *
 * FURNITURE blocks are kept in doc->blocks (so `cnrs text` can show them) but
 * yield no sentences. TOC and INDEX blocks yield sentences of that kind;
 * extraction ignores them for evidence.
 */
#ifndef CNRS_SEGMENT_H
#define CNRS_SEGMENT_H

#include "doc.h"

#define CNRS_MAX_SENTENCE 4096

/* Segment `doc` (which must hold raw blocks and no segmentation yet).
 * Cannot fail; a document without text gets zero sentences. */
void cnrs_segment(cnrs_doc *doc);

/* Split one already-normalised block of text into sentences, calling `cb`
 * with each sentence's offset and length relative to `s`. Used by
 * cnrs_segment and by tests. */
void cnrs_split_sentences(const char *s, size_t n,
                          void (*cb)(void *ctx, size_t off, size_t len), void *ctx);

#endif
