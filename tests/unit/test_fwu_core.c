/*
 * test_fwu_core.c: the core's firmware update calls (sm/sm_device.h, sm_fwu_*) made directly, by
 * the test partition TEST_FWU_PROBE, which holds the FWU flash area in this host library in
 * place of the update partition: the download slots' bounds (the trailer out of reach), the
 * components that exist, the lock while a kind runs on trial, the verification of every kind
 * of bad image with the boot core's code, the marks (including torn and forged ones), the
 * install request and the confirmation; and the calls refused to anyone else.
 *
 * Usage: test_fwu_core SMTOOL
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flash_map.h"
#include "fwu_fixture.h"
#include "fwu_probe.h"
#include "host_flash.h"
#include "plat_flash.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "sm/sm_device.h"
#include "sm_host.h"

#define NS_MAX  (FLASH_NS_SLOT_SIZE - 64u)
#define NS_LAST (FLASH_NS_SLOT_SIZE - FLASH_SECTOR_SIZE)

static int32_t probe(uint32_t type, uint32_t component, uint32_t offset, uint32_t len,
                     const void *data, size_t n, void *out, size_t out_len)
{
    struct fwu_probe_args a = {.component = component, .offset = offset, .len = len};
    psa_invec in[2] = {{&a, sizeof(a)}, {data, n}};
    psa_outvec o[1] = {{out, out_len}};
    return psa_call(TEST_FWU_PROBE_HANDLE, (int32_t)type, in, 2, o, out != NULL ? 1 : 0);
}

static int32_t mark(uint32_t component, uint32_t m, int32_t error)
{
    struct fwu_probe_args a = {.component = component, .mark = m, .error = error};
    psa_invec in[1] = {{&a, sizeof(a)}};
    return psa_call(TEST_FWU_PROBE_HANDLE, FWU_PROBE_MARK, in, 1, NULL, 0);
}

static int32_t slot(uint32_t component, struct sm_fwu_slot *s)
{
    return probe(FWU_PROBE_SLOT, component, 0, 0, NULL, 0, s, sizeof(*s));
}

/* The image into the download slot, in blocks of the probe's buffer. */
static int put(uint32_t component, const struct fwu_image *img)
{
    uint8_t block[FWU_PROBE_BUF];
    for (size_t off = 0; off < img->n; off += sizeof(block)) {
        size_t n = img->n - off < sizeof(block) ? img->n - off : sizeof(block);
        memset(block, 0xFF, sizeof(block));
        memcpy(block, img->b + off, n);
        n = (n + 15u) & ~(size_t)15u;
        EXPECT(probe(FWU_PROBE_PROGRAM, component, (uint32_t)off, 0, block, n, NULL, 0) ==
               SM_FLASH_OK);
    }
    return 0;
}

/* Erases the download slot's sectors that hold anything. */
static int wipe(uint32_t component, uint32_t size)
{
    for (uint32_t at = 0; at < size; at += FLASH_SECTOR_SIZE) {
        if (probe(FWU_PROBE_BLANK, component, at, FLASH_SECTOR_SIZE, NULL, 0, NULL, 0) == 0) {
            EXPECT(probe(FWU_PROBE_ERASE, component, at, FLASH_SECTOR_SIZE, NULL, 0, NULL, 0) ==
                   SM_FLASH_OK);
        }
    }
    return 0;
}

/* ---- bounds ---- */

