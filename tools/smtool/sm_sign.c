/*
 * sm_sign.c: see sm_sign.h.
 */
#include "sm_sign.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_crypto.h"
#include "bl_trailer.h"
#include "mbedtls/aes.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/md.h"
#include "mbedtls/psa_util.h"
#include "psa/crypto.h"
#include "sm_keys.h"

/* A growable byte buffer. */
struct buf {
    uint8_t *p;
    size_t len, cap;
    bool failed;
};

static void put(struct buf *b, const void *data, size_t len)
{
    if (b->failed || len == 0) {
        return; /* nothing to add (data may be NULL then: an empty area) */
    }
    if (b->len + len > b->cap) {
        size_t cap = (b->len + len) * 2;
        uint8_t *p = realloc(b->p, cap);
        if (p == NULL) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
}

static void put_le16(struct buf *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(b, x, 2);
}

static void put_le32(struct buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, x, 4);
}

static void put_tlv(struct buf *b, uint16_t type, const void *value, uint16_t len)
{
    put_le16(b, type);
    put_le16(b, len);
    put(b, value, len);
}

static void put_version(struct buf *b, const struct bl_image_version *v)
{
    uint8_t x[2] = {v->major, v->minor};
    put(b, x, 2);
    put_le16(b, v->revision);
    put_le32(b, v->build);
}

static int fail(char *err, size_t err_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
    return -1;
}

uint32_t sm_trailer_size(void)
{
    return BL_TRAILER_SIZE;
}

/* AES-128-CTR from a zero counter block: MCUboot uses it for the payload and the key wrap. */
static int aes128_ctr(const uint8_t key[16], uint8_t *data, size_t len)
{
    mbedtls_aes_context aes;
    uint8_t nonce[16] = {0}, stream[16];
    size_t off = 0;
    mbedtls_aes_init(&aes);
    int err = mbedtls_aes_setkey_enc(&aes, key, 128);
    if (err == 0) {
        err = mbedtls_aes_crypt_ctr(&aes, len, &off, nonce, stream, data, data);
    }
    mbedtls_aes_free(&aes);
    return err == 0 ? 0 : -1;
}

/* MCUboot ECIES-P256: wraps image_key for enc_pub into the 113-byte ENC_EC256 value. */
static int ecies_wrap(const uint8_t enc_pub[64], const uint8_t image_key[16], uint8_t tlv[113])
{
    static const char info[] = "MCUBoot_ECIES_v1";
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t eph = 0;
    uint8_t peer[65], shared[32], derived[48];
    size_t len;
    int rc = -1;
    const mbedtls_md_info_t *sha256 = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&attr, 256);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_DERIVE);
    psa_set_key_algorithm(&attr, PSA_ALG_ECDH);
    peer[0] = 0x04;
    memcpy(peer + 1, enc_pub, 64);
    if (psa_generate_key(&attr, &eph) != PSA_SUCCESS ||
        psa_export_public_key(eph, tlv, 65, &len) != PSA_SUCCESS || len != 65 ||
        psa_raw_key_agreement(PSA_ALG_ECDH, eph, peer, sizeof(peer), shared, sizeof(shared),
                              &len) != PSA_SUCCESS ||
        len != 32) {
        goto out;
    }
    if (mbedtls_hkdf(sha256, NULL, 0, shared, sizeof(shared), (const uint8_t *)info,
                     sizeof(info) - 1, derived, sizeof(derived)) != 0) {
        goto out;
    }
    /* Wrapped key = AES-128-CTR(derived[0..16), zero IV)(image key); tag = HMAC over it. */
    memcpy(tlv + 97, image_key, 16);
    if (aes128_ctr(derived, tlv + 97, 16) != 0 ||
        mbedtls_md_hmac(sha256, derived + 16, 32, tlv + 97, 16, tlv + 65) != 0) {
        goto out;
    }
    rc = 0;
out:
    psa_destroy_key(eph);
    bl_zeroize(shared, sizeof(shared));
    bl_zeroize(derived, sizeof(derived));
    return rc;
}

