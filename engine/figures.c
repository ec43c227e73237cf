/* figures.c - the company's own GHG inventory (see figures.h). */
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quantity.h"
#include "util.h"

#define S_MAXQ 96
/* How far from a row its table's unit or header may be printed. */
#define S_CONTEXT 3
#define S_HEADER_BACK 40
/* How many rows either side of a row its table may reach, for a unit
 * printed once. */
#define S_TABLE 12
/* Below this many bytes a body sentence may be a flattened table row. */
#define S_ROW 160

static int S_footnote(const cnrs_quantity *q);

void cnrs_figure_set_init(cnrs_figure_set *f)
{
    memset(f, 0, sizeof *f);
}

void cnrs_figure_set_free(cnrs_figure_set *f)
{
    free(f->v);
    memset(f, 0, sizeof *f);
}

/* ---- text helpers ------------------------------------------------------------ */

static int S_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int S_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* S_at past its first byte. */
static int S_at_rest(const char *s, size_t n, size_t i, const char *lit)
{
    size_t len = strlen(lit);
    if (i + len > n)
        return 0;
    for (size_t k = 1; k < len; k++) {
        unsigned char a = (unsigned char)s[i + k], b = (unsigned char)lit[k];
        if (a != b && !(S_alpha(a) && S_alpha(b) && (a | 0x20) == (b | 0x20)))
            return 0;
    }
    return 1;
}

/* s[i..] starts with lit (ASCII case folded). The first byte decides most
 * calls, and the loops over every byte of a sentence make many: that test
 * is inline, the rest (with strlen) a call. */
static inline int S_at(const char *s, size_t n, size_t i, const char *lit)
{
    if (i >= n || ((unsigned char)s[i] != (unsigned char)lit[0] &&
                   !(S_alpha((unsigned char)s[i]) && ((s[i] | 0x20) == (lit[0] | 0x20)))))
        return 0;
    return S_at_rest(s, n, i, lit);
}

/* A Latin word starts at i (not inside another word). */
static int S_word_at(const char *s, size_t i, const char *lit)
{
    return !S_alpha((unsigned char)lit[0]) || i == 0 || !S_alpha((unsigned char)s[i - 1]);
}

/* ---- scope and basis mentions ------------------------------------------------- */

typedef struct S_mention {
    size_t at, end;
    unsigned mask; /* 1: scope 1, 2: scope 2, 4: scope 3, 8: a total word */
} S_mention;

/* The scope digit at s[i..] ("1", "I", "一", "1"): its bit, *end set. */
static unsigned S_scope_digit(const char *s, size_t n, size_t i, size_t *end)
{
    static const struct {
        const char *w;
        unsigned bit;
    } d[] = {{"III", 4}, {"II", 2}, {"I", 1}, {"1", 1}, {"2", 2}, {"3", 4},
             {"一", 1},  {"二", 2},  {"三", 4}, {"１", 1}, {"２", 2}, {"３", 4}};
    for (size_t k = 0; k < sizeof d / sizeof *d; k++) {
        size_t len = strlen(d[k].w);
        if (i + len <= n && memcmp(s + i, d[k].w, len) == 0) {
            if (i + len < n && (S_digit((unsigned char)s[i + len]) ||
                                (S_alpha((unsigned char)d[k].w[0]) && S_alpha((unsigned char)s[i + len]))))
                continue; /* "10", "Scope Inc" */
            *end = i + len;
            return d[k].bit;
        }
    }
    return 0;
}

static const char *const S_scope_words[] = {"scopes", "scope", "范围", "範圍", "范畴", "範疇"};

static size_t S_scope_word(const char *s, size_t n, size_t i)
{
    for (size_t w = 0; w < sizeof S_scope_words / sizeof *S_scope_words; w++)
        if (S_at(s, n, i, S_scope_words[w]) && S_word_at(s, i, S_scope_words[w]))
            return strlen(S_scope_words[w]);
    return 0;
}

/* "Scope 11 ton 180,797", "Scope 1 and 23: 3.76 million": a footnote digit
 * glued to a scope's (no scope has two digits) at s[i..]: the scope's bit,
 * else 0. */
static unsigned S_glued_scope(const char *s, size_t n, size_t i)
{
    if (i + 2 > n || s[i] < '1' || s[i] > '3' || s[i + 1] < '1' || s[i + 1] > '9')
        return 0;
    size_t j = i + 2;
    if (j < n && (S_digit((unsigned char)s[j]) || S_alpha((unsigned char)s[j])))
        return 0;
    /* such a label is followed by its value, unit or colon ("scope 12 months"
     * is not one) */
    while (j < n && s[j] == ' ')
        j++;
    static const char *const next[] = {":", "|", "(", "：", "metric", "ton", "t ", "kt", "mt"};
    if (j < n && S_digit((unsigned char)s[j]))
        return 1u << (s[i] - '1');
    for (size_t k = 0; k < sizeof next / sizeof *next; k++)
        if (S_at(s, n, j, next[k]))
            return 1u << (s[i] - '1');
    return 0;
}

/* A scope label at s[i..] with its list ("Scope 1 and 2", "范围一和范围二",
 * "Scope 1, 2, and 3"): its mask, *end set; 0 when none. */
static unsigned S_scope_list(const char *s, size_t n, size_t i, size_t *end)
{
    static const char *const joins[] = {", and ", ", & ", " and ", " & ", " + ", "&", "+", "/",
                                        ", ", ",", "、", "和", "及", "与", "與"};
    size_t w = S_scope_word(s, n, i);
    if (!w)
        return 0;
    unsigned mask = 0;
    size_t j = i + w;
    for (;;) {
        while (j < n && s[j] == ' ')
            j++;
        size_t e;
        unsigned bit = S_scope_digit(s, n, j, &e);
        if (!bit && (bit = S_glued_scope(s, n, j)) != 0) {
            *end = j + 2; /* nothing is listed after a footnote */
            return mask | bit;
        }
        if (!bit)
            break;
        mask |= bit;
        *end = e;
        size_t jn = 0;
        for (size_t t = 0; t < sizeof joins / sizeof *joins && !jn; t++)
            if (S_at(s, n, e, joins[t]))
                jn = strlen(joins[t]);
        if (!jn)
            break;
        j = e + jn;
        size_t w2 = S_scope_word(s, n, j);
        if (!w2 && !S_scope_digit(s, n, j, &e) && !S_glued_scope(s, n, j))
            break; /* "Scope 1 and other ..." */
        j += w2;
    }
    return mask;
}

/* Words that name a scope without saying "scope", and totals. */
static const struct {
    const char *w;
    unsigned mask;
} S_scope_names[] = {
    {"other indirect", 4},   {"其他间接", 4},       {"其它间接", 4},
    {"value chain", 4},      {"value-chain", 4},    {"价值链", 4},
    {"indirect emissions", 2}, {"indirect ghg", 2}, {"indirect greenhouse", 2},
    {"energy indirect", 2},  {"间接排放", 2},        {"间接温室气体", 2},
    {"能源间接", 2},          {"外购电力", 2},        {"外购热力", 2},
    {"purchased electricity", 2},
    {"direct emissions", 1}, {"direct ghg", 1},     {"direct greenhouse", 1},
    {"直接排放", 1},          {"直接温室气体", 1},     {"直接碳排放", 1},
    {"total", 8},            {"gross", 8},          {"总量", 8},
    {"总排放", 8},            {"合计", 8},            {"总计", 8},
    {"共计", 8},              {"總量", 8},            {"總排放", 8},
};

/* "not included in Scope 1 and 2", "excluding Scope 3", "范围一以外": the
 * row is about something else. */
static int S_excluded_scope(const char *s, size_t n, size_t at)
{
    static const char *const w[] = {"not included in ", "not in ", "excluding ", "outside ",
                                    "other than ", "不包括", "不含", "除"};
    for (size_t k = 0; k < sizeof w / sizeof *w; k++) {
        size_t len = strlen(w[k]);
        if (at >= len && S_at(s, n, at - len, w[k]))
            return 1;
    }
    return 0;
}

/* Whether a scope word or name (S_scope_words, S_scope_names) can start at
 * s[i]: its first letter or first Han character. */
static int S_mention_first(const char *s, size_t n, size_t i)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        switch (b | 0x20) {
        case 's': case 'o': case 'v': case 'i': case 'e': case 'p': case 'd': case 't': case 'g':
            return 1;
        default:
            return 0;
        }
    }
    const unsigned char *u = (const unsigned char *)s + i;
    if (b < 0xE0 || b >= 0xF0 || i + 3 > n || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
        return 0;
    /* a switch on the code point, not 13 comparisons for every Han character */
    switch (((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F)) {
    case 0x8303: /* 范 */
    case 0x7BC4: /* 範 */
    case 0x5176: /* 其 */
    case 0x4EF7: /* 价 */
    case 0x95F4: /* 间 */
    case 0x9593: /* 間 */
    case 0x80FD: /* 能 */
    case 0x5916: /* 外 */
    case 0x76F4: /* 直 */
    case 0x603B: /* 总 */
    case 0x7E3D: /* 總 */
    case 0x5408: /* 合 */
    case 0x5171: /* 共 */
        return 1;
    default:
        return 0;
    }
}

static size_t S_mentions(const char *s, size_t n, S_mention *m, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < max;) {
        /* mentions start at a word or a character, not inside one, and only
         * with a first letter or character some mention has */
        unsigned char b = (unsigned char)s[i];
        if ((b & 0xC0) == 0x80 || (S_alpha(b) && i > 0 && S_alpha((unsigned char)s[i - 1])) ||
            (b < 0x80 && !S_alpha(b)) || !S_mention_first(s, n, i)) {
            i++;
            continue;
        }
        size_t end = i;
        unsigned mask = S_scope_list(s, n, i, &end);
        if (mask) {
            if (!S_excluded_scope(s, n, i))
                m[k++] = (S_mention){i, end, mask};
            i = end;
            continue;
        }
        size_t w = 0;
        for (; w < sizeof S_scope_names / sizeof *S_scope_names; w++) {
            const char *lit = S_scope_names[w].w;
            if (S_at(s, n, i, lit) && S_word_at(s, i, lit) &&
                !(i >= 2 && S_at(s, n, i - 2, "in")) /* indirect is not direct */)
                break;
        }
        if (w < sizeof S_scope_names / sizeof *S_scope_names) {
            size_t len = strlen(S_scope_names[w].w);
            m[k++] = (S_mention){i, i + len, S_scope_names[w].mask};
            i += len;
            continue;
        }
        i++;
    }
    return k;
}