static int run_bounds(void)
{
    uint8_t buf[64], unit[16];
    memset(unit, 0x3C, sizeof(unit));
    /* The image area: read and program. */
    EXPECT(probe(FWU_PROBE_READ, NS, 0, 16, NULL, 0, buf, 16) == SM_FLASH_OK);
    EXPECT(probe(FWU_PROBE_READ, NS, NS_MAX - 16, 16, NULL, 0, buf, 16) == SM_FLASH_OK);
    EXPECT(probe(FWU_PROBE_PROGRAM, NS, NS_MAX - 16, 0, unit, 16, NULL, 0) == SM_FLASH_OK);
    /* The trailer: out of reach for reading and programming, whatever the offset. */
    for (uint32_t at = NS_MAX; at < FLASH_NS_SLOT_SIZE; at += 16) {
        EXPECT(probe(FWU_PROBE_READ, NS, at, 16, NULL, 0, buf, 16) == SM_FLASH_E_RANGE);
        EXPECT(probe(FWU_PROBE_PROGRAM, NS, at, 0, unit, 16, NULL, 0) == SM_FLASH_E_RANGE);
    }
    EXPECT(probe(FWU_PROBE_READ, NS, NS_MAX - 8, 16, NULL, 0, buf, 16) == SM_FLASH_E_RANGE);
    EXPECT(probe(FWU_PROBE_PROGRAM, NS, NS_MAX - 16, 0, buf, 32, NULL, 0) == SM_FLASH_E_RANGE);
    EXPECT(probe(FWU_PROBE_PROGRAM, NS, 0xFFFFFFF0u, 0, buf, 32, NULL, 0) == SM_FLASH_E_RANGE);
    EXPECT(probe(FWU_PROBE_READ, NS, FLASH_NS_SLOT_SIZE, 16, NULL, 0, buf, 16) == SM_FLASH_E_RANGE);
    /* Erase and blank checks: whole sectors of the slot, the trailer's included, no further. */
    EXPECT(probe(FWU_PROBE_BLANK, NS, 0, FLASH_NS_SLOT_SIZE, NULL, 0, NULL, 0) == 0);
    EXPECT(probe(FWU_PROBE_ERASE, NS, NS_LAST, FLASH_SECTOR_SIZE, NULL, 0, NULL, 0) == SM_FLASH_OK);
    EXPECT(probe(FWU_PROBE_BLANK, NS, 0, FLASH_NS_SLOT_SIZE, NULL, 0, NULL, 0) == 1);
    EXPECT(probe(FWU_PROBE_ERASE, NS, FLASH_NS_SLOT_SIZE, FLASH_SECTOR_SIZE, NULL, 0, NULL, 0) ==
           SM_FLASH_E_RANGE);
    EXPECT(probe(FWU_PROBE_ERASE, NS, NS_LAST, 2 * FLASH_SECTOR_SIZE, NULL, 0, NULL, 0) ==
           SM_FLASH_E_RANGE);
    EXPECT(probe(FWU_PROBE_ERASE, NS, 16, FLASH_SECTOR_SIZE, NULL, 0, NULL, 0) == SM_FLASH_E_ALIGN);
    /* Components that do not exist here: module slots not in use, ids past the kinds. */
    static const uint32_t absent[] = {MOD + 1, MOD + 3, 7, 255, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
        struct sm_fwu_slot s;
        memset(&s, 0, sizeof(s));
        EXPECT(probe(FWU_PROBE_READ, absent[i], 0, 16, NULL, 0, buf, 16) == SM_FLASH_E_RANGE);
        EXPECT(probe(FWU_PROBE_PROGRAM, absent[i], 0, 0, unit, 16, NULL, 0) == SM_FLASH_E_RANGE);
        EXPECT(probe(FWU_PROBE_ERASE, absent[i], 0, FLASH_SECTOR_SIZE, NULL, 0, NULL, 0) ==
               SM_FLASH_E_RANGE);
        EXPECT(mark(absent[i], SM_FWU_MARK_FAILED, 0) == PSA_ERROR_DOES_NOT_EXIST);
        EXPECT(probe(FWU_PROBE_REQUEST, absent[i], 0, 0, NULL, 0, NULL, 0) ==
               PSA_ERROR_DOES_NOT_EXIST);
        EXPECT(probe(FWU_PROBE_CONFIRM, absent[i], 0, 0, NULL, 0, NULL, 0) ==
               PSA_ERROR_DOES_NOT_EXIST);
        struct sm_fwu_image img;
        memset(&img, 0, sizeof(img));
        EXPECT(probe(FWU_PROBE_VERIFY, absent[i], 0, 0, NULL, 0, &img, sizeof(img)) ==
               PSA_ERROR_DOES_NOT_EXIST);
        if (absent[i] < SM_FWU_COMPONENTS) {
            EXPECT(slot(absent[i], &s) == PSA_SUCCESS && s.exists == 0 && s.max_size == 0);
        } else {
            EXPECT(slot(absent[i], &s) == PSA_ERROR_DOES_NOT_EXIST);
        }
    }
    /* The area calls without a component name no area for this partition. */
    EXPECT(probe(FWU_PROBE_AREA_READ, 0, 0, 16, NULL, 0, buf, 16) == SM_FLASH_E_RANGE);
    /* Every kind with a key is there, with its slots. */
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    EXPECT(slot(PSA_FWU_COMPONENT_UROT, &s) == PSA_SUCCESS && s.exists == 1 &&
           s.slot_size == FLASH_UROT_SLOT_SIZE && s.location == FLASH_UROT_PRIMARY_OFFSET);
    EXPECT(slot(MOD, &s) == PSA_SUCCESS && s.exists == 1 && s.slot_size == FLASH_MODULE_SLOT_SIZE &&
           s.version_major == 1 && s.min_sec_cnt == 1);
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.exists == 1 && s.trial == 0 && s.request == 0 &&
           s.mark == SM_FWU_MARK_NONE && s.marks_free == 2 && s.max_size == NS_MAX &&
           s.version_major == 1);
    /* Nobody but the holder of the area: the NS world gets its programmer error. */
    EXPECT(sm_fwu_slot(NS, &s) == PSA_ERROR_PROGRAMMER_ERROR);
    EXPECT(sm_fwu_flash_read(NS, 0, buf, 16) == PSA_ERROR_PROGRAMMER_ERROR);
    return 0;
}

