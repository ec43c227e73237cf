/* test_store.c - the SQLite store: schema and migrations, refusing foreign
 * or newer databases untouched, exactly-once writes, rankings with ties and
 * tracks, reviews, export, merge, the busy wait, one snapshot per reader and
 * a full disk. */
#include <check.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline.h"
#include "rank.h"
#include "sha256.h"
#include "store.h"
#include "testutil.h"

static char S_dir[64];

static void S_setup(void)
{
    strcpy(S_dir, "/tmp/cnrs-store-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(S_dir));
}

static void S_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_dir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *S_path(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", S_dir, name);
    return buf[k];
}

static cnrs_store *S_open(const char *path, cnrs_store_mode mode)
{
    cnrs_store *s = NULL;
    cnrs_error err = {0};
    cnrs_store_opts o = {mode, 0, NULL, NULL, NULL, 0};
    cnrs_status st = cnrs_store_open(path, &o, &s, &err);
    ck_assert_msg(st == CNRS_OK, "open %s: %s", path, err.msg);
    return s;
}

static long long S_int(cnrs_store *s, const char *sql)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(cnrs_store_sqlite(s), sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char *S_text(cnrs_store *s, const char *sql)
{
    static char buf[256];
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(cnrs_store_sqlite(s), sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return buf;
}

static void S_exec(cnrs_store *s, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(cnrs_store_sqlite(s), sql, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
}

static void S_file_sha(const char *path, char hex[65])
{
    char *data;
    size_t len;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_read_file(path, 0, &data, &len, &err), CNRS_OK);
    cnrs_sha256_hex(data, len, hex);
    free(data);
}

/* ---- schema --------------------------------------------------------------------- */

START_TEST(fresh_schema)
{
    cnrs_store *s = S_open(S_path("new.db"), CNRS_STORE_CREATE);
    ck_assert_int_eq(cnrs_store_version(s), CNRS_STORE_SCHEMA_VERSION);
    ck_assert_int_eq(S_int(s, "PRAGMA user_version"), 5);
    ck_assert_int_eq(S_int(s, "PRAGMA application_id"), 0x636E7273);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name "
                              "IN ('companies','reports','runs','scores','indicator_scores',"
                              "'evidence_sets','failures','reviews','figure_sets')"),
                     9);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name "
                              "IN ('evidence','current_reports','latest_scores',"
                              "'effective_reviews','ranking','figures')"),
                     6);
    ck_assert_int_eq(S_int(s, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
    cnrs_store_close(s);
    /* Reopening changes nothing. */
    s = S_open(S_path("new.db"), CNRS_STORE_WRITE);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"), 9);
    cnrs_store_close(s);
    s = S_open(S_path("new.db"), CNRS_STORE_READ);
    cnrs_store_close(s);
}
END_TEST

/* Opening `path` must fail with CNRS_ERR_DB, say `why`, and leave the bytes. */
static void S_refused(const char *path, cnrs_store_mode mode, const char *why)
{
    char before[65], after[65];
    S_file_sha(path, before);
    cnrs_store *s = NULL;
    cnrs_error err = {0};
    cnrs_store_opts o = {mode, 0, NULL, NULL, NULL, 0};
    ck_assert_int_eq(cnrs_store_open(path, &o, &s, &err), CNRS_ERR_DB);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err.msg, why) != NULL, "message \"%s\" lacks \"%s\"", err.msg, why);
    ck_assert_msg(strstr(err.msg, path) != NULL, "message \"%s\" lacks the path", err.msg);
    S_file_sha(path, after);
    ck_assert_str_eq(before, after);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    ck_assert_int_ne(access(wal, F_OK), 0);
}

