/* pdfxml.c - pdftohtml's XML through libxml2's streaming reader into the layout repair. */
#include "pdfxml.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/xmlreader.h>

#include "layout.h"

/* ---- input: the caller's source, repaired on the way in ------------------- */

/* Longest name or reference the repair looks ahead for ("&name;", "<name "):
 * longer ones are left for libxml2 to judge. */
enum { S_LOOK = 64, S_RAW = 16384 };

typedef struct S_in {
    const cnrs_pdfxml_source *src;
    cnrs_status st; /* set when the source failed */
    char msg[512];
    char raw[S_RAW]; /* bytes read from the source, not yet repaired */
    size_t pos, len;
    int eof;
    char done[S_RAW]; /* repaired bytes, not yet passed on */
    size_t dpos, dlen;
} S_in;

static int S_name_byte(unsigned c)
{
    return (c | 0x20) - 'a' < 26u || c - '0' < 10u || c == '_' || c == ':' || c == '-' ||
           c == '.' || c >= 0x80;
}

/* Whether the '&' at s[0] opens a reference ("&amp;", "&#38;", "&#x26;",
 * "&lol9;"); n bytes are visible, all of the text when eof. -1: undecided,
 * more bytes needed. */
static int S_is_ref(const unsigned char *s, size_t n, int eof)
{
    size_t i = 1;
    int hex = 0;
    if (i < n && s[i] == '#') {
        i++;
        if (i < n && s[i] == 'x')
            hex = 1, i++;
    }
    size_t body = i;
    for (; i < n && i < S_LOOK; i++) {
        unsigned c = s[i];
        if (c == ';')
            return i > body;
        if (hex ? !((c | 0x20) - 'a' < 6u || c - '0' < 10u)
                : body > 1 ? c - '0' >= 10u : !S_name_byte(c))
            return 0;
    }
    return i >= S_LOOK ? 1 : eof ? 0 : -1;
}

/* Whether the '<' at s[0] opens markup: "<!", "<?", or "<name" or "</name"
 * followed by a blank, '>' or '/'. pdftohtml leaves '<' in text unescaped
 * ("CO2 < 5%"). -1: undecided. */
