/*
 * its_quota.c: the reservations of ITS's clients (its_quota.h). A function of the client list:
 * the partition passes the one smgen wrote into its manifest header, the host tests their own.
 */
#include "its_quota.h"

size_t its_quota_table(const int32_t *ids, size_t n, int32_t crypto_id, uint32_t crypto_clients,
                       uint32_t modules, int32_t self_id, struct its_quota *out)
{
    const size_t self = modules != 0u ? 1u : 0u; /* the binding table's (its_owners.h) */
    if (n == 0u || n > ITS_QUOTA_MAX || modules > ITS_QUOTA_MODULES ||
        n + modules + self > ITS_QUOTA_MAX || crypto_clients == 0u ||
        (self != 0u && self_id == ITS_OWNER_UNCLAIMED)) {
        return 0;
    }
    size_t others = 0;
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == ITS_OWNER_UNCLAIMED || (self != 0u && ids[i] == self_id)) {
            return 0; /* no client has id 0; ITS is no client of its own */
        }
        for (size_t j = 0; j < i; j++) {
            if (ids[j] == ids[i]) {
                return 0; /* one owner, one reservation */
            }
        }
        others += ids[i] != -1 && ids[i] != crypto_id;
    }
    for (size_t i = 0; i < n; i++) {
        out[i] = (struct its_quota){.owner = ids[i]};
        if (ids[i] == -1) {
            out[i].assets = ITS_QUOTA_NS_ASSETS;
            out[i].share = ITS_QUOTA_NS_SHARE;
        } else if (ids[i] == crypto_id) {
            /* The modules' bytes (and the binding table's) come out of the crypto service's
             * quarter; the table's index entry is an entry of its own (ITS_MAX_ASSETS). */
            const uint32_t share = ITS_QUOTA_CRYPTO_SHARE - modules * ITS_QUOTA_MODULE_SHARE -
                                   (uint32_t)self * ITS_QUOTA_SELF_SHARE;
            const uint32_t assets = ITS_QUOTA_CRYPTO_ASSETS;
            out[i].assets = (uint16_t)assets;
            out[i].share = (uint16_t)share;
            out[i].split = true;
            out[i].split_assets = (uint16_t)(assets / crypto_clients);
            out[i].split_share = (uint16_t)(share / crypto_clients);
        } else {
            out[i].assets = ITS_QUOTA_PARTITION_ASSETS;
            out[i].share = (uint16_t)(ITS_QUOTA_REST_SHARE / others);
        }
    }
    for (size_t i = n; i < n + modules; i++) {
        out[i] = (struct its_quota){.owner = ITS_OWNER_UNCLAIMED,
                                    .assets = ITS_QUOTA_MODULE_ASSETS,
                                    .share = ITS_QUOTA_MODULE_SHARE};
    }
    if (self != 0u) {
        out[n + modules] = (struct its_quota){
            .owner = self_id, .assets = ITS_QUOTA_SELF_ASSETS, .share = ITS_QUOTA_SELF_SHARE};
    }
    return n + modules + self;
}
