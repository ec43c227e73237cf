/* test_layout.c - the layout repair on hand-placed text pieces: lines,
 * columns, tables, furniture, headings, contents and index pages,
 * paragraphs. Coordinates are pdftohtml's (1.5 px per pt, A4 = 892 x 1263);
 * pieces are 16 px high, CJK characters 16 px and other characters 8 px wide. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "layout.h"
#include "segment.h"
#include "util.h"

static cnrs_layout *S_L;
static cnrs_doc *S_doc;

static void S_setup(void)
{
    S_L = cnrs_layout_new();
    S_doc = cnrs_doc_new("layout-test", CNRS_FMT_PDF);
}

static void S_teardown(void)
{
    cnrs_layout_free(S_L);
    cnrs_doc_free(S_doc);
}

/* Width at `size`: CJK (3-byte UTF-8 leads) one em, other characters half. */
static double S_w(const char *t, double size)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        w += *p >= 0xE0 ? size : size / 2;
    }
    return w;
}

static void S_put_sz(double x, double y, double size, const char *t)
{
    cnrs_layout_piece(S_L, x, y, S_w(t, size), size, size, 0, t, strlen(t));
}

static void S_put(double x, double y, const char *t)
{
    S_put_sz(x, y, 16, t);
}

static void S_page(int n)
{
    cnrs_layout_page(S_L, n, 892, 1263);
}

/* prefix followed by `ch` until the text holds n characters (static ring
 * of buffers so a test can hold several). */
static const char *S_fill(const char *prefix, const char *ch, int n, const char *suffix)
{
    static char ring[16][512];
    static int k;
    char *b = ring[k++ % 16];
    int chars = 0;
    b[0] = '\0';
    strcat(b, prefix);
    for (const unsigned char *p = (const unsigned char *)prefix; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    int sfx = 0;
    for (const unsigned char *p = (const unsigned char *)suffix; *p; p++)
        sfx += (*p & 0xC0) != 0x80;
    while (chars < n - sfx) {
        strcat(b, ch);
        chars++;
    }
    strcat(b, suffix);
    return b;
}

static size_t S_finish(void)
{
    return cnrs_layout_finish(S_L, S_doc);
}

static const char *S_raw(size_t i)
{
    static char buf[2048];
    const cnrs_raw_block *b = &S_doc->raw_blocks[i];
    size_t n = b->len < sizeof buf - 1 ? b->len : sizeof buf - 1;
    memcpy(buf, S_doc->raw + b->off, n);
    buf[n] = '\0';
    return buf;
}

/* Index of the raw block whose text is exactly t; fails the test if none. */
static size_t S_at(const char *t)
{
    for (size_t i = 0; i < S_doc->n_raw; i++)
        if (S_doc->raw_blocks[i].kind != CNRS_BLOCK_BREAK && !strcmp(S_raw(i), t))
            return i;
    ck_abort_msg("no raw block \"%s\"", t);
    return 0;
}

static cnrs_block_kind S_kind(const char *t)
{
    return S_doc->raw_blocks[S_at(t)].kind;
}

static int S_page_of(const char *t)
{
    return S_doc->raw_blocks[S_at(t)].page;
}

/* 1 if a BREAK lies between raw blocks a < b. */
static int S_break_between(size_t a, size_t b)
{
    ck_assert_uint_lt(a, b);
    for (size_t i = a + 1; i < b; i++)
        if (S_doc->raw_blocks[i].kind == CNRS_BLOCK_BREAK)
            return 1;
    return 0;
}

static int S_has_text(const char *needle)
{
    for (size_t i = 0; i < S_doc->n_raw; i++)
        if (strstr(S_raw(i), needle))
            return 1;
    return 0;
}

/* ---- lines ---------------------------------------------------------------- */

START_TEST(pieces_merge_into_lines)
{
    S_page(1);
    S_put(100, 100, "CO");
    S_put_sz(116, 108, 10, "2");  /* subscript, lower and smaller */
    S_put(121, 100, "排放总量");  /* next font, no gap */
    S_put(100, 200, "Scope");     /* ends at 140 */
    S_put(145, 200, "emissions"); /* a word gap: a space */
    S_put(100, 300, "公司");      /* ends at 132 */
    S_put(140, 300, "推进");      /* a gap between CJK: no space */
    S_put(100, 400, "重复文字");
    S_put(100.5, 400.2, "重复文字"); /* drawn twice for a bold look */
    S_put(100, 500, "左边");
    S_put(400, 500, "右边");                                    /* far apart: two cells */
    cnrs_layout_piece(S_L, 100, 600, 50, 16, 16, 0, " \t ", 3); /* blank: ignored */
    ck_assert_uint_eq(S_finish(), 11);
    ck_assert_int_eq(S_kind("CO2排放总量"), CNRS_BLOCK_BODY);
    ck_assert_int_eq(S_kind("Scope emissions"), CNRS_BLOCK_BODY);
    ck_assert_int_eq(S_kind("公司推进"), CNRS_BLOCK_BODY);
    ck_assert_int_eq(S_kind("重复文字"), CNRS_BLOCK_BODY);
    ck_assert_int_eq(S_kind("左边 | 右边"), CNRS_BLOCK_TABLE_ROW);
    ck_assert(!S_has_text("重复文字重复文字"));
    ck_assert_int_eq(S_doc->paged, 1);
    ck_assert_int_eq(S_doc->npages, 1);
}
END_TEST

/* PDF text drops the spaces around numbers ("In2020", "Scope1and2"): the
 * words are apart by position only. Worked by hand at height 16: a 2-unit
 * gap (0.125 of the height) between a letter and a digit is a word space, a
 * 1-unit one (pdftohtml's whole pixels) or a touching subscript is not; a
 * blank pdftohtml keeps inside a box ("were " then "31") is one. */
START_TEST(spaces_around_numbers_from_positions)
{
    const char *want = "Our Scope 1 and 2 emissions were 428,000 tCO2e in 2022.";
    S_page(1);
    /* narrow gaps, words in their own pieces */
    double x = 100;
    static const char *const words[] = {"Our", "Scope", "1", "and", "2", "emissions", "were",
                                        "428,000", "tCO"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        S_put(x, 100, words[i]);
        x += S_w(words[i], 16) + (i + 1 < sizeof words / sizeof *words ? 4 : 0);
        if (i == 1 || i == 2 || i == 3)
            x -= 2; /* letter-digit gaps of 2: below the 0.15 of any gap */
    }
    S_put_sz(x, 108, 10, "2"); /* subscript touching */
    x += 5 + 1;                /* a 1-unit gap: rounding, not a space */
    S_put(x, 100, "e");
    x += 8 + 4;
    S_put(x, 100, "in");
    x += 16 + 2;
    S_put(x, 100, "2022.");
    /* pdftohtml's pieces: blanks inside the boxes, the boxes touching */
    static const char *const pieces[] = {"Our Scope ", "1", " and ", "2",
                                         " emissions were 428,000 tCO", "2", "e in ", "2022."};
    x = 100;
    for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++) {
        int sub = i == 5;
        S_put_sz(x, sub ? 308 : 300, sub ? 10 : 16, pieces[i]);
        x += S_w(pieces[i], sub ? 10 : 16);
    }
    S_finish();
    int same = 0;
    for (size_t i = 0; i < S_doc->n_raw; i++)
        if (S_doc->raw_blocks[i].kind != CNRS_BLOCK_BREAK) {
            ck_assert_str_eq(S_raw(i), want); /* the same text classifies the same */
            same++;
        }
    ck_assert_int_eq(same, 2);
}
END_TEST

