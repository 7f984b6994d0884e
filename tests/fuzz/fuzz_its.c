/*
 * fuzz_its.c: the ITS engine (services/its/its_store.c) over the host's RAM flash: mount and
 * every operation over storage contents the input shapes, with power cuts.
 *
 * The engine keeps one store (its state is rebuilt from flash by every mount, and mount is the
 * first call of each input), configured as the partition does: a root key, a quota table,
 * an entropy callback (here a counter, restarted per input so that a run repeats: its values
 * never repeat within an input, which is the contract).
 *
 * Input: [0] the area's sectors (ITS_SECTORS_MIN + [0] % 4), then operations of 8 bytes:
 *   [0] % 8: 0 set, 1 get, 2 get_info, 3 remove, 4 remount, 5 cut the next set, remove or
 *   remount after le16 [2..3] % 512 flash operations (torn if [1] odd), then power back and
 *   remount, 6 tamper: unit le16 [2..3] of the area, [1] even: xor [4] into its byte [5] % 16
 *   (a programmed or erased unit, left programmed), odd: program it with 16 bytes of pattern
 *   [4..7] if erased, 7 the same as 6 (tampering as likely as the rest)
 *   [1] owner: one of three the quota table names and one it does not (% 4), [2] UID (% 4,
 *   one of them 0), [3..4] length (le16 % (max asset + 64)), [5] flags (low 3 bits PSA's, bit 3
 *   an unknown one), [6] content seed / get offset, [7] get capacity.
 * A structured start comes for free: the first operations are sets on an erased area, so
 * the tampering that follows works on a real store's image.
 *
 * Oracles:
 * - every status is one the PSA ITS API allows for that call; DATA_CORRUPT, INVALID_SIGNATURE
 *   and STORAGE_FAILURE only once the input tampered with the flash;
 * - until the input tampers, the model is exact: a mount (after a cut too) succeeds, and
 *   every get and get_info returns exactly the asset last set (a cut set or remove: the old
 *   or the new one, then consistently), a write-once asset is never replaced or removed;
 * - after tampering, a get or get_info that succeeds returns one of the assets this input
 *   set for that owner and UID: same size and flags, the very bytes at that offset (the
 *   fuzzer cannot forge the records' MACs and tags, so nothing else can be authentic);
 *   an (owner, UID) never set in this input never succeeds;
 * - a get writes exactly what it reports, within its capacity;
 * - quotas, until the input tampers: each owner's entries and bytes stay within its
 *   reservation, an owner the table does not name stores nothing, and the total within the
 *   capacity, after every call.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flash_map.h"
#include "fuzz_common.h"
#include "host_flash.h"
#include "its_store.h"
#include "plat_flash.h"
#include "psa/internal_trusted_storage.h"

#define MAX_ASSET    1024u
#define VERSIONS     64
#define OPS_MAX      96
#define UNKNOWN_FLAG (1u << 3)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct its_flash plat = {plat_flash_read, plat_flash_program, plat_flash_erase,
                                      plat_flash_is_blank};
static uint64_t nonce_counter;
static psa_status_t entropy(uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(i < 8 ? nonce_counter >> (8 * i) : 0x5A);
    }
    nonce_counter++;
    return PSA_SUCCESS;
}
static const int32_t owner_ids[4] = {1, -1, 7, 99}; /* 99: not in the table */
/* Owner 1 splits its reservation among clients of its own (the UID's upper half), as the
 * crypto service does. */
static const struct its_quota quota[] = {
    {1, 24, 160, true, 8, 48}, {-1, 8, 48, false, 0, 0}, {7, 8, 32, false, 0, 0}};
static const uint64_t uids[4] = {0, 1, 0x8000000000000000ull, 0xFFFFFFFFFFFFFFFFull};
static const uint8_t root_key[32] = {9, 8, 7, 6, 5, 4, 3, 2, 1};
static struct its_store_config cfg = {.flash = &plat,
                                      .entropy = entropy,
                                      .offset = FLASH_ITS_OFFSET,
                                      .max_asset = MAX_ASSET,
                                      .quota = quota,
                                      .quotas = 3};
