/*
 * crypto_partition.c: the crypto partition: serves the PSA Crypto API (crypto_ipc.h) with Mbed
 * TLS's PSA Crypto core, for every client at once.
 *
 * - Key ownership: every key id a client names is made into Mbed TLS's (owner, id) pair with
 *   the caller's client id, so a client can only reach its own keys; another client's key is
 *   exactly as absent as a key that does not exist (Mbed TLS answers PSA_ERROR_INVALID_HANDLE
 *   for both).
 * - Reservations: the clients are those the manifests allow (SM_CRYPTO_CLIENT_IDS: the NS world
 *   and every partition depending on SM_CRYPTO), and each has its own share of every table,
 *   so that no client's use can make another's call fail: operation slots (CRYPTO_OPS_NS for
 *   the NS world, CRYPTO_OPS_PARTITION for a partition), and volatile keys (CRYPTO_KEYS_NS,
 *   CRYPTO_KEYS_PARTITION) in Mbed TLS's key slot table, which holds all the clients' shares
 *   plus CRYPTO_KEYS_TRANSIENT slots for what one request needs besides
 *   (a persistent key loaded or being created, a copy's source). A client past its share gets
 *   PSA_ERROR_INSUFFICIENT_MEMORY and nothing changes. What a client partition that stopped
 *   left (operations, volatile keys) is freed at the next setup or key creation.
 * - Secure modules are clients too: their ids are their vendors' and the SM learns them only
 *   at boot, so CRYPTO_MODULES shares (CRYPTO_OPS_MODULE, CRYPTO_KEYS_MODULE) are kept
 *   unclaimed and each goes to the first module that calls (a positive client id the manifests
 *   do not name can only be a module's: the core refuses a built-in partition's call it did not
 *   declare). Its keys are (module id, key id) pairs like any client's.
 * - Multipart operations live here, in a fixed table, each client's slots a range of it. A
 *   handle names a slot and its generation, and works only for the client that owns the slot
 *   and for the kind of operation it holds. A slot is freed on abort and on a finish or
 *   verify that succeeds; an operation a call left in error stays its client's until it is
 *   aborted, as Mbed TLS's does, and a setup on a handle is Mbed TLS's setup on that object.
 * - Data moves through two buffers of CRYPTO_IO_SIZE bytes (at least the largest key): a
 *   one-shot function's input and output must fit them, but for hash, MAC, cipher and AEAD
 *   encryption, where the multipart form computes the same thing, larger data is streamed
 *   through the multipart form in CRYPTO_CHUNK pieces. Updates always stream.
 * - Memory: Mbed TLS allocates (bignums, key material) from a static arena of its own.
 */
/* Whether Mbed TLS left an operation active is in its private fields (op_active). */
#define MBEDTLS_ALLOW_PRIVATE_ACCESS
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "crypto_ipc.h"
#include "mbedtls/memory_buffer_alloc.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/sha256.h"
#include "psa/crypto.h"
#include "psa/service.h"
#include "psa_manifest/crypto.h"
#include "psa_manifest/sid.h"
#include "sm/sm_device.h"
#include "sm/sm_service.h"

_Static_assert(SM_CRYPTO_HANDLE == CRYPTO_IPC_HANDLE,
               "crypto.json and crypto_ipc.h name the same handle");

/* The reservations (see the top; the numbers are in docs/design/crypto.md, Quotas). */
/* The NS world stands for every NS application (threads, a TLS stack...), so it gets more
 * than a partition, a single thread with a known job. */
#define CRYPTO_CLIENTS       SM_CRYPTO_CLIENT_COUNT
#define CRYPTO_NS            SM_CRYPTO_NS_CLIENTS /* 1: client 0 is the NS world */
#define CRYPTO_PARTITIONS    (CRYPTO_CLIENTS - CRYPTO_NS)
#define CRYPTO_OPS_NS        4
#define CRYPTO_OPS_PARTITION 2
/* The SM's module slots (SM_MODULE_SLOTS_MAX): 4, or what the profile's images load (the
 * product's 2, services/crypto/CMakeLists.txt). */
#ifndef CRYPTO_MODULES
#define CRYPTO_MODULES 4
#endif
#define CRYPTO_ALL (CRYPTO_CLIENTS + CRYPTO_MODULES)
/* A module's operations: 1, or what the profile sets (the product's: none; an operation is
 * about 1.3 KB of RAM, docs/design/modules.md). */
#ifndef CRYPTO_OPS_MODULE
#define CRYPTO_OPS_MODULE 1
#endif
#define CRYPTO_OPS                                                                                 \
    (CRYPTO_NS * CRYPTO_OPS_NS + CRYPTO_PARTITIONS * CRYPTO_OPS_PARTITION +                        \
     CRYPTO_MODULES * CRYPTO_OPS_MODULE)
#define CRYPTO_KEYS_NS        8 /* volatile keys */
#define CRYPTO_KEYS_PARTITION 4
#define CRYPTO_KEYS_MODULE    1
#define CRYPTO_KEYS                                                                                \
    (CRYPTO_NS * CRYPTO_KEYS_NS + CRYPTO_PARTITIONS * CRYPTO_KEYS_PARTITION +                      \
     CRYPTO_MODULES * CRYPTO_KEYS_MODULE)
#define CRYPTO_KEYS_TRANSIENT 2 /* a copy: its source (perhaps persistent) and the new key */
_Static_assert(MBEDTLS_PSA_KEY_SLOT_COUNT >= CRYPTO_KEYS + CRYPTO_KEYS_TRANSIENT,
               "the key slot table (crypto_service_config.h) holds every client's share");
_Static_assert(CRYPTO_OPS <= 255, "an operation handle has 8 bits for the slot");
#define CRYPTO_CHUNK 256
/* The buffers and the arena: these sizes unless the build's profile sets others
 * (services/crypto/CMakeLists.txt; docs/design/footprint.md). */
#ifndef CRYPTO_IO_SIZE
#define CRYPTO_IO_SIZE 2432
#endif
#ifndef CRYPTO_ARENA_SIZE
#define CRYPTO_ARENA_SIZE (20 * 1024)
#endif
_Static_assert(CRYPTO_IO_SIZE >= PSA_EXPORT_KEY_PAIR_OR_PUBLIC_MAX_SIZE,
               "a whole key fits the buffers");
_Static_assert(CRYPTO_IO_SIZE >= 2u * CRYPTO_CHUNK &&
                   CRYPTO_IO_SIZE >= PSA_CIPHER_UPDATE_OUTPUT_MAX_SIZE(CRYPTO_CHUNK) &&
                   CRYPTO_IO_SIZE >= PSA_AEAD_UPDATE_OUTPUT_MAX_SIZE(CRYPTO_CHUNK),
               "streaming: two chunks in (one read ahead), a chunk's output out");
_Static_assert(CRYPTO_IO_SIZE / 2u >= PSA_SIGNATURE_MAX_SIZE &&
                   CRYPTO_IO_SIZE / 2u >= PSA_HASH_MAX_SIZE,
               "an interruptible verification's hash and signature, each in half of in_buf");

enum op_kind { OP_FREE, OP_HASH, OP_MAC, OP_CIPHER, OP_AEAD, OP_KDF, OP_SIGN, OP_VERIFY };

struct op {
    int32_t owner;
    uint8_t kind;
    uint32_t gen; /* 24 bits in a handle: a stale handle names no later operation of its slot */
    union {
        psa_hash_operation_t hash;
        psa_mac_operation_t mac;
        psa_cipher_operation_t cipher;
        psa_aead_operation_t aead;
        psa_key_derivation_operation_t kdf;
        psa_sign_hash_interruptible_operation_t sign;
        psa_verify_hash_interruptible_operation_t verify;
    } u;
};

static struct op ops[CRYPTO_OPS]; /* each client's share a range (share()) */
/* The manifests' clients, then the modules' shares: 0 until a module claims one (client_of). */
static int32_t client_ids[CRYPTO_ALL] = SM_CRYPTO_CLIENT_IDS;
/* The clients' volatile keys (their ids; 0 for none), each client's share a range: what it
 * holds of the key slot table. */
static psa_key_id_t volatile_keys[CRYPTO_KEYS];
static uint8_t in_buf[CRYPTO_IO_SIZE], out_buf[CRYPTO_IO_SIZE];
static uint8_t arena[CRYPTO_ARENA_SIZE] __attribute__((aligned(8)));
static psa_status_t init_status = PSA_ERROR_BAD_STATE;

/* The request being served, its client's index in client_ids (CRYPTO_ALL for a client that
 * has no share of anything: a module when every module share is taken, which cannot happen
 * with at most CRYPTO_MODULES modules loaded), and the bytes written to each of its
 * out vectors so far. */
static const psa_msg_t *msg;
static uint32_t caller;
static struct crypto_ipc_call call;
static size_t written[PSA_MAX_IOVEC];

/* ---- data ------------------------------------------------------------------------------- */

