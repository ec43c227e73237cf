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

START_TEST(runs_copied_as_they_are_meet_the_slow_path)
{
    /* The copy of unchanged runs (printable ASCII, single spaces between
     * ASCII, most three-byte characters) must hand over to the character
     * rules exactly where a character changes or a space needs a decision. */
    static const char *const cases[][2] = {
        {"2021年 减排 30%", "2021年减排30%"},
        {"a b  c", "a b c"},
        {" ab cd ", "ab cd"},
        {"a\u3000b", "a b"},
        {"中\u3000文", "中文"},
        {"中 a", "中 a"},
        {"a 中", "a 中"},
        {"CO₂ 排放 ２０ 吨", "CO2排放20吨"},
        {"“碳中和” 目标", "“碳中和”目标"},
        {"减排 “目标”", "减排“目标”"},
        {"a …b", "a …b"},
        {"x\u200By", "xy"},
        {"K\u212A s\u017F", "KK ss"},
        {"（范围１）", "(范围1)"},
        {"完成，继续；结束：好！吗？", "完成，继续；结束：好！吗？"},
        {"A\uFEFFB", "AB"},
        {"\u2103 \u2103 20\u2103", "\u2103 \u2103 20\u2103"},
        {"中\uD7FF文", "中\uD7FF文"},
        {"中\xED\xA0\x80文", "中\uFFFD\uFFFD\uFFFD文"}, /* a surrogate is invalid */
        {"ab\xE4\xB8", "ab\uFFFD\uFFFD"},
        {"中\u2014 文", "中- 文"},
        {"中\u2026 文", "中\u2026文"},
        {"a - b", "a - b"},
        {"中 \n 文", "中\n文"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        ck_assert_msg(strcmp(S_norm(cases[i][0]), cases[i][1]) == 0, "case %zu: \"%s\" -> \"%s\"", i,
                      cases[i][0], S_norm(cases[i][0]));
}
END_TEST

START_TEST(two_character_fast_path_hands_over_at_every_offset)
{
    /* Chinese text is copied two characters (six bytes) a test; whatever
     * stops the copy must be found wherever it falls in those six bytes. */
    static const char *const cases[][2] = {
        {"\u3000", ""},
        {"（", "("},
        {"Ａ", "A"},
        {"\xED\xA0\x80", "\uFFFD\uFFFD\uFFFD"},
        {"\xE4\xB8", "\uFFFD\uFFFD"},
        {"\xE0\xA0\x80", "\u0800"},
        {"\uD7FF", "\uD7FF"},
        {"“", "“"},
        {"，", "，"},
        {"\u3001", "\u3001"},
        {"\u2212", "-"},
        {"\uFEFF", ""},
        {"\n", "\n"},
        {"a", "a"},
    };
    char in[128], want[128];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        for (int k = 0; k < 8; k++) {
            in[0] = want[0] = '\0';
            for (int j = 0; j < k; j++) {
                strcat(in, "中");
                strcat(want, "中");
            }
            strcat(in, cases[i][0]);
            strcat(want, cases[i][1]);
            strcat(in, "文字文字");
            strcat(want, "文字文字");
            ck_assert_msg(strcmp(S_norm(in), want) == 0, "case %zu at %d: \"%s\" -> \"%s\"", i, k, in,
                          S_norm(in));
        }
    }
}
END_TEST

START_TEST(eight_byte_ascii_fast_path_hands_over_at_every_offset)
{
    /* Printable ASCII with single spaces is copied eight bytes a test; a
     * byte that needs a decision must be found wherever it falls. */
    static const char *const cases[][2] = {
        {"  ", " "},     {"\t", " "},     {"\x7F", " "},   {" \t ", " "}, {"\xC2\xA0", " "},
        {" ", " "},      {"\n", "\n"},    {" \n", "\n"},   {"\x01", " "}, {"（", "("},
        {"中 ", "中 "}, {" 中", " 中"}, {"\xFF", "\uFFFD"}, {"~", "~"},   {"\u3000", " "},
    };
    char in[128], want[128];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        for (int k = 1; k < 12; k++) {
            in[0] = want[0] = '\0';
            for (int j = 0; j < k; j++) {
                strcat(in, j % 3 == 2 ? " " : "x");
                strcat(want, j % 3 == 2 ? " " : "x");
            }
            if (k % 3 == 0 && cases[i][1][0] == ' ')
                want[strlen(want) - 1] = '\0'; /* the space before joins the case's */
            if (k % 3 == 0 && cases[i][1][0] == '\n')
                want[strlen(want) - 1] = '\0'; /* trailing space of a line goes */
            strcat(in, cases[i][0]);
            strcat(want, cases[i][1]);
            strcat(in, "abcdefgh ijklmnop");
            strcat(want, "abcdefgh ijklmnop");
            ck_assert_msg(strcmp(S_norm(in), want) == 0, "case %zu at %d: \"%s\" -> \"%s\"", i, k, in,
                          S_norm(in));
        }
    }
}
END_TEST

