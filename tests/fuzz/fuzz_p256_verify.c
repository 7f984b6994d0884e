/*
 * fuzz_p256_verify.c: the boot stages' fast ECDSA P-256 verify (boot/common/bl_p256.c, built
 * into this harness with sanitizers and coverage) against p256-m's own verify, which it must
 * equal on every input.
 *
 * Random bytes almost never make a valid signature, so two of the three modes build one:
 * Input: [0] mode (mod 3), then
 *   0: sig (64) || pub (64) || hash (32), as given (missing bytes are zero);
 *   1: d (32) || k (32) || hash (32): the signature of `hash` by the key d with nonce k;
 *   2: [1] scalar length L (1 + b % 32), [2] negation bits, then d, u1, u2 (L bytes each, big
 *      endian, negated mod n by bits 0, 1, 2): the signature and hash for which a verify
 *      computes u1*G + u2*Q with Q = d*G, so that short inputs give the small multiples where a
 *      joint double-and-add meets the point it adds, its opposite, or infinity;
 *   after modes 1 and 2: pairs of bytes, each flipping one bit of sig || pub || hash.
 * Oracles: bl_p256_verify returns exactly what p256_ecdsa_verify returns; an untouched signature
 * from modes 1 and 2 verifies (u1*G + u2*Q at infinity: it is refused); Mbed TLS's bignum makes
 * the signatures, p256-m's constant-time scalar multiplication the points.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bl_p256.h"
#include "fuzz_common.h"
#include "mbedtls/bignum.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The group order n, big endian. */
static const uint8_t order_be[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

static mbedtls_mpi order;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    mbedtls_mpi_init(&order);
    if (mbedtls_mpi_read_binary(&order, order_be, sizeof(order_be)) != 0) {
        fuzz_fail("mpi");
    }
    return 0;
}

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if ((x) != 0) {                                                                            \
            fuzz_fail("bignum: %s", #x);                                                           \
        }                                                                                          \
    } while (0)

/* x mod n, then 0 replaced by 1 (a private key or u2 must not be 0). */
static void reduce_nonzero(mbedtls_mpi *x)
{
    CHECK(mbedtls_mpi_mod_mpi(x, x, &order));
    if (mbedtls_mpi_cmp_int(x, 0) == 0) {
        CHECK(mbedtls_mpi_lset(x, 1));
    }
}

/* x(k * G) mod n for k in [1, n-1], through p256-m's public-key derivation. */
static void x_of_multiple(const mbedtls_mpi *k, mbedtls_mpi *x)
{
    uint8_t kb[32], pt[64];
    CHECK(mbedtls_mpi_write_binary(k, kb, 32));
    if (p256_public_from_private(pt, kb) != P256_SUCCESS) {
        fuzz_fail("p256_public_from_private refused a scalar in [1, n-1]");
    }
    CHECK(mbedtls_mpi_read_binary(x, pt, 32));
    CHECK(mbedtls_mpi_mod_mpi(x, x, &order));
}

static void public_key(const mbedtls_mpi *d, uint8_t pub[64])
{
    uint8_t db[32];
    CHECK(mbedtls_mpi_write_binary(d, db, 32));
    if (p256_public_from_private(pub, db) != P256_SUCCESS) {
        fuzz_fail("p256_public_from_private refused a scalar in [1, n-1]");
    }
}

