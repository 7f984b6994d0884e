/*
 * test_attest.c: Initial Attestation on the host: the PSA Attestation API called by the program
 * (the NS client, client id -1) and by a partition (TEST_ATTEST_CLIENT), served by the
 * attestation partition through the SM core, over provisioned device directories with boot
 * records as a uRoT would hand them over; the token encoder alone in both profiles; and the
 * token verifier (tools/smtool/sm_token.c) against every defect of the issue.
 *
 * Each service case runs in a child process that opens the device and starts the SM, as a boot
 * would; a child reports the line of its first failed check. Tokens are checked by the verifier
 * under the IAK's public key, which this test derives from the private key it provisioned.
 * Defective tokens are written here by a CBOR writer of the test's own (neither TinyCBOR nor the
 * device's encoder) and signed by a p256-m copy of the test's own (sm_p256m_test).
 *
 * Two extra modes make files for tests/unit/smtool_token_test.sh:
 *   test_attest token DEVICE_DIR NONCE_HEX OUT     a token of that (smtool-provisioned) device
 *   test_attest legacy OUT_TOKEN OUT_PUB_PEM       a PSA_IOT_PROFILE_1 token and its key
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

#include "attest_client.h"
#include "attest_token.h"
#include "bl_counter.h"
#include "bl_crypto.h"
#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_shared.h"
#include "bl_status.h"
#include "device_fixture.h"
#include "flash_map.h"
#include "host_flash.h"
#include "p256-m.h"
#include "plat_flash.h"
#include "psa/client.h"
#include "psa/initial_attestation.h"
#include "psa/lifecycle.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "sm/sm_device.h"
#include "sm/sm_lifecycle.h"
#include "sm_lc_request.h"
#include "sm_attest_otp.h"
#include "sm_host.h"
#include "sm_kernel.h"
#include "sm_token.h"

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "check failed: %s (line %d)\n", #cond, __LINE__);                      \
            return __LINE__;                                                                       \
        }                                                                                          \
    } while (0)

/* The test copy of p256-m draws its randomness here (core/CMakeLists.txt's renaming). */
psa_status_t test_p256_random(uint8_t *out, size_t n);
psa_status_t test_p256_random(uint8_t *out, size_t n)
{
    return getrandom(out, n, 0) == (ssize_t)n ? PSA_SUCCESS : PSA_ERROR_GENERIC_ERROR;
}

static char dir[] = "/tmp/sm_attest_XXXXXX";
static char out_path[sizeof(dir) + 16];
static const uint8_t huk[32] = {0x48, 0x55, 0x4B};
static const uint8_t iak_priv[32] = {
    0x3A, 0x1F, 0x77, 0x05, 0x91, 0x6C, 0x2B, 0xE4, 0x0D, 0x58, 0xA3, 0x61, 0x7E, 0xC9, 0x14, 0x8F,
    0x22, 0xB0, 0x5D, 0x96, 0x3C, 0x47, 0xE1, 0x08, 0x7A, 0xD3, 0x19, 0x6E, 0xF2, 0x40, 0x85, 0x2C};
static const uint8_t other_priv[32] = {
    0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76,
    0x87, 0x98, 0x09, 0x1A, 0x2B, 0x3C, 0x4D, 0x5E, 0x6F, 0x70, 0x81, 0x92, 0xA3, 0xB4, 0xC5, 0xD6};
/* The OEM's key: the NS image signing key of a device provisioned offline (no OEM record),
 * which authorises its lifecycle moves (sm/sm_lifecycle.h). */
static const uint8_t oem_priv[32] = {
    0x0E, 0x4D, 0x01, 0x9A, 0x37, 0x62, 0xC5, 0x18, 0x5B, 0xE0, 0x73, 0x2F, 0x94, 0x0A, 0xD6, 0x41,
    0x8C, 0x25, 0x6F, 0xB3, 0x1E, 0x79, 0xA0, 0x54, 0xC7, 0x3B, 0x82, 0x16, 0xED, 0x69, 0x07, 0x5A};
static uint8_t iak_pub[64], other_pub[64], oem_pub[64];
static const uint8_t impl_id[32] = {0x1D, 0x1D, 0x1D, 0x1D, 0x01, 0x02, 0x03, 0x04};
static const char cert_ref[] = "0604565272829-10010";
static const char url[] = "https://veraison.example/challenge-response/v1";

static struct bl_shared_data records;

/* What the uRoT hands over: uRoT, SM, module 0, NS, each with its own measurement. */
static void make_records(struct bl_shared_data *d, uint8_t ns_major)
{
    static const uint8_t kinds[4] = {BL_KIND_UROT, BL_KIND_SM, BL_KIND_MODULE0, BL_KIND_NS};
    memset(d, 0, sizeof(*d));
    d->magic = BL_SHARED_MAGIC;
    d->boot_count = 1;
    d->count = 4;
    for (uint32_t i = 0; i < 4; i++) {
        struct bl_boot_record *r = &d->records[i];
        r->kind = kinds[i];
        r->version = (struct bl_image_version){(uint8_t)(i + 1), 2, 3, 4 + i};
        if (kinds[i] == BL_KIND_NS) {
            r->version.major = ns_major;
        }
        memset(r->measurement, 0x10 + (int)i + ns_major * (kinds[i] == BL_KIND_NS), 32);
        memset(r->signer, 0xE0 + (int)i, 32);
    }
}

/* A fresh device: erased flash, the OTP area (lifecycle, the test's HUK and IAK) and, unless
 * attest is 0, the attestation block (attest 2: one made for another provisioning). */
