/*
 * crypto_suite.c: see crypto_suite.h. The crypto service through psa/crypto.h, group by group:
 * known-answer tests of every algorithm family (published vectors, below with their sources),
 * key management and policies, multipart against one-shot, clone, abort, calls in the wrong
 * state, buffers too small, data larger than the service's buffers, the operation table's
 * limits, and the isolation of two clients (this program and the TEST_CLIENT partition).
 *
 * Every check states the exact outcome: the status Mbed TLS 3.6 and the service give, and the
 * exact bytes. A failed step does not stop its group: later checks fail too, and say where.
 */
#include "crypto_suite.h"

#include <stdint.h>
#include <string.h>

#include "psa/crypto.h"
#include "test_services.h"
#ifndef CRYPTO_SUITE_DIRECT
#include "psa/client.h"
#include "psa_manifest/sid.h"
#endif

/* ---- checks ------------------------------------------------------------------------------ */

static struct crypto_suite_result *result;
static crypto_suite_report_fn reporter;
static const char *group = "";
static char note[48];

static void count(int ok, const char *what, int line)
{
    if (ok) {
        result->passed++;
        return;
    }
    result->failed++;
    if (reporter != NULL) {
        reporter(what, line);
    }
}

static size_t put(size_t at, const char *s)
{
    while (*s != '\0' && at + 1u < sizeof(note)) {
        note[at++] = *s++;
    }
    note[at] = '\0';
    return at;
}

static void check_status(psa_status_t got, psa_status_t want, int line)
{
    if (got == want) {
        count(1, group, line);
        return;
    }
    char num[12];
    size_t i = sizeof(num);
    uint32_t v = got < 0 ? (uint32_t)0 - (uint32_t)got : (uint32_t)got;
    num[--i] = '\0';
    do {
        num[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    if (got < 0) {
        num[--i] = '-';
    }
    put(put(put(0, group), ": status "), num + i);
    count(0, note, line);
}

#define CHECK(cond)          count((cond) ? 1 : 0, group, __LINE__)
#define CHECK_ST(expr, want) check_status((expr), (want), __LINE__)
#define CHECK_OK(expr)       check_status((expr), PSA_SUCCESS, __LINE__)

/* ---- helpers ----------------------------------------------------------------------------- */

/* The build's PSA_WANT_* as values (1: there), for has() and the checks. */
#if defined(PSA_WANT_ALG_SHA_1)
#define SUITE_WANT_SHA_1 1
#else
#define SUITE_WANT_SHA_1 0
#endif
#if defined(PSA_WANT_ALG_SHA_384)
#define SUITE_WANT_SHA_384 1
#else
#define SUITE_WANT_SHA_384 0
#endif
#if defined(PSA_WANT_ALG_SHA_512)
#define SUITE_WANT_SHA_512 1
#else
#define SUITE_WANT_SHA_512 0
#endif
#if defined(PSA_WANT_ALG_SHA3_256)
#define SUITE_WANT_SHA3_256 1
#else
#define SUITE_WANT_SHA3_256 0
#endif
#if defined(PSA_WANT_ALG_MD5)
#define SUITE_WANT_MD5 1
#else
#define SUITE_WANT_MD5 0
#endif
#if defined(PSA_WANT_ALG_RIPEMD160)
#define SUITE_WANT_RIPEMD160 1
#else
#define SUITE_WANT_RIPEMD160 0
#endif
#if defined(PSA_WANT_ALG_CMAC)
#define SUITE_WANT_CMAC 1
#else
#define SUITE_WANT_CMAC 0
#endif
#if defined(PSA_WANT_ALG_STREAM_CIPHER) && defined(PSA_WANT_KEY_TYPE_CHACHA20)
#define SUITE_WANT_STREAM_CIPHER 1
#else
#define SUITE_WANT_STREAM_CIPHER 0
#endif
#if defined(PSA_WANT_ALG_CHACHA20_POLY1305)
#define SUITE_WANT_CHACHA20_POLY1305 1
#else
#define SUITE_WANT_CHACHA20_POLY1305 0
#endif
#if defined(PSA_WANT_ALG_PBKDF2_HMAC)
#define SUITE_WANT_PBKDF2_HMAC 1
#else
#define SUITE_WANT_PBKDF2_HMAC 0
#endif
#if defined(PSA_WANT_ALG_TLS12_PRF)
#define SUITE_WANT_TLS12_PRF 1
#else
#define SUITE_WANT_TLS12_PRF 0
#endif
#if defined(PSA_WANT_ALG_FFDH)
#define SUITE_WANT_FFDH 1
#else
#define SUITE_WANT_FFDH 0
#endif
#if defined(PSA_WANT_ALG_RSA_PKCS1V15_SIGN) && defined(PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_BASIC)
#define SUITE_WANT_RSA 1
#else
#define SUITE_WANT_RSA 0
#endif
#if defined(PSA_WANT_ECC_MONTGOMERY_255)
#define SUITE_WANT_X25519 1
#else
#define SUITE_WANT_X25519 0
#endif
#if defined(PSA_WANT_ALG_DETERMINISTIC_ECDSA)
#define SUITE_WANT_DETERMINISTIC_ECDSA_BASE 1
#else
#define SUITE_WANT_DETERMINISTIC_ECDSA_BASE 0
#endif

/* What this build's service has. The full profile has every algorithm and key type the suite
 * uses; the product profile (config/mbedtls/product/psa_want.h) fewer, and the client headers
 * carry the build's PSA_WANT_* (sm_crypto_client_headers, cmake/mbedtls.cmake). A check of
 * something the build leaves out expects what Mbed TLS configured the same way answers,
 * PSA_ERROR_NOT_SUPPORTED, at the first call, and skips what depends on it (UNLESS_HAS). */
static int has(psa_algorithm_t alg)
{
    switch (alg) {
#define SUITE_WANT(a)                                                                              \
    case PSA_ALG_##a:                                                                              \
        return SUITE_WANT_##a;
        SUITE_WANT(SHA_1)
        SUITE_WANT(SHA_384)
        SUITE_WANT(SHA_512)
        SUITE_WANT(SHA3_256)
        SUITE_WANT(MD5)
        SUITE_WANT(RIPEMD160)
        SUITE_WANT(CMAC)
        SUITE_WANT(STREAM_CIPHER)
        SUITE_WANT(CHACHA20_POLY1305)
        SUITE_WANT(FFDH)
#undef SUITE_WANT
    default:
        break;
    }
    if (PSA_ALG_IS_PBKDF2_HMAC(alg)) {
        return SUITE_WANT_PBKDF2_HMAC;
    }
    if (PSA_ALG_IS_TLS12_PRF(alg)) {
        return SUITE_WANT_TLS12_PRF;
    }
    if (PSA_ALG_IS_RSA_PKCS1V15_SIGN(alg) || PSA_ALG_IS_RSA_PSS(alg) || PSA_ALG_IS_RSA_OAEP(alg) ||
        alg == PSA_ALG_RSA_PKCS1V15_CRYPT) {
        return SUITE_WANT_RSA;
    }
    if (PSA_ALG_IS_DETERMINISTIC_ECDSA(alg)) {
        return SUITE_WANT_DETERMINISTIC_ECDSA_BASE;
    }
    const psa_algorithm_t h = PSA_ALG_GET_HASH(alg);
    if (!PSA_ALG_IS_HASH(alg) && h != PSA_ALG_NONE && h != PSA_ALG_ANY_HASH) {
        return has(h); /* HMAC, HKDF, a signature: as its hash */
    }
    return 1; /* the rest the suite uses both profiles have */
}

/* `if`: the build has ALG; else FIRST (the first call that names it) must be refused with
 * PSA_ERROR_NOT_SUPPORTED. Used as UNLESS_HAS(alg, call) { what needs alg }. */
#define UNLESS_HAS(alg, first)                                                                     \
    if (!has(alg)) {                                                                               \
        CHECK_ST((first), PSA_ERROR_NOT_SUPPORTED);                                                \
    } else

static int same(const void *a, const void *b, size_t n)
{
    return memcmp(a, b, n) == 0;
}

static int all(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != v) {
            return 0;
        }
    }
    return 1;
}

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed * 131u + i * 7u + (i >> 8));
    }
}

static const uint8_t abc[3] = {'a', 'b', 'c'};
#define CANARY 0xE7u

/* An output buffer after a call that failed: the service writes nothing to it (the client
 * sees no partial result). The PSA Crypto API leaves its contents unspecified, and Mbed TLS
 * on its own wipes some (a MAC's, a signature's): not checked against it. */
static int untouched(const uint8_t *p, size_t n)
{
#ifdef CRYPTO_SUITE_DIRECT
    (void)p, (void)n;
    return 1;
#else
    return all(p, n, CANARY);
#endif
}

/* The length a failed call reports: 0 from the service (unspecified by the API). */
static int no_length(size_t n)
{
#ifdef CRYPTO_SUITE_DIRECT
    (void)n;
    return 1;
#else
    return n == 0u;
#endif
}

/* What the service holds whole at most (an AEAD decryption's input, a message to sign, key
 * data): its buffers' size, 2432 bytes in the full profile; the product profile's is given by
 * its crypto_io.h (included by the build, tests/product/CMakeLists.txt). */
#ifdef CRYPTO_IO_SIZE
#define WHOLE_MAX   ((size_t)(CRYPTO_IO_SIZE))
/* The product profile's P-256 is p256-m as Mbed TLS's driver, which answers key data of another
 * size than its one curve's as a size it does not support (PSA_ERROR_NOT_SUPPORTED) where Mbed
 * TLS's ECP module answers PSA_ERROR_INVALID_ARGUMENT: the PSA Crypto API allows either. */
#define SUITE_P256M 1
#else
#define WHOLE_MAX   ((size_t)2432u)
#define SUITE_P256M 0
#endif

/* Data larger than the service's buffers, and room for what it becomes. */
#define BIG 4096u
static uint8_t big_in[BIG], big_out[BIG + 64u], big_ref[BIG + 64u];

/* A volatile key imported with the status `want` (0 unless it is PSA_SUCCESS; a status other
 * than `want` is reported at the caller's line). */
static psa_key_id_t import_expect(int line, psa_status_t want, psa_key_type_t type,
                                  psa_key_usage_t usage, psa_algorithm_t alg, const uint8_t *data,
                                  size_t n)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t id = PSA_KEY_ID_NULL;
    psa_set_key_type(&a, type);
    psa_set_key_usage_flags(&a, usage);
    psa_set_key_algorithm(&a, alg);
    check_status(psa_import_key(&a, data, n, &id), want, line);
    return want == PSA_SUCCESS ? id : PSA_KEY_ID_NULL;
}
/* A volatile key (0 if the import failed, which is reported at the caller's line). */
#define IMPORT(type, usage, alg, data, n)                                                          \
    import_expect(__LINE__, PSA_SUCCESS, (type), (usage), (alg), (data), (n))
/* As IMPORT where the build has `have`; else the import must be refused with
 * PSA_ERROR_NOT_SUPPORTED, and the key is 0. */
#define IMPORT_IF(have, type, usage, alg, data, n)                                                 \
    import_expect(__LINE__, (have) ? PSA_SUCCESS : PSA_ERROR_NOT_SUPPORTED, (type), (usage),       \
                  (alg), (data), (n))

static psa_status_t import_with(psa_key_type_t type, size_t bits, psa_key_usage_t usage,
                                psa_algorithm_t alg, psa_key_id_t persistent_id,
                                const uint8_t *data, size_t n, psa_key_id_t *id)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, type);
    psa_set_key_bits(&a, bits);
    psa_set_key_usage_flags(&a, usage);
    psa_set_key_algorithm(&a, alg);
    if (persistent_id != PSA_KEY_ID_NULL) {
        psa_set_key_id(&a, persistent_id);
    }
    return psa_import_key(&a, data, n, id);
}

/* ---- the second client: the TEST_CLIENT partition (CLIENT_CRYPTO) ----------------------- */

static psa_status_t part(uint32_t op, uint32_t key, uint32_t n, const void *in, size_t in_len,
                         void *out, size_t out_size, size_t *out_len)
{
#ifdef CRYPTO_SUITE_DIRECT
    /* Mbed TLS on its own has no second client: the groups that need one are left out. */
    (void)op, (void)key, (void)n, (void)in, (void)in_len, (void)out, (void)out_size;
    if (out_len != NULL) {
        *out_len = 0;
    }
    return PSA_ERROR_NOT_SUPPORTED;
#else
    struct client_crypto c = {op, key, n};
    psa_invec iv[2] = {{&c, sizeof(c)}, {in, in_len}};
    psa_outvec ov[1] = {{out, out_size}};
    psa_status_t status = psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_CRYPTO, iv, 2, ov, 1);
    if (out_len != NULL) {
        *out_len = ov[0].len;
    }
    return status;
#endif
}

static psa_status_t part_key(uint32_t op, psa_key_id_t key)
{
    return part(op, key, 0, NULL, 0, NULL, 0, NULL);
}

/* ---- vectors (each checked against an independent implementation) --------------------- */

/* Hashes of "abc": FIPS 180-4 examples (SHA-1, SHA-2), FIPS 202 examples (SHA3-256), RFC 1321
 * A.5 (MD5), the RIPEMD-160 authors' page; SHA-256 of the 448-bit message and of the empty
 * message: FIPS 180-4 examples. */
static const uint8_t abc_sha1[20] = {
    0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
    0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d,
};

static const uint8_t abc_sha224[28] = {
    0x23, 0x09, 0x7d, 0x22, 0x34, 0x05, 0xd8, 0x22, 0x86, 0x42, 0xa4, 0x77, 0xbd, 0xa2,
    0x55, 0xb3, 0x2a, 0xad, 0xbc, 0xe4, 0xbd, 0xa0, 0xb3, 0xf7, 0xe3, 0x6c, 0x9d, 0xa7,
};

static const uint8_t abc_sha256[32] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};

static const uint8_t abc_sha384[48] = {
    0xcb, 0x00, 0x75, 0x3f, 0x45, 0xa3, 0x5e, 0x8b, 0xb5, 0xa0, 0x3d, 0x69, 0x9a, 0xc6, 0x50, 0x07,
    0x27, 0x2c, 0x32, 0xab, 0x0e, 0xde, 0xd1, 0x63, 0x1a, 0x8b, 0x60, 0x5a, 0x43, 0xff, 0x5b, 0xed,
    0x80, 0x86, 0x07, 0x2b, 0xa1, 0xe7, 0xcc, 0x23, 0x58, 0xba, 0xec, 0xa1, 0x34, 0xc8, 0x25, 0xa7,
};

static const uint8_t abc_sha512[64] = {
    0xdd, 0xaf, 0x35, 0xa1, 0x93, 0x61, 0x7a, 0xba, 0xcc, 0x41, 0x73, 0x49, 0xae, 0x20, 0x41, 0x31,
    0x12, 0xe6, 0xfa, 0x4e, 0x89, 0xa9, 0x7e, 0xa2, 0x0a, 0x9e, 0xee, 0xe6, 0x4b, 0x55, 0xd3, 0x9a,
    0x21, 0x92, 0x99, 0x2a, 0x27, 0x4f, 0xc1, 0xa8, 0x36, 0xba, 0x3c, 0x23, 0xa3, 0xfe, 0xeb, 0xbd,
    0x45, 0x4d, 0x44, 0x23, 0x64, 0x3c, 0xe8, 0x0e, 0x2a, 0x9a, 0xc9, 0x4f, 0xa5, 0x4c, 0xa4, 0x9f,
};

static const uint8_t abc_sha3_256[32] = {
    0x3a, 0x98, 0x5d, 0xa7, 0x4f, 0xe2, 0x25, 0xb2, 0x04, 0x5c, 0x17, 0x2d, 0x6b, 0xd3, 0x90, 0xbd,
    0x85, 0x5f, 0x08, 0x6e, 0x3e, 0x9d, 0x52, 0x5b, 0x46, 0xbf, 0xe2, 0x45, 0x11, 0x43, 0x15, 0x32,
};

static const uint8_t abc_md5[16] = {
    0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2, 0x4f, 0xb0, 0xd6, 0x96, 0x3f, 0x7d, 0x28, 0xe1, 0x7f, 0x72,
};

static const uint8_t abc_ripemd160[20] = {
    0x8e, 0xb2, 0x08, 0xf7, 0xe0, 0x5d, 0x98, 0x7a, 0x9b, 0x04,
    0x4a, 0x8e, 0x98, 0xc6, 0xb0, 0x87, 0xf1, 0x5a, 0x0b, 0xfc,
};

static const uint8_t sha256_448[32] = {
    0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e, 0x60, 0x39,
    0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1,
};

static const uint8_t sha256_empty[32] = {
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
};

/* HMAC-SHA-256: RFC 4231 test cases 1 (key 20 x 0x0b, "Hi There") and 2 (key "Jefe"). */
static const uint8_t hmac_tc1[32] = {
    0xb0, 0x34, 0x4c, 0x61, 0xd8, 0xdb, 0x38, 0x53, 0x5c, 0xa8, 0xaf, 0xce, 0xaf, 0x0b, 0xf1, 0x2b,
    0x88, 0x1d, 0xc2, 0x00, 0xc9, 0x83, 0x3d, 0xa7, 0x26, 0xe9, 0x37, 0x6c, 0x2e, 0x32, 0xcf, 0xf7,
};

static const uint8_t hmac_tc2[32] = {
    0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
    0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
};

/* AES-CMAC: RFC 4493 section 4, examples 1 to 4 (0, 16, 40 and 64 bytes of sp_plain). */
static const uint8_t cmac0[16] = {
    0xbb, 0x1d, 0x69, 0x29, 0xe9, 0x59, 0x37, 0x28, 0x7f, 0xa3, 0x7d, 0x12, 0x9b, 0x75, 0x67, 0x46,
};

static const uint8_t cmac16[16] = {
    0x07, 0x0a, 0x16, 0xb4, 0x6b, 0x4d, 0x41, 0x44, 0xf7, 0x9b, 0xdd, 0x9d, 0xd0, 0x4a, 0x28, 0x7c,
};

static const uint8_t cmac40[16] = {
    0xdf, 0xa6, 0x67, 0x47, 0xde, 0x9a, 0xe6, 0x30, 0x30, 0xca, 0x32, 0x61, 0x14, 0x97, 0xc8, 0x27,
};

static const uint8_t cmac64[16] = {
    0x51, 0xf0, 0xbe, 0xbf, 0x7e, 0x3b, 0x9d, 0x92, 0xfc, 0x49, 0x74, 0x17, 0x79, 0x36, 0x3c, 0xfe,
};

/* AES-128 ECB, CBC and CTR: NIST SP 800-38A F.1.1, F.2.1 and F.5.1 (the key is also RFC
 * 4493's). */
static const uint8_t aes_key[16] = {
    0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};

static const uint8_t sp_plain[64] = {
    0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
    0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c, 0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51,
    0x30, 0xc8, 0x1c, 0x46, 0xa3, 0x5c, 0xe4, 0x11, 0xe5, 0xfb, 0xc1, 0x19, 0x1a, 0x0a, 0x52, 0xef,
    0xf6, 0x9f, 0x24, 0x45, 0xdf, 0x4f, 0x9b, 0x17, 0xad, 0x2b, 0x41, 0x7b, 0xe6, 0x6c, 0x37, 0x10,
};

static const uint8_t ecb[64] = {
    0x3a, 0xd7, 0x7b, 0xb4, 0x0d, 0x7a, 0x36, 0x60, 0xa8, 0x9e, 0xca, 0xf3, 0x24, 0x66, 0xef, 0x97,
    0xf5, 0xd3, 0xd5, 0x85, 0x03, 0xb9, 0x69, 0x9d, 0xe7, 0x85, 0x89, 0x5a, 0x96, 0xfd, 0xba, 0xaf,
    0x43, 0xb1, 0xcd, 0x7f, 0x59, 0x8e, 0xce, 0x23, 0x88, 0x1b, 0x00, 0xe3, 0xed, 0x03, 0x06, 0x88,
    0x7b, 0x0c, 0x78, 0x5e, 0x27, 0xe8, 0xad, 0x3f, 0x82, 0x23, 0x20, 0x71, 0x04, 0x72, 0x5d, 0xd4,
};

static const uint8_t cbc[64] = {
    0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46, 0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d,
    0x50, 0x86, 0xcb, 0x9b, 0x50, 0x72, 0x19, 0xee, 0x95, 0xdb, 0x11, 0x3a, 0x91, 0x76, 0x78, 0xb2,
    0x73, 0xbe, 0xd6, 0xb8, 0xe3, 0xc1, 0x74, 0x3b, 0x71, 0x16, 0xe6, 0x9e, 0x22, 0x22, 0x95, 0x16,
    0x3f, 0xf1, 0xca, 0xa1, 0x68, 0x1f, 0xac, 0x09, 0x12, 0x0e, 0xca, 0x30, 0x75, 0x86, 0xe1, 0xa7,
};

static const uint8_t ctr[64] = {
    0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26, 0x1b, 0xef, 0x68, 0x64, 0x99, 0x0d, 0xb6, 0xce,
    0x98, 0x06, 0xf6, 0x6b, 0x79, 0x70, 0xfd, 0xff, 0x86, 0x17, 0x18, 0x7b, 0xb9, 0xff, 0xfd, 0xff,
    0x5a, 0xe4, 0xdf, 0x3e, 0xdb, 0xd5, 0xd3, 0x5e, 0x5b, 0x4f, 0x09, 0x02, 0x0d, 0xb0, 0x3e, 0xab,
    0x1e, 0x03, 0x1d, 0xda, 0x2f, 0xbe, 0x03, 0xd1, 0x79, 0x21, 0x70, 0xa0, 0xf3, 0x00, 0x9c, 0xee,
};

static const uint8_t cbc_iv[16] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

static const uint8_t ctr_iv[16] = {
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};

/* ChaCha20: RFC 8439 section 2.4.2 (key 00..1f, block counter 1, the "sunscreen" text). */
static const uint8_t chacha_nonce[12] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x4a, 0x00, 0x00, 0x00, 0x00,
};

static const uint8_t chacha_ct[114] = {
    0x6e, 0x2e, 0x35, 0x9a, 0x25, 0x68, 0xf9, 0x80, 0x41, 0xba, 0x07, 0x28, 0xdd, 0x0d, 0x69,
    0x81, 0xe9, 0x7e, 0x7a, 0xec, 0x1d, 0x43, 0x60, 0xc2, 0x0a, 0x27, 0xaf, 0xcc, 0xfd, 0x9f,
    0xae, 0x0b, 0xf9, 0x1b, 0x65, 0xc5, 0x52, 0x47, 0x33, 0xab, 0x8f, 0x59, 0x3d, 0xab, 0xcd,
    0x62, 0xb3, 0x57, 0x16, 0x39, 0xd6, 0x24, 0xe6, 0x51, 0x52, 0xab, 0x8f, 0x53, 0x0c, 0x35,
    0x9f, 0x08, 0x61, 0xd8, 0x07, 0xca, 0x0d, 0xbf, 0x50, 0x0d, 0x6a, 0x61, 0x56, 0xa3, 0x8e,
    0x08, 0x8a, 0x22, 0xb6, 0x5e, 0x52, 0xbc, 0x51, 0x4d, 0x16, 0xcc, 0xf8, 0x06, 0x81, 0x8c,
    0xe9, 0x1a, 0xb7, 0x79, 0x37, 0x36, 0x5a, 0xf9, 0x0b, 0xbf, 0x74, 0xa3, 0x5b, 0xe6, 0xb4,
    0x0b, 0x8e, 0xed, 0xf2, 0x78, 0x5e, 0x42, 0x87, 0x4d,
};

/* AES-GCM: McGrew and Viega, "The Galois/Counter Mode of Operation", test case 4
 * (ciphertext || tag). */
static const uint8_t gcm_key[16] = {
    0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c, 0x6d, 0x6a, 0x8f, 0x94, 0x67, 0x30, 0x83, 0x08,
};

static const uint8_t gcm_n[12] = {
    0xca, 0xfe, 0xba, 0xbe, 0xfa, 0xce, 0xdb, 0xad, 0xde, 0xca, 0xf8, 0x88,
};

static const uint8_t gcm_a[20] = {
    0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef, 0xfe, 0xed,
    0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef, 0xab, 0xad, 0xda, 0xd2,
};

