/* site_method.h - the prose of the site's method page (method.html).
 *
 * What a reader of a published ranking needs to trust or question it: that
 * the scores come from an automatic reading of the report text and how to
 * ask for a review; the stages and their maxima; how an indicator's
 * percentage is made (coverage, bands, depth, the three dimensions, the
 * bonus) and how points add up; what each column of a scorecard means. All
 * numbers (band ranges, thresholds, stage maxima, indicators per stage) are
 * read from the loaded rubric, so a variant rubric gets its own method page.
 * docs/method.md says the same for readers of the repository.
 *
 * The anchors other pages link to: #auto, #stages, #points, #columns and one
 * per scorecard column: #col-stage, #col-weight, #col-band, #col-cov,
 * #col-quant, #col-sent, #col-pct, #col-pts, #col-marks.
 */
#ifndef CNRS_SITE_METHOD_H
#define CNRS_SITE_METHOD_H

#include "rubric.h"
#include "util.h"

/* Append the method page's sections (HTML, well-formed XML; every string from
 * the rubric escaped) to `b`, in Chinese (en == 0) or English. The page frame
 * (head, navigation, footer) and the weights are the caller's. Never fails. */
void cnrs_site_method(cnrs_buf *b, const cnrs_rubric *r, int en);

#endif
