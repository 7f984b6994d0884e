/*
 * bl_record.c: see bl_record.h.
 */
#include "bl_record.h"

#include <stddef.h>
#include <string.h>

#include "bl_crypto.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "plat_flash.h"

#define UNIT 16u

int bl_record_key(uint32_t region_off, uint8_t key[BL_RECORD_KEY_LEN])
{
    static const char label[] = "SM boot records";
    uint8_t huk[32], info[sizeof(label) - 1 + 4];
    memcpy(info, label, sizeof(label) - 1);
    for (int i = 0; i < 4; i++) {
        info[sizeof(label) - 1 + i] = (uint8_t)(region_off >> (8 * i));
    }
#ifdef BL_STAGE
    /* The boot stages use the counters and journals only on a device record (bl_stage_start
     * stops without one): its HUK is the one. */
    int rc = bl_otp_read_field(offsetof(struct bl_otp, huk), huk, sizeof(huk));
#else
    int rc = bl_otp_huk(huk);
#endif
    if (rc == BL_OK) {
        rc = bl_hkdf_sha256(huk, sizeof(huk), info, sizeof(info), key, BL_RECORD_KEY_LEN);
    }
    bl_zeroize(huk, sizeof(huk));
    return rc;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* One HMAC context for a whole sector: its key schedule is computed once. */
static int mac_tag(struct bl_hmac *m, const uint8_t body[8], uint8_t tag[BL_RECORD_TAG_LEN])
{
    uint8_t full[32];
    int rc = bl_hmac_tag(m, body, 8, full);
    memcpy(tag, full, BL_RECORD_TAG_LEN);
    bl_zeroize(full, sizeof(full));
    return rc;
}

int bl_record_scan(uint32_t sector_off, const uint8_t key[BL_RECORD_KEY_LEN], bl_record_want want,
                   bl_record_visit visit, void *ctx, uint32_t *erased)
{
    struct bl_hmac m;
    *erased = 0;
    int rc = bl_hmac_start(&m, key, BL_RECORD_KEY_LEN);
    /* Every unit: a programmed unit after an erased one is as real as any other (it may come
     * from an erase cut short, or from whoever wrote the flash), so nothing is assumed about
     * where records are. */
    for (uint32_t i = 0; rc == BL_OK && i < BL_RECORDS_PER_SECTOR; i++) {
        uint32_t off = sector_off + i * UNIT;
        int programmed = plat_flash_is_programmed(off);
        uint8_t u[UNIT], tag[BL_RECORD_TAG_LEN];
        if (programmed < 0) {
            rc = BL_E_IO;
            break;
        }
        if (programmed == 0) {
            (*erased)++;
            continue;
        }
        if (plat_flash_read(off, u, sizeof(u)) != PLAT_FLASH_OK) {
            rc = BL_E_IO;
            break;
        }
        const struct bl_record r = {u[0], u[1], (uint16_t)(u[2] | (u[3] << 8)), le32(u + 4)};
        if (want != NULL && !want(ctx, &r)) {
            continue; /* not asked for: whether it is authentic does not matter */
        }
        rc = mac_tag(&m, u, tag);
        if (rc == BL_OK && bl_ct_equal(tag, u + 8, BL_RECORD_TAG_LEN)) {
            visit(ctx, &r);
        }
    }
    bl_hmac_end(&m); /* safe after a failed start too */
    return rc;
}

int bl_record_append(uint32_t sector_off, const uint8_t key[BL_RECORD_KEY_LEN],
                     const struct bl_record *r)
{
    uint8_t u[UNIT];
    struct bl_hmac m;
    u[0] = r->type;
    u[1] = r->index;
    u[2] = (uint8_t)r->aux;
    u[3] = (uint8_t)(r->aux >> 8);
    for (int i = 0; i < 4; i++) {
        u[4 + i] = (uint8_t)(r->value >> (8 * i));
    }
    int rc = bl_hmac_start(&m, key, BL_RECORD_KEY_LEN);
    if (rc != BL_OK) {
        return rc;
    }
    rc = mac_tag(&m, u, u + 8);
    bl_hmac_end(&m);
    for (uint32_t i = 0; rc == BL_OK && i < BL_RECORDS_PER_SECTOR; i++) {
        uint32_t off = sector_off + i * UNIT;
        int programmed = plat_flash_is_programmed(off);
        if (programmed < 0) {
            return BL_E_IO;
        }
        if (programmed == 1) {
            continue;
        }
        return plat_flash_program(off, u, sizeof(u)) == PLAT_FLASH_OK ? BL_OK : BL_E_IO;
    }
    return rc == BL_OK ? BL_E_JOURNAL : rc;
}
