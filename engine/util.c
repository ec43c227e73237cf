/* util.c - allocation wrapper, buffers, UTF-8 and error helpers. */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* ---- allocation ---------------------------------------------------------- */

static void S_oom(size_t n)
{
    fprintf(stderr, "cnrs: out of memory allocating %zu bytes\n", n);
    abort();
}

void *cnrs_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        S_oom(n);
    return p;
}

void *cnrs_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        S_oom(n * size);
    return p;
}

void *cnrs_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        S_oom(n);
    return q;
}

void *cnrs_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size)
            S_oom(SIZE_MAX);
        c *= 2;
    }
    p = cnrs_xrealloc(p, c * size);
    *cap = c;
    return p;
}

void cnrs_malloc_keep_freed(void)
{
#ifdef __GLIBC__
    /* 32 MiB is the largest threshold glibc accepts on 64-bit systems; blocks
     * above it (documents of tens of MB) still get their own mmap. */
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

char *cnrs_xstrdup(const char *s)
{
    return cnrs_xstrndup(s, strlen(s));
}

char *cnrs_xstrndup(const char *s, size_t n)
{
    char *p = cnrs_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ---- errors -------------------------------------------------------------- */

/* Messages are one line of printable UTF-8, whatever a file name holds: a
 * newline must not split the line, and control characters (ESC sequences,
 * C1 controls) must not reach a terminal. Line breaks and tabs become
 * spaces; other C0 controls, DEL, C1 controls and bytes that are not UTF-8
 * (including a sequence cut by truncation) become '?', byte for byte. */
static void S_sanitise_line(char *msg)
{
    unsigned char *u = (unsigned char *)msg;
    size_t n = strlen(msg);
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        if (c < 0x80) {
            if (c == '\n' || c == '\r' || c == '\t')
                u[i] = ' ';
            else if (c < 0x20 || c == 0x7F)
                u[i] = '?';
            i++;
            continue;
        }
        uint32_t cp;
        int k = cnrs_utf8_decode(u + i, n - i, &cp);
        if (k == 0) {
            u[i++] = '?';
        } else {
            if (cp >= 0x80 && cp <= 0x9F)
                memset(u + i, '?', (size_t)k);
            i += (size_t)k;
        }
    }
}

cnrs_status cnrs_error_set(cnrs_error *err, cnrs_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        S_sanitise_line(err->msg);
        err->code = code;
    }
    return code;
}

const char *cnrs_status_name(cnrs_status code)
{
    switch (code) {
    case CNRS_OK: return "ok";
    case CNRS_ERR_IO: return "io";
    case CNRS_ERR_FORMAT: return "format";
    case CNRS_ERR_EMPTY: return "empty";
    case CNRS_ERR_ENCODING: return "encoding";
    case CNRS_ERR_BINARY: return "binary";
    case CNRS_ERR_PARSE: return "parse";
    case CNRS_ERR_RUBRIC: return "rubric";
    case CNRS_ERR_LIMIT: return "limit";
    case CNRS_ERR_USAGE: return "usage";
    case CNRS_ERR_NOTEXT: return "notext";
    case CNRS_ERR_ENCRYPTED: return "encrypted";
    case CNRS_ERR_CORRUPT: return "corrupt";
    case CNRS_ERR_TOOL: return "tool";
    case CNRS_ERR_TIMEOUT: return "timeout";
    case CNRS_ERR_DB: return "db";
    }
    return "unknown";
}

/* ---- buffers ------------------------------------------------------------- */

void cnrs_buf_reserve(cnrs_buf *b, size_t extra)
{
    b->data = cnrs_xgrow(b->data, &b->cap, b->len + extra + 1, 1);
}

