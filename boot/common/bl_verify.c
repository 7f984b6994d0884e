/*
 * bl_verify.c: see bl_verify.h.
 */
#include "bl_verify.h"

#include <string.h>

#include "bl_crypto.h"
#include "bl_status.h"
#include "plat_system.h"

#define CHUNK 256u

static struct bl_verify_stats stats;

const struct bl_verify_stats *bl_verify_stats(void)
{
    return &stats;
}

static int check_key(const struct bl_reader *r, const struct bl_image_info *info,
                     const struct bl_key *key)
{
    uint8_t named[32];
    if (info->keyhash_off != 0) {
        if (r->read(r, info->keyhash_off, named, sizeof(named)) != BL_OK) {
            return BL_E_IO;
        }
    } else if (info->pubkey_off != 0) {
        uint8_t der[BL_PUBKEY_DER_LEN];
        if (r->read(r, info->pubkey_off, der, sizeof(der)) != BL_OK) {
            return BL_E_IO;
        }
        bl_sha256(der, sizeof(der), named);
    } else {
        return BL_E_NO_KEY;
    }
    return bl_ct_equal(named, key->hash, sizeof(named)) ? BL_OK : BL_E_KEY;
}

int bl_image_key(const struct bl_reader *r, const struct bl_image_info *info,
                 const uint8_t device_priv[32], uint8_t key[BL_ENC_KEY_MAX])
{
    uint8_t tlv[BL_ENC_EC256_TLV_MAX];
    if (info->enc_off == 0 || info->enc_key_len == 0 || device_priv == NULL) {
        return BL_E_ENC;
    }
    if (r->read(r, info->enc_off, tlv, BL_ENC_EC256_TLV_LEN(info->enc_key_len)) != BL_OK) {
        return BL_E_IO;
    }
    return bl_ecies_p256_unwrap(device_priv, tlv, info->enc_key_len, key);
}

/* SHA-256 of [0, tlv_off): header, payload (decrypted with `aes` if given), protected TLVs. */
static int hash_image(const struct bl_reader *r, const struct bl_image_info *info,
                      struct bl_aes_ctr *aes, uint8_t out[32])
{
    uint8_t buf[CHUNK];
    struct bl_sha256 h;
    const uint32_t body = info->hdr.hdr_size;
    const uint32_t body_end = body + info->hdr.img_size;
    bl_sha256_start(&h);
    for (uint32_t off = 0; off < info->tlv_off;) {
        uint32_t n = info->tlv_off - off < CHUNK ? info->tlv_off - off : CHUNK;
        /* Do not let a chunk straddle the payload bounds, so decryption applies exactly. */
        if (off < body && off + n > body) {
            n = body - off;
        } else if (off < body_end && off + n > body_end) {
            n = body_end - off;
        }
        if (r->read(r, off, buf, n) != BL_OK) {
            bl_sha256_finish(&h, out);
            return BL_E_IO;
        }
        if (aes != NULL && off >= body && off < body_end) {
            bl_aes_ctr_crypt(aes, off - body, buf, n);
        }
        bl_sha256_update(&h, buf, n);
        off += n;
    }
    bl_sha256_finish(&h, out);
    bl_zeroize(buf, sizeof(buf));
    return BL_OK;
}

int bl_image_verify(const struct bl_reader *r, const struct bl_image_info *info,
                    const struct bl_verify_params *p, uint8_t measurement[32])
{
    if ((info->hdr.flags & BL_IMAGE_F_RAM_LOAD) != 0) {
        return BL_E_UNSUPPORTED;
    }
    int rc = check_key(r, info, p->key);
    if (rc != BL_OK) {
        return rc;
    }
    bool encrypted = p->decrypt && info->enc_key_len != 0;
    struct bl_aes_ctr aes;
    uint8_t hash[32];
    if (encrypted) {
        uint8_t key[BL_ENC_KEY_MAX];
        rc = bl_image_key(r, info, p->device_priv, key);
        if (rc == BL_OK) {
            rc = bl_aes_ctr_start(&aes, key, info->enc_key_len);
        }
        bl_zeroize(key, sizeof(key));
        if (rc != BL_OK) {
            return rc;
        }
    }
    uint64_t t0 = plat_timer_ticks();
    rc = hash_image(r, info, encrypted ? &aes : NULL, hash);
    stats.hash_ticks += (uint32_t)(plat_timer_ticks() - t0);
    if (encrypted) {
        bl_aes_ctr_end(&aes);
    }
    if (rc != BL_OK) {
        return rc;
    }
    uint8_t expected[32];
    if (r->read(r, info->hash_off, expected, sizeof(expected)) != BL_OK) {
        return BL_E_IO;
    }
    if (!bl_ct_equal(hash, expected, sizeof(hash))) {
        return BL_E_HASH;
    }
    if (info->sig_off == 0) {
        return BL_E_NO_SIG;
    }
    uint8_t sig[BL_ECDSA_SIG_MAX_LEN];
    if (r->read(r, info->sig_off, sig, info->sig_len) != BL_OK) {
        return BL_E_IO;
    }
    t0 = plat_timer_ticks();
    rc = bl_ecdsa_p256_verify(p->key->pub, hash, sig, info->sig_len);
    stats.sig_ticks += (uint32_t)(plat_timer_ticks() - t0);
    if (rc != BL_OK) {
        return rc;
    }
    uint32_t sec_cnt = info->has_sec_cnt ? info->sec_cnt : 0;
    if (sec_cnt < p->min_sec_cnt) {
        return BL_E_ROLLBACK;
    }
    memcpy(measurement, hash, sizeof(hash));
    return BL_OK;
}
