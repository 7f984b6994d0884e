/*
 * sm_sched.c: threads, signals and stopping partitions (see sm_kernel.h).
 *
 * Scheduling is a bit set: sm_threads is sorted by priority before the kernel runs (the
 * built-in partitions at build time, the modules by the loader), so the next thread is the
 * lowest set bit of sm_ready. The idle thread's bit is always set.
 */
#include <string.h>

#include "sm_arch.h"
#include "sm_kernel.h"

struct sm_thread *sm_cur;
uint32_t sm_ready;
/* Module threads ready but held back for one slice (sm_kernel_tick): bits of sm_ready. */
static uint32_t parked;

/* The call deadline of modules (docs/design/modules.md, "The call deadline"): a module may run
 * for at most SM_MODULE_CALL_TICKS slices while one message it was given waits for its reply.
 * Counted by the tick that lands on the module, so only the module's own running time counts
 * (not the time it waits for a service it called, nor the slices others have). */
#ifndef SM_MODULE_CALL_TICKS
#define SM_MODULE_CALL_TICKS 1000u /* 1 s of its own time at the 1 ms slice */
#endif
static psa_handle_t watched[SM_MODULE_SLOTS_MAX]; /* the message each module's count is for */
static uint32_t watched_ticks[SM_MODULE_SLOTS_MAX];

/* Modules a tick found running outside any call, that have not called psa_wait since: bits by
 * thread index (sm_k_wait clears its caller's). Found so again, a module has run on its own
 * for a whole slice: the others get the next one. */
static uint32_t running_free;

/* The tables modules extend (sm_kernel.h): written only before the kernel runs. */
uint32_t sm_service_count;
uint8_t sm_stateless_map[32];
struct sm_partition sm_module_partitions[SM_MODULE_SLOTS_MAX];
uint32_t sm_module_count;
uint8_t sm_module_slot[SM_MODULE_SLOTS_MAX];

static void thread_init(struct sm_thread *t, uint32_t i, const struct sm_partition *part)
{
    memset(t, 0, sizeof(*t));
    t->index = (uint8_t)i;
    t->part = part;
    t->client_id = part != NULL ? part->id : SM_NS_CLIENT_ID;
    t->msg.conn = -1;
}

void sm_kernel_init(void)
{
    const uint32_t threads = sm_partition_threads() + 2u;
    sm_ready = 0;
    memcpy(sm_services, sm_builtin_services, sizeof(struct sm_service) * sm_builtin_service_count);
    sm_service_count = sm_builtin_service_count;
    memcpy(sm_stateless_map, sm_builtin_stateless_map, sizeof(sm_stateless_map));
    sm_module_count = 0;
    parked = 0;
    memset(watched, 0, sizeof(watched));
    running_free = 0;
    memset(watched_ticks, 0, sizeof(watched_ticks));
    for (uint32_t i = 0; i < threads; i++) {
        struct sm_thread *t = &sm_threads[i];
        const bool module_slot = i >= sm_partition_count && i < sm_partition_threads();
        thread_init(t, i, i < sm_partition_count ? &sm_partitions[i] : NULL);
        if (module_slot) {
            t->state = SM_STOPPED; /* never runs, unless a module is loaded into it */
            continue;
        }
        sm_arch_thread_init(t);
        sm_ready |= 1u << i;
    }
    memset(sm_conns, 0, sizeof(struct sm_conn) * SM_CONNECTION_COUNT);
    sm_cur = sm_ns_agent(); /* the code that starts the kernel becomes the NS agent */
}

/* A message delivered to thread t's services and not replied to: `prefer` if it is one. Every
 * client's message (the partitions', the module threads', the NS agent's) is looked at. */
