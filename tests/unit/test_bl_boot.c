/*
 * test_bl_boot.c: the boot stage's decisions over the host flash: install, trial, confirm,
 * revert, permanent and encrypted installs, rejected updates, anti-rollback, and power cuts at
 * every flash operation (and torn at each) of an install and of a revert. CUT_ONLY=N in the
 * environment replays only the torn cut at operation N, for debugging one failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bl_boot.h"
#include "bl_counter.h"
#include "bl_shared.h"
#include "bl_slots.h"
#include "bl_status.h"
#include "bl_trailer.h"
#include "host_flash.h"
#include "mbedtls/ecp.h"
#include "mbedtls/psa_util.h"
#include "plat_flash.h"
#include "sm_keys.h"
#include "sm_otp.h"
#include "sm_sign.h"

/* The image kind under test (--kind), its slots, and the journal of the stage that boots it:
 * the iRoT's for the uRoT, the uRoT's for every other kind. */
static enum bl_kind KIND = BL_KIND_UROT;
/* Encrypted images get an AES-256 image key (imgtool --encrypt-keylen 256) instead of AES-128:
 * set by the tests that say so, and for the power-cut sweeps of the odd kinds (main), so the
 * sweeps cover both key lengths' journals without running twice. */
static bool aes256;
static uint32_t P, S, SIZE;
static struct bl_journal journal;
static mbedtls_pk_context urot_key, other_key; /* urot_key signs KIND's images */
static uint8_t enc_pub[64], other_enc_pub[64];
static struct bl_otp otp;

static void gen(mbedtls_pk_context *pk)
{
    mbedtls_pk_init(pk);
    assert_int_equal(mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), 0);
    assert_int_equal(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*pk),
                                         mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE),
                     0);
}

static int group_setup(void **state)
{
    (void)state;
    uint8_t pub[64];
    struct bl_otp other;
    if (sm_keys_init() != 0) {
        return -1;
    }
    gen(&urot_key);
    gen(&other_key);
    if (sm_otp_init(&otp) != 0 || sm_otp_init(&other) != 0 ||
        sm_key_public_raw("k", &urot_key, pub) != 0 ||
        sm_otp_public_of(otp.enc_priv, enc_pub) != 0 ||
        sm_otp_public_of(other.enc_priv, other_enc_pub) != 0) {
        return -1;
    }
    sm_otp_set_key(&otp, KIND, pub);
    if (sm_key_public_raw("k", &other_key, pub) != 0) {
        return -1;
    }
    for (int k = 0; k < BL_KIND_COUNT; k++) {
        if (k != (int)KIND) {
            sm_otp_set_key(&otp, (enum bl_kind)k, pub); /* the other kinds' key */
        }
    }
    sm_otp_seal(&otp);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    mbedtls_pk_free(&urot_key);
    mbedtls_pk_free(&other_key);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    host_flash_on_cut(NULL, NULL);
    if (host_flash_open_ram() != PLAT_FLASH_OK || sm_otp_program(&otp) != 0) {
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    host_flash_on_cut(NULL, NULL);
    host_flash_close();
    return 0;
}

struct image {
    uint8_t *bytes;
    size_t len;
    uint8_t major;
};

/* A signed image of version major.0.0, security counter `sec`, payload of `len` bytes. */
static struct image make_image(uint8_t major, uint32_t sec, size_t len, bool pad, bool confirm,
                               bool encrypt, mbedtls_pk_context *key, const uint8_t *for_pub)
{
    struct sm_sign_opts o = {.hdr_size = 0x400,
                             .pad_header = true,
                             .slot_size = SIZE,
                             .pad = pad,
                             .confirm = confirm,
                             .has_sec_cnt = true,
                             .sec_cnt = sec,
                             .aes256 = aes256};
    o.version.major = major;
    uint8_t *payload = malloc(len);
    for (size_t i = 0; i < len; i++) {
        payload[i] = (uint8_t)(major * 31u + i);
    }
    struct image img = {NULL, 0, major};
    char err[160];
    assert_int_equal(sm_image_sign(&o, payload, len, key, encrypt ? for_pub : NULL, &img.bytes,
                                   &img.len, err, sizeof(err)),
                     0);
    free(payload);
    return img;
}

static void program_slot(uint32_t slot, const struct image *img)
{
    assert_int_equal(plat_flash_erase(slot, SIZE), PLAT_FLASH_OK);
    size_t padded = (img->len + 15) / 16 * 16;
    uint8_t *buf = malloc(padded);
    memset(buf, 0xFF, padded);
    memcpy(buf, img->bytes, img->len);
    /* Erased units stay unprogrammed (as smtool and the boot stage do). */
    for (size_t u = 0; u < padded; u += 16) {
        static const uint8_t erased[16] = {[0 ... 15] = 0xFF};
        if (memcmp(buf + u, erased, 16) != 0) {
            assert_int_equal(plat_flash_program(slot + (uint32_t)u, buf + u, 16), PLAT_FLASH_OK);
        }
    }
    free(buf);
}

/* One boot of the stage for KIND, as irot.c does it: resume, decide, mark a trial run. */
static int boot(struct bl_boot_image *out)
{
    int rc = bl_boot_resume(&journal);
    if (rc == BL_OK) {
        rc = bl_boot_image(&journal, KIND, out);
    }
    if (rc == BL_OK && out->trial) {
        rc = bl_boot_mark_trial_run(KIND);
    }
    return rc;
}

static uint32_t counter(void)
{
    uint32_t v;
    assert_int_equal(bl_counter_get(KIND, &v), BL_OK);
    return v;
}

static void test_boots_a_valid_image_and_raises_counter(void **state)
{
    (void)state;
    struct image v1 = make_image(1, 3, 3000, false, false, false, &urot_key, NULL);
    program_slot(P, &v1);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 1);
    assert_false(b.trial);
    assert_int_equal(b.entry_offset, P + 0x400);
    assert_int_equal(counter(), 3);
    free(v1.bytes);
}

