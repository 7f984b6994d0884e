/*
 * flash_rules_test.c: the board flash driver's rules and persistence, on the emulated board.
 *
 * Boot 1 checks range, alignment, erase granularity and program-once refusals, leaves a
 * pattern in a sector and requests a reset. Boot 2 (after the runner's power cycle) checks the
 * pattern and the "programmed" state survived, then cleans up. The boot is told apart by
 * whether the pattern sector is programmed.
 */
#include <string.h>

#include "plat_console.h"
#include "plat_flash.h"
#include "plat_system.h"
#include "qtest.h"

#define SECTOR_A (FLASH_FREE_OFFSET)
#define SECTOR_B (FLASH_FREE_OFFSET + FLASH_SECTOR_SIZE)
#define SECTOR_P (FLASH_FREE_OFFSET + 2 * FLASH_SECTOR_SIZE) /* survives the power cycle */

static uint8_t buf[FLASH_SECTOR_SIZE];

static void fill_pattern(uint8_t *dst, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        dst[i] = (uint8_t)(seed + i * 7u);
    }
}

static int all_erased(uint32_t off, size_t len)
{
    if (plat_flash_read(off, buf, len) != PLAT_FLASH_OK) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != FLASH_ERASED_VALUE) {
            return 0;
        }
    }
    return 1;
}

static void check_range_and_alignment(void)
{
    uint8_t unit[FLASH_PROGRAM_UNIT] = {0};
    QTEST_CHECK(plat_flash_read(FLASH_SIZE, buf, 1) == PLAT_FLASH_E_RANGE);
    QTEST_CHECK(plat_flash_read(FLASH_SIZE - 8, buf, 16) == PLAT_FLASH_E_RANGE);
    QTEST_CHECK(plat_flash_read(0xFFFFFFF0u, buf, 0x20) == PLAT_FLASH_E_RANGE); /* wraps */
    QTEST_CHECK(plat_flash_program(FLASH_SIZE, unit, sizeof(unit)) == PLAT_FLASH_E_RANGE);
    QTEST_CHECK(plat_flash_erase(FLASH_SIZE, FLASH_SECTOR_SIZE) == PLAT_FLASH_E_RANGE);
    QTEST_CHECK(plat_flash_erase(FLASH_SIZE - FLASH_SECTOR_SIZE, 2 * FLASH_SECTOR_SIZE) ==
                PLAT_FLASH_E_RANGE);
    QTEST_CHECK(plat_flash_program(SECTOR_A + 8, unit, sizeof(unit)) == PLAT_FLASH_E_ALIGN);
    QTEST_CHECK(plat_flash_program(SECTOR_A, unit, 8) == PLAT_FLASH_E_ALIGN);
    QTEST_CHECK(plat_flash_erase(SECTOR_A + 4096, FLASH_SECTOR_SIZE) == PLAT_FLASH_E_ALIGN);
    QTEST_CHECK(plat_flash_erase(SECTOR_A, 4096) == PLAT_FLASH_E_ALIGN);
    QTEST_CHECK(plat_flash_is_programmed(SECTOR_A) == 0); /* nothing above wrote */
}

