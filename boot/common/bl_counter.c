/*
 * bl_counter.c: see bl_counter.h. A counter is the largest valid record for its kind in either
 * sector, so appending a record is atomic and any half-done compaction is still correct.
 */
#include "bl_counter.h"

#include <stdbool.h>
#include <string.h>

#include "bl_record.h"
#include "bl_status.h"
#include "plat_flash.h"

#define COUNTER_MAGIC 0xC7u
#define COUNTER_VALUE 1u

struct sector_view {
    uint32_t off;
    uint32_t used;
    uint32_t max[BL_COUNTERS];
};

static int scan(uint32_t off, struct sector_view *v)
{
    memset(v, 0, sizeof(*v));
    v->off = off;
    int rc = bl_record_used(off, &v->used);
    for (uint32_t i = 0; rc == BL_OK && i < v->used; i++) {
        struct bl_record r;
        int got = bl_record_read(off, i, COUNTER_MAGIC, &r);
        if (got < -1) {
            return got;
        }
        if (got == 1 && r.type == COUNTER_VALUE && r.kind < BL_COUNTERS && r.b == ~r.a &&
            r.a > v->max[r.kind]) {
            v->max[r.kind] = r.a;
        }
    }
    return rc;
}

static int scan_both(struct sector_view v[2], uint32_t max[BL_COUNTERS])
{
    int rc = scan(FLASH_COUNTERS_OFFSET, &v[0]);
    if (rc == BL_OK) {
        rc = scan(FLASH_COUNTERS_OFFSET + FLASH_SECTOR_SIZE, &v[1]);
    }
    for (int k = 0; k < BL_COUNTERS; k++) {
        max[k] = v[0].max[k] > v[1].max[k] ? v[0].max[k] : v[1].max[k];
    }
    return rc;
}

int bl_counter_get(unsigned kind, uint32_t *value)
{
    struct sector_view v[2];
    uint32_t max[BL_COUNTERS];
    if (kind >= BL_COUNTERS) {
        return BL_E_CONFIG;
    }
    int rc = scan_both(v, max);
    *value = max[kind];
    return rc;
}

static int append(uint32_t off, unsigned kind, uint32_t value)
{
    struct bl_record r = {COUNTER_MAGIC, COUNTER_VALUE, (uint8_t)kind, 0, value, ~value};
    return bl_record_append(off, &r);
}

static int erase(uint32_t off)
{
    return plat_flash_erase(off, FLASH_SECTOR_SIZE) == PLAT_FLASH_OK ? BL_OK : BL_E_IO;
}

/* Makes `to` hold every current value it lacks, then erases `from`. */
static int move_all(const struct sector_view *to, uint32_t from, const uint32_t max[])
{
    for (int k = 0; k < BL_COUNTERS; k++) {
        if (max[k] > to->max[k]) {
            int rc = append(to->off, (unsigned)k, max[k]);
            if (rc != BL_OK) {
                return rc;
            }
        }
    }
    return erase(from);
}

/* Of two full sectors, one whose values the other already holds can go. */
static int covered_by(const struct sector_view *a, const struct sector_view *b)
{
    for (int k = 0; k < BL_COUNTERS; k++) {
        if (a->max[k] > b->max[k]) {
            return 0;
        }
    }
    return 1;
}

int bl_counter_raise(unsigned kind, uint32_t value)
{
    struct sector_view v[2];
    uint32_t max[BL_COUNTERS];
    if (kind >= BL_COUNTERS) {
        return BL_E_CONFIG;
    }
    int rc = scan_both(v, max);
    if (rc != BL_OK || value <= max[kind]) {
        return rc;
    }
    max[kind] = value;
    bool full0 = v[0].used == BL_RECORDS_PER_SECTOR, full1 = v[1].used == BL_RECORDS_PER_SECTOR;
    if (full0 && full1) {
        /* Only after cut erases: free a sector the other one covers. */
        int drop = covered_by(&v[1], &v[0]) ? 1 : covered_by(&v[0], &v[1]) ? 0 : -1;
        if (drop < 0) {
            return BL_E_JOURNAL;
        }
        rc = erase(v[drop].off);
        if (rc != BL_OK) {
            return rc;
        }
        v[drop].used = 0;
        memset(v[drop].max, 0, sizeof(v[drop].max));
        full0 = drop == 0 ? false : full0;
        full1 = drop == 1 ? false : full1;
    }
    /* The target is the sector being filled; the other one, if it still has records, is the
     * remains of a compaction that a power cut interrupted: finish that first. */
    int t = full0 ? 1 : full1 ? 0 : (v[1].used > v[0].used ? 1 : 0);
    int o = 1 - t;
    if (v[o].used > 0) {
        return move_all(&v[t], v[o].off, max);
    }
    rc = append(v[t].off, kind, value);
    if (rc != BL_E_JOURNAL) {
        return rc;
    }
    /* The target is full: compact into the other sector, then drop the full one. */
    rc = erase(v[o].off);
    if (rc != BL_OK) {
        return rc;
    }
    memset(v[o].max, 0, sizeof(v[o].max));
    return move_all(&v[o], v[t].off, max);
}
