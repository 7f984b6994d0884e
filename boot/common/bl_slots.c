/*
 * bl_slots.c: see bl_slots.h.
 */
#include "bl_slots.h"

#include <stddef.h>

#include "flash_map.h"

#define MODULE(i)                                                                                  \
    {                                                                                              \
        BL_KIND_MODULE0 + (i), FLASH_MODULES_OFFSET + 2u * (i)*FLASH_MODULE_SLOT_SIZE,             \
            FLASH_MODULES_OFFSET + (2u * (i) + 1u) * FLASH_MODULE_SLOT_SIZE,                       \
            FLASH_MODULE_SLOT_SIZE                                                                 \
    }

static const struct bl_slot_pair slots[BL_KIND_COUNT] = {
    {BL_KIND_UROT, FLASH_UROT_PRIMARY_OFFSET, FLASH_UROT_SECONDARY_OFFSET, FLASH_UROT_SLOT_SIZE},
    {BL_KIND_SM, FLASH_SM_PRIMARY_OFFSET, FLASH_SM_SECONDARY_OFFSET, FLASH_SM_SLOT_SIZE},
    {BL_KIND_NS, FLASH_NS_PRIMARY_OFFSET, FLASH_NS_SECONDARY_OFFSET, FLASH_NS_SLOT_SIZE},
    MODULE(0),
    MODULE(1),
    MODULE(2),
    MODULE(3),
};

_Static_assert(FLASH_MODULE_SLOTS_MAX == 4, "slots[] lists four modules");

const struct bl_slot_pair *bl_slots(enum bl_kind kind)
{
    return (unsigned)kind < BL_KIND_COUNT ? &slots[kind] : NULL;
}

const char *bl_kind_name(enum bl_kind kind)
{
    static const char *const names[BL_KIND_COUNT] = {"uRoT",     "SM",       "NS",      "module 0",
                                                     "module 1", "module 2", "module 3"};
    return (unsigned)kind < BL_KIND_COUNT ? names[kind] : "unknown";
}

unsigned bl_kind_rank(enum bl_kind kind)
{
    static const unsigned char ranks[BL_KIND_COUNT] = {0, 1, 6, 2, 3, 4, 5};
    return (unsigned)kind < BL_KIND_COUNT ? ranks[kind] : BL_KIND_COUNT;
}
