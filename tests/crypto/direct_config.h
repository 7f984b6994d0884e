/*
 * direct_config.h: Mbed TLS as the crypto service runs it (crypto_service_config.h, every
 * algorithm of psa_want.h), for a host program that calls it directly, with no SM between:
 * the reference the service is compared with (tests/crypto/crypto_direct.c, crypto_diff.c).
 * Only what a program of its own needs differs: plain key ids (no owner), the C library's heap
 * (no arena), persistent keys in files (Mbed TLS's own ITS), entropy from the test program.
 */
#ifndef SM_TEST_DIRECT_CONFIG_H
#define SM_TEST_DIRECT_CONFIG_H

#include "crypto_service_config.h"

#undef MBEDTLS_PSA_CRYPTO_KEY_ID_ENCODES_OWNER
/* The service's own buffers never overlap; a caller's may (in-place calls): Mbed TLS copies. */
#undef MBEDTLS_PSA_ASSUME_EXCLUSIVE_BUFFERS
#undef MBEDTLS_PLATFORM_MEMORY
#undef MBEDTLS_MEMORY_BUFFER_ALLOC_C
#undef MBEDTLS_PLATFORM_STD_CALLOC
#undef MBEDTLS_PLATFORM_STD_FREE
#undef MBEDTLS_PLATFORM_EXIT_MACRO
#define MBEDTLS_FS_IO
#define MBEDTLS_PSA_ITS_FILE_C

#endif /* SM_TEST_DIRECT_CONFIG_H */
