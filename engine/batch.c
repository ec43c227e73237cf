/* batch.c - batch scoring into the store (see batch.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"
#include "manifest.h"
#include "meta.h"
#include "output.h"
#include "pipeline.h"
#include "sha256.h"
#include "version.h"

/* ---- inputs --------------------------------------------------------------------- */

typedef struct S_item {
    char *path;              /* the file to read; NULL for a bad manifest line */
    char *key;               /* shard key */
    char *source;            /* "manifest.csv:LINE" or NULL */
    cnrs_meta meta;
    const char *meta_source; /* "manifest", "filename", "none" */
    int unknown_company, unknown_year;
    const char *pre_kind;    /* a failure known before reading: kind ... */
    cnrs_status pre_code;
    char *pre_msg;           /* ... and message */
    int pre_fatal;
    char *real;              /* realpath, for matching walked files to manifest rows */
    int last_of_key;         /* the last input of its company, year and type: it counts */
} S_item;

typedef struct S_items {
    S_item *v;
    size_t n, cap;
} S_items;

static S_item *S_add_item(S_items *it)
{
    it->v = cnrs_xgrow(it->v, &it->cap, it->n + 1, sizeof *it->v);
    S_item *x = &it->v[it->n++];
    memset(x, 0, sizeof *x);
    return x;
}

static void S_item_clear(S_item *x)
{
    free(x->path);
    free(x->key);
    free(x->source);
    free(x->pre_msg);
    free(x->real);
    cnrs_meta_clear(&x->meta);
}

static int S_strpcmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct S_walked {
    char *path, *key;
} S_walked;

typedef struct S_walk_list {
    S_walked *v;
    size_t n, cap;
    char **skipped; /* "PATH: why" (cnrs_batch_result.skipped) */
    size_t nskipped, skipped_cap;
} S_walk_list;

static void S_walk_add(S_walk_list *w, const char *path, const char *key)
{
    w->v = cnrs_xgrow(w->v, &w->cap, w->n + 1, sizeof *w->v);
    w->v[w->n].path = cnrs_xstrdup(path);
    w->v[w->n].key = cnrs_xstrdup(key);
    w->n++;
}

static char *S_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Report files below `path` in sorted order; `rootlen` bytes of the path are
 * the argument's directory part, stripped for the shard key. */
static void S_walk(const char *path, size_t rootlen, int explicit_arg, int depth, S_walk_list *w)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = depth < 64 ? opendir(path) : NULL;
        if (!d) {
            if (explicit_arg)
                S_walk_add(w, path, path + rootlen); /* scoring says why */
            return;
        }
        char **kids = NULL;
        size_t nk = 0, cap = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            cnrs_buf p = CNRS_BUF_INIT;
            size_t pl = strlen(path);
            cnrs_buf_printf(&p, "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", de->d_name);
            kids = cnrs_xgrow(kids, &cap, nk + 1, sizeof *kids);
            kids[nk++] = cnrs_buf_steal(&p);
        }
        closedir(d);
        if (nk)
            qsort(kids, nk, sizeof *kids, S_strpcmp);
        for (size_t i = 0; i < nk; i++) {
            S_walk(kids[i], rootlen, 0, depth + 1, w);
            free(kids[i]);
        }
        free(kids);
        return;
    }
    /* As `rank PATH`: other types and .xml are left out inside directories. */
    const char *why = explicit_arg ? NULL : cnrs_format_skip_reason(path);
    if (why) {
        w->skipped = cnrs_xgrow(w->skipped, &w->skipped_cap, w->nskipped + 1, sizeof(char *));
        w->skipped[w->nskipped++] = S_printf("%s: %s", path, why);
        return;
    }
    const char *key = path + rootlen;
    while (*key == '/')
        key++;
    S_walk_add(w, path, *key ? key : path);
}

/* Metadata: the file name convention, overridden field by field by the
 * manifest row when there is one. */
