/*
 * test_fwu.c: the PSA Firmware Update service on the host: the API called by the program (the
 * NS client, client id -1) and by a partition (TEST_FWU_CLIENT), served by the update partition
 * through the SM core, over a device provisioned and programmed by smtool (the real signing
 * keys, image encryption key and counters), with a boot stage run before each start of the SM.
 *
 * Each case runs one or more boots (fwu_fixture.h): a child process that runs the boot core's
 * decisions, starts the SM and runs the case's code as the NS application. Images are made by
 * smtool sign: every way an image can fail `finish` has one.
 *
 * Usage: test_fwu SMTOOL
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flash_map.h"
#include "fwu_client.h"
#include "fwu_fixture.h"
#include "host_flash.h"
#include "host_system.h"
#include "plat_flash.h"
#include "psa/client.h"
#include "psa/update.h"
#include "psa_manifest/sid.h"
#include "sm_host.h"

static int fresh(void **state)
{
    (void)state;
    return fwu_fresh();
}

static void boot(int (*run)(void))
{
    assert_int_equal(fwu_boot(run), 0);
}

/* ---- helpers the boots use ---- */

static int state_of(psa_fwu_component_t c)
{
    psa_fwu_component_info_t info;
    if (psa_fwu_query(c, &info) != PSA_SUCCESS) {
        return -1;
    }
    return info.state;
}

/* start, write in blocks of `block` bytes, finish: finish's status. */
static psa_status_t download(psa_fwu_component_t c, const struct fwu_image *img, size_t block)
{
    psa_status_t s = psa_fwu_start(c, NULL, 0);
    for (size_t off = 0; s == PSA_SUCCESS && off < img->n; off += block) {
        size_t n = img->n - off < block ? img->n - off : block;
        s = psa_fwu_write(c, off, img->b + off, n);
    }
    return s == PSA_SUCCESS ? psa_fwu_finish(c) : s;
}

static int stage(psa_fwu_component_t c, const struct fwu_image *img)
{
    EXPECT_STATUS(download(c, img, PSA_FWU_MAX_WRITE_SIZE), PSA_SUCCESS);
    EXPECT(state_of(c) == PSA_FWU_CANDIDATE);
    EXPECT_STATUS(psa_fwu_install(), PSA_SUCCESS_REBOOT);
    EXPECT(state_of(c) == PSA_FWU_STAGED);
    return 0;
}

static int stage_ns(void)
{
    return stage(NS, &ns2);
}

/* ---- query ---- */

static int run_query(void)
{
    psa_fwu_component_info_t info;
    static const struct {
        psa_fwu_component_t c;
        uint32_t max, location;
        uint8_t major;
    } present[] = {
        {PSA_FWU_COMPONENT_UROT, FLASH_UROT_SLOT_SIZE - 64, FLASH_UROT_PRIMARY_OFFSET, 0},
        {SM, FLASH_SM_SLOT_SIZE - 64, FLASH_SM_PRIMARY_OFFSET, 1},
        {NS, FLASH_NS_SLOT_SIZE - 64, FLASH_NS_PRIMARY_OFFSET, 1},
        {MOD, FLASH_MODULE_SLOT_SIZE - 64, FLASH_MODULES_OFFSET, 1},
    };
    for (size_t i = 0; i < sizeof(present) / sizeof(present[0]); i++) {
        memset(&info, 0xA5, sizeof(info));
        EXPECT_STATUS(psa_fwu_query(present[i].c, &info), PSA_SUCCESS);
        EXPECT(info.state == PSA_FWU_READY && info.error == 0);
        EXPECT(info.max_size == present[i].max && info.location == present[i].location);
        EXPECT(info.flags == PSA_FWU_FLAG_ENCRYPTION);
        EXPECT(info.version.major == present[i].major && info.version.minor == 0 &&
               info.version.patch == 0 && info.version.build == 0);
        /* The boot stage raised each confirmed image's counter to its own. */
        EXPECT(info.impl.min_security_counter == (present[i].major != 0 ? 1u : 0u));
    }
    /* Module slots 1..3 are not in use; 7 and up are no component at all. */
    for (unsigned c = MOD + 1; c < 256; c++) {
        EXPECT_STATUS(psa_fwu_query((psa_fwu_component_t)c, &info), PSA_ERROR_DOES_NOT_EXIST);
        EXPECT(info.state == 0 && info.max_size == 0); /* a safe default on errors */
        EXPECT_STATUS(psa_fwu_start((psa_fwu_component_t)c, NULL, 0), PSA_ERROR_DOES_NOT_EXIST);
        EXPECT_STATUS(psa_fwu_write((psa_fwu_component_t)c, 0, "0123456789abcdef", 16),
                      PSA_ERROR_DOES_NOT_EXIST);
        EXPECT_STATUS(psa_fwu_finish((psa_fwu_component_t)c), PSA_ERROR_DOES_NOT_EXIST);
        EXPECT_STATUS(psa_fwu_cancel((psa_fwu_component_t)c), PSA_ERROR_DOES_NOT_EXIST);
        EXPECT_STATUS(psa_fwu_clean((psa_fwu_component_t)c), PSA_ERROR_DOES_NOT_EXIST);
    }
    EXPECT_STATUS(psa_fwu_query(NS, NULL), PSA_ERROR_INVALID_ARGUMENT);
    return 0;
}

