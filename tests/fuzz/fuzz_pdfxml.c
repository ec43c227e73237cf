/* fuzz_pdfxml.c - libFuzzer target: pdftohtml -xml ingestion (the PDF
 * reader's positioned text) followed by segmentation.
 *
 * Until the PDF reader exists cnrs_ingest_memory refuses CNRS_FMT_PDFXML
 * with CNRS_ERR_FORMAT; the target then exercises nothing, and
 * tests/fuzz/smoke.sh says so and skips it (it probes with a seed first).
 * Checks as fuzz_html.c, plus: a paged document's pages are in range.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "ingest.h"
#include "segment.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* With CNRS_FUZZ_PROBE set, exit 86 when this build cannot read pdftohtml
 * XML at all, so fuzz.sh can skip the target with a clear message. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char sample[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<pdf2xml producer=\"poppler\">\n"
        "<page number=\"1\" position=\"absolute\" top=\"0\" left=\"0\" height=\"842\" "
        "width=\"595\">\n<fontspec id=\"0\" size=\"10\" family=\"SimSun\" color=\"#000000\"/>\n"
        "<text top=\"100\" left=\"72\" width=\"300\" height=\"13\" font=\"0\">"
        "公司2023年温室气体排放总量为45.6万吨二氧化碳当量。</text>\n</page>\n</pdf2xml>\n";
    cnrs_doc *doc = NULL;
    cnrs_error err = {0};
    cnrs_status st =
        cnrs_ingest_memory("probe.xml", CNRS_FMT_PDFXML, sample, sizeof sample - 1, &doc, &err);
    cnrs_doc_free(doc);
    if (st == CNRS_ERR_FORMAT && getenv("CNRS_FUZZ_PROBE")) {
        printf("fuzz_pdfxml: pdftohtml XML not supported by this build (%s)\n", err.msg);
        exit(86);
    }
    return 0;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cnrs_doc *doc = (cnrs_doc *)1;
    cnrs_error err = {0};
    cnrs_status st =
        cnrs_ingest_memory("fuzz.xml", CNRS_FMT_PDFXML, (const char *)data, size, &doc, &err);
    if (st != CNRS_OK) {
        FUZZ_CHECK(doc == NULL && err.code == st && err.msg[0]);
        FUZZ_CHECK(strchr(err.msg, '\n') == NULL);
        return 0;
    }
    FUZZ_CHECK(doc != NULL && doc->npages >= 1);
    fuzz_check_raw(doc, 1);
    cnrs_segment(doc);
    fuzz_check_segmented(doc);
    cnrs_doc_free(doc);
    return 0;
}
