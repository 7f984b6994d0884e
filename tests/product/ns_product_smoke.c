/*
 * ns_product_smoke.c: the product profile's SM image (ITS, crypto, attestation) from the
 * non-secure world, in one boot: each service answers, every kind of algorithm the profile keeps
 * works with a known answer or a round trip, and algorithms it leaves out answer
 * PSA_ERROR_NOT_SUPPORTED (docs/design/footprint.md), and the limit of the service's buffers.
 * Prints "product_smoke: P passed, F failed" and powers off with status 0 when nothing failed. A
 * failed check prints "FAIL".
 *
 * It also exercises the partitions' heaviest paths (P-256 key generation, signatures, key
 * agreement, GCM, CCM, HKDF, ITS writes that make it reclaim sectors), so
 * tests/product/stack_peaks.sh measures the stacks
 * over it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "psa/crypto.h"
#include "psa/initial_attestation.h"
#include "psa/internal_trusted_storage.h"
#include "smak.h"

#include "../qemu/ns_check.h"

static psa_key_id_t import(psa_key_type_t type, psa_key_usage_t usage, psa_algorithm_t alg,
                           const uint8_t *key, size_t n)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, type);
    psa_set_key_usage_flags(&a, usage);
    psa_set_key_algorithm(&a, alg);
    psa_key_id_t id = 0;
    CHECK(psa_import_key(&a, key, n, &id) == PSA_SUCCESS);
    return id;
}

static psa_key_id_t generate_p256(psa_key_usage_t usage, psa_algorithm_t alg)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, usage);
    psa_set_key_algorithm(&a, alg);
    psa_key_id_t id = 0;
    CHECK(psa_generate_key(&a, &id) == PSA_SUCCESS);
    return id;
}

static void its(void)
{
    static const char secret[] = "product profile";
    char back[sizeof(secret)] = {0};
    size_t n = 0;
    CHECK(psa_its_set(0x5050, sizeof(secret), secret, PSA_STORAGE_FLAG_NONE) == PSA_SUCCESS);
    CHECK(psa_its_get(0x5050, 0, sizeof(back), back, &n) == PSA_SUCCESS);
    CHECK(n == sizeof(secret) && memcmp(back, secret, n) == 0);
    CHECK(psa_its_remove(0x5050) == PSA_SUCCESS);
    CHECK(psa_its_get(0x5050, 0, sizeof(back), back, &n) == PSA_ERROR_DOES_NOT_EXIST);
}

/* One 4 KiB asset rewritten sixteen times: 64 KiB of records through an area of a few 8 KiB
 * sectors, so ITS reclaims sectors (its deepest path, measured by stack_peaks.sh); the last
 * value is what reads back. */
static void its_churn(void)
{
    static uint8_t big[4096], back[4096];
    size_t n = 0;
    for (unsigned i = 0; i < 16u; i++) {
        memset(big, (int)(0x30u + i), sizeof(big));
        big[i] = 0xff;
        CHECK(psa_its_set(0x5051, sizeof(big), big, PSA_STORAGE_FLAG_NONE) == PSA_SUCCESS);
    }
    CHECK(psa_its_get(0x5051, 0, sizeof(back), back, &n) == PSA_SUCCESS);
    CHECK(n == sizeof(big) && memcmp(back, big, n) == 0);
    CHECK(psa_its_remove(0x5051) == PSA_SUCCESS);
}

