/*
 * bl_swap.c: see bl_swap.h and docs/design/secure-boot.md ("Why swap").
 *
 * Journal records (bl_record.h, authenticated under the journal's own key), all carrying the
 * operation's 16-bit generation in `aux`: BODY (index 0: value = payload start, index 1:
 * value = payload end), KEY (index = word, value = 4 bytes of the ENC_EC256 value, then of the
 * trial's binding: written for an encrypted or a bound install), then
 * START (index = kind, value = data sectors | (type | flags << 4) << 16 | group << 24), which
 * commits them;
 * then STEP (value = step number) and DONE. An operation lives entirely in one journal sector.
 */
#include "bl_swap.h"

#include <string.h>

#include "bl_crypto.h"
#include "bl_otp.h"
#include "bl_record.h"
#include "bl_status.h"
#include "bl_trailer.h"
#include "plat_flash.h"

enum { J_START = 0xA1, J_BODY, J_KEY, J_STEP, J_DONE };

/* Generations are 16 bits (the record's aux); the journal refuses to begin the 65,536th
 * operation rather than wrap (docs/design/secure-boot.md). */
#define GEN_MAX 0xFFFFu

#define KEY_RECORDS      ((BL_SWAP_DATA_LEN + 3u) / 4u)
/* The most records one operation writes: room needed to start one in a sector. */
/* The largest slot is the NS slot; each slot sector takes three steps, plus the last sector. */
#define SLOT_SECTORS_MAX (FLASH_NS_SLOT_SIZE / FLASH_SECTOR_SIZE)
_Static_assert(FLASH_SM_SLOT_SIZE <= FLASH_NS_SLOT_SIZE &&
                   FLASH_UROT_SLOT_SIZE <= FLASH_NS_SLOT_SIZE &&
                   FLASH_MODULE_SLOT_SIZE <= FLASH_NS_SLOT_SIZE,
               "SLOT_SECTORS_MAX covers every slot");
/* Plus room for records torn by power cuts during the operation (each wastes its unit). */
#define TORN_RECORDS_SLACK 64u
#define OP_RECORDS_MAX                                                                             \
    (1u + 2u + KEY_RECORDS + 3u * (SLOT_SECTORS_MAX + 1u) + 1u + TORN_RECORDS_SLACK)
_Static_assert(OP_RECORDS_MAX <= BL_RECORDS_PER_SECTOR, "an operation fits a journal sector");

#define COPY_CHUNK 256u

static uint32_t journal_sector(const struct bl_journal *j, int i)
{
    return j->off + (uint32_t)i * FLASH_SECTOR_SIZE;
}

/* Applies one of the operation's records to *op (pass 2 of find). */
static void apply(void *ctx, const struct bl_record *r)
{
    struct bl_swap_op *op = ctx;
    if (r->aux != op->gen) {
        return;
    }
    switch (r->type) {
    case J_BODY:
        if (r->index == 0) {
            op->body_start = r->value;
        } else {
            op->body_end = r->value;
        }
        break;
    case J_KEY:
        for (uint32_t i = 0; i < 4 && r->index * 4u + i < sizeof(op->enc_tlv); i++) {
            op->enc_tlv[r->index * 4u + i] = (uint8_t)(r->value >> (8 * i));
        }
        break;
    case J_STEP:
        if (r->value <= INT32_MAX && (int32_t)r->value > op->last_step) {
            op->last_step = (int32_t)r->value;
        }
        break;
    case J_DONE:
        op->done = true;
        break;
    default:
        break;
    }
}

/* Pass 1 of find: the newest START, and the highest generation of any record. */
struct newest {
    struct bl_swap_op *op;
    uint32_t max_any, best_gen, erased;
    int sector, best_sector;
};

