/*
 * test_bl_verify.c: image parsing and verification (boot/common) against images made by
 * smtool's signer: every defect the boot stages must reject, each with its reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bl_crypto.h"
#include "bl_image.h"
#include "bl_status.h"
#include "bl_verify.h"
#include "mbedtls/ecp.h"
#include "mbedtls/psa_util.h"
#include "sm_keys.h"
#include "sm_sign.h"

struct test_key {
    mbedtls_pk_context pk;
    struct bl_key bl;
    uint8_t priv[32];
};

static struct test_key sign_key, other_key, device_key, other_device;
static uint8_t payload[1500];

static void make_key(struct test_key *k)
{
    mbedtls_pk_init(&k->pk);
    assert_int_equal(mbedtls_pk_setup(&k->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), 0);
    assert_int_equal(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(k->pk),
                                         mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE),
                     0);
    assert_int_equal(sm_key_public_raw("test", &k->pk, k->bl.pub), 0);
    assert_int_equal(sm_key_private_raw("test", &k->pk, k->priv), 0);
    sm_key_hash(k->bl.pub, k->bl.hash);
}

static int group_setup(void **state)
{
    (void)state;
    if (sm_keys_init() != 0) {
        return -1;
    }
    make_key(&sign_key);
    make_key(&other_key);
    make_key(&device_key);
    make_key(&other_device);
    for (size_t i = 0; i < sizeof(payload); i++) {
        payload[i] = (uint8_t)(i * 7u + 3u);
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    mbedtls_pk_free(&sign_key.pk);
    mbedtls_pk_free(&other_key.pk);
    mbedtls_pk_free(&device_key.pk);
    mbedtls_pk_free(&other_device.pk);
    return 0;
}

static struct sm_sign_opts default_opts(void)
{
    struct sm_sign_opts o = {
        .hdr_size = 0x100, .pad_header = true, .has_sec_cnt = true, .sec_cnt = 5};
    o.version.major = 1;
    o.version.minor = 2;
    o.n_deps = 1;
    o.deps[0].image_id = 1;
    o.deps[0].min_version.major = 1;
    return o;
}

static uint8_t *sign(const struct sm_sign_opts *o, bool encrypt, size_t *len)
{
    uint8_t *img;
    char err[128];
    assert_int_equal(sm_image_sign(o, payload, sizeof(payload), &sign_key.pk,
                                   encrypt ? device_key.bl.pub : NULL, &img, len, err, sizeof(err)),
                     0);
    return img;
}

/* Parse and verify as a boot stage would; returns the first failure. */
static int check(const uint8_t *img, size_t len, const struct bl_key *key, const uint8_t *priv,
                 uint32_t min_sec_cnt, uint8_t measurement[32])
{
    struct bl_reader r = bl_reader_mem(img, (uint32_t)len);
    struct bl_image_info info;
    int rc = bl_image_parse(&r, &info);
    if (rc != BL_OK) {
        return rc;
    }
    struct bl_verify_params p = {key, priv, true, min_sec_cnt};
    uint8_t m[32];
    return bl_image_verify(&r, &info, &p, measurement != NULL ? measurement : m);
}

static void test_valid_image_verifies_and_measures(void **state)
{
    (void)state;
    struct sm_sign_opts o = default_opts();
    size_t len;
    uint8_t *img = sign(&o, false, &len);
    uint8_t m[32], expect[32];
    assert_int_equal(check(img, len, &sign_key.bl, NULL, 5, m), BL_OK);
    /* The measurement is SHA-256 over header, payload and protected TLVs. */
    struct bl_reader r = bl_reader_mem(img, (uint32_t)len);
    struct bl_image_info info;
    assert_int_equal(bl_image_parse(&r, &info), BL_OK);
    bl_sha256(img, info.tlv_off, expect);
    assert_memory_equal(m, expect, 32);
    assert_int_equal(info.sec_cnt, 5);
    assert_int_equal(info.n_deps, 1);
    assert_int_equal(info.deps[0].image_id, 1);
    assert_int_equal(info.hdr.img_size, sizeof(payload));
    assert_memory_equal(img + info.hdr.hdr_size, payload, sizeof(payload));
    free(img);
}

static void test_full_public_key_format(void **state)
{
    (void)state;
    struct sm_sign_opts o = default_opts();
    o.pubkey_full = true;
    size_t len;
    uint8_t *img = sign(&o, false, &len);
    assert_int_equal(check(img, len, &sign_key.bl, NULL, 0, NULL), BL_OK);
    assert_int_equal(check(img, len, &other_key.bl, NULL, 0, NULL), BL_E_KEY);
    free(img);
}

