/* test_batch.c - batch runs through the engine API: bad inputs counted and
 * recorded but never fatal, the same database content whatever --jobs,
 * resuming, --force, deterministic shards, and a full disk. */
#include <check.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "testutil.h"

static char S_dir[64];
static cnrs_rubric *S_rubric;

static const char *S_at(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", S_dir, name);
    return buf[k];
}

static void S_write(const char *name, const char *data, size_t len)
{
    FILE *f = fopen(S_at(name), "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static void S_copy(const char *src, const char *name)
{
    char *data;
    size_t len;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_read_file(src, 0, &data, &len, &err), CNRS_OK);
    S_write(name, data, len);
    free(data);
}

/* in/ holds six inputs, the manifest three rows (one malformed):
 *   manifest line 2  in/600736_huacheng_2023.txt  scored (manifest metadata)
 *   manifest line 3  in/missing.txt               failed: io
 *   manifest line 4  "broken"                     failed: manifest (2 fields)
 *   in/002918_qinghe_2023.txt                     scored (file name)
 *   in/600977_skyline_2023.txt                    scored
 *   in/copy.txt      same bytes as 600977         warning: duplicate, not stored
 *   in/empty.txt                                  failed: empty
 *   in/mystery.txt                                scored, warning: unknown company */
static void S_setup(void)
{
    strcpy(S_dir, "/tmp/cnrs-batch-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(S_dir));
    ck_assert_int_eq(mkdir(S_at("in"), 0700), 0);
    S_copy("corpora/600736_huacheng-power-demo_2023_zh.txt", "in/600736_huacheng_2023.txt");
    S_copy("corpora/002918_qinghe-textile-demo_2023_zh.txt", "in/002918_qinghe_2023.txt");
    S_copy("corpora/600977_skyline-data-demo_2023_en.txt", "in/600977_skyline_2023.txt");
    S_copy("corpora/600977_skyline-data-demo_2023_en.txt", "in/copy.txt");
    S_write("in/empty.txt", "", 0);
    S_copy("corpora/603716_lvyuan-food-demo_2023_zh.txt", "in/mystery.txt");
    static const char manifest[] = "path,company,code,year,industry,size,report_type\n"
                                   "in/600736_huacheng_2023.txt,华程电力,600736,2023,power,large,ESG\n"
                                   "in/missing.txt,Ghost,000001,2023,power,small,\n"
                                   "broken,row\n";
    S_write("manifest.csv", manifest, sizeof manifest - 1);
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &S_rubric, NULL, &err), CNRS_OK);
}

static void S_teardown(void)
{
    cnrs_rubric_free(S_rubric);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_dir);
    ck_assert_int_eq(system(cmd), 0);
}

static cnrs_status S_batch(const char *db, int jobs, int force, unsigned si, unsigned sn,
                           cnrs_batch_result *res)
{
    static char dbp[128], man[128], in[128];
    snprintf(dbp, sizeof dbp, "%s/%s", S_dir, db);
    snprintf(man, sizeof man, "%s/manifest.csv", S_dir);
    snprintf(in, sizeof in, "%s/in", S_dir);
    const char *paths[] = {in};
    cnrs_batch_opts o = {dbp, man, paths, 1,    S_rubric, NULL, jobs,
                         force, si, sn, 0, NULL, NULL, NULL, NULL};
    cnrs_error err = {0};
    cnrs_status st = cnrs_batch_run(&o, res, &err);
    ck_assert_msg(st == CNRS_OK, "batch: %s", err.msg);
    return st;
}

/* The stored content that must not depend on jobs (no ids of runs, no times). */
static char *S_dump(const char *db)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", S_dir, db);
    sqlite3 *h;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    static const char *const q[] = {
        "SELECT id, code, name, industry, size FROM companies ORDER BY id",
        "SELECT id, sha256, company_id, year, report_type, path, format, encoding, pages, "
        "paged, sentences, bytes, meta_source FROM reports ORDER BY id",
        "SELECT id, report_id, engine_version, rubric_sha256, stage, stage_name, total, max "
        "FROM scores ORDER BY id",
        "SELECT * FROM indicator_scores ORDER BY score_id, ord",
        "SELECT * FROM evidence_sets ORDER BY score_id",
        "SELECT path, source, kind, fatal, message FROM failures ORDER BY id",
    };
    cnrs_buf b = CNRS_BUF_INIT;
    for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
        sqlite3_stmt *st;
        ck_assert_int_eq(sqlite3_prepare_v2(h, q[k], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *t = sqlite3_column_text(st, c);
                cnrs_buf_printf(&b, "%s|", t ? (const char *)t : "NULL");
            }
            cnrs_buf_putc(&b, '\n');
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return cnrs_buf_steal(&b);
}