START_TEST(sixteen_byte_fast_path_hands_over_at_every_offset)
{
    /* Runs are tested sixteen bytes at a time (with two bytes of lookahead);
     * each case sits at every offset of that window, after Chinese text
     * (中...文) and inside ASCII (x...y), where the space rules differ.
     * Columns: input, output between 中 and 文, output between x and y. */
    static const char *const cases[][3] = {
        {"\u3000", "", " "},
        {"，", "，", "，"},
        {"：", "：", "："},
        {"；", "；", "；"},
        {"！", "！", "！"},
        {"？", "？", "？"},
        {"。", "。", "。"},
        {"、", "、", "、"},
        {"（", "(", "("},
        {"Ａ", "A", "A"},
        {"\uFF5E", "~", "~"},
        {"\uFEFF", "", ""},
        {" ", "", " "},
        {"  ", "", " "},
        {"\t", "", " "},
        {"\xC2\xA0", "", " "},
        {"\x7F", "", " "},
        {"\x01", "", " "},
        {"\n", "\n", "\n"},
        {"“", "“", "“"},
        {"\u2014", "-", "-"},
        {"\uE000", "\uE000", "\uE000"},
        {"\u0800", "\u0800", "\u0800"},
        {"\u00E9", "\u00E9", "\u00E9"},
        {"\xED\xA0\x80", "\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD"},
        {"\xE4\xB8", "\uFFFD\uFFFD", "\uFFFD\uFFFD"},
        {"\xEF\xBC", "\uFFFD\uFFFD", "\uFFFD\uFFFD"},
        {"\xE3\x80", "\uFFFD\uFFFD", "\uFFFD\uFFFD"},
        {"\x80", "\uFFFD", "\uFFFD"},
        {"a", "a", "a"},
        {"a b", "a b", "a b"},
        {" 5", "5", " 5"},
    };
    char in[256], want[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        /* 中 then k more 中 (the case at byte 3 + 3k: every residue mod
         * 16), or 中x then k more x (byte 4 + k), then two windows of text */
        for (int cjk = 0; cjk < 2; cjk++) {
            for (int k = 0; k < 32; k++) {
                strcpy(in, cjk ? "中" : "中x");
                for (int j = 0; j < k; j++)
                    strcat(in, cjk ? "中" : "x");
                strcpy(want, in);
                strcat(in, cases[i][0]);
                strcat(want, cases[i][cjk ? 1 : 2]);
                const char *tail = cjk ? "文字文字文字文字文字文字" : "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy";
                strcat(in, tail);
                strcat(want, tail);
                ck_assert_msg(strcmp(S_norm(in), want) == 0, "case %zu, %s, k %d: \"%s\" -> \"%s\"",
                              i, cjk ? "cjk" : "ascii", k, in, S_norm(in));
            }
        }
    }
}
END_TEST

START_TEST(sixteen_byte_fast_path_meets_the_end)
{
    /* The window needs two bytes past it: a character cut by the end of
     * the input, or ending with it, at every distance from the end. */
    char in[128], want[128];
    for (int k = 0; k < 24; k++) {
        for (int cut = 0; cut < 3; cut++) {
            in[0] = want[0] = '\0';
            for (int j = 0; j < k; j++) {
                strcat(in, j % 4 == 3 ? "x" : "中");
                strcat(want, j % 4 == 3 ? "x" : "中");
            }
            size_t n = strlen(in);
            strcat(in, "文"); /* E6 96 87, cut after `cut` bytes (0: whole) */
            if (cut) {
                in[n + (size_t)cut] = '\0';
                strcat(want, cut == 1 ? "\uFFFD" : "\uFFFD\uFFFD");
            } else {
                strcat(want, "文");
            }
            ck_assert_msg(strcmp(S_norm(in), want) == 0, "k %d cut %d: \"%s\"", k, cut,
                          S_norm(in));
        }
    }
}
END_TEST

/* Each case's input must normalise to its output. */
#define S_CASES(cases)                                                                             \
    for (size_t i_ = 0; i_ < sizeof(cases) / sizeof *(cases); i_++)                               \
    ck_assert_msg(strcmp(S_norm((cases)[i_][0]), (cases)[i_][1]) == 0, "\"%s\" -> \"%s\"",         \
                  (cases)[i_][0], S_norm((cases)[i_][0]))

