/* cmd_db.c - the database commands (see cli.h): options, printing, exit
 * statuses. The work is done by batch.c and store.c. */
#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "gaps.h"
#include "meta.h"
#include "output.h"
#include "output_xlsx.h"
#include "rank.h"
#include "rubric.h"
#include "store.h"
#include "util.h"

#define S_EXIT_DB (CNRS_EXIT_INPUT_BASE + CNRS_ERR_DB)

/* ---- options --------------------------------------------------------------------- */

static int S_usage(cnrs_cli *c, const char *msg)
{
    if (msg)
        fprintf(stderr, "cnrs %s: %s\n", c->cmd, msg);
    free(c->pos);
    return CNRS_EXIT_USAGE;
}

static int S_year_opt(cnrs_cli *c, const char *s)
{
    if (!s)
        return 0;
    long y = cnrs_cli_number(c, "--year", s, 1990, 2099);
    return y < 0 ? 0 : (int)y;
}

/* Text from outside (file names, manifest fields, company names, review
 * reasons) reaches the terminal only through these: control characters and
 * bytes that are not UTF-8 become '?' (cnrs_buf_put_printable), so a name
 * can neither split a line nor drive the terminal. NULL prints as `dflt`. */
static void S_pr(cnrs_buf *o, const char *s, const char *dflt)
{
    cnrs_buf_put_printable(o, s && *s ? s : dflt);
}

/* S_pr padded with spaces to `width` bytes, as "%-*s" would. */
static void S_pr_pad(cnrs_buf *o, const char *s, const char *dflt, size_t width)
{
    size_t start = o->len;
    S_pr(o, s, dflt);
    while (o->len - start < width)
        cnrs_buf_putc(o, ' ');
}

/* Write `b` to stderr and free it. */
static void S_eput(cnrs_buf *b)
{
    if (b->len)
        fwrite(b->data, 1, b->len, stderr);
    cnrs_buf_free(b);
}

static int S_db_error(const cnrs_error *err)
{
    fprintf(stderr, "cnrs: %s\n", err->msg);
    return err->code == CNRS_ERR_DB ? S_EXIT_DB : CNRS_EXIT_INPUT_BASE + (int)err->code;
}

static void S_wait_notice(void *ctx, const char *path, double waited)
{
    (void)ctx;
    int w = (int)waited;
    if (w == 1 || w % 10 == 0) {
        cnrs_buf b = CNRS_BUF_INIT;
        cnrs_buf_puts(&b, "cnrs: ");
        S_pr(&b, path, "");
        cnrs_buf_printf(&b, " is locked by another process; waiting (%d s so far)\n", w);
        S_eput(&b);
    }
}

static cnrs_status S_open(const char *db, cnrs_store_mode mode, cnrs_store **s, cnrs_error *err)
{
    cnrs_store_opts o = {mode, 0, S_wait_notice, NULL, NULL, 0};
    return cnrs_store_open(db, &o, s, err);
}

static void S_out(cnrs_buf *b)
{
    if (b->len)
        fwrite(b->data, 1, b->len, stdout);
    cnrs_buf_reset(b);
}

static void S_json_str0(cnrs_buf *out, const char *s)
{
    if (s)
        cnrs_json_string(out, s, strlen(s));
    else
        cnrs_buf_puts(out, "null");
}

int cnrs_cli_has_db(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--db") == 0 || strncmp(argv[i], "--db=", 5) == 0)
            return 1;
    }
    return 0;
}

/* ---- batch ------------------------------------------------------------------------ */

typedef struct S_ui {
    int bar;          /* draw a progress bar on stderr */
    int drawn;        /* a bar is on the screen */
    double last;      /* when it was drawn */
} S_ui;

static double S_mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void S_clear_bar(S_ui *ui)
{
    if (ui->drawn) {
        fputs("\r\033[K", stderr);
        ui->drawn = 0;
    }
}

/* Ctrl-C: the first asks the batch to stop at the next report boundary
 * (S_progress says so to batch.c); a second exits at once, which is safe
 * too: each report is one transaction, and the next run resumes. */
static volatile sig_atomic_t S_interrupted;

static void S_on_sigint(int sig)
{
    (void)sig;
    if (S_interrupted) {
        static const char msg[] = "\ncnrs batch: interrupted again: stopped at once\n";
        ssize_t w = write(2, msg, sizeof msg - 1);
        (void)w;
        _exit(CNRS_EXIT_INTERRUPTED);
    }
    S_interrupted = 1;
}

/* Draw the bar (at most ten times a second); non-zero after Ctrl-C. */
static int S_progress(void *ctx, const cnrs_batch_progress *p)
{
    S_ui *ui = ctx;
    double now = S_mono();
    if (!ui->bar || (p->done < p->total && now - ui->last < 0.1))
        return S_interrupted;
    ui->last = now;
    enum { W = 24 };
    int fill = p->total ? (int)((double)W * (double)p->done / (double)p->total) : W;
    char bar[W + 1];
    for (int k = 0; k < W; k++)
        bar[k] = k < fill ? '=' : ' ';
    bar[W] = '\0';
    double rate = p->elapsed > 0 ? (double)p->done / p->elapsed : 0;
    long eta = rate > 0 ? (long)((double)(p->total - p->done) / rate + 0.5) : 0;
    const char *cur = p->current ? p->current : "";
    const char *base = strrchr(cur, '/');
    base = base ? base + 1 : cur;
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_printf(&b, "\r\033[K[%s] %zu/%zu  %.1f reports/s  ETA %ld:%02ld  ", bar, p->done,
                    p->total, rate, eta / 60, eta % 60);
    size_t name = b.len;
    S_pr(&b, base, "");
    if (b.len - name > 40) { /* at most 40 bytes of the name, whole characters */
        size_t cut = name + 40;
        while (cut > name && ((unsigned char)b.data[cut] & 0xC0) == 0x80)
            cut--;
        b.len = cut;
        b.data[cut] = '\0';
    }
    S_eput(&b);
    fflush(stderr);
    ui->drawn = 1;
    return S_interrupted;
}

static void S_failure(void *ctx, const cnrs_batch_failure *f)
{
    S_ui *ui = ctx;
    S_clear_bar(ui);
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_puts(&b, f->fatal ? "cnrs: " : "cnrs: warning: ");
    S_pr(&b, f->msg, "");
    cnrs_buf_putc(&b, '\n');
    S_eput(&b);
}

static void S_batch_wait(void *ctx, const char *path, double waited)
{
    S_clear_bar(ctx);
    S_wait_notice(NULL, path, waited);
}

/* "io 2, empty 1" for the fatal (or non-fatal) records. */
static void S_reasons(cnrs_buf *b, const cnrs_batch_result *res, int fatal)
{
    const char *seen[64];
    size_t counts[64], n = 0;
    for (size_t i = 0; i < res->nfails; i++) {
        if (res->fails[i].fatal != fatal)
            continue;
        size_t k = 0;
        while (k < n && strcmp(seen[k], res->fails[i].kind) != 0)
            k++;
        if (k == n && n < 64) {
            seen[n] = res->fails[i].kind;
            counts[n++] = 0;
        }
        if (k < n)
            counts[k]++;
    }
    for (size_t k = 0; k < n; k++)
        cnrs_buf_printf(b, "%s%s %zu", k ? ", " : "  (", seen[k], counts[k]);
    if (n)
        cnrs_buf_putc(b, ')');
}

