/*
 * plat_boot.h: handing over from one secure stage to the next.
 *
 * Contract: plat_boot_jump() starts the image whose vector table is at `vector_table`
 * (a secure address): interrupts off, VTOR set, stack limit cleared, MSP from the table, then
 * a branch to its reset handler. It never returns.
 */
#ifndef PLAT_BOOT_H
#define PLAT_BOOT_H

#include <stdint.h>

__attribute__((noreturn)) void plat_boot_jump(uint32_t vector_table);

/* The address of a flash offset as secure code sees it. */
uint32_t plat_flash_address(uint32_t offset);

#endif /* PLAT_BOOT_H */
