/* store.h - the SQLite store of scored reports: schema, migrations, writes
 * and queries.
 *
 * One database file holds companies, reports (by SHA-256 of the file), runs,
 * scores with every field of the JSON scorecard, evidence, failures and
 * human reviews. The schema is documented in docs/database.md ("Schema")
 * and in S_schema_v1 of store.c; its version is PRAGMA
 * user_version, and PRAGMA application_id is CNRS_STORE_APP_ID, which is how
 * a cnrs database is told from any other SQLite file.
 *
 * Opening:
 *   - a missing file (CNRS_STORE_CREATE) is created atomically (built under
 *     a temporary name, then linked into place), so concurrent batches never
 *     see a half-built database; an empty file or an empty SQLite database is
 *     given the current schema;
 *   - a cnrs database of an older version is migrated forward, all steps in
 *     one transaction;
 *   - anything else fails with CNRS_ERR_DB and is not modified: not SQLite,
 *     another application's database, a newer schema version. The check is
 *     made through a read-only connection before the file is opened for
 *     writing (a read-write close could checkpoint someone else's WAL).
 * Writable connections use WAL, synchronous=NORMAL (a killed process loses no
 * committed transaction) and foreign keys.
 *
 * Locks: a busy handler waits (default 60 s) when another process holds the
 * write lock, calling `on_wait` once a second while it waits so the CLI can
 * say so; past the timeout the operation fails with CNRS_ERR_DB. A
 * CNRS_STORE_READ connection holds one read transaction from its first query
 * until cnrs_store_close: every query of a reading command sees the same
 * snapshot, whatever batches commit meanwhile, and never waits for them (WAL).
 *
 * A full disk (ENOSPC, EDQUOT, or EFBIG past `ulimit -f`) fails the write in
 * progress with CNRS_ERR_DB and a message saying "disk full"; the
 * transaction is rolled back whole, so the database keeps everything
 * committed before and passes PRAGMA integrity_check.
 *
 * Threads: a cnrs_store is one SQLite connection and must be used by one
 * thread at a time (the batch writer).
 *
 * Errors: every function returns a status and fills `err`
 * ("FILE: message"); nothing prints.
 */
#ifndef CNRS_STORE_H
#define CNRS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "meta.h"
#include "pipeline.h"
#include "util.h"

#define CNRS_STORE_SCHEMA_VERSION 5
#define CNRS_STORE_APP_ID 0x636E7273 /* "cnrs" */

typedef struct cnrs_store cnrs_store;

/* ## Opening */

typedef enum cnrs_store_mode {
    CNRS_STORE_READ = 0,   /* queries only; the file must be a current cnrs database */
    CNRS_STORE_WRITE = 1,  /* read-write; the file must exist; migrates */
    CNRS_STORE_CREATE = 2  /* read-write; created when missing; migrates */
} cnrs_store_mode;

/* Called while waiting for another process's lock: `waited` seconds so far. */
typedef void (*cnrs_store_wait_fn)(void *ctx, const char *path, double waited);

typedef struct cnrs_store_opts {
    cnrs_store_mode mode;
    double busy_timeout;    /* seconds; 0 = 60 */
    cnrs_store_wait_fn on_wait;
    void *wait_ctx;
    /* For tests: the migration steps (SQL; step k takes version k to k+1);
     * NULL = the built-in ones. */
    const char *const *steps;
    int nsteps;
} cnrs_store_opts;

cnrs_status cnrs_store_open(const char *path, const cnrs_store_opts *opts, cnrs_store **out,
                            cnrs_error *err);
void cnrs_store_close(cnrs_store *s);

/* The built-in migration steps (count in *n). */
const char *const *cnrs_store_steps(int *n);

/* The schema version of the open database. */
int cnrs_store_version(const cnrs_store *s);

/* The underlying sqlite3 connection (for tests and ad-hoc queries). */
struct sqlite3 *cnrs_store_sqlite(cnrs_store *s);

/* 1 when the last error was a lock held by another process past the busy
 * timeout (then trying another write would only wait again). */
int cnrs_store_locked_out(const cnrs_store *s);

/* ## Runs and writes (the batch writer) */

typedef struct cnrs_run_info {
    const char *engine_version;
    const char *rubric_id, *rubric_version, *rubric_sha256;
    const char *options; /* JSON object text */
} cnrs_run_info;