int cnrs_cmd_batch(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "batch", argc, argv);
    const char *db = NULL, *manifest = NULL, *jobs_s = NULL, *shard = NULL, *rubric_path = NULL;
    const char *busy = NULL, *pdf_timeout = NULL, *ocr = NULL;
    int force = 0, quiet = 0;
    while (c.i < c.argc) {
        if (cnrs_cli_value(&c, "--db", &db) || cnrs_cli_value(&c, "--manifest", &manifest) ||
            cnrs_cli_value(&c, "--jobs", &jobs_s) || cnrs_cli_value(&c, "--shard", &shard) ||
            cnrs_cli_value(&c, "--rubric", &rubric_path) || cnrs_cli_value(&c, "--busy-timeout", &busy) ||
            cnrs_cli_value(&c, "--pdf-timeout", &pdf_timeout) || cnrs_cli_value(&c, "--ocr", &ocr) || cnrs_cli_flag(&c, "--force", &force) ||
            cnrs_cli_flag(&c, "--quiet", &quiet))
            continue;
        cnrs_cli_other(&c);
    }
    cnrs_ingest_opts io = {0};
    if (pdf_timeout) {
        char *end;
        io.pdf_timeout = strtod(pdf_timeout, &end);
        if (end == pdf_timeout || *end || !(io.pdf_timeout > 0) || io.pdf_timeout > 1e6) {
            fprintf(stderr, "cnrs: --pdf-timeout takes a number of seconds > 0, not \"%s\"\n",
                    pdf_timeout);
            c.bad = 1;
        }
    }
    if (ocr && !cnrs_cli_ocr(ocr, &io))
        c.bad = 1;
    if (c.bad)
        return S_usage(&c, NULL);
    if (!db)
        return S_usage(&c, "--db FILE is required");
    if (c.npos == 0 && !manifest)
        return S_usage(&c, "no inputs: give PATHs and/or --manifest CSV");
    int jobs = jobs_s ? (int)cnrs_cli_number(&c, "--jobs", jobs_s, 1, 256) : 0;
    io.ocr_jobs = jobs; /* pages of one scanned report OCRed at once */
    long busy_s = busy ? cnrs_cli_number(&c, "--busy-timeout", busy, 1, 86400) : 0;
    unsigned si = 0, sn = 0;
    if (shard) {
        char *slash = strchr(shard, '/');
        char *end1 = NULL, *end2 = NULL;
        long a = strtol(shard, &end1, 10);
        long b = slash ? strtol(slash + 1, &end2, 10) : 0;
        if (!slash || end1 != slash || !end2 || *end2 || b < 1 || b > 100000 || a < 1 || a > b) {
            fprintf(stderr, "cnrs batch: --shard wants i/N with 1 <= i <= N (got \"%s\")\n", shard);
            c.bad = 1;
        }
        si = (unsigned)a;
        sn = (unsigned)b;
    }
    if (c.bad)
        return S_usage(&c, NULL);

    cnrs_rubric *r = cnrs_cli_rubric(rubric_path);
    if (!r) {
        free(c.pos);
        return CNRS_EXIT_RUBRIC;
    }
    cnrs_error err = {0};
    cnrs_status st;

    S_ui ui = {!quiet && isatty(2), 0, 0};
    if (!quiet)
        cnrs_cli_ocr_progress(&io);
    cnrs_batch_opts o = {db,        manifest,     (const char *const *)c.pos,
                         (size_t)c.npos, r,         &io,
                         jobs,      force,        si,
                         sn,        (double)busy_s, S_batch_wait,
                         S_progress, S_failure,   &ui};
    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = S_on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    S_interrupted = 0;
    sigaction(SIGINT, &sa, &old_sa);
    cnrs_batch_result res;
    st = cnrs_batch_run(&o, &res, &err);
    sigaction(SIGINT, &old_sa, NULL);
    S_clear_bar(&ui); /* the progress line ends before anything else is said */
    int rc = 0;
    if (st != CNRS_OK) {
        rc = S_db_error(&err);
        /* How far it got: what was handled before the error is stored whole. */
        if (res.run_id) {
            size_t done = res.scored + res.unchanged + res.failed + res.duplicates;
            fprintf(stderr, "cnrs batch: stopped after %zu of %zu inputs (%zu scored, %zu "
                            "unchanged, %zu failed); the same command finishes the job\n",
                    done, res.inputs, res.scored, res.unchanged, res.failed);
        }
    } else {
        if (res.first_failure != CNRS_OK)
            rc = CNRS_EXIT_INPUT_BASE + (int)res.first_failure;
        if (res.interrupted)
            rc = CNRS_EXIT_INTERRUPTED;
        if (!quiet) {
            cnrs_buf b = CNRS_BUF_INIT;
            cnrs_buf_printf(&b, "cnrs batch: %zu inputs into ", res.inputs);
            S_pr(&b, db, "");
            cnrs_buf_putc(&b, '\n');
            cnrs_buf_printf(&b, "  scored     %6zu\n  unchanged  %6zu\n", res.scored,
                            res.unchanged);
            cnrs_buf_printf(&b, "  failed     %6zu", res.failed);
            S_reasons(&b, &res, 1);
            cnrs_buf_printf(&b, "\n  warnings   %6zu", res.warnings);
            S_reasons(&b, &res, 0);
            for (size_t i = 0; i < res.nfails; i++)
                if (strcmp(res.fails[i].kind, "replaced") == 0) {
                    cnrs_buf_puts(&b, "\n    ");
                    S_pr(&b, res.fails[i].msg, "");
                }
            if (res.nskipped)
                cnrs_buf_printf(&b, "\n  skipped    %6zu  (in the folders, not read:)", res.nskipped);
            for (size_t i = 0; i < res.nskipped; i++) {
                cnrs_buf_puts(&b, "\n    ");
                S_pr(&b, res.skipped[i], "");
            }
            double rate = res.seconds > 0 ? (double)res.handled / res.seconds : 0;
            double share = res.seconds > 0 ? 100.0 * res.write_seconds / res.seconds : 0;
            struct rusage ru;
            double cpu = 0;
            if (getrusage(RUSAGE_SELF, &ru) == 0)
                cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
            cnrs_buf_printf(&b, "\n  %d job%s, %.2f s, %.1f reports/s; database writes %.2f s "
                                "(%.0f%% of wall time); CPU %.2f s, of which the writer %.2f s\n",
                            res.jobs, res.jobs == 1 ? "" : "s", res.seconds, rate,
                            res.write_seconds, share, cpu, res.write_cpu_seconds);
            S_out(&b);
            cnrs_buf_free(&b);
        }
        if (res.interrupted) {
            fflush(stdout);
            fprintf(stderr, "cnrs batch: interrupted after %zu of %zu inputs: run the same "
                            "command again to resume\n", res.handled, res.inputs);
        }
    }
    cnrs_batch_result_free(&res);
    cnrs_rubric_free(r);
    free(c.pos);
    return rc;
}

/* ---- rank --db -------------------------------------------------------------------- */

enum { S_TRACK_INDUSTRY = 1, S_TRACK_SIZE = 2 };

static int S_parse_track(const char *t)
{
    if (!t || strcmp(t, "stage") == 0)
        return 0;
    if (strcmp(t, "stage,industry") == 0)
        return S_TRACK_INDUSTRY;
    if (strcmp(t, "stage,size") == 0)
        return S_TRACK_SIZE;
    if (strcmp(t, "stage,industry,size") == 0)
        return S_TRACK_INDUSTRY | S_TRACK_SIZE;
    return -1;
}

static const char *S_or(const char *s, const char *dflt)
{
    return s && *s ? s : dflt;
}

/* Ranks of `rows` (newest year first), each year alone; keys[i] is row i's
 * track key or NULL (keys itself may be NULL). Caller frees the result. */
static cnrs_rank_entry *S_rank_years(const cnrs_store_rank_row *rows, size_t n, char **keys)
{
    cnrs_rank_entry *ent = cnrs_xcalloc(n ? n : 1, sizeof *ent);
    for (size_t i = 0; i < n; i++)
        ent[i] = (cnrs_rank_entry){rows[i].stage, rows[i].reviewed, keys ? keys[i] : NULL,
                                   rows[i].company, i, 0};
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && rows[b].year == rows[a].year)
            b++;
        cnrs_rank_assign(ent + a, b - a);
        a = b;
    }
    return ent;
}

/* The ranking's columns (CSV header and the workbook's first sheet). */
enum { S_RANK_NCOLS = 13 };
static const char *const S_rank_cols[S_RANK_NCOLS] = {
    "year", "stage", "industry", "size", "rank", "score", "auto_score", "reviews", "max",
    "code", "company", "report_type", "file"};
static const cnrs_xlsx_kind S_rank_kinds[S_RANK_NCOLS] = {
    CNRS_XLSX_NUMBER, CNRS_XLSX_NUMBER, CNRS_XLSX_TEXT,   CNRS_XLSX_TEXT, CNRS_XLSX_NUMBER,
    CNRS_XLSX_NUMBER, CNRS_XLSX_NUMBER, CNRS_XLSX_NUMBER, CNRS_XLSX_NUMBER, CNRS_XLSX_TEXT,
    CNRS_XLSX_TEXT,   CNRS_XLSX_TEXT,   CNRS_XLSX_TEXT};

/* Row `x` with rank `rank` as the ranking's cells: numbers formatted into
 * num[0..7), v[] pointing at them or at x's strings (NULL = empty). */
static void S_rank_cells(const cnrs_store_rank_row *x, int rank, cnrs_buf num[7],
                         const char *v[S_RANK_NCOLS])
{
    for (int i = 0; i < 7; i++)
        cnrs_buf_reset(&num[i]);
    cnrs_buf_printf(&num[0], "%d", x->year);
    cnrs_buf_printf(&num[1], "%d", x->stage);
    cnrs_buf_printf(&num[2], "%d", rank);
    cnrs_buf_put_fixed(&num[3], x->reviewed, 1);
    cnrs_buf_put_fixed(&num[4], x->total, 1);
    cnrs_buf_printf(&num[5], "%d", x->nreviews);
    cnrs_buf_put_fixed(&num[6], x->max, 0);
    const char *cells[S_RANK_NCOLS] = {
        x->year ? cnrs_buf_cstr(&num[0]) : NULL, cnrs_buf_cstr(&num[1]), x->industry, x->size,
        cnrs_buf_cstr(&num[2]), cnrs_buf_cstr(&num[3]), cnrs_buf_cstr(&num[4]),
        cnrs_buf_cstr(&num[5]), cnrs_buf_cstr(&num[6]), x->code, x->company, x->report_type,
        x->path};
    memcpy(v, cells, sizeof cells);
}

/* A store export (export.h's callback) into one sheet of a workbook. */
typedef struct S_sheet {
    cnrs_xlsx *x;
    const char *name;
    cnrs_status st;
    cnrs_error *err;
} S_sheet;

static void S_sheet_row(void *ctx, size_t ncols, const char *const *names,
                        const cnrs_cell_kind *kinds, const char *const *values)
{
    S_sheet *sh = ctx;
    if (values) {
        cnrs_xlsx_row(sh->x, values);
        return;
    }
    cnrs_xlsx_kind *k = cnrs_xcalloc(ncols ? ncols : 1, sizeof *k);
    for (size_t i = 0; i < ncols; i++)
        k[i] = kinds[i] == CNRS_CELL_NUMBER ? CNRS_XLSX_NUMBER
               : kinds[i] == CNRS_CELL_BOOL ? CNRS_XLSX_BOOL
                                            : CNRS_XLSX_TEXT;
    sh->st = cnrs_xlsx_sheet(sh->x, sh->name, ncols, names, k, sh->err);
    free(k);
}

/* The sheets after the ranking, each one store export. Hook: the figures
 * sheet (emission figures) is one more line here once store.h exports them,
 * e.g. {"figures", CNRS_EXPORT_FIGURES}. */
