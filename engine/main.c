/* main.c - the cnrs command line: parses options, runs the engine, prints,
 * and owns exit statuses. Nothing below this file prints or exits.
 *
 * Exit statuses:
 *   0  success
 *   1  findings: `rubric check` found problems; `eval`: a metric below its
 *      floor
 *   2  usage error
 *   3  the rubric could not be loaded
 *   10 + cnrs_status for the first input that failed (the others are still
 *      processed): 11 io, 12 format, 13 empty, 14 encoding, 15 binary,
 *      16 parse, 18 limit (also PDF output over the cap), 20 PDF without a
 *      text layer (with --ocr never, or OCR found no text), 21 encrypted
 *      PDF, 22 corrupt PDF (or pdftoppm/tesseract failed on a page), 23
 *      pdftohtml, pdftoppm or tesseract (or its language data) missing,
 *      24 pdftohtml, pdftoppm or tesseract timed out
 *   25 (10 + CNRS_ERR_DB) a database that is not a cnrs database, has a newer
 *      schema version, or fails (locked past the busy timeout, disk full)
 *   130 a batch interrupted by Ctrl-C (SIGINT) at a report boundary, its run
 *      closed as interrupted; the same command resumes it
 * The database commands (batch, rank --db, show, history, review, export,
 * merge) live in cmd_db.c (cli.h); there 1 also means "nothing matched"
 * (show, history, review: no such company, report or review).
 */
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "eval.h"
#include "extract.h"
#include "gaps.h"
#include "ingest.h"
#include "meta.h"
#include "output.h"
#include "pipeline.h"
#include "prefilter.h"
#include "rank.h"
#include "rubric.h"
#include "score.h"
#include "segment.h"
#include "util.h"
#include "version.h"
#include "cli.h"

enum { EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_RUBRIC = 3, EXIT_INPUT_BASE = 10 };

/* One entry per command form (rank and gaps have two): `cnrs help` prints
 * them all, `cnrs help CMD`, `cnrs CMD --help` and `cnrs CMD -h` those of
 * CMD. docs/cnrs.1 says the same at length. */
static const struct {
    const char *cmd;
    const char *text;
} S_usage[] = {
    {"score", "  score [--rubric FILE] [--format text|json] [--top N] [--type txt|html|pdf]\n"
              "        [--pdf-timeout S] [--max-bytes N] [--ocr auto|never|always] FILE...\n"
              "        score reports (.txt, .html, .pdf, pdftohtml .xml); text scorecards or one\n"
              "        JSON object per line; FILE - reads standard input as --type (txt)\n"},
    {"rank", "  rank [--rubric FILE] [--format text|csv|json] [--pdf-timeout S] [--ocr MODE] PATH...\n"
             "        score files and directories and rank them by stage (tracks never mix);\n"
             "        files of other types in a directory are skipped with a warning\n"},
    {"batch", "  batch --db FILE [--manifest CSV] [--jobs N] [--force] [--shard i/N] [--quiet]\n"
              "        [--rubric FILE] [--busy-timeout SECONDS] [--pdf-timeout S] [--ocr MODE] PATH...\n"
              "        score files and directories into an SQLite database; resumable. Paths in\n"
              "        the manifest are relative to the manifest's folder. Per company, year\n"
              "        and type the file named last is the one ranked. Ctrl-C stops at the\n"
              "        next report, prints the summary and exits 130; run it again to resume\n"},
    {"rank", "  rank --db FILE [--year Y] [--track stage|stage,industry|stage,industry,size]\n"
             "        [--format text|csv|json|xlsx [--out FILE]]\n"
             "        rank stored reports by year and track, with reviewed scores\n"},
    {"show", "  show --db FILE [--year Y] [--format text|json] [--top N] COMPANY-OR-CODE\n"
             "        the stored scorecard with its evidence\n"},
    {"history", "  history --db FILE [--format text|csv] COMPANY-OR-CODE\n"
                "        scores and per-indicator changes across years\n"},
    {"review", "  review --db FILE --company C --year Y --indicator ID --pct P --reason TEXT\n"
               "        [--reviewer NAME] | --list [--company C] [--year Y] | --undo ID\n"
               "        record, list or undo a human override of one indicator\n"},
    {"export", "  export --db FILE [--format csv|jsonl|xlsx] [--what scores|indicators|evidence|figures]\n"
               "        [--year Y] [--out FILE]\n"
               "        stored results for spreadsheets (CSV with BOM, an xlsx workbook of every\n"
               "        sheet) or JSON Lines\n"},
    {"merge", "  merge [--quiet] OUT.db IN.db...\n"
              "        combine databases (e.g. batch --shard outputs) into OUT.db\n"},
    {"report", "  report --db FILE --out DIR [--lang zh|en] [--year Y] [--rubric FILE]\n"
               "        [--title TEXT] [--date YYYY-MM-DD] [--by stage|stage-industry]\n"
               "        a static site: rankings, scorecards with evidence, heatmap, method, charts\n"},
    {"gaps", "  gaps [--rubric FILE] [--format text|json] [--top N] [--type txt|html|pdf] FILE...\n"
             "  gaps --db FILE --company NAME-OR-CODE [--year Y] [--format text|json] [--top N]\n"
             "        self-assessment: what the next stage needs and the missing items and\n"
             "        dimensions ranked by the points each would add, with example phrases\n"},
    {"classify", "  classify [--rubric FILE]\n"
                 "        one sentence per stdin line -> TSV: line, indicators, items, quant, "
                 "trend,\n"
                 "        comparison, integration\n"},
    {"eval", "  eval [--rubric FILE] [--json OUT] [--floors FILE] [--jobs N] DIR\n"
             "        measure the engine against hand-coded reports and sentences (corpora/real,\n"
             "        docs/eval.md); exit 1 when a metric is below its floor\n"},
    {"figures", "  figures [--rubric FILE] [--format tsv|json] [--type txt|html|pdf] [--pdf-timeout S]\n"
                "        FILE...\n"
                "        each report's own GHG inventory: scope, basis, year, value, unit, tCO2e\n"},
    {"text", "  text [--format text|json] [--type txt|html|pdf] [--pdf-timeout S] [--ocr MODE]\n"
             "        FILE...\n"
             "        the normalised sentences the scorer sees, with pages, block kinds and\n"
             "        sections (heading paths)\n"},
    {"rubric", "  rubric check|show|weights|cues [FILE]\n"
               "        validate a rubric, list its indicators and items, its weights, or the\n"
               "        literal cue set the prefilter scans for (one per line)\n"},
    {"bench", "  bench [--jobs N] [--naive] [--repeat K] PATH...\n"
              "        time the full pipeline (scorecards discarded): MB/s, peak RSS; with\n"
              "        --repeat, the median milliseconds of scoring the first file K times\n"},
    {"help", "  help [COMMAND]\n"
             "        this text, or one command's usage (also: cnrs COMMAND --help or -h)\n"},
    {"version", "  version\n"},
};

