/*
 * its_owners.c: the binding of module ids to their signers (its_owners.h).
 */
#include "its_owners.h"

#include <string.h>

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

int its_owners_parse(const uint8_t *buf, size_t len, uint32_t slots, struct its_owner *out)
{
    if (len < 8u || get32(buf) != ITS_OWNERS_MAGIC) {
        return -1;
    }
    const uint32_t n = get32(buf + 4);
    if (n > ITS_OWNERS_MAX || len != ITS_OWNERS_SIZE(n)) {
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = buf + ITS_OWNERS_SIZE(i);
        const int32_t id = (int32_t)get32(e);
        const uint32_t slot = get32(e + 4);
        if (id <= 0 || slot >= slots) {
            return -1;
        }
        for (uint32_t j = 0; j < i; j++) {
            if (out[j].id == id) {
                return -1;
            }
        }
        out[i].id = id;
        out[i].slot = slot;
        memcpy(out[i].signer, e + 8, ITS_SIGNER_BYTES);
    }
    return (int)n;
}

size_t its_owners_encode(const struct its_owner *t, uint32_t n, uint8_t *buf)
{
    put32(buf, ITS_OWNERS_MAGIC);
    put32(buf + 4, n);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *e = buf + ITS_OWNERS_SIZE(i);
        put32(e, (uint32_t)t[i].id);
        put32(e + 4, t[i].slot);
        memcpy(e + 8, t[i].signer, ITS_SIGNER_BYTES);
    }
    return ITS_OWNERS_SIZE(n);
}

static void add_erase(int32_t id, int32_t *erase, uint32_t *n_erase)
{
    for (uint32_t i = 0; i < *n_erase; i++) {
        if (erase[i] == id) {
            return;
        }
    }
    erase[(*n_erase)++] = id;
}

/* t[victim] out of the n entries of t, the later ones moved down one in their order. A loop
 * rather than the C library's memmove, which nothing else in the product SM calls (254 bytes;
 * footprint.md); the attribute keeps GCC from making the loop a memmove call again. */
#if defined(__GNUC__) && !defined(__clang__)
#define ITS_LOOP_KEPT __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define ITS_LOOP_KEPT /* clang (the fuzzing build): no such attribute, size no matter */
#endif
ITS_LOOP_KEPT static void drop_entry(struct its_owner *t, uint32_t victim, uint32_t n)
{
    for (uint32_t i = victim; i + 1u < n; i++) {
        t[i] = t[i + 1u];
    }
}

/* The loaded module carrying id, or -1. */
static int loaded_with(const struct its_loaded *now, uint32_t slots, int32_t id)
{
    for (uint32_t s = 0; s < slots; s++) {
        if (now[s].present && now[s].id == id) {
            return (int)s;
        }
    }
    return -1;
}

uint32_t its_owners_next(const struct its_owner *prev, uint32_t n_prev,
                         const struct its_loaded *now, uint32_t slots, struct its_owner *next,
                         int32_t *erase, uint32_t *n_erase, bool *changed)
{
    uint32_t n = 0;
    bool bound[ITS_QUOTA_MODULES] = {false}; /* slot s's module already has its entry */
    *n_erase = 0;
    *changed = false;
    if (slots > ITS_QUOTA_MODULES) {
        slots = ITS_QUOTA_MODULES;
    }
    for (uint32_t i = 0; i < n_prev; i++) {
        const struct its_owner *e = &prev[i];
        const int s = loaded_with(now, slots, e->id);
        if (s >= 0) {
            if (memcmp(now[s].signer, e->signer, ITS_SIGNER_BYTES) != 0) {
                add_erase(e->id, erase, n_erase); /* another owner carries the id now */
                continue;
            }
            *changed |= e->slot != (uint32_t)s;
            next[n] = *e;
            next[n++].slot = (uint32_t)s;
            bound[s] = true;
            continue;
        }
        if (e->slot < slots && now[e->slot].present && !now[e->slot].trial) {
            add_erase(e->id, erase, n_erase); /* replaced in its slot, for good */
            continue;
        }
        next[n++] = *e;
    }
    for (uint32_t s = 0; s < slots; s++) {
        if (!now[s].present || bound[s]) {
            continue;
        }
        if (n == ITS_OWNERS_MAX) {
            /* The oldest entry of a module not loaded makes room: there is one, since at most
             * `slots` entries are of loaded modules and ITS_OWNERS_MAX is twice that. */
            uint32_t victim = 0;
            while (loaded_with(now, slots, next[victim].id) >= 0) {
                victim++;
            }
            add_erase(next[victim].id, erase, n_erase);
            drop_entry(next, victim, n);
            n--;
        }
        next[n].id = now[s].id;
        next[n].slot = s;
        memcpy(next[n].signer, now[s].signer, ITS_SIGNER_BYTES);
        n++;
        *changed = true;
    }
    *changed |= *n_erase != 0u;
    return n;
}
