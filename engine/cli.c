/* cli.c - option parsing shared by main.c and cmd_db.c. */
#include <string.h>

#include "cli.h"

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
