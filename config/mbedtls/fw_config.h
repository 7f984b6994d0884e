/*
 * fw_config.h: Mbed TLS configuration for secure firmware on the AN505.
 *
 * Crypto only (no TLS, X.509, file system, network or clock). The board has no TRNG: the PSA
 * core takes its randomness from mbedtls_psa_external_get_random(), which the platform
 * implements (MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG). Only what the secure images use is enabled, to
 * keep them small; later services add what they need here.
 */
#ifndef SM_MBEDTLS_FW_CONFIG_H
#define SM_MBEDTLS_FW_CONFIG_H

#define MBEDTLS_HAVE_ASM
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG

#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_CIPHER_C
#define MBEDTLS_CIPHER_MODE_CTR
#define MBEDTLS_GCM_C
#define MBEDTLS_CCM_C
#define MBEDTLS_CMAC_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA224_C
#define MBEDTLS_HKDF_C

#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C

#endif /* SM_MBEDTLS_FW_CONFIG_H */