typedef struct cnrs_run_counts {
    size_t inputs, scored, unchanged, failed, warnings;
} cnrs_run_counts;

/* A new runs row (started now, finished_at NULL). Sets 64 KiB aside in a
 * file PATH-reserve beside the database until cnrs_store_run_end or
 * cnrs_store_close removes it, so a run stopped by a full disk can still
 * be closed with its counts (a reserve left by a crash is reused). */
cnrs_status cnrs_store_run_begin(cnrs_store *s, const cnrs_run_info *ri, int64_t *run_id,
                                 cnrs_error *err);
/* Set finished_at and the counts (first freeing the run's reserve). */
cnrs_status cnrs_store_run_end(cnrs_store *s, int64_t run_id, const cnrs_run_counts *c,
                               cnrs_error *err);

/* The SHA-256s (hex) of reports that already have a score from this rubric
 * and engine version, sorted (strcmp order) for bsearch; caller frees the
 * array and the strings (cnrs_store_free_strings). */
cnrs_status cnrs_store_scored_hashes(cnrs_store *s, const char *rubric_sha256,
                                     const char *engine_version, char ***out, size_t *n,
                                     cnrs_error *err);
void cnrs_store_free_strings(char **v, size_t n);

/* What the writer needs of a report besides its scorecard, prepared ahead by
 * a worker thread so the single writer only binds values: the items JSON of
 * each indicator, the evidence_sets document and the document's description.
 * Once prepared, cnrs_store_put reads only rep->card, so the worker may free
 * the report's document and evidence (batch.c does, in the thread that
 * allocated them). */
typedef struct cnrs_store_prep {
    cnrs_buf text;
    size_t *items_off, *items_len;   /* per indicator */
    size_t records_off, records_len; /* the evidence document */
    size_t figures_off, figures_len; /* the figures document (figures.h) */
    size_t nfig;
    size_t nind, nev;
    const char *format, *encoding;   /* static storage */
    const char *script;              /* cnrs_script_name, static storage */
    int npages, paged, copy_restricted, ocr;
    size_t nsents;
} cnrs_store_prep;

void cnrs_store_prepare(const cnrs_rubric *r, const cnrs_report *rep, cnrs_store_prep *p);
void cnrs_store_prep_free(cnrs_store_prep *p);

/* One report to store. `rep` NULL means "unchanged": only the metadata
 * (company, year, type, path) is updated, when the report is known. */
typedef struct cnrs_store_input {
    const char *sha256;      /* of the file's bytes */
    const char *path;        /* as opened */
    long long bytes;
    const cnrs_meta *meta;   /* company (required), code, year, industry, size, type */
    const char *meta_source; /* "manifest", "filename" or "none" */
    const cnrs_report *rep;  /* the scored report, or NULL */
    const cnrs_store_prep *prep; /* cnrs_store_prepare(rep), or NULL: done here */
} cnrs_store_input;

typedef enum cnrs_store_outcome {
    CNRS_STORED = 0,    /* a new scores row */
    CNRS_UNCHANGED = 1, /* a score from this rubric and engine existed (without --force) */
    CNRS_UNKNOWN = 2    /* rep NULL and the report is not in the database */
} cnrs_store_outcome;

/* Store one report in one transaction: company and report rows (upserted:
 * the latest metadata wins), then, unless a score from (rubric sha256,
 * engine version) exists and `force` is 0, the scores row with its 16
 * indicator rows and the evidence (replacing the old score when forced).
 * `r` is the rubric the report was scored with. When a new report takes
 * the place of another for the same company, year and type, *replaced
 * receives the other's path (caller frees), else NULL. */
cnrs_status cnrs_store_put(cnrs_store *s, int64_t run_id, const cnrs_rubric *r,
                           const char *engine_version, const cnrs_store_input *in, int force,
                           cnrs_store_outcome *outcome, char **replaced, cnrs_error *err);

/* Make the scored report with this SHA-256 the one that counts for its
 * company, year and report type: the current_reports view counts the
 * highest report id, so when another scored report of the same company,
 * year and type has a higher id, this one is given a new id above every
 * other (its scores and reviews follow) in one transaction, and *replaced
 * receives the other's path (caller frees). Otherwise, and for a report not
 * stored or not scored, nothing changes and *replaced is NULL. The batch
 * calls it for the last input of each company, year and type, so the file
 * the latest run names is the one ranked, whatever was stored before. */