static const struct {
    const char *sheet;
    cnrs_export_what what;
} S_book_sheets[] = {
    {"indicators", CNRS_EXPORT_INDICATORS},
    {"evidence", CNRS_EXPORT_EVIDENCE},
    {"figures", CNRS_EXPORT_FIGURES},
};

/* The workbook of `rank --format xlsx` and `export --format xlsx`: the
 * ranking (rows ranked as ent says), then S_book_sheets for `year`; written
 * to `path`, or to standard output when path is NULL. Returns an exit
 * status (message printed). */
static int S_workbook(cnrs_store *s, int year, const char *path, const cnrs_store_rank_row *rows,
                      const cnrs_rank_entry *ent, size_t n)
{
    cnrs_error err = {0};
    cnrs_xlsx *x = cnrs_xlsx_new(path, &err);
    if (!x) {
        fprintf(stderr, "cnrs: %s\n", err.msg);
        return CNRS_EXIT_INPUT_BASE + CNRS_ERR_IO;
    }
    cnrs_status st = cnrs_xlsx_sheet(x, "ranking", S_RANK_NCOLS, S_rank_cols, S_rank_kinds, &err);
    cnrs_buf num[7];
    for (int i = 0; i < 7; i++)
        num[i] = (cnrs_buf)CNRS_BUF_INIT;
    for (size_t k = 0; st == CNRS_OK && k < n; k++) {
        const char *v[S_RANK_NCOLS];
        S_rank_cells(&rows[ent[k].index], ent[k].rank, num, v);
        cnrs_xlsx_row(x, v);
    }
    for (int i = 0; i < 7; i++)
        cnrs_buf_free(&num[i]);
    int db_failed = 0;
    for (size_t i = 0; st == CNRS_OK && i < sizeof S_book_sheets / sizeof S_book_sheets[0]; i++) {
        S_sheet sh = {x, S_book_sheets[i].sheet, CNRS_OK, &err};
        st = cnrs_store_export(s, S_book_sheets[i].what, year, S_sheet_row, &sh, &err);
        db_failed = st != CNRS_OK;
        if (st == CNRS_OK)
            st = sh.st;
    }
    cnrs_status cs = cnrs_xlsx_close(x, path ? NULL : stdout, st == CNRS_OK ? &err : NULL);
    if (db_failed)
        return S_db_error(&err);
    if (st == CNRS_OK)
        st = cs;
    if (st != CNRS_OK) {
        fprintf(stderr, "cnrs: %s\n", err.msg);
        return CNRS_EXIT_INPUT_BASE + (int)st;
    }
    return 0;
}

/* --out FILE for --format xlsx; without it the workbook goes to standard
 * output, but never to a terminal. Returns 0, or prints why not and
 * returns 1. */
static int S_xlsx_target(cnrs_cli *c, int xlsx, const char *out)
{
    if (out && !xlsx) {
        fprintf(stderr, "cnrs %s: --out FILE is for --format xlsx (other formats go to standard "
                        "output)\n", c->cmd);
        return 1;
    }
    if (xlsx && !out && isatty(STDOUT_FILENO)) {
        fprintf(stderr, "cnrs %s: an xlsx workbook is binary: give --out FILE or redirect "
                        "standard output\n", c->cmd);
        return 1;
    }
    return 0;
}

int cnrs_cmd_rank_db(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "rank", argc, argv);
    const char *db = NULL, *year_s = NULL, *track_s = NULL, *format = "text", *out_path = NULL;
    while (c.i < c.argc) {
        if (cnrs_cli_value(&c, "--db", &db) || cnrs_cli_value(&c, "--year", &year_s) ||
            cnrs_cli_value(&c, "--track", &track_s) || cnrs_cli_value(&c, "--format", &format) ||
            cnrs_cli_value(&c, "--out", &out_path))
            continue;
        cnrs_cli_other(&c);
    }
    int year = S_year_opt(&c, year_s);
    int track = S_parse_track(track_s);
    if (track < 0) {
        fprintf(stderr, "cnrs rank: unknown track \"%s\" (use stage, stage,industry or "
                        "stage,industry,size)\n", track_s);
        c.bad = 1;
    }
    int fmt = strcmp(format, "text") == 0 ? 0 : strcmp(format, "csv") == 0 ? 1
                                              : strcmp(format, "json") == 0 ? 2
                                              : strcmp(format, "xlsx") == 0 ? 3 : -1;
    if (fmt < 0) {
        fprintf(stderr, "cnrs: unknown format \"%s\" (use text, csv, json or xlsx)\n", format);
        c.bad = 1;
    }
    if (fmt >= 0 && S_xlsx_target(&c, fmt == 3, out_path))
        c.bad = 1;
    if (!c.bad && c.npos)
        return S_usage(&c, "rank --db takes no PATHs (rank PATH... scores files instead)");
    if (c.bad || !db)
        return S_usage(&c, c.bad ? NULL : "--db FILE is required");
    free(c.pos);

    cnrs_store *s = NULL;
    cnrs_error err = {0};
    cnrs_store_rank_row *rows = NULL;
    size_t n = 0;
    if (S_open(db, CNRS_STORE_READ, &s, &err) != CNRS_OK ||
        cnrs_store_rank_rows(s, year, &rows, &n, &err) != CNRS_OK) {
        cnrs_store_close(s);
        return S_db_error(&err);
    }
    if (fmt != 3) { /* the workbook reads indicators and evidence too */
        cnrs_store_close(s);
        s = NULL;
    }
    if (n == 0) {
        cnrs_buf b = CNRS_BUF_INIT;
        cnrs_buf_puts(&b, "cnrs rank: no scored reports");
        if (year)
            cnrs_buf_printf(&b, " for %d", year);
        cnrs_buf_puts(&b, " in ");
        S_pr(&b, db, "");
        cnrs_buf_putc(&b, '\n');
        S_eput(&b);
    }

    /* Track keys: industry and/or size, "-" when unknown. */
    char **keys = cnrs_xcalloc(n ? n : 1, sizeof *keys);
    for (size_t i = 0; i < n; i++) {
        cnrs_buf k = CNRS_BUF_INIT;
        if (track & S_TRACK_INDUSTRY)
            cnrs_buf_puts(&k, S_or(rows[i].industry, "-"));
        if (track == (S_TRACK_INDUSTRY | S_TRACK_SIZE))
            cnrs_buf_putc(&k, '\x1f');
        if (track & S_TRACK_SIZE)
            cnrs_buf_puts(&k, S_or(rows[i].size, "-"));
        keys[i] = track ? cnrs_buf_steal(&k) : NULL;
        cnrs_buf_free(&k);
    }
    /* Rank year by year (rows come newest year first). */
    cnrs_rank_entry *ent = S_rank_years(rows, n, keys);
    int rc = 0;
    if (fmt == 3) {
        rc = S_workbook(s, year, out_path, rows, ent, n);
        cnrs_store_close(s);
        fmt = -1; /* nothing more to write */
    }

    const char *rubric0 = NULL;
    int mixed = 0;
    cnrs_buf out = CNRS_BUF_INIT;
    if (fmt == 1) {
        cnrs_buf_puts(&out, "\xEF\xBB\xBF"); /* BOM: Excel then reads UTF-8 (as export) */
        for (int i = 0; i < S_RANK_NCOLS; i++)
            cnrs_buf_printf(&out, "%s%s", S_rank_cols[i], i + 1 < S_RANK_NCOLS ? "," : "\n");
    }
    if (fmt == 2)
        cnrs_buf_putc(&out, '[');
    int cur_year = -1, cur_stage = -1;
    const char *cur_key = NULL;
    cnrs_buf num[7];
    for (int i = 0; i < 7; i++)
        num[i] = (cnrs_buf)CNRS_BUF_INIT;
    for (size_t k = 0; fmt >= 0 && k < n; k++) {
        const cnrs_store_rank_row *x = &rows[ent[k].index];
        if (!rubric0)
            rubric0 = x->rubric_sha256;
        else if (strcmp(rubric0, x->rubric_sha256) != 0)
            mixed = 1;
        if (fmt == 0) {
            const char *key = ent[k].track;
            if (x->year != cur_year || x->stage != cur_stage ||
                (track && strcmp(key, cur_key ? cur_key : "") != 0)) {
                cur_year = x->year;
                cur_stage = x->stage;
                cur_key = key;
                if (k)
                    cnrs_buf_putc(&out, '\n');
                if (x->year)
                    cnrs_buf_printf(&out, "%d, ", x->year);
                else
                    cnrs_buf_puts(&out, "year unknown, ");
                cnrs_buf_printf(&out, "stage %d - %s", x->stage, x->stage_name);
                if (track & S_TRACK_INDUSTRY) {
                    cnrs_buf_puts(&out, ", industry ");
                    S_pr(&out, x->industry, "unknown");
                }
                if (track & S_TRACK_SIZE) {
                    cnrs_buf_puts(&out, ", size ");
                    S_pr(&out, x->size, "unknown");
                }
                cnrs_buf_putc(&out, '\n');
            }
            cnrs_buf_printf(&out, "  %4d  ", ent[k].rank);
            cnrs_buf t = CNRS_BUF_INIT;
            cnrs_buf_put_fixed(&t, x->reviewed, 1);
            cnrs_buf_printf(&out, "%5s / ", t.data);
            cnrs_buf_reset(&t);
            cnrs_buf_put_fixed(&t, x->max, 0);
            cnrs_buf_printf(&out, "%-3s  ", t.data);
            S_pr_pad(&out, x->code, "-", 8);
            cnrs_buf_putc(&out, ' ');
            S_pr(&out, x->company, "");
            if (x->report_type) {
                cnrs_buf_puts(&out, " (");
                S_pr(&out, x->report_type, "");
                cnrs_buf_putc(&out, ')');
            }
            if (x->nreviews) {
                cnrs_buf_reset(&t);
                cnrs_buf_put_fixed(&t, x->total, 1);
                cnrs_buf_printf(&out, "  [reviewed: %d indicator%s; automatic %s]", x->nreviews,
                                x->nreviews == 1 ? "" : "s", t.data);
            }
            cnrs_buf_free(&t);
            cnrs_buf_putc(&out, '\n');
        } else if (fmt == 1) {
            const char *v[S_RANK_NCOLS];
            S_rank_cells(x, ent[k].rank, num, v);
            for (int i = 0; i < S_RANK_NCOLS; i++) {
                cnrs_csv_field(&out, v[i]);
                cnrs_buf_putc(&out, i + 1 < S_RANK_NCOLS ? ',' : '\n');
            }
        } else {
            cnrs_buf_puts(&out, k ? ",{\"year\":" : "{\"year\":");
            if (x->year)
                cnrs_buf_printf(&out, "%d", x->year);
            else
                cnrs_buf_puts(&out, "null");
            cnrs_buf_printf(&out, ",\"stage\":%d,\"stage_name\":", x->stage);
            S_json_str0(&out, x->stage_name);
            cnrs_buf_puts(&out, ",\"industry\":");
            S_json_str0(&out, x->industry);
            cnrs_buf_puts(&out, ",\"size\":");
            S_json_str0(&out, x->size);
            cnrs_buf_printf(&out, ",\"rank\":%d,\"score\":", ent[k].rank);
            cnrs_buf_put_fixed(&out, x->reviewed, 1);
            cnrs_buf_puts(&out, ",\"auto_score\":");
            cnrs_buf_put_fixed(&out, x->total, 1);
            cnrs_buf_printf(&out, ",\"reviews\":%d,\"max\":", x->nreviews);
            cnrs_buf_put_fixed(&out, x->max, 0);
            cnrs_buf_puts(&out, ",\"code\":");
            S_json_str0(&out, x->code);
            cnrs_buf_puts(&out, ",\"company\":");
            S_json_str0(&out, x->company);
            cnrs_buf_puts(&out, ",\"report_type\":");
            S_json_str0(&out, x->report_type);
            cnrs_buf_puts(&out, ",\"file\":");
            S_json_str0(&out, x->path);
            cnrs_buf_putc(&out, '}');
        }
    }
    for (int i = 0; i < 7; i++)
        cnrs_buf_free(&num[i]);
    if (fmt == 2)
        cnrs_buf_puts(&out, "]\n");
    S_out(&out);
    cnrs_buf_free(&out);
    if (mixed)
        fputs("cnrs: note: these scores come from more than one rubric version\n", stderr);
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    free(ent);
    cnrs_store_rank_rows_free(rows, n);
    return rc;
}

