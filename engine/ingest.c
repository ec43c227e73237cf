/* ingest.c - report files (text, HTML) into the raw blocks of a cnrs_doc. */
#include "ingest.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "decode.h"
#include "pdf.h"
#include "pdfxml.h"

#define S_DEFAULT_MAX_BYTES ((size_t)256 << 20)

/* ---- shared helpers ------------------------------------------------------ */

/* 1 if s[0..n) holds only white space: ASCII blanks, NBSP, U+3000, BOM,
 * zero-width space. */
static int S_is_blank(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        if (c == ' ' || c == '\t' || c == '\v' || c == '\r' || c == '\n' || c == '\f') {
            i++;
        } else if (c == 0xC2 && i + 1 < n && u[i + 1] == 0xA0) {
            i += 2;
        } else if (c == 0xE3 && i + 2 < n && u[i + 1] == 0x80 && u[i + 2] == 0x80) {
            i += 3;
        } else if (c == 0xEF && i + 2 < n && u[i + 1] == 0xBB && u[i + 2] == 0xBF) {
            i += 3;
        } else if (c == 0xE2 && i + 2 < n && u[i + 1] == 0x80 && u[i + 2] == 0x8B) {
            i += 3;
        } else {
            return 0;
        }
    }
    return 1;
}

/* 1 if the document got at least one block with visible text. */
static int S_has_text(const cnrs_doc *doc)
{
    for (size_t i = 0; i < doc->n_raw; i++) {
        const cnrs_raw_block *b = &doc->raw_blocks[i];
        if (b->kind != CNRS_BLOCK_BREAK && !S_is_blank(doc->raw + b->off, b->len))
            return 1;
    }
    return 0;
}

static void S_add_break(cnrs_doc *doc)
{
    /* Consecutive breaks say nothing more than one, and a break takes the
     * page of the text before it: blank lines after the last form feed must
     * not count as a page. */
    if (doc->n_raw == 0 || doc->raw_blocks[doc->n_raw - 1].kind == CNRS_BLOCK_BREAK)
        return;
    cnrs_doc_add_raw(doc, doc->raw_blocks[doc->n_raw - 1].page, CNRS_BLOCK_BREAK, "", 0);
}

/* ---- format -------------------------------------------------------------- */

cnrs_format cnrs_format_from_path(const char *path)
{
    if (!path)
        return CNRS_FMT_UNKNOWN;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return CNRS_FMT_UNKNOWN;
    const char *ext = dot + 1;
    if (!strcasecmp(ext, "txt") || !strcasecmp(ext, "text"))
        return CNRS_FMT_TEXT;
    if (!strcasecmp(ext, "html") || !strcasecmp(ext, "htm") || !strcasecmp(ext, "xhtml"))
        return CNRS_FMT_HTML;
    if (!strcasecmp(ext, "pdf"))
        return CNRS_FMT_PDF;
    if (!strcasecmp(ext, "xml"))
        return CNRS_FMT_PDFXML;
    return CNRS_FMT_UNKNOWN;
}

/* ---- text ---------------------------------------------------------------- */

/* A line of an adopted text buffer: a BODY block, or a break when blank
 * (consecutive breaks say no more than one; a break takes the page of the
 * text before it, as S_add_break). */
static void S_text_line(cnrs_doc *doc, int page, size_t off, size_t n)
{
    if (!S_is_blank(doc->raw + off, n))
        cnrs_doc_add_raw_at(doc, page, CNRS_BLOCK_BODY, off, n);
    else if (doc->n_raw && doc->raw_blocks[doc->n_raw - 1].kind != CNRS_BLOCK_BREAK)
        cnrs_doc_add_raw_at(doc, doc->raw_blocks[doc->n_raw - 1].page, CNRS_BLOCK_BREAK, off, 0);
}

