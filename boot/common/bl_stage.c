/*
 * bl_stage.c: see bl_stage.h.
 */
#include "bl_stage.h"

#include <stddef.h>

#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "plat_console.h"
#include "plat_flash.h"
#include "plat_system.h"

#ifdef BL_STAGE_HANDOVER
#include "flash_map.h"
#include "plat_boot.h"

/* The iRoT's hand-over (docs/design/lifecycle.md, "The provisioning stage"): in
 * ASSEMBLY_AND_TEST and PSA_ROT_PROVISIONING, before anything is verified, the provisioning
 * stage runs instead of the boot. `otp` is bl_otp_check's answer: a chip with no device record
 * (no place has its record's head, so the place in use is the last, and its first word is
 * erased: a place is left; bl_otp_place) is in ASSEMBLY_AND_TEST; a device with one is in the state
 * its record and its lifecycle counter give. Anything else returns, and the boot goes on to fail
 * closed as before (E18; the uRoT's E24 in a manufacturing state). The stage is entered only if its
 * reset vector lies in its own region: a chip made without it (erased) stops as before. Not
 * hashed: it is as immutable as the iRoT, written with it, and a hash the iRoT knew would
 * make each image's build wait for the other's (the stage links the iRoT's crypto table). */
static void enter_provisioning(int otp)
{
    uint32_t state = BL_LIFECYCLE_ASSEMBLY_AND_TEST, v;
    if (otp == BL_OK) {
        if (bl_otp_read_field(offsetof(struct bl_otp, lifecycle), &v, sizeof(v)) != BL_OK ||
            bl_lifecycle_from(v, &state) != BL_OK) {
            return;
        }
    } else if (otp != BL_E_CONFIG || bl_otp_read_field(0, &v, sizeof(v)) != BL_OK ||
               v != 0xFFFFFFFFu) {
        return;
    }
    const uint32_t base = plat_flash_address(FLASH_PROV_OFFSET);
    if ((state == BL_LIFECYCLE_ASSEMBLY_AND_TEST || state == BL_LIFECYCLE_PSA_ROT_PROVISIONING) &&
        ((const volatile uint32_t *)(uintptr_t)base)[1] - base < FLASH_PROV_SIZE) {
        plat_boot_jump(base);
    }
}
#endif

void bl_stage_halt(const char *stage, const char *why)
{
    plat_printf("%s: stopped: %s\n", stage, why);
    plat_power_off(BL_STAGE_HALT_STATUS);
}

void bl_stage_start(const char *stage, const struct bl_journal *j)
{
    int rc = plat_flash_init();
    if (rc != PLAT_FLASH_OK) {
#ifdef BL_STATUS_CODES
        bl_stage_halt(stage, bl_strerror(BL_E_IO)); /* without the flash driver's texts */
#else
        bl_stage_halt(stage, plat_flash_strerror(rc));
#endif
    }
    rc = bl_otp_check();
#ifndef BL_STAGE_SECOND
    /* A decommissioning under way (its mark): finished here, by the first stage, before
     * anything else; the uRoT only ever marks it and resets (bl_lifecycle_boot). */
    if (rc == BL_E_DECOMMISSIONED && (rc = bl_lifecycle_end()) == BL_OK) {
        rc = BL_E_DECOMMISSIONED;
    }
#endif
#ifdef BL_STAGE_HANDOVER
    enter_provisioning(rc);
#endif
    if (rc != BL_OK) {
        bl_stage_halt(stage, bl_strerror(rc));
    }
    rc = bl_boot_resume(j);
    if (rc != BL_OK) {
        bl_stage_halt(stage, bl_strerror(rc));
    }
}
