/* store.c - the SQLite store (see store.h): schema and migrations, the
 * batch writer's transactions, queries for rank/show/history/export,
 * reviews and merge. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "output.h"
#include "script.h"
#include "score.h"

/* ---- schema ------------------------------------------------------------------- */

/* The evidence view's columns up to `text` (versions 1 and 5 list them;
 * version 5 adds `section`) and its FROM clause. */
#define S_EVIDENCE_VIEW                                                                    \
    "CREATE VIEW evidence AS\n"                                                            \
    "SELECT v.score_id,\n"                                                                 \
    "       json_extract(i.value, '$[0]') AS seq,         -- order in the report\n"        \
    "       substr(json_extract(i.value, '$[1]'), 1,\n"                                    \
    "              instr(json_extract(i.value, '$[1]'), '.') - 1) AS indicator,\n"         \
    "       json_extract(i.value, '$[1]') AS item,        -- E1.policy\n"                  \
    "       json_extract(s.value, '$[0]') AS sentence,    -- from 0\n"                     \
    "       json_extract(s.value, '$[1]') AS page,        -- NULL without pages\n"         \
    "       json_extract(i.value, '$[2]') AS quant,\n"                                     \
    "       json_extract(i.value, '$[3]') AS units,       -- comma-separated\n"            \
    "       json_extract(s.value, '$[2]') AS trend,\n"                                     \
    "       json_extract(s.value, '$[3]') AS comparison,\n"                                \
    "       json_extract(s.value, '$[4]') AS integration,\n"                               \
    "       json_extract(s.value, '$[5]') AS leadership,\n"                                \
    "       json_extract(s.value, '$[6]') AS text"
#define S_EVIDENCE_FROM \
    "FROM evidence_sets v, json_each(v.records) s, json_each(s.value, '$[7]') i;\n"

/* Version 1. The comments stay in sqlite_master, so `.schema` in any SQLite
 * tool documents the tables. docs/database.md ("Schema") has the same. */
static const char S_schema_v1[] =
    "CREATE TABLE companies (\n"
    "  id        INTEGER PRIMARY KEY,\n"
    "  code      TEXT,            -- stock code (000789); NULL when unknown\n"
    "  name      TEXT NOT NULL,   -- company name\n"
    "  industry  TEXT,            -- from the manifest; ranking tracks\n"
    "  size      TEXT             -- from the manifest; ranking tracks\n"
    ");\n"
    "CREATE UNIQUE INDEX companies_code ON companies(code) WHERE code IS NOT NULL;\n"
    "CREATE UNIQUE INDEX companies_name ON companies(name) WHERE code IS NULL;\n"
    "\n"
    "CREATE TABLE reports (\n"
    "  id          INTEGER PRIMARY KEY,\n"
    "  sha256      TEXT NOT NULL UNIQUE, -- of the file's bytes: a report is its content\n"
    "  company_id  INTEGER NOT NULL REFERENCES companies(id),\n"
    "  year        INTEGER,              -- report year; NULL when unknown\n"
    "  report_type TEXT,                 -- ESG, CSR ... (manifest); NULL when not given\n"
    "  path        TEXT NOT NULL,        -- where it was last read\n"
    "  format      TEXT NOT NULL,        -- text, html, pdf\n"
    "  encoding    TEXT,\n"
    "  pages       INTEGER NOT NULL,\n"
    "  paged       INTEGER NOT NULL,     -- 1 if the source has real pages\n"
    "  sentences   INTEGER NOT NULL,\n"
    "  bytes       INTEGER NOT NULL,\n"
    "  meta_source TEXT NOT NULL         -- manifest, filename or none\n"
    ");\n"
    "CREATE INDEX reports_company ON reports(company_id, year);\n"
    "\n"
    "CREATE TABLE runs (\n"
    "  id             INTEGER PRIMARY KEY,\n"
    "  engine_version TEXT NOT NULL,\n"
    "  rubric_id      TEXT NOT NULL,\n"
    "  rubric_version TEXT NOT NULL,\n"
    "  rubric_sha256  TEXT NOT NULL,\n"
    "  options        TEXT NOT NULL,   -- JSON: jobs, force, shard, manifest, paths\n"
    "  started_at     TEXT NOT NULL,   -- UTC, ISO 8601\n"
    "  finished_at    TEXT,            -- NULL: running, or interrupted\n"
    "  inputs INTEGER, scored INTEGER, unchanged INTEGER, failed INTEGER, warnings INTEGER\n"
    ");\n"
    "\n"
    "CREATE TABLE scores (\n"
    "  id             INTEGER PRIMARY KEY,\n"
    "  report_id      INTEGER NOT NULL REFERENCES reports(id),\n"
    "  run_id         INTEGER NOT NULL REFERENCES runs(id),\n"
    "  engine_version TEXT NOT NULL,\n"
    "  rubric_sha256  TEXT NOT NULL,\n"
    "  stage          INTEGER NOT NULL,  -- 0..3\n"
    "  stage_name     TEXT NOT NULL,\n"
    "  total          REAL NOT NULL,     -- automatic score\n"
    "  max            REAL NOT NULL,     -- the stage's published maximum\n"
    "  scored_at      TEXT NOT NULL,\n"
    "  UNIQUE (report_id, rubric_sha256, engine_version)\n"
    ");\n"
    "\n"
    "CREATE TABLE indicator_scores (  -- every field of the JSON scorecard's indicators[]\n"
    "  score_id    INTEGER NOT NULL REFERENCES scores(id) ON DELETE CASCADE,\n"
    "  ord         INTEGER NOT NULL,  -- position in the rubric (0 = E1)\n"
    "  indicator   TEXT NOT NULL,     -- E1 .. Q16\n"
    "  key         TEXT NOT NULL,\n"
    "  name        TEXT NOT NULL,\n"
    "  stage       INTEGER NOT NULL,\n"
    "  in_stage    INTEGER NOT NULL,\n"
    "  weight      REAL NOT NULL,\n"
    "  band        TEXT NOT NULL,     -- B0 .. B5\n"
    "  K           INTEGER NOT NULL,\n"
    "  covered     INTEGER NOT NULL,\n"
    "  coverage    REAL NOT NULL,     -- c\n"
    "  quant       REAL NOT NULL,     -- q\n"
    "  sentences   INTEGER NOT NULL,  -- S\n"
    "  n           REAL NOT NULL,\n"
    "  trend       INTEGER NOT NULL,\n"
    "  comparison  INTEGER NOT NULL,\n"
    "  integration INTEGER NOT NULL,\n"
    "  leadership  INTEGER NOT NULL,\n"
    "  bonus       INTEGER NOT NULL,\n"
    "  pct         REAL NOT NULL,     -- automatic percentage\n"
    "  points      REAL NOT NULL,     -- 0 when not in_stage\n"
    "  items       TEXT NOT NULL,     -- JSON [{id, covered, quant}]\n"
    "  PRIMARY KEY (score_id, ord)\n"
    ");\n"
    "\n"
    "-- A report's evidence as one JSON document, built by the worker threads so\n"
    "-- the single writer stores one row per report (read it through the evidence\n"
    "-- view). records: one element per evidence sentence, in report order:\n"
    "--   [sentence, page, trend, comparison, integration, leadership, text,\n"
    "--    [[seq, item, quant, units], ...]]\n"
    "CREATE TABLE evidence_sets (\n"
    "  score_id  INTEGER PRIMARY KEY REFERENCES scores(id) ON DELETE CASCADE,\n"
    "  n         INTEGER NOT NULL,  -- number of evidence records (sentence x item)\n"
    "  records   TEXT NOT NULL\n"
    ");\n"
    "\n"
    "-- Evidence, one row per (sentence, item): what the JSON scorecard lists.\n"
    S_EVIDENCE_VIEW "\n"
    S_EVIDENCE_FROM
    "\n"
    "CREATE TABLE failures (\n"
    "  id       INTEGER PRIMARY KEY,\n"
    "  run_id   INTEGER NOT NULL REFERENCES runs(id),\n"
    "  path     TEXT,             -- the input file, if any\n"
    "  source   TEXT,             -- manifest.csv:LINE when a manifest row is at fault\n"
    "  kind     TEXT NOT NULL,    -- io empty format ... manifest duplicate unknown_company ...\n"
    "  fatal    INTEGER NOT NULL, -- 1: not stored; 0: a warning, stored anyway\n"
    "  message  TEXT NOT NULL,\n"
    "  at       TEXT NOT NULL\n"
    ");\n"
    "\n"
    "CREATE TABLE reviews (\n"
    "  id         INTEGER PRIMARY KEY,\n"
    "  report_id  INTEGER NOT NULL REFERENCES reports(id),\n"
    "  indicator  TEXT NOT NULL,\n"
    "  old_pct    REAL NOT NULL,  -- the percentage in force before\n"
    "  new_pct    REAL NOT NULL,\n"
    "  reason     TEXT NOT NULL,\n"
    "  reviewer   TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL,\n"
    "  undone_at  TEXT,           -- set by review --undo; the row stays\n"
    "  undone_by  TEXT\n"
    ");\n"
    "CREATE INDEX reviews_report ON reviews(report_id, indicator);\n"
    "\n"
    "-- The report that counts for a company, year and type: the latest stored.\n"
    "CREATE VIEW current_reports AS\n"
    "SELECT r.* FROM reports r\n"
    "WHERE EXISTS (SELECT 1 FROM scores s WHERE s.report_id = r.id)\n"
    "  AND NOT EXISTS (SELECT 1 FROM reports o\n"
    "                  WHERE o.company_id = r.company_id AND o.year IS r.year\n"
    "                    AND o.report_type IS r.report_type AND o.id > r.id\n"
    "                    AND EXISTS (SELECT 1 FROM scores s2 WHERE s2.report_id = o.id));\n"
    "\n"
    "-- A report's latest score (the newest rubric or engine it was scored with).\n"
    "CREATE VIEW latest_scores AS\n"
    "SELECT s.* FROM scores s\n"
    "WHERE s.id = (SELECT max(t.id) FROM scores t WHERE t.report_id = s.report_id);\n"
    "\n"
    "-- The review in force per report and indicator: the newest not undone.\n"
    "CREATE VIEW effective_reviews AS\n"
    "SELECT v.* FROM reviews v\n"
    "WHERE v.undone_at IS NULL\n"
    "  AND v.id = (SELECT max(w.id) FROM reviews w WHERE w.report_id = v.report_id\n"
    "              AND w.indicator = v.indicator AND w.undone_at IS NULL);\n"
    "\n"
    "-- What `cnrs rank --db` ranks: automatic and reviewed scores.\n"
    "CREATE VIEW ranking AS\n"
    "SELECT r.year, s.stage, c.code, c.name AS company, c.industry, c.size, r.report_type,\n"
    "       s.total AS auto_score,\n"
    "       s.total + coalesce((SELECT sum(i.weight * (e.new_pct - i.pct) / 100.0)\n"
    "                           FROM indicator_scores i JOIN effective_reviews e\n"
    "                             ON e.report_id = r.id AND e.indicator = i.indicator\n"
    "                           WHERE i.score_id = s.id AND i.in_stage), 0) AS reviewed_score,\n"
    "       s.max, r.path, r.sha256, r.id AS report_id, s.id AS score_id\n"
    "FROM current_reports r JOIN companies c ON c.id = r.company_id\n"
    "     JOIN latest_scores s ON s.report_id = r.id;\n";

/* Version 2: the script a report is written in (zh-Hans, zh-Hant, none;
 * NULL for reports stored by an older cnrs) and whether a PDF's permissions
 * forbid copying its text. */
static const char S_schema_v2[] =
    "ALTER TABLE reports ADD COLUMN script TEXT;\n"
    "ALTER TABLE reports ADD COLUMN copy_restricted INTEGER NOT NULL DEFAULT 0;\n";

/* Version 3: a report's own-inventory figures (docs/figures.md), the
 * `figures` array of the JSON scorecard, one document per score; the
 * figures view has one row per figure. Reports stored before have none. */
static const char S_schema_v3[] =
    "CREATE TABLE figure_sets (\n"
    "  score_id  INTEGER PRIMARY KEY REFERENCES scores(id) ON DELETE CASCADE,\n"
    "  n         INTEGER NOT NULL,  -- number of figures\n"
    "  records   TEXT NOT NULL      -- JSON [{scope, basis, kind, year, value, unit, tco2e,\n"
    "                               --        approx, unit_from_context, page, text}]\n"
    ");\n"
    "CREATE VIEW figures AS\n"
    "SELECT v.score_id,\n"
    "       f.key AS seq,\n"
    "       json_extract(f.value, '$.scope') AS scope,   -- 1, 2, 1+2, 3, total\n"
    "       json_extract(f.value, '$.basis') AS basis,   -- market, location or NULL\n"
    "       json_extract(f.value, '$.kind') AS kind,     -- emissions or intensity\n"
    "       json_extract(f.value, '$.year') AS year,\n"
    "       json_extract(f.value, '$.value') AS value,   -- as printed\n"
    "       json_extract(f.value, '$.unit') AS unit,     -- as printed\n"
    "       json_extract(f.value, '$.tco2e') AS tco2e,   -- NULL for intensities\n"
    "       json_extract(f.value, '$.approx') AS approx,\n"
    "       json_extract(f.value, '$.page') AS page,\n"
    "       json_extract(f.value, '$.text') AS text\n"
    "FROM figure_sets v, json_each(v.records) f;\n";

/* Version 4 (the OCR step): whether any of a report's text was read by OCR
 * (ocr.h); 0 for reports stored by an older cnrs, which never OCRed. */
static const char S_schema_v4_ocr[] =
    "ALTER TABLE reports ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0;\n";

/* Version 5 (issue 13): each evidence record's section, the heading path
 * of its sentence (doc.h), as a ninth element of the record; the evidence
 * view gains the column. Records stored before have none: NULL there, and
 * '' means a sentence before the first heading. */
static const char S_schema_v5_section[] =
    "DROP VIEW evidence;\n"
    "-- records: one element per evidence sentence, in report order:\n"
    "--   [sentence, page, trend, comparison, integration, leadership, text,\n"
    "--    [[seq, item, quant, units], ...], section]\n"
    S_EVIDENCE_VIEW ",\n"
    "       json_extract(s.value, '$[8]') AS section      -- heading path; NULL before v5\n"
    S_EVIDENCE_FROM;

