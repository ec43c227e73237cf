/* test_eval.c - `cnrs eval`'s arithmetic, parsers and one whole run on
 * tests/fixtures/eval/. Every expected number is worked by hand below. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval.h"
#include "rubric.h"
#include "testutil.h"

#define FIXTURE "tests/fixtures/eval"

static cnrs_rubric *S_r;

static void S_setup(void)
{
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &S_r, NULL, &err), CNRS_OK);
}

static void S_teardown(void)
{
    cnrs_rubric_free(S_r);
    S_r = NULL;
}

#define ck_near(a, b)                                                                              \
    ck_assert_msg(fabs((a) - (b)) < 1e-9, "%.12g != %.12g", (double)(a), (double)(b))

static int S_ind(const char *id)
{
    int i = cnrs_rubric_find_indicator(S_r, id);
    ck_assert_int_ge(i, 0);
    return i;
}

/* ---- arithmetic ------------------------------------------------------------------ */

START_TEST(precision_recall)
{
    /* tp 3, fp 1, fn 2: P = 3/4 = 0.75, R = 3/5 = 0.6. */
    cnrs_eval_counts c = {3, 1, 2};
    ck_near(cnrs_eval_precision(&c), 0.75);
    ck_near(cnrs_eval_recall(&c), 0.6);
    /* Nothing predicted: P has no denominator; nothing to find: R neither. */
    cnrs_eval_counts none = {0, 0, 4};
    ck_assert(isnan(cnrs_eval_precision(&none)));
    ck_near(cnrs_eval_recall(&none), 0);
    cnrs_eval_counts empty = {0, 0, 0};
    ck_assert(isnan(cnrs_eval_recall(&empty)));
}
END_TEST

START_TEST(kappa_by_hand)
{
    /* 10 decisions: both yes 4, first only 1, second only 1, both no 4.
     * po = 8/10 = 0.8; each rater says yes 5/10 = 0.5, so
     * pe = 0.5 * 0.5 + 0.5 * 0.5 = 0.5; kappa = (0.8 - 0.5) / 0.5 = 0.6. */
    ck_near(cnrs_eval_kappa(4, 1, 1, 4), 0.6);
    /* 50 decisions: 20, 5, 10, 15. po = 35/50 = 0.7; p1 = 25/50 = 0.5,
     * p2 = 30/50 = 0.6; pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2/0.5 = 0.4. */
    ck_near(cnrs_eval_kappa(20, 5, 10, 15), 0.4);
    /* Perfect agreement on a mixed table: 1. */
    ck_near(cnrs_eval_kappa(3, 0, 0, 7), 1);
    /* Both raters always say no: pe = 1, kappa undefined; no data neither. */
    ck_assert(isnan(cnrs_eval_kappa(0, 0, 0, 9)));
    ck_assert(isnan(cnrs_eval_kappa(0, 0, 0, 0)));
}
END_TEST

START_TEST(band_within_one)
{
    ck_assert_int_eq(cnrs_eval_band_within1(2, 2), 1);
    ck_assert_int_eq(cnrs_eval_band_within1(2, 3), 1);
    ck_assert_int_eq(cnrs_eval_band_within1(3, 2), 1);
    ck_assert_int_eq(cnrs_eval_band_within1(0, 1), 1);
    ck_assert_int_eq(cnrs_eval_band_within1(1, 3), 0);
    ck_assert_int_eq(cnrs_eval_band_within1(5, 0), 0);
}
END_TEST

