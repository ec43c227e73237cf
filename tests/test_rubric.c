/* test_rubric.c - the rubric loader (engine/rubric.h).
 *
 * 1. The shipped rubric, from the file and the built-in copy, against
 *    shared/rubric-spec.md: the sixteen indicators (section 1), the priority
 *    chart, T values, weights and stage maxima (section 2), the stage rules
 *    (section 3) and the scoring parameters (section 4).
 * 2. Malformed variants, built in memory from the shipped file's text by
 *    string substitution: each must fail with CNRS_ERR_RUBRIC and a
 *    "variant.xml:LINE: ..." message naming the problem.
 * 3. Weights follow the matrix: a symmetric change of one judgment moves T.
 * 4. Look-ups.
 *
 * Every expected number is worked by hand from the spec: a_ij = 1 / 0.5 / 0
 * when level_i is above / equal to / below level_j, so T_i = (indicators on a
 * lower level) + 0.5 * (others on the same level), weight_i = 100 T_i / 120.
 *
 * The "regressions" case holds loader defects found while writing this
 * suite (long messages, PCRE2 brace escapes, backreferences across joined
 * cues, error offsets under macros, the built-in path). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rubric.h"
#include "testutil.h"
#include "util.h"

/* ---- the spec, by hand ------------------------------------------------------- */

enum { iE1, iE2, iE3, iE4, iE5, iC6, iC7, iC8, iC9, iC10, iQ11, iQ12, iQ13, iQ14, iQ15, iQ16, NIND };

typedef struct S_spec_indicator {
    const char *id, *key;
    int stage;
    cnrs_polarity polarity; /* section 4: lower for E2 E3 E4 Q11, higher for Q13 C9 */
    int level;              /* section 2 ranking, 6 = most important */
    double T;
    long weight_milli; /* weight rounded to 3 decimals, times 1000 */
    size_t nitems;     /* section 1 item lists */
} S_spec_indicator;

static const S_spec_indicator S_SPEC[NIND] = {
    {"E1", "env_mgmt", 1, CNRS_POL_ANY, 1, 2.5, 2083, 5},
    {"E2", "energy", 1, CNRS_POL_LOWER, 3, 9.0, 7500, 5},
    {"E3", "resources", 1, CNRS_POL_LOWER, 1, 2.5, 2083, 4},
    {"E4", "pollution", 1, CNRS_POL_LOWER, 1, 2.5, 2083, 4},
    {"E5", "green_ops", 1, CNRS_POL_ANY, 1, 2.5, 2083, 4},
    {"C6", "targets", 2, CNRS_POL_ANY, 6, 14.5, 12083, 4},
    {"C7", "pathway", 2, CNRS_POL_ANY, 4, 11.0, 9167, 4},
    {"C8", "governance", 2, CNRS_POL_ANY, 3, 9.0, 7500, 4},
    {"C9", "tech", 2, CNRS_POL_HIGHER, 2, 6.5, 5417, 4},
    {"C10", "influence", 2, CNRS_POL_ANY, 1, 2.5, 2083, 4},
    {"Q11", "ghg", 3, CNRS_POL_LOWER, 6, 14.5, 12083, 5},
    {"Q12", "verification", 3, CNRS_POL_ANY, 3, 9.0, 7500, 4},
    {"Q13", "reduction", 3, CNRS_POL_HIGHER, 5, 12.5, 10417, 4},
    {"Q14", "climate_risk", 3, CNRS_POL_ANY, 5, 12.5, 10417, 4},
    {"Q15", "carbon_acct", 3, CNRS_POL_ANY, 1, 2.5, 2083, 4},
    {"Q16", "synergy", 3, CNRS_POL_ANY, 2, 6.5, 5417, 3},
};

/* x rounded to 3 decimals, times 1000 */
static long S_milli(double x)
{
    return lround(x * 1000.0);
}

/* ---- the shipped rubric -------------------------------------------------------- */

