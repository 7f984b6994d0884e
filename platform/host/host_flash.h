/*
 * host_flash.h: the host platform's flash (plat_flash.h) with power-cut injection.
 *
 * Backing: a device directory holding flash.img (FLASH_SIZE bytes) and flash.prog (one bit per
 * 16-byte unit, 1 = programmed since erase): the very files the emulated board runs on. Or
 * RAM only, for fast tests. Every write goes through to the files immediately, so what a
 * process leaves behind is what a power cut would leave.
 *
 * Power cuts: every unit program and every sector erase is one flash operation. With
 * host_flash_cut_after(n, torn), operations 1..n complete and operation n+1 is interrupted:
 * it has no effect, or with `torn` it is left half done (a program leaves the unit marked
 * programmed with only some of its bits cleared; an erase leaves the sector partly erased,
 * with one unit of noise at the boundary). The flash is then unpowered: every call fails with
 * PLAT_FLASH_E_POWER until host_flash_power_on(). The optional cut handler runs at the cut,
 * e.g. to longjmp out of the code under test as a real power loss would stop it.
 */
#ifndef HOST_FLASH_H
#define HOST_FLASH_H

#include <stdbool.h>
#include <stdint.h>

/* Opens (and with `create`, creates erased) a device directory's flash. plat_flash_status. */
int host_flash_open_dir(const char *dir, bool create);
/* An erased flash in RAM. */
int host_flash_open_ram(void);
void host_flash_close(void);

void host_flash_cut_after(long ops, bool torn); /* ops < 0: never cut */
long host_flash_ops(void);                      /* operations since power-on */
bool host_flash_powered(void);
void host_flash_power_on(void); /* restores power; operation count restarts from 0 */
void host_flash_on_cut(void (*handler)(void *ctx), void *ctx);
/* Completed erases of the sector holding `offset` since the flash was opened (wear tests). */
uint32_t host_flash_erase_count(uint32_t offset);

/* Test helpers: copy a range's contents and programmed state out, and put them back as they
 * were (bypassing the rules: this is a snapshot, not a write). Sizes are whole units. */
int host_flash_save(uint32_t offset, uint32_t len, uint8_t *data, uint8_t *prog_bits);
int host_flash_restore(uint32_t offset, uint32_t len, const uint8_t *data,
                       const uint8_t *prog_bits);

#endif /* HOST_FLASH_H */
