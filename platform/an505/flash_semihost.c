/*
 * flash_semihost.c: the flash backend of the emulated board.
 *
 * The flash contents live in the host file "flash.img" (in QEMU's working directory, the
 * device directory). At power-on QEMU loads that file into the code SSRAM (the runner passes
 * -device loader), so code executes in place and reads are plain memory reads. Programs and
 * erases update both that memory and the file, so they survive a power cycle. The per-unit
 * "programmed since erase" bits live in "flash.prog" (one bit per 16-byte unit, 1 =
 * programmed), the state a real ECC flash keeps in its cells.
 */
#include <string.h>

#include "flash_backend.h"
#include "plat_flash.h"
#include "semihosting.h"

#define FLASH_UNITS      (FLASH_SIZE / FLASH_PROGRAM_UNIT)
#define UNITS_PER_SECTOR (FLASH_SECTOR_SIZE / FLASH_PROGRAM_UNIT)

static int flash_file = -1;
static int prog_file = -1;

static uint8_t *mirror(uint32_t offset)
{
    return (uint8_t *)(uintptr_t)(FLASH_BASE_S + offset);
}

int plat_flash_init(void)
{
    if (flash_file >= 0) {
        return PLAT_FLASH_OK;
    }
    int data = sh_open("flash.img", SH_MODE_RPLUSB);
    int prog = sh_open("flash.prog", SH_MODE_RPLUSB);
    if (data < 0 || prog < 0 || sh_flen(data) != FLASH_SIZE || sh_flen(prog) != FLASH_UNITS / 8) {
        if (data >= 0) {
            sh_close(data);
        }
        if (prog >= 0) {
            sh_close(prog);
        }
        return PLAT_FLASH_E_IO;
    }
    flash_file = data;
    prog_file = prog;
    return PLAT_FLASH_OK;
}

int flash_backend_ready(void)
{
    return flash_file >= 0 ? PLAT_FLASH_OK : PLAT_FLASH_E_NOT_READY;
}

int flash_backend_read(uint32_t offset, void *dst, uint32_t len)
{
    memcpy(dst, mirror(offset), len);
    return PLAT_FLASH_OK;
}

static int prog_byte_read(uint32_t unit, uint8_t *byte)
{
    if (sh_seek(prog_file, unit / 8) != 0 || sh_read(prog_file, byte, 1) != 0) {
        return PLAT_FLASH_E_IO;
    }
    return PLAT_FLASH_OK;
}

int flash_backend_unit_programmed(uint32_t unit_offset, bool *programmed)
{
    uint32_t unit = unit_offset / FLASH_PROGRAM_UNIT;
    uint8_t byte;
    int rc = prog_byte_read(unit, &byte);
    *programmed = (byte >> (unit % 8)) & 1u;
    return rc;
}

int flash_backend_program_unit(uint32_t unit_offset, const uint8_t *src)
{
    uint32_t unit = unit_offset / FLASH_PROGRAM_UNIT;
    uint8_t byte;
    /* Programming only clears bits, as in a real cell (the unit is erased: this is a copy). */
    for (uint32_t i = 0; i < FLASH_PROGRAM_UNIT; i++) {
        mirror(unit_offset)[i] &= src[i];
    }
    if (sh_seek(flash_file, unit_offset) != 0 ||
        sh_write(flash_file, mirror(unit_offset), FLASH_PROGRAM_UNIT) != 0 ||
        prog_byte_read(unit, &byte) != PLAT_FLASH_OK) {
        return PLAT_FLASH_E_IO;
    }
    byte |= (uint8_t)(1u << (unit % 8));
    if (sh_seek(prog_file, unit / 8) != 0 || sh_write(prog_file, &byte, 1) != 0) {
        return PLAT_FLASH_E_IO;
    }
    return PLAT_FLASH_OK;
}

int flash_backend_erase_sector(uint32_t sector_offset)
{
    static const uint8_t cleared[UNITS_PER_SECTOR / 8];
    memset(mirror(sector_offset), FLASH_ERASED_VALUE, FLASH_SECTOR_SIZE);
    if (sh_seek(flash_file, sector_offset) != 0 ||
        sh_write(flash_file, mirror(sector_offset), FLASH_SECTOR_SIZE) != 0 ||
        sh_seek(prog_file, sector_offset / FLASH_PROGRAM_UNIT / 8) != 0 ||
        sh_write(prog_file, cleared, sizeof(cleared)) != 0) {
        return PLAT_FLASH_E_IO;
    }
    return PLAT_FLASH_OK;
}
