/* test_golden.c - end-to-end: the team's corpora against their hand-worked
 * expectations (corpora/NAME.expected), and the seed documents' stages.
 * Only the regular files at the top of corpora/ are read: subdirectories
 * (corpora/real/, measured by `make eval`) are someone else's. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline.h"
#include "testutil.h"

#define CORPORA "corpora"

static int S_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static cnrs_rubric *S_r;
static cnrs_extractor *S_x;

static void S_setup(void)
{
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &S_r, NULL, &err), CNRS_OK);
    S_x = cnrs_extractor_new(S_r);
}

static void S_teardown(void)
{
    cnrs_extractor_free(S_x);
    cnrs_rubric_free(S_r);
}

/* The report next to NAME.expected: same stem, any other extension. */
static char *S_report_for(const char *expected)
{
    size_t stem = strlen(expected) - strlen(".expected");
    DIR *d = opendir(CORPORA);
    char *found = NULL;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (strncmp(de->d_name, expected, stem) == 0 && de->d_name[stem] == '.' &&
            strcmp(de->d_name + stem, ".expected") != 0 && !found) {
            size_t n = strlen(CORPORA) + strlen(de->d_name) + 2;
            found = malloc(n);
            snprintf(found, n, "%s/%s", CORPORA, de->d_name);
        }
    }
    if (d)
        closedir(d);
    return found;
}

/* Check one corpus report; returns the number of mismatches (printed). */
static int S_check_expected(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", CORPORA, name);
    char *report = S_report_for(name);
    if (!report) {
        fprintf(stderr, "%s: no report file beside it\n", path);
        return 1;
    }
    cnrs_report *rep;
    cnrs_error err = {0};
    if (cnrs_score_file(S_x, S_r, report, NULL, &rep, &err) != CNRS_OK) {
        fprintf(stderr, "%s: %s\n", report, err.msg);
        free(report);
        return 1;
    }
    FILE *fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fp);
    char line[1024];
    int bad = 0, lineno = 0, nbands = 0, have_stage = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        int stage;
        char id[16], band[8];
        if (sscanf(line, "stage %d", &stage) == 1) {
            have_stage = 1;
            if (rep->card->stage != stage) {
                fprintf(stderr, "%s:%d: stage: expected %d, got %d\n", path, lineno, stage,
                        rep->card->stage);
                bad++;
            }
        } else if (sscanf(line, "%15s %7s", id, band) == 2) {
            int i = cnrs_rubric_find_indicator(S_r, id);
            nbands++;
            if (i < 0) {
                fprintf(stderr, "%s:%d: unknown indicator %s\n", path, lineno, id);
                bad++;
            } else if (strcmp(cnrs_band_name(rep->card->ind[i].band), band) != 0) {
                const cnrs_indicator_score *s = &rep->card->ind[i];
                fprintf(stderr, "%s:%d: %s: expected %s, got %s (covered %zu/%zu, quant %zu, S %zu)\n",
                        path, lineno, id, band, cnrs_band_name(s->band), s->in.covered, s->in.K,
                        s->in.quant, s->in.S);
                bad++;
            }
        }
    }
    fclose(fp);
    if (!have_stage || nbands != (int)S_r->nindicators) {
        fprintf(stderr, "%s: needs a stage line and %zu band lines (has %d)\n", path,
                S_r->nindicators, nbands);
        bad++;
    }
    cnrs_report_free(rep);
    free(report);
    return bad;
}

START_TEST(corpora_match_expectations)
{
    DIR *d = opendir(CORPORA);
    ck_assert_msg(d != NULL, "no corpora/ directory");
    struct dirent *de;
    int files = 0, bad = 0;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", CORPORA, de->d_name);
        if (n > 9 && strcmp(de->d_name + n - 9, ".expected") == 0 && S_regular(path)) {
            files++;
            bad += S_check_expected(de->d_name);
        }
    }
    closedir(d);
    ck_assert_int_ge(files, 8);
    ck_assert_msg(bad == 0, "%d mismatches against corpora/*.expected (see stderr)", bad);
}
END_TEST

static cnrs_report *S_seed(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", cnrs_test_seeds(), name);
    cnrs_report *rep = NULL;
    cnrs_error err = {0};
    ck_assert_msg(cnrs_score_file(S_x, S_r, path, NULL, &rep, &err) == CNRS_OK, "%s", err.msg);
    return rep;
}

START_TEST(seed_001_is_stage3_with_scopes)
{
    cnrs_report *rep = S_seed("001_90c452405eb75d1a.txt");
    ck_assert_int_eq(rep->card->stage, 3);
    /* Quantified evidence for scopes 1, 2 and 3 (51.0, 371.0, 529.4 万吨). */
    const char *scopes[] = {"Q11.scope1", "Q11.scope2", "Q11.scope3"};
    for (int k = 0; k < 3; k++) {
        int quant = 0;
        for (size_t e = 0; e < rep->ev.n; e++)
            if (strcmp(S_r->items[rep->ev.ev[e].item].qid, scopes[k]) == 0 && rep->ev.ev[e].units)
                quant = 1;
        ck_assert_msg(quant, "no quantitative evidence for %s", scopes[k]);
    }
    cnrs_report_free(rep);
}
END_TEST

