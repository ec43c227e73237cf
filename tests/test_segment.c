/* test_segment.c - sentence splitting, line joining, layout classes (TOC,
 * index, furniture, table rows), page numbers, and the seed documents. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "segment.h"
#include "testutil.h"

/* ---- helpers --------------------------------------------------------------- */

typedef struct S_list {
    char *s[64];
    size_t n;
    const char *base;
    size_t total; /* bytes covered */
    size_t maxlen;
} S_list;

static void S_collect(void *ctx, size_t off, size_t len)
{
    S_list *l = ctx;
    ck_assert_uint_lt(l->n, 64);
    l->s[l->n++] = cnrs_xstrndup(l->base + off, len);
    l->total += len;
    if (len > l->maxlen)
        l->maxlen = len;
}

static void S_count(void *ctx, size_t off, size_t len)
{
    (void)off;
    ck_assert_uint_le(len, CNRS_MAX_SENTENCE);
    (*(size_t *)ctx)++;
}

static S_list S_split(const char *s)
{
    S_list l;
    memset(&l, 0, sizeof l);
    l.base = s;
    cnrs_split_sentences(s, strlen(s), S_collect, &l);
    return l;
}

static void S_list_free(S_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    l->n = 0;
}

/* Every block ends with '\n' in doc->text, sentences lie inside their block,
 * and nothing but FURNITURE-free blocks yield sentences. */
static void S_check_invariants(const cnrs_doc *d)
{
    ck_assert_ptr_nonnull(d->text);
    ck_assert_uint_eq(strlen(d->text), d->text_len);
    for (size_t i = 0; i < d->nblocks; i++) {
        const cnrs_block *b = &d->blocks[i];
        ck_assert_uint_le(b->off + b->len, d->text_len - 1);
        ck_assert_int_eq(d->text[b->off + b->len], '\n');
        ck_assert_ptr_null(memchr(d->text + b->off, '\n', b->len));
        ck_assert_int_ne(b->kind, CNRS_BLOCK_BREAK);
        ck_assert_int_ge(b->page, 1);
        ck_assert_int_le(b->page, d->npages);
    }
    for (size_t i = 0; i < d->nsents; i++) {
        const cnrs_sentence *s = &d->sents[i];
        ck_assert_uint_lt(s->block, d->nblocks);
        const cnrs_block *b = &d->blocks[s->block];
        ck_assert_uint_ge(s->off, b->off);
        ck_assert_uint_le(s->off + s->len, b->off + b->len);
        ck_assert_uint_gt(s->len, 0);
        ck_assert_uint_le(s->len, CNRS_MAX_SENTENCE);
        ck_assert_int_ne(s->kind, CNRS_BLOCK_FURNITURE);
        ck_assert_int_eq(s->kind, b->kind);
        ck_assert_int_ne(d->text[s->off], ' ');
        ck_assert_int_ne(d->text[s->off + s->len - 1], ' ');
        if (i)
            ck_assert_uint_ge(s->off, d->sents[i - 1].off + d->sents[i - 1].len);
        /* sections open in document order */
        if (s->section != CNRS_NO_SECTION) {
            ck_assert_uint_lt(s->section, d->nsections);
            ck_assert_uint_le(d->sections[s->section].block, s->block);
            if (i && d->sents[i - 1].section != CNRS_NO_SECTION)
                ck_assert_uint_ge(s->section, d->sents[i - 1].section);
        }
    }
    for (size_t k = 0; k < d->nsections; k++) {
        const cnrs_section *x = &d->sections[k];
        ck_assert_uint_lt(x->block, d->nblocks);
        ck_assert_int_eq(d->blocks[x->block].kind, CNRS_BLOCK_HEADING);
        ck_assert_uint_ge(x->level, 1);
        ck_assert_uint_le(x->level, CNRS_MAX_LEVEL);
        if (x->parent != CNRS_NO_SECTION) {
            ck_assert_uint_lt(x->parent, k);
            ck_assert_uint_lt(d->sections[x->parent].level, x->level);
        }
    }
}

static cnrs_doc *S_seg(const char *name, cnrs_format fmt, const char *t)
{
    cnrs_doc *d = NULL;
    cnrs_error err;
    cnrs_status st = cnrs_ingest_memory(name, fmt, t, strlen(t), &d, &err);
    ck_assert_msg(st == CNRS_OK, "ingest: %s", err.msg);
    cnrs_segment(d);
    S_check_invariants(d);
    return d;
}

/* The sentence equal to s, or NULL. */
static const cnrs_sentence *S_sent(const cnrs_doc *d, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < d->nsents; i++)
        if (d->sents[i].len == n && !memcmp(d->text + d->sents[i].off, s, n))
            return &d->sents[i];
    return NULL;
}

/* Assert a sentence exists with this kind (and page, when page > 0). */
static void S_expect(const cnrs_doc *d, const char *s, cnrs_block_kind kind, int page)
{
    const cnrs_sentence *x = S_sent(d, s);
    if (!x) {
        for (size_t i = 0; i < d->nsents; i++)
            fprintf(stderr, "  sentence %zu [%s p%d]: %.*s\n", i,
                    cnrs_block_kind_name(d->sents[i].kind), d->sents[i].page, (int)d->sents[i].len,
                    d->text + d->sents[i].off);
        ck_abort_msg("no sentence \"%s\"", s);
    }
    ck_assert_msg(x->kind == kind, "\"%s\" is %s, expected %s", s, cnrs_block_kind_name(x->kind),
                  cnrs_block_kind_name(kind));
    if (page > 0)
        ck_assert_msg(x->page == page, "\"%s\" on page %d, expected %d", s, x->page, page);
}

/* The block equal to s, or NULL. */
static const cnrs_block *S_block(const cnrs_doc *d, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].len == n && !memcmp(d->text + d->blocks[i].off, s, n))
            return &d->blocks[i];
    return NULL;
}

static cnrs_block_kind S_kind_of(const cnrs_doc *d, const char *s)
{
    const cnrs_block *b = S_block(d, s);
    ck_assert_msg(b != NULL, "no block \"%s\"", s);
    return b->kind;
}

/* 1 if some sentence contains s. */
static int S_any_sentence_has(const cnrs_doc *d, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < d->nsents; i++)
        for (size_t k = 0; k + n <= d->sents[i].len; k++)
            if (!memcmp(d->text + d->sents[i].off + k, s, n))
                return 1;
    return 0;
}

/* ---- sentence splitting ---------------------------------------------------- */

START_TEST(split_english_decimals)
{
    S_list l = S_split("Emissions fell to 3.71 Mt in 2020. The 2030 target is 1.5 Mt. 2021 was "
                       "similar.");
    ck_assert_uint_eq(l.n, 3);
    ck_assert_str_eq(l.s[0], "Emissions fell to 3.71 Mt in 2020.");
    ck_assert_str_eq(l.s[1], "The 2030 target is 1.5 Mt.");
    ck_assert_str_eq(l.s[2], "2021 was similar.");
    S_list_free(&l);
}
END_TEST

