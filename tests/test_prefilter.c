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
    /* Adjacent literals and small exact groups multiply out. */
    S_lits("abc(?:de|fg)?h", "abcdeh\nabcfgh\nabch\n");
    S_lits("(?:xy|zw)q+", "xyq\nzwq\n");          /* the first q is adjacent */
    S_lits("\\d+%", "%\n");
    S_lits("colou?r", "colour\ncolor\n");
    S_lits("(?:碳|温室气体)排放(?:总量|量)",
           "碳排放总量\n碳排放量\n温室气体排放总量\n温室气体排放量\n");
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
    /* Caseless UTF matching equates non-ASCII letters the scan does not
     * fold (Σ/σ, É/é, the Kelvin sign): they end a literal like a class. */
    S_lits("\xCE\xA3", "-");
    S_lits("ab\xCE\xA3" "cd", "ab\n&\ncd\n");
    S_lits("caf\xC3\xA9" "s", "caf\n&\ns\n");
    S_lits("\\x{3a3}x", "x\n");
    S_lits("\\Qa\xCE\xA3\\E", "-");
    S_lits("\xE2\x84\x83", "\xE2\x84\x83\n"); /* ℃ has no case */
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

START_TEST(lead_literals_open_every_match)
{
    /* A pattern whose required literals open every match gets their longest
     * length as its lead; scan_at records where the first one ended. */
    cnrs_prefilter *pf = cnrs_prefilter_new();
    cnrs_prefilter_add(pf, 0, "(?:碳|温室气体)排放(?:总量|量)");
    cnrs_prefilter_add(pf, 1, "\\b(?:scope|范围)\\s*[123]");
    cnrs_prefilter_add(pf, 2, "\\d+\\s*吨");   /* the literal comes last */
    cnrs_prefilter_add(pf, 3, "(?:ab)?cd|ef");   /* every branch opens with its set */
    cnrs_prefilter_add(pf, 4, "x\\Kyz");        /* \\K moves the start */
    cnrs_prefilter_add(pf, 5, "abc");
    cnrs_prefilter_add(pf, 5, "def");             /* two patterns, one id */
    cnrs_prefilter_build(pf);
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 0), strlen("温室气体排放总量"));
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 1), strlen("范围"));
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 2), 0);
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 3), 4);
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 4), 0);
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 5), 0);
    uint64_t bits[1];
    uint32_t end[64];
    const char *t = "今年碳排放量为10吨，碳排放总量下降。";
    cnrs_prefilter_scan_at(pf, t, strlen(t), bits, end);
    ck_assert(cnrs_prefilter_has(bits, 0));
    const char *first = strstr(t, "碳排放量");
    ck_assert_uint_eq(end[0], (size_t)(first - t) + strlen("碳排放量"));
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
    tcase_add_test(tc, lead_literals_open_every_match);
    tcase_add_test(tc, second_factor_must_be_present_too);
    suite_add_tcase(s, tc);
    return s;
}