#define AREA_MAX ((ITS_SECTORS_MIN + 3u) * FLASH_SECTOR_SIZE)
static uint8_t *erased_data, *erased_prog;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet();
    erased_data = malloc(AREA_MAX);
    erased_prog = calloc(AREA_MAX / FLASH_PROGRAM_UNIT / 8 + 1, 1);
    if (host_flash_open_ram() != PLAT_FLASH_OK ||
        host_flash_save(FLASH_ITS_OFFSET, AREA_MAX, erased_data, erased_prog) != PLAT_FLASH_OK) {
        fuzz_fail("setup");
    }
    return 0;
}

/* ---- the model ------------------------------------------------------------------------- */

struct version {
    uint16_t len;
    uint8_t seed;
    uint8_t flags;
};

/* Every asset set in this input (attempted or done) per (owner, UID), and what is stored. */
static struct {
    struct version v[VERSIONS];
    int n;
    /* Exact mode: the candidates for what is stored (-1: nothing); two after a cut. */
    int cand[2];
    int ncand;
} model[4][4];
static bool tampered;
static uint8_t buf_a[MAX_ASSET + 64], buf_b[MAX_ASSET + 64];

static void content(const struct version *v, uint8_t *out)
{
    uint32_t x = 0x9E3779B9u * (v->seed + 1u) + v->len;
    for (size_t i = 0; i < v->len; i++) {
        x = x * 1664525u + 1013904223u;
        out[i] = (uint8_t)(x >> 24);
    }
}

static bool one_of(psa_status_t s, const psa_status_t *ok, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s == ok[i]) {
            return true;
        }
    }
    return false;
}

static void check_status(const char *call, psa_status_t s, const psa_status_t *ok, size_t n)
{
    static const psa_status_t harm[] = {PSA_ERROR_DATA_CORRUPT, PSA_ERROR_INVALID_SIGNATURE,
                                        PSA_ERROR_STORAGE_FAILURE};
    if (!one_of(s, ok, n) && !(tampered && one_of(s, harm, 3))) {
        fuzz_fail("%s: status %d is not one the ITS API allows here%s", call, (int)s,
                  tampered ? "" : " (untampered store)");
    }
}

/* Quotas bound what clients store. Once the input has programmed flash itself, it can commit
 * a record the store had begun and then refused to finish (a write that failed on a unit the
 * input programmed: any programmed commit unit commits), which no client can do; so from then
 * on only the exact oracles' weaker forms apply. */
static void check_quotas(void)
{
    if (tampered) {
        return;
    }
    for (int o = 0; o < 4; o++) {
        struct its_usage used, share;
        its_store_usage(owner_ids[o], &used, &share);
        if (used.assets > share.assets || used.bytes > share.bytes) {
            fuzz_fail("owner %d over its quota: %u entries of %u, %zu bytes of %zu",
                      (int)owner_ids[o], used.assets, share.assets, used.bytes, share.bytes);
        }
    }
    /* Owner 1's clients (the UIDs' upper halves) within their parts. */
    for (int u = 0; u < 4; u++) {
        struct its_usage used, share;
        its_store_usage_of_client(1, (uint32_t)(uids[u] >> 32), &used, &share);
        if ((uids[u] >> 32) != 0u && (used.assets > share.assets || used.bytes > share.bytes)) {
            fuzz_fail("owner 1's client %08x over its part: %u entries of %u, %zu bytes of %zu",
                      (unsigned)(uids[u] >> 32), used.assets, share.assets, used.bytes,
                      share.bytes);
        }
    }
    if (its_store_used() > its_store_capacity()) {
        fuzz_fail("%zu bytes used of a capacity of %zu", its_store_used(), its_store_capacity());
    }
}

/* What a get_info (got NULL) or get showed: an asset of `size` bytes and `flags`, and for a
 * get the `got_len` bytes at `offset` read with capacity `cap`. Is it version w? */