static void S_resolve_meta(S_item *x, const cnrs_manifest_row *row)
{
    int conv = cnrs_meta_from_path(x->path, &x->meta);
    x->meta_source = row ? "manifest" : conv ? "filename" : "none";
    int named = conv;
    if (row) {
        const cnrs_meta *m = &row->meta;
        if (m->company)
            cnrs_meta_set(&x->meta.company, m->company);
        if (m->code)
            cnrs_meta_set(&x->meta.code, m->code);
        if (m->year)
            x->meta.year = m->year;
        if (m->industry)
            cnrs_meta_set(&x->meta.industry, m->industry);
        if (m->size)
            cnrs_meta_set(&x->meta.size, m->size);
        if (m->report_type)
            cnrs_meta_set(&x->meta.report_type, m->report_type);
        named |= m->company || m->code;
    }
    x->unknown_company = !named;
    x->unknown_year = named && x->meta.year == 0;
}

static char *S_realpath(const char *path)
{
    char *r = realpath(path, NULL);
    if (!r)
        return NULL;
    char *c = cnrs_xstrdup(r); /* keep every allocation on our wrapper */
    free(r);
    return c;
}

static char *S_printf(const char *fmt, ...)
{
    cnrs_buf b = CNRS_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    cnrs_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return cnrs_buf_steal(&b);
}

typedef struct S_keyed {
    char *key;
    size_t item;
} S_keyed;

static int S_keyed_cmp(const void *a, const void *b)
{
    const S_keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->item < y->item ? -1 : x->item > y->item;
}

/* Mark the last input of each company (code, else name), year and report
 * type: the file this run names last for it is the one ranked
 * (cnrs_store_make_current), however the database was filled before. */
static void S_mark_last_of_key(S_items *it)
{
    S_keyed *k = cnrs_xcalloc(it->n ? it->n : 1, sizeof *k);
    size_t n = 0;
    for (size_t i = 0; i < it->n; i++) {
        const S_item *x = &it->v[i];
        if (x->pre_kind || !x->path)
            continue;
        k[n].key = S_printf("%s\x1f%s\x1f%d\x1f%s", x->meta.code ? "c" : "n",
                            x->meta.code ? x->meta.code : x->meta.company ? x->meta.company : "",
                            x->meta.year, x->meta.report_type ? x->meta.report_type : "");
        k[n++].item = i;
    }
    if (n)
        qsort(k, n, sizeof *k, S_keyed_cmp);
    for (size_t j = 0; j < n; j++) {
        if (j + 1 == n || strcmp(k[j].key, k[j + 1].key) != 0)
            it->v[k[j].item].last_of_key = 1;
        free(k[j].key);
    }
    free(k);
}

/* All inputs in order: manifest problems and rows, then walked files the
 * manifest does not list; then the shard filter. */
