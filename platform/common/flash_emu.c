/*
 * flash_emu.c: the STM32H5 flash rules, shared by every platform (see plat_flash.h).
 *
 * The rules live here once so that the board and the host simulator refuse exactly the same
 * operations; the backends (an505: memory mirror the runner saves, host: file or RAM with
 * power-cut injection) only store bytes and the per-unit "programmed" bit.
 */
#include "plat_flash.h"

#include <stdbool.h>

#include "flash_backend.h"

/* Range check that cannot overflow: offset + len <= FLASH_SIZE. */
static bool in_flash(uint32_t offset, size_t len)
{
    return offset <= FLASH_SIZE && len <= (size_t)(FLASH_SIZE - offset);
}

int plat_flash_read(uint32_t offset, void *dst, size_t len)
{
    int rc = flash_backend_ready();
    if (rc != PLAT_FLASH_OK) {
        return rc;
    }
    if (!in_flash(offset, len) || (len != 0 && dst == NULL)) {
        return PLAT_FLASH_E_RANGE;
    }
    return len == 0 ? PLAT_FLASH_OK : flash_backend_read(offset, dst, (uint32_t)len);
}

int plat_flash_program(uint32_t offset, const void *src, size_t len)
{
    int rc = flash_backend_ready();
    if (rc != PLAT_FLASH_OK) {
        return rc;
    }
    if (!in_flash(offset, len) || (len != 0 && src == NULL)) {
        return PLAT_FLASH_E_RANGE;
    }
    if (offset % FLASH_PROGRAM_UNIT != 0 || len % FLASH_PROGRAM_UNIT != 0) {
        return PLAT_FLASH_E_ALIGN;
    }
    /* Check every unit first so that a refused call writes nothing. */
    for (uint32_t u = 0; u < len; u += FLASH_PROGRAM_UNIT) {
        bool programmed;
        rc = flash_backend_unit_programmed(offset + u, &programmed);
        if (rc != PLAT_FLASH_OK) {
            return rc;
        }
        if (programmed) {
            return PLAT_FLASH_E_PROGRAMMED;
        }
    }
    const uint8_t *bytes = src;
    for (uint32_t u = 0; u < len; u += FLASH_PROGRAM_UNIT) {
        rc = flash_backend_program_unit(offset + u, bytes + u);
        if (rc != PLAT_FLASH_OK) {
            return rc;
        }
    }
    return PLAT_FLASH_OK;
}

int plat_flash_erase(uint32_t offset, size_t len)
{
    int rc = flash_backend_ready();
    if (rc != PLAT_FLASH_OK) {
        return rc;
    }
    if (!in_flash(offset, len)) {
        return PLAT_FLASH_E_RANGE;
    }
    if (offset % FLASH_SECTOR_SIZE != 0 || len % FLASH_SECTOR_SIZE != 0) {
        return PLAT_FLASH_E_ALIGN;
    }
    for (uint32_t s = 0; s < len; s += FLASH_SECTOR_SIZE) {
        rc = flash_backend_erase_sector(offset + s);
        if (rc != PLAT_FLASH_OK) {
            return rc;
        }
    }
    return PLAT_FLASH_OK;
}

int plat_flash_is_programmed(uint32_t offset)
{
    int rc = flash_backend_ready();
    if (rc != PLAT_FLASH_OK) {
        return rc;
    }
    if (offset >= FLASH_SIZE) {
        return PLAT_FLASH_E_RANGE;
    }
    bool programmed;
    rc = flash_backend_unit_programmed(offset - offset % FLASH_PROGRAM_UNIT, &programmed);
    if (rc != PLAT_FLASH_OK) {
        return rc;
    }
    return programmed ? 1 : 0;
}

int plat_flash_is_blank(uint32_t offset, size_t len)
{
    if (offset % FLASH_PROGRAM_UNIT != 0u || len % FLASH_PROGRAM_UNIT != 0u) {
        return PLAT_FLASH_E_ALIGN;
    }
    if (offset > FLASH_SIZE || len > FLASH_SIZE - offset) {
        return PLAT_FLASH_E_RANGE;
    }
    for (size_t u = 0; u < len; u += FLASH_PROGRAM_UNIT) {
        int rc = plat_flash_is_programmed(offset + (uint32_t)u);
        if (rc != 0) {
            return rc < 0 ? rc : 0;
        }
    }
    return 1;
}

const char *plat_flash_strerror(int status)
{
    switch (status) {
    case PLAT_FLASH_OK:
        return "ok";
    case PLAT_FLASH_E_RANGE:
        return "outside the flash";
    case PLAT_FLASH_E_ALIGN:
        return "not aligned to program units or sectors";
    case PLAT_FLASH_E_PROGRAMMED:
        return "unit already programmed since last erase";
    case PLAT_FLASH_E_IO:
        return "flash backing store failed";
    case PLAT_FLASH_E_POWER:
        return "power cut";
    case PLAT_FLASH_E_NOT_READY:
        return "flash not initialised";
    default:
        return "unknown flash error";
    }
}
