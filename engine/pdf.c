/* pdf.c - child processes with a deadline and an output cap; PDF through pdftohtml. */
#define _GNU_SOURCE /* posix_spawn_file_actions_addclosefrom_np, pipe2 */
#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pdfxml.h"

extern char **environ;

/* ==== child processes ====================================================== */

struct cnrs_child {
    pid_t pid;
    int out, err;    /* read ends; -1 once closed */
    double deadline; /* monotonic seconds; 0: none */
    size_t max_output, max_stderr;
    size_t out_bytes;
    cnrs_child_fail fail;
    int finished;
    int killed; /* we sent SIGKILL */
    int exited, status;
    char *errbuf; /* max_stderr + 1 bytes */
    size_t err_len;
};

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Milliseconds left before the deadline for poll (-1: no deadline). */
static int S_wait_ms(const cnrs_child *c)
{
    if (c->deadline <= 0)
        return -1;
    double left = c->deadline - S_now();
    if (left <= 0)
        return 0;
    return left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
}

static void S_close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static void S_kill(cnrs_child *c)
{
    if (c->pid > 0) {
        kill(-c->pid, SIGKILL); /* the process group it leads */
        kill(c->pid, SIGKILL);
        c->killed = 1;
    }
}

/* Read what stderr has now; keeps the first max_stderr bytes. */
static void S_drain_err(cnrs_child *c)
{
    char buf[4096];
    ssize_t n = read(c->err, buf, sizeof buf);
    if (n > 0) {
        size_t room = c->max_stderr - c->err_len;
        size_t k = (size_t)n < room ? (size_t)n : room;
        memcpy(c->errbuf + c->err_len, buf, k);
        c->err_len += k;
        c->errbuf[c->err_len] = '\0';
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        S_close_fd(&c->err);
    }
}

static void S_failed(cnrs_child *c, cnrs_child_fail why)
{
    if (c->fail == CNRS_CHILD_OK)
        c->fail = why;
    S_kill(c);
    S_close_fd(&c->out);
    S_close_fd(&c->err);
}

cnrs_status cnrs_child_start(const char *const argv[], const cnrs_child_opts *opts,
                             cnrs_child **out, cnrs_error *err)
{
    *out = NULL;
    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) != 0)
        return cnrs_error_set(err, CNRS_ERR_IO, "cannot create a pipe: %s", strerror(errno));
    if (pipe2(pe, O_CLOEXEC) != 0) {
        int e = errno;
        close(po[0]);
        close(po[1]);
        return cnrs_error_set(err, CNRS_ERR_IO, "cannot create a pipe: %s", strerror(e));
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    posix_spawn_file_actions_addclosefrom_np(&fa, 3); /* descriptors the caller opened */
#endif
    posix_spawnattr_init(&at);
    /* Its own process group (so a timeout kills its children too), default
     * signal handling and an empty signal mask whatever ours are. */
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGPIPE);
    sigaddset(&dfl, SIGINT);
    sigaddset(&dfl, SIGTERM);
    sigaddset(&dfl, SIGHUP);
    sigaddset(&dfl, SIGQUIT);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dfl);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    char *const *env = opts && opts->env ? (char *const *)opts->env : environ;
    int rc = posix_spawnp(&pid, argv[0], &fa, &at, (char *const *)argv, env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(po[1]);
    close(pe[1]);
    if (rc != 0) {
        close(po[0]);
        close(pe[0]);
        return cnrs_error_set(err, CNRS_ERR_TOOL, "cannot run %s: %s", argv[0], strerror(rc));
    }
    cnrs_child *c = cnrs_xcalloc(1, sizeof *c);
    c->pid = pid;
    c->out = po[0];
    c->err = pe[0];
    double t = opts ? opts->timeout : 0;
    c->deadline = t > 0 ? S_now() + t : 0;
    c->max_output = opts ? opts->max_output : 0;
    c->max_stderr = opts && opts->max_stderr ? opts->max_stderr : 4096;
    c->errbuf = cnrs_xmalloc(c->max_stderr + 1);
    c->errbuf[0] = '\0';
    fcntl(c->err, F_SETFL, fcntl(c->err, F_GETFL) | O_NONBLOCK);
#ifdef F_SETPIPE_SZ
    /* A deeper pipe lets the child run ahead while we parse (best effort). */
    fcntl(c->out, F_SETPIPE_SZ, 1 << 20);
#endif
    *out = c;
    return CNRS_OK;
}