static void test_wrong_key_rejected(void **state)
{
    (void)state;
    struct sm_sign_opts o = default_opts();
    size_t len;
    uint8_t *img = sign(&o, false, &len);
    /* Another key, e.g. the key provisioned for another image kind. */
    assert_int_equal(check(img, len, &other_key.bl, NULL, 0, NULL), BL_E_KEY);
    /* A key hash that matches but a different public key: the signature check catches it. */
    struct bl_key mixed = other_key.bl;
    memcpy(mixed.hash, sign_key.bl.hash, 32);
    assert_int_equal(check(img, len, &mixed, NULL, 0, NULL), BL_E_SIG);
    free(img);
}

static void test_bad_signature_rejected(void **state)
{
    (void)state;
    struct sm_sign_opts o = default_opts();
    size_t len;
    uint8_t *img = sign(&o, false, &len);
    struct bl_reader r = bl_reader_mem(img, (uint32_t)len);
    struct bl_image_info info;
    assert_int_equal(bl_image_parse(&r, &info), BL_OK);
    img[info.sig_off + info.sig_len - 1] ^= 0x01; /* last byte of s */
    assert_int_equal(check(img, len, &sign_key.bl, NULL, 0, NULL), BL_E_SIG);
    free(img);
}

static void test_security_counter_rollback(void **state)
{
    (void)state;
    struct sm_sign_opts o = default_opts();
    size_t len;
    uint8_t *img = sign(&o, false, &len);
    assert_int_equal(check(img, len, &sign_key.bl, NULL, 5, NULL), BL_OK);
    assert_int_equal(check(img, len, &sign_key.bl, NULL, 6, NULL), BL_E_ROLLBACK);
    free(img);
    o.has_sec_cnt = false; /* no counter: counts as 0 */
    img = sign(&o, false, &len);
    assert_int_equal(check(img, len, &sign_key.bl, NULL, 0, NULL), BL_OK);
    assert_int_equal(check(img, len, &sign_key.bl, NULL, 1, NULL), BL_E_ROLLBACK);
    free(img);
}

/* An image encrypted with an AES-128 or AES-256 key (imgtool --encrypt-keylen): the key
 * unwraps for this device only and decrypts the payload at any offset. */
static void encrypted_image(bool aes256)
{
    struct sm_sign_opts o = default_opts();
    o.aes256 = aes256;
    size_t len;
    uint8_t *img = sign(&o, true, &len);
    struct bl_reader r = bl_reader_mem(img, (uint32_t)len);
    struct bl_image_info info;
    assert_int_equal(bl_image_parse(&r, &info), BL_OK);
    const uint32_t flag = aes256 ? BL_IMAGE_F_ENCRYPTED_AES256 : BL_IMAGE_F_ENCRYPTED_AES128;
    assert_int_equal(info.hdr.flags & (BL_IMAGE_F_ENCRYPTED_AES128 | BL_IMAGE_F_ENCRYPTED_AES256),
                     flag);
    assert_int_equal(info.enc_key_len, aes256 ? 32 : 16);
    /* The ENC_EC256 TLV is 113 or 129 bytes (MCUboot's sizes): its length field says so. */
    assert_int_equal(img[info.enc_off - 2] | img[info.enc_off - 1] << 8, aes256 ? 129 : 113);
    assert_int_equal(info.hdr.img_size % 16, (16 - info.hdr.hdr_size % 16) % 16);
    /* The payload is not in clear in the image. */
    assert_memory_not_equal(img + info.hdr.hdr_size, payload, 64);
    uint8_t m[32];
    assert_int_equal(check(img, len, &sign_key.bl, device_key.priv, 0, m), BL_OK);
    /* Another device's key cannot open it; no key at all neither. */
    assert_int_equal(check(img, len, &sign_key.bl, other_device.priv, 0, NULL), BL_E_ENC);
    assert_int_equal(check(img, len, &sign_key.bl, NULL, 0, NULL), BL_E_ENC);
    /* Decrypting with the recovered key gives back the plaintext, at any offset. */
    uint8_t key[BL_ENC_KEY_MAX];
    assert_int_equal(bl_image_key(&r, &info, device_key.priv, key), BL_OK);
    struct bl_aes_ctr aes;
    assert_int_equal(bl_aes_ctr_start(&aes, key, info.enc_key_len), BL_OK);
    uint8_t part[100];
    memcpy(part, img + info.hdr.hdr_size + 37, sizeof(part));
    bl_aes_ctr_crypt(&aes, 37, part, sizeof(part));
    bl_aes_ctr_end(&aes);
    assert_memory_equal(part, payload + 37, sizeof(part));
    /* The same key taken as the other length decrypts nothing right. */
    assert_int_equal(bl_aes_ctr_start(&aes, key, aes256 ? 16 : 32), BL_OK);
    memcpy(part, img + info.hdr.hdr_size, sizeof(part));
    bl_aes_ctr_crypt(&aes, 0, part, sizeof(part));
    bl_aes_ctr_end(&aes);
    assert_memory_not_equal(part, payload, sizeof(part));
    /* Only 16- and 32-byte keys. */
    assert_int_equal(bl_aes_ctr_start(&aes, key, 24), BL_E_CRYPTO);
    bl_aes_ctr_end(&aes);
    uint8_t tlv[BL_ENC_EC256_TLV_MAX];
    memcpy(tlv, img + info.enc_off, BL_ENC_EC256_TLV_LEN(info.enc_key_len));
    assert_int_equal(bl_ecies_p256_unwrap(device_key.priv, tlv, 24, key), BL_E_CRYPTO);
    /* The flag of the other length: the TLV no longer has the length that flag needs. */
    uint8_t *copy = malloc(len);
    memcpy(copy, img, len);
    copy[16] ^= (uint8_t)(BL_IMAGE_F_ENCRYPTED_AES128 | BL_IMAGE_F_ENCRYPTED_AES256);
    assert_int_equal(check(copy, len, &sign_key.bl, device_key.priv, 0, NULL), BL_E_TLV);
    /* Both flags: which key length is meant is not known. */
    memcpy(copy, img, len);
    copy[16] |= (uint8_t)(BL_IMAGE_F_ENCRYPTED_AES128 | BL_IMAGE_F_ENCRYPTED_AES256);
    assert_int_equal(check(copy, len, &sign_key.bl, device_key.priv, 0, NULL), BL_E_TLV);
    free(copy);
    /* A tampered wrapped key or tag is "not for this device", not garbage. */
    img[info.enc_off + 100] ^= 0x40;
    assert_int_equal(check(img, len, &sign_key.bl, device_key.priv, 0, NULL), BL_E_ENC);
    img[info.enc_off + 100] ^= 0x40;
    img[info.enc_off + BL_ENC_EC256_TLV_LEN(info.enc_key_len) - 1] ^= 0x01; /* last key byte */
    assert_int_equal(check(img, len, &sign_key.bl, device_key.priv, 0, NULL), BL_E_ENC);
    free(img);
}