START_TEST(split_english_abbreviations)
{
    S_list l = S_split("We buy green power, e.g. Solar contracts. Sales in the U.S. Rose too. "
                       "Ant Co. Ltd. Reports data, i.e. Scope 3. See Fig. 2 and No. 5 etc. "
                       "Then stop. Mr. Li agreed.");
    ck_assert_uint_eq(l.n, 5);
    ck_assert_str_eq(l.s[0], "We buy green power, e.g. Solar contracts.");
    ck_assert_str_eq(l.s[1], "Sales in the U.S. Rose too.");
    ck_assert_str_eq(l.s[2], "Ant Co. Ltd. Reports data, i.e. Scope 3.");
    ck_assert_str_eq(l.s[3], "See Fig. 2 and No. 5 etc. Then stop.");
    ck_assert_str_eq(l.s[4], "Mr. Li agreed.");
    S_list_free(&l);
}
END_TEST

START_TEST(split_english_marks_and_numbers)
{
    S_list l = S_split("Is it real? Yes! Done... Next one. what? no. 1. Introduction");
    ck_assert_uint_eq(l.n, 5);
    ck_assert_str_eq(l.s[0], "Is it real?");
    ck_assert_str_eq(l.s[1], "Yes!");
    ck_assert_str_eq(l.s[2], "Done...");
    ck_assert_str_eq(l.s[3], "Next one. what? no.");
    ck_assert_str_eq(l.s[4], "1. Introduction"); /* a section number, not a sentence */
    S_list_free(&l);

    l = S_split("2.1. Scope of the report");
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.s[0], "2.1. Scope of the report");
    S_list_free(&l);

    /* A quote or bracket after the mark stays with the sentence. */
    l = S_split("He said \"we will.\" Then (it was done.) Fine.");
    ck_assert_uint_eq(l.n, 3);
    ck_assert_str_eq(l.s[0], "He said \"we will.\"");
    ck_assert_str_eq(l.s[1], "Then (it was done.)");
    ck_assert_str_eq(l.s[2], "Fine.");
    S_list_free(&l);
}
END_TEST

START_TEST(split_chinese)
{
    S_list l = S_split("碳排放下降。目标是2030年！是否达成？是的；继续推进");
    ck_assert_uint_eq(l.n, 5);
    ck_assert_str_eq(l.s[0], "碳排放下降。");
    ck_assert_str_eq(l.s[1], "目标是2030年！");
    ck_assert_str_eq(l.s[2], "是否达成？");
    ck_assert_str_eq(l.s[3], "是的；");
    ck_assert_str_eq(l.s[4], "继续推进");
    S_list_free(&l);

    /* Closing quotes stay; repeated marks stay together; ASCII !? split too;
     * a decimal point does not. */
    l = S_split("他说：“我们承诺。”然后离开。。真的吗?!是的!排放51.0万吨。");
    ck_assert_uint_eq(l.n, 5);
    ck_assert_str_eq(l.s[0], "他说：“我们承诺。”");
    ck_assert_str_eq(l.s[1], "然后离开。。");
    ck_assert_str_eq(l.s[2], "真的吗?!");
    ck_assert_str_eq(l.s[3], "是的!");
    ck_assert_str_eq(l.s[4], "排放51.0万吨。");
    S_list_free(&l);

    /* Chinese after an English sentence. */
    l = S_split("Scope 1 fell. 范围2上升。");
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.s[0], "Scope 1 fell.");
    ck_assert_str_eq(l.s[1], "范围2上升。");
    S_list_free(&l);
}
END_TEST

START_TEST(split_trims_and_drops_empty)
{
    S_list l = S_split("   ");
    ck_assert_uint_eq(l.n, 0);
    l = S_split("  甲。   乙。  ");
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.s[0], "甲。");
    ck_assert_str_eq(l.s[1], "乙。");
    S_list_free(&l);
    l = S_split("");
    ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(split_caps_long_sentences)
{
    /* 5000 CJK characters (15000 bytes) without punctuation or spaces: cut
     * every 600 characters, 8 * 600 + 200. */
    cnrs_buf b = CNRS_BUF_INIT;
    for (int i = 0; i < 5000; i++)
        cnrs_buf_puts(&b, "碳");
    S_list l;
    memset(&l, 0, sizeof l);
    l.base = b.data;
    cnrs_split_sentences(b.data, b.len, S_collect, &l);
    ck_assert_uint_eq(l.n, 9);
    ck_assert_uint_eq(l.total, 15000);
    ck_assert_uint_eq(l.maxlen, 1800);
    for (size_t i = 0; i < l.n; i++) {
        ck_assert_uint_eq(strlen(l.s[i]), i < 8 ? 1800 : 600);
        ck_assert_int_eq((unsigned char)l.s[i][0], 0xE7); /* starts on a lead byte */
    }
    S_list_free(&l);
    cnrs_buf_free(&b);
}
END_TEST

/* s repeated n times, then tail, into b (reset first). */
static void S_repeat(cnrs_buf *b, const char *s, int n, const char *tail)
{
    cnrs_buf_reset(b);
    for (int i = 0; i < n; i++)
        cnrs_buf_puts(b, s);
    cnrs_buf_puts(b, tail);
}

START_TEST(split_long_sentences_at_clauses)
{
    /* Over 600 characters: cut after the last ；/; in the second half of
     * the first 600, else ，/", ", else a space. Worked by hand: 80 "abcd "
     * are 400 characters, so the mark ends at character 404. */
    static const char *const mark[][3] = {
        {"end; ", "Scope, ", "end;"},   /* ';' wins over an earlier ", " */
        {"end, ", "Scope ", "end,"},    /* ", " wins over the spaces */
        {"end,000 ", "x ", NULL},       /* "1,000": not a clause mark */
    };
    cnrs_buf b = CNRS_BUF_INIT;
    for (size_t m = 0; m < sizeof mark / sizeof *mark; m++) {
        cnrs_buf_reset(&b);
        cnrs_buf_puts(&b, mark[m][1]); /* an early mark, in the first half */
        for (int i = 0; i < 79; i++)
            cnrs_buf_puts(&b, "abcd ");
        cnrs_buf_puts(&b, mark[m][0]);
        for (int i = 0; i < 80; i++)
            cnrs_buf_puts(&b, "efgh ");
        cnrs_buf_puts(&b, "done.");
        S_list l = S_split(b.data);
        ck_assert_uint_eq(l.n, 2);
        size_t first = strlen(l.s[0]);
        if (mark[m][2]) {
            ck_assert_uint_eq(first, strlen(mark[m][1]) + 79 * 5 + 4);
            ck_assert(strlen(l.s[0]) >= 4 && !strcmp(l.s[0] + first - 4, mark[m][2]));
        } else {
            ck_assert_uint_le(first, 600); /* the last space of the window */
            ck_assert_uint_ge(first, 596);
        }
        ck_assert_uint_le(strlen(l.s[1]), 600);
        S_list_free(&l);
    }
    /* Chinese: 250 "碳排" (500 characters), ，, 250 "减排": cut after ， */
    S_repeat(&b, "碳排", 250, "，");
    for (int i = 0; i < 250; i++)
        cnrs_buf_puts(&b, "减排");
    S_list l = S_split(b.data);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_uint_eq(strlen(l.s[0]), 501 * 3);
    ck_assert_uint_eq(strlen(l.s[1]), 500 * 3);
    S_list_free(&l);
    /* Exactly 600 characters stay one sentence; 601 do not. */
    S_repeat(&b, "abcd ", 119, "abcde");
    l = S_split(b.data);
    ck_assert_uint_eq(l.n, 1);
    S_list_free(&l);
    cnrs_buf_puts(&b, "f");
    l = S_split(b.data);
    ck_assert_uint_eq(l.n, 2);
    S_list_free(&l);
    cnrs_buf_free(&b);
}
END_TEST

