/*
 * its_owners.h: whose secure module the assets of a module's id belong to
 * (docs/design/modules.md, "Whose assets"). A module's client id is the partition id its
 * vendor chose, so two owners' modules may carry the same id; ITS keys assets by client id.
 * The binding table remembers, for each module id that may hold assets, the signer of the
 * module that was given them (the hash of the key that signed its image) and the slot it ran
 * from, so that a module of another signer never receives them and a module replaced in its
 * slot does not leave its assets behind. A function of its input: the ITS partition stores
 * the table (one asset of its own) and does the erasing.
 *
 * Contract of its_owners_next(prev, n_prev, now, slots, next, erase, n_erase):
 * - prev: the table as stored (n_prev entries, already checked by its_owners_parse); now[s]:
 *   the module loaded from slot s this boot (present false: none), s < slots.
 * - An entry whose id a loaded module of another signer carries: its assets go (erase) and
 *   the entry too, whatever the module's trial state (another owner's assets must never reach
 *   it, even on trial).
 * - An entry whose module is not loaded, while its slot holds a confirmed (not trial) module of
 *   another id: that module replaced it for good; its assets go. While the slot is empty, its
 *   module refused or on trial, the entry stays (a revert brings the module back with its
 *   assets; a slot that fails to load is not a removal).
 * - Every loaded module gets an entry (slot, id, signer); same id and signer keep theirs (the
 *   slot updated: a module moved by its owner keeps its assets).
 * - At most ITS_OWNERS_MAX entries: past that, the oldest entries of modules not loaded go
 *   (their assets erased), so a loaded module always has its entry.
 * - Returns the entries in next (which may be prev: the step works in place); erase[0 ..
 *   *n_erase - 1] the distinct ids whose assets the caller removes (its own and the crypto
 *   service's keys of that client) before it stores next, so a power cut in between makes the
 *   next boot do it again; *changed whether next differs from prev (else nothing to store).
 */
#ifndef ITS_OWNERS_H
#define ITS_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "its_quota.h"

#define ITS_OWNERS_MAX     (2u * ITS_QUOTA_MODULES)
#define ITS_SIGNER_BYTES   16u         /* SHA-256 of the key, first half: 128-bit second preimage */
#define ITS_OWNERS_MAGIC   0x4F535449u /* "ITSO" */
#define ITS_OWNERS_ENTRY   24u         /* bytes of one stored entry */
/* The stored table of n entries, and the largest. */
#define ITS_OWNERS_SIZE(n) (8u + ITS_OWNERS_ENTRY * (size_t)(n))
#define ITS_OWNERS_BYTES   ITS_OWNERS_SIZE(ITS_OWNERS_MAX)
#define ITS_OWNERS_UID     1u /* the table's UID among the ITS partition's own assets */

struct its_owner {
    int32_t id;
    uint32_t slot;
    uint8_t signer[ITS_SIGNER_BYTES];
};

struct its_loaded {
    bool present;
    bool trial;
    int32_t id;
    uint8_t signer[ITS_SIGNER_BYTES];
};

/* The stored form: magic (4), count (4), then count entries of id (4), slot (4), signer (16),
 * little endian. Returns the number of entries, or -1 for bytes that are not such a table
 * (length, magic, count above ITS_OWNERS_MAX, a slot at or past `slots`, an id not positive,
 * an id twice). */
int its_owners_parse(const uint8_t *buf, size_t len, uint32_t slots, struct its_owner *out);
/* Writes the stored form of n entries into buf (ITS_OWNERS_BYTES); returns its length. */
size_t its_owners_encode(const struct its_owner *t, uint32_t n, uint8_t *buf);

uint32_t its_owners_next(const struct its_owner *prev, uint32_t n_prev,
                         const struct its_loaded *now, uint32_t slots, struct its_owner *next,
                         int32_t *erase, uint32_t *n_erase, bool *changed);

#endif /* ITS_OWNERS_H */
