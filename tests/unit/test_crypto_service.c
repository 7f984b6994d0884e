/*
 * test_crypto_service.c: the PSA Crypto service end to end on the host: the portable suite
 * (tests/crypto/crypto_suite.c) with this program as the NS client and the TEST_CLIENT
 * partition as the second client, through the SM core to the crypto partition, over a
 * provisioned device directory (persistent keys live in ITS); and a persistent key across
 * power cycles.
 *
 * Each case runs in children that open the device and start the SM, as boots would; a later
 * child sees what an earlier one left. A child prints each failed check and passes only if the
 * suite reports checks and no failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto_suite.h"
#include "device_fixture.h"
#include "module_fixture.h"
#include "psa/client.h"
#include "psa/crypto.h"
#include "psa_manifest/sid.h"
#include "psa/service.h"
#include "sm_host.h"
#include "sm_kernel.h"
#include "sm_module_desc.h"
#include "sm_module_load.h"
#include "test_services.h"

static char dir[] = "/tmp/sm_crypto_service_XXXXXX";
static uint8_t huk[32];

static void report(const char *what, int line)
{
    fprintf(stderr, "crypto_suite.c:%d: check failed (%s)\n", line, what);
}

/* Runs `run` in a child that boots the device; the case passes if it returns 0. */
static void boot(int (*run)(void))
{
    assert_int_equal(device_fixture_boot(dir, run), 0);
}

static int outcome(const char *what, const struct crypto_suite_result *r)
{
    printf("%s: %u passed, %u failed\n", what, r->passed, r->failed);
    return r->passed > 0 && r->failed == 0 ? 0 : 1;
}

static int suite(void)
{
    struct crypto_suite_result r = {0, 0};
    crypto_suite_run(&r, report);
    return outcome("crypto suite", &r);
}

/* The whole suite; then again on the same device, as the board's application may run it at
 * every boot: the first run left nothing behind that the second trips on. */
static void test_suite(void **state)
{
    (void)state;
    assert_int_equal(device_fixture_provision(dir, huk, 0x10000, 4096), 0);
    boot(suite);
    boot(suite);
}

static int persistent(enum crypto_suite_boot step)
{
    struct crypto_suite_result r = {0, 0};
    crypto_suite_persistent(step, &r, report);
    return outcome("persistent key", &r);
}

static int create(void)
{
    return persistent(CRYPTO_SUITE_CREATE);
}

static int check(void)
{
    return persistent(CRYPTO_SUITE_CHECK);
}

static int destroy(void)
{
    return persistent(CRYPTO_SUITE_DESTROY);
}

static int gone(void)
{
    return persistent(CRYPTO_SUITE_GONE);
}

/* A persistent key imported in one boot is found, the same, in the next ones; destroyed, it
 * stays gone; and a second CREATE works again on the same device. */
static void test_persistent_key_survives_power_cycles(void **state)
{
    (void)state;
    assert_int_equal(device_fixture_provision(dir, huk, 0x10000, 4096), 0);
    boot(create);
    boot(check);
    boot(check);
    boot(destroy);
    boot(gone);
    boot(create);
    boot(destroy);
}

/* Operation slots are reserved per client, for three clients at once: this program and
 * TEST_CLIENT take all of theirs (4 and 2, with a table of 8 that was all of it before
 * reservations), and TEST_FAULT still sets up its 2 (then panics: FAULT_CRYPTO_ABANDON answers
 * GENERIC_ERROR if a setup fails). Each client's next setup is refused; the other clients'
 * operations go on, and what the stopped partition left is freed at the next setup or key
 * creation. */