static int S_is_markup(const unsigned char *s, size_t n, int eof)
{
    size_t i = 1;
    if (i < n && (s[i] == '!' || s[i] == '?'))
        return 1;
    if (i < n && s[i] == '/')
        i++;
    size_t name = i;
    if (i < n && (S_name_byte(s[i]) && (unsigned)s[i] - '0' >= 10u && s[i] != '-' && s[i] != '.'))
        for (i++; i < n && i < S_LOOK && S_name_byte(s[i]); i++)
            ;
    else if (i < n)
        return 0;
    if (i >= S_LOOK)
        return 1;
    if (i >= n)
        return eof ? 0 : -1;
    unsigned c = s[i];
    return i > name && (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/');
}

/* Up to cap (>= 6) bytes of the source with the repairs pdftohtml's output
 * needs to be well-formed, into buf; 0 at the end, -1 on failure. C0 controls other than tab, LF, CR become
 * spaces (XML 1.0 forbids them; pdftohtml copies them from fonts without a
 * proper Unicode map); an '&' that opens no reference becomes "&amp;"
 * (font names such as family="WIIHXU+J&JCircular-Medium" and text) and a
 * '<' that opens no markup "&lt;". */
static int S_repair(S_in *in, char *buf, size_t want)
{
    if (in->st != CNRS_OK)
        return -1;
    /* Every step below needs room for one repair ("&amp;") after what it
     * copies. */
    size_t out = 0;
    while (want - out >= 6) {
        if (in->len - in->pos < S_LOOK && !in->eof) {
            memmove(in->raw, in->raw + in->pos, in->len - in->pos);
            in->len -= in->pos;
            in->pos = 0;
            int n = in->src->read(in->src->ctx, in->raw + in->len, (int)(S_RAW - in->len), &in->st,
                                  in->msg, sizeof in->msg);
            if (n < 0) {
                if (in->st == CNRS_OK)
                    in->st = CNRS_ERR_IO;
                return -1;
            }
            if (n == 0)
                in->eof = 1;
            in->len += (size_t)n;
        }
        if (in->pos == in->len)
            break;
        /* Copy up to the next byte that may need repair, eight at a time
         * while none is below 0x20, '&' or '<' (most are not). */
        const unsigned char *u = (const unsigned char *)in->raw + in->pos;
        size_t avail = in->len - in->pos, room = want - out - 5, i = 0;
        if (room > avail)
            room = avail;
        while (i < room) {
            while (i + 8 <= room) {
                uint64_t x, k = 0x0101010101010101ULL, h = 0x8080808080808080ULL;
                memcpy(&x, u + i, 8);
                uint64_t amp = x ^ (k * '&'), lt = x ^ (k * '<');
                if (((x - k * 0x20) & ~x & h) | ((amp - k) & ~amp & h) | ((lt - k) & ~lt & h))
                    break;
                i += 8;
            }
            if (i >= room)
                break;
            unsigned char ch = u[i];
            if (ch < 0x20 || ch == '&' || ch == '<')
                break;
            i++;
        }
        memcpy(buf + out, u, i);
        out += i;
        in->pos += i;
        if (i < room) {
            unsigned char ch = u[i];
            int keep = 1;
            const char *rep = NULL;
            if (ch == '&' || ch == '<') {
                int ok = (ch == '&' ? S_is_ref : S_is_markup)(u + i, avail - i, in->eof);
                if (ok < 0) /* fewer than S_LOOK bytes left before a refill */
                    continue; /* refill first */
                keep = ok;
                rep = ch == '&' ? "&amp;" : "&lt;";
            } else if (ch != '\t' && ch != '\n' && ch != '\r') {
                keep = 0;
                rep = " ";
            }
            if (keep) {
                buf[out++] = (char)ch;
            } else {
                size_t k = strlen(rep);
                memcpy(buf + out, rep, k);
                out += k;
            }
            in->pos++;
        }
    }
    return (int)out;
}

/* libxml2's read callback: S_repair's bytes, as many as it asks for (its
 * first call asks for 4). */
static int S_read(void *ctx, char *buf, int cap)
{
    S_in *in = ctx;
    if (in->st != CNRS_OK || cap < 0)
        return -1;
    if (in->dpos == in->dlen) {
        int n = S_repair(in, in->done, sizeof in->done);
        if (n <= 0)
            return n;
        in->dpos = 0;
        in->dlen = (size_t)n;
    }
    size_t k = in->dlen - in->dpos < (size_t)cap ? in->dlen - in->dpos : (size_t)cap;
    memcpy(buf, in->done + in->dpos, k);
    in->dpos += k;
    return (int)k;
}

static int S_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* ---- errors ---------------------------------------------------------------- */

typedef struct S_err {
    int have;
    int line;
    char msg[256];
} S_err;

static void S_on_error(void *arg, const char *msg, xmlParserSeverities sev,
                       xmlTextReaderLocatorPtr loc)
{
    S_err *e = arg;
    if (e->have || (sev != XML_PARSER_SEVERITY_ERROR && sev != XML_PARSER_SEVERITY_VALIDITY_ERROR))
        return;
    e->have = 1;
    e->line = loc ? xmlTextReaderLocatorLineNumber(loc) : 0;
    snprintf(e->msg, sizeof e->msg, "%s", msg ? msg : "error");
    e->msg[strcspn(e->msg, "\r\n")] = '\0';
}

/* ---- numbers --------------------------------------------------------------- */

/* Locale-independent decimal: [-]digits[.digits]; NaN when malformed. */
static double S_num(const xmlChar *v)
{
    const char *s = (const char *)v;
    if (!s)
        return NAN;
    while (*s == ' ')
        s++;
    int neg = 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    double x = 0, scale = 1;
    int digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++)
        x = x * 10 + (*s - '0');
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, digits++)
            x += (*s - '0') * (scale /= 10);
    while (*s == ' ')
        s++;
    if (!digits || *s)
        return NAN;
    return neg ? -x : x;
}

/* ---- reader ---------------------------------------------------------------- */

typedef struct S_font {
    double size;
    int bold;
    int defined;
} S_font;

enum { S_MAX_FONT_ID = 1 << 20 }; /* pdftohtml numbers fonts 0, 1, 2 ... */

/* Element and attribute names, interned in the reader's dictionary once so
 * the hot loop compares pointers. */
