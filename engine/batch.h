/* batch.h - score many reports into a database: inputs, workers, writer.
 *
 * Inputs: the rows of a manifest (manifest.h), in file order, then the report
 * files found under PATHs (directories walked in sorted order; dot files
 * skipped; files of unknown format, and pdftohtml .xml, skipped inside
 * directories and listed in the result, but taken and reported when named
 * explicitly) that the manifest does not list. A manifest row naming a file
 * that does not exist fails with the path that was tried (relative paths
 * are relative to the manifest's folder: cnrs_manifest_resolve). Metadata
 * comes from the manifest row, field by field, falling back to the file name
 * convention (meta.h). With a shard i/N only the inputs whose key hashes to
 * i-1 modulo N are taken; the key is the path relative to the PATH argument
 * (a file argument: its base name), or the path as written in the manifest,
 * so every machine of a cluster computes the same split.
 *
 * Threads: `jobs` workers (default: online cores) each own an extractor and
 * take inputs in order: hash the file (SHA-256), skip it when a score from
 * this rubric and engine is already stored (unless `force`), else ingest and
 * score it. The calling thread is the single writer: it owns the database
 * connection and stores results strictly in input order, through a bounded
 * reorder ring (mutex + two condition variables), so the database content
 * does not depend on `jobs` and memory stays bounded. One transaction per
 * report (store.h); a killed batch loses at most the reports in flight, and
 * the same command resumes it.
 *
 * Bad input never stops the batch: unreadable or unscorable files, manifest
 * rows naming missing files and malformed manifest lines are failures
 * (counted, recorded in the failures table, passed to on_failure); the same
 * content under two names, unknown companies or years and a report taking
 * another's place for a company and year are warnings (recorded the same
 * way, fatal 0). Only database problems (and an unreadable manifest) end the
 * run early with an error status: the writer stops at the first failed
 * write (a full disk, a lock held past the busy timeout), the workers stop
 * after the input in hand, and the runs row is closed with the counts so far
 * when the database still takes that write (not after a lock timeout).
 * Every report stored before stays whole; the same command, run again,
 * finishes the job.
 *
 * A batch stopped by its progress callback (Ctrl-C) stops like one that hit
 * a database error, at a report boundary, but closes its run as interrupted.
 *
 * Callbacks run on the calling (writer) thread.
 */
#ifndef CNRS_BATCH_H
#define CNRS_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "ingest.h"
#include "rubric.h"
#include "store.h"
#include "util.h"

typedef struct cnrs_batch_failure {
    char *path;       /* the input, or NULL (a manifest line) */
    char *source;     /* "manifest.csv:12" when a manifest row is concerned, else NULL */
    const char *kind; /* cnrs_status name, "manifest", "duplicate", "unknown_company",
                         "unknown_year", "replaced" (static storage) */
    int fatal;        /* 1: not stored; 0: warning */
    cnrs_status code; /* for fatal ones */
    char *msg;        /* one line: "PATH: what" (with the source in front when set) */
} cnrs_batch_failure;

typedef struct cnrs_batch_progress {
    size_t done, total;
    size_t scored, unchanged, failed;
    double elapsed;      /* seconds since the start */
    const char *current; /* the input just handled */
} cnrs_batch_progress;

/* Called after each input is handled. Returning non-zero stops the batch
 * there, at a report boundary (the CLI does on Ctrl-C): what was handled
 * stays stored, the run is closed with its counts and a failures row of kind
 * "interrupted" (not counted), and res->interrupted is 1. */
typedef int (*cnrs_batch_progress_fn)(void *ctx, const cnrs_batch_progress *p);
typedef void (*cnrs_batch_failure_fn)(void *ctx, const cnrs_batch_failure *f);

typedef struct cnrs_batch_opts {
    const char *db_path;
    const char *manifest;      /* or NULL */
    const char *const *paths;  /* files and directories */
    size_t npaths;
    const cnrs_rubric *rubric; /* shared read-only by the workers */
    const cnrs_ingest_opts *ingest; /* limits, PDF timeout ...; NULL = defaults */
    int jobs;                  /* 0 = number of online cores */
    int force;                 /* re-score reports already scored */
    unsigned shard_i, shard_n; /* 1 <= i <= n; n = 0: everything */
    double busy_timeout;       /* seconds; 0 = store default */
    cnrs_store_wait_fn on_wait;
    cnrs_batch_progress_fn on_progress;
    cnrs_batch_failure_fn on_failure;
    void *ctx;                 /* for the three callbacks */
} cnrs_batch_opts;

typedef struct cnrs_batch_result {
    size_t inputs, scored, unchanged, failed, duplicates, warnings;
    cnrs_status first_failure; /* the first fatal failure in input order, or CNRS_OK */
    double seconds;            /* wall time of the whole run */
    double write_seconds;      /* of which the writer spent in the database */
    double write_cpu_seconds;  /* the writer thread's CPU time in the database */
    int jobs;                  /* workers used */
    int64_t run_id;
    int interrupted;           /* stopped by on_progress before every input was handled */
    size_t handled;            /* inputs the writer handled (== inputs unless stopped) */
    cnrs_batch_failure *fails; /* failures and warnings, input order */
    size_t nfails, fails_cap;
    char **skipped;            /* "PATH: why" of each file left out of a directory
                                  (cnrs_format_skip_reason; dot files not listed) */
    size_t nskipped, skipped_cap;
} cnrs_batch_result;

/* Run a batch. Returns CNRS_OK when every input was handled (look at
 * res->failed / first_failure for bad inputs), or CNRS_ERR_DB, CNRS_ERR_IO,
 * CNRS_ERR_PARSE ... when the database or the manifest made it stop; `err`
 * says why. `res` is filled in both cases; free it with
 * cnrs_batch_result_free. */
cnrs_status cnrs_batch_run(const cnrs_batch_opts *o, cnrs_batch_result *res, cnrs_error *err);
void cnrs_batch_result_free(cnrs_batch_result *res);

/* 1 when `key` belongs to shard i of n (1-based): the first 8 bytes of
 * SHA-256(key), big-endian, modulo n equal i - 1. */
int cnrs_batch_in_shard(const char *key, unsigned i, unsigned n);

/* Online cores (at least 1). */
int cnrs_batch_cores(void);

#endif
