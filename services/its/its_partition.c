/*
 * its_partition.c: the ITS partition: serves the PSA ITS API (its_ipc.h) with the engine
 * (its_store.h) over the flash area the core gives it (sm/sm_device.h).
 *
 * At start it reads the install configuration (area size, largest asset), derives its storage
 * root key from the HUK through the core, and mounts. If that fails, every request gets the
 * mount's status (PSA_ERROR_STORAGE_FAILURE, or PSA_ERROR_DATA_CORRUPT for a store that fails
 * authentication), so nothing is served from storage in an unknown state. Data streams
 * between the client's vectors and the engine with psa_read/psa_write, ITS_CHUNK bytes at a
 * time: no asset is ever held whole in RAM.
 *
 * Every client the manifests allow (SM_ITS_CLIENT_IDS) has a reservation in the store
 * (its_quota.h), so no client filling its own can make another's set fail; so does each
 * secure module (ITS_QUOTA_MODULES reservations left unclaimed at mount, each given to the
 * first module that stores something: a positive client id the manifests do not name can only
 * be a module's, as the core refuses a built-in partition's call it did not declare). A
 * module's assets are its own as any client's: the engine keys them by its partition id.
 *
 * A module's id is its vendor's choice, so before serving anyone the partition binds each
 * loaded module's id to its signer (its_owners.h, docs/design/modules.md "Whose assets"): the
 * assets of an id that a module of another signer now carries, or of a module replaced for
 * good in its slot, are removed first, with the crypto service's keys of that client. If
 * that cannot be done, every module client is refused (PSA_ERROR_STORAGE_FAILURE), its keys
 * included: no module reaches assets that may not be its owner's.
 */
#include <stdbool.h>
#include <string.h>

#include "its_ipc.h"
#include "its_owners.h"
#include "its_quota.h"
#include "its_store.h"
#include "mbedtls/platform_util.h"
#include "psa/service.h"
#include "psa_manifest/crypto.h" /* SM_CRYPTO_CLIENT_COUNT: whose keys ITS keeps apart */
#include "psa_manifest/its.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "sm/sm_device.h"
#include "sm/sm_service.h"

_Static_assert(SM_ITS_HANDLE == ITS_IPC_HANDLE, "its.json and its_ipc.h name the same handle");

/* The reservations fit the index whatever partitions the build has: one that adds more
 * clients of ITS than ITS_QUOTA_PARTITIONS_MAX must grow ITS_MAX_ASSETS (docs/design/its.md). */
_Static_assert(SM_ITS_NS_CLIENTS == 1, "the NS world is a client of ITS");
_Static_assert(SM_ITS_CLIENT_COUNT + ITS_QUOTA_MODULES + 1 <= ITS_QUOTA_MAX &&
                   SM_ITS_CLIENT_COUNT - 2 <= ITS_QUOTA_PARTITIONS_MAX,
               "the ITS clients' reservations fit the index");

static const struct its_flash area = {sm_flash_read, sm_flash_program, sm_flash_erase,
                                      sm_flash_blank};

static psa_status_t mounted = PSA_ERROR_STORAGE_FAILURE;

static psa_status_t mount(void)
{
    static const char label[] = "ITS storage root";
    static const int32_t clients[SM_ITS_CLIENT_COUNT] = SM_ITS_CLIENT_IDS;
    struct its_quota quota[SM_ITS_CLIENT_COUNT + ITS_QUOTA_MODULES + 1];
    uint8_t root[32];
    const struct its_store_config cfg = {
        .flash = &area,
        .entropy = sm_entropy,
        .offset = 0,
        .size = sm_flash_area_size(),
        .max_asset = sm_install_config(SM_CONFIG_ITS_MAX_ASSET),
        .quota = quota,
        .quotas = (uint32_t)its_quota_table(clients, SM_ITS_CLIENT_COUNT, SM_CRYPTO_PARTITION_ID,
                                            SM_CRYPTO_CLIENT_COUNT, ITS_QUOTA_MODULES,
                                            SM_ITS_PARTITION_ID, quota),
    };
    psa_status_t status = sm_derive_key(label, sizeof(label) - 1, root, sizeof(root));
    if (status == PSA_SUCCESS) {
        status = its_store_mount(&cfg, root);
    }
    mbedtls_platform_zeroize(root, sizeof(root)); /* the engine keeps only keys derived from it */
    /* No key (an unprovisioned device) or a configuration the engine refuses is the device's
     * problem, not the caller's: the ITS specification's name for it is STORAGE_FAILURE. */
    return status == PSA_SUCCESS || status == PSA_ERROR_DATA_CORRUPT ? status
                                                                     : PSA_ERROR_STORAGE_FAILURE;
}

