/*
 * bl_stage.h: what the two boot stages share around the core: stopping safely, and booting
 * one image kind with its log lines.
 */
#ifndef BL_STAGE_H
#define BL_STAGE_H

#include "bl_boot.h"

/* Status a boot stage powers off with on the emulated board when nothing can be booted. */
#define BL_STAGE_HALT_STATUS 2

/* Prints why and stops in a safe state (on the emulated board: powers off). */
__attribute__((noreturn)) void bl_stage_halt(const char *stage, const char *why);
/* Flash, OTP and journal checks every stage starts with; halts on failure. A device being
 * decommissioned (bl_lifecycle_end's mark) has the erase finished first. Built with
 * BL_STAGE_HANDOVER (the iRoT), a device in ASSEMBLY_AND_TEST or PSA_ROT_PROVISIONING, or a
 * chip with no device record, enters the provisioning stage at FLASH_PROV_OFFSET right after
 * the OTP check, when that stage is there (bl_stage.c); this call then does not return. */
void bl_stage_start(const char *stage, const struct bl_journal *j);

#endif /* BL_STAGE_H */