static const uint8_t gcm_p[60] = {
    0xd9, 0x31, 0x32, 0x25, 0xf8, 0x84, 0x06, 0xe5, 0xa5, 0x59, 0x09, 0xc5, 0xaf, 0xf5, 0x26,
    0x9a, 0x86, 0xa7, 0xa9, 0x53, 0x15, 0x34, 0xf7, 0xda, 0x2e, 0x4c, 0x30, 0x3d, 0x8a, 0x31,
    0x8a, 0x72, 0x1c, 0x3c, 0x0c, 0x95, 0x95, 0x68, 0x09, 0x53, 0x2f, 0xcf, 0x0e, 0x24, 0x49,
    0xa6, 0xb5, 0x25, 0xb1, 0x6a, 0xed, 0xf5, 0xaa, 0x0d, 0xe6, 0x57, 0xba, 0x63, 0x7b, 0x39,
};

static const uint8_t gcm_ct[76] = {
    0x42, 0x83, 0x1e, 0xc2, 0x21, 0x77, 0x74, 0x24, 0x4b, 0x72, 0x21, 0xb7, 0x84, 0xd0, 0xd4, 0x9c,
    0xe3, 0xaa, 0x21, 0x2f, 0x2c, 0x02, 0xa4, 0xe0, 0x35, 0xc1, 0x7e, 0x23, 0x29, 0xac, 0xa1, 0x2e,
    0x21, 0xd5, 0x14, 0xb2, 0x54, 0x66, 0x93, 0x1c, 0x7d, 0x8f, 0x6a, 0x5a, 0xac, 0x84, 0xaa, 0x05,
    0x1b, 0xa3, 0x0b, 0x39, 0x6a, 0x0a, 0xac, 0x97, 0x3d, 0x58, 0xe0, 0x91, 0x5b, 0xc9, 0x4f, 0xbc,
    0x32, 0x21, 0xa5, 0xdb, 0x94, 0xfa, 0xe9, 0x5a, 0xe7, 0x12, 0x1a, 0x47,
};

/* AES-CCM: RFC 3610 packet vector #1 (8-byte tag; additional data 00..07, plaintext 08..1e;
 * ciphertext || tag). */
static const uint8_t ccm_key[16] = {
    0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
};

static const uint8_t ccm_n[13] = {
    0x00, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5,
};

static const uint8_t ccm_ct[31] = {
    0x58, 0x8c, 0x97, 0x9a, 0x61, 0xc6, 0x63, 0xd2, 0xf0, 0x66, 0xd0, 0xc2, 0xc0, 0xf9, 0x89, 0x80,
    0x6d, 0x5f, 0x6b, 0x61, 0xda, 0xc3, 0x84, 0x17, 0xe8, 0xd1, 0x2c, 0xfd, 0xf9, 0x26, 0xe0,
};

/* ChaCha20-Poly1305: RFC 8439 section 2.8.2 (key 80..9f; ciphertext || tag). */
static const uint8_t ccp_nonce[12] = {
    0x07, 0x00, 0x00, 0x00, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
};

static const uint8_t ccp_aad[12] = {
    0x50, 0x51, 0x52, 0x53, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
};

static const uint8_t ccp_ct[130] = {
    0xd3, 0x1a, 0x8d, 0x34, 0x64, 0x8e, 0x60, 0xdb, 0x7b, 0x86, 0xaf, 0xbc, 0x53, 0xef, 0x7e,
    0xc2, 0xa4, 0xad, 0xed, 0x51, 0x29, 0x6e, 0x08, 0xfe, 0xa9, 0xe2, 0xb5, 0xa7, 0x36, 0xee,
    0x62, 0xd6, 0x3d, 0xbe, 0xa4, 0x5e, 0x8c, 0xa9, 0x67, 0x12, 0x82, 0xfa, 0xfb, 0x69, 0xda,
    0x92, 0x72, 0x8b, 0x1a, 0x71, 0xde, 0x0a, 0x9e, 0x06, 0x0b, 0x29, 0x05, 0xd6, 0xa5, 0xb6,
    0x7e, 0xcd, 0x3b, 0x36, 0x92, 0xdd, 0xbd, 0x7f, 0x2d, 0x77, 0x8b, 0x8c, 0x98, 0x03, 0xae,
    0xe3, 0x28, 0x09, 0x1b, 0x58, 0xfa, 0xb3, 0x24, 0xe4, 0xfa, 0xd6, 0x75, 0x94, 0x55, 0x85,
    0x80, 0x8b, 0x48, 0x31, 0xd7, 0xbc, 0x3f, 0xf4, 0xde, 0xf0, 0x8e, 0x4b, 0x7a, 0x9d, 0xe5,
    0x76, 0xd2, 0x65, 0x86, 0xce, 0xc6, 0x4b, 0x61, 0x16, 0x1a, 0xe1, 0x0b, 0x59, 0x4f, 0x09,
    0xe2, 0x6a, 0x7e, 0x90, 0x2e, 0xcb, 0xd0, 0x60, 0x06, 0x91,
};

/* HKDF-SHA-256: RFC 5869 test case 1 (IKM 22 x 0x0b, salt 00..0c, info f0..f9): PRK and OKM. */
static const uint8_t hkdf_okm[42] = {
    0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a, 0x90, 0x43, 0x4f, 0x64, 0xd0, 0x36,
    0x2f, 0x2a, 0x2d, 0x2d, 0x0a, 0x90, 0xcf, 0x1a, 0x5a, 0x4c, 0x5d, 0xb0, 0x2d, 0x56,
    0xec, 0xc4, 0xc5, 0xbf, 0x34, 0x00, 0x72, 0x08, 0xd5, 0xb8, 0x87, 0x18, 0x58, 0x65,
};

static const uint8_t hkdf_prk[32] = {
    0x07, 0x77, 0x09, 0x36, 0x2c, 0x2e, 0x32, 0xdf, 0x0d, 0xdc, 0x3f, 0x0d, 0xc4, 0x7b, 0xba, 0x63,
    0x90, 0xb6, 0xc7, 0x3b, 0xb5, 0x0f, 0x9c, 0x31, 0x22, 0xec, 0x84, 0x4a, 0xd7, 0xc2, 0xb3, 0xe5,
};

/* PBKDF2-HMAC-SHA-256: RFC 7914 section 11 ("passwd", "salt", 1 iteration, 64 bytes). */
static const uint8_t pbkdf2[64] = {
    0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91, 0xc2, 0x25, 0x44, 0xb6, 0x05,
    0xf9, 0x41, 0x85, 0x21, 0x6d, 0xde, 0x04, 0x65, 0xe6, 0x8b, 0x9d, 0x57, 0xc2, 0x0d, 0xac, 0xbc,
    0x49, 0xca, 0x9c, 0xcc, 0xf1, 0x79, 0xb6, 0x45, 0x99, 0x16, 0x64, 0xb3, 0x9d, 0x77, 0xef, 0x31,
    0x7c, 0x71, 0xb8, 0x45, 0xb1, 0xe3, 0x0b, 0xd5, 0x09, 0x11, 0x20, 0x41, 0xd3, 0xa1, 0x97, 0x83,
};

/* TLS 1.2 PRF with SHA-256: the IETF TLS working group's vector (also in Mbed TLS's PSA test
 * suite), label "test label", 100 bytes. */
static const uint8_t prf_secret[16] = {
    0x9b, 0xbe, 0x43, 0x6b, 0xa9, 0x40, 0xf0, 0x17, 0xb1, 0x76, 0x52, 0x84, 0x9a, 0x71, 0xdb, 0x35,
};

static const uint8_t prf_seed[16] = {
    0xa0, 0xba, 0x9f, 0x93, 0x6c, 0xda, 0x31, 0x18, 0x27, 0xa6, 0xf7, 0x96, 0xff, 0xd5, 0x19, 0x8c,
};

static const uint8_t prf_out[100] = {
    0xe3, 0xf2, 0x29, 0xba, 0x72, 0x7b, 0xe1, 0x7b, 0x8d, 0x12, 0x26, 0x20, 0x55, 0x7c, 0xd4,
    0x53, 0xc2, 0xaa, 0xb2, 0x1d, 0x07, 0xc3, 0xd4, 0x95, 0x32, 0x9b, 0x52, 0xd4, 0xe6, 0x1e,
    0xdb, 0x5a, 0x6b, 0x30, 0x17, 0x91, 0xe9, 0x0d, 0x35, 0xc9, 0xc9, 0xa4, 0x6b, 0x4e, 0x14,
    0xba, 0xf9, 0xaf, 0x0f, 0xa0, 0x22, 0xf7, 0x07, 0x7d, 0xef, 0x17, 0xab, 0xfd, 0x37, 0x97,
    0xc0, 0x56, 0x4b, 0xab, 0x4f, 0xbc, 0x91, 0x66, 0x6e, 0x9d, 0xef, 0x9b, 0x97, 0xfc, 0xe3,
    0x4f, 0x79, 0x67, 0x89, 0xba, 0xa4, 0x80, 0x82, 0xd1, 0x22, 0xee, 0x42, 0xc5, 0xa7, 0x2e,
    0x5a, 0x51, 0x10, 0xff, 0xf7, 0x01, 0x87, 0x34, 0x7b, 0x66,
};

/* ECDSA P-256: RFC 6979 A.2.5: the key (x, then 04 || Ux || Uy) and the deterministic signature
 * r || s of "sample" with SHA-256. */
static const uint8_t p256_priv[32] = {
    0xc9, 0xaf, 0xa9, 0xd8, 0x45, 0xba, 0x75, 0x16, 0x6b, 0x5c, 0x21, 0x57, 0x67, 0xb1, 0xd6, 0x93,
    0x4e, 0x50, 0xc3, 0xdb, 0x36, 0xe8, 0x9b, 0x12, 0x7b, 0x8a, 0x62, 0x2b, 0x12, 0x0f, 0x67, 0x21,
};

static const uint8_t p256_pub[65] = {
    0x04, 0x60, 0xfe, 0xd4, 0xba, 0x25, 0x5a, 0x9d, 0x31, 0xc9, 0x61, 0xeb, 0x74,
    0xc6, 0x35, 0x6d, 0x68, 0xc0, 0x49, 0xb8, 0x92, 0x3b, 0x61, 0xfa, 0x6c, 0xe6,
    0x69, 0x62, 0x2e, 0x60, 0xf2, 0x9f, 0xb6, 0x79, 0x03, 0xfe, 0x10, 0x08, 0xb8,
    0xbc, 0x99, 0xa4, 0x1a, 0xe9, 0xe9, 0x56, 0x28, 0xbc, 0x64, 0xf2, 0xf1, 0xb2,
    0x0c, 0x2d, 0x7e, 0x9f, 0x51, 0x77, 0xa3, 0xc2, 0x94, 0xd4, 0x46, 0x22, 0x99,
};

static const uint8_t p256_sig[64] = {
    0xef, 0xd4, 0x8b, 0x2a, 0xac, 0xb6, 0xa8, 0xfd, 0x11, 0x40, 0xdd, 0x9c, 0xd4, 0x5e, 0x81, 0xd6,
    0x9d, 0x2c, 0x87, 0x7b, 0x56, 0xaa, 0xf9, 0x91, 0xc3, 0x4d, 0x0e, 0xa8, 0x4e, 0xaf, 0x37, 0x16,
    0xf7, 0xcb, 0x1c, 0x94, 0x2d, 0x65, 0x7c, 0x41, 0xd4, 0x36, 0xc7, 0xa1, 0xb6, 0xe2, 0x9f, 0x65,
    0xf3, 0xe9, 0x00, 0xdb, 0xb9, 0xaf, 0xf4, 0x06, 0x4d, 0xc4, 0xab, 0x2f, 0x84, 0x3a, 0xcd, 0xa8,
};

/* X25519: RFC 7748 section 6.1 (Alice's and Bob's keys, the shared secret K). x_hkdf is
 * HKDF-SHA-256 of K (no salt, info "suite", 32 bytes), computed for this suite with Python's
 * cryptography package. */
static const uint8_t x_apriv[32] = {
    0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1, 0x72, 0x51, 0xb2, 0x66, 0x45,
    0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0, 0x99, 0x2a, 0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a,
};

static const uint8_t x_apub[32] = {
    0x85, 0x20, 0xf0, 0x09, 0x89, 0x30, 0xa7, 0x54, 0x74, 0x8b, 0x7d, 0xdc, 0xb4, 0x3e, 0xf7, 0x5a,
    0x0d, 0xbf, 0x3a, 0x0d, 0x26, 0x38, 0x1a, 0xf4, 0xeb, 0xa4, 0xa9, 0x8e, 0xaa, 0x9b, 0x4e, 0x6a,
};

static const uint8_t x_bpriv[32] = {
    0x5d, 0xab, 0x08, 0x7e, 0x62, 0x4a, 0x8a, 0x4b, 0x79, 0xe1, 0x7f, 0x8b, 0x83, 0x80, 0x0e, 0xe6,
    0x6f, 0x3b, 0xb1, 0x29, 0x26, 0x18, 0xb6, 0xfd, 0x1c, 0x2f, 0x8b, 0x27, 0xff, 0x88, 0xe0, 0xeb,
};

static const uint8_t x_bpub[32] = {
    0xde, 0x9e, 0xdb, 0x7d, 0x7b, 0x7d, 0xc1, 0xb4, 0xd3, 0x5b, 0x61, 0xc2, 0xec, 0xe4, 0x35, 0x37,
    0x3f, 0x83, 0x43, 0xc8, 0x5b, 0x78, 0x67, 0x4d, 0xad, 0xfc, 0x7e, 0x14, 0x6f, 0x88, 0x2b, 0x4f,
};

static const uint8_t x_shared[32] = {
    0x4a, 0x5d, 0x9d, 0x5b, 0xa4, 0xce, 0x2d, 0xe1, 0x72, 0x8e, 0x3b, 0xf4, 0x80, 0x35, 0x0f, 0x25,
    0xe0, 0x7e, 0x21, 0xc9, 0x47, 0xd1, 0x9e, 0x33, 0x76, 0xf0, 0x9b, 0x3c, 0x1e, 0x16, 0x17, 0x42,
};

static const uint8_t x_hkdf[32] = {
    0xf1, 0x30, 0x0c, 0x7b, 0xa0, 0x47, 0x7d, 0xf7, 0x5c, 0x2c, 0x46, 0x96, 0xc8, 0xe0, 0x7b, 0x5a,
    0x01, 0x50, 0x31, 0xf8, 0xc8, 0x80, 0xa5, 0x80, 0x11, 0xd3, 0x11, 0x1c, 0x52, 0x69, 0x35, 0xc0,
};

/* RSA-1024: the key pair of Mbed TLS 3.6's PSA test suite (test_suite_psa_crypto.data, PKCS#1
 * DER), its public key (PKCS#1 DER), its PKCS#1 v1.5 SHA-256 signature of "abc" ("PSA sign
 * message: RSA PKCS#1 v1.5 SHA-256") and an OAEP-SHA-256 ciphertext of "this is no squeamish
 * ossifrage" ("PSA decrypt: RSA OAEP-SHA-256, 30 bytes"). All checked with Python's
 * cryptography package. */
static const uint8_t rsa_der[610] = {
    0x30, 0x82, 0x02, 0x5e, 0x02, 0x01, 0x00, 0x02, 0x81, 0x81, 0x00, 0xaf, 0x05, 0x7d, 0x39, 0x6e,
    0xe8, 0x4f, 0xb7, 0x5f, 0xdb, 0xb5, 0xc2, 0xb1, 0x3c, 0x7f, 0xe5, 0xa6, 0x54, 0xaa, 0x8a, 0xa2,
    0x47, 0x0b, 0x54, 0x1e, 0xe1, 0xfe, 0xb0, 0xb1, 0x2d, 0x25, 0xc7, 0x97, 0x11, 0x53, 0x12, 0x49,
    0xe1, 0x12, 0x96, 0x28, 0x04, 0x2d, 0xbb, 0xb6, 0xc1, 0x20, 0xd1, 0x44, 0x35, 0x24, 0xef, 0x4c,
    0x0e, 0x6e, 0x1d, 0x89, 0x56, 0xee, 0xb2, 0x07, 0x7a, 0xf1, 0x23, 0x49, 0xdd, 0xee, 0xe5, 0x44,
    0x83, 0xbc, 0x06, 0xc2, 0xc6, 0x19, 0x48, 0xcd, 0x02, 0xb2, 0x02, 0xe7, 0x96, 0xae, 0xbd, 0x94,
    0xd3, 0xa7, 0xcb, 0xf8, 0x59, 0xc2, 0xc1, 0x81, 0x9c, 0x32, 0x4c, 0xb8, 0x2b, 0x9c, 0xd3, 0x4e,
    0xde, 0x26, 0x3a, 0x2a, 0xbf, 0xfe, 0x47, 0x33, 0xf0, 0x77, 0x86, 0x9e, 0x86, 0x60, 0xf7, 0xd6,
    0x83, 0x4d, 0xa5, 0x3d, 0x69, 0x0e, 0xf7, 0x98, 0x5f, 0x6b, 0xc3, 0x02, 0x03, 0x01, 0x00, 0x01,
    0x02, 0x81, 0x81, 0x00, 0x87, 0x4b, 0xf0, 0xff, 0xc2, 0xf2, 0xa7, 0x1d, 0x14, 0x67, 0x1d, 0xdd,
    0x01, 0x71, 0xc9, 0x54, 0xd7, 0xfd, 0xbf, 0x50, 0x28, 0x1e, 0x4f, 0x6d, 0x99, 0xea, 0x0e, 0x1e,
    0xbc, 0xf8, 0x2f, 0xaa, 0x58, 0xe7, 0xb5, 0x95, 0xff, 0xb2, 0x93, 0xd1, 0xab, 0xe1, 0x7f, 0x11,
    0x0b, 0x37, 0xc4, 0x8c, 0xc0, 0xf3, 0x6c, 0x37, 0xe8, 0x4d, 0x87, 0x66, 0x21, 0xd3, 0x27, 0xf6,
    0x4b, 0xbe, 0x08, 0x45, 0x7d, 0x3e, 0xc4, 0x09, 0x8b, 0xa2, 0xfa, 0x0a, 0x31, 0x9f, 0xba, 0x41,
    0x1c, 0x28, 0x41, 0xed, 0x7b, 0xe8, 0x31, 0x96, 0xa8, 0xcd, 0xf9, 0xda, 0xa5, 0xd0, 0x06, 0x94,
    0xbc, 0x33, 0x5f, 0xc4, 0xc3, 0x22, 0x17, 0xfe, 0x04, 0x88, 0xbc, 0xe9, 0xcb, 0x72, 0x02, 0xe5,
    0x94, 0x68, 0xb1, 0xea, 0xd1, 0x19, 0x00, 0x04, 0x77, 0xdb, 0x2c, 0xa7, 0x97, 0xfa, 0xc1, 0x9e,
    0xda, 0x3f, 0x58, 0xc1, 0x02, 0x41, 0x00, 0xe2, 0xab, 0x76, 0x08, 0x41, 0xbb, 0x9d, 0x30, 0xa8,
    0x1d, 0x22, 0x2d, 0xe1, 0xeb, 0x73, 0x81, 0xd8, 0x22, 0x14, 0x40, 0x7f, 0x1b, 0x97, 0x5c, 0xbb,
    0xfe, 0x4e, 0x1a, 0x94, 0x67, 0xfd, 0x98, 0xad, 0xbd, 0x78, 0xf6, 0x07, 0x83, 0x6c, 0xa5, 0xbe,
    0x19, 0x28, 0xb9, 0xd1, 0x60, 0xd9, 0x7f, 0xd4, 0x5c, 0x12, 0xd6, 0xb5, 0x2e, 0x2c, 0x98, 0x71,
    0xa1, 0x74, 0xc6, 0x6b, 0x48, 0x81, 0x13, 0x02, 0x41, 0x00, 0xc5, 0xab, 0x27, 0x60, 0x21, 0x59,
    0xae, 0x7d, 0x6f, 0x20, 0xc3, 0xc2, 0xee, 0x85, 0x1e, 0x46, 0xdc, 0x11, 0x2e, 0x68, 0x9e, 0x28,
    0xd5, 0xfc, 0xbb, 0xf9, 0x90, 0xa9, 0x9e, 0xf8, 0xa9, 0x0b, 0x8b, 0xb4, 0x4f, 0xd3, 0x64, 0x67,
    0xe7, 0xfc, 0x17, 0x89, 0xce, 0xb6, 0x63, 0xab, 0xda, 0x33, 0x86, 0x52, 0xc3, 0xc7, 0x3f, 0x11,
    0x17, 0x74, 0x90, 0x2e, 0x84, 0x05, 0x65, 0x92, 0x70, 0x91, 0x02, 0x41, 0x00, 0xb6, 0xcd, 0xbd,
    0x35, 0x4f, 0x7d, 0xf5, 0x79, 0xa6, 0x3b, 0x48, 0xb3, 0x64, 0x3e, 0x35, 0x3b, 0x84, 0x89, 0x87,
    0x77, 0xb4, 0x8b, 0x15, 0xf9, 0x4e, 0x0b, 0xfc, 0x05, 0x67, 0xa6, 0xae, 0x59, 0x11, 0xd5, 0x7a,
    0xd6, 0x40, 0x9c, 0xf7, 0x64, 0x7b, 0xf9, 0x62, 0x64, 0xe9, 0xbd, 0x87, 0xeb, 0x95, 0xe2, 0x63,
    0xb7, 0x11, 0x0b, 0x9a, 0x1f, 0x9f, 0x94, 0xac, 0xce, 0xd0, 0xfa, 0xfa, 0x4d, 0x02, 0x40, 0x71,
    0x19, 0x5e, 0xec, 0x37, 0xe8, 0xd2, 0x57, 0xde, 0xcf, 0xc6, 0x72, 0xb0, 0x7a, 0xe6, 0x39, 0xf1,
    0x0c, 0xbb, 0x9b, 0x0c, 0x73, 0x9d, 0x0c, 0x80, 0x99, 0x68, 0xd6, 0x44, 0xa9, 0x4e, 0x3f, 0xd6,
    0xed, 0x92, 0x87, 0x07, 0x7a, 0x14, 0x58, 0x3f, 0x37, 0x90, 0x58, 0xf7, 0x6a, 0x8a, 0xec, 0xd4,
    0x3c, 0x62, 0xdc, 0x8c, 0x0f, 0x41, 0x76, 0x66, 0x50, 0xd7, 0x25, 0x27, 0x5a, 0xc4, 0xa1, 0x02,
    0x41, 0x00, 0xbb, 0x32, 0xd1, 0x33, 0xed, 0xc2, 0xe0, 0x48, 0xd4, 0x63, 0x38, 0x8b, 0x7b, 0xe9,
    0xcb, 0x4b, 0xe2, 0x9f, 0x4b, 0x62, 0x50, 0xbe, 0x60, 0x3e, 0x70, 0xe3, 0x64, 0x75, 0x01, 0xc9,
    0x7d, 0xdd, 0xe2, 0x0a, 0x4e, 0x71, 0xbe, 0x95, 0xfd, 0x5e, 0x71, 0x78, 0x4e, 0x25, 0xac, 0xa4,
    0xba, 0xf2, 0x5b, 0xe5, 0x73, 0x8a, 0xae, 0x59, 0xbb, 0xfe, 0x1c, 0x99, 0x77, 0x81, 0x44, 0x7a,
    0x2b, 0x24,
};

static const uint8_t rsa_pub[140] = {
    0x30, 0x81, 0x89, 0x02, 0x81, 0x81, 0x00, 0xaf, 0x05, 0x7d, 0x39, 0x6e, 0xe8, 0x4f, 0xb7, 0x5f,
    0xdb, 0xb5, 0xc2, 0xb1, 0x3c, 0x7f, 0xe5, 0xa6, 0x54, 0xaa, 0x8a, 0xa2, 0x47, 0x0b, 0x54, 0x1e,
    0xe1, 0xfe, 0xb0, 0xb1, 0x2d, 0x25, 0xc7, 0x97, 0x11, 0x53, 0x12, 0x49, 0xe1, 0x12, 0x96, 0x28,
    0x04, 0x2d, 0xbb, 0xb6, 0xc1, 0x20, 0xd1, 0x44, 0x35, 0x24, 0xef, 0x4c, 0x0e, 0x6e, 0x1d, 0x89,
    0x56, 0xee, 0xb2, 0x07, 0x7a, 0xf1, 0x23, 0x49, 0xdd, 0xee, 0xe5, 0x44, 0x83, 0xbc, 0x06, 0xc2,
    0xc6, 0x19, 0x48, 0xcd, 0x02, 0xb2, 0x02, 0xe7, 0x96, 0xae, 0xbd, 0x94, 0xd3, 0xa7, 0xcb, 0xf8,
    0x59, 0xc2, 0xc1, 0x81, 0x9c, 0x32, 0x4c, 0xb8, 0x2b, 0x9c, 0xd3, 0x4e, 0xde, 0x26, 0x3a, 0x2a,
    0xbf, 0xfe, 0x47, 0x33, 0xf0, 0x77, 0x86, 0x9e, 0x86, 0x60, 0xf7, 0xd6, 0x83, 0x4d, 0xa5, 0x3d,
    0x69, 0x0e, 0xf7, 0x98, 0x5f, 0x6b, 0xc3, 0x02, 0x03, 0x01, 0x00, 0x01,
};

