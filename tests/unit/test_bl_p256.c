/*
 * test_bl_p256.c: the boot stages' fast ECDSA P-256 verify (boot/common/bl_p256.c) must return
 * exactly what p256-m's own verify returns, on every input. Checked on random valid signatures
 * (made by p256-m and by Mbed TLS) and tampered ones, on scalars and keys at and beyond their
 * ranges, and on signatures crafted with Mbed TLS's ECP for the cases a joint double-and-add
 * must get right: an intermediate sum equal to, or opposite of, the point added; u1*G + u2*Q at
 * infinity; u1 = 0; x(R) >= n (r = x(R) - n). Also checks the fixed table of multiples of G
 * against Mbed TLS's ECP.
 *
 *   test_bl_p256 [--seed N] [--count N]   the tests (random cases from the seed, default 1)
 *   test_bl_p256 --print-table            prints boot/common/bl_p256_gtable.h
 */
/* The test reaches into Mbed TLS's group and point structures (N, P, B, G, X, Y, Z). */
#define MBEDTLS_ALLOW_PRIVATE_ACCESS

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bl_p256.h"
#include "bl_p256_gtable.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/ecp.h"
#include "psa/crypto.h"

static uint64_t rng_state = 1;
static unsigned random_count = 100;

/* splitmix64: reproducible test data. (p256-m's own key generation and signing take their
 * randomness from the PSA RNG, so those keys and signatures differ from run to run: a mismatch
 * prints its inputs.) */
static uint64_t next64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)next64();
    }
}

static int mbed_rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    fill(out, len);
    return 0;
}

static mbedtls_ecp_group grp;

/* Both verifies on the same inputs: they must agree. Returns the common result. */
static int both(const uint8_t sig[64], const uint8_t pub[64], const uint8_t hash[32])
{
    int fast = bl_p256_verify(sig, pub, hash);
    int ref = p256_ecdsa_verify(sig, pub, hash, 32);
    if (fast != ref) {
        print_error("fast verify %d, p256-m %d on\n", fast, ref);
        const uint8_t *parts[3] = {sig, pub, hash};
        const size_t lens[3] = {64, 64, 32};
        for (int i = 0; i < 3; i++) {
            for (size_t j = 0; j < lens[i]; j++) {
                print_error("%02x", parts[i][j]);
            }
            print_error("\n");
        }
    }
    assert_int_equal(fast, ref);
    return fast;
}

static void mpi_read32(mbedtls_mpi *x, const uint8_t b[32])
{
    assert_int_equal(mbedtls_mpi_read_binary(x, b, 32), 0);
}

static void mpi_write32(const mbedtls_mpi *x, uint8_t b[32])
{
    assert_int_equal(mbedtls_mpi_write_binary(x, b, 32), 0);
}

static void point_write(const mbedtls_ecp_point *p, uint8_t pub[64])
{
    uint8_t buf[65];
    size_t len;
    assert_int_equal(mbedtls_ecp_point_write_binary(&grp, p, MBEDTLS_ECP_PF_UNCOMPRESSED, &len, buf,
                                                    sizeof(buf)),
                     0);
    assert_int_equal(len, 65);
    memcpy(pub, buf + 1, 64);
}

/*
 * The signature (r, s) and hash e that make u1 = e/s and u2 = r/s for the sum R = u1*G + u2*Q
 * (not at infinity): r = x(R) mod n, s = r/u2, e = u1*s. Returns 0 if r would be 0.
 */
static int craft(const mbedtls_mpi *u1, const mbedtls_mpi *u2, const mbedtls_ecp_point *r_pt,
                 uint8_t sig[64], uint8_t hash[32])
{
    mbedtls_mpi r, s, e, w;
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    mbedtls_mpi_init(&e);
    mbedtls_mpi_init(&w);
    assert_int_equal(mbedtls_mpi_mod_mpi(&r, &r_pt->X, &grp.N), 0);
    int ok = mbedtls_mpi_cmp_int(&r, 0) != 0;
    if (ok) {
        assert_int_equal(mbedtls_mpi_inv_mod(&w, u2, &grp.N), 0);
        assert_int_equal(mbedtls_mpi_mul_mpi(&s, &r, &w), 0);
        assert_int_equal(mbedtls_mpi_mod_mpi(&s, &s, &grp.N), 0);
        assert_int_equal(mbedtls_mpi_mul_mpi(&e, u1, &s), 0);
        assert_int_equal(mbedtls_mpi_mod_mpi(&e, &e, &grp.N), 0);
        mpi_write32(&r, sig);
        mpi_write32(&s, sig + 32);
        mpi_write32(&e, hash);
    }
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&e);
    mbedtls_mpi_free(&w);
    return ok;
}