static void test_bounds(void **state)
{
    (void)state;
    assert_int_equal(fwu_fresh(), 0);
    assert_int_equal(fwu_boot(run_bounds), 0);
    /* The trailer of the NS download slot was never programmed; the unit below it was. */
    assert_int_equal(host_flash_open_dir(fwu_dev, false), PLAT_FLASH_OK);
    for (uint32_t u = 0; u < 64; u += 16) {
        assert_int_equal(plat_flash_is_programmed(FLASH_NS_SECONDARY_OFFSET + NS_MAX + u), 0);
    }
    host_flash_close();
}

/* ---- verification ---- */

static const struct {
    const struct fwu_image *img;
    int32_t status;
} verify_cases[] = {
    {&ns2, PSA_SUCCESS},
    {&ns_plain, PSA_SUCCESS}, /* the policy on encryption is the partition's */
    {&garbage, PSA_ERROR_INVALID_ARGUMENT},
    {&ns_oversize, PSA_ERROR_INVALID_ARGUMENT},
    {&ns_truncated, PSA_ERROR_INVALID_SIGNATURE},
    {&ns_flipped, PSA_ERROR_INVALID_SIGNATURE},
    {&ns_other_key, PSA_ERROR_INVALID_SIGNATURE},
    {&ns_other_dev, PSA_ERROR_INVALID_SIGNATURE},
    {&sm2, PSA_ERROR_INVALID_SIGNATURE},
    {&ns_rollback, PSA_ERROR_NOT_PERMITTED},
    {&ns_dep_unmet, PSA_SUCCESS},
};

static int run_verify(void)
{
    struct sm_fwu_image img;
    memset(&img, 0, sizeof(img));
    /* An erased slot: no image. */
    EXPECT(probe(FWU_PROBE_VERIFY, NS, 0, 0, NULL, 0, &img, sizeof(img)) ==
           PSA_ERROR_INVALID_ARGUMENT);
    for (size_t i = 0; i < sizeof(verify_cases) / sizeof(verify_cases[0]); i++) {
        EXPECT(wipe(NS, FLASH_NS_SLOT_SIZE) == 0);
        EXPECT(put(NS, verify_cases[i].img) == 0);
        int32_t status = probe(FWU_PROBE_VERIFY, NS, 0, 0, NULL, 0, &img, sizeof(img));
        if (status != verify_cases[i].status) {
            fprintf(stderr, "verify case %zu: %d\n", i, (int)status);
        }
        EXPECT(status == verify_cases[i].status);
        if (verify_cases[i].img == &ns2) {
            EXPECT(img.encrypted == 1 && img.major == 2 && img.minor == 0 && img.revision == 0 &&
                   img.build == 0 && img.sec_cnt == 2 && img.n_deps == 0);
        } else if (verify_cases[i].img == &ns_plain) {
            EXPECT(img.encrypted == 0 && img.major == 2);
        } else if (verify_cases[i].img == &ns_dep_unmet) {
            EXPECT(img.n_deps == 1 && img.deps[0].kind == SM && img.deps[0].major == 2 &&
                   img.deps[0].minor == 0);
        }
    }
    return 0;
}

static void test_verify(void **state)
{
    (void)state;
    assert_int_equal(fwu_fresh(), 0);
    assert_int_equal(fwu_boot(run_verify), 0);
}

/* ---- marks ---- */