static const char *const S_steps[] = {S_schema_v1, S_schema_v2, S_schema_v3, S_schema_v4_ocr,
                                      S_schema_v5_section};

const char *const *cnrs_store_steps(int *n)
{
    *n = (int)(sizeof S_steps / sizeof S_steps[0]);
    return S_steps;
}

/* ---- the handle ----------------------------------------------------------------- */

enum {
    ST_COMPANY_CODE,
    ST_COMPANY_NAME,
    ST_COMPANY_FIND_CODE,
    ST_COMPANY_FIND_NAME,
    ST_REPORT_FIND,
    ST_REPORT_INSERT,
    ST_REPORT_META,
    ST_REPORT_DOC,
    ST_REPORT_OTHERS,
    ST_SCORE_FIND,
    ST_SCORE_DELETE,
    ST_SCORE_INSERT,
    ST_FAILURE,
    ST_EVSET_INSERT,
    ST_FIGSET_INSERT,
    ST_COUNT
};

static const char *const S_sql[ST_COUNT] = {
    [ST_COMPANY_CODE] =
        "INSERT INTO companies(code, name, industry, size) VALUES (?1, ?2, ?3, ?4)\n"
        "ON CONFLICT(code) WHERE code IS NOT NULL DO UPDATE SET\n"
        "  name = CASE WHEN ?5 THEN excluded.name ELSE name END,\n"
        "  industry = coalesce(excluded.industry, industry), size = coalesce(excluded.size, size)\n"
        "RETURNING id",
    [ST_COMPANY_NAME] =
        "INSERT INTO companies(code, name, industry, size) VALUES (NULL, ?2, ?3, ?4)\n"
        "ON CONFLICT(name) WHERE code IS NULL DO UPDATE SET\n"
        "  industry = coalesce(excluded.industry, industry), size = coalesce(excluded.size, size)\n"
        "RETURNING id",
    [ST_COMPANY_FIND_CODE] = "SELECT id, name, industry, size FROM companies WHERE code = ?1",
    [ST_COMPANY_FIND_NAME] = "SELECT id, name, industry, size FROM companies WHERE code IS NULL\n"
                             "  AND name = ?1",
    [ST_REPORT_FIND] = "SELECT id, meta_source FROM reports WHERE sha256 = ?1",
    [ST_REPORT_INSERT] =
        "INSERT INTO reports(sha256, company_id, year, report_type, path, format, encoding,\n"
        "  pages, paged, sentences, bytes, meta_source, script, copy_restricted, ocr)\n"
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    [ST_REPORT_META] = "UPDATE reports SET company_id = ?2, year = ?3, report_type = ?4,\n"
                       "  path = ?5, meta_source = ?6 WHERE id = ?1",
    [ST_REPORT_DOC] = "UPDATE reports SET format = ?2, encoding = ?3, pages = ?4, paged = ?5,\n"
                      "  sentences = ?6, bytes = ?7, script = ?8, copy_restricted = ?9,\n"
                      "  ocr = ?10 WHERE id = ?1",
    [ST_REPORT_OTHERS] =
        "SELECT o.path FROM reports o WHERE o.company_id = ?2 AND o.year IS ?3\n"
        "  AND o.report_type IS ?4 AND o.id <> ?1\n"
        "  AND EXISTS (SELECT 1 FROM scores s WHERE s.report_id = o.id)\n"
        "ORDER BY o.id DESC LIMIT 1",
    [ST_SCORE_FIND] = "SELECT id FROM scores WHERE report_id = ?1 AND rubric_sha256 = ?2\n"
                      "  AND engine_version = ?3",
    [ST_SCORE_DELETE] = "DELETE FROM scores WHERE id = ?1",
    [ST_SCORE_INSERT] =
        "INSERT INTO scores(report_id, run_id, engine_version, rubric_sha256, stage,\n"
        "  stage_name, total, max, scored_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [ST_EVSET_INSERT] = "INSERT INTO evidence_sets(score_id, n, records) VALUES (?1, ?2, ?3)",
    [ST_FIGSET_INSERT] = "INSERT INTO figure_sets(score_id, n, records) VALUES (?1, ?2, ?3)",
    [ST_FAILURE] = "INSERT INTO failures(run_id, path, source, kind, fatal, message, at)\n"
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

/* Indicator rows go in with multi-row INSERTs of S_MULTI rows: one statement
 * step per row costs a third more. */
#define S_MULTI 16
enum { S_ROWS_IND = 0 };

static const char *const S_rows_prefix[1] = {
    "INSERT INTO indicator_scores(score_id, ord, indicator, key, name, stage, in_stage, weight,\n"
    "  band, K, covered, coverage, quant, sentences, n, trend, comparison, integration,\n"
    "  leadership, bonus, pct, points, items) VALUES ",
};
static const int S_rows_ncols[1] = {23};

struct cnrs_store {
    sqlite3 *db;
    char *path;
    int version;
    int readonly;
    double busy_timeout;
    cnrs_store_wait_fn on_wait;
    void *wait_ctx;
    struct timespec wait_start; /* of the current wait */
    int wait_notices;           /* on_wait calls in the current wait */
    int locked_out;             /* the last error: a lock held past busy_timeout */
    sqlite3_stmt *st[ST_COUNT];
    sqlite3_stmt *rows_st[1][2]; /* [S_ROWS_IND][one row / S_MULTI rows] */
    char *reserve;               /* the run's reserve file (S_reserve), or NULL */
};

static double S_elapsed(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

/* UTC time, ISO 8601 with milliseconds: 2024-05-01T12:34:56.789Z */
static void S_now(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03uZ", (unsigned)(ts.tv_nsec / 1000000) % 1000u);
}

/* SQLite's busy handler: back off up to 100 ms a try until busy_timeout;
 * tell the caller about the wait once a second. */
static int S_busy(void *ctx, int count)
{
    cnrs_store *s = ctx;
    if (count == 0) {
        clock_gettime(CLOCK_MONOTONIC, &s->wait_start);
        s->wait_notices = 0;
    }
    double waited = S_elapsed(&s->wait_start);
    if (waited >= s->busy_timeout)
        return 0;
    if (s->on_wait && waited >= 1.0 + s->wait_notices) {
        s->wait_notices = (int)waited;
        s->on_wait(s->wait_ctx, s->path, waited);
    }
    static const int ms[] = {1, 2, 5, 10, 20, 50};
    sqlite3_sleep(count < 6 ? ms[count] : 100);
    return 1;
}

/* The errno behind the last SQLITE_IOERR on `s->db`, or 0. */
static int S_io_errno(cnrs_store *s)
{
    /* sqlite3_system_errno is not set when a COMMIT fails writing the WAL,
     * but the unix VFS keeps each file's last errno: the WAL's (the
     * "journal"), else the database file's. */
    int e = sqlite3_system_errno(s->db);
    sqlite3_file *f = NULL;
    if (!e && sqlite3_file_control(s->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) == SQLITE_OK &&
        f && f->pMethods && f->pMethods->xFileControl)
        f->pMethods->xFileControl(f, SQLITE_FCNTL_LAST_ERRNO, &e);
    if (!e)
        sqlite3_file_control(s->db, "main", SQLITE_FCNTL_LAST_ERRNO, &e);
    return e;
}

/* The error of the last failed call on `s->db`, worded for the user: a lock
 * held past the timeout, a full disk (SQLITE_FULL, or an I/O error whose
 * errno is ENOSPC, EDQUOT or EFBIG: the `ulimit -f` file size limit) and
 * other I/O errors get their own words; the rest SQLite's message. A failed
 * write transaction is rolled back whole (WAL), so after a full disk the
 * database holds everything committed before and nothing of the failed
 * transaction; the message says so. */
static cnrs_status S_dberr(cnrs_store *s, cnrs_error *err, const char *what)
{
    int code = sqlite3_errcode(s->db) & 0xFF;
    int e = code == SQLITE_IOERR ? S_io_errno(s) : 0;
    s->locked_out = code == SQLITE_BUSY || code == SQLITE_LOCKED;
    if (s->locked_out)
        return cnrs_error_set(err, CNRS_ERR_DB,
                              "%s: %s: the database is locked by another process (gave up "
                              "after %.0f s)",
                              s->path, what, s->busy_timeout);
    if (code == SQLITE_FULL ||
        (code == SQLITE_IOERR && (e == ENOSPC || e == EDQUOT || e == EFBIG)))
        return cnrs_error_set(err, CNRS_ERR_DB,
                              "%s: %s: disk full (%s%s): nothing of this write was stored; "
                              "make room and run the command again",
                              s->path, what, strerror(e == EFBIG || e == EDQUOT ? e : ENOSPC),
                              e == EFBIG ? ": the file size limit, ulimit -f, is reached" : "");
    if (code == SQLITE_IOERR && e)
        return cnrs_error_set(err, CNRS_ERR_DB, "%s: %s: disk I/O error (%s)", s->path, what,
                              strerror(e));
    return cnrs_error_set(err, CNRS_ERR_DB, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

/* Run `sql` (no results wanted); `what` names the step in messages. */
static cnrs_status S_exec_what(cnrs_store *s, const char *sql, const char *what,
                               cnrs_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cnrs_status st;
        int code = sqlite3_errcode(s->db) & 0xFF;
        if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL ||
            code == SQLITE_IOERR)
            st = S_dberr(s, err, what);
        else
            st = cnrs_error_set(err, CNRS_ERR_DB, "%s: %s", s->path, msg ? msg : "error");
        sqlite3_free(msg);
        return st;
    }
    return CNRS_OK;
}

static cnrs_status S_exec(cnrs_store *s, const char *sql, cnrs_error *err)
{
    return S_exec_what(s, sql, "write", err);
}

/* A prepared statement from the cache, reset and unbound. */
static sqlite3_stmt *S_stmt(cnrs_store *s, int k, cnrs_error *err)
{
    if (!s->st[k]) {
        if (sqlite3_prepare_v3(s->db, S_sql[k], -1, SQLITE_PREPARE_PERSISTENT, &s->st[k], NULL) !=
            SQLITE_OK) {
            S_dberr(s, err, "prepare");
            return NULL;
        }
    } else {
        sqlite3_reset(s->st[k]);
        sqlite3_clear_bindings(s->st[k]);
    }
    return s->st[k];
}

/* The INSERT for `rows` (1 or S_MULTI) indicator rows, reset.
 * Every parameter is bound before each step, so bindings are not cleared. */
static sqlite3_stmt *S_rows_stmt(cnrs_store *s, int which, int rows, cnrs_error *err)
{
    sqlite3_stmt **slot = &s->rows_st[which][rows > 1];
    if (*slot) {
        sqlite3_reset(*slot);
        return *slot;
    }
    cnrs_buf sql = CNRS_BUF_INIT;
    cnrs_buf_puts(&sql, S_rows_prefix[which]);
    for (int r = 0; r < rows; r++) {
        cnrs_buf_puts(&sql, r ? ",(" : "(");
        for (int c = 0; c < S_rows_ncols[which]; c++)
            cnrs_buf_puts(&sql, c ? ",?" : "?");
        cnrs_buf_putc(&sql, ')');
    }
    int rc = sqlite3_prepare_v3(s->db, sql.data, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
    cnrs_buf_free(&sql);
    if (rc != SQLITE_OK) {
        S_dberr(s, err, "prepare");
        sqlite3_finalize(*slot);
        *slot = NULL;
    }
    return *slot;
}

/* A one-off statement; NULL (and err set) on failure. */
static sqlite3_stmt *S_prepare(cnrs_store *s, const char *sql, cnrs_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        S_dberr(s, err, "query");
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

static void S_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static char *S_col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? cnrs_xstrdup((const char *)t) : NULL;
}

static cnrs_status S_begin(cnrs_store *s, cnrs_error *err)
{
    return S_exec(s, "BEGIN IMMEDIATE", err);
}

static cnrs_status S_commit(cnrs_store *s, cnrs_error *err)
{
    return S_exec_what(s, "COMMIT", "commit", err);
}

static void S_rollback(cnrs_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- opening ------------------------------------------------------------------- */

typedef struct S_probe {
    unsigned app;
    int version;
    int objects; /* schema objects (from the header: 1 when the schema cookie is set) */
} S_probe;

static unsigned S_be32(const unsigned char *b)
{
    return (unsigned)b[0] << 24 | (unsigned)b[1] << 16 | (unsigned)b[2] << 8 | b[3];
}

/* The 100-byte database header, read with stdio: a look that opens no SQLite
 * connection, so nothing (no -wal or -shm file, no journal recovery, no
 * checkpoint) touches a file that may not be ours. Its fields may lag behind
 * a WAL not yet checkpointed; the SQL probe on the real connection decides
 * in the end. An empty file is an empty database. */
static cnrs_status S_header_probe(const cnrs_store *s, S_probe *p, cnrs_error *err)
{
    memset(p, 0, sizeof *p);
    FILE *f = fopen(s->path, "rb");
    if (!f)
        return cnrs_error_set(err, CNRS_ERR_DB, "%s: cannot open the database: %s", s->path,
                              strerror(errno));
    unsigned char h[100];
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    if (n == 0)
        return CNRS_OK;
    if (n < sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return cnrs_error_set(err, CNRS_ERR_DB,
                              "%s: not a cnrs database (not an SQLite file); left untouched",
                              s->path);
    p->version = (int)S_be32(h + 60);
    p->app = S_be32(h + 68);
    p->objects = S_be32(h + 40) != 0;
    return CNRS_OK;
}

static cnrs_status S_read_probe(cnrs_store *s, S_probe *p, cnrs_error *err)
{
    static const char *const q[3] = {"PRAGMA application_id", "PRAGMA user_version",
                                     "SELECT count(*) FROM sqlite_master"};
    long long v[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(s->db, q[i], -1, &st, NULL);
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(st);
            if (rc == SQLITE_ROW)
                v[i] = sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW) {
            int code = sqlite3_errcode(s->db) & 0xFF;
            if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
                return cnrs_error_set(err, CNRS_ERR_DB,
                                      "%s: not a cnrs database (not an SQLite file: %s); left "
                                      "untouched",
                                      s->path, sqlite3_errmsg(s->db));
            return S_dberr(s, err, "open");
        }
    }
    p->app = (unsigned)v[0];
    p->version = (int)v[1];
    p->objects = (int)v[2];
    return CNRS_OK;
}

static int S_probe_empty(const S_probe *p)
{
    return p->app == 0 && p->version == 0 && p->objects == 0;
}

/* Is what the probe found usable by this cnrs (knowing `nsteps` versions)? */
static cnrs_status S_check_probe(const cnrs_store *s, const S_probe *p, int nsteps,
                                 cnrs_error *err)
{
    if (S_probe_empty(p))
        return CNRS_OK;
    if (p->app != CNRS_STORE_APP_ID)
        return cnrs_error_set(err, CNRS_ERR_DB,
                              "%s: not a cnrs database (an SQLite database of another "
                              "application, application_id %u); left untouched",
                              s->path, p->app);
    if (p->version > nsteps)
        return cnrs_error_set(err, CNRS_ERR_DB,
                              "%s: database schema version %d is newer than this cnrs knows (%d); "
                              "use a newer cnrs. Left untouched",
                              s->path, p->version, nsteps);
    return CNRS_OK;
}

static cnrs_status S_connect(cnrs_store *s, int flags, cnrs_error *err)
{
    /* One thread uses a connection at a time: no SQLite mutexes needed. */
    if (sqlite3_open_v2(s->path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        cnrs_status st = cnrs_error_set(err, CNRS_ERR_DB, "%s: cannot open: %s", s->path,
                                        s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sqlite3_close(s->db);
        s->db = NULL;
        return st;
    }
    sqlite3_busy_handler(s->db, S_busy, s);
    sqlite3_extended_result_codes(s->db, 0);
    return CNRS_OK;
}

/* Bring the schema to `nsteps` in one write transaction, re-checking there:
 * another process may have created or migrated it since the probe. */
static cnrs_status S_migrate(cnrs_store *s, const char *const *steps, int nsteps,
                             cnrs_error *err)
{
    /* Current already (the usual case): no write lock needed. */
    S_probe p;
    cnrs_status st = S_read_probe(s, &p, err);
    if (st == CNRS_OK && p.app == CNRS_STORE_APP_ID && p.version == nsteps) {
        s->version = nsteps;
        return CNRS_OK;
    }
    if (st == CNRS_OK)
        st = S_begin(s, err);
    if (st != CNRS_OK)
        return st;
    st = S_read_probe(s, &p, err);
    if (st == CNRS_OK)
        st = S_check_probe(s, &p, nsteps, err);
    for (int v = p.version; st == CNRS_OK && v < nsteps; v++)
        st = S_exec(s, steps[v], err);
    if (st == CNRS_OK && p.version < nsteps) {
        char sql[128];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d;", nsteps,
                 (int)CNRS_STORE_APP_ID);
        st = S_exec(s, sql, err);
    }
    if (st == CNRS_OK)
        st = S_commit(s, err);
    if (st != CNRS_OK) {
        S_rollback(s);
        return st;
    }
    s->version = nsteps > p.version ? nsteps : p.version;
    return CNRS_OK;
}

/* Create a new database at `path` atomically: the schema is built in a
 * temporary file beside it (WAL mode, schema, application id, checkpointed
 * so the file header is current), which is then linked into place only if
 * nothing is there yet. Two batches starting on a missing database thus
 * never see each other's half-built file (whose header would still say
 * application_id 0) nor race to switch the journal mode. Losing the race is
 * not an error: the caller opens what the winner made. */
static cnrs_status S_create_atomic(const char *path, const char *const *steps, int nsteps,
                                   cnrs_error *err)
{
    size_t n = strlen(path) + 48;
    char *tmp = cnrs_xmalloc(n);
    snprintf(tmp, n, "%s.new-%ld", path, (long)getpid());
    cnrs_store t = {0};
    t.path = tmp;
    t.busy_timeout = 60;
    unlink(tmp);
    cnrs_status st = S_connect(&t, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err);
    if (st == CNRS_OK)
        st = S_exec(&t, "PRAGMA journal_mode = WAL", err);
    if (st == CNRS_OK)
        st = S_migrate(&t, steps, nsteps, err);
    if (st == CNRS_OK)
        st = S_exec(&t, "PRAGMA wal_checkpoint(TRUNCATE)", err);
    sqlite3_close(t.db);
    if (st != CNRS_OK && err) { /* name the database, not the temporary file */
        char msg[sizeof err->msg];
        size_t skip = strlen(tmp);
        const char *m = strncmp(err->msg, tmp, skip) == 0 && err->msg[skip] == ':'
                            ? err->msg + skip + (err->msg[skip + 1] == ' ' ? 2 : 1)
                            : err->msg;
        snprintf(msg, sizeof msg, "%s", m);
        cnrs_error_set(err, st, "%s: cannot create the database: %s", path, msg);
    }
    if (st == CNRS_OK && link(tmp, path) != 0 && errno != EEXIST)
        st = cnrs_error_set(err, CNRS_ERR_DB, "%s: cannot create the database: %s", path,
                            strerror(errno));
    unlink(tmp);
    size_t m = strlen(tmp) + 8;
    char *side = cnrs_xmalloc(m);
    snprintf(side, m, "%s-wal", tmp);
    unlink(side);
    snprintf(side, m, "%s-shm", tmp);
    unlink(side);
    free(side);
    free(tmp);
    return st;
}

cnrs_status cnrs_store_open(const char *path, const cnrs_store_opts *opts, cnrs_store **out,
                            cnrs_error *err)
{
    static const cnrs_store_opts defaults = {CNRS_STORE_READ, 0, NULL, NULL, NULL, 0};
    if (!opts)
        opts = &defaults;
    const char *const *steps = opts->steps ? opts->steps : S_steps;
    int nsteps = opts->steps ? opts->nsteps : (int)(sizeof S_steps / sizeof S_steps[0]);
    *out = NULL;

    cnrs_store *s = cnrs_xcalloc(1, sizeof *s);
    s->path = cnrs_xstrdup(path);
    s->busy_timeout = opts->busy_timeout > 0 ? opts->busy_timeout : 60;
    s->on_wait = opts->on_wait;
    s->wait_ctx = opts->wait_ctx;
    s->readonly = opts->mode == CNRS_STORE_READ;

    cnrs_status st = CNRS_OK;
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && errno == ENOENT && opts->mode == CNRS_STORE_CREATE) {
        st = S_create_atomic(path, steps, nsteps, err);
        if (st != CNRS_OK) {
            free(s->path);
            free(s);
            return st;
        }
        exists = stat(path, &sb) == 0;
    }
    S_probe p = {0, 0, 0};
    if (!exists && (errno != ENOENT || opts->mode != CNRS_STORE_CREATE))
        st = cnrs_error_set(err, CNRS_ERR_DB, "%s: cannot open the database: %s", path,
                            strerror(errno));
    else if (exists && S_ISDIR(sb.st_mode))
        st = cnrs_error_set(err, CNRS_ERR_DB, "%s: is a directory, not a database", path);
    else if (exists && (st = S_header_probe(s, &p, err)) == CNRS_OK)
        st = S_check_probe(s, &p, nsteps, err);
    if (st == CNRS_OK && s->readonly && p.version < nsteps)
        st = S_probe_empty(&p) ? cnrs_error_set(err, CNRS_ERR_DB,
                                                "%s: an empty database, not scored into yet "
                                                "(cnrs batch)",
                                                path)
                               : cnrs_error_set(err, CNRS_ERR_DB,
                                                "%s: database schema version %d is older than "
                                                "%d: run `cnrs batch --db %s` once to migrate it",
                                                path, p.version, nsteps, path);

    if (st == CNRS_OK && s->readonly) {
        /* Read-write but query_only: the header said it is ours, and the last
         * connection to close can then remove the -wal and -shm files (a
         * read-only one leaves them). SQLite falls back to read-only itself
         * when the file is write-protected. */
        st = S_connect(s, SQLITE_OPEN_READWRITE, err);
        if (st == CNRS_OK)
            sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
        if (st == CNRS_OK)
            st = S_read_probe(s, &p, err);
        if (st == CNRS_OK)
            st = S_check_probe(s, &p, nsteps, err);
        if (st == CNRS_OK && p.version != nsteps)
            st = cnrs_error_set(err, CNRS_ERR_DB, "%s: database schema version %d, expected %d",
                                path, p.version, nsteps);
        if (st == CNRS_OK)
            sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
        s->version = p.version;
    } else if (st == CNRS_OK) {
        st = S_connect(s, SQLITE_OPEN_READWRITE |
                              (opts->mode == CNRS_STORE_CREATE ? SQLITE_OPEN_CREATE : 0),
                       err);
        /* Until the SQL probe has agreed with the header, closing must not
         * checkpoint anything into the file. */
        if (st == CNRS_OK)
            sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
        if (st == CNRS_OK)
            st = S_read_probe(s, &p, err);
        if (st == CNRS_OK)
            st = S_check_probe(s, &p, nsteps, err);
        if (st == CNRS_OK)
            st = S_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                           "PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768;"
                           "PRAGMA wal_autocheckpoint = 8192;",
                        err);
        if (st == CNRS_OK)
            st = S_migrate(s, steps, nsteps, err);
        if (st == CNRS_OK)
            sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
    }
    if (st == CNRS_OK && s->readonly)
        st = S_exec(s, "PRAGMA query_only = ON", err);
    /* A reading command sees one snapshot from its first query to close: a
     * batch committing meanwhile (even --force, which replaces scores) can
     * neither tear a scorecard between its queries nor change a ranking half
     * way. WAL readers take no lock a writer waits for. */
    if (st == CNRS_OK && s->readonly)
        st = S_exec_what(s, "BEGIN DEFERRED", "begin a read", err);
    if (st != CNRS_OK) {
        cnrs_store_close(s);
        return st;
    }
    *out = s;
    return CNRS_OK;
}

/* A full disk must still take the small write that closes a run
 * (cnrs_store_run_end): a run sets S_RESERVE bytes aside in PATH-reserve
 * beside the database, and removes that file just before the closing write,
 * so the space it frees is there for it. Best effort: a file system that
 * refuses the reserve only loses that guarantee. */
enum { S_RESERVE = 64 * 1024 };

static void S_release(cnrs_store *s);

static void S_reserve(cnrs_store *s)
{
    S_release(s); /* a second run on one connection */
    size_t n = strlen(s->path);
    s->reserve = cnrs_xmalloc(n + sizeof "-reserve");
    memcpy(s->reserve, s->path, n);
    memcpy(s->reserve + n, "-reserve", sizeof "-reserve");
    int fd = open(s->reserve, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        (void)posix_fallocate(fd, 0, S_RESERVE);
        close(fd);
    }
}

static void S_release(cnrs_store *s)
{
    if (!s->reserve)
        return;
    (void)unlink(s->reserve);
    free(s->reserve);
    s->reserve = NULL;
}

void cnrs_store_close(cnrs_store *s)
{
    if (!s)
        return;
    if (s->db)
        S_rollback(s); /* a reader's snapshot; nothing else is ever left open */
    for (int k = 0; k < ST_COUNT; k++)
        sqlite3_finalize(s->st[k]);
    for (int k = 0; k < 2; k++)
        sqlite3_finalize(s->rows_st[0][k]);
    sqlite3_close(s->db);
    S_release(s);
    free(s->path);
    free(s);
}

int cnrs_store_version(const cnrs_store *s)
{
    return s->version;
}

struct sqlite3 *cnrs_store_sqlite(cnrs_store *s)
{
    return s->db;
}

int cnrs_store_locked_out(const cnrs_store *s)
{
    return s->locked_out;
}

/* ---- runs ---------------------------------------------------------------------- */

cnrs_status cnrs_store_run_begin(cnrs_store *s, const cnrs_run_info *ri, int64_t *run_id,
                                 cnrs_error *err)
{
    char now[32];
    S_now(now);
    sqlite3_stmt *st = S_prepare(s,
                                 "INSERT INTO runs(engine_version, rubric_id, rubric_version, "
                                 "rubric_sha256, options, started_at) VALUES (?1,?2,?3,?4,?5,?6)",
                                 err);
    if (!st)
        return CNRS_ERR_DB;
    S_bind_text(st, 1, ri->engine_version);
    S_bind_text(st, 2, ri->rubric_id);
    S_bind_text(st, 3, ri->rubric_version ? ri->rubric_version : "");
    S_bind_text(st, 4, ri->rubric_sha256);
    S_bind_text(st, 5, ri->options ? ri->options : "{}");
    S_bind_text(st, 6, now);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return S_dberr(s, err, "start a run");
    *run_id = sqlite3_last_insert_rowid(s->db);
    S_reserve(s);
    return CNRS_OK;
}

cnrs_status cnrs_store_run_end(cnrs_store *s, int64_t run_id, const cnrs_run_counts *c,
                               cnrs_error *err)
{
    char now[32];
    S_now(now);
    S_release(s);
    sqlite3_stmt *st = S_prepare(s,
                                 "UPDATE runs SET finished_at = ?2, inputs = ?3, scored = ?4, "
                                 "unchanged = ?5, failed = ?6, warnings = ?7 WHERE id = ?1",
                                 err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, run_id);
    S_bind_text(st, 2, now);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)c->inputs);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)c->scored);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)c->unchanged);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)c->failed);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)c->warnings);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? CNRS_OK : S_dberr(s, err, "finish the run");
}

