/*
 * flash_backend.h: what a platform supplies so that flash_emu.c can enforce the flash rules.
 *
 * Contract: flash_emu.c has already checked range and alignment before any of these is called;
 * a backend only stores. Offsets are unit or sector aligned as named. Each returns a
 * plat_flash_status. A backend with power-cut injection returns PLAT_FLASH_E_POWER once cut.
 */
#ifndef FLASH_BACKEND_H
#define FLASH_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

int flash_backend_ready(void);
int flash_backend_read(uint32_t offset, void *dst, uint32_t len);
int flash_backend_unit_programmed(uint32_t unit_offset, bool *programmed);
int flash_backend_program_unit(uint32_t unit_offset, const uint8_t *src);
int flash_backend_erase_sector(uint32_t sector_offset);

#endif /* FLASH_BACKEND_H */
