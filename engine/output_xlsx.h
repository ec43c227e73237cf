/* output_xlsx.h - Excel workbooks (.xlsx) of tables: one sheet per table.
 *
 * A thin wrapper over libxlsxwriter (docs/internals.md says why that
 * library): the caller opens a workbook, starts a sheet with its header row,
 * adds rows, and closes. Every sheet gets a bold header row that stays in
 * view (frozen pane), an autofilter over the header and the rows, and column
 * widths fitted to the widest cell, counting a CJK character as two (so
 * Chinese names and evidence are not cut off), between 6 and 60.
 *
 * Cells: text is written as a string (never a formula, so a cell starting
 * with '=' stays text); bytes that are not UTF-8 and control characters
 * other than tab and line feed become U+FFFD, and a cell is cut at 32,000
 * bytes (Excel's limit is 32,767 characters). Numbers are written as
 * numbers, booleans ("0"/"1") as booleans; a NULL value leaves the cell
 * empty.
 */
#ifndef CNRS_OUTPUT_XLSX_H
#define CNRS_OUTPUT_XLSX_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

typedef struct cnrs_xlsx cnrs_xlsx;

/* How a column's values are written (the order of store.h's cnrs_cell_kind). */
typedef enum cnrs_xlsx_kind { CNRS_XLSX_TEXT = 0, CNRS_XLSX_NUMBER, CNRS_XLSX_BOOL } cnrs_xlsx_kind;

/* A new workbook to be written to `path` at cnrs_xlsx_close, or, when path
 * is NULL, to a temporary file whose bytes cnrs_xlsx_close copies to a
 * stream. Returns NULL (err set, CNRS_ERR_IO) when it cannot be created. The
 * caller frees it with cnrs_xlsx_close. */
cnrs_xlsx *cnrs_xlsx_new(const char *path, cnrs_error *err);

/* Start a sheet `name` (at most 31 bytes, none of []:*?/\) with the header
 * row names[0..ncols) and the kinds of its columns (copied). The previous
 * sheet is finished (widths, autofilter). Returns CNRS_OK, or CNRS_ERR_USAGE
 * for a name Excel refuses (err says why). */
cnrs_status cnrs_xlsx_sheet(cnrs_xlsx *x, const char *name, size_t ncols,
                            const char *const *names, const cnrs_xlsx_kind *kinds,
                            cnrs_error *err);

/* Append one row to the current sheet: values[0..ncols) as the sheet's
 * kinds say (NULL = empty cell). Ignored when no sheet was started. */
void cnrs_xlsx_row(cnrs_xlsx *x, const char *const *values);

/* Finish the last sheet, write the workbook (to its path, or copied to `to`
 * when it was created with a NULL path) and free `x` (NULL is a no-op).
 * Returns CNRS_OK or CNRS_ERR_IO (err names the library's reason). */
cnrs_status cnrs_xlsx_close(cnrs_xlsx *x, FILE *to, cnrs_error *err);

#endif
