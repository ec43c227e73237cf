/* layout.c - positioned text pieces -> lines, kinds, paragraphs, reading order. */
#include "layout.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "normalise.h"
#include "segment.h"
#include "util.h"

/* ==== data ================================================================= */

typedef struct S_piece {
    float x0, y0, x1, y1, size;
    uint8_t bold;
    uint8_t blank;   /* S_BLANK_*: blanks the reader gave around the text */
    size_t off, len; /* text in L->ptext */
} S_piece;

/* pdftohtml keeps a word space inside a piece's box ("There were " then
 * "31"): trimmed from the text, it still says the words are apart. */
enum { S_BLANK_BEFORE = 1, S_BLANK_AFTER = 2 };

/* At most this many columns on a page (S_MAXCOL - 1 gutters); a side is a
 * column 1..S_MAXCOL left to right, 0 spanning. */
enum { S_MAXCOL = 6 };

typedef struct S_seg {
    float x0, y0, x1, y1, size;
    uint8_t bold;
    uint8_t side;    /* page scratch: 0 spanning/none, else its column 1.. */
    size_t off, len; /* text in L->text */
} S_seg;

typedef struct S_row {
    size_t seg, nseg; /* into L->ps */
} S_row;

enum {
    S_L_CONT = 1,     /* body line continues on the next body line */
    S_L_HCONT = 2,    /* heading line continues on the next line */
    S_L_ABSORBED = 4, /* merged into the table row above; not emitted */
    S_L_HEADCAND = 8, /* heading by size or weight, before the run checks */
    S_L_CHART = 16,   /* a chart's caption or row (chart.h): kind and text set */
    S_L_JOINED = 32,  /* body line continuing the body line before (S_paragraphs) */
    S_L_ITEM = 64     /* its paragraph opens a list item at `item` (S_paragraphs) */
};

typedef struct S_line {
    size_t seg, nseg; /* L->segs, left to right */
    int page;         /* index into L->pages */
    int flow;         /* reading-order part of the page: band * (S_MAXCOL + 1) + side */
    uint8_t side;     /* 0 full width, else its column 1.. left to right */
    uint8_t bold;
    uint8_t kind; /* cnrs_block_kind */
    uint8_t flags;
    uint8_t level; /* a HEADING's level (S_levels) */
    float x0, y0, x1, y1, size;
    float item;        /* with S_L_ITEM: the left edge of its list item's first line */
    size_t noff, nlen; /* normalised text, cells joined by " " (L->norm) */
    size_t roff, rlen; /* emitted text of a table/toc/index row (L->rowtext) */
    int has_row;
} S_line;

typedef struct S_page {
    int number;
    float w, h;
    size_t line0, nlines;
    uint8_t toc, index;
    float colL[S_MAXCOL + 1], colR[S_MAXCOL + 1]; /* per side: body text extent */
} S_page;

struct cnrs_layout {
    int open; /* a page is open */
    S_piece *pc;
    size_t npc, pc_cap;
    cnrs_buf ptext;
    S_seg *ps; /* segments of the open page, row by row */
    size_t nps, ps_cap;
    S_row *rows;
    size_t nrows, rows_cap;

    S_page *pages;
    size_t npages, pages_cap;
    S_seg *segs;
    size_t nsegs, segs_cap;
    S_line *lines;
    size_t nlines, lines_cap;
    cnrs_buf text;    /* segment text */
    cnrs_buf norm;    /* normalised line text */
    cnrs_buf rowtext; /* table rows as emitted */
    size_t pieces;
    float body; /* body font size */
    int charts; /* charts read so far: each gets a flow of its own */
};

/* ==== small helpers ======================================================== */

static uint32_t S_cp_at(const char *s, size_t n, size_t i, int *k)
{
    uint32_t cp = (unsigned char)s[i];
    if (cp < 0x80) {
        *k = 1;
        return cp;
    }
    int l = cnrs_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    *k = l ? l : 1;
    return cp;
}

static uint32_t S_last_cp(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    size_t b = n - 1;
    while (b > 0 && n - b < 4 && ((unsigned char)s[b] & 0xC0) == 0x80)
        b--;
    int k;
    return S_cp_at(s, n, b, &k);
}

static uint32_t S_first_cp(const char *s, size_t n)
{
    int k;
    return n ? S_cp_at(s, n, 0, &k) : 0;
}

/* CJK for spacing decisions: ideographs, CJK punctuation, full-width forms,
 * typographic quotes. */
static int S_cjkish(uint32_t c)
{
    return cnrs_is_cjk(c) || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 ||
           c == 0x2026 || c == 0x00B7;
}

/* Sentence-final: 。！？；!?. possibly followed by closing quotes/brackets. */
static int S_ends_sentence(const char *s, size_t n)
{
    while (n > 0) {
        uint32_t c = S_last_cp(s, n);
        size_t b = n - 1;
        while (b > 0 && n - b < 4 && ((unsigned char)s[b] & 0xC0) == 0x80)
            b--;
        if (c == 0x201D || c == 0x2019 || c == '"' || c == '\'' || c == ')' || c == 0xFF09 ||
            c == 0x300D || c == 0x300F || c == 0x300B || c == 0x3011 || c == ' ') {
            n = b;
            continue;
        }
        return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == '!' || c == '?' ||
               c == '.' || c == ';';
    }
    return 0;
}

static int S_ascii_letter(uint32_t c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int S_ascii_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* Append t[0..n) to b, putting a space first when the pieces are apart and
 * neither side is CJK or a space. Apart: `blank` (a blank the reader gave
 * between them), a gap over 0.15 of the smaller height (`small`: the gap in
 * those heights), or, between a letter and a digit, over 0.08 of the larger
 * (`large`): a digit does not continue a word, so not kerning but a narrow
 * word space made that gap ("In" "2020", "by" "18"), while subscripts and
 * units touch ("CO" "2", "m" "3"; pdftohtml's whole pixels may leave one). */
static void S_join(cnrs_buf *b, const char *t, size_t n, float small, float large, int blank)
{
    if (b->len && n && (blank || small > 0.15f || large > 0.08f)) {
        uint32_t last = S_last_cp(b->data, b->len), first = S_first_cp(t, n);
        int apart = blank || small > 0.15f || (S_ascii_letter(last) && S_ascii_digit(first)) ||
                    (S_ascii_digit(last) && S_ascii_letter(first));
        if (apart && last != ' ' && first != ' ' && !S_cjkish(last) && !S_cjkish(first))
            cnrs_buf_putc(b, ' ');
    }
    cnrs_buf_append(b, t, n);
}

static float S_fmax(float a, float b)
{
    return a > b ? a : b;
}

static float S_fmin(float a, float b)
{
    return a < b ? a : b;
}

/* ==== lifecycle and input ================================================== */

cnrs_layout *cnrs_layout_new(void)
{
    return cnrs_xcalloc(1, sizeof(cnrs_layout));
}

void cnrs_layout_free(cnrs_layout *L)
{
    if (!L)
        return;
    free(L->pc);
    cnrs_buf_free(&L->ptext);
    free(L->ps);
    free(L->rows);
    free(L->pages);
    free(L->segs);
    free(L->lines);
    cnrs_buf_free(&L->text);
    cnrs_buf_free(&L->norm);
    cnrs_buf_free(&L->rowtext);
    free(L);
}

static void S_end_page(cnrs_layout *L);

void cnrs_layout_page(cnrs_layout *L, int number, double width, double height)
{
    S_end_page(L);
    L->pages = cnrs_xgrow(L->pages, &L->pages_cap, L->npages + 1, sizeof *L->pages);
    S_page *pg = &L->pages[L->npages++];
    memset(pg, 0, sizeof *pg);
    int prev = L->npages > 1 ? L->pages[L->npages - 2].number : 0;
    pg->number = number > prev ? number : prev + 1;
    pg->w = width > 0 && width < 1e7 ? (float)width : 0;
    pg->h = height > 0 && height < 1e7 ? (float)height : 0;
    pg->line0 = L->nlines;
    L->open = 1;
}

void cnrs_layout_piece(cnrs_layout *L, double left, double top, double width, double height,
                       double size, int bold, const char *text, size_t len)
{
    if (!L->open || !text)
        return;
    if (!(left > -1e7 && left < 1e7) || !(top > -1e7 && top < 1e7))
        return; /* NaN or absurd */
    if (!(width >= 0 && width < 1e7))
        width = 0;
    if (!(height > 0 && height < 1e7))
        height = 1;
    if (!(size > 0 && size < 1e7))
        size = height;
    /* Collapse white space (ASCII blanks; other spaces are left to
     * normalisation) and trim. */
    size_t off = L->ptext.len;
    int pending = 0, blank = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            pending = L->ptext.len > off;
            blank |= pending ? 0 : S_BLANK_BEFORE;
            continue;
        }
        if (pending)
            cnrs_buf_putc(&L->ptext, ' ');
        pending = 0;
        cnrs_buf_putc(&L->ptext, c);
    }
    if (L->ptext.len == off)
        return;
    L->pc = cnrs_xgrow(L->pc, &L->pc_cap, L->npc + 1, sizeof *L->pc);
    L->pc[L->npc++] = (S_piece){(float)left,
                                (float)top,
                                (float)(left + width),
                                (float)(top + height),
                                (float)size,
                                (uint8_t)(bold != 0),
                                (uint8_t)(blank | (pending ? S_BLANK_AFTER : 0)),
                                off,
                                L->ptext.len - off};
    L->pieces++;
}

