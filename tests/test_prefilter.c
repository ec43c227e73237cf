/* test_prefilter.c - required-literal analysis and the Aho-Corasick scan.
 * Expected literal sets are worked out by hand from the regex syntax: any
 * match must contain one of them. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

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
    S_lits("[a-z]+", "-");                        /* a large class gives no literal */
    S_lits("[abc]+", "a\nb\nc\n");              /* a small one: one of its characters */
    S_lits("a*", "-");
    S_lits("x|", "-");                            /* the empty branch matches anywhere */
    S_lits("(?:a|[b-z])d{0,3}", "-");
    S_lits("(?:a|[bc])d{0,3}", "a\nb\nc\n");
    S_lits("\\bwe\\b|\\bour\\b", "we\nour\n");
    S_lits("(a)\\1", "a\n");
    S_lits("a\\万?b", "a万b\nab\n");                /* \万 is one character */
    /* Small classes of plain characters are sets of literals. */
    S_lits("范围[一二三123]", "范围一\n范围二\n范围三\n范围1\n范围2\n范围3\n");
    S_lits("[Aa]b", "ab\n");                     /* folded, once */
    S_lits("x[0-2]", "x0\nx1\nx2\n");
    S_lits("[a-]z", "az\n-z\n");                 /* a final '-' is itself */
    S_lits("[^ab]c", "c\n");                      /* negated: any character */
    S_lits("[a-z]q", "q\n");                      /* too many */
    S_lits("[一-九]x", "x\n");                    /* a non-ASCII range */
    S_lits("[\\d.]x", "x\n");                    /* an escape */
    S_lits("[\xCE\xA3s]x", "x\n");              /* Σ varies caselessly */
    /* A factor with the best one's literals again is no second factor. */
    S_lits("\\b20\\d\\d\\s*(?:-|to)\\s*20\\d\\d\\b", "20\n&\n-\nto\n");
    S_lits("\\100x|y", "x\ny\n");               /* octal \100 is '@': no "00x" */
    S_lits("(a)\\12b", "a\n&\nb\n");            /* \12: one escape, then b */
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
    ck_assert_int_eq(cnrs_prefilter_add(pf, 2, "\\d+"), 0); /* always */
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
     * length as its lead; scan_at records where the first and the last
     * occurrences ended. */
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
    cnrs_prefilter_span end[64];
    const char *t = "今年碳排放量为10吨，碳排放总量下降。";
    cnrs_prefilter_scan_at(pf, t, strlen(t), bits, end);
    ck_assert(cnrs_prefilter_has(bits, 0));
    const char *first = strstr(t, "碳排放量"), *last = strstr(t, "碳排放总量");
    ck_assert_uint_eq(end[0].first, (size_t)(first - t) + strlen("碳排放量"));
    ck_assert_uint_eq(end[0].last, (size_t)(last - t) + strlen("碳排放总量"));
    /* the shortest literal: 碳排放量 (12 bytes); "abc|def" 3; none for \\d+ */
    ck_assert_uint_eq(cnrs_prefilter_minlen(pf, 0), strlen("碳排放量"));
    ck_assert_uint_eq(cnrs_prefilter_minlen(pf, 5), 3);
    cnrs_prefilter_free(pf);
}
END_TEST

START_TEST(lead_bounds_patterns_whose_literals_come_later)
{
    /* The bound is the most bytes a match can consume before its literal
     * (4 per character: caseless matching may pair an ASCII letter with a
     * three-byte one) plus the longest literal. Worked by hand: */
    cnrs_prefilter *pf = cnrs_prefilter_new();
    cnrs_prefilter_add(pf, 0, "[^。]{0,10}排放总量");  /* 10 chars, then 12 bytes */
    cnrs_prefilter_add(pf, 1, "\\d{1,3}\\s?吨");      /* 3 + 1 chars, then 3 */
    cnrs_prefilter_add(pf, 2, "a.{2}bcd");             /* 'bcd' is the better set */
    cnrs_prefilter_add(pf, 3, "x+yz");                 /* unbounded before "yz" */
    cnrs_prefilter_add(pf, 4, "(a)\\1bcd");            /* a backreference: any length */
    cnrs_prefilter_add(pf, 5, "(?:碳|温室气体)?排放量"); /* optional group, 12 bytes */
    cnrs_prefilter_add(pf, 6, "(?:ab|c(?:de|f))[^0-9]?WXYZ"); /* 3 chars + 1, then 4 */
    cnrs_prefilter_build(pf);
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 0), 10 * 4 + strlen("排放总量"));
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 1), 4 * 4 + strlen("吨"));
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 2), 3 * 4 + 3);
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 3), 0);
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 4), 0);
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 5), strlen("温室气体排放量"));
    ck_assert_uint_eq(cnrs_prefilter_lead(pf, 6), 4 * 4 + 4);
    cnrs_prefilter_free(pf);
}
END_TEST