static void test_query(void **state)
{
    (void)state;
    boot(run_query);
}

/* ---- every call in every state ---- */

enum op { OP_START, OP_WRITE, OP_FINISH, OP_CANCEL, OP_CLEAN, OP_INSTALL, OP_REJECT, OP_ACCEPT };
#define OPS    8
#define STATES 8

static const char *const op_names[OPS] = {"start", "write",   "finish", "cancel",
                                          "clean", "install", "reject", "accept"};

/* The status each call gives in each state (of the NS component, the only one updating), and
 * the state it leaves (the specification's default state model; BAD_STATE changes nothing). */
static const struct {
    psa_status_t status;
    uint8_t next;
} expected[STATES][OPS] = {
#define BS(s)                                                                                      \
    {                                                                                              \
        PSA_ERROR_BAD_STATE, PSA_FWU_##s                                                           \
    }
    [PSA_FWU_READY] = {{PSA_SUCCESS, PSA_FWU_WRITING},
                       BS(READY),
                       BS(READY),
                       BS(READY),
                       BS(READY),
                       BS(READY),
                       BS(READY),
                       BS(READY)},
    [PSA_FWU_WRITING] = {BS(WRITING),
                         {PSA_SUCCESS, PSA_FWU_WRITING},
                         {PSA_ERROR_INVALID_ARGUMENT, PSA_FWU_FAILED}, /* 16 bytes: no image */
                         {PSA_SUCCESS, PSA_FWU_FAILED},
                         BS(WRITING),
                         BS(WRITING),
                         BS(WRITING),
                         BS(WRITING)},
    [PSA_FWU_CANDIDATE] = {BS(CANDIDATE),
                           BS(CANDIDATE),
                           BS(CANDIDATE),
                           {PSA_SUCCESS, PSA_FWU_FAILED},
                           BS(CANDIDATE),
                           {PSA_SUCCESS_REBOOT, PSA_FWU_STAGED},
                           BS(CANDIDATE),
                           BS(CANDIDATE)},
    [PSA_FWU_STAGED] = {BS(STAGED),
                        BS(STAGED),
                        BS(STAGED),
                        BS(STAGED),
                        BS(STAGED),
                        BS(STAGED),
                        {PSA_SUCCESS, PSA_FWU_FAILED},
                        BS(STAGED)},
    [PSA_FWU_FAILED] = {BS(FAILED),
                        BS(FAILED),
                        BS(FAILED),
                        BS(FAILED),
                        {PSA_SUCCESS, PSA_FWU_READY},
                        BS(FAILED),
                        BS(FAILED),
                        BS(FAILED)},
    [PSA_FWU_TRIAL] = {BS(TRIAL),
                       BS(TRIAL),
                       BS(TRIAL),
                       BS(TRIAL),
                       BS(TRIAL),
                       BS(TRIAL),
                       {PSA_SUCCESS_REBOOT, PSA_FWU_REJECTED},
                       {PSA_SUCCESS, PSA_FWU_UPDATED}},
    [PSA_FWU_REJECTED] = {BS(REJECTED), BS(REJECTED), BS(REJECTED), BS(REJECTED), BS(REJECTED),
                          BS(REJECTED), BS(REJECTED), BS(REJECTED)},
    [PSA_FWU_UPDATED] = {BS(UPDATED),
                         BS(UPDATED),
                         BS(UPDATED),
                         BS(UPDATED),
                         {PSA_SUCCESS, PSA_FWU_READY},
                         BS(UPDATED),
                         BS(UPDATED),
                         BS(UPDATED)},
#undef BS
};

static uint8_t case_state;
static enum op case_op;