/* ==== per page: rows, segments, columns, lines ============================== */

static int S_cmp_yx(const void *a, const void *b)
{
    const S_piece *p = a, *q = b;
    if (p->y0 != q->y0)
        return p->y0 < q->y0 ? -1 : 1;
    if (p->x0 != q->x0)
        return p->x0 < q->x0 ? -1 : 1;
    return p->off < q->off ? -1 : p->off > q->off;
}

static int S_cmp_x(const void *a, const void *b)
{
    const S_piece *p = a, *q = b;
    if (p->x0 != q->x0)
        return p->x0 < q->x0 ? -1 : 1;
    return p->off < q->off ? -1 : p->off > q->off;
}

/* Pieces pc[a..b) of one row (sorted by x) -> segments appended to L->ps. */
static void S_row_segments(cnrs_layout *L, size_t a, size_t b)
{
    L->rows = cnrs_xgrow(L->rows, &L->rows_cap, L->nrows + 1, sizeof *L->rows);
    S_row *row = &L->rows[L->nrows++];
    row->seg = L->nps;
    row->nseg = 0;
    S_seg *cur = NULL;
    size_t cur_best = 0; /* bytes of the piece that gave cur->size */
    size_t bold_bytes = 0;
    const S_piece *prev = NULL;
    for (size_t i = a; i < b; i++) {
        const S_piece *p = &L->pc[i];
        const char *t = L->ptext.data + p->off;
        float h = S_fmax(p->y1 - p->y0, 1);
        if (prev && p->len == prev->len && !memcmp(t, L->ptext.data + prev->off, p->len) &&
            fabsf(p->x0 - prev->x0) < 0.3f * h && fabsf(p->y0 - prev->y0) < 0.3f * h)
            continue; /* drawn twice for a bold effect */
        float gap = cur ? p->x0 - cur->x1 : 0;
        float tol = cur ? S_fmax(h, cur->y1 - cur->y0) : 0;
        /* Overlapping boxes are not one line's neighbours (text hanging
         * into a narrow gutter meets the next column). */
        if (cur && gap <= tol && gap >= -0.3f * S_fmin(h, cur->y1 - cur->y0)) {
            int blank = (prev && (prev->blank & S_BLANK_AFTER)) || (p->blank & S_BLANK_BEFORE);
            S_join(&L->text, t, p->len, gap / S_fmin(h, cur->y1 - cur->y0),
                   gap / S_fmax(h, cur->y1 - cur->y0), blank);
            cur->x1 = S_fmax(cur->x1, p->x1);
            cur->y0 = S_fmin(cur->y0, p->y0);
            cur->y1 = S_fmax(cur->y1, p->y1);
            cur->len = L->text.len - cur->off;
            if (p->len > cur_best) {
                cur_best = p->len;
                cur->size = p->size;
            }
            bold_bytes += p->bold ? p->len : 0;
            cur->bold = bold_bytes * 2 > cur->len;
        } else {
            L->ps = cnrs_xgrow(L->ps, &L->ps_cap, L->nps + 1, sizeof *L->ps);
            cur = &L->ps[L->nps++];
            size_t off = L->text.len;
            cnrs_buf_append(&L->text, t, p->len);
            *cur = (S_seg){p->x0, p->y0, p->x1, p->y1, p->size, p->bold, 0, off, p->len};
            cur_best = p->len;
            bold_bytes = p->bold ? p->len : 0;
            row->nseg++;
        }
        prev = p;
    }
}

static void S_build_rows(cnrs_layout *L)
{
    S_piece *pc = L->pc;
    size_t n = L->npc, i = 0;
    qsort(pc, n, sizeof *pc, S_cmp_yx);
    L->nps = 0;
    L->nrows = 0;
    while (i < n) {
        float ry0 = pc[i].y0, ry1 = pc[i].y1, rh = S_fmax(ry1 - ry0, 1);
        size_t j = i + 1;
        while (j < n) {
            float h = S_fmax(pc[j].y1 - pc[j].y0, 1);
            float ov = S_fmin(pc[j].y1, ry1) - S_fmax(pc[j].y0, ry0);
            if (ov < 0.5f * S_fmin(h, rh))
                break;
            j++;
        }
        qsort(pc + i, j - i, sizeof *pc, S_cmp_x);
        S_row_segments(L, i, j);
        i = j;
    }
}

/* A segment that reads as a line of prose, not a table cell: at least 24
 * letters (a CJK character counts two) and at most one digit per four. */
static int S_wordy(const cnrs_layout *L, const S_seg *g)
{
    const char *t = L->text.data + g->off;
    size_t letters = 0, digits = 0;
    for (size_t i = 0; i < g->len;) {
        int k = 1;
        uint32_t c = S_cp_at(t, g->len, i, &k);
        letters += S_ascii_letter(c) ? 1 : cnrs_is_cjk(c) ? 2 : 0;
        digits += S_ascii_digit(c);
        i += (size_t)(k > 0 ? k : 1);
    }
    return letters >= 24 && digits * 4 <= letters;
}

/* Side of segment g among gutters ga/gb[0..ng) (left to right): 1 + the
 * gutters it starts at or after, 0 when it crosses the next one (a line
 * hanging into a gutter stays on its side). */
static uint8_t S_side_of(const S_seg *g, const float *ga, const float *gb, int ng)
{
    int c = 0;
    while (c < ng && g->x0 >= ga[c] - 0.5f)
        c++;
    if (c < ng && g->x1 > gb[c] + 0.5f)
        return 0;
    return (uint8_t)(c + 1);
}

/* Segments of the open page inside the slot [x0, x1]: how many, how many
 * fill 60% of it, how many read as prose (wordy[i]: S_wordy). */
static void S_slot_stats(const cnrs_layout *L, const unsigned char *wordy, float x0, float x1,
                         size_t *nin, size_t *nfill, size_t *nword)
{
    *nin = *nfill = *nword = 0;
    for (size_t i = 0; i < L->nps; i++) {
        const S_seg *g = &L->ps[i];
        if (g->x0 < x0 - 0.5f || g->x1 > x1 + 0.5f)
            continue;
        (*nin)++;
        *nfill += g->x1 - g->x0 >= 0.6f * (x1 - x0);
        *nword += wordy[i];
    }
}

/* Rows of the open page with a segment inside each of [l0, l1] and
 * [r0, r1], counted up to `enough`. */
static size_t S_rows_both(const cnrs_layout *L, float l0, float l1, float r0, float r1,
                          size_t enough)
{
    size_t both = 0;
    for (size_t r = 0; r < L->nrows && both < enough; r++) {
        int hl = 0, hr = 0;
        for (size_t k = 0; k < L->rows[r].nseg; k++) {
            const S_seg *g = &L->ps[L->rows[r].seg + k];
            hl |= g->x0 >= l0 - 0.5f && g->x1 <= l1 + 0.5f;
            hr |= g->x0 >= r0 - 0.5f && g->x1 <= r1 + 0.5f;
        }
        both += hl && hr;
    }
    return both;
}

/* The narrow-gutter rule, when the widest-strip rule finds no gutter (layout.h
 * step 3). Coverage: segments narrower than 60% of the text width in rows of
 * at most two segments, and in any row those that read as prose (columns
 * set on one baseline grid make rows of three). Every empty strip at least
 * 0.8 line heights wide (one in 25 segments may hang into it), strictly
 * inside the text and reaching into its middle 60%, is a gutter when the
 * slots either side of it (up to the neighbouring strips or the text edge)
 * are each at least 10 line heights wide, hold at least four segments of
 * which half fill 60% of the slot and half read as prose, and at least three
 * rows have text in both. Text beyond the outer slots (a sidebar, a page
 * number, running text in the margin) is a column of its own: the strip
 * bounding the outermost slot is a gutter too. Marks the sides; returns the
 * gutters' number (0: none). */
