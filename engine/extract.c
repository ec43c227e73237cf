/* extract.c - per-sentence evidence extraction (see extract.h). */
#include "extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "quantity.h"
#include "util.h"

/* PCRE2 limits: far above what any sane pattern needs on a 4 KB sentence,
 * low enough that a backtracking pattern cannot stall a batch. */
#define S_MATCH_LIMIT 2000000u
#define S_DEPTH_LIMIT 10000u

typedef struct S_span {
    size_t a, b;
} S_span;

typedef struct S_spans {
    S_span *v;
    size_t n, cap;
    int done; /* computed for the current sentence */
} S_spans;

struct cnrs_extractor {
    const cnrs_rubric *r;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    unsigned long limit_hits;
    cnrs_buf masked;
    size_t *breaks; /* clause boundaries of the current sentence */
    size_t nbreaks, breaks_cap;
    S_spans negation;
    S_spans national; /* national-context matches: their clauses earn nothing */
    int has_national; /* the sentence has some (found in step 2) */
    S_spans exclude;
    int8_t *topic;    /* per anchor topic: -1 not looked for yet, else 0/1 */
    int8_t *head_topic; /* the same in x->head, kept while the heading is */
    uint32_t label_units; /* unit classes with labels (S_units_from_context) */
    const char *head; /* the section heading of the current sentence, or NULL */
    const char *head_seen; /* the heading head_topic holds answers for */
    size_t head_n;
    S_spans *units; /* per unit class, lazily per sentence */
    cnrs_quantity *qs; /* the sentence's quantities (quantity.h), lazily */
    size_t nqs, qs_cap;
    int qs_done;
    /* The quantities of the document's sentences scanned unmasked, kept for
     * figures (cnrs_extract_quantities): qkept[sent] is 1 + the offset in
     * qpool, 0 when not kept. */
    const cnrs_doc *qdoc;
    uint32_t qsent;    /* the sentence being extracted when it may be kept, else UINT32_MAX */
    int qactive;       /* within cnrs_extract_doc: sentences are qdoc's */
    size_t *qkept, *qkept_n, qkept_cap;
    cnrs_quantity *qpool;
    size_t qpool_n, qpool_cap;
    uint64_t *bits;    /* prefilter candidates of the current sentence */
    cnrs_prefilter_span *ends; /* per prefilter id: its first and last literal occurrences */
    uint64_t *bits2;    /* the same for the next sentence, scanned with this one */
    cnrs_prefilter_span *ends2;
    uint16_t *lead;     /* per prefilter id: cnrs_prefilter_lead, or 0 */
    uint16_t *minlen;   /* per prefilter id: cnrs_prefilter_minlen, or 0 */
    int anchor;         /* ends, lead and minlen hold for the text being matched */
    int clauses_done;   /* x->breaks computed for the current sentence */
    const char *free_s; /* sentence and item cnrs_extract_clause_free last set up */
    size_t free_n, free_item;
    const uint32_t *second; /* per prefilter id: its second factor's bit, or UINT32_MAX */
    uint64_t *cuemask; /* prefilter ids of all item cue branches */
    size_t words;
    int *id_item;      /* prefilter id -> item whose cue it is, or -1 */
    uint64_t *items;   /* candidate items of the current sentence */
    size_t item_words;
    int naive;      /* run every pattern on every sentence (reference path) */
};

void cnrs_evidence_set_init(cnrs_evidence_set *set)
{
    memset(set, 0, sizeof *set);
}

void cnrs_evidence_set_reset(cnrs_evidence_set *set)
{
    set->n = 0;
    set->nfeats = 0;
}

void cnrs_evidence_set_free(cnrs_evidence_set *set)
{
    free(set->ev);
    free(set->feats);
    memset(set, 0, sizeof *set);
}

cnrs_extractor *cnrs_extractor_new(const cnrs_rubric *rubric)
{
    cnrs_extractor *x = cnrs_xcalloc(1, sizeof *x);
    x->r = rubric;
    /* One pair is enough: only the whole-match span is used. */
    x->md = pcre2_match_data_create(1, NULL);
    x->mctx = pcre2_match_context_create(NULL);
    if (!x->md || !x->mctx) {
        fputs("cnrs: out of memory creating PCRE2 match data\n", stderr);
        abort();
    }
    pcre2_set_match_limit(x->mctx, S_MATCH_LIMIT);
    pcre2_set_depth_limit(x->mctx, S_DEPTH_LIMIT);
    x->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (x->jit)
        pcre2_jit_stack_assign(x->mctx, NULL, x->jit);
    x->units = cnrs_xcalloc(rubric->nunits ? rubric->nunits : 1, sizeof *x->units);
    x->words = cnrs_prefilter_words(rubric->pf);
    x->second = cnrs_prefilter_seconds(rubric->pf);
    x->bits = cnrs_xcalloc(x->words, sizeof *x->bits);
    x->ends = cnrs_xcalloc(x->words * 64, sizeof *x->ends);
    x->bits2 = cnrs_xcalloc(x->words, sizeof *x->bits2);
    x->ends2 = cnrs_xcalloc(x->words * 64, sizeof *x->ends2);
    x->lead = cnrs_xcalloc(x->words * 64, sizeof *x->lead);
    x->minlen = cnrs_xcalloc(x->words * 64, sizeof *x->minlen);
    for (unsigned id = 0; id < rubric->npf; id++) {
        x->lead[id] = (uint16_t)cnrs_prefilter_lead(rubric->pf, id);
        x->minlen[id] = (uint16_t)cnrs_prefilter_minlen(rubric->pf, id);
    }
    x->cuemask = cnrs_xcalloc(x->words, sizeof *x->cuemask);
    x->id_item = cnrs_xmalloc((rubric->npf ? rubric->npf : 1) * sizeof *x->id_item);
    for (unsigned id = 0; id < rubric->npf; id++)
        x->id_item[id] = -1;
    for (size_t i = 0; i < rubric->nitems; i++)
        for (size_t k = 0; k < rubric->items[i].cue.n; k++) {
            unsigned id = rubric->items[i].cue.pf_id[k];
            x->cuemask[id >> 6] |= 1ull << (id & 63);
            x->id_item[id] = (int)i;
        }
    x->topic = cnrs_xmalloc(rubric->nanchors ? rubric->nanchors : 1);
    x->head_topic = cnrs_xmalloc(rubric->nanchors ? rubric->nanchors : 1);
    for (size_t u = 0; u < rubric->nunits; u++)
        if (rubric->units[u].label.n)
            x->label_units |= 1u << u;
    x->qsent = UINT32_MAX;
    x->item_words = rubric->nitems / 64 + 1;
    x->items = cnrs_xcalloc(x->item_words, sizeof *x->items);
    return x;
}