static void provision(uint32_t lifecycle, int attest)
{
    char path[64];
    snprintf(path, sizeof(path), "%s/flash.img", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/flash.prog", dir);
    unlink(path);
    assert_int_equal(host_flash_open_dir(dir, true), PLAT_FLASH_OK);
    struct bl_otp otp;
    memset(&otp, 0, sizeof(otp));
    otp.magic = BL_OTP_MAGIC;
    otp.version = BL_OTP_VERSION;
    otp.lifecycle = lifecycle;
    otp.its_size = 0x10000;
    otp.its_max_asset = 4096;
    memcpy(otp.huk, huk, sizeof(huk));
    memcpy(otp.iak, iak_priv, sizeof(iak_priv));
    memset(otp.entropy_seed, 0x5E, sizeof(otp.entropy_seed));
    uint8_t der[91];
    memcpy(otp.keys[BL_KIND_NS].pub, oem_pub, 64);
    bl_pubkey_der(oem_pub, der);
    bl_sha256(der, sizeof(der), otp.keys[BL_KIND_NS].hash);
    bl_sha256(&otp, offsetof(struct bl_otp, digest), otp.digest);
    assert_int_equal(plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_program(FLASH_OTP_OFFSET, &otp, sizeof(otp)), PLAT_FLASH_OK);
    assert_int_equal(bl_counter_provision(), BL_OK); /* as smtool provision: the counters */
    if (attest != 0) {
        struct attest_otp a;
        uint8_t digest[32];
        memcpy(digest, otp.digest, 32);
        digest[0] ^= attest == 2 ? 1 : 0;
        assert_int_equal(sm_attest_otp_build(&a, digest, iak_pub, impl_id, cert_ref, url), 0);
        assert_int_equal(sm_attest_otp_program(&a), 0);
    }
    host_flash_close();
}

static void boot(int (*run)(void))
{
    assert_int_equal(device_fixture_boot(dir, run), 0);
}

/* The device's token for a challenge of n bytes filled with `fill`. */
static uint8_t token[ATTEST_CLIENT_BUF];
static size_t token_len;
static psa_status_t ns_token(size_t n, uint8_t fill)
{
    uint8_t challenge[64];
    memset(challenge, fill, sizeof(challenge));
    return psa_initial_attest_get_token(challenge, n, token, sizeof(token), &token_len);
}

/* The same from the partition: buf_size is the size it passes to the API. */
static psa_status_t partition_token(const uint8_t *challenge, size_t n, uint32_t buf_size)
{
    psa_invec in[2] = {{challenge, n}, {&buf_size, sizeof(buf_size)}};
    psa_outvec out[1] = {{token, sizeof(token)}};
    psa_status_t status = psa_call(TEST_ATTEST_CLIENT_HANDLE, ATTEST_CLIENT_TOKEN, in, 2, out, 1);
    token_len = out[0].len;
    return status;
}

static int verify(const uint8_t *tok, size_t len, struct sm_token *t)
{
    char why[160];
    if (sm_token_verify(tok, len, iak_pub, t, why, sizeof(why)) != 0) {
        fprintf(stderr, "token rejected: %s\n", why);
        return -1;
    }
    return 0;
}

static bool bytes_are(const struct sm_token_bytes *b, const void *p, size_t n)
{
    return b->n == n && memcmp(b->p, p, n) == 0;
}

/* ---- the service from the program (NS) ---- */

static int run_ns_statuses(void)
{
    static const size_t bad[] = {0, 1, 31, 33, 47, 49, 63, 65, 128, (size_t)-1};
    uint8_t challenge[64] = {0};
    size_t size = 99;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size = 99;
        EXPECT(psa_initial_attest_get_token_size(bad[i], &size) == PSA_ERROR_INVALID_ARGUMENT);
        EXPECT(size == 0);
        token_len = 99;
        EXPECT(psa_initial_attest_get_token(challenge, bad[i], token, sizeof(token), &token_len) ==
               PSA_ERROR_INVALID_ARGUMENT);
        EXPECT(token_len == 0);
    }
    EXPECT(psa_initial_attest_get_token_size(32, NULL) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_initial_attest_get_token(challenge, 32, token, 0, &token_len) ==
           PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_initial_attest_get_token(NULL, 32, token, sizeof(token), &token_len) ==
           PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_initial_attest_get_token(challenge, 32, NULL, sizeof(token), &token_len) ==
           PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_initial_attest_get_token(challenge, 32, token, sizeof(token), NULL) ==
           PSA_ERROR_INVALID_ARGUMENT);
    for (size_t n = 32; n <= 64; n += 16) {
        EXPECT(psa_initial_attest_get_token_size(n, &size) == PSA_SUCCESS);
        EXPECT(size > 0 && size <= PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE);
        /* One byte short: BUFFER_TOO_SMALL, and not one byte written. */
        memset(token, 0xA5, sizeof(token));
        token_len = 99;
        EXPECT(psa_initial_attest_get_token(challenge, n, token, size - 1, &token_len) ==
               PSA_ERROR_BUFFER_TOO_SMALL);
        EXPECT(token_len == 0);
        for (size_t i = 0; i < sizeof(token); i++) {
            EXPECT(token[i] == 0xA5);
        }
        EXPECT(psa_initial_attest_get_token(challenge, n, token, 1, &token_len) ==
               PSA_ERROR_BUFFER_TOO_SMALL);
        /* Exactly the size, and a larger buffer: the same length. */
        EXPECT(psa_initial_attest_get_token(challenge, n, token, size, &token_len) == PSA_SUCCESS);
        EXPECT(token_len == size);
        EXPECT(token[size] == 0xA5);
        EXPECT(psa_initial_attest_get_token(challenge, n, token, sizeof(token), &token_len) ==
               PSA_SUCCESS);
        EXPECT(token_len == size);
        struct sm_token t;
        EXPECT(verify(token, token_len, &t) == 0);
        EXPECT(t.nonce.n == n);
    }
    return 0;
}

static void test_ns_statuses(void **state)
{
    (void)state;
    provision(BL_LIFECYCLE_SECURED, 1);
    make_records(&records, 1);
    sm_host_boot_records(&records);
    boot(run_ns_statuses);
}

static int check_claims(const struct sm_token *t, int32_t client_id, uint32_t lifecycle)
{
    uint8_t point[65] = {0x04}, ueid[33] = {0x01};
    memcpy(point + 1, iak_pub, 64);
    bl_sha256(point, sizeof(point), ueid + 1);
    EXPECT(t->profile == SM_TOKEN_PSA_TFM);
    EXPECT(bytes_are(&t->instance_id, ueid, sizeof(ueid)));
    EXPECT(t->client_id == client_id);
    EXPECT(t->lifecycle == lifecycle);
    EXPECT(bytes_are(&t->implementation_id, impl_id, sizeof(impl_id)));
    EXPECT(t->boot_seed.n == 32);
    EXPECT(bytes_are(&t->cert_ref, cert_ref, strlen(cert_ref)));
    EXPECT(bytes_are(&t->verification_service, url, strlen(url)));
    EXPECT(t->component_count == records.count);
    static const char *const types[] = {"BL", "PRoT", "ARoT", "App"};
    for (size_t i = 0; i < t->component_count; i++) {
        const struct sm_token_component *c = &t->components[i];
        const struct bl_boot_record *r = &records.records[i];
        char version[32];
        snprintf(version, sizeof(version), "%u.%u.%u+%u", r->version.major, r->version.minor,
                 r->version.revision, (unsigned)r->version.build);
        EXPECT(bytes_are(&c->type, types[i], strlen(types[i])));
        EXPECT(bytes_are(&c->version, version, strlen(version)));
        EXPECT(bytes_are(&c->measurement, r->measurement, 32));
        EXPECT(bytes_are(&c->signer, r->signer, 32));
    }
    return 0;
}

static int run_ns_claims(void)
{
    struct sm_token t;
    uint8_t nonce[48];
    memset(nonce, 0x4E, sizeof(nonce));
    EXPECT(ns_token(48, 0x4E) == PSA_SUCCESS);
    EXPECT(verify(token, token_len, &t) == 0);
    EXPECT(bytes_are(&t.nonce, nonce, sizeof(nonce)));
    return check_claims(&t, -1, BL_LIFECYCLE_SECURED);
}

static void test_ns_claims(void **state)
{
    (void)state;
    provision(BL_LIFECYCLE_SECURED, 1);
    make_records(&records, 1);
    sm_host_boot_records(&records);
    boot(run_ns_claims);
}

/* Two challenges of a size: the tokens differ only inside the nonce and the signature. */
static int run_only_nonce_and_signature_differ(void)
{
    uint8_t first[ATTEST_CLIENT_BUF];
    struct sm_token a, b;
    for (size_t n = 32; n <= 64; n += 16) {
        EXPECT(ns_token(n, 0x01) == PSA_SUCCESS);
        const size_t len = token_len;
        memcpy(first, token, len);
        EXPECT(ns_token(n, 0xFE) == PSA_SUCCESS);
        EXPECT(token_len == len);
        EXPECT(verify(first, len, &a) == 0 && verify(token, len, &b) == 0);
        const size_t nonce_at = (size_t)(a.nonce.p - first);
        EXPECT(nonce_at == (size_t)(b.nonce.p - token));
        size_t differ = 0;
        for (size_t i = 0; i < len; i++) {
            const bool in_nonce = i >= nonce_at && i < nonce_at + n;
            const bool in_sig = i >= len - 64;
            if (!in_nonce && !in_sig) {
                EXPECT(first[i] == token[i]);
            }
            differ += first[i] != token[i];
        }
        EXPECT(differ > n); /* every nonce byte, and the signature */
        EXPECT(memcmp(first + len - 64, token + len - 64, 64) != 0);
    }
    return 0;
}

static void test_only_nonce_and_signature_differ(void **state)
{
    (void)state;
    provision(BL_LIFECYCLE_SECURED, 1);
    make_records(&records, 1);
    sm_host_boot_records(&records);
    boot(run_only_nonce_and_signature_differ);
}

/* ---- from a partition ---- */

