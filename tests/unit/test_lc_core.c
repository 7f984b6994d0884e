/*
 * test_lc_core.c: the core's check of the buffer a lifecycle request comes in (sm_k_attest,
 * SM_ATTEST_OP_LIFECYCLE, "V19"; docs/design/lifecycle.md, "Moving a running device"), made
 * directly by the test partition TEST_LC_PROBE, which holds the attestation key in this host
 * library in place of the attestation partition (whose own copy of the request is always 92
 * bytes of its stack, so the NS side cannot reach this check).
 *
 * The core's contract for that call: a buffer the caller may not read (here: none, and a range
 * that wraps; the board's range check itself, the partition's own memory, is qemu.sm_core's)
 * is a programmer error and stops the partition; a buffer it may read but of any size other
 * than 92 bytes (none at all included) is PSA_ERROR_INVALID_ARGUMENT; neither writes a byte.
 * The same request from the probe's own buffer then moves the device, so the refusals are
 * the buffer's and nothing else's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <cmocka.h>

#include "bl_crypto.h"
#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "device_fixture.h"
#include "host_flash.h"
#include "lc_probe.h"
#include "p256-m.h"
#include "plat_flash.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "sm/sm_lifecycle.h"
#include "sm_host.h"

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "check failed: %s (line %d)\n", #cond, __LINE__);                      \
            return -1;                                                                             \
        }                                                                                          \
    } while (0)

/* The test copy of p256-m draws its randomness here (core/CMakeLists.txt's renaming). */
psa_status_t test_p256_random(uint8_t *out, size_t n);
psa_status_t test_p256_random(uint8_t *out, size_t n)
{
    return getrandom(out, n, 0) == (ssize_t)n ? PSA_SUCCESS : PSA_ERROR_GENERIC_ERROR;
}

static char dir[] = "/tmp/sm_lc_core_XXXXXX";
static const uint8_t huk[32] = {0x4C, 0x43};
/* The OEM's key: the NS image signing key of a device provisioned offline. */
static const uint8_t oem_priv[32] = {
    0x0E, 0x4D, 0x01, 0x9A, 0x37, 0x62, 0xC5, 0x18, 0x5B, 0xE0, 0x73, 0x2F, 0x94, 0x0A, 0xD6, 0x41,
    0x8C, 0x25, 0x6F, 0xB3, 0x1E, 0x79, 0xA0, 0x54, 0xC7, 0x3B, 0x82, 0x16, 0xED, 0x69, 0x07, 0x5A};
static uint8_t oem_pub[64];
static uint8_t good[SM_LIFECYCLE_REQUEST_SIZE];

/* A fresh SECURED device whose NS signing key is the OEM's. */
static void provision(void)
{
    assert_int_equal(device_fixture_provision_ns_key(dir, huk, oem_pub), 0);
}

static void put32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* The request of a development device (chip id zero) after no transition, to
 * NON_PSA_ROT_DEBUG, signed by the OEM over the layout of sm/sm_lifecycle.h. */
static void make_good(void)
{
    uint8_t msg[40] = "SM lifecycle v1", digest[32];
    put32le(msg + 36, BL_LIFECYCLE_NON_PSA_ROT_DEBUG);
    bl_sha256(msg, sizeof(msg), digest);
    memset(good, 0, sizeof(good));
    put32le(good, SM_LIFECYCLE_MAGIC);
    put32le(good + 24, BL_LIFECYCLE_NON_PSA_ROT_DEBUG);
    assert_int_equal(p256_ecdsa_sign(good + 28, oem_priv, digest, 32), P256_SUCCESS);
}

static uint8_t *read_file(const char *name, size_t *n)
{
    char path[64];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(*n);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

/* One boot running `run`, after which flash.img and flash.prog are what they were. */
static void boot_writing_nothing(int (*run)(void))
{
    static const char *const files[2] = {"flash.img", "flash.prog"};
    uint8_t *before[2];
    size_t n_before[2];
    for (int i = 0; i < 2; i++) {
        before[i] = read_file(files[i], &n_before[i]);
    }
    assert_int_equal(device_fixture_boot(dir, run), 0);
    for (int i = 0; i < 2; i++) {
        size_t n;
        uint8_t *after = read_file(files[i], &n);
        assert_int_equal(n, n_before[i]);
        assert_memory_equal(after, before[i], n);
        free(after);
        free(before[i]);
    }
}

static uint32_t state_now(void)
{
    uint32_t now = 0;
    assert_int_equal(host_flash_open_dir(dir, false), PLAT_FLASH_OK);
    assert_int_equal(bl_lifecycle_get(&now), BL_OK);
    host_flash_close();
    return now;
}

static psa_status_t probe(int32_t type, const void *data, size_t n)
{
    psa_invec in[1] = {{data, n}};
    return psa_call(TEST_LC_PROBE_HANDLE, type, in, data != NULL ? 1 : 0, NULL, 0);
}

/* Buffers the probe may read, of every size but the request's: refused, the probe runs on. */
static int run_sizes(void)
{
    uint8_t big[LC_PROBE_BUF];
    memset(big, 0, sizeof(big));
    memcpy(big, good, sizeof(good));
    for (size_t n = 0; n <= sizeof(big); n++) {
        if (n != sizeof(good)) {
            EXPECT(probe(LC_PROBE_SEND, big, n) == PSA_ERROR_INVALID_ARGUMENT);
        }
    }
    EXPECT(probe(LC_PROBE_EMPTY, NULL, 0) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(!sm_host_partition_stopped("TEST_LC_PROBE"));
    return 0;
}

/* A buffer the probe may not read: it is stopped, and stays stopped. */
static int stopped_by(int32_t type)
{
    EXPECT(probe(type, NULL, 0) != PSA_SUCCESS);
    EXPECT(sm_host_partition_stopped("TEST_LC_PROBE"));
    EXPECT(probe(LC_PROBE_SEND, good, sizeof(good)) != PSA_SUCCESS);
    return 0;
}
static int run_null(void)
{
    return stopped_by(LC_PROBE_NULL);
}
static int run_wrap(void)
{
    return stopped_by(LC_PROBE_WRAP);
}

static int run_good(void)
{
    EXPECT(probe(LC_PROBE_SEND, good, sizeof(good)) == PSA_SUCCESS);
    EXPECT(probe(LC_PROBE_SEND, good, sizeof(good)) == PSA_ERROR_BAD_STATE); /* spent */
    return 0;
}

static void test_request_buffer(void **state)
{
    (void)state;
    provision();
    boot_writing_nothing(run_sizes);
    boot_writing_nothing(run_null);
    boot_writing_nothing(run_wrap);
    assert_int_equal(state_now(), BL_LIFECYCLE_SECURED);
    assert_int_equal(device_fixture_boot(dir, run_good), 0);
    assert_int_equal(state_now(), BL_LIFECYCLE_NON_PSA_ROT_DEBUG);
}

int main(void)
{
    if (p256_public_from_private(oem_pub, oem_priv) != P256_SUCCESS || mkdtemp(dir) == NULL) {
        return 1;
    }
    make_good();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_buffer),
    };
    const int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0) {
        return 1;
    }
    return failed;
}
