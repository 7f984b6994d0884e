/*
 * crypto_p256m_random.c (product profile, board): the randomness the SM image's shared p256-m
 * draws when the crypto partition runs it (config/mbedtls/product/shared_p256m_random.c): the
 * partition's own PSA random generator, as the p256-m in its Mbed TLS drew before it was shared
 * (docs/design/footprint.md). Exported by the partition's link unit (services/crypto/
 * CMakeLists.txt) so that the shared code can reach it; it runs only as the crypto partition.
 */
#include <stddef.h>
#include <stdint.h>

#include "psa/crypto.h"

psa_status_t crypto_p256m_random(uint8_t *output, size_t output_size);

psa_status_t crypto_p256m_random(uint8_t *output, size_t output_size)
{
    return psa_generate_random(output, output_size);
}