static psa_status_t do_op(enum op op)
{
    static const uint8_t block[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    switch (op) {
    case OP_START:
        return psa_fwu_start(NS, NULL, 0);
    case OP_WRITE:
        return psa_fwu_write(NS, 0, block, sizeof(block));
    case OP_FINISH:
        return psa_fwu_finish(NS);
    case OP_CANCEL:
        return psa_fwu_cancel(NS);
    case OP_CLEAN:
        return psa_fwu_clean(NS);
    case OP_INSTALL:
        return psa_fwu_install();
    case OP_REJECT:
        return psa_fwu_reject(-1234);
    default:
        return psa_fwu_accept();
    }
}

/* In the boot after the install for TRIAL, REJECTED and UPDATED; otherwise in one boot. */
static int run_case(void)
{
    switch (case_state) {
    case PSA_FWU_READY:
        break;
    case PSA_FWU_WRITING:
        EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_SUCCESS);
        break;
    case PSA_FWU_CANDIDATE:
        EXPECT_STATUS(download(NS, &ns2, 63 * 16), PSA_SUCCESS);
        break;
    case PSA_FWU_STAGED:
        EXPECT(stage(NS, &ns2) == 0);
        break;
    case PSA_FWU_FAILED:
        EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_SUCCESS);
        EXPECT_STATUS(psa_fwu_cancel(NS), PSA_SUCCESS);
        break;
    case PSA_FWU_TRIAL:
        break;
    case PSA_FWU_REJECTED:
        EXPECT_STATUS(psa_fwu_reject(7), PSA_SUCCESS_REBOOT);
        break;
    default:
        EXPECT_STATUS(psa_fwu_accept(), PSA_SUCCESS);
        break;
    }
    EXPECT(state_of(NS) == case_state);
    const psa_status_t status = do_op(case_op);
    if (status != expected[case_state][case_op].status) {
        fprintf(stderr, "%s in state %u gave %d\n", op_names[case_op], case_state, (int)status);
    }
    EXPECT(status == expected[case_state][case_op].status);
    EXPECT(state_of(NS) == expected[case_state][case_op].next);
    EXPECT(state_of(SM) == PSA_FWU_READY); /* calls on every component touch no other one */
    return 0;
}

static void test_every_call_in_every_state(void **state)
{
    for (uint8_t s = 0; s < STATES; s++) {
        for (int op = 0; op < OPS; op++) {
            fresh(state);
            case_state = s;
            case_op = (enum op)op;
            if (s == PSA_FWU_TRIAL || s == PSA_FWU_REJECTED || s == PSA_FWU_UPDATED) {
                boot(stage_ns);
            }
            if (fwu_boot(run_case) != 0) {
                fail_msg("%s in state %u", op_names[op], s);
            }
        }
    }
}

/* ---- arguments ---- */