/* Mbed TLS's own verify of a crafted signature: the crafting itself is right. */
static void mbed_accepts(const uint8_t sig[64], const uint8_t pub[64], const uint8_t hash[32])
{
    mbedtls_ecp_point q;
    mbedtls_mpi r, s;
    uint8_t buf[65] = {0x04};
    memcpy(buf + 1, pub, 64);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    assert_int_equal(mbedtls_ecp_point_read_binary(&grp, &q, buf, sizeof(buf)), 0);
    mpi_read32(&r, sig);
    mpi_read32(&s, sig + 32);
    assert_int_equal(mbedtls_ecdsa_verify(&grp, hash, 32, &q, &r, &s), 0);
    mbedtls_ecp_point_free(&q);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
}

/* (2j + 1) * G in p256-m's representation: affine, Montgomery domain (x * 2^256 mod p), 32-bit
 * limbs, least significant first. */
static void gtable_entry(unsigned j, uint32_t out[2][8])
{
    mbedtls_ecp_point pt;
    mbedtls_mpi k, c;
    mbedtls_ecp_point_init(&pt);
    mbedtls_mpi_init(&k);
    mbedtls_mpi_init(&c);
    assert_int_equal(mbedtls_mpi_lset(&k, (mbedtls_mpi_sint)(2u * j + 1u)), 0);
    assert_int_equal(mbedtls_ecp_mul(&grp, &pt, &k, &grp.G, mbed_rng, NULL), 0);
    const mbedtls_mpi *coord[2] = {&pt.X, &pt.Y};
    for (int i = 0; i < 2; i++) {
        uint8_t b[32];
        assert_int_equal(mbedtls_mpi_copy(&c, coord[i]), 0);
        assert_int_equal(mbedtls_mpi_shift_l(&c, 256), 0);
        assert_int_equal(mbedtls_mpi_mod_mpi(&c, &c, &grp.P), 0);
        mpi_write32(&c, b);
        for (int l = 0; l < 8; l++) {
            const uint8_t *q = b + 28 - 4 * l;
            out[i][l] = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
        }
    }
    mbedtls_ecp_point_free(&pt);
    mbedtls_mpi_free(&k);
    mbedtls_mpi_free(&c);
}

static void test_gtable_is_odd_multiples_of_g(void **state)
{
    (void)state;
    for (unsigned j = 0; j < BL_P256_G_POINTS; j++) {
        uint32_t want[2][8];
        gtable_entry(j, want);
        assert_memory_equal(bl_p256_gtable[j], want, sizeof(want));
    }
}

/* Random keys and hashes, signed by p256-m and by Mbed TLS; then one bit flipped anywhere in
 * the signature, the key or the hash. */
static void test_random_and_tampered(void **state)
{
    (void)state;
    unsigned accepted_tampered = 0;
    for (unsigned i = 0; i < random_count; i++) {
        uint8_t priv[32], pub[64], hash[32], sig[64];
        assert_int_equal(p256_gen_keypair(priv, pub), P256_SUCCESS);
        fill(hash, sizeof(hash));
        assert_int_equal(p256_ecdsa_sign(sig, priv, hash, 32), P256_SUCCESS);
        assert_int_equal(both(sig, pub, hash), P256_SUCCESS);

        /* The same key signing with Mbed TLS's ECDSA. */
        mbedtls_mpi d, r, s;
        mbedtls_mpi_init(&d);
        mbedtls_mpi_init(&r);
        mbedtls_mpi_init(&s);
        mpi_read32(&d, priv);
        assert_int_equal(mbedtls_ecdsa_sign(&grp, &r, &s, &d, hash, 32, mbed_rng, NULL), 0);
        uint8_t sig2[64];
        mpi_write32(&r, sig2);
        mpi_write32(&s, sig2 + 32);
        assert_int_equal(both(sig2, pub, hash), P256_SUCCESS);
        /* (r, n - s) is the other valid signature of the same hash. */
        assert_int_equal(mbedtls_mpi_sub_mpi(&s, &grp.N, &s), 0);
        mpi_write32(&s, sig2 + 32);
        assert_int_equal(both(sig2, pub, hash), P256_SUCCESS);
        mbedtls_mpi_free(&d);
        mbedtls_mpi_free(&r);
        mbedtls_mpi_free(&s);

        for (int t = 0; t < 6; t++) {
            uint8_t tsig[64], tpub[64], thash[32];
            memcpy(tsig, sig, 64);
            memcpy(tpub, pub, 64);
            memcpy(thash, hash, 32);
            unsigned bit = (unsigned)(next64() % (160u * 8u));
            uint8_t *where = bit < 512u ? tsig : bit < 1024u ? tpub : thash;
            bit %= 512u;
            where[bit / 8u] ^= (uint8_t)(1u << (bit % 8u));
            if (both(tsig, tpub, thash) == P256_SUCCESS) {
                accepted_tampered++;
            }
        }
        /* Unrelated random signature and hash for this key. */
        fill(sig, sizeof(sig));
        fill(hash, sizeof(hash));
        assert_int_not_equal(both(sig, pub, hash), P256_SUCCESS);
    }
    assert_int_equal(accepted_tampered, 0);
}