static int three_clients(void)
{
    psa_hash_operation_t mine[5];
    for (int i = 0; i < 4; i++) {
        mine[i] = psa_hash_operation_init();
        if (psa_hash_setup(&mine[i], PSA_ALG_SHA_256) != PSA_SUCCESS) {
            fprintf(stderr, "three clients: setup %d of the NS client failed\n", i);
            return 1;
        }
    }
    mine[4] = psa_hash_operation_init();
    if (psa_hash_setup(&mine[4], PSA_ALG_SHA_256) != PSA_ERROR_INSUFFICIENT_MEMORY) {
        return 2;
    }
    /* TEST_CLIENT asks for as many as it may hold (5): it gets its 2, then is refused. */
    struct client_crypto c = {.op = CLIENT_CRYPTO_HOLD, .n = CLIENT_CRYPTO_HELD_MAX};
    uint32_t handles[CLIENT_CRYPTO_HELD_MAX];
    psa_invec in[2] = {{&c, sizeof(c)}, {"x", 1}};
    psa_outvec out[1] = {{handles, sizeof(handles)}};
    psa_status_t status = psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_CRYPTO, in, 2, out, 1);
    if (status != PSA_ERROR_INSUFFICIENT_MEMORY || out[0].len != 2 * sizeof(uint32_t)) {
        fprintf(stderr, "three clients: TEST_CLIENT's setups gave %d, %zu handles\n", (int)status,
                out[0].len / sizeof(uint32_t));
        return 3;
    }
    psa_handle_t h = psa_connect(TEST_FAULT_SERVICE_SID, 1);
    status = h > 0 ? psa_call(h, FAULT_CRYPTO_ABANDON, NULL, 0, NULL, 0) : h;
    if (status != PSA_ERROR_SERVICE_FAILURE || !sm_host_partition_stopped("TEST_FAULT")) {
        fprintf(stderr, "three clients: TEST_FAULT's setups gave %d\n", (int)status);
        return 5;
    }
    psa_close(h);
    /* TEST_FAULT's volatile key was freed at this program's next key creation: Mbed TLS 3.6's
     * static key store gives a volatile key the id of its slot (PSA_KEY_ID_VENDOR_MIN + the
     * slot's index), and the key took the first slot of this fresh device, which this
     * program's key now gets. Without the reclaim it would get the next one. */
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t key = PSA_KEY_ID_NULL;
    psa_set_key_type(&a, PSA_KEY_TYPE_HMAC);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_MESSAGE);
    psa_set_key_algorithm(&a, PSA_ALG_HMAC(PSA_ALG_SHA_256));
    status = psa_import_key(&a, (const uint8_t *)"0123456789abcdef", 16, &key);
    if (status != PSA_SUCCESS || key != PSA_KEY_ID_VENDOR_MIN ||
        psa_destroy_key(key) != PSA_SUCCESS) {
        fprintf(stderr, "three clients: import after the reclaim gave %d, id %#x\n", (int)status,
                (unsigned)key);
        return 10;
    }
    /* This program's abort and setup again; TEST_CLIENT's operations finish with their hash
     * (SHA-256 of "xx", by sha256sum). */
    if (psa_hash_abort(&mine[0]) != PSA_SUCCESS ||
        psa_hash_setup(&mine[0], PSA_ALG_SHA_256) != PSA_SUCCESS ||
        psa_hash_setup(&mine[4], PSA_ALG_SHA_256) != PSA_ERROR_INSUFFICIENT_MEMORY) {
        return 6;
    }
    static const uint8_t xx[32] = {0x5d, 0xde, 0x89, 0x68, 0x87, 0xf6, 0x75, 0x4c, 0x9b, 0x15, 0xbf,
                                   0xe3, 0xa4, 0x41, 0xae, 0x48, 0x06, 0xdf, 0x2f, 0xde, 0x94, 0x00,
                                   0x13, 0x11, 0xe0, 0x8b, 0xf1, 0x10, 0x62, 0x2e, 0x0b, 0xbe};
    uint8_t hashes[2 * 32];
    c.op = CLIENT_CRYPTO_RELEASE;
    out[0] = (psa_outvec){hashes, sizeof(hashes)};
    if (psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_CRYPTO, in, 2, out, 1) != PSA_SUCCESS ||
        out[0].len != sizeof(hashes)) {
        return 7;
    }
    for (int i = 0; i < 4; i++) {
        if (i < 2 && memcmp(hashes + 32 * i, xx, 32) != 0) {
            fprintf(stderr, "three clients: TEST_CLIENT's hash %d is wrong\n", i);
            return 8;
        }
        if (psa_hash_abort(&mine[i]) != PSA_SUCCESS) {
            return 9;
        }
    }
    return 0;
}

/* Persistent keys: each crypto client keeps its part of the crypto service's ITS reservation
 * (8 of its 24 entries with three clients, docs/design/its.md). This program fills its part:
 * the next persistent key is refused and nothing is stored (ITS answers INSUFFICIENT_STORAGE;
 * Mbed TLS 3.6 reports any failed store of a key as PSA_ERROR_DATA_INVALID, and the service
 * passes on what Mbed TLS answers); TEST_CLIENT's
 * persistent keys still go in, up to its own part; a destroyed key frees its owner's place. */
static psa_status_t import_persistent(uint32_t id)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t key = PSA_KEY_ID_NULL;
    psa_set_key_type(&a, PSA_KEY_TYPE_HMAC);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_MESSAGE);
    psa_set_key_algorithm(&a, PSA_ALG_HMAC(PSA_ALG_SHA_256));
    psa_set_key_id(&a, id);
    return psa_import_key(&a, (const uint8_t *)"0123456789abcdef", 16, &key);
}