/* The scope mask in force at byte p: the nearest mention ending before it,
 * except that a total word in the same label as a scope ("范畴一直接温室气体
 * 排放总量") does not replace it: a total replaces a scope only when a number
 * stands between them ("Scope 1 was 5 t; total emissions were 9 t"). */
static unsigned S_scope_at(const S_mention *m, size_t nm, size_t p, const cnrs_quantity *q,
                           size_t nq)
{
    size_t scope = SIZE_MAX, total = SIZE_MAX;
    for (size_t k = 0; k < nm; k++) {
        if (m[k].end > p)
            continue;
        if (m[k].mask == 8)
            total = k;
        else
            scope = k;
    }
    if (scope == SIZE_MAX)
        return total == SIZE_MAX ? 0 : 8;
    if (total == SIZE_MAX || m[total].at < m[scope].at)
        return m[scope].mask;
    for (size_t k = 0; k < nq; k++)
        if (q[k].start >= m[scope].end && q[k].end <= m[total].at && !q[k].year)
            return 8;
    return m[scope].mask;
}

static const char *S_scope_name(unsigned mask)
{
    switch (mask) {
    case 1:
        return "1";
    case 2:
        return "2";
    case 4:
        return "3";
    case 3:
        return "1+2";
    default:
        return "total";
    }
}

/* "market" / "location" named before p in the sentence, nearest first. */
static const char *S_basis_at(const char *s, size_t n, size_t p)
{
    static const struct {
        const char *w, *basis;
    } b[] = {{"market-based", "market"}, {"market based", "market"}, {"marketbased", "market"},
             {"基于市场", "market"},       {"市场法", "market"},        {"location-based", "location"},
             {"location based", "location"}, {"locationbased", "location"},
             {"基于位置", "location"},     {"基于地点", "location"},
             {"基于区域", "location"},    {"区域法", "location"}};
    const char *best = "";
    size_t at = 0;
    for (size_t i = 0; i < p && i < n; i++)
        for (size_t k = 0; k < sizeof b / sizeof *b; k++)
            if (S_at(s, n, i, b[k].w) && i + 1 > at) {
                at = i + 1;
                best = b[k].basis;
            }
    return best;
}

/* ---- years ----------------------------------------------------------------------- */

/* A letter or a digit at s[i]. */
static int S_alnum_at(const char *s, size_t i)
{
    return S_alpha((unsigned char)s[i]) || S_digit((unsigned char)s[i]);
}

/* The years printed in s[0..n): 4-digit 1990-2099 not inside a longer number
 * (2022, 2022年, FY2022). Positions in at[]. */
static size_t S_years(const char *s, size_t n, int *y, size_t *at, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i + 4 <= n && k < max; i++) {
        /* a fiscal year of two digits: "FY17 FY18 FY19" (the four-digit
         * "FY2017" is read below, at its digits) */
        if (s[i] == 'F' && s[i + 1] == 'Y' && S_digit((unsigned char)s[i + 2]) &&
            S_digit((unsigned char)s[i + 3]) && (i + 4 == n || !S_alnum_at(s, i + 4)) &&
            (i == 0 || !S_alpha((unsigned char)s[i - 1]))) {
            y[k] = 2000 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
            at[k++] = i;
            i += 3;
            continue;
        }
        if (!S_digit((unsigned char)s[i]) || (i > 0 && (S_digit((unsigned char)s[i - 1]) ||
                                                        s[i - 1] == '.' || s[i - 1] == ',')))
            continue;
        if (!S_digit((unsigned char)s[i + 1]) || !S_digit((unsigned char)s[i + 2]) ||
            !S_digit((unsigned char)s[i + 3]) ||
            (i + 4 < n && (S_digit((unsigned char)s[i + 4]) ||
                           (s[i + 4] == '.' && i + 5 < n && S_digit((unsigned char)s[i + 5])) ||
                           (s[i + 4] == ',' && i + 5 < n && S_digit((unsigned char)s[i + 5])))))
            continue;
        int v = atoi(s + i);
        if (v < 1990 || v > 2099)
            continue;
        if (i > 0 && S_alpha((unsigned char)s[i - 1]) && !(i >= 2 && S_at(s, n, i - 2, "FY")))
            continue;
        y[k] = v;
        at[k++] = i;
        i += 3;
    }
    return k;
}

/* A header row: two years or more and no other value. Its years in y[];
 * a year whose column is a target, plan or budget ("Value 2021 target value
 * 2022", "2022年目标") is stored negated: its values are not inventory. */
static size_t S_header_years(const cnrs_qtable *t, const char *s, size_t n, int *y, size_t max)
{
    size_t at[16];
    size_t k = S_years(s, n, y, at, max < 16 ? max : 16);
    if (k < 2)
        return 0;
    /* a header's years stand together ("2021 2020 2019", "Value 2021 target
     * value 2022"); years far apart are prose ("by 2030 and net zero across
     * our value chain by 2050") */
    for (size_t i = 1; i < k; i++)
        if (at[i] - at[i - 1] > 4 + 20)
            return 0;
    cnrs_quantity q[32];
    size_t nq = cnrs_quantity_scan(t, s, n, q, 32);
    for (size_t i = 0; i < nq && i < 32; i++) {
        /* "2019 MTCO2e | 2020 MTCO2e": a year over a column with its unit */
        if (q[i].num_end - q[i].num_start == 4 && q[i].value >= 1990 && q[i].value <= 2099 &&
            q[i].value == floor(q[i].value))
            continue;
        if (!q[i].year && (q[i].lo >= 10 || q[i].lo != floor(q[i].lo)))
            return 0;
    }
    static const char *const goal[] = {"target", "goal", "plan", "budget", "forecast",
                                       "目标", "計劃", "计划", "预算", "預算", "预计", "預計"};
    for (size_t i = 0; i < k; i++) {
        /* the label of year i: "target value 2022" before it (after the
         * previous year), or right after it when no year follows ("2021 2022
         * target") or in Chinese ("2022年目标") */
        /* (the first year's label is the words just before it, not the
         * whole row: "Topic Goals and targets Metrics Status 2021 2020
         * 2019" heads three actual years) */
        size_t a = i ? at[i - 1] + 4 : at[0] > 16 ? at[0] - 16 : 0,
               b = i + 1 < k ? at[i + 1] : n;
        if (b > at[i] + 4 + 9)
            b = at[i] + 4 + 9;
        for (size_t j = a; j < b && y[i] > 0; j++)
            for (size_t g = 0; g < sizeof goal / sizeof *goal; g++)
                if (S_at(s, b, j, goal[g]) &&
                    (j < at[i] || (j <= at[i] + 7 &&
                                   (i + 1 == k || S_at(s, n, at[i] + 4, "年"))))) {
                    y[i] = -y[i];
                    break;
                }
    }
    return k;
}

/* ---- collecting ------------------------------------------------------------------- */

/* A sentence's unit label (cnrs_quantity_unit_label), cached: rows of one
 * table look at the same captions. */
typedef struct S_label {
    signed char state; /* 0 not looked for, 1 found, -1 none */
    int is_dim;
    double factor;
    size_t at, end;
} S_label;

typedef struct S_ctx {
    cnrs_extractor *x;
    const cnrs_rubric *r;
    const cnrs_doc *doc;
    const char *T;
    const cnrs_qtable *qt;
    int ghg, mass;
    size_t item; /* a Q11 item: its exclusions decide which clauses count */
    unsigned items_mask; /* scopes the sentence's Q11 items name */
    int report_year;
    cnrs_figure_set *out;
    struct S_label *labels; /* per sentence: its unit label, found once */
    size_t sent;     /* the sentence being read */
    size_t evsent;   /* the Q11 evidence sentence its figures count for */
    int neighbour;   /* a row without Q11 evidence, next to one that has it */
    int category;    /* the row is a Scope 3 category (S_category_row) */
    const cnrs_quantity *cur_q; /* the quantities of sentence cur_sent (S_sentence) */
    size_t cur_nq, cur_sent;
    size_t total_item; /* Q11's total item (S_gas_table) */
} S_ctx;

static void S_copy(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap) { /* cut, but never inside a UTF-8 sequence */
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = 0;
}

/* A Scope 3 category row ("Scope 3: Business travel 7,716", "范围三 - 员工
 * 通勤", "Category 6 Business travel") or one gas of a scope ("Scope 1
 * perfluorinated compounds emissions"): a component of the inventory, not a
 * scope total (GHG Protocol Scope 3 Standard, its 15 categories). True
 * when a category name starts the row or follows its scope-3 label: 2 when
 * the row says "category" itself (whatever scope its items give it). */
static int S_category_row(const char *s, size_t n, const S_mention *m, size_t nm, size_t p)
{
    static const char *const w[] = {
        "category", "categories", "cat.", "purchased goods", "capital goods", "fuel- and energy",
        "fuel and energy", "fuel-and-energy", "upstream", "downstream", "waste generated",
        "business travel", "employee commut", "processing of sold", "use of sold",
        "end-of-life", "end of life", "franchise", "investments", "类别", "類別", "外购商品",
        "购买的商品", "采购的商品", "资本货物", "燃料和能源", "燃料及能源", "上游", "下游",
        "运营中产生的废弃物", "商务差旅", "商務差旅", "差旅", "员工通勤", "員工通勤",
        "售出产品", "特许经营", "投资"};
    /* one gas of a scope: "Scope 1 perfluorinated compounds emissions" */
    static const char *const gas[] = {"perfluor", "PFC", "HFC", "SF6", "NF3", "methane", "CH4",
                                      "N2O", "nitrous", "refrigerant", "甲烷", "氧化亚氮",
                                      "氢氟碳", "全氟", "六氟化硫", "制冷剂"};
    /* biogenic CO2 is reported apart from the scopes (GHG Protocol) */
    for (size_t i = 0; i < p && i < n; i++)
        if (S_at(s, n, i, "biogenic") || S_at(s, n, i, "生物源"))
            return 2;
    size_t starts[2] = {0, SIZE_MAX};
    for (size_t k = 0; k < nm; k++) {
        if (m[k].end > p || m[k].mask == 8)
            continue;
        if (m[k].mask == 4)
            starts[1] = m[k].end;
        size_t i = m[k].end;
        /* "Scope 1 - N2O", "Scope 2: CH4" */
        while (i < p && (s[i] == ' ' || s[i] == '-' || s[i] == ':' || s[i] == ','))
            i++;
        for (size_t g = 0; g < sizeof gas / sizeof *gas; g++)
            if (S_at(s, n, i, gas[g]))
                return 2;
    }
    for (size_t t = 0; t < 2; t++) {
        size_t i = starts[t];
        if (i == SIZE_MAX)
            continue;
        while (i < p && (s[i] == ' ' || s[i] == ':' || s[i] == '-' || s[i] == '(' || s[i] == '|' ||
                         s[i] == ','))
            i++;
        if (S_at(s, n, i, "–") || S_at(s, n, i, "：") || S_at(s, n, i, "—") || S_at(s, n, i, "（"))
            i += 3;
        while (i < p && s[i] == ' ')
            i++;
        for (size_t k = 0; k < sizeof w / sizeof *w; k++)
            if (S_at(s, n, i, w[k]))
                return k < 3 || S_at(s, n, i, "类别") || S_at(s, n, i, "類別") ? 2 : 1;
    }
    return 0;
}

