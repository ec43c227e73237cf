/* fuzz_classify.c - libFuzzer target: classify, i.e. one input line through
 * normalisation and evidence extraction with the built-in rubric (loaded
 * once), then the classify TSV writer.
 *
 * Checks: evidence records point at real items and features, one features
 * record per sentence with evidence, and the TSV line is one line of valid
 * UTF-8 with 7 fields.
 */
#include <stdint.h>
#include <string.h>

#include "extract.h"
#include "fuzz.h"
#include "normalise.h"
#include "output.h"
#include "rubric.h"

static cnrs_rubric *S_rubric;
static cnrs_extractor *S_x;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cnrs_error err = {0};
    if (cnrs_rubric_load_builtin(&S_rubric, NULL, &err) != CNRS_OK) {
        fprintf(stderr, "fuzz_classify: built-in rubric: %s\n", err.msg);
        abort();
    }
    S_x = cnrs_extractor_new(S_rubric);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* As `cnrs classify` does: the line without its newline, normalised. */
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    size_t n = nl ? (size_t)(nl - s) : size;
    cnrs_buf norm = CNRS_BUF_INIT, out = CNRS_BUF_INIT;
    cnrs_normalise(s, n, &norm);
    cnrs_evidence_set ev;
    cnrs_evidence_set_init(&ev);
    size_t k = cnrs_extract_sentence(S_x, norm.data ? norm.data : "", norm.len, 7, &ev);
    FUZZ_CHECK(k == ev.n);
    FUZZ_CHECK(ev.nfeats == (ev.n ? 1u : 0u));
    for (size_t e = 0; e < ev.n; e++) {
        FUZZ_CHECK(ev.ev[e].sent == 7 && ev.ev[e].feat == 0);
        FUZZ_CHECK(ev.ev[e].item < S_rubric->nitems);
        FUZZ_CHECK(ev.ev[e].indicator == (uint16_t)S_rubric->items[ev.ev[e].item].indicator);
        FUZZ_CHECK(S_rubric->nunits >= 32 || ev.ev[e].units >> S_rubric->nunits == 0);
    }
    cnrs_write_classify_line(&out, S_rubric, &ev, 7);
    FUZZ_CHECK(out.len > 0 && out.data[out.len - 1] == '\n');
    FUZZ_CHECK(memchr(out.data, '\n', out.len - 1) == NULL);
    FUZZ_CHECK(fuzz_utf8_ok(out.data, out.len));
    size_t tabs = 0;
    for (size_t i = 0; i < out.len; i++)
        tabs += out.data[i] == '\t';
    FUZZ_CHECK(tabs == 6);
    cnrs_evidence_set_free(&ev);
    cnrs_buf_free(&norm);
    cnrs_buf_free(&out);
    return 0;
}
