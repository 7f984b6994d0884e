/*
 * bl_p256.c: see bl_p256.h. p256-m itself (its source compiled here, unchanged), and a faster
 * verification of ECDSA P-256 signatures built only from p256-m's own primitives.
 *
 * p256-m's verify computes u1*G and u2*Q as two separate constant-time scalar multiplications
 * (each 255 doublings and 255 additions) and converts the sum to affine coordinates. A verify
 * handles only public values, so it may branch on them (docs/design/boot-speed.md), and the
 * standard variable-time method applies: one joint double-and-add over both scalars
 * (Straus-Shamir), with each scalar recoded in width-w non-adjacent form so that few digits
 * are non-zero: u1 against a fixed table of odd multiples of G (bl_p256_gtable.h), u2 in plain
 * NAF against +-Q. That is 256 doublings (shared) and about 64 + 86 additions instead of 510
 * doublings and 510 additions. The last inversion is also avoided: x(R) = X/Z^2 is compared
 * with r (and r + n) as X == r * Z^2.
 *
 * The field arithmetic, the point doubling and the mixed addition are p256-m's own functions,
 * called as they are. Cases its addition does not cover (an operand at infinity, equal
 * operands, opposite operands) are detected and handled here, so the result is exact for
 * every input, as p256-m's is.
 */
#ifndef MBEDTLS_PSA_P256M_DRIVER_ENABLED
#define MBEDTLS_PSA_P256M_DRIVER_ENABLED
#endif

#include <stddef.h>
#include <stdint.h>

/*
 * p256-m is built for speed (cmake/mbedtls.cmake), but only its field arithmetic and point
 * formulas run long at boot; the functions that run once per call (encoding, input checks, the
 * ECDH ladder, which runs only for encrypted images) are built for size, which keeps about
 * 600 bytes out of the iRoT. A declaration before the definition carries the attribute to it.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define BL_COLD __attribute__((optimize("Os")))
#else
#define BL_COLD
#endif
/* The 256-bit additions, subtractions, conditional moves and comparisons too: their loops
 * unrolled were 0.4 KB for 1.8 M instructions per boot of the three verifies; the multiply
 * (u288_muladd, u288_rshift32, m256_mul) and the point formulas stay unrolled. */
static uint32_t u256_add(uint32_t z[8], const uint32_t x[8], const uint32_t y[8]) BL_COLD;
static uint32_t u256_sub(uint32_t z[8], const uint32_t x[8], const uint32_t y[8]) BL_COLD;
static void u256_cmov(uint32_t z[8], const uint32_t x[8], uint32_t c) BL_COLD;
static uint32_t u256_diff(const uint32_t x[8], const uint32_t y[8]) BL_COLD;
static uint32_t u256_diff0(const uint32_t x[8]) BL_COLD;
static void u256_from_bytes(uint32_t z[8], const uint8_t p[32]) BL_COLD;
static void u256_to_bytes(uint8_t p[32], const uint32_t z[8]) BL_COLD;
static uint32_t point_check(const uint32_t x[8], const uint32_t y[8]) BL_COLD;
static void point_to_affine(uint32_t x[8], uint32_t y[8], uint32_t z[8]) BL_COLD;
static int point_from_bytes(uint32_t x[8], uint32_t y[8], const uint8_t p[64]) BL_COLD;
static void scalar_mult(uint32_t rx[8], uint32_t ry[8], const uint32_t px[8], const uint32_t py[8],
                        const uint32_t s[8]) BL_COLD;
static int scalar_from_bytes(uint32_t s[8], const uint8_t p[32]) BL_COLD;
static void ecdsa_m256_from_hash(uint32_t z[8], const uint8_t *h, size_t hlen) BL_COLD;
int p256_ecdh_shared_secret(uint8_t secret[32], const uint8_t priv[32],
                            const uint8_t peer[64]) BL_COLD;
/* p256-m's source, from Mbed TLS's tree (build/deps), compiled here so that the code below can
 * call its static primitives; nothing of it is copied into this project. */
#include "p256-m.c"

#include "bl_p256.h"
#include "bl_p256_gtable.h"

/* Digits of a scalar below 2^256 in width-w NAF: at most 257 of them. */
#define WNAF_LEN 257u

/* `count` (<= 31) bits of k from bit `pos` up (bits above 255 read as 0). */
static BL_COLD uint32_t scalar_bits(const uint32_t k[8], unsigned pos, unsigned count)
{
    if (pos >= 256u) {
        return 0;
    }
    unsigned limb = pos / 32u;
    unsigned shift = pos % 32u;
    uint32_t v = k[limb] >> shift;
    if (shift + count > 32u && limb < 7u) {
        v |= k[limb + 1u] << (32u - shift);
    }
    return v & ((1u << count) - 1u);
}