void cnrs_extractor_free(cnrs_extractor *x)
{
    if (!x)
        return;
    pcre2_match_data_free(x->md);
    pcre2_match_context_free(x->mctx);
    if (x->jit)
        pcre2_jit_stack_free(x->jit);
    cnrs_buf_free(&x->masked);
    free(x->breaks);
    free(x->negation.v);
    free(x->national.v);
    free(x->exclude.v);
    free(x->topic);
    free(x->head_topic);
    for (size_t i = 0; i < x->r->nunits; i++)
        free(x->units[i].v);
    free(x->units);
    free(x->qs);
    free(x->qkept);
    free(x->qkept_n);
    free(x->qpool);
    free(x->bits);
    free(x->ends);
    free(x->bits2);
    free(x->ends2);
    free(x->lead);
    free(x->minlen);
    free(x->cuemask);
    free(x->id_item);
    free(x->items);
    free(x);
}

unsigned long cnrs_extractor_limit_hits(const cnrs_extractor *x)
{
    return x->limit_hits;
}

void cnrs_extractor_set_naive(cnrs_extractor *x, int naive)
{
    x->naive = naive;
}

/* ---- matching helpers ------------------------------------------------------ */

/* The first branch of `re` at or after k that can match this sentence
 * (prefilter), or re->n. A regex's branch ids are consecutive (rubric.h), so
 * whole bitmap words are skipped at once. */
static size_t S_next_cand(const cnrs_extractor *x, const cnrs_regex *re, size_t k)
{
    if (x->naive || k >= re->n)
        return k;
    unsigned base = re->pf_id[0];
    while (k < re->n) {
        unsigned id = base + (unsigned)k;
        uint64_t w = x->bits[id >> 6] >> (id & 63);
        if (!w) {
            k += 64 - (id & 63);
            continue;
        }
        k += (size_t)__builtin_ctzll(w);
        if (k >= re->n)
            break;
        uint32_t s2 = x->second[base + k];
        if (s2 == UINT32_MAX || cnrs_prefilter_has(x->bits, s2))
            return k;
        k++;
    }
    return re->n;
}

#define S_FOR_CAND(x, re, k)                                                                   \
    for (size_t k = S_next_cand(x, re, 0); k < (re)->n; k = S_next_cand(x, re, k + 1))

/* Next match of branch k of `re` in s[0..n) that starts at or after `from`
 * and at or before `limit` (PCRE2_UNSET: anywhere); 1 with *a,*b set, or 0.
 * The limit stops a search at a clause's end instead of the sentence's. */