static void test_encrypted_image(void **state)
{
    (void)state;
    encrypted_image(false);
}

static void test_encrypted_image_aes256(void **state)
{
    (void)state;
    encrypted_image(true);
}

/* Every single byte of the image matters: flipping any one must get the image rejected. */
static void flip_every_byte(bool encrypt)
{
    struct sm_sign_opts o = default_opts();
    o.hdr_size = 0x40;
    size_t len;
    uint8_t *img = sign(&o, encrypt, &len);
    const uint8_t *priv = encrypt ? device_key.priv : NULL;
    assert_int_equal(check(img, len, &sign_key.bl, priv, 0, NULL), BL_OK);
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit += 7) {
            img[i] ^= (uint8_t)(1u << bit);
            int rc = check(img, len, &sign_key.bl, priv, 0, NULL);
            if (rc == BL_OK) {
                fail_msg("flipping bit %d of byte %zu (of %zu) was not detected", bit, i, len);
            }
            img[i] ^= (uint8_t)(1u << bit);
        }
    }
    free(img);
}

static void test_any_flipped_byte_rejected(void **state)
{
    (void)state;
    flip_every_byte(false);
}

static void test_any_flipped_byte_rejected_encrypted(void **state)
{
    (void)state;
    flip_every_byte(true);
}