START_TEST(white_space_collapses)
{
    S_page(3);
    const char *t = "  Net   zero\tby\n2050  ";
    cnrs_layout_piece(S_L, 100, 100, 200, 16, 16, 0, t, strlen(t));
    S_finish();
    ck_assert_int_eq(S_page_of("Net zero by 2050"), 3);
}
END_TEST

/* ---- columns ---------------------------------------------------------------- */

START_TEST(two_columns_read_left_then_right)
{
    S_page(1);
    S_put_sz(100, 80, 24, "三、绿色转型");
    S_put(100, 130, S_fill("全宽导言", "导", 40, "。")); /* 100..740: spans the gutter */
    const char *L[4], *R[4];
    L[0] = S_fill("左一", "文", 18, "");
    L[1] = S_fill("左二", "文", 18, "");
    L[2] = S_fill("左三", "文", 18, "");
    L[3] = S_fill("左四", "文", 18, ""); /* no sentence end: runs on into the right column */
    R[0] = S_fill("右一", "字", 18, "");
    R[1] = S_fill("右二", "字", 18, "");
    R[2] = S_fill("右三", "字", 18, "");
    R[3] = S_fill("右四", "字", 17, "。");
    for (int r = 0; r < 4; r++) {
        S_put(100, 170 + 27 * r, L[r]);     /* 100..388 */
        S_put(420, 170 + 27 * r + 1, R[r]); /* 420..708, baselines a pixel apart */
    }
    S_put(100, 290, S_fill("全宽结语", "结", 40, "。"));
    S_finish();
    size_t h = S_at("三、绿色转型"), in = S_at(S_fill("全宽导言", "导", 40, "。"));
    size_t l0 = S_at(L[0]), l3 = S_at(L[3]), r0 = S_at(R[0]), r3 = S_at(R[3]);
    size_t out = S_at(S_fill("全宽结语", "结", 40, "。"));
    ck_assert_int_eq(S_doc->raw_blocks[h].kind, CNRS_BLOCK_HEADING);
    ck_assert(h < in && in < l0 && l0 < l3 && l3 < r0 && r0 < r3 && r3 < out);
    for (int r = 0; r < 3; r++) {
        ck_assert_uint_eq(S_at(L[r + 1]), S_at(L[r]) + 1); /* one paragraph: no BREAK */
        ck_assert_uint_eq(S_at(R[r + 1]), S_at(R[r]) + 1);
    }
    ck_assert(!S_break_between(l3, r0)); /* the sentence runs on into the right column */
    ck_assert(S_break_between(r3, out));
    ck_assert(S_break_between(in, l0));
    ck_assert_int_eq(S_kind(L[0]), CNRS_BLOCK_BODY);
    ck_assert_int_eq(S_kind(R[0]), CNRS_BLOCK_BODY);
}
END_TEST

START_TEST(table_is_not_two_columns)
{
    /* Short cells in two groups left and right of a wide gap stay table rows. */
    S_page(1);
    const char *lab[] = {"员工总数", "女性员工", "培训人次", "志愿服务"};
    const char *val[] = {"18,420", "5,130", "42,600", "3,215"};
    for (int r = 0; r < 4; r++) {
        S_put(100, 200 + 27 * r, lab[r]);
        S_put(600, 200 + 27 * r, val[r]);
    }
    S_finish();
    ck_assert_int_eq(S_kind("员工总数 | 18,420"), CNRS_BLOCK_TABLE_ROW);
    ck_assert_int_eq(S_kind("志愿服务 | 3,215"), CNRS_BLOCK_TABLE_ROW);
    ck_assert(S_at("员工总数 | 18,420") < S_at("女性员工 | 5,130"));
}
END_TEST

/* ---- tables ----------------------------------------------------------------- */

START_TEST(table_rows_with_years_units_and_wrapped_labels)
{
    S_page(1);
    S_put(100, 100, S_fill("公司温室气体排放数据如下表所示", "文", 37, "。"));
    const double xs[] = {100, 250, 400, 500, 600};
    const char *rows[4][5] = {{"指标", "单位", "2021年", "2022年", "2023年"},
                              {"范围一", "tCO2e", "1,354.20", "1,410.05", "1,466.73"},
                              {"温室气体", "tCO2e", "2,000.00", "2,100.00", "2,200.00"},
                              {"范围二", "tCO2e", "512.40", "488.10", "466.30"}};
    double y = 200;
    for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 5; c++)
            S_put(xs[c], y, rows[r][c]);
        y += 27;
        if (r == 2) {
            S_put(100, y - 5, "排放总量"); /* the label's second line, close under it */
            y += 22;
        }
    }
    S_put(100, y, "注：数据经核查"); /* a note under the table: not a label */
    S_put(100, 600, "项目");         /* a table without years */
    S_put(400, 600, "数值");
    S_put(100, 627, "员工");
    S_put(400, 627, "235");
    S_finish();
    ck_assert_int_eq(S_kind("指标 | 单位 | 2021年 | 2022年 | 2023年"), CNRS_BLOCK_TABLE_ROW);
    ck_assert_int_eq(
        S_kind("范围一 | 2021 1,354.20 tCO2e | 2022 1,410.05 tCO2e | 2023 1,466.73 tCO2e"),
        CNRS_BLOCK_TABLE_ROW);
    ck_assert_int_eq(
        S_kind(
            "温室气体排放总量 | 2021 2,000.00 tCO2e | 2022 2,100.00 tCO2e | 2023 2,200.00 tCO2e"),
        CNRS_BLOCK_TABLE_ROW);
    ck_assert_int_eq(S_kind("范围二 | 2021 512.40 tCO2e | 2022 488.10 tCO2e | 2023 466.30 tCO2e"),
                     CNRS_BLOCK_TABLE_ROW);
    for (size_t k = 0; k < S_doc->n_raw; k++)
        ck_assert_str_ne(S_raw(k), "排放总量"); /* absorbed into its row */
    ck_assert_int_eq(S_kind("注：数据经核查"), CNRS_BLOCK_BODY);
    ck_assert_int_eq(S_kind("员工 | 235"), CNRS_BLOCK_TABLE_ROW);
}
END_TEST