static void test_never_boots_a_bad_or_missing_image(void **state)
{
    (void)state;
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_E_EMPTY);
    struct image bad = make_image(1, 0, 3000, false, false, false, &other_key, NULL);
    program_slot(P, &bad);
    assert_int_equal(boot(&b), BL_E_KEY); /* signed with another kind's key */
    free(bad.bytes);
}

static void test_trial_install_then_revert(void **state)
{
    (void)state;
    struct image v1 = make_image(1, 1, 3000, false, false, false, &urot_key, NULL);
    struct image v2 = make_image(2, 2, 5000, true, false, false, &urot_key, NULL);
    program_slot(P, &v1);
    program_slot(S, &v2);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 2);
    assert_true(b.trial);
    assert_int_equal(counter(), 1); /* v1's, raised before the install; not v2's: on trial */
    /* Not confirmed: the next boot goes back to v1 for good. */
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 1);
    assert_false(b.trial);
    assert_int_equal(counter(), 1);
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 1); /* v2 is not installed again */
    free(v1.bytes);
    free(v2.bytes);
}

static void test_trial_install_then_confirm(void **state)
{
    (void)state;
    struct image v1 = make_image(1, 1, 3000, false, false, false, &urot_key, NULL);
    struct image v2 = make_image(2, 2, 12000, true, false, false, &urot_key, NULL);
    program_slot(P, &v1);
    program_slot(S, &v2);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK);
    assert_true(b.trial);
    assert_int_equal(bl_trailer_set(P, SIZE, BL_TRAILER_IMAGE_OK), BL_OK); /* the image confirms */
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 2);
    assert_false(b.trial);
    assert_int_equal(counter(), 2);
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 2);
    free(v1.bytes);
    free(v2.bytes);
}