static void test_scalar_ranges(void **state)
{
    (void)state;
    uint8_t priv[32], pub[64], hash[32], sig[64];
    assert_int_equal(p256_gen_keypair(priv, pub), P256_SUCCESS);
    fill(hash, sizeof(hash));
    assert_int_equal(p256_ecdsa_sign(sig, priv, hash, 32), P256_SUCCESS);

    /* 0, 1, n - 1, n, n + 1, p, 2^256 - 1 */
    uint8_t vals[7][32];
    mbedtls_mpi v;
    mbedtls_mpi_init(&v);
    memset(vals[0], 0, 32);
    memset(vals[1], 0, 32);
    vals[1][31] = 1;
    assert_int_equal(mbedtls_mpi_sub_int(&v, &grp.N, 1), 0);
    mpi_write32(&v, vals[2]);
    mpi_write32(&grp.N, vals[3]);
    assert_int_equal(mbedtls_mpi_add_int(&v, &grp.N, 1), 0);
    mpi_write32(&v, vals[4]);
    mpi_write32(&grp.P, vals[5]);
    memset(vals[6], 0xff, 32);
    mbedtls_mpi_free(&v);

    for (int which = 0; which < 2; which++) {
        for (int k = 0; k < 7; k++) {
            uint8_t t[64];
            memcpy(t, sig, 64);
            memcpy(t + 32 * which, vals[k], 32);
            int rc = both(t, pub, hash);
            if (k == 0 || k >= 3) {
                assert_int_equal(rc, P256_INVALID_SIGNATURE);
            }
            /* An out-of-range scalar is reported before a bad key, as p256-m does. */
            uint8_t bad_pub[64];
            memset(bad_pub, 0, sizeof(bad_pub));
            rc = both(t, bad_pub, hash);
            assert_int_equal(rc, k == 0 || k >= 3 ? P256_INVALID_SIGNATURE : P256_INVALID_PUBKEY);
        }
    }
    /* Hashes at the edges: 0, n - 1, n (reduced to 0), 2^256 - 1, each validly signed. */
    const int hash_vals[4] = {0, 2, 3, 6};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(p256_ecdsa_sign(sig, priv, vals[hash_vals[k]], 32), P256_SUCCESS);
        assert_int_equal(both(sig, pub, vals[hash_vals[k]]), P256_SUCCESS);
    }
}

static void test_bad_public_keys(void **state)
{
    (void)state;
    uint8_t priv[32], pub[64], hash[32], sig[64], t[64];
    assert_int_equal(p256_gen_keypair(priv, pub), P256_SUCCESS);
    fill(hash, sizeof(hash));
    assert_int_equal(p256_ecdsa_sign(sig, priv, hash, 32), P256_SUCCESS);

    memset(t, 0, sizeof(t)); /* (0, 0): p256-m's affine encoding of infinity */
    assert_int_equal(both(sig, t, hash), P256_INVALID_PUBKEY);
    memset(t, 0xff, sizeof(t));
    assert_int_equal(both(sig, t, hash), P256_INVALID_PUBKEY);
    memcpy(t, pub, 64); /* off the curve */
    t[63] ^= 1;
    assert_int_equal(both(sig, t, hash), P256_INVALID_PUBKEY);
    /* A coordinate not below p, and x + p, y + p (same point mod p if it fit in 256 bits) */
    mbedtls_mpi c;
    mbedtls_mpi_init(&c);
    for (int coord = 0; coord < 2; coord++) {
        memcpy(t, pub, 64);
        mpi_write32(&grp.P, t + 32 * coord);
        assert_int_equal(both(sig, t, hash), P256_INVALID_PUBKEY);
        memcpy(t, pub, 64);
        mpi_read32(&c, pub + 32 * coord);
        assert_int_equal(mbedtls_mpi_add_mpi(&c, &c, &grp.P), 0);
        if (mbedtls_mpi_bitlen(&c) <= 256) {
            mpi_write32(&c, t + 32 * coord);
            assert_int_equal(both(sig, t, hash), P256_INVALID_PUBKEY);
        }
    }
    /* -Q: a valid key, not the signer's. */
    memcpy(t, pub, 64);
    mpi_read32(&c, pub + 32);
    assert_int_equal(mbedtls_mpi_sub_mpi(&c, &grp.P, &c), 0);
    mpi_write32(&c, t + 32);
    assert_int_equal(both(sig, t, hash), P256_INVALID_SIGNATURE);
    /* Random bytes as a key, and random points. */
    for (unsigned i = 0; i < random_count; i++) {
        fill(t, sizeof(t));
        assert_int_not_equal(both(sig, t, hash), P256_SUCCESS);
    }
    mbedtls_mpi_free(&c);
}

