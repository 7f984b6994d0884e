/*
 * bl_trailer.c: see bl_trailer.h.
 */
#include "bl_trailer.h"

#include <string.h>

#include "bl_crypto.h"
#include "bl_status.h"
#include "plat_flash.h"

/* MCUboot's boot magic when the trailer is aligned to 16 bytes (its "max align" variant). */
const uint8_t bl_trailer_magic[16] = {
    0x10, 0x00, 0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d, 0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a,
};

/* MCUboot's boot magic for its default 8-byte trailer alignment (image_ok at end - 24). */
static const uint8_t magic_align8[16] = {
    0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f, 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
};

#define OK_UNIT(slot_off, slot_size)    ((slot_off) + (slot_size)-32u)
#define MAGIC_UNIT(slot_off, slot_size) ((slot_off) + (slot_size)-16u)

void bl_trailer_encode(uint8_t out[BL_TRAILER_SIZE], bool magic, bool image_ok)
{
    memset(out, FLASH_ERASED_VALUE, BL_TRAILER_SIZE);
    if (image_ok) {
        out[0] = BL_TRAILER_IMAGE_OK;
    }
    if (magic) {
        memcpy(out + 16, bl_trailer_magic, sizeof(bl_trailer_magic));
    }
}

void bl_trailer_decode(const uint8_t raw[BL_TRAILER_SIZE], struct bl_trailer *t)
{
    if (memcmp(raw + 16, magic_align8, sizeof(magic_align8)) == 0) {
        t->magic = true;
        t->image_ok = raw[8] == BL_TRAILER_IMAGE_OK;
        return;
    }
    t->magic = memcmp(raw + 16, bl_trailer_magic, sizeof(bl_trailer_magic)) == 0;
    t->image_ok = raw[0] == BL_TRAILER_IMAGE_OK;
}

int bl_trailer_read(uint32_t slot_off, uint32_t slot_size, struct bl_trailer *t)
{
    uint8_t raw[BL_TRAILER_SIZE];
    if (plat_flash_read(OK_UNIT(slot_off, slot_size), raw, sizeof(raw)) != PLAT_FLASH_OK) {
        return BL_E_IO;
    }
    bl_trailer_decode(raw, t);
    return BL_OK;
}

static int program_unit(uint32_t off, const uint8_t unit[16])
{
    uint8_t cur[16];
    if (plat_flash_read(off, cur, sizeof(cur)) != PLAT_FLASH_OK) {
        return BL_E_IO;
    }
    if (memcmp(cur, unit, sizeof(cur)) == 0) {
        return BL_OK;
    }
    return plat_flash_program(off, unit, 16) == PLAT_FLASH_OK ? BL_OK : BL_E_IO;
}

int bl_trailer_set_magic(uint32_t slot_off, uint32_t slot_size, bool image_ok)
{
    uint8_t t[BL_TRAILER_SIZE];
    bl_trailer_encode(t, true, image_ok);
    int rc = image_ok ? program_unit(OK_UNIT(slot_off, slot_size), t) : BL_OK;
    return rc == BL_OK ? program_unit(MAGIC_UNIT(slot_off, slot_size), t + 16) : rc;
}

int bl_trailer_set_image_ok(uint32_t slot_off, uint32_t slot_size)
{
    uint8_t t[BL_TRAILER_SIZE];
    bl_trailer_encode(t, false, true);
    return program_unit(OK_UNIT(slot_off, slot_size), t);
}