static void permanent_encrypted_install(void)
{
    struct image v1 = make_image(1, 1, 3000, false, false, false, &urot_key, NULL);
    struct image v2 = make_image(2, 4, 9000, true, true, true, &urot_key, enc_pub);
    program_slot(P, &v1);
    program_slot(S, &v2);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 2);
    assert_false(b.trial);
    assert_int_equal(counter(), 4);
    /* The active slot holds the plaintext payload. */
    uint8_t buf[64];
    assert_int_equal(plat_flash_read(P + 0x400 + 100, buf, sizeof(buf)), PLAT_FLASH_OK);
    for (size_t i = 0; i < sizeof(buf); i++) {
        assert_int_equal(buf[i], (uint8_t)(2 * 31u + 100 + i));
    }
    free(v1.bytes);
    free(v2.bytes);
}

static void test_permanent_encrypted_install(void **state)
{
    (void)state;
    permanent_encrypted_install();
}

static void test_permanent_encrypted_install_aes256(void **state)
{
    (void)state;
    const bool was = aes256;
    aes256 = true;
    permanent_encrypted_install();
    aes256 = was;
}

/* A bad update: rejected with its reason, nothing installed, the request dropped. */
static void check_rejected_update(struct image *bad, uint32_t stored_counter, bool dropped)
{
    struct image v1 = make_image(1, stored_counter, 3000, false, false, false, &urot_key, NULL);
    program_slot(P, &v1);
    program_slot(S, bad);
    if (stored_counter > 0) {
        assert_int_equal(bl_counter_raise(KIND, stored_counter), BL_OK);
    }
    uint8_t *before = malloc(SIZE);
    assert_int_equal(plat_flash_read(P, before, SIZE), PLAT_FLASH_OK);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 1);
    uint8_t *after = malloc(SIZE);
    assert_int_equal(plat_flash_read(P, after, SIZE), PLAT_FLASH_OK);
    assert_memory_equal(before, after, SIZE);
    struct bl_trailer t;
    assert_int_equal(bl_trailer_read(S, SIZE, &t), BL_OK);
    assert_true(t.magic == !dropped);
    free(before);
    free(after);
    free(v1.bytes);
    free(bad->bytes);
}

static void test_rejects_update_signed_by_another_key(void **state)
{
    (void)state;
    struct image bad = make_image(2, 2, 4000, true, false, false, &other_key, NULL);
    check_rejected_update(&bad, 0, true);
}

static void test_rejects_update_with_flipped_payload_byte(void **state)
{
    (void)state;
    struct image bad = make_image(2, 2, 4000, true, false, false, &urot_key, NULL);
    bad.bytes[0x400 + 1234] ^= 0x10;
    check_rejected_update(&bad, 0, true);
}

static void test_rejects_update_rolling_back(void **state)
{
    (void)state;
    struct image bad = make_image(2, 4, 4000, true, false, false, &urot_key, NULL);
    check_rejected_update(&bad, 5, true);
}

static void test_rejects_update_for_another_device(void **state)
{
    (void)state;
    struct image bad = make_image(2, 2, 4000, true, false, true, &urot_key, other_enc_pub);
    check_rejected_update(&bad, 0, true);
}

static void test_rejects_update_with_unmet_dependency(void **state)
{
    (void)state;
    struct sm_sign_opts o = {
        .hdr_size = 0x400, .pad_header = true, .slot_size = SIZE, .pad = true, .n_deps = 1};
    o.version.major = 2;
    o.deps[0].image_id = BL_KIND_SM; /* no SM image installed */
    o.deps[0].min_version.major = 1;
    uint8_t payload[100] = {1};
    struct image bad = {NULL, 0, 2};
    char err[100];
    assert_int_equal(sm_image_sign(&o, payload, sizeof(payload), &urot_key, NULL, &bad.bytes,
                                   &bad.len, err, sizeof(err)),
                     0);
    /* Kept: the dependency may be met at a later boot. */
    check_rejected_update(&bad, 0, false);
}

/* An update of KIND that needs SM >= 5.0.0, over an installed v1. */
static struct image needs_sm_5(void)
{
    struct sm_sign_opts o = {
        .hdr_size = 0x400, .pad_header = true, .slot_size = SIZE, .pad = true, .n_deps = 1};
    o.version.major = 2;
    o.deps[0].image_id = BL_KIND_SM;
    o.deps[0].min_version.major = 5;
    uint8_t payload[100] = {1};
    struct image img = {NULL, 0, 2};
    char err[100];
    assert_int_equal(sm_image_sign(&o, payload, sizeof(payload), &urot_key, NULL, &img.bytes,
                                   &img.len, err, sizeof(err)),
                     0);
    return img;
}

