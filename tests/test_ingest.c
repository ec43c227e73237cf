/* test_ingest.c - format by extension, file errors, the text reader (lines,
 * breaks, form-feed pages, encodings) and the HTML reader. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"

/* ---- fixtures: one temporary directory per test ---------------------------- */

static char S_dir[64];

static void S_setup(void)
{
    strcpy(S_dir, "/tmp/cnrs_ingest_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(S_dir));
}

static void S_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Write `len` bytes to S_dir/name; returns the path (static). */
static const char *S_write(const char *name, const char *data, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", S_dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static const char *S_raw(const cnrs_doc *d, size_t i)
{
    static char buf[4096];
    const cnrs_raw_block *b = &d->raw_blocks[i];
    size_t n = b->len < sizeof buf - 1 ? b->len : sizeof buf - 1;
    memcpy(buf, d->raw + b->off, n);
    buf[n] = '\0';
    return buf;
}

/* Index of the first raw block whose text equals s, or -1. */
static long S_find(const cnrs_doc *d, const char *s)
{
    for (size_t i = 0; i < d->n_raw; i++)
        if (d->raw_blocks[i].len == strlen(s) &&
            !memcmp(d->raw + d->raw_blocks[i].off, s, strlen(s)))
            return (long)i;
    return -1;
}

/* 1 if any raw block contains s. */
static int S_contains(const cnrs_doc *d, const char *s)
{
    for (size_t i = 0; i < d->n_raw; i++) {
        const cnrs_raw_block *b = &d->raw_blocks[i];
        for (size_t k = 0; k + strlen(s) <= b->len; k++)
            if (!memcmp(d->raw + b->off + k, s, strlen(s)))
                return 1;
    }
    return 0;
}

/* ---- format and errors --------------------------------------------------- */

START_TEST(format_by_extension)
{
    ck_assert_int_eq(cnrs_format_from_path("a/b/report.txt"), CNRS_FMT_TEXT);
    ck_assert_int_eq(cnrs_format_from_path("REPORT.TXT"), CNRS_FMT_TEXT);
    ck_assert_int_eq(cnrs_format_from_path("r.text"), CNRS_FMT_TEXT);
    ck_assert_int_eq(cnrs_format_from_path("r.HTM"), CNRS_FMT_HTML);
    ck_assert_int_eq(cnrs_format_from_path("r.html"), CNRS_FMT_HTML);
    ck_assert_int_eq(cnrs_format_from_path("r.xhtml"), CNRS_FMT_HTML);
    ck_assert_int_eq(cnrs_format_from_path("r.docx"), CNRS_FMT_UNKNOWN);
    ck_assert_int_eq(cnrs_format_from_path("r.txt.gz"), CNRS_FMT_UNKNOWN);
    ck_assert_int_eq(cnrs_format_from_path("README"), CNRS_FMT_UNKNOWN);
    ck_assert_int_eq(cnrs_format_from_path("dir.txt/file"), CNRS_FMT_UNKNOWN);
    ck_assert_int_eq(cnrs_format_from_path(".txt"), CNRS_FMT_UNKNOWN);
}
END_TEST

START_TEST(file_errors)
{
    cnrs_doc *d = (cnrs_doc *)1;
    cnrs_error err;
    char path[256];

    snprintf(path, sizeof path, "%s/missing.txt", S_dir);
    ck_assert_int_eq(cnrs_ingest_file(path, NULL, &d, &err), CNRS_ERR_IO);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(err.code, CNRS_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, path));

    snprintf(path, sizeof path, "%s/dir.txt", S_dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    ck_assert_int_eq(cnrs_ingest_file(path, NULL, &d, &err), CNRS_ERR_IO);

    const char *p = S_write("report.docx", "hello", 5);
    ck_assert_int_eq(cnrs_ingest_file(p, NULL, &d, &err), CNRS_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "report.docx: "));

    p = S_write("empty.txt", "", 0);
    ck_assert_int_eq(cnrs_ingest_file(p, NULL, &d, &err), CNRS_ERR_EMPTY);
    ck_assert_ptr_nonnull(strstr(err.msg, "empty.txt: "));

    const char *blank = " \n\t\n\xE3\x80\x80\n\f\n";
    p = S_write("blank.txt", blank, strlen(blank));
    ck_assert_int_eq(cnrs_ingest_file(p, NULL, &d, &err), CNRS_ERR_EMPTY);

    p = S_write("nul.txt", "abc\0def", 7);
    ck_assert_int_eq(cnrs_ingest_file(p, NULL, &d, &err), CNRS_ERR_BINARY);
    ck_assert_ptr_null(d);

    p = S_write("bad.txt",
                "abc\xFF"
                "def",
                7);
    ck_assert_int_eq(cnrs_ingest_file(p, NULL, &d, &err), CNRS_ERR_ENCODING);
    ck_assert_ptr_nonnull(strstr(err.msg, "bad.txt: "));

    p = S_write("big.txt", "0123456789", 10);
    cnrs_ingest_opts o = {.max_bytes = 5};
    ck_assert_int_eq(cnrs_ingest_file(p, &o, &d, &err), CNRS_ERR_LIMIT);
    o.max_bytes = 10;
    ck_assert_int_eq(cnrs_ingest_file(p, &o, &d, &err), CNRS_OK);
    cnrs_doc_free(d);

    const char *eh = "<html><head><title>t</title></head><body> </body></html>";
    p = S_write("empty.html", eh, strlen(eh));
    ck_assert_int_eq(cnrs_ingest_file(p, NULL, &d, &err), CNRS_ERR_EMPTY);
    ck_assert_int_eq(cnrs_ingest_memory("m", CNRS_FMT_PDF, "x", 1, &d, &err), CNRS_ERR_FORMAT);
}
END_TEST

/* ---- text reader ----------------------------------------------------------- */

START_TEST(text_lines_and_breaks)
{
    const char *t = "第一行\n\n\n第二行  \r\n \n第三行";
    const char *p = S_write("r.txt", t, strlen(t));
    cnrs_doc *d;
    cnrs_error err;
    ck_assert_int_eq(cnrs_ingest_file(p, NULL, &d, &err), CNRS_OK);
    ck_assert_str_eq(d->path, p);
    ck_assert_int_eq(d->format, CNRS_FMT_TEXT);
    ck_assert_str_eq(d->encoding, "utf-8");
    ck_assert_int_eq(d->paged, 0);
    ck_assert_int_eq(d->npages, 1);
    /* body, one break for three blank lines, body, break, body */
    ck_assert_uint_eq(d->n_raw, 5);
    ck_assert_int_eq(d->raw_blocks[0].kind, CNRS_BLOCK_BODY);
    ck_assert_str_eq(S_raw(d, 0), "第一行");
    ck_assert_int_eq(d->raw_blocks[1].kind, CNRS_BLOCK_BREAK);
    ck_assert_int_eq(d->raw_blocks[2].kind, CNRS_BLOCK_BODY);
    ck_assert_str_eq(S_raw(d, 2), "第二行  ");
    ck_assert_int_eq(d->raw_blocks[3].kind, CNRS_BLOCK_BREAK);
    ck_assert_str_eq(S_raw(d, 4), "第三行");
    cnrs_doc_free(d);
}
END_TEST

START_TEST(text_form_feed_pages)
{
    const char *t = "page one\n\fpage two a\npage two b\n\f\fpage four\fpage five\n\f";
    cnrs_doc *d;
    cnrs_error err;
    ck_assert_int_eq(cnrs_ingest_memory("mem.txt", CNRS_FMT_TEXT, t, strlen(t), &d, &err), CNRS_OK);
    ck_assert_int_eq(d->paged, 1);
    ck_assert_int_eq(d->npages, 5); /* the trailing form feed opens no page */
    ck_assert_int_eq(d->raw_blocks[S_find(d, "page one")].page, 1);
    ck_assert_int_eq(d->raw_blocks[S_find(d, "page two a")].page, 2);
    ck_assert_int_eq(d->raw_blocks[S_find(d, "page two b")].page, 2);
    ck_assert_int_eq(d->raw_blocks[S_find(d, "page four")].page, 4);
    ck_assert_int_eq(d->raw_blocks[S_find(d, "page five")].page, 5);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(text_encodings)
{
    cnrs_doc *d;
    cnrs_error err;
    const char *p = S_write("gbk.txt", "\xCC\xBC\xD6\xD0\xBA\xCD\r\n2030", 12);
    ck_assert_int_eq(cnrs_ingest_file(p, NULL, &d, &err), CNRS_OK);
    ck_assert_str_eq(d->encoding, "gb18030");
    ck_assert_int_ge(S_find(d, "碳中和"), 0);
    ck_assert_int_ge(S_find(d, "2030"), 0);
    cnrs_doc_free(d);

    p = S_write("u16.txt", "\xFF\xFE\xB3\x78\x2D\x4E\x8C\x54", 8);
    ck_assert_int_eq(cnrs_ingest_file(p, NULL, &d, &err), CNRS_OK);
    ck_assert_str_eq(d->encoding, "utf-16le");
    ck_assert_int_ge(S_find(d, "碳中和"), 0);
    cnrs_doc_free(d);
}
END_TEST

/* ---- HTML reader ----------------------------------------------------------- */

static cnrs_doc *S_html(const char *html)
{
    cnrs_doc *d = NULL;
    cnrs_error err;
    cnrs_status st = cnrs_ingest_memory("t.html", CNRS_FMT_HTML, html, strlen(html), &d, &err);
    ck_assert_msg(st == CNRS_OK, "ingest failed: %s", err.msg);
    return d;
}

START_TEST(html_drops_script_style_nav_head)
{
    cnrs_doc *d = S_html("<html><head><title>TITLE</title><style>p{color:red}</style>"
                         "<script>var x = '碳中和';</script></head><body>"
                         "<nav>MENU</nav><noscript>NOSCRIPT</noscript>"
                         "<template>TEMPLATE</template><p>正文内容。</p>"
                         "<script>SCRIPT2</script></body></html>");
    ck_assert_int_ge(S_find(d, "正文内容。"), 0);
    ck_assert(!S_contains(d, "TITLE"));
    ck_assert(!S_contains(d, "color"));
    ck_assert(!S_contains(d, "var x"));
    ck_assert(!S_contains(d, "MENU"));
    ck_assert(!S_contains(d, "NOSCRIPT"));
    ck_assert(!S_contains(d, "TEMPLATE"));
    ck_assert(!S_contains(d, "SCRIPT2"));
    ck_assert_int_eq(d->paged, 0);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(html_blocks_headings_rows)
{
    cnrs_doc *d = S_html("<body><h1>2021 ESG 报告</h1>"
                         "<p>第一段\n   文字，<b>加粗</b>部分。</p><div>第二段</div>"
                         "<table><tr><th>指标</th><th>2020</th><th></th><th>2021</th></tr>"
                         "<tr><td>范围1排放</td><td><p>51.0</p></td><td>48.2</td></tr></table>"
                         "<ul><li>条目一</li><li>条目二<br>换行</li></ul></body>");
    long h = S_find(d, "2021 ESG 报告");
    ck_assert_int_ge(h, 0);
    ck_assert_int_eq(d->raw_blocks[h].kind, CNRS_BLOCK_HEADING);
    /* White space collapses; inline elements do not split the block. */
    long p = S_find(d, "第一段 文字，加粗部分。");
    ck_assert_int_ge(p, 0);
    ck_assert_int_eq(d->raw_blocks[p].kind, CNRS_BLOCK_BODY);
    ck_assert_int_eq(d->raw_blocks[p + 1].kind, CNRS_BLOCK_BREAK);
    ck_assert_int_ge(S_find(d, "第二段"), 0);
    /* Rows: cells joined by " | ", empty cells skipped, block inside a cell
     * stays in the cell. */
    long r1 = S_find(d, "指标 | 2020 | 2021");
    long r2 = S_find(d, "范围1排放 | 51.0 | 48.2");
    ck_assert_int_ge(r1, 0);
    ck_assert_int_ge(r2, 0);
    ck_assert_int_eq(d->raw_blocks[r1].kind, CNRS_BLOCK_TABLE_ROW);
    ck_assert_int_eq(d->raw_blocks[r2].kind, CNRS_BLOCK_TABLE_ROW);
    ck_assert_int_ge(S_find(d, "条目一"), 0);
    ck_assert_int_ge(S_find(d, "条目二"), 0);
    ck_assert_int_ge(S_find(d, "换行"), 0);
    /* Order is document order. */
    ck_assert_int_lt(h, p);
    ck_assert_int_lt(p, r1);
    ck_assert_int_lt(r1, r2);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(html_entities)
{
    cnrs_doc *d = S_html("<p>A &amp; B &lt;tag&gt; &#30899;&#x4E2D;&#21644; 5&nbsp;%</p>");
    ck_assert_int_ge(S_find(d, "A & B <tag> 碳中和 5\xC2\xA0%"), 0);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(html_charsets)
{
    /* GBK bytes with a meta charset: libxml2 converts. */
    const char gbk[] = "<html><head><meta charset=\"gbk\"></head><body><p>\xCC\xBC\xD6\xD0\xBA\xCD"
                       "</p></body></html>";
    cnrs_doc *d = S_html(gbk);
    ck_assert_int_ge(S_find(d, "碳中和"), 0);
    cnrs_doc_free(d);
    /* GBK without a declaration: detected like a text file. */
    d = S_html("<p>\xCC\xBC\xD6\xD0\xBA\xCD</p>");
    ck_assert_int_ge(S_find(d, "碳中和"), 0);
    ck_assert_str_eq(d->encoding, "gb18030");
    cnrs_doc_free(d);
    /* UTF-8 with a stale meta tag claiming GBK stays UTF-8. */
    d = S_html("<meta charset=\"gbk\"><p>碳中和</p>");
    ck_assert_int_ge(S_find(d, "碳中和"), 0);
    cnrs_doc_free(d);
}
END_TEST

START_TEST(html_deep_nesting)
{
    enum { DEPTH = 10000 };
    cnrs_buf b = CNRS_BUF_INIT;
    for (int i = 0; i < DEPTH; i++)
        cnrs_buf_puts(&b, i % 2 ? "<span>" : "<div>");
    cnrs_buf_puts(&b, "深层文本");
    cnrs_doc *d = NULL;
    cnrs_error err;
    ck_assert_int_eq(cnrs_ingest_memory("deep.html", CNRS_FMT_HTML, b.data, b.len, &d, &err),
                     CNRS_OK);
    ck_assert(S_contains(d, "深层文本"));
    cnrs_doc_free(d);
    cnrs_buf_free(&b);
}
END_TEST

Suite *cnrs_suite_ingest(void);
Suite *cnrs_suite_ingest(void)
{
    Suite *s = suite_create("ingest");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, S_setup, S_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, format_by_extension);
    tcase_add_test(tc, file_errors);
    tcase_add_test(tc, text_lines_and_breaks);
    tcase_add_test(tc, text_form_feed_pages);
    tcase_add_test(tc, text_encodings);
    tcase_add_test(tc, html_drops_script_style_nav_head);
    tcase_add_test(tc, html_blocks_headings_rows);
    tcase_add_test(tc, html_entities);
    tcase_add_test(tc, html_charsets);
    tcase_add_test(tc, html_deep_nesting);
    suite_add_tcase(s, tc);
    return s;
}