enum {
    N_PDF2XML,
    N_PAGE,
    N_FONTSPEC,
    N_TEXT,
    N_B,
    N_ID,
    N_SIZE,
    N_FAMILY,
    N_NUMBER,
    N_WIDTH,
    N_HEIGHT,
    N_TOP,
    N_LEFT,
    N_FONT,
    N_COUNT
};
static const char *const S_names[N_COUNT] = {"pdf2xml", "page", "fontspec", "text",   "b",
                                             "id",      "size", "family",   "number", "width",
                                             "height",  "top",  "left",     "font"};

typedef struct S_ctx {
    xmlTextReaderPtr r;
    const xmlChar *n[N_COUNT];
    cnrs_layout *L;
    cnrs_pdfxml_info info;
    S_font *fonts; /* indexed by id */
    size_t nfonts, fonts_cap;
    cnrs_buf piece;
    const cnrs_pdfxml_source *src;
    int open_page; /* a page was started: its end is still to be announced */
    int page_num;
    double page_w, page_h;
} S_ctx;

/* The source's page_end for the open page, if any. */
static void S_page_end(S_ctx *c)
{
    if (c->open_page && c->src->page_end)
        c->src->page_end(c->src->page_ctx, c->page_num, c->page_w, c->page_h, c->L);
    c->open_page = 0;
}

static const S_font *S_font_find(const S_ctx *c, int id)
{
    if (id < 0 || (size_t)id >= c->nfonts || !c->fonts[id].defined)
        return NULL;
    return &c->fonts[id];
}