/* Bytes of in_buf this request has filled, wiped before the reply (serve). */
static size_t in_dirty;

static void dirty_in(const uint8_t *buf, size_t n)
{
    if (buf >= in_buf && buf < in_buf + sizeof(in_buf)) {
        size_t end = (size_t)(buf - in_buf) + n;
        in_dirty = end > in_dirty ? end : in_dirty;
    }
}

/* The whole of in[i] into buf (at most cap bytes); *n is what was read, 0 on failure. Too
 * large for the service gives INSUFFICIENT_MEMORY and reads nothing. */
static psa_status_t read_in(uint32_t i, uint8_t *buf, size_t cap, size_t *n)
{
    *n = 0;
    const size_t want = msg->in_size[i];
    if (want > cap) {
        return PSA_ERROR_INSUFFICIENT_MEMORY;
    }
    dirty_in(buf, want);
    /* Nothing to read is no supervisor call (psa_read would return 0). */
    if (want != 0u && psa_read(msg->handle, i, buf, want) != want) {
        return PSA_ERROR_COMMUNICATION_FAILURE;
    }
    *n = want;
    return PSA_SUCCESS;
}

/* A short input that Mbed TLS checks itself (an IV, a nonce, a tag, a hash or MAC to compare):
 * in[i] into buf (max + 1 bytes) if it is at most `max` bytes; a longer one is passed on as
 * max + 1 zeros, a length Mbed TLS refuses in its own order of checks (the state first), so
 * the answer and the operation's state after it are Mbed TLS's. */
static psa_status_t short_in(uint32_t i, uint8_t *buf, size_t max, size_t *n)
{
    if (msg->in_size[i] > max) {
        memset(buf, 0, max + 1u);
        *n = max + 1u;
        return PSA_SUCCESS;
    }
    return read_in(i, buf, max, n);
}

static size_t room(uint32_t i, size_t cap)
{
    return msg->out_size[i] < cap ? msg->out_size[i] : cap;
}

static void write_out(uint32_t i, const void *p, size_t n)
{
    psa_write(msg->handle, i, p, n);
    written[i] += n;
}

static void put_u32(uint32_t i, uint32_t v)
{
    write_out(i, &v, sizeof(v));
}

static mbedtls_svc_key_id_t key_of(uint32_t id)
{
    return mbedtls_svc_key_id_make(msg->client_id, id);
}

static psa_status_t read_attr(uint32_t i, psa_key_attributes_t *a)
{
    struct crypto_ipc_attr w;
    if (msg->in_size[i] != sizeof(w) || psa_read(msg->handle, i, &w, sizeof(w)) != sizeof(w)) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    *a = psa_key_attributes_init();
    psa_set_key_type(a, w.type);
    psa_set_key_bits(a, w.bits);
    psa_set_key_usage_flags(a, w.usage);
    psa_set_key_algorithm(a, w.alg);
    psa_set_key_enrollment_algorithm(a, w.alg2);
    /* Setting an id makes the key persistent, a volatile lifetime clears the id: in this
     * order the pair arrives as the client set it. */
    if (!PSA_KEY_LIFETIME_IS_VOLATILE(w.lifetime)) {
        psa_set_key_id(a, key_of(w.id));
    }
    psa_set_key_lifetime(a, w.lifetime);
    /* A volatile key's id is made by Mbed TLS, its owner taken from here. */
    mbedtls_set_key_owner_id(a, msg->client_id);
    return PSA_SUCCESS;
}

static void write_attr(uint32_t i, const psa_key_attributes_t *a)
{
    const struct crypto_ipc_attr w = crypto_ipc_attr_of(a);
    write_out(i, &w, sizeof(w));
}

/* ---- shares ----------------------------------------------------------------------------- */

/* Client c's share of a table where the NS world has `ns` entries, a partition `part` and a
 * module `mod`: the entries from *first on, as many as returned (none for CRYPTO_ALL). */
static uint32_t share(uint32_t c, uint32_t ns, uint32_t part, uint32_t mod, uint32_t *first)
{
    if (c < CRYPTO_NS) {
        *first = 0;
        return ns;
    }
    if (c < CRYPTO_CLIENTS) {
        *first = CRYPTO_NS * ns + (c - CRYPTO_NS) * part;
        return part;
    }
    *first = CRYPTO_NS * ns + CRYPTO_PARTITIONS * part + (c - CRYPTO_CLIENTS) * mod;
    return c < CRYPTO_ALL ? mod : 0u;
}

static psa_key_id_t *key_share(uint32_t c, uint32_t *n)
{
    uint32_t first;
    *n = share(c, CRYPTO_KEYS_NS, CRYPTO_KEYS_PARTITION, CRYPTO_KEYS_MODULE, &first);
    return &volatile_keys[*n != 0u ? first : 0u];
}

static struct op *op_share(uint32_t c, uint32_t *n)
{
    uint32_t first;
    *n = share(c, CRYPTO_OPS_NS, CRYPTO_OPS_PARTITION, CRYPTO_OPS_MODULE, &first);
    return &ops[*n != 0u ? first : 0u];
}

/* ---- key slots -------------------------------------------------------------------------- */

static void reclaim(void);

/* Before a key is made with attributes a: where its id goes if it is volatile (*entry, a free
 * place in the caller's share; NULL for a persistent key, which only passes through a slot:
 * Mbed TLS evicts an unused persistent key when it needs the slot). A caller whose share is
 * full gets INSUFFICIENT_MEMORY before Mbed TLS is asked for anything. */
static psa_status_t key_reserve(const psa_key_attributes_t *a, psa_key_id_t **entry)
{
    *entry = NULL;
    reclaim();
    if (!PSA_KEY_LIFETIME_IS_VOLATILE(psa_get_key_lifetime(a))) {
        return PSA_SUCCESS;
    }
    uint32_t n;
    psa_key_id_t *mine = key_share(caller, &n);
    for (uint32_t i = 0; i < n; i++) {
        if (mine[i] == 0u) {
            *entry = &mine[i];
            return PSA_SUCCESS;
        }
    }
    return PSA_ERROR_INSUFFICIENT_MEMORY;
}

/* After a key was made (status): its id into the entry key_reserve gave. */
static void key_made(psa_status_t status, psa_key_id_t *entry, mbedtls_svc_key_id_t id)
{
    if (status == PSA_SUCCESS && entry != NULL) {
        *entry = MBEDTLS_SVC_KEY_ID_GET_KEY_ID(id);
    }
}

/* After a destroy of the caller's key `id`: its place is free once the key is gone (whatever
 * the destroy returned: a failing one may still have removed it). */
static void key_gone(uint32_t id)
{
    uint32_t n;
    psa_key_id_t *mine = key_share(caller, &n);
    for (uint32_t i = 0; i < n && id != 0u; i++) {
        if (mine[i] == id) {
            psa_key_attributes_t a = psa_key_attributes_init();
            if (psa_get_key_attributes(key_of(id), &a) != PSA_SUCCESS) {
                mine[i] = 0;
            }
            psa_reset_key_attributes(&a);
        }
    }
}

/* ---- operations ------------------------------------------------------------------------- */

static void op_free(struct op *o);

/* id's index in client_ids; a module's first call claims the first free module share. */
static uint32_t client_of(int32_t id)
{
    if (id == 0) {
        return CRYPTO_ALL; /* no client's id: it must not match a free share */
    }
    uint32_t c = 0;
    while (c < CRYPTO_ALL && client_ids[c] != id) {
        c++;
    }
    if (c < CRYPTO_ALL || id < 0) {
        return c;
    }
    for (c = CRYPTO_CLIENTS; c < CRYPTO_ALL && client_ids[c] != 0; c++) {
    }
    if (c < CRYPTO_ALL) {
        client_ids[c] = id;
    }
    return c;
}

/* Frees what client partitions that stopped left: their shares are useless to anyone else,
 * but their operations and keys hold Mbed TLS memory (the arena, shared by all). The NS world
 * never stops; a client holding nothing costs no question to the core. */
static void reclaim(void)
{
    for (uint32_t c = CRYPTO_NS; c < CRYPTO_ALL; c++) {
        if (client_ids[c] == 0) {
            continue; /* a module share no module took */
        }
        uint32_t n_ops, n_keys;
        struct op *o = op_share(c, &n_ops);
        psa_key_id_t *keys = key_share(c, &n_keys);
        bool holds = false;
        for (uint32_t i = 0; i < n_ops; i++) {
            holds = holds || o[i].kind != OP_FREE;
        }
        for (uint32_t i = 0; i < n_keys; i++) {
            holds = holds || keys[i] != 0u;
        }
        if (!holds || c == caller || sm_client_running(client_ids[c]) != 0u) {
            continue;
        }
        for (uint32_t i = 0; i < n_ops; i++) {
            if (o[i].kind != OP_FREE) {
                op_free(&o[i]);
            }
        }
        for (uint32_t i = 0; i < n_keys; i++) {
            if (keys[i] != 0u) {
                (void)psa_destroy_key(mbedtls_svc_key_id_make(client_ids[c], keys[i]));
                keys[i] = 0;
            }
        }
    }
}

