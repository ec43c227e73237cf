/* meta.h - company metadata of a report.
 *
 * From the file name convention `{code}_{company}_{year}[_anything].ext`
 * (year: four digits 1990-2099), or from a manifest row (manifest.h), which
 * fills the same record and may add industry, size and report type. Strings
 * are owned by the record; NULL means unknown.
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

/* Fill `m` from the base name of `path`; never fails (falls back to the base
 * name as company, no code, year 0). Returns 1 when the name follows the
 * convention (code, company and year found), 0 for the fallback. Release
 * with cnrs_meta_clear. */
int cnrs_meta_from_path(const char *path, cnrs_meta *m);

/* Deep copy of `src` into `dst` (whose old contents are not freed). */
void cnrs_meta_copy(cnrs_meta *dst, const cnrs_meta *src);

/* Replace *field with a copy of `value` (NULL or "" makes it NULL). */
void cnrs_meta_set(char **field, const char *value);

void cnrs_meta_clear(cnrs_meta *m);

#endif
