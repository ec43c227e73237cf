/* meta.c - company metadata from file names. */
#include "meta.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void cnrs_meta_from_path(const char *path, cnrs_meta *m)
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
    if (u1) {
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
                    return;
                }
            }
            p = u ? u + 1 : NULL;
        }
    }
    m->company = name;
}

void cnrs_meta_clear(cnrs_meta *m)
{
    free(m->code);
    free(m->company);
    memset(m, 0, sizeof *m);
}