static cnrs_status S_collect(const cnrs_batch_opts *o, S_items *out, cnrs_batch_result *res,
                             cnrs_error *err)
{
    S_items all = {0};
    cnrs_manifest *m = NULL;
    if (o->manifest) {
        cnrs_status st = cnrs_manifest_load(o->manifest, &m, err);
        if (st != CNRS_OK)
            return st;
        /* Problems and rows together in line order. */
        size_t ip = 0, ir = 0;
        while (ip < m->nproblems || ir < m->nrows) {
            int take_problem =
                ip < m->nproblems && (ir >= m->nrows || m->problems[ip].line < m->rows[ir].line);
            S_item *x = S_add_item(&all);
            if (take_problem) {
                const cnrs_manifest_problem *p = &m->problems[ip++];
                x->source = S_printf("%s:%lu", m->path, p->line);
                x->key = cnrs_xstrdup(p->text);
                x->pre_kind = "manifest";
                x->pre_code = CNRS_ERR_PARSE;
                x->pre_fatal = 1;
                x->pre_msg = S_printf("%s: %s", x->source, p->msg);
                continue;
            }
            const cnrs_manifest_row *row = &m->rows[ir++];
            x->path = cnrs_manifest_resolve(m, row->path);
            x->key = cnrs_xstrdup(row->path);
            x->source = S_printf("%s:%lu", m->path, row->line);
            x->real = S_realpath(x->path);
            S_resolve_meta(x, row);
            struct stat sb;
            if (stat(x->path, &sb) != 0 && errno == ENOENT) {
                /* Say where it was looked for: the manifest's folder. */
                x->pre_kind = "io";
                x->pre_code = CNRS_ERR_IO;
                x->pre_fatal = 1;
                x->pre_msg = S_printf("%s: %s: no such file (looked for %s: paths in a manifest "
                                      "are relative to its folder)",
                                      x->source, row->path, x->path);
            }
        }
        /* The same file on two rows: the first row wins. */
        for (size_t i = 0; i < all.n; i++) {
            if (!all.v[i].real)
                continue;
            for (size_t j = 0; j < i; j++)
                if (all.v[j].real && !all.v[j].pre_kind &&
                    strcmp(all.v[i].real, all.v[j].real) == 0) {
                    all.v[i].pre_kind = "duplicate";
                    all.v[i].pre_fatal = 0;
                    all.v[i].pre_msg = S_printf("%s: %s is listed already at %s", all.v[i].source,
                                                all.v[i].path, all.v[j].source);
                    break;
                }
        }
    }
    size_t nlisted = all.n;
    char **listed = cnrs_xcalloc(nlisted ? nlisted : 1, sizeof *listed);
    size_t nl = 0;
    for (size_t i = 0; i < nlisted; i++)
        if (all.v[i].real)
            listed[nl++] = all.v[i].real;
    if (nl)
        qsort(listed, nl, sizeof *listed, S_strpcmp);

    S_walk_list w = {0};
    for (size_t a = 0; a < o->npaths; a++) {
        const char *arg = o->paths[a];
        struct stat st;
        size_t rootlen = 0;
        if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
            rootlen = strlen(arg);
        else {
            const char *slash = strrchr(arg, '/');
            rootlen = slash ? (size_t)(slash - arg + 1) : 0;
        }
        S_walk(arg, rootlen, 1, 0, &w);
    }
    for (size_t i = 0; i < w.n; i++) {
        char *real = S_realpath(w.v[i].path);
        if (real && nl && bsearch(&real, listed, nl, sizeof *listed, S_strpcmp)) {
            free(real);
            free(w.v[i].path);
            free(w.v[i].key);
            continue;
        }
        S_item *x = S_add_item(&all);
        x->path = w.v[i].path;
        x->key = w.v[i].key;
        x->real = real;
        S_resolve_meta(x, NULL);
    }
    free(w.v);
    res->skipped = w.skipped;
    res->nskipped = w.nskipped;
    res->skipped_cap = w.skipped_cap;
    free(listed);
    cnrs_manifest_free(m);

    for (size_t i = 0; i < all.n; i++) {
        if (o->shard_n == 0 || cnrs_batch_in_shard(all.v[i].key, o->shard_i, o->shard_n)) {
            S_item *x = S_add_item(out);
            *x = all.v[i];
        } else {
            S_item_clear(&all.v[i]);
        }
    }
    free(all.v);
    S_mark_last_of_key(out);
    return CNRS_OK;
}

int cnrs_batch_in_shard(const char *key, unsigned i, unsigned n)
{
    if (n == 0)
        return 1;
    char hex[65];
    cnrs_sha256_hex(key, strlen(key), hex);
    uint64_t h = 0;
    for (int k = 0; k < 16; k++) {
        char c = hex[k];
        h = h << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return h % n == (uint64_t)(i - 1);
}

int cnrs_batch_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n > 256 ? 256 : n) : 1;
}

/* ---- workers --------------------------------------------------------------------- */

enum { S_FAILED = 1, S_UNCHANGED, S_SCORED };