static int run_marks(void)
{
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    EXPECT(mark(NS, 5, 0) == PSA_ERROR_INVALID_ARGUMENT); /* TRIAL is never a mark */
    EXPECT(mark(NS, SM_FWU_MARK_NONE, 0) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(mark(NS, SM_FWU_MARK_CANDIDATE, 0) == PSA_SUCCESS);
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.mark == SM_FWU_MARK_CANDIDATE && s.mark_error == 0 &&
           s.marks_free == 1);
    EXPECT(mark(NS, SM_FWU_MARK_FAILED, -123456) == PSA_SUCCESS);
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.mark == SM_FWU_MARK_FAILED && s.mark_error == -123456 &&
           s.marks_free == 0);
    EXPECT(mark(NS, SM_FWU_MARK_UPDATED, 0) == PSA_ERROR_INSUFFICIENT_STORAGE);
    /* Marks are in the trailer: nothing the partition can read or program. */
    uint8_t buf[16];
    EXPECT(probe(FWU_PROBE_READ, NS, FLASH_NS_SLOT_SIZE - 64, 16, NULL, 0, buf, 16) ==
           SM_FLASH_E_RANGE);
    /* Erasing the trailer sector takes them away. */
    EXPECT(probe(FWU_PROBE_ERASE, NS, NS_LAST, FLASH_SECTOR_SIZE, NULL, 0, NULL, 0) == SM_FLASH_OK);
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.mark == SM_FWU_MARK_NONE && s.marks_free == 2);
    EXPECT(mark(NS, SM_FWU_MARK_UPDATED, 7) == PSA_SUCCESS);
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.mark == SM_FWU_MARK_UPDATED && s.mark_error == 7);
    return 0;
}

static int run_forged_mark(void)
{
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    /* The first unit holds a torn or forged mark: used up, and it says nothing. */
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.mark == SM_FWU_MARK_NONE && s.marks_free == 1);
    EXPECT(mark(NS, SM_FWU_MARK_CANDIDATE, 0) == PSA_SUCCESS);
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.mark == SM_FWU_MARK_CANDIDATE && s.marks_free == 0);
    return 0;
}

static void test_marks(void **state)
{
    (void)state;
    assert_int_equal(fwu_fresh(), 0);
    assert_int_equal(fwu_boot(run_marks), 0);
    /* Forged marks: a check byte that does not match, then a state that is not a mark. */
    static const uint8_t forged[2][16] = {
        {'F', 'W', SM_FWU_MARK_CANDIDATE, 0x00, 0, 0, 0, 0},
        {'F', 'W', 6, (uint8_t)~6u, 0, 0, 0, 0},
    };
    for (int i = 0; i < 2; i++) {
        assert_int_equal(fwu_fresh(), 0);
        assert_int_equal(host_flash_open_dir(fwu_dev, false), PLAT_FLASH_OK);
        assert_int_equal(
            plat_flash_program(FLASH_NS_SECONDARY_OFFSET + FLASH_NS_SLOT_SIZE - 64, forged[i], 16),
            PLAT_FLASH_OK);
        host_flash_close();
        assert_int_equal(fwu_boot(run_forged_mark), 0);
    }
}

/* ---- request, trial lock, confirmation ---- */

static int run_request(void)
{
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    EXPECT(put(NS, &ns2) == 0);
    EXPECT(probe(FWU_PROBE_REQUEST, NS, 0, 0, NULL, 0, NULL, 0) == PSA_SUCCESS);
    EXPECT(probe(FWU_PROBE_REQUEST, NS, 0, 0, NULL, 0, NULL, 0) == PSA_SUCCESS); /* set already */
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.request == 1 && s.trial == 0);
    return 0;
}

