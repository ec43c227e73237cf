/* testutil.h - helpers shared by the Check suites. */
#ifndef CNRS_TESTUTIL_H
#define CNRS_TESTUTIL_H

#include <stdlib.h>

/* Directory of the seed documents (CNRS_SEEDS or ../shared/seeds). */
static inline const char *cnrs_test_seeds(void)
{
    const char *s = getenv("CNRS_SEEDS");
    return s && *s ? s : "../shared/seeds";
}

/* Path of the shipped rubric (CNRS_RUBRIC or rubrics/ceca-2021.xml). */
static inline const char *cnrs_test_rubric(void)
{
    const char *s = getenv("CNRS_RUBRIC");
    return s && *s ? s : "rubrics/ceca-2021.xml";
}

#endif
