/*
 * bl_record.h: the 16-byte authenticated record shared by the install journals and the
 * security counters: one flash program unit, written once between erases.
 *
 *   [0] type  [1] index  [2..3] u16 aux  [4..7] u32 value  [8..15] tag
 *
 * The tag is HMAC-SHA256, truncated to 8 bytes, over bytes 0..7 under a key derived from the
 * device's HUK for the record's region (bl_record_key): flash contents are hostile, so a
 * record forged, altered, torn or copied from another region or device does not verify and is
 * ignored (docs/design/secure-boot.md, "Authenticated records").
 *
 * Contract:
 * - bl_record_key derives the region's key from the HUK in the OTP area; the caller zeroizes
 *   it after use.
 * - bl_record_scan reads every unit of a sector, not only a programmed prefix (a record after
 *   an erased unit is still seen), calls `visit` for each authentic record, and counts the
 *   erased units. With `want` given, a unit's tag is only checked, and `visit` only called,
 *   if `want` says yes to the record as read (not yet authenticated): a reader that needs a few
 *   kinds of record does not pay an HMAC for every other one (an install journal holds
 *   hundreds; docs/design/boot-speed.md). `want` may only narrow: what it lets through is still
 *   authenticated before `visit` sees it, so a forged unit can make the scan skip nothing but
 *   itself. NULL: every record. `visit` may be NULL where `want` asks for none (counting the
 *   room left). A parser of its input: no state is kept between calls.
 * - bl_record_append programs the record into the first erased unit of the sector; units
 *   already programmed (torn, forged, or valid) are never programmed again. Readers never
 *   depend on the order of records. BL_E_JOURNAL when no unit is erased.
 */
#ifndef BL_RECORD_H
#define BL_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "flash_map.h"

struct bl_record {
    uint8_t type;
    uint8_t index;
    uint16_t aux;
    uint32_t value;
};

#define BL_RECORD_KEY_LEN     32u
#define BL_RECORD_TAG_LEN     8u
#define BL_RECORDS_PER_SECTOR (FLASH_SECTOR_SIZE / 16u)

/* Key of the records in the region starting at region_off (a log of one or more sectors). */
int bl_record_key(uint32_t region_off, uint8_t key[BL_RECORD_KEY_LEN]);

typedef void (*bl_record_visit)(void *ctx, const struct bl_record *r);
typedef bool (*bl_record_want)(void *ctx, const struct bl_record *r);
/* Visits every authentic record of the sector that `want` (NULL: all) asks for; *erased:
 * units never programmed since erase. */
int bl_record_scan(uint32_t sector_off, const uint8_t key[BL_RECORD_KEY_LEN], bl_record_want want,
                   bl_record_visit visit, void *ctx, uint32_t *erased);
int bl_record_append(uint32_t sector_off, const uint8_t key[BL_RECORD_KEY_LEN],
                     const struct bl_record *r);

#endif /* BL_RECORD_H */
