/*
 * sm_ipc.c: connections and messages between clients (the NS agent or partitions) and RoT
 * Services, per PSA FF-M 1.1 (see sm_kernel.h and psa/client.h, psa/service.h).
 *
 * A client has one request at a time (calls are synchronous), so its message lives in its own
 * thread. Connection slots are reserved per client (sm_conn_first, made by the manifest tool):
 * a client connects only into its own range, so its exhaustion is nobody else's. Each service
 * keeps a FIFO of queued messages; its signal is asserted while the FIFO is not empty. Message
 * handles name the client thread and a generation, connection handles a connection slot and its
 * generation, so a stale or forged handle is always detected.
 */
#include <string.h>

#include "sm_arch.h"
#include "sm_kernel.h"

static uint32_t msg_gen;

static const struct sm_service *find_sid(uint32_t sid)
{
    for (uint32_t i = 0; i < sm_service_count; i++) {
        if (sm_services[i].sid == sid) {
            return &sm_services[i];
        }
    }
    return NULL;
}

static bool caller_may_use(const struct sm_service *s)
{
    if (sm_cur->part == NULL) {
        return s->ns_clients;
    }
    return ((sm_cur->part->allowed_services >> (uint32_t)(s - sm_services)) & 1u) != 0u;
}

static bool version_ok(const struct sm_service *s, uint32_t version)
{
    if (s->policy == SM_VERSION_STRICT) {
        return version == s->version;
    }
    return version >= 1u && version <= s->version;
}

static bool service_stopped(const struct sm_service *s)
{
    return sm_threads[s->partition].state == SM_STOPPED;
}

static psa_handle_t conn_handle(uint32_t index)
{
    return (psa_handle_t)(((uint32_t)sm_conns[index].gen << 16) | (index + 1u));
}

/* The caller's connection named by handle h, or NULL. */
static struct sm_conn *caller_conn(psa_handle_t h)
{
    if (h <= 0 || ((uint32_t)h & 0x40000000u) != 0u) {
        return NULL;
    }
    uint32_t index = ((uint32_t)h & 0xFFFFu) - 1u;
    if (index >= SM_CONNECTION_COUNT) {
        return NULL;
    }
    struct sm_conn *c = &sm_conns[index];
    if (c->state == SM_CONN_FREE || c->client != sm_cur->index || conn_handle(index) != h) {
        return NULL;
    }
    return c;
}

static void free_conn(struct sm_conn *c)
{
    c->state = SM_CONN_FREE;
    c->gen = (uint16_t)((c->gen + 1u) & 0x3FFFu);
    c->rhandle = NULL;
}

/* Fills the partition's psa_msg_t (checked by its caller) from message m, now delivered. Field
 * by field into the partition's memory: no byte-wise library copy. */
static void deliver(struct sm_msg *m, psa_msg_t *msg)
{
    m->next = NULL;
    m->state = SM_MSG_DELIVERED;
    msg->type = m->type;
    msg->handle = m->handle;
    msg->client_id = sm_msg_client(m)->client_id;
    msg->rhandle = m->conn >= 0 ? sm_conns[m->conn].rhandle : NULL;
    _Static_assert(PSA_MAX_IOVEC == 4, "the copy below");
    msg->in_size[0] = m->in_len[0];
    msg->in_size[1] = m->in_len[1];
    msg->in_size[2] = m->in_len[2];
    msg->in_size[3] = m->in_len[3];
    msg->out_size[0] = m->out_len[0];
    msg->out_size[1] = m->out_len[1];
    msg->out_size[2] = m->out_len[2];
    msg->out_size[3] = m->out_len[3];
}

/* Sends the caller's prepared message to service s and blocks the caller. A partition waiting
 * for the service's signal in sm_reply_get gets it at once, as its psa_get would: its queue is
 * empty (a waiting partition has none of the signals it waits for asserted, and a service's
 * signal is asserted exactly while its queue holds a message), so the message is delivered
 * into its psa_msg_t and psa_wait's answer is that signal alone. Otherwise it is queued and
 * the signal asserted. */
