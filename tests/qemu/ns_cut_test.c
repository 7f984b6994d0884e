/*
 * ns_cut_test.c: the NS application of the power-cut test on the board (power_cut_test.sh,
 * CTest qemu.power_cut), against the test SM image. Every boot does the same three things and
 * then powers off with status 0 (1 if anything failed):
 *
 *   check  reads every asset of the set below and the persistent key, and prints what it
 *          holds: "cut_test: have U G" (asset U holds the value written in boot G), "have U
 *          none" (absent) or "have U BAD ..." (an error, or contents that are neither);
 *   write  changes each of them, printing "cut_test: begin OP" before and "cut_test: done OP"
 *          once the call returned PSA_SUCCESS, so that the script knows, for a boot cut short,
 *          what was committed (done), what may be either way (begun, not done), and what was
 *          never touched;
 *   check  again: what this boot wrote reads back.
 * It ends with "cut_test: boot B done" (or "FAILED").
 *
 * The set, in the order a boot writes it (each value with the boot count as its generation, so
 * that every boot writes values no earlier boot wrote):
 *   UID 1  16 B    overwritten
 *   UID 5  16 B    removed, then created again
 *   UID 4  256 B   created if absent, removed if present (a remove, then a create a boot later)
 *   key    a persistent HMAC key (id KEY_ID): destroyed if present, then imported again
 *   UID 2  256 B   overwritten
 *   UID 3  4 KiB   overwritten (the largest asset of the default configuration)
 *   UID 6  1 KiB   created if absent, never changed: static data, which the ITS area's garbage
 *                  collector copies whenever it collects the sector holding it
 * An asset's contents say which boot wrote them (a header, then a stream from the UID and the
 * generation), so a check tells a whole value from anything else. Nothing depends on time:
 * the flash operations of a boot depend only on what the flash holds, so a cut replays.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "psa/crypto.h"
#include "psa/internal_trusted_storage.h"
#include "smak.h"

#define KEY_ID   0x200u
#define KEY_SIZE 32u
#define MAX_SIZE 4096u

static const struct {
    psa_storage_uid_t uid;
    const char *name;
    uint32_t size;
} assets[] = {{1, "1", 16},  {2, "2", 256}, {3, "3", MAX_SIZE},
              {4, "4", 256}, {5, "5", 16},  {6, "6", 1024}};
#define ASSETS (sizeof(assets) / sizeof(assets[0]))

static uint8_t want[MAX_SIZE], got[MAX_SIZE];
static unsigned failed;

/* The value of asset `uid` (or the key, uid 0) as written in boot `gen`: a 16-byte header
 * (gen, uid, size, ~gen), then a xorshift stream seeded by both. */
