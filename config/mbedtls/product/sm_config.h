/*
 * sm_config.h (product profile): Mbed TLS configuration of the SM core's and the ITS partition's
 * own Mbed TLS code: HMAC and HKDF over SHA-256 (md.c, hkdf.c) and their memory, each user's own
 * copy in its own memory (the core's in the core, the ITS partition's in its link unit). The
 * primitives they stand on (SHA-256, AES, GCM: primitives.h) are the image's one shared copy.
 * No heap: HMAC's two small contexts come from static slots (boot/common/bl_pool.h), which are
 * each user's own.
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
