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

struct table_sink {
    uint8_t *buf;
    size_t len;
};

static psa_status_t to_table(void *ctx, const uint8_t *buf, size_t n)
{
    struct table_sink *t = ctx;
    if (t->len + n > ITS_OWNERS_BYTES) {
        return PSA_ERROR_DATA_CORRUPT;
    }
    memcpy(t->buf + t->len, buf, n);
    t->len += n;
    return PSA_SUCCESS;
}

static psa_status_t from_table(void *ctx, uint8_t *buf, size_t n)
{
    struct table_sink *t = ctx;
    memcpy(buf, t->buf + t->len, n);
    t->len += n;
    return PSA_SUCCESS;
}

/* The modules loaded this boot, into now[]; each gets its reservation now, so its keys count
 * against it from its first one. */
static void loaded_modules(struct its_loaded now[ITS_QUOTA_MODULES])
{
    memset(now, 0, ITS_QUOTA_MODULES * sizeof(now[0]));
    for (uint32_t s = 0; s < ITS_QUOTA_MODULES; s++) {
        struct sm_module_owner m;
        if (sm_module_owner(s, &m) != PSA_SUCCESS || m.id <= 0) {
            continue;
        }
        now[s] = (struct its_loaded){.present = true, .trial = m.trial != 0u, .id = m.id};
        memcpy(now[s].signer, m.signer, sizeof(now[s].signer));
        (void)its_store_claim(m.id);
    }
}

/* The binding of the loaded modules' ids to their signers (its_owners.h). The table and the
 * bytes share memory with what is dead by then: this runs before the partition serves, and
 * the engine's calls below it (reading and writing a record: AEAD contexts) are deep. */
static bool bind_modules(void)
{
    struct its_owner table[ITS_OWNERS_MAX];
    union {
        uint8_t bytes[ITS_OWNERS_BYTES];
        struct {
            struct its_loaded now[ITS_QUOTA_MODULES];
            int32_t erase[ITS_OWNERS_MAX + ITS_QUOTA_MODULES];
        } step;
    } u;
    struct table_sink t = {u.bytes, 0};
    size_t len = 0;
    int n = 0;
    psa_status_t status = its_store_get(SM_ITS_PARTITION_ID, ITS_OWNERS_UID, 0, sizeof(u.bytes),
                                        to_table, &t, &len);
    if (status == PSA_SUCCESS) {
        n = its_owners_parse(u.bytes, len, ITS_QUOTA_MODULES, table);
    } else if (status != PSA_ERROR_DOES_NOT_EXIST) {
        return false;
    }
    if (n < 0) {
        return false; /* not a table this partition wrote: nothing can be told apart */
    }
    const bool stored = status == PSA_SUCCESS;
    loaded_modules(u.step.now);
    uint32_t n_erase = 0;
    bool changed = false;
    const uint32_t next = its_owners_next(table, (uint32_t)n, u.step.now, ITS_QUOTA_MODULES,
                                          table, u.step.erase, &n_erase, &changed);
    for (uint32_t i = 0; i < n_erase; i++) {
        const int32_t id = u.step.erase[i];
        status = its_store_remove_owned(id, 0);
        if (status == PSA_SUCCESS) {
            status = its_store_remove_owned(SM_CRYPTO_PARTITION_ID, (uint32_t)id);
        }
        if (status != PSA_SUCCESS) {
            return false; /* the table stays as it was: the next boot removes them again */
        }
    }
    if (!changed || (!stored && next == 0u)) {
        return true; /* nothing new to store (no module ever: no table) */
    }
    const size_t out = its_owners_encode(table, next, u.bytes);
    t = (struct table_sink){u.bytes, 0};
    return its_store_set(SM_ITS_PARTITION_ID, ITS_OWNERS_UID, out, 0, from_table, &t) ==
           PSA_SUCCESS;
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
        struct psa_storage_info_t info;
        memset(&info, 0, sizeof(info)); /* padding too: it goes to the client */
        if (msg->out_size[0] != sizeof(info)) {
            return PSA_ERROR_PROGRAMMER_ERROR;
        }
        psa_status_t status = its_store_get_info(owner, args.uid, &info);
        if (status == PSA_SUCCESS) {
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
    for (;;) {
        (void)psa_wait(SM_ITS_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if (psa_get(SM_ITS_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, serve(&msg));
        }
    }
}
