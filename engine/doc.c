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
    free(doc->blocks);
    free(doc->sents);
    free(doc);
}

void cnrs_doc_add_raw(cnrs_doc *doc, int page, cnrs_block_kind kind, const char *text, size_t len)
{
    if (page < 1)
        page = 1;
    doc->raw = cnrs_xgrow(doc->raw, &doc->raw_cap, doc->raw_len + len + 2, 1);
    size_t off = doc->raw_len;
    if (len)
        memcpy(doc->raw + off, text, len);
    doc->raw[off + len] = '\n';
    doc->raw_len += len + 1;
    doc->raw[doc->raw_len] = '\0';
    doc->raw_blocks =
        cnrs_xgrow(doc->raw_blocks, &doc->raw_blocks_cap, doc->n_raw + 1, sizeof *doc->raw_blocks);
    doc->raw_blocks[doc->n_raw++] = (cnrs_raw_block){page, kind, off, len};
    if (page > doc->npages)
        doc->npages = page;
}