static void value(uint8_t *p, uint32_t uid, uint32_t gen, uint32_t size)
{
    uint32_t head[4] = {gen, uid, size, ~gen};
    uint32_t x = (gen * 0x9E3779B9u) ^ (uid * 0x85EBCA6Bu) ^ 0x5A5A5A5Au;
    memcpy(p, head, sizeof(head));
    for (uint32_t i = sizeof(head); i < size; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
}

/* The generation a read-back value was written in, or 0 if it is no value of ours. */
static uint32_t generation(const uint8_t *p, uint32_t uid, uint32_t size)
{
    uint32_t gen;
    memcpy(&gen, p, sizeof(gen));
    if (gen == 0u) {
        return 0;
    }
    value(want, uid, gen, size);
    return memcmp(want, p, size) == 0 ? gen : 0u;
}

static void check_asset(psa_storage_uid_t uid, uint32_t size)
{
    struct psa_storage_info_t info;
    size_t len = 0;
    psa_status_t st = psa_its_get_info(uid, &info);
    if (st == PSA_ERROR_DOES_NOT_EXIST) {
        smak_printf("cut_test: have %u none\n", (unsigned)uid);
        return;
    }
    memset(got, 0, sizeof(got));
    if (st == PSA_SUCCESS) {
        st = psa_its_get(uid, 0, sizeof(got), got, &len);
    }
    uint32_t gen = 0;
    if (st == PSA_SUCCESS && info.size == size && len == size) {
        gen = generation(got, (uint32_t)uid, size);
    }
    if (gen == 0u) {
        failed++;
        smak_printf("cut_test: have %u BAD status %d size %u length %u\n", (unsigned)uid, (int)st,
                    st == PSA_SUCCESS ? (unsigned)info.size : 0u, (unsigned)len);
        return;
    }
    smak_printf("cut_test: have %u %u\n", (unsigned)uid, (unsigned)gen);
}

static void check_key(void)
{
    size_t len = 0;
    psa_status_t st = psa_export_key(KEY_ID, got, sizeof(got), &len);
    if (st == PSA_ERROR_INVALID_HANDLE) {
        smak_printf("cut_test: have key none\n");
        return;
    }
    uint32_t gen = st == PSA_SUCCESS && len == KEY_SIZE ? generation(got, 0, KEY_SIZE) : 0u;
    if (gen == 0u) {
        failed++;
        smak_printf("cut_test: have key BAD status %d length %u\n", (int)st, (unsigned)len);
        return;
    }
    smak_printf("cut_test: have key %u\n", (unsigned)gen);
}

static void check_all(void)
{
    for (unsigned i = 0; i < ASSETS; i++) {
        check_asset(assets[i].uid, assets[i].size);
    }
    check_key();
}

/* "begin OP WHAT GEN" before a change, "done OP WHAT GEN" once it returned PSA_SUCCESS (the
 * change is committed then): WHAT is a UID or "key", GEN the value's generation (0: none). */
static void begin(const char *op, const char *what, unsigned gen)
{
    smak_printf("cut_test: begin %s %s %u\n", op, what, gen);
}

static void outcome(psa_status_t st, const char *op, const char *what, unsigned gen)
{
    if (st == PSA_SUCCESS) {
        smak_printf("cut_test: done %s %s %u\n", op, what, gen);
    } else {
        failed++;
        smak_printf("FAIL: %s %s %u: status %d\n", op, what, gen, (int)st);
    }
}

static void set(unsigned i, uint32_t gen)
{
    value(got, (uint32_t)assets[i].uid, gen, assets[i].size);
    begin("set", assets[i].name, (unsigned)gen);
    outcome(psa_its_set(assets[i].uid, assets[i].size, got, 0), "set", assets[i].name,
            (unsigned)gen);
}

static void remove_asset(unsigned i)
{
    begin("remove", assets[i].name, 0);
    outcome(psa_its_remove(assets[i].uid), "remove", assets[i].name, 0);
}

static void key_cycle(uint32_t gen)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t id = PSA_KEY_ID_NULL;
    if (psa_get_key_attributes(KEY_ID, &a) == PSA_SUCCESS) {
        begin("destroy", "key", 0);
        outcome(psa_destroy_key(KEY_ID), "destroy", "key", 0);
    }
    psa_reset_key_attributes(&a);
    psa_set_key_type(&a, PSA_KEY_TYPE_HMAC);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_MESSAGE);
    psa_set_key_algorithm(&a, PSA_ALG_HMAC(PSA_ALG_SHA_256));
    psa_set_key_lifetime(&a, PSA_KEY_LIFETIME_PERSISTENT);
    psa_set_key_id(&a, KEY_ID);
    value(got, 0, gen, KEY_SIZE);
    begin("import", "key", (unsigned)gen);
    psa_status_t st = psa_import_key(&a, got, KEY_SIZE, &id);
    outcome(st == PSA_SUCCESS && id != KEY_ID ? PSA_ERROR_GENERIC_ERROR : st, "import", "key",
            (unsigned)gen);
}

static bool present(unsigned i)
{
    struct psa_storage_info_t info;
    return psa_its_get_info(assets[i].uid, &info) == PSA_SUCCESS;
}

int main(void)
{
    uint32_t boot = smak_boot_count();
    smak_printf("cut_test: boot %u\n", (unsigned)boot);
    if (psa_crypto_init() != PSA_SUCCESS) {
        smak_printf("FAIL: psa_crypto_init\n");
        return 1;
    }
    check_all();
    /* The small changes first, so that the first few dozen flash operations of a boot (the
     * ones a dense sweep cuts) hold one of each kind; the 4 KiB asset last. */
    set(0, boot);
    if (present(4)) {
        remove_asset(4);
    }
    set(4, boot);
    if (present(3)) {
        remove_asset(3);
    } else {
        set(3, boot);
    }
    key_cycle(boot);
    set(1, boot);
    set(2, boot);
    if (!present(5)) {
        set(5, boot);
    }
    /* What this boot wrote reads back before the next boot relies on it. */
    check_all();
    smak_printf("cut_test: boot %u %s\n", (unsigned)boot, failed ? "FAILED" : "done");
    return failed ? 1 : 0;
}
