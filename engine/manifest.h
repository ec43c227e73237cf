/* manifest.h - the CSV manifest of a batch: which file is which company's
 * report of which year.
 *
 * Format: RFC 4180 CSV with a header row. Columns are found by name
 * (case-insensitive, surrounding blanks ignored, any order); unknown columns
 * are ignored:
 *   path         required; relative paths are resolved against the
 *                manifest's directory (cnrs_manifest_resolve)
 *   company      company name                          (also 公司, 公司名称)
 *   code         stock code, normalised by cnrs_code_normalise (meta.h) with
 *                lost_zeros: a spreadsheet's 789 is 000789, 700.HK is 00700.HK,
 *                SH600519 is 600519, and 6758 or 09988 are never padded
 *   year         report year, 1990-2099 or empty        (also 年份, 年度)
 *   industry     free text, used for ranking tracks    (also 行业)
 *   size         free text, e.g. large/medium/small    (also 规模)
 *   report_type  optional: ESG, CSR, sustainability ... (also 报告类型)
 * (path also as 路径, 文件; code also as 代码, 股票代码.)
 *
 * The file may be UTF-8 with or without BOM, UTF-16 with BOM or GB18030 (what
 * a spreadsheet saves); CRLF or LF line ends. Fields may be quoted, with ""
 * for a quote and line breaks inside quotes. Unquoted fields are trimmed.
 * Blank lines are skipped.
 *
 * A bad row never stops the others: it becomes a problem record (line, a
 * message) and the parse goes on. Problems: a field count different from the
 * header's, text after a closing quote, a quote left open at the end of the
 * file, an empty path, a year that is not a number in 1990-2099. Only an
 * unreadable file, an undecodable encoding or a header without a path column
 * fail the whole manifest.
 */
#ifndef CNRS_MANIFEST_H
#define CNRS_MANIFEST_H

#include <stddef.h>

#include "meta.h"
#include "util.h"

typedef struct cnrs_manifest_row {
    unsigned long line; /* physical line where the record starts (1-based) */
    char *path;         /* as written in the manifest */
    cnrs_meta meta;     /* company, code, year ... as given; NULL/0 when empty */
} cnrs_manifest_row;

typedef struct cnrs_manifest_problem {
    unsigned long line;
    char *msg;  /* what is wrong, without file name or line */
    char *text; /* the record's raw text (for sharding problems deterministically) */
} cnrs_manifest_problem;

typedef struct cnrs_manifest {
    char *path; /* the manifest file as given */
    char *dir;  /* its directory ("." when none) */
    cnrs_manifest_row *rows;
    size_t nrows, rows_cap;
    cnrs_manifest_problem *problems;
    size_t nproblems, problems_cap;
} cnrs_manifest;

/* Read and parse the manifest at `path`. On success *out is a new manifest
 * (free with cnrs_manifest_free), possibly with problems. Fails with
 * CNRS_ERR_IO (unreadable), CNRS_ERR_ENCODING/CNRS_ERR_BINARY (not text) or
 * CNRS_ERR_PARSE (no header, no path column), *out NULL and `err` naming the
 * file. */
cnrs_status cnrs_manifest_load(const char *path, cnrs_manifest **out, cnrs_error *err);

/* Same from memory (`name` stands for the file: messages, directory). */
cnrs_status cnrs_manifest_parse(const char *name, const char *data, size_t len,
                                cnrs_manifest **out, cnrs_error *err);

/* The file a row names: absolute paths as they are; relative ones against the
 * manifest's directory, or, when nothing exists there but the path exists
 * relative to the working directory, that. Caller frees. */
char *cnrs_manifest_resolve(const cnrs_manifest *m, const char *row_path);

void cnrs_manifest_free(cnrs_manifest *m);

#endif