START_TEST(refuses_what_is_not_ours)
{
    /* Another application's SQLite database. */
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(S_path("other.db"), &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    S_refused(S_path("other.db"), CNRS_STORE_CREATE, "not a cnrs database");
    S_refused(S_path("other.db"), CNRS_STORE_READ, "not a cnrs database");

    /* Not SQLite at all. */
    FILE *f = fopen(S_path("text.db"), "w");
    fputs("company,score\nA,1\n", f);
    fclose(f);
    S_refused(S_path("text.db"), CNRS_STORE_CREATE, "not an SQLite file");

    /* A newer cnrs schema. */
    cnrs_store *s = S_open(S_path("newer.db"), CNRS_STORE_CREATE);
    S_exec(s, "PRAGMA user_version = 9");
    cnrs_store_close(s);
    S_refused(S_path("newer.db"), CNRS_STORE_WRITE, "schema version 9 is newer");
    S_refused(S_path("newer.db"), CNRS_STORE_READ, "schema version 9 is newer");

    /* Read-only opens never create. */
    cnrs_error err = {0};
    cnrs_store_opts ro = {CNRS_STORE_READ, 0, NULL, NULL, NULL, 0};
    ck_assert_int_eq(cnrs_store_open(S_path("none.db"), &ro, &s, &err), CNRS_ERR_DB);
    ck_assert_int_ne(access(S_path("none.db"), F_OK), 0);
    cnrs_store_opts wr = {CNRS_STORE_WRITE, 0, NULL, NULL, NULL, 0};
    ck_assert_int_eq(cnrs_store_open(S_path("none.db"), &wr, &s, &err), CNRS_ERR_DB);
    ck_assert_int_ne(access(S_path("none.db"), F_OK), 0);
}
END_TEST

START_TEST(migrates_forward)
{
    int n;
    const char *const *builtin = cnrs_store_steps(&n);
    ck_assert_int_eq(n, CNRS_STORE_SCHEMA_VERSION);
    ck_assert_int_eq(n, 5);
    /* Version 1 with a row in it ... */
    const char *v1[] = {builtin[0]};
    cnrs_store *s = NULL;
    cnrs_error err = {0};
    cnrs_store_opts o = {CNRS_STORE_CREATE, 0, NULL, NULL, v1, 1};
    ck_assert_int_eq(cnrs_store_open(S_path("m.db"), &o, &s, &err), CNRS_OK);
    S_exec(s, "INSERT INTO companies(code, name) VALUES ('600000', 'Pufa')");
    S_exec(s, "INSERT INTO reports(sha256, company_id, path, format, pages, paged, sentences,"
              " bytes, meta_source) VALUES ('ab', 1, 'a.txt', 'text', 1, 0, 1, 1, 'none')");
    cnrs_store_close(s);
    /* ... opened by a cnrs of version 2 (the report's script, unknown for
     * reports stored before, and the copy restriction, 0), which stores a
     * copy-restricted PDF ... */
    const char *v2[] = {builtin[0], builtin[1]};
    cnrs_store_opts o2 = {CNRS_STORE_WRITE, 0, NULL, NULL, v2, 2};
    ck_assert_int_eq(cnrs_store_open(S_path("m.db"), &o2, &s, &err), CNRS_OK);
    ck_assert_int_eq(cnrs_store_version(s), 2);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM reports WHERE script IS NULL AND "
                              "copy_restricted = 0"),
                     1);
    S_exec(s, "INSERT INTO reports(sha256, company_id, path, format, pages, paged, sentences,"
              " bytes, meta_source, script, copy_restricted) VALUES ('cd', 1, 'b.pdf', 'pdf',"
              " 2, 1, 3, 9, 'none', 'zh-Hans', 1)");
    cnrs_store_close(s);
    /* ... then by a cnrs of version 4 (version 3: the figures, none for
     * reports stored before; version 4: whether text came from OCR, 0 for
     * both older reports, which were never OCRed; nothing else changes) ... */
    const char *v4[] = {builtin[0], builtin[1], builtin[2], builtin[3]};
    cnrs_store_opts o4 = {CNRS_STORE_WRITE, 0, NULL, NULL, v4, 4};
    ck_assert_int_eq(cnrs_store_open(S_path("m.db"), &o4, &s, &err), CNRS_OK);
    ck_assert_int_eq(cnrs_store_version(s), 4);
    ck_assert_int_eq(S_int(s, "PRAGMA user_version"), 4);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM reports WHERE ocr = 0"), 2);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM reports WHERE sha256 = 'cd' AND "
                              "script = 'zh-Hans' AND copy_restricted = 1 AND pages = 2"),
                     1);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM figures"), 0);
    S_exec(s, "PRAGMA foreign_keys = OFF"); /* a figures document without its score */
    S_exec(s, "INSERT INTO figure_sets(score_id, n, records) VALUES (7, 1, "
              "'[{\"scope\":\"1\",\"year\":2022,\"value\":\"1,466.73\",\"tco2e\":1466.73}]')");
    ck_assert_int_eq(S_int(s, "SELECT year FROM figures WHERE scope = '1' AND tco2e = 1466.73"),
                     2022);
    S_exec(s, "DELETE FROM figure_sets");
    /* an evidence document as version 4 wrote it: eight elements a record */
    S_exec(s, "INSERT INTO evidence_sets(score_id, n, records) VALUES (8, 1, "
              "'[[3,null,0,0,0,0,\"旧的证据。\",[[0,\"Q11.total\",1,\"ghg_mass\"]]]]')");
    S_exec(s, "PRAGMA foreign_keys = ON");
    cnrs_store_close(s);
    /* ... then by this cnrs (version 5: evidence records carry their
     * section; the view reads NULL for records stored before, which are
     * kept as they were) ... */
    s = S_open(S_path("m.db"), CNRS_STORE_WRITE);
    ck_assert_int_eq(cnrs_store_version(s), 5);
    ck_assert_int_eq(S_int(s, "PRAGMA user_version"), 5);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM evidence WHERE score_id = 8 AND "
                              "section IS NULL AND text = '旧的证据。' AND item = 'Q11.total' "
                              "AND indicator = 'Q11' AND sentence = 3 AND quant = 1"),
                     1);
    S_exec(s, "PRAGMA foreign_keys = OFF");
    S_exec(s, "INSERT INTO evidence_sets(score_id, n, records) VALUES (9, 1, "
              "'[[5,2,0,0,0,0,\"新的证据。\",[[0,\"Q11.total\",1,\"ghg_mass\"]],"
              "\"环境 > 排放\"]]')");
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM evidence WHERE score_id = 9 AND "
                              "section = '环境 > 排放' AND text = '新的证据。' AND page = 2"),
                     1);
    S_exec(s, "DELETE FROM evidence_sets");
    S_exec(s, "PRAGMA foreign_keys = ON");
    cnrs_store_close(s);
    /* ... and by a cnrs that knows a version 6. */
    const char *v6[] = {builtin[0], builtin[1], builtin[2], builtin[3], builtin[4],
                        "ALTER TABLE companies ADD COLUMN isin TEXT;"
                        "CREATE INDEX companies_isin ON companies(isin);"};
    cnrs_store_opts o6 = {CNRS_STORE_WRITE, 0, NULL, NULL, v6, 6};
    ck_assert_int_eq(cnrs_store_open(S_path("m.db"), &o6, &s, &err), CNRS_OK);
    ck_assert_int_eq(cnrs_store_version(s), 6);
    ck_assert_int_eq(S_int(s, "PRAGMA user_version"), 6);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM companies WHERE name = 'Pufa' AND "
                              "isin IS NULL"),
                     1);
    cnrs_store_close(s);
    /* This cnrs now refuses it, untouched. */
    S_refused(S_path("m.db"), CNRS_STORE_WRITE, "schema version 6 is newer than this cnrs knows (5)");
    /* A read-only open does not migrate: it asks for a batch. */
    const char *v7[] = {v6[0], v6[1], v6[2], v6[3], v6[4], v6[5], "CREATE TABLE extra(x);"};
    cnrs_store_opts o7 = {CNRS_STORE_READ, 0, NULL, NULL, v7, 7};
    ck_assert_int_eq(cnrs_store_open(S_path("m.db"), &o7, &s, &err), CNRS_ERR_DB);
    ck_assert_ptr_nonnull(strstr(err.msg, "older than 7"));
}
END_TEST

