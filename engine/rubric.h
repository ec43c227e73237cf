/* rubric.h - the rubric as data: load, validate, compile, derive weights.
 *
 * A rubric file (rubrics/ceca-2021.xml, schema rubrics/rubric.rng) holds the
 * indicators with their items and cue patterns, the priority matrix, stage
 * rules and published maxima, scoring parameters, quantity unit classes and
 * the shared detectors. The loader:
 *   1. parses the XML with libxml2 (no network, no entity expansion, no DTD);
 *   2. validates it against the RelaxNG schema compiled into the binary (the
 *      same bytes as rubrics/rubric.rng);
 *   3. expands {MACRO} references and compiles every pattern once with PCRE2
 *      (UTF; lang="en" patterns case-insensitive) and JIT (unless the
 *      environment sets CNRS_NO_JIT=1: valgrind runs use the interpreter);
 *   4. checks what the schema cannot: unique ids, unit references, a 16x16
 *      (n x n) matrix in indicator order with cells 0/0.5/1 and a_ij + a_ji = 1,
 *      band order, stage maxima equal to the rounded cumulative weights.
 * Every problem is reported as "FILE:LINE: message" naming the indicator or
 * item and the offending pattern.
 *
 * The struct is public so extraction can iterate it without calls; everyone
 * but rubric.c treats it as read-only. A loaded rubric is immutable and may
 * be shared by threads (each thread needs its own match data: extract.h).
 */
#ifndef CNRS_RUBRIC_H
#define CNRS_RUBRIC_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define CNRS_MAX_INDICATORS 32 /* bitmasks are 32 bits wide */
#define CNRS_MAX_UNITS 32
#define CNRS_NBANDS 6

typedef enum cnrs_polarity { CNRS_POL_ANY = 0, CNRS_POL_LOWER, CNRS_POL_HIGHER } cnrs_polarity;

typedef enum cnrs_detector_id {
    CNRS_DET_TREND = 0,  /* some trend data: 同比, 较上年, year-on-year, several years */
    CNRS_DET_TREND_UP,   /* direction words: 增长, 提升, increased */
    CNRS_DET_TREND_DOWN, /* direction words: 下降, 减少, decreased */
    CNRS_DET_COMPARISON, /* benchmark, industry average, peers, ranking */
    CNRS_DET_INTEGRATION,/* future plans: 计划, 到2030年, we will */
    CNRS_DET_LEADERSHIP, /* industry-leading or benchmark claim (B5) */
    CNRS_DET_NEGATION,   /* clause-level: 暂未, 尚未, not yet */
    CNRS_DET_NATIONAL,   /* national/international context: 我国, Paris Agreement */
    CNRS_DET_COMPANY,    /* company voice: 公司, 我们, 本集团, we, our */
    CNRS_DET_MASK,       /* phrases blanked before matching: 绿色通道, 工作环境 */
    CNRS_DET_UNRELATED,  /* unrelated ESG topics: the sentence earns nothing */
    CNRS_DET_BOILERPLATE, /* definitions, glossaries, framework questions, index rows */
    CNRS_DET_COUNT
} cnrs_detector_id;

/* Detector id as written in rubric files ("trend", "trend_up", ...). */
const char *cnrs_detector_name(cnrs_detector_id d);

/* A list of patterns (cues, a detector, a unit class) as compiled branches:
 * each top-level alternative of each source pattern is compiled alone, with
 * its own prefilter id, so a sentence runs only the branches whose required
 * literals it contains (prefilter.h). It matches where any branch matches. */
typedef struct cnrs_regex {
    size_t n;          /* branches; 0 when the list was empty */
    pcre2_code **code; /* n compiled branches (NULL when n == 0) */
    unsigned *pf_id;   /* prefilter id of each branch in rubric->pf; consecutive:
                          pf_id[k] == pf_id[0] + k */
    int line;          /* line of the first source pattern */
} cnrs_regex;

/* Whether any branch of `re` matches somewhere in s[0..n) (no limits, no
 * prefilter; allocates: for tests and diagnostics, not the hot path). */
int cnrs_regex_search(const cnrs_regex *re, const char *s, size_t n);

/* What a cue branch needs besides its own match: a generic cue (行动方案,
 * committee, R&D) counts only where the anchor regex (a rubric macro naming a
 * topic: carbon, clean energy ...) also matches; see extract.h. */
typedef struct cnrs_cue_anchor {
    int16_t topic;  /* index into rubric->anchors, or -1: the cue stands alone */
    uint8_t clause; /* 1: the anchor must be in the cue's clause, 0: its sentence */
} cnrs_cue_anchor;

typedef struct cnrs_item {
    char *id;         /* "policy" */
    char *qid;        /* "E1.policy" */
    char *name_zh, *name_en;
    int indicator;    /* index into rubric->indicators */
    int index;        /* global item index, 0..nitems-1 */
    uint32_t units;   /* bitmask over rubric->units: quantities that fit */
    cnrs_regex cue;   /* all cues, zh and en */
    cnrs_cue_anchor *cue_anchor; /* per cue branch (cue.n entries) */
    cnrs_regex exclude; /* clause-level exclusions (may be empty) */
    cnrs_regex exclude_sentence; /* sentence-level exclusions: scope="sentence" (may be empty) */
    char **examples;  /* example cue phrases for writers */
    unsigned char *example_en; /* per example: written in English */
    size_t nexamples;
    int china_only;   /* region="CN": advice that fits only companies in China */
    int line;
} cnrs_item;

