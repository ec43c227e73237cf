/* fuzz_prefilter.c - libFuzzer target: the prefilter's promise (prefilter.h)
 * that a pattern it does not mark for a text cannot match there.
 *
 * Classify depends on it: an unmarked pattern is never run, so a wrong
 * answer silently loses evidence. Input: one flag byte (bit 0: caseless, as
 * lang="en" patterns are compiled), then the PCRE2 pattern, a NUL, and the
 * text. Patterns PCRE2 rejects and text that is not UTF-8 are skipped.
 * Checks: whenever PCRE2 finds a match of the pattern in the text, the
 * prefilter marks the pattern as a candidate for that text; and no match
 * attempt can succeed outside the bounds the extractor gives PCRE2 (before
 * ends.first - lead, after ends.last - minlen).
 */
#include <stdint.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "fuzz.h"
#include "prefilter.h"

/* 1 if a lookaround or comment group "(?=" "(?!" "(?<=" "(?<!" "(?#", or a
 * stray "\E", is followed by a quantifier: the prefilter reads that
 * quantifier as a literal (pending, tests/fuzz/pending/prefilter/). Rough
 * (escapes and classes only); it only has to avoid re-finding the bug. */
static int S_quantified_zero_group(const char *p)
{
    for (const char *e = p; (e = strstr(e, "\\E")) != NULL; e++)
        if (e[2] == '*' || e[2] == '+' || e[2] == '?' || e[2] == '{')
            return 1; /* a stray \E is nothing: the quantifier is the item's before it */
    for (const char *g = p; (g = strstr(g, "(?")) != NULL; g++) {
        const char *k = g + 2;
        if (*k == '<')
            k++;
        if (*k != '=' && *k != '!' && !(g[2] == '#'))
            continue;
        int depth = 0;
        for (const char *q = g; *q; q++) {
            if (*q == '\\' && q[1]) {
                q++;
                continue;
            }
            if (*q == '[' && g[2] != '#') { /* a class: its ( ) are members */
                q++;
                if (*q == '^')
                    q++;
                if (*q == ']')
                    q++;
                while (*q && *q != ']')
                    q += (*q == '\\' && q[1]) ? 2 : 1;
                if (!*q)
                    break;
                continue;
            }
            if (*q == '(')
                depth++;
            else if (*q == ')' && --depth == 0) {
                if (q[1] == '*' || q[1] == '+' || q[1] == '?' || q[1] == '{')
                    return 1;
                break;
            }
        }
    }
    return 0;
}

/* 1 if a caseless match could rely on non-ASCII case folding, which the
 * prefilter (ASCII folding only) does not do: letters with case outside
 * ASCII in the pattern (Latin-1 and Greek to Cyrillic, Latin Extended
 * Additional, letterlike symbols), or the characters that fold to ASCII
 * letters in the text (U+017F long s, U+212A Kelvin, U+2126 Ohm, U+1E9E). */
static int S_unicode_case(const char *pat, const char *text, size_t tlen)
{
    for (const unsigned char *u = (const unsigned char *)pat; *u; u++)
        if ((*u >= 0xC2 && *u <= 0xDF) || (u[0] == 0xE1 && u[1] >= 0xB8 && u[1] <= 0xBF) ||
            (u[0] == 0xE2 && u[1] == 0x84))
            return 1;
    static const char *const to_ascii[] = {"\xC5\xBF", "\xE2\x84\xAA", "\xE2\x84\xA6",
                                           "\xE1\xBA\x9E"};
    for (size_t k = 0; k < sizeof to_ascii / sizeof *to_ascii; k++) {
        size_t m = strlen(to_ascii[k]);
        for (size_t i = 0; i + m <= tlen; i++)
            if (!memcmp(text + i, to_ascii[k], m))
                return 1;
    }
    return 0;
}

/* 1 if "[:" appears without completing a POSIX class name "[:alpha:]": the
 * prefilter then skips to the next ":]" anywhere, past the class and any
 * '|' (pending, tests/fuzz/pending/prefilter/). */
static int S_broken_posix_class(const char *p)
{
    for (const char *c = p; (c = strstr(c, "[:")) != NULL; c++) {
        const char *k = c + 2;
        if (*k == '^')
            k++;
        while (*k >= 'a' && *k <= 'z')
            k++;
        if (!(k > c + 2 && k[0] == ':' && k[1] == ']'))
            return 1;
    }
    return 0;
}