/* Whether a sentence states emission factors ("排放因子(电:0.604tCO2/MWh、
 * 柴油3.15tCO2/t)", "emission factors of 0.5703 tCO2/MWh"): its rates are
 * methodology, not the company's intensities. */
static int S_factor_sentence(const char *s, size_t n)
{
    static const char *const w[] = {"排放因子", "排放系数", "折算系数", "emission factor",
                                    "emissions factor", "emission coefficient",
                                    "conversion factor"};
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof w / sizeof *w; k++)
            if (S_at(s, n, i, w[k]))
                return 1;
    return 0;
}

/* Whether the table of sentence `sent` is captioned as emission factors
 * ("Table 4: Carbon conversion factors." over "Natural gas Scope 1 direct
 * GHG (kg CO2e/kWh) 0.18316"): a short caption up the run of its rows. */
static int S_factor_table(const S_ctx *c, size_t sent)
{
    int page = c->doc->sents[sent].page;
    for (size_t k = sent; k-- > 0 && sent - k <= S_TABLE;) {
        const cnrs_sentence *o = &c->doc->sents[k];
        /* a caption is short; a note on the factors used is not one */
        if (o->len < 80 && S_factor_sentence(c->T + o->off, o->len))
            return 1;
        /* the rows run up to a page break or a line of prose */
        if (o->page != page || (o->kind != CNRS_BLOCK_TABLE_ROW && o->len >= 100))
            return 0;
    }
    return 0;
}

static void S_emit(S_ctx *c, uint32_t sent, const char *s, size_t n, const cnrs_quantity *q,
                   const char *unit, size_t unit_len, double factor, unsigned mask, int year,
                   int from_context)
{
    if (c->category == 2 || (c->category && (mask == 4 || mask == 8)))
        return; /* a component of the inventory, not a scope's or the total */
    if (q->rate && (S_factor_sentence(s, n) || S_factor_table(c, sent)))
        return; /* an emission factor (柴油3.15tCO2/t), not the company's intensity */
    cnrs_figure f;
    memset(&f, 0, sizeof f);
    snprintf(f.scope, sizeof f.scope, "%s", S_scope_name(mask));
    snprintf(f.basis, sizeof f.basis, "%s", S_basis_at(s, n, q->num_start));
    snprintf(f.kind, sizeof f.kind, "%s", q->rate ? "intensity" : "emissions");
    f.year = year;
    int mt = unit_len >= 2 && (unit[0] | 0x20) == 'm' && (unit[1] | 0x20) == 't';
    /* the printed number without multipliers: what a reader compares; the
     * multiplier joins the unit (951.4 | 万吨) */
    char digits[64];
    size_t d = 0, de = q->num_start;
    while (de < q->num_end && d < sizeof digits - 1 &&
           (S_digit((unsigned char)s[de]) || s[de] == '.' || s[de] == ',' || s[de] == ' ')) {
        if (s[de] != ',' && s[de] != ' ')
            digits[d++] = s[de];
        de++;
    }
    while (de > q->num_start && s[de - 1] == ' ')
        de--;
    digits[d] = 0;
    S_copy(f.value_text, sizeof f.value_text, s + q->num_start, de - q->num_start);
    char u[96];
    size_t ul = 0;
    if (de < q->num_end && unit_len && unit == s + q->unit_start && q->unit_start >= q->num_end) {
        size_t ml = q->unit_start - de; /* 万 and the unit with what is between */
        if (ml + unit_len < sizeof u) {
            memcpy(u, s + de, ml + unit_len);
            ul = ml + unit_len;
        }
    }
    if (!ul) {
        ul = unit_len < sizeof u ? unit_len : sizeof u - 1;
        memcpy(u, unit, ul);
    }
    /* an intensity keeps its denominator: 吨二氧化碳当量/兆瓦时, tCO2e per MWh */
    if (q->rate && unit_len && unit >= s && unit + unit_len <= s + n) {
        size_t e = (size_t)(unit + unit_len - s), k = e;
        while (k < n && s[k] == ' ')
            k++;
        size_t den = k < n && s[k] == '/' ? k + 1
                   : S_at(s, n, k, "／")   ? k + 3
                   : S_at(s, n, k, "per ") ? k + 4
                                           : 0;
        if (den) {
            while (den < n && s[den] == ' ')
                den++;
            size_t z = den;
            while (z < n && z - e < 24 && s[z] != ' ' && s[z] != ',' && s[z] != ';' &&
                   s[z] != ')' && s[z] != '|' && !S_at(s, n, z, "，") && !S_at(s, n, z, "。") &&
                   !S_at(s, n, z, "；") && !S_at(s, n, z, "）") && !S_at(s, n, z, "、"))
                z++;
            if (z > den && ul + (z - e) < sizeof u) {
                while (z > den && s[z - 1] == '.')
                    z--;
                memcpy(u + ul, s + e, z - e);
                ul += z - e;
            }
        }
    }
    unit = u;
    unit_len = ul;
    f.value = d ? strtod(digits, NULL) : q->value;
    if (q->value < 0)
        f.value = -f.value;
    f.scaled = q->value;
    S_copy(f.unit, sizeof f.unit, unit, unit_len);
    if (q->value <= 0)
        return; /* a table's negative change or a header's scale, not an inventory */
    f.tco2e = q->rate ? 0 : q->value * factor;
    /* "MtCO2e" is a megatonne by SI but a metric ton in many reports ("13.249
     * million MtCO2e"): no company emits more than 2 Gt a year */
    if (f.tco2e > 2e9 && mt)
        f.tco2e /= 1e6;
    f.approx = q->approx;
    f.unit_from_context = (uint8_t)from_context;
    f.sent = sent;
    f.evsent = (uint32_t)c->evsent;
    f.page = c->doc->sents[sent].page;
    for (size_t k = 0; k < c->out->n; k++) {
        const cnrs_figure *g = &c->out->v[k];
        if (strcmp(g->scope, f.scope) == 0 && strcmp(g->basis, f.basis) == 0 &&
            strcmp(g->kind, f.kind) == 0 && g->year == f.year && g->tco2e == f.tco2e &&
            g->value == f.value)
            return;
    }
    c->out->v = cnrs_xgrow(c->out->v, &c->out->cap, c->out->n + 1, sizeof *c->out->v);
    c->out->v[c->out->n++] = f;
}

/* A row of a table on page `page`: a table row, or a short sentence with a
 * digit (prose sentences between a unit and a row break the table). */
static int S_value_row(const cnrs_doc *doc, const char *T, size_t k, int page)
{
    const cnrs_sentence *o = &doc->sents[k];
    if (o->page != page)
        return 0;
    if (o->kind == CNRS_BLOCK_TABLE_ROW)
        return 1;
    if (o->len >= S_ROW)
        return 0;
    for (size_t j = 0; j < o->len; j++)
        if (S_digit((unsigned char)T[o->off + j]))
            return 1;
    return 0;
}

/* The year of a single value at [a, b) of s: a year right after it ("in
 * 2022", "（2022年）"), else the nearest before it, else any after it, else
 * the report's year when the sentence names none. */
static int S_year_of(const S_ctx *c, const char *s, size_t n, size_t a, size_t b)
{
    int y[32];
    size_t at[32];
    size_t k = S_years(s, n, y, at, 32);
    for (size_t i = 0; i < k; i++)
        if (at[i] >= b && at[i] - b <= 12) {
            int near = 1;
            for (size_t j = b; j < at[i]; j++)
                if (S_digit((unsigned char)s[j]))
                    near = 0;
            if (near && (S_at(s, n, b, " in ") || S_at(s, n, b, " for ") || S_at(s, n, b, "（") ||
                         S_at(s, n, b, " (") || S_at(s, n, b, "(")))
                return y[i];
        }
    int best = 0;
    for (size_t i = 0; i < k; i++)
        if (at[i] < a)
            best = y[i];
    if (best)
        return best;
    for (size_t i = 0; i < k; i++)
        if (at[i] >= b)
            return y[i];
    /* "2020年，总排放为951.4万吨。其中，范围1为51.0万吨": the year of the
     * sentences just before, in the same block */
    const cnrs_sentence *me = &c->doc->sents[c->sent];
    for (size_t j = c->sent; j-- > 0 && c->sent - j <= 3;) {
        const cnrs_sentence *o = &c->doc->sents[j];
        if (o->block != me->block)
            break;
        k = S_years(c->T + o->off, o->len, y, at, 32);
        if (k)
            return y[k - 1];
    }
    /* "Gross Greenhouse Gas Emissions 2021" heading the rows of its table */
    for (size_t j = c->sent; j-- > 0 && c->sent - j <= S_TABLE;) {
        const cnrs_sentence *o = &c->doc->sents[j];
        k = S_years(c->T + o->off, o->len, y, at, 32);
        if (k == 1) {
            /* one year and no other value: the table's header */
            cnrs_quantity hq[8];
            size_t nh = cnrs_quantity_scan(c->qt, c->T + o->off, o->len, hq, 8), v = 0;
            for (size_t h = 0; h < nh && h < 8; h++)
                v += !hq[h].year && !S_footnote(&hq[h]);
            if (v == 0)
                return y[k - 1];
        }
        if (!S_value_row(c->doc, c->T, j, me->page))
            break;
    }
    return c->report_year;
}

/* Gap text between values of a run: separators, closing brackets, empty
 * cells and year labels ("FY22 4,612"). Returns the number of empty cells,
 * or -1 when the gap holds anything else; *year is the last year label. */