static void visit_newest(void *ctx, const struct bl_record *r)
{
    struct newest *n = ctx;
    if (r->type < J_START || r->type > J_DONE) {
        return;
    }
    if (r->aux > n->max_any) {
        n->max_any = r->aux;
    }
    if (r->type == J_START && r->aux > n->best_gen) {
        n->best_gen = r->aux;
        n->best_sector = n->sector;
        memset(n->op, 0, sizeof(*n->op));
        n->op->kind = r->index;
        n->op->type = (uint8_t)((r->value >> 16) & 0x0Fu);
        n->op->flags = (uint8_t)((r->value >> 20) & 0x0Fu);
        n->op->group = (uint8_t)(r->value >> 24);
        n->op->data_sectors = (uint16_t)r->value;
    }
}

/* What a boot's find authenticates (bl_record.h, `want`): of pass 1 only the STARTs, of pass
 * 2 only the records of the operation found. A journal after an install holds hundreds of
 * records, each an HMAC to check: the boot's cost would grow with every install
 * (docs/design/boot-speed.md, "The journal's records"). */
static bool want_start(void *ctx, const struct bl_record *r)
{
    (void)ctx;
    return r->type == J_START;
}

/* Pass 2 in two: the operation's DONE first; then, unless it is done, its other records (nothing
 * reads the body, key or steps of an operation done, bl_swap.h, and they are all its records
 * but two: each an HMAC tag at every boot). */
static bool want_done(void *ctx, const struct bl_record *r)
{
    const struct bl_swap_op *op = ctx;
    return r->aux == op->gen && r->type == J_DONE;
}

static bool want_op(void *ctx, const struct bl_record *r)
{
    const struct bl_swap_op *op = ctx;
    return r->aux == op->gen && r->type > J_START && r->type < J_DONE;
}

static bool want_none(void *ctx, const struct bl_record *r)
{
    (void)ctx, (void)r;
    return false;
}

/* Finds the newest START; with max_any, also the highest generation of any valid record (a
 * begin needs it: records of a begin cut before its START count), which takes every record's
 * tag. */
static int find(const struct bl_journal *j, const uint8_t *key, struct bl_swap_op *op, bool *found,
                uint32_t *max_any)
{
    memset(op, 0, sizeof(*op));
    struct newest n = {op, 0, 0, 0, 0, -1};
    *found = false;
    for (n.sector = 0; n.sector < 2; n.sector++) {
        int rc = bl_record_scan(journal_sector(j, n.sector), key,
                                max_any != NULL ? NULL : want_start, visit_newest, &n, &n.erased);
        if (rc != BL_OK) {
            return rc;
        }
    }
    if (max_any != NULL) {
        *max_any = n.max_any;
    }
    if (n.best_sector < 0) {
        return BL_OK;
    }
    op->gen = n.best_gen;
    op->sector = journal_sector(j, n.best_sector);
    op->last_step = -1;
    int rc = bl_record_scan(op->sector, key, want_done, apply, op, &n.erased);
    if (rc == BL_OK && !op->done) {
        rc = bl_record_scan(op->sector, key, want_op, apply, op, &n.erased);
    }
    *found = rc == BL_OK;
    return rc;
}

int bl_swap_find(const struct bl_journal *j, struct bl_swap_op *op, bool *found)
{
    uint8_t key[BL_RECORD_KEY_LEN];
    *found = false;
    int rc = bl_record_key(j->off, key);
    if (rc == BL_OK) {
        rc = find(j, key, op, found, NULL);
    }
    bl_zeroize(key, sizeof(key));
    return rc;
}

static int journal(const uint8_t *key, const struct bl_swap_op *op, uint8_t type, uint8_t index,
                   uint32_t value)
{
    const struct bl_record r = {type, index, (uint16_t)op->gen, value};
    return bl_record_append(op->sector, key, &r);
}

