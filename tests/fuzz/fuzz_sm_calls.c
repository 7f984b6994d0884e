/*
 * fuzz_sm_calls.c: request decoding of the crypto and ITS services through the host SM library
 * (the SM core, the ITS and crypto partitions, in-process over a provisioned RAM flash): an
 * input is a sequence of psa_connect, psa_close and psa_call with any handle, type and vectors.
 *
 * Input: operations, each an opcode byte, then (missing bytes read as 0):
 *   op % 8 == 0  psa_connect: [SID index] [version]
 *   op % 8 == 1  psa_close: [handle index] (an open one, or a closed, stateless or made-up one)
 *   op % 8 in 2..5  a raw psa_call: [target] [type lo] [type hi] [n_in << 4 | n_out], then per
 *                input vector [len lo] [len hi] and that many data bytes, per output vector
 *                [len lo] [len hi]. target % 4: 0 the ITS handle, 1 the crypto handle, 2 an
 *                open handle, 3 a handle in the next 4 bytes.
 *   op % 8 == 6  a well-formed ITS call: [0 set, 1 get, 2 info, 3 remove] [uid % 8] [flags]
 *                [offset] [len] (+ len bytes for set)
 *   op % 8 == 7  end of the sequence
 * In a raw crypto call, a handle or key of LAST (0xFFFFFFFE) in in[0]'s struct crypto_ipc_call
 * is replaced by the last operation handle or key id the service returned: those carry a
 * generation, so a fixed input could not name them otherwise.
 * Each vector lies in its own place of an arena, with guard bytes between them.
 * Oracles:
 * - a call writes only inside its output vectors (every other arena byte is unchanged), and
 *   reports no more written than each output's size;
 * - every status is one the PSA APIs define (success or a PSA error code);
 * - neither service stops (no input may take a service down);
 * - ITS returns only what this client stored under that UID: a model of every successful set
 *   and remove (well-formed or raw) must predict every successful get and info, and a get of a
 *   UID the model lacks must fail;
 * - connections made are closed again, and at the end none is left (but those the test client
 *   partition holds on request, which it is asked to close first).
 * Keys and operations an input creates are destroyed and aborted at its end, its assets
 * removed, so that inputs do not fill the services for the next ones. FUZZ_TRACE=1 prints
 * every call and its status.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto_ipc.h"
#include "fuzz_device.h"
#include "its_ipc.h"
#include "psa/client.h"
#include "psa/storage_common.h"
#include "psa_manifest/sid.h"
#include "sm_host.h"
#include "test_services.h"

#define ARENA     16384u
#define GUARD     16u
#define VEC_MAX   1024u
#define MAX_OPEN  8u
#define MODEL_MAX 512u
#define TRACK_MAX 64u
#define LAST      0xFFFFFFFEu

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, long value)
{
    fprintf(stderr, "FUZZ ORACLE: %s (%ld)\n", what, value);
    abort();
}

/* ---- The input, read as a stream (missing bytes are 0) ---------------------------------- */
struct in {
    const uint8_t *p;
    size_t left;
};

static uint8_t byte(struct in *in)
{
    if (in->left == 0) {
        return 0;
    }
    in->left--;
    return *in->p++;
}

static uint16_t u16(struct in *in)
{
    uint16_t lo = byte(in);
    return (uint16_t)(lo | (byte(in) << 8));
}

/* ---- The model of this client's ITS assets ---------------------------------------------- */
struct asset {
    psa_storage_uid_t uid;
    uint32_t flags;
    size_t len;
    uint8_t *data;
};
static struct asset model[MODEL_MAX];
static unsigned model_n;

static struct asset *model_find(psa_storage_uid_t uid)
{
    for (unsigned i = 0; i < model_n; i++) {
        if (model[i].uid == uid) {
            return &model[i];
        }
    }
    return NULL;
}

