/*
 * crypto_diff.c: seeded random sequences of PSA Crypto calls, written once and built twice:
 * against the crypto service (CRYPTO_DIFF_SERVICE: the SM in-process, through the client
 * library) and against Mbed TLS called directly (tests/crypto/direct_config.h). Each build
 * prints one line per call (the call, its status, and a digest of what it output where the
 * output is deterministic); tests/crypto/crypto_diff.sh requires the two transcripts to be
 * identical (CTest unit.crypto_diff).
 *
 *   crypto_diff SEED COUNT [DIR]    COUNT sequences from SEED (DIR: the device, service build)
 *
 * A sequence is one family (hash, MAC, cipher, AEAD, key derivation, one-shot calls) and up to
 * 14 calls on up to two operation objects, with arguments drawn so that errors come on purpose:
 * wrong algorithms, keys without the usage, calls in the wrong state, buffers too small,
 * lengths past the limits, wrong tags and hashes, capacities past the end, setups on live
 * operations, clones, and calls after a failure without an abort. It ends with an abort of
 * both objects, as the API requires. Outputs that are random (a generated IV or nonce, and all
 * that depends on one) are reported by length only. Key ids are never printed (each side
 * allocates its own); everything else must match to the byte.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psa/crypto.h"

/* ---- transcript ------------------------------------------------------------------------- */

static uint64_t rng;
static unsigned seq_no, step_no;
static int random_out; /* this sequence's outputs depend on random bytes from now on */

static uint32_t draw(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n == 0u ? 0u : (uint32_t)(rng % n);
}

static uint32_t digest(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h;
}

static psa_status_t last_status; /* of the last call reported */

static void line(const char *call, psa_status_t status, const uint8_t *out, size_t n)
{
    last_status = status;
    printf("%u.%u %s %d", seq_no, step_no++, call, (int)status);
    if (status == PSA_SUCCESS && out != NULL) {
        if (random_out) {
            printf(" len=%zu", n);
        } else {
            printf(" len=%zu out=%08x", n, (unsigned)digest(out, n));
        }
    }
    printf("\n");
}

/* ---- material --------------------------------------------------------------------------- */

static uint8_t data[1200], out[1400], out2[1400], tag[40];

/* Six keys (and one made by a derivation at a time): within the NS world's eight. A policy
 * names one algorithm and an enrollment one. */
enum { K_AES, K_AEAD, K_HMAC, K_CHACHA, K_DERIVE, K_ECC, K_COUNT };
static psa_key_id_t keys[K_COUNT];

static psa_key_id_t import(psa_key_type_t type, psa_key_usage_t usage, psa_algorithm_t alg,
                           psa_algorithm_t alg2, const uint8_t *k, size_t n)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, type);
    psa_set_key_usage_flags(&a, usage);
    psa_set_key_algorithm(&a, alg);
    psa_set_key_enrollment_algorithm(&a, alg2);
    psa_key_id_t id = 0;
    psa_status_t status = psa_import_key(&a, k, n, &id);
    line("import_key", status, NULL, 0);
    return id;
}

static const uint8_t p256_priv[32] = {
    0xc9, 0xaf, 0xa9, 0xd8, 0x45, 0xba, 0x75, 0x16, 0x6b, 0x5c, 0x21, 0x57, 0x67, 0xb1, 0xd6, 0x93,
    0x4e, 0x50, 0xc3, 0xdb, 0x36, 0xe8, 0x9b, 0x12, 0x7b, 0x8a, 0x62, 0x2b, 0x12, 0x0f, 0x67, 0x21};

static void make_keys(void)
{
    const psa_key_usage_t all = PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT |
                                PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE |
                                PSA_KEY_USAGE_EXPORT;
    keys[K_AES] = import(PSA_KEY_TYPE_AES, all, PSA_ALG_CBC_NO_PADDING, PSA_ALG_CMAC, data, 16);
    keys[K_AEAD] =
        import(PSA_KEY_TYPE_AES, all, PSA_ALG_GCM,
               PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG(PSA_ALG_CCM, 8), data + 16, 16);
    keys[K_HMAC] = import(PSA_KEY_TYPE_HMAC, all, PSA_ALG_HMAC(PSA_ALG_SHA_256), 0, data + 32, 32);
    keys[K_CHACHA] = import(PSA_KEY_TYPE_CHACHA20, all, PSA_ALG_CHACHA20_POLY1305,
                            PSA_ALG_STREAM_CIPHER, data + 64, 32);
    keys[K_DERIVE] = import(PSA_KEY_TYPE_DERIVE, PSA_KEY_USAGE_DERIVE,
                            PSA_ALG_HKDF(PSA_ALG_SHA_256), 0, data, 32);
    keys[K_ECC] = import(PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1),
                         PSA_KEY_USAGE_DERIVE | PSA_KEY_USAGE_SIGN_HASH |
                             PSA_KEY_USAGE_VERIFY_HASH | PSA_KEY_USAGE_EXPORT,
                         PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_256), PSA_ALG_ECDH, p256_priv, 32);
}