/* Every match of `pat` (compiled as the rubric does: UTF, caseless) in `t`
 * starts at or after ends.first - lead and at or before ends.last - minlen
 * when the scan marked the pattern. */
static void S_check_lead(const char *pat, const char *t)
{
    cnrs_prefilter *pf = cnrs_prefilter_new();
    cnrs_prefilter_add(pf, 0, pat);
    cnrs_prefilter_build(pf);
    unsigned lead = cnrs_prefilter_lead(pf, 0), minlen = cnrs_prefilter_minlen(pf, 0);
    ck_assert_uint_gt(minlen, 0);
    uint64_t bits[1];
    cnrs_prefilter_span end[64];
    size_t n = strlen(t);
    cnrs_prefilter_scan_at(pf, t, n, bits, end);
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_CASELESS, &ec, &eo, NULL);
    ck_assert_ptr_nonnull(re);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int matches = 0;
    for (size_t from = 0; from <= n; from++) {
        if (from < n && ((unsigned char)t[from] & 0xC0) == 0x80)
            continue;
        if (pcre2_match(re, (PCRE2_SPTR)t, n, from, PCRE2_ANCHORED, md, NULL) < 0)
            continue;
        matches++;
        ck_assert_msg(cnrs_prefilter_has(bits, 0), "%s: matches %s, not marked", pat, t);
        if (lead)
            ck_assert_msg(from + lead >= end[0].first, "%s in %s: a match at %zu, bound %u - %u",
                          pat, t, from, end[0].first, lead);
        ck_assert_msg(from + minlen <= end[0].last, "%s in %s: a match at %zu, limit %u - %u",
                      pat, t, from, end[0].last, minlen);
    }
    ck_assert_msg(matches > 0, "%s: no match in %s (the case tests nothing)", pat, t);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    cnrs_prefilter_free(pf);
}

START_TEST(lead_holds_for_every_match)
{
    /* Widest cases: the text before the literal as long as allowed, of
     * four-byte characters, or a Kelvin sign (3 bytes) matching 'k'. */
    S_check_lead("[^。]{0,3}排放总量", "\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80"
                                      "\xF0\x9F\x98\x80排放总量排放总量");
    S_check_lead("k.{1,2}bcd", "x\xE2\x84\xAA\xF0\x9F\x98\x80\xF0\x9F\x98\x80" "bcd");
    S_check_lead("(?:碳|温室气体)?排放量", "温室气体排放量，碳排放量");
    S_check_lead("(?:ab|c(?:de|f))[0-9]?wxyz", "xxcde7WXYZ abwxyz");
    S_check_lead("\\b(?:scope|范围)\\s*[123]", "SCOPE  1 and 范围2");
    S_check_lead("\\d+\\s*吨", "共10吨和200 吨");       /* no lead; the limit holds */
}
END_TEST