static void S_check_shipped(const cnrs_rubric *r)
{
    /* Section 1: sixteen indicators in order, their keys, stages, items. */
    ck_assert_uint_eq(r->nindicators, NIND);
    size_t next_item = 0;
    for (size_t i = 0; i < NIND; i++) {
        const cnrs_indicator *ind = &r->indicators[i];
        const S_spec_indicator *sp = &S_SPEC[i];
        ck_assert_str_eq(ind->id, sp->id);
        ck_assert_str_eq(ind->key, sp->key);
        ck_assert_msg(ind->stage == sp->stage, "%s: stage %d, expected %d", sp->id, ind->stage,
                      sp->stage);
        ck_assert_msg(ind->polarity == sp->polarity, "%s: polarity %d, expected %d", sp->id,
                      (int)ind->polarity, (int)sp->polarity);
        ck_assert_msg(ind->nitems == sp->nitems, "%s: %zu items, expected %zu", sp->id,
                      ind->nitems, sp->nitems);
        ck_assert_uint_eq(ind->first_item, next_item);
        for (size_t k = 0; k < ind->nitems; k++) {
            const cnrs_item *it = &r->items[ind->first_item + k];
            ck_assert_int_eq(it->indicator, (int)i);
            ck_assert_int_eq(it->index, (int)(ind->first_item + k));
            char qid[64];
            snprintf(qid, sizeof qid, "%s.%s", sp->id, it->id);
            ck_assert_str_eq(it->qid, qid);
            ck_assert_msg(it->cue.code != NULL, "%s has no compiled cue", it->qid);
        }
        next_item += ind->nitems;
        /* Section 2: T exactly (sums of halves are exact), weight to 3 places. */
        ck_assert_msg(ind->T == sp->T, "T(%s) = %.17g, expected %.1f", sp->id, ind->T, sp->T);
        ck_assert_msg(S_milli(ind->weight) == sp->weight_milli, "weight(%s) = %.6f, expected %.3f",
                      sp->id, ind->weight, sp->weight_milli / 1000.0);
    }
    ck_assert_uint_eq(r->nitems, 66); /* 22 + 20 + 24 */
    ck_assert_uint_eq(next_item, r->nitems);

    /* The matrix follows the ranking cell by cell. */
    ck_assert_ptr_nonnull(r->matrix);
    double sumT = 0, sumw = 0;
    for (size_t i = 0; i < NIND; i++) {
        for (size_t j = 0; j < NIND; j++) {
            double a = r->matrix[i * NIND + j];
            if (i == j) {
                ck_assert_msg(isnan(a), "diagonal %s is %g", S_SPEC[i].id, a);
                continue;
            }
            double want = S_SPEC[i].level > S_SPEC[j].level    ? 1.0
                          : S_SPEC[i].level == S_SPEC[j].level ? 0.5
                                                               : 0.0;
            ck_assert_msg(a == want, "a(%s,%s) = %g, expected %g", S_SPEC[i].id, S_SPEC[j].id, a,
                          want);
            ck_assert_msg(a + r->matrix[j * NIND + i] == 1.0, "a(%s,%s) + a(%s,%s) != 1",
                          S_SPEC[i].id, S_SPEC[j].id, S_SPEC[j].id, S_SPEC[i].id);
        }
        sumT += r->indicators[i].T;
        sumw += r->indicators[i].weight;
    }
    ck_assert_msg(sumT == 120.0, "sum of T = %.17g, expected 120 = 16 * 15 / 2", sumT);
    ck_assert_double_eq_tol(sumw, 100.0, 1e-9);

    /* Stages: derived maxima 15.833 52.083 100.000, published 16 52 100, and
     * the section 3 rules. */
    static const long derived[3] = {15833, 52083, 100000};
    static const double published[3] = {16, 52, 100};
    int ghg = cnrs_rubric_find_unit(r, "ghg_mass");
    ck_assert_int_ge(ghg, 0);
    const uint32_t masks[3] = {
        (1u << iE1) | (1u << iE2) | (1u << iE3) | (1u << iE4) | (1u << iE5),
        (1u << iC6) | (1u << iC7) | (1u << iC8) | (1u << iC9) | (1u << iC10) | (1u << iQ11),
        1u << iQ11};
    ck_assert_uint_eq(r->nstages, 3);
    for (int s = 0; s < 3; s++) {
        const cnrs_stage_def *st = &r->stages[s];
        ck_assert_int_eq(st->n, s + 1);
        ck_assert_msg(S_milli(st->derived_max) == derived[s], "stage %d derived %.6f, expected %.3f",
                      s + 1, st->derived_max, derived[s] / 1000.0);
        ck_assert_double_eq(st->max, published[s]);
        ck_assert_double_eq(cnrs_rubric_stage_max(r, s + 1), published[s]);
        ck_assert_uint_eq(st->indicators, masks[s]);
        ck_assert_int_eq(st->rule, s == 2 ? CNRS_RULE_QUANTIFIED : CNRS_RULE_EVIDENCE);
    }
    ck_assert_uint_eq(r->stages[2].units, 1u << ghg);

    /* Section 4: depth divisor 4, bonus 5 for two or three dimensions, the
     * c and q thresholds 0.5 / 0.75 / 0.5, bands B0..B5. */
    const cnrs_scoring *sc = &r->scoring;
    ck_assert_double_eq(sc->depth_divisor, 4);
    ck_assert_double_eq(sc->bonus, 5);
    ck_assert_int_eq(sc->bonus_min_dims, 2);
    ck_assert_double_eq(sc->part, 0.5);
    ck_assert_double_eq(sc->most, 0.75);
    ck_assert_double_eq(sc->detail_quant, 0.5);
    static const double lo[CNRS_NBANDS] = {0, 10, 30, 50, 70, 90};
    static const double hi[CNRS_NBANDS] = {5, 25, 45, 65, 85, 100};
    for (int b = 0; b < CNRS_NBANDS; b++) {
        ck_assert_msg(sc->band_low[b] == lo[b] && sc->band_high[b] == hi[b],
                      "band B%d is %g-%g, expected %g-%g", b, sc->band_low[b], sc->band_high[b],
                      lo[b], hi[b]);
    }

    /* Every detector is present and compiled. */
    for (int d = 0; d < CNRS_DET_COUNT; d++)
        ck_assert_msg(r->detectors[d].code != NULL, "detector %s not compiled",
                      cnrs_detector_name((cnrs_detector_id)d));
    ck_assert_uint_eq(strlen(r->sha256), 64);
    ck_assert_uint_eq(strspn(r->sha256, "0123456789abcdef"), 64);
}

START_TEST(shipped_file_matches_spec)
{
    cnrs_rubric *r = NULL;
    cnrs_buf report = CNRS_BUF_INIT;
    cnrs_error err = {0};
    ck_assert_msg(cnrs_rubric_load(cnrs_test_rubric(), &r, &report, &err) == CNRS_OK, "%s",
                  err.msg);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(report.len, 0);
    ck_assert_str_eq(r->path, cnrs_test_rubric());
    S_check_shipped(r);
    cnrs_rubric_free(r);
    cnrs_buf_free(&report);
}
END_TEST

