/*
 * crypto_service_config.h (product profile): Mbed TLS configuration of the crypto partition with
 * the algorithms of product/psa_want.h (docs/design/footprint.md). As the full profile's
 * (../crypto_service_config.h): key ids that carry their owner, persistent keys in ITS, a
 * CTR_DRBG seeded by the core's entropy service; but
 * - P-256 by p256-m as Mbed TLS's PSA driver, so no ECP and no bignum code or memory;
 * - the primitives (primitives.h) are the SM image's one shared copy, not the partition's;
 * - a small arena for what Mbed TLS still allocates (key material, cipher contexts, an HKDF
 *   info, a persistent key's storage buffer), sized in crypto_partition.c.
 */
#ifndef SM_MBEDTLS_CRYPTO_SERVICE_CONFIG_H
#define SM_MBEDTLS_CRYPTO_SERVICE_CONFIG_H

#include "primitives.h"

#define MBEDTLS_PSA_CRYPTO_CONFIG
#define MBEDTLS_PSA_CRYPTO_CONFIG_FILE "psa_want.h"
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_CRYPTO_KEY_ID_ENCODES_OWNER
#define MBEDTLS_PSA_CRYPTO_STORAGE_C /* psa_its_* from services/its/its_client.c */
#define MBEDTLS_PSA_ASSUME_EXCLUSIVE_BUFFERS
/* Each client's share of volatile keys (the NS world 8, the 2 test partitions of the product's
 * host tests 4 each, the product images' 2 module slots, SM_PRODUCT_MODULE_SLOTS, 1 each) and 2
 * (crypto_partition.c checks the sum at compile time). On the board the profile has no test
 * partition and services/crypto/CMakeLists.txt sets the count (SM_CRYPTO_KEY_SLOTS). The full
 * profile's 22 count 4 module slots. */
#ifdef SM_CRYPTO_KEY_SLOTS
#define MBEDTLS_PSA_KEY_SLOT_COUNT SM_CRYPTO_KEY_SLOTS
#else
#define MBEDTLS_PSA_KEY_SLOT_COUNT 20
#endif
#define MBEDTLS_PSA_P256M_DRIVER_ENABLED

#define MBEDTLS_CIPHER_C /* the PSA core's unauthenticated cipher modes */
#define MBEDTLS_CIPHER_PADDING_PKCS7

/* Randomness: as in the full profile; the entropy accumulator on SHA-256. */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_ENTROPY_FORCE_SHA256
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT
/* Its one source is the core's entropy service (mbedtls_hardware_poll, crypto_entropy.c), the only
 * one configured (no platform source, no NV seed): room for one source, not 20 (about 380 bytes
 * of the partition's RAM). A second would be refused (MBEDTLS_ERR_ENTROPY_MAX_SOURCES), never
 * written past the table. */
#define MBEDTLS_ENTROPY_MAX_SOURCES 1

/* Memory: as in the full profile, a static arena of the partition's own. */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
#include <stddef.h>
void *crypto_calloc_unset(size_t n, size_t size);
void crypto_free_unset(void *p);
void crypto_exit(int status);
#define MBEDTLS_PLATFORM_STD_CALLOC crypto_calloc_unset
#define MBEDTLS_PLATFORM_STD_FREE   crypto_free_unset
#define MBEDTLS_PLATFORM_EXIT_MACRO crypto_exit

#endif /* SM_MBEDTLS_CRYPTO_SERVICE_CONFIG_H */
