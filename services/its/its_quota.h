/*
 * its_quota.h: who may keep how much in ITS. The reservations of the ITS service's clients
 * (the NS world, the crypto service, every other partition), made into the table the engine
 * takes at mount (its_store_config.quota). The policy alone: the engine enforces the table.
 *
 * Contract:
 * - its_quota_table() fills out[i] for ids[i], for each of the n client ids (the manifest's
 *   SM_ITS_CLIENT_IDS): the NS world (-1) ITS_QUOTA_NS_*, the crypto service (crypto_id)
 *   ITS_QUOTA_CRYPTO_*, split in equal parts among its crypto_clients clients (the keys of one
 *   crypto client never take another's part), each other partition ITS_QUOTA_PARTITION_ASSETS
 *   entries and an equal split of the bytes the first two leave (ITS_QUOTA_REST_SHARE); then
 *   out[n .. n+modules-1], `modules` reservations ITS_OWNER_UNCLAIMED of
 *   ITS_QUOTA_MODULE_ASSETS entries and ITS_QUOTA_MODULE_SHARE, taken from the crypto
 *   service's share, so the NS world's and the partitions' stay whole (the secure modules, at
 *   most ITS_QUOTA_MODULES: their ids are known only once the SM has loaded them, so each
 *   takes one with its_store_claim at its first call); with modules, last, the ITS
 *   partition's own (self_id: ITS_QUOTA_SELF_*, out of the crypto service's, for the modules'
 *   binding table, its_owners.h). It returns the entries filled, or 0 (and fills nothing) if n
 *   is 0, the entries would be more than ITS_QUOTA_MAX, modules more than ITS_QUOTA_MODULES,
 *   or an id appears twice, is 0 or is self_id.
 * - The entries add up to at most ITS_MAX_ASSETS when at most ITS_QUOTA_PARTITIONS_MAX other
 *   partitions and ITS_QUOTA_MODULES modules are clients (a partition checks that at compile time),
 * and the shares to at most ITS_SHARE_WHOLE, always. The engine refuses a table that exceeds
 * either. Numbers and reasons: docs/design/its.md, "Quotas".
 */
#ifndef ITS_QUOTA_H
#define ITS_QUOTA_H

#include <stddef.h>
#include <stdint.h>

#include "its_store.h"

#define ITS_QUOTA_NS_ASSETS        16u  /* index entries */
#define ITS_QUOTA_NS_SHARE         128u /* of ITS_SHARE_WHOLE: half the capacity */
#define ITS_QUOTA_CRYPTO_ASSETS    24u  /* the crypto service's persistent keys */
#define ITS_QUOTA_CRYPTO_SHARE     64u  /* a quarter */
#define ITS_QUOTA_PARTITION_ASSETS 8u   /* each other partition */
#ifndef ITS_QUOTA_MODULES /* the SM's module slots (SM_MODULE_SLOTS_MAX); the product's 2 */
#define ITS_QUOTA_MODULES 4u
#endif
#define ITS_QUOTA_MODULE_ASSETS 2u /* each module */
#define ITS_QUOTA_MODULE_SHARE  4u /* each module: 1/64, out of the crypto service's */
/* The ITS partition's own reservation, with modules: the binding table (its_owners.h), one
 * asset of at most ITS_OWNERS_BYTES (272 bytes of record: 1/64 of the default area's 23.7 KB
 * capacity holds it with room): its index entry is the index's last (ITS_MAX_ASSETS), its bytes
 * out of the crypto service's share. */
#define ITS_QUOTA_SELF_ASSETS   1u
#define ITS_QUOTA_SELF_SHARE    4u
#define ITS_QUOTA_REST_SHARE    (ITS_SHARE_WHOLE - ITS_QUOTA_NS_SHARE - ITS_QUOTA_CRYPTO_SHARE)
#define ITS_QUOTA_PARTITIONS_MAX                                                                   \
    ((ITS_MAX_ASSETS - ITS_QUOTA_NS_ASSETS - ITS_QUOTA_CRYPTO_ASSETS -                             \
      ITS_QUOTA_MODULES * ITS_QUOTA_MODULE_ASSETS - ITS_QUOTA_SELF_ASSETS) /                       \
     ITS_QUOTA_PARTITION_ASSETS)

size_t its_quota_table(const int32_t *ids, size_t n, int32_t crypto_id, uint32_t crypto_clients,
                       uint32_t modules, int32_t self_id, struct its_quota *out);

#endif /* ITS_QUOTA_H */