static int begin(const struct bl_journal *j, const uint8_t *key, struct bl_swap_op *op)
{
    struct bl_swap_op last;
    bool found;
    uint32_t max_any;
    int rc = find(j, key, &last, &found, &max_any);
    if (rc != BL_OK) {
        return rc;
    }
    if (max_any >= GEN_MAX) {
        return BL_E_JOURNAL;
    }
    /* Above every generation seen, so records of a begin cut before its START never mix in. */
    op->gen = max_any + 1;
    op->sector = found ? last.sector : journal_sector(j, 0);
    op->last_step = -1;
    op->done = false;
    uint32_t erased;
    rc = bl_record_scan(op->sector, key, want_none, NULL, NULL, &erased); /* the room left */
    if (rc != BL_OK) {
        return rc;
    }
    if (erased < OP_RECORDS_MAX) {
        /* Everything in the other sector is finished: start afresh there. */
        op->sector =
            op->sector == journal_sector(j, 0) ? journal_sector(j, 1) : journal_sector(j, 0);
        if (plat_flash_erase(op->sector, FLASH_SECTOR_SIZE) != PLAT_FLASH_OK) {
            return BL_E_IO;
        }
    }
    /* START goes last: it commits the operation. Until it is valid, the body and key records
     * written before it are ignored, and a new begin uses a higher generation. */
    rc = journal(key, op, J_BODY, 0, op->body_start);
    if (rc == BL_OK) {
        rc = journal(key, op, J_BODY, 1, op->body_end);
    }
    for (uint32_t i = 0;
         rc == BL_OK && (op->flags & (BL_OP_F_ENCRYPTED | BL_OP_F_BOUND)) && i < KEY_RECORDS; i++) {
        uint32_t w = 0;
        for (uint32_t k = 0; k < 4 && i * 4 + k < sizeof(op->enc_tlv); k++) {
            w |= (uint32_t)op->enc_tlv[i * 4 + k] << (8 * k);
        }
        rc = journal(key, op, J_KEY, (uint8_t)i, w);
    }
    if (rc == BL_OK) {
        rc = journal(key, op, J_START, op->kind,
                     op->data_sectors | (uint32_t)(op->type | (op->flags << 4)) << 16 |
                         (uint32_t)op->group << 24);
    }
    return rc;
}

int bl_swap_begin(const struct bl_journal *j, struct bl_swap_op *op)
{
    uint8_t key[BL_RECORD_KEY_LEN];
    int rc = bl_record_key(j->off, key);
    if (rc == BL_OK) {
        rc = begin(j, key, op);
    }
    bl_zeroize(key, sizeof(key));
    return rc;
}

struct copy_ctx {
    struct bl_aes_ctr *aes; /* decrypt [body_start, body_end) of the slot, or NULL */
    uint32_t body_start, body_end;
    uint32_t slot_pos;   /* slot offset of the sector being copied */
    uint32_t keep_until; /* copy bytes [0, keep_until) of the sector, leave the rest erased */
};

static int all_erased(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != FLASH_ERASED_VALUE) {
            return 0;
        }
    }
    return 1;
}

/* Erase dst, then copy the first c->keep_until bytes of the sector at src into it. */
static int copy_sector(uint32_t src, uint32_t dst, const struct copy_ctx *c)
{
    uint8_t buf[COPY_CHUNK];
    if (plat_flash_erase(dst, FLASH_SECTOR_SIZE) != PLAT_FLASH_OK) {
        return BL_E_IO;
    }
    for (uint32_t off = 0; off < c->keep_until; off += COPY_CHUNK) {
        uint32_t n = c->keep_until - off < COPY_CHUNK ? c->keep_until - off : COPY_CHUNK;
        if (plat_flash_read(src + off, buf, n) != PLAT_FLASH_OK) {
            return BL_E_IO;
        }
        if (c->aes != NULL) {
            uint32_t from = c->slot_pos + off, to = from + n;
            uint32_t lo = from > c->body_start ? from : c->body_start;
            uint32_t hi = to < c->body_end ? to : c->body_end;
            if (lo < hi) {
                bl_aes_ctr_crypt(c->aes, lo - c->body_start, buf + (lo - from), hi - lo);
            }
        }
        /* Erased units stay unprogrammed: fewer writes, same contents. */
        for (uint32_t u = 0; u < n; u += FLASH_PROGRAM_UNIT) {
            if (!all_erased(buf + u, FLASH_PROGRAM_UNIT) &&
                plat_flash_program(dst + off + u, buf + u, FLASH_PROGRAM_UNIT) != PLAT_FLASH_OK) {
                bl_zeroize(buf, sizeof(buf));
                return BL_E_IO;
            }
        }
    }
    bl_zeroize(buf, sizeof(buf));
    return BL_OK;
}

