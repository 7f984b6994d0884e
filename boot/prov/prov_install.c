/*
 * prov_install.c: see prov_install.h. One session in static storage (the stage is
 * single-threaded and has no heap), zeroized whenever it ends.
 */
#include "prov_install.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "attest_otp.h"
#include "bl_crypto.h"
#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "p256-m.h"
#include "plat_flash.h"
#include "sm_pkg.h"

static struct {
    bool open;
    uint8_t id[16];
    uint32_t chunks, length, next;
    uint8_t key[32];          /* the package key */
    uint8_t enc[32], mac[32]; /* its stream and tag keys */
    struct sm_pkg_config cfg; /* from chunk 0 */
    uint8_t buf[SM_PKG_TAG_PREFIX + SM_PKG_CHUNK_MAX];
} s;

void prov_install_end(void)
{
    bl_zeroize(&s, sizeof(s));
}

static bool tag_ok(const uint8_t *msg, size_t len, const uint8_t tag[32])
{
    struct bl_hmac h;
    uint8_t t[32];
    int rc = bl_hmac_start(&h, s.mac, sizeof(s.mac));
    if (rc == BL_OK) {
        rc = bl_hmac_tag(&h, msg, len, t);
    }
    bl_hmac_end(&h);
    const bool ok = rc == BL_OK && bl_ct_equal(t, tag, 32);
    bl_zeroize(t, sizeof(t));
    return ok;
}

uint8_t prov_install_begin(const struct sm_prov_request *r, int *rc)
{
    static const char enc_info[] = "SM pkg v1 enc", mac_info[] = "SM pkg v1 mac";
    uint8_t chip_priv[32];
    prov_install_end();
    if (bl_otp_check() == BL_OK) {
        *rc = BL_E_CONFIG;
        return SM_PROV_E_PROVISIONED;
    }
    *rc = bl_chip_check();
    if (*rc == BL_OK) {
        *rc = bl_chip_read_field(offsetof(struct bl_chip, chip_priv), chip_priv, 32);
    }
    if (*rc != BL_OK) {
        bl_zeroize(chip_priv, sizeof(chip_priv));
        return SM_PROV_E_NOT_FOR_CHIP;
    }
    *rc = bl_ecies_p256_unwrap(chip_priv, r->wrap, sizeof(s.key), s.key);
    bl_zeroize(chip_priv, sizeof(chip_priv));
    if (*rc != BL_OK) {
        prov_install_end();
        return SM_PROV_E_NOT_FOR_CHIP;
    }
    *rc = bl_hkdf_sha256(s.key, 32, (const uint8_t *)enc_info, sizeof(enc_info) - 1, s.enc, 32);
    if (*rc == BL_OK) {
        *rc = bl_hkdf_sha256(s.key, 32, (const uint8_t *)mac_info, sizeof(mac_info) - 1, s.mac, 32);
    }
    uint8_t prefix[SM_PKG_TAG_PREFIX];
    sm_pkg_tag_prefix(false, r->id, r->chunks, r->length, prefix);
    if (*rc != BL_OK || !tag_ok(prefix, sizeof(prefix), r->begin_tag)) {
        prov_install_end();
        *rc = *rc != BL_OK ? *rc : BL_E_SIG;
        return *rc == BL_E_SIG ? SM_PROV_E_TAMPERED : SM_PROV_E_STORE;
    }
    memcpy(s.id, r->id, 16);
    s.chunks = r->chunks;
    s.length = r->length;
    s.next = 0;
    s.open = true;
    return SM_PROV_DONE;
}

int prov_write_once(uint32_t at, const void *data, uint32_t len)
{
    const uint8_t *d = data;
    uint8_t unit[16];
    /* First every unit's check, so a refusal writes nothing of this call. */
    for (uint32_t u = 0; u < len; u += 16) {
        if (plat_flash_read(FLASH_OTP_OFFSET + at + u, unit, 16) != PLAT_FLASH_OK) {
            return BL_E_IO;
        }
        uint8_t erased = 0xFF;
        for (size_t i = 0; i < 16; i++) {
            erased &= unit[i];
        }
        if (erased != 0xFF && memcmp(unit, d + u, 16) != 0) {
            return BL_E_CONFIG;
        }
    }
    /* Then the units from the last to the first: the first (a record's magic) is the last
     * one programmed, so a record whose magic is there is whole. */
    for (uint32_t u = len; u > 0; u -= 16) {
        if (plat_flash_read(FLASH_OTP_OFFSET + at + u - 16, unit, 16) != PLAT_FLASH_OK) {
            return BL_E_IO;
        }
        if (memcmp(unit, d + u - 16, 16) != 0 &&
            plat_flash_program(FLASH_OTP_OFFSET + at + u - 16, d + u - 16, 16) != PLAT_FLASH_OK) {
            return BL_E_IO;
        }
    }
    return BL_OK;
}