static cnrs_status S_read_text(cnrs_doc *doc, const char *data, size_t len, cnrs_error *err)
{
    char *text;
    size_t n;
    const char *enc = "utf-8";
    cnrs_status st = cnrs_decode_text(doc->path, data, len, &text, &n, &enc, err);
    if (st != CNRS_OK)
        return st;
    doc->encoding = enc;
    /* The decoded text is the raw text: blocks point into it, nothing is
     * copied again. */
    cnrs_doc_adopt_raw(doc, text, n);
    int page = 1;
    const char *p = text, *end = text + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        /* A form feed (pdftotext puts one between pages) may sit anywhere in
         * the line; text on each side belongs to a different page. */
        const char *ff;
        while ((ff = memchr(p, '\f', (size_t)(eol - p))) != NULL) {
            if (!S_is_blank(p, (size_t)(ff - p)))
                cnrs_doc_add_raw_at(doc, page, CNRS_BLOCK_BODY, (size_t)(p - text),
                                    (size_t)(ff - p));
            page++;
            doc->paged = 1;
            p = ff + 1;
        }
        S_text_line(doc, page, (size_t)(p - text), (size_t)(eol - p));
        p = nl ? nl + 1 : end;
    }
    return CNRS_OK;
}

/* ---- HTML ---------------------------------------------------------------- */

typedef struct S_html {
    cnrs_doc *doc;
    cnrs_buf cur;           /* text of the block being built */
    const xmlNode *heading; /* the h1-h6 we are inside, if any */
    const xmlNode *row;     /* the <tr> we are inside, if any */
    cnrs_buf cell;          /* text of the current cell */
    cnrs_buf rowbuf;        /* finished cells joined by " | " */
    int pre;                /* depth of <pre> elements */
} S_html;

static int S_name_is(const xmlNode *n, const char *name)
{
    return n->name && !strcmp((const char *)n->name, name);
}

static int S_is_skipped(const xmlNode *n)
{
    static const char *const skip[] = {"script",   "style",    "nav",    "head",
                                       "noscript", "template", "iframe", "object"};
    for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
        if (S_name_is(n, skip[i]))
            return 1;
    return 0;
}

static int S_is_heading(const xmlNode *n)
{
    const char *s = (const char *)n->name;
    return s && s[0] == 'h' && s[1] >= '1' && s[1] <= '6' && s[2] == '\0';
}

/* Elements that end the text before them and start a new block. */
static int S_is_block(const xmlNode *n)
{
    static const char *const blocks[] = {
        "p",      "div",        "li",      "ul",         "ol",      "dl",      "dt",
        "dd",     "blockquote", "pre",     "section",    "article", "header",  "footer",
        "aside",  "main",       "figure",  "figcaption", "table",   "caption", "tbody",
        "thead",  "tfoot",      "form",    "fieldset",   "address", "hr",      "body",
        "html",   "center",     "details", "summary",    "td",      "th",      "tr",
        "legend", "menu",       "hgroup",  "option",     "select",  "textarea"};
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (S_name_is(n, blocks[i]))
            return 1;
    return S_is_heading(n);
}

/* Append text with HTML white-space collapsing (runs of blanks -> one space,
 * none at the start). */
static void S_append_collapsed(cnrs_buf *b, const char *s)
{
    for (; *s; s++) {
        char c = *s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            if (b->len && b->data[b->len - 1] != ' ')
                cnrs_buf_putc(b, ' ');
        } else {
            cnrs_buf_putc(b, c);
        }
    }
}

static void S_trim_end(cnrs_buf *b)
{
    while (b->len && b->data[b->len - 1] == ' ')
        b->len--;
    if (b->data)
        b->data[b->len] = '\0';
}

/* Emit the current text as a block; with `brk`, then a paragraph break. */
static void S_flush(S_html *h, int brk)
{
    S_trim_end(&h->cur);
    if (h->cur.len && !S_is_blank(h->cur.data, h->cur.len)) {
        if (h->heading) /* h1..h6: level 1..6 */
            cnrs_doc_add_heading(h->doc, 1, h->heading->name[1] - '0', h->cur.data, h->cur.len);
        else
            cnrs_doc_add_raw(h->doc, 1, CNRS_BLOCK_BODY, h->cur.data, h->cur.len);
    }
    cnrs_buf_reset(&h->cur);
    if (brk)
        S_add_break(h->doc);
}

static void S_end_cell(S_html *h)
{
    S_trim_end(&h->cell);
    if (h->cell.len && !S_is_blank(h->cell.data, h->cell.len)) {
        if (h->rowbuf.len)
            cnrs_buf_puts(&h->rowbuf, " | ");
        cnrs_buf_append(&h->rowbuf, h->cell.data, h->cell.len);
    }
    cnrs_buf_reset(&h->cell);
}

