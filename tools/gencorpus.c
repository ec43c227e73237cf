/* gencorpus.c - a deterministic generated corpus for benchmarks and batch
 * tests: report-sized documents made by recombining the sentences of the
 * given source files (the team's corpora and the seed documents).
 *
 *   gencorpus OUTDIR TOTAL_KB MIN_KB MAX_KB SEED FILE...
 *
 * Writes documents named {code}_{company}_{year}.txt (code 600000 + n,
 * company "gen<n>", year 2021-2024) until TOTAL_KB kilobytes are written;
 * each between MIN_KB and MAX_KB. The same arguments always give the same
 * bytes (xorshift64* seeded from SEED). Sources must be UTF-8 text; others
 * (GB18030, HTML, expected files) are skipped. Standalone: uses only libc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char **v;
    size_t *len;
    size_t n, cap;
} Sents;

static uint64_t rng_state;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fputs("gencorpus: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static void add(Sents *s, const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\n' || p[n - 1] == '\r'))
        n--;
    if (n < 6)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
        s->len = xrealloc(s->len, s->cap * sizeof *s->len);
    }
    s->v[s->n] = xrealloc(NULL, n);
    memcpy(s->v[s->n], p, n);
    s->len[s->n++] = n;
}

static int valid_utf8(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                                 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!k || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}

/* Sentences end at 。！？ or a newline; wrapped lines simply become shorter
 * pieces, which is what extraction sees in real PDF text anyway. */
static void load(Sents *s, const char *path)
{
    size_t pl = strlen(path);
    if (pl < 4 || strcmp(path + pl - 4, ".txt") != 0)
        return;
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char *buf = NULL;
    size_t n = 0, cap = 0, r;
    char chunk[65536];
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n + r > cap) {
            cap = (n + r) * 2;
            buf = xrealloc(buf, cap);
        }
        memcpy(buf + n, chunk, r);
        n += r;
    }
    fclose(f);
    if (!buf || !valid_utf8((const unsigned char *)buf, n)) {
        free(buf);
        return;
    }
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        size_t end = 0;
        if (c == '\n' || c == '\f')
            end = i + 1;
        else if (c == 0xE3 && i + 2 < n && (unsigned char)buf[i + 1] == 0x80 &&
                 (unsigned char)buf[i + 2] == 0x82) /* 。 */
            end = i + 3;
        else if (c == 0xEF && i + 2 < n && (unsigned char)buf[i + 1] == 0xBC &&
                 ((unsigned char)buf[i + 2] == 0x81 || (unsigned char)buf[i + 2] == 0x9F)) /* ！？ */
            end = i + 3;
        if (end) {
            add(s, buf + start, end - start);
            start = end;
            i = end - 1;
        }
    }
    add(s, buf + start, n - start);
    free(buf);
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fputs("usage: gencorpus OUTDIR TOTAL_KB MIN_KB MAX_KB SEED FILE...\n", stderr);
        return 2;
    }
    const char *out = argv[1];
    unsigned long long total = strtoull(argv[2], NULL, 10) * 1024ULL;
    size_t min = strtoul(argv[3], NULL, 10) * 1024, max = strtoul(argv[4], NULL, 10) * 1024;
    rng_state = strtoull(argv[5], NULL, 10) * 0x9E3779B97F4A7C15ULL + 1;
    if (max < min)
        max = min;
    Sents s = {0};
    for (int i = 6; i < argc; i++)
        load(&s, argv[i]);
    if (s.n == 0) {
        fputs("gencorpus: no UTF-8 .txt sentences in the sources\n", stderr);
        return 1;
    }
    unsigned long long written = 0;
    char path[4096];
    for (unsigned long doc = 0; written < total; doc++) {
        size_t target = min + (size_t)(rng() % (max - min + 1));
        snprintf(path, sizeof path, "%s/%06lu_gen%05lu_%lu.txt", out, 600000 + doc, doc,
                 2021 + (unsigned long)(rng() % 4));
        FILE *f = fopen(path, "wb");
        if (!f) {
            perror(path);
            return 1;
        }
        size_t size = 0;
        while (size < target) {
            /* Paragraphs of 1-6 sentences, with a blank line between. */
            int k = 1 + (int)(rng() % 6);
            for (int j = 0; j < k; j++) {
                size_t i = (size_t)(rng() % s.n);
                fwrite(s.v[i], 1, s.len[i], f);
                size += s.len[i];
            }
            fputs("\n\n", f);
            size += 2;
        }
        if (fclose(f) != 0) {
            perror(path);
            return 1;
        }
        written += size;
    }
    for (size_t i = 0; i < s.n; i++)
        free(s.v[i]);
    free(s.v);
    free(s.len);
    return 0;
}