/* ---- writing real reports ------------------------------------------------------------ */

static cnrs_rubric *S_rubric;
static cnrs_extractor *S_x;

static void S_setup_rubric(void)
{
    S_setup();
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &S_rubric, NULL, &err), CNRS_OK);
    S_x = cnrs_extractor_new(S_rubric);
}

static void S_teardown_rubric(void)
{
    cnrs_extractor_free(S_x);
    cnrs_rubric_free(S_rubric);
    S_teardown();
}

static cnrs_report *S_score(const char *path)
{
    cnrs_report *rep = NULL;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_score_file(S_x, S_rubric, path, NULL, &rep, &err), CNRS_OK);
    return rep;
}

static cnrs_store_outcome S_put(cnrs_store *s, int64_t run, const char *sha, const char *path,
                                const cnrs_meta *m, const char *src, const cnrs_report *rep,
                                int force)
{
    cnrs_store_input in = {sha, path, 100, m, src, rep, NULL};
    cnrs_store_outcome out;
    char *replaced = NULL;
    cnrs_error err = {0};
    cnrs_status st = cnrs_store_put(s, run, S_rubric, "test", &in, force, &out, &replaced, &err);
    ck_assert_msg(st == CNRS_OK, "put: %s", err.msg);
    free(replaced);
    return out;
}

static int64_t S_run(cnrs_store *s)
{
    cnrs_run_info ri = {"test", S_rubric->id, S_rubric->version, S_rubric->sha256, "{}"};
    int64_t run = 0;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_store_run_begin(s, &ri, &run, &err), CNRS_OK);
    return run;
}

#define SKYLINE "corpora/600977_skyline-data-demo_2023_en.txt"

START_TEST(stored_exactly_once_and_read_back)
{
    cnrs_store *s = S_open(S_path("w.db"), CNRS_STORE_CREATE);
    int64_t run = S_run(s);
    cnrs_report *rep = S_score(SKYLINE);
    cnrs_meta m = {"600977", "skyline", 2023, "data", "large", NULL};
    ck_assert_int_eq(S_put(s, run, "aa11", SKYLINE, &m, "manifest", rep, 0), CNRS_STORED);
    ck_assert_int_eq(S_put(s, run, "aa11", SKYLINE, &m, "manifest", rep, 0), CNRS_UNCHANGED);
    ck_assert_int_eq(S_put(s, run, "aa11", SKYLINE, &m, "manifest", NULL, 0), CNRS_UNCHANGED);
    ck_assert_int_eq(S_put(s, run, "bb22", SKYLINE, &m, "manifest", NULL, 0), CNRS_UNKNOWN);
    /* --force replaces the score: still one of each. */
    ck_assert_int_eq(S_put(s, run, "aa11", SKYLINE, &m, "manifest", rep, 1), CNRS_STORED);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM scores"), 1);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM indicator_scores"), 16);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM evidence_sets"), 1);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM evidence"), (long long)rep->ev.n);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM reports"), 1);

    char **hashes;
    size_t nh;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_store_scored_hashes(s, S_rubric->sha256, "test", &hashes, &nh, &err),
                     CNRS_OK);
    ck_assert_uint_eq(nh, 1);
    ck_assert_str_eq(hashes[0], "aa11");
    cnrs_store_free_strings(hashes, nh);
    ck_assert_int_eq(cnrs_store_scored_hashes(s, S_rubric->sha256, "other-engine", &hashes, &nh,
                                              &err),
                     CNRS_OK);
    ck_assert_uint_eq(nh, 0);
    cnrs_store_free_strings(hashes, nh);

    /* The stored card is the scorecard. */
    cnrs_stored_card *c = NULL;
    int64_t id = S_int(s, "SELECT id FROM reports");
    ck_assert_int_eq(cnrs_store_load_card(s, id, 1, &c, &err), CNRS_OK);
    ck_assert_int_eq(c->stage, rep->card->stage);
    ck_assert(c->total == rep->card->total);
    ck_assert(c->reviewed_total == rep->card->total);
    ck_assert_uint_eq(c->nind, 16);
    ck_assert_uint_eq(c->nev, rep->ev.n);
    ck_assert_str_eq(c->ind[10].id, "Q11");
    ck_assert(c->ind[10].pct == rep->card->ind[10].pct);
    ck_assert_str_eq(c->company, "skyline");
    ck_assert_str_eq(c->industry, "data");
    size_t total_ev = 0;
    for (size_t i = 0; i < c->nind; i++)
        total_ev += c->ind[i].nev;
    ck_assert_uint_eq(total_ev, rep->ev.n);
    /* Evidence is grouped by indicator in rubric order; the first Q11 record
     * is the first Q11 evidence sentence of the report. */
    const cnrs_evidence *q11 = NULL;
    for (size_t e = 0; e < rep->ev.n && !q11; e++)
        if (rep->ev.ev[e].indicator == 10)
            q11 = &rep->ev.ev[e];
    ck_assert_ptr_nonnull(q11);
    const cnrs_sentence *se = &rep->doc->sents[q11->sent];
    ck_assert_int_eq(strncmp(c->ev[c->ind[10].first_ev].text, rep->doc->text + se->off, se->len), 0);
    ck_assert_str_eq(c->ev[c->ind[10].first_ev].item, S_rubric->items[q11->item].qid);
    /* ... with its section, the heading path of its sentence */
    cnrs_buf path = CNRS_BUF_INIT;
    cnrs_doc_section_path(rep->doc, se->section, &path);
    ck_assert_ptr_nonnull(c->ev[c->ind[10].first_ev].section);
    ck_assert_str_eq(c->ev[c->ind[10].first_ev].section, cnrs_buf_cstr(&path));
    ck_assert_uint_gt(path.len, 0);
    cnrs_buf_free(&path);
    cnrs_stored_card_free(c);
    cnrs_report_free(rep);
    cnrs_store_close(s);
}
END_TEST