static void S_text(S_html *h, const char *s)
{
    if (h->row) {
        S_append_collapsed(&h->cell, s);
        return;
    }
    if (!h->pre) {
        S_append_collapsed(&h->cur, s);
        return;
    }
    /* Inside <pre> a newline ends a line and a blank line a paragraph. */
    for (; *s; s++) {
        if (*s == '\n') {
            if (h->cur.len == 0)
                S_add_break(h->doc);
            S_flush(h, 0);
        } else if (*s != '\r') {
            cnrs_buf_putc(&h->cur, *s);
        }
    }
}

/* Called on entering a node; returns 1 to visit its children. */
static int S_enter(S_html *h, const xmlNode *n)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content)
            S_text(h, (const char *)n->content);
        return 0;
    }
    if (n->type != XML_ELEMENT_NODE)
        return 0;
    if (S_is_skipped(n))
        return 0;
    if (h->row) {
        /* Inside a row, structure only separates words within a cell. */
        if (S_name_is(n, "td") || S_name_is(n, "th")) {
            if (n->parent == h->row)
                S_end_cell(h);
        } else if (S_is_block(n) || S_name_is(n, "br")) {
            S_append_collapsed(&h->cell, " ");
        }
        return 1;
    }
    if (S_name_is(n, "tr")) {
        S_flush(h, 1);
        h->row = n;
        cnrs_buf_reset(&h->rowbuf);
        cnrs_buf_reset(&h->cell);
    } else if (S_is_heading(n)) {
        S_flush(h, 1);
        if (!h->heading)
            h->heading = n;
    } else if (S_name_is(n, "br")) {
        S_flush(h, 0);
    } else if (S_is_block(n)) {
        S_flush(h, 1);
        if (S_name_is(n, "pre"))
            h->pre++;
    }
    return 1;
}

static void S_leave(S_html *h, const xmlNode *n)
{
    if (n->type != XML_ELEMENT_NODE || S_is_skipped(n))
        return;
    if (h->row) {
        if (n == h->row) {
            S_end_cell(h);
            if (h->rowbuf.len)
                cnrs_doc_add_raw(h->doc, 1, CNRS_BLOCK_TABLE_ROW, h->rowbuf.data, h->rowbuf.len);
            cnrs_buf_reset(&h->rowbuf);
            h->row = NULL;
        } else if ((S_name_is(n, "td") || S_name_is(n, "th")) && n->parent == h->row) {
            S_end_cell(h);
        } else if (S_is_block(n)) {
            S_append_collapsed(&h->cell, " ");
        }
        return;
    }
    if (n == h->heading) {
        S_flush(h, 1);
        h->heading = NULL;
    } else if (S_is_block(n)) {
        S_flush(h, 1);
        if (S_name_is(n, "pre") && h->pre > 0)
            h->pre--;
    }
}

/* Walk the tree without recursion (parent/next links), so nesting depth
 * cannot exhaust the stack. */
static void S_walk(S_html *h, const xmlDoc *xdoc)
{
    const xmlNode *n = xdoc->children;
    while (n) {
        if (S_enter(h, n) && n->children) {
            n = n->children;
            continue;
        }
        S_leave(h, n);
        while (!n->next) {
            n = n->parent;
            if (!n || n == (const xmlNode *)xdoc) {
                n = NULL;
                break;
            }
            S_leave(h, n);
        }
        if (n)
            n = n->next;
    }
    S_flush(h, 0);
}

/* 1 if the first bytes declare a character set (meta charset, http-equiv
 * content type, XML declaration), which libxml2 then honours. */
static int S_declares_charset(const char *data, size_t len)
{
    size_t n = len < 4096 ? len : 4096;
    static const char *const keys[] = {"charset", "encoding="};
    for (size_t k = 0; k < 2; k++) {
        size_t kl = strlen(keys[k]);
        for (size_t i = 0; i + kl <= n; i++)
            if (!strncasecmp(data + i, keys[k], kl))
                return 1;
    }
    return 0;
}

static void S_silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Bytes that are not UTF-8 become U+FFFD, one each; everything else is
 * kept. For HTML in no encoding we can name: libxml2 then gets valid UTF-8
 * (and is told so), so the raw blocks are UTF-8 as doc.h promises. A fresh
 * NUL-terminated buffer; *out_len is its length. */
