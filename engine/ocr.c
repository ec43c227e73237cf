/* ocr.c - image-only PDF pages through pdftoppm and Tesseract into the layout repair. */
#define _GNU_SOURCE /* mkdtemp */
#include "ocr.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define S_TSV_CAP ((size_t)64 << 20) /* bytes of TSV a page may produce */
#define S_XML_PER_INCH 108.0         /* pdftohtml's XML units: 72 dpi at zoom 1.5 */
#define S_DEFAULT_TIMEOUT 120.0

int cnrs_ocr_mode_parse(const char *s, cnrs_ocr_mode *mode)
{
    static const char *const names[] = {"auto", "never", "always"};
    for (int k = 0; k < 3; k++)
        if (s && strcmp(s, names[k]) == 0) {
            *mode = (cnrs_ocr_mode)k;
            return 1;
        }
    return 0;
}

/* ==== Tesseract's TSV ====================================================== */

void cnrs_ocr_page_free(cnrs_ocr_page *pg)
{
    if (!pg)
        return;
    free(pg->words);
    cnrs_buf_free(&pg->text);
    memset(pg, 0, sizeof *pg);
}

/* A decimal integer field [p, e); 0 when malformed. */
static int S_int(const char *p, const char *e, long *v)
{
    int neg = p < e && *p == '-';
    p += neg;
    if (p >= e)
        return 0;
    long x = 0;
    for (; p < e; p++) {
        if (*p < '0' || *p > '9' || x > 100000000)
            return 0;
        x = x * 10 + (*p - '0');
    }
    *v = neg ? -x : x;
    return 1;
}

static int S_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

size_t cnrs_ocr_parse_tsv(const char *tsv, size_t n, cnrs_ocr_page *pg)
{
    size_t added = 0;
    long line_id[3] = {-1, -1, -1}; /* block, paragraph, line of the last level-4 row */
    long line_top = 0, line_h = 0;
    size_t last_line_word = (size_t)-1; /* nwords after the last word of the current line */
    const char *p = tsv, *end = tsv + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        const char *f[12];
        const char *fe[12];
        int k = 0;
        const char *q = p;
        while (k < 12) {
            const char *tab = k < 11 ? memchr(q, '\t', (size_t)(eol - q)) : NULL;
            f[k] = q;
            fe[k] = tab ? tab : eol;
            k++;
            if (!tab)
                break;
            q = tab + 1;
        }
        p = nl ? nl + 1 : end;
        long v[11];
        int ok = k >= 11;
        for (int i = 0; ok && i < 10; i++)
            ok = S_int(f[i], fe[i], &v[i]);
        if (!ok) /* the header line, or malformed */
            continue;
        if (v[0] == 1) {
            pg->img_w = (double)v[8];
            pg->img_h = (double)v[9];
        } else if (v[0] == 4) {
            last_line_word = (size_t)-1;
            line_id[0] = v[2];
            line_id[1] = v[3];
            line_id[2] = v[4];
            line_top = v[7];
            line_h = v[9];
        } else if (v[0] == 5 && k == 12) {
            size_t len = (size_t)(fe[11] - f[11]);
            if (len && f[11][len - 1] == '\r')
                len--;
            if (len == 0 || S_blank(f[11], len) || v[8] < 0 || v[9] <= 0)
                continue;
            int in_line = v[2] == line_id[0] && v[3] == line_id[1] && v[4] == line_id[2];
            /* Tesseract's boxes of neighbouring words in a line may overlap
             * (a CJK word's box can reach over the next two characters); the
             * layout reads overlapping boxes as separate cells, so the
             * earlier box ends where the next one starts. */
            if (in_line && last_line_word == pg->nwords && pg->nwords) {
                cnrs_ocr_word *pw = &pg->words[pg->nwords - 1];
                if (pw->left + pw->width > (double)v[6])
                    pw->width = (double)v[6] > pw->left ? (double)v[6] - pw->left : 0;
            }
            pg->words = cnrs_xgrow(pg->words, &pg->cap, pg->nwords + 1, sizeof *pg->words);
            cnrs_ocr_word *w = &pg->words[pg->nwords++];
            w->left = (double)v[6];
            w->width = (double)v[8];
            w->top = (double)(in_line ? line_top : v[7]);
            w->height = (double)(in_line && line_h > 0 ? line_h : v[9]);
            w->off = pg->text.len;
            w->len = len;
            cnrs_buf_append(&pg->text, f[11], len);
            added++;
            last_line_word = in_line ? pg->nwords : (size_t)-1;
        }
    }
    return added;
}

