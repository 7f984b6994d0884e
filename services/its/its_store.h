/*
 * its_store.h: the Internal Trusted Storage engine: assets of (owner, UID) in a log of
 * authenticated, encrypted records over the flash interface (plat_flash.h). Portable: the
 * ITS partition uses it on the board, the host tests over the power-cut flash.
 *
 * Contract:
 * - its_store_mount() reads the whole area and rebuilds the index in RAM. It must succeed
 *   before any other call; it may finish an interrupted clean-up (an erase).
 * - Every change is atomic: after a power cut at any point, a remount shows each asset as it
 *   was before the interrupted call or as that call left it, and every other asset unchanged.
 * - Data is supplied and consumed through callbacks, in pieces of at most ITS_CHUNK bytes, so
 *   that the caller can stream it from and to its client.
 * - Statuses are those of the PSA ITS API (psa/internal_trusted_storage.h). A failing call
 *   changes nothing, except a failure of the data source half way, which leaves a record
 *   that never becomes visible.
 * - Quotas: each owner the configuration names has a reservation of index entries and of
 *   live-record bytes (a share of its_store_capacity()); a set that would take the owner past
 *   either gets PSA_ERROR_INSUFFICIENT_STORAGE before anything is written. A new UID takes an
 *   entry; replacing one is charged only the growth of its record. An owner the configuration
 *   does not name stores nothing. Usage is counted from the index, so a remount rebuilds it.
 *   The reservations add up to at most ITS_MAX_ASSETS and the capacity, so no owner's use can
 *   fail another's set and garbage collection always has room.
 * - Single-threaded: the ITS partition serialises calls.
 * Layout and reasons: docs/design/its.md.
 */
#ifndef ITS_STORE_H
#define ITS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "its_limits.h"
#include "psa/storage_common.h"

#define ITS_CHUNK 256u /* bytes per callback and per flash program */
#ifndef ITS_MAX_ASSETS /* index entries: assets stored at once, all owners (the product: 53) */
#define ITS_MAX_ASSETS 57u
#endif
#define ITS_QUOTA_MAX       8u /* owners a configuration may name */
/* The owner of a reservation made for a client the configuration cannot name when it is made
 * (a secure module: its partition id is its vendor's, known once the SM has loaded it), until
 * its_store_claim() gives it to one. No client has id 0. */
#define ITS_OWNER_UNCLAIMED 0
#define ITS_SHARE_WHOLE     256u /* byte shares are in 1/256ths of the capacity */

/* The flash the engine works on (offsets as the config's). Each returns 0 or a negative
 * plat_flash_status; blank() returns 1 if no unit of the range was programmed since its last
 * erase, 0 if one was. The ITS partition passes the core's partition flash calls (offsets in
 * its area), the host tests the platform flash. */
struct its_flash {
    int (*read)(uint32_t offset, void *dst, size_t len);
    int (*program)(uint32_t offset, const void *src, size_t len);
    int (*erase)(uint32_t offset, size_t len);
    int (*blank)(uint32_t offset, size_t len);
};

/* Fills buf with len (at most 64) unpredictable bytes, never the same twice: the GCM nonce
 * of each write. PSA_SUCCESS or an error (the write then fails and changes nothing). The ITS
 * partition passes the core's entropy service (sm_entropy), which works without flash. */
typedef psa_status_t (*its_entropy_t)(uint8_t *buf, size_t len);

/* One owner's reservation: `assets` index entries, `share` / ITS_SHARE_WHOLE of the capacity.
 * An owner that stores for clients of its own (the crypto service: Mbed TLS puts the key's
 * owner in the upper 32 bits of a persistent key's UID) splits its reservation among them:
 * with `split` set, the assets whose UID has the same non-zero upper half may take at most
 * `split_assets` entries and `split_share` / ITS_SHARE_WHOLE of the capacity between them.
 * With split_* × the number of its clients within assets/share, each client keeps its part. */
struct its_quota {
    int32_t owner;
    uint16_t assets;
    uint16_t share;
    bool split;
    uint16_t split_assets;
    uint16_t split_share;
};

struct its_store_config {
    const struct its_flash *flash;
    its_entropy_t entropy;
    uint32_t offset;    /* flash offset of the area, sector aligned */
    uint32_t size;      /* whole sectors, at least ITS_SECTORS_MIN */
    uint32_t max_asset; /* the largest asset, bytes, at most ITS_ASSET_SIZE_LIMIT */
    /* The reservations, copied at mount: 1 to ITS_QUOTA_MAX, distinct owners, their entries
     * adding up to at most ITS_MAX_ASSETS and their shares to at most ITS_SHARE_WHOLE;
     * any number of them ITS_OWNER_UNCLAIMED (its_store_claim). */
    const struct its_quota *quota;
    uint32_t quotas;
};

/* The data of a set (source) or a get (sink): returns PSA_SUCCESS or an error that aborts. */
typedef psa_status_t (*its_source_t)(void *ctx, uint8_t *buf, size_t n);
typedef psa_status_t (*its_sink_t)(void *ctx, const uint8_t *buf, size_t n);

psa_status_t its_store_mount(const struct its_store_config *cfg, const uint8_t root_key[32]);
psa_status_t its_store_set(int32_t owner, psa_storage_uid_t uid, size_t length,
                           psa_storage_create_flags_t flags, its_source_t source, void *ctx);
psa_status_t its_store_get(int32_t owner, psa_storage_uid_t uid, size_t offset, size_t size,
                           its_sink_t sink, void *ctx, size_t *length);
psa_status_t its_store_get_info(int32_t owner, psa_storage_uid_t uid,
                                struct psa_storage_info_t *info);
psa_status_t its_store_remove(int32_t owner, psa_storage_uid_t uid);

/* Gives owner the first reservation of the configuration still ITS_OWNER_UNCLAIMED, until the
 * next mount. True if owner has a reservation after the call (just claimed, claimed before or
 * named by the configuration); false, changing nothing, for owner 0 or when none is left. */
bool its_store_claim(int32_t owner);

/* Removes every asset of owner (client 0), or, for a splitting owner, every asset of owner
 * whose UID's upper 32 bits are client: write-once ones too (the ITS partition erasing what a
 * secure module no longer on the device left, its_owners.h; no client reaches this). Each
 * removal is atomic; a power cut part way leaves the rest, for the caller to finish. */
psa_status_t its_store_remove_owned(int32_t owner, uint32_t client);

/* Bytes of record space the live assets take, and the most they may take (capacity). */
size_t its_store_used(void);
size_t its_store_capacity(void);
/* An owner's live assets and the record bytes they take (used), and its reservation (share:
 * 0 and 0 for an owner the configuration does not name). */
struct its_usage {
    uint32_t assets;
    size_t bytes;
};
void its_store_usage(int32_t owner, struct its_usage *used, struct its_usage *share);
/* The same for the assets of owner whose UID's upper 32 bits are `client` (a splitting owner's
 * client: its part of the owner's reservation; 0 and 0 if the owner does not split). */
void its_store_usage_of_client(int32_t owner, uint32_t client, struct its_usage *used,
                               struct its_usage *share);
/* The flash bytes one asset of `length` bytes occupies (header, data, tag, commit). */
size_t its_store_record_size(size_t length);

#endif /* ITS_STORE_H */
