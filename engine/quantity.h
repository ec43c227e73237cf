/* quantity.h - numbers with their units, as printed in reports.
 *
 * One parser for every place a figure matters (issue: "one quantity
 * grammar"). It reads
 *   numbers    1,466.73 / 1，466.73 / full-width digits / 一万二千, 两, 〇,
 *              三点五 / multipliers 万 亿 千 百万 千万, thousand million
 *              billion, k m M mn bn MM (a single letter only before a unit);
 *   ranges     5~8, 5-8, 5至8, 5 to 8, between 5 and 8;
 *   qualifiers 约 近 超过 逾 以上 余 多 左右, approximately about over
 *              more than nearly just under ... (cnrs_approx);
 *   signs      -5, −5, and (1,234) as a table prints a negative;
 *   percents   %, ％, 百分之三十, per cent; percentage points (个百分点, pp);
 *   units      whatever the unit table holds: surface forms with their
 *              dimension and factor to the dimension's canonical unit.
 * A unit of a dimension that has `markers` (GHG: CO2e, 二氧化碳当量, "CO e"
 * where extraction lost a subscript) is a mass form followed by a marker:
 * "吨二氧化碳当量", "metric tons of CO2e", "MtCO2e". A unit followed by "/" or
 * "per" makes the quantity a rate (an intensity: "0.32 tCO2e/万元").
 *
 * The unit table is data: the rubric's <quantities> section fills it
 * (rubric-format.md); quantity.c knows only the grammar of numbers.
 *
 * Text is normalised UTF-8 (normalise.h) or simplified Chinese made from
 * traditional (script.h); the table may hold traditional forms too.
 */
#ifndef CNRS_QUANTITY_H
#define CNRS_QUANTITY_H

#include <stddef.h>
#include <stdint.h>

#define CNRS_QUNIT_MAXDIMS 32

typedef enum cnrs_approx {
    CNRS_APPROX_EXACT = 0,
    CNRS_APPROX_ABOUT, /* 约, approximately, about, 左右 */
    CNRS_APPROX_MIN,   /* at least: 超过, 逾, 余, 多, 以上, more than, over */
    CNRS_APPROX_MAX    /* at most: 近, 不足, 以下, nearly, just under, up to */
} cnrs_approx;

/* "exact", "approx", "min", "max". Static storage. */
const char *cnrs_approx_name(cnrs_approx a);

/* A unit table. Opaque; built with cnrs_qtable_new and the _add functions,
 * then only read (safe to share between threads). */
typedef struct cnrs_qtable cnrs_qtable;

cnrs_qtable *cnrs_qtable_new(void);
void cnrs_qtable_free(cnrs_qtable *t);

/* Add a dimension ("ghg", canonical "tCO2e"). Returns its index, or -1 when
 * the id is already there or the table is full (CNRS_QUNIT_MAXDIMS). Strings
 * are copied. `mass` names the dimension whose forms, followed by one of
 * this dimension's markers, make a unit of this one (NULL: none). */
int cnrs_qtable_add_dim(cnrs_qtable *t, const char *id, const char *canonical, const char *mass);

/* Index of dimension `id`, or -1. */
int cnrs_qtable_dim(const cnrs_qtable *t, const char *id);
/* The id and canonical unit of dimension d. Owned by the table. */
const char *cnrs_qtable_dim_id(const cnrs_qtable *t, int d);
const char *cnrs_qtable_dim_canonical(const cnrs_qtable *t, int d);
size_t cnrs_qtable_ndims(const cnrs_qtable *t);

/* Add one surface form of a unit of dimension d: `factor` converts a value
 * in it to the canonical unit. Latin letters match case-insensitively unless
 * `exact` (Mt is a megatonne, MT a metric ton). `currency` (3 letters or
 * NULL) tags money; `before` says the form precedes its number (US$, RMB,
 * ¥). Returns 0, or -1 for an empty or over-long form or a bad dimension. */
int cnrs_qtable_add_form(cnrs_qtable *t, int d, const char *form, double factor, int exact,
                         const char *currency, int before);

/* Add a marker of dimension d ("CO2e" for ghg). Returns 0 or -1. */
int cnrs_qtable_add_marker(cnrs_qtable *t, int d, const char *marker);

/* Number of forms and markers held (for `rubric check` and tests). */
size_t cnrs_qtable_nforms(const cnrs_qtable *t);

typedef struct cnrs_quantity {
    size_t start, end;         /* bytes of the whole quantity: qualifier .. unit */
    size_t num_start, num_end; /* the number (or range) as printed */
    double value, value_hi;    /* as printed, multipliers applied, unit not */
    double lo, hi;             /* in the dimension's canonical unit (the number alone
                                * when there is no unit); hi == lo unless a range */
    int dim;                   /* table dimension, or -1: a bare number */
    double factor;             /* the unit's factor (1 without unit) */
    size_t unit_start, unit_end; /* the unit as printed (empty without unit) */
    char currency[4];          /* money: "CNY", "USD" ...; else "" */
    uint8_t approx;            /* cnrs_approx */
    uint8_t range;             /* lo..hi */
    uint8_t year;              /* a bare 4-digit 1900-2099 (2022, 2022年, FY2022) */
    uint8_t rate;              /* the unit is followed by / or per: an intensity */
    uint8_t percent;           /* %, 百分之 (dimension "percent" when the table has it) */
} cnrs_quantity;

/* Find the quantities of s[0..n), left to right, without overlaps; store at
 * most `max` in out[] and return how many were found (may exceed max: the
 * count of all). Bare numbers are reported too (dim -1), except digits glued
 * to a Latin letter ("emissions9", "CO2", "Scope1") and Chinese numerals not
 * followed by a unit or multiplier. Never fails. */
size_t cnrs_quantity_scan(const cnrs_qtable *t, const char *s, size_t n, cnrs_quantity *out,
                          size_t max);

/* A unit printed without its number ("tCO2e", "单位：万吨", "(million tonnes
 * CO2eq)", or a scale of 1,000 or more: "10,000 t of CO2e"): the first one of dimension `dim` (or of the
 * mass dimension behind it) in s[0..n). On success returns 1 and sets
 * *factor to the canonical value of one printed unit, multipliers and a
 * round scale ("10,000 t") included, and *is_dim to 1 when the unit was of
 * `dim` itself (not only its mass). Returns 0 when there is none. */
int cnrs_quantity_unit_label(const cnrs_qtable *t, int dim, const char *s, size_t n,
                             double *factor, int *is_dim, size_t *at, size_t *end);

/* The same, given q[0..nq), what cnrs_quantity_scan found in s[0..n) (nq
 * its count: at most the first 16 are read), so a caller that scanned the
 * sentence already does not scan it again. */
int cnrs_quantity_unit_label_q(const cnrs_qtable *t, int dim, const char *s, size_t n,
                               const cnrs_quantity *q, size_t nq, double *factor, int *is_dim,
                               size_t *at, size_t *end);

#endif
