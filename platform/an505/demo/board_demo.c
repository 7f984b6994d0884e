/*
 * board_demo.c: board bring-up demo, the image `make run` boots until the boot chain exists.
 *
 * Shows the three things the rest of the product stands on: console output, flash that
 * survives a power cycle, and a reset request turned into a power cycle by the runner. It keeps
 * a boot log in the first free flash sector: one 16-byte record per boot, programmed once.
 * Boots 1 and 2 append a record and request a reset; boot 3 reads back every record written
 * before the resets, erases the log and powers off with status 0.
 */
#include <string.h>

#include "plat_console.h"
#include "plat_flash.h"
#include "plat_system.h"

#define LOG_OFFSET FLASH_FREE_OFFSET
#define LOG_MAGIC  0x474F4C42u /* "BLOG" */
#define DEMO_BOOTS 3

struct boot_record {
    uint32_t magic;
    uint32_t boot;
    uint32_t boot_inverted; /* detects a torn record */
    uint32_t ticks_low;
};

_Static_assert(sizeof(struct boot_record) == FLASH_PROGRAM_UNIT, "one record per unit");

/* Number of valid records at the start of the log; -1 if the log is corrupt. */
static int count_records(void)
{
    for (uint32_t i = 0; i < FLASH_SECTOR_SIZE / sizeof(struct boot_record); i++) {
        uint32_t off = LOG_OFFSET + i * (uint32_t)sizeof(struct boot_record);
        if (plat_flash_is_programmed(off) == 0) {
            return (int)i;
        }
        struct boot_record r;
        if (plat_flash_read(off, &r, sizeof(r)) != PLAT_FLASH_OK || r.magic != LOG_MAGIC ||
            r.boot != i + 1 || r.boot_inverted != ~r.boot) {
            return -1;
        }
    }
    return -1;
}

int main(void)
{
    plat_console_init();
    plat_timer_init();
    plat_puts("\nSecure Manager board demo (MPS2 AN505)\n");
    int rc = plat_flash_init();
    if (rc != PLAT_FLASH_OK) {
        plat_printf("demo: flash unavailable: %s\n", plat_flash_strerror(rc));
        return 1;
    }
    int n = count_records();
    if (n < 0) {
        plat_puts("demo: boot log corrupt, erasing it\n");
        plat_flash_erase(LOG_OFFSET, FLASH_SECTOR_SIZE);
        n = 0;
    }
    uint32_t boot = (uint32_t)n + 1;
    plat_printf("demo: boot %u, %d record(s) found in flash from earlier boots\n", (unsigned)boot,
                n);
    if (boot < DEMO_BOOTS) {
        struct boot_record r = {LOG_MAGIC, boot, ~boot, (uint32_t)plat_timer_ticks()};
        rc = plat_flash_program(LOG_OFFSET + (boot - 1) * (uint32_t)sizeof(r), &r, sizeof(r));
        if (rc != PLAT_FLASH_OK) {
            plat_printf("demo: cannot write boot record: %s\n", plat_flash_strerror(rc));
            return 1;
        }
        plat_printf("demo: wrote boot record %u, requesting a reset (power cycle)\n",
                    (unsigned)boot);
        plat_reset();
    }
    plat_printf("demo: read back %d boot records written before the resets: OK\n", n);
    plat_flash_erase(LOG_OFFSET, FLASH_SECTOR_SIZE);
    plat_puts("demo: done, powering off\n");
    return 0;
}