cnrs_status cnrs_store_make_current(cnrs_store *s, const char *sha256, char **replaced,
                                    cnrs_error *err);

/* A failures row. `path` or `source` ("manifest.csv:12") may be NULL;
 * `kind` is a cnrs_status name (io, empty ...), "manifest", "duplicate",
 * "unknown_company", "unknown_year" or "replaced"; `fatal` 1 when the input
 * was not stored. */
cnrs_status cnrs_store_put_failure(cnrs_store *s, int64_t run_id, const char *path,
                                   const char *source, const char *kind, int fatal,
                                   const char *message, cnrs_error *err);

/* ## Queries */

/* One ranked unit: the current report of a company, year and report type,
 * with its latest score. */
typedef struct cnrs_store_rank_row {
    int64_t report_id;
    char *code, *company, *industry, *size, *report_type, *path, *sha256;
    char *stage_name, *rubric_sha256;
    int year;             /* 0 when unknown */
    int stage;
    double total;         /* automatic score */
    double reviewed;      /* score with reviews applied (== total without reviews) */
    int nreviews;         /* indicators overridden by a review */
    double max;
} cnrs_store_rank_row;

/* The rows to rank, all years or `year` (0 = all), ordered by year
 * (descending), stage (descending), reviewed score (descending), company. */
cnrs_status cnrs_store_rank_rows(cnrs_store *s, int year, cnrs_store_rank_row **rows,
                                 size_t *n, cnrs_error *err);
void cnrs_store_rank_rows_free(cnrs_store_rank_row *rows, size_t n);

typedef struct cnrs_store_company {
    int64_t id;
    char *code, *name, *industry, *size;
} cnrs_store_company;

/* Companies matching `q`: an exact code, else an exact name, else names
 * containing it (case-insensitive for ASCII). Only companies with a current
 * report: a row left behind when its reports moved to another company (a
 * file renamed, a manifest corrected) is never found. *n may be 0 or
 * several. */
cnrs_status cnrs_store_find_companies(cnrs_store *s, const char *q, cnrs_store_company **out,
                                      size_t *n, cnrs_error *err);
void cnrs_store_companies_free(cnrs_store_company *v, size_t n);

typedef struct cnrs_stored_evidence {
    int page;                /* 0 when the source has no pages */
    int sentence;
    char *item;              /* qualified item id: "Q11.scope1" */
    int quant;
    char *units;             /* unit class ids, comma-separated ("" for none) */
    int trend, comparison, integration, leadership;
    char *text;
    char *section;           /* heading path (doc.h), "" before the first heading;
                                NULL when stored before schema version 5 */
} cnrs_stored_evidence;

typedef struct cnrs_stored_indicator {
    char *id, *key, *name, *band, *items; /* items: the scorecard's JSON array */
    int stage, in_stage, K, covered, sentences;
    int trend, comparison, integration, leadership, bonus;
    double weight, coverage, quant, n, pct, points;
    int reviewed;            /* an effective review overrides pct */
    double reviewed_pct;     /* == pct without a review */
    int64_t review_id;
    size_t first_ev, nev;    /* this indicator's slice of card->ev */
} cnrs_stored_indicator;

typedef struct cnrs_stored_figure {
    char *scope, *basis, *kind, *value, *unit; /* basis NULL when not stated */
    int year, page;                            /* 0 when not stated */
    double tco2e;                              /* emissions only */
} cnrs_stored_figure;

typedef struct cnrs_stored_card {
    int64_t report_id, score_id, run_id;
    char *code, *company, *industry, *size, *report_type;
    int year;
    char *path, *format, *encoding, *sha256;
    char *script; /* NULL: stored by a cnrs before schema version 2 */
    int pages, paged, sentences, copy_restricted, ocr;
    long long bytes;
    char *rubric_id, *rubric_version, *rubric_sha256, *engine_version, *scored_at;
    int stage;
    char *stage_name;
    double total, max, reviewed_total;
    size_t nreviewed;
    cnrs_stored_indicator *ind;
    size_t nind;
    cnrs_stored_evidence *ev;
    size_t nev;
    char *figures; /* with evidence: the JSON figures array ("[]" before schema 3) */
    cnrs_stored_figure *fig; /* ... and its rows */
    size_t nfig;
} cnrs_stored_card;