static long long S_count(const char *db, const char *sql)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", S_dir, db);
    sqlite3 *h;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static const cnrs_batch_failure *S_fail(const cnrs_batch_result *r, const char *kind)
{
    for (size_t i = 0; i < r->nfails; i++)
        if (strcmp(r->fails[i].kind, kind) == 0)
            return &r->fails[i];
    ck_abort_msg("no failure of kind %s", kind);
    return NULL;
}

START_TEST(bad_inputs_are_counted_not_fatal)
{
    cnrs_batch_result r;
    S_batch("a.db", 2, 0, 0, 0, &r);
    ck_assert_uint_eq(r.inputs, 8);
    ck_assert_uint_eq(r.scored, 4);
    ck_assert_uint_eq(r.unchanged, 0);
    ck_assert_uint_eq(r.failed, 3);
    ck_assert_uint_eq(r.duplicates, 1);
    ck_assert_uint_eq(r.warnings, 2);
    /* Input order: the manifest's missing file is the first failure. */
    ck_assert_int_eq(r.first_failure, CNRS_ERR_IO);
    const cnrs_batch_failure *f = S_fail(&r, "io");
    ck_assert_ptr_nonnull(strstr(f->msg, "manifest.csv:3: "));
    ck_assert_ptr_nonnull(strstr(f->msg, "missing.txt"));
    f = S_fail(&r, "manifest");
    ck_assert_ptr_nonnull(strstr(f->msg, "manifest.csv:4: 2 fields where the header has 7"));
    ck_assert_int_eq(f->fatal, 1);
    f = S_fail(&r, "empty");
    ck_assert_int_eq(f->code, CNRS_ERR_EMPTY);
    f = S_fail(&r, "duplicate");
    ck_assert_int_eq(f->fatal, 0);
    ck_assert_ptr_nonnull(strstr(f->msg, "copy.txt: the same content as"));
    ck_assert_ptr_nonnull(strstr(f->msg, "600977_skyline_2023.txt"));
    f = S_fail(&r, "unknown_company");
    ck_assert_ptr_nonnull(strstr(f->msg, "mystery.txt"));
    cnrs_batch_result_free(&r);

    ck_assert_int_eq(S_count("a.db", "SELECT count(*) FROM scores"), 4);
    ck_assert_int_eq(S_count("a.db", "SELECT count(*) FROM failures WHERE fatal"), 3);
    ck_assert_int_eq(S_count("a.db", "SELECT count(*) FROM failures WHERE NOT fatal"), 2);
    ck_assert_int_eq(S_count("a.db", "SELECT count(*) FROM runs WHERE finished_at IS NOT NULL "
                                     "AND scored = 4 AND failed = 3 AND warnings = 2"),
                     1);
    /* The manifest's metadata, and the file name's where there is no row. */
    ck_assert_int_eq(S_count("a.db", "SELECT count(*) FROM reports r JOIN companies c ON "
                                     "c.id = r.company_id WHERE c.name = '华程电力' AND "
                                     "c.industry = 'power' AND r.report_type = 'ESG' AND "
                                     "r.meta_source = 'manifest'"),
                     1);
    ck_assert_int_eq(S_count("a.db", "SELECT count(*) FROM companies WHERE code = '002918' "
                                     "AND name = 'qinghe'"),
                     1);
    ck_assert_int_eq(S_count("a.db", "SELECT count(*) FROM reports WHERE meta_source = 'none' "
                                     "AND year IS NULL"),
                     1);
}
END_TEST

START_TEST(same_content_whatever_the_jobs)
{
    cnrs_batch_result r1, r2;
    S_batch("j1.db", 1, 0, 0, 0, &r1);
    S_batch("j2.db", 2, 0, 0, 0, &r2);
    ck_assert_int_eq(r1.jobs, 1);
    ck_assert_int_eq(r2.jobs, 2);
    char *d1 = S_dump("j1.db"), *d2 = S_dump("j2.db");
    ck_assert_uint_gt(strlen(d1), 1000);
    ck_assert_str_eq(d1, d2);
    free(d1);
    free(d2);
    cnrs_batch_result_free(&r1);
    cnrs_batch_result_free(&r2);
}
END_TEST