/* ---- show ---------------------------------------------------------------------------- */

/* The one company `q` names, or an exit status (message printed). */
static int S_one_company(cnrs_cli *c, cnrs_store *s, const char *q, cnrs_store_company *out)
{
    cnrs_store_company *v = NULL;
    size_t n = 0;
    cnrs_error err = {0};
    /* A code as the user writes it (SH600519, 700.HK) is stored in one form. */
    char *code = cnrs_code_normalise(q, 0);
    cnrs_status st = CNRS_OK;
    if (code && strcmp(code, q) != 0)
        st = cnrs_store_find_companies(s, code, &v, &n, &err);
    free(code);
    if (st == CNRS_OK && n == 0)
        st = cnrs_store_find_companies(s, q, &v, &n, &err);
    if (st != CNRS_OK)
        return S_db_error(&err);
    if (n != 1) {
        cnrs_buf b = CNRS_BUF_INIT;
        if (n == 0)
            cnrs_buf_printf(&b, "cnrs %s: no company matches \"", c->cmd);
        else
            cnrs_buf_printf(&b, "cnrs %s: %zu companies match \"", c->cmd, n);
        S_pr(&b, q, "");
        cnrs_buf_puts(&b, n == 0 ? "\"\n" : "\"; give the code:\n");
        for (size_t i = 0; i < n; i++) {
            cnrs_buf_puts(&b, "  ");
            S_pr_pad(&b, v[i].code, "-", 8);
            cnrs_buf_putc(&b, ' ');
            S_pr(&b, v[i].name, "");
            cnrs_buf_putc(&b, '\n');
        }
        S_eput(&b);
        cnrs_store_companies_free(v, n);
        return CNRS_EXIT_NOMATCH;
    }
    *out = v[0];
    free(v);
    return 0;
}

static void S_company_free(cnrs_store_company *c)
{
    free(c->code);
    free(c->name);
    free(c->industry);
    free(c->size);
}

static void S_jb(cnrs_buf *o, const char *key, int v)
{
    cnrs_buf_printf(o, ",\"%s\":%s", key, v ? "true" : "false");
}

static void S_jn(cnrs_buf *o, const char *key, double v, int decimals)
{
    cnrs_buf_printf(o, ",\"%s\":", key);
    cnrs_buf_put_fixed(o, v, decimals);
}

/* The stored scorecard in the JSON scorecard's exact shape (output.h), plus
 * a trailing "db" object with what the database adds. */
static void S_card_json(cnrs_buf *o, const cnrs_stored_card *c, const cnrs_store_review *rv,
                        size_t nrv)
{
    cnrs_buf_puts(o, "{\"file\":");
    S_json_str0(o, c->path);
    cnrs_buf_puts(o, ",\"format\":");
    S_json_str0(o, c->format);
    cnrs_buf_puts(o, ",\"encoding\":");
    S_json_str0(o, c->encoding);
    cnrs_buf_puts(o, ",\"script\":");
    S_json_str0(o, c->script);
    cnrs_buf_printf(o, ",\"pages\":%d", c->pages);
    S_jb(o, "paged", c->paged);
    S_jb(o, "copy_restricted", c->copy_restricted);
    S_jb(o, "ocr", c->ocr);
    cnrs_buf_printf(o, ",\"sentences\":%d,\"rubric\":{\"id\":", c->sentences);
    S_json_str0(o, c->rubric_id);
    cnrs_buf_puts(o, ",\"version\":");
    S_json_str0(o, c->rubric_version);
    cnrs_buf_puts(o, ",\"sha256\":");
    S_json_str0(o, c->rubric_sha256);
    cnrs_buf_printf(o, "},\"stage\":%d,\"stage_name\":", c->stage);
    S_json_str0(o, c->stage_name);
    S_jn(o, "score", c->total, 1);
    S_jn(o, "max", c->max, 0);
    cnrs_buf_puts(o, ",\"indicators\":[");
    for (size_t i = 0; i < c->nind; i++) {
        const cnrs_stored_indicator *x = &c->ind[i];
        cnrs_buf_puts(o, i ? ",{\"id\":" : "{\"id\":");
        S_json_str0(o, x->id);
        cnrs_buf_puts(o, ",\"key\":");
        S_json_str0(o, x->key);
        cnrs_buf_puts(o, ",\"name\":");
        S_json_str0(o, x->name);
        cnrs_buf_printf(o, ",\"stage\":%d", x->stage);
        S_jb(o, "in_stage", x->in_stage);
        S_jn(o, "weight", x->weight, 3);
        cnrs_buf_puts(o, ",\"band\":");
        S_json_str0(o, x->band);
        cnrs_buf_printf(o, ",\"K\":%d,\"covered\":%d", x->K, x->covered);
        S_jn(o, "coverage", x->coverage, 3);
        S_jn(o, "quant", x->quant, 3);
        cnrs_buf_printf(o, ",\"sentences\":%d", x->sentences);
        S_jn(o, "n", x->n, 2);
        S_jb(o, "trend", x->trend);
        S_jb(o, "comparison", x->comparison);
        S_jb(o, "integration", x->integration);
        S_jb(o, "leadership", x->leadership);
        S_jb(o, "bonus", x->bonus);
        S_jn(o, "pct", x->pct, 2);
        S_jn(o, "points", x->points, 3);
        cnrs_buf_printf(o, ",\"items\":%s,\"evidence\":[", x->items);
        for (size_t k = 0; k < x->nev; k++) {
            const cnrs_stored_evidence *e = &c->ev[x->first_ev + k];
            cnrs_buf_puts(o, k ? ",{\"page\":" : "{\"page\":");
            if (e->page)
                cnrs_buf_printf(o, "%d", e->page);
            else
                cnrs_buf_puts(o, "null");
            cnrs_buf_puts(o, ",\"item\":");
            S_json_str0(o, e->item);
            S_jb(o, "quant", e->quant);
            cnrs_buf_puts(o, ",\"units\":[");
            const char *u = e->units;
            int first = 1;
            while (u && *u) {
                const char *comma = strchr(u, ',');
                size_t len = comma ? (size_t)(comma - u) : strlen(u);
                if (!first)
                    cnrs_buf_putc(o, ',');
                first = 0;
                cnrs_json_string(o, u, len);
                u = comma ? comma + 1 : u + len;
            }
            cnrs_buf_putc(o, ']');
            S_jb(o, "trend", e->trend);
            S_jb(o, "comparison", e->comparison);
            S_jb(o, "integration", e->integration);
            S_jb(o, "leadership", e->leadership);
            cnrs_buf_puts(o, ",\"section\":");
            S_json_str0(o, e->section); /* null: stored before sections were */
            cnrs_buf_puts(o, ",\"text\":");
            S_json_str0(o, e->text);
            cnrs_buf_putc(o, '}');
        }
        cnrs_buf_puts(o, "]}");
    }
    cnrs_buf_printf(o, "],\"figures\":%s", c->figures ? c->figures : "[]");
    cnrs_buf_puts(o, ",\"db\":{\"code\":");
    S_json_str0(o, c->code);
    cnrs_buf_puts(o, ",\"company\":");
    S_json_str0(o, c->company);
    cnrs_buf_puts(o, ",\"year\":");
    if (c->year)
        cnrs_buf_printf(o, "%d", c->year);
    else
        cnrs_buf_puts(o, "null");
    cnrs_buf_puts(o, ",\"industry\":");
    S_json_str0(o, c->industry);
    cnrs_buf_puts(o, ",\"size\":");
    S_json_str0(o, c->size);
    cnrs_buf_puts(o, ",\"report_type\":");
    S_json_str0(o, c->report_type);
    cnrs_buf_puts(o, ",\"sha256\":");
    S_json_str0(o, c->sha256);
    cnrs_buf_puts(o, ",\"engine_version\":");
    S_json_str0(o, c->engine_version);
    cnrs_buf_puts(o, ",\"scored_at\":");
    S_json_str0(o, c->scored_at);
    S_jn(o, "reviewed_score", c->reviewed_total, 1);
    cnrs_buf_puts(o, ",\"reviewed_pct\":{");
    int first = 1;
    for (size_t i = 0; i < c->nind; i++)
        if (c->ind[i].reviewed) {
            cnrs_buf_printf(o, "%s\"%s\":", first ? "" : ",", c->ind[i].id);
            cnrs_buf_put_fixed(o, c->ind[i].reviewed_pct, 2);
            first = 0;
        }
    cnrs_buf_puts(o, "},\"reviews\":[");
    for (size_t i = 0; i < nrv; i++) {
        const cnrs_store_review *v = &rv[i];
        cnrs_buf_printf(o, "%s{\"id\":%lld,\"indicator\":", i ? "," : "", (long long)v->id);
        S_json_str0(o, v->indicator);
        S_jn(o, "old_pct", v->old_pct, 2);
        S_jn(o, "new_pct", v->new_pct, 2);
        cnrs_buf_puts(o, ",\"reason\":");
        S_json_str0(o, v->reason);
        cnrs_buf_puts(o, ",\"reviewer\":");
        S_json_str0(o, v->reviewer);
        cnrs_buf_puts(o, ",\"at\":");
        S_json_str0(o, v->created_at);
        cnrs_buf_puts(o, ",\"undone_at\":");
        S_json_str0(o, v->undone_at);
        cnrs_buf_putc(o, '}');
    }
    cnrs_buf_puts(o, "]}}\n");
}