/* Q = d * G for small d (and -d): the sums met by the joint double-and-add are small multiples
 * of G, so they meet the point being added (R = P2, R = -P2) and infinity. Every signature is
 * valid unless u1 + u2 * d = 0 (mod n). */
static void test_crafted_small_multiples(void **state)
{
    (void)state;
    const int ds[] = {1, 2, 3, 5, -1, -2, -3, -5};
    mbedtls_mpi d, u1, u2, k;
    mbedtls_ecp_point q, r;
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&u1);
    mbedtls_mpi_init(&u2);
    mbedtls_mpi_init(&k);
    mbedtls_ecp_point_init(&q);
    mbedtls_ecp_point_init(&r);
    unsigned valid = 0, infinite = 0;
    for (size_t di = 0; di < sizeof(ds) / sizeof(ds[0]); di++) {
        assert_int_equal(mbedtls_mpi_lset(&d, ds[di]), 0);
        assert_int_equal(mbedtls_mpi_mod_mpi(&d, &d, &grp.N), 0);
        assert_int_equal(mbedtls_ecp_mul(&grp, &q, &d, &grp.G, mbed_rng, NULL), 0);
        uint8_t pub[64];
        point_write(&q, pub);
        for (int a = -6; a <= 6; a++) {
            for (int b = 1; b <= 6; b++) {
                for (int big = 0; big < 2; big++) {
                    /* u1 = a, u2 = b; or both near n (u1 = n + a, u2 = n - b) */
                    assert_int_equal(mbedtls_mpi_lset(&u1, a), 0);
                    assert_int_equal(mbedtls_mpi_lset(&u2, big ? -b : b), 0);
                    assert_int_equal(mbedtls_mpi_mod_mpi(&u1, &u1, &grp.N), 0);
                    assert_int_equal(mbedtls_mpi_mod_mpi(&u2, &u2, &grp.N), 0);
                    if (!big && a < 0) {
                        continue;
                    }
                    assert_int_equal(mbedtls_ecp_muladd(&grp, &r, &u1, &grp.G, &u2, &q), 0);
                    uint8_t sig[64], hash[32];
                    if (mbedtls_ecp_is_zero(&r)) {
                        /* Infinity: any r; s and e that give these u1 and u2. */
                        mbedtls_ecp_point g1;
                        mbedtls_ecp_point_init(&g1);
                        assert_int_equal(mbedtls_ecp_copy(&g1, &grp.G), 0);
                        assert_int_equal(craft(&u1, &u2, &g1, sig, hash), 1);
                        mbedtls_ecp_point_free(&g1);
                        assert_int_equal(both(sig, pub, hash), P256_INVALID_SIGNATURE);
                        infinite++;
                    } else if (craft(&u1, &u2, &r, sig, hash)) {
                        mbed_accepts(sig, pub, hash);
                        assert_int_equal(both(sig, pub, hash), P256_SUCCESS);
                        valid++;
                    }
                }
            }
        }
    }
    assert_true(valid > 500);
    assert_true(infinite > 10);
    mbedtls_mpi_free(&d);
    mbedtls_mpi_free(&u1);
    mbedtls_mpi_free(&u2);
    mbedtls_mpi_free(&k);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_point_free(&r);
}

/* u1 = -u2 * d (mod n) for random d and u2: u1*G + u2*Q is the point at infinity, reached at the
 * very last addition. */
