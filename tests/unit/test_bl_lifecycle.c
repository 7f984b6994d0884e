/*
 * test_bl_lifecycle.c: the PSA lifecycle store (boot/common/bl_lifecycle.c): every pair of
 * states allowed or refused as the PSA Security Model says, a refused transition writing
 * nothing, DECOMMISSIONED final, the provisioned state as the start, a bad provisioning or
 * counter area failing closed, and a transition cut at every flash operation (plain and torn,
 * with the counters' compaction among them) leaving the old state or the new one. And what
 * each state does at boot (bl_lifecycle_boot): SECURED and the debug states boot (the debug
 * states with the trace), the two manufacturing states boot nothing and write nothing, and
 * DECOMMISSIONED erases every secret and asset, also when power cuts interrupt the erase at
 * any of its flash operations, clean or torn.
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

/* Provisions as provision(), with secrets of varied bytes in the four secret fields and one
 * "asset" unit in the ITS area, all of which decommissioning must erase. */
static uint8_t secrets[5][32];

static int provision_secrets(uint32_t lifecycle)
{
    struct bl_otp otp;
    memset(&otp, 0, sizeof(otp));
    otp.magic = BL_OTP_MAGIC;
    otp.version = BL_OTP_VERSION;
    otp.lifecycle = lifecycle;
    for (size_t k = 0; k < 5; k++) {
        for (size_t i = 0; i < 32; i++) {
            secrets[k][i] = (uint8_t)(17u * i + 101u * k + 7u);
        }
    }
    memcpy(otp.huk, secrets[0], 32);
    memcpy(otp.iak, secrets[1], 32);
    memcpy(otp.enc_priv, secrets[2], 32);
    memcpy(otp.entropy_seed, secrets[3], 32);
    bl_sha256(&otp, offsetof(struct bl_otp, digest), otp.digest);
    if (plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE) != PLAT_FLASH_OK ||
        plat_flash_program(FLASH_OTP_OFFSET, &otp, sizeof(otp)) != PLAT_FLASH_OK ||
        plat_flash_erase(FLASH_ITS_OFFSET, FLASH_ITS_SIZE_MAX) != PLAT_FLASH_OK ||
        plat_flash_program(FLASH_ITS_OFFSET + 3 * FLASH_SECTOR_SIZE, secrets[4], 32) !=
            PLAT_FLASH_OK) {
        return -1;
    }
    return bl_counter_provision() == BL_OK ? 0 : -1;
}

/* Which of the five secrets are anywhere in the flash (a bit each). */
static unsigned secrets_left(void)
{
    static uint8_t all[FLASH_SIZE];
    assert_int_equal(plat_flash_read(0, all, sizeof(all)), PLAT_FLASH_OK);
    unsigned left = 0;
    for (size_t k = 0; k < 5; k++) {
        for (size_t at = 0; at + 32 <= sizeof(all); at += 16) {
            if (memcmp(all + at, secrets[k], 32) == 0) {
                left |= 1u << k;
            }
        }
    }
    return left;
}