START_TEST(builtin_matches_spec)
{
    cnrs_rubric *r = NULL;
    cnrs_buf report = CNRS_BUF_INIT;
    cnrs_error err = {0};
    ck_assert_msg(cnrs_rubric_load_builtin(&r, &report, &err) == CNRS_OK, "%s", err.msg);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(report.len, 0);
    S_check_shipped(r);
    cnrs_rubric_free(r);
    cnrs_buf_free(&report);
}
END_TEST

START_TEST(find_indicator_and_stage_max)
{
    cnrs_rubric *r = NULL;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load_builtin(&r, NULL, &err), CNRS_OK);
    for (int i = 0; i < NIND; i++) {
        ck_assert_int_eq(cnrs_rubric_find_indicator(r, S_SPEC[i].id), i);
        ck_assert_int_eq(cnrs_rubric_find_indicator(r, S_SPEC[i].key), i);
    }
    ck_assert_int_eq(cnrs_rubric_find_indicator(r, "Q11"), iQ11);
    ck_assert_int_eq(cnrs_rubric_find_indicator(r, "ghg"), iQ11);
    ck_assert_int_eq(cnrs_rubric_find_indicator(r, "Q17"), -1);
    ck_assert_int_eq(cnrs_rubric_find_indicator(r, "nope"), -1);
    ck_assert_int_eq(cnrs_rubric_find_indicator(r, "Q1"), -1); /* no prefix match */
    ck_assert_int_eq(cnrs_rubric_find_indicator(r, ""), -1);
    ck_assert_int_eq(cnrs_rubric_find_indicator(r, NULL), -1);
    ck_assert_int_eq(cnrs_rubric_find_unit(r, "no_such_unit"), -1);
    ck_assert_double_eq(cnrs_rubric_stage_max(r, 0), 0);
    ck_assert_double_eq(cnrs_rubric_stage_max(r, 1), 16);
    ck_assert_double_eq(cnrs_rubric_stage_max(r, 2), 52);
    ck_assert_double_eq(cnrs_rubric_stage_max(r, 3), 100);
    ck_assert_double_eq(cnrs_rubric_stage_max(r, 4), 0);
    ck_assert_double_eq(cnrs_rubric_stage_max(r, -1), 0);
    /* exclusions of the whole sentence load apart from clause exclusions */
    int e4 = cnrs_rubric_find_indicator(r, "E4");
    const cnrs_item *water = &r->items[r->indicators[e4].first_item + 1];
    ck_assert_str_eq(water->id, "water");
    ck_assert_uint_gt(water->exclude_sentence.n, 0);
    ck_assert_uint_eq(water->exclude.n, 0);
    /* every stage asks for one sentence (stage 2 says so, the others by default) */
    ck_assert_int_eq(r->stages[0].sentences, 1);
    ck_assert_int_eq(r->stages[1].sentences, 1);
    ck_assert_int_eq(r->stages[2].sentences, 1);
    cnrs_rubric_free(r);
}
END_TEST


START_TEST(missing_file_is_io_error)
{
    cnrs_rubric *r = (cnrs_rubric *)&r; /* must be reset to NULL */
    cnrs_buf report = CNRS_BUF_INIT;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load("tests/no-such-rubric.xml", &r, &report, &err), CNRS_ERR_IO);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(err.code, CNRS_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, "tests/no-such-rubric.xml"));
    ck_assert_uint_gt(report.len, 0);
    cnrs_buf_free(&report);
}
END_TEST

/* ---- building variants ------------------------------------------------------------ */

static char *S_shipped_text(void)
{
    char *text;
    size_t len;
    cnrs_error err = {0};
    ck_assert_msg(cnrs_read_file(cnrs_test_rubric(), 0, &text, &len, &err) == CNRS_OK, "%s",
                  err.msg);
    return text;
}

/* 1-based line of position p in text. */
static int S_line_at(const char *text, const char *p)
{
    int line = 1;
    for (const char *s = text; s < p; s++)
        line += *s == '\n';
    return line;
}

/* The only occurrence of needle in text (asserted unique). */
static const char *S_find1(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    ck_assert_msg(p != NULL, "no \"%s\" in the rubric text", needle);
    ck_assert_msg(strstr(p + 1, needle) == NULL, "\"%s\" occurs twice", needle);
    return p;
}

static int S_line_of(const char *text, const char *needle)
{
    return S_line_at(text, S_find1(text, needle));
}

/* text[0..a) + mid + text[b..]; frees text. */
static char *S_splice(char *text, size_t a, size_t b, const char *mid)
{
    cnrs_buf out = CNRS_BUF_INIT;
    cnrs_buf_append(&out, text, a);
    cnrs_buf_puts(&out, mid);
    cnrs_buf_puts(&out, text + b);
    free(text);
    return cnrs_buf_steal(&out);
}

/* Replace the only occurrence of old by new_; frees text. */
static char *S_subst(char *text, const char *old, const char *new_)
{
    size_t a = (size_t)(S_find1(text, old) - text);
    return S_splice(text, a, a + strlen(old), new_);
}

/* Remove from the only `open` through the next `close` inclusive. */
static char *S_remove(char *text, const char *open, const char *close)
{
    const char *p = S_find1(text, open);
    const char *e = strstr(p, close);
    ck_assert_ptr_nonnull(e);
    return S_splice(text, (size_t)(p - text), (size_t)(e + strlen(close) - text), "");
}