static int S_narrow_gutters(cnrs_layout *L, float tl, float tr, float hav, float *ga, float *gb)
{
    size_t n = L->nps;
    float tw = tr - tl, lo = tl + 0.2f * tw, hi = tl + 0.8f * tw;
    unsigned char *wordy = cnrs_xmalloc(n);
    for (size_t i = 0; i < n; i++)
        wordy[i] = (unsigned char)S_wordy(L, &L->ps[i]);
    float sc = tw > 4096 ? 4096 / tw : 1;
    size_t W = (size_t)(tw * sc) + 2, nn = 0;
    int *cov = cnrs_xcalloc(W + 1, sizeof *cov);
    for (size_t r = 0; r < L->nrows; r++)
        for (size_t k = 0; k < L->rows[r].nseg; k++) {
            size_t i = L->rows[r].seg + k;
            const S_seg *g = &L->ps[i];
            if (g->x1 - g->x0 > 0.6f * tw || (L->rows[r].nseg > 2 && !wordy[i]))
                continue;
            size_t a = (size_t)floorf((g->x0 - tl) * sc), b = (size_t)ceilf((g->x1 - tl) * sc);
            cov[a < W ? a : W]++;
            cov[b < W ? b : W]--;
            nn++;
        }
    int tolc = (int)(nn / 25);
    for (size_t x = 1; x <= W; x++)
        cov[x] += cov[x - 1];
    enum { S_MAXSTRIP = 64 };
    float sa[S_MAXSTRIP], sb[S_MAXSTRIP];
    int ns = 0;
    for (size_t x = 0; x < W && ns < S_MAXSTRIP;) {
        if (cov[x] > tolc) {
            x++;
            continue;
        }
        size_t b = x;
        while (b < W && cov[b] <= tolc)
            b++;
        if ((float)(b - x) / sc >= 0.8f * hav) {
            sa[ns] = tl + (float)x / sc;
            sb[ns] = tl + (float)b / sc;
            ns++;
        }
        x = b;
    }
    free(cov);
    int ng = 0, first = -1, last = -1;
    for (int i = 0; i < ns && ng < S_MAXCOL - 1; i++) {
        if (sa[i] <= tl + 0.5f || sb[i] >= tr - 0.5f || sb[i] <= lo || sa[i] >= hi)
            continue;
        float l0 = i > 0 ? sb[i - 1] : tl, l1 = sa[i];
        float r0 = sb[i], r1 = i + 1 < ns ? sa[i + 1] : tr;
        if (l1 - l0 < 10 * hav || r1 - r0 < 10 * hav)
            continue;
        size_t n1, f1, w1, n2, f2, w2;
        S_slot_stats(L, wordy, l0, l1, &n1, &f1, &w1);
        S_slot_stats(L, wordy, r0, r1, &n2, &f2, &w2);
        if (n1 < 4 || n2 < 4 || f1 * 2 < n1 || f2 * 2 < n2 || w1 * 2 < n1 || w2 * 2 < n2 ||
            S_rows_both(L, l0, l1, r0, r1, 3) < 3)
            continue;
        if (first < 0)
            first = i;
        last = i;
        ga[ng] = sa[i];
        gb[ng] = sb[i];
        ng++;
    }
    free(wordy);
    /* The margins: text wholly outside the outer slots, less than 10 line
     * heights wide, is a column of its own (its strip may have swallowed it:
     * a few segments may hang into a strip). */
    if (ng > 0 && ng < S_MAXCOL - 1) {
        float s0 = first > 0 ? sb[first - 1] : tl, mx = -FLT_MAX;
        for (size_t i = 0; i < n; i++)
            if (L->ps[i].x1 <= s0 + 0.5f)
                mx = S_fmax(mx, L->ps[i].x1);
        if (mx > -FLT_MAX && mx < s0 && mx - tl < 10 * hav) {
            memmove(ga + 1, ga, (size_t)ng * sizeof *ga);
            memmove(gb + 1, gb, (size_t)ng * sizeof *gb);
            ga[0] = mx;
            gb[0] = s0;
            ng++;
        }
    }
    if (ng > 0 && ng < S_MAXCOL - 1) {
        float s1 = last + 1 < ns ? sa[last + 1] : tr, mn = FLT_MAX;
        for (size_t i = 0; i < n; i++)
            if (L->ps[i].x0 >= s1 - 0.5f)
                mn = S_fmin(mn, L->ps[i].x0);
        if (mn < FLT_MAX && mn > s1 && tr - mn < 10 * hav) {
            ga[ng] = s1;
            gb[ng] = mn;
            ng++;
        }
    }
    for (size_t i = 0; i < n; i++)
        L->ps[i].side = S_side_of(&L->ps[i], ga, gb, ng);
    return ng;
}

/* Find the column gutters on the open page (at most S_MAXCOL - 1, left to
 * right, in ga/gb); marks each segment's side. Returns their number. */
static int S_gutter(cnrs_layout *L, float *ga, float *gb)
{
    S_seg *s = L->ps;
    size_t n = L->nps;
    if (n < 4)
        return 0;
    float tl = FLT_MAX, tr = -FLT_MAX, hs = 0;
    for (size_t i = 0; i < n; i++) {
        tl = S_fmin(tl, s[i].x0);
        tr = S_fmax(tr, s[i].x1);
        hs += s[i].y1 - s[i].y0;
    }
    float tw = tr - tl, hav = hs / (float)n;
    if (!(tw > 4 * hav) || tw > 1e7f)
        return 0;
    /* Coverage in at most 4096 bins whatever the coordinates. */
    float sc = tw > 4096 ? 4096 / tw : 1;
    size_t W = (size_t)(tw * sc) + 2, nn = 0;
    int *cov = cnrs_xcalloc(W + 1, sizeof *cov);
    for (size_t r = 0; r < L->nrows; r++) {
        if (L->rows[r].nseg > 2)
            continue; /* table rows say nothing about columns */
        for (size_t k = 0; k < L->rows[r].nseg; k++) {
            const S_seg *g = &s[L->rows[r].seg + k];
            if (g->x1 - g->x0 > 0.6f * tw)
                continue;
            size_t a = (size_t)floorf((g->x0 - tl) * sc), b = (size_t)ceilf((g->x1 - tl) * sc);
            if (a > W)
                a = W;
            if (b > W)
                b = W;
            cov[a]++;
            cov[b]--;
            nn++;
        }
    }
    /* A few lines may hang into the gutter (punctuation set past the
     * column edge): one in 25 narrow segments is tolerated. */
    int tolc = (int)(nn / 25);
    for (size_t x = 1; x <= W; x++)
        cov[x] += cov[x - 1];
    for (size_t x = 0; x <= W; x++)
        cov[x] = cov[x] <= tolc ? 0 : cov[x];
    size_t lo = (size_t)(0.2f * tw * sc), hi = (size_t)(0.8f * tw * sc);
    size_t best_a = 0, best_len = 0;
    for (size_t x = lo; x < hi;) {
        if (cov[x] != 0) {
            x++;
            continue;
        }
        size_t a = x;
        while (a > 0 && cov[a - 1] == 0)
            a--;
        size_t b = x;
        while (b < W && cov[b] == 0)
            b++;
        if (b - a > best_len && a > 0 && b < W) {
            best_a = a;
            best_len = b - a;
        }
        x = b;
    }
    free(cov);
    if (best_len == 0 || (float)best_len / sc < 0.8f * hav)
        return S_narrow_gutters(L, tl, tr, hav, ga, gb);
    float a = tl + (float)best_a / sc, b = tl + (float)(best_a + best_len) / sc;
    /* Sides (a line hanging into the gutter stays left); then the prose and
     * side-by-side tests. */
    float ll = FLT_MAX, rr = -FLT_MAX;
    size_t nl = 0, nr = 0;
    for (size_t i = 0; i < n; i++) {
        s[i].side = s[i].x1 <= b + 0.5f && s[i].x0 < a ? 1 : s[i].x0 >= a - 0.5f ? 2 : 0;
        if (s[i].side == 1) {
            ll = S_fmin(ll, s[i].x0);
            nl++;
        } else if (s[i].side == 2) {
            rr = S_fmax(rr, s[i].x1);
            nr++;
        }
    }
    size_t both = 0, fl = 0, fr = 0;
    for (size_t r = 0; r < L->nrows; r++) {
        int hl = 0, hr = 0;
        for (size_t k = 0; k < L->rows[r].nseg; k++) {
            const S_seg *g = &s[L->rows[r].seg + k];
            hl |= g->side == 1;
            hr |= g->side == 2;
        }
        both += hl && hr;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i].side == 1 && s[i].x1 - s[i].x0 >= 0.6f * (a - ll))
            fl++;
        if (s[i].side == 2 && s[i].x1 - s[i].x0 >= 0.6f * (rr - b))
            fr++;
    }
    /* Columns of text are each a good part of the text width; a label and
     * value table has one narrow side. */
    if (nl >= 2 && nr >= 2 && both >= 2 && fl * 2 >= nl && fr * 2 >= nr && a - ll >= 0.25f * tw &&
        rr - b >= 0.25f * tw) {
        ga[0] = a;
        gb[0] = b;
        return 1;
    }
    return S_narrow_gutters(L, tl, tr, hav, ga, gb);
}

typedef struct S_part {
    size_t row;
    uint8_t side;
    size_t band;
} S_part;

static int S_cmp_part(const void *a, const void *b)
{
    const S_part *p = a, *q = b;
    if (p->band != q->band)
        return p->band < q->band ? -1 : 1;
    if (p->side != q->side)
        return p->side < q->side ? -1 : 1;
    return p->row < q->row ? -1 : p->row > q->row;
}