static const uint8_t rsa_sig_abc[128] = {
    0xa7, 0x36, 0x64, 0xd5, 0x5b, 0x39, 0xc7, 0xea, 0x6c, 0x1e, 0x5b, 0x50, 0x11, 0x72, 0x4a, 0x11,
    0xe1, 0xd7, 0x07, 0x3d, 0x3a, 0x68, 0xf4, 0x8c, 0x83, 0x6f, 0xad, 0x15, 0x3a, 0x1d, 0x91, 0xb6,
    0xab, 0xdb, 0xc8, 0xf6, 0x9d, 0xa1, 0x3b, 0x20, 0x6c, 0xc9, 0x6a, 0xf6, 0x36, 0x3b, 0x11, 0x44,
    0x58, 0xb0, 0x26, 0xaf, 0x14, 0xb2, 0x4f, 0xab, 0x89, 0x29, 0xed, 0x63, 0x4c, 0x6a, 0x2a, 0xca,
    0xce, 0x0b, 0xcc, 0x62, 0xd9, 0xbb, 0x6a, 0x98, 0x4a, 0xfb, 0xcb, 0xfc, 0xd3, 0xa0, 0x60, 0x8d,
    0x32, 0xa2, 0xba, 0xe5, 0x35, 0xb9, 0xcd, 0x1e, 0xcd, 0xf9, 0xdd, 0x28, 0x1d, 0xb1, 0xe0, 0x02,
    0x5c, 0x3b, 0xfb, 0x55, 0x12, 0x96, 0x3e, 0xc3, 0xb9, 0x8d, 0xda, 0xa6, 0x9e, 0x38, 0xbc, 0x3c,
    0x84, 0xb1, 0xb6, 0x1a, 0x04, 0xe5, 0x64, 0x86, 0x40, 0x85, 0x6a, 0xac, 0xc6, 0xfc, 0x73, 0x11,
};

static const uint8_t rsa_oaep_ct[128] = {
    0x3f, 0xd3, 0xc8, 0x1e, 0x39, 0x19, 0xa1, 0x90, 0x14, 0x40, 0x0d, 0x91, 0x09, 0x80, 0x90, 0xf2,
    0x73, 0x31, 0x2e, 0x01, 0x50, 0xe0, 0x9e, 0xff, 0x7f, 0x66, 0xfb, 0x96, 0x24, 0xd2, 0xec, 0x97,
    0x64, 0xfc, 0x80, 0xbe, 0xfc, 0xb5, 0x92, 0xe9, 0xd1, 0x02, 0x49, 0x3c, 0x88, 0x2b, 0x8b, 0xc0,
    0x33, 0x4a, 0x25, 0x7e, 0x73, 0xab, 0xa2, 0x3a, 0x0e, 0xe1, 0x3f, 0x82, 0x6c, 0xbc, 0x64, 0xf8,
    0x20, 0x0b, 0x91, 0x50, 0x78, 0x4d, 0x00, 0x4c, 0xcb, 0x29, 0x55, 0xc8, 0x77, 0xc9, 0x5a, 0xb8,
    0x88, 0xe3, 0x91, 0x7f, 0x42, 0x3d, 0xd5, 0x2f, 0x3c, 0x8a, 0x49, 0xcb, 0x61, 0xc1, 0x96, 0x6e,
    0xc0, 0x4f, 0x33, 0x60, 0x68, 0x72, 0x9a, 0xe0, 0xbc, 0xe7, 0xd7, 0xfb, 0x3e, 0x68, 0x0f, 0x9d,
    0x15, 0xd6, 0x58, 0xdb, 0x9b, 0x90, 0x6e, 0xfc, 0xbf, 0x2c, 0x2f, 0xae, 0x45, 0xe7, 0x54, 0x29,
};
/* ---- hash -------------------------------------------------------------------------------- */

struct hash_kat {
    psa_algorithm_t alg;
    const uint8_t *digest;
    size_t len;
};

static const struct hash_kat hash_kats[] = {
    {PSA_ALG_SHA_1, abc_sha1, sizeof(abc_sha1)},
    {PSA_ALG_SHA_224, abc_sha224, sizeof(abc_sha224)},
    {PSA_ALG_SHA_256, abc_sha256, sizeof(abc_sha256)},
    {PSA_ALG_SHA_384, abc_sha384, sizeof(abc_sha384)},
    {PSA_ALG_SHA_512, abc_sha512, sizeof(abc_sha512)},
    {PSA_ALG_SHA3_256, abc_sha3_256, sizeof(abc_sha3_256)},
    {PSA_ALG_MD5, abc_md5, sizeof(abc_md5)},
    {PSA_ALG_RIPEMD160, abc_ripemd160, sizeof(abc_ripemd160)},
};

static void test_hash_kats(void)
{
    group = "hash_kat";
    uint8_t out[PSA_HASH_MAX_SIZE + 1], wrong[PSA_HASH_MAX_SIZE];
    size_t len = 0;
    for (size_t i = 0; i < sizeof(hash_kats) / sizeof(hash_kats[0]); i++) {
        const struct hash_kat *k = &hash_kats[i];
        CHECK(PSA_HASH_LENGTH(k->alg) == k->len);
        if (!has(k->alg)) {
            psa_hash_operation_t none = PSA_HASH_OPERATION_INIT;
            CHECK_ST(psa_hash_compute(k->alg, abc, 3, out, k->len, &len), PSA_ERROR_NOT_SUPPORTED);
            CHECK_ST(psa_hash_setup(&none, k->alg), PSA_ERROR_NOT_SUPPORTED);
            continue;
        }
        /* One-shot, into a buffer of exactly the hash's size. */
        memset(out, CANARY, sizeof(out));
        CHECK_OK(psa_hash_compute(k->alg, abc, 3, out, k->len, &len));
        CHECK(len == k->len && same(out, k->digest, k->len) && out[k->len] == CANARY);
        CHECK_OK(psa_hash_compare(k->alg, abc, 3, k->digest, k->len));
        memcpy(wrong, k->digest, k->len);
        wrong[k->len - 1] ^= 0x01;
        CHECK_ST(psa_hash_compare(k->alg, abc, 3, wrong, k->len), PSA_ERROR_INVALID_SIGNATURE);
        CHECK_ST(psa_hash_compare(k->alg, abc, 3, k->digest, k->len - 1),
                 PSA_ERROR_INVALID_SIGNATURE);
        /* Multipart, a byte at a time, finished by verify. */
        psa_hash_operation_t op = PSA_HASH_OPERATION_INIT;
        CHECK_OK(psa_hash_setup(&op, k->alg));
        for (size_t j = 0; j < 3; j++) {
            CHECK_OK(psa_hash_update(&op, abc + j, 1));
        }
        CHECK_OK(psa_hash_verify(&op, k->digest, k->len));
        CHECK_OK(psa_hash_setup(&op, k->alg));
        CHECK_OK(psa_hash_update(&op, abc, 3));
        CHECK_ST(psa_hash_verify(&op, wrong, k->len), PSA_ERROR_INVALID_SIGNATURE);
    }
    static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK_OK(psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)two_blocks, 56, out, 32, &len));
    CHECK(len == 32 && same(out, sha256_448, 32));
    CHECK_OK(psa_hash_compute(PSA_ALG_SHA_256, NULL, 0, out, 32, &len));
    CHECK(len == 32 && same(out, sha256_empty, 32));
}