static int S_gap(const char *s, size_t a, size_t b, int *year)
{
    int slots = 0;
    size_t i = a;
    *year = 0;
    while (i < b) {
        if (s[i] == ' ' || s[i] == '|' || s[i] == '\t' || s[i] == ')' || s[i] == ']') {
            i++;
            continue;
        }
        if (S_at(s, b, i, "）")) {
            i += 3;
            continue;
        }
        /* footnote markers: (2), *, ** */
        if (s[i] == '*') {
            i++;
            continue;
        }
        if (s[i] == '(' && i + 2 < b && S_digit((unsigned char)s[i + 1]) &&
            (s[i + 2] == ')' || (i + 3 < b && S_digit((unsigned char)s[i + 2]) && s[i + 3] == ')'))) {
            i += s[i + 2] == ')' ? 3 : 4;
            continue;
        }
        if (S_at(s, b, i, "FY") && i + 4 <= b && S_digit((unsigned char)s[i + 2]) &&
            S_digit((unsigned char)s[i + 3])) {
            size_t d = i + 2;
            while (d < b && S_digit((unsigned char)s[d]))
                d++;
            if (d - i == 4)
                *year = 2000 + atoi(s + i + 2);
            else if (d - i == 6)
                *year = atoi(s + i + 2);
            else
                return -1;
            i = d;
            continue;
        }
        static const char *const empty[] = {"N/A", "n/a", "NA", "-", "–", "—", "/", "不适用", "无"};
        size_t k = 0;
        for (; k < sizeof empty / sizeof *empty; k++) {
            size_t len = strlen(empty[k]);
            if (i + len <= b && memcmp(s + i, empty[k], len) == 0 &&
                (i + len == b || s[i + len] == ' ' || s[i + len] == '|'))
                break;
        }
        if (k == sizeof empty / sizeof *empty)
            return -1;
        slots++;
        i += strlen(empty[k]);
    }
    return slots;
}

static int S_value_like(const cnrs_quantity *q)
{
    return q->dim < 0 && !q->year && !q->percent && !q->rate && !q->range;
}

/* A footnote or row number rather than a value: "(2)", or a small integer
 * ("Emissions 7", "Protocol 10 | 339,342"). */
static int S_footnote(const cnrs_quantity *q)
{
    return q->value == floor(q->value) && fabs(q->value) < 100 && q->num_end - q->num_start <= 2;
}

/* A table's scale printed as a quantity: a round 1,000 or more ending its
 * sentence or followed by "of" ("(10,000 t of CO2e)", "单位：10,000吨"). */
static int S_scale(const char *s, size_t n, const cnrs_quantity *q)
{
    double v = q->value, l = v >= 1000 ? log10(v) : 0;
    if (v < 1000 || fabs(l - floor(l + 0.5)) > 1e-9)
        return 0;
    size_t e = q->end;
    while (e < n && s[e] == ' ')
        e++;
    return e >= n || s[e] == '.' || s[e] == ')' || S_at(s, n, e, "of") || S_at(s, n, e, "）");
}

/* A number followed directly by letters ("31st", "2nd") is not a value. */
static int S_letters_after(const char *s, size_t n, const cnrs_quantity *q)
{
    return q->end < n && S_alpha((unsigned char)s[q->end]);
}

/* Whether the figure at byte p of s may count: its clause is free of the
 * Q11 item's exclusions (cnrs_extract_clause_free), and so are the label
 * before the nearest colon, which heads what follows it ("Net zero target:
 * limit CO2 emissions to 235,000 tonnes"), and a row label in the cell just
 * before the value's; it is not a change ("+9t"). */
static int S_free(S_ctx *c, const char *s, size_t n, size_t p)
{
    if (!cnrs_extract_clause_free(c->x, s, n, c->item, p))
        return 0;
    /* a change, not a level: "+9t CO2eq" (a row's change column) */
    if (p > 0 && (s[p - 1] == '+' || (p > 1 && s[p - 1] == ' ' && s[p - 2] == '+')))
        return 0;
    /* a row label heads the value in the cell right after it: "Reduction
     * target (tCO2e) | 5,000" (further cells may be another column's text) */
    const char *bar = memchr(s, '|', p);
    if (bar && bar > s + 1 && bar[-1] == ' ' && !memchr(bar + 1, '|', p - (size_t)(bar + 1 - s)) &&
        !cnrs_extract_clause_free(c->x, s, n, c->item, (size_t)(bar - s) - 2))
        return 0;
    for (size_t i = p; i-- > 1;) {
        if (s[i] == ':' && !(S_digit((unsigned char)s[i - 1]) && i + 1 < n &&
                             S_digit((unsigned char)s[i + 1])))
            return cnrs_extract_clause_free(c->x, s, n, c->item, i - 1);
        if (i >= 2 && S_at(s, n, i - 2, "："))
            return i > 2 ? cnrs_extract_clause_free(c->x, s, n, c->item, i - 3) : 1;
    }
    return 1;
}

/* The header years for sentence i: a header row above it (or the start of
 * the sentence itself, before `before`). */
static size_t S_run_years(const S_ctx *c, size_t i, const char *s, size_t before, int *y,
                          size_t max)
{
    size_t k = S_header_years(c->qt, s, before, y, max);
    if (k)
        return k;
    for (size_t j = i; j-- > 0 && i - j <= S_HEADER_BACK;) {
        const cnrs_sentence *h = &c->doc->sents[j];
        /* a header heads the rows of its page: the table of a page before
         * is another one (Virgin Atlantic's SASB row on p55 took 2019 from
         * the inventory table of p52) */
        if (h->page != c->doc->sents[i].page)
            break;
        k = S_header_years(c->qt, c->T + h->off, h->len, y, max);
        if (k)
            return k;
    }
    return 0;
}

/* Whether the number of q carries its own multiplier ("3.0 million",
 * "3.2万"): something other than digits and separators before its end. */
static int S_own_multiplier(const char *s, const cnrs_quantity *q)
{
    for (size_t k = q->num_start; k < q->num_end; k++)
        if (!(S_digit((unsigned char)s[k]) || s[k] == '.' || s[k] == ',' || s[k] == ' ' ||
              s[k] == '-' || s[k] == '(' || s[k] == ')'))
            return 1;
    return 0;
}

/* How many values at the start of a run, q[idx[0..m)], are a chart axis's
 * ticks: the longest prefix of four or more distinct values, one of them 0,
 * that, sorted, step evenly ("18,000,000 20,000,000 16,000,000 ... 2,000,000
 * 0", "200K 150K 100K 50K 0"). Measured series can step evenly by chance
 * (0.15 0.14 0.13 0.12; 3.8 4.5 5.2 5.9), but do not include 0. 0 when none. */
static size_t S_axis_ticks(const cnrs_quantity *q, const size_t *idx, size_t m)
{
    for (size_t len = m; len >= 4; len--) {
        double v[32];
        for (size_t j = 0; j < len; j++)
            v[j] = q[idx[j]].value;
        for (size_t a = 1; a < len; a++) /* insertion sort: at most 32 */
            for (size_t b = a; b > 0 && v[b - 1] > v[b]; b--) {
                double t = v[b];
                v[b] = v[b - 1];
                v[b - 1] = t;
            }
        double step = v[1] - v[0];
        int even = step > 0 && v[0] == 0;
        for (size_t j = 2; j < len && even; j++)
            even = fabs(v[j] - v[j - 1] - step) <= 1e-9 * (fabs(v[j]) + step);
        if (even)
            return len;
    }
    return 0;
}

/* Values after a unit printed once, from byte `from` of the sentence: the
 * first run of bare numbers, separated only by cell separators and empty
 * cells; each takes its header year in order. */
static int S_run(S_ctx *c, size_t i, const char *s, size_t n, const cnrs_quantity *q, size_t nq,
                 size_t from, const char *unit, size_t unit_len, double factor, int from_context,
                 int rate)
{
    size_t k = 0;
    while (k < nq && q[k].start < from)
        k++;
    /* a footnote or row number before the values ("Protocol 10 | 339,342") */
    if (k + 1 < nq && S_value_like(&q[k]) && S_footnote(&q[k]) && S_value_like(&q[k + 1]) &&
        !S_footnote(&q[k + 1]))
        from = q[k++].end;
    if (k == nq || !S_value_like(&q[k]) || S_letters_after(s, n, &q[k]))
        return 0;
    /* a small integer is a footnote ("Emissions 7") unless a cell holds it
     * ("Scope 2 (MTCO2e) | 74 | - | -") */
    if (S_footnote(&q[k]) && !memchr(s + from, '|', q[k].start - from))
        return 0;
    int fy;
    int lead = S_gap(s, from, q[k].start, &fy);
    if (lead < 0)
        return 0;
    size_t idx[32];
    int slot[32], label[32];
    size_t m = 0;
    int pos = lead;
    size_t prev = k;
    for (size_t j = k; j < nq && m < 32 && S_value_like(&q[j]); j++) {
        if (j > k && q[j].value < 0 && S_footnote(&q[j]))
            continue; /* "105,675(2)": the gap test below skips its text */
        if (S_letters_after(s, n, &q[j]))
            break;
        if (j > k) {
            int g = S_gap(s, q[prev].end, q[j].start, &fy);
            if (g < 0)
                break;
            pos += g + 1;
        }
        idx[m] = j;
        label[m] = fy;
        slot[m++] = pos;
        prev = j;
    }
    /* a chart's axis printed before its values ("200K 150K 100K 50K 0"):
     * ticks, not values */
    size_t ticks = S_axis_ticks(q, idx, m);
    if (ticks) {
        memmove(idx, idx + ticks, (m - ticks) * sizeof *idx);
        memmove(slot, slot + ticks, (m - ticks) * sizeof *slot);
        memmove(label, label + ticks, (m - ticks) * sizeof *label);
        m -= ticks;
        int base = m ? slot[0] : 0; /* positions count from the first value left */
        for (size_t j = 0; j < m; j++)
            slot[j] -= base;
    }
    int y[16];
    size_t ny = S_run_years(c, i, s, q[k].start, y, 16);
    /* "ton 170,675 157,916 1.": a footnote marker after the values, one more
     * than the header has years */
    if (m >= 2 && S_footnote(&q[idx[m - 1]]) && !S_footnote(&q[idx[m - 2]]) && ny &&
        (size_t)slot[m - 1] == ny &&
        !memchr(s + q[idx[m - 2]].end, '|', q[idx[m - 1]].start - q[idx[m - 2]].end))
        m--;
    int emitted = 0;
    for (size_t j = 0; j < m; j++) {
        const cnrs_quantity *v = &q[idx[j]];
        if (!S_free(c, s, n, v->num_start))
            continue;
        /* "3.0 million" under "million t CO2": the multiplier would count
         * twice, or the value repeats the label's; either way not read */
        if (factor != 1 && S_own_multiplier(s, v))
            continue;
        int year = 0;
        if (label[j])
            year = label[j];
        else if (ny && (size_t)(slot[m - 1] + 1) <= ny) {
            year = y[slot[j]];
            if (year < 0)
                continue; /* a target column */
        }
        else if (m == 1)
            year = S_year_of(c, s, n, v->num_start, v->end);
        cnrs_quantity one = *v;
        one.rate |= (uint8_t)rate;
        S_emit(c, (uint32_t)i, s, n, &one, unit, unit_len, factor, c->items_mask, year,
               from_context);
        emitted++;
    }
    return emitted;
}