static uint32_t send(const struct sm_service *s, int32_t type, int16_t conn)
{
    struct sm_thread *client = sm_cur;
    struct sm_thread *server = &sm_threads[s->partition];
    struct sm_msg *m = &client->msg;
    uint32_t si = (uint32_t)(s - sm_services);
    msg_gen = (msg_gen + 1u) & 0x3FFFFFu;
    m->type = type;
    m->service = (uint8_t)si;
    m->conn = conn;
    m->handle = (psa_handle_t)((msg_gen << 8) | (client->index + 1u));
    sm_block(client, SM_BLOCKED_REPLY);
    if (server->state == SM_BLOCKED_WAIT && server->get_into != NULL &&
        (server->wait_mask & s->signal) != 0u) {
        deliver(m, server->get_into);
        sm_arch_set_result(server, s->signal);
        sm_make_ready(server);
        return 0;
    }
    m->state = SM_MSG_QUEUED;
    m->next = NULL;
    if (sm_queues[si].tail != NULL) {
        sm_queues[si].tail->next = m;
    } else {
        sm_queues[si].head = m;
    }
    sm_queues[si].tail = m;
    sm_assert_signal(server, s->signal);
    return 0;
}

/* A message's vector lengths past in_count/out_count are always 0, so that sm_k_get copies
 * all four of each as they are and a call without vectors writes none: a message leaves with
 * the lengths it used cleared (a free message has all eight at 0). */
static void free_msg(struct sm_msg *m)
{
    for (uint32_t i = 0; i < m->in_count; i++) {
        m->in_len[i] = 0;
    }
    for (uint32_t i = 0; i < m->out_count; i++) {
        m->out_len[i] = 0;
    }
    m->in_count = 0;
    m->out_count = 0;
    m->state = SM_MSG_FREE;
    m->next = NULL;
}

/* Ends message m with `result` for its client (a stopped client is only cleaned up). */
static void complete(struct sm_msg *m, uint32_t result)
{
    struct sm_thread *client = sm_msg_client(m);
    free_msg(m);
    if (client->state == SM_STOPPED) {
        if (m->conn >= 0) {
            free_conn(&sm_conns[m->conn]);
        }
        return;
    }
    sm_arch_set_result(client, result);
    sm_make_ready(client);
}

uint32_t sm_k_version(uint32_t sid)
{
    const struct sm_service *s = find_sid(sid);
    if (s == NULL || !caller_may_use(s)) {
        return PSA_VERSION_NONE;
    }
    return s->version;
}

/* Every length at 0, after take_vectors refused some (free_msg keeps them so otherwise). */
static void no_vectors(struct sm_msg *m)
{
    m->in_count = 0;
    m->out_count = 0;
    memset(m->in_len, 0, sizeof(m->in_len));
    memset(m->out_len, 0, sizeof(m->out_len));
}

uint32_t sm_k_connect(uint32_t sid, uint32_t version)
{
    const struct sm_service *s = find_sid(sid);
    if (s == NULL) {
        return sm_programmer_error(SM_WHY("I1", "psa_connect to an unknown SID"));
    }
    if (!caller_may_use(s)) {
        return sm_programmer_error(SM_WHY("I2", "psa_connect to a service the caller may not use"));
    }
    if (!version_ok(s, version)) {
        return sm_programmer_error(SM_WHY("I3", "psa_connect with an unsupported version"));
    }
    if (s->stateless) {
        return sm_programmer_error(SM_WHY("I4", "psa_connect to a stateless service"));
    }
    if (service_stopped(s)) {
        return (uint32_t)PSA_ERROR_CONNECTION_REFUSED;
    }
    /* Only the caller's own slots: another client's use can never make this call busy. */
    for (uint32_t i = sm_conn_first[sm_cur->index]; i < sm_conn_first[sm_cur->index + 1u]; i++) {
        struct sm_conn *c = &sm_conns[i];
        if (c->state == SM_CONN_FREE) {
            c->state = SM_CONN_CONNECTING;
            c->service = (uint8_t)(s - sm_services);
            c->client = sm_cur->index;
            c->rhandle = NULL;
            return send(s, PSA_IPC_CONNECT, (int16_t)i); /* a free message has no vectors */
        }
    }
    return (uint32_t)PSA_ERROR_CONNECTION_BUSY;
}

static bool overlap(const void *a, size_t alen, const void *b, size_t blen)
{
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return alen != 0u && blen != 0u && x < y + blen && y < x + alen;
}

/* Copies and checks the caller's vectors into its message, which is free (no vectors); out
 * of line: most calls have none, and the loops would make every call pay for their registers.
 * Each descriptor is read once: the caller could change it under us. A zero-length vector
 * names no memory, so its base is not checked (FF-M: the service can neither read nor write
 * it). Refused vectors leave the message as it was. */
