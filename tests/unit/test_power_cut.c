/*
 * test_power_cut.c: the host flash's power-cut injection, which every later power-fail test
 * relies on: cut after N operations, torn units and sectors, the cut handler, power-on, and
 * what the backing files keep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host_flash.h"
#include "plat_flash.h"

#define T0               FLASH_FREE_OFFSET
#define UNITS_PER_SECTOR (FLASH_SECTOR_SIZE / FLASH_PROGRAM_UNIT)

static uint8_t data[FLASH_SECTOR_SIZE];
static uint8_t buf[FLASH_SECTOR_SIZE];

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 31u + 7u);
    }
    return host_flash_open_ram() == PLAT_FLASH_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    host_flash_on_cut(NULL, NULL);
    host_flash_close();
    return 0;
}

static void test_each_unit_and_sector_is_one_operation(void **state)
{
    (void)state;
    assert_int_equal(plat_flash_erase(T0, 2 * FLASH_SECTOR_SIZE), PLAT_FLASH_OK);
    assert_int_equal(host_flash_ops(), 2);
    assert_int_equal(plat_flash_program(T0, data, 64), PLAT_FLASH_OK);
    assert_int_equal(host_flash_ops(), 6);
    assert_int_equal(plat_flash_read(T0, buf, 64), PLAT_FLASH_OK);
    assert_int_equal(host_flash_ops(), 6); /* reads are not counted */
}

static void test_cut_inside_a_program_stops_between_units(void **state)
{
    (void)state;
    host_flash_cut_after(3, false);
    assert_int_equal(plat_flash_program(T0, data, 8 * 16), PLAT_FLASH_E_POWER);
    assert_false(host_flash_powered());
    /* Unpowered: everything fails, even reads. */
    assert_int_equal(plat_flash_read(T0, buf, 16), PLAT_FLASH_E_POWER);
    assert_int_equal(plat_flash_program(T0 + 256, data, 16), PLAT_FLASH_E_POWER);
    assert_int_equal(plat_flash_erase(T0, FLASH_SECTOR_SIZE), PLAT_FLASH_E_POWER);
    host_flash_power_on();
    assert_true(host_flash_powered());
    assert_int_equal(host_flash_ops(), 0);
    /* Units 0..2 were written, unit 3 (the interrupted one) and later were not. */
    assert_int_equal(plat_flash_read(T0, buf, 8 * 16), PLAT_FLASH_OK);
    assert_memory_equal(buf, data, 3 * 16);
    for (size_t i = 3 * 16; i < 8 * 16; i++) {
        assert_int_equal(buf[i], 0xFF);
    }
    assert_int_equal(plat_flash_is_programmed(T0 + 2 * 16), 1);
    assert_int_equal(plat_flash_is_programmed(T0 + 3 * 16), 0);
    /* And the power-on flash works again, with no cut pending. */
    assert_int_equal(plat_flash_program(T0 + 3 * 16, data + 3 * 16, 5 * 16), PLAT_FLASH_OK);
}

static void test_torn_program_clears_only_some_bits(void **state)
{
    (void)state;
    int differs = 0;
    for (uint32_t u = 0; u < 64; u++) {
        uint32_t off = T0 + u * 16;
        host_flash_cut_after(0, true);
        assert_int_equal(plat_flash_program(off, data + u * 16, 16), PLAT_FLASH_E_POWER);
        host_flash_power_on();
        assert_int_equal(plat_flash_is_programmed(off), 1); /* torn units need an erase */
        assert_int_equal(plat_flash_program(off, data + u * 16, 16), PLAT_FLASH_E_PROGRAMMED);
        assert_int_equal(plat_flash_read(off, buf, 16), PLAT_FLASH_OK);
        for (int i = 0; i < 16; i++) {
            /* Every bit the new value clears may or may not be cleared; no other bit is. */
            assert_int_equal(buf[i] & data[u * 16 + i], data[u * 16 + i]);
        }
        differs += memcmp(buf, data + u * 16, 16) != 0;
    }
    assert_true(differs > 32); /* a torn unit is almost never the value intended */
}

static void test_untorn_cut_program_leaves_unit_erased(void **state)
{
    (void)state;
    host_flash_cut_after(0, false);
    assert_int_equal(plat_flash_program(T0, data, 16), PLAT_FLASH_E_POWER);
    host_flash_power_on();
    assert_int_equal(plat_flash_is_programmed(T0), 0);
    assert_int_equal(plat_flash_program(T0, data, 16), PLAT_FLASH_OK);
}