static void model_set(psa_storage_uid_t uid, uint32_t flags, const uint8_t *data, size_t len)
{
    struct asset *a = model_find(uid);
    if (a == NULL) {
        if (model_n == MODEL_MAX) {
            fail("more assets than the model holds", (long)model_n);
        }
        a = &model[model_n++];
        a->uid = uid;
        a->data = NULL;
    }
    free(a->data);
    a->data = malloc(len ? len : 1);
    if (len != 0) {
        memcpy(a->data, data, len);
    }
    a->len = len;
    a->flags = flags;
}

static void model_remove(psa_storage_uid_t uid)
{
    struct asset *a = model_find(uid);
    if (a != NULL) {
        free(a->data);
        *a = model[--model_n];
    }
}

/* ---- Keys and operations to clean up after each input -------------------------------------- */
static uint32_t keys[TRACK_MAX];
static unsigned keys_n;
static struct {
    uint16_t abort_func;
    uint32_t handle;
} ops[TRACK_MAX];
static unsigned ops_n;
static psa_handle_t open_h[MAX_OPEN];
static unsigned open_n;
static psa_handle_t closed_h = 0x00010001;
static uint32_t last_key, last_op;

static uint16_t abort_of(uint16_t func)
{
    switch (func) {
    case CRYPTO_IPC_HASH_SETUP:
    case CRYPTO_IPC_HASH_CLONE:
        return CRYPTO_IPC_HASH_ABORT;
    case CRYPTO_IPC_MAC_SIGN_SETUP:
    case CRYPTO_IPC_MAC_VERIFY_SETUP:
        return CRYPTO_IPC_MAC_ABORT;
    case CRYPTO_IPC_CIPHER_ENCRYPT_SETUP:
    case CRYPTO_IPC_CIPHER_DECRYPT_SETUP:
        return CRYPTO_IPC_CIPHER_ABORT;
    case CRYPTO_IPC_AEAD_ENCRYPT_SETUP:
    case CRYPTO_IPC_AEAD_DECRYPT_SETUP:
        return CRYPTO_IPC_AEAD_ABORT;
    case CRYPTO_IPC_KEY_DERIVATION_SETUP:
        return CRYPTO_IPC_KEY_DERIVATION_ABORT;
    default:
        return 0;
    }
}

static bool makes_key(uint16_t func)
{
    return func == CRYPTO_IPC_IMPORT_KEY || func == CRYPTO_IPC_GENERATE_KEY ||
           func == CRYPTO_IPC_COPY_KEY || func == CRYPTO_IPC_KEY_DERIVATION_OUTPUT_KEY;
}

/* ---- Calls ------------------------------------------------------------------------------ */
static uint8_t arena[ARENA], before[ARENA], pattern[ARENA];
static bool trace; /* FUZZ_TRACE=1: every call and its status on stderr */

/* The statuses a reply may carry. ITS and Crypto answer with the PSA APIs' statuses only (no
 * positive value); a test service answers what FF-M leaves to a service, any status (the echo
 * service replies with a count, the caller's client id, or the int32 it was sent). */
static bool allowed(psa_handle_t h, psa_status_t s)
{
    if (h != ITS_IPC_HANDLE && h != CRYPTO_IPC_HANDLE) {
        return true;
    }
    return s == PSA_SUCCESS || (s <= PSA_ERROR_PROGRAMMER_ERROR && s >= PSA_ERROR_DATA_INVALID);
}

static void check_services(void)
{
    if (sm_host_partition_stopped("SM_ITS") || sm_host_partition_stopped("SM_CRYPTO")) {
        fail("a service was stopped by a request", 0);
    }
}