long cnrs_child_read(cnrs_child *c, char *buf, size_t n)
{
    if (c->fail != CNRS_CHILD_OK)
        return -1;
    if (c->out < 0)
        return 0;
    for (;;) {
        struct pollfd p[2] = {{c->out, POLLIN, 0}, {c->err, POLLIN, 0}};
        int np = c->err >= 0 ? 2 : 1;
        int ms = S_wait_ms(c);
        if (ms == 0) {
            S_failed(c, CNRS_CHILD_TIMEOUT);
            return -1;
        }
        int r = poll(p, (nfds_t)np, ms);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            S_failed(c, CNRS_CHILD_IOERR);
            return -1;
        }
        if (r == 0)
            continue; /* the deadline check above decides */
        if (np == 2 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
            S_drain_err(c);
        if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        ssize_t k = read(c->out, buf, n);
        if (k < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            S_failed(c, CNRS_CHILD_IOERR);
            return -1;
        }
        if (k == 0) {
            S_close_fd(&c->out);
            return 0;
        }
        c->out_bytes += (size_t)k;
        if (c->max_output && c->out_bytes > c->max_output) {
            S_failed(c, CNRS_CHILD_OVERCAP);
            return -1;
        }
        return (long)k;
    }
}

void cnrs_child_finish(cnrs_child *c, cnrs_child_result *res)
{
    if (!c->finished) {
        c->finished = 1;
        /* Output not read to its end: nobody wants the rest. */
        if (c->out >= 0 && c->fail == CNRS_CHILD_OK) {
            S_kill(c);
            S_close_fd(&c->out);
        }
        /* The rest of stderr, within the deadline. */
        while (c->err >= 0 && c->fail == CNRS_CHILD_OK) {
            struct pollfd p = {c->err, POLLIN, 0};
            int ms = S_wait_ms(c);
            if (ms == 0) {
                S_failed(c, CNRS_CHILD_TIMEOUT);
                break;
            }
            int r = poll(&p, 1, ms);
            if (r < 0 && errno != EINTR) {
                S_close_fd(&c->err);
            } else if (r > 0) {
                S_drain_err(c);
            }
        }
        S_close_fd(&c->err);
        /* Reap: wait while the deadline allows, then kill. */
        int st = 0;
        pid_t w;
        for (;;) {
            w = waitpid(c->pid, &st, c->fail == CNRS_CHILD_OK ? WNOHANG : 0);
            if (w < 0 && errno == EINTR)
                continue;
            if (w != 0)
                break;
            if (S_wait_ms(c) == 0) {
                S_failed(c, CNRS_CHILD_TIMEOUT);
                continue; /* now a blocking wait for the killed child */
            }
            struct timespec ts = {0, 2000000}; /* 2 ms */
            nanosleep(&ts, NULL);
        }
        if (w == c->pid && WIFEXITED(st)) {
            c->exited = 1;
            c->status = WEXITSTATUS(st);
        } else if (w == c->pid && WIFSIGNALED(st)) {
            c->exited = 0;
            c->status = WTERMSIG(st);
        } else {
            c->exited = 1; /* not ours to reap (SIGCHLD ignored): unknown */
            c->status = 0;
        }
        c->pid = -1;
    }
    if (res) {
        res->fail = c->fail;
        res->killed = c->killed;
        res->exited = c->exited;
        res->status = c->status;
        res->err = c->errbuf;
        res->err_len = c->err_len;
        res->out_bytes = c->out_bytes;
    }
}

