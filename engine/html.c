/* html.c - escaping, safe file names and SVG primitives (see html.h). */
#include "html.h"

#include <string.h>

/* ---- escaping ------------------------------------------------------------------- */

void cnrs_html_escn(cnrs_buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0; /* u[run..i) is copied as it is */
    cnrs_buf_reserve(b, n + n / 8 + 16);
    while (i < n) {
        unsigned char c = u[i];
        const char *rep = NULL;
        size_t k = 1;
        if (c < 0x80) {
            switch (c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            default:
                /* XML 1.0 allows no C0 control but tab, LF and CR; DEL is
                 * allowed there but is a parse error in HTML. */
                if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
                    rep = "\xEF\xBF\xBD";
            }
        } else {
            uint32_t cp;
            int len = cnrs_utf8_decode(u + i, n - i, &cp);
            if (len == 0)
                rep = "\xEF\xBF\xBD"; /* one byte at a time, like the decoder */
            else {
                k = (size_t)len;
                if ((cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
                    rep = "\xEF\xBF\xBD";
            }
        }
        if (rep) {
            cnrs_buf_append(b, u + run, i - run);
            cnrs_buf_puts(b, rep);
            run = i + k;
        }
        i += k;
    }
    cnrs_buf_append(b, u + run, n - run);
}

void cnrs_html_esc(cnrs_buf *b, const char *s)
{
    if (s)
        cnrs_html_escn(b, s, strlen(s));
}

/* ---- file names ----------------------------------------------------------------- */

void cnrs_html_safe_name(cnrs_buf *b, const char *s, size_t max)
{
    if (max < 1)
        max = 1;
    if (!s || !*s) {
        cnrs_buf_putc(b, '_');
        return;
    }
    for (size_t i = 0; i < max && s[i]; i++) {
        char c = s[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        cnrs_buf_putc(b, ok ? c : '_');
    }
}

/* ---- SVG ------------------------------------------------------------------------ */

/* One decimal is finer than a pixel needs, and keeps pages small. */
static void S_num(cnrs_buf *b, double v)
{
    cnrs_buf_put_fixed(b, v, 1);
}

static void S_attr_num(cnrs_buf *b, const char *name, double v)
{
    cnrs_buf_printf(b, " %s=\"", name);
    S_num(b, v);
    cnrs_buf_putc(b, '"');
}

static void S_class(cnrs_buf *b, const char *cls)
{
    if (cls && *cls) {
        cnrs_buf_puts(b, " class=\"");
        cnrs_html_esc(b, cls);
        cnrs_buf_putc(b, '"');
    }
}

void cnrs_svg_begin(cnrs_buf *b, double w, double h, const char *cls, const char *label)
{
    cnrs_buf_puts(b, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    S_attr_num(b, "width", w);
    S_attr_num(b, "height", h);
    cnrs_buf_puts(b, " viewBox=\"0 0 ");
    S_num(b, w);
    cnrs_buf_putc(b, ' ');
    S_num(b, h);
    cnrs_buf_puts(b, "\" role=\"img\"");
    S_class(b, cls);
    if (label) {
        cnrs_buf_puts(b, " aria-label=\"");
        cnrs_html_esc(b, label);
        cnrs_buf_puts(b, "\"><title>");
        cnrs_html_esc(b, label);
        cnrs_buf_puts(b, "</title>");
    } else {
        cnrs_buf_putc(b, '>');
    }
}

void cnrs_svg_end(cnrs_buf *b)
{
    cnrs_buf_puts(b, "</svg>\n");
}

void cnrs_svg_rect(cnrs_buf *b, double x, double y, double w, double h, const char *cls,
                   const char *tip)
{
    cnrs_buf_puts(b, "<rect");
    S_attr_num(b, "x", x);
    S_attr_num(b, "y", y);
    S_attr_num(b, "width", w > 0 ? w : 0);
    S_attr_num(b, "height", h > 0 ? h : 0);
    S_class(b, cls);
    if (tip) {
        cnrs_buf_puts(b, "><title>");
        cnrs_html_esc(b, tip);
        cnrs_buf_puts(b, "</title></rect>");
    } else {
        cnrs_buf_puts(b, "/>");
    }
}

void cnrs_svg_line(cnrs_buf *b, double x1, double y1, double x2, double y2, const char *cls)
{
    cnrs_buf_puts(b, "<line");
    S_attr_num(b, "x1", x1);
    S_attr_num(b, "y1", y1);
    S_attr_num(b, "x2", x2);
    S_attr_num(b, "y2", y2);
    S_class(b, cls);
    cnrs_buf_puts(b, "/>");
}

void cnrs_svg_text(cnrs_buf *b, double x, double y, const char *anchor, const char *cls,
                   const char *text)
{
    cnrs_buf_puts(b, "<text");
    S_attr_num(b, "x", x);
    S_attr_num(b, "y", y);
    if (anchor && strcmp(anchor, "start") != 0)
        cnrs_buf_printf(b, " text-anchor=\"%s\"", strcmp(anchor, "end") == 0 ? "end" : "middle");
    S_class(b, cls);
    cnrs_buf_putc(b, '>');
    cnrs_html_esc(b, text);
    cnrs_buf_puts(b, "</text>");
}
