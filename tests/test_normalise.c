/* test_normalise.c - full-width folding, space rules, removals, invalid bytes. */
#include <check.h>
#include <string.h>

#include "normalise.h"
#include "util.h"

/* Normalise a C string; the result is static until the next call. */
static const char *S_norm_n(const char *s, size_t n)
{
    static cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_free(&b);
    cnrs_normalise(s, n, &b);
    return cnrs_buf_cstr(&b);
}

static const char *S_norm(const char *s)
{
    return S_norm_n(s, strlen(s));
}

START_TEST(fullwidth_folds_to_ascii)
{
    ck_assert_str_eq(S_norm("２０２１年"), "2021年");
    ck_assert_str_eq(S_norm("下降５０％"), "下降50%");
    ck_assert_str_eq(S_norm("ＣＯ２排放"), "CO2排放");
    ck_assert_str_eq(S_norm("ｔＣＯ２ｅ"), "tCO2e");
    ck_assert_str_eq(S_norm("（即范围１）为５１．０万吨"), "(即范围1)为51.0万吨");
    ck_assert_str_eq(S_norm("Ａｂｃ＋－＝［］"), "Abc+-=[]");
}
END_TEST

START_TEST(chinese_marks_stay_fullwidth)
{
    /* ，；：！？ are kept because segmentation splits on them. */
    ck_assert_str_eq(S_norm("一，二；三：四！五？"), "一，二；三：四！五？");
    ck_assert_str_eq(S_norm("完成。"), "完成。");
}
END_TEST

START_TEST(sub_and_superscripts_fold)
{
    ck_assert_str_eq(S_norm("CO₂"), "CO2");
    ck_assert_str_eq(S_norm("tCO₂e"), "tCO2e");
    ck_assert_str_eq(S_norm("100 m³"), "100 m3");
    ck_assert_str_eq(S_norm("km²"), "km2");
    ck_assert_str_eq(S_norm("x¹⁰"), "x10");
    ck_assert_str_eq(S_norm("CH₄ N₂O"), "CH4 N2O");
}
END_TEST

START_TEST(cjk_spaces_removed)
{
    ck_assert_str_eq(S_norm("截至 2017 年 1 月底"), "截至2017年1月底");
    ck_assert_str_eq(S_norm("中国企业碳中和 社会责任"), "中国企业碳中和社会责任");
    ck_assert_str_eq(S_norm("碳　中和"), "碳中和"); /* U+3000 */
    ck_assert_str_eq(S_norm("“双碳” 目标"), "“双碳”目标");
    ck_assert_str_eq(S_norm("减排 ， 完成"), "减排，完成");
    ck_assert_str_eq(S_norm("Inquiry ( 探寻 )"), "Inquiry (探寻)");
    /* Latin next to CJK keeps its space. */
    ck_assert_str_eq(S_norm("企业的 ESG 责任"), "企业的 ESG 责任");
    ck_assert_str_eq(S_norm("Peter Thomson 大使"), "Peter Thomson 大使");
}
END_TEST

START_TEST(space_runs_collapse_and_ends_trim)
{
    ck_assert_str_eq(S_norm("  Scope   1\t\temissions  "), "Scope 1 emissions");
    ck_assert_str_eq(S_norm("a\xC2\xA0\xC2\xA0"
                            "b"),
                     "a b"); /* NBSP */
    ck_assert_str_eq(S_norm("a\xE2\x80\x83"
                            "b"),
                     "a b"); /* em space */
    ck_assert_str_eq(S_norm("line one  \n  line two"), "line one\nline two");
    ck_assert_str_eq(S_norm("   "), "");
    ck_assert_str_eq(S_norm(""), "");
}
END_TEST

START_TEST(dashes_and_invisibles)
{
    ck_assert_str_eq(S_norm("2020–2021"), "2020-2021"); /* en dash */
    ck_assert_str_eq(S_norm("a—b"), "a-b");             /* em dash */
    ck_assert_str_eq(S_norm("−5"), "-5");               /* minus sign */
    ck_assert_str_eq(S_norm("car\xC2\xAD"
                            "bon"),
                     "carbon");                               /* soft hyphen */
    ck_assert_str_eq(S_norm("碳\xE2\x80\x8B中和"), "碳中和"); /* zero-width space */
    ck_assert_str_eq(S_norm("\xEF\xBB\xBF"
                            "abc"),
                     "abc"); /* BOM */
    ck_assert_str_eq(S_norm("a\xE2\x80\x8D"
                            "b"),
                     "ab"); /* ZWJ */
}
END_TEST

START_TEST(invalid_bytes_and_controls)
{
    ck_assert_str_eq(S_norm("a\xFF"
                            "b"),
                     "a\xEF\xBF\xBD"
                     "b");
    ck_assert_str_eq(S_norm("\xE4\xB8"), "\xEF\xBF\xBD\xEF\xBF\xBD"); /* truncated */
    /* NUL and other controls become spaces; no NUL in the output. */
    const char in[] = {'a', '\0', 'b', '\x01', 'c', '\r', 'd'};
    const char *out = S_norm_n(in, sizeof in);
    ck_assert_str_eq(out, "a b c d");
    ck_assert_uint_eq(strlen(out), 7);
}
END_TEST

START_TEST(appends_to_existing_buffer)
{
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_puts(&b, "x:");
    cnrs_normalise("２ ", 4, &b);
    ck_assert_str_eq(cnrs_buf_cstr(&b), "x:2");
    ck_assert_uint_eq(b.len, 3);
    cnrs_buf_free(&b);
}
END_TEST

Suite *cnrs_suite_normalise(void);
Suite *cnrs_suite_normalise(void)
{
    Suite *s = suite_create("normalise");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fullwidth_folds_to_ascii);
    tcase_add_test(tc, chinese_marks_stay_fullwidth);
    tcase_add_test(tc, sub_and_superscripts_fold);
    tcase_add_test(tc, cjk_spaces_removed);
    tcase_add_test(tc, space_runs_collapse_and_ends_trim);
    tcase_add_test(tc, dashes_and_invisibles);
    tcase_add_test(tc, invalid_bytes_and_controls);
    tcase_add_test(tc, appends_to_existing_buffer);
    suite_add_tcase(s, tc);
    return s;
}