static const char S_usage_head[] = "usage: cnrs COMMAND [OPTIONS] [ARGS]\n\n";
static const char S_usage_tail[] =
    "\nOptions may come before or after the operands; -- ends them. Exit status: 0 ok,\n"
    "1 findings or no match, 2 usage, 3 rubric, 10 + cause for the first input that\n"
    "failed, 25 database, 130 batch interrupted. See man cnrs.\n"
    "--ocr: PDF pages without a text layer are read with Tesseract (auto, the\n"
    "default), never (exit 20 for a PDF without text), or every page (always);\n"
    "pages run in parallel (batch: --jobs), each program under --pdf-timeout;\n"
    "needs tesseract-ocr with chi-sim, chi-tra and eng data (docs/ocr.md).\n";

/* Print the usage of `cmd` (NULL: every command) to `f`; 0 when there is no
 * such command. */
static int S_print_usage(FILE *f, const char *cmd)
{
    int found = 0;
    fputs(cmd ? "usage: cnrs\n" : S_usage_head, f);
    for (size_t k = 0; k < sizeof S_usage / sizeof S_usage[0]; k++)
        if (!cmd || strcmp(cmd, S_usage[k].cmd) == 0) {
            fputs(S_usage[k].text, f);
            found = 1;
        }
    fputs(S_usage_tail, f);
    return found;
}

static int S_is_command(const char *cmd)
{
    for (size_t k = 0; k < sizeof S_usage / sizeof S_usage[0]; k++)
        if (strcmp(cmd, S_usage[k].cmd) == 0)
            return 1;
    return 0;
}

/* ---- option parsing ----------------------------------------------------------- */

/* --pdf-timeout SECONDS, --max-bytes N and --ocr MODE, for every command
 * that reads reports. */
static int S_ingest_opt(cnrs_cli *c, cnrs_ingest_opts *o)
{
    const char *v = NULL;
    if (cnrs_cli_value(c, "--max-bytes", &v)) {
        char *end;
        unsigned long long m = v ? strtoull(v, &end, 10) : 0;
        if (!v || end == v || *end || m == 0 || v[0] == '-') {
            if (v)
                fprintf(stderr, "cnrs %s: --max-bytes takes a number of bytes > 0, not \"%s\"\n",
                        c->cmd, v);
            c->bad = 1;
        }
        o->max_bytes = (size_t)m;
        return 1;
    }
    if (cnrs_cli_value(c, "--ocr", &v)) {
        if (!cnrs_cli_ocr(v, o))
            c->bad = 1;
        return 1;
    }
    if (!cnrs_cli_value(c, "--pdf-timeout", &v))
        return 0;
    char *end;
    double t = v ? strtod(v, &end) : 0;
    if (!v || end == v || *end || !(t > 0) || t > 1e6) {
        if (v)
            fprintf(stderr, "cnrs %s: --pdf-timeout takes a number of seconds > 0, not \"%s\"\n",
                    c->cmd, v);
        c->bad = 1;
    }
    o->pdf_timeout = t;
    return 1;
}

/* --type txt|html|pdf|xml: how to read standard input (the operand "-"). */
static int S_type_opt(cnrs_cli *c, cnrs_format *type)
{
    const char *v = NULL;
    if (!cnrs_cli_value(c, "--type", &v))
        return 0;
    if (!v)
        return 1;
    if (strcmp(v, "txt") == 0 || strcmp(v, "text") == 0)
        *type = CNRS_FMT_TEXT;
    else if (strcmp(v, "html") == 0)
        *type = CNRS_FMT_HTML;
    else if (strcmp(v, "pdf") == 0)
        *type = CNRS_FMT_PDF;
    else if (strcmp(v, "xml") == 0)
        *type = CNRS_FMT_PDFXML;
    else {
        fprintf(stderr, "cnrs %s: --type is txt, html, pdf or xml (got \"%s\")\n", c->cmd, v);
        c->bad = 1;
    }
    return 1;
}

/* The document an operand names: "-" is standard input read as `type`. A
 * directory is refused with the commands that take one. */
static cnrs_status S_ingest(const char *path, cnrs_format type, const cnrs_ingest_opts *io,
                            cnrs_doc **doc, cnrs_error *err)
{
    *doc = NULL;
    if (strcmp(path, "-") == 0)
        return cnrs_ingest_stream(stdin, "-", type, io, doc, err);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return cnrs_error_set(err, CNRS_ERR_IO,
                              "%s: is a directory; to score the reports in it use "
                              "`cnrs rank %s` or `cnrs batch --db FILE %s`",
                              path, path, path);
    return cnrs_ingest_file(path, io, doc, err);
}

/* A usage error already printed: exit 2 after freeing the arguments. */
static int S_usage_error(cnrs_cli *c, const char *msg)
{
    if (msg)
        fprintf(stderr, "cnrs %s: %s\n", c->cmd, msg);
    cnrs_cli_free(c);
    return EXIT_USAGE;
}

static void S_write(cnrs_buf *b)
{
    if (b->len)
        fwrite(b->data, 1, b->len, stdout);
    cnrs_buf_reset(b);
}