/* A free slot of the caller's own share, or NULL. */
static struct op *op_new(enum op_kind kind)
{
    reclaim();
    uint32_t n;
    struct op *mine = op_share(caller, &n), *free_slot = NULL;
    for (uint32_t i = 0; i < n && free_slot == NULL; i++) {
        free_slot = mine[i].kind == OP_FREE ? &mine[i] : NULL;
    }
    if (free_slot == NULL) {
        return NULL;
    }
    memset(&free_slot->u, 0, sizeof(free_slot->u)); /* every PSA operation's INIT is zeros */
    free_slot->kind = (uint8_t)kind;
    free_slot->owner = msg->client_id;
    free_slot->gen++;
    return free_slot;
}

static uint32_t op_handle(const struct op *o)
{
    return (uint32_t)(o - ops) + 1u + ((o->gen & 0xFFFFFFu) << 8);
}

/* The caller's operation of `kind` whose handle is h, or NULL. */
static struct op *op_named(enum op_kind kind, uint32_t h)
{
    uint32_t i = (h & 0xFFu) - 1u;
    if (i >= CRYPTO_OPS || ops[i].kind != kind || ops[i].owner != msg->client_id ||
        op_handle(&ops[i]) != h) {
        return NULL;
    }
    return &ops[i];
}

static struct op *op_find(enum op_kind kind)
{
    return op_named(kind, call.handle);
}

static struct op local;

/* The caller's operation of `kind` that call.handle names. When there is none (handle 0, or an
 * operation that ended), the call is Mbed TLS's on an inactive operation object, a fresh one,
 * so the answer is Mbed TLS's own (BAD_STATE for most; each function checks in its own order:
 * a key agreement answers INVALID_ARGUMENT first). An abort of one succeeds, as Mbed TLS's. */
static struct op *op_of(enum op_kind kind, uint16_t abort_func, psa_status_t *status)
{
    struct op *o = op_find(kind);
    if (o == NULL) {
        if (call.func == abort_func) {
            *status = PSA_SUCCESS;
            return NULL;
        }
        memset(&local, 0, sizeof(local));
        local.kind = (uint8_t)kind;
        o = &local;
    }
    return o;
}

static void op_free(struct op *o)
{
    switch (o->kind) {
    case OP_HASH:
        (void)psa_hash_abort(&o->u.hash);
        break;
    case OP_MAC:
        (void)psa_mac_abort(&o->u.mac);
        break;
    case OP_CIPHER:
        (void)psa_cipher_abort(&o->u.cipher);
        break;
    case OP_AEAD:
        (void)psa_aead_abort(&o->u.aead);
        break;
    case OP_KDF:
        (void)psa_key_derivation_abort(&o->u.kdf);
        break;
    case OP_SIGN:
        (void)psa_sign_hash_abort(&o->u.sign);
        break;
    case OP_VERIFY:
        (void)psa_verify_hash_abort(&o->u.verify);
        break;
    default:
        break;
    }
    mbedtls_platform_zeroize(&o->u, sizeof(o->u));
    o->kind = OP_FREE;
}

/* Whether Mbed TLS's operation in o is active: set up and not ended (a key derivation whose
 * capacity is used up, or which failed, keeps its algorithm: it still answers
 * INSUFFICIENT_DATA rather than BAD_STATE). */
static bool op_active(const struct op *o)
{
    switch (o->kind) {
    case OP_HASH:
        return o->u.hash.MBEDTLS_PRIVATE(id) != 0u;
    case OP_MAC:
        return o->u.mac.MBEDTLS_PRIVATE(id) != 0u;
    case OP_CIPHER:
        return o->u.cipher.MBEDTLS_PRIVATE(id) != 0u;
    case OP_AEAD:
        return o->u.aead.MBEDTLS_PRIVATE(id) != 0u;
    case OP_KDF:
        return o->u.kdf.MBEDTLS_PRIVATE(alg) != 0u;
    /* An interruptible one that failed answers BAD_STATE until it is aborted, and one that
     * completed still tells its number of operations: both keep their slot until the abort. */
    case OP_SIGN:
        return o->u.sign.MBEDTLS_PRIVATE(id) != 0u || o->u.sign.MBEDTLS_PRIVATE(error_occurred) ||
               o->u.sign.MBEDTLS_PRIVATE(num_ops) != 0u;
    case OP_VERIFY:
        return o->u.verify.MBEDTLS_PRIVATE(id) != 0u ||
               o->u.verify.MBEDTLS_PRIVATE(error_occurred) ||
               o->u.verify.MBEDTLS_PRIVATE(num_ops) != 0u;
    default:
        return false;
    }
}

/* The end of every call on operation o: an operation Mbed TLS left inactive (it finished, or
 * a failure ended it) is freed, and the handle the client still holds names nothing from then
 * on, which is what an inactive operation object is to Mbed TLS: BAD_STATE for every call but
 * an abort (success) and a setup (a new start). One that a failure left active (Mbed TLS keeps
 * some usable, a key derivation's capacity after a refused set_capacity) stays its client's
 * until the abort, as Mbed TLS's does. */
static psa_status_t op_done(struct op *o, psa_status_t status)
{
    if (o == &local || !op_active(o)) {
        op_free(o);
    }
    return status;
}

/*
 * A setup by `setup` of the operation whose handle is h. Handle 0, or one that names no
 * operation any more (it ended), is a fresh object: a new slot, its handle to out[0] if the
 * setup succeeds or leaves the operation active. The handle of a live operation: the client's
 * object is not fresh, so the setup is Mbed TLS's on that operation, exactly as on an object in use
 * (BAD_STATE, which also ends it).
 */
static psa_status_t op_start_on(enum op_kind kind, uint32_t h, psa_status_t (*setup)(struct op *o))
{
    if (msg->out_size[0] < sizeof(uint32_t)) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    struct op *o = h != 0u ? op_named(kind, h) : NULL;
    if (o == NULL && (o = op_new(kind)) == NULL) {
        return PSA_ERROR_INSUFFICIENT_MEMORY;
    }
    psa_status_t status = setup(o);
    if (status == PSA_SUCCESS || op_active(o)) {
        /* Started, or left in error (an interruptible start that failed answers BAD_STATE until
         * it is aborted): the client holds it either way. */
        put_u32(0, op_handle(o));
    }
    return op_done(o, status);
}

static psa_status_t op_start(enum op_kind kind, psa_status_t (*setup)(struct op *o))
{
    return op_start_on(kind, call.handle, setup);
}

/* Streams in[i] into an operation, a whole in_buf at a time: nothing comes out, so the buffer
 * needs no room for a read-ahead or an output, and each psa_read and update is paid once per
 * 2 KiB and not per chunk (crypto.md, "Measured"); only what the input fills is dirty. */
static psa_status_t absorb(uint32_t i, struct op *o,
                           psa_status_t (*eat)(struct op *o, const uint8_t *p, size_t n))
{
    size_t n;
    if (msg->in_size[i] == 0u) {
        return eat(o, in_buf, 0); /* Mbed TLS still checks the state */
    }
    dirty_in(in_buf, msg->in_size[i] < sizeof(in_buf) ? msg->in_size[i] : sizeof(in_buf));
    while ((n = psa_read(msg->handle, i, in_buf, sizeof(in_buf))) > 0) {
        psa_status_t status = eat(o, in_buf, n);
        if (status != PSA_SUCCESS) {
            return status;
        }
    }
    return PSA_SUCCESS;
}

/* Room left in out[0] (at most `cap`). */
static size_t left0(size_t cap)
{
    size_t left = msg->out_size[0] - written[0];
    return left < cap ? left : cap;
}

typedef psa_status_t (*step_fn)(struct op *o, const uint8_t *in, size_t n, uint8_t *out,
                                size_t size, size_t *len);

/* Streams in[i] through a transforming update (cipher, AEAD) into out[0], after `prefix` (an
 * IV) if there is one; Mbed TLS sees the room left in the client's buffer, so it reports
 * BUFFER_TOO_SMALL itself. The output may be the input's own memory (in place) and run ahead
 * of it by the prefix and a block: each chunk is read before the output of the chunk before it
 * is written, so nothing is overwritten before it is read. */