/* The device's secrets born here: HKDF-SHA256(chip HUK || package key, "SM prov seed v1" ||
 * package id) keys an HMAC-SHA256 generator; its outputs give the IAK (the first candidate
 * p256-m accepts as a private key) and the DRBG seed. Deterministic on purpose
 * (install-package.md: a retry writes the same bytes). */
static int born_on_chip(const uint8_t huk[32], uint8_t iak[32], uint8_t iak_pub[64],
                        uint8_t seed[32])
{
    static const char label[] = "SM prov seed v1";
    uint8_t ikm[64], info[sizeof(label) - 1 + 16], gen[32], msg[8];
    memcpy(ikm, huk, 32);
    memcpy(ikm + 32, s.key, 32);
    memcpy(info, label, sizeof(label) - 1);
    memcpy(info + sizeof(label) - 1, s.id, 16);
    int rc = bl_hkdf_sha256(ikm, sizeof(ikm), info, sizeof(info), gen, sizeof(gen));
    bl_zeroize(ikm, sizeof(ikm));
    struct bl_hmac h;
    if (rc == BL_OK) {
        rc = bl_hmac_start(&h, gen, sizeof(gen));
    }
    memcpy(msg, "seed", 4);
    memset(msg + 4, 0, 4);
    if (rc == BL_OK) {
        rc = bl_hmac_tag(&h, msg, sizeof(msg), seed);
    }
    bool found = false;
    memcpy(msg, "IAK\0", 4);
    for (uint32_t i = 0; rc == BL_OK && !found && i < 16u; i++) {
        msg[4] = (uint8_t)i;
        rc = bl_hmac_tag(&h, msg, sizeof(msg), iak);
        found = rc == BL_OK && p256_validate_privkey(iak) == P256_SUCCESS &&
                p256_public_from_private(iak_pub, iak) == P256_SUCCESS;
    }
    bl_hmac_end(&h);
    bl_zeroize(gen, sizeof(gen));
    return rc == BL_OK && found ? BL_OK : BL_E_CRYPTO;
}

/* The records of the device, from the session's configuration, then written. */
static int commit(uint8_t iak_pub[64])
{
    struct bl_otp otp;
    struct attest_otp a;
    struct prov_oem oem;
    uint32_t state = 0;
    int rc = bl_lifecycle_get(&state);
    memset(&otp, 0, sizeof(otp));
    if (rc == BL_OK) {
        rc = bl_chip_read_field(offsetof(struct bl_chip, huk), otp.huk, 32);
    }
    if (rc == BL_OK) {
        rc = born_on_chip(otp.huk, otp.iak, iak_pub, otp.entropy_seed);
    }
    if (rc == BL_OK) {
        const struct sm_pkg_config *c = &s.cfg;
        otp.magic = BL_OTP_MAGIC;
        otp.version = BL_OTP_VERSION;
        otp.lifecycle = state;
        otp.module_slots = c->module_slots;
        otp.its_size = c->its_size;
        otp.its_max_asset = c->its_max_asset;
        otp.fwu_ns_components = c->fwu_ns_components;
        memcpy(otp.enc_priv, c->ns_install_key, 32);
        for (size_t k = 0; k < BL_KIND_COUNT; k++) {
            uint8_t any = 0, der[91];
            for (size_t i = 0; i < 64; i++) {
                any |= c->keys[k][i];
            }
            if (any != 0u) {
                memcpy(otp.keys[k].pub, c->keys[k], 64);
                bl_pubkey_der(c->keys[k], der);
                bl_sha256(der, sizeof(der), otp.keys[k].hash);
            }
        }
        bl_sha256(&otp, offsetof(struct bl_otp, digest), otp.digest);

        memset(&a, 0, sizeof(a));
        a.magic = ATTEST_OTP_MAGIC;
        a.version = ATTEST_OTP_VERSION;
        memcpy(a.otp_digest, otp.digest, 32);
        memcpy(a.iak_pub, iak_pub, 64);
        memcpy(a.implementation_id, c->implementation_id, 32);
        a.cert_ref_len = c->cert_ref_len;
        a.url_len = c->url_len;
        memcpy(a.cert_ref, c->cert_ref, c->cert_ref_len);
        memcpy(a.url, c->url, c->url_len);
        bl_sha256(&a, offsetof(struct attest_otp, digest), a.digest);

        memset(&oem, 0, sizeof(oem));
        oem.magic = PROV_OEM_MAGIC;
        oem.version = PROV_OEM_VERSION;
        memcpy(oem.otp_digest, otp.digest, 32);
        memcpy(oem.lifecycle_pub, c->lifecycle_pub, 64);
        bl_sha256(&oem, offsetof(struct prov_oem, digest), oem.digest);

        /* The device record last: it is the commit (install-package.md). */
        rc = prov_write_once(ATTEST_OTP_AT, &a, sizeof(a));
        if (rc == BL_OK) {
            rc = prov_write_once(PROV_OEM_AT, &oem, sizeof(oem));
        }
        if (rc == BL_OK) {
            rc = prov_write_once(0, &otp, sizeof(otp));
        }
    }
    bl_zeroize(&otp, sizeof(otp));
    return rc;
}