static int S_strpcmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

cnrs_status cnrs_store_scored_hashes(cnrs_store *s, const char *rubric_sha256,
                                     const char *engine_version, char ***out, size_t *n,
                                     cnrs_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = S_prepare(s,
                                 "SELECT r.sha256 FROM scores s JOIN reports r ON r.id = "
                                 "s.report_id WHERE s.rubric_sha256 = ?1 AND s.engine_version = ?2",
                                 err);
    if (!st)
        return CNRS_ERR_DB;
    S_bind_text(st, 1, rubric_sha256);
    S_bind_text(st, 2, engine_version);
    char **v = NULL;
    size_t cap = 0, k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        v = cnrs_xgrow(v, &cap, k + 1, sizeof *v);
        v[k++] = S_col_dup(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cnrs_store_free_strings(v, k);
        return S_dberr(s, err, "read scored reports");
    }
    if (k)
        qsort(v, k, sizeof *v, S_strpcmp);
    *out = v;
    *n = k;
    return CNRS_OK;
}

void cnrs_store_free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* ---- writing a report --------------------------------------------------------- */

static int S_source_rank(const char *src)
{
    if (!src)
        return 0;
    return strcmp(src, "manifest") == 0 ? 2 : strcmp(src, "filename") == 0 ? 1 : 0;
}

