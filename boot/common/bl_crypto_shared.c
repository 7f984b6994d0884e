/*
 * bl_crypto_shared.c: see bl_crypto.h. The part the uRoT takes from the iRoT (bl_rom.h):
 * ECDSA P-256 verification, ECIES key transport, P-256 public keys, AES-CTR (128 and 256), HKDF and
 * HMAC over SHA-256.
 */
#include "bl_crypto.h"

#include <string.h>

#include "bl_p256.h"
#include "bl_status.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/md.h"

/* One DER INTEGER of at most 32 significant bytes into a 32-byte big-endian field. */
static int der_integer(const uint8_t **p, const uint8_t *end, uint8_t out[32])
{
    if (end - *p < 2 || (*p)[0] != 0x02) {
        return BL_E_SIG;
    }
    size_t len = (*p)[1];
    const uint8_t *v = *p + 2;
    if (len == 0 || len > (size_t)(end - v) || (len & 0x80) != 0) {
        return BL_E_SIG;
    }
    if ((v[0] & 0x80) != 0) {
        return BL_E_SIG; /* negative */
    }
    if (v[0] == 0 && len > 1) {
        if ((v[1] & 0x80) == 0) {
            return BL_E_SIG; /* not minimal */
        }
        v++;
        len--;
    }
    if (len > 32) {
        return BL_E_SIG;
    }
    memset(out, 0, 32 - len);
    memcpy(out + 32 - len, v, len);
    *p = v + len;
    return BL_OK;
}

int bl_ecdsa_p256_verify(const uint8_t pub[64], const uint8_t hash[32], const uint8_t *der_sig,
                         size_t der_len)
{
    uint8_t sig[64];
    if (der_len < 2 || der_sig[0] != 0x30 || (size_t)der_sig[1] + 2u > der_len) {
        return BL_E_SIG;
    }
    /* imgtool --pad-sig (for MCUboot before 1.5) pads the TLV with zeros to 72 bytes: taken as
     * MCUboot takes it, strictly: a well-formed DER signature, then zeros only. */
    const uint8_t *end = der_sig + der_sig[1] + 2;
    for (const uint8_t *z = end; z < der_sig + der_len; z++) {
        if (*z != 0 || der_len > 72u) {
            return BL_E_SIG;
        }
    }
    const uint8_t *p = der_sig + 2;
    if (der_integer(&p, end, sig) != BL_OK || der_integer(&p, end, sig + 32) != BL_OK || p != end) {
        return BL_E_SIG;
    }
    return bl_p256_verify(sig, pub, hash) == P256_SUCCESS ? BL_OK : BL_E_SIG;
}

int bl_aes_ctr_start(struct bl_aes_ctr *c, const uint8_t *key, size_t key_len)
{
    mbedtls_aes_init(&c->aes);
    if (key_len != 16u && key_len != 32u) {
        return BL_E_CRYPTO;
    }
    return mbedtls_aes_setkey_enc(&c->aes, key, (unsigned)key_len * 8u) == 0 ? BL_OK : BL_E_CRYPTO;
}

void bl_aes_ctr_crypt(struct bl_aes_ctr *c, uint32_t pos, uint8_t *buf, size_t len)
{
    uint8_t counter[16] = {0};
    uint8_t stream[16];
    uint32_t block = pos / 16u;
    counter[12] = (uint8_t)(block >> 24);
    counter[13] = (uint8_t)(block >> 16);
    counter[14] = (uint8_t)(block >> 8);
    counter[15] = (uint8_t)block;
    size_t nc_off = 0;
    /* Start mid-block by running the key stream over the bytes before `pos`. */
    uint8_t skip[16] = {0};
    if (pos % 16u != 0) {
        (void)mbedtls_aes_crypt_ctr(&c->aes, pos % 16u, &nc_off, counter, stream, skip, skip);
    }
    (void)mbedtls_aes_crypt_ctr(&c->aes, len, &nc_off, counter, stream, buf, buf);
    bl_zeroize(stream, sizeof(stream));
    bl_zeroize(skip, sizeof(skip)); /* key stream */
}

