/* fuzz.h - invariant checks shared by the libFuzzer targets.
 *
 * A failed check prints what was violated and aborts, which libFuzzer
 * reports as a crash and saves the input. The checks are the promises the
 * headers make (valid UTF-8 out, offsets inside the text, pages in range),
 * so a fuzzer finds broken contracts as well as memory errors.
 */
#ifndef CNRS_FUZZ_H
#define CNRS_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "segment.h"
#include "util.h"

#define FUZZ_CHECK(cond)                                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #cond);     \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

/* s[0..n) is valid UTF-8 and holds no NUL. */
static inline int fuzz_utf8_ok(const char *s, size_t n)
{
    return cnrs_utf8_valid_prefix((const unsigned char *)s, n) == n && memchr(s, 0, n) == NULL;
}

/* A byte offset that does not split a UTF-8 sequence. */
static inline int fuzz_boundary(const char *s, size_t n, size_t off)
{
    return off == 0 || off == n || ((unsigned char)s[off] & 0xC0) != 0x80;
}

/* Whether known, not yet fixed contract violations are checked too
 * (CNRS_FUZZ_STRICT=1; tests/fuzz/pending/ lists the inputs). */
static inline int fuzz_strict(void)
{
    static int strict = -1;
    if (strict < 0) {
        const char *e = getenv("CNRS_FUZZ_STRICT");
        strict = e && *e == '1';
    }
    return strict;
}

/* Raw blocks as the readers promise them (doc.h): inside doc->raw, pages in
 * range, and UTF-8 when `utf8` (cnrs_doc_add_raw's precondition). */
static inline void fuzz_check_raw(const cnrs_doc *doc, int utf8)
{
    for (size_t i = 0; i < doc->n_raw; i++) {
        const cnrs_raw_block *b = &doc->raw_blocks[i];
        FUZZ_CHECK(b->off <= doc->raw_len && b->len <= doc->raw_len - b->off);
        FUZZ_CHECK(b->page >= 1 && b->page <= doc->npages);
        if (utf8)
            FUZZ_CHECK(cnrs_utf8_valid_prefix((const unsigned char *)doc->raw + b->off,
                                              b->len) == b->len);
    }
}

/* A segmented document as segment.h promises it. */
static inline void fuzz_check_segmented(const cnrs_doc *doc)
{
    FUZZ_CHECK(doc->npages >= 1);
    FUZZ_CHECK(doc->text != NULL || doc->text_len == 0);
    if (doc->text) {
        FUZZ_CHECK(doc->text[doc->text_len] == '\0');
        FUZZ_CHECK(fuzz_utf8_ok(doc->text, doc->text_len));
    }
    for (size_t i = 0; i < doc->nblocks; i++) {
        const cnrs_block *b = &doc->blocks[i];
        FUZZ_CHECK(b->off <= doc->text_len && b->len <= doc->text_len - b->off);
        FUZZ_CHECK(b->page >= 1 && b->page <= doc->npages);
        FUZZ_CHECK(b->kind != CNRS_BLOCK_BREAK);
        FUZZ_CHECK(fuzz_boundary(doc->text, doc->text_len, b->off));
        FUZZ_CHECK(fuzz_boundary(doc->text, doc->text_len, b->off + b->len));
        FUZZ_CHECK(memchr(doc->text + b->off, '\n', b->len) == NULL);
    }
    size_t prev_end = 0;
    for (size_t i = 0; i < doc->nsents; i++) {
        const cnrs_sentence *s = &doc->sents[i];
        FUZZ_CHECK(s->len > 0 && s->len <= CNRS_MAX_SENTENCE);
        FUZZ_CHECK(s->off <= doc->text_len && s->len <= doc->text_len - s->off);
        FUZZ_CHECK(s->off >= prev_end); /* in order, not overlapping */
        prev_end = s->off + s->len;
        FUZZ_CHECK(s->block < doc->nblocks);
        const cnrs_block *b = &doc->blocks[s->block];
        FUZZ_CHECK(s->off >= b->off && s->off + s->len <= b->off + b->len);
        FUZZ_CHECK(s->kind == b->kind);
        FUZZ_CHECK(s->kind != CNRS_BLOCK_FURNITURE && s->kind != CNRS_BLOCK_BREAK);
        FUZZ_CHECK(s->page >= b->page && s->page <= doc->npages);
        FUZZ_CHECK(fuzz_boundary(doc->text, doc->text_len, s->off));
        FUZZ_CHECK(fuzz_boundary(doc->text, doc->text_len, s->off + s->len));
        /* trimmed of spaces (segment.h step 4); pending for the pieces of a
         * sentence cut at CNRS_MAX_SENTENCE (tests/fuzz/pending/segment/) */
        if (b->len <= CNRS_MAX_SENTENCE || fuzz_strict())
            FUZZ_CHECK(doc->text[s->off] != ' ' && doc->text[s->off + s->len - 1] != ' ');
        /* sections (doc.h): open in order, at or before the sentence */
        if (s->section != CNRS_NO_SECTION) {
            FUZZ_CHECK(s->section < doc->nsections);
            FUZZ_CHECK(doc->sections[s->section].block <= s->block);
            FUZZ_CHECK(i == 0 || doc->sents[i - 1].section == CNRS_NO_SECTION ||
                       doc->sents[i - 1].section <= s->section);
        }
    }
    for (size_t k = 0; k < doc->nsections; k++) {
        const cnrs_section *x = &doc->sections[k];
        FUZZ_CHECK(x->block < doc->nblocks && doc->blocks[x->block].kind == CNRS_BLOCK_HEADING);
        FUZZ_CHECK(x->level >= 1 && x->level <= CNRS_MAX_LEVEL);
        FUZZ_CHECK(x->parent == CNRS_NO_SECTION ||
                   (x->parent < k && doc->sections[x->parent].level < x->level));
    }
}

#endif
