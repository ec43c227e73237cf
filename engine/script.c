/* script.c - Chinese script detection and simplification (see script.h). */
#include "script.h"

#include <opencc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S_HAN_FIRST 0x4E00u
#define S_HAN_LAST 0x9FFFu
#define S_HAN_N (S_HAN_LAST - S_HAN_FIRST + 1)

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static opencc_t S_hk2s = (opencc_t)-1;
static uint8_t S_trad[S_HAN_N / 8]; /* bit set: traditional-only character */

const char *cnrs_script_name(cnrs_script s)
{
    switch (s) {
    case CNRS_SCRIPT_HANS:
        return "zh-Hans";
    case CNRS_SCRIPT_HANT:
        return "zh-Hant";
    case CNRS_SCRIPT_NONE:
        break;
    }
    return "none";
}

static void S_put3(char *q, unsigned cp)
{
    q[0] = (char)(0xE0 | (cp >> 12));
    q[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    q[2] = (char)(0x80 | (cp & 0x3F));
}

/* Learn the table: every Han character on a line of its own (so no phrase
 * rule can join two), converted by t2s; a line that comes back different is a
 * traditional-only character. hk2s is opened for conversion. Without OpenCC
 * data the table stays empty and everything reads as simplified. */
static void S_init(void)
{
    opencc_t t2s = opencc_open("t2s.json");
    S_hk2s = opencc_open("hk2s.json");
    if (t2s == (opencc_t)-1)
        return;
    char *probe = cnrs_xmalloc((size_t)S_HAN_N * 4 + 1);
    for (unsigned k = 0; k < S_HAN_N; k++) {
        S_put3(probe + (size_t)k * 4, S_HAN_FIRST + k);
        probe[(size_t)k * 4 + 3] = '\n';
    }
    probe[(size_t)S_HAN_N * 4] = '\0';
    char *out = opencc_convert_utf8(t2s, probe, (size_t)S_HAN_N * 4);
    if (out) {
        const char *line = out;
        for (unsigned k = 0; k < S_HAN_N && *line; k++) {
            const char *nl = strchr(line, '\n');
            size_t len = nl ? (size_t)(nl - line) : strlen(line);
            if (len != 3 || memcmp(line, probe + (size_t)k * 4, 3) != 0)
                S_trad[k >> 3] |= (uint8_t)(1u << (k & 7));
            if (!nl)
                break;
            line = nl + 1;
        }
        opencc_convert_utf8_free(out);
    }
    free(probe);
    opencc_close(t2s);
}

/* A report is written in one script: its first S_WINDOW bytes decide. */
#define S_WINDOW ((size_t)16 << 10)

cnrs_script cnrs_script_detect(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n > S_WINDOW)
        n = S_WINDOW;
    size_t han = 0, trad = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0xE4 || p[i] > 0xE9) { /* not the lead byte of U+4000..U+9FFF */
            i++;
            continue;
        }
        uint32_t cp;
        if (cnrs_utf8_decode(p + i, n - i, &cp) == 3 && cp >= S_HAN_FIRST && cp <= S_HAN_LAST) {
            if (han++ == 0)
                pthread_once(&S_once, S_init);
            unsigned k = cp - S_HAN_FIRST;
            trad += (S_trad[k >> 3] >> (k & 7)) & 1u;
            i += 3;
        } else {
            i++;
        }
    }
    if (han == 0)
        return CNRS_SCRIPT_NONE;
    return trad > 0 && trad * 50 >= han ? CNRS_SCRIPT_HANT : CNRS_SCRIPT_HANS;
}

int cnrs_script_simplify(const char *s, size_t n, cnrs_buf *out)
{
    pthread_once(&S_once, S_init);
    if (S_hk2s == (opencc_t)-1)
        return 0;
    /* OpenCC reads up to a NUL: convert a NUL-terminated copy. */
    char *copy = cnrs_xstrndup(s, n);
    pthread_mutex_lock(&S_lock);
    char *conv = opencc_convert_utf8(S_hk2s, copy, n);
    pthread_mutex_unlock(&S_lock);
    free(copy);
    if (!conv)
        return 0;
    cnrs_buf_puts(out, conv);
    opencc_convert_utf8_free(conv);
    return 1;
}
