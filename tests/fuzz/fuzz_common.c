/*
 * fuzz_common.c: see fuzz_common.h. Uses only the host Mbed TLS, never the boot core, for the
 * checks: an oracle sharing the code under test would share its bugs.
 */
#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mbedtls/aes.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/ecp.h"
#include "mbedtls/sha256.h"

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("FUZZ ORACLE: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void fuzz_quiet(void)
{
    const char *v = getenv("FUZZ_VERBOSE");
    if (v == NULL || strcmp(v, "1") != 0) {
        if (freopen("/dev/null", "w", stdout) == NULL) {
            fuzz_fail("cannot silence stdout");
        }
    }
}

uint16_t fuzz_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t fuzz_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Blinding randomness for the scalar multiplications: fixed, these are test keys. */
static int fixed_rng(void *ctx, unsigned char *out, size_t len)
{
    uint32_t *s = ctx;
    for (size_t i = 0; i < len; i++) {
        *s = *s * 1664525u + 1013904223u;
        out[i] = (uint8_t)(*s >> 24);
    }
    return 0;
}

static int load_keypair(const uint8_t priv[32], mbedtls_ecp_keypair *kp)
{
    uint32_t seed = 1;
    mbedtls_ecp_keypair_init(kp);
    if (mbedtls_ecp_read_key(MBEDTLS_ECP_DP_SECP256R1, kp, priv, 32) != 0 ||
        mbedtls_ecp_keypair_calc_public(kp, fixed_rng, &seed) != 0) {
        mbedtls_ecp_keypair_free(kp);
        return -1;
    }
    return 0;
}

static void public_of(const uint8_t priv[32], uint8_t pub[64])
{
    mbedtls_ecp_keypair kp;
    uint8_t point[65];
    size_t len = 0;
    if (load_keypair(priv, &kp) != 0 ||
        mbedtls_ecp_write_public_key(&kp, MBEDTLS_ECP_PF_UNCOMPRESSED, &len, point,
                                     sizeof(point)) != 0 ||
        len != sizeof(point)) {
        fuzz_fail("cannot derive a fixed public key");
    }
    memcpy(pub, point + 1, 64);
    mbedtls_ecp_keypair_free(&kp);
}

const struct fuzz_keys *fuzz_keys(void)
{
    static struct fuzz_keys k;
    static int ready;
    if (!ready) {
        for (int i = 0; i < 32; i++) {
            k.sign_priv[i] = (uint8_t)(0x11 + 3 * i);
            k.other_priv[i] = (uint8_t)(0x5A ^ (7 * i));
            k.enc_priv[i] = (uint8_t)(0x21 + 5 * i);
        }
        public_of(k.sign_priv, k.sign_pub);
        public_of(k.other_priv, k.other_pub);
        public_of(k.enc_priv, k.enc_pub);
        ready = 1;
    }
    return &k;
}

int fuzz_pk_from_priv(const uint8_t priv[32], mbedtls_pk_context *pk)
{
    uint32_t seed = 1;
    mbedtls_pk_init(pk);
    if (mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0 ||
        mbedtls_ecp_read_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*pk), priv, 32) != 0 ||
        mbedtls_ecp_keypair_calc_public(mbedtls_pk_ec(*pk), fixed_rng, &seed) != 0) {
        mbedtls_pk_free(pk);
        return -1;
    }
    return 0;
}

/* The value of the first TLV of `type` in the area at off (info header `magic`), or NULL. */
static const uint8_t *find_tlv(const uint8_t *img, size_t len, size_t off, uint16_t magic,
                               uint16_t type, uint16_t *vlen)
{
    if (off + 4 > len || fuzz_le16(img + off) != magic) {
        return NULL;
    }
    size_t end = off + fuzz_le16(img + off + 2);
    if (end > len) {
        return NULL;
    }
    for (size_t p = off + 4; p + 4 <= end;) {
        uint16_t t = fuzz_le16(img + p), l = fuzz_le16(img + p + 2);
        if (p + 4 + l > end) {
            return NULL;
        }
        if (t == type) {
            *vlen = l;
            return img + p + 4;
        }
        p += 4u + l;
    }
    return NULL;
}

int fuzz_check_image(const uint8_t *img, size_t len, const uint8_t pub[64], const uint8_t *aes_key,
                     size_t key_len, uint8_t hash[32])
{
    if (len < 32 || fuzz_le32(img) != 0x96f3b83du) {
        return -1;
    }
    size_t hdr = fuzz_le16(img + 8), prot = fuzz_le16(img + 10), body = fuzz_le32(img + 12);
    size_t covered = hdr + body + prot;
    if (covered > len) {
        return -1;
    }
    /* The hash: header and protected TLVs as they are, the payload decrypted if asked. */
    mbedtls_sha256_context h;
    mbedtls_sha256_init(&h);
    mbedtls_sha256_starts(&h, 0);
    mbedtls_sha256_update(&h, img, hdr);
    if (aes_key != NULL) {
        uint8_t *plain = malloc(body ? body : 1);
        uint8_t nonce[16] = {0}, stream[16];
        size_t nc = 0;
        mbedtls_aes_context aes;
        mbedtls_aes_init(&aes);
        if (plain == NULL || mbedtls_aes_setkey_enc(&aes, aes_key, (unsigned)key_len * 8u) != 0 ||
            mbedtls_aes_crypt_ctr(&aes, body, &nc, nonce, stream, img + hdr, plain) != 0) {
            fuzz_fail("independent decryption failed");
        }
        mbedtls_aes_free(&aes);
        mbedtls_sha256_update(&h, plain, body);
        free(plain);
    } else {
        mbedtls_sha256_update(&h, img + hdr, body);
    }
    mbedtls_sha256_update(&h, img + hdr + body, prot);
    mbedtls_sha256_finish(&h, hash);
    mbedtls_sha256_free(&h);

    uint16_t sig_len = 0;
    const uint8_t *sig = find_tlv(img, len, covered, 0x6907, 0x22, &sig_len);
    if (sig == NULL) {
        return -1;
    }
    mbedtls_ecdsa_context ec;
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    uint8_t point[65];
    point[0] = 0x04;
    memcpy(point + 1, pub, 64);
    mbedtls_ecdsa_init(&ec);
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    int rc = -1;
    if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
        mbedtls_ecp_point_read_binary(&grp, &q, point, sizeof(point)) == 0 &&
        mbedtls_ecp_set_public_key(MBEDTLS_ECP_DP_SECP256R1, &ec, &q) == 0 &&
        mbedtls_ecdsa_read_signature(&ec, hash, 32, sig, sig_len) == 0) {
        rc = 0;
    }
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    mbedtls_ecdsa_free(&ec);
    return rc;
}
