/* test_pdf.c - PDF and pdftohtml XML input end to end: the team's sample PDF
 * (sentences, kinds, pages, scores), the English fixture, .xml input, every
 * failure with its status and message (scanned, encrypted, corrupt, missing
 * pdftohtml, timeout, output cap, crash), hostile XML, the child-process
 * runner, and the CLI's exit statuses. OCR (test case "ocr"): Tesseract's TSV
 * into word boxes, words through the layout repair, the scanned fixture
 * (tests/fixtures/ocr/) in each mode, a PDF of text pages and a scanned page,
 * and every failure of the OCR programs. Needs pdftohtml and pdfunite
 * (poppler-utils) and tesseract-ocr with chi-sim, chi-tra and eng data. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"
#include "layout.h"
#include "ocr.h"
#include "pdf.h"
#include "pdfxml.h"
#include "pipeline.h"
#include "segment.h"
#include "testutil.h"

#define SAMPLE "corpora/600982_jinglan-power-demo_2023_zh.pdf"
#define FIX "tests/fixtures/pdf/"

static char S_dir[64];
static cnrs_error S_err;

static void S_setup(void)
{
    strcpy(S_dir, "/tmp/cnrs_pdf_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(S_dir));
    memset(&S_err, 0, sizeof S_err);
}

static void S_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_dir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *S_tmp(const char *name)
{
    static char path[4][256];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, 256, "%s/%s", S_dir, name);
    return p;
}

static const char *S_write(const char *name, const char *data, int exec)
{
    const char *p = S_tmp(name);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(data, f);
    fclose(f);
    if (exec)
        ck_assert_int_eq(chmod(p, 0755), 0);
    return p;
}

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Ingest and segment; returns the status (doc in *out on success). */
static cnrs_status S_read(const char *path, const cnrs_ingest_opts *o, cnrs_doc **out)
{
    memset(&S_err, 0, sizeof S_err);
    cnrs_status st = cnrs_ingest_file(path, o, out, &S_err);
    if (st == CNRS_OK)
        cnrs_segment(*out);
    return st;
}

/* Index of the sentence whose text is exactly t, or -1. */
static long S_sent(const cnrs_doc *d, const char *t)
{
    size_t n = strlen(t);
    for (size_t i = 0; i < d->nsents; i++)
        if (d->sents[i].len == n && !memcmp(d->text + d->sents[i].off, t, n))
            return (long)i;
    return -1;
}

static void S_expect(const cnrs_doc *d, int page, cnrs_block_kind kind, const char *t)
{
    long i = S_sent(d, t);
    ck_assert_msg(i >= 0, "no sentence \"%s\"", t);
    ck_assert_msg(d->sents[i].page == page, "\"%s\": page %d, expected %d", t, d->sents[i].page,
                  page);
    ck_assert_msg(d->sents[i].kind == kind, "\"%s\": kind %s, expected %s", t,
                  cnrs_block_kind_name(d->sents[i].kind), cnrs_block_kind_name(kind));
}

static int S_any_sentence_has(const cnrs_doc *d, const char *needle)
{
    for (size_t i = 0; i < d->nsents; i++) {
        const cnrs_sentence *s = &d->sents[i];
        char *t = strndup(d->text + s->off, s->len);
        int hit = strstr(t, needle) != NULL;
        free(t);
        if (hit)
            return 1;
    }
    return 0;
}

/* ---- the Chinese sample ---------------------------------------------------------- */

START_TEST(sample_sentences_kinds_and_pages)
{
    cnrs_doc *d;
    ck_assert_msg(S_read(SAMPLE, NULL, &d) == CNRS_OK, "%s", S_err.msg);
    ck_assert_int_eq(d->format, CNRS_FMT_PDF);
    ck_assert_int_eq(d->paged, 1);
    ck_assert_int_eq(d->npages, 8);
    /* Cover and contents page. */
    S_expect(d, 1, CNRS_BLOCK_HEADING, "晶澜电力股份有限公司");
    S_expect(d, 2, CNRS_BLOCK_TOC, "目录");
    S_expect(d, 2, CNRS_BLOCK_TOC, "五、携手伙伴：价值链协同与碳普惠 | 6");
    /* One column, with a national-context sentence wrapped over two lines. */
    S_expect(d, 3, CNRS_BLOCK_HEADING, "一、董事长致辞");
    S_expect(d, 3, CNRS_BLOCK_BODY, "我国提出2030年前碳达峰、2060年前碳中和目标。");
    /* Two columns: the left column's paragraph runs on into the right one
     * in mid-word (光|伏). */
    S_expect(d, 4, CNRS_BLOCK_BODY,
             "公司发布《碳达峰行动方案(2023-2030年)》，明确了煤电清洁化、"
             "新能源规模化发展和电能替代三条路径。");
    S_expect(d, 4, CNRS_BLOCK_BODY,
             "2023年，公司新增风电、光伏装机186万千瓦，清洁能源装机占比达到"
             "41.6%。");
    S_expect(d, 4, CNRS_BLOCK_BODY, "公司投入4.2亿元，对6台燃煤机组实施汽轮机通流工艺改造。");
    S_expect(d, 4, CNRS_BLOCK_BODY, "公司累计获得低碳技术相关授权专利58项。");
    ck_assert_int_lt(S_sent(d, "公司已向科学碳目标(SBTi)组织提交目标承诺函。"),
                     S_sent(d, "公司董事会下设ESG委员会，负责审议气候相关目标和重大减碳事项。"));
    /* The table: year header, units attached, the wrapped label joined. */
    S_expect(d, 5, CNRS_BLOCK_HEADING, "表1温室气体排放数据");
    S_expect(d, 5, CNRS_BLOCK_TABLE_ROW, "指标 | 单位 | 2021年 | 2022年 | 2023年");
    S_expect(d, 5, CNRS_BLOCK_TABLE_ROW,
             "范围一直接排放 | 2021 8,512.45万吨二氧化碳当量 | 2022 8,390.05万吨二氧化碳当量 | "
             "2023 8,126.45万吨二氧化碳当量");
    S_expect(d, 5, CNRS_BLOCK_TABLE_ROW,
             "温室气体排放总量 | 2021 8,512.60万吨二氧化碳当量 | 2022 8,390.20万吨二氧化碳当量 | "
             "2023 8,126.60万吨二氧化碳当量");
    S_expect(d, 5, CNRS_BLOCK_TABLE_ROW,
             "范围二间接排放 | 2021 1,512.40吨二氧化碳当量 | 2022 1,488.10吨二氧化碳当量 | "
             "2023 1,466.73吨二氧化碳当量");
    /* A sentence running over the page break keeps the page it starts on. */
    S_expect(d, 5, CNRS_BLOCK_BODY,
             "针对上述风险，公司制定了加快新能源布局、提升机组调峰能力和防汛防台等应对措施。");
    S_expect(d, 6, CNRS_BLOCK_BODY, "公司暂未开展内部碳定价。");
    S_expect(d, 6, CNRS_BLOCK_BODY, "公司推行无纸化办公，倡导绿色办公。");
    /* The index after the scanned page 7. */
    S_expect(d, 8, CNRS_BLOCK_INDEX, "GRI内容索引");
    S_expect(d, 8, CNRS_BLOCK_INDEX, "GRI 305-2 | 能源间接(范围二)温室气体排放 | P5");
    S_expect(d, 8, CNRS_BLOCK_INDEX, "GRI 304-2 | 活动、产品和服务对生物多样性的重大影响 | P6");
    /* Header and footer are furniture on every text page and never a
     * sentence; nothing comes from the scanned page. */
    ck_assert(!S_any_sentence_has(d, "倡导低碳生活"));
    ck_assert(!S_any_sentence_has(d, "2023年环境、社会及治理报告"));
    size_t furn = 0, body = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        char *t = strndup(d->text + d->blocks[i].off, d->blocks[i].len);
        if (d->blocks[i].kind == CNRS_BLOCK_FURNITURE && strstr(t, "倡导低碳生活"))
            furn++;
        free(t);
    }
    ck_assert_uint_eq(furn, 7);
    for (size_t i = 0; i < d->nsents; i++) {
        ck_assert_int_ne(d->sents[i].page, 7);
        body += d->sents[i].kind == CNRS_BLOCK_BODY || d->sents[i].kind == CNRS_BLOCK_TABLE_ROW;
    }
    ck_assert_uint_eq(body, 57); /* as counted in the sample's .expected */
    cnrs_doc_free(d);
}
END_TEST

