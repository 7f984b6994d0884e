/*
 * sm_kernel.h: the SM core's portable kernel: partitions as threads, signals, connections and
 * messages (PSA FF-M 1.1 IPC model). The same code runs on the board (core/arch/armv8m: each
 * entry is a supervisor call, threads switch on exception return, the MPU isolates partitions)
 * and on a Linux host (core/arch/host: entries are function calls, threads are ucontexts).
 *
 * Contract:
 * - Everything is static: built-in partitions, services and interrupts come from the tables the
 *   manifest tool generates (sm_manifest.c); threads, connections and messages live in fixed
 *   arrays, reserved per client (a thread's one message, a client's range of connection slots).
 *   Secure modules (docs/design/modules.md) get thread entries reserved by the manifest tool
 *   and entries in RAM tables (sm_services, sm_stateless_map, sm_module_partitions) that the
 *   loader fills once at start, before the kernel runs; nothing is allocated at run time.
 * - sm_threads[0 .. sm_partition_count-1] are the built-in partitions by descending priority,
 *   then SM_MODULE_SLOTS_MAX module threads (the loaded modules by descending priority, the
 *   rest never run), then the non-secure agent (the NS world, or the host program), then the
 *   idle thread. A lower index runs first; a thread runs until it blocks or a lower-index
 *   thread becomes ready. A thread reaches its partition only through t->part; a service
 *   names its partition's thread (sm_service.partition).
 * - Each sm_k_* entry acts for sm_cur, the calling thread. It returns the caller's result; when
 *   it blocks the caller instead, the result is delivered later with sm_arch_set_result().
 *   After every entry the arch layer runs sm_next() and switches if it differs from sm_cur.
 * - Arguments are untrusted. Memory a caller names is checked with sm_arch_range_ok() (the
 *   caller's own memory, by the MPU/SAU on the board) before the kernel touches it.
 * - A programmer error stops a calling partition (sm_stop_partition) or, for the NS agent,
 *   returns PSA_ERROR_PROGRAMMER_ERROR without any other effect.
 */
#ifndef SM_KERNEL_H
#define SM_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "psa/service.h"
#include "sm/sm_abi.h"
#include "sm_arch.h"
#include "sm_arch_ctx.h"
#include "sm_why.h" /* SM_WHY: the reasons of sm_stop_partition and sm_programmer_error */

#define SM_NS_CLIENT_ID (-1) /* FF-M: non-secure client ids are negative */

/* Thread entries reserved for secure modules, one per module slot the image can load (the
 * manifest tool's --module-slots): FLASH_MODULE_SLOTS_MAX on the board, fewer where the image's
 * build says so (the product profile's 2, docs/design/footprint.md); slots past it are never
 * loaded nor updated. */
#ifndef SM_MODULE_SLOTS_MAX
#define SM_MODULE_SLOTS_MAX 4u
#endif
/* Services of an image, built-in and modules' together: a partition's dependencies are a
 * 32-bit set of service indexes, and each service has a queue. */
#define SM_SERVICE_MAX 32u

/* Connections: sm_conn_count slots (sm_conns, made by the manifest tool), each reserved for one
 * client: client thread i (a partition, or the NS agent) owns the slots sm_conn_first[i] up to
 * sm_conn_first[i + 1], and no other client can take them, so no client's connections can
 * starve another's. A partition's share is its manifest's "connections" (by default one per
 * connection-based service it depends on), the NS world's 16 when it may connect to anything.
 * A client whose share is used up gets PSA_ERROR_CONNECTION_BUSY. */
#define SM_CONNECTION_COUNT sm_conn_count

/* Stateless handle (made by the manifest tool): bit 30 set, version in bits 15..8, the
 * service's stateless index (0..31, sm_stateless_map) in bits 7..0. */

enum sm_version_policy { SM_VERSION_STRICT, SM_VERSION_RELAXED };