static int S_find_before(cnrs_extractor *x, const cnrs_regex *re, size_t k, const char *s,
                         size_t n, size_t from, PCRE2_SIZE limit, size_t *a, size_t *b)
{
    if (from > n)
        return 0;
    if (x->anchor) {
        /* The scan saw where this branch's literals occurred, and every
         * match holds one: none starts before the first occurrence's end
         * minus the lead, nor after the last occurrence's start. */
        unsigned id = re->pf_id[k];
        const cnrs_prefilter_span *e = &x->ends[id];
        if (x->lead[id]) {
            size_t at = e->first > x->lead[id] ? e->first - x->lead[id] : 0;
            if (at > from)
                from = at;
        }
        if (x->minlen[id] && cnrs_prefilter_has(x->bits, id) && e->last - x->minlen[id] < limit)
            limit = e->last - x->minlen[id];
    }
    if (limit != PCRE2_UNSET && from > limit)
        return 0;
    pcre2_set_offset_limit(x->mctx, limit);
    /* The JIT entry point skips pcre2_match's checks (a tenth of a short
     * match's cost); a pattern the JIT could not compile says so and takes
     * the interpreter. */
    int rc = pcre2_jit_match(re->code[k], (PCRE2_SPTR)s, n, from, 0, x->md, x->mctx);
    if (rc == PCRE2_ERROR_JIT_BADOPTION)
        rc = pcre2_match(re->code[k], (PCRE2_SPTR)s, n, from, PCRE2_NO_UTF_CHECK, x->md, x->mctx);
    if (rc < 0) {
        if (rc != PCRE2_ERROR_NOMATCH)
            x->limit_hits++;
        return 0;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
    *a = ov[0];
    *b = ov[1];
    return 1;
}

/* Next match of branch k of `re` in s[0..n) at or after `from`; 1 with *a,*b
 * set, or 0. */
static int S_find(cnrs_extractor *x, const cnrs_regex *re, size_t k, const char *s, size_t n,
                  size_t from, size_t *a, size_t *b)
{
    return S_find_before(x, re, k, s, n, from, PCRE2_UNSET, a, b);
}

/* Advance past an empty match without splitting a UTF-8 sequence. */
static size_t S_next_pos(const char *s, size_t n, size_t a, size_t b)
{
    if (b > a)
        return b;
    b++;
    while (b < n && ((unsigned char)s[b] & 0xC0) == 0x80)
        b++;
    return b;
}

static int S_any(cnrs_extractor *x, const cnrs_regex *re, const char *s, size_t n)
{
    size_t a, b;
    S_FOR_CAND(x, re, k)
    if (S_find(x, re, k, s, n, 0, &a, &b))
        return 1;
    return 0;
}

/* Matches of all branches, counted (saturating at 255). */
static unsigned S_count(cnrs_extractor *x, const cnrs_regex *re, const char *s, size_t n)
{
    unsigned c = 0;
    S_FOR_CAND(x, re, k)
    {
        size_t pos = 0, a, b;
        while (c < 255 && S_find(x, re, k, s, n, pos, &a, &b)) {
            c++;
            pos = S_next_pos(s, n, a, b);
        }
    }
    return c;
}

/* Spans of every match of every branch. */
static void S_collect(cnrs_extractor *x, const cnrs_regex *re, const char *s, size_t n,
                      S_spans *out)
{
    out->n = 0;
    out->done = 1;
    S_FOR_CAND(x, re, k)
    {
        size_t pos = 0, a, b;
        while (S_find(x, re, k, s, n, pos, &a, &b)) {
            out->v = cnrs_xgrow(out->v, &out->cap, out->n + 1, sizeof *out->v);
            out->v[out->n++] = (S_span){a, b};
            pos = S_next_pos(s, n, a, b);
        }
    }
}

/* ---- clauses --------------------------------------------------------------- */

static int S_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether the numbers on both sides of the comma at s[i] are short list
 * items (1-2 digits, or ranges of them: "4, 5, 8-12"), not values ("In 2021,
 * 5,000 t"). */
static int S_short_number(const char *s, size_t n, size_t i)
{
    size_t a = i;
    while (a > 0 && (S_is_digit(s[a - 1]) || s[a - 1] == '-'))
        a--;
    size_t b = i + 2;
    while (b < n && (S_is_digit(s[b]) || s[b] == '-'))
        b++;
    int ok = 1;
    for (size_t lo = a, k = a; k <= i && ok; k++)
        if (k == i || s[k] == '-') {
            ok = k - lo >= 1 && k - lo <= 2;
            lo = k + 1;
        }
    for (size_t lo = i + 2, k = i + 2; k <= b && ok; k++)
        if (k == b || s[k] == '-') {
            ok = k - lo >= 1 && k - lo <= 2;
            lo = k + 1;
        }
    return ok && (b >= n || s[b] != ',' || b + 1 >= n || !S_is_digit(s[b + 1]));
}

/* Clause boundaries: byte offsets where a clause ends (exclusive): commas,
 * semicolons, colons and table cells (" | "). A comma, semicolon or colon
 * between digits (1,466.73 / 10:30) is not a boundary. */
static void S_clauses(cnrs_extractor *x, const char *s, size_t n)
{
    x->nbreaks = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        unsigned char c = (unsigned char)s[i];
        if (c == '|' && i > 0 && s[i - 1] == ' ' && i + 1 < n && s[i + 1] == ' ') {
            /* a table cell is its own clause: rows flattened from two columns
             * join unrelated statements ("Reduce ... | • 1.16 million t") */
            len = 1;
        } else if (c == ',' || c == ';' || c == ':') {
            if (c != ';' && i > 0 && i + 1 < n && S_is_digit(s[i - 1]) && S_is_digit(s[i + 1]))
                continue;
            /* a list of numbers ("categories 4, 5, 8-12 are de minimis") is one clause */
            if (c == ',' && i > 0 && i + 2 < n && S_is_digit(s[i - 1]) && s[i + 1] == ' ' &&
                S_is_digit(s[i + 2]) && S_short_number(s, n, i))
                continue;
            len = 1;
        } else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
                   ((unsigned char)s[i + 2] == 0x8C ||  /* ， */
                    (unsigned char)s[i + 2] == 0x9B ||  /* ； */
                    (unsigned char)s[i + 2] == 0x9A)) { /* ： */
            len = 3;
        }
        if (len) {
            x->breaks = cnrs_xgrow(x->breaks, &x->breaks_cap, x->nbreaks + 1, sizeof(size_t));
            x->breaks[x->nbreaks++] = i;
            i += len - 1;
        }
    }
}

/* The clause [*lo, *hi) containing byte position p. */
static void S_clause_of(cnrs_extractor *x, const char *s, size_t n, size_t p, size_t *lo,
                        size_t *hi)
{
    if (!x->clauses_done) {
        S_clauses(x, s, n);
        x->clauses_done = 1;
    }
    *lo = 0;
    *hi = n;
    for (size_t i = 0; i < x->nbreaks; i++) {
        if (x->breaks[i] < p)
            *lo = x->breaks[i] + 1;
        else {
            *hi = x->breaks[i];
            break;
        }
    }
}

static int S_spans_touch(const S_spans *sp, size_t lo, size_t hi)
{
    for (size_t i = 0; i < sp->n; i++)
        if (sp->v[i].a < hi && sp->v[i].b > lo)
            return 1;
    return 0;
}

/* Whether position p of s[0..n) sits in a clause that is negated, speaks
 * in a national or international voice (为响应国家“双碳”目标，…: the
 * company's own clauses still count), or is excluded by a match of `ex`
 * (NULL: no exclusions). The spans are found on first use (an item's cue
 * rarely needs them). */
