/*
 * primitives.h (product profile): the options of the Mbed TLS primitives the SM image holds
 * once, in code every partition may execute (the shared code region; docs/design/footprint.md):
 * SHA-256, AES, GCM and CCM on the block-cipher layer, the constant-time
 * helpers and platform_util. Every user of that one copy (the core, ITS, the crypto service)
 * includes this file in its configuration and sets none of these options itself, so all of
 * them compile the primitives' contexts with one layout; shared_layout.c checks that they do.
 *
 * Size over speed (the product profile's goal): the smaller SHA-256 loop and AES
 * with one table per direction, in flash.
 */
#ifndef SM_MBEDTLS_PRODUCT_PRIMITIVES_H
#define SM_MBEDTLS_PRODUCT_PRIMITIVES_H

#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA256_SMALLER
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_CIPHER_MODE_CBC
#define MBEDTLS_CIPHER_MODE_CTR
#define MBEDTLS_GCM_C
#define MBEDTLS_CCM_C
/* GCM and CCM over the block-cipher layer, which holds its AES context inline and allocates
 * nothing. Mbed TLS picks it by itself where MBEDTLS_CIPHER_C is off (the core, ITS); the crypto
 * service has MBEDTLS_CIPHER_C for its unauthenticated modes, so it is set here for everyone:
 * the same GCM and CCM contexts for all users of the one copy. */
#define MBEDTLS_BLOCK_CIPHER_C
/* The constant-time helpers hide values from the compiler with an empty asm statement; without
 * it they would read a volatile global (mbedtls_ct_zero), data the shared copy may not have. */
#define MBEDTLS_HAVE_ASM
/* mbedtls_platform_zeroize is the shared copy's own (shared_zeroize.c: the C library's
 * explicit_bzero), so that it has no data either (Mbed TLS's keeps a volatile pointer to memset).
 * The rest of platform_util.c, which frees through each user's allocator, is each user's. */
#define MBEDTLS_PLATFORM_ZEROIZE_ALT

#endif /* SM_MBEDTLS_PRODUCT_PRIMITIVES_H */