static bool area_erased(uint32_t off, uint32_t size)
{
    uint8_t buf[256];
    for (uint32_t at = 0; at < size; at += sizeof(buf)) {
        assert_int_equal(plat_flash_read(off + at, buf, sizeof(buf)), PLAT_FLASH_OK);
        for (size_t i = 0; i < sizeof(buf); i++) {
            if (buf[i] != 0xFF) {
                return false;
            }
        }
    }
    return true;
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
    uint32_t now = 0, count = 0xDEAD;
    assert_int_equal(bl_lifecycle_now(&now, &count), BL_OK);
    assert_int_equal(now, AT);
    assert_int_equal(count, 0);
    for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
        assert_int_equal(bl_lifecycle_set(path[i]), BL_OK);
        assert_int_equal(get(), path[i]);
        /* The state and the count from one reading: a move's authorisation is bound to both. */
        assert_int_equal(bl_lifecycle_now(&now, &count), BL_OK);
        assert_int_equal(now, path[i]);
        assert_int_equal(count, i + 1);
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

/* One power-on as far as the lifecycle goes: the iRoT's bl_stage_start (a decommissioning
 * under way finished there), then the uRoT's: its own check of the area, then its question
 * (which, for DECOMMISSIONED, writes the mark: the uRoT then resets). */
static int stage_boot_state(uint32_t *s)
{
    int rc = bl_otp_check();
    if (rc == BL_E_DECOMMISSIONED) {
        rc = bl_lifecycle_end();
        return rc == BL_OK ? BL_E_DECOMMISSIONED : rc;
    }
    uint32_t provisioned;
    if (rc == BL_OK) {
        rc = bl_otp_read_field(offsetof(struct bl_otp, lifecycle), &provisioned,
                               sizeof(provisioned));
    }
    return rc == BL_OK ? bl_lifecycle_boot(provisioned, s) : rc;
}

/* What each state does at boot. */
static void test_boot_in_each_state(void **state)
{
    (void)state;
    static const struct {
        uint32_t state;
        int rc;
        bool trace;
    } want[] = {{AT, BL_E_PROVISIONING, false},
                {PRV, BL_E_PROVISIONING, false},
                {SEC, BL_OK, false},
                {NPD, BL_OK, true},
                {RPD, BL_OK, true}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        /* Provisioned in the state, and moved into it (the counter's value, not the area's). */
        for (int moved_there = 0; moved_there <= 1; moved_there++) {
            if (moved_there && want[i].state != NPD && want[i].state != RPD) {
                continue;
            }
            assert_int_equal(provision_secrets(moved_there ? SEC : want[i].state), 0);
            if (moved_there) {
                assert_int_equal(bl_lifecycle_set(want[i].state), BL_OK);
            }
            host_flash_power_on();
            uint32_t s = 0;
            assert_int_equal(stage_boot_state(&s), want[i].rc);
            assert_int_equal(s, want[i].state);
            assert_int_equal(host_flash_ops(), 0); /* none of them writes anything */
            assert_int_equal(bl_lifecycle_trace(s), want[i].trace);
            assert_int_equal(secrets_left(), 0x1F);
        }
    }
    assert_false(bl_lifecycle_trace(DEC));
    /* DECOMMISSIONED: the first boot that sees it erases everything, leaves the tombstone, and
     * every later boot says so without writing anything more. */
    assert_int_equal(provision_secrets(SEC), 0);
    assert_int_equal(bl_lifecycle_set(DEC), BL_OK);
    assert_int_equal(secrets_left(), 0x1F); /* the transition alone erases nothing */
    uint32_t s = 0;
    assert_int_equal(stage_boot_state(&s), BL_E_DECOMMISSIONED); /* the uRoT marks it, resets */
    assert_int_equal(bl_otp_check(), BL_E_DECOMMISSIONED);
    assert_int_equal(stage_boot_state(&s), BL_E_DECOMMISSIONED); /* the iRoT erases */
    assert_int_equal(secrets_left(), 0);
    assert_true(area_erased(FLASH_ITS_OFFSET, FLASH_ITS_SIZE_MAX));
    assert_true(area_erased(FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE));
    assert_false(area_erased(FLASH_OTP_OFFSET, 16)); /* the tombstone */
    assert_true(area_erased(FLASH_OTP_OFFSET + 16, FLASH_OTP_SIZE - 16));
    assert_int_equal(bl_otp_check(), BL_E_DECOMMISSIONED);
    assert_int_equal(get(), DEC);
    uint32_t count = 0xDEAD;
    assert_int_equal(bl_lifecycle_now(&s, &count), BL_OK); /* the counters are gone: no count */
    assert_int_equal(s, DEC);
    assert_int_equal(count, 0);
    for (size_t i = 0; i < N_STATES; i++) {
        assert_int_equal(bl_lifecycle_set(states[i]), BL_E_LIFECYCLE);
    }
    host_flash_power_on();
    assert_int_equal(stage_boot_state(&s), BL_E_DECOMMISSIONED);
    assert_int_equal(bl_lifecycle_end(), BL_OK);
    assert_int_equal(host_flash_ops(), 0);
    /* A manufacturing state that is decommissioned is erased the same way. */
    assert_int_equal(provision_secrets(AT), 0);
    assert_int_equal(bl_lifecycle_set(DEC), BL_OK);
    assert_int_equal(stage_boot_state(&s), BL_E_DECOMMISSIONED);
    assert_int_equal(stage_boot_state(&s), BL_E_DECOMMISSIONED);
    assert_int_equal(secrets_left(), 0);
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

/* Writes a chip record (smtool chip make's layout) with HUK bytes `huk_byte`, sealed or not. */
static void write_chip(uint8_t huk_byte, bool sealed)
{
    struct bl_chip chip;
    uint8_t units[(sizeof(chip) + 15) / 16 * 16];
    memset(&chip, 0, sizeof(chip));
    chip.magic = BL_CHIP_MAGIC;
    chip.version = BL_CHIP_VERSION;
    memset(chip.huk, huk_byte, sizeof(chip.huk));
    bl_sha256(&chip, offsetof(struct bl_chip, digest), chip.digest);
    if (!sealed) {
        chip.digest[5] ^= 1;
    }
    memset(units, 0xFF, sizeof(units));
    memcpy(units, &chip, sizeof(chip));
    assert_int_equal(plat_flash_program(FLASH_OTP_OFFSET + BL_CHIP_OFFSET, units, sizeof(units)),
                     PLAT_FLASH_OK);
}

/* A chip (its record, no device record yet) is in ASSEMBLY_AND_TEST, its counters keyed under
 * its own HUK, and boots nothing (no device record); a chip record that does not verify gives no
 * state; a chip record written into a development device's area changes nothing (the device's HUK
 * rules). */
static void test_chip(void **state)
{
    (void)state;
    uint8_t huk[32], want[32];
    assert_int_equal(plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE), PLAT_FLASH_OK);
    assert_int_equal(bl_chip_check(), BL_E_EMPTY);
    write_chip(0xA7, true);
    assert_int_equal(bl_chip_check(), BL_OK);
    assert_int_equal(bl_otp_huk(huk), BL_OK);
    memset(want, 0xA7, sizeof(want));
    assert_memory_equal(huk, want, sizeof(huk));
    assert_int_equal(bl_counter_provision(), BL_OK);
    assert_int_equal(get(), AT);
    uint32_t s = 0;
    /* Its boot stages stop at the missing device record (E18): nothing boots. */
    assert_int_equal(stage_boot_state(&s), BL_E_CONFIG);
    assert_int_equal(bl_lifecycle_set(PRV), BL_OK);
    assert_int_equal(get(), PRV);
    /* Broken chip record: no state at all. */
    assert_int_equal(plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE), PLAT_FLASH_OK);
    write_chip(0xA7, false);
    assert_int_equal(bl_chip_check(), BL_E_CONFIG);
    assert_int_equal(bl_lifecycle_get(&s), BL_E_CONFIG);
    assert_int_equal(stage_boot_state(&s), BL_E_CONFIG);
    /* A development device with a chip record planted beside its own: its HUK stays. */
    assert_int_equal(provision(SEC), 0);
    write_chip(0x11, true);
    assert_int_equal(bl_otp_huk(huk), BL_OK);
    memset(want, 0x3C, sizeof(want));
    assert_memory_equal(huk, want, sizeof(huk));
    assert_int_equal(get(), SEC);
}

