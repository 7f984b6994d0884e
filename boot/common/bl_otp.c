/*
 * bl_otp.c: see bl_otp.h. Fields are read from flash as needed rather than copied whole, so
 * the secrets a stage does not use never enter its RAM.
 */
#include "bl_otp.h"

#include <stdbool.h>
#include <string.h>

#include "bl_crypto.h"
#include "bl_status.h"
#include "plat_flash.h"

uint32_t bl_otp_place(void)
{
    /* The head, not the digest: this runs at every field's read, and a head is whole only if
     * the whole record is (its unit is the stage's last). A torn head that still reads right
     * fails bl_otp_check's digest: fail closed, as a single place did. */
    uint32_t p = 0, head[2];
    for (; p < BL_OTP_PLACES - 1u; p++) {
        if (plat_flash_read(FLASH_OTP_OFFSET + BL_OTP_PLACE_AT(p), head, sizeof(head)) ==
                PLAT_FLASH_OK &&
            head[0] == BL_OTP_MAGIC && head[1] == BL_OTP_VERSION) {
            break;
        }
    }
    return BL_OTP_PLACE_AT(p);
}

int bl_otp_read_field(size_t offset, void *dst, size_t len)
{
    if (offset > sizeof(struct bl_otp) || len > sizeof(struct bl_otp) - offset ||
        plat_flash_read(FLASH_OTP_OFFSET + bl_otp_place() + (uint32_t)offset, dst, len) !=
            PLAT_FLASH_OK) {
        return BL_E_IO;
    }
    return BL_OK;
}

int bl_otp_check(void)
{
#ifndef BL_STAGE_SECOND /* the iRoT finishes a decommissioning and stops: the uRoT never sees it   \
                         */
    /* The tombstone at the area's start, or bl_lifecycle_mark's units at its end. */
    uint32_t mark[BL_OTP_END_UNITS * 4], tomb;
    if (plat_flash_read(FLASH_OTP_OFFSET + FLASH_OTP_SIZE - sizeof(mark), mark, sizeof(mark)) !=
            PLAT_FLASH_OK ||
        plat_flash_read(FLASH_OTP_OFFSET, &tomb, sizeof(tomb)) != PLAT_FLASH_OK) {
        return BL_E_IO;
    }
    bool marked = tomb == BL_OTP_END_MAGIC;
    for (size_t u = 0; u < BL_OTP_END_UNITS; u++) {
        marked |= mark[4 * u] == BL_OTP_END_MAGIC;
    }
    if (marked) {
        return BL_E_DECOMMISSIONED;
    }
#endif
    uint8_t chunk[96];
    uint8_t digest[32], stored[32];
    struct bl_sha256 h;
    const size_t covered = offsetof(struct bl_otp, digest);
    bl_sha256_start(&h);
    for (size_t off = 0; off < covered; off += sizeof(chunk)) {
        size_t n = covered - off < sizeof(chunk) ? covered - off : sizeof(chunk);
        if (bl_otp_read_field(off, chunk, n) != BL_OK) {
            bl_sha256_finish(&h, digest);
            bl_zeroize(chunk, sizeof(chunk));
            return BL_E_IO;
        }
        bl_sha256_update(&h, chunk, n);
    }
    bl_sha256_finish(&h, digest);
    bl_zeroize(chunk, sizeof(chunk));
    uint32_t head[5];
    if (bl_otp_read_field(offsetof(struct bl_otp, digest), stored, sizeof(stored)) != BL_OK ||
        bl_otp_read_field(0, head, sizeof(head)) != BL_OK) {
        return BL_E_IO;
    }
    const uint32_t magic = head[0], version = head[1], modules = head[3], its = head[4];
    if (magic != BL_OTP_MAGIC || version != BL_OTP_VERSION ||
        !bl_ct_equal(digest, stored, sizeof(digest)) || modules > FLASH_MODULE_SLOTS_MAX ||
        its % FLASH_SECTOR_SIZE != 0 || its > FLASH_ITS_SIZE_MAX) {
        return BL_E_CONFIG;
    }
    return BL_OK;
}