/*
 * Width-w NAF of k (2 <= w <= 7): k = sum d[i] 2^i, each d[i] zero or odd with |d[i]| <
 * 2^(w-1), and any w consecutive digits hold at most one non-zero one. Returns the index of the
 * highest non-zero digit plus one (0 for k = 0).
 *
 * Bottom up, with `carry` the part of the value already moved up: the remaining value at
 * position i is floor(k / 2^i) + carry. Even: digit 0. Odd: its low w bits v, taken as the
 * signed digit v or v - 2^w (whichever lies in (-2^(w-1), 2^(w-1))), which leaves the next w-1
 * digits zero; a negative digit carries 1 into position i + w.
 */
static BL_COLD unsigned wnaf(int8_t d[WNAF_LEN], const uint32_t k[8], unsigned w)
{
    unsigned top = 0;
    uint32_t carry = 0;
    memset(d, 0, WNAF_LEN);
    for (unsigned i = 0; i < WNAF_LEN;) {
        if (scalar_bits(k, i, 1) == carry) {
            i++; /* even: bit 0 and no carry, or bit 1 and a carry that moves on */
            continue;
        }
        uint32_t v = scalar_bits(k, i, w) + carry; /* odd, below 2^w */
        carry = v >> (w - 1u);
        d[i] = (int8_t)((int32_t)v - (int32_t)(carry << w));
        top = i + 1u;
        i += w;
    }
    return top;
}

/*
 * z = x^-1 mod n (Montgomery domain, x != 0), as x^(n-2) (Fermat, as p256-m's m256_inv), but
 * left to right with a sliding window of 4 bits over the (public) exponent: 255 squarings and
 * 59 multiplications, against 256 and 169 for m256_inv's bit-by-bit method.
 */
static BL_COLD void inv_mod_n(uint32_t z[8], const uint32_t x[8])
{
    uint32_t odd[8][8]; /* x^(2j + 1) */
    uint32_t e[8], t[8];
    u256_set32(t, 2);
    (void)u256_sub(e, p256_n.m, t);
    u256_cmov(odd[0], x, 1);
    m256_mul(t, x, x, &p256_n);
    for (unsigned j = 1; j < 8u; j++) {
        m256_mul(odd[j], odd[j - 1u], t, &p256_n);
    }
    int started = 0;
    for (int i = 255; i >= 0;) {
        if (scalar_bits(e, (unsigned)i, 1) == 0) {
            if (started) {
                m256_mul(z, z, z, &p256_n);
            }
            i--;
            continue;
        }
        /* The window: bits i down to low, at most 4 of them, ending on a 1 bit. */
        int low = i >= 3 ? i - 3 : 0;
        while (scalar_bits(e, (unsigned)low, 1) == 0) {
            low++;
        }
        uint32_t v = scalar_bits(e, (unsigned)low, (unsigned)(i - low + 1));
        if (started) {
            for (int k = low; k <= i; k++) {
                m256_mul(z, z, z, &p256_n);
            }
            m256_mul(z, z, odd[v / 2u], &p256_n);
        } else {
            u256_cmov(z, odd[v / 2u], 1);
            started = 1;
        }
        i = low - 1;
    }
}

/* A point in Jacobian coordinates (Montgomery domain), or the point at infinity. */
struct jpoint {
    uint32_t x[8], y[8], z[8];
    int inf;
};

/*
 * R += (x2, y2), an affine point on the curve (not infinity), for every R: p256-m's
 * point_add() covers R != +-P2, R not infinity; the other cases are told apart here.
 */
static void add_affine(struct jpoint *r, const uint32_t x2[8], const uint32_t y2[8],
                       const uint32_t one[8])
{
    if (r->inf) {
        u256_cmov(r->x, x2, 1);
        u256_cmov(r->y, y2, 1);
        u256_cmov(r->z, one, 1);
        r->inf = 0;
        return;
    }
    struct jpoint saved = *r;
    point_add(r->x, r->y, r->z, x2, y2);
    /* z3 = z1 * (x2 * z1^2 - x1) with z1 != 0: zero exactly when R and P2 share x, that is
     * R = P2 or R = -P2, the two inputs point_add() does not handle. */
    if (u256_diff0(r->z) != 0) {
        return;
    }
    *r = saved;
    uint32_t t[8];
    m256_mul_p(t, r->z, r->z);
    m256_mul_p(t, t, r->z);
    m256_mul_p(t, t, y2); /* y2 * z1^3: equal to y1 when R = P2 */
    if (u256_diff(t, r->y) == 0) {
        point_double(r->x, r->y, r->z);
    } else {
        r->inf = 1;
    }
}