/* A partition's services have signals 1 << 4, 1 << 5, ... in order (sm_k_get relies on it). */
struct sm_service {
    uint32_t sid;
    uint32_t version;
    psa_signal_t signal;
    uint8_t partition; /* the thread index of the partition offering it */
    uint8_t policy;    /* enum sm_version_policy */
    bool stateless;
    bool ns_clients; /* may the non-secure world use it */
};

struct sm_mmio {
    uint32_t base;
    uint32_t size;
    bool read_only;
};

/* Flash areas a partition's manifest may name ("flash_area"); sizes come from the install
 * configuration (sm_device.c). */
enum sm_flash_area {
    SM_FLASH_AREA_NONE,
    SM_FLASH_AREA_ITS,
    SM_FLASH_AREA_FWU, /* the download slots of every component (sm/sm_device.h, sm_fwu_*) */
    SM_FLASH_AREA_COUNT
};

struct sm_partition {
    const char *name;
    int32_t id;
    void (*entry)(void);
    uint8_t *stack;
    uint32_t stack_size;
    uint8_t first_service, service_count;
    uint8_t first_irq, irq_count;
    uint8_t mmio_count;
    uint8_t flash_area; /* enum sm_flash_area */
    bool iak;           /* may use the attestation key (manifest "attestation_key") */
    const struct sm_mmio *mmio;
    /* Services this partition may connect to (its manifest's dependencies), by service index. */
    uint32_t allowed_services;
    psa_signal_t irq_signals;     /* all its interrupt signals */
    psa_signal_t service_signals; /* all its RoT Service signals */
};

enum sm_irq_handling { SM_IRQ_SLIH, SM_IRQ_FLIH };

struct sm_irq {
    uint32_t line; /* interrupt number */
    psa_signal_t signal;
    uint8_t partition;
    uint8_t handling;
    psa_flih_result_t (*flih)(void);
};

enum sm_thread_state {
    SM_READY,
    SM_BLOCKED_WAIT,  /* in psa_wait */
    SM_BLOCKED_REPLY, /* its message is with a service */
    SM_STOPPED,
    SM_BLOCKED_DEFER, /* its kernel call waits for another thread's deferred work (sm_arch.h) */
};

enum sm_msg_state { SM_MSG_FREE, SM_MSG_QUEUED, SM_MSG_DELIVERED };

/* A client's request. Every thread has exactly one: calls are synchronous. The lengths of the
 * vectors past in_count/out_count are 0. */
struct sm_msg {
    struct sm_msg *next; /* in the service's queue */
    int32_t type;
    uint8_t state; /* enum sm_msg_state */
    uint8_t service;
    int16_t conn;                /* connection index, or -1 for a stateless call */
    uint8_t in_count, out_count; /* vectors given; those past them are empty */
    psa_handle_t handle;
    size_t in_len[PSA_MAX_IOVEC];
    size_t out_len[PSA_MAX_IOVEC];
    const uint8_t *in_base[PSA_MAX_IOVEC];
    size_t in_done[PSA_MAX_IOVEC];
    uint8_t *out_base[PSA_MAX_IOVEC];
    size_t out_done[PSA_MAX_IOVEC];
    psa_outvec *out_vec; /* the client's array: lengths written back on reply */
};

struct sm_thread {
    struct sm_arch_ctx ctx; /* first: the switch code addresses it directly */
    psa_signal_t asserted;
    psa_signal_t wait_mask;
    uint8_t state; /* enum sm_thread_state */
    uint8_t index;
    const struct sm_partition *part; /* NULL for the NS agent and the idle thread */
    int32_t client_id;               /* as services see it: the partition id, or NS */
    struct sm_msg msg;
    /* While it waits in sm_reply_get (state SM_BLOCKED_WAIT): its psa_msg_t, checked, which a
     * call to one of the signals it waits for fills directly (send, sm_ipc.c); NULL in a plain
     * psa_wait. Set at every wait, read only in that state. */
    psa_msg_t *get_into;
};