static void test_crafted_sum_at_infinity(void **state)
{
    (void)state;
    mbedtls_mpi d, u1, u2;
    mbedtls_ecp_point q, g1;
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&u1);
    mbedtls_mpi_init(&u2);
    mbedtls_ecp_point_init(&q);
    mbedtls_ecp_point_init(&g1);
    assert_int_equal(mbedtls_ecp_copy(&g1, &grp.G), 0);
    for (unsigned i = 0; i < random_count / 4u + 1u; i++) {
        assert_int_equal(mbedtls_ecp_gen_privkey(&grp, &d, mbed_rng, NULL), 0);
        assert_int_equal(mbedtls_ecp_gen_privkey(&grp, &u2, mbed_rng, NULL), 0);
        assert_int_equal(mbedtls_ecp_mul(&grp, &q, &d, &grp.G, mbed_rng, NULL), 0);
        assert_int_equal(mbedtls_mpi_mul_mpi(&u1, &u2, &d), 0);
        assert_int_equal(mbedtls_mpi_mod_mpi(&u1, &u1, &grp.N), 0);
        assert_int_equal(mbedtls_mpi_sub_mpi(&u1, &grp.N, &u1), 0);
        uint8_t pub[64], sig[64], hash[32];
        point_write(&q, pub);
        assert_int_equal(craft(&u1, &u2, &g1, sig, hash), 1);
        assert_int_equal(both(sig, pub, hash), P256_INVALID_SIGNATURE);
        /* and u1 = 0 (a hash of 0 mod n): u2 * Q alone */
        assert_int_equal(mbedtls_mpi_lset(&u1, 0), 0);
        mbedtls_ecp_point r;
        mbedtls_ecp_point_init(&r);
        assert_int_equal(mbedtls_ecp_mul(&grp, &r, &u2, &q, mbed_rng, NULL), 0);
        if (craft(&u1, &u2, &r, sig, hash)) {
            assert_int_equal(both(sig, pub, hash), P256_SUCCESS);
        }
        mbedtls_ecp_point_free(&r);
    }
    mbedtls_mpi_free(&d);
    mbedtls_mpi_free(&u1);
    mbedtls_mpi_free(&u2);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_point_free(&g1);
}

/* R with x(R) in [n, p), so r = x(R) - n: the second comparison of the final check. Such points
 * are rare (about 2^-128), so R is chosen first and the key made to fit: Q = (R - u1*G) / u2. */
