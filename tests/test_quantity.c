/* test_quantity.c - the quantity grammar (quantity.h) against a table of
 * cases worked by hand (tests/fixtures/quantity/cases.tsv: text, dimension,
 * canonical low and high value, qualifier), written independently of the
 * parser, and a few properties the table cannot state. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quantity.h"
#include "rubric.h"
#include "testutil.h"

#define FIXTURE "tests/fixtures/quantity/cases.tsv"

static cnrs_rubric *S_rubric(void)
{
    cnrs_rubric *r = NULL;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &r, NULL, &err), CNRS_OK);
    return r;
}

static int S_close(double a, double b)
{
    return fabs(a - b) <= 1e-6 || fabs(a - b) <= 1e-7 * fabs(b);
}

/* The first quantity of `text`; 0 when there is none. */
static int S_first(const cnrs_qtable *t, const char *text, cnrs_quantity *q)
{
    cnrs_quantity all[32];
    size_t n = cnrs_quantity_scan(t, text, strlen(text), all, 32);
    if (n == 0)
        return 0;
    *q = all[0];
    return 1;
}

START_TEST(fixture_cases)
{
    cnrs_rubric *r = S_rubric();
    FILE *f = fopen(FIXTURE, "r");
    ck_assert_msg(f != NULL, "cannot open %s", FIXTURE);
    char line[2048];
    int cases = 0, failures = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (line[0] == '#' || line[0] == 0)
            continue;
        char *fld[6], *save = NULL;
        int nf = 0;
        for (char *tok = strtok_r(line, "\t", &save); tok && nf < 6; tok = strtok_r(NULL, "\t", &save))
            fld[nf++] = tok;
        ck_assert_msg(nf == 6, "%s:%d: %d fields", FIXTURE, lineno, nf);
        cases++;
        const char *text = fld[1], *dim = fld[2];
        double lo = strtod(fld[3], NULL), hi = strtod(fld[4], NULL);
        char want_dim[32] = "", want_cur[8] = "";
        const char *colon = strchr(dim, ':');
        snprintf(want_dim, sizeof want_dim, "%.*s", colon ? (int)(colon - dim) : (int)strlen(dim),
                 dim);
        if (colon)
            snprintf(want_cur, sizeof want_cur, "%s", colon + 1);
        cnrs_quantity q;
        char got[256] = "none";
        int ok = S_first(r->quant, text, &q);
        if (ok) {
            const char *gd = q.dim < 0 ? "number" : cnrs_qtable_dim_id(r->quant, q.dim);
            snprintf(got, sizeof got, "%s%s%s %.9g..%.9g %s", gd, q.currency[0] ? ":" : "",
                     q.currency, q.lo, q.hi, cnrs_approx_name((cnrs_approx)q.approx));
            ok = strcmp(gd, want_dim) == 0 && strcmp(q.currency, want_cur) == 0 &&
                 S_close(q.lo, lo) && S_close(q.hi, hi) &&
                 strcmp(cnrs_approx_name((cnrs_approx)q.approx), fld[5]) == 0;
        }
        if (!ok) {
            failures++;
            fprintf(stderr, "%s:%d: %s: want %s %s..%s %s, got %s\n", FIXTURE, lineno, text, dim,
                    fld[3], fld[4], fld[5], got);
        }
    }
    fclose(f);
    cnrs_rubric_free(r);
    ck_assert_int_ge(cases, 300);
    ck_assert_msg(failures == 0, "%d of %d quantity cases fail (see stderr)", failures, cases);
}
END_TEST