__attribute__((noinline)) static const char *take_vectors(struct sm_msg *m, const psa_invec *in,
                                                          uint32_t in_len, psa_outvec *out,
                                                          uint32_t out_len)
{
    const char *bad = NULL;
    /* The output array is written back on reply (the bytes written to each vector). */
    /* Aligned, too: the kernel reads and writes them by words (doubles, multiples), which
     * fault on a misaligned address, and a fault here would be the core's, not the caller's. */
    if (!sm_range_ok(in, in_len * sizeof(psa_invec), false) ||
        !sm_range_ok(out, out_len * sizeof(psa_outvec), true) ||
        (((uintptr_t)in | (uintptr_t)out) & (_Alignof(psa_invec) - 1u)) != 0u) {
        return SM_WHY("I5", "psa_call with vector arrays the caller may not read, or write back, "
                            "or misaligned");
    }
    m->out_vec = out;
    for (uint32_t i = 0; i < in_len && bad == NULL; i++) {
        const psa_invec iv = in[i];
        if (!sm_range_ok(iv.base, iv.len, false)) {
            bad = SM_WHY("I6", "psa_call with an input vector the caller may not read");
        }
        m->in_base[i] = iv.base;
        m->in_len[i] = iv.len;
        m->in_done[i] = 0;
    }
    for (uint32_t i = 0; i < out_len && bad == NULL; i++) {
        const psa_outvec ov = out[i];
        if (!sm_range_ok(ov.base, ov.len, true)) {
            bad = SM_WHY("I7", "psa_call with an output vector the caller may not write");
        }
        m->out_base[i] = ov.base;
        m->out_len[i] = ov.len;
        m->out_done[i] = 0;
    }
    /* An output may overlap an input: in-place operations (the PSA Crypto API requires them);
     * the service reads an input before it writes over it. Two outputs may not overlap: what
     * each received would be undefined. */
    for (uint32_t i = 0; i + 1u < out_len && bad == NULL; i++) {
        for (uint32_t j = i + 1u; j < out_len; j++) {
            if (overlap(m->out_base[i], m->out_len[i], m->out_base[j], m->out_len[j])) {
                bad = SM_WHY("I8", "psa_call with output vectors overlapping each other");
            }
        }
    }
    if (bad != NULL) {
        no_vectors(m);
        return bad;
    }
    m->in_count = (uint8_t)in_len;
    m->out_count = (uint8_t)out_len;
    return NULL;
}

/*
 * sm_trace (docs/design/modules.md, "Trace"): a partition's psa_call with SM_TRACE_HANDLE, a
 * stateless handle of version 0 that no service can have, with one input vector, the line. A
 * development SM prints it on its console, prefixed with the caller's name (the core's, so a
 * module cannot write as another), at most SM_TRACE_MAX bytes, up to a newline, anything not
 * printable shown as '.', and answers PSA_SUCCESS; the product SM (SM_NO_TRACE) prints nothing
 * and answers PSA_ERROR_NOT_SUPPORTED. Checked on the stateless path before the handle is
 * looked up (a RELAXED service would take version 0): one comparison on that path. The NS world
 * has no trace (its call stays a programmer error: an invalid handle).
 */
#define SM_TRACE_HANDLE 0x4000001Fu
#define SM_TRACE_MAX    96u

/* Out of line: its line buffer would give every psa_call a stack frame and saved registers. */
__attribute__((noinline)) static uint32_t trace(const psa_invec *in, uint32_t in_len,
                                                uint32_t out_len)
{
#ifdef SM_NO_TRACE
    (void)in, (void)in_len, (void)out_len;
    return (uint32_t)PSA_ERROR_NOT_SUPPORTED;
#else
    if (in_len != 1u || out_len != 0u || !sm_range_ok(in, sizeof(*in), false)) {
        return sm_programmer_error(SM_WHY("I28", "sm_trace with other than one input vector"));
    }
    const psa_invec iv = in[0];
    if (!sm_range_ok(iv.base, iv.len, false)) {
        return sm_programmer_error(SM_WHY("I29", "sm_trace with a line the caller may not read"));
    }
    char line[SM_TRACE_MAX + 1u];
    const uint8_t *p = iv.base;
    size_t n = 0;
    while (n < iv.len && n < SM_TRACE_MAX && p[n] != '\n') {
        line[n] = p[n] >= 0x20u && p[n] < 0x7Fu ? (char)p[n] : '.';
        n++;
    }
    line[n] = '\0';
    sm_arch_log("SM: trace %s: %s%s\n", sm_cur->part->name, line,
                n < iv.len && p[n] != '\n' ? "..." : "");
    return (uint32_t)PSA_SUCCESS;
#endif
}

