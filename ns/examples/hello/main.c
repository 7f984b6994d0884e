/*
 * hello: the smallest non-secure application built outside the SM tree, against the SMAK
 * package only (see ns/kit/README.md and this directory's Makefile).
 */
#include "psa/client.h"
#include "psa/crypto.h"
#include "smak.h"

int main(void)
{
    uint32_t fw = psa_framework_version();
    smak_printf("hello from an out-of-tree NS application: FF-M %u.%u\n", (unsigned)(fw >> 8),
                (unsigned)(fw & 0xFFu));
    /* A service this SM does not offer: its version is PSA_VERSION_NONE. */
    smak_printf("hello: psa_version(0x1234) = %u\n", (unsigned)psa_version(0x1234u));
    /* The PSA Crypto API as Mbed TLS declares it, served by the SM's crypto service. */
    uint8_t hash[PSA_HASH_LENGTH(PSA_ALG_SHA_256)];
    size_t len = 0;
    psa_status_t status = psa_crypto_init();
    if (status == PSA_SUCCESS) {
        status =
            psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)"abc", 3, hash, sizeof(hash), &len);
    }
    smak_printf("hello: SHA-256(\"abc\") = %02x%02x%02x%02x... (%u bytes, status %d)\n", hash[0],
                hash[1], hash[2], hash[3], (unsigned)len, (int)status);
    return 0;
}
