/* util.h - allocation, growable buffers, UTF-8 helpers and the error record.
 *
 * Nothing here knows about rubrics or reports, so every other module may use
 * it and it can be tested alone.
 *
 * Allocation: cnrs_xmalloc and friends never return NULL; on out-of-memory
 * they print one line to stderr and abort, so ordinary code never checks.
 */
#ifndef CNRS_UTIL_H
#define CNRS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ## SIMD
 *
 * CNRS_SSE2 is 1 where the scanning loops (decode, normalise, segment) test
 * 16 bytes at a time with SSE2 intrinsics (<emmintrin.h>: every x86-64
 * build); elsewhere, or built with -DCNRS_NO_SIMD, they use their portable
 * loops, which give the same results byte for byte. */
#if defined(__SSE2__) && !defined(CNRS_NO_SIMD)
#define CNRS_SSE2 1
#else
#define CNRS_SSE2 0
#endif

/* s[0..8) as a little-endian 64-bit word, whatever the host's byte order
 * (compilers make it one load where they can): the load of the portable
 * word-at-a-time loops. */
static inline uint64_t cnrs_load64le(const unsigned char *s)
{
    return (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 | (uint64_t)s[3] << 24 |
           (uint64_t)s[4] << 32 | (uint64_t)s[5] << 40 | (uint64_t)s[6] << 48 |
           (uint64_t)s[7] << 56;
}

/* ## Allocation */

void *cnrs_xmalloc(size_t n);
void *cnrs_xcalloc(size_t n, size_t size);
void *cnrs_xrealloc(void *p, size_t n);
/* Grow an array so that it holds at least `need` elements of `size` bytes.
 * *cap is updated; the (possibly moved) array is returned. */
void *cnrs_xgrow(void *p, size_t *cap, size_t need, size_t size);
char *cnrs_xstrdup(const char *s);
char *cnrs_xstrndup(const char *s, size_t n);
/* Call once, before scoring many reports in one process (bench, batch): keep
 * freed memory for the next report instead of giving it back to the kernel.
 * glibc serves blocks above M_MMAP_THRESHOLD (128 KiB, raised only when a
 * larger mmapped block is freed) with a fresh mmap and returns them with
 * munmap, so every report's document buffers (the file, the decoded and the
 * normalised text, lines, sentences: megabytes for a 1 MB report) would be
 * page-faulted in again: on the 220 MB bench corpus 94,000 minor faults and
 * 0.3-0.4 s of system time instead of 5,000 and 0.09 s. Sets the mmap threshold
 * to 32 MiB and the trim threshold to 64 MiB, process-wide; no-op without
 * glibc. */
void cnrs_malloc_keep_freed(void);

/* ## Error record
 *
 * Engine functions return a status (0 = ok, else a cnrs_status) and put the
 * details here; the engine never prints or exits. main.c maps statuses to
 * exit codes and prints `msg`. */

typedef enum cnrs_status {
    CNRS_OK = 0,
    CNRS_ERR_IO = 1,       /* missing or unreadable file, read error */
    CNRS_ERR_FORMAT = 2,   /* unknown extension or unrecognised content */
    CNRS_ERR_EMPTY = 3,    /* file has no text */
    CNRS_ERR_ENCODING = 4, /* not decodable as any supported encoding */
    CNRS_ERR_BINARY = 5,   /* binary content where text was expected */
    CNRS_ERR_PARSE = 6,    /* malformed HTML/XML beyond recovery */
    CNRS_ERR_RUBRIC = 7,   /* rubric file invalid */
    CNRS_ERR_LIMIT = 8,    /* input over a configured size limit */
    CNRS_ERR_USAGE = 9,    /* bad arguments */
    CNRS_ERR_NOTEXT = 10,    /* PDF without a text layer (scanned pages): OCR needed */
    CNRS_ERR_ENCRYPTED = 11, /* PDF needs a password, or forbids copying its text */
    CNRS_ERR_CORRUPT = 12,   /* damaged or truncated PDF, or not a PDF at all */
    CNRS_ERR_TOOL = 13,      /* a helper program (pdftohtml) is missing or cannot run */
    CNRS_ERR_TIMEOUT = 14,   /* a helper program ran past its time limit and was killed */
    CNRS_ERR_DB = 15         /* database: not a cnrs database, newer schema, SQLite error */
} cnrs_status;

typedef struct cnrs_error {
    cnrs_status code;
    char msg[1024]; /* one line, no trailing newline */
} cnrs_error;

/* Record an error (printf-style message) and return `code`, so callers can
 * write `return cnrs_error_set(err, CNRS_ERR_IO, "...")`. `err` may be NULL. */
cnrs_status cnrs_error_set(cnrs_error *err, cnrs_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A short English name for a status ("io", "format", ...). Static storage. */
const char *cnrs_status_name(cnrs_status code);

/* ## Growable byte buffer
 *
 * `data` is always NUL-terminated once anything has been appended (or after
 * cnrs_buf_cstr). The buffer owns `data`; cnrs_buf_free releases it,
 * cnrs_buf_steal hands it to the caller. */

typedef struct cnrs_buf {
    char *data;
    size_t len;
    size_t cap;
} cnrs_buf;

#define CNRS_BUF_INIT {NULL, 0, 0}

void cnrs_buf_reserve(cnrs_buf *b, size_t extra);
void cnrs_buf_append(cnrs_buf *b, const void *p, size_t n);
void cnrs_buf_puts(cnrs_buf *b, const char *s);
void cnrs_buf_putc(cnrs_buf *b, char c);
void cnrs_buf_printf(cnrs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cnrs_buf_vprintf(cnrs_buf *b, const char *fmt, va_list ap);
/* Append UTF-8 for code point `cp` (must be a valid scalar value). */
void cnrs_buf_put_cp(cnrs_buf *b, uint32_t cp);
const char *cnrs_buf_cstr(cnrs_buf *b);
void cnrs_buf_reset(cnrs_buf *b);
char *cnrs_buf_steal(cnrs_buf *b);
void cnrs_buf_free(cnrs_buf *b);

/* ## UTF-8 */

/* Decode one code point from s[0..n). Returns the byte length (1-4) and
 * stores the code point, or returns 0 for an invalid, overlong, surrogate or
 * truncated sequence (then *cp is U+FFFD). n must be > 0. */
int cnrs_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Byte length of the valid UTF-8 prefix of s[0..n). */
size_t cnrs_utf8_valid_prefix(const unsigned char *s, size_t n);
/* Han ideographs, CJK punctuation (U+3000-303F), full-width forms. */
int cnrs_is_cjk(uint32_t cp);
/* Display width: 2 for CJK/full-width, 1 otherwise. */
int cnrs_cp_width(uint32_t cp);

/* ## Files */

/* Read a whole file into a fresh NUL-terminated buffer (caller frees *out).
 * Fails with CNRS_ERR_IO naming the file and errno text, or CNRS_ERR_LIMIT
 * when the file is larger than `limit` bytes (0 = no limit). */
cnrs_status cnrs_read_file(const char *path, size_t limit, char **out, size_t *len,
                           cnrs_error *err);

/* Write data[0..len) to `path` through a temporary file beside it
 * (".NAME.tmp-PID" in the same directory) renamed into place, so `path` is
 * either its old self or the whole new content, never half a file. Fails
 * with CNRS_ERR_IO naming the file; the temporary file is then removed. */
cnrs_status cnrs_write_file_atomic(const char *path, const void *data, size_t len,
                                   cnrs_error *err);

/* Append `s` for a terminal: control characters (C0, DEL, C1) and bytes
 * that are not UTF-8 become '?', so a file name cannot move the cursor or
 * retitle the window. */
void cnrs_buf_put_printable(cnrs_buf *b, const char *s);

/* ## Formatting without locale surprises */

/* Format `v` with `decimals` places using '.' whatever LC_NUMERIC says. */
void cnrs_buf_put_fixed(cnrs_buf *b, double v, int decimals);
/* The same with ',' between groups of three digits of the whole part
 * (9514000 -> "9,514,000", 1466.73 with 1 place -> "1,466.7"). */
void cnrs_buf_put_grouped(cnrs_buf *b, double v, int decimals);

#endif