uint32_t sm_k_call(psa_handle_t handle, uint32_t packed, const psa_invec *in, psa_outvec *out)
{
    uint32_t in_len = (packed >> 16) & 0xFFu, out_len = packed >> 24;
    if (packed == SM_CALL_BAD_TYPE || (packed & 0x8000u) != 0u) {
        return sm_programmer_error(SM_WHY("I9", "psa_call with a type outside [0, INT16_MAX]"));
    }
    /* Both counts are bytes, so their sum cannot wrap: it is above PSA_MAX_IOVEC whenever
     * either count is. One comparison for the three. */
    if (in_len + out_len > PSA_MAX_IOVEC) {
        return sm_programmer_error(SM_WHY("I10", "psa_call with more than PSA_MAX_IOVEC vectors"));
    }
    const struct sm_service *s;
    int16_t conn = -1;
    if (handle > 0 && ((uint32_t)handle & 0x40000000u) != 0u) {
        uint32_t index = (uint32_t)handle & 0xFFu;
        if ((uint32_t)handle == SM_TRACE_HANDLE && sm_cur->part != NULL) {
            return trace(in, in_len, out_len);
        }
        if (((uint32_t)handle & ~0x4000FFFFu) != 0u || index >= 32u ||
            sm_stateless_map[index] == 0u) {
            return sm_programmer_error(SM_WHY("I11", "psa_call with an invalid stateless handle"));
        }
        s = &sm_services[sm_stateless_map[index] - 1u];
        if (!s->stateless || !caller_may_use(s) ||
            !version_ok(s, ((uint32_t)handle >> 8) & 0xFFu)) {
            return sm_programmer_error(
                SM_WHY("I12", "psa_call with a stateless handle the caller may not use"));
        }
    } else {
        struct sm_conn *c = caller_conn(handle);
        if (c == NULL) {
            return sm_programmer_error(SM_WHY("I13", "psa_call with an invalid handle"));
        }
        s = &sm_services[c->service];
        if (c->state == SM_CONN_BROKEN && !service_stopped(s)) {
            return sm_programmer_error(
                SM_WHY("I14", "psa_call on a connection the service closed as faulty"));
        }
        conn = (int16_t)(c - sm_conns);
    }
    if (in_len + out_len != 0u) {
        const char *bad = take_vectors(&sm_cur->msg, in, in_len, out, out_len);
        if (bad != NULL) {
            return sm_programmer_error(bad);
        }
    }
    if (service_stopped(s)) {
        free_msg(&sm_cur->msg);
        return (uint32_t)PSA_ERROR_SERVICE_FAILURE;
    }
    return send(s, (int32_t)(packed & 0x7FFFu), conn);
}

uint32_t sm_k_close(psa_handle_t handle)
{
    if (handle == PSA_NULL_HANDLE) {
        return 0;
    }
    struct sm_conn *c = caller_conn(handle);
    if (c == NULL) {
        return sm_programmer_error(SM_WHY("I15", "psa_close with an invalid handle"));
    }
    const struct sm_service *s = &sm_services[c->service];
    if (c->state != SM_CONN_ACTIVE || service_stopped(s)) {
        free_conn(c);
        return 0;
    }
    c->state = SM_CONN_CLOSING;
    return send(s, PSA_IPC_DISCONNECT, (int16_t)(c - sm_conns));
}

/* The message named by h, if delivered to the calling partition and not yet answered. A live
 * message's handle is positive, so no negative h passes; the NS agent owns no service. Inline:
 * psa_read, psa_write and psa_reply each pay for it once. */
static inline __attribute__((always_inline)) struct sm_msg *delivered(psa_handle_t h)
{
    uint32_t index = ((uint32_t)h & 0xFFu) - 1u;
    if (index > sm_partition_threads()) { /* the partitions', the module slots', the NS agent's */
        return NULL;
    }
    struct sm_msg *m = &sm_threads[index].msg;
    if (m->handle != h || m->state != SM_MSG_DELIVERED ||
        sm_services[m->service].partition != sm_cur->index) {
        return NULL;
    }
    return m;
}

