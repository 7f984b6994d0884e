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
#include "bl_reader.h"
#include "bl_slots.h"
#include "bl_status.h"
#include "bl_trailer.h"
#include "bl_verify.h"
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
    /* Images: the program unit being filled, where it goes, how many bytes it holds. */
    uint8_t unit[16];
    uint32_t unit_at, unit_fill;
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
    /* First every unit's check, so a refusal writes nothing of this call. A unit is free only
     * if it was never programmed, not if it reads erased: a cut that tore it before any of its
     * bits made it leaves it programmed and reading erased, and it takes no program (it costs
     * its place, as any torn unit). */
    for (uint32_t u = 0; u < len; u += 16) {
        const int programmed = plat_flash_is_programmed(FLASH_OTP_OFFSET + at + u);
        if (programmed < 0 ||
            plat_flash_read(FLASH_OTP_OFFSET + at + u, unit, 16) != PLAT_FLASH_OK) {
            return BL_E_IO;
        }
        uint8_t erased = 0xFF;
        for (size_t i = 0; i < 16; i++) {
            erased &= unit[i];
        }
        if ((programmed != 0 || erased != 0xFF) && memcmp(unit, d + u, 16) != 0) {
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
 * bl_p256_public accepts as a private key) and the DRBG seed. Deterministic on purpose
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
        found = rc == BL_OK && bl_p256_public(iak, iak_pub) == BL_OK;
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
    struct bl_oem oem;
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
        oem.magic = BL_OEM_MAGIC;
        oem.version = BL_OEM_VERSION;
        memcpy(oem.otp_digest, otp.digest, 32);
        memcpy(oem.lifecycle_pub, c->lifecycle_pub, 64);
        bl_sha256(&oem, offsetof(struct bl_oem, digest), oem.digest);

        /* The first place whose units were never programmed or hold these bytes already (a
         * retry after a clean cut): a unit a cut tore costs its place, not the chip (bl_otp.h). The
         * device record last: it is the commit (install-package.md). A place refused after its
         * first records are written holds no device record, and never will: its records are this
         * package's, which only this package's records match. */
        rc = BL_E_CONFIG;
        for (uint32_t p = 0; rc == BL_E_CONFIG && p < BL_OTP_PLACES; p++) {
            const uint32_t at = BL_OTP_PLACE_AT(p);
            rc = prov_write_once(at + ATTEST_OTP_AT, &a, sizeof(a));
            if (rc == BL_OK) {
                rc = prov_write_once(at + BL_OEM_AT, &oem, sizeof(oem));
            }
            if (rc == BL_OK) {
                rc = prov_write_once(at, &otp, sizeof(otp));
            }
        }
    }
    bl_zeroize(&otp, sizeof(otp));
    return rc;
}

/* Images (install-package.md): each goes into its kind's download slot, erased first, and is
 * verified there once whole, with the package's key for its kind and the key it is encrypted
 * for (the chip's product key for the SM and modules, the install key for the others); then
 * its trailer asks for a permanent install, which the boot stages carry out at the first boot
 * as for any update. */
static const struct bl_slot_pair *image_slot(size_t i)
{
    return bl_slots((enum bl_kind)s.cfg.images[i].kind);
}

/* Erases every download slot the package fills (at chunk 0, and again on a refusal, so a
 * refused package leaves them erased). */
static int erase_slots(void)
{
    for (size_t i = 0; i < s.cfg.image_count; i++) {
        const struct bl_slot_pair *p = image_slot(i);
        if (p == NULL || plat_flash_erase(p->secondary, p->size) != PLAT_FLASH_OK) {
            return BL_E_IO;
        }
    }
    return BL_OK;
}

static int flush_unit(void)
{
    if (s.unit_fill == 0u) {
        return BL_OK;
    }
    memset(s.unit + s.unit_fill, 0xFF, 16u - s.unit_fill);
    s.unit_fill = 0;
    return plat_flash_program(s.unit_at, s.unit, 16) == PLAT_FLASH_OK ? BL_OK : BL_E_IO;
}

