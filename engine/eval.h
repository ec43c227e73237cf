/* eval.h - measuring the engine against hand-coded real reports (`cnrs eval`).
 *
 * An evaluation directory (corpora/real/, docs/eval.md is the manual of its
 * formats) holds reports NAME.txt|.html|.pdf, each with NAME.expected beside
 * it (stage, the 16 bands, `figure` lines), sentences.tsv (hand-labelled
 * sentences), optionally sentences-second.tsv (a second labelling of some of
 * them) and floors (the lowest acceptable value of chosen metrics).
 *
 * cnrs_eval_run reads and checks every file first (a malformed line fails the
 * run before anything is scored), then classifies the sentences as `cnrs
 * classify` does, scores each report with cnrs_score_file and compares. It
 * never prints: the writers append the results to a cnrs_buf (output_eval.c)
 * and the caller decides where they go.
 *
 * Metrics that cannot be computed (a denominator of 0, no second labelling)
 * are NAN; writers show them as `-` and JSON null.
 */
#ifndef CNRS_EVAL_H
#define CNRS_EVAL_H

#include <stddef.h>

#include "figures.h"
#include "rubric.h"
#include "util.h"

#define CNRS_EVAL_STAGES 4 /* stages 0..3 */
#define CNRS_EVAL_LANGS 3  /* zh, zh-Hant, en */

/* ## Metric arithmetic (pure; exposed for tests) */

typedef struct cnrs_eval_counts {
    size_t tp, fp, fn;
} cnrs_eval_counts;

/* tp / (tp + fp), NAN when tp + fp = 0. */
double cnrs_eval_precision(const cnrs_eval_counts *c);
/* tp / (tp + fn), NAN when tp + fn = 0. */
double cnrs_eval_recall(const cnrs_eval_counts *c);

/* Cohen's kappa of two binary raters from their 2x2 table: both yes,
 * first yes only, second yes only, both no. (po - pe) / (1 - pe) with
 * po = (yy + nn) / N and pe = p1 p2 + (1 - p1)(1 - p2); NAN when N = 0 or
 * pe = 1 (both raters constant and alike: chance explains everything). */
double cnrs_eval_kappa(size_t yy, size_t yn, size_t ny, size_t nn);

/* 1 when bands `a` and `b` are at most one band apart. */
int cnrs_eval_band_within1(int a, int b);

/* The score a hand coding implies: the sum over the indicators that count at
 * `stage` (indicator stage <= stage; none at stage 0) of weight * mid / 100,
 * where mid is the middle of band[i]'s percentage range in the rubric's
 * scoring parameters ((low + high) / 2; B0 gives 0). `band` holds one band
 * (0..5) per rubric indicator. */
double cnrs_eval_hand_total(const cnrs_rubric *r, int stage, const int *band);

/* Whether the number `value` (as printed in a report: "1,466.73", "36959")
 * occurs as a whole number in text[0..n). Both sides drop thousands
 * separators (",", "，", thin and ordinary spaces between digit groups of
 * three) and a fraction of zeros ("36959.0" = "36959"); a number in the text
 * is a maximal run of digits, so "12" is not found in "120" or "3.12". Used
 * to compare two coders' figure values. */
int cnrs_eval_figure_matches(const char *value, const char *text, size_t n);

/* ## Input files */

typedef struct cnrs_eval_figure {
    char *scope; /* "1", "2", "1+2", "3", "total" */
    char *basis; /* "market", "location", "-" */
    int year;    /* 0 for "-" */
    char *value; /* as printed */
    char *unit;  /* as printed */
    int line;
} cnrs_eval_figure;

/* Whether the engine's figure `got` is the coded figure `want`: an emissions
 * figure of the same scope, of the coded year (any year when the coding
 * says "-"), whose printed value, with or without its multiplier (13.249
 * million), is within 0.5% of the coded one. */
int cnrs_eval_figure_hit(const cnrs_eval_figure *want, const cnrs_figure *got);


/* One NAME.expected. */
typedef struct cnrs_eval_expected {
    int stage;                     /* 0..3 */
    int band[CNRS_MAX_INDICATORS]; /* per rubric indicator, 0..5 */
    cnrs_eval_figure *fig;
    size_t nfig;
} cnrs_eval_expected;

/* Parse the NAME.expected text[0..len); `name` stands for the file in
 * messages. On failure (CNRS_ERR_PARSE) err->msg is "NAME:LINE: what" (LINE
 * left out when a line is missing rather than wrong) and *out holds nothing
 * to free. Free with cnrs_eval_expected_clear. */
cnrs_status cnrs_eval_parse_expected(const cnrs_rubric *r, const char *name, const char *text,
                                     size_t len, cnrs_eval_expected *out, cnrs_error *err);
void cnrs_eval_expected_clear(cnrs_eval_expected *e);

typedef enum cnrs_eval_lang { CNRS_LANG_ZH = 0, CNRS_LANG_ZH_HANT, CNRS_LANG_EN } cnrs_eval_lang;

/* "zh", "zh-Hant", "en". Static storage. */
const char *cnrs_eval_lang_name(cnrs_eval_lang l);

/* One hand-labelled sentence. Gold labels are item qids; `ind` is the set
 * of their indicators. */
typedef struct cnrs_eval_sentence {
    char *id, *source, *text;
    cnrs_eval_lang lang;
    int *items; /* global item indices (rubric->items) */
    size_t nitems;
    uint32_t ind; /* bitmask over rubric->indicators */
    int line;
} cnrs_eval_sentence;

typedef struct cnrs_eval_sentences {
    cnrs_eval_sentence *v;
    size_t n;
} cnrs_eval_sentences;

