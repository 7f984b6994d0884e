/*
 * psa_want.h (product profile): the PSA Crypto algorithms and key types of the crypto service
 * in the product profile (MBEDTLS_PSA_CRYPTO_CONFIG_FILE; docs/design/footprint.md). The
 * service and every client of a product build compile with this one file, so they agree on
 * what exists and on the sizes psa/crypto_sizes.h derives from it.
 *
 * A typical IoT device's set: SHA-256 (and SHA-224), HMAC, HKDF, AES (CTR, CBC, ECB, CCM, GCM),
 * ECDSA and ECDH over P-256, random generation. Everything else (RSA, DH, other curves, DES,
 * Camellia, ARIA, ChaCha20, CMAC, SHA-1, SHA-384/512, SHA-3, PBKDF2, the TLS 1.2 PRFs) answers
 * PSA_ERROR_NOT_SUPPORTED, as Mbed TLS does for what it is not configured with. The full profile
 * (../psa_want.h) keeps every algorithm.
 *
 * P-256 is served by p256-m (MBEDTLS_PSA_P256M_DRIVER_ENABLED), which does not do deterministic
 * ECDSA or the derivation of key pairs: asking for those would bring Mbed TLS's whole ECP and
 * bignum code back, so they are left out. SHA-384 (P-256's usual partner is SHA-256) costs
 * 2,416 bytes of flash with MBEDTLS_SHA512_SMALLER (4,192 without) and no RAM (measured: the
 * operation slots are as wide for GCM already): not within the image's budget yet
 * (docs/design/footprint.md).
 */
#ifndef SM_PSA_WANT_H
#define SM_PSA_WANT_H

#define PSA_WANT_ALG_SHA_224      1 /* comes with SHA-256's code */
#define PSA_WANT_ALG_SHA_256      1
#define PSA_WANT_ALG_HMAC         1
#define PSA_WANT_ALG_HKDF         1
#define PSA_WANT_ALG_HKDF_EXTRACT 1
#define PSA_WANT_ALG_HKDF_EXPAND  1

#define PSA_WANT_ALG_CTR            1
#define PSA_WANT_ALG_CBC_NO_PADDING 1
#define PSA_WANT_ALG_CBC_PKCS7      1
#define PSA_WANT_ALG_ECB_NO_PADDING 1
#define PSA_WANT_ALG_CCM            1
#define PSA_WANT_ALG_GCM            1

#define PSA_WANT_ALG_ECDSA       1
#define PSA_WANT_ALG_ECDH        1
#define PSA_WANT_ECC_SECP_R1_256 1

#define PSA_WANT_KEY_TYPE_DERIVE                1
#define PSA_WANT_KEY_TYPE_HMAC                  1
#define PSA_WANT_KEY_TYPE_AES                   1
#define PSA_WANT_KEY_TYPE_RAW_DATA              1
#define PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY        1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_BASIC    1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_IMPORT   1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_EXPORT   1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_GENERATE 1

#endif /* SM_PSA_WANT_H */