/* A pseudo-random number (a fixed LCG: the test is the same every run). */
static unsigned S_rand(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* scan_pair gives what two scan_at calls give, for both table widths: a
 * small automaton (16-bit entries) and one of more than 65,536 states
 * (32-bit entries: 20,000 random 8-letter words over 16 letters). */
static void S_check_pair(cnrs_prefilter *pf, const char *const *texts, size_t ntexts)
{
    size_t w = cnrs_prefilter_words(pf);
    uint64_t *b1 = calloc(w, 8), *b2 = calloc(w, 8), *c1 = calloc(w, 8), *c2 = calloc(w, 8);
    cnrs_prefilter_span *e1 = calloc(w * 64, sizeof *e1), *e2 = calloc(w * 64, sizeof *e2),
                        *f1 = calloc(w * 64, sizeof *f1), *f2 = calloc(w * 64, sizeof *f2);
    for (size_t i = 0; i < ntexts; i++)
        for (size_t j = 0; j < ntexts; j++) {
            const char *s = texts[i], *t = texts[j];
            cnrs_prefilter_scan_pair(pf, s, strlen(s), b1, e1, t, strlen(t), b2, e2);
            cnrs_prefilter_scan_at(pf, s, strlen(s), c1, f1);
            cnrs_prefilter_scan_at(pf, t, strlen(t), c2, f2);
            ck_assert(memcmp(b1, c1, w * 8) == 0 && memcmp(b2, c2, w * 8) == 0);
            for (unsigned id = 0; id < w * 64; id++) {
                if (cnrs_prefilter_has(c1, id))
                    ck_assert(e1[id].first == f1[id].first && e1[id].last == f1[id].last);
                if (cnrs_prefilter_has(c2, id))
                    ck_assert(e2[id].first == f2[id].first && e2[id].last == f2[id].last);
            }
        }
    free(b1), free(b2), free(c1), free(c2), free(e1), free(e2), free(f1), free(f2);
}

START_TEST(pair_scan_equals_two_scans)
{
    cnrs_prefilter *pf = cnrs_prefilter_new();
    cnrs_prefilter_add(pf, 0, "碳达峰|碳中和");
    cnrs_prefilter_add(pf, 1, "(?i:scope)\\s*1");
    cnrs_prefilter_add(pf, 2, "峰值");
    cnrs_prefilter_build(pf);
    ck_assert_uint_lt(cnrs_prefilter_states(pf), 65536);
    const char *small[] = {"", "碳", "公司力争2030年前实现碳中和。", "Scope 1 碳达峰值",
                           "碳达峰，碳中和，碳达峰值与峰值。"};
    S_check_pair(pf, small, sizeof small / sizeof *small);
    uint64_t bits[1];
    cnrs_prefilter_scan(pf, small[3], strlen(small[3]), bits);
    ck_assert(cnrs_prefilter_has(bits, 0) && cnrs_prefilter_has(bits, 1) &&
              cnrs_prefilter_has(bits, 2));
    cnrs_prefilter_free(pf);

    pf = cnrs_prefilter_new();
    unsigned seed = 7;
    char word[9] = {0};
    for (unsigned id = 0; id < 20000; id++) {
        for (int k = 0; k < 8; k++)
            word[k] = (char)('a' + S_rand(&seed) % 16);
        cnrs_prefilter_add(pf, id % 100, word);
    }
    cnrs_prefilter_build(pf);
    ck_assert_uint_gt(cnrs_prefilter_states(pf), 65536); /* the 32-bit table */
    /* Texts of random letters contain some of the words; one is planted. */
    char big[3][2001];
    for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 2000; k++)
            big[i][k] = (char)('a' + S_rand(&seed) % 16);
        big[i][2000] = 0;
    }
    memcpy(big[1] + 1000, word, 8); /* the last word added, id 19999 % 100 */
    const char *texts[] = {big[0], big[1], big[2], "", "abc"};
    S_check_pair(pf, texts, sizeof texts / sizeof *texts);
    uint64_t *b = calloc(cnrs_prefilter_words(pf), 8);
    cnrs_prefilter_scan(pf, big[1] + 1000, 8, b);
    ck_assert(cnrs_prefilter_has(b, 19999 % 100));
    free(b);
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
    tcase_add_test(tc, lead_bounds_patterns_whose_literals_come_later);
    tcase_add_test(tc, lead_holds_for_every_match);
    tcase_add_test(tc, pair_scan_equals_two_scans);
    tcase_add_test(tc, second_factor_must_be_present_too);
    suite_add_tcase(s, tc);
    return s;
}