START_TEST(split_cut_pieces_are_trimmed)
{
    /* tests/fuzz/regressions/segment/long-sentence-cut-keeps-space: the cut
     * at CNRS_MAX_SENTENCE_CHARS leaves no piece ending (or starting) with
     * a space. */
    cnrs_buf b = CNRS_BUF_INIT;
    S_repeat(&b, "a", CNRS_MAX_SENTENCE_CHARS - 1, " bbbb");
    S_list l;
    memset(&l, 0, sizeof l);
    l.base = b.data;
    cnrs_split_sentences(b.data, b.len, S_collect, &l);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_uint_eq(strlen(l.s[0]), CNRS_MAX_SENTENCE_CHARS - 1);
    ck_assert_str_eq(l.s[1], "bbbb");
    S_list_free(&l);
    cnrs_buf_free(&b);
}
END_TEST

/* `in` splits into exactly the sentences of want[] (NULL-terminated). */
static void S_splits_into(const char *in, const char *const *want)
{
    S_list l = S_split(in);
    size_t n = 0;
    while (want[n])
        n++;
    ck_assert_msg(l.n == n, "\"%s\": %zu sentences, want %zu", in, l.n, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(l.s[i], want[i]);
    S_list_free(&l);
}

START_TEST(split_joins_that_lost_their_space)
{
    /* A '.', '?' or '!' directly before a capitalised word ends the
     * sentence ("percent.Our"), but not in an abbreviation, a decimal,
     * "U.S." or "No.5". */
    S_splits_into("Emissions fell by 18 percent.Our target is 2030.Costs rose 5%.Why?Because it "
                  "pays!We act.",
                  (const char *const[]){"Emissions fell by 18 percent.", "Our target is 2030.",
                                        "Costs rose 5%.", "Why?", "Because it pays!", "We act.",
                                        NULL});
    const char *one = "The U.S.Steel plant, No.5 line and e.g.The annex use 3.71 MWh via "
                      "www.example.com and Ltd.Co.";
    S_splits_into(one, (const char *const[]){one, NULL});
}
END_TEST

START_TEST(split_at_separators_and_bullets)
{
    /* "|||" ends a sentence and is dropped; a bullet opens the next one;
     * one '|' is not a separator. */
    S_splits_into("Scope 1 fell|||Scope 2 rose || Scope 3 held",
                  (const char *const[]){"Scope 1 fell", "Scope 2 rose", "Scope 3 held", NULL});
    S_splits_into("• 我们的目标 ● 减少排放▪提高能效 \uF0B7 use solar | a cell",
                  (const char *const[]){"• 我们的目标", "● 减少排放", "▪提高能效",
                                        "\uF0B7 use solar | a cell", NULL});
    /* Not bullets: ○ (a zero in 二○二二年), · (a name's middle dot), quotes. */
    const char *one = "二○二二年，张·三说“好”";
    S_splits_into(one, (const char *const[]){one, NULL});
}
END_TEST

START_TEST(split_stops_found_at_every_offset)
{
    /* Stops are looked for sixteen bytes a test (with two bytes of
     * lookahead); each mark sits at every offset of that window, after
     * Chinese text and after ASCII. Column 2: whether it ends the
     * sentence (then the mark stays with the first, and the space, if
     * any, goes). */
    static const struct {
        const char *mark;
        int ends;
    } cases[] = {
        {"。", 1}, {"！", 1}, {"？", 1}, {"；", 1}, {"! ", 1}, {"? ", 1}, {". ", 1},
        {"，", 0}, {"、", 0}, {"：", 0}, {"\u3000", 0}, {"《", 0}, {"\uFF0E", 0}, {".", 0},
        {"\xE3\x80", 0}, {"\xEF\xBC", 0}, {"\xE3", 0}, {"\u2026", 0},
    };
    static const char tail[] = "Y文字文字文字文字文字文字yyyyyyyyyyyyyyyy";
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (int cjk = 0; cjk < 2; cjk++)
            for (int k = 0; k < 32; k++) {
                char head[128] = "中", text[256];
                for (int j = 0; j < k; j++)
                    strcat(head, cjk ? "中" : "x");
                snprintf(text, sizeof text, "%s%s%s", head, cases[i].mark, tail);
                S_list l = S_split(text);
                if (cases[i].ends) {
                    char first[160];
                    snprintf(first, sizeof first, "%s%.*s", head, (int)strcspn(cases[i].mark, " "),
                             cases[i].mark);
                    ck_assert_msg(l.n == 2 && !strcmp(l.s[0], first) && !strcmp(l.s[1], tail),
                                  "case %zu, %s, k %d: %zu sentences", i, cjk ? "cjk" : "ascii", k,
                                  l.n);
                } else {
                    ck_assert_msg(l.n == 1 && !strcmp(l.s[0], text),
                                  "case %zu, %s, k %d: %zu sentences", i, cjk ? "cjk" : "ascii", k,
                                  l.n);
                }
                S_list_free(&l);
            }
}
END_TEST

START_TEST(line_width_at_every_offset)
{
    /* Widths are summed sixteen bytes a test (with two bytes of lookahead);
     * each character sits at every offset of that window, after Chinese
     * text (中, width 2 each; 文字 after, 24) and after ASCII (x, 1 each;
     * y after, 32). Columns: its width there and there, prose punctuation.
     * A lead byte E3..E9 takes the next two bytes whatever they are. */
    static const struct {
        const char *s;
        int w_cjk, w_ascii, prose;
    } cases[] = {
        {"中", 2, 2, 0},           {"a", 1, 1, 0},          {" ", 1, 1, 0},
        {"\t", 1, 1, 0},          {"\u3000", 2, 2, 0},     {", ", 2, 2, 1},
        {",", 1, 1, 0},            {"，", 2, 2, 1},          {"；", 2, 2, 1},
        {"：", 2, 2, 1},           {"。", 2, 2, 1},          {"、", 2, 2, 1},
        {"！", 2, 2, 0},           {"（", 2, 2, 0},          {"\uFF59", 2, 2, 0},
        {"\uFF61", 2, 2, 0},      {"\uFFE5", 2, 2, 0},     {"\uFFF0", 1, 1, 0},
        {"“", 1, 1, 0},            {"\u00E9", 1, 1, 0},     {"\u1100", 2, 2, 0},
        {"\uAC00", 2, 2, 0},      {"\u0800", 1, 1, 0},     {"\U0001F600", 1, 1, 0},
        {"\U00020000", 2, 2, 0},  {"\uF900", 2, 2, 0},     {"\x80", 0, 0, 0},
        {"\xEF\xBC", 1, 1, 0},    {"\xE4\xB8", 0, 1, 0},   {"\xE3\x80", 0, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (int cjk = 0; cjk < 2; cjk++)
            for (int k = 0; k < 32; k++) {
                char text[256] = "中";
                for (int j = 0; j < k; j++)
                    strcat(text, cjk ? "中" : "x");
                strcat(text, cases[i].s);
                strcat(text, cjk ? "文字文字文字文字文字文字" : "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
                int prose = -1;
                int w = cnrs_line_width(text, strlen(text), &prose);
                int want = cjk ? 2 + 2 * k + cases[i].w_cjk + 24 : 2 + k + cases[i].w_ascii + 32;
                ck_assert_msg(w == want && prose == cases[i].prose,
                              "case %zu, %s, k %d: width %d (want %d), prose %d", i,
                              cjk ? "cjk" : "ascii", k, w, want, prose);
            }
    /* Blanks at the ends are not counted; a line of blanks is 0. */
    int prose;
    ck_assert_int_eq(cnrs_line_width(" \t中文 \u3000\u3000", strlen(" \t中文 \u3000\u3000"), &prose),
                     5);
    ck_assert_int_eq(cnrs_line_width("  \t ", 4, &prose), 0);
}
END_TEST

START_TEST(split_pathological_is_linear)
{
    /* Runs of dots and endless section-number-like text: each would be
     * quadratic if rescanned from every '.'. 2 MB each, under the timeout. */
    enum { N = 2 << 20 };
    char *s = cnrs_xmalloc(N + 1);
    memset(s, '.', N);
    s[N] = '\0';
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            for (size_t i = 0; i < N; i++)
                s[i] = "1. "[i % 3];
        size_t count = 0;
        cnrs_split_sentences(s, N, S_count, &count);
        /* cuts of 600 characters (no clause marks, or a space ending each
         * window), never shorter than half a window */
        ck_assert_uint_ge(count, N / CNRS_MAX_SENTENCE_CHARS);
        ck_assert_uint_le(count, N / (CNRS_MAX_SENTENCE_CHARS / 2) + 2);
    }
    free(s);
}
END_TEST

/* ---- joining wrapped lines ------------------------------------------------- */

START_TEST(join_cjk_lines_across_blank_lines)
{
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT,
                        "气候行动\n\n"
                        "本公司高度重视应对气候变化工作，二〇二一年度\n\n"
                        "温室气体排放总量为１２．５万吨二氧化碳当量，较\n\n"
                        "上年下降８％。其中，范围一直接排放为３．２万\n\n"
                        "吨，范围二间接排放为９．３万吨。我们将持续推\n\n"
                        "进节能降碳。\n");
    S_expect(d, "气候行动", CNRS_BLOCK_HEADING, 1); /* short, unpunctuated: a title */
    S_expect(d,
             "本公司高度重视应对气候变化工作，二〇二一年度温室气体排放总量为12.5万吨二氧化碳当量，"
             "较上年下降8%。",
             CNRS_BLOCK_BODY, 1);
    S_expect(d, "其中，范围一直接排放为3.2万吨，范围二间接排放为9.3万吨。", CNRS_BLOCK_BODY, 1);
    S_expect(d, "我们将持续推进节能降碳。", CNRS_BLOCK_BODY, 1);
    ck_assert_uint_eq(d->nsents, 4);
    ck_assert_uint_eq(d->nblocks, 2); /* the heading, one paragraph */
    ck_assert_int_eq(d->paged, 0);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(join_latin_lines_and_hyphens)
{
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT,
                        "Climate report\n\n"
                        "In 2021 the group cut its scope 1 and scope 2 emis-\n"
                        "sions to 3.71 Mt CO2e, approx. 8% below the 2020\n\n"
                        "level. Further cuts are planned, e.g. Solar power\n"
                        "purchases by Foo Co. Ltd. Across all sites.\n");
    S_expect(d, "Climate report", CNRS_BLOCK_HEADING, 1);
    S_expect(d,
             "In 2021 the group cut its scope 1 and scope 2 emissions to 3.71 Mt CO2e, approx. 8% "
             "below the 2020 level.",
             CNRS_BLOCK_BODY, 1);
    S_expect(d,
             "Further cuts are planned, e.g. Solar power purchases by Foo Co. Ltd. Across all "
             "sites.",
             CNRS_BLOCK_BODY, 1);
    ck_assert_uint_eq(d->nsents, 3);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(narrow_column_lines_join)
{
    /* A side box 13 characters wide inside a page of 24-character lines. */
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT,
                        "本报告披露示例能源集团在环境社会和治理方面的表现。\n\n"
                        "我们持续推进能源结构转型并加大清洁能源投入力度。\n\n"
                        "公司治理\n\n"
                        "我们建立了由董事会领导的气候\n\n"
                        "治理架构，明确各层级的职责，\n\n"
                        "并将减排目标纳入管理层考核。\n\n"
                        "标签一\n\n"
                        "标签二\n");
    S_expect(d,
             "我们建立了由董事会领导的气候治理架构，明确各层级的职责，并将减排目标纳入管理层考核。",
             CNRS_BLOCK_BODY, 1);
    S_expect(d, "公司治理", CNRS_BLOCK_HEADING, 1);
    S_expect(d, "标签一", CNRS_BLOCK_HEADING, 1);
    S_expect(d, "标签二", CNRS_BLOCK_HEADING, 1);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(list_items_not_joined)
{
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT,
                        "我们的减排举措覆盖运营和价值链的各个环节，包括\n"
                        "1. 提高数据中心能效并扩大可再生能源的使用比例\n"
                        "2. 推动物流车辆电动化改造并优化运输线路\n");
    S_expect(d, "我们的减排举措覆盖运营和价值链的各个环节，包括", CNRS_BLOCK_BODY, 1);
    S_expect(d, "1. 提高数据中心能效并扩大可再生能源的使用比例", CNRS_BLOCK_BODY, 1);
    S_expect(d, "2. 推动物流车辆电动化改造并优化运输线路", CNRS_BLOCK_BODY, 1);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(html_blocks_not_joined)
{
    cnrs_doc *d = S_seg("t.html", CNRS_FMT_HTML,
                        "<h2>2021 ESG 报告</h2><p>第一段没有句号但是很长很长很长很长很长</p>"
                        "<p>第二段也没有句号</p><table><tr><td>范围1</td><td>51.0万吨</td></tr>"
                        "</table>");
    S_expect(d, "2021 ESG 报告", CNRS_BLOCK_HEADING, 1);
    S_expect(d, "第一段没有句号但是很长很长很长很长很长", CNRS_BLOCK_BODY, 1);
    S_expect(d, "第二段也没有句号", CNRS_BLOCK_BODY, 1);
    S_expect(d, "范围1 | 51.0万吨", CNRS_BLOCK_TABLE_ROW, 1);
    ck_assert_uint_eq(d->nsents, 4);
    cnrs_doc_free(d);
}
END_TEST

/* ---- layout classes ---------------------------------------------------------- */

static const char S_BODY[] = "本公司高度重视应对气候变化工作，二〇二一年度\n\n"
                             "温室气体排放总量为１２．５万吨二氧化碳当量，较\n\n"
                             "上年下降８％。其中，范围一直接排放为３．２万\n\n"
                             "吨，范围二间接排放为９．３万吨。我们将持续推\n\n"
                             "进节能降碳。\n\n";

START_TEST(toc_region_and_dot_leaders)
{
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_puts(&b, "目  录\n"
                      "关于本报告\n"
                      "董事长致辞\n"
                      "一、公司治理……………………12\n"
                      "二、环境责任 ........ 25\n\n");
    cnrs_buf_puts(&b, S_BODY);
    cnrs_buf_puts(&b, "第三章 社会责任……45\n"
                      "About this report . . . . . . 3\n"
                      "关于本报告\t3\n"
                      "2020年排放总量\t\t951\n");
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT, b.data);
    S_expect(d, "目录", CNRS_BLOCK_TOC, 1);
    ck_assert_int_eq(S_kind_of(d, "目录"), CNRS_BLOCK_TOC);
    S_expect(d, "关于本报告", CNRS_BLOCK_TOC, 1);
    S_expect(d, "董事长致辞", CNRS_BLOCK_TOC, 1);
    S_expect(d, "一、公司治理……………………12", CNRS_BLOCK_TOC, 1);
    S_expect(d, "二、环境责任 ........ 25", CNRS_BLOCK_TOC, 1);
    /* The first body paragraph ends the contents region. */
    S_expect(d, "其中，范围一直接排放为3.2万吨，范围二间接排放为9.3万吨。", CNRS_BLOCK_BODY, 1);
    /* Contents-shaped lines outside the region. */
    S_expect(d, "第三章社会责任……45", CNRS_BLOCK_TOC, 1);
    S_expect(d, "About this report . . . . . . 3", CNRS_BLOCK_TOC, 1);
    ck_assert_int_eq(S_kind_of(d, "关于本报告3"), CNRS_BLOCK_TOC);
    /* A data row with a year in its label is not a contents entry. */
    ck_assert_int_eq(S_kind_of(d, "2020年排放总量 | 951"), CNRS_BLOCK_TABLE_ROW);
    cnrs_doc_free(d);
    cnrs_buf_free(&b);
}
END_TEST

/* A "Contents" link printed on every page (Poste Italiane 2017, as text) is
 * navigation: it opens no contents region, so the data table after it
 * stays a table, while a report's one contents heading still opens one. */
START_TEST(toc_heading_on_every_page)
{
    cnrs_buf b = CNRS_BUF_INIT;
    for (int k = 0; k < 3; k++) {
        cnrs_buf_puts(&b, "Contents\n");
        cnrs_buf_puts(&b, S_BODY);
    }
    cnrs_buf_puts(&b, "Contents\n"
                      "Total CO2 emissions of the Group\tU.m.\t2016\t2017\n"
                      "Direct emissions - Scope 1\tton\t180,797\t193,774\n");
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT, b.data);
    S_expect(d, "Direct emissions - Scope 1 | ton | 180,797 | 193,774", CNRS_BLOCK_TABLE_ROW, 0);
    ck_assert_int_eq(S_kind_of(d, "Contents"), CNRS_BLOCK_FURNITURE);
    cnrs_doc_free(d);
    cnrs_buf_free(&b);

    /* printed twice (目录 and Contents, say), it is still the heading */
    cnrs_buf_puts(&b, "Contents\n"
                      "Direct emissions - Scope 1\tton\t180,797\t193,774\n");
    cnrs_buf_puts(&b, S_BODY);
    cnrs_buf_puts(&b, "Contents\n");
    d = S_seg("t.txt", CNRS_FMT_TEXT, b.data);
    S_expect(d, "Direct emissions - Scope 1 | ton | 180,797 | 193,774", CNRS_BLOCK_TOC, 0);
    ck_assert_int_eq(S_kind_of(d, "Contents"), CNRS_BLOCK_TOC);
    cnrs_doc_free(d);
    cnrs_buf_free(&b);
}
END_TEST

START_TEST(index_region_and_codes)
{
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_puts(&b, S_BODY);
    cnrs_buf_puts(&b, "GRI 305-1 直接温室气体排放\n\n");
    cnrs_buf_puts(&b, S_BODY);
    cnrs_buf_puts(&b, "GRI内容索引\n"
                      "组织名称 关于本报告 3\n"
                      "305-2 能源间接温室气体排放 28\n"
                      "本报告的编制参考了全球报告倡议组织标准。\n");
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT, b.data);
    S_expect(d, "GRI 305-1直接温室气体排放", CNRS_BLOCK_INDEX, 1);
    S_expect(d, "我们将持续推进节能降碳。", CNRS_BLOCK_BODY, 1);
    S_expect(d, "GRI内容索引", CNRS_BLOCK_INDEX, 1);
    S_expect(d, "组织名称关于本报告3", CNRS_BLOCK_INDEX, 1);
    S_expect(d, "305-2能源间接温室气体排放28", CNRS_BLOCK_INDEX, 1);
    S_expect(d, "本报告的编制参考了全球报告倡议组织标准。", CNRS_BLOCK_INDEX, 1);
    cnrs_doc_free(d);
    cnrs_buf_free(&b);

    /* An index heading early in an unpaged file (a contents line) does not
     * swallow the body. */
    cnrs_buf_puts(&b, "ESG指标索引\n\n");
    cnrs_buf_puts(&b, S_BODY);
    cnrs_buf_puts(&b, S_BODY);
    d = S_seg("t.txt", CNRS_FMT_TEXT, b.data);
    S_expect(d, "我们将持续推进节能降碳。", CNRS_BLOCK_BODY, 1);
    cnrs_doc_free(d);
    cnrs_buf_free(&b);

    /* Paged: the index runs to the end of its page only. */
    d = S_seg("t.txt", CNRS_FMT_TEXT,
              "第一页正文内容。\f"
              "ESG指标索引\nA1.1 排放物种类 12\n环境 排放 12\f"
              "第三页正文内容。\f第四页正文内容。\n");
    S_expect(d, "第一页正文内容。", CNRS_BLOCK_BODY, 1);
    S_expect(d, "ESG指标索引", CNRS_BLOCK_INDEX, 2);
    S_expect(d, "A1.1排放物种类12", CNRS_BLOCK_INDEX, 2);
    S_expect(d, "环境排放12", CNRS_BLOCK_INDEX, 2);
    S_expect(d, "第三页正文内容。", CNRS_BLOCK_BODY, 3);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(standalone_titles_are_headings)
{
    /* Short lines without a sentence end or figures are titles; labels with
     * figures and short full sentences stay body text. */
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT,
                        "应对气候变化\n\n"
                        "公司参照国际框架开展气候风险识别工作，并持续完善应对措施，提升韧性。\n\n"
                        "3.2 环境管理体系\n\n"
                        "公司所有生产基地均已通过环境管理体系认证，并每年接受外部监督审核。\n\n"
                        "2.45万吨\n\n"
                        "第三章 绿色运营\n\n"
                        "公司推行无纸化办公和视频会议，持续降低办公用电和用纸，倡导绿色出行。\n\n"
                        "公司坚持绿色发展。\n");
    S_expect(d, "应对气候变化", CNRS_BLOCK_HEADING, 1);
    S_expect(d, "3.2环境管理体系", CNRS_BLOCK_HEADING, 1); /* normalised: no space before CJK */
    S_expect(d, "第三章绿色运营", CNRS_BLOCK_HEADING, 1);
    S_expect(d, "2.45万吨", CNRS_BLOCK_BODY, 1);
    S_expect(d, "公司坚持绿色发展。", CNRS_BLOCK_BODY, 1);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(page_numbers_are_furniture)
{
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT,
                        "正文第一句。\n12\n- 13 -\n第 14 页\nPage 15 of 80\n3 / 45\n"
                        "2020年\n12.5\n正文第二句。\n");
    ck_assert_int_eq(S_kind_of(d, "12"), CNRS_BLOCK_FURNITURE);
    ck_assert_int_eq(S_kind_of(d, "- 13 -"), CNRS_BLOCK_FURNITURE);
    ck_assert_int_eq(S_kind_of(d, "第14页"), CNRS_BLOCK_FURNITURE);
    ck_assert_int_eq(S_kind_of(d, "Page 15 of 80"), CNRS_BLOCK_FURNITURE);
    ck_assert_int_eq(S_kind_of(d, "3 / 45"), CNRS_BLOCK_FURNITURE);
    S_expect(d, "2020年", CNRS_BLOCK_BODY, 1);
    S_expect(d, "12.5", CNRS_BLOCK_BODY, 1);
    ck_assert_uint_eq(d->nsents, 4); /* furniture yields no sentences */
    cnrs_doc_free(d);
}
END_TEST