/* The thread whose request m is. */
static inline struct sm_thread *sm_msg_client(struct sm_msg *m)
{
    return (struct sm_thread *)(void *)((uint8_t *)m - offsetof(struct sm_thread, msg));
}

enum sm_conn_state {
    SM_CONN_FREE,
    SM_CONN_CONNECTING,
    SM_CONN_ACTIVE,
    SM_CONN_CLOSING,
    SM_CONN_BROKEN
};

struct sm_conn {
    uint8_t state;
    uint8_t service;
    uint8_t client; /* thread index */
    uint16_t gen;
    void *rhandle;
};

/* Generated by the manifest tool (sm_manifest.c). */
extern const struct sm_partition sm_partitions[]; /* the built-in ones */
extern const uint32_t sm_partition_count;
extern const struct sm_service sm_builtin_services[];
extern const uint32_t sm_builtin_service_count;
extern const uint8_t sm_builtin_stateless_map[32];
extern const struct sm_irq sm_irqs[];
extern const uint32_t sm_irq_count;
extern struct sm_thread sm_threads[]; /* sm_partition_count + SM_MODULE_SLOTS_MAX + 2 */
extern struct sm_conn sm_conns[];
extern const uint32_t sm_conn_count;
/* sm_partition_count + SM_MODULE_SLOTS_MAX + 2 entries: each partition's, each module slot's,
 * the NS agent's, the end. */
extern const uint8_t sm_conn_first[];

/* Filled at start (sm_kernel_init copies the built-in tables, sm_kernel_add_module appends a
 * module's), read-only once the kernel runs. Service index i < sm_builtin_service_count is
 * the built-in sm_builtin_services[i]; the modules' follow, up to sm_service_capacity
 * (<= SM_SERVICE_MAX; the manifest tool sizes the table, sm_manifest.c). */
extern struct sm_service sm_services[];
extern const uint32_t sm_service_capacity;
extern uint32_t sm_service_count;
/* Each service's FIFO of queued messages (sm_ipc.c), one per entry of sm_services: the manifest
 * tool makes sm_service_capacity of them. */
struct sm_queue {
    struct sm_msg *head, *tail;
};
extern struct sm_queue sm_queues[];
extern uint8_t sm_stateless_map[32]; /* stateless handle index -> service index + 1, or 0 */
/* The loaded modules' partitions: module k runs in thread sm_partition_count + k. */
extern struct sm_partition sm_module_partitions[SM_MODULE_SLOTS_MAX];
extern uint32_t sm_module_count;
/* The module slot module k was loaded from (the loader's; sm_module_owner reports it). */
extern uint8_t sm_module_slot[SM_MODULE_SLOTS_MAX];

/* Kernel state. */
extern struct sm_thread *sm_cur;
extern uint32_t sm_ready; /* bit i: sm_threads[i] may run */

static inline struct sm_thread *sm_ns_agent(void)
{
    return &sm_threads[sm_partition_count + SM_MODULE_SLOTS_MAX];
}

/* Threads that may own a partition: the built-in ones and the module slots. */
static inline uint32_t sm_partition_threads(void)
{
    return sm_partition_count + SM_MODULE_SLOTS_MAX;
}

static inline struct sm_thread *sm_next(void)
{
    return &sm_threads[__builtin_ctz(sm_ready)];
}

static inline void sm_make_ready(struct sm_thread *t)
{
    t->state = SM_READY;
    sm_ready |= 1u << t->index;
}

static inline void sm_block(struct sm_thread *t, enum sm_thread_state why)
{
    t->state = (uint8_t)why;
    sm_ready &= ~(1u << t->index);
}

/* Asserts signal for t, waking it if it waits for it. */
static inline void sm_assert_signal(struct sm_thread *t, psa_signal_t signal)
{
    t->asserted |= signal;
    if (t->state == SM_BLOCKED_WAIT && (t->wait_mask & signal) != 0u) {
        sm_arch_set_result(t, t->asserted & t->wait_mask);
        sm_make_ready(t);
    }
}

