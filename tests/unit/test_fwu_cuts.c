/*
 * test_fwu_cuts.c: an NS update through the PSA Firmware Update API with the power cut at
 * every flash operation, clean and torn, on the host (fwu_fixture.h):
 *   phase A, one boot: start, write, finish, install (the download and its request);
 *   phase B, the next boot: the boot stage's install (the swap), the SM, accept;
 *   and the install of two components at once (SM and NS): both installed after the cut, or
 *   neither; then their boot (the swaps, the trial runs marked) and their accept: both on the
 *   new version after the cut (on trial, or accepted), or both back on the old one, never one
 *   of each.
 * After each cut the device boots again: the boot stage must find a verified image (the old
 * or the new one), the update service must report a state the specification allows after an
 * interrupted operation, consistent with the image that runs; and (after every fifth cut, to
 * keep the test short) an update client that carries on from whatever it finds (clean,
 * download again, install, accept) must end with the new image accepted within six boots.
 *
 * Usage: test_fwu_cuts SMTOOL [a|b]    (both phases without the last argument)
 *        test_fwu_cuts SMTOOL bench    the flash cost of a whole update (scripts/bench.sh)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flash_map.h"
#include "fwu_fixture.h"
#include "host_flash.h"
#include "plat_flash.h"
#include "psa/update.h"

static int phase_a(void)
{
    const struct fwu_image *img = &ns2s;
    EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_SUCCESS);
    for (size_t off = 0; off < img->n; off += 256) {
        const size_t n = img->n - off < 256 ? img->n - off : 256;
        EXPECT_STATUS(psa_fwu_write(NS, off, img->b + off, n), PSA_SUCCESS);
    }
    EXPECT_STATUS(psa_fwu_finish(NS), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_install(), PSA_SUCCESS_REBOOT);
    return 0;
}

static int phase_b(void)
{
    EXPECT_STATUS(psa_fwu_accept(), PSA_SUCCESS);
    return 0;
}

/* The states allowed in the first boot after a cut in the phase (bit per state). */
static uint32_t allowed;

static int query(uint8_t *state, uint8_t *major)
{
    psa_fwu_component_info_t info;
    EXPECT_STATUS(psa_fwu_query(NS, &info), PSA_SUCCESS);
    *state = info.state;
    *major = info.version.major;
    return 0;
}

/* The first boot after the cut. */
static int check(void)
{
    uint8_t state, major;
    EXPECT(query(&state, &major) == 0);
    if ((allowed & (1u << state)) == 0u) {
        fprintf(stderr, "state %u after the cut\n", state);
    }
    EXPECT((allowed & (1u << state)) != 0u);
    /* The state says which image runs: the new one on trial or accepted, else the old one. */
    EXPECT(major == (state == PSA_FWU_TRIAL || state == PSA_FWU_UPDATED ? 2 : 1));
    return 0;
}

/* An update client carrying on from what it finds, one step per boot. */
static int recover(void)
{
    uint8_t state, major;
    EXPECT(query(&state, &major) == 0);
    switch (state) {
    case PSA_FWU_READY:
        if (major == 2) {
            return 0; /* done */
        }
        EXPECT(phase_a() == 0);
        return FWU_AGAIN;
    case PSA_FWU_FAILED:
        EXPECT(major == 1);
        EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
        EXPECT(phase_a() == 0);
        return FWU_AGAIN;
    case PSA_FWU_CANDIDATE: {
        EXPECT(major == 1);
        /* A request torn by the cut cannot be written again: FAILED, and a new download. */
        const psa_status_t s = psa_fwu_install();
        EXPECT(s == PSA_SUCCESS_REBOOT || (s == PSA_ERROR_STORAGE_FAILURE &&
                                           query(&state, &major) == 0 && state == PSA_FWU_FAILED));
        return FWU_AGAIN;
    }
    case PSA_FWU_TRIAL:
        EXPECT(major == 2);
        EXPECT(phase_b() == 0);
        return FWU_AGAIN;
    case PSA_FWU_UPDATED:
        EXPECT(major == 2);
        EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
        return FWU_AGAIN;
    default:
        fprintf(stderr, "state %u after a boot\n", state);
        return __LINE__;
    }
}

static unsigned long cuts_done;

