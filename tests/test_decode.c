/* test_decode.c - encoding detection, conversion to UTF-8, newline and
 * binary handling. */
#include <check.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

typedef struct S_res {
    cnrs_status st;
    char *out;
    size_t len;
    const char *enc;
    cnrs_error err;
} S_res;

static S_res S_dec(const char *data, size_t len)
{
    S_res r;
    memset(&r, 0, sizeof r);
    r.enc = "unset";
    r.st = cnrs_decode_text("doc.txt", data, len, &r.out, &r.len, &r.enc, &r.err);
    return r;
}

START_TEST(utf8_plain_and_bom)
{
    S_res r = S_dec("碳中和 2021", strlen("碳中和 2021"));
    ck_assert_int_eq(r.st, CNRS_OK);
    ck_assert_str_eq(r.enc, "utf-8");
    ck_assert_str_eq(r.out, "碳中和 2021");
    ck_assert_uint_eq(r.len, strlen("碳中和 2021"));
    free(r.out);

    r = S_dec("\xEF\xBB\xBF碳", 6);
    ck_assert_int_eq(r.st, CNRS_OK);
    ck_assert_str_eq(r.enc, "utf-8-bom");
    ck_assert_str_eq(r.out, "碳");
    ck_assert_uint_eq(r.len, 3);
    free(r.out);
}
END_TEST

START_TEST(utf16le_with_bom)
{
    /* 碳 U+78B3, 中 U+4E2D, CR LF, A, U+1F600 as a surrogate pair. */
    const char in[] = "\xFF\xFE"
                      "\xB3\x78"
                      "\x2D\x4E"
                      "\r\0\n\0"
                      "A\0"
                      "\x3D\xD8\x00\xDE";
    S_res r = S_dec(in, sizeof in - 1);
    ck_assert_int_eq(r.st, CNRS_OK);
    ck_assert_str_eq(r.enc, "utf-16le");
    ck_assert_str_eq(r.out, "碳中\nA\xF0\x9F\x98\x80");
    ck_assert_uint_eq(r.len, 6 + 1 + 1 + 4);
    free(r.out);
}
END_TEST

START_TEST(utf16be_with_bom)
{
    const char in[] = "\xFE\xFF"
                      "\x78\xB3"
                      "\x4E\x2D"
                      "\0\r"
                      "\0B";
    S_res r = S_dec(in, sizeof in - 1);
    ck_assert_int_eq(r.st, CNRS_OK);
    ck_assert_str_eq(r.enc, "utf-16be");
    ck_assert_str_eq(r.out, "碳中\nB");
    free(r.out);
}
END_TEST

START_TEST(utf16_malformed)
{
    S_res r = S_dec("\xFF\xFE"
                    "A\0B",
                    5); /* odd length */
    ck_assert_int_eq(r.st, CNRS_ERR_ENCODING);
    ck_assert_ptr_null(r.out);
    ck_assert_ptr_nonnull(strstr(r.err.msg, "doc.txt"));
    r = S_dec("\xFF\xFE"
              "\x00\xDC"
              "A\0",
              6); /* lone low surrogate */
    ck_assert_int_eq(r.st, CNRS_ERR_ENCODING);
    r = S_dec("\xFF\xFE"
              "\x3D\xD8"
              "A\0",
              6); /* high surrogate, no low */
    ck_assert_int_eq(r.st, CNRS_ERR_ENCODING);
    r = S_dec("\xFF\xFE"
              "\x3D\xD8",
              4); /* high surrogate at the end */
    ck_assert_int_eq(r.st, CNRS_ERR_ENCODING);
}
END_TEST

START_TEST(gbk_bytes)
{
    /* 碳中和 in GBK / GB18030. */
    S_res r = S_dec("\xCC\xBC\xD6\xD0\xBA\xCD", 6);
    ck_assert_int_eq(r.st, CNRS_OK);
    ck_assert_str_eq(r.enc, "gb18030");
    ck_assert_str_eq(r.out, "碳中和");
    free(r.out);
}
END_TEST

START_TEST(gb18030_round_trip_via_iconv)
{
    const char *text = "２０２１年碳排放总量为951.4万吨。\r\n范围1：51.0万吨\r";
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    ck_assert(cd != (iconv_t)-1);
    char gb[256];
    char *in = (char *)(uintptr_t)text, *o = gb;
    size_t inleft = strlen(text), oleft = sizeof gb;
    ck_assert_uint_ne(iconv(cd, &in, &inleft, &o, &oleft), (size_t)-1);
    iconv_close(cd);
    size_t gblen = sizeof gb - oleft;
    ck_assert_uint_lt(gblen, strlen(text)); /* really converted: 2 bytes per Han */

    S_res r = S_dec(gb, gblen);
    ck_assert_int_eq(r.st, CNRS_OK);
    ck_assert_str_eq(r.enc, "gb18030");
    ck_assert_str_eq(r.out, "２０２１年碳排放总量为951.4万吨。\n范围1：51.0万吨\n");
    free(r.out);
}
END_TEST