static void S_fixed_col(cnrs_buf *o, const char *fmt, double v, int decimals)
{
    cnrs_buf t = CNRS_BUF_INIT;
    cnrs_buf_put_fixed(&t, v, decimals);
    cnrs_buf_printf(o, fmt, t.data);
    cnrs_buf_free(&t);
}

static void S_card_text(cnrs_buf *o, const cnrs_stored_card *c, int top,
                        const cnrs_store_review *rv, size_t nrv)
{
    S_pr(o, c->code, "-");
    cnrs_buf_putc(o, ' ');
    S_pr(o, c->company, "");
    if (c->year)
        cnrs_buf_printf(o, ", %d", c->year);
    if (c->report_type) {
        cnrs_buf_puts(o, " (");
        S_pr(o, c->report_type, "");
        cnrs_buf_putc(o, ')');
    }
    if (c->industry || c->size) {
        cnrs_buf_puts(o, "  [industry ");
        S_pr(o, c->industry, "-");
        cnrs_buf_puts(o, ", size ");
        S_pr(o, c->size, "-");
        cnrs_buf_putc(o, ']');
    }
    cnrs_buf_puts(o, "\n  ");
    S_pr(o, c->path, "");
    cnrs_buf_printf(o, "\n  %s, %s, %d sentences", c->format, S_or(c->encoding, "-"),
                    c->sentences);
    if (c->paged)
        cnrs_buf_printf(o, ", %d pages", c->pages);
    cnrs_buf_printf(o, "; sha256 %.12s\n  scored %s by cnrs %s with ", c->sha256, c->scored_at,
                    c->engine_version);
    S_pr(o, c->rubric_id, "");
    cnrs_buf_putc(o, ' ');
    S_pr(o, c->rubric_version, "");
    cnrs_buf_putc(o, '\n');
    cnrs_buf_printf(o, "  stage %d (%s): score ", c->stage, c->stage_name);
    S_fixed_col(o, "%s / ", c->total, 1);
    S_fixed_col(o, "%s\n", c->max, 0);
    if (c->nreviewed) {
        S_fixed_col(o, "  reviewed score %s / ", c->reviewed_total, 1);
        S_fixed_col(o, "%s", c->max, 0);
        cnrs_buf_printf(o, " (%zu indicator%s reviewed)\n", c->nreviewed,
                        c->nreviewed == 1 ? "" : "s");
    }
    cnrs_buf_puts(o, "\n  id   key           weight band    c    q   S      n  T C I    pct  "
                     "points\n");
    for (size_t i = 0; i < c->nind; i++) {
        const cnrs_stored_indicator *x = &c->ind[i];
        cnrs_buf_printf(o, "  %-4s %-12s ", x->id, x->key);
        S_fixed_col(o, "%7s ", x->weight, 3);
        cnrs_buf_printf(o, "%-4s ", x->band);
        S_fixed_col(o, "%4s ", x->coverage, 2);
        S_fixed_col(o, "%4s ", x->quant, 2);
        cnrs_buf_printf(o, "%3d ", x->sentences);
        S_fixed_col(o, "%6s  ", x->n, 1);
        cnrs_buf_printf(o, "%c %c %c ", x->trend ? '+' : '.', x->comparison ? '+' : '.',
                        x->integration ? '+' : '.');
        S_fixed_col(o, "%6s ", x->pct, 1);
        if (x->in_stage)
            S_fixed_col(o, "%7s", x->points, 3);
        else
            cnrs_buf_printf(o, "%7s", "-");
        if (x->reviewed) {
            S_fixed_col(o, "  reviewed: %s%%", x->reviewed_pct, 1);
            for (size_t k = 0; k < nrv; k++)
                if (rv[k].id == x->review_id) {
                    cnrs_buf_puts(o, " by ");
                    S_pr(o, rv[k].reviewer, "");
                    cnrs_buf_printf(o, " (review %lld: ", (long long)rv[k].id);
                    S_pr(o, rv[k].reason, "");
                    cnrs_buf_putc(o, ')');
                }
        }
        cnrs_buf_putc(o, '\n');
    }
    cnrs_write_score_legend(o);
    if (c->nfig)
        cnrs_buf_puts(o, "\n  figures (own GHG inventory, docs/figures.md)\n");
    for (size_t k = 0; k < c->nfig; k++) {
        const cnrs_stored_figure *f = &c->fig[k];
        cnrs_write_figure_line(o, S_or(f->scope, "-"), f->basis, S_or(f->kind, "emissions"),
                               f->year, S_or(f->value, ""), S_or(f->unit, ""), f->tco2e,
                               c->paged ? f->page : 0);
    }
    if (c->nev)
        cnrs_buf_puts(o, "\n  evidence (T trend, C comparison, I integration, Q quantitative)\n");
    for (size_t i = 0; i < c->nind; i++) {
        const cnrs_stored_indicator *x = &c->ind[i];
        int shown = 0;
        const char *section = "";
        for (size_t k = 0; k < x->nev && (top <= 0 || shown < top); k++) {
            const cnrs_stored_evidence *e = &c->ev[x->first_ev + k];
            if (shown++ == 0)
                cnrs_buf_printf(o, "  %s %s\n", x->id, x->key);
            if (e->section && strcmp(e->section, section) != 0) {
                section = e->section;
                cnrs_write_section_line(o, section);
            }
            if (e->page)
                cnrs_buf_printf(o, "    p.%-3d ", e->page);
            else
                cnrs_buf_puts(o, "    ");
            cnrs_buf_printf(o, "[%s%s%s%s%s] %s\n", e->item, e->quant ? " Q" : "",
                            e->trend ? " T" : "", e->comparison ? " C" : "",
                            e->integration ? " I" : "", e->text);
        }
    }
}

/* The reviews of one report (all of them, undone ones too). */
static void S_report_reviews(cnrs_store *s, int64_t company_id, const cnrs_stored_card *c,
                             cnrs_store_review **out, size_t *n)
{
    cnrs_error err = {0};
    cnrs_store_review *v = NULL;
    size_t k = 0, m = 0;
    *out = NULL;
    *n = 0;
    if (cnrs_store_reviews(s, company_id, c->year, &v, &k, &err) != CNRS_OK)
        return;
    for (size_t i = 0; i < k; i++) {
        if (v[i].report_id == c->report_id) {
            cnrs_store_review t = v[m];
            v[m++] = v[i];
            v[i] = t;
        }
    }
    for (size_t i = m; i < k; i++)
        cnrs_store_review_clear(&v[i]);
    *out = v;
    *n = m;
}

/* The latest stored scorecard of the one company `q` names (of `year`, or
 * of any year when 0): *card (caller frees) and, when given, the company id
 * and how many reports it has. Returns 0, or an exit status after printing
 * why (no such company, no scored report, database error). */