/* A key for a call: mostly the right one, sometimes another, a missing one or none. */
static psa_key_id_t pick_key(int want)
{
    switch (draw(10)) {
    case 0:
        return keys[draw(K_COUNT)];
    case 1:
        return 0;
    case 2:
        return 0x3fffffffu; /* no such key */
    default:
        return keys[want];
    }
}

/* The most a one-shot AEAD decryption is given (additional data and ciphertext), where a build's
 * service takes less than this test draws (the product profile's buffers, tests/product): past it
 * the service answers PSA_ERROR_INSUFFICIENT_MEMORY by design (docs/design/crypto.md, Data),
 * which product.smoke checks on the board. */
#ifndef CRYPTO_DIFF_WHOLE_MAX
#define CRYPTO_DIFF_WHOLE_MAX SIZE_MAX
#endif

/* An input length: short, about a chunk of the service's (256), or long. */
static size_t pick_len(size_t max)
{
    static const size_t lens[] = {0, 1, 3, 15, 16, 17, 32, 64, 255, 256, 257, 600, 1000};
    size_t n = draw(4) == 0 ? draw((uint32_t)max + 1u) : lens[draw(sizeof(lens) / sizeof(lens[0]))];
    return n > max ? max : n;
}

/* An output size: exact, one short, none, or plenty. */
static size_t pick_size(size_t exact, size_t max)
{
    size_t n;
    switch (draw(6)) {
    case 0:
        n = exact > 0u ? exact - 1u : 0u;
        break;
    case 1:
        n = 0;
        break;
    case 2:
        n = exact;
        break;
    default:
        n = max;
        break;
    }
    return n > max ? max : n;
}

/* ---- families --------------------------------------------------------------------------- */

static const psa_algorithm_t hash_algs[] = {PSA_ALG_SHA_256,
                                            PSA_ALG_SHA_1,
                                            PSA_ALG_SHA_512,
                                            PSA_ALG_SHA3_256,
                                            PSA_ALG_HMAC(PSA_ALG_SHA_256),
                                            0};

/* The call of a family's loop: mostly the next one of a proper use (`proper`, advanced by the
 * caller when it succeeds), else any. Errors then come at every stage, not only at the start. */
static uint32_t choose(uint32_t proper, uint32_t n)
{
    return draw(4) != 0u ? proper : draw(n);
}

static void hash_seq(void)
{
    psa_hash_operation_t op[2] = {PSA_HASH_OPERATION_INIT, PSA_HASH_OPERATION_INIT};
    uint8_t h[PSA_HASH_MAX_SIZE];
    size_t len = 0;
    const unsigned steps = 1u + draw(14);
    psa_algorithm_t alg = hash_algs[draw(6)];
    for (unsigned s = 0; s < steps; s++) {
        psa_hash_operation_t *o = &op[draw(4) == 0];
        switch (draw(8)) {
        case 0:
            alg = hash_algs[draw(6)];
            line("hash_setup", psa_hash_setup(o, alg), NULL, 0);
            break;
        case 1:
        case 2: {
            size_t n = pick_len(sizeof(data) - 64u); /* within data from any of the offsets */
            line("hash_update", psa_hash_update(o, data + draw(64), n), NULL, 0);
            break;
        }
        case 3: {
            size_t size = pick_size(PSA_HASH_LENGTH(alg), sizeof(h));
            psa_status_t st = psa_hash_finish(o, h, size, &len);
            line("hash_finish", st, h, len);
            break;
        }
        case 4: {
            size_t n = draw(3) == 0 ? 20u + draw(50) : PSA_HASH_LENGTH(alg);
            memcpy(h, data, sizeof(h));
            line("hash_verify", psa_hash_verify(o, h, n > sizeof(h) ? sizeof(h) : n), NULL, 0);
            break;
        }
        case 5:
            line("hash_clone", psa_hash_clone(&op[0], &op[1]), NULL, 0);
            break;
        case 6:
            line("hash_abort", psa_hash_abort(o), NULL, 0);
            break;
        default: {
            /* Compute the right value in one shot, then verify it on the operation. */
            size_t n = pick_len(sizeof(data));
            psa_status_t st = psa_hash_compute(alg, data, n, h, sizeof(h), &len);
            line("hash_compute", st, h, len);
            if (st == PSA_SUCCESS) {
                psa_hash_operation_t t = PSA_HASH_OPERATION_INIT;
                line("hash_setup", psa_hash_setup(&t, alg), NULL, 0);
                line("hash_update", psa_hash_update(&t, data, n), NULL, 0);
                line("hash_verify", psa_hash_verify(&t, h, len), NULL, 0);
                line("hash_abort", psa_hash_abort(&t), NULL, 0);
            }
            line("hash_compare", psa_hash_compare(alg, data, n, h, len), NULL, 0);
            break;
        }
        }
    }
    line("hash_abort", psa_hash_abort(&op[0]), NULL, 0);
    line("hash_abort", psa_hash_abort(&op[1]), NULL, 0);
}

