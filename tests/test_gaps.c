/* test_gaps.c - the gap report's ordering against a case worked by hand.
 *
 * Report: one sentence, "2023年公司综合能耗为12.6万吨标准煤。" -> stage 1, E2
 * total with a figure: E2 B2, S = 1, n = 30, 7.5 * 30% = 2.25 points.
 * By hand (weights from the spec: C6 and Q11 12.083, Q13 and Q14 10.417,
 * C7 9.167, E2 7.5):
 *   - any C6 item with a target year: B0 -> B2 (30%): 12.0833 * 0.30 = 3.625;
 *     C6.peak, neutrality, interim have units; initiatives has none (B1, 10%);
 *   - any Q11 item with a GHG mass: 3.625 too (five items);
 *   - so the first eight gaps are C6.peak, C6.neutrality, C6.interim, then
 *     Q11.scope1 ... Q11.history (ties in rubric order), each 3.625;
 *   - next, 10.4167 * 0.30 = 3.125: Q13's four items (all have unit classes),
 *     then the Q14 items with unit classes in the rubric: scenario
 *     (temperature), response (money), carbon_price (money);
 *   - a second E2 item: c = 2/5 < 0.5 with a figure, B2, S = 2:
 *     n = 30 + 15 * 1/4 = 33.75, +3.75% of 7.5 = 0.28125 points;
 *   - a single E2 dimension (trend, comparison or integration) adds nothing
 *     (the bonus needs two), so no such gap is listed. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "extract.h"
#include "gaps.h"
#include "output.h"
#include "normalise.h"
#include "rubric.h"
#include "score.h"
#include "store.h"
#include "testutil.h"

START_TEST(ordering_by_points)
{
    cnrs_rubric *r;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &r, NULL, &err), CNRS_OK);
    cnrs_extractor *x = cnrs_extractor_new(r);
    cnrs_evidence_set ev;
    cnrs_evidence_set_init(&ev);
    cnrs_buf b = CNRS_BUF_INIT;
    const char *s = "2023年公司综合能耗为12.6万吨标准煤。";
    cnrs_normalise(s, strlen(s), &b);
    cnrs_extract_sentence(x, b.data, b.len, 0, &ev);
    cnrs_scorecard *card = cnrs_score(r, &ev);
    ck_assert_int_eq(card->stage, 1);
    cnrs_gaps g;
    cnrs_gaps_compute(r, card, &g);
    ck_assert_uint_ge(g.n, 15);
    const char *first[] = {"C6.peak",    "C6.neutrality", "C6.interim",  "Q11.scope1",
                           "Q11.scope2", "Q11.scope3",    "Q11.total",   "Q11.history",
                           "Q13.achieved", "Q13.renewable", "Q13.offsets", "Q13.progress",
                           "Q14.scenario", "Q14.response", "Q14.carbon_price"};
    for (size_t i = 0; i < 15; i++) {
        ck_assert_int_ge(g.v[i].item, 0);
        ck_assert_msg(strcmp(r->items[g.v[i].item].qid, first[i]) == 0, "gap %zu is %s, expected %s",
                      i, r->items[g.v[i].item].qid, first[i]);
        double want = i < 8 ? 100.0 * 14.5 / 120 * 0.30 : 100.0 * 12.5 / 120 * 0.30;
        ck_assert_msg(fabs(g.v[i].points - want) < 1e-9, "gap %zu: %g points", i, g.v[i].points);
        ck_assert_int_eq(g.v[i].kind, CNRS_GAP_ITEM);
        ck_assert_int_eq(g.v[i].with_figure, 1);
    }
    ck_assert_int_eq(g.v[0].from_stage, 2);
    ck_assert_int_eq(g.v[3].from_stage, 3);
    int e2_item = 0;
    for (size_t i = 0; i < g.n; i++) {
        const char *ind = r->indicators[g.v[i].indicator].id;
        if (strcmp(ind, "E2") == 0) {
            ck_assert_msg(g.v[i].kind == CNRS_GAP_ITEM, "E2 gap of kind %s listed",
                          cnrs_gap_kind_name(g.v[i].kind));
            ck_assert(fabs(g.v[i].points - 0.28125) < 1e-9);
            e2_item++;
        }
        if (i > 0)
            ck_assert(g.v[i].points <= g.v[i - 1].points);
    }
    ck_assert_int_eq(e2_item, 4); /* structure, intensity, measures, savings */
    ck_assert_ptr_nonnull(strstr(g.stage_note, "stage 2"));
    cnrs_gaps_free(&g);
    cnrs_scorecard_free(card);
    cnrs_buf_free(&b);
    cnrs_evidence_set_free(&ev);
    cnrs_extractor_free(x);
    cnrs_rubric_free(r);
}
END_TEST

/* The same worked case as stored in a database: only E2.total covered, with
 * a figure, one sentence, E2 at 30% (n = 30, no dimensions). Read back, it
 * gives the scorecard computed from the text; a stored percentage the rubric
 * cannot reproduce, or items the rubric does not have, are refused. */
