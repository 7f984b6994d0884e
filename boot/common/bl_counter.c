/*
 * bl_counter.c: see bl_counter.h. A counter is the largest authentic record for its kind in
 * either sector, so appending a record is atomic and any half-done compaction is still
 * correct.
 */
#include "bl_counter.h"

#include <stdbool.h>
#include <string.h>

#include "bl_crypto.h"
#include "bl_record.h"
#include "bl_status.h"
#include "plat_flash.h"

#define COUNTER_VALUE 0xC1u

struct sector_view {
    uint32_t off;
    uint32_t erased; /* units still free */
    uint32_t valid;  /* authentic counter records */
    uint32_t max[BL_COUNTERS];
};

static void visit(void *ctx, const struct bl_record *r)
{
    struct sector_view *v = ctx;
    if (r->type != COUNTER_VALUE || r->index >= BL_COUNTERS || r->aux != 0) {
        return;
    }
    v->valid++;
    if (r->value > v->max[r->index]) {
        v->max[r->index] = r->value;
    }
}

static int scan_both(const uint8_t key[BL_RECORD_KEY_LEN], struct sector_view v[2],
                     uint32_t max[BL_COUNTERS])
{
    int rc = BL_OK;
    for (int s = 0; s < 2; s++) {
        memset(&v[s], 0, sizeof(v[s]));
        v[s].off = FLASH_COUNTERS_OFFSET + (uint32_t)s * FLASH_SECTOR_SIZE;
        if (rc == BL_OK) {
            rc = bl_record_scan(v[s].off, key, NULL, visit, &v[s], &v[s].erased);
        }
    }
    for (int k = 0; k < BL_COUNTERS; k++) {
        max[k] = v[0].max[k] > v[1].max[k] ? v[0].max[k] : v[1].max[k];
    }
    /* Provisioning wrote a record and no step ever removes the last one: none at all means
     * the area was erased (which would reset every counter) or never provisioned. */
    return rc == BL_OK && v[0].valid + v[1].valid == 0 ? BL_E_COUNTERS : rc;
}

int bl_counter_get(unsigned kind, uint32_t *value)
{
    struct sector_view v[2];
    uint32_t max[BL_COUNTERS];
    uint8_t key[BL_RECORD_KEY_LEN];
    *value = 0;
    if (kind >= BL_COUNTERS) {
        return BL_E_CONFIG;
    }
    int rc = bl_record_key(FLASH_COUNTERS_OFFSET, key);
    if (rc == BL_OK) {
        rc = scan_both(key, v, max);
    }
    bl_zeroize(key, sizeof(key));
    if (rc == BL_OK) {
        *value = max[kind];
    }
    return rc;
}

static int append(const uint8_t *key, uint32_t off, unsigned kind, uint32_t value)
{
    const struct bl_record r = {COUNTER_VALUE, (uint8_t)kind, 0, value};
    return bl_record_append(off, key, &r);
}

static int erase(uint32_t off)
{
    return plat_flash_erase(off, FLASH_SECTOR_SIZE) == PLAT_FLASH_OK ? BL_OK : BL_E_IO;
}

/* Makes `to` hold every current value it lacks, then erases `from`. */
static int move_all(const uint8_t *key, const struct sector_view *to, uint32_t from,
                    const uint32_t max[])
{
    for (int k = 0; k < BL_COUNTERS; k++) {
        if (max[k] > to->max[k]) {
            int rc = append(key, to->off, (unsigned)k, max[k]);
            if (rc != BL_OK) {
                return rc;
            }
        }
    }
    return erase(from);
}

/* Of two full sectors, one whose values the other (with records of its own) already holds can
 * go: the area never loses its last authentic record. */
static int covered_by(const struct sector_view *a, const struct sector_view *b)
{
    for (int k = 0; k < BL_COUNTERS; k++) {
        if (a->max[k] > b->max[k]) {
            return 0;
        }
    }
    return b->valid > 0;
}

static int raise_one(const uint8_t *key, unsigned kind, uint32_t value)
{
    struct sector_view v[2];
    uint32_t max[BL_COUNTERS];
    int rc = scan_both(key, v, max);
    if (rc != BL_OK || value <= max[kind]) {
        return rc;
    }
    max[kind] = value;
    bool full0 = v[0].erased == 0, full1 = v[1].erased == 0;
    if (full0 && full1) {
        /* Only after cut erases or foreign writes: free a sector the other one covers. */
        int drop = covered_by(&v[1], &v[0]) ? 1 : covered_by(&v[0], &v[1]) ? 0 : -1;
        if (drop < 0) {
            return BL_E_JOURNAL;
        }
        rc = erase(v[drop].off);
        if (rc != BL_OK) {
            return rc;
        }
        memset(v[drop].max, 0, sizeof(v[drop].max));
        v[drop].valid = 0;
        v[drop].erased = BL_RECORDS_PER_SECTOR;
        full0 = drop == 0 ? false : full0;
        full1 = drop == 1 ? false : full1;
    }
    /* The target is the sector being filled; the other one, if it still has records, is the
     * remains of a compaction that a power cut interrupted: finish that first. */
    int t = full0 ? 1 : full1 ? 0 : (v[1].erased < v[0].erased ? 1 : 0);
    int o = 1 - t;
    if (v[o].valid > 0) {
        return move_all(key, &v[t], v[o].off, max);
    }
    rc = append(key, v[t].off, kind, value);
    if (rc != BL_E_JOURNAL) {
        return rc;
    }
    /* The target is full: compact into the other sector, then drop the full one. */
    rc = erase(v[o].off);
    if (rc != BL_OK) {
        return rc;
    }
    memset(v[o].max, 0, sizeof(v[o].max));
    return move_all(key, &v[o], v[t].off, max);
}

int bl_counter_raise(unsigned kind, uint32_t value)
{
    uint8_t key[BL_RECORD_KEY_LEN];
    if (kind >= BL_COUNTERS) {
        return BL_E_CONFIG;
    }
    int rc = bl_record_key(FLASH_COUNTERS_OFFSET, key);
    if (rc == BL_OK) {
        rc = raise_one(key, kind, value);
    }
    bl_zeroize(key, sizeof(key));
    return rc;
}

int bl_counter_provision(void)
{
    uint8_t key[BL_RECORD_KEY_LEN];
    int rc = bl_record_key(FLASH_COUNTERS_OFFSET, key);
    for (uint32_t s = 0; rc == BL_OK && s < 2; s++) {
        rc = erase(FLASH_COUNTERS_OFFSET + s * FLASH_SECTOR_SIZE);
    }
    if (rc == BL_OK) {
        rc = append(key, FLASH_COUNTERS_OFFSET, BL_COUNTER_BOOTS, 0);
    }
    bl_zeroize(key, sizeof(key));
    return rc;
}