/* An SM image v`major` in the SM's active slot, signed with the SM's key (other_key). */
static void install_sm(uint8_t major, uint8_t claimed_major)
{
    const struct bl_slot_pair *sm = bl_slots(BL_KIND_SM);
    struct sm_sign_opts o = {.hdr_size = 0x400, .pad_header = true, .slot_size = sm->size};
    o.version.major = major;
    uint8_t payload[200] = {2};
    struct image img = {NULL, 0, major};
    char err[100];
    assert_int_equal(sm_image_sign(&o, payload, sizeof(payload), &other_key, NULL, &img.bytes,
                                   &img.len, err, sizeof(err)),
                     0);
    img.bytes[20] = claimed_major; /* ih_ver.iv_major */
    assert_int_equal(plat_flash_erase(sm->primary, sm->size), PLAT_FLASH_OK);
    for (size_t u = 0; u < (img.len + 15) / 16 * 16; u += 16) {
        uint8_t unit[16];
        memset(unit, 0xFF, sizeof(unit));
        memcpy(unit, img.bytes + u, img.len - u < 16 ? img.len - u : 16);
        assert_int_equal(plat_flash_program(sm->primary + (uint32_t)u, unit, 16), PLAT_FLASH_OK);
    }
    free(img.bytes);
}

/* The dependency is judged on the SM image's verified version, not on what its header claims:
 * an SM v1 whose header was rewritten to say 5.0.0 does not meet "SM >= 5". */
static void test_dependency_needs_a_verified_image(void **state)
{
    (void)state;
    if (KIND == BL_KIND_SM) {
        skip();
    }
    struct image upd = needs_sm_5();
    install_sm(1, 5);
    check_rejected_update(&upd, 0, false); /* kept: not met, yet */

    /* A genuine SM 5.0.0: the same update installs. */
    install_sm(5, 5);
    upd = needs_sm_5();
    program_slot(S, &upd);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 2);
    free(upd.bytes);
}

/* The SM starts an image at the entry its boot record holds, the one the stage verified: not
 * at an address worked out again from a header in flash, which may differ by then. */
static void test_boot_record_holds_the_verified_entry(void **state)
{
    (void)state;
    static struct bl_shared_data d;
    const struct bl_boot_record *r;
    struct image v1 = make_image(1, 1, 3000, false, false, false, &urot_key, NULL);
    program_slot(P, &v1);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.entry_offset, P + 0x400);
    assert_int_equal(bl_shared_find(&d, KIND, &r), BL_E_CONFIG); /* not set up */
    bl_shared_reset(&d);
    assert_int_equal(bl_shared_add(&d, &b), BL_OK);
    /* The header in flash now names another header size: the record does not change. */
    assert_int_equal(plat_flash_erase(P, FLASH_SECTOR_SIZE), PLAT_FLASH_OK);
    assert_int_equal(bl_shared_find(&d, KIND, &r), BL_OK);
    assert_int_equal(r->entry_offset, P + 0x400);
    assert_int_equal(r->version.major, 1);
    assert_int_equal(bl_shared_find(&d, KIND == BL_KIND_NS ? BL_KIND_SM : BL_KIND_NS, &r),
                     BL_E_CONFIG); /* no record of that kind */
    /* A malformed area is refused, not trusted. */
    d.records[0].entry_offset = P + SIZE - 16; /* in the trailer */
    assert_int_equal(bl_shared_find(&d, KIND, &r), BL_E_CONFIG);
    d.records[0].entry_offset = S + 0x400; /* the download slot */
    assert_int_equal(bl_shared_find(&d, KIND, &r), BL_E_CONFIG);
    d.records[0].entry_offset = P + 0x400;
    d.count = BL_KIND_COUNT + 1;
    assert_int_equal(bl_shared_find(&d, KIND, &r), BL_E_CONFIG);
    assert_null(r);
    free(v1.bytes);
}

