/* test_util.c - buffers, UTF-8 decoding, fixed-point formatting. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

START_TEST(utf8_decode_valid_and_invalid)
{
    uint32_t cp;
    ck_assert_int_eq(cnrs_utf8_decode((const unsigned char *)"A", 1, &cp), 1);
    ck_assert_uint_eq(cp, 'A');
    /* 中 = U+4E2D = E4 B8 AD */
    ck_assert_int_eq(cnrs_utf8_decode((const unsigned char *)"\xE4\xB8\xAD", 3, &cp), 3);
    ck_assert_uint_eq(cp, 0x4E2D);
    /* overlong encoding of '/' */
    ck_assert_int_eq(cnrs_utf8_decode((const unsigned char *)"\xC0\xAF", 2, &cp), 0);
    /* surrogate U+D800 */
    ck_assert_int_eq(cnrs_utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp), 0);
    /* truncated */
    ck_assert_int_eq(cnrs_utf8_decode((const unsigned char *)"\xE4\xB8", 2, &cp), 0);
    ck_assert_uint_eq(cnrs_utf8_valid_prefix((const unsigned char *)"ab\xE4\xB8\xAD\xFFz", 7), 5);
}
END_TEST

START_TEST(fixed_formatting_is_locale_free)
{
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_put_fixed(&b, 12.0833333, 3);
    cnrs_buf_putc(&b, ' ');
    cnrs_buf_put_fixed(&b, 0.05, 1);
    cnrs_buf_putc(&b, ' ');
    cnrs_buf_put_fixed(&b, 100, 1);
    cnrs_buf_putc(&b, ' ');
    cnrs_buf_put_fixed(&b, 2.0833333, 3);
    ck_assert_str_eq(cnrs_buf_cstr(&b), "12.083 0.1 100.0 2.083");
    cnrs_buf_free(&b);
}
END_TEST

/* Thousands grouping of the whole part only; the sign before it; the
 * rounding carried into a new group (999,999.5 -> 1,000,000). */
START_TEST(grouped_formatting)
{
    static const struct {
        double v;
        int dec;
        const char *out;
    } cases[] = {
        {9514000, 0, "9,514,000"}, {510000, 0, "510,000"}, {1466.73, 2, "1,466.73"},
        {1466.73, 0, "1,467"},     {999, 0, "999"},         {1000, 0, "1,000"},
        {999999.5, 0, "1,000,000"}, {-1234567.25, 1, "-1,234,567.3"}, {0.5, 2, "0.50"},
        {0, 0, "0"},               {123456, 0, "123,456"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cnrs_buf b = CNRS_BUF_INIT;
        cnrs_buf_put_grouped(&b, cases[i].v, cases[i].dec);
        ck_assert_msg(strcmp(cnrs_buf_cstr(&b), cases[i].out) == 0, "case %zu: got \"%s\"", i,
                      cnrs_buf_cstr(&b));
        cnrs_buf_free(&b);
    }
}
END_TEST

START_TEST(buf_printf_and_cp)
{
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_printf(&b, "%s-%d", "x", 42);
    cnrs_buf_put_cp(&b, 0x4E2D);
    cnrs_buf_put_cp(&b, 0x1F600);
    ck_assert_str_eq(cnrs_buf_cstr(&b), "x-42\xE4\xB8\xAD\xF0\x9F\x98\x80");
    char *s = cnrs_buf_steal(&b);
    ck_assert_ptr_null(b.data);
    free(s);
}
END_TEST

Suite *cnrs_suite_util(void);
Suite *cnrs_suite_util(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, utf8_decode_valid_and_invalid);
    tcase_add_test(tc, fixed_formatting_is_locale_free);
    tcase_add_test(tc, grouped_formatting);
    tcase_add_test(tc, buf_printf_and_cp);
    suite_add_tcase(s, tc);
    return s;
}