static void hash_mac_kdf(void)
{
    /* FIPS 180-2 "abc"; RFC 4231 test case 2; RFC 5869 test case 1. */
    static const uint8_t abc_sha256[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
                                           0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                           0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
                                           0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    static const uint8_t jefe_mac[32] = {0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e,
                                         0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
                                         0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83,
                                         0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};
    static const uint8_t okm_want[42] = {
        0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a, 0x90, 0x43, 0x4f, 0x64, 0xd0, 0x36,
        0x2f, 0x2a, 0x2d, 0x2d, 0x0a, 0x90, 0xcf, 0x1a, 0x5a, 0x4c, 0x5d, 0xb0, 0x2d, 0x56,
        0xec, 0xc4, 0xc5, 0xbf, 0x34, 0x00, 0x72, 0x08, 0xd5, 0xb8, 0x87, 0x18, 0x58, 0x65};
    uint8_t out[64];
    size_t n = 0;
    CHECK(psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)"abc", 3, out, sizeof(out), &n) ==
          PSA_SUCCESS);
    CHECK(n == 32 && memcmp(out, abc_sha256, 32) == 0);

    psa_key_id_t k = import(PSA_KEY_TYPE_HMAC, PSA_KEY_USAGE_SIGN_MESSAGE,
                            PSA_ALG_HMAC(PSA_ALG_SHA_256), (const uint8_t *)"Jefe", 4);
    static const char data[] = "what do ya want for nothing?";
    CHECK(psa_mac_compute(k, PSA_ALG_HMAC(PSA_ALG_SHA_256), (const uint8_t *)data, sizeof(data) - 1,
                          out, sizeof(out), &n) == PSA_SUCCESS);
    CHECK(n == 32 && memcmp(out, jefe_mac, 32) == 0);
    CHECK(psa_destroy_key(k) == PSA_SUCCESS);

    uint8_t ikm[22], salt[13], info[10], okm[42];
    memset(ikm, 0x0b, sizeof(ikm));
    for (unsigned i = 0; i < sizeof(salt); i++) {
        salt[i] = (uint8_t)i;
    }
    for (unsigned i = 0; i < sizeof(info); i++) {
        info[i] = (uint8_t)(0xf0 + i);
    }
    psa_key_derivation_operation_t op = PSA_KEY_DERIVATION_OPERATION_INIT;
    CHECK(psa_key_derivation_setup(&op, PSA_ALG_HKDF(PSA_ALG_SHA_256)) == PSA_SUCCESS);
    CHECK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SALT, salt, sizeof(salt)) ==
          PSA_SUCCESS);
    CHECK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ikm, sizeof(ikm)) ==
          PSA_SUCCESS);
    CHECK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO, info, sizeof(info)) ==
          PSA_SUCCESS);
    CHECK(psa_key_derivation_output_bytes(&op, okm, sizeof(okm)) == PSA_SUCCESS);
    CHECK(memcmp(okm, okm_want, sizeof(okm)) == 0);
    CHECK(psa_key_derivation_abort(&op) == PSA_SUCCESS);
}

/* An AEAD round trip, and a flipped tag bit refused. */
static void aead(psa_algorithm_t alg)
{
    uint8_t key[16], nonce[12], msg[40], ct[40 + 16], back[40];
    size_t n = 0, m = 0;
    CHECK(psa_generate_random(key, sizeof(key)) == PSA_SUCCESS);
    memset(nonce, 0x24, sizeof(nonce));
    memset(msg, 0x5a, sizeof(msg));
    psa_key_id_t k = import(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT, alg,
                            key, sizeof(key));
    CHECK(psa_aead_encrypt(k, alg, nonce, sizeof(nonce), NULL, 0, msg, sizeof(msg), ct, sizeof(ct),
                           &n) == PSA_SUCCESS);
    CHECK(n == sizeof(ct));
    CHECK(psa_aead_decrypt(k, alg, nonce, sizeof(nonce), NULL, 0, ct, n, back, sizeof(back), &m) ==
          PSA_SUCCESS);
    CHECK(m == sizeof(msg) && memcmp(back, msg, m) == 0);
    ct[n - 1] ^= 1;
    CHECK(psa_aead_decrypt(k, alg, nonce, sizeof(nonce), NULL, 0, ct, n, back, sizeof(back), &m) ==
          PSA_ERROR_INVALID_SIGNATURE);
    CHECK(psa_destroy_key(k) == PSA_SUCCESS);
}

/* The service's buffers are the profile's (config/mbedtls/product/crypto_io.h, CRYPTO_IO_SIZE):
 * a one-shot decryption whose ciphertext fits them works, one a byte over gets
 * PSA_ERROR_INSUFFICIENT_MEMORY (documented), and the multipart form decrypts it. Encryption
 * streams, so it works at either size. */