static int run_locked(void)
{
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    uint8_t buf[16];
    memset(buf, 0x11, sizeof(buf));
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.trial == 1 && s.request == 0 && s.version_major == 2);
    /* The download slot holds the image the trial replaced: nothing may change it. */
    EXPECT(probe(FWU_PROBE_BLANK, NS, 0, FLASH_SECTOR_SIZE, NULL, 0, NULL, 0) == 0);
    EXPECT(probe(FWU_PROBE_READ, NS, 0, 16, NULL, 0, buf, 16) == SM_FLASH_OK);
    EXPECT(probe(FWU_PROBE_PROGRAM, NS, NS_MAX - 16, 0, buf, 16, NULL, 0) == SM_FLASH_E_LOCKED);
    for (uint32_t at = 0; at < FLASH_NS_SLOT_SIZE; at += FLASH_SECTOR_SIZE) {
        EXPECT(probe(FWU_PROBE_ERASE, NS, at, FLASH_SECTOR_SIZE, NULL, 0, NULL, 0) ==
               SM_FLASH_E_LOCKED);
    }
    struct sm_fwu_image img;
    memset(&img, 0, sizeof(img));
    EXPECT(probe(FWU_PROBE_VERIFY, NS, 0, 0, NULL, 0, &img, sizeof(img)) == PSA_ERROR_BAD_STATE);
    EXPECT(probe(FWU_PROBE_REQUEST, NS, 0, 0, NULL, 0, NULL, 0) == PSA_ERROR_BAD_STATE);
    /* Other kinds are not locked. */
    EXPECT(probe(FWU_PROBE_PROGRAM, SM, 0, 0, buf, 16, NULL, 0) == SM_FLASH_OK);
    /* Confirmed: no longer on trial, the slot is free again. */
    EXPECT(probe(FWU_PROBE_CONFIRM, NS, 0, 0, NULL, 0, NULL, 0) == PSA_SUCCESS);
    EXPECT(probe(FWU_PROBE_CONFIRM, NS, 0, 0, NULL, 0, NULL, 0) == PSA_SUCCESS);
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.trial == 0);
    EXPECT(probe(FWU_PROBE_PROGRAM, NS, NS_MAX - 16, 0, buf, 16, NULL, 0) == SM_FLASH_OK);
    return 0;
}

static int run_confirmed(void)
{
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.trial == 0 && s.version_major == 2 &&
           s.min_sec_cnt == 2);
    return 0;
}

static void test_request_lock_confirm(void **state)
{
    (void)state;
    assert_int_equal(fwu_fresh(), 0);
    assert_int_equal(fwu_boot(run_request), 0);
    assert_int_equal(fwu_boot(run_locked), 0);
    assert_int_equal(fwu_boot(run_confirmed), 0);
}

/* ---- the revert bound to the replaced image ---- */

static int run_on_trial(void)
{
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.trial == 1 && s.version_major == 2);
    return 0;
}

static int run_kept(void)
{
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    /* Not reverted into the other image: still the trial image, still on trial. */
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.trial == 1 && s.version_major == 2);
    return 0;
}

static int run_reverted_to_v1(void)
{
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.trial == 0 && s.version_major == 1);
    return 0;
}

/* Someone with the flash replaces the image in the download slot while v2 runs on trial. */
static void replace_download(const struct fwu_image *img)
{
    assert_int_equal(host_flash_open_dir(fwu_dev, false), PLAT_FLASH_OK);
    for (uint32_t at = 0; at < FLASH_NS_SLOT_SIZE; at += FLASH_SECTOR_SIZE) {
        assert_int_equal(plat_flash_erase(FLASH_NS_SECONDARY_OFFSET + at, FLASH_SECTOR_SIZE),
                         PLAT_FLASH_OK);
    }
    uint8_t unit[16];
    for (size_t off = 0; off < img->n; off += 16) {
        memset(unit, 0xFF, sizeof(unit));
        memcpy(unit, img->b + off, img->n - off < 16 ? img->n - off : 16);
        assert_int_equal(plat_flash_program(FLASH_NS_SECONDARY_OFFSET + (uint32_t)off, unit, 16),
                         PLAT_FLASH_OK);
    }
    host_flash_close();
}

static void test_revert_bound(void **state)
{
    (void)state;
    /* Another valid image (signed by the NS key, in clear) in place of v1: the trial is kept. */
    assert_int_equal(fwu_fresh(), 0);
    assert_int_equal(fwu_boot(run_request), 0);
    assert_int_equal(fwu_boot(run_on_trial), 0); /* the trial run, not confirmed */
    replace_download(&ns_plain);
    assert_int_equal(fwu_boot(run_kept), 0);
    assert_int_equal(fwu_boot(run_kept), 0);
    /* v1 written back byte for byte is the replaced image: the revert takes it. */
    replace_download(&ns1);
    assert_int_equal(fwu_boot(run_reverted_to_v1), 0);
}

/* ---- an install group: all or none ---- */

static const uint32_t pair = 1u << NS | 1u << SM;