static psa_status_t transform(uint32_t i, struct op *o, step_fn step, const uint8_t *prefix,
                              size_t prefix_len)
{
    uint8_t *cur = in_buf, *next = in_buf + CRYPTO_CHUNK;
    dirty_in(in_buf, 2u * CRYPTO_CHUNK);
    size_t n = psa_read(msg->handle, i, cur, CRYPTO_CHUNK);
    if (prefix_len > 0u) {
        write_out(0, prefix, prefix_len);
    }
    if (n == 0u) { /* no input: Mbed TLS still checks the state and the buffer */
        size_t len = 0;
        psa_status_t status = step(o, cur, 0, out_buf, left0(sizeof(out_buf)), &len);
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
        }
        return status;
    }
    while (n > 0u) {
        size_t len = 0;
        psa_status_t status = step(o, cur, n, out_buf, left0(sizeof(out_buf)), &len);
        if (status != PSA_SUCCESS) {
            return status;
        }
        n = psa_read(msg->handle, i, next, CRYPTO_CHUNK);
        write_out(0, out_buf, len);
        uint8_t *t = cur;
        cur = next;
        next = t;
    }
    return PSA_SUCCESS;
}

/* ---- the calls, by family ---------------------------------------------------------------- */

static psa_status_t hash_eat(struct op *o, const uint8_t *p, size_t n)
{
    return psa_hash_update(&o->u.hash, p, n);
}

static psa_status_t mac_eat(struct op *o, const uint8_t *p, size_t n)
{
    return psa_mac_update(&o->u.mac, p, n);
}

static psa_status_t ad_eat(struct op *o, const uint8_t *p, size_t n)
{
    return psa_aead_update_ad(&o->u.aead, p, n);
}

static psa_status_t cipher_step(struct op *o, const uint8_t *in, size_t n, uint8_t *out,
                                size_t size, size_t *len)
{
    return psa_cipher_update(&o->u.cipher, in, n, out, size, len);
}

static psa_status_t aead_step(struct op *o, const uint8_t *in, size_t n, uint8_t *out, size_t size,
                              size_t *len)
{
    return psa_aead_update(&o->u.aead, in, n, out, size, len);
}

/* The ends of a hash or MAC, for the multipart calls and the one-shots that stream: the value
 * to out[0], or compared with the one in[i]. */
static psa_status_t hash_finish_out(struct op *o)
{
    size_t n = 0;
    psa_status_t status = psa_hash_finish(&o->u.hash, out_buf, room(0, PSA_HASH_MAX_SIZE), &n);
    if (status == PSA_SUCCESS) {
        write_out(0, out_buf, n);
    }
    return status;
}

static psa_status_t hash_verify_in(struct op *o, uint32_t i)
{
    size_t n = 0;
    psa_status_t status = short_in(i, out_buf, PSA_HASH_MAX_SIZE, &n);
    return status == PSA_SUCCESS ? psa_hash_verify(&o->u.hash, out_buf, n) : status;
}

static psa_status_t mac_finish_out(struct op *o)
{
    size_t n = 0;
    psa_status_t status = psa_mac_sign_finish(&o->u.mac, out_buf, room(0, PSA_MAC_MAX_SIZE), &n);
    if (status == PSA_SUCCESS) {
        write_out(0, out_buf, n);
    }
    return status;
}

static psa_status_t mac_verify_in(struct op *o, uint32_t i)
{
    size_t n = 0;
    psa_status_t status = short_in(i, out_buf, PSA_MAC_MAX_SIZE, &n);
    return status == PSA_SUCCESS ? psa_mac_verify_finish(&o->u.mac, out_buf, n) : status;
}

static psa_status_t hash_setup(struct op *o)
{
    return psa_hash_setup(&o->u.hash, call.alg);
}

static psa_status_t mac_sign_setup(struct op *o)
{
    return psa_mac_sign_setup(&o->u.mac, key_of(call.key), call.alg);
}

static psa_status_t mac_verify_setup(struct op *o)
{
    return psa_mac_verify_setup(&o->u.mac, key_of(call.key), call.alg);
}

static psa_status_t cipher_encrypt_setup(struct op *o)
{
    return psa_cipher_encrypt_setup(&o->u.cipher, key_of(call.key), call.alg);
}

static psa_status_t cipher_decrypt_setup(struct op *o)
{
    return psa_cipher_decrypt_setup(&o->u.cipher, key_of(call.key), call.alg);
}

static psa_status_t aead_encrypt_setup(struct op *o)
{
    return psa_aead_encrypt_setup(&o->u.aead, key_of(call.key), call.alg);
}

static psa_status_t aead_decrypt_setup(struct op *o)
{
    return psa_aead_decrypt_setup(&o->u.aead, key_of(call.key), call.alg);
}

static psa_status_t kdf_setup(struct op *o)
{
    return psa_key_derivation_setup(&o->u.kdf, call.alg);
}

static struct op *source_op; /* HASH_CLONE's source, for hash_clone_setup */
static psa_status_t hash_clone_setup(struct op *o)
{
    return psa_hash_clone(&source_op->u.hash, &o->u.hash);
}

/* `local`: the one-shot functions' operation (they stream), and an inactive one (op_of). */

/* The custom production parameters of a key: their flags in n0, their data in in[2] (into
 * in_buf, *n bytes). */
static psa_status_t read_custom(psa_custom_key_parameters_t *custom, size_t *n)
{
    custom->flags = (uint32_t)call.n0;
    return call.n0 > UINT32_MAX ? PSA_ERROR_INVALID_ARGUMENT
                                : read_in(2, in_buf, sizeof(in_buf), n);
}

static psa_status_t key_management(void)
{
    psa_key_attributes_t attr;
    mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
    size_t n = 0;
    psa_status_t status;
    switch (call.func) {
    case CRYPTO_IPC_IMPORT_KEY:
    case CRYPTO_IPC_GENERATE_KEY:
    case CRYPTO_IPC_GENERATE_KEY_CUSTOM:
    case CRYPTO_IPC_COPY_KEY: {
        psa_key_id_t *entry = NULL;
        status = read_attr(1, &attr);
        if (status == PSA_SUCCESS && msg->out_size[0] < sizeof(uint32_t)) {
            status = PSA_ERROR_PROGRAMMER_ERROR;
        }
        if (status == PSA_SUCCESS) {
            status = key_reserve(&attr, &entry);
        }
        if (status == PSA_SUCCESS && call.func == CRYPTO_IPC_IMPORT_KEY) {
            status = read_in(2, in_buf, sizeof(in_buf), &n);
            if (status == PSA_SUCCESS) {
                status = psa_import_key(&attr, in_buf, n, &id);
            }
            mbedtls_platform_zeroize(in_buf, n);
        } else if (status == PSA_SUCCESS && call.func == CRYPTO_IPC_GENERATE_KEY) {
            status = psa_generate_key(&attr, &id);
        } else if (status == PSA_SUCCESS && call.func == CRYPTO_IPC_GENERATE_KEY_CUSTOM) {
            psa_custom_key_parameters_t custom = PSA_CUSTOM_KEY_PARAMETERS_INIT;
            status = read_custom(&custom, &n);
            if (status == PSA_SUCCESS) {
                status = psa_generate_key_custom(&attr, &custom, in_buf, n, &id);
            }
        } else if (status == PSA_SUCCESS) {
            status = psa_copy_key(key_of(call.key), &attr, &id);
        }
        key_made(status, entry, id);
        if (status == PSA_SUCCESS) {
            put_u32(0, MBEDTLS_SVC_KEY_ID_GET_KEY_ID(id));
        }
        psa_reset_key_attributes(&attr);
        return status;
    }
    case CRYPTO_IPC_EXPORT_KEY:
    case CRYPTO_IPC_EXPORT_PUBLIC_KEY:
        status =
            call.func == CRYPTO_IPC_EXPORT_KEY
                ? psa_export_key(key_of(call.key), out_buf, room(0, sizeof(out_buf)), &n)
                : psa_export_public_key(key_of(call.key), out_buf, room(0, sizeof(out_buf)), &n);
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, n);
        }
        mbedtls_platform_zeroize(out_buf, n);
        return status;
    case CRYPTO_IPC_DESTROY_KEY:
        status = psa_destroy_key(key_of(call.key));
        key_gone(call.key);
        return status;
    case CRYPTO_IPC_PURGE_KEY:
        return psa_purge_key(key_of(call.key));
    case CRYPTO_IPC_GET_KEY_ATTRIBUTES:
        if (msg->out_size[0] < sizeof(struct crypto_ipc_attr)) {
            return PSA_ERROR_PROGRAMMER_ERROR;
        }
        attr = psa_key_attributes_init();
        status = psa_get_key_attributes(key_of(call.key), &attr);
        if (status == PSA_SUCCESS) {
            write_attr(0, &attr);
        }
        psa_reset_key_attributes(&attr);
        return status;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

/*
 * A one-shot SHA-256 (n bytes in in_buf) by Mbed TLS's SHA-256 module itself, without the PSA
 * core's operation object around it (its setup, abort and their wipes cost a fifth of a
 * 0-byte hash): the digest to out[0], true. This is exactly what psa_hash_compute does through
 * the built-in driver (psa_crypto_hash.c: the same module's starts, update and finish), and
 * its only other answer for SHA-256, BUFFER_TOO_SMALL for an output under 32 bytes, is left to
 * psa_hash_compute, as is a failure of the module (none in this build): false, nothing written.
 * The context is on the stack and wiped by Mbed TLS (mbedtls_sha256 frees it).
 */
