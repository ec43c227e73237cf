/* manifest.c - CSV manifests (see manifest.h). */
#include "manifest.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "decode.h"

/* ---- columns ------------------------------------------------------------- */

enum { S_COL_PATH, S_COL_COMPANY, S_COL_CODE, S_COL_YEAR, S_COL_INDUSTRY, S_COL_SIZE, S_COL_TYPE,
       S_NCOLS };

static const char *const S_col_names[S_NCOLS][5] = {
    {"path", "file", "路径", "文件", NULL},
    {"company", "name", "公司", "公司名称", NULL},
    {"code", "stock_code", "代码", "股票代码", NULL},
    {"year", "年份", "年度", NULL, NULL},
    {"industry", "行业", NULL, NULL, NULL},
    {"size", "规模", NULL, NULL, NULL},
    {"report_type", "type", "报告类型", NULL, NULL},
};

static int S_column(const char *name)
{
    for (int c = 0; c < S_NCOLS; c++)
        for (int k = 0; k < 5 && S_col_names[c][k]; k++)
            if (strcasecmp(name, S_col_names[c][k]) == 0)
                return c;
    return -1;
}

/* ---- records --------------------------------------------------------------- */

typedef struct S_record {
    char **f; /* fields, NUL-terminated copies */
    size_t n, cap;
    unsigned long line;
    const char *err; /* first problem, static text */
    int unclosed;    /* a quote ran to the end of the text */
    size_t start, end; /* raw span in the text */
} S_record;

static void S_record_clear(S_record *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->f[i]);
    r->n = 0;
    r->err = NULL;
    r->unclosed = 0;
}

static int S_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Parse one record starting at *pos; advance *pos and *line past it. */
static void S_next_record(const char *s, size_t len, size_t *pos, unsigned long *line, S_record *r)
{
    S_record_clear(r);
    r->line = *line;
    r->start = *pos;
    size_t p = *pos;
    cnrs_buf fb = CNRS_BUF_INIT;
    for (;;) {
        cnrs_buf_reset(&fb);
        size_t q = p;
        while (q < len && S_blank(s[q]))
            q++;
        if (q < len && s[q] == '"') {
            p = q + 1;
            int closed = 0;
            while (p < len) {
                if (s[p] == '"') {
                    if (p + 1 < len && s[p + 1] == '"') {
                        cnrs_buf_putc(&fb, '"');
                        p += 2;
                        continue;
                    }
                    p++;
                    closed = 1;
                    break;
                }
                if (s[p] == '\n')
                    (*line)++;
                cnrs_buf_putc(&fb, s[p++]);
            }
            if (!closed) {
                r->unclosed = 1;
                r->err = "a quoted field is not closed (the rest of its line is skipped)";
            }
            while (p < len && S_blank(s[p]))
                p++;
            if (p < len && s[p] != ',' && s[p] != '\n') {
                if (!r->err)
                    r->err = "text after a closing quote";
                while (p < len && s[p] != ',' && s[p] != '\n')
                    p++;
            }
        } else {
            size_t a = q;
            while (p < len && s[p] != ',' && s[p] != '\n')
                p++;
            size_t b = p;
            while (b > a && S_blank(s[b - 1]))
                b--;
            if (b > a)
                cnrs_buf_append(&fb, s + a, b - a);
        }
        r->f = cnrs_xgrow(r->f, &r->cap, r->n + 1, sizeof *r->f);
        r->f[r->n++] = cnrs_xstrndup(fb.data ? fb.data : "", fb.len);
        if (p < len && s[p] == ',') {
            p++;
            continue;
        }
        r->end = p;
        if (p < len && s[p] == '\n') {
            p++;
            (*line)++;
        }
        break;
    }
    cnrs_buf_free(&fb);
    *pos = p;
}

static int S_record_blank(const S_record *r)
{
    return r->n == 1 && r->f[0][0] == '\0' && !r->err;
}

/* ---- values ---------------------------------------------------------------- */