static void test_torn_erase_leaves_sector_partly_erased(void **state)
{
    (void)state;
    assert_int_equal(plat_flash_program(T0, data, FLASH_SECTOR_SIZE), PLAT_FLASH_OK);
    host_flash_cut_after(0, true);
    assert_int_equal(plat_flash_erase(T0, FLASH_SECTOR_SIZE), PLAT_FLASH_E_POWER);
    host_flash_power_on();
    assert_int_equal(plat_flash_read(T0, buf, FLASH_SECTOR_SIZE), PLAT_FLASH_OK);
    /* A prefix of units is erased, the rest (past one boundary unit) keeps the old data. */
    uint32_t erased = 0;
    while (erased < UNITS_PER_SECTOR && plat_flash_is_programmed(T0 + erased * 16) == 0) {
        for (int i = 0; i < 16; i++) {
            assert_int_equal(buf[erased * 16 + i], 0xFF);
        }
        erased++;
    }
    assert_true(erased >= 1 && erased < UNITS_PER_SECTOR);
    for (uint32_t u = erased + 1; u < UNITS_PER_SECTOR; u++) {
        assert_memory_equal(buf + u * 16, data + u * 16, 16);
        assert_int_equal(plat_flash_is_programmed(T0 + u * 16), 1);
    }
    /* A full erase recovers the sector. */
    assert_int_equal(plat_flash_erase(T0, FLASH_SECTOR_SIZE), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_is_programmed(T0 + (UNITS_PER_SECTOR - 1) * 16), 0);
}

static void test_untorn_cut_erase_changes_nothing(void **state)
{
    (void)state;
    assert_int_equal(plat_flash_program(T0, data, 256), PLAT_FLASH_OK);
    host_flash_cut_after(0, false);
    assert_int_equal(plat_flash_erase(T0, FLASH_SECTOR_SIZE), PLAT_FLASH_E_POWER);
    host_flash_power_on();
    assert_int_equal(plat_flash_read(T0, buf, 256), PLAT_FLASH_OK);
    assert_memory_equal(buf, data, 256);
}

static void test_cut_is_reproducible(void **state)
{
    (void)state;
    uint8_t first[64];
    host_flash_cut_after(1, true);
    assert_int_equal(plat_flash_program(T0, data, 64), PLAT_FLASH_E_POWER);
    host_flash_power_on();
    assert_int_equal(plat_flash_read(T0, first, 64), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_erase(T0, FLASH_SECTOR_SIZE), PLAT_FLASH_OK);
    host_flash_power_on();
    host_flash_cut_after(1, true);
    assert_int_equal(plat_flash_program(T0, data, 64), PLAT_FLASH_E_POWER);
    host_flash_power_on();
    assert_int_equal(plat_flash_read(T0, buf, 64), PLAT_FLASH_OK);
    assert_memory_equal(buf, first, 64);
}

static jmp_buf power_lost;
static int handler_calls;

static void on_cut(void *ctx)
{
    handler_calls++;
    longjmp(*(jmp_buf *)ctx, 1);
}

/* Code under test runs until the power cut stops it, like firmware losing power. */
static void test_cut_handler_stops_the_caller(void **state)
{
    (void)state;
    volatile int programmed_units = 0;
    handler_calls = 0;
    host_flash_on_cut(on_cut, &power_lost);
    host_flash_cut_after(5, false);
    if (setjmp(power_lost) == 0) {
        for (uint32_t u = 0; u < 100; u++) {
            assert_int_equal(plat_flash_program(T0 + u * 16, data, 16), PLAT_FLASH_OK);
            programmed_units++;
        }
        fail_msg("the power cut did not stop the caller");
    }
    assert_int_equal(handler_calls, 1);
    assert_int_equal(programmed_units, 5);
    host_flash_power_on();
    assert_int_equal(plat_flash_is_programmed(T0 + 4 * 16), 1);
    assert_int_equal(plat_flash_is_programmed(T0 + 5 * 16), 0);
}

static char device_dir[64];

static void test_files_keep_what_the_cut_left(void **state)
{
    (void)state;
    strcpy(device_dir, "/tmp/sm-test-cut-XXXXXX");
    assert_non_null(mkdtemp(device_dir));
    assert_int_equal(host_flash_open_dir(device_dir, true), PLAT_FLASH_OK);
    host_flash_cut_after(2, true);
    assert_int_equal(plat_flash_program(T0, data, 64), PLAT_FLASH_E_POWER);
    uint8_t torn[64];
    host_flash_power_on();
    assert_int_equal(plat_flash_read(T0, torn, 64), PLAT_FLASH_OK);
    host_flash_close();
    /* A new process (a reboot) sees the same flash: 2 units, 1 torn unit, 1 erased unit. */
    assert_int_equal(host_flash_open_dir(device_dir, false), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_read(T0, buf, 64), PLAT_FLASH_OK);
    assert_memory_equal(buf, torn, 64);
    assert_memory_equal(buf, data, 32);
    assert_int_equal(plat_flash_is_programmed(T0 + 32), 1);
    assert_int_equal(plat_flash_is_programmed(T0 + 48), 0);
    host_flash_close();
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", device_dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_each_unit_and_sector_is_one_operation, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cut_inside_a_program_stops_between_units, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_torn_program_clears_only_some_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_untorn_cut_program_leaves_unit_erased, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_torn_erase_leaves_sector_partly_erased, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_untorn_cut_erase_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cut_is_reproducible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cut_handler_stops_the_caller, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_keep_what_the_cut_left, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