/* Append one line made of the row's segments on `side` (0: all). */
static void S_add_line(cnrs_layout *L, const S_part *pt)
{
    const S_row *row = &L->rows[pt->row];
    size_t first = L->nsegs;
    for (size_t k = 0; k < row->nseg; k++) {
        const S_seg *g = &L->ps[row->seg + k];
        if (pt->side && g->side != pt->side)
            continue;
        L->segs = cnrs_xgrow(L->segs, &L->segs_cap, L->nsegs + 1, sizeof *L->segs);
        L->segs[L->nsegs++] = *g;
    }
    if (L->nsegs == first)
        return;
    L->lines = cnrs_xgrow(L->lines, &L->lines_cap, L->nlines + 1, sizeof *L->lines);
    S_line *ln = &L->lines[L->nlines++];
    memset(ln, 0, sizeof *ln);
    ln->seg = first;
    ln->nseg = L->nsegs - first;
    ln->page = (int)(L->npages - 1);
    ln->side = pt->side;
    ln->flow = (int)(pt->band * (S_MAXCOL + 1) + pt->side);
    ln->x0 = FLT_MAX;
    ln->y0 = FLT_MAX;
    ln->x1 = -FLT_MAX;
    ln->y1 = -FLT_MAX;
    size_t best = 0, boldb = 0, all = 0;
    for (size_t k = first; k < L->nsegs; k++) {
        const S_seg *g = &L->segs[k];
        ln->x0 = S_fmin(ln->x0, g->x0);
        ln->y0 = S_fmin(ln->y0, g->y0);
        ln->x1 = S_fmax(ln->x1, g->x1);
        ln->y1 = S_fmax(ln->y1, g->y1);
        if (g->len > best) {
            best = g->len;
            ln->size = g->size;
        }
        boldb += g->bold ? g->len : 0;
        all += g->len;
    }
    ln->bold = boldb * 2 > all;
    ln->kind = CNRS_BLOCK_BODY;
}

/* Where a segment of a row lies against the strip [a, b] of a band: -1 left
 * (starts left of it, ends 0.8 line heights short of its right edge), 1
 * right (the mirror), 0 neither (it crosses or sits in the strip). */
static int S_band_side(const S_seg *g, float a, float b, float hav)
{
    if (g->x0 < a && g->x1 <= b - 0.8f * hav)
        return -1;
    if (g->x1 > b && g->x0 >= a + 0.8f * hav)
        return 1;
    return 0;
}

/* Row r against the strip [*a, *b]: 1 when each of its segments lies left
 * or right of it and the strip, narrowed to them, stays 0.8 line heights
 * wide (then *a, *b are narrowed); *two: it has text on both sides. */
static int S_band_fits(const cnrs_layout *L, size_t r, float *a, float *b, float hav, int *two)
{
    const S_row *row = &L->rows[r];
    float na = *a, nb = *b;
    int l = 0, rt = 0;
    for (size_t k = 0; k < row->nseg; k++) {
        const S_seg *g = &L->ps[row->seg + k];
        int sd = S_band_side(g, na, nb, hav);
        if (sd == 0)
            return 0;
        if (sd < 0) {
            na = S_fmax(na, g->x1);
            l = 1;
        } else {
            nb = S_fmin(nb, g->x0);
            rt = 1;
        }
    }
    if (nb - na < 0.8f * hav)
        return 0;
    *a = na;
    *b = nb;
    *two = l && rt;
    return 1;
}

/* A row that opens or carries a band of two prose columns: two segments,
 * both reading as prose (S_wordy), at least 0.8 line heights apart. */
static int S_band_seed(const cnrs_layout *L, size_t r, float hav)
{
    const S_row *row = &L->rows[r];
    if (row->nseg != 2)
        return 0;
    const S_seg *g = &L->ps[row->seg], *h = &L->ps[row->seg + 1];
    return h->x0 - g->x1 >= 0.8f * hav && S_wordy(L, g) && S_wordy(L, h);
}

/* Rows [r0, r1] as a band of two columns split at [a, b]. Counted on each
 * side are the segments alone on their side of their row (cells of a table
 * or labels of a diagram inside a column are not its lines): the widest at
 * least 10 line heights, half of them filling 60% of the widest and half
 * reading as prose. */
static int S_band_prose(const cnrs_layout *L, size_t r0, size_t r1, float a, float hav)
{
    float wmax[2] = {0, 0};
    for (int pass = 0; pass < 2; pass++) {
        size_t n[2] = {0, 0}, fill[2] = {0, 0}, word[2] = {0, 0};
        for (size_t r = r0; r <= r1; r++) {
            const S_row *row = &L->rows[r];
            size_t cnt[2] = {0, 0};
            for (size_t k = 0; k < row->nseg; k++)
                cnt[L->ps[row->seg + k].x1 <= a + 0.5f ? 0 : 1]++;
            for (size_t k = 0; k < row->nseg; k++) {
                const S_seg *g = &L->ps[row->seg + k];
                int sd = g->x1 <= a + 0.5f ? 0 : 1;
                if (cnt[sd] != 1)
                    continue;
                if (pass == 0) {
                    wmax[sd] = S_fmax(wmax[sd], g->x1 - g->x0);
                    continue;
                }
                n[sd]++;
                fill[sd] += g->x1 - g->x0 >= 0.6f * wmax[sd];
                word[sd] += (size_t)S_wordy(L, g);
            }
        }
        if (pass == 0 && (wmax[0] < 10 * hav || wmax[1] < 10 * hav))
            return 0;
        if (pass == 1) {
            return fill[0] * 2 >= n[0] && fill[1] * 2 >= n[1] && word[0] * 2 >= n[0] &&
                   word[1] * 2 >= n[1];
        }
    }
    return 0;
}

/* The band rule, on a page where no gutter was found (layout.h step 3):
 * runs of consecutive rows split by a gutter of their own. Marks run[r] = k
 * (1.. per run, at most S_MAXRUN) for rows in run k, gives its segments the
 * sides 2k - 1 (left) and 2k (right) and returns the number of runs. Each
 * row is looked at a fixed number of times. */
enum { S_MAXRUN = S_MAXCOL / 2 };
static int S_bands(cnrs_layout *L, unsigned char *run)
{
    size_t n = L->nps, nr = L->nrows;
    if (n < 6)
        return 0;
    float hs = 0;
    for (size_t i = 0; i < n; i++)
        hs += L->ps[i].y1 - L->ps[i].y0;
    float hav = hs / (float)n;
    int nrun = 0;
    size_t floor_r = 0; /* rows before this belong to an earlier run */
    size_t r = 0;
    while (r < nr && nrun < S_MAXRUN) {
        if (!S_band_seed(L, r, hav)) {
            r++;
            continue;
        }
        /* A chain from seed r: rows fitting the strip, no gap over 4 line
         * heights; it ends at the last seed (and the one-sided rows close
         * under it). */
        const S_seg *g = &L->ps[L->rows[r].seg];
        float a = g->x1, b = g[1].x0;
        size_t first = r, last = r, seeds = 1, end;
        size_t q = r + 1;
        for (; q < nr; q++) {
            float ta = a, tb = b;
            int two = 0;
            float gap = L->ps[L->rows[q].seg].y0 - L->ps[L->rows[q - 1].seg].y1;
            if (gap > 4 * hav || !S_band_fits(L, q, &ta, &tb, hav, &two))
                break;
            a = ta;
            b = tb;
            if (S_band_seed(L, q, hav)) {
                seeds++;
                last = q;
            }
        }
        /* One-sided rows close under the last seed go with the run. */
        end = last;
        for (size_t t = last + 1; t < q; t++) {
            float ta = a, tb = b;
            int two = 0;
            if (!S_band_fits(L, t, &ta, &tb, hav, &two) || two)
                break;
            end = t;
        }
        /* And one-sided rows close above the first seed. */
        while (first > floor_r) {
            float ta = a, tb = b;
            int two = 0;
            float gap = L->ps[L->rows[first].seg].y0 - L->ps[L->rows[first - 1].seg].y1;
            if (gap > 2 * hav || !S_band_fits(L, first - 1, &ta, &tb, hav, &two) || two)
                break;
            a = ta;
            b = tb;
            first--;
        }
        if (seeds >= 3 && S_band_prose(L, first, end, a, hav)) {
            nrun++;
            for (size_t t = first; t <= end; t++) {
                run[t] = (unsigned char)nrun;
                for (size_t k = 0; k < L->rows[t].nseg; k++) {
                    S_seg *h = &L->ps[L->rows[t].seg + k];
                    h->side = (uint8_t)(h->x1 <= a + 0.5f ? 2 * nrun - 1 : 2 * nrun);
                }
            }
            floor_r = end + 1;
            r = end + 1;
        } else {
            r = last + 1 > q ? last + 1 : q;
            if (r == first)
                r++;
        }
    }
    return nrun;
}

static void S_order(cnrs_layout *L)
{
    float ga[S_MAXCOL], gb[S_MAXCOL];
    int cols = S_gutter(L, ga, gb);
    S_part *parts = cnrs_xmalloc((S_MAXCOL * L->nrows + 1) * sizeof *parts);
    size_t np = 0, band = 0;
    unsigned char *run = cnrs_xcalloc(L->nrows + 1, 1);
    int runs = cols ? 0 : S_bands(L, run);
    for (size_t r = 0; r < L->nrows; r++) {
        const S_row *row = &L->rows[r];
        if (runs) {
            /* A run of the band rule is a band of its own, read left then
             * right; the rows around it stay whole. */
            if (r > 0 && run[r] != run[r - 1])
                band++;
            if (run[r]) {
                unsigned has = 0;
                for (size_t k = 0; k < row->nseg; k++)
                    has |= 1u << L->ps[row->seg + k].side;
                for (uint8_t sd = 1; sd <= S_MAXCOL; sd++)
                    if (has & 1u << sd)
                        parts[np++] = (S_part){r, sd, band};
                continue;
            }
        }
        int full = !cols, touched = 0;
        unsigned has = 0;
        for (size_t k = 0; k < row->nseg && !full; k++) {
            uint8_t sd = L->ps[row->seg + k].side;
            full = sd == 0;
            if (!full && !(has & 1u << sd)) {
                has |= 1u << sd;
                touched++;
            }
        }
        if (cols && !full && touched >= 2 && row->nseg > (size_t)touched)
            full = 1; /* a wide table: cells on two sides, two in one column */
        if (full) {
            if (cols)
                band++;
            parts[np++] = (S_part){r, 0, band};
            if (cols)
                band++;
            continue;
        }
        for (uint8_t sd = 1; sd <= S_MAXCOL; sd++)
            if (has & 1u << sd)
                parts[np++] = (S_part){r, sd, band};
    }
    qsort(parts, np, sizeof *parts, S_cmp_part);
    for (size_t i = 0; i < np; i++)
        S_add_line(L, &parts[i]);
    free(parts);
    free(run);
}