static cnrs_rubric *S_load_rubric(const char *path)
{
    cnrs_rubric *r = cnrs_cli_rubric(path);
    if (!r)
        exit(EXIT_RUBRIC);
    return r;
}

static int S_bad_format(const char *fmt, const char *allowed)
{
    fprintf(stderr, "cnrs: unknown format \"%s\" (use %s)\n", fmt, allowed);
    return EXIT_USAGE;
}

/* Remember the first failure's exit status; print its message. */
static void S_input_failed(int *rc, const cnrs_error *err)
{
    fprintf(stderr, "cnrs: %s\n", err->msg);
    if (*rc == 0)
        *rc = EXIT_INPUT_BASE + (int)err->code;
}

/* ---- score and gaps ---------------------------------------------------------------- */

/* `score` (scorecards) and `gaps` (the self-assessment report) read the
 * same options and score each file the same way; only the writer differs. */
static int S_cmd_reports(int argc, char **argv, int gaps)
{
    cnrs_cli c;
    cnrs_cli_init(&c, gaps ? "gaps" : "score", argc, argv);
    const char *rubric = NULL, *format = "text", *top_s = NULL;
    cnrs_format type = CNRS_FMT_TEXT;
    cnrs_ingest_opts io = {0};
    cnrs_cli_ocr_progress(&io);
    while (c.i < c.argc)
        if (!cnrs_cli_value(&c, "--rubric", &rubric) && !cnrs_cli_value(&c, "--format", &format) &&
            !cnrs_cli_value(&c, "--top", &top_s) && !S_type_opt(&c, &type) &&
            !S_ingest_opt(&c, &io))
            cnrs_cli_other(&c);
    int top = top_s ? (int)cnrs_cli_number(&c, "--top", top_s, 0, 1000000) : gaps ? 0 : 3;
    if (c.bad)
        return S_usage_error(&c, NULL);
    int json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0) {
        cnrs_cli_free(&c);
        return S_bad_format(format, "text or json");
    }
    if (c.npos == 0)
        return S_usage_error(&c, "no input files (FILE... or - for standard input)");
    cnrs_rubric *r = S_load_rubric(rubric);
    cnrs_extractor *x = cnrs_extractor_new(r);
    cnrs_buf out = CNRS_BUF_INIT;
    int rc = 0;
    for (int k = 0; k < c.npos; k++) {
        cnrs_doc *doc;
        cnrs_error err = {0};
        if (S_ingest(c.pos[k], type, &io, &doc, &err) != CNRS_OK) {
            fflush(stdout);
            S_input_failed(&rc, &err);
            continue;
        }
        cnrs_report *rep = cnrs_score_doc(x, r, doc);
        if (gaps) {
            cnrs_gaps g;
            cnrs_gaps_compute_lang(r, rep->card, rep->doc->script == CNRS_SCRIPT_NONE, &g);
            if (json)
                cnrs_write_gaps_json(&out, r, rep->doc->path, rep->card, &g);
            else
                cnrs_write_gaps_text(&out, r, rep->doc->path, rep->card, &g, top);
            cnrs_gaps_free(&g);
        } else if (json) {
            cnrs_write_score_json(&out, r, rep);
        } else {
            cnrs_write_score_text(&out, r, rep, top);
        }
        if (!json)
            cnrs_buf_putc(&out, '\n');
        S_write(&out);
        cnrs_report_free(rep);
    }
    cnrs_buf_free(&out);
    cnrs_extractor_free(x);
    cnrs_rubric_free(r);
    cnrs_cli_free(&c);
    return rc;
}

/* ---- rank ------------------------------------------------------------------------ */

typedef struct S_paths {
    char **v;
    size_t n, cap;
} S_paths;

static int S_strpcmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect report files below `path` (sorted, so output is deterministic);
 * files given explicitly are always taken. A file of another type inside a
 * directory is skipped with a warning naming it (dot files silently). */
static void S_walk(const char *path, int explicit_arg, S_paths *out)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) {
            out->v = cnrs_xgrow(out->v, &out->cap, out->n + 1, sizeof(char *));
            out->v[out->n++] = cnrs_xstrdup(path); /* scoring reports the error */
            return;
        }
        S_paths kids = {0};
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            size_t len = strlen(path) + strlen(de->d_name) + 2;
            char *p = cnrs_xmalloc(len);
            snprintf(p, len, "%s/%s", path, de->d_name);
            kids.v = cnrs_xgrow(kids.v, &kids.cap, kids.n + 1, sizeof(char *));
            kids.v[kids.n++] = p;
        }
        closedir(d);
        qsort(kids.v, kids.n, sizeof(char *), S_strpcmp);
        for (size_t i = 0; i < kids.n; i++) {
            S_walk(kids.v[i], 0, out);
            free(kids.v[i]);
        }
        free(kids.v);
        return;
    }
    const char *why = explicit_arg ? NULL : cnrs_format_skip_reason(path);
    if (why) {
        cnrs_buf b = CNRS_BUF_INIT;
        cnrs_buf_puts(&b, "cnrs: warning: ");
        cnrs_buf_put_printable(&b, path);
        cnrs_buf_printf(&b, ": skipped: %s\n", why);
        fputs(cnrs_buf_cstr(&b), stderr);
        cnrs_buf_free(&b);
        return;
    }
    out->v = cnrs_xgrow(out->v, &out->cap, out->n + 1, sizeof(char *));
    out->v[out->n++] = cnrs_xstrdup(path);
}

typedef struct S_ranked {
    char *path;
    cnrs_meta meta;
    int stage;
    double score, max;
} S_ranked;

