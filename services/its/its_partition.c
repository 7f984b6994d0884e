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
 */
#include <string.h>

#include "its_ipc.h"
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
_Static_assert(SM_ITS_CLIENT_COUNT + ITS_QUOTA_MODULES <= ITS_QUOTA_MAX &&
                   SM_ITS_CLIENT_COUNT - 2 <= ITS_QUOTA_PARTITIONS_MAX,
               "the ITS clients' reservations fit the index");

static const struct its_flash area = {sm_flash_read, sm_flash_program, sm_flash_erase,
                                      sm_flash_blank};

static psa_status_t mounted = PSA_ERROR_STORAGE_FAILURE;

static psa_status_t mount(void)
{
    static const char label[] = "ITS storage root";
    static const int32_t clients[SM_ITS_CLIENT_COUNT] = SM_ITS_CLIENT_IDS;
    struct its_quota quota[SM_ITS_CLIENT_COUNT + ITS_QUOTA_MODULES];
    uint8_t root[32];
    const struct its_store_config cfg = {
        .flash = &area,
        .entropy = sm_entropy,
        .offset = 0,
        .size = sm_flash_area_size(),
        .max_asset = sm_install_config(SM_CONFIG_ITS_MAX_ASSET),
        .quota = quota,
        .quotas = (uint32_t)its_quota_table(clients, SM_ITS_CLIENT_COUNT, SM_CRYPTO_PARTITION_ID,
                                            SM_CRYPTO_CLIENT_COUNT, ITS_QUOTA_MODULES, quota),
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
    switch (msg->type) {
    case ITS_IPC_SET:
        (void)its_store_claim(owner); /* a module's first store; none left: no reservation */
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
    for (;;) {
        (void)psa_wait(SM_ITS_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if (psa_get(SM_ITS_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, serve(&msg));
        }
    }
}
