/*
 * test_its_store.c: the ITS engine (services/its/its_store.c) on the host's power-cut flash.
 *
 * - The API: every status the specification names, namespaces, offsets, flags.
 * - Full storage, and many overwrites: garbage collection keeps everything, wear is spread.
 * - Tampering: one bit flipped in each byte of the area in turn; nothing wrong is ever
 *   returned, an asset is never silently lost.
 * - Nonces: never the same twice under a key, even after the area or a sector is erased.
 * - Quotas: with the partition's reservations (its_quota.c), one owner filling its index
 *   entries or its bytes is refused with nothing written, and the others still store theirs;
 *   removing frees that owner's share only; usage survives a remount; bad tables are refused.
 * - Power cuts: a sequence of sets, overwrites and removes (1 B to the largest asset, with
 *   garbage collection) cut at every flash operation, clean and torn; after each, a remount
 *   shows every committed asset exactly, the interrupted one old or new, each owner's usage
 *   is the model's, and storage works.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <cmocka.h>

#include "host_flash.h"
#include "its_owners.h"
#include "plat_flash.h"
#include "its_quota.h"
#include "its_store.h"
#include "psa/internal_trusted_storage.h"

#define SECTORS   5u
#define MAX_ASSET 4096u

/* The engine straight over the platform flash (the ITS partition goes through the core). */
static const struct its_flash plat = {plat_flash_read, plat_flash_program, plat_flash_erase,
                                      plat_flash_is_blank};
/* The nonces' entropy: the host's own (the partition uses the core's), or a failure on demand. */
static bool entropy_fails;
static psa_status_t entropy(uint8_t *buf, size_t len)
{
    return !entropy_fails && getrandom(buf, len, 0) == (ssize_t)len ? PSA_SUCCESS
                                                                    : PSA_ERROR_HARDWARE_FAILURE;
}
/* The owners of most cases, and their reservations (the partition's table is its_quota.c's). */
static const struct its_quota owners[] = {
    {1, 32, 208, false, 0, 0}, {2, 8, 24, false, 0, 0}, {3, 8, 24, false, 0, 0}};
static const struct its_store_config cfg = {.flash = &plat,
                                            .entropy = entropy,
                                            .offset = FLASH_ITS_OFFSET,
                                            .size = SECTORS * FLASH_SECTOR_SIZE,
                                            .max_asset = MAX_ASSET,
                                            .quota = owners,
                                            .quotas = 3};
static const uint8_t root_key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

/* ---- data through the callbacks --------------------------------------------------------- */

struct source {
    const uint8_t *data;
    size_t pos;
};

static psa_status_t from_buffer(void *ctx, uint8_t *buf, size_t n)
{
    struct source *s = ctx;
    memcpy(buf, s->data + s->pos, n);
    s->pos += n;
    return PSA_SUCCESS;
}

struct sink {
    uint8_t *data;
    size_t pos, cap;
};

static psa_status_t to_buffer(void *ctx, const uint8_t *buf, size_t n)
{
    struct sink *s = ctx;
    if (s->pos + n > s->cap) {
        return PSA_ERROR_BUFFER_TOO_SMALL;
    }
    memcpy(s->data + s->pos, buf, n);
    s->pos += n;
    return PSA_SUCCESS;
}

static psa_status_t set(int32_t owner, uint64_t uid, const void *data, size_t n, uint32_t flags)
{
    struct source s = {data, 0};
    return its_store_set(owner, uid, n, flags, from_buffer, &s);
}

static psa_status_t get(int32_t owner, uint64_t uid, size_t offset, void *buf, size_t cap,
                        size_t *len)
{
    struct sink s = {buf, 0, cap};
    psa_status_t status = its_store_get(owner, uid, offset, cap, to_buffer, &s, len);
    if (status == PSA_SUCCESS && s.pos != *len) {
        return PSA_ERROR_GENERIC_ERROR;
    }
    return status;
}

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
}

/* Completed erases of each ITS sector (lo, hi) and in all. */
static uint32_t erases(uint32_t *lo, uint32_t *hi)
{
    uint32_t total = 0;
    *lo = UINT32_MAX;
    *hi = 0;
    for (uint32_t s = 0; s < SECTORS; s++) {
        uint32_t e = host_flash_erase_count(cfg.offset + s * FLASH_SECTOR_SIZE);
        *lo = e < *lo ? e : *lo;
        *hi = e > *hi ? e : *hi;
        total += e;
    }
    return total;
}

static int fresh(void **state)
{
    (void)state;
    assert_int_equal(host_flash_open_ram(), 0);
    return 0;
}

static void mount_ok(void)
{
    assert_int_equal(its_store_mount(&cfg, root_key), PSA_SUCCESS);
}

/* Mounts with all of the index and the capacity reserved for `owner` alone. */
static void mount_whole(int32_t owner)
{
    const struct its_quota whole = {owner, ITS_MAX_ASSETS, ITS_SHARE_WHOLE, false, 0, 0};
    struct its_store_config c = cfg;
    c.quota = &whole;
    c.quotas = 1;
    assert_int_equal(its_store_mount(&c, root_key), PSA_SUCCESS);
}

/* ---- the API ---------------------------------------------------------------------------- */