static void test_crafted_x_above_n(void **state)
{
    (void)state;
    mbedtls_mpi rhs, t, y, e, u1, u2, w, nu1;
    mbedtls_ecp_point r, q, g1;
    mbedtls_mpi *all[] = {&rhs, &t, &y, &e, &u1, &u2, &w, &nu1};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        mbedtls_mpi_init(all[i]);
    }
    mbedtls_ecp_point_init(&r);
    mbedtls_ecp_point_init(&q);
    mbedtls_ecp_point_init(&g1);
    /* The first x >= n on the curve: y = rhs^((p + 1) / 4) is its square root if one exists
     * (p = 3 mod 4). */
    assert_int_equal(mbedtls_mpi_copy(&r.X, &grp.N), 0);
    for (;;) {
        assert_int_equal(mbedtls_mpi_mul_mpi(&rhs, &r.X, &r.X), 0);
        assert_int_equal(mbedtls_mpi_sub_int(&rhs, &rhs, 3), 0);
        assert_int_equal(mbedtls_mpi_mul_mpi(&rhs, &rhs, &r.X), 0);
        assert_int_equal(mbedtls_mpi_add_mpi(&rhs, &rhs, &grp.B), 0);
        assert_int_equal(mbedtls_mpi_mod_mpi(&rhs, &rhs, &grp.P), 0);
        assert_int_equal(mbedtls_mpi_add_int(&e, &grp.P, 1), 0);
        assert_int_equal(mbedtls_mpi_shift_r(&e, 2), 0);
        assert_int_equal(mbedtls_mpi_exp_mod(&y, &rhs, &e, &grp.P, NULL), 0);
        assert_int_equal(mbedtls_mpi_mul_mpi(&t, &y, &y), 0);
        assert_int_equal(mbedtls_mpi_mod_mpi(&t, &t, &grp.P), 0);
        if (mbedtls_mpi_cmp_mpi(&t, &rhs) == 0) {
            break;
        }
        assert_int_equal(mbedtls_mpi_add_int(&r.X, &r.X, 1), 0);
    }
    assert_int_equal(mbedtls_mpi_copy(&r.Y, &y), 0);
    assert_int_equal(mbedtls_mpi_lset(&r.Z, 1), 0);
    assert_int_equal(mbedtls_ecp_check_pubkey(&grp, &r), 0);
    assert_int_equal(mbedtls_ecp_copy(&g1, &grp.G), 0);

    for (unsigned i = 0; i < 20; i++) {
        assert_int_equal(mbedtls_ecp_gen_privkey(&grp, &u1, mbed_rng, NULL), 0);
        assert_int_equal(mbedtls_ecp_gen_privkey(&grp, &u2, mbed_rng, NULL), 0);
        assert_int_equal(mbedtls_mpi_sub_mpi(&nu1, &grp.N, &u1), 0);
        assert_int_equal(mbedtls_mpi_lset(&t, 1), 0);
        assert_int_equal(mbedtls_ecp_muladd(&grp, &q, &t, &r, &nu1, &grp.G), 0); /* R - u1 G */
        assert_int_equal(mbedtls_mpi_inv_mod(&w, &u2, &grp.N), 0);
        assert_int_equal(mbedtls_ecp_mul(&grp, &q, &w, &q, mbed_rng, NULL), 0);
        uint8_t pub[64], sig[64], hash[32];
        point_write(&q, pub);
        assert_int_equal(craft(&u1, &u2, &r, sig, hash), 1);
        mbed_accepts(sig, pub, hash);
        assert_int_equal(both(sig, pub, hash), P256_SUCCESS);
        /* r = x(R) itself is out of range. */
        uint8_t t_sig[64];
        memcpy(t_sig, sig, 64);
        mpi_write32(&r.X, t_sig);
        assert_int_equal(both(t_sig, pub, hash), P256_INVALID_SIGNATURE);
        sig[31] ^= 1; /* r - n off by one */
        assert_int_equal(both(sig, pub, hash), P256_INVALID_SIGNATURE);
    }
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        mbedtls_mpi_free(all[i]);
    }
    mbedtls_ecp_point_free(&r);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_point_free(&g1);
}

static void print_table(void)
{
    printf("/*\n * bl_p256_gtable.h: (2j + 1) * G for j < BL_P256_G_POINTS, the odd multiples of "
           "P-256's base\n * point that bl_p256_verify adds, in p256-m's representation: affine "
           "x and y, each in the\n * Montgomery domain (x * 2^256 mod p), 32-bit limbs, least "
           "significant first.\n *\n * Generated by `test_bl_p256 --print-table` (Mbed TLS's "
           "ECP); unit.test_bl_p256 checks it.\n */\n");
    printf("#ifndef BL_P256_GTABLE_H\n#define BL_P256_GTABLE_H\n\n#include <stdint.h>\n\n"
           "#include \"bl_p256.h\"\n\n");
    printf("static const uint32_t bl_p256_gtable[BL_P256_G_POINTS][2][8] = {\n");
    for (unsigned j = 0; j < BL_P256_G_POINTS; j++) {
        uint32_t e[2][8];
        gtable_entry(j, e);
        printf("    {/* %uG */\n", 2u * j + 1u);
        for (int c = 0; c < 2; c++) {
            printf("     {");
            for (int l = 0; l < 8; l++) {
                printf("0x%08x%s", e[c][l], l == 7 ? "" : ", ");
            }
            printf("}%s\n", c == 0 ? "," : "},");
        }
    }
    printf("};\n\n#endif /* BL_P256_GTABLE_H */\n");
}

int main(int argc, char **argv)
{
    mbedtls_ecp_group_init(&grp);
    if (psa_crypto_init() != PSA_SUCCESS ||
        mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) != 0) {
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--print-table") == 0) {
            print_table();
            return 0;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            rng_state = strtoull(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
            random_count = (unsigned)strtoul(argv[++i], NULL, 0);
        } else {
            fprintf(stderr, "usage: test_bl_p256 [--seed N] [--count N] | --print-table\n");
            return 2;
        }
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gtable_is_odd_multiples_of_g),
        cmocka_unit_test(test_random_and_tampered),
        cmocka_unit_test(test_scalar_ranges),
        cmocka_unit_test(test_bad_public_keys),
        cmocka_unit_test(test_crafted_small_multiples),
        cmocka_unit_test(test_crafted_sum_at_infinity),
        cmocka_unit_test(test_crafted_x_above_n),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    mbedtls_ecp_group_free(&grp);
    return rc;
}