struct shown {
    size_t size, offset, got_len, cap;
    uint32_t flags;
    const uint8_t *got;
};

static bool fits(const struct version *w, const struct shown *sh)
{
    if (w->len != sh->size || (w->flags & 7u) != sh->flags) {
        return false;
    }
    if (sh->got == NULL) {
        return true;
    }
    if (sh->offset > w->len) {
        return false;
    }
    size_t want = w->len - sh->offset < sh->cap ? w->len - sh->offset : sh->cap;
    content(w, buf_a);
    return want == sh->got_len && memcmp(buf_a + sh->offset, sh->got, sh->got_len) == 0;
}

/* The store showed `sh` (NULL: nothing stored) for (o, u): it must be an asset this input
 * stored there; in exact mode one of the candidates, to which the model narrows. */
static void observe(int o, int u, const struct shown *sh)
{
    bool any = sh == NULL;
    for (int i = 0; i < model[o][u].n && !any; i++) {
        any = fits(&model[o][u].v[i], sh);
    }
    if (!any) {
        fuzz_fail("owner %d UID %d: the store shows an asset (%zu bytes) this input never "
                  "stored there",
                  (int)owner_ids[o], u, sh->size);
    }
    if (tampered) {
        return;
    }
    for (int c = 0; c < model[o][u].ncand; c++) {
        int k = model[o][u].cand[c];
        if (k < 0 ? sh == NULL : sh != NULL && fits(&model[o][u].v[k], sh)) {
            model[o][u].cand[0] = k;
            model[o][u].ncand = 1;
            return;
        }
    }
    fuzz_fail("owner %d UID %d: the store shows %s, which is not what was stored last",
              (int)owner_ids[o], u, sh == NULL ? "nothing" : "an older or other asset");
}

static long cut_at = -1;
static bool cut_torn;

static void do_mount(bool after_cut)
{
    psa_status_t s = its_store_mount(&cfg, root_key);
    static const psa_status_t ok[] = {PSA_SUCCESS};
    check_status(after_cut ? "mount after a cut" : "mount", s, ok, 1);
    check_quotas();
}

/* Runs stmt with the input's pending cut; true if the power went. No cut handler: after the
 * cut every flash call fails, so the call under test returns through its own error paths
 * (and frees what it took: Mbed TLS's contexts allocate on the host). */
#define WITH_CUT(stmt)                                                                             \
    ({                                                                                             \
        host_flash_power_on();                                                                     \
        if (cut_at >= 0) {                                                                         \
            host_flash_cut_after(cut_at, cut_torn);                                                \
        }                                                                                          \
        stmt;                                                                                      \
        bool cut_ = !host_flash_powered();                                                         \
        host_flash_cut_after(-1, false);                                                           \
        host_flash_power_on();                                                                     \
        cut_at = -1;                                                                               \
        cut_;                                                                                      \
    })

struct src {
    const uint8_t *p;
    size_t pos;
};
static psa_status_t from_buf(void *ctx, uint8_t *buf, size_t n)
{
    struct src *s = ctx;
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    return PSA_SUCCESS;
}
struct snk {
    uint8_t *p;
    size_t pos, cap;
};
static psa_status_t to_buf(void *ctx, const uint8_t *buf, size_t n)
{
    struct snk *s = ctx;
    if (s->pos + n > s->cap) {
        fuzz_fail("get: the store wrote %zu bytes past a capacity of %zu", s->pos + n - s->cap,
                  s->cap);
    }
    memcpy(s->p + s->pos, buf, n);
    s->pos += n;
    return PSA_SUCCESS;
}