/* sm_arch_range_ok, with the common case first: a partition naming its own RAM block (where
 * the arch layer keeps one, SM_ARCH_RAM_BLOCK). */
static inline bool sm_range_ok(const void *p, size_t n, bool write)
{
    if (n == 0u) {
        return true;
    }
#ifdef SM_ARCH_RAM_BLOCK
    uintptr_t a = (uintptr_t)p;
    const struct sm_arch_ctx *c = &sm_cur->ctx;
    if (a >= c->ram_start && a < c->ram_end && n <= c->ram_end - a) {
        return true;
    }
#endif
    return sm_arch_range_ok(p, n, write);
}

/* sm_sched.c */
/* The built-in partitions' threads and the service tables; module threads stay stopped. */
void sm_kernel_init(void);
/* Before the kernel runs, after sm_kernel_init: appends a module whose partition the caller
 * filled in sm_module_partitions[sm_module_count] (first_service: sm_service_count) and whose
 * services, n of them, are `services` (partition: this module's thread, signals from bit 4 in
 * order), with stateless handle indexes `handles` (SM_NO_STATELESS for a connection-based
 * one). The caller (the loader) has checked that nothing collides and that they fit. Returns
 * the module's thread, initialised and ready, with t->part set. */
#define SM_NO_STATELESS 0xFFu
struct sm_thread *sm_kernel_add_module(const struct sm_service *services, uint32_t n,
                                       const uint8_t *handles);
/* The module time slice (armed by the arch layer only when a module is loaded): called at the
 * end of each slice, in the kernel, with the thread the tick interrupted. Modules parked by
 * the previous slice may run again; if the tick found a module running, every ready module
 * gives way to the threads after them (the NS agent, idle) for the next slice, so that a
 * module that never blocks cannot keep the NS world from running. */
void sm_kernel_tick(const struct sm_thread *interrupted);
/* Stops partition thread t for `why` (printed; SM_WHY); its clients get their errors. */
void sm_stop_partition(struct sm_thread *t, const char *why);
/* A programmer error by the caller: stops a partition, or returns the NS error. */
uint32_t sm_programmer_error(const char *why);
uint32_t sm_k_wait(psa_signal_t mask, uint32_t timeout);
uint32_t sm_k_notify(int32_t partition_id);
uint32_t sm_k_clear(void);
uint32_t sm_k_panic(void);
uint32_t sm_k_panic_entry_returned(void);

/* sm_ipc.c: the client API (caller: sm_cur) */
uint32_t sm_k_version(uint32_t sid);
uint32_t sm_k_connect(uint32_t sid, uint32_t version);
/* packed: see sm/sm_abi.h */
uint32_t sm_k_call(psa_handle_t handle, uint32_t packed, const psa_invec *in, psa_outvec *out);
uint32_t sm_k_close(psa_handle_t handle);
/* sm_ipc.c: the service API */
uint32_t sm_k_get(psa_signal_t signal, psa_msg_t *msg);
uint32_t sm_k_read(psa_handle_t h, uint32_t idx, void *buf, size_t n);
uint32_t sm_k_skip(psa_handle_t h, uint32_t idx, size_t n);
uint32_t sm_k_write(psa_handle_t h, uint32_t idx, const void *buf, size_t n);
uint32_t sm_k_reply(psa_handle_t h, psa_status_t status);
/* sm_sched.c: sm_reply_wait (sm/sm_service.h) */
uint32_t sm_k_reply_wait(psa_handle_t h, psa_status_t status, psa_signal_t mask);
/* sm_sched.c: sm_reply_get (sm/sm_service.h) */
uint32_t sm_k_reply_get(psa_handle_t h, psa_status_t status, psa_signal_t mask, psa_msg_t *msg);
/* sm_ipc.c: psa_get's work for the caller of a single asserted service signal into msg
 * (checked: sm_msg_ok). */