/* 1 if an escape that takes no braces (\, or \d) is followed by '{' (in a
 * class the prefilter skips a brace argument after every escape, to the
 * next '}' or the end), or \p \P \o \N by '<' or a quote (the prefilter
 * skips to the next '>' or quote): pending, tests/fuzz/pending/prefilter/. */
static int S_escape_then_brace(const char *p)
{
    for (const char *c = p; *c; c++) {
        if (*c != '\\' || !c[1])
            continue;
        if (c[2] == '{' && !strchr("xopPN", c[1])) /* \g{ \k{ too: not in a class */
            return 1;
        if ((c[2] == '<' || c[2] == '\'') && strchr("pPoN", c[1]))
            return 1; /* only \k and \g take <name> */
        c++;
    }
    return 0;
}

/* 1 if the pattern sets extended mode, "(?x)" or "(?ix:" ...: white space
 * and "# comments" are then not literals, which the prefilter does not know
 * (pending, tests/fuzz/pending/prefilter/). */
static int S_extended(const char *p)
{
    for (const char *g = p; (g = strstr(g, "(?")) != NULL; g++) {
        const char *k = g + 2;
        int x = 0;
        while ((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '-' || *k == '^')
            x |= *k++ == 'x';
        if (x && (*k == ')' || *k == ':'))
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    int caseless = data[0] & 1;
    const char *pat = (const char *)data + 1;
    const char *sep = memchr(pat, 0, size - 1);
    if (!sep || sep == pat)
        return 0;
    const char *text = sep + 1;
    size_t tlen = size - 1 - (size_t)(sep - pat) - 1;
    if (!fuzz_utf8_ok(text, tlen))
        return 0;

    /* Pending (tests/fuzz/pending/prefilter/): backtracking verbs such as
     * (*ACCEPT) end a match before the literals the prefilter requires, and
     * a quantifier after a lookaround or comment is read as a literal, "[:"
     * that is no POSIX class or an escape and '{' in a class swallow the
     * rest, (?x) is not understood, and caseless patterns fold ASCII only. */
    if (!fuzz_strict() && (strstr(pat, "(*") || S_quantified_zero_group(pat) ||
                           S_broken_posix_class(pat) || S_escape_then_brace(pat) ||
                           S_extended(pat) ||
                           (caseless && S_unicode_case(pat, text, tlen))))
        return 0;
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | (caseless ? PCRE2_CASELESS : 0), &ec, &eo, NULL);
    if (!code)
        return 0;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(mc, 100000);
    pcre2_set_depth_limit(mc, 1000);
    int rc = pcre2_match(code, (PCRE2_SPTR)text, tlen, 0, 0, md, mc);

    cnrs_prefilter *pf = cnrs_prefilter_new();
    cnrs_prefilter_add(pf, 0, pat);
    cnrs_prefilter_build(pf);
    size_t words = cnrs_prefilter_words(pf);
    uint64_t *bits = cnrs_xcalloc(words ? words : 1, sizeof *bits);
    cnrs_prefilter_span *ends = cnrs_xcalloc(words ? words * 64 : 64, sizeof *ends);
    cnrs_prefilter_scan_at(pf, text, tlen, bits, ends);
    if (rc >= 0 && !cnrs_prefilter_cand(pf, bits, 0)) {
        fprintf(stderr, "prefilter misses a match: pattern \"%s\"%s, text \"%.*s\"\n", pat,
                caseless ? " (caseless)" : "", (int)tlen, text);
        abort();
    }
    unsigned lead = cnrs_prefilter_lead(pf, 0), minlen = cnrs_prefilter_minlen(pf, 0);
    if (rc >= 0 && (lead || minlen) && tlen <= 4096) {
        /* Every attempt outside [first - lead, last - minlen] must fail. */
        for (size_t p = 0; p <= tlen; p++) {
            if (p < tlen && ((unsigned char)text[p] & 0xC0) == 0x80)
                continue;
            int out = (lead && p + lead < ends[0].first) || (minlen && p + minlen > ends[0].last);
            if (out && pcre2_match(code, (PCRE2_SPTR)text, tlen, p, PCRE2_ANCHORED, md, mc) >= 0) {
                fprintf(stderr,
                        "a match at %zu outside the bounds [%u - %u, %u - %u]: pattern "
                        "\"%s\"%s, text \"%.*s\"\n",
                        p, ends[0].first, lead, ends[0].last, minlen, pat,
                        caseless ? " (caseless)" : "", (int)tlen, text);
                abort();
            }
        }
    }
    free(ends);
    free(bits);
    cnrs_prefilter_free(pf);
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    return 0;
}