/* Content bounds of <row id="ID"> ... </row>. */
static void S_row(const char *text, const char *id, size_t *a, size_t *b)
{
    char open[40];
    snprintf(open, sizeof open, "<row id=\"%s\">", id);
    const char *p = S_find1(text, open) + strlen(open);
    const char *e = strstr(p, "</row>");
    ck_assert_ptr_nonnull(e);
    *a = (size_t)(p - text);
    *b = (size_t)(e - text);
}

static int S_row_line(const char *text, const char *id)
{
    char open[40];
    snprintf(open, sizeof open, "<row id=\"%s\">", id);
    return S_line_of(text, open);
}

/* Set the cell of row `id` in column `col` (spec order) to value, or drop
 * the cell when value is NULL. Other cells keep their spacing. */
static char *S_cell(char *text, const char *id, int col, const char *value)
{
    size_t a, b;
    S_row(text, id, &a, &b);
    cnrs_buf row = CNRS_BUF_INIT;
    int k = 0, done = 0;
    for (size_t i = a; i < b;) {
        if (strchr(" \t\r\n", text[i])) {
            cnrs_buf_putc(&row, text[i++]);
            continue;
        }
        size_t j = i;
        while (j < b && !strchr(" \t\r\n", text[j]))
            j++;
        if (k++ == col) {
            if (value)
                cnrs_buf_puts(&row, value);
            done = 1;
        } else {
            cnrs_buf_append(&row, text + i, j - i);
        }
        i = j;
    }
    ck_assert_msg(done, "row %s has no column %d", id, col);
    char *out = S_splice(text, a, b, cnrs_buf_cstr(&row));
    cnrs_buf_free(&row);
    return out;
}

/* Offset of <item id="ITEM" in indicator IND. */
static size_t S_item_at(const char *text, const char *ind, const char *item)
{
    char a[48], b[48];
    snprintf(a, sizeof a, "<indicator id=\"%s\"", ind);
    snprintf(b, sizeof b, "<item id=\"%s\"", item);
    const char *p = S_find1(text, a);
    const char *end = strstr(p, "</indicator>");
    const char *q = strstr(p, b);
    ck_assert_msg(q && end && q < end, "no item %s.%s", ind, item);
    return (size_t)(q - text);
}

/* Replace the pattern of the item's first <cue lang="LANG">; *line is the
 * line of the new pattern in the result. */
static char *S_cue(char *text, const char *ind, const char *item, const char *lang,
                   const char *pattern, int *line)
{
    size_t at = S_item_at(text, ind, item);
    char open[32];
    snprintf(open, sizeof open, "<cue lang=\"%s\"", lang); /* other attributes may follow */
    const char *iend = strstr(text + at, "</item>");
    const char *c = strstr(text + at, open);
    ck_assert_msg(c && iend && c < iend, "%s.%s has no %s cue", ind, item, lang);
    c = strchr(c, '>') + 1;
    const char *ce = strstr(c, "</cue>");
    ck_assert_ptr_nonnull(ce);
    size_t a = (size_t)(c - text);
    char *out = S_splice(text, a, (size_t)(ce - text), pattern);
    *line = S_line_at(out, out + a);
    return out;
}

/* Rewrite the start tag of the item with a units attribute; *line is the
 * item's line. */
static char *S_item_units(char *text, const char *ind, const char *item, const char *units,
                          int *line)
{
    size_t at = S_item_at(text, ind, item);
    const char *gt = strchr(text + at, '>');
    ck_assert_ptr_nonnull(gt);
    char tag[128];
    snprintf(tag, sizeof tag, "<item id=\"%s\" units=\"%s\">", item, units);
    char *out = S_splice(text, at, (size_t)(gt + 1 - text), tag);
    *line = S_line_at(out, out + at);
    return out;
}

/* ---- loading variants ------------------------------------------------------------- */

typedef struct S_failure {
    cnrs_error err;
    cnrs_buf report;
    int line;         /* LINE of err.msg */
    const char *rest; /* err.msg after "variant.xml:LINE: " */
    size_t nlines;    /* lines in report */
} S_failure;

/* Parse "variant.xml:LINE: rest". */
static int S_parse_msg(const char *msg, const char **rest)
{
    static const char pfx[] = "variant.xml:";
    ck_assert_msg(strncmp(msg, pfx, sizeof pfx - 1) == 0, "\"%s\" does not start with %s", msg,
                  pfx);
    const char *d = msg + sizeof pfx - 1;
    char *end;
    long line = strtol(d, &end, 10);
    ck_assert_msg(end > d && end[0] == ':' && end[1] == ' ' && end[2] != '\0',
                  "\"%s\" is not NAME:LINE: message", msg);
    if (rest)
        *rest = end + 2;
    return (int)line;
}

/* The variant must fail with CNRS_ERR_RUBRIC, *out NULL, a one-line
 * "variant.xml:LINE: ..." message that is the first line of the report, and
 * every report line in the same form. */
