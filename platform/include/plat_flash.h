/*
 * plat_flash.h: the flash interface every component uses (boot stages, storage, tools).
 *
 * Contract (STM32H5 rules, the same on every platform):
 * - Offsets are from the start of the flash, 0 .. FLASH_SIZE (flash_map.h).
 * - Erase works on whole FLASH_SECTOR_SIZE sectors and leaves them FLASH_ERASED_VALUE.
 * - Program works on whole FLASH_PROGRAM_UNIT units; a unit may be programmed once between
 *   erases, even with the erased value. Writing 0xFF "for free" is a program, as on ECC flash.
 * - A refused call (range, alignment, unit already programmed) changes nothing: every unit is
 *   checked before the first one is written.
 * - A power cut (host power-cut injection) interrupts an operation between or inside units;
 *   after it, every call fails with PLAT_FLASH_E_POWER until the platform powers up again.
 */
#ifndef PLAT_FLASH_H
#define PLAT_FLASH_H

#include <stddef.h>
#include <stdint.h>

#include "flash_map.h"

enum plat_flash_status {
    PLAT_FLASH_OK = 0,
    PLAT_FLASH_E_RANGE = -1,      /* outside the flash, or offset + length overflows */
    PLAT_FLASH_E_ALIGN = -2,      /* not whole program units / whole sectors */
    PLAT_FLASH_E_PROGRAMMED = -3, /* a unit was already programmed since its last erase */
    PLAT_FLASH_E_IO = -4,         /* the backing store failed */
    PLAT_FLASH_E_POWER = -5,      /* power was cut during or before this call */
    PLAT_FLASH_E_NOT_READY = -6,  /* plat_flash_init() was not called or failed */
};

/* Platform specific: opens the backing store. Returns a plat_flash_status. */
int plat_flash_init(void);

int plat_flash_read(uint32_t offset, void *dst, size_t len);
int plat_flash_program(uint32_t offset, const void *src, size_t len);
int plat_flash_erase(uint32_t offset, size_t len);

/* Whether the unit holding `offset` was programmed since its last erase (1), not (0), or a
 * negative plat_flash_status. Lets storage code tell "erased" from "written with 0xFF". */
int plat_flash_is_programmed(uint32_t offset);

/* Whether no unit of [offset, offset + len) was programmed since its last erase: 1 (blank), 0,
 * or a negative plat_flash_status (whole units only, inside the flash). Storage code mounts
 * with it. */
int plat_flash_is_blank(uint32_t offset, size_t len);

/* A short English description of a plat_flash_status. */
const char *plat_flash_strerror(int status);

#endif /* PLAT_FLASH_H */