static psa_status_t client_import_persistent(uint32_t id)
{
    struct client_crypto c = {.op = CLIENT_CRYPTO_IMPORT, .key = id};
    uint32_t got = 0;
    psa_invec in[2] = {{&c, sizeof(c)}, {"0123456789abcdef", 16}};
    psa_outvec out[1] = {{&got, sizeof(got)}};
    return psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_CRYPTO, in, 2, out, 1);
}

static int persistent_parts(void)
{
    uint32_t mine = 0;
    while (mine < 30 && import_persistent(0x100 + mine) == PSA_SUCCESS) {
        mine++;
    }
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    if (mine != 8 || psa_get_key_attributes(0x100 + mine, &a) != PSA_ERROR_INVALID_HANDLE) {
        fprintf(stderr, "persistent parts: this program stored %u keys\n", (unsigned)mine);
        return 1;
    }
    uint32_t theirs = 0;
    while (theirs < 30 && client_import_persistent(0x200 + theirs) == PSA_SUCCESS) {
        theirs++;
    }
    if (theirs != 8) {
        fprintf(stderr, "persistent parts: TEST_CLIENT stored %u keys\n", (unsigned)theirs);
        return 2;
    }
    psa_status_t destroyed = psa_destroy_key(0x100), again = import_persistent(0x180);
    psa_status_t over = import_persistent(0x181), theirs_over = client_import_persistent(0x280);
    if (destroyed != PSA_SUCCESS || again != PSA_SUCCESS || over != PSA_ERROR_DATA_INVALID ||
        theirs_over != PSA_ERROR_DATA_INVALID) {
        fprintf(stderr, "persistent parts: destroy %d, import again %d, over %d, theirs %d\n",
                (int)destroyed, (int)again, (int)over, (int)theirs_over);
        return 3;
    }
    return 0;
}

/* After a power cycle the parts are as full: counted again from what ITS holds. */
static int persistent_parts_kept(void)
{
    psa_status_t over = import_persistent(0x181), theirs_over = client_import_persistent(0x281);
    psa_status_t destroyed = psa_destroy_key(0x101), again = import_persistent(0x181);
    if (over != PSA_ERROR_DATA_INVALID || theirs_over != PSA_ERROR_DATA_INVALID ||
        destroyed != PSA_SUCCESS || again != PSA_SUCCESS) {
        fprintf(stderr, "persistent parts kept: over %d, theirs %d, destroy %d, import %d\n",
                (int)over, (int)theirs_over, (int)destroyed, (int)again);
        return 1;
    }
    return 0;
}

static void test_persistent_keys_reserved_per_client(void **state)
{
    (void)state;
    assert_int_equal(device_fixture_provision(dir, huk, 0x10000, 4096), 0);
    boot(persistent_parts);
    boot(persistent_parts_kept);
}

static void test_operations_reserved_per_client(void **state)
{
    (void)state;
    assert_int_equal(device_fixture_provision(dir, huk, 0x10000, 4096), 0);
    boot(three_clients);
}

/* Secure modules as crypto clients: each takes a module share at its first call, and its
 * psa_interruptible_set_max_ops setting is its own like any client's. Two modules (the module
 * fixture's descriptor with a stateless service the NS world may call, served by mod_entry in
 * this program, as smdk_host.c runs a module on a PC) set theirs and read them back, with the
 * NS world's setting and a hash clone (the service's other state) in between. The second
 * module's share is past the first: its setting must land in the service's table for it, not
 * on the service's other state (a table sized for the manifests' clients and one module put it
 * on the clone's source in this build, on the allocator's arena in the product profile's). */
#define MOD_SET      1
#define MOD_GET      2
#define MOD_SIGNAL   (1u << 5) /* the fixture's second service: the stateless one */
#define MOD_HANDLE_0 20u
#define MOD_WINDOW   0x20000u /* a 64 KiB stack for host code, as smdk_host.c gives */

static uint8_t mod_payload[2][MODULE_FIXTURE_LEN];
static uint8_t mod_ram[2][MOD_WINDOW] __attribute__((aligned(32)));

static void mod_entry(void)
{
    for (;;) {
        psa_msg_t m;
        if (psa_get(psa_wait(MOD_SIGNAL, PSA_BLOCK), &m) != PSA_SUCCESS) {
            continue;
        }
        uint32_t v = 0;
        if (m.type == MOD_SET && psa_read(m.handle, 0, &v, sizeof(v)) == sizeof(v)) {
            psa_interruptible_set_max_ops(v);
        } else if (m.type == MOD_GET) {
            v = psa_interruptible_get_max_ops();
            psa_write(m.handle, 0, &v, sizeof(v));
        }
        psa_reply(m.handle, PSA_SUCCESS);
    }
}

