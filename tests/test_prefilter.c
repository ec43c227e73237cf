/* test_prefilter.c - required-literal analysis and the Aho-Corasick scan.
 * Expected literal sets are worked out by hand from the regex syntax: any
 * match must contain one of them. */
#include <check.h>
#include <string.h>

#include "prefilter.h"
#include "util.h"

/* The required literals of `pat`, one per line, or "-" when there are none. */
static void S_lits(const char *pat, const char *want)
{
    cnrs_buf b = CNRS_BUF_INIT;
    if (!cnrs_prefilter_literals_of(pat, &b))
        cnrs_buf_puts(&b, "-");
    ck_assert_msg(strcmp(cnrs_buf_cstr(&b), want) == 0, "%s: got [%s], expected [%s]", pat,
                  b.data, want);
    cnrs_buf_free(&b);
}

START_TEST(literal_sets)
{
    S_lits("碳达峰|达峰|排放峰值", "碳达峰\n达峰\n排放峰值\n");
    S_lits("abc(?:de|fg)?h", "abc\n&\nh\n");     /* optional group adds nothing */
    S_lits("(?:xy|zw)q+", "xy\nzw\n&\nq\n");     /* two 2-byte literals beat one 1-byte */
    S_lits("\\d+%", "%\n");
    S_lits("colou?r", "colo\n&\nr\n");           /* the optional u ends the run */
    S_lits("ab{2}c", "ab\n&\nc\n");              /* repeated b ends the run after it */
    S_lits("(?i:LEED)", "leed\n");                /* case-folded */
    S_lits("\\x{4e2d}国", "中国\n");
    S_lits("foo(?=bar)", "foo\n");                /* lookahead is zero-width */
    S_lits("(?<!x)bar", "bar\n");
    S_lits("a\\Q.*\\Eb", "a.*b\n");               /* quoted metacharacters are literal */
    S_lits("scope\\s*1\\b", "scope\n&\n1\n");
    S_lits("[abc]+", "-");                        /* a class gives no literal */
    S_lits("a*", "-");
    S_lits("x|", "-");                            /* the empty branch matches anywhere */
    S_lits("(?:a|[bc])d{0,3}", "-");
    S_lits("\\bwe\\b|\\bour\\b", "we\nour\n");
    S_lits("(a)\\1", "a\n");
}
END_TEST

START_TEST(scan_marks_candidates)
{
    cnrs_prefilter *pf = cnrs_prefilter_new();
    ck_assert_int_eq(cnrs_prefilter_add(pf, 0, "碳达峰|碳中和"), 1);
    ck_assert_int_eq(cnrs_prefilter_add(pf, 1, "(?i:scope)\\s*1"), 1);
    ck_assert_int_eq(cnrs_prefilter_add(pf, 2, "[0-9]+"), 0); /* always */
    ck_assert_int_eq(cnrs_prefilter_add(pf, 70, "峰值"), 1);  /* an id in the second word */
    cnrs_prefilter_build(pf);
    ck_assert_uint_eq(cnrs_prefilter_words(pf), 2);
    uint64_t bits[2];
    const char *t1 = "公司力争2030年前实现碳中和。";
    cnrs_prefilter_scan(pf, t1, strlen(t1), bits);
    ck_assert(cnrs_prefilter_has(bits, 0));
    ck_assert(!cnrs_prefilter_has(bits, 1));
    ck_assert(cnrs_prefilter_has(bits, 2));
    ck_assert(!cnrs_prefilter_has(bits, 70));
    const char *t2 = "Our SCOPE 1 emissions reached a 峰值.";
    cnrs_prefilter_scan(pf, t2, strlen(t2), bits);
    ck_assert(!cnrs_prefilter_has(bits, 0));
    ck_assert(cnrs_prefilter_has(bits, 1)); /* case-folded scan */
    ck_assert(cnrs_prefilter_has(bits, 70));
    /* A literal split across the end is not found; overlapping ones are. */
    const char *t3 = "碳达";
    cnrs_prefilter_scan(pf, t3, strlen(t3), bits);
    ck_assert(!cnrs_prefilter_has(bits, 0));
    const char *t4 = "碳碳达峰";
    cnrs_prefilter_scan(pf, t4, strlen(t4), bits);
    ck_assert(cnrs_prefilter_has(bits, 0)); /* failure link after a false start */
    cnrs_prefilter_free(pf);
}
END_TEST

START_TEST(second_factor_must_be_present_too)
{
    /* Both required factors of a sequence must occur; an id registered twice
     * falls back to "either literal set of its first factors". */
    cnrs_prefilter *pf = cnrs_prefilter_new();
    ck_assert_int_eq(cnrs_prefilter_add(pf, 0, "(?:减排|降碳)[^。]{0,30}(?:目标完成|完成率)"), 1);
    ck_assert_int_eq(cnrs_prefilter_add(pf, 1, "排放峰值.*目标"), 1);
    ck_assert_int_eq(cnrs_prefilter_add(pf, 1, "abc"), 1);
    cnrs_prefilter_build(pf);
    uint64_t bits[2];
    const char *t1 = "公司持续推进减排工作。";
    cnrs_prefilter_scan(pf, t1, strlen(t1), bits);
    ck_assert(!cnrs_prefilter_cand(pf, bits, 0)); /* first factor only */
    const char *t2 = "减排目标完成率达到95%。";
    cnrs_prefilter_scan(pf, t2, strlen(t2), bits);
    ck_assert(cnrs_prefilter_cand(pf, bits, 0));
    const char *t3 = "排放峰值";
    cnrs_prefilter_scan(pf, t3, strlen(t3), bits);
    ck_assert(cnrs_prefilter_cand(pf, bits, 1)); /* two patterns: no second factor */
    cnrs_prefilter_free(pf);
}
END_TEST

Suite *cnrs_suite_prefilter(void);
Suite *cnrs_suite_prefilter(void)
{
    Suite *s = suite_create("prefilter");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, literal_sets);
    tcase_add_test(tc, scan_marks_candidates);
    tcase_add_test(tc, second_factor_must_be_present_too);
    suite_add_tcase(s, tc);
    return s;
}
