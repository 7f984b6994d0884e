/*
 * test_bl_counter.c: anti-rollback and boot counters (boot/common/bl_counter.c): monotonic,
 * independent per counter, surviving compaction, and never lower after a power cut at any
 * flash operation (plain or torn), compaction included. Records are authenticated: forged,
 * altered and foreign records are ignored, an erased area fails closed, and a record after an
 * erased unit is seen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bl_counter.h"
#include "bl_crypto.h"
#include "bl_otp.h"
#include "bl_record.h"
#include "bl_status.h"
#include "host_flash.h"
#include "plat_flash.h"

/* Provisions the RAM flash as smtool does: an OTP area with this HUK, then the counters. */
static int provision(uint8_t huk_byte)
{
    struct bl_otp otp;
    memset(&otp, 0, sizeof(otp));
    otp.magic = BL_OTP_MAGIC;
    otp.version = BL_OTP_VERSION;
    memset(otp.huk, huk_byte, sizeof(otp.huk));
    bl_sha256(&otp, offsetof(struct bl_otp, digest), otp.digest);
    if (plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE) != PLAT_FLASH_OK ||
        plat_flash_program(FLASH_OTP_OFFSET, &otp, sizeof(otp)) != PLAT_FLASH_OK) {
        return -1;
    }
    return bl_counter_provision() == BL_OK ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    return host_flash_open_ram() == PLAT_FLASH_OK ? provision(0x5A) : -1;
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

/* The index of the last programmed unit of the first counter sector. */
static uint32_t last_unit(void)
{
    uint32_t last = 0;
    for (uint32_t i = 0; i < BL_RECORDS_PER_SECTOR; i++) {
        if (plat_flash_is_programmed(FLASH_COUNTERS_OFFSET + i * 16) == 1) {
            last = i;
        }
    }
    return last;
}

static void read_unit(uint32_t index, uint8_t u[16])
{
    assert_int_equal(plat_flash_read(FLASH_COUNTERS_OFFSET + index * 16, u, 16), PLAT_FLASH_OK);
}

/* Puts 16 bytes into the first erased unit of the first sector, as anyone with access to
 * the flash can. */
static void plant(const uint8_t u[16])
{
    for (uint32_t i = 0; i < BL_RECORDS_PER_SECTOR; i++) {
        if (plat_flash_is_programmed(FLASH_COUNTERS_OFFSET + i * 16) == 0) {
            assert_int_equal(plat_flash_program(FLASH_COUNTERS_OFFSET + i * 16, u, 16),
                             PLAT_FLASH_OK);
            return;
        }
    }
    fail_msg("no erased unit");
}

/* A genuine record of one device (HUK A) planted on another (HUK B), and a genuine record of
 * B with its value altered: both ignored. Checksummed records were taken at face value, so a
 * record with 0xFFFFFFFF froze the boot counter and maxed out security counters. */
static void test_foreign_and_altered_records_are_ignored(void **state)
{
    (void)state;
    uint8_t foreign[16], altered[16];
    assert_int_equal(bl_counter_raise(BL_COUNTER_BOOTS, 0xFFFFFFF0u), BL_OK);
    assert_int_equal(bl_counter_raise(BL_KIND_NS, 0xFFFFFFFFu), BL_OK);
    read_unit(last_unit(), foreign); /* NS = 0xFFFFFFFF under HUK A */

    assert_int_equal(provision(0xA5), 0); /* device B */
    assert_int_equal(get(BL_COUNTER_BOOTS), 0);
    assert_int_equal(bl_counter_raise(BL_KIND_NS, 3), BL_OK);
    read_unit(last_unit(), altered);
    altered[7] ^= 0x80; /* NS = 0x80000003 */
    plant(foreign);
    plant(altered);
    assert_int_equal(get(BL_KIND_NS), 3);
    assert_int_equal(bl_counter_raise(BL_KIND_NS, 4), BL_OK);
    assert_int_equal(get(BL_KIND_NS), 4);
    assert_int_equal(bl_counter_raise(BL_COUNTER_BOOTS, 1), BL_OK);
    assert_int_equal(get(BL_COUNTER_BOOTS), 1);
}

/* Erasing the counter area would reset every counter (and repeat boot counts): a provisioned
 * device whose area holds no authentic record refuses both reading and raising. */
static void test_erased_area_fails_closed(void **state)
{
    (void)state;
    uint32_t v = 0xDEAD;
    assert_int_equal(bl_counter_raise(BL_COUNTER_BOOTS, 9), BL_OK);
    assert_int_equal(plat_flash_erase(FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE), PLAT_FLASH_OK);
    assert_int_equal(bl_counter_get(BL_COUNTER_BOOTS, &v), BL_E_COUNTERS);
    assert_int_equal(v, 0);
    assert_int_equal(bl_counter_raise(BL_COUNTER_BOOTS, 10), BL_E_COUNTERS);
    assert_true(plat_flash_is_blank(FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE) == 1);
    /* Only forged records: the same. */
    uint8_t forged[16];
    memset(forged, 0x11, sizeof(forged));
    plant(forged);
    assert_int_equal(bl_counter_get(BL_COUNTER_BOOTS, &v), BL_E_COUNTERS);
}

/* A record after an erased unit (an erase cut short leaves such gaps) counts: it was hidden
 * when readers looked only at the programmed prefix, and reappeared once appends filled the
 * gap. */
static void test_record_after_an_erased_unit_is_seen(void **state)
{
    (void)state;
    uint8_t rec[16];
    assert_int_equal(bl_counter_raise(BL_KIND_SM, 7), BL_OK);
    uint32_t at = last_unit();
    read_unit(at, rec);
    /* The same sector with that record 100 units further on, after a run of erased units. */
    assert_int_equal(provision(0x5A), 0);
    assert_int_equal(plat_flash_program(FLASH_COUNTERS_OFFSET + (at + 100) * 16, rec, 16),
                     PLAT_FLASH_OK);
    assert_int_equal(get(BL_KIND_SM), 7);
    assert_int_equal(bl_counter_raise(BL_KIND_SM, 6), BL_OK); /* lower: still ignored */
    assert_int_equal(get(BL_KIND_SM), 7);
    assert_int_equal(bl_counter_raise(BL_KIND_SM, 8), BL_OK);
    assert_int_equal(get(BL_KIND_SM), 8);
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
        /* Records fill a sector from its start: it is full once its last unit is. */
        if (plat_flash_is_programmed(FLASH_COUNTERS_OFFSET + FLASH_SECTOR_SIZE - 16) == 1 ||
            plat_flash_is_programmed(FLASH_COUNTERS_OFFSET + 2 * FLASH_SECTOR_SIZE - 16) == 1) {
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
    /* every counter raised (the image kinds' and the boots') rewritten, then the full sector
     * erased */
    if (ops < 1 + BL_KIND_COUNT + 1) {
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
        cmocka_unit_test_setup_teardown(test_foreign_and_altered_records_are_ignored, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_erased_area_fails_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_after_an_erased_unit_is_seen, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
