/*
 * shared_config.h (product profile): Mbed TLS configuration the SM image's one shared copy of
 * the primitives is compiled with (cmake/mbedtls.cmake, sm_mbedcrypto_shared): their options
 * (primitives.h), and HMAC and HKDF over SHA-256 (md.c, hkdf.c) for the core and the ITS
 * partition, configured as their own sm_config.h configures them. That code has no data: each
 * user passes it its own contexts, and md.c's two small blocks per use come from the caller's
 * own pool (shared_md_alloc.c).
 */
#ifndef SM_MBEDTLS_PRODUCT_SHARED_CONFIG_H
#define SM_MBEDTLS_PRODUCT_SHARED_CONFIG_H

#include "primitives.h"

#define MBEDTLS_MD_C
#define MBEDTLS_HKDF_C

#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#include <stddef.h>
void *sm_md_calloc(size_t n, size_t size);
void sm_md_free(void *p);
#define MBEDTLS_PLATFORM_CALLOC_MACRO sm_md_calloc
#define MBEDTLS_PLATFORM_FREE_MACRO   sm_md_free

#endif /* SM_MBEDTLS_PRODUCT_SHARED_CONFIG_H */
