/*
 * shared_zeroize.c (product profile): mbedtls_platform_zeroize for the SM image's one shared copy
 * of the Mbed TLS primitives and all their users (MBEDTLS_PLATFORM_ZEROIZE_ALT, primitives.h).
 *
 * Mbed TLS's own calls memset through a volatile function pointer, a variable the shared code
 * region cannot hold (it has no data; each partition's data is its own). The C library's
 * explicit_bzero, in the same shared region, wipes without any: it is an external function the
 * compiler cannot see into, so the call is never removed, the guarantee Mbed TLS asks of this
 * function (platform_util.h).
 */
#include <stddef.h>
#include <string.h>

#include "mbedtls/platform_util.h"

void explicit_bzero(void *buf, size_t len); /* newlib's; declared by string.h for BSD only */

void mbedtls_platform_zeroize(void *buf, size_t len)
{
    if (len > 0) {
        explicit_bzero(buf, len);
    }
}