static void test_hash_ops(void)
{
    group = "hash_ops";
    uint8_t a[32], b[33];
    /* A hash other than SHA-256: SHA-1, or SHA-224 where the build has no SHA-1. */
    const psa_algorithm_t other = has(PSA_ALG_SHA_1) ? PSA_ALG_SHA_1 : PSA_ALG_SHA_224;
    const uint8_t *other_abc = has(PSA_ALG_SHA_1) ? abc_sha1 : abc_sha224;
    const size_t other_len = PSA_HASH_LENGTH(other);
    size_t len = 0, len2 = 0;
    psa_hash_operation_t op = PSA_HASH_OPERATION_INIT, op2 = PSA_HASH_OPERATION_INIT;

    /* Multipart in uneven pieces equals one-shot. */
    fill(big_in, 1000, 1);
    CHECK_OK(psa_hash_compute(PSA_ALG_SHA_256, big_in, 1000, a, sizeof(a), &len));
    static const size_t pieces[] = {0, 1, 63, 64, 65, 200, 7, 600};
    CHECK_OK(psa_hash_setup(&op, PSA_ALG_SHA_256));
    size_t at = 0;
    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
        CHECK_OK(psa_hash_update(&op, big_in + at, pieces[i]));
        at += pieces[i];
    }
    CHECK(at == 1000);
    CHECK_OK(psa_hash_finish(&op, b, sizeof(b), &len2));
    CHECK(len == 32 && len2 == 32 && same(a, b, 32));

    /* Clone: both continue independently from the state at the clone. */
    CHECK_OK(psa_hash_setup(&op, PSA_ALG_SHA_256));
    CHECK_OK(psa_hash_update(&op, abc, 2));
    CHECK_OK(psa_hash_clone(&op, &op2));
    CHECK_OK(psa_hash_update(&op2, abc + 2, 1));
    CHECK_OK(psa_hash_update(&op, big_in, 1000));
    CHECK_OK(psa_hash_finish(&op2, b, sizeof(b), &len));
    CHECK(len == 32 && same(b, abc_sha256, 32));
    memcpy(big_ref, abc, 2);
    memcpy(big_ref + 2, big_in, 1000);
    CHECK_OK(psa_hash_compute(PSA_ALG_SHA_256, big_ref, 1002, a, sizeof(a), &len));
    CHECK_OK(psa_hash_finish(&op, b, sizeof(b), &len2));
    CHECK(len2 == 32 && same(a, b, 32));                      /* "ab" || big_in */
    CHECK_ST(psa_hash_clone(&op, &op2), PSA_ERROR_BAD_STATE); /* inactive source */
    CHECK_OK(psa_hash_setup(&op, PSA_ALG_SHA_256));
    CHECK_OK(psa_hash_setup(&op2, other));
    CHECK_ST(psa_hash_clone(&op, &op2), PSA_ERROR_BAD_STATE); /* active target */
    CHECK_OK(psa_hash_abort(&op2));
    CHECK_OK(psa_hash_update(&op, abc, 3)); /* the failed clone left the source alone */
    CHECK_OK(psa_hash_verify(&op, abc_sha256, 32));

    /* Abort mid-way, then the same object serves a new operation. */
    CHECK_OK(psa_hash_setup(&op, PSA_ALG_SHA_256));
    CHECK_OK(psa_hash_update(&op, big_in, 100));
    CHECK_OK(psa_hash_abort(&op));
    CHECK_OK(psa_hash_abort(&op)); /* aborting an inactive operation is allowed */
    CHECK_ST(psa_hash_update(&op, abc, 3), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_hash_setup(&op, other));
    CHECK_OK(psa_hash_update(&op, abc, 3));
    CHECK_OK(psa_hash_finish(&op, b, sizeof(b), &len));
    CHECK(len == other_len && same(b, other_abc, other_len));

    /* Calls in the wrong state. */
    psa_hash_operation_t fresh = PSA_HASH_OPERATION_INIT;
    CHECK_ST(psa_hash_update(&fresh, abc, 3), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_hash_finish(&fresh, b, sizeof(b), &len), PSA_ERROR_BAD_STATE);
    CHECK(len == 0);
    CHECK_ST(psa_hash_verify(&fresh, abc_sha256, 32), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_hash_setup(&op, PSA_ALG_SHA_256));
    /* A second setup is refused and ends the operation, as Mbed TLS does. */
    CHECK_ST(psa_hash_setup(&op, PSA_ALG_SHA_256), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_hash_update(&op, abc, 3), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_hash_abort(&op));
    CHECK_OK(psa_hash_setup(&op, PSA_ALG_SHA_256));
    CHECK_OK(psa_hash_update(&op, abc, 3));
    CHECK_OK(psa_hash_finish(&op, b, sizeof(b), &len));
    CHECK_ST(psa_hash_finish(&op, b, sizeof(b), &len), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_hash_update(&op, abc, 3), PSA_ERROR_BAD_STATE);

    /* Buffers too small: nothing written; a finish that fails ends the operation. */
    memset(b, CANARY, sizeof(b));
    CHECK_ST(psa_hash_compute(PSA_ALG_SHA_256, abc, 3, b, 31, &len), PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(no_length(len) && untouched(b, sizeof(b)));
    CHECK_OK(psa_hash_setup(&op, PSA_ALG_SHA_256));
    CHECK_ST(psa_hash_finish(&op, b, 31, &len), PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(no_length(len) && untouched(b, sizeof(b)));
    CHECK_ST(psa_hash_finish(&op, b, 32, &len), PSA_ERROR_BAD_STATE);

    /* Not hash algorithms. */
    CHECK_ST(psa_hash_compute(PSA_ALG_HMAC(PSA_ALG_SHA_256), abc, 3, b, 32, &len),
             PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_hash_setup(&op, PSA_ALG_CMAC), PSA_ERROR_INVALID_ARGUMENT);
    /* The wildcard is a hash algorithm by its encoding, but no hash: no driver knows it. */
    CHECK_ST(psa_hash_setup(&op, PSA_ALG_ANY_HASH), PSA_ERROR_NOT_SUPPORTED);
    CHECK_ST(psa_hash_compute(PSA_ALG_SHAKE256_512, abc, 3, big_out, 64, &len),
             PSA_ERROR_NOT_SUPPORTED);

    /* Larger than the service's buffers: streamed, the same as multipart. */
    fill(big_in, BIG, 2);
    UNLESS_HAS(PSA_ALG_SHA_512, psa_hash_compute(PSA_ALG_SHA_512, big_in, BIG, big_out, 64, &len))
    {
        CHECK_OK(psa_hash_compute(PSA_ALG_SHA_512, big_in, BIG, big_out, 64, &len));
        CHECK_OK(psa_hash_setup(&op, PSA_ALG_SHA_512));
        CHECK_OK(psa_hash_update(&op, big_in, 1000));
        CHECK_OK(psa_hash_update(&op, big_in + 1000, BIG - 1000));
        CHECK_OK(psa_hash_finish(&op, big_ref, 64, &len2));
        CHECK(len == 64 && len2 == 64 && same(big_out, big_ref, 64));
        CHECK_OK(psa_hash_compare(PSA_ALG_SHA_512, big_in, BIG, big_ref, 64));
        big_ref[0] ^= 0x80;
        CHECK_ST(psa_hash_compare(PSA_ALG_SHA_512, big_in, BIG, big_ref, 64),
                 PSA_ERROR_INVALID_SIGNATURE);
        CHECK_OK(psa_hash_setup(&op, PSA_ALG_SHA_512)); /* one update larger than the buffers */
        CHECK_OK(psa_hash_update(&op, big_in, BIG));
        CHECK_OK(psa_hash_verify(&op, big_out, 64));
    }
    (void)psa_hash_abort(&op); /* nothing held if a check above failed */
    (void)psa_hash_abort(&op2);
}

/* ---- MAC --------------------------------------------------------------------------------- */

static void test_mac(void)
{
    group = "mac";
    static const char data2[] = "what do ya want for nothing?";
    const uint8_t *d2 = (const uint8_t *)data2;
    const size_t n2 = sizeof(data2) - 1;
    const psa_algorithm_t hmac = PSA_ALG_HMAC(PSA_ALG_SHA_256);
    const psa_key_usage_t sv = PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE;
    uint8_t mac[PSA_MAC_MAX_SIZE + 1], wrong[32];
    size_t len = 0;
    psa_mac_operation_t op = PSA_MAC_OPERATION_INIT;

    /* HMAC-SHA-256, RFC 4231 test case 2: one-shot, verify, multipart. */
    psa_key_id_t k = IMPORT(PSA_KEY_TYPE_HMAC, sv, hmac, (const uint8_t *)"Jefe", 4);
    memset(mac, CANARY, sizeof(mac));
    CHECK_OK(psa_mac_compute(k, hmac, d2, n2, mac, 32, &len));
    CHECK(len == 32 && same(mac, hmac_tc2, 32) && mac[32] == CANARY);
    CHECK_OK(psa_mac_verify(k, hmac, d2, n2, hmac_tc2, 32));
    memcpy(wrong, hmac_tc2, 32);
    wrong[5] ^= 0x10;
    CHECK_ST(psa_mac_verify(k, hmac, d2, n2, wrong, 32), PSA_ERROR_INVALID_SIGNATURE);
    CHECK_ST(psa_mac_verify(k, hmac, d2, n2, hmac_tc2, 31), PSA_ERROR_INVALID_SIGNATURE);
    CHECK_OK(psa_mac_sign_setup(&op, k, hmac));
    CHECK_OK(psa_mac_update(&op, d2, 4));
    CHECK_OK(psa_mac_update(&op, d2 + 4, 0));
    CHECK_OK(psa_mac_update(&op, d2 + 4, n2 - 4));
    CHECK_OK(psa_mac_sign_finish(&op, mac, sizeof(mac), &len));
    CHECK(len == 32 && same(mac, hmac_tc2, 32));
    CHECK_OK(psa_mac_verify_setup(&op, k, hmac));
    CHECK_OK(psa_mac_update(&op, d2, n2));
    CHECK_OK(psa_mac_verify_finish(&op, hmac_tc2, 32));
    CHECK_OK(psa_mac_verify_setup(&op, k, hmac));
    CHECK_OK(psa_mac_update(&op, d2, n2));
    CHECK_ST(psa_mac_verify_finish(&op, wrong, 32), PSA_ERROR_INVALID_SIGNATURE);

    /* A truncated MAC needs a policy that allows it. */
    const psa_algorithm_t t16 = PSA_ALG_TRUNCATED_MAC(hmac, 16);
    CHECK_ST(psa_mac_compute(k, t16, d2, n2, mac, sizeof(mac), &len), PSA_ERROR_NOT_PERMITTED);
    psa_key_id_t kt = IMPORT(PSA_KEY_TYPE_HMAC, sv, PSA_ALG_AT_LEAST_THIS_LENGTH_MAC(hmac, 16),
                             (const uint8_t *)"Jefe", 4);
    CHECK_OK(psa_mac_compute(kt, t16, d2, n2, mac, sizeof(mac), &len));
    CHECK(len == 16 && same(mac, hmac_tc2, 16));
    CHECK_OK(psa_mac_compute(kt, PSA_ALG_TRUNCATED_MAC(hmac, 20), d2, n2, mac, 20, &len));
    CHECK(len == 20 && same(mac, hmac_tc2, 20));
    CHECK_OK(psa_mac_verify(kt, t16, d2, n2, hmac_tc2, 16));
    CHECK_ST(psa_mac_compute(kt, PSA_ALG_TRUNCATED_MAC(hmac, 15), d2, n2, mac, 32, &len),
             PSA_ERROR_NOT_PERMITTED);
    CHECK_OK(psa_destroy_key(kt));

    /* Wrong states. */
    CHECK_ST(psa_mac_update(&op, d2, n2), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_mac_sign_finish(&op, mac, sizeof(mac), &len), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_mac_verify_setup(&op, k, hmac));
    CHECK_ST(psa_mac_sign_finish(&op, mac, sizeof(mac), &len), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_mac_update(&op, d2, n2), PSA_ERROR_BAD_STATE); /* that error ended it */
    CHECK_OK(psa_mac_sign_setup(&op, k, hmac));
    CHECK_ST(psa_mac_verify_finish(&op, hmac_tc2, 32), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_mac_sign_setup(&op, k, hmac));
    CHECK_ST(psa_mac_sign_setup(&op, k, hmac), PSA_ERROR_BAD_STATE); /* and it ends it */
    CHECK_ST(psa_mac_update(&op, d2, 10), PSA_ERROR_BAD_STATE);
    /* Abort mid-way, then reuse the object for verification. */
    CHECK_OK(psa_mac_sign_setup(&op, k, hmac));
    CHECK_OK(psa_mac_update(&op, d2, 10));
    CHECK_OK(psa_mac_abort(&op));
    CHECK_OK(psa_mac_abort(&op));
    CHECK_OK(psa_mac_verify_setup(&op, k, hmac));
    CHECK_OK(psa_mac_update(&op, d2, n2));
    CHECK_OK(psa_mac_verify_finish(&op, hmac_tc2, 32));

    /* Buffer too small. */
    memset(mac, CANARY, sizeof(mac));
    CHECK_ST(psa_mac_compute(k, hmac, d2, n2, mac, 31, &len), PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(no_length(len) && untouched(mac, sizeof(mac)));
    CHECK_OK(psa_mac_sign_setup(&op, k, hmac));
    CHECK_ST(psa_mac_sign_finish(&op, mac, 31, &len), PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(no_length(len) && untouched(mac, sizeof(mac)));
    CHECK_ST(psa_mac_sign_finish(&op, mac, 32, &len), PSA_ERROR_BAD_STATE);

    /* Larger than the service's buffers: one-shot equals multipart. */
    fill(big_in, BIG, 3);
    CHECK_OK(psa_mac_compute(k, hmac, big_in, BIG, big_out, 32, &len));
    CHECK_OK(psa_mac_sign_setup(&op, k, hmac));
    CHECK_OK(psa_mac_update(&op, big_in, 2500));
    CHECK_OK(psa_mac_update(&op, big_in + 2500, BIG - 2500));
    CHECK_OK(psa_mac_sign_finish(&op, mac, sizeof(mac), &len));
    CHECK(len == 32 && same(mac, big_out, 32));
    CHECK_OK(psa_mac_verify(k, hmac, big_in, BIG, mac, 32));
    big_in[BIG - 1] ^= 1;
    CHECK_ST(psa_mac_verify(k, hmac, big_in, BIG, mac, 32), PSA_ERROR_INVALID_SIGNATURE);

    /* HMAC-SHA-256, RFC 4231 test case 1. */
    static const uint8_t key1[20] = {0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
                                     0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b};
    psa_key_id_t k1 = IMPORT(PSA_KEY_TYPE_HMAC, sv, hmac, key1, sizeof(key1));
    CHECK_OK(psa_mac_compute(k1, hmac, (const uint8_t *)"Hi There", 8, mac, 32, &len));
    CHECK(len == 32 && same(mac, hmac_tc1, 32));

    /* AES-CMAC, RFC 4493 examples 1 to 4. */
    psa_key_id_t kc = IMPORT(PSA_KEY_TYPE_AES, sv, PSA_ALG_CMAC, aes_key, 16);
    static const struct {
        size_t n;
        const uint8_t *mac;
    } cmacs[] = {{0, cmac0}, {16, cmac16}, {40, cmac40}, {64, cmac64}};
    UNLESS_HAS(PSA_ALG_CMAC, psa_mac_compute(kc, PSA_ALG_CMAC, sp_plain, 0, mac, 16, &len))
    {
        for (size_t i = 0; i < 4; i++) {
            CHECK_OK(psa_mac_compute(kc, PSA_ALG_CMAC, sp_plain, cmacs[i].n, mac, 16, &len));
            CHECK(len == 16 && same(mac, cmacs[i].mac, 16));
        }
        CHECK_OK(psa_mac_sign_setup(&op, kc, PSA_ALG_CMAC));
        CHECK_OK(psa_mac_update(&op, sp_plain, 17));
        CHECK_OK(psa_mac_update(&op, sp_plain + 17, 23));
        CHECK_OK(psa_mac_sign_finish(&op, mac, 16, &len));
        CHECK(len == 16 && same(mac, cmac40, 16));
    }

    /* Keys and algorithms that do not go together. */
    CHECK_ST(psa_mac_compute(kc, hmac, abc, 3, mac, 32, &len), PSA_ERROR_NOT_PERMITTED);
    CHECK_ST(psa_mac_compute(k, PSA_ALG_CMAC, abc, 3, mac, 32, &len), PSA_ERROR_NOT_PERMITTED);
    /* An AES key whose policy names HMAC: Mbed TLS takes it, and refuses it at use. */
    psa_key_id_t ka = IMPORT(PSA_KEY_TYPE_AES, sv, hmac, aes_key, 16);
    CHECK_ST(psa_mac_compute(ka, hmac, abc, 3, mac, 32, &len), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_mac_sign_setup(&op, ka, hmac), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_mac_compute(k, PSA_ALG_SHA_256, abc, 3, mac, 32, &len), PSA_ERROR_NOT_PERMITTED);
    /* Usage: a verify-only key does not sign. */
    psa_key_id_t kv =
        IMPORT(PSA_KEY_TYPE_HMAC, PSA_KEY_USAGE_VERIFY_MESSAGE, hmac, (const uint8_t *)"Jefe", 4);
    CHECK_ST(psa_mac_compute(kv, hmac, d2, n2, mac, 32, &len), PSA_ERROR_NOT_PERMITTED);
    CHECK_ST(psa_mac_sign_setup(&op, kv, hmac), PSA_ERROR_NOT_PERMITTED);
    CHECK_OK(psa_mac_verify(kv, hmac, d2, n2, hmac_tc2, 32));
    const psa_key_id_t keys[] = {k, k1, kc, ka, kv};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        CHECK_OK(psa_destroy_key(keys[i]));
    }
    (void)psa_mac_abort(&op); /* nothing held if a check above failed */
}

/* ---- cipher ------------------------------------------------------------------------------ */

/* Multipart encryption or decryption of `in` with `iv`, in pieces of `step` bytes, into `out`;
 * the total length, or 0 if a call failed (reported at the caller's line). */
static size_t cipher_multi_at(int line, psa_key_id_t key, psa_algorithm_t alg, int encrypt,
                              const uint8_t *iv, size_t iv_len, const uint8_t *in, size_t n,
                              size_t step, uint8_t *out, size_t out_size)
{
    psa_cipher_operation_t op = PSA_CIPHER_OPERATION_INIT;
    psa_status_t status =
        encrypt ? psa_cipher_encrypt_setup(&op, key, alg) : psa_cipher_decrypt_setup(&op, key, alg);
    size_t total = 0, len = 0;
    if (status == PSA_SUCCESS && iv_len > 0) {
        status = psa_cipher_set_iv(&op, iv, iv_len);
    }
    for (size_t at = 0; status == PSA_SUCCESS && at < n; at += step) {
        size_t piece = n - at < step ? n - at : step;
        status = psa_cipher_update(&op, in + at, piece, out + total, out_size - total, &len);
        total += len;
    }
    if (status == PSA_SUCCESS) {
        status = psa_cipher_finish(&op, out + total, out_size - total, &len);
        total += len;
    }
    (void)psa_cipher_abort(&op);
    check_status(status, PSA_SUCCESS, line);
    return status == PSA_SUCCESS ? total : 0;
}
#define CIPHER_MULTI(...) cipher_multi_at(__LINE__, __VA_ARGS__)

static void test_cipher(void)
{
    group = "cipher";
    const psa_key_usage_t ed = PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT;
    uint8_t out[128], out2[128], iv[16];
    size_t len = 0, len2 = 0;
    psa_cipher_operation_t op = PSA_CIPHER_OPERATION_INIT;

    /* ECB: no IV, so one-shot is a known answer both ways. */
    psa_key_id_t ke = IMPORT(PSA_KEY_TYPE_AES, ed, PSA_ALG_ECB_NO_PADDING, aes_key, 16);
    CHECK_OK(psa_cipher_encrypt(ke, PSA_ALG_ECB_NO_PADDING, sp_plain, 64, out, 64, &len));
    CHECK(len == 64 && same(out, ecb, 64));
    CHECK_OK(psa_cipher_decrypt(ke, PSA_ALG_ECB_NO_PADDING, ecb, 64, out, 64, &len));
    CHECK(len == 64 && same(out, sp_plain, 64));
    CHECK(CIPHER_MULTI(ke, PSA_ALG_ECB_NO_PADDING, 1, NULL, 0, sp_plain, 64, 24, out, 64) == 64 &&
          same(out, ecb, 64));
    CHECK_ST(psa_cipher_encrypt(ke, PSA_ALG_ECB_NO_PADDING, sp_plain, 63, out, 64, &len),
             PSA_ERROR_INVALID_ARGUMENT); /* not whole blocks */
    CHECK_OK(psa_cipher_encrypt_setup(&op, ke, PSA_ALG_ECB_NO_PADDING));
    CHECK_ST(psa_cipher_set_iv(&op, cbc_iv, 16), PSA_ERROR_BAD_STATE); /* ECB takes none */

    /* CBC: multipart with the known IV; one-shot decryption of IV || ciphertext. */
    psa_key_id_t kb = IMPORT(PSA_KEY_TYPE_AES, ed, PSA_ALG_CBC_NO_PADDING, aes_key, 16);
    CHECK(CIPHER_MULTI(kb, PSA_ALG_CBC_NO_PADDING, 1, cbc_iv, 16, sp_plain, 64, 10, out, 64) ==
              64 &&
          same(out, cbc, 64));
    CHECK(CIPHER_MULTI(kb, PSA_ALG_CBC_NO_PADDING, 0, cbc_iv, 16, cbc, 64, 64, out, 64) == 64 &&
          same(out, sp_plain, 64));
    memcpy(out2, cbc_iv, 16);
    memcpy(out2 + 16, cbc, 64);
    CHECK_OK(psa_cipher_decrypt(kb, PSA_ALG_CBC_NO_PADDING, out2, 80, out, 64, &len));
    CHECK(len == 64 && same(out, sp_plain, 64));
    /* One-shot encryption picks a random IV and puts it first. */
    CHECK_OK(psa_cipher_encrypt(kb, PSA_ALG_CBC_NO_PADDING, sp_plain, 64, out, 80, &len));
    CHECK_OK(psa_cipher_encrypt(kb, PSA_ALG_CBC_NO_PADDING, sp_plain, 64, out2, 80, &len2));
    CHECK(len == 80 && len2 == 80 && !same(out, out2, 16));
    CHECK(CIPHER_MULTI(kb, PSA_ALG_CBC_NO_PADDING, 1, out, 16, sp_plain, 64, 64, big_ref, 64) ==
              64 &&
          same(big_ref, out + 16, 64));
    CHECK_OK(psa_cipher_decrypt(kb, PSA_ALG_CBC_NO_PADDING, out2, 80, out, 64, &len));
    CHECK(len == 64 && same(out, sp_plain, 64));
    memset(out, CANARY, sizeof(out));
    CHECK_ST(psa_cipher_encrypt(kb, PSA_ALG_CBC_NO_PADDING, sp_plain, 64, out, 79, &len),
             PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(len == 0 && untouched(out, sizeof(out)));
    CHECK_ST(psa_cipher_decrypt(kb, PSA_ALG_CBC_NO_PADDING, out2, 80, out, 63, &len),
             PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(len == 0 && untouched(out, sizeof(out)));

    /* CBC with PKCS#7 padding: a whole block of padding after 64 bytes. */
    psa_key_id_t kp = IMPORT(PSA_KEY_TYPE_AES, ed, PSA_ALG_CBC_PKCS7, aes_key, 16);
    CHECK_OK(psa_cipher_encrypt(kp, PSA_ALG_CBC_PKCS7, sp_plain, 64, out, sizeof(out), &len));
    CHECK(len == 96);
    /* The first four blocks are plain CBC's under the IV it chose. */
    CHECK(CIPHER_MULTI(kb, PSA_ALG_CBC_NO_PADDING, 1, out, 16, sp_plain, 64, 64, out2, 64) == 64 &&
          same(out2, out + 16, 64));
    CHECK_OK(psa_cipher_decrypt(kp, PSA_ALG_CBC_PKCS7, out, 96, out2, sizeof(out2), &len));
    CHECK(len == 64 && same(out2, sp_plain, 64));
    /* SP 800-38A's ciphertext decrypted as padded: its last plaintext byte is 0x10, but the
     * block is not sixteen of them. */
    memcpy(out2, cbc_iv, 16);
    memcpy(out2 + 16, cbc, 64);
    CHECK_ST(psa_cipher_decrypt(kp, PSA_ALG_CBC_PKCS7, out2, 80, out, sizeof(out), &len),
             PSA_ERROR_INVALID_PADDING);

    /* CTR: multipart with the known initial counter block, one-shot decryption. */
    psa_key_id_t kt = IMPORT(PSA_KEY_TYPE_AES, ed, PSA_ALG_CTR, aes_key, 16);
    CHECK(CIPHER_MULTI(kt, PSA_ALG_CTR, 1, ctr_iv, 16, sp_plain, 64, 5, out, 64) == 64 &&
          same(out, ctr, 64));
    memcpy(out2, ctr_iv, 16);
    memcpy(out2 + 16, ctr, 64);
    CHECK_OK(psa_cipher_decrypt(kt, PSA_ALG_CTR, out2, 80, out, 64, &len));
    CHECK(len == 64 && same(out, sp_plain, 64));
    CHECK_OK(psa_cipher_decrypt(kt, PSA_ALG_CTR, out2, 16 + 7, out, 64, &len));
    CHECK(len == 7 && same(out, sp_plain, 7));
    CHECK_OK(psa_cipher_encrypt(kt, PSA_ALG_CTR, sp_plain, 7, out, sizeof(out), &len));
    CHECK(len == 16 + 7);
    CHECK_OK(psa_cipher_decrypt(kt, PSA_ALG_CTR, out, 16 + 7, out2, sizeof(out2), &len));
    CHECK(len == 7 && same(out2, sp_plain, 7));

    /* ChaCha20: PSA's 12-byte nonce starts the block counter at 0 and RFC 8439 2.4.2 at 1, so
     * one block of zeros goes first (its output is that block of key stream). */
    static const char sun[] = "Ladies and Gentlemen of the class of '99: If I could offer you "
                              "only one tip for the future, sunscreen would be it.";
    uint8_t chacha_key[32];
    for (size_t i = 0; i < 32; i++) {
        chacha_key[i] = (uint8_t)i;
    }
    const int chacha = has(PSA_ALG_STREAM_CIPHER);
    psa_key_id_t kc =
        IMPORT_IF(chacha, PSA_KEY_TYPE_CHACHA20, ed, PSA_ALG_STREAM_CIPHER, chacha_key, 32);
    if (chacha) {
        memset(big_in, 0, 64);
        memcpy(big_in + 64, sun, 114);
        CHECK(CIPHER_MULTI(kc, PSA_ALG_STREAM_CIPHER, 1, chacha_nonce, 12, big_in, 178, 50, big_out,
                           178) == 178 &&
              same(big_out + 64, chacha_ct, 114));
        memcpy(big_ref, chacha_nonce, 12);
        memcpy(big_ref + 12, big_out, 178);
        CHECK_OK(psa_cipher_decrypt(kc, PSA_ALG_STREAM_CIPHER, big_ref, 190, big_out, 178, &len));
        CHECK(len == 178 && all(big_out, 64, 0) && same(big_out + 64, sun, 114));
    }

    /* Wrong states. */
    CHECK_ST(psa_cipher_update(&op, sp_plain, 16, out, 16, &len), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_cipher_finish(&op, out, 16, &len), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_cipher_set_iv(&op, cbc_iv, 16), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    CHECK_ST(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_cipher_update(&op, sp_plain, 16, out, 16, &len), PSA_ERROR_BAD_STATE); /* IV */
    CHECK_OK(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    CHECK_OK(psa_cipher_set_iv(&op, cbc_iv, 16));
    CHECK_ST(psa_cipher_set_iv(&op, cbc_iv, 16), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    CHECK_OK(psa_cipher_set_iv(&op, cbc_iv, 16));
    CHECK_ST(psa_cipher_generate_iv(&op, iv, 16, &len), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    CHECK_ST(psa_cipher_set_iv(&op, cbc_iv, 15), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_OK(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    CHECK_ST(psa_cipher_set_iv(&op, big_in, 17), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_OK(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    memset(iv, CANARY, sizeof(iv));
    CHECK_ST(psa_cipher_generate_iv(&op, iv, 15, &len), PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(len == 0 && untouched(iv, sizeof(iv)));
    CHECK_OK(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    CHECK_OK(psa_cipher_generate_iv(&op, iv, sizeof(iv), &len));
    CHECK(len == 16);
    CHECK_ST(psa_cipher_set_iv(&op, cbc_iv, 16), PSA_ERROR_BAD_STATE);
    /* Mbed TLS lets a decryption generate an IV too: it does not check the direction. */
    CHECK_OK(psa_cipher_decrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    CHECK_OK(psa_cipher_generate_iv(&op, iv, sizeof(iv), &len));
    CHECK(len == 16);
    CHECK_OK(psa_cipher_abort(&op));
    /* A finish ends the operation; so does an update with too little room. */
    CHECK_OK(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    CHECK_OK(psa_cipher_set_iv(&op, cbc_iv, 16));
    CHECK_OK(psa_cipher_update(&op, sp_plain, 16, out, 16, &len));
    CHECK(len == 16 && same(out, cbc, 16));
    CHECK_OK(psa_cipher_finish(&op, out, sizeof(out), &len));
    CHECK(len == 0);
    CHECK_ST(psa_cipher_finish(&op, out, sizeof(out), &len), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    CHECK_OK(psa_cipher_set_iv(&op, cbc_iv, 16));
    memset(out, CANARY, sizeof(out));
    CHECK_ST(psa_cipher_update(&op, sp_plain, 32, out, 31, &len), PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(len == 0 && untouched(out, sizeof(out)));
    CHECK_ST(psa_cipher_update(&op, sp_plain, 32, out, 32, &len), PSA_ERROR_BAD_STATE);
    /* Abort mid-way, then reuse the object for decryption. */
    CHECK_OK(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    CHECK_OK(psa_cipher_set_iv(&op, cbc_iv, 16));
    CHECK_OK(psa_cipher_update(&op, sp_plain, 16, out, 16, &len));
    CHECK_OK(psa_cipher_abort(&op));
    CHECK_OK(psa_cipher_decrypt_setup(&op, kb, PSA_ALG_CBC_NO_PADDING));
    CHECK_OK(psa_cipher_set_iv(&op, cbc_iv, 16));
    CHECK_OK(psa_cipher_update(&op, cbc, 64, out, 64, &len));
    CHECK_OK(psa_cipher_finish(&op, out + len, sizeof(out) - len, &len2));
    CHECK(len + len2 == 64 && same(out, sp_plain, 64));

    /* Policies, usages and algorithms that are no ciphers. */
    CHECK_ST(psa_cipher_encrypt(kb, PSA_ALG_CTR, sp_plain, 16, out, sizeof(out), &len),
             PSA_ERROR_NOT_PERMITTED);
    CHECK_ST(psa_cipher_encrypt_setup(&op, kb, PSA_ALG_CBC_PKCS7), PSA_ERROR_NOT_PERMITTED);
    psa_key_id_t kg = IMPORT(PSA_KEY_TYPE_AES, ed, PSA_ALG_GCM, aes_key, 16);
    CHECK_ST(psa_cipher_encrypt(kg, PSA_ALG_GCM, sp_plain, 16, out, sizeof(out), &len),
             PSA_ERROR_INVALID_ARGUMENT);
    psa_key_id_t kx = IMPORT_IF(chacha, PSA_KEY_TYPE_CHACHA20, ed, PSA_ALG_CTR, chacha_key, 32);
    if (chacha) {
        CHECK_ST(psa_cipher_encrypt(kx, PSA_ALG_CTR, sp_plain, 16, out, sizeof(out), &len),
                 PSA_ERROR_NOT_SUPPORTED);
    }
    psa_key_id_t kenc = IMPORT(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT, PSA_ALG_CTR, aes_key, 16);
    CHECK_OK(psa_cipher_encrypt(kenc, PSA_ALG_CTR, sp_plain, 16, out, sizeof(out), &len));
    CHECK_ST(psa_cipher_decrypt(kenc, PSA_ALG_CTR, out, 32, out2, sizeof(out2), &len),
             PSA_ERROR_NOT_PERMITTED);
    CHECK_ST(psa_cipher_decrypt_setup(&op, kenc, PSA_ALG_CTR), PSA_ERROR_NOT_PERMITTED);

    /* Larger than the service's buffers: one-shot is streamed, and equals multipart. */
    static const psa_algorithm_t big_algs[] = {PSA_ALG_CTR, PSA_ALG_CBC_NO_PADDING,
                                               PSA_ALG_ECB_NO_PADDING, PSA_ALG_STREAM_CIPHER};
    const psa_key_id_t big_keys[] = {kt, kb, ke, kc};
    static const size_t big_ivs[] = {16, 16, 0, 12}; /* ECB has none */
    for (size_t i = 0; i < 4; i++) {
        const size_t ivl = big_ivs[i];
        if (!has(big_algs[i])) {
            continue; /* its key was refused above */
        }
        fill(big_in, BIG, 4 + (uint32_t)i);
        CHECK_OK(psa_cipher_encrypt(big_keys[i], big_algs[i], big_in, BIG, big_out, sizeof(big_out),
                                    &len));
        CHECK(len == ivl + BIG);
        CHECK(CIPHER_MULTI(big_keys[i], big_algs[i], 1, big_out, ivl, big_in, BIG, 1000, big_ref,
                           sizeof(big_ref)) == BIG &&
              same(big_ref, big_out + ivl, BIG));
        CHECK_OK(psa_cipher_decrypt(big_keys[i], big_algs[i], big_out, ivl + BIG, big_ref,
                                    sizeof(big_ref), &len));
        CHECK(len == BIG && same(big_ref, big_in, BIG));
    }
    /* Too little room for a streamed result: what is written stays inside the buffer. */
    memset(big_out, CANARY, sizeof(big_out));
    CHECK_ST(psa_cipher_encrypt(kt, PSA_ALG_CTR, big_in, BIG, big_out, 16 + BIG - 1, &len),
             PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(len == 0 && all(big_out + 16 + BIG - 1, sizeof(big_out) - (16 + BIG - 1), CANARY));

    const psa_key_id_t keys[] = {ke, kb, kp, kt, kc, kg, kx, kenc};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        CHECK_OK(psa_destroy_key(keys[i]));
    }
    (void)psa_cipher_abort(&op); /* nothing held if a check above failed */
}

/* ---- AEAD -------------------------------------------------------------------------------- */

/* Multipart AEAD: the additional data in two pieces, `in` in pieces of `step`, the lengths
 * declared first when `lengths`. Encrypting, `out` gets ciphertext || tag; decrypting, `in` is
 * ciphertext || tag (tag_len bytes) and `out` gets the plaintext. The total length, or 0 if a
 * call failed (reported at the caller's line). */
static size_t aead_multi_at(int line, psa_key_id_t key, psa_algorithm_t alg, int encrypt,
                            const uint8_t *nonce, size_t nonce_len, int lengths, const uint8_t *ad,
                            size_t ad_len, const uint8_t *in, size_t n, size_t tag_len, size_t step,
                            uint8_t *out, size_t out_size)
{
    psa_aead_operation_t op = PSA_AEAD_OPERATION_INIT;
    const size_t body = encrypt ? n : n - tag_len;
    size_t total = 0, len = 0, got = 0;
    uint8_t tag[PSA_AEAD_TAG_MAX_SIZE];
    psa_status_t status =
        encrypt ? psa_aead_encrypt_setup(&op, key, alg) : psa_aead_decrypt_setup(&op, key, alg);
    if (status == PSA_SUCCESS && lengths) {
        status = psa_aead_set_lengths(&op, ad_len, body);
    }
    if (status == PSA_SUCCESS) {
        status = psa_aead_set_nonce(&op, nonce, nonce_len);
    }
    if (status == PSA_SUCCESS) {
        status = psa_aead_update_ad(&op, ad, ad_len / 2);
    }
    if (status == PSA_SUCCESS) {
        status = psa_aead_update_ad(&op, ad + ad_len / 2, ad_len - ad_len / 2);
    }
    for (size_t at = 0; status == PSA_SUCCESS && at < body; at += step) {
        size_t piece = body - at < step ? body - at : step;
        status = psa_aead_update(&op, in + at, piece, out + total, out_size - total, &len);
        total += len;
    }
    if (status == PSA_SUCCESS && encrypt) {
        status = psa_aead_finish(&op, out + total, out_size - total, &len, tag, sizeof(tag), &got);
        total += len;
        if (status == PSA_SUCCESS && got <= out_size - total) {
            memcpy(out + total, tag, got);
            total += got;
        } else if (status == PSA_SUCCESS) {
            status = PSA_ERROR_BUFFER_TOO_SMALL;
        }
    } else if (status == PSA_SUCCESS) {
        status = psa_aead_verify(&op, out + total, out_size - total, &len, in + body, tag_len);
        total += len;
    }
    (void)psa_aead_abort(&op);
    check_status(status, PSA_SUCCESS, line);
    return status == PSA_SUCCESS ? total : 0;
}
#define AEAD_MULTI(...) aead_multi_at(__LINE__, __VA_ARGS__)

static void test_aead(void)
{
    group = "aead";
    const psa_key_usage_t ed = PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT;
    const psa_algorithm_t gcm = PSA_ALG_GCM;
    uint8_t out[160], out2[160], tag[16];
    size_t len = 0, len2 = 0, tag_len = 0;
    psa_aead_operation_t op = PSA_AEAD_OPERATION_INIT;

    /* AES-GCM, test case 4: one-shot and multipart, both ways. */
    psa_key_id_t kg = IMPORT(PSA_KEY_TYPE_AES, ed, gcm, gcm_key, 16);
    memset(out, CANARY, sizeof(out));
    CHECK_OK(psa_aead_encrypt(kg, gcm, gcm_n, 12, gcm_a, 20, gcm_p, 60, out, 76, &len));
    CHECK(len == 76 && same(out, gcm_ct, 76) && out[76] == CANARY);
    CHECK_OK(psa_aead_decrypt(kg, gcm, gcm_n, 12, gcm_a, 20, gcm_ct, 76, out, 60, &len));
    CHECK(len == 60 && same(out, gcm_p, 60));
    CHECK(AEAD_MULTI(kg, gcm, 1, gcm_n, 12, 0, gcm_a, 20, gcm_p, 60, 16, 17, out, sizeof(out)) ==
              76 &&
          same(out, gcm_ct, 76));
    CHECK(AEAD_MULTI(kg, gcm, 1, gcm_n, 12, 1, gcm_a, 20, gcm_p, 60, 16, 60, out, sizeof(out)) ==
              76 &&
          same(out, gcm_ct, 76));
    CHECK(AEAD_MULTI(kg, gcm, 0, gcm_n, 12, 1, gcm_a, 20, gcm_ct, 76, 16, 25, out, sizeof(out)) ==
              60 &&
          same(out, gcm_p, 60));
    /* Tampered tag, ciphertext or additional data: refused, nothing released. */
    memcpy(out2, gcm_ct, 76);
    for (size_t i = 0; i < 2; i++) {
        out2[i == 0 ? 75 : 3] ^= 0x01;
        memset(out, CANARY, sizeof(out));
        CHECK_ST(psa_aead_decrypt(kg, gcm, gcm_n, 12, gcm_a, 20, out2, 76, out, sizeof(out), &len),
                 PSA_ERROR_INVALID_SIGNATURE);
        CHECK(len == 0 && untouched(out, sizeof(out)));
        out2[i == 0 ? 75 : 3] ^= 0x01;
    }
    CHECK_ST(psa_aead_decrypt(kg, gcm, gcm_n, 12, gcm_a, 19, gcm_ct, 76, out, sizeof(out), &len),
             PSA_ERROR_INVALID_SIGNATURE);
    CHECK_OK(psa_aead_decrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_set_nonce(&op, gcm_n, 12));
    CHECK_OK(psa_aead_update_ad(&op, gcm_a, 20));
    CHECK_OK(psa_aead_update(&op, gcm_ct, 60, out, sizeof(out), &len));
    memcpy(tag, gcm_ct + 60, 16);
    tag[0] ^= 0x40;
    CHECK_ST(psa_aead_verify(&op, out + len, sizeof(out) - len, &len2, tag, 16),
             PSA_ERROR_INVALID_SIGNATURE);
    CHECK_ST(psa_aead_verify(&op, out, sizeof(out), &len2, gcm_ct + 60, 16), PSA_ERROR_BAD_STATE);

    /* Buffers too small. */
    memset(out, CANARY, sizeof(out));
    CHECK_ST(psa_aead_encrypt(kg, gcm, gcm_n, 12, gcm_a, 20, gcm_p, 60, out, 75, &len),
             PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(len == 0 && untouched(out, sizeof(out)));
    CHECK_ST(psa_aead_decrypt(kg, gcm, gcm_n, 12, gcm_a, 20, gcm_ct, 76, out, 59, &len),
             PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(len == 0 && untouched(out, sizeof(out)));
    CHECK_OK(psa_aead_encrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_set_nonce(&op, gcm_n, 12));
    CHECK_OK(psa_aead_update(&op, gcm_p, 60, out2, sizeof(out2), &len));
    memset(tag, CANARY, sizeof(tag));
    CHECK_ST(psa_aead_finish(&op, out2 + len, sizeof(out2) - len, &len2, tag, 15, &tag_len),
             PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(no_length(len2) && no_length(tag_len) && untouched(tag, sizeof(tag)));
    CHECK_ST(psa_aead_finish(&op, out2, sizeof(out2), &len2, tag, 16, &tag_len),
             PSA_ERROR_BAD_STATE);

    /* Nonces: generated (12 bytes for GCM), or of a length the algorithm refuses. */
    uint8_t nonce[16];
    CHECK_OK(psa_aead_encrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_generate_nonce(&op, nonce, sizeof(nonce), &len));
    CHECK(len == 12);
    CHECK_ST(psa_aead_set_nonce(&op, gcm_n, 12), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_aead_decrypt_setup(&op, kg, gcm));
    CHECK_ST(psa_aead_generate_nonce(&op, nonce, sizeof(nonce), &len), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_aead_encrypt(kg, gcm, NULL, 0, gcm_a, 20, gcm_p, 60, out, sizeof(out), &len),
             PSA_ERROR_INVALID_ARGUMENT);
#ifndef CRYPTO_SUITE_DIRECT
    /* Longer than any nonce the service takes (16 bytes, PSA_AEAD_NONCE_MAX_SIZE is 13; Mbed
     * TLS on its own takes GCM nonces of any length). */
    CHECK_ST(psa_aead_encrypt(kg, gcm, big_in, 17, gcm_a, 20, gcm_p, 60, out, sizeof(out), &len),
             PSA_ERROR_INVALID_ARGUMENT);
#endif

    /* Wrong states. */
    CHECK_ST(psa_aead_update_ad(&op, gcm_a, 20), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_aead_set_nonce(&op, gcm_n, 12), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_aead_encrypt_setup(&op, kg, gcm));
    CHECK_ST(psa_aead_encrypt_setup(&op, kg, gcm), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_aead_update(&op, gcm_p, 16, out, sizeof(out), &len), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_aead_encrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_set_nonce(&op, gcm_n, 12));
    CHECK_ST(psa_aead_set_nonce(&op, gcm_n, 12), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_aead_encrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_set_nonce(&op, gcm_n, 12));
    CHECK_OK(psa_aead_update(&op, gcm_p, 16, out, sizeof(out), &len));
    CHECK_ST(psa_aead_update_ad(&op, gcm_a, 20), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_aead_encrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_set_nonce(&op, gcm_n, 12));
    CHECK_OK(psa_aead_update_ad(&op, gcm_a, 20));
    CHECK_ST(psa_aead_set_lengths(&op, 20, 60), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_aead_encrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_set_nonce(&op, gcm_n, 12));
    CHECK_ST(psa_aead_verify(&op, out, sizeof(out), &len, gcm_ct + 60, 16), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_aead_decrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_set_nonce(&op, gcm_n, 12));
    CHECK_ST(psa_aead_finish(&op, out, sizeof(out), &len, tag, 16, &tag_len), PSA_ERROR_BAD_STATE);
    /* Declared lengths bind. */
    CHECK_OK(psa_aead_encrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_set_lengths(&op, 20, 60));
    CHECK_OK(psa_aead_set_nonce(&op, gcm_n, 12));
    CHECK_OK(psa_aead_update_ad(&op, gcm_a, 20));
    CHECK_OK(psa_aead_update(&op, gcm_p, 59, out, sizeof(out), &len));
    CHECK_ST(psa_aead_finish(&op, out + len, sizeof(out) - len, &len2, tag, 16, &tag_len),
             PSA_ERROR_INVALID_ARGUMENT);
    CHECK_OK(psa_aead_encrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_set_lengths(&op, 19, 60));
    CHECK_OK(psa_aead_set_nonce(&op, gcm_n, 12));
    CHECK_ST(psa_aead_update_ad(&op, gcm_a, 20), PSA_ERROR_INVALID_ARGUMENT);
    /* Abort mid-way, then reuse the object for decryption. */
    CHECK_OK(psa_aead_encrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_set_nonce(&op, gcm_n, 12));
    CHECK_OK(psa_aead_update_ad(&op, gcm_a, 20));
    CHECK_OK(psa_aead_abort(&op));
    CHECK_OK(psa_aead_abort(&op));
    CHECK_OK(psa_aead_decrypt_setup(&op, kg, gcm));
    CHECK_OK(psa_aead_set_nonce(&op, gcm_n, 12));
    CHECK_OK(psa_aead_update_ad(&op, gcm_a, 20));
    CHECK_OK(psa_aead_update(&op, gcm_ct, 60, out, sizeof(out), &len));
    CHECK_OK(psa_aead_verify(&op, out + len, sizeof(out) - len, &len2, gcm_ct + 60, 16));
    CHECK(len + len2 == 60 && same(out, gcm_p, 60));

    /* AES-CCM, RFC 3610 packet vector #1 (8-byte tag, 13-byte nonce). */
    const psa_algorithm_t ccm8 = PSA_ALG_AEAD_WITH_SHORTENED_TAG(PSA_ALG_CCM, 8);
    uint8_t ccm_ad[8], ccm_p[23];
    for (size_t i = 0; i < 31; i++) {
        if (i < 8) {
            ccm_ad[i] = (uint8_t)i;
        } else {
            ccm_p[i - 8] = (uint8_t)i;
        }
    }
    psa_key_id_t kc = IMPORT(PSA_KEY_TYPE_AES, ed, ccm8, ccm_key, 16);
    CHECK_OK(psa_aead_encrypt(kc, ccm8, ccm_n, 13, ccm_ad, 8, ccm_p, 23, out, 31, &len));
    CHECK(len == 31 && same(out, ccm_ct, 31));
    CHECK_OK(psa_aead_decrypt(kc, ccm8, ccm_n, 13, ccm_ad, 8, ccm_ct, 31, out, 23, &len));
    CHECK(len == 23 && same(out, ccm_p, 23));
    CHECK(AEAD_MULTI(kc, ccm8, 1, ccm_n, 13, 1, ccm_ad, 8, ccm_p, 23, 8, 10, out, sizeof(out)) ==
              31 &&
          same(out, ccm_ct, 31));
    CHECK(AEAD_MULTI(kc, ccm8, 0, ccm_n, 13, 1, ccm_ad, 8, ccm_ct, 31, 8, 7, out, sizeof(out)) ==
              23 &&
          same(out, ccm_p, 23));
    CHECK_OK(psa_aead_encrypt_setup(&op, kc, ccm8)); /* CCM needs the lengths first */
    CHECK_OK(psa_aead_set_nonce(&op, ccm_n, 13));
    CHECK_ST(psa_aead_update_ad(&op, ccm_ad, 8), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_aead_encrypt(kc, ccm8, ccm_n, 6, ccm_ad, 8, ccm_p, 23, out, sizeof(out), &len),
             PSA_ERROR_INVALID_ARGUMENT); /* CCM takes 7 to 13 bytes */
    CHECK_ST(
        psa_aead_encrypt(kc, PSA_ALG_CCM, ccm_n, 13, ccm_ad, 8, ccm_p, 23, out, sizeof(out), &len),
        PSA_ERROR_NOT_PERMITTED); /* its policy has the 8-byte tag */

    /* ChaCha20-Poly1305, RFC 8439 2.8.2. */
    static const char sun[] = "Ladies and Gentlemen of the class of '99: If I could offer you "
                              "only one tip for the future, sunscreen would be it.";
    const uint8_t *sunb = (const uint8_t *)sun;
    const psa_algorithm_t ccp = PSA_ALG_CHACHA20_POLY1305;
    uint8_t ccp_key[32];
    for (size_t i = 0; i < 32; i++) {
        ccp_key[i] = (uint8_t)(0x80 + i);
    }
    psa_key_id_t kp = IMPORT_IF(has(ccp), PSA_KEY_TYPE_CHACHA20, ed, ccp, ccp_key, 32);
    if (has(ccp)) {
        CHECK_OK(psa_aead_encrypt(kp, ccp, ccp_nonce, 12, ccp_aad, 12, sunb, 114, out, 130, &len));
        CHECK(len == 130 && same(out, ccp_ct, 130));
        CHECK_OK(
            psa_aead_decrypt(kp, ccp, ccp_nonce, 12, ccp_aad, 12, ccp_ct, 130, out, 114, &len));
        CHECK(len == 114 && same(out, sun, 114));
        CHECK(AEAD_MULTI(kp, ccp, 1, ccp_nonce, 12, 0, ccp_aad, 12, sunb, 114, 16, 50, out,
                         sizeof(out)) == 130 &&
              same(out, ccp_ct, 130));
        memcpy(out2, ccp_ct, 130);
        out2[129] ^= 0x80;
        CHECK_ST(psa_aead_decrypt(kp, ccp, ccp_nonce, 12, ccp_aad, 12, out2, 130, out, 114, &len),
                 PSA_ERROR_INVALID_SIGNATURE);
        /* The original 8-byte ChaCha20 nonce exists, but not in Mbed TLS; other lengths do not. */
        CHECK_ST(psa_aead_encrypt(kp, ccp, ccp_nonce, 8, ccp_aad, 12, sunb, 114, out, 130, &len),
                 PSA_ERROR_NOT_SUPPORTED);
        CHECK_ST(psa_aead_encrypt(kp, ccp, ccp_nonce, 11, ccp_aad, 12, sunb, 114, out, 130, &len),
                 PSA_ERROR_INVALID_ARGUMENT);
        CHECK_ST(psa_aead_encrypt(kp, gcm, gcm_n, 12, gcm_a, 20, gcm_p, 60, out, 76, &len),
                 PSA_ERROR_NOT_PERMITTED);
    }

    /* Larger than the service's buffers: one-shot encryption is streamed and equals multipart;
     * one-shot decryption must see everything at once, so it is refused (the service's
     * documented limit) while multipart decryption works. */
    fill(big_in, BIG, 6);
    const psa_key_id_t big_keys[] = {kg, kc, kp};
    const psa_algorithm_t big_algs[] = {gcm, ccm8, ccp};
    const uint8_t *big_nonces[] = {gcm_n, ccm_n, ccp_nonce};
    const size_t nonce_lens[] = {12, 13, 12}, tags[] = {16, 8, 16}, ads[] = {3000, 100, 0};
    for (size_t i = 0; i < 3; i++) {
        if (!has(big_algs[i])) {
            continue; /* its key was refused above */
        }
        CHECK_OK(psa_aead_encrypt(big_keys[i], big_algs[i], big_nonces[i], nonce_lens[i], big_in,
                                  ads[i], big_in, BIG, big_out, sizeof(big_out), &len));
        CHECK(len == BIG + tags[i]);
        CHECK(AEAD_MULTI(big_keys[i], big_algs[i], 1, big_nonces[i], nonce_lens[i], i == 1, big_in,
                         ads[i], big_in, BIG, tags[i], 1000, big_ref,
                         sizeof(big_ref)) == BIG + tags[i] &&
              same(big_ref, big_out, BIG + tags[i]));
#ifndef CRYPTO_SUITE_DIRECT /* the service's limit */
        CHECK_ST(psa_aead_decrypt(big_keys[i], big_algs[i], big_nonces[i], nonce_lens[i], big_in,
                                  ads[i], big_out, BIG + tags[i], big_ref, sizeof(big_ref), &len),
                 PSA_ERROR_INSUFFICIENT_MEMORY);
#endif
        CHECK(AEAD_MULTI(big_keys[i], big_algs[i], 0, big_nonces[i], nonce_lens[i], i == 1, big_in,
                         ads[i], big_out, BIG + tags[i], tags[i], 2500, big_ref,
                         sizeof(big_ref)) == BIG &&
              same(big_ref, big_in, BIG));
    }

    const psa_key_id_t keys[] = {kg, kc, kp};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        CHECK_OK(psa_destroy_key(keys[i]));
    }
    (void)psa_aead_abort(&op); /* nothing held if a check above failed */
}

/* ---- key derivation ---------------------------------------------------------------------- */

static void test_kdf(void)
{
    group = "kdf";
    const psa_algorithm_t hkdf = PSA_ALG_HKDF(PSA_ALG_SHA_256);
    uint8_t ikm[22], salt[13], info[10], out[128];
    size_t capacity = 0;
    memset(ikm, 0x0b, sizeof(ikm));
    for (size_t i = 0; i < sizeof(salt); i++) {
        salt[i] = (uint8_t)i;
    }
    for (size_t i = 0; i < sizeof(info); i++) {
        info[i] = (uint8_t)(0xf0 + i);
    }
    psa_key_derivation_operation_t op = PSA_KEY_DERIVATION_OPERATION_INIT;

    /* HKDF-SHA-256, RFC 5869 test case 1, from bytes; capacity 255 hashes, counted down. */
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_OK(psa_key_derivation_get_capacity(&op, &capacity));
    CHECK(capacity == 255u * 32u);
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SALT, salt, 13));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ikm, 22));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO, info, 10));
    CHECK_OK(psa_key_derivation_output_bytes(&op, out, 42));
    CHECK(same(out, hkdf_okm, 42));
    CHECK_OK(psa_key_derivation_get_capacity(&op, &capacity));
    CHECK(capacity == 255u * 32u - 42u);
    CHECK_OK(psa_key_derivation_abort(&op));
    CHECK_OK(psa_key_derivation_abort(&op));
    CHECK_ST(psa_key_derivation_get_capacity(&op, &capacity), PSA_ERROR_BAD_STATE);

    /* The same with the secret in a key; the output in a key and then in bytes. */
    psa_key_id_t ks = IMPORT(PSA_KEY_TYPE_DERIVE, PSA_KEY_USAGE_DERIVE, hkdf, ikm, sizeof(ikm));
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SALT, salt, 13));
    CHECK_OK(psa_key_derivation_input_key(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ks));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO, info, 10));
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_AES);
    psa_set_key_bits(&a, 128);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_EXPORT);
    psa_key_id_t kd = PSA_KEY_ID_NULL;
    CHECK_OK(psa_key_derivation_output_key(&a, &op, &kd));
    CHECK_OK(psa_key_derivation_output_bytes(&op, out + 16, 26));
    CHECK_OK(psa_key_derivation_abort(&op));
    size_t len = 0;
    CHECK_OK(psa_export_key(kd, out, 16, &len));
    CHECK(len == 16 && same(out, hkdf_okm, 42));
    CHECK_OK(psa_destroy_key(kd));

    /* HKDF's two halves. */
    CHECK_OK(psa_key_derivation_setup(&op, PSA_ALG_HKDF_EXTRACT(PSA_ALG_SHA_256)));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SALT, salt, 13));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ikm, 22));
    CHECK_OK(psa_key_derivation_get_capacity(&op, &capacity));
    CHECK(capacity == 32);
    CHECK_OK(psa_key_derivation_output_bytes(&op, out, 32));
    CHECK(same(out, hkdf_prk, 32));
    CHECK_ST(psa_key_derivation_output_bytes(&op, out, 1), PSA_ERROR_INSUFFICIENT_DATA);
    CHECK_OK(psa_key_derivation_abort(&op));
    CHECK_OK(psa_key_derivation_setup(&op, PSA_ALG_HKDF_EXPAND(PSA_ALG_SHA_256)));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, hkdf_prk, 32));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO, info, 10));
    CHECK_OK(psa_key_derivation_output_bytes(&op, out, 42));
    CHECK(same(out, hkdf_okm, 42));
    CHECK_OK(psa_key_derivation_abort(&op));

    /* More output than the service's buffer in one call: the same bytes as in pieces. */
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ikm, 22));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO, info, 10));
    CHECK_OK(psa_key_derivation_output_bytes(&op, big_out, 0));
    CHECK_OK(psa_key_derivation_output_bytes(&op, big_out, BIG));
    CHECK_OK(psa_key_derivation_abort(&op));
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ikm, 22));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO, info, 10));
    CHECK_OK(psa_key_derivation_output_bytes(&op, big_ref, 1000));
    CHECK_OK(psa_key_derivation_output_bytes(&op, big_ref + 1000, BIG - 1000));
    CHECK_OK(psa_key_derivation_get_capacity(&op, &capacity));
    CHECK(capacity == 255u * 32u - BIG && same(big_out, big_ref, BIG));
    CHECK_OK(psa_key_derivation_abort(&op));

    /* Capacity: lowered, then exhausted; it cannot be raised. */
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_OK(psa_key_derivation_set_capacity(&op, 42));
    /* Refused, and the operation stays valid with its capacity unchanged (PSA). */
    CHECK_ST(psa_key_derivation_set_capacity(&op, 43), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_OK(psa_key_derivation_get_capacity(&op, &capacity));
    CHECK(capacity == 42);
    CHECK_ST(psa_key_derivation_setup(&op, hkdf), PSA_ERROR_BAD_STATE); /* still in use */
    CHECK_OK(psa_key_derivation_abort(&op));
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_OK(psa_key_derivation_set_capacity(&op, 42));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ikm, 22));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO, info, 10));
    CHECK_OK(psa_key_derivation_output_bytes(&op, out, 40));
    CHECK_ST(psa_key_derivation_output_bytes(&op, out, 3), PSA_ERROR_INSUFFICIENT_DATA);
    CHECK_OK(psa_key_derivation_abort(&op));

    /* Wrong order or state. */
    CHECK_ST(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SALT, salt, 13),
             PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_key_derivation_output_bytes(&op, out, 1), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_ST(psa_key_derivation_setup(&op, hkdf), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_key_derivation_output_bytes(&op, out, 1), PSA_ERROR_BAD_STATE);
    /* A failed output keeps the operation (it now answers INSUFFICIENT_DATA): abort it. */
    CHECK_ST(psa_key_derivation_setup(&op, hkdf), PSA_ERROR_BAD_STATE);
    CHECK_ST(psa_key_derivation_output_bytes(&op, out, 1), PSA_ERROR_INSUFFICIENT_DATA);
    CHECK_OK(psa_key_derivation_abort(&op));
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ikm, 22));
    CHECK_ST(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SALT, salt, 13),
             PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_ST(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_LABEL, info, 10),
             PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_key_derivation_setup(&op, PSA_ALG_SHA_256), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_key_derivation_setup(&op, PSA_ALG_HMAC(PSA_ALG_SHA_256)),
             PSA_ERROR_INVALID_ARGUMENT);
    /* Keys: DERIVE usage and a policy for this algorithm. */
    psa_key_id_t kn = IMPORT(PSA_KEY_TYPE_DERIVE, PSA_KEY_USAGE_EXPORT, hkdf, ikm, sizeof(ikm));
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_ST(psa_key_derivation_input_key(&op, PSA_KEY_DERIVATION_INPUT_SECRET, kn),
             PSA_ERROR_NOT_PERMITTED);
    UNLESS_HAS(PSA_ALG_SHA_512, psa_key_derivation_setup(&op, PSA_ALG_HKDF(PSA_ALG_SHA_512)))
    {
        CHECK_OK(psa_key_derivation_setup(&op, PSA_ALG_HKDF(PSA_ALG_SHA_512)));
        CHECK_ST(psa_key_derivation_input_key(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ks),
                 PSA_ERROR_NOT_PERMITTED);
    }
