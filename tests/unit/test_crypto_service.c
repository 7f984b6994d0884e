/*
 * test_crypto_service.c: the PSA Crypto service end to end on the host: psa/crypto.h (Mbed TLS's,
 * client view) called by the program (the NS client), through the SM core to the crypto
 * partition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "host_flash.h"
#include "plat_flash.h"
#include "psa/crypto.h"
#include "sm_host.h"

static void test_sha256_kat(void **state)
{
    (void)state;
    static const uint8_t abc_sha256[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
                                           0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                           0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
                                           0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    uint8_t h[32];
    size_t len = 0;
    assert_int_equal(psa_crypto_init(), PSA_SUCCESS);
    assert_int_equal(
        psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)"abc", 3, h, sizeof(h), &len),
        PSA_SUCCESS);
    assert_int_equal(len, 32);
    assert_memory_equal(h, abc_sha256, 32);
}

int main(void)
{
    if (host_flash_open_ram() != PLAT_FLASH_OK) {
        return 1;
    }
    sm_host_start();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_kat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