static const char *S_stage_name(const cnrs_rubric *r, int stage)
{
    if (stage == 0)
        return "no carbon-neutrality responsibility disclosure";
    for (size_t i = 0; i < r->nstages; i++)
        if (r->stages[i].n == stage)
            return r->stages[i].name_en ? r->stages[i].name_en : "";
    return "";
}

static int S_step_done(sqlite3_stmt *st)
{
    return sqlite3_step(st) == SQLITE_DONE;
}

static int S_same(const unsigned char *stored, const char *given)
{
    return !given || (stored && strcmp((const char *)stored, given) == 0);
}

static cnrs_status S_put_company(cnrs_store *s, const cnrs_store_input *in, int64_t *id,
                                 cnrs_error *err)
{
    const cnrs_meta *m = in->meta;
    const char *name = m->company ? m->company : "(unknown)";
    int rename = S_source_rank(in->meta_source) == 2;
    /* Most reports belong to a company stored already, with the same data:
     * a lookup and no write. */
    sqlite3_stmt *st = S_stmt(s, m->code ? ST_COMPANY_FIND_CODE : ST_COMPANY_FIND_NAME, err);
    if (!st)
        return CNRS_ERR_DB;
    S_bind_text(st, 1, m->code ? m->code : name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && (!m->code || !rename || S_same(sqlite3_column_text(st, 1), name)) &&
        S_same(sqlite3_column_text(st, 2), m->industry) &&
        S_same(sqlite3_column_text(st, 3), m->size)) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return CNRS_OK;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return S_dberr(s, err, "find a company");
    st = S_stmt(s, m->code ? ST_COMPANY_CODE : ST_COMPANY_NAME, err);
    if (!st)
        return CNRS_ERR_DB;
    if (m->code)
        S_bind_text(st, 1, m->code);
    S_bind_text(st, 2, name);
    S_bind_text(st, 3, m->industry);
    S_bind_text(st, 4, m->size);
    if (m->code)
        sqlite3_bind_int(st, 5, rename);
    if (sqlite3_step(st) != SQLITE_ROW)
        return S_dberr(s, err, "store a company");
    *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return CNRS_OK;
}

static void S_bind_meta(sqlite3_stmt *st, int64_t report_id, int64_t company_id,
                        const cnrs_store_input *in)
{
    sqlite3_bind_int64(st, 1, report_id);
    sqlite3_bind_int64(st, 2, company_id);
    if (in->meta->year)
        sqlite3_bind_int(st, 3, in->meta->year);
    else
        sqlite3_bind_null(st, 3);
    S_bind_text(st, 4, in->meta->report_type);
}

/* The items JSON of one indicator, exactly as the JSON scorecard has it. */
static void S_items_json(cnrs_buf *b, const cnrs_rubric *r, const cnrs_scorecard *c, size_t ind)
{
    const cnrs_indicator *d = &r->indicators[ind];
    cnrs_buf_putc(b, '[');
    for (size_t k = 0; k < d->nitems; k++) {
        size_t it = d->first_item + k;
        cnrs_buf_puts(b, k ? ",{\"id\":" : "{\"id\":");
        cnrs_json_string(b, r->items[it].qid, strlen(r->items[it].qid));
        cnrs_buf_puts(b, c->item_covered[it] ? ",\"covered\":true" : ",\"covered\":false");
        cnrs_buf_puts(b, c->item_quant[it] ? ",\"quant\":true}" : ",\"quant\":false}");
    }
    cnrs_buf_putc(b, ']');
}

/* Decimal digits of v: the JSON documents are mostly small numbers, and
 * printf costs more than the rest of their formatting. */
static void S_put_uint(cnrs_buf *b, unsigned long v)
{
    char t[24];
    int n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    cnrs_buf_reserve(b, (size_t)n);
    while (n)
        b->data[b->len++] = t[--n];
    b->data[b->len] = '\0';
}

/* The evidence_sets document: records grouped by sentence (a sentence
 * supporting several items is stored once), in report order. */
/* The heading path of sentence `sent` as a JSON string ("" before the first
 * heading); `scratch` is reset and reused. */
static void S_section_json(cnrs_buf *b, const cnrs_doc *d, uint32_t sent, cnrs_buf *scratch)
{
    cnrs_buf_reset(scratch);
    if (sent < d->nsents)
        cnrs_doc_section_path(d, d->sents[sent].section, scratch);
    cnrs_json_string(b, scratch->data ? scratch->data : "", scratch->len);
}

static void S_records_json(cnrs_buf *b, const cnrs_rubric *r, const cnrs_report *rep,
                           cnrs_buf *scratch)
{
    const cnrs_doc *d = rep->doc;
    cnrs_buf_putc(b, '[');
    for (size_t e = 0; e < rep->ev.n;) {
        const cnrs_evidence *x = &rep->ev.ev[e];
        const cnrs_features *f = &rep->ev.feats[x->feat];
        cnrs_buf_puts(b, e ? ",[" : "[");
        S_put_uint(b, x->sent);
        cnrs_buf_putc(b, ',');
        if (d->paged && x->sent < d->nsents && d->sents[x->sent].page >= 0)
            S_put_uint(b, (unsigned long)d->sents[x->sent].page);
        else
            cnrs_buf_puts(b, "null");
        char flags[10] = {',', f->trend ? '1' : '0', ',', f->comparison ? '1' : '0', ',',
                          f->integration ? '1' : '0', ',', f->leadership ? '1' : '0', ',', 0};
        cnrs_buf_append(b, flags, 9);
        if (x->sent < d->nsents)
            cnrs_json_string(b, d->text + d->sents[x->sent].off, d->sents[x->sent].len);
        else
            cnrs_buf_puts(b, "\"\"");
        cnrs_buf_puts(b, ",[");
        uint32_t sent = x->sent;
        for (size_t k = e; e < rep->ev.n && rep->ev.ev[e].sent == sent; e++) {
            const cnrs_evidence *y = &rep->ev.ev[e];
            const char *qid = r->items[y->item].qid;
            cnrs_buf_puts(b, e > k ? ",[" : "[");
            S_put_uint(b, e);
            cnrs_buf_putc(b, ',');
            cnrs_json_string(b, qid, strlen(qid));
            cnrs_buf_puts(b, y->units ? ",1,\"" : ",0,\"");
            int first = 1;
            for (size_t u = 0; u < r->nunits && y->units; u++)
                if (y->units & (1u << u)) {
                    if (!first)
                        cnrs_buf_putc(b, ',');
                    first = 0;
                    cnrs_buf_puts(b, r->units[u].id); /* ids are [a-z0-9_]: no escaping */
                }
            cnrs_buf_puts(b, "\"]");
        }
        cnrs_buf_puts(b, "],");
        S_section_json(b, d, x->sent, scratch);
        cnrs_buf_putc(b, ']');
    }
    cnrs_buf_putc(b, ']');
}

void cnrs_store_prepare(const cnrs_rubric *r, const cnrs_report *rep, cnrs_store_prep *p)
{
    const cnrs_scorecard *c = rep->card;
    memset(p, 0, sizeof *p);
    p->nind = c->nind;
    p->nev = rep->ev.n;
    p->items_off = cnrs_xcalloc(p->nind + 1, sizeof *p->items_off);
    p->items_len = cnrs_xcalloc(p->nind + 1, sizeof *p->items_len);
    for (size_t i = 0; i < c->nind; i++) {
        p->items_off[i] = p->text.len;
        S_items_json(&p->text, r, c, i);
        p->items_len[i] = p->text.len - p->items_off[i];
    }
    p->records_off = p->text.len;
    cnrs_buf scratch = CNRS_BUF_INIT;
    S_records_json(&p->text, r, rep, &scratch);
    cnrs_buf_free(&scratch);
    p->records_len = p->text.len - p->records_off;
    p->figures_off = p->text.len;
    cnrs_write_figures_json(&p->text, rep);
    p->figures_len = p->text.len - p->figures_off;
    p->nfig = rep->figs.n;
    p->format = cnrs_format_name(rep->doc->format);
    p->encoding = rep->doc->encoding;
    p->npages = rep->doc->npages;
    p->paged = rep->doc->paged;
    p->nsents = rep->doc->nsents;
    p->script = cnrs_script_name(rep->doc->script);
    p->copy_restricted = rep->doc->copy_restricted;
    p->ocr = rep->doc->ocr;
}

void cnrs_store_prep_free(cnrs_store_prep *p)
{
    cnrs_buf_free(&p->text);
    free(p->items_off);
    free(p->items_len);
    memset(p, 0, sizeof *p);
}

static cnrs_status S_put_score(cnrs_store *s, int64_t run_id, const cnrs_rubric *r,
                               const char *engine_version, int64_t report_id,
                               const cnrs_report *rep, const cnrs_store_prep *prep,
                               cnrs_error *err)
{
    const cnrs_scorecard *c = rep->card;
    char now[32];
    S_now(now);
    cnrs_status rc = CNRS_OK;
    sqlite3_stmt *st = S_stmt(s, ST_SCORE_INSERT, err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, report_id);
    sqlite3_bind_int64(st, 2, run_id);
    S_bind_text(st, 3, engine_version);
    S_bind_text(st, 4, r->sha256);
    sqlite3_bind_int(st, 5, c->stage);
    S_bind_text(st, 6, S_stage_name(r, c->stage));
    sqlite3_bind_double(st, 7, c->total);
    sqlite3_bind_double(st, 8, c->max);
    S_bind_text(st, 9, now);
    if (!S_step_done(st))
        rc = S_dberr(s, err, "store a score");
    int64_t score_id = sqlite3_last_insert_rowid(s->db);

    for (size_t i0 = 0; i0 < c->nind && rc == CNRS_OK;) {
        int rows = c->nind - i0 >= S_MULTI ? S_MULTI : 1;
        if (!(st = S_rows_stmt(s, S_ROWS_IND, rows, err))) {
            rc = CNRS_ERR_DB;
            break;
        }
        for (int k = 0; k < rows; k++) {
            size_t i = i0 + (size_t)k;
            const cnrs_indicator_score *x = &c->ind[i];
            const cnrs_indicator *ind = &r->indicators[i];
            int p = k * 23;
            sqlite3_bind_int64(st, p + 1, score_id);
            sqlite3_bind_int(st, p + 2, (int)i);
            S_bind_text(st, p + 3, ind->id);
            S_bind_text(st, p + 4, ind->key);
            S_bind_text(st, p + 5, ind->name_en ? ind->name_en : "");
            sqlite3_bind_int(st, p + 6, ind->stage);
            sqlite3_bind_int(st, p + 7, x->in_stage);
            sqlite3_bind_double(st, p + 8, x->weight);
            S_bind_text(st, p + 9, cnrs_band_name(x->band));
            sqlite3_bind_int64(st, p + 10, (sqlite3_int64)x->in.K);
            sqlite3_bind_int64(st, p + 11, (sqlite3_int64)x->in.covered);
            sqlite3_bind_double(st, p + 12, x->c);
            sqlite3_bind_double(st, p + 13, x->q);
            sqlite3_bind_int64(st, p + 14, (sqlite3_int64)x->in.S);
            sqlite3_bind_double(st, p + 15, x->n);
            sqlite3_bind_int(st, p + 16, x->trend != 0);
            sqlite3_bind_int(st, p + 17, x->comparison != 0);
            sqlite3_bind_int(st, p + 18, x->integration != 0);
            sqlite3_bind_int(st, p + 19, x->in.leadership != 0);
            sqlite3_bind_int(st, p + 20, x->bonus != 0);
            sqlite3_bind_double(st, p + 21, x->pct);
            sqlite3_bind_double(st, p + 22, x->in_stage ? x->points : 0);
            sqlite3_bind_text(st, p + 23, prep->text.data + prep->items_off[i],
                              (int)prep->items_len[i], SQLITE_STATIC);
        }
        if (!S_step_done(st))
            rc = S_dberr(s, err, "store indicator scores");
        i0 += (size_t)rows;
    }

    if (rc == CNRS_OK && !(st = S_stmt(s, ST_EVSET_INSERT, err)))
        rc = CNRS_ERR_DB;
    if (rc == CNRS_OK) {
        sqlite3_bind_int64(st, 1, score_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)prep->nev);
        sqlite3_bind_text(st, 3, prep->text.data + prep->records_off, (int)prep->records_len,
                          SQLITE_STATIC);
        if (!S_step_done(st))
            rc = S_dberr(s, err, "store evidence");
    }
    if (rc == CNRS_OK && !(st = S_stmt(s, ST_FIGSET_INSERT, err)))
        rc = CNRS_ERR_DB;
    if (rc == CNRS_OK) {
        sqlite3_bind_int64(st, 1, score_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)prep->nfig);
        sqlite3_bind_text(st, 3, prep->text.data + prep->figures_off, (int)prep->figures_len,
                          SQLITE_STATIC);
        if (!S_step_done(st))
            rc = S_dberr(s, err, "store figures");
    }
    return rc;
}