static void aead_whole_limit(void)
{
    static uint8_t msg[CRYPTO_IO_SIZE], ct[CRYPTO_IO_SIZE + 16], back[CRYPTO_IO_SIZE];
    uint8_t key[16], nonce[12];
    size_t n = 0, m = 0, t = 0;
    CHECK(psa_generate_random(key, sizeof(key)) == PSA_SUCCESS);
    memset(nonce, 0x42, sizeof(nonce));
    for (size_t i = 0; i < sizeof(msg); i++) {
        msg[i] = (uint8_t)(i * 13u);
    }
    psa_key_id_t k = import(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT,
                            PSA_ALG_GCM, key, sizeof(key));
    const size_t fits = CRYPTO_IO_SIZE - 2u * 16u; /* ciphertext and tag a tag short of it */
    for (size_t len = fits; len <= fits + 1u; len++) {
        CHECK(psa_aead_encrypt(k, PSA_ALG_GCM, nonce, sizeof(nonce), NULL, 0, msg, len, ct,
                               sizeof(ct), &n) == PSA_SUCCESS);
        CHECK(n == len + 16u);
        memset(back, 0, sizeof(back));
        psa_status_t st = psa_aead_decrypt(k, PSA_ALG_GCM, nonce, sizeof(nonce), NULL, 0, ct, n,
                                           back, sizeof(back), &m);
        if (len == fits) {
            CHECK(st == PSA_SUCCESS && m == len && memcmp(back, msg, len) == 0);
        } else {
            CHECK(st == PSA_ERROR_INSUFFICIENT_MEMORY);
        }
    }
    psa_aead_operation_t op = PSA_AEAD_OPERATION_INIT;
    CHECK(psa_aead_decrypt_setup(&op, k, PSA_ALG_GCM) == PSA_SUCCESS);
    CHECK(psa_aead_set_nonce(&op, nonce, sizeof(nonce)) == PSA_SUCCESS);
    CHECK(psa_aead_update(&op, ct, n - 16u, back, sizeof(back), &m) == PSA_SUCCESS);
    CHECK(psa_aead_verify(&op, back + m, sizeof(back) - m, &t, ct + n - 16u, 16) == PSA_SUCCESS);
    CHECK(m + t == fits + 1u && memcmp(back, msg, fits + 1u) == 0);
    CHECK(psa_destroy_key(k) == PSA_SUCCESS);
}

static void cipher(psa_algorithm_t alg)
{
    uint8_t key[32], msg[32], ct[16 + 48], back[48];
    size_t n = 0, m = 0;
    CHECK(psa_generate_random(key, sizeof(key)) == PSA_SUCCESS);
    memset(msg, 0xa5, sizeof(msg));
    psa_key_id_t k = import(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT, alg,
                            key, sizeof(key));
    CHECK(psa_cipher_encrypt(k, alg, msg, sizeof(msg), ct, sizeof(ct), &n) == PSA_SUCCESS);
    CHECK(psa_cipher_decrypt(k, alg, ct, n, back, sizeof(back), &m) == PSA_SUCCESS);
    CHECK(m == sizeof(msg) && memcmp(back, msg, m) == 0);
    CHECK(psa_destroy_key(k) == PSA_SUCCESS);
}

