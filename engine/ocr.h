/* ocr.h - PDF pages without a text layer read by Tesseract (docs/ocr.md).
 *
 * cnrs_ocr_read_pdf reads a PDF as pdf.h does (pdftohtml, pass 1). In mode
 * AUTO every page that got no text piece (no raw block: an image-only page)
 * is OCRed; in ALWAYS every page is, and the text layer is ignored; in NEVER
 * nothing is (a PDF without text fails with CNRS_ERR_NOTEXT as before).
 *
 * A page is OCRed by two child processes run as pdftohtml is (pdf.h: own
 * process group, deadline, output cap, stderr kept for the message):
 *   pdftoppm -r DPI -gray -f N -l N -singlefile FILE TMPDIR/pN   (a PGM file)
 *   tesseract TMPDIR/pN.pgm stdout --dpi DPI -l LANGS tsv         (word boxes)
 * with OMP_THREAD_LIMIT=1, since pages already run in parallel: `jobs`
 * pages at a time, each in a thread of its own. The image is removed as
 * soon as Tesseract has read it, the temporary directory ($TMPDIR or /tmp)
 * at the end.
 *
 * Tesseract's words go through the same layout repair (layout.h) as
 * pdftohtml's pieces: each word is one piece with its own left and width and
 * its line's top and height (so a line stays one row, and the line height is
 * the font size), scaled from image pixels to the page units of pdftohtml's
 * XML. The layout joins CJK words without spaces (Tesseract separates every
 * CJK word with one) and Latin words with one, and splits table cells at
 * wide gaps. In AUTO mode with some pages OCRed, pdftohtml runs again (pass
 * 2) and the OCR words of a page are added as it ends (pdfxml.h page_end),
 * so text pages and OCR pages are laid out together in page order.
 *
 * doc->ocr is set when any text came from OCR. Failures name the file:
 *   CNRS_ERR_TOOL     tesseract or pdftoppm missing, or a language's data
 *                     missing ("apt-get install tesseract-ocr ...")
 *   CNRS_ERR_TIMEOUT  a page's pdftoppm or tesseract ran past the time limit
 *   CNRS_ERR_LIMIT    Tesseract's TSV over the cap (64 MiB a page)
 *   CNRS_ERR_CORRUPT  pdftoppm or tesseract failed on a page
 *   CNRS_ERR_NOTEXT   no text layer and OCR found no text either
 *   CNRS_ERR_IO       the temporary directory cannot be made
 * and pdf.h's statuses for pass 1.
 */
#ifndef CNRS_OCR_H
#define CNRS_OCR_H

#include <stddef.h>

#include "doc.h"
#include "layout.h"
#include "pdf.h"
#include "util.h"

typedef enum cnrs_ocr_mode {
    CNRS_OCR_AUTO = 0, /* pages without text only (the default) */
    CNRS_OCR_NEVER,    /* never: a PDF without text fails with CNRS_ERR_NOTEXT */
    CNRS_OCR_ALWAYS    /* every page, ignoring the text layer */
} cnrs_ocr_mode;

#define CNRS_OCR_DEFAULT_LANG "chi_sim+chi_tra+eng"
#define CNRS_OCR_DEFAULT_DPI 300

/* "auto", "never" or "always" into *mode; returns 0 for anything else. */
int cnrs_ocr_mode_parse(const char *s, cnrs_ocr_mode *mode);

/* Progress, reported before the first page (done 0) and after each page
 * (from the worker threads, one call at a time per document, but documents
 * scored in parallel call concurrently: the callback must be thread-safe).
 * done == total is the last call; after a failure no more calls come. */
typedef struct cnrs_ocr_progress {
    const char *path;
    int done, total; /* pages */
    double elapsed;  /* seconds since OCR of this document started */
} cnrs_ocr_progress;

typedef void (*cnrs_ocr_progress_fn)(void *ctx, const cnrs_ocr_progress *p);

typedef struct cnrs_ocr_opts {
    cnrs_ocr_mode mode;
    int jobs;              /* pages OCRed at once; <= 0: 1 */
    double timeout;        /* seconds each program may run per page; <= 0: 120 */
    int dpi;               /* <= 0: CNRS_OCR_DEFAULT_DPI */
    const char *lang;      /* NULL: CNRS_OCR_DEFAULT_LANG */
    const char *tesseract; /* programs; NULL: found through PATH */
    const char *pdftoppm;
    cnrs_ocr_progress_fn on_progress; /* may be NULL */
    void *ctx;
} cnrs_ocr_opts;

/* ## Tesseract's words */

typedef struct cnrs_ocr_word {
    double left, width; /* the word's box, image pixels */
    double top, height; /* its line's box */
    size_t off, len;    /* text in the page's text buffer */
} cnrs_ocr_word;

typedef struct cnrs_ocr_page {
    int number;           /* PDF page number */
    double img_w, img_h;  /* image pixels (Tesseract's level-1 box) */
    cnrs_ocr_word *words; /* reading order as Tesseract gives it */
    size_t nwords, cap;
    cnrs_buf text;
} cnrs_ocr_page;

void cnrs_ocr_page_free(cnrs_ocr_page *pg);

/* Parse Tesseract's TSV output (a header line, then level, page_num,
 * block_num, par_num, line_num, word_num, left, top, width, height, conf,
 * text) into pg's words (appended). Level 1 gives the image size, level 4 the
 * line box its words take, level 5 the words; words with only white space and
 * malformed lines are skipped. Returns the number of words added. */
size_t cnrs_ocr_parse_tsv(const char *tsv, size_t n, cnrs_ocr_page *pg);

/* Add pg's words to the open page of L as pieces, coordinates multiplied by
 * `scale` (page units per image pixel). */
void cnrs_ocr_feed(const cnrs_ocr_page *pg, double scale, cnrs_layout *L);

/* ## PDF */

/* Read the PDF at `path` (pdf.h's options in `po`, NULL for defaults) with
 * OCR as `oo` says (NULL: AUTO, one job). On success *out is a new document
 * (free with cnrs_doc_free); on failure *out is NULL and `err` names the file
 * and the problem. */
cnrs_status cnrs_ocr_read_pdf(const char *path, const cnrs_pdf_opts *po, const cnrs_ocr_opts *oo,
                              cnrs_doc **out, cnrs_error *err);

#endif