static cnrs_status S_put(cnrs_store *s, int64_t run_id, const cnrs_rubric *r,
                         const char *engine_version, const cnrs_store_input *in,
                         const cnrs_store_prep *prep, int force, cnrs_store_outcome *outcome,
                         char **replaced, cnrs_error *err)
{
    sqlite3_stmt *st = S_stmt(s, ST_REPORT_FIND, err);
    if (!st)
        return CNRS_ERR_DB;
    S_bind_text(st, 1, in->sha256);
    int64_t report_id = 0;
    int stored_rank = -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        report_id = sqlite3_column_int64(st, 0);
        stored_rank = S_source_rank((const char *)sqlite3_column_text(st, 1));
    } else if (rc != SQLITE_DONE) {
        return S_dberr(s, err, "find a report");
    }
    sqlite3_reset(st);
    if (!report_id && !in->rep) {
        *outcome = CNRS_UNKNOWN;
        return CNRS_OK;
    }

    /* Metadata: a weaker source (file name) never overrides a stronger one
     * (manifest) already stored. */
    int new_rank = S_source_rank(in->meta_source);
    int64_t company_id = 0;
    cnrs_status cs = CNRS_OK;
    if (!report_id || new_rank >= stored_rank) {
        if ((cs = S_put_company(s, in, &company_id, err)) != CNRS_OK)
            return cs;
    }
    int inserted = 0;
    if (!report_id) {
        inserted = 1;
        if (!(st = S_stmt(s, ST_REPORT_INSERT, err)))
            return CNRS_ERR_DB;
        S_bind_text(st, 1, in->sha256);
        sqlite3_bind_int64(st, 2, company_id);
        if (in->meta->year)
            sqlite3_bind_int(st, 3, in->meta->year);
        S_bind_text(st, 4, in->meta->report_type);
        S_bind_text(st, 5, in->path);
        S_bind_text(st, 6, prep->format);
        S_bind_text(st, 7, prep->encoding);
        sqlite3_bind_int(st, 8, prep->npages);
        sqlite3_bind_int(st, 9, prep->paged);
        sqlite3_bind_int64(st, 10, (sqlite3_int64)prep->nsents);
        sqlite3_bind_int64(st, 11, in->bytes);
        S_bind_text(st, 12, in->meta_source ? in->meta_source : "none");
        S_bind_text(st, 13, prep->script);
        sqlite3_bind_int(st, 14, prep->copy_restricted);
        sqlite3_bind_int(st, 15, prep->ocr);
        if (!S_step_done(st))
            return S_dberr(s, err, "store a report");
        report_id = sqlite3_last_insert_rowid(s->db);
        /* Does it take another report's place in the rankings? */
        if (!(st = S_stmt(s, ST_REPORT_OTHERS, err)))
            return CNRS_ERR_DB;
        S_bind_meta(st, report_id, company_id, in);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *replaced = S_col_dup(st, 0);
        else if (rc != SQLITE_DONE)
            return S_dberr(s, err, "find reports of the same company and year");
        sqlite3_reset(st);
    } else {
        if (company_id) {
            if (!(st = S_stmt(s, ST_REPORT_META, err)))
                return CNRS_ERR_DB;
            S_bind_meta(st, report_id, company_id, in);
            S_bind_text(st, 5, in->path);
            S_bind_text(st, 6, in->meta_source ? in->meta_source : "none");
            if (!S_step_done(st))
                return S_dberr(s, err, "update a report");
        }
    }

    if (!in->rep) {
        *outcome = CNRS_UNCHANGED;
        return CNRS_OK;
    }
    if (!(st = S_stmt(s, ST_SCORE_FIND, err)))
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, report_id);
    S_bind_text(st, 2, r->sha256);
    S_bind_text(st, 3, engine_version);
    rc = sqlite3_step(st);
    int64_t old = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return S_dberr(s, err, "find a score");
    sqlite3_reset(st);
    if (old && !force) {
        *outcome = CNRS_UNCHANGED;
        return CNRS_OK;
    }
    if (old) {
        if (!(st = S_stmt(s, ST_SCORE_DELETE, err)))
            return CNRS_ERR_DB;
        sqlite3_bind_int64(st, 1, old);
        if (!S_step_done(st))
            return S_dberr(s, err, "replace a score");
    }
    /* The document's description may change with the engine (ingestion). */
    if (!inserted && !(st = S_stmt(s, ST_REPORT_DOC, err)))
        return CNRS_ERR_DB;
    if (!inserted) {
        sqlite3_bind_int64(st, 1, report_id);
        S_bind_text(st, 2, prep->format);
        S_bind_text(st, 3, prep->encoding);
        sqlite3_bind_int(st, 4, prep->npages);
        sqlite3_bind_int(st, 5, prep->paged);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)prep->nsents);
        sqlite3_bind_int64(st, 7, in->bytes);
        S_bind_text(st, 8, prep->script);
        sqlite3_bind_int(st, 9, prep->copy_restricted);
        sqlite3_bind_int(st, 10, prep->ocr);
        if (!S_step_done(st))
            return S_dberr(s, err, "update a report");
    }
    cs = S_put_score(s, run_id, r, engine_version, report_id, in->rep, prep, err);
    if (cs == CNRS_OK)
        *outcome = CNRS_STORED;
    return cs;
}

cnrs_status cnrs_store_put(cnrs_store *s, int64_t run_id, const cnrs_rubric *r,
                           const char *engine_version, const cnrs_store_input *in, int force,
                           cnrs_store_outcome *outcome, char **replaced, cnrs_error *err)
{
    *replaced = NULL;
    *outcome = CNRS_UNKNOWN;
    cnrs_store_prep own;
    const cnrs_store_prep *prep = in->prep;
    if (in->rep && !prep) {
        cnrs_store_prepare(r, in->rep, &own);
        prep = &own;
    }
    cnrs_status st = S_begin(s, err);
    if (st == CNRS_OK)
        st = S_put(s, run_id, r, engine_version, in, prep, force, outcome, replaced, err);
    if (st == CNRS_OK)
        st = S_commit(s, err);
    if (st != CNRS_OK) {
        S_rollback(s);
        free(*replaced);
        *replaced = NULL;
    }
    if (prep == &own)
        cnrs_store_prep_free(&own);
    return st;
}

/* The id and path of the scored report that counts instead of report `id`
 * for its company, year and type (a higher id), or 0. */
static int64_t S_current_other(cnrs_store *s, int64_t id, char **path, cnrs_error *err, int *bad)
{
    sqlite3_stmt *st = S_prepare(s,
        "SELECT o.id, o.path FROM reports r JOIN reports o ON o.company_id = r.company_id\n"
        "  AND o.year IS r.year AND o.report_type IS r.report_type AND o.id > r.id\n"
        "WHERE r.id = ?1 AND EXISTS (SELECT 1 FROM scores s WHERE s.report_id = r.id)\n"
        "  AND EXISTS (SELECT 1 FROM scores s WHERE s.report_id = o.id)\n"
        "ORDER BY o.id DESC LIMIT 1", err);
    *bad = !st;
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, id);
    int64_t other = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        other = sqlite3_column_int64(st, 0);
        *path = S_col_dup(st, 1);
    } else if (rc != SQLITE_DONE) {
        S_dberr(s, err, "find the current report");
        *bad = 1;
    }
    sqlite3_finalize(st);
    return other;
}

cnrs_status cnrs_store_make_current(cnrs_store *s, const char *sha256, char **replaced,
                                    cnrs_error *err)
{
    *replaced = NULL;
    sqlite3_stmt *st = S_stmt(s, ST_REPORT_FIND, err);
    if (!st)
        return CNRS_ERR_DB;
    S_bind_text(st, 1, sha256);
    int rc = sqlite3_step(st);
    int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return S_dberr(s, err, "find a report");
    int bad = 0;
    char *path = NULL;
    /* Read first without a write lock: usually this report counts already. */
    if (!id || !S_current_other(s, id, &path, err, &bad)) {
        free(path);
        return bad ? CNRS_ERR_DB : CNRS_OK;
    }
    free(path);
    path = NULL;
    cnrs_status cs = S_begin(s, err);
    if (cs == CNRS_OK && S_current_other(s, id, &path, err, &bad)) {
        /* A new id above every other; the rows that point at it follow. The
         * foreign keys are checked at commit, when they agree again. */
        char sql[512];
        snprintf(sql, sizeof sql,
                 "PRAGMA defer_foreign_keys = ON;\n"
                 "UPDATE reports SET id = (SELECT max(id) + 1 FROM reports) WHERE id = %lld;\n"
                 "UPDATE scores SET report_id = (SELECT max(id) FROM reports) WHERE report_id = %lld;\n"
                 "UPDATE reviews SET report_id = (SELECT max(id) FROM reports) WHERE report_id = %lld;",
                 (long long)id, (long long)id, (long long)id);
        cs = S_exec(s, sql, err);
    } else if (bad) {
        cs = CNRS_ERR_DB;
    }
    if (cs == CNRS_OK)
        cs = S_commit(s, err);
    if (cs != CNRS_OK) {
        S_rollback(s);
        free(path);
        path = NULL;
    }
    *replaced = path;
    return cs;
}

cnrs_status cnrs_store_put_failure(cnrs_store *s, int64_t run_id, const char *path,
                                   const char *source, const char *kind, int fatal,
                                   const char *message, cnrs_error *err)
{
    char now[32];
    S_now(now);
    sqlite3_stmt *st = S_stmt(s, ST_FAILURE, err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, run_id);
    S_bind_text(st, 2, path);
    S_bind_text(st, 3, source);
    S_bind_text(st, 4, kind);
    sqlite3_bind_int(st, 5, fatal != 0);
    S_bind_text(st, 6, message);
    S_bind_text(st, 7, now);
    return S_step_done(st) ? CNRS_OK : S_dberr(s, err, "record a failure");
}

/* ---- reviewed totals ------------------------------------------------------------ */

static void S_free_indicators(cnrs_stored_card *c)
{
    for (size_t i = 0; i < c->nind; i++) {
        free(c->ind[i].id);
        free(c->ind[i].key);
        free(c->ind[i].name);
        free(c->ind[i].band);
        free(c->ind[i].items);
    }
    free(c->ind);
    c->ind = NULL;
    c->nind = 0;
}

/* Indicator rows of a score with reviews applied; fills ind[] (caller
 * provides the card) without evidence. */
static cnrs_status S_load_indicators(cnrs_store *s, cnrs_stored_card *c, cnrs_error *err)
{
    sqlite3_stmt *st = S_prepare(
        s,
        "SELECT i.indicator, i.key, i.name, i.band, i.items, i.stage, i.in_stage, i.K,\n"
        "  i.covered, i.sentences, i.trend, i.comparison, i.integration, i.leadership, i.bonus,\n"
        "  i.weight, i.coverage, i.quant, i.n, i.pct, i.points, e.id, e.new_pct\n"
        "FROM indicator_scores i LEFT JOIN effective_reviews e\n"
        "  ON e.report_id = ?2 AND e.indicator = i.indicator\n"
        "WHERE i.score_id = ?1 ORDER BY i.ord",
        err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, c->score_id);
    sqlite3_bind_int64(st, 2, c->report_id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        c->ind = cnrs_xgrow(c->ind, &cap, c->nind + 1, sizeof *c->ind);
        cnrs_stored_indicator *x = &c->ind[c->nind++];
        memset(x, 0, sizeof *x);
        x->id = S_col_dup(st, 0);
        x->key = S_col_dup(st, 1);
        x->name = S_col_dup(st, 2);
        x->band = S_col_dup(st, 3);
        x->items = S_col_dup(st, 4);
        x->stage = sqlite3_column_int(st, 5);
        x->in_stage = sqlite3_column_int(st, 6);
        x->K = sqlite3_column_int(st, 7);
        x->covered = sqlite3_column_int(st, 8);
        x->sentences = sqlite3_column_int(st, 9);
        x->trend = sqlite3_column_int(st, 10);
        x->comparison = sqlite3_column_int(st, 11);
        x->integration = sqlite3_column_int(st, 12);
        x->leadership = sqlite3_column_int(st, 13);
        x->bonus = sqlite3_column_int(st, 14);
        x->weight = sqlite3_column_double(st, 15);
        x->coverage = sqlite3_column_double(st, 16);
        x->quant = sqlite3_column_double(st, 17);
        x->n = sqlite3_column_double(st, 18);
        x->pct = sqlite3_column_double(st, 19);
        x->points = sqlite3_column_double(st, 20);
        x->reviewed = sqlite3_column_type(st, 21) != SQLITE_NULL;
        x->review_id = x->reviewed ? sqlite3_column_int64(st, 21) : 0;
        x->reviewed_pct = x->reviewed ? sqlite3_column_double(st, 22) : x->pct;
        if (x->reviewed)
            c->nreviewed++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return S_dberr(s, err, "read indicator scores");
    c->reviewed_total = c->nreviewed ? cnrs_stored_card_reviewed_total(c) : c->total;
    return CNRS_OK;
}

double cnrs_stored_card_reviewed_total(const cnrs_stored_card *c)
{
    double total = 0;
    for (size_t i = 0; i < c->nind; i++)
        if (c->ind[i].in_stage)
            total += c->ind[i].weight * c->ind[i].reviewed_pct / 100.0;
    return total;
}

/* ---- rankings ----------------------------------------------------------------- */

cnrs_status cnrs_store_rank_rows(cnrs_store *s, int year, cnrs_store_rank_row **rows,
                                 size_t *n, cnrs_error *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = S_prepare(
        s,
        "SELECT r.id, c.code, c.name, c.industry, c.size, r.report_type, r.path, r.sha256,\n"
        "  r.year, s.stage, s.stage_name, s.total, s.max, s.rubric_sha256, s.id,\n"
        "  EXISTS (SELECT 1 FROM effective_reviews e WHERE e.report_id = r.id)\n"
        "FROM current_reports r JOIN companies c ON c.id = r.company_id\n"
        "  JOIN latest_scores s ON s.report_id = r.id\n"
        "WHERE ?1 = 0 OR r.year = ?1\n"
        "ORDER BY r.year DESC, s.stage DESC, s.total DESC, c.name, r.id",
        err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int(st, 1, year);
    cnrs_store_rank_row *v = NULL;
    size_t cap = 0, k = 0;
    int rc;
    cnrs_status cs = CNRS_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        v = cnrs_xgrow(v, &cap, k + 1, sizeof *v);
        cnrs_store_rank_row *x = &v[k++];
        memset(x, 0, sizeof *x);
        x->report_id = sqlite3_column_int64(st, 0);
        x->code = S_col_dup(st, 1);
        x->company = S_col_dup(st, 2);
        x->industry = S_col_dup(st, 3);
        x->size = S_col_dup(st, 4);
        x->report_type = S_col_dup(st, 5);
        x->path = S_col_dup(st, 6);
        x->sha256 = S_col_dup(st, 7);
        x->year = sqlite3_column_int(st, 8);
        x->stage = sqlite3_column_int(st, 9);
        x->stage_name = S_col_dup(st, 10);
        x->total = x->reviewed = sqlite3_column_double(st, 11);
        x->max = sqlite3_column_double(st, 12);
        x->rubric_sha256 = S_col_dup(st, 13);
        if (sqlite3_column_int(st, 15)) {
            cnrs_stored_card c;
            memset(&c, 0, sizeof c);
            c.report_id = x->report_id;
            c.score_id = sqlite3_column_int64(st, 14);
            c.total = x->total;
            cs = S_load_indicators(s, &c, err);
            x->reviewed = c.reviewed_total;
            x->nreviews = (int)c.nreviewed;
            S_free_indicators(&c);
            if (cs != CNRS_OK)
                break;
        }
    }
    sqlite3_finalize(st);
    if (cs == CNRS_OK && rc != SQLITE_DONE)
        cs = S_dberr(s, err, "read scores");
    if (cs != CNRS_OK) {
        cnrs_store_rank_rows_free(v, k);
        return cs;
    }
    *rows = v;
    *n = k;
    return CNRS_OK;
}

void cnrs_store_rank_rows_free(cnrs_store_rank_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cnrs_store_rank_row *x = &rows[i];
        free(x->code);
        free(x->company);
        free(x->industry);
        free(x->size);
        free(x->report_type);
        free(x->path);
        free(x->sha256);
        free(x->stage_name);
        free(x->rubric_sha256);
    }
    free(rows);
}

