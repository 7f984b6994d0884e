/*
 * test_bl_lifecycle.c: the PSA lifecycle store (boot/common/bl_lifecycle.c): every pair of
 * states allowed or refused as the PSA Security Model says, a refused transition writing
 * nothing, DECOMMISSIONED final, the provisioned state as the start, a bad provisioning or
 * counter area failing closed, and a transition cut at every flash operation (plain and torn,
 * with the counters' compaction among them) leaving the old state or the new one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bl_counter.h"
#include "bl_crypto.h"
#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_record.h"
#include "bl_status.h"
#include "host_flash.h"
#include "plat_flash.h"

#define AT  BL_LIFECYCLE_ASSEMBLY_AND_TEST
#define PRV BL_LIFECYCLE_PSA_ROT_PROVISIONING
#define SEC BL_LIFECYCLE_SECURED
#define NPD BL_LIFECYCLE_NON_PSA_ROT_DEBUG
#define RPD BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG
#define DEC BL_LIFECYCLE_DECOMMISSIONED

static const uint32_t states[] = {AT, PRV, SEC, NPD, RPD, DEC};
#define N_STATES (sizeof(states) / sizeof(states[0]))

/* Provisions the RAM flash as smtool does, in `lifecycle`. */
static int provision(uint32_t lifecycle)
{
    struct bl_otp otp;
    memset(&otp, 0, sizeof(otp));
    otp.magic = BL_OTP_MAGIC;
    otp.version = BL_OTP_VERSION;
    otp.lifecycle = lifecycle;
    memset(otp.huk, 0x3C, sizeof(otp.huk));
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
    return host_flash_open_ram() == PLAT_FLASH_OK ? provision(AT) : -1;
}

static int teardown(void **state)
{
    (void)state;
    host_flash_on_cut(NULL, NULL);
    host_flash_close();
    return 0;
}

static uint32_t get(void)
{
    uint32_t s = 0xDEAD;
    assert_int_equal(bl_lifecycle_get(&s), BL_OK);
    return s;
}

/* The PSA Security Model's transitions, written out pair by pair. */
static bool expected(uint32_t from, uint32_t to)
{
    static const uint32_t allowed[][2] = {
        {AT, PRV}, {PRV, SEC}, {SEC, NPD}, {NPD, SEC}, {SEC, RPD}, {RPD, SEC},
        {AT, DEC}, {PRV, DEC}, {SEC, DEC}, {NPD, DEC}, {RPD, DEC},
    };
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
        if (allowed[i][0] == from && allowed[i][1] == to) {
            return true;
        }
    }
    return false;
}

/* Every pair, through the store: from a device provisioned in `from`, moving to `to`. */
static void test_every_pair(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_STATES; i++) {
        for (size_t j = 0; j < N_STATES; j++) {
            const uint32_t from = states[i], to = states[j];
            assert_int_equal(bl_lifecycle_allowed(from, to), expected(from, to));
            assert_int_equal(provision(from), 0);
            assert_int_equal(get(), from);
            const long ops = host_flash_ops();
            const int rc = bl_lifecycle_set(to);
            if (expected(from, to)) {
                assert_int_equal(rc, BL_OK);
                assert_int_equal(get(), to);
            } else {
                assert_int_equal(rc, BL_E_LIFECYCLE);
                assert_int_equal(host_flash_ops(), ops); /* nothing written */
                assert_int_equal(get(), from);
            }
        }
    }
    /* Values that are no state at all. */
    const uint32_t odd[] = {0, 0x0001, 0x3001, 0x7000, 0xFFFF, 0x13000, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        assert_false(bl_lifecycle_known(odd[i]));
        assert_false(bl_lifecycle_allowed(SEC, odd[i]));
        assert_false(bl_lifecycle_allowed(odd[i], SEC));
        assert_int_equal(provision(SEC), 0);
        assert_int_equal(bl_lifecycle_set(odd[i]), BL_E_LIFECYCLE);
        assert_int_equal(get(), SEC);
    }
    for (size_t i = 0; i < N_STATES; i++) {
        assert_string_not_equal(bl_lifecycle_name(states[i]), "unknown");
    }
}

/* A life: manufacturing to the field, debug sessions back and forth, then the end. */
static void test_a_whole_life(void **state)
{
    (void)state;
    const uint32_t path[] = {PRV, SEC, NPD, SEC, RPD, SEC, NPD, SEC, DEC};
    for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
        assert_int_equal(bl_lifecycle_set(path[i]), BL_OK);
        assert_int_equal(get(), path[i]);
    }
    uint32_t v;
    assert_int_equal(bl_counter_get(BL_COUNTER_LIFECYCLE, &v), BL_OK);
    assert_int_equal(v, 9u << 16 | DEC); /* nine transitions made */
    for (size_t i = 0; i < N_STATES; i++) {
        assert_int_equal(bl_lifecycle_set(states[i]), BL_E_LIFECYCLE); /* final */
    }
    /* The other counters are untouched by it. */
    assert_int_equal(bl_counter_get(BL_KIND_NS, &v), BL_OK);
    assert_int_equal(v, 0);
}