static char *S_html_lossy_utf8(const char *data, size_t len, size_t *out_len)
{
    const unsigned char *u = (const unsigned char *)data;
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_reserve(&b, len + 16);
    size_t i = 0;
    while (i < len) {
        size_t ok = cnrs_utf8_valid_prefix(u + i, len - i);
        cnrs_buf_append(&b, u + i, ok);
        i += ok;
        if (i < len) {
            cnrs_buf_put_cp(&b, 0xFFFD);
            i++;
        }
    }
    cnrs_buf_cstr(&b);
    *out_len = b.len;
    return cnrs_buf_steal(&b);
}

/* Parse src[0..srclen) with libxml2's HTML parser (in `enc`, or as the page
 * declares when NULL) and add its raw blocks to `doc`. */
static cnrs_status S_html_parse(cnrs_doc *doc, const char *src, size_t srclen, const char *enc,
                                cnrs_error *err)
{
    xmlGenericErrorFunc old_fn = xmlGenericError;
    void *old_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, S_silent);
    /* XML_PARSE_HUGE lifts libxml2's nesting limit (256), past which it
     * drops the rest of the document; the parser and S_walk are iterative,
     * so depth costs no stack. */
    int opts = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
               XML_PARSE_HUGE;
    if (enc)
        opts |= HTML_PARSE_IGNORE_ENC;
    htmlDocPtr x = htmlReadMemory(src, (int)srclen, doc->path, enc, opts);
    xmlSetGenericErrorFunc(old_ctx, old_fn);
    if (!x)
        return cnrs_error_set(err, CNRS_ERR_PARSE, "%s: cannot parse HTML", doc->path);

    S_html h = {doc, CNRS_BUF_INIT, NULL, NULL, CNRS_BUF_INIT, CNRS_BUF_INIT, 0};
    S_walk(&h, x);
    cnrs_buf_free(&h.cur);
    cnrs_buf_free(&h.cell);
    cnrs_buf_free(&h.rowbuf);
    xmlFreeDoc(x);
    return CNRS_OK;
}

