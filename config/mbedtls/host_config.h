/*
 * host_config.h: Mbed TLS configuration for host programs (smtool, host tests, the host SM).
 * Mbed TLS's own default configuration: every algorithm, an OS entropy source, PEM and file I/O;
 * but not its file-based PSA ITS, whose psa_its_* would clash with the SM's ITS client API
 * (the host SM serves ITS itself), nor the persistent-key storage built on it.
 */
#include "mbedtls/mbedtls_config.h"

#undef MBEDTLS_PSA_ITS_FILE_C
#undef MBEDTLS_PSA_CRYPTO_STORAGE_C
