/* ingest.h - read a report file into raw blocks of a cnrs_doc.
 *
 * Format is chosen by extension (case-insensitive): .txt .text -> text;
 * .html .htm .xhtml -> HTML. (.pdf and pdftohtml .xml come with the PDF
 * issue.) Anything else fails with CNRS_ERR_FORMAT.
 *
 * Text files are decoded to UTF-8 (decode.h): UTF-8 with or without BOM,
 * UTF-16 LE/BE with BOM, GB18030/GBK. A form feed starts a new page (and
 * sets doc->paged). Each line becomes one raw block of kind BODY; a blank
 * line becomes a BREAK block.
 *
 * HTML goes through libxml2's HTML parser with network access off; script,
 * style, nav, head, noscript, template are dropped; h1-h6 become HEADING
 * blocks, p/li/div/td-less text BODY blocks with a BREAK after each block
 * element; a table row <tr> becomes one TABLE_ROW block with its cells
 * joined by " | ". Character references are decoded by libxml2.
 */
#ifndef CNRS_INGEST_H
#define CNRS_INGEST_H

#include <stddef.h>

#include "doc.h"
#include "util.h"

typedef struct cnrs_ingest_opts {
    size_t max_bytes; /* refuse larger files with CNRS_ERR_LIMIT; 0 = default (256 MiB) */
} cnrs_ingest_opts;

/* The format an extension names, or CNRS_FMT_UNKNOWN. */
cnrs_format cnrs_format_from_path(const char *path);

/* Read `path` and return a new document holding raw blocks (not yet
 * segmented) in *out; the caller frees it with cnrs_doc_free.
 * Fails (with *out NULL and `err` naming the file and the problem) with:
 * CNRS_ERR_IO (missing, unreadable, directory), CNRS_ERR_FORMAT (unknown
 * extension), CNRS_ERR_EMPTY (no bytes, or nothing but whitespace),
 * CNRS_ERR_BINARY (NUL bytes or control characters in a text file that is not
 * UTF-16), CNRS_ERR_ENCODING (not valid in any supported encoding),
 * CNRS_ERR_PARSE (HTML the parser cannot read), CNRS_ERR_LIMIT. */
cnrs_status cnrs_ingest_file(const char *path, const cnrs_ingest_opts *opts, cnrs_doc **out,
                             cnrs_error *err);

/* Same, from memory: `name` is used in messages and as doc->path; `fmt` must
 * be TEXT or HTML. `data` is not modified or kept. */
cnrs_status cnrs_ingest_memory(const char *name, cnrs_format fmt, const char *data, size_t len,
                               cnrs_doc **out, cnrs_error *err);

#endif