static bool sha256_direct(size_t n)
{
#if defined(MBEDTLS_PSA_BUILTIN_ALG_SHA_256)
    if (call.alg != PSA_ALG_SHA_256 ||
        room(0, PSA_HASH_MAX_SIZE) < PSA_HASH_LENGTH(PSA_ALG_SHA_256) ||
        mbedtls_sha256(in_buf, n, out_buf, 0) != 0) {
        return false;
    }
    write_out(0, out_buf, PSA_HASH_LENGTH(PSA_ALG_SHA_256));
    return true;
#else
    (void)n;
    return false;
#endif
}

static psa_status_t hash_calls(void)
{
    struct op *o = NULL;
    size_t n = 0;
    psa_status_t status;
    switch (call.func) {
    case CRYPTO_IPC_HASH_COMPUTE:
        if (msg->in_size[1] <= CRYPTO_CHUNK) { /* the common short case: one call */
            status = read_in(1, in_buf, CRYPTO_CHUNK, &n);
            size_t len = 0;
            if (status == PSA_SUCCESS && sha256_direct(n)) {
                return PSA_SUCCESS;
            }
            if (status == PSA_SUCCESS) {
                status = psa_hash_compute(call.alg, in_buf, n, out_buf, room(0, PSA_HASH_MAX_SIZE),
                                          &len);
            }
            if (status == PSA_SUCCESS) {
                write_out(0, out_buf, len);
            }
            return status;
        }
        /* fall through */
    case CRYPTO_IPC_HASH_COMPARE:
        local.kind = OP_HASH;
        status = hash_setup(&local);
        if (status == PSA_SUCCESS) {
            status = absorb(1, &local, hash_eat);
        }
        if (status == PSA_SUCCESS) {
            status = call.func == CRYPTO_IPC_HASH_COMPUTE ? hash_finish_out(&local)
                                                          : hash_verify_in(&local, 2);
        }
        op_free(&local);
        return status;
    case CRYPTO_IPC_HASH_SETUP:
        return op_start(OP_HASH, hash_setup);
    case CRYPTO_IPC_HASH_CLONE: /* the target's handle in n0 */
        source_op = op_find(OP_HASH);
        if (source_op == NULL || call.n0 > UINT32_MAX) {
            return PSA_ERROR_BAD_STATE;
        }
        return op_start_on(OP_HASH, (uint32_t)call.n0, hash_clone_setup);
    default:
        break;
    }
    if ((o = op_of(OP_HASH, CRYPTO_IPC_HASH_ABORT, &status)) == NULL) {
        return status;
    }
    switch (call.func) {
    case CRYPTO_IPC_HASH_UPDATE:
        return op_done(o, absorb(1, o, hash_eat));
    case CRYPTO_IPC_HASH_FINISH:
        return op_done(o, hash_finish_out(o));
    case CRYPTO_IPC_HASH_VERIFY:
        return op_done(o, hash_verify_in(o, 1));
    case CRYPTO_IPC_HASH_ABORT:
        op_free(o);
        return PSA_SUCCESS;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

static psa_status_t mac_calls(void)
{
    struct op *o;
    psa_status_t status;
    switch (call.func) {
    case CRYPTO_IPC_MAC_COMPUTE:
        /* The common short case: Mbed TLS's one-shot call, whose order of checks differs from
         * the multipart form's (it refuses a MAC buffer too small for the algorithm before it
         * finds the algorithm unsupported: found by product.crypto_diff, where CMAC is left
         * out). */
        if (msg->in_size[1] <= CRYPTO_CHUNK) {
            size_t n = 0, len = 0;
            status = read_in(1, in_buf, CRYPTO_CHUNK, &n);
            if (status == PSA_SUCCESS) {
                status = psa_mac_compute(key_of(call.key), call.alg, in_buf, n, out_buf,
                                         room(0, PSA_MAC_MAX_SIZE), &len);
            }
            if (status == PSA_SUCCESS) {
                write_out(0, out_buf, len);
            }
            return status;
        }
        /* fall through */
    case CRYPTO_IPC_MAC_VERIFY:
        local.kind = OP_MAC;
        status =
            call.func == CRYPTO_IPC_MAC_COMPUTE ? mac_sign_setup(&local) : mac_verify_setup(&local);
        if (status != PSA_SUCCESS && call.func == CRYPTO_IPC_MAC_COMPUTE) {
            /* Mbed TLS's one-shot answer, in its order of checks: the refusal does not depend
             * on the data, so none is given. A success (impossible where the setup failed) is
             * not taken. */
            size_t len = 0;
            psa_status_t one_shot = psa_mac_compute(key_of(call.key), call.alg, in_buf, 0, out_buf,
                                                    room(0, PSA_MAC_MAX_SIZE), &len);
            mbedtls_platform_zeroize(out_buf, sizeof(out_buf));
            status = one_shot != PSA_SUCCESS ? one_shot : status;
        }
        if (status == PSA_SUCCESS) {
            status = absorb(1, &local, mac_eat);
        }
        if (status == PSA_SUCCESS) {
            status = call.func == CRYPTO_IPC_MAC_COMPUTE ? mac_finish_out(&local)
                                                         : mac_verify_in(&local, 2);
        }
        op_free(&local);
        return status;
    case CRYPTO_IPC_MAC_SIGN_SETUP:
        return op_start(OP_MAC, mac_sign_setup);
    case CRYPTO_IPC_MAC_VERIFY_SETUP:
        return op_start(OP_MAC, mac_verify_setup);
    default:
        break;
    }
    if ((o = op_of(OP_MAC, CRYPTO_IPC_MAC_ABORT, &status)) == NULL) {
        return status;
    }
    switch (call.func) {
    case CRYPTO_IPC_MAC_UPDATE:
        return op_done(o, absorb(1, o, mac_eat));
    case CRYPTO_IPC_MAC_SIGN_FINISH:
        return op_done(o, mac_finish_out(o));
    case CRYPTO_IPC_MAC_VERIFY_FINISH:
        return op_done(o, mac_verify_in(o, 1));
    case CRYPTO_IPC_MAC_ABORT:
        op_free(o);
        return PSA_SUCCESS;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

/* psa_cipher_encrypt / decrypt: the one-shot function when the data fits the buffers, else the
 * multipart form (the same result: a random IV first when encrypting). */
static psa_status_t cipher_one_shot(void)
{
    const bool encrypt = call.func == CRYPTO_IPC_CIPHER_ENCRYPT;
    size_t n = msg->in_size[1], len = 0;
    psa_status_t status;
    /* The output is at most the input, an IV and a block. */
    if (n <= sizeof(out_buf) - PSA_CIPHER_IV_MAX_SIZE - PSA_BLOCK_CIPHER_BLOCK_MAX_SIZE) {
        status = read_in(1, in_buf, sizeof(in_buf), &n);
        if (status == PSA_SUCCESS) {
            status = encrypt ? psa_cipher_encrypt(key_of(call.key), call.alg, in_buf, n, out_buf,
                                                  room(0, sizeof(out_buf)), &len)
                             : psa_cipher_decrypt(key_of(call.key), call.alg, in_buf, n, out_buf,
                                                  room(0, sizeof(out_buf)), &len);
        }
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
        }
        mbedtls_platform_zeroize(out_buf, len);
        return status;
    }
    local.kind = OP_CIPHER;
    status = encrypt ? cipher_encrypt_setup(&local) : cipher_decrypt_setup(&local);
    /* The IV, for an algorithm that has one (not ECB), leads the output or the input. */
    size_t iv = 0;
    if (status == PSA_SUCCESS) {
        psa_key_attributes_t attr = psa_key_attributes_init();
        status = psa_get_key_attributes(key_of(call.key), &attr);
        iv = PSA_CIPHER_IV_LENGTH(psa_get_key_type(&attr), call.alg);
        psa_reset_key_attributes(&attr);
    }
    uint8_t iv_bytes[PSA_CIPHER_IV_MAX_SIZE];
    size_t iv_len = 0;
    if (status == PSA_SUCCESS && iv > 0 && encrypt) {
        /* Written ahead of the ciphertext by transform(), once the first input is in. */
        status =
            psa_cipher_generate_iv(&local.u.cipher, iv_bytes, room(0, sizeof(iv_bytes)), &iv_len);
    } else if (status == PSA_SUCCESS && iv > 0) {
        dirty_in(in_buf, iv);
        status = psa_read(msg->handle, 1, in_buf, iv) == iv
                     ? psa_cipher_set_iv(&local.u.cipher, in_buf, iv)
                     : PSA_ERROR_INVALID_ARGUMENT;
    }
    if (status == PSA_SUCCESS) {
        status = transform(1, &local, cipher_step, iv_bytes, iv_len);
    }
    if (status == PSA_SUCCESS) {
        status = psa_cipher_finish(&local.u.cipher, out_buf, left0(sizeof(out_buf)), &len);
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
        }
    }
    op_free(&local);
    return status;
}

static psa_status_t cipher_calls(void)
{
    struct op *o;
    size_t n = 0, len = 0;
    psa_status_t status;
    switch (call.func) {
    case CRYPTO_IPC_CIPHER_ENCRYPT:
    case CRYPTO_IPC_CIPHER_DECRYPT:
        return cipher_one_shot();
    case CRYPTO_IPC_CIPHER_ENCRYPT_SETUP:
        return op_start(OP_CIPHER, cipher_encrypt_setup);
    case CRYPTO_IPC_CIPHER_DECRYPT_SETUP:
        return op_start(OP_CIPHER, cipher_decrypt_setup);
    default:
        break;
    }
    if ((o = op_of(OP_CIPHER, CRYPTO_IPC_CIPHER_ABORT, &status)) == NULL) {
        return status;
    }
    switch (call.func) {
    case CRYPTO_IPC_CIPHER_GENERATE_IV:
        status =
            psa_cipher_generate_iv(&o->u.cipher, out_buf, room(0, PSA_CIPHER_IV_MAX_SIZE), &len);
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
        }
        break;
    case CRYPTO_IPC_CIPHER_SET_IV:
        status = short_in(1, in_buf, PSA_CIPHER_IV_MAX_SIZE, &n);
        if (status == PSA_SUCCESS) {
            status = psa_cipher_set_iv(&o->u.cipher, in_buf, n);
        }
        break;
    case CRYPTO_IPC_CIPHER_UPDATE:
        status = transform(1, o, cipher_step, NULL, 0);
        break;
    case CRYPTO_IPC_CIPHER_FINISH:
        status = psa_cipher_finish(&o->u.cipher, out_buf, room(0, sizeof(out_buf)), &len);
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
        }
        return op_done(o, status);
    case CRYPTO_IPC_CIPHER_ABORT:
        op_free(o);
        return PSA_SUCCESS;
    default:
        status = PSA_ERROR_NOT_SUPPORTED;
        break;
    }
    return op_done(o, status);
}