int bl_otp_key(enum bl_kind kind, struct bl_key *key)
{
    uint8_t check[32], any = 0;
    if ((unsigned)kind >= BL_KIND_COUNT ||
        bl_otp_read_field(offsetof(struct bl_otp, keys) + kind * sizeof(struct bl_otp_key), key,
                          sizeof(*key)) != BL_OK) {
        return BL_E_IO;
    }
    for (size_t i = 0; i < sizeof(key->pub); i++) {
        any |= key->pub[i]; /* an unprovisioned key reads as zeros */
    }
    if (any == 0) {
        return BL_E_CONFIG;
    }
    uint8_t der[91];
    bl_pubkey_der(key->pub, der);
    bl_sha256(der, sizeof(der), check);
    return bl_ct_equal(check, key->hash, sizeof(check)) ? BL_OK : BL_E_CONFIG;
}

int bl_otp_enc_priv(enum bl_kind kind, uint8_t priv[32])
{
    /* A chip's vendor images (the SM, the modules) come encrypted for the vendor's product key,
     * which the OEM never holds (install-package.md); every other image, and every image of a
     * development device (no chip record), for the device record's key. */
#if !defined(BL_STAGE) || defined(BL_STAGE_SECOND) /* the iRoT installs the uRoT only */
    uint32_t magic = 0;
    if ((kind == BL_KIND_SM || kind >= BL_KIND_MODULE0) &&
        bl_chip_read_field(0, &magic, sizeof(magic)) == BL_OK && magic == BL_CHIP_MAGIC) {
        return bl_chip_read_field(offsetof(struct bl_chip, product_priv), priv, 32);
    }
#else
    (void)kind;
#endif
    return bl_otp_read_field(offsetof(struct bl_otp, enc_priv), priv, 32);
}

int bl_chip_read_field(size_t offset, void *dst, size_t len)
{
    if (offset > sizeof(struct bl_chip) || len > sizeof(struct bl_chip) - offset ||
        plat_flash_read(FLASH_OTP_OFFSET + BL_CHIP_OFFSET + (uint32_t)offset, dst, len) !=
            PLAT_FLASH_OK) {
        return BL_E_IO;
    }
    return BL_OK;
}

int bl_otp_huk(uint8_t huk[32])
{
    uint32_t magic;
    if (bl_otp_read_field(0, &magic, sizeof(magic)) != BL_OK) {
        return BL_E_IO;
    }
    return magic == BL_OTP_MAGIC ? bl_otp_read_field(offsetof(struct bl_otp, huk), huk, 32)
                                 : bl_chip_read_field(offsetof(struct bl_chip, huk), huk, 32);
}

int bl_chip_check(void)
{
    struct bl_chip c;
    uint8_t digest[32];
    int rc = bl_chip_read_field(0, &c, sizeof(c));
    if (rc == BL_OK) {
        const uint8_t *b = (const uint8_t *)&c;
        uint8_t all = 0xFF;
        for (size_t i = 0; i < sizeof(c); i++) {
            all &= b[i];
        }
        bl_sha256(&c, offsetof(struct bl_chip, digest), digest);
        rc = all == 0xFF ? BL_E_EMPTY
             : c.magic == BL_CHIP_MAGIC && c.version == BL_CHIP_VERSION &&
                     bl_ct_equal(digest, c.digest, sizeof(digest))
                 ? BL_OK
                 : BL_E_CONFIG;
    }
    bl_zeroize(&c, sizeof(c));
    return rc;
}

int bl_oem_key(uint8_t pub[64])
{
    struct bl_oem oem;
    uint8_t digest[32], otp_digest[32];
    if (plat_flash_read(FLASH_OTP_OFFSET + bl_otp_place() + BL_OEM_AT, &oem, sizeof(oem)) !=
            PLAT_FLASH_OK ||
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
    bl_sha256(&oem, offsetof(struct bl_oem, digest), digest);
    if (oem.magic != BL_OEM_MAGIC || oem.version != BL_OEM_VERSION ||
        !bl_ct_equal(digest, oem.digest, 32) || !bl_ct_equal(otp_digest, oem.otp_digest, 32)) {
        return BL_E_CONFIG;
    }
    memcpy(pub, oem.lifecycle_pub, 64);
    return BL_OK;
}