static void mac_seq(void)
{
    static const psa_algorithm_t algs[] = {PSA_ALG_HMAC(PSA_ALG_SHA_256), PSA_ALG_CMAC,
                                           PSA_ALG_HMAC(PSA_ALG_SHA_1), PSA_ALG_SHA_256};
    psa_mac_operation_t op = PSA_MAC_OPERATION_INIT;
    uint8_t m[PSA_MAC_MAX_SIZE];
    size_t len = 0;
    const unsigned steps = 1u + draw(12);
    psa_algorithm_t alg = algs[0];
    static const uint32_t mac_order[] = {0, 2, 2, 3};
    uint32_t stage = 0;
    for (unsigned s = 0; s < steps; s++) {
        const uint32_t c = choose(mac_order[stage % 4u], 7);
        stage++;
        switch (c) {
        case 0:
        case 1: {
            alg = algs[draw(4)];
            const int sign = (int)draw(2);
            const psa_key_id_t k = pick_key(alg == PSA_ALG_CMAC ? K_AES : K_HMAC);
            line(sign ? "mac_sign_setup" : "mac_verify_setup",
                 sign ? psa_mac_sign_setup(&op, k, alg) : psa_mac_verify_setup(&op, k, alg), NULL,
                 0);
            break;
        }
        case 2:
            line("mac_update", psa_mac_update(&op, data, pick_len(sizeof(data))), NULL, 0);
            break;
        case 3: {
            psa_status_t st = psa_mac_sign_finish(&op, m, pick_size(32, sizeof(m)), &len);
            line("mac_sign_finish", st, m, len);
            break;
        }
        case 4: {
            size_t n = pick_len(sizeof(data));
            const psa_key_id_t k = pick_key(K_HMAC);
            psa_status_t st = psa_mac_compute(k, alg, data, n, m, sizeof(m), &len);
            line("mac_compute", st, m, len);
            if (draw(2)) {
                m[0] ^= 1u;
            }
            line("mac_verify_finish", psa_mac_verify_finish(&op, m, len), NULL, 0);
            line("mac_verify", psa_mac_verify(keys[K_HMAC], alg, data, n, m, len), NULL, 0);
            break;
        }
        case 5:
            line("mac_abort", psa_mac_abort(&op), NULL, 0);
            break;
        default:
            line("mac_verify_finish", psa_mac_verify_finish(&op, data, pick_len(70)), NULL, 0);
            break;
        }
    }
    line("mac_abort", psa_mac_abort(&op), NULL, 0);
}

static void cipher_seq(void)
{
    static const psa_algorithm_t algs[] = {PSA_ALG_CTR,           PSA_ALG_CBC_NO_PADDING,
                                           PSA_ALG_CBC_PKCS7,     PSA_ALG_ECB_NO_PADDING,
                                           PSA_ALG_STREAM_CIPHER, PSA_ALG_GCM};
    psa_cipher_operation_t op = PSA_CIPHER_OPERATION_INIT;
    size_t len = 0;
    const unsigned steps = 1u + draw(14);
    static const uint32_t cipher_order[] = {0, 2, 4, 4, 6};
    uint32_t stage = 0;
    for (unsigned s = 0; s < steps; s++) {
        const uint32_t c = choose(cipher_order[stage % 5u], 8);
        stage++;
        switch (c) {
        case 0:
        case 1: {
            psa_algorithm_t alg = algs[draw(6)];
            int key = alg == PSA_ALG_STREAM_CIPHER ? K_CHACHA : alg == PSA_ALG_GCM ? K_AEAD : K_AES;
            const int enc = (int)draw(2);
            const psa_key_id_t k = pick_key(key);
            line("cipher_setup",
                 enc ? psa_cipher_encrypt_setup(&op, k, alg)
                     : psa_cipher_decrypt_setup(&op, k, alg),
                 NULL, 0);
            break;
        }
        case 2: {
            size_t n = draw(4) == 0 ? draw(40) : draw(2) ? 16u : 12u;
            line("cipher_set_iv", psa_cipher_set_iv(&op, data + 100, n), NULL, 0);
            break;
        }
        case 3: {
            psa_status_t st = psa_cipher_generate_iv(&op, out, pick_size(16, 40), &len);
            if (st == PSA_SUCCESS) {
                random_out = 1;
            }
            line("cipher_generate_iv", st, out, len);
            break;
        }
        case 4:
        case 5: {
            size_t n = pick_len(sizeof(data));
            size_t size = pick_size(n, sizeof(out));
            psa_status_t st = psa_cipher_update(&op, data, n, out, size, &len);
            line("cipher_update", st, out, len);
            break;
        }
        case 6: {
            psa_status_t st = psa_cipher_finish(&op, out, pick_size(16, sizeof(out)), &len);
            line("cipher_finish", st, out, len);
            break;
        }
        default:
            line("cipher_abort", psa_cipher_abort(&op), NULL, 0);
            break;
        }
    }
    line("cipher_abort", psa_cipher_abort(&op), NULL, 0);
}