static int S_latest_card(cnrs_cli *c, cnrs_store *s, const char *q, int year, int with_evidence,
                         int64_t *company_id, size_t *nreports, cnrs_stored_card **card)
{
    *card = NULL;
    cnrs_store_company co;
    int rc = S_one_company(c, s, q, &co);
    if (rc)
        return rc;
    int64_t *ids = NULL;
    size_t nids = 0;
    cnrs_error err = {0};
    if (cnrs_store_company_reports(s, co.id, year, &ids, &nids, &err) != CNRS_OK) {
        rc = S_db_error(&err);
    } else if (nids == 0) {
        cnrs_buf b = CNRS_BUF_INIT;
        cnrs_buf_printf(&b, "cnrs %s: no scored report of ", c->cmd);
        S_pr(&b, co.code, "-");
        cnrs_buf_putc(&b, ' ');
        S_pr(&b, co.name, "");
        if (year)
            cnrs_buf_printf(&b, " for %d", year);
        cnrs_buf_putc(&b, '\n');
        S_eput(&b);
        rc = CNRS_EXIT_NOMATCH;
    } else if (cnrs_store_load_card(s, ids[0], with_evidence, card, &err) != CNRS_OK) {
        rc = S_db_error(&err);
    }
    if (company_id)
        *company_id = co.id;
    if (nreports)
        *nreports = nids;
    free(ids);
    S_company_free(&co);
    return rc;
}

int cnrs_cmd_show(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "show", argc, argv);
    const char *db = NULL, *year_s = NULL, *format = "text", *top_s = NULL;
    while (c.i < c.argc) {
        if (cnrs_cli_value(&c, "--db", &db) || cnrs_cli_value(&c, "--year", &year_s) ||
            cnrs_cli_value(&c, "--format", &format) || cnrs_cli_value(&c, "--top", &top_s))
            continue;
        cnrs_cli_other(&c);
    }
    int year = S_year_opt(&c, year_s);
    int top = top_s ? (int)cnrs_cli_number(&c, "--top", top_s, 0, 1000000) : 0;
    int json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0) {
        fprintf(stderr, "cnrs: unknown format \"%s\" (use text or json)\n", format);
        c.bad = 1;
    }
    if (c.bad)
        return S_usage(&c, NULL);
    if (!db || c.npos != 1)
        return S_usage(&c, "usage: cnrs show --db FILE [--year Y] [--format text|json] "
                           "COMPANY-OR-CODE");
    const char *q = c.pos[0];
    free(c.pos);

    cnrs_store *s = NULL;
    cnrs_error err = {0};
    if (S_open(db, CNRS_STORE_READ, &s, &err) != CNRS_OK)
        return S_db_error(&err);
    int64_t company_id = 0;
    size_t nids = 0;
    cnrs_stored_card *card = NULL;
    int rc = S_latest_card(&c, s, q, year, 1, &company_id, &nids, &card);
    if (rc == 0) {
        cnrs_store_review *rv = NULL;
        size_t nrv = 0;
        S_report_reviews(s, company_id, card, &rv, &nrv);
        cnrs_buf out = CNRS_BUF_INIT;
        if (json)
            S_card_json(&out, card, rv, nrv);
        else
            S_card_text(&out, card, top, rv, nrv);
        S_out(&out);
        cnrs_buf_free(&out);
        cnrs_store_reviews_free(rv, nrv);
        if (!year && nids > 1 && !json)
            fprintf(stderr, "cnrs show: %zu reports of this company; this is the latest "
                            "(--year Y for another)\n", nids);
    }
    cnrs_stored_card_free(card);
    cnrs_store_close(s);
    return rc;
}

/* ---- gaps --db ------------------------------------------------------------------------ */

int cnrs_cmd_gaps_db(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "gaps", argc, argv);
    const char *db = NULL, *year_s = NULL, *format = "text", *top_s = NULL, *company = NULL;
    const char *rubric_path = NULL;
    while (c.i < c.argc) {
        if (cnrs_cli_value(&c, "--db", &db) || cnrs_cli_value(&c, "--year", &year_s) ||
            cnrs_cli_value(&c, "--company", &company) || cnrs_cli_value(&c, "--format", &format) ||
            cnrs_cli_value(&c, "--top", &top_s) || cnrs_cli_value(&c, "--rubric", &rubric_path))
            continue;
        cnrs_cli_other(&c);
    }
    int year = S_year_opt(&c, year_s);
    int top = top_s ? (int)cnrs_cli_number(&c, "--top", top_s, 0, 1000000) : 0;
    int json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0) {
        fprintf(stderr, "cnrs: unknown format \"%s\" (use text or json)\n", format);
        c.bad = 1;
    }
    if (c.bad)
        return S_usage(&c, NULL);
    if (!db || !company || c.npos != 0)
        return S_usage(&c, "usage: cnrs gaps --db FILE --company NAME-OR-CODE [--year Y] "
                           "[--format text|json] [--top N] [--rubric FILE]");
    free(c.pos);
    cnrs_rubric *r = cnrs_cli_rubric(rubric_path);
    if (!r)
        return CNRS_EXIT_RUBRIC;

    cnrs_store *s = NULL;
    cnrs_error err = {0};
    if (S_open(db, CNRS_STORE_READ, &s, &err) != CNRS_OK) {
        cnrs_rubric_free(r);
        return S_db_error(&err);
    }
    size_t nids = 0;
    cnrs_stored_card *card = NULL;
    cnrs_scorecard *sc = NULL;
    int rc = S_latest_card(&c, s, company, year, 0, NULL, &nids, &card);
    if (rc == 0 && cnrs_scorecard_from_stored(r, card, &sc, &err) != CNRS_OK) {
        fprintf(stderr, "cnrs gaps: %s\n", err.msg);
        rc = CNRS_EXIT_RUBRIC;
    }
    if (rc == 0) {
        /* Named as `show` names it; printable, since names come from files. */
        cnrs_buf name = CNRS_BUF_INIT, out = CNRS_BUF_INIT;
        cnrs_buf_printf(&name, "%s %s %d (%s)", S_or(card->code, "-"), card->company,
                        card->year, card->path);
        cnrs_gaps g;
        cnrs_gaps_compute_lang(r, sc, card->script && strcmp(card->script, "none") == 0, &g);
        if (json) {
            cnrs_write_gaps_json(&out, r, cnrs_buf_cstr(&name), sc, &g);
        } else {
            cnrs_buf safe = CNRS_BUF_INIT;
            cnrs_buf_put_printable(&safe, cnrs_buf_cstr(&name));
            cnrs_write_gaps_text(&out, r, cnrs_buf_cstr(&safe), sc, &g, top);
            cnrs_buf_free(&safe);
        }
        S_out(&out);
        cnrs_gaps_free(&g);
        cnrs_buf_free(&name);
        cnrs_buf_free(&out);
        if (!year && nids > 1 && !json)
            fprintf(stderr, "cnrs gaps: %zu reports of this company; this is the latest "
                            "(--year Y for another)\n", nids);
    }
    cnrs_scorecard_free(sc);
    cnrs_stored_card_free(card);
    cnrs_store_close(s);
    cnrs_rubric_free(r);
    return rc;
}

/* ---- history ------------------------------------------------------------------------- */

