/*
 * bl_record.c: see bl_record.h.
 */
#include "bl_record.h"

#include <string.h>

#include "bl_crc32.h"
#include "bl_status.h"
#include "plat_flash.h"

static void encode(const struct bl_record *r, uint8_t u[16])
{
    u[0] = r->magic;
    u[1] = r->type;
    u[2] = r->kind;
    u[3] = r->aux;
    for (int i = 0; i < 4; i++) {
        u[4 + i] = (uint8_t)(r->a >> (8 * i));
        u[8 + i] = (uint8_t)(r->b >> (8 * i));
    }
    uint32_t crc = bl_crc32(u, 12);
    for (int i = 0; i < 4; i++) {
        u[12 + i] = (uint8_t)(crc >> (8 * i));
    }
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

int bl_record_read(uint32_t sector_off, uint32_t index, uint8_t magic, struct bl_record *r)
{
    uint32_t off = sector_off + index * 16u;
    int programmed = plat_flash_is_programmed(off);
    if (programmed < 0) {
        return BL_E_IO;
    }
    if (programmed == 0) {
        return -1;
    }
    uint8_t u[16];
    if (plat_flash_read(off, u, sizeof(u)) != PLAT_FLASH_OK) {
        return BL_E_IO;
    }
    if (u[0] != magic || le32(u + 12) != bl_crc32(u, 12)) {
        return 0;
    }
    r->magic = u[0];
    r->type = u[1];
    r->kind = u[2];
    r->aux = u[3];
    r->a = le32(u + 4);
    r->b = le32(u + 8);
    return 1;
}

int bl_record_used(uint32_t sector_off, uint32_t *used)
{
    /* Records are only appended after the last programmed unit of a fully erased sector, so
     * the programmed units form a prefix: binary search for its end. (A sector left partly
     * erased by a cut erase breaks that, but such a sector holds only records that are out of
     * date, and any erased unit is a safe place to append.) */
    uint32_t lo = 0, hi = BL_RECORDS_PER_SECTOR;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int p = plat_flash_is_programmed(sector_off + mid * 16u);
        if (p < 0) {
            return BL_E_IO;
        }
        if (p == 1) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    *used = lo;
    return BL_OK;
}

int bl_record_append(uint32_t sector_off, const struct bl_record *r)
{
    uint8_t u[16];
    uint32_t used;
    int rc = bl_record_used(sector_off, &used);
    if (rc != BL_OK) {
        return rc;
    }
    encode(r, u);
    for (uint32_t i = used; i < BL_RECORDS_PER_SECTOR; i++) {
        rc = plat_flash_program(sector_off + i * 16u, u, sizeof(u));
        if (rc == PLAT_FLASH_OK) {
            return BL_OK;
        }
        if (rc != PLAT_FLASH_E_PROGRAMMED) {
            return BL_E_IO;
        }
    }
    return BL_E_JOURNAL;
}
