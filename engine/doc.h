/* doc.h - the document model: pages -> blocks -> sentences.
 *
 * Every reader (text, HTML, later PDF and pdftohtml XML) produces the same
 * model, so extraction and scoring never care where text came from.
 *
 *   raw blocks   what a reader found: a line of a text file, an HTML element,
 *                a table row, a positioned PDF line; each with its page and a
 *                kind hint. Raw text is UTF-8 but not yet normalised.
 *   blocks       after segmentation: normalised paragraphs (wrapped lines
 *                joined), each with page and final kind (body, heading,
 *                table row, toc, index, furniture).
 *   sentences    slices of the normalised text with page and kind; the unit
 *                of evidence.
 *   sections     one per heading that names a section: its level and the
 *                section it lies in. Every sentence records the section in
 *                force at it, so its heading path ("环境责任 > 应对气候变化 >
 *                温室气体排放") costs four bytes a sentence, not a string.
 *
 * Heading paths (built by segment.c in its one pass over the blocks): a
 * heading's level comes from its reader (HTML h1-h6 -> 1-6; PDF: the rank
 * of its font size among the document's heading sizes, layout.h) or, for a
 * heading segment.c finds in text, from its numbering (segment.h). A
 * heading at level L closes every open section at level L or deeper and
 * opens one inside the nearest open section above L; a sentence (the
 * heading's own included) belongs to the section open at it. Headings
 * without a letter ("95%", "03") name nothing and leave the path alone.
 *
 * Pages are numbered from 1. A format without pages (plain text without form
 * feeds, HTML) puts everything on page 1 and sets `paged` to 0 so output can
 * omit page numbers.
 *
 * Ownership: a cnrs_doc owns every string reachable from it; consumers only
 * read. The struct is public so the hot path can iterate without calls, but
 * only the readers (raw blocks) and segment.c (blocks, sentences, sections,
 * text) write.
 */
#ifndef CNRS_DOC_H
#define CNRS_DOC_H

#include <stddef.h>

#include "script.h"
#include <stdint.h>

struct cnrs_buf; /* util.h */

typedef enum cnrs_format {
    CNRS_FMT_UNKNOWN = 0,
    CNRS_FMT_TEXT,
    CNRS_FMT_HTML,
    CNRS_FMT_PDF,
    CNRS_FMT_PDFXML
} cnrs_format;

typedef enum cnrs_block_kind {
    CNRS_BLOCK_BODY = 0,  /* running text; may be joined with neighbours */
    CNRS_BLOCK_HEADING,   /* a title; never joined with the next line */
    CNRS_BLOCK_TABLE_ROW, /* one row of a table, cells separated by " | " */
    CNRS_BLOCK_TOC,       /* table-of-contents entry: earns no evidence */
    CNRS_BLOCK_INDEX,     /* GRI/ESG content-index row: earns no evidence */
    CNRS_BLOCK_FURNITURE, /* running header/footer, bare page number: dropped */
    CNRS_BLOCK_BREAK      /* raw only: paragraph break (blank line, <p> end) */
} cnrs_block_kind;

/* Name of a kind ("body", "heading", "table_row", "toc", "index",
 * "furniture", "break"). Static storage. */
const char *cnrs_block_kind_name(cnrs_block_kind k);
const char *cnrs_format_name(cnrs_format f);

/* Deepest heading level: HTML's h6. */
#define CNRS_MAX_LEVEL 6

/* Sixteen bytes: a text file of short lines has one per line. */
typedef struct cnrs_raw_block {
    uint64_t off : 57;  /* into doc->raw (128 PiB) */
    uint64_t kind : 4;  /* cnrs_block_kind: hint from the reader */
    uint64_t level : 3; /* a HEADING's level from the reader, 1..CNRS_MAX_LEVEL; 0 none */
    uint32_t len;       /* cnrs_doc_add_raw splits longer text into several blocks */
    int32_t page;
} cnrs_raw_block;

typedef struct cnrs_block {
    int page;
    cnrs_block_kind kind;
    size_t off; /* into doc->text */
    size_t len;
} cnrs_block;