/* Whether the clause around byte p speaks of emissions or greenhouse gases (a
 * plain mass there is a GHG mass: 实际排放71,631.39吨, "Carbon dioxide CO2-eq
 * according to Scope 1 ... Tonnes"). */
static int S_emission_clause(const char *s, size_t n, size_t p)
{
    size_t lo = p, hi = p;
    while (lo > 0 && s[lo - 1] != ',' && s[lo - 1] != ';' &&
           !(lo >= 3 && (S_at(s, n, lo - 3, "，") || S_at(s, n, lo - 3, "；") ||
                         S_at(s, n, lo - 3, "。"))))
        lo--;
    /* forward to the clause's end too: not at a thousands separator, nor at
     * ", of" that goes on with the noun ("1.20 million tons, of total
     * greenhouse gas emissions") */
    while (hi < n && s[hi] != ';' &&
           !(s[hi] == ',' && hi + 1 < n && s[hi + 1] == ' ' && !S_at(s, n, hi, ", of ")) &&
           !S_at(s, n, hi, "，") && !S_at(s, n, hi, "；"))
        hi++;
    for (size_t i = lo; i < hi; i++)
        if (S_at(s, hi, i, "排放") || S_at(s, hi, i, "emission") || S_at(s, hi, i, "footprint") ||
            S_at(s, hi, i, "碳足迹") || S_at(s, hi, i, "二氧化碳") || S_at(s, hi, i, "温室气体") ||
            S_at(s, hi, i, "CO2") || S_at(s, hi, i, "carbon dioxide") ||
            S_at(s, hi, i, "greenhouse") || S_at(s, hi, i, "GHG"))
            return 1;
    return 0;
}

/* Whether the clause before byte p makes a figure a rate: "per vehicle",
 * 每, 单位产品, intensity, 强度. */
static int S_rate_clause(const char *s, size_t n, size_t p)
{
    size_t lo = p;
    while (lo > 0 && s[lo - 1] != ',' && s[lo - 1] != ';' &&
           !(lo >= 3 && (S_at(s, n, lo - 3, "，") || S_at(s, n, lo - 3, "；"))))
        lo--;
    static const char *const w[] = {" per ", "每", "单位产", "单位营", "单位收", "单位销",
                                    "单位建筑", "单位面积", "万元", "intensity", "强度"};
    for (size_t i = lo; i < p; i++)
        for (size_t k = 0; k < sizeof w / sizeof *w; k++)
            if (S_at(s, p, i, w[k]))
                return 1;
    return 0;
}

/* Whether a unit label [at, end) is a rate: a denominator follows it
 * ("tCO2e / person", "Tons of CO2/ RMB million") or its clause speaks of
 * intensity (每万元产值温室气体排放量(单位：吨/万元)). */
static int S_rate_label(const char *s, size_t n, size_t at, size_t end)
{
    size_t k = end;
    while (k < n && s[k] == ' ')
        k++;
    return (k < n && s[k] == '/') || S_at(s, n, k, "／") || S_at(s, n, k, "per ") ||
           S_rate_clause(s, n, at);
}

/* Where a row's values start: after the last scope label at or after
 * `from` (or `from` itself), past the rest of the row's name, before its
 * first value ("-5", "(5)") or year label ("FY22 4,612"). */
static size_t S_row_values(const char *s, size_t n, const S_mention *m, size_t nm, size_t from)
{
    size_t f = from;
    for (size_t j = 0; j < nm; j++)
        if (m[j].end > f)
            f = m[j].end;
    while (f < n) {
        if (S_digit((unsigned char)s[f]) && !(f > 0 && S_alpha((unsigned char)s[f - 1])))
            break;
        if ((s[f] == '(' || s[f] == '-') && f + 1 < n && S_digit((unsigned char)s[f + 1]))
            break;
        if (S_at(s, n, f, "FY") && f + 2 < n && S_digit((unsigned char)s[f + 2]) &&
            !(f > 0 && S_alpha((unsigned char)s[f - 1])))
            break;
        f++;
    }
    return f;
}

/* S_run for the values of [from, to) only: a row whose unit follows them. */
static int S_run_before(S_ctx *c, size_t i, const char *s, size_t n, const cnrs_quantity *q,
                        size_t nq, size_t from, size_t to, const char *unit, size_t unit_len,
                        double factor, int rate)
{
    size_t k = 0;
    while (k < nq && q[k].start < to)
        k++;
    return S_run(c, i, s, n, q, k, from, unit, unit_len, factor, 1, rate);
}

/* Whether a value-like quantity follows byte p. */
static int S_values_after(const cnrs_quantity *q, size_t nq, size_t p)
{
    for (size_t k = 0; k < nq; k++)
        if (q[k].start >= p && S_value_like(&q[k]) && !S_footnote(&q[k]))
            return 1;
    return 0;
}

/* The values of a row that broke after its unit: a short next sentence on
 * the same page, read from its first value. Returns the figures added. */
static int S_next_row(S_ctx *c, size_t i, const char *unit, size_t unit_len, double factor,
                      int rate)
{
    if (i + 1 >= c->doc->nsents)
        return 0;
    const cnrs_sentence *nx = &c->doc->sents[i + 1], *se = &c->doc->sents[i];
    if (nx->page != se->page || nx->len >= S_ROW ||
        !(nx->kind == CNRS_BLOCK_BODY || nx->kind == CNRS_BLOCK_TABLE_ROW))
        return 0;
    const char *s = c->T + nx->off;
    size_t n = nx->len;
    cnrs_quantity q[S_MAXQ];
    size_t nq = cnrs_quantity_scan(c->qt, s, n, q, S_MAXQ);
    if (nq > S_MAXQ)
        nq = S_MAXQ;
    S_mention m[32];
    size_t nm = S_mentions(s, n, m, 32);
    if (nm && (nq == 0 || m[0].at < q[0].start))
        return 0; /* a row of its own, with its own label */
    size_t saved = c->sent;
    c->sent = i + 1;
    int got = S_run(c, i + 1, s, n, q, nq, S_row_values(s, n, m, nm, 0), unit, unit_len, factor,
                    1, rate);
    c->sent = saved;
    return got;
}

/* The unit label of sentence k, through the cache. */
static int S_label_of(S_ctx *c, size_t k, double *factor, int *is_dim, size_t *at, size_t *end)
{
    S_label *l = &c->labels[k];
    if (l->state == 0) {
        /* the sentence's quantities when extract or S_sentence has them */
        const cnrs_sentence *o = &c->doc->sents[k];
        size_t nq = 0;
        const cnrs_quantity *q = cnrs_extract_quantities(c->x, c->doc, k, &nq);
        if (!q && c->cur_q && k == c->cur_sent) {
            q = c->cur_q;
            nq = c->cur_nq;
        }
        l->state = cnrs_quantity_unit_label_q(c->qt, c->ghg, c->T + o->off, o->len, q, nq,
                                              &l->factor, &l->is_dim, &l->at, &l->end)
                       ? 1
                       : -1;
    }
    if (l->state < 0)
        return 0;
    *factor = l->factor;
    *is_dim = l->is_dim;
    *at = l->at;
    *end = l->end;
    return 1;
}

/* The table around sentence i: the run of table rows (S_value_row) on its
 * page, at most S_TABLE either side, with the sentence just beyond each end
 * (a caption above, a unit note below). */
static void S_table_extent(const cnrs_doc *doc, const char *T, size_t i, size_t *lo, size_t *hi)
{
    const cnrs_sentence *se = &doc->sents[i];
    size_t a = i, b = i;
    while (a > 0 && i - a < S_TABLE && S_value_row(doc, T, a - 1, se->page))
        a--;
    while (b + 1 < doc->nsents && b - i < S_TABLE && S_value_row(doc, T, b + 1, se->page))
        b++;
    if (a > 0 && doc->sents[a - 1].page == se->page)
        a--;
    if (b + 1 < doc->nsents && doc->sents[b + 1].page == se->page)
        b++;
    *lo = a;
    *hi = b;
}

/* Whether s[0..n) prints a unit of a dimension other than GHG and its mass
 * ("Energy Use (kWh)", "(%)"): another column's header. */
static int S_other_unit(const S_ctx *c, const char *s, size_t n)
{
    double f;
    int is_dim;
    size_t at, end;
    for (size_t d = 0; d < cnrs_qtable_ndims(c->qt); d++)
        if ((int)d != c->ghg && (int)d != c->mass &&
            cnrs_quantity_unit_label(c->qt, (int)d, s, n, &f, &is_dim, &at, &end) && is_dim)
            return 1;
    return 0;
}

/* ---- a table flattened column by column ------------------------------------------ */

/* At most this many label rows in a table flattened by columns. */
#define S_COL_LABELS 24

/* Whether sentence k is a label row of a column-flattened table: short, on
 * `page`, and without a value (its digits, if any, are in its unit: CO2). */
static int S_label_row(S_ctx *c, size_t k, int page)
{
    const cnrs_sentence *o = &c->doc->sents[k];
    if (o->page != page || o->len >= S_ROW || o->kind == CNRS_BLOCK_HEADING)
        return 0;
    cnrs_quantity q[8];
    size_t nq = cnrs_quantity_scan(c->qt, c->T + o->off, o->len, q, 8);
    for (size_t j = 0; j < nq && j < 8; j++)
        if (S_value_like(&q[j]) && !S_footnote(&q[j]))
            return 0;
    return 1;
}

/* A KPI table that text extraction flattened column by column: its row
 * labels one per line ("GHGs emission (million tonnes CO2-equivalent)",
 * "Direct GHGs emission", ...), then every value in one line, year after
 * year, and a header of years nearby ("Indicators 2019 2019 2020 2020 2021
 * 2021"). With Y distinct years and N values, each year has N/Y values,
 * which belong to the last N/Y labels in order (labels above them had no
 * values printed). Label rows naming a scope or a total with a GHG unit of
 * their own, or under one (a sub-row "Direct GHGs emission"), give figures;
 * intensities and components are skipped. `i` is a label row with a GHG
 * unit and no value. Returns the figures added. */