void cnrs_ocr_feed(const cnrs_ocr_page *pg, double scale, cnrs_layout *L)
{
    for (size_t i = 0; i < pg->nwords; i++) {
        const cnrs_ocr_word *w = &pg->words[i];
        double h = w->height * scale;
        /* The line height is the font size: Tesseract's line box runs from
         * the tallest glyph's top to the lowest descender, about one em. */
        cnrs_layout_piece(L, w->left * scale, w->top * scale, w->width * scale, h, h, 0,
                          pg->text.data + w->off, w->len);
    }
}

/* ==== running pdftoppm and tesseract ======================================= */

typedef struct S_ocr {
    const char *path;   /* for messages */
    const char *arg;    /* the file as given to pdftoppm */
    const char *tess, *ppm, *lang;
    char dpi[16];
    double timeout;
    char **env;         /* environ with OMP_THREAD_LIMIT=1 */
    char dir[4096];     /* the temporary directory */
    cnrs_ocr_page *pages;
    size_t npages;
    const cnrs_ocr_opts *oo;
    double t0;
    pthread_mutex_t mu; /* guards the fields below */
    size_t next, done;
    cnrs_status st;     /* the first failure */
    cnrs_error err;
} S_ocr;

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int S_has(const char *s, const char *lit)
{
    return s && strstr(s, lit) != NULL;
}

static cnrs_status S_missing(const S_ocr *o, const char *prog, cnrs_error *err)
{
    return cnrs_error_set(err, CNRS_ERR_TOOL,
                          "%s: %s not found or not executable (OCR needs tesseract-ocr and "
                          "poppler-utils: apt-get install tesseract-ocr tesseract-ocr-chi-sim "
                          "tesseract-ocr-chi-tra tesseract-ocr-eng poppler-utils; or --ocr never)",
                          o->path, prog);
}

/* Run argv to its end for page `page`; stdout into `out` (NULL: dropped). */
static cnrs_status S_run(const S_ocr *o, const char *const argv[], int page, cnrs_buf *out,
                         cnrs_error *err)
{
    cnrs_child_opts co = {o->timeout, out ? S_TSV_CAP : 0, 4096, (const char *const *)o->env};
    cnrs_child *c;
    cnrs_status st = cnrs_child_start(argv, &co, &c, err);
    if (st == CNRS_ERR_TOOL)
        return S_missing(o, argv[0], err);
    if (st != CNRS_OK) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err ? err->msg : "cannot start");
        return cnrs_error_set(err, st, "%s: %s", o->path, why);
    }
    char buf[16384];
    long n;
    while ((n = cnrs_child_read(c, buf, sizeof buf)) > 0)
        if (out)
            cnrs_buf_append(out, buf, (size_t)n);
    cnrs_child_result r;
    cnrs_child_finish(c, &r);
    char first[200];
    size_t fl = strcspn(r.err, "\n");
    snprintf(first, sizeof first, "%.*s", (int)(fl < sizeof first ? fl : sizeof first - 1),
             r.err);
    if (r.fail == CNRS_CHILD_TIMEOUT)
        st = cnrs_error_set(err, CNRS_ERR_TIMEOUT,
                            "%s: %s did not finish page %d within %g s (killed)", o->path,
                            argv[0], page, o->timeout);
    else if (r.fail == CNRS_CHILD_OVERCAP)
        st = cnrs_error_set(err, CNRS_ERR_LIMIT, "%s: %s output for page %d over %zu bytes",
                            o->path, argv[0], page, (size_t)S_TSV_CAP);
    else if (r.fail != CNRS_CHILD_OK)
        st = cnrs_error_set(err, CNRS_ERR_IO, "%s: cannot read %s's output for page %d",
                            o->path, argv[0], page);
    else if (r.exited && r.status == 127 && r.out_bytes == 0)
        st = S_missing(o, argv[0], err); /* exec failed after the spawn (pdf.c) */
    else if (S_has(r.err, "Failed loading language") || S_has(r.err, "load any languages"))
        st = cnrs_error_set(err, CNRS_ERR_TOOL,
                            "%s: Tesseract has no data for the languages %s (apt-get install "
                            "tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng): %s",
                            o->path, o->lang, first);
    else if (!r.exited || r.status != 0)
        st = cnrs_error_set(err, CNRS_ERR_CORRUPT, "%s: %s failed on page %d (%s %d: %s)",
                            o->path, argv[0], page, r.exited ? "exit" : "signal", r.status,
                            first[0] ? first : "no message");
    cnrs_child_free(c);
    return st;
}

