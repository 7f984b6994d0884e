/*
 * bl_slots.h: where each image kind lives (active and download slots), from flash_map.h.
 */
#ifndef BL_SLOTS_H
#define BL_SLOTS_H

#include <stdint.h>

#include "bl_otp.h"

struct bl_slot_pair {
    enum bl_kind kind;
    uint32_t primary;   /* active slot (the image runs from here) */
    uint32_t secondary; /* download slot */
    uint32_t size;      /* of each slot */
};

/* The slots of a kind; NULL for a kind that does not exist. */
const struct bl_slot_pair *bl_slots(enum bl_kind kind);
const char *bl_kind_name(enum bl_kind kind);
/* The order the boot stages take the kinds in (the iRoT the uRoT; the uRoT the SM, the modules,
 * then NS), 0 first; BL_KIND_COUNT for a kind that does not exist. The members of an install
 * group go in, and are confirmed, in this order (bl_boot.c, docs/design/fwu.md). */
unsigned bl_kind_rank(enum bl_kind kind);

#endif /* BL_SLOTS_H */