static int S_columns(S_ctx *c, size_t i)
{
    const cnrs_doc *d = c->doc;
    int page = d->sents[i].page;
    size_t a = i, b = i;
    while (a > 0 && i - a < S_COL_LABELS && S_label_row(c, a - 1, page))
        a--;
    while (b + 1 < d->nsents && b - a < S_COL_LABELS && S_label_row(c, b + 1, page))
        b++;
    if (b + 1 >= d->nsents || d->sents[b + 1].page != page)
        return 0;
    /* the values: a run of bare numbers ending the next sentence, after its label */
    size_t vs = b + 1;
    const char *s = c->T + d->sents[vs].off;
    size_t n = d->sents[vs].len;
    cnrs_quantity q[S_MAXQ];
    size_t nq = cnrs_quantity_scan(c->qt, s, n, q, S_MAXQ);
    if (nq > S_MAXQ)
        return 0;
    size_t k0 = 0;
    while (k0 < nq && !S_value_like(&q[k0]))
        k0++;
    size_t nv = 0;
    for (size_t k = k0; k < nq; k++) {
        int fy;
        if (!S_value_like(&q[k]) || (k > k0 && S_gap(s, q[k - 1].end, q[k].start, &fy) != 0))
            return 0;
        nv++;
    }
    if (nv < 4 || k0 == nq)
        return 0;
    /* the years: a header within three sentences after the values or before the labels */
    int y[16], uy[16];
    size_t ny = 0;
    for (size_t j = vs + 1; j < d->nsents && j <= vs + 3 && !ny; j++)
        ny = S_header_years(c->qt, c->T + d->sents[j].off, d->sents[j].len, y, 16);
    for (size_t j = a; j-- > 0 && a - j <= 3 && !ny;)
        ny = S_header_years(c->qt, c->T + d->sents[j].off, d->sents[j].len, y, 16);
    size_t nu = 0;
    for (size_t j = 0; j < ny; j++)
        if (!nu || uy[nu - 1] != y[j])
            uy[nu++] = y[j];
    if (nu < 2 || nv % nu)
        return 0;
    size_t per = nv / nu, nl = b - a + 2; /* the value sentence holds the last label */
    if (per < 2 || nl < per)
        return 0;
    int got = 0;
    double ufactor = 0;
    const char *unit = NULL;
    size_t unit_len = 0;
    size_t saved_sent = c->sent;
    int saved_cat = c->category;
    for (size_t l = 0; l < nl; l++) {
        size_t k = a + l;
        const char *ls = c->T + d->sents[k].off;
        size_t ll = k == vs ? q[k0].start : d->sents[k].len;
        double f;
        int is_dim;
        size_t at, end;
        int own = S_label_of(c, k, &f, &is_dim, &at, &end) && is_dim && end <= ll;
        if (own) {
            unit = ls + at;
            unit_len = end - at;
            ufactor = f;
        } else if (S_rate_clause(ls, ll, ll) || S_other_unit(c, ls, ll)) {
            unit = NULL; /* another unit: the GHG group has ended */
        }
        if (l + per < nl || !unit)
            continue;
        S_mention m[8];
        size_t nm = S_mentions(ls, ll, m, 8);
        unsigned mask = nm ? S_scope_at(m, nm, ll, NULL, 0) : own ? 8 : 0;
        if (!mask || S_rate_clause(ls, ll, ll) || S_rate_label(ls, ll, 0, 0))
            continue;
        c->category = S_category_row(ls, ll, m, nm, ll);
        if (!cnrs_extract_clause_free(c->x, ls, ll ? ll : 1, c->item, ll ? ll - 1 : 0))
            continue;
        size_t t = l - (nl - per);
        c->sent = vs;
        for (size_t yy = 0; yy < nu; yy++) {
            if (uy[yy] < 0)
                continue; /* a target column */
            cnrs_quantity one = q[k0 + yy * per + t];
            size_t before = c->out->n;
            S_emit(c, (uint32_t)vs, s, n, &one, unit, unit_len, ufactor, mask, uy[yy], 1);
            got += c->out->n > before;
        }
    }
    c->sent = saved_sent;
    c->category = saved_cat;
    return got;
}

/* ---- a table read by its caption and gas columns --------------------------------- */

/* At most this many columns in such a table. */
#define S_GAS_COLS 24

/* The gases a column header names, longer forms first: 'T' all gases
 * together (GHG, CO2e, 合计), 'C' carbon dioxide, 'O' another single gas. */
static const struct {
    const char *w;
    char kind;
} S_gases[] = {
    {"二氧化碳当量", 'T'}, {"温室气体", 'T'},   {"greenhouse gas", 'T'}, {"GHG", 'T'},
    {"CO2e", 'T'},         {"CO2-eq", 'T'},     {"合计", 'T'},           {"总计", 'T'},
    {"total", 'T'},        {"二氧化碳", 'C'},   {"carbon dioxide", 'C'}, {"CO2", 'C'},
    {"甲烷", 'O'},         {"methane", 'O'},    {"CH4", 'O'},            {"氧化亚氮", 'O'},
    {"nitrous oxide", 'O'}, {"N2O", 'O'},       {"氢氟碳", 'O'},         {"HFC", 'O'},
    {"全氟", 'O'},         {"PFC", 'O'},        {"六氟化硫", 'O'},       {"SF6", 'O'},
    {"NF3", 'O'}};

/* A header cell naming a total of the entities ("万洲国际-总计", "Group
 * total"): a total word of S_scope_names. */
static int S_total_cell(const char *s, size_t n)
{
    S_mention m[8];
    size_t nm = S_mentions(s, n, m, 8);
    for (size_t k = 0; k < nm; k++)
        if (m[k].mask == 8)
            return 1;
    return 0;
}

/* The gas names of a header row, in order ("二氧化碳甲烷 | 氧化亚氮 | ...":
 * extraction may have lost the space between two cells). Returns their
 * number, 0 when there are more than `max`. */
static size_t S_gas_header(const char *s, size_t n, char *kind, size_t max)
{
    size_t k = 0;
    int cell = 0; /* a cell ended since the last name */
    for (size_t i = 0; i < n;) {
        size_t g = 0;
        cell |= s[i] == '|' || s[i] == '\t';
        if (S_alpha((unsigned char)s[i]) && i > 0 && S_alpha((unsigned char)s[i - 1]))
            g = sizeof S_gases / sizeof *S_gases; /* inside a word */
        for (; g < sizeof S_gases / sizeof *S_gases; g++)
            if (S_at(s, n, i, S_gases[g].w))
                break;
        if (g == sizeof S_gases / sizeof *S_gases) {
            i++;
            continue;
        }
        /* "Total GHG", "温室气体合计": one column, unless a cell ends between */
        if (!(S_gases[g].kind == 'T' && k > 0 && kind[k - 1] == 'T' && !cell)) {
            if (k == max)
                return 0;
            kind[k++] = S_gases[g].kind;
        }
        cell = 0;
        i += strlen(S_gases[g].w);
    }
    return k;
}

/* A caption naming the company's GHG emissions ("关键绩效指标A1.2 2016年温
 * 室气体总排放量(以吨计算)", "Total greenhouse gas emissions (tonnes)"),
 * not a reduction or target (the Q11 item's exclusions). */
static int S_ghg_caption(S_ctx *c, const char *s, size_t n)
{
    static const char *const gas[] = {"温室气体", "greenhouse gas", "GHG", "二氧化碳", "碳排放",
                                      "carbon emission", "CO2 emission"};
    int emission = 0;
    for (size_t i = 0; i < n && !emission; i++)
        emission = S_at(s, n, i, "排放") || S_at(s, n, i, "emission");
    for (size_t i = 0; i < n && emission; i++)
        for (size_t g = 0; g < sizeof gas / sizeof *gas; g++)
            if (S_at(s, n, i, gas[g]))
                return cnrs_extract_clause_free(c->x, s, n, c->item, i);
    return 0;
}

/* The cells of a row of values only, in order: slot[j] is the index in q
 * of a mass (or GHG mass) value, or -1 for an empty cell ("n.a.", "N/A",
 * "-", printed with or without its unit: "n.a.吨"). Returns the number of
 * slots, 0 when the row holds anything else (a label, a percentage, a
 * year) or more than `max` cells. */
static size_t S_mass_cells(const S_ctx *c, const char *s, size_t n, const cnrs_quantity *q,
                           size_t nq, int *slot, size_t max)
{
    static const char *const empty[] = {"n.a.", "N/A", "n/a", "NA", "-", "–", "—", "不适用", "无"};
    static const char *const unit[] = {"万吨", "吨", "tonnes", "tonne", "tons", "t"};
    size_t k = 0, qi = 0, i = 0;
    while (i < n) {
        if (s[i] == ' ' || s[i] == '|' || s[i] == '\t') {
            i++;
            continue;
        }
        if (k == max)
            return 0;
        if (qi < nq && q[qi].start == i) {
            if (!(q[qi].dim == c->mass || q[qi].dim == c->ghg) || q[qi].rate || q[qi].range ||
                q[qi].percent || q[qi].year)
                return 0;
            slot[k++] = (int)qi;
            i = q[qi++].end;
            continue;
        }
        size_t e = 0;
        for (; e < sizeof empty / sizeof *empty && !S_at(s, n, i, empty[e]); e++)
            ;
        if (e == sizeof empty / sizeof *empty)
            return 0;
        i += strlen(empty[e]);
        for (size_t u = 0; u < sizeof unit / sizeof *unit; u++)
            if (S_at(s, n, i, unit[u])) {
                i += strlen(unit[u]);
                break;
            }
        if (i < n && s[i] != ' ' && s[i] != '|' && s[i] != '\t')
            return 0; /* "-5", "NAV": not an empty cell */
        slot[k++] = -1;
    }
    return qi == nq ? k : 0;
}

/* A GHG table whose row holds only values and whose meaning is in its
 * caption and headers (an HKEX KPI table: "关键绩效指标A1.2 2016年温室气体
 * 总排放量(以吨计算)", then a row of entities "史密斯菲尔德美国与欧洲 | 中国
 * 双汇 | 万洲国际-总计", a row of gases "二氧化碳 甲烷 氧化亚氮" under each,
 * and the values "约135万吨 287吨 | 288吨 | 约136万吨 | n.a.吨 n.a.吨 | 约
 * 271万吨 n.a.吨 n.a.吨"). Sentence i is the row of values; the gas row is
 * one of the two label rows above it, with one gas per value, the entity
 * row (optional) the label row above that, whose cells split the columns
 * evenly; the caption one of the three rows above those. Read: the group of
 * columns under a total entity ("总计", "Total"), or all of them without an
 * entity row; in it, the column of all gases (GHG, CO2e, 合计), else the
 * carbon dioxide column when no other gas of the group has a value. Other
 * entities (segments) and single gases beside a total are components.
 * The row's own evidence is this figure (cnrs_figures_mark). Returns the
 * figures added. */