/* No section: a sentence before the first heading. */
#define CNRS_NO_SECTION UINT32_MAX

typedef struct cnrs_sentence {
    int page;
    cnrs_block_kind kind; /* kind of the block it came from */
    uint32_t block;       /* index into doc->blocks */
    uint32_t section;     /* index into doc->sections, or CNRS_NO_SECTION */
    size_t off;           /* byte offset into doc->text */
    size_t len;           /* bytes; doc->text[off+len] is not NUL */
} cnrs_sentence;

/* A section: what one heading opens (see "Heading paths" above). */
typedef struct cnrs_section {
    uint32_t block;  /* the heading: index into doc->blocks */
    uint32_t parent; /* the enclosing section (a lower level), or CNRS_NO_SECTION */
    uint32_t level;  /* 1..CNRS_MAX_LEVEL */
} cnrs_section;

typedef struct cnrs_doc {
    char *path;           /* as given by the caller */
    cnrs_format format;
    const char *encoding; /* detected source encoding name, static storage */
    int npages;           /* >= 1 once anything was added */
    int paged;            /* 1 if the source had real pages */
    int copy_restricted;  /* 1: a PDF whose permissions forbid copying (read anyway) */
    int ocr;              /* 1: some of the text came from OCR (ocr.h) */

    char *raw; /* raw block text, NUL-terminated; blocks separated by '\n' (a text
                  file's decoded bytes as they are: see cnrs_doc_adopt_raw) */
    size_t raw_len, raw_cap;
    cnrs_raw_block *raw_blocks;
    size_t n_raw, raw_blocks_cap;

    char *text; /* normalised text, NUL-terminated; blocks separated by '\n' */
    size_t text_len;
    /* What the rubric is matched against: the simplified form of a document
     * in traditional characters (script.h), byte for byte as long as text so
     * the same offsets hold; NULL when text itself is matched. Evidence and
     * output always show text. */
    char *match;
    cnrs_script script;
    cnrs_block *blocks;
    size_t nblocks;
    cnrs_sentence *sents;
    size_t nsents;
    cnrs_section *sections; /* in document order; a parent precedes its children */
    size_t nsections;
} cnrs_doc;

/* A new empty document for `path` (copied). Free with cnrs_doc_free. */
cnrs_doc *cnrs_doc_new(const char *path, cnrs_format format);
void cnrs_doc_free(cnrs_doc *doc);

/* Append a raw block (text copied; must be UTF-8). Updates npages. A
 * CNRS_BLOCK_BREAK block may have len 0. Text longer than UINT32_MAX bytes
 * becomes several blocks (cut at UTF-8 boundaries). */
void cnrs_doc_add_raw(cnrs_doc *doc, int page, cnrs_block_kind kind, const char *text,
                      size_t len);

/* Append a raw HEADING block at `level` (clamped to 1..CNRS_MAX_LEVEL);
 * otherwise as cnrs_doc_add_raw. */
void cnrs_doc_add_heading(cnrs_doc *doc, int page, int level, const char *text, size_t len);

/* For readers that already hold the whole text (decoded text files): make
 * text[0..len) (NUL-terminated, UTF-8, from malloc) doc->raw, taking
 * ownership, so the bytes are not copied again; then describe the blocks
 * with cnrs_doc_add_raw_at. Only on a document without raw text yet. */
void cnrs_doc_adopt_raw(cnrs_doc *doc, char *text, size_t len);

/* Append a raw block that is doc->raw[off, off + len) (adopted text);
 * otherwise as cnrs_doc_add_raw. */
void cnrs_doc_add_raw_at(cnrs_doc *doc, int page, cnrs_block_kind kind, size_t off, size_t len);

/* Append the heading path of `section` to `out`: the headings' text from
 * the outermost section in, joined by " > " (at most CNRS_MAX_LEVEL of
 * them); nothing for CNRS_NO_SECTION or an index out of range. Reads only;
 * the text is the document's normalised text. */
void cnrs_doc_section_path(const cnrs_doc *doc, uint32_t section, struct cnrs_buf *out);

#endif
