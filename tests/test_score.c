/* test_score.c - band rules, level, dimensions and bonus (spec section 4),
 * and the stage rules (spec section 3). Every expected number below is
 * worked by hand from rubric-spec.md. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "extract.h"
#include "normalise.h"
#include "rubric.h"
#include "score.h"
#include "testutil.h"

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

/* Score an indicator with K items of which `cov` have evidence and `qn`
 * quantitative evidence, from S sentences, polarity any, no dimensions. */
static cnrs_indicator_score S_ind(size_t K, size_t cov, size_t qn, size_t S, int lead)
{
    cnrs_indicator_input in = {0};
    in.K = K;
    in.covered = cov;
    in.quant = qn;
    in.S = S;
    in.leadership = lead;
    in.polarity = CNRS_POL_ANY;
    cnrs_indicator_score out;
    cnrs_score_indicator(&S_r->scoring, &in, 10.0, &out);
    return out;
}

#define ck_assert_near(a, b) ck_assert_msg(fabs((a) - (b)) < 1e-9, "%s = %.12g, expected %.12g", #a, (double)(a), (double)(b))

START_TEST(band_b0_no_evidence)
{
    cnrs_indicator_score s = S_ind(4, 0, 0, 0, 0);
    ck_assert_int_eq(s.band, 0);
    ck_assert_near(s.n, 0);
    ck_assert_near(s.pct, 0);
}
END_TEST

START_TEST(band_b1_few_items_no_data)
{
    /* 1 of 4 items (c = 0.25), no quantity, one sentence: n = 10. */
    cnrs_indicator_score s = S_ind(4, 1, 0, 1, 0);
    ck_assert_int_eq(s.band, 1);
    ck_assert_near(s.n, 10);
    /* 2 of 5 (c = 0.4) still B1. */
    ck_assert_int_eq(S_ind(5, 2, 0, 1, 0).band, 1);
}
END_TEST

START_TEST(band_b2_part_with_quantity)
{
    /* c = 0.25, q = 0.25: B2, n = 30 with S = 1. */
    cnrs_indicator_score s = S_ind(4, 1, 1, 1, 0);
    ck_assert_int_eq(s.band, 2);
    ck_assert_near(s.n, 30);
}
END_TEST

START_TEST(band_b3_half_covered)
{
    /* c = 0.5 exactly is B3 whatever q; 3 of 5 = 0.6 too. */
    ck_assert_int_eq(S_ind(4, 2, 0, 1, 0).band, 3);
    ck_assert_int_eq(S_ind(4, 2, 2, 1, 1).band, 3);
    ck_assert_int_eq(S_ind(5, 3, 0, 1, 0).band, 3);
}
END_TEST

START_TEST(band_b4_most_items)
{
    /* c = 0.75 without leadership, or with leadership but q < 0.5. */
    ck_assert_int_eq(S_ind(4, 3, 0, 1, 0).band, 4);
    ck_assert_int_eq(S_ind(4, 3, 3, 1, 0).band, 4);
    ck_assert_int_eq(S_ind(4, 4, 1, 1, 1).band, 4); /* q = 0.25 */
    ck_assert_int_eq(S_ind(5, 4, 2, 1, 1).band, 4); /* q = 0.4 */
}
END_TEST

START_TEST(band_b5_detail_data_leadership)
{
    /* c >= 0.75, q >= 0.5 and a leadership claim. */
    ck_assert_int_eq(S_ind(4, 3, 2, 1, 1).band, 5);
    ck_assert_int_eq(S_ind(5, 5, 5, 1, 1).band, 5);
    ck_assert_near(S_ind(4, 3, 2, 1, 1).n, 90);
}
END_TEST

START_TEST(level_moves_up_with_depth)
{
    /* n = low + (high - low) * min(1, (S - 1) / 4). B3 is 50-65:
     * S = 1 -> 50; S = 2 -> 53.75; S = 3 -> 57.5; S = 5 -> 65; S = 9 -> 65. */
    ck_assert_near(S_ind(4, 2, 0, 1, 0).n, 50);
    ck_assert_near(S_ind(4, 2, 0, 2, 0).n, 53.75);
    ck_assert_near(S_ind(4, 2, 0, 3, 0).n, 57.5);
    ck_assert_near(S_ind(4, 2, 0, 5, 0).n, 65);
    ck_assert_near(S_ind(4, 2, 0, 9, 0).n, 65);
    /* B1 10-25 with S = 3: 10 + 15 * 0.5 = 17.5. */
    ck_assert_near(S_ind(4, 1, 0, 3, 0).n, 17.5);
}
END_TEST

