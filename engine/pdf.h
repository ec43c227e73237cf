/* pdf.h - PDF text through poppler's pdftohtml, run as a child process.
 *
 * ## Child processes
 *
 * A cnrs_child runs one program from an argument vector (posix_spawnp: no
 * shell, PATH searched when argv[0] has no '/'), stdin from /dev/null,
 * stdout and stderr through pipes, in a process group of its own. Its
 * stdout is read with cnrs_child_read under a wall-clock deadline and a byte
 * cap; stderr is drained at the same time (so the child can never block on
 * a full stderr pipe) and its first bytes are kept for diagnosis. When the
 * deadline passes or the output exceeds the cap, the whole process group is
 * killed with SIGKILL. cnrs_child_finish always reaps the child.
 *
 * ## PDF
 *
 * cnrs_pdf_read runs `pdftohtml -xml -i -stdout -enc UTF-8 -nodrm FILE` (-i: no
 * image files are written; no -q, since stderr is what failures are
 * classified by), streams its XML straight into the pdftohtml-XML reader
 * (pdfxml.h) while the child is still writing, and classifies failures from
 * poppler's messages, each with its own status and a one-line message naming
 * the file:
 *   CNRS_ERR_TOOL       pdftohtml not found or not executable
 *                       ("pdftohtml not found: apt-get install poppler-utils")
 *   CNRS_ERR_ENCRYPTED  "Incorrect password" (user password), or "Permission
 *                       Error" from a pdftohtml without -nodrm
 * A PDF whose permissions forbid copying text is read all the same (-nodrm,
 * as pdftotext reads it) and doc->copy_restricted is set.
 *   CNRS_ERR_CORRUPT    no %PDF- header in the first 1024 bytes, or poppler
 *                       cannot read it ("Syntax Error", "Couldn't read xref
 *                       table", "Document stream is empty"; any other non-zero
 *                       exit or a crash)
 *   CNRS_ERR_TIMEOUT    still running after the time limit (killed)
 *   CNRS_ERR_LIMIT      more XML than the output cap (killed)
 *   CNRS_ERR_NOTEXT     pages but no text on any page: a scanned PDF
 *                       ("no text layer, OCR needed")
 *   CNRS_ERR_PARSE      pdftohtml wrote XML the reader cannot parse
 *   CNRS_ERR_EMPTY      the file has no bytes
 *   CNRS_ERR_IO         the file cannot be opened (missing, a directory ...)
 * Pages keep their PDF page numbers (doc->paged = 1).
 */
#ifndef CNRS_PDF_H
#define CNRS_PDF_H

#include <stddef.h>

#include "doc.h"
#include "pdfxml.h"
#include "util.h"

/* ## Child processes */

typedef struct cnrs_child cnrs_child;

typedef struct cnrs_child_opts {
    double timeout;    /* seconds of wall-clock time from the start; <= 0: no limit */
    size_t max_output; /* bytes of stdout; 0: no limit */
    size_t max_stderr; /* bytes of stderr kept (the rest is read and dropped); 0: 4096 */
    const char *const *env; /* NULL-terminated "NAME=value" list; NULL: this process's */
} cnrs_child_opts;

typedef enum cnrs_child_fail {
    CNRS_CHILD_OK = 0,
    CNRS_CHILD_TIMEOUT, /* deadline passed; killed */
    CNRS_CHILD_OVERCAP, /* stdout over max_output; killed */
    CNRS_CHILD_IOERR    /* read or poll error on the pipes; killed */
} cnrs_child_fail;

/* How a finished child ended. `err` points into the child (valid until
 * cnrs_child_free) and is NUL-terminated. */
typedef struct cnrs_child_result {
    cnrs_child_fail fail;
    int killed; /* 1 if it was killed here (deadline, cap, abandoned output) */
    int exited; /* 1: exit status in `status`; 0: killed by signal `status` */
    int status;
    const char *err; /* the first max_stderr bytes of stderr */
    size_t err_len;
    size_t out_bytes; /* stdout bytes read */
} cnrs_child_result;

/* Start argv[0] with arguments argv (NULL-terminated). Fails with
 * CNRS_ERR_TOOL when the program is missing or cannot be executed (the
 * message names the program and the errno text; the caller adds hints) and
 * CNRS_ERR_IO when pipes cannot be made. On success *out must be given to
 * cnrs_child_finish and then cnrs_child_free. */
cnrs_status cnrs_child_start(const char *const argv[], const cnrs_child_opts *opts,
                             cnrs_child **out, cnrs_error *err);

/* Read up to n bytes of the child's stdout into buf, waiting at most until
 * the deadline. Returns the byte count (> 0), 0 at end of output, or -1 when
 * the child failed (timeout, over the cap, pipe error: see the result of
 * cnrs_child_finish); after -1 the child has been killed. */
long cnrs_child_read(cnrs_child *c, char *buf, size_t n);

/* Wait for the child to end (still within the deadline: past it, or when
 * stdout was not read to its end, the child is killed), reap it and fill
 * *res. Safe to call once; does nothing more on a second call. */
void cnrs_child_finish(cnrs_child *c, cnrs_child_result *res);

/* Free a child; kills and reaps it first if cnrs_child_finish was not
 * called. NULL is allowed. */
void cnrs_child_free(cnrs_child *c);

/* ## PDF */

#define CNRS_PDF_DEFAULT_TIMEOUT 120.0                  /* seconds */
#define CNRS_PDF_DEFAULT_MAX_OUTPUT ((size_t)512 << 20) /* bytes of XML */

typedef struct cnrs_pdf_opts {
    double timeout;      /* seconds; <= 0: CNRS_PDF_DEFAULT_TIMEOUT */
    size_t max_output;   /* bytes of XML; 0: CNRS_PDF_DEFAULT_MAX_OUTPUT */
    const char *program; /* NULL: "pdftohtml" from PATH */
    /* Optional, passed to the XML reader (pdfxml.h): called as each page
     * ends, so a caller can add pieces of its own (OCR words, ocr.h). */
    cnrs_pdfxml_page_fn page_end;
    void *page_ctx;
} cnrs_pdf_opts;

/* Read the PDF at `path` into the raw blocks of `doc` (format PDF, paged)
 * through pdftohtml and the layout repair (layout.h). Statuses as above;
 * CNRS_ERR_IO when the file cannot be opened. On failure `doc` may hold
 * partial raw blocks; the caller frees it. */
cnrs_status cnrs_pdf_read(const char *path, const cnrs_pdf_opts *opts, cnrs_doc *doc,
                          cnrs_error *err);

#endif
