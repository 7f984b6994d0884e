/*
 * fuzz_its_owners.c: the modules' binding table (services/its/its_owners.c) over hostile
 * bytes: the stored form as ITS would read it back, and the step from it to this boot's table
 * for any set of loaded modules.
 *
 * Input: [0] slots in use (mod ITS_QUOTA_MODULES + 1); then per slot 3 bytes: [flags: bit 0
 *        present, bit 1 trial] [id low] [signer byte] (ids 0x4000 + low: collisions likely);
 *        then the stored table's bytes (any length).
 * Oracles:
 * - parse accepts exactly a table of the literal layout (checked here field by field), and
 *   encode(parse(x)) is x;
 * - next, from an accepted table: at most ITS_OWNERS_MAX entries, distinct ids, each loaded
 *   module has an entry with its slot and signer; no erased id is a loaded module's of the
 *   entry's signer; an entry of the old table is in the new one or erased (nothing is dropped
 *   without its assets going); an entry whose id another signer's module carries is erased;
 *   the step in place (next = prev) gives the same; `changed` exactly when the stored form
 *   of the new table differs from the old.
 */
#include <string.h>

#include "fuzz_common.h"
#include "its_owners.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The layout, read from the bytes here. */
static bool literal_ok(const uint8_t *b, size_t len, uint32_t slots)
{
    if (len < 8 || get32(b) != ITS_OWNERS_MAGIC || get32(b + 4) > ITS_OWNERS_MAX ||
        len != 8u + 24u * get32(b + 4)) {
        return false;
    }
    for (uint32_t i = 0; i < get32(b + 4); i++) {
        const int32_t id = (int32_t)get32(b + 8 + 24 * i);
        if (id <= 0 || get32(b + 12 + 24 * i) >= slots) {
            return false;
        }
        for (uint32_t j = 0; j < i; j++) {
            if ((int32_t)get32(b + 8 + 24 * j) == id) {
                return false;
            }
        }
    }
    return true;
}

static bool erased(const int32_t *erase, uint32_t n, int32_t id)
{
    for (uint32_t i = 0; i < n; i++) {
        if (erase[i] == id) {
            return true;
        }
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    const uint32_t slots = data[0] % (ITS_QUOTA_MODULES + 1u);
    size_t at = 1;
    struct its_loaded now[ITS_QUOTA_MODULES];
    memset(now, 0, sizeof(now));
    for (uint32_t s = 0; s < slots && at + 3 <= size; s++, at += 3) {
        now[s].present = (data[at] & 1u) != 0u;
        now[s].trial = (data[at] & 2u) != 0u;
        now[s].id = 0x4000 + data[at + 1];
        memset(now[s].signer, data[at + 2], sizeof(now[s].signer));
        for (uint32_t t = 0; t < s; t++) { /* the loader never loads one id twice */
            if (now[t].present && now[t].id == now[s].id) {
                now[s].present = false;
            }
        }
    }
    const uint8_t *table = data + at;
    const size_t len = size - at;
    struct its_owner prev[ITS_OWNERS_MAX], next[ITS_OWNERS_MAX], again[ITS_OWNERS_MAX];
    const int n = its_owners_parse(table, len, slots, prev);
    if ((n >= 0) != literal_ok(table, len, slots)) {
        __builtin_trap();
    }
    if (n < 0) {
        return 0;
    }
    uint8_t enc[ITS_OWNERS_BYTES];
    if (its_owners_encode(prev, (uint32_t)n, enc) != len || memcmp(enc, table, len) != 0) {
        __builtin_trap();
    }
    int32_t erase[ITS_OWNERS_MAX + ITS_QUOTA_MODULES], erase2[ITS_OWNERS_MAX + ITS_QUOTA_MODULES];
    uint32_t n_erase = 0, n_erase2 = 0;
    bool changed = false, changed2 = false;
    const uint32_t m =
        its_owners_next(prev, (uint32_t)n, now, slots, next, erase, &n_erase, &changed);
    memcpy(again, prev, sizeof(prev));
    const uint32_t m2 =
        its_owners_next(again, (uint32_t)n, now, slots, again, erase2, &n_erase2, &changed2);
    uint8_t enc2[ITS_OWNERS_BYTES];
    const size_t len2 = its_owners_encode(next, m, enc2);
    if (changed != (len2 != len || memcmp(enc2, table, len) != 0)) {
        __builtin_trap(); /* an unchanged table reported changed (a write), or the reverse */
    }
    if (m > ITS_OWNERS_MAX || m != m2 || n_erase != n_erase2 || changed != changed2 ||
        memcmp(next, again, m * sizeof(next[0])) != 0 ||
        memcmp(erase, erase2, n_erase * sizeof(erase[0])) != 0) {
        __builtin_trap();
    }
    for (uint32_t i = 0; i < m; i++) {
        for (uint32_t j = 0; j < i; j++) {
            if (next[i].id == next[j].id) {
                __builtin_trap();
            }
        }
    }
    for (uint32_t s = 0; s < slots; s++) {
        if (!now[s].present) {
            continue;
        }
        bool found = false;
        for (uint32_t i = 0; i < m; i++) {
            if (next[i].id == now[s].id) {
                found = next[i].slot == s &&
                        memcmp(next[i].signer, now[s].signer, ITS_SIGNER_BYTES) == 0;
            }
        }
        if (!found) {
            __builtin_trap();
        }
    }
    for (int i = 0; i < n; i++) {
        bool kept = false;
        for (uint32_t j = 0; j < m; j++) {
            kept |= next[j].id == prev[i].id &&
                    memcmp(next[j].signer, prev[i].signer, ITS_SIGNER_BYTES) == 0;
        }
        const bool gone = erased(erase, n_erase, prev[i].id);
        if (kept == gone) {
            __builtin_trap(); /* dropped without its assets going, or erased and kept */
        }
        for (uint32_t s = 0; s < slots; s++) {
            if (now[s].present && now[s].id == prev[i].id &&
                memcmp(now[s].signer, prev[i].signer, ITS_SIGNER_BYTES) != 0 && !gone) {
                __builtin_trap(); /* another signer's module would get these assets */
            }
        }
    }
    return 0;
}