static void check_program_once_and_erase_granularity(void)
{
    uint8_t a[64], b[64];
    fill_pattern(a, sizeof(a), 1);
    fill_pattern(b, sizeof(b), 2);
    QTEST_CHECK(plat_flash_erase(SECTOR_A, 2 * FLASH_SECTOR_SIZE) == PLAT_FLASH_OK);
    QTEST_CHECK(all_erased(SECTOR_A, FLASH_SECTOR_SIZE));

    QTEST_CHECK(plat_flash_program(SECTOR_A, a, sizeof(a)) == PLAT_FLASH_OK);
    QTEST_CHECK(plat_flash_read(SECTOR_A, buf, sizeof(a)) == PLAT_FLASH_OK &&
                memcmp(buf, a, sizeof(a)) == 0);
    /* A second program of the same unit is refused and changes nothing. */
    QTEST_CHECK(plat_flash_program(SECTOR_A + 16, b, 16) == PLAT_FLASH_E_PROGRAMMED);
    QTEST_CHECK(plat_flash_read(SECTOR_A, buf, sizeof(a)) == PLAT_FLASH_OK &&
                memcmp(buf, a, sizeof(a)) == 0);
    /* Writing the erased value counts as programming. */
    uint8_t ff[16];
    memset(ff, 0xFF, sizeof(ff));
    QTEST_CHECK(plat_flash_program(SECTOR_A + 128, ff, 16) == PLAT_FLASH_OK);
    QTEST_CHECK(plat_flash_is_programmed(SECTOR_A + 128) == 1);
    QTEST_CHECK(plat_flash_program(SECTOR_A + 128, ff, 16) == PLAT_FLASH_E_PROGRAMMED);
    /* A range whose last unit is programmed is refused before its first unit is written. */
    QTEST_CHECK(plat_flash_program(SECTOR_A + 96, b, 48) == PLAT_FLASH_E_PROGRAMMED);
    QTEST_CHECK(plat_flash_is_programmed(SECTOR_A + 96) == 0);

    /* Erase is per sector: the neighbour keeps its data. */
    QTEST_CHECK(plat_flash_program(SECTOR_B, b, sizeof(b)) == PLAT_FLASH_OK);
    QTEST_CHECK(plat_flash_erase(SECTOR_A, FLASH_SECTOR_SIZE) == PLAT_FLASH_OK);
    QTEST_CHECK(all_erased(SECTOR_A, FLASH_SECTOR_SIZE));
    QTEST_CHECK(plat_flash_is_programmed(SECTOR_A) == 0);
    QTEST_CHECK(plat_flash_program(SECTOR_A, b, 16) == PLAT_FLASH_OK); /* writable again */
    QTEST_CHECK(plat_flash_read(SECTOR_B, buf, sizeof(b)) == PLAT_FLASH_OK &&
                memcmp(buf, b, sizeof(b)) == 0);
    QTEST_CHECK(plat_flash_erase(SECTOR_A, 2 * FLASH_SECTOR_SIZE) == PLAT_FLASH_OK);
}

int main(void)
{
    plat_console_init();
    int rc = plat_flash_init();
    if (rc != PLAT_FLASH_OK) {
        plat_printf("flash_rules: init failed: %s\n", plat_flash_strerror(rc));
        return 1;
    }
    static uint8_t pattern[FLASH_SECTOR_SIZE];
    fill_pattern(pattern, sizeof(pattern), 0x5A);

    if (plat_flash_is_programmed(SECTOR_P) == 0) {
        plat_puts("flash_rules: boot 1\n");
        check_range_and_alignment();
        check_program_once_and_erase_granularity();
        QTEST_CHECK(plat_flash_erase(SECTOR_P, FLASH_SECTOR_SIZE) == PLAT_FLASH_OK);
        QTEST_CHECK(plat_flash_program(SECTOR_P, pattern, sizeof(pattern)) == PLAT_FLASH_OK);
        /* RAM (and the counts) do not survive the power cycle: report boot 1 now. */
        if (qtest_finish("flash_rules boot 1") != 0) {
            return 1;
        }
        plat_puts("flash_rules: pattern written, requesting reset\n");
        plat_reset();
    }
    plat_puts("flash_rules: boot 2\n");
    QTEST_CHECK(plat_flash_read(SECTOR_P, buf, sizeof(buf)) == PLAT_FLASH_OK &&
                memcmp(buf, pattern, sizeof(pattern)) == 0);
    /* Memory-mapped reads see the same bytes (code executes from this mirror). */
    QTEST_CHECK(memcmp((const void *)(FLASH_BASE_S + SECTOR_P), pattern, sizeof(pattern)) == 0);
    /* The program-once state survived the power cycle too. */
    QTEST_CHECK(plat_flash_program(SECTOR_P + 256, pattern, 16) == PLAT_FLASH_E_PROGRAMMED);
    QTEST_CHECK(plat_flash_erase(SECTOR_P, FLASH_SECTOR_SIZE) == PLAT_FLASH_OK);
    QTEST_CHECK(all_erased(SECTOR_P, FLASH_SECTOR_SIZE));
    return qtest_finish("flash_rules boot 2");
}