/* The plaintext bytes at stream offset `at`: the parts of images among them, programmed. */
static int write_images(uint32_t at, const uint8_t *p, uint32_t n)
{
    uint32_t start = SM_PKG_CONFIG_SIZE;
    for (size_t i = 0; i < s.cfg.image_count; i++) {
        const uint32_t size = s.cfg.images[i].size, end = start + size;
        const uint32_t lo = at > start ? at : start, hi = at + n < end ? at + n : end;
        for (uint32_t o = lo; o < hi; o++) {
            const uint32_t addr = image_slot(i)->secondary + (o - start);
            if (s.unit_fill == 0u) {
                s.unit_at = addr;
            }
            s.unit[s.unit_fill++] = p[o - at];
            if ((s.unit_fill == 16u || o + 1u == end) && flush_unit() != BL_OK) {
                return BL_E_IO;
            }
        }
        start = end;
    }
    return BL_OK;
}

/* Each image, whole in its slot: verified as the boot stages will, then marked for install. */
static int verify_images(void)
{
    for (size_t i = 0; i < s.cfg.image_count; i++) {
        const uint8_t kind = s.cfg.images[i].kind;
        const struct bl_slot_pair *p = image_slot(i);
        struct bl_reader r = bl_reader_flash(p->secondary, s.cfg.images[i].size);
        struct bl_image_info info;
        struct bl_key key;
        uint8_t priv[32], m[32], der[91];
        int rc = bl_image_parse(&r, &info);
        memcpy(key.pub, s.cfg.keys[kind], 64);
        bl_pubkey_der(key.pub, der);
        bl_sha256(der, sizeof(der), key.hash);
        const bool vendor = kind == BL_KIND_SM || kind >= BL_KIND_MODULE0;
        if (rc == BL_OK && info.total_size != s.cfg.images[i].size) {
            rc = BL_E_HEADER; /* the table's size is the image's */
        }
        if (rc == BL_OK && vendor) {
            rc = bl_chip_read_field(offsetof(struct bl_chip, product_priv), priv, 32);
        } else {
            memcpy(priv, s.cfg.ns_install_key, 32);
        }
        if (rc == BL_OK) {
            const struct bl_verify_params v = {&key, priv, info.enc_key_len != 0u, 0};
            rc = bl_image_verify(&r, &info, &v, m);
        }
        bl_zeroize(priv, sizeof(priv));
        if (rc != BL_OK) {
            return rc;
        }
    }
    for (size_t i = 0; i < s.cfg.image_count; i++) {
        const struct bl_slot_pair *p = image_slot(i);
        if (bl_trailer_set(p->secondary, p->size, BL_TRAILER_IMAGE_OK) != BL_OK ||
            bl_trailer_set(p->secondary, p->size, BL_TRAILER_MAGIC) != BL_OK) {
            return BL_E_IO;
        }
    }
    return BL_OK;
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
        } else if (c.index == 0u &&
                   sm_pkg_parse_config(plain, SM_PKG_CONFIG_SIZE, s.length, &s.cfg) != SM_PKG_OK) {
            *rc = BL_E_CONFIG;
            reason = SM_PROV_E_CONFIG;
        } else if (c.index == 0u && erase_slots() != BL_OK) {
            *rc = BL_E_IO;
            reason = SM_PROV_E_STORE;
        }
        if (reason == SM_PROV_DONE) {
            *rc = write_images(c.index * SM_PKG_CHUNK, plain, c.len);
            reason = *rc == BL_OK ? SM_PROV_DONE : SM_PROV_E_STORE;
        }
        bl_zeroize(plain, c.len);
    }
    if (reason == SM_PROV_DONE) {
        s.next++;
        if (c.last) {
            *rc = verify_images();
            if (*rc != BL_OK) {
                reason = *rc == BL_E_IO ? SM_PROV_E_STORE : SM_PROV_E_IMAGE;
            } else {
                *rc = commit(iak_pub);
                reason = *rc == BL_OK     ? SM_PROV_DONE
                         : *rc == BL_E_IO ? SM_PROV_E_STORE
                                          : SM_PROV_E_WRITE;
            }
        }
    }
    if (reason != SM_PROV_DONE || c.last) {
        if (reason != SM_PROV_DONE && s.cfg.image_count != 0u) {
            (void)erase_slots(); /* a refused package leaves its slots erased */
        }
        prov_install_end();
    }
    return reason;
}