/* Parse sentences.tsv (second = 0: header `id source lang labels sentence`)
 * or sentences-second.tsv (second = 1: header `id labels`; source, text
 * stay NULL and lang zh). On failure (CNRS_ERR_PARSE) err->msg is
 * "NAME:LINE: what" (a duplicate id, an unknown qid or language, a wrong
 * number of fields, a missing header) and *out is empty. Free with
 * cnrs_eval_sentences_clear. */
cnrs_status cnrs_eval_parse_sentences(const cnrs_rubric *r, const char *name, const char *text,
                                      size_t len, int second, cnrs_eval_sentences *out,
                                      cnrs_error *err);
void cnrs_eval_sentences_clear(cnrs_eval_sentences *s);

/* ## Results */

typedef struct cnrs_eval_report {
    char *name;  /* NAME */
    char *path;  /* the report file, NULL when none was found */
    char *error; /* why it could not be scored, NULL when it was */
    cnrs_status status;
    cnrs_eval_expected exp;
    int stage;                     /* engine */
    int band[CNRS_MAX_INDICATORS]; /* engine */
    double hand_total, total;
    size_t fig_found;
    size_t fig_extra;       /* engine emission figures no coded figure accounts for */
    unsigned char *fig_hit; /* per exp.fig: found */
} cnrs_eval_report;

typedef struct cnrs_eval {
    size_t nind; /* rubric indicators */
    /* sentences */
    size_t nsent;
    size_t lang_n[CNRS_EVAL_LANGS], lang_pos[CNRS_EVAL_LANGS];
    cnrs_eval_counts ind[CNRS_MAX_INDICATORS];
    cnrs_eval_counts micro_c6_q16, micro_all, items;
    size_t none_n, none_hit; /* sentences labelled "-"; of them, with an indicator */
    double none_fp;
    /* agreement (have_second = 0: no sentences-second.tsv) */
    int have_second;
    size_t agree_n;
    double kappa_any, kappa_indicator, identical;
    /* second coder (DIR/second-coder/NAME.expected against DIR/NAME.expected):
     * how far two careful readers agree, the ceiling the engine aims at */
    size_t coders_n, coders_figs, coders_figs_same;
    size_t coders_confusion[CNRS_EVAL_STAGES][CNRS_EVAL_STAGES]; /* [first][second] */
    double coders_stage_exact, coders_band_exact, coders_band_within1;
    /* reports */
    cnrs_eval_report *rep;
    size_t nrep, nscored, nfailed;
    size_t confusion[CNRS_EVAL_STAGES][CNRS_EVAL_STAGES]; /* [expected][engine] */
    double stage_exact, band_exact, band_within1, total_mad, total_bias;
    /* figures */
    size_t fig_coded, fig_found, fig_extra;
    double fig_share;
} cnrs_eval;

typedef struct cnrs_eval_opts {
    int jobs; /* reports scored at once (threads, one extractor each); < 1 = 1 */
    const struct cnrs_ingest_opts *ingest; /* may be NULL */
} cnrs_eval_opts;

/* Evaluate the directory `dir` (see the top of this file). Returns CNRS_OK
 * when every file was read and parsed (reports that fail to score do not
 * fail the run: each gets `error` and `status`, and is left out of the
 * report metrics). Otherwise CNRS_ERR_IO (the directory, sentences.tsv or
 * an .expected cannot be read) or CNRS_ERR_PARSE (a malformed line, no
 * NAME.expected at all) with err->msg naming file and line; *out is then
 * empty. Free with cnrs_eval_clear. */
cnrs_status cnrs_eval_run(const cnrs_rubric *r, const char *dir, const cnrs_eval_opts *opts,
                          cnrs_eval *out, cnrs_error *err);
void cnrs_eval_clear(cnrs_eval *e);

/* ## Floors and metric keys */

/* The value of the metric at the dotted JSON path `key` (for example
 * "sentences.micro_c6_q16.precision", "reports.stage_exact",
 * "sentences.per_indicator.C6.recall"): 1 and *val (possibly NAN) when the
 * key names a numeric leaf, else 0. */
int cnrs_eval_metric(const cnrs_rubric *r, const cnrs_eval *e, const char *key, double *val);

typedef struct cnrs_eval_floor {
    char *key;
    double min;
    int line;
} cnrs_eval_floor;

typedef struct cnrs_eval_floors {
    cnrs_eval_floor *v;
    size_t n;
} cnrs_eval_floors;

/* Parse a floors file (`KEY VALUE` lines, # comments). Every key must be a
 * metric cnrs_eval_metric knows. On failure (CNRS_ERR_PARSE) err->msg is
 * "NAME:LINE: what" and *out is empty. Free with cnrs_eval_floors_clear. */
cnrs_status cnrs_eval_parse_floors(const cnrs_rubric *r, const char *name, const char *text,
                                   size_t len, cnrs_eval_floors *out, cnrs_error *err);
void cnrs_eval_floors_clear(cnrs_eval_floors *f);

/* Append one line "eval: KEY = X is below its floor Y" per metric of `e`
 * below its floor (a metric that could not be computed is below any
 * floor); returns how many. */
size_t cnrs_eval_check_floors(const cnrs_rubric *r, const cnrs_eval *e, const cnrs_eval_floors *f,
                              cnrs_buf *msgs);

/* ## Writers (output_eval.c) */

/* The plain table: sentences, agreement, reports, figures, one line per
 * report. */
void cnrs_write_eval_text(cnrs_buf *out, const cnrs_rubric *r, const cnrs_eval *e);
/* The same as one JSON object (docs/eval.md lists its keys), newline-ended. */
void cnrs_write_eval_json(cnrs_buf *out, const cnrs_rubric *r, const cnrs_eval *e);

#endif
