/* meta.h - company metadata of a report.
 *
 * From the file name convention `{code}_{company}_{year}[_anything].ext`
 * (year: four digits 1990-2099). Later, manifests (batch issue) fill the same
 * record. Strings are owned by the record.
 */
#ifndef CNRS_META_H
#define CNRS_META_H

typedef struct cnrs_meta {
    char *code;     /* stock code, or NULL */
    char *company;  /* company name, or the file's base name without extension */
    int year;       /* 0 when unknown */
} cnrs_meta;

/* Fill `m` from the base name of `path`; never fails (falls back to the base
 * name as company). Release with cnrs_meta_clear. */
void cnrs_meta_from_path(const char *path, cnrs_meta *m);
void cnrs_meta_clear(cnrs_meta *m);

#endif
