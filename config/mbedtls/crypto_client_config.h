/*
 * crypto_client_config.h: Mbed TLS configuration of a crypto service client (the NS application
 * through the SMAK, a secure partition, a host program using the host library).
 *
 * Headers only: psa/crypto.h with the client view of its structures (an operation is a handle
 * to the service's), the algorithms of psa_want.h. No Mbed TLS code is linked: every function
 * is the client library's (services/crypto/crypto_client.c). The SMAK installs this file as
 * mbedtls/mbedtls_config.h, so applications include psa/crypto.h unchanged.
 */
#ifndef SM_MBEDTLS_CRYPTO_CLIENT_CONFIG_H
#define SM_MBEDTLS_CRYPTO_CLIENT_CONFIG_H

#define MBEDTLS_PSA_CRYPTO_CLIENT
#define MBEDTLS_PSA_CRYPTO_CONFIG
#ifndef MBEDTLS_PSA_CRYPTO_CONFIG_FILE
#define MBEDTLS_PSA_CRYPTO_CONFIG_FILE "psa_want.h"
#endif

#endif /* SM_MBEDTLS_CRYPTO_CLIENT_CONFIG_H */
