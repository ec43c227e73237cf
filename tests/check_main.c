/* check_main.c - the one runner for every Check suite (tests/suites.h).
 *
 * Run from the repository root. Environment: CNRS_SEEDS (default
 * ../shared/seeds), CNRS_RUBRIC (default rubrics/ceca-2021.xml); CK_FORK=no
 * runs all tests in one process for gdb and valgrind; CK_RUN_SUITE=name runs
 * one suite. */
#include <check.h>
#include <stdlib.h>

#define CNRS_SUITE(name) Suite *cnrs_suite_##name(void);
#include "suites.h"
#undef CNRS_SUITE

int main(void)
{
    SRunner *sr = srunner_create(NULL);
#define CNRS_SUITE(name) srunner_add_suite(sr, cnrs_suite_##name());
#include "suites.h"
#undef CNRS_SUITE
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