/* Cuts the phase's boot at every operation, from the snapshot `from`, until it completes. */
static void sweep(const char *from, int (*phase)(void), uint32_t allowed_after)
{
    allowed = allowed_after;
    for (int torn = 0; torn < 2; torn++) {
        for (long cut = 0;; cut++) {
            assert_int_equal(fwu_restore(from), 0);
            const int rc = fwu_boot_cut(phase, cut, torn != 0);
            if (rc != FWU_CUT) {
                assert_int_equal(rc, 0); /* the phase ran to its end: every operation cut */
                break;
            }
            cuts_done++;
            if (fwu_boot(check) != 0) {
                fail_msg("%s cut after %ld operations%s", from, cut, torn ? ", torn" : "");
            }
            /* The recovery (four boots or so) after every fifth cut: the check above is the
             * specification's requirement, this one an update client's. */
            if (cut % 5 != 0) {
                continue;
            }
            int boots = 0, r;
            while ((r = fwu_boot(recover)) == FWU_AGAIN && ++boots < 6) {
            }
            if (r != 0) {
                fail_msg("%s cut after %ld operations%s: no recovery (%d after %d boots)", from,
                         cut, torn ? ", torn" : "", r, boots);
            }
        }
    }
}

/* Phase C: two candidates, the SM and NS, installed together. */
static int download_two(void)
{
    const struct fwu_image *imgs[2] = {&sm2, &ns2s};
    const psa_fwu_component_t cs[2] = {SM, NS};
    for (int i = 0; i < 2; i++) {
        EXPECT_STATUS(psa_fwu_start(cs[i], NULL, 0), PSA_SUCCESS);
        for (size_t off = 0; off < imgs[i]->n; off += PSA_FWU_MAX_WRITE_SIZE) {
            const size_t n = imgs[i]->n - off < PSA_FWU_MAX_WRITE_SIZE ? imgs[i]->n - off
                                                                       : PSA_FWU_MAX_WRITE_SIZE;
            EXPECT_STATUS(psa_fwu_write(cs[i], off, imgs[i]->b + off, n), PSA_SUCCESS);
        }
        EXPECT_STATUS(psa_fwu_finish(cs[i]), PSA_SUCCESS);
    }
    return 0;
}

static int phase_c(void)
{
    EXPECT_STATUS(psa_fwu_install(), PSA_SUCCESS_REBOOT);
    return 0;
}

/* After a cut in phase C: both installed, or neither. */
static int check_two(void)
{
    psa_fwu_component_info_t sm, ns;
    EXPECT_STATUS(psa_fwu_query(SM, &sm), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_query(NS, &ns), PSA_SUCCESS);
    EXPECT(sm.version.major == ns.version.major);
    EXPECT((sm.state == PSA_FWU_TRIAL) == (sm.version.major == 2));
    EXPECT((ns.state == PSA_FWU_TRIAL) == (ns.version.major == 2));
    EXPECT(sm.state == PSA_FWU_TRIAL || sm.state == PSA_FWU_CANDIDATE ||
           sm.state == PSA_FWU_FAILED);
    EXPECT(ns.state == PSA_FWU_TRIAL || ns.state == PSA_FWU_CANDIDATE ||
           ns.state == PSA_FWU_FAILED);
    return 0;
}

static void test_cuts_install_two(void **state)
{
    (void)state;
    assert_int_equal(fwu_restore("small"), 0);
    assert_int_equal(fwu_boot(download_two), 0);
    assert_int_equal(fwu_snapshot("two"), 0);
    for (int torn = 0; torn < 2; torn++) {
        for (long cut = 0;; cut++) {
            assert_int_equal(fwu_restore("two"), 0);
            const int rc = fwu_boot_cut(phase_c, cut, torn != 0);
            if (rc != FWU_CUT) {
                assert_int_equal(rc, 0);
                break;
            }
            cuts_done++;
            if (fwu_boot(check_two) != 0 || fwu_boot(check_two) != 0) {
                fail_msg("install of two cut after %ld operations%s", cut, torn ? ", torn" : "");
            }
        }
    }
}

/* Phase D: the boot that installs the two and marks their trial runs, then accept. */
static char ops_file[256]; /* the boot stage's flash operations in that boot, uncut */

static int phase_d(void)
{
    FILE *f = fopen(ops_file, "w"); /* the boot runs in a child process: tell the parent */
    EXPECT(f != NULL);
    fprintf(f, "%ld\n", host_flash_ops());
    fclose(f);
    EXPECT_STATUS(psa_fwu_accept(), PSA_SUCCESS);
    return 0;
}

/* After a cut in phase D: the SM and NS run the same version, both new (on trial or accepted,
 * the two alike) or both old. */
static int check_group(void)
{
    psa_fwu_component_info_t sm, ns;
    EXPECT_STATUS(psa_fwu_query(SM, &sm), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_query(NS, &ns), PSA_SUCCESS);
    EXPECT(sm.version.major == ns.version.major);
    if (sm.version.major == 2) {
        EXPECT(sm.state == ns.state);
        EXPECT(sm.state == PSA_FWU_TRIAL || sm.state == PSA_FWU_UPDATED);
    } else {
        EXPECT(sm.state != PSA_FWU_TRIAL && sm.state != PSA_FWU_UPDATED);
        EXPECT(ns.state != PSA_FWU_TRIAL && ns.state != PSA_FWU_UPDATED);
    }
    return 0;
}