static void aead_seq(void)
{
    static const psa_algorithm_t algs[] = {PSA_ALG_GCM, PSA_ALG_CCM,
                                           PSA_ALG_AEAD_WITH_SHORTENED_TAG(PSA_ALG_CCM, 8),
                                           PSA_ALG_CHACHA20_POLY1305, PSA_ALG_CTR};
    psa_aead_operation_t op = PSA_AEAD_OPERATION_INIT;
    size_t len = 0, tag_len = 0;
    psa_algorithm_t alg = algs[draw(5)];
    const int key = alg == PSA_ALG_CHACHA20_POLY1305 ? K_CHACHA : K_AEAD;
    const size_t nonce_len = alg == PSA_ALG_GCM || alg == PSA_ALG_CHACHA20_POLY1305 ? 12u : 13u;
    /* A valid ciphertext and tag, made in one shot, for the decryptions. */
    const size_t ad_len = pick_len(300);
    size_t pt_len = pick_len(700);
    /* The service takes the additional data and ciphertext in one buffer, and a ciphertext no
     * longer than a tag short of it (what an encryption's output takes). */
    if (ad_len + pt_len + PSA_AEAD_TAG_MAX_SIZE > CRYPTO_DIFF_WHOLE_MAX) {
        pt_len = CRYPTO_DIFF_WHOLE_MAX - PSA_AEAD_TAG_MAX_SIZE - ad_len;
    }
    if (pt_len + 2u * PSA_AEAD_TAG_MAX_SIZE > CRYPTO_DIFF_WHOLE_MAX) {
        pt_len = CRYPTO_DIFF_WHOLE_MAX - 2u * PSA_AEAD_TAG_MAX_SIZE;
    }
    size_t ct_len = 0;
    psa_status_t st = psa_aead_encrypt(keys[key], alg, data + 500, nonce_len, data + 200, ad_len,
                                       data, pt_len, out2, sizeof(out2), &ct_len);
    char name[40];
    snprintf(name, sizeof(name), "aead_encrypt(%08x)", (unsigned)alg);
    line(name, st, out2, ct_len);
    const int decrypt = draw(2);
    const unsigned steps = 1u + draw(14);
    static const uint32_t aead_order[] = {0, 1, 2, 4, 5, 7};
    uint32_t stage = 0;
    for (unsigned s = 0; s < steps; s++) {
        uint32_t c = choose(aead_order[stage % 6u], 10);
        stage++;
        if (c == 7 && decrypt && draw(4) != 0u) {
            c = 8; /* a decryption ends with a verify */
        }
        switch (c) {
        case 0: {
            const psa_key_id_t k = pick_key(key);
            line("aead_setup",
                 decrypt ? psa_aead_decrypt_setup(&op, k, alg)
                         : psa_aead_encrypt_setup(&op, k, alg),
                 NULL, 0);
            break;
        }
        case 1: {
            const size_t a = draw(4) ? ad_len : draw(500);
            const size_t p = draw(4) ? pt_len : draw(900);
            line("aead_set_lengths", psa_aead_set_lengths(&op, a, p), NULL, 0);
            break;
        }
        case 2:
            line("aead_set_nonce",
                 psa_aead_set_nonce(&op, data + 500, draw(5) ? nonce_len : draw(30)), NULL, 0);
            break;
        case 3:
            st = psa_aead_generate_nonce(&op, tag, pick_size(nonce_len, 20), &len);
            if (st == PSA_SUCCESS) {
                random_out = 1;
            }
            line("aead_generate_nonce", st, tag, len);
            break;
        case 4:
            line("aead_update_ad", psa_aead_update_ad(&op, data + 200, draw(3) ? ad_len : 7), NULL,
                 0);
            break;
        case 5:
        case 6: {
            const uint8_t *in = decrypt ? out2 : data;
            size_t n = decrypt ? (ct_len > 16u ? ct_len - 16u : 0u) : pt_len;
            n = draw(4) == 0 ? pick_len(n) : n;
            const size_t size = pick_size(n + 16u, sizeof(out));
            st = psa_aead_update(&op, in, n, out, size, &len);
            line("aead_update", st, out, len);
            break;
        }
        case 7: {
            const size_t size = pick_size(16, 40), tag_size = pick_size(16, 20);
            st = psa_aead_finish(&op, out, size, &len, tag, tag_size, &tag_len);
            line("aead_finish", st, out, len);
            if (st == PSA_SUCCESS) {
                line("aead_finish_tag", st, tag, tag_len);
            }
            break;
        }
        case 8: {
            size_t tl = alg == PSA_ALG_AEAD_WITH_SHORTENED_TAG(PSA_ALG_CCM, 8) ? 8u : 16u;
            const uint8_t *t = ct_len >= tl ? out2 + ct_len - tl : out2;
            memcpy(tag, t, tl);
            if (draw(3) == 0) {
                tag[0] ^= 1u;
            }
            const size_t size = pick_size(16, 40), given = draw(6) ? tl : 17u;
            st = psa_aead_verify(&op, out, size, &len, tag, given);
            line("aead_verify", st, out, len);
            break;
        }
        default:
            line("aead_abort", psa_aead_abort(&op), NULL, 0);
            break;
        }
    }
    line("aead_abort", psa_aead_abort(&op), NULL, 0);
    const size_t given = draw(4) ? ct_len : ct_len / 2u, size = pick_size(pt_len, sizeof(out));
    st = psa_aead_decrypt(keys[key], alg, data + 500, nonce_len, data + 200, ad_len, out2, given,
                          out, size, &len);
    line("aead_decrypt", st, out, len);
}