static int S_gas_table(S_ctx *c, size_t i)
{
    const cnrs_doc *d = c->doc;
    const cnrs_sentence *se = &d->sents[i];
    const char *s = c->T + se->off;
    size_t n = se->len;
    cnrs_quantity q[S_GAS_COLS];
    size_t nq = cnrs_quantity_scan(c->qt, s, n, q, S_GAS_COLS);
    int slot[S_GAS_COLS];
    size_t ns = nq && nq <= S_GAS_COLS ? S_mass_cells(c, s, n, q, nq, slot, S_GAS_COLS) : 0;
    if (ns < 2)
        return 0;
    char kind[S_GAS_COLS];
    size_t g = SIZE_MAX;
    for (size_t k = i; k-- > 0 && i - k <= 2 && g == SIZE_MAX;) {
        if (!S_label_row(c, k, se->page))
            return 0;
        if (S_gas_header(c->T + d->sents[k].off, d->sents[k].len, kind, S_GAS_COLS) == ns)
            g = k;
    }
    if (g == SIZE_MAX || g == 0)
        return 0;
    /* the entity row: its cells split the columns evenly */
    size_t lo = 0, span = ns, cap = SIZE_MAX;
    const cnrs_sentence *er = &d->sents[g - 1];
    if (S_label_row(c, g - 1, se->page)) {
        const char *es = c->T + er->off;
        size_t cells = 1, total = SIZE_MAX, at = 0;
        for (size_t j = 0; j < er->len; j++) {
            if (es[j] != '|')
                continue;
            if (S_total_cell(es + at, j - at))
                total = total == SIZE_MAX ? cells - 1 : SIZE_MAX - 1;
            cells++;
            at = j + 1;
        }
        if (S_total_cell(es + at, er->len - at))
            total = total == SIZE_MAX ? cells - 1 : SIZE_MAX - 1;
        if (cells >= 2 && ns % cells == 0 && ns / cells >= 2) {
            if (total >= cells)
                return 0; /* segments without one total, or two totals */
            span = ns / cells;
            lo = total * span;
        }
    }
    c->item = c->total_item;
    /* the caption: above label rows only, on the page (it may be longer
     * than a row) */
    for (size_t k = g; k-- > 0 && g - k <= 4 && cap == SIZE_MAX;) {
        if (d->sents[k].page != se->page)
            break;
        if (S_ghg_caption(c, c->T + d->sents[k].off, d->sents[k].len))
            cap = k;
        else if (!S_label_row(c, k, se->page))
            break;
    }
    if (cap == SIZE_MAX)
        return 0;
    /* the column: all gases, else the only carbon dioxide with a value */
    size_t col = SIZE_MAX, valued = 0;
    for (size_t j = lo; j < lo + span; j++) {
        valued += slot[j] >= 0;
        if (kind[j] == 'T' && slot[j] >= 0 && col == SIZE_MAX)
            col = j;
    }
    if (col == SIZE_MAX && valued == 1)
        for (size_t j = lo; j < lo + span; j++)
            if (kind[j] == 'C' && slot[j] >= 0)
                col = j;
    if (col == SIZE_MAX)
        return 0;
    const cnrs_quantity *v = &q[slot[col]];
    if (!S_free(c, s, n, v->num_start))
        return 0;
    int y[8];
    size_t at[8];
    const cnrs_sentence *cs = &d->sents[cap];
    size_t ny = S_years(c->T + cs->off, cs->len, y, at, 8);
    int year = ny == 1 ? y[0] : c->report_year;
    c->sent = i;
    c->evsent = i;
    c->items_mask = 8;
    c->category = 0;
    size_t before = c->out->n;
    S_emit(c, (uint32_t)i, s, n, v, s + v->unit_start, v->unit_end - v->unit_start, v->factor, 8,
           year, 1);
    return c->out->n > before;
}

static void S_read(S_ctx *c, size_t i);

/* Sentence i's figures. c->cur_q points into S_read's frame: cleared when
 * it returns. */
static void S_sentence(S_ctx *c, size_t i)
{
    S_read(c, i);
    c->cur_q = NULL;
}

/* A part of the figure before it: the value's clause (from the last ',' or
 * ';') opens with "including", "incl." or "of which", names no scope of its
 * own, and a number precedes it in the sentence ("amounted to 14,429 tonnes
 * of CO2, including 33 tonnes as fugitive emissions from refrigerants"). */
static int S_component_clause(const char *s, size_t n, size_t p, const S_mention *m, size_t nm)
{
    size_t a = p;
    while (a > 0 && s[a - 1] != ',' && s[a - 1] != ';')
        a--;
    if (a == 0)
        return 0;
    size_t i = a;
    while (i < p && s[i] == ' ')
        i++;
    if (!S_at(s, n, i, "including ") && !S_at(s, n, i, "incl. ") && !S_at(s, n, i, "of which "))
        return 0;
    for (size_t k = 0; k < nm; k++)
        if (m[k].at >= a && m[k].at < p)
            return 0;
    for (size_t j = 0; j < a; j++)
        if (S_digit((unsigned char)s[j]))
            return 1;
    return 0;
}

static void S_read(S_ctx *c, size_t i)
{
    const cnrs_sentence *se = &c->doc->sents[i];
    const char *s = c->T + se->off;
    size_t n = se->len;
    c->sent = i;
    /* extract scanned most evidence sentences already: the same text */
    cnrs_quantity q[S_MAXQ];
    size_t nq;
    const cnrs_quantity *kept = cnrs_extract_quantities(c->x, c->doc, i, &nq);
    if (kept)
        memcpy(q, kept, (nq < S_MAXQ ? nq : S_MAXQ) * sizeof *q);
    else
        nq = cnrs_quantity_scan(c->qt, s, n, q, S_MAXQ);
    if (nq > S_MAXQ)
        nq = S_MAXQ;
    c->cur_q = q;
    c->cur_nq = nq;
    c->cur_sent = i;
    S_mention m[32];
    size_t nm = S_mentions(s, n, m, 32);
    c->category = S_category_row(s, n, m, nm, n);
    size_t before = c->out->n;
    if (c->neighbour && nm == 0)
        return; /* a row without evidence must name its scope or total */

    /* 1. quantities with their own GHG unit, or a mass in an emissions clause */
    for (size_t k = 0; k < nq; k++) {
        int ghg = q[k].dim == c->ghg;
        int mass = q[k].dim == c->mass && c->mass >= 0 && !c->neighbour &&
                   S_emission_clause(s, n, q[k].num_start);
        if (!(ghg || mass) || q[k].range)
            continue;
        /* "Scope 1 emissions 2 MtCO2 e 926,779": a footnote number before the
         * unit of a row whose value follows it */
        int fy;
        if (k + 1 < nq && S_value_like(&q[k + 1]) && S_gap(s, q[k].end, q[k + 1].start, &fy) >= 0 &&
            q[k].value == floor(q[k].value) && q[k].value < 100 &&
            q[k].num_end - q[k].num_start <= 2)
            continue;
        if (S_scale(s, n, &q[k]))
            continue;
        if (!S_free(c, s, n, q[k].num_start) || S_component_clause(s, n, q[k].num_start, m, nm))
            continue;
        unsigned mask = S_scope_at(m, nm, q[k].num_start, q, nq);
        cnrs_quantity one = q[k];
        one.rate |= (uint8_t)S_rate_clause(s, n, q[k].num_start);
        S_emit(c, (uint32_t)i, s, n, &one, s + q[k].unit_start, q[k].unit_end - q[k].unit_start,
               q[k].factor, mask ? mask : c->items_mask, S_year_of(c, s, n, q[k].num_start, q[k].end),
               0);
    }
    if (c->out->n > before)
        return;

    /* 2. a unit printed once in the row, then its values */
    double factor;
    int is_dim;
    size_t at, end;
    if (S_label_of(c, i, &factor, &is_dim, &at, &end) &&
        (is_dim || (!c->neighbour && S_emission_clause(s, n, at)))) {
        unsigned saved = c->items_mask, mask = S_scope_at(m, nm, end, q, nq);
        if (mask)
            c->items_mask = mask;
        int rate = S_rate_label(s, n, at, end);
        int got = S_run(c, i, s, n, q, nq, end, s + at, end - at, factor, 1, rate);
        /* "温室气体排放(单位：万吨) 范围一直接排放 3.2": the values follow the
         * row's name, after the last scope label */
        size_t from = S_row_values(s, n, m, nm, end);
        if (!got && from > end) {
            mask = S_scope_at(m, nm, from, q, nq);
            if (mask)
                c->items_mask = mask;
            got = S_run(c, i, s, n, q, nq, from, s + at, end - at, factor, 1, rate);
        }
        /* "...carbon dioxide emission (in CO2 equivalent) 10,000 t of." +
         * "CO2e 6,862.3 6,478.04 6,138.16.": the row broke after its unit */
        if (!got && !c->neighbour && !S_values_after(q, nq, end))
            got = S_next_row(c, i, s + at, end - at, factor, rate);
        /* "Total Scope 1+2+3 4,238,446 (SASB ...) Metric Tons of CO2e": a
         * row that starts with its label and whose unit follows its values */
        if (!got && nm && m[0].at <= 2 && m[0].end < at) {
            size_t nb = 0;
            while (nb < nm && m[nb].end <= at)
                nb++;
            from = S_row_values(s, n, m, nb, 0);
            if (from < at) {
                mask = S_scope_at(m, nb, from, q, nq);
                if (mask)
                    c->items_mask = mask;
                got = S_run_before(c, i, s, n, q, nq, from, at, s + at, end - at, factor, rate);
            }
        }
        c->items_mask = saved;
        if (!got && !c->neighbour && !S_values_after(q, nq, end))
            got = S_columns(c, i);
        if (got)
            return;
    }
    if (c->neighbour)
        return;

    /* 3. a short row whose unit is printed nearby: heading, caption, note;
     * failing those, anywhere in its table (the run of short rows around it)
     * or just above or below it: "Metric Tons of CO2e" under the last row */
    /* (a long sentence may be a row with a note glued after its values:
     * "Electricity (Scope 2) 1,725 3,286,789 *Based on available data ...") */
    if (se->kind != CNRS_BLOCK_TABLE_ROW && n >= S_ROW &&
        !(nm && S_row_values(s, n, m, nm, 0) < S_ROW / 2))
        return;
    /* a row that prints a unit of its own, of another dimension ("Electricity
     * purchased from renewable sources (%) 15.4"), is not read with a
     * GHG unit from nearby */
    if (S_other_unit(c, s, S_row_values(s, n, m, nm, 0)))
        return;
    size_t lo = i > S_CONTEXT ? i - S_CONTEXT : 0;
    size_t hi = i + S_CONTEXT < c->doc->nsents ? i + S_CONTEXT : c->doc->nsents - 1;
    size_t tlo, thi;
    S_table_extent(c->doc, c->T, i, &tlo, &thi);
    if (tlo > lo)
        tlo = lo;
    if (thi < hi)
        thi = hi;
    /* the near window in reading order first (a caption above wins), then
     * the rest of the table, nearest first */
    size_t order[2 * S_TABLE + 2 * S_CONTEXT + 4], no = 0;
    for (size_t k = lo; k <= hi; k++)
        order[no++] = k;
    for (size_t d = 1; lo >= d + tlo || hi + d <= thi; d++) {
        if (lo >= d + tlo)
            order[no++] = lo - d;
        if (hi + d <= thi)
            order[no++] = hi + d;
    }
    for (size_t r = 0; r < no; r++) {
        size_t k = order[r];
        const cnrs_sentence *o = &c->doc->sents[k];
        if (k == i || !(o->kind == CNRS_BLOCK_BODY || o->kind == CNRS_BLOCK_TABLE_ROW ||
                        o->kind == CNRS_BLOCK_HEADING))
            continue;
        const char *os = c->T + o->off;
        if (!S_label_of(c, k, &factor, &is_dim, &at, &end))
            continue;
        if (!is_dim && !S_emission_clause(s, n, 0) && !S_emission_clause(os, o->len, at))
            continue;
        size_t f = S_row_values(s, n, m, nm, 0);
        unsigned saved = c->items_mask, mask = S_scope_at(m, nm, f, q, nq);
        if (mask)
            c->items_mask = mask;
        /* "Metric Tons CO2e Energy Use (kWh)": a header of columns, each with
         * its unit; the GHG column is the first, so only the first value */
        size_t nq1 = nq;
        if (S_other_unit(c, os + end, o->len - end)) {
            if (S_other_unit(c, os, at))
                return; /* a later column: not read */
            nq1 = 0;
            while (nq1 < nq && q[nq1].start < f)
                nq1++;
            if (nq1 < nq)
                nq1++;
        }
        S_run(c, i, s, n, q, nq1, f, os + at, end - at, factor, 1,
              S_rate_label(os, o->len, at, end) || S_rate_clause(s, n, f));
        c->items_mask = saved;
        return;
    }
}

