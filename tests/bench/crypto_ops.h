/*
 * crypto_ops.h: the crypto operations both crypto benchmarks time, the same calls on both sides:
 * psa/crypto.h served by the SM from NS (ns_bench.c, client view) and Mbed TLS called directly
 * in a secure image (crypto_bench.c). Each runs its operation `n` times; the key is made by
 * crypto_ops_keys() first.
 */
#ifndef CRYPTO_OPS_H
#define CRYPTO_OPS_H

#include <stdint.h>

#include "psa/crypto.h"

#define CRYPTO_OPS_DATA 4096u

struct crypto_ops {
    mbedtls_svc_key_id_t aes, ecc; /* psa_key_id_t for a client */
    uint8_t data[CRYPTO_OPS_DATA];
    uint8_t out[CRYPTO_OPS_DATA + 16];
    uint8_t hash[32];
    uint8_t sig[64];
};

static inline psa_status_t crypto_ops_keys(struct crypto_ops *c)
{
    static const uint8_t aes[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    static const uint8_t ecc[32] = {0xC9, 0xAF, 0xA9, 0xD8, 0x45, 0xBA, 0x75, 0x16,
                                    0x6B, 0x5C, 0x21, 0x57, 0x67, 0xB1, 0xD6, 0x93,
                                    0x4E, 0x50, 0xC3, 0xDB, 0x36, 0xE8, 0x9B, 0x12,
                                    0x7B, 0x8A, 0x62, 0x2B, 0x12, 0x0F, 0x67, 0x21};
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_AES);
    psa_set_key_bits(&a, 128);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_ENCRYPT);
    psa_set_key_algorithm(&a, PSA_ALG_GCM);
    psa_status_t status = psa_import_key(&a, aes, sizeof(aes), &c->aes);
    psa_key_attributes_t e = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&e, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&e, 256);
    psa_set_key_usage_flags(&e, PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH);
    psa_set_key_algorithm(&e, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    if (status == PSA_SUCCESS) {
        status = psa_import_key(&e, ecc, sizeof(ecc), &c->ecc);
    }
    for (uint32_t i = 0; i < CRYPTO_OPS_DATA; i++) {
        c->data[i] = (uint8_t)(i * 7u);
    }
    return status;
}

static inline psa_status_t crypto_ops_sha256(struct crypto_ops *c, uint32_t n)
{
    psa_status_t status = PSA_SUCCESS;
    size_t len;
    for (uint32_t i = 0; i < n && status == PSA_SUCCESS; i++) {
        status = psa_hash_compute(PSA_ALG_SHA_256, c->data, CRYPTO_OPS_DATA, c->hash,
                                  sizeof(c->hash), &len);
    }
    return status;
}

static inline psa_status_t crypto_ops_gcm(struct crypto_ops *c, uint32_t n)
{
    static const uint8_t nonce[12] = {0};
    psa_status_t status = PSA_SUCCESS;
    size_t len;
    for (uint32_t i = 0; i < n && status == PSA_SUCCESS; i++) {
        status = psa_aead_encrypt(c->aes, PSA_ALG_GCM, nonce, sizeof(nonce), NULL, 0, c->data,
                                  CRYPTO_OPS_DATA, c->out, sizeof(c->out), &len);
    }
    return status;
}

static inline psa_status_t crypto_ops_sign(struct crypto_ops *c, uint32_t n)
{
    psa_status_t status = PSA_SUCCESS;
    size_t len;
    for (uint32_t i = 0; i < n && status == PSA_SUCCESS; i++) {
        status = psa_sign_hash(c->ecc, PSA_ALG_ECDSA(PSA_ALG_SHA_256), c->hash, sizeof(c->hash),
                               c->sig, sizeof(c->sig), &len);
    }
    return status;
}

static inline psa_status_t crypto_ops_verify(struct crypto_ops *c, uint32_t n)
{
    psa_status_t status = PSA_SUCCESS;
    for (uint32_t i = 0; i < n && status == PSA_SUCCESS; i++) {
        status = psa_verify_hash(c->ecc, PSA_ALG_ECDSA(PSA_ALG_SHA_256), c->hash, sizeof(c->hash),
                                 c->sig, sizeof(c->sig));
    }
    return status;
}

#endif /* CRYPTO_OPS_H */