/* A big-endian scalar of `len` input bytes at *p (zero where the input ends). */
static void take(mbedtls_mpi *x, const uint8_t **p, const uint8_t *end, size_t len)
{
    uint8_t b[32] = {0};
    size_t n = (size_t)(end - *p) < len ? (size_t)(end - *p) : len;
    memcpy(b + 32 - len, *p, n);
    *p += n;
    CHECK(mbedtls_mpi_read_binary(x, b, 32));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t in[160] = {0}; /* sig (64) || pub (64) || hash (32) */
    uint8_t *sig = in, *pub = in + 64, *hash = in + 128;
    if (size == 0) {
        return 0;
    }
    const uint8_t *p = data + 1, *end = data + size;
    int mode = data[0] % 3;
    int expect = -1; /* the result an untouched constructed signature must have */
    if (mode == 0) {
        memcpy(in, p, size - 1 < sizeof(in) ? size - 1 : sizeof(in));
        p = end;
    } else {
        mbedtls_mpi d, a, b, r, s, e, t;
        mbedtls_mpi *all[] = {&d, &a, &b, &r, &s, &e, &t};
        for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
            mbedtls_mpi_init(all[i]);
        }
        if (mode == 1) {
            /* s = k^-1 (e + r d), r = x(kG) mod n */
            take(&d, &p, end, 32);
            take(&a, &p, end, 32); /* k */
            size_t n = (size_t)(end - p) < 32 ? (size_t)(end - p) : 32;
            memcpy(hash, p, n);
            p += n;
            reduce_nonzero(&d);
            reduce_nonzero(&a);
            public_key(&d, pub);
            x_of_multiple(&a, &r);
            CHECK(mbedtls_mpi_read_binary(&e, hash, 32));
            CHECK(mbedtls_mpi_mod_mpi(&e, &e, &order));
            CHECK(mbedtls_mpi_mul_mpi(&t, &r, &d));
            CHECK(mbedtls_mpi_add_mpi(&t, &t, &e));
            CHECK(mbedtls_mpi_inv_mod(&s, &a, &order));
            CHECK(mbedtls_mpi_mul_mpi(&s, &s, &t));
            CHECK(mbedtls_mpi_mod_mpi(&s, &s, &order));
            expect = mbedtls_mpi_cmp_int(&r, 0) != 0 && mbedtls_mpi_cmp_int(&s, 0) != 0
                         ? P256_SUCCESS
                         : -1;
        } else {
            /* u1 = a, u2 = b: r = x((a + b d) G) mod n, s = r / b, e = a s */
            size_t len = p < end ? 1u + *p++ % 32u : 32u;
            uint8_t neg = p < end ? *p++ : 0;
            take(&d, &p, end, len);
            take(&a, &p, end, len);
            take(&b, &p, end, len);
            mbedtls_mpi *v[3] = {&d, &a, &b};
            for (int i = 0; i < 3; i++) {
                CHECK(mbedtls_mpi_mod_mpi(v[i], v[i], &order));
                if ((neg >> i) & 1u && mbedtls_mpi_cmp_int(v[i], 0) != 0) {
                    CHECK(mbedtls_mpi_sub_mpi(v[i], &order, v[i]));
                }
            }
            reduce_nonzero(&d);
            reduce_nonzero(&b);
            public_key(&d, pub);
            CHECK(mbedtls_mpi_mul_mpi(&t, &b, &d));
            CHECK(mbedtls_mpi_add_mpi(&t, &t, &a));
            CHECK(mbedtls_mpi_mod_mpi(&t, &t, &order));
            if (mbedtls_mpi_cmp_int(&t, 0) == 0) {
                CHECK(mbedtls_mpi_lset(&r, 1)); /* at infinity: no r can match */
                expect = P256_INVALID_SIGNATURE;
            } else {
                x_of_multiple(&t, &r);
                expect = mbedtls_mpi_cmp_int(&r, 0) != 0 ? P256_SUCCESS : -1;
            }
            if (expect != -1) {
                CHECK(mbedtls_mpi_inv_mod(&s, &b, &order));
                CHECK(mbedtls_mpi_mul_mpi(&s, &s, &r));
                CHECK(mbedtls_mpi_mod_mpi(&s, &s, &order));
                CHECK(mbedtls_mpi_mul_mpi(&e, &a, &s));
                CHECK(mbedtls_mpi_mod_mpi(&e, &e, &order));
                CHECK(mbedtls_mpi_write_binary(&e, hash, 32));
            }
        }
        CHECK(mbedtls_mpi_write_binary(&r, sig, 32));
        CHECK(mbedtls_mpi_write_binary(&s, sig + 32, 32));
        for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
            mbedtls_mpi_free(all[i]);
        }
    }
    int touched = 0;
    for (; end - p >= 2; p += 2) {
        unsigned bit = ((unsigned)p[0] << 8 | p[1]) % (sizeof(in) * 8u);
        in[bit / 8u] ^= (uint8_t)(1u << (bit % 8u));
        touched = 1;
    }
    int fast = bl_p256_verify(sig, pub, hash);
    int ref = p256_ecdsa_verify(sig, pub, hash, 32);
    if (fast != ref) {
        fuzz_fail("fast verify %d, p256-m's verify %d", fast, ref);
    }
    if (!touched && expect != -1 && ref != expect) {
        fuzz_fail("constructed signature (mode %d): %d, expected %d", mode, ref, expect);
    }
    return 0;
}