/* Loads modules 0x4001 and 0x4002 as smdk_host.c does; true if both are accepted. */
static bool load_modules(void)
{
    struct sm_module_source src[2];
    for (uint32_t i = 0; i < 2; i++) {
        uint8_t *p = mod_payload[i];
        module_fixture(p);
        module_fixture_put32(p + 12, 0x4001u + i);
        memcpy(p + 16, i == 0 ? "MOD_A\0\0\0\0" : "MOD_B\0\0\0\0", 9);
        module_fixture_put32(p + 56, 0x10000u); /* the stack */
        module_fixture_put32(p + MF_SERVICES, 0x4001F000u + 0x10u * i);
        uint8_t *s = p + MF_SERVICES + SM_MODULE_SERVICE_SIZE;
        module_fixture_put32(s, 0x4001F001u + 0x10u * i);
        s[9] = SM_MODULE_SVC_NS;
        s[10] = (uint8_t)(MOD_HANDLE_0 + i);
        src[i] = (struct sm_module_source){
            .slot = i,
            .payload = p,
            .payload_len = MODULE_FIXTURE_LEN,
            .payload_addr = 0x10000000u + i * 0x100000u,
            .ram = mod_ram[i],
            .ram_window = MOD_WINDOW,
            .ram_addr = 0x20000000u + i * MOD_WINDOW,
        };
    }
    const uint32_t before = sm_module_count;
    if (sm_module_load(src, 2) != 2) {
        return false;
    }
    for (uint32_t k = before; k < sm_module_count; k++) {
        sm_module_partitions[k].entry = mod_entry;
    }
    return true;
}

static psa_status_t mod_call(uint32_t i, int32_t type, uint32_t *v)
{
    const psa_handle_t h = (psa_handle_t)(0x40000100u | (MOD_HANDLE_0 + i));
    psa_invec in[1] = {{v, sizeof(*v)}};
    psa_outvec out[1] = {{v, sizeof(*v)}};
    return type == MOD_SET ? psa_call(h, type, in, 1, NULL, 0) : psa_call(h, type, NULL, 0, out, 1);
}

static int modules_max_ops(void)
{
    if (!load_modules()) {
        return 1;
    }
    psa_interruptible_set_max_ops(11);
    uint32_t a = 22, b = 33;
    if (mod_call(0, MOD_SET, &a) != PSA_SUCCESS || mod_call(1, MOD_SET, &b) != PSA_SUCCESS) {
        return 2;
    }
    /* The service's other state changes meanwhile: a clone's source, an operation. */
    psa_hash_operation_t op = PSA_HASH_OPERATION_INIT, copy = PSA_HASH_OPERATION_INIT;
    if (psa_hash_setup(&op, PSA_ALG_SHA_256) != PSA_SUCCESS ||
        psa_hash_clone(&op, &copy) != PSA_SUCCESS || psa_hash_abort(&op) != PSA_SUCCESS ||
        psa_hash_abort(&copy) != PSA_SUCCESS) {
        return 3;
    }
    a = b = 0;
    if (mod_call(0, MOD_GET, &a) != PSA_SUCCESS || mod_call(1, MOD_GET, &b) != PSA_SUCCESS) {
        return 4;
    }
    const uint32_t ns = psa_interruptible_get_max_ops();
    if (ns != 11 || a != 22 || b != 33) {
        fprintf(stderr, "modules' max ops: NS %u, module A %u, module B %u (11, 22, 33)\n",
                (unsigned)ns, (unsigned)a, (unsigned)b);
        return 5;
    }
    return sm_host_partition_stopped("SM_CRYPTO") ? 6 : 0;
}

static void test_modules_max_ops_their_own(void **state)
{
    (void)state;
    assert_int_equal(device_fixture_provision(dir, huk, 0x10000, 4096), 0);
    boot(modules_max_ops);
}

int main(void)
{
    if (mkdtemp(dir) == NULL) {
        return 1;
    }
    for (size_t i = 0; i < sizeof(huk); i++) {
        huk[i] = (uint8_t)(0x5A ^ i);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite),
        cmocka_unit_test(test_persistent_key_survives_power_cycles),
        cmocka_unit_test(test_operations_reserved_per_client),
        cmocka_unit_test(test_persistent_keys_reserved_per_client),
        cmocka_unit_test(test_modules_max_ops_their_own),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0) {
        rc = 1;
    }
    return rc;
}
