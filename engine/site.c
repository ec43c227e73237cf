/* site.c - the static site of a database (see site.h): index, scorecards,
 * heatmap, style sheet and script, written atomically into one directory. */
#include "site.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gaps.h"
#include "html.h"
#include "rank.h"
#include "score.h"
#include "site_inventory.h"
#include "site_method.h"
#include "version.h"

/* ---- labels ------------------------------------------------------------------- */

/* Every word the site prints, per language. Format strings take only the
 * arguments their comment names. */
typedef struct S_labels {
    const char *lang_attr;
    const char *title, *nav_rank, *nav_heat, *nav_rubric, *nav_method;
    const char *year_fmt; /* %d */
    const char *year_unknown;
    const char *summary;  /* %zu reports, %zu companies */
    const char *filter;
    const char *composition, *distribution, *rankings;
    const char *industry, *unknown;
    const char *th_rank, *th_company, *th_code, *th_score, *th_stage, *th_reviewed, *th_type,
        *th_year;
    const char *nreports, *nreports1; /* %zu: more than one, one */
    const char *other_years;
    const char *rubric_title, *rubric_note;
    const char *th_indicator, *th_name, *th_weight, *th_items, *th_max, *th_stage_max;
    const char *stage_fmt; /* %d */
    const char *stage0;
    const char *no_reports;
    const char *axis_count, *axis_score;
    /* scorecard */
    const char *back;
    const char *total, *reviewed_total, *rank_in_track; /* %d rank, %zu of */
    const char *unranked; /* stage 0: listed, never ranked */
    const char *next_title, *top_stage, *gaps_title, *no_gaps_rubric, *no_gaps;
    const char *th_points, *th_gap, *th_band, *from_stage; /* %d */
    const char *bars_title, *bars_legend_w, *bars_legend_p, *yoy_title;
    const char *ind_title, *th_cov, *th_quant, *th_sent, *th_pct, *th_pts, *th_marks;
    const char *m_trend, *m_cmp, *m_int, *m_lead, *m_bonus, *m_quant, *m_out;
    const char *ev_title, *page_fmt; /* %d */
    const char *no_evidence, *uncovered;
    const char *reviews_title, *th_old, *th_new, *th_reason, *th_reviewer, *th_at, *undone;
    const char *source_title, *s_file, *s_format, *s_pages, *s_sentences, *s_scored, *s_rubric,
        *s_engine, *s_industry, *s_size;
    /* gaps in words */
    const char *g_item, *g_figure, *g_quantity, *g_trend, *g_trend_down, *g_trend_up, *g_cmp,
        *g_int, *g_lead, *or_word, *list_sep;
    /* next stage (when gaps.c's English note is not used) */
    const char *next_quant; /* %d stage, %s stage name, %s units, %s indicators */
    const char *next_any;   /* %d stage, %s stage name, %s indicators */
    /* heatmap */
    const char *heat_title, *heat_note, *legend;
    const char *footer; /* %s version */
    const char *generated; /* %s date */
    const char *auto_note; /* before a link to the method page */
} S_labels;

static const S_labels S_zh = {
    .lang_attr = "zh-CN",
    .title = "碳中和社会责任评价",
    .nav_rank = "排名",
    .nav_heat = "指标热力图",
    .nav_rubric = "指标体系与权重",
    .nav_method = "评价方法",
    .year_fmt = "%d 年",
    .year_unknown = "年份未知",
    .summary = "共 %zu 份报告，%zu 家公司。",
    .filter = "筛选公司或代码",
    .composition = "样本阶段构成",
    .distribution = "得分分布",
    .rankings = "分赛道排名",
    .industry = "行业",
    .unknown = "未知",
    .th_rank = "排名",
    .th_company = "公司",
    .th_code = "代码",
    .th_score = "得分/满分",
    .th_stage = "阶段",
    .th_reviewed = "复核得分",
    .th_type = "报告类型",
    .th_year = "年份",
    .nreports = "%zu 份",
    .nreports1 = "%zu 份",
    .other_years = "其他年份：",
    .rubric_title = "评价指标体系与权重",
    .rubric_note = "16 项指标，权重由优先级矩阵导出；各阶段满分为该阶段及以下指标权重之和。",
    .th_indicator = "指标",
    .th_name = "名称",
    .th_weight = "权重",
    .th_items = "条目",
    .th_max = "满分",
    .th_stage_max = "各阶段满分",
    .stage_fmt = "阶段 %d",
    .stage0 = "未披露碳中和相关信息",
    .no_reports = "数据库中没有已评分的报告。",
    .axis_count = "报告数",
    .axis_score = "得分",
    .back = "返回排名",
    .total = "总分",
    .reviewed_total = "复核后总分",
    .rank_in_track = "赛道内排名 %d / %zu",
    .unranked = "不参与排名",
    .next_title = "下一阶段与提分空间",
    .top_stage = "已处于最高阶段。",
    .gaps_title = "提分空间最大的补充披露",
    .no_gaps_rubric = "本报告由其他版本的指标体系评分，未计算提分空间。",
    .no_gaps = "没有可增加得分的单项补充。",
    .th_points = "可增得分",
    .th_gap = "补充内容",
    .th_band = "档位",
    .from_stage = "自阶段 %d 起计分",
    .bars_title = "各指标得分与权重",
    .bars_legend_w = "权重（满分）",
    .bars_legend_p = "得分",
    .yoy_title = "历年得分",
    .ind_title = "16 项指标",
    .th_cov = "覆盖",
    .th_quant = "量化",
    .th_sent = "句数",
    .th_pct = "百分比",
    .th_pts = "得分",
    .th_marks = "标记",
    .m_trend = "趋势",
    .m_cmp = "对比",
    .m_int = "整合",
    .m_lead = "领先",
    .m_bonus = "+5",
    .m_quant = "量化",
    .m_out = "不在本阶段",
    .ev_title = "证据",
    .page_fmt = "第 %d 页",
    .no_evidence = "无证据句。",
    .uncovered = "未覆盖的条目：",
    .reviews_title = "人工复核",
    .th_old = "原百分比",
    .th_new = "新百分比",
    .th_reason = "理由",
    .th_reviewer = "复核人",
    .th_at = "时间",
    .undone = "已撤销",
    .source_title = "报告来源",
    .s_file = "文件",
    .s_format = "格式",
    .s_pages = "页数",
    .s_sentences = "句数",
    .s_scored = "评分时间",
    .s_rubric = "指标体系",
    .s_engine = "引擎",
    .s_industry = "行业",
    .s_size = "规模",
    .g_item = "披露 %s（%s）",
    .g_figure = "，并给出%s数据",
    .g_quantity = "为 %s 补充%s数据",
    .g_trend = "补充 %s 的多年趋势数据（同比变化）",
    .g_trend_down = "，且呈下降",
    .g_trend_up = "，且呈上升",
    .g_cmp = "将 %s 与行业平均或标杆对比",
    .g_int = "补充 %s 的未来计划与目标（如 2030 年）",
    .g_lead = "以证据支持 %s 的行业领先或标杆地位",
    .or_word = "或",
    .list_sep = "、",
    .next_quant = "进入阶段 %d（%s）需要量化披露自身排放：%s 中以%s计的数据"
                  "（如范围一、范围二排放，吨二氧化碳当量）；避免或减少的排放不计入。",
    .next_any = "进入阶段 %d（%s）需要公司在以下任一指标上有自身披露：%s。",
    .heat_title = "指标百分比热力图",
    .heat_note = "每行一份报告（按年份、阶段、得分排序），每列一项指标；"
                 "灰色斜体为不在该报告阶段内、不计分的指标，带 * 的为人工复核后的百分比。",
    .legend = "图例",
    .footer = "由 cnrs %s 生成",
    .generated = "，生成日期 %s",
    .auto_note = "得分由程序自动阅读报告文本得出，可能有误，可申请复核：",
};

static const S_labels S_en = {
    .lang_attr = "en",
    .title = "Carbon-neutrality responsibility scores",
    .nav_rank = "Rankings",
    .nav_heat = "Indicator heatmap",
    .nav_rubric = "Rubric and weights",
    .nav_method = "Method",
    .year_fmt = "%d",
    .year_unknown = "Year unknown",
    .summary = "%zu reports from %zu companies.",
    .filter = "Filter by company or code",
    .composition = "Stage composition",
    .distribution = "Score distribution",
    .rankings = "Rankings by track",
    .industry = "industry",
    .unknown = "unknown",
    .th_rank = "Rank",
    .th_company = "Company",
    .th_code = "Code",
    .th_score = "Score / max",
    .th_stage = "Stage",
    .th_reviewed = "Reviewed",
    .th_type = "Report type",
    .th_year = "Year",
    .nreports = "%zu reports",
    .nreports1 = "%zu report",
    .other_years = "Other years: ",
    .rubric_title = "The rubric and its weights",
    .rubric_note = "16 indicators; weights derive from the priority matrix; a stage's maximum "
                   "is the sum of the weights of its indicators and those below.",
    .th_indicator = "Indicator",
    .th_name = "Name",
    .th_weight = "Weight",
    .th_items = "Items",
    .th_max = "Max",
    .th_stage_max = "Stage maxima",
    .stage_fmt = "Stage %d",
    .stage0 = "no carbon-neutrality disclosure",
    .no_reports = "The database holds no scored reports.",
    .axis_count = "reports",
    .axis_score = "score",
    .back = "Back to the rankings",
    .total = "Total",
    .reviewed_total = "Reviewed total",
    .rank_in_track = "rank %d of %zu in its track",
    .unranked = "not ranked",
    .next_title = "The next stage and the gaps",
    .top_stage = "This report is at the top stage.",
    .gaps_title = "The additions worth most",
    .no_gaps_rubric = "Scored with another rubric version: gaps not computed.",
    .no_gaps = "No single addition would add points.",
    .th_points = "Points",
    .th_gap = "Addition",
    .th_band = "Band",
    .from_stage = "counts from stage %d",
    .bars_title = "Points against each indicator's weight",
    .bars_legend_w = "weight (maximum)",
    .bars_legend_p = "points",
    .yoy_title = "Scores across years",
    .ind_title = "The 16 indicators",
    .th_cov = "Coverage",
    .th_quant = "Quant.",
    .th_sent = "Sent.",
    .th_pct = "Pct",
    .th_pts = "Points",
    .th_marks = "Marks",
    .m_trend = "trend",
    .m_cmp = "comparison",
    .m_int = "integration",
    .m_lead = "leadership",
    .m_bonus = "+5",
    .m_quant = "quantified",
    .m_out = "not in this stage",
    .ev_title = "Evidence",
    .page_fmt = "p. %d",
    .no_evidence = "No evidence sentences.",
    .uncovered = "Items without evidence: ",
    .reviews_title = "Reviews",
    .th_old = "Old %",
    .th_new = "New %",
    .th_reason = "Reason",
    .th_reviewer = "Reviewer",
    .th_at = "At",
    .undone = "undone",
    .source_title = "Source",
    .s_file = "File",
    .s_format = "Format",
    .s_pages = "Pages",
    .s_sentences = "Sentences",
    .s_scored = "Scored at",
    .s_rubric = "Rubric",
    .s_engine = "Engine",
    .s_industry = "Industry",
    .s_size = "Size",
    .g_item = "disclose %s (%s)",
    .g_figure = " with a figure in %s",
    .g_quantity = "give %s a figure in %s",
    .g_trend = "add trend data for %s (several years, year-on-year change)",
    .g_trend_down = ", falling",
    .g_trend_up = ", rising",
    .g_cmp = "compare %s with a benchmark or the industry average",
    .g_int = "add plans and targets for %s (e.g. by 2030)",
    .g_lead = "back an industry-leading or benchmark standing for %s",
    .or_word = "or",
    .list_sep = ", ",
    .next_quant = "stage %d (%s) needs quantified own emissions: a figure for %s in %s (e.g. "
                  "scope 1 or 2 emissions in tCO2e); avoided or reduced emissions do not count.",
    .next_any = "stage %d (%s) needs the company's own disclosure on any of %s.",
    .heat_title = "Indicator percentages",
    .heat_note = "One row per report (by year, stage and score), one column per indicator; "
                 "grey italics: an indicator above the report's stage, which earns no points; "
                 "* a reviewed percentage.",
    .legend = "Legend",
    .footer = "Generated by cnrs %s",
    .generated = " on %s",
    .auto_note = "Scores come from an automatic reading of the report text; they can be wrong, "
                 "and a review can be asked for: ",
};

/* ---- state -------------------------------------------------------------------- */