static size_t S_ranked(cnrs_store *s)
{
    cnrs_store_rank_row *rows;
    size_t n;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_store_rank_rows(s, 0, &rows, &n, &err), CNRS_OK);
    cnrs_store_rank_rows_free(rows, n);
    return n;
}

/* A reading connection sees one snapshot until it is closed: a writer that
 * replaces a score (--force) and adds a report meanwhile neither waits for
 * it nor tears what it reads (the card of the old score, whole). */
START_TEST(reader_keeps_one_snapshot)
{
    cnrs_store *w = S_open(S_path("s.db"), CNRS_STORE_CREATE);
    int64_t run = S_run(w);
    cnrs_report *rep = S_score(SKYLINE);
    cnrs_meta m = {"600977", "skyline", 2023, NULL, NULL, NULL};
    cnrs_meta m2 = {"600978", "other", 2023, NULL, NULL, NULL};
    ck_assert_int_eq(S_put(w, run, "aa11", SKYLINE, &m, "manifest", rep, 0), CNRS_STORED);
    int64_t report = S_int(w, "SELECT id FROM reports");

    cnrs_store *r = S_open(S_path("s.db"), CNRS_STORE_READ);
    ck_assert_uint_eq(S_ranked(r), 1);
    int64_t run2 = S_run(w); /* the new score is told from the old by its run */
    ck_assert_int_eq(S_put(w, run2, "aa11", SKYLINE, &m, "manifest", rep, 1), CNRS_STORED);
    ck_assert_int_eq(S_put(w, run2, "bb22", SKYLINE, &m2, "manifest", rep, 0), CNRS_STORED);
    ck_assert_int_eq(S_int(w, "SELECT count(*) FROM scores WHERE run_id = 1"), 0);

    cnrs_stored_card *c = NULL;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_store_load_card(r, report, 1, &c, &err), CNRS_OK);
    ck_assert_int_eq(c->run_id, run);
    ck_assert_uint_eq(c->nind, 16);
    ck_assert_uint_eq(c->nev, rep->ev.n);
    cnrs_stored_card_free(c);
    ck_assert_uint_eq(S_ranked(r), 1);
    cnrs_store_close(r);

    r = S_open(S_path("s.db"), CNRS_STORE_READ);
    ck_assert_uint_eq(S_ranked(r), 2);
    ck_assert_int_eq(cnrs_store_load_card(r, report, 1, &c, &err), CNRS_OK);
    ck_assert_int_eq(c->run_id, run2);
    ck_assert_uint_eq(c->nind, 16);
    cnrs_stored_card_free(c);
    cnrs_store_close(r);
    cnrs_report_free(rep);
    cnrs_store_close(w);
}
END_TEST

/* A write that does not fit (here past the file size limit, as under
 * `ulimit -f`: EFBIG, like ENOSPC on a full disk) fails with CNRS_ERR_DB and
 * a message that names the database and says "disk full"; the transaction is
 * rolled back whole and the same write goes through once there is room. */