START_TEST(energy_example_30_to_35)
{
    /* The report's own example: energy use disclosed at 30% (B2, one
     * sentence), favourable trend, comparison and plans -> 35%. Energy has
     * polarity "lower": favourable means more down than up words. */
    int e2 = cnrs_rubric_find_indicator(S_r, "E2");
    ck_assert_int_ge(e2, 0);
    cnrs_indicator_input in = {0};
    in.K = S_r->indicators[e2].nitems; /* 5 */
    in.covered = 1;
    in.quant = 1;
    in.S = 1;
    in.trend = 1;
    in.down = 1;
    in.comparison = 1;
    in.integration = 1;
    in.polarity = S_r->indicators[e2].polarity;
    cnrs_indicator_score s;
    cnrs_score_indicator(&S_r->scoring, &in, S_r->indicators[e2].weight, &s);
    ck_assert_int_eq(s.band, 2);
    ck_assert_near(s.n, 30);
    ck_assert_int_eq(s.dims, 3);
    ck_assert_int_eq(s.bonus, 1);
    ck_assert_near(s.pct, 35);
    /* points = 7.5 * 35 / 100 = 2.625 */
    ck_assert_near(s.points, 2.625);
}
END_TEST

START_TEST(bonus_needs_two_dimensions)
{
    cnrs_indicator_input in = {0};
    in.K = 4;
    in.covered = 1;
    in.S = 1;
    in.polarity = CNRS_POL_ANY;
    in.comparison = 1;
    cnrs_indicator_score s;
    cnrs_score_indicator(&S_r->scoring, &in, 10, &s);
    ck_assert_int_eq(s.dims, 1);
    ck_assert_near(s.pct, 10); /* one dimension: stays at n */
    in.integration = 1;
    cnrs_score_indicator(&S_r->scoring, &in, 10, &s);
    ck_assert_near(s.pct, 15); /* two: n + 5 */
    /* B0 never gets the bonus even with all three dimensions flagged. */
    in.covered = 0;
    in.S = 0;
    in.trend = 1;
    cnrs_score_indicator(&S_r->scoring, &in, 10, &s);
    ck_assert_near(s.pct, 0);
    /* Capped at 100: B5 with S = 5 is 100, plus 5 stays 100. */
    in.covered = 4;
    in.quant = 4;
    in.S = 5;
    in.leadership = 1;
    cnrs_score_indicator(&S_r->scoring, &in, 10, &s);
    ck_assert_int_eq(s.band, 5);
    ck_assert_near(s.pct, 100);
}
END_TEST

START_TEST(trend_direction_follows_polarity)
{
    cnrs_indicator_input in = {0};
    in.K = 4;
    in.covered = 1;
    in.S = 1;
    in.trend = 1;
    in.up = 2;
    in.down = 1;
    cnrs_indicator_score s;
    in.polarity = CNRS_POL_LOWER; /* rising energy use is not favourable */
    cnrs_score_indicator(&S_r->scoring, &in, 10, &s);
    ck_assert_int_eq(s.trend, 0);
    in.polarity = CNRS_POL_HIGHER; /* rising reductions are */
    cnrs_score_indicator(&S_r->scoring, &in, 10, &s);
    ck_assert_int_eq(s.trend, 1);
    in.polarity = CNRS_POL_ANY;
    cnrs_score_indicator(&S_r->scoring, &in, 10, &s);
    ck_assert_int_eq(s.trend, 1);
    in.up = in.down = 0; /* no direction words: only "any" counts it */
    in.polarity = CNRS_POL_LOWER;
    cnrs_score_indicator(&S_r->scoring, &in, 10, &s);
    ck_assert_int_eq(s.trend, 0);
}
END_TEST

/* ---- stage rules, through the real extractor ------------------------------- */

/* Stage of a "report" made of the given sentences. */
static int S_stage_of(const char *const *sents, size_t n, double *total, double *max)
{
    cnrs_extractor *x = cnrs_extractor_new(S_r);
    cnrs_evidence_set ev;
    cnrs_evidence_set_init(&ev);
    cnrs_buf b = CNRS_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        cnrs_buf_reset(&b);
        cnrs_normalise(sents[i], strlen(sents[i]), &b);
        cnrs_extract_sentence(x, b.data, b.len, (uint32_t)i, &ev);
    }
    cnrs_scorecard *c = cnrs_score(S_r, &ev);
    int stage = c->stage;
    if (total)
        *total = c->total;
    if (max)
        *max = c->max;
    cnrs_scorecard_free(c);
    cnrs_buf_free(&b);
    cnrs_evidence_set_free(&ev);
    cnrs_extractor_free(x);
    return stage;
}

START_TEST(stage0_nothing)
{
    const char *s[] = {"公司坚持以客户为中心，持续提升服务质量。", "本年度公司营业收入增长12%。"};
    double total, max;
    ck_assert_int_eq(S_stage_of(s, 2, &total, &max), 0);
    ck_assert_near(total, 0);
    ck_assert_near(max, 0);
}
END_TEST