typedef struct S_site {
    const cnrs_site_opts *o;
    const cnrs_rubric *r;
    const S_labels *L;
    cnrs_store *s;
    cnrs_error *err;
    cnrs_buf page;  /* the page being built, reused */
    cnrs_buf tmp;   /* scratch for labels */
    cnrs_buf tmp2;
    cnrs_buf path;  /* file names */
    cnrs_buf tpath; /* temporary file names */
    cnrs_site_stats st;
    cnrs_store_rank_row *rows; /* every year (history charts need them all) */
    size_t nrows;
    cnrs_rank_entry *ent; /* the selected rows in display order, ranked */
    size_t nent;
    size_t *track_n;      /* per ent: reports in its track */
    char **name;          /* per row: page file name (selected rows), else NULL */
    size_t *hist;         /* rows ordered by company, report type, year */
    size_t *hist_pos;     /* per row: its position in hist */
    size_t *hist_lo, *hist_hi; /* per hist position: its group [lo, hi) */
    size_t ncompanies;
    double *pct;          /* per ent x indicator: reviewed percentage (heatmap) */
    unsigned char *flags; /* per ent x indicator: S_F_* */
    cnrs_store_review *rv; /* every review, by report id */
    size_t nrv;
} S_site;

enum { S_F_IN_STAGE = 1, S_F_REVIEWED = 2, S_F_KNOWN = 4 };

/* ---- small helpers ------------------------------------------------------------ */

static int S_lang_en(const S_site *x)
{
    return x->o->lang == CNRS_SITE_EN;
}

static const char *S_or(const char *s, const char *dflt)
{
    return s && *s ? s : dflt;
}

static const char *S_title(const S_site *x)
{
    return S_or(x->o->title, x->L->title);
}

static void S_fixed(cnrs_buf *b, double v, int dec)
{
    cnrs_buf_put_fixed(b, v, dec);
}

/* A score or bound with one decimal, or none when it is whole (16, 5.2). */
static void S_short(cnrs_buf *b, double v)
{
    double r = floor(v + 0.5);
    cnrs_buf_put_fixed(b, v, fabs(v - r) < 0.05 ? 0 : 1);
}

static void S_esc_fmt_d(cnrs_buf *b, const char *fmt, int v)
{
    cnrs_buf t = CNRS_BUF_INIT;
    cnrs_buf_printf(&t, fmt, v);
    cnrs_html_esc(b, cnrs_buf_cstr(&t));
    cnrs_buf_free(&t);
}

static const char *S_cstr(cnrs_buf *b)
{
    return cnrs_buf_cstr(b);
}

static int S_strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static const cnrs_indicator *S_rind(const S_site *x, const char *id)
{
    int k = id ? cnrs_rubric_find_indicator(x->r, id) : -1;
    return k >= 0 ? &x->r->indicators[k] : NULL;
}

/* The indicator's name in the site's language, from the rubric when it
 * knows the id, else as stored. */
static const char *S_ind_name(const S_site *x, const char *id, const char *stored)
{
    const cnrs_indicator *d = S_rind(x, id);
    if (d) {
        const char *n = S_lang_en(x) ? d->name_en : d->name_zh;
        if (n && *n)
            return n;
    }
    return S_or(stored, S_or(id, "?"));
}

/* Whether `qid` is one of the rubric items of indicator `d` (NULL: none). */
static int S_item_of(const S_site *x, const cnrs_indicator *d, const char *qid)
{
    for (size_t k = 0; d && qid && k < d->nitems; k++)
        if (strcmp(x->r->items[d->first_item + k].qid, qid) == 0)
            return 1;
    return 0;
}

static const char *S_item_name(const S_site *x, const cnrs_item *it)
{
    const char *n = S_lang_en(x) ? it->name_en : it->name_zh;
    return S_or(n, it->qid);
}

static const char *S_unit_name(const S_site *x, const cnrs_unit *u)
{
    const char *n = S_lang_en(x) ? u->name_en : u->name_zh;
    return S_or(n, u->id);
}

static const cnrs_stage_def *S_rstage(const S_site *x, int n)
{
    for (size_t s = 0; s < x->r->nstages; s++)
        if (x->r->stages[s].n == n)
            return &x->r->stages[s];
    return NULL;
}

static const char *S_stage_name(const S_site *x, int stage, const char *stored)
{
    if (stage == 0)
        return x->L->stage0;
    const cnrs_stage_def *d = S_rstage(x, stage);
    if (d) {
        const char *n = S_lang_en(x) ? d->name_en : d->name_zh;
        if (n && *n)
            return n;
    }
    return S_or(stored, "?");
}

/* "阶段 3 · 量化自身排放" into b, escaped. */
static void S_stage_label(const S_site *x, cnrs_buf *b, int stage, const char *stored)
{
    S_esc_fmt_d(b, x->L->stage_fmt, stage);
    cnrs_buf_puts(b, " \xC2\xB7 ");
    cnrs_html_esc(b, S_stage_name(x, stage, stored));
}

static void S_year_label(const S_site *x, cnrs_buf *b, int year)
{
    if (year)
        S_esc_fmt_d(b, x->L->year_fmt, year);
    else
        cnrs_html_esc(b, x->L->year_unknown);
}

/* The last path component of a stored path (directories on the machine that
 * ran the batch are nobody's business). */
static const char *S_base(const char *p)
{
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : S_or(p, "");
}

/* ---- files -------------------------------------------------------------------- */

/* mkdir -p: every missing component of `dir`; the last must end up a
 * directory. */
static cnrs_status S_mkdirs(const char *dir, cnrs_error *err)
{
    char *p = cnrs_xstrdup(dir);
    size_t n = strlen(p);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            cnrs_status st = cnrs_error_set(err, CNRS_ERR_IO, "%s: cannot create directory: %s",
                                            p, strerror(errno));
            free(p);
            return st;
        }
        p[i] = c;
    }
    free(p);
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: %s", dir, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: not a directory", dir);
    return CNRS_OK;
}

/* The site's own subdirectory: created when missing; an existing one must
 * be a real directory, not a link that would carry pages elsewhere. */