static void op_set(int o, int u, const uint8_t *p)
{
    struct version v = {(uint16_t)(fuzz_le16(p + 3) % (MAX_ASSET + 64)), p[6], p[5] & 0x0Fu};
    if (model[o][u].n == VERSIONS) {
        return;
    }
    int idx = model[o][u].n++;
    model[o][u].v[idx] = v;
    content(&v, buf_a);
    psa_status_t s = PSA_ERROR_GENERIC_ERROR;
    struct src src = {buf_a, 0};
    bool cut = WITH_CUT(s = its_store_set(owner_ids[o], uids[u], v.len, v.flags, from_buf, &src));
    if (cut) {
        if (!tampered) {
            int old = model[o][u].cand[0];
            if (model[o][u].ncand != 1) {
                tampered = true; /* two cuts in a row on one asset: keep the weak oracle */
            }
            model[o][u].cand[0] = old;
            model[o][u].cand[1] = idx;
            model[o][u].ncand = 2;
        }
        do_mount(true);
        return;
    }
    static const psa_status_t ok[] = {PSA_SUCCESS, PSA_ERROR_NOT_PERMITTED, PSA_ERROR_NOT_SUPPORTED,
                                      PSA_ERROR_INVALID_ARGUMENT, PSA_ERROR_INSUFFICIENT_STORAGE};
    check_status("set", s, ok, 5);
    if (!tampered && model[o][u].ncand == 1 && s == PSA_SUCCESS) {
        int cur = model[o][u].cand[0];
        if (cur >= 0 && (model[o][u].v[cur].flags & PSA_STORAGE_FLAG_WRITE_ONCE)) {
            fuzz_fail("set replaced a write-once asset");
        }
        if (owner_ids[o] == 99 || uids[u] == 0 || (v.flags & UNKNOWN_FLAG) || v.len > MAX_ASSET) {
            fuzz_fail("set of something the store must refuse succeeded");
        }
    }
    if (!tampered && s == PSA_SUCCESS) {
        model[o][u].cand[0] = idx;
        model[o][u].ncand = 1;
    }
    check_quotas();
}

static void op_remove(int o, int u)
{
    psa_status_t s = PSA_ERROR_GENERIC_ERROR;
    bool cut = WITH_CUT(s = its_store_remove(owner_ids[o], uids[u]));
    if (cut) {
        if (!tampered) {
            if (model[o][u].ncand != 1) {
                tampered = true;
            }
            model[o][u].cand[1] = -1;
            model[o][u].ncand = 2;
        }
        do_mount(true);
        return;
    }
    static const psa_status_t ok[] = {PSA_SUCCESS, PSA_ERROR_DOES_NOT_EXIST,
                                      PSA_ERROR_NOT_PERMITTED, PSA_ERROR_INVALID_ARGUMENT};
    check_status("remove", s, ok, 4);
    if (!tampered && model[o][u].ncand == 1) {
        int cur = model[o][u].cand[0];
        if (s == PSA_SUCCESS && (cur < 0 || (model[o][u].v[cur].flags & 1u))) {
            fuzz_fail("remove succeeded on an absent or write-once asset");
        }
        if (s == PSA_ERROR_DOES_NOT_EXIST && cur >= 0) {
            fuzz_fail("remove: a stored asset does not exist");
        }
    }
    if (!tampered && s == PSA_SUCCESS) {
        model[o][u].cand[0] = -1;
        model[o][u].ncand = 1;
    }
    check_quotas();
}

static void op_info(int o, int u)
{
    struct psa_storage_info_t info;
    psa_status_t s = its_store_get_info(owner_ids[o], uids[u], &info);
    static const psa_status_t ok[] = {PSA_SUCCESS, PSA_ERROR_DOES_NOT_EXIST,
                                      PSA_ERROR_INVALID_ARGUMENT};
    check_status("get_info", s, ok, 3);
    if (s == PSA_SUCCESS) {
        const struct shown sh = {info.size, 0, 0, 0, info.flags, NULL};
        observe(o, u, &sh);
    } else if (s == PSA_ERROR_DOES_NOT_EXIST) {
        observe(o, u, NULL);
    }
}

