/* segment.h - raw blocks -> normalised blocks -> sentences.
 *
 * cnrs_segment fills doc->text, doc->blocks and doc->sents from
 * doc->raw_blocks:
 *
 *  1. Each raw block is normalised (normalise.h).
 *  2. Layout classes, mainly for line-based sources (an HTML heading or
 *     table row can still be TOC or INDEX; HTML has no pages):
 *     - TOC: a line that looks like a contents entry (dot leaders or a long
 *       gap before a trailing page number: "一、公司治理……12", "About us ... 3")
 *       and every line between a contents heading (目录 / 目 录 / Contents /
 *       Table of Contents) and the first long body paragraph after it.
 *       The region ends at the first line of at least 70% of the typical
 *       width (below) holding ， 。 ； ", " or ". ", or after 200 lines. A
 *       "long gap" is a tab or 4+ spaces before a 1-3 digit number, with no
 *       other digits in the label past a leading section number (so
 *       "2020年排放总量\t951" stays a table row);
 *     - INDEX: from a content-index heading (GRI内容索引, 指标索引, 内容索引,
 *       ESG指标索引, GRI Content Index, ESG Index ...) to the next page break
 *       or the end of the document, and any line beginning with a GRI
 *       disclosure code ("GRI 305-1", "305-1", "GRI 102") or an HKEX ESG KPI
 *       ("A1.1", "KPI B2"). In an unpaged document the heading only opens a
 *       region in the second half of the text (indices close reports; a
 *       contents line naming the index must not swallow the body);
 *     - FURNITURE: a bare page number line ("12", "- 12 -", "第12页",
 *       "Page 12", "Page 3 of 80", "3 / 45"); on paged documents (>= 3 pages)
 *       the first or last non-blank line of a page (bare page numbers not
 *       counted) when the same text (digits and spaces ignored) is the
 *       first/last line of at least half of the pages with text and of at
 *       least two (running headers and footers; found by hashing);
 *     - TABLE_ROW: a line with two or more cells separated by a tab or by
 *       runs of 2+ spaces (U+3000 and NBSP count as spaces), or a
 *       reader-declared table row; cells are normalised one by one and
 *       joined by " | ". A line whose cells are all single characters is a
 *       letter-spaced heading ("摘  要" -> "摘要"), not a table.
 *  3. Wrapped lines are joined into paragraphs: a BODY line is joined to the
 *     next BODY line (skipping BREAK blocks between them, since PDF text
 *     extraction often leaves blank lines between wrapped lines) when it does
 *     not end with sentence-final punctuation and its display width is at
 *     least 70% of the document's typical full line width (the 80th
 *     percentile of line widths); joining puts no space between CJK
 *     characters, a space between Latin words, and removes a hyphen that
 *     splits a Latin word ("emis-" + "sions"). A page break ends a paragraph
 *     unless the text continues mid-sentence (then the paragraph keeps the
 *     page it started on; FURNITURE lines met on the way are skipped and
 *     emitted as blocks after the paragraph).
 *     Refinements: a narrower column (side box, two-column page) also
 *     counts as full width for a line of at least 8 CJK characters (width
 *     16) when the next body line is not wider, a neighbouring body line has
 *     about the same width (within max(2, w/8)), and prose punctuation
 *     (， 。 、 ； ： ", ") occurs in it or in a nearby body line that is
 *     not wider; a line that opens a list item ("1. ", "2、", "(3)", "一、",
 *     "①", "•", "- ") always starts a new paragraph; HTML blocks are
 *     paragraphs already and are never joined.
 *  4. Sentences: Chinese ends at 。！？；!? and at a line/block end; English
 *     at '.', '!', '?' followed by a space and an upper-case letter, digit,
 *     quote or CJK, or at the end of a block; a '.' between digits (3.71),
 *     after a single capital (U.S.) or after a known abbreviation (e.g., i.e.,
 *     etc., Co., Ltd., Inc., No., Mr., Dr., vs., approx., Fig.) does not end a
 *     sentence, nor does one closing a section number that opens the
 *     sentence ("1. Introduction", "2.1. 企业"). '!' and '?' end a sentence
 *     unless a lower-case word follows. With no space after it, '.', '!'
 *     or '?' ends a sentence when a capitalised word follows directly (a
 *     join that lost its space: "percent.Our", "Why?Because"; for '.' the
 *     character before is a lower-case letter, digit, '%', ')' or '"', so
 *     "U.S.Steel", "No.5", "3.71" and the abbreviations above go on).
 *     A run of two or more '|' ("|||") ends a sentence and is dropped; a
 *     list bullet (• ‣ ⁃ ∙ ■ □ ▪ ▫ ▶ ► ◆ ◇ ● ◦ ✓ ✔ ❖ ➢ and the Symbol and
 *     Wingdings private-use bullets U+F06C, F06E, F0A7, F0B7, F0D8) opens
 *     a new one (○ and · are not bullets: 二○二二, 张·三). Closing quotes
 *     and brackets (and repeated marks) after the mark stay with the
 *     sentence. Sentences are trimmed of spaces; empty ones are dropped.
 *     No sentence is longer than CNRS_MAX_SENTENCE_CHARS (600) characters:
 *     a longer one is cut after the last ；/; in the second half of its
 *     first 600 characters, else the last ，/", " there, else the last
 *     space there, else at 600 characters (bytes that are not UTF-8: at
 *     CNRS_MAX_SENTENCE); evidence stays readable and pathological input
 *     cannot make later stages quadratic.
 *     TABLE_ROW, TOC and INDEX blocks are one sentence each (their dots are
 *     leaders and separators), cut the same way when over 600 characters. A sentence's page is the page its first
 *     character came from, so a paragraph running onto the next page gives
 *     its later sentences the later page.
 *
 * PDF and pdftohtml XML (formats PDF, PDFXML): the layout repair (layout.h)
 * has already decided kinds and paragraphs from positions and font sizes, so
 * steps 2 and 3 trust it: every reader-given kind is kept (a BODY line that
 * is a bare page number still becomes FURNITURE; no contents region, running
 * line or cell detection runs), and a BODY line is joined to the next BODY
 * line exactly when no BREAK lies between them (FURNITURE lines between are
 * held and emitted after the paragraph, as above), with the joining rules of
 * step 3. A one-line paragraph can still become a HEADING as for text.
 *
 * Heading paths (doc.h): while cutting sentences, each HEADING block that
 * holds a letter opens a section at its level, and every sentence records
 * the section in force (doc->sections, one pass). The level is the
 * reader's (HTML, PDF layout); for a heading found in text, its numbering's:
 * 第…章/篇/编/部分 1, 第…节 2, 一、 2, （一） 3, "1." "1、" "1 " 4, "1.1" and
 * （1） 5, "1.1.1" and ① 6, no numbering 1; in a PDF a one-line heading
 * found here (body type) ranks one below the deepest level the layout gave.
 *
 * FURNITURE blocks are kept in doc->blocks (so `cnrs text` can show them) but
 * yield no sentences. TOC and INDEX blocks yield sentences of that kind;
 * extraction ignores them for evidence.
 */
