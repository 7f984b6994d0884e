/*
 * fuzz_common.h: what the harnesses share: fixed test keys (so seeds made at build time and
 * the harnesses agree, and every run is the same), an image check independent of the boot
 * core, and quiet consoles.
 *
 * Contract:
 * - fuzz_quiet() sends stdout (the boot stages' console) to /dev/null; libFuzzer reports on
 *   stderr. FUZZ_VERBOSE=1 in the environment keeps stdout.
 * - fuzz_keys() derives the public halves of the fixed private keys once (Mbed TLS), returns
 *   them, and aborts if that fails. The keys are test keys only.
 * - fuzz_check_image() verifies an MCUboot image with none of the boot core's code: it reads
 *   the header fields and the TLV areas from the bytes, decrypts the payload with AES-CTR
 *   under `aes_key` (key_len bytes: 16 or 32) when it is not NULL, computes SHA-256 over header,
 * payload and protected TLVs, and checks the ECDSA_SIG TLV over it with Mbed TLS's ECDSA (its own
 * DER parser) and `pub`. Returns 0 and the hash for an image that verifies, -1 otherwise.
 * - fuzz_fail() prints the reason on stderr and aborts, which libFuzzer reports as a crash
 *   with the input saved.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "mbedtls/pk.h"

struct fuzz_keys {
    uint8_t sign_priv[32];  /* signs the images the harnesses provision a key for */
    uint8_t sign_pub[64];   /* x || y */
    uint8_t other_priv[32]; /* signs images that must be refused (another key) */
    uint8_t other_pub[64];
    uint8_t enc_priv[32]; /* the device's image decryption key */
    uint8_t enc_pub[64];
};

void fuzz_quiet(void);
const struct fuzz_keys *fuzz_keys(void);
/* A signing context for a fixed private key (seeds, pre-signed images). 0 or -1. */
int fuzz_pk_from_priv(const uint8_t priv[32], mbedtls_pk_context *pk);

int fuzz_check_image(const uint8_t *img, size_t len, const uint8_t pub[64], const uint8_t *aes_key,
                     size_t key_len, uint8_t hash[32]);

void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Little-endian fields of the image bytes. */
uint16_t fuzz_le16(const uint8_t *p);
uint32_t fuzz_le32(const uint8_t *p);

#endif /* FUZZ_COMMON_H */
