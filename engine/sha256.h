/* sha256.h - SHA-256 (FIPS 180-4) of a byte string, for identifying report
 * files and rubric versions in stored results. */
#ifndef CNRS_SHA256_H
#define CNRS_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct cnrs_sha256 {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t fill;
} cnrs_sha256;

void cnrs_sha256_init(cnrs_sha256 *c);
void cnrs_sha256_update(cnrs_sha256 *c, const void *data, size_t len);
/* Write the digest as 64 lower-case hex digits plus NUL into hex[65]. */
void cnrs_sha256_final_hex(cnrs_sha256 *c, char hex[65]);
/* One-shot convenience. */
void cnrs_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