/* Rasterise and OCR one page into pg. */
static cnrs_status S_page(const S_ocr *o, cnrs_ocr_page *pg, cnrs_error *err)
{
    char num[16], root[4200], img[4300];
    snprintf(num, sizeof num, "%d", pg->number);
    snprintf(root, sizeof root, "%s/p%d", o->dir, pg->number);
    snprintf(img, sizeof img, "%s.pgm", root);
    const char *ppm[] = {o->ppm, "-r", o->dpi, "-gray", "-f", num, "-l", num, "-singlefile",
                         o->arg, root, NULL};
    cnrs_status st = S_run(o, ppm, pg->number, NULL, err);
    if (st == CNRS_OK) {
        const char *tess[] = {o->tess, img, "stdout", "--dpi", o->dpi, "-l", o->lang, "tsv",
                              NULL};
        cnrs_buf tsv = CNRS_BUF_INIT;
        st = S_run(o, tess, pg->number, &tsv, err);
        if (st == CNRS_OK)
            cnrs_ocr_parse_tsv(tsv.data ? tsv.data : "", tsv.len, pg);
        cnrs_buf_free(&tsv);
    }
    unlink(img);
    return st;
}

static void *S_worker(void *arg)
{
    S_ocr *o = arg;
    for (;;) {
        pthread_mutex_lock(&o->mu);
        size_t i = o->next;
        int stop = o->st != CNRS_OK || i >= o->npages;
        if (!stop)
            o->next++;
        pthread_mutex_unlock(&o->mu);
        if (stop)
            break;
        cnrs_error e = {0};
        cnrs_status st = S_page(o, &o->pages[i], &e);
        pthread_mutex_lock(&o->mu);
        if (st != CNRS_OK && o->st == CNRS_OK) {
            o->st = st;
            o->err = e;
        }
        o->done++;
        if (o->oo && o->oo->on_progress && o->st == CNRS_OK) {
            cnrs_ocr_progress p = {o->path, (int)o->done, (int)o->npages, S_now() - o->t0};
            o->oo->on_progress(o->oo->ctx, &p);
        }
        pthread_mutex_unlock(&o->mu);
    }
    return NULL;
}

/* The environment for the children: ours, with OMP_THREAD_LIMIT=1 (pages
 * run in parallel already; Tesseract's OpenMP threads would only compete). */
static char **S_env(void)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **env = cnrs_xcalloc(n + 2, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "OMP_THREAD_LIMIT=", 17) != 0)
            env[k++] = environ[i];
    env[k] = (char *)"OMP_THREAD_LIMIT=1";
    return env;
}

/* OCR o->pages in parallel. */
static cnrs_status S_ocr_pages(S_ocr *o, cnrs_error *err)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(o->dir, sizeof o->dir, "%s/cnrs-ocr-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(o->dir))
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: cannot make a temporary directory in %s: %s",
                              o->path, tmp && *tmp ? tmp : "/tmp", strerror(errno));
    o->env = S_env();
    o->t0 = S_now();
    pthread_mutex_init(&o->mu, NULL);
    if (o->oo && o->oo->on_progress) { /* the line shows while the first pages run */
        cnrs_ocr_progress p = {o->path, 0, (int)o->npages, 0};
        o->oo->on_progress(o->oo->ctx, &p);
    }
    int jobs = o->oo && o->oo->jobs > 0 ? o->oo->jobs : 1;
    if ((size_t)jobs > o->npages)
        jobs = (int)o->npages;
    pthread_t tid[64];
    int started = 0;
    for (; started < jobs - 1 && started < 64; started++)
        if (pthread_create(&tid[started], NULL, S_worker, o) != 0)
            break;
    S_worker(o); /* this thread is one of the workers */
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&o->mu);
    rmdir(o->dir);
    free(o->env);
    if (o->st != CNRS_OK && err)
        *err = o->err;
    return o->st;
}

/* ==== PDF ================================================================== */

typedef struct S_fill {
    const cnrs_ocr_page *pages; /* sorted by number */
    size_t n;
    double dpi;
} S_fill;

static double S_scale(const cnrs_ocr_page *pg, double width, double dpi)
{
    return width > 0 && pg->img_w > 0 ? width / pg->img_w : S_XML_PER_INCH / dpi;
}

/* pdfxml page_end: the OCR words of an OCRed page. */
static void S_fill_page(void *ctx, int number, double width, double height, cnrs_layout *L)
{
    (void)height;
    const S_fill *f = ctx;
    for (size_t i = 0; i < f->n; i++)
        if (f->pages[i].number == number)
            cnrs_ocr_feed(&f->pages[i], S_scale(&f->pages[i], width, f->dpi), L);
}

static cnrs_status S_fail(cnrs_doc *doc, cnrs_status st, const cnrs_error *e, cnrs_error *err)
{
    cnrs_doc_free(doc);
    if (err)
        *err = *e;
    return st;
}

