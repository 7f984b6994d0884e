/*
 * its_config.h: Mbed TLS configuration of the ITS partition's own copy on the board.
 *
 * The ITS partition links its own Mbed TLS (SHA-256, AES, GCM, HMAC, HKDF) into its private
 * code and RAM (cmake/partitions.cmake, LIBS), so it shares no code with the crypto service
 * (which itself stores keys through ITS) and no state with anyone. No heap: HMAC's two small
 * contexts come from static slots (boot/common/bl_pool.h), which are the partition's own.
 * GCM runs on the block-cipher layer (no MBEDTLS_CIPHER_C), which allocates nothing.
 */
#ifndef SM_MBEDTLS_ITS_CONFIG_H
#define SM_MBEDTLS_ITS_CONFIG_H

#define MBEDTLS_SHA256_C
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_GCM_C
#define MBEDTLS_MD_C
#define MBEDTLS_HKDF_C

#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#include <stddef.h>
void *bl_pool_calloc(size_t n, size_t size);
void bl_pool_free(void *p);
#define MBEDTLS_PLATFORM_CALLOC_MACRO bl_pool_calloc
#define MBEDTLS_PLATFORM_FREE_MACRO   bl_pool_free

#endif /* SM_MBEDTLS_ITS_CONFIG_H */