static int run_partition(void)
{
    uint8_t challenge[64];
    struct sm_token t;
    memset(challenge, 0x77, sizeof(challenge));
    /* The statuses as the partition sees them (it checks nothing is written past the size it
     * gives, and nothing at all on an error). */
    EXPECT(partition_token(challenge, 31, ATTEST_CLIENT_BUF) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(partition_token(challenge, 65, ATTEST_CLIENT_BUF) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(partition_token(challenge, 32, 0) == PSA_ERROR_INVALID_ARGUMENT);
    for (uint32_t n = 32; n <= 64; n += 16) {
        uint32_t size = 0;
        psa_invec in[1] = {{&n, sizeof(n)}};
        psa_outvec out[1] = {{&size, sizeof(size)}};
        EXPECT(psa_call(TEST_ATTEST_CLIENT_HANDLE, ATTEST_CLIENT_SIZE, in, 1, out, 1) ==
               PSA_SUCCESS);
        EXPECT(partition_token(challenge, n, size - 1) == PSA_ERROR_BUFFER_TOO_SMALL);
        EXPECT(partition_token(challenge, n, size) == PSA_SUCCESS);
        EXPECT(token_len == size);
        EXPECT(verify(token, token_len, &t) == 0);
        EXPECT(bytes_are(&t.nonce, challenge, n));
        EXPECT(check_claims(&t, TEST_ATTEST_CLIENT_PARTITION_ID, BL_LIFECYCLE_SECURED) == 0);
    }
    uint32_t bad = 33, size = 7;
    psa_invec in[1] = {{&bad, sizeof(bad)}};
    psa_outvec out[1] = {{&size, sizeof(size)}};
    EXPECT(psa_call(TEST_ATTEST_CLIENT_HANDLE, ATTEST_CLIENT_SIZE, in, 1, out, 1) ==
           PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(size == 0);
    /* The program's own token says -1 in the same boot. */
    EXPECT(ns_token(32, 0x77) == PSA_SUCCESS);
    EXPECT(verify(token, token_len, &t) == 0 && t.client_id == -1);
    return 0;
}

static void test_partition(void **state)
{
    (void)state;
    provision(BL_LIFECYCLE_SECURED, 1);
    make_records(&records, 1);
    sm_host_boot_records(&records);
    boot(run_partition);
}

/* ---- boots, lifecycle, provisioning ---- */

static int save_seed(void)
{
    struct sm_token t;
    uint8_t seed[32];
    EXPECT(ns_token(32, 0) == PSA_SUCCESS && verify(token, token_len, &t) == 0);
    EXPECT(t.boot_seed.n == 32);
    memcpy(seed, t.boot_seed.p, 32);
    EXPECT(ns_token(64, 9) == PSA_SUCCESS && verify(token, token_len, &t) == 0);
    EXPECT(bytes_are(&t.boot_seed, seed, 32)); /* the same for the whole boot */
    FILE *f = fopen(out_path, "ab");
    EXPECT(f != NULL && fwrite(seed, 1, 32, f) == 32);
    fclose(f);
    return 0;
}

static void test_boot_seed(void **state)
{
    (void)state;
    provision(BL_LIFECYCLE_SECURED, 1);
    make_records(&records, 1);
    sm_host_boot_records(&records);
    unlink(out_path);
    boot(save_seed);
    boot(save_seed);
    uint8_t seeds[64];
    FILE *f = fopen(out_path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(seeds, 1, 64, f), 64);
    fclose(f);
    assert_memory_not_equal(seeds, seeds + 32, 32); /* another after a power cycle */
}

/* psa_rot_lifecycle_state hands out the SM's state as it is: the store's numbers must be FF-M's. */
_Static_assert(PSA_LIFECYCLE_ASSEMBLY_AND_TEST == BL_LIFECYCLE_ASSEMBLY_AND_TEST &&
                   PSA_LIFECYCLE_PSA_ROT_PROVISIONING == BL_LIFECYCLE_PSA_ROT_PROVISIONING &&
                   PSA_LIFECYCLE_SECURED == BL_LIFECYCLE_SECURED &&
                   PSA_LIFECYCLE_NON_PSA_ROT_DEBUG == BL_LIFECYCLE_NON_PSA_ROT_DEBUG &&
                   PSA_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG ==
                       BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG &&
                   PSA_LIFECYCLE_DECOMMISSIONED == BL_LIFECYCLE_DECOMMISSIONED,
               "PSA lifecycle values");
static uint32_t expected_lifecycle;
static int run_lifecycle(void)
{
    struct sm_token t;
    EXPECT(ns_token(32, 1) == PSA_SUCCESS && verify(token, token_len, &t) == 0);
    EXPECT(t.lifecycle == expected_lifecycle);
    /* The state the SM's start checks (sm_main.c) is the one the token reports, and the one a
     * partition's psa_rot_lifecycle_state gives (FF-M 1.1: the PSA state, sub-state 0). */
    EXPECT(sm_k_config(SM_CONFIG_LIFECYCLE) == expected_lifecycle);
    EXPECT(psa_call(TEST_ATTEST_CLIENT_HANDLE, ATTEST_CLIENT_LIFECYCLE, NULL, 0, NULL, 0) ==
           (psa_status_t)expected_lifecycle);
    return 0;
}

/* The SM starts the NS world in the three states that boot and in no other (issue #15):
 * the manufacturing states, DECOMMISSIONED, a state unread (0) and any value that is no state,
 * also one a bit away from SECURED or a debug state, stop it. */
static void test_may_start(void **state)
{
    (void)state;
    static const uint32_t starts[] = {BL_LIFECYCLE_SECURED, BL_LIFECYCLE_NON_PSA_ROT_DEBUG,
                                      BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG};
    static const uint32_t stops[] = {BL_LIFECYCLE_ASSEMBLY_AND_TEST,
                                     BL_LIFECYCLE_PSA_ROT_PROVISIONING,
                                     BL_LIFECYCLE_DECOMMISSIONED,
                                     0u,
                                     0xFFFFFFFFu,
                                     0x10003000u,
                                     0x3001u,
                                     0x4000u | 0x10000u};
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        assert_true(sm_device_may_start(starts[i]));
    }
    for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
        assert_false(sm_device_may_start(stops[i]));
    }
}

static void test_lifecycle(void **state)
{
    (void)state;
    static const uint32_t states[] = {BL_LIFECYCLE_ASSEMBLY_AND_TEST,
                                      BL_LIFECYCLE_PSA_ROT_PROVISIONING, BL_LIFECYCLE_SECURED,
                                      BL_LIFECYCLE_DECOMMISSIONED};
    make_records(&records, 1);
    sm_host_boot_records(&records);
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        provision(states[i], 1);
        expected_lifecycle = states[i];
        boot(run_lifecycle);
    }
    /* The state the device moved to since (bl_lifecycle.h), not the provisioned one. */
    static const uint32_t moves[] = {BL_LIFECYCLE_NON_PSA_ROT_DEBUG, BL_LIFECYCLE_SECURED,
                                     BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG};
    provision(BL_LIFECYCLE_SECURED, 1);
    for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
        assert_int_equal(host_flash_open_dir(dir, false), PLAT_FLASH_OK);
        assert_int_equal(bl_lifecycle_set(moves[i]), BL_OK);
        host_flash_close();
        expected_lifecycle = moves[i];
        boot(run_lifecycle);
    }
}

/* A lifecycle request (sm/sm_lifecycle.h) for chip `id`, count `n`, state `to`, signed by
 * `priv` over the digest laid out here from the header's text (the oracle for bl_lifecycle_digest).
 */
struct lc_req {
    uint8_t b[SM_LIFECYCLE_REQUEST_SIZE];
};
static void put32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}
static struct lc_req lc_make(const uint8_t id[16], uint32_t n, uint32_t to, const uint8_t *priv)
{
    struct lc_req r;
    uint8_t msg[40], digest[32], check[32];
    memcpy(msg, "SM lifecycle v1", 16); /* its NUL the 16th byte */
    memcpy(msg + 16, id, 16);
    put32le(msg + 32, n);
    put32le(msg + 36, to);
    bl_sha256(msg, sizeof(msg), digest);
    bl_lifecycle_digest(id, n, to, check);
    assert_memory_equal(check, digest, 32);
    put32le(r.b, SM_LIFECYCLE_MAGIC);
    memcpy(r.b + 4, id, 16);
    put32le(r.b + 20, n);
    put32le(r.b + 24, to);
    assert_int_equal(p256_ecdsa_sign(r.b + 28, priv, digest, 32), P256_SUCCESS);
    return r;
}

