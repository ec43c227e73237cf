/* site_inventory.h - the emissions inventory section of a scorecard page.
 *
 * From a report's stored own-inventory figures (store.h cnrs_stored_figure,
 * docs/figures.md), one section:
 *  - a table of emissions in tCO2e, one row per scope (and basis, when the
 *    report states one), one column per year (a year not stated last); each
 *    number carries, as its tooltip, the value and unit as printed and the
 *    page, so it can be traced back to the report. Several different values
 *    for one scope and year (a report that restates a figure, or a reading
 *    that went wrong) are all shown, one per line;
 *  - a grouped bar chart of tCO2e by year and scope (inline SVG, html.h),
 *    without double counting: "1+2" only in a year without a scope 1 or 2
 *    figure, "total" only in a year without any other scope;
 *  - intensities in a table of their own, as printed (never mixed with
 *    tCO2e);
 *  - without any figure, one line saying none was found.
 */
#ifndef CNRS_SITE_INVENTORY_H
#define CNRS_SITE_INVENTORY_H

#include <stddef.h>

#include "store.h"
#include "util.h"

/* Append the section for the figures of `c` (c->fig[0..c->nfig), loaded
 * with evidence; pages shown when c->paged) to `b` as HTML that is
 * well-formed XML, every string from the figures escaped, in Chinese
 * (en == 0) or English. Never fails. */
void cnrs_site_inventory(cnrs_buf *b, const cnrs_stored_card *c, int en);

#endif
