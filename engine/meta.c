/* meta.c - company metadata from file names. */
#include "meta.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

int cnrs_meta_from_path(const char *path, cnrs_meta *m)
{
    memset(m, 0, sizeof *m);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *name = cnrs_xstrndup(base, len);

    /* code_company_year[_rest]: the code is the text before the first '_',
     * the year the first later field of four digits. */
    char *u1 = strchr(name, '_');
    if (u1 && u1 > name) {
        char *field = u1 + 1;
        for (char *p = field; p && *p;) {
            char *u = strchr(p, '_');
            size_t fl = u ? (size_t)(u - p) : strlen(p);
            if (p > field && fl == 4 && strspn(p, "0123456789") >= 4) {
                int y = atoi(p);
                if (y >= 1990 && y <= 2099) {
                    m->code = cnrs_xstrndup(name, (size_t)(u1 - name));
                    m->company = cnrs_xstrndup(field, (size_t)(p - 1 - field));
                    m->year = y;
                    free(name);
                    return 1;
                }
            }
            p = u ? u + 1 : NULL;
        }
    }
    m->company = name;
    return 0;
}

static char *S_dup0(const char *s)
{
    return s ? cnrs_xstrdup(s) : NULL;
}

void cnrs_meta_copy(cnrs_meta *dst, const cnrs_meta *src)
{
    dst->code = S_dup0(src->code);
    dst->company = S_dup0(src->company);
    dst->year = src->year;
    dst->industry = S_dup0(src->industry);
    dst->size = S_dup0(src->size);
    dst->report_type = S_dup0(src->report_type);
}

void cnrs_meta_set(char **field, const char *value)
{
    free(*field);
    *field = value && *value ? cnrs_xstrdup(value) : NULL;
}

void cnrs_meta_clear(cnrs_meta *m)
{
    free(m->code);
    free(m->company);
    free(m->industry);
    free(m->size);
    free(m->report_type);
    memset(m, 0, sizeof *m);
}
