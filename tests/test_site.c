/* test_site.c - the static site (site.h) and its HTML helpers (html.h):
 * escaping and safe names by example; then a site written from a database
 * whose companies are named "../../etc", "a/b" and "<script>alert(1)</script>"
 * and whose evidence holds "<script>alert(1)</script>": every page parses
 * as XML with libxml2 (no network, no entity substitution), every href and
 * src is relative and names a file of the site (or an id of the page), no
 * file appears outside DIR, no raw markup from the data reaches a page and
 * its escaped form does. Also: reviews and years on the pages, English
 * labels, an empty database, and refusing an output that is not a
 * directory or a cards/ that is a link. The emissions inventory section
 * (site_inventory.h) from figures made by hand, and on the page of seed 001,
 * whose 2020 inventory the report states. */
#define _XOPEN_SOURCE 700 /* nftw, realpath */
#include <check.h>
#include <ftw.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "html.h"
#include "site.h"
#include "site_inventory.h"
#include "store.h"
#include "testutil.h"

/* ---- html.h ------------------------------------------------------------------- */

static char *S_esc(const char *s, size_t n)
{
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_html_escn(&b, s, n);
    cnrs_buf_cstr(&b);
    return cnrs_buf_steal(&b);
}

START_TEST(escape_markup)
{
    char *e = S_esc("<a href=\"x\">&'</a>", 18);
    ck_assert_str_eq(e, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    free(e);
    e = S_esc("<script>alert(1)</script>", 25);
    ck_assert_str_eq(e, "&lt;script&gt;alert(1)&lt;/script&gt;");
    free(e);
    e = S_esc("碳中和 CO2 100%", strlen("碳中和 CO2 100%"));
    ck_assert_str_eq(e, "碳中和 CO2 100%");
    free(e);
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_html_esc(&b, NULL);
    ck_assert_uint_eq(b.len, 0);
    cnrs_buf_free(&b);
}
END_TEST

/* What XML 1.0 forbids becomes U+FFFD: NUL, C0 controls but tab, LF and CR,
 * DEL and C1 controls (HTML parse errors), U+FFFE, bytes that are not
 * UTF-8 (one replacement per byte). */
START_TEST(escape_invalid)
{
    static const struct {
        const char *in;
        size_t n;
        const char *out;
    } cases[] = {
        {"a\x01" "b", 3, "a\xEF\xBF\xBD" "b"},
        {"a\0b", 3, "a\xEF\xBF\xBD" "b"},
        {"\t\n\r", 3, "\t\n\r"},
        {"x\x7Fy", 3, "x\xEF\xBF\xBDy"},
        {"x\xC2\x85y", 4, "x\xEF\xBF\xBDy"},
        {"x\xEF\xBF\xBEy", 5, "x\xEF\xBF\xBDy"},
        {"\xFF\xFE<", 3, "\xEF\xBF\xBD\xEF\xBF\xBD&lt;"},
        {"\xE7\xA2", 2, "\xEF\xBF\xBD\xEF\xBF\xBD"}, /* truncated sequence */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *e = S_esc(cases[i].in, cases[i].n);
        ck_assert_msg(strcmp(e, cases[i].out) == 0, "case %zu: got \"%s\"", i, e);
        free(e);
    }
}
END_TEST

static char *S_safe(const char *s, size_t max)
{
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_html_safe_name(&b, s, max);
    cnrs_buf_cstr(&b);
    return cnrs_buf_steal(&b);
}

START_TEST(safe_names)
{
    static const struct {
        const char *in;
        size_t max;
        const char *out;
    } cases[] = {
        {"../../etc", 24, "______etc"},
        {"a/b", 24, "a_b"},
        {"<script>", 24, "_script_"},
        {"600736", 24, "600736"},
        {"A-b_9", 24, "A-b_9"},
        {".", 24, "_"},
        {"..", 24, "__"},
        {"", 24, "_"},
        {NULL, 24, "_"},
        {"\xE5\x8D\x8E", 24, "___"}, /* 华: every byte */
        {"abcdefghij", 4, "abcd"},
        {"a\nb\\c d", 24, "a_b_c_d"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *e = S_safe(cases[i].in, cases[i].max);
        ck_assert_msg(strcmp(e, cases[i].out) == 0, "case %zu: got \"%s\"", i, e);
        free(e);
    }
}
END_TEST

/* SVG primitives give well-formed XML with escaped text and '.' decimals. */
START_TEST(svg_wellformed)
{
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_svg_begin(&b, 100.25, 50, "chart", "a <b> & \"c\"");
    cnrs_svg_rect(&b, 1.5, 2, 10, -3, "st1", "<tip>");
    cnrs_svg_rect(&b, 1.5, 2, 10, 3, NULL, NULL);
    cnrs_svg_line(&b, 0, 0, 10, 10, "axis");
    cnrs_svg_text(&b, 5, 6, "middle", "small", "x < y & '1'");
    cnrs_svg_text(&b, 5, 6, "end", NULL, "碳");
    cnrs_svg_end(&b);
    const char *s = cnrs_buf_cstr(&b);
    ck_assert_ptr_nonnull(strstr(s, "width=\"100.3\""));
    ck_assert_ptr_nonnull(strstr(s, "height=\"0.0\"")); /* negative heights clamp to 0 */
    ck_assert_ptr_nonnull(strstr(s, "x &lt; y &amp; &#39;1&#39;"));
    ck_assert_ptr_null(strstr(s, "<tip>"));
    xmlDocPtr d = xmlReadMemory(s, (int)b.len, "svg.xml", "UTF-8", XML_PARSE_NONET);
    ck_assert_msg(d != NULL, "not well-formed: %s", s);
    xmlFreeDoc(d);
    cnrs_buf_free(&b);
}
END_TEST

/* ---- the emissions inventory (site_inventory.h) ------------------------------------ */

/* Occurrences of `needle` in `hay`. */
static size_t S_count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The section for `fig[0..n)` of a paged report, checked to parse as XML. */
static char *S_inventory(cnrs_stored_figure *fig, size_t n, int en)
{
    cnrs_stored_card c;
    memset(&c, 0, sizeof c);
    c.fig = fig;
    c.nfig = n;
    c.paged = 1;
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_site_inventory(&b, &c, en);
    const char *s = cnrs_buf_cstr(&b);
    xmlDocPtr d = xmlReadMemory(s, (int)b.len, "inventory.xml", "UTF-8", XML_PARSE_NONET);
    ck_assert_msg(d != NULL, "not well-formed: %s", s);
    xmlFreeDoc(d);
    return cnrs_buf_steal(&b);
}

#define S_FIG(scope, basis, kind, year, value, unit, tco2e, page) \
    {(char *)(scope), (char *)(basis), (char *)(kind), (char *)(value), (char *)(unit), \
     (year), (page), (tco2e)}

/* A 2020 inventory like seed 001's, with a scope 2 stated both ways, a
 * restated scope 1, a 2019 with only "1+2" and a total, a scope 3 without a
 * year, an intensity, and markup in a unit. */
START_TEST(inventory_table_and_chart)
{
    cnrs_stored_figure fig[] = {
        S_FIG("total", NULL, "emissions", 2020, "951.4", "万吨", 9514000, 3),
        S_FIG("1", NULL, "emissions", 2020, "51.0", "万吨", 510000, 3),
        S_FIG("2", "location", "emissions", 2020, "380.0", "万吨", 3800000, 3),
        S_FIG("2", "market", "emissions", 2020, "371.0", "万吨", 3710000, 3),
        S_FIG("3", NULL, "emissions", 2020, "529.4", "万吨", 5294000, 3),
        S_FIG("1+2", NULL, "emissions", 2019, "4,000,000", "t <script>x</script>", 4000000, 2),
        S_FIG("total", NULL, "emissions", 2019, "1,000", "万吨", 10000000, 2),
        S_FIG("1", NULL, "emissions", 2020, "0.51", "Mt CO2e", 510000, 7),
        S_FIG("3", NULL, "emissions", 0, "12.5", "tCO2e", 12.5, 0),
        S_FIG("total", NULL, "intensity", 2020, "0.32", "tCO2e/万元", 0, 5),
    };
    char *h = S_inventory(fig, sizeof fig / sizeof fig[0], 0);
    ck_assert_ptr_nonnull(strstr(h, "<h2>排放清单</h2>"));
    /* Years ascending, the one not stated last. */
    ck_assert_ptr_nonnull(strstr(h, "<th>范围</th><th>2019</th><th>2020</th><th>年份未知</th>"));
    /* One row per scope and stated basis, in order 1, 2, 2 market, 2
     * location, 1+2, 3, total; tCO2e with thousands separators. The
     * restated scope 1 is one number whose tooltip names both sources. */
    ck_assert_ptr_nonnull(strstr(h, "<tr class=\"sc1\"><td>范围一</td><td class=\"num\">—</td>"
                                    "<td class=\"num\"><span class=\"src\" title=\"51.0 万吨 · 第 3 页; "
                                    "0.51 Mt CO2e · 第 7 页\">510,000</span></td>"));
    const char *m = strstr(h, "<td>范围二（基于市场）</td>");
    const char *l = strstr(h, "<td>范围二（基于位置）</td>");
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_nonnull(l);
    ck_assert(m < l);
    ck_assert_ptr_nonnull(strstr(m, "title=\"371.0 万吨 · 第 3 页\">3,710,000</span>"));
    ck_assert_ptr_nonnull(strstr(l, "title=\"380.0 万吨 · 第 3 页\">3,800,000</span>"));
    ck_assert_ptr_nonnull(strstr(h, "title=\"529.4 万吨 · 第 3 页\">5,294,000</span>"));
    ck_assert_ptr_nonnull(strstr(h, "title=\"12.5 tCO2e\">12.50</span></td></tr>"));
    ck_assert_ptr_nonnull(strstr(h, "<td>排放总量</td><td class=\"num\"><span class=\"src\" "
                                    "title=\"1,000 万吨 · 第 2 页\">10,000,000</span></td>"
                                    "<td class=\"num\"><span class=\"src\" "
                                    "title=\"951.4 万吨 · 第 3 页\">9,514,000</span></td>"));
    /* Markup in a unit is text. */
    ck_assert_ptr_null(strstr(h, "<script>"));
    ck_assert_ptr_nonnull(strstr(h, "4,000,000 t &lt;script&gt;x&lt;/script&gt; · 第 2 页"));
    /* Bars: 2019 draws 1+2 and not the total that holds it; 2020 draws
     * scopes 1, 2 (market-based: one bar for the basis pair) and 3, not the
     * total; the scope 3 of no year is one bar: 5 bars. */
    ck_assert_uint_eq(S_count(h, "class=\"bar "), 5);
    ck_assert_uint_eq(S_count(h, "class=\"bar sc12\""), 1);
    ck_assert_uint_eq(S_count(h, "class=\"bar sct\""), 0);
    ck_assert_uint_eq(S_count(h, "class=\"bar sc2\""), 1);
    ck_assert_ptr_nonnull(strstr(h, "<title>范围二（基于市场） · 2020: 3,710,000 tCO2e"));
    ck_assert_ptr_nonnull(strstr(h, "为避免重复计算"));
    /* The intensity in its own table, as printed, never among the tCO2e. */
    const char *it = strstr(h, "<table class=\"inv int\">");
    ck_assert_ptr_nonnull(it);
    ck_assert_ptr_nonnull(strstr(it, "<tr><td>排放总量</td><td class=\"num\">2020</td>"
                                     "<td>0.32 tCO2e/万元</td><td class=\"num\">5</td></tr>"));
    ck_assert_ptr_eq(strstr(h, "0.32"), strstr(it, "0.32"));
    ck_assert_ptr_null(strstr(h, "未找到"));
    free(h);
}
END_TEST

/* Nothing: one line, no empty table, no chart; intensities alone: their
 * table only; one year: bars all the same. */
START_TEST(inventory_none_and_english)
{
    char *h = S_inventory(NULL, 0, 0);
    ck_assert_ptr_nonnull(strstr(h, "<p class=\"note\">报告中未找到公司自身的温室气体排放数字。</p>"));
    ck_assert_ptr_null(strstr(h, "<table"));
    ck_assert_ptr_null(strstr(h, "<svg"));
    free(h);
    h = S_inventory(NULL, 0, 1);
    ck_assert_ptr_nonnull(strstr(h, "<h2>Emissions inventory</h2>"));
    ck_assert_ptr_nonnull(strstr(h, "No own-emission figures were found"));
    free(h);
    cnrs_stored_figure in[] = {
        S_FIG("1", NULL, "intensity", 2022, "0.74", "tCO2e per MWh", 0, 0),
    };
    h = S_inventory(in, 1, 1);
    ck_assert_ptr_null(strstr(h, "No own-emission"));
    ck_assert_ptr_null(strstr(h, "<svg"));
    ck_assert_ptr_nonnull(strstr(h, "<tr><td>Scope 1</td><td class=\"num\">2022</td>"
                                    "<td>0.74 tCO2e per MWh</td><td class=\"num\">—</td></tr>"));
    free(h);
    /* A total alone is drawn; no note about double counting then. */
    cnrs_stored_figure tot[] = {
        S_FIG("total", NULL, "emissions", 2022, "3,862", "tonnes CO2e", 3862, 2),
        S_FIG("1+2", NULL, "emissions", 2021, "3.18", "MtCO2e", 3180000, 2),
    };
    h = S_inventory(tot, 2, 1);
    ck_assert_ptr_nonnull(strstr(h, "<td>Total</td><td class=\"num\">—</td><td class=\"num\">"
                                    "<span class=\"src\" title=\"3,862 tonnes CO2e · p. 2\">"
                                    "3,862</span></td>"));
    ck_assert_ptr_nonnull(strstr(h, "<td>Scopes 1+2</td><td class=\"num\"><span class=\"src\" "
                                    "title=\"3.18 MtCO2e · p. 2\">3,180,000</span></td>"));
    ck_assert_uint_eq(S_count(h, "class=\"bar "), 2);
    ck_assert_ptr_null(strstr(h, "double counting"));
    free(h);
}
END_TEST

/* ---- the site of a hostile database -------------------------------------------------- */

static char S_dir[64];
static cnrs_rubric *S_rubric;

static const char *S_at(const char *name)
{
    static char buf[8][PATH_MAX];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", S_dir, name);
    return buf[k];
}

static void S_write(const char *name, const char *data, size_t len)
{
    FILE *f = fopen(S_at(name), "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static void S_copy(const char *src, const char *name, const char *extra)
{
    char *data;
    size_t len;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_read_file(src, 0, &data, &len, &err), CNRS_OK);
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_append(&b, data, len);
    if (extra)
        cnrs_buf_puts(&b, extra);
    S_write(name, b.data, b.len);
    cnrs_buf_free(&b);
    free(data);
}

/* Score the reports of directory `dir` (names under S_dir) into `db`, with
 * `manifest` or none; all `scored`. */
static void S_batch(const char *db, const char *manifest, const char *dir, size_t scored)
{
    cnrs_error err = {0};
    const char *paths[] = {S_at(dir)};
    cnrs_batch_opts o = {S_at(db), manifest ? S_at(manifest) : NULL, paths, 1, S_rubric, NULL, 1,
                         0, 0, 0, 0, NULL, NULL, NULL, NULL};
    cnrs_batch_result res;
    ck_assert_msg(cnrs_batch_run(&o, &res, &err) == CNRS_OK, "batch: %s", err.msg);
    ck_assert_uint_eq(res.scored, scored);
    cnrs_batch_result_free(&res);
}

static const char S_evil_sentence[] =
    "\n公司建立了环境管理体系<script>alert(1)</script>，并制定了环境方针与环保理念。\n"
    "We reduced Scope 1 emissions to 1,200 tCO2e in 2023 <script>alert(1)</script> & "
    "\"quotes\" 'apos' </li></ol><a href=\"http://evil.example/\">x</a>.\n";

/* in/ holds four reports; the manifest names three of them after hostile
 * companies (codes and industries too); the fourth has a hostile file name.
 * a.txt is also scored for 2022 (under another name) so the history chart
 * and the links between years appear. */
static void S_setup(void)
{
    strcpy(S_dir, "/tmp/cnrs-site-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(S_dir));
    ck_assert_int_eq(mkdir(S_at("in"), 0700), 0);
    S_copy("corpora/600736_huacheng-power-demo_2023_zh.txt", "in/a.txt", NULL);
    S_copy("corpora/002918_qinghe-textile-demo_2023_zh.txt", "in/a2022.txt", NULL);
    S_copy("corpora/002918_qinghe-textile-demo_2023_zh.txt", "in/b.txt", "\n");
    S_copy("corpora/600977_skyline-data-demo_2023_en.txt", "in/c.txt", S_evil_sentence);
    S_copy("corpora/603716_lvyuan-food-demo_2023_zh.txt",
           "in/600001_<img src=x onerror=alert(2)>_2023.txt", NULL);
    static const char manifest[] =
        "path,company,code,year,industry,report_type\n"
        "in/a.txt,../../etc,../../etc,2023,../x,ESG\n"
        "in/a2022.txt,../../etc,../../etc,2022,../x,ESG\n"
        "in/b.txt,a/b,a/b,2023,<i>ind</i>,\n"
        "in/c.txt,<script>alert(1)</script>,<b>x</b>,2023,,\"<q>\"\n";
    S_write("manifest.csv", manifest, sizeof manifest - 1);
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &S_rubric, NULL, &err), CNRS_OK);
    S_batch("h.db", "manifest.csv", "in", 5);
    /* A review, so reviewed scores show. */
    cnrs_store *s;
    cnrs_store_opts so = {CNRS_STORE_WRITE, 0, NULL, NULL, NULL, 0};
    ck_assert_int_eq(cnrs_store_open(S_at("h.db"), &so, &s, &err), CNRS_OK);
    cnrs_store_company *v;
    size_t n;
    ck_assert_int_eq(cnrs_store_find_companies(s, "a/b", &v, &n, &err), CNRS_OK);
    ck_assert_uint_eq(n, 1);
    int64_t *ids;
    size_t nids;
    ck_assert_int_eq(cnrs_store_company_reports(s, v[0].id, 2023, &ids, &nids, &err), CNRS_OK);
    ck_assert_uint_eq(nids, 1);
    int64_t rid;
    double old;
    ck_assert_int_eq(cnrs_store_review_add(s, ids[0], "C6", 80, "<b>confirmed</b> & checked",
                                           "wang<script>", &rid, &old, &err),
                     CNRS_OK);
    free(ids);
    cnrs_store_companies_free(v, n);
    cnrs_store_close(s);
}

static cnrs_buf S_list;

static void S_teardown(void)
{
    cnrs_buf_free(&S_list);
    cnrs_rubric_free(S_rubric);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Every path under S_dir, one per line, sorted (nftw is in directory
 * order). */
static int S_list_fn(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
    (void)sb;
    (void)flag;
    (void)f;
    cnrs_buf_puts(&S_list, p);
    cnrs_buf_putc(&S_list, '\n');
    return 0;
}

static char *S_tree(void)
{
    cnrs_buf_reset(&S_list);
    ck_assert_int_eq(nftw(S_dir, S_list_fn, 16, FTW_PHYS), 0);
    cnrs_buf_cstr(&S_list);
    return cnrs_xstrdup(S_list.data);
}

static cnrs_status S_site(const char *dir, cnrs_site_lang lang, int year, cnrs_site_stats *st,
                          cnrs_error *err)
{
    cnrs_store *s;
    cnrs_store_opts so = {CNRS_STORE_READ, 0, NULL, NULL, NULL, 0};
    ck_assert_int_eq(cnrs_store_open(S_at("h.db"), &so, &s, err), CNRS_OK);
    cnrs_site_opts o = {dir, lang, year, S_rubric, NULL, "2024-06-30", CNRS_SITE_BY_STAGE_INDUSTRY};
    cnrs_status rc = cnrs_site_write(s, &o, st, err);
    cnrs_store_close(s);
    return rc;
}

/* ---- page checks ---------------------------------------------------------------------- */

static int S_xml_errors;
static void S_xml_err(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    if (e && e->level >= XML_ERR_ERROR) {
        S_xml_errors++;
        fprintf(stderr, "xml: %s:%d: %s", e->file ? e->file : "?", e->line,
                e->message ? e->message : "?\n");
    }
}

static int S_has_id(xmlNodePtr n, const char *id)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *v = xmlGetProp(n, (const xmlChar *)"id");
        int hit = v && strcmp((const char *)v, id) == 0;
        xmlFree(v);
        if (hit || S_has_id(n->children, id))
            return 1;
    }
    return 0;
}

typedef struct S_page {
    const char *path, *dir, *root; /* page, its directory, the site (real paths) */
    xmlDocPtr doc;
    size_t links;
} S_page;

/* Every href and src below n: relative, and the file (or the page's id)
 * exists inside the site. */
static void S_links(S_page *p, xmlNodePtr n)
{
    static const char *const attrs[] = {"href", "src"};
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (size_t a = 0; a < 2; a++) {
            xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[a]);
            if (!v)
                continue;
            const char *u = (const char *)v;
            p->links++;
            ck_assert_msg(!strchr(u, ':') && u[0] != '/' && u[0] != '\\',
                          "%s: link \"%s\" is not relative", p->path, u);
            char target[PATH_MAX];
            const char *hash = strchr(u, '#');
            size_t len = hash ? (size_t)(hash - u) : strlen(u);
            if (len == 0) {
                ck_assert_msg(hash && S_has_id(xmlDocGetRootElement(p->doc), hash + 1),
                              "%s: no id for \"%s\"", p->path, u);
            } else {
                snprintf(target, sizeof target, "%s/%.*s", p->dir, (int)len, u);
                char real[PATH_MAX];
                ck_assert_msg(realpath(target, real) != NULL, "%s: link \"%s\" names no file",
                              p->path, u);
                ck_assert_msg(strncmp(real, p->root, strlen(p->root)) == 0 &&
                                  real[strlen(p->root)] == '/',
                              "%s: link \"%s\" leaves the site", p->path, u);
            }
            xmlFree(v);
        }
        S_links(p, n->children);
    }
}