static int S_blocked(cnrs_extractor *x, const char *s, size_t n, size_t p, const cnrs_regex *ex)
{
    if (!x->negation.done)
        S_collect(x, &x->r->detectors[CNRS_DET_NEGATION], s, n, &x->negation);
    if (!x->national.done) {
        if (x->has_national)
            S_collect(x, &x->r->detectors[CNRS_DET_NATIONAL], s, n, &x->national);
        else
            x->national.n = 0;
        x->national.done = 1;
    }
    if (ex && !x->exclude.done)
        S_collect(x, ex, s, n, &x->exclude);
    if (x->negation.n == 0 && x->national.n == 0 && (!ex || x->exclude.n == 0))
        return 0;
    size_t lo, hi;
    S_clause_of(x, s, n, p, &lo, &hi);
    if (S_spans_touch(&x->negation, lo, hi) || S_spans_touch(&x->national, lo, hi))
        return 1;
    return ex && S_spans_touch(&x->exclude, lo, hi);
}

/* Whether some branch of `re` matches text t[0..tn) that the prefilter did
 * not scan (a heading): every branch is tried, without bounds. */
static int S_any_unscanned(cnrs_extractor *x, const cnrs_regex *re, const char *t, size_t tn)
{
    pcre2_set_offset_limit(x->mctx, PCRE2_UNSET);
    for (size_t k = 0; k < re->n; k++) {
        int rc = pcre2_jit_match(re->code[k], (PCRE2_SPTR)t, tn, 0, 0, x->md, x->mctx);
        if (rc == PCRE2_ERROR_JIT_BADOPTION)
            rc = pcre2_match(re->code[k], (PCRE2_SPTR)t, tn, 0, PCRE2_NO_UTF_CHECK, x->md,
                             x->mctx);
        if (rc >= 0)
            return 1;
        if (rc != PCRE2_ERROR_NOMATCH)
            x->limit_hits++;
    }
    return 0;
}

/* Table rows and sentences this short may take their topic from the section
 * heading ("单位：万吨" rows under 温室气体排放; "Scope 1: 1,200" under a
 * climate heading); longer sentences must carry it themselves. */
#define S_SHORT_SENTENCE 48

/* Whether cue branch k of item `it`, matched at position p of s[0..n), has
 * the anchor its rubric entry asks for (a generic cue: 行动方案, committee). */
static int S_anchored(cnrs_extractor *x, const cnrs_item *it, size_t k, const char *s, size_t n,
                      size_t p)
{
    const cnrs_cue_anchor *ca = &it->cue_anchor[k];
    if (ca->topic < 0)
        return 1;
    const cnrs_regex *re = &x->r->anchors[ca->topic];
    if (ca->clause) {
        size_t lo, hi, a, b;
        S_clause_of(x, s, n, p, &lo, &hi);
        S_FOR_CAND(x, re, j)
        if (hi > lo && S_find_before(x, re, j, s, n, lo, hi - 1, &a, &b)) /* starts in it */
            return 1;
    } else {
        if (x->topic[ca->topic] < 0)
            x->topic[ca->topic] = (int8_t)S_any(x, re, s, n);
        if (x->topic[ca->topic])
            return 1;
    }
    if (!x->head)
        return 0;
    if (x->head_topic[ca->topic] < 0)
        x->head_topic[ca->topic] = (int8_t)S_any_unscanned(x, re, x->head, x->head_n);
    return x->head_topic[ca->topic];
}

/* ---- per sentence ------------------------------------------------------------ */

/* Items with a candidate cue branch in x->bits, into x->items; 0 if none. */
static int S_candidate_items(cnrs_extractor *x)
{
    uint64_t any = 0;
    memset(x->items, 0, x->item_words * sizeof *x->items);
    for (size_t w = 0; w < x->words; w++) {
        uint64_t m = x->bits[w] & x->cuemask[w];
        any |= m;
        while (m) {
            unsigned id = (unsigned)(w * 64) + (unsigned)__builtin_ctzll(m);
            m &= m - 1;
            int i = x->id_item[id];
            x->items[i >> 6] |= 1ull << (i & 63);
        }
    }
    return any != 0;
}

/* The first item at or after i that is a candidate for this sentence (all
 * of them in naive mode), or nitems. */
static size_t S_next_item(const cnrs_extractor *x, size_t i)
{
    size_t n = x->r->nitems;
    if (x->naive)
        return i;
    while (i < n) {
        uint64_t w = x->items[i >> 6] >> (i & 63);
        if (w)
            return i + (size_t)__builtin_ctzll(w);
        i = (i | 63) + 1;
    }
    return n;
}

/* Fragments earn nothing: a label, caption or topic list names a subject
 * without saying anything about it ("Scope 1.", "Greenhouse gas emissions.",
 * "可持续城镇化 | 湿地保育 | 住宅产业化"). A piece is a fragment when it has no
 * digit and fewer than S_FRAGMENT_WORDS words and S_FRAGMENT_CJK Han
 * characters; a sentence is one when it has no digit and every " | " cell of
 * it is a fragment. Numbers make a short row data ("Scope 1 | 1,466.73");
 * years do not (a header row: "EU ETS 2017 2018 2019"). */
#define S_FRAGMENT_WORDS 4
#define S_FRAGMENT_CJK 8

static int S_fragment_piece(const char *s, size_t n)
{
    size_t words = 0, cjk = 0;
    int inword = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (letter && !inword)
            words++;
        inword = letter || (inword && (c == '-' || c == '\''));
        if (c >= 0xE4 && c <= 0xE9) /* lead byte of U+4000..U+9FFF: Han */
            cjk++;
    }
    return words < S_FRAGMENT_WORDS && cjk < S_FRAGMENT_CJK;
}

