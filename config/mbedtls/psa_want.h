/*
 * psa_want.h: the PSA Crypto algorithms and key types of the crypto service
 * (MBEDTLS_PSA_CRYPTO_CONFIG_FILE). The service and every client build with this one file, so
 * they agree on what exists and on the sizes psa/crypto_sizes.h derives from it.
 *
 * Everything Mbed TLS 3.6 offers through PSA, but password-authenticated key exchange (the PAKE
 * API is experimental in Mbed TLS 3.6 and not part of the service). Password keys stay: PBKDF2
 * takes them.
 */
#ifndef SM_PSA_WANT_H
#define SM_PSA_WANT_H

#include "psa/crypto_config.h" /* Mbed TLS's own: every algorithm and key type */

#undef PSA_WANT_ALG_JPAKE
#undef PSA_WANT_ALG_TLS12_ECJPAKE_TO_PMS

#endif /* SM_PSA_WANT_H */
