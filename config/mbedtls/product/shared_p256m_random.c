/*
 * shared_p256m_random.c (product profile, board): the randomness of the SM image's one shared
 * p256-m (cmake/mbedtls.cmake), which the core (attestation signatures) and the crypto partition
 * (its PSA driver for P-256) both run. p256-m draws through psa_generate_random, which this copy
 * names sm_p256m_random; it has no data to say whose call it is, so it asks the processor: the
 * core runs privileged (a handler, or the deferred signature in privileged Thread mode), every
 * partition unprivileged (isolation level 3). The core's draws come from sm_core_random (the
 * randomness it drew for the job under way, core/sm_device.c); a partition's from the crypto
 * partition's own PSA random generator (crypto_p256m_random, services/crypto), which only the
 * crypto partition may execute: any other partition calling in faults on its MPU regions, as it
 * would calling any of the crypto partition's code. Either source fails closed, and so does a
 * partition's call in an image without the crypto partition.
 */
#include <stddef.h>
#include <stdint.h>

#include "psa/crypto.h"

psa_status_t sm_core_random(uint8_t *output, size_t output_size);
psa_status_t crypto_p256m_random(uint8_t *output, size_t output_size) __attribute__((weak));

psa_status_t sm_p256m_random(uint8_t *output, size_t output_size)
{
    uint32_t control, ipsr;
    __asm volatile("mrs %0, control" : "=r"(control));
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    if (ipsr != 0u || (control & 1u) == 0u) {
        return sm_core_random(output, output_size);
    }
    if (crypto_p256m_random == NULL) {
        return PSA_ERROR_NOT_SUPPORTED;
    }
    return crypto_p256m_random(output, output_size);
}