START_TEST(disk_full_rolls_back_and_says_so)
{
    cnrs_store *s = S_open(S_path("f.db"), CNRS_STORE_CREATE);
    int64_t run = S_run(s);
    cnrs_report *rep = S_score(SKYLINE);
    cnrs_meta m = {"600977", "skyline", 2023, NULL, NULL, NULL};
    cnrs_meta m2 = {"600978", "other", 2023, NULL, NULL, NULL};
    ck_assert_int_eq(S_put(s, run, "aa11", SKYLINE, &m, "manifest", rep, 0), CNRS_STORED);

    /* Room for one more WAL page, not for a report. */
    struct stat sb;
    ck_assert_int_eq(stat(S_path("f.db-wal"), &sb), 0);
    struct rlimit was, lim;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &was), 0);
    lim.rlim_cur = (rlim_t)sb.st_size + 4096;
    lim.rlim_max = was.rlim_max;
    void (*sig)(int) = signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    cnrs_store_input in = {"bb22", SKYLINE, 100, &m2, "manifest", rep, NULL};
    cnrs_store_outcome out;
    char *replaced = NULL;
    cnrs_error err = {0};
    cnrs_status st = cnrs_store_put(s, run, S_rubric, "test", &in, 0, &out, &replaced, &err);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &was), 0);
    signal(SIGXFSZ, sig);

    ck_assert_int_eq(st, CNRS_ERR_DB);
    ck_assert_ptr_null(replaced);
    ck_assert_msg(strstr(err.msg, S_path("f.db")) == err.msg, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "disk full (File too large"), "%s", err.msg);
    ck_assert(!cnrs_store_locked_out(s));
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM scores"), 1);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM reports"), 1);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM companies"), 1);
    ck_assert_str_eq(S_text(s, "PRAGMA integrity_check"), "ok");
    ck_assert_int_eq(S_put(s, run, "bb22", SKYLINE, &m2, "manifest", rep, 0), CNRS_STORED);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM indicator_scores"), 32);
    cnrs_report_free(rep);
    cnrs_store_close(s);
}
END_TEST

START_TEST(weaker_metadata_does_not_override)
{
    cnrs_store *s = S_open(S_path("w.db"), CNRS_STORE_CREATE);
    int64_t run = S_run(s);
    cnrs_report *rep = S_score(SKYLINE);
    cnrs_meta manifest = {"600977", "天际数据", 2023, "data", "large", "ESG"};
    cnrs_meta name = {"600977", "skyline-data-demo", 2022, NULL, NULL, NULL};
    ck_assert_int_eq(S_put(s, run, "aa11", SKYLINE, &manifest, "manifest", rep, 0), CNRS_STORED);
    ck_assert_int_eq(S_put(s, run, "aa11", SKYLINE, &name, "filename", NULL, 0), CNRS_UNCHANGED);
    ck_assert_int_eq(S_int(s, "SELECT year FROM reports"), 2023);
    ck_assert_int_eq(S_int(s, "SELECT count(*) FROM companies WHERE name = '天际数据' AND "
                              "industry = 'data'"),
                     1);
    /* A manifest correcting the year is taken. */
    manifest.year = 2024;
    ck_assert_int_eq(S_put(s, run, "aa11", SKYLINE, &manifest, "manifest", NULL, 0),
                     CNRS_UNCHANGED);
    ck_assert_int_eq(S_int(s, "SELECT year FROM reports"), 2024);
    cnrs_report_free(rep);
    cnrs_store_close(s);
}
END_TEST

/* ---- rankings, reviews, export: synthetic rows worked by hand ----------------------- */

/* A scored report with two in-stage indicators (weights 10 and 20) and one
 * out of stage (weight 30); `total` is the automatic score as given. */
static int64_t S_fake(cnrs_store *s, const char *code, const char *name, const char *industry,
                      const char *size, int year, int stage, double total, double pct1,
                      double pct2)
{
    sqlite3 *db = cnrs_store_sqlite(s);
    char sql[2048];
    if (S_int(s, "SELECT count(*) FROM runs") == 0)
        S_exec(s, "INSERT INTO runs(engine_version, rubric_id, rubric_version, rubric_sha256, "
                  "options, started_at) VALUES ('e', 'r', '1', 'rs', '{}', 't')");
    snprintf(sql, sizeof sql,
             "INSERT INTO companies(code, name, industry, size) VALUES ('%s', '%s', %s%s%s, "
             "%s%s%s) ON CONFLICT DO NOTHING",
             code, name, industry ? "'" : "", industry ? industry : "NULL", industry ? "'" : "",
             size ? "'" : "", size ? size : "NULL", size ? "'" : "");
    S_exec(s, sql);
    snprintf(sql, sizeof sql,
             "INSERT INTO reports(sha256, company_id, year, path, format, pages, paged, "
             "sentences, bytes, meta_source) SELECT '%s-%d', id, %d, '%s.txt', 'text', 1, 0, 1, "
             "1, 'manifest' FROM companies WHERE code = '%s'",
             code, year, year, code, code);
    S_exec(s, sql);
    int64_t report = sqlite3_last_insert_rowid(db);
    snprintf(sql, sizeof sql,
             "INSERT INTO scores(report_id, run_id, engine_version, rubric_sha256, stage, "
             "stage_name, total, max, scored_at) VALUES (%lld, 1, 'e', 'rs', %d, 'stage %d', "
             "%.17g, 100, 't')",
             (long long)report, stage, stage, total);
    S_exec(s, sql);
    int64_t score = sqlite3_last_insert_rowid(db);
    const double w[3] = {10, 20, 30}, p[3] = {pct1, pct2, 0};
    const char *id[3] = {"A1", "A2", "B3"};
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO indicator_scores VALUES (%lld, %d, '%s', 'k%d', 'n', %d, %d, %g, "
                 "'B1', 1, 1, 1, 0, 1, 10, 0, 0, 0, 0, 0, %g, %g, '[]')",
                 (long long)score, i, id[i], i, i < 2 ? 1 : 9, i < 2, w[i], p[i],
                 i < 2 ? w[i] * p[i] / 100 : 0);
        S_exec(s, sql);
    }
    snprintf(sql, sizeof sql, "INSERT INTO evidence_sets VALUES (%lld, 0, '[]')",
             (long long)score);
    S_exec(s, sql);
    return report;
}

