/* test_script.c - traditional Chinese detected and matched through its
 * simplified form (script.h). Expected values are the characters' own
 * simplified forms (溫→温, 氣→气, 體→体, 總→总, 噸→吨, 當→当). */
#define _GNU_SOURCE /* memmem */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "script.h"
#include "testutil.h"

static cnrs_script S_detect(const char *s)
{
    return cnrs_script_detect(s, strlen(s));
}

START_TEST(detects_script)
{
    ck_assert_int_eq(S_detect("本集團2022年溫室氣體排放總量為12.5萬噸二氧化碳當量。"), CNRS_SCRIPT_HANT);
    ck_assert_int_eq(S_detect("公司2022年温室气体排放总量为12.5万吨二氧化碳当量。"), CNRS_SCRIPT_HANS);
    ck_assert_int_eq(S_detect("Our scope 1 emissions were 1,200 tCO2e."), CNRS_SCRIPT_NONE);
    ck_assert_int_eq(S_detect(""), CNRS_SCRIPT_NONE);
    /* characters both scripts share (公司, 中国, 碳) say nothing */
    ck_assert_int_eq(S_detect("公司碳中和"), CNRS_SCRIPT_HANS);
    /* one traditional character among 60 simplified ones (OCR noise in a
     * simplified report) stays under 2% */
    char mixed[512] = "";
    for (int k = 0; k < 12; k++)
        strcat(mixed, "公司推进节能减");
    strcat(mixed, "體");
    ck_assert_int_eq(S_detect(mixed), CNRS_SCRIPT_HANS);
    ck_assert_str_eq(cnrs_script_name(CNRS_SCRIPT_HANT), "zh-Hant");
}
END_TEST

START_TEST(simplifies_for_matching)
{
    cnrs_buf b = CNRS_BUF_INIT;
    const char *t = "溫室氣體排放總量";
    ck_assert_int_eq(cnrs_script_simplify(t, strlen(t), &b), 1);
    ck_assert_str_eq(cnrs_buf_cstr(&b), "温室气体排放总量");
    /* not NUL-terminated input: only n bytes are read */
    cnrs_buf_reset(&b);
    ck_assert_int_eq(cnrs_script_simplify("噸噸", 3, &b), 1);
    ck_assert_str_eq(cnrs_buf_cstr(&b), "吨");
    cnrs_buf_free(&b);
}
END_TEST

/* A traditional sentence earns what its simplified twin earns. */
START_TEST(traditional_sentence_matches)
{
    cnrs_rubric *r;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &r, NULL, &err), CNRS_OK);
    cnrs_extractor *x = cnrs_extractor_new(r);
    cnrs_buf scratch = CNRS_BUF_INIT;
    cnrs_evidence_set ev;
    cnrs_evidence_set_init(&ev);
    const char *t = "本集團2022年溫室氣體排放總量為12.5萬噸二氧化碳當量。";
    ck_assert_uint_eq(cnrs_classify_sentence(x, t, strlen(t), 1, &scratch, &ev), 1);
    ck_assert_str_eq(r->items[ev.ev[0].item].qid, "Q11.total");
    ck_assert_uint_ne(ev.ev[0].units, 0);
    cnrs_evidence_set_free(&ev);
    cnrs_buf_free(&scratch);
    cnrs_extractor_free(x);
    cnrs_rubric_free(r);
}
END_TEST

/* A report in traditional characters: matched through its simplified form,
 * shown as printed (the evidence sentence is the document's own text). */
START_TEST(traditional_report_keeps_its_script)
{
    const char *text = "本集團高度重視氣候變化。\n本集團2022年溫室氣體排放總量為12.5萬噸二氧化碳當量。\n";
    cnrs_rubric *r;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &r, NULL, &err), CNRS_OK);
    cnrs_extractor *x = cnrs_extractor_new(r);
    cnrs_doc *doc;
    ck_assert_int_eq(cnrs_ingest_memory("hant.txt", CNRS_FMT_TEXT, text, strlen(text), &doc, &err),
                     CNRS_OK);
    cnrs_report *rep = cnrs_score_doc(x, r, doc);
    ck_assert_int_eq(rep->doc->script, CNRS_SCRIPT_HANT);
    ck_assert_int_eq(rep->card->stage, 3);
    int q11 = 0;
    for (size_t k = 0; k < rep->ev.n; k++) {
        const cnrs_sentence *se = &rep->doc->sents[rep->ev.ev[k].sent];
        if (strcmp(r->items[rep->ev.ev[k].item].qid, "Q11.total") == 0) {
            q11 = 1;
            ck_assert_msg(memmem(rep->doc->text + se->off, se->len, "溫室氣體", strlen("溫室氣體")),
                          "evidence shows the printed characters");
        }
    }
    ck_assert(q11);
    cnrs_report_free(rep);
    cnrs_extractor_free(x);
    cnrs_rubric_free(r);
}
END_TEST

Suite *cnrs_suite_script(void);
Suite *cnrs_suite_script(void)
{
    Suite *s = suite_create("script");
    TCase *tc = tcase_create("script");
    tcase_add_test(tc, detects_script);
    tcase_add_test(tc, simplifies_for_matching);
    tcase_add_test(tc, traditional_sentence_matches);
    tcase_add_test(tc, traditional_report_keeps_its_script);
    suite_add_tcase(s, tc);
    return s;
}