uint32_t sm_ipc_take(psa_signal_t signal, psa_msg_t *msg);
/* May the calling partition's psa_get (and sm_reply_get) write a psa_msg_t at msg? What
 * sm_range_ok(msg, sizeof(*msg), true) answers, aligned too: where the arch keeps a RAM block,
 * a partition may write nothing else (sm_arch_range_ok's rule for writes), so the block's
 * compare is the whole check (and no other file gets its own copy of sm_range_ok). */
static inline bool sm_msg_ok(const psa_msg_t *msg)
{
    const uintptr_t a = (uintptr_t)msg;
    if ((a & (_Alignof(psa_msg_t) - 1u)) != 0u) {
        return false;
    }
#ifdef SM_ARCH_RAM_BLOCK
    const struct sm_arch_ctx *c = &sm_cur->ctx;
    return a >= c->ram_start && a < c->ram_end && sizeof(*msg) <= c->ram_end - a;
#else
    return sm_arch_range_ok(msg, sizeof(*msg), true);
#endif
}
#define SM_BAD_MSG SM_WHY("I17", "psa_get into memory the partition may not write, or misaligned")
uint32_t sm_k_set_rhandle(psa_handle_t h, void *rhandle);
/* Every request of stopping partition t's services fails; t's own request is withdrawn. */
void sm_ipc_partition_stopped(struct sm_thread *t);

/* sm_irq.c */
const struct sm_irq *sm_irq_find(uint32_t line); /* the partition interrupt on `line`, or NULL */
void sm_irq_raise(uint32_t line);                /* from the interrupt handler */
uint32_t sm_k_eoi(psa_signal_t signal);
uint32_t sm_k_irq_enable(psa_signal_t signal);
uint32_t sm_k_irq_disable(psa_signal_t signal);
uint32_t sm_k_reset_signal(psa_signal_t signal);
/* A first-level handler returned `result`: asserts the signal, or stops its partition for a
 * result that is neither PSA_FLIH_SIGNAL nor PSA_FLIH_NO_SIGNAL. */
void sm_irq_flih_done(const struct sm_irq *irq, psa_flih_result_t result);
void sm_irq_partition_stopped(struct sm_thread *t);

/* sm_device.c: the services of sm/sm_device.h (caller: sm_cur) */
/* Reads the install configuration; before any sm_k_* below. boot_count: boots since
 * provisioning (the uRoT's count), for the entropy derivation. */
void sm_device_init(uint32_t boot_count);
/* May the SM start the NS world in this lifecycle state (SM_CONFIG_LIFECYCLE)? Only in
 * SECURED and the two debug states, the states that boot (bl_lifecycle_boot): the uRoT stops
 * in the others, and the SM checks again so that a uRoT which let one through still boots
 * nothing (fail closed: anything not one of the three, a state unread too, is refused). */
bool sm_device_may_start(uint32_t lifecycle);
uint32_t sm_k_flash(uint32_t op, uint32_t offset, void *buf, size_t len);
uint32_t sm_k_derive_key(const void *label, size_t label_len, uint8_t *key, size_t key_len);
uint32_t sm_k_config(uint32_t item);
uint32_t sm_k_entropy(uint8_t *buf, size_t len);
uint32_t sm_k_client_running(int32_t client_id);
/* The boot stages' records of this boot (bl_shared.h), for attestation: copied, checked (one
 * per kind). NULL or a malformed area leaves none. */
struct bl_shared_data;
void sm_device_boot_records(const struct bl_shared_data *d);
uint32_t sm_k_attest(uint32_t op, uintptr_t arg, void *buf, size_t len);
/* Firmware update: only for the partition with the FWU flash area. */
uint32_t sm_k_fwu(uint32_t op, uintptr_t arg, void *buf, size_t len);

#endif /* SM_KERNEL_H */