#ifndef CRYPTO_SUITE_DIRECT
    /* Declared by Mbed TLS 3.6 but not in its library (a program calling it directly does not
     * link): the service answers NOT_SUPPORTED and leaves the operation as it was. */
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ikm, 22));
    CHECK_ST(psa_key_derivation_verify_bytes(&op, hkdf_okm, 42), PSA_ERROR_NOT_SUPPORTED);
    CHECK_ST(psa_key_derivation_output_bytes(&op, out, 1), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_key_derivation_abort(&op));
#endif

    /* PBKDF2-HMAC-SHA-256, RFC 7914 section 11. */
    UNLESS_HAS(PSA_ALG_PBKDF2_HMAC(PSA_ALG_SHA_256),
               psa_key_derivation_setup(&op, PSA_ALG_PBKDF2_HMAC(PSA_ALG_SHA_256)))
    {
        CHECK_OK(psa_key_derivation_setup(&op, PSA_ALG_PBKDF2_HMAC(PSA_ALG_SHA_256)));
        CHECK_OK(psa_key_derivation_input_integer(&op, PSA_KEY_DERIVATION_INPUT_COST, 1));
        CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SALT,
                                                (const uint8_t *)"salt", 4));
        CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_PASSWORD,
                                                (const uint8_t *)"passwd", 6));
        CHECK_OK(psa_key_derivation_output_bytes(&op, out, 64));
        CHECK(same(out, pbkdf2, 64));
        CHECK_OK(psa_key_derivation_abort(&op));
        /* The same password as a key of type PASSWORD: the same output. */
        psa_key_id_t kp =
            IMPORT(PSA_KEY_TYPE_PASSWORD, PSA_KEY_USAGE_DERIVE,
                   PSA_ALG_PBKDF2_HMAC(PSA_ALG_SHA_256), (const uint8_t *)"passwd", 6);
        CHECK_OK(psa_key_derivation_setup(&op, PSA_ALG_PBKDF2_HMAC(PSA_ALG_SHA_256)));
        CHECK_OK(psa_key_derivation_input_integer(&op, PSA_KEY_DERIVATION_INPUT_COST, 1));
        CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SALT,
                                                (const uint8_t *)"salt", 4));
        CHECK_OK(psa_key_derivation_input_key(&op, PSA_KEY_DERIVATION_INPUT_PASSWORD, kp));
        memset(out, 0, 64);
        CHECK_OK(psa_key_derivation_output_bytes(&op, out, 64));
        CHECK(same(out, pbkdf2, 64));
        CHECK_OK(psa_key_derivation_abort(&op));
        CHECK_OK(psa_destroy_key(kp));
        CHECK_OK(psa_key_derivation_setup(&op, PSA_ALG_PBKDF2_HMAC(PSA_ALG_SHA_256)));
        CHECK_ST(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SALT,
                                                (const uint8_t *)"salt", 4),
                 PSA_ERROR_BAD_STATE); /* the cost comes first */
    }

    /* TLS 1.2 PRF with SHA-256. */
    UNLESS_HAS(PSA_ALG_TLS12_PRF(PSA_ALG_SHA_256),
               psa_key_derivation_setup(&op, PSA_ALG_TLS12_PRF(PSA_ALG_SHA_256)))
    {
        CHECK_OK(psa_key_derivation_setup(&op, PSA_ALG_TLS12_PRF(PSA_ALG_SHA_256)));
        CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SEED, prf_seed, 16));
        CHECK_OK(
            psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, prf_secret, 16));
        CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_LABEL,
                                                (const uint8_t *)"test label", 10));
        CHECK_OK(psa_key_derivation_output_bytes(&op, out, 60));
        CHECK_OK(psa_key_derivation_output_bytes(&op, out + 60, 40));
        CHECK(same(out, prf_out, 100));
        CHECK_OK(psa_key_derivation_abort(&op));
    }

    /* X25519 (RFC 7748 6.1) agreement into HKDF. */
    psa_key_id_t kx =
        IMPORT_IF(SUITE_WANT_X25519, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_MONTGOMERY),
                  PSA_KEY_USAGE_DERIVE, PSA_ALG_ECDH, x_apriv, 32);
    if (SUITE_WANT_X25519) {
        CHECK_OK(psa_key_derivation_setup(&op, PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, hkdf)));
        CHECK_OK(
            psa_key_derivation_key_agreement(&op, PSA_KEY_DERIVATION_INPUT_SECRET, kx, x_bpub, 32));
        CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO,
                                                (const uint8_t *)"suite", 5));
        CHECK_OK(psa_key_derivation_output_bytes(&op, out, 32));
        CHECK(same(out, x_hkdf, 32));
        CHECK_OK(psa_key_derivation_abort(&op));
        /* A failed agreement (a peer key of the wrong size), then one with no key at all: each
         * answered as Mbed TLS answers, the operation kept until the abort. */
        CHECK_OK(psa_key_derivation_setup(&op, PSA_ALG_KEY_AGREEMENT(PSA_ALG_ECDH, hkdf)));
        CHECK_ST(
            psa_key_derivation_key_agreement(&op, PSA_KEY_DERIVATION_INPUT_SECRET, kx, x_bpub, 31),
            PSA_ERROR_INVALID_ARGUMENT);
        /* The failure ended the operation, and on an inactive one Mbed TLS checks the algorithm
         * first. */
        CHECK_ST(
            psa_key_derivation_key_agreement(&op, PSA_KEY_DERIVATION_INPUT_SECRET, 0, x_bpub, 32),
            PSA_ERROR_INVALID_ARGUMENT);
        CHECK_OK(psa_key_derivation_abort(&op));
    }

    /* A key derived with custom parameters: the defaults, as psa_key_derivation_output_key;
     * others refused. */
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ikm, 22));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO, info, 10));
    psa_key_attributes_t da = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&da, PSA_KEY_TYPE_RAW_DATA);
    psa_set_key_bits(&da, 128);
    psa_set_key_usage_flags(&da, PSA_KEY_USAGE_EXPORT);
    const psa_custom_key_parameters_t plain = PSA_CUSTOM_KEY_PARAMETERS_INIT;
    const psa_custom_key_parameters_t odd = {.flags = 1};
    psa_key_id_t dk = PSA_KEY_ID_NULL;
    CHECK_ST(psa_key_derivation_output_key_custom(&da, &op, &odd, NULL, 0, &dk),
             PSA_ERROR_INVALID_ARGUMENT);
    CHECK_OK(psa_key_derivation_abort(&op));
    /* (A key is derived only from a secret that is a key.) */
    psa_key_id_t dsec = IMPORT(PSA_KEY_TYPE_DERIVE, PSA_KEY_USAGE_DERIVE, hkdf, ikm, 22);
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SALT, salt, 13));
    CHECK_OK(psa_key_derivation_input_key(&op, PSA_KEY_DERIVATION_INPUT_SECRET, dsec));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO, info, 10));
    CHECK_OK(psa_key_derivation_output_key_custom(&da, &op, &plain, NULL, 0, &dk));
    len = 0;
    CHECK_OK(psa_export_key(dk, out, sizeof(out), &len));
    CHECK(len == 16 && same(out, hkdf_okm, 16));
    CHECK_OK(psa_destroy_key(dk));
    CHECK_OK(psa_destroy_key(dsec));
    CHECK_OK(psa_key_derivation_abort(&op));

    /* More than the capacity: nothing written, the capacity set to 0, and the operation then
     * answers INSUFFICIENT_DATA (PSA), even for fewer bytes. Far more than the service's
     * buffers, so that it cannot have produced any of it. */
    CHECK_OK(psa_key_derivation_setup(&op, hkdf));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ikm, 22));
    CHECK_OK(psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO, info, 10));
    CHECK_OK(psa_key_derivation_set_capacity(&op, BIG - 1u));
    memset(big_out, CANARY, BIG);
    CHECK_ST(psa_key_derivation_output_bytes(&op, big_out, BIG), PSA_ERROR_INSUFFICIENT_DATA);
    CHECK(untouched(big_out, BIG));
    size_t left = 1;
    CHECK_OK(psa_key_derivation_get_capacity(&op, &left));
    CHECK(left == 0);
    CHECK_ST(psa_key_derivation_output_bytes(&op, out, 1), PSA_ERROR_INSUFFICIENT_DATA);
    CHECK_ST(psa_key_derivation_setup(&op, hkdf), PSA_ERROR_BAD_STATE);
    CHECK_OK(psa_key_derivation_abort(&op));

    const psa_key_id_t keys[] = {ks, kn, kx};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        CHECK_OK(psa_destroy_key(keys[i]));
    }
    (void)psa_key_derivation_abort(&op); /* nothing held if a check above failed */
}