int cnrs_cmd_history(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "history", argc, argv);
    const char *db = NULL, *format = "text";
    while (c.i < c.argc) {
        if (cnrs_cli_value(&c, "--db", &db) || cnrs_cli_value(&c, "--format", &format))
            continue;
        cnrs_cli_other(&c);
    }
    int csv = strcmp(format, "csv") == 0;
    if (!csv && strcmp(format, "text") != 0) {
        fprintf(stderr, "cnrs: unknown format \"%s\" (use text or csv)\n", format);
        c.bad = 1;
    }
    if (c.bad)
        return S_usage(&c, NULL);
    if (!db || c.npos != 1)
        return S_usage(&c, "usage: cnrs history --db FILE [--format text|csv] COMPANY-OR-CODE");
    const char *q = c.pos[0];
    free(c.pos);

    cnrs_store *s = NULL;
    cnrs_error err = {0};
    if (S_open(db, CNRS_STORE_READ, &s, &err) != CNRS_OK)
        return S_db_error(&err);
    cnrs_store_company co;
    int rc = S_one_company(&c, s, q, &co);
    if (rc) {
        cnrs_store_close(s);
        return rc;
    }
    int64_t *ids = NULL;
    size_t n = 0;
    if (cnrs_store_company_reports(s, co.id, 0, &ids, &n, &err) != CNRS_OK) {
        rc = S_db_error(&err);
        n = 0;
    } else if (n == 0) {
        cnrs_buf b = CNRS_BUF_INIT;
        cnrs_buf_puts(&b, "cnrs history: no scored report of ");
        S_pr(&b, co.code, "-");
        cnrs_buf_putc(&b, ' ');
        S_pr(&b, co.name, "");
        cnrs_buf_putc(&b, '\n');
        S_eput(&b);
        rc = CNRS_EXIT_NOMATCH;
    }
    /* Oldest first. */
    cnrs_stored_card **cards = cnrs_xcalloc(n ? n : 1, sizeof *cards);
    for (size_t i = 0; i < n && !rc; i++)
        if (cnrs_store_load_card(s, ids[n - 1 - i], 0, &cards[i], &err) != CNRS_OK)
            rc = S_db_error(&err);
    cnrs_buf out = CNRS_BUF_INIT;
    if (!rc && csv) {
        cnrs_buf_puts(&out, "code,company,year,report_type,stage,indicator,key,band,pct,"
                            "reviewed_pct,change\n");
        for (size_t i = 0; i < n; i++) {
            const cnrs_stored_card *k = cards[i];
            const cnrs_stored_card *prev = i ? cards[i - 1] : NULL;
            for (size_t j = 0; j <= k->nind; j++) {
                cnrs_csv_field(&out, k->code);
                cnrs_buf_putc(&out, ',');
                cnrs_csv_field(&out, k->company);
                if (k->year)
                    cnrs_buf_printf(&out, ",%d,", k->year);
                else
                    cnrs_buf_puts(&out, ",,");
                cnrs_csv_field(&out, k->report_type);
                cnrs_buf_printf(&out, ",%d", k->stage);
                if (j == 0) { /* the total first: score, reviewed score, change */
                    cnrs_buf_puts(&out, ",total,,,");
                    cnrs_buf_put_fixed(&out, k->total, 1);
                    cnrs_buf_putc(&out, ',');
                    cnrs_buf_put_fixed(&out, k->reviewed_total, 1);
                    cnrs_buf_putc(&out, ',');
                    if (prev)
                        cnrs_buf_put_fixed(&out, k->reviewed_total - prev->reviewed_total, 1);
                    cnrs_buf_putc(&out, '\n');
                    continue;
                }
                const cnrs_stored_indicator *x = &k->ind[j - 1];
                cnrs_buf_printf(&out, ",%s,%s,%s,", x->id, x->key, x->band);
                cnrs_buf_put_fixed(&out, x->pct, 2);
                cnrs_buf_putc(&out, ',');
                cnrs_buf_put_fixed(&out, x->reviewed_pct, 2);
                cnrs_buf_putc(&out, ',');
                if (prev && j - 1 < prev->nind)
                    cnrs_buf_put_fixed(&out, x->reviewed_pct - prev->ind[j - 1].reviewed_pct, 2);
                cnrs_buf_putc(&out, '\n');
            }
        }
    } else if (!rc) {
        S_pr(&out, co.code, "-");
        cnrs_buf_putc(&out, ' ');
        S_pr(&out, co.name, "");
        cnrs_buf_puts(&out, "\n\n  year  type      stage   score   reviewed    max  file\n");
        for (size_t i = 0; i < n; i++) {
            const cnrs_stored_card *k = cards[i];
            if (k->year)
                cnrs_buf_printf(&out, "  %4d  ", k->year);
            else
                cnrs_buf_puts(&out, "     ?  ");
            cnrs_buf type = CNRS_BUF_INIT;
            S_pr(&type, k->report_type, "-");
            cnrs_buf_printf(&out, "%-8.8s  %5d  ", cnrs_buf_cstr(&type), k->stage);
            cnrs_buf_free(&type);
            S_fixed_col(&out, "%6s  ", k->total, 1);
            if (k->nreviewed)
                S_fixed_col(&out, "%8s*  ", k->reviewed_total, 1);
            else
                cnrs_buf_printf(&out, "%8s   ", "-");
            S_fixed_col(&out, "%5s  ", k->max, 0);
            S_pr(&out, k->path, "");
            cnrs_buf_putc(&out, '\n');
        }
        cnrs_buf_puts(&out, "\n  indicator pct by year (change from the year before; * reviewed)\n"
                            "  id   key         ");
        for (size_t i = 0; i < n; i++) {
            if (cards[i]->year)
                cnrs_buf_printf(&out, "  %14d", cards[i]->year);
            else
                cnrs_buf_printf(&out, "  %14s", "?");
        }
        cnrs_buf_putc(&out, '\n');
        size_t nind = n ? cards[0]->nind : 0;
        for (size_t j = 0; j < nind; j++) {
            cnrs_buf_printf(&out, "  %-4s %-12s", cards[0]->ind[j].id, cards[0]->ind[j].key);
            for (size_t i = 0; i < n; i++) {
                if (j >= cards[i]->nind) {
                    cnrs_buf_printf(&out, "  %14s", "");
                    continue;
                }
                const cnrs_stored_indicator *x = &cards[i]->ind[j];
                cnrs_buf cell = CNRS_BUF_INIT;
                cnrs_buf_put_fixed(&cell, x->reviewed_pct, 1);
                if (x->reviewed)
                    cnrs_buf_putc(&cell, '*');
                if (i && j < cards[i - 1]->nind) {
                    double d = x->reviewed_pct - cards[i - 1]->ind[j].reviewed_pct;
                    cnrs_buf_puts(&cell, d < -0.05 ? " (-" : " (+");
                    cnrs_buf_put_fixed(&cell, d < 0 ? -d : d, 1);
                    cnrs_buf_putc(&cell, ')');
                }
                cnrs_buf_printf(&out, "  %14s", cell.data);
                cnrs_buf_free(&cell);
            }
            cnrs_buf_putc(&out, '\n');
        }
    }
    S_out(&out);
    cnrs_buf_free(&out);
    for (size_t i = 0; i < n; i++)
        cnrs_stored_card_free(cards[i]);
    free(cards);
    free(ids);
    S_company_free(&co);
    cnrs_store_close(s);
    return rc;
}

/* ---- review ---------------------------------------------------------------------------- */

static const char *S_reviewer(const char *given)
{
    if (given && *given)
        return given;
    const char *u = getenv("USER");
    return u && *u ? u : "unknown";
}

static int S_review_list(cnrs_store *s, int64_t company_id, int year)
{
    cnrs_store_review *v = NULL;
    size_t n = 0;
    cnrs_error err = {0};
    if (cnrs_store_reviews(s, company_id, year, &v, &n, &err) != CNRS_OK)
        return S_db_error(&err);
    cnrs_buf out = CNRS_BUF_INIT;
    cnrs_buf_puts(&out, "id\tcode\tcompany\tyear\tindicator\told_pct\tnew_pct\treviewer\tat\t"
                        "status\treason\n");
    for (size_t i = 0; i < n; i++) {
        cnrs_buf_printf(&out, "%lld\t", (long long)v[i].id);
        S_pr(&out, v[i].code, "-");
        cnrs_buf_putc(&out, '\t');
        S_pr(&out, v[i].company, "");
        cnrs_buf_putc(&out, '\t');
        if (v[i].year)
            cnrs_buf_printf(&out, "%d", v[i].year);
        cnrs_buf_printf(&out, "\t%s\t", v[i].indicator);
        cnrs_buf_put_fixed(&out, v[i].old_pct, 2);
        cnrs_buf_putc(&out, '\t');
        cnrs_buf_put_fixed(&out, v[i].new_pct, 2);
        cnrs_buf_putc(&out, '\t');
        S_pr(&out, v[i].reviewer, "");
        cnrs_buf_printf(&out, "\t%s\t", v[i].created_at);
        if (v[i].undone_at) {
            cnrs_buf_printf(&out, "undone %s by ", v[i].undone_at);
            S_pr(&out, v[i].undone_by, "?");
        } else {
            cnrs_buf_puts(&out, "in force");
        }
        cnrs_buf_putc(&out, '\t');
        S_pr(&out, v[i].reason, "");
        cnrs_buf_putc(&out, '\n');
    }
    S_out(&out);
    cnrs_buf_free(&out);
    cnrs_store_reviews_free(v, n);
    return 0;
}

int cnrs_cmd_review(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "review", argc, argv);
    const char *db = NULL, *company = NULL, *year_s = NULL, *ind = NULL, *pct_s = NULL;
    const char *reason = NULL, *reviewer = NULL, *undo_s = NULL;
    int list = 0;
    while (c.i < c.argc) {
        if (cnrs_cli_value(&c, "--db", &db) || cnrs_cli_value(&c, "--company", &company) ||
            cnrs_cli_value(&c, "--year", &year_s) || cnrs_cli_value(&c, "--indicator", &ind) ||
            cnrs_cli_value(&c, "--pct", &pct_s) || cnrs_cli_value(&c, "--reason", &reason) ||
            cnrs_cli_value(&c, "--reviewer", &reviewer) || cnrs_cli_value(&c, "--undo", &undo_s) ||
            cnrs_cli_flag(&c, "--list", &list))
            continue;
        cnrs_cli_other(&c);
    }
    int year = S_year_opt(&c, year_s);
    long undo = undo_s ? cnrs_cli_number(&c, "--undo", undo_s, 1, 0x7fffffffL) : 0;
    double pct = 0;
    if (pct_s) {
        char *end;
        pct = strtod(pct_s, &end);
        if (!*pct_s || *end || !(pct >= 0 && pct <= 100)) {
            fprintf(stderr, "cnrs review: --pct must be a percentage from 0 to 100 (got \"%s\")\n",
                    pct_s);
            c.bad = 1;
        }
    }
    if (c.bad)
        return S_usage(&c, NULL);
    if (!db || c.npos)
        return S_usage(&c, "usage: cnrs review --db FILE --company C --year Y --indicator ID "
                           "--pct P --reason TEXT [--reviewer NAME] | --list [--company C] "
                           "[--year Y] | --undo ID");
    if (!list && !undo && (!company || !year || !ind || !pct_s || !reason || !*reason))
        return S_usage(&c, "a review needs --company, --year, --indicator, --pct and --reason");
    free(c.pos);

    cnrs_store *s = NULL;
    cnrs_error err = {0};
    if (S_open(db, list ? CNRS_STORE_READ : CNRS_STORE_WRITE, &s, &err) != CNRS_OK)
        return S_db_error(&err);
    int rc = 0;
    cnrs_store_company co = {0, NULL, NULL, NULL, NULL};
    if (company && (rc = S_one_company(&c, s, company, &co)) != 0) {
        cnrs_store_close(s);
        return rc;
    }
    if (list) {
        rc = S_review_list(s, co.id, year);
    } else if (undo) {
        if (cnrs_store_review_undo(s, undo, S_reviewer(reviewer), &err) != CNRS_OK) {
            if (err.code == CNRS_ERR_USAGE) {
                fprintf(stderr, "cnrs review: %s\n", err.msg);
                rc = CNRS_EXIT_NOMATCH;
            } else {
                rc = S_db_error(&err);
            }
        } else {
            printf("review %ld undone\n", undo);
        }
    } else {
        int64_t *ids = NULL;
        size_t n = 0;
        cnrs_stored_card *before = NULL, *after = NULL;
        int64_t id = 0;
        double old = 0;
        if (cnrs_store_company_reports(s, co.id, year, &ids, &n, &err) != CNRS_OK) {
            rc = S_db_error(&err);
        } else if (n == 0) {
            cnrs_buf b = CNRS_BUF_INIT;
            cnrs_buf_puts(&b, "cnrs review: no scored report of ");
            S_pr(&b, co.code, "-");
            cnrs_buf_putc(&b, ' ');
            S_pr(&b, co.name, "");
            cnrs_buf_printf(&b, " for %d\n", year);
            S_eput(&b);
            rc = CNRS_EXIT_NOMATCH;
        } else if (cnrs_store_load_card(s, ids[0], 0, &before, &err) != CNRS_OK ||
                   cnrs_store_review_add(s, ids[0], ind, pct, reason, S_reviewer(reviewer), &id,
                                         &old, &err) != CNRS_OK ||
                   cnrs_store_load_card(s, ids[0], 0, &after, &err) != CNRS_OK) {
            if (err.code == CNRS_ERR_USAGE) {
                fprintf(stderr, "cnrs review: %s\n", err.msg);
                rc = CNRS_EXIT_USAGE;
            } else {
                rc = S_db_error(&err);
            }
        } else {
            cnrs_buf out = CNRS_BUF_INIT;
            cnrs_buf_printf(&out, "review %lld: ", (long long)id);
            S_pr(&out, co.code, "-");
            cnrs_buf_putc(&out, ' ');
            S_pr(&out, co.name, "");
            cnrs_buf_printf(&out, " %d %s ", year, ind);
            cnrs_buf_put_fixed(&out, old, 2);
            cnrs_buf_puts(&out, " -> ");
            cnrs_buf_put_fixed(&out, pct, 2);
            cnrs_buf_puts(&out, " by ");
            S_pr(&out, S_reviewer(reviewer), "");
            cnrs_buf_puts(&out, "\nscore ");
            cnrs_buf_put_fixed(&out, after->total, 1);
            cnrs_buf_puts(&out, " automatic, reviewed ");
            cnrs_buf_put_fixed(&out, before->reviewed_total, 1);
            cnrs_buf_puts(&out, " -> ");
            cnrs_buf_put_fixed(&out, after->reviewed_total, 1);
            cnrs_buf_puts(&out, " / ");
            cnrs_buf_put_fixed(&out, after->max, 0);
            cnrs_buf_putc(&out, '\n');
            for (size_t i = 0; i < after->nind; i++)
                if (after->ind[i].review_id == id && !after->ind[i].in_stage)
                    cnrs_buf_printf(&out, "note: %s is not scored at stage %d, so the review "
                                          "does not change the score\n",
                                    after->ind[i].id, after->stage);
            S_out(&out);
            cnrs_buf_free(&out);
        }
        cnrs_stored_card_free(before);
        cnrs_stored_card_free(after);
        free(ids);
    }
    S_company_free(&co);
    cnrs_store_close(s);
    return rc;
}