START_TEST(rank_rows_ties_and_tracks)
{
    cnrs_store *s = S_open(S_path("r.db"), CNRS_STORE_CREATE);
    /* 2023: three stage-3 reports 50.0, 50.0, 40.0 and one stage-2 at 45.0. */
    S_fake(s, "000001", "Alpha", "power", "large", 2023, 3, 50.0, 100, 100);
    S_fake(s, "000002", "Beta", "power", "small", 2023, 3, 50.0, 100, 100);
    S_fake(s, "000003", "Gamma", "cement", "large", 2023, 3, 40.0, 40, 180);
    S_fake(s, "000004", "Delta", "power", "large", 2023, 2, 45.0, 50, 200);
    S_fake(s, "000001", "Alpha", "power", "large", 2022, 3, 30.0, 50, 125);

    cnrs_store_rank_row *rows;
    size_t n;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_store_rank_rows(s, 2023, &rows, &n, &err), CNRS_OK);
    ck_assert_uint_eq(n, 4);
    cnrs_rank_entry e[4];
    for (size_t i = 0; i < n; i++)
        e[i] = (cnrs_rank_entry){rows[i].stage, rows[i].reviewed, NULL, rows[i].company, i, 0};
    cnrs_rank_assign(e, n);
    /* Stage 3 first: Alpha 1, Beta 1 (tie, by name), Gamma 3; then stage 2:
     * Delta 1 although 45.0 > 40.0 - stages never share a race. */
    const char *names[4] = {"Alpha", "Beta", "Gamma", "Delta"};
    const int ranks[4] = {1, 1, 3, 1};
    for (int i = 0; i < 4; i++) {
        ck_assert_str_eq(rows[e[i].index].company, names[i]);
        ck_assert_int_eq(e[i].rank, ranks[i]);
    }
    /* Track stage,industry: Gamma alone in cement is 1 there. */
    for (size_t i = 0; i < n; i++)
        e[i] = (cnrs_rank_entry){rows[i].stage, rows[i].reviewed, rows[i].industry,
                                 rows[i].company, i, 0};
    cnrs_rank_assign(e, n);
    ck_assert_str_eq(rows[e[0].index].company, "Gamma");
    ck_assert_int_eq(e[0].rank, 1);
    ck_assert_str_eq(rows[e[1].index].company, "Alpha");
    ck_assert_int_eq(e[2].rank, 1); /* Beta, tied with Alpha in power */
    cnrs_store_rank_rows_free(rows, n);

    ck_assert_int_eq(cnrs_store_rank_rows(s, 0, &rows, &n, &err), CNRS_OK);
    ck_assert_uint_eq(n, 5);
    ck_assert_int_eq(rows[4].year, 2022); /* newest year first */
    cnrs_store_rank_rows_free(rows, n);
    cnrs_store_close(s);
}
END_TEST