static int check_accepted(void)
{
    psa_fwu_component_info_t sm, ns;
    EXPECT_STATUS(psa_fwu_query(SM, &sm), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_query(NS, &ns), PSA_SUCCESS);
    EXPECT(sm.version.major == 2 && sm.state == PSA_FWU_UPDATED);
    EXPECT(ns.version.major == 2 && ns.state == PSA_FWU_UPDATED);
    return 0;
}

static void test_cuts_group_trial(void **state)
{
    (void)state;
    assert_int_equal(fwu_restore("small"), 0);
    assert_int_equal(fwu_boot(download_two), 0);
    assert_int_equal(fwu_boot(phase_c), 0);
    assert_int_equal(fwu_snapshot("two-staged"), 0);
    /* Uncut: both accepted; and where the boot stage's swaps end. */
    long boot_ops = 0;
    snprintf(ops_file, sizeof(ops_file), "%s/../boot_ops.txt", fwu_dev);
    assert_int_equal(fwu_boot(phase_d), 0);
    assert_int_equal(fwu_boot(check_accepted), 0);
    FILE *f = fopen(ops_file, "r");
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%ld", &boot_ops), 1);
    fclose(f);
    const long dense_from = boot_ops - 24; /* the trial marks and a few swap steps before */
    assert_true(dense_from > 0);
    for (int torn = 0; torn < 2; torn++) {
        /* Every operation from the last swap steps on (the marks, then accept's mark and
         * confirmation of each member); every 61st of the swaps before (each swap's own cuts
         * are test_bl_boot's). */
        for (long cut = 0;; cut = cut + 61 < dense_from ? cut + 61
                                  : cut < dense_from    ? dense_from
                                                        : cut + 1) {
            assert_int_equal(fwu_restore("two-staged"), 0);
            const int rc = fwu_boot_cut(phase_d, cut, torn != 0);
            if (rc != FWU_CUT) {
                assert_int_equal(rc, 0);
                break;
            }
            cuts_done++;
            if (fwu_boot(check_group) != 0 || fwu_boot(check_group) != 0) {
                fail_msg("group boot and accept cut after %ld operations%s", cut,
                         torn ? ", torn" : "");
            }
        }
    }
}

/* The device with the small NS 1.0.0 installed (fewer operations to cut). */
static int setup_small(void **state)
{
    (void)state;
    if (fwu_fresh() != 0 || host_flash_open_dir(fwu_dev, false) != PLAT_FLASH_OK) {
        return -1;
    }
    int rc = 0;
    for (uint32_t at = 0; rc == 0 && at < 2 * FLASH_SECTOR_SIZE; at += FLASH_SECTOR_SIZE) {
        rc = plat_flash_erase(FLASH_NS_PRIMARY_OFFSET + at, FLASH_SECTOR_SIZE);
    }
    uint8_t unit[16];
    for (size_t off = 0; rc == 0 && off < ns1s.n; off += 16) {
        memset(unit, 0xFF, sizeof(unit));
        memcpy(unit, ns1s.b + off, ns1s.n - off < 16 ? ns1s.n - off : 16);
        rc = plat_flash_program(FLASH_NS_PRIMARY_OFFSET + (uint32_t)off, unit, 16);
    }
    host_flash_close();
    return rc == 0 ? fwu_snapshot("small") : -1;
}

static void test_cuts_download_install(void **state)
{
    (void)state;
    sweep("small", phase_a,
          1u << PSA_FWU_READY | 1u << PSA_FWU_FAILED | 1u << PSA_FWU_CANDIDATE |
              1u << PSA_FWU_TRIAL);
}

static void test_cuts_reboot_accept(void **state)
{
    (void)state;
    assert_int_equal(fwu_restore("small"), 0);
    assert_int_equal(fwu_boot(phase_a), 0);
    assert_int_equal(fwu_snapshot("staged"), 0);
    sweep("staged", phase_b, 1u << PSA_FWU_TRIAL | 1u << PSA_FWU_FAILED | 1u << PSA_FWU_UPDATED);
}

/* ---- `make bench`: flash operations of a whole update, against writing the image once ---- */

static char bench_file[256];

static long erases_so_far(void)
{
    long e = 0;
    for (uint32_t s = 0; s < FLASH_SIZE; s += FLASH_SECTOR_SIZE) {
        e += (long)host_flash_erase_count(s);
    }
    return e;
}

/* Appends "WHAT programs erases" since power-on (the boot stage's included) to the file. */
static int note(const char *what)
{
    const long erases = erases_so_far(), programs = host_flash_ops() - erases;
    FILE *f = fopen(bench_file, "a");
    EXPECT(f != NULL);
    fprintf(f, "%s %ld %ld\n", what, programs, erases);
    fclose(f);
    return 0;
}