typedef struct S_result {
    int ready;
    int worker; /* which worker made it (and frees it) */
    int kind;
    char sha[65];
    long long bytes;
    cnrs_report *rep;
    cnrs_store_prep prep; /* the writer's formatting, done by the worker */
    cnrs_status code;
    char *msg;
} S_result;

typedef struct S_batch {
    const cnrs_batch_opts *o;
    S_item *items;
    size_t n;
    char **scored; /* sorted hashes already scored (read-only during the run) */
    size_t nscored;

    pthread_mutex_t mu;
    pthread_cond_t ready; /* a result was deposited (the writer waits) */
    pthread_cond_t space; /* the writer took one (workers wait) */
    size_t next;          /* next input to hand out */
    size_t written;       /* inputs the writer has taken */
    int abort;
    S_result *ring;
    size_t cap;
    int nworkers;
    struct S_trash { /* per worker: results the writer is done with, to free */
        S_result *v;
        size_t n, cap;
    } *garbage;
} S_batch;

typedef struct S_worker_arg {
    S_batch *b;
    int id;
} S_worker_arg;

static void S_result_clear(S_result *r)
{
    cnrs_report_free(r->rep);
    cnrs_store_prep_free(&r->prep);
    free(r->msg);
    memset(r, 0, sizeof *r);
}

/* SHA-256 of a file, streamed. */
static int S_hash_file(const char *path, char hex[65], long long *bytes)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
        fclose(f);
        return -1;
    }
    cnrs_sha256 c;
    cnrs_sha256_init(&c);
    unsigned char buf[65536];
    size_t k;
    long long total = 0;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0) {
        cnrs_sha256_update(&c, buf, k);
        total += (long long)k;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return -1;
    cnrs_sha256_final_hex(&c, hex);
    *bytes = total;
    return 0;
}

static void S_process(S_batch *b, const S_item *it, cnrs_extractor *x, S_result *r)
{
    if (it->pre_kind) {
        r->kind = S_FAILED;
        r->code = it->pre_code;
        r->msg = cnrs_xstrdup(it->pre_msg);
        return;
    }
    cnrs_error err = {0};
    if (S_hash_file(it->path, r->sha, &r->bytes) != 0) {
        /* Let ingestion word the problem as everywhere else. */
        cnrs_report *rep = NULL;
        if (cnrs_score_file(x, b->o->rubric, it->path, b->o->ingest, &rep, &err) == CNRS_OK) {
            cnrs_report_free(rep);
            cnrs_error_set(&err, CNRS_ERR_IO, "%s: cannot read: %s", it->path, strerror(errno));
        }
        r->kind = S_FAILED;
        r->code = err.code;
        r->msg = cnrs_xstrdup(err.msg);
        return;
    }
    const char *key = r->sha;
    if (!b->o->force && b->nscored &&
        bsearch(&key, b->scored, b->nscored, sizeof *b->scored, S_strpcmp)) {
        r->kind = S_UNCHANGED;
        return;
    }
    if (cnrs_score_file(x, b->o->rubric, it->path, b->o->ingest, &r->rep, &err) != CNRS_OK) {
        r->kind = S_FAILED;
        r->code = err.code;
        r->msg = cnrs_xstrdup(err.msg);
        return;
    }
    cnrs_store_prepare(b->o->rubric, r->rep, &r->prep);
    /* The writer needs only the scorecard now: free the bulk here, in the
     * thread that allocated it. */
    cnrs_doc_free(r->rep->doc);
    r->rep->doc = NULL;
    cnrs_evidence_set_free(&r->rep->ev);
    r->kind = S_SCORED;
}