static bool single_signal(psa_signal_t s)
{
    return s != 0u && (s & (s - 1u)) == 0u;
}

uint32_t sm_ipc_take(psa_signal_t signal, psa_msg_t *msg)
{
    /* smgen gives a partition's services the signals from bit 4 up, in order. */
    uint32_t si = sm_cur->part->first_service + (uint32_t)__builtin_ctz(signal) - 4u;
    struct sm_msg *m = sm_queues[si].head;
    if (m == NULL) {
        sm_cur->asserted &= ~signal;
        return (uint32_t)PSA_ERROR_DOES_NOT_EXIST;
    }
    sm_queues[si].head = m->next;
    if (m->next == NULL) {
        sm_queues[si].tail = NULL;
        sm_cur->asserted &= ~signal;
    }
    deliver(m, msg);
    return (uint32_t)PSA_SUCCESS;
}

uint32_t sm_k_get(psa_signal_t signal, psa_msg_t *msg)
{
    const struct sm_partition *p = sm_cur->part;
    if (p == NULL || !single_signal(signal) || (p->service_signals & signal) == 0u ||
        (sm_cur->asserted & signal) == 0u) {
        return sm_programmer_error(SM_WHY("I16", "psa_get without an asserted service signal"));
    }
    if (!sm_msg_ok(msg)) {
        return sm_programmer_error(SM_BAD_MSG);
    }
    return sm_ipc_take(signal, msg);
}

static struct sm_msg *call_msg(psa_handle_t h, uint32_t idx, const char *what)
{
    struct sm_msg *m = delivered(h);
    if (m == NULL || m->type < 0 || idx >= PSA_MAX_IOVEC) {
        sm_programmer_error(what);
        return NULL;
    }
    return m;
}

uint32_t sm_k_read(psa_handle_t h, uint32_t idx, void *buf, size_t n)
{
    struct sm_msg *m = call_msg(h, idx, SM_WHY("I18", "psa_read with a bad message or vector"));
    if (m == NULL || idx >= m->in_count) {
        return 0;
    }
    size_t left = m->in_len[idx] - m->in_done[idx];
    size_t k = n < left ? n : left;
    if (!sm_range_ok(buf, k, true)) {
        return sm_programmer_error(
            SM_WHY("I19", "psa_read into memory the partition may not write"));
    }
    if (k == 0u) {
        return 0;
    }
    memcpy(buf, m->in_base[idx] + m->in_done[idx], k);
    m->in_done[idx] += k;
    return (uint32_t)k;
}

uint32_t sm_k_skip(psa_handle_t h, uint32_t idx, size_t n)
{
    struct sm_msg *m = call_msg(h, idx, SM_WHY("I20", "psa_skip with a bad message or vector"));
    if (m == NULL || idx >= m->in_count) {
        return 0;
    }
    size_t left = m->in_len[idx] - m->in_done[idx];
    size_t k = n < left ? n : left;
    m->in_done[idx] += k;
    return (uint32_t)k;
}

uint32_t sm_k_write(psa_handle_t h, uint32_t idx, const void *buf, size_t n)
{
    struct sm_msg *m = call_msg(h, idx, SM_WHY("I21", "psa_write with a bad message or vector"));
    if (m == NULL) {
        return 0;
    }
    size_t room = idx < m->out_count ? m->out_len[idx] - m->out_done[idx] : 0u;
    if (n > room) {
        return sm_programmer_error(SM_WHY("I22", "psa_write past the end of the output vector"));
    }
    if (n == 0u) {
        return 0;
    }
    if (!sm_range_ok(buf, n, false)) {
        return sm_programmer_error(
            SM_WHY("I23", "psa_write from memory the partition may not read"));
    }
    memcpy(m->out_base[idx] + m->out_done[idx], buf, n);
    m->out_done[idx] += n;
    return 0;
}

uint32_t sm_k_set_rhandle(psa_handle_t h, void *rhandle)
{
    struct sm_msg *m = delivered(h);
    if (m == NULL || m->conn < 0) {
        return sm_programmer_error(SM_WHY("I24", "psa_set_rhandle with a bad message"));
    }
    sm_conns[m->conn].rhandle = rhandle;
    return 0;
}