static int S_cmd_rank(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "rank", argc, argv);
    const char *rubric = NULL, *format = "text";
    cnrs_ingest_opts io = {0};
    cnrs_cli_ocr_progress(&io);
    while (c.i < c.argc)
        if (!cnrs_cli_value(&c, "--rubric", &rubric) && !cnrs_cli_value(&c, "--format", &format) &&
            !S_ingest_opt(&c, &io))
            cnrs_cli_other(&c);
    if (c.bad)
        return S_usage_error(&c, NULL);
    int fmt = strcmp(format, "text") == 0 ? 0 : strcmp(format, "csv") == 0 ? 1
                                          : strcmp(format, "json") == 0 ? 2 : -1;
    if (fmt < 0) {
        cnrs_cli_free(&c);
        return S_bad_format(format, "text, csv or json");
    }
    if (c.npos == 0)
        return S_usage_error(&c, "no input paths");
    S_paths paths = {0};
    for (int k = 0; k < c.npos; k++)
        S_walk(c.pos[k], 1, &paths);
    cnrs_cli_free(&c);

    cnrs_rubric *r = S_load_rubric(rubric);
    cnrs_extractor *x = cnrs_extractor_new(r);
    S_ranked *rows = cnrs_xcalloc(paths.n ? paths.n : 1, sizeof *rows);
    size_t nrows = 0;
    int rc = 0;
    for (size_t i = 0; i < paths.n; i++) {
        cnrs_report *rep;
        cnrs_error err = {0};
        if (cnrs_score_file(x, r, paths.v[i], &io, &rep, &err) != CNRS_OK) {
            S_input_failed(&rc, &err);
            continue;
        }
        S_ranked *row = &rows[nrows++];
        row->path = paths.v[i];
        paths.v[i] = NULL;
        cnrs_meta_from_path(row->path, &row->meta);
        row->stage = rep->card->stage;
        row->score = rep->card->total;
        row->max = rep->card->max;
        cnrs_report_free(rep);
    }
    cnrs_rank_entry *ent = cnrs_xcalloc(nrows ? nrows : 1, sizeof *ent);
    for (size_t i = 0; i < nrows; i++)
        ent[i] = (cnrs_rank_entry){rows[i].stage, rows[i].score, NULL, rows[i].meta.company, i, 0};
    cnrs_rank_assign(ent, nrows);

    cnrs_buf out = CNRS_BUF_INIT;
    if (fmt == 1) /* BOM first: Excel then reads the UTF-8 (Chinese names) right */
        cnrs_buf_puts(&out, "\xEF\xBB\xBFstage,rank,score,max,code,company,year,file\n");
    if (fmt == 2)
        cnrs_buf_putc(&out, '[');
    int cur_stage = -1;
    for (size_t k = 0; k < nrows; k++) {
        const S_ranked *row = &rows[ent[k].index];
        if (fmt == 0) {
            if (row->stage != cur_stage) {
                cur_stage = row->stage;
                cnrs_buf_printf(&out, "%sstage %d", k ? "\n" : "", cur_stage);
                for (size_t s = 0; s < r->nstages; s++)
                    if (r->stages[s].n == cur_stage && r->stages[s].name_en)
                        cnrs_buf_printf(&out, " - %s", r->stages[s].name_en);
                cnrs_buf_puts(&out, cur_stage ? "\n" : " - no carbon-neutrality disclosure\n");
            }
            cnrs_buf_printf(&out, "  %3d  ", ent[k].rank);
            cnrs_buf_put_fixed(&out, row->score, 1);
            cnrs_buf_puts(&out, " / ");
            cnrs_buf_put_fixed(&out, row->max, 0);
            /* Names come from file names: printed without control characters. */
            cnrs_buf t = CNRS_BUF_INIT;
            cnrs_buf_put_printable(&t, row->meta.code ? row->meta.code : "-");
            cnrs_buf_printf(&out, "  %-8s ", cnrs_buf_cstr(&t));
            cnrs_buf_reset(&t);
            cnrs_buf_put_printable(&t, row->meta.company);
            cnrs_buf_printf(&out, "%-28s %4d  ", cnrs_buf_cstr(&t), row->meta.year);
            cnrs_buf_put_printable(&out, row->path);
            cnrs_buf_putc(&out, '\n');
            cnrs_buf_free(&t);
        } else if (fmt == 1) {
            cnrs_buf_printf(&out, "%d,%d,", row->stage, ent[k].rank);
            cnrs_buf_put_fixed(&out, row->score, 1);
            cnrs_buf_putc(&out, ',');
            cnrs_buf_put_fixed(&out, row->max, 0);
            cnrs_buf_putc(&out, ',');
            cnrs_csv_field(&out, row->meta.code);
            cnrs_buf_putc(&out, ',');
            cnrs_csv_field(&out, row->meta.company);
            cnrs_buf_printf(&out, ",%d,", row->meta.year);
            cnrs_csv_field(&out, row->path);
            cnrs_buf_putc(&out, '\n');
        } else {
            cnrs_buf_printf(&out, "%s{\"stage\":%d,\"rank\":%d,\"score\":", k ? "," : "",
                            row->stage, ent[k].rank);
            cnrs_buf_put_fixed(&out, row->score, 1);
            cnrs_buf_puts(&out, ",\"max\":");
            cnrs_buf_put_fixed(&out, row->max, 0);
            cnrs_buf_puts(&out, ",\"code\":");
            if (row->meta.code)
                cnrs_json_string(&out, row->meta.code, strlen(row->meta.code));
            else
                cnrs_buf_puts(&out, "null");
            cnrs_buf_puts(&out, ",\"company\":");
            cnrs_json_string(&out, row->meta.company, strlen(row->meta.company));
            cnrs_buf_printf(&out, ",\"year\":%d,\"file\":", row->meta.year);
            cnrs_json_string(&out, row->path, strlen(row->path));
            cnrs_buf_putc(&out, '}');
        }
    }
    if (fmt == 2)
        cnrs_buf_puts(&out, "]\n");
    S_write(&out);
    cnrs_buf_free(&out);
    for (size_t i = 0; i < nrows; i++) {
        free(rows[i].path);
        cnrs_meta_clear(&rows[i].meta);
    }
    for (size_t i = 0; i < paths.n; i++)
        free(paths.v[i]);
    free(paths.v);
    free(rows);
    free(ent);
    cnrs_extractor_free(x);
    cnrs_rubric_free(r);
    return rc;
}

/* ---- classify --------------------------------------------------------------------- */