/* Read the charts among the open page's pieces (chart.h) and take their
 * pieces out of the page, so the rows and columns below never see them.
 * The chart lines go to *cl (the caller frees it), their text to L->rowtext. */
static void S_charts(cnrs_layout *L, cnrs_chart_line **cl, size_t *ncl)
{
    const S_page *pg = &L->pages[L->npages - 1];
    cnrs_chart_piece *cp = cnrs_xmalloc(L->npc * sizeof *cp);
    for (size_t i = 0; i < L->npc; i++) {
        const S_piece *p = &L->pc[i];
        cp[i] = (cnrs_chart_piece){p->x0, p->y0, p->x1, p->y1, L->ptext.data + p->off, p->len,
                                   p->blank};
    }
    unsigned char *used = cnrs_xcalloc(L->npc, 1);
    size_t cap = 0;
    if (cnrs_chart_read(cp, L->npc, pg->w, pg->h, used, &L->rowtext, cl, ncl, &cap)) {
        size_t k = 0;
        for (size_t i = 0; i < L->npc; i++)
            if (!used[i])
                L->pc[k++] = L->pc[i];
        L->npc = k;
    }
    free(used);
    free(cp);
}

/* Append the chart lines to the open page: one flow per chart, after the
 * page's own lines. Rows are table rows with their text set (S_tables
 * leaves them alone); a caption is a heading. */
static void S_chart_lines(cnrs_layout *L, const cnrs_chart_line *cl, size_t ncl)
{
    for (size_t i = 0; i < ncl; i++) {
        const cnrs_chart_line *c = &cl[i];
        if (i == 0 || c->x0 != cl[i - 1].x0 || c->y0 != cl[i - 1].y0 || c->x1 != cl[i - 1].x1 ||
            c->y1 != cl[i - 1].y1)
            L->charts++; /* lines of one chart share its box */
        L->segs = cnrs_xgrow(L->segs, &L->segs_cap, L->nsegs + 1, sizeof *L->segs);
        S_seg *g = &L->segs[L->nsegs++];
        size_t off = L->text.len;
        cnrs_buf_append(&L->text, L->rowtext.data + c->off, c->len);
        float h = c->y1 - c->y0;
        *g = (S_seg){c->x0, c->y0, c->x1, c->y1, h, 0, 0, off, c->len};
        L->lines = cnrs_xgrow(L->lines, &L->lines_cap, L->nlines + 1, sizeof *L->lines);
        S_line *ln = &L->lines[L->nlines++];
        memset(ln, 0, sizeof *ln);
        ln->seg = L->nsegs - 1;
        ln->nseg = 1;
        ln->page = (int)(L->npages - 1);
        ln->flow = -L->charts;
        ln->x0 = c->x0;
        ln->y0 = c->y0;
        ln->x1 = c->x1;
        ln->y1 = c->y1;
        ln->size = h;
        ln->flags = S_L_CHART;
        if (c->kind == CNRS_CHART_CAPTION) {
            ln->kind = CNRS_BLOCK_HEADING;
        } else {
            ln->kind = CNRS_BLOCK_TABLE_ROW;
            ln->has_row = 1;
            ln->roff = c->off;
            ln->rlen = c->len;
        }
    }
}

static void S_end_page(cnrs_layout *L)
{
    if (!L->open)
        return;
    L->open = 0;
    S_page *pg = &L->pages[L->npages - 1];
    pg->line0 = L->nlines;
    if (L->npc) {
        cnrs_chart_line *cl = NULL;
        size_t ncl = 0;
        S_charts(L, &cl, &ncl);
        S_build_rows(L);
        S_order(L);
        S_chart_lines(L, cl, ncl);
        free(cl);
    }
    pg->nlines = L->nlines - pg->line0;
    /* Unknown page size: the extent of its text. */
    for (size_t i = pg->line0; i < L->nlines; i++) {
        if (pg->h <= 0 || L->lines[i].y1 > pg->h)
            pg->h = S_fmax(pg->h, L->lines[i].y1);
        if (pg->w <= 0 || L->lines[i].x1 > pg->w)
            pg->w = S_fmax(pg->w, L->lines[i].x1);
    }
    L->npc = 0;
    cnrs_buf_reset(&L->ptext);
}

/* ==== document passes ======================================================= */

static const char *S_norm(const cnrs_layout *L, const S_line *ln, size_t *n)
{
    *n = ln->nlen;
    return L->norm.data + ln->noff;
}

static void S_normalise_lines(cnrs_layout *L)
{
    cnrs_buf tmp = CNRS_BUF_INIT;
    for (size_t i = 0; i < L->nlines; i++) {
        S_line *ln = &L->lines[i];
        cnrs_buf_reset(&tmp);
        for (size_t k = 0; k < ln->nseg; k++) {
            const S_seg *g = &L->segs[ln->seg + k];
            if (k)
                cnrs_buf_putc(&tmp, ' ');
            cnrs_buf_append(&tmp, L->text.data + g->off, g->len);
        }
        ln->noff = L->norm.len;
        cnrs_normalise(tmp.data ? tmp.data : "", tmp.len, &L->norm);
        ln->nlen = L->norm.len - ln->noff;
    }
    cnrs_buf_free(&tmp);
    cnrs_buf_putc(&L->norm, '\0'); /* so data is never NULL */
}

/* ---- running headers and footers ----------------------------------------- */

typedef struct S_slot {
    uint64_t h;
    size_t off, len; /* key in the key buffer */
    size_t pages;    /* distinct pages */
    size_t last;     /* last page counted + 1 */
} S_slot;

static uint64_t S_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* 0 top zone, 1 bottom zone, -1 neither. */
static int S_zone(const S_page *pg, const S_line *ln)
{
    if (pg->h <= 0)
        return -1;
    if (ln->y1 <= 0.1f * pg->h)
        return 0;
    if (ln->y0 >= 0.9f * pg->h)
        return 1;
    return -1;
}

static S_slot *S_slot_for(S_slot *tab, size_t mask, cnrs_buf *keys, size_t off)
{
    size_t len = keys->len - off;
    uint64_t h = S_hash(keys->data + off, len);
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        S_slot *s = &tab[i];
        if (s->len == 0) {
            *s = (S_slot){h, off, len, 0, 0};
            return s;
        }
        if (s->h == h && s->len == len && !memcmp(keys->data + s->off, keys->data + off, len)) {
            keys->len = off;
            return s;
        }
    }
}

static void S_key(cnrs_buf *keys, int zone, const char *s, size_t n)
{
    cnrs_buf_putc(keys, (char)('0' + zone));
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && !(s[i] >= '0' && s[i] <= '9'))
            cnrs_buf_putc(keys, s[i]);
}

static void S_furniture(cnrs_layout *L)
{
    size_t zl = 0, text_pages = 0;
    for (size_t p = 0; p < L->npages; p++) {
        text_pages += L->pages[p].nlines > 0;
        for (size_t i = 0; i < L->pages[p].nlines; i++)
            zl += S_zone(&L->pages[p], &L->lines[L->pages[p].line0 + i]) >= 0;
    }
    size_t cap = 16;
    while (cap < zl * 2 + 2)
        cap *= 2;
    S_slot *tab = cnrs_xcalloc(cap, sizeof *tab);
    S_slot **at = cnrs_xcalloc(L->nlines ? L->nlines : 1, sizeof *at);
    cnrs_buf keys = CNRS_BUF_INIT;
    for (size_t p = 0; p < L->npages; p++) {
        const S_page *pg = &L->pages[p];
        for (size_t i = pg->line0; i < pg->line0 + pg->nlines; i++) {
            S_line *ln = &L->lines[i];
            int z = S_zone(pg, ln);
            if (z < 0 || (ln->flags & S_L_CHART))
                continue;
            size_t n;
            const char *t = S_norm(L, ln, &n);
            if (cnrs_line_is_page_number(t, n)) {
                ln->kind = CNRS_BLOCK_FURNITURE;
                continue;
            }
            size_t off = keys.len;
            S_key(&keys, z, t, n);
            if (keys.len - off < 2) {
                keys.len = off;
                continue;
            }
            S_slot *s = S_slot_for(tab, cap - 1, &keys, off);
            if (s->last != p + 1) {
                s->pages++;
                s->last = p + 1;
            }
            at[i] = s;
        }
        /* A bare page number closing the page, wherever it sits. */
        size_t last = pg->nlines; /* the page's own lines end before its charts' */
        while (last > 0 && (L->lines[pg->line0 + last - 1].flags & S_L_CHART))
            last--;
        if (last) {
            S_line *ln = &L->lines[pg->line0 + last - 1];
            size_t n;
            const char *t = S_norm(L, ln, &n);
            if (ln->nseg == 1 && ln->y0 >= 0.75f * pg->h && cnrs_line_is_page_number(t, n))
                ln->kind = CNRS_BLOCK_FURNITURE;
        }
    }
    for (size_t i = 0; i < L->nlines; i++)
        if (at[i] && at[i]->pages >= 2 && at[i]->pages * 10 >= text_pages * 4)
            L->lines[i].kind = CNRS_BLOCK_FURNITURE;
    free(at);
    free(tab);
    cnrs_buf_free(&keys);
}

