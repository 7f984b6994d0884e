/*
 * bl_trailer.c: see bl_trailer.h.
 */
#include "bl_trailer.h"

#include <string.h>

#include "bl_otp.h"
#include "bl_status.h"
#include "plat_flash.h"

/* MCUboot's boot magic for a 16-byte trailer alignment. */
const uint8_t bl_trailer_magic[16] = {
    0x10, 0x00, 0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d, 0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a,
};

/* MCUboot's classic boot magic (8-byte alignment, image_ok at slot_end - 24). */
static const uint8_t magic_align8[16] = {
    0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f, 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
};

/* The first byte of a trial unit: 0x01 (installed alone) or 0x80 | its install group. */
#define TRIAL_GROUP_TAG 0x80u
#define KINDS_MASK      ((1u << BL_KIND_COUNT) - 1u)

static bool trial_tag_valid(uint8_t tag)
{
    return tag == BL_TRAILER_SET || (tag & TRIAL_GROUP_TAG) != 0u;
}

/* A group of one is no group; a kind past the last, or a tag without a group, none either. */
static uint32_t group_of(uint32_t group)
{
    return (group & ~KINDS_MASK) == 0u && (group & (group - 1u)) != 0u ? group : 0u;
}

/* The group a trial unit's first byte names, or 0. */
static uint8_t tag_group(uint8_t tag)
{
    return (tag & TRIAL_GROUP_TAG) != 0u ? (uint8_t)group_of(tag & (uint32_t)~TRIAL_GROUP_TAG) : 0u;
}

static void field_value(enum bl_trailer_field field, uint8_t unit[16])
{
    memset(unit, FLASH_ERASED_VALUE, 16);
    if (field == BL_TRAILER_MAGIC) {
        memcpy(unit, bl_trailer_magic, 16);
    } else {
        unit[0] = BL_TRAILER_SET;
    }
}

void bl_trailer_encode(uint8_t out[BL_TRAILER_SIZE], bool magic, bool image_ok)
{
    memset(out, FLASH_ERASED_VALUE, BL_TRAILER_SIZE);
    if (image_ok) {
        field_value(BL_TRAILER_IMAGE_OK, out + BL_TRAILER_IMAGE_OK);
    }
    if (magic) {
        field_value(BL_TRAILER_MAGIC, out + BL_TRAILER_MAGIC);
    }
}

void bl_trailer_decode(const uint8_t raw[BL_TRAILER_SIZE], struct bl_trailer *t)
{
    t->booted = raw[BL_TRAILER_BOOTED] == BL_TRAILER_SET;
    t->trial = trial_tag_valid(raw[BL_TRAILER_TRIAL]);
    t->group = 0u; /* a flash read's (bl_trailer_read): what the boot stages act on */
    if (memcmp(raw + BL_TRAILER_MAGIC, magic_align8, sizeof(magic_align8)) == 0) {
        t->magic = true;
        t->image_ok = raw[BL_TRAILER_SIZE - 24] == BL_TRAILER_SET;
        return;
    }
    t->magic = memcmp(raw + BL_TRAILER_MAGIC, bl_trailer_magic, sizeof(bl_trailer_magic)) == 0;
    t->image_ok = raw[BL_TRAILER_IMAGE_OK] == BL_TRAILER_SET;
}

int bl_trailer_read(uint32_t slot_off, uint32_t slot_size, struct bl_trailer *t)
{
    uint8_t raw[BL_TRAILER_SIZE];
    uint32_t base = slot_off + slot_size - BL_TRAILER_SIZE;
    if (plat_flash_read(base, raw, sizeof(raw)) != PLAT_FLASH_OK) {
        return BL_E_IO;
    }
    bl_trailer_decode(raw, t);
    int booted = plat_flash_is_programmed(base + BL_TRAILER_BOOTED);
    int trial = plat_flash_is_programmed(base + BL_TRAILER_TRIAL);
    int image_ok = plat_flash_is_programmed(base + BL_TRAILER_IMAGE_OK);
    if (booted < 0 || trial < 0 || image_ok < 0) {
        return BL_E_IO;
    }
    t->booted = booted == 1;
    t->trial = trial == 1;
    t->group = t->trial ? tag_group(raw[BL_TRAILER_TRIAL]) : 0u;
    /* In an active slot installed with a group, image_ok is written only by a confirmation (the
     * update service's or the boot stage's, never a tool's): set once programmed at all, like
     * booted, so that a torn confirmation of one member still counts and the group stays one. */
    if (t->group != 0u) {
        t->image_ok = image_ok == 1;
    }
    return BL_OK;
}

/* Programs a unit unless it holds those bytes already; `once`: a unit set once programmed at
 * all (booted, trial), never written twice. */
static int set_unit(uint32_t off, const uint8_t unit[16], bool once)
{
    uint8_t cur[16];
    if (once) {
        int programmed = plat_flash_is_programmed(off);
        if (programmed < 0) {
            return BL_E_IO;
        }
        if (programmed == 1) {
            return BL_OK; /* set, possibly by a write a power cut tore */
        }
    }
    if (plat_flash_read(off, cur, sizeof(cur)) != PLAT_FLASH_OK) {
        return BL_E_IO;
    }
    if (memcmp(cur, unit, sizeof(cur)) == 0) {
        return BL_OK;
    }
    return plat_flash_program(off, unit, 16) == PLAT_FLASH_OK ? BL_OK : BL_E_IO;
}

