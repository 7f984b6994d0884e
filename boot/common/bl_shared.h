/*
 * bl_shared.h: the boot records the boot stages hand to the SM (for attestation), in a fixed
 * RAM area no image uses (RAM_BOOT_SHARED_BASE on the AN505).
 *
 * Contract: the iRoT calls bl_shared_reset() then adds the uRoT's record; the uRoT adds one per
 * image it boots; the SM reads them. A record holds what the stage verified, never what an
 * image claims about itself: the SM starts an image at the record's entry, not at an address
 * it works out again from a header in flash (which may have changed since it was verified).
 * bl_shared_find returns the record of a kind only if the area is well formed and the entry
 * lies inside that kind's active slot.
 */
#ifndef BL_SHARED_H
#define BL_SHARED_H

#include <stdint.h>

#include "bl_boot.h"

#define BL_SHARED_MAGIC 0x52534D42u /* "BMSR" */

struct bl_boot_record {
    uint8_t kind;
    uint8_t trial;
    uint16_t reserved;
    uint32_t entry_offset; /* flash offset of the verified payload (its vector table) */
    struct bl_image_version version;
    uint32_t sec_cnt;
    uint8_t measurement[32];
    uint8_t signer[32];
};

struct bl_shared_data {
    uint32_t magic;
    uint32_t boot_count; /* boots since provisioning, this one included */
    uint32_t hash_ticks; /* timer ticks both stages spent hashing images */
    uint32_t sig_ticks;  /* ... and checking signatures */
    uint32_t count;
    struct bl_boot_record records[BL_KIND_COUNT];
};

void bl_shared_reset(struct bl_shared_data *d);
/* BL_E_CONFIG if the area was not set up by an earlier stage or is full. */
int bl_shared_add(struct bl_shared_data *d, const struct bl_boot_image *img);
/* The record of `kind`: BL_E_CONFIG if the area is not set up, holds more records than kinds,
 * has none for `kind`, or its entry is outside the kind's active slot. */
int bl_shared_find(const struct bl_shared_data *d, enum bl_kind kind,
                   const struct bl_boot_record **out);
/* Adds this stage's verification time (bl_verify_stats) to the totals. */
void bl_shared_add_stats(struct bl_shared_data *d);

#endif /* BL_SHARED_H */