#ifndef CNRS_SEGMENT_H
#define CNRS_SEGMENT_H

#include "doc.h"

#define CNRS_MAX_SENTENCE_CHARS 600
/* So never more bytes than this (four per character at most). */
#define CNRS_MAX_SENTENCE (4 * CNRS_MAX_SENTENCE_CHARS)

/* Segment `doc` (which must hold raw blocks and no segmentation yet).
 * Cannot fail; a document without text gets zero sentences. */
void cnrs_segment(cnrs_doc *doc);

/* Split one already-normalised block of text into sentences, calling `cb`
 * with each sentence's offset and length relative to `s`. Used by
 * cnrs_segment and by tests. */
void cnrs_split_sentences(const char *s, size_t n, void (*cb)(void *ctx, size_t off, size_t len),
                          void *ctx);

/* ## Line tests shared with the PDF layout repair (layout.h)
 *
 * Each takes one normalised line s[0..n) and answers as step 2 above does:
 * a bare page number; a contents heading (目录, Contents ...); a
 * content-index heading (GRI内容索引, 指标索引 ...); a line opening with a
 * GRI disclosure or HKEX KPI code; a contents entry with dot leaders; a line
 * opening a list item ("1. ", "(3)", "一、", "•" ...). */
int cnrs_line_is_page_number(const char *s, size_t n);
int cnrs_line_is_contents_heading(const char *s, size_t n);
int cnrs_line_is_index_heading(const char *s, size_t n);
int cnrs_line_starts_with_code(const char *s, size_t n);
int cnrs_line_is_toc_leaders(const char *s, size_t n);
int cnrs_line_starts_list(const char *s, size_t n);

/* Whether s[0..n) holds a letter (Latin, Greek, Cyrillic, kana, Hangul, a
 * CJK ideograph): a heading without one ("95%", "03") names no section. */
int cnrs_line_has_letter(const char *s, size_t n);

/* Display width of a raw line s[0..n) as step 3 measures it, leading and
 * trailing blanks (spaces, tabs; U+3000 at the end) not counted: ASCII 1,
 * CJK, full-width forms and Hangul 2 (cnrs_cp_width), and *prose set to
 * whether it holds prose punctuation (， 。 、 ； ： or ", "). */
int cnrs_line_width(const char *s, size_t n, int *prose);

#endif