START_TEST(sample_scores_with_page_numbers)
{
    cnrs_rubric *r;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &r, NULL, &err), CNRS_OK);
    cnrs_extractor *x = cnrs_extractor_new(r);
    cnrs_report *rep;
    ck_assert_msg(cnrs_score_file(x, r, SAMPLE, NULL, &rep, &err) == CNRS_OK, "%s", err.msg);
    ck_assert_int_eq(rep->card->stage, 3);
    const cnrs_doc *d = rep->doc;
    int scope2_table = 0, response = 0;
    for (size_t e = 0; e < rep->ev.n; e++) {
        const cnrs_evidence *ev = &rep->ev.ev[e];
        const cnrs_sentence *s = &d->sents[ev->sent];
        const char *qid = r->items[ev->item].qid;
        /* Only body text and table rows earn evidence: never the contents,
         * the index, the header or footer. */
        ck_assert(s->kind == CNRS_BLOCK_BODY || s->kind == CNRS_BLOCK_TABLE_ROW);
        ck_assert(s->page >= 3 && s->page <= 6);
        ck_assert_msg(strcmp(qid, "C9.enabling") && strcmp(qid, "C10.public") &&
                          strcmp(qid, "E3.materials") && strcmp(qid, "E3.land") &&
                          strcmp(qid, "E5.procurement") && strcmp(qid, "Q14.scenario") &&
                          strcmp(qid, "Q14.carbon_price") && strcmp(qid, "Q11.scope3"),
                      "trap item %s earned evidence", qid);
        if (!strcmp(qid, "Q11.scope2")) {
            ck_assert_int_eq(s->kind, CNRS_BLOCK_TABLE_ROW);
            ck_assert_int_eq(s->page, 5);
            scope2_table |= ev->units != 0;
        }
        if (!strcmp(qid, "Q14.response"))
            response = 1;
    }
    ck_assert_msg(scope2_table, "scope 2 from the table row, quantitative");
    /* "针对上述风险，…防汛防台等应对措施" (p5-6) names the climate risks only
     * through 上述: a sentence earns what it says (corpora/real/CODING.md). */
    ck_assert_msg(!response, "Q14.response from a sentence that never names climate");
    int q11 = cnrs_rubric_find_indicator(r, "Q11");
    ck_assert_str_eq(cnrs_band_name(rep->card->ind[q11].band), "B5");
    cnrs_report_free(rep);
    cnrs_extractor_free(x);
    cnrs_rubric_free(r);
}
END_TEST

START_TEST(english_fixture)
{
    cnrs_doc *d;
    ck_assert_msg(S_read(FIX "mixed-en.pdf", NULL, &d) == CNRS_OK, "%s", S_err.msg);
    S_expect(d, 1, CNRS_BLOCK_HEADING, "Climate Report 2023");
    /* Justified lines joined with spaces; "emis-" + "sions" de-hyphenated. */
    S_expect(d, 1, CNRS_BLOCK_BODY,
             "Example Power Co. publishes this report to explain how the company manages its "
             "greenhouse gas emissions and its energy use across all operating sites in 2023.");
    S_expect(d, 1, CNRS_BLOCK_BODY,
             "Our generation fleet cut its total greenhouse gas emissions to 1,466.73 tCO2e in "
             "2023.");
    S_expect(d, 1, CNRS_BLOCK_HEADING, "Our targets"); /* bold at body size, alone */
    /* Two columns; the second sentence runs from the left into the right. */
    S_expect(d, 2, CNRS_BLOCK_BODY,
             "The committee reviews progress on the decarbonisation roadmap and approves the "
             "annual energy saving plan of every power plant of the group.");
    S_expect(d, 2, CNRS_BLOCK_BODY,
             "Employees received training on energy saving and environmental protection.");
    S_expect(d, 3, CNRS_BLOCK_TABLE_ROW,
             "Scope 1 emissions | FY2021 1,354.20 tCO2e | FY2022 1,410.05 tCO2e | FY2023 1,466.73 "
             "tCO2e");
    ck_assert(!S_any_sentence_has(d, "Sustainability Report 2023")); /* the running footer */
    cnrs_doc_free(d);
}
END_TEST

