/* cli.c - option parsing and rubric loading shared by main.c and cmd_db.c. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ingest.h"
#include "rubric.h"

int cnrs_cli_option(int argc, char **argv, int *i, const char *name, const char **val)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0 || (arg[n] != '=' && arg[n] != '\0'))
        return 0;
    if (arg[n] == '=') {
        *val = arg + n + 1;
        (*i)++;
    } else if (*i + 1 < argc) {
        *val = argv[*i + 1];
        *i += 2;
    } else {
        (*i)++;
        return -1;
    }
    return 1;
}

void cnrs_cli_init(cnrs_cli *c, const char *cmd, int argc, char **argv)
{
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    c->argc = argc;
    c->argv = argv;
    c->pos = cnrs_xcalloc((size_t)argc + 1, sizeof *c->pos);
}

void cnrs_cli_free(cnrs_cli *c)
{
    free(c->pos);
    c->pos = NULL;
    c->npos = 0;
}

int cnrs_cli_value(cnrs_cli *c, const char *name, const char **val)
{
    int rc = cnrs_cli_option(c->argc, c->argv, &c->i, name, val);
    if (rc == 0)
        return 0;
    if (rc < 0) {
        fprintf(stderr, "cnrs %s: option %s needs a value\n", c->cmd, name);
        c->bad = 1;
    }
    return 1;
}

int cnrs_cli_flag(cnrs_cli *c, const char *name, int *flag)
{
    if (strcmp(c->argv[c->i], name) != 0)
        return 0;
    *flag = 1;
    c->i++;
    return 1;
}

void cnrs_cli_other(cnrs_cli *c)
{
    const char *arg = c->argv[c->i];
    if (strcmp(arg, "--") == 0) {
        for (c->i++; c->i < c->argc; c->i++)
            c->pos[c->npos++] = c->argv[c->i];
        return;
    }
    if (arg[0] == '-' && arg[1]) {
        fprintf(stderr, "cnrs %s: unknown option %s (cnrs %s --help lists them)\n", c->cmd,
                arg, c->cmd);
        c->bad = 1;
    } else {
        c->pos[c->npos++] = c->argv[c->i];
    }
    c->i++;
}

long cnrs_cli_number(cnrs_cli *c, const char *what, const char *s, long lo, long hi)
{
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < lo || v > hi) {
        fprintf(stderr, "cnrs %s: %s must be a number from %ld to %ld (got \"%s\")\n", c->cmd,
                what, lo, hi, s ? s : "");
        c->bad = 1;
        return -1;
    }
    return v;
}

cnrs_rubric *cnrs_cli_rubric(const char *path)
{
    cnrs_rubric *r = NULL;
    cnrs_error err = {0};
    cnrs_buf report = CNRS_BUF_INIT;
    cnrs_status st = path ? cnrs_rubric_load(path, &r, &report, &err)
                          : cnrs_rubric_load_builtin(&r, &report, &err);
    if (st != CNRS_OK) {
        fprintf(stderr, "%s", report.len ? cnrs_buf_cstr(&report) : err.msg);
        if (!report.len)
            fputc('\n', stderr);
    }
    cnrs_buf_free(&report);
    return r;
}

int cnrs_cli_ocr(const char *val, cnrs_ingest_opts *io)
{
    if (cnrs_ocr_mode_parse(val, &io->ocr))
        return 1;
    fprintf(stderr, "cnrs: --ocr takes auto, never or always, not \"%s\"\n", val);
    return 0;
}

static pthread_mutex_t S_ocr_mu = PTHREAD_MUTEX_INITIALIZER;

static void S_ocr_line(void *ctx, const cnrs_ocr_progress *p)
{
    (void)ctx;
    const char *base = strrchr(p->path, '/');
    base = base ? base + 1 : p->path;
    pthread_mutex_lock(&S_ocr_mu);
    if (p->done >= p->total)
        fputs("\r\033[K", stderr);
    else if (p->done == 0)
        fprintf(stderr, "\r\033[KOCR %.40s: page 0/%d", base, p->total);
    else
        fprintf(stderr, "\r\033[KOCR %.40s: page %d/%d, %.1f s/page", base, p->done, p->total,
                p->elapsed / p->done);
    fflush(stderr);
    pthread_mutex_unlock(&S_ocr_mu);
}

void cnrs_cli_ocr_progress(cnrs_ingest_opts *io)
{
    if (isatty(2))
        io->on_ocr_progress = S_ocr_line;
}