START_TEST(newlines_normalised)
{
    S_res r = S_dec("a\r\nb\rc\n\rd", 9);
    ck_assert_int_eq(r.st, CNRS_OK);
    ck_assert_str_eq(r.out, "a\nb\nc\n\nd");
    ck_assert_uint_eq(r.len, 8);
    free(r.out);
    /* Form feeds are kept for the page splitter. */
    r = S_dec("p1\fp2", 5);
    ck_assert_int_eq(r.st, CNRS_OK);
    ck_assert_str_eq(r.out, "p1\fp2");
    free(r.out);
}
END_TEST

START_TEST(invalid_is_encoding_error)
{
    S_res r = S_dec("abc\xFF"
                    "def",
                    7); /* 0xFF is neither UTF-8 nor GB18030 */
    ck_assert_int_eq(r.st, CNRS_ERR_ENCODING);
    ck_assert_ptr_null(r.out);
    ck_assert_int_eq(r.err.code, CNRS_ERR_ENCODING);
    ck_assert_ptr_nonnull(strstr(r.err.msg, "doc.txt: "));
    r = S_dec("abc\x81", 4); /* truncated GB18030 lead byte */
    ck_assert_int_eq(r.st, CNRS_ERR_ENCODING);
    r = S_dec("\xEF\xBB\xBF"
              "ab\xFF",
              6); /* BOM says UTF-8, bytes are not */
    ck_assert_int_eq(r.st, CNRS_ERR_ENCODING);
}
END_TEST

