/* cmd_report.c - `cnrs report`: the static site of a database (site.h).
 * Options, messages and exit statuses; the work is site.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "rubric.h"
#include "site.h"
#include "store.h"
#include "util.h"

static const char S_usage_line[] =
    "usage: cnrs report --db FILE --out DIR [--lang zh|en] [--year Y] [--rubric FILE]\n"
    "                   [--title TEXT] [--date YYYY-MM-DD] [--by stage|stage-industry]\n";

static int S_usage(const char *msg)
{
    if (msg)
        fprintf(stderr, "cnrs report: %s\n", msg);
    fputs(S_usage_line, stderr);
    return CNRS_EXIT_USAGE;
}

static double S_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Whether `s` is a calendar date written YYYY-MM-DD (years 1990-2099). */
static int S_date_ok(const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return 0;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1990 || y > 2099 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    return !(m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

int cnrs_cmd_report(int argc, char **argv)
{
    const char *db = NULL, *out = NULL, *lang_s = "zh", *year_s = NULL, *rubric_path = NULL;
    const char *title = NULL, *date = NULL, *by_s = "stage";
    for (int i = 0; i < argc;) {
        const char *v = NULL;
        int rc = 0;
        const char *names[] = {"--db",     "--out",   "--lang", "--year",
                               "--rubric", "--title", "--date", "--by"};
        const char **dst[] = {&db, &out, &lang_s, &year_s, &rubric_path, &title, &date, &by_s};
        size_t k = 0;
        for (; k < sizeof names / sizeof names[0]; k++)
            if ((rc = cnrs_cli_option(argc, argv, &i, names[k], &v)) != 0)
                break;
        if (rc < 0) {
            fprintf(stderr, "cnrs report: option %s needs a value\n", names[k]);
            return S_usage(NULL);
        }
        if (rc > 0) {
            *dst[k] = v;
            continue;
        }
        fprintf(stderr, "cnrs report: unexpected argument \"%s\"\n", argv[i]);
        return S_usage(NULL);
    }
    if (!db)
        return S_usage("--db FILE is required");
    if (!out || !*out)
        return S_usage("--out DIR is required (the directory the site is written to)");
    int lang = cnrs_site_lang_from_name(lang_s);
    if (lang < 0) {
        fprintf(stderr, "cnrs report: unknown language \"%s\" (use zh or en)\n", lang_s);
        return S_usage(NULL);
    }
    int by = cnrs_site_by_from_name(by_s);
    if (by < 0) {
        fprintf(stderr, "cnrs report: unknown --by \"%s\" (use stage or stage-industry)\n", by_s);
        return S_usage(NULL);
    }
    char today[16];
    if (date && !S_date_ok(date)) {
        fprintf(stderr, "cnrs report: --date must be a date written YYYY-MM-DD (got \"%s\")\n",
                date);
        return S_usage(NULL);
    }
    if (!date) { /* the day the site is made, in UTC */
        time_t now = time(NULL);
        struct tm tm;
        if (gmtime_r(&now, &tm) && strftime(today, sizeof today, "%Y-%m-%d", &tm))
            date = today;
    }
    int year = 0;
    if (year_s) {
        char *end;
        long y = strtol(year_s, &end, 10);
        if (!*year_s || *end || y < 1990 || y > 2099) {
            fprintf(stderr, "cnrs report: --year must be a number from 1990 to 2099 (got \"%s\")\n",
                    year_s);
            return S_usage(NULL);
        }
        year = (int)y;
    }

    cnrs_rubric *r = cnrs_cli_rubric(rubric_path);
    if (!r)
        return CNRS_EXIT_RUBRIC;
    cnrs_store *s = NULL;
    cnrs_error err = {0};
    cnrs_store_opts so = {CNRS_STORE_READ, 0, NULL, NULL, NULL, 0};
    double t0 = S_now();
    cnrs_site_stats st;
    memset(&st, 0, sizeof st);
    cnrs_status cs = cnrs_store_open(db, &so, &s, &err);
    if (cs == CNRS_OK) {
        cnrs_site_opts o = {out, (cnrs_site_lang)lang, year, r, title, date, (cnrs_site_by)by};
        cs = cnrs_site_write(s, &o, &st, &err);
    }
    cnrs_store_close(s);
    cnrs_rubric_free(r);
    if (cs != CNRS_OK) {
        fprintf(stderr, "cnrs: %s\n", err.msg);
        return cs == CNRS_ERR_USAGE ? CNRS_EXIT_USAGE : CNRS_EXIT_INPUT_BASE + (int)cs;
    }
    if (st.reports == 0) {
        if (year)
            fprintf(stderr, "cnrs report: no scored reports for %d in %s\n", year, db);
        else
            fprintf(stderr, "cnrs report: no scored reports in %s\n", db);
    }
    if (st.no_gaps)
        fprintf(stderr, "cnrs report: note: %zu report%s scored with another rubric version: "
                        "shown without gaps (--rubric FILE selects the rubric they used)\n",
                st.no_gaps, st.no_gaps == 1 ? "" : "s");
    printf("cnrs report: %zu scorecard%s, %zu files, %.1f MB in %.2f s\n", st.reports,
           st.reports == 1 ? "" : "s", st.files, (double)st.bytes / 1e6, S_now() - t0);
    /* The index's path, to open or to paste (no control characters). */
    cnrs_buf b = CNRS_BUF_INIT;
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/')
        n--;
    char *dir = cnrs_xstrndup(out, n);
    cnrs_buf_put_printable(&b, dir);
    printf("%s%sindex.html\n", cnrs_buf_cstr(&b), strcmp(dir, "/") == 0 ? "" : "/");
    free(dir);
    cnrs_buf_free(&b);
    return CNRS_EXIT_OK;
}