static void p256(void)
{
    const psa_algorithm_t alg = PSA_ALG_ECDSA(PSA_ALG_SHA_256);
    uint8_t hash[32], sig[64], pub[2][65], secret[2][32];
    size_t n = 0, m = 0;
    memset(hash, 0x11, sizeof(hash));
    psa_key_id_t k = generate_p256(PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH, alg);
    CHECK(psa_sign_hash(k, alg, hash, sizeof(hash), sig, sizeof(sig), &n) == PSA_SUCCESS);
    CHECK(n == 64);
    CHECK(psa_verify_hash(k, alg, hash, sizeof(hash), sig, n) == PSA_SUCCESS);
    sig[10] ^= 4;
    CHECK(psa_verify_hash(k, alg, hash, sizeof(hash), sig, n) == PSA_ERROR_INVALID_SIGNATURE);
    CHECK(psa_sign_message(k, alg, (const uint8_t *)"abc", 3, sig, sizeof(sig), &n) == PSA_SUCCESS);
    CHECK(psa_verify_message(k, alg, (const uint8_t *)"abc", 3, sig, n) == PSA_SUCCESS);
    CHECK(psa_destroy_key(k) == PSA_SUCCESS);

    psa_key_id_t e[2];
    for (int i = 0; i < 2; i++) {
        e[i] = generate_p256(PSA_KEY_USAGE_DERIVE, PSA_ALG_ECDH);
        CHECK(psa_export_public_key(e[i], pub[i], sizeof(pub[i]), &n) == PSA_SUCCESS);
        CHECK(n == 65);
    }
    CHECK(psa_raw_key_agreement(PSA_ALG_ECDH, e[0], pub[1], 65, secret[0], 32, &n) == PSA_SUCCESS);
    CHECK(psa_raw_key_agreement(PSA_ALG_ECDH, e[1], pub[0], 65, secret[1], 32, &m) == PSA_SUCCESS);
    CHECK(n == 32 && m == 32 && memcmp(secret[0], secret[1], 32) == 0);
    for (int i = 0; i < 2; i++) {
        CHECK(psa_destroy_key(e[i]) == PSA_SUCCESS);
    }
}

/* What the profile leaves out answers NOT_SUPPORTED (Mbed TLS's answer for an algorithm or key
 * type it is not configured with). */
static void left_out(void)
{
    uint8_t out[64], key[32] = {1};
    size_t n = 0;
    CHECK(psa_hash_compute(PSA_ALG_SHA_512, out, 3, out, sizeof(out), &n) ==
          PSA_ERROR_NOT_SUPPORTED);
    CHECK(psa_hash_compute(PSA_ALG_SHA_384, out, 3, out, sizeof(out), &n) ==
          PSA_ERROR_NOT_SUPPORTED);
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 384);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_HASH);
    psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    psa_key_id_t id = 0;
    CHECK(psa_generate_key(&a, &id) == PSA_ERROR_NOT_SUPPORTED);
    psa_set_key_type(&a, PSA_KEY_TYPE_RSA_KEY_PAIR);
    psa_set_key_bits(&a, 1024);
    psa_set_key_algorithm(&a, PSA_ALG_RSA_PKCS1V15_SIGN(PSA_ALG_SHA_256));
    CHECK(psa_generate_key(&a, &id) == PSA_ERROR_NOT_SUPPORTED);
    psa_reset_key_attributes(&a);
    psa_set_key_type(&a, PSA_KEY_TYPE_CHACHA20);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_ENCRYPT);
    psa_set_key_algorithm(&a, PSA_ALG_CHACHA20_POLY1305);
    CHECK(psa_import_key(&a, key, sizeof(key), &id) == PSA_ERROR_NOT_SUPPORTED);
}

static void attestation(void)
{
    static uint8_t token[1024];
    uint8_t challenge[32];
    size_t size = 0, n = 0;
    memset(challenge, 0xc3, sizeof(challenge));
    CHECK(psa_initial_attest_get_token_size(sizeof(challenge), &size) == PSA_SUCCESS);
    CHECK(size > 0 && size <= sizeof(token));
    CHECK(psa_initial_attest_get_token(challenge, sizeof(challenge), token, sizeof(token), &n) ==
          PSA_SUCCESS);
    CHECK(n > 0 && n <= size);
}

int main(void)
{
    its();
    its_churn();
    hash_mac_kdf();
    aead(PSA_ALG_GCM);
    aead(PSA_ALG_CCM);
    aead_whole_limit();
    cipher(PSA_ALG_CTR);
    cipher(PSA_ALG_CBC_PKCS7);
    p256();
    left_out();
    attestation();
    smak_printf("product_smoke: %u passed, %u failed\n", passed, failed);
    smak_power_off(failed == 0 ? 0 : 1);
}