/* Spans and flags the table does not hold. */
START_TEST(spans_and_flags)
{
    cnrs_rubric *r = S_rubric();
    const cnrs_qtable *t = r->quant;
    cnrs_quantity q;
    const char *s = "强度为0.32吨二氧化碳当量/万元";
    ck_assert(S_first(t, s, &q));
    ck_assert(q.rate);
    ck_assert_int_eq(q.dim, cnrs_qtable_dim(t, "ghg"));
    ck_assert_str_eq(s + q.end, "");
    ck_assert_int_eq((int)(q.num_end - q.num_start), 4); /* "0.32" */

    /* digits glued to words are not quantities (footnotes, formulas, names),
     * nor are the numbers of scope labels */
    s = "Scope 1 and 2 GHG emissions9 tCO2e 141,100";
    cnrs_quantity all[8];
    size_t n = cnrs_quantity_scan(t, s, strlen(s), all, 8);
    ck_assert_uint_eq(n, 1);
    ck_assert(S_close(all[0].lo, 141100));
    ck_assert_int_eq(all[0].dim, -1);

    /* years are numbers, flagged */
    ck_assert(S_first(t, "2022年", &q));
    ck_assert(q.year);
    ck_assert(S_first(t, "1,466.73", &q));
    ck_assert(!q.year);
    cnrs_rubric_free(r);
}
END_TEST

/* A unit printed once for a table: scale and dimension. */
START_TEST(unit_labels)
{
    cnrs_rubric *r = S_rubric();
    const cnrs_qtable *t = r->quant;
    int ghg = cnrs_qtable_dim(t, "ghg");
    struct {
        const char *s;
        double factor;
        int is_dim;
    } cases[] = {
        {"单位：万吨", 1e4, 0},
        {"(million tonnes CO2eq)", 1e6, 1},
        {"Scope 1 GHG emissions tCO2e", 1, 1},
        {"Unit: 10,000 t of CO2e", 1e4, 1},
        {"Metric Tons CO2e", 1, 1},
        {"（吨二氧化碳当量）", 1, 1},
        {"(MTCO2e)", 1, 1},
        /* thousands, as British tables print them (Croda 2021) */
        {"Scope 1 and 2 emissions ('000 tonnes CO2e)", 1e3, 1},
        {"(\xE2\x80\x98" "000 tCO2e)", 1e3, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        double f = 0;
        int is_dim = -1;
        size_t at, end;
        ck_assert_msg(cnrs_quantity_unit_label(t, ghg, cases[k].s, strlen(cases[k].s), &f, &is_dim,
                                               &at, &end),
                      "%s: no label", cases[k].s);
        ck_assert_msg(S_close(f, cases[k].factor) && is_dim == cases[k].is_dim,
                      "%s: factor %g dim %d", cases[k].s, f, is_dim);
    }
    double f;
    int is_dim;
    size_t at, end;
    ck_assert(!cnrs_quantity_unit_label(t, ghg, "Water consumption m3", 20, &f, &is_dim, &at, &end));
    /* "GWP" is a global warming potential, not peak gigawatts (Delta 2021:
     * "GHG Emissions Inventory (metric tons) using IPCC AR5 GWP" made its
     * table a two-unit header, and all but one value were dropped) */
    static const char gwp[] = "GHG Emissions Inventory (metric tons) using IPCC AR5 GWP";
    ck_assert(!cnrs_quantity_unit_label(t, cnrs_qtable_dim(t, "power"), gwp, strlen(gwp), &f,
                                        &is_dim, &at, &end));
    ck_assert(cnrs_quantity_unit_label(t, cnrs_qtable_dim(t, "power"), "Capacity (GWp)", 14, &f,
                                       &is_dim, &at, &end) &&
              S_close(f, 1000));
    cnrs_rubric_free(r);
}
END_TEST

Suite *cnrs_suite_quantity(void);
Suite *cnrs_suite_quantity(void)
{
    Suite *s = suite_create("quantity");
    TCase *tc = tcase_create("grammar");
    tcase_add_test(tc, fixture_cases);
    tcase_add_test(tc, spans_and_flags);
    tcase_add_test(tc, unit_labels);
    suite_add_tcase(s, tc);
    return s;
}
