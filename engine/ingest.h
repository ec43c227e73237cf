/* ingest.h - read a report file into raw blocks of a cnrs_doc.
 *
 * Format is chosen by extension (case-insensitive): .txt .text -> text;
 * .html .htm .xhtml -> HTML; .pdf -> PDF; .xml -> pdftohtml XML (the output
 * of `pdftohtml -xml`, so a PDF can be converted once and scored many
 * times; any other XML fails with CNRS_ERR_FORMAT). Anything else fails
 * with CNRS_ERR_FORMAT.
 *
 * PDF runs pdftohtml as a child process (pdf.h: time limit, output cap,
 * failures classified), pages without a text layer are OCRed unless
 * opts->ocr says NEVER (ocr.h; the same time limit per page and program),
 * and both PDF and pdftohtml XML go through the
 * streaming XML reader (pdfxml.h) and the layout repair (layout.h), which
 * write raw blocks with their final kinds and PDF page numbers (paged).
 *
 * Text files are decoded to UTF-8 (decode.h): UTF-8 with or without BOM,
 * UTF-16 LE/BE with BOM, GB18030/GBK. A form feed starts a new page (and
 * sets doc->paged). Each line becomes one raw block of kind BODY; a run of
 * blank lines becomes one BREAK block (on the page of the text before it).
 *
 * HTML goes through libxml2's HTML parser with network access off (and
 * XML_PARSE_HUGE, without which libxml2 drops everything nested deeper than
 * 256 levels; the tree walk is iterative, so depth costs no stack); script,
 * style, nav, head, noscript, template, iframe, object are dropped; h1-h6
 * become HEADING blocks, p/li/div/td-less text BODY blocks with a BREAK after
 * each block element; <br> ends a line, and inside <pre> each line is a
 * block; white space collapses as a browser would. A table row <tr> becomes
 * one TABLE_ROW block with its non-empty cells joined by " | " (block
 * elements inside a cell only separate words). Character references are
 * decoded by libxml2. Encoding: bytes that are valid UTF-8 are read as UTF-8
 * whatever a meta tag claims; otherwise a declared charset (meta, XML
 * declaration) is left to libxml2 (doc->encoding "declared"); otherwise
 * decode.h detects UTF-16 (BOM) or GB18030. All HTML is page 1, unpaged.
 */
#ifndef CNRS_INGEST_H
#define CNRS_INGEST_H

#include <stddef.h>
#include <stdio.h>

#include "doc.h"
#include "ocr.h"
#include "util.h"

typedef struct cnrs_ingest_opts {
    size_t max_bytes;      /* refuse larger files with CNRS_ERR_LIMIT; 0 = default (256 MiB) */
    double pdf_timeout;    /* seconds pdftohtml may run per PDF; <= 0 = default (120) */
    size_t pdf_max_output; /* bytes of XML pdftohtml may write; 0 = default (512 MiB) */
    const char *pdftohtml; /* the program; NULL = "pdftohtml" found through PATH */
    cnrs_ocr_mode ocr;     /* OCR of PDF pages without text (ocr.h); 0 = AUTO */
    int ocr_jobs;          /* pages OCRed at once; 0 = the online cores */
    const char *tesseract; /* the program; NULL = "tesseract" found through PATH */
    cnrs_ocr_progress_fn on_ocr_progress; /* may be NULL; must be thread-safe */
    void *ocr_ctx;
} cnrs_ingest_opts;

/* The format an extension names, or CNRS_FMT_UNKNOWN. */
cnrs_format cnrs_format_from_path(const char *path);

/* Why a file met while walking a directory is not taken as a report, or
 * NULL when it is: an extension of no supported type, or .xml (most XML is
 * not pdftohtml output, and report.xml beside report.pdf would count twice).
 * A file named on the command line is always taken. Static text. */
const char *cnrs_format_skip_reason(const char *path);

/* Read `path` and return a new document holding raw blocks (not yet
 * segmented) in *out; the caller frees it with cnrs_doc_free.
 * Fails (with *out NULL and `err` naming the file and the problem) with:
 * CNRS_ERR_IO (missing, unreadable, directory), CNRS_ERR_FORMAT (unknown
 * extension), CNRS_ERR_EMPTY (no bytes, or nothing but whitespace),
 * CNRS_ERR_BINARY (NUL bytes or control characters in a text file that is not
 * UTF-16), CNRS_ERR_ENCODING (not valid in any supported encoding),
 * CNRS_ERR_PARSE (HTML or XML the parser cannot read), CNRS_ERR_LIMIT (also
 * pdftohtml output over the cap); for PDF also CNRS_ERR_NOTEXT (no text
 * layer, and OCR off or finding nothing), CNRS_ERR_ENCRYPTED,
 * CNRS_ERR_CORRUPT, CNRS_ERR_TOOL (pdftohtml, pdftoppm or tesseract missing:
 * the message gives the apt-get line) and CNRS_ERR_TIMEOUT (see pdf.h and
 * ocr.h). A .pdf or .xml is streamed, never read whole
 * into memory: max_bytes does not apply to a .pdf (the output cap does), and
 * a .xml is limited by max_bytes when set, else by the output cap. */
cnrs_status cnrs_ingest_file(const char *path, const cnrs_ingest_opts *opts, cnrs_doc **out,
                             cnrs_error *err);

/* Same, from memory: `name` is used in messages and as doc->path; `fmt` must
 * be TEXT, HTML or PDFXML (PDF needs a file: CNRS_ERR_FORMAT). `data` is not
 * modified or kept. */
cnrs_status cnrs_ingest_memory(const char *name, cnrs_format fmt, const char *data, size_t len,
                               cnrs_doc **out, cnrs_error *err);

/* Same, from an open stream (standard input for the operand "-"): read to
 * its end as format `fmt` (TEXT, HTML, PDF or PDFXML; the stream has no
 * name to take an extension from). `name` stands for it in messages and as
 * doc->path. More than opts->max_bytes (default 256 MiB) fails with
 * CNRS_ERR_LIMIT, a read error with CNRS_ERR_IO. A PDF is copied to a
 * temporary file first (pdftohtml needs one; $TMPDIR or /tmp), removed
 * before returning. The stream is not closed. */
cnrs_status cnrs_ingest_stream(FILE *in, const char *name, cnrs_format fmt,
                               const cnrs_ingest_opts *opts, cnrs_doc **out, cnrs_error *err);

#endif