int sm_image_sign(const struct sm_sign_opts *o, const uint8_t *in, size_t in_len,
                  mbedtls_pk_context *key, const uint8_t *enc_pub, uint8_t **out, size_t *out_len,
                  char *err, size_t err_len)
{
    struct buf img = {0};
    uint8_t image_key[16];
    int rc = -1;
    if (o->hdr_size < BL_IMAGE_HEADER_SIZE) {
        return fail(err, err_len, "header size %u is smaller than %u", o->hdr_size,
                    BL_IMAGE_HEADER_SIZE);
    }
    size_t body_off = o->pad_header ? 0 : o->hdr_size;
    if (!o->pad_header) {
        if (in_len < o->hdr_size) {
            return fail(err, err_len, "input is shorter than the %u-byte header", o->hdr_size);
        }
        for (size_t i = 0; i < o->hdr_size; i++) {
            if (in[i] != 0) {
                return fail(err, err_len,
                            "input does not start with %u zero bytes for the header "
                            "(use --pad-header to add them)",
                            o->hdr_size);
            }
        }
    }
    size_t body_len = in_len - body_off;
    if (body_len == 0 || body_len > UINT32_MAX / 2) {
        return fail(err, err_len, "empty or oversized input");
    }
    /* As imgtool does, an encrypted image's header + payload is zero-padded to whole AES
     * blocks, and the padding counts in img_size. */
    size_t enc_pad = 0;
    if (enc_pub != NULL) {
        size_t whole = o->hdr_size + body_len;
        enc_pad = (16 - whole % 16) % 16;
    }

    /* Protected TLVs first: the header records their size. */
    struct buf prot = {0};
    if (o->has_sec_cnt || o->n_deps > 0) {
        struct buf entries = {0};
        if (o->has_sec_cnt) {
            put_le16(&entries, BL_TLV_SEC_CNT);
            put_le16(&entries, 4);
            put_le32(&entries, o->sec_cnt);
        }
        for (unsigned i = 0; i < o->n_deps; i++) {
            put_le16(&entries, BL_TLV_DEPENDENCY);
            put_le16(&entries, BL_DEPENDENCY_LEN);
            uint8_t id_flags[4] = {o->deps[i].image_id, o->deps[i].flags, 0, 0};
            put(&entries, id_flags, 4);
            put_version(&entries, &o->deps[i].min_version);
        }
        put_le16(&prot, BL_TLV_PROT_MAGIC);
        put_le16(&prot, (uint16_t)(BL_TLV_INFO_SIZE + entries.len));
        put(&prot, entries.p, entries.len);
        free(entries.p);
    }

    uint32_t flags = enc_pub != NULL ? BL_IMAGE_F_ENCRYPTED_AES128 : 0;
    put_le32(&img, BL_IMAGE_MAGIC);
    put_le32(&img, o->load_addr);
    put_le16(&img, o->hdr_size);
    put_le16(&img, (uint16_t)prot.len);
    put_le32(&img, (uint32_t)(body_len + enc_pad));
    put_le32(&img, flags);
    put_version(&img, &o->version);
    put_le32(&img, 0);
    /* Header padding: imgtool's --pad-header fills with the erased value; otherwise the input's
     * own leading zeros stay. */
    static const uint8_t erased[64] = {[0 ... 63] = 0xFF};
    static const uint8_t zeros[64];
    for (size_t n = BL_IMAGE_HEADER_SIZE; n < o->hdr_size;) {
        size_t k = o->hdr_size - n < sizeof(zeros) ? o->hdr_size - n : sizeof(zeros);
        put(&img, o->pad_header ? erased : zeros, k);
        n += k;
    }
    put(&img, in + body_off, body_len);
    put(&img, zeros, enc_pad);
    body_len += enc_pad;
    put(&img, prot.p, prot.len);
    free(prot.p);
    if (img.failed) {
        rc = fail(err, err_len, "out of memory");
        goto out;
    }

    /* Hash and sign header + plaintext payload + protected TLVs. */
    uint8_t hash[32];
    bl_sha256(img.p, img.len, hash);
    uint8_t sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    size_t sig_len;
    if (mbedtls_pk_sign(key, MBEDTLS_MD_SHA256, hash, sizeof(hash), sig, sizeof(sig), &sig_len,
                        mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE) != 0) {
        rc = fail(err, err_len, "signing failed");
        goto out;
    }
    uint8_t pub[64];
    if (sm_key_public_raw("signing key", key, pub) != 0) {
        rc = fail(err, err_len, "cannot read the signing key's public part");
        goto out;
    }

    uint8_t enc_tlv[BL_ENC_EC256_TLV_LEN];
    if (enc_pub != NULL) {
        if (psa_generate_random(image_key, sizeof(image_key)) != PSA_SUCCESS ||
            ecies_wrap(enc_pub, image_key, enc_tlv) != 0 ||
            aes128_ctr(image_key, img.p + o->hdr_size, body_len) != 0) {
            rc = fail(err, err_len, "encryption failed (is the encryption key a P-256 key?)");
            goto out;
        }
    }

    struct buf tlvs = {0};
    put_tlv(&tlvs, BL_TLV_SHA256, hash, sizeof(hash));
    if (o->pubkey_full) {
        uint8_t der[BL_PUBKEY_DER_LEN];
        bl_pubkey_der(pub, der);
        put_tlv(&tlvs, BL_TLV_PUBKEY, der, sizeof(der));
    } else {
        uint8_t key_hash[32];
        sm_key_hash(pub, key_hash);
        put_tlv(&tlvs, BL_TLV_KEYHASH, key_hash, sizeof(key_hash));
    }
    put_tlv(&tlvs, BL_TLV_ECDSA_SIG, sig, (uint16_t)sig_len);
    if (enc_pub != NULL) {
        put_tlv(&tlvs, BL_TLV_ENC_EC256, enc_tlv, sizeof(enc_tlv));
    }
    put_le16(&img, BL_TLV_INFO_MAGIC);
    put_le16(&img, (uint16_t)(BL_TLV_INFO_SIZE + tlvs.len));
    put(&img, tlvs.p, tlvs.len);
    free(tlvs.p);
    if (img.failed) {
        rc = fail(err, err_len, "out of memory");
        goto out;
    }

    if (o->slot_size != 0 && img.len + BL_TRAILER_SIZE > o->slot_size) {
        rc = fail(err, err_len,
                  "image of %zu bytes (with its %u-byte trailer) does not fit the %u-byte slot",
                  img.len, (unsigned)BL_TRAILER_SIZE, (unsigned)o->slot_size);
        goto out;
    }
    if (o->pad) {
        if (o->slot_size == 0) {
            rc = fail(err, err_len, "--pad needs the slot size (-S)");
            goto out;
        }
        uint8_t trailer[BL_TRAILER_SIZE];
        bl_trailer_encode(trailer, true, o->confirm);
        while (img.len < o->slot_size - BL_TRAILER_SIZE && !img.failed) {
            size_t k = o->slot_size - BL_TRAILER_SIZE - img.len;
            put(&img, erased, k < sizeof(erased) ? k : sizeof(erased));
        }
        put(&img, trailer, sizeof(trailer));
        if (img.failed) {
            rc = fail(err, err_len, "out of memory");
            goto out;
        }
    }
    *out = img.p;
    *out_len = img.len;
    img.p = NULL;
    rc = 0;
out:
    bl_zeroize(image_key, sizeof(image_key));
    free(img.p);
    return rc;
}
