/*
 * host_config.h: Mbed TLS configuration for host programs (smtool, host tests).
 * Mbed TLS's own default configuration: every algorithm, an OS entropy source, PEM and file I/O.
 */
#include "mbedtls/mbedtls_config.h"