/* The parser and the decision, as functions of their input. */
static void test_lc_request(void **state)
{
    (void)state;
    static const uint8_t zero[16];
    struct lc_req r = lc_make(zero, 7, BL_LIFECYCLE_NON_PSA_ROT_DEBUG, oem_priv);
    struct sm_lc_request q;
    assert_int_equal(sm_lc_parse(r.b, sizeof(r.b), &q), PSA_SUCCESS);
    assert_int_equal(q.transitions, 7);
    assert_int_equal(q.to, BL_LIFECYCLE_NON_PSA_ROT_DEBUG);
    assert_memory_equal(q.sig, r.b + 28, 64);
    for (size_t n = 0; n <= sizeof(r.b) + 1; n++) { /* every size but the one */
        uint8_t big[SM_LIFECYCLE_REQUEST_SIZE + 1];
        memcpy(big, r.b, sizeof(r.b));
        big[sizeof(r.b)] = 0;
        assert_int_equal(sm_lc_parse(big, n, &q),
                         n == sizeof(r.b) ? PSA_SUCCESS : PSA_ERROR_INVALID_ARGUMENT);
    }
    for (int i = 0; i < 32; i++) { /* any bit of the magic */
        struct lc_req m = r;
        m.b[i / 8] ^= (uint8_t)(1u << (i % 8));
        assert_int_equal(sm_lc_parse(m.b, sizeof(m.b), &q), PSA_ERROR_INVALID_ARGUMENT);
        assert_int_equal(q.to, 0); /* a refused parse leaves nothing */
    }
    static const uint32_t bad_to[] = {0, 0x1001, 0x2FFF, 0x3001, 0x7000, 0x13000, 0xFFFFFFFF};
    for (size_t i = 0; i < sizeof(bad_to) / sizeof(bad_to[0]); i++) {
        struct lc_req m = r;
        put32le(m.b + 24, bad_to[i]);
        assert_int_equal(sm_lc_parse(m.b, sizeof(m.b), &q), PSA_ERROR_INVALID_ARGUMENT);
    }
    /* Every pair of states: allowed from a booting state as the store allows it. */
    static const uint32_t all[] = {BL_LIFECYCLE_ASSEMBLY_AND_TEST,
                                   BL_LIFECYCLE_PSA_ROT_PROVISIONING,
                                   BL_LIFECYCLE_SECURED,
                                   BL_LIFECYCLE_NON_PSA_ROT_DEBUG,
                                   BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG,
                                   BL_LIFECYCLE_DECOMMISSIONED};
    for (size_t i = 0; i < 6; i++) {
        for (size_t j = 0; j < 6; j++) {
            struct lc_req m = lc_make(zero, 3, all[j], oem_priv);
            assert_int_equal(sm_lc_parse(m.b, sizeof(m.b), &q), PSA_SUCCESS);
            const bool runs = all[i] == BL_LIFECYCLE_SECURED ||
                              all[i] == BL_LIFECYCLE_NON_PSA_ROT_DEBUG ||
                              all[i] == BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG;
            const bool ok = runs && bl_lifecycle_allowed(all[i], all[j]);
            assert_int_equal(sm_lc_decide(&q, zero, all[i], 3),
                             ok ? PSA_SUCCESS : PSA_ERROR_NOT_PERMITTED);
            if (ok) {
                uint8_t other[16] = {0};
                other[15] = 1;
                assert_int_equal(sm_lc_decide(&q, other, all[i], 3), PSA_ERROR_INVALID_SIGNATURE);
                assert_int_equal(sm_lc_decide(&q, zero, all[i], 4), PSA_ERROR_BAD_STATE);
                assert_int_equal(sm_lc_decide(&q, zero, all[i], 2), PSA_ERROR_BAD_STATE);
            }
        }
    }
}

/* What the NS application hands the service on the device, boot by boot. */
static struct lc_req lc_refused[10], lc_good;
static size_t lc_refused_count;
static psa_status_t lc_refused_status[10];
static psa_status_t lc_good_status;
static bool lc_decommission;
static int run_lc_requests(void)
{
    for (size_t i = 0; i < lc_refused_count; i++) {
        const psa_status_t s = sm_lifecycle_request(lc_refused[i].b, sizeof(lc_refused[i].b));
        if (s != lc_refused_status[i]) {
            fprintf(stderr, "request %zu: %d, not %d\n", i, (int)s, (int)lc_refused_status[i]);
            return -1;
        }
    }
    /* Malformed: a size the client refuses, and ones the service refuses itself. */
    EXPECT(sm_lifecycle_request(lc_good.b, sizeof(lc_good.b) - 1) == PSA_ERROR_INVALID_ARGUMENT);
    uint8_t big[SM_LIFECYCLE_REQUEST_SIZE + 1] = {0};
    memcpy(big, lc_good.b, sizeof(lc_good.b));
    for (size_t n = sizeof(lc_good.b) - 1; n <= sizeof(big); n += 2) {
        psa_invec in[1] = {{big, n}};
        EXPECT(psa_call(SM_ATTEST_HANDLE, 3 /* ATTEST_IPC_LIFECYCLE */, in, 1, NULL, 0) ==
               PSA_ERROR_INVALID_ARGUMENT);
    }
    if (lc_good_status != 0) {
        EXPECT(sm_lifecycle_request(lc_good.b, sizeof(lc_good.b)) == PSA_SUCCESS);
        /* The same request again: its count is spent (once decommissioned, the device's state
         * moves no more at all). */
        const psa_status_t again = sm_lifecycle_request(lc_good.b, sizeof(lc_good.b));
        EXPECT(again == (lc_decommission ? PSA_ERROR_NOT_PERMITTED : PSA_ERROR_BAD_STATE));
    }
    return 0;
}