START_TEST(table_rows_from_text)
{
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT,
                        "指标\t2020年\t2021年\n"
                        "范围一排放（万吨）  ５１．０  ４８．２\n"
                        "摘  要\n");
    S_expect(d, "指标 | 2020年 | 2021年", CNRS_BLOCK_TABLE_ROW, 1);
    S_expect(d, "范围一排放(万吨) | 51.0 | 48.2", CNRS_BLOCK_TABLE_ROW, 1);
    /* Letter-spaced headings are not tables. */
    S_expect(d, "摘要", CNRS_BLOCK_HEADING, 1); /* a title, not a table row */
    ck_assert_uint_eq(d->nsents, 3);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(table_gaps_found_at_every_offset_of_sixteen)
{
    /* Cell gaps are found sixteen bytes a test (with two bytes of
     * lookahead; the portable loop takes eight); every kind of gap at every
     * offset of that window. */
    static const char *const gaps[] = {"\t",           "  ",       "   ",
                                       "\u3000\u3000", "\xC2\xA0 ", " \u3000",
                                       "\xC2\xA0\xC2\xA0"};
    static const char *const fill[] = {"项", "x"};
    for (size_t g = 0; g < sizeof gaps / sizeof *gaps; g++)
        for (size_t f = 0; f < sizeof fill / sizeof *fill; f++)
            for (int k = 0; k < 32; k++) {
                char cell[160] = "指标", text[320], want[320];
                for (int j = 0; j < k; j++)
                    strcat(cell, fill[f]);
                snprintf(text, sizeof text, "%s%s2020年%s2021年\n", cell, gaps[g], gaps[g]);
                snprintf(want, sizeof want, "%s | 2020年 | 2021年", cell);
                cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT, text);
                S_expect(d, want, CNRS_BLOCK_TABLE_ROW, 1);
                cnrs_doc_free(d);
            }
}
END_TEST