typedef struct S_scan {
    char root[PATH_MAX];
    size_t pages, links, escaped_pages;
    const char *needle_escaped;
} S_scan;
static S_scan *S_cur;

static int S_page_fn(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
    (void)f;
    S_scan *sc = S_cur;
    const char *base = strrchr(path, '/') + 1;
    if (flag == FTW_F) {
        ck_assert_msg(base[0] != '.', "left-over temporary file %s", path);
        ck_assert_msg(S_ISREG(sb->st_mode), "%s is not a regular file", path);
    }
    size_t n = strlen(path);
    if (flag != FTW_F || n < 5 || strcmp(path + n - 5, ".html") != 0)
        return 0;
    /* Page names are made of safe characters only. */
    for (const char *c = base; *c; c++)
        ck_assert_msg((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                          (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.',
                      "unsafe page name %s", path);
    char *text;
    size_t len;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_read_file(path, 0, &text, &len, &err), CNRS_OK);
    ck_assert_msg(strncmp(text, "<!DOCTYPE html>\n<html lang=\"", 28) == 0, "%s: no doctype/lang",
                  path);
    ck_assert_msg(!strstr(text, "<script>alert"), "%s holds raw <script>alert", path);
    ck_assert_msg(!strstr(text, "<img src=x"), "%s holds a raw <img> from a file name", path);
    ck_assert_msg(!strstr(text, "<b>x</b>") && !strstr(text, "<i>ind</i>"),
                  "%s holds raw markup from the manifest", path);
    ck_assert_msg(!strstr(text, "href=\"http"), "%s: a link from the evidence is live", path);
    if (sc->needle_escaped && strstr(text, sc->needle_escaped))
        sc->escaped_pages++;
    free(text);

    S_xml_errors = 0;
    xmlSetStructuredErrorFunc(NULL, S_xml_err);
    /* XML_PARSE_NONET, and no XML_PARSE_NOENT/DTDLOAD: nothing but the file. */
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    xmlSetStructuredErrorFunc(NULL, NULL);
    ck_assert_msg(doc != NULL && S_xml_errors == 0, "%s is not well-formed XML", path);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    ck_assert_str_eq((const char *)root->name, "html");
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", (int)(base - 1 - path), path);
    S_page p = {path, dir, sc->root, doc, 0};
    S_links(&p, root);
    sc->links += p.links;
    sc->pages++;
    xmlFreeDoc(doc);
    return 0;
}

static void S_check_site(const char *dir, S_scan *sc)
{
    ck_assert_ptr_nonnull(realpath(dir, sc->root));
    S_cur = sc;
    ck_assert_int_eq(nftw(sc->root, S_page_fn, 16, FTW_PHYS), 0);
    S_cur = NULL;
}

static char *S_slurp(const char *path)
{
    char *text;
    size_t len;
    cnrs_error err = {0};
    ck_assert_msg(cnrs_read_file(path, 0, &text, &len, &err) == CNRS_OK, "%s", err.msg);
    return text;
}

/* The page of the one card whose name starts with `prefix`. */
static char *S_card(const char *dir, const char *prefix)
{
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof cmd, "ls '%s/cards' | grep '^%s'", dir, prefix);
    FILE *f = popen(cmd, "r");
    ck_assert_ptr_nonnull(f);
    char name[256] = "";
    ck_assert_ptr_nonnull(fgets(name, sizeof name, f));
    pclose(f);
    name[strcspn(name, "\n")] = '\0';
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/cards/%s", dir, name);
    return S_slurp(path);
}