START_TEST(stage1_environment_only)
{
    const char *s[] = {"公司所有生产基地均通过ISO 14001环境管理体系认证。",
                       "2023年公司综合能耗为12.6万吨标准煤。"};
    double total, max;
    ck_assert_int_eq(S_stage_of(s, 2, &total, &max), 1);
    ck_assert_near(max, 16);
    /* E1: 1 of 5 items, no data -> B1 n = 10 -> 2.0833 * 0.10 = 0.2083;
     * E2: 1 of 5, quantitative -> B2 n = 30 -> 7.5 * 0.30 = 2.25. */
    ck_assert_msg(fabs(total - (100.0 * 2.5 / 120 * 0.10 + 7.5 * 0.30)) < 1e-9, "total %g", total);
}
END_TEST

START_TEST(stage2_qualitative_carbon)
{
    /* One carbon sentence in the company's voice is enough (sentences="1"
     * on stage 2: docs/method.md). */
    const char *s[] = {"公司所有生产基地均通过ISO 14001环境管理体系认证。",
                       "公司力争于2028年前实现碳达峰。"};
    ck_assert_int_eq(S_stage_of(s, 2, NULL, NULL), 2);
    /* Carbon awareness alone, without stage-1 evidence, is stage 2 too. */
    ck_assert_int_eq(S_stage_of(s + 1, 1, NULL, NULL), 2);
    /* The national voice is not the company's: stage 1 with the environment. */
    const char *n[] = {"公司所有生产基地均通过ISO 14001环境管理体系认证。",
                       "我国提出2030年前实现碳达峰、2060年前实现碳中和。"};
    ck_assert_int_eq(S_stage_of(n, 2, NULL, NULL), 1);
}
END_TEST

START_TEST(stage3_needs_own_quantified_ghg)
{
    const char *own[] = {"2023年公司温室气体排放总量为45.6万吨二氧化碳当量。"};
    double max;
    ck_assert_int_eq(S_stage_of(own, 1, NULL, &max), 3);
    ck_assert_near(max, 100);
    const char *en[] = {"Our Scope 1 emissions were 1,466.73 tCO2e in 2023."};
    ck_assert_int_eq(S_stage_of(en, 1, NULL, NULL), 3);
    const char *mt[] = {"Scope 2 emissions totalled 3.71 Mt CO2e."};
    ck_assert_int_eq(S_stage_of(mt, 1, NULL, NULL), 3);
    const char *wan[] = {"2020年，阿里巴巴总温室气体排放为951.4万吨。"};
    ck_assert_int_eq(S_stage_of(wan, 1, NULL, NULL), 3);
}
END_TEST

START_TEST(stage_avoided_emissions_never_quantify)
{
    const char *s[] = {"通过光伏项目减少碳排放1.2万吨。",
                       "截至2017年1月底，用户累计避免碳排放量高达15万吨。",
                       "全年实现碳减排量3.5万吨二氧化碳当量。",
                       "We avoided 150,000 tonnes of CO2 emissions through our platform."};
    ck_assert_int_eq(S_stage_of(s, 4, NULL, NULL), 2);
}
END_TEST

START_TEST(stage_scope_without_number_is_not_quantified)
{
    const char *s[] = {"公司已完成范围一和范围二温室气体排放盘查。", "见第12页。",
                       "公司力争于2028年前实现碳达峰。"};
    ck_assert_int_eq(S_stage_of(s, 3, NULL, NULL), 2);
}
END_TEST

Suite *cnrs_suite_score(void);
Suite *cnrs_suite_score(void)
{
    Suite *s = suite_create("score");
    TCase *tc = tcase_create("bands");
    tcase_add_checked_fixture(tc, S_setup, S_teardown);
    tcase_add_test(tc, band_b0_no_evidence);
    tcase_add_test(tc, band_b1_few_items_no_data);
    tcase_add_test(tc, band_b2_part_with_quantity);
    tcase_add_test(tc, band_b3_half_covered);
    tcase_add_test(tc, band_b4_most_items);
    tcase_add_test(tc, band_b5_detail_data_leadership);
    tcase_add_test(tc, level_moves_up_with_depth);
    tcase_add_test(tc, energy_example_30_to_35);
    tcase_add_test(tc, bonus_needs_two_dimensions);
    tcase_add_test(tc, trend_direction_follows_polarity);
    suite_add_tcase(s, tc);
    TCase *st = tcase_create("stages");
    tcase_add_checked_fixture(st, S_setup, S_teardown);
    tcase_add_test(st, stage0_nothing);
    tcase_add_test(st, stage1_environment_only);
    tcase_add_test(st, stage2_qualitative_carbon);
    tcase_add_test(st, stage3_needs_own_quantified_ghg);
    tcase_add_test(st, stage_avoided_emissions_never_quantify);
    tcase_add_test(st, stage_scope_without_number_is_not_quantified);
    suite_add_tcase(s, st);
    return s;
}
