/* suites.h - every Check suite, one line each (X-macro). A module's tests
 * live in tests/test_<name>.c and define `Suite *cnrs_suite_<name>(void)`. */
CNRS_SUITE(util)