static psa_handle_t held_message(const struct sm_thread *t, psa_handle_t prefer)
{
    psa_handle_t any = 0;
    for (uint32_t i = 0; i <= sm_partition_threads(); i++) {
        const struct sm_msg *m = &sm_threads[i].msg;
        if (m->state == SM_MSG_DELIVERED && sm_services[m->service].partition == t->index) {
            if (m->handle == prefer) {
                return prefer;
            }
            any = m->handle;
        }
    }
    return any;
}

void sm_kernel_tick(const struct sm_thread *interrupted)
{
    const uint32_t first = sm_partition_count, end = sm_partition_count + sm_module_count;
    for (uint32_t i = first; i < end; i++) {
        if ((parked >> i) & 1u && sm_threads[i].state == SM_READY) {
            sm_ready |= 1u << i; /* stopped meanwhile: stays out */
        }
    }
    parked = 0;
    if (interrupted->index < first || interrupted->index >= end) {
        return; /* a built-in partition, the NS world or idle had the slice */
    }
    const uint32_t k = interrupted->index - first, bit = 1u << interrupted->index;
    const psa_handle_t h = held_message(interrupted, watched[k]);
    if (h != 0) {
        /* Serving a call: its caller waits for it, so no one is held back; the call's deadline
         * bounds it instead. */
        running_free &= ~bit;
        if (h != watched[k]) {
            watched[k] = h;
            watched_ticks[k] = 0;
        }
        if (++watched_ticks[k] >= SM_MODULE_CALL_TICKS) {
            watched[k] = 0;
            /* Stopped as a faulting one is: its callers get the dead-service outcome. */
            sm_stop_partition(&sm_threads[interrupted->index],
                              SM_WHY("S9", "held a call past its deadline"));
        }
        return;
    }
    watched[k] = 0;
    if ((running_free & bit) == 0u) {
        running_free |= bit; /* maybe between two calls: held back only if found so again */
        return;
    }
    running_free &= ~bit;
    for (uint32_t i = first; i < end; i++) {
        if ((sm_ready >> i) & 1u) {
            parked |= 1u << i;
        }
    }
    sm_ready &= ~parked;
}

struct sm_thread *sm_kernel_add_module(const struct sm_service *services, uint32_t n,
                                       const uint8_t *handles)
{
    const uint32_t k = sm_module_count;
    const uint32_t ti = sm_partition_count + k;
    struct sm_thread *t = &sm_threads[ti];
    for (uint32_t i = 0; i < n; i++) {
        const uint32_t si = sm_service_count + i;
        sm_services[si] = services[i];
        if (handles[i] != SM_NO_STATELESS) {
            sm_stateless_map[handles[i]] = (uint8_t)(si + 1u);
        }
    }
    sm_service_count += n;
    sm_module_count = k + 1u;
    thread_init(t, ti, &sm_module_partitions[k]);
    sm_arch_thread_init(t);
    sm_ready |= 1u << ti;
    return t;
}

static psa_signal_t partition_signals(const struct sm_partition *p)
{
    return p->service_signals | p->irq_signals | PSA_DOORBELL;
}

/* Inline: sm_k_reply_get takes it on every request. */
static inline __attribute__((always_inline)) uint32_t wait(psa_signal_t mask, uint32_t timeout,
                                                           psa_msg_t *into)
{
    struct sm_thread *t = sm_cur;
    if (t->part == NULL) {
        return sm_programmer_error(SM_WHY("S1", "psa_wait outside a partition"));
    }
    running_free &= ~(1u << t->index); /* a module waiting is not running on its own */
    mask &= partition_signals(t->part);
    if (mask == 0u) {
        return sm_programmer_error(SM_WHY("S2", "psa_wait on no signal of the partition"));
    }
    psa_signal_t now = t->asserted & mask;
    if (now != 0u || timeout == PSA_POLL) {
        return now;
    }
    t->wait_mask = mask;
    t->get_into = into;
    sm_block(t, SM_BLOCKED_WAIT);
    return 0;
}

uint32_t sm_k_wait(psa_signal_t mask, uint32_t timeout)
{
    return wait(mask, timeout, NULL);
}

