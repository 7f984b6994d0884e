/*
 * boot_config.h: Mbed TLS configuration for the boot stages (iRoT, uRoT).
 *
 * Only what image verification and decryption need: SHA-256, AES-128 (CTR), HMAC and HKDF
 * over SHA-256. P-256 comes from p256-m, used directly. No PSA core, no randomness.
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

#endif /* SM_MBEDTLS_BOOT_CONFIG_H */