static cnrs_status S_read_html(cnrs_doc *doc, const char *data, size_t len, cnrs_error *err)
{
    if (len > INT_MAX)
        return cnrs_error_set(err, CNRS_ERR_LIMIT, "%s: HTML larger than %d bytes", doc->path,
                              INT_MAX);
    /* Encoding: valid UTF-8 is UTF-8 whatever a stale meta tag says; a
     * declared charset is left to libxml2; otherwise decode.h's detection
     * (UTF-16 BOM, GB18030) converts first, and bytes it cannot place are
     * read as UTF-8 with each invalid byte as U+FFFD ("utf-8-lossy"), since
     * a page with a few stray bytes is still worth reading. UTF-16 that does
     * not decode (no BOM, or malformed) is refused as for text. */
    const char *enc = NULL;
    const char *src = data;
    size_t srclen = len;
    char *conv = NULL;
    const unsigned char *u = (const unsigned char *)data;
    int bom16 = len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
    if (cnrs_utf8_valid_prefix(u, len) == len) {
        enc = "UTF-8";
        doc->encoding =
            (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ? "utf-8-bom" : "utf-8";
    } else if (!S_declares_charset(data, len) || bom16) {
        size_t clen;
        const char *denc;
        cnrs_error derr = {0};
        if (cnrs_decode_text(doc->path, data, len, &conv, &clen, &denc, &derr) == CNRS_OK) {
            doc->encoding = denc;
        } else if (bom16 || strstr(derr.msg, "UTF-16")) {
            return cnrs_error_set(err, derr.code, "%s", derr.msg);
        } else {
            conv = S_html_lossy_utf8(data, len, &clen);
            doc->encoding = "utf-8-lossy";
        }
        src = conv;
        srclen = clen;
        enc = "UTF-8";
    } else {
        doc->encoding = "declared";
    }
    cnrs_status st = S_html_parse(doc, src, srclen, enc, err);
    free(conv);
    /* A declaration libxml2 could not apply (an unknown charset, "charset"
     * in the text, not a declaration) leaves the bytes undecoded: read the
     * page again the lossy way, so raw blocks are always UTF-8. */
    if (st == CNRS_OK && cnrs_utf8_valid_prefix((const unsigned char *)doc->raw, doc->raw_len) !=
                             doc->raw_len) {
        doc->raw_len = 0;
        doc->n_raw = 0;
        doc->npages = 0;
        conv = S_html_lossy_utf8(data, len, &srclen);
        doc->encoding = "utf-8-lossy";
        st = S_html_parse(doc, conv, srclen, "UTF-8", err);
        free(conv);
    }
    return st;
}

/* ---- public -------------------------------------------------------------- */

cnrs_status cnrs_ingest_memory(const char *name, cnrs_format fmt, const char *data, size_t len,
                               cnrs_doc **out, cnrs_error *err)
{
    *out = NULL;
    if (!name)
        name = "-";
    if (fmt != CNRS_FMT_TEXT && fmt != CNRS_FMT_HTML && fmt != CNRS_FMT_PDFXML)
        return cnrs_error_set(err, CNRS_ERR_FORMAT, "%s: unsupported format %s", name,
                              cnrs_format_name(fmt));
    if (len == 0)
        return cnrs_error_set(err, CNRS_ERR_EMPTY, "%s: empty file", name);
    cnrs_doc *doc = cnrs_doc_new(name, fmt);
    cnrs_status st = fmt == CNRS_FMT_TEXT ? S_read_text(doc, data, len, err)
                     : fmt == CNRS_FMT_HTML
                         ? S_read_html(doc, data, len, err)
                         : cnrs_pdfxml_read_memory(name, data, len, doc, NULL, err);
    if (st == CNRS_OK && !S_has_text(doc))
        st = cnrs_error_set(err, CNRS_ERR_EMPTY, "%s: no text", name);
    if (st != CNRS_OK) {
        cnrs_doc_free(doc);
        return st;
    }
    if (doc->npages < 1)
        doc->npages = 1;
    *out = doc;
    return CNRS_OK;
}

const char *cnrs_format_skip_reason(const char *path)
{
    cnrs_format f = cnrs_format_from_path(path);
    if (f == CNRS_FMT_UNKNOWN)
        return "not a report type (.txt, .html, .htm, .xhtml, .pdf)";
    if (f == CNRS_FMT_PDFXML)
        return ".xml is read only when named (pdftohtml output)";
    return NULL;
}

/* A web page saved under a .pdf name (public report collections hold such
 * files): no %PDF- in its first kilobyte, and an <html or <!DOCTYPE html tag
 * there. Read as HTML rather than refused as a corrupt PDF. */
static int S_html_named_pdf(const char *path)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return 0;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    int html = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 5 <= n && memcmp(buf + i, "%PDF-", 5) == 0)
            return 0;
        if (!html && buf[i] == '<' && i + 5 <= n) {
            char t[10] = {0};
            for (size_t k = 0; k < 9 && i + 1 + k < n; k++)
                t[k] = (char)(buf[i + 1 + k] | 0x20);
            html = memcmp(t, "html", 4) == 0 || memcmp(t, "!doctype", 8) == 0;
        }
    }
    return html;
}

