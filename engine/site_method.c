/* site_method.c - the method page's prose (see site_method.h): one layout,
 * two languages' words, the numbers from the rubric. */
#include "site_method.h"

#include "html.h"
#include "score.h"

/* The words of the page. Format strings take only the arguments their
 * comment names; everything else is plain text, escaped when written. */
typedef struct S_words {
    const char *title;
    const char *auto_h, *auto_p1, *auto_p2, *review_p;
    const char *stages_h, *stages_p, *stage0; /* stage0: stage 0 line */
    const char *stage_line;                   /* %d stage, then name, rule, max follow */
    const char *rule_evidence, *rule_quantified, *scored, *max;
    const char *rank_p;
    const char *points_h, *points_p;
    const char *band_h, *range_h, *rule_h;
    const char *band_rule[CNRS_NBANDS]; /* %g thresholds as listed in S_band_args */
    const char *depth_p;                /* %g divisor */
    const char *dims_p, *bonus_p;       /* bonus_p: %d dimensions, %g points */
    const char *total_p;
    const char *cols_h;
    const char *col_name[9], *col_text[9];
    const char *list_sep, *stop; /* between list items; after a sentence */
} S_words;

static const char *const S_col_id[9] = {"stage", "weight", "band", "cov",  "quant",
                                        "sent",  "pct",    "pts",  "marks"};

static const S_words S_zh = {
    .title = "评价方法",
    .auto_h = "得分如何得出",
    .auto_p1 = "本站的全部得分由程序 cnrs 自动阅读报告文本得出，没有人逐份阅读打分。"
               "程序逐句查找与各指标条目相符的表述和数字，再按下文的规则计分。",
    .auto_p2 = "自动阅读可能出错：扫描版或图片中的文字与数字读不到，表述方式罕见的句子可能漏读，"
               "相似的词也可能被误读。每张评分卡列出了每项得分所依据的原句及页码，可逐条核对。",
    .review_p = "如何申请复核：请向本站发布方提供公司名称、报告年份、指标编号（如 Q11），"
                "以及被漏读或误读的原文和页码。复核人用 cnrs review 记录修改后的指标百分比和理由；"
                "评分卡随后以 * 标出复核后的百分比，保留原值，并显示复核后总分。",
    .stages_h = "三个阶段",
    .stages_p = "报告先归入一个阶段，再按该阶段包含的指标计分。阶段取决于报告披露了什么，"
                "而不是写得多好：达到某阶段规则的最高阶段即为报告的阶段。",
    .stage0 = "阶段 0：没有任何指标的证据。得分为 0，不参与排名。",
    .stage_line = "阶段 %d",
    .rule_evidence = "条件：公司自身对以下任一指标有披露：",
    .rule_quantified = "条件：报告给出公司自身温室气体排放的数字（带排放量单位，如吨二氧化碳当量）；"
                       "避免、减少或抵消的排放不算。指标：",
    .scored = "计分指标：",
    .max = "满分：",
    .rank_p = "排名只在同一年份、同一阶段的报告之间进行（发布时选 --by stage-industry 时还按行业分开）；"
              "保留一位小数后得分相同的报告名次相同，下一名次顺延。",
    .points_h = "一项指标的得分",
    .points_p = "每项指标有 K 个条目。c 为有证据的条目比例，q 为有量化证据（带合适单位的数字）的条目比例，"
                "S 为该指标不同证据句的数目。先由 c 和 q 定出档位：",
    .band_h = "档位",
    .range_h = "百分比范围",
    .rule_h = "条件",
    .band_rule = {"没有证据（c = 0）", "c < %g，且没有量化证据", "c < %g，且有量化证据",
                  "%g ≤ c < %g", "c ≥ %g，但不满足 B5",
                  "c ≥ %g，q ≥ %g，且证据中有行业领先或标杆的表述"},
    .depth_p = "水平 n 从档位下限起，随证据句增多向上限移动：n = 下限 + (上限 − 下限) × min(1, (S − 1) / %g)。",
    .dims_p = "再看三个维度：趋势（多年数据或同比变化，且方向有利：能耗、资源、污染物和排放以下降为好，"
              "减排成效和低碳技术以上升为好）、对比（与行业平均、标杆或同行比较）、"
              "整合（有具体的未来计划或目标，如到 2030 年）。",
    .bonus_p = "档位至少为 B1 且满足至少 %d 个维度时，百分比为 n 加 %g 个百分点（最高 100）；否则为 n。",
    .total_p = "指标得分 = 权重 × 百分比 / 100。报告总分为其阶段所含指标得分之和，显示一位小数；"
               "高于报告阶段的指标不计分。权重由优先级矩阵（优序图法）两两比较各指标的重要性得出，见下文。",
    .cols_h = "评分卡各列",
    .col_name = {"阶段", "权重", "档位", "覆盖", "量化", "句数", "百分比", "得分", "标记"},
    .col_text = {"指标所属的阶段；高于报告阶段的指标以灰色显示，不计分。",
                 "指标的权重，即满分。",
                 "B0–B5，见上表。",
                 "有证据的条目数 / 条目总数 K（即 c）。",
                 "有量化证据的条目比例 q。",
                 "该指标不同证据句的数目 S。",
                 "指标百分比（复核后的值带 *，原值划去）。",
                 "权重 × 百分比 / 100。",
                 "趋势、对比、整合三个维度；领先：有行业领先或标杆表述；+5：获得加分。"},
    .list_sep = "、",
    .stop = "。",
};