/* ---- furniture and pages ------------------------------------------------------- */

static const char *S_full(int k, const char *suffix)
{
    static const char *const pre[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"};
    return S_fill(pre[k % 8], "文", 37, suffix); /* 100..692: a full line */
}

START_TEST(running_header_footer_and_page_crossing)
{
    for (int p = 1; p <= 3; p++) {
        char num[8];
        snprintf(num, sizeof num, "%d", p);
        S_page(p);
        S_put(100, 40, "测试公司2023年环境报告");
        if (p == 3)
            S_put(100, 70, "第三页独有的说明"); /* top zone, but only once */
        S_put(100, 200, S_full(p, ""));
        S_put(100, 227, S_full(p + 3, p == 1 ? "" : "。"));
        S_put(100, 1200, "倡导低碳生活");
        S_put(780, 1200, num);
    }
    S_finish();
    for (size_t i = 0; i < S_doc->n_raw; i++) {
        const char *t = S_raw(i);
        if (strstr(t, "测试公司") || strstr(t, "倡导低碳生活"))
            ck_assert_msg(S_doc->raw_blocks[i].kind == CNRS_BLOCK_FURNITURE, "%s", t);
    }
    ck_assert_int_eq(S_kind("第三页独有的说明"), CNRS_BLOCK_BODY);
    /* Page 1 ends mid-sentence: page 2 continues the paragraph past the
     * footer and header, with no BREAK. */
    size_t a = S_at(S_full(4, "")), b = S_at(S_full(2, ""));
    ck_assert(!S_break_between(a, b));
    ck_assert_int_eq(S_doc->raw_blocks[a].page, 1);
    ck_assert_int_eq(S_doc->raw_blocks[b].page, 2);
    /* Segmented: one sentence begins on page 1 and runs onto page 2, the
     * next one starts on page 2. */
    cnrs_segment(S_doc);
    int found = 0;
    for (size_t i = 0; i < S_doc->nsents; i++) {
        const cnrs_sentence *s = &S_doc->sents[i];
        if (s->len > 3 && !memcmp(S_doc->text + s->off, "乙", 3)) {
            found = 1;
            ck_assert_int_eq(s->page, 1);
            ck_assert_int_eq(s->kind, CNRS_BLOCK_BODY);
            /* The whole sentence: 37 * 4 characters of 3 bytes, plus 。 */
            ck_assert_uint_eq(s->len, 37 * 4 * 3);
        }
        char *t = strndup(S_doc->text + s->off, s->len);
        ck_assert(!strstr(t, "倡导低碳生活") && !strstr(t, "测试公司"));
        free(t);
    }
    ck_assert(found);
}
END_TEST

START_TEST(page_numbers_and_trailing_empty_pages)
{
    S_page(1);
    S_put(100, 200, "第一页正文内容。");
    S_put(440, 1200, "- 1 -");
    S_page(2);
    S_put(100, 200, "第二页正文内容。");
    S_put(440, 1000, "2"); /* the page's last line, low on the page */
    S_page(3);             /* a scanned page: no text */
    S_page(4);
    S_finish();
    ck_assert_int_eq(S_kind("- 1 -"), CNRS_BLOCK_FURNITURE);
    ck_assert_int_eq(S_kind("2"), CNRS_BLOCK_FURNITURE);
    ck_assert_int_eq(S_doc->npages, 4);
}
END_TEST

START_TEST(no_text_gives_zero)
{
    S_page(1);
    S_page(2);
    ck_assert_uint_eq(S_finish(), 0);
    ck_assert_uint_eq(S_doc->n_raw, 0);
}
END_TEST

/* ---- headings --------------------------------------------------------------------- */

START_TEST(headings_by_size)
{
    S_page(1);
    for (int r = 0; r < 6; r++)
        S_put(100, 300 + 27 * r, S_full(r, r == 5 ? "。" : ""));
    S_put_sz(100, 100, 24, "一、公司治理");
    S_put_sz(100, 150, 24, "二、应对气候变化与");
    S_put_sz(100, 180, 24, "低碳转型");
    S_put_sz(100, 600, 24, S_fill("这是一段用大号字体排印的导语", "文", 41, "。"));
    S_finish();
    ck_assert_int_eq(S_kind("一、公司治理"), CNRS_BLOCK_HEADING);
    ck_assert_int_eq(S_kind("二、应对气候变化与低碳转型"), CNRS_BLOCK_HEADING);
    ck_assert_int_eq(S_kind(S_fill("这是一段用大号字体排印的导语", "文", 41, "。")),
                     CNRS_BLOCK_BODY);
    ck_assert_int_eq(S_kind(S_full(0, "")), CNRS_BLOCK_BODY);
}
END_TEST

/* Heading levels rank font sizes, largest first; sizes within 8% of a
 * rank's largest share it; a cover's title (page 1 of several) and a title
 * without a letter are not ranked. */
START_TEST(heading_levels_by_size_rank)
{
    S_page(1);
    S_put_sz(100, 300, 40, "年度报告");
    S_page(2);
    S_put_sz(100, 60, 48, "95%");
    const struct {
        double size;
        const char *t;
    } h[] = {{28, "环境责任"}, {22, "应对气候变化"}, {19, "温室气体排放"}, {21, "能源管理"}};
    for (int k = 0; k < 4; k++) {
        S_put_sz(100, 150 + 260 * k, h[k].size, h[k].t);
        for (int r = 0; r < 4; r++)
            S_put(100, 200 + 260 * k + 27 * r, S_full(r, r == 3 ? "。" : ""));
    }
    S_finish();
    ck_assert_int_eq(S_kind("年度报告"), CNRS_BLOCK_HEADING);
    ck_assert_int_eq(S_doc->raw_blocks[S_at("年度报告")].level, 1);
    ck_assert_int_eq(S_doc->raw_blocks[S_at("环境责任")].level, 1);
    ck_assert_int_eq(S_doc->raw_blocks[S_at("应对气候变化")].level, 2);
    ck_assert_int_eq(S_doc->raw_blocks[S_at("能源管理")].level, 2);
    ck_assert_int_eq(S_doc->raw_blocks[S_at("温室气体排放")].level, 3);
    ck_assert_int_eq(S_doc->raw_blocks[S_at(S_full(0, ""))].level, 0);
}
END_TEST

/* ---- contents and index ------------------------------------------------------------- */

START_TEST(contents_pages)
{
    S_page(1);
    S_put_sz(100, 100, 24, "目录");
    S_put(130, 160, "关于本报告……………………3");
    S_put(130, 190, "董事长致辞");
    S_put(700, 190, "5");
    S_put(130, 220, "碳普惠与绿色金融");
    S_put(700, 220, "12");
    S_page(2); /* the contents go on, without a heading */
    S_put(130, 160, "附录一 GRI内容索引");
    S_put(700, 160, "58");
    S_put(130, 190, "附录二 读者反馈");
    S_put(700, 190, "60");
    S_page(3);
    S_put(100, 160, S_full(0, ""));
    S_put(100, 187, S_full(1, "。"));
    S_put(130, 230, "员工培训");
    S_put(700, 230, "12");
    S_finish();
    ck_assert_int_eq(S_kind("目录"), CNRS_BLOCK_TOC);
    ck_assert_int_eq(S_kind("关于本报告……………………3"), CNRS_BLOCK_TOC);
    ck_assert_int_eq(S_kind("董事长致辞 | 5"), CNRS_BLOCK_TOC);
    ck_assert_int_eq(S_kind("碳普惠与绿色金融 | 12"), CNRS_BLOCK_TOC);
    ck_assert_int_eq(S_kind("附录一 GRI内容索引 | 58"), CNRS_BLOCK_TOC);
    ck_assert_int_eq(S_kind("附录二 读者反馈 | 60"), CNRS_BLOCK_TOC);
    ck_assert_int_eq(S_kind(S_full(0, "")), CNRS_BLOCK_BODY);
    ck_assert_int_eq(S_kind("员工培训 | 12"), CNRS_BLOCK_TABLE_ROW);
}
END_TEST

START_TEST(index_pages)
{
    S_page(1);
    S_put(100, 160, S_full(0, "。"));
    S_put_sz(100, 300, 24, "GRI内容索引");
    S_put(100, 350, "GRI 305-1");
    S_put(300, 350, "直接温室气体排放");
    S_put(700, 350, "P25");
    S_put(100, 380, "指标名称不带编号");
    S_put(300, 380, "生物多样性");
    S_put(700, 380, "P30");
    S_page(2);
    S_put(100, 160, "GRI 305-2");
    S_put(300, 160, "能源间接温室气体排放");
    S_put(700, 160, "P25");
    S_put(100, 190, "GRI 308-1");
    S_put(300, 190, "绿色采购");
    S_put(700, 190, "P31");
    S_put(100, 220, "内部碳定价");
    S_put(700, 220, "P26");
    S_page(3);
    S_put(100, 160, S_full(1, "。"));
    S_put(100, 200, S_full(2, "。"));
    S_put(100, 240, "GRI 305-4");
    S_put(300, 240, "排放强度");
    S_finish();
    ck_assert_int_eq(S_kind(S_full(0, "。")), CNRS_BLOCK_BODY);
    ck_assert_int_eq(S_kind("GRI内容索引"), CNRS_BLOCK_INDEX);
    ck_assert_int_eq(S_kind("GRI 305-1 | 直接温室气体排放 | P25"), CNRS_BLOCK_INDEX);
    ck_assert_int_eq(S_kind("指标名称不带编号 | 生物多样性 | P30"), CNRS_BLOCK_INDEX);
    ck_assert_int_eq(S_kind("GRI 308-1 | 绿色采购 | P31"), CNRS_BLOCK_INDEX);
    ck_assert_int_eq(S_kind("内部碳定价 | P26"), CNRS_BLOCK_INDEX);
    ck_assert_int_eq(S_kind(S_full(1, "。")), CNRS_BLOCK_BODY);
    ck_assert_int_eq(S_kind("GRI 305-4 | 排放强度"), CNRS_BLOCK_INDEX);
}
END_TEST

/* ---- paragraphs ------------------------------------------------------------------------ */

START_TEST(paragraph_rules)
{
    S_page(1);
    double y = 100;
    const char *a = S_full(0, ""), *b = S_full(1, "。"); /* joined */
    const char *c = S_fill("丙", "文", 35, "");          /* indented: new paragraph */
    const char *d = S_full(3, ""), *e = S_full(4, "。"); /* e far below: new paragraph */
    const char *f = S_fill("己", "文", 12, ""), *g = S_full(6, "。"); /* f short: new paragraph */
    const char *h = S_full(7, ""), *i = "1、列表项目内容。";          /* list item: new paragraph */
    S_put(100, y, a);
    S_put(100, y += 27, b);
    S_put(132, y += 27, c);
    S_put(100, y += 27, d);
    S_put(100, y += 60, e);
    S_put(100, y += 27, f);
    S_put(100, y += 27, g);
    S_put(100, y += 27, h);
    S_put(100, y += 27, i);
    S_put(100, y += 40, "We publish our emissions");   /* ragged Latin line */
    S_put(100, y += 27, "every year in this report."); /* lower case: goes on */
    S_finish();
    ck_assert(!S_break_between(S_at(a), S_at(b)));
    ck_assert(S_break_between(S_at(b), S_at(c)));
    ck_assert(S_break_between(S_at(d), S_at(e)));
    ck_assert(S_break_between(S_at(f), S_at(g)));
    ck_assert(S_break_between(S_at(h), S_at(i)));
    ck_assert(
        !S_break_between(S_at("We publish our emissions"), S_at("every year in this report.")));
    /* Segment joins what the layout joined. */
    cnrs_segment(S_doc);
    int latin = 0;
    for (size_t k = 0; k < S_doc->nsents; k++) {
        const cnrs_sentence *s = &S_doc->sents[k];
        if (s->len == strlen("We publish our emissions every year in this report.") &&
            !memcmp(S_doc->text + s->off, "We publish our emissions every year in this report.",
                    s->len))
            latin = 1;
    }
    ck_assert(latin);
}
END_TEST

/* ---- columns the widest-strip rule misses (layout.h step 3) ------------------ */

/* Latin prose of exactly n characters: words after `tag`, closed by `end`
 * ("" or "."). With a letter tag, 28 characters hold 24 letters. */
static const char *S_prose(const char *tag, int n, const char *end)
{
    static char ring[64][160];
    static int k;
    char *b = ring[k++ % 64];
    snprintf(b, 160, "%s", tag);
    static const char *const w[] = {" carbon", " energy", " water", " sites", " report"};
    for (int i = 0; (int)strlen(b) < n; i++) {
        size_t l = strlen(b);
        snprintf(b + l, 160 - l, "%s", w[i % 5]);
    }
    b[n - (int)strlen(end)] = '\0';
    if (b[n - (int)strlen(end) - 1] == ' ')
        b[n - (int)strlen(end) - 1] = 'x';
    strcat(b, end);
    return b;
}

/* 1 if no raw block is a table row (no " | " cells). */
static int S_no_cells(void)
{
    for (size_t i = 0; i < S_doc->n_raw; i++)
        if (S_doc->raw_blocks[i].kind == CNRS_BLOCK_TABLE_ROW || strstr(S_raw(i), " | "))
            return 0;
    return 1;
}

/* Whether segment.c made `t` one sentence. */
static int S_has_sentence(const char *t)
{
    for (size_t k = 0; k < S_doc->nsents; k++) {
        const cnrs_sentence *s = &S_doc->sents[k];
        if (s->len == strlen(t) && !memcmp(S_doc->text + s->off, t, s->len))
            return 1;
    }
    return 0;
}

START_TEST(three_prose_columns)
{
    /* Three columns of 30 characters (240 px) at 60, 330 and 600, lines on
     * one baseline grid: every row has three segments, so rows of more than
     * two segments must not hide the gutters. Reading order by hand: left
     * column top to bottom, then the middle, then the right; each column is
     * one paragraph ending with a full stop. */
    S_page(1);
    const char *c[3][6];
    const char *tag = "LMR";
    for (int k = 0; k < 3; k++)
        for (int r = 0; r < 6; r++) {
            char t[16];
            snprintf(t, sizeof t, "%c%c", tag[k], 'a' + r);
            c[k][r] = S_prose(t, 30, r == 5 ? "." : "");
            S_put(60 + 270 * k, 100 + 27 * r, c[k][r]);
        }
    S_finish();
    ck_assert(S_no_cells());
    size_t prev = 0;
    for (int k = 0; k < 3; k++)
        for (int r = 0; r < 6; r++) {
            size_t at = S_at(c[k][r]);
            ck_assert_int_eq(S_kind(c[k][r]), CNRS_BLOCK_BODY);
            if (k || r)
                ck_assert_uint_eq(at, r ? prev + 1 : prev + 2); /* a BREAK after each column */
            prev = at;
        }
}
END_TEST

START_TEST(two_columns_and_a_page_number_in_the_margin)
{
    /* Columns 60..300 and 340..580; the page number at 860 makes the strip
     * 580..860 the widest in the middle of the text, and no gutter. By hand:
     * the left column, then the right (the left runs on into it: full, no
     * sentence end), then the page number (furniture). */
    S_page(1);
    const char *l[6], *r[6];
    for (int k = 0; k < 6; k++) {
        char t[16];
        snprintf(t, sizeof t, "L%c", 'a' + k);
        l[k] = S_prose(t, 30, "");
        snprintf(t, sizeof t, "R%c", 'a' + k);
        r[k] = S_prose(t, 30, k == 5 ? "." : "");
        S_put(60, 100 + 27 * k, l[k]);
        S_put(340, 100 + 27 * k, r[k]);
    }
    S_put(860, 1200, "12");
    S_finish();
    ck_assert(S_no_cells());
    for (int k = 1; k < 6; k++) {
        ck_assert_uint_eq(S_at(l[k]), S_at(l[k - 1]) + 1);
        ck_assert_uint_eq(S_at(r[k]), S_at(r[k - 1]) + 1);
    }
    ck_assert_uint_eq(S_at(r[0]), S_at(l[5]) + 1);
    ck_assert(S_at(r[5]) < S_at("12"));
}
END_TEST

START_TEST(sidebar_in_the_margin)
{
    /* A sidebar of short facts at 20..~108 beside columns of 28 characters
     * at 200..424 and 464..688. The sidebar widens the left side (20..424),
     * so its lines no longer fill 60% of it. By hand: the sidebar (a column
     * of its own, read first, not run on into the next), then the left
     * column, then the right (the left runs on into it); no row glues a fact
     * to a line. */
    S_page(1);
    const char *side[6] = {"Key facts", "12 sites", "3,400 staff", "Since 1998", "ISO 14001",
                           "CDP score"};
    const char *l[6], *r[6];
    for (int k = 0; k < 6; k++) {
        char t[16];
        snprintf(t, sizeof t, "A%c", 'a' + k);
        l[k] = S_prose(t, 28, "");
        snprintf(t, sizeof t, "B%c", 'a' + k);
        r[k] = S_prose(t, 28, k == 5 ? "." : "");
        S_put(20, 100 + 27 * k, side[k]);
        S_put(200, 100 + 27 * k, l[k]);
        S_put(464, 100 + 27 * k, r[k]);
    }
    S_finish();
    ck_assert(S_no_cells());
    for (int k = 1; k < 6; k++)
        ck_assert_uint_lt(S_at(side[k - 1]), S_at(side[k]));
    ck_assert(S_break_between(S_at(side[5]), S_at(l[0])));
    for (int k = 1; k < 6; k++) {
        ck_assert_uint_eq(S_at(l[k]), S_at(l[k - 1]) + 1);
        ck_assert_uint_eq(S_at(r[k]), S_at(r[k - 1]) + 1);
    }
    ck_assert_uint_eq(S_at(r[0]), S_at(l[5]) + 1);
}
END_TEST

START_TEST(numeric_table_with_wide_gaps_stays_a_table)
{
    /* Labels of up to 47 characters at 60 and two columns of 22-character
     * value cells at 460 and 700: slots wide enough for columns (176 px, over
     * 10 line heights) that the cells fill, but no cell reads as prose, so no
     * gutter. By hand: each row a table row with three cells, in page order. */
    S_page(1);
    const char *lab[5] = {"Direct greenhouse gas emissions from operations",
                          "Indirect emissions from purchased electricity",
                          "Emissions from business travel and commuting",
                          "Emissions from waste sent to landfill sites",
                          "Total greenhouse gas emissions of the group"};
    const char *v[2][5] = {{"12,345.6 tCO2e in 2021", "23,456.7 tCO2e in 2021",
                            "1,234.56 tCO2e in 2021", "567.89 tCO2e in FY2021",
                            "37,602.1 tCO2e in 2021"},
                           {"11,002.5 tCO2e in 2020", "22,118.0 tCO2e in 2020",
                            "1,187.22 tCO2e in 2020", "540.12 tCO2e in FY2020",
                            "34,847.9 tCO2e in 2020"}};
    for (int r = 0; r < 5; r++) {
        S_put(60, 100 + 27 * r, lab[r]);
        S_put(460, 100 + 27 * r, v[0][r]);
        S_put(700, 100 + 27 * r, v[1][r]);
    }
    S_finish();
    size_t prev = 0;
    for (int r = 0; r < 5; r++) {
        char row[160];
        snprintf(row, sizeof row, "%s | %s | %s", lab[r], v[0][r], v[1][r]);
        ck_assert_int_eq(S_kind(row), CNRS_BLOCK_TABLE_ROW);
        if (r)
            ck_assert_uint_gt(S_at(row), prev);
        prev = S_at(row);
    }
}
END_TEST

START_TEST(kpi_label_value_layout_stays_rows)
{
    /* A KPI page: a label at 60 and a 21-character value at 600 (600..768).
     * The value side is under a quarter of the text width (the widest-strip
     * rule) and, though 10 line heights wide and filled, holds no prose (the
     * narrow-gutter rule). By hand: rows "label | value" in page order. */
    S_page(1);
    const char *lab[6] = {"Total energy consumption in megawatt hours",
                          "Share of renewable electricity in the mix",
                          "Water withdrawn by all operating sites",
                          "Waste recycled or reused across the group",
                          "Employees covered by the environmental policy",
                          "Sites certified to the energy standard"};
    const char *val[6] = {"534,000 MWh in FY2021", "89.6 per cent in 2021", "1,204,331 m3 in FY21.",
                          "72 per cent in FY2021", "19,157 staff in FY21.", "41 sites, as of 2021."};
    for (int r = 0; r < 6; r++) {
        S_put(60, 100 + 27 * r, lab[r]);
        S_put(600, 100 + 27 * r, val[r]);
    }
    S_finish();
    size_t prev = 0;
    for (int r = 0; r < 6; r++) {
        char row[160];
        snprintf(row, sizeof row, "%s | %s", lab[r], val[r]);
        ck_assert_int_eq(S_kind(row), CNRS_BLOCK_TABLE_ROW);
        if (r)
            ck_assert_uint_gt(S_at(row), prev);
        prev = S_at(row);
    }
}
END_TEST

START_TEST(wrapped_list_item_in_a_narrower_column)
{
    /* Two columns: 60..380 (40 characters) and a narrower 420..660 (30).
     * The right column has a line at its edge, then a bullet item set in
     * 1 em (436) whose lines wrap under its text, 2 em past the column edge
     * (452): more than 1.2 em, yet they go on the item. By hand: the left
     * column one paragraph, then "Our plan.", then the item as one
     * sentence, then the next item. */
    S_page(1);
    const char *l[5];
    for (int k = 0; k < 5; k++) {
        char t[16];
        snprintf(t, sizeof t, "W%d", k);
        l[k] = S_fill(t, "x", 40, k == 4 ? "." : "");
        S_put(60, 100 + 27 * k, l[k]);
    }
    const char *item[3] = {"\xE2\x80\xA2 The site completed two",  /* 436..628 */
                           "projects in 2021 to cut its", /* 452..668 */
                           "emissions by a third."};
    S_put(420, 100, "Our plan for the year ahead."); /* 420..644 */
    S_put(436, 127, item[0]);
    S_put(452, 154, item[1]);
    S_put(452, 181, item[2]);
    S_put(436, 208, "\xE2\x80\xA2 A second item.");
    S_finish();
    ck_assert(!S_break_between(S_at(item[0]), S_at(item[1])));
    ck_assert(!S_break_between(S_at(item[1]), S_at(item[2])));
    ck_assert(S_break_between(S_at(item[2]), S_at("\xE2\x80\xA2 A second item.")));
    ck_assert(S_break_between(S_at("Our plan for the year ahead."), S_at(item[0])));
    ck_assert(S_at(l[4]) < S_at("Our plan for the year ahead."));
    cnrs_segment(S_doc);
    ck_assert(S_has_sentence(
        "\xE2\x80\xA2 The site completed two projects in 2021 to cut its emissions by a third."));
}
END_TEST

/* Full-width paragraph lines, diagram labels crossing x 420-460 (the later
 * columns' gutter) and two prose columns (60-420 and 460-820, 45
 * characters, 6 lines); `table` adds three rows of a numeric table under
 * them with cells on both sides. */
static void S_band_page(const char *par[3], const char *lc[6], const char *rc[6], int table)
{
    S_page(1);
    for (int r = 0; r < 3; r++) {
        par[r] = S_prose(r == 0 ? "Pa" : r == 1 ? "Pb" : "Pc", 90, r == 2 ? "." : "");
        S_put(60, 100 + 20 * r, par[r]);
    }
    S_put(320, 200, "General Meeting of Shareholders");
    S_put(100, 240, "Audit Committee");
    S_put(600, 240, "Nomination Committee");
    S_put(400, 280, "Board of Directors");
    for (int r = 0; r < 6; r++) {
        char t[8];
        snprintf(t, sizeof t, "L%c", 'a' + r);
        lc[r] = S_prose(t, 45, r == 5 ? "." : "");
        snprintf(t, sizeof t, "R%c", 'a' + r);
        rc[r] = S_prose(t, 45, r == 5 ? "." : "");
        S_put(60, 340 + 20 * r, lc[r]);
        S_put(460, 340 + 20 * r, rc[r]);
    }
    if (table) {
        S_put(60, 480, "Scope 1 emissions (tCO2e)");
        S_put(460, 480, "12,345");
        S_put(600, 480, "11,002");
        S_put(60, 500, "Scope 2 emissions (tCO2e)");
        S_put(460, 500, "23,456");
        S_put(600, 500, "22,118");
        S_put(60, 520, "Total emissions (tCO2e)");
        S_put(460, 520, "35,801");
        S_put(600, 520, "33,120");
    }
    S_finish();
}

START_TEST(gutter_in_a_band_of_the_page)
{
    /* The labels cross the gutter, so no gutter holds for the page; the six
     * rows below hold one. By hand: the paragraph, the labels (page order),
     * then the left column La..Lf, then the right Ra..Rf; no table rows of
     * prose. */
    const char *par[3], *lc[6], *rc[6];
    S_band_page(par, lc, rc, 0);
    ck_assert_int_eq(S_kind(lc[0]), CNRS_BLOCK_BODY);
    ck_assert_uint_lt(S_at(par[2]), S_at("Board of Directors"));
    ck_assert_uint_lt(S_at("Board of Directors"), S_at(lc[0]));
    for (int r = 1; r < 6; r++) {
        ck_assert_uint_eq(S_at(lc[r]), S_at(lc[r - 1]) + 1);
        ck_assert_uint_eq(S_at(rc[r]), S_at(rc[r - 1]) + 1);
    }
    ck_assert_uint_eq(S_at(rc[0]), S_at(lc[5]) + 2); /* a BREAK after the column */
    ck_assert_int_eq(S_kind(rc[5]), CNRS_BLOCK_BODY);
}
END_TEST

START_TEST(table_under_a_band_of_columns_stays_a_table)
{
    /* As above with a numeric table under the columns, its cells on both
     * sides of the gutter: the band ends with the last prose row. By hand:
     * La..Lf, Ra..Rf, then three table rows of three cells in page order. */
    const char *par[3], *lc[6], *rc[6];
    S_band_page(par, lc, rc, 1);
    ck_assert_uint_eq(S_at(rc[0]), S_at(lc[5]) + 2);
    const char *row[3] = {"Scope 1 emissions (tCO2e) | 12,345 | 11,002",
                          "Scope 2 emissions (tCO2e) | 23,456 | 22,118",
                          "Total emissions (tCO2e) | 35,801 | 33,120"};
    size_t prev = S_at(rc[5]);
    for (int r = 0; r < 3; r++) {
        ck_assert_int_eq(S_kind(row[r]), CNRS_BLOCK_TABLE_ROW);
        ck_assert_uint_gt(S_at(row[r]), prev);
        prev = S_at(row[r]);
    }
}
END_TEST

START_TEST(many_pieces_stay_fast)
{
    /* Pathological sizes: one page of 60,000 pieces (300 rows of 200), 300
     * pages of 40 lines, 500 pages 9e6 units wide; must finish well inside
     * the test timeout. */
    char t[8];
    S_page(1);
    for (int r = 0; r < 300; r++)
        for (int c = 0; c < 200; c++) {
            snprintf(t, sizeof t, "%d", c % 10);
            cnrs_layout_piece(S_L, 10 + c * 4.2, 20 + r * 4, 4, 4, 4, 0, t, 1);
        }
    for (int p = 2; p <= 301; p++) {
        S_page(p);
        S_put(100, 40, "页眉文字");
        for (int r = 0; r < 40; r++)
            S_put(100, 100 + 27 * r, S_full(r, r % 5 == 4 ? "。" : ""));
    }
    /* Absurd coordinates cost no more than ordinary ones. */
    for (int p = 302; p <= 801; p++) {
        S_page(p);
        for (int r = 0; r < 6; r++) {
            S_put(0, 100 + 27 * r, "左");
            S_put(9e6, 100 + 27 * r, "右");
        }
    }
    ck_assert_uint_gt(S_finish(), 66000);
    ck_assert_int_eq(S_doc->npages, 801);
}
END_TEST

/* ---- charts (chart.h) ------------------------------------------------------- */

/* Whether some raw block is exactly t. */
static int S_has_block(const char *t)
{
    for (size_t i = 0; i < S_doc->n_raw; i++)
        if (S_doc->raw_blocks[i].kind != CNRS_BLOCK_BREAK && !strcmp(S_raw(i), t))
            return 1;
    return 0;
}

/* Index of block t, asserting it comes right after block `after` (one
 * BREAK between). */
static size_t S_next(size_t after, const char *t)
{
    size_t i = S_at(t);
    ck_assert_uint_eq(i, after + 2);
    return i;
}

/* A stacked bar chart: Scope 2 on top of Scope 1, labels centred on the
 * years' centres (316, 416, 516) at the heights of their segments; without
 * its 2021 Scope 2 label when `gap`. */
static void S_stacked_chart(int gap)
{
    S_put(300, 250, "GHG Emissions (tCO2e)");
    S_put(304, 300, "800");
    S_put(404, 290, "900");
    if (!gap)
        S_put(504, 310, "700");
    S_put(296, 350, "1,200");
    S_put(396, 345, "1,300");
    S_put(496, 355, "1,100");
    S_put(300, 400, "2019");
    S_put(400, 400, "2020");
    S_put(500, 400, "2021");
    S_put(330, 440, "Scope 1"); /* legend: the first names the bottom */
    S_put(430, 440, "Scope 2");
}

START_TEST(chart_stacked_bars_with_legend)
{
    S_page(1);
    S_put(60, 40, "Our operations emit greenhouse gases.");
    S_stacked_chart(0);
    S_finish();
    size_t h = S_at("GHG Emissions (tCO2e)");
    ck_assert_int_eq(S_doc->raw_blocks[h].kind, CNRS_BLOCK_HEADING);
    size_t y = S_next(h, "2019 | 2020 | 2021");
    size_t r1 = S_next(y, "Scope 1 | 1,200 | 1,300 | 1,100");
    S_next(r1, "Scope 2 | 800 | 900 | 700");
    ck_assert_int_eq(S_kind("Scope 1 | 1,200 | 1,300 | 1,100"), CNRS_BLOCK_TABLE_ROW);
    ck_assert_int_eq(S_kind("Our operations emit greenhouse gases."), CNRS_BLOCK_BODY);
    /* the labels left the page's own lines */
    ck_assert_uint_eq(S_doc->n_raw, 10); /* 5 blocks, each with its BREAK */
    ck_assert(!S_has_block("800"));
    ck_assert(!S_has_text("Scope 1 | Scope 2"));
}
END_TEST

/* A one-series chart over FY20-FY22 (centres 136, 216, 296) with y-axis
 * ticks (evenly spaced, arithmetic, a shared left edge), its last label
 * `shift` right of its year's centre. */
static void S_series_chart(double shift)
{
    S_put(100, 200, "Total emissions (tCO2e)");
    S_put(60, 240, "300");
    S_put(60, 290, "200");
    S_put(60, 340, "100");
    S_put(60, 390, "0");
    S_put(124, 255, "250");
    S_put(204, 290, "180");
    S_put(284 + shift, 320, "120");
    S_put(120, 420, "FY20"); /* two digits with FY: the century is added */
    S_put(200, 420, "FY21");
    S_put(280, 420, "FY22");
}

START_TEST(chart_single_series_with_ticks)
{
    S_page(1);
    S_series_chart(0);
    S_finish();
    /* no legend: the caption names the series, in its row */
    size_t y = S_at("FY2020 | FY2021 | FY2022");
    S_next(y, "Total emissions (tCO2e) | 250 | 180 | 120");
    ck_assert(!S_has_text("300"));
    ck_assert(!S_has_text("100"));
    ck_assert(!S_has_block("0"));
}
END_TEST

START_TEST(chart_horizontal_bars)
{
    S_page(1);
    S_put(100, 130, "Emissions (tCO2e)");
    S_put(156, 170, "0"); /* x-axis ticks: centres 160, 220, 280, 340 */
    S_put(200, 170, "2,000");
    S_put(260, 170, "4,000");
    S_put(320, 170, "6,000");
    S_put(100, 200, "\u201819"); /* ‘19 */
    S_put(100, 240, "\u201820");
    S_put(100, 280, "\u201821");
    /* labels at the bars' base: one left edge, like a table's column, so
     * the ticks are what makes it a chart */
    S_put(140, 200, "5,000");
    S_put(140, 240, "4,600"); /* (5,000 4,500 4,000 would read as ticks) */
    S_put(140, 280, "4,100");
    S_put(140, 320, "Scope 1 and 2");
    S_finish();
    size_t h = S_at("Emissions (tCO2e)");
    ck_assert_int_eq(S_doc->raw_blocks[h].kind, CNRS_BLOCK_HEADING);
    size_t y = S_next(h, "2019 | 2020 | 2021");
    S_next(y, "Scope 1 and 2 | 5,000 | 4,600 | 4,100");
    ck_assert(!S_has_text("6,000"));
}
END_TEST

START_TEST(chart_ambiguous_is_left_alone)
{
    /* 2021 has one label where the others have two: which series it
     * belongs to cannot be told, so the page reads as before. */
    S_page(1);
    S_stacked_chart(1);
    /* and a label off the year centres (a line series beside the bars):
     * 24 past FY22's centre, over a quarter spacing */
    S_page(2);
    S_series_chart(24);
    S_finish();
    ck_assert(!S_has_text("Scope 1 | 1,200"));
    ck_assert(!S_has_text("(tCO2e) | 250"));
    ck_assert(S_has_text("800"));
    ck_assert(S_has_block("120"));
    ck_assert(S_has_text("Scope 2"));
}
END_TEST

START_TEST(chart_waits_for_a_paragraph_over_the_page_end)
{
    /* Page 1 ends mid-sentence and holds a chart: the chart's blocks come
     * after the sentence ends on page 2, so they never cut it. */
    S_page(1);
    S_put(100, 200, S_full(1, ""));
    S_stacked_chart(0);
    S_page(2);
    S_put(100, 200, S_full(2, "。"));
    S_finish();
    size_t a = S_at(S_full(1, "")), b = S_at(S_full(2, "。")), y = S_at("2019 | 2020 | 2021");
    ck_assert(!S_break_between(a, b));
    ck_assert_uint_gt(y, b);
    ck_assert_int_eq(S_doc->raw_blocks[y].page, 1);
    ck_assert_int_eq(S_page_of("Scope 2 | 800 | 900 | 700"), 1);
}
END_TEST

START_TEST(chart_table_with_years_stays_a_table)
{
    /* Cells of a table row start on one line: with no axis ticks nearby
     * this is a table, and its rows keep their labels. */
    S_page(1);
    S_put(60, 100, "Indicator");
    S_put(300, 100, "2020");
    S_put(400, 100, "2021");
    S_put(60, 130, "Scope 1");
    S_put(304, 130, "100");
    S_put(404, 130, "200");
    S_finish();
    S_at("Scope 1 | 2020 100 | 2021 200");
}
END_TEST

Suite *cnrs_suite_layout(void);
Suite *cnrs_suite_layout(void)
{
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("layout");
    tcase_add_checked_fixture(tc, S_setup, S_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, pieces_merge_into_lines);
    tcase_add_test(tc, spaces_around_numbers_from_positions);
    tcase_add_test(tc, white_space_collapses);
    tcase_add_test(tc, two_columns_read_left_then_right);
    tcase_add_test(tc, table_is_not_two_columns);
    tcase_add_test(tc, table_rows_with_years_units_and_wrapped_labels);
    tcase_add_test(tc, running_header_footer_and_page_crossing);
    tcase_add_test(tc, page_numbers_and_trailing_empty_pages);
    tcase_add_test(tc, no_text_gives_zero);
    tcase_add_test(tc, headings_by_size);
    tcase_add_test(tc, heading_levels_by_size_rank);
    tcase_add_test(tc, contents_pages);
    tcase_add_test(tc, index_pages);
    tcase_add_test(tc, paragraph_rules);
    tcase_add_test(tc, wrapped_list_item_in_a_narrower_column);
    tcase_add_test(tc, three_prose_columns);
    tcase_add_test(tc, two_columns_and_a_page_number_in_the_margin);
    tcase_add_test(tc, sidebar_in_the_margin);
    tcase_add_test(tc, numeric_table_with_wide_gaps_stays_a_table);
    tcase_add_test(tc, kpi_label_value_layout_stays_rows);
    tcase_add_test(tc, gutter_in_a_band_of_the_page);
    tcase_add_test(tc, table_under_a_band_of_columns_stays_a_table);
    tcase_add_test(tc, many_pieces_stay_fast);
    tcase_add_test(tc, chart_stacked_bars_with_legend);
    tcase_add_test(tc, chart_single_series_with_ticks);
    tcase_add_test(tc, chart_horizontal_bars);
    tcase_add_test(tc, chart_ambiguous_is_left_alone);
    tcase_add_test(tc, chart_waits_for_a_paragraph_over_the_page_end);
    tcase_add_test(tc, chart_table_with_years_stays_a_table);
    suite_add_tcase(s, tc);
    return s;
}