static int run(const struct bl_journal *j, const uint8_t *key, struct bl_swap_op *op,
               const uint8_t *device_priv)
{
    const struct bl_slot_pair *s = bl_slots((enum bl_kind)op->kind);
    if (s == NULL || (op->type != BL_OP_INSTALL && op->type != BL_OP_REVERT) ||
        op->data_sectors > s->size / FLASH_SECTOR_SIZE || op->body_start > op->body_end ||
        op->body_end > s->size) {
        return BL_E_JOURNAL;
    }
    if (op->done) {
        return BL_OK;
    }
    const uint32_t last = s->size / FLASH_SECTOR_SIZE - 1;
    const uint32_t positions = op->data_sectors + (op->data_sectors <= last ? 1u : 0u);
    struct bl_aes_ctr aes;
    bool decrypt = op->type == BL_OP_INSTALL && (op->flags & BL_OP_F_ENCRYPTED) != 0;
    if (decrypt) {
        uint8_t aes_key[BL_AES_KEY_MAX];
        const uint32_t key_len = bl_swap_key_len(op);
        int rc = device_priv != NULL
                     ? bl_ecies_p256_unwrap(device_priv, op->enc_tlv, key_len, aes_key)
                     : BL_E_ENC;
        if (rc == BL_OK) {
            rc = bl_aes_ctr_start(&aes, aes_key, key_len);
        }
        bl_zeroize(aes_key, sizeof(aes_key));
        if (rc != BL_OK) {
            return rc;
        }
    }
    int rc = BL_OK;
    for (uint32_t step = (uint32_t)(op->last_step + 1); rc == BL_OK && step < positions * 3;
         step++) {
        uint32_t pos = step / 3;
        uint32_t sector = pos < op->data_sectors ? pos : last;
        uint32_t at = sector * FLASH_SECTOR_SIZE;
        struct copy_ctx c = {NULL, 0, 0, at, FLASH_SECTOR_SIZE};
        /* The trailers are written from the operation, never copied (see the design). */
        uint32_t keep = sector == last ? FLASH_SECTOR_SIZE - BL_TRAILER_SIZE : FLASH_SECTOR_SIZE;
        switch (step % 3) {
        case 0: /* download -> scratch */
            rc = copy_sector(s->secondary + at, j->scratch, &c);
            break;
        case 1: /* active -> download */
            c.keep_until = keep;
            rc = copy_sector(s->primary + at, s->secondary + at, &c);
            break;
        default: /* scratch -> active, decrypting the new payload */
            c.keep_until = keep;
            if (decrypt) {
                c.aes = &aes;
                c.body_start = op->body_start;
                c.body_end = op->body_end;
            }
            rc = copy_sector(j->scratch, s->primary + at, &c);
            if (rc == BL_OK && sector == last && op->type == BL_OP_INSTALL) {
                if (op->flags & BL_OP_F_PERMANENT) {
                    rc = bl_trailer_set(s->primary, s->size, BL_TRAILER_IMAGE_OK);
                } else {
                    /* Bound to the image now in the download slot: the only one a revert may
                     * take (an install without a binding binds nothing: never reverted). */
                    rc = bl_trailer_set_trial(s->primary, s->size, op->enc_tlv + BL_SWAP_PREV_AT,
                                              op->group);
                }
            }
            break;
        }
        if (rc == BL_OK) {
            rc = journal(key, op, J_STEP, 0, step);
            op->last_step = (int32_t)step;
        }
    }
    if (decrypt) {
        bl_aes_ctr_end(&aes);
    }
    if (rc == BL_OK) {
        rc = journal(key, op, J_DONE, 0, 0);
        op->done = rc == BL_OK;
    }
    return rc;
}

int bl_swap_run(const struct bl_journal *j, struct bl_swap_op *op, const uint8_t *device_priv)
{
    uint8_t key[BL_RECORD_KEY_LEN];
    int rc = bl_record_key(j->off, key);
    if (rc == BL_OK) {
        rc = run(j, key, op, device_priv);
    }
    bl_zeroize(key, sizeof(key));
    return rc;
}