/* A year 1990-2099 standing alone at s[i] (not part of a longer number). */
static int S_is_year(const char *s, size_t n, size_t i)
{
    if (i + 4 > n || (i > 0 && (S_is_digit(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == ',')))
        return 0;
    for (size_t k = 0; k < 4; k++)
        if (!S_is_digit(s[i + k]))
            return 0;
    if (i + 4 < n && (S_is_digit(s[i + 4]) ||
                      ((s[i + 4] == '.' || s[i + 4] == ',') && i + 5 < n && S_is_digit(s[i + 5]))))
        return 0;
    int v = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
    return v >= 1990 && v <= 2099;
}

/* A metric's name as index tables print it ("Percentage of (1) Tier 1
 * supplier facilities ... in compliance with wastewater discharge permits",
 * "Number of ...", "Description of ..."): it names a disclosure without
 * making it. True when s starts with such a phrase and holds no number of
 * more than one digit. */
static int S_metric_name(const char *s, size_t n)
{
    static const char *const lead[] = {"Percentage of ", "Number of ", "Total number of ",
                                       "Description of ", "Discussion of ", "Amount of ",
                                       "Proportion of ", "Total amount of "};
    if (n == 0 || !strchr("PNTDA", s[0])) /* every sentence comes here: one byte decides most */
        return 0;
    size_t k = 0;
    for (; k < sizeof lead / sizeof *lead; k++)
        if (n > strlen(lead[k]) && strncmp(s, lead[k], strlen(lead[k])) == 0)
            break;
    if (k == sizeof lead / sizeof *lead)
        return 0;
    /* single digits are list markers or labels ("(1)", "Tier 1"); a longer
     * number is a value */
    for (size_t i = 0; i + 1 < n; i++)
        if (S_is_digit(s[i]) && (S_is_digit(s[i + 1]) || s[i + 1] == '.' || s[i + 1] == ','  ||
                                 s[i + 1] == '%') && !(s[i + 1] == '.' && (i + 2 >= n || !S_is_digit(s[i + 2]))))
            return 0;
    return 1;
}

/* A short line cut off mid-phrase by the layout ("Through the Supply Chain
 * Initiative of CDP (formerly the."): it ends on an article, preposition or
 * conjunction before its full stop, and holds no number (but the 2 of CO2). */
static int S_cut_line(const char *s, size_t n)
{
    static const char *const tail[] = {" the.", " of.", " and.", " a.", " an.", " to.",
                                       " for.", " in.", " with.", " or.", " by."};
    if (n >= 100)
        return 0;
    /* a row broken after its unit ("... (in CO2 equivalent) 10,000 t of.")
     * carries numbers and goes on in the next line: not a cut phrase */
    for (size_t i = 0; i < n; i++)
        if (S_is_digit(s[i]) && !(i > 1 && s[i - 1] == 'O' && s[i - 2] == 'C'))
            return 0;
    for (size_t k = 0; k < sizeof tail / sizeof *tail; k++) {
        size_t len = strlen(tail[k]);
        if (n >= len && memcmp(s + n - len, tail[k], len) == 0)
            return 1;
    }
    return 0;
}

static int S_fragment(const char *s, size_t n)
{
    if (S_metric_name(s, n) || S_cut_line(s, n))
        return 1;
    /* A piece under 4 words and 8 Han characters is short: a long sentence
     * is a fragment only as a row of such cells. */
    if (n > 160 && !memchr(s, '|', n))
        return 0;
    for (size_t i = 0; i < n; i++) {
        /* every test below needs a digit or the lead byte of 。！？: the
         * other bytes (nearly all) cost one comparison */
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 ? !S_is_digit(s[i]) : (c != 0xE3 && c != 0xEF))
            continue;
        /* a year is a column header, not a value ("EU ETS 2017 2018 2019") */
        if (S_is_year(s, n, i)) {
            i += 3;
            continue;
        }
        /* a list marker at the start of the sentence or a cell ("2、 | 提倡回收利用",
         * "3) ...") is not a value */
        if (S_is_digit(s[i]) && (i == 0 || (i >= 2 && s[i - 2] == '|' && s[i - 1] == ' '))) {
            size_t j = i;
            while (j < n && S_is_digit(s[j]))
                j++;
            if (j - i <= 2 && j < n &&
                (s[j] == ')' || (j + 2 < n && (unsigned char)s[j] == 0xE3 &&
                                 (unsigned char)s[j + 1] == 0x80 && (unsigned char)s[j + 2] == 0x81))) {
                i = j;
                continue;
            }
        }
        /* a number, except the label digit of "Scope 1" */
        if (S_is_digit(s[i]) && !(i >= 5 && (s[i - 5] | 0x20) == 'c' && (s[i - 4] | 0x20) == 'o' &&
                                  (s[i - 3] | 0x20) == 'p' && (s[i - 2] | 0x20) == 'e' &&
                                  s[i - 1] == ' '))
            return 0;
        /* Chinese sentence-final punctuation (。！？): a sentence, however short */
        if ((unsigned char)s[i] == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x82)
            return 0;
        if ((unsigned char)s[i] == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
            ((unsigned char)s[i + 2] == 0x81 || (unsigned char)s[i + 2] == 0x9F))
            return 0;
    }
    size_t start = 0, i = 0;
    while (i + 3 <= n) {
        if (s[i] == ' ' && s[i + 1] == '|' && s[i + 2] == ' ') {
            if (!S_fragment_piece(s + start, i - start))
                return 0;
            i = start = i + 3;
        } else {
            i++;
        }
    }
    return S_fragment_piece(s + start, n - start);
}