static uint8_t *read_flash(size_t *n)
{
    char path[64];
    snprintf(path, sizeof(path), "%s/flash.img", dir);
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

static uint32_t lc_state(uint32_t *transitions)
{
    uint32_t now = 0, v = 0;
    assert_int_equal(host_flash_open_dir(dir, false), PLAT_FLASH_OK);
    assert_int_equal(bl_lifecycle_get(&now), BL_OK);
    if (now != BL_LIFECYCLE_DECOMMISSIONED) {
        assert_int_equal(bl_counter_get(BL_COUNTER_LIFECYCLE, &v), BL_OK);
    }
    host_flash_close();
    *transitions = v >> 16;
    return now;
}

/* One boot: the refusals of this state and count (each writing nothing: the flash after a boot
 * of refusals only is the flash before, byte for byte), then the good move to `to` and its
 * replay; the next boot's token says the new state. */
static void lc_boot(uint32_t now, uint32_t n, uint32_t to)
{
    static const uint8_t zero[16];
    uint8_t other_id[16] = {0x0C};
    size_t k = 0;
    lc_refused[k] = lc_make(zero, n, to, oem_priv); /* a flipped signature bit */
    lc_refused[k].b[28 + 40] ^= 0x10;
    lc_refused_status[k++] = PSA_ERROR_INVALID_SIGNATURE;
    lc_refused[k] = lc_make(zero, n, to, other_priv); /* signed by a key not the OEM's */
    lc_refused_status[k++] = PSA_ERROR_INVALID_SIGNATURE;
    lc_refused[k] = lc_make(other_id, n, to, oem_priv); /* the OEM's, for another chip */
    lc_refused_status[k++] = PSA_ERROR_INVALID_SIGNATURE;
    lc_refused[k] = lc_make(other_id, n, to, oem_priv); /* another chip's, this chip's id */
    memset(lc_refused[k].b + 4, 0, 16);
    lc_refused_status[k++] = PSA_ERROR_INVALID_SIGNATURE;
    lc_refused[k] = lc_make(zero, n + 1, to, oem_priv); /* a count not the device's */
    lc_refused_status[k++] = PSA_ERROR_BAD_STATE;
    if (n > 0) {
        lc_refused[k] = lc_make(zero, n - 1, to, oem_priv); /* an older authorisation */
        lc_refused_status[k++] = PSA_ERROR_BAD_STATE;
    }
    lc_refused[k] = lc_make(zero, n, now, oem_priv); /* to the same state */
    lc_refused_status[k++] = PSA_ERROR_NOT_PERMITTED;
    lc_refused[k] = lc_make(zero, n, BL_LIFECYCLE_PSA_ROT_PROVISIONING, oem_priv); /* back */
    lc_refused_status[k++] = PSA_ERROR_NOT_PERMITTED;
    lc_refused[k] = lc_make(zero, n, to, oem_priv); /* a bad magic */
    lc_refused[k].b[3] ^= 1;
    lc_refused_status[k++] = PSA_ERROR_INVALID_ARGUMENT;
    lc_refused_count = k;
    lc_good = lc_make(zero, n, to, oem_priv);
    lc_decommission = to == BL_LIFECYCLE_DECOMMISSIONED;
    uint32_t t;
    assert_int_equal(lc_state(&t), now);
    assert_int_equal(t, n);
    size_t len_before, len_after;
    uint8_t *before_flash = read_flash(&len_before);
    lc_good_status = 0;
    boot(run_lc_requests); /* the refusals alone */
    uint8_t *after_flash = read_flash(&len_after);
    assert_int_equal(len_before, len_after);
    assert_memory_equal(before_flash, after_flash, len_before);
    free(before_flash);
    free(after_flash);
    lc_good_status = 1;
    boot(run_lc_requests);
    assert_int_equal(lc_state(&t), to);
    if (to != BL_LIFECYCLE_DECOMMISSIONED) {
        assert_int_equal(t, n + 1);
        expected_lifecycle = to;
        boot(run_lifecycle);
    }
}

/* The moves from SECURED on a running device (issue #15): to each debug state and back, and
 * from a debug state to DECOMMISSIONED, each with every refusal first. */
static void test_lc_moves(void **state)
{
    (void)state;
    make_records(&records, 1);
    sm_host_boot_records(&records);
    provision(BL_LIFECYCLE_SECURED, 1);
    lc_boot(BL_LIFECYCLE_SECURED, 0, BL_LIFECYCLE_NON_PSA_ROT_DEBUG);
    lc_boot(BL_LIFECYCLE_NON_PSA_ROT_DEBUG, 1, BL_LIFECYCLE_SECURED);
    lc_boot(BL_LIFECYCLE_SECURED, 2, BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG);
    lc_boot(BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG, 3, BL_LIFECYCLE_DECOMMISSIONED);
    /* SECURED straight to DECOMMISSIONED too. */
    provision(BL_LIFECYCLE_SECURED, 1);
    lc_boot(BL_LIFECYCLE_SECURED, 0, BL_LIFECYCLE_DECOMMISSIONED);
}

/* After an NS update, the NS component changes and no other. */
static uint8_t before[ATTEST_CLIENT_BUF];
static size_t before_len;
static int save_token(void)
{
    EXPECT(ns_token(32, 3) == PSA_SUCCESS);
    FILE *f = fopen(out_path, "wb");
    EXPECT(f != NULL && fwrite(token, 1, token_len, f) == token_len);
    fclose(f);
    return 0;
}

static void test_ns_update(void **state)
{
    (void)state;
    struct sm_token a, b;
    provision(BL_LIFECYCLE_SECURED, 1);
    make_records(&records, 1);
    sm_host_boot_records(&records);
    boot(save_token);
    FILE *f = fopen(out_path, "rb");
    assert_non_null(f);
    before_len = fread(before, 1, sizeof(before), f);
    fclose(f);
    make_records(&records, 2); /* the uRoT installed NS 2.x */
    boot(save_token);
    f = fopen(out_path, "rb");
    assert_non_null(f);
    token_len = fread(token, 1, sizeof(token), f);
    fclose(f);
    assert_int_equal(verify(before, before_len, &a), 0);
    assert_int_equal(verify(token, token_len, &b), 0);
    assert_int_equal(a.component_count, b.component_count);
    for (size_t i = 0; i < a.component_count; i++) {
        const bool ns = i == 3;
        const bool same_m =
            memcmp(a.components[i].measurement.p, b.components[i].measurement.p, 32) == 0;
        const bool same_v = a.components[i].version.n == b.components[i].version.n &&
                            memcmp(a.components[i].version.p, b.components[i].version.p,
                                   a.components[i].version.n) == 0;
        assert_true(ns ? !same_m && !same_v : same_m && same_v);
    }
}

static int run_service_failure(void)
{
    size_t size = 5;
    EXPECT(psa_initial_attest_get_token_size(32, &size) == PSA_ERROR_SERVICE_FAILURE);
    EXPECT(size == 0);
    EXPECT(ns_token(32, 0) == PSA_ERROR_SERVICE_FAILURE);
    EXPECT(token_len == 0);
    EXPECT(ns_token(31, 0) == PSA_ERROR_INVALID_ARGUMENT); /* arguments are checked first */
    uint8_t challenge[32] = {0};
    EXPECT(partition_token(challenge, 32, ATTEST_CLIENT_BUF) == PSA_ERROR_SERVICE_FAILURE);
    return 0;
}

static void test_service_failure(void **state)
{
    (void)state;
    make_records(&records, 1);
    sm_host_boot_records(&records);
    provision(BL_LIFECYCLE_SECURED, 0); /* no attestation block */
    boot(run_service_failure);
    provision(BL_LIFECYCLE_SECURED, 2); /* a block of another provisioning */
    boot(run_service_failure);
    provision(BL_LIFECYCLE_SECURED, 1); /* no measured image booted */
    sm_host_boot_records(NULL);
    boot(run_service_failure);
    records.records[1].kind = BL_KIND_UROT; /* records the uRoT never writes: uRoT twice */
    sm_host_boot_records(&records);
    boot(run_service_failure);
}

/* ---- the key out of reach ---- */

static int run_partition_sign(void)
{
    EXPECT(psa_call(TEST_ATTEST_CLIENT_HANDLE, ATTEST_CLIENT_SIGN, NULL, 0, NULL, 0) !=
           PSA_SUCCESS);
    EXPECT(sm_host_partition_stopped("TEST_ATTEST_CLIENT"));
    EXPECT(!sm_host_partition_stopped("SM_ATTEST"));
    EXPECT(ns_token(32, 0) == PSA_SUCCESS);
    return 0;
}

static int run_partition_identity(void)
{
    EXPECT(psa_call(TEST_ATTEST_CLIENT_HANDLE, ATTEST_CLIENT_IDENTITY, NULL, 0, NULL, 0) !=
           PSA_SUCCESS);
    EXPECT(sm_host_partition_stopped("TEST_ATTEST_CLIENT"));
    EXPECT(ns_token(32, 0) == PSA_SUCCESS);
    return 0;
}

static void test_key_out_of_reach(void **state)
{
    (void)state;
    provision(BL_LIFECYCLE_SECURED, 1);
    make_records(&records, 1);
    sm_host_boot_records(&records);
    boot(run_partition_sign);
    boot(run_partition_identity);
}

/* ---- the encoder alone ---- */

static int sign_calls;
static psa_status_t test_sign(const void *tbs, size_t len, uint8_t sig[64])
{
    uint8_t hash[32];
    sign_calls++;
    bl_sha256(tbs, len, hash);
    return p256_ecdsa_sign(sig, iak_priv, hash, 32) == P256_SUCCESS ? PSA_SUCCESS
                                                                    : PSA_ERROR_GENERIC_ERROR;
}

static psa_status_t failing_sign(const void *tbs, size_t len, uint8_t sig[64])
{
    (void)tbs, (void)len, (void)sig;
    return PSA_ERROR_HARDWARE_FAILURE;
}

static struct sm_attest_identity test_identity(void)
{
    struct sm_attest_identity id;
    uint8_t point[65] = {0x04};
    memset(&id, 0, sizeof(id));
    memcpy(id.iak_pub, iak_pub, 64);
    memcpy(point + 1, iak_pub, 64);
    id.instance_id[0] = 0x01;
    bl_sha256(point, sizeof(point), id.instance_id + 1);
    memcpy(id.implementation_id, impl_id, 32);
    id.cert_ref_len = (uint8_t)strlen(cert_ref);
    memcpy(id.cert_ref, cert_ref, id.cert_ref_len);
    id.url_len = (uint8_t)strlen(url);
    memcpy(id.url, url, id.url_len);
    return id;
}

static void test_encoder_profiles(void **state)
{
    (void)state;
    static uint8_t buf[ATTEST_TOKEN_BUF];
    uint8_t nonce[32], seed[32];
    struct sm_boot_component comp[2] = {{.kind = 0, .major = 1, .build = 7},
                                        {.kind = 2, .major = 9, .minor = 8, .revision = 300}};
    memset(nonce, 0xAB, sizeof(nonce));
    memset(seed, 0x5D, sizeof(seed));
    memset(comp[0].measurement, 1, 32);
    memset(comp[1].signer, 2, 32);
    const struct sm_attest_identity id = test_identity();
    const struct attest_claims c = {nonce, 32, -3, 0x3000, seed, &id, comp, 2};
    for (int p = ATTEST_PROFILE_PSA_TFM; p <= ATTEST_PROFILE_IOT_1; p++) {
        const uint8_t *tok;
        size_t len;
        struct sm_token t;
        assert_int_equal(attest_token_make(p, &c, buf, sizeof(buf), test_sign, &tok, &len),
                         PSA_SUCCESS);
        assert_int_equal(verify(tok, len, &t), 0);
        assert_int_equal(t.profile,
                         p == ATTEST_PROFILE_PSA_TFM ? SM_TOKEN_PSA_TFM : SM_TOKEN_PSA_IOT_1);
        assert_true(bytes_are(&t.nonce, nonce, 32));
        assert_true(bytes_are(&t.boot_seed, seed, 32));
        assert_int_equal(t.client_id, -3);
        assert_int_equal(t.lifecycle, 0x3000);
        /* RFC 9783 carries the whole reference; the legacy profile its EAN-13. */
        assert_true(bytes_are(&t.cert_ref, cert_ref, p == ATTEST_PROFILE_PSA_TFM ? 19 : 13));
        assert_int_equal(t.component_count, 2);
        assert_true(bytes_are(&t.components[0].version, "1.0.0+7", 7));
        assert_true(bytes_are(&t.components[1].version, "9.8.300+0", 9));
        assert_true(bytes_are(&t.components[1].type, "App", 3));
        /* The same claims without signing: the same size (get_token_size). */
        size_t len2;
        assert_int_equal(attest_token_make(p, &c, buf, sizeof(buf), NULL, &tok, &len2),
                         PSA_SUCCESS);
        assert_int_equal(len2, len);
    }
}

static void test_encoder_worst_case(void **state)
{
    (void)state;
    static uint8_t buf[ATTEST_TOKEN_BUF];
    uint8_t nonce[64], seed[32];
    struct sm_boot_component comp[SM_BOOT_COMPONENTS_MAX];
    struct sm_attest_identity id = test_identity();
    memset(id.url, 'u', SM_ATTEST_URL_MAX);
    id.url_len = SM_ATTEST_URL_MAX;
    for (uint8_t i = 0; i < SM_BOOT_COMPONENTS_MAX; i++) {
        comp[i] = (struct sm_boot_component){
            .kind = i, .major = 255, .minor = 255, .revision = 65535, .build = UINT32_MAX};
        memset(comp[i].measurement, i, 32);
        memset(comp[i].signer, i, 32);
    }
    const struct attest_claims c = {nonce, 64,  INT32_MIN, 0x60FF,
                                    seed,  &id, comp,      SM_BOOT_COMPONENTS_MAX};
    for (int p = ATTEST_PROFILE_PSA_TFM; p <= ATTEST_PROFILE_IOT_1; p++) {
        const uint8_t *tok;
        size_t len;
        struct sm_token t;
        assert_int_equal(attest_token_make(p, &c, buf, sizeof(buf), test_sign, &tok, &len),
                         PSA_SUCCESS);
        assert_true(len <= PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE);
        assert_true(tok >= buf && tok + len <= buf + sizeof(buf));
        assert_int_equal(verify(tok, len, &t), 0);
        assert_int_equal(t.component_count, SM_BOOT_COMPONENTS_MAX);
        assert_true(bytes_are(&t.components[6].version, "255.255.65535+4294967295", 24));
        printf("largest token (%s): %zu bytes\n", p == 0 ? "RFC 9783" : "PSA_IOT_PROFILE_1", len);
    }
}

static void test_encoder_rejects(void **state)
{
    (void)state;
    static uint8_t buf[ATTEST_TOKEN_BUF];
    uint8_t nonce[64] = {0}, seed[32] = {0};
    struct sm_boot_component comp[1] = {{.kind = 1}};
    struct sm_attest_identity id = test_identity();
    struct attest_claims c = {nonce, 32, -1, 0x3000, seed, &id, comp, 1};
    const uint8_t *tok;
    size_t len, good;
    assert_int_equal(attest_token_make(0, &c, buf, sizeof(buf), NULL, &tok, &good), PSA_SUCCESS);
    /* Too small: refused before anything is signed. */
    sign_calls = 0;
    assert_int_equal(attest_token_make(0, &c, buf, good - 1, test_sign, &tok, &len),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(sign_calls, 0);
    assert_null(tok);
    assert_int_equal(attest_token_make(0, &c, buf, good, test_sign, &tok, &len), PSA_SUCCESS);
    assert_int_equal(sign_calls, 1);
    struct attest_claims bad;
    bad = c, bad.nonce_len = 33;
    assert_int_equal(attest_token_make(0, &bad, buf, sizeof(buf), NULL, &tok, &len),
                     PSA_ERROR_INVALID_ARGUMENT);
    bad = c, bad.component_count = 0;
    assert_int_equal(attest_token_make(0, &bad, buf, sizeof(buf), NULL, &tok, &len),
                     PSA_ERROR_INVALID_ARGUMENT);
    bad = c, bad.component_count = SM_BOOT_COMPONENTS_MAX + 1;
    assert_int_equal(attest_token_make(0, &bad, buf, sizeof(buf), NULL, &tok, &len),
                     PSA_ERROR_INVALID_ARGUMENT);
    comp[0].kind = SM_BOOT_COMPONENTS_MAX;
    assert_int_equal(attest_token_make(0, &c, buf, sizeof(buf), NULL, &tok, &len),
                     PSA_ERROR_INVALID_ARGUMENT);
    comp[0].kind = 1;
    id.cert_ref_len = 13;
    assert_int_equal(attest_token_make(0, &c, buf, sizeof(buf), NULL, &tok, &len),
                     PSA_ERROR_INVALID_ARGUMENT);
    id = test_identity();
    id.url_len = SM_ATTEST_URL_MAX + 1;
    assert_int_equal(attest_token_make(0, &c, buf, sizeof(buf), NULL, &tok, &len),
                     PSA_ERROR_INVALID_ARGUMENT);
    id = test_identity();
    assert_int_equal(attest_token_make(2, &c, buf, sizeof(buf), NULL, &tok, &len),
                     PSA_ERROR_INVALID_ARGUMENT);
    /* A failing signer fails the token. */
    assert_int_equal(attest_token_make(0, &c, buf, sizeof(buf), failing_sign, &tok, &len),
                     PSA_ERROR_GENERIC_ERROR);
    assert_null(tok);
}

/* ---- the verifier against defective tokens ---- */

/* The test's own CBOR writer: heads and bytes, nothing checked, so any defect can be made. */
struct w {
    uint8_t b[2048];
    size_t n;
};

static void w_head(struct w *w, uint8_t major, uint64_t v)
{
    const uint8_t m = (uint8_t)(major << 5);
    if (v < 24) {
        w->b[w->n++] = m | (uint8_t)v;
    } else if (v < 256) {
        w->b[w->n++] = m | 24;
        w->b[w->n++] = (uint8_t)v;
    } else if (v < 65536) {
        w->b[w->n++] = m | 25;
        w->b[w->n++] = (uint8_t)(v >> 8);
        w->b[w->n++] = (uint8_t)v;
    } else {
        w->b[w->n++] = m | 26;
        for (int i = 3; i >= 0; i--) {
            w->b[w->n++] = (uint8_t)(v >> (8 * i));
        }
    }
}

static void w_int(struct w *w, int64_t v)
{
    if (v >= 0) {
        w_head(w, 0, (uint64_t)v);
    } else {
        w_head(w, 1, (uint64_t)(-1 - v));
    }
}

static void w_bytes(struct w *w, uint8_t major, const void *p, size_t n)
{
    w_head(w, major, n);
    memcpy(w->b + w->n, p, n);
    w->n += n;
}

/* What a defect changes in the claims. */
enum defect {
    D_NONE,
    D_OMIT,       /* leave out claim `key` */
    D_AS_TEXT,    /* claim `key` as a text string of its bytes */
    D_SHORT,      /* claim `key` one byte shorter */
    D_LONG,       /* claim `key` one byte longer */
    D_NEGATIVE,   /* claim `key` as -5 */
    D_TWICE,      /* claim `key` twice */
    D_PROFILE,    /* another profile string */
    D_UEID_TYPE,  /* instance id of type 0x02 */
    D_CERT_REF,   /* certification reference not EAN-13+5 */
    D_NO_SWC,     /* an empty software components array */
    D_SWC_OMIT,   /* a component without its measurement (attribute 2) */
    D_SWC_SHORT,  /* a component with a 31-byte signer */
    D_LIFECYCLE,  /* lifecycle 0x7000 */
    D_CLIENT_0,   /* client id 0 */
    D_INDEFINITE, /* an unknown claim of indefinite length */
};

struct claim {
    int64_t key;
    uint8_t major; /* 0 int (value), 2 bytes, 3 text */
    const void *p;
    size_t n;
    int64_t value;
};

static void w_claims(struct w *w, int legacy, enum defect d, int64_t dkey)
{
    static uint8_t nonce[32], ueid[33], seed[32], meas[32], signer[32];
    memset(nonce, 0x11, 32);
    memset(seed, 0x22, 32);
    memset(meas, 0x33, 32);
    memset(signer, 0x44, 32);
    uint8_t point[65] = {0x04};
    memcpy(point + 1, iak_pub, 64);
    ueid[0] = d == D_UEID_TYPE ? 0x02 : 0x01;
    bl_sha256(point, sizeof(point), ueid + 1);
    const char *profile = legacy ? "PSA_IOT_PROFILE_1" : "tag:psacertified.org,2023:psa#tfm";
    if (d == D_PROFILE) {
        profile = legacy ? "PSA_IOT_PROFILE_2" : "tag:psacertified.org,2023:psa#other";
    }
    const char *ref = legacy ? "0604565272829" : cert_ref;
    if (d == D_CERT_REF) {
        ref = "0604565272829_10010";
    }
    const int64_t k = legacy ? -75000 : 0; /* legacy keys are -75000 - n */
#define KEY(tfm, n) (legacy ? k - (n) : (tfm))
    const struct claim claims[] = {
        {KEY(10, 8), 2, nonce, 32, 0},
        {KEY(256, 9), 2, ueid, 33, 0},
        {KEY(265, 0), 3, profile, strlen(profile), 0},
        {KEY(2394, 1), 0, NULL, 0, d == D_CLIENT_0 ? 0 : -1},
        {KEY(2395, 2), 0, NULL, 0, d == D_LIFECYCLE ? 0x7000 : 0x3000},
        {KEY(2396, 3), 2, impl_id, 32, 0},
        {KEY(268, 4), 2, seed, 32, 0},
        {KEY(2398, 5), 3, ref, strlen(ref), 0},
        {KEY(2400, 10), 3, url, strlen(url), 0},
    };
    const int64_t swc_key = KEY(2399, 6);
#undef KEY
    const size_t nc = sizeof(claims) / sizeof(claims[0]);
    size_t count = nc + 1 + (d == D_TWICE) + (d == D_INDEFINITE) - (d == D_OMIT);
    w_head(w, 5, count);
    for (size_t i = 0; i < nc; i++) {
        const struct claim *c = &claims[i];
        const bool hit = c->key == dkey;
        for (int rep = 0; rep < (hit && d == D_TWICE ? 2 : 1); rep++) {
            if (hit && d == D_OMIT) {
                continue;
            }
            w_int(w, c->key);
            if (hit && d == D_NEGATIVE) {
                w_int(w, -5);
            } else if (c->major == 0) {
                if (hit && d == D_AS_TEXT) {
                    w_bytes(w, 3, "1", 1);
                } else {
                    w_int(w, c->value);
                }
            } else {
                const size_t n = c->n - (hit && d == D_SHORT) + (hit && d == D_LONG);
                uint8_t tmp[128] = {0};
                memcpy(tmp, c->p, c->n);
                w_bytes(w, hit && d == D_AS_TEXT ? (c->major == 2 ? 3 : 2) : c->major, tmp, n);
            }
        }
    }
    if (d == D_INDEFINITE) {
        w_int(w, 77777);
        w->b[w->n++] = 0x5F; /* an indefinite-length byte string of one chunk */
        w_bytes(w, 2, "ab", 2);
        w->b[w->n++] = 0xFF;
    }
    if (!(d == D_OMIT && dkey == swc_key)) {
        w_int(w, swc_key);
        if (d == D_AS_TEXT && dkey == swc_key) {
            w_bytes(w, 3, "none", 4);
        } else if (d == D_NO_SWC) {
            w_head(w, 4, 0);
        } else {
            w_head(w, 4, 1);
            w_head(w, 5, d == D_SWC_OMIT ? 3 : 4);
            w_int(w, 1);
            w_bytes(w, 3, "BL", 2);
            if (d != D_SWC_OMIT) {
                w_int(w, 2);
                w_bytes(w, 2, meas, 32);
            }
            w_int(w, 4);
            w_bytes(w, 3, "1.0.0", 5);
            w_int(w, 5);
            w_bytes(w, 2, signer, d == D_SWC_SHORT ? 31 : 32);
        }
    }
}

/* A COSE_Sign1 over `payload`, signed with priv. */
static void w_sign1(struct w *w, const struct w *payload, const uint8_t priv[32])
{
    static const uint8_t prot[] = {0xA1, 0x01, 0x26};
    struct w tbs = {.n = 0};
    w_head(&tbs, 4, 4);
    w_bytes(&tbs, 3, "Signature1", 10);
    w_bytes(&tbs, 2, prot, sizeof(prot));
    w_bytes(&tbs, 2, "", 0);
    w_bytes(&tbs, 2, payload->b, payload->n);
    uint8_t hash[32], sig[64];
    bl_sha256(tbs.b, tbs.n, hash);
    assert_int_equal(p256_ecdsa_sign(sig, priv, hash, 32), P256_SUCCESS);
    w->n = 0;
    w_head(w, 6, 18);
    w_head(w, 4, 4);
    w_bytes(w, 2, prot, sizeof(prot));
    w_head(w, 5, 0);
    w_bytes(w, 2, payload->b, payload->n);
    w_bytes(w, 2, sig, 64);
}

static struct w made;
static void make_token(int legacy, enum defect d, int64_t key)
{
    struct w payload = {.n = 0};
    w_claims(&payload, legacy, d, key);
    w_sign1(&made, &payload, iak_priv);
}

/* The verifier refuses, and says something containing `reason`. */
static void expect_rejected(const uint8_t *tok, size_t len, const uint8_t *pub, const char *reason,
                            const char *what)
{
    struct sm_token t;
    char why[160];
    const int rc = sm_token_verify(tok, len, pub, &t, why, sizeof(why));
    if (rc == 0 || strstr(why, reason) == NULL) {
        fprintf(stderr, "%s: expected a rejection with \"%s\", got %d \"%s\"\n", what, reason, rc,
                why);
        fail();
    }
    assert_int_equal(t.component_count, 0); /* nothing half-parsed is left */
}

static void test_verifier_rejects(void **state)
{
    (void)state;
    struct sm_token t;
    char why[160];
    for (int legacy = 0; legacy <= 1; legacy++) {
        const int64_t k = legacy ? -75000 : 0;
#define KEY(tfm, n) (legacy ? k - (n) : (tfm))
        make_token(legacy, D_NONE, 0);
        assert_int_equal(sm_token_verify(made.b, made.n, iak_pub, &t, why, sizeof(why)), 0);
        assert_int_equal(t.profile, legacy ? SM_TOKEN_PSA_IOT_1 : SM_TOKEN_PSA_TFM);
        /* Claims it does not know are skipped, not refused. */
        const struct {
            enum defect d;
            int64_t key;
            const char *reason;
        } cases[] = {
            {D_OMIT, KEY(10, 8), "nonce"},
            {D_OMIT, KEY(256, 9), "instance id"},
            {D_OMIT, KEY(265, 0), "profile is missing"},
            {D_OMIT, KEY(2394, 1), "client id"},
            {D_OMIT, KEY(2395, 2), "security lifecycle"},
            {D_OMIT, KEY(2396, 3), "implementation id"},
            {D_OMIT, KEY(2399, 6), "software components"},
            {D_AS_TEXT, KEY(10, 8), "nonce is not a byte string"},
            {D_AS_TEXT, KEY(256, 9), "instance id is not a byte string"},
            {D_AS_TEXT, KEY(265, 0), "profile is not a text string"},
            {D_AS_TEXT, KEY(2394, 1), "client id"},
            {D_AS_TEXT, KEY(2395, 2), "security lifecycle"},
            {D_AS_TEXT, KEY(2396, 3), "implementation id is not a byte string"},
            {D_AS_TEXT, KEY(268, 4), "boot seed is not a byte string"},
            {D_AS_TEXT, KEY(2398, 5), "certification reference is not a text string"},
            {D_AS_TEXT, KEY(2400, 10), "verification service is not a text string"},
            {D_AS_TEXT, KEY(2399, 6), "software components"},
            {D_SHORT, KEY(10, 8), "nonce: 31 bytes"},
            {D_LONG, KEY(10, 8), "nonce: 33 bytes"},
            {D_SHORT, KEY(256, 9), "instance id"},
            {D_LONG, KEY(256, 9), "instance id"},
            {D_SHORT, KEY(2396, 3), "implementation id: 31 bytes"},
            {D_LONG, KEY(2396, 3), "implementation id: 33 bytes"},
            {D_LONG, KEY(268, 4), "boot seed: 33 bytes"},
            {D_NEGATIVE, KEY(2395, 2), "security lifecycle"},
            {D_TWICE, KEY(2394, 1), "twice"},
            {D_PROFILE, 0, "unknown profile"},
            {D_UEID_TYPE, 0, "instance id"},
            {D_CERT_REF, 0, "certification reference"},
            {D_NO_SWC, 0, "software components"},
            {D_SWC_OMIT, 0, "measurement value of software component 0 (2) is missing"},
            {D_SWC_SHORT, 0, "signer id of software component 0: 31 bytes"},
            {D_LIFECYCLE, 0, "security lifecycle"},
            {D_CLIENT_0, 0, "client id"},
            {D_INDEFINITE, 0, "indefinite"},
        };
#undef KEY
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            char what[64];
            snprintf(what, sizeof(what), "%s case %zu", legacy ? "legacy" : "RFC 9783", i);
            make_token(legacy, cases[i].d, cases[i].key);
            expect_rejected(made.b, made.n, iak_pub, cases[i].reason, what);
        }
        /* The legacy boot seed is mandatory and of 32 bytes; RFC 9783's optional, 8 to 32. */
        make_token(legacy, D_OMIT, legacy ? -75004 : 268);
        assert_int_equal(sm_token_verify(made.b, made.n, iak_pub, &t, why, sizeof(why)),
                         legacy ? -1 : 0);
        make_token(legacy, D_SHORT, legacy ? -75004 : 268);
        assert_int_equal(sm_token_verify(made.b, made.n, iak_pub, &t, why, sizeof(why)),
                         legacy ? -1 : 0);
    }
    /* The wrong key, trailing bytes, and the envelope. */
    make_token(0, D_NONE, 0);
    expect_rejected(made.b, made.n, other_pub, "does not verify", "wrong key");
    made.b[made.n++] = 0x00;
    expect_rejected(made.b, made.n, iak_pub, "trailing", "trailing byte");
    made.n--;
    expect_rejected(made.b + 1, made.n - 1, iak_pub, "tag 18", "untagged");
    expect_rejected(made.b, made.n - 1, iak_pub, "signature", "truncated");
    /* A token signed by the other key under the IAK's instance id. */
    struct w payload = {.n = 0};
    w_claims(&payload, 0, D_NONE, 0);
    w_sign1(&made, &payload, other_priv);
    expect_rejected(made.b, made.n, iak_pub, "does not verify", "signed by another key");
    expect_rejected(made.b, made.n, other_pub, "instance id", "instance id of another key");
}

/* A flipped byte anywhere in a device's token, and every single-bit flip, is refused. */
static int run_flips(void)
{
    EXPECT(ns_token(32, 0x42) == PSA_SUCCESS);
    struct sm_token t;
    char why[160];
    EXPECT(sm_token_verify(token, token_len, iak_pub, &t, why, sizeof(why)) == 0);
    for (size_t i = 0; i < token_len; i++) {
        for (int bit = 0; bit <= 8; bit++) {
            token[i] ^= bit == 8 ? 0xFF : (uint8_t)(1u << bit);
            const int rc = sm_token_verify(token, token_len, iak_pub, &t, why, sizeof(why));
            token[i] ^= bit == 8 ? 0xFF : (uint8_t)(1u << bit);
            if (rc == 0) {
                fprintf(stderr, "byte %zu bit %d flipped: accepted\n", i, bit);
                return __LINE__;
            }
        }
    }
    return 0;
}

static void test_flipped_bytes(void **state)
{
    (void)state;
    provision(BL_LIFECYCLE_SECURED, 1);
    make_records(&records, 1);
    sm_host_boot_records(&records);
    boot(run_flips);
}

/* ---- files for smtool_token_test.sh ---- */

static int write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(p, 1, n, f) != n) {
        return -1;
    }
    return fclose(f);
}