static void test_api(void **state)
{
    (void)state;
    mount_ok();
    uint8_t a[300], b[300];
    size_t len = 99;
    fill(a, sizeof(a), 1);
    struct psa_storage_info_t info;
    assert_int_equal(its_store_get_info(1, 7, &info), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(get(1, 7, 0, b, sizeof(b), &len), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(len, 0);
    assert_int_equal(its_store_remove(1, 7), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(set(1, 7, a, sizeof(a), 0), PSA_SUCCESS);
    assert_int_equal(its_store_get_info(1, 7, &info), PSA_SUCCESS);
    assert_int_equal(info.size, sizeof(a));
    assert_int_equal(info.capacity, sizeof(a));
    assert_int_equal(info.flags, 0);
    assert_int_equal(get(1, 7, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, sizeof(a));
    assert_memory_equal(a, b, sizeof(a));
    /* Offsets: a part, the end, past the end. */
    assert_int_equal(get(1, 7, 290, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, 10);
    assert_memory_equal(a + 290, b, 10);
    assert_int_equal(get(1, 7, 100, b, 50, &len), PSA_SUCCESS);
    assert_int_equal(len, 50);
    assert_memory_equal(a + 100, b, 50);
    assert_int_equal(get(1, 7, 300, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, 0);
    assert_int_equal(get(1, 7, 301, b, sizeof(b), &len), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(get(1, 7, SIZE_MAX, b, sizeof(b), &len), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(get(1, 7, 0, b, 0, &len), PSA_SUCCESS);
    assert_int_equal(len, 0);
    /* Namespaces: the same UID for another owner is another asset. */
    assert_int_equal(its_store_get_info(2, 7, &info), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(its_store_remove(2, 7), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(set(2, 7, "other", 5, 0), PSA_SUCCESS);
    assert_int_equal(get(1, 7, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, sizeof(a));
    assert_int_equal(get(2, 7, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, 5);
    assert_memory_equal(b, "other", 5);
    /* Bad arguments, each changing nothing. */
    assert_int_equal(set(1, 0, a, 1, 0), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(get(1, 0, 0, b, 1, &len), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(its_store_get_info(1, 0, &info), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(its_store_remove(1, 0), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(set(1, 7, a, MAX_ASSET + 1, 0), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(its_store_set(1, 7, UINT32_MAX, 0, from_buffer, NULL),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(its_store_set(1, 7, SIZE_MAX, 0, from_buffer, NULL),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(set(1, 7, a, 1, 1u << 3), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(set(1, 7, a, 1, 0x80000000u), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(get(1, 7, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, sizeof(a));
    assert_memory_equal(a, b, sizeof(a));
    /* Overwrite, empty asset, remove. */
    assert_int_equal(set(1, 7, "x", 1, 0), PSA_SUCCESS);
    assert_int_equal(get(1, 7, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, 1);
    assert_int_equal(set(1, 8, NULL, 0, 0), PSA_SUCCESS);
    assert_int_equal(its_store_get_info(1, 8, &info), PSA_SUCCESS);
    assert_int_equal(info.size, 0);
    assert_int_equal(get(1, 8, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, 0);
    assert_int_equal(its_store_remove(1, 7), PSA_SUCCESS);
    assert_int_equal(its_store_get_info(1, 7, &info), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(its_store_remove(1, 7), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(get(2, 7, 0, b, sizeof(b), &len), PSA_SUCCESS);
    /* Write once: neither overwritten nor removed; the other flags are kept as given. */
    uint32_t flags = PSA_STORAGE_FLAG_WRITE_ONCE | PSA_STORAGE_FLAG_NO_CONFIDENTIALITY |
                     PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION;
    assert_int_equal(set(3, 1, "once", 4, flags), PSA_SUCCESS);
    assert_int_equal(set(3, 1, "twice", 5, 0), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(its_store_remove(3, 1), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(its_store_get_info(3, 1, &info), PSA_SUCCESS);
    assert_int_equal(info.flags, flags);
    assert_int_equal(get(3, 1, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_memory_equal(b, "once", 4);
    /* All of it survives a remount. */
    mount_ok();
    assert_int_equal(get(2, 7, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_memory_equal(b, "other", 5);
    assert_int_equal(its_store_get_info(1, 7, &info), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(set(3, 1, "twice", 5, 0), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(its_store_get_info(1, 8, &info), PSA_SUCCESS);
    /* A bad configuration is refused. */
    struct its_store_config bad = cfg;
    bad.size = 3 * FLASH_SECTOR_SIZE;
    assert_int_equal(its_store_mount(&bad, root_key), PSA_ERROR_INVALID_ARGUMENT);
    bad = cfg;
    bad.max_asset = ITS_ASSET_SIZE_LIMIT + 1;
    assert_int_equal(its_store_mount(&bad, root_key), PSA_ERROR_INVALID_ARGUMENT);
    bad.max_asset = 0;
    assert_int_equal(its_store_mount(&bad, root_key), PSA_ERROR_INVALID_ARGUMENT);
    bad = cfg;
    bad.flash = NULL;
    assert_int_equal(its_store_mount(&bad, root_key), PSA_ERROR_INVALID_ARGUMENT);
    /* The largest asset the configuration allows. */
    bad = cfg;
    bad.max_asset = ITS_ASSET_SIZE_LIMIT;
    assert_int_equal(its_store_mount(&bad, root_key), PSA_SUCCESS);
    assert_int_equal(its_store_mount(&cfg, root_key), PSA_SUCCESS);
}

/* Data in flash is never in clear, and another key opens nothing. */
/* The index compares one word per entry before the whole key (its_store.c, entry_tag), and
 * different keys may share that word: UIDs differing only in bit 0 always do. A full index of
 * such pairs, for one owner and then another: each asset is found as itself, before and after
 * its twin is removed, and after a remount. */
static void test_index_tag_twins(void **state)
{
    (void)state;
    mount_whole(1);
    uint8_t b[8];
    size_t len;
    const uint32_t n = ITS_MAX_ASSETS;
    for (uint32_t i = 0; i < n; i++) {
        const psa_storage_uid_t uid = 0x1000u + i; /* pairs 0x1000/0x1001, 0x1002/0x1003, ... */
        uint8_t v[8];
        fill(v, sizeof(v), i + 1u);
        assert_int_equal(set(1, uid, v, sizeof(v), 0), PSA_SUCCESS);
    }
    struct psa_storage_info_t info;
    assert_int_equal(its_store_get_info(2, 0x1000u, &info), PSA_ERROR_DOES_NOT_EXIST);
    for (int round = 0; round < 2; round++) {
        for (uint32_t i = 0; i < n; i++) {
            uint8_t v[8];
            fill(v, sizeof(v), i + 1u);
            const psa_storage_uid_t uid = 0x1000u + i;
            if (round == 1 && (i & 1u) != 0u) { /* the odd ones were removed */
                assert_int_equal(its_store_get_info(1, uid, &info), PSA_ERROR_DOES_NOT_EXIST);
                continue;
            }
            assert_int_equal(get(1, uid, 0, b, sizeof(b), &len), PSA_SUCCESS);
            assert_int_equal(len, sizeof(v));
            assert_memory_equal(b, v, sizeof(v));
        }
        if (round == 0) {
            for (uint32_t i = 1; i < n; i += 2) {
                assert_int_equal(its_store_remove(1, 0x1000u + i), PSA_SUCCESS);
            }
            mount_whole(1);
        }
    }
}

static void test_confidential(void **state)
{
    (void)state;
    mount_ok();
    static uint8_t secret[64], area[SECTORS * FLASH_SECTOR_SIZE];
    memset(secret, 'S', sizeof(secret));
    assert_int_equal(set(1, 1, secret, sizeof(secret), PSA_STORAGE_FLAG_NO_CONFIDENTIALITY),
                     PSA_SUCCESS);
    assert_int_equal(set(1, 2, secret, sizeof(secret), 0), PSA_SUCCESS);
    assert_int_equal(plat_flash_read(cfg.offset, area, sizeof(area)), 0);
    assert_null(memmem(area, sizeof(area), secret, 8));
    uint8_t other[32] = {9};
    assert_int_equal(its_store_mount(&cfg, other), PSA_ERROR_DATA_CORRUPT);
}

/* ---- nonces ----------------------------------------------------------------------------- */

/* The 64 bytes of ciphertext of the record at `off` in ITS sector `sector`. */
static void ciphertext(uint32_t sector, uint32_t off, uint8_t out[64])
{
    assert_int_equal(plat_flash_read(cfg.offset + sector * FLASH_SECTOR_SIZE + off + 48, out, 64),
                     0);
}

/* Two writes of one asset (one key) at the same place: if their nonces were equal, the XOR of
 * the ciphertexts would be the XOR of the plaintexts. */
static void assert_key_streams_differ(const uint8_t c1[64], const uint8_t c2[64],
                                      const uint8_t p1[64], const uint8_t p2[64])
{
    size_t same = 0;
    for (size_t i = 0; i < 64; i++) {
        same += (uint8_t)(c1[i] ^ c2[i]) == (uint8_t)(p1[i] ^ p2[i]);
    }
    assert_true(same < 16); /* equal nonces: 64; distinct ones: about 0.25 */
}

/* Erasing the area, or only its newest sector, puts the store back where it was, so a nonce
 * drawn from what is in flash (sector seq and offset) was used again under the same key. The
 * nonce comes from the entropy source: it never repeats, whatever was erased. */
static void test_nonce_never_repeats_after_an_erase(void **state)
{
    (void)state;
    static uint8_t big[MAX_ASSET];
    uint8_t p1[64], p2[64], c1[64], c2[64];
    fill(p1, sizeof(p1), 1);
    fill(p2, sizeof(p2), 2);
    fill(big, sizeof(big), 3);
    /* The whole area erased: the first record of sector 0, at offset 16, both times. */
    mount_ok();
    assert_int_equal(set(1, 1, p1, sizeof(p1), 0), PSA_SUCCESS);
    ciphertext(0, 16, c1);
    assert_int_equal(plat_flash_erase(cfg.offset, cfg.size), 0);
    mount_ok();
    assert_int_equal(set(1, 1, p2, sizeof(p2), 0), PSA_SUCCESS);
    ciphertext(0, 16, c2);
    assert_key_streams_differ(c1, c2, p1, p2);
    /* The newest sector erased: two largest assets fill sector 0 and open sector 1, then the
     * asset follows the second one in sector 1. */
    const uint32_t after_big = 16 + (uint32_t)its_store_record_size(MAX_ASSET);
    assert_int_equal(plat_flash_erase(cfg.offset, cfg.size), 0);
    mount_ok();
    assert_int_equal(set(1, 100, big, sizeof(big), 0), PSA_SUCCESS);
    assert_int_equal(set(1, 101, big, sizeof(big), 0), PSA_SUCCESS);
    assert_int_equal(set(1, 1, p1, sizeof(p1), 0), PSA_SUCCESS);
    ciphertext(1, after_big, c1);
    assert_int_equal(plat_flash_erase(cfg.offset + FLASH_SECTOR_SIZE, FLASH_SECTOR_SIZE), 0);
    mount_ok();
    assert_int_equal(set(1, 101, big, sizeof(big), 0), PSA_SUCCESS);
    assert_int_equal(set(1, 1, p2, sizeof(p2), 0), PSA_SUCCESS);
    ciphertext(1, after_big, c2);
    assert_key_streams_differ(c1, c2, p1, p2);
    /* And both read back. */
    uint8_t b[64];
    size_t len;
    assert_int_equal(get(1, 1, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_memory_equal(b, p2, sizeof(b));
}

/* Without entropy there is no write: it fails and changes nothing. */

static void test_write_fails_closed_without_entropy(void **state)
{
    (void)state;
    uint8_t b[8];
    size_t len;
    mount_ok();
    assert_int_equal(set(1, 1, "old", 3, 0), PSA_SUCCESS);
    entropy_fails = true;
    assert_int_equal(set(1, 1, "new", 3, 0), PSA_ERROR_STORAGE_FAILURE);
    entropy_fails = false;
    mount_ok();
    assert_int_equal(get(1, 1, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, 3);
    assert_memory_equal(b, "old", 3);
    struct its_store_config none = cfg;
    none.entropy = NULL;
    assert_int_equal(its_store_mount(&none, root_key), PSA_ERROR_INVALID_ARGUMENT);
}

/* ---- capacity, garbage collection, wear ------------------------------------------------- */

static void test_full(void **state)
{
    (void)state;
    mount_whole(5);
    static uint8_t a[MAX_ASSET], b[MAX_ASSET];
    size_t len;
    fill(a, sizeof(a), 2);
    uint64_t uid = 1;
    psa_status_t status;
    while ((status = set(5, uid, a, 1000, 0)) == PSA_SUCCESS) {
        uid++;
    }
    assert_int_equal(status, PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_true(uid > 5);
    assert_true(its_store_used() <= its_store_capacity());
    /* The refused set changed nothing; overwriting within the space still works. */
    assert_int_equal(its_store_get_info(5, uid, &(struct psa_storage_info_t){0}),
                     PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(set(5, 1, a + 1, 1000, 0), PSA_SUCCESS);
    assert_int_equal(set(5, 1, a, MAX_ASSET, 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(its_store_remove(5, 2), PSA_SUCCESS);
    assert_int_equal(its_store_remove(5, 3), PSA_SUCCESS);
    assert_int_equal(set(5, 1, a, 2000, 0), PSA_SUCCESS);
    mount_whole(5);
    assert_int_equal(get(5, 1, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, 2000);
    assert_memory_equal(a, b, 2000);
    for (uint64_t u = 4; u < uid; u++) {
        assert_int_equal(get(5, u, 0, b, sizeof(b), &len), PSA_SUCCESS);
        assert_memory_equal(a, b, 1000);
    }
    /* Too many assets: the index is full before the flash is. */
    for (uint64_t u = 1; u < uid; u++) {
        (void)its_store_remove(5, u);
    }
    mount_whole(6);
    for (uint32_t i = 0; i < ITS_MAX_ASSETS; i++) {
        assert_int_equal(set(6, i + 1, a, 1, 0), PSA_SUCCESS);
    }
    assert_int_equal(set(6, 1000, a, 1, 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(set(6, 1, a, 2, 0), PSA_SUCCESS);
}

/* Many overwrites of assets of every size against a model, with remounts. */
static void test_overwrites_and_wear(void **state)
{
    (void)state;
    mount_whole(9);
    enum { N = 6 };
    static uint8_t model[N][MAX_ASSET], buf[MAX_ASSET];
    size_t sizes[N] = {0};
    bool present[N] = {false};
    uint32_t seed = 7;
    for (int round = 0; round < 3000; round++) {
        seed = seed * 1664525u + 1013904223u;
        int k = (int)((seed >> 8) % N);
        if ((seed >> 20) % 7 == 0 && present[k]) {
            assert_int_equal(its_store_remove(9, (uint64_t)k + 1), PSA_SUCCESS);
            present[k] = false;
        } else {
            size_t n = k == 0 ? MAX_ASSET : (seed >> 12) % 1500;
            fill(model[k], n, seed);
            assert_int_equal(set(9, (uint64_t)k + 1, model[k], n, 0), PSA_SUCCESS);
            sizes[k] = n;
            present[k] = true;
        }
        if (round % 500 == 0) {
            mount_whole(9);
        }
    }
    mount_whole(9);
    for (int k = 0; k < N; k++) {
        size_t len;
        if (present[k]) {
            assert_int_equal(get(9, (uint64_t)k + 1, 0, buf, sizeof(buf), &len), PSA_SUCCESS);
            assert_int_equal(len, sizes[k]);
            assert_memory_equal(buf, model[k], len);
        } else {
            assert_int_equal(get(9, (uint64_t)k + 1, 0, buf, sizeof(buf), &len),
                             PSA_ERROR_DOES_NOT_EXIST);
        }
    }
    uint32_t lo, hi;
    (void)erases(&lo, &hi);
    print_message("erases per sector after 3000 changes: %u to %u\n", (unsigned)lo, (unsigned)hi);
    assert_true(lo > 50);
    assert_true(hi - lo <= 2);
}

/* ---- tampering -------------------------------------------------------------------------- */

/* An attacker with the flash copies an older, superseded record of an asset after its newest
 * one, byte for byte (a record that authenticates where it was written): the asset must not
 * come back with its old value. Records are bound to their place (sector seq and offset), so
 * the copy fails its MAC and the store reports DATA_CORRUPT. Without the binding, the copy
 * was the newest record, and the asset rolled back. */
static void test_record_copy_refused(void **state)
{
    (void)state;
    mount_ok();
    uint8_t a[100], b[100], got[100];
    fill(a, sizeof(a), 41);
    fill(b, sizeof(b), 42);
    assert_int_equal(set(1, 1, a, sizeof(a), 0), PSA_SUCCESS);
    assert_int_equal(set(1, 1, b, sizeof(b), 0), PSA_SUCCESS);
    /* The first sector: header (16 B), the record of a, the record of b, then erased. */
    const uint32_t rec = (uint32_t)its_store_record_size(sizeof(a));
    const uint32_t first = cfg.offset + 16u, tail = first + 2u * rec;
    static uint8_t copy[512];
    assert_true(rec <= sizeof(copy));
    assert_int_equal(plat_flash_read(first, copy, rec), 0);
    assert_int_equal(plat_flash_is_blank(tail, rec), 1);
    assert_int_equal(plat_flash_program(tail, copy, rec), 0);
    psa_status_t m = its_store_mount(&cfg, root_key);
    size_t len = 0;
    psa_status_t g = get(1, 1, 0, got, sizeof(got), &len);
    if (m == PSA_SUCCESS && g == PSA_SUCCESS && memcmp(got, a, sizeof(a)) == 0) {
        fail_msg("the copied old record rolled the asset back");
    }
    assert_int_equal(m, PSA_ERROR_DATA_CORRUPT);
}

static void test_tamper(void **state)
{
    (void)state;
    mount_ok();
    static uint8_t a[MAX_ASSET], b[MAX_ASSET];
    fill(a, sizeof(a), 3);
    /* Some history: overwrites, a remove, garbage collection. */
    for (int i = 0; i < 6; i++) {
        assert_int_equal(set(1, 1, a + i, 3000, 0), PSA_SUCCESS);
        assert_int_equal(set(1, 2, a + 10 * i, 100, 0), PSA_SUCCESS);
    }
    assert_int_equal(set(1, 3, a, 40, 0), PSA_SUCCESS);
    assert_int_equal(its_store_remove(1, 3), PSA_SUCCESS);
    assert_int_equal(set(2, 1, a + 7, 500, PSA_STORAGE_FLAG_WRITE_ONCE), PSA_SUCCESS);
    struct {
        int32_t owner;
        uint64_t uid;
        const uint8_t *data;
        size_t size;
    } live[] = {{1, 1, a + 5, 3000}, {1, 2, a + 50, 100}, {2, 1, a + 7, 500}};
    enum { AREA = SECTORS * FLASH_SECTOR_SIZE };
    static uint8_t data[AREA], prog[AREA / FLASH_PROGRAM_UNIT / 8 + 1], flipped[AREA];
    assert_int_equal(host_flash_save(cfg.offset, AREA, data, prog), 0);
    unsigned detected = 0, harmless = 0;
    for (uint32_t i = 0; i < AREA; i++) {
        memcpy(flipped, data, AREA);
        flipped[i] ^= (uint8_t)(1u << (i % 8));
        assert_int_equal(host_flash_restore(cfg.offset, AREA, flipped, prog), 0);
        psa_status_t m = its_store_mount(&cfg, root_key);
        bool seen = false;
        if (m == PSA_ERROR_DATA_CORRUPT) {
            detected++;
            continue;
        }
        assert_int_equal(m, PSA_SUCCESS);
        for (size_t k = 0; k < sizeof(live) / sizeof(live[0]); k++) {
            size_t len = 0;
            psa_status_t g = get(live[k].owner, live[k].uid, 0, b, sizeof(b), &len);
            if (g == PSA_SUCCESS) {
                if (len != live[k].size || memcmp(b, live[k].data, len) != 0) {
                    fail_msg("byte %u flipped: asset %u returned wrong data", (unsigned)i,
                             (unsigned)k);
                }
            } else if (g == PSA_ERROR_INVALID_SIGNATURE || g == PSA_ERROR_DATA_CORRUPT) {
                seen = true;
            } else {
                fail_msg("byte %u flipped: asset %u: status %d", (unsigned)i, (unsigned)k, (int)g);
            }
        }
        struct psa_storage_info_t info;
        if (its_store_get_info(1, 3, &info) != PSA_ERROR_DOES_NOT_EXIST) {
            fail_msg("byte %u flipped: a removed asset came back", (unsigned)i);
        }
        detected += seen;
        harmless += !seen;
    }
    print_message("one bit flipped in each of %u bytes: %u detected, %u harmless (free space, "
                  "padding, superseded records)\n",
                  (unsigned)AREA, detected, harmless);
    /* At least every flip in a live asset's data was caught (the loop above already failed on
     * any wrong data or lost asset). */
    assert_true(detected >= 3000 + 100 + 500);
    assert_int_equal(host_flash_restore(cfg.offset, AREA, data, prog), 0);
}

/* ---- quotas ----------------------------------------------------------------------------- */

#define NS     (-1)
#define CRYPTO 257
#define CLIENT 2
#define SELF   256 /* the ITS partition's own reservation (the modules' binding table) */

/* Mounts with the partition's reservations for the test image's ITS clients. */
static void mount_clients(void)
{
    static const int32_t ids[] = {NS, CRYPTO, CLIENT};
    struct its_quota q[3];
    assert_int_equal(its_quota_table(ids, 3, CRYPTO, 3, 0, SELF, q), 3);
    struct its_store_config c = cfg;
    c.quota = q;
    c.quotas = 3;
    assert_int_equal(its_store_mount(&c, root_key), PSA_SUCCESS);
}

static struct its_usage used_by(int32_t owner)
{
    struct its_usage used, share;
    its_store_usage(owner, &used, &share);
    return used;
}

static struct its_usage share_of(int32_t owner)
{
    struct its_usage used, share;
    its_store_usage(owner, &used, &share);
    return share;
}

enum { AREA_BYTES = SECTORS * FLASH_SECTOR_SIZE };
static uint8_t area_before[AREA_BYTES], area_after[AREA_BYTES];
static uint8_t prog_before[AREA_BYTES / FLASH_PROGRAM_UNIT / 8 + 1],
    prog_after[AREA_BYTES / FLASH_PROGRAM_UNIT / 8 + 1];

/* A set that must be refused for the owner's share: INSUFFICIENT_STORAGE, the flash exactly as
 * it was (nothing programmed, nothing erased) and the owner's usage unchanged. */
static void refused(int32_t owner, uint64_t uid, const void *data, size_t n)
{
    struct its_usage u = used_by(owner);
    size_t live = its_store_used();
    assert_int_equal(host_flash_save(cfg.offset, AREA_BYTES, area_before, prog_before), 0);
    assert_int_equal(set(owner, uid, data, n, 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(host_flash_save(cfg.offset, AREA_BYTES, area_after, prog_after), 0);
    assert_memory_equal(area_before, area_after, AREA_BYTES);
    assert_memory_equal(prog_before, prog_after, sizeof(prog_before));
    assert_int_equal(used_by(owner).assets, u.assets);
    assert_int_equal(used_by(owner).bytes, u.bytes);
    assert_int_equal(its_store_used(), live);
}

/* The documented numbers of the policy, and the tables it and the engine refuse. */
static void test_quota_table(void **state)
{
    (void)state;
    struct its_quota q[ITS_QUOTA_MAX + 1];
    const int32_t ids[] = {NS, CRYPTO, CLIENT, 3, 4, 5, 6, 7, 8};
    assert_int_equal(its_quota_table(ids, 3, CRYPTO, 3, 0, SELF, q), 3);
    assert_int_equal(q[0].owner, NS);
    assert_int_equal(q[0].assets, 16);
    assert_int_equal(q[0].share, 128); /* 1/2 */
    assert_int_equal(q[1].owner, CRYPTO);
    assert_int_equal(q[1].assets, 24);
    assert_int_equal(q[1].share, 64); /* 1/4 */
    assert_int_equal(q[2].owner, CLIENT);
    assert_int_equal(q[2].assets, 8);
    assert_int_equal(q[2].share, 64); /* the last 1/4, one partition */
    assert_int_equal(its_quota_table(ids, 4, CRYPTO, 3, 0, SELF, q), 4);
    assert_int_equal(q[2].share, 32); /* two partitions split it */
    assert_int_equal(q[3].share, 32);
    assert_int_equal(ITS_QUOTA_PARTITIONS_MAX, 1); /* 16 + 24 + 8 = the 48 entries */
    const int32_t twice[] = {NS, CLIENT, CLIENT};
    assert_int_equal(its_quota_table(twice, 3, CRYPTO, 3, 0, SELF, q), 0);
    assert_int_equal(its_quota_table(ids, 0, CRYPTO, 3, 0, SELF, q), 0);
    assert_int_equal(its_quota_table(ids, ITS_QUOTA_MAX + 1, CRYPTO, 3, 0, SELF, q), 0);
    /* The engine takes only tables within the index and the capacity, with distinct owners. */
    struct its_store_config c = cfg;
    c.quota = NULL;
    assert_int_equal(its_store_mount(&c, root_key), PSA_ERROR_INVALID_ARGUMENT);
    c.quota = owners;
    c.quotas = 0;
    assert_int_equal(its_store_mount(&c, root_key), PSA_ERROR_INVALID_ARGUMENT);
    static const struct its_quota many[ITS_QUOTA_MAX + 1] = {
        {1, 1, 1, false, 0, 0}, {2, 1, 1, false, 0, 0}, {3, 1, 1, false, 0, 0},
        {4, 1, 1, false, 0, 0}, {5, 1, 1, false, 0, 0}, {6, 1, 1, false, 0, 0},
        {7, 1, 1, false, 0, 0}, {8, 1, 1, false, 0, 0}, {9, 1, 1, false, 0, 0}};
    c.quota = many;
    c.quotas = ITS_QUOTA_MAX + 1;
    assert_int_equal(its_store_mount(&c, root_key), PSA_ERROR_INVALID_ARGUMENT);
    c.quotas = ITS_QUOTA_MAX;
    assert_int_equal(its_store_mount(&c, root_key), PSA_SUCCESS);
    static const struct its_quota same[] = {{1, 8, 16, false, 0, 0}, {1, 8, 16, false, 0, 0}};
    static const struct its_quota entries[] = {{1, 56, 16, false, 0, 0}, {2, 9, 16, false, 0, 0}};
    static const struct its_quota bytes[] = {{1, 8, 200, false, 0, 0}, {2, 8, 57, false, 0, 0}};
    const struct its_quota *bad[] = {same, entries, bytes, false, 0, 0};
    for (size_t i = 0; i < 3; i++) {
        c.quota = bad[i];
        c.quotas = 2;
        assert_int_equal(its_store_mount(&c, root_key), PSA_ERROR_INVALID_ARGUMENT);
    }
    c.quota = entries;
    c.quotas = 1; /* 56 of 64 alone: fine */
    assert_int_equal(its_store_mount(&c, root_key), PSA_SUCCESS);
    assert_int_equal(share_of(1).assets, 56);
    assert_int_equal(share_of(1).bytes, its_store_capacity() * 16 / 256);
    assert_int_equal(share_of(2).assets, 0); /* not named: nothing */
    assert_int_equal(share_of(2).bytes, 0);
}

/* NS takes all its index entries: its next new UID is refused, changing nothing, while the
 * crypto service and TEST_CLIENT still store all of theirs; a remove frees NS's share only;
 * everything holds across a remount. */
static void test_quota_index(void **state)
{
    (void)state;
    mount_clients();
    const uint8_t a[4] = {1, 2, 3, 4};
    for (uint64_t u = 1; u <= ITS_QUOTA_NS_ASSETS; u++) {
        assert_int_equal(set(NS, u, a, 1, 0), PSA_SUCCESS);
    }
    assert_int_equal(used_by(NS).assets, ITS_QUOTA_NS_ASSETS);
    assert_true(used_by(NS).bytes < share_of(NS).bytes); /* the index share is what is full */
    refused(NS, 1000, a, 1);
    assert_int_equal(its_store_get_info(NS, 1000, &(struct psa_storage_info_t){0}),
                     PSA_ERROR_DOES_NOT_EXIST);
    /* Replacing a UID takes no new entry. */
    assert_int_equal(set(NS, 1, a, 4, 0), PSA_SUCCESS);
    /* The others' reservations are whole. */
    for (uint64_t u = 1; u <= ITS_QUOTA_CRYPTO_ASSETS; u++) {
        assert_int_equal(set(CRYPTO, u, a, 2, 0), PSA_SUCCESS);
    }
    for (uint64_t u = 1; u <= ITS_QUOTA_PARTITION_ASSETS; u++) {
        assert_int_equal(set(CLIENT, u, a, 3, 0), PSA_SUCCESS);
    }
    refused(CRYPTO, 1000, a, 1);
    refused(CLIENT, 1000, a, 1);
    /* An owner the configuration does not name stores nothing, even with room left. */
    refused(3, 1, a, 1);
    refused(-2, 1, a, 1);
    /* Removing frees the owner's own share only. */
    assert_int_equal(its_store_remove(NS, 2), PSA_SUCCESS);
    refused(CLIENT, 1000, a, 1);
    refused(CRYPTO, 1000, a, 1);
    assert_int_equal(set(NS, 1000, a, 1, 0), PSA_SUCCESS);
    refused(NS, 1001, a, 1);
    assert_int_equal(its_store_remove(CLIENT, 8), PSA_SUCCESS);
    /* After a power cycle each owner's usage is rebuilt from what is stored. */
    const struct its_usage ns = used_by(NS), crypto = used_by(CRYPTO), client = used_by(CLIENT);
    mount_clients();
    assert_int_equal(used_by(NS).assets, ns.assets);
    assert_int_equal(used_by(NS).bytes, ns.bytes);
    assert_int_equal(used_by(CRYPTO).assets, crypto.assets);
    assert_int_equal(used_by(CRYPTO).bytes, crypto.bytes);
    assert_int_equal(used_by(CLIENT).assets, ITS_QUOTA_PARTITION_ASSETS - 1);
    assert_int_equal(used_by(CLIENT).bytes, client.bytes);
    refused(NS, 1001, a, 1);
    refused(CRYPTO, 1000, a, 1);
    assert_int_equal(set(CLIENT, 1000, a, 3, 0), PSA_SUCCESS);
    refused(CLIENT, 1001, a, 1);
    assert_int_equal(ITS_QUOTA_NS_ASSETS + ITS_QUOTA_CRYPTO_ASSETS + ITS_QUOTA_PARTITION_ASSETS +
                         ITS_QUOTA_MODULES * ITS_QUOTA_MODULE_ASSETS + ITS_QUOTA_SELF_ASSETS,
                     ITS_MAX_ASSETS); /* the modules' and their binding table's are the rest */
}

/* The secure modules' reservations (its_quota_table's `modules`): unclaimed at mount, each
 * given by its_store_claim to one module (the ITS partition claims at a module's first set),
 * whose assets then count against it and are its own; a module past them stores nothing.
 * With them every entry of the index is some owner's. Claims last until the next mount. */
#define MODULE 0x4001
static void mount_with_modules(void)
{
    static const int32_t ids[] = {NS, CRYPTO, CLIENT};
    struct its_quota q[3 + ITS_QUOTA_MODULES + 1];
    assert_int_equal(its_quota_table(ids, 3, CRYPTO, 3, ITS_QUOTA_MODULES, SELF, q),
                     3 + ITS_QUOTA_MODULES + 1);
    /* The modules' and the binding table's from crypto's. */
    assert_int_equal(q[1].share, 64 - 4 * ITS_QUOTA_MODULES - ITS_QUOTA_SELF_SHARE);
    assert_int_equal(q[1].split_share, (64 - 4 * ITS_QUOTA_MODULES - ITS_QUOTA_SELF_SHARE) / 3);
    assert_int_equal(q[1].assets, ITS_QUOTA_CRYPTO_ASSETS);
    assert_int_equal(q[3 + ITS_QUOTA_MODULES].owner, SELF);
    assert_int_equal(q[3 + ITS_QUOTA_MODULES].assets, ITS_QUOTA_SELF_ASSETS);
    assert_int_equal(q[3 + ITS_QUOTA_MODULES].share, ITS_QUOTA_SELF_SHARE);
    assert_int_equal(q[2].share, 64); /* the partition's and NS's stay whole */
    assert_int_equal(q[0].share, 128);
    for (uint32_t m = 0; m < ITS_QUOTA_MODULES; m++) {
        assert_int_equal(q[3 + m].owner, ITS_OWNER_UNCLAIMED);
        assert_int_equal(q[3 + m].assets, ITS_QUOTA_MODULE_ASSETS);
        assert_int_equal(q[3 + m].share, ITS_QUOTA_MODULE_SHARE);
    }
    struct its_store_config c = cfg;
    c.size = 8u * FLASH_SECTOR_SIZE; /* the default 64 KiB */
    c.quota = q;
    c.quotas = 3 + ITS_QUOTA_MODULES + 1;
    assert_int_equal(its_store_mount(&c, root_key), PSA_SUCCESS);
}

static void test_quota_modules(void **state)
{
    (void)state;
    const int32_t ids[] = {NS, CRYPTO, 0, 4, 5, 6, 7, 8};
    struct its_quota q[ITS_QUOTA_MAX + 1];
    assert_int_equal(its_quota_table(ids, 3, CRYPTO, 3, 0, SELF, q), 0); /* no client has id 0 */
    assert_int_equal(its_quota_table(ids, 2, CRYPTO, 3, ITS_QUOTA_MODULES + 1, SELF, q), 0);
    assert_int_equal(its_quota_table(ids + 3, 5, CRYPTO, 3, ITS_QUOTA_MODULES, SELF, q), 0);
    mount_with_modules();
    const uint8_t a[4] = {1, 2, 3, 4}, n[4] = {9, 9, 9, 9};
    uint8_t b[4];
    size_t len;
    for (uint64_t u = 1; u <= ITS_QUOTA_NS_ASSETS; u++) {
        assert_int_equal(set(NS, u, n, 4, 0), PSA_SUCCESS);
    }
    for (uint64_t u = 1; u <= ITS_QUOTA_CRYPTO_ASSETS; u++) {
        assert_int_equal(set(CRYPTO, u, a, 2, 0), PSA_SUCCESS);
    }
    for (uint64_t u = 1; u <= ITS_QUOTA_PARTITION_ASSETS; u++) {
        assert_int_equal(set(CLIENT, u, a, 3, 0), PSA_SUCCESS);
    }
    static uint8_t table[ITS_OWNERS_BYTES];
    assert_int_equal(set(SELF, 1, table, sizeof(table), 0), PSA_SUCCESS); /* the largest fits */
    for (int32_t m = MODULE; m < MODULE + (int32_t)ITS_QUOTA_MODULES; m++) {
        assert_int_equal(share_of(m).assets, 0);
        refused(m, 1, a, 1); /* not claimed yet: no reservation */
        assert_true(its_store_claim(m));
        assert_true(its_store_claim(m)); /* claimed before: the same one */
        assert_int_equal(share_of(m).assets, ITS_QUOTA_MODULE_ASSETS);
        for (uint64_t u = 1; u <= ITS_QUOTA_MODULE_ASSETS; u++) {
            assert_int_equal(set(m, u, a, 1 + (size_t)(m - MODULE), 0), PSA_SUCCESS);
        }
        refused(m, 1000, a, 1); /* its entries are full */
        assert_true(used_by(m).bytes <= share_of(m).bytes);
    }
    /* Its bytes: 1/64 of the capacity, taken from the crypto service's share. */
    assert_int_equal(share_of(MODULE).bytes, its_store_capacity() * ITS_QUOTA_MODULE_SHARE / 256);
    assert_int_equal(its_store_remove(MODULE, 1), PSA_SUCCESS);
    static uint8_t big[4096];
    refused(MODULE, 1, big, share_of(MODULE).bytes); /* more than its share */
    assert_int_equal(set(MODULE, 1, a, 1, 0), PSA_SUCCESS);
    /* A fifth module finds none left; 0 claims nothing; a named owner keeps its own. */
    assert_false(its_store_claim(MODULE + 9));
    refused(MODULE + 9, 1, a, 1);
    assert_false(its_store_claim(ITS_OWNER_UNCLAIMED));
    refused(ITS_OWNER_UNCLAIMED, 1, a, 1);
    assert_true(its_store_claim(NS));
    assert_int_equal(share_of(NS).assets, ITS_QUOTA_NS_ASSETS);
    /* Each module's UID 1 is its own, NS's UID 1 NS's. */
    for (int32_t m = MODULE; m < MODULE + (int32_t)ITS_QUOTA_MODULES; m++) {
        assert_int_equal(get(m, 1, 0, b, sizeof(b), &len), PSA_SUCCESS);
        assert_int_equal(len, 1 + (size_t)(m - MODULE));
    }
    assert_int_equal(get(NS, 1, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_memory_equal(b, n, 4);
    assert_int_equal(get(MODULE + 9, 1, 0, b, sizeof(b), &len), PSA_ERROR_DOES_NOT_EXIST);
    /* After a power cycle: no claim, the usage rebuilt; claimed again (in another order), each
     * module's reservation is as full as it left it. */
    mount_with_modules();
    for (int32_t m = MODULE + (int32_t)ITS_QUOTA_MODULES; m-- > MODULE;) {
        assert_int_equal(share_of(m).assets, 0);
        assert_int_equal(used_by(m).assets, ITS_QUOTA_MODULE_ASSETS);
        assert_true(its_store_claim(m));
        refused(m, 1000, a, 1);
        assert_int_equal(its_store_remove(m, 1), PSA_SUCCESS);
        assert_int_equal(set(m, 1000, a, 1, 0), PSA_SUCCESS);
    }
}

/* The crypto service's persistent keys, as Mbed TLS names them: the key's owner in the UID's
 * upper half. Each of its three clients keeps its part of the crypto service's reservation. */
static uint64_t key_uid(int32_t client, uint32_t key)
{
    return (uint64_t)(uint32_t)client << 32 | key;
}

static struct its_usage client_used(int32_t client)
{
    struct its_usage used, share;
    its_store_usage_of_client(CRYPTO, (uint32_t)client, &used, &share);
    return used;
}

static void test_quota_split(void **state)
{
    (void)state;
    mount_clients();
    struct its_usage used, part;
    its_store_usage_of_client(CRYPTO, (uint32_t)NS, &used, &part);
    assert_int_equal(part.assets, ITS_QUOTA_CRYPTO_ASSETS / 3);
    assert_int_equal(part.bytes,
                     its_store_capacity() * (ITS_QUOTA_CRYPTO_SHARE / 3) / ITS_SHARE_WHOLE);
    struct its_usage none;
    its_store_usage_of_client(NS, 5, &used, &none); /* NS does not split its reservation */
    assert_int_equal(none.assets, 0);
    assert_int_equal(none.bytes, 0);
    const uint8_t k[32] = {7};
    /* NS's keys take NS's part, and no more. */
    for (uint32_t i = 1; i <= part.assets; i++) {
        assert_int_equal(set(CRYPTO, key_uid(NS, i), k, sizeof(k), 0), PSA_SUCCESS);
    }
    refused(CRYPTO, key_uid(NS, 100), k, sizeof(k));
    assert_int_equal(set(CRYPTO, key_uid(NS, 1), k, 16, 0), PSA_SUCCESS); /* a replacement */
    /* The other clients' keys still go in, each up to its own part. */
    for (uint32_t i = 1; i <= ITS_QUOTA_CRYPTO_ASSETS / 3; i++) {
        assert_int_equal(set(CRYPTO, key_uid(CLIENT, i), k, sizeof(k), 0), PSA_SUCCESS);
    }
    refused(CRYPTO, key_uid(CLIENT, 100), k, sizeof(k));
    assert_int_equal(set(CRYPTO, key_uid(3, 1), k, sizeof(k), 0), PSA_SUCCESS);
    /* A destroyed key frees its client's part only. */
    assert_int_equal(its_store_remove(CRYPTO, key_uid(NS, 2)), PSA_SUCCESS);
    refused(CRYPTO, key_uid(CLIENT, 100), k, sizeof(k));
    assert_int_equal(set(CRYPTO, key_uid(NS, 100), k, sizeof(k), 0), PSA_SUCCESS);
    refused(CRYPTO, key_uid(NS, 101), k, sizeof(k));
    /* Bytes too: client 3 fills its part with large keys; NS's part is untouched by it. */
    static uint8_t big[MAX_ASSET];
    fill(big, sizeof(big), 5);
    uint32_t n = 2;
    while (set(CRYPTO, key_uid(3, n), big, 1500, 0) == PSA_SUCCESS) {
        n++;
    }
    used = client_used(3);
    assert_true(used.bytes <= part.bytes && used.bytes + its_store_record_size(1500) > part.bytes);
    refused(CRYPTO, key_uid(3, n), big, 1500);
    assert_int_equal(its_store_remove(CRYPTO, key_uid(NS, 100)), PSA_SUCCESS);
    assert_int_equal(set(CRYPTO, key_uid(NS, 100), k, sizeof(k), 0), PSA_SUCCESS);
    /* Rebuilt from the index after a remount. */
    const struct its_usage ns = client_used(NS), client = client_used(CLIENT),
                           three = client_used(3);
    mount_clients();
    assert_int_equal(client_used(NS).assets, ns.assets);
    assert_int_equal(client_used(CLIENT).bytes, client.bytes);
    assert_int_equal(client_used(3).bytes, three.bytes);
    refused(CRYPTO, key_uid(NS, 101), k, sizeof(k));
}

/* A module's persistent keys (the crypto service's assets whose UID's upper half is the
 * module's id) are charged to the module's own reservation once it has claimed one, not to
 * the crypto service's parts: modules' keys cannot fill what the manifests' clients were
 * promised. */
static void test_module_keys_charged_to_module(void **state)
{
    (void)state;
    mount_with_modules();
    const uint8_t k[32] = {3};
    assert_true(its_store_claim(MODULE));
    for (uint32_t i = 1; i <= ITS_QUOTA_MODULE_ASSETS; i++) {
        assert_int_equal(set(CRYPTO, key_uid(MODULE, i), k, sizeof(k), 0), PSA_SUCCESS);
    }
    assert_int_equal(used_by(MODULE).assets, ITS_QUOTA_MODULE_ASSETS);
    assert_int_equal(used_by(CRYPTO).assets, 0);        /* not the crypto service's */
    refused(CRYPTO, key_uid(MODULE, 99), k, sizeof(k)); /* the module's reservation is full */
    refused(MODULE, 1, k, 1);                           /* its own assets share it */
    /* Every manifest client still stores its whole part. */
    const int32_t clients[] = {NS, CLIENT, 3};
    const uint32_t part = ITS_QUOTA_CRYPTO_ASSETS / 3;
    for (int c = 0; c < 3; c++) {
        for (uint32_t i = 1; i <= part; i++) {
            assert_int_equal(set(CRYPTO, key_uid(clients[c], i), k, sizeof(k), 0), PSA_SUCCESS);
        }
    }
    /* A destroyed key frees the module's reservation. */
    assert_int_equal(its_store_remove(CRYPTO, key_uid(MODULE, 1)), PSA_SUCCESS);
    assert_int_equal(set(MODULE, 1, k, 1, 0), PSA_SUCCESS);
    /* After a power cycle, before the module claims again, its keys are nobody's: they do
     * not count against the crypto service's parts either once it has claimed. */
    mount_with_modules();
    assert_true(its_store_claim(MODULE));
    assert_int_equal(used_by(MODULE).assets, ITS_QUOTA_MODULE_ASSETS);
    assert_int_equal(used_by(CRYPTO).assets, 3 * part);
}

/* its_store_remove_owned: everything of an owner, write-once too, or the crypto service's
 * assets of one client; nothing of anyone else; the same after a remount. */
static void test_remove_owned(void **state)
{
    (void)state;
    mount_with_modules();
    const uint8_t k[16] = {4};
    uint8_t b[16];
    size_t len;
    assert_true(its_store_claim(MODULE));
    assert_true(its_store_claim(MODULE + 1));
    assert_int_equal(set(MODULE, 1, k, 4, PSA_STORAGE_FLAG_WRITE_ONCE), PSA_SUCCESS);
    assert_int_equal(set(MODULE, 2, k, 5, 0), PSA_SUCCESS);
    assert_int_equal(set(MODULE + 1, 1, k, 6, 0), PSA_SUCCESS);
    assert_int_equal(set(CRYPTO, key_uid(MODULE + 1, 7), k, 8, 0), PSA_SUCCESS);
    assert_int_equal(set(CRYPTO, key_uid(NS, 7), k, 9, 0), PSA_SUCCESS);
    assert_int_equal(set(NS, 1, k, 10, 0), PSA_SUCCESS);
    /* Not the key's owner, MODULE's own: both of its assets, the write-once one too. */
    assert_int_equal(its_store_remove(MODULE, 1), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(its_store_remove_owned(MODULE, 0), PSA_SUCCESS);
    assert_int_equal(get(MODULE, 1, 0, b, sizeof(b), &len), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(get(MODULE, 2, 0, b, sizeof(b), &len), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(used_by(MODULE).assets, 0);
    /* MODULE + 1's keys of the crypto service, and no other key. */
    assert_int_equal(its_store_remove_owned(CRYPTO, (uint32_t)(MODULE + 1)), PSA_SUCCESS);
    assert_int_equal(get(CRYPTO, key_uid(MODULE + 1, 7), 0, b, sizeof(b), &len),
                     PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(get(MODULE + 1, 1, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, 6);
    assert_int_equal(get(CRYPTO, key_uid(NS, 7), 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, 9);
    assert_int_equal(get(NS, 1, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(its_store_remove_owned(MODULE + 5, 0), PSA_SUCCESS); /* owns nothing */
    mount_with_modules();
    assert_int_equal(get(MODULE, 1, 0, b, sizeof(b), &len), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(get(CRYPTO, key_uid(MODULE + 1, 7), 0, b, sizeof(b), &len),
                     PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(get(MODULE + 1, 1, 0, b, sizeof(b), &len), PSA_SUCCESS);
}

/* NS takes its bytes with few assets: a set past them is refused, changing nothing, while the
 * others still store up to theirs; a replacement is charged only its growth; a remove frees
 * NS's share only; usage holds across a remount. */
static void test_quota_bytes(void **state)
{
    (void)state;
    mount_clients();
    static uint8_t a[MAX_ASSET], b[MAX_ASSET];
    size_t len;
    fill(a, sizeof(a), 11);
    const size_t ns_share = share_of(NS).bytes;
    assert_int_equal(ns_share, its_store_capacity() / 2);
    assert_int_equal(set(NS, 1, a, MAX_ASSET, 0), PSA_SUCCESS);
    refused(NS, 2, a, MAX_ASSET); /* two of the largest are more than half */
    assert_int_equal(set(NS, 2, a, 1000, 0), PSA_SUCCESS);
    assert_true(used_by(NS).bytes + its_store_record_size(1000) > ns_share);
    refused(NS, 3, a, 1000);
    assert_true(used_by(NS).assets < share_of(NS).assets); /* the byte share is what is full */
    /* A replacement is charged only its growth: the same size passes, so does growth within
     * the share, growth past it does not (and the old version stands). */
    assert_int_equal(set(NS, 1, a + 1, MAX_ASSET, 0), PSA_SUCCESS);
    size_t room = ns_share - used_by(NS).bytes;
    size_t grown = 1000 + room / FLASH_PROGRAM_UNIT * FLASH_PROGRAM_UNIT;
    assert_int_equal(set(NS, 2, a + 2, grown, 0), PSA_SUCCESS);
    refused(NS, 2, a, grown + FLASH_PROGRAM_UNIT);
    assert_int_equal(get(NS, 2, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, grown);
    assert_memory_equal(b, a + 2, grown);
    /* The crypto service and TEST_CLIENT fill their own quarter each. */
    const int32_t others[] = {CRYPTO, CLIENT};
    for (int k = 0; k < 2; k++) {
        uint64_t uid = 1;
        while (used_by(others[k]).bytes + its_store_record_size(1000) <=
               share_of(others[k]).bytes) {
            assert_int_equal(set(others[k], uid++, a, 1000, 0), PSA_SUCCESS);
        }
        assert_true(uid > 2);
        refused(others[k], uid, a, 1000);
    }
    assert_true(its_store_used() <= its_store_capacity());
    /* Removing NS's largest frees NS's share only. */
    const struct its_usage crypto = used_by(CRYPTO), client = used_by(CLIENT);
    assert_int_equal(its_store_remove(NS, 1), PSA_SUCCESS);
    refused(CRYPTO, 100, a, 1000);
    refused(CLIENT, 100, a, 1000);
    assert_int_equal(set(NS, 3, a + 3, 3000, 0), PSA_SUCCESS);
    /* A power cycle rebuilds the same usage; the shares hold as before. */
    const struct its_usage ns = used_by(NS);
    mount_clients();
    assert_int_equal(used_by(NS).bytes, ns.bytes);
    assert_int_equal(used_by(NS).assets, ns.assets);
    assert_int_equal(used_by(CRYPTO).bytes, crypto.bytes);
    assert_int_equal(used_by(CLIENT).bytes, client.bytes);
    refused(CRYPTO, 100, a, 1000);
    refused(NS, 4, a, MAX_ASSET);
    assert_int_equal(get(NS, 3, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_memory_equal(b, a + 3, 3000);
}

/* Assets stored under a larger reservation (an earlier configuration) stay readable when the
 * share shrinks below them: the owner may shrink or replace them, not grow nor add. */
static void test_quota_over_share(void **state)
{
    (void)state;
    static uint8_t a[MAX_ASSET], b[MAX_ASSET];
    size_t len;
    fill(a, sizeof(a), 12);
    mount_whole(NS);
    for (uint64_t u = 1; u <= 3; u++) {
        assert_int_equal(set(NS, u, a, MAX_ASSET / 2, 0), PSA_SUCCESS);
    }
    mount_clients();
    assert_true(used_by(NS).bytes > share_of(NS).bytes);
    assert_int_equal(get(NS, 3, 0, b, sizeof(b), &len), PSA_SUCCESS);
    assert_int_equal(len, MAX_ASSET / 2);
    refused(NS, 4, a, 1);
    refused(NS, 3, a, MAX_ASSET / 2 + FLASH_PROGRAM_UNIT);
    assert_int_equal(set(NS, 3, a + 1, MAX_ASSET / 2, 0), PSA_SUCCESS);
    assert_int_equal(set(NS, 3, a + 2, 10, 0), PSA_SUCCESS);
    assert_int_equal(set(CLIENT, 1, a, 1000, 0), PSA_SUCCESS); /* the others are unaffected */
}

/* ---- power cuts ------------------------------------------------------------------------- */

enum { OP_SET, OP_REMOVE };
struct op {
    int kind;
    int32_t owner;
    uint64_t uid;
    size_t size;
    uint32_t seed;
};

/* Sets, overwrites and removes from 1 B to the largest size, enough to collect garbage. */
static const struct op script[] = {
    {OP_SET, 1, 1, 1, 1},     {OP_SET, 1, 2, MAX_ASSET, 2},  {OP_SET, 2, 1, 300, 3},
    {OP_SET, 1, 1, 17, 4},    {OP_SET, 1, 3, 2000, 5},       {OP_REMOVE, 2, 1, 0, 0},
    {OP_SET, 1, 2, 1000, 6},  {OP_SET, 1, 4, MAX_ASSET, 7},  {OP_SET, 1, 3, 255, 8},
    {OP_SET, 1, 2, 4000, 9},  {OP_REMOVE, 1, 1, 0, 0},       {OP_SET, 2, 1, 256, 10},
    {OP_SET, 1, 4, 3000, 11}, {OP_SET, 1, 5, 16, 12},        {OP_SET, 1, 2, 2500, 13},
    {OP_REMOVE, 1, 3, 0, 0},  {OP_SET, 1, 4, MAX_ASSET, 14}, {OP_SET, 1, 3, 1, 15},
};
#define SCRIPT_LEN (sizeof(script) / sizeof(script[0]))

struct model_asset {
    int32_t owner;
    uint64_t uid;
    size_t size;
    uint32_t seed;
    bool present;
};
#define MODEL_MAX 8

static void model_apply(struct model_asset *m, const struct op *o)
{
    for (int i = 0; i < MODEL_MAX; i++) {
        if (m[i].present && m[i].owner == o->owner && m[i].uid == o->uid) {
            if (o->kind == OP_REMOVE) {
                m[i].present = false;
            } else {
                m[i].size = o->size;
                m[i].seed = o->seed;
            }
            return;
        }
    }
    for (int i = 0; o->kind == OP_SET && i < MODEL_MAX; i++) {
        if (!m[i].present) {
            m[i] = (struct model_asset){o->owner, o->uid, o->size, o->seed, true};
            return;
        }
    }
}

static psa_status_t run_op(const struct op *o)
{
    static uint8_t data[MAX_ASSET];
    if (o->kind == OP_REMOVE) {
        return its_store_remove(o->owner, o->uid);
    }
    fill(data, o->size, o->seed);
    return set(o->owner, o->uid, data, o->size, 0);
}

/* Whether the store holds exactly model m (an asset of `loose` may be as in m or in alt). */
static void check_model(const struct model_asset *m, const struct model_asset *alt,
                        const struct op *loose, long cut, bool torn)
{
    static uint8_t want[MAX_ASSET], got[MAX_ASSET];
    for (int i = 0; i < MODEL_MAX; i++) {
        if (!m[i].present) {
            continue;
        }
        size_t len = 0;
        psa_status_t g = get(m[i].owner, m[i].uid, 0, got, sizeof(got), &len);
        fill(want, m[i].size, m[i].seed);
        bool same = g == PSA_SUCCESS && len == m[i].size && memcmp(got, want, len) == 0;
        if (!same && loose != NULL && m[i].owner == loose->owner && m[i].uid == loose->uid) {
            continue; /* checked against alt */
        }
        if (!same) {
            fail_msg("cut after %ld (%s): asset %d/%llu: status %d, %zu bytes", cut,
                     torn ? "torn" : "clean", (int)m[i].owner, (unsigned long long)m[i].uid, (int)g,
                     len);
        }
    }
    if (loose == NULL) {
        return;
    }
    /* The interrupted one is old (m) or new (alt). */
    const struct model_asset *sets[2] = {m, alt};
    bool matched = false;
    for (int w = 0; w < 2 && !matched; w++) {
        const struct model_asset *x = NULL;
        for (int i = 0; i < MODEL_MAX; i++) {
            if (sets[w][i].present && sets[w][i].owner == loose->owner &&
                sets[w][i].uid == loose->uid) {
                x = &sets[w][i];
            }
        }
        size_t len = 0;
        psa_status_t g = get(loose->owner, loose->uid, 0, got, sizeof(got), &len);
        if (x == NULL) {
            matched = g == PSA_ERROR_DOES_NOT_EXIST;
        } else {
            fill(want, x->size, x->seed);
            matched = g == PSA_SUCCESS && len == x->size && memcmp(got, want, len) == 0;
        }
    }
    if (!matched) {
        fail_msg("cut after %ld (%s): the interrupted asset is neither old nor new", cut,
                 torn ? "torn" : "clean");
    }
}

/* Each owner's usage is model m's: what the index was rebuilt from, counted per owner. */
static void check_usage(const struct model_asset *m, long cut)
{
    for (size_t q = 0; q < sizeof(owners) / sizeof(owners[0]); q++) {
        struct its_usage want = {0, 0};
        for (int i = 0; i < MODEL_MAX; i++) {
            if (m[i].present && m[i].owner == owners[q].owner) {
                want.assets++;
                want.bytes += its_store_record_size(m[i].size);
            }
        }
        struct its_usage used = used_by(owners[q].owner);
        if (used.assets != want.assets || used.bytes != want.bytes) {
            fail_msg("cut after %ld: owner %d uses %u assets, %zu bytes; the model %u, %zu", cut,
                     (int)owners[q].owner, (unsigned)used.assets, used.bytes, (unsigned)want.assets,
                     want.bytes);
        }
    }
}

static jmp_buf cut_jmp;
static void on_cut(void *ctx)
{
    (void)ctx;
    longjmp(cut_jmp, 1);
}

/* Runs o with a power cut after c flash operations; whether the cut happened. */
static bool run_cut(const struct op *o, long c, bool torn)
{
    host_flash_on_cut(on_cut, NULL);
    host_flash_cut_after(c, torn);
    if (setjmp(cut_jmp) != 0) {
        host_flash_on_cut(NULL, NULL);
        host_flash_power_on();
        return true;
    }
    (void)run_op(o);
    host_flash_cut_after(-1, false);
    host_flash_on_cut(NULL, NULL);
    return false;
}

/* Power cut after power cut, each early in a write (in its header or its first data), with a
 * mount after each, as a device that loses power at every boot: the store keeps every committed
 * asset and keeps taking writes. A torn header used to close its whole sector, so a few cuts in
 * a row left the collector nowhere to copy to, and every later write failed. */
static void test_repeated_cuts(void **state)
{
    (void)state;
    enum { ASSETS = 4, ROUNDS = 120 };
    static uint8_t want[ASSETS][2][1000], got[1000];
    uint32_t gen[ASSETS] = {0}; /* the value committed: want[i][0]; want[i][1] the one tried */
    mount_ok();
    for (uint32_t i = 0; i < ASSETS; i++) {
        fill(want[i][0], sizeof(want[i][0]), i);
        assert_int_equal(set(1, i + 1, want[i][0], sizeof(want[i][0]), 0), PSA_SUCCESS);
    }
    for (uint32_t round = 0; round < ROUNDS; round++) {
        const uint32_t i = round % ASSETS;
        fill(want[i][1], sizeof(want[i][1]), 1000u + round);
        const struct op o = {OP_SET, 1, i + 1, sizeof(want[i][1]), 1000u + round};
        bool cut = run_cut(&o, (long)(round % 7u), round % 2u != 0u);
        mount_ok();
        size_t len = 0;
        assert_int_equal(get(1, i + 1, 0, got, sizeof(got), &len), PSA_SUCCESS);
        assert_int_equal(len, sizeof(got));
        bool is_new = memcmp(got, want[i][1], len) == 0;
        if (!is_new && memcmp(got, want[i][0], len) != 0) {
            fail_msg("round %u: asset %u is neither its old nor its new value", (unsigned)round,
                     (unsigned)i);
        }
        if (!cut && !is_new) {
            fail_msg("round %u: an uninterrupted set was lost", (unsigned)round);
        }
        if (is_new) {
            memcpy(want[i][0], want[i][1], len);
            gen[i]++;
        }
        /* Every few cuts, a set without one must succeed. */
        if (round % 5u == 4u) {
            fill(want[i][0], sizeof(want[i][0]), 5000u + round);
            assert_int_equal(set(1, i + 1, want[i][0], sizeof(want[i][0]), 0), PSA_SUCCESS);
        }
    }
    for (uint32_t i = 0; i < ASSETS; i++) {
        size_t len = 0;
        assert_int_equal(get(1, i + 1, 0, got, sizeof(got), &len), PSA_SUCCESS);
        assert_memory_equal(got, want[i][0], sizeof(got));
    }
    (void)gen;
}

/* How many flash operations o takes, uninterrupted, from the store as it is: o is run, then the
 * area is put back as it was and mounted again (with the whole capacity for owner 1). */
static long ops_of(const struct op *o)
{
    enum { AREA = SECTORS * FLASH_SECTOR_SIZE };
    static uint8_t data[AREA], prog[AREA / FLASH_PROGRAM_UNIT / 8 + 1];
    assert_int_equal(host_flash_save(cfg.offset, AREA, data, prog), 0);
    long start = host_flash_ops();
    assert_int_equal(run_op(o), PSA_SUCCESS);
    long ops = host_flash_ops() - start;
    assert_int_equal(host_flash_restore(cfg.offset, AREA, data, prog), 0);
    mount_whole(1);
    return ops;
}

/* Power cut after power cut inside garbage collection, each in the copy of a large record, with
 * a mount after each: the collector restarts from an empty destination, so the cuts waste
 * nothing for good, and the write goes through once the power stays on. The collector used to
 * resume into the same destination, where each cut copy kept its room: a few cuts in a row
 * filled it, and every later write failed with PSA_ERROR_INSUFFICIENT_STORAGE. */
static void test_repeated_gc_cuts(void **state)
{
    (void)state;
    enum { AREA = SECTORS * FLASH_SECTOR_SIZE, ROUNDS = 40, CHAIN = 12 };
    static uint8_t big[2][MAX_ASSET], got[MAX_ASSET], small[2][1000];
    mount_whole(1);
    /* Two large static assets, which every collection of their sector copies. */
    for (uint32_t i = 0; i < 2; i++) {
        fill(big[i], MAX_ASSET, 70u + i);
        assert_int_equal(set(1, 10u + i, big[i], MAX_ASSET, 0), PSA_SUCCESS);
    }
    fill(small[0], sizeof(small[0]), 0);
    assert_int_equal(set(1, 1, small[0], sizeof(small[0]), 0), PSA_SUCCESS);
    uint32_t collections = 0, cut_total = 0;
    for (uint32_t round = 0; round < ROUNDS; round++) {
        const struct op o = {OP_SET, 1, 1, sizeof(small[1]), 100u + round};
        fill(small[1], sizeof(small[1]), 100u + round);
        /* Does this set collect? Try it, and put the flash back. */
        const long ops = ops_of(&o);
        if (ops > (long)(MAX_ASSET / FLASH_PROGRAM_UNIT)) {
            collections++;
            /* Cut it again and again, each time somewhere in the copies. */
            for (uint32_t k = 0; k < CHAIN; k++) {
                long c = 2 + (long)((k * 97u + round * 31u) % (uint32_t)(ops - 40));
                bool cut = run_cut(&o, c, (k & 1u) != 0u);
                cut_total += cut;
                mount_whole(1);
                for (uint32_t i = 0; i < 2; i++) {
                    size_t len = 0;
                    assert_int_equal(get(1, 10u + i, 0, got, sizeof(got), &len), PSA_SUCCESS);
                    assert_int_equal(len, MAX_ASSET);
                    assert_memory_equal(got, big[i], MAX_ASSET);
                }
                size_t len = 0;
                assert_int_equal(get(1, 1, 0, got, sizeof(got), &len), PSA_SUCCESS);
                assert_int_equal(len, sizeof(small[0]));
                if (memcmp(got, small[1], len) == 0) {
                    break; /* the set got through before the cut */
                }
                assert_memory_equal(got, small[0], len);
            }
        }
        /* The power stays on: the set must succeed. */
        assert_int_equal(set(1, 1, small[1], sizeof(small[1]), 0), PSA_SUCCESS);
        memcpy(small[0], small[1], sizeof(small[0]));
    }
    print_message("%u collections, %u cuts in them: every write went through after\n",
                  (unsigned)collections, (unsigned)cut_total);
    assert_true(collections >= 3);
}

/* A collection cut at the same point again and again still finishes: it resumes where the
 * last cut left it while its destination has room (started again from an empty sector each
 * time, it would never get past that point). */
static void test_cut_collection_resumes(void **state)
{
    (void)state;
    enum { AREA = SECTORS * FLASH_SECTOR_SIZE, TRIES = 4, STATIC = 1500 };
    static uint8_t big[MAX_ASSET], got[MAX_ASSET], small[1000];
    mount_whole(1);
    /* Three static assets in one sector: a collection of it copies all three. */
    for (uint32_t i = 0; i < 3; i++) {
        fill(big, STATIC, 70u + i);
        assert_int_equal(set(1, 10u + i, big, STATIC, 0), PSA_SUCCESS);
    }
    uint32_t checked = 0;
    for (uint32_t round = 0; round < 30 && checked < 3; round++) {
        const struct op o = {OP_SET, 1, 1, sizeof(small), 200u + round};
        const long ops = ops_of(&o);
        if (ops > (long)(3 * STATIC / FLASH_PROGRAM_UNIT)) {
            /* The three are copied: cut at 60 % of the set, every time. */
            checked++;
            uint32_t tries = 0;
            while (run_cut(&o, ops * 6 / 10, tries % 2u != 0u)) {
                mount_whole(1);
                if (++tries == TRIES) {
                    fail_msg("round %u: %u cuts at operation %ld, and the set never finished",
                             (unsigned)round, (unsigned)tries, ops * 6 / 10);
                }
            }
            mount_whole(1);
            assert_true(tries >= 1u);
        } else {
            assert_int_equal(run_op(&o), PSA_SUCCESS);
        }
        fill(small, sizeof(small), 200u + round);
        size_t len = 0;
        assert_int_equal(get(1, 1, 0, got, sizeof(got), &len), PSA_SUCCESS);
        assert_int_equal(len, sizeof(small));
        assert_memory_equal(got, small, len);
        for (uint32_t i = 0; i < 3; i++) {
            fill(big, STATIC, 70u + i);
            assert_int_equal(get(1, 10u + i, 0, got, sizeof(got), &len), PSA_SUCCESS);
            assert_int_equal(len, STATIC);
            assert_memory_equal(got, big, STATIC);
        }
    }
    assert_true(checked >= 1u);
}

/* A collection started again after cuts goes back to the records its victim holds, the newest
 * of each asset: the victim holds an asset's old and new versions, the new one is copied, then
 * the copy of a large record is cut again and again until the collection starts again from an
 * empty sector. The asset must still read as its new version. */
static void test_restart_keeps_newest(void **state)
{
    (void)state;
    enum { AREA = SECTORS * FLASH_SECTOR_SIZE };
    static uint8_t v[2][1000], big[MAX_ASSET], got[MAX_ASSET], x[1000];
    mount_whole(1);
    /* Sector 0: the asset's two versions, then a large static asset. */
    fill(v[0], sizeof(v[0]), 1);
    fill(v[1], sizeof(v[1]), 2);
    fill(big, sizeof(big), 3);
    assert_int_equal(set(1, 1, v[0], sizeof(v[0]), 0), PSA_SUCCESS);
    assert_int_equal(set(1, 1, v[1], sizeof(v[1]), 0), PSA_SUCCESS);
    assert_int_equal(set(1, 2, big, sizeof(big), 0), PSA_SUCCESS);
    uint32_t cuts = 0;
    for (uint32_t round = 0; round < 40 && cuts == 0; round++) {
        const struct op o = {OP_SET, 1, 3, sizeof(x), 300u + round};
        const long ops = ops_of(&o);
        if (ops <= (long)(MAX_ASSET / FLASH_PROGRAM_UNIT)) {
            assert_int_equal(run_op(&o), PSA_SUCCESS);
            continue;
        }
        /* The first collection, of sector 0: the new version (68 units) is copied, then the
         * cut falls in the large record, each time (a resume has no room after two). */
        for (uint32_t k = 0; k < 4; k++) {
            assert_true(run_cut(&o, 2 + 68 + 100, k % 2u != 0u));
            cuts++;
            mount_whole(1);
            size_t len = 0;
            assert_int_equal(get(1, 1, 0, got, sizeof(got), &len), PSA_SUCCESS);
            assert_int_equal(len, sizeof(v[1]));
            assert_memory_equal(got, v[1], len);
            assert_int_equal(get(1, 2, 0, got, sizeof(got), &len), PSA_SUCCESS);
            assert_memory_equal(got, big, sizeof(big));
        }
        assert_int_equal(run_op(&o), PSA_SUCCESS);
    }
    assert_int_equal(cuts, 4);
    size_t len = 0;
    assert_int_equal(get(1, 1, 0, got, sizeof(got), &len), PSA_SUCCESS);
    assert_memory_equal(got, v[1], sizeof(v[1]));
}

static void test_power_cuts(void **state)
{
    (void)state;
    enum { AREA = SECTORS * FLASH_SECTOR_SIZE };
    static uint8_t data[AREA], prog[AREA / FLASH_PROGRAM_UNIT / 8 + 1];
    struct model_asset before[MODEL_MAX] = {0}, after[MODEL_MAX];
    long cuts = 0;
    mount_ok();
    for (size_t k = 0; k < SCRIPT_LEN; k++) {
        const struct op *o = &script[k];
        memcpy(after, before, sizeof(after));
        model_apply(after, o);
        assert_int_equal(host_flash_save(cfg.offset, AREA, data, prog), 0);
        /* How many flash operations the step takes uninterrupted. */
        mount_ok();
        long start = host_flash_ops();
        assert_int_equal(run_op(o), PSA_SUCCESS);
        long ops = host_flash_ops() - start;
        for (int torn = 0; torn < 2; torn++) {
            for (long c = 0; c < ops; c++) {
                assert_int_equal(host_flash_restore(cfg.offset, AREA, data, prog), 0);
                mount_ok();
                if (!run_cut(o, c, torn)) {
                    fail_msg("step %zu: no cut after %ld operations", k, c);
                }
                cuts++;
                mount_ok();
                check_model(before, after, o, c, torn);
                /* Storage still works: the step again, then a new asset. */
                struct psa_storage_info_t info;
                bool gone = o->kind == OP_REMOVE &&
                            its_store_get_info(o->owner, o->uid, &info) == PSA_ERROR_DOES_NOT_EXIST;
                assert_int_equal(run_op(o), gone ? PSA_ERROR_DOES_NOT_EXIST : PSA_SUCCESS);
                check_model(after, NULL, NULL, c, torn);
                check_usage(after, c);
                mount_ok();
                check_usage(after, c);
            }
        }
        /* Go on from the uninterrupted step. */
        assert_int_equal(host_flash_restore(cfg.offset, AREA, data, prog), 0);
        mount_ok();
        assert_int_equal(run_op(o), PSA_SUCCESS);
        mount_ok();
        check_model(after, NULL, NULL, -1, false);
        check_usage(after, -1);
        memcpy(before, after, sizeof(before));
    }
    print_message("%ld power cuts over %zu steps: every one recovered\n", cuts, SCRIPT_LEN);
}

/* `--bench`: flash bytes programmed per byte stored, steady state (overwrites of one asset,
 * garbage collection included), for `make bench`. Operations are 16-byte unit programs and
 * sector erases; erases are counted apart. */
static int bench(void)
{
    static const size_t sizes[] = {16, 256, 4096};
    static uint8_t data[MAX_ASSET];
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        if (host_flash_open_ram() != 0 || its_store_mount(&cfg, root_key) != PSA_SUCCESS) {
            return 1;
        }
        enum { ROUNDS = 200 };
        uint32_t lo, hi, erases_before = erases(&lo, &hi);
        long ops = host_flash_ops();
        for (int i = 0; i < ROUNDS; i++) {
            fill(data, sizes[k], (uint32_t)i);
            if (set(1, 1, data, sizes[k], 0) != PSA_SUCCESS) {
                return 1;
            }
        }
        ops = host_flash_ops() - ops;
        long erased = (long)(erases(&lo, &hi) - erases_before);
        double programmed = (double)(ops - erased) * FLASH_PROGRAM_UNIT;
        printf("BENCH its_flash_per_byte_%zu %.3f bytes/byte flash bytes programmed per byte "
               "stored, %zu B asset overwritten %d times (host, GC included)\n",
               sizes[k], programmed / ((double)ROUNDS * (double)sizes[k]), sizes[k], ROUNDS);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--bench") == 0) {
        return bench();
    }
    const char *only = argc > 2 && strcmp(argv[1], "--only") == 0 ? argv[2] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_api, fresh),
        cmocka_unit_test_setup(test_index_tag_twins, fresh),
        cmocka_unit_test_setup(test_confidential, fresh),
        cmocka_unit_test_setup(test_nonce_never_repeats_after_an_erase, fresh),
        cmocka_unit_test_setup(test_write_fails_closed_without_entropy, fresh),
        cmocka_unit_test_setup(test_full, fresh),
        cmocka_unit_test_setup(test_overwrites_and_wear, fresh),
        cmocka_unit_test_setup(test_tamper, fresh),
        cmocka_unit_test_setup(test_record_copy_refused, fresh),
        cmocka_unit_test_setup(test_quota_table, fresh),
        cmocka_unit_test_setup(test_quota_split, fresh),
        cmocka_unit_test_setup(test_module_keys_charged_to_module, fresh),
        cmocka_unit_test_setup(test_remove_owned, fresh),
        cmocka_unit_test_setup(test_quota_index, fresh),
        cmocka_unit_test_setup(test_quota_modules, fresh),
        cmocka_unit_test_setup(test_quota_bytes, fresh),
        cmocka_unit_test_setup(test_quota_over_share, fresh),
        cmocka_unit_test_setup(test_repeated_cuts, fresh),
        cmocka_unit_test_setup(test_repeated_gc_cuts, fresh),
        cmocka_unit_test_setup(test_cut_collection_resumes, fresh),
        cmocka_unit_test_setup(test_restart_keeps_newest, fresh),
        cmocka_unit_test_setup(test_power_cuts, fresh),
    };
    if (only != NULL) {
        cmocka_set_test_filter(only);
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
