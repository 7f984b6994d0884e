/*
 * test_its_service.c: the ITS service end to end on the host: the PSA ITS API called by the
 * program (the NS client) and by a partition (TEST_CLIENT), served by the ITS partition through
 * the SM core's IPC, over a provisioned device directory. Also the core's device services
 * (sm/sm_device.h) that ITS stands on: its flash area, keys derived from the HUK, the install
 * configuration.
 *
 * Quotas: the NS world filling its reservation of ITS (entries, then bytes) is refused, and
 * TEST_CLIENT's assets and the crypto service's persistent keys (stored under SM_CRYPTO's id)
 * still go in, before and after a power cycle.
 *
 * Each case runs in a child process that opens the device and starts the SM, as a boot would;
 * a later child sees what an earlier one left, as after a power cycle. A child reports the line
 * of its first failed check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bl_otp.h"
#include "device_fixture.h"
#include "host_flash.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/md.h"
#include "plat_flash.h"
#include "psa/client.h"
#include "psa/internal_trusted_storage.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "sm/sm_device.h"
#include "sm_host.h"
#include "test_services.h"

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "check failed: %s (line %d)\n", #cond, __LINE__);                      \
            return __LINE__;                                                                       \
        }                                                                                          \
    } while (0)

static char dir[] = "/tmp/sm_its_service_XXXXXX";
static uint8_t huk[32];

/* A fresh device: erased flash, the OTP area with this ITS configuration (0: none). */
static void provision(uint32_t its_size, uint32_t max_asset)
{
    assert_int_equal(device_fixture_provision(dir, huk, its_size, max_asset), 0);
}

/* Runs `boot` in a child that boots the device; the case passes if it returns 0. */
static void boot(int (*run)(void))
{
    assert_int_equal(device_fixture_boot(dir, run), 0);
}

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed * 31u + i * 7u + (i >> 8));
    }
}

/* ---- the partition as a client (TEST_CLIENT) ---------------------------------------------- */

static psa_status_t part_set(uint32_t uid, const void *data, size_t n, uint32_t flags)
{
    struct client_its c = {CLIENT_ITS_SET, uid, flags};
    psa_invec in[2] = {{&c, sizeof(c)}, {data, n}};
    return psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_ITS, in, 2, NULL, 0);
}

static psa_status_t part_get(uint32_t uid, uint32_t offset, void *data, size_t size, size_t *len)
{
    struct client_its c = {CLIENT_ITS_GET, uid, offset};
    psa_invec in[1] = {{&c, sizeof(c)}};
    psa_outvec out[1] = {{data, size}};
    psa_status_t status = psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_ITS, in, 1, out, 1);
    *len = out[0].len;
    return status;
}

static psa_status_t part_simple(uint32_t op, uint32_t uid)
{
    struct client_its c = {op, uid, 0};
    struct psa_storage_info_t info;
    psa_invec in[1] = {{&c, sizeof(c)}};
    psa_outvec out[1] = {{&info, sizeof(info)}};
    return psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_ITS, in, 1, out, 1);
}

/* A persistent HMAC key imported by TEST_CLIENT: the crypto service stores it in ITS as
 * SM_CRYPTO. Export reads it back (from ITS, after a power cycle). */
static psa_status_t part_key_import(uint32_t id, const uint8_t *key, size_t n)
{
    struct client_crypto c = {CLIENT_CRYPTO_IMPORT, id, 0};
    uint32_t got = 0;
    psa_invec in[2] = {{&c, sizeof(c)}, {key, n}};
    psa_outvec out[1] = {{&got, sizeof(got)}};
    psa_status_t status = psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_CRYPTO, in, 2, out, 1);
    return status == PSA_SUCCESS && got != id ? PSA_ERROR_GENERIC_ERROR : status;
}

static psa_status_t part_key_export(uint32_t id, uint8_t *key, size_t size, size_t *len)
{
    struct client_crypto c = {CLIENT_CRYPTO_EXPORT, id, 0};
    psa_invec in[2] = {{&c, sizeof(c)}, {NULL, 0}};
    psa_outvec out[1] = {{key, size}};
    psa_status_t status = psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_CRYPTO, in, 2, out, 1);
    *len = out[0].len;
    return status;
}