void bl_aes_ctr_end(struct bl_aes_ctr *c)
{
    mbedtls_aes_free(&c->aes);
}

int bl_p256_public(const uint8_t priv[32], uint8_t pub[64])
{
    /* p256_public_from_private checks the range of priv before it writes pub. */
    return p256_public_from_private(pub, priv) == P256_SUCCESS ? BL_OK : BL_E_CRYPTO;
}

int bl_ecies_p256_unwrap(const uint8_t device_priv[32], const uint8_t *tlv, size_t key_len,
                         uint8_t *key)
{
    static const char info[] = "MCUBoot_ECIES_v1";
    const mbedtls_md_info_t *sha256 = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    uint8_t shared[32];
    uint8_t derived[BL_AES_KEY_MAX + 32]; /* AES key (key_len) || HMAC key (32) */
    uint8_t tag[32];
    int rc = BL_E_ENC;
    if (key_len != 16u && key_len != 32u) {
        return BL_E_CRYPTO;
    }
    if (tlv[0] != 0x04 || sha256 == NULL) {
        return BL_E_ENC;
    }
    /* MCUboot derives key_len + 32 bytes, so the HMAC key moves with the AES key's length. */
    const size_t derived_len = key_len + 32u;
    const uint8_t *wrapped = tlv + 97;
    if (p256_ecdh_shared_secret(shared, device_priv, tlv + 1) != P256_SUCCESS) {
        goto out;
    }
    if (mbedtls_hkdf(sha256, NULL, 0, shared, sizeof(shared), (const uint8_t *)info,
                     sizeof(info) - 1, derived, derived_len) != 0 ||
        mbedtls_md_hmac(sha256, derived + key_len, 32, wrapped, key_len, tag) != 0) {
        rc = BL_E_CRYPTO;
        goto out;
    }
    if (!bl_ct_equal(tag, tlv + 65, sizeof(tag))) {
        goto out;
    }
    struct bl_aes_ctr wrap;
    memcpy(key, wrapped, key_len);
    if (bl_aes_ctr_start(&wrap, derived, key_len) != BL_OK) {
        bl_aes_ctr_end(&wrap);
        bl_zeroize(key, key_len);
        rc = BL_E_CRYPTO;
        goto out;
    }
    bl_aes_ctr_crypt(&wrap, 0, key, key_len);
    bl_aes_ctr_end(&wrap);
    rc = BL_OK;
out:
    bl_zeroize(shared, sizeof(shared));
    bl_zeroize(derived, sizeof(derived));
    bl_zeroize(tag, sizeof(tag));
    return rc;
}

int bl_hkdf_sha256(const uint8_t *ikm, size_t ikm_len, const uint8_t *info, size_t info_len,
                   uint8_t *out, size_t out_len)
{
    const mbedtls_md_info_t *sha256 = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    return sha256 != NULL &&
                   mbedtls_hkdf(sha256, NULL, 0, ikm, ikm_len, info, info_len, out, out_len) == 0
               ? BL_OK
               : BL_E_CRYPTO;
}

int bl_hmac_start(struct bl_hmac *h, const uint8_t *key, size_t key_len)
{
    mbedtls_md_init(&h->md);
    if (mbedtls_md_setup(&h->md, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 1) != 0 ||
        mbedtls_md_hmac_starts(&h->md, key, key_len) != 0) {
        mbedtls_md_free(&h->md);
        return BL_E_CRYPTO;
    }
    return BL_OK;
}

int bl_hmac_tag(struct bl_hmac *h, const uint8_t *msg, size_t len, uint8_t tag[32])
{
    return mbedtls_md_hmac_reset(&h->md) == 0 && mbedtls_md_hmac_update(&h->md, msg, len) == 0 &&
                   mbedtls_md_hmac_finish(&h->md, tag) == 0
               ? BL_OK
               : BL_E_CRYPTO;
}

void bl_hmac_end(struct bl_hmac *h)
{
    mbedtls_md_free(&h->md);
}