static int run_arguments(void)
{
    uint8_t block[PSA_FWU_MAX_WRITE_SIZE + 16];
    memset(block, 0x5A, sizeof(block));
    const size_t max = FLASH_NS_SLOT_SIZE - 64;
    EXPECT_STATUS(psa_fwu_start(NS, "manifest", 8), PSA_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(psa_fwu_start(NS, NULL, 8), PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(state_of(NS) == PSA_FWU_READY);
    EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_write(NS, 8, block, 16), PSA_ERROR_INVALID_ARGUMENT); /* unaligned */
    EXPECT_STATUS(psa_fwu_write(NS, 1, block, 16), PSA_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(psa_fwu_write(NS, 0, block, 0), PSA_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(psa_fwu_write(NS, 0, block, PSA_FWU_MAX_WRITE_SIZE + 1),
                  PSA_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(psa_fwu_write(NS, 0, block, PSA_FWU_MAX_WRITE_SIZE + 16),
                  PSA_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(psa_fwu_write(NS, max, block, 16), PSA_ERROR_INVALID_ARGUMENT); /* past max */
    EXPECT_STATUS(psa_fwu_write(NS, max - 16, block, 32), PSA_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(psa_fwu_write(NS, max - 16, block, 17), PSA_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(psa_fwu_write(NS, 0x7FFFFFF0u, block, 16), PSA_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(psa_fwu_write(NS, 0xFFFFFFF0u, block, 32),
                  PSA_ERROR_INVALID_ARGUMENT); /* wraps */
    EXPECT_STATUS(psa_fwu_write(NS, (size_t)UINT32_MAX + 1u, block, 16),
                  PSA_ERROR_INVALID_ARGUMENT); /* no 32-bit offset */
    EXPECT_STATUS(psa_fwu_write(NS, SIZE_MAX & ~(size_t)15, block, 16), PSA_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(psa_fwu_write(NS, 0, NULL, 16), PSA_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(psa_fwu_write(NS, 0, (const void *)(UINTPTR_MAX - 7u), 16),
                  PSA_ERROR_INVALID_ARGUMENT); /* wraps the address space */
    /* Nothing was written by any of those. */
    EXPECT(state_of(NS) == PSA_FWU_WRITING);
    /* The last unit below the trailer may be written; writing again with the same bytes is
     * fine, other bytes are refused. */
    EXPECT_STATUS(psa_fwu_write(NS, max - 16, block, 16), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_write(NS, max - 16, block, 16), PSA_SUCCESS);
    block[3] ^= 1;
    EXPECT_STATUS(psa_fwu_write(NS, max - 16, block, 16), PSA_ERROR_INVALID_ARGUMENT);
    block[3] ^= 1;
    /* A block of an unaligned size is padded with the erased value. */
    EXPECT_STATUS(psa_fwu_write(NS, 4096, block, 5), PSA_SUCCESS);
    uint8_t unit[16];
    memcpy(unit, block, 5);
    memset(unit + 5, 0xFF, 11);
    EXPECT_STATUS(psa_fwu_write(NS, 4096, unit, 16), PSA_SUCCESS); /* the same bytes */
    /* The largest block, at an offset that is aligned but not to the block. */
    EXPECT_STATUS(psa_fwu_write(NS, 16 * 1000, block, PSA_FWU_MAX_WRITE_SIZE), PSA_SUCCESS);
    EXPECT(state_of(NS) == PSA_FWU_WRITING);
    return 0;
}

static void test_arguments(void **state)
{
    (void)state;
    boot(run_arguments);
    /* What the writes left in flash: the blocks at their offsets, the padding, the trailer
     * untouched (erased and never programmed). */
    assert_int_equal(host_flash_open_dir(fwu_dev, false), PLAT_FLASH_OK);
    uint8_t got[FLASH_PROGRAM_UNIT], want[FLASH_PROGRAM_UNIT];
    const uint32_t dl = FLASH_NS_SECONDARY_OFFSET;
    memset(want, 0x5A, sizeof(want));
    assert_int_equal(plat_flash_read(dl + FLASH_NS_SLOT_SIZE - 80, got, 16), PLAT_FLASH_OK);
    assert_memory_equal(got, want, 16);
    assert_int_equal(plat_flash_read(dl + 4096, got, 16), PLAT_FLASH_OK);
    memset(want + 5, 0xFF, 11);
    assert_memory_equal(got, want, 16);
    for (uint32_t u = 0; u < 64; u += 16) {
        assert_int_equal(plat_flash_is_programmed(dl + FLASH_NS_SLOT_SIZE - 64 + u), 0);
    }
    assert_int_equal(plat_flash_is_programmed(dl + 16 * 1000 + PSA_FWU_MAX_WRITE_SIZE), 0);
    assert_int_equal(plat_flash_is_programmed(dl + 16 * 1000 + PSA_FWU_MAX_WRITE_SIZE - 16), 1);
    host_flash_close();
}

/* ---- finish: every way an image fails ---- */

static const struct fwu_image *finish_image;
static psa_status_t finish_expected;

static int run_finish(void)
{
    EXPECT_STATUS(download(NS, finish_image, 512), finish_expected);
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    if (finish_expected == PSA_SUCCESS) {
        EXPECT(info.state == PSA_FWU_CANDIDATE && info.error == 0);
    } else {
        EXPECT(info.state == PSA_FWU_FAILED && info.error == finish_expected);
        EXPECT_STATUS(psa_fwu_install(), PSA_ERROR_BAD_STATE); /* nothing to install */
    }
    return 0;
}

/* After a reboot: the state and the reason are still there (both recorded in flash). */
static int run_finish_after(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    if (finish_expected == PSA_SUCCESS) {
        EXPECT(info.state == PSA_FWU_CANDIDATE && info.error == 0);
        EXPECT(info.version.major == 1); /* not installed by that boot */
    } else {
        EXPECT(info.state == PSA_FWU_FAILED && info.error == finish_expected);
        EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
        EXPECT(state_of(NS) == PSA_FWU_READY);
    }
    return 0;
}

static void test_finish(void **state)
{
    static const struct {
        const struct fwu_image *img;
        psa_status_t status;
    } cases[] = {
        {&ns2, PSA_SUCCESS},
        {&garbage, PSA_ERROR_INVALID_ARGUMENT},       /* not an image */
        {&ns_oversize, PSA_ERROR_INVALID_ARGUMENT},   /* a header past its slot */
        {&ns_truncated, PSA_ERROR_INVALID_SIGNATURE}, /* cut short */
        {&ns_flipped, PSA_ERROR_INVALID_SIGNATURE},   /* hash */
        {&ns_other_key, PSA_ERROR_INVALID_SIGNATURE}, /* another kind's key */
        {&ns_other_dev, PSA_ERROR_INVALID_SIGNATURE}, /* encrypted for another device */
        {&ns_rollback, PSA_ERROR_NOT_PERMITTED},      /* counter below the device's */
        {&ns_plain, PSA_ERROR_NOT_PERMITTED},         /* not encrypted: the policy */
        {&sm2, PSA_ERROR_INVALID_SIGNATURE},          /* the SM's key, for NS */
        {&ns_dep_unmet, PSA_SUCCESS},                 /* dependencies: at install */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fresh(state);
        finish_image = cases[i].img;
        finish_expected = cases[i].status;
        if (fwu_boot(run_finish) != 0 || fwu_boot(run_finish_after) != 0) {
            fail_msg("finish case %zu", i);
        }
    }
}

/* ---- install, trial, accept, reject, reboots ---- */

static int run_trial_accept(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_TRIAL && info.version.major == 2);
    EXPECT(info.impl.min_security_counter == 1); /* a trial image raises nothing yet */
    EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_ERROR_BAD_STATE);
    EXPECT_STATUS(psa_fwu_install(), PSA_ERROR_BAD_STATE);
    EXPECT_STATUS(psa_fwu_accept(), PSA_SUCCESS);
    EXPECT(state_of(NS) == PSA_FWU_UPDATED);
    return 0;
}

static int run_updated(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_UPDATED && info.version.major == 2);
    EXPECT(info.impl.min_security_counter == 2); /* confirmed: the counter rose */
    EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
    EXPECT(state_of(NS) == PSA_FWU_READY);
    return 0;
}

static int run_ready_v2(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_READY && info.version.major == 2);
    /* The old image is gone: an image signed before the accepted one is refused now. */
    EXPECT_STATUS(download(NS, &ns_rollback, 4096), PSA_ERROR_NOT_PERMITTED);
    return 0;
}

static void test_update_accepted(void **state)
{
    fresh(state);
    boot(stage_ns);
    boot(run_trial_accept);
    boot(run_updated);
    boot(run_ready_v2);
}

static int run_trial_reject(void)
{
    EXPECT(state_of(NS) == PSA_FWU_TRIAL);
    EXPECT_STATUS(psa_fwu_reject(-77), PSA_SUCCESS_REBOOT);
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_REJECTED && info.error == -77);
    EXPECT_STATUS(psa_fwu_accept(), PSA_ERROR_BAD_STATE);
    EXPECT_STATUS(psa_fwu_reject(0), PSA_ERROR_BAD_STATE);
    return 0;
}

static int run_trial(void)
{
    return state_of(NS) == PSA_FWU_TRIAL ? 0 : __LINE__;
}

/* After the boot that reverted the trial: the old image runs, the rejected one waits to be
 * cleaned. */
static int run_reverted(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_FAILED && info.version.major == 1);
    EXPECT(info.impl.min_security_counter == 1);
    EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
    EXPECT(state_of(NS) == PSA_FWU_READY);
    /* The same update can be made again. */
    EXPECT_STATUS(download(NS, &ns2, 4096), PSA_SUCCESS);
    return 0;
}

static void test_update_rejected(void **state)
{
    fresh(state);
    boot(stage_ns);
    boot(run_trial_reject);
    boot(run_reverted);
}

static void test_update_not_accepted(void **state)
{
    fresh(state);
    boot(stage_ns);
    boot(run_trial);    /* the trial run: no accept */
    boot(run_reverted); /* the boot stage reverted it */
}

static int run_staged_reject(void)
{
    EXPECT(stage(NS, &ns2) == 0);
    EXPECT_STATUS(psa_fwu_reject(-5), PSA_SUCCESS);
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_FAILED && info.error == -5);
    return 0;
}

/* The rejected staged image was not installed by the boot. */
static int run_after_staged_reject(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_FAILED && info.error == -5 && info.version.major == 1);
    return 0;
}

static void test_staged_rejected(void **state)
{
    fresh(state);
    boot(run_staged_reject);
    boot(run_after_staged_reject);
}

static int run_interrupted(void)
{
    EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_write(NS, 0, ns2.b, 4096), PSA_SUCCESS);
    return 0; /* the device stops here: a reboot in WRITING */
}

static int run_after_interrupted(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_FAILED && info.error == PSA_ERROR_GENERIC_ERROR);
    EXPECT_STATUS(psa_fwu_write(NS, 4096, ns2.b + 4096, 16), PSA_ERROR_BAD_STATE);
    EXPECT_STATUS(psa_fwu_finish(NS), PSA_ERROR_BAD_STATE);
    EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
    EXPECT_STATUS(download(NS, &ns2, 4096), PSA_SUCCESS);
    return 0;
}