/* psa_call with the oracles on memory and status. out lens are updated by the SM. */
static psa_status_t call(psa_handle_t h, int32_t type, const psa_invec *in, size_t n_in,
                         psa_outvec *out, size_t n_out)
{
    size_t out_size[PSA_MAX_IOVEC];
    for (size_t v = 0; v < n_out; v++) {
        out_size[v] = out[v].len;
    }
    memcpy(before, arena, sizeof(arena));
    psa_status_t s = psa_call(h, type, in, n_in, out, n_out);
    if (trace) {
        fprintf(stderr, "psa_call(%#x, %d, %zu in, %zu out) = %d\n", (unsigned)h, (int)type, n_in,
                n_out, (int)s);
    }
    /* Block by block with memcmp, byte by byte only where something changed: the harness is
     * instrumented too, and a byte loop over the arena took most of its time. */
    for (size_t k = 0; k < sizeof(arena); k++) {
        if (k % 256u == 0 && memcmp(arena + k, before + k, 256) == 0) {
            k += 255;
            continue;
        }
        if (arena[k] == before[k]) {
            continue;
        }
        bool inside = false;
        for (size_t v = 0; v < n_out; v++) {
            const uint8_t *b = out[v].base;
            inside |= &arena[k] >= b && &arena[k] < b + out_size[v];
        }
        if (!inside) {
            fail("a call wrote outside its output vectors", (long)k);
        }
    }
    for (size_t v = 0; v < n_out; v++) {
        if (out[v].len > out_size[v]) {
            fail("an output reports more written than its size", (long)v);
        }
    }
    if (!allowed(h, s)) {
        fail("a status no PSA API defines", (long)s);
    }
    check_services();
    return s;
}

/* Lays out vectors one after another in the arena, GUARD bytes apart. */
struct layout {
    size_t used;
};

static uint8_t *place(struct layout *l, size_t len)
{
    if (l->used + GUARD + len > sizeof(arena)) {
        return NULL;
    }
    uint8_t *p = arena + l->used + GUARD;
    l->used += GUARD + len;
    return p;
}

/* What a successful raw call means for the models. */
static void account(psa_handle_t h, int32_t type, const psa_invec *iv, size_t n_in,
                    const psa_outvec *ov, size_t n_out)
{
    if (h == ITS_IPC_HANDLE && n_in >= 1 && iv[0].len == sizeof(struct its_ipc_args)) {
        struct its_ipc_args a;
        memcpy(&a, iv[0].base, sizeof(a));
        if (type == ITS_IPC_SET) {
            model_set(a.uid, a.flags, n_in >= 2 ? iv[1].base : NULL, n_in >= 2 ? iv[1].len : 0);
        } else if (type == ITS_IPC_REMOVE) {
            model_remove(a.uid);
        } else if (type == ITS_IPC_GET) {
            const struct asset *m = model_find(a.uid);
            if (m == NULL) {
                fail("ITS returned an asset this client never stored", (long)a.uid);
            }
            size_t want = a.offset >= m->len ? 0 : m->len - a.offset;
            want = n_out >= 1 && want > 0 ? (want < ov[0].len ? want : want) : 0;
            if (n_out >= 1 && ov[0].len > 0 &&
                (a.offset > m->len || ov[0].len > m->len - a.offset ||
                 memcmp(ov[0].base, m->data + a.offset, ov[0].len) != 0)) {
                fail("ITS returned data that was not stored at that UID and offset", (long)a.uid);
            }
        } else if (type == ITS_IPC_GET_INFO) {
            const struct asset *m = model_find(a.uid);
            struct psa_storage_info_t info;
            if (m == NULL || n_out < 1 || ov[0].len != sizeof(info)) {
                fail("ITS gave the information of an asset it does not hold", (long)a.uid);
            }
            memcpy(&info, ov[0].base, sizeof(info));
            if (info.size != m->len || info.flags != m->flags) {
                fail("ITS gave wrong information", (long)a.uid);
            }
        }
    }
    if (h == CRYPTO_IPC_HANDLE && type == 0 && n_in >= 1 &&
        iv[0].len == sizeof(struct crypto_ipc_call) && n_out >= 1 && ov[0].len == 4) {
        struct crypto_ipc_call c;
        uint32_t v;
        memcpy(&c, iv[0].base, sizeof(c));
        memcpy(&v, ov[0].base, 4);
        if (makes_key(c.func)) {
            last_key = v;
            if (keys_n < TRACK_MAX) {
                keys[keys_n++] = v;
            }
        } else if (abort_of(c.func) != 0) {
            last_op = v;
            if (ops_n < TRACK_MAX) {
                ops[ops_n].abort_func = abort_of(c.func);
                ops[ops_n++].handle = v;
            }
        }
    }
}

