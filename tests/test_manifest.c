/* test_manifest.c - CSV manifests: header by name, quoting, BOM, CRLF, bad
 * rows reported with their line and never stopping the others. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"

static cnrs_manifest *S_parse(const char *name, const char *csv)
{
    cnrs_manifest *m = NULL;
    cnrs_error err = {0};
    cnrs_status st = cnrs_manifest_parse(name, csv, strlen(csv), &m, &err);
    ck_assert_msg(st == CNRS_OK, "parse failed: %s", err.msg);
    return m;
}

START_TEST(header_by_name_any_order_bom_crlf)
{
    /* BOM, CRLF, columns in another order, an unknown column, upper case. */
    const char *csv = "\xEF\xBB\xBF"
                      "Year,Company,notes,PATH,code,industry,size\r\n"
                      "2023,华能示范,x,a/600011_hn_2023.txt,600011,power,large\r\n"
                      "2022,Lumen,,b.txt,688315,electronics,medium\r\n";
    cnrs_manifest *m = S_parse("dir/m.csv", csv);
    ck_assert_uint_eq(m->nrows, 2);
    ck_assert_uint_eq(m->nproblems, 0);
    ck_assert_str_eq(m->dir, "dir");
    const cnrs_manifest_row *r = &m->rows[0];
    ck_assert_uint_eq(r->line, 2);
    ck_assert_str_eq(r->path, "a/600011_hn_2023.txt");
    ck_assert_str_eq(r->meta.company, "华能示范");
    ck_assert_str_eq(r->meta.code, "600011");
    ck_assert_int_eq(r->meta.year, 2023);
    ck_assert_str_eq(r->meta.industry, "power");
    ck_assert_str_eq(r->meta.size, "large");
    ck_assert_ptr_null(r->meta.report_type); /* no such column */
    ck_assert_uint_eq(m->rows[1].line, 3);
    ck_assert_str_eq(m->rows[1].meta.company, "Lumen");
    cnrs_manifest_free(m);
}
END_TEST

START_TEST(quoted_fields)
{
    /* Commas, doubled quotes and a line break inside quotes (record 3 spans
     * lines 3-4, so the next record starts on physical line 5). */
    const char *csv = "path,company,code,year,industry,size,report_type\n"
                      "\"x,1.txt\",\"Acme \"\"Green\"\" Co\",000001,2021,\"a, b\",small,ESG\n"
                      "\"y.txt\",\"two\nlines\",000002,2021,,,\n"
                      "z.txt,Zed,000003,,,,CSR\n";
    cnrs_manifest *m = S_parse("m.csv", csv);
    ck_assert_uint_eq(m->nproblems, 0);
    ck_assert_uint_eq(m->nrows, 3);
    ck_assert_str_eq(m->dir, ".");
    ck_assert_str_eq(m->rows[0].path, "x,1.txt");
    ck_assert_str_eq(m->rows[0].meta.company, "Acme \"Green\" Co");
    ck_assert_str_eq(m->rows[0].meta.industry, "a, b");
    ck_assert_str_eq(m->rows[0].meta.report_type, "ESG");
    ck_assert_str_eq(m->rows[1].meta.company, "two\nlines");
    ck_assert_ptr_null(m->rows[1].meta.industry); /* empty -> unknown */
    ck_assert_ptr_null(m->rows[1].meta.report_type);
    ck_assert_uint_eq(m->rows[2].line, 5);
    ck_assert_int_eq(m->rows[2].meta.year, 0);
    ck_assert_str_eq(m->rows[2].meta.report_type, "CSR");
    cnrs_manifest_free(m);
}
END_TEST

START_TEST(codes_lost_their_zeros)
{
    const char *csv = "path,code\n"
                      "a.txt,789\n"       /* a spreadsheet ate 000789 */
                      "b.txt,600519\n"
                      "c.txt,0700.HK\n"   /* Hong Kong: five digits */
                      "d.txt,\n"
                      "e.txt,6758\n"      /* Tokyo: 006758 is no Shenzhen code */
                      "f.txt,09988\n"     /* typed with its zero: Hong Kong */
                      "g.txt,SH600519\n"  /* the same company as b.txt */
                      "h.txt,600519.SS\n"
                      "i.txt,2918\n";     /* 002918, Shenzhen SME board */
    cnrs_manifest *m = S_parse("m.csv", csv);
    ck_assert_uint_eq(m->nrows, 9);
    ck_assert_str_eq(m->rows[0].meta.code, "000789");
    ck_assert_str_eq(m->rows[1].meta.code, "600519");
    ck_assert_str_eq(m->rows[2].meta.code, "00700.HK");
    ck_assert_ptr_null(m->rows[3].meta.code);
    ck_assert_str_eq(m->rows[4].meta.code, "6758");
    ck_assert_str_eq(m->rows[5].meta.code, "09988.HK");
    ck_assert_str_eq(m->rows[6].meta.code, "600519");
    ck_assert_str_eq(m->rows[7].meta.code, "600519");
    ck_assert_str_eq(m->rows[8].meta.code, "002918");
    cnrs_manifest_free(m);
}
END_TEST

