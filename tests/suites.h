/* suites.h - every Check suite, one line each (X-macro). A module's tests
 * live in tests/test_<name>.c and define `Suite *cnrs_suite_<name>(void)`. */
CNRS_SUITE(util)
CNRS_SUITE(score)
CNRS_SUITE(extract)
CNRS_SUITE(golden)
CNRS_SUITE(decode)
CNRS_SUITE(normalise)
CNRS_SUITE(segment)
CNRS_SUITE(ingest)
CNRS_SUITE(rubric)
CNRS_SUITE(prefilter)
CNRS_SUITE(gaps)
