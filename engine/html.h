/* html.h - what the static site (site.h) needs to write HTML and SVG safely:
 * escaping, file names that cannot leave their directory, and a few SVG
 * primitives.
 *
 * Everything appends to a cnrs_buf (util.h) and never fails. The output is
 * meant to be well-formed XML as well as HTML (the site's pages must parse
 * with libxml2's XML parser): text and attribute values are escaped the same
 * way, and characters XML does not allow are replaced.
 *
 * Numbers are written without locale (cnrs_buf_put_fixed), so a comma
 * decimal separator can never end up inside an SVG coordinate.
 */
#ifndef CNRS_HTML_H
#define CNRS_HTML_H

#include <stddef.h>

#include "util.h"

/* ## Escaping */

/* Append s[0..n) as HTML/XML character data or a quoted attribute value:
 * & < > " ' become &amp; &lt; &gt; &quot; &#39;. Bytes that are not UTF-8,
 * C0 controls other than tab, line feed and carriage return, DEL, C1
 * controls and U+FFFE/U+FFFF become U+FFFD, so whatever a report or a file
 * name holds, the page stays well-formed and cannot carry markup. */
void cnrs_html_escn(cnrs_buf *b, const char *s, size_t n);
/* The same for a NUL-terminated string; NULL appends nothing. */
void cnrs_html_esc(cnrs_buf *b, const char *s);

/* ## File names */

/* Append a file-name component made of s: ASCII letters, digits, '-' and
 * '_' are kept, every other byte becomes '_', at most `max` bytes (max >= 1).
 * An empty or NULL `s` gives "_". The result can never be "." or "..", hold
 * a slash or start with a dot, so joined to a directory it names a file in
 * that directory. Different inputs may give the same name: callers add a
 * unique part (site.c adds the report id). */
void cnrs_html_safe_name(cnrs_buf *b, const char *s, size_t max);

/* ## SVG
 *
 * Coordinates are user units (one CSS pixel at the natural size); the root
 * has a viewBox, so CSS may scale the chart. Colours come from classes the
 * site's style sheet defines, so the charts print like the page. */

/* <svg ...> with width, height, viewBox, role="img" and `label` (escaped) as
 * aria-label and <title>; `cls` is the class attribute, or NULL. */
void cnrs_svg_begin(cnrs_buf *b, double w, double h, const char *cls, const char *label);
void cnrs_svg_end(cnrs_buf *b);
/* A rectangle; `tip` (escaped, may be NULL) becomes a <title> child, the
 * tooltip a browser shows on hover. */
void cnrs_svg_rect(cnrs_buf *b, double x, double y, double w, double h, const char *cls,
                   const char *tip);
void cnrs_svg_line(cnrs_buf *b, double x1, double y1, double x2, double y2, const char *cls);
/* Text at (x, y) (the baseline); `anchor` is "start", "middle" or "end";
 * `text` is escaped. */
void cnrs_svg_text(cnrs_buf *b, double x, double y, const char *anchor, const char *cls,
                   const char *text);

#endif
