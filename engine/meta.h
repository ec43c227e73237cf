/* meta.h - company metadata of a report, and stock codes in one form.
 *
 * From the file name (cnrs_meta_from_path), or from a manifest row
 * (manifest.h), which fills the same record and may add industry, size and
 * report type. Strings are owned by the record; NULL means unknown.
 */
#ifndef CNRS_META_H
#define CNRS_META_H

typedef struct cnrs_meta {
    char *code;        /* stock code, or NULL */
    char *company;     /* company name, or the file's base name without extension */
    int year;          /* 0 when unknown */
    char *industry;    /* e.g. "power"; NULL when unknown */
    char *size;        /* e.g. "large"; NULL when unknown */
    char *report_type; /* e.g. "ESG", "CSR"; NULL when unknown */
} cnrs_meta;

/* Fill `m` from the base name of `path` (extension dropped). The name is
 * cut into parts at '_', '-' and ' '; a year is a part 1990-2099 (or 2023年),
 * a code a first part that is a stock code (cnrs_code_normalise's forms, or
 * four to six digits that are not a year). Recognised:
 *   {code}_{company}_{year}[_anything]   the company is all between
 *   {code}-{company}-{year}, {code} {company} {year}   the same
 *   {code}_{year}_{company}[_anything]   the company up to the next separator
 *   {company} {year} ... (no code)       "Microsoft 2022 Sustainability Report"
 *   {code}_{company} (no year)           year 0
 * The code is normalised (cnrs_code_normalise, never padded). Returns 1 when
 * a code or a year was found; otherwise 0 with the base name as company, no
 * code, year 0. Never fails. Release with cnrs_meta_clear. */
int cnrs_meta_from_path(const char *path, cnrs_meta *m);

/* A stock code in its one canonical form, so that a company is one company
 * however its files and manifests write its code (caller frees; NULL for an
 * empty or NULL `raw`):
 *   Shanghai, Shenzhen, Beijing   six digits: 600519 from 600519, SH600519,
 *                                 sh600519, 600519.SH, 600519.SS; 000001 from
 *                                 SZ000001, 000001.SZ; 430047 from BJ430047
 *   Hong Kong                     five digits and .HK: 00700.HK from 700.HK,
 *                                 0700.HK, HK0700, HK00700 and a bare 00700
 *   Tokyo                         6758.T from 6758.t (never padded)
 * When `lost_zeros` (a manifest: spreadsheets drop leading zeros) a bare
 * number of one to four digits without a leading zero that pads to a
 * Shenzhen code 000001-003999 is padded (789 -> 000789); no other code is
 * ever padded (6758 stays 6758). Anything else is kept as written, trimmed. */
char *cnrs_code_normalise(const char *raw, int lost_zeros);

/* Deep copy of `src` into `dst` (whose old contents are not freed). */
void cnrs_meta_copy(cnrs_meta *dst, const cnrs_meta *src);

/* Replace *field with a copy of `value` (NULL or "" makes it NULL). */
void cnrs_meta_set(char **field, const char *value);

void cnrs_meta_clear(cnrs_meta *m);

#endif