/* Journal records are authenticated too: a record copied from another region (an authentic
 * counter record) and a forged START of the newest generation are ignored, so nothing is
 * "resumed" from them. */
static void test_journal_ignores_forged_records(void **state)
{
    (void)state;
    struct image v1 = make_image(1, 1, 3000, false, false, false, &urot_key, NULL);
    struct image v2 = make_image(2, 2, 5000, true, false, false, &urot_key, NULL);
    program_slot(P, &v1);
    program_slot(S, &v2);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 2);
    struct bl_swap_op before, after;
    bool found;
    assert_int_equal(bl_swap_find(&journal, &before, &found), BL_OK);
    assert_true(found && before.done);
    uint8_t copied[16], forged[16] = {0xA1, (uint8_t)KIND, 0xFF, 0xFF, 1, 0, 1, 0};
    assert_int_equal(plat_flash_read(FLASH_COUNTERS_OFFSET, copied, 16), PLAT_FLASH_OK);
    int planted = 0;
    for (uint32_t u = 0; planted < 2 && u < FLASH_SECTOR_SIZE; u += 16) {
        if (plat_flash_is_programmed(before.sector + u) == 0) {
            assert_int_equal(plat_flash_program(before.sector + u, planted ? forged : copied, 16),
                             PLAT_FLASH_OK);
            planted++;
        }
    }
    assert_int_equal(bl_swap_find(&journal, &after, &found), BL_OK);
    assert_true(found && after.done);
    assert_int_equal(after.gen, before.gen);
    assert_int_equal(boot(&b), BL_OK); /* the trial was not confirmed: reverts to v1 */
    assert_int_equal(b.version.major, 1);
    free(v1.bytes);
    free(v2.bytes);
}

static void test_confirmed_update_cannot_be_undone(void **state)
{
    (void)state;
    struct image v1 = make_image(1, 1, 3000, false, false, false, &urot_key, NULL);
    struct image v2 = make_image(2, 2, 5000, true, false, false, &urot_key, NULL);
    program_slot(P, &v1);
    program_slot(S, &v2);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK);
    assert_true(b.trial);
    assert_int_equal(bl_trailer_set(P, SIZE, BL_TRAILER_IMAGE_OK), BL_OK); /* v2 confirms */
    /* In the same power-off, someone asks for v1 (still in the download slot) again. */
    assert_int_equal(bl_trailer_set(S, SIZE, BL_TRAILER_MAGIC), BL_OK);
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 2);
    assert_false(b.trial);
    assert_int_equal(counter(), 2);
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 2);
    free(v1.bytes);
    free(v2.bytes);
}

static void test_revert_keeps_trial_image_when_previous_is_gone(void **state)
{
    (void)state;
    struct image v1 = make_image(1, 1, 3000, false, false, false, &urot_key, NULL);
    struct image v2 = make_image(2, 2, 5000, true, false, false, &urot_key, NULL);
    program_slot(P, &v1);
    program_slot(S, &v2);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK);
    assert_true(b.trial);
    /* The download slot is overwritten while v2 runs on trial (v1 in it is lost). */
    struct image v3 = make_image(3, 3, 4000, true, false, true, &urot_key, enc_pub);
    program_slot(S, &v3);
    assert_int_equal(boot(&b), BL_OK); /* no revert into an encrypted, unverifiable image */
    assert_int_equal(b.version.major, 2);
    assert_true(b.trial);
    assert_int_equal(counter(), 1);
    free(v1.bytes);
    free(v2.bytes);
    free(v3.bytes);
}

static void test_first_install_into_empty_slot_is_permanent(void **state)
{
    (void)state;
    struct image v1 = make_image(1, 1, 3000, true, false, false, &urot_key, NULL);
    program_slot(S, &v1);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 1);
    assert_false(b.trial); /* nothing to go back to */
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 1);
    free(v1.bytes);
}