static int S_has_ci(const char *s, const char *lit)
{
    size_t n = strlen(lit);
    for (; *s; s++) {
        size_t k = 0;
        while (k < n && s[k] && (s[k] | 0x20) == lit[k])
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

static void S_fontspec(S_ctx *c)
{
    S_font f = {0, 0, 1};
    int id = -1;
    while (xmlTextReaderMoveToNextAttribute(c->r) == 1) {
        const xmlChar *n = xmlTextReaderConstName(c->r), *v = xmlTextReaderConstValue(c->r);
        if (n == c->n[N_ID]) {
            double d = S_num(v);
            if (d == d && d >= 0 && d < S_MAX_FONT_ID)
                id = (int)d;
        } else if (n == c->n[N_SIZE]) {
            f.size = S_num(v);
        } else if (n == c->n[N_FAMILY] && v) {
            f.bold = S_has_ci((const char *)v, "bold") || S_has_ci((const char *)v, "heavy") ||
                     S_has_ci((const char *)v, "black");
        }
    }
    xmlTextReaderMoveToElement(c->r);
    if (id < 0)
        return;
    if ((size_t)id >= c->nfonts) {
        c->fonts = cnrs_xgrow(c->fonts, &c->fonts_cap, (size_t)id + 1, sizeof *c->fonts);
        memset(c->fonts + c->nfonts, 0, ((size_t)id + 1 - c->nfonts) * sizeof *c->fonts);
        c->nfonts = (size_t)id + 1;
    }
    c->fonts[id] = f;
}

static void S_page(S_ctx *c)
{
    double number = NAN, w = 0, h = 0;
    while (xmlTextReaderMoveToNextAttribute(c->r) == 1) {
        const xmlChar *n = xmlTextReaderConstName(c->r), *v = xmlTextReaderConstValue(c->r);
        if (n == c->n[N_NUMBER])
            number = S_num(v);
        else if (n == c->n[N_WIDTH])
            w = S_num(v);
        else if (n == c->n[N_HEIGHT])
            h = S_num(v);
    }
    xmlTextReaderMoveToElement(c->r);
    c->info.pages++;
    int num = number == number && number >= 1 && number < 1e7 ? (int)number : 0;
    S_page_end(c);
    cnrs_layout_page(c->L, num, w == w ? w : 0, h == h ? h : 0);
    c->open_page = 1;
    c->page_num = num ? num : c->info.pages;
    c->page_w = w == w ? w : 0;
    c->page_h = h == h ? h : 0;
}

/* A <text> element: attributes, then all text below it. Returns the
 * reader's last status. */
static int S_text(S_ctx *c)
{
    double top = NAN, left = NAN, width = 0, height = 0;
    int font = -1;
    while (xmlTextReaderMoveToNextAttribute(c->r) == 1) {
        const xmlChar *n = xmlTextReaderConstName(c->r), *v = xmlTextReaderConstValue(c->r);
        if (n == c->n[N_TOP])
            top = S_num(v);
        else if (n == c->n[N_LEFT])
            left = S_num(v);
        else if (n == c->n[N_WIDTH])
            width = S_num(v);
        else if (n == c->n[N_HEIGHT])
            height = S_num(v);
        else if (n == c->n[N_FONT]) {
            double d = S_num(v);
            font = d == d && d >= 0 && d < S_MAX_FONT_ID ? (int)d : -1;
        }
    }
    xmlTextReaderMoveToElement(c->r);
    cnrs_buf_reset(&c->piece);
    size_t bold_bytes = 0;
    int bdepth = 0, ret = 1;
    if (!xmlTextReaderIsEmptyElement(c->r)) {
        int depth = xmlTextReaderDepth(c->r);
        while ((ret = xmlTextReaderRead(c->r)) == 1) {
            int t = xmlTextReaderNodeType(c->r);
            if (t == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(c->r) == depth)
                break;
            if (t == XML_READER_TYPE_ELEMENT && xmlTextReaderConstLocalName(c->r) == c->n[N_B] &&
                !xmlTextReaderIsEmptyElement(c->r))
                bdepth++;
            else if (t == XML_READER_TYPE_END_ELEMENT &&
                     xmlTextReaderConstLocalName(c->r) == c->n[N_B] && bdepth > 0)
                bdepth--;
            else if (t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
                     t == XML_READER_TYPE_WHITESPACE ||
                     t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
                const xmlChar *v = xmlTextReaderConstValue(c->r);
                if (v) {
                    size_t n = strlen((const char *)v);
                    cnrs_buf_append(&c->piece, v, n);
                    if (bdepth)
                        bold_bytes += n;
                }
            }
        }
    }
    const S_font *f = font >= 0 ? S_font_find(c, font) : NULL;
    int bold = (f && f->bold) || (c->piece.len && bold_bytes * 2 > c->piece.len);
    if (c->piece.len)
        cnrs_layout_piece(c->L, left, top, width, height, f ? f->size : 0, bold, c->piece.data,
                          c->piece.len);
    return ret;
}

static cnrs_status S_run(const char *name, S_ctx *c, S_in *in, S_err *e, cnrs_error *err)
{
    int ret, depth0 = -1, saw_root = 0;
    while ((ret = xmlTextReaderRead(c->r)) == 1) {
        int t = xmlTextReaderNodeType(c->r);
        if (t != XML_READER_TYPE_ELEMENT)
            continue;
        const xmlChar *n = xmlTextReaderConstLocalName(c->r);
        int d = xmlTextReaderDepth(c->r);
        if (!saw_root) {
            saw_root = 1;
            depth0 = d;
            if (n != c->n[N_PDF2XML])
                return cnrs_error_set(err, CNRS_ERR_FORMAT,
                                      "%s: not pdftohtml XML output (root element <%s>, expected "
                                      "<pdf2xml>)",
                                      name, n ? (const char *)n : "?");
            c->info.root_ok = 1;
            continue;
        }
        if (n == c->n[N_PAGE] && d == depth0 + 1) {
            S_page(c);
        } else if (n == c->n[N_FONTSPEC]) {
            S_fontspec(c);
        } else if (n == c->n[N_TEXT] && d == depth0 + 2) {
            if (S_text(c) != 1) {
                ret = -1;
                break;
            }
        }
        /* <outline> (bookmarks), <image> and the rest hold no page text. */
    }
    if (in->st != CNRS_OK)
        return cnrs_error_set(err, in->st, "%s", in->msg[0] ? in->msg : "read error");
    if (ret != 0 || e->have) {
        if (e->have)
            return cnrs_error_set(err, CNRS_ERR_PARSE, "%s: malformed XML at line %d: %s", name,
                                  e->line, e->msg);
        return cnrs_error_set(err, CNRS_ERR_PARSE, "%s: malformed XML", name);
    }
    if (!saw_root)
        return cnrs_error_set(err, CNRS_ERR_EMPTY, "%s: no XML content", name);
    return CNRS_OK;
}

cnrs_status cnrs_pdfxml_read(const char *name, const cnrs_pdfxml_source *src, cnrs_doc *doc,
                             cnrs_pdfxml_info *info, cnrs_error *err)
{
    if (!name)
        name = "-";
    S_in *in = cnrs_xcalloc(1, sizeof *in);
    in->src = src;
    S_err e = {0, 0, {0}};
    S_ctx c;
    memset(&c, 0, sizeof c);
    /* No entity substitution, no DTD loading or default attributes, no
     * network: the DOCTYPE pdftohtml writes is never fetched. */
    c.r = xmlReaderForIO(S_read, S_close, in, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (!c.r) {
        cnrs_status st = in->st != CNRS_OK
                             ? cnrs_error_set(err, in->st, "%s", in->msg[0] ? in->msg : "read error")
                             : cnrs_error_set(err, CNRS_ERR_PARSE,
                                              "%s: cannot start the XML reader", name);
        free(in);
        return st;
    }
    xmlTextReaderSetErrorHandler(c.r, S_on_error, &e);
    for (int k = 0; k < N_COUNT; k++)
        c.n[k] = xmlTextReaderConstString(c.r, (const xmlChar *)S_names[k]);
    c.L = cnrs_layout_new();
    c.src = src;
    cnrs_status st = S_run(name, &c, in, &e, err);
    if (st == CNRS_OK)
        S_page_end(&c);
    xmlFreeTextReader(c.r);
    free(in);
    size_t pieces = cnrs_layout_finish(c.L, doc);
    c.info.pieces = pieces;
    cnrs_layout_free(c.L);
    free(c.fonts);
    cnrs_buf_free(&c.piece);
    if (info)
        *info = c.info;
    if (st != CNRS_OK)
        return st;
    if (c.info.pages == 0)
        return cnrs_error_set(err, CNRS_ERR_EMPTY, "%s: no pages", name);
    if (pieces == 0)
        return cnrs_error_set(err, CNRS_ERR_NOTEXT,
                              "%s: no text layer, OCR needed (%d page%s of "
                              "images only)",
                              name, c.info.pages, c.info.pages == 1 ? "" : "s");
    return CNRS_OK;
}

/* ---- memory and file sources ---------------------------------------------------- */

typedef struct S_mem {
    const char *p;
    size_t left;
} S_mem;

static int S_mem_read(void *ctx, char *buf, int len, cnrs_status *st, char *msg, size_t cap)
{
    (void)st;
    (void)msg;
    (void)cap;
    S_mem *m = ctx;
    size_t n = m->left < (size_t)len ? m->left : (size_t)len;
    memcpy(buf, m->p, n);
    m->p += n;
    m->left -= n;
    return (int)n;
}

cnrs_status cnrs_pdfxml_read_memory(const char *name, const char *data, size_t len, cnrs_doc *doc,
                                    cnrs_pdfxml_info *info, cnrs_error *err)
{
    S_mem m = {data, len};
    cnrs_pdfxml_source src = {S_mem_read, &m, NULL, NULL};
    return cnrs_pdfxml_read(name, &src, doc, info, err);
}

typedef struct S_file {
    FILE *f;
    const char *path;
} S_file;

static int S_file_read(void *ctx, char *buf, int len, cnrs_status *st, char *msg, size_t cap)
{
    S_file *fi = ctx;
    size_t n = fread(buf, 1, (size_t)len, fi->f);
    if (n == 0 && ferror(fi->f)) {
        *st = CNRS_ERR_IO;
        snprintf(msg, cap, "%s: read error: %s", fi->path, strerror(errno));
        return -1;
    }
    return (int)n;
}

cnrs_status cnrs_pdfxml_read_file(const char *path, size_t max_bytes, cnrs_doc *doc,
                                  cnrs_pdfxml_info *info, cnrs_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0) {
        int e = errno;
        fclose(f);
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: %s", path, strerror(e));
    }
    if (S_ISDIR(sb.st_mode)) {
        fclose(f);
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: is a directory", path);
    }
    if (max_bytes && (size_t)sb.st_size > max_bytes) {
        fclose(f);
        return cnrs_error_set(err, CNRS_ERR_LIMIT, "%s: file larger than %zu bytes", path,
                              max_bytes);
    }
    if (sb.st_size == 0) {
        fclose(f);
        return cnrs_error_set(err, CNRS_ERR_EMPTY, "%s: empty file", path);
    }
    S_file fi = {f, path};
    cnrs_pdfxml_source src = {S_file_read, &fi, NULL, NULL};
    cnrs_status st = cnrs_pdfxml_read(path, &src, doc, info, err);
    fclose(f);
    return st;
}