/* ---- companies and cards ---------------------------------------------------------- */

static cnrs_status S_companies_where(cnrs_store *s, const char *where, const char *arg,
                                     cnrs_store_company **out, size_t *n, cnrs_error *err)
{
    cnrs_buf sql = CNRS_BUF_INIT;
    cnrs_buf_printf(&sql, "SELECT id, code, name, industry, size FROM companies WHERE (%s)\n"
                          "  AND EXISTS (SELECT 1 FROM current_reports r\n"
                          "              WHERE r.company_id = companies.id)\n"
                          "ORDER BY code, name", where);
    sqlite3_stmt *st = S_prepare(s, sql.data, err);
    cnrs_buf_free(&sql);
    if (!st)
        return CNRS_ERR_DB;
    S_bind_text(st, 1, arg);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = cnrs_xgrow(*out, &cap, *n + 1, sizeof **out);
        cnrs_store_company *c = &(*out)[(*n)++];
        c->id = sqlite3_column_int64(st, 0);
        c->code = S_col_dup(st, 1);
        c->name = S_col_dup(st, 2);
        c->industry = S_col_dup(st, 3);
        c->size = S_col_dup(st, 4);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? CNRS_OK : S_dberr(s, err, "find companies");
}

cnrs_status cnrs_store_find_companies(cnrs_store *s, const char *q, cnrs_store_company **out,
                                      size_t *n, cnrs_error *err)
{
    *out = NULL;
    *n = 0;
    cnrs_status st = S_companies_where(s, "code = ?1", q, out, n, err);
    if (st == CNRS_OK && *n == 0)
        st = S_companies_where(s, "name = ?1", q, out, n, err);
    if (st == CNRS_OK && *n == 0) {
        cnrs_buf like = CNRS_BUF_INIT;
        cnrs_buf_putc(&like, '%');
        for (const char *p = q; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '\\')
                cnrs_buf_putc(&like, '\\');
            cnrs_buf_putc(&like, *p);
        }
        cnrs_buf_putc(&like, '%');
        st = S_companies_where(s, "name LIKE ?1 ESCAPE '\\'", like.data, out, n, err);
        cnrs_buf_free(&like);
    }
    if (st != CNRS_OK) {
        cnrs_store_companies_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return st;
}

void cnrs_store_companies_free(cnrs_store_company *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].code);
        free(v[i].name);
        free(v[i].industry);
        free(v[i].size);
    }
    free(v);
}

cnrs_status cnrs_store_company_reports(cnrs_store *s, int64_t company_id, int year,
                                       int64_t **ids, size_t *n, cnrs_error *err)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st = S_prepare(s,
                                 "SELECT id FROM current_reports WHERE company_id = ?1 AND "
                                 "(?2 = 0 OR year = ?2) ORDER BY year DESC, report_type, id",
                                 err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, company_id);
    sqlite3_bind_int(st, 2, year);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *ids = cnrs_xgrow(*ids, &cap, *n + 1, sizeof **ids);
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return S_dberr(s, err, "find reports");
    }
    return CNRS_OK;
}

/* The stored figures document of the card's score ("[]" when there is none:
 * a report stored before schema version 3). */
static cnrs_status S_load_figures(cnrs_store *s, cnrs_stored_card *c, cnrs_error *err)
{
    sqlite3_stmt *st =
        S_prepare(s, "SELECT records FROM figure_sets WHERE score_id = ?1", err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, c->score_id);
    int rc = sqlite3_step(st);
    c->figures = rc == SQLITE_ROW ? S_col_dup(st, 0) : NULL;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return S_dberr(s, err, "load figures");
    if (!c->figures)
        c->figures = cnrs_xstrdup("[]");
    st = S_prepare(s,
                   "SELECT scope, basis, kind, year, value, unit, tco2e, page FROM figures\n"
                   "WHERE score_id = ?1 ORDER BY seq",
                   err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, c->score_id);
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        c->fig = cnrs_xgrow(c->fig, &cap, c->nfig + 1, sizeof *c->fig);
        cnrs_stored_figure *f = &c->fig[c->nfig++];
        f->scope = S_col_dup(st, 0);
        f->basis = S_col_dup(st, 1);
        f->kind = S_col_dup(st, 2);
        f->year = sqlite3_column_int(st, 3);
        f->value = S_col_dup(st, 4);
        f->unit = S_col_dup(st, 5);
        f->tco2e = sqlite3_column_double(st, 6);
        f->page = sqlite3_column_int(st, 7);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return S_dberr(s, err, "load figures");
    return CNRS_OK;
}

static cnrs_status S_load_evidence(cnrs_store *s, cnrs_stored_card *c, cnrs_error *err)
{
    /* The view alone, in report order: joined to indicator_scores in SQL,
     * SQLite runs the view's json_each over the whole document once per
     * indicator row (16 times). Indicator slices are made here instead:
     * records counted per indicator, then placed (stable). */
    sqlite3_stmt *st = S_prepare(
        s,
        "SELECT e.indicator, e.item, e.page, e.sentence, e.quant, e.units, e.trend,\n"
        "  e.comparison, e.integration, e.leadership, e.text, e.section\n"
        "FROM evidence e WHERE e.score_id = ?1 ORDER BY e.seq",
        err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, c->score_id);
    cnrs_stored_evidence *tmp = NULL;
    size_t *ord = NULL, cap = 0, ocap = 0, n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *ind = (const char *)sqlite3_column_text(st, 0);
        size_t k = 0;
        while (k < c->nind && !(ind && c->ind[k].id && strcmp(c->ind[k].id, ind) == 0))
            k++;
        if (k == c->nind)
            continue; /* as the join did: no such indicator row */
        tmp = cnrs_xgrow(tmp, &cap, n + 1, sizeof *tmp);
        ord = cnrs_xgrow(ord, &ocap, n + 1, sizeof *ord);
        cnrs_stored_evidence *e = &tmp[n];
        ord[n] = k;
        e->item = S_col_dup(st, 1);
        e->page = sqlite3_column_int(st, 2);
        e->sentence = sqlite3_column_int(st, 3);
        e->quant = sqlite3_column_int(st, 4);
        e->units = S_col_dup(st, 5);
        e->trend = sqlite3_column_int(st, 6);
        e->comparison = sqlite3_column_int(st, 7);
        e->integration = sqlite3_column_int(st, 8);
        e->leadership = sqlite3_column_int(st, 9);
        e->text = S_col_dup(st, 10);
        e->section = S_col_dup(st, 11); /* NULL: stored before schema 5 */
        c->ind[k].nev++;
        n++;
    }
    sqlite3_finalize(st);
    size_t at = 0;
    for (size_t k = 0; k < c->nind; k++) {
        c->ind[k].first_ev = at;
        at += c->ind[k].nev;
    }
    c->ev = cnrs_xcalloc(n ? n : 1, sizeof *c->ev);
    size_t *next = cnrs_xcalloc(c->nind ? c->nind : 1, sizeof *next);
    for (size_t i = 0; i < n; i++)
        c->ev[c->ind[ord[i]].first_ev + next[ord[i]]++] = tmp[i];
    c->nev = n;
    free(next);
    free(tmp);
    free(ord);
    return rc == SQLITE_DONE ? CNRS_OK : S_dberr(s, err, "read evidence");
}

cnrs_status cnrs_store_load_card(cnrs_store *s, int64_t report_id, int with_evidence,
                                 cnrs_stored_card **out, cnrs_error *err)
{
    *out = NULL;
    sqlite3_stmt *st = S_prepare(
        s,
        "SELECT r.id, s.id, s.run_id, c.code, c.name, c.industry, c.size, r.report_type,\n"
        "  r.year, r.path, r.format, r.encoding, r.sha256, r.pages, r.paged, r.sentences,\n"
        "  r.bytes, u.rubric_id, u.rubric_version, s.rubric_sha256, s.engine_version,\n"
        "  s.scored_at, s.stage, s.stage_name, s.total, s.max, r.script, r.copy_restricted,\n"
        "  r.ocr\n"
        "FROM reports r JOIN companies c ON c.id = r.company_id\n"
        "  JOIN latest_scores s ON s.report_id = r.id JOIN runs u ON u.id = s.run_id\n"
        "WHERE r.id = ?1",
        err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, report_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return cnrs_error_set(err, CNRS_ERR_USAGE, "%s: no scored report %lld", s->path,
                                  (long long)report_id);
        return S_dberr(s, err, "read a report");
    }
    cnrs_stored_card *c = cnrs_xcalloc(1, sizeof *c);
    c->report_id = sqlite3_column_int64(st, 0);
    c->score_id = sqlite3_column_int64(st, 1);
    c->run_id = sqlite3_column_int64(st, 2);
    c->code = S_col_dup(st, 3);
    c->company = S_col_dup(st, 4);
    c->industry = S_col_dup(st, 5);
    c->size = S_col_dup(st, 6);
    c->report_type = S_col_dup(st, 7);
    c->year = sqlite3_column_int(st, 8);
    c->path = S_col_dup(st, 9);
    c->format = S_col_dup(st, 10);
    c->encoding = S_col_dup(st, 11);
    c->sha256 = S_col_dup(st, 12);
    c->pages = sqlite3_column_int(st, 13);
    c->paged = sqlite3_column_int(st, 14);
    c->sentences = sqlite3_column_int(st, 15);
    c->bytes = sqlite3_column_int64(st, 16);
    c->rubric_id = S_col_dup(st, 17);
    c->rubric_version = S_col_dup(st, 18);
    c->rubric_sha256 = S_col_dup(st, 19);
    c->engine_version = S_col_dup(st, 20);
    c->scored_at = S_col_dup(st, 21);
    c->stage = sqlite3_column_int(st, 22);
    c->stage_name = S_col_dup(st, 23);
    c->total = sqlite3_column_double(st, 24);
    c->max = sqlite3_column_double(st, 25);
    c->script = S_col_dup(st, 26);
    c->copy_restricted = sqlite3_column_int(st, 27);
    c->ocr = sqlite3_column_int(st, 28);
    sqlite3_finalize(st);
    cnrs_status cs = S_load_indicators(s, c, err);
    if (cs == CNRS_OK && with_evidence)
        cs = S_load_evidence(s, c, err);
    if (cs == CNRS_OK && with_evidence)
        cs = S_load_figures(s, c, err);
    if (cs != CNRS_OK) {
        cnrs_stored_card_free(c);
        return cs;
    }
    *out = c;
    return CNRS_OK;
}

void cnrs_stored_card_free(cnrs_stored_card *c)
{
    if (!c)
        return;
    char **strs[] = {&c->code, &c->company, &c->industry, &c->size, &c->report_type,
                     &c->path, &c->format, &c->encoding, &c->sha256, &c->rubric_id,
                     &c->rubric_version, &c->rubric_sha256, &c->engine_version, &c->scored_at,
                     &c->stage_name, &c->script, &c->figures};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(*strs[i]);
    S_free_indicators(c);
    for (size_t i = 0; i < c->nev; i++) {
        free(c->ev[i].item);
        free(c->ev[i].units);
        free(c->ev[i].text);
        free(c->ev[i].section);
    }
    free(c->ev);
    for (size_t i = 0; i < c->nfig; i++) {
        cnrs_stored_figure *f = &c->fig[i];
        free(f->scope);
        free(f->basis);
        free(f->kind);
        free(f->value);
        free(f->unit);
    }
    free(c->fig);
    free(c);
}

/* ---- reviews ---------------------------------------------------------------------- */

