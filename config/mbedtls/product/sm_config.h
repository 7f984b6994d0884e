/*
 * sm_config.h (product profile): Mbed TLS configuration of the SM core's and the ITS partition's
 * Mbed TLS code: HMAC and HKDF over SHA-256 (md.c, hkdf.c, the image's one shared copy since
 * round 4 of docs/design/footprint.md, like the primitives they stand on: primitives.h), and
 * what stays each user's own in its own memory (the core's in the core, the ITS partition's in
 * its link unit): platform_util.c and the memory. No heap: HMAC's two small contexts come from
 * static slots (boot/common/bl_pool.h), each user's own (the shared md.c reaches its caller's:
 * shared_md_alloc.c). shared_config.h sets the same options for the shared copy
 * (shared_layout.c checks that the contexts agree).
 */
#ifndef SM_MBEDTLS_PRODUCT_SM_CONFIG_H
#define SM_MBEDTLS_PRODUCT_SM_CONFIG_H

#include "primitives.h"

#define MBEDTLS_MD_C
#define MBEDTLS_HKDF_C

#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#include <stddef.h>
void *bl_pool_calloc(size_t n, size_t size);
void bl_pool_free(void *p);
#define MBEDTLS_PLATFORM_CALLOC_MACRO bl_pool_calloc
#define MBEDTLS_PLATFORM_FREE_MACRO   bl_pool_free

#endif /* SM_MBEDTLS_PRODUCT_SM_CONFIG_H */