static int run_started_only(void)
{
    EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_SUCCESS);
    return 0;
}

static int run_ready(void)
{
    return state_of(NS) == PSA_FWU_READY ? 0 : __LINE__;
}

static void test_interrupted_download(void **state)
{
    fresh(state);
    boot(run_interrupted);
    boot(run_after_interrupted);
    /* Nothing written yet: nothing to discard, READY again (the volatile WRITING's reboot). */
    fresh(state);
    boot(run_started_only);
    boot(run_ready);
}

static int run_candidate_persists(void)
{
    EXPECT(state_of(NS) == PSA_FWU_CANDIDATE);
    EXPECT_STATUS(psa_fwu_install(), PSA_SUCCESS_REBOOT);
    return 0;
}

static int run_download_ns(void)
{
    EXPECT_STATUS(download(NS, &ns2, 4096), PSA_SUCCESS);
    return 0;
}

static void test_candidate_survives_reboot(void **state)
{
    fresh(state);
    boot(run_download_ns);
    boot(run_candidate_persists);
    boot(run_trial);
}

static int run_cancel_candidate(void)
{
    EXPECT_STATUS(download(NS, &ns2, 4096), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_cancel(NS), PSA_SUCCESS);
    return 0;
}

static int run_failed_zero(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_FAILED && info.error == 0);
    EXPECT_STATUS(psa_fwu_install(), PSA_ERROR_BAD_STATE);
    return 0;
}