static int run_group_half(void)
{
    EXPECT(put(NS, &ns2) == 0 && put(SM, &sm2) == 0);
    EXPECT(mark(NS, SM_FWU_MARK_CANDIDATE, 0) == PSA_SUCCESS);
    EXPECT(mark(NS, SM_FWU_MARK_STAGED, (int32_t)pair) == PSA_SUCCESS);
    EXPECT(mark(SM, SM_FWU_MARK_CANDIDATE, 0) == PSA_SUCCESS);
    EXPECT(mark(SM, SM_FWU_MARK_STAGED, (int32_t)pair) == PSA_SUCCESS);
    /* Only NS asks: as if the power went between the two requests. */
    EXPECT(probe(FWU_PROBE_REQUEST, NS, 0, 0, NULL, 0, NULL, 0) == PSA_SUCCESS);
    return 0;
}

static int run_group_waits(void)
{
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.trial == 0 && s.version_major == 1 && s.request == 1);
    EXPECT(slot(SM, &s) == PSA_SUCCESS && s.trial == 0 && s.version_major == 1 && s.request == 0);
    EXPECT(s.mark == SM_FWU_MARK_STAGED && (uint32_t)s.mark_error == pair);
    return 0;
}

static int run_group_complete(void)
{
    EXPECT(probe(FWU_PROBE_REQUEST, SM, 0, 0, NULL, 0, NULL, 0) == PSA_SUCCESS);
    return 0;
}

static int run_group_installed(void)
{
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.trial == 1 && s.version_major == 2);
    EXPECT(slot(SM, &s) == PSA_SUCCESS && s.trial == 1 && s.version_major == 2);
    return 0;
}

/* The SM's download no longer verifies: neither goes in. */
static int run_group_bad_member(void)
{
    static const uint8_t junk[16] = {0};
    EXPECT(probe(FWU_PROBE_REQUEST, SM, 0, 0, NULL, 0, NULL, 0) == PSA_SUCCESS);
    EXPECT(probe(FWU_PROBE_ERASE, SM, 0, FLASH_SECTOR_SIZE, NULL, 0, NULL, 0) == SM_FLASH_OK);
    EXPECT(probe(FWU_PROBE_PROGRAM, SM, 0, 0, junk, sizeof(junk), NULL, 0) == SM_FLASH_OK);
    return 0;
}

static int run_group_none(void)
{
    struct sm_fwu_slot s;
    memset(&s, 0, sizeof(s));
    EXPECT(slot(NS, &s) == PSA_SUCCESS && s.trial == 0 && s.version_major == 1);
    EXPECT(slot(SM, &s) == PSA_SUCCESS && s.trial == 0 && s.version_major == 1);
    return 0;
}

static void test_install_group(void **state)
{
    (void)state;
    assert_int_equal(fwu_fresh(), 0);
    assert_int_equal(fwu_boot(run_group_half), 0);
    assert_int_equal(fwu_boot(run_group_waits), 0);
    assert_int_equal(fwu_boot(run_group_waits), 0); /* and it keeps waiting */
    assert_int_equal(fwu_snapshot("half"), 0);
    assert_int_equal(fwu_boot(run_group_complete), 0);
    assert_int_equal(fwu_boot(run_group_installed), 0);
    assert_int_equal(fwu_restore("half"), 0);
    assert_int_equal(fwu_boot(run_group_bad_member), 0);
    assert_int_equal(fwu_boot(run_group_none), 0);
}

/* ---- a bad operation stops the partition ---- */

static int run_bad_op(void)
{
    EXPECT(!sm_host_partition_stopped("TEST_FWU_PROBE"));
    EXPECT(probe(FWU_PROBE_BAD_OP, NS, 0, 0, NULL, 0, NULL, 0) == PSA_ERROR_SERVICE_FAILURE);
    EXPECT(sm_host_partition_stopped("TEST_FWU_PROBE"));
    return 0;
}

static void test_bad_op(void **state)
{
    (void)state;
    assert_int_equal(fwu_fresh(), 0);
    assert_int_equal(fwu_boot(run_bad_op), 0);
}

int main(int argc, char **argv)
{
    if (argc != 2 || fwu_world(argv[1]) != 0) {
        fprintf(stderr, "usage: test_fwu_core SMTOOL (and a working smtool)\n");
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounds),       cmocka_unit_test(test_verify),
        cmocka_unit_test(test_marks),        cmocka_unit_test(test_request_lock_confirm),
        cmocka_unit_test(test_revert_bound), cmocka_unit_test(test_install_group),
        cmocka_unit_test(test_bad_op),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (failed == 0) {
        fwu_cleanup();
    }
    return failed;
}