START_TEST(hand_total_midpoints)
{
    /* Bands: E2 B2 (30-45 -> mid 37.5), C6 B5 (90-100 -> 95), Q11 B3
     * (50-65 -> 57.5), E1 B0 (0 whatever B0's range). Weights (priority
     * chart): E2 100 * 9/120 = 7.5, C6 and Q11 100 * 14.5/120 = 12.0833.
     *   stage 0: nothing counts                       -> 0
     *   stage 1: E2 only: 7.5 * 37.5 / 100            -> 2.8125
     *   stage 2: + C6: 12.0833 * 95 / 100 = 11.479167 -> 14.291667
     *   stage 3: + Q11: 12.0833 * 57.5 / 100 = 6.947917 -> 21.239583 */
    int band[CNRS_MAX_INDICATORS] = {0};
    band[S_ind("E2")] = 2;
    band[S_ind("C6")] = 5;
    band[S_ind("Q11")] = 3;
    double w = 100.0 * 14.5 / 120;
    ck_near(cnrs_eval_hand_total(S_r, 0, band), 0);
    ck_near(cnrs_eval_hand_total(S_r, 1, band), 2.8125);
    ck_near(cnrs_eval_hand_total(S_r, 2, band), 2.8125 + w * 0.95);
    ck_near(cnrs_eval_hand_total(S_r, 3, band), 2.8125 + w * 0.95 + w * 0.575);
}
END_TEST

START_TEST(figure_values)
{
    const char *s = "2023年范围二排放为1466.73吨二氧化碳当量";
    ck_assert(cnrs_eval_figure_matches("1,466.73", s, strlen(s)));
    ck_assert(cnrs_eval_figure_matches("1466.73", "1,466.73 tCO2e", 14));
    ck_assert(cnrs_eval_figure_matches("2023", s, strlen(s)));
    /* Whole numbers, not digit substrings. */
    ck_assert(!cnrs_eval_figure_matches("12", "排放120吨", strlen("排放120吨")));
    ck_assert(!cnrs_eval_figure_matches("12", "排放3.12吨", strlen("排放3.12吨")));
    ck_assert(!cnrs_eval_figure_matches("466.73", s, strlen(s)));
    ck_assert(!cnrs_eval_figure_matches("9.5", "9.514万吨", strlen("9.514万吨")));
    ck_assert(cnrs_eval_figure_matches("9.514", "9.514万吨", strlen("9.514万吨")));
    /* Separators on either side; a trailing .0 does not matter. */
    ck_assert(cnrs_eval_figure_matches("36959", "共36,959吨", strlen("共36,959吨")));
    ck_assert(cnrs_eval_figure_matches("36,959.0", "共36959吨", strlen("共36959吨")));
    ck_assert(cnrs_eval_figure_matches("36959", "共36 959吨", strlen("共36 959吨")));
    const char *thin = "共36\342\200\211959 t"; /* U+2009 thin space (octal: 3 digits) */
    ck_assert(cnrs_eval_figure_matches("36959", thin, strlen(thin)));
    ck_assert(cnrs_eval_figure_matches("36959", "共36，959吨", strlen("共36，959吨")));
    /* A table row: a year, then the value; two numbers, not one. */
    const char *row = "范围二间接排放 | 2022 1,488.10吨二氧化碳当量 | 2023 1,466.73吨";
    ck_assert(cnrs_eval_figure_matches("1,488.10", row, strlen(row)));
    ck_assert(cnrs_eval_figure_matches("1488.1", row, strlen(row)));
    ck_assert(cnrs_eval_figure_matches("2022", row, strlen(row)));
    ck_assert(!cnrs_eval_figure_matches("20221488.10", row, strlen(row)));
    /* Not grouping: "2021,2022" is two years. */
    ck_assert(cnrs_eval_figure_matches("2022", "2021,2022年", strlen("2021,2022年")));
    ck_assert(!cnrs_eval_figure_matches("abc", "abc 12", 6));
}
END_TEST

/* ---- parsers --------------------------------------------------------------------- */

static const char S_bands[] = "E1 B1\nE2 B2\nE3 B0\nE4 B0\nE5 B0\nC6 B3\nC7 B1\nC8 B0\n"
                              "C9 B0\nC10 B0\nQ11 B3\nQ12 B0\nQ13 B0\nQ14 B0\nQ15 B0\nQ16 B0\n";

/* Parse "# comment\nstage 3\n" + S_bands + extra; return the status. */
static cnrs_status S_expected(const char *extra, cnrs_eval_expected *e, cnrs_error *err)
{
    char text[2048];
    snprintf(text, sizeof text, "# comment\nstage 3\n\n%s%s", S_bands, extra);
    return cnrs_eval_parse_expected(S_r, "x.expected", text, strlen(text), e, err);
}