START_TEST(heading_digits_found_at_every_offset)
{
    /* A short line is a heading unless it holds a figure; its bytes are
     * tested sixteen at a time, so the digit goes to every offset. */
    for (int a = 0; a < 10; a++)
        for (int b = 0; b < 3; b++)
            for (int digit = 0; digit < 2; digit++) {
                char line[96] = "";
                for (int j = 0; j < a; j++)
                    strcat(line, "中");
                for (int j = 0; j < b; j++)
                    strcat(line, "x");
                char ch[2] = {(char)(digit ? '0' + (3 * a + b) % 10 : 'z'), '\0'};
                strcat(line, ch);
                strcat(line, "文字文字");
                char text[100];
                snprintf(text, sizeof text, "%s\n", line);
                cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT, text);
                ck_assert_msg(S_kind_of(d, line) == (digit ? CNRS_BLOCK_BODY : CNRS_BLOCK_HEADING),
                              "\"%s\" is %s", line, cnrs_block_kind_name(S_kind_of(d, line)));
                cnrs_doc_free(d);
            }
}
END_TEST

/* Four form-feed pages with a running header, varying page-number footers,
 * and a paragraph that runs from page 2 onto page 3 mid-sentence. */
static const char S_PAGED[] = "示例能源集团2021年可持续发展报告\n\n"
                              "本报告披露示例能源集团在环境社会和治理方面表现。\n\n"
                              "1\n"
                              "\f示例能源集团2021年可持续发展报告\n\n"
                              "我们持续推进能源结构转型并加大清洁能源投入力度，\n\n"
                              "全年新增光伏装机容量达到一百二十兆瓦，预计每年\n\n"
                              "- 2 -\n"
                              "\f示例能源集团2021年可持续发展报告\n"
                              "可减少二氧化碳排放约十万吨。同时我们启动了储能\n\n"
                              "示范项目建设，计划于二〇二三年底前全面投入运营。\n"
                              "第3页\n"
                              "\f示例能源集团2021年可持续发展报告\n"
                              "未来我们将继续完善气候风险管理体系并定期披露。\n"
                              "Page 4\n";