static void S_load_fails(const char *text, S_failure *f)
{
    memset(f, 0, sizeof *f);
    cnrs_rubric *r = (cnrs_rubric *)&f->err; /* must be reset to NULL */
    cnrs_status st =
        cnrs_rubric_load_memory("variant.xml", text, strlen(text), &r, &f->report, &f->err);
    ck_assert_msg(st == CNRS_ERR_RUBRIC, "status %d, expected CNRS_ERR_RUBRIC (%s)", (int)st,
                  f->err.msg);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(f->err.code, CNRS_ERR_RUBRIC);
    ck_assert_ptr_null(strchr(f->err.msg, '\n'));
    f->line = S_parse_msg(f->err.msg, &f->rest);
    const char *rep = cnrs_buf_cstr(&f->report);
    ck_assert_msg(f->report.len > 0 && rep[f->report.len - 1] == '\n', "report: [%s]", rep);
    size_t first = strcspn(rep, "\n");
    ck_assert_msg(strncmp(f->err.msg, rep, first) == 0, "err \"%s\" is not report line 1 \"%.*s\"",
                  f->err.msg, (int)first, rep);
    for (const char *p = rep; *p; p = strchr(p, '\n') + 1) {
        S_parse_msg(p, NULL);
        f->nlines++;
    }
}

static void S_failure_free(S_failure *f)
{
    cnrs_buf_free(&f->report);
}

#define S_mentions(f, s)                                                                          \
    ck_assert_msg(strstr((f)->rest, (s)) != NULL, "message \"%s\" does not mention \"%s\"",       \
                  (f)->err.msg, (s))

#define S_at_line(f, want)                                                                        \
    ck_assert_msg((f)->line == (want), "message \"%s\": line %d, expected %d", (f)->err.msg,      \
                  (f)->line, (want))

/* ---- malformed variants -------------------------------------------------------------- */

START_TEST(cell_two_rejected)
{
    char *t = S_cell(S_shipped_text(), "E1", iE2, "2");
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, S_row_line(t, "E1"));
    S_mentions(&f, "2");
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(cell_point_three_rejected)
{
    char *t = S_cell(S_shipped_text(), "Q13", iQ14, "0.3");
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, S_row_line(t, "Q13"));
    S_mentions(&f, "0.3");
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(asymmetric_judgment_rejected)
{
    /* E2 over E1 is 1 (levels 3 > 1); make it 0.5 on E2's row only:
     * a(E2,E1) + a(E1,E2) = 0.5 + 0. */
    char *t = S_cell(S_shipped_text(), "E2", iE1, "0.5");
    S_failure f;
    S_load_fails(t, &f);
    S_mentions(&f, "E1");
    S_mentions(&f, "E2");
    ck_assert_uint_eq(f.nlines, 1);
    ck_assert_int_ge(f.line, S_line_of(t, "<priority"));
    ck_assert_int_le(f.line, S_line_of(t, "</priority>"));
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(missing_row_rejected)
{
    char *t = S_remove(S_shipped_text(), "<row id=\"C10\">", "</row>");
    S_failure f;
    S_load_fails(t, &f);
    S_mentions(&f, "C10");
    ck_assert_int_ge(f.line, S_line_of(t, "<priority"));
    ck_assert_int_le(f.line, S_line_of(t, "</priority>"));
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(short_row_rejected)
{
    char *t = S_cell(S_shipped_text(), "E1", iQ16, NULL); /* 15 cells */
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, S_row_line(t, "E1"));
    S_mentions(&f, "E1");
    S_mentions(&f, "15");
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(long_row_rejected)
{
    size_t a, b;
    char *t = S_shipped_text();
    S_row(t, "Q16", &a, &b);
    t = S_splice(t, b, b, " 0"); /* 17 cells */
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, S_row_line(t, "Q16"));
    S_mentions(&f, "Q16");
    S_mentions(&f, "17");
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(diagonal_must_be_dash)
{
    char *t = S_cell(S_shipped_text(), "E5", iE5, "0.5");
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, S_row_line(t, "E5"));
    S_mentions(&f, "E5");
    S_mentions(&f, "diagonal");
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(published_maximum_must_match)
{
    /* Stage 1 derives 100 * 19 / 120 = 15.833, which rounds to 16, not 15. */
    char *t = S_subst(S_shipped_text(), "max=\"16\"", "max=\"15\"");
    S_failure f;
    S_load_fails(t, &f);
    S_mentions(&f, "stage 1");
    S_mentions(&f, "15.833");
    S_mentions(&f, "published 15");
    ck_assert_uint_eq(f.nlines, 1);
    ck_assert_int_gt(f.line, 0);
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(unknown_unit_class_rejected)
{
    int line;
    char *t = S_item_units(S_shipped_text(), "E1", "investment", "money monee", &line);
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, line);
    S_mentions(&f, "E1");
    S_mentions(&f, "investment");
    S_mentions(&f, "\"monee\"");
    ck_assert_uint_eq(f.nlines, 1);
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(stage_sentences_below_one_rejected)
{
    char *t = S_shipped_text();
    char *at = strstr(t, "sentences=\"1\"");
    ck_assert_ptr_nonnull(at);
    at[strlen("sentences=\"")] = '0';
    S_failure f;
    S_load_fails(t, &f);
    S_mentions(&f, "sentences");
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(bad_pattern_named_with_line)
{
    static const char pat[] = "\\bSBTi\\b|(science[- ]based";
    int line;
    char *t = S_cue(S_shipped_text(), "C6", "initiatives", "en", pat, &line);
    ck_assert_int_eq(line, S_line_of(t, pat));
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, line);
    S_mentions(&f, "C6");
    S_mentions(&f, "initiatives");
    S_mentions(&f, "\"\\bSBTi\\b|(science[- ]based\"");
    ck_assert_uint_eq(f.nlines, 1);
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(bad_pattern_late_in_file)
{
    /* A zh cue near the end of the file, so the line is not a coincidence. */
    static const char pat[] = "余热(利用|回收";
    int line;
    char *t = S_cue(S_shipped_text(), "Q16", "recovery", "zh", pat, &line);
    ck_assert_int_eq(line, S_line_of(t, pat));
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, line);
    S_mentions(&f, "Q16");
    S_mentions(&f, "recovery");
    S_mentions(&f, "\"余热(利用|回收\"");
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(unknown_macro_rejected)
{
    int line;
    char *t = S_cue(S_shipped_text(), "Q12", "standard", "en", "{NOPE}\\s*14064", &line);
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, line);
    S_mentions(&f, "{NOPE}");
    S_mentions(&f, "Q12");
    S_mentions(&f, "standard");
    ck_assert_uint_eq(f.nlines, 1);
    S_failure_free(&f);
    free(t);
}
END_TEST

/* A generic cue's anchor must name a macro: the line of the cue, the item. */
START_TEST(unknown_anchor_rejected)
{
    char *t = S_subst(S_shipped_text(), "<cue lang=\"zh\" anchor=\"CARBON\">路线图",
                      "<cue lang=\"zh\" anchor=\"NOSUCH\">路线图");
    int line = S_line_of(t, "anchor=\"NOSUCH\"");
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, line);
    S_mentions(&f, "anchor NOSUCH is not a macro");
    S_mentions(&f, "C7");
    S_mentions(&f, "roadmap");
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(anchor_in_without_anchor_rejected)
{
    char *t = S_subst(S_shipped_text(), "<cue lang=\"zh\">减碳路径",
                      "<cue lang=\"zh\" anchor-in=\"clause\">减碳路径");
    int line = S_line_of(t, "anchor-in=\"clause\">减碳路径");
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, line);
    S_mentions(&f, "anchor-in without anchor");
    S_failure_free(&f);
    free(t);
}
END_TEST

/* Anchors are compiled before the cues of their item, so every regex keeps
 * consecutive prefilter ids (rubric.h); each cue branch records its anchor. */
START_TEST(anchors_loaded)
{
    cnrs_rubric *r;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &r, NULL, &err), CNRS_OK);
    ck_assert_uint_ge(r->nanchors, 3);
    int carbon = -1;
    for (size_t a = 0; a < r->nanchors; a++)
        if (strcmp(r->anchor_names[a], "CARBON") == 0)
            carbon = (int)a;
    ck_assert_int_ge(carbon, 0);
    size_t generic = 0, specific = 0;
    for (size_t i = 0; i < r->nitems; i++) {
        const cnrs_item *it = &r->items[i];
        for (size_t k = 0; k < it->cue.n; k++) {
            ck_assert_uint_eq(it->cue.pf_id[k], it->cue.pf_id[0] + k);
            if (strcmp(it->qid, "C7.roadmap") == 0) {
                generic += it->cue_anchor[k].topic == carbon;
                specific += it->cue_anchor[k].topic < 0;
            }
        }
    }
    ck_assert_uint_gt(generic, 0);
    ck_assert_uint_gt(specific, 0);
    /* A pattern that is one {MACRO} compiles as the macro's alternatives, one
     * branch each (so the prefilter can bound each): TARGET has 11 top-level
     * alternatives, FUTURE (Q13.achieved's only exclusion) 10. */
    for (size_t a = 0; a < r->nanchors; a++)
        if (strcmp(r->anchor_names[a], "TARGET") == 0)
            ck_assert_uint_eq(r->anchors[a].n, 11);
    for (size_t i = 0; i < r->nitems; i++)
        if (strcmp(r->items[i].qid, "Q13.achieved") == 0)
            ck_assert_uint_eq(r->items[i].exclude.n, 10);
    cnrs_rubric_free(r);
}
END_TEST