/* cnrs_extract_sentence after its scan: x->bits and x->ends hold the
 * prefilter's results for s[0..n) (unless naive). */
/* Whether a quantity of one of the dimensions `dims` (quantity.h) ends in
 * a clause of s[0..n) that is not blocked for `ex`. */
static int S_quantity_of(cnrs_extractor *x, const char *s, size_t n, uint32_t dims,
                         const cnrs_regex *ex)
{
    if (!x->qs_done) {
        size_t want = cnrs_quantity_scan(x->r->quant, s, n, x->qs, x->qs_cap);
        if (want > x->qs_cap) {
            x->qs = cnrs_xgrow(x->qs, &x->qs_cap, want, sizeof *x->qs);
            want = cnrs_quantity_scan(x->r->quant, s, n, x->qs, x->qs_cap);
        }
        x->nqs = want;
        x->qs_done = 1;
        /* kept for figures, which reads this sentence again (none found:
         * nothing to keep, figures' own scan is quick) */
        if (x->qsent != UINT32_MAX && want) {
            x->qpool = cnrs_xgrow(x->qpool, &x->qpool_cap, x->qpool_n + want, sizeof *x->qpool);
            memcpy(x->qpool + x->qpool_n, x->qs, want * sizeof *x->qs);
            x->qkept[x->qsent] = x->qpool_n + 1;
            x->qkept_n[x->qsent] = want;
            x->qpool_n += want;
        }
    }
    for (size_t k = 0; k < x->nqs; k++) {
        const cnrs_quantity *q = &x->qs[k];
        if (q->dim >= 0 && (dims & (1u << q->dim)) && q->end > 0 && !S_blocked(x, s, n, q->end - 1, ex))
            return 1;
    }
    return 0;
}

static size_t S_sentence(cnrs_extractor *x, const char *s, size_t n, uint32_t sent,
                         cnrs_evidence_set *out)
{
    const cnrs_rubric *r = x->r;
    x->free_s = NULL; /* the scratch state below is this sentence's now */

    /* 0. Which patterns can match here at all; most sentences can support no
     * item and stop here (masking only ever removes matches). */
    x->anchor = 0;
    if (!x->naive && !S_candidate_items(x))
        return 0;
    if (S_fragment(s, n))
        return 0;

    /* 1. Mask look-alike phrases: same byte length, so offsets hold. */
    const cnrs_regex *mask = &r->detectors[CNRS_DET_MASK];
    size_t a, b;
    char *t = NULL;
    S_FOR_CAND(x, mask, k)
    {
        size_t pos = 0;
        while (S_find(x, mask, k, t ? t : s, n, pos, &a, &b)) {
            if (!t) {
                cnrs_buf_reset(&x->masked);
                cnrs_buf_append(&x->masked, s, n);
                t = x->masked.data;
            }
            memset(t + a, ' ', b - a);
            pos = S_next_pos(t, n, a, b);
        }
    }
    if (t) {
        s = t;
        if (!x->naive) { /* blanks remove literals; rescan so candidates stay exact */
            cnrs_prefilter_scan_at(r->pf, s, n, x->bits, x->ends);
            if (!S_candidate_items(x))
                return 0;
        }
    }
    x->anchor = !x->naive;

    /* 2. Sentence-level precision rules. */
    if (S_any(x, &r->detectors[CNRS_DET_UNRELATED], s, n) ||
        S_any(x, &r->detectors[CNRS_DET_BOILERPLATE], s, n))
        return 0;
    x->has_national = S_any(x, &r->detectors[CNRS_DET_NATIONAL], s, n);
    if (x->has_national && !S_any(x, &r->detectors[CNRS_DET_COMPANY], s, n))
        return 0;

    /* 3. Clauses, negation and exclusions: computed when first needed. */
    x->clauses_done = 0;
    x->negation.done = 0;
    x->national.done = 0;
    if (r->nanchors)
        memset(x->topic, -1, r->nanchors);
    for (size_t u = 0; u < r->nunits; u++)
        x->units[u].done = 0;
    x->qs_done = 0;
    /* kept only for the document's own text: a masked copy scans otherwise */
    x->qsent = x->qactive && !t ? sent : UINT32_MAX;

    size_t first = out->n;
    for (size_t i = S_next_item(x, 0); i < r->nitems; i = S_next_item(x, i + 1)) {
        const cnrs_item *it = &r->items[i];
        size_t k0 = S_next_cand(x, &it->cue, 0);
        if (k0 == it->cue.n)
            continue;
        /* an exclusion of the whole sentence: a bank's lending, a profile */
        if (it->exclude_sentence.n && S_any(x, &it->exclude_sentence, s, n))
            continue;
        x->exclude.n = 0;
        x->exclude.done = 0;
        const cnrs_regex *ex = it->exclude.n ? &it->exclude : NULL;
        int hit = 0;
        for (size_t k = k0; k < it->cue.n && !hit; k = S_next_cand(x, &it->cue, k + 1)) {
            size_t pos = 0;
            while (S_find(x, &it->cue, k, s, n, pos, &a, &b)) {
                if (!S_blocked(x, s, n, a, ex) && S_anchored(x, it, k, s, n, a)) {
                    hit = 1;
                    break;
                }
                pos = S_next_pos(s, n, a, b);
            }
        }
        if (!hit)
            continue;

        /* 4. Quantities of the item's unit classes, outside blocked clauses;
         * a quantity's clause is the one holding its last byte (the number
         * and unit end the match; context words may start earlier). */
        uint32_t units = 0;
        for (size_t u = 0; u < r->nunits; u++) {
            if (!(it->units & (1u << u)))
                continue;
            S_spans *sp = &x->units[u];
            if (!sp->done)
                S_collect(x, &r->units[u].re, s, n, sp);
            for (size_t k = 0; k < sp->n; k++)
                if (!S_blocked(x, s, n, sp->v[k].b - 1, ex)) {
                    units |= 1u << u;
                    break;
                }
            if (!(units & (1u << u)) && r->units[u].dims && S_quantity_of(x, s, n, r->units[u].dims, ex))
                units |= 1u << u;
        }
        out->ev = cnrs_xgrow(out->ev, &out->cap, out->n + 1, sizeof *out->ev);
        out->ev[out->n++] = (cnrs_evidence){sent, 0, (uint16_t)i, (uint16_t)it->indicator, units};
    }
    if (out->n == first)
        return 0;

    /* 5. Features, once per sentence with evidence. */
    cnrs_features f = {0};
    f.sent = sent;
    f.trend = (uint8_t)S_any(x, &r->detectors[CNRS_DET_TREND], s, n);
    if (f.trend) {
        f.up = (uint8_t)S_count(x, &r->detectors[CNRS_DET_TREND_UP], s, n);
        f.down = (uint8_t)S_count(x, &r->detectors[CNRS_DET_TREND_DOWN], s, n);
    }
    f.comparison = (uint8_t)S_any(x, &r->detectors[CNRS_DET_COMPARISON], s, n);
    f.integration = (uint8_t)S_any(x, &r->detectors[CNRS_DET_INTEGRATION], s, n);
    f.leadership = (uint8_t)S_any(x, &r->detectors[CNRS_DET_LEADERSHIP], s, n);
    out->feats = cnrs_xgrow(out->feats, &out->feats_cap, out->nfeats + 1, sizeof *out->feats);
    for (size_t e = first; e < out->n; e++)
        out->ev[e].feat = (uint32_t)out->nfeats;
    out->feats[out->nfeats++] = f;
    return out->n - first;
}