START_TEST(reviews_override_and_undo)
{
    cnrs_store *s = S_open(S_path("v.db"), CNRS_STORE_CREATE);
    /* Gamma: A1 weight 10 at 40%, A2 weight 20 at 180%: total 40.0 as given. */
    int64_t gamma = S_fake(s, "000003", "Gamma", "cement", "large", 2023, 3, 40.0, 40, 180);
    S_fake(s, "000002", "Beta", "power", "small", 2023, 3, 42.0, 100, 100);
    int64_t id1, id2, id3;
    double old;
    cnrs_error err = {0};
    /* A1 40% -> 90%: +10 * 50 / 100 = +5.0 -> 45.0. */
    ck_assert_int_eq(cnrs_store_review_add(s, gamma, "a1", 90, "verified", "ana", &id1, &old, &err),
                     CNRS_OK);
    ck_assert(old == 40);
    cnrs_stored_card *c;
    ck_assert_int_eq(cnrs_store_load_card(s, gamma, 0, &c, &err), CNRS_OK);
    ck_assert(c->total == 40.0);
    ck_assert_double_eq_tol(c->reviewed_total, 10 * 0.90 + 20 * 1.80, 1e-9);
    ck_assert_uint_eq(c->nreviewed, 1);
    ck_assert(c->ind[0].reviewed && c->ind[0].reviewed_pct == 90 && c->ind[0].pct == 40);
    cnrs_stored_card_free(c);
    /* A second review of A1 records 90 as its old value; B3 is out of stage:
     * recorded, but the total does not move. */
    ck_assert_int_eq(cnrs_store_review_add(s, gamma, "A1", 60, "re-checked", "bo", &id2, &old,
                                           &err),
                     CNRS_OK);
    ck_assert(old == 90);
    ck_assert_int_eq(cnrs_store_review_add(s, gamma, "B3", 100, "x", "bo", &id3, &old, &err),
                     CNRS_OK);
    ck_assert_int_eq(cnrs_store_load_card(s, gamma, 0, &c, &err), CNRS_OK);
    ck_assert_double_eq_tol(c->reviewed_total, 10 * 0.60 + 20 * 1.80, 1e-9); /* 42.0 */
    ck_assert_uint_eq(c->nreviewed, 2);
    cnrs_stored_card_free(c);
    /* Now Gamma (42.0 reviewed) ties Beta (42.0): both rank 1. */
    cnrs_store_rank_row *rows;
    size_t n;
    ck_assert_int_eq(cnrs_store_rank_rows(s, 2023, &rows, &n, &err), CNRS_OK);
    cnrs_rank_entry e[2];
    for (size_t i = 0; i < 2; i++)
        e[i] = (cnrs_rank_entry){rows[i].stage, rows[i].reviewed, NULL, rows[i].company, i, 0};
    cnrs_rank_assign(e, 2);
    ck_assert_int_eq(e[0].rank, 1);
    ck_assert_int_eq(e[1].rank, 1);
    ck_assert_str_eq(rows[e[1].index].company, "Gamma");
    ck_assert_int_eq(rows[e[1].index].nreviews, 2);
    ck_assert(rows[e[1].index].total == 40.0);
    cnrs_store_rank_rows_free(rows, n);
    /* Undo the second A1 review: the first (90%) is in force again -> 45.0. */
    ck_assert_int_eq(cnrs_store_review_undo(s, id2, "ana", &err), CNRS_OK);
    ck_assert_int_eq(cnrs_store_review_undo(s, id2, "ana", &err), CNRS_ERR_USAGE);
    ck_assert_int_eq(cnrs_store_review_undo(s, 999, "ana", &err), CNRS_ERR_USAGE);
    ck_assert_int_eq(cnrs_store_load_card(s, gamma, 0, &c, &err), CNRS_OK);
    ck_assert_double_eq_tol(c->reviewed_total, 45.0, 1e-9);
    cnrs_stored_card_free(c);
    /* Every review is kept: who, when, old, new, why, and the undo. */
    cnrs_store_review *v;
    ck_assert_int_eq(cnrs_store_reviews(s, 0, 0, &v, &n, &err), CNRS_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(v[1].reviewer, "bo");
    ck_assert_str_eq(v[1].reason, "re-checked");
    ck_assert(v[1].old_pct == 90 && v[1].new_pct == 60);
    ck_assert_ptr_nonnull(v[1].undone_at);
    ck_assert_str_eq(v[1].undone_by, "ana");
    ck_assert_ptr_null(v[0].undone_at);
    cnrs_store_reviews_free(v, n);
    /* Unknown indicator. */
    ck_assert_int_eq(cnrs_store_review_add(s, gamma, "Z9", 1, "x", "y", &id3, &old, &err),
                     CNRS_ERR_USAGE);
    cnrs_store_close(s);
}
END_TEST

typedef struct S_rows {
    size_t ncols, nrows;
    char names[64][32];
    char cell[16][64][64];
} S_rows;

static void S_collect(void *ctx, size_t ncols, const char *const *names,
                      const cnrs_cell_kind *kinds, const char *const *values)
{
    (void)kinds;
    S_rows *r = ctx;
    r->ncols = ncols;
    if (!values) {
        for (size_t i = 0; i < ncols && i < 64; i++)
            snprintf(r->names[i], sizeof r->names[i], "%s", names[i]);
        return;
    }
    if (r->nrows < 16) {
        for (size_t i = 0; i < ncols && i < 64; i++)
            snprintf(r->cell[r->nrows][i], 64, "%s", values[i] ? values[i] : "NULL");
    }
    r->nrows++;
}

static size_t S_col(const S_rows *r, const char *name)
{
    for (size_t i = 0; i < r->ncols; i++)
        if (strcmp(r->names[i], name) == 0)
            return i;
    ck_abort_msg("no column %s", name);
    return 0;
}

START_TEST(export_shows_both_scores)
{
    cnrs_store *s = S_open(S_path("x.db"), CNRS_STORE_CREATE);
    int64_t gamma = S_fake(s, "000003", "Gamma", "cement", "large", 2023, 3, 40.0, 40, 180);
    S_fake(s, "000002", "Beta", "power", "small", 2022, 3, 42.0, 100, 100);
    int64_t id;
    double old;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_store_review_add(s, gamma, "A1", 90, "ok", "ana", &id, &old, &err),
                     CNRS_OK);
    static S_rows r;
    memset(&r, 0, sizeof r);
    ck_assert_int_eq(cnrs_store_export(s, CNRS_EXPORT_SCORES, 0, S_collect, &r, &err), CNRS_OK);
    ck_assert_uint_eq(r.nrows, 2);
    /* Ordered by year: Beta 2022 first. */
    ck_assert_str_eq(r.cell[0][S_col(&r, "company")], "Beta");
    ck_assert_str_eq(r.cell[1][S_col(&r, "score")], "40.0");
    ck_assert_str_eq(r.cell[1][S_col(&r, "reviewed_score")], "45.0");
    ck_assert_str_eq(r.cell[1][S_col(&r, "reviews")], "1");
    ck_assert_str_eq(r.cell[0][S_col(&r, "reviewed_score")], "42.0");
    memset(&r, 0, sizeof r);
    ck_assert_int_eq(cnrs_store_export(s, CNRS_EXPORT_INDICATORS, 2023, S_collect, &r, &err),
                     CNRS_OK);
    ck_assert_uint_eq(r.nrows, 3);
    ck_assert_str_eq(r.cell[0][S_col(&r, "indicator")], "A1");
    ck_assert_str_eq(r.cell[0][S_col(&r, "pct")], "40.00");
    ck_assert_str_eq(r.cell[0][S_col(&r, "reviewed_pct")], "90.00");
    ck_assert_str_eq(r.cell[0][S_col(&r, "reviewed_points")], "9.000");
    ck_assert_str_eq(r.cell[0][S_col(&r, "review_reason")], "ok");
    ck_assert_str_eq(r.cell[2][S_col(&r, "in_stage")], "0");
    ck_assert_str_eq(r.cell[2][S_col(&r, "reviewed_points")], "0.000");
    cnrs_store_close(s);
}
END_TEST