static const S_words S_en = {
    .title = "How the scores are made",
    .auto_h = "Where the scores come from",
    .auto_p1 = "Every score on this site comes from an automatic reading of the report text by "
               "the program cnrs; no person read and scored the reports one by one. The program "
               "looks, sentence by sentence, for statements and figures that match each "
               "indicator's items, then scores them by the rules below.",
    .auto_p2 = "Automatic reading can be wrong: text and figures in scans or pictures are not "
               "read, sentences worded in an unusual way can be missed, and similar words can be "
               "misread. Each scorecard lists the sentences, with their pages, that every point "
               "rests on, so each can be checked.",
    .review_p = "To ask for a review, send the publisher of this site the company, the report's "
                "year, the indicator (e.g. Q11) and the sentence missed or misread with its page. "
                "A reviewer records the corrected percentage and the reason with cnrs review; the "
                "scorecard then shows the reviewed percentage with a *, keeps the original, and "
                "shows the reviewed total.",
    .stages_h = "The three stages",
    .stages_p = "A report is first placed in a stage and then scored on the indicators that stage "
                "holds. The stage depends on what the report discloses, not on how well: it is "
                "the highest stage whose condition holds.",
    .stage0 = "Stage 0: no evidence for any indicator. The score is 0 and the report is not "
              "ranked.",
    .stage_line = "Stage %d",
    .rule_evidence = "Condition: the company's own disclosure on any of ",
    .rule_quantified = "Condition: a figure of the company's own greenhouse-gas emissions with an "
                       "emissions unit (e.g. tCO2e); avoided, reduced or offset emissions do not "
                       "count. Indicator: ",
    .scored = "Scored: ",
    .max = "Maximum: ",
    .rank_p = "Reports are ranked only against reports of the same year and stage (and industry, "
              "when the site was published with --by stage-industry); scores equal at one "
              "decimal share a rank and the next rank is skipped.",
    .points_h = "The score of one indicator",
    .points_p = "Each indicator has K items. c is the share of items with evidence, q the share "
                "with quantified evidence (a number with a fitting unit), S the number of "
                "distinct evidence sentences. c and q decide the band:",
    .band_h = "Band",
    .range_h = "Percentage",
    .rule_h = "Condition",
    .band_rule = {"no evidence (c = 0)", "c < %g and no quantified evidence",
                  "c < %g with quantified evidence", "%g ≤ c < %g", "c ≥ %g but not B5",
                  "c ≥ %g, q ≥ %g and a claim of industry leadership or benchmark standing"},
    .depth_p = "The level n starts at the band's low end and moves towards its high end with more "
               "evidence sentences: n = low + (high − low) × min(1, (S − 1) / %g).",
    .dims_p = "Then three dimensions: trend (several years' figures or year-on-year change, in a "
              "favourable direction: falling for energy, resources, pollutants and emissions, "
              "rising for reductions achieved and low-carbon technology), comparison (with an "
              "industry average, a benchmark or peers) and integration (concrete plans or "
              "targets, e.g. by 2030).",
    .bonus_p = "With band B1 or higher and at least %d dimensions, the percentage is n plus %g "
               "points (at most 100); otherwise it is n.",
    .total_p = "Points = weight × percentage / 100. A report's total is the sum of the points of "
               "its stage's indicators, shown with one decimal; indicators above its stage earn "
               "nothing. The weights come from a priority chart that compares every pair of "
               "indicators; they are listed below.",
    .cols_h = "The columns of a scorecard",
    .col_name = {"Stage", "Weight", "Band", "Coverage", "Quant.", "Sent.", "Pct", "Points",
                 "Marks"},
    .col_text = {"the stage the indicator belongs to; indicators above the report's stage are "
                 "grey and earn nothing.",
                 "the indicator's weight, its maximum points.",
                 "B0-B5, see the table above.",
                 "items with evidence / all items K (that is, c).",
                 "the share q of items with quantified evidence.",
                 "the number S of distinct evidence sentences.",
                 "the indicator's percentage (a reviewed value carries a *, the original struck "
                 "through).",
                 "weight × percentage / 100.",
                 "the three dimensions trend, comparison, integration; leadership: a claim of "
                 "industry leadership; +5: the bonus was given."},
    .list_sep = ", ",
    .stop = ". ",
};

