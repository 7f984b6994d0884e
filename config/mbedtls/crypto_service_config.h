/*
 * crypto_service_config.h: Mbed TLS configuration of the crypto partition: the PSA Crypto core
 * with every algorithm of psa_want.h (Mbed TLS enables the legacy modules its built-in drivers
 * need), key ids that carry their owner (the client), persistent keys in ITS through the PSA
 * ITS client API, a CTR_DRBG seeded by the core's entropy service, and memory from a static
 * arena of the partition's own (bignum arithmetic needs an allocator; there is no heap).
 */
#ifndef SM_MBEDTLS_CRYPTO_SERVICE_CONFIG_H
#define SM_MBEDTLS_CRYPTO_SERVICE_CONFIG_H

#define MBEDTLS_PSA_CRYPTO_CONFIG
#define MBEDTLS_PSA_CRYPTO_CONFIG_FILE "psa_want.h"
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_CRYPTO_KEY_ID_ENCODES_OWNER
#define MBEDTLS_PSA_CRYPTO_STORAGE_C /* psa_its_* from services/its/its_client.c */
/* The service copies every client buffer into its own memory (psa_read) before use. */
#define MBEDTLS_PSA_ASSUME_EXCLUSIVE_BUFFERS
/* The key slot table holds each client's share of volatile keys and the slots one request may
 * need besides: 8 for the NS world, 4 for each of the build's 2 client partitions (TEST_CLIENT,
 * TEST_FAULT; psa_manifest/crypto.h), 1 for each of the 4 module slots, plus 2.
 * crypto_partition.c checks the sum when it compiles: a build with more clients must raise it. */
#define MBEDTLS_PSA_KEY_SLOT_COUNT 22

/* Randomness: CTR_DRBG over the entropy module, whose only source is mbedtls_hardware_poll()
 * (crypto_entropy.c: the core's entropy service). */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT

/* Memory: a static arena (crypto_partition.c). Until it is set up nothing may be allocated
 * (never the C library's heap), and a corrupted arena stops the partition (psa_panic). */
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

#define MBEDTLS_HAVE_ASM
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_ECP_NIST_OPTIM
/* psa_sign_hash_start/complete and psa_verify_hash_start/complete: ECDSA in slices of at most
 * psa_interruptible_set_max_ops() operations (an NS application with deadlines signs in
 * slices); without it Mbed TLS answers NOT_SUPPORTED. */
#define MBEDTLS_ECP_RESTARTABLE
#define MBEDTLS_GENPRIME /* RSA key generation */
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_CIPHER_MODE_CBC
#define MBEDTLS_CIPHER_MODE_CFB
#define MBEDTLS_CIPHER_MODE_CTR
#define MBEDTLS_CIPHER_MODE_OFB
#define MBEDTLS_CIPHER_MODE_XTS
#define MBEDTLS_CIPHER_PADDING_PKCS7
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C

#endif /* SM_MBEDTLS_CRYPTO_SERVICE_CONFIG_H */