START_TEST(duplicate_indicator_id_rejected)
{
    char *t = S_subst(S_shipped_text(), "<indicator id=\"E5\"", "<indicator id=\"E4\"");
    int line = S_line_of(t, "key=\"green_ops\"");
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, line);
    S_mentions(&f, "E4");
    S_mentions(&f, "twice");
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(missing_detector_rejected)
{
    char *t = S_remove(S_shipped_text(), "<detector id=\"leadership\">", "</detector>");
    S_failure f;
    S_load_fails(t, &f);
    S_mentions(&f, "leadership");
    ck_assert_uint_eq(f.nlines, 1);
    ck_assert_int_gt(f.line, 0);
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(not_well_formed_rejected)
{
    char *t = S_subst(S_shipped_text(), "</priority>", "</priorty>");
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, S_line_of(t, "</priorty>"));
    S_mentions(&f, "priorty");
    S_failure_free(&f);
    free(t);

    /* Cut in the middle: an unterminated document. */
    t = S_shipped_text();
    t[strlen(t) / 2] = '\0';
    S_load_fails(t, &f);
    ck_assert_int_gt(f.line, 0);
    S_failure_free(&f);
    free(t);

    S_load_fails("", &f);
    S_failure_free(&f);
}
END_TEST

START_TEST(not_a_rubric_rejected)
{
    S_failure f;
    S_load_fails("<?xml version=\"1.0\"?>\n<foo/>\n", &f);
    S_at_line(&f, 2);
    S_mentions(&f, "foo");
    S_failure_free(&f);

    /* Right root name, wrong namespace. */
    S_load_fails("<rubric id=\"x\" version=\"1\"/>", &f);
    S_at_line(&f, 1);
    S_failure_free(&f);
}
END_TEST