/* psa_aead_encrypt: one-shot when it fits, else the multipart form with the lengths set (so
 * that CCM works too). psa_aead_decrypt must see the whole input before it releases anything,
 * so it is one-shot only. */
static psa_status_t aead_one_shot(void)
{
    const bool encrypt = call.func == CRYPTO_IPC_AEAD_ENCRYPT;
    uint8_t nonce[CRYPTO_IPC_NONCE_MAX];
    const size_t nonce_len = call.step;
    size_t ad_len = msg->in_size[1], n = msg->in_size[2], len = 0;
    psa_status_t status = PSA_SUCCESS;
    if (nonce_len > sizeof(nonce)) {
        return PSA_ERROR_INVALID_ARGUMENT; /* no algorithm has such a nonce */
    }
    memcpy(nonce, &call.n0, sizeof(call.n0));
    memcpy(nonce + sizeof(call.n0), &call.n1, sizeof(call.n1));
    if (ad_len <= sizeof(in_buf) && n <= sizeof(in_buf) - ad_len &&
        n <= sizeof(out_buf) - PSA_AEAD_TAG_MAX_SIZE) {
        status = read_in(1, in_buf, sizeof(in_buf), &ad_len);
        if (status == PSA_SUCCESS) {
            status = read_in(2, in_buf + ad_len, sizeof(in_buf) - ad_len, &n);
        }
        if (status == PSA_SUCCESS) {
            status =
                encrypt
                    ? psa_aead_encrypt(key_of(call.key), call.alg, nonce, nonce_len, in_buf, ad_len,
                                       in_buf + ad_len, n, out_buf, room(0, sizeof(out_buf)), &len)
                    : psa_aead_decrypt(key_of(call.key), call.alg, nonce, nonce_len, in_buf, ad_len,
                                       in_buf + ad_len, n, out_buf, room(0, sizeof(out_buf)), &len);
        }
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
        }
        mbedtls_platform_zeroize(in_buf, sizeof(in_buf));
        mbedtls_platform_zeroize(out_buf, len);
        return status;
    }
    if (!encrypt) {
        return PSA_ERROR_INSUFFICIENT_MEMORY;
    }
    local.kind = OP_AEAD;
    status = aead_encrypt_setup(&local);
    if (status == PSA_SUCCESS) {
        status = psa_aead_set_lengths(&local.u.aead, ad_len, n);
    }
    if (status == PSA_SUCCESS) {
        status = psa_aead_set_nonce(&local.u.aead, nonce, nonce_len);
    }
    if (status == PSA_SUCCESS) {
        status = absorb(1, &local, ad_eat);
    }
    if (status == PSA_SUCCESS) {
        status = transform(2, &local, aead_step, NULL, 0);
    }
    if (status == PSA_SUCCESS) {
        uint8_t tag[PSA_AEAD_TAG_MAX_SIZE];
        size_t tag_len = 0;
        status = psa_aead_finish(&local.u.aead, out_buf, left0(sizeof(out_buf)), &len, tag,
                                 sizeof(tag), &tag_len);
        if (status == PSA_SUCCESS && tag_len > left0(SIZE_MAX) - len) {
            status = PSA_ERROR_BUFFER_TOO_SMALL;
        }
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
            write_out(0, tag, tag_len);
        }
    }
    op_free(&local);
    return status;
}

static psa_status_t aead_calls(void)
{
    struct op *o;
    size_t n = 0, len = 0, tag_len = 0;
    uint8_t tag[PSA_AEAD_TAG_MAX_SIZE + 1];
    psa_status_t status;
    switch (call.func) {
    case CRYPTO_IPC_AEAD_ENCRYPT:
    case CRYPTO_IPC_AEAD_DECRYPT:
        return aead_one_shot();
    case CRYPTO_IPC_AEAD_ENCRYPT_SETUP:
        return op_start(OP_AEAD, aead_encrypt_setup);
    case CRYPTO_IPC_AEAD_DECRYPT_SETUP:
        return op_start(OP_AEAD, aead_decrypt_setup);
    default:
        break;
    }
    if ((o = op_of(OP_AEAD, CRYPTO_IPC_AEAD_ABORT, &status)) == NULL) {
        return status;
    }
    switch (call.func) {
    case CRYPTO_IPC_AEAD_GENERATE_NONCE:
        status =
            psa_aead_generate_nonce(&o->u.aead, out_buf, room(0, PSA_AEAD_NONCE_MAX_SIZE), &len);
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
        }
        break;
    case CRYPTO_IPC_AEAD_SET_NONCE:
        /* Whole: Mbed TLS takes GCM nonces longer than PSA_AEAD_NONCE_MAX_SIZE. */
        status = read_in(1, in_buf, sizeof(in_buf), &n);
        if (status == PSA_SUCCESS) {
            status = psa_aead_set_nonce(&o->u.aead, in_buf, n);
        }
        break;
    case CRYPTO_IPC_AEAD_SET_LENGTHS:
        status = call.n0 > SIZE_MAX || call.n1 > SIZE_MAX
                     ? PSA_ERROR_INVALID_ARGUMENT
                     : psa_aead_set_lengths(&o->u.aead, (size_t)call.n0, (size_t)call.n1);
        break;
    case CRYPTO_IPC_AEAD_UPDATE_AD:
        status = absorb(1, o, ad_eat);
        break;
    case CRYPTO_IPC_AEAD_UPDATE: {
        /* Mbed TLS checks the whole input against the body length still declared (set_lengths)
         * before it writes anything, and aborts; the service streams the input in chunks, the
         * first of which can pass that check and then fail on the output's size where the whole
         * fails on its length. So the check comes first here, on the whole length, in Mbed TLS's
         * order (its state checks before it). */
        const psa_aead_operation_t *a = &o->u.aead;
        if (a->MBEDTLS_PRIVATE(id) != 0u && a->MBEDTLS_PRIVATE(nonce_set) &&
            a->MBEDTLS_PRIVATE(lengths_set) && a->MBEDTLS_PRIVATE(ad_remaining) == 0u &&
            a->MBEDTLS_PRIVATE(body_remaining) < msg->in_size[1]) {
            (void)psa_aead_abort(&o->u.aead);
            status = PSA_ERROR_INVALID_ARGUMENT;
        } else {
            status = transform(1, o, aead_step, NULL, 0);
        }
        break;
    }
    case CRYPTO_IPC_AEAD_FINISH:
        status = psa_aead_finish(&o->u.aead, out_buf, room(0, sizeof(out_buf)), &len, tag,
                                 room(1, sizeof(tag)), &tag_len);
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
            write_out(1, tag, tag_len);
        }
        return op_done(o, status);
    case CRYPTO_IPC_AEAD_VERIFY:
        status = short_in(1, tag, PSA_AEAD_TAG_MAX_SIZE, &tag_len);
        if (status == PSA_SUCCESS) {
            status =
                psa_aead_verify(&o->u.aead, out_buf, room(0, sizeof(out_buf)), &len, tag, tag_len);
        }
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
        }
        return op_done(o, status);
    case CRYPTO_IPC_AEAD_ABORT:
        op_free(o);
        return PSA_SUCCESS;
    default:
        status = PSA_ERROR_NOT_SUPPORTED;
        break;
    }
    return op_done(o, status);
}