static int S_cmd_classify(int argc, char **argv)
{
    cnrs_cli o;
    cnrs_cli_init(&o, "classify", argc, argv);
    const char *rubric = NULL;
    while (o.i < o.argc)
        if (!cnrs_cli_value(&o, "--rubric", &rubric))
            cnrs_cli_other(&o);
    if (o.bad)
        return S_usage_error(&o, NULL);
    if (o.npos)
        return S_usage_error(&o, "reads sentences from standard input, takes no files");
    cnrs_cli_free(&o);
    cnrs_rubric *r = S_load_rubric(rubric);
    cnrs_extractor *x = cnrs_extractor_new(r);
    cnrs_evidence_set ev;
    cnrs_evidence_set_init(&ev);
    cnrs_buf line = CNRS_BUF_INIT, norm = CNRS_BUF_INIT, out = CNRS_BUF_INIT;
    unsigned long lineno = 0;
    int c;
    do {
        c = getchar();
        if (c != EOF && c != '\n') {
            cnrs_buf_putc(&line, (char)c);
            continue;
        }
        if (c == EOF && line.len == 0)
            break;
        lineno++;
        if (line.len && line.data[line.len - 1] == '\r')
            line.len--;
        cnrs_classify_sentence(x, line.data, line.len, (uint32_t)lineno, &norm, &ev);
        cnrs_write_classify_line(&out, r, &ev, lineno);
        if (out.len > 65536)
            S_write(&out);
        cnrs_buf_reset(&line);
    } while (c != EOF);
    S_write(&out);
    cnrs_buf_free(&line);
    cnrs_buf_free(&norm);
    cnrs_buf_free(&out);
    cnrs_evidence_set_free(&ev);
    cnrs_extractor_free(x);
    cnrs_rubric_free(r);
    return 0;
}

/* ---- eval ------------------------------------------------------------------------- */

/* `cnrs eval DIR`: the table on stdout, --json OUT written whole or not at
 * all, then the floors. Exit: 2 for a malformed line in DIR's files or the
 * floors (usage and data errors alike), 10 + status for the first report
 * that could not be scored or a file that could not be read (evaluation
 * goes on without the report), else 1 when a metric is below its floor. */
static int S_cmd_eval(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "eval", argc, argv);
    const char *rubric = NULL, *json = NULL, *floors_path = NULL, *jobs_s = NULL;
    cnrs_ingest_opts io = {0};
    cnrs_cli_ocr_progress(&io);
    while (c.i < c.argc)
        if (!cnrs_cli_value(&c, "--rubric", &rubric) && !cnrs_cli_value(&c, "--json", &json) &&
            !cnrs_cli_value(&c, "--floors", &floors_path) &&
            !cnrs_cli_value(&c, "--jobs", &jobs_s) && !S_ingest_opt(&c, &io))
            cnrs_cli_other(&c);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = jobs_s ? (int)cnrs_cli_number(&c, "--jobs", jobs_s, 1, 256)
               : cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
    if (c.bad)
        return S_usage_error(&c, NULL);
    if (c.npos != 1)
        return S_usage_error(&c, "[--rubric FILE] [--json OUT] [--floors FILE] [--jobs 1..256] DIR");
    const char *dir = c.pos[0];
    cnrs_cli_free(&c); /* dir points into argv */
    cnrs_rubric *r = S_load_rubric(rubric);
    cnrs_eval_floors floors = {0};
    cnrs_error err = {0};
    if (floors_path) {
        char *text;
        size_t len;
        cnrs_status st = cnrs_read_file(floors_path, (size_t)1 << 20, &text, &len, &err);
        if (st == CNRS_OK)
            st = cnrs_eval_parse_floors(r, floors_path, text, len, &floors, &err);
        if (st == CNRS_OK)
            free(text);
        else {
            free(text);
            fprintf(stderr, "cnrs eval: %s\n", err.msg);
            cnrs_rubric_free(r);
            return st == CNRS_ERR_PARSE ? EXIT_USAGE : EXIT_INPUT_BASE + (int)st;
        }
    }
    cnrs_eval e;
    cnrs_eval_opts opts = {.jobs = jobs, .ingest = &io};
    cnrs_status st = cnrs_eval_run(r, dir, &opts, &e, &err);
    if (st != CNRS_OK) {
        fprintf(stderr, "cnrs eval: %s\n", err.msg);
        cnrs_eval_floors_clear(&floors);
        cnrs_rubric_free(r);
        return st == CNRS_ERR_PARSE ? EXIT_USAGE : EXIT_INPUT_BASE + (int)st;
    }
    int rc = 0;
    /* A report the engine cannot read is a finding, not bad input: it is
     * named here and counts as stage 0 (eval.h); only floors fail the run. */
    for (size_t k = 0; k < e.nrep; k++)
        if (e.rep[k].error)
            fprintf(stderr, "cnrs eval: %s (counted as stage 0, nothing found)\n",
                    e.rep[k].error);
    cnrs_buf out = CNRS_BUF_INIT;
    cnrs_write_eval_text(&out, r, &e);
    S_write(&out);
    if (json) {
        cnrs_write_eval_json(&out, r, &e);
        if (cnrs_write_file_atomic(json, out.data, out.len, &err) != CNRS_OK)
            S_input_failed(&rc, &err);
        cnrs_buf_reset(&out);
    }
    if (floors.n) {
        fflush(stdout);
        if (cnrs_eval_check_floors(r, &e, &floors, &out)) {
            fputs(cnrs_buf_cstr(&out), stderr);
            if (rc == 0)
                rc = EXIT_FINDINGS;
        }
    }
    cnrs_buf_free(&out);
    cnrs_eval_floors_clear(&floors);
    cnrs_eval_clear(&e);
    cnrs_rubric_free(r);
    return rc;
}

/* ---- text ------------------------------------------------------------------------- */