START_TEST(report_collects_every_problem)
{
    int unit_line, cue_line;
    char *t = S_item_units(S_shipped_text(), "E1", "investment", "money monee", &unit_line);
    t = S_cue(t, "C6", "initiatives", "en", "\\bSBTi\\b|(science[- ]based", &cue_line);
    ck_assert_int_lt(unit_line, cue_line);
    S_failure f;
    S_load_fails(t, &f);
    ck_assert_uint_eq(f.nlines, 2);
    S_at_line(&f, unit_line); /* err holds the first problem */
    S_mentions(&f, "monee");
    const char *second = strchr(cnrs_buf_cstr(&f.report), '\n') + 1;
    const char *rest;
    ck_assert_int_eq(S_parse_msg(second, &rest), cue_line);
    ck_assert_ptr_nonnull(strstr(rest, "initiatives"));
    ck_assert_ptr_nonnull(strstr(rest, "(science[- ]based"));
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(report_may_be_null)
{
    char *t = S_cell(S_shipped_text(), "E2", iE1, "0.5");
    cnrs_rubric *r = NULL;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load_memory("variant.xml", t, strlen(t), &r, NULL, &err),
                     CNRS_ERR_RUBRIC);
    ck_assert_ptr_null(r);
    S_parse_msg(err.msg, NULL);
    /* and err may be NULL too */
    ck_assert_int_eq(cnrs_rubric_load_memory("variant.xml", t, strlen(t), &r, NULL, NULL),
                     CNRS_ERR_RUBRIC);
    ck_assert_ptr_null(r);
    free(t);
}
END_TEST

/* ---- weights follow the matrix --------------------------------------------------------- */

static cnrs_rubric *S_load_ok(const char *text)
{
    cnrs_rubric *r = NULL;
    cnrs_error err = {0};
    cnrs_buf report = CNRS_BUF_INIT;
    cnrs_status st = cnrs_rubric_load_memory("variant.xml", text, strlen(text), &r, &report, &err);
    ck_assert_msg(st == CNRS_OK, "variant rejected: %s", cnrs_buf_cstr(&report));
    cnrs_buf_free(&report);
    return r;
}

START_TEST(symmetric_change_moves_weights)
{
    /* E1 more important than E3: T(E1) = 2.5 + 0.5 = 3.0, T(E3) = 2.5 - 0.5
     * = 2.0, weights 2.500 and 1.667; both are stage 1, so the stage sums
     * (19, 62.5, 120) and maxima are unchanged. */
    char *t = S_cell(S_shipped_text(), "E1", iE3, "1");
    t = S_cell(t, "E3", iE1, "0");
    cnrs_rubric *r = S_load_ok(t);
    ck_assert_double_eq(r->indicators[iE1].T, 3.0);
    ck_assert_double_eq(r->indicators[iE3].T, 2.0);
    ck_assert_int_eq(S_milli(r->indicators[iE1].weight), 2500);
    ck_assert_int_eq(S_milli(r->indicators[iE3].weight), 1667);
    ck_assert_double_eq(r->matrix[iE1 * NIND + iE3], 1.0);
    ck_assert_double_eq(r->matrix[iE3 * NIND + iE1], 0.0);
    double sum = 0;
    for (int i = 0; i < NIND; i++) {
        sum += r->indicators[i].T;
        if (i != iE1 && i != iE3)
            ck_assert_double_eq(r->indicators[i].T, S_SPEC[i].T);
    }
    ck_assert_double_eq(sum, 120.0);
    ck_assert_int_eq(S_milli(r->stages[0].derived_max), 15833);
    ck_assert_int_eq(S_milli(r->stages[1].derived_max), 52083);
    ck_assert_int_eq(S_milli(r->stages[2].derived_max), 100000);
    cnrs_rubric_free(r);
    free(t);
}
END_TEST

START_TEST(change_across_stages_checks_maxima)
{
    /* E2 over C6: T(E2) = 9 + 1 = 10, T(C6) = 14.5 - 1 = 13.5. Stage 1 sums
     * 10 + 4 * 2.5 = 20 -> 16.667, which rounds to 17, not the published 16;
     * stage 2 still sums 62.5 -> 52.083. */
    char *t = S_cell(S_shipped_text(), "E2", iC6, "1");
    t = S_cell(t, "C6", iE2, "0");
    S_failure f;
    S_load_fails(t, &f);
    ck_assert_uint_eq(f.nlines, 1);
    S_mentions(&f, "stage 1");
    S_mentions(&f, "16.667");
    S_failure_free(&f);

    /* Publish 17 and the same matrix loads, with the derived weights. */
    t = S_subst(t, "max=\"16\"", "max=\"17\"");
    cnrs_rubric *r = S_load_ok(t);
    ck_assert_double_eq(r->indicators[iE2].T, 10.0);
    ck_assert_double_eq(r->indicators[iC6].T, 13.5);
    ck_assert_int_eq(S_milli(r->indicators[iE2].weight), 8333);
    ck_assert_int_eq(S_milli(r->indicators[iC6].weight), 11250);
    ck_assert_int_eq(S_milli(r->stages[0].derived_max), 16667);
    ck_assert_double_eq(cnrs_rubric_stage_max(r, 1), 17);
    ck_assert_int_eq(S_milli(r->stages[1].derived_max), 52083);
    cnrs_rubric_free(r);
    free(t);
}
END_TEST

/* ---- regressions ------------------------------------------------------------------------ */