void cnrs_child_free(cnrs_child *c)
{
    if (!c)
        return;
    if (!c->finished) {
        if (c->fail == CNRS_CHILD_OK)
            S_failed(c, CNRS_CHILD_IOERR);
        cnrs_child_finish(c, NULL);
    }
    S_close_fd(&c->out);
    S_close_fd(&c->err);
    free(c->errbuf);
    free(c);
}

/* ==== PDF ================================================================== */

typedef struct S_src {
    cnrs_child *c;
    const char *path;
    double timeout;
    size_t cap;
} S_src;

static int S_src_read(void *ctx, char *buf, int len, cnrs_status *st, char *msg, size_t cap)
{
    S_src *s = ctx;
    long n = cnrs_child_read(s->c, buf, (size_t)len);
    if (n >= 0)
        return (int)n;
    cnrs_child_result r;
    cnrs_child_finish(s->c, &r);
    if (r.fail == CNRS_CHILD_TIMEOUT) {
        *st = CNRS_ERR_TIMEOUT;
        snprintf(msg, cap, "%s: pdftohtml did not finish within %g s (killed)", s->path,
                 s->timeout);
    } else if (r.fail == CNRS_CHILD_OVERCAP) {
        *st = CNRS_ERR_LIMIT;
        snprintf(msg, cap, "%s: pdftohtml output over the %zu-byte cap (killed)", s->path, s->cap);
    } else {
        *st = CNRS_ERR_IO;
        snprintf(msg, cap, "%s: cannot read pdftohtml's output", s->path);
    }
    return -1;
}

static int S_has(const char *s, const char *lit)
{
    return strstr(s, lit) != NULL;
}

/* The first line of stderr that is an error, for messages. */
static void S_first_error(const char *e, char *out, size_t cap)
{
    const char *best = NULL;
    for (const char *p = e; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n && !best)
            best = p;
        if (n && (!strncmp(p, "Syntax Error", 12) || !strncmp(p, "I/O Error", 9) ||
                  !strncmp(p, "Internal Error", 14))) {
            best = p;
            break;
        }
        p += n + (nl != NULL);
    }
    if (!best) {
        snprintf(out, cap, "no message");
        return;
    }
    size_t n = strcspn(best, "\n");
    if (n >= cap)
        n = cap - 1;
    memcpy(out, best, n);
    out[n] = '\0';
}

/* A status and message for a pdftohtml that ended badly. */
static cnrs_status S_classify(const char *path, const cnrs_child_result *r, cnrs_error *err)
{
    const char *e = r->err ? r->err : "";
    if (S_has(e, "Incorrect password") || S_has(e, "ncrypt"))
        return cnrs_error_set(err, CNRS_ERR_ENCRYPTED, "%s: encrypted PDF (password required)",
                              path);
    if (S_has(e, "Permission Error") || S_has(e, "not allowed"))
        return cnrs_error_set(err, CNRS_ERR_ENCRYPTED,
                              "%s: encrypted PDF (its permissions forbid copying text)", path);
    char first[200];
    S_first_error(e, first, sizeof first);
    if (!r->exited)
        return cnrs_error_set(err, CNRS_ERR_CORRUPT,
                              "%s: corrupt PDF (pdftohtml died of signal "
                              "%d: %s)",
                              path, r->status, first);
    return cnrs_error_set(err, CNRS_ERR_CORRUPT, "%s: corrupt PDF (pdftohtml exit %d: %s)", path,
                          r->status, first);
}

/* 1 when the first 1024 bytes hold "%PDF-" (where readers look for it). */
static cnrs_status S_check_header(const char *path, cnrs_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: is a directory", path);
    }
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf, f);
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    if (bad)
        return cnrs_error_set(err, CNRS_ERR_IO, "%s: %s", path, strerror(e));
    if (n == 0)
        return cnrs_error_set(err, CNRS_ERR_EMPTY, "%s: empty file", path);
    for (size_t i = 0; i + 5 <= n; i++)
        if (!memcmp(buf + i, "%PDF-", 5))
            return CNRS_OK;
    return cnrs_error_set(err, CNRS_ERR_CORRUPT, "%s: corrupt PDF (no %%PDF- header: not a PDF)",
                          path);
}