static void test_truncated_image_rejected(void **state)
{
    (void)state;
    struct sm_sign_opts o = default_opts();
    size_t len;
    uint8_t *img = sign(&o, false, &len);
    for (size_t cut = 0; cut < len; cut += (cut < 64 || len - cut < 300) ? 1 : 97) {
        assert_int_not_equal(check(img, cut, &sign_key.bl, NULL, 0, NULL), BL_OK);
    }
    free(img);
}

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void test_overrunning_lengths_rejected(void **state)
{
    (void)state;
    struct sm_sign_opts o = default_opts();
    size_t len;
    uint8_t *img = sign(&o, false, &len);
    struct bl_reader r = bl_reader_mem(img, (uint32_t)len);
    struct bl_image_info info;
    assert_int_equal(bl_image_parse(&r, &info), BL_OK);
    uint8_t *copy = malloc(len);

    /* Length of the first unprotected TLV (SHA256) runs far past the area. */
    memcpy(copy, img, len);
    put_le16(copy + info.tlv_off + 4 + 2, 0xFFF0);
    assert_int_equal(check(copy, len, &sign_key.bl, NULL, 0, NULL), BL_E_TLV_OVERRUN);
    /* The unprotected area's total runs past the end of the image. */
    memcpy(copy, img, len);
    put_le16(copy + info.tlv_off + 2, (uint16_t)(info.tlv_size + 1));
    assert_int_equal(check(copy, len, &sign_key.bl, NULL, 0, NULL), BL_E_TLV_OVERRUN);
    /* A TLV that runs one byte past the protected area. */
    memcpy(copy, img, len);
    put_le16(copy + info.prot_off + 4 + 2, 5); /* SEC_CNT length 4 -> 5 */
    assert_int_not_equal(check(copy, len, &sign_key.bl, NULL, 0, NULL), BL_OK);
    /* img_size larger than the slot. */
    memcpy(copy, img, len);
    copy[12] = 0xFF;
    copy[13] = 0xFF;
    copy[14] = 0xFF;
    copy[15] = 0x7F;
    assert_int_equal(check(copy, len, &sign_key.bl, NULL, 0, NULL), BL_E_OVERSIZE);
    /* Header size and payload size that overflow 32 bits together. */
    memcpy(copy, img, len);
    copy[8] = 0xFF;
    copy[9] = 0xFF;
    memset(copy + 12, 0xFF, 4);
    assert_int_equal(check(copy, len, &sign_key.bl, NULL, 0, NULL), BL_E_OVERSIZE);
    free(copy);
    free(img);
}

static void test_image_larger_than_slot_rejected(void **state)
{
    (void)state;
    struct sm_sign_opts o = default_opts();
    size_t len;
    uint8_t *img = sign(&o, false, &len);
    /* The same bytes in a slot too small for them. */
    assert_int_equal(check(img, 0x100 + sizeof(payload) - 1, &sign_key.bl, NULL, 0, NULL),
                     BL_E_OVERSIZE);
    free(img);
    /* And the signer refuses to make an image that does not fit its slot. */
    o.slot_size = 0x100 + sizeof(payload);
    uint8_t *out;
    char err[160];
    assert_int_equal(sm_image_sign(&o, payload, sizeof(payload), &sign_key.pk, NULL, &out, &len,
                                   err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "does not fit"));
}

static void test_structure_errors(void **state)
{
    (void)state;
    struct sm_sign_opts o = default_opts();
    size_t len;
    uint8_t *img = sign(&o, false, &len);
    uint8_t *copy = malloc(len);
    memcpy(copy, img, len);
    copy[0] ^= 0xFF;
    assert_int_equal(check(copy, len, &sign_key.bl, NULL, 0, NULL), BL_E_MAGIC);
    memset(copy, 0xFF, len); /* an erased slot */
    assert_int_equal(check(copy, len, &sign_key.bl, NULL, 0, NULL), BL_E_EMPTY);
    memcpy(copy, img, len);
    copy[16] |= 0x40; /* an unknown flag */
    assert_int_equal(check(copy, len, &sign_key.bl, NULL, 0, NULL), BL_E_UNSUPPORTED);
    memcpy(copy, img, len);
    copy[16] |= BL_IMAGE_F_ENCRYPTED_AES128; /* flag without its key TLV */
    assert_int_equal(check(copy, len, &sign_key.bl, NULL, 0, NULL), BL_E_TLV);
    memcpy(copy, img, len);
    put_le16(copy + 8, 16); /* header smaller than the header struct */
    assert_int_equal(check(copy, len, &sign_key.bl, NULL, 0, NULL), BL_E_HEADER);
    free(copy);
    free(img);
}

static void test_strerror_names_every_status(void **state)
{
    (void)state;
    for (int s = BL_OK; s >= BL_E_LIFECYCLE; s--) {
        assert_string_not_equal(bl_strerror(s), "unknown error");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_image_verifies_and_measures),
        cmocka_unit_test(test_full_public_key_format),
        cmocka_unit_test(test_wrong_key_rejected),
        cmocka_unit_test(test_bad_signature_rejected),
        cmocka_unit_test(test_security_counter_rollback),
        cmocka_unit_test(test_encrypted_image),
        cmocka_unit_test(test_encrypted_image_aes256),
        cmocka_unit_test(test_any_flipped_byte_rejected),
        cmocka_unit_test(test_any_flipped_byte_rejected_encrypted),
        cmocka_unit_test(test_truncated_image_rejected),
        cmocka_unit_test(test_overrunning_lengths_rejected),
        cmocka_unit_test(test_image_larger_than_slot_rejected),
        cmocka_unit_test(test_structure_errors),
        cmocka_unit_test(test_strerror_names_every_status),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
