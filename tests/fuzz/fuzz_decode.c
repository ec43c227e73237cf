/* fuzz_decode.c - libFuzzer target: text decoding (decode.h) and character
 * normalisation (normalise.h) of arbitrary bytes.
 *
 * Checks: decoding either fails with *out NULL and a message, or yields
 * NUL-free valid UTF-8 without '\r' and a known encoding name; normalising
 * any bytes (valid or not) yields NUL-free valid UTF-8, and normalising that
 * again changes nothing (one pass is enough, so segmentation can normalise
 * cells and blocks separately and still agree). Also: any bytes written as
 * a JSON string (file names are bytes) give one line of valid UTF-8.
 */
#include <stdint.h>
#include <string.h>

#include "decode.h"
#include "fuzz.h"
#include "normalise.h"
#include "output.h"

static void S_check_normalised(const char *s, size_t n)
{
    cnrs_buf a = CNRS_BUF_INIT, b = CNRS_BUF_INIT;
    cnrs_normalise(s, n, &a);
    FUZZ_CHECK(a.len == 0 || a.data[a.len] == '\0');
    FUZZ_CHECK(fuzz_utf8_ok(a.data ? a.data : "", a.len));
    cnrs_normalise(a.data ? a.data : "", a.len, &b);
    FUZZ_CHECK(a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0));
    cnrs_buf_free(&a);
    cnrs_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = (char *)1;
    size_t n = 1;
    const char *enc = NULL;
    cnrs_error err = {0};
    cnrs_status st = cnrs_decode_text("fuzz.txt", (const char *)data, size, &out, &n, &enc, &err);
    if (st == CNRS_OK) {
        FUZZ_CHECK(out != NULL && out[n] == '\0');
        FUZZ_CHECK(fuzz_utf8_ok(out, n));
        FUZZ_CHECK(memchr(out, '\r', n) == NULL);
        FUZZ_CHECK(enc != NULL);
        FUZZ_CHECK(!strcmp(enc, "utf-8") || !strcmp(enc, "utf-8-bom") ||
                   !strcmp(enc, "utf-16le") || !strcmp(enc, "utf-16be") ||
                   !strcmp(enc, "gb18030"));
        S_check_normalised(out, n);
        free(out);
    } else {
        FUZZ_CHECK(out == NULL && n == 0);
        FUZZ_CHECK(err.code == st && err.msg[0] != '\0');
        FUZZ_CHECK(strchr(err.msg, '\n') == NULL);
        FUZZ_CHECK(st == CNRS_ERR_BINARY || st == CNRS_ERR_ENCODING);
    }
    /* Normalisation is also applied to whatever bytes a reader produced. */
    S_check_normalised((const char *)data, size);
    cnrs_buf j = CNRS_BUF_INIT;
    cnrs_json_string(&j, (const char *)data, size);
    FUZZ_CHECK(j.len >= 2 && j.data[0] == '"' && j.data[j.len - 1] == '"');
    FUZZ_CHECK(fuzz_utf8_ok(j.data, j.len) && memchr(j.data, '\n', j.len) == NULL);
    cnrs_buf_free(&j);
    return 0;
}