static int S_cmd_text(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "text", argc, argv);
    const char *format = "text";
    cnrs_format type = CNRS_FMT_TEXT;
    cnrs_ingest_opts io = {0};
    cnrs_cli_ocr_progress(&io);
    while (c.i < c.argc)
        if (!cnrs_cli_value(&c, "--format", &format) && !S_type_opt(&c, &type) &&
            !S_ingest_opt(&c, &io))
            cnrs_cli_other(&c);
    if (c.bad)
        return S_usage_error(&c, NULL);
    int json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0) {
        cnrs_cli_free(&c);
        return S_bad_format(format, "text or json");
    }
    if (c.npos == 0)
        return S_usage_error(&c, "no input files (FILE... or - for standard input)");
    int rc = 0;
    cnrs_buf out = CNRS_BUF_INIT;
    for (int k = 0; k < c.npos; k++) {
        cnrs_doc *doc;
        cnrs_error err = {0};
        if (S_ingest(c.pos[k], type, &io, &doc, &err) != CNRS_OK) {
            S_input_failed(&rc, &err);
            continue;
        }
        cnrs_segment(doc);
        if (json) {
            cnrs_buf_puts(&out, "{\"file\":");
            cnrs_json_string(&out, doc->path, strlen(doc->path));
            cnrs_buf_printf(&out, ",\"encoding\":\"%s\",\"pages\":%d,\"sentences\":[",
                            doc->encoding, doc->npages);
        } else {
            cnrs_buf_puts(&out, "# ");
            cnrs_buf_put_printable(&out, doc->path);
            cnrs_buf_printf(&out, " (%s, %s)\n", cnrs_format_name(doc->format),
                            doc->encoding);
        }
        int page = 0;
        uint32_t section = CNRS_NO_SECTION;
        cnrs_buf path = CNRS_BUF_INIT, tmp = CNRS_BUF_INIT; /* the path in force, a new one */
        for (size_t i = 0; i < doc->nsents; i++) {
            const cnrs_sentence *s = &doc->sents[i];
            if (json) {
                cnrs_buf_printf(&out, "%s{\"page\":%d,\"kind\":\"%s\",\"offset\":%zu,\"section\":",
                                i ? "," : "", s->page, cnrs_block_kind_name(s->kind), s->off);
                if (s->section != section || i == 0) {
                    section = s->section;
                    cnrs_buf_reset(&path);
                    cnrs_doc_section_path(doc, section, &path);
                }
                cnrs_json_string(&out, path.data ? path.data : "", path.len);
                cnrs_buf_puts(&out, ",\"text\":"); /* last, as before sections were */
                cnrs_json_string(&out, doc->text + s->off, s->len);
                cnrs_buf_putc(&out, '}');
            } else {
                if (s->page != page && doc->paged) {
                    page = s->page;
                    cnrs_buf_printf(&out, "--- page %d ---\n", page);
                }
                /* The heading path, where it changes (the heading that
                 * opens a section is the first sentence in it); a heading
                 * repeated on every page opens sections of the same path,
                 * which would only repeat the line. */
                if (s->section != section) {
                    section = s->section;
                    cnrs_buf_reset(&tmp);
                    cnrs_doc_section_path(doc, section, &tmp);
                    if (tmp.len != path.len || (tmp.len && memcmp(tmp.data, path.data, tmp.len))) {
                        cnrs_buf_reset(&path);
                        cnrs_buf_append(&path, tmp.data, tmp.len);
                        cnrs_buf_puts(&out, "--- section: ");
                        cnrs_buf_append(&out, tmp.data, tmp.len);
                        cnrs_buf_puts(&out, " ---\n");
                    }
                }
                cnrs_buf_printf(&out, "[%s] ", cnrs_block_kind_name(s->kind));
                cnrs_buf_append(&out, doc->text + s->off, s->len);
                cnrs_buf_putc(&out, '\n');
            }
        }
        if (json)
            cnrs_buf_puts(&out, "]}\n");
        cnrs_buf_free(&path);
        cnrs_buf_free(&tmp);
        S_write(&out);
        cnrs_doc_free(doc);
    }
    cnrs_buf_free(&out);
    cnrs_cli_free(&c);
    return rc;
}

/* ---- figures ---------------------------------------------------------------------- */

/* `cnrs figures`: each report's own-inventory figures (figures.h), as TSV
 * lines or one JSON object per report. */
static int S_cmd_figures(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "figures", argc, argv);
    const char *rubric = NULL, *format = "tsv";
    cnrs_format type = CNRS_FMT_TEXT;
    cnrs_ingest_opts io = {0};
    cnrs_cli_ocr_progress(&io);
    while (c.i < c.argc)
        if (!cnrs_cli_value(&c, "--rubric", &rubric) && !cnrs_cli_value(&c, "--format", &format) &&
            !S_type_opt(&c, &type) && !S_ingest_opt(&c, &io))
            cnrs_cli_other(&c);
    if (c.bad)
        return S_usage_error(&c, NULL);
    int json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "tsv") != 0) {
        cnrs_cli_free(&c);
        return S_bad_format(format, "tsv or json");
    }
    if (c.npos == 0)
        return S_usage_error(&c, "no input files (FILE... or - for standard input)");
    cnrs_rubric *r = S_load_rubric(rubric);
    if (!r) {
        cnrs_cli_free(&c);
        return EXIT_RUBRIC;
    }
    int rc = 0;
    cnrs_extractor *x = cnrs_extractor_new(r);
    cnrs_buf out = CNRS_BUF_INIT;
    if (!json)
        cnrs_buf_puts(&out, "file\tscope\tbasis\tkind\tyear\tvalue\tunit\ttco2e\tapprox\tpage\ttext\n");
    for (int k = 0; k < c.npos; k++) {
        cnrs_doc *doc;
        cnrs_error err = {0};
        if (S_ingest(c.pos[k], type, &io, &doc, &err) != CNRS_OK) {
            S_input_failed(&rc, &err);
            continue;
        }
        cnrs_report *rep = cnrs_score_doc(x, r, doc);
        if (json) {
            cnrs_buf_puts(&out, "{\"file\":");
            cnrs_json_string(&out, rep->doc->path, strlen(rep->doc->path));
            cnrs_buf_printf(&out, ",\"stage\":%d,\"figures\":", rep->card->stage);
            cnrs_write_figures_json(&out, rep);
            cnrs_buf_puts(&out, "}\n");
        } else {
            cnrs_write_figures_tsv(&out, rep);
        }
        S_write(&out);
        cnrs_report_free(rep);
    }
    S_write(&out);
    cnrs_buf_free(&out);
    cnrs_extractor_free(x);
    cnrs_rubric_free(r);
    cnrs_cli_free(&c);
    return rc;
}