static void op_get(int o, int u, const uint8_t *p)
{
    struct psa_storage_info_t info;
    size_t offset = p[6] * 5u, cap = p[7] * 5u, len = 7777;
    struct snk snk = {buf_b, 0, cap};
    psa_status_t s = its_store_get(owner_ids[o], uids[u], offset, cap, to_buf, &snk, &len);
    static const psa_status_t ok[] = {PSA_SUCCESS, PSA_ERROR_DOES_NOT_EXIST,
                                      PSA_ERROR_INVALID_ARGUMENT};
    check_status("get", s, ok, 3);
    if (s == PSA_ERROR_DOES_NOT_EXIST) {
        observe(o, u, NULL);
    }
    if (s != PSA_SUCCESS) {
        return;
    }
    if (len != snk.pos || len > cap) {
        fuzz_fail("get reports %zu bytes, wrote %zu (capacity %zu)", len, snk.pos, cap);
    }
    if (its_store_get_info(owner_ids[o], uids[u], &info) != PSA_SUCCESS) {
        fuzz_fail("get succeeded, get_info of the same asset did not");
    }
    const struct shown sh = {info.size, offset, len, cap, info.flags, buf_b};
    observe(o, u, &sh);
}

static void tamper(const uint8_t *p)
{
    uint32_t units = cfg.size / FLASH_PROGRAM_UNIT;
    uint32_t at = cfg.offset + (fuzz_le16(p + 2) % units) * FLASH_PROGRAM_UNIT;
    uint8_t unit[16];
    tampered = true;
    if (p[1] & 1u) {
        if (plat_flash_is_programmed(at) == 0) {
            uint32_t x = fuzz_le32(p + 4);
            for (int i = 0; i < 16; i++) {
                x = x * 1103515245u + 12345u;
                unit[i] = (uint8_t)(x >> 16);
            }
            (void)plat_flash_program(at, unit, 16);
        }
        return;
    }
    uint8_t prog = 1;
    if (plat_flash_read(at, unit, 16) != PLAT_FLASH_OK) {
        fuzz_fail("read");
    }
    unit[p[5] % 16] ^= p[4] != 0 ? p[4] : 1u;
    if (host_flash_restore(at, 16, unit, &prog) != PLAT_FLASH_OK) {
        fuzz_fail("tamper");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return -1;
    }
    if (host_flash_restore(FLASH_ITS_OFFSET, AREA_MAX, erased_data, erased_prog) != PLAT_FLASH_OK) {
        fuzz_fail("restore");
    }
    host_flash_power_on();
    nonce_counter = 1;
    tampered = false;
    cut_at = -1;
    memset(model, 0, sizeof(model));
    for (int o = 0; o < 4; o++) {
        for (int u = 0; u < 4; u++) {
            model[o][u].cand[0] = -1;
            model[o][u].ncand = 1;
        }
    }
    cfg.size = (ITS_SECTORS_MIN + data[0] % 4u) * FLASH_SECTOR_SIZE;
    do_mount(false);
    for (size_t p = 1, n = 0; p + 8 <= size && n < OPS_MAX; p += 8, n++) {
        const uint8_t *o = data + p;
        int owner = o[1] % 4, uid = o[2] % 4;
        switch (o[0] % 8) {
        case 0:
            op_set(owner, uid, o);
            break;
        case 1:
            op_get(owner, uid, o);
            break;
        case 2:
            op_info(owner, uid);
            break;
        case 3:
            op_remove(owner, uid);
            break;
        case 4: {
            /* A mount writes too (it finishes an erase, resumes after torn headers): one that
             * the power cut may fail; the next must succeed. */
            psa_status_t s = PSA_ERROR_GENERIC_ERROR;
            if (WITH_CUT(s = its_store_mount(&cfg, root_key))) {
                do_mount(true);
            } else {
                static const psa_status_t ok[] = {PSA_SUCCESS};
                check_status("mount", s, ok, 1);
                check_quotas();
            }
            break;
        }
        case 5:
            cut_at = fuzz_le16(o + 2) % 512u;
            cut_torn = (o[1] & 1u) != 0;
            break;
        default:
            tamper(o);
            break;
        }
    }
    /* Last, everything the model knows is read back. */
    for (int o = 0; o < 4; o++) {
        for (int u = 0; u < 4; u++) {
            op_info(o, u);
        }
    }
    return 0;
}
