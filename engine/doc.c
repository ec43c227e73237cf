/* doc.c - document model storage. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *cnrs_block_kind_name(cnrs_block_kind k)
{
    switch (k) {
    case CNRS_BLOCK_BODY: return "body";
    case CNRS_BLOCK_HEADING: return "heading";
    case CNRS_BLOCK_TABLE_ROW: return "table_row";
    case CNRS_BLOCK_TOC: return "toc";
    case CNRS_BLOCK_INDEX: return "index";
    case CNRS_BLOCK_FURNITURE: return "furniture";
    case CNRS_BLOCK_BREAK: return "break";
    }
    return "body";
}

const char *cnrs_format_name(cnrs_format f)
{
    switch (f) {
    case CNRS_FMT_TEXT: return "text";
    case CNRS_FMT_HTML: return "html";
    case CNRS_FMT_PDF: return "pdf";
    case CNRS_FMT_PDFXML: return "pdfxml";
    case CNRS_FMT_UNKNOWN: break;
    }
    return "unknown";
}

cnrs_doc *cnrs_doc_new(const char *path, cnrs_format format)
{
    cnrs_doc *d = cnrs_xcalloc(1, sizeof *d);
    d->path = cnrs_xstrdup(path ? path : "-");
    d->format = format;
    d->encoding = "utf-8";
    return d;
}

void cnrs_doc_free(cnrs_doc *doc)
{
    if (!doc)
        return;
    free(doc->path);
    free(doc->raw);
    free(doc->raw_blocks);
    free(doc->text);
    free(doc->match);
    free(doc->blocks);
    free(doc->sents);
    free(doc->sections);
    free(doc);
}

static void S_block(cnrs_doc *doc, int page, cnrs_block_kind kind, size_t off, size_t len)
{
    doc->raw_blocks =
        cnrs_xgrow(doc->raw_blocks, &doc->raw_blocks_cap, doc->n_raw + 1, sizeof *doc->raw_blocks);
    cnrs_raw_block *b = &doc->raw_blocks[doc->n_raw++];
    b->off = off;
    b->level = 0;
    b->kind = (unsigned)kind;
    b->len = (uint32_t)len;
    b->page = page;
    if (page > doc->npages)
        doc->npages = page;
}

/* The length of the first piece of a block longer than UINT32_MAX bytes:
 * at most that, ending on a UTF-8 boundary of s. */
static size_t S_piece(const char *s, size_t len)
{
    if (len <= UINT32_MAX)
        return len;
    size_t k = UINT32_MAX;
    while (k > 1 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

void cnrs_doc_add_raw(cnrs_doc *doc, int page, cnrs_block_kind kind, const char *text, size_t len)
{
    if (page < 1)
        page = 1;
    do {
        size_t piece = S_piece(text, len);
        doc->raw = cnrs_xgrow(doc->raw, &doc->raw_cap, doc->raw_len + piece + 2, 1);
        size_t off = doc->raw_len;
        if (piece)
            memcpy(doc->raw + off, text, piece);
        doc->raw[off + piece] = '\n';
        doc->raw_len += piece + 1;
        doc->raw[doc->raw_len] = '\0';
        S_block(doc, page, kind, off, piece);
        text += piece;
        len -= piece;
    } while (len > 0);
}

void cnrs_doc_add_heading(cnrs_doc *doc, int page, int level, const char *text, size_t len)
{
    size_t first = doc->n_raw;
    cnrs_doc_add_raw(doc, page, CNRS_BLOCK_HEADING, text, len);
    if (level < 1)
        level = 1;
    if (level > CNRS_MAX_LEVEL)
        level = CNRS_MAX_LEVEL;
    for (size_t i = first; i < doc->n_raw; i++)
        doc->raw_blocks[i].level = (unsigned)level;
}

void cnrs_doc_adopt_raw(cnrs_doc *doc, char *text, size_t len)
{
    free(doc->raw);
    doc->raw = text;
    doc->raw_len = len;
    doc->raw_cap = len + 1;
}

void cnrs_doc_add_raw_at(cnrs_doc *doc, int page, cnrs_block_kind kind, size_t off, size_t len)
{
    if (page < 1)
        page = 1;
    do {
        size_t piece = S_piece(doc->raw + off, len);
        S_block(doc, page, kind, off, piece);
        off += piece;
        len -= piece;
    } while (len > 0);
}

void cnrs_doc_section_path(const cnrs_doc *doc, uint32_t section, cnrs_buf *out)
{
    /* Levels rise strictly from a section to its parent, so a path has at
     * most CNRS_MAX_LEVEL steps; the bound also stops a malformed table. */
    uint32_t chain[CNRS_MAX_LEVEL];
    int n = 0;
    while (section < doc->nsections && n < CNRS_MAX_LEVEL) {
        chain[n++] = section;
        section = doc->sections[section].parent;
    }
    while (n-- > 0) {
        const cnrs_block *b = &doc->blocks[doc->sections[chain[n]].block];
        cnrs_buf_append(out, doc->text + b->off, b->len);
        if (n)
            cnrs_buf_puts(out, " > ");
    }
}
