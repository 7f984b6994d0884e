/*
 * sm_module_load.c: the secure module loader (see sm_module_load.h).
 *
 * Three passes, so that a module refused late never made another one refused: each slot is
 * parsed and relocated into its own window (nothing shared is touched); the survivors are
 * checked for collisions in slot order, against the built-in tables and the modules accepted
 * before them; the accepted ones are registered by priority. Dependencies are resolved last,
 * when every module's services are known.
 */
#include "sm_module_load.h"

#include <string.h>

#include "psa_manifest/pid.h"
#include "sm_arch.h"
#include "sm_kernel.h"
#include "sm_module_desc.h"

#define MPU_GRANULE 32u

struct candidate {
    const struct sm_module_source *src;
    struct sm_module_info info;
    bool ok;
};

/* A module's partition name points into its own (the candidates live on the stack while
 * loading: nothing else of them is kept). */
static char names[SM_MODULE_SLOTS_MAX][SM_MODULE_NAME_MAX + 1];

static void refuse(struct candidate *c, const char *why, uint32_t value)
{
    sm_arch_log("SM: module slot %u: refused: %s (0x%08x)\n", (unsigned)c->src->slot, why,
                (unsigned)value);
    memset(c->src->ram, 0, c->src->ram_window); /* nothing of it stays behind */
    c->ok = false;
}

static uint32_t round_up(uint32_t v)
{
    return (v + (MPU_GRANULE - 1u)) & ~(MPU_GRANULE - 1u);
}

/* Pass 1: the descriptor, and the module's RAM made from it. */
static void prepare(struct candidate *c)
{
    const struct sm_module_source *s = c->src;
    enum sm_module_status st = sm_module_parse(s->payload, s->payload_len, s->ram_window, &c->info);
    if (st != SM_MODULE_OK) {
        sm_arch_log("SM: module slot %u: refused: %s\n", (unsigned)s->slot, sm_module_strerror(st));
        return;
    }
    const struct sm_module_info *m = &c->info;
    /* The MPU region of the code ends on a 32-byte boundary: the bytes up to it must still be
     * the signed payload's, never what follows it in the slot. */
    const uint64_t code_top = (uint64_t)s->payload_addr + m->code_end;
    if (code_top + (MPU_GRANULE - 1u) > UINT32_MAX ||
        round_up((uint32_t)code_top) - s->payload_addr > s->payload_len) {
        sm_arch_log("SM: module slot %u: refused: %s\n", (unsigned)s->slot,
                    SM_WHY("L5", "its code does not end inside its payload on the MPU's 32-byte "
                                 "granule"));
        return;
    }
    if ((s->ram_addr & (MPU_GRANULE - 1u)) != 0u || round_up(m->ram_size) > s->ram_window) {
        sm_arch_log("SM: module slot %u: refused: %s\n", (unsigned)s->slot,
                    sm_module_strerror(SM_MODULE_E_RAM));
        return;
    }
    memset(s->ram, 0, s->ram_window);
    memcpy(s->ram, s->payload + m->data_image, m->data_size);
    st = sm_module_relocate(m, s->payload, s->ram, s->payload_addr, s->ram_addr);
    if (st != SM_MODULE_OK) {
        memset(s->ram, 0, s->ram_window);
        sm_arch_log("SM: module slot %u: refused: %s\n", (unsigned)s->slot, sm_module_strerror(st));
        return;
    }
    c->ok = true;
}

/* Whether two NUL-terminated names are the same. Names are public and short (a module's at most
 * SM_MODULE_NAME_MAX): this loop in place of the C library's strcmp, whose word-at-a-time
 * version is 442 bytes of the image for these two calls (docs/design/footprint.md). */
static bool same_name(const char *a, const char *b)
{
    while (*a == *b) {
        if (*a == '\0') {
            return true;
        }
        a++;
        b++;
    }
    return false;
}

static bool id_taken(int32_t id, const char *name, const struct candidate *cand,
                     const struct candidate *upto)
{
    /* Any partition of the build, in this image or not: the services' tables are the build's
     * (a partition compiles once for every image), so a module carrying the id of one this
     * image lacks would be taken for it (its update policy, its crypto and ITS shares). */
    static const int32_t build_ids[SM_BUILD_PARTITION_COUNT] = SM_BUILD_PARTITION_IDS;
    for (uint32_t i = 0; i < SM_BUILD_PARTITION_COUNT; i++) {
        if (build_ids[i] == id) {
            return true;
        }
    }
    for (uint32_t i = 0; i < sm_partition_count; i++) {
        if (sm_partitions[i].id == id || same_name(sm_partitions[i].name, name)) {
            return true;
        }
    }
    for (const struct candidate *o = cand; o < upto; o++) {
        if (o->ok && (o->info.id == id || same_name(o->info.name, name))) {
            return true;
        }
    }
    return false;
}

static bool sid_taken(uint32_t sid, const struct candidate *cand, const struct candidate *upto)
{
    for (uint32_t i = 0; i < sm_builtin_service_count; i++) {
        if (sm_builtin_services[i].sid == sid) {
            return true;
        }
    }
    for (const struct candidate *o = cand; o < upto; o++) {
        for (uint32_t j = 0; o->ok && j < o->info.n_services; j++) {
            if (o->info.services[j].sid == sid) {
                return true;
            }
        }
    }
    return false;
}

static bool stateless(const struct sm_module_service *s)
{
    return (s->flags & SM_MODULE_SVC_CONNECTION) == 0u;
}