START_TEST(running_headers_and_pages)
{
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT, S_PAGED);
    ck_assert_int_eq(d->paged, 1);
    ck_assert_int_eq(d->npages, 4);
    size_t furniture = 0;
    for (size_t i = 0; i < d->nblocks; i++)
        furniture += d->blocks[i].kind == CNRS_BLOCK_FURNITURE;
    ck_assert_uint_eq(furniture, 8); /* 4 headers, 4 page numbers */
    ck_assert(!S_any_sentence_has(d, "可持续发展报告"));
    S_expect(d, "本报告披露示例能源集团在环境社会和治理方面表现。", CNRS_BLOCK_BODY, 1);
    /* Starts on page 2, ends on page 3: the page it started on. */
    S_expect(
        d,
        "我们持续推进能源结构转型并加大清洁能源投入力度，全年新增光伏装机容量达到一百二十兆瓦，"
        "预计每年可减少二氧化碳排放约十万吨。",
        CNRS_BLOCK_BODY, 2);
    /* Same paragraph, but this sentence starts on page 3. */
    S_expect(d, "同时我们启动了储能示范项目建设，计划于二〇二三年底前全面投入运营。",
             CNRS_BLOCK_BODY, 3);
    S_expect(d, "未来我们将继续完善气候风险管理体系并定期披露。", CNRS_BLOCK_BODY, 4);
    ck_assert_uint_eq(d->nsents, 4);
    const cnrs_block *para =
        S_block(d, "我们持续推进能源结构转型并加大清洁能源投入力度，全年新增光伏"
                   "装机容量达到一百二十兆瓦，预计每年可减少二氧化碳排放约十万吨。"
                   "同时我们启动了储能示范项目建设，计划于二〇二三年底前全面投入"
                   "运营。");
    ck_assert_ptr_nonnull(para);
    ck_assert_int_eq(para->page, 2);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(few_pages_no_running_headers)
{
    /* With two pages a repeated first line is not taken for a header. */
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT,
                        "重复的标题行\n第一页正文内容比较长，用来确定典型的行宽。\f"
                        "重复的标题行\n第二页正文。\n");
    ck_assert_int_eq(d->npages, 2);
    const cnrs_sentence *s = S_sent(d, "重复的标题行");
    ck_assert_ptr_nonnull(s);
    ck_assert_int_ne(s->kind, CNRS_BLOCK_FURNITURE); /* kept: a title, not a running header */
    S_expect(d, "第二页正文。", CNRS_BLOCK_BODY, 2);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(segment_without_text)
{
    cnrs_doc *d = cnrs_doc_new("none", CNRS_FMT_TEXT);
    cnrs_segment(d);
    ck_assert_uint_eq(d->nsents, 0);
    ck_assert_uint_eq(d->nblocks, 0);
    ck_assert_ptr_nonnull(d->text);
    ck_assert_uint_eq(d->text_len, 0);
    cnrs_doc_free(d);
}
END_TEST