/* ---- export --------------------------------------------------------------------------- */

typedef struct S_export {
    int jsonl;
    cnrs_buf out;
} S_export;

static void S_export_row(void *ctx, size_t ncols, const char *const *names,
                         const cnrs_cell_kind *kinds, const char *const *values)
{
    S_export *e = ctx;
    if (!values) {
        if (e->jsonl)
            return;
        cnrs_buf_puts(&e->out, "\xEF\xBB\xBF"); /* BOM: Excel then reads UTF-8 */
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                cnrs_buf_putc(&e->out, ',');
            cnrs_buf_puts(&e->out, names[i]);
        }
        cnrs_buf_puts(&e->out, "\r\n");
        return;
    }
    if (e->jsonl) {
        cnrs_buf_putc(&e->out, '{');
        for (size_t i = 0; i < ncols; i++) {
            cnrs_buf_printf(&e->out, "%s\"%s\":", i ? "," : "", names[i]);
            if (!values[i])
                cnrs_buf_puts(&e->out, "null");
            else if (kinds[i] == CNRS_CELL_TEXT)
                cnrs_json_string(&e->out, values[i], strlen(values[i]));
            else if (kinds[i] == CNRS_CELL_BOOL)
                cnrs_buf_puts(&e->out, values[i][0] == '1' ? "true" : "false");
            else
                cnrs_buf_puts(&e->out, values[i]);
        }
        cnrs_buf_puts(&e->out, "}\n");
    } else {
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                cnrs_buf_putc(&e->out, ',');
            cnrs_csv_field(&e->out, values[i]);
        }
        cnrs_buf_puts(&e->out, "\r\n");
    }
    if (e->out.len > 65536)
        S_out(&e->out);
}

int cnrs_cmd_export(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "export", argc, argv);
    const char *db = NULL, *format = "csv", *what_s = "scores", *year_s = NULL, *out_path = NULL;
    while (c.i < c.argc) {
        if (cnrs_cli_value(&c, "--db", &db) || cnrs_cli_value(&c, "--format", &format) ||
            cnrs_cli_value(&c, "--what", &what_s) || cnrs_cli_value(&c, "--year", &year_s) ||
            cnrs_cli_value(&c, "--out", &out_path))
            continue;
        cnrs_cli_other(&c);
    }
    int year = S_year_opt(&c, year_s);
    int jsonl = strcmp(format, "jsonl") == 0, xlsx = strcmp(format, "xlsx") == 0;
    if (!jsonl && !xlsx && strcmp(format, "csv") != 0) {
        fprintf(stderr, "cnrs: unknown format \"%s\" (use csv, jsonl or xlsx)\n", format);
        c.bad = 1;
    } else if (S_xlsx_target(&c, xlsx, out_path)) {
        c.bad = 1;
    }
    cnrs_export_what what = CNRS_EXPORT_SCORES;
    if (strcmp(what_s, "indicators") == 0)
        what = CNRS_EXPORT_INDICATORS;
    else if (strcmp(what_s, "evidence") == 0)
        what = CNRS_EXPORT_EVIDENCE;
    else if (strcmp(what_s, "figures") == 0)
        what = CNRS_EXPORT_FIGURES;
    else if (strcmp(what_s, "scores") != 0) {
        fprintf(stderr,
                "cnrs export: --what is scores, indicators, evidence or figures (got \"%s\")\n",
                what_s);
        c.bad = 1;
    }
    if (c.bad)
        return S_usage(&c, NULL);
    if (!db || c.npos)
        return S_usage(&c, "usage: cnrs export --db FILE [--format csv|jsonl] "
                           "[--what scores|indicators|evidence|figures] [--year Y]\n"
                           "       cnrs export --db FILE --format xlsx [--out FILE] [--year Y]");
    free(c.pos);
    cnrs_store *s = NULL;
    cnrs_error err = {0};
    if (S_open(db, CNRS_STORE_READ, &s, &err) != CNRS_OK)
        return S_db_error(&err);
    if (xlsx) { /* every sheet, --what aside: the ranking by stage, indicators, evidence */
        cnrs_store_rank_row *rows = NULL;
        size_t n = 0;
        int rc;
        if (cnrs_store_rank_rows(s, year, &rows, &n, &err) != CNRS_OK) {
            rc = S_db_error(&err);
        } else {
            cnrs_rank_entry *ent = S_rank_years(rows, n, NULL);
            rc = S_workbook(s, year, out_path, rows, ent, n);
            free(ent);
        }
        cnrs_store_rank_rows_free(rows, n);
        cnrs_store_close(s);
        return rc;
    }
    S_export e = {jsonl, CNRS_BUF_INIT};
    int rc = 0;
    if (cnrs_store_export(s, what, year, S_export_row, &e, &err) != CNRS_OK)
        rc = S_db_error(&err);
    S_out(&e.out);
    cnrs_buf_free(&e.out);
    cnrs_store_close(s);
    return rc;
}

/* ---- merge ------------------------------------------------------------------------------ */

int cnrs_cmd_merge(int argc, char **argv)
{
    cnrs_cli c;
    cnrs_cli_init(&c, "merge", argc, argv);
    int quiet = 0;
    while (c.i < c.argc) {
        if (cnrs_cli_flag(&c, "--quiet", &quiet))
            continue;
        cnrs_cli_other(&c);
    }
    if (c.bad)
        return S_usage(&c, NULL);
    if (c.npos < 2)
        return S_usage(&c, "usage: cnrs merge OUT.db IN.db...");
    cnrs_store *s = NULL;
    cnrs_error err = {0};
    if (S_open(c.pos[0], CNRS_STORE_CREATE, &s, &err) != CNRS_OK) {
        free(c.pos);
        return S_db_error(&err);
    }
    int rc = 0;
    for (int i = 1; i < c.npos; i++) {
        cnrs_merge_counts mc = {0, 0, 0, 0, 0, 0};
        if (cnrs_store_merge(s, c.pos[i], &mc, &err) != CNRS_OK) {
            int r = err.code == CNRS_ERR_USAGE ? CNRS_EXIT_USAGE : S_db_error(&err);
            if (err.code == CNRS_ERR_USAGE)
                fprintf(stderr, "cnrs merge: %s\n", err.msg);
            if (!rc)
                rc = r;
            continue;
        }
        if (!quiet) {
            cnrs_buf b = CNRS_BUF_INIT;
            cnrs_buf_puts(&b, "merged ");
            S_pr(&b, c.pos[i], "");
            cnrs_buf_printf(&b, ": %zu reports, %zu scores (%zu already present), %zu runs, "
                                "%zu failures, %zu reviews\n",
                            mc.reports, mc.scores, mc.skipped, mc.runs, mc.failures, mc.reviews);
            S_out(&b);
            cnrs_buf_free(&b);
        }
    }
    cnrs_store_close(s);
    free(c.pos);
    return rc;
}
