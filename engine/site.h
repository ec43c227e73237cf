/* site.h - the static site of a database: rankings, scorecards, a heatmap.
 *
 * cnrs_site_write reads a cnrs database (store.h) and writes a self-contained
 * site into a directory: plain HTML and CSS, one small script for sorting and
 * filtering tables, charts as inline SVG; nothing is fetched from anywhere.
 *
 *   DIR/index.html       per year: the stage composition of the corpus, a
 *                        score distribution per stage, one ranking table per
 *                        track (the stage, or stage x industry with
 *                        CNRS_SITE_BY_STAGE_INDUSTRY); stage-0 reports are
 *                        listed without a rank
 *   DIR/method.html      how the scores are made (site_method.h): automatic
 *                        reading and how to ask for a review, stages, bands,
 *                        depth, dimensions, bonus; then the rubric's weights
 *   DIR/heatmap.html     indicator percentages, companies x indicators
 *   DIR/cards/NAME.html  one scorecard per ranked report (company, year,
 *                        report type): total, stage, what the next stage
 *                        needs and the gaps worth most, points against
 *                        weight, scores across years, the 16 indicators,
 *                        reviews, and every evidence sentence by item with
 *                        its page
 *   DIR/site.css, DIR/site.js
 *
 * Every page links to method.html and carries the date in its footer; no
 * page names a file of the machine it was made on.
 *
 * Safety: every string that came from a report, a file name or a manifest
 * is escaped (html.h), and file names are built only from the stock code
 * reduced to [A-Za-z0-9_-], the year and the report id
 * ("600736-2023-r12.html"), so no name can leave DIR or inject markup. Pages
 * are well-formed XML as well as HTML. Each file is written under a
 * temporary name in its directory and renamed into place, so a failed or
 * killed run never leaves a half-written page; the index is written last,
 * so it only links to pages that exist. Pages of an earlier run that this
 * run does not write again are left as they are.
 *
 * Cost: one pass over the ranked reports; each scorecard is loaded once
 * (with its evidence), written and freed, keeping only its 16 percentages
 * for the heatmap; one page buffer is reused throughout.
 */
#ifndef CNRS_SITE_H
#define CNRS_SITE_H

#include <stddef.h>

#include "rubric.h"
#include "store.h"
#include "util.h"

typedef enum cnrs_site_lang { CNRS_SITE_ZH = 0, CNRS_SITE_EN = 1 } cnrs_site_lang;

/* How ranking tables are split: by stage only (the default), or by stage
 * and industry (the track of spec section 3). */
typedef enum cnrs_site_by { CNRS_SITE_BY_STAGE = 0, CNRS_SITE_BY_STAGE_INDUSTRY = 1 } cnrs_site_by;

typedef struct cnrs_site_opts {
    const char *out_dir;       /* created (with its parents) when missing */
    cnrs_site_lang lang;       /* labels; report text is shown as it is */
    int year;                  /* 0 = every year */
    const cnrs_rubric *rubric; /* names, weights, stage rules; the gaps of cards
                                  scored with this rubric (same SHA-256) */
    const char *title;         /* the site's title, or NULL for the default */
    const char *date;          /* shown on every page ("2024-06-30"), or NULL */
    cnrs_site_by by;           /* how ranking tables are split */
} cnrs_site_opts;

typedef struct cnrs_site_stats {
    size_t reports;  /* scorecard pages written */
    size_t files;    /* all files written */
    size_t bytes;    /* their total size */
    size_t no_gaps;  /* cards scored with another rubric: shown without gaps */
} cnrs_site_stats;

/* Write the site of the store `s` (open for reading) as described above.
 * `stats` may be NULL. Returns CNRS_OK, or:
 *   CNRS_ERR_USAGE  out_dir NULL or empty;
 *   CNRS_ERR_IO     DIR cannot be created or is not a directory, a file cannot
 *                   be written (err names it, with the errno text); files
 *                   already renamed into place stay, complete;
 *   CNRS_ERR_DB     a query failed.
 * A database without scored reports (for `year`) gives a site that says so. */
cnrs_status cnrs_site_write(cnrs_store *s, const cnrs_site_opts *o, cnrs_site_stats *stats,
                            cnrs_error *err);

/* The language named "zh" or "en"; -1 for anything else. */
int cnrs_site_lang_from_name(const char *name);

/* The split named "stage" or "stage-industry"; -1 for anything else. */
int cnrs_site_by_from_name(const char *name);

#endif