/* ---- body size ----------------------------------------------------------- */

static void S_body_size(cnrs_layout *L)
{
    /* Sizes in half-unit bins, weighted by text length. */
    enum { MAXB = 2048 };
    size_t *hist = cnrs_xcalloc(MAXB, sizeof *hist);
    for (size_t i = 0; i < L->nlines; i++) {
        const S_line *ln = &L->lines[i];
        if (ln->kind == CNRS_BLOCK_FURNITURE || (ln->flags & S_L_CHART))
            continue;
        long b = lroundf(ln->size * 2);
        if (b < 0)
            b = 0;
        if (b >= MAXB)
            b = MAXB - 1;
        hist[b] += ln->nlen;
    }
    size_t best = 0;
    L->body = 0;
    for (size_t b = 0; b < MAXB; b++)
        if (hist[b] > best) {
            best = hist[b];
            L->body = (float)b / 2;
        }
    free(hist);
}

/* ---- contents and index pages ---------------------------------------------- */

static int S_is_digits(const char *s, size_t n, size_t maxd)
{
    if (n == 0 || n > maxd)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Normalised text of one segment into b (reset first). */
static void S_seg_norm(const cnrs_layout *L, const S_seg *g, cnrs_buf *b)
{
    cnrs_buf_reset(b);
    cnrs_normalise(L->text.data + g->off, g->len, b);
    cnrs_buf_cstr(b);
}

/* A label that says something: a letter or CJK past an optional leading
 * section number, and no other digits. */
static int S_label_like(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == ' '))
        i++;
    int word = 0;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9')
            return 0;
        word |= c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
    return word;
}

/* A contents entry: dot leaders, "label | 12", "03 | label", "label 12". */
static int S_toc_like(const cnrs_layout *L, const S_line *ln, cnrs_buf *tmp)
{
    size_t n;
    const char *t = S_norm(L, ln, &n);
    if (cnrs_line_is_toc_leaders(t, n))
        return 1;
    if (ln->nseg == 2) {
        cnrs_buf a = CNRS_BUF_INIT;
        S_seg_norm(L, &L->segs[ln->seg], &a);
        S_seg_norm(L, &L->segs[ln->seg + 1], tmp);
        int r = (S_is_digits(tmp->data, tmp->len, 3) && S_label_like(a.data, a.len)) ||
                (S_is_digits(a.data, a.len, 3) && S_label_like(tmp->data, tmp->len));
        cnrs_buf_free(&a);
        return r;
    }
    if (ln->nseg == 1) {
        size_t d = n;
        while (d > 0 && t[d - 1] >= '0' && t[d - 1] <= '9')
            d--;
        return d < n && n - d <= 3 && d > 0 && t[d - 1] == ' ' && S_label_like(t, d - 1);
    }
    return 0;
}

static void S_toc_index(cnrs_layout *L)
{
    cnrs_buf tmp = CNRS_BUF_INIT;
    int prev_toc = 0, prev_index = 0;
    for (size_t p = 0; p < L->npages; p++) {
        S_page *pg = &L->pages[p];
        size_t a = pg->line0, e = pg->line0 + pg->nlines;
        size_t content = 0, tocl = 0, codes = 0, seen = 0;
        int toc = 0;
        size_t index_from = SIZE_MAX;
        for (size_t i = a; i < e; i++) {
            S_line *ln = &L->lines[i];
            if (ln->kind == CNRS_BLOCK_FURNITURE || (ln->flags & S_L_CHART))
                continue;
            size_t n;
            const char *t = S_norm(L, ln, &n);
            content++;
            if (seen++ < 3 && cnrs_line_is_contents_heading(t, n))
                toc = 1;
            if (S_toc_like(L, ln, &tmp))
                tocl++;
            if (cnrs_line_starts_with_code(t, n))
                codes++;
            if (index_from == SIZE_MAX && cnrs_line_is_index_heading(t, n))
                index_from = i;
        }
        if (!toc && prev_toc && content && tocl * 2 >= content)
            toc = 1;
        if (toc) {
            pg->toc = 1;
            for (size_t i = a; i < e; i++)
                if (L->lines[i].kind != CNRS_BLOCK_FURNITURE && !(L->lines[i].flags & S_L_CHART))
                    L->lines[i].kind = CNRS_BLOCK_TOC;
        } else {
            if (index_from == SIZE_MAX && prev_index && content && codes * 2 >= content)
                index_from = a;
            if (index_from != SIZE_MAX) {
                pg->index = 1;
                for (size_t i = index_from; i < e; i++)
                    if (L->lines[i].kind != CNRS_BLOCK_FURNITURE &&
                        !(L->lines[i].flags & S_L_CHART))
                        L->lines[i].kind = CNRS_BLOCK_INDEX;
            }
        }
        if (content) {
            prev_toc = toc;
            prev_index = pg->index;
        }
    }
    cnrs_buf_free(&tmp);
}

/* ---- kinds: headings, table rows ------------------------------------------- */

static int S_same_flow(const S_line *a, const S_line *b)
{
    return a->page == b->page && a->flow == b->flow;
}

/* Display width of normalised text. */
static int S_width(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n;) {
        int k;
        w += cnrs_cp_width(S_cp_at(s, n, i, &k));
        i += (size_t)k;
    }
    return w;
}

static void S_kinds(cnrs_layout *L)
{
    cnrs_buf tmp = CNRS_BUF_INIT;
    float body = L->body > 0 ? L->body : 1;
    for (size_t i = 0; i < L->nlines; i++) {
        S_line *ln = &L->lines[i];
        if (ln->kind != CNRS_BLOCK_BODY)
            continue;
        if (ln->nseg >= 2) {
            S_seg_norm(L, &L->segs[ln->seg], &tmp);
            ln->kind = cnrs_line_starts_with_code(tmp.data, tmp.len) ? CNRS_BLOCK_INDEX
                                                                     : CNRS_BLOCK_TABLE_ROW;
            continue;
        }
        if (ln->size >= 1.15f * body || (ln->bold && ln->size >= 0.95f * body))
            ln->flags |= S_L_HEADCAND;
    }
    /* Runs of heading candidates: same flow, same size, line spacing. */
    for (size_t i = 0; i < L->nlines;) {
        S_line *ln = &L->lines[i];
        if (!(ln->flags & S_L_HEADCAND) || ln->kind != CNRS_BLOCK_BODY) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < L->nlines) {
            const S_line *p = &L->lines[j - 1], *q = &L->lines[j];
            if (!(q->flags & S_L_HEADCAND) || q->kind != CNRS_BLOCK_BODY || !S_same_flow(p, q) ||
                fabsf(q->size - p->size) > 0.05f * p->size ||
                q->y0 - p->y1 > 0.9f * (p->y1 - p->y0) || q->y0 < p->y0)
                break;
            j++;
        }
        int w = 0;
        for (size_t k = i; k < j; k++)
            w += S_width(L->norm.data + L->lines[k].noff, L->lines[k].nlen);
        const S_line *last = &L->lines[j - 1];
        int ok = j - i <= 3 && w <= 80 && !S_ends_sentence(L->norm.data + last->noff, last->nlen);
        /* Body-size bold text must stand alone to be a heading. */
        if (ok && ln->size < 1.15f * body && j - i > 1)
            ok = 0;
        for (size_t k = i; k < j; k++) {
            if (!ok)
                continue;
            L->lines[k].kind = CNRS_BLOCK_HEADING;
            if (k + 1 < j)
                L->lines[k].flags |= S_L_HCONT;
        }
        i = j;
    }
    cnrs_buf_free(&tmp);
}

/* ---- heading levels -------------------------------------------------------- */

static int S_float_desc(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x < y) - (x > y);
}

/* A heading's level is the rank of its font size among the document's
 * heading sizes, largest first (1..CNRS_MAX_LEVEL); sizes within 8% of a
 * rank's largest share it, so OCR's word heights and rounding do not make
 * siblings nest. Headings without a letter ("95%") name no section
 * (doc.h) and are not ranked, nor are a cover's (the first page of
 * several): its large titles would otherwise head every path, so they take
 * level 1 and the first chapter title replaces them. The first line of a
 * run stands for it. */