static bool handle_taken(uint8_t h, const struct candidate *cand, const struct candidate *upto)
{
    if (sm_builtin_stateless_map[h] != 0u) {
        return true;
    }
    for (const struct candidate *o = cand; o < upto; o++) {
        for (uint32_t j = 0; o->ok && j < o->info.n_services; j++) {
            if (stateless(&o->info.services[j]) && o->info.services[j].stateless_handle == h) {
                return true;
            }
        }
    }
    return false;
}

/* Pass 2: collisions with what is already there, in slot order. */
static void check(struct candidate *cand, struct candidate *c, uint32_t *services)
{
    const struct sm_module_info *m = &c->info;
    if (id_taken(m->id, m->name, cand, c)) {
        refuse(c, SM_WHY("L1", "its partition id or name is another partition's"), (uint32_t)m->id);
        return;
    }
    for (uint32_t j = 0; j < m->n_services; j++) {
        const struct sm_module_service *s = &m->services[j];
        if (sid_taken(s->sid, cand, c)) {
            refuse(c, SM_WHY("L2", "one of its SIDs is another service's"), s->sid);
            return;
        }
        if (stateless(s) && handle_taken(s->stateless_handle, cand, c)) {
            refuse(c, SM_WHY("L3", "one of its stateless handles is another service's"),
                   s->stateless_handle);
            return;
        }
    }
    if (*services + m->n_services > sm_service_capacity) {
        refuse(c, SM_WHY("L4", "no room left for its services in the SM's table"), m->n_services);
        return;
    }
    *services += m->n_services;
}

/* Pass 3: module c becomes the next module partition. */
static void add(struct candidate *c)
{
    const struct sm_module_source *s = c->src;
    const struct sm_module_info *m = &c->info;
    const uint32_t k = sm_module_count;
    const uint32_t thread = sm_partition_count + k;
    struct sm_partition *p = &sm_module_partitions[k];
    struct sm_service svc[SM_MODULE_SERVICES_MAX];
    uint8_t handles[SM_MODULE_SERVICES_MAX];
    memcpy(names[k], m->name, sizeof(names[k]));
    memset(p, 0, sizeof(*p));
    p->name = names[k];
    p->id = m->id;
    p->entry = (void (*)(void))(uintptr_t)(s->payload_addr + m->entry);
    p->stack = s->ram + (m->ram_size - m->stack_size);
    p->stack_size = m->stack_size;
    p->first_service = (uint8_t)sm_service_count;
    p->service_count = m->n_services;
    p->flash_area = SM_FLASH_AREA_NONE;
    sm_module_slot[k] = (uint8_t)s->slot;
    for (uint32_t j = 0; j < m->n_services; j++) {
        const struct sm_module_service *d = &m->services[j];
        svc[j] = (struct sm_service){
            .sid = d->sid,
            .version = d->version,
            .signal = 1u << (4u + j),
            .partition = (uint8_t)thread,
            .policy = d->policy,
            .stateless = stateless(d),
            .ns_clients = (d->flags & SM_MODULE_SVC_NS) != 0u,
        };
        handles[j] = stateless(d) ? d->stateless_handle : SM_NO_STATELESS;
        p->service_signals |= svc[j].signal;
    }
    /* The code region starts at the payload's 32-byte granule: the MCUboot header bytes
     * below the payload in it are signed and hold no secret. */
    sm_arch_module_memory(k, s->payload_addr & ~(MPU_GRANULE - 1u),
                          round_up(s->payload_addr + m->code_end), s->ram_addr,
                          s->ram_addr + round_up(m->ram_size));
    (void)sm_kernel_add_module(svc, m->n_services, handles);
    sm_arch_log("SM: module slot %u: %s (partition id %d), %u service(s), loaded\n",
                (unsigned)s->slot, m->name, (int)m->id, (unsigned)m->n_services);
}

/* A module may use the services its descriptor names, wherever they are offered. */
static uint32_t allowed(const struct sm_module_info *m)
{
    uint32_t set = 0;
    for (uint32_t d = 0; d < m->n_deps; d++) {
        for (uint32_t i = 0; i < sm_service_count; i++) {
            if (sm_services[i].sid == m->deps[d]) {
                set |= 1u << i;
            }
        }
    }
    return set;
}

uint32_t sm_module_load(const struct sm_module_source *slots, uint32_t n)
{
    if (n > SM_MODULE_SLOTS_MAX) {
        n = SM_MODULE_SLOTS_MAX;
    }
    struct candidate cand[SM_MODULE_SLOTS_MAX];
    memset(cand, 0, sizeof(cand));
    for (uint32_t i = 0; i < n; i++) {
        cand[i].src = &slots[i];
        prepare(&cand[i]);
    }
    uint32_t services = sm_service_count;
    for (uint32_t i = 0; i < n; i++) {
        if (cand[i].ok) {
            check(cand, &cand[i], &services);
        }
    }
    const uint32_t first = sm_module_count;
    for (uint8_t prio = 0; prio <= 2u; prio++) {
        for (uint32_t i = 0; i < n; i++) {
            if (cand[i].ok && cand[i].info.priority == prio) {
                add(&cand[i]);
            }
        }
    }
    /* Modules in the order add() placed them: by priority, then slot. */
    uint32_t k = first;
    for (uint8_t prio = 0; prio <= 2u; prio++) {
        for (uint32_t i = 0; i < n; i++) {
            if (cand[i].ok && cand[i].info.priority == prio) {
                sm_module_partitions[k++].allowed_services = allowed(&cand[i].info);
            }
        }
    }
    return sm_module_count - first;
}
