/*
 * fuzz_token_crypto.c: see fuzz_token_crypto.h. Signatures by the harness's p256-m copy
 * (sm_p256m_fuzz), checks by Mbed TLS.
 */
#include "fuzz_token_crypto.h"

#include <string.h>

#include "fuzz_common.h"
#include "p256-m.h"
#include "psa/crypto.h"

/* The harness's p256-m copy draws its ECDSA nonces here: SHA-256 of the hash being signed and a
 * counter, so the same token is signed the same way on every run. A test key only. */
static uint8_t nonce_seed[32];
static uint32_t nonce_count;
psa_status_t fuzz_token_random(uint8_t *out, size_t n);
psa_status_t fuzz_token_random(uint8_t *out, size_t n)
{
    while (n > 0) {
        uint8_t in[36], h[32];
        size_t hn;
        memcpy(in, nonce_seed, 32);
        memcpy(in + 32, &nonce_count, 4);
        nonce_count++;
        if (psa_hash_compute(PSA_ALG_SHA_256, in, sizeof(in), h, 32, &hn) != PSA_SUCCESS) {
            return PSA_ERROR_GENERIC_ERROR;
        }
        const size_t k = n < 32 ? n : 32;
        memcpy(out, h, k);
        out += k;
        n -= k;
    }
    return PSA_SUCCESS;
}

static psa_key_id_t key;

/* A fixed P-256 private key of this harness (any scalar below the order). */
static const uint8_t priv[32] = {0x51, 0x9b, 0x42, 0x3d, 0x71, 0x5f, 0x8b, 0x58, 0x1f, 0x4f, 0xa8,
                                 0xee, 0x59, 0xf4, 0x77, 0x1a, 0x5b, 0x44, 0xc8, 0x13, 0x0b, 0x4e,
                                 0x3e, 0xac, 0xca, 0x54, 0xa5, 0x6d, 0xda, 0x72, 0xb4, 0x64};

int fuzz_token_crypto_init(uint8_t pub[64])
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    uint8_t point[65];
    size_t n;
    psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&attr, 256);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH);
    psa_set_key_algorithm(&attr, PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_256));
    if (psa_crypto_init() != PSA_SUCCESS || psa_import_key(&attr, priv, 32, &key) != PSA_SUCCESS ||
        psa_export_public_key(key, point, sizeof(point), &n) != PSA_SUCCESS || n != 65) {
        return -1;
    }
    memcpy(pub, point + 1, 64);
    return 0;
}

int fuzz_token_sign(const void *tbs, size_t len, uint8_t sig[64])
{
    size_t n;
    if (psa_hash_compute(PSA_ALG_SHA_256, tbs, len, nonce_seed, 32, &n) != PSA_SUCCESS) {
        return -1;
    }
    nonce_count = 0;
    return p256_ecdsa_sign(sig, priv, nonce_seed, 32) == P256_SUCCESS ? 0 : -1;
}

void fuzz_token_instance_id(const uint8_t pub[64], uint8_t ueid[33])
{
    uint8_t point[65] = {0x04};
    size_t n;
    memcpy(point + 1, pub, 64);
    ueid[0] = 0x01;
    if (psa_hash_compute(PSA_ALG_SHA_256, point, sizeof(point), ueid + 1, 32, &n) != PSA_SUCCESS) {
        fuzz_fail("hash");
    }
}

static void put_bstr(psa_hash_operation_t *op, const uint8_t *p, size_t n)
{
    uint8_t head[5];
    size_t hn = 0;
    if (n < 24) {
        head[hn++] = (uint8_t)(0x40 | n);
    } else if (n < 256) {
        head[hn++] = 0x58;
        head[hn++] = (uint8_t)n;
    } else if (n < 65536) {
        head[hn++] = 0x59;
        head[hn++] = (uint8_t)(n >> 8);
        head[hn++] = (uint8_t)n;
    } else {
        head[hn++] = 0x5A;
        for (int i = 3; i >= 0; i--) {
            head[hn++] = (uint8_t)(n >> (8 * i));
        }
    }
    psa_hash_update(op, head, hn);
    psa_hash_update(op, p, n);
}

int fuzz_token_check(const uint8_t *prot, size_t prot_len, const uint8_t *payload,
                     size_t payload_len, const uint8_t sig[64])
{
    static const uint8_t head[] = {0x84, 0x6A, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'};
    static const uint8_t no_aad = 0x40;
    psa_hash_operation_t op = PSA_HASH_OPERATION_INIT;
    uint8_t hash[32];
    size_t n;
    if (psa_hash_setup(&op, PSA_ALG_SHA_256) != PSA_SUCCESS) {
        fuzz_fail("hash setup");
    }
    psa_hash_update(&op, head, sizeof(head));
    put_bstr(&op, prot, prot_len);
    psa_hash_update(&op, &no_aad, 1);
    put_bstr(&op, payload, payload_len);
    if (psa_hash_finish(&op, hash, sizeof(hash), &n) != PSA_SUCCESS) {
        fuzz_fail("hash finish");
    }
    return psa_verify_hash(key, PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_256), hash, 32, sig, 64) ==
           PSA_SUCCESS;
}
