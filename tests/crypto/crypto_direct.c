/*
 * crypto_direct.c: the crypto suite (crypto_suite.c) against Mbed TLS called directly, with no
 * SM between (direct_config.h): the reference behaviour. Every check that is about the PSA
 * Crypto API must pass here as it passes through the service (unit.test_crypto_service), so
 * the suite cannot encode a behaviour of the service that Mbed TLS does not have. The checks
 * of what only the service has (its tables, its isolation of clients, its buffers, the client
 * library's own argument checks) are compiled out (CRYPTO_SUITE_DIRECT).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

#include "crypto_suite.h"
#include "psa/crypto.h"

/* Mbed TLS's entropy source (MBEDTLS_ENTROPY_HARDWARE_ALT, as in the service). */
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen);
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen)
{
    (void)data;
    ssize_t n = getrandom(output, len, 0);
    *olen = n > 0 ? (size_t)n : 0u;
    return n == (ssize_t)len ? 0 : -1;
}

static void report(const char *what, int line)
{
    fprintf(stderr, "crypto_suite.c:%d: check failed (%s) against Mbed TLS directly\n", line, what);
}

int main(int argc, char **argv)
{
    /* Persistent keys are files in the working directory (Mbed TLS's own ITS). */
    if (argc > 1 && chdir(argv[1]) != 0) {
        perror(argv[1]);
        return 2;
    }
    struct crypto_suite_result r = {0, 0};
    crypto_suite_run(&r, report);
    printf("crypto suite against Mbed TLS directly: %u passed, %u failed\n", r.passed, r.failed);
    return r.passed > 0 && r.failed == 0 ? 0 : 1;
}