int cnrs_extract_clause_free(cnrs_extractor *x, const char *s, size_t n, size_t item, size_t p)
{
    const cnrs_rubric *r = x->r;
    if (item >= r->nitems || p >= n)
        return 0;
    if (s != x->free_s || n != x->free_n || item != x->free_item) {
        x->head = NULL;
        if (!x->naive)
            cnrs_prefilter_scan_at(r->pf, s, n, x->bits, x->ends);
        x->clauses_done = 0;
        x->negation.done = 0;
        x->national.done = 0;
        x->exclude.n = 0;
        x->exclude.done = 0;
        x->has_national = S_any(x, &r->detectors[CNRS_DET_NATIONAL], s, n);
        x->free_s = s;
        x->free_n = n;
        x->free_item = item;
    }
    const cnrs_item *it = &r->items[item];
    if (it->exclude_sentence.n && S_any(x, &it->exclude_sentence, s, n))
        return 0;
    const cnrs_regex *ex = it->exclude.n ? &it->exclude : NULL;
    return !S_blocked(x, s, n, p, ex);
}

size_t cnrs_extract_sentence(cnrs_extractor *x, const char *s, size_t n, uint32_t sent,
                             cnrs_evidence_set *out)
{
    x->head = NULL;
    if (n == 0)
        return 0;
    if (!x->naive)
        cnrs_prefilter_scan_at(x->r->pf, s, n, x->bits, x->ends);
    return S_sentence(x, s, n, sent, out);
}

static void S_swap_scans(cnrs_extractor *x)
{
    uint64_t *b = x->bits;
    cnrs_prefilter_span *f = x->ends;
    x->bits = x->bits2;
    x->ends = x->ends2;
    x->bits2 = b;
    x->ends2 = f;
}

/* The next sentence at or after i that can hold evidence, or nsents. */
static size_t S_next_sentence(const cnrs_doc *doc, size_t i)
{
    for (; i < doc->nsents; i++) {
        const cnrs_sentence *se = &doc->sents[i];
        /* headings, contents, index pages and furniture earn nothing */
        if (se->len && (se->kind == CNRS_BLOCK_BODY || se->kind == CNRS_BLOCK_TABLE_ROW))
            break;
    }
    return i;
}

/* The last heading among sentences [from, to), or `h` if there is none. */
static size_t S_heading(const cnrs_doc *doc, size_t from, size_t to, size_t h)
{
    for (size_t k = from; k < to; k++)
        if (doc->sents[k].kind == CNRS_BLOCK_HEADING && doc->sents[k].len)
            h = k;
    return h;
}

/* Point x->head at heading h for sentence se when se may borrow its topic
 * from it (a table row or a short sentence; S_anchored). */
static void S_set_head(cnrs_extractor *x, const cnrs_doc *doc, const cnrs_sentence *se, size_t h)
{
    x->head = NULL;
    if (h < doc->nsents && (se->kind == CNRS_BLOCK_TABLE_ROW || se->len < S_SHORT_SENTENCE)) {
        const char *head = (doc->match ? doc->match : doc->text) + doc->sents[h].off;
        if (head != x->head_seen) { /* a new heading: its topics are not known yet */
            x->head_seen = head;
            if (x->r->nanchors)
                memset(x->head_topic, -1, x->r->nanchors);
        }
        x->head = head;
        x->head_n = doc->sents[h].len;
    }
}

/* Whether s[0..n) holds a number that can be a value: three digits or more
 * (4,671; 149,970), or a decimal (3.71), but not a year (2021) alone. */