START_TEST(binary_detected)
{
    S_res r = S_dec("text\0more", 9);
    ck_assert_int_eq(r.st, CNRS_ERR_BINARY);
    ck_assert_ptr_null(r.out);
    ck_assert_ptr_nonnull(strstr(r.err.msg, "doc.txt: "));
    /* NUL wins over invalid UTF-8. */
    r = S_dec("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
    ck_assert_int_eq(r.st, CNRS_ERR_BINARY);
    /* Many control characters. */
    char ctl[64];
    for (size_t i = 0; i < sizeof ctl; i++)
        ctl[i] = (i % 2) ? 'x' : '\x02';
    r = S_dec(ctl, sizeof ctl);
    ck_assert_int_eq(r.st, CNRS_ERR_BINARY);
    /* One stray control in real text is tolerated. */
    r = S_dec("some text\x01 here\tand\vthere", 25);
    ck_assert_int_eq(r.st, CNRS_OK);
    free(r.out);
    /* The limit is n / 100 + 4 controls, counted in one pass with the UTF-8
     * check (ASCII eight bytes at a time) and past the first invalid byte. */
    char many[800];
    memset(many, 'a', sizeof many);
    for (size_t i = 0; i < 12; i++)
        many[60 * i + 7] = '\x07'; /* 12 = 800 / 100 + 4: tolerated */
    r = S_dec(many, sizeof many);
    ck_assert_int_eq(r.st, CNRS_OK);
    free(r.out);
    many[799] = '\x1F'; /* 13: binary */
    r = S_dec(many, sizeof many);
    ck_assert_int_eq(r.st, CNRS_ERR_BINARY);
    ck_assert_ptr_nonnull(strstr(r.err.msg, "13 control characters in 800 bytes"));
    many[0] = '\xFF'; /* not UTF-8: the controls after it still count */
    r = S_dec(many, sizeof many);
    ck_assert_int_eq(r.st, CNRS_ERR_BINARY);
    ck_assert_ptr_nonnull(strstr(r.err.msg, "13 control characters in 800 bytes"));
    /* UTF-16 that decodes to NUL characters is binary too. */
    r = S_dec("\xFF\xFE"
              "A\0\0\0B\0",
              8);
    ck_assert_int_eq(r.st, CNRS_ERR_BINARY);
}
END_TEST

START_TEST(empty_input)
{
    S_res r = S_dec("", 0);
    ck_assert_int_eq(r.st, CNRS_OK);
    ck_assert_str_eq(r.out, "");
    ck_assert_uint_eq(r.len, 0);
    ck_assert_str_eq(r.enc, "utf-8");
    free(r.out);
}
END_TEST

START_TEST(utf8_fast_path_checks_every_offset)
{
    /* Chinese text is validated two characters (six bytes) a test; a
     * sequence it must not pass is caught wherever it falls. */
    static const char *const valid[] = {"\xE0\xA0\x80", "\xED\x9F\xBF", "\xEF\xBF\xBD",
                                        "\xE1\x80\x80", "\xC2\xA9", "\xF0\x9F\x98\x80", "a"};
    static const char *const invalid[] = {"\xED\xA0\x80", "\xE0\x80\x80", "\xE4\xB8" "a",
                                          "\xE4\x41\x41", "\xE4\xB8\xC0", "\xFF"};
    char in[128];
    for (int k = 0; k < 8; k++) {
        for (size_t i = 0; i < sizeof valid / sizeof *valid + sizeof invalid / sizeof *invalid; i++) {
            int ok = i < sizeof valid / sizeof *valid;
            in[0] = '\0';
            for (int j = 0; j < k; j++)
                strcat(in, "中");
            strcat(in, ok ? valid[i] : invalid[i - sizeof valid / sizeof *valid]);
            strcat(in, "文字文字");
            S_res r = S_dec(in, strlen(in));
            if (ok) {
                ck_assert_msg(r.st == CNRS_OK && !strcmp(r.enc, "utf-8") && !strcmp(r.out, in),
                              "valid %zu at %d", i, k);
            } else {
                ck_assert_msg(r.st != CNRS_OK || strcmp(r.enc, "utf-8") != 0, "invalid %zu at %d",
                              i, k);
            }
            free(r.out);
        }
    }
}
END_TEST

START_TEST(utf8_sixteen_byte_fast_path_checks_every_offset)
{
    /* Validation takes sixteen bytes a test (with two bytes of lookahead);
     * each sequence sits at every offset of that window, after Chinese
     * text and after ASCII. */
    static const char *const valid[] = {
        "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEF\xBF\xBD", "\xE1\x80\x80", "\xC2\x80",
        "\xDF\xBF",     "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "\n", "\t", "\x7F", "a", "，"};
    static const char *const invalid[] = {
        "\xED\xA0\x80", "\xE0\x80\x80", "\xE0\x9F\xBF", "\xE4\xB8" "a", "\xE4\x41\x41",
        "\xE4\xB8\xC0", "\xC0\x80",     "\xC1\xBF",     "\xC2" "a",   "\xC2\xC2\x80",
        "\x80",         "\xBF",         "\xF5\x80\x80\x80", "\xF4\x90\x80\x80", "\xFF", "\xFE"};
    size_t nv = sizeof valid / sizeof *valid, ni = sizeof invalid / sizeof *invalid;
    char in[256];
    for (int cjk = 0; cjk < 2; cjk++) {
        for (int k = 0; k < 32; k++) {
            for (size_t i = 0; i < nv + ni; i++) {
                int ok = i < nv;
                /* the case at byte 3 + 3k (every residue mod 16) or 3 + k */
                strcpy(in, "中");
                for (int j = 0; j < k; j++)
                    strcat(in, cjk ? "中" : "x");
                size_t at = strlen(in);
                strcat(in, ok ? valid[i] : invalid[i - nv]);
                strcat(in, cjk ? "文字文字文字文字文字文字" : "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
                S_res r = S_dec(in, strlen(in));
                if (ok) {
                    ck_assert_msg(r.st == CNRS_OK && !strcmp(r.enc, "utf-8") && !strcmp(r.out, in),
                                  "valid %zu at byte %zu", i, at);
                } else {
                    /* Not UTF-8: GB18030 or refused, never passed through. */
                    ck_assert_msg(r.st != CNRS_OK || strcmp(r.enc, "utf-8") != 0,
                                  "invalid %zu at byte %zu", i - nv, at);
                }
                free(r.out);
            }
        }
    }
}
END_TEST

START_TEST(utf8_controls_counted_wherever_they_fall)
{
    /* 1,000 bytes may hold 1000 / 100 + 4 = 14 controls; the fifteenth
     * makes the file binary. Controls at offsets that move through the
     * sixteen-byte window. */
    for (int shift = 0; shift < 16; shift++) {
        for (int extra = 0; extra < 2; extra++) {
            char buf[1001];
            for (int i = 0; i < 1000; i++)
                buf[i] = (char)('a' + i % 26);
            buf[1000] = '\0';
            int nctl = 14 + extra;
            for (int c = 0; c < nctl; c++)
                buf[shift + c * 67] = (char)(c % 2 ? 0x01 : 0x1F);
            S_res r = S_dec(buf, 1000);
            if (extra)
                ck_assert_msg(r.st == CNRS_ERR_BINARY, "shift %d: %d controls passed", shift, nctl);
            else
                ck_assert_msg(r.st == CNRS_OK && r.len == 1000, "shift %d: %d controls refused",
                              shift, nctl);
            free(r.out);
        }
    }
}
END_TEST

Suite *cnrs_suite_decode(void);
Suite *cnrs_suite_decode(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, utf8_plain_and_bom);
    tcase_add_test(tc, utf16le_with_bom);
    tcase_add_test(tc, utf16be_with_bom);
    tcase_add_test(tc, utf16_malformed);
    tcase_add_test(tc, gbk_bytes);
    tcase_add_test(tc, gb18030_round_trip_via_iconv);
    tcase_add_test(tc, newlines_normalised);
    tcase_add_test(tc, invalid_is_encoding_error);
    tcase_add_test(tc, binary_detected);
    tcase_add_test(tc, empty_input);
    tcase_add_test(tc, utf8_fast_path_checks_every_offset);
    tcase_add_test(tc, utf8_sixteen_byte_fast_path_checks_every_offset);
    tcase_add_test(tc, utf8_controls_counted_wherever_they_fall);
    suite_add_tcase(s, tc);
    return s;
}