static void S_levels(cnrs_layout *L)
{
    float *sz = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < L->nlines; i++) {
        const S_line *ln = &L->lines[i];
        if (ln->kind != CNRS_BLOCK_HEADING || (i && (L->lines[i - 1].flags & S_L_HCONT) &&
                                               L->lines[i - 1].kind == CNRS_BLOCK_HEADING))
            continue;
        if ((ln->page == 0 && L->npages > 1) || (ln->flags & S_L_CHART) ||
            !cnrs_line_has_letter(L->norm.data + ln->noff, ln->nlen))
            continue;
        sz = cnrs_xgrow(sz, &cap, n + 1, sizeof *sz);
        sz[n++] = ln->size;
    }
    if (n)
        qsort(sz, n, sizeof *sz, S_float_desc);
    float tops[CNRS_MAX_LEVEL];
    size_t ntops = 0;
    for (size_t k = 0; k < n && ntops < CNRS_MAX_LEVEL; k++)
        if (ntops == 0 || sz[k] < 0.92f * tops[ntops - 1])
            tops[ntops++] = sz[k];
    for (size_t i = 0; i < L->nlines; i++) {
        S_line *ln = &L->lines[i];
        if (ln->kind != CNRS_BLOCK_HEADING)
            continue;
        if (ln->flags & S_L_CHART) { /* a chart's caption nests under its section */
            ln->level = CNRS_MAX_LEVEL;
            continue;
        }
        size_t r = 0; /* the ranks whose top reaches this size */
        while (r < ntops && tops[r] >= ln->size)
            r++;
        ln->level = (uint8_t)(r ? r : 1);
    }
    free(sz);
}

/* ---- column extents -------------------------------------------------------- */

static void S_columns(cnrs_layout *L)
{
    for (size_t p = 0; p < L->npages; p++) {
        S_page *pg = &L->pages[p];
        for (int s = 0; s <= S_MAXCOL; s++) {
            pg->colL[s] = FLT_MAX;
            pg->colR[s] = -FLT_MAX;
        }
        for (size_t i = pg->line0; i < pg->line0 + pg->nlines; i++) {
            const S_line *ln = &L->lines[i];
            if (ln->nseg != 1 || ln->kind == CNRS_BLOCK_FURNITURE || ln->kind == CNRS_BLOCK_TOC ||
                ln->kind == CNRS_BLOCK_INDEX || (ln->flags & S_L_CHART))
                continue;
            pg->colL[ln->side] = S_fmin(pg->colL[ln->side], ln->x0);
            pg->colR[ln->side] = S_fmax(pg->colR[ln->side], ln->x1);
        }
    }
}

/* ---- tables ------------------------------------------------------------------ */

/* A year cell: 2022, 2022年, 2022年度, FY2022, FY22. Returns its length in
 * the output ("2022"), with *start where the year digits begin. */
static int S_year_cell(const char *s, size_t n, size_t *start, size_t *len)
{
    size_t i = 0;
    if (n >= 2 && (s[0] == 'F' || s[0] == 'f') && (s[1] == 'Y' || s[1] == 'y')) {
        i = 2;
        while (i < n && s[i] == ' ')
            i++;
        size_t d = i;
        while (d < n && s[d] >= '0' && s[d] <= '9')
            d++;
        if ((d - i == 2 || d - i == 4) && d == n) {
            *start = 0;
            *len = n;
            return 1;
        }
        return 0;
    }
    if (n < 4 || !((s[0] == '1' && s[1] == '9') || (s[0] == '2' && s[1] == '0')) ||
        !(s[2] >= '0' && s[2] <= '9') || !(s[3] >= '0' && s[3] <= '9'))
        return 0;
    size_t e = 4;
    static const char nian[] = "\xE5\xB9\xB4", du[] = "\xE5\xBA\xA6"; /* 年 度 */
    if (e + 3 <= n && !memcmp(s + e, nian, 3)) {
        e += 3;
        if (e + 3 <= n && !memcmp(s + e, du, 3))
            e += 3;
    }
    if (e != n)
        return 0;
    *start = 0;
    *len = 4;
    return 1;
}

static int S_unit_header(const char *s, size_t n)
{
    static const char danwei[] = "\xE5\x8D\x95\xE4\xBD\x8D"; /* 单位 */
    if (n == 6 && !memcmp(s, danwei, 6))
        return 1;
    if ((n == 4 || n == 5) && (s[0] == 'U' || s[0] == 'u') && !memcmp(s + 1, "nit", 3) &&
        (n == 4 || s[4] == 's'))
        return 1;
    return 0;
}

enum { S_COL_OTHER = 0, S_COL_YEAR, S_COL_UNIT };

typedef struct S_hcol {
    float x0, x1;
    int type;
    char year[16];
} S_hcol;

/* Index of the header column best under [x0, x1), or -1. */
static int S_hcol_for(const S_hcol *h, size_t nh, float x0, float x1)
{
    int best = -1;
    float bov = 0, bd = FLT_MAX;
    for (size_t k = 0; k < nh; k++) {
        float ov = S_fmin(x1, h[k].x1) - S_fmax(x0, h[k].x0);
        float d = fabsf((x0 + x1) / 2 - (h[k].x0 + h[k].x1) / 2);
        if (ov > bov || (bov <= 0 && ov <= 0 && d < bd)) {
            if (ov > bov)
                bov = ov;
            bd = d;
            best = (int)k;
        }
    }
    if (best >= 0 && bov <= 0 && bd > 2 * (h[best].x1 - h[best].x0) + 20)
        return -1;
    return best;
}

/* Write the row text of table row `ln` (with header columns h, or none). */
static void S_row_text(cnrs_layout *L, S_line *ln, const S_hcol *h, size_t nh,
                       const cnrs_buf *label)
{
    cnrs_buf *out = &L->rowtext;
    ln->roff = out->len;
    ln->has_row = 1;
    /* The unit cell, if the header has a unit column. */
    const S_seg *unit = NULL;
    int years = 0;
    for (size_t k = 1; k < ln->nseg && nh; k++) {
        const S_seg *g = &L->segs[ln->seg + k];
        int c = S_hcol_for(h, nh, g->x0, g->x1);
        if (c >= 0 && h[c].type == S_COL_UNIT)
            unit = g;
        years += c >= 0 && h[c].type == S_COL_YEAR;
    }
    if (!years)
        unit = NULL;
    for (size_t k = 0; k < ln->nseg; k++) {
        const S_seg *g = &L->segs[ln->seg + k];
        if (g == unit)
            continue;
        if (out->len > ln->roff)
            cnrs_buf_puts(out, " | ");
        if (k == 0 && label && label->len) {
            cnrs_buf_append(out, label->data, label->len);
            continue;
        }
        int c = k > 0 && nh ? S_hcol_for(h, nh, g->x0, g->x1) : -1;
        if (c >= 0 && h[c].type == S_COL_YEAR) {
            cnrs_buf_puts(out, h[c].year);
            cnrs_buf_putc(out, ' ');
        }
        cnrs_buf_append(out, L->text.data + g->off, g->len);
        if (c >= 0 && h[c].type == S_COL_YEAR && unit) {
            cnrs_buf_putc(out, ' ');
            cnrs_buf_append(out, L->text.data + unit->off, unit->len);
        }
    }
    ln->rlen = out->len - ln->roff;
}

static void S_tables(cnrs_layout *L)
{
    cnrs_buf tmp = CNRS_BUF_INIT, label = CNRS_BUF_INIT;
    S_hcol *h = NULL;
    size_t hcap = 0;
    for (size_t i = 0; i < L->nlines;) {
        S_line *ln = &L->lines[i];
        if (ln->kind != CNRS_BLOCK_TABLE_ROW || (ln->flags & S_L_CHART)) {
            i++;
            continue;
        }
        /* The table: table rows of one flow, and label continuations: a
         * one-segment line left of the second cell of the row above, close
         * under it, with more rows below it or opening with a bracket (a
         * unit), so a note under the table stays a note. */
        size_t j = i + 1, last_row = i;
        float last_y1 = ln->y1;
        while (j < L->nlines) {
            S_line *q = &L->lines[j];
            if (q->kind == CNRS_BLOCK_FURNITURE) {
                j++;
                continue;
            }
            if (!S_same_flow(ln, q))
                break;
            if (q->kind == CNRS_BLOCK_TABLE_ROW) {
                last_row = j;
                last_y1 = q->y1;
                j++;
                continue;
            }
            const S_line *p = &L->lines[last_row];
            if (q->kind != CNRS_BLOCK_BODY || q->nseg != 1 || p->nseg < 2 ||
                q->x1 > L->segs[p->seg + 1].x0 || q->y0 - last_y1 > 0.8f * (q->y1 - q->y0) ||
                q->y0 < p->y0)
                break;
            size_t nx = j + 1;
            while (nx < L->nlines && L->lines[nx].kind == CNRS_BLOCK_FURNITURE)
                nx++;
            int more = nx < L->nlines && S_same_flow(ln, &L->lines[nx]) &&
                       L->lines[nx].kind == CNRS_BLOCK_TABLE_ROW &&
                       L->lines[nx].y0 - q->y1 <= 0.8f * (q->y1 - q->y0);
            uint32_t c0 = S_first_cp(L->norm.data + q->noff, q->nlen);
            if (!more && c0 != '(' && c0 != '[')
                break;
            q->flags |= S_L_ABSORBED;
            last_y1 = q->y1;
            j++;
        }
        /* Header columns from the first row when it holds years. */
        size_t nh = 0, nyears = 0;
        h = cnrs_xgrow(h, &hcap, ln->nseg + 1, sizeof *h);
        for (size_t k = 0; k < ln->nseg; k++) {
            const S_seg *g = &L->segs[ln->seg + k];
            S_seg_norm(L, g, &tmp);
            S_hcol *c = &h[nh++];
            *c = (S_hcol){g->x0, g->x1, S_COL_OTHER, {0}};
            size_t ys, yl;
            if (k > 0 && S_year_cell(tmp.data, tmp.len, &ys, &yl) && yl < sizeof c->year) {
                c->type = S_COL_YEAR;
                memcpy(c->year, tmp.data + ys, yl);
                nyears++;
            } else if (k > 0 && S_unit_header(tmp.data, tmp.len)) {
                c->type = S_COL_UNIT;
            }
        }
        if (!nyears)
            nh = 0;
        S_row_text(L, ln, NULL, 0, NULL);
        for (size_t k = i + 1; k < j; k++) {
            S_line *q = &L->lines[k];
            if (q->kind != CNRS_BLOCK_TABLE_ROW)
                continue;
            /* Its label with the continuation lines below it. */
            cnrs_buf_reset(&label);
            const S_seg *g0 = &L->segs[q->seg];
            cnrs_buf_append(&label, L->text.data + g0->off, g0->len);
            for (size_t c = k + 1; c < j && (L->lines[c].flags & S_L_ABSORBED); c++) {
                const S_seg *g = &L->segs[L->lines[c].seg];
                S_join(&label, L->text.data + g->off, g->len, 0, 0, 1);
            }
            S_row_text(L, q, h, nh, &label);
        }
        i = j;
    }
    free(h);
    cnrs_buf_free(&tmp);
    cnrs_buf_free(&label);
}