static const char *mode_nonce;
static const char *mode_out;
/* test_attest lifecycle DEVICE_DIR REQ.bin: the NS application hands the request in the file
 * (smtool lifecycle --sign) to the device's SM and prints the status. */
static const char *mode_request;
static int run_lifecycle_mode(void)
{
    uint8_t req[SM_LIFECYCLE_REQUEST_SIZE + 1];
    FILE *f = fopen(mode_request, "rb");
    EXPECT(f != NULL);
    const size_t n = fread(req, 1, sizeof(req), f);
    fclose(f);
    printf("status %d\n", (int)sm_lifecycle_request(req, n));
    return 0;
}

static int run_token_mode(void)
{
    uint8_t nonce[64];
    const size_t n = strlen(mode_nonce) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        EXPECT(sscanf(mode_nonce + 2 * i, "%2x", &v) == 1);
        nonce[i] = (uint8_t)v;
    }
    EXPECT(psa_initial_attest_get_token(nonce, n, token, sizeof(token), &token_len) == PSA_SUCCESS);
    EXPECT(write_file(mode_out, token, token_len) == 0);
    return 0;
}

static int pem_public(const char *path, const uint8_t pub[64])
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint8_t der[91];
    char text[256];
    size_t n = 0;
    bl_pubkey_der(pub, der);
    n += (size_t)sprintf(text, "-----BEGIN PUBLIC KEY-----\n");
    for (size_t i = 0; i < sizeof(der); i += 3) {
        const uint32_t v = (uint32_t)der[i] << 16 | (i + 1 < sizeof(der) ? der[i + 1] << 8 : 0) |
                           (i + 2 < sizeof(der) ? der[i + 2] : 0);
        text[n++] = b64[v >> 18 & 63];
        text[n++] = b64[v >> 12 & 63];
        text[n++] = i + 1 < sizeof(der) ? b64[v >> 6 & 63] : '=';
        text[n++] = i + 2 < sizeof(der) ? b64[v & 63] : '=';
        if ((i + 3) % 48 == 0) {
            text[n++] = '\n';
        }
    }
    n += (size_t)sprintf(text + n, "\n-----END PUBLIC KEY-----\n");
    return write_file(path, text, n);
}