static void S_tag(cnrs_buf *b, const char *open, const char *text, const char *close)
{
    cnrs_buf_puts(b, open);
    cnrs_html_esc(b, text);
    cnrs_buf_puts(b, close);
}

/* The ids of the indicators in `mask` (or, mask == 0, of stage <= n). */
static void S_ids(cnrs_buf *b, const cnrs_rubric *r, uint32_t mask, int n, const char *sep)
{
    int first = 1;
    for (size_t i = 0; i < r->nindicators; i++) {
        int in = mask ? (mask >> i) & 1u : r->indicators[i].stage <= n;
        if (!in)
            continue;
        if (!first)
            cnrs_html_esc(b, sep);
        cnrs_html_esc(b, r->indicators[i].id);
        first = 0;
    }
}

static void S_stages(cnrs_buf *b, const cnrs_rubric *r, const S_words *w, int en)
{
    S_tag(b, "<section id=\"stages\"><h2>", w->stages_h, "</h2>\n");
    S_tag(b, "<p>", w->stages_p, "</p>\n<ul>\n");
    S_tag(b, "<li>", w->stage0, "</li>\n");
    cnrs_buf t = CNRS_BUF_INIT;
    for (size_t s = 0; s < r->nstages; s++) {
        const cnrs_stage_def *d = &r->stages[s];
        cnrs_buf_reset(&t);
        cnrs_buf_printf(&t, w->stage_line, d->n);
        S_tag(b, "<li><b>", cnrs_buf_cstr(&t), "</b> ");
        cnrs_html_esc(b, en ? d->name_en : d->name_zh);
        cnrs_html_esc(b, w->stop);
        cnrs_html_esc(b, d->rule == CNRS_RULE_QUANTIFIED ? w->rule_quantified : w->rule_evidence);
        S_ids(b, r, d->indicators, 0, w->list_sep);
        cnrs_html_esc(b, w->stop);
        cnrs_html_esc(b, w->scored);
        S_ids(b, r, 0, d->n, w->list_sep);
        cnrs_html_esc(b, w->stop);
        cnrs_html_esc(b, w->max);
        cnrs_buf_put_fixed(b, d->max, d->max == (long)d->max ? 0 : 1);
        S_tag(b, "", w->stop, "</li>\n");
    }
    cnrs_buf_free(&t);
    S_tag(b, "</ul>\n<p>", w->rank_p, "</p>\n</section>\n");
}