/* ---- paragraphs --------------------------------------------------------------- */

/* A list item opens the line: cnrs_line_starts_list, or one of the other
 * bullets segment.c knows (∙ ‣ ⁃ ◦ ▫ ✔ ❖, private-use Wingdings). */
static int S_opens_item(const char *s, size_t n)
{
    if (cnrs_line_starts_list(s, n))
        return 1;
    switch (S_first_cp(s, n)) {
    case 0x2023: case 0x2043: case 0x2219: case 0x25AB: case 0x25E6: case 0x2714: case 0x2756:
    case 0xF06C: case 0xF06E: case 0xF0A7: case 0xF0B7: case 0xF0D8:
        return 1;
    }
    return 0;
}

/* Body lines join into paragraphs (layout.h step 9). A line is indented
 * when it starts more than 1.2 em past its column's left edge on its page,
 * unless it hangs under a list item: its paragraph opened with a list item
 * and it starts 0.3 to 3 em past the item's first line (measured from each
 * line's column edge when the item runs on into the next column or page). */
static void S_paragraphs(cnrs_layout *L)
{
    for (size_t i = 0; i < L->nlines; i++) {
        S_line *a = &L->lines[i];
        if (a->kind != CNRS_BLOCK_BODY || (a->flags & S_L_ABSORBED))
            continue;
        const char *ta = L->norm.data + a->noff;
        if (!(a->flags & S_L_JOINED) && S_opens_item(ta, a->nlen)) {
            a->flags |= S_L_ITEM;
            a->item = a->x0;
        }
        size_t j = i + 1;
        while (j < L->nlines &&
               (L->lines[j].kind == CNRS_BLOCK_FURNITURE || (L->lines[j].flags & S_L_CHART)))
            j++;
        if (j >= L->nlines)
            break;
        S_line *b = &L->lines[j];
        if (b->kind != CNRS_BLOCK_BODY || (b->flags & S_L_ABSORBED) || b->nseg != 1)
            continue;
        float sz = S_fmax(a->size, b->size);
        if (fabsf(a->size - b->size) > 0.15f * sz)
            continue;
        const S_page *pa = &L->pages[a->page], *pb = &L->pages[b->page];
        float la = pa->colL[a->side], ra = pa->colR[a->side];
        float lb = pb->colL[b->side];
        int same = S_same_flow(a, b);
        float hang = 0;
        if (a->flags & S_L_ITEM)
            hang = same ? b->x0 - a->item : (b->x0 - lb) - (a->item - la);
        int hangs = (a->flags & S_L_ITEM) && hang > 0.3f * b->size && hang <= 3.0f * b->size;
        if (!hangs && b->x0 > lb + 1.2f * b->size)
            continue; /* indented: a new paragraph */
        const char *tb = L->norm.data + b->noff;
        if (S_opens_item(tb, b->nlen))
            continue;
        int full = a->x1 >= ra - S_fmax(2.0f * a->size, 0.1f * (ra - la));
        int ends = S_ends_sentence(ta, a->nlen);
        int cont = 0;
        if (same) {
            float gap = b->y0 - a->y1, h = S_fmax(a->y1 - a->y0, b->y1 - b->y0);
            uint32_t first = S_first_cp(tb, b->nlen);
            if (gap <= 0.9f * h && gap >= -0.5f * h)
                cont = full || (!ends && first >= 'a' && first <= 'z');
        } else {
            /* Text in a margin (a column under 10 em) does not run on. */
            cont = full && !ends && ra - la >= 10 * a->size;
        }
        if (!cont)
            continue;
        a->flags |= S_L_CONT;
        b->flags |= S_L_JOINED;
        if (hangs) {
            /* b's own column edge: the item goes on from b's line. */
            b->flags |= S_L_ITEM;
            b->item = same ? a->item : lb + (a->item - la);
        }
    }
}

/* ---- output ---------------------------------------------------------------- */

static void S_break(cnrs_doc *doc, int page)
{
    if (doc->n_raw == 0 || doc->raw_blocks[doc->n_raw - 1].kind == CNRS_BLOCK_BREAK)
        return;
    cnrs_doc_add_raw(doc, page, CNRS_BLOCK_BREAK, "", 0);
}

/* Write line i (a heading run from it) and its BREAK; returns the last
 * line written. */
static size_t S_emit_line(cnrs_layout *L, cnrs_doc *doc, size_t i, cnrs_buf *tmp)
{
    const S_line *ln = &L->lines[i];
    int page = L->pages[ln->page].number;
    cnrs_buf_reset(tmp);
    if (ln->has_row) {
        cnrs_buf_append(tmp, L->rowtext.data + ln->roff, ln->rlen);
    } else if (ln->kind == CNRS_BLOCK_HEADING) {
        /* The heading run as one block. */
        size_t k = i;
        for (;;) {
            const S_line *q = &L->lines[k];
            for (size_t s = 0; s < q->nseg; s++) {
                const S_seg *g = &L->segs[q->seg + s];
                S_join(tmp, L->text.data + g->off, g->len, 0, 0, 1);
            }
            if (!(q->flags & S_L_HCONT) || k + 1 >= L->nlines)
                break;
            k++;
        }
        i = k;
    } else {
        for (size_t s = 0; s < ln->nseg; s++) {
            const S_seg *g = &L->segs[ln->seg + s];
            if (s)
                cnrs_buf_puts(tmp, " | ");
            cnrs_buf_append(tmp, L->text.data + g->off, g->len);
        }
    }
    if (ln->kind == CNRS_BLOCK_HEADING)
        cnrs_doc_add_heading(doc, page, ln->level, tmp->data ? tmp->data : "", tmp->len);
    else
        cnrs_doc_add_raw(doc, page, (cnrs_block_kind)ln->kind, tmp->data ? tmp->data : "",
                         tmp->len);
    if (ln->kind == CNRS_BLOCK_BODY ? !(ln->flags & S_L_CONT) : ln->kind != CNRS_BLOCK_FURNITURE)
        S_break(doc, page);
    return i;
}

static void S_emit(cnrs_layout *L, cnrs_doc *doc)
{
    cnrs_buf tmp = CNRS_BUF_INIT;
    /* A chart met while a paragraph runs on (to the next page) waits until
     * the paragraph ends, so it never cuts a sentence. */
    size_t *held = NULL, nheld = 0, held_cap = 0;
    int open = 0;
    for (size_t i = 0; i < L->nlines; i++) {
        const S_line *ln = &L->lines[i];
        if (ln->flags & S_L_ABSORBED)
            continue;
        if ((ln->flags & S_L_CHART) && open) {
            held = cnrs_xgrow(held, &held_cap, nheld + 1, sizeof *held);
            held[nheld++] = i;
            continue;
        }
        i = S_emit_line(L, doc, i, &tmp);
        if (ln->kind == CNRS_BLOCK_BODY)
            open = (ln->flags & S_L_CONT) != 0;
        else if (ln->kind != CNRS_BLOCK_FURNITURE)
            open = 0;
        if (!open) {
            for (size_t h = 0; h < nheld; h++)
                S_emit_line(L, doc, held[h], &tmp);
            nheld = 0;
        }
    }
    for (size_t h = 0; h < nheld; h++)
        S_emit_line(L, doc, held[h], &tmp);
    free(held);
    if (L->npages && L->pages[L->npages - 1].number > doc->npages)
        doc->npages = L->pages[L->npages - 1].number;
    cnrs_buf_free(&tmp);
}

size_t cnrs_layout_finish(cnrs_layout *L, cnrs_doc *doc)
{
    S_end_page(L);
    S_normalise_lines(L);
    S_furniture(L);
    S_body_size(L);
    S_toc_index(L);
    S_kinds(L);
    S_levels(L);
    S_columns(L);
    S_tables(L);
    S_paragraphs(L);
    S_emit(L, doc);
    doc->paged = 1;
    return L->pieces;
}
