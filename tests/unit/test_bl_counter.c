/*
 * test_bl_counter.c: anti-rollback and boot counters (boot/common/bl_counter.c): monotonic,
 * independent per counter, surviving compaction, and never lower after a power cut at any
 * flash operation (plain or torn), compaction included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "bl_counter.h"
#include "bl_record.h"
#include "bl_status.h"
#include "host_flash.h"
#include "plat_flash.h"

static int setup(void **state)
{
    (void)state;
    return host_flash_open_ram() == PLAT_FLASH_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    host_flash_on_cut(NULL, NULL);
    host_flash_close();
    return 0;
}

static uint32_t get(unsigned c)
{
    uint32_t v = 0xDEAD;
    assert_int_equal(bl_counter_get(c, &v), BL_OK);
    return v;
}

static void test_starts_at_zero_and_never_goes_down(void **state)
{
    (void)state;
    for (unsigned c = 0; c < BL_COUNTERS; c++) {
        assert_int_equal(get(c), 0);
    }
    assert_int_equal(bl_counter_raise(BL_KIND_NS, 5), BL_OK);
    assert_int_equal(get(BL_KIND_NS), 5);
    assert_int_equal(bl_counter_raise(BL_KIND_NS, 3), BL_OK); /* lower: ignored */
    assert_int_equal(get(BL_KIND_NS), 5);
    assert_int_equal(get(BL_KIND_SM), 0); /* independent */
    assert_int_equal(bl_counter_raise(BL_COUNTERS, 1), BL_E_CONFIG);
    assert_int_equal(bl_counter_get(BL_COUNTERS, &(uint32_t){0}), BL_E_CONFIG);
}

static void test_many_raises_compact_and_keep_every_counter(void **state)
{
    (void)state;
    /* Three sectors' worth of records: forces compactions back and forth. */
    for (uint32_t i = 1; i <= 3 * BL_RECORDS_PER_SECTOR; i++) {
        assert_int_equal(bl_counter_raise(BL_COUNTER_BOOTS, i), BL_OK);
        if (i % 100 == 0) {
            assert_int_equal(bl_counter_raise(i / 100 % BL_KIND_COUNT, i), BL_OK);
        }
    }
    assert_int_equal(get(BL_COUNTER_BOOTS), 3 * BL_RECORDS_PER_SECTOR);
    for (unsigned k = 0; k < BL_KIND_COUNT; k++) {
        uint32_t expect = 0;
        for (uint32_t i = 100; i <= 3 * BL_RECORDS_PER_SECTOR; i += 100) {
            if (i / 100 % BL_KIND_COUNT == k) {
                expect = i;
            }
        }
        assert_int_equal(get(k), expect);
    }
}

static jmp_buf cut_jmp;

static void on_cut(void *ctx)
{
    (void)ctx;
    longjmp(cut_jmp, 1);
}

/* Fill the sector so that the next raise compacts, then cut that raise everywhere. */
static void test_cut_at_every_operation_of_a_compaction(void **state)
{
    (void)state;
    static uint8_t data[FLASH_COUNTERS_SIZE], prog[FLASH_COUNTERS_SIZE / 128];
    volatile uint32_t boots = 0; /* read after longjmp */
    while (1) {
        uint32_t used0, used1;
        assert_int_equal(bl_record_used(FLASH_COUNTERS_OFFSET, &used0), BL_OK);
        assert_int_equal(bl_record_used(FLASH_COUNTERS_OFFSET + FLASH_SECTOR_SIZE, &used1), BL_OK);
        if (used0 == BL_RECORDS_PER_SECTOR || used1 == BL_RECORDS_PER_SECTOR) {
            break;
        }
        boots = boots + 1;
        assert_int_equal(bl_counter_raise(BL_COUNTER_BOOTS, boots), BL_OK);
        if (boots == 7) {
            for (unsigned k = 0; k < BL_KIND_COUNT; k++) {
                assert_int_equal(bl_counter_raise(k, 40 + k), BL_OK);
            }
        }
    }
    assert_int_equal(host_flash_save(FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE, data, prog),
                     PLAT_FLASH_OK);
    host_flash_power_on();
    assert_int_equal(bl_counter_raise(BL_COUNTER_BOOTS, boots + 1), BL_OK);
    long ops = host_flash_ops();
    if (ops < 1 + BL_COUNTERS) { /* every counter rewritten, then the full sector erased */
        fail_msg("only %ld operations after %u raises", ops, (unsigned)boots);
    }
    for (int torn = 0; torn <= 1; torn++) {
        for (long n = 0; n < ops; n++) {
            assert_int_equal(
                host_flash_restore(FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE, data, prog),
                PLAT_FLASH_OK);
            host_flash_power_on();
            host_flash_on_cut(on_cut, NULL);
            host_flash_cut_after(n, torn);
            if (setjmp(cut_jmp) == 0) {
                (void)bl_counter_raise(BL_COUNTER_BOOTS, boots + 1);
                fail_msg("no cut at operation %ld", n);
            }
            host_flash_on_cut(NULL, NULL);
            host_flash_power_on();
            uint32_t b = get(BL_COUNTER_BOOTS);
            assert_true(b == boots || b == boots + 1);
            for (unsigned k = 0; k < BL_KIND_COUNT; k++) {
                assert_int_equal(get(k), 40 + k);
            }
            /* And the counters keep working after the cut. */
            assert_int_equal(bl_counter_raise(BL_COUNTER_BOOTS, boots + 2), BL_OK);
            assert_int_equal(get(BL_COUNTER_BOOTS), boots + 2);
            for (unsigned k = 0; k < BL_KIND_COUNT; k++) {
                assert_int_equal(get(k), 40 + k);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_starts_at_zero_and_never_goes_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_raises_compact_and_keep_every_counter, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cut_at_every_operation_of_a_compaction, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