cnrs_status cnrs_store_review_add(cnrs_store *s, int64_t report_id, const char *indicator,
                                  double pct, const char *reason, const char *reviewer,
                                  int64_t *id, double *old_pct, cnrs_error *err)
{
    cnrs_status cs = S_begin(s, err);
    if (cs != CNRS_OK)
        return cs;
    sqlite3_stmt *st = S_prepare(
        s,
        "SELECT i.indicator, coalesce(e.new_pct, i.pct)\n"
        "FROM latest_scores s JOIN indicator_scores i ON i.score_id = s.id\n"
        "  LEFT JOIN effective_reviews e ON e.report_id = s.report_id\n"
        "    AND e.indicator = i.indicator\n"
        "WHERE s.report_id = ?1 AND (upper(i.indicator) = upper(?2) OR i.key = ?2)",
        err);
    if (!st) {
        S_rollback(s);
        return CNRS_ERR_DB;
    }
    sqlite3_bind_int64(st, 1, report_id);
    S_bind_text(st, 2, indicator);
    int rc = sqlite3_step(st);
    char *ind = rc == SQLITE_ROW ? S_col_dup(st, 0) : NULL;
    *old_pct = rc == SQLITE_ROW ? sqlite3_column_double(st, 1) : 0;
    sqlite3_finalize(st);
    if (!ind) {
        S_rollback(s);
        if (rc == SQLITE_DONE)
            return cnrs_error_set(err, CNRS_ERR_USAGE,
                                  "no indicator \"%s\" in the stored scorecard (E1..E5, C6..C10, "
                                  "Q11..Q16, or a key such as ghg)",
                                  indicator);
        return S_dberr(s, err, "read the indicator");
    }
    char now[32];
    S_now(now);
    st = S_prepare(s,
                   "INSERT INTO reviews(report_id, indicator, old_pct, new_pct, reason, reviewer, "
                   "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   err);
    if (!st) {
        free(ind);
        S_rollback(s);
        return CNRS_ERR_DB;
    }
    sqlite3_bind_int64(st, 1, report_id);
    S_bind_text(st, 2, ind);
    sqlite3_bind_double(st, 3, *old_pct);
    sqlite3_bind_double(st, 4, pct);
    S_bind_text(st, 5, reason);
    S_bind_text(st, 6, reviewer);
    S_bind_text(st, 7, now);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    free(ind);
    if (rc != SQLITE_DONE) {
        cs = S_dberr(s, err, "record the review");
        S_rollback(s);
        return cs;
    }
    *id = sqlite3_last_insert_rowid(s->db);
    cs = S_commit(s, err);
    if (cs != CNRS_OK)
        S_rollback(s);
    return cs;
}

cnrs_status cnrs_store_review_undo(cnrs_store *s, int64_t id, const char *who, cnrs_error *err)
{
    char now[32];
    S_now(now);
    sqlite3_stmt *st = S_prepare(s,
                                 "UPDATE reviews SET undone_at = ?2, undone_by = ?3 "
                                 "WHERE id = ?1 AND undone_at IS NULL",
                                 err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    S_bind_text(st, 2, now);
    S_bind_text(st, 3, who);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return S_dberr(s, err, "undo a review");
    if (sqlite3_changes(s->db) == 0)
        return cnrs_error_set(err, CNRS_ERR_USAGE, "no review %lld in force to undo",
                              (long long)id);
    return CNRS_OK;
}

cnrs_status cnrs_store_reviews(cnrs_store *s, int64_t company_id, int year,
                               cnrs_store_review **out, size_t *n, cnrs_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = S_prepare(
        s,
        "SELECT v.id, v.report_id, c.code, c.name, v.indicator, v.reason, v.reviewer,\n"
        "  v.created_at, v.undone_at, v.undone_by, r.year, v.old_pct, v.new_pct\n"
        "FROM reviews v JOIN reports r ON r.id = v.report_id\n"
        "  JOIN companies c ON c.id = r.company_id\n"
        "WHERE (?1 = 0 OR c.id = ?1) AND (?2 = 0 OR r.year = ?2) ORDER BY v.id",
        err);
    if (!st)
        return CNRS_ERR_DB;
    sqlite3_bind_int64(st, 1, company_id);
    sqlite3_bind_int(st, 2, year);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = cnrs_xgrow(*out, &cap, *n + 1, sizeof **out);
        cnrs_store_review *v = &(*out)[(*n)++];
        v->id = sqlite3_column_int64(st, 0);
        v->report_id = sqlite3_column_int64(st, 1);
        v->code = S_col_dup(st, 2);
        v->company = S_col_dup(st, 3);
        v->indicator = S_col_dup(st, 4);
        v->reason = S_col_dup(st, 5);
        v->reviewer = S_col_dup(st, 6);
        v->created_at = S_col_dup(st, 7);
        v->undone_at = S_col_dup(st, 8);
        v->undone_by = S_col_dup(st, 9);
        v->year = sqlite3_column_int(st, 10);
        v->old_pct = sqlite3_column_double(st, 11);
        v->new_pct = sqlite3_column_double(st, 12);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cnrs_store_reviews_free(*out, *n);
        *out = NULL;
        *n = 0;
        return S_dberr(s, err, "list reviews");
    }
    return CNRS_OK;
}

void cnrs_store_review_clear(cnrs_store_review *v)
{
    free(v->code);
    free(v->company);
    free(v->indicator);
    free(v->reason);
    free(v->reviewer);
    free(v->created_at);
    free(v->undone_at);
    free(v->undone_by);
    memset(v, 0, sizeof *v);
}

void cnrs_store_reviews_free(cnrs_store_review *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cnrs_store_review_clear(&v[i]);
    free(v);
}

/* ---- export ------------------------------------------------------------------------ */

/* A column: name, kind, decimals for numbers (-1: integer as stored). */
typedef struct S_col {
    const char *name;
    cnrs_cell_kind kind;
    int decimals;
} S_col;

static const S_col S_cols_scores[] = {
    {"code", CNRS_CELL_TEXT, 0},          {"company", CNRS_CELL_TEXT, 0},
    {"year", CNRS_CELL_NUMBER, -1},       {"report_type", CNRS_CELL_TEXT, 0},
    {"industry", CNRS_CELL_TEXT, 0},      {"size", CNRS_CELL_TEXT, 0},
    {"stage", CNRS_CELL_NUMBER, -1},      {"stage_name", CNRS_CELL_TEXT, 0},
    {"score", CNRS_CELL_NUMBER, 1},       {"reviewed_score", CNRS_CELL_NUMBER, 1},
    {"reviews", CNRS_CELL_NUMBER, -1},    {"max", CNRS_CELL_NUMBER, 0},
    {"file", CNRS_CELL_TEXT, 0},          {"sha256", CNRS_CELL_TEXT, 0},
    {"format", CNRS_CELL_TEXT, 0},        {"pages", CNRS_CELL_NUMBER, -1},
    {"rubric_id", CNRS_CELL_TEXT, 0},     {"rubric_version", CNRS_CELL_TEXT, 0},
    {"rubric_sha256", CNRS_CELL_TEXT, 0}, {"engine_version", CNRS_CELL_TEXT, 0},
    {"scored_at", CNRS_CELL_TEXT, 0},
};

static const S_col S_cols_indicators[] = {
    {"code", CNRS_CELL_TEXT, 0},          {"company", CNRS_CELL_TEXT, 0},
    {"year", CNRS_CELL_NUMBER, -1},       {"report_type", CNRS_CELL_TEXT, 0},
    {"stage", CNRS_CELL_NUMBER, -1},      {"indicator", CNRS_CELL_TEXT, 0},
    {"key", CNRS_CELL_TEXT, 0},           {"name", CNRS_CELL_TEXT, 0},
    {"indicator_stage", CNRS_CELL_NUMBER, -1}, {"in_stage", CNRS_CELL_BOOL, 0},
    {"weight", CNRS_CELL_NUMBER, 3},      {"band", CNRS_CELL_TEXT, 0},
    {"K", CNRS_CELL_NUMBER, -1},          {"covered", CNRS_CELL_NUMBER, -1},
    {"coverage", CNRS_CELL_NUMBER, 3},    {"quant", CNRS_CELL_NUMBER, 3},
    {"sentences", CNRS_CELL_NUMBER, -1},  {"n", CNRS_CELL_NUMBER, 2},
    {"trend", CNRS_CELL_BOOL, 0},         {"comparison", CNRS_CELL_BOOL, 0},
    {"integration", CNRS_CELL_BOOL, 0},   {"leadership", CNRS_CELL_BOOL, 0},
    {"bonus", CNRS_CELL_BOOL, 0},         {"pct", CNRS_CELL_NUMBER, 2},
    {"points", CNRS_CELL_NUMBER, 3},      {"reviewed_pct", CNRS_CELL_NUMBER, 2},
    {"reviewed_points", CNRS_CELL_NUMBER, 3}, {"review_reason", CNRS_CELL_TEXT, 0},
    {"items", CNRS_CELL_TEXT, 0},
};

static const S_col S_cols_evidence[] = {
    {"code", CNRS_CELL_TEXT, 0},         {"company", CNRS_CELL_TEXT, 0},
    {"year", CNRS_CELL_NUMBER, -1},      {"report_type", CNRS_CELL_TEXT, 0},
    {"indicator", CNRS_CELL_TEXT, 0},    {"item", CNRS_CELL_TEXT, 0},
    {"page", CNRS_CELL_NUMBER, -1},      {"sentence", CNRS_CELL_NUMBER, -1},
    {"quant", CNRS_CELL_BOOL, 0},        {"units", CNRS_CELL_TEXT, 0},
    {"trend", CNRS_CELL_BOOL, 0},        {"comparison", CNRS_CELL_BOOL, 0},
    {"integration", CNRS_CELL_BOOL, 0},  {"leadership", CNRS_CELL_BOOL, 0},
    {"text", CNRS_CELL_TEXT, 0},         {"section", CNRS_CELL_TEXT, 0},
};

static const S_col S_cols_figures[] = {
    {"code", CNRS_CELL_TEXT, 0},       {"company", CNRS_CELL_TEXT, 0},
    {"year", CNRS_CELL_NUMBER, -1},    {"report_type", CNRS_CELL_TEXT, 0},
    {"scope", CNRS_CELL_TEXT, 0},      {"basis", CNRS_CELL_TEXT, 0},
    {"kind", CNRS_CELL_TEXT, 0},       {"figure_year", CNRS_CELL_NUMBER, -1},
    {"value", CNRS_CELL_TEXT, 0},      {"unit", CNRS_CELL_TEXT, 0},
    {"tco2e", CNRS_CELL_NUMBER, 3},    {"approx", CNRS_CELL_TEXT, 0},
    {"page", CNRS_CELL_NUMBER, -1},    {"text", CNRS_CELL_TEXT, 0},
};

#define S_FROM_CURRENT                                                                           \
    "FROM current_reports r JOIN companies c ON c.id = r.company_id\n"                           \
    "  JOIN latest_scores s ON s.report_id = r.id JOIN runs u ON u.id = s.run_id\n"

/* The SELECTs give the columns above in order; the scores query adds the
 * score id and a "has reviews" flag for the reviewed score, computed in C. */
static const char S_export_scores[] =
    "SELECT c.code, c.name, r.year, r.report_type, c.industry, c.size, s.stage, s.stage_name,\n"
    "  s.total, s.total, (SELECT count(*) FROM effective_reviews e WHERE e.report_id = r.id),\n"
    "  s.max, r.path, r.sha256, r.format, r.pages, u.rubric_id, u.rubric_version,\n"
    "  s.rubric_sha256, s.engine_version, s.scored_at, s.id, r.id\n" S_FROM_CURRENT
    "WHERE ?1 = 0 OR r.year = ?1\n"
    "ORDER BY r.year, c.code, c.name, r.report_type, r.id";

static const char S_export_indicators[] =
    "SELECT c.code, c.name, r.year, r.report_type, s.stage, i.indicator, i.key, i.name,\n"
    "  i.stage, i.in_stage, i.weight, i.band, i.K, i.covered, i.coverage, i.quant,\n"
    "  i.sentences, i.n, i.trend, i.comparison, i.integration, i.leadership, i.bonus,\n"
    "  i.pct, i.points, coalesce(e.new_pct, i.pct),\n"
    "  CASE WHEN i.in_stage THEN i.weight * coalesce(e.new_pct, i.pct) / 100.0 ELSE 0 END,\n"
    "  e.reason, i.items\n" S_FROM_CURRENT
    "  JOIN indicator_scores i ON i.score_id = s.id\n"
    "  LEFT JOIN effective_reviews e ON e.report_id = r.id AND e.indicator = i.indicator\n"
    "WHERE ?1 = 0 OR r.year = ?1\n"
    "ORDER BY r.year, c.code, c.name, r.report_type, r.id, i.ord";

static const char S_export_evidence[] =
    "SELECT c.code, c.name, r.year, r.report_type, e.indicator, e.item, e.page, e.sentence,\n"
    "  e.quant, e.units, e.trend, e.comparison, e.integration, e.leadership, e.text,\n"
    "  e.section\n" S_FROM_CURRENT
    "  JOIN evidence e ON e.score_id = s.id\n"
    "  JOIN indicator_scores i ON i.score_id = s.id AND i.indicator = e.indicator\n"
    "WHERE ?1 = 0 OR r.year = ?1\n"
    "ORDER BY r.year, c.code, c.name, r.report_type, r.id, i.ord, e.seq";

static const char S_export_figures[] =
    "SELECT c.code, c.name, r.year, r.report_type, f.scope, f.basis, f.kind, f.year, f.value,\n"
    "  f.unit, f.tco2e, f.approx, f.page, f.text\n" S_FROM_CURRENT
    "  JOIN figures f ON f.score_id = s.id\n"
    "WHERE ?1 = 0 OR r.year = ?1\n"
    "ORDER BY r.year, c.code, c.name, r.report_type, r.id, f.seq";

static void S_format_cell(cnrs_buf *b, sqlite3_stmt *st, int i, const S_col *col)
{
    if (col->kind == CNRS_CELL_NUMBER && col->decimals >= 0 &&
        sqlite3_column_type(st, i) == SQLITE_NULL)
        return; /* an intensity's tco2e: an empty cell */
    if (col->kind == CNRS_CELL_NUMBER && col->decimals >= 0)
        cnrs_buf_put_fixed(b, sqlite3_column_double(st, i), col->decimals);
    else if (col->kind == CNRS_CELL_BOOL)
        cnrs_buf_putc(b, sqlite3_column_int(st, i) ? '1' : '0');
    else {
        const unsigned char *t = sqlite3_column_text(st, i);
        cnrs_buf_puts(b, t ? (const char *)t : "");
    }
}

cnrs_status cnrs_store_export(cnrs_store *s, cnrs_export_what what, int year, cnrs_export_fn fn,
                              void *ctx, cnrs_error *err)
{
    const S_col *cols;
    size_t ncols;
    const char *sql;
    switch (what) {
    case CNRS_EXPORT_INDICATORS:
        cols = S_cols_indicators;
        ncols = sizeof S_cols_indicators / sizeof *cols;
        sql = S_export_indicators;
        break;
    case CNRS_EXPORT_EVIDENCE:
        cols = S_cols_evidence;
        ncols = sizeof S_cols_evidence / sizeof *cols;
        sql = S_export_evidence;
        break;
    case CNRS_EXPORT_FIGURES:
        cols = S_cols_figures;
        ncols = sizeof S_cols_figures / sizeof *cols;
        sql = S_export_figures;
        break;
    default:
        cols = S_cols_scores;
        ncols = sizeof S_cols_scores / sizeof *cols;
        sql = S_export_scores;
        break;
    }
    const char **names = cnrs_xcalloc(ncols, sizeof *names);
    cnrs_cell_kind *kinds = cnrs_xcalloc(ncols, sizeof *kinds);
    const char **vals = cnrs_xcalloc(ncols, sizeof *vals);
    cnrs_buf *bufs = cnrs_xcalloc(ncols, sizeof *bufs);
    for (size_t i = 0; i < ncols; i++) {
        names[i] = cols[i].name;
        kinds[i] = cols[i].kind;
    }
    fn(ctx, ncols, names, kinds, NULL);
    cnrs_status cs = CNRS_OK;
    sqlite3_stmt *st = S_prepare(s, sql, err);
    if (!st)
        cs = CNRS_ERR_DB;
    int rc = SQLITE_DONE;
    if (st) {
        sqlite3_bind_int(st, 1, year);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            for (size_t i = 0; i < ncols; i++) {
                cnrs_buf_reset(&bufs[i]);
                if (sqlite3_column_type(st, (int)i) == SQLITE_NULL) {
                    vals[i] = NULL;
                    continue;
                }
                S_format_cell(&bufs[i], st, (int)i, &cols[i]);
                vals[i] = cnrs_buf_cstr(&bufs[i]);
            }
            if (what == CNRS_EXPORT_SCORES && sqlite3_column_int(st, 10) > 0) {
                /* reviewed_score (column 9), recomputed like score.c sums */
                cnrs_stored_card c;
                memset(&c, 0, sizeof c);
                c.score_id = sqlite3_column_int64(st, (int)ncols);
                c.report_id = sqlite3_column_int64(st, (int)ncols + 1);
                c.total = sqlite3_column_double(st, 8);
                cs = S_load_indicators(s, &c, err);
                cnrs_buf_reset(&bufs[9]);
                cnrs_buf_put_fixed(&bufs[9], c.reviewed_total, 1);
                vals[9] = cnrs_buf_cstr(&bufs[9]);
                S_free_indicators(&c);
                if (cs != CNRS_OK)
                    break;
            }
            fn(ctx, ncols, names, kinds, vals);
        }
        sqlite3_finalize(st);
        if (cs == CNRS_OK && rc != SQLITE_DONE)
            cs = S_dberr(s, err, "export");
    }
    for (size_t i = 0; i < ncols; i++)
        cnrs_buf_free(&bufs[i]);
    free(bufs);
    free(vals);
    free(kinds);
    free(names);
    return cs;
}