static int bench_plain(void)
{
    return note("plain");
}

static int bench_download(void)
{
    EXPECT(note("before") == 0);
    const struct fwu_image *img = &ns2;
    EXPECT_STATUS(psa_fwu_start(NS, NULL, 0), PSA_SUCCESS);
    for (size_t off = 0; off < img->n; off += PSA_FWU_MAX_WRITE_SIZE) {
        const size_t n =
            img->n - off < PSA_FWU_MAX_WRITE_SIZE ? img->n - off : PSA_FWU_MAX_WRITE_SIZE;
        EXPECT_STATUS(psa_fwu_write(NS, off, img->b + off, n), PSA_SUCCESS);
    }
    EXPECT_STATUS(psa_fwu_finish(NS), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_install(), PSA_SUCCESS_REBOOT);
    return note("download");
}

static int bench_installed(void)
{
    EXPECT(note("install") == 0);
    EXPECT_STATUS(psa_fwu_accept(), PSA_SUCCESS);
    EXPECT_STATUS(psa_fwu_clean(NS), PSA_SUCCESS);
    return note("accept");
}

static int bench(void)
{
    long p[5], e[5];
    char what[5][16];
    snprintf(bench_file, sizeof(bench_file), "%s/../bench.txt", fwu_dev);
    remove(bench_file);
    if (fwu_fresh() != 0 || fwu_boot(bench_plain) != 0 || fwu_fresh() != 0 ||
        fwu_boot(bench_download) != 0 || fwu_boot(bench_installed) != 0) {
        return 1;
    }
    FILE *f = fopen(bench_file, "r");
    for (int i = 0; i < 5; i++) {
        if (f == NULL || fscanf(f, "%15s %ld %ld", what[i], &p[i], &e[i]) != 3) {
            return 1;
        }
    }
    fclose(f);
    /* plain: a boot's own; before/download: the boot stage, then the download in the SM; install:
     * the next boot up to the SM (the swap); accept: then accept and clean. */
    const long dl_p = p[2] - p[1], dl_e = e[2] - e[1];
    const long in_p = p[3] - p[0], in_e = e[3] - e[0];
    const long ac_p = p[4] - p[3], ac_e = e[4] - e[3];
    const double units = (double)((ns2.n + 15u) / 16u), sectors = (double)((ns2.n + 8191u) / 8192u);
    printf("BENCH fwu_image_bytes %zu bytes the NS update of the measure (over an NS image of the "
           "same size)\n",
           ns2.n);
    printf("BENCH fwu_download_programs %ld units download: start, write, finish, install "
           "(%ld sectors erased)\n",
           dl_p, dl_e);
    printf("BENCH fwu_install_programs %ld units the boot stage's install, a swap with its "
           "journal (%ld sectors erased)\n",
           in_p, in_e);
    printf("BENCH fwu_accept_programs %ld units accept and clean (%ld sectors erased)\n", ac_p,
           ac_e);
    printf("BENCH fwu_update_programmed_ratio %.2f x bytes programmed by download and install / "
           "the image written once (floor 1.00)\n",
           (double)(dl_p + in_p) / units);
    printf("BENCH fwu_update_erased_ratio %.2f x sectors erased by download and install / the "
           "image's sectors erased once (floor 1.00)\n",
           (double)(dl_e + in_e) / sectors);
    return 0;
}

int main(int argc, char **argv)
{
    if ((argc != 2 && argc != 3) || fwu_world(argv[1]) != 0) {
        fprintf(stderr, "usage: test_fwu_cuts SMTOOL [a|b] (and a working smtool)\n");
        return 2;
    }
    const char *only = argc == 3 ? argv[2] : "";
    if (strcmp(only, "bench") == 0) {
        const int rc = bench();
        fwu_cleanup();
        return rc;
    }
    const struct CMUnitTest a[] = {
        cmocka_unit_test_setup(test_cuts_download_install, setup_small),
    };
    const struct CMUnitTest b[] = {
        cmocka_unit_test_setup(test_cuts_reboot_accept, setup_small),
        cmocka_unit_test_setup(test_cuts_install_two, setup_small),
        cmocka_unit_test_setup(test_cuts_group_trial, setup_small),
    };
    int failed = 0;
    if (strcmp(only, "b") != 0) {
        failed += cmocka_run_group_tests(a, NULL, NULL);
    }
    if (strcmp(only, "a") != 0) {
        failed += cmocka_run_group_tests(b, NULL, NULL);
    }
    printf("test_fwu_cuts: %lu power cuts, each followed by a verified boot\n", cuts_done);
    if (failed == 0) {
        fwu_cleanup();
    }
    return failed;
}