START_TEST(expected_parses)
{
    cnrs_eval_expected e;
    cnrs_error err = {0};
    ck_assert_int_eq(S_expected("figure\t1+2\tmarket\t2023\t1,466.73\ttCO2e\n"
                                "figure\ttotal\t-\t-\t9.514\t万吨二氧化碳当量\r\n",
                                &e, &err),
                     CNRS_OK);
    ck_assert_int_eq(e.stage, 3);
    ck_assert_int_eq(e.band[S_ind("C6")], 3);
    ck_assert_int_eq(e.band[S_ind("Q16")], 0);
    ck_assert_uint_eq(e.nfig, 2);
    ck_assert_str_eq(e.fig[0].scope, "1+2");
    ck_assert_str_eq(e.fig[0].basis, "market");
    ck_assert_int_eq(e.fig[0].year, 2023);
    ck_assert_str_eq(e.fig[0].value, "1,466.73");
    ck_assert_int_eq(e.fig[1].year, 0);
    ck_assert_str_eq(e.fig[1].unit, "万吨二氧化碳当量");
    ck_assert_int_eq(e.fig[1].line, 21);
    cnrs_eval_expected_clear(&e);
}
END_TEST

START_TEST(expected_errors_name_the_line)
{
    /* Lines: 1 comment, 2 stage, 3 blank, 4-19 bands, 20 the extra line. */
    const struct {
        const char *extra, *msg;
    } cases[] = {
        {"E9 B1\n", "x.expected:20: unknown indicator \"E9\""},
        {"Q11 B3\n", "x.expected:20: a second band for Q11"},
        {"stage 2\n", "x.expected:20: a second stage line"},
        {"figure\t1\tmarket\t2023\t12.5\n", "x.expected:20: a figure line has 6"},
        {"figure\t4\tmarket\t2023\t12.5\tt\n", "x.expected:20: figure scope \"4\""},
        {"figure\t1\tgross\t2023\t12.5\tt\n", "x.expected:20: figure basis"},
        {"figure\t1\t-\t23\t12.5\tt\n", "x.expected:20: figure year \"23\""},
        {"figure\t1\t-\t2023\tabout 12\tt\n", "x.expected:20: figure value \"about 12\""},
        {"hello\n", "x.expected:20: not a stage, band or figure line"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        cnrs_eval_expected e;
        cnrs_error err = {0};
        ck_assert_int_eq(S_expected(cases[k].extra, &e, &err), CNRS_ERR_PARSE);
        ck_assert_msg(strstr(err.msg, cases[k].msg) != NULL, "got \"%s\", want \"%s\"", err.msg,
                      cases[k].msg);
    }
    cnrs_eval_expected e;
    cnrs_error err = {0};
    const char *bad_band = "stage 1\nE1 B7\n";
    ck_assert_int_eq(
        cnrs_eval_parse_expected(S_r, "y.expected", bad_band, strlen(bad_band), &e, &err),
        CNRS_ERR_PARSE);
    ck_assert_str_eq(err.msg, "y.expected:2: E1: band \"B7\" (use B0 to B5)");
    const char *no_stage = "E1 B1\n";
    ck_assert_int_eq(
        cnrs_eval_parse_expected(S_r, "y.expected", no_stage, strlen(no_stage), &e, &err),
        CNRS_ERR_PARSE);
    ck_assert_str_eq(err.msg, "y.expected: no \"stage N\" line");
    const char *missing = "stage 4\n";
    ck_assert_int_eq(
        cnrs_eval_parse_expected(S_r, "y.expected", missing, strlen(missing), &e, &err),
        CNRS_ERR_PARSE);
    ck_assert_str_eq(err.msg, "y.expected:1: stage \"4\" (use 0 to 3)");
    const char *short_ = "stage 1\nE1 B1\n";
    ck_assert_int_eq(cnrs_eval_parse_expected(S_r, "y.expected", short_, strlen(short_), &e, &err),
                     CNRS_ERR_PARSE);
    ck_assert(strstr(err.msg, "y.expected: no band line for E2") != NULL);
}
END_TEST

START_TEST(sentences_parse_and_errors)
{
    const char *ok = "# c\nid\tsource\tlang\tlabels\tsentence\n"
                     "a\tr.txt\tzh\tE2.total, Q11.scope1\t公司综合能耗为12.6万吨标准煤。\n"
                     "b\tr.txt\ten\t-\tNothing here.\n";
    cnrs_eval_sentences s;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_eval_parse_sentences(S_r, "s.tsv", ok, strlen(ok), 0, &s, &err), CNRS_OK);
    ck_assert_uint_eq(s.n, 2);
    ck_assert_uint_eq(s.v[0].nitems, 2);
    ck_assert_uint_eq(s.v[0].ind, (1u << S_ind("E2")) | (1u << S_ind("Q11")));
    ck_assert_int_eq(s.v[1].lang, CNRS_LANG_EN);
    ck_assert_uint_eq(s.v[1].ind, 0);
    cnrs_eval_sentences_clear(&s);

    const struct {
        const char *text, *msg;
        int second;
    } cases[] = {
        {"id\tsource\tlang\tlabels\tsentence\nx\tr\tzh\tE2.nope\ttext\n",
         "s.tsv:2: unknown label \"E2.nope\"", 0},
        {"id\tsource\tlang\tlabels\tsentence\nx\tr\tfr\t-\ttext\n", "s.tsv:2: language \"fr\"", 0},
        {"id\tsource\tlang\tlabels\tsentence\nx\tr\tzh\t-\ttext\tmore\n",
         "s.tsv:2: 6 tab-separated fields, expected 5", 0},
        {"id\tsource\tlang\tlabels\tsentence\nx\tr\tzh\t-\ta\n# c\nx\tr\tzh\t-\tb\n",
         "s.tsv:4: id \"x\" again (first on line 2)", 0},
        {"id\tlang\nx\tzh\n", "s.tsv:1: the first line must be the header", 0},
        {"id\tlabels\nx\tC6.peak,Q99.x\n", "s.tsv:2: unknown label \"Q99.x\"", 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ck_assert_int_eq(cnrs_eval_parse_sentences(S_r, "s.tsv", cases[k].text,
                                                   strlen(cases[k].text), cases[k].second, &s,
                                                   &err),
                         CNRS_ERR_PARSE);
        ck_assert_msg(strstr(err.msg, cases[k].msg) != NULL, "got \"%s\", want \"%s\"", err.msg,
                      cases[k].msg);
    }
}
END_TEST

START_TEST(floors_parse)
{
    const char *ok = "# floors\nreports.stage_exact 0.5\nsentences.per_indicator.C6.recall 0.25\n";
    cnrs_eval_floors f;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_eval_parse_floors(S_r, "floors", ok, strlen(ok), &f, &err), CNRS_OK);
    ck_assert_uint_eq(f.n, 2);
    ck_near(f.v[1].min, 0.25);
    cnrs_eval_floors_clear(&f);
    const char *bad = "reports.stage_exact 0.5\nreports.stage_exactly 0.5\n";
    ck_assert_int_eq(cnrs_eval_parse_floors(S_r, "floors", bad, strlen(bad), &f, &err),
                     CNRS_ERR_PARSE);
    ck_assert(strstr(err.msg, "floors:2: unknown metric \"reports.stage_exactly\"") != NULL);
    const char *nan = "figures.share high\n";
    ck_assert_int_eq(cnrs_eval_parse_floors(S_r, "floors", nan, strlen(nan), &f, &err),
                     CNRS_ERR_PARSE);
    ck_assert(strstr(err.msg, "floors:1: figures.share: floor \"high\" is not a number") != NULL);
}
END_TEST