static void *S_worker(void *arg)
{
    S_batch *b = ((S_worker_arg *)arg)->b;
    int id = ((S_worker_arg *)arg)->id;
    cnrs_extractor *x = cnrs_extractor_new(b->o->rubric);
    struct S_trash mine = {NULL, 0, 0};
    for (;;) {
        pthread_mutex_lock(&b->mu);
        if (b->abort || b->next >= b->n) {
            pthread_mutex_unlock(&b->mu);
            break;
        }
        size_t seq = b->next++;
        /* Take back what the writer has finished with of this worker's
         * results and free it here: memory returns to this thread's malloc
         * arena without another thread contending for the arena's lock. */
        struct S_trash t = b->garbage[id];
        b->garbage[id] = mine;
        b->garbage[id].n = 0;
        mine = t;
        pthread_mutex_unlock(&b->mu);
        for (size_t i = 0; i < mine.n; i++)
            S_result_clear(&mine.v[i]);

        S_result r;
        memset(&r, 0, sizeof r);
        r.worker = id;
        S_process(b, &b->items[seq], x, &r);

        pthread_mutex_lock(&b->mu);
        while (!b->abort && seq >= b->written + b->cap)
            pthread_cond_wait(&b->space, &b->mu);
        if (b->abort) {
            pthread_mutex_unlock(&b->mu);
            S_result_clear(&r);
            break;
        }
        r.ready = 1;
        b->ring[seq % b->cap] = r;
        pthread_cond_signal(&b->ready);
        pthread_mutex_unlock(&b->mu);
    }
    free(mine.v);
    cnrs_extractor_free(x);
    return NULL;
}

/* ---- the writer ------------------------------------------------------------------- */