START_TEST(resume_and_force)
{
    cnrs_batch_result r;
    S_batch("r.db", 2, 0, 0, 0, &r);
    ck_assert_uint_eq(r.scored, 4);
    cnrs_batch_result_free(&r);
    /* Again: nothing to score; the same failures are reported again. */
    S_batch("r.db", 2, 0, 0, 0, &r);
    ck_assert_uint_eq(r.scored, 0);
    ck_assert_uint_eq(r.unchanged, 4);
    ck_assert_uint_eq(r.failed, 3);
    ck_assert_uint_eq(r.duplicates, 1);
    cnrs_batch_result_free(&r);
    ck_assert_int_eq(S_count("r.db", "SELECT count(*) FROM scores"), 4);
    ck_assert_int_eq(S_count("r.db", "SELECT count(*) FROM runs"), 2);
    /* --force scores again, still once each. */
    S_batch("r.db", 2, 1, 0, 0, &r);
    ck_assert_uint_eq(r.scored, 4);
    ck_assert_uint_eq(r.unchanged, 0);
    cnrs_batch_result_free(&r);
    ck_assert_int_eq(S_count("r.db", "SELECT count(*) FROM scores"), 4);
    ck_assert_int_eq(S_count("r.db", "SELECT count(*) FROM indicator_scores"), 64);
    ck_assert_int_eq(S_count("r.db", "SELECT count(*) FROM evidence_sets"), 4);
    ck_assert_int_eq(S_count("r.db", "SELECT count(DISTINCT report_id) FROM scores"), 4);
}
END_TEST

START_TEST(shards_partition_the_inputs)
{
    /* Worked with sha256sum: "a.txt" -> first 8 bytes mod 3 = 2 (shard 3),
     * mod 2 = 1 (shard 2); "b.txt" -> shard 1 of 3. */
    ck_assert(cnrs_batch_in_shard("a.txt", 3, 3));
    ck_assert(!cnrs_batch_in_shard("a.txt", 1, 3));
    ck_assert(cnrs_batch_in_shard("a.txt", 2, 2));
    ck_assert(cnrs_batch_in_shard("b.txt", 1, 3));
    ck_assert(cnrs_batch_in_shard("anything", 1, 1));
    int count[4] = {0, 0, 0, 0};
    for (int k = 0; k < 300; k++) {
        char key[32];
        snprintf(key, sizeof key, "dir/%06d_c_2023.txt", k);
        int in = 0;
        for (unsigned i = 1; i <= 3; i++)
            if (cnrs_batch_in_shard(key, i, 3)) {
                in++;
                count[i]++;
            }
        ck_assert_int_eq(in, 1);
    }
    for (int i = 1; i <= 3; i++)
        ck_assert_int_gt(count[i], 60); /* roughly a third each */
    /* Two shards of the batch take all eight inputs between them. */
    cnrs_batch_result r1, r2;
    S_batch("s1.db", 1, 0, 1, 2, &r1);
    S_batch("s2.db", 1, 0, 2, 2, &r2);
    ck_assert_uint_eq(r1.inputs + r2.inputs, 8);
    ck_assert_uint_gt(r1.inputs, 0);
    ck_assert_uint_gt(r2.inputs, 0);
    cnrs_batch_result_free(&r1);
    cnrs_batch_result_free(&r2);
}
END_TEST

/* A batch under a file size limit (`ulimit -f`; EFBIG stands for a full
 * disk, ENOSPC takes the same path) stops at the first write that does not
 * fit: CNRS_ERR_DB, "disk full" and the database named; what was stored
 * before is whole, the run is closed with its counts, and the same batch with
 * room stores the rest, each report once. The limit is found by doubling
 * from 64 KiB until some new report fits before the fault. */
