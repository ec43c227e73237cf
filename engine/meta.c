/* meta.c - company metadata from file names, and stock codes in one form. */
#include "meta.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- codes ------------------------------------------------------------------- */

static int S_digits(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static char S_up(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* `s` (n bytes) equals the upper-case `word`, ignoring ASCII case. */
static int S_is(const char *s, size_t n, const char *word)
{
    if (strlen(word) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (S_up(s[i]) != word[i])
            return 0;
    return 1;
}

/* "000789" from "789": `digits` (n <= width) zero-padded to `width`. */
static char *S_pad(const char *digits, size_t n, size_t width, const char *suffix)
{
    cnrs_buf b = CNRS_BUF_INIT;
    for (size_t k = n; k < width; k++)
        cnrs_buf_putc(&b, '0');
    cnrs_buf_append(&b, digits, n);
    cnrs_buf_puts(&b, suffix);
    return cnrs_buf_steal(&b);
}

/* Split a marked code: SH600519, 600519.SS, 0700.HK, 6758.T ... into its
 * digits and exchange ("SH", "SZ", "BJ", "HK", "T"); 0 when unmarked. */
static int S_marked(const char *s, size_t n, const char **digits, size_t *nd, const char **ex)
{
    static const char *const pre[] = {"SH", "SZ", "BJ", "HK"};
    for (size_t k = 0; k < 4; k++)
        if (n > 2 && S_is(s, 2, pre[k]) && S_digits(s + 2, n - 2)) {
            *digits = s + 2;
            *nd = n - 2;
            *ex = pre[k];
            return 1;
        }
    const char *dot = memchr(s, '.', n);
    if (!dot || !S_digits(s, (size_t)(dot - s)))
        return 0;
    static const char *const suf[][2] = {{"SH", "SH"}, {"SS", "SH"}, {"SZ", "SZ"},
                                         {"BJ", "BJ"}, {"HK", "HK"}, {"T", "T"}};
    size_t sl = n - (size_t)(dot - s) - 1;
    for (size_t k = 0; k < 6; k++)
        if (S_is(dot + 1, sl, suf[k][0])) {
            *digits = s;
            *nd = (size_t)(dot - s);
            *ex = suf[k][1];
            return 1;
        }
    return 0;
}

char *cnrs_code_normalise(const char *raw, int lost_zeros)
{
    if (!raw)
        return NULL;
    while (*raw == ' ' || *raw == '\t')
        raw++;
    size_t n = strlen(raw);
    while (n && (raw[n - 1] == ' ' || raw[n - 1] == '\t'))
        n--;
    if (n == 0)
        return NULL;
    const char *d;
    size_t nd;
    const char *ex;
    if (S_marked(raw, n, &d, &nd, &ex)) {
        if (ex[0] == 'T') /* Tokyo: four digits, never padded */
            return S_pad(d, nd, nd, ".T");
        if (ex[0] == 'H') /* Hong Kong: five digits */
            return S_pad(d, nd, nd < 5 ? 5 : nd, ".HK");
        if (nd <= 6) /* Shanghai, Shenzhen, Beijing: six digits, exchange implied */
            return S_pad(d, nd, 6, "");
    } else if (S_digits(raw, n)) {
        if (n == 5 && raw[0] == '0') /* only Hong Kong writes five digits */
            return S_pad(raw, n, n, ".HK");
        /* A spreadsheet drops every leading zero: 789 was 000789. Only a
         * Shenzhen code 000001-003999 can have lost its zeros; 6758 (Tokyo)
         * or 0700 (typed with its zero) stay as written. */
        if (lost_zeros && n <= 4 && raw[0] != '0' && atoi(raw) <= 3999)
            return S_pad(raw, n, 6, "");
    }
    return cnrs_xstrndup(raw, n);
}

/* ---- file names -------------------------------------------------------------- */

static int S_sep(char c)
{
    return c == '_' || c == '-' || c == ' ';
}

typedef struct S_tok {
    size_t a, b; /* [a, b) in the name */
} S_tok;

/* A year as a whole token: 1990-2099, optionally followed by 年. */
static int S_year_tok(const char *s, size_t n)
{
    if (!(n == 4 || (n == 7 && memcmp(s + 4, "年", 3) == 0)) || !S_digits(s, 4))
        return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    return y >= 1990 && y <= 2099 ? y : 0;
}

/* A token a file name may open with as its stock code: a marked code, six
 * digits, or four or five digits that are not a year. */
static int S_code_tok(const char *s, size_t n)
{
    const char *d, *ex;
    size_t nd;
    if (S_marked(s, n, &d, &nd, &ex))
        return 1;
    return S_digits(s, n) && n >= 4 && n <= 6 && !S_year_tok(s, n);
}

/* name[a, b) without separators at either end, or NULL when nothing is left. */
static char *S_trimmed(const char *name, size_t a, size_t b)
{
    while (a < b && S_sep(name[a]))
        a++;
    while (b > a && S_sep(name[b - 1]))
        b--;
    return b > a ? cnrs_xstrndup(name + a, b - a) : NULL;
}

int cnrs_meta_from_path(const char *path, cnrs_meta *m)
{
    memset(m, 0, sizeof *m);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *name = cnrs_xstrndup(base, len);

    S_tok *t = NULL;
    size_t nt = 0, cap = 0;
    for (size_t p = 0; p < len;) {
        while (p < len && S_sep(name[p]))
            p++;
        size_t a = p;
        while (p < len && !S_sep(name[p]))
            p++;
        if (p > a) {
            t = cnrs_xgrow(t, &cap, nt + 1, sizeof *t);
            t[nt++] = (S_tok){a, p};
        }
    }
    int code = nt > 1 && S_code_tok(name + t[0].a, t[0].b - t[0].a);
    size_t ky = nt;
    for (size_t k = code ? 1 : 0; k < nt && ky == nt; k++)
        if ((m->year = S_year_tok(name + t[k].a, t[k].b - t[k].a)) != 0)
            ky = k;
    if (!code && ky == nt) { /* nothing recognised: the base name stands for the company */
        free(t);
        m->company = name;
        return 0;
    }
    if (code) {
        char *c = cnrs_xstrndup(name + t[0].a, t[0].b - t[0].a);
        m->code = cnrs_code_normalise(c, 0);
        free(c);
    }
    size_t from = code ? t[0].b : 0;
    if (ky == nt) {                         /* {code}_{company} */
        m->company = S_trimmed(name, from, len);
    } else if (ky > (code ? 1u : 0u)) {     /* {code}_{company}_{year}, {company} {year} ... */
        m->company = S_trimmed(name, from, t[ky].a);
    } else {                                /* {code}_{year}_{company}[_rest] */
        size_t a = t[ky].b, b = a < len ? a + 1 : a;
        char sep = a < len ? name[a] : '_';
        while (b < len && name[b] != sep)
            b++;
        m->company = S_trimmed(name, a, b);
    }
    if (!m->company)
        m->company = cnrs_xstrdup(m->code ? m->code : name);
    free(t);
    free(name);
    return 1;
}

static char *S_dup0(const char *s)
{
    return s ? cnrs_xstrdup(s) : NULL;
}

void cnrs_meta_copy(cnrs_meta *dst, const cnrs_meta *src)
{
    dst->code = S_dup0(src->code);
    dst->company = S_dup0(src->company);
    dst->year = src->year;
    dst->industry = S_dup0(src->industry);
    dst->size = S_dup0(src->size);
    dst->report_type = S_dup0(src->report_type);
}

void cnrs_meta_set(char **field, const char *value)
{
    free(*field);
    *field = value && *value ? cnrs_xstrdup(value) : NULL;
}

void cnrs_meta_clear(cnrs_meta *m)
{
    free(m->code);
    free(m->company);
    free(m->industry);
    free(m->size);
    free(m->report_type);
    memset(m, 0, sizeof *m);
}