uint8_t prov_install_chunk(const struct sm_prov_request *r, int *rc, uint8_t iak_pub[64])
{
    struct sm_pkg_chunk c;
    uint8_t reason = SM_PROV_DONE;
    *rc = BL_OK;
    if (!s.open) {
        *rc = BL_E_HEADER;
        return SM_PROV_E_SEQUENCE;
    }
    if (sm_pkg_parse_chunk(r->chunk, r->chunk_len, s.chunks, s.length, &c) != SM_PKG_OK) {
        *rc = BL_E_HEADER;
        reason = SM_PROV_E_MALFORMED;
    } else if (c.index != s.next) {
        *rc = BL_E_HEADER;
        reason = SM_PROV_E_SEQUENCE;
    }
    if (reason == SM_PROV_DONE) {
        /* The tag over (prefix, header, ciphertext), before any byte is used. */
        sm_pkg_tag_prefix(true, s.id, s.chunks, s.length, s.buf);
        memcpy(s.buf + SM_PKG_TAG_PREFIX, r->chunk, SM_PKG_CHUNK_HDR + c.len);
        if (!tag_ok(s.buf, SM_PKG_TAG_PREFIX + SM_PKG_CHUNK_HDR + c.len, c.tag)) {
            *rc = BL_E_SIG;
            reason = SM_PROV_E_TAMPERED;
        }
    }
    if (reason == SM_PROV_DONE) {
        uint8_t *plain = s.buf;
        memcpy(plain, c.data, c.len);
        struct bl_aes_ctr aes;
        *rc = bl_aes_ctr_start(&aes, s.enc, sizeof(s.enc));
        if (*rc == BL_OK) {
            bl_aes_ctr_crypt(&aes, c.index * SM_PKG_CHUNK, plain, c.len);
        }
        bl_aes_ctr_end(&aes);
        if (*rc != BL_OK) {
            reason = SM_PROV_E_STORE;
        } else if (c.index == 0u) {
            if (sm_pkg_parse_config(plain, SM_PKG_CONFIG_SIZE, s.length, &s.cfg) != SM_PKG_OK) {
                *rc = BL_E_CONFIG;
                reason = SM_PROV_E_CONFIG;
            } else if (s.cfg.image_count != 0u) {
                /* Images: planned (install-package.md): refused rather than half done. */
                *rc = BL_E_UNSUPPORTED;
                reason = SM_PROV_E_IMAGE;
            }
        }
        bl_zeroize(plain, c.len);
    }
    if (reason == SM_PROV_DONE) {
        s.next++;
        if (c.last) {
            *rc = commit(iak_pub);
            reason = *rc == BL_OK     ? SM_PROV_DONE
                     : *rc == BL_E_IO ? SM_PROV_E_STORE
                                      : SM_PROV_E_WRITE;
            prov_install_end();
        }
    } else {
        prov_install_end();
    }
    return reason;
}

int prov_oem_key(uint8_t pub[64])
{
    struct prov_oem oem;
    uint8_t digest[32], otp_digest[32];
    if (plat_flash_read(FLASH_OTP_OFFSET + PROV_OEM_AT, &oem, sizeof(oem)) != PLAT_FLASH_OK ||
        bl_otp_read_field(offsetof(struct bl_otp, digest), otp_digest, 32) != BL_OK) {
        return BL_E_IO;
    }
    uint8_t all = 0xFF;
    for (size_t i = 0; i < sizeof(oem); i++) {
        all &= ((const uint8_t *)&oem)[i];
    }
    if (all == 0xFFu) {
        return BL_E_EMPTY;
    }
    bl_sha256(&oem, offsetof(struct prov_oem, digest), digest);
    if (oem.magic != PROV_OEM_MAGIC || oem.version != PROV_OEM_VERSION ||
        !bl_ct_equal(digest, oem.digest, 32) || !bl_ct_equal(otp_digest, oem.otp_digest, 32)) {
        return BL_E_CONFIG;
    }
    memcpy(pub, oem.lifecycle_pub, 64);
    return BL_OK;
}