START_TEST(seed_002_is_stage2)
{
    /* Ant Forest: avoided emissions only, never the company's own. */
    cnrs_report *rep = S_seed("002_f14ea4ac132f2bb9.txt");
    ck_assert_int_eq(rep->card->stage, 2);
    cnrs_report_free(rep);
}
END_TEST

START_TEST(all_seeds_score)
{
    const char *seeds[] = {"000_11261e577ebf9dd0.txt", "001_90c452405eb75d1a.txt",
                           "002_f14ea4ac132f2bb9.txt", "003_2a10e3e7465fa022.txt",
                           "004_27732c5a78de64b6.txt"};
    for (int i = 0; i < 5; i++) {
        cnrs_report *rep = S_seed(seeds[i]);
        ck_assert_int_gt((int)rep->doc->nsents, 50);
        ck_assert(rep->card->total >= 0 && rep->card->total <= rep->card->max + 1e-9);
        cnrs_report_free(rep);
    }
}
END_TEST

/* Compare the evidence of one file through the prefiltered and the naive
 * extractor; returns the number of differences (printed). */
static int S_fast_vs_naive(const char *path, cnrs_extractor *naive)
{
    cnrs_report *a, *b;
    cnrs_error err = {0};
    if (cnrs_score_file(S_x, S_r, path, NULL, &a, &err) != CNRS_OK)
        return 0; /* not a report (README, .expected) */
    ck_assert_int_eq(cnrs_score_file(naive, S_r, path, NULL, &b, &err), CNRS_OK);
    int diff = 0;
    if (a->ev.n != b->ev.n || a->ev.nfeats != b->ev.nfeats) {
        fprintf(stderr, "%s: %zu evidence records fast, %zu naive\n", path, a->ev.n, b->ev.n);
        diff++;
    } else {
        for (size_t e = 0; e < a->ev.n; e++) {
            const cnrs_evidence *p = &a->ev.ev[e], *q = &b->ev.ev[e];
            if (p->sent != q->sent || p->feat != q->feat || p->item != q->item ||
                p->indicator != q->indicator || p->units != q->units) {
                fprintf(stderr, "%s: evidence %zu differs (sentence %u)\n", path, e,
                        a->ev.ev[e].sent);
                diff++;
            }
        }
        for (size_t f = 0; f < a->ev.nfeats; f++) {
            const cnrs_features *p = &a->ev.feats[f], *q = &b->ev.feats[f];
            if (p->sent != q->sent || p->trend != q->trend || p->up != q->up ||
                p->down != q->down || p->comparison != q->comparison ||
                p->integration != q->integration || p->leadership != q->leadership) {
                fprintf(stderr, "%s: features of sentence %u differ\n", path, p->sent);
                diff++;
            }
        }
    }
    if (a->card->stage != b->card->stage || a->card->total != b->card->total)
        diff++;
    cnrs_report_free(a);
    cnrs_report_free(b);
    return diff;
}

START_TEST(prefilter_changes_nothing)
{
    /* The optimised path (prefilter candidates only) must give exactly the
     * evidence of the reference path that runs every pattern everywhere. */
    cnrs_extractor *naive = cnrs_extractor_new(S_r);
    cnrs_extractor_set_naive(naive, 1);
    int diff = 0, files = 0;
    const char *dirs[2] = {CORPORA, cnrs_test_seeds()};
    for (int k = 0; k < 2; k++) {
        DIR *d = opendir(dirs[k]);
        ck_assert_ptr_nonnull(d);
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dirs[k], de->d_name);
            if (cnrs_format_from_path(path) == CNRS_FMT_UNKNOWN || strstr(path, "README") ||
                !S_regular(path))
                continue;
            files++;
            diff += S_fast_vs_naive(path, naive);
        }
        closedir(d);
    }
    cnrs_extractor_free(naive);
    ck_assert_int_ge(files, 14);
    ck_assert_msg(diff == 0, "%d differences between the prefiltered and the naive path", diff);
}
END_TEST

Suite *cnrs_suite_golden(void);
Suite *cnrs_suite_golden(void)
{
    Suite *s = suite_create("golden");
    TCase *tc = tcase_create("corpora");
    tcase_add_checked_fixture(tc, S_setup, S_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, corpora_match_expectations);
    tcase_add_test(tc, seed_001_is_stage3_with_scopes);
    tcase_add_test(tc, seed_002_is_stage2);
    tcase_add_test(tc, all_seeds_score);
    tcase_add_test(tc, prefilter_changes_nothing);
    suite_add_tcase(s, tc);
    return s;
}