/* R += d * P for a wNAF digit d of a table of odd multiples: tab[j] = (2j + 1) * P. */
static void add_digit(struct jpoint *r, int d, const uint32_t (*tab)[2][8], const uint32_t one[8])
{
    unsigned j = (unsigned)(d < 0 ? -d : d) / 2u;
    if (d > 0) {
        add_affine(r, tab[j][0], tab[j][1], one);
    } else {
        uint32_t zero[8], neg_y[8];
        u256_set32(zero, 0);
        m256_sub_p(neg_y, zero, tab[j][1]);
        add_affine(r, tab[j][0], neg_y, one);
    }
}

/* x(R) mod n == r, for R = (X:Y:Z) not at infinity: x(R) = X / Z^2 lies in [0, p), and p < 2n,
 * so x(R) mod n == r exactly when x(R) == r or x(R) == r + n (this one only if r + n < p). */
static BL_COLD int x_matches(const struct jpoint *r, const uint32_t sig_r[8])
{
    uint32_t z2[8], t[8], c[8];
    m256_mul_p(z2, r->z, r->z);
    u256_cmov(c, sig_r, 1);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            if (u256_add(c, sig_r, p256_n.m) != 0 || u256_sub(t, c, p256_p.m) != 1) {
                return 0; /* r + n >= p: no second candidate */
            }
        }
        m256_prep(c, &p256_p); /* c < p */
        m256_mul_p(t, c, z2);
        if (u256_diff(t, r->x) == 0) {
            return 1;
        }
        if (pass == 0) {
            u256_cmov(c, sig_r, 1);
        }
    }
    return 0;
}

BL_COLD int bl_p256_verify(const uint8_t sig[64], const uint8_t pub[64], const uint8_t hash[32])
{
    /* The steps, their order and their results are those of p256_ecdsa_verify ([SEC1] 4.1.4). */
    uint32_t r[8], s[8], e[8], u1[8], u2[8], qx[8], qy[8];
    if (scalar_from_bytes(r, sig) != 0 || scalar_from_bytes(s, sig + 32) != 0) {
        return P256_INVALID_SIGNATURE;
    }
    ecdsa_m256_from_hash(e, hash, 32);

    /* u1 = e / s, u2 = r / s (mod n), out of the Montgomery domain. */
    m256_prep(s, &p256_n);
    inv_mod_n(s, s);
    m256_mul(u1, e, s, &p256_n);
    m256_done(u1, &p256_n);
    u256_cmov(u2, r, 1);
    m256_prep(u2, &p256_n);
    m256_mul(u2, u2, s, &p256_n);
    m256_done(u2, &p256_n);

    if (point_from_bytes(qx, qy, pub) != 0) {
        return P256_INVALID_PUBKEY;
    }

    /* u1 * G + u2 * Q, both scalars at once, from the top digit down. */
    int8_t d1[WNAF_LEN], d2[WNAF_LEN];
    unsigned top1 = wnaf(d1, u1, BL_P256_G_WINDOW);
    unsigned top2 = wnaf(d2, u2, 2);
    const uint32_t q_tab[1][2][8] = {{{qx[0], qx[1], qx[2], qx[3], qx[4], qx[5], qx[6], qx[7]},
                                      {qy[0], qy[1], qy[2], qy[3], qy[4], qy[5], qy[6], qy[7]}}};
    uint32_t one[8];
    m256_set32(one, 1, &p256_p);
    struct jpoint acc;
    acc.inf = 1;
    for (unsigned i = top1 > top2 ? top1 : top2; i-- > 0;) {
        if (!acc.inf) {
            point_double(acc.x, acc.y, acc.z);
        }
        if (d1[i] != 0) {
            add_digit(&acc, d1[i], bl_p256_gtable, one);
        }
        if (d2[i] != 0) {
            add_digit(&acc, d2[i], q_tab, one);
        }
    }

    /* R at infinity never matches (p256-m: its affine x is 0, and r != 0). */
    if (acc.inf || !x_matches(&acc, r)) {
        return P256_INVALID_SIGNATURE;
    }
    return P256_SUCCESS;
}