static void raw_call(struct in *in)
{
    uint8_t target = byte(in);
    psa_handle_t h;
    switch (target % 4) {
    case 0:
        h = ITS_IPC_HANDLE;
        break;
    case 1:
        h = CRYPTO_IPC_HANDLE;
        break;
    case 2:
        h = open_n ? open_h[(target >> 2) % open_n] : closed_h;
        break;
    default: {
        uint32_t lo = u16(in);
        h = (psa_handle_t)(lo | ((uint32_t)u16(in) << 16));
        break;
    }
    }
    int32_t type = (int16_t)u16(in);
    uint8_t n = byte(in);
    size_t n_in = (n >> 4) % (PSA_MAX_IOVEC + 1), n_out = (n & 15u) % (PSA_MAX_IOVEC + 1);
    psa_invec iv[PSA_MAX_IOVEC];
    psa_outvec ov[PSA_MAX_IOVEC];
    struct layout l = {0};
    memcpy(arena, pattern, sizeof(arena));
    for (size_t v = 0; v < n_in; v++) {
        size_t len = u16(in) % VEC_MAX;
        uint8_t *p = place(&l, len);
        if (p == NULL) {
            return;
        }
        for (size_t k = 0; k < len; k++) {
            p[k] = byte(in);
        }
        iv[v].base = p;
        iv[v].len = len;
    }
    for (size_t v = 0; v < n_out; v++) {
        size_t len = u16(in) % VEC_MAX;
        uint8_t *p = place(&l, len);
        if (p == NULL) {
            return;
        }
        ov[v].base = p;
        ov[v].len = len;
    }
    if (h == CRYPTO_IPC_HANDLE && n_in >= 1 && iv[0].len == sizeof(struct crypto_ipc_call)) {
        struct crypto_ipc_call c;
        memcpy(&c, iv[0].base, sizeof(c));
        c.handle = c.handle == LAST ? last_op : c.handle;
        c.key = c.key == LAST ? last_key : c.key;
        memcpy((void *)iv[0].base, &c, sizeof(c));
    }
    psa_status_t s = call(h, type, iv, n_in, ov, n_out);
    if (s == PSA_SUCCESS) {
        account(h, type, iv, n_in, ov, n_out);
    }
}

/* A well-formed ITS call on a small set of UIDs, so that sets and gets meet. */
static void its_call(struct in *in)
{
    uint8_t what = byte(in) % 4;
    struct its_ipc_args a = {
        .uid = 1u + byte(in) % 8u, .flags = byte(in) & 0x7u, .offset = byte(in)};
    size_t len = byte(in) * 8u;
    struct layout l = {0};
    uint8_t *args = place(&l, sizeof(a));
    uint8_t *buf = place(&l, len);
    memcpy(args, &a, sizeof(a));
    for (size_t k = 0; k < len; k++) {
        buf[k] = what == 0 ? byte(in) : 0;
    }
    psa_invec iv[2] = {{args, sizeof(a)}, {buf, len}};
    psa_outvec ov[1] = {{buf, what == 2 ? sizeof(struct psa_storage_info_t) : len}};
    static const int32_t types[4] = {ITS_IPC_SET, ITS_IPC_GET, ITS_IPC_GET_INFO, ITS_IPC_REMOVE};
    size_t n_in = what == 0 ? 2 : 1, n_out = what == 1 || what == 2 ? 1 : 0;
    psa_status_t s = call(ITS_IPC_HANDLE, types[what], iv, n_in, ov, n_out);
    if (s == PSA_SUCCESS) {
        account(ITS_IPC_HANDLE, types[what], iv, n_in, ov, n_out);
    } else if (s == PSA_ERROR_DOES_NOT_EXIST && what != 0 && model_find(a.uid) != NULL) {
        fail("ITS lost an asset it had stored", (long)a.uid);
    }
}