static void kdf_seq(void)
{
    static const psa_algorithm_t algs[] = {
        PSA_ALG_HKDF(PSA_ALG_SHA_256),
        PSA_ALG_TLS12_PRF(PSA_ALG_SHA_256),
        PSA_ALG_PBKDF2_HMAC(PSA_ALG_SHA_256),
        PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, PSA_ALG_HKDF(PSA_ALG_SHA_256)),
        PSA_ALG_HKDF_EXTRACT(PSA_ALG_SHA_256),
        PSA_ALG_SHA_256};
    static const psa_key_derivation_step_t steps_of[] = {
        PSA_KEY_DERIVATION_INPUT_SECRET, PSA_KEY_DERIVATION_INPUT_SALT,
        PSA_KEY_DERIVATION_INPUT_INFO,   PSA_KEY_DERIVATION_INPUT_LABEL,
        PSA_KEY_DERIVATION_INPUT_SEED,   PSA_KEY_DERIVATION_INPUT_PASSWORD};
    psa_key_derivation_operation_t op = PSA_KEY_DERIVATION_OPERATION_INIT;
    uint8_t pub[65];
    size_t len = 0;
    psa_status_t st = psa_export_public_key(keys[K_ECC], pub, sizeof(pub), &len);
    line("export_public_key", st, pub, len);
    const unsigned steps = 1u + draw(14);
    /* The proper inputs of each algorithm, in order (a call index, then the step). */
    static const uint8_t order[][4][2] = {
        {{2, 1}, {4, 0}, {2, 2}, {7, 0}}, /* HKDF: salt, secret key, info */
        {{2, 4}, {2, 0}, {2, 3}, {7, 0}}, /* TLS 1.2 PRF: seed, secret, label */
        {{3, 0}, {2, 1}, {2, 5}, {7, 0}}, /* PBKDF2: cost, salt, password */
        {{2, 1}, {5, 0}, {2, 2}, {7, 0}}, /* ECDH + HKDF: salt, agreement, info */
        {{2, 1}, {2, 0}, {7, 0}, {7, 0}}, /* HKDF-Extract: salt, secret */
        {{0, 0}, {0, 0}, {0, 0}, {0, 0}}, /* not a derivation */
    };
    uint32_t which = draw(6), stage = 0;
    for (unsigned s = 0; s < steps; s++) {
        const uint8_t *next = order[which][stage < 4u ? stage : 3u];
        const uint32_t c = s == 0 ? 0u : choose(next[0], 10);
        const int proper = s != 0 && c == next[0];
        switch (c) {
        case 0:
        case 1:
            which = draw(6);
            stage = 0;
            line("kdf_setup", psa_key_derivation_setup(&op, algs[which]), NULL, 0);
            break;
        case 2: {
            const psa_key_derivation_step_t step = proper ? steps_of[next[1]] : steps_of[draw(6)];
            const size_t n = pick_len(300);
            line("kdf_input_bytes", psa_key_derivation_input_bytes(&op, step, data + 300, n), NULL,
                 0);
            break;
        }
        case 3:
            line("kdf_input_integer",
                 psa_key_derivation_input_integer(&op, PSA_KEY_DERIVATION_INPUT_COST, draw(3)),
                 NULL, 0);
            break;
        case 4: {
            const psa_key_derivation_step_t step = proper ? steps_of[next[1]] : steps_of[draw(3)];
            const psa_key_id_t k = pick_key(K_DERIVE);
            line("kdf_input_key", psa_key_derivation_input_key(&op, step, k), NULL, 0);
            break;
        }
        case 5: {
            const psa_key_id_t k = pick_key(K_ECC);
            const size_t n = draw(4) ? 65u : 64u;
            line("kdf_key_agreement",
                 psa_key_derivation_key_agreement(&op, PSA_KEY_DERIVATION_INPUT_SECRET, k, pub, n),
                 NULL, 0);
            break;
        }
        case 6: {
            size_t cap = 0;
            st = psa_key_derivation_get_capacity(&op, &cap);
            line("kdf_get_capacity", st, (const uint8_t *)&cap,
                 st == PSA_SUCCESS ? sizeof(cap) : 0);
            line("kdf_set_capacity",
                 psa_key_derivation_set_capacity(&op, draw(2) ? cap / 2u : cap + 1u + draw(9)),
                 NULL, 0);
            break;
        }
        case 7:
        case 8: {
            size_t n = draw(5) == 0 ? 900u + draw(9000) : pick_len(sizeof(out));
            if (n <= sizeof(out)) {
                st = psa_key_derivation_output_bytes(&op, out, n);
                line("kdf_output_bytes", st, out, n);
            } else {
                static uint8_t big[10000];
                st = psa_key_derivation_output_bytes(&op, big, n);
                line("kdf_output_bytes", st, big, n);
            }
            break;
        }
        default: {
            psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
            psa_set_key_type(&a, draw(2) ? PSA_KEY_TYPE_AES : PSA_KEY_TYPE_HMAC);
            psa_set_key_bits(&a, draw(4) ? 128u : 100u);
            psa_set_key_usage_flags(&a, PSA_KEY_USAGE_EXPORT);
            psa_key_id_t id = 0;
            st = psa_key_derivation_output_key(&a, &op, &id);
            line("kdf_output_key", st, NULL, 0);
            if (st == PSA_SUCCESS) {
                st = psa_export_key(id, out, sizeof(out), &len);
                line("export_key", st, out, len);
                line("destroy_key", psa_destroy_key(id), NULL, 0);
            }
            break;
        }
        }
        if (proper && last_status == PSA_SUCCESS) {
            stage++;
        }
    }
    line("kdf_abort", psa_key_derivation_abort(&op), NULL, 0);
}