/* ---- asymmetric -------------------------------------------------------------------------- */

static void test_ecc(void)
{
    group = "ecc";
    const psa_algorithm_t det = PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_256);
    const psa_algorithm_t rnd = PSA_ALG_ECDSA(PSA_ALG_SHA_256);
    const psa_key_usage_t all_sign = PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE |
                                     PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH;
    const uint8_t *sample = (const uint8_t *)"sample";
    uint8_t sig[80], sig2[80], buf[80], hash[32];
    size_t len = 0, len2 = 0;

    /* ECDSA P-256, RFC 6979 A.2.5: the public key, the deterministic signature of "sample". */
    const int det_ok = has(det); /* else randomized signatures, verified, not compared */
    const psa_algorithm_t salg = det_ok ? det : rnd;
    psa_key_id_t k = IMPORT(PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1),
                            all_sign | PSA_KEY_USAGE_EXPORT, salg, p256_priv, 32);
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    CHECK_OK(psa_get_key_attributes(k, &a));
    CHECK(psa_get_key_bits(&a) == 256 &&
          psa_get_key_type(&a) == PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    CHECK_OK(psa_export_public_key(k, buf, sizeof(buf), &len));
    CHECK(len == 65 && same(buf, p256_pub, 65));
    CHECK_OK(psa_export_key(k, buf, sizeof(buf), &len));
    CHECK(len == 32 && same(buf, p256_priv, 32));
    CHECK_OK(psa_sign_message(k, salg, sample, 6, sig, sizeof(sig), &len));
    CHECK(len == 64 && (!det_ok || same(sig, p256_sig, 64)));
    CHECK_OK(psa_verify_message(k, salg, sample, 6, sig, 64));
    CHECK_OK(psa_hash_compute(PSA_ALG_SHA_256, sample, 6, hash, sizeof(hash), &len));
    CHECK_OK(psa_sign_hash(k, salg, hash, 32, sig, sizeof(sig), &len));
    CHECK(len == 64 && (!det_ok || same(sig, p256_sig, 64)));
    CHECK_OK(psa_verify_hash(k, salg, hash, 32, sig, 64));
    CHECK_OK(psa_verify_message(k, salg, sample, 6, p256_sig, 64));
    CHECK_OK(psa_verify_hash(k, salg, hash, 32, p256_sig, 64));
    memcpy(sig, p256_sig, 64);
    sig[10] ^= 0x04;
    CHECK_ST(psa_verify_message(k, salg, sample, 6, sig, 64), PSA_ERROR_INVALID_SIGNATURE);
    CHECK_ST(psa_verify_message(k, salg, (const uint8_t *)"samplf", 6, p256_sig, 64),
             PSA_ERROR_INVALID_SIGNATURE);
    CHECK_ST(psa_verify_message(k, salg, sample, 6, p256_sig, 63), PSA_ERROR_INVALID_SIGNATURE);
    memset(sig, CANARY, sizeof(sig));
    CHECK_ST(psa_sign_message(k, salg, sample, 6, sig, 63, &len), PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(len == 0 && untouched(sig, sizeof(sig)));
    /* Mbed TLS's ECDSA signs a "hash" of any length (ECDSA truncates or pads it): the
     * length is not checked against the algorithm's hash. */
    CHECK_OK(psa_sign_hash(k, salg, hash, 31, sig, sizeof(sig), &len));
    CHECK(len == 64 && !same(sig, p256_sig, 64));
    CHECK_OK(psa_verify_hash(k, salg, hash, 31, sig, 64));
    CHECK_ST(psa_verify_hash(k, salg, hash, 32, sig, 64), PSA_ERROR_INVALID_SIGNATURE);
    CHECK_ST(psa_sign_message(k, PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_384), sample, 6, sig,
                              sizeof(sig), &len),
             has(PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_384)) ? PSA_ERROR_NOT_PERMITTED
                                                               : PSA_ERROR_NOT_SUPPORTED);

    /* Interruptible: the same RFC 6979 signature in slices of at most 50 operations, their
     * number counted; the verification in slices too; each caller's own max_ops. p256-m (the
     * product profile's P-256) has no interruptible ECDSA: its start is refused. */
    CHECK(psa_interruptible_get_max_ops() == PSA_INTERRUPTIBLE_MAX_OPS_UNLIMITED);
    psa_sign_hash_interruptible_operation_t so = PSA_SIGN_HASH_INTERRUPTIBLE_OPERATION_INIT;
    if (SUITE_P256M) {
        CHECK_ST(psa_sign_hash_start(&so, k, salg, hash, 32), PSA_ERROR_NOT_SUPPORTED);
    } else {
        psa_interruptible_set_max_ops(50);
        CHECK(psa_interruptible_get_max_ops() == 50);
        CHECK(psa_sign_hash_get_num_ops(&so) == 0);
        CHECK_OK(psa_sign_hash_start(&so, k, det, hash, 32));
        CHECK_ST(psa_sign_hash_start(&so, k, det, hash, 32), PSA_ERROR_BAD_STATE);
        CHECK_OK(psa_sign_hash_abort(&so));
        CHECK_OK(psa_sign_hash_start(&so, k, det, hash, 32));
        psa_status_t st;
        unsigned slices = 0;
        memset(sig, 0, sizeof(sig));
        while ((st = psa_sign_hash_complete(&so, sig, sizeof(sig), &len)) ==
                   PSA_OPERATION_INCOMPLETE &&
               slices < 100000u) {
            slices++;
        }
        CHECK_OK(st);
        CHECK(slices > 1u && len == 64 && same(sig, p256_sig, 64));
        uint32_t ops = psa_sign_hash_get_num_ops(&so);
        CHECK(ops > 50u * slices / 2u);
        CHECK_ST(psa_sign_hash_complete(&so, sig, sizeof(sig), &len), PSA_ERROR_BAD_STATE);
        CHECK_OK(psa_sign_hash_abort(&so));
        CHECK(psa_sign_hash_get_num_ops(&so) == 0);
        psa_verify_hash_interruptible_operation_t vo = PSA_VERIFY_HASH_INTERRUPTIBLE_OPERATION_INIT;
        for (int tamper = 0; tamper < 2; tamper++) {
            memcpy(sig, p256_sig, 64);
            sig[20] ^= (uint8_t)tamper;
            CHECK_OK(psa_verify_hash_start(&vo, k, det, hash, 32, sig, 64));
            slices = 0;
            while ((st = psa_verify_hash_complete(&vo)) == PSA_OPERATION_INCOMPLETE &&
                   slices < 100000u) {
                slices++;
            }
            CHECK_ST(st, tamper ? PSA_ERROR_INVALID_SIGNATURE : PSA_SUCCESS);
            CHECK(slices > 1u);
            CHECK_OK(psa_verify_hash_abort(&vo));
        }
        /* Unlimited: one call does it all. */
        psa_interruptible_set_max_ops(PSA_INTERRUPTIBLE_MAX_OPS_UNLIMITED);
        CHECK_OK(psa_sign_hash_start(&so, k, det, hash, 32));
        CHECK_OK(psa_sign_hash_complete(&so, sig, sizeof(sig), &len));
        CHECK(len == 64 && same(sig, p256_sig, 64));
        CHECK_OK(psa_sign_hash_abort(&so));
        /* Not a key it can sign with: the start fails, and the operation must be aborted. */
        CHECK_ST(psa_sign_hash_start(&so, 0x3fffffffu, det, hash, 32), PSA_ERROR_INVALID_HANDLE);
        CHECK_ST(psa_sign_hash_start(&so, k, det, hash, 32), PSA_ERROR_BAD_STATE);
        CHECK_OK(psa_sign_hash_abort(&so));
    }
    (void)psa_sign_hash_abort(&so);

    /* The public key alone verifies (with randomized ECDSA: the same signature format). */
    psa_key_id_t kpub =
        IMPORT(PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1),
               PSA_KEY_USAGE_VERIFY_MESSAGE | PSA_KEY_USAGE_SIGN_MESSAGE, rnd, p256_pub, 65);
    CHECK_OK(psa_verify_message(kpub, rnd, sample, 6, p256_sig, 64));
    CHECK_ST(psa_sign_message(kpub, rnd, sample, 6, sig, sizeof(sig), &len),
             PSA_ERROR_INVALID_ARGUMENT); /* no private key, whatever its usage says */
    CHECK_OK(psa_export_key(kpub, buf, sizeof(buf), &len)); /* public: needs no EXPORT usage */
    CHECK(len == 65 && same(buf, p256_pub, 65));

    /* A generated key, randomized signatures under a wildcard policy. */
    psa_key_attributes_t g = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&g, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&g, 256);
    psa_set_key_usage_flags(&g, PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE);
    psa_set_key_algorithm(&g, PSA_ALG_ECDSA(PSA_ALG_ANY_HASH));
    psa_key_id_t kg = PSA_KEY_ID_NULL;
    CHECK_OK(psa_generate_key(&g, &kg));
    CHECK_OK(psa_sign_message(kg, rnd, sample, 6, sig, sizeof(sig), &len));
    CHECK_OK(psa_sign_message(kg, rnd, sample, 6, sig2, sizeof(sig2), &len2));
    CHECK(len == 64 && len2 == 64 && !same(sig, sig2, 64));
    CHECK_OK(psa_verify_message(kg, rnd, sample, 6, sig, 64));
    CHECK_OK(psa_verify_message(kg, rnd, sample, 6, sig2, 64));
    CHECK_ST(psa_verify_message(kg, rnd, sample, 6, p256_sig, 64), PSA_ERROR_INVALID_SIGNATURE);
    CHECK_OK(psa_export_public_key(kg, buf, sizeof(buf), &len));
    CHECK(len == 65 && buf[0] == 0x04);
    CHECK_ST(psa_export_key(kg, buf, sizeof(buf), &len), PSA_ERROR_NOT_PERMITTED);

    /* X25519, RFC 7748 6.1: each side's public key, the same shared secret both ways. */
    const psa_key_type_t x = PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_MONTGOMERY);
    psa_key_id_t ka =
        IMPORT_IF(SUITE_WANT_X25519, x, PSA_KEY_USAGE_DERIVE, PSA_ALG_ECDH, x_apriv, 32);
    psa_key_id_t kb =
        IMPORT_IF(SUITE_WANT_X25519, x, PSA_KEY_USAGE_DERIVE, PSA_ALG_ECDH, x_bpriv, 32);
    if (SUITE_WANT_X25519) {
        CHECK_OK(psa_get_key_attributes(ka, &a));
        CHECK(psa_get_key_bits(&a) == 255);
        CHECK_OK(psa_export_public_key(ka, buf, sizeof(buf), &len));
        CHECK(len == 32 && same(buf, x_apub, 32));
        CHECK_OK(psa_export_public_key(kb, buf, sizeof(buf), &len));
        CHECK(len == 32 && same(buf, x_bpub, 32));
        CHECK_OK(psa_raw_key_agreement(PSA_ALG_ECDH, ka, x_bpub, 32, buf, 32, &len));
        CHECK(len == 32 && same(buf, x_shared, 32));
        CHECK_OK(psa_raw_key_agreement(PSA_ALG_ECDH, kb, x_apub, 32, buf, sizeof(buf), &len));
        CHECK(len == 32 && same(buf, x_shared, 32));
        memset(buf, CANARY, sizeof(buf));
        CHECK_ST(psa_raw_key_agreement(PSA_ALG_ECDH, ka, x_bpub, 32, buf, 31, &len),
                 PSA_ERROR_BUFFER_TOO_SMALL);
        CHECK(no_length(len) && untouched(buf, sizeof(buf)));
        CHECK_ST(psa_raw_key_agreement(PSA_ALG_ECDH, ka, x_bpub, 31, buf, 32, &len),
                 PSA_ERROR_INVALID_ARGUMENT);
        CHECK_ST(psa_raw_key_agreement(PSA_ALG_ECDH, k, x_bpub, 32, buf, 32, &len),
                 PSA_ERROR_NOT_PERMITTED); /* an ECDSA key */
        CHECK_ST(psa_raw_key_agreement(PSA_ALG_FFDH, ka, x_bpub, 32, buf, 32, &len),
                 PSA_ERROR_NOT_PERMITTED);
        CHECK_ST(psa_sign_message(ka, det, sample, 6, sig, sizeof(sig), &len),
                 PSA_ERROR_NOT_PERMITTED);
    }

    const psa_key_id_t keys[] = {k, kpub, kg, ka, kb};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        CHECK_OK(psa_destroy_key(keys[i]));
    }
}

static void test_rsa(void)
{
    group = "rsa";
    if (!SUITE_WANT_RSA) { /* a public key fits any service's buffers */
        psa_key_id_t none =
            IMPORT_IF(0, PSA_KEY_TYPE_RSA_PUBLIC_KEY, PSA_KEY_USAGE_VERIFY_HASH,
                      PSA_ALG_RSA_PKCS1V15_SIGN(PSA_ALG_SHA_256), rsa_pub, sizeof(rsa_pub));
        (void)none;
        return;
    }
    const psa_algorithm_t v15 = PSA_ALG_RSA_PKCS1V15_SIGN(PSA_ALG_SHA_256);
    const psa_algorithm_t pss = PSA_ALG_RSA_PSS(PSA_ALG_SHA_256);
    const psa_algorithm_t oaep = PSA_ALG_RSA_OAEP(PSA_ALG_SHA_256);
    static const char secret[] = "this is no squeamish ossifrage";
    uint8_t sig[128], sig2[128], buf[160];
    size_t len = 0, len2 = 0;

    /* PKCS#1 v1.5 signatures are deterministic: a known answer. PSS is the key's second
     * algorithm (Mbed TLS's enrollment algorithm), which crosses the service too. */
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_RSA_KEY_PAIR);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH);
    psa_set_key_algorithm(&a, v15);
    psa_set_key_enrollment_algorithm(&a, pss);
    psa_key_id_t ks = PSA_KEY_ID_NULL;
    CHECK_OK(psa_import_key(&a, rsa_der, sizeof(rsa_der), &ks));
    psa_reset_key_attributes(&a);
    CHECK_OK(psa_get_key_attributes(ks, &a));
    CHECK(psa_get_key_bits(&a) == 1024 && psa_get_key_algorithm(&a) == v15 &&
          psa_get_key_enrollment_algorithm(&a) == pss);
    CHECK_OK(psa_export_public_key(ks, buf, sizeof(buf), &len));
    CHECK(len == sizeof(rsa_pub) && same(buf, rsa_pub, sizeof(rsa_pub)));
    CHECK_ST(psa_export_key(ks, buf, sizeof(buf), &len), PSA_ERROR_NOT_PERMITTED);
    /* Signing and verifying a message take it whole: at most the service's 2432 bytes (its
     * documented limit). */
    fill(big_in, BIG, 13);
#ifndef CRYPTO_SUITE_DIRECT /* the service's limit */
    CHECK_ST(psa_sign_message(ks, v15, big_in, BIG, sig, sizeof(sig), &len),
             PSA_ERROR_INSUFFICIENT_MEMORY);
    CHECK_ST(psa_verify_message(ks, v15, big_in, BIG, sig, 128), PSA_ERROR_INSUFFICIENT_MEMORY);
#endif
    CHECK_OK(psa_sign_message(ks, v15, big_in, 2432, sig, sizeof(sig), &len));
    CHECK_OK(psa_verify_message(ks, v15, big_in, 2432, sig, 128));
    CHECK_OK(psa_sign_message(ks, v15, abc, 3, sig, sizeof(sig), &len));
    CHECK(len == 128 && same(sig, rsa_sig_abc, 128));
    CHECK_OK(psa_verify_message(ks, v15, abc, 3, rsa_sig_abc, 128));
    memcpy(sig, rsa_sig_abc, 128);
    sig[64] ^= 0x01;
    CHECK_ST(psa_verify_message(ks, v15, abc, 3, sig, 128), PSA_ERROR_INVALID_SIGNATURE);
    memset(sig, CANARY, sizeof(sig));
    CHECK_ST(psa_sign_message(ks, v15, abc, 3, sig, 127, &len), PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(len == 0 && untouched(sig, sizeof(sig)));
    CHECK_OK(psa_sign_message(ks, pss, abc, 3, sig, sizeof(sig), &len));
    CHECK_OK(psa_sign_message(ks, pss, abc, 3, sig2, sizeof(sig2), &len2));
    CHECK(len == 128 && len2 == 128 && !same(sig, sig2, 128)); /* a random salt */
    CHECK_OK(psa_verify_message(ks, pss, abc, 3, sig, 128));
    CHECK_ST(psa_verify_message(ks, pss, abc, 3, rsa_sig_abc, 128), PSA_ERROR_INVALID_SIGNATURE);
    /* Not a signature algorithm: refused before the key's policy is looked at. */
    CHECK_ST(psa_sign_message(ks, oaep, abc, 3, sig, sizeof(sig), &len),
             PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_sign_message(ks, PSA_ALG_RSA_PKCS1V15_SIGN(PSA_ALG_SHA_384), abc, 3, sig,
                              sizeof(sig), &len),
             PSA_ERROR_NOT_PERMITTED);
    /* PKCS#1 v1.5 encodes the hash's identity, so the hash must have its length. */
    uint8_t hash[32];
    CHECK_OK(psa_hash_compute(PSA_ALG_SHA_256, abc, 3, hash, sizeof(hash), &len));
    CHECK_OK(psa_sign_hash(ks, v15, hash, 32, sig, sizeof(sig), &len));
    CHECK(len == 128 && same(sig, rsa_sig_abc, 128));
    CHECK_OK(psa_verify_hash(ks, v15, hash, 32, rsa_sig_abc, 128));
    CHECK_ST(psa_sign_hash(ks, v15, hash, 31, sig, sizeof(sig), &len), PSA_ERROR_INVALID_ARGUMENT);

    /* OAEP: a known ciphertext decrypts; encryptions are random and round-trip; labels bind. */
    psa_key_id_t kc =
        IMPORT(PSA_KEY_TYPE_RSA_KEY_PAIR, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT, oaep,
               rsa_der, sizeof(rsa_der));
    CHECK_OK(psa_asymmetric_decrypt(kc, oaep, rsa_oaep_ct, 128, NULL, 0, buf, sizeof(buf), &len));
    CHECK(len == 30 && same(buf, secret, 30));
    CHECK_OK(psa_asymmetric_encrypt(kc, oaep, abc, 3, NULL, 0, sig, sizeof(sig), &len));
    CHECK_OK(psa_asymmetric_encrypt(kc, oaep, abc, 3, NULL, 0, sig2, sizeof(sig2), &len2));
    CHECK(len == 128 && len2 == 128 && !same(sig, sig2, 128));
    CHECK_OK(psa_asymmetric_decrypt(kc, oaep, sig2, 128, NULL, 0, buf, sizeof(buf), &len));
    CHECK(len == 3 && same(buf, abc, 3));
    sig2[100] ^= 0x01;
    CHECK_ST(psa_asymmetric_decrypt(kc, oaep, sig2, 128, NULL, 0, buf, sizeof(buf), &len),
             PSA_ERROR_INVALID_PADDING);
    const uint8_t *label = (const uint8_t *)"label A";
    CHECK_OK(psa_asymmetric_encrypt(kc, oaep, abc, 3, label, 7, sig, sizeof(sig), &len));
    CHECK_ST(psa_asymmetric_decrypt(kc, oaep, sig, 128, (const uint8_t *)"label B", 7, buf,
                                    sizeof(buf), &len),
             PSA_ERROR_INVALID_PADDING);
    CHECK_OK(psa_asymmetric_decrypt(kc, oaep, sig, 128, label, 7, buf, sizeof(buf), &len));
    CHECK(len == 3 && same(buf, abc, 3));
    fill(big_in, 300, 12); /* a label may be of any length */
    CHECK_OK(psa_asymmetric_encrypt(kc, oaep, abc, 3, big_in, 300, sig, sizeof(sig), &len));
    CHECK_ST(psa_asymmetric_decrypt(kc, oaep, sig, 128, big_in, 299, buf, sizeof(buf), &len),
             PSA_ERROR_INVALID_PADDING);
    CHECK_OK(psa_asymmetric_decrypt(kc, oaep, sig, 128, big_in, 300, buf, sizeof(buf), &len));
    CHECK(len == 3 && same(buf, abc, 3));
    CHECK_ST(psa_asymmetric_decrypt(kc, oaep, rsa_oaep_ct, 128, NULL, 0, buf, 29, &len),
             PSA_ERROR_BUFFER_TOO_SMALL);
    /* At most 128 - 2 * 32 - 2 = 62 bytes fit. */
    CHECK_OK(psa_asymmetric_encrypt(kc, oaep, big_in, 62, NULL, 0, sig, sizeof(sig), &len));
    CHECK_ST(psa_asymmetric_encrypt(kc, oaep, big_in, 63, NULL, 0, sig, sizeof(sig), &len),
             PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_sign_message(kc, v15, abc, 3, sig, sizeof(sig), &len), PSA_ERROR_NOT_PERMITTED);
    /* The private key exports as it was imported (PKCS#1 DER), given the usage. */
    psa_key_id_t kx =
        IMPORT(PSA_KEY_TYPE_RSA_KEY_PAIR, PSA_KEY_USAGE_EXPORT, oaep, rsa_der, sizeof(rsa_der));
    memset(big_out, CANARY, sizeof(rsa_der) + 1);
    CHECK_OK(psa_export_key(kx, big_out, sizeof(rsa_der), &len));
    CHECK(len == sizeof(rsa_der) && same(big_out, rsa_der, sizeof(rsa_der)) &&
          big_out[sizeof(rsa_der)] == CANARY);
    CHECK_ST(psa_export_key(kx, big_out, sizeof(rsa_der) - 1, &len), PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK_OK(psa_destroy_key(kx));

    /* The public key alone encrypts, and cannot decrypt. */
    psa_key_id_t kp =
        IMPORT(PSA_KEY_TYPE_RSA_PUBLIC_KEY, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT, oaep,
               rsa_pub, sizeof(rsa_pub));
    CHECK_OK(psa_asymmetric_encrypt(kp, oaep, abc, 3, NULL, 0, sig, sizeof(sig), &len));
    CHECK_OK(psa_asymmetric_decrypt(kc, oaep, sig, 128, NULL, 0, buf, sizeof(buf), &len));
    CHECK(len == 3 && same(buf, abc, 3));
    CHECK_ST(psa_asymmetric_decrypt(kp, oaep, sig, 128, NULL, 0, buf, sizeof(buf), &len),
             PSA_ERROR_INVALID_ARGUMENT);

    const psa_key_id_t keys[] = {ks, kc, kp};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        CHECK_OK(psa_destroy_key(keys[i]));
    }
}