static void S_problem(cnrs_manifest *m, const S_record *r, const char *s, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void S_problem(cnrs_manifest *m, const S_record *r, const char *s, const char *fmt, ...)
{
    m->problems = cnrs_xgrow(m->problems, &m->problems_cap, m->nproblems + 1, sizeof *m->problems);
    cnrs_manifest_problem *p = &m->problems[m->nproblems++];
    cnrs_buf b = CNRS_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    cnrs_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    p->line = r->line;
    p->msg = cnrs_buf_steal(&b);
    p->text = cnrs_xstrndup(s + r->start, r->end - r->start);
}

/* A year field: digits (optionally followed by 年) in 1990-2099; 0 for an
 * empty field; -1 when malformed. */
static int S_year(const char *v)
{
    if (!*v)
        return 0;
    size_t d = strspn(v, "0123456789");
    if (d != 4 || (v[d] && strcmp(v + d, "年") != 0))
        return -1;
    int y = atoi(v);
    return y >= 1990 && y <= 2099 ? y : -1;
}

/* ---- public ------------------------------------------------------------------ */

cnrs_status cnrs_manifest_parse(const char *name, const char *data, size_t len,
                                cnrs_manifest **out, cnrs_error *err)
{
    *out = NULL;
    char *text = NULL;
    size_t tlen = 0;
    const char *enc = NULL;
    cnrs_status st = cnrs_decode_text(name, data, len, &text, &tlen, &enc, err);
    if (st != CNRS_OK)
        return st;

    cnrs_manifest *m = cnrs_xcalloc(1, sizeof *m);
    m->path = cnrs_xstrdup(name);
    const char *slash = strrchr(name, '/');
    m->dir = slash ? cnrs_xstrndup(name, slash == name ? 1 : (size_t)(slash - name))
                   : cnrs_xstrdup(".");

    size_t pos = 0;
    unsigned long line = 1;
    S_record r = {0};
    int col[S_NCOLS];
    size_t ncols = 0;
    int have_header = 0;
    while (pos < tlen) {
        S_next_record(text, tlen, &pos, &line, &r);
        if (r.unclosed) {
            /* The quote swallowed everything after it: report the record's
             * first line and go on with the next one. */
            const char *nl = memchr(text + r.start, '\n', tlen - r.start);
            r.end = nl ? (size_t)(nl - text) : tlen;
            pos = nl ? r.end + 1 : tlen;
            line = r.line + 1;
            if (!have_header)
                continue;
        }
        if (S_record_blank(&r))
            continue;
        if (!have_header) {
            for (int c = 0; c < S_NCOLS; c++)
                col[c] = -1;
            for (size_t i = 0; i < r.n; i++) {
                int c = S_column(r.f[i]);
                if (c >= 0 && col[c] < 0)
                    col[c] = (int)i;
            }
            if (col[S_COL_PATH] < 0) {
                st = cnrs_error_set(err, CNRS_ERR_PARSE,
                                    "%s:%lu: the header has no \"path\" column (columns: path, "
                                    "company, code, year, industry, size, report_type)",
                                    name, r.line);
                break;
            }
            ncols = r.n;
            have_header = 1;
            continue;
        }
        if (r.err) {
            S_problem(m, &r, text, "%s", r.err);
            continue;
        }
        if (r.n != ncols) {
            S_problem(m, &r, text, "%zu fields where the header has %zu", r.n, ncols);
            continue;
        }
        const char *v[S_NCOLS];
        for (int c = 0; c < S_NCOLS; c++)
            v[c] = col[c] >= 0 ? r.f[col[c]] : "";
        if (!*v[S_COL_PATH]) {
            S_problem(m, &r, text, "empty path");
            continue;
        }
        int year = S_year(v[S_COL_YEAR]);
        if (year < 0) {
            S_problem(m, &r, text, "year \"%s\" is not a year between 1990 and 2099",
                      v[S_COL_YEAR]);
            continue;
        }
        m->rows = cnrs_xgrow(m->rows, &m->rows_cap, m->nrows + 1, sizeof *m->rows);
        cnrs_manifest_row *row = &m->rows[m->nrows++];
        memset(row, 0, sizeof *row);
        row->line = r.line;
        row->path = cnrs_xstrdup(v[S_COL_PATH]);
        cnrs_meta_set(&row->meta.company, v[S_COL_COMPANY]);
        row->meta.code = cnrs_code_normalise(v[S_COL_CODE], 1);
        row->meta.year = year;
        cnrs_meta_set(&row->meta.industry, v[S_COL_INDUSTRY]);
        cnrs_meta_set(&row->meta.size, v[S_COL_SIZE]);
        cnrs_meta_set(&row->meta.report_type, v[S_COL_TYPE]);
    }
    if (st == CNRS_OK && !have_header)
        st = cnrs_error_set(err, CNRS_ERR_PARSE, "%s: empty manifest (no header row)", name);
    S_record_clear(&r);
    free(r.f);
    free(text);
    if (st != CNRS_OK) {
        cnrs_manifest_free(m);
        return st;
    }
    *out = m;
    return CNRS_OK;
}

cnrs_status cnrs_manifest_load(const char *path, cnrs_manifest **out, cnrs_error *err)
{
    char *data = NULL;
    size_t len = 0;
    *out = NULL;
    cnrs_status st = cnrs_read_file(path, (size_t)64 << 20, &data, &len, err);
    if (st != CNRS_OK)
        return st;
    st = cnrs_manifest_parse(path, data, len, out, err);
    free(data);
    return st;
}

char *cnrs_manifest_resolve(const cnrs_manifest *m, const char *row_path)
{
    if (row_path[0] == '/' || strcmp(m->dir, ".") == 0)
        return cnrs_xstrdup(row_path);
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_printf(&b, "%s/%s", m->dir, row_path);
    struct stat st;
    if (stat(b.data, &st) != 0 && stat(row_path, &st) == 0) {
        cnrs_buf_free(&b);
        return cnrs_xstrdup(row_path);
    }
    return cnrs_buf_steal(&b);
}

void cnrs_manifest_free(cnrs_manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nrows; i++) {
        free(m->rows[i].path);
        cnrs_meta_clear(&m->rows[i].meta);
    }
    for (size_t i = 0; i < m->nproblems; i++) {
        free(m->problems[i].msg);
        free(m->problems[i].text);
    }
    free(m->rows);
    free(m->problems);
    free(m->path);
    free(m->dir);
    free(m);
}