/* ---- bench ------------------------------------------------------------------------ */

/* `cnrs bench`: the full pipeline over files, scorecards discarded, timed.
 * Workers each own an extractor and take files from a shared index. */
typedef struct S_bench {
    const cnrs_rubric *r;
    S_paths *paths;
    atomic_size_t next;
    atomic_ullong bytes;
    atomic_int failed;
    int naive;
} S_bench;

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *S_bench_worker(void *arg)
{
    S_bench *b = arg;
    cnrs_extractor *x = cnrs_extractor_new(b->r);
    cnrs_extractor_set_naive(x, b->naive);
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->paths->n)
            break;
        cnrs_report *rep;
        cnrs_error err = {0};
        if (cnrs_score_file(x, b->r, b->paths->v[i], NULL, &rep, &err) != CNRS_OK) {
            atomic_fetch_add(&b->failed, 1);
            continue;
        }
        atomic_fetch_add(&b->bytes, (unsigned long long)rep->doc->raw_len);
        cnrs_report_free(rep);
    }
    cnrs_extractor_free(x);
    return NULL;
}

static int S_dblcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int S_cmd_bench(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "bench", argc, argv);
    const char *rubric = NULL, *jobs_s = "1", *repeat_s = "0";
    int naive = 0;
    while (c.i < c.argc)
        if (!cnrs_cli_value(&c, "--rubric", &rubric) && !cnrs_cli_value(&c, "--jobs", &jobs_s) &&
            !cnrs_cli_value(&c, "--repeat", &repeat_s) && !cnrs_cli_flag(&c, "--naive", &naive))
            cnrs_cli_other(&c);
    int jobs = (int)cnrs_cli_number(&c, "--jobs", jobs_s, 1, 256);
    int repeat = (int)cnrs_cli_number(&c, "--repeat", repeat_s, 0, 1000000);
    if (c.bad)
        return S_usage_error(&c, NULL);
    if (c.npos == 0)
        return S_usage_error(&c, "[--jobs 1..256] [--repeat K] [--naive] PATH...");
    S_paths paths = {0};
    for (int k = 0; k < c.npos; k++)
        S_walk(c.pos[k], 1, &paths);
    cnrs_cli_free(&c);
    cnrs_malloc_keep_freed(); /* as `cnrs batch` does: no page faults per report */
    cnrs_rubric *r = S_load_rubric(rubric);
    int rc = 0;
    if (repeat > 0) {
        /* Latency of one report: the median of `repeat` runs of the first file. */
        cnrs_extractor *x = cnrs_extractor_new(r);
        cnrs_extractor_set_naive(x, naive);
        double *ms = cnrs_xcalloc((size_t)repeat, sizeof *ms);
        size_t bytes = 0;
        for (int k = 0; k < repeat && paths.n; k++) {
            cnrs_report *rep;
            cnrs_error err = {0};
            double t0 = S_now();
            if (cnrs_score_file(x, r, paths.v[0], NULL, &rep, &err) != CNRS_OK) {
                S_input_failed(&rc, &err);
                break;
            }
            ms[k] = (S_now() - t0) * 1000;
            bytes = rep->doc->raw_len;
            cnrs_report_free(rep);
        }
        qsort(ms, (size_t)repeat, sizeof *ms, S_dblcmp);
        cnrs_buf out = CNRS_BUF_INIT;
        cnrs_buf_printf(&out, "file %s bytes %zu runs %d median_ms ", paths.n ? paths.v[0] : "-",
                        bytes, repeat);
        cnrs_buf_put_fixed(&out, ms[repeat / 2], 3);
        cnrs_buf_putc(&out, '\n');
        S_write(&out);
        cnrs_buf_free(&out);
        free(ms);
        cnrs_extractor_free(x);
    } else {
        S_bench b = {.r = r, .paths = &paths, .naive = naive};
        atomic_init(&b.next, 0);
        atomic_init(&b.bytes, 0);
        atomic_init(&b.failed, 0);
        pthread_t *tid = cnrs_xcalloc((size_t)jobs, sizeof *tid);
        double t0 = S_now();
        for (int j = 0; j < jobs; j++)
            if (pthread_create(&tid[j], NULL, S_bench_worker, &b) != 0) {
                fputs("cnrs bench: cannot start a worker thread\n", stderr);
                exit(EXIT_USAGE);
            }
        for (int j = 0; j < jobs; j++)
            pthread_join(tid[j], NULL);
        double secs = S_now() - t0;
        free(tid);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        unsigned long long bytes = atomic_load(&b.bytes);
        cnrs_buf out = CNRS_BUF_INIT;
        cnrs_buf_printf(&out, "files %zu failed %d bytes %llu jobs %d%s seconds ", paths.n,
                        atomic_load(&b.failed), bytes, jobs, naive ? " naive" : "");
        cnrs_buf_put_fixed(&out, secs, 3);
        cnrs_buf_puts(&out, " mb_per_s ");
        cnrs_buf_put_fixed(&out, secs > 0 ? (double)bytes / 1e6 / secs : 0, 2);
        cnrs_buf_printf(&out, " peak_rss_kb %ld\n", ru.ru_maxrss);
        S_write(&out);
        cnrs_buf_free(&out);
    }
    for (size_t i = 0; i < paths.n; i++)
        free(paths.v[i]);
    free(paths.v);
    cnrs_rubric_free(r);
    return rc;
}

/* ---- rubric ----------------------------------------------------------------------- */

static void S_put_line(void *ctx, const char *s, size_t n)
{
    cnrs_buf_append(ctx, s, n);
    cnrs_buf_putc(ctx, '\n');
}

