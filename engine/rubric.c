/* rubric.c - load, validate and compile a rubric file (see rubric.h). */
#include "rubric.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "quantity.h"
#include "sha256.h"

/* ---- diagnostics ---------------------------------------------------------- */

typedef struct S_loader {
    const char *name; /* file name used in messages */
    cnrs_buf *report;
    cnrs_error *err;
    int nerrors;
    cnrs_rubric *r;
    /* macros, expanded, in definition order */
    char **macro_names, **macro_vals;
    size_t nmacros, names_cap, vals_cap;
} S_loader;

__attribute__((format(printf, 3, 4))) static void S_fail(S_loader *L, int line, const char *fmt,
                                                         ...)
{
    char msg[sizeof L->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (L->nerrors == 0)
        cnrs_error_set(L->err, CNRS_ERR_RUBRIC, "%s:%d: %s", L->name, line, msg);
    if (L->report)
        cnrs_buf_printf(L->report, "%s:%d: %s\n", L->name, line, msg);
    L->nerrors++;
}

/* libxml2 structured error callback: parse and schema errors with lines. */
static void S_xml_error(void *ctx, xmlErrorPtr e)
{
    S_loader *L = ctx;
    if (!e || e->level == XML_ERR_WARNING)
        return;
    char msg[800];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    S_fail(L, e->line, "%s", msg);
}

/* ---- small XML helpers ---------------------------------------------------- */

static int S_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *S_next_el(const xmlNode *n, const char *name)
{
    for (; n; n = n->next)
        if (S_is(n, name))
            return n;
    return NULL;
}

#define S_FOR_CHILD(var, parent, name)                                                          \
    for (const xmlNode *var = S_next_el((parent)->children, name); var;                         \
         var = S_next_el(var->next, name))

/* Attribute value copied with cnrs_xstrdup, or NULL. */
static char *S_attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp((xmlNode *)n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = cnrs_xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

/* Text content with leading/trailing white space removed, cnrs_xstrdup'd. */
static char *S_text(const xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent((xmlNode *)n);
    const char *s = v ? (const char *)v : "";
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
                   s[len - 1] == '\r'))
        len--;
    char *out = cnrs_xstrndup(s, len);
    xmlFree(v);
    return out;
}

static int S_line(const xmlNode *n)
{
    return (int)xmlGetLineNo((xmlNode *)n);
}

/* The <name lang="zh|en"> children of n into *zh / *en (cnrs_xstrdup'd). */
static void S_names(const xmlNode *n, const char *elem, char **zh, char **en)
{
    S_FOR_CHILD(c, n, elem)
    {
        char *lang = S_attr(c, "lang");
        char **dst = lang && strcmp(lang, "en") == 0 ? en : zh;
        if (!*dst)
            *dst = S_text(c);
        free(lang);
    }
}

/* ---- patterns ------------------------------------------------------------- */

/* Where expansion moved text: expanded offset `exp` corresponds to source
 * offset `src`; inside a macro body everything maps to the '{'. */
typedef struct S_xmap {
    size_t exp, src, len; /* len: expanded length of a macro insertion, 0 for plain text */
} S_xmap;

/* Source offset of expanded offset `off`. */
static size_t S_unexpand(const S_xmap *m, size_t n, size_t off)
{
    size_t best = off;
    for (size_t i = 0; i < n; i++) {
        if (m[i].exp > off)
            break;
        best = off - m[i].exp + m[i].src;
        if (m[i].len && off < m[i].exp + m[i].len)
            best = m[i].src;
    }
    return best;
}

/* Expand {MACRO} references; returns a new string or NULL (error reported).
 * PCRE2's own brace syntax (\p{L}, \x{FF10}, \g{1}, \N{U+...}) is left
 * alone. When `map` is given it receives the offset mapping (caller frees). */