static void test_trial_run_counts_only_once_marked(void **state)
{
    (void)state;
    struct image v1 = make_image(1, 1, 3000, false, false, false, &urot_key, NULL);
    struct image v2 = make_image(2, 2, 5000, true, false, false, &urot_key, NULL);
    program_slot(P, &v1);
    program_slot(S, &v2);
    struct bl_boot_image b;
    /* The stage verifies v2 but stops before starting it (e.g. another image fails). */
    assert_int_equal(bl_boot_image(&journal, KIND, &b), BL_OK);
    assert_true(b.trial);
    /* Next boot: v2 still gets its trial run instead of being reverted. */
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 2);
    assert_true(b.trial);
    assert_int_equal(boot(&b), BL_OK);
    assert_int_equal(b.version.major, 1);
    free(v1.bytes);
    free(v2.bytes);
}

/* ---- Power cuts ------------------------------------------------------------------------- */

static jmp_buf cut_jmp;

static void on_cut(void *ctx)
{
    (void)ctx;
    longjmp(cut_jmp, 1);
}

/* Boots with a power cut after n operations. Returns 1 if the cut happened. */
static int boot_cut(long n, bool torn)
{
    struct bl_boot_image b;
    host_flash_on_cut(on_cut, NULL);
    host_flash_cut_after(n, torn);
    if (setjmp(cut_jmp) != 0) {
        host_flash_on_cut(NULL, NULL);
        host_flash_power_on();
        return 1;
    }
    (void)boot(&b);
    host_flash_cut_after(-1, false);
    host_flash_on_cut(NULL, NULL);
    return 0;
}

/* What the cut may touch: counters, journal and scratch, the slots. */
static struct {
    uint32_t off, len;
} touched[3];
#define N_TOUCHED (sizeof(touched) / sizeof(touched[0]))

struct snapshot {
    uint8_t *data[N_TOUCHED];
    uint8_t *prog[N_TOUCHED];
};

static void take(struct snapshot *s)
{
    touched[0].off = FLASH_COUNTERS_OFFSET;
    touched[0].len = FLASH_COUNTERS_SIZE;
    touched[1].off = journal.off;
    touched[1].len = FLASH_JOURNAL_SIZE;
    touched[2].off = P < S ? P : S;
    touched[2].len = 2 * SIZE;
    /* The scratch sector is only ever written before it is read: no need to restore it. */
    for (size_t i = 0; i < N_TOUCHED; i++) {
        s->data[i] = malloc(touched[i].len);
        s->prog[i] = malloc(touched[i].len / 16 / 8);
        assert_int_equal(host_flash_save(touched[i].off, touched[i].len, s->data[i], s->prog[i]),
                         PLAT_FLASH_OK);
    }
}

static void put_back(const struct snapshot *s)
{
    for (size_t i = 0; i < N_TOUCHED; i++) {
        assert_int_equal(host_flash_restore(touched[i].off, touched[i].len, s->data[i], s->prog[i]),
                         PLAT_FLASH_OK);
    }
}

static void drop(struct snapshot *s)
{
    for (size_t i = 0; i < N_TOUCHED; i++) {
        free(s->data[i]);
        free(s->prog[i]);
    }
}

/*
 * From the state in `start`, cut the next boot after every operation (plain and torn), then
 * boot again without cuts: the device must boot a verified image whose major version is one
 * of `allowed` (a bitmask), and boot the same again after that.
 */
static long cut_everywhere(const struct snapshot *start, unsigned allowed_after_cut)
{
    long ops;
    put_back(start);
    host_flash_power_on();
    assert_int_equal(boot_cut(-1, false), 0);
    ops = host_flash_ops();
    assert_true(ops > 10);
    const char *only = getenv("CUT_ONLY");
    for (int torn = only ? 1 : 0; torn <= 1; torn++) {
        for (long n = only ? atol(only) : 0; n < (only ? atol(only) + 1 : ops); n++) {
            put_back(start);
            host_flash_power_on();
            if (!boot_cut(n, torn)) {
                fail_msg("no cut at operation %ld of %ld", n, ops);
            }
            struct bl_boot_image b;
            int rc = boot(&b);
            if (rc != BL_OK || ((1u << b.version.major) & allowed_after_cut) == 0) {
                fail_msg("cut at operation %ld%s: boot gave %s, version %u", n,
                         torn ? " (torn)" : "", bl_strerror(rc), b.version.major);
            }
        }
    }
    return ops;
}