/* Whether the modules' assets are bound to their signers for this boot (bind_modules). */
static bool modules_bound;

static bool listed(int32_t id, const int32_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == id) {
            return true;
        }
    }
    return false;
}

/* A positive client id the manifests do not name is a module's (the core lets no other
 * partition call ITS or crypto). */
static bool module_client(int32_t id, bool of_crypto)
{
    static const int32_t its_ids[SM_ITS_CLIENT_COUNT] = SM_ITS_CLIENT_IDS;
    static const int32_t crypto_ids[SM_CRYPTO_CLIENT_COUNT] = SM_CRYPTO_CLIENT_IDS;
    return id > 0 && (of_crypto ? !listed(id, crypto_ids, SM_CRYPTO_CLIENT_COUNT)
                                : !listed(id, its_ids, SM_ITS_CLIENT_COUNT));
}

/* The table is at most ITS_OWNERS_BYTES, less than ITS_CHUNK: the engine hands it over in
 * one piece from its own buffer, so it is parsed and encoded there, with no copy on this
 * stack (the engine's calls below are the partition's deepest). */
struct table_io {
    struct its_owner *table;
    int n;       /* entries parsed, or -1 */
    bool called; /* a second piece: longer than any table */
};

static psa_status_t parse_table(void *ctx, const uint8_t *buf, size_t n)
{
    struct table_io *t = ctx;
    t->n = t->called ? -1 : its_owners_parse(buf, n, ITS_QUOTA_MODULES, t->table);
    t->called = true;
    return PSA_SUCCESS;
}

static psa_status_t encode_table(void *ctx, uint8_t *buf, size_t n)
{
    const struct table_io *t = ctx;
    if (t->n < 0 || n != ITS_OWNERS_SIZE(t->n)) {
        return PSA_ERROR_GENERIC_ERROR; /* not in one piece: the write fails, nothing changes */
    }
    (void)its_owners_encode(t->table, (uint32_t)t->n, buf);
    return PSA_SUCCESS;
}

/* This boot's step of the table (in place), and the removal of what it says goes; its own
 * frame, so the loaded modules and the ids to remove are not on the stack when the caller
 * reads and writes the table. False if a removal failed (the table then stays as stored, so
 * the next boot removes them again). */
__attribute__((noinline)) static bool step_table(struct table_io *t, bool *changed)
{
    struct its_loaded now[ITS_QUOTA_MODULES];
    int32_t erase[ITS_OWNERS_MAX + ITS_QUOTA_MODULES];
    uint32_t n_erase = 0;
    memset(now, 0, sizeof(now));
    for (uint32_t s = 0; s < ITS_QUOTA_MODULES; s++) {
        struct sm_module_owner m;
        if (sm_module_owner(s, &m) != PSA_SUCCESS || m.id <= 0) {
            continue;
        }
        now[s] = (struct its_loaded){.present = true, .trial = m.trial != 0u, .id = m.id};
        memcpy(now[s].signer, m.signer, sizeof(now[s].signer));
        /* Its reservation now, so its keys count against it from the first. */
        (void)its_store_claim(m.id);
    }
    t->n = (int)its_owners_next(t->table, (uint32_t)t->n, now, ITS_QUOTA_MODULES, t->table, erase,
                                &n_erase, changed);
    for (uint32_t i = 0; i < n_erase; i++) {
        if (its_store_remove_owned(erase[i], 0) != PSA_SUCCESS ||
            its_store_remove_owned(SM_CRYPTO_PARTITION_ID, (uint32_t)erase[i]) != PSA_SUCCESS) {
            return false;
        }
    }
    return true;
}

/* The binding of the loaded modules' ids to their signers (its_owners.h). Not inlined into
 * its_main, whose frame lives while the partition serves. */
