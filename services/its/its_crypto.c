/*
 * its_crypto.c: key derivation, metadata MAC and asset AEAD for the ITS engine (its_crypto.h).
 */
#include "its_crypto.h"

#include <string.h>

#include "mbedtls/constant_time.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/md.h"
#include "mbedtls/platform_util.h"

static uint8_t meta_key[32];
static uint8_t asset_root[32];

static int derive(const uint8_t *ikm, const uint8_t *info, size_t info_len, uint8_t *out,
                  size_t out_len)
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    return mbedtls_hkdf(md, NULL, 0, ikm, 32, info, info_len, out, out_len);
}

int its_crypto_init(const uint8_t root[32])
{
    static const char meta_info[] = "SM ITS metadata";
    static const char asset_info[] = "SM ITS assets";
    int rc = derive(root, (const uint8_t *)meta_info, sizeof(meta_info) - 1, meta_key, 32);
    if (rc == 0) {
        rc = derive(root, (const uint8_t *)asset_info, sizeof(asset_info) - 1, asset_root, 32);
    }
    if (rc != 0) {
        its_crypto_wipe();
    }
    return rc;
}

void its_crypto_wipe(void)
{
    mbedtls_platform_zeroize(meta_key, sizeof(meta_key));
    mbedtls_platform_zeroize(asset_root, sizeof(asset_root));
}

int its_crypto_mac(const uint8_t *msg, size_t n, uint8_t mac[ITS_MAC_SIZE])
{
    uint8_t full[32];
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    int rc = mbedtls_md_hmac(md, meta_key, sizeof(meta_key), msg, n, full);
    memcpy(mac, full, ITS_MAC_SIZE);
    mbedtls_platform_zeroize(full, sizeof(full));
    return rc;
}

bool its_crypto_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    return mbedtls_ct_memcmp(a, b, n) == 0;
}

int its_aead_start(struct its_aead *a, bool encrypt, int32_t owner, uint64_t uid,
                   const uint8_t nonce[ITS_NONCE_SIZE], const uint8_t *aad, size_t aad_len)
{
    uint8_t info[12], key[16];
    for (int i = 0; i < 4; i++) {
        info[i] = (uint8_t)((uint32_t)owner >> (8 * i));
    }
    for (int i = 0; i < 8; i++) {
        info[4 + i] = (uint8_t)(uid >> (8 * i));
    }
    mbedtls_gcm_init(&a->gcm);
    int rc = derive(asset_root, info, sizeof(info), key, sizeof(key));
    if (rc == 0) {
        rc = mbedtls_gcm_setkey(&a->gcm, MBEDTLS_CIPHER_ID_AES, key, 128);
    }
    mbedtls_platform_zeroize(key, sizeof(key));
    if (rc == 0) {
        rc = mbedtls_gcm_starts(&a->gcm, encrypt ? MBEDTLS_GCM_ENCRYPT : MBEDTLS_GCM_DECRYPT, nonce,
                                ITS_NONCE_SIZE);
    }
    if (rc == 0) {
        rc = mbedtls_gcm_update_ad(&a->gcm, aad, aad_len);
    }
    if (rc != 0) {
        mbedtls_gcm_free(&a->gcm);
    }
    return rc;
}

int its_aead_update(struct its_aead *a, const uint8_t *in, uint8_t *out, size_t n)
{
    size_t produced = 0;
    int rc = mbedtls_gcm_update(&a->gcm, in, n, out, n, &produced);
    return rc == 0 && produced != n ? MBEDTLS_ERR_GCM_BAD_INPUT : rc;
}

int its_aead_finish(struct its_aead *a, uint8_t tag[ITS_TAG_SIZE])
{
    size_t produced = 0;
    return mbedtls_gcm_finish(&a->gcm, NULL, 0, &produced, tag, ITS_TAG_SIZE);
}

void its_aead_free(struct its_aead *a)
{
    mbedtls_gcm_free(&a->gcm);
}