static void test_install_survives_a_cut_at_every_operation(void **state)
{
    (void)state;
    struct image v1 = make_image(1, 1, 6000, false, false, false, &urot_key, NULL);
    struct image v2 = make_image(2, 2, 11000, true, false, true, &urot_key, enc_pub);
    program_slot(P, &v1);
    program_slot(S, &v2);
    struct snapshot start;
    take(&start);
    /* After a cut during the install, the device boots v1 (install not begun) or v2. */
    long ops = cut_everywhere(&start, (1u << 1) | (1u << 2));
    printf("%s install (AES-%d): cut at each of %ld operations, plain and torn\n",
           bl_kind_name(KIND), aes256 ? 256 : 128, ops);
    drop(&start);
    free(v1.bytes);
    free(v2.bytes);
}

static void test_revert_survives_a_cut_at_every_operation(void **state)
{
    (void)state;
    struct image v1 = make_image(1, 1, 6000, false, false, false, &urot_key, NULL);
    struct image v2 = make_image(2, 2, 11000, true, false, true, &urot_key, enc_pub);
    program_slot(P, &v1);
    program_slot(S, &v2);
    struct bl_boot_image b;
    assert_int_equal(boot(&b), BL_OK); /* v2 on trial, booted once, not confirmed */
    assert_int_equal(b.version.major, 2);
    struct snapshot start;
    take(&start);
    /* The next boot reverts: whatever the cut, v1 comes back (or the revert had not begun
     * and v2 is still on trial, which the boot after that reverts). */
    long ops = cut_everywhere(&start, 1u << 1);
    printf("%s revert: cut at each of %ld operations, plain and torn\n", bl_kind_name(KIND), ops);
    drop(&start);
    free(v1.bytes);
    free(v2.bytes);
}

/* argv: [--kind N] (an enum bl_kind; default the uRoT), [--only PATTERN | --skip PATTERN]
 * (cmocka filters), so CTest can run the long power-cut sweeps for each kind in parallel. */
int main(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--only") == 0) {
            cmocka_set_test_filter(argv[i + 1]);
        } else if (strcmp(argv[i], "--skip") == 0) {
            cmocka_set_skip_filter(argv[i + 1]);
        } else if (strcmp(argv[i], "--kind") == 0) {
            KIND = (enum bl_kind)atoi(argv[i + 1]);
            aes256 = (KIND & 1) != 0;
        }
    }
    const struct bl_slot_pair *pair = bl_slots(KIND);
    if (pair == NULL) {
        fprintf(stderr, "test_bl_boot: no image kind %d\n", (int)KIND);
        return 2;
    }
    P = pair->primary;
    S = pair->secondary;
    SIZE = pair->size;
    journal.off = KIND == BL_KIND_UROT ? FLASH_IROT_JOURNAL_OFFSET : FLASH_UROT_JOURNAL_OFFSET;
    journal.scratch = KIND == BL_KIND_UROT ? FLASH_IROT_SCRATCH_OFFSET : FLASH_UROT_SCRATCH_OFFSET;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_boots_a_valid_image_and_raises_counter, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_never_boots_a_bad_or_missing_image, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trial_install_then_revert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trial_install_then_confirm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permanent_encrypted_install, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permanent_encrypted_install_aes256, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_update_signed_by_another_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_update_with_flipped_payload_byte, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rejects_update_rolling_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_update_for_another_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_update_with_unmet_dependency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dependency_needs_a_verified_image, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boot_record_holds_the_verified_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_journal_ignores_forged_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_confirmed_update_cannot_be_undone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revert_keeps_trial_image_when_previous_is_gone, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_first_install_into_empty_slot_is_permanent, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_trial_run_counts_only_once_marked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_install_survives_a_cut_at_every_operation, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_revert_survives_a_cut_at_every_operation, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