static void one_shot_seq(void)
{
    uint8_t h[32], sig[PSA_SIGNATURE_MAX_SIZE];
    size_t len = 0, slen = 0;
    const unsigned steps = 1u + draw(6);
    for (unsigned s = 0; s < steps; s++) {
        switch (draw(5)) {
        case 0: {
            size_t n = pick_len(sizeof(data));
            psa_algorithm_t alg = draw(4) ? PSA_ALG_CBC_NO_PADDING : PSA_ALG_ECB_NO_PADDING;
            const psa_key_id_t k = pick_key(K_AES);
            const size_t size = pick_size(n, sizeof(out));
            psa_status_t st = psa_cipher_decrypt(k, alg, data, n, out, size, &len);
            line("cipher_decrypt", st, out, len);
            break;
        }
        case 1: {
            const size_t n = pick_len(600);
            psa_status_t st = psa_hash_compute(PSA_ALG_SHA_256, data, n, h, 32, &len);
            line("hash_compute", st, h, len);
            const psa_key_id_t k = pick_key(K_ECC);
            const size_t hn = draw(5) ? 32u : 31u, size = pick_size(64, sizeof(sig));
            st = psa_sign_hash(k, PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_256), h, hn, sig, size,
                               &slen);
            line("sign_hash", st, sig, slen);
            if (draw(3) == 0) {
                sig[draw(64)] ^= 4u;
            }
            line("verify_hash",
                 psa_verify_hash(keys[K_ECC], PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_256), h, 32,
                                 sig, slen),
                 NULL, 0);
            break;
        }
        case 2: {
            uint8_t pub[65];
            psa_status_t st = psa_export_public_key(keys[K_ECC], pub, sizeof(pub), &len);
            line("export_public_key", st, pub, len);
            const psa_key_id_t k = pick_key(K_ECC);
            const size_t n = draw(4) ? 65u : 33u, size = pick_size(32, sizeof(out));
            st = psa_raw_key_agreement(PSA_ALG_ECDH, k, pub, n, out, size, &len);
            line("raw_key_agreement", st, out, len);
            break;
        }
        case 3: {
            const psa_key_id_t k = pick_key(K_HMAC);
            const size_t size = pick_size(32, 64);
            psa_status_t st = psa_export_key(k, out, size, &len);
            line("export_key", st, out, len);
            break;
        }
        default: {
            size_t n = pick_len(sizeof(data));
            const psa_key_id_t k = pick_key(K_AES);
            const size_t size = pick_size(16, 32);
            psa_status_t st = psa_mac_compute(k, PSA_ALG_CMAC, data, n, out, size, &len);
            line("mac_compute", st, out, len);
            break;
        }
        }
    }
}