/* ---- merge ------------------------------------------------------------------------ */

static cnrs_status S_exec_count(cnrs_store *s, const char *sql, size_t *count, cnrs_error *err)
{
    cnrs_status st = S_exec(s, sql, err);
    if (st == CNRS_OK && count)
        *count += (size_t)sqlite3_changes(s->db);
    return st;
}

static cnrs_status S_merge_runs(cnrs_store *s, cnrs_merge_counts *c, cnrs_error *err)
{
    cnrs_status cs = S_exec(s, "CREATE TEMP TABLE merge_runs(old INTEGER PRIMARY KEY, new INTEGER)",
                            err);
    if (cs != CNRS_OK)
        return cs;
    sqlite3_stmt *q = S_prepare(s,
                                "SELECT id, engine_version, rubric_id, rubric_version, "
                                "rubric_sha256, options, started_at, finished_at, inputs, scored, "
                                "unchanged, failed, warnings FROM src.runs ORDER BY id",
                                err);
    sqlite3_stmt *find = S_prepare(s,
                                   "SELECT id FROM main.runs WHERE started_at = ?1 AND "
                                   "engine_version = ?2 AND rubric_sha256 = ?3 AND options = ?4",
                                   err);
    sqlite3_stmt *ins = S_prepare(s,
                                  "INSERT INTO main.runs(engine_version, rubric_id, "
                                  "rubric_version, rubric_sha256, options, started_at, "
                                  "finished_at, inputs, scored, unchanged, failed, warnings) "
                                  "VALUES (?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
                                  err);
    sqlite3_stmt *map = S_prepare(s, "INSERT INTO temp.merge_runs(old, new) VALUES (?1, ?2)", err);
    if (!q || !find || !ins || !map)
        cs = CNRS_ERR_DB;
    int rc = SQLITE_DONE;
    while (cs == CNRS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        sqlite3_reset(find);
        sqlite3_bind_value(find, 1, sqlite3_column_value(q, 6));
        sqlite3_bind_value(find, 2, sqlite3_column_value(q, 1));
        sqlite3_bind_value(find, 3, sqlite3_column_value(q, 4));
        sqlite3_bind_value(find, 4, sqlite3_column_value(q, 5));
        int64_t id = 0;
        int frc = sqlite3_step(find);
        if (frc == SQLITE_ROW)
            id = sqlite3_column_int64(find, 0);
        else if (frc != SQLITE_DONE) {
            cs = S_dberr(s, err, "merge runs");
            break;
        }
        if (!id) {
            sqlite3_reset(ins);
            for (int k = 2; k <= 13; k++)
                sqlite3_bind_value(ins, k, sqlite3_column_value(q, k - 1));
            if (sqlite3_step(ins) != SQLITE_DONE) {
                cs = S_dberr(s, err, "merge runs");
                break;
            }
            id = sqlite3_last_insert_rowid(s->db);
            c->runs++;
        }
        sqlite3_reset(map);
        sqlite3_bind_int64(map, 1, sqlite3_column_int64(q, 0));
        sqlite3_bind_int64(map, 2, id);
        if (sqlite3_step(map) != SQLITE_DONE) {
            cs = S_dberr(s, err, "merge runs");
            break;
        }
    }
    if (cs == CNRS_OK && rc != SQLITE_DONE)
        cs = S_dberr(s, err, "merge runs");
    sqlite3_finalize(q);
    sqlite3_finalize(find);
    sqlite3_finalize(ins);
    sqlite3_finalize(map);
    return cs;
}

static cnrs_status S_merge_body(cnrs_store *s, cnrs_merge_counts *c, cnrs_error *err)
{
    cnrs_status cs = S_merge_runs(s, c, err);
    size_t src_scores = 0, inserted = 0;
    if (cs == CNRS_OK)
        cs = S_exec(
            s,
            "INSERT INTO main.companies(code, name, industry, size)\n"
            "SELECT code, name, industry, size FROM src.companies sc WHERE NOT EXISTS (\n"
            "  SELECT 1 FROM main.companies m WHERE (sc.code IS NOT NULL AND m.code = sc.code)\n"
            "    OR (sc.code IS NULL AND m.code IS NULL AND m.name = sc.name)) ORDER BY sc.id;\n"
            "CREATE TEMP TABLE merge_companies AS SELECT sc.id AS old, m.id AS new\n"
            "FROM src.companies sc JOIN main.companies m\n"
            "  ON (sc.code IS NOT NULL AND m.code = sc.code)\n"
            "  OR (sc.code IS NULL AND m.code IS NULL AND m.name = sc.name);",
            err);
    if (cs == CNRS_OK)
        cs = S_exec_count(
            s,
            "INSERT INTO main.reports(sha256, company_id, year, report_type, path, format,\n"
            "  encoding, pages, paged, sentences, bytes, meta_source, script, copy_restricted,\n"
            "  ocr)\n"
            "SELECT r.sha256, mc.new, r.year, r.report_type, r.path, r.format, r.encoding,\n"
            "  r.pages, r.paged, r.sentences, r.bytes, r.meta_source, r.script,\n"
            "  r.copy_restricted, r.ocr\n"
            "FROM src.reports r JOIN temp.merge_companies mc ON mc.old = r.company_id\n"
            "WHERE NOT EXISTS (SELECT 1 FROM main.reports m WHERE m.sha256 = r.sha256)\n"
            "ORDER BY r.id",
            &c->reports, err);
    if (cs == CNRS_OK)
        cs = S_exec(s,
                    "CREATE TEMP TABLE merge_reports AS SELECT r.id AS old, m.id AS new\n"
                    "FROM src.reports r JOIN main.reports m ON m.sha256 = r.sha256;\n"
                    "CREATE TEMP TABLE merge_maxscore AS SELECT coalesce(max(id), 0) AS id\n"
                    "FROM main.scores;",
                    err);
    if (cs == CNRS_OK) {
        sqlite3_stmt *q = S_prepare(s, "SELECT count(*) FROM src.scores", err);
        if (!q)
            cs = CNRS_ERR_DB;
        else if (sqlite3_step(q) == SQLITE_ROW)
            src_scores = (size_t)sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    if (cs == CNRS_OK)
        cs = S_exec_count(
            s,
            "INSERT INTO main.scores(report_id, run_id, engine_version, rubric_sha256, stage,\n"
            "  stage_name, total, max, scored_at)\n"
            "SELECT mr.new, mu.new, s.engine_version, s.rubric_sha256, s.stage, s.stage_name,\n"
            "  s.total, s.max, s.scored_at\n"
            "FROM src.scores s JOIN temp.merge_reports mr ON mr.old = s.report_id\n"
            "  JOIN temp.merge_runs mu ON mu.old = s.run_id\n"
            "WHERE NOT EXISTS (SELECT 1 FROM main.scores m WHERE m.report_id = mr.new\n"
            "  AND m.rubric_sha256 = s.rubric_sha256 AND m.engine_version = s.engine_version)\n"
            "ORDER BY s.id",
            &inserted, err);
    if (cs == CNRS_OK)
        cs = S_exec(
            s,
            "CREATE TEMP TABLE merge_scores AS SELECT s.id AS old, m.id AS new\n"
            "FROM src.scores s JOIN temp.merge_reports mr ON mr.old = s.report_id\n"
            "  JOIN main.scores m ON m.report_id = mr.new AND m.rubric_sha256 = s.rubric_sha256\n"
            "    AND m.engine_version = s.engine_version\n"
            "WHERE m.id > (SELECT id FROM temp.merge_maxscore);\n"
            "INSERT INTO main.indicator_scores(score_id, ord, indicator, key, name, stage,\n"
            "  in_stage, weight, band, K, covered, coverage, quant, sentences, n, trend,\n"
            "  comparison, integration, leadership, bonus, pct, points, items)\n"
            "SELECT ms.new, i.ord, i.indicator, i.key, i.name, i.stage, i.in_stage, i.weight,\n"
            "  i.band, i.K, i.covered, i.coverage, i.quant, i.sentences, i.n, i.trend,\n"
            "  i.comparison, i.integration, i.leadership, i.bonus, i.pct, i.points, i.items\n"
            "FROM src.indicator_scores i JOIN temp.merge_scores ms ON ms.old = i.score_id;\n"
            "INSERT INTO main.evidence_sets(score_id, n, records)\n"
            "SELECT ms.new, e.n, e.records\n"
            "FROM src.evidence_sets e JOIN temp.merge_scores ms ON ms.old = e.score_id;\n"
            "INSERT INTO main.figure_sets(score_id, n, records)\n"
            "SELECT ms.new, f.n, f.records\n"
            "FROM src.figure_sets f JOIN temp.merge_scores ms ON ms.old = f.score_id;",
            err);
    if (cs == CNRS_OK)
        cs = S_exec_count(
            s,
            "INSERT INTO main.failures(run_id, path, source, kind, fatal, message, at)\n"
            "SELECT mu.new, f.path, f.source, f.kind, f.fatal, f.message, f.at\n"
            "FROM src.failures f JOIN temp.merge_runs mu ON mu.old = f.run_id\n"
            "WHERE NOT EXISTS (SELECT 1 FROM main.failures m WHERE m.run_id = mu.new\n"
            "  AND m.path IS f.path AND m.source IS f.source AND m.kind = f.kind\n"
            "  AND m.message = f.message AND m.at = f.at)\n"
            "ORDER BY f.id",
            &c->failures, err);
    if (cs == CNRS_OK)
        cs = S_exec_count(
            s,
            "INSERT INTO main.reviews(report_id, indicator, old_pct, new_pct, reason, reviewer,\n"
            "  created_at, undone_at, undone_by)\n"
            "SELECT mr.new, v.indicator, v.old_pct, v.new_pct, v.reason, v.reviewer,\n"
            "  v.created_at, v.undone_at, v.undone_by\n"
            "FROM src.reviews v JOIN temp.merge_reports mr ON mr.old = v.report_id\n"
            "WHERE NOT EXISTS (SELECT 1 FROM main.reviews m WHERE m.report_id = mr.new\n"
            "  AND m.indicator = v.indicator AND m.created_at = v.created_at\n"
            "  AND m.reviewer = v.reviewer AND m.new_pct = v.new_pct)\n"
            "ORDER BY v.id",
            &c->reviews, err);
    c->scores += inserted;
    c->skipped += src_scores - inserted;
    return cs;
}

cnrs_status cnrs_store_merge(cnrs_store *s, const char *in_path, cnrs_merge_counts *c,
                             cnrs_error *err)
{
    struct stat a, b;
    if (stat(in_path, &a) == 0 && stat(s->path, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino)
        return cnrs_error_set(err, CNRS_ERR_USAGE, "%s: cannot merge a database into itself",
                              in_path);
    /* Check it is ours and current, read-only, before attaching. */
    cnrs_store *in = NULL;
    cnrs_store_opts ro = {CNRS_STORE_READ, s->busy_timeout, s->on_wait, s->wait_ctx, NULL, 0};
    cnrs_status cs = cnrs_store_open(in_path, &ro, &in, err);
    if (cs != CNRS_OK)
        return cs;
    int version = in->version;
    cnrs_store_close(in);
    if (version != s->version)
        return cnrs_error_set(err, CNRS_ERR_DB,
                              "%s: schema version %d differs from %s's (%d): run `cnrs batch "
                              "--db %s` on it once to migrate it",
                              in_path, version, s->path, s->version, in_path);

    sqlite3_stmt *att = S_prepare(s, "ATTACH DATABASE ?1 AS src", err);
    if (!att)
        return CNRS_ERR_DB;
    S_bind_text(att, 1, in_path);
    int rc = sqlite3_step(att);
    sqlite3_finalize(att);
    if (rc != SQLITE_DONE)
        return S_dberr(s, err, "attach");
    cs = S_begin(s, err);
    if (cs == CNRS_OK) {
        cs = S_merge_body(s, c, err);
        if (cs == CNRS_OK)
            cs = S_exec(s,
                        "DROP TABLE temp.merge_runs; DROP TABLE temp.merge_companies;"
                        "DROP TABLE temp.merge_reports; DROP TABLE temp.merge_scores;"
                        "DROP TABLE temp.merge_maxscore;",
                        err);
        if (cs == CNRS_OK)
            cs = S_commit(s, err);
        if (cs != CNRS_OK)
            S_rollback(s);
    }
    sqlite3_exec(s->db, "DETACH DATABASE src", NULL, NULL, NULL);
    return cs;
}