static cnrs_status S_subdir(S_site *x, const char *name)
{
    cnrs_buf_reset(&x->path);
    cnrs_buf_printf(&x->path, "%s/%s", x->o->out_dir, name);
    const char *p = S_cstr(&x->path);
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
        return cnrs_error_set(x->err, CNRS_ERR_IO, "%s: cannot create directory: %s", p,
                              strerror(errno));
    struct stat sb;
    if (lstat(p, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return cnrs_error_set(x->err, CNRS_ERR_IO, "%s: not a directory (a link or a file)", p);
    return CNRS_OK;
}

/* Write `b` to DIR/rel through a temporary file in the same directory and a
 * rename, so the page appears whole or not at all. `rel` is built by this
 * file from safe names only. */
static cnrs_status S_put(S_site *x, const char *rel, const cnrs_buf *b)
{
    cnrs_buf_reset(&x->path);
    cnrs_buf_printf(&x->path, "%s/%s", x->o->out_dir, rel);
    /* DIR/[sub/].NAME.tmp-PID: the same directory, so rename is atomic; a
     * dot name, which no link of the site can name. */
    const char *slash = strrchr(rel, '/');
    cnrs_buf_reset(&x->tpath);
    cnrs_buf_printf(&x->tpath, "%s/%.*s.%s.tmp-%ld", x->o->out_dir,
                    slash ? (int)(slash - rel) + 1 : 0, rel, slash ? slash + 1 : rel,
                    (long)getpid());
    const char *final = cnrs_buf_cstr(&x->path), *tmp = cnrs_buf_cstr(&x->tpath);

    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) { /* left by a killed run with our pid */
        unlink(tmp);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    }
    if (fd < 0)
        return cnrs_error_set(x->err, CNRS_ERR_IO, "%s: cannot create (as %s): %s", final, tmp,
                              strerror(errno));
    size_t off = 0;
    while (off < b->len) {
        ssize_t w = write(fd, b->data + off, b->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : EIO;
            close(fd);
            unlink(tmp);
            return cnrs_error_set(x->err, CNRS_ERR_IO, "%s: cannot write: %s", final,
                                  strerror(e));
        }
        off += (size_t)w;
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return cnrs_error_set(x->err, CNRS_ERR_IO, "%s: cannot write: %s", final, strerror(e));
    }
    if (rename(tmp, final) != 0) {
        int e = errno;
        unlink(tmp);
        return cnrs_error_set(x->err, CNRS_ERR_IO, "%s: cannot rename into place: %s", final,
                              strerror(e));
    }
    x->st.files++;
    x->st.bytes += b->len;
    return CNRS_OK;
}

/* ---- page frame --------------------------------------------------------------- */

/* `up` is "" for pages in DIR and "../" for pages in DIR/cards. */
static void S_head(S_site *x, const char *up, const char *title)
{
    cnrs_buf *b = &x->page;
    cnrs_buf_reset(b);
    cnrs_buf_printf(b,
                    "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                    "<title>",
                    x->L->lang_attr);
    cnrs_html_esc(b, title);
    cnrs_buf_puts(b, " \xE2\x80\x94 ");
    cnrs_html_esc(b, S_title(x));
    cnrs_buf_printf(b,
                    "</title>\n<link rel=\"stylesheet\" href=\"%ssite.css\"/>\n"
                    "<script src=\"%ssite.js\" defer=\"defer\"></script>\n</head>\n<body>\n"
                    "<nav class=\"top\"><span class=\"brand\">",
                    up, up);
    cnrs_html_esc(b, S_title(x));
    cnrs_buf_printf(b, "</span> <a href=\"%sindex.html\">", up);
    cnrs_html_esc(b, x->L->nav_rank);
    cnrs_buf_printf(b, "</a> <a href=\"%sheatmap.html\">", up);
    cnrs_html_esc(b, x->L->nav_heat);
    cnrs_buf_printf(b, "</a> <a href=\"%smethod.html\">", up);
    cnrs_html_esc(b, x->L->nav_method);
    cnrs_buf_printf(b, "</a> <a href=\"%smethod.html#rubric\">", up);
    cnrs_html_esc(b, x->L->nav_rubric);
    cnrs_buf_puts(b, "</a></nav>\n<main>\n");
}

/* The footer: automatic reading (linked to the method), engine, date,
 * rubric; never a path of the machine the site was made on. */
static void S_foot(S_site *x, const char *up)
{
    cnrs_buf *b = &x->page;
    cnrs_buf_puts(b, "</main>\n<footer><p class=\"auto\">");
    cnrs_html_esc(b, x->L->auto_note);
    cnrs_buf_printf(b, "<a href=\"%smethod.html#auto\">", up);
    cnrs_html_esc(b, x->L->nav_method);
    cnrs_buf_puts(b, "</a></p><p>");
    cnrs_buf t = CNRS_BUF_INIT;
    cnrs_buf_printf(&t, x->L->footer, CNRS_VERSION);
    if (x->o->date && *x->o->date) {
        cnrs_buf_printf(&t, x->L->generated, x->o->date);
    }
    cnrs_html_esc(b, cnrs_buf_cstr(&t));
    cnrs_buf_free(&t);
    cnrs_buf_puts(b, " \xC2\xB7 ");
    cnrs_html_esc(b, x->r->id);
    cnrs_buf_putc(b, ' ');
    cnrs_html_esc(b, x->r->version);
    cnrs_buf_puts(b, "</p></footer>\n</body>\n</html>\n");
}

/* ---- selection, ranks, history ------------------------------------------------ */

static const char *S_company_key(const cnrs_store_rank_row *w)
{
    return w->code && *w->code ? w->code : w->company;
}

static const S_site *S_sort_site; /* qsort has no context argument */

static int S_hist_cmp(const void *pa, const void *pb)
{
    const cnrs_store_rank_row *a = &S_sort_site->rows[*(const size_t *)pa];
    const cnrs_store_rank_row *b = &S_sort_site->rows[*(const size_t *)pb];
    int ca = a->code && *a->code, cb = b->code && *b->code;
    if (ca != cb)
        return ca ? -1 : 1;
    int c = S_strcmp0(S_company_key(a), S_company_key(b));
    if (c)
        return c;
    c = S_strcmp0(a->report_type, b->report_type);
    if (c)
        return c;
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    return a->report_id < b->report_id ? -1 : a->report_id > b->report_id;
}

/* Which rows the site shows, their ranks by year and track (the stage, or
 * stage x industry), the page names, and each company's reports across
 * years. Stage 0 earns nothing to compare: its reports get rank 0 (none). */
static void S_prepare(S_site *x)
{
    size_t n = x->nrows;
    x->ent = cnrs_xcalloc(n ? n : 1, sizeof *x->ent);
    x->track_n = cnrs_xcalloc(n ? n : 1, sizeof *x->track_n);
    x->name = cnrs_xcalloc(n ? n : 1, sizeof *x->name);
    for (size_t i = 0; i < n; i++) {
        const cnrs_store_rank_row *w = &x->rows[i];
        if (x->o->year && w->year != x->o->year)
            continue;
        const char *track = x->o->by == CNRS_SITE_BY_STAGE_INDUSTRY ? S_or(w->industry, NULL) : NULL;
        x->ent[x->nent++] = (cnrs_rank_entry){w->stage, w->reviewed, track, w->company, i, 0};
        /* Code (safe characters only), year, report id: unique, and nothing
         * of a name can reach the file system. */
        cnrs_buf b = CNRS_BUF_INIT;
        cnrs_html_safe_name(&b, w->code && *w->code ? w->code : "nocode", 24);
        if (w->year)
            cnrs_buf_printf(&b, "-%d", w->year);
        cnrs_buf_printf(&b, "-r%lld.html", (long long)w->report_id);
        x->name[i] = cnrs_buf_steal(&b);
    }
    /* Rows come newest year first: rank each year alone. */
    for (size_t a = 0; a < x->nent;) {
        size_t e = a;
        int y = x->rows[x->ent[a].index].year;
        while (e < x->nent && x->rows[x->ent[e].index].year == y)
            e++;
        cnrs_rank_assign(x->ent + a, e - a);
        a = e;
    }
    for (size_t k = 0; k < x->nent; k++)
        if (x->ent[k].stage <= 0)
            x->ent[k].rank = 0;
    for (size_t a = 0; a < x->nent;) {
        size_t e = a + 1;
        const cnrs_store_rank_row *w = &x->rows[x->ent[a].index];
        while (e < x->nent) {
            const cnrs_store_rank_row *v = &x->rows[x->ent[e].index];
            if (v->year != w->year || v->stage != w->stage ||
                S_strcmp0(x->ent[e].track, x->ent[a].track) != 0)
                break;
            e++;
        }
        for (size_t k = a; k < e; k++)
            x->track_n[k] = e - a;
        a = e;
    }
    /* History: rows grouped by company and report type, by year. */
    x->hist = cnrs_xcalloc(n ? n : 1, sizeof *x->hist);
    x->hist_pos = cnrs_xcalloc(n ? n : 1, sizeof *x->hist_pos);
    x->hist_lo = cnrs_xcalloc(n ? n : 1, sizeof *x->hist_lo);
    x->hist_hi = cnrs_xcalloc(n ? n : 1, sizeof *x->hist_hi);
    for (size_t i = 0; i < n; i++)
        x->hist[i] = i;
    S_sort_site = x;
    qsort(x->hist, n, sizeof *x->hist, S_hist_cmp);
    S_sort_site = NULL;
    for (size_t a = 0; a < n;) {
        const cnrs_store_rank_row *w = &x->rows[x->hist[a]];
        size_t e = a + 1;
        while (e < n) {
            const cnrs_store_rank_row *v = &x->rows[x->hist[e]];
            if (S_strcmp0(S_company_key(v), S_company_key(w)) != 0 ||
                (v->code && *v->code) != (w->code && *w->code) ||
                S_strcmp0(v->report_type, w->report_type) != 0)
                break;
            e++;
        }
        for (size_t k = a; k < e; k++) {
            x->hist_pos[x->hist[k]] = k;
            x->hist_lo[k] = a;
            x->hist_hi[k] = e;
        }
        a = e;
    }
    /* Companies among the shown rows (report types aside). */
    const cnrs_store_rank_row *prev = NULL;
    for (size_t k = 0; k < n; k++) {
        const cnrs_store_rank_row *w = &x->rows[x->hist[k]];
        if (!x->name[x->hist[k]])
            continue;
        if (!prev || S_strcmp0(S_company_key(prev), S_company_key(w)) != 0 ||
            (prev->code && *prev->code) != (w->code && *w->code))
            x->ncompanies++;
        prev = w;
    }
    x->pct = cnrs_xcalloc((x->nent ? x->nent : 1) * (x->r->nindicators ? x->r->nindicators : 1),
                          sizeof *x->pct);
    x->flags = cnrs_xcalloc((x->nent ? x->nent : 1) * (x->r->nindicators ? x->r->nindicators : 1),
                            1);
}

static int S_rv_cmp(const void *pa, const void *pb)
{
    const cnrs_store_review *a = pa, *b = pb;
    if (a->report_id != b->report_id)
        return a->report_id < b->report_id ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* The reviews of report `id`: [*lo, *hi) of x->rv. */
static void S_reviews_of(const S_site *x, int64_t id, size_t *lo, size_t *hi)
{
    size_t a = 0, b = x->nrv;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (x->rv[m].report_id < id)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    while (a < x->nrv && x->rv[a].report_id == id)
        a++;
    *hi = a;
}

/* ---- charts ------------------------------------------------------------------- */

/* Horizontal bars, one per stage present in a year: how many reports. */
static void S_chart_composition(S_site *x, const size_t *counts, int maxstage, size_t total)
{
    cnrs_buf *b = &x->page;
    const double label_w = S_lang_en(x) ? 290 : 230, bar_w = 300, row = 26, top = 8;
    int nrows = 0;
    size_t most = 1;
    for (int s = maxstage; s >= 0; s--) {
        nrows++;
        if (counts[s] > most)
            most = counts[s];
    }
    double w = label_w + bar_w + 110, h = top * 2 + row * nrows;
    cnrs_buf_reset(&x->tmp);
    cnrs_buf_puts(&x->tmp, x->L->composition);
    cnrs_svg_begin(b, w, h, "chart", S_cstr(&x->tmp));
    double y = top;
    for (int s = maxstage; s >= 0; s--, y += row) {
        cnrs_buf_reset(&x->tmp);
        cnrs_buf_printf(&x->tmp, x->L->stage_fmt, s);
        cnrs_buf_puts(&x->tmp, " \xC2\xB7 ");
        cnrs_buf_puts(&x->tmp, S_stage_name(x, s, NULL));
        cnrs_svg_text(b, label_w - 8, y + 17, "end", NULL, S_cstr(&x->tmp));
        double len = bar_w * (double)counts[s] / (double)most;
        cnrs_buf_reset(&x->tmp2);
        cnrs_buf_printf(&x->tmp2, "st%d", s > 3 ? 3 : s);
        cnrs_svg_rect(b, label_w, y + 4, len, row - 8, S_cstr(&x->tmp2), NULL);
        cnrs_buf_reset(&x->tmp);
        cnrs_buf_printf(&x->tmp, "%zu (", counts[s]);
        S_fixed(&x->tmp, total ? 100.0 * (double)counts[s] / (double)total : 0, 1);
        cnrs_buf_puts(&x->tmp, "%)");
        cnrs_svg_text(b, label_w + len + 6, y + 17, "start", NULL, S_cstr(&x->tmp));
    }
    cnrs_svg_end(b);
}

/* A histogram of the scores of one stage from 0 to the stage's maximum in
 * bins of a whole width (1, 2, 5, 10, 20 ... points, at most 12 bins), so
 * every tick is a whole number; counts over the bars, kept below the title. */
static void S_chart_distribution(S_site *x, const double *scores, size_t n, int stage, double max)
{
    cnrs_buf *b = &x->page;
    enum { MAXBINS = 12 };
    static const int steps[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
    size_t si = 0;
    while (si + 1 < sizeof steps / sizeof steps[0] && ceil(max / steps[si]) > MAXBINS)
        si++;
    int step = steps[si];
    double nb = ceil(max / step);
    int bins = nb < 1 ? 1 : nb > MAXBINS ? MAXBINS : (int)nb;
    size_t bin[MAXBINS] = {0}, most = 1;
    for (size_t i = 0; i < n; i++) {
        int k = (int)floor(scores[i] / step);
        k = k < 0 ? 0 : k >= bins ? bins - 1 : k;
        bin[k]++;
    }
    for (int k = 0; k < bins; k++)
        if (bin[k] > most)
            most = bin[k];
    /* The title's baseline is at 16; a full bar's count sits at top - 4. */
    const double left = 36, right = 14, top = 44, plot_h = 120, plot_w = 300, bottom = 40;
    double bw = plot_w / bins, w = left + plot_w + right, h = top + plot_h + bottom;
    cnrs_buf_reset(&x->tmp);
    cnrs_buf_puts(&x->tmp, x->L->distribution);
    cnrs_buf_puts(&x->tmp, " \xC2\xB7 ");
    cnrs_buf_printf(&x->tmp, x->L->stage_fmt, stage);
    cnrs_svg_begin(b, w, h, "chart", S_cstr(&x->tmp));
    cnrs_svg_text(b, left, 16, "start", "ttl", S_cstr(&x->tmp));
    cnrs_svg_line(b, left, top + plot_h, left + plot_w, top + plot_h, "axis");
    cnrs_svg_line(b, left, top, left, top + plot_h, "axis");
    cnrs_buf_reset(&x->tmp2);
    cnrs_buf_printf(&x->tmp2, "st%d", stage > 3 ? 3 : stage);
    for (int k = 0; k < bins; k++) {
        double bh = plot_h * (double)bin[k] / (double)most;
        double bx = left + k * bw;
        cnrs_buf_reset(&x->tmp);
        cnrs_buf_printf(&x->tmp, "%d\xE2\x80\x93", k * step);
        S_short(&x->tmp, k + 1 < bins ? (k + 1) * step : max);
        cnrs_buf_printf(&x->tmp, ": %zu", bin[k]);
        cnrs_svg_rect(b, bx + 2, top + plot_h - bh, bw - 4, bh, S_cstr(&x->tmp2), S_cstr(&x->tmp));
        if (bin[k]) {
            cnrs_buf_reset(&x->tmp);
            cnrs_buf_printf(&x->tmp, "%zu", bin[k]);
            cnrs_svg_text(b, bx + bw / 2, top + plot_h - bh - 4, "middle", "small",
                          S_cstr(&x->tmp));
        }
    }
    int every = bins > 6 ? 2 : 1;
    for (int k = 0; k <= bins; k += every) {
        cnrs_buf_reset(&x->tmp);
        cnrs_buf_printf(&x->tmp, "%d", k * step);
        cnrs_svg_line(b, left + k * bw, top + plot_h, left + k * bw, top + plot_h + 4, "axis");
        cnrs_svg_text(b, left + k * bw, top + plot_h + 17, "middle", "small", S_cstr(&x->tmp));
    }
    cnrs_buf_reset(&x->tmp);
    cnrs_buf_puts(&x->tmp, x->L->axis_score);
    cnrs_svg_text(b, left + plot_w / 2, h - 6, "middle", "small", S_cstr(&x->tmp));
    cnrs_buf_reset(&x->tmp);
    cnrs_buf_printf(&x->tmp, "%zu", most);
    cnrs_svg_text(b, left - 5, top + 4, "end", "small", S_cstr(&x->tmp));
    cnrs_svg_text(b, left - 5, top + plot_h, "end", "small", "0");
    cnrs_svg_end(b);
}

/* Per indicator: its weight as an outline, its points filled, the values
 * written beside. */
static void S_chart_points(S_site *x, const cnrs_stored_card *c)
{
    cnrs_buf *b = &x->page;
    const double label_w = S_lang_en(x) ? 330 : 240, bar_w = 320, row = 22, top = 28;
    double wmax = 0;
    for (size_t i = 0; i < c->nind; i++)
        if (c->ind[i].weight > wmax)
            wmax = c->ind[i].weight;
    if (wmax <= 0)
        wmax = 1;
    double w = label_w + bar_w + 120, h = top + row * (double)c->nind + 8;
    cnrs_svg_begin(b, w, h, "chart", x->L->bars_title);
    /* legend */
    cnrs_svg_rect(b, label_w, 8, 14, 12, "wt", NULL);
    cnrs_svg_text(b, label_w + 20, 18, "start", "small", x->L->bars_legend_w);
    cnrs_svg_rect(b, label_w + 150, 8, 14, 12, "pt", NULL);
    cnrs_svg_text(b, label_w + 170, 18, "start", "small", x->L->bars_legend_p);
    for (size_t i = 0; i < c->nind; i++) {
        const cnrs_stored_indicator *d = &c->ind[i];
        double y = top + row * (double)i;
        cnrs_buf_reset(&x->tmp);
        cnrs_buf_puts(&x->tmp, S_or(d->id, "?"));
        cnrs_buf_putc(&x->tmp, ' ');
        cnrs_buf_puts(&x->tmp, S_ind_name(x, d->id, d->name));
        cnrs_svg_text(b, label_w - 8, y + 15, "end", d->in_stage ? NULL : "dim", S_cstr(&x->tmp));
        double ww = bar_w * d->weight / wmax;
        cnrs_svg_rect(b, label_w, y + 3, ww, row - 6, "wt", NULL);
        double pts = d->in_stage ? d->weight * d->reviewed_pct / 100.0 : 0;
        cnrs_buf_reset(&x->tmp);
        if (d->in_stage) {
            S_fixed(&x->tmp, pts, 2);
            cnrs_buf_puts(&x->tmp, " / ");
        } else {
            cnrs_buf_puts(&x->tmp, "\xE2\x80\x94 / ");
        }
        S_fixed(&x->tmp, d->weight, 2);
        if (d->in_stage)
            cnrs_svg_rect(b, label_w, y + 3, bar_w * pts / wmax, row - 6, "pt", NULL);
        cnrs_svg_text(b, label_w + ww + 6, y + 15, "start", d->in_stage ? "small" : "small dim",
                      S_cstr(&x->tmp));
    }
    cnrs_svg_end(b);
}

/* The company's scores across years (same report type), this year marked;
 * each year's stage maximum as an outline behind its bar. */
static void S_chart_years(S_site *x, size_t row)
{
    size_t pos = x->hist_pos[row], lo = x->hist_lo[pos], hi = x->hist_hi[pos];
    size_t n = hi - lo;
    cnrs_buf *b = &x->page;
    const double left = 40, top = 30, plot_h = 150, col = 70, bottom = 46;
    double w = left + col * (double)n + 20, h = top + plot_h + bottom;
    cnrs_svg_begin(b, w, h, "chart", x->L->yoy_title);
    cnrs_svg_line(b, left, top + plot_h, left + col * (double)n, top + plot_h, "axis");
    cnrs_svg_line(b, left, top, left, top + plot_h, "axis");
    for (int t = 0; t <= 100; t += 50) {
        char lab[8];
        snprintf(lab, sizeof lab, "%d", t);
        cnrs_svg_text(b, left - 5, top + plot_h - plot_h * t / 100.0 + 4, "end", "small", lab);
        if (t)
            cnrs_svg_line(b, left, top + plot_h - plot_h * t / 100.0, left + col * (double)n,
                          top + plot_h - plot_h * t / 100.0, "grid");
    }
    for (size_t k = 0; k < n; k++) {
        const cnrs_store_rank_row *w2 = &x->rows[x->hist[lo + k]];
        double cx = left + col * (double)k + col / 2;
        double mh = plot_h * w2->max / 100.0, sh = plot_h * w2->reviewed / 100.0;
        cnrs_svg_rect(b, cx - 18, top + plot_h - mh, 36, mh, "wt", NULL);
        cnrs_buf_reset(&x->tmp2);
        cnrs_buf_printf(&x->tmp2, "st%d%s", w2->stage > 3 ? 3 : w2->stage,
                        x->hist[lo + k] == row ? " cur" : "");
        cnrs_svg_rect(b, cx - 18, top + plot_h - sh, 36, sh, S_cstr(&x->tmp2), NULL);
        cnrs_buf_reset(&x->tmp);
        S_fixed(&x->tmp, w2->reviewed, 1);
        cnrs_svg_text(b, cx, top + plot_h - (sh > mh ? sh : mh) - 4, "middle", "small",
                      S_cstr(&x->tmp));
        cnrs_buf_reset(&x->tmp);
        if (w2->year)
            cnrs_buf_printf(&x->tmp, "%d", w2->year);
        else
            cnrs_buf_puts(&x->tmp, "?");
        cnrs_svg_text(b, cx, top + plot_h + 16, "middle", NULL, S_cstr(&x->tmp));
        cnrs_buf_reset(&x->tmp);
        cnrs_buf_printf(&x->tmp, x->L->stage_fmt, w2->stage);
        cnrs_svg_text(b, cx, top + plot_h + 32, "middle", "small", S_cstr(&x->tmp));
    }
    cnrs_svg_end(b);
}

/* ---- scorecard pages -------------------------------------------------------------- */

/* What reaching the next stage needs, from the rubric's stage rules (the
 * Chinese twin of gaps.c's English note, used for English too when no gaps
 * could be computed). */
static void S_next_note(S_site *x, cnrs_buf *b, int stage)
{
    const cnrs_stage_def *next = S_rstage(x, stage + 1);
    if (!next) {
        cnrs_html_esc(b, x->L->top_stage);
        return;
    }
    cnrs_buf ids = CNRS_BUF_INIT, units = CNRS_BUF_INIT, t = CNRS_BUF_INIT;
    for (size_t i = 0; i < x->r->nindicators; i++)
        if (next->indicators & (1u << i)) {
            if (ids.len)
                cnrs_buf_puts(&ids, x->L->list_sep);
            cnrs_buf_puts(&ids, x->r->indicators[i].id);
        }
    const char *sname = S_stage_name(x, next->n, NULL);
    if (next->rule == CNRS_RULE_QUANTIFIED) {
        for (size_t u = 0; u < x->r->nunits; u++)
            if (next->units & (1u << u)) {
                if (units.len)
                    cnrs_buf_printf(&units, " %s ", x->L->or_word);
                cnrs_buf_puts(&units, S_unit_name(x, &x->r->units[u]));
            }
        cnrs_buf_printf(&t, x->L->next_quant, next->n, sname, cnrs_buf_cstr(&ids),
                        cnrs_buf_cstr(&units));
    } else {
        cnrs_buf_printf(&t, x->L->next_any, next->n, sname, cnrs_buf_cstr(&ids));
    }
    cnrs_html_esc(b, cnrs_buf_cstr(&t));
    cnrs_buf_free(&ids);
    cnrs_buf_free(&units);
    cnrs_buf_free(&t);
}

/* A gap in words (the site's language), escaped into b. */
static void S_gap_what(S_site *x, cnrs_buf *b, const cnrs_gap *g)
{
    const cnrs_rubric *r = x->r;
    const cnrs_item *it = g->item >= 0 ? &r->items[g->item] : NULL;
    const cnrs_indicator *d = &r->indicators[g->indicator];
    cnrs_buf t = CNRS_BUF_INIT, units = CNRS_BUF_INIT;
    if (it)
        for (size_t u = 0; u < r->nunits; u++)
            if (it->units & (1u << u)) {
                if (units.len)
                    cnrs_buf_printf(&units, S_lang_en(x) ? " %s " : "%s", x->L->or_word);
                cnrs_buf_puts(&units, S_unit_name(x, &r->units[u]));
            }
    switch (g->kind) {
    case CNRS_GAP_ITEM:
        cnrs_buf_printf(&t, x->L->g_item, it->qid, S_item_name(x, it));
        if (g->with_figure)
            cnrs_buf_printf(&t, x->L->g_figure, cnrs_buf_cstr(&units));
        break;
    case CNRS_GAP_QUANTITY:
        cnrs_buf_printf(&t, x->L->g_quantity, it->qid, cnrs_buf_cstr(&units));
        break;
    case CNRS_GAP_TREND:
        cnrs_buf_printf(&t, x->L->g_trend, d->id);
        if (d->polarity == CNRS_POL_LOWER)
            cnrs_buf_puts(&t, x->L->g_trend_down);
        else if (d->polarity == CNRS_POL_HIGHER)
            cnrs_buf_puts(&t, x->L->g_trend_up);
        break;
    case CNRS_GAP_COMPARISON:
        cnrs_buf_printf(&t, x->L->g_cmp, d->id);
        break;
    case CNRS_GAP_INTEGRATION:
        cnrs_buf_printf(&t, x->L->g_int, d->id);
        break;
    case CNRS_GAP_LEADERSHIP:
        cnrs_buf_printf(&t, x->L->g_lead, d->id);
        break;
    }
    cnrs_html_esc(b, cnrs_buf_cstr(&t));
    cnrs_buf_free(&t);
    cnrs_buf_free(&units);
}

static void S_th(cnrs_buf *b, const char *label)
{
    cnrs_buf_puts(b, "<th>");
    cnrs_html_esc(b, label);
    cnrs_buf_puts(b, "</th>");
}

/* The next stage and the gaps worth most (at most 8). */
static void S_card_next(S_site *x, const cnrs_stored_card *c)
{
    cnrs_buf *b = &x->page;
    const cnrs_rubric *r = x->r;
    cnrs_buf_puts(b, "<section class=\"next\"><h2>");
    cnrs_html_esc(b, x->L->next_title);
    cnrs_buf_puts(b, "</h2>\n<p>");
    cnrs_scorecard *sc = NULL;
    cnrs_error gerr = {0};
    int have = cnrs_scorecard_from_stored(r, c, &sc, &gerr) == CNRS_OK;
    cnrs_gaps g;
    memset(&g, 0, sizeof g);
    if (have)
        cnrs_gaps_compute(r, sc, &g);
    if (have && S_lang_en(x) && g.stage_note[0])
        cnrs_html_esc(b, g.stage_note);
    else
        S_next_note(x, b, c->stage);
    cnrs_buf_puts(b, "</p>\n");
    if (!have) {
        x->st.no_gaps++;
        cnrs_buf_puts(b, "<p class=\"note\">");
        cnrs_html_esc(b, x->L->no_gaps_rubric);
        cnrs_buf_puts(b, "</p>\n");
    } else if (g.n == 0) {
        cnrs_buf_puts(b, "<p class=\"note\">");
        cnrs_html_esc(b, x->L->no_gaps);
        cnrs_buf_puts(b, "</p>\n");
    } else {
        cnrs_buf_puts(b, "<h3>");
        cnrs_html_esc(b, x->L->gaps_title);
        cnrs_buf_puts(b, "</h3>\n<table class=\"gaps\"><thead><tr>");
        S_th(b, x->L->th_points);
        S_th(b, x->L->th_gap);
        S_th(b, x->L->th_indicator);
        S_th(b, x->L->th_band);
        cnrs_buf_puts(b, "</tr></thead><tbody>\n");
        for (size_t i = 0; i < g.n && i < 8; i++) {
            const cnrs_gap *p = &g.v[i];
            cnrs_buf_puts(b, "<tr><td class=\"num\">+");
            S_fixed(b, p->points, 2);
            cnrs_buf_puts(b, "</td><td>");
            S_gap_what(x, b, p);
            if (p->from_stage) {
                cnrs_buf_puts(b, " <span class=\"tag\">");
                S_esc_fmt_d(b, x->L->from_stage, p->from_stage);
                cnrs_buf_puts(b, "</span>");
            }
            cnrs_buf_puts(b, "</td><td>");
            cnrs_html_esc(b, r->indicators[p->indicator].id);
            cnrs_buf_printf(b, "</td><td>%s \xE2\x86\x92 %s</td></tr>\n",
                            cnrs_band_name(p->band_before), cnrs_band_name(p->band_after));
        }
        cnrs_buf_puts(b, "</tbody></table>\n");
    }
    cnrs_buf_puts(b, "</section>\n");
    cnrs_gaps_free(&g);
    cnrs_scorecard_free(sc);
}

static void S_tag(cnrs_buf *b, const char *cls, const char *label)
{
    cnrs_buf_printf(b, "<span class=\"tag %s\">", cls);
    cnrs_html_esc(b, label);
    cnrs_buf_puts(b, "</span>");
}

/* The 16-indicator table; ids link to their evidence below. */
static void S_card_table(S_site *x, const cnrs_stored_card *c)
{
    cnrs_buf *b = &x->page;
    const S_labels *L = x->L;
    cnrs_buf_puts(b, "<section><h2>");
    cnrs_html_esc(b, L->ind_title);
    cnrs_buf_puts(b, "</h2>\n<table class=\"ind sortable\"><thead><tr>");
    const char *ths[] = {L->th_indicator, L->th_name, L->th_stage, L->th_weight, L->th_band,
                         L->th_cov, L->th_quant, L->th_sent, L->th_pct, L->th_pts, L->th_marks};
    /* Each column's explanation on the method page (site_method.h's anchors). */
    const char *cols[] = {NULL,    NULL,   "stage", "weight", "band", "cov",
                          "quant", "sent", "pct",   "pts",    "marks"};
    for (size_t k = 0; k < sizeof ths / sizeof ths[0]; k++) {
        if (!cols[k]) {
            S_th(b, ths[k]);
            continue;
        }
        cnrs_buf_puts(b, "<th>");
        cnrs_html_esc(b, ths[k]);
        cnrs_buf_printf(b, " <a class=\"help\" href=\"../method.html#col-%s\">?</a></th>", cols[k]);
    }
    cnrs_buf_puts(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < c->nind; i++) {
        const cnrs_stored_indicator *d = &c->ind[i];
        cnrs_buf_printf(b, "<tr%s><td>", d->in_stage ? "" : " class=\"out\"");
        if (d->nev) {
            cnrs_buf_printf(b, "<a href=\"#ev-%zu\">", i);
            cnrs_html_esc(b, d->id);
            cnrs_buf_puts(b, "</a>");
        } else {
            cnrs_html_esc(b, d->id);
        }
        cnrs_buf_puts(b, "</td><td>");
        cnrs_html_esc(b, S_ind_name(x, d->id, d->name));
        cnrs_buf_printf(b, "</td><td class=\"num\">%d</td><td class=\"num\">", d->stage);
        S_fixed(b, d->weight, 2);
        cnrs_buf_puts(b, "</td><td>");
        cnrs_html_esc(b, d->band);
        cnrs_buf_printf(b, "</td><td class=\"num\">%d/%d</td><td class=\"num\">", d->covered, d->K);
        S_fixed(b, d->quant, 2);
        cnrs_buf_printf(b, "</td><td class=\"num\">%d</td><td class=\"num\">", d->sentences);
        if (d->reviewed) {
            cnrs_buf_puts(b, "<s>");
            S_fixed(b, d->pct, 1);
            cnrs_buf_puts(b, "</s> ");
            S_fixed(b, d->reviewed_pct, 1);
            cnrs_buf_puts(b, "*");
        } else {
            S_fixed(b, d->pct, 1);
        }
        cnrs_buf_puts(b, "</td><td class=\"num\">");
        if (d->in_stage)
            S_fixed(b, d->weight * d->reviewed_pct / 100.0, 2);
        else
            cnrs_buf_puts(b, "\xE2\x80\x94");
        cnrs_buf_puts(b, "</td><td>");
        if (d->trend)
            S_tag(b, "t", L->m_trend);
        if (d->comparison)
            S_tag(b, "c", L->m_cmp);
        if (d->integration)
            S_tag(b, "i", L->m_int);
        if (d->leadership)
            S_tag(b, "l", L->m_lead);
        if (d->bonus)
            S_tag(b, "b", L->m_bonus);
        if (!d->in_stage)
            S_tag(b, "o", L->m_out);
        cnrs_buf_puts(b, "</td></tr>\n");
    }
    cnrs_buf_puts(b, "</tbody></table>\n</section>\n");
}

static void S_card_reviews(S_site *x, size_t lo, size_t hi)
{
    if (lo == hi)
        return;
    cnrs_buf *b = &x->page;
    const S_labels *L = x->L;
    cnrs_buf_puts(b, "<section><h2>");
    cnrs_html_esc(b, L->reviews_title);
    cnrs_buf_puts(b, "</h2>\n<table class=\"reviews\"><thead><tr>");
    const char *ths[] = {L->th_indicator, L->th_old, L->th_new, L->th_reason, L->th_reviewer,
                         L->th_at};
    for (size_t k = 0; k < sizeof ths / sizeof ths[0]; k++)
        S_th(b, ths[k]);
    cnrs_buf_puts(b, "</tr></thead><tbody>\n");
    for (size_t i = lo; i < hi; i++) {
        const cnrs_store_review *v = &x->rv[i];
        cnrs_buf_printf(b, "<tr%s><td>", v->undone_at ? " class=\"undone\"" : "");
        cnrs_html_esc(b, v->indicator);
        cnrs_buf_puts(b, "</td><td class=\"num\">");
        S_fixed(b, v->old_pct, 1);
        cnrs_buf_puts(b, "</td><td class=\"num\">");
        S_fixed(b, v->new_pct, 1);
        cnrs_buf_puts(b, "</td><td>");
        cnrs_html_esc(b, v->reason);
        cnrs_buf_puts(b, "</td><td>");
        cnrs_html_esc(b, v->reviewer);
        cnrs_buf_puts(b, "</td><td>");
        cnrs_html_esc(b, v->created_at);
        if (v->undone_at) {
            cnrs_buf_puts(b, " (");
            cnrs_html_esc(b, L->undone);
            cnrs_buf_putc(b, ' ');
            cnrs_html_esc(b, v->undone_at);
            cnrs_buf_putc(b, ')');
        }
        cnrs_buf_puts(b, "</td></tr>\n");
    }
    cnrs_buf_puts(b, "</tbody></table>\n</section>\n");
}

/* One evidence record as a list item: page, marks, the sentence, and the
 * section it stands in (its heading path; none when stored without). */
static void S_evidence_li(S_site *x, const cnrs_stored_evidence *e)
{
    cnrs_buf *b = &x->page;
    const S_labels *L = x->L;
    cnrs_buf_puts(b, "<li><span class=\"pg\">");
    if (e->page)
        S_esc_fmt_d(b, L->page_fmt, e->page);
    else
        cnrs_buf_puts(b, "\xE2\x80\x94");
    cnrs_buf_puts(b, "</span> ");
    cnrs_html_esc(b, e->text);
    if (e->quant || e->trend || e->comparison || e->integration || e->leadership) {
        cnrs_buf_puts(b, " ");
        if (e->quant) {
            cnrs_buf t = CNRS_BUF_INIT;
            cnrs_buf_puts(&t, L->m_quant);
            const char *u = e->units;
            int first = 1;
            while (u && *u) {
                const char *comma = strchr(u, ',');
                size_t len = comma ? (size_t)(comma - u) : strlen(u);
                char id[64];
                snprintf(id, sizeof id, "%.*s", (int)(len < 63 ? len : 63), u);
                int k = cnrs_rubric_find_unit(x->r, id);
                cnrs_buf_puts(&t, first ? ": " : ", ");
                first = 0;
                if (k >= 0)
                    cnrs_buf_puts(&t, S_unit_name(x, &x->r->units[k]));
                else
                    cnrs_buf_append(&t, u, len);
                u = comma ? comma + 1 : u + len;
            }
            S_tag(b, "q", cnrs_buf_cstr(&t));
            cnrs_buf_free(&t);
        }
        if (e->trend)
            S_tag(b, "t", L->m_trend);
        if (e->comparison)
            S_tag(b, "c", L->m_cmp);
        if (e->integration)
            S_tag(b, "i", L->m_int);
        if (e->leadership)
            S_tag(b, "l", L->m_lead);
    }
    if (e->section && *e->section) {
        cnrs_buf_puts(b, "<span class=\"sec\">");
        cnrs_html_esc(b, e->section);
        cnrs_buf_puts(b, "</span>");
    }
    cnrs_buf_puts(b, "</li>\n");
}

/* Every evidence sentence of every indicator, grouped by item (in rubric
 * order; items the rubric does not know last), then the items without any. */
static void S_card_evidence(S_site *x, const cnrs_stored_card *c)
{
    cnrs_buf *b = &x->page;
    const S_labels *L = x->L;
    cnrs_buf_puts(b, "<section class=\"evidence\"><h2>");
    cnrs_html_esc(b, L->ev_title);
    cnrs_buf_puts(b, "</h2>\n");
    const char **items = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < c->nind; i++) {
        const cnrs_stored_indicator *d = &c->ind[i];
        const cnrs_indicator *rd = S_rind(x, d->id);
        if (!d->nev && !rd)
            continue;
        cnrs_buf_printf(b, "<section class=\"ev\" id=\"ev-%zu\"><h3>", i);
        cnrs_html_esc(b, d->id);
        cnrs_buf_putc(b, ' ');
        cnrs_html_esc(b, S_ind_name(x, d->id, d->name));
        cnrs_buf_puts(b, "</h3>\n");
        /* Distinct items of this indicator's records, first appearance. */
        size_t nitems = 0;
        for (size_t k = 0; k < d->nev; k++) {
            const char *it = c->ev[d->first_ev + k].item;
            size_t j = 0;
            while (j < nitems && S_strcmp0(items[j], it) != 0)
                j++;
            if (j == nitems) {
                items = cnrs_xgrow(items, &cap, nitems + 1, sizeof *items);
                items[nitems++] = it;
            }
        }
        /* Rubric order: the rubric's items of this indicator first, then
         * items it does not know (a card scored with another rubric). */
        size_t shown = 0;
        cnrs_buf_reset(&x->tmp);
        size_t nr = rd ? rd->nitems : 0;
        for (size_t pass = 0; pass <= nr; pass++) {
            const cnrs_item *ri = pass < nr ? &x->r->items[rd->first_item + pass] : NULL;
            for (size_t j = 0; j < nitems; j++) {
                const char *it = items[j];
                if (ri ? S_strcmp0(it, ri->qid) != 0 : S_item_of(x, rd, it))
                    continue;
                shown++;
                cnrs_buf_puts(b, "<h4>");
                cnrs_html_esc(b, S_or(it, "?"));
                if (ri) {
                    cnrs_buf_putc(b, ' ');
                    cnrs_html_esc(b, S_item_name(x, ri));
                }
                cnrs_buf_puts(b, "</h4>\n<ol>\n");
                for (size_t k = 0; k < d->nev; k++) {
                    const cnrs_stored_evidence *e = &c->ev[d->first_ev + k];
                    if (S_strcmp0(e->item, it) == 0)
                        S_evidence_li(x, e);
                }
                cnrs_buf_puts(b, "</ol>\n");
            }
            if (ri) {
                size_t j = 0;
                while (j < nitems && S_strcmp0(items[j], ri->qid) != 0)
                    j++;
                if (j == nitems) {
                    if (x->tmp.len)
                        cnrs_buf_puts(&x->tmp, L->list_sep);
                    cnrs_buf_puts(&x->tmp, ri->qid);
                    cnrs_buf_putc(&x->tmp, ' ');
                    cnrs_buf_puts(&x->tmp, S_item_name(x, ri));
                }
            }
        }
        if (!shown) {
            cnrs_buf_puts(b, "<p class=\"note\">");
            cnrs_html_esc(b, L->no_evidence);
            cnrs_buf_puts(b, "</p>\n");
        }
        if (x->tmp.len) {
            cnrs_buf_puts(b, "<p class=\"note\">");
            cnrs_html_esc(b, L->uncovered);
            cnrs_html_esc(b, S_cstr(&x->tmp));
            cnrs_buf_puts(b, "</p>\n");
        }
        cnrs_buf_puts(b, "</section>\n");
    }
    free(items);
    cnrs_buf_puts(b, "</section>\n");
}

static void S_dl(cnrs_buf *b, const char *term, const char *value)
{
    cnrs_buf_puts(b, "<dt>");
    cnrs_html_esc(b, term);
    cnrs_buf_puts(b, "</dt><dd>");
    cnrs_html_esc(b, S_or(value, "\xE2\x80\x94"));
    cnrs_buf_puts(b, "</dd>");
}

static void S_card_source(S_site *x, const cnrs_stored_card *c)
{
    cnrs_buf *b = &x->page;
    const S_labels *L = x->L;
    cnrs_buf_puts(b, "<section class=\"source\"><h2>");
    cnrs_html_esc(b, L->source_title);
    cnrs_buf_puts(b, "</h2>\n<dl>");
    char num[64];
    S_dl(b, L->s_file, S_base(c->path));
    cnrs_buf_reset(&x->tmp);
    cnrs_buf_printf(&x->tmp, "%s, %s", S_or(c->format, "?"), S_or(c->encoding, "?"));
    S_dl(b, L->s_format, S_cstr(&x->tmp));
    snprintf(num, sizeof num, "%d", c->pages);
    S_dl(b, L->s_pages, c->paged ? num : NULL);
    snprintf(num, sizeof num, "%d", c->sentences);
    S_dl(b, L->s_sentences, num);
    S_dl(b, L->s_industry, c->industry);
    S_dl(b, L->s_size, c->size);
    S_dl(b, L->s_scored, c->scored_at);
    cnrs_buf_reset(&x->tmp);
    cnrs_buf_printf(&x->tmp, "%s %s (%.12s)", S_or(c->rubric_id, "?"), S_or(c->rubric_version, ""),
                    S_or(c->rubric_sha256, ""));
    S_dl(b, L->s_rubric, S_cstr(&x->tmp));
    S_dl(b, L->s_engine, c->engine_version);
    cnrs_buf_puts(b, "</dl>\n<p class=\"hash\">SHA-256 ");
    cnrs_html_esc(b, c->sha256);
    cnrs_buf_puts(b, "</p>\n</section>\n");
}

/* Load one ranked report's card, write its page, keep its percentages for
 * the heatmap. `k` is its position in x->ent. */
static cnrs_status S_card_page(S_site *x, size_t k)
{
    size_t row = x->ent[k].index;
    const cnrs_store_rank_row *w = &x->rows[row];
    cnrs_stored_card *c = NULL;
    cnrs_status st = cnrs_store_load_card(x->s, w->report_id, 1, &c, x->err);
    if (st != CNRS_OK)
        return st;
    const S_labels *L = x->L;
    cnrs_buf_reset(&x->tmp2);
    cnrs_buf_puts(&x->tmp2, S_or(c->company, "?"));
    if (c->year)
        cnrs_buf_printf(&x->tmp2, " %d", c->year);
    S_head(x, "../", S_cstr(&x->tmp2));
    cnrs_buf *b = &x->page;

    cnrs_buf_puts(b, "<p class=\"crumb\"><a href=\"../index.html\">\xE2\x86\x90 ");
    cnrs_html_esc(b, L->back);
    cnrs_buf_puts(b, "</a></p>\n<h1>");
    cnrs_html_esc(b, S_or(c->company, "?"));
    cnrs_buf_puts(b, "</h1>\n<p class=\"sub\">");
    cnrs_html_esc(b, S_or(c->code, "\xE2\x80\x94"));
    cnrs_buf_puts(b, " \xC2\xB7 ");
    S_year_label(x, b, c->year);
    if (c->report_type) {
        cnrs_buf_puts(b, " \xC2\xB7 ");
        cnrs_html_esc(b, c->report_type);
    }
    if (c->industry) {
        cnrs_buf_puts(b, " \xC2\xB7 ");
        cnrs_html_esc(b, L->industry);
        cnrs_buf_putc(b, ' ');
        cnrs_html_esc(b, c->industry);
    }
    cnrs_buf_puts(b, "</p>\n");

    /* The summary: total, stage, reviewed total, rank in the track. */
    cnrs_buf_printf(b, "<div class=\"summary\"><div class=\"total st%d\"><span class=\"lbl\">",
                    c->stage > 3 ? 3 : c->stage);
    cnrs_html_esc(b, L->total);
    cnrs_buf_puts(b, "</span> <span class=\"big\">");
    S_fixed(b, c->total, 1);
    cnrs_buf_puts(b, "</span>");
    if (c->max > 0) {
        cnrs_buf_puts(b, " / ");
        S_short(b, c->max);
    }
    cnrs_buf_puts(b, "</div><div class=\"stage\">");
    S_stage_label(x, b, c->stage, c->stage_name);
    cnrs_buf_puts(b, "</div>");
    if (c->nreviewed) {
        cnrs_buf_puts(b, "<div class=\"reviewed\">");
        cnrs_html_esc(b, L->reviewed_total);
        cnrs_buf_putc(b, ' ');
        S_fixed(b, c->reviewed_total, 1);
        cnrs_buf_puts(b, "</div>");
    }
    cnrs_buf_puts(b, "<div class=\"rank\">");
    cnrs_buf_reset(&x->tmp);
    if (x->ent[k].rank)
        cnrs_buf_printf(&x->tmp, L->rank_in_track, x->ent[k].rank, x->track_n[k]);
    else
        cnrs_buf_puts(&x->tmp, L->unranked);
    cnrs_html_esc(b, S_cstr(&x->tmp));
    cnrs_buf_puts(b, " \xC2\xB7 ");
    S_year_label(x, b, w->year);
    cnrs_buf_puts(b, " \xC2\xB7 ");
    S_esc_fmt_d(b, L->stage_fmt, w->stage);
    if (x->o->by == CNRS_SITE_BY_STAGE_INDUSTRY) {
        cnrs_buf_puts(b, " \xC2\xB7 ");
        cnrs_html_esc(b, L->industry);
        cnrs_buf_putc(b, ' ');
        cnrs_html_esc(b, S_or(w->industry, L->unknown));
    }
    cnrs_buf_puts(b, "</div></div>\n");

    S_card_next(x, c);

    cnrs_buf_puts(b, "<section class=\"figs\"><h2>");
    cnrs_html_esc(b, L->bars_title);
    cnrs_buf_puts(b, "</h2>\n");
    S_chart_points(x, c);
    size_t pos = x->hist_pos[row];
    if (x->hist_hi[pos] - x->hist_lo[pos] > 1) {
        cnrs_buf_puts(b, "<h2>");
        cnrs_html_esc(b, L->yoy_title);
        cnrs_buf_puts(b, "</h2>\n");
        S_chart_years(x, row);
        /* The other years' pages, when this run writes them. */
        int links = 0;
        for (size_t j = x->hist_lo[pos]; j < x->hist_hi[pos]; j++) {
            size_t o = x->hist[j];
            if (o == row || !x->name[o])
                continue;
            if (!links++) {
                cnrs_buf_puts(b, "<p class=\"years\">");
                cnrs_html_esc(b, L->other_years);
            }
            cnrs_buf_printf(b, "<a href=\"%s\">", x->name[o]);
            S_year_label(x, b, x->rows[o].year);
            cnrs_buf_puts(b, "</a> ");
        }
        if (links)
            cnrs_buf_puts(b, "</p>\n");
    }
    cnrs_buf_puts(b, "</section>\n");

    cnrs_site_inventory(b, c, S_lang_en(x));
    S_card_table(x, c);
    size_t lo, hi;
    S_reviews_of(x, c->report_id, &lo, &hi);
    S_card_reviews(x, lo, hi);
    S_card_evidence(x, c);
    S_card_source(x, c);
    S_foot(x, "../");

    /* Heatmap cells, in the rubric's indicator order. */
    size_t ni = x->r->nindicators;
    for (size_t i = 0; i < c->nind; i++) {
        int j = c->ind[i].id ? cnrs_rubric_find_indicator(x->r, c->ind[i].id) : -1;
        if (j < 0)
            continue;
        x->pct[k * ni + (size_t)j] = c->ind[i].reviewed_pct;
        x->flags[k * ni + (size_t)j] = (unsigned char)(S_F_KNOWN |
                                                       (c->ind[i].in_stage ? S_F_IN_STAGE : 0) |
                                                       (c->ind[i].reviewed ? S_F_REVIEWED : 0));
    }
    cnrs_stored_card_free(c);

    cnrs_buf_reset(&x->tmp);
    cnrs_buf_printf(&x->tmp, "cards/%s", x->name[row]);
    char *rel = cnrs_buf_steal(&x->tmp);
    st = S_put(x, rel, b);
    free(rel);
    if (st == CNRS_OK)
        x->st.reports++;
    return st;
}

/* ---- heatmap -------------------------------------------------------------------- */

static int S_heat_class(double pct)
{
    if (pct <= 0)
        return 0;
    int k = 1 + (int)floor(pct / 10.0);
    return k > 10 ? 10 : k;
}

static void S_heat_legend(S_site *x)
{
    cnrs_buf *b = &x->page;
    const double cw = 46, top = 4;
    cnrs_svg_begin(b, 11 * cw + 80, 44, "chart legend", x->L->legend);
    for (int k = 0; k <= 10; k++) {
        char cls[8], lab[16];
        snprintf(cls, sizeof cls, "h%d", k);
        if (k == 0)
            snprintf(lab, sizeof lab, "0");
        else if (k == 10)
            snprintf(lab, sizeof lab, "90\xE2\x80\x93" "100");
        else
            snprintf(lab, sizeof lab, "%d\xE2\x80\x93%d", (k - 1) * 10, k * 10);
        cnrs_svg_rect(b, k * cw, top, cw - 2, 18, cls, NULL);
        cnrs_svg_text(b, k * cw + (cw - 2) / 2, top + 34, "middle", "small", lab);
    }
    cnrs_svg_text(b, 11 * cw + 4, top + 14, "start", "small", "%");
    cnrs_svg_end(b);
}

static cnrs_status S_heatmap(S_site *x)
{
    const S_labels *L = x->L;
    S_head(x, "", L->heat_title);
    cnrs_buf *b = &x->page;
    cnrs_buf_puts(b, "<h1>");
    cnrs_html_esc(b, L->heat_title);
    cnrs_buf_puts(b, "</h1>\n<p class=\"note\">");
    cnrs_html_esc(b, L->heat_note);
    cnrs_buf_puts(b, "</p>\n");
    S_heat_legend(x);
    cnrs_buf_puts(b, "<p><input type=\"search\" id=\"filter\" placeholder=\"");
    cnrs_html_esc(b, L->filter);
    cnrs_buf_puts(b, "\"/></p>\n");
    if (!x->nent) {
        cnrs_buf_puts(b, "<p>");
        cnrs_html_esc(b, L->no_reports);
        cnrs_buf_puts(b, "</p>\n");
    } else {
        cnrs_buf_puts(b, "<div class=\"scroll\"><table class=\"heat sortable filterable\">"
                         "<thead><tr>");
        S_th(b, L->th_company);
        S_th(b, L->th_code);
        S_th(b, L->th_type);
        S_th(b, L->th_year);
        S_th(b, L->th_stage);
        S_th(b, L->total);
        for (size_t i = 0; i < x->r->nindicators; i++) {
            const cnrs_indicator *d = &x->r->indicators[i];
            cnrs_buf_puts(b, "<th class=\"ic\" title=\"");
            cnrs_html_esc(b, S_ind_name(x, d->id, NULL));
            cnrs_buf_puts(b, "\">");
            cnrs_html_esc(b, d->id);
            cnrs_buf_puts(b, "</th>");
        }
        cnrs_buf_puts(b, "</tr></thead><tbody>\n");
        size_t ni = x->r->nindicators;
        for (size_t k = 0; k < x->nent; k++) {
            const cnrs_store_rank_row *w = &x->rows[x->ent[k].index];
            cnrs_buf_printf(b, "<tr><td class=\"co\"><a href=\"cards/%s\">",
                            x->name[x->ent[k].index]);
            cnrs_html_esc(b, w->company);
            cnrs_buf_puts(b, "</a></td><td>");
            cnrs_html_esc(b, S_or(w->code, ""));
            cnrs_buf_puts(b, "</td><td>");
            cnrs_html_esc(b, S_or(w->report_type, ""));
            cnrs_buf_puts(b, "</td><td class=\"num\">");
            if (w->year)
                cnrs_buf_printf(b, "%d", w->year);
            cnrs_buf_printf(b, "</td><td class=\"num\">%d</td><td class=\"num\">", w->stage);
            S_fixed(b, w->reviewed, 1);
            cnrs_buf_puts(b, "</td>");
            for (size_t i = 0; i < ni; i++) {
                unsigned char f = x->flags[k * ni + i];
                double p = x->pct[k * ni + i];
                if (!(f & S_F_KNOWN)) {
                    cnrs_buf_puts(b, "<td class=\"na\"></td>");
                    continue;
                }
                cnrs_buf_printf(b, "<td class=\"h%d%s\">", S_heat_class(p),
                                f & S_F_IN_STAGE ? "" : " o");
                S_fixed(b, p, 0);
                if (f & S_F_REVIEWED)
                    cnrs_buf_putc(b, '*');
                cnrs_buf_puts(b, "</td>");
            }
            cnrs_buf_puts(b, "</tr>\n");
        }
        cnrs_buf_puts(b, "</tbody></table></div>\n");
    }
    S_foot(x, "");
    return S_put(x, "heatmap.html", b);
}

/* ---- index ------------------------------------------------------------------------ */

static void S_rubric_section(S_site *x)
{
    cnrs_buf *b = &x->page;
    const S_labels *L = x->L;
    const cnrs_rubric *r = x->r;
    cnrs_buf_puts(b, "<section id=\"rubric\"><h2>");
    cnrs_html_esc(b, L->rubric_title);
    cnrs_buf_puts(b, "</h2>\n<p>");
    cnrs_html_esc(b, S_lang_en(x) ? r->title_en : r->title_zh);
    cnrs_buf_puts(b, " (");
    cnrs_html_esc(b, r->id);
    cnrs_buf_putc(b, ' ');
    cnrs_html_esc(b, r->version);
    cnrs_buf_puts(b, ")</p>\n<p class=\"note\">");
    cnrs_html_esc(b, L->rubric_note);
    cnrs_buf_puts(b, "</p>\n");
    /* Weights as bars, grouped by stage through their colour. */
    const double label_w = S_lang_en(x) ? 330 : 240, bar_w = 300, row = 22, top = 6;
    double wmax = 0;
    for (size_t i = 0; i < r->nindicators; i++)
        if (r->indicators[i].weight > wmax)
            wmax = r->indicators[i].weight;
    if (wmax <= 0)
        wmax = 1;
    cnrs_svg_begin(b, label_w + bar_w + 70, top * 2 + row * (double)r->nindicators, "chart",
                   L->rubric_title);
    for (size_t i = 0; i < r->nindicators; i++) {
        const cnrs_indicator *d = &r->indicators[i];
        double y = top + row * (double)i;
        cnrs_buf_reset(&x->tmp);
        cnrs_buf_printf(&x->tmp, "%s %s", d->id, S_ind_name(x, d->id, NULL));
        cnrs_svg_text(b, label_w - 8, y + 15, "end", NULL, S_cstr(&x->tmp));
        cnrs_buf_reset(&x->tmp2);
        cnrs_buf_printf(&x->tmp2, "st%d", d->stage > 3 ? 3 : d->stage);
        double len = bar_w * d->weight / wmax;
        cnrs_svg_rect(b, label_w, y + 3, len, row - 6, S_cstr(&x->tmp2), NULL);
        cnrs_buf_reset(&x->tmp);
        S_fixed(&x->tmp, d->weight, 3);
        cnrs_svg_text(b, label_w + len + 6, y + 15, "start", "small", S_cstr(&x->tmp));
    }
    cnrs_svg_end(b);
    cnrs_buf_puts(b, "<table class=\"rubric\"><thead><tr>");
    S_th(b, L->th_indicator);
    S_th(b, L->th_name);
    S_th(b, L->th_stage);
    S_th(b, L->th_weight);
    S_th(b, L->th_items);
    cnrs_buf_puts(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < r->nindicators; i++) {
        const cnrs_indicator *d = &r->indicators[i];
        cnrs_buf_puts(b, "<tr><td>");
        cnrs_html_esc(b, d->id);
        cnrs_buf_puts(b, "</td><td>");
        cnrs_html_esc(b, S_ind_name(x, d->id, NULL));
        cnrs_buf_printf(b, "</td><td class=\"num\">%d</td><td class=\"num\">", d->stage);
        S_fixed(b, d->weight, 3);
        cnrs_buf_puts(b, "</td><td>");
        for (size_t k = 0; k < d->nitems; k++) {
            if (k)
                cnrs_html_esc(b, L->list_sep);
            cnrs_html_esc(b, S_item_name(x, &r->items[d->first_item + k]));
        }
        cnrs_buf_puts(b, "</td></tr>\n");
    }
    cnrs_buf_puts(b, "</tbody></table>\n<h3>");
    cnrs_html_esc(b, L->th_stage_max);
    cnrs_buf_puts(b, "</h3>\n<table class=\"rubric\"><thead><tr>");
    S_th(b, L->th_stage);
    S_th(b, L->th_name);
    S_th(b, L->th_max);
    cnrs_buf_puts(b, "</tr></thead><tbody>\n");
    for (size_t s = 0; s < r->nstages; s++) {
        cnrs_buf_printf(b, "<tr><td class=\"num\">%d</td><td>", r->stages[s].n);
        cnrs_html_esc(b, S_stage_name(x, r->stages[s].n, NULL));
        cnrs_buf_puts(b, "</td><td class=\"num\">");
        S_short(b, r->stages[s].max);
        cnrs_buf_puts(b, "</td></tr>\n");
    }
    cnrs_buf_puts(b, "</tbody></table>\n</section>\n");
}

/* One year: composition, distributions, the ranking tables by track.
 * [a, e) is the year's slice of x->ent. */
static void S_index_year(S_site *x, size_t a, size_t e, double *scores)
{
    cnrs_buf *b = &x->page;
    const S_labels *L = x->L;
    int year = x->rows[x->ent[a].index].year;
    if (year)
        cnrs_buf_printf(b, "<section class=\"year\" id=\"y%d\"><h2>", year);
    else
        cnrs_buf_puts(b, "<section class=\"year\" id=\"y-unknown\"><h2>");
    S_year_label(x, b, year);
    cnrs_buf_puts(b, " <span class=\"n\">");
    cnrs_buf_reset(&x->tmp);
    cnrs_buf_printf(&x->tmp, e - a == 1 ? L->nreports1 : L->nreports, e - a);
    cnrs_html_esc(b, S_cstr(&x->tmp));
    cnrs_buf_puts(b, "</span></h2>\n");

    int maxstage = 0;
    for (size_t k = a; k < e; k++)
        if (x->ent[k].stage > maxstage)
            maxstage = x->ent[k].stage;
    if (maxstage < (int)x->r->nstages)
        maxstage = (int)x->r->nstages;
    size_t *counts = cnrs_xcalloc((size_t)maxstage + 1, sizeof *counts);
    for (size_t k = a; k < e; k++)
        counts[x->ent[k].stage >= 0 ? x->ent[k].stage : 0]++;
    cnrs_buf_puts(b, "<div class=\"charts\"><figure><figcaption>");
    cnrs_html_esc(b, L->composition);
    cnrs_buf_puts(b, "</figcaption>\n");
    S_chart_composition(x, counts, maxstage, e - a);
    cnrs_buf_puts(b, "</figure>\n");
    /* Entries are ordered by stage (highest first) within the year. */
    for (int s = maxstage; s >= 1; s--) {
        size_t n = 0;
        double max = 0;
        for (size_t k = a; k < e; k++)
            if (x->ent[k].stage == s) {
                scores[n++] = x->ent[k].score;
                max = x->rows[x->ent[k].index].max;
            }
        if (!n)
            continue;
        if (max <= 0)
            max = cnrs_rubric_stage_max(x->r, s);
        cnrs_buf_puts(b, "<figure>");
        S_chart_distribution(x, scores, n, s, max > 0 ? max : 100);
        cnrs_buf_puts(b, "</figure>\n");
    }
    cnrs_buf_puts(b, "</div>\n<h3>");
    cnrs_html_esc(b, L->rankings);
    cnrs_buf_puts(b, "</h3>\n");
    free(counts);

    for (size_t t = a; t < e;) {
        size_t te = t + x->track_n[t];
        const cnrs_store_rank_row *w = &x->rows[x->ent[t].index];
        cnrs_buf_printf(b, "<div class=\"track\"><h4 class=\"st%d\">", w->stage > 3 ? 3 : w->stage);
        S_stage_label(x, b, w->stage, w->stage_name);
        if (x->o->by == CNRS_SITE_BY_STAGE_INDUSTRY) {
            cnrs_buf_puts(b, " \xC2\xB7 ");
            cnrs_html_esc(b, L->industry);
            cnrs_buf_putc(b, ' ');
            cnrs_html_esc(b, S_or(w->industry, L->unknown));
        }
        if (w->stage <= 0) {
            cnrs_buf_puts(b, " \xC2\xB7 ");
            cnrs_html_esc(b, L->unranked);
        }
        cnrs_buf_puts(b, " <span class=\"n\">");
        cnrs_buf_reset(&x->tmp);
        cnrs_buf_printf(&x->tmp, te - t == 1 ? L->nreports1 : L->nreports, te - t);
        cnrs_html_esc(b, S_cstr(&x->tmp));
        cnrs_buf_puts(b, "</span></h4>\n<table class=\"rank sortable filterable\"><thead><tr>");
        S_th(b, L->th_rank);
        S_th(b, L->th_company);
        S_th(b, L->th_code);
        S_th(b, L->th_score);
        S_th(b, L->th_stage);
        S_th(b, L->th_reviewed);
        S_th(b, L->th_type);
        cnrs_buf_puts(b, "</tr></thead><tbody>\n");
        for (size_t k = t; k < te; k++) {
            const cnrs_store_rank_row *v = &x->rows[x->ent[k].index];
            cnrs_buf_puts(b, "<tr><td class=\"num\">");
            if (x->ent[k].rank)
                cnrs_buf_printf(b, "%d", x->ent[k].rank);
            else
                cnrs_buf_puts(b, "\xE2\x80\x94");
            cnrs_buf_printf(b, "</td><td><a href=\"cards/%s\">", x->name[x->ent[k].index]);
            cnrs_html_esc(b, v->company);
            cnrs_buf_puts(b, "</a></td><td>");
            cnrs_html_esc(b, S_or(v->code, ""));
            cnrs_buf_puts(b, "</td><td class=\"num\">");
            S_fixed(b, v->total, 1);
            if (v->max > 0) {
                cnrs_buf_puts(b, " / ");
                S_short(b, v->max);
            }
            cnrs_buf_printf(b, "</td><td class=\"num\">%d</td><td class=\"num\">", v->stage);
            if (v->nreviews)
                S_fixed(b, v->reviewed, 1);
            cnrs_buf_puts(b, "</td><td>");
            cnrs_html_esc(b, S_or(v->report_type, ""));
            cnrs_buf_puts(b, "</td></tr>\n");
        }
        cnrs_buf_puts(b, "</tbody></table></div>\n");
        t = te;
    }
    cnrs_buf_puts(b, "</section>\n");
}

static cnrs_status S_index(S_site *x)
{
    const S_labels *L = x->L;
    S_head(x, "", L->nav_rank);
    cnrs_buf *b = &x->page;
    cnrs_buf_puts(b, "<h1>");
    cnrs_html_esc(b, S_title(x));
    cnrs_buf_puts(b, "</h1>\n");
    if (!x->nent) {
        cnrs_buf_puts(b, "<p>");
        cnrs_html_esc(b, L->no_reports);
        cnrs_buf_puts(b, "</p>\n");
    } else {
        cnrs_buf_puts(b, "<p>");
        cnrs_buf_reset(&x->tmp);
        cnrs_buf_printf(&x->tmp, L->summary, x->nent, x->ncompanies);
        cnrs_html_esc(b, S_cstr(&x->tmp));
        cnrs_buf_puts(b, "</p>\n<p class=\"toc\">");
        int prev = -1;
        for (size_t k = 0; k < x->nent; k++) {
            int y = x->rows[x->ent[k].index].year;
            if (y == prev)
                continue;
            prev = y;
            if (y)
                cnrs_buf_printf(b, "<a href=\"#y%d\">", y);
            else
                cnrs_buf_puts(b, "<a href=\"#y-unknown\">");
            S_year_label(x, b, y);
            cnrs_buf_puts(b, "</a> ");
        }
        cnrs_buf_puts(b, "<a href=\"heatmap.html\">");
        cnrs_html_esc(b, L->nav_heat);
        cnrs_buf_puts(b, "</a> <a href=\"method.html#rubric\">");
        cnrs_html_esc(b, L->nav_rubric);
        cnrs_buf_puts(b, "</a></p>\n<p><input type=\"search\" id=\"filter\" placeholder=\"");
        cnrs_html_esc(b, L->filter);
        cnrs_buf_puts(b, "\"/></p>\n");
        double *scores = cnrs_xcalloc(x->nent, sizeof *scores);
        for (size_t a = 0; a < x->nent;) {
            size_t e = a;
            int y = x->rows[x->ent[a].index].year;
            while (e < x->nent && x->rows[x->ent[e].index].year == y)
                e++;
            S_index_year(x, a, e, scores);
            a = e;
        }
        free(scores);
    }
    S_foot(x, "");
    return S_put(x, "index.html", b);
}

/* The method page: how scores are made (site_method.c), then the weights. */
static cnrs_status S_method(S_site *x)
{
    S_head(x, "", x->L->nav_method);
    cnrs_site_method(&x->page, x->r, S_lang_en(x));
    S_rubric_section(x);
    S_foot(x, "");
    return S_put(x, "method.html", &x->page);
}

/* ---- style sheet and script ------------------------------------------------------ */

static const char S_css[] =
    ":root{--st0:#9e9e9e;--st1:#f2a93b;--st2:#039be5;--st3:#2e7d32;--ink:#1d2329;--muted:#5f6b76;"
    "--line:#d6dbe0}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:var(--ink);background:#fff;line-height:1.5;font-size:15px;"
    "font-family:\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\",\"Noto Sans CJK SC\","
    "\"Source Han Sans SC\",\"Noto Sans SC\",\"WenQuanYi Micro Hei\",\"Helvetica Neue\",Arial,"
    "sans-serif}\n"
    "html[lang=en] body{font-family:-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,"
    "\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\",\"Noto Sans CJK SC\","
    "\"Source Han Sans SC\",sans-serif}\n"
    "nav.top{background:#20303c;color:#fff;padding:8px 24px}\n"
    "nav.top a{color:#cfe8ff;margin-left:18px;text-decoration:none}\n"
    "nav.top a:hover{text-decoration:underline}\n"
    ".brand{font-weight:bold}\n"
    "main{max-width:1200px;margin:0 auto;padding:8px 24px 24px}\n"
    "footer{max-width:1200px;margin:0 auto;padding:12px 24px;color:var(--muted);font-size:12px;"
    "border-top:1px solid var(--line)}\n"
    "h1{font-size:26px;margin:16px 0 4px}\n"
    "h2{font-size:20px;margin:28px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}\n"
    "h3{font-size:17px;margin:20px 0 6px}\n"
    "h4{font-size:15px;margin:16px 0 4px}\n"
    ".n,.note,.sub,.hash{color:var(--muted)}\n"
    ".n{font-weight:normal;font-size:.85em}\n"
    ".hash{font-size:12px;word-break:break-all}\n"
    "a{color:#0b62a4}\n"
    "table{border-collapse:collapse;margin:6px 0 14px;font-size:14px}\n"
    "th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#eef2f5;white-space:nowrap}\n"
    "table.sortable th{cursor:pointer;user-select:none}\n"
    "th a.help{font-weight:normal;font-size:11px;text-decoration:none;color:var(--muted)}\n"
    "footer p{margin:2px 0}\n"
    "table.sortable th[data-dir=asc]::after{content:\" \\25B2\"}\n"
    "table.sortable th[data-dir=desc]::after{content:\" \\25BC\"}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "table.rank{min-width:640px}\n"
    "tr.out td{color:var(--muted)}\n"
    "tr.undone td{color:var(--muted);text-decoration:line-through}\n"
    ".tag{display:inline-block;font-size:12px;line-height:1.3;padding:0 5px;margin:1px 2px;"
    "border-radius:3px;background:#eef2f5;border:1px solid var(--line);white-space:nowrap}\n"
    ".tag.q{background:#e8f5e9}.tag.t{background:#e3f2fd}.tag.c{background:#fff3e0}"
    ".tag.i{background:#f3e5f5}.tag.l{background:#fffde7}.tag.b{background:#fce4ec}"
    ".tag.o{background:#fafafa;color:var(--muted)}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:12px 28px;align-items:flex-start}\n"
    "figure{margin:0}\n"
    "figcaption{font-weight:bold;font-size:14px;margin-bottom:2px}\n"
    "svg.chart{display:block;max-width:100%;height:auto;margin:6px 0}\n"
    "svg text{font-size:13px;fill:var(--ink)}\n"
    "svg text.small{font-size:11.5px}\n"
    "svg text.ttl{font-weight:bold;font-size:14px}\n"
    "svg text.dim{fill:var(--muted)}\n"
    "svg .axis{stroke:#555;stroke-width:1}\n"
    "svg .grid{stroke:#ddd;stroke-width:1;stroke-dasharray:3 3}\n"
    "svg .wt{fill:#fff;stroke:#9aa5ae;stroke-width:1}\n"
    "svg .pt{fill:#2e7d32}\n"
    "svg .cur{stroke:#111;stroke-width:2}\n"
    /* Scopes in the inventory's chart and table rows (site_inventory.c). */
    ".sc1{fill:#37474f;--sc:#37474f}.sc2{fill:#0288d1;--sc:#0288d1}.sc12{fill:#78909c;--sc:#78909c}"
    ".sc3{fill:#8bc34a;--sc:#8bc34a}.sct{fill:#bdbdbd;--sc:#bdbdbd}\n"
    "tr[class^=sc] td:first-child{border-left:6px solid var(--sc)}\n"
    "span.src{border-bottom:1px dotted var(--muted);cursor:help}\n"
    ".st0{fill:var(--st0)}.st1{fill:var(--st1)}.st2{fill:var(--st2)}.st3{fill:var(--st3)}\n"
    "h4.st0,h4.st1,h4.st2,h4.st3{border-left:6px solid;padding-left:8px}\n"
    "h4.st0{border-color:var(--st0)}h4.st1{border-color:var(--st1)}"
    "h4.st2{border-color:var(--st2)}h4.st3{border-color:var(--st3)}\n"
    ".summary{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:baseline;margin:12px 0;"
    "padding:12px 16px;background:#f5f8fa;border:1px solid var(--line);border-radius:6px}\n"
    ".summary .big{font-size:34px;font-weight:bold}\n"
    ".summary .lbl{color:var(--muted)}\n"
    ".summary .stage{font-size:17px;font-weight:bold}\n"
    ".evidence ol{margin:4px 0 10px;padding-left:28px}\n"
    ".evidence li{margin:3px 0}\n"
    ".pg{display:inline-block;min-width:4.5em;color:var(--muted);font-size:12px}\n"
    ".sec{display:block;margin-left:4.5em;color:var(--muted);font-size:12px}\n"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}\n"
    "dt{color:var(--muted)}dd{margin:0}\n"
    "#filter{font:inherit;padding:4px 8px;width:22em;max-width:100%}\n"
    ".toc a{margin-right:14px}\n"
    ".scroll{overflow-x:auto}\n"
    "table.heat{font-size:12px}\n"
    "table.heat td,table.heat th{padding:2px 5px}\n"
    "table.heat td.co{max-width:16em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}\n"
    "table.heat th{position:sticky;top:0;z-index:1}\n"
    "table.heat td[class^=h]{text-align:right;font-variant-numeric:tabular-nums;min-width:3.2em}\n"
    "td.o{font-style:italic;opacity:.55}\n"
    ".h0{background:#f4f4f4;fill:#f4f4f4}"
    ".h1{background:#f1f8e9;fill:#f1f8e9}.h2{background:#dcedc8;fill:#dcedc8}"
    ".h3{background:#c5e1a5;fill:#c5e1a5}.h4{background:#aed581;fill:#aed581}"
    ".h5{background:#9ccc65;fill:#9ccc65}.h6{background:#7cb342;fill:#7cb342}"
    ".h7{background:#689f38;fill:#689f38;color:#fff}.h8{background:#558b2f;fill:#558b2f;color:#fff}"
    ".h9{background:#33691e;fill:#33691e;color:#fff}"
    ".h10{background:#1b4d12;fill:#1b4d12;color:#fff}\n"
    "svg.legend rect{stroke:#bbb;stroke-width:.5}\n"
    "[hidden]{display:none !important}\n"
    "@media print{nav.top,#filter{display:none}main{max-width:none;padding:0}"
    "body{font-size:11pt}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "h2,h3,h4{break-after:avoid}tr,figure,li{break-inside:avoid}"
    "table.heat th{position:static}}\n";

/* Sorting by a click on a column header, filtering rows by the search box.
 * When it ran through without an error it marks <html data-js="ok">, which
 * tests/browser.sh looks for in the rendered DOM. */
static const char S_js[] =
    "(function () {\n"
    "  'use strict';\n"
    "  function key(td) {\n"
    "    var t = td ? td.textContent.trim() : '';\n"
    "    var m = /^[-+]?[0-9]+(\\.[0-9]+)?/.exec(t);\n"
    "    return m ? [0, parseFloat(m[0]), t] : [1, 0, t.toLowerCase()];\n"
    "  }\n"
    "  function cmp(a, b) {\n"
    "    if (a[0] !== b[0]) return a[0] - b[0];\n"
    "    if (a[0] === 0 && a[1] !== b[1]) return a[1] - b[1];\n"
    "    return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;\n"
    "  }\n"
    "  function sortBy(table, th) {\n"
    "    var col = th.cellIndex, body = table.tBodies[0];\n"
    "    if (!body) return;\n"
    "    var dir = th.getAttribute('data-dir') === 'asc' ? 'desc' : 'asc';\n"
    "    var ths = table.tHead.rows[0].cells;\n"
    "    for (var i = 0; i < ths.length; i++) ths[i].removeAttribute('data-dir');\n"
    "    th.setAttribute('data-dir', dir);\n"
    "    var rows = Array.prototype.slice.call(body.rows).map(function (tr, i) {\n"
    "      return {tr: tr, k: key(tr.cells[col]), i: i};\n"
    "    });\n"
    "    rows.sort(function (a, b) {\n"
    "      var c = cmp(a.k, b.k);\n"
    "      return (dir === 'asc' ? c : -c) || a.i - b.i;\n"
    "    });\n"
    "    var frag = document.createDocumentFragment();\n"
    "    rows.forEach(function (r) { frag.appendChild(r.tr); });\n"
    "    body.appendChild(frag);\n"
    "  }\n"
    "  var tables = document.querySelectorAll('table.sortable');\n"
    "  Array.prototype.forEach.call(tables, function (table) {\n"
    "    if (!table.tHead) return;\n"
    "    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {\n"
    "      th.addEventListener('click', function () { sortBy(table, th); });\n"
    "    });\n"
    "  });\n"
    "  var box = document.getElementById('filter');\n"
    "  if (box) {\n"
    "    var rows = document.querySelectorAll('table.filterable tbody tr');\n"
    "    box.addEventListener('input', function () {\n"
    "      var q = box.value.trim().toLowerCase();\n"
    "      Array.prototype.forEach.call(rows, function (tr) {\n"
    "        tr.hidden = q !== '' && tr.textContent.toLowerCase().indexOf(q) < 0;\n"
    "      });\n"
    "    });\n"
    "  }\n"
    "  document.documentElement.setAttribute('data-js', 'ok');\n"
    "})();\n";

static cnrs_status S_static(S_site *x, const char *rel, const char *text, size_t len)
{
    cnrs_buf_reset(&x->page);
    cnrs_buf_append(&x->page, text, len);
    return S_put(x, rel, &x->page);
}

/* ---- entry point ---------------------------------------------------------------------- */

/* The index of `name` in names[0..n), or -1. */
static int S_pick(const char *name, const char *const *names, int n)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

int cnrs_site_lang_from_name(const char *name)
{
    static const char *const names[] = {"zh", "en"}; /* cnrs_site_lang order */
    return S_pick(name, names, 2);
}

int cnrs_site_by_from_name(const char *name)
{
    static const char *const names[] = {"stage", "stage-industry"}; /* cnrs_site_by order */
    return S_pick(name, names, 2);
}

static void S_free(S_site *x)
{
    cnrs_buf_free(&x->page);
    cnrs_buf_free(&x->tmp);
    cnrs_buf_free(&x->tmp2);
    cnrs_buf_free(&x->path);
    cnrs_buf_free(&x->tpath);
    if (x->name)
        for (size_t i = 0; i < x->nrows; i++)
            free(x->name[i]);
    free(x->name);
    free(x->ent);
    free(x->track_n);
    free(x->hist);
    free(x->hist_pos);
    free(x->hist_lo);
    free(x->hist_hi);
    free(x->pct);
    free(x->flags);
    cnrs_store_rank_rows_free(x->rows, x->nrows);
    cnrs_store_reviews_free(x->rv, x->nrv);
}

cnrs_status cnrs_site_write(cnrs_store *s, const cnrs_site_opts *o, cnrs_site_stats *stats,
                            cnrs_error *err)
{
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!o || !o->out_dir || !*o->out_dir)
        return cnrs_error_set(err, CNRS_ERR_USAGE, "no output directory");
    if (!o->rubric)
        return cnrs_error_set(err, CNRS_ERR_USAGE, "no rubric");
    S_site x;
    memset(&x, 0, sizeof x);
    x.o = o;
    x.r = o->rubric;
    x.L = o->lang == CNRS_SITE_EN ? &S_en : &S_zh;
    x.s = s;
    x.err = err;
    cnrs_status st = S_mkdirs(o->out_dir, err);
    if (st == CNRS_OK)
        st = S_subdir(&x, "cards");
    if (st == CNRS_OK)
        st = cnrs_store_rank_rows(s, 0, &x.rows, &x.nrows, err);
    if (st == CNRS_OK)
        st = cnrs_store_reviews(s, 0, 0, &x.rv, &x.nrv, err);
    if (st == CNRS_OK) {
        if (x.nrv) /* rv is NULL without reviews */
            qsort(x.rv, x.nrv, sizeof *x.rv, S_rv_cmp);
        S_prepare(&x);
        st = S_static(&x, "site.css", S_css, sizeof S_css - 1);
    }
    if (st == CNRS_OK)
        st = S_static(&x, "site.js", S_js, sizeof S_js - 1);
    for (size_t k = 0; st == CNRS_OK && k < x.nent; k++)
        st = S_card_page(&x, k);
    if (st == CNRS_OK)
        st = S_heatmap(&x);
    if (st == CNRS_OK)
        st = S_method(&x);
    if (st == CNRS_OK)
        st = S_index(&x);
    if (stats)
        *stats = x.st;
    S_free(&x);
    return st;
}
