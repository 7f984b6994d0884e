/*
 * bl_stage.c: see bl_stage.h.
 */
#include "bl_stage.h"

#include "bl_lifecycle.h"
#include "bl_status.h"
#include "plat_console.h"
#include "plat_flash.h"
#include "plat_system.h"

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
    if (rc != BL_OK) {
        bl_stage_halt(stage, bl_strerror(rc));
    }
    rc = bl_boot_resume(j);
    if (rc != BL_OK) {
        bl_stage_halt(stage, bl_strerror(rc));
    }
}
