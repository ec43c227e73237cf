/* fuzz_rubric.c - libFuzzer target: the rubric loader (rubric.h): XML
 * parsing with libxml2, RelaxNG validation, macro expansion, PCRE2
 * compilation and the semantic checks.
 *
 * Checks: failure leaves *out NULL with a "NAME:LINE: ..." message and a
 * report; success gives weights that sum to 100 and consistent item slices,
 * and an extractor over the loaded rubric runs on a few sentences (a fuzzed
 * pattern that backtracks must be stopped by the match limits, which the
 * per-input timeout catches if not).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "extract.h"
#include "fuzz.h"
#include "rubric.h"

static const char *const S_sentences[] = {
    "2023年公司温室气体排放总量为45.6万吨二氧化碳当量，同比下降3.2%。",
    "We emitted 3.71 Mt CO2e in 2023, and we will reach net zero by 2050.",
    "公司暂未开展内部碳定价。aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cnrs_rubric *r = (cnrs_rubric *)1;
    cnrs_buf report = CNRS_BUF_INIT;
    cnrs_error err = {0};
    cnrs_status st =
        cnrs_rubric_load_memory("fuzz.xml", (const char *)data, size, &r, &report, &err);
    if (st != CNRS_OK) {
        FUZZ_CHECK(r == NULL);
        FUZZ_CHECK(st == CNRS_ERR_RUBRIC);
        FUZZ_CHECK(!strncmp(err.msg, "fuzz.xml:", 9));
        FUZZ_CHECK(report.len > 0 && !strncmp(report.data, "fuzz.xml:", 9));
        cnrs_buf_free(&report);
        return 0;
    }
    FUZZ_CHECK(r != NULL);
    FUZZ_CHECK(r->nindicators >= 1 && r->nindicators <= CNRS_MAX_INDICATORS);
    double sum = 0;
    size_t items = 0;
    for (size_t i = 0; i < r->nindicators; i++) {
        FUZZ_CHECK(r->indicators[i].first_item == items);
        items += r->indicators[i].nitems;
        sum += r->indicators[i].weight;
    }
    FUZZ_CHECK(items == r->nitems);
    FUZZ_CHECK(fabs(sum - 100.0) < 1e-6);
    cnrs_extractor *x = cnrs_extractor_new(r);
    cnrs_evidence_set ev;
    cnrs_evidence_set_init(&ev);
    for (size_t k = 0; k < sizeof S_sentences / sizeof *S_sentences; k++)
        cnrs_extract_sentence(x, S_sentences[k], strlen(S_sentences[k]), (uint32_t)k, &ev);
    for (size_t e = 0; e < ev.n; e++) {
        FUZZ_CHECK(ev.ev[e].item < r->nitems && ev.ev[e].feat < ev.nfeats);
        FUZZ_CHECK(ev.ev[e].indicator == (uint16_t)r->items[ev.ev[e].item].indicator);
    }
    cnrs_evidence_set_free(&ev);
    cnrs_extractor_free(x);
    cnrs_rubric_free(r);
    cnrs_buf_free(&report);
    return 0;
}