__attribute__((noinline)) static bool bind_modules(void)
{
    struct its_owner table[ITS_OWNERS_MAX];
    struct table_io t = {table, 0, false};
    size_t len = 0;
    psa_status_t status = its_store_get(SM_ITS_PARTITION_ID, ITS_OWNERS_UID, 0, ITS_OWNERS_BYTES,
                                        parse_table, &t, &len);
    if ((status != PSA_SUCCESS && status != PSA_ERROR_DOES_NOT_EXIST) || t.n < 0 ||
        (status == PSA_SUCCESS && !t.called)) {
        return false; /* unreadable, or not a table this partition wrote: nothing is told apart */
    }
    bool changed = false;
    if (!step_table(&t, &changed)) {
        return false;
    }
    if (!changed || (status == PSA_ERROR_DOES_NOT_EXIST && t.n == 0)) {
        return true; /* nothing new to store (no module ever: no table) */
    }
    return its_store_set(SM_ITS_PARTITION_ID, ITS_OWNERS_UID, ITS_OWNERS_SIZE(t.n), 0, encode_table,
                         &t) == PSA_SUCCESS;
}

static psa_status_t from_client(void *ctx, uint8_t *buf, size_t n)
{
    const psa_msg_t *msg = ctx;
    return psa_read(msg->handle, 1, buf, n) == n ? PSA_SUCCESS : PSA_ERROR_STORAGE_FAILURE;
}

static psa_status_t to_client(void *ctx, const uint8_t *buf, size_t n)
{
    const psa_msg_t *msg = ctx;
    psa_write(msg->handle, 0, buf, n);
    return PSA_SUCCESS;
}

static psa_status_t serve(const psa_msg_t *msg)
{
    struct its_ipc_args args;
    if (msg->in_size[0] != sizeof(args) ||
        psa_read(msg->handle, 0, &args, sizeof(args)) != sizeof(args)) {
        return PSA_ERROR_PROGRAMMER_ERROR; /* not our client library */
    }
    if (mounted != PSA_SUCCESS) {
        return mounted;
    }
    const int32_t owner = msg->client_id;
    /* The crypto service's key of a module: the module's id in the UID's upper half. */
    const int32_t key_client = owner == SM_CRYPTO_PARTITION_ID ? (int32_t)(args.uid >> 32) : 0;
    if (!modules_bound && (module_client(owner, false) || module_client(key_client, true))) {
        return PSA_ERROR_STORAGE_FAILURE;
    }
    switch (msg->type) {
    case ITS_IPC_SET:
        (void)its_store_claim(owner); /* a module's first store; none left: no reservation */
        if (module_client(key_client, true)) {
            (void)its_store_claim(key_client); /* its keys count against its reservation */
        }
        return its_store_set(owner, args.uid, msg->in_size[1], args.flags, from_client,
                             (void *)msg);
    case ITS_IPC_GET: {
        size_t length;
        return its_store_get(owner, args.uid, args.offset, msg->out_size[0], to_client, (void *)msg,
                             &length);
    }
    case ITS_IPC_GET_INFO: {
        struct psa_storage_info_t found, info;
        if (msg->out_size[0] != sizeof(info)) {
            return PSA_ERROR_PROGRAMMER_ERROR;
        }
        psa_status_t status = its_store_get_info(owner, args.uid, &found);
        if (status == PSA_SUCCESS) {
            /* Zeroed where it goes to the client, padding too; only when there is an answer:
             * the lookup of a missing UID (every get_info before a set) pays no wipe. */
            memset(&info, 0, sizeof(info));
            info.capacity = found.capacity;
            info.size = found.size;
            info.flags = found.flags;
            psa_write(msg->handle, 0, &info, sizeof(info));
        }
        return status;
    }
    case ITS_IPC_REMOVE:
        return its_store_remove(owner, args.uid);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void its_main(void)
{
    mounted = mount();
    modules_bound = mounted == PSA_SUCCESS && bind_modules();
    /* Each reply, the next wait and its psa_get are one kernel entry (sm/sm_service.h's
     * sm_reply_get). It waits for the service's signal alone, so each return holds a message. */
    psa_msg_t msg;
    (void)sm_reply_get(PSA_NULL_HANDLE, PSA_SUCCESS, SM_ITS_SIGNAL, &msg);
    for (;;) {
        (void)sm_reply_get(msg.handle, serve(&msg), SM_ITS_SIGNAL, &msg);
    }
}
