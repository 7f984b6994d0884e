/*
 * bl_trailer.h: the slot trailer, the last BL_TRAILER_SIZE bytes of every image slot.
 *
 * One field per 16-byte program unit, each written at most once between erases. See
 * docs/design/secure-boot.md for what each state means. In flash, booted and trial (written
 * only by the boot stage) are set once their unit is programmed at all, so a write torn by a
 * power cut counts as done and is never retried on a unit that cannot take it; image_ok is set
 * when its unit starts with 0x01 and magic when its unit holds the magic (both may come from
 * other tools). In a file (bl_trailer_decode) every field is judged by its bytes.
 *   slot_end - 64 : booted    the trial image has been started once
 *   slot_end - 48 : trial     installed on trial, not yet confirmed; bytes 1..15 hold the first
 *                             15 bytes of the measurement of the image the trial replaced, the
 *                             only image a revert may go back to; byte 0 is 0x01, or for an
 *                             image installed with others 0x80 | the group (a bit per kind)
 *   slot_end - 32 : image_ok  confirmed (in a download slot: install permanently)
 *   slot_end - 16 : magic     (download slot) an image waits here to be installed
 * magic and image_ok are where MCUboot puts them for a 16-byte alignment. Reading also accepts
 * what `imgtool sign --pad` writes with its default 8-byte alignment (the classic MCUboot
 * magic, image_ok at slot_end - 24), so imgtool's padded images can request installs.
 */
#ifndef BL_TRAILER_H
#define BL_TRAILER_H

#include <stdbool.h>
#include <stdint.h>

#define BL_TRAILER_SIZE 64u
#define BL_TRAILER_SET  0x01u

enum bl_trailer_field {
    BL_TRAILER_BOOTED = 0,
    BL_TRAILER_TRIAL = 16,
    BL_TRAILER_IMAGE_OK = 32,
    BL_TRAILER_MAGIC = 48,
};

extern const uint8_t bl_trailer_magic[16];

struct bl_trailer {
    bool booted;
    bool trial;
    bool image_ok;
    bool magic;
    /* bl_trailer_read, with trial: the install group its field names (a set of at least two
     * kinds), else 0 (installed alone, or a torn or foreign tag); 0 from bl_trailer_decode. */
    uint8_t group;
};

/* The trailer bytes of a padded image (magic and/or image_ok set, the rest erased). */
void bl_trailer_encode(uint8_t out[BL_TRAILER_SIZE], bool magic, bool image_ok);
void bl_trailer_decode(const uint8_t raw[BL_TRAILER_SIZE], struct bl_trailer *t);
/* Reads the trailer of the slot [slot_off, slot_off + slot_size). BL_OK or BL_E_IO. */
int bl_trailer_read(uint32_t slot_off, uint32_t slot_size, struct bl_trailer *t);
/* Sets one field (programs its unit); BL_OK if it was set already. */
int bl_trailer_set(uint32_t slot_off, uint32_t slot_size, enum bl_trailer_field field);

/* The trial field bound to the image it replaces (its measurement's first bytes). */
#define BL_TRAILER_PREV_LEN 15u
/* Sets `trial` with that binding and the install group (0, or a bit per kind of the group,
 * this one's included); BL_OK if the unit was programmed already. */
int bl_trailer_set_trial(uint32_t slot_off, uint32_t slot_size,
                         const uint8_t prev[BL_TRAILER_PREV_LEN], uint32_t group);
/* Is `measurement` the image the trial of this (active) slot replaced? False for a trial field
 * that binds no image or another one, and on a read error. */
bool bl_trailer_trial_replaced(uint32_t slot_off, uint32_t slot_size,
                               const uint8_t measurement[32]);

/* The update service's marks (docs/design/fwu.md). In a download slot, the units of booted and
 * trial (which mean something in an active slot only) hold the SM's marks, written by its core:
 * {'F', 'W', mark, ~mark, u32 value (little endian), 0xFF...}, the newest valid one counting.
 * The boot stage reads one kind: BL_TRAILER_MARK_GROUP, whose value has a bit per image kind
 * installed together with this one (the download is installed only with all of them). */
#define BL_TRAILER_MARK_GROUP   3u
/* The mark the boot stage writes when it completes a group's confirmation (bl_boot.c): the
 * update service's UPDATED, the download slot then holding the image the trial replaced. */
#define BL_TRAILER_MARK_UPDATED 7u
/* Is `unit` a well-formed mark? Then its mark and value. */
bool bl_trailer_mark_decode(const uint8_t unit[16], uint32_t *mark, uint32_t *value);
/* The install group a download slot's second mark names (0 if none, or unreadable): the
 * update service writes it after the CANDIDATE mark. */
uint32_t bl_trailer_group(uint32_t slot_off, uint32_t slot_size);
/* Writes a mark {'F', 'W', mark, ~mark, value} into a download slot's first erased mark unit:
 * BL_OK (*full set, nothing written, when both are used) or BL_E_IO. */
int bl_trailer_mark_add(uint32_t slot_off, uint32_t slot_size, uint32_t mark, uint32_t value,
                        bool *full);
/* Makes `mark` (value 0) a download slot's newest mark: written into the first erased mark
 * unit, unless the newest valid mark is that one already (or no unit is left). */
int bl_trailer_mark_once(uint32_t slot_off, uint32_t slot_size, uint32_t mark);

#endif /* BL_TRAILER_H */