static double S_clock(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double S_now(void)
{
    return S_clock(CLOCK_MONOTONIC);
}

/* Hashes stored by this run, for "the same content under two names". */
typedef struct S_seen {
    char (*sha)[65];
    size_t *item;
    size_t cap; /* power of two */
} S_seen;

static uint64_t S_sha_hash(const char *hex)
{
    uint64_t h = 0;
    for (int k = 0; k < 16; k++)
        h = h << 4 | (uint64_t)(hex[k] <= '9' ? hex[k] - '0' : hex[k] - 'a' + 10);
    return h;
}

/* Returns the item that stored `sha` before, or SIZE_MAX after adding it. */
static size_t S_seen_add(S_seen *s, const char *sha, size_t item)
{
    size_t i = (size_t)S_sha_hash(sha) & (s->cap - 1);
    while (s->sha[i][0]) {
        if (strcmp(s->sha[i], sha) == 0)
            return s->item[i];
        i = (i + 1) & (s->cap - 1);
    }
    memcpy(s->sha[i], sha, 65);
    s->item[i] = item;
    return SIZE_MAX;
}

static void S_fail(const cnrs_batch_opts *o, cnrs_batch_result *res, const S_item *it,
                   const char *kind, int fatal, cnrs_status code, const char *msg)
{
    res->fails = cnrs_xgrow(res->fails, &res->fails_cap, res->nfails + 1, sizeof *res->fails);
    cnrs_batch_failure *f = &res->fails[res->nfails++];
    f->path = it->path ? cnrs_xstrdup(it->path) : NULL;
    f->source = it->source ? cnrs_xstrdup(it->source) : NULL;
    f->kind = kind;
    f->fatal = fatal;
    f->code = code;
    /* Manifest rows: say which row named the file (unless already said). */
    if (it->source && strncmp(msg, it->source, strlen(it->source)) != 0)
        f->msg = S_printf("%s: %s", it->source, msg);
    else
        f->msg = cnrs_xstrdup(msg);
    if (fatal) {
        res->failed++;
        if (res->first_failure == CNRS_OK)
            res->first_failure = code;
    } else {
        res->warnings++;
    }
    if (o->on_failure)
        o->on_failure(o->ctx, f);
}

/* Store one result; returns non-OK only for database errors. */
static cnrs_status S_write_one(S_batch *b, cnrs_store *s, int64_t run_id, size_t seq,
                               S_result *r, S_seen *seen, cnrs_batch_result *res,
                               cnrs_error *err)
{
    const cnrs_batch_opts *o = b->o;
    const S_item *it = &b->items[seq];
    cnrs_status st = CNRS_OK;
    if (r->kind == S_FAILED) {
        const char *kind = it->pre_kind ? it->pre_kind : cnrs_status_name(r->code);
        int fatal = it->pre_kind ? it->pre_fatal : 1;
        S_fail(o, res, it, kind, fatal, r->code, r->msg);
        if (!fatal && strcmp(kind, "duplicate") == 0)
            res->duplicates++;
        const cnrs_batch_failure *f = &res->fails[res->nfails - 1];
        return cnrs_store_put_failure(s, run_id, it->path, it->source, kind, fatal, f->msg, err);
    }
    size_t first = S_seen_add(seen, r->sha, seq);
    if (first != SIZE_MAX) {
        char *msg = S_printf("%s: the same content as %s (stored once, under that name)",
                             it->path, b->items[first].path);
        S_fail(o, res, it, "duplicate", 0, CNRS_OK, msg);
        res->duplicates++;
        st = cnrs_store_put_failure(s, run_id, it->path, it->source, "duplicate", 0,
                                    res->fails[res->nfails - 1].msg, err);
        free(msg);
        return st;
    }
    cnrs_store_input in = {r->sha,           it->path, r->bytes, &it->meta,
                           it->meta_source, r->rep,   r->rep ? &r->prep : NULL};
    cnrs_store_outcome out;
    char *replaced = NULL;
    st = cnrs_store_put(s, run_id, o->rubric, CNRS_VERSION, &in, o->force, &out, &replaced, err);
    if (st == CNRS_OK && !replaced && it->last_of_key)
        st = cnrs_store_make_current(s, r->sha, &replaced, err);
    if (st != CNRS_OK)
        return st;
    if (out == CNRS_STORED)
        res->scored++;
    else
        res->unchanged++;
    char *warn = NULL;
    const char *kind = NULL;
    if (it->unknown_company) {
        kind = "unknown_company";
        warn = S_printf("%s: unknown company: %s; stored as \"%s\"", it->path,
                        it->source ? "the manifest row names no company or code"
                                   : "no manifest row, and the name has no stock code "
                                     "or year (man cnrs: COMPANY, CODE AND YEAR)",
                        it->meta.company);
    } else if (it->unknown_year) {
        kind = "unknown_year";
        warn = S_printf("%s: no report year (manifest or file name); ranked under year unknown",
                        it->path);
    }
    if (warn) {
        S_fail(o, res, it, kind, 0, CNRS_OK, warn);
        st = cnrs_store_put_failure(s, run_id, it->path, it->source, kind, 0,
                                    res->fails[res->nfails - 1].msg, err);
        free(warn);
    }
    if (replaced && st == CNRS_OK) {
        warn = S_printf("%s: replaces %s as the report of %s %s%s%d in rankings", it->path,
                        replaced, it->meta.code ? it->meta.code : "", it->meta.company,
                        it->meta.year ? " " : "", it->meta.year);
        S_fail(o, res, it, "replaced", 0, CNRS_OK, warn);
        st = cnrs_store_put_failure(s, run_id, it->path, it->source, "replaced", 0,
                                    res->fails[res->nfails - 1].msg, err);
        free(warn);
    }
    free(replaced);
    return st;
}

static char *S_options_json(const cnrs_batch_opts *o, int jobs)
{
    cnrs_buf b = CNRS_BUF_INIT;
    cnrs_buf_printf(&b, "{\"jobs\":%d,\"force\":%s,\"shard\":", jobs, o->force ? "true" : "false");
    if (o->shard_n)
        cnrs_buf_printf(&b, "\"%u/%u\"", o->shard_i, o->shard_n);
    else
        cnrs_buf_puts(&b, "null");
    cnrs_buf_puts(&b, ",\"manifest\":");
    if (o->manifest)
        cnrs_json_string(&b, o->manifest, strlen(o->manifest));
    else
        cnrs_buf_puts(&b, "null");
    cnrs_buf_puts(&b, ",\"rubric\":");
    cnrs_json_string(&b, o->rubric->path, strlen(o->rubric->path));
    cnrs_buf_puts(&b, ",\"paths\":[");
    for (size_t i = 0; i < o->npaths; i++) {
        if (i)
            cnrs_buf_putc(&b, ',');
        cnrs_json_string(&b, o->paths[i], strlen(o->paths[i]));
    }
    cnrs_buf_puts(&b, "]}");
    return cnrs_buf_steal(&b);
}

cnrs_status cnrs_batch_run(const cnrs_batch_opts *o, cnrs_batch_result *res, cnrs_error *err)
{
    memset(res, 0, sizeof *res);
    double t_start = S_now();
    S_items items = {0};
    cnrs_status st = S_collect(o, &items, res, err);
    if (st != CNRS_OK)
        return st;

    int jobs = o->jobs > 0 ? o->jobs : cnrs_batch_cores();
    if ((size_t)jobs > items.n)
        jobs = items.n ? (int)items.n : 1;
    res->jobs = jobs;
    res->inputs = items.n;

    cnrs_store *s = NULL;
    cnrs_store_opts so = {CNRS_STORE_CREATE, o->busy_timeout, o->on_wait, o->ctx, NULL, 0};
    S_batch b;
    memset(&b, 0, sizeof b);
    b.o = o;
    b.items = items.v;
    b.n = items.n;
    int64_t run_id = 0;
    char *options = S_options_json(o, jobs);
    st = cnrs_store_open(o->db_path, &so, &s, err);
    if (st == CNRS_OK) {
        cnrs_run_info ri = {CNRS_VERSION, o->rubric->id, o->rubric->version, o->rubric->sha256,
                            options};
        st = cnrs_store_run_begin(s, &ri, &run_id, err);
    }
    if (st == CNRS_OK && !o->force)
        st = cnrs_store_scored_hashes(s, o->rubric->sha256, CNRS_VERSION, &b.scored, &b.nscored,
                                      err);
    free(options);
    res->run_id = run_id;

    S_seen seen = {0};
    pthread_t *tid = NULL;
    S_worker_arg *wargs = NULL;
    int started = 0;
    if (st == CNRS_OK && b.n) {
        cnrs_malloc_keep_freed(); /* workers reuse one report's memory for the next */
        seen.cap = 16;
        while (seen.cap < 2 * b.n)
            seen.cap *= 2;
        seen.sha = cnrs_xcalloc(seen.cap, sizeof *seen.sha);
        seen.item = cnrs_xcalloc(seen.cap, sizeof *seen.item);
        b.cap = (size_t)jobs * 8 < 16 ? 16 : (size_t)jobs * 8;
        b.ring = cnrs_xcalloc(b.cap, sizeof *b.ring);
        pthread_mutex_init(&b.mu, NULL);
        pthread_cond_init(&b.ready, NULL);
        pthread_cond_init(&b.space, NULL);
        tid = cnrs_xcalloc((size_t)jobs, sizeof *tid);
        wargs = cnrs_xcalloc((size_t)jobs, sizeof *wargs);
        b.garbage = cnrs_xcalloc((size_t)jobs, sizeof *b.garbage);
        b.nworkers = jobs;
        for (; started < jobs; started++) {
            wargs[started] = (S_worker_arg){&b, started};
            if (pthread_create(&tid[started], NULL, S_worker, &wargs[started]) != 0)
                break;
        }
        if (started == 0)
            st = cnrs_error_set(err, CNRS_ERR_IO, "cannot start worker threads: %s",
                                strerror(errno));
    }

    for (size_t seq = 0; st == CNRS_OK && seq < b.n; seq++) {
        pthread_mutex_lock(&b.mu);
        S_result *slot = &b.ring[seq % b.cap];
        while (!slot->ready)
            pthread_cond_wait(&b.ready, &b.mu);
        S_result r = *slot;
        memset(slot, 0, sizeof *slot);
        b.written = seq + 1;
        pthread_cond_broadcast(&b.space);
        pthread_mutex_unlock(&b.mu);

        double t0 = S_now(), c0 = S_clock(CLOCK_THREAD_CPUTIME_ID);
        st = S_write_one(&b, s, run_id, seq, &r, &seen, res, err);
        res->write_seconds += S_now() - t0;
        res->write_cpu_seconds += S_clock(CLOCK_THREAD_CPUTIME_ID) - c0;
        res->handled = seq + 1;
        pthread_mutex_lock(&b.mu);
        struct S_trash *g = &b.garbage[r.worker];
        g->v = cnrs_xgrow(g->v, &g->cap, g->n + 1, sizeof *g->v);
        g->v[g->n++] = r;
        pthread_mutex_unlock(&b.mu);
        if (o->on_progress) {
            cnrs_batch_progress p = {seq + 1,         b.n,        res->scored,
                                     res->unchanged,  res->failed, S_now() - t_start,
                                     b.items[seq].path ? b.items[seq].path : b.items[seq].source};
            if (o->on_progress(o->ctx, &p) && seq + 1 < b.n) {
                res->interrupted = 1;
                break;
            }
        }
    }
    if (started) {
        pthread_mutex_lock(&b.mu);
        b.abort = 1; /* only matters after a database error or a stop: workers stop */
        pthread_cond_broadcast(&b.space);
        pthread_mutex_unlock(&b.mu);
        for (int i = 0; i < started; i++)
            pthread_join(tid[i], NULL);
        for (size_t i = 0; i < b.cap; i++)
            S_result_clear(&b.ring[i]);
        for (int w = 0; w < jobs; w++) {
            for (size_t i = 0; i < b.garbage[w].n; i++)
                S_result_clear(&b.garbage[w].v[i]);
            free(b.garbage[w].v);
        }
        pthread_mutex_destroy(&b.mu);
        pthread_cond_destroy(&b.ready);
        pthread_cond_destroy(&b.space);
    }
    free(tid);
    free(wargs);
    free(b.garbage);
    free(b.ring);
    free(seen.sha);
    free(seen.item);

    /* Close the runs row, also when a database error (a full disk) stopped
     * the writer: the counts then say how far it got, if the database still
     * takes this one small write (after a rolled-back transaction the WAL
     * file usually has room for it). Not after a lock timeout: that would
     * only wait again. */
    if (run_id && st == CNRS_OK && res->interrupted) {
        char *msg = S_printf("interrupted after %zu of %zu inputs; the same command resumes",
                             res->handled, res->inputs);
        st = cnrs_store_put_failure(s, run_id, NULL, NULL, "interrupted", 0, msg, err);
        free(msg);
    }
    if (run_id && (st == CNRS_OK || !cnrs_store_locked_out(s))) {
        cnrs_run_counts c = {res->inputs, res->scored, res->unchanged, res->failed,
                             res->warnings};
        cnrs_error end_err = {0};
        double t0 = S_now(), c0 = S_clock(CLOCK_THREAD_CPUTIME_ID);
        cnrs_status est = cnrs_store_run_end(s, run_id, &c, st == CNRS_OK ? err : &end_err);
        res->write_seconds += S_now() - t0;
        res->write_cpu_seconds += S_clock(CLOCK_THREAD_CPUTIME_ID) - c0;
        if (st == CNRS_OK)
            st = est;
    }
    cnrs_store_close(s);
    cnrs_store_free_strings(b.scored, b.nscored);
    for (size_t i = 0; i < items.n; i++)
        S_item_clear(&items.v[i]);
    free(items.v);
    res->seconds = S_now() - t_start;
    return st;
}

void cnrs_batch_result_free(cnrs_batch_result *res)
{
    for (size_t i = 0; i < res->nfails; i++) {
        free(res->fails[i].path);
        free(res->fails[i].source);
        free(res->fails[i].msg);
    }
    free(res->fails);
    for (size_t i = 0; i < res->nskipped; i++)
        free(res->skipped[i]);
    free(res->skipped);
    memset(res, 0, sizeof *res);
}