static int S_has_value(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (!S_is_digit(s[i])) {
            i++;
            continue;
        }
        size_t digits = 0, start = i;
        int dec = 0, sep = 0;
        while (i < n && (S_is_digit(s[i]) || ((s[i] == ',' || s[i] == '.') && i + 1 < n &&
                                               S_is_digit(s[i + 1]) && i > start))) {
            if (S_is_digit(s[i]))
                digits++;
            else if (s[i] == '.')
                dec = 1;
            else
                sep = 1;
            i++;
        }
        int year = digits == 4 && !dec && !sep && (s[start] == '1' || s[start] == '2') &&
                   (s[start + 1] == '9' || s[start + 1] == '0');
        if ((digits >= 3 || dec) && !year)
            return 1;
    }
    return 0;
}

/* How far from a row its table's unit may be printed: the heading, the
 * caption or column header above, or a note below the values. */
#define S_UNIT_CONTEXT 3
/* Below this many bytes a body sentence may be a flattened table row. */
#define S_CONTEXT_ROW 128

/* Units from context: a body sentence or table row that earned an item whose
 * unit class has labels (ghg_mass: "Metric Tons CO2e", "单位：万吨") but
 * carries only bare values ("Scope 1 (direct) 4,671.") is quantitative in
 * that class when the label stands in the sentence itself, its section
 * heading, or the S_UNIT_CONTEXT sentences before or after it. Records
 * out->ev[from..] are updated. */
static void S_units_from_context(cnrs_extractor *x, const cnrs_doc *doc, const char *T,
                                 cnrs_evidence_set *out, size_t from)
{
    const cnrs_rubric *r = x->r;
    for (size_t e = from; e < out->n; e++) {
        cnrs_evidence *ev = &out->ev[e];
        uint32_t want = r->items[ev->item].units & ~ev->units & x->label_units;
        const cnrs_sentence *se = &doc->sents[ev->sent];
        if (!want || (se->kind != CNRS_BLOCK_TABLE_ROW && se->len >= S_CONTEXT_ROW) ||
            !S_has_value(T + se->off, se->len))
            continue;
        for (size_t u = 0; u < r->nunits; u++) {
            const cnrs_regex *label = &r->units[u].label;
            if (!(want & (1u << u)) || label->n == 0)
                continue;
            size_t lo = ev->sent > S_UNIT_CONTEXT ? ev->sent - S_UNIT_CONTEXT : 0;
            size_t hi = ev->sent + S_UNIT_CONTEXT < doc->nsents ? ev->sent + S_UNIT_CONTEXT
                                                                : doc->nsents - 1;
            int found = 0;
            for (size_t k = lo; k <= hi && !found; k++) {
                const cnrs_sentence *c = &doc->sents[k];
                if (c->kind == CNRS_BLOCK_BODY || c->kind == CNRS_BLOCK_TABLE_ROW ||
                    c->kind == CNRS_BLOCK_HEADING)
                    found = S_any_unscanned(x, label, T + c->off, c->len);
            }
            if (found)
                ev->units |= 1u << u;
        }
    }
}

void cnrs_extract_doc(cnrs_extractor *x, const cnrs_doc *doc, cnrs_evidence_set *out)
{
    size_t first_ev = out->n;
    const char *T = doc->match ? doc->match : doc->text; /* what is matched (doc.h) */
    if (doc->nsents > x->qkept_cap) {
        size_t cap = x->qkept_cap;
        x->qkept = cnrs_xgrow(x->qkept, &cap, doc->nsents, sizeof *x->qkept);
        x->qkept_n = cnrs_xgrow(x->qkept_n, &x->qkept_cap, doc->nsents, sizeof *x->qkept_n);
    }
    if (doc->nsents)
        memset(x->qkept, 0, doc->nsents * sizeof *x->qkept);
    x->qpool_n = 0;
    x->qdoc = doc;
    x->qactive = 1;
    x->head_seen = NULL;
    size_t i = S_next_sentence(doc, 0);
    size_t h = S_heading(doc, 0, i, doc->nsents); /* heading in force */
    while (i < doc->nsents) {
        const cnrs_sentence *a = &doc->sents[i];
        size_t j = S_next_sentence(doc, i + 1);
        size_t hj = S_heading(doc, i + 1, j, h);
        if (x->naive || j == doc->nsents) {
            if (!x->naive)
                cnrs_prefilter_scan_at(x->r->pf, T + a->off, a->len, x->bits, x->ends);
            S_set_head(x, doc, a, h);
            S_sentence(x, T + a->off, a->len, (uint32_t)i, out);
            i = j;
            h = hj;
            continue;
        }
        /* Sentences are scanned two at a time (cnrs_prefilter_scan_pair). */
        const cnrs_sentence *b = &doc->sents[j];
        cnrs_prefilter_scan_pair(x->r->pf, T + a->off, a->len, x->bits, x->ends,
                                 T + b->off, b->len, x->bits2, x->ends2);
        S_set_head(x, doc, a, h);
        S_sentence(x, T + a->off, a->len, (uint32_t)i, out);
        S_swap_scans(x);
        S_set_head(x, doc, b, hj);
        S_sentence(x, T + b->off, b->len, (uint32_t)j, out);
        i = S_next_sentence(doc, j + 1);
        h = S_heading(doc, j + 1, i, hj);
    }
    S_units_from_context(x, doc, T, out, first_ev);
    x->qsent = UINT32_MAX;
    x->qactive = 0;
}

const cnrs_quantity *cnrs_extract_quantities(const cnrs_extractor *x, const cnrs_doc *doc,
                                             size_t sent, size_t *n)
{
    if (doc != x->qdoc || sent >= doc->nsents || !x->qkept[sent])
        return NULL;
    *n = x->qkept_n[sent];
    return x->qpool + (x->qkept[sent] - 1);
}