cnrs_status cnrs_ingest_file(const char *path, const cnrs_ingest_opts *opts, cnrs_doc **out,
                             cnrs_error *err)
{
    *out = NULL;
    cnrs_format fmt = cnrs_format_from_path(path);
    if (fmt == CNRS_FMT_PDF && S_html_named_pdf(path))
        fmt = CNRS_FMT_HTML;
    if (fmt == CNRS_FMT_UNKNOWN)
        return cnrs_error_set(
            err, CNRS_ERR_FORMAT,
            "%s: unknown file type (expected .txt, .text, .html, .htm, .xhtml, .pdf, .xml)",
            path ? path : "-");
    size_t limit = opts && opts->max_bytes ? opts->max_bytes : S_DEFAULT_MAX_BYTES;
    if (fmt == CNRS_FMT_PDF || fmt == CNRS_FMT_PDFXML) {
        /* Streamed: pdftohtml's pipe or the XML file, never whole in memory. */
        cnrs_doc *doc = NULL;
        cnrs_status st;
        if (fmt == CNRS_FMT_PDF) {
            cnrs_pdf_opts po = {opts ? opts->pdf_timeout : 0, opts ? opts->pdf_max_output : 0,
                                opts ? opts->pdftohtml : NULL, NULL, NULL};
            long cores = sysconf(_SC_NPROCESSORS_ONLN);
            cnrs_ocr_opts oo = {0};
            oo.mode = opts ? opts->ocr : CNRS_OCR_AUTO;
            oo.jobs = opts && opts->ocr_jobs > 0 ? opts->ocr_jobs : cores > 0 ? (int)cores : 1;
            oo.timeout = po.timeout;
            oo.tesseract = opts ? opts->tesseract : NULL;
            oo.on_progress = opts ? opts->on_ocr_progress : NULL;
            oo.ctx = opts ? opts->ocr_ctx : NULL;
            st = cnrs_ocr_read_pdf(path, &po, &oo, &doc, err);
        } else {
            doc = cnrs_doc_new(path, fmt);
            /* Streamed like pdftohtml's pipe, so by default the same cap. */
            size_t xl = opts && opts->max_bytes        ? opts->max_bytes
                        : opts && opts->pdf_max_output ? opts->pdf_max_output
                                                       : CNRS_PDF_DEFAULT_MAX_OUTPUT;
            st = cnrs_pdfxml_read_file(path, xl, doc, NULL, err);
        }
        if (st == CNRS_OK && !S_has_text(doc))
            st = cnrs_error_set(err, CNRS_ERR_NOTEXT, "%s: no text layer, OCR needed", path);
        if (st != CNRS_OK) {
            cnrs_doc_free(doc);
            return st;
        }
        if (doc->npages < 1)
            doc->npages = 1;
        *out = doc;
        return CNRS_OK;
    }
    char *data;
    size_t len;
    cnrs_status st = cnrs_read_file(path, limit, &data, &len, err);
    if (st != CNRS_OK)
        return st;
    st = cnrs_ingest_memory(path, fmt, data, len, out, err);
    free(data);
    return st;
}

cnrs_status cnrs_ingest_stream(FILE *in, const char *name, cnrs_format fmt,
                               const cnrs_ingest_opts *opts, cnrs_doc **out, cnrs_error *err)
{
    *out = NULL;
    size_t limit = opts && opts->max_bytes ? opts->max_bytes : S_DEFAULT_MAX_BYTES;
    cnrs_buf b = CNRS_BUF_INIT;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, in)) > 0) {
        if (b.len + k > limit) {
            cnrs_buf_free(&b);
            return cnrs_error_set(err, CNRS_ERR_LIMIT, "%s: larger than the %zu-byte input limit",
                                  name, limit);
        }
        cnrs_buf_append(&b, chunk, k);
    }
    cnrs_status st = CNRS_OK;
    if (ferror(in))
        st = cnrs_error_set(err, CNRS_ERR_IO, "%s: cannot read: %s", name, strerror(errno));
    else if (fmt != CNRS_FMT_PDF)
        st = cnrs_ingest_memory(name, fmt, b.data ? b.data : "", b.len, out, err);
    else if (b.len == 0)
        st = cnrs_error_set(err, CNRS_ERR_EMPTY, "%s: empty file", name);
    else {
        /* pdftohtml reads a file: a private directory holding stdin.pdf. */
        const char *t = getenv("TMPDIR");
        cnrs_buf dir = CNRS_BUF_INIT;
        cnrs_buf_printf(&dir, "%s/cnrs-stdin-XXXXXX", t && *t ? t : "/tmp");
        char *file = NULL;
        if (!mkdtemp(dir.data)) {
            st = cnrs_error_set(err, CNRS_ERR_IO, "%s: cannot make a temporary directory in %s: %s",
                                name, t && *t ? t : "/tmp", strerror(errno));
        } else {
            cnrs_buf f = CNRS_BUF_INIT;
            cnrs_buf_printf(&f, "%s/stdin.pdf", dir.data);
            file = cnrs_buf_steal(&f);
            st = cnrs_write_file_atomic(file, b.data, b.len, err);
            if (st == CNRS_OK)
                st = cnrs_ingest_file(file, opts, out, err);
            if (st == CNRS_OK) {
                free((*out)->path);
                (*out)->path = cnrs_xstrdup(name);
            } else if (err && strncmp(err->msg, file, strlen(file)) == 0) {
                /* Name the input, not the temporary file. */
                char rest[sizeof err->msg];
                snprintf(rest, sizeof rest, "%s", err->msg + strlen(file));
                snprintf(err->msg, sizeof err->msg, "%s%s", name, rest);
            }
            unlink(file);
            rmdir(dir.data);
        }
        free(file);
        cnrs_buf_free(&dir);
    }
    cnrs_buf_free(&b);
    return st;
}