static cnrs_stored_card *S_stored_case(const cnrs_rubric *r)
{
    cnrs_stored_card *c = cnrs_xcalloc(1, sizeof *c);
    c->stage = 1;
    c->path = cnrs_xstrdup("case.txt");
    c->rubric_sha256 = cnrs_xstrdup(r->sha256);
    c->nind = r->nindicators;
    c->ind = cnrs_xcalloc(c->nind, sizeof *c->ind);
    for (size_t i = 0; i < c->nind; i++) {
        const cnrs_indicator *d = &r->indicators[i];
        cnrs_stored_indicator *x = &c->ind[i];
        int e2 = strcmp(d->id, "E2") == 0;
        x->id = cnrs_xstrdup(d->id);
        cnrs_buf items = CNRS_BUF_INIT;
        cnrs_buf_putc(&items, '[');
        for (size_t k = 0; k < d->nitems; k++) {
            const char *qid = r->items[d->first_item + k].qid;
            int on = e2 && strcmp(qid, "E2.total") == 0;
            cnrs_buf_printf(&items, "%s{\"id\":\"%s\",\"covered\":%s,\"quant\":%s}", k ? "," : "",
                            qid, on ? "true" : "false", on ? "true" : "false");
        }
        cnrs_buf_putc(&items, ']');
        x->items = cnrs_buf_steal(&items);
        cnrs_buf_free(&items);
        x->covered = e2;
        x->sentences = e2;
        x->pct = e2 ? 30.0 : 0.0;
    }
    return c;
}

START_TEST(stored_card_gives_same_gaps)
{
    cnrs_rubric *r;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &r, NULL, &err), CNRS_OK);
    cnrs_stored_card *c = S_stored_case(r);
    cnrs_scorecard *card = NULL;
    ck_assert_int_eq(cnrs_scorecard_from_stored(r, c, &card, &err), CNRS_OK);
    ck_assert_int_eq(card->stage, 1);
    ck_assert(fabs(card->total - 7.5 * 0.30) < 1e-9);
    cnrs_gaps g;
    cnrs_gaps_compute(r, card, &g);
    ck_assert_uint_ge(g.n, 15);
    ck_assert_str_eq(r->items[g.v[0].item].qid, "C6.peak");
    ck_assert_str_eq(r->items[g.v[14].item].qid, "Q14.carbon_price");
    ck_assert(fabs(g.v[14].points - 100.0 * 12.5 / 120 * 0.30) < 1e-9);
    cnrs_gaps_free(&g);
    cnrs_scorecard_free(card);

    int e2 = cnrs_rubric_find_indicator(r, "E2");
    c->ind[e2].pct = 33.75; /* what two sentences would give, not one */
    ck_assert_int_eq(cnrs_scorecard_from_stored(r, c, &card, &err), CNRS_ERR_USAGE);
    ck_assert_ptr_null(card);
    ck_assert_ptr_nonnull(strstr(err.msg, "E2"));
    c->ind[e2].pct = 30.0;
    char *t = strstr(c->ind[e2].items, "E2.total");
    memcpy(t, "E2.tital", 8);
    ck_assert_int_eq(cnrs_scorecard_from_stored(r, c, &card, &err), CNRS_ERR_USAGE);
    memcpy(t, "E2.total", 8);
    c->rubric_sha256[0] = c->rubric_sha256[0] == '0' ? '1' : '0';
    ck_assert_int_eq(cnrs_scorecard_from_stored(r, c, &card, &err), CNRS_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "scored with rubric"));
    cnrs_stored_card_free(c);
    cnrs_rubric_free(r);
}
END_TEST


static int S_has(const cnrs_gaps *g, const cnrs_rubric *r, const char *qid)
{
    for (size_t k = 0; k < g->n; k++)
        if (g->v[k].item >= 0 && strcmp(r->items[g->v[k].item].qid, qid) == 0)
            return 1;
    return 0;
}

/* A report in English (issue 13): no advice on China's carbon-peak framing,
 * and examples a writer of English can use. The stored case above lacks
 * C6.peak, so the Chinese-reading gaps list it first. */
START_TEST(english_advice)
{
    cnrs_rubric *r;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &r, NULL, &err), CNRS_OK);
    cnrs_stored_card *c = S_stored_case(r);
    cnrs_scorecard *card = NULL;
    ck_assert_int_eq(cnrs_scorecard_from_stored(r, c, &card, &err), CNRS_OK);
    cnrs_gaps zh, en;
    cnrs_gaps_compute_lang(r, card, 0, &zh);
    cnrs_gaps_compute_lang(r, card, 1, &en);
    ck_assert_str_eq(r->items[zh.v[0].item].qid, "C6.peak");
    for (size_t k = 0; k < en.n; k++)
        ck_assert(en.v[k].item < 0 || (strcmp(r->items[en.v[k].item].qid, "C6.peak") != 0 &&
                                       strcmp(r->items[en.v[k].item].qid, "Q16.measures") != 0));
    ck_assert_uint_eq(en.n + 1 + (size_t)S_has(&zh, r, "Q16.measures"), zh.n);
    cnrs_buf out = CNRS_BUF_INIT;
    cnrs_write_gaps_text(&out, r, "x.txt", card, &en, 3);
    ck_assert_ptr_nonnull(strstr(cnrs_buf_cstr(&out), "e.g. We "));
    ck_assert_ptr_null(strstr(cnrs_buf_cstr(&out), "公司"));
    cnrs_buf_reset(&out);
    cnrs_write_gaps_text(&out, r, "x.txt", card, &zh, 3);
    ck_assert_ptr_nonnull(strstr(cnrs_buf_cstr(&out), "公司"));
    cnrs_buf_free(&out);
    cnrs_gaps_free(&zh);
    cnrs_gaps_free(&en);
    cnrs_scorecard_free(card);
    cnrs_stored_card_free(c);
    cnrs_rubric_free(r);
}
END_TEST

Suite *cnrs_suite_gaps(void);
Suite *cnrs_suite_gaps(void)
{
    Suite *s = suite_create("gaps");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, ordering_by_points);
    tcase_add_test(tc, stored_card_gives_same_gaps);
    tcase_add_test(tc, english_advice);
    suite_add_tcase(s, tc);
    return s;
}