int main(int argc, char **argv)
{
    if (p256_public_from_private(iak_pub, iak_priv) != P256_SUCCESS ||
        p256_public_from_private(other_pub, other_priv) != P256_SUCCESS ||
        p256_public_from_private(oem_pub, oem_priv) != P256_SUCCESS) {
        fprintf(stderr, "test_attest: the test keys are not valid\n");
        return 1;
    }
    if (argc == 5 && strcmp(argv[1], "token") == 0) {
        make_records(&records, 1);
        sm_host_boot_records(&records);
        mode_nonce = argv[3];
        mode_out = argv[4];
        return device_fixture_boot(argv[2], run_token_mode) == 0 ? 0 : 1;
    }
    if (argc == 4 && strcmp(argv[1], "lifecycle") == 0) {
        make_records(&records, 1);
        sm_host_boot_records(&records);
        mode_request = argv[3];
        return device_fixture_boot(argv[2], run_lifecycle_mode) == 0 ? 0 : 1;
    }
    if (argc == 4 && strcmp(argv[1], "legacy") == 0) {
        make_token(1, D_NONE, 0);
        return write_file(argv[2], made.b, made.n) == 0 && pem_public(argv[3], iak_pub) == 0 ? 0
                                                                                             : 1;
    }
    if (mkdtemp(dir) == NULL) {
        return 1;
    }
    snprintf(out_path, sizeof(out_path), "%s/out.bin", dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ns_statuses),
        cmocka_unit_test(test_ns_claims),
        cmocka_unit_test(test_only_nonce_and_signature_differ),
        cmocka_unit_test(test_partition),
        cmocka_unit_test(test_boot_seed),
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_may_start),
        cmocka_unit_test(test_lc_request),
        cmocka_unit_test(test_lc_moves),
        cmocka_unit_test(test_ns_update),
        cmocka_unit_test(test_service_failure),
        cmocka_unit_test(test_key_out_of_reach),
        cmocka_unit_test(test_encoder_profiles),
        cmocka_unit_test(test_encoder_worst_case),
        cmocka_unit_test(test_encoder_rejects),
        cmocka_unit_test(test_verifier_rejects),
        cmocka_unit_test(test_flipped_bytes),
    };
    const int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    (void)!system(cmd);
    return failed;
}
