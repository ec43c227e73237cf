/* fuzz_segment.c - libFuzzer target: sentence segmentation (segment.h).
 *
 * The input describes a document. First byte: bit 0 selects HTML (blocks are
 * never joined) or text, bit 1 sets `paged`, bit 7 hands the rest to the
 * real text reader (cnrs_ingest_memory) instead of the line builder below.
 * Line builder: each '\n'-separated line is a raw block; a form feed anywhere
 * starts a new page; a line starting with byte 0x01 is a HEADING hint (at
 * level length % 8, 0: none given), 0x02
 * a TABLE_ROW hint, 0x03 a BREAK; bytes that are not UTF-8 become '?'
 * (raw blocks must be UTF-8, doc.h). Then cnrs_segment, and the segmented
 * document is checked against segment.h's promises (fuzz.h).
 */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "ingest.h"
#include "segment.h"

static void S_add_line(cnrs_doc *doc, int page, const char *s, size_t n, cnrs_buf *tmp)
{
    cnrs_block_kind kind = CNRS_BLOCK_BODY;
    if (n && (s[0] == 1 || s[0] == 2 || s[0] == 3)) {
        kind = s[0] == 1 ? CNRS_BLOCK_HEADING : s[0] == 2 ? CNRS_BLOCK_TABLE_ROW : CNRS_BLOCK_BREAK;
        s++;
        n--;
    }
    if (kind == CNRS_BLOCK_BREAK) {
        cnrs_doc_add_raw(doc, page, kind, "", 0);
        return;
    }
    cnrs_buf_reset(tmp);
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t k = cnrs_utf8_valid_prefix(u + i, n - i);
        cnrs_buf_append(tmp, s + i, k);
        i += k;
        if (i < n) {
            cnrs_buf_putc(tmp, '?');
            i++;
        }
    }
    /* A heading hint's level from its length: 0 leaves it to the numbering. */
    if (kind == CNRS_BLOCK_HEADING && n % 8)
        cnrs_doc_add_heading(doc, page, (int)(n % 8), tmp->data ? tmp->data : "", tmp->len);
    else
        cnrs_doc_add_raw(doc, page, kind, tmp->data ? tmp->data : "", tmp->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0];
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    cnrs_doc *doc = NULL;
    if (flags & 0x80) {
        cnrs_error err = {0};
        if (cnrs_ingest_memory("fuzz.txt", CNRS_FMT_TEXT, s, n, &doc, &err) != CNRS_OK) {
            FUZZ_CHECK(doc == NULL && err.msg[0]);
            return 0;
        }
        fuzz_check_raw(doc, 1);
    } else {
        doc = cnrs_doc_new("fuzz", (flags & 1) ? CNRS_FMT_HTML : CNRS_FMT_TEXT);
        doc->paged = (flags & 2) ? 1 : 0;
        cnrs_buf tmp = CNRS_BUF_INIT;
        int page = 1;
        const char *p = s, *end = s + n;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *eol = nl ? nl : end;
            const char *ff;
            while ((ff = memchr(p, '\f', (size_t)(eol - p))) != NULL) {
                if (ff > p)
                    S_add_line(doc, page, p, (size_t)(ff - p), &tmp);
                page++;
                p = ff + 1;
            }
            S_add_line(doc, page, p, (size_t)(eol - p), &tmp);
            p = nl ? nl + 1 : end;
        }
        cnrs_buf_free(&tmp);
        if (doc->npages < 1)
            doc->npages = 1;
        fuzz_check_raw(doc, 1);
    }
    cnrs_segment(doc);
    fuzz_check_segmented(doc);
    cnrs_doc_free(doc);
    return 0;
}
