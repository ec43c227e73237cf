/* fuzz_html.c - libFuzzer target: HTML ingestion (ingest.h, libxml2's HTML
 * parser) followed by segmentation. Checks the ingest contract (a document
 * or a one-line error, never both), UTF-8 raw blocks whatever charset the
 * page declares, and the segmented document (fuzz.h).
 */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "ingest.h"
#include "segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cnrs_doc *doc = (cnrs_doc *)1;
    cnrs_error err = {0};
    cnrs_status st =
        cnrs_ingest_memory("fuzz.html", CNRS_FMT_HTML, (const char *)data, size, &doc, &err);
    if (st != CNRS_OK) {
        FUZZ_CHECK(doc == NULL && err.code == st && err.msg[0]);
        FUZZ_CHECK(strchr(err.msg, '\n') == NULL);
        return 0;
    }
    FUZZ_CHECK(doc != NULL && doc->npages == 1 && !doc->paged);
    /* Raw blocks are UTF-8 whatever the bytes and the declared charset
     * (undecodable bytes become U+FFFD: regressions/html/raw-not-utf8-*). */
    fuzz_check_raw(doc, 1);
    cnrs_segment(doc);
    fuzz_check_segmented(doc);
    cnrs_doc_free(doc);
    return 0;
}