typedef struct cnrs_indicator {
    char *id;  /* "E1" */
    char *key; /* "env_mgmt" */
    char *name_zh, *name_en;
    int stage;
    cnrs_polarity polarity;
    size_t first_item, nitems; /* slice of rubric->items */
    double T;      /* row sum of the priority matrix without the diagonal */
    double weight; /* 100 * T / sum(T) points */
    int line;
} cnrs_indicator;

typedef struct cnrs_unit {
    char *id; /* "ghg_mass" */
    char *name_zh, *name_en;
    cnrs_regex re;
    cnrs_regex label; /* the unit printed without a number (may be empty) */
    uint32_t dims;    /* quantity dimensions (quantity.h) that also count, bitmask */
    int line;
} cnrs_unit;

typedef enum cnrs_stage_rule { CNRS_RULE_EVIDENCE = 0, CNRS_RULE_QUANTIFIED } cnrs_stage_rule;

typedef struct cnrs_stage_def {
    int n;                /* 1, 2, 3 */
    double max;           /* published maximum (16, 52, 100) */
    double derived_max;   /* cumulative weights of indicators with stage <= n */
    cnrs_stage_rule rule;
    uint32_t indicators;  /* bitmask over rubric->indicators */
    uint32_t units;       /* for CNRS_RULE_QUANTIFIED */
    int sentences;        /* the rule holds with evidence in this many distinct sentences (>= 1) */
    char *name_zh, *name_en;
    int line;
} cnrs_stage_def;

typedef struct cnrs_scoring {
    double depth_divisor;  /* n = low + (high-low) * min(1, (S-1)/divisor) */
    double bonus;          /* percentage points added ... */
    int bonus_min_dims;    /* ... when at least this many dimensions hold */
    double part;           /* c < part: B1/B2 */
    double most;           /* c >= most: B4/B5 */
    double detail_quant;   /* q >= detail_quant (with leadership): B5 */
    double band_low[CNRS_NBANDS], band_high[CNRS_NBANDS];
} cnrs_scoring;

typedef struct cnrs_rubric {
    char *path;     /* as loaded ("(built-in)" for the embedded copy) */
    char *id, *version, *title_zh, *title_en;
    char sha256[65]; /* hex digest of the file bytes */
    cnrs_scoring scoring;
    cnrs_stage_def *stages; /* ascending n */
    size_t nstages;
    cnrs_unit *units;
    size_t nunits;
    struct cnrs_qtable *quant; /* units of measure (quantity.h); never NULL */
    cnrs_regex detectors[CNRS_DET_COUNT];
    cnrs_regex *anchors;  /* topic patterns named by cues' anchor attributes */
    char **anchor_names;  /* the macro each was compiled from */
    size_t nanchors;
    cnrs_indicator *indicators;
    size_t nindicators;
    cnrs_item *items;
    size_t nitems;
    double *matrix; /* nindicators x nindicators, row-major; diagonal NAN */
    struct cnrs_prefilter *pf; /* required literals of every regex above */
    unsigned npf;              /* prefilter ids in use */
} cnrs_rubric;

/* Load and check a rubric file. On success *out is a new rubric (free with
 * cnrs_rubric_free). On failure *out is NULL, the status is CNRS_ERR_IO or
 * CNRS_ERR_RUBRIC, err->msg holds the first problem, and when `report` is
 * non-NULL every problem is appended to it, one "FILE:LINE: message" line
 * each. */
cnrs_status cnrs_rubric_load(const char *path, cnrs_rubric **out, cnrs_buf *report,
                             cnrs_error *err);

/* Same, from memory; `name` stands for the file in messages. */
cnrs_status cnrs_rubric_load_memory(const char *name, const char *data, size_t len,
                                    cnrs_rubric **out, cnrs_buf *report, cnrs_error *err);

/* The rubric compiled into the binary (rubrics/ceca-2021.xml at build time). */
cnrs_status cnrs_rubric_load_builtin(cnrs_rubric **out, cnrs_buf *report, cnrs_error *err);

void cnrs_rubric_free(cnrs_rubric *r);

/* Index of the indicator with id (e.g. "Q11") or key, or -1. */
int cnrs_rubric_find_indicator(const cnrs_rubric *r, const char *id_or_key);
/* Index of the unit class with id, or -1. */
int cnrs_rubric_find_unit(const cnrs_rubric *r, const char *id);

/* The published maximum of stage n (0 for stage 0 or an unknown stage). */
double cnrs_rubric_stage_max(const cnrs_rubric *r, int stage);

/* The embedded schema and default rubric (NUL-terminated). */
extern const char cnrs_embedded_rubric_rng[];
extern const char cnrs_embedded_rubric_xml[];

#endif
