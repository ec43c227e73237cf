/* pdfxml.h - read pdftohtml's XML (`pdftohtml -xml`) into a cnrs_doc.
 *
 * The XML is read in one pass with libxml2's streaming reader
 * (xmlTextReader) with XML_PARSE_NONET and without entity substitution, DTD
 * loading or default attributes: the `<!DOCTYPE pdf2xml SYSTEM
 * "pdf2xml.dtd">` line pdftohtml writes is never fetched, and an entity
 * declared in a hostile file is reported as a reference, not expanded.
 * Bytes that XML 1.0 forbids (C0 controls other than tab, CR, LF), which
 * pdftohtml copies from broken fonts, are replaced by spaces on the way in.
 * pdftohtml does not always escape: an '&' that opens no reference
 * ("&amp;", "&#38;", "&name;") is read as "&amp;" (font names such as
 * family="WIIHXU+J&JCircular-Medium", text "R&D"), and a '<' that opens no
 * markup ("<!", "<?", "<name" or "</name" followed by a blank, '>' or '/')
 * as "&lt;" ("CO2 < 5%", "<5"), so such files are read, not refused.
 *
 * What is read: the root must be <pdf2xml>; each <page number= width=
 * height=> starts a page; <fontspec id= size= family=> defines a font (ids
 * are global, a family naming "Bold" or "Heavy" makes it bold); each
 * <text top= left= width= height= font=> is one positioned piece whose
 * content is all text below it (<b>, <i> and <a> are unwrapped; a piece
 * mostly inside <b> is bold). <image>, <outline> (bookmarks) and anything
 * else are ignored. The pieces go to the layout repair (layout.h), which
 * writes the raw blocks.
 *
 * Failures: CNRS_ERR_FORMAT when the root is not <pdf2xml>, CNRS_ERR_PARSE
 * for malformed XML (the message gives the line and libxml2's text),
 * CNRS_ERR_EMPTY when there are no pages, CNRS_ERR_NOTEXT when there are
 * pages but no text, and whatever status the source callback reported
 * (see cnrs_pdfxml_source).
 */
#ifndef CNRS_PDFXML_H
#define CNRS_PDFXML_H

#include <stddef.h>

#include "doc.h"
#include "util.h"

struct cnrs_layout;

/* Called when page `number` (of width x height in the XML's units) ends,
 * before the next page starts or the document is finished, while the layout
 * is still on that page: pieces added to L now belong to it. */
typedef void (*cnrs_pdfxml_page_fn)(void *ctx, int number, double width, double height,
                                    struct cnrs_layout *L);

/* Where the XML comes from: `read` fills buf with up to len bytes and
 * returns the count, 0 at the end, or -1 on failure after recording the
 * reason in *st (a cnrs_status) and msg (one line, may be empty).
 * `page_end` (may be NULL) is called with `page_ctx` as each page ends. */
typedef struct cnrs_pdfxml_source {
    int (*read)(void *ctx, char *buf, int len, cnrs_status *st, char *msg, size_t msgcap);
    void *ctx;
    cnrs_pdfxml_page_fn page_end;
    void *page_ctx;
} cnrs_pdfxml_source;

/* What the reader saw, for callers that classify failures. */
typedef struct cnrs_pdfxml_info {
    int pages;     /* <page> elements */
    size_t pieces; /* <text> elements with visible text */
    int root_ok;   /* the root element was <pdf2xml> */
} cnrs_pdfxml_info;

/* Read XML from `src` into the raw blocks of `doc` (doc->paged is set).
 * `name` is used in messages. `info` may be NULL. On failure `doc` may hold
 * partial raw blocks. */
cnrs_status cnrs_pdfxml_read(const char *name, const cnrs_pdfxml_source *src, cnrs_doc *doc,
                             cnrs_pdfxml_info *info, cnrs_error *err);

/* Same from memory (`data` is not kept). */
cnrs_status cnrs_pdfxml_read_memory(const char *name, const char *data, size_t len, cnrs_doc *doc,
                                    cnrs_pdfxml_info *info, cnrs_error *err);

/* Same from the file at `path`, refusing files over `max_bytes` (0: no
 * limit) with CNRS_ERR_LIMIT; CNRS_ERR_IO when it cannot be read. */
cnrs_status cnrs_pdfxml_read_file(const char *path, size_t max_bytes, cnrs_doc *doc,
                                  cnrs_pdfxml_info *info, cnrs_error *err);

#endif
