/* output_xlsx.c - Excel workbooks through libxlsxwriter (see output_xlsx.h). */
#include "output_xlsx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

/* Excel allows 32,767 characters in a cell; bytes are a safe bound. */
#define S_MAX_CELL 32000
#define S_MIN_WIDTH 6
#define S_MAX_WIDTH 60

struct cnrs_xlsx {
    lxw_workbook *wb;
    lxw_format *bold;
    char *path;           /* the file libxlsxwriter writes */
    int temporary;        /* path is ours: copied out and removed at close */
    lxw_worksheet *ws;    /* the current sheet, or NULL */
    size_t ncols;
    cnrs_xlsx_kind *kinds;
    int *width;           /* per column: widest cell in display columns */
    lxw_row_t rows;       /* rows written below the header */
    cnrs_buf cell;        /* scratch: a cleaned cell */
};

/* ---- cells ------------------------------------------------------------------------ */

/* s as a cell: valid UTF-8, no control characters but tab and line feed
 * (XML forbids most of them), at most S_MAX_CELL bytes. Returns its display
 * width (a CJK character counts 2) on its widest line. */
static int S_clean(cnrs_buf *b, const char *s)
{
    cnrs_buf_reset(b);
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    int w = 0, line = 0;
    while (n > 0 && b->len < S_MAX_CELL) {
        uint32_t cp;
        int k = cnrs_utf8_decode(p, n, &cp);
        if (k == 0) { /* invalid: one byte becomes U+FFFD */
            k = 1;
            cp = 0xFFFD;
        }
        if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF)
            cp = 0xFFFD;
        cnrs_buf_put_cp(b, cp);
        line = cp == '\n' ? 0 : line + cnrs_cp_width(cp);
        if (line > w)
            w = line;
        p += k;
        n -= (size_t)k;
    }
    return w;
}

static void S_widen(cnrs_xlsx *x, size_t col, int w)
{
    if (w > x->width[col])
        x->width[col] = w;
}

/* The current sheet's column widths and autofilter (header row 0 and the
 * rows below it). */
static void S_finish_sheet(cnrs_xlsx *x)
{
    if (!x->ws)
        return;
    for (size_t c = 0; c < x->ncols; c++) {
        int w = x->width[c] + 2;
        w = w < S_MIN_WIDTH ? S_MIN_WIDTH : w > S_MAX_WIDTH ? S_MAX_WIDTH : w;
        worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
    if (x->ncols)
        worksheet_autofilter(x->ws, 0, 0, x->rows, (lxw_col_t)(x->ncols - 1));
    x->ws = NULL;
}

/* ---- public ----------------------------------------------------------------------- */

cnrs_xlsx *cnrs_xlsx_new(const char *path, cnrs_error *err)
{
    cnrs_xlsx *x = cnrs_xcalloc(1, sizeof *x);
    if (path) {
        x->path = cnrs_xstrdup(path);
    } else {
        const char *dir = getenv("TMPDIR");
        cnrs_buf t = CNRS_BUF_INIT;
        cnrs_buf_printf(&t, "%s/cnrs-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
        x->path = cnrs_buf_steal(&t);
        int fd = mkstemp(x->path);
        if (fd < 0) {
            cnrs_error_set(err, CNRS_ERR_IO, "cannot create a temporary file %s: %s", x->path,
                           strerror(errno));
            free(x->path);
            free(x);
            return NULL;
        }
        close(fd);
        x->temporary = 1;
    }
    x->wb = workbook_new(x->path);
    if (!x->wb) {
        cnrs_error_set(err, CNRS_ERR_IO, "%s: cannot create the workbook", x->path);
        if (x->temporary)
            unlink(x->path);
        free(x->path);
        free(x);
        return NULL;
    }
    x->bold = workbook_add_format(x->wb);
    format_set_bold(x->bold);
    return x;
}

cnrs_status cnrs_xlsx_sheet(cnrs_xlsx *x, const char *name, size_t ncols,
                            const char *const *names, const cnrs_xlsx_kind *kinds,
                            cnrs_error *err)
{
    S_finish_sheet(x);
    lxw_error e = workbook_validate_sheet_name(x->wb, name);
    if (e != LXW_NO_ERROR)
        return cnrs_error_set(err, CNRS_ERR_USAGE, "sheet \"%s\": %s", name, lxw_strerror(e));
    x->ws = workbook_add_worksheet(x->wb, name);
    if (!x->ws)
        return cnrs_error_set(err, CNRS_ERR_USAGE, "sheet \"%s\" cannot be added", name);
    free(x->kinds);
    free(x->width);
    x->ncols = ncols;
    x->kinds = cnrs_xcalloc(ncols ? ncols : 1, sizeof *x->kinds);
    x->width = cnrs_xcalloc(ncols ? ncols : 1, sizeof *x->width);
    x->rows = 0;
    for (size_t c = 0; c < ncols; c++) {
        x->kinds[c] = kinds ? kinds[c] : CNRS_XLSX_TEXT;
        S_widen(x, c, S_clean(&x->cell, names[c]) + 2); /* room for the filter button */
        worksheet_write_string(x->ws, 0, (lxw_col_t)c, cnrs_buf_cstr(&x->cell), x->bold);
    }
    worksheet_freeze_panes(x->ws, 1, 0); /* the header stays in view */
    return CNRS_OK;
}

void cnrs_xlsx_row(cnrs_xlsx *x, const char *const *values)
{
    if (!x->ws || x->rows + 1 >= LXW_ROW_MAX)
        return;
    lxw_row_t r = ++x->rows;
    for (size_t c = 0; c < x->ncols; c++) {
        const char *v = values[c];
        if (!v)
            continue;
        lxw_col_t col = (lxw_col_t)c;
        char *end;
        double d = strtod(v, &end);
        int number = *v && *end == '\0';
        if (x->kinds[c] == CNRS_XLSX_BOOL) {
            worksheet_write_boolean(x->ws, r, col, v[0] == '1', NULL);
            S_widen(x, c, 5);
        } else if (x->kinds[c] == CNRS_XLSX_NUMBER && number) {
            worksheet_write_number(x->ws, r, col, d, NULL);
            S_widen(x, c, (int)strlen(v));
        } else {
            S_widen(x, c, S_clean(&x->cell, v));
            worksheet_write_string(x->ws, r, col, cnrs_buf_cstr(&x->cell), NULL);
        }
    }
}

/* Copy the file `path` to `to`. */
static cnrs_status S_copy(const char *path, FILE *to, cnrs_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: %s", path, strerror(errno));
    char buf[65536];
    size_t n;
    int bad = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, to) != n) {
            bad = 1;
            break;
        }
    bad |= ferror(f) || fflush(to) != 0;
    fclose(f);
    return bad ? cnrs_error_set(err, CNRS_ERR_IO, "cannot write the workbook: %s", strerror(errno))
               : CNRS_OK;
}

cnrs_status cnrs_xlsx_close(cnrs_xlsx *x, FILE *to, cnrs_error *err)
{
    if (!x)
        return CNRS_OK;
    S_finish_sheet(x);
    cnrs_status st = CNRS_OK;
    lxw_error e = workbook_close(x->wb);
    if (e != LXW_NO_ERROR)
        st = cnrs_error_set(err, CNRS_ERR_IO, "%s: cannot write the workbook: %s", x->path,
                            lxw_strerror(e));
    else if (x->temporary && to)
        st = S_copy(x->path, to, err);
    if (x->temporary)
        unlink(x->path);
    free(x->path);
    free(x->kinds);
    free(x->width);
    cnrs_buf_free(&x->cell);
    free(x);
    return st;
}