/* The current reports of a company (all years or `year`), most recent year
 * first: their ids in *ids. */
cnrs_status cnrs_store_company_reports(cnrs_store *s, int64_t company_id, int year,
                                       int64_t **ids, size_t *n, cnrs_error *err);

/* The latest stored scorecard of a report, with reviews applied, and its
 * evidence when `with_evidence`. Free with cnrs_stored_card_free. */
cnrs_status cnrs_store_load_card(cnrs_store *s, int64_t report_id, int with_evidence,
                                 cnrs_stored_card **out, cnrs_error *err);
void cnrs_stored_card_free(cnrs_stored_card *c);

/* Reviewed total of a card: the sum over in-stage indicators of
 * weight * reviewed_pct / 100 in rubric order, exactly as score.c sums. */
double cnrs_stored_card_reviewed_total(const cnrs_stored_card *c);

/* ## Reviews */

typedef struct cnrs_store_review {
    int64_t id, report_id;
    char *code, *company, *indicator, *reason, *reviewer, *created_at, *undone_at, *undone_by;
    int year;
    double old_pct, new_pct;
} cnrs_store_review;

/* Record a review of `indicator` (id such as "C6") of a report's latest
 * score: `old` is the percentage in force before it (the previous review's
 * or the automatic one). Fails with CNRS_ERR_USAGE when the report has no
 * such indicator. */
cnrs_status cnrs_store_review_add(cnrs_store *s, int64_t report_id, const char *indicator,
                                  double pct, const char *reason, const char *reviewer,
                                  int64_t *id, double *old_pct, cnrs_error *err);

/* Mark review `id` undone (it stays listed). Fails with CNRS_ERR_USAGE when
 * there is no such review or it is already undone. */
cnrs_status cnrs_store_review_undo(cnrs_store *s, int64_t id, const char *who, cnrs_error *err);

/* Reviews, oldest first; company_id 0 = all companies, year 0 = all years. */
cnrs_status cnrs_store_reviews(cnrs_store *s, int64_t company_id, int year,
                               cnrs_store_review **out, size_t *n, cnrs_error *err);
void cnrs_store_reviews_free(cnrs_store_review *v, size_t n);
/* Free the strings of one review (not the review itself). */
void cnrs_store_review_clear(cnrs_store_review *v);

/* ## Export */

typedef enum cnrs_export_what {
    CNRS_EXPORT_SCORES = 0,
    CNRS_EXPORT_INDICATORS,
    CNRS_EXPORT_EVIDENCE,
    CNRS_EXPORT_FIGURES /* own-inventory figures (figures.h), one row each */
} cnrs_export_what;

typedef enum cnrs_cell_kind { CNRS_CELL_TEXT = 0, CNRS_CELL_NUMBER, CNRS_CELL_BOOL } cnrs_cell_kind;

/* Called once with the header (values NULL), then once per row. Values are
 * formatted text (numbers locale-free, booleans "0"/"1"); NULL is SQL NULL. */
typedef void (*cnrs_export_fn)(void *ctx, size_t ncols, const char *const *names,
                               const cnrs_cell_kind *kinds, const char *const *values);

/* Rows of the current reports' latest scores (year 0 = all), ordered by
 * year, code, company, then indicator order and evidence order. */
cnrs_status cnrs_store_export(cnrs_store *s, cnrs_export_what what, int year, cnrs_export_fn fn,
                              void *ctx, cnrs_error *err);

/* ## Merge */

typedef struct cnrs_merge_counts {
    size_t runs, reports, scores, skipped, failures, reviews;
} cnrs_merge_counts;

/* Copy the database at `in_path` (a cnrs database of the current version,
 * opened read-only first to check) into `s`, in one transaction. Companies
 * are matched by code (or name without code), reports by SHA-256, scores by
 * (report, rubric sha256, engine version): a score already in `s` is kept
 * and the incoming one skipped. Runs, failures and reviews are copied
 * (identical rows once). */
cnrs_status cnrs_store_merge(cnrs_store *s, const char *in_path, cnrs_merge_counts *c,
                             cnrs_error *err);

#endif
