/*
 * test_flash.c: the flash rules (platform/common/flash_emu.c) on the host backend, and the
 * device-directory files that the board and the tools share.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "host_flash.h"
#include "plat_flash.h"

#define T0 FLASH_FREE_OFFSET
#define T1 (FLASH_FREE_OFFSET + FLASH_SECTOR_SIZE)

static uint8_t buf[FLASH_SECTOR_SIZE];

static void pattern(uint8_t *dst, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        dst[i] = (uint8_t)(seed ^ (i * 13u));
    }
}

static int setup_ram(void **state)
{
    (void)state;
    return host_flash_open_ram() == PLAT_FLASH_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    host_flash_close();
    return 0;
}

static void test_not_ready_without_backing(void **state)
{
    (void)state;
    host_flash_close();
    assert_int_equal(plat_flash_init(), PLAT_FLASH_E_NOT_READY);
    assert_int_equal(plat_flash_read(0, buf, 16), PLAT_FLASH_E_NOT_READY);
    assert_int_equal(plat_flash_erase(0, FLASH_SECTOR_SIZE), PLAT_FLASH_E_NOT_READY);
}

static void test_fresh_flash_is_erased(void **state)
{
    (void)state;
    assert_int_equal(plat_flash_init(), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_read(0, buf, sizeof(buf)), PLAT_FLASH_OK);
    for (size_t i = 0; i < sizeof(buf); i++) {
        assert_int_equal(buf[i], FLASH_ERASED_VALUE);
    }
    assert_int_equal(plat_flash_is_programmed(0), 0);
}

static void test_out_of_range_refused(void **state)
{
    (void)state;
    uint8_t unit[16] = {0};
    assert_int_equal(plat_flash_read(FLASH_SIZE, buf, 1), PLAT_FLASH_E_RANGE);
    assert_int_equal(plat_flash_read(FLASH_SIZE - 8, buf, 16), PLAT_FLASH_E_RANGE);
    assert_int_equal(plat_flash_read(0xFFFFFFF0u, buf, 0x20), PLAT_FLASH_E_RANGE);
    assert_int_equal(plat_flash_read(0, NULL, 16), PLAT_FLASH_E_RANGE);
    assert_int_equal(plat_flash_program(FLASH_SIZE, unit, 16), PLAT_FLASH_E_RANGE);
    assert_int_equal(plat_flash_program(FLASH_SIZE - 16, unit, 32), PLAT_FLASH_E_RANGE);
    assert_int_equal(plat_flash_erase(FLASH_SIZE, FLASH_SECTOR_SIZE), PLAT_FLASH_E_RANGE);
    assert_int_equal(plat_flash_erase(FLASH_SIZE - FLASH_SECTOR_SIZE, 2 * FLASH_SECTOR_SIZE),
                     PLAT_FLASH_E_RANGE);
    assert_int_equal(plat_flash_is_programmed(FLASH_SIZE), PLAT_FLASH_E_RANGE);
    /* The last unit and last sector are reachable. */
    assert_int_equal(plat_flash_program(FLASH_SIZE - 16, unit, 16), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_erase(FLASH_SIZE - FLASH_SECTOR_SIZE, FLASH_SECTOR_SIZE),
                     PLAT_FLASH_OK);
}

static void test_alignment_refused(void **state)
{
    (void)state;
    uint8_t unit[32] = {0};
    assert_int_equal(plat_flash_program(T0 + 8, unit, 16), PLAT_FLASH_E_ALIGN);
    assert_int_equal(plat_flash_program(T0, unit, 8), PLAT_FLASH_E_ALIGN);
    assert_int_equal(plat_flash_program(T0, unit, 24), PLAT_FLASH_E_ALIGN);
    assert_int_equal(plat_flash_erase(T0 + 4096, FLASH_SECTOR_SIZE), PLAT_FLASH_E_ALIGN);
    assert_int_equal(plat_flash_erase(T0, 4096), PLAT_FLASH_E_ALIGN);
    assert_int_equal(plat_flash_erase(T0, FLASH_SECTOR_SIZE + 16), PLAT_FLASH_E_ALIGN);
    assert_int_equal(plat_flash_is_programmed(T0), 0);
    assert_int_equal(host_flash_ops(), 0); /* nothing reached the backend */
}

