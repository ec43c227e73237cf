/* test_extract.c - evidence extraction against hand-coded sentences
 * (tests/fixtures/classify.tsv) and the precision rules of spec section 6. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "normalise.h"
#include "output.h"
#include "pipeline.h"
#include "rubric.h"
#include "testutil.h"

#define FIXTURE "tests/fixtures/classify.tsv"

/* Split `line` at tabs into at most `max` fields (in place). */
static int S_fields(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

START_TEST(fixture_sentences)
{
    cnrs_rubric *r;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &r, NULL, &err), CNRS_OK);
    cnrs_extractor *x = cnrs_extractor_new(r);
    FILE *fp = fopen(FIXTURE, "r");
    ck_assert_msg(fp != NULL, "cannot open " FIXTURE);
    char line[4096];
    int lineno = 0, checked = 0, failures = 0;
    cnrs_buf norm = CNRS_BUF_INIT, got = CNRS_BUF_INIT;
    cnrs_evidence_set ev;
    cnrs_evidence_set_init(&ev);
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *f[8];
        int nf = S_fields(line, f, 8);
        ck_assert_msg(nf >= 7, FIXTURE ":%d: expected 7 tab-separated columns, got %d", lineno, nf);
        cnrs_buf_reset(&norm);
        cnrs_normalise(f[0], strlen(f[0]), &norm);
        cnrs_evidence_set_reset(&ev);
        cnrs_extract_sentence(x, norm.data, norm.len, 1, &ev);
        /* The classify line is "1<TAB>inds<TAB>items<TAB>q<TAB>t<TAB>c<TAB>i". */
        cnrs_buf_reset(&got);
        cnrs_write_classify_line(&got, r, &ev, 1);
        got.data[--got.len] = '\0'; /* newline */
        char *g[8];
        ck_assert_int_eq(S_fields(got.data, g, 8), 7);
        static const char *const col[] = {"", "indicators", "items", "quant", "trend",
                                          "comparison", "integration"};
        for (int c = 1; c < 7; c++) {
            if (strcmp(f[c], "*") == 0 || strcmp(f[c], g[c]) == 0)
                continue;
            fprintf(stderr, FIXTURE ":%d: %s: expected %s, got %s  [%s]\n", lineno, col[c], f[c],
                    g[c], f[0]);
            failures++;
        }
        checked++;
    }
    fclose(fp);
    cnrs_buf_free(&norm);
    cnrs_buf_free(&got);
    cnrs_evidence_set_free(&ev);
    cnrs_extractor_free(x);
    cnrs_rubric_free(r);
    ck_assert_int_gt(checked, 30);
    ck_assert_msg(failures == 0, "%d fixture mismatches (see stderr)", failures);
}
END_TEST

/* Units from context (extract.h): rows of bare values take the GHG unit a
 * nearby line prints once. Worked by hand: "Scope 1 (direct) 4,671." is
 * Q11.scope1 either way; it is a GHG mass only with "Metric Tons CO2e" within
 * three sentences, and never from a line further away. */
static int S_scope1_quant(const char *text)
{
    cnrs_rubric *r;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &r, NULL, &err), CNRS_OK);
    cnrs_extractor *x = cnrs_extractor_new(r);
    cnrs_doc *doc;
    ck_assert_int_eq(cnrs_ingest_memory("ctx.txt", CNRS_FMT_TEXT, text, strlen(text), &doc, &err),
                     CNRS_OK);
    cnrs_report *rep = cnrs_score_doc(x, r, doc);
    int ghg = cnrs_rubric_find_unit(r, "ghg_mass"), found = -1;
    for (size_t k = 0; k < rep->ev.n; k++)
        if (strcmp(r->items[rep->ev.ev[k].item].qid, "Q11.scope1") == 0)
            found = (rep->ev.ev[k].units >> ghg) & 1u;
    cnrs_report_free(rep);
    cnrs_extractor_free(x);
    cnrs_rubric_free(r);
    return found;
}

START_TEST(units_from_context)
{
    ck_assert_int_eq(S_scope1_quant("Our greenhouse gas inventory covers all sites.\n\n"
                                    "Metric Tons CO2e\n\nScope 1 (direct) 4,671.\n"),
                     1);
    ck_assert_int_eq(S_scope1_quant("Our greenhouse gas inventory covers all sites.\n\n"
                                    "Scope 1 (direct) 4,671.\n\n(in metric tons CO2e)\n"),
                     1);
    ck_assert_int_eq(S_scope1_quant("Our greenhouse gas inventory covers all sites.\n\n"
                                    "Scope 1 (direct) 4,671.\n"),
                     0);
    ck_assert_int_eq(S_scope1_quant("Metric Tons CO2e\n\nOne.\n\nTwo.\n\nThree.\n\n"
                                    "Four.\n\nScope 1 (direct) 4,671.\n"),
                     0);
    /* a year is not a value */
    ck_assert_int_eq(S_scope1_quant("Metric Tons CO2e\n\nScope 1 (direct) 2021.\n"), 0);
}
END_TEST

Suite *cnrs_suite_extract(void);
Suite *cnrs_suite_extract(void)
{
    Suite *s = suite_create("extract");
    TCase *tc = tcase_create("fixtures");
    /* units_from_context loads the rubric five times: about 4 s under ASan
     * on a loaded 2-core machine, past Check's default of 4 s. */
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, fixture_sentences);
    tcase_add_test(tc, units_from_context);
    suite_add_tcase(s, tc);
    return s;
}
