/*
 * bl_swap.h: the install journal and the power-fail-safe swap of a slot pair.
 *
 * Contract: an operation (install = bring the download slot's image into the active slot,
 * revert = swap back) is begun with bl_swap_begin, which makes it durable in the journal, and
 * carried out by bl_swap_run, which can be interrupted by a power cut at any flash operation
 * and run again (after bl_swap_find) as often as needed: it ends with the two images
 * exchanged, the new one decrypted if it was encrypted, and the trailers written as
 * docs/design/secure-boot.md says. Only one operation is in progress per journal.
 */
#ifndef BL_SWAP_H
#define BL_SWAP_H

#include <stdbool.h>
#include <stdint.h>

#include "bl_image.h"
#include "bl_slots.h"
#include "bl_trailer.h"

enum bl_op_type {
    BL_OP_INSTALL = 1,
    BL_OP_REVERT = 2,
};

#define BL_OP_F_ENCRYPTED 0x01u /* decrypt the new payload while installing */
#define BL_OP_F_PERMANENT 0x02u /* confirmed at once: no trial */
#define BL_OP_F_AES256    0x04u /* with ENCRYPTED: an AES-256 image key (else AES-128) */
#define BL_OP_F_BOUND     0x08u /* prev holds the replaced image's measurement (a trial install) */

/* What KEY records journal: the ENC_EC256 value (BL_OP_F_ENCRYPTED; its key length's bytes of
 * the longest), then at BL_SWAP_PREV_AT the trial field's binding (BL_OP_F_BOUND). */
#define BL_SWAP_PREV_AT  BL_ENC_EC256_TLV_MAX
#define BL_SWAP_DATA_LEN (BL_SWAP_PREV_AT + BL_TRAILER_PREV_LEN)

struct bl_journal {
    uint32_t off;     /* two sectors */
    uint32_t scratch; /* one sector */
};

struct bl_swap_op {
    uint8_t kind;
    uint8_t type;
    uint8_t flags;
    uint8_t group; /* an install's group (bl_trailer.h), written with its trial field; or 0 */
    uint16_t data_sectors; /* sectors 0 .. data_sectors-1 hold image bytes; the last always moves */
    uint32_t body_start;   /* payload to decrypt, offsets in the slot */
    uint32_t body_end;
    /* The ENC_EC256 value (BL_OP_F_ENCRYPTED), then the trial field's binding (BL_OP_F_BOUND):
     * journaled together. */
    uint8_t enc_tlv[BL_SWAP_DATA_LEN];
    /* Progress, from the journal. */
    uint32_t gen;
    uint32_t sector;   /* journal sector holding this operation */
    int32_t last_step; /* -1: none done; bl_swap_find leaves it -1 for an operation done */
    bool done;
};

/* The image key length of an encrypted install: 16 (AES-128) or 32 (AES-256). */
static inline uint32_t bl_swap_key_len(const struct bl_swap_op *op)
{
    return (op->flags & BL_OP_F_AES256) ? 32u : 16u;
}

/* Finds the newest operation; *found is false for a journal with none. Of an operation done,
 * only what its START and DONE give is filled (kind, type, flags, group, data_sectors, gen,
 * sector, done): its body, key and steps are not read, since nothing carries out an operation
 * done (docs/design/boot-speed.md, "Session 15"). */
int bl_swap_find(const struct bl_journal *j, struct bl_swap_op *op, bool *found);
/* Records a new operation (fills gen, sector, last_step, done). */
int bl_swap_begin(const struct bl_journal *j, struct bl_swap_op *op);
/* Carries out (the rest of) an operation. device_priv is needed for encrypted installs. */
int bl_swap_run(const struct bl_journal *j, struct bl_swap_op *op, const uint8_t *device_priv);

#endif /* BL_SWAP_H */
