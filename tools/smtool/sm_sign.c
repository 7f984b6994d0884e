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

const uint8_t sm_uuid_namespace_dns[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                           0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

static int hex_nibble(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

int sm_uuid_parse(const uint8_t *ns, const char *value, uint8_t out[16])
{
    /* 8-4-4-4-12 hex digits, or 32 hex digits. */
    size_t n = strlen(value), digits = 0;
    bool raw = n == 36 || n == 32;
    for (size_t i = 0; raw && i < n; i++) {
        bool dash = n == 36 && (i == 8 || i == 13 || i == 18 || i == 23);
        if (dash ? value[i] != '-' : hex_nibble(value[i]) < 0) {
            raw = false;
        }
    }
    if (raw) {
        for (size_t i = 0; i < n; i++) {
            if (value[i] != '-') {
                int v = hex_nibble(value[i]);
                out[digits / 2] =
                    (uint8_t)((digits % 2 ? out[digits / 2] : 0) | (digits % 2 ? v : v << 4));
                digits++;
            }
        }
        return 0;
    }
    if (ns == NULL || n == 0) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)value[i] < 0x20 || (unsigned char)value[i] > 0x7e) {
            return -1; /* imgtool takes printable names only */
        }
    }
    /* RFC 4122 version 5: SHA-1(namespace || name), version and variant bits set. */
    const mbedtls_md_info_t *sha1 = mbedtls_md_info_from_type(MBEDTLS_MD_SHA1);
    mbedtls_md_context_t md;
    uint8_t digest[20];
    mbedtls_md_init(&md);
    int err = mbedtls_md_setup(&md, sha1, 0);
    err = err == 0 ? mbedtls_md_starts(&md) : err;
    err = err == 0 ? mbedtls_md_update(&md, ns, 16) : err;
    err = err == 0 ? mbedtls_md_update(&md, (const uint8_t *)value, n) : err;
    err = err == 0 ? mbedtls_md_finish(&md, digest) : err;
    mbedtls_md_free(&md);
    if (err != 0) {
        return -1;
    }
    memcpy(out, digest, 16);
    out[6] = (uint8_t)((out[6] & 0x0F) | 0x50);
    out[8] = (uint8_t)((out[8] & 0x3F) | 0x80);
    return 0;
}

/* A CBOR text string (shorter than 24 bytes) or byte string of 32 bytes. */
static void cbor_text(struct buf *b, const char *s)
{
    uint8_t h = (uint8_t)(0x60 + strlen(s));
    put(b, &h, 1);
    put(b, s, strlen(s));
}

static void cbor_bytes32(struct buf *b, const uint8_t v[32])
{
    static const uint8_t h[2] = {0x58, 0x20};
    put(b, h, 2);
    put(b, v, 32);
}

/* imgtool's BOOT_RECORD: the PSA software component claims as a CBOR map, in imgtool's order
 * (type 1, version 4, signer id 5, measurement description 6, measurement value 2, the last so
 * that a boot stage can fill it in; imgtool leaves it zero). */
static void boot_record(struct buf *b, const char *sw_type, const struct bl_image_version *v,
                        const uint8_t signer[32])
{
    static const uint8_t zero[32];
    char version[32];
    snprintf(version, sizeof(version), "%u.%u.%u", v->major, v->minor, v->revision);
    static const uint8_t map5 = 0xA5;
    put(b, &map5, 1);
    uint8_t k = 0x01;
    put(b, &k, 1);
    cbor_text(b, sw_type);
    k = 0x04;
    put(b, &k, 1);
    cbor_text(b, version);
    k = 0x05;
    put(b, &k, 1);
    cbor_bytes32(b, signer);
    k = 0x06;
    put(b, &k, 1);
    cbor_text(b, "SHA256");
    k = 0x02;
    put(b, &k, 1);
    cbor_bytes32(b, zero);
}

uint32_t sm_trailer_size(void)
{
    return BL_TRAILER_SIZE;
}

/* AES-CTR (128 or 256: key_len 16 or 32) from a zero counter block: MCUboot uses it for the
 * payload and the key wrap. */
static int aes_ctr(const uint8_t *key, size_t key_len, uint8_t *data, size_t len)
{
    mbedtls_aes_context aes;
    uint8_t nonce[16] = {0}, stream[16];
    size_t off = 0;
    mbedtls_aes_init(&aes);
    int err = mbedtls_aes_setkey_enc(&aes, key, (unsigned)key_len * 8u);
    if (err == 0) {
        err = mbedtls_aes_crypt_ctr(&aes, len, &off, nonce, stream, data, data);
    }
    mbedtls_aes_free(&aes);
    bl_zeroize(stream, sizeof(stream));
    return err == 0 ? 0 : -1;
}

/* MCUboot ECIES-P256: wraps image_key (key_len bytes) for enc_pub into the ENC_EC256 value
 * (BL_ENC_EC256_TLV_LEN(key_len) bytes: ephemeral point, tag, wrapped key). */
