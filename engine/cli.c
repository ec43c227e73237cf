/* cli.c - option parsing and rubric loading shared by main.c and cmd_db.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
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
