/*
 * boot_config.h: Mbed TLS configuration for the boot stages (iRoT, uRoT).
 *
 * Only what image verification and decryption need: SHA-256, AES-128 and AES-256 (CTR), HMAC and
 * HKDF over SHA-256. P-256 comes from p256-m, used directly. No PSA core, no randomness, no heap.
 */
#ifndef SM_MBEDTLS_BOOT_CONFIG_H
#define SM_MBEDTLS_BOOT_CONFIG_H

#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA256_SMALLER
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_CIPHER_MODE_CTR
#define MBEDTLS_MD_C
#define MBEDTLS_HKDF_C

/* No heap: HMAC's two small contexts come from fixed static slots (boot/common/bl_pool.h). */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#include <stddef.h>
void *bl_pool_calloc(size_t n, size_t size);
void bl_pool_free(void *p);
#define MBEDTLS_PLATFORM_CALLOC_MACRO bl_pool_calloc
#define MBEDTLS_PLATFORM_FREE_MACRO   bl_pool_free

#endif /* SM_MBEDTLS_BOOT_CONFIG_H */