static psa_status_t asymmetric_calls(void)
{
    size_t n = 0, m = 0, len = 0;
    const mbedtls_svc_key_id_t key = key_of(call.key);
    psa_status_t status = read_in(1, in_buf, sizeof(in_buf), &n);
    if (status != PSA_SUCCESS) {
        return status;
    }
    switch (call.func) {
    case CRYPTO_IPC_SIGN_MESSAGE:
    case CRYPTO_IPC_SIGN_HASH:
        status =
            call.func == CRYPTO_IPC_SIGN_MESSAGE
                ? psa_sign_message(key, call.alg, in_buf, n, out_buf, room(0, sizeof(out_buf)),
                                   &len)
                : psa_sign_hash(key, call.alg, in_buf, n, out_buf, room(0, sizeof(out_buf)), &len);
        break;
    case CRYPTO_IPC_VERIFY_MESSAGE:
    case CRYPTO_IPC_VERIFY_HASH:
        status = read_in(2, out_buf, sizeof(out_buf), &m);
        if (status == PSA_ERROR_INSUFFICIENT_MEMORY) {
            return PSA_ERROR_INVALID_SIGNATURE; /* longer than any signature */
        }
        if (status == PSA_SUCCESS) {
            status = call.func == CRYPTO_IPC_VERIFY_MESSAGE
                         ? psa_verify_message(key, call.alg, in_buf, n, out_buf, m)
                         : psa_verify_hash(key, call.alg, in_buf, n, out_buf, m);
        }
        return status;
    case CRYPTO_IPC_ASYMMETRIC_ENCRYPT:
    case CRYPTO_IPC_ASYMMETRIC_DECRYPT: {
        /* The salt (an OAEP label, of any length) goes after the input. */
        uint8_t *salt = in_buf + n;
        status = read_in(2, salt, sizeof(in_buf) - n, &m);
        if (status == PSA_SUCCESS) {
            const uint8_t *s = m > 0 ? salt : NULL;
            status = call.func == CRYPTO_IPC_ASYMMETRIC_ENCRYPT
                         ? psa_asymmetric_encrypt(key, call.alg, in_buf, n, s, m, out_buf,
                                                  room(0, sizeof(out_buf)), &len)
                         : psa_asymmetric_decrypt(key, call.alg, in_buf, n, s, m, out_buf,
                                                  room(0, sizeof(out_buf)), &len);
        }
        break;
    }
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
    if (status == PSA_SUCCESS) {
        write_out(0, out_buf, len);
    }
    mbedtls_platform_zeroize(in_buf, n + m);
    mbedtls_platform_zeroize(out_buf, len);
    return status;
}

static psa_status_t kdf_calls(void)
{
    struct op *o;
    size_t n = 0;
    psa_status_t status;
    if (call.func == CRYPTO_IPC_KEY_DERIVATION_SETUP) {
        return op_start(OP_KDF, kdf_setup);
    }
    if ((o = op_of(OP_KDF, CRYPTO_IPC_KEY_DERIVATION_ABORT, &status)) == NULL) {
        return status;
    }
    psa_key_derivation_operation_t *k = &o->u.kdf;
    const psa_key_derivation_step_t step = call.step;
    switch (call.func) {
    case CRYPTO_IPC_KEY_DERIVATION_GET_CAPACITY: {
        size_t capacity = 0;
        status = msg->out_size[0] < sizeof(uint64_t)
                     ? PSA_ERROR_PROGRAMMER_ERROR
                     : psa_key_derivation_get_capacity(k, &capacity);
        if (status == PSA_SUCCESS) {
            uint64_t c = capacity;
            write_out(0, &c, sizeof(c));
        }
        break;
    }
    case CRYPTO_IPC_KEY_DERIVATION_SET_CAPACITY:
        status =
            psa_key_derivation_set_capacity(k, call.n0 > SIZE_MAX ? SIZE_MAX : (size_t)call.n0);
        break;
    case CRYPTO_IPC_KEY_DERIVATION_INPUT_BYTES:
        status = read_in(1, in_buf, sizeof(in_buf), &n);
        if (status == PSA_SUCCESS) {
            status = psa_key_derivation_input_bytes(k, step, in_buf, n);
        }
        mbedtls_platform_zeroize(in_buf, n);
        break;
    case CRYPTO_IPC_KEY_DERIVATION_INPUT_INTEGER:
        status = psa_key_derivation_input_integer(k, step, call.n0);
        break;
    case CRYPTO_IPC_KEY_DERIVATION_INPUT_KEY:
        status = psa_key_derivation_input_key(k, step, key_of(call.key));
        break;
    case CRYPTO_IPC_KEY_DERIVATION_KEY_AGREEMENT:
        status = read_in(1, in_buf, sizeof(in_buf), &n);
        if (status == PSA_SUCCESS) {
            status = psa_key_derivation_key_agreement(k, step, key_of(call.key), in_buf, n);
        }
        break;
    case CRYPTO_IPC_KEY_DERIVATION_OUTPUT_BYTES: {
        size_t left = msg->out_size[0], capacity = 0;
        /* More than the capacity: nothing is written, and the capacity goes to 0 (PSA). Mbed
         * TLS's own call for it, without a buffer of that size: the capacity set to 0, then a
         * byte asked of it, which leaves the operation exactly as the request would. */
        if (psa_key_derivation_get_capacity(k, &capacity) == PSA_SUCCESS && left > capacity) {
            status = psa_key_derivation_set_capacity(k, 0);
            if (status == PSA_SUCCESS) {
                status = psa_key_derivation_output_bytes(k, out_buf, 1);
            }
            mbedtls_platform_zeroize(out_buf, 1);
            break;
        }
        status = PSA_SUCCESS;
        do { /* at least one call: a request for 0 bytes still checks the state */
            n = left < sizeof(out_buf) ? left : sizeof(out_buf);
            status = psa_key_derivation_output_bytes(k, out_buf, n);
            if (status == PSA_SUCCESS) {
                write_out(0, out_buf, n);
            }
            left -= n;
        } while (status == PSA_SUCCESS && left > 0);
        mbedtls_platform_zeroize(out_buf, sizeof(out_buf));
        break;
    }
    case CRYPTO_IPC_KEY_DERIVATION_OUTPUT_KEY:
    case CRYPTO_IPC_KEY_DERIVATION_OUTPUT_KEY_CUSTOM: {
        psa_key_attributes_t attr;
        mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
        psa_key_id_t *entry = NULL;
        psa_custom_key_parameters_t custom = PSA_CUSTOM_KEY_PARAMETERS_INIT;
        status = read_attr(1, &attr);
        if (status == PSA_SUCCESS && msg->out_size[0] < sizeof(uint32_t)) {
            status = PSA_ERROR_PROGRAMMER_ERROR;
        }
        if (status == PSA_SUCCESS && call.func == CRYPTO_IPC_KEY_DERIVATION_OUTPUT_KEY_CUSTOM) {
            status = read_custom(&custom, &n);
        }
        if (status == PSA_SUCCESS) {
            status = key_reserve(&attr, &entry);
        }
        if (status == PSA_SUCCESS) {
            status = psa_key_derivation_output_key_custom(&attr, k, &custom, in_buf, n, &id);
        }
        key_made(status, entry, id);
        if (status == PSA_SUCCESS) {
            put_u32(0, MBEDTLS_SVC_KEY_ID_GET_KEY_ID(id));
        }
        psa_reset_key_attributes(&attr);
        break;
    }
    case CRYPTO_IPC_KEY_DERIVATION_VERIFY_BYTES:
    case CRYPTO_IPC_KEY_DERIVATION_VERIFY_KEY:
        /* Declared by Mbed TLS 3.6's psa/crypto.h but not implemented by it. */
        status = PSA_ERROR_NOT_SUPPORTED;
        break;
    case CRYPTO_IPC_KEY_DERIVATION_ABORT:
        op_free(o);
        return PSA_SUCCESS;
    default:
        status = PSA_ERROR_NOT_SUPPORTED;
        break;
    }
    return op_done(o, status);
}

static psa_status_t misc_calls(void)
{
    size_t n = 0, len = 0;
    psa_status_t status;
    switch (call.func) {
    case CRYPTO_IPC_RAW_KEY_AGREEMENT:
        status = read_in(1, in_buf, sizeof(in_buf), &n);
        if (status == PSA_SUCCESS) {
            status = psa_raw_key_agreement(call.alg, key_of(call.key), in_buf, n, out_buf,
                                           room(0, sizeof(out_buf)), &len);
        }
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
        }
        mbedtls_platform_zeroize(out_buf, len);
        return status;
    case CRYPTO_IPC_GENERATE_RANDOM: {
        size_t left = msg->out_size[0];
        status = PSA_SUCCESS;
        while (status == PSA_SUCCESS && left > 0) {
            n = left < sizeof(out_buf) ? left : sizeof(out_buf);
            status = psa_generate_random(out_buf, n);
            if (status == PSA_SUCCESS) {
                write_out(0, out_buf, n);
            }
            left -= n;
        }
        mbedtls_platform_zeroize(out_buf, sizeof(out_buf));
        return status;
    }
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

/* Each client's psa_interruptible_set_max_ops(): Mbed TLS keeps one for its whole library, so
 * it is set to the caller's own before each of its interruptible calls (one client's setting
 * never slices another's signatures). */
/* Indexed by `caller`: every client with a share, modules' included, and CRYPTO_ALL (a client
 * with none). Sized for the manifests' clients alone, a second module's setting went past the
 * table onto the service's other state (the product profile's: Mbed TLS's arena header). */
static uint32_t max_ops_of[CRYPTO_ALL + 1];

/* The hash (and signature) of a start, whole, as Mbed TLS gets them: each in half of in_buf. */
#define HALF (CRYPTO_IO_SIZE / 2u)
static psa_key_id_t start_key;
static psa_status_t sign_start(struct op *o)
{
    size_t n = 0;
    psa_status_t status = read_in(1, in_buf, HALF, &n);
    return status == PSA_SUCCESS
               ? psa_sign_hash_start(&o->u.sign, key_of(start_key), call.alg, in_buf, n)
               : status;
}

static psa_status_t verify_start(struct op *o)
{
    size_t n = 0, m = 0;
    psa_status_t status = read_in(1, in_buf, HALF, &n);
    if (status == PSA_SUCCESS) {
        status = read_in(2, in_buf + HALF, HALF, &m);
    }
    return status == PSA_SUCCESS ? psa_verify_hash_start(&o->u.verify, key_of(start_key), call.alg,
                                                         in_buf, n, in_buf + HALF, m)
                                 : status;
}

static psa_status_t interruptible_calls(void)
{
    const bool sign = call.func < CRYPTO_IPC_VERIFY_HASH_START;
    const enum op_kind kind = sign ? OP_SIGN : OP_VERIFY;
    psa_status_t status;
    switch (call.func) {
    case CRYPTO_IPC_INTERRUPTIBLE_SET_MAX_OPS:
        max_ops_of[caller] = call.n0 > UINT32_MAX ? UINT32_MAX : (uint32_t)call.n0;
        return PSA_SUCCESS;
    case CRYPTO_IPC_INTERRUPTIBLE_GET_MAX_OPS:
        if (msg->out_size[0] < sizeof(uint32_t)) {
            return PSA_ERROR_PROGRAMMER_ERROR;
        }
        put_u32(0, max_ops_of[caller]);
        return PSA_SUCCESS;
    case CRYPTO_IPC_SIGN_HASH_START:
    case CRYPTO_IPC_VERIFY_HASH_START:
        psa_interruptible_set_max_ops(max_ops_of[caller]);
        start_key = call.key;
        return op_start(kind, sign ? sign_start : verify_start);
    default:
        break;
    }
    struct op *o =
        op_of(kind, sign ? CRYPTO_IPC_SIGN_HASH_ABORT : CRYPTO_IPC_VERIFY_HASH_ABORT, &status);
    if (o == NULL) {
        return status;
    }
    psa_interruptible_set_max_ops(max_ops_of[caller]);
    switch (call.func) {
#if defined(MBEDTLS_ECP_RESTARTABLE)
    case CRYPTO_IPC_SIGN_HASH_COMPLETE: {
        size_t len = 0;
        status = psa_sign_hash_complete(&o->u.sign, out_buf, room(0, PSA_SIGNATURE_MAX_SIZE), &len);
        if (status == PSA_SUCCESS) {
            write_out(0, out_buf, len);
        }
        break;
    }
    case CRYPTO_IPC_VERIFY_HASH_COMPLETE:
        status = psa_verify_hash_complete(&o->u.verify);
        break;
#else
    /* Without restartable ECC (the product profile: p256-m, which has no interruptible form, is
     * the only ECDSA) Mbed TLS's start of an interruptible operation always fails after its
     * checks, in the driver (NOT_SUPPORTED): no operation is ever started, and a complete is
     * Mbed TLS's on one that was not: BAD_STATE. (The error state that leaves is already the
     * operation's: a slot holds one only once its start failed, op_active.) product.crypto_diff
     * compares this with Mbed TLS's own functions. */
    case CRYPTO_IPC_SIGN_HASH_COMPLETE:
    case CRYPTO_IPC_VERIFY_HASH_COMPLETE:
        status = PSA_ERROR_BAD_STATE;
        break;
#endif
    case CRYPTO_IPC_SIGN_HASH_GET_NUM_OPS:
    case CRYPTO_IPC_VERIFY_HASH_GET_NUM_OPS:
        if (msg->out_size[0] < sizeof(uint32_t)) {
            status = PSA_ERROR_PROGRAMMER_ERROR;
            break;
        }
        put_u32(0, sign ? psa_sign_hash_get_num_ops(&o->u.sign)
                        : psa_verify_hash_get_num_ops(&o->u.verify));
        status = PSA_SUCCESS;
        break;
    case CRYPTO_IPC_SIGN_HASH_ABORT:
    case CRYPTO_IPC_VERIFY_HASH_ABORT:
        op_free(o);
        return PSA_SUCCESS;
    default:
        status = PSA_ERROR_NOT_SUPPORTED;
        break;
    }
    return op_done(o, status);
}

static psa_status_t dispatch(void);

/* One request. Whatever it left in the buffers (keys, plaintext) is wiped before the reply; the
 * output buffer is wiped whole but after hashes and MACs, which put nothing secret there. */
static psa_status_t serve(const psa_msg_t *m)
{
    msg = m;
    caller = client_of(m->client_id);
    _Static_assert(PSA_MAX_IOVEC == 4, "written[] below");
    written[0] = written[1] = written[2] = written[3] = 0; /* no library call for 16 bytes */
    in_dirty = 0;
    if (m->type != PSA_IPC_CALL || m->in_size[0] != sizeof(call) ||
        psa_read(m->handle, 0, &call, sizeof(call)) != sizeof(call)) {
        return PSA_ERROR_PROGRAMMER_ERROR; /* not our client library */
    }
    psa_status_t status = dispatch();
    mbedtls_platform_zeroize(in_buf, in_dirty);
    if (call.func >= CRYPTO_IPC_CIPHER_ENCRYPT || call.func < CRYPTO_IPC_HASH_COMPUTE) {
        mbedtls_platform_zeroize(out_buf, sizeof(out_buf));
    }
    return status;
}

static psa_status_t dispatch(void)
{
    if (call.func == CRYPTO_IPC_INIT || init_status != PSA_SUCCESS) {
        return init_status;
    }
    if (call.func < CRYPTO_IPC_HASH_COMPUTE) {
        return key_management();
    }
    if (call.func < CRYPTO_IPC_MAC_COMPUTE) {
        return hash_calls();
    }
    if (call.func < CRYPTO_IPC_CIPHER_ENCRYPT) {
        return mac_calls();
    }
    if (call.func < CRYPTO_IPC_AEAD_ENCRYPT) {
        return cipher_calls();
    }
    if (call.func < CRYPTO_IPC_SIGN_MESSAGE) {
        return aead_calls();
    }
    if (call.func < CRYPTO_IPC_KEY_DERIVATION_SETUP) {
        return asymmetric_calls();
    }
    if (call.func < CRYPTO_IPC_RAW_KEY_AGREEMENT) {
        return kdf_calls();
    }
    if (call.func < CRYPTO_IPC_SIGN_HASH_START) {
        return misc_calls();
    }
    return interruptible_calls();
}

void crypto_main(void)
{
    mbedtls_memory_buffer_alloc_init(arena, sizeof(arena));
    init_status = psa_crypto_init();
    for (uint32_t c = 0; c <= CRYPTO_ALL; c++) {
        max_ops_of[c] = PSA_INTERRUPTIBLE_MAX_OPS_UNLIMITED;
    }
    /* Each reply, the next wait and its psa_get are one kernel entry (sm/sm_service.h's
     * sm_reply_get). It waits for the service's signal alone, so each return holds a message. */
    psa_msg_t m;
    (void)sm_reply_get(PSA_NULL_HANDLE, PSA_SUCCESS, SM_CRYPTO_SIGNAL, &m);
    for (;;) {
        (void)sm_reply_get(m.handle, serve(&m), SM_CRYPTO_SIGNAL, &m);
    }
}
