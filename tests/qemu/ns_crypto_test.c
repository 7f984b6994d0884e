/*
 * ns_crypto_test.c: the crypto service on the board, from the non-secure application, against
 * the test SM image: the same suite the host test runs (tests/crypto/crypto_suite.c), then a
 * persistent key across power cycles, one step per boot:
 *
 *   boot 1  the whole suite; a persistent key is created and used
 *   boot 2  the key is there, as created, and still the NS client's alone
 *   boot 3  the same, then it is destroyed
 *   boot 4  it is gone; power off
 *
 * Each boot prints "crypto_test boot N: P passed, F failed"; a failed check prints "FAIL".
 */
#include "crypto_suite.h"
#include "psa/crypto.h"
#include "smak.h"

static void report(const char *what, int line)
{
    smak_printf("FAIL: crypto_suite.c line %d: %s\n", line, what);
}

int main(void)
{
    static const enum crypto_suite_boot steps[] = {CRYPTO_SUITE_CREATE, CRYPTO_SUITE_CHECK,
                                                   CRYPTO_SUITE_DESTROY, CRYPTO_SUITE_GONE};
    unsigned boot = smak_boot_count();
    struct crypto_suite_result r = {0, 0};
    if (psa_crypto_init() != PSA_SUCCESS) {
        smak_printf("FAIL: psa_crypto_init\n");
        return 1;
    }
    if (boot == 1u) {
        crypto_suite_run(&r, report);
        smak_printf("crypto_test: suite: %u passed, %u failed\n", r.passed, r.failed);
    }
    if (boot - 1u < sizeof(steps) / sizeof(steps[0])) {
        crypto_suite_persistent(steps[boot - 1u], &r, report);
    }
    smak_printf("crypto_test boot %u: %u passed, %u failed\n", boot, r.passed, r.failed);
    if (r.failed != 0u) {
        return 1;
    }
    if (boot < 4u) {
        smak_reset();
    }
    smak_printf("crypto_test: all boots done\n");
    return 0;
}