/* One boot stage's start as far as the lifecycle goes. */
static int stage_boot(void)
{
    uint32_t s;
    return stage_boot_state(&s);
}

/* The decommissioning erase cut at each of its flash operations, clean and torn, then the
 * device powered on again (twice): no secret and no asset is left in the flash, and the
 * device boots nothing. Every cut but the one between the area's erase and its tombstone
 * leaves the tombstone; that one leaves the area blank (no provisioning: nothing boots). */
static void test_decommission_cut_at_every_operation(void **state)
{
    (void)state;
    assert_int_equal(provision_secrets(SEC), 0);
    assert_int_equal(bl_lifecycle_set(DEC), BL_OK);
    host_flash_power_on();
    assert_int_equal(stage_boot(), BL_E_DECOMMISSIONED); /* marked */
    assert_int_equal(stage_boot(), BL_E_DECOMMISSIONED); /* erased, at the reset */
    const long ops = host_flash_ops();
    assert_true(ops >= 5); /* mark, ITS sectors, counter sectors, the area, tombstone */
    for (int torn = 0; torn <= 1; torn++) {
        for (long n = 0; n < ops; n++) {
            host_flash_power_on();
            assert_int_equal(provision_secrets(SEC), 0);
            assert_int_equal(bl_lifecycle_set(DEC), BL_OK);
            host_flash_power_on();
            host_flash_on_cut(on_cut, NULL);
            host_flash_cut_after(n, torn);
            if (setjmp(cut_jmp) == 0) {
                (void)stage_boot();
                (void)stage_boot(); /* the reset: operations go on counting */
                fail_msg("cut at %ld did not cut", n);
            }
            host_flash_on_cut(NULL, NULL);
            for (int boot = 0; boot < 3; boot++) {
                host_flash_power_on();
                const int rc = stage_boot();
                if (rc != BL_E_DECOMMISSIONED && rc != BL_E_CONFIG) {
                    fail_msg("cut at %ld (%s), boot %d: %d", n, torn ? "torn" : "clean", boot, rc);
                }
            }
            const unsigned left = secrets_left();
            if (left != 0) {
                fail_msg("cut at %ld (%s): secrets %#x left", n, torn ? "torn" : "clean", left);
            }
            assert_true(area_erased(FLASH_ITS_OFFSET, FLASH_ITS_SIZE_MAX));
            assert_true(area_erased(FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE));
            if (bl_otp_check() != BL_E_DECOMMISSIONED) {
                /* Blank: a torn erase may leave noise in the area's last unit and a torn
                 * tombstone some in its first, never anything in between. */
                if (!area_erased(FLASH_OTP_OFFSET + 16, sizeof(struct bl_otp) - 16)) {
                    fail_msg("cut at %ld (%s): the provisioning area is left", n,
                             torn ? "torn" : "clean");
                }
            }
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
        cmocka_unit_test_setup_teardown(test_boot_in_each_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decommission_cut_at_every_operation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
