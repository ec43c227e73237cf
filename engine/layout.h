/* layout.h - layout repair: positioned text pieces -> lines, blocks, kinds
 * and reading order, written as the raw blocks of a cnrs_doc.
 *
 * A reader (pdfxml.h) feeds pages and the text pieces on them with their
 * boxes (top-left origin, y growing down, any unit) and font sizes. Per page,
 * when the next page starts:
 *
 *  0. Charts: bar charts printed as data labels (chart.h) are read from the
 *     pieces and their pieces taken out of the page; each becomes a caption
 *     (HEADING) and TABLE_ROW blocks (a header of years, a row per series)
 *     after the page's own lines, in a flow of their own that no table or
 *     paragraph joins. A paragraph running on over the page end is finished
 *     first: the chart's blocks wait until it ends.
 *  1. Rows: pieces sorted once by (top, left); a piece joins the row of the
 *     piece that opened it when their vertical extents overlap by half the
 *     smaller height (so subscripts and mixed fonts stay on their line).
 *  2. Segments: within a row, pieces left to right merge into one segment
 *     while the gap is at most one line height (a wider gap separates table
 *     cells or columns). Between merged pieces a space is put when neither
 *     side is CJK and the words are apart: the gap is over 0.15 of the
 *     smaller height, or, between an ASCII letter and a digit, over 0.08 of
 *     the larger ("In" + "2020", "Scope" + "1": a digit does not continue a
 *     word; "CO" + "2" touching -> "CO2"), or a blank lies between the texts
 *     (pdftohtml keeps word spaces inside its boxes: "were " + "31"). A
 *     piece repeating the previous one at the same place (fake bold drawn
 *     twice) is dropped.
 *  3. Columns: the widest vertical strip in the middle 60% of the text area
 *     that no segment of a one- or two-segment row narrower than 60% of the
 *     text width crosses (one in 25 may hang into it) is a gutter when at
 *     least two rows have text on both sides, each side is at least a quarter
 *     of the text width, and each side reads as prose (at least half its
 *     segments fill 60% of the side's width: table cells do not). When it is
 *     not, the narrow-gutter rule: coverage by the segments narrower than 60%
 *     of the text width in rows of at most two segments and, in any row, by
 *     those that read as prose (at least 24 letters, a CJK character counting
 *     two, and at most one digit per four letters). Every strip at least 0.8
 *     line heights wide that at most one in 25 of them crosses, lying inside
 *     the text and reaching into its middle 60%, is a gutter when the slots
 *     either side of it (up to the neighbouring strips or the text's edge) are
 *     each at least 10 line heights wide, each hold at least four segments of
 *     which half fill 60% of the slot and half read as prose, and at least
 *     three rows have a segment inside both. Then text wholly outside the
 *     outermost slots and less than 10 line heights wide (a sidebar, running
 *     text or a page number in the margin) is a column of its own: the strip
 *     from its edge to the slot is a gutter too. At most 6 columns a page. A
 *     segment belongs to the column it starts in and spans when it crosses
 *     the next gutter. Rows with a spanning segment (titles, full-width
 *     paragraphs) or with more segments than columns touched (a wide table
 *     with cells on two sides) split the page into bands; in each band the
 *     columns are read left to right. When neither rule finds a gutter, the
 *     band rule: a seed is a row of exactly two segments, both prose (as
 *     above: 24 letters, one digit per four), at least 0.8 line heights
 *     apart. From a seed, rows follow while no gap between rows exceeds 4
 *     line heights and every segment lies left of the strip (starts left of
 *     its left edge, ends 0.8 line heights short of its right edge) or right
 *     of it (the mirror), the strip starting as the seed's gap and narrowing
 *     to the segments but staying 0.8 line heights wide. The run is the rows
 *     from the first to the last seed, then the rows under it up to the first
 *     with text on both sides (a table under the columns), then the rows above
 *     it within 2 line heights each that have text on one side only. It is a
 *     band of two columns when it holds at least three seeds and, on each
 *     side, the segments alone on their side of their row are at their widest
 *     at least 10 line heights, half fill 60% of that and half read as prose.
 *     The run is read left column then right, between the rows around it,
 *     which stay whole. At most 3 such bands a page; each row is looked at a
 *     fixed number of times.
 *  4. Lines: in that order, each row part (the row, or its left or right
 *     column part) becomes a line; a line of two or more segments is a table
 *     row with its cells.
 *
 * When the document ends (cnrs_layout_finish), over all pages:
 *
 *  5. Furniture: a line in the top or bottom tenth of its page whose text
 *     without digits and spaces recurs in the same zone on at least two pages
 *     and on at least 40% of the pages with text (running header or footer),
 *     a bare page number in those zones, or a bare page number closing a page
 *     in its bottom quarter.
 *  6. Body size: the font size carrying most text. A single-segment line at
 *     least 1.15 times that size is a heading when its run of such lines (one
 *     column, same size, line spacing) is at most three lines and 80 columns
 *     wide and does not end a sentence; the run becomes one block. A bold
 *     line at body size is a heading under the same rules when it stands
 *     alone (a run of one).
 *  7. Contents: a page that opens (within its first three lines) with a
 *     contents heading (目录, Contents ...) is a TOC page, and so is the next
 *     page while at least half its lines look like contents entries (dot
 *     leaders, or a label and a bare 1-3 digit page number). Every line on a
 *     TOC page is TOC. Index: from a content-index heading (GRI内容索引,
 *     指标索引, 内容索引, ESG指标索引, GRI Content Index ...) to the end of its
 *     page is INDEX, and so are following pages while at least half of their
 *     rows open with a GRI/HKEX code; elsewhere a table row whose first cell
 *     is such a code is INDEX. TOC and INDEX earn no evidence.
 *  8. Tables: consecutive table rows of one column form a table. A one-
 *     segment line inside the label column directly under a row continues
 *     that row's label when another row follows close under it or it opens
 *     with a bracket (a unit); otherwise it is a note under the table. When the first row has year
 * cells (2022, 2022年, FY2022) each later cell under a year becomes "YEAR VALUE", and a cell under
 * a unit header (单位, Unit) is appended to every such value and not repeated: "范围一 | 2021
 * 1,354.20 tCO2e | 2022 1,466.73 tCO2e". Cells are joined by " | ".
 *  9. Paragraphs: a body line continues on the next body line of its column
 *     (only furniture may lie between) when the sizes agree, the next line is
 *     not indented and does not open a list item, and either both are in one
 *     column with at most 0.9 line heights between them and the line fills its
 *     column (within 2 em or 10% of the column's width), or the next line
 *     starts with a lower-case letter after a line without a sentence end
 *     (ragged Latin text), or the next line opens the next column or page and
 *     the line fills its column, at least 10 em wide, without ending a
 *     sentence. Indented: more than 1.2 em past the left edge of its own
 *     column on its page (the leftmost single-segment body line there), unless
 *     it hangs under a list item: its paragraph opened with a list item (a
 *     bullet, "1.", "(3)", "一、" ...) and it starts 0.3 to 3 em past the
 *     item's first line (each measured from its own column's edge when the
 *     item runs on into the next column or page); a line joined so goes on
 *     hanging under the item.
 *
 * Output: per page in reading order, raw blocks of the final kinds: BODY one
 * per line, with no BREAK between lines of one paragraph (segment.c joins
 * them: no space between CJK, a space between Latin words, hyphens removed
 * inside Latin words, page marks kept) and a BREAK after the paragraph;
 * HEADING, TABLE_ROW, TOC and INDEX blocks each followed by a BREAK;
 * FURNITURE without a BREAK (so a paragraph runs on over a page footer).
 * Page numbers are the reader's; doc->npages covers pages without text.
 */
#ifndef CNRS_LAYOUT_H
#define CNRS_LAYOUT_H

#include <stddef.h>

#include "doc.h"

typedef struct cnrs_layout cnrs_layout;

cnrs_layout *cnrs_layout_new(void);
void cnrs_layout_free(cnrs_layout *L);

/* Start page `number` (>= 1; pages in order) of the given size (<= 0 when
 * unknown: the extent of its text is used). Ends the previous page. */
void cnrs_layout_page(cnrs_layout *L, int number, double width, double height);

/* Add a text piece to the current page: box, font size (<= 0: the box
 * height), bold flag and UTF-8 text (copied; white space runs collapse, and
 * a piece with no visible text is ignored). Ignored before the first page. */
void cnrs_layout_piece(cnrs_layout *L, double left, double top, double width, double height,
                       double size, int bold, const char *text, size_t len);

/* End the last page, classify, and append the raw blocks to `doc`. Returns
 * the number of pieces with visible text (0: no text layer). Call once. */
size_t cnrs_layout_finish(cnrs_layout *L, cnrs_doc *doc);

#endif