/* ---- cases -------------------------------------------------------------------------------- */

static int api(void)
{
    static uint8_t a[4096], b[4096];
    size_t len = 99;
    struct psa_storage_info_t info;
    /* Round trips of 0 B to the configured maximum, read whole and in part. */
    const size_t sizes[] = {0, 1, 16, 255, 256, 257, 1000, 4096};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t n = sizes[i];
        fill(a, n, (uint32_t)i);
        EXPECT(psa_its_set(100 + i, n, a, PSA_STORAGE_FLAG_NONE) == PSA_SUCCESS);
        memset(b, 0, sizeof(b));
        EXPECT(psa_its_get(100 + i, 0, sizeof(b), b, &len) == PSA_SUCCESS);
        EXPECT(len == n && memcmp(a, b, n) == 0);
        EXPECT(psa_its_get_info(100 + i, &info) == PSA_SUCCESS);
        EXPECT(info.size == n && info.capacity == n && info.flags == PSA_STORAGE_FLAG_NONE);
        if (n > 10) {
            EXPECT(psa_its_get(100 + i, n - 10, 5, b, &len) == PSA_SUCCESS);
            EXPECT(len == 5 && memcmp(b, a + n - 10, 5) == 0);
            EXPECT(psa_its_get(100 + i, n - 3, 100, b, &len) == PSA_SUCCESS);
            EXPECT(len == 3 && memcmp(b, a + n - 3, 3) == 0);
        }
        EXPECT(psa_its_get(100 + i, n, 10, b, &len) == PSA_SUCCESS && len == 0);
    }
    /* Overwrite, remove. */
    EXPECT(psa_its_set(100, 3, "new", PSA_STORAGE_FLAG_NONE) == PSA_SUCCESS);
    EXPECT(psa_its_get(100, 0, sizeof(b), b, &len) == PSA_SUCCESS && len == 3);
    EXPECT(memcmp(b, "new", 3) == 0);
    EXPECT(psa_its_remove(100) == PSA_SUCCESS);
    EXPECT(psa_its_get_info(100, &info) == PSA_ERROR_DOES_NOT_EXIST);
    EXPECT(psa_its_remove(100) == PSA_ERROR_DOES_NOT_EXIST);
    EXPECT(psa_its_get(100, 0, sizeof(b), b, &len) == PSA_ERROR_DOES_NOT_EXIST && len == 0);
    /* Every error the specification names, each changing nothing. */
    EXPECT(psa_its_set(0, 1, "x", 0) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_set(5, 1, NULL, 0) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_set(5, 4097, a, 0) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_set(5, UINT32_MAX, a, 0) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_set(5, SIZE_MAX, a, 0) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_set(5, 1, "x", 0x100) == PSA_ERROR_NOT_SUPPORTED);
    EXPECT(psa_its_get_info(5, &info) == PSA_ERROR_DOES_NOT_EXIST);
    /* A UID that does not exist has no size for an offset to be past (ITS 1.0, psa_its_get):
     * DOES_NOT_EXIST whatever the offset, one a 32-bit service cannot name included. */
    EXPECT(psa_its_get(5, SIZE_MAX, 1, b, &len) == PSA_ERROR_DOES_NOT_EXIST && len == 0);
    EXPECT(psa_its_get(5, UINT32_MAX, 1, b, &len) == PSA_ERROR_DOES_NOT_EXIST && len == 0);
    EXPECT(psa_its_set(101, 1, "z", PSA_STORAGE_FLAG_WRITE_ONCE) == PSA_SUCCESS);
    EXPECT(psa_its_set(101, 1, "y", 0) == PSA_ERROR_NOT_PERMITTED);
    EXPECT(psa_its_remove(101) == PSA_ERROR_NOT_PERMITTED);
    EXPECT(psa_its_get_info(101, &info) == PSA_SUCCESS);
    EXPECT(info.flags == PSA_STORAGE_FLAG_WRITE_ONCE && info.size == 1);
    EXPECT(psa_its_get(101, 0, 1, b, &len) == PSA_SUCCESS && b[0] == 'z');
    EXPECT(psa_its_get(0, 0, 1, b, &len) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_get(102, 17, 1, b, &len) == PSA_ERROR_INVALID_ARGUMENT); /* past 16 bytes */
    EXPECT(psa_its_get(102, UINT32_MAX, 1, b, &len) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_get(102, SIZE_MAX, 1, b, &len) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_get(102, 0, 1, b, NULL) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_get(102, 0, 1, NULL, &len) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_get(102, 0, SIZE_MAX, b, &len) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_get_info(102, NULL) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_get_info(0, &info) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_remove(0) == PSA_ERROR_INVALID_ARGUMENT);
    EXPECT(psa_its_get(102, 0, 1, b, &len) == PSA_SUCCESS && len == 1); /* unchanged */
    /* A hand-made call that is not the client library's: refused, nothing changes. */
    EXPECT(psa_call(SM_ITS_HANDLE, 2, NULL, 0, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR);
    uint8_t junk[3] = {0};
    psa_invec in[1] = {{junk, sizeof(junk)}};
    EXPECT(psa_call(SM_ITS_HANDLE, 1, in, 1, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR);
    return 0;
}

static void test_api(void **state)
{
    (void)state;
    provision(0x10000, 4096);
    boot(api);
}

/* The same UID from the NS client and from a partition: two assets, neither sees the other. */
static int namespaces(void)
{
    uint8_t b[32];
    size_t len;
    struct psa_storage_info_t info;
    EXPECT(psa_its_set(7, 5, "ns-07", 0) == PSA_SUCCESS);
    EXPECT(part_simple(CLIENT_ITS_GET_INFO, 7) == PSA_ERROR_DOES_NOT_EXIST);
    EXPECT(part_get(7, 0, b, sizeof(b), &len) == PSA_ERROR_DOES_NOT_EXIST && len == 0);
    EXPECT(part_simple(CLIENT_ITS_REMOVE, 7) == PSA_ERROR_DOES_NOT_EXIST);
    EXPECT(part_set(7, "partition-07", 12, PSA_STORAGE_FLAG_WRITE_ONCE) == PSA_SUCCESS);
    EXPECT(part_get(7, 0, b, sizeof(b), &len) == PSA_SUCCESS && len == 12);
    EXPECT(memcmp(b, "partition-07", 12) == 0);
    EXPECT(part_get(7, 10, b, sizeof(b), &len) == PSA_SUCCESS && len == 2);
    EXPECT(memcmp(b, "07", 2) == 0);
    EXPECT(psa_its_get(7, 0, sizeof(b), b, &len) == PSA_SUCCESS && len == 5);
    EXPECT(memcmp(b, "ns-07", 5) == 0);
    /* The partition's write-once asset does not stop the NS client's own UID 7. */
    EXPECT(psa_its_set(7, 6, "ns-07b", 0) == PSA_SUCCESS);
    EXPECT(psa_its_remove(7) == PSA_SUCCESS);
    EXPECT(psa_its_get_info(7, &info) == PSA_ERROR_DOES_NOT_EXIST);
    EXPECT(part_get(7, 0, b, sizeof(b), &len) == PSA_SUCCESS && len == 12);
    EXPECT(part_simple(CLIENT_ITS_REMOVE, 7) == PSA_ERROR_NOT_PERMITTED);
    EXPECT(part_set(8, NULL, 0, 0) == PSA_SUCCESS);
    EXPECT(part_simple(CLIENT_ITS_GET_INFO, 8) == PSA_SUCCESS);
    EXPECT(psa_its_get_info(8, &info) == PSA_ERROR_DOES_NOT_EXIST);
    return 0;
}

static void test_namespaces(void **state)
{
    (void)state;
    provision(0x10000, 4096);
    boot(namespaces);
}

/* Written in one boot, read in the next: the power cycle is the process exit. */
static int write_assets(void)
{
    static uint8_t a[4096];
    for (uint32_t i = 0; i < 5; i++) {
        fill(a, 500u * i + 1u, i);
        EXPECT(psa_its_set(1000 + i, 500u * i + 1u, a, 0) == PSA_SUCCESS);
    }
    EXPECT(psa_its_remove(1002) == PSA_SUCCESS);
    EXPECT(psa_its_set(1001, 3, "abc", PSA_STORAGE_FLAG_WRITE_ONCE) == PSA_SUCCESS);
    EXPECT(part_set(1000, "secure", 6, 0) == PSA_SUCCESS);
    return 0;
}

static int read_assets(void)
{
    static uint8_t a[4096], b[4096];
    size_t len;
    struct psa_storage_info_t info;
    for (uint32_t i = 0; i < 5; i++) {
        if (i == 1 || i == 2) {
            continue;
        }
        fill(a, 500u * i + 1u, i);
        EXPECT(psa_its_get(1000 + i, 0, sizeof(b), b, &len) == PSA_SUCCESS);
        EXPECT(len == 500u * i + 1u && memcmp(a, b, len) == 0);
    }
    EXPECT(psa_its_get_info(1002, &info) == PSA_ERROR_DOES_NOT_EXIST);
    EXPECT(psa_its_get(1001, 0, sizeof(b), b, &len) == PSA_SUCCESS && len == 3);
    EXPECT(memcmp(b, "abc", 3) == 0);
    EXPECT(psa_its_set(1001, 1, "x", 0) == PSA_ERROR_NOT_PERMITTED); /* write-once persists */
    EXPECT(part_get(1000, 0, b, sizeof(b), &len) == PSA_SUCCESS && len == 6);
    EXPECT(memcmp(b, "secure", 6) == 0);
    return 0;
}

static void test_survives_power_cycle(void **state)
{
    (void)state;
    provision(0x10000, 4096);
    boot(write_assets);
    boot(read_assets);
    boot(read_assets);
}

/* The configured size and largest asset: filling up (the NS world's share of it) gives
 * INSUFFICIENT_STORAGE and loses nothing; the largest asset is the configured one. */
static int limits(void)
{
    static uint8_t a[1000], b[1000];
    size_t len;
    EXPECT(sm_install_config(SM_CONFIG_ITS_SIZE) == 4 * 0x2000);
    EXPECT(sm_install_config(SM_CONFIG_ITS_MAX_ASSET) == 1000);
    EXPECT(psa_its_set(1, 1001, a, 0) == PSA_ERROR_INVALID_ARGUMENT);
    uint32_t uid = 1;
    psa_status_t status;
    for (;;) {
        fill(a, sizeof(a), uid);
        status = psa_its_set(uid, sizeof(a), a, 0);
        if (status != PSA_SUCCESS) {
            break;
        }
        uid++;
    }
    EXPECT(status == PSA_ERROR_INSUFFICIENT_STORAGE);
    /* (4 - 2) sectors of 8176 bytes, less one largest record (1,088 bytes), is 14,176 bytes
     * for all; the NS world's half holds 6 records of 1,088. */
    EXPECT(uid == 7);
    /* Overwriting in place still works when full; everything stored reads back. */
    fill(a, sizeof(a), 77);
    EXPECT(psa_its_set(1, sizeof(a), a, 0) == PSA_SUCCESS);
    for (uint32_t u = 1; u < uid; u++) {
        fill(a, sizeof(a), u == 1 ? 77 : u);
        EXPECT(psa_its_get(u, 0, sizeof(b), b, &len) == PSA_SUCCESS);
        EXPECT(len == sizeof(a) && memcmp(a, b, len) == 0);
    }
    struct psa_storage_info_t info;
    EXPECT(psa_its_get_info(uid, &info) == PSA_ERROR_DOES_NOT_EXIST);
    return 0;
}

static void test_configured_limits(void **state)
{
    (void)state;
    provision(4 * 0x2000, 1000);
    boot(limits);
}

/* ---- quotas ------------------------------------------------------------------------------- */

static const uint8_t hmac_key[32] = "a persistent key, 32 bytes long";

/* Whether TEST_CLIENT's persistent key is there, with its value. */
static int key_is_stored(uint32_t id)
{
    uint8_t got[64];
    size_t len = 0;
    EXPECT(part_key_export(id, got, sizeof(got), &len) == PSA_SUCCESS);
    EXPECT(len == sizeof(hmac_key) && memcmp(got, hmac_key, len) == 0);
    return 0;
}

/* The NS world takes its 16 index entries: its 17th UID is refused and changes nothing; a
 * replacement still passes; TEST_CLIENT stores all of its 8 and the crypto service a
 * persistent key. */
static int fill_ns_entries(void)
{
    struct psa_storage_info_t info;
    for (uint32_t u = 1; u <= 16; u++) {
        EXPECT(psa_its_set(u, 1, "n", 0) == PSA_SUCCESS);
    }
    EXPECT(psa_its_set(17, 1, "n", 0) == PSA_ERROR_INSUFFICIENT_STORAGE);
    EXPECT(psa_its_get_info(17, &info) == PSA_ERROR_DOES_NOT_EXIST);
    EXPECT(psa_its_set(1, 2, "nn", 0) == PSA_SUCCESS);
    for (uint32_t u = 1; u <= 8; u++) {
        EXPECT(part_set(u, "client", 6, 0) == PSA_SUCCESS);
    }
    EXPECT(part_set(9, "client", 6, 0) == PSA_ERROR_INSUFFICIENT_STORAGE); /* its own 8 */
    EXPECT(part_key_import(0x5100, hmac_key, sizeof(hmac_key)) == PSA_SUCCESS);
    return key_is_stored(0x5100);
}

/* After a power cycle: the same shares are full; a remove frees its owner's alone. */
static int entries_after_power_cycle(void)
{
    uint8_t b[8];
    size_t len;
    EXPECT(key_is_stored(0x5100) == 0);
    EXPECT(psa_its_set(17, 1, "n", 0) == PSA_ERROR_INSUFFICIENT_STORAGE);
    EXPECT(part_set(9, "client", 6, 0) == PSA_ERROR_INSUFFICIENT_STORAGE);
    EXPECT(psa_its_remove(2) == PSA_SUCCESS);
    EXPECT(part_set(9, "client", 6, 0) == PSA_ERROR_INSUFFICIENT_STORAGE);
    EXPECT(psa_its_set(17, 1, "m", 0) == PSA_SUCCESS);
    EXPECT(psa_its_set(18, 1, "n", 0) == PSA_ERROR_INSUFFICIENT_STORAGE);
    EXPECT(part_simple(CLIENT_ITS_REMOVE, 8) == PSA_SUCCESS);
    EXPECT(part_set(9, "client", 6, 0) == PSA_SUCCESS);
    EXPECT(part_key_import(0x5101, hmac_key, sizeof(hmac_key)) == PSA_SUCCESS);
    EXPECT(psa_its_get(1, 0, sizeof(b), b, &len) == PSA_SUCCESS && len == 2);
    EXPECT(part_get(9, 0, b, sizeof(b), &len) == PSA_SUCCESS && len == 6);
    return 0;
}

static void test_quota_entries(void **state)
{
    (void)state;
    provision(0x10000, 4096);
    boot(fill_ns_entries);
    boot(entries_after_power_cycle);
}

/* The NS world takes its half of the bytes with 5 assets (64 KiB, 4 KiB: the capacity is
 * 6 x (8176 - 4176) = 24,000 bytes; two 4 KiB records of 4,176 and three 1,000-byte ones of
 * 1,088 are 11,616 of its 12,000): the next is refused, while TEST_CLIENT still stores and
 * the crypto service still takes a persistent key. */
static int fill_ns_bytes(void)
{
    static uint8_t a[4096], b[4096];
    size_t len;
    fill(a, sizeof(a), 5);
    uint32_t big = 0, small = 0;
    while (psa_its_set(100 + big, sizeof(a), a, 0) == PSA_SUCCESS) {
        big++;
    }
    while (psa_its_set(200 + small, 1000, a, 0) == PSA_SUCCESS) {
        small++;
    }
    EXPECT(big == 2 && small == 3);
    EXPECT(psa_its_set(200, 1000, a + 1, 0) == PSA_SUCCESS); /* a replacement of equal size */
    EXPECT(psa_its_get(200, 0, sizeof(b), b, &len) == PSA_SUCCESS);
    EXPECT(len == 1000 && memcmp(a + 1, b, len) == 0);
    for (uint32_t u = 1; u <= 4; u++) {
        EXPECT(part_set(u, a, 500, 0) == PSA_SUCCESS);
    }
    EXPECT(part_key_import(0x5200, hmac_key, sizeof(hmac_key)) == PSA_SUCCESS);
    return key_is_stored(0x5200);
}

static int bytes_after_power_cycle(void)
{
    static uint8_t a[4096], b[4096];
    size_t len;
    fill(a, sizeof(a), 5);
    EXPECT(key_is_stored(0x5200) == 0);
    EXPECT(psa_its_set(300, 1000, a, 0) == PSA_ERROR_INSUFFICIENT_STORAGE);
    EXPECT(part_set(5, a, 500, 0) == PSA_SUCCESS);
    EXPECT(part_get(5, 0, b, 500, &len) == PSA_SUCCESS && len == 500 && memcmp(a, b, 500) == 0);
    EXPECT(psa_its_get(101, 0, sizeof(b), b, &len) == PSA_SUCCESS);
    EXPECT(len == sizeof(a) && memcmp(a, b, len) == 0);
    EXPECT(psa_its_remove(101) == PSA_SUCCESS);
    EXPECT(psa_its_set(300, 1000, a, 0) == PSA_SUCCESS);
    return 0;
}

static void test_quota_bytes(void **state)
{
    (void)state;
    provision(0x10000, 4096);
    boot(fill_ns_bytes);
    boot(bytes_after_power_cycle);
}

/* Every flash byte of the ITS area, one at a time, with a bit flipped: never wrong data. */
static int tampered_read(void)
{
    uint8_t b[300];
    size_t len = 0;
    psa_status_t status = psa_its_get(1, 0, sizeof(b), b, &len);
    if (status == PSA_SUCCESS) {
        EXPECT(len == 300);
        for (size_t i = 0; i < len; i++) {
            EXPECT(b[i] == (uint8_t)i);
        }
    } else {
        EXPECT(status == PSA_ERROR_INVALID_SIGNATURE || status == PSA_ERROR_DATA_CORRUPT);
        EXPECT(len == 0);
    }
    return 0;
}

static int write_one(void)
{
    uint8_t a[300];
    for (size_t i = 0; i < sizeof(a); i++) {
        a[i] = (uint8_t)i;
    }
    EXPECT(psa_its_set(1, sizeof(a), a, 0) == PSA_SUCCESS);
    return 0;
}

static void test_tampered_flash(void **state)
{
    (void)state;
    provision(0x10000, 4096);
    boot(write_one);
    /* The record is the first thing in the first sector used: header, 300 bytes, tag. */
    assert_int_equal(host_flash_open_dir(dir, false), PLAT_FLASH_OK);
    uint32_t at = 0;
    for (uint32_t s = 0; s < 8 && at == 0; s++) {
        if (plat_flash_is_programmed(FLASH_ITS_OFFSET + s * 0x2000) == 1) {
            at = FLASH_ITS_OFFSET + s * 0x2000;
        }
    }
    assert_true(at != 0);
    static uint8_t data[0x2000], prog[0x2000 / 16 / 8];
    assert_int_equal(host_flash_save(at, 0x2000, data, prog), 0);
    host_flash_close();
    for (uint32_t off = 0; off < 16 + 48 + 304 + 16; off++) {
        static uint8_t flipped[0x2000];
        memcpy(flipped, data, sizeof(data));
        flipped[off] ^= (uint8_t)(1u << (off % 8));
        assert_int_equal(host_flash_open_dir(dir, false), PLAT_FLASH_OK);
        assert_int_equal(host_flash_restore(at, 0x2000, flipped, prog), 0);
        host_flash_close();
        boot(tampered_read);
    }
}

static int unprovisioned(void)
{
    uint8_t b[4];
    size_t len;
    struct psa_storage_info_t info;
    EXPECT(sm_install_config(SM_CONFIG_ITS_SIZE) == 0);
    EXPECT(psa_its_set(1, 1, "x", 0) == PSA_ERROR_STORAGE_FAILURE);
    EXPECT(psa_its_get(1, 0, 1, b, &len) == PSA_ERROR_STORAGE_FAILURE);
    EXPECT(psa_its_get_info(1, &info) == PSA_ERROR_STORAGE_FAILURE);
    EXPECT(psa_its_remove(1) == PSA_ERROR_STORAGE_FAILURE);
    return 0;
}

static void test_unprovisioned_device(void **state)
{
    (void)state;
    provision(0, 0);
    boot(unprovisioned);
}

/* Another device key (a new HUK over the same flash) opens nothing. */
static int other_key(void)
{
    uint8_t b[300];
    size_t len = 0;
    psa_status_t status = psa_its_get(1, 0, sizeof(b), b, &len);
    EXPECT(status == PSA_ERROR_DATA_CORRUPT || status == PSA_ERROR_INVALID_SIGNATURE);
    EXPECT(len == 0);
    return 0;
}

static void test_other_device_key(void **state)
{
    (void)state;
    provision(0x10000, 4096);
    boot(write_one);
    assert_int_equal(host_flash_open_dir(dir, false), PLAT_FLASH_OK);
    static uint8_t area[0x10000], prog[0x10000 / 16 / 8];
    assert_int_equal(host_flash_save(FLASH_ITS_OFFSET, sizeof(area), area, prog), 0);
    host_flash_close();
    huk[0] ^= 1;
    provision(0x10000, 4096);
    huk[0] ^= 1;
    assert_int_equal(host_flash_open_dir(dir, false), PLAT_FLASH_OK);
    assert_int_equal(host_flash_restore(FLASH_ITS_OFFSET, sizeof(area), area, prog), 0);
    host_flash_close();
    boot(other_key);
}

/* The core's device services seen from a partition without a flash area; the key it derives is
 * HKDF-SHA256(HUK, "SM partition key" || its id || label), computed here independently. */
static int device_services(void)
{
    uint8_t key[32] = {0}, want[32];
    uint8_t info[16 + 4 + 4] = "SM partition key";
    const uint32_t id = TEST_CLIENT_PARTITION_ID;
    for (int i = 0; i < 4; i++) {
        info[16 + i] = (uint8_t)(id >> (8 * i));
    }
    memcpy(info + 20, "test", 4);
    EXPECT(mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), NULL, 0, huk, 32, info,
                        sizeof(info), want, sizeof(want)) == 0);
    psa_outvec out[1] = {{key, sizeof(key)}};
    EXPECT(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_DEVICE, NULL, 0, out, 1) == PSA_SUCCESS);
    EXPECT(out[0].len == 32 && memcmp(key, want, 32) == 0);
    EXPECT(sm_install_config(SM_CONFIG_LIFECYCLE) == BL_LIFECYCLE_SECURED);
    EXPECT(sm_install_config(SM_CONFIG_MODULE_SLOTS) == 0);
    return 0;
}

static void test_device_services(void **state)
{
    (void)state;
    provision(0x10000, 4096);
    boot(device_services);
}

int main(void)
{
    if (mkdtemp(dir) == NULL) {
        return 1;
    }
    for (size_t i = 0; i < sizeof(huk); i++) {
        huk[i] = (uint8_t)(0xA5 ^ i);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api),
        cmocka_unit_test(test_namespaces),
        cmocka_unit_test(test_survives_power_cycle),
        cmocka_unit_test(test_configured_limits),
        cmocka_unit_test(test_quota_entries),
        cmocka_unit_test(test_quota_bytes),
        cmocka_unit_test(test_tampered_flash),
        cmocka_unit_test(test_unprovisioned_device),
        cmocka_unit_test(test_other_device_key),
        cmocka_unit_test(test_device_services),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0) {
        rc = 1;
    }
    return rc;
}
