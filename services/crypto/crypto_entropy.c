/*
 * crypto_entropy.c: the only entropy source of the crypto partition's Mbed TLS
 * (MBEDTLS_ENTROPY_HARDWARE_ALT): the core's entropy service (sm/sm_device.h). Mbed TLS's
 * entropy module gathers from it and seeds CTR_DRBG, which produces every random byte.
 */
#include <stddef.h>

#include "mbedtls/entropy.h"
#include "sm/sm_device.h"

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen);

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen)
{
    (void)data;
    size_t n = len < SM_ENTROPY_MAX ? len : SM_ENTROPY_MAX;
    *olen = 0;
    if (n == 0u) {
        return 0;
    }
    if (sm_entropy(output, n) != PSA_SUCCESS) {
        return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
    }
    *olen = n;
    return 0;
}