int sm_ecies_wrap(const uint8_t enc_pub[64], const uint8_t *image_key, size_t key_len, uint8_t *tlv)
{
    static const char info[] = "MCUBoot_ECIES_v1";
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t eph = 0;
    uint8_t peer[65], shared[32], derived[BL_ENC_KEY_MAX + 32];
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
    /* HKDF output: the wrapping AES key (key_len) then the HMAC key (32), as MCUboot reads it. */
    if (mbedtls_hkdf(sha256, NULL, 0, shared, sizeof(shared), (const uint8_t *)info,
                     sizeof(info) - 1, derived, key_len + 32u) != 0) {
        goto out;
    }
    /* Wrapped key = AES-CTR(derived[0..key_len), zero IV)(image key); tag = HMAC over it. */
    memcpy(tlv + 97, image_key, key_len);
    if (aes_ctr(derived, key_len, tlv + 97, key_len) != 0 ||
        mbedtls_md_hmac(sha256, derived + key_len, 32, tlv + 97, key_len, tlv + 65) != 0) {
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
    uint8_t image_key[BL_ENC_KEY_MAX];
    const size_t key_len = o->aes256 ? 32u : 16u;
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

    uint8_t pub[64], key_hash[32];
    if (sm_key_public_raw("signing key", key, pub) != 0) {
        return fail(err, err_len, "cannot read the signing key's public part");
    }
    sm_key_hash(pub, key_hash);
    if (o->sw_type != NULL && (strlen(o->sw_type) == 0 || strlen(o->sw_type) > 12)) {
        return fail(err, err_len, "boot record software type '%s': 1 to 12 characters", o->sw_type);
    }

    /* Protected TLVs first: the header records their size. */
    struct buf prot = {0};
    if (o->has_sec_cnt || o->n_deps > 0 || o->sw_type != NULL || o->has_vid || o->has_cid ||
        o->n_custom > 0) {
        struct buf entries = {0};
        if (o->has_sec_cnt) {
            put_le16(&entries, BL_TLV_SEC_CNT);
            put_le16(&entries, 4);
            put_le32(&entries, o->sec_cnt);
        }
        if (o->sw_type != NULL) {
            struct buf rec = {0};
            boot_record(&rec, o->sw_type, &o->version, key_hash);
            put_tlv(&entries, BL_TLV_BOOT_RECORD, rec.p, (uint16_t)rec.len);
            free(rec.p);
        }
        for (unsigned i = 0; i < o->n_deps; i++) {
            put_le16(&entries, BL_TLV_DEPENDENCY);
            put_le16(&entries, BL_DEPENDENCY_LEN);
            uint8_t id_flags[4] = {o->deps[i].image_id, o->deps[i].flags, 0, 0};
            put(&entries, id_flags, 4);
            put_version(&entries, &o->deps[i].min_version);
        }
        if (o->has_vid) {
            put_tlv(&entries, BL_TLV_UUID_VID, o->vid, 16);
        }
        if (o->has_cid) {
            put_tlv(&entries, BL_TLV_UUID_CID, o->cid, 16);
        }
        for (unsigned i = 0; i < o->n_custom; i++) {
            put_tlv(&entries, o->custom[i].tag, o->custom[i].value, o->custom[i].len);
        }
        put_le16(&prot, BL_TLV_PROT_MAGIC);
        put_le16(&prot, (uint16_t)(BL_TLV_INFO_SIZE + entries.len));
        put(&prot, entries.p, entries.len);
        free(entries.p);
    }

    uint32_t flags = o->flags;
    if (enc_pub != NULL) {
        flags |= o->aes256 ? BL_IMAGE_F_ENCRYPTED_AES256 : BL_IMAGE_F_ENCRYPTED_AES128;
    }
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
    if (o->pad_sig) {
        /* imgtool --pad-sig (MCUboot before 1.5): zeros after the DER, to 72 bytes. */
        while (sig_len < 72u) {
            sig[sig_len++] = 0;
        }
    }

    uint8_t enc_tlv[BL_ENC_EC256_TLV_MAX];
    if (enc_pub != NULL) {
        if (psa_generate_random(image_key, key_len) != PSA_SUCCESS ||
            sm_ecies_wrap(enc_pub, image_key, key_len, enc_tlv) != 0 ||
            aes_ctr(image_key, key_len, img.p + o->hdr_size, body_len) != 0) {
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
        put_tlv(&tlvs, BL_TLV_KEYHASH, key_hash, sizeof(key_hash));
    }
    put_tlv(&tlvs, BL_TLV_ECDSA_SIG, sig, (uint16_t)sig_len);
    if (enc_pub != NULL) {
        put_tlv(&tlvs, BL_TLV_ENC_EC256, enc_tlv, (uint16_t)BL_ENC_EC256_TLV_LEN(key_len));
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