/* ---- the fixture, end to end ------------------------------------------------------ */

START_TEST(fixture_run)
{
    /* tests/fixtures/eval/sentences.tsv, gold vs what classify finds:
     *   s1 E1 / E1, s2 E2 / E2, s3 C6 / C6, s4 Q11 / Q11,
     *   s5 C10+Q11 / C10     -> fn Q11 (traditional characters, read
     *                           through their simplified form: script.h)
     *   s6 Q11 / Q11, s7 C8 / C8+Q14 -> fp Q14, s10 C6 / C6,
     *   s8, s9 - / -, s11 - / E5 -> fp E5.
     * Per indicator: E1 tp 1, E2 tp 1, E5 fp 1, C6 tp 2, C8 tp 1, C10 tp 1,
     * Q11 tp 2 fn 1, Q14 fp 1.
     * All 16: tp 8, fp 2, fn 1 -> P = 8/10, R = 8/9. C6-Q16: tp 6 (C6 2, C8 1,
     * C10 1, Q11 2), fp 1 (Q14), fn 1 (Q11) -> P = R = 6/7.
     * Items: the same 8 / 2 / 1 (one item per label and per prediction).
     * none_fp: of s8, s9, s11 one gets an indicator -> 1/3.
     * Languages: zh 7 (4 labelled), zh-Hant 1 (1), en 3 (3).
     * Agreement over s1 s2 s3 s4 s5 s8 (zz is only in the second file):
     *   any: 5 both yes, 1 both no -> kappa 1 (pe = 26/36 < 1);
     *   pooled 6 x 16 = 96 decisions: both yes 5, first only 1 (s5 Q11),
     *   both no 90: po = 95/96, pe = (6*5 + 90*91)/96^2 = 8220/9216,
     *   kappa = (9120 - 8220)/(9216 - 8220) = 900/996; identical 5/6.
     * The report (see its .expected): stage 3 = engine stage 3; bands 13 of
     * 16 exact, 16 within one; figures 3 of 4; hand total
     *   E1 B1 17.5% of 2.0833 + E2 B2 37.5% of 7.5 + C6 B3 57.5% of 12.0833
     *   + C7 B1 17.5% of 9.1667 + Q11 B3 57.5% of 12.0833 = 18.6771. */
    cnrs_eval e;
    cnrs_error err = {0};
    cnrs_eval_opts o = {.jobs = 2};
    ck_assert_msg(cnrs_eval_run(S_r, FIXTURE, &o, &e, &err) == CNRS_OK, "%s", err.msg);
    ck_assert_uint_eq(e.nsent, 11);
    const struct {
        const char *id;
        size_t tp, fp, fn;
    } want[] = {{"E1", 1, 0, 0}, {"E2", 1, 0, 0},  {"E5", 0, 1, 0},  {"C6", 2, 0, 0},
                {"C8", 1, 0, 0}, {"C10", 1, 0, 0}, {"Q11", 2, 0, 1}, {"Q14", 0, 1, 0}};
    size_t seen = 0;
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        const cnrs_eval_counts *c = &e.ind[S_ind(want[k].id)];
        ck_assert_msg(c->tp == want[k].tp && c->fp == want[k].fp && c->fn == want[k].fn,
                      "%s: tp %zu fp %zu fn %zu", want[k].id, c->tp, c->fp, c->fn);
        seen += c->tp + c->fp + c->fn;
    }
    ck_assert_uint_eq(seen, 11); /* and nothing for the other indicators */
    ck_near(cnrs_eval_precision(&e.micro_all), 8.0 / 10);
    ck_near(cnrs_eval_recall(&e.micro_all), 8.0 / 9);
    ck_near(cnrs_eval_precision(&e.micro_c6_q16), 6.0 / 7);
    ck_near(cnrs_eval_recall(&e.micro_c6_q16), 6.0 / 7);
    ck_near(cnrs_eval_precision(&e.items), 8.0 / 10);
    ck_near(e.none_fp, 1.0 / 3);
    ck_assert_uint_eq(e.lang_n[CNRS_LANG_ZH], 7);
    ck_assert_uint_eq(e.lang_pos[CNRS_LANG_ZH], 4);
    ck_assert_uint_eq(e.lang_n[CNRS_LANG_ZH_HANT], 1);
    ck_assert_uint_eq(e.lang_pos[CNRS_LANG_EN], 3);
    ck_assert_uint_eq(e.agree_n, 6);
    ck_near(e.kappa_any, 1);
    ck_near(e.kappa_indicator, 900.0 / 996);
    ck_near(e.identical, 5.0 / 6);
    ck_assert_uint_eq(e.nscored, 1);
    ck_assert_uint_eq(e.nfailed, 0);
    ck_assert_uint_eq(e.confusion[3][3], 1);
    ck_near(e.stage_exact, 1);
    ck_near(e.band_exact, 13.0 / 16);
    ck_near(e.band_within1, 1);
    ck_assert_uint_eq(e.fig_coded, 4);
    ck_assert_uint_eq(e.fig_found, 3);
    double w6 = 100.0 * 14.5 / 120, w1 = 100.0 * 2.5 / 120, w7 = 100.0 * 11 / 120;
    ck_near(e.rep[0].hand_total, w1 * 0.175 + 7.5 * 0.375 + w6 * 0.575 + w7 * 0.175 + w6 * 0.575);
    ck_near(e.total_mad, fabs(e.rep[0].total - e.rep[0].hand_total));
    double v;
    ck_assert(cnrs_eval_metric(S_r, &e, "sentences.per_indicator.Q11.recall", &v));
    ck_near(v, 2.0 / 3);
    ck_assert(cnrs_eval_metric(S_r, &e, "sentences.none_clean", &v));
    ck_near(v, 2.0 / 3);
    ck_assert(cnrs_eval_metric(S_r, &e, "sentences.by_lang.zh-Hant.n", &v));
    ck_near(v, 1);
    ck_assert(!cnrs_eval_metric(S_r, &e, "reports.nope", &v));
    ck_assert(!cnrs_eval_metric(S_r, &e, "sentences.per_indicator.Q99.recall", &v));

    /* Floors: one met, one missed, one that cannot be measured. */
    const char *ft = "figures.share 0.75\nfigures.share 0.8\nsentences.per_indicator.E3.recall 0\n";
    cnrs_eval_floors f;
    ck_assert_int_eq(cnrs_eval_parse_floors(S_r, "f", ft, strlen(ft), &f, &err), CNRS_OK);
    cnrs_buf msgs = CNRS_BUF_INIT;
    ck_assert_uint_eq(cnrs_eval_check_floors(S_r, &e, &f, &msgs), 2);
    ck_assert_str_eq(cnrs_buf_cstr(&msgs),
                     "eval: figures.share = 0.7500 is below its floor 0.8000\n"
                     "eval: sentences.per_indicator.E3.recall = null is below its floor 0.0000\n");
    cnrs_buf_free(&msgs);
    cnrs_eval_floors_clear(&f);
    cnrs_eval_clear(&e);
}
END_TEST

START_TEST(missing_dir)
{
    cnrs_eval e;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_eval_run(S_r, "tests/fixtures/no-such-dir", NULL, &e, &err), CNRS_ERR_IO);
    ck_assert(strstr(err.msg, "no-such-dir") != NULL);
}
END_TEST

Suite *cnrs_suite_eval(void);
Suite *cnrs_suite_eval(void)
{
    Suite *s = suite_create("eval");
    TCase *tc = tcase_create("eval");
    tcase_add_checked_fixture(tc, S_setup, S_teardown);
    tcase_add_test(tc, precision_recall);
    tcase_add_test(tc, kappa_by_hand);
    tcase_add_test(tc, band_within_one);
    tcase_add_test(tc, hand_total_midpoints);
    tcase_add_test(tc, figure_values);
    tcase_add_test(tc, expected_parses);
    tcase_add_test(tc, expected_errors_name_the_line);
    tcase_add_test(tc, sentences_parse_and_errors);
    tcase_add_test(tc, floors_parse);
    tcase_add_test(tc, fixture_run);
    tcase_add_test(tc, missing_dir);
    suite_add_tcase(s, tc);
    return s;
}