START_TEST(hostile_names)
{
    char *before = S_tree();
    /* Parents missing: created. */
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", S_at("out/deep/site"));
    cnrs_site_stats st;
    cnrs_error err = {0};
    ck_assert_msg(S_site(dir, CNRS_SITE_ZH, 0, &st, &err) == CNRS_OK, "%s", err.msg);
    ck_assert_uint_eq(st.reports, 5);
    ck_assert_uint_eq(st.files, 5 + 5); /* cards; index, heatmap, method, css, js */
    ck_assert_uint_eq(st.no_gaps, 0);

    /* Nothing new outside DIR but DIR's parents. */
    char *after = S_tree();
    char prefix[PATH_MAX + 2];
    snprintf(prefix, sizeof prefix, "%s/", dir);
    for (char *line = after, *next; *line; line = next) {
        next = strchr(line, '\n');
        *next++ = '\0';
        cnrs_buf l = CNRS_BUF_INIT;
        cnrs_buf_printf(&l, "%s\n", line);
        int old = strstr(before, cnrs_buf_cstr(&l)) != NULL;
        cnrs_buf_free(&l);
        int inside = strncmp(line, prefix, strlen(prefix)) == 0 || strcmp(line, dir) == 0 ||
                     strcmp(line, S_at("out")) == 0 || strcmp(line, S_at("out/deep")) == 0;
        ck_assert_msg(old || inside, "written outside the site: %s", line);
    }
    free(before);
    free(after);

    S_scan sc = {.needle_escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"};
    S_check_site(dir, &sc);
    ck_assert_uint_eq(sc.pages, 5 + 3);
    ck_assert_uint_gt(sc.links, 20);
    /* The company name on the index, heatmap and its card; the evidence on
     * the card. */
    ck_assert_uint_ge(sc.escaped_pages, 3);
    char *card = S_card(dir, "_b_x__b_-2023-r");
    ck_assert_ptr_nonnull(strstr(card, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
    ck_assert_ptr_nonnull(strstr(card, "体系&lt;script&gt;alert(1)&lt;/script&gt;，并制定"));
    ck_assert_ptr_nonnull(strstr(card, "&amp; &quot;quotes&quot; &#39;apos&#39; &lt;/li&gt;"));
    ck_assert_ptr_nonnull(strstr(card, "&lt;b&gt;x&lt;/b&gt;"));
    free(card);
    char *idx = S_slurp(S_at("out/deep/site/index.html"));
    ck_assert_ptr_nonnull(strstr(idx, "&lt;img src=x onerror=alert(2)&gt;"));
    ck_assert_ptr_nonnull(strstr(idx, "&lt;i&gt;ind&lt;/i&gt;"));
    ck_assert_ptr_nonnull(strstr(idx, ">../../etc</a>"));
    ck_assert_ptr_nonnull(strstr(idx, "<html lang=\"zh-CN\">"));
    ck_assert_ptr_nonnull(strstr(idx, "分赛道排名"));
    free(idx);
}
END_TEST

/* Reviews, history across years, links between the years' pages. */
START_TEST(reviews_and_years)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", S_at("years"));
    cnrs_error err = {0};
    ck_assert_msg(S_site(dir, CNRS_SITE_ZH, 0, NULL, &err) == CNRS_OK, "%s", err.msg);
    char *card = S_card(dir, "a_b-2023-r");
    ck_assert_ptr_nonnull(strstr(card, "&lt;b&gt;confirmed&lt;/b&gt; &amp; checked"));
    ck_assert_ptr_nonnull(strstr(card, "wang&lt;script&gt;"));
    ck_assert_ptr_nonnull(strstr(card, "80.0*"));
    ck_assert_ptr_nonnull(strstr(card, "复核后总分"));
    free(card);
    card = S_card(dir, "______etc-2023-r");
    ck_assert_ptr_nonnull(strstr(card, "历年得分"));
    ck_assert_ptr_nonnull(strstr(card, "<a href=\"______etc-2022-r"));
    free(card);
    card = S_card(dir, "______etc-2022-r");
    ck_assert_ptr_nonnull(strstr(card, "<a href=\"______etc-2023-r"));
    free(card);
    /* --year 2022: one card, no link to the 2023 page it does not write. */
    snprintf(dir, sizeof dir, "%s", S_at("y2022"));
    cnrs_site_stats st;
    ck_assert_msg(S_site(dir, CNRS_SITE_ZH, 2022, &st, &err) == CNRS_OK, "%s", err.msg);
    ck_assert_uint_eq(st.reports, 1);
    S_scan sc = {0};
    S_check_site(dir, &sc);
    ck_assert_uint_eq(sc.pages, 4); /* the card, index, heatmap, method */
}
END_TEST

START_TEST(english)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", S_at("en"));
    cnrs_error err = {0};
    ck_assert_msg(S_site(dir, CNRS_SITE_EN, 0, NULL, &err) == CNRS_OK, "%s", err.msg);
    char *idx = S_slurp(S_at("en/index.html"));
    ck_assert_ptr_nonnull(strstr(idx, "<html lang=\"en\">"));
    ck_assert_ptr_nonnull(strstr(idx, "Rankings by track"));
    ck_assert_ptr_nonnull(strstr(idx, "Stage 3 \xC2\xB7 quantified own emissions"));
    ck_assert_ptr_null(strstr(idx, "分赛道排名"));
    free(idx);
    char *card = S_card(dir, "a_b-2023-r");
    /* gaps.c's note */
    ck_assert_ptr_nonnull(strstr(card, "stage 2 (carbon-neutrality awareness) needs"));
    ck_assert_ptr_nonnull(strstr(card, "The 16 indicators"));
    free(card);
    S_scan sc = {0};
    S_check_site(dir, &sc);
    ck_assert_uint_eq(sc.pages, 8);
}
END_TEST

START_TEST(empty_database)
{
    cnrs_store *s;
    cnrs_error err = {0};
    cnrs_store_opts so = {CNRS_STORE_CREATE, 0, NULL, NULL, NULL, 0};
    ck_assert_int_eq(cnrs_store_open(S_at("empty.db"), &so, &s, &err), CNRS_OK);
    cnrs_site_opts o = {S_at("empty"), CNRS_SITE_ZH, 0, S_rubric, NULL, NULL, CNRS_SITE_BY_STAGE};
    cnrs_site_stats st;
    ck_assert_int_eq(cnrs_site_write(s, &o, &st, &err), CNRS_OK);
    cnrs_store_close(s);
    ck_assert_uint_eq(st.reports, 0);
    char *idx = S_slurp(S_at("empty/index.html"));
    ck_assert_ptr_nonnull(strstr(idx, "没有已评分的报告"));
    free(idx);
    S_scan sc = {0};
    S_check_site(S_at("empty"), &sc);
    ck_assert_uint_eq(sc.pages, 3); /* index, heatmap, method */
}
END_TEST

/* Seed 001 states its 2020 inventory: total 951.4万吨 (9,514,000 tCO2e),
 * scope 1 51.0万吨 (510,000), scope 2 371.0万吨 (3,710,000), scope 3 529.4万吨
 * (5,294,000). Its scorecard has a row for each, three bars (the total holds
 * them and is not drawn), and no pages in the tooltips (a text without page
 * breaks). The qinghe demo report states no emissions: its card says so. */
START_TEST(inventory_of_seed_001)
{
    char seed[PATH_MAX];
    snprintf(seed, sizeof seed, "%s/001_90c452405eb75d1a.txt", cnrs_test_seeds());
    ck_assert_int_eq(mkdir(S_at("inv"), 0700), 0);
    S_copy(seed, "inv/09988_alibaba_2021_zh.txt", NULL);
    S_copy("corpora/002918_qinghe-textile-demo_2023_zh.txt", "inv/002918_qinghe_2023_zh.txt", NULL);
    S_batch("inv.db", NULL, "inv", 2);
    cnrs_error err = {0};
    cnrs_store *s;
    cnrs_store_opts so = {CNRS_STORE_READ, 0, NULL, NULL, NULL, 0};
    ck_assert_int_eq(cnrs_store_open(S_at("inv.db"), &so, &s, &err), CNRS_OK);
    cnrs_site_opts so2 = {S_at("inv-site"), CNRS_SITE_ZH, 0, S_rubric, NULL, NULL,
                          CNRS_SITE_BY_STAGE};
    ck_assert_msg(cnrs_site_write(s, &so2, NULL, &err) == CNRS_OK, "%s", err.msg);
    cnrs_store_close(s);
    S_scan sc = {0};
    S_check_site(S_at("inv-site"), &sc);
    ck_assert_uint_eq(sc.pages, 2 + 3);

    char *card = S_card(S_at("inv-site"), "09988_HK-");
    const char *sec = strstr(card, "<section class=\"inventory\">");
    ck_assert_ptr_nonnull(sec);
    /* After the charts, before the indicator table. */
    const char *figs = strstr(card, "<section class=\"figs\">");
    const char *ind = strstr(card, "<table class=\"ind sortable\">");
    ck_assert(figs && ind && figs < sec && sec < ind);
    ck_assert_ptr_nonnull(strstr(sec, "<thead><tr><th>范围</th><th>2020</th></tr></thead>"));
    static const char *const rows[] = {
        "<tr class=\"sc1\"><td>范围一</td><td class=\"num\"><span class=\"src\" "
        "title=\"51.0 万吨\">510,000</span></td></tr>",
        "<tr class=\"sc2\"><td>范围二</td><td class=\"num\"><span class=\"src\" "
        "title=\"371.0 万吨\">3,710,000</span></td></tr>",
        "<tr class=\"sc3\"><td>范围三</td><td class=\"num\"><span class=\"src\" "
        "title=\"529.4 万吨\">5,294,000</span></td></tr>",
        "<tr class=\"sct\"><td>排放总量</td><td class=\"num\"><span class=\"src\" "
        "title=\"951.4 万吨\">9,514,000</span></td></tr>",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        ck_assert_msg(strstr(sec, rows[i]) != NULL, "no row %s", rows[i]);
    ck_assert_uint_eq(S_count(sec, "class=\"bar "), 3);
    ck_assert_uint_eq(S_count(sec, "class=\"bar sc1\""), 1);
    ck_assert_uint_eq(S_count(sec, "class=\"bar sc2\""), 1);
    ck_assert_uint_eq(S_count(sec, "class=\"bar sc3\""), 1);
    free(card);

    card = S_card(S_at("inv-site"), "002918-");
    sec = strstr(card, "<section class=\"inventory\">");
    ck_assert_ptr_nonnull(sec);
    ck_assert_ptr_nonnull(strstr(sec, "<h2>排放清单</h2>\n<p class=\"note\">报告中未找到"));
    ck_assert_ptr_null(strstr(card, "<table class=\"inv"));
    free(card);
}
END_TEST

START_TEST(bad_output)
{
    cnrs_error err = {0};
    /* A file where DIR should be: refused, the file untouched. */
    S_write("file", "keep", 4);
    ck_assert_int_eq(S_site(S_at("file"), CNRS_SITE_ZH, 0, NULL, &err), CNRS_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, "not a directory"));
    char *t = S_slurp(S_at("file"));
    ck_assert_str_eq(t, "keep");
    free(t);
    /* DIR/cards a link to elsewhere: refused before anything is written. */
    ck_assert_int_eq(mkdir(S_at("linked"), 0755), 0);
    ck_assert_int_eq(mkdir(S_at("elsewhere"), 0755), 0);
    ck_assert_int_eq(symlink(S_at("elsewhere"), S_at("linked/cards")), 0);
    ck_assert_int_eq(S_site(S_at("linked"), CNRS_SITE_ZH, 0, NULL, &err), CNRS_ERR_IO);
    ck_assert_int_eq(rmdir(S_at("elsewhere")), 0); /* still empty */
    ck_assert_int_ne(access(S_at("linked/index.html"), F_OK), 0);
    /* No directory at all. */
    cnrs_site_opts o = {NULL, CNRS_SITE_ZH, 0, S_rubric, NULL, NULL, CNRS_SITE_BY_STAGE};
    ck_assert_int_eq(cnrs_site_write(NULL, &o, NULL, &err), CNRS_ERR_USAGE);
    o.out_dir = "";
    ck_assert_int_eq(cnrs_site_write(NULL, &o, NULL, &err), CNRS_ERR_USAGE);
    ck_assert_int_eq(cnrs_site_lang_from_name("zh"), CNRS_SITE_ZH);
    ck_assert_int_eq(cnrs_site_lang_from_name("en"), CNRS_SITE_EN);
    ck_assert_int_eq(cnrs_site_lang_from_name("fr"), -1);
}
END_TEST

Suite *cnrs_suite_site(void);
Suite *cnrs_suite_site(void)
{
    Suite *s = suite_create("site");
    TCase *tc = tcase_create("html");
    tcase_add_test(tc, escape_markup);
    tcase_add_test(tc, escape_invalid);
    tcase_add_test(tc, safe_names);
    tcase_add_test(tc, svg_wellformed);
    tcase_add_test(tc, inventory_table_and_chart);
    tcase_add_test(tc, inventory_none_and_english);
    suite_add_tcase(s, tc);
    tc = tcase_create("site");
    tcase_add_unchecked_fixture(tc, S_setup, S_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, hostile_names);
    tcase_add_test(tc, reviews_and_years);
    tcase_add_test(tc, english);
    tcase_add_test(tc, empty_database);
    tcase_add_test(tc, inventory_of_seed_001);
    tcase_add_test(tc, bad_output);
    suite_add_tcase(s, tc);
    return s;
}