cnrs_status cnrs_pdf_read(const char *path, const cnrs_pdf_opts *opts, cnrs_doc *doc,
                          cnrs_error *err)
{
    cnrs_status st = S_check_header(path, err);
    if (st != CNRS_OK)
        return st;
    double timeout = opts && opts->timeout > 0 ? opts->timeout : CNRS_PDF_DEFAULT_TIMEOUT;
    size_t cap = opts && opts->max_output ? opts->max_output : CNRS_PDF_DEFAULT_MAX_OUTPUT;
    const char *prog = opts && opts->program ? opts->program : "pdftohtml";
    /* A file name starting with '-' must not read as an option. */
    char *arg = NULL;
    if (path[0] == '-') {
        arg = cnrs_xmalloc(strlen(path) + 3);
        memcpy(arg, "./", 2);
        strcpy(arg + 2, path);
    }
    /* -nodrm: a PDF whose permissions forbid copying is read as pdftotext
     * reads it; poppler still says so on stderr, and the document records it.
     * A PDF that needs a password stays unreadable. */
    const char *argv[] = {prog,    "-xml",          "-i", "-stdout", "-enc", "UTF-8",
                          "-nodrm", arg ? arg : path, NULL};
    cnrs_child_opts co = {timeout, cap, 8192, NULL};
    cnrs_child *c;
    st = cnrs_child_start(argv, &co, &c, err);
    free(arg);
    if (st == CNRS_ERR_TOOL)
        return cnrs_error_set(err, CNRS_ERR_TOOL,
                              "%s: %s not found or not executable (PDF input needs poppler-utils: "
                              "apt-get install poppler-utils)",
                              path, prog);
    if (st != CNRS_OK)
        return st;
    S_src s = {c, path, timeout, cap};
    cnrs_pdfxml_source src = {S_src_read, &s, opts ? opts->page_end : NULL,
                              opts ? opts->page_ctx : NULL};
    cnrs_pdfxml_info info;
    cnrs_error xerr = {0};
    cnrs_status xst = cnrs_pdfxml_read(path, &src, doc, &info, &xerr);
    cnrs_child_result r;
    cnrs_child_finish(c, &r);
    if (r.fail == CNRS_CHILD_TIMEOUT && xst != CNRS_ERR_TIMEOUT)
        xst = cnrs_error_set(&xerr, CNRS_ERR_TIMEOUT,
                             "%s: pdftohtml did not finish within %g s (killed)", path, timeout);
    if (xst == CNRS_ERR_TIMEOUT || xst == CNRS_ERR_LIMIT || xst == CNRS_ERR_IO) {
        st = xst;
        if (err)
            *err = xerr;
    } else if (r.exited && r.status == 127 && r.out_bytes == 0) {
        /* posix_spawn cannot always report a failed exec (under valgrind,
         * say): the child then exits 127, as a shell does. */
        st = cnrs_error_set(err, CNRS_ERR_TOOL,
                            "%s: %s not found or not executable (PDF input needs poppler-utils: "
                            "apt-get install poppler-utils)",
                            path, prog);
    } else if ((r.exited && r.status != 0) || (!r.exited && !r.killed)) {
        st = S_classify(path, &r, err);
    } else if (xst != CNRS_OK) {
        st = xst;
        if (xst == CNRS_ERR_EMPTY && info.pages == 0)
            st = cnrs_error_set(&xerr, CNRS_ERR_CORRUPT,
                                "%s: corrupt PDF (pdftohtml found no "
                                "pages)",
                                path);
        if (err)
            *err = xerr;
    }
    if (st == CNRS_OK && r.err && S_has(r.err, "copy-protection"))
        doc->copy_restricted = 1;
    cnrs_child_free(c);
    doc->paged = 1;
    return st;
}