/* Cheap test before reading a row without evidence: it holds a digit and
 * the CO of CO2 or 二氧化碳 / 碳 (a GHG unit needs one). Runs on every short
 * sentence near Q11 evidence, so byte tests only (no S_at call per byte). */
static int S_maybe_ghg_row(const char *s, size_t n)
{
    int digit = 0, co = 0;
    for (size_t i = 0; i < n && !(digit && co); i++) {
        unsigned char b = (unsigned char)s[i];
        digit |= S_digit(b);
        co |= (b == 'C' && i + 1 < n && s[i + 1] == 'O') ||
              (b == 0xE7 && i + 2 < n && (unsigned char)s[i + 1] == 0xA2 &&
               (unsigned char)s[i + 2] == 0xB3); /* 碳 */
    }
    return digit && co;
}

/* Cheap test before S_gas_table: a digit and 吨 or "ton". */
static int S_maybe_mass_row(const char *s, size_t n)
{
    int digit = 0, ton = 0;
    for (size_t i = 0; i < n && !(digit && ton); i++) {
        unsigned char b = (unsigned char)s[i];
        digit |= S_digit(b);
        ton |= (b == 0xE5 && i + 2 < n && (unsigned char)s[i + 1] == 0x90 &&
                (unsigned char)s[i + 2] == 0xA8) || /* 吨 */
               ((b | 0x20) == 't' && i + 2 < n && (s[i + 1] | 0x20) == 'o' &&
                (s[i + 2] | 0x20) == 'n');
    }
    return digit && ton;
}

void cnrs_figures_doc(cnrs_extractor *x, const cnrs_rubric *r, const cnrs_doc *doc,
                      const cnrs_evidence_set *ev, int report_year, cnrs_figure_set *out)
{
    int q11 = cnrs_rubric_find_indicator(r, "Q11");
    S_ctx c = {x, r, doc, doc->match ? doc->match : doc->text, r->quant,
               cnrs_qtable_dim(r->quant, "ghg"), -1, 0, 0, report_year, out, NULL, 0, 0, 0,
               0, NULL, 0, 0, SIZE_MAX};
    if (q11 < 0 || c.ghg < 0 || doc->nsents == 0)
        return;
    c.mass = cnrs_qtable_dim(r->quant, "mass");
    c.total_item = SIZE_MAX;
    for (size_t k = 0; k < r->nitems; k++)
        if (r->items[k].indicator == q11 && strcmp(r->items[k].id, "total") == 0)
            c.total_item = k;
    c.labels = cnrs_xcalloc(doc->nsents, sizeof *c.labels);
    /* per sentence: a Q11 item of its evidence (its exclusions decide which
     * clauses count) and the scopes its items name */
    size_t *item = cnrs_xmalloc(doc->nsents * sizeof *item);
    unsigned char *mask = cnrs_xcalloc(doc->nsents, 1);
    for (size_t i = 0; i < doc->nsents; i++)
        item[i] = SIZE_MAX;
    for (size_t e = 0; e < ev->n; e++) {
        const cnrs_evidence *x0 = &ev->ev[e];
        if (x0->indicator != (uint16_t)q11 || x0->sent >= doc->nsents)
            continue;
        if (item[x0->sent] == SIZE_MAX)
            item[x0->sent] = x0->item;
        const char *id = r->items[x0->item].id;
        mask[x0->sent] |= strcmp(id, "scope1") == 0   ? 1
                          : strcmp(id, "scope2") == 0 ? 2
                          : strcmp(id, "scope3") == 0 ? 4
                                                      : 8;
    }
    for (size_t i = 0; i < doc->nsents; i++) {
        unsigned m = mask[i];
        c.items_mask = m == 1 || m == 2 || m == 4 || m == 3 ? m : 8;
        if (item[i] != SIZE_MAX) {
            c.item = item[i];
            c.evsent = i;
            c.neighbour = 0;
            S_sentence(&c, i);
            continue;
        }
        /* a row of the same table without evidence of its own ("Total tCO2e
         * 490,841.4 1,791,607.8" under rows that have it): only a GHG unit
         * printed in the row makes its values figures */
        const cnrs_sentence *se = &doc->sents[i];
        if (se->len >= S_ROW ||
            !(se->kind == CNRS_BLOCK_BODY || se->kind == CNRS_BLOCK_TABLE_ROW))
            continue;
        /* the neighbour first: most sentences have no Q11 evidence near them,
         * and this costs a few loads where the text test reads the row */
        size_t nb = SIZE_MAX;
        for (size_t d = 1; d <= S_CONTEXT && nb == SIZE_MAX; d++) {
            if (i >= d && item[i - d] != SIZE_MAX)
                nb = i - d;
            else if (i + d < doc->nsents && item[i + d] != SIZE_MAX)
                nb = i + d;
        }
        if (nb == SIZE_MAX || !S_maybe_ghg_row(c.T + se->off, se->len)) {
            /* a row of masses only, under a GHG caption and gas columns */
            if (c.total_item != SIZE_MAX && c.mass >= 0 &&
                se->kind == CNRS_BLOCK_TABLE_ROW && S_maybe_mass_row(c.T + se->off, se->len)) {
                c.neighbour = 0;
                S_gas_table(&c, i);
            }
            continue;
        }
        c.item = item[nb];
        c.evsent = nb;
        c.neighbour = 1;
        c.items_mask = 8;
        S_sentence(&c, i);
    }
    free(item);
    free(mask);
    free(c.labels);
}

/* Give sentence `sent`, which has no Q11 evidence, evidence of Q11 item
 * `item`: in sentence order, with the sentence's features record (a new,
 * empty one when it has none). */
static void S_add_evidence(cnrs_evidence_set *ev, uint32_t sent, size_t item, int q11)
{
    size_t at = 0;
    uint32_t feat = UINT32_MAX;
    while (at < ev->n && ev->ev[at].sent <= sent) {
        if (ev->ev[at].sent == sent)
            feat = ev->ev[at].feat;
        at++;
    }
    if (feat == UINT32_MAX) {
        ev->feats = cnrs_xgrow(ev->feats, &ev->feats_cap, ev->nfeats + 1, sizeof *ev->feats);
        memset(&ev->feats[ev->nfeats], 0, sizeof *ev->feats);
        ev->feats[ev->nfeats].sent = sent;
        feat = (uint32_t)ev->nfeats++;
    }
    ev->ev = cnrs_xgrow(ev->ev, &ev->cap, ev->n + 1, sizeof *ev->ev);
    memmove(&ev->ev[at + 1], &ev->ev[at], (ev->n - at) * sizeof *ev->ev);
    ev->ev[at] = (cnrs_evidence){sent, feat, (uint16_t)item, (uint16_t)q11, 0};
    ev->n++;
}

void cnrs_figures_mark(const cnrs_rubric *r, const cnrs_figure_set *figs, cnrs_evidence_set *ev)
{
    int q11 = cnrs_rubric_find_indicator(r, "Q11");
    int u = cnrs_rubric_find_unit(r, "ghg_mass");
    if (q11 < 0 || u < 0)
        return;
    /* a row read by its table's caption and columns has no evidence of its
     * own: its figure's scope gives it its item */
    for (size_t k = 0; k < figs->n; k++) {
        uint32_t s = figs->v[k].evsent;
        int has = 0;
        for (size_t e = 0; e < ev->n && !has; e++)
            has = ev->ev[e].sent == s && ev->ev[e].indicator == (uint16_t)q11;
        if (has)
            continue;
        const char *sc = figs->v[k].scope;
        const char *id = strcmp(sc, "1") == 0   ? "scope1"
                         : strcmp(sc, "2") == 0 ? "scope2"
                         : strcmp(sc, "3") == 0 ? "scope3"
                                                : "total";
        for (size_t i = 0; i < r->nitems; i++)
            if (r->items[i].indicator == q11 && strcmp(r->items[i].id, id) == 0)
                S_add_evidence(ev, s, i, q11);
    }
    for (size_t e = 0; e < ev->n; e++) {
        cnrs_evidence *x = &ev->ev[e];
        if (x->indicator != (uint16_t)q11)
            continue;
        int has = 0;
        for (size_t k = 0; k < figs->n && !has; k++)
            has = figs->v[k].evsent == x->sent;
        if (has)
            x->units |= 1u << u;
        else
            x->units &= ~(1u << u);
    }
}
