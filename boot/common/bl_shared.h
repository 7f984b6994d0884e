/*
 * bl_shared.h: the boot records the boot stages hand to the SM (for attestation), in a fixed
 * RAM area no image uses (RAM_BOOT_SHARED_BASE on the AN505).
 *
 * Contract: the iRoT calls bl_shared_reset() then adds the uRoT's record; the uRoT adds one per
 * image it boots; the SM reads them. A record holds what the stage verified, never what an
 * image claims about itself.
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
/* Adds this stage's verification time (bl_verify_stats) to the totals. */
void bl_shared_add_stats(struct bl_shared_data *d);

#endif /* BL_SHARED_H */