START_TEST(bad_rows_are_problems_not_failures)
{
    const char *csv = "path,company,year\n"      /* 1 */
                      "ok1.txt,A,2021\n"         /* 2 */
                      "too,many,2021,fields\n"   /* 3: 4 fields */
                      "few.txt\n"                /* 4: 1 field */
                      ",NoPath,2021\n"           /* 5: empty path */
                      "y.txt,B,20x1\n"           /* 6: bad year */
                      "y2.txt,B,1989\n"          /* 7: out of range */
                      "\"q.txt\"junk,C,2021\n"   /* 8: text after the quote */
                      "\n"                       /* 9: blank, skipped */
                      "ok2.txt,D,2022年\n"       /* 10: 年 accepted */
                      "\"open.txt,E,2021\n"      /* 11: quote never closed */
                      "ok3.txt,F,2023\n";        /* 12: still read */
    cnrs_manifest *m = S_parse("m.csv", csv);
    ck_assert_uint_eq(m->nrows, 3);
    ck_assert_str_eq(m->rows[0].path, "ok1.txt");
    ck_assert_str_eq(m->rows[1].path, "ok2.txt");
    ck_assert_int_eq(m->rows[1].meta.year, 2022);
    ck_assert_str_eq(m->rows[2].path, "ok3.txt");
    ck_assert_uint_eq(m->rows[2].line, 12);
    ck_assert_uint_eq(m->nproblems, 7);
    static const unsigned long lines[] = {3, 4, 5, 6, 7, 8, 11};
    for (size_t i = 0; i < 7; i++)
        ck_assert_uint_eq(m->problems[i].line, lines[i]);
    ck_assert_str_eq(m->problems[0].msg, "4 fields where the header has 3");
    ck_assert_str_eq(m->problems[0].text, "too,many,2021,fields");
    ck_assert_str_eq(m->problems[2].msg, "empty path");
    ck_assert_ptr_nonnull(strstr(m->problems[3].msg, "20x1"));
    ck_assert_str_eq(m->problems[5].msg, "text after a closing quote");
    ck_assert_ptr_nonnull(strstr(m->problems[6].msg, "not closed"));
    cnrs_manifest_free(m);
}
END_TEST

START_TEST(fatal_manifest_errors)
{
    cnrs_manifest *m = NULL;
    cnrs_error err = {0};
    const char *nopath = "company,year\nA,2021\n";
    ck_assert_int_eq(cnrs_manifest_parse("m.csv", nopath, strlen(nopath), &m, &err),
                     CNRS_ERR_PARSE);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(err.msg, "m.csv:1: the header has no \"path\" column"));
    ck_assert_int_eq(cnrs_manifest_parse("e.csv", "\n\n", 2, &m, &err), CNRS_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(err.msg, "empty manifest"));
    ck_assert_int_eq(cnrs_manifest_load("/nonexistent/m.csv", &m, &err), CNRS_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/m.csv"));
}
END_TEST

START_TEST(gb18030_from_a_spreadsheet)
{
    /* "path,company\nx.txt,中文\n" with 中文 in GB18030 (D6D0 CEC4). */
    const char csv[] = "path,company\nx.txt,\xD6\xD0\xCE\xC4\n";
    cnrs_manifest *m = NULL;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_manifest_parse("m.csv", csv, sizeof csv - 1, &m, &err), CNRS_OK);
    ck_assert_uint_eq(m->nrows, 1);
    ck_assert_str_eq(m->rows[0].meta.company, "中文");
    cnrs_manifest_free(m);
}
END_TEST

START_TEST(chinese_headers)
{
    const char *csv = "路径,公司,代码,年份,行业,规模,报告类型\nr.txt,甲,600000,2021,电力,大型,ESG\n";
    cnrs_manifest *m = S_parse("m.csv", csv);
    ck_assert_uint_eq(m->nrows, 1);
    ck_assert_str_eq(m->rows[0].meta.company, "甲");
    ck_assert_str_eq(m->rows[0].meta.industry, "电力");
    ck_assert_str_eq(m->rows[0].meta.report_type, "ESG");
    ck_assert_int_eq(m->rows[0].meta.year, 2021);
    cnrs_manifest_free(m);
}
END_TEST