void cnrs_buf_append(cnrs_buf *b, const void *p, size_t n)
{
    cnrs_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cnrs_buf_puts(cnrs_buf *b, const char *s)
{
    cnrs_buf_append(b, s, strlen(s));
}

void cnrs_buf_putc(cnrs_buf *b, char c)
{
    cnrs_buf_append(b, &c, 1);
}

void cnrs_buf_vprintf(cnrs_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    cnrs_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void cnrs_buf_printf(cnrs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cnrs_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void cnrs_buf_put_cp(cnrs_buf *b, uint32_t cp)
{
    char t[4];
    size_t n;
    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    cnrs_buf_append(b, t, n);
}

const char *cnrs_buf_cstr(cnrs_buf *b)
{
    cnrs_buf_reserve(b, 0);
    b->data[b->len] = '\0';
    return b->data;
}

void cnrs_buf_reset(cnrs_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *cnrs_buf_steal(cnrs_buf *b)
{
    cnrs_buf_cstr(b);
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void cnrs_buf_free(cnrs_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void cnrs_buf_put_fixed(cnrs_buf *b, double v, int decimals)
{
    /* Integer arithmetic keeps the output independent of LC_NUMERIC. */
    double scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    double r = floor(fabs(v) * scale + 0.5 + 1e-9);
    if (v < 0 && r > 0)
        cnrs_buf_putc(b, '-');
    unsigned long long whole = (unsigned long long)(r / scale);
    unsigned long long frac = (unsigned long long)(r - (double)whole * scale);
    cnrs_buf_printf(b, "%llu", whole);
    if (decimals > 0)
        cnrs_buf_printf(b, ".%0*llu", decimals, frac);
}

void cnrs_buf_put_grouped(cnrs_buf *b, double v, int decimals)
{
    cnrs_buf t = CNRS_BUF_INIT;
    cnrs_buf_put_fixed(&t, v, decimals);
    const char *s = cnrs_buf_cstr(&t);
    if (*s == '-')
        cnrs_buf_putc(b, *s++);
    size_t whole = strcspn(s, ".");
    for (size_t i = 0; i < whole; i++) {
        if (i && (whole - i) % 3 == 0)
            cnrs_buf_putc(b, ',');
        cnrs_buf_putc(b, s[i]);
    }
    cnrs_buf_puts(b, s + whole);
    cnrs_buf_free(&t);
}

/* ---- UTF-8 --------------------------------------------------------------- */

int cnrs_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    *cp = 0xFFFD;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if ((size_t)len > n)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

size_t cnrs_utf8_valid_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int k = cnrs_utf8_decode(s + i, n - i, &cp);
        if (!k)
            break;
        i += (size_t)k;
    }
    return i;
}

int cnrs_is_cjk(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) ||   /* unified ideographs */
           (cp >= 0x3400 && cp <= 0x4DBF) ||   /* extension A */
           (cp >= 0x20000 && cp <= 0x2FA1F) || /* extensions B.. and compat */
           (cp >= 0xF900 && cp <= 0xFAFF) ||   /* compatibility ideographs */
           (cp >= 0x3000 && cp <= 0x303F) ||   /* CJK symbols and punctuation */
           (cp >= 0xFF00 && cp <= 0xFFEF);     /* half/full-width forms */
}

int cnrs_cp_width(uint32_t cp)
{
    return (cnrs_is_cjk(cp) || (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0xAC00 && cp <= 0xD7A3))
               ? 2
               : 1;
}

/* ---- files --------------------------------------------------------------- */

cnrs_status cnrs_write_file_atomic(const char *path, const void *data, size_t len,
                                   cnrs_error *err)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t n = strlen(path) + 32;
    char *tmp = cnrs_xmalloc(n);
    snprintf(tmp, n, "%.*s.%s.tmp-%ld", (int)dirlen, path, path + dirlen, (long)getpid());
    cnrs_status st = CNRS_OK;
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        st = cnrs_error_set(err, CNRS_ERR_IO, "%s: cannot create (as %s): %s", path, tmp,
                            strerror(errno));
        free(tmp);
        return st;
    }
    int bad = len && fwrite(data, 1, len, f) != len;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad)
        st = cnrs_error_set(err, CNRS_ERR_IO, "%s: cannot write: %s", path, strerror(e));
    else if (rename(tmp, path) != 0)
        st = cnrs_error_set(err, CNRS_ERR_IO, "%s: cannot rename into place: %s", path,
                            strerror(errno));
    if (st != CNRS_OK)
        unlink(tmp);
    free(tmp);
    return st;
}

cnrs_status cnrs_read_file(const char *path, size_t limit, char **out, size_t *len,
                           cnrs_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    int have_st = fstat(fileno(f), &st) == 0;
    if (have_st && S_ISDIR(st.st_mode)) {
        fclose(f);
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: is a directory", path);
    }
    /* Memory stays bounded by the limit: a regular file over it is refused
     * before a byte is read, one within it is read into a buffer of its
     * size; anything else (a pipe, a device, a file still growing) is read
     * in chunks into a buffer that never grows past limit + 2 bytes, and
     * refused as soon as it holds more than `limit`. */
    size_t hard = limit && limit < SIZE_MAX - 2 ? limit + 2 : 0; /* 0: none */
    size_t cap = 65536;
    if (have_st && S_ISREG(st.st_mode) && st.st_size >= 0) {
        if (limit && (uintmax_t)st.st_size > limit) {
            fclose(f);
            return cnrs_error_set(err, CNRS_ERR_LIMIT,
                                  "%s: %ju bytes, larger than the %zu-byte input limit", path,
                                  (uintmax_t)st.st_size, limit);
        }
        if ((uintmax_t)st.st_size < SIZE_MAX - 2)
            cap = (size_t)st.st_size + 2; /* the data, one byte to see EOF, the NUL */
    }
    if (hard && cap > hard)
        cap = hard;
    char *buf = cnrs_xmalloc(cap);
    size_t n = 0;
    for (;;) {
        if (cap - n < 2) {
            if (cap > SIZE_MAX / 2)
                S_oom(SIZE_MAX);
            size_t want = cap * 2;
            if (hard && want > hard)
                want = hard;
            buf = cnrs_xrealloc(buf, want);
            cap = want;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        if (got == 0)
            break;
        n += got;
        if (limit && n > limit) {
            free(buf);
            fclose(f);
            return cnrs_error_set(err, CNRS_ERR_LIMIT, "%s: larger than the %zu-byte input limit",
                                  path, limit);
        }
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        fclose(f);
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: read error: %s", path, strerror(e));
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    *out = buf;
    return CNRS_OK;
}

void cnrs_buf_put_printable(cnrs_buf *b, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        uint32_t cp;
        int k = u[i] < 0x80 ? 1 : cnrs_utf8_decode(u + i, n - i, &cp);
        if (u[i] < 0x80)
            cp = u[i];
        if (k == 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
            cnrs_buf_putc(b, '?');
            i += k ? (size_t)k : 1;
            continue;
        }
        cnrs_buf_append(b, u + i, (size_t)k);
        i += (size_t)k;
    }
}