/* A provisioning area that does not verify, a provisioned value that is no state, counters
 * erased: no state is reported, and no transition is made. */
static void test_fails_closed(void **state)
{
    (void)state;
    assert_int_equal(provision(0x3001), 0);
    uint32_t s;
    assert_int_equal(bl_lifecycle_get(&s), BL_E_LIFECYCLE);
    assert_int_equal(bl_lifecycle_set(SEC), BL_E_LIFECYCLE);
    assert_int_equal(provision(SEC), 0);
    assert_int_equal(plat_flash_erase(FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE), PLAT_FLASH_OK);
    assert_int_equal(bl_lifecycle_get(&s), BL_E_COUNTERS);
    assert_int_equal(bl_lifecycle_set(DEC), BL_E_COUNTERS);
    assert_int_equal(provision(SEC), 0);
    assert_int_equal(plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE), PLAT_FLASH_OK);
    assert_int_equal(bl_lifecycle_get(&s), BL_E_CONFIG);
    assert_int_equal(bl_lifecycle_set(DEC), BL_E_CONFIG);
    /* An authentic counter value whose state part is no state (only a bug of the store could
     * write one, a forger lacking the HUK): refused, not read as some state. */
    assert_int_equal(provision(SEC), 0);
    assert_int_equal(bl_counter_raise(BL_COUNTER_LIFECYCLE, 1u << 16 | 0x7000u), BL_OK);
    assert_int_equal(bl_lifecycle_get(&s), BL_E_LIFECYCLE);
}

static jmp_buf cut_jmp;

static void on_cut(void *ctx)
{
    (void)ctx;
    longjmp(cut_jmp, 1);
}

/* SECURED <-> NON_PSA_ROT_DEBUG until the counters' sector is nearly full, then one more
 * transition cut at each of its flash operations (the compaction among them): afterwards the
 * state is the old or the new one, and the store goes on working. */
static void test_cut_at_every_operation(void **state)
{
    (void)state;
    static uint8_t data[FLASH_COUNTERS_SIZE], prog[FLASH_COUNTERS_SIZE / 128];
    assert_int_equal(provision(SEC), 0);
    uint32_t now = SEC;
    while (plat_flash_is_programmed(FLASH_COUNTERS_OFFSET + FLASH_SECTOR_SIZE - 32) != 1 &&
           plat_flash_is_programmed(FLASH_COUNTERS_OFFSET + 2 * FLASH_SECTOR_SIZE - 32) != 1) {
        now = now == SEC ? NPD : SEC;
        assert_int_equal(bl_lifecycle_set(now), BL_OK);
    }
    const uint32_t next = now == SEC ? NPD : SEC;
    assert_int_equal(host_flash_save(FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE, data, prog),
                     PLAT_FLASH_OK);
    long ops = 0;
    for (int round = 0; round < 2; round++) { /* two transitions: one appends, one compacts */
        host_flash_power_on();
        assert_int_equal(bl_lifecycle_set(round == 0 ? next : now), BL_OK);
        ops += host_flash_ops();
    }
    assert_int_equal(host_flash_restore(FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE, data, prog),
                     PLAT_FLASH_OK);
    for (int torn = 0; torn <= 1; torn++) {
        for (long n = 0; n < ops; n++) {
            assert_int_equal(
                host_flash_restore(FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE, data, prog),
                PLAT_FLASH_OK);
            host_flash_power_on();
            host_flash_on_cut(on_cut, NULL);
            host_flash_cut_after(n, torn);
            volatile int done = 0;
            if (setjmp(cut_jmp) == 0) {
                (void)bl_lifecycle_set(next);
                done = 1;
                (void)bl_lifecycle_set(now);
                done = 2;
            }
            host_flash_on_cut(NULL, NULL);
            host_flash_power_on();
            const uint32_t s = get();
            if (s != now && s != next) {
                fail_msg("cut at operation %ld (%s): state %s", n, torn ? "torn" : "clean",
                         bl_lifecycle_name(s));
            }
            if (done == 2) {
                assert_int_equal(s, now);
            }
            /* The store still moves, from whichever state the cut left. */
            const uint32_t back = s == SEC ? NPD : SEC;
            assert_int_equal(bl_lifecycle_set(back), BL_OK);
            assert_int_equal(get(), back);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_pair, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_whole_life, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fails_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cut_at_every_operation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
