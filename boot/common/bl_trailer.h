/*
 * bl_trailer.h: the slot trailer, the last BL_TRAILER_SIZE bytes of every image slot.
 *
 * Layout (MCUboot's trailer for a 16-byte write alignment, reduced to the two fields we use;
 * see docs/design/secure-boot.md):
 *   slot_end - 32 : image_ok unit: first byte 0x01 = confirmed, rest erased
 *   slot_end - 16 : magic unit: bl_trailer_magic = an image waits here to be installed
 * Reading also accepts what `imgtool sign --pad` writes with its default 8-byte alignment
 * (the classic MCUboot magic, image_ok at slot_end - 24), so imgtool's padded images work.
 * A download slot whose magic is set requests an install; with image_ok set too the install is
 * permanent (no trial boot). In an active slot, image_ok set by the running image confirms it.
 * Each field is one 16-byte program unit, so it is written once, atomically enough: a torn
 * unit reads as "not set" because only the exact values count.
 */
#ifndef BL_TRAILER_H
#define BL_TRAILER_H

#include <stdbool.h>
#include <stdint.h>

#define BL_TRAILER_SIZE     32u
#define BL_TRAILER_IMAGE_OK 0x01u

extern const uint8_t bl_trailer_magic[16];

struct bl_trailer {
    bool magic;    /* install requested (download slot) */
    bool image_ok; /* confirmed */
};

/* The trailer bytes for a padded image: magic and/or image_ok set, the rest erased. */
void bl_trailer_encode(uint8_t out[BL_TRAILER_SIZE], bool magic, bool image_ok);
/* Decodes the last BL_TRAILER_SIZE bytes of a slot. */
void bl_trailer_decode(const uint8_t raw[BL_TRAILER_SIZE], struct bl_trailer *t);
/* Reads the trailer of the slot [slot_off, slot_off + slot_size) from flash. BL_OK or BL_E_IO. */
int bl_trailer_read(uint32_t slot_off, uint32_t slot_size, struct bl_trailer *t);
/* Programs the magic / image_ok unit of a slot (once; BL_OK if it already has that value). */
int bl_trailer_set_magic(uint32_t slot_off, uint32_t slot_size, bool image_ok);
int bl_trailer_set_image_ok(uint32_t slot_off, uint32_t slot_size);

#endif /* BL_TRAILER_H */