START_TEST(merge_combines_and_skips_what_is_there)
{
    cnrs_store *a = S_open(S_path("a.db"), CNRS_STORE_CREATE);
    cnrs_store *b = S_open(S_path("b.db"), CNRS_STORE_CREATE);
    S_fake(a, "000001", "Alpha", "power", "large", 2023, 3, 50.0, 100, 100);
    int64_t beta = S_fake(b, "000002", "Beta", "power", "small", 2023, 3, 42.0, 100, 100);
    S_fake(b, "000001", "Alpha", "power", "large", 2023, 3, 50.0, 100, 100); /* in a too */
    int64_t id;
    double old;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_store_review_add(b, beta, "A2", 50, "why", "ana", &id, &old, &err),
                     CNRS_OK);
    cnrs_store_close(b);
    cnrs_merge_counts c = {0, 0, 0, 0, 0, 0};
    ck_assert_int_eq(cnrs_store_merge(a, S_path("b.db"), &c, &err), CNRS_OK);
    ck_assert_uint_eq(c.reports, 1);
    ck_assert_uint_eq(c.scores, 1);
    ck_assert_uint_eq(c.skipped, 1);
    ck_assert_uint_eq(c.reviews, 1);
    ck_assert_int_eq(S_int(a, "SELECT count(*) FROM companies"), 2);
    ck_assert_int_eq(S_int(a, "SELECT count(*) FROM scores"), 2);
    ck_assert_int_eq(S_int(a, "SELECT count(*) FROM indicator_scores"), 6);
    ck_assert_int_eq(S_int(a, "SELECT count(*) FROM evidence_sets"), 2);
    /* Merging again adds nothing. */
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(cnrs_store_merge(a, S_path("b.db"), &c, &err), CNRS_OK);
    ck_assert_uint_eq(c.reports + c.scores + c.reviews + c.runs, 0);
    ck_assert_int_eq(S_int(a, "SELECT count(*) FROM reviews"), 1);
    /* Into itself, or from something else: refused. */
    ck_assert_int_eq(cnrs_store_merge(a, S_path("a.db"), &c, &err), CNRS_ERR_USAGE);
    FILE *f = fopen(S_path("junk.db"), "w");
    fputs("junk", f);
    fclose(f);
    ck_assert_int_eq(cnrs_store_merge(a, S_path("junk.db"), &c, &err), CNRS_ERR_DB);
    ck_assert_str_eq(S_text(a, "PRAGMA integrity_check"), "ok");
    cnrs_store_close(a);
}
END_TEST

static int S_waits;
static void S_on_wait(void *ctx, const char *path, double waited)
{
    (void)ctx;
    (void)path;
    ck_assert(waited >= 1.0);
    S_waits++;
}

START_TEST(waits_for_a_lock_then_gives_up)
{
    cnrs_store *a = S_open(S_path("l.db"), CNRS_STORE_CREATE);
    S_exec(a, "BEGIN IMMEDIATE; INSERT INTO companies(name) VALUES ('x')");
    cnrs_store *b = NULL;
    cnrs_error err = {0};
    cnrs_store_opts o = {CNRS_STORE_WRITE, 1.6, S_on_wait, NULL, NULL, 0};
    ck_assert_int_eq(cnrs_store_open(S_path("l.db"), &o, &b, &err), CNRS_OK);
    cnrs_run_info ri = {"e", "r", "1", "rs", "{}"};
    int64_t run;
    S_waits = 0;
    ck_assert_int_eq(cnrs_store_run_begin(b, &ri, &run, &err), CNRS_ERR_DB);
    ck_assert_ptr_nonnull(strstr(err.msg, "locked by another process"));
    ck_assert_int_ge(S_waits, 1);
    S_exec(a, "COMMIT");
    ck_assert_int_eq(cnrs_store_run_begin(b, &ri, &run, &err), CNRS_OK);
    cnrs_store_close(b);
    cnrs_store_close(a);
}
END_TEST

Suite *cnrs_suite_store(void);
Suite *cnrs_suite_store(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("schema");
    tcase_add_checked_fixture(tc, S_setup, S_teardown);
    tcase_add_test(tc, fresh_schema);
    tcase_add_test(tc, refuses_what_is_not_ours);
    tcase_add_test(tc, migrates_forward);
    tcase_add_test(tc, rank_rows_ties_and_tracks);
    tcase_add_test(tc, reviews_override_and_undo);
    tcase_add_test(tc, export_shows_both_scores);
    tcase_add_test(tc, merge_combines_and_skips_what_is_there);
    tcase_add_test(tc, waits_for_a_lock_then_gives_up);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    TCase *tw = tcase_create("writes");
    tcase_add_checked_fixture(tw, S_setup_rubric, S_teardown_rubric);
    tcase_add_test(tw, stored_exactly_once_and_read_back);
    tcase_add_test(tw, weaker_metadata_does_not_override);
    tcase_add_test(tw, reader_keeps_one_snapshot);
    tcase_add_test(tw, disk_full_rolls_back_and_says_so);
    tcase_set_timeout(tw, 30);
    suite_add_tcase(s, tw);
    return s;
}
