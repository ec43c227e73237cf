/* rank.h - rankings by track.
 *
 * Reports of different stages are never ranked against each other (spec
 * section 3): entries are grouped by stage (highest first) and, optionally,
 * a track key (industry, size), then ordered by score. Scores equal at the
 * printed precision (one decimal) share a rank; the next rank skips
 * ("1, 1, 3"). Ties keep a stable order by name.
 */
#ifndef CNRS_RANK_H
#define CNRS_RANK_H

#include <stddef.h>

typedef struct cnrs_rank_entry {
    int stage;
    double score;
    const char *track; /* extra grouping key, or NULL */
    const char *name;  /* tie-break for display order */
    size_t index;      /* caller's index, carried through */
    int rank;          /* set by cnrs_rank_assign: 1-based within its group */
} cnrs_rank_entry;

/* Sort `v` into display order and assign ranks. */
void cnrs_rank_assign(cnrs_rank_entry *v, size_t n);

#endif