static void test_cancelled_candidate(void **state)
{
    fresh(state);
    boot(run_cancel_candidate);
    boot(run_failed_zero);
    boot(run_failed_zero); /* and it stays so: the boot stage installed nothing */
}

/* ---- dependencies and several components ---- */

static int run_dependency(void)
{
    /* Met by the confirmed SM 1.0.0. */
    EXPECT_STATUS(download(NS, &ns_dep_met, 4096), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_install(), PSA_SUCCESS_REBOOT);
    EXPECT_STATUS(psa_fwu_reject(0), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
    /* SM 2.0.0 needed: not there. */
    EXPECT_STATUS(download(NS, &ns_dep_unmet, 4096), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_install(), PSA_ERROR_DEPENDENCY_NEEDED);
    EXPECT(state_of(NS) == PSA_FWU_CANDIDATE); /* unchanged, as the specification says */
    /* SM 3.0.0 needed, and the SM 2.0.0 of the same install is not that. */
    EXPECT_STATUS(psa_fwu_cancel(NS), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
    EXPECT_STATUS(download(NS, &ns_dep_ahead, 4096), PSA_SUCCESS);
    EXPECT_STATUS(download(SM, &sm2, 4096), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_install(), PSA_ERROR_DEPENDENCY_NEEDED);
    EXPECT(state_of(NS) == PSA_FWU_CANDIDATE && state_of(SM) == PSA_FWU_CANDIDATE);
    /* SM 2.0.0 needed, and in the same install: met, since the two go in (and back) as one;
     * the boot stage counts the new SM too (both are on trial after the boot). */
    EXPECT_STATUS(psa_fwu_cancel(NS), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
    EXPECT_STATUS(download(NS, &ns_dep_unmet, 4096), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_install(), PSA_SUCCESS_REBOOT);
    EXPECT(state_of(NS) == PSA_FWU_STAGED && state_of(SM) == PSA_FWU_STAGED);
    return 0;
}

/* The uRoT goes in alone (the iRoT has no install groups): with another candidate, install is
 * refused and changes nothing; alone it is staged. */
static int run_urot_alone(void)
{
    EXPECT_STATUS(download(PSA_FWU_COMPONENT_UROT, &urot2, 4096), PSA_SUCCESS);
    EXPECT_STATUS(download(NS, &ns2, 4096), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_install(), PSA_ERROR_NOT_PERMITTED);
    EXPECT(state_of(PSA_FWU_COMPONENT_UROT) == PSA_FWU_CANDIDATE &&
           state_of(NS) == PSA_FWU_CANDIDATE);
    EXPECT_STATUS(psa_fwu_cancel(NS), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_install(), PSA_SUCCESS_REBOOT);
    EXPECT(state_of(PSA_FWU_COMPONENT_UROT) == PSA_FWU_STAGED);
    return 0;
}

static int run_both_trial(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_TRIAL && info.version.major == 2);
    EXPECT_STATUS(psa_fwu_query(SM, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_TRIAL && info.version.major == 2);
    EXPECT_STATUS(psa_fwu_accept(), PSA_SUCCESS);
    EXPECT(state_of(NS) == PSA_FWU_UPDATED && state_of(SM) == PSA_FWU_UPDATED);
    return 0;
}

static void test_dependencies_and_two_components(void **state)
{
    fresh(state);
    boot(run_dependency);
    boot(run_both_trial);
    fresh(state);
    boot(run_urot_alone);
}

/* ---- install: an error part way through the requests ---- */

static int run_download_sm_ns(void)
{
    EXPECT_STATUS(download(SM, &sm2, 4096), PSA_SUCCESS);
    EXPECT_STATUS(download(NS, &ns2, 4096), PSA_SUCCESS);
    return 0;
}

/* NS's request unit cannot take the request (programmed by something else): the install fails
 * after the SM's request was made. The specification (psa_fwu_install): when an error occurs
 * installing any image none is installed, and on such an error the components are all FAILED
 * or all still CANDIDATE; none may be left STAGED by a call that failed. */
static int run_install_request_fails(void)
{
    EXPECT(state_of(SM) == PSA_FWU_CANDIDATE && state_of(NS) == PSA_FWU_CANDIDATE);
    EXPECT_STATUS(psa_fwu_install(), PSA_ERROR_STORAGE_FAILURE);
    EXPECT(state_of(SM) != PSA_FWU_STAGED && state_of(SM) == state_of(NS));
    EXPECT(state_of(SM) == PSA_FWU_FAILED);
    EXPECT_STATUS(psa_fwu_reject(0), PSA_ERROR_BAD_STATE); /* nothing staged */
    EXPECT_STATUS(psa_fwu_clean(SM), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
    return 0;
}

/* The boot after it installed nothing. */
static int run_nothing_installed(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(SM, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_READY && info.version.major == 1);
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_READY && info.version.major == 1);
    return 0;
}

static void test_install_request_fails(void **state)
{
    static const uint8_t junk[16] = {0x5A, 0x5A, 0x5A, 0x5A};
    fresh(state);
    boot(run_download_sm_ns);
    assert_int_equal(host_flash_open_dir(fwu_dev, false), PLAT_FLASH_OK);
    assert_int_equal(
        plat_flash_program(FLASH_NS_SECONDARY_OFFSET + FLASH_NS_SLOT_SIZE - 16, junk, sizeof(junk)),
        PLAT_FLASH_OK);
    host_flash_close();
    boot(run_install_request_fails);
    boot(run_nothing_installed);
}

/* ---- flash wear: PSA_ERROR_FLASH_ABUSE ---- */

/* Four downloads cleaned away in one boot are allowed; the fifth download's first write is
 * refused, writes nothing, and leaves the component WRITING (cancel and clean still work). */
static int run_wear(void)
{
    const uint8_t *b = ns2.b;
    for (int i = 0; i < 4; i++) {
        EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_SUCCESS);
        EXPECT_STATUS(psa_fwu_write(NS, 0, b, 4096), PSA_SUCCESS);
        EXPECT_STATUS(psa_fwu_cancel(NS), PSA_SUCCESS);
        EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
    }
    EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_write(NS, 0, b, 4096), PSA_ERROR_FLASH_ABUSE);
    EXPECT(state_of(NS) == PSA_FWU_WRITING);
    /* Another component has its own allowance. */
    EXPECT_STATUS(psa_fwu_start(SM, NULL, 0), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_write(SM, 0, sm2.b, 4096), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_cancel(SM), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_clean(SM), PSA_SUCCESS);
    /* Nothing was written: cancel leaves a FAILED mark only, and clean erases that. */
    EXPECT_STATUS(psa_fwu_cancel(NS), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_write(NS, 0, b, 4096), PSA_ERROR_FLASH_ABUSE);
    return 0;
}

/* The limit is per boot: after a reboot the download goes through. */
static int run_wear_next_boot(void)
{
    EXPECT(state_of(NS) == PSA_FWU_READY); /* WRITING with nothing written */
    EXPECT_STATUS(download(NS, &ns2, 4096), PSA_SUCCESS);
    EXPECT(state_of(NS) == PSA_FWU_CANDIDATE);
    return 0;
}

static void test_flash_abuse(void **state)
{
    fresh(state);
    boot(run_wear);
    boot(run_wear_next_boot);
}

/* ---- a partition as the client: the policy ---- */

static psa_status_t part(uint32_t type, uint32_t component, const void *data, size_t n,
                         psa_fwu_component_info_t *info)
{
    struct fwu_client_args a = {.component = component};
    psa_invec in[2] = {{&a, sizeof(a)}, {data, n}};
    psa_outvec out[1] = {{info, info != NULL ? sizeof(*info) : 0}};
    return psa_call(TEST_FWU_CLIENT_HANDLE, (int32_t)type, in, 2, out, info != NULL ? 1 : 0);
}

static int run_partition(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(part(FWU_CLIENT_QUERY, NS, NULL, 0, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_READY && info.version.major == 1);
    EXPECT_STATUS(part(FWU_CLIENT_QUERY, MOD, NULL, 0, &info), PSA_SUCCESS);
    /* The boot chain is not the partition's to update, nor even to look at. */
    EXPECT_STATUS(part(FWU_CLIENT_QUERY, SM, NULL, 0, &info), PSA_ERROR_NOT_PERMITTED);
    EXPECT_STATUS(part(FWU_CLIENT_QUERY, PSA_FWU_COMPONENT_UROT, NULL, 0, &info),
                  PSA_ERROR_NOT_PERMITTED);
    EXPECT_STATUS(part(FWU_CLIENT_START, SM, NULL, 0, NULL), PSA_ERROR_NOT_PERMITTED);
    EXPECT(state_of(SM) == PSA_FWU_READY);
    EXPECT_STATUS(part(FWU_CLIENT_QUERY, 9, NULL, 0, &info), PSA_ERROR_DOES_NOT_EXIST);
    /* A module update from the partition, in blocks of its buffer's size. */
    EXPECT_STATUS(part(FWU_CLIENT_START, MOD, NULL, 0, NULL), PSA_SUCCESS);
    for (size_t off = 0; off < mod2.n; off += FWU_CLIENT_BUF) {
        size_t n = mod2.n - off < FWU_CLIENT_BUF ? mod2.n - off : FWU_CLIENT_BUF;
        struct fwu_client_args a = {.component = MOD, .offset = (uint32_t)off};
        psa_invec in[2] = {{&a, sizeof(a)}, {mod2.b + off, n}};
        EXPECT_STATUS(psa_call(TEST_FWU_CLIENT_HANDLE, FWU_CLIENT_WRITE, in, 2, NULL, 0),
                      PSA_SUCCESS);
    }
    EXPECT_STATUS(part(FWU_CLIENT_FINISH, MOD, NULL, 0, NULL), PSA_SUCCESS);
    /* With an SM candidate (from NS) as well, the partition may not install both. */
    EXPECT_STATUS(download(SM, &sm2, 4096), PSA_SUCCESS);
    EXPECT_STATUS(part(FWU_CLIENT_INSTALL, 0, NULL, 0, NULL), PSA_ERROR_NOT_PERMITTED);
    EXPECT(state_of(SM) == PSA_FWU_CANDIDATE && state_of(MOD) == PSA_FWU_CANDIDATE);
    EXPECT_STATUS(psa_fwu_cancel(SM), PSA_SUCCESS);
    EXPECT_STATUS(part(FWU_CLIENT_INSTALL, 0, NULL, 0, NULL), PSA_SUCCESS_REBOOT);
    EXPECT(state_of(MOD) == PSA_FWU_STAGED);
    /* The update service's device calls are the update partition's alone. */
    EXPECT(!sm_host_partition_stopped("TEST_FWU_CLIENT"));
    EXPECT_STATUS(part(FWU_CLIENT_DEVICE, NS, NULL, 0, NULL), PSA_ERROR_SERVICE_FAILURE);
    EXPECT(sm_host_partition_stopped("TEST_FWU_CLIENT"));
    EXPECT(state_of(MOD) == PSA_FWU_STAGED);
    return 0;
}

static int run_module_trial(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(MOD, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_TRIAL && info.version.major == 2);
    EXPECT_STATUS(part(FWU_CLIENT_ACCEPT, 0, NULL, 0, NULL), PSA_SUCCESS);
    EXPECT(state_of(MOD) == PSA_FWU_UPDATED);
    return 0;
}

static void test_partition_client(void **state)
{
    fresh(state);
    boot(run_partition);
    boot(run_module_trial);
}

/* ---- the NS world's part of the policy, from the install configuration ---- */

/* Provisioned with --ns-updates ns,module0: the SM and the uRoT are not the NS world's to
 * update (not even to query), NS and module 0 are. */
static int run_ns_restricted(void)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(SM, &info), PSA_ERROR_NOT_PERMITTED);
    EXPECT_STATUS(psa_fwu_query(PSA_FWU_COMPONENT_UROT, &info), PSA_ERROR_NOT_PERMITTED);
    EXPECT_STATUS(psa_fwu_start(SM, NULL, 0), PSA_ERROR_NOT_PERMITTED);
    EXPECT_STATUS(psa_fwu_write(SM, 0, sm2.b, 1024), PSA_ERROR_NOT_PERMITTED);
    EXPECT_STATUS(psa_fwu_clean(PSA_FWU_COMPONENT_UROT), PSA_ERROR_NOT_PERMITTED);
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    EXPECT(info.state == PSA_FWU_READY && info.version.major == 1);
    EXPECT_STATUS(psa_fwu_query(MOD, &info), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_cancel(NS), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
    return 0;
}

static void test_ns_policy_from_install_config(void **state)
{
    (void)state;
    fwu_use_restricted(true);
    const int rc = fwu_boot(run_ns_restricted);
    fwu_use_restricted(false);
    assert_int_equal(rc, 0);
}

/* ---- request_reboot ---- */

static int run_reboot(void)
{
    EXPECT(stage(NS, &ns2) == 0);
    (void)psa_fwu_request_reboot();
    return __LINE__; /* not reached: the device resets */
}

static void test_request_reboot(void **state)
{
    fresh(state);
    assert_int_equal(fwu_boot(run_reboot), HOST_EXIT_RESET);
    boot(run_trial);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_fwu SMTOOL\n");
        return 2;
    }
    if (fwu_world(argv[1]) != 0) {
        fprintf(stderr, "test_fwu: cannot make the keys, devices and images\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_query, fresh),
        cmocka_unit_test(test_every_call_in_every_state),
        cmocka_unit_test_setup(test_arguments, fresh),
        cmocka_unit_test(test_finish),
        cmocka_unit_test(test_update_accepted),
        cmocka_unit_test(test_update_rejected),
        cmocka_unit_test(test_update_not_accepted),
        cmocka_unit_test(test_staged_rejected),
        cmocka_unit_test(test_interrupted_download),
        cmocka_unit_test(test_candidate_survives_reboot),
        cmocka_unit_test(test_cancelled_candidate),
        cmocka_unit_test(test_dependencies_and_two_components),
        cmocka_unit_test(test_install_request_fails),
        cmocka_unit_test(test_flash_abuse),
        cmocka_unit_test(test_partition_client),
        cmocka_unit_test(test_request_reboot),
        cmocka_unit_test(test_ns_policy_from_install_config),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (failed == 0) {
        fwu_cleanup();
    }
    return failed;
}