/* sm_reply_wait: what psa_reply then psa_wait(mask, PSA_BLOCK) do, in one kernel entry (a
 * service's loop pays one supervisor call less a request). A reply the core refuses stops the
 * partition (sm_programmer_error), which then waits for nothing. */
uint32_t sm_k_reply_wait(psa_handle_t h, psa_status_t status, psa_signal_t mask)
{
    (void)sm_k_reply(h, status);
    if (sm_cur->state == SM_STOPPED) {
        return 0; /* never seen: the partition does not run again */
    }
    return sm_k_wait(mask, PSA_BLOCK);
}

uint32_t sm_k_reply_get(psa_handle_t h, psa_status_t status, psa_signal_t mask, psa_msg_t *msg)
{
    struct sm_thread *t = sm_cur;
    if (t->part == NULL) {
        return sm_programmer_error(SM_WHY("I30", "sm_reply_get outside a partition"));
    }
    if (h != PSA_NULL_HANDLE) {
        (void)sm_k_reply(h, status);
        if (t->state == SM_STOPPED) {
            return 0; /* never seen: the partition does not run again */
        }
    }
    /* Checked before the wait, where psa_get would check it after: a message then delivered
     * into it (send, sm_ipc.c) needs no check of its own, and a partition that would stop at
     * its psa_get stops now instead, its callers getting the same answer (SERVICE_FAILURE). */
    if (!sm_msg_ok(msg)) {
        return sm_programmer_error(SM_BAD_MSG);
    }
    const uint32_t now = wait(mask, PSA_BLOCK, msg);
    const psa_signal_t services = now & t->part->service_signals;
    if (services != 0u) {
        (void)sm_ipc_take(services & (~services + 1u), msg); /* asserted: its queue holds one */
    }
    return now;
}

uint32_t sm_k_notify(int32_t partition_id)
{
    if (sm_cur->part == NULL) {
        return sm_programmer_error(SM_WHY("S3", "psa_notify outside a partition"));
    }
    for (uint32_t i = 0; i < sm_partition_threads(); i++) {
        struct sm_thread *t = &sm_threads[i];
        if (t->part != NULL && t->part->id == partition_id) {
            if (t->state != SM_STOPPED) {
                sm_assert_signal(t, PSA_DOORBELL);
            }
            return 0;
        }
    }
    return sm_programmer_error(SM_WHY("S4", "psa_notify to an unknown partition"));
}

uint32_t sm_k_clear(void)
{
    if (sm_cur->part == NULL || (sm_cur->asserted & PSA_DOORBELL) == 0u) {
        return sm_programmer_error(SM_WHY("S5", "psa_clear without an asserted doorbell"));
    }
    sm_cur->asserted &= ~PSA_DOORBELL;
    return 0;
}

uint32_t sm_k_panic(void)
{
    if (sm_cur->part == NULL) {
        return sm_programmer_error(SM_WHY("S6", "psa_panic outside a partition"));
    }
    sm_stop_partition(sm_cur, SM_WHY("S7", "called psa_panic"));
    return 0;
}

uint32_t sm_k_panic_entry_returned(void)
{
    sm_stop_partition(sm_cur, SM_WHY("S8", "its entry point returned"));
    return 0;
}

uint32_t sm_programmer_error(const char *why)
{
    if (sm_cur->part != NULL) {
        sm_stop_partition(sm_cur, why);
        return 0; /* never seen: the caller does not run again */
    }
    return (uint32_t)PSA_ERROR_PROGRAMMER_ERROR;
}

void sm_stop_partition(struct sm_thread *t, const char *why)
{
    if (t->state == SM_STOPPED) {
        return;
    }
    sm_arch_log("SM: partition %s stopped: %s\n", t->part->name, why);
    sm_block(t, SM_STOPPED);
    t->asserted = 0;
    sm_irq_partition_stopped(t);
    sm_ipc_partition_stopped(t);
}