/* ---- key management ---------------------------------------------------------------------- */

/* Persistent ids the suite uses (the NS client's; SUITE_ID_SHARED also the partition's). */
#define SUITE_ID_KEYS   0x5EE0u
#define SUITE_ID_SHARED 0x5EE1u
#define SUITE_ID_QUOTA  0x5EE2u

static void test_keys(void)
{
    group = "keys";
    const psa_key_usage_t u = PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_COPY;
    uint8_t buf[64], buf2[32];
    size_t len = 0;
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;

    /* Import, attributes, export. */
    psa_key_id_t k = IMPORT(PSA_KEY_TYPE_AES, u, PSA_ALG_CTR, aes_key, 16);
    CHECK(k >= PSA_KEY_ID_VENDOR_MIN && k <= PSA_KEY_ID_VENDOR_MAX); /* Mbed TLS's volatile ids */
    CHECK_OK(psa_get_key_attributes(k, &a));
    CHECK(psa_get_key_type(&a) == PSA_KEY_TYPE_AES && psa_get_key_bits(&a) == 128 &&
          psa_get_key_usage_flags(&a) == u && psa_get_key_algorithm(&a) == PSA_ALG_CTR &&
          psa_get_key_enrollment_algorithm(&a) == 0 &&
          psa_get_key_lifetime(&a) == PSA_KEY_LIFETIME_VOLATILE);
    memset(buf, CANARY, sizeof(buf));
    CHECK_OK(psa_export_key(k, buf, 16, &len));
    CHECK(len == 16 && same(buf, aes_key, 16) && all(buf + 16, sizeof(buf) - 16, CANARY));
    memset(buf, CANARY, sizeof(buf));
    CHECK_ST(psa_export_key(k, buf, 15, &len), PSA_ERROR_BUFFER_TOO_SMALL);
    CHECK(len == 0 && untouched(buf, sizeof(buf)));
    CHECK_ST(psa_export_public_key(k, buf, sizeof(buf), &len), PSA_ERROR_INVALID_ARGUMENT);

    /* Copy: the copy's usage is the one asked for, within the source's. */
    psa_key_attributes_t c = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_usage_flags(&c, PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_DECRYPT);
    psa_set_key_algorithm(&c, PSA_ALG_CTR);
    psa_key_id_t k2 = PSA_KEY_ID_NULL, k3 = PSA_KEY_ID_NULL;
    CHECK_OK(psa_copy_key(k, &c, &k2));
    CHECK(k2 != PSA_KEY_ID_NULL && k2 != k);
    CHECK_OK(psa_get_key_attributes(k2, &a));
    CHECK(psa_get_key_type(&a) == PSA_KEY_TYPE_AES && psa_get_key_bits(&a) == 128 &&
          psa_get_key_usage_flags(&a) == PSA_KEY_USAGE_EXPORT &&
          psa_get_key_algorithm(&a) == PSA_ALG_CTR);
    psa_set_key_algorithm(&c, PSA_ALG_CBC_NO_PADDING);
    CHECK_ST(psa_copy_key(k, &c, &k3), PSA_ERROR_INVALID_ARGUMENT); /* another policy */
    psa_set_key_algorithm(&c, PSA_ALG_CTR);
    psa_set_key_type(&c, PSA_KEY_TYPE_HMAC);
    CHECK_ST(psa_copy_key(k, &c, &k3), PSA_ERROR_INVALID_ARGUMENT); /* another type */
    CHECK(k3 == PSA_KEY_ID_NULL);
    psa_set_key_type(&c, 0);
    CHECK_ST(psa_copy_key(k2, &c, &k3), PSA_ERROR_NOT_PERMITTED); /* k2 has no COPY usage */
    CHECK_OK(psa_destroy_key(k));
    CHECK_OK(psa_export_key(k2, buf, sizeof(buf), &len)); /* the copy outlives its source */
    CHECK(len == 16 && same(buf, aes_key, 16));

    /* Destroyed, and never existing: the same status. */
    CHECK_OK(psa_destroy_key(k2));
    CHECK_ST(psa_export_key(k2, buf, sizeof(buf), &len), PSA_ERROR_INVALID_HANDLE);
    CHECK(len == 0);
    psa_set_key_type(&a, PSA_KEY_TYPE_AES);
    CHECK_ST(psa_get_key_attributes(k2, &a), PSA_ERROR_INVALID_HANDLE);
    CHECK(psa_get_key_type(&a) == 0 && psa_get_key_bits(&a) == 0);
    CHECK_ST(psa_cipher_encrypt(k2, PSA_ALG_CTR, abc, 3, buf, sizeof(buf), &len),
             PSA_ERROR_INVALID_HANDLE);
    CHECK_ST(psa_destroy_key(k2), PSA_ERROR_INVALID_HANDLE);
    /* psa_purge_key looks in memory only, and says so: DOES_NOT_EXIST, not INVALID_HANDLE. */
    CHECK_ST(psa_purge_key(k2), PSA_ERROR_DOES_NOT_EXIST);
    CHECK_OK(psa_destroy_key(PSA_KEY_ID_NULL));
    CHECK_ST(psa_export_key(0x3FFF0001u, buf, sizeof(buf), &len), PSA_ERROR_INVALID_HANDLE);
    CHECK_ST(psa_destroy_key(0x3FFF0001u), PSA_ERROR_INVALID_HANDLE);

    /* Purging a volatile key changes nothing. */
    k = IMPORT(PSA_KEY_TYPE_AES, u, PSA_ALG_CTR, aes_key, 16);
    CHECK_OK(psa_purge_key(k));
    CHECK_OK(psa_export_key(k, buf, sizeof(buf), &len));
    CHECK(len == 16 && same(buf, aes_key, 16));
    CHECK_OK(psa_destroy_key(k));

    /* Key material that does not fit its type. */
    psa_key_id_t bad = PSA_KEY_ID_NULL;
    CHECK_ST(import_with(PSA_KEY_TYPE_AES, 0, u, PSA_ALG_CTR, 0, aes_key, 15, &bad),
             PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(import_with(PSA_KEY_TYPE_AES, 256, u, PSA_ALG_CTR, 0, aes_key, 16, &bad),
             PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(import_with(PSA_KEY_TYPE_AES, 0, u, PSA_ALG_CTR, 0, aes_key, 0, &bad),
             PSA_ERROR_INVALID_ARGUMENT);
    memset(buf2, 0, sizeof(buf2));
    CHECK_ST(import_with(PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1), 0,
                         PSA_KEY_USAGE_SIGN_HASH, PSA_ALG_ECDSA_ANY, 0, buf2, 32, &bad),
             PSA_ERROR_INVALID_ARGUMENT); /* the scalar 0 */
    CHECK_ST(import_with(PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1), 0,
                         PSA_KEY_USAGE_VERIFY_HASH, PSA_ALG_ECDSA_ANY, 0, p256_pub, 64, &bad),
             SUITE_P256M ? PSA_ERROR_NOT_SUPPORTED : PSA_ERROR_INVALID_ARGUMENT);
    /* (Without RSA: refused as unsupported, or first as more than the service holds.) */
    CHECK_ST(import_with(PSA_KEY_TYPE_RSA_KEY_PAIR, 0, PSA_KEY_USAGE_SIGN_HASH,
                         PSA_ALG_RSA_PSS_ANY_SALT(PSA_ALG_SHA_256), 0, rsa_der, sizeof(rsa_der) - 1,
                         &bad),
             SUITE_WANT_RSA                     ? PSA_ERROR_INVALID_ARGUMENT
             : sizeof(rsa_der) - 1u > WHOLE_MAX ? PSA_ERROR_INSUFFICIENT_MEMORY
                                                : PSA_ERROR_NOT_SUPPORTED);
    CHECK_ST(import_with(PSA_KEY_TYPE_NONE, 0, u, PSA_ALG_CTR, 0, aes_key, 16, &bad),
             PSA_ERROR_NOT_SUPPORTED);
    CHECK(bad == PSA_KEY_ID_NULL);

    /* Mbed TLS extends a hash-signing usage to messages. */
    k = IMPORT(PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1),
               PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH, PSA_ALG_ECDSA_ANY, p256_priv,
               32);
    CHECK_OK(psa_get_key_attributes(k, &a));
    CHECK(psa_get_key_usage_flags(&a) ==
          (PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH | PSA_KEY_USAGE_SIGN_MESSAGE |
           PSA_KEY_USAGE_VERIFY_MESSAGE));
    CHECK_OK(psa_destroy_key(k));

    /* Generation. */
    psa_key_attributes_t g = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&g, PSA_KEY_TYPE_AES);
    psa_set_key_bits(&g, 256);
    psa_set_key_usage_flags(&g, PSA_KEY_USAGE_EXPORT);
    psa_key_id_t g1 = PSA_KEY_ID_NULL, g2 = PSA_KEY_ID_NULL;
    CHECK_OK(psa_generate_key(&g, &g1));
    CHECK_OK(psa_generate_key(&g, &g2));
    CHECK_OK(psa_export_key(g1, buf, sizeof(buf), &len));
    CHECK(len == 32);
    CHECK_OK(psa_export_key(g2, buf + 32, 32, &len));
    CHECK(len == 32 && !same(buf, buf + 32, 32) && !all(buf, 32, 0));
    CHECK_OK(psa_destroy_key(g1));
    CHECK_OK(psa_destroy_key(g2));
    psa_set_key_bits(&g, 0);
    CHECK_ST(psa_generate_key(&g, &g1), PSA_ERROR_INVALID_ARGUMENT);
    psa_set_key_bits(&g, 100);
    CHECK_ST(psa_generate_key(&g, &g1), PSA_ERROR_INVALID_ARGUMENT);
    psa_set_key_type(&g, PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&g, 256);
    CHECK_ST(psa_generate_key(&g, &g1), PSA_ERROR_INVALID_ARGUMENT);
    CHECK(g1 == PSA_KEY_ID_NULL);
    /* Custom production (psa_generate_key_custom / _ext): the default parameters make a key as
     * psa_generate_key does; parameters an AES key does not take are refused. */
    psa_set_key_type(&g, PSA_KEY_TYPE_AES);
    psa_set_key_bits(&g, 128);
    const psa_custom_key_parameters_t plain = PSA_CUSTOM_KEY_PARAMETERS_INIT;
    const psa_custom_key_parameters_t odd = {.flags = 1};
    CHECK_OK(psa_generate_key_custom(&g, &plain, NULL, 0, &g1));
    CHECK_OK(psa_export_key(g1, buf, sizeof(buf), &len));
    CHECK(len == 16);
    CHECK_OK(psa_destroy_key(g1));
    CHECK_ST(psa_generate_key_custom(&g, &odd, NULL, 0, &g1), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_generate_key_custom(&g, &plain, aes_key, 3, &g1), PSA_ERROR_INVALID_ARGUMENT);
    CHECK(g1 == PSA_KEY_ID_NULL);
    static const psa_key_production_parameters_t plain_ext = PSA_KEY_PRODUCTION_PARAMETERS_INIT;
    CHECK_OK(psa_generate_key_ext(&g, &plain_ext, 0, &g1));
    CHECK_OK(psa_destroy_key(g1));

    /* Persistent keys: ids in the application range only, one key per id. */
    psa_key_id_t p = PSA_KEY_ID_NULL;
    CHECK_ST(
        import_with(PSA_KEY_TYPE_AES, 0, u, PSA_ALG_CTR, PSA_KEY_ID_VENDOR_MIN, aes_key, 16, &p),
        PSA_ERROR_INVALID_ARGUMENT);
    psa_key_attributes_t pa = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&pa, PSA_KEY_TYPE_AES);
    psa_set_key_usage_flags(&pa, u);
    psa_set_key_algorithm(&pa, PSA_ALG_CTR);
    psa_set_key_lifetime(&pa, PSA_KEY_LIFETIME_PERSISTENT); /* and no id */
    CHECK_ST(psa_import_key(&pa, aes_key, 16, &p), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_OK(import_with(PSA_KEY_TYPE_AES, 0, u, PSA_ALG_CTR, SUITE_ID_KEYS, aes_key, 16, &p));
    CHECK(p == SUITE_ID_KEYS);
    CHECK_OK(psa_get_key_attributes(SUITE_ID_KEYS, &a));
    CHECK(psa_get_key_lifetime(&a) == PSA_KEY_LIFETIME_PERSISTENT &&
          psa_get_key_id(&a) == SUITE_ID_KEYS && psa_get_key_bits(&a) == 128);
    CHECK_ST(import_with(PSA_KEY_TYPE_AES, 0, u, PSA_ALG_CTR, SUITE_ID_KEYS, aes_key, 16, &p),
             PSA_ERROR_ALREADY_EXISTS);
    CHECK(p == PSA_KEY_ID_NULL);
    CHECK_OK(psa_purge_key(SUITE_ID_KEYS)); /* out of memory; loaded again on use */
    CHECK_OK(psa_export_key(SUITE_ID_KEYS, buf, sizeof(buf), &len));
    CHECK(len == 16 && same(buf, aes_key, 16));
    psa_key_attributes_t v = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_usage_flags(&v, PSA_KEY_USAGE_EXPORT);
    CHECK_OK(psa_copy_key(SUITE_ID_KEYS, &v, &k)); /* a volatile copy of a persistent key */
    CHECK_OK(psa_get_key_attributes(k, &a));
    CHECK(psa_get_key_lifetime(&a) == PSA_KEY_LIFETIME_VOLATILE);
    CHECK_OK(psa_destroy_key(SUITE_ID_KEYS));
    CHECK_ST(psa_export_key(SUITE_ID_KEYS, buf, sizeof(buf), &len), PSA_ERROR_INVALID_HANDLE);
    CHECK_OK(psa_export_key(k, buf, sizeof(buf), &len));
    CHECK(len == 16 && same(buf, aes_key, 16));
    CHECK_OK(psa_destroy_key(k));
    /* Destroyed for good: the id is free again. */
    CHECK_OK(import_with(PSA_KEY_TYPE_AES, 0, u, PSA_ALG_CTR, SUITE_ID_KEYS, buf2, 16, &p));
    CHECK_OK(psa_export_key(SUITE_ID_KEYS, buf, sizeof(buf), &len));
    CHECK(len == 16 && all(buf, 16, 0));
    CHECK_OK(psa_destroy_key(SUITE_ID_KEYS));
}

/* ---- random ------------------------------------------------------------------------------ */

static void test_random(void)
{
    group = "random";
    uint8_t a[32], b[32];
    CHECK_OK(psa_generate_random(a, sizeof(a)));
    CHECK_OK(psa_generate_random(b, sizeof(b)));
    CHECK(!same(a, b, 32) && !all(a, 32, 0) && !all(b, 32, 0));
    CHECK_OK(psa_generate_random(NULL, 0));
    /* More than the service's buffer: produced in pieces, the last one too. */
    memset(big_out, 0, sizeof(big_out));
    CHECK_OK(psa_generate_random(big_out, BIG));
    CHECK(!all(big_out + BIG - 32, 32, 0) && !same(big_out, big_out + BIG - 32, 32) &&
          all(big_out + BIG, sizeof(big_out) - BIG, 0));
}

/* ---- arguments the client library refuses ----------------------------------------------- */

#ifndef CRYPTO_SUITE_DIRECT
static void test_client_args(void)
{
    group = "client_args";
    uint8_t buf[64];
    size_t len = 0;
    memcpy(buf, abc, 3);
    /* Overlapping outputs: the SM refuses such vectors, so the library does. */
    psa_aead_operation_t ao = PSA_AEAD_OPERATION_INIT;
    CHECK_ST(psa_aead_finish(&ao, buf, 16, &len, buf + 8, 16, &len), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_hash_compute(PSA_ALG_SHA_256, abc, 3, NULL, 32, &len), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_hash_compute(PSA_ALG_SHA_256, abc, 3, buf, 32, NULL), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_hash_compute(PSA_ALG_SHA_256, NULL, 3, buf, 32, &len), PSA_ERROR_INVALID_ARGUMENT);
    CHECK_ST(psa_get_key_attributes(1, NULL), PSA_ERROR_INVALID_ARGUMENT);
    psa_key_id_t id = PSA_KEY_ID_NULL;
    CHECK_ST(psa_import_key(NULL, aes_key, 16, &id), PSA_ERROR_INVALID_ARGUMENT);
    /* An operation given such an argument is aborted and frees its slot: five in a row fit
     * the four slots a client has. */
    psa_key_id_t k = IMPORT(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT, PSA_ALG_CTR, aes_key, 16);
    for (int i = 0; i < 5; i++) {
        psa_cipher_operation_t op = PSA_CIPHER_OPERATION_INIT;
        CHECK_OK(psa_cipher_encrypt_setup(&op, k, PSA_ALG_CTR));
        CHECK_OK(psa_cipher_set_iv(&op, ctr_iv, 16));
        CHECK_ST(psa_cipher_update(&op, buf, 16, NULL, 16, &len), PSA_ERROR_INVALID_ARGUMENT);
        CHECK_ST(psa_cipher_update(&op, buf, 16, buf + 16, 16, &len), PSA_ERROR_BAD_STATE);
    }
    CHECK_OK(psa_destroy_key(k));
}
#endif

/* ---- in place ------------------------------------------------------------------------------ */

/* Output buffers overlapping input buffers, as the PSA Crypto API allows: the result is as if
 * they did not overlap, for data the service holds whole and for data it streams (4 KiB). */
static void test_in_place(void)
{
    group = "in_place";
    uint8_t buf[64];
    size_t len = 0, len2 = 0;
    /* A hash written over its own input. */
    memcpy(buf, abc, 3);
    CHECK_OK(psa_hash_compute(PSA_ALG_SHA_256, buf, 3, buf + 2, 32, &len));
    CHECK(len == 32 && same(buf + 2, abc_sha256, 32));
    /* CTR one-shot over 4 KiB in place (IV first, then the ciphertext: the output runs ahead of
     * the input), decrypted in place again. */
    psa_key_id_t k = IMPORT(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT,
                            PSA_ALG_CTR, aes_key, 16);
    for (size_t i = 0; i < BIG; i++) {
        big_in[i] = (uint8_t)(i * 13u + 1u);
    }
    memcpy(big_out, big_in, BIG);
    CHECK_OK(psa_cipher_encrypt(k, PSA_ALG_CTR, big_out, BIG, big_out, BIG + 16u, &len));
    CHECK(len == BIG + 16u);
    CHECK_OK(psa_cipher_decrypt(k, PSA_ALG_CTR, big_out, len, big_ref, BIG, &len2));
    CHECK(len2 == BIG && same(big_ref, big_in, BIG));
    CHECK_OK(psa_cipher_decrypt(k, PSA_ALG_CTR, big_out, len, big_out, len, &len2));
    CHECK(len2 == BIG && same(big_out, big_in, BIG));
    /* Multipart, each update in place. */
    psa_cipher_operation_t op = PSA_CIPHER_OPERATION_INIT;
    memcpy(big_out, big_in, 1000);
    CHECK_OK(psa_cipher_encrypt_setup(&op, k, PSA_ALG_CTR));
    CHECK_OK(psa_cipher_set_iv(&op, ctr_iv, 16));
    CHECK_OK(psa_cipher_update(&op, big_out, 600, big_out, 600, &len));
    CHECK_OK(psa_cipher_update(&op, big_out + len, 400, big_out + len, 400, &len2));
    CHECK_OK(psa_cipher_finish(&op, buf, sizeof(buf), &len));
    CHECK_OK(psa_cipher_decrypt_setup(&op, k, PSA_ALG_CTR));
    CHECK_OK(psa_cipher_set_iv(&op, ctr_iv, 16));
    CHECK_OK(psa_cipher_update(&op, big_out, 1000, big_ref, 1000, &len));
    CHECK_OK(psa_cipher_finish(&op, buf, sizeof(buf), &len2));
    CHECK(len == 1000 && same(big_ref, big_in, 1000));
    CHECK_OK(psa_destroy_key(k));
    /* GCM one-shot in place: 4 KiB encrypted (streamed), 2 KiB decrypted (held whole). */
    static const uint8_t nonce[12] = {7};
    psa_key_id_t g = IMPORT(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT,
                            PSA_ALG_GCM, aes_key, 16);
    memcpy(big_out, big_in, BIG);
    CHECK_OK(psa_aead_encrypt(g, PSA_ALG_GCM, nonce, 12, abc, 3, big_out, BIG, big_out, BIG + 16u,
                              &len));
    CHECK_OK(psa_aead_encrypt(g, PSA_ALG_GCM, nonce, 12, abc, 3, big_in, BIG, big_ref, BIG + 16u,
                              &len2));
    CHECK(len == BIG + 16u && len2 == len && same(big_out, big_ref, len));
    /* The ciphertext with its tag, and the room for a tag beside any output, in the buffers. */
    const size_t held = WHOLE_MAX - 32u < 2000u ? WHOLE_MAX - 32u : 2000u;
    memcpy(big_out, big_in, held);
    CHECK_OK(psa_aead_encrypt(g, PSA_ALG_GCM, nonce, 12, NULL, 0, big_out, held, big_out,
                              held + 16u, &len));
    CHECK_OK(psa_aead_decrypt(g, PSA_ALG_GCM, nonce, 12, NULL, 0, big_out, len, big_out, held + 16u,
                              &len2));
    CHECK(len2 == held && same(big_out, big_in, held));
    CHECK_OK(psa_destroy_key(g));
}

/* ---- the operation table ----------------------------------------------------------------- */

#ifndef CRYPTO_SUITE_DIRECT
/* The service keeps at most four operations per client and eight in all (crypto_partition.c).
 * With two clients holding four each the whole table is in use, so its global bound is reached
 * with the per-client one and cannot be told apart here. */
/* Inputs larger than the service's buffers are refused and disturb nothing: an operation in
 * progress and a key made before still work afterwards. (The service once wiped its buffer to
 * the client's length, past its end, over every client's operations and keys.) */