START_TEST(compatibility_forms_fold)
{
    /* NFKC (utf8proc) of each character: what CJK fonts and typesetting
     * put in PDFs, as the unified or plain character. */
    static const char *const cases[][2] = {
        {"温室\u2F53体", "温室气体"},                   /* Kangxi radical ⽓ */
        {"\u2F06\u2F6C\u2F8F\u2F00", "二目行一"},       /* ⼆ ⽬ ⾏ ⼀ */
        {"\uF98E\uF97E", "年量"},                       /* CJK compatibility */
        {"veri\uFB01ed e\uFB03ciency o\uFB00sets \uFB02ow", "verified efficiency offsets flow"},
        {"100\u33A1 5\u338F", "100m2 5kg"},             /* ㎡ ㎏ */
        {"\U0001D402\U0001D40E\U0001D7D0", "CO2"},      /* mathematical bold */
        {"\u2160 \u2122", "I TM"},
        /* a change hands over to the run copy at once */
        {"\u2F53\u6C14\u2F53ab", "气气气ab"},
    };
    S_CASES(cases);
}
END_TEST

START_TEST(compatibility_forms_kept_as_printed)
{
    /* Kept: Chinese marks segmentation splits on (their small and vertical
     * forms become them), ellipsis and leaders, ℃ (the rubric writes it),
     * list markers, ￥, CJK punctuation; spacing accents (NFKC would make
     * them a space and a combining mark). */
    static const char *const cases[][2] = {
        {"一，二﹐三\uFE54四\uFE10", "一，二，三；四，"},
        {"目录……3 \u2025", "目录……3 \u2025"},
        {"20\u2103 \u2109", "20\u2103 \u2109"},
        {"\u2460 \u2474 \u2488 \u3220", "\u2460 \u2474 \u2488 \u3220"},
        {"\uFFE5100", "\uFFE5100"},
        {"「目标」《报告》", "「目标」《报告》"},
        {"a\u00B4b \u00E9", "a\u00B4b \u00E9"},
    };
    S_CASES(cases);
}
END_TEST

START_TEST(ocr_noise_in_latin_text)
{
    static const char *const cases[][2] = {
        /* A word hyphenated across a line: joined when a lower-case
         * fragment of two or more letters meets a lower-case continuation */
        {"our emis- sions fell", "our emissions fell"},
        {"re- duce", "reduce"},
        /* but not a suspended hyphen, a capital, a digit or one letter */
        {"low- and zero-carbon", "low- and zero-carbon"},
        {"medium- to long-term, pre- or post-", "medium- to long-term, pre- or post-"},
        {"Scope- Two, 2019- 2022, a- b, x-ray- based", "Scope- Two, 2019- 2022, a- b, x-ray- based"},
        {"emis - sions", "emis - sions"},
        /* a gas formula's subscript printed apart */
        {"CO 2 emissions, 5 tCO 2 e, 7 tCO 2e; CH 4.", "CO2 emissions, 5 tCO2e, 7 tCO2e; CH4."},
        {"ECO 2, CO 25, CO 2x, CO 2 eq", "ECO 2, CO 25, CO 2x, CO2 eq"},
        /* CJK characters spaced one by one */
        {"碳 排 放 总 量", "碳排放总量"},
        /* OCR marks in figures: 〇 for the O of CO2, _ for a decimal point */
        {"降低至 66_8kgC〇2/m2", "降低至66.8kgCO2/m2"}, /* (CJK-Latin space goes) */
        {"二〇二二年, snake_case, a_1, 1_a", "二〇二二年, snake_case, a_1, 1_a"},
    };
    S_CASES(cases);
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
    tcase_add_test(tc, compatibility_forms_fold);
    tcase_add_test(tc, compatibility_forms_kept_as_printed);
    tcase_add_test(tc, ocr_noise_in_latin_text);
    tcase_add_test(tc, cjk_spaces_removed);
    tcase_add_test(tc, space_runs_collapse_and_ends_trim);
    tcase_add_test(tc, dashes_and_invisibles);
    tcase_add_test(tc, invalid_bytes_and_controls);
    tcase_add_test(tc, appends_to_existing_buffer);
    tcase_add_test(tc, runs_copied_as_they_are_meet_the_slow_path);
    tcase_add_test(tc, two_character_fast_path_hands_over_at_every_offset);
    tcase_add_test(tc, eight_byte_ascii_fast_path_hands_over_at_every_offset);
    tcase_add_test(tc, sixteen_byte_fast_path_hands_over_at_every_offset);
    tcase_add_test(tc, sixteen_byte_fast_path_meets_the_end);
    suite_add_tcase(s, tc);
    return s;
}