static void test_program_once(void **state)
{
    (void)state;
    uint8_t a[64], b[64], ff[16];
    pattern(a, sizeof(a), 1);
    pattern(b, sizeof(b), 2);
    memset(ff, 0xFF, sizeof(ff));
    assert_int_equal(plat_flash_program(T0, a, sizeof(a)), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_program(T0 + 16, b, 16), PLAT_FLASH_E_PROGRAMMED);
    assert_int_equal(plat_flash_read(T0, buf, sizeof(a)), PLAT_FLASH_OK);
    assert_memory_equal(buf, a, sizeof(a));
    /* The erased value is still a program. */
    assert_int_equal(plat_flash_program(T0 + 128, ff, 16), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_is_programmed(T0 + 128 + 5), 1);
    assert_int_equal(plat_flash_program(T0 + 128, ff, 16), PLAT_FLASH_E_PROGRAMMED);
    /* A range ending on a programmed unit is refused before anything is written. */
    long ops = host_flash_ops();
    assert_int_equal(plat_flash_program(T0 + 96, b, 48), PLAT_FLASH_E_PROGRAMMED);
    assert_int_equal(host_flash_ops(), ops);
    assert_int_equal(plat_flash_is_programmed(T0 + 96), 0);
    assert_int_equal(plat_flash_is_programmed(T0 + 112), 0);
    /* Blank checks: a range is blank until one of its units is programmed, 0xFF included. */
    assert_int_equal(plat_flash_is_blank(T0 + 64, 64), 1);
    assert_int_equal(plat_flash_is_blank(T0 + 64, 80), 0); /* reaches T0 + 128 */
    assert_int_equal(plat_flash_is_blank(T0 + 112, 32), 0);
    assert_int_equal(plat_flash_is_blank(T0, 0), 1);
    assert_int_equal(plat_flash_is_blank(T0 + 8, 16), PLAT_FLASH_E_ALIGN);
    assert_int_equal(plat_flash_is_blank(T0, 24), PLAT_FLASH_E_ALIGN);
    assert_int_equal(plat_flash_is_blank(FLASH_SIZE - 16, 32), PLAT_FLASH_E_RANGE);
    assert_int_equal(plat_flash_is_blank(0xFFFFFFF0u, 0x20), PLAT_FLASH_E_RANGE);
}

static void test_erase_is_per_sector(void **state)
{
    (void)state;
    uint8_t a[32], b[32];
    pattern(a, sizeof(a), 3);
    pattern(b, sizeof(b), 4);
    assert_int_equal(plat_flash_program(T0 + FLASH_SECTOR_SIZE - 32, a, 32), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_program(T1, b, 32), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_erase(T0, FLASH_SECTOR_SIZE), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_read(T0, buf, FLASH_SECTOR_SIZE), PLAT_FLASH_OK);
    for (size_t i = 0; i < FLASH_SECTOR_SIZE; i++) {
        assert_int_equal(buf[i], 0xFF);
    }
    assert_int_equal(plat_flash_is_programmed(T0 + FLASH_SECTOR_SIZE - 16), 0);
    assert_int_equal(plat_flash_read(T1, buf, 32), PLAT_FLASH_OK);
    assert_memory_equal(buf, b, 32);
    assert_int_equal(plat_flash_is_programmed(T1), 1);
    /* Erased units can be programmed again. */
    assert_int_equal(plat_flash_program(T0 + FLASH_SECTOR_SIZE - 32, b, 32), PLAT_FLASH_OK);
}

static char device_dir[64];

static int setup_dir(void **state)
{
    (void)state;
    strcpy(device_dir, "/tmp/sm-test-flash-XXXXXX");
    if (mkdtemp(device_dir) == NULL) {
        return -1;
    }
    return host_flash_open_dir(device_dir, true) == PLAT_FLASH_OK ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    host_flash_close();
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", device_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_file_persists_data_and_state(void **state)
{
    (void)state;
    uint8_t a[48];
    pattern(a, sizeof(a), 5);
    assert_int_equal(plat_flash_erase(T0, FLASH_SECTOR_SIZE), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_program(T0, a, sizeof(a)), PLAT_FLASH_OK);
    host_flash_close();
    assert_int_equal(host_flash_open_dir(device_dir, false), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_read(T0, buf, sizeof(a)), PLAT_FLASH_OK);
    assert_memory_equal(buf, a, sizeof(a));
    assert_int_equal(plat_flash_program(T0 + 32, a, 16), PLAT_FLASH_E_PROGRAMMED);
    assert_int_equal(plat_flash_is_programmed(T0 + 48), 0);
}

static void test_file_of_wrong_size_refused(void **state)
{
    (void)state;
    host_flash_close();
    char path[128];
    snprintf(path, sizeof(path), "%s/flash.img", device_dir);
    assert_int_equal(truncate(path, FLASH_SIZE - 1), 0);
    assert_int_equal(host_flash_open_dir(device_dir, false), PLAT_FLASH_E_IO);
    assert_int_equal(plat_flash_init(), PLAT_FLASH_E_NOT_READY);
}

static void test_missing_device_refused(void **state)
{
    (void)state;
    assert_int_equal(host_flash_open_dir("/nonexistent/sm-device", false), PLAT_FLASH_E_IO);
}

static void test_strerror_names_each_status(void **state)
{
    (void)state;
    for (int s = PLAT_FLASH_OK; s >= PLAT_FLASH_E_NOT_READY; s--) {
        assert_string_not_equal(plat_flash_strerror(s), plat_flash_strerror(-100));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_ready_without_backing),
        cmocka_unit_test_setup_teardown(test_fresh_flash_is_erased, setup_ram, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_range_refused, setup_ram, teardown),
        cmocka_unit_test_setup_teardown(test_alignment_refused, setup_ram, teardown),
        cmocka_unit_test_setup_teardown(test_program_once, setup_ram, teardown),
        cmocka_unit_test_setup_teardown(test_erase_is_per_sector, setup_ram, teardown),
        cmocka_unit_test_setup_teardown(test_file_persists_data_and_state, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_file_of_wrong_size_refused, setup_dir, teardown_dir),
        cmocka_unit_test(test_missing_device_refused),
        cmocka_unit_test(test_strerror_names_each_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