/* Interruptible ECDSA: slices of max_ops, the number of operations counted, a start on a live
 * operation, an abort half-way; and custom key production. */
static void interruptible_seq(void)
{
    static const uint32_t max_ops[] = {PSA_INTERRUPTIBLE_MAX_OPS_UNLIMITED, 0, 1, 20, 500, 3000};
    const psa_algorithm_t det = PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_256);
    const psa_algorithm_t alg = draw(5) == 0 ? PSA_ALG_ECDSA(PSA_ALG_SHA_256) : det;
    psa_sign_hash_interruptible_operation_t sop = PSA_SIGN_HASH_INTERRUPTIBLE_OPERATION_INIT;
    psa_verify_hash_interruptible_operation_t vop = PSA_VERIFY_HASH_INTERRUPTIBLE_OPERATION_INIT;
    uint8_t h[32], sig[PSA_SIGNATURE_MAX_SIZE];
    size_t len = 0, slen = 0;
    psa_interruptible_set_max_ops(max_ops[draw(6)]);
    uint32_t m = psa_interruptible_get_max_ops();
    line("get_max_ops", PSA_SUCCESS, (const uint8_t *)&m, sizeof(m));
    psa_status_t st = psa_hash_compute(PSA_ALG_SHA_256, data, pick_len(600), h, 32, &len);
    line("hash_compute", st, h, len);
    const psa_key_id_t k = pick_key(K_ECC);
    const size_t hn = draw(6) ? 32u : 31u;
    if (draw(4) == 0) {
        /* A complete on an object never started: Mbed TLS's error state, in which a start is
         * refused until an abort (or, without the abort, for the rest of the sequence). */
        st = psa_sign_hash_complete(&sop, sig, sizeof(sig), &slen);
        line("sign_hash_complete", st, sig, slen);
        line("sign_hash_start", psa_sign_hash_start(&sop, k, alg, h, hn), NULL, 0);
        uint32_t ops = psa_sign_hash_get_num_ops(&sop);
        line("sign_hash_num_ops", PSA_SUCCESS, (const uint8_t *)&ops, sizeof(ops));
        if (draw(2) == 0) {
            line("sign_hash_abort", psa_sign_hash_abort(&sop), NULL, 0);
        }
    }
    if (draw(4) == 0) {
        st = psa_verify_hash_complete(&vop);
        line("verify_hash_complete", st, NULL, 0);
        if (draw(2) == 0) {
            line("verify_hash_abort", psa_verify_hash_abort(&vop), NULL, 0);
        }
    }
    line("sign_hash_start", psa_sign_hash_start(&sop, k, alg, h, hn), NULL, 0);
    if (draw(6) == 0) {
        line("sign_hash_start", psa_sign_hash_start(&sop, k, alg, h, hn), NULL, 0);
    }
    if (alg != det) {
        random_out = 1;
    }
    const unsigned stop = draw(4) == 0 ? draw(5) : 400u;
    unsigned slices = 0;
    do {
        const size_t size = pick_size(64, sizeof(sig));
        st = psa_sign_hash_complete(&sop, sig, size, &slen);
        uint32_t ops = psa_sign_hash_get_num_ops(&sop);
        line("sign_hash_complete", st, sig, slen);
        line("sign_hash_num_ops", PSA_SUCCESS, (const uint8_t *)&ops, sizeof(ops));
    } while (st == PSA_OPERATION_INCOMPLETE && ++slices < stop);
    line("sign_hash_abort", psa_sign_hash_abort(&sop), NULL, 0);
    if (st != PSA_SUCCESS) {
        slen = 64;
        memset(sig, 1, slen);
    }
    if (draw(3) == 0) {
        sig[draw(64)] ^= 8u;
    }
    line("verify_hash_start", psa_verify_hash_start(&vop, pick_key(K_ECC), alg, h, 32, sig, slen),
         NULL, 0);
    slices = 0;
    do {
        st = psa_verify_hash_complete(&vop);
        uint32_t ops = psa_verify_hash_get_num_ops(&vop);
        line("verify_hash_complete", st, NULL, 0);
        line("verify_hash_num_ops", PSA_SUCCESS, (const uint8_t *)&ops, sizeof(ops));
    } while (st == PSA_OPERATION_INCOMPLETE && ++slices < stop);
    line("verify_hash_abort", psa_verify_hash_abort(&vop), NULL, 0);
    psa_interruptible_set_max_ops(PSA_INTERRUPTIBLE_MAX_OPS_UNLIMITED);

    /* Custom production: the default parameters, or flags no algorithm takes. */
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_AES);
    psa_set_key_bits(&a, 128);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_ENCRYPT);
    psa_set_key_algorithm(&a, PSA_ALG_CTR);
    const psa_custom_key_parameters_t custom = {.flags = draw(3) == 0 ? 1u : 0u};
    psa_key_id_t id = 0;
    const size_t dn = draw(3) == 0 ? 3u : 0u;
    st = psa_generate_key_custom(&a, &custom, data, dn, &id);
    line("generate_key_custom", st, NULL, 0);
    if (st == PSA_SUCCESS) {
        line("destroy_key", psa_destroy_key(id), NULL, 0);
    }
}

