/*
 * regions.c: names for the regions of flash_map.h, as the command line spells them.
 */
#include <stdio.h>
#include <string.h>

#include "flash_map.h"
#include "smtool.h"

#define MODULE_SLOT(i, dl) (FLASH_MODULES_OFFSET + (2 * (i) + (dl)) * FLASH_MODULE_SLOT_SIZE)

static const struct smtool_region regions[] = {
    {"irot", FLASH_IROT_OFFSET, FLASH_IROT_SIZE, "immutable root of trust (reset vector)"},
    {"otp", FLASH_OTP_OFFSET, FLASH_OTP_SIZE, "provisioning area"},
    {"counters", FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE, "security counters"},
    {"urot", FLASH_UROT_PRIMARY_OFFSET, FLASH_UROT_SLOT_SIZE, "uRoT active slot"},
    {"urot-dl", FLASH_UROT_SECONDARY_OFFSET, FLASH_UROT_SLOT_SIZE, "uRoT download slot"},
    {"sm", FLASH_SM_PRIMARY_OFFSET, FLASH_SM_SLOT_SIZE, "SM active slot"},
    {"sm-dl", FLASH_SM_SECONDARY_OFFSET, FLASH_SM_SLOT_SIZE, "SM download slot"},
    {"mod0", MODULE_SLOT(0, 0), FLASH_MODULE_SLOT_SIZE, "module 0 active slot"},
    {"mod0-dl", MODULE_SLOT(0, 1), FLASH_MODULE_SLOT_SIZE, "module 0 download slot"},
    {"mod1", MODULE_SLOT(1, 0), FLASH_MODULE_SLOT_SIZE, "module 1 active slot"},
    {"mod1-dl", MODULE_SLOT(1, 1), FLASH_MODULE_SLOT_SIZE, "module 1 download slot"},
    {"mod2", MODULE_SLOT(2, 0), FLASH_MODULE_SLOT_SIZE, "module 2 active slot"},
    {"mod2-dl", MODULE_SLOT(2, 1), FLASH_MODULE_SLOT_SIZE, "module 2 download slot"},
    {"mod3", MODULE_SLOT(3, 0), FLASH_MODULE_SLOT_SIZE, "module 3 active slot"},
    {"mod3-dl", MODULE_SLOT(3, 1), FLASH_MODULE_SLOT_SIZE, "module 3 download slot"},
    {"ns", FLASH_NS_PRIMARY_OFFSET, FLASH_NS_SLOT_SIZE, "non-secure application active slot"},
    {"ns-dl", FLASH_NS_SECONDARY_OFFSET, FLASH_NS_SLOT_SIZE, "non-secure download slot"},
    {"its", FLASH_ITS_OFFSET, FLASH_ITS_SIZE_MAX, "internal trusted storage"},
};

_Static_assert(FLASH_MODULE_SLOTS_MAX == 4, "regions[] names four module slots");

const struct smtool_region *smtool_region_find(const char *name)
{
    for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
        if (strcmp(regions[i].name, name) == 0) {
            return &regions[i];
        }
    }
    return NULL;
}

void smtool_region_list(void)
{
    for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
        printf("  %-9s 0x%06x  %4u KiB  %s\n", regions[i].name, (unsigned)regions[i].offset,
               (unsigned)(regions[i].size / 1024), regions[i].what);
    }
}