/* ---- seeds --------------------------------------------------------------------- */

static cnrs_doc *S_seed(const char *prefix)
{
    char path[512];
    const char *names[] = {"000_11261e577ebf9dd0.txt", "001_90c452405eb75d1a.txt",
                           "002_f14ea4ac132f2bb9.txt", "003_2a10e3e7465fa022.txt",
                           "004_27732c5a78de64b6.txt"};
    for (size_t i = 0; i < 5; i++)
        if (!strncmp(names[i], prefix, 3))
            snprintf(path, sizeof path, "%s/%s", cnrs_test_seeds(), names[i]);
    cnrs_doc *d = NULL;
    cnrs_error err;
    cnrs_status st = cnrs_ingest_file(path, NULL, &d, &err);
    ck_assert_msg(st == CNRS_OK, "%s", err.msg);
    cnrs_segment(d);
    S_check_invariants(d);
    return d;
}

START_TEST(seed_001_inventory_sentences)
{
    cnrs_doc *d = S_seed("001");
    S_expect(d, "2020年，阿里巴巴总温室气体排放为951.4万吨。", CNRS_BLOCK_BODY, 1);
    S_expect(d,
             "其中，阿里巴巴实体控制范围之内的直接温室气体排放(即范围1)为51.0万吨，包括固定源燃烧"
             "(使用燃油锅炉等)、逸散性排放(使用门店制冷设备中产生逸散等)、移动源排放(使用自有燃油车"
             "辆等)。",
             CNRS_BLOCK_BODY, 1);
    ck_assert(S_any_sentence_has(d, "即范围2)温室气体排放为371.0万吨"));
    cnrs_doc_free(d);
}
END_TEST

START_TEST(seed_002_spaces_and_all_seeds_segment)
{
    cnrs_doc *d = S_seed("002");
    ck_assert(S_any_sentence_has(d, "截至2017年1月底，累计已避免的碳排放量估计达到15万吨"));
    cnrs_doc_free(d);
    const char *all[] = {"000", "001", "002", "003", "004"};
    for (size_t i = 0; i < 5; i++) {
        d = S_seed(all[i]);
        ck_assert_uint_gt(d->nsents, 50);
        cnrs_doc_free(d);
    }
    d = S_seed("000");
    ck_assert(S_any_sentence_has(d, "to achieve carbon neutrality within the enterprises"));
    cnrs_doc_free(d);
}
END_TEST

/* ---- heading paths ----------------------------------------------------------- */

/* Assert the first sentence that begins with s lies under the heading path
 * `path` ("" for none). */
static void S_expect_path(const cnrs_doc *d, const char *s, const char *path)
{
    const cnrs_sentence *x = NULL;
    for (size_t i = 0; i < d->nsents && !x; i++)
        if (d->sents[i].len >= strlen(s) && !memcmp(d->text + d->sents[i].off, s, strlen(s)))
            x = &d->sents[i];
    ck_assert_msg(x != NULL, "no sentence \"%s\"", s);
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_doc_section_path(d, x->section, &b);
    ck_assert_msg(b.len == strlen(path) && !memcmp(b.data ? b.data : "", path, b.len),
                  "\"%s\" under \"%s\", expected \"%s\"", s, b.data ? b.data : "", path);
    cnrs_buf_free(&b);
}