/* A PDF whose permissions forbid copying is read as pdftotext reads it, and
 * says so (restricted.pdf: one sentence, 1,466.73 吨二氧化碳当量). */
START_TEST(copy_restricted_is_read_and_flagged)
{
    cnrs_doc *d;
    ck_assert_msg(S_read(FIX "restricted.pdf", NULL, &d) == CNRS_OK, "%s", S_err.msg);
    ck_assert_int_eq(d->copy_restricted, 1);
    ck_assert(S_any_sentence_has(d, "1,466.73"));
    cnrs_doc_free(d);
    ck_assert_msg(S_read(FIX "mixed-en.pdf", NULL, &d) == CNRS_OK, "%s", S_err.msg);
    ck_assert_int_eq(d->copy_restricted, 0);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(xml_input_reads_like_the_pdf)
{
    char cmd[512];
    const char *xml = S_tmp("sample.xml");
    snprintf(cmd, sizeof cmd, "pdftohtml -xml -i -stdout -enc UTF-8 '%s' > '%s' 2>/dev/null",
             SAMPLE, xml);
    ck_assert_int_eq(system(cmd), 0);
    cnrs_doc *a, *b;
    ck_assert_int_eq(S_read(SAMPLE, NULL, &a), CNRS_OK);
    ck_assert_msg(S_read(xml, NULL, &b) == CNRS_OK, "%s", S_err.msg);
    ck_assert_int_eq(b->format, CNRS_FMT_PDFXML);
    ck_assert_int_eq(b->npages, a->npages);
    ck_assert_uint_eq(b->nsents, a->nsents);
    for (size_t i = 0; i < a->nsents; i++) {
        ck_assert_int_eq(a->sents[i].page, b->sents[i].page);
        ck_assert_int_eq(a->sents[i].kind, b->sents[i].kind);
        ck_assert_uint_eq(a->sents[i].len, b->sents[i].len);
        ck_assert(!memcmp(a->text + a->sents[i].off, b->text + b->sents[i].off, a->sents[i].len));
    }
    cnrs_doc_free(a);
    cnrs_doc_free(b);
    /* Another XML file is not pdftohtml output. */
    const char *other = S_write("rubric.xml", "<?xml version=\"1.0\"?><rubric id=\"x\"/>", 0);
    ck_assert_int_eq(S_read(other, NULL, &a), CNRS_ERR_FORMAT);
    ck_assert(strstr(S_err.msg, "rubric.xml") && strstr(S_err.msg, "not pdftohtml XML"));
}
END_TEST

/* ---- failures ----------------------------------------------------------------- */

static void S_fails(const char *path, const cnrs_ingest_opts *o, cnrs_status want, const char *msg)
{
    cnrs_doc *d = (cnrs_doc *)1;
    cnrs_status st = S_read(path, o, &d);
    ck_assert_msg(st == want, "%s: status %s (%s), expected %s", path, cnrs_status_name(st),
                  S_err.msg, cnrs_status_name(want));
    ck_assert_ptr_null(d);
    ck_assert_int_eq(S_err.code, want);
    ck_assert_msg(strstr(S_err.msg, path) != NULL, "message does not name the file: %s", S_err.msg);
    ck_assert_msg(strstr(S_err.msg, msg) != NULL, "message lacks \"%s\": %s", msg, S_err.msg);
    ck_assert(!strchr(S_err.msg, '\n'));
}

START_TEST(scanned_encrypted_corrupt)
{
    S_fails(FIX "scanned.pdf", NULL, CNRS_ERR_NOTEXT, "no text layer, OCR needed");
    S_fails(FIX "encrypted.pdf", NULL, CNRS_ERR_ENCRYPTED, "encrypted PDF (password required)");
    S_fails(FIX "truncated.pdf", NULL, CNRS_ERR_CORRUPT, "corrupt PDF");
    S_fails(S_write("hello.pdf", "hello, world\n", 0), NULL, CNRS_ERR_CORRUPT, "not a PDF");
    S_fails(S_write("empty.pdf", "", 0), NULL, CNRS_ERR_EMPTY, "empty file");
    S_fails(S_tmp("missing.pdf"), NULL, CNRS_ERR_IO, "No such file");
    mkdir(S_tmp("dir.pdf"), 0755);
    S_fails(S_tmp("dir.pdf"), NULL, CNRS_ERR_IO, "directory");
}
END_TEST

START_TEST(missing_pdftohtml)
{
    cnrs_ingest_opts o = {.pdftohtml = "/nonexistent/pdftohtml"};
    S_fails(SAMPLE, &o, CNRS_ERR_TOOL, "apt-get install poppler-utils");
    o.pdftohtml = "cnrs-no-such-pdftohtml"; /* searched through PATH */
    S_fails(SAMPLE, &o, CNRS_ERR_TOOL, "cnrs-no-such-pdftohtml not found");
}
END_TEST

START_TEST(timeout_kills_the_process_group)
{
    /* A converter that never answers and leaves a grandchild behind. */
    char script[512];
    snprintf(script, sizeof script, "#!/bin/sh\nsleep 30 &\necho $! > '%s'\nsleep 30\n",
             S_tmp("grandchild.pid"));
    cnrs_ingest_opts o = {.pdftohtml = S_write("slow", script, 1), .pdf_timeout = 0.3};
    double t0 = S_now();
    S_fails(SAMPLE, &o, CNRS_ERR_TIMEOUT, "did not finish within 0.3 s");
    ck_assert_msg(S_now() - t0 < 5, "took %.1f s", S_now() - t0);
    FILE *f = fopen(S_tmp("grandchild.pid"), "r");
    ck_assert_ptr_nonnull(f);
    int pid = 0;
    ck_assert_int_eq(fscanf(f, "%d", &pid), 1);
    fclose(f);
    /* Gone, or a zombie waiting for init: not running. */
    int alive = 0;
    for (int k = 0; k < 100; k++) {
        char stat[64], buf[256];
        snprintf(stat, sizeof stat, "/proc/%d/stat", pid);
        FILE *s = fopen(stat, "r");
        alive = 0;
        if (s) {
            if (fgets(buf, sizeof buf, s)) {
                const char *rp = strrchr(buf, ')');
                alive = rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X';
            }
            fclose(s);
        }
        if (!alive)
            break;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    ck_assert_msg(!alive, "grandchild %d still running", pid);
}
END_TEST

START_TEST(output_cap)
{
    cnrs_ingest_opts o = {.pdf_max_output = 1000};
    S_fails(SAMPLE, &o, CNRS_ERR_LIMIT, "over the 1000-byte cap");
}
END_TEST

START_TEST(converter_failures_are_classified)
{
    cnrs_ingest_opts o = {0};
    o.pdftohtml = S_write("crash", "#!/bin/sh\nkill -SEGV $$\n", 1);
    S_fails(SAMPLE, &o, CNRS_ERR_CORRUPT, "signal 11");
    o.pdftohtml = S_write("syntax", "#!/bin/sh\necho 'Syntax Error: broken xref' >&2\nexit 1\n", 1);
    S_fails(SAMPLE, &o, CNRS_ERR_CORRUPT, "Syntax Error: broken xref");
    o.pdftohtml =
        S_write("pw", "#!/bin/sh\necho 'Command Line Error: Incorrect password' >&2\nexit 1\n", 1);
    S_fails(SAMPLE, &o, CNRS_ERR_ENCRYPTED, "password required");
    o.pdftohtml =
        S_write("bad", "#!/bin/sh\nprintf '<pdf2xml><page number=\"1\"><text>x</pdf2xml>'\n", 1);
    S_fails(SAMPLE, &o, CNRS_ERR_PARSE, "malformed XML");
    /* An exec that failed in the child (exit 127, no output) is a missing tool. */
    o.pdftohtml = S_write("e127", "#!/bin/sh\nexit 127\n", 1);
    S_fails(SAMPLE, &o, CNRS_ERR_TOOL, "apt-get install poppler-utils");
    /* The arguments it gets: no shell, the file last. */
    char script[256];
    snprintf(script, sizeof script, "#!/bin/sh\necho \"$@\" > '%s'\nexit 1\n", S_tmp("args"));
    o.pdftohtml = S_write("args.sh", script, 1);
    S_fails(SAMPLE, &o, CNRS_ERR_CORRUPT, "exit 1");
    FILE *f = fopen(S_tmp("args"), "r");
    char line[512] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    ck_assert_str_eq(line, "-xml -i -stdout -enc UTF-8 -nodrm " SAMPLE "\n");
}
END_TEST

START_TEST(file_name_starting_with_a_dash)
{
    char cmd[512], cwd[PATH_MAX];
    snprintf(cmd, sizeof cmd, "cp " FIX "mixed-en.pdf '%s'", S_tmp("-en.pdf"));
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(S_dir), 0);
    cnrs_doc *d;
    cnrs_status st = S_read("-en.pdf", NULL, &d);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_msg(st == CNRS_OK, "%s", S_err.msg);
    ck_assert_int_eq(d->npages, 3);
    cnrs_doc_free(d);
}
END_TEST

/* ---- pdftohtml XML from memory --------------------------------------------------- */

static cnrs_status S_xml(const char *xml, cnrs_doc **out)
{
    *out = cnrs_doc_new("mem.xml", CNRS_FMT_PDFXML);
    memset(&S_err, 0, sizeof S_err);
    return cnrs_pdfxml_read_memory("mem.xml", xml, strlen(xml), *out, NULL, &S_err);
}

static const char *S_raw0(const cnrs_doc *d, cnrs_block_kind kind)
{
    static char buf[512];
    for (size_t i = 0; i < d->n_raw; i++)
        if (d->raw_blocks[i].kind == kind) {
            size_t n = d->raw_blocks[i].len < 511 ? d->raw_blocks[i].len : 511;
            memcpy(buf, d->raw + d->raw_blocks[i].off, n);
            buf[n] = '\0';
            return buf;
        }
    return "";
}

#define PAGE                                                                                       \
    "<page number=\"1\" position=\"absolute\" top=\"0\" left=\"0\" height=\"1263\" width=\"892\">"
#define FONT "<fontspec id=\"0\" size=\"16\" family=\"X\" color=\"#000000\"/>"

START_TEST(xml_reader_edge_cases)
{
    cnrs_doc *d;
    ck_assert_int_eq(S_xml("<html><body>x</body></html>", &d), CNRS_ERR_FORMAT);
    cnrs_doc_free(d);
    ck_assert_int_eq(S_xml("<pdf2xml>" PAGE "<text top=\"1\">a</tex></page></pdf2xml>", &d),
                     CNRS_ERR_PARSE);
    ck_assert(strstr(S_err.msg, "line 1"));
    cnrs_doc_free(d);
    ck_assert_int_eq(S_xml("<pdf2xml></pdf2xml>", &d), CNRS_ERR_EMPTY);
    cnrs_doc_free(d);
    ck_assert_int_eq(S_xml("<pdf2xml>" PAGE "</page>" PAGE "</page></pdf2xml>", &d),
                     CNRS_ERR_NOTEXT);
    ck_assert(strstr(S_err.msg, "no text layer, OCR needed (2 pages"));
    cnrs_doc_free(d);
    /* Control characters (invalid XML) are blanked; <b> is unwrapped; an
     * outline (bookmarks) is not page text. */
    ck_assert_int_eq(S_xml("<?xml version=\"1.0\"?>\n<!DOCTYPE pdf2xml SYSTEM \"pdf2xml.dtd\">\n"
                           "<pdf2xml>" PAGE FONT
                           "<text top=\"100\" left=\"100\" width=\"80\" height=\"16\" font=\"0\">"
                           "碳\x01排放<b>总量</b>&amp;强度</text></page>"
                           "<outline><item page=\"1\">书签文字</item></outline></pdf2xml>",
                           &d),
                     CNRS_OK);
    ck_assert_str_eq(S_raw0(d, CNRS_BLOCK_BODY), "碳 排放总量&强度");
    ck_assert(!strstr(d->raw, "书签"));
    cnrs_doc_free(d);
}
END_TEST

/* pdftohtml leaves '&' unescaped in font names and text, and '<' in text:
 * such files are read as their author meant, wherever the read chunks end. */
START_TEST(xml_unescaped_amp_and_lt_are_read)
{
    const char *head = "<?xml version=\"1.0\"?>\n<pdf2xml>" PAGE
                       "<fontspec id=\"0\" size=\"16\" family=\"WIIHXU+J&JCircular-Medium\" "
                       "color=\"#000000\"/>";
    const char *body = "<text top=\"100\" left=\"100\" width=\"300\" height=\"16\" font=\"0\">"
                       "R&D &amp; AT&T: CO2 <5% & x<y; <b>a</b>&#38;b &lt;</text></page></pdf2xml>";
    /* The repair reads 16 KiB at a time: padding moves each '&' and '<'
     * across a chunk boundary once. */
    size_t hl = strlen(head), bl = strlen(body);
    char *xml = malloc(16400 + bl + 1);
    for (size_t pad = 16384 - hl - bl; pad < 16392 - hl; pad++) {
        memcpy(xml, head, hl);
        memset(xml + hl, ' ', pad);
        memcpy(xml + hl + pad, body, bl + 1);
        cnrs_doc *d;
        ck_assert_msg(S_xml(xml, &d) == CNRS_OK, "pad %zu: %s", pad, S_err.msg);
        ck_assert_str_eq(S_raw0(d, CNRS_BLOCK_BODY), "R&D & AT&T: CO2 <5% & x<y; a&b <");
        cnrs_doc_free(d);
    }
    free(xml);
}
END_TEST

START_TEST(xml_entities_are_not_expanded)
{
    cnrs_doc *d;
    /* Internal entities (a "billion laughs") stay references; an external
     * one is never fetched. */
    const char *lol =
        "<?xml version=\"1.0\"?><!DOCTYPE pdf2xml ["
        "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
        "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
        "<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<pdf2xml>" PAGE FONT
        "<text top=\"100\" left=\"100\" width=\"80\" height=\"16\" font=\"0\">A&e;B&x;C</text>"
        "</page></pdf2xml>";
    cnrs_status st = S_xml(lol, &d);
    if (st == CNRS_OK) {
        ck_assert_str_eq(S_raw0(d, CNRS_BLOCK_BODY), "ABC");
    } else {
        ck_assert_int_eq(st, CNRS_ERR_PARSE);
    }
    ck_assert_uint_lt(d->raw_len, 1000);
    cnrs_doc_free(d);
}
END_TEST

/* ---- the child-process runner ------------------------------------------------------- */

static cnrs_child *S_spawn(const char *sh, double timeout, size_t cap)
{
    const char *argv[] = {"/bin/sh", "-c", sh, NULL};
    cnrs_child_opts o = {timeout, cap, 0, NULL};
    cnrs_child *c;
    ck_assert_int_eq(cnrs_child_start(argv, &o, &c, &S_err), CNRS_OK);
    return c;
}

START_TEST(child_output_status_and_stderr)
{
    cnrs_child *c = S_spawn("printf hello; printf oops >&2; exit 3", 10, 0);
    char buf[64];
    size_t n = 0;
    long k;
    while ((k = cnrs_child_read(c, buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)k;
    ck_assert_int_eq(k, 0);
    buf[n] = '\0';
    ck_assert_str_eq(buf, "hello");
    cnrs_child_result r;
    cnrs_child_finish(c, &r);
    ck_assert_int_eq(r.fail, CNRS_CHILD_OK);
    ck_assert_int_eq(r.exited, 1);
    ck_assert_int_eq(r.status, 3);
    ck_assert_str_eq(r.err, "oops");
    ck_assert_uint_eq(r.out_bytes, 5);
    cnrs_child_free(c);
}
END_TEST

START_TEST(child_limits)
{
    char buf[4096];
    cnrs_child_result r;
    /* Endless output: killed at the cap. */
    cnrs_child *c = S_spawn("yes", 10, 100000);
    double t0 = S_now();
    long k;
    while ((k = cnrs_child_read(c, buf, sizeof buf)) > 0)
        ;
    ck_assert_int_eq(k, -1);
    cnrs_child_finish(c, &r);
    ck_assert_int_eq(r.fail, CNRS_CHILD_OVERCAP);
    ck_assert_int_eq(r.killed, 1);
    cnrs_child_free(c);
    /* Silence: killed at the deadline. */
    c = S_spawn("sleep 20", 0.2, 0);
    ck_assert_int_eq(cnrs_child_read(c, buf, sizeof buf), -1);
    cnrs_child_finish(c, &r);
    ck_assert_int_eq(r.fail, CNRS_CHILD_TIMEOUT);
    ck_assert(!r.exited && r.status == SIGKILL);
    cnrs_child_free(c);
    /* A stderr flood cannot block it; only the first 4096 bytes are kept. */
    c = S_spawn("head -c 1000000 /dev/zero | tr '\\0' x >&2; printf done", 10, 0);
    size_t n = 0;
    while ((k = cnrs_child_read(c, buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)k;
    buf[n] = '\0';
    ck_assert_str_eq(buf, "done");
    cnrs_child_finish(c, &r);
    ck_assert_uint_eq(r.err_len, 4096);
    cnrs_child_free(c);
    /* Abandoned before the end: freed without finish, killed and reaped. */
    c = S_spawn("yes", 10, 0);
    ck_assert_int_gt(cnrs_child_read(c, buf, sizeof buf), 0);
    cnrs_child_free(c);
    ck_assert_msg(S_now() - t0 < 8, "took %.1f s", S_now() - t0);
    /* No program. */
    const char *argv[] = {"/nonexistent/prog", NULL};
    ck_assert_int_eq(cnrs_child_start(argv, NULL, &c, &S_err), CNRS_ERR_TOOL);
    ck_assert_ptr_null(c);
}
END_TEST

/* ---- the command line --------------------------------------------------------------- */

/* build/cnrs beside this test binary (build/ or build/asan/). */
static const char *S_cnrs(void)
{
    static char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 16);
    ck_assert_int_gt(n, 0);
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    ck_assert_ptr_nonnull(slash);
    strcpy(slash + 1, "cnrs");
    return path;
}

/* Run `env cnrs args` with stdout and stderr to files; returns the exit status. */
static int S_cli(const char *env, const char *args)
{
    static char cmd[PATH_MAX + 2048];
    snprintf(cmd, sizeof cmd, "%s '%s' %s > '%s' 2> '%s'", env, S_cnrs(), args, S_tmp("out"),
             S_tmp("err"));
    int st = system(cmd);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static char *S_slurp(const char *name)
{
    FILE *f = fopen(S_tmp(name), "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void S_cli_fails(const char *env, const char *file, int want, const char *msg)
{
    char args[512];
    snprintf(args, sizeof args, "score --format json '%s' '%s'", file, SAMPLE);
    int st = S_cli(env, args);
    ck_assert_msg(st == want, "%s: exit %d, expected %d", file, st, want);
    char *err = S_slurp("err");
    ck_assert_msg(strstr(err, file) && strstr(err, msg), "stderr: %s", err);
    ck_assert_ptr_eq(strchr(err, '\n'), err + strlen(err) - 1); /* one line */
}

START_TEST(cli_statuses_and_json_pages)
{
    int st = S_cli("", "score --format json " SAMPLE);
    ck_assert_int_eq(st, 0);
    char *out = S_slurp("out");
    ck_assert(strstr(out, "\"format\":\"pdf\""));
    ck_assert(strstr(out, "\"pages\":8"));
    ck_assert(strstr(out, "\"paged\":true"));
    ck_assert(strstr(out, "\"stage\":3"));
    ck_assert(strstr(out, "{\"page\":5,\"item\":\"Q11.scope2\""));
    ck_assert(!strstr(out, "\"page\":null"));
    ck_assert(!strstr(out, "倡导低碳生活") && !strstr(out, "碳普惠"));
    ck_assert_int_eq(S_cli("", "text " SAMPLE), 0);
    out = S_slurp("out");
    ck_assert(strstr(out, "--- page 8 ---\n[index] GRI内容索引\n"));
    ck_assert(strstr(out, "[table_row] 指标 | 单位 | 2021年 | 2022年 | 2023年\n"));
    /* Each failure: its own exit status and one line naming the file; the
     * good file after it is still scored. */
    S_cli_fails("", FIX "scanned.pdf", 10 + CNRS_ERR_NOTEXT, "no text layer, OCR needed");
    ck_assert(strstr(S_slurp("out"), "\"stage\":3"));
    S_cli_fails("", FIX "encrypted.pdf", 10 + CNRS_ERR_ENCRYPTED, "encrypted PDF");
    S_cli_fails("", FIX "truncated.pdf", 10 + CNRS_ERR_CORRUPT, "corrupt PDF");
    ck_assert_int_eq(S_cli("PATH=/nonexistent", "text " FIX "mixed-en.pdf"), 10 + CNRS_ERR_TOOL);
    ck_assert(strstr(S_slurp("err"), "apt-get install poppler-utils"));
}
END_TEST

#define SCAN "tests/fixtures/ocr/scanned-zh-en.pdf"
#define EN FIX "mixed-en.pdf"
#define ZH_SENT "公司2022年温室气体排放总量为12.5万吨二氧化碳当量，其中范围一排放5.1万吨。"
#define EN_SENT "Our Scope 1 and 2 emissions were 428,000 tCO2e in 2022."

/* ---- OCR: Tesseract's TSV and the layout ------------------------------------------------------------- */

/* Tesseract 5's TSV as it writes it for two lines: chi_sim puts every CJK
 * word apart, one box reaches over its neighbour, one word is blank. */
static const char S_tsv[] =
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n"
    "2\t1\t1\t0\t0\t0\t200\t300\t1500\t200\t-1\t\n"
    "3\t1\t1\t1\t0\t0\t200\t300\t1500\t200\t-1\t\n"
    "4\t1\t1\t1\t1\t0\t200\t300\t1000\t60\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t200\t305\t100\t50\t95.3\t公司\n"
    "5\t1\t1\t1\t1\t2\t310\t300\t400\t60\t90.1\t排放\n"
    "5\t1\t1\t1\t1\t3\t500\t302\t60\t55\t1.4\t总量\n"
    "5\t1\t1\t1\t1\t4\t600\t300\t50\t60\t95\t \n"
    "4\t1\t1\t1\t2\t0\t200\t400\t900\t62\t-1\t\n"
    "5\t1\t1\t1\t2\t1\t200\t410\t150\t46\t96\tScope\n"
    "5\t1\t1\t1\t2\t2\t380\t411\t30\t44\t96\t1\n"
    "5\t1\t1\t1\t2\t3\t440\t400\t50\t60\t96\ttCO2e\n"
    "not a row\n";

START_TEST(tsv_words_take_their_line_box)
{
    cnrs_ocr_page pg;
    memset(&pg, 0, sizeof pg);
    ck_assert_uint_eq(cnrs_ocr_parse_tsv(S_tsv, sizeof S_tsv - 1, &pg), 6);
    ck_assert_uint_eq(pg.nwords, 6);
    ck_assert(pg.img_w == 2480 && pg.img_h == 3508);
    /* 公司: its own left and width, the line's top and height. */
    ck_assert(pg.words[0].left == 200 && pg.words[0].width == 100);
    ck_assert(pg.words[0].top == 300 && pg.words[0].height == 60);
    /* 排放 reached to 710, over 总量 at 500: cut back to 500 - 310. */
    ck_assert(pg.words[1].left == 310 && pg.words[1].width == 190);
    ck_assert(pg.words[2].left == 500 && pg.words[2].width == 60);
    /* The blank word is gone; the second line's words take its box. */
    ck_assert(pg.words[3].top == 400 && pg.words[3].height == 62);
    ck_assert(pg.words[5].left == 440 && pg.words[5].width == 50);
    ck_assert_int_eq((int)pg.words[4].len, 1);
    ck_assert(!memcmp(pg.text.data + pg.words[4].off, "1", 1));
    ck_assert(!memcmp(pg.text.data + pg.words[5].off, "tCO2e", 5));
    cnrs_ocr_page_free(&pg);
    /* Nothing to read: no words, no crash. */
    memset(&pg, 0, sizeof pg);
    ck_assert_uint_eq(cnrs_ocr_parse_tsv("", 0, &pg), 0);
    ck_assert_uint_eq(cnrs_ocr_parse_tsv("5\t1\t1\n\t\t\n", 10, &pg), 0);
    cnrs_ocr_page_free(&pg);
}
END_TEST

START_TEST(words_through_the_layout)
{
    cnrs_ocr_page pg;
    memset(&pg, 0, sizeof pg);
    cnrs_ocr_parse_tsv(S_tsv, sizeof S_tsv - 1, &pg);
    cnrs_layout *L = cnrs_layout_new();
    cnrs_layout_page(L, 1, 1240, 1754);
    cnrs_ocr_feed(&pg, 0.5, L);
    cnrs_doc *d = cnrs_doc_new("t.pdf", CNRS_FMT_PDF);
    ck_assert_uint_eq(cnrs_layout_finish(L, d), 6);
    cnrs_layout_free(L);
    /* CJK words join without the spaces Tesseract puts between them; Latin
     * words 15 units apart (over 0.15 of a 30-unit line) keep one. */
    int zh = 0, en = 0;
    for (size_t i = 0; i < d->n_raw; i++) {
        const cnrs_raw_block *b = &d->raw_blocks[i];
        zh += b->len == strlen("公司排放总量") && !memcmp(d->raw + b->off, "公司排放总量", b->len);
        en += b->len == 13 && !memcmp(d->raw + b->off, "Scope 1 tCO2e", 13);
        ck_assert_int_eq(b->page, 1);
    }
    ck_assert_int_eq(zh, 1);
    ck_assert_int_eq(en, 1);
    cnrs_doc_free(d);
    cnrs_ocr_page_free(&pg);
}
END_TEST

START_TEST(modes_parse)
{
    cnrs_ocr_mode m = CNRS_OCR_NEVER;
    ck_assert(cnrs_ocr_mode_parse("auto", &m) && m == CNRS_OCR_AUTO);
    ck_assert(cnrs_ocr_mode_parse("always", &m) && m == CNRS_OCR_ALWAYS);
    ck_assert(cnrs_ocr_mode_parse("never", &m) && m == CNRS_OCR_NEVER);
    ck_assert(!cnrs_ocr_mode_parse("Never", &m) && m == CNRS_OCR_NEVER);
    ck_assert(!cnrs_ocr_mode_parse("", &m) && !cnrs_ocr_mode_parse(NULL, &m));
}
END_TEST

/* ---- OCR: the scanned fixture ---------------------------------------------------------- */

typedef struct S_seen {
    int calls, last_done, last_total;
} S_seen;

static void S_progress(void *ctx, const cnrs_ocr_progress *p)
{
    S_seen *s = ctx;
    s->calls++;
    s->last_done = p->done;
    s->last_total = p->total;
}

START_TEST(scanned_page_reads_like_its_text)
{
    S_seen seen = {0, 0, 0};
    cnrs_ingest_opts o = {.on_ocr_progress = S_progress, .ocr_ctx = &seen};
    cnrs_doc *d = NULL;
    ck_assert_int_eq(S_read(SCAN, &o, &d), CNRS_OK);
    ck_assert_int_eq(d->ocr, 1);
    ck_assert_int_eq(d->npages, 1);
    S_expect(d, 1, CNRS_BLOCK_BODY, ZH_SENT);
    S_expect(d, 1, CNRS_BLOCK_BODY, EN_SENT);
    ck_assert_int_eq(seen.calls, 2); /* 0 of 1 pages, then 1 of 1 */
    ck_assert(seen.last_done == 1 && seen.last_total == 1);
    cnrs_doc_free(d);
    /* always: the same, the (absent) text layer ignored. */
    o.ocr = CNRS_OCR_ALWAYS;
    ck_assert_int_eq(S_read(SCAN, &o, &d), CNRS_OK);
    ck_assert_int_eq(d->ocr, 1);
    S_expect(d, 1, CNRS_BLOCK_BODY, ZH_SENT);
    cnrs_doc_free(d);
    /* never: exit 20's status, as before OCR existed. */
    o.ocr = CNRS_OCR_NEVER;
    S_fails(SCAN, &o, CNRS_ERR_NOTEXT, "no text layer, OCR needed");
}
END_TEST

START_TEST(text_pages_are_not_ocred)
{
    /* A tesseract that cannot run proves it is never asked. */
    cnrs_ingest_opts o = {.tesseract = "/nonexistent/tesseract"};
    cnrs_doc *d = NULL;
    ck_assert_int_eq(S_read(EN, &o, &d), CNRS_OK);
    ck_assert_int_eq(d->ocr, 0);
    cnrs_doc_free(d);
    /* always OCRs them all, and needs it. */
    o.ocr = CNRS_OCR_ALWAYS;
    S_fails(EN, &o, CNRS_ERR_TOOL, "apt-get install tesseract-ocr");
}
END_TEST

START_TEST(mixed_pdf_ocrs_only_its_image_page)
{
    char cmd[512];
    const char *mixed = S_tmp("mixed.pdf");
    snprintf(cmd, sizeof cmd, "pdfunite '%s' '%s' '%s'", EN, SCAN, mixed);
    ck_assert_int_eq(system(cmd), 0);
    cnrs_doc *d = NULL, *text = NULL;
    cnrs_ingest_opts o = {.ocr_jobs = 2};
    ck_assert_int_eq(S_read(mixed, &o, &d), CNRS_OK);
    ck_assert_int_eq(d->ocr, 1);
    ck_assert_int_eq(d->npages, 4);
    S_expect(d, 4, CNRS_BLOCK_BODY, ZH_SENT);
    S_expect(d, 4, CNRS_BLOCK_BODY, EN_SENT);
    /* The three text pages read as they do alone. */
    ck_assert_int_eq(S_read(EN, NULL, &text), CNRS_OK);
    ck_assert_uint_eq(d->nsents, text->nsents + 2);
    for (size_t i = 0; i < text->nsents; i++) {
        const cnrs_sentence *s = &text->sents[i];
        char *t = strndup(text->text + s->off, s->len);
        S_expect(d, s->page, s->kind, t);
        free(t);
    }
    cnrs_doc_free(text);
    cnrs_doc_free(d);
}
END_TEST

/* ---- failures ---------------------------------------------------------------------- */

START_TEST(ocr_failures_are_classified)
{
    cnrs_ingest_opts o = {.tesseract = "cnrs-no-such-tesseract"};
    S_fails(SCAN, &o, CNRS_ERR_TOOL, "cnrs-no-such-tesseract not found");
    S_fails(SCAN, &o, CNRS_ERR_TOOL, "apt-get install tesseract-ocr tesseract-ocr-chi-sim");
    o.tesseract = S_write("nolang", "#!/bin/sh\necho \"Failed loading language 'chi_tra'\" >&2\n"
                                     "echo 'Tesseract couldn'\\''t load any languages!' >&2\n"
                                     "exit 1\n", 1);
    S_fails(SCAN, &o, CNRS_ERR_TOOL, "no data for the languages chi_sim+chi_tra+eng");
    o.tesseract = S_write("crash", "#!/bin/sh\necho 'Error in pixReadStream' >&2\nexit 1\n", 1);
    S_fails(SCAN, &o, CNRS_ERR_CORRUPT, "failed on page 1 (exit 1: Error in pixReadStream)");
    o.tesseract = S_write("slow", "#!/bin/sh\nsleep 30\n", 1);
    o.pdf_timeout = 0.5;
    double t0 = (double)time(NULL);
    S_fails(SCAN, &o, CNRS_ERR_TIMEOUT, "did not finish page 1 within 0.5 s (killed)");
    ck_assert((double)time(NULL) - t0 < 10);
    o.pdf_timeout = 0;
    /* Tesseract that reads nothing: no text layer and none from OCR. */
    o.tesseract = S_write("blind", "#!/bin/sh\necho 'level\tpage_num'\n", 1);
    S_fails(SCAN, &o, CNRS_ERR_NOTEXT, "OCR found no text (1 page)");
    /* The image it is given is the page at 300 dpi, removed afterwards. */
    char body[512];
    snprintf(body, sizeof body, "#!/bin/sh\necho \"$@\" > '%s'\nls \"$1\" >> '%s'\n",
             S_tmp("args"), S_tmp("args"));
    o.tesseract = S_write("args.sh", body, 1);
    S_fails(SCAN, &o, CNRS_ERR_NOTEXT, "OCR found no text");
    FILE *f = fopen(S_tmp("args"), "r");
    ck_assert_ptr_nonnull(f);
    char line[1024] = "", img[1024] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_ptr_nonnull(fgets(img, sizeof img, f));
    fclose(f);
    ck_assert_msg(strstr(line, "/p1.pgm stdout --dpi 300 -l chi_sim+chi_tra+eng tsv\n"), "%s",
                  line);
    img[strcspn(img, "\n")] = '\0';
    ck_assert_int_ne(access(img, F_OK), 0);
}
END_TEST

Suite *cnrs_suite_pdf(void);
Suite *cnrs_suite_pdf(void)
{
    Suite *s = suite_create("pdf");
    TCase *tc = tcase_create("pdf");
    tcase_add_checked_fixture(tc, S_setup, S_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, sample_sentences_kinds_and_pages);
    tcase_add_test(tc, sample_scores_with_page_numbers);
    tcase_add_test(tc, english_fixture);
    tcase_add_test(tc, copy_restricted_is_read_and_flagged);
    tcase_add_test(tc, xml_input_reads_like_the_pdf);
    tcase_add_test(tc, scanned_encrypted_corrupt);
    tcase_add_test(tc, missing_pdftohtml);
    tcase_add_test(tc, timeout_kills_the_process_group);
    tcase_add_test(tc, output_cap);
    tcase_add_test(tc, converter_failures_are_classified);
    tcase_add_test(tc, file_name_starting_with_a_dash);
    tcase_add_test(tc, xml_reader_edge_cases);
    tcase_add_test(tc, xml_unescaped_amp_and_lt_are_read);
    tcase_add_test(tc, xml_entities_are_not_expanded);
    tcase_add_test(tc, child_output_status_and_stderr);
    tcase_add_test(tc, child_limits);
    tcase_add_test(tc, cli_statuses_and_json_pages);
    suite_add_tcase(s, tc);
    tc = tcase_create("ocr");
    tcase_add_checked_fixture(tc, S_setup, S_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, tsv_words_take_their_line_box);
    tcase_add_test(tc, words_through_the_layout);
    tcase_add_test(tc, modes_parse);
    tcase_add_test(tc, scanned_page_reads_like_its_text);
    tcase_add_test(tc, text_pages_are_not_ocred);
    tcase_add_test(tc, mixed_pdf_ocrs_only_its_image_page);
    tcase_add_test(tc, ocr_failures_are_classified);
    suite_add_tcase(s, tc);
    return s;
}