static int S_cmd_rubric(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "rubric", argc, argv);
    while (c.i < c.argc)
        cnrs_cli_other(&c);
    if (c.bad)
        return S_usage_error(&c, NULL);
    if (c.npos == 0)
        return S_usage_error(&c, "check, show, weights or cues?");
    if (c.npos > 2)
        return S_usage_error(&c, "at most one FILE");
    const char *sub = c.pos[0];
    const char *file = c.npos > 1 ? c.pos[1] : NULL;
    cnrs_cli_free(&c);
    if (strcmp(sub, "check") == 0) {
        cnrs_rubric *r = NULL;
        cnrs_error err = {0};
        cnrs_buf report = CNRS_BUF_INIT;
        cnrs_status st = file ? cnrs_rubric_load(file, &r, &report, &err)
                              : cnrs_rubric_load_builtin(&r, &report, &err);
        if (st != CNRS_OK) {
            fputs(report.len ? cnrs_buf_cstr(&report) : err.msg, stderr);
            cnrs_buf_free(&report);
            return st == CNRS_ERR_RUBRIC ? EXIT_FINDINGS : EXIT_RUBRIC;
        }
        printf("%s: ok (%s %s, %zu indicators, %zu items, %zu unit classes)\n", r->path, r->id,
               r->version, r->nindicators, r->nitems, r->nunits);
        cnrs_buf_free(&report);
        cnrs_rubric_free(r);
        return 0;
    }
    int show = strcmp(sub, "show") == 0, cues = strcmp(sub, "cues") == 0;
    if (!show && !cues && strcmp(sub, "weights") != 0) {
        fprintf(stderr, "cnrs rubric: unknown subcommand \"%s\"\n", sub);
        return EXIT_USAGE;
    }
    cnrs_rubric *r = S_load_rubric(file);
    cnrs_buf out = CNRS_BUF_INIT;
    if (show)
        cnrs_write_rubric_show(&out, r);
    else if (cues)
        cnrs_prefilter_each_literal(r->pf, S_put_line, &out);
    else
        cnrs_write_rubric_weights(&out, r);
    S_write(&out);
    cnrs_buf_free(&out);
    cnrs_rubric_free(r);
    return 0;
}

int main(int argc, char **argv)
{
    /* Past a file size limit (`ulimit -f`) the default action of SIGXFSZ
     * kills the process mid-write. Ignored, write() fails with EFBIG instead,
     * so a batch reports "disk full" with status 25 and closes its database
     * cleanly, and score reports an output error. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        S_print_usage(stderr, NULL);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        if (argc == 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0))
            argv[2] = (char *)"help";
        if (argc > 3 || (argc == 3 && !S_is_command(argv[2]))) {
            fprintf(stderr, "cnrs help: no command \"%s\"\n", argc > 2 ? argv[2] : "");
            S_print_usage(stderr, NULL);
            return EXIT_USAGE;
        }
        S_print_usage(stdout, argc == 3 ? argv[2] : NULL);
        return fflush(stdout) == 0 ? 0 : EXIT_INPUT_BASE + CNRS_ERR_IO;
    }
    if (strcmp(cmd, "--version") == 0)
        cmd = "version";
    if (!S_is_command(cmd)) {
        fprintf(stderr, "cnrs: unknown command \"%s\"\n", cmd);
        S_print_usage(stderr, NULL);
        return EXIT_USAGE;
    }
    /* COMMAND --help or -h, anywhere before "--": that command's usage. */
    for (int k = 2; k < argc && strcmp(argv[k], "--") != 0; k++)
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            S_print_usage(stdout, cmd);
            return fflush(stdout) == 0 ? 0 : EXIT_INPUT_BASE + CNRS_ERR_IO;
        }
    int n = argc - 2;
    char **v = argv + 2;
    int rc;
    if (strcmp(cmd, "score") == 0)
        rc = S_cmd_reports(n, v, 0);
    else if (strcmp(cmd, "gaps") == 0 && cnrs_cli_has_db(n, v))
        rc = cnrs_cmd_gaps_db(n, v);
    else if (strcmp(cmd, "gaps") == 0)
        rc = S_cmd_reports(n, v, 1);
    else if (strcmp(cmd, "rank") == 0 && cnrs_cli_has_db(n, v))
        rc = cnrs_cmd_rank_db(n, v);
    else if (strcmp(cmd, "rank") == 0)
        rc = S_cmd_rank(n, v);
    else if (strcmp(cmd, "batch") == 0)
        rc = cnrs_cmd_batch(n, v);
    else if (strcmp(cmd, "show") == 0)
        rc = cnrs_cmd_show(n, v);
    else if (strcmp(cmd, "history") == 0)
        rc = cnrs_cmd_history(n, v);
    else if (strcmp(cmd, "review") == 0)
        rc = cnrs_cmd_review(n, v);
    else if (strcmp(cmd, "export") == 0)
        rc = cnrs_cmd_export(n, v);
    else if (strcmp(cmd, "merge") == 0)
        rc = cnrs_cmd_merge(n, v);
    else if (strcmp(cmd, "report") == 0)
        rc = cnrs_cmd_report(n, v);
    else if (strcmp(cmd, "classify") == 0)
        rc = S_cmd_classify(n, v);
    else if (strcmp(cmd, "figures") == 0)
        rc = S_cmd_figures(n, v);
    else if (strcmp(cmd, "text") == 0)
        rc = S_cmd_text(n, v);
    else if (strcmp(cmd, "eval") == 0)
        rc = S_cmd_eval(n, v);
    else if (strcmp(cmd, "rubric") == 0)
        rc = S_cmd_rubric(n, v);
    else if (strcmp(cmd, "bench") == 0)
        rc = S_cmd_bench(n, v);
    else {
        printf("cnrs %s\n", CNRS_VERSION);
        rc = 0;
    }
    if (fflush(stdout) != 0 && rc == 0)
        rc = EXIT_INPUT_BASE + CNRS_ERR_IO;
    return rc;
}
