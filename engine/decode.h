/* decode.h - detect a text file's encoding and convert it to UTF-8.
 *
 * Detection order: UTF-8 BOM; UTF-16 LE/BE BOM; valid UTF-8 (no BOM);
 * GB18030 (a superset of GBK and GB2312) through iconv when the bytes are
 * not valid UTF-8 but convert cleanly as GB18030. Nothing else is guessed.
 */
#ifndef CNRS_DECODE_H
#define CNRS_DECODE_H

#include <stddef.h>

#include "util.h"

/* Convert data[0..len) to a fresh NUL-terminated UTF-8 string in *out (caller
 * frees), without BOM, with "\r\n" and lone "\r" turned into "\n".
 * *encoding receives a static name: "utf-8", "utf-8-bom", "utf-16le",
 * "utf-16be", "gb18030". `name` is only used in messages.
 * Form feeds are kept (they separate pages).
 * Fails with CNRS_ERR_BINARY (a NUL, or more than 1% + 4 of the bytes C0
 * controls other than tab, LF, CR, FF, VT, ESC; for UTF-16 the same test on
 * the decoded text), CNRS_ERR_ENCODING (neither UTF-8 nor GB18030; invalid
 * UTF-8 after a UTF-8 BOM; malformed UTF-16: odd length, unpaired
 * surrogate). On failure *out is NULL. Empty input is valid ("utf-8"). */
cnrs_status cnrs_decode_text(const char *name, const char *data, size_t len, char **out,
                             size_t *out_len, const char **encoding, cnrs_error *err);

#endif