static void test_oversized_inputs(void)
{
    group = "oversized";
    psa_hash_operation_t h = PSA_HASH_OPERATION_INIT;
    uint8_t out[32];
    size_t len = 0;
    CHECK_OK(psa_hash_setup(&h, PSA_ALG_SHA_256));
    CHECK_OK(psa_hash_update(&h, (const uint8_t *)"a", 1));
    psa_key_id_t k = IMPORT(PSA_KEY_TYPE_HMAC, PSA_KEY_USAGE_SIGN_MESSAGE,
                            PSA_ALG_HMAC(PSA_ALG_SHA_256), (const uint8_t *)"key", 3);
    memset(big_in, 0x33, BIG);
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_HMAC);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_MESSAGE);
    psa_set_key_algorithm(&a, PSA_ALG_HMAC(PSA_ALG_SHA_256));
    psa_key_id_t other = 0;
    CHECK_ST(psa_import_key(&a, big_in, BIG, &other), PSA_ERROR_INSUFFICIENT_MEMORY);
    psa_key_derivation_operation_t d = PSA_KEY_DERIVATION_OPERATION_INIT;
    CHECK_OK(psa_key_derivation_setup(&d, PSA_ALG_HKDF(PSA_ALG_SHA_256)));
    CHECK_ST(psa_key_derivation_input_bytes(&d, PSA_KEY_DERIVATION_INPUT_SALT, big_in, BIG),
             PSA_ERROR_INSUFFICIENT_MEMORY);
    CHECK_OK(psa_key_derivation_abort(&d));
    CHECK_OK(psa_hash_update(&h, (const uint8_t *)"bc", 2));
    CHECK_OK(psa_hash_finish(&h, out, sizeof(out), &len));
    CHECK(len == 32 && same(out, abc_sha256, 32));
    CHECK_OK(psa_mac_compute(k, PSA_ALG_HMAC(PSA_ALG_SHA_256), (const uint8_t *)"x", 1, out,
                             sizeof(out), &len));
    CHECK_OK(psa_destroy_key(k));
}

/* Each client's share of the service's tables (docs/design/crypto.md, Quotas). */
#define SUITE_OPS_PARTITION  2
#define SUITE_KEYS_NS        8 /* volatile keys */
#define SUITE_KEYS_PARTITION 4

static void test_table(void)
{
    group = "table";
    const psa_algorithm_t sha = PSA_ALG_SHA_256, hmac = PSA_ALG_HMAC(PSA_ALG_SHA_256);
    psa_hash_operation_t ops[5] = {PSA_HASH_OPERATION_INIT, PSA_HASH_OPERATION_INIT,
                                   PSA_HASH_OPERATION_INIT, PSA_HASH_OPERATION_INIT,
                                   PSA_HASH_OPERATION_INIT};
    uint8_t h[32], got[CLIENT_CRYPTO_HELD_MAX * 32];
    uint32_t handles[CLIENT_CRYPTO_HELD_MAX];
    size_t len = 0;
    psa_key_id_t km = IMPORT(PSA_KEY_TYPE_HMAC, PSA_KEY_USAGE_SIGN_MESSAGE, hmac, aes_key, 16);
    psa_key_id_t kc = IMPORT(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT, PSA_ALG_CTR, aes_key, 16);

    /* Four operations of this client (the NS world's share); a fifth of any kind is refused. */
    for (size_t i = 0; i < 4; i++) {
        CHECK_OK(psa_hash_setup(&ops[i], sha));
        CHECK_OK(psa_hash_update(&ops[i], abc, 2));
    }
    CHECK_ST(psa_hash_setup(&ops[4], sha), PSA_ERROR_INSUFFICIENT_MEMORY);
    CHECK_ST(psa_hash_update(&ops[4], abc, 1), PSA_ERROR_BAD_STATE); /* left inactive */
    CHECK_ST(psa_hash_clone(&ops[0], &ops[4]), PSA_ERROR_INSUFFICIENT_MEMORY);
    psa_mac_operation_t mac = PSA_MAC_OPERATION_INIT;
    CHECK_ST(psa_mac_sign_setup(&mac, km, hmac), PSA_ERROR_INSUFFICIENT_MEMORY);
    psa_cipher_operation_t cipher = PSA_CIPHER_OPERATION_INIT;
    CHECK_ST(psa_cipher_encrypt_setup(&cipher, kc, PSA_ALG_CTR), PSA_ERROR_INSUFFICIENT_MEMORY);
    psa_aead_operation_t aead = PSA_AEAD_OPERATION_INIT;
    CHECK_ST(psa_aead_encrypt_setup(&aead, kc, PSA_ALG_GCM), PSA_ERROR_INSUFFICIENT_MEMORY);
    psa_key_derivation_operation_t kdf = PSA_KEY_DERIVATION_OPERATION_INIT;
    CHECK_ST(psa_key_derivation_setup(&kdf, PSA_ALG_HKDF(sha)), PSA_ERROR_INSUFFICIENT_MEMORY);
    /* One-shot functions need no slot. */
    CHECK_OK(psa_hash_compute(sha, abc, 3, h, sizeof(h), &len));
    CHECK(len == 32 && same(h, abc_sha256, 32));
    CHECK_OK(psa_mac_compute(km, hmac, abc, 3, h, sizeof(h), &len));
    CHECK_OK(psa_cipher_encrypt(kc, PSA_ALG_CTR, abc, 3, got, sizeof(got), &len));
    CHECK(len == 19);

    /* The other client has slots of its own (a partition's share: 2), and is refused a third. */
    CHECK_OK(
        part(CLIENT_CRYPTO_HOLD, 0, SUITE_OPS_PARTITION, abc, 2, handles, sizeof(handles), &len));
    CHECK(len == 4 * SUITE_OPS_PARTITION);
    CHECK_ST(part(CLIENT_CRYPTO_HOLD, 0, 1, abc, 2, NULL, 0, NULL), PSA_ERROR_INSUFFICIENT_MEMORY);

    /* Handles are their client's: another client's, or one of another kind, is no operation
     * (BAD_STATE, as for handle 0; its abort succeeds, as an inactive operation's does) and
     * disturbs nothing. */
    psa_hash_operation_t forged = PSA_HASH_OPERATION_INIT;
    forged.handle = handles[0];
    CHECK_ST(psa_hash_update(&forged, abc, 1), PSA_ERROR_BAD_STATE);
    forged.handle = handles[SUITE_OPS_PARTITION - 1];
    CHECK_ST(psa_hash_abort(&forged), PSA_SUCCESS);
    CHECK_ST(part(CLIENT_CRYPTO_FORGE, ops[0].handle, 0, abc, 1, NULL, 0, NULL),
             PSA_ERROR_BAD_STATE);
    mac.handle = ops[1].handle;
    CHECK_ST(psa_mac_update(&mac, abc, 1), PSA_ERROR_BAD_STATE);

    /* Recovery: an abort frees a slot for the next setup. */
    CHECK_OK(psa_hash_abort(&ops[0]));
    CHECK_OK(psa_hash_setup(&ops[4], sha));
    CHECK_OK(psa_hash_update(&ops[4], abc, 2));
    CHECK_ST(psa_hash_setup(&ops[0], sha), PSA_ERROR_INSUFFICIENT_MEMORY);

    /* Every operation of both clients went on undisturbed. */
    CHECK_OK(part(CLIENT_CRYPTO_RELEASE, 0, 0, abc + 2, 1, got, sizeof(got), &len));
    CHECK(len == SUITE_OPS_PARTITION * 32);
    for (size_t i = 0; i < SUITE_OPS_PARTITION; i++) {
        CHECK(same(got + 32 * i, abc_sha256, 32));
    }
    uint32_t finished = ops[1].handle;
    for (size_t i = 1; i < 5; i++) {
        CHECK_OK(psa_hash_update(&ops[i], abc + 2, 1));
        CHECK_OK(psa_hash_finish(&ops[i], h, sizeof(h), &len));
        CHECK(len == 32 && same(h, abc_sha256, 32));
    }

    /* All free again; a finished operation's handle does not reach the slot's next operation. */
    for (size_t i = 0; i < 4; i++) {
        CHECK_OK(psa_hash_setup(&ops[i], sha));
        CHECK_OK(psa_hash_update(&ops[i], abc, 3));
    }
    forged.handle = finished;
    CHECK_ST(psa_hash_update(&forged, abc, 3), PSA_ERROR_BAD_STATE);
    for (size_t i = 0; i < 4; i++) {
        CHECK_OK(psa_hash_verify(&ops[i], abc_sha256, 32));
    }
    CHECK_OK(
        part(CLIENT_CRYPTO_HOLD, 0, SUITE_OPS_PARTITION, abc, 3, handles, sizeof(handles), &len));
    CHECK_OK(part(CLIENT_CRYPTO_RELEASE, 0, 0, NULL, 0, got, sizeof(got), &len));
    CHECK(len == SUITE_OPS_PARTITION * 32 &&
          same(got + (SUITE_OPS_PARTITION - 1) * 32, abc_sha256, 32));
    CHECK_OK(psa_destroy_key(km));
    CHECK_OK(psa_destroy_key(kc));
    for (size_t i = 0; i < 5; i++) {
        (void)psa_hash_abort(&ops[i]); /* nothing held if a check above failed */
    }
}

/* ---- two clients' keys ------------------------------------------------------------------- */

static void test_isolation(void)
{
    group = "isolation";
    const psa_algorithm_t hmac = PSA_ALG_HMAC(PSA_ALG_SHA_256);
    const psa_key_usage_t u =
        PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE;
    uint8_t kn[32], kp[32], buf[64], mac[32];
    size_t len = 0;
    uint32_t pid = 0;
    psa_key_id_t id = PSA_KEY_ID_NULL;
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    fill(kn, sizeof(kn), 10);
    fill(kp, sizeof(kp), 11);

    /* This client's persistent key X: to the partition it is exactly a key that does not
     * exist. */
    CHECK_OK(import_with(PSA_KEY_TYPE_HMAC, 0, u, hmac, SUITE_ID_SHARED, kn, 32, &id));
    CHECK(id == SUITE_ID_SHARED);
    CHECK_ST(part(CLIENT_CRYPTO_EXPORT, SUITE_ID_SHARED, 0, NULL, 0, buf, sizeof(buf), &len),
             PSA_ERROR_INVALID_HANDLE);
    CHECK(len == 0);
    CHECK_ST(part(CLIENT_CRYPTO_MAC, SUITE_ID_SHARED, 0, abc, 3, buf, sizeof(buf), &len),
             PSA_ERROR_INVALID_HANDLE);
    CHECK_ST(part_key(CLIENT_CRYPTO_DESTROY, SUITE_ID_SHARED), PSA_ERROR_INVALID_HANDLE);
    CHECK_ST(part_key(CLIENT_CRYPTO_EXPORT, SUITE_ID_SHARED + 1), PSA_ERROR_INVALID_HANDLE);

    /* The partition makes its own X, independently. */
    CHECK_OK(part(CLIENT_CRYPTO_IMPORT, SUITE_ID_SHARED, 0, kp, 32, &pid, sizeof(pid), &len));
    CHECK(len == 4 && pid == SUITE_ID_SHARED);
    CHECK_OK(psa_export_key(SUITE_ID_SHARED, buf, sizeof(buf), &len));
    CHECK(len == 32 && same(buf, kn, 32));
    CHECK_OK(part(CLIENT_CRYPTO_EXPORT, SUITE_ID_SHARED, 0, NULL, 0, buf, sizeof(buf), &len));
    CHECK(len == 32 && same(buf, kp, 32));
    /* Each client's X is its own key: the partition's MAC is the one under its key. */
    psa_key_id_t vk = IMPORT(PSA_KEY_TYPE_HMAC, PSA_KEY_USAGE_SIGN_MESSAGE, hmac, kp, 32);
    CHECK_OK(psa_mac_compute(vk, hmac, abc, 3, mac, sizeof(mac), &len));
    CHECK_OK(part(CLIENT_CRYPTO_MAC, SUITE_ID_SHARED, 0, abc, 3, buf, sizeof(buf), &len));
    CHECK(len == 32 && same(buf, mac, 32));
    CHECK_OK(psa_mac_compute(SUITE_ID_SHARED, hmac, abc, 3, buf, sizeof(buf), &len));
    CHECK(len == 32 && !same(buf, mac, 32));

    /* Volatile keys: each client's are invisible to the other too. */
    CHECK_ST(part_key(CLIENT_CRYPTO_EXPORT, vk), PSA_ERROR_INVALID_HANDLE);
    CHECK_ST(part_key(CLIENT_CRYPTO_DESTROY, vk), PSA_ERROR_INVALID_HANDLE);
    CHECK_OK(part(CLIENT_CRYPTO_IMPORT, 0, 0, kp, 32, &pid, sizeof(pid), &len));
    CHECK(len == 4 && pid >= PSA_KEY_ID_VENDOR_MIN && pid <= PSA_KEY_ID_VENDOR_MAX && pid != vk);
    CHECK_ST(psa_export_key(pid, buf, sizeof(buf), &len), PSA_ERROR_INVALID_HANDLE);
    CHECK_ST(psa_get_key_attributes(pid, &a), PSA_ERROR_INVALID_HANDLE);
    CHECK_ST(psa_mac_compute(pid, hmac, abc, 3, buf, sizeof(buf), &len), PSA_ERROR_INVALID_HANDLE);
    CHECK_ST(psa_destroy_key(pid), PSA_ERROR_INVALID_HANDLE);
    CHECK_OK(part(CLIENT_CRYPTO_MAC, pid, 0, abc, 3, buf, sizeof(buf), &len));
    CHECK(len == 32 && same(buf, mac, 32));
    CHECK_OK(part_key(CLIENT_CRYPTO_DESTROY, pid));
    CHECK_OK(psa_mac_compute(vk, hmac, abc, 3, buf, sizeof(buf), &len));
    CHECK(len == 32 && same(buf, mac, 32));

    /* Destroying one client's X leaves the other's. */
    CHECK_OK(part_key(CLIENT_CRYPTO_DESTROY, SUITE_ID_SHARED));
    CHECK_ST(part_key(CLIENT_CRYPTO_EXPORT, SUITE_ID_SHARED), PSA_ERROR_INVALID_HANDLE);
    CHECK_OK(psa_export_key(SUITE_ID_SHARED, buf, sizeof(buf), &len));
    CHECK(len == 32 && same(buf, kn, 32));
    CHECK_OK(psa_destroy_key(SUITE_ID_SHARED));
    CHECK_ST(psa_export_key(SUITE_ID_SHARED, buf, sizeof(buf), &len), PSA_ERROR_INVALID_HANDLE);
    CHECK_OK(psa_destroy_key(vk));
}

/* ---- reservations: one client's use never fails another's call ------------------------- */

#define SUITE_KEYS_TRY 32 /* more than the whole key slot table had before quotas (16) */

/* The other client imports volatile HMAC keys until it is refused; returns how many it got
 * (their ids in ids[]) and the refusal in *refused. */
static size_t part_take_keys(const uint8_t *k, uint32_t *ids, size_t max, psa_status_t *refused)
{
    size_t n = 0, len = 0;
    *refused = PSA_SUCCESS;
    while (n < max && *refused == PSA_SUCCESS) {
        *refused = part(CLIENT_CRYPTO_IMPORT, 0, 0, k, 32, &ids[n], sizeof(ids[n]), &len);
        n += *refused == PSA_SUCCESS ? 1u : 0u;
    }
    return n;
}

static void test_key_quota(void)
{
    group = "key quota";
    const psa_algorithm_t hmac = PSA_ALG_HMAC(PSA_ALG_SHA_256);
    const psa_key_usage_t u =
        PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE;
    static psa_key_id_t mine[SUITE_KEYS_TRY];
    static uint32_t theirs[SUITE_KEYS_TRY];
    uint8_t k[32], mac[32], buf[32];
    size_t n = 0, m = 0, len = 0;
    psa_key_id_t id = PSA_KEY_ID_NULL, p = PSA_KEY_ID_NULL;
    psa_status_t status = PSA_SUCCESS;
    fill(k, sizeof(k), 12);

    /* This client takes every volatile key it can get: its share, then INSUFFICIENT_MEMORY. */
    while (n < SUITE_KEYS_TRY && status == PSA_SUCCESS) {
        status = import_with(PSA_KEY_TYPE_HMAC, 0, u, hmac, PSA_KEY_ID_NULL, k, 32, &mine[n]);
        n += status == PSA_SUCCESS ? 1u : 0u;
    }
    CHECK(n == SUITE_KEYS_NS);
    CHECK_ST(status, PSA_ERROR_INSUFFICIENT_MEMORY);
    /* The refusal changed nothing: the keys are there, and so is a refused generate's. */
    CHECK_OK(psa_mac_compute(mine[0], hmac, abc, 3, mac, sizeof(mac), &len));
    CHECK_OK(psa_mac_verify(mine[n - 1u], hmac, abc, 3, mac, 32));
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_HMAC);
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, u);
    psa_set_key_algorithm(&a, hmac);
    CHECK_ST(psa_generate_key(&a, &id), PSA_ERROR_INSUFFICIENT_MEMORY);
    CHECK_ST(psa_copy_key(mine[0], &a, &id), PSA_ERROR_INSUFFICIENT_MEMORY);

    /* The other client's own share is untouched: it imports, and takes all of it. */
    m = part_take_keys(k, theirs, SUITE_KEYS_TRY, &status);
    CHECK(m == SUITE_KEYS_PARTITION);
    CHECK_ST(status, PSA_ERROR_INSUFFICIENT_MEMORY);
    CHECK_OK(part(CLIENT_CRYPTO_MAC, theirs[0], 0, abc, 3, buf, sizeof(buf), &len));
    CHECK(len == 32 && same(buf, mac, 32));

    /* With both shares full, persistent keys still come and go: they only pass through the
     * table's spare slots (a copy needs two). */
    CHECK_OK(
        import_with(PSA_KEY_TYPE_HMAC, 0, u | PSA_KEY_USAGE_COPY, hmac, SUITE_ID_QUOTA, k, 32, &p));
    CHECK_OK(psa_mac_verify(SUITE_ID_QUOTA, hmac, abc, 3, mac, 32));
    psa_set_key_id(&a, SUITE_ID_QUOTA + 1u);
    CHECK_OK(psa_copy_key(SUITE_ID_QUOTA, &a, &id));
    CHECK(id == SUITE_ID_QUOTA + 1u);
    CHECK_OK(psa_destroy_key(SUITE_ID_QUOTA + 1u));
    CHECK_OK(psa_destroy_key(SUITE_ID_QUOTA));

    /* A destroy gives a client its place back, and only that client. */
    CHECK_OK(psa_destroy_key(mine[0]));
    CHECK_ST(part(CLIENT_CRYPTO_IMPORT, 0, 0, k, 32, &theirs[m], 4, &len),
             PSA_ERROR_INSUFFICIENT_MEMORY);
    status = import_with(PSA_KEY_TYPE_HMAC, 0, u, hmac, PSA_KEY_ID_NULL, k, 32, &mine[0]);
    CHECK_OK(status);
    CHECK_ST(import_with(PSA_KEY_TYPE_HMAC, 0, u, hmac, PSA_KEY_ID_NULL, k, 32, &id),
             PSA_ERROR_INSUFFICIENT_MEMORY);
    CHECK_OK(part_key(CLIENT_CRYPTO_DESTROY, theirs[0]));
    CHECK_OK(part(CLIENT_CRYPTO_IMPORT, 0, 0, k, 32, &theirs[0], 4, &len));
    /* A destroy of another client's key, or of none, frees nothing. */
    CHECK_ST(psa_destroy_key(theirs[1]), PSA_ERROR_INVALID_HANDLE);
    CHECK_ST(part(CLIENT_CRYPTO_IMPORT, 0, 0, k, 32, &theirs[m], 4, &len),
             PSA_ERROR_INSUFFICIENT_MEMORY);

    for (size_t i = 0; i < n; i++) {
        CHECK_OK(psa_destroy_key(mine[i]));
    }
    for (size_t i = 0; i < m; i++) {
        CHECK_OK(part_key(CLIENT_CRYPTO_DESTROY, theirs[i]));
    }
    psa_reset_key_attributes(&a);
}

#endif /* CRYPTO_SUITE_DIRECT */

/* ---- runs -------------------------------------------------------------------------------- */

static void begin(struct crypto_suite_result *r, crypto_suite_report_fn report)
{
    result = r;
    reporter = report;
}

/* What an interrupted run may have left: persistent keys, operations the partition holds. */
static void cleanup(void)
{
    uint8_t got[CLIENT_CRYPTO_HELD_MAX * 32];
    (void)psa_destroy_key(SUITE_ID_KEYS);
    (void)psa_destroy_key(SUITE_ID_SHARED);
    (void)psa_destroy_key(SUITE_ID_QUOTA);
    (void)psa_destroy_key(SUITE_ID_QUOTA + 1u);
    (void)part_key(CLIENT_CRYPTO_DESTROY, SUITE_ID_SHARED);
    (void)part(CLIENT_CRYPTO_RELEASE, 0, 0, NULL, 0, got, sizeof(got), NULL);
}

void crypto_suite_run(struct crypto_suite_result *r, crypto_suite_report_fn report)
{
    begin(r, report);
    group = "init";
    CHECK_OK(psa_crypto_init());
    cleanup();
    test_hash_kats();
    test_hash_ops();
    test_mac();
    test_cipher();
    test_aead();
    test_kdf();
    test_ecc();
    test_rsa();
    test_keys();
    test_random();
    test_in_place();
#ifndef CRYPTO_SUITE_DIRECT
    /* What only the service has: the client library's own checks, its buffers, its tables,
     * its clients. */
    test_client_args();
    test_oversized_inputs();
    test_table();
    test_isolation();
    test_key_quota();
#endif
}

/* The persistent key: RFC 4231 test case 1's HMAC key, so its use has a known answer. */
static const uint8_t persistent_key[20] = {0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
                                           0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
                                           0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b};

static void persistent_use(void)
{
    const psa_key_id_t id = CRYPTO_SUITE_PERSISTENT_ID;
    const psa_algorithm_t hmac = PSA_ALG_HMAC(PSA_ALG_SHA_256);
    uint8_t buf[32];
    size_t len = 0;
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    CHECK_OK(psa_get_key_attributes(id, &a));
    CHECK(psa_get_key_id(&a) == id && psa_get_key_lifetime(&a) == PSA_KEY_LIFETIME_PERSISTENT &&
          psa_get_key_type(&a) == PSA_KEY_TYPE_HMAC && psa_get_key_bits(&a) == 160 &&
          psa_get_key_algorithm(&a) == hmac &&
          psa_get_key_usage_flags(&a) ==
              (PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE));
    CHECK_OK(psa_export_key(id, buf, sizeof(buf), &len));
    CHECK(len == 20 && same(buf, persistent_key, 20));
    CHECK_OK(psa_mac_compute(id, hmac, (const uint8_t *)"Hi There", 8, buf, sizeof(buf), &len));
    CHECK(len == 32 && same(buf, hmac_tc1, 32));
    CHECK_OK(psa_mac_verify(id, hmac, (const uint8_t *)"Hi There", 8, hmac_tc1, 32));
    /* Still the NS client's alone. */
    CHECK_ST(part(CLIENT_CRYPTO_EXPORT, id, 0, NULL, 0, buf, sizeof(buf), &len),
             PSA_ERROR_INVALID_HANDLE);
}

void crypto_suite_persistent(enum crypto_suite_boot boot, struct crypto_suite_result *r,
                             crypto_suite_report_fn report)
{
    const psa_key_id_t id = CRYPTO_SUITE_PERSISTENT_ID;
    uint8_t buf[32];
    size_t len = 0;
    psa_key_id_t got = PSA_KEY_ID_NULL;
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    begin(r, report);
    group = "persistent";
    CHECK_OK(psa_crypto_init());
    switch (boot) {
    case CRYPTO_SUITE_CREATE:
        CHECK_ST(psa_get_key_attributes(id, &a), PSA_ERROR_INVALID_HANDLE);
        CHECK_OK(import_with(
            PSA_KEY_TYPE_HMAC, 0,
            PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE,
            PSA_ALG_HMAC(PSA_ALG_SHA_256), id, persistent_key, sizeof(persistent_key), &got));
        CHECK(got == id);
        persistent_use();
        break;
    case CRYPTO_SUITE_CHECK:
        persistent_use();
        break;
    case CRYPTO_SUITE_DESTROY:
        persistent_use();
        CHECK_OK(psa_destroy_key(id));
        CHECK_ST(psa_export_key(id, buf, sizeof(buf), &len), PSA_ERROR_INVALID_HANDLE);
        break;
    case CRYPTO_SUITE_GONE:
    default:
        CHECK_ST(psa_get_key_attributes(id, &a), PSA_ERROR_INVALID_HANDLE);
        CHECK_ST(psa_export_key(id, buf, sizeof(buf), &len), PSA_ERROR_INVALID_HANDLE);
        CHECK_ST(psa_destroy_key(id), PSA_ERROR_INVALID_HANDLE);
        break;
    }
}