START_TEST(resolve_relative_to_the_manifest)
{
    const char *csv = "path\ncorpora/x.txt\n";
    cnrs_manifest *m = S_parse("/tmp/somewhere/m.csv", csv);
    char *p = cnrs_manifest_resolve(m, "/abs/r.txt");
    ck_assert_str_eq(p, "/abs/r.txt");
    free(p);
    /* Not beside the manifest, but present relative to the working directory
     * (tests run from the repository root). */
    p = cnrs_manifest_resolve(m, "corpora/README.md");
    ck_assert_str_eq(p, "corpora/README.md");
    free(p);
    p = cnrs_manifest_resolve(m, "missing.txt");
    ck_assert_str_eq(p, "/tmp/somewhere/missing.txt");
    free(p);
    cnrs_manifest_free(m);
}
END_TEST

START_TEST(meta_from_file_names)
{
    cnrs_meta m;
    ck_assert_int_eq(cnrs_meta_from_path("d/600736_huacheng-power_2023_zh.txt", &m), 1);
    ck_assert_str_eq(m.code, "600736");
    ck_assert_str_eq(m.company, "huacheng-power");
    ck_assert_int_eq(m.year, 2023);
    cnrs_meta_clear(&m);
    ck_assert_int_eq(cnrs_meta_from_path("001_90c452405eb75d1a.txt", &m), 0);
    ck_assert_ptr_null(m.code);
    ck_assert_str_eq(m.company, "001_90c452405eb75d1a");
    ck_assert_int_eq(m.year, 0);
    cnrs_meta_clear(&m);
    cnrs_meta_clear(&m);
}
END_TEST

/* The names of issue 16, worked by hand: company, code, year. */
START_TEST(meta_from_real_file_names)
{
    static const struct {
        const char *path, *code, *company;
        int year;
    } cases[] = {
        {"Microsoft 2022 Sustainability Report.pdf", NULL, "Microsoft", 2022},
        {"mckinsey-esg-2022.txt", NULL, "mckinsey-esg", 2022},
        {"600519-贵州茅台-2023.pdf", "600519", "贵州茅台", 2023},
        {"600519_2023_贵州茅台社会责任报告.pdf", "600519", "贵州茅台社会责任报告", 2023},
        {"600519_2023_贵州茅台_ESG.pdf", "600519", "贵州茅台", 2023},
        {"600519 贵州茅台 2023.pdf", "600519", "贵州茅台", 2023},
        {"SH600519_贵州茅台_2023年.txt", "600519", "贵州茅台", 2023},
        {"600519.SH_贵州茅台_2023.txt", "600519", "贵州茅台", 2023},
        {"00700_腾讯控股_2023.pdf", "00700.HK", "腾讯控股", 2023},
        {"0700.HK_tencent_2023.pdf", "00700.HK", "tencent", 2023},
        {"6758.T_sony_2022.pdf", "6758.T", "sony", 2022},
        {"600736_huacheng-power_2023_zh.txt", "600736", "huacheng-power", 2023},
        {"600519_贵州茅台.txt", "600519", "贵州茅台", 0},
        {"_x_2023.txt", NULL, "x", 2023},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cnrs_meta m;
        ck_assert_int_eq(cnrs_meta_from_path(cases[i].path, &m), 1);
        if (cases[i].code)
            ck_assert_msg(m.code && strcmp(m.code, cases[i].code) == 0, "%s: code %s",
                          cases[i].path, m.code ? m.code : "NULL");
        else
            ck_assert_msg(!m.code, "%s: code %s", cases[i].path, m.code);
        ck_assert_msg(strcmp(m.company, cases[i].company) == 0, "%s: company %s", cases[i].path,
                      m.company);
        ck_assert_msg(m.year == cases[i].year, "%s: year %d", cases[i].path, m.year);
        cnrs_meta_clear(&m);
    }
}
END_TEST

Suite *cnrs_suite_manifest(void);
Suite *cnrs_suite_manifest(void)
{
    Suite *s = suite_create("manifest");
    TCase *tc = tcase_create("manifest");
    tcase_add_test(tc, header_by_name_any_order_bom_crlf);
    tcase_add_test(tc, quoted_fields);
    tcase_add_test(tc, codes_lost_their_zeros);
    tcase_add_test(tc, bad_rows_are_problems_not_failures);
    tcase_add_test(tc, fatal_manifest_errors);
    tcase_add_test(tc, gb18030_from_a_spreadsheet);
    tcase_add_test(tc, chinese_headers);
    tcase_add_test(tc, resolve_relative_to_the_manifest);
    tcase_add_test(tc, meta_from_file_names);
    tcase_add_test(tc, meta_from_real_file_names);
    suite_add_tcase(s, tc);
    return s;
}