START_TEST(disk_full_stops_cleanly_and_resumes)
{
    cnrs_batch_result r;
    S_batch("base.db", 2, 0, 0, 0, &r);
    ck_assert_uint_eq(r.scored, 4);
    cnrs_batch_result_free(&r);
    static const char *const src[] = {"corpora/600736_huacheng-power-demo_2023_zh.txt",
                                       "corpora/002918_qinghe-textile-demo_2023_zh.txt",
                                       "corpora/600977_skyline-data-demo_2023_en.txt",
                                       "corpora/603716_lvyuan-food-demo_2023_zh.txt"};
    enum { NEW = 8 };
    for (int k = 0; k < NEW; k++) { /* new content: a copy and a line of its own */
        char name[64], *data;
        size_t len;
        cnrs_error err = {0};
        ck_assert_int_eq(cnrs_read_file(src[k % 4], 0, &data, &len, &err), CNRS_OK);
        cnrs_buf b = CNRS_BUF_INIT;
        cnrs_buf_append(&b, data, len);
        cnrs_buf_printf(&b, "\n第%d份报告。\n", k);
        snprintf(name, sizeof name, "in/60010%d_new%d_2023.txt", k, k);
        S_write(name, b.data, b.len);
        cnrs_buf_free(&b);
        free(data);
    }

    static char dbp[128], man[128], in[128];
    snprintf(dbp, sizeof dbp, "%s/f.db", S_dir);
    snprintf(man, sizeof man, "%s/manifest.csv", S_dir);
    snprintf(in, sizeof in, "%s/in", S_dir);
    const char *paths[] = {in};
    cnrs_batch_opts o = {dbp, man, paths, 1, S_rubric, NULL, 2, 0, 0, 0, 0, NULL, NULL, NULL, NULL};
    cnrs_error err = {0};
    cnrs_status st = CNRS_OK;
    struct rlimit was;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &was), 0);
    void (*sig)(int) = signal(SIGXFSZ, SIG_IGN);
    for (rlim_t lim = 64 * 1024; lim <= 16 * 1024 * 1024; lim *= 2) {
        S_copy(S_at("base.db"), "f.db");
        struct rlimit l = {lim, was.rlim_max};
        ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &l), 0);
        st = cnrs_batch_run(&o, &r, &err);
        ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &was), 0);
        if (st != CNRS_ERR_DB || r.scored > 0)
            break;
        cnrs_batch_result_free(&r);
        remove(S_at("f.db-wal"));
        remove(S_at("f.db-shm"));
    }
    signal(SIGXFSZ, sig);
    ck_assert_msg(st == CNRS_ERR_DB, "the batch never ran out of room (%d: %s)", st, err.msg);
    ck_assert_msg(strstr(err.msg, dbp) == err.msg && strstr(err.msg, "disk full"), "%s", err.msg);
    size_t stored = r.scored;
    ck_assert_uint_gt(stored, 0);
    ck_assert_uint_lt(stored, NEW);
    cnrs_batch_result_free(&r);

    ck_assert_int_eq(S_count("f.db", "SELECT count(*) FROM scores"), 4 + (long long)stored);
    ck_assert_int_eq(S_count("f.db", "SELECT count(*) FROM scores s WHERE (SELECT count(*) FROM "
                                     "indicator_scores i WHERE i.score_id = s.id) <> 16 OR NOT "
                                     "EXISTS (SELECT 1 FROM evidence_sets e WHERE e.score_id = "
                                     "s.id)"),
                     0);
    ck_assert_int_eq(S_count("f.db", "SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 "
                                     "FROM scores s WHERE s.report_id = r.id)"),
                     0);
    char q[160];
    snprintf(q, sizeof q, "SELECT count(*) FROM runs WHERE id = 2 AND finished_at IS NOT NULL "
                          "AND scored = %zu AND inputs = %d", stored, 8 + NEW);
    ck_assert_int_eq(S_count("f.db", q), 1);

    S_batch("f.db", 2, 0, 0, 0, &r);
    ck_assert_uint_eq(r.scored, NEW - stored);
    ck_assert_uint_eq(r.unchanged, 4 + stored);
    cnrs_batch_result_free(&r);
    ck_assert_int_eq(S_count("f.db", "SELECT count(*) FROM scores"), 4 + NEW);
    ck_assert_int_eq(S_count("f.db", "SELECT count(DISTINCT report_id) FROM scores"), 4 + NEW);
}
END_TEST

Suite *cnrs_suite_batch(void);
Suite *cnrs_suite_batch(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("batch");
    tcase_add_checked_fixture(tc, S_setup, S_teardown);
    tcase_add_test(tc, bad_inputs_are_counted_not_fatal);
    tcase_add_test(tc, same_content_whatever_the_jobs);
    tcase_add_test(tc, resume_and_force);
    tcase_add_test(tc, shards_partition_the_inputs);
    tcase_add_test(tc, disk_full_stops_cleanly_and_resumes);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}