cnrs_status cnrs_ocr_read_pdf(const char *path, const cnrs_pdf_opts *po, const cnrs_ocr_opts *oo,
                              cnrs_doc **out, cnrs_error *err)
{
    *out = NULL;
    cnrs_ocr_mode mode = oo ? oo->mode : CNRS_OCR_AUTO;
    cnrs_doc *doc = cnrs_doc_new(path, CNRS_FMT_PDF);
    cnrs_error e = {0};
    cnrs_status st = cnrs_pdf_read(path, po, doc, &e);
    if (st != CNRS_OK && (st != CNRS_ERR_NOTEXT || mode == CNRS_OCR_NEVER))
        return S_fail(doc, st, &e, err);
    int np = doc->npages;
    if (mode == CNRS_OCR_NEVER || np < 1) {
        *out = doc;
        return CNRS_OK;
    }
    /* Pages that got no text piece. */
    char *has = cnrs_xcalloc((size_t)np + 1, 1);
    for (size_t i = 0; i < doc->n_raw; i++) {
        int pg = doc->raw_blocks[i].page;
        if (doc->raw_blocks[i].kind != CNRS_BLOCK_BREAK && pg >= 1 && pg <= np)
            has[pg] = 1;
    }
    S_ocr o;
    memset(&o, 0, sizeof o);
    o.pages = cnrs_xcalloc((size_t)np, sizeof *o.pages);
    for (int p = 1; p <= np; p++)
        if (mode == CNRS_OCR_ALWAYS || !has[p])
            o.pages[o.npages++].number = p;
    free(has);
    if (o.npages == 0) {
        free(o.pages);
        *out = doc;
        return CNRS_OK;
    }
    int dpi = oo && oo->dpi > 0 ? oo->dpi : CNRS_OCR_DEFAULT_DPI;
    char *arg = NULL;
    if (path[0] == '-') { /* not an option to pdftoppm */
        arg = cnrs_xmalloc(strlen(path) + 3);
        memcpy(arg, "./", 2);
        strcpy(arg + 2, path);
    }
    o.path = path;
    o.arg = arg ? arg : path;
    o.tess = oo && oo->tesseract ? oo->tesseract : "tesseract";
    o.ppm = oo && oo->pdftoppm ? oo->pdftoppm : "pdftoppm";
    o.lang = oo && oo->lang ? oo->lang : CNRS_OCR_DEFAULT_LANG;
    snprintf(o.dpi, sizeof o.dpi, "%d", dpi);
    o.timeout = oo && oo->timeout > 0 ? oo->timeout : S_DEFAULT_TIMEOUT;
    o.oo = oo;
    o.st = CNRS_OK;
    cnrs_status ost = S_ocr_pages(&o, &e);
    free(arg);
    size_t words = 0;
    for (size_t i = 0; i < o.npages; i++)
        words += o.pages[i].nwords;
    cnrs_doc *res = NULL;
    if (ost != CNRS_OK) {
        st = ost;
    } else if (words == 0 && mode == CNRS_OCR_AUTO && st == CNRS_OK) {
        res = doc; /* OCR added nothing: the text pages as they were */
        doc = NULL;
    } else if (words == 0) {
        st = cnrs_error_set(&e, CNRS_ERR_NOTEXT,
                            "%s: no text layer, OCR needed, and OCR found no text (%d page%s)",
                            path, np, np == 1 ? "" : "s");
    } else if (mode == CNRS_OCR_ALWAYS) {
        /* The text layer is ignored: the layout is built from OCR alone. */
        res = cnrs_doc_new(path, CNRS_FMT_PDF);
        cnrs_layout *L = cnrs_layout_new();
        for (size_t i = 0; i < o.npages; i++) {
            const cnrs_ocr_page *pg = &o.pages[i];
            double s = S_scale(pg, 0, dpi);
            cnrs_layout_page(L, pg->number, pg->img_w * s, pg->img_h * s);
            cnrs_ocr_feed(pg, s, L);
        }
        cnrs_layout_finish(L, res);
        cnrs_layout_free(L);
        res->copy_restricted = doc->copy_restricted;
        st = CNRS_OK;
    } else {
        /* pdftohtml again, the OCR words added to their pages as they end. */
        S_fill f = {o.pages, o.npages, dpi};
        cnrs_pdf_opts p2 = po ? *po : (cnrs_pdf_opts){0};
        p2.page_end = S_fill_page;
        p2.page_ctx = &f;
        res = cnrs_doc_new(path, CNRS_FMT_PDF);
        st = cnrs_pdf_read(path, &p2, res, &e);
    }
    for (size_t i = 0; i < o.npages; i++)
        cnrs_ocr_page_free(&o.pages[i]);
    free(o.pages);
    cnrs_doc_free(doc);
    if (st != CNRS_OK)
        return S_fail(res, st, &e, err);
    if (words)
        res->ocr = 1;
    *out = res;
    return CNRS_OK;
}