int bl_trailer_set(uint32_t slot_off, uint32_t slot_size, enum bl_trailer_field field)
{
    uint8_t unit[16];
    struct bl_trailer t;
    if (field == BL_TRAILER_IMAGE_OK) {
        const int rc = bl_trailer_read(slot_off, slot_size, &t);
        if (rc != BL_OK || t.image_ok) {
            return rc; /* confirmed already (a group member's torn confirmation included) */
        }
    }
    field_value(field, unit);
    return set_unit(slot_off + slot_size - BL_TRAILER_SIZE + (uint32_t)field, unit,
                    field == BL_TRAILER_BOOTED || field == BL_TRAILER_TRIAL);
}

int bl_trailer_set_trial(uint32_t slot_off, uint32_t slot_size,
                         const uint8_t prev[BL_TRAILER_PREV_LEN], uint32_t group)
{
    uint8_t unit[16];
    group = group_of(group);
    unit[0] = group != 0u ? (uint8_t)(TRIAL_GROUP_TAG | group) : BL_TRAILER_SET;
    memcpy(unit + 1, prev, BL_TRAILER_PREV_LEN);
    return set_unit(slot_off + slot_size - BL_TRAILER_SIZE + BL_TRAILER_TRIAL, unit, true);
}

bool bl_trailer_trial_replaced(uint32_t slot_off, uint32_t slot_size, const uint8_t measurement[32])
{
    uint8_t unit[16];
    /* Public data (measurements): a plain comparison. */
    return plat_flash_read(slot_off + slot_size - BL_TRAILER_SIZE + BL_TRAILER_TRIAL, unit,
                           sizeof(unit)) == PLAT_FLASH_OK &&
           trial_tag_valid(unit[0]) && memcmp(unit + 1, measurement, BL_TRAILER_PREV_LEN) == 0;
}

bool bl_trailer_mark_decode(const uint8_t unit[16], uint32_t *mark, uint32_t *value)
{
    if (unit[0] != 'F' || unit[1] != 'W' || (uint8_t)(unit[2] ^ unit[3]) != 0xFFu) {
        return false;
    }
    *mark = unit[2];
    *value = (uint32_t)unit[4] | (uint32_t)unit[5] << 8 | (uint32_t)unit[6] << 16 |
             (uint32_t)unit[7] << 24;
    return true;
}

uint32_t bl_trailer_group(uint32_t slot_off, uint32_t slot_size)
{
    uint8_t unit[16];
    uint32_t mark, value;
    /* The update service writes the group as the second mark, after CANDIDATE's. */
    return plat_flash_read(slot_off + slot_size - BL_TRAILER_SIZE + BL_TRAILER_TRIAL, unit,
                           sizeof(unit)) == PLAT_FLASH_OK &&
                   bl_trailer_mark_decode(unit, &mark, &value) && mark == BL_TRAILER_MARK_GROUP
               ? value
               : 0u;
}

/* The mark units of a download slot, in the order marks are written. */
static const uint32_t mark_units[2] = {BL_TRAILER_BOOTED, BL_TRAILER_TRIAL};

int bl_trailer_mark_add(uint32_t slot_off, uint32_t slot_size, uint32_t mark, uint32_t value,
                        bool *full)
{
    uint8_t unit[16];
    *full = false;
    for (unsigned i = 0; i < 2u; i++) {
        const uint32_t at = slot_off + slot_size - BL_TRAILER_SIZE + mark_units[i];
        const int programmed = plat_flash_is_programmed(at);
        if (programmed < 0) {
            return BL_E_IO;
        }
        if (programmed == 0) {
            memset(unit, FLASH_ERASED_VALUE, sizeof(unit));
            unit[0] = 'F';
            unit[1] = 'W';
            unit[2] = (uint8_t)mark;
            unit[3] = (uint8_t)~mark;
            for (unsigned b = 0; b < 4u; b++) {
                unit[4 + b] = (uint8_t)(value >> (8 * b));
            }
            return plat_flash_program(at, unit, sizeof(unit)) == PLAT_FLASH_OK ? BL_OK : BL_E_IO;
        }
    }
    *full = true;
    return BL_OK;
}

int bl_trailer_mark_once(uint32_t slot_off, uint32_t slot_size, uint32_t mark)
{
    uint8_t unit[16];
    uint32_t newest = 0u, m, value;
    bool full;
    for (unsigned i = 0; i < 2u; i++) {
        const uint32_t at = slot_off + slot_size - BL_TRAILER_SIZE + mark_units[i];
        const int programmed = plat_flash_is_programmed(at);
        if (programmed < 0 || plat_flash_read(at, unit, sizeof(unit)) != PLAT_FLASH_OK) {
            return BL_E_IO;
        }
        if (programmed == 1 && bl_trailer_mark_decode(unit, &m, &value)) {
            newest = m;
        }
    }
    /* Both units used: nothing more can be written until the sector is erased. */
    return newest == mark ? BL_OK : bl_trailer_mark_add(slot_off, slot_size, mark, 0u, &full);
}