uint32_t sm_k_reply(psa_handle_t h, psa_status_t status)
{
    struct sm_msg *m = delivered(h);
    if (m == NULL) {
        return sm_programmer_error(SM_WHY("I25", "psa_reply with a bad message"));
    }
    /* The common case first: a request answered with anything but a programmer error.
     * FF-M: each output vector's len becomes the bytes the service wrote to it. */
    if (m->type >= 0 && status != PSA_ERROR_PROGRAMMER_ERROR) {
        for (uint32_t i = 0; i < m->out_count; i++) {
            m->out_vec[i].len = m->out_done[i];
        }
        complete(m, (uint32_t)status);
        return 0;
    }
    struct sm_conn *c = m->conn >= 0 ? &sm_conns[m->conn] : NULL;
    struct sm_thread *client = &sm_threads[((uint32_t)h & 0xFFu) - 1u];
    uint32_t result = (uint32_t)status;
    if (m->type == PSA_IPC_CONNECT) {
        if (status == PSA_SUCCESS) {
            c->state = SM_CONN_ACTIVE;
            result = (uint32_t)conn_handle((uint32_t)m->conn);
        } else if (status == PSA_ERROR_CONNECTION_REFUSED || status == PSA_ERROR_CONNECTION_BUSY) {
            free_conn(c);
        } else {
            /* Stopping the service answers this request with a refusal. */
            return sm_programmer_error(
                SM_WHY("I26", "psa_reply to a connection request with a bad status"));
        }
    } else if (m->type == PSA_IPC_DISCONNECT) {
        free_conn(c);
        result = 0;
    } else if (c != NULL) { /* a request answered with PSA_ERROR_PROGRAMMER_ERROR */
        c->state = SM_CONN_BROKEN;
    }
    if (status == PSA_ERROR_PROGRAMMER_ERROR) {
        if (client->part != NULL) {
            complete(m, result);
            sm_stop_partition(client,
                              SM_WHY("I27", "programmer error reported by the service it called"));
            return 0;
        }
    }
    complete(m, result);
    return 0;
}

/* The answer a request gets from a service that stopped. */
static void fail_request(struct sm_msg *m)
{
    uint32_t result = (uint32_t)PSA_ERROR_SERVICE_FAILURE;
    if (m->type == PSA_IPC_CONNECT || m->type == PSA_IPC_DISCONNECT) {
        free_conn(&sm_conns[m->conn]);
        result = m->type == PSA_IPC_CONNECT ? (uint32_t)PSA_ERROR_CONNECTION_REFUSED : 0u;
    }
    complete(m, result);
}

static void unqueue(struct sm_msg *m)
{
    uint32_t si = m->service;
    struct sm_msg **pp = &sm_queues[si].head, *prev = NULL;
    while (*pp != NULL && *pp != m) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (*pp == NULL) {
        return;
    }
    *pp = m->next;
    if (sm_queues[si].tail == m) {
        sm_queues[si].tail = prev;
    }
    if (sm_queues[si].head == NULL) {
        sm_threads[sm_services[si].partition].asserted &= ~sm_services[si].signal;
    }
    m->next = NULL;
}

void sm_ipc_partition_stopped(struct sm_thread *t)
{
    const struct sm_partition *p = t->part;
    /* As a service: every request waiting for it or being handled by it fails. */
    for (uint32_t si = p->first_service; si < p->first_service + p->service_count; si++) {
        while (sm_queues[si].head != NULL) {
            struct sm_msg *m = sm_queues[si].head;
            sm_queues[si].head = m->next;
            fail_request(m);
        }
        sm_queues[si].tail = NULL;
    }
    for (uint32_t i = 0; i <= sm_partition_threads(); i++) { /* and the NS agent's */
        struct sm_msg *m = &sm_threads[i].msg;
        if (m->state == SM_MSG_DELIVERED && sm_services[m->service].partition == t->index) {
            fail_request(m);
        }
    }
    /* As a client: withdraw a queued request; one being handled is cleaned up at its reply. */
    struct sm_msg *own = &t->msg;
    if (own->state == SM_MSG_QUEUED) {
        unqueue(own);
        free_msg(own);
        if (own->type == PSA_IPC_CONNECT || own->type == PSA_IPC_DISCONNECT) {
            free_conn(&sm_conns[own->conn]);
        }
    }
    for (uint32_t i = sm_conn_first[t->index]; i < sm_conn_first[t->index + 1u]; i++) {
        struct sm_conn *c = &sm_conns[i];
        bool in_flight = own->state == SM_MSG_DELIVERED && own->conn == (int16_t)i;
        if (c->state != SM_CONN_FREE && !in_flight) {
            free_conn(c);
        }
    }
}
