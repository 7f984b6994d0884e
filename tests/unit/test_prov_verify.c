/*
 * test_prov_verify.c: the provisioning stage's bl_p256_verify (boot/prov/prov_verify.c), which
 * writes r || s as DER for the iRoT's ECDSA verify, must accept exactly what the boot core's
 * own bl_p256_verify accepts. Here its "iRoT" is the host's boot core (bl_crypto_shared.c:
 * the same DER parser and verify the iRoT links). Checked on signatures whose r and s have the
 * top bit set (DER's leading zero) and leading zero bytes (shortened INTEGERs), on each of
 * them with a bit flipped, and on scalars out of range (0, n, all ones, 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "psa/crypto.h"

/* The stage's function under another name, beside the boot core's. */
#define bl_p256_verify prov_p256_verify
#include "../../boot/prov/prov_verify.c"
#undef bl_p256_verify
int bl_p256_verify(const uint8_t sig[64], const uint8_t pub[64], const uint8_t hash[32]);

static int accepts(int rc)
{
    return rc == P256_SUCCESS;
}

static void same(const uint8_t sig[64], const uint8_t pub[64], const uint8_t hash[32])
{
    assert_int_equal(accepts(prov_p256_verify(sig, pub, hash)),
                     accepts(bl_p256_verify(sig, pub, hash)));
}

/* Signs until r and s have each been seen with a leading zero byte and with the top bit set
 * (r and s below 2^248 come once in 256): every DER length the stage writes. */
static void test_signatures_of_every_length(void **state)
{
    (void)state;
    unsigned r_zero = 0, s_zero = 0, r_high = 0, s_high = 0, n = 0;
    while ((r_zero == 0 || s_zero == 0 || r_high == 0 || s_high == 0) && n < 20000) {
        uint8_t priv[32], pub[64], hash[32], sig[64];
        assert_int_equal(p256_gen_keypair(priv, pub), P256_SUCCESS);
        assert_int_equal(psa_generate_random(hash, sizeof(hash)), PSA_SUCCESS);
        assert_int_equal(p256_ecdsa_sign(sig, priv, hash, 32), P256_SUCCESS);
        n++;
        r_zero += sig[0] == 0;
        s_zero += sig[32] == 0;
        r_high += (sig[0] & 0x80) != 0;
        s_high += (sig[32] & 0x80) != 0;
        assert_int_equal(prov_p256_verify(sig, pub, hash), P256_SUCCESS);
        if (n % 16 == 0 || sig[0] == 0 || sig[32] == 0) {
            for (unsigned bit = 0; bit < 512; bit += 37) {
                sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                same(sig, pub, hash);
                assert_int_not_equal(prov_p256_verify(sig, pub, hash), P256_SUCCESS);
                sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            }
        }
    }
    assert_true(r_zero > 0 && s_zero > 0 && r_high > 0 && s_high > 0);
}

static void test_scalars_out_of_range(void **state)
{
    (void)state;
    static const uint8_t n_order[32] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
                                        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
                                        0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
    uint8_t priv[32], pub[64], hash[32] = {1}, sig[64], good[64];
    assert_int_equal(p256_gen_keypair(priv, pub), P256_SUCCESS);
    assert_int_equal(p256_ecdsa_sign(good, priv, hash, 32), P256_SUCCESS);
    for (int half = 0; half < 2; half++) {
        for (int v = 0; v < 4; v++) {
            memcpy(sig, good, sizeof(sig));
            uint8_t *x = sig + 32 * half;
            if (v == 0) {
                memset(x, 0, 32);
            } else if (v == 1) {
                memcpy(x, n_order, 32);
            } else if (v == 2) {
                memset(x, 0xff, 32);
            } else {
                memset(x, 0, 32);
                x[31] = 1;
            }
            same(sig, pub, hash);
            assert_int_not_equal(prov_p256_verify(sig, pub, hash), P256_SUCCESS);
        }
    }
}

int main(void)
{
    if (psa_crypto_init() != PSA_SUCCESS) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signatures_of_every_length),
        cmocka_unit_test(test_scalars_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
