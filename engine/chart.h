/* chart.h - bar charts whose values are printed only as data labels, read
 * from the positioned text pieces of one page and written as table rows.
 *
 * pdftohtml gives a chart's labels as loose pieces that layout repair would
 * interleave with the text around them. A chart is read when (all of):
 *
 *  1. Axis: two or more year labels (2018, 2020年, 2020年度, FY2019, FY19,
 *     '18) in one row (vertical bars) or one column (horizontal bars), each
 *     a piece of its own, increasing, evenly spaced (each gap within 0.7-1.4
 *     of the mean).
 *  2. Values: walking away from the axis on one side, across the strip the
 *     year labels span (half a spacing beyond the first and last), bare
 *     numbers (59,103, 1.24: digits, comma groups, a decimal part; not glued
 *     to a neighbouring piece, so a subscript 2 is text) are collected until
 *     the first piece of text, another year label or 45% of the page. Each
 *     number's centre must lie within a quarter spacing of a year label's
 *     centre, every year must hold the same count K (1-6) of them, only one
 *     side may hold numbers, and no such number may sit within two line
 *     heights past that first text (the chart goes on past it: a
 *     "(109/1)" note inside the bars).
 *  3. Axis ticks are not values: three or more numbers (with K, M, B or %
 *     suffixes) sharing a left edge, right edge or row, evenly spaced, in
 *     arithmetic progression (0, 50K, 100K ...).
 *  4. Not a table: when for every series the labels start at one line (top
 *     within 2 units: cells of a table row), ticks must lie next to the chart.
 *  5. Series: with K > 1 (stacked bars, vertical only), the values of a year
 *     are ranked from the baseline (bottom) up, and the first row of text
 *     under the chart must hold exactly K short labels (a legend, at most 48
 *     bytes each, not a "*" note): read left to right, the first names the
 *     bottom segment, as spreadsheet charts draw them. With K = 1 the series
 *     is named by a one-label legend under the chart, else by the caption.
 *  6. Caption: the nearest row of text above the chart (within six of its
 *     line heights) overlapping it, with the pieces touching it in that row
 *     ("CarMax GHG Emissions (MTCO" "2" "e)").
 *
 * Output per chart: the caption (unless it names the one series), a header
 * of the year labels ("2018 | 2019"; FY19 -> FY2019, '18 -> 2018), and one
 * row per series, label first, values as printed: "Scope 1 | 59,103 |
 * 78,033". Nothing is invented: each value is a printed label. Anything
 * ambiguous (counts differ, a number off the year centres, no name for a
 * series) reads no chart and leaves the pieces alone. A page of more than
 * 3000 pieces is not looked at (the passes compare pieces pairwise).
 */
#ifndef CNRS_CHART_H
#define CNRS_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* One positioned piece: box with a top-left origin, y growing down. */
typedef struct cnrs_chart_piece {
    float x0, y0, x1, y1;
    const char *text; /* UTF-8, blanks collapsed and trimmed; not owned */
    size_t len;
    uint8_t blank; /* 1: the reader gave a blank before the text, 2: after */
} cnrs_chart_piece;

enum { CNRS_CHART_CAPTION = 1, CNRS_CHART_ROW = 2 };

/* One line of a chart read: a caption or a table row (cells joined by
 * " | "), with the chart's box. */
typedef struct cnrs_chart_line {
    int kind;        /* CNRS_CHART_CAPTION or CNRS_CHART_ROW */
    size_t off, len; /* text in the caller's buffer */
    float x0, y0, x1, y1;
} cnrs_chart_line;

/* Read the charts among the n pieces of one page (page_h, page_w: its size,
 * <= 0 when unknown). For each chart read, sets used[i] = 1 for every piece
 * it consumed (used[] holds n flags, cleared by the caller; pieces already
 * flagged are not looked at), appends its lines to *lines (grown with
 * cnrs_xgrow; the caller owns and frees the array) and their text to
 * `text`. Returns the number of charts read. */
size_t cnrs_chart_read(const cnrs_chart_piece *p, size_t n, float page_w, float page_h,
                       unsigned char *used, cnrs_buf *text, cnrs_chart_line **lines, size_t *nlines,
                       size_t *cap);

#endif
