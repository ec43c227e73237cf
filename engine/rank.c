/* rank.c - grouping, ordering and competition ranks. */
#include "rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Score in tenths, the precision ranks are decided at. */
static long S_tenths(double v)
{
    return (long)floor(v * 10 + 0.5 + 1e-9);
}

static int S_strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int S_cmp(const void *pa, const void *pb)
{
    const cnrs_rank_entry *a = pa, *b = pb;
    if (a->stage != b->stage)
        return b->stage - a->stage;
    int t = S_strcmp0(a->track, b->track);
    if (t)
        return t;
    long sa = S_tenths(a->score), sb = S_tenths(b->score);
    if (sa != sb)
        return sa < sb ? 1 : -1;
    int nm = S_strcmp0(a->name, b->name);
    if (nm)
        return nm;
    return a->index < b->index ? -1 : a->index > b->index;
}

void cnrs_rank_assign(cnrs_rank_entry *v, size_t n)
{
    qsort(v, n, sizeof *v, S_cmp);
    /* Competition ranks: position within the group + 1, shared on ties. */
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !(v[i].stage == v[i - 1].stage && S_strcmp0(v[i].track, v[i - 1].track) == 0))
            start = i;
        if (i > start && S_tenths(v[i].score) == S_tenths(v[i - 1].score))
            v[i].rank = v[i - 1].rank;
        else
            v[i].rank = (int)(i - start + 1);
    }
}