static void crypto_simple(uint16_t func, uint32_t key, uint32_t handle)
{
    struct crypto_ipc_call c = {.func = func, .key = key, .handle = handle};
    struct layout l = {0};
    uint8_t *p = place(&l, sizeof(c));
    memcpy(p, &c, sizeof(c));
    psa_invec iv[1] = {{p, sizeof(c)}};
    (void)call(CRYPTO_IPC_HANDLE, 0, iv, 1, NULL, 0);
}

/* Leaves the services as the input found them (apart from write-once assets). */
static void cleanup(void)
{
    for (unsigned i = 0; i < ops_n; i++) {
        crypto_simple(ops[i].abort_func, 0, ops[i].handle);
    }
    for (unsigned i = 0; i < keys_n; i++) {
        crypto_simple(CRYPTO_IPC_DESTROY_KEY, keys[i], 0);
    }
    ops_n = keys_n = 0;
    for (unsigned i = model_n; i-- > 0;) {
        struct its_ipc_args a = {.uid = model[i].uid};
        struct layout l = {0};
        uint8_t *p = place(&l, sizeof(a));
        memcpy(p, &a, sizeof(a));
        psa_invec iv[1] = {{p, sizeof(a)}};
        if (call(ITS_IPC_HANDLE, ITS_IPC_REMOVE, iv, 1, NULL, 0) == PSA_SUCCESS) {
            model_remove(a.uid);
        }
    }
    for (unsigned i = 0; i < open_n; i++) {
        psa_close(open_h[i]);
    }
    open_n = 0;
    /* A raw call may reach the image's test client partition, which holds connections of its
     * own when asked to (CLIENT_CONNS): those are its, released by CLIENT_CLOSE, not leaks. */
    (void)psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_CLOSE, NULL, 0, NULL, 0);
    if (sm_host_open_connections() != 0) {
        fail("connections left open", (long)sm_host_open_connections());
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *t = getenv("FUZZ_TRACE");
    trace = t != NULL && strcmp(t, "1") == 0;
    for (size_t i = 0; i < sizeof(pattern); i++) {
        pattern[i] = (uint8_t)(0xA5 ^ i ^ (i >> 8));
    }
    /* Randomness from the device's seed, not the OS: every run of an input is the same. */
    setenv("SM_HOST_ENTROPY", "none", 1);
    if (fuzz_device_ram(0x10000, 4096) != 0) {
        fail("no device", 0);
    }
    sm_host_start();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t sids[] = {0x100, 0x101, 0x102, 0xDEAD, 0};
    struct in in = {data, size};
    for (unsigned steps = 0; in.left > 0 && steps < 64; steps++) {
        uint8_t op = byte(&in);
        switch (op % 8) {
        case 0: {
            uint32_t sid = sids[byte(&in) % (sizeof(sids) / sizeof(sids[0]))];
            psa_handle_t h = psa_connect(sid, byte(&in) % 4);
            if (h > 0) {
                if (open_n == MAX_OPEN) {
                    psa_close(h);
                } else {
                    open_h[open_n++] = h;
                }
            } else if (h != PSA_ERROR_CONNECTION_REFUSED && h != PSA_ERROR_CONNECTION_BUSY &&
                       h != PSA_ERROR_PROGRAMMER_ERROR) {
                fail("psa_connect returned a status it may not", (long)h);
            }
            check_services();
            break;
        }
        case 1: {
            uint8_t i = byte(&in);
            if (open_n > 0 && i < 128) {
                unsigned k = i % open_n;
                psa_close(open_h[k]);
                closed_h = open_h[k];
                open_h[k] = open_h[--open_n];
            }
            check_services();
            break;
        }
        case 6:
            its_call(&in);
            break;
        case 7:
            in.left = 0;
            break;
        default:
            raw_call(&in);
            break;
        }
    }
    cleanup();
    return 0;
}