START_TEST(kb_long_bad_pattern_message)
{
    /* A long (but plausible: rich Chinese vocabularies) bad cue: the message
     * must stay valid UTF-8 and still say what is wrong. */
    cnrs_buf pat = CNRS_BUF_INIT;
    cnrs_buf_puts(&pat, "((");
    for (int i = 0; i < 300; i++)
        cnrs_buf_puts(&pat, "碳");
    int line;
    char *t = S_cue(S_shipped_text(), "C6", "peak", "zh", cnrs_buf_cstr(&pat), &line);
    S_failure f;
    S_load_fails(t, &f);
    S_at_line(&f, line);
    size_t n = strlen(f.err.msg);
    ck_assert_uint_eq(cnrs_utf8_valid_prefix((const unsigned char *)f.err.msg, n), n);
    S_mentions(&f, "parenthesis");
    S_failure_free(&f);
    cnrs_buf_free(&pat);
    free(t);
}
END_TEST

START_TEST(kb_pcre_brace_escapes_are_not_macros)
{
    /* \p{L} and \x{FF10} are PCRE2 syntax, not {MACRO} references. */
    int line;
    char *t = S_cue(S_shipped_text(), "C6", "peak", "zh", "碳达峰\\p{L}|[\\x{FF10}-\\x{FF19}]年",
                    &line);
    cnrs_rubric *r = S_load_ok(t);
    cnrs_rubric_free(r);
    free(t);
}
END_TEST

START_TEST(kb_backreference_survives_joining)
{
    /* Two cues, the second with a backreference: the item must match what
     * the second cue matches alone. */
    int line;
    char *t = S_cue(S_shipped_text(), "C6", "peak", "zh", "(qq)zz</cue><cue lang=\"zh\">(ab)\\1",
                    &line);
    cnrs_rubric *r = S_load_ok(t);
    const cnrs_item *it = &r->items[r->indicators[iC6].first_item];
    ck_assert_str_eq(it->qid, "C6.peak");
    int found = cnrs_regex_search(&it->cue, "xxabab", 6);
    cnrs_rubric_free(r);
    free(t);
    ck_assert_msg(found, "joined cue does not match \"abab\"");
}
END_TEST

START_TEST(kb_offset_refers_to_quoted_pattern)
{
    /* The offset must point into the pattern the message quotes (7 bytes),
     * not into its macro expansion. */
    int line;
    char *t = S_cue(S_shipped_text(), "C6", "peak", "zh", "{NUM}(x", &line);
    S_failure f;
    S_load_fails(t, &f);
    const char *o = strstr(f.rest, "offset ");
    ck_assert_ptr_nonnull(o);
    ck_assert_int_le(atoi(o + 7), 7);
    S_failure_free(&f);
    free(t);
}
END_TEST

START_TEST(kb_builtin_path)
{
    /* rubric.h: path is "(built-in)" for the embedded copy. */
    cnrs_rubric *r = NULL;
    ck_assert_int_eq(cnrs_rubric_load_builtin(&r, NULL, NULL), CNRS_OK);
    char path[64];
    snprintf(path, sizeof path, "%s", r->path);
    cnrs_rubric_free(r);
    ck_assert_str_eq(path, "(built-in)");
}
END_TEST

Suite *cnrs_suite_rubric(void);
Suite *cnrs_suite_rubric(void)
{
    Suite *s = suite_create("rubric");

    TCase *tc = tcase_create("shipped");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, shipped_file_matches_spec);
    tcase_add_test(tc, builtin_matches_spec);
    tcase_add_test(tc, find_indicator_and_stage_max);
    tcase_add_test(tc, stage_sentences_below_one_rejected);
    tcase_add_test(tc, missing_file_is_io_error);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, cell_two_rejected);
    tcase_add_test(tc, cell_point_three_rejected);
    tcase_add_test(tc, asymmetric_judgment_rejected);
    tcase_add_test(tc, missing_row_rejected);
    tcase_add_test(tc, short_row_rejected);
    tcase_add_test(tc, long_row_rejected);
    tcase_add_test(tc, diagonal_must_be_dash);
    tcase_add_test(tc, published_maximum_must_match);
    tcase_add_test(tc, unknown_unit_class_rejected);
    tcase_add_test(tc, bad_pattern_named_with_line);
    tcase_add_test(tc, bad_pattern_late_in_file);
    tcase_add_test(tc, unknown_macro_rejected);
    tcase_add_test(tc, unknown_anchor_rejected);
    tcase_add_test(tc, anchor_in_without_anchor_rejected);
    tcase_add_test(tc, anchors_loaded);
    tcase_add_test(tc, duplicate_indicator_id_rejected);
    tcase_add_test(tc, missing_detector_rejected);
    tcase_add_test(tc, not_well_formed_rejected);
    tcase_add_test(tc, not_a_rubric_rejected);
    tcase_add_test(tc, report_collects_every_problem);
    tcase_add_test(tc, report_may_be_null);
    suite_add_tcase(s, tc);

    tc = tcase_create("weights");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, symmetric_change_moves_weights);
    tcase_add_test(tc, change_across_stages_checks_maxima);
    suite_add_tcase(s, tc);

    /* Loader defects found while writing this suite, each fixed since. */
    tc = tcase_create("regressions");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, kb_long_bad_pattern_message);
    tcase_add_test(tc, kb_pcre_brace_escapes_are_not_macros);
    tcase_add_test(tc, kb_backreference_survives_joining);
    tcase_add_test(tc, kb_offset_refers_to_quoted_pattern);
    tcase_add_test(tc, kb_builtin_path);
    suite_add_tcase(s, tc);
    return s;
}