START_TEST(html_heading_paths)
{
    /* h1 > h2 > h3 nest; a sibling replaces its predecessor; a shallower
     * heading after deeper ones closes them; a skipped level (h1, h3) nests
     * directly; a heading without a letter leaves the path alone. */
    const char *html =
        "<html><body><p>前言。</p>"
        "<h1>环境责任</h1><p>总述。</p>"
        "<h2>应对气候变化</h2><p>气候。</p>"
        "<h3>温室气体排放</h3><p>排放。</p>"
        "<h3>能源管理</h3><p>能源。</p>"
        "<h2>污染防治</h2><p>污染。</p>"
        "<h1>社会责任</h1><h3>员工</h3><p>员工。</p>"
        "<h2>社区</h2><p>社区。</p><h2>95%</h2><p>仍是社区。</p>"
        "</body></html>";
    cnrs_doc *d = S_seg("h.html", CNRS_FMT_HTML, html);
    S_expect_path(d, "前言。", "");
    S_expect_path(d, "环境责任", "环境责任");
    S_expect_path(d, "总述。", "环境责任");
    S_expect_path(d, "气候。", "环境责任 > 应对气候变化");
    S_expect_path(d, "排放。", "环境责任 > 应对气候变化 > 温室气体排放");
    S_expect_path(d, "能源。", "环境责任 > 应对气候变化 > 能源管理");
    S_expect_path(d, "污染。", "环境责任 > 污染防治");
    S_expect_path(d, "员工。", "社会责任 > 员工");
    S_expect_path(d, "社区。", "社会责任 > 社区");
    S_expect_path(d, "仍是社区。", "社会责任 > 社区");
    ck_assert_uint_eq(d->nsections, 8);
    ck_assert_uint_eq(d->sections[0].level, 1);
    ck_assert_uint_eq(d->sections[2].level, 3);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(text_numbered_heading_paths)
{
    /* Levels from numbering: 第三章 1, 一、 2, （一） 3, "1." 4, "1.1" 5;
     * （二） closes "1." and "1.1", 二、 closes （二）. */
    const char *t =
        "第三章 环境责任\n\n"
        "一、应对气候变化\n\n"
        "（一）温室气体排放\n\n"
        "公司2022年温室气体排放总量为12.5万吨二氧化碳当量，同比下降5%，其中范围一排放5.1万吨。\n\n"
        "1. 范围一排放\n\n"
        "公司的范围一排放主要来自燃料燃烧和工艺过程，公司通过燃料替代持续降低直接排放。\n\n"
        "1.1 直接燃烧\n\n"
        "公司的锅炉和窑炉燃烧天然气和煤炭，本年度完成两台燃煤锅炉的清洁能源替代改造。\n\n"
        "（二）能源管理\n\n"
        "公司推进节能改造，建立能源管理体系并通过认证，持续提升能源利用效率和管理水平。\n\n"
        "二、污染防治\n\n"
        "公司严格控制废水、废气和固体废物的排放，所有排放口均安装在线监测设备并联网。\n";
    cnrs_doc *d = S_seg("t.txt", CNRS_FMT_TEXT, t);
    const char *ghg = "第三章环境责任 > 一、应对气候变化 > (一)温室气体排放";
    S_expect(d, "(一)温室气体排放", CNRS_BLOCK_HEADING, 0);
    S_expect_path(d, "公司2022年温室气体排放总量为12.5万吨二氧化碳当量，", ghg);
    cnrs_buf want = CNRS_BUF_INIT;
    cnrs_buf_printf(&want, "%s > 1. 范围一排放", ghg);
    S_expect_path(d, "公司的范围一排放主要来自燃料燃烧和工艺过程，", want.data);
    cnrs_buf_puts(&want, " > 1.1直接燃烧");
    S_expect_path(d, "公司的锅炉和窑炉燃烧天然气和煤炭，", want.data);
    cnrs_buf_free(&want);
    S_expect_path(d, "公司推进节能改造，", "第三章环境责任 > 一、应对气候变化 > (二)能源管理");
    S_expect_path(d, "公司严格控制废水、废气和固体废物的排放，", "第三章环境责任 > 二、污染防治");
    cnrs_doc_free(d);

    /* 第…节 2 under 第…章 1; (1) 5 and ① 6 nest; an unnumbered title is
     * level 1 and closes everything. ("（1）" with full-width brackets is
     * no title in text: its digit makes it data, S_heading_like.) */
    t = "第一章 治理\n\n"
        "第二节 气候治理\n\n"
        "(1) 董事会监督\n\n"
        "董事会每年审议气候相关风险与机遇，并听取管理层关于减排目标进展的专题汇报和建议。\n\n"
        "① 风险识别\n\n"
        "公司每年开展气候风险识别与评估工作，覆盖全部生产基地和主要供应商的运营场所。\n\n"
        "附录\n\n"
        "本报告数据来源于公司内部统计系统和第三方核查机构出具的核查报告及其他公开资料。\n";
    d = S_seg("t2.txt", CNRS_FMT_TEXT, t);
    S_expect_path(d, "董事会每年审议", "第一章治理 > 第二节气候治理 > (1)董事会监督");
    S_expect_path(d, "公司每年开展", "第一章治理 > 第二节气候治理 > (1)董事会监督 > ① 风险识别");
    S_expect_path(d, "本报告数据来源", "附录");
    cnrs_doc_free(d);
}
END_TEST

Suite *cnrs_suite_segment(void);
Suite *cnrs_suite_segment(void)
{
    Suite *s = suite_create("segment");
    TCase *tc = tcase_create("split");
    tcase_add_test(tc, split_english_decimals);
    tcase_add_test(tc, split_english_abbreviations);
    tcase_add_test(tc, split_english_marks_and_numbers);
    tcase_add_test(tc, split_chinese);
    tcase_add_test(tc, split_trims_and_drops_empty);
    tcase_add_test(tc, split_caps_long_sentences);
    tcase_add_test(tc, split_cut_pieces_are_trimmed);
    tcase_add_test(tc, split_long_sentences_at_clauses);
    tcase_add_test(tc, split_joins_that_lost_their_space);
    tcase_add_test(tc, split_at_separators_and_bullets);
    tcase_add_test(tc, split_pathological_is_linear);
    tcase_add_test(tc, split_stops_found_at_every_offset);
    tcase_add_test(tc, line_width_at_every_offset);
    suite_add_tcase(s, tc);

    tc = tcase_create("join");
    tcase_add_test(tc, join_cjk_lines_across_blank_lines);
    tcase_add_test(tc, join_latin_lines_and_hyphens);
    tcase_add_test(tc, narrow_column_lines_join);
    tcase_add_test(tc, list_items_not_joined);
    tcase_add_test(tc, html_blocks_not_joined);
    suite_add_tcase(s, tc);

    tc = tcase_create("layout");
    tcase_add_test(tc, toc_region_and_dot_leaders);
    tcase_add_test(tc, toc_heading_on_every_page);
    tcase_add_test(tc, index_region_and_codes);
    tcase_add_test(tc, page_numbers_are_furniture);
    tcase_add_test(tc, standalone_titles_are_headings);
    tcase_add_test(tc, table_rows_from_text);
    tcase_add_test(tc, table_gaps_found_at_every_offset_of_sixteen);
    tcase_add_test(tc, heading_digits_found_at_every_offset);
    tcase_add_test(tc, running_headers_and_pages);
    tcase_add_test(tc, few_pages_no_running_headers);
    tcase_add_test(tc, segment_without_text);
    suite_add_tcase(s, tc);

    tc = tcase_create("sections");
    tcase_add_test(tc, html_heading_paths);
    tcase_add_test(tc, text_numbered_heading_paths);
    suite_add_tcase(s, tc);

    tc = tcase_create("seeds");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, seed_001_inventory_sentences);
    tcase_add_test(tc, seed_002_spaces_and_all_seeds_segment);
    suite_add_tcase(s, tc);
    return s;
}