static void S_points(cnrs_buf *b, const cnrs_rubric *r, const S_words *w)
{
    const cnrs_scoring *p = &r->scoring;
    cnrs_buf t = CNRS_BUF_INIT;
    S_tag(b, "<section id=\"points\"><h2>", w->points_h, "</h2>\n");
    S_tag(b, "<p>", w->points_p, "</p>\n<table class=\"rubric\"><thead><tr>");
    S_tag(b, "<th>", w->band_h, "</th>");
    S_tag(b, "<th>", w->range_h, "</th>");
    S_tag(b, "<th>", w->rule_h, "</th></tr></thead><tbody>\n");
    for (int k = 0; k < CNRS_NBANDS; k++) {
        cnrs_buf_reset(&t);
        /* Each rule names the thresholds it needs, in order. */
        switch (k) {
        case 1:
        case 2: cnrs_buf_printf(&t, w->band_rule[k], p->part); break;
        case 3: cnrs_buf_printf(&t, w->band_rule[k], p->part, p->most); break;
        case 4: cnrs_buf_printf(&t, w->band_rule[k], p->most); break;
        case 5: cnrs_buf_printf(&t, w->band_rule[k], p->most, p->detail_quant); break;
        default: cnrs_buf_puts(&t, w->band_rule[k]); break;
        }
        cnrs_buf_printf(b, "<tr><td>%s</td><td class=\"num\">", cnrs_band_name(k));
        cnrs_buf_put_fixed(b, p->band_low[k], 0);
        cnrs_buf_puts(b, "\xE2\x80\x93");
        cnrs_buf_put_fixed(b, p->band_high[k], 0);
        S_tag(b, "%</td><td>", cnrs_buf_cstr(&t), "</td></tr>\n");
    }
    cnrs_buf_puts(b, "</tbody></table>\n");
    cnrs_buf_reset(&t);
    cnrs_buf_printf(&t, w->depth_p, p->depth_divisor);
    S_tag(b, "<p>", cnrs_buf_cstr(&t), "</p>\n");
    S_tag(b, "<p>", w->dims_p, "</p>\n");
    cnrs_buf_reset(&t);
    cnrs_buf_printf(&t, w->bonus_p, p->bonus_min_dims, p->bonus);
    S_tag(b, "<p>", cnrs_buf_cstr(&t), "</p>\n");
    S_tag(b, "<p>", w->total_p, "</p>\n</section>\n");
    cnrs_buf_free(&t);
}

void cnrs_site_method(cnrs_buf *b, const cnrs_rubric *r, int en)
{
    const S_words *w = en ? &S_en : &S_zh;
    S_tag(b, "<h1>", w->title, "</h1>\n");
    S_tag(b, "<section id=\"auto\"><h2>", w->auto_h, "</h2>\n");
    S_tag(b, "<p>", w->auto_p1, "</p>\n");
    S_tag(b, "<p>", w->auto_p2, "</p>\n");
    S_tag(b, "<p>", w->review_p, "</p>\n</section>\n");
    S_stages(b, r, w, en);
    S_points(b, r, w);
    S_tag(b, "<section id=\"columns\"><h2>", w->cols_h, "</h2>\n<dl>\n");
    for (size_t k = 0; k < sizeof S_col_id / sizeof S_col_id[0]; k++) {
        cnrs_buf_printf(b, "<dt id=\"col-%s\">", S_col_id[k]);
        S_tag(b, "", w->col_name[k], "</dt>");
        S_tag(b, "<dd>", w->col_text[k], "</dd>\n");
    }
    cnrs_buf_puts(b, "</dl>\n</section>\n");
}