int crypto_diff_run(unsigned seed, unsigned count);
int crypto_diff_run(unsigned seed, unsigned count)
{
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 7u + 3u);
    }
    rng = 0x9E3779B97F4A7C15ull ^ seed;
    seq_no = 0;
    step_no = 0;
    line("crypto_init", psa_crypto_init(), NULL, 0);
    make_keys();
    for (seq_no = 1; seq_no <= count; seq_no++) {
        step_no = 0;
        random_out = 0;
        switch (draw(7)) {
        case 6:
            interruptible_seq();
            break;
        case 0:
            hash_seq();
            break;
        case 1:
            mac_seq();
            break;
        case 2:
            cipher_seq();
            break;
        case 3:
            aead_seq();
            break;
        case 4:
            kdf_seq();
            break;
        default:
            one_shot_seq();
            break;
        }
    }
    for (int k = 0; k < K_COUNT; k++) {
        line("destroy_key", psa_destroy_key(keys[k]), NULL, 0);
    }
    fflush(stdout);
    return 0;
}

/* ---- the two programs ------------------------------------------------------------------- */

static unsigned arg_seed, arg_count;

static int usage(void)
{
    fprintf(stderr, "usage: crypto_diff SEED COUNT DIR\n");
    return 2;
}

#ifdef CRYPTO_DIFF_SERVICE
#include "device_fixture.h"

static int run_in_device(void)
{
    return crypto_diff_run(arg_seed, arg_count);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        return usage();
    }
    arg_seed = (unsigned)strtoul(argv[1], NULL, 0);
    arg_count = (unsigned)strtoul(argv[2], NULL, 0);
    static const uint8_t huk[32] = {7};
    /* A provisioned device in DIR (its ITS holds nothing: every key here is volatile). */
    if (device_fixture_provision(argv[3], huk, 0x10000, 4096) != 0) {
        fprintf(stderr, "crypto_diff: cannot provision %s\n", argv[3]);
        return 2;
    }
    fflush(stdout);
    return device_fixture_boot(argv[3], run_in_device) == 0 ? 0 : 1;
}
#else
#include <sys/random.h>
#include <unistd.h>

/* Mbed TLS's entropy source (MBEDTLS_ENTROPY_HARDWARE_ALT, as in the service). */
int mbedtls_hardware_poll(void *ctx, unsigned char *output, size_t len, size_t *olen);
int mbedtls_hardware_poll(void *ctx, unsigned char *output, size_t len, size_t *olen)
{
    (void)ctx;
    ssize_t n = getrandom(output, len, 0);
    *olen = n > 0 ? (size_t)n : 0u;
    return n == (ssize_t)len ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        return usage();
    }
    arg_seed = (unsigned)strtoul(argv[1], NULL, 0);
    arg_count = (unsigned)strtoul(argv[2], NULL, 0);
    if (chdir(argv[3]) != 0) { /* Mbed TLS's own ITS files, if any */
        perror(argv[3]);
        return 2;
    }
    return crypto_diff_run(arg_seed, arg_count);
}
#endif