static char *S_expand_map(S_loader *L, const char *src, int line, const char *what, S_xmap **map,
                          size_t *nmap)
{
    cnrs_buf b = CNRS_BUF_INIT;
    size_t mcap = 0;
    if (map) {
        *map = NULL;
        *nmap = 0;
    }
    for (const char *p = src; *p;) {
        int escaped = p - src >= 2 && p[-2] == '\\' &&
                      ((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z'));
        if (*p == '{' && !escaped && p[1] >= 'A' && p[1] <= 'Z') {
            const char *q = p + 1;
            while ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
                q++;
            if (*q == '}') {
                size_t k = (size_t)(q - p - 1);
                size_t i;
                for (i = 0; i < L->nmacros; i++)
                    if (strlen(L->macro_names[i]) == k && memcmp(L->macro_names[i], p + 1, k) == 0)
                        break;
                if (i == L->nmacros) {
                    S_fail(L, line, "%s: unknown macro {%.*s} in pattern \"%s\"", what, (int)k,
                           p + 1, src);
                    cnrs_buf_free(&b);
                    return NULL;
                }
                size_t at = b.len;
                cnrs_buf_puts(&b, "(?:");
                cnrs_buf_puts(&b, L->macro_vals[i]);
                cnrs_buf_putc(&b, ')');
                if (map) {
                    *map = cnrs_xgrow(*map, &mcap, *nmap + 2, sizeof **map);
                    (*map)[(*nmap)++] = (S_xmap){at, (size_t)(p - src), b.len - at};
                    (*map)[(*nmap)++] = (S_xmap){b.len, (size_t)(q + 1 - src), 0};
                }
                p = q + 1;
                continue;
            }
        }
        cnrs_buf_putc(&b, *p++);
    }
    return cnrs_buf_steal(&b);
}

static char *S_expand(S_loader *L, const char *src, int line, const char *what)
{
    return S_expand_map(L, src, line, what, NULL, NULL);
}

/* At most `max` bytes of s, cut at a UTF-8 boundary, "..." when cut; for
 * quoting patterns in one-line messages. Returns a new string. */
static char *S_clip(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return cnrs_xstrdup(s);
    size_t k = cnrs_utf8_valid_prefix((const unsigned char *)s, max);
    char *out = cnrs_xmalloc(k + 4);
    memcpy(out, s, k);
    memcpy(out + k, "...", 4);
    return out;
}

static pcre2_code *S_compile(const char *pat, int caseless, int *errcode, PCRE2_SIZE *erroff)
{
    /* USE_OFFSET_LIMIT: the extractor bounds where a match may start by
     * where the prefilter saw the pattern's literals (extract.c). */
    uint32_t opts = PCRE2_UTF | PCRE2_USE_OFFSET_LIMIT | (caseless ? PCRE2_CASELESS : 0);
    return pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts, errcode, erroff, NULL);
}

/* The next character of pat at or after *i that stands outside escapes,
 * \Q...\E and character classes (a '(', ')' or '|' there is structure); 0 at
 * the end. *i is left on it. */
static char S_next_meta(const char *pat, size_t len, size_t *i)
{
    size_t k = *i;
    while (k < len) {
        if (pat[k] == '\\') {
            if (pat[k + 1] == 'Q') { /* \Q...\E is literal, '|' included */
                const char *e = strstr(pat + k + 2, "\\E");
                k = e ? (size_t)(e - pat) + 2 : len;
            } else {
                k += 2;
            }
        } else if (pat[k] == '[') {
            k++;
            if (pat[k] == '^')
                k++;
            if (pat[k] == ']') /* a leading ']' is a member */
                k++;
            while (k < len && pat[k] != ']')
                k += pat[k] == '\\' ? 2 : 1;
            k++;
        } else {
            break;
        }
    }
    *i = k < len ? k : len;
    return k < len ? pat[k] : 0;
}

/* 1 when the whole of pat is one non-capturing group "(?:...)" (what a
 * pattern that is a single {MACRO} expands to), else 0: the group's body may
 * then be split like a top-level alternation. */
static int S_whole_group(const char *pat)
{
    size_t len = strlen(pat), depth = 0;
    if (len < 4 || strncmp(pat, "(?:", 3) != 0 || pat[len - 1] != ')')
        return 0;
    for (size_t i = 0;; i++) {
        char c = S_next_meta(pat, len, &i);
        if (!c)
            return 0;
        if (c == '(')
            depth++;
        else if (c == ')' && depth && --depth == 0)
            return i == len - 1; /* the first group closes only at the end */
    }
}

/* Split a pattern at its top-level '|' into branches (offsets into pat).
 * Returns 0 when the pattern must stay whole: an inline flag group such as
 * "(?i)" at top level changes the meaning of the branches after it. */
static int S_branches(const char *pat, size_t **starts, size_t **lens, size_t *n)
{
    size_t cap = 0, cap2 = 0, depth = 0, start = 0, len = strlen(pat);
    *starts = NULL;
    *lens = NULL;
    *n = 0;
    for (size_t i = 0;; i++) {
        char c = S_next_meta(pat, len, &i);
        if (c == '(') {
            if (depth == 0 && pat[i + 1] == '?') {
                size_t k = i + 2;
                while ((pat[k] >= 'a' && pat[k] <= 'z') || (pat[k] >= 'A' && pat[k] <= 'Z') ||
                       pat[k] == '-' || pat[k] == '^')
                    k++;
                if (pat[k] == ')' && k > i + 2) {
                    free(*starts);
                    free(*lens);
                    *starts = *lens = NULL;
                    *n = 0;
                    return 0;
                }
            }
            depth++;
        } else if (c == ')') {
            if (depth)
                depth--;
        } else if (!c || (c == '|' && depth == 0)) {
            *starts = cnrs_xgrow(*starts, &cap, *n + 1, sizeof **starts);
            *lens = cnrs_xgrow(*lens, &cap2, *n + 1, sizeof **lens);
            (*starts)[*n] = start;
            (*lens)[*n] = i - start;
            (*n)++;
            start = i + 1;
            if (!c)
                return 1;
        }
    }
}

/* Add one compiled branch (with its prefilter id) to a regex. */
static void S_regex_push(S_loader *L, cnrs_regex *re, size_t *cap, pcre2_code *code,
                         const char *src)
{
    /* JIT is an optimisation: without it the interpreter gives the same
     * answers, so a JIT failure is not an error. CNRS_NO_JIT=1 turns it off
     * for valgrind, whose memcheck cannot follow the JIT's SIMD reads (they
     * read aligned blocks past the subject; PCRE2 issue #995). */
    const char *nojit = getenv("CNRS_NO_JIT");
    if (!(nojit && *nojit && strcmp(nojit, "0") != 0))
        (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    size_t c2 = *cap;
    re->code = cnrs_xgrow(re->code, cap, re->n + 1, sizeof *re->code);
    re->pf_id = cnrs_xgrow(re->pf_id, &c2, re->n + 1, sizeof *re->pf_id);
    re->code[re->n] = code;
    re->pf_id[re->n] = L->r->npf;
    cnrs_prefilter_add(L->r->pf, L->r->npf++, src);
    re->n++;
}

/* Compile the pattern n's text into `re`: checked alone first (so an error
 * names it and its line), then one branch per top-level alternative, each
 * with its own literals, so a sentence runs only the alternatives whose
 * literals it contains. */
static void S_pattern_add_text(S_loader *L, cnrs_regex *re, size_t *cap, const char *raw,
                               int caseless, int line, const char *what)
{
    if (!*raw) {
        S_fail(L, line, "%s: empty pattern", what);
        return;
    }
    if (re->n == 0)
        re->line = line;
    S_xmap *map;
    size_t nmap;
    char *pat = S_expand_map(L, raw, line, what, &map, &nmap);
    if (pat) {
        int ec;
        PCRE2_SIZE eo;
        pcre2_code *whole = S_compile(pat, caseless, &ec, &eo);
        if (!whole) {
            PCRE2_UCHAR m[256];
            pcre2_get_error_message(ec, m, sizeof m);
            char *q = S_clip(raw, 200);
            S_fail(L, line, "%s: bad pattern \"%s\": %s at offset %zu", what, q, (char *)m,
                   S_unexpand(map, nmap, (size_t)eo));
            free(q);
        } else {
            size_t *st, *ln, nb;
            pcre2_code **parts = NULL;
            /* "{MACRO}" alone expands to one group around the macro's
             * alternatives: split those. */
            char *body = S_whole_group(pat) ? cnrs_xstrndup(pat + 3, strlen(pat) - 4) : NULL;
            const char *src = body ? body : pat;
            int ok = S_branches(src, &st, &ln, &nb) && nb > 1;
            if (ok) {
                parts = cnrs_xcalloc(nb, sizeof *parts);
                for (size_t k = 0; k < nb && ok; k++) {
                    char *b = cnrs_xstrndup(src + st[k], ln[k]);
                    parts[k] = S_compile(b, caseless, &ec, &eo);
                    ok = parts[k] != NULL && ln[k] > 0;
                    free(b);
                }
            }
            if (ok) {
                pcre2_code_free(whole);
                for (size_t k = 0; k < nb; k++) {
                    char *b = cnrs_xstrndup(src + st[k], ln[k]);
                    S_regex_push(L, re, cap, parts[k], b);
                    free(b);
                }
            } else {
                /* A branch that does not stand alone (a backreference into
                 * another branch, an empty branch): keep the pattern whole. */
                for (size_t k = 0; parts && k < nb; k++)
                    if (parts[k])
                        pcre2_code_free(parts[k]);
                S_regex_push(L, re, cap, whole, pat);
            }
            free(parts);
            free(st);
            free(ln);
            free(body);
        }
    }
    free(map);
    free(pat);
}

/* S_pattern_add_text for the text of element n (lang="en": caseless). */
static void S_pattern_add(S_loader *L, cnrs_regex *re, size_t *cap, const xmlNode *n,
                          const char *what)
{
    char *raw = S_text(n);
    char *lang = S_attr(n, "lang");
    S_pattern_add_text(L, re, cap, raw, lang && strcmp(lang, "en") == 0, S_line(n), what);
    free(lang);
    free(raw);
}

/* The index of the anchor topic compiled from macro `name`, compiling it on
 * first use; -1 (and an error) when no such macro exists. */
static int S_anchor(S_loader *L, const char *name, int line, const char *what)
{
    cnrs_rubric *r = L->r;
    for (size_t i = 0; i < r->nanchors; i++)
        if (strcmp(r->anchor_names[i], name) == 0)
            return (int)i;
    size_t m = 0;
    while (m < L->nmacros && strcmp(L->macro_names[m], name) != 0)
        m++;
    if (m == L->nmacros) {
        S_fail(L, line, "%s: anchor %s is not a macro", what, name);
        return -1;
    }
    if (r->nanchors >= INT16_MAX) {
        S_fail(L, line, "%s: too many anchor topics", what);
        return -1;
    }
    size_t cap = r->nanchors, ncap = r->nanchors;
    r->anchors = cnrs_xgrow(r->anchors, &cap, r->nanchors + 1, sizeof *r->anchors);
    r->anchor_names = cnrs_xgrow(r->anchor_names, &ncap, r->nanchors + 1, sizeof(char *));
    memset(&r->anchors[r->nanchors], 0, sizeof *r->anchors);
    r->anchor_names[r->nanchors] = cnrs_xstrdup(name);
    char wh[160];
    snprintf(wh, sizeof wh, "anchor %s", name);
    size_t rcap = 0;
    /* The macro's own (expanded) text, not "{NAME}", which would expand as
     * one group: its top-level alternatives then compile as branches of their
     * own, each with its own literals for the prefilter. Macros mix languages,
     * so an anchor is case-sensitive; English words carry their own (?i:...). */
    S_pattern_add_text(L, &r->anchors[r->nanchors], &rcap, L->macro_vals[m], 0, line, wh);
    return (int)r->nanchors++;
}

/* The cues of item element ite into it->cue, with each branch's anchor. */
static void S_load_cues(S_loader *L, cnrs_item *it, const xmlNode *ite, const char *what)
{
    /* Anchors first: a regex's branch ids must be consecutive (rubric.h), so
     * no anchor may be compiled between two cues of the item. */
    S_FOR_CHILD(c, ite, "cue")
    {
        char *anchor = S_attr(c, "anchor");
        if (anchor)
            (void)S_anchor(L, anchor, S_line(c), what);
        free(anchor);
    }
    size_t cap = 0, acap = 0;
    S_FOR_CHILD(c, ite, "cue")
    {
        size_t before = it->cue.n;
        S_pattern_add(L, &it->cue, &cap, c, what);
        char *anchor = S_attr(c, "anchor");
        char *in = S_attr(c, "anchor-in");
        cnrs_cue_anchor ca = {-1, 0};
        if (anchor)
            ca.topic = (int16_t)S_anchor(L, anchor, S_line(c), what);
        ca.clause = in && strcmp(in, "clause") == 0;
        if (in && !anchor)
            S_fail(L, S_line(c), "%s: anchor-in without anchor", what);
        it->cue_anchor = cnrs_xgrow(it->cue_anchor, &acap, it->cue.n ? it->cue.n : 1,
                                    sizeof *it->cue_anchor);
        for (size_t k = before; k < it->cue.n; k++)
            it->cue_anchor[k] = ca;
        free(anchor);
        free(in);
    }
}

static void S_regex_free(cnrs_regex *re)
{
    for (size_t i = 0; i < re->n; i++)
        pcre2_code_free(re->code[i]);
    free(re->code);
    free(re->pf_id);
    memset(re, 0, sizeof *re);
}

int cnrs_regex_search(const cnrs_regex *re, const char *s, size_t n)
{
    int found = 0;
    for (size_t i = 0; i < re->n && !found; i++) {
        pcre2_match_data *md = pcre2_match_data_create(1, NULL);
        found = pcre2_match(re->code[i], (PCRE2_SPTR)s, n, 0, 0, md, NULL) >= 0;
        pcre2_match_data_free(md);
    }
    return found;
}

/* ---- sections ------------------------------------------------------------- */

static double S_num_attr(S_loader *L, const xmlNode *n, const char *name, double dflt)
{
    char *v = S_attr(n, name);
    if (!v)
        return dflt;
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end) {
        S_fail(L, S_line(n), "attribute %s=\"%s\" is not a number", name, v);
        d = dflt;
    }
    free(v);
    return d;
}

static void S_load_scoring(S_loader *L, const xmlNode *n)
{
    cnrs_scoring *s = &L->r->scoring;
    s->depth_divisor = S_num_attr(L, n, "depth-divisor", 4);
    s->bonus = S_num_attr(L, n, "bonus", 5);
    s->bonus_min_dims = (int)S_num_attr(L, n, "bonus-min-dimensions", 2);
    s->part = S_num_attr(L, n, "part", 0.5);
    s->most = S_num_attr(L, n, "most", 0.75);
    s->detail_quant = S_num_attr(L, n, "detail-quant", 0.5);
    if (!(s->part < s->most))
        S_fail(L, S_line(n), "scoring: part (%g) must be below most (%g)", s->part, s->most);
    int seen[CNRS_NBANDS] = {0};
    S_FOR_CHILD(b, n, "band")
    {
        char *id = S_attr(b, "id");
        int k = id && id[0] == 'B' ? id[1] - '0' : -1;
        if (k < 0 || k >= CNRS_NBANDS) {
            S_fail(L, S_line(b), "band \"%s\": id must be B0..B5", id ? id : "");
        } else if (seen[k]++) {
            S_fail(L, S_line(b), "band %s defined twice", id);
        } else {
            s->band_low[k] = S_num_attr(L, b, "low", 0);
            s->band_high[k] = S_num_attr(L, b, "high", 0);
            if (s->band_low[k] > s->band_high[k])
                S_fail(L, S_line(b), "band %s: low %g above high %g", id, s->band_low[k],
                       s->band_high[k]);
            if (k > 0 && seen[k - 1] && s->band_low[k] < s->band_high[k - 1])
                S_fail(L, S_line(b), "band %s overlaps B%d", id, k - 1);
        }
        free(id);
    }
    for (int k = 0; k < CNRS_NBANDS; k++)
        if (!seen[k])
            S_fail(L, S_line(n), "scoring: band B%d missing", k);
}

static void S_load_macros(S_loader *L, const xmlNode *n)
{
    S_FOR_CHILD(m, n, "macro")
    {
        char *name = S_attr(m, "name");
        char *raw = S_text(m);
        char what[96];
        snprintf(what, sizeof what, "macro %s", name ? name : "?");
        char *val = S_expand(L, raw, S_line(m), what);
        free(raw);
        if (!name || !val) {
            free(name);
            free(val);
            continue;
        }
        L->macro_names = cnrs_xgrow(L->macro_names, &L->names_cap, L->nmacros + 1, sizeof(char *));
        L->macro_vals = cnrs_xgrow(L->macro_vals, &L->vals_cap, L->nmacros + 1, sizeof(char *));
        L->macro_names[L->nmacros] = name;
        L->macro_vals[L->nmacros] = val;
        L->nmacros++;
    }
}

static void S_load_units(S_loader *L, const xmlNode *n)
{
    cnrs_rubric *r = L->r;
    size_t count = 0;
    S_FOR_CHILD(u, n, "unit") count++;
    r->units = cnrs_xcalloc(count, sizeof *r->units);
    S_FOR_CHILD(u, n, "unit")
    {
        if (r->nunits >= CNRS_MAX_UNITS) {
            S_fail(L, S_line(u), "more than %d unit classes", CNRS_MAX_UNITS);
            break;
        }
        cnrs_unit *un = &r->units[r->nunits];
        un->id = S_attr(u, "id");
        un->line = S_line(u);
        if (cnrs_rubric_find_unit(r, un->id) >= 0)
            S_fail(L, un->line, "unit %s defined twice", un->id);
        r->nunits++;
        S_names(u, "name", &un->name_zh, &un->name_en);
        char what[96];
        snprintf(what, sizeof what, "unit %s", un->id);
        size_t cap = 0;
        S_FOR_CHILD(p, u, "p") S_pattern_add(L, &un->re, &cap, p, what);
        cap = 0;
        S_FOR_CHILD(p, u, "label") S_pattern_add(L, &un->label, &cap, p, what);
        /* dims="energy tce": quantities of these dimensions (quantity.h) */
        char *dims = S_attr(u, "dims");
        char *save = NULL;
        for (char *tok = dims ? strtok_r(dims, " ", &save) : NULL; tok;
             tok = strtok_r(NULL, " ", &save)) {
            int d = cnrs_qtable_dim(r->quant, tok);
            if (d < 0)
                S_fail(L, un->line, "%s: unknown quantity dimension \"%s\"", what, tok);
            else
                un->dims |= 1u << d;
        }
        free(dims);
        if (!un->re.n && !un->dims)
            S_fail(L, un->line, "%s: needs patterns or dims", what);
    }
}

/* <quantities>: dimensions, unit forms and markers into r->quant. */
static void S_load_quantities(S_loader *L, const xmlNode *n)
{
    cnrs_rubric *r = L->r;
    S_FOR_CHILD(d, n, "dimension")
    {
        char *id = S_attr(d, "id"), *canon = S_attr(d, "canonical"), *mass = S_attr(d, "mass");
        int di = cnrs_qtable_add_dim(r->quant, id, canon, mass);
        if (di < 0)
            S_fail(L, S_line(d), "dimension %s defined twice or too many dimensions", id);
        if (mass && cnrs_qtable_dim(r->quant, mass) < 0)
            S_fail(L, S_line(d), "dimension %s: mass dimension %s must be defined before it",
                   id, mass);
        S_FOR_CHILD(u, d, "unit")
        {
            double f = S_num_attr(L, u, "factor", 0);
            char *cs = S_attr(u, "case"), *cur = S_attr(u, "currency"),
                 *pos = S_attr(u, "position"), *forms = S_text(u);
            int exact = cs && strcmp(cs, "exact") == 0;
            int before = pos && strcmp(pos, "before") == 0;
            if (!(f > 0))
                S_fail(L, S_line(u), "dimension %s: factor must be positive", id);
            char *save = NULL;
            for (char *tok = strtok_r(forms, "|", &save); tok && di >= 0 && f > 0;
                 tok = strtok_r(NULL, "|", &save))
                if (cnrs_qtable_add_form(r->quant, di, tok, f, exact, cur, before) != 0)
                    S_fail(L, S_line(u), "dimension %s: bad unit form \"%s\"", id, tok);
            free(cs);
            free(cur);
            free(pos);
            free(forms);
        }
        S_FOR_CHILD(m, d, "marker")
        {
            char *forms = S_text(m);
            if (!mass)
                S_fail(L, S_line(m), "dimension %s: markers need a mass dimension", id);
            char *save = NULL;
            for (char *tok = strtok_r(forms, "|", &save); tok && di >= 0;
                 tok = strtok_r(NULL, "|", &save))
                if (cnrs_qtable_add_marker(r->quant, di, tok) != 0)
                    S_fail(L, S_line(m), "dimension %s: bad marker \"%s\"", id, tok);
            free(forms);
        }
        free(id);
        free(canon);
        free(mass);
    }
}

static void S_load_detectors(S_loader *L, const xmlNode *n)
{
    int seen[CNRS_DET_COUNT] = {0};
    S_FOR_CHILD(d, n, "detector")
    {
        char *id = S_attr(d, "id");
        int k;
        for (k = 0; k < CNRS_DET_COUNT; k++)
            if (id && strcmp(id, cnrs_detector_name((cnrs_detector_id)k)) == 0)
                break;
        if (k == CNRS_DET_COUNT) {
            S_fail(L, S_line(d), "unknown detector \"%s\"", id ? id : "");
        } else if (seen[k]++) {
            S_fail(L, S_line(d), "detector %s defined twice", id);
        } else {
            char what[96];
            snprintf(what, sizeof what, "detector %s", id);
            size_t cap = 0;
            S_FOR_CHILD(p, d, "p") S_pattern_add(L, &L->r->detectors[k], &cap, p, what);
        }
        free(id);
    }
    for (int k = 0; k < CNRS_DET_COUNT; k++)
        if (!seen[k])
            S_fail(L, S_line(n), "detector %s missing", cnrs_detector_name((cnrs_detector_id)k));
}

/* A space-separated list of unit ids -> bitmask; unknown ids are errors. */
static uint32_t S_unit_mask(S_loader *L, const char *list, int line, const char *what)
{
    uint32_t mask = 0;
    if (!list)
        return 0;
    char *copy = cnrs_xstrdup(list), *save = NULL;
    for (char *tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
        int u = cnrs_rubric_find_unit(L->r, tok);
        if (u < 0)
            S_fail(L, line, "%s: unknown unit class \"%s\"", what, tok);
        else
            mask |= 1u << u;
    }
    free(copy);
    return mask;
}

static void S_load_indicators(S_loader *L, const xmlNode *n)
{
    cnrs_rubric *r = L->r;
    size_t nind = 0, nitems = 0;
    S_FOR_CHILD(ind, n, "indicator")
    {
        nind++;
        S_FOR_CHILD(it, ind, "item") nitems++;
    }
    if (nind > CNRS_MAX_INDICATORS) {
        S_fail(L, S_line(n), "%zu indicators; at most %d are supported", nind,
               CNRS_MAX_INDICATORS);
        return;
    }
    r->indicators = cnrs_xcalloc(nind, sizeof *r->indicators);
    r->items = cnrs_xcalloc(nitems, sizeof *r->items);
    S_FOR_CHILD(ie, n, "indicator")
    {
        cnrs_indicator *ind = &r->indicators[r->nindicators];
        ind->id = S_attr(ie, "id");
        ind->key = S_attr(ie, "key");
        ind->line = S_line(ie);
        for (size_t j = 0; j < r->nindicators; j++)
            if (strcmp(r->indicators[j].id, ind->id) == 0 ||
                strcmp(r->indicators[j].key, ind->key) == 0)
                S_fail(L, ind->line, "indicator %s (%s): id or key used twice", ind->id, ind->key);
        ind->stage = (int)S_num_attr(L, ie, "stage", 1);
        char *pol = S_attr(ie, "polarity");
        ind->polarity = pol && strcmp(pol, "lower") == 0    ? CNRS_POL_LOWER
                        : pol && strcmp(pol, "higher") == 0 ? CNRS_POL_HIGHER
                                                            : CNRS_POL_ANY;
        free(pol);
        S_names(ie, "name", &ind->name_zh, &ind->name_en);
        ind->first_item = r->nitems;
        int ii = (int)r->nindicators;
        r->nindicators++;
        S_FOR_CHILD(ite, ie, "item")
        {
            cnrs_item *it = &r->items[r->nitems];
            it->id = S_attr(ite, "id");
            it->line = S_line(ite);
            it->indicator = ii;
            it->index = (int)r->nitems;
            size_t ql = strlen(ind->id) + strlen(it->id) + 2;
            it->qid = cnrs_xmalloc(ql);
            snprintf(it->qid, ql, "%s.%s", ind->id, it->id);
            for (size_t j = ind->first_item; j < r->nitems; j++)
                if (strcmp(r->items[j].id, it->id) == 0)
                    S_fail(L, it->line, "item %s defined twice", it->qid);
            r->nitems++;
            ind->nitems++;
            S_names(ite, "name", &it->name_zh, &it->name_en);
            char *units = S_attr(ite, "units");
            char what[160];
            snprintf(what, sizeof what, "indicator %s item %s", ind->id, it->id);
            it->units = S_unit_mask(L, units, it->line, what);
            free(units);

            S_load_cues(L, it, ite, what);
            size_t cap = 0, scap = 0;
            S_FOR_CHILD(c, ite, "exclude")
            {
                char *scope = S_attr(c, "scope");
                if (scope && strcmp(scope, "sentence") == 0)
                    S_pattern_add(L, &it->exclude_sentence, &scap, c, what);
                else
                    S_pattern_add(L, &it->exclude, &cap, c, what);
                free(scope);
            }

            size_t nex = 0;
            S_FOR_CHILD(c, ite, "example") nex++;
            it->examples = cnrs_xcalloc(nex, sizeof(char *));
            it->example_en = cnrs_xcalloc(nex ? nex : 1, 1);
            S_FOR_CHILD(c, ite, "example")
            {
                char *lang = S_attr(c, "lang");
                it->example_en[it->nexamples] = lang && strcmp(lang, "en") == 0;
                free(lang);
                it->examples[it->nexamples++] = S_text(c);
            }
            char *region = S_attr(ite, "region");
            it->china_only = region && strcmp(region, "CN") == 0;
            free(region);
        }
    }
}

static void S_load_stages(S_loader *L, const xmlNode *n)
{
    cnrs_rubric *r = L->r;
    size_t count = 0;
    S_FOR_CHILD(s, n, "stage") count++;
    r->stages = cnrs_xcalloc(count, sizeof *r->stages);
    S_FOR_CHILD(se, n, "stage")
    {
        cnrs_stage_def *st = &r->stages[r->nstages];
        int line = S_line(se);
        st->line = line;
        st->n = (int)S_num_attr(L, se, "n", 0);
        if (st->n != (int)r->nstages + 1)
            S_fail(L, line, "stage %d: stages must be numbered 1, 2, ... in order", st->n);
        r->nstages++;
        st->max = S_num_attr(L, se, "max", 0);
        char *rule = S_attr(se, "rule");
        st->rule = rule && strcmp(rule, "quantified") == 0 ? CNRS_RULE_QUANTIFIED
                                                            : CNRS_RULE_EVIDENCE;
        free(rule);
        S_names(se, "name", &st->name_zh, &st->name_en);
        char *list = S_attr(se, "indicators"), *save = NULL;
        for (char *tok = list ? strtok_r(list, " \t\n", &save) : NULL; tok;
             tok = strtok_r(NULL, " \t\n", &save)) {
            int k = cnrs_rubric_find_indicator(r, tok);
            if (k < 0)
                S_fail(L, line, "stage %d: unknown indicator \"%s\"", st->n, tok);
            else
                st->indicators |= 1u << k;
        }
        free(list);
        char *units = S_attr(se, "units");
        char what[64];
        snprintf(what, sizeof what, "stage %d", st->n);
        st->units = S_unit_mask(L, units, line, what);
        if (st->rule == CNRS_RULE_QUANTIFIED && !st->units)
            S_fail(L, line, "stage %d: rule quantified needs units", st->n);
        free(units);
        st->sentences = (int)S_num_attr(L, se, "sentences", 1);
        if (st->sentences < 1)
            S_fail(L, line, "stage %d: sentences must be 1 or more", st->n);
    }
}

static void S_load_priority(S_loader *L, const xmlNode *n)
{
    cnrs_rubric *r = L->r;
    size_t k = r->nindicators;
    int line = S_line(n);
    if (k == 0)
        return;
    /* `order` must list every indicator once; rows and cells follow it. */
    int *order = cnrs_xcalloc(k, sizeof(int));
    size_t norder = 0;
    char *list = S_attr(n, "order"), *save = NULL;
    for (char *tok = list ? strtok_r(list, " \t\n", &save) : NULL; tok;
         tok = strtok_r(NULL, " \t\n", &save)) {
        int j = cnrs_rubric_find_indicator(r, tok);
        if (j < 0)
            S_fail(L, line, "priority: unknown indicator \"%s\" in order", tok);
        else if (norder < k)
            order[norder++] = j;
        else
            S_fail(L, line, "priority: order lists more than %zu indicators", k);
    }
    free(list);
    if (norder != k) {
        S_fail(L, line, "priority: order lists %zu indicators, the rubric has %zu", norder, k);
        free(order);
        return;
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = a + 1; b < k; b++)
            if (order[a] == order[b])
                S_fail(L, line, "priority: %s appears twice in order", r->indicators[order[a]].id);

    r->matrix = cnrs_xmalloc(k * k * sizeof(double));
    for (size_t i = 0; i < k * k; i++)
        r->matrix[i] = NAN;
    unsigned char *have_row = cnrs_xcalloc(k, 1);
    S_FOR_CHILD(row, n, "row")
    {
        int rl = S_line(row);
        char *id = S_attr(row, "id");
        int i = cnrs_rubric_find_indicator(r, id);
        if (i < 0) {
            S_fail(L, rl, "priority: row for unknown indicator \"%s\"", id ? id : "");
            free(id);
            continue;
        }
        if (have_row[i]++)
            S_fail(L, rl, "priority: two rows for %s", id);
        char *cells = S_text(row), *sv = NULL;
        size_t col = 0;
        for (char *tok = strtok_r(cells, " \t\n", &sv); tok; tok = strtok_r(NULL, " \t\n", &sv)) {
            if (col >= k) {
                col++;
                continue;
            }
            int j = order[col];
            if (j == i) {
                if (strcmp(tok, "-") != 0)
                    S_fail(L, rl, "priority row %s: diagonal cell must be \"-\", not \"%s\"", id,
                           tok);
            } else if (strcmp(tok, "0") == 0 || strcmp(tok, "0.5") == 0 || strcmp(tok, "1") == 0) {
                r->matrix[(size_t)i * k + (size_t)j] = atof(tok);
            } else {
                S_fail(L, rl, "priority row %s, column %s: cell \"%s\" is not 0, 0.5 or 1", id,
                       r->indicators[j].id, tok);
            }
            col++;
        }
        if (col != k)
            S_fail(L, rl, "priority row %s has %zu cells, expected %zu", id, col, k);
        free(cells);
        free(id);
    }
    for (size_t i = 0; i < k; i++)
        if (!have_row[i])
            S_fail(L, line, "priority: no row for %s", r->indicators[i].id);
    free(have_row);
    free(order);

    /* Consistency a_ij + a_ji = 1, then T_i and weights. */
    double sum = 0;
    for (size_t i = 0; i < k; i++) {
        double t = 0;
        for (size_t j = 0; j < k; j++) {
            if (i == j)
                continue;
            double a = r->matrix[i * k + j], b = r->matrix[j * k + i];
            if (isnan(a) || isnan(b))
                continue; /* already reported */
            if (j > i && fabs(a + b - 1) > 1e-9)
                S_fail(L, line, "priority: %s vs %s is %g but %s vs %s is %g; they must sum to 1",
                       r->indicators[i].id, r->indicators[j].id, a, r->indicators[j].id,
                       r->indicators[i].id, b);
            t += a;
        }
        r->indicators[i].T = t;
        sum += t;
    }
    if (sum <= 0) {
        S_fail(L, line, "priority: all judgments are zero");
        return;
    }
    for (size_t i = 0; i < k; i++)
        r->indicators[i].weight = 100.0 * r->indicators[i].T / sum;
}

/* Stage maxima: cumulative weights must round to the published maxima. */
static void S_check_stages(S_loader *L)
{
    cnrs_rubric *r = L->r;
    for (size_t s = 0; s < r->nstages; s++) {
        cnrs_stage_def *st = &r->stages[s];
        double d = 0;
        for (size_t i = 0; i < r->nindicators; i++)
            if (r->indicators[i].stage <= st->n)
                d += r->indicators[i].weight;
        st->derived_max = d;
        if (fabs(floor(d + 0.5) - st->max) > 1e-9)
            S_fail(L, st->line,
                   "stage %d: derived maximum %.3f (cumulative weights) does not round to the "
                   "published %g",
                   st->n, d, st->max);
    }
    for (size_t i = 0; i < r->nindicators; i++)
        if (r->indicators[i].stage < 1 || r->indicators[i].stage > (int)r->nstages)
            S_fail(L, r->indicators[i].line, "indicator %s: stage %d is not defined",
                   r->indicators[i].id, r->indicators[i].stage);
}

/* ---- entry points ---------------------------------------------------------- */

static int S_validate(S_loader *L, xmlDoc *doc)
{
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewMemParserCtxt(cnrs_embedded_rubric_rng,
                                                            (int)strlen(cnrs_embedded_rubric_rng));
    xmlRelaxNGPtr schema = pc ? xmlRelaxNGParse(pc) : NULL;
    if (!schema) {
        S_fail(L, 0, "internal error: the built-in rubric schema does not parse");
        if (pc)
            xmlRelaxNGFreeParserCtxt(pc);
        return -1;
    }
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
    xmlRelaxNGSetValidStructuredErrors(vc, S_xml_error, L);
    int rc = xmlRelaxNGValidateDoc(vc, doc);
    xmlRelaxNGFreeValidCtxt(vc);
    xmlRelaxNGFree(schema);
    xmlRelaxNGFreeParserCtxt(pc);
    if (rc != 0 && L->nerrors == 0)
        S_fail(L, 0, "does not match the rubric schema");
    return rc == 0 ? 0 : -1;
}

cnrs_status cnrs_rubric_load_memory(const char *name, const char *data, size_t len,
                                    cnrs_rubric **out, cnrs_buf *report, cnrs_error *err)
{
    *out = NULL;
    S_loader L = {0};
    L.name = name;
    L.report = report;
    L.err = err;
    L.r = cnrs_xcalloc(1, sizeof *L.r);
    L.r->quant = cnrs_qtable_new();
    L.r->path = cnrs_xstrdup(name);
    L.r->pf = cnrs_prefilter_new();
    cnrs_sha256_hex(data, len, L.r->sha256);

    if (len > (size_t)1 << 28) {
        S_fail(&L, 0, "rubric file larger than 256 MiB");
        cnrs_rubric_free(L.r);
        return CNRS_ERR_RUBRIC;
    }
    xmlSetStructuredErrorFunc(&L, S_xml_error);
    /* NONET: never fetch; no NOENT/DTDLOAD: entities stay unexpanded. */
    xmlDoc *doc = xmlReadMemory(data, (int)len, name, NULL, XML_PARSE_NONET);
    if (doc && (doc->intSubset || doc->extSubset)) {
        /* Entities are expanded when text is read, after libxml2's own
         * amplification checks: a rubric has no use for a DTD, so none is
         * accepted. */
        S_fail(&L, 1, "a DOCTYPE is not allowed in a rubric file");
    } else if (doc && S_validate(&L, doc) == 0) {
        const xmlNode *root = xmlDocGetRootElement(doc);
        cnrs_rubric *r = L.r;
        r->id = S_attr(root, "id");
        r->version = S_attr(root, "version");
        S_names(root, "title", &r->title_zh, &r->title_en);
        const xmlNode *c;
        if ((c = S_next_el(root->children, "scoring")))
            S_load_scoring(&L, c);
        if ((c = S_next_el(root->children, "macros")))
            S_load_macros(&L, c);
        /* units name quantity dimensions: those first */
        if ((c = S_next_el(root->children, "quantities")))
            S_load_quantities(&L, c);
        if ((c = S_next_el(root->children, "units")))
            S_load_units(&L, c);
        if ((c = S_next_el(root->children, "detectors")))
            S_load_detectors(&L, c);
        if ((c = S_next_el(root->children, "indicators")))
            S_load_indicators(&L, c);
        if ((c = S_next_el(root->children, "stages")))
            S_load_stages(&L, c);
        if ((c = S_next_el(root->children, "priority")))
            S_load_priority(&L, c);
        if (L.nerrors == 0)
            S_check_stages(&L);
    } else if (!doc && L.nerrors == 0) {
        S_fail(&L, 0, "not a well-formed XML document");
    }
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (doc)
        xmlFreeDoc(doc);
    for (size_t i = 0; i < L.nmacros; i++) {
        free(L.macro_names[i]);
        free(L.macro_vals[i]);
    }
    free(L.macro_names);
    free(L.macro_vals);
    if (L.nerrors) {
        if (L.nerrors > 1 && err) {
            size_t n = strlen(err->msg);
            snprintf(err->msg + n, sizeof err->msg - n, " (and %d more)", L.nerrors - 1);
        }
        cnrs_rubric_free(L.r);
        return CNRS_ERR_RUBRIC;
    }
    cnrs_prefilter_build(L.r->pf);
    *out = L.r;
    return CNRS_OK;
}

cnrs_status cnrs_rubric_load(const char *path, cnrs_rubric **out, cnrs_buf *report,
                             cnrs_error *err)
{
    char *data;
    size_t len;
    *out = NULL;
    cnrs_status st = cnrs_read_file(path, (size_t)1 << 28, &data, &len, err);
    if (st != CNRS_OK) {
        if (report)
            cnrs_buf_printf(report, "%s\n", err ? err->msg : path);
        return st;
    }
    st = cnrs_rubric_load_memory(path, data, len, out, report, err);
    free(data);
    return st;
}

cnrs_status cnrs_rubric_load_builtin(cnrs_rubric **out, cnrs_buf *report, cnrs_error *err)
{
    return cnrs_rubric_load_memory("(built-in)", cnrs_embedded_rubric_xml,
                                   strlen(cnrs_embedded_rubric_xml), out, report, err);
}

void cnrs_rubric_free(cnrs_rubric *r)
{
    if (!r)
        return;
    free(r->path);
    free(r->id);
    free(r->version);
    free(r->title_zh);
    free(r->title_en);
    for (size_t i = 0; i < r->nstages; i++) {
        free(r->stages[i].name_zh);
        free(r->stages[i].name_en);
    }
    free(r->stages);
    for (size_t i = 0; i < r->nunits; i++) {
        free(r->units[i].id);
        free(r->units[i].name_zh);
        free(r->units[i].name_en);
        S_regex_free(&r->units[i].re);
        S_regex_free(&r->units[i].label);
    }
    free(r->units);
    cnrs_qtable_free(r->quant);
    for (int d = 0; d < CNRS_DET_COUNT; d++)
        S_regex_free(&r->detectors[d]);
    for (size_t i = 0; i < r->nanchors; i++) {
        S_regex_free(&r->anchors[i]);
        free(r->anchor_names[i]);
    }
    free(r->anchors);
    free(r->anchor_names);
    for (size_t i = 0; i < r->nindicators; i++) {
        free(r->indicators[i].id);
        free(r->indicators[i].key);
        free(r->indicators[i].name_zh);
        free(r->indicators[i].name_en);
    }
    free(r->indicators);
    for (size_t i = 0; i < r->nitems; i++) {
        cnrs_item *it = &r->items[i];
        free(it->id);
        free(it->qid);
        free(it->name_zh);
        free(it->name_en);
        S_regex_free(&it->cue);
        free(it->cue_anchor);
        S_regex_free(&it->exclude);
        S_regex_free(&it->exclude_sentence);
        for (size_t e = 0; e < it->nexamples; e++)
            free(it->examples[e]);
        free(it->examples);
        free(it->example_en);
    }
    free(r->items);
    free(r->matrix);
    cnrs_prefilter_free(r->pf);
    free(r);
}

int cnrs_rubric_find_indicator(const cnrs_rubric *r, const char *id_or_key)
{
    if (!id_or_key)
        return -1;
    for (size_t i = 0; i < r->nindicators; i++)
        if ((r->indicators[i].id && strcmp(r->indicators[i].id, id_or_key) == 0) ||
            (r->indicators[i].key && strcmp(r->indicators[i].key, id_or_key) == 0))
            return (int)i;
    return -1;
}

int cnrs_rubric_find_unit(const cnrs_rubric *r, const char *id)
{
    if (!id)
        return -1;
    for (size_t i = 0; i < r->nunits; i++)
        if (r->units[i].id && strcmp(r->units[i].id, id) == 0)
            return (int)i;
    return -1;
}

double cnrs_rubric_stage_max(const cnrs_rubric *r, int stage)
{
    for (size_t i = 0; i < r->nstages; i++)
        if (r->stages[i].n == stage)
            return r->stages[i].max;
    return 0;
}

const char *cnrs_detector_name(cnrs_detector_id d)
{
    static const char *const names[CNRS_DET_COUNT] = {
        "trend",    "trend_up", "trend_down", "comparison", "integration", "leadership",
        "negation", "national", "company",    "mask",       "unrelated", "boilerplate"};
    return (unsigned)d < CNRS_DET_COUNT ? names[d] : "?";
}
