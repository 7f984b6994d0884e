/*
 * its_store.c: the ITS engine (its_store.h). A log of records over whole flash sectors:
 *
 *   sector:  header (16 B: magic, seq, MAC) then records, appended in order
 *   record:  header (48 B: kind, flags, owner, uid, size, nonce, MAC)
 *            [ciphertext, padded to 16 B] [GCM tag, 16 B] commit unit (16 B of 0x00)
 *
 * - A record counts only once its commit unit is programmed, which is the last thing written:
 *   a power cut before that leaves a record that is ignored, so every change is atomic.
 * - The newest committed record of an (owner, UID) wins: sectors by seq, records by offset.
 *   A remove writes a tombstone record.
 * - The GCM nonce is 12 fresh bytes from the entropy source (cfg->entropy), drawn for each
 *   write and kept in the authenticated header. Nothing read from flash goes into it: flash
 *   can be erased or rolled back, and a nonce derived from its contents would then repeat.
 *   Garbage collection copies records verbatim, nonce included, so it needs no cryptography
 *   and encrypts nothing anew.
 * - Garbage collection takes the oldest sector, copies its live records to the newest, writes
 *   an erase marker record naming it, then erases it. Mount finishes an erase that a power cut
 *   interrupted. Sectors are used round robin, which levels wear.
 * - Quotas: a set is checked against its owner's reservation (cfg->quota) of index entries
 *   and live-record bytes, counted from the index, before anything is written; the
 *   reservations add up to at most the index and the capacity, so the collector keeps room.
 *   A splitting owner's assets are also checked against the part of its client (the UID's
 *   upper half).
 * - Tampering: a header or record that fails its MAC where no power cut can have left it, or a
 *   sector header that is neither valid, erased nor explained by a marker, makes the store
 *   corrupt (PSA_ERROR_DATA_CORRUPT); a committed record whose data fails its tag reads as
 *   PSA_ERROR_INVALID_SIGNATURE. Nothing unauthenticated is ever returned.
 */
#include "its_store.h"

#include <stdbool.h>
#include <string.h>

#include "flash_map.h"
#include "its_crypto.h"

#define SECTOR      FLASH_SECTOR_SIZE
#define UNIT        FLASH_PROGRAM_UNIT
#define SECTORS_MAX (FLASH_ITS_SIZE_MAX / FLASH_SECTOR_SIZE)
#define SECTOR_HDR  16u
#define RECORD_HDR  48u
#define USABLE      (SECTOR - SECTOR_HDR)
#define MARKER      (RECORD_HDR + UNIT) /* an erase marker's bytes */
/* The data records of a sector take at most DATA_MAX bytes, so that a collection can always
 * copy the live ones of a sector into an empty one and still write its marker there. */
#define DATA_MAX    (USABLE - MARKER)

/* Collections into a fresh sector keep this much live data always storable (its.md, Garbage
 * collection): (sectors - 1) x (DATA_MAX - largest record) must be at least the capacity,
 * (sectors - 2) x (USABLE - largest record), for every area size. */
_Static_assert((FLASH_ITS_SIZE_MAX / FLASH_SECTOR_SIZE - 1u) * MARKER <=
                   USABLE - (RECORD_HDR + ITS_ASSET_SIZE_LIMIT + 16u + UNIT),
               "the capacity rule holds with the marker room kept in each sector");

/* The largest record leaves a quarter of a sector free (docs/design/its.md, capacity). */
_Static_assert(RECORD_HDR + ITS_ASSET_SIZE_LIMIT + 16u + UNIT <= USABLE / 2u + USABLE / 4u &&
                   RECORD_HDR + ITS_ASSET_SIZE_LIMIT + UNIT + 16u + UNIT >
                       USABLE / 2u + USABLE / 4u,
               "ITS_ASSET_SIZE_LIMIT is the largest asset whose record fits");

#define MAGIC_SECTOR 0x53535449u /* "ITSS" */
#define MAGIC_GC     0x47535449u /* "ITSG": opened by the collector as its destination */
#define KIND_DATA    0x4449u     /* "ID" */
#define KIND_TOMB    0x5449u     /* "IT" */
#define KIND_ERASE   0x4549u     /* "IE" */
#define KIND_RESUME  0x5249u     /* "IR": writing resumed after torn headers from `size` on */

#define FLAGS_KNOWN                                                                                \
    (PSA_STORAGE_FLAG_WRITE_ONCE | PSA_STORAGE_FLAG_NO_CONFIDENTIALITY |                           \
     PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION)

enum sector_state {
    SECTOR_FREE,    /* erased: may be opened */
    SECTOR_DIRTY,   /* not in use, but must be erased before it is opened */
    SECTOR_USED,    /* valid header: holds records */
    SECTOR_SUSPECT, /* mount only: an invalid header over records, no marker seen yet */
};

struct sector {
    uint32_t seq;
    uint16_t used;      /* offset of the first free byte */
    uint16_t torn_from; /* where torn headers at its end begin (0: none) */
    uint16_t data;      /* bytes of the data records in it (at most DATA_MAX) */
    uint8_t state;
    bool gc;     /* opened by the collector: its records count only once its marker does */
    bool marked; /* mount: holds a committed erase marker */
};

struct entry {
    int32_t owner;
    uint32_t size;
    uint64_t uid;
    uint32_t flags;
    uint8_t sector;
    bool in_use;
    uint16_t offset;
    uint16_t moved_to; /* collection: its copy's offset in the destination (0: none yet) */
};

/* A record header, decoded. */
struct rec {
    uint32_t kind;
    int32_t owner;
    uint64_t uid;
    uint32_t size;  /* data: bytes; erase marker: the sector index */
    uint32_t flags; /* data: PSA flags (16 bits in flash); erase marker: the sector's seq */
    uint8_t nonce[ITS_NONCE_SIZE]; /* data: the GCM nonce; erase marker: the seq, then 0 */
};

static struct {
    struct its_store_config cfg;
    uint32_t sectors;
    struct sector sector[SECTORS_MAX];
    struct entry index[ITS_MAX_ASSETS];
    uint32_t tag[ITS_MAX_ASSETS]; /* entry_tag of index[i] while in use, 0 while free */
    uint32_t span;                /* entries [span, ITS_MAX_ASSETS) are all free */
    int active;                   /* index of the newest USED sector, or -1 */
    int pending; /* a collection's destination the power cut before its marker, or -1 */
    uint32_t next_seq;
    size_t live;
    struct its_quota quota[ITS_QUOTA_MAX]; /* the configuration's, copied at mount */
    bool module[ITS_QUOTA_MAX];            /* quota[i] was unclaimed at mount: a module's */
    bool mounted, corrupt;
} st;

static uint8_t chunk[ITS_CHUNK];

static size_t align_unit(size_t n)
{
    return (n + UNIT - 1u) & ~(size_t)(UNIT - 1u);
}

size_t its_store_record_size(size_t length)
{
    return RECORD_HDR + align_unit(length) + ITS_TAG_SIZE + UNIT;
}

static uint32_t rec_bytes(const struct rec *r)
{
    return r->kind == KIND_DATA ? (uint32_t)its_store_record_size(r->size) : RECORD_HDR + UNIT;
}

static uint32_t flash_at(uint32_t sector, uint32_t off)
{
    return st.cfg.offset + sector * SECTOR + off;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static psa_status_t flash_status(int rc)
{
    return rc == 0 ? PSA_SUCCESS : PSA_ERROR_STORAGE_FAILURE;
}

static psa_status_t read_flash(uint32_t at, void *buf, size_t n)
{
    return flash_status(st.cfg.flash->read(at, buf, n));
}

static psa_status_t program(uint32_t at, const void *buf, size_t n)
{
    return flash_status(st.cfg.flash->program(at, buf, n));
}

/* Whether [at, at + n) holds no programmed unit (n whole units). */
static psa_status_t blank(uint32_t at, uint32_t n, bool *is_blank)
{
    int rc = st.cfg.flash->blank(at, n);
    *is_blank = rc == 1;
    return rc < 0 ? PSA_ERROR_STORAGE_FAILURE : PSA_SUCCESS;
}

/* ---- headers ---------------------------------------------------------------------------- */

/* [0..1] kind [2..3] flags [4..7] owner [8..15] uid [16..19] size [20..31] nonce [32..47] MAC.
 * The PSA flags the engine accepts fit 16 bits (FLAGS_KNOWN); a marker's seq is in the nonce.
 * The MAC covers the first 32 bytes and where the record is: its sector's seq and its offset.
 * Threat: a record copied elsewhere (an older, superseded version of an asset written again
 * after the newest) would otherwise read as authentic and roll the asset back; bound to its
 * place, a copy fails its MAC and the store reports DATA_CORRUPT. The collector's copies are
 * given a header of their own place (the data, tag and GCM additional data are unchanged). */
_Static_assert(FLAGS_KNOWN <= 0xFFFFu, "the flags fit their 16 bits");
static void header_mac(const uint8_t h[RECORD_HDR], uint32_t sector, uint32_t off,
                       uint8_t mac[ITS_MAC_SIZE])
{
    uint8_t msg[32 + 8];
    memcpy(msg, h, 32);
    put32(msg + 32, st.sector[sector].seq);
    put32(msg + 36, off);
    (void)its_crypto_mac(msg, sizeof(msg), mac);
}

static void encode_rec(const struct rec *r, uint32_t sector, uint32_t off, uint8_t h[RECORD_HDR])
{
    uint8_t nonce[ITS_NONCE_SIZE];
    memcpy(nonce, r->nonce, sizeof(nonce));
    uint32_t flags = r->flags;
    if (r->kind == KIND_ERASE) {
        memset(nonce, 0, sizeof(nonce));
        put32(nonce, r->flags);
        flags = 0;
    }
    put32(h, r->kind | flags << 16);
    put32(h + 4, (uint32_t)r->owner);
    put32(h + 8, (uint32_t)r->uid);
    put32(h + 12, (uint32_t)(r->uid >> 32));
    put32(h + 16, r->size);
    memcpy(h + 20, nonce, sizeof(nonce));
    header_mac(h, sector, off, h + 32);
}

/* Decodes and authenticates the record header found at `off` of `sector`. */
static bool decode_rec(const uint8_t h[RECORD_HDR], uint32_t sector, uint32_t off, struct rec *r)
{
    uint8_t mac[ITS_MAC_SIZE];
    header_mac(h, sector, off, mac);
    if (!its_crypto_equal(mac, h + 32, ITS_MAC_SIZE)) {
        return false;
    }
    r->kind = get32(h) & 0xFFFFu;
    r->flags = get32(h) >> 16;
    r->owner = (int32_t)get32(h + 4);
    r->uid = (uint64_t)get32(h + 8) | (uint64_t)get32(h + 12) << 32;
    r->size = get32(h + 16);
    memcpy(r->nonce, h + 20, sizeof(r->nonce));
    if (r->kind == KIND_ERASE) {
        r->flags = get32(h + 20);
    }
    return r->kind == KIND_DATA || r->kind == KIND_TOMB || r->kind == KIND_ERASE ||
           r->kind == KIND_RESUME;
}

static void sector_header(uint32_t index, uint32_t seq, bool gc, uint8_t h[SECTOR_HDR])
{
    uint8_t msg[12], mac[ITS_MAC_SIZE];
    put32(msg, gc ? MAGIC_GC : MAGIC_SECTOR);
    put32(msg + 4, seq);
    put32(msg + 8, index); /* bound to its place: a header copied elsewhere is refused */
    (void)its_crypto_mac(msg, sizeof(msg), mac);
    memcpy(h, msg, 8);
    memcpy(h + 8, mac, 8);
}

/* ---- the index -------------------------------------------------------------------------- */

/* One word per index entry, never 0 for one in use: find compares a word an entry, and the
 * whole key only where the word matches; and only up to the last entry in use (free_entry
 * takes the lowest free one, so they stay packed at the start). A lookup of a UID that does
 * not exist, as every psa_its_get_info before a psa_its_set is, costs the assets stored, not
 * the index's size. */
static uint32_t entry_tag(int32_t owner, psa_storage_uid_t uid)
{
    return ((uint32_t)uid ^ (uint32_t)(uid >> 32) * 0x9E3779B1u ^ (uint32_t)owner * 0x85EBCA77u) |
           1u;
}

static struct entry *find(int32_t owner, psa_storage_uid_t uid)
{
    const uint32_t tag = entry_tag(owner, uid);
    for (uint32_t i = 0; i < st.span; i++) {
        if (st.tag[i] == tag) {
            struct entry *e = &st.index[i];
            if (e->in_use && e->uid == uid && e->owner == owner) {
                return e;
            }
        }
    }
    return NULL;
}

static struct entry *free_entry(void)
{
    for (uint32_t i = 0; i < ITS_MAX_ASSETS; i++) {
        if (!st.index[i].in_use) {
            return &st.index[i];
        }
    }
    return NULL;
}

/* A committed record at (sector, off) takes effect. */
static psa_status_t apply(const struct rec *r, uint32_t sector, uint32_t off)
{
    struct entry *e = find(r->owner, r->uid);
    if (r->kind == KIND_TOMB) {
        if (e != NULL) {
            st.live -= its_store_record_size(e->size);
            e->in_use = false;
            st.tag[e - st.index] = 0;
            while (st.span > 0u && st.tag[st.span - 1u] == 0u) {
                st.span--;
            }
        }
        return PSA_SUCCESS;
    }
    if (e == NULL) {
        e = free_entry();
        if (e == NULL) {
            return PSA_ERROR_DATA_CORRUPT; /* more assets than we ever let in */
        }
        e->in_use = true;
        e->owner = r->owner;
        e->uid = r->uid;
        const uint32_t i = (uint32_t)(e - st.index);
        st.tag[i] = entry_tag(r->owner, r->uid);
        st.span = i + 1u > st.span ? i + 1u : st.span;
    } else {
        st.live -= its_store_record_size(e->size);
    }
    e->size = r->size;
    e->flags = r->flags;
    e->sector = (uint8_t)sector;
    e->offset = (uint16_t)off;
    st.live += its_store_record_size(r->size);
    return PSA_SUCCESS;
}

/* ---- mount ------------------------------------------------------------------------------ */

/* Walks the records of USED sector s: calls visit for each committed one. Returns
 * PSA_ERROR_DATA_CORRUPT for a record no power cut explains. Sets the sector's `used`. */
typedef psa_status_t (*visit_fn)(const struct rec *r, uint32_t sector, uint32_t off);

/* PSA_SUCCESS if sector s is erased from `at` to its end, else DATA_CORRUPT (or a read error). */
static psa_status_t nothing_from(uint32_t s, uint32_t at)
{
    bool erased;
    psa_status_t status = blank(flash_at(s, at), SECTOR - at, &erased);
    return status != PSA_SUCCESS ? status : erased ? PSA_SUCCESS : PSA_ERROR_DATA_CORRUPT;
}

/*
 * A header at `off` of sector s that fails its MAC. Only a power cut leaves one: it stops the
 * write in the header, so at most its last unit is programmed in part and nothing of that
 * record follows. The sector does not close there (closing it cost its free space at every
 * cut, and a few cuts in a row left the collector no sector to copy into: every later write
 * failed): the next mount writes a RESUME record in the next 48-byte slot, naming `off`, and
 * the log goes on. A cut in that write leaves another torn slot, and the next mount tries the
 * slot after it. So from `off` on, in slots of one header: torn slots, each with an erased unit
 * (a header cut before its end), then either a RESUME naming `off` (*resume: its offset), or an
 * erased slot, or one last slot programmed to its end (a cut in its last unit), with nothing
 * programmed after that (*resume 0; *tail: where the next write goes). Anything else (a
 * flipped bit in a header with its record after it, a valid record after garbage that no
 * RESUME names) no cut explains.
 */
static psa_status_t after_torn(uint32_t s, uint32_t off, uint32_t *resume, uint32_t *tail)
{
    *resume = 0;
    *tail = SECTOR; /* torn slots to the end, unless found otherwise */
    for (uint32_t q = off; q + RECORD_HDR <= SECTOR; q += RECORD_HDR) {
        bool erased[RECORD_HDR / UNIT], any = false, all = true;
        for (uint32_t u = 0; u < RECORD_HDR / UNIT; u++) {
            psa_status_t status = blank(flash_at(s, q + u * UNIT), UNIT, &erased[u]);
            if (status != PSA_SUCCESS) {
                return status;
            }
            any |= erased[u];
            all &= erased[u];
        }
        uint8_t h[RECORD_HDR];
        struct rec r;
        psa_status_t status = PSA_SUCCESS;
        if (all) {
            *tail = q; /* the end of the torn slots: the rest must be erased too */
            return nothing_from(s, q);
        }
        if (q != off && !any) {
            status = read_flash(flash_at(s, q), h, sizeof(h));
            if (status != PSA_SUCCESS) {
                return status;
            }
            if (decode_rec(h, s, q, &r)) {
                if (r.kind != KIND_RESUME || r.size != off) {
                    return PSA_ERROR_DATA_CORRUPT;
                }
                *resume = q;
                return PSA_SUCCESS;
            }
        }
        if (!any) {
            /* Programmed to its end: the last torn slot, then a RESUME naming `off`, or
             * nothing; else no cut's doing. */
            *tail = q + RECORD_HDR;
            if (*tail + RECORD_HDR <= SECTOR) {
                status = read_flash(flash_at(s, *tail), h, sizeof(h));
                if (status != PSA_SUCCESS) {
                    return status;
                }
                if (decode_rec(h, s, *tail, &r) && r.kind == KIND_RESUME && r.size == off) {
                    *resume = *tail;
                    return PSA_SUCCESS;
                }
            }
            return nothing_from(s, *tail);
        }
    }
    return PSA_SUCCESS;
}

static psa_status_t walk(uint32_t s, visit_fn visit)
{
    uint32_t off = SECTOR_HDR, data = 0;
    st.sector[s].torn_from = 0;
    while (off + RECORD_HDR + UNIT <= SECTOR) {
        uint8_t h[RECORD_HDR];
        bool empty;
        psa_status_t status = blank(flash_at(s, off), RECORD_HDR, &empty);
        if (status != PSA_SUCCESS) {
            return status;
        }
        if (empty) {
            break; /* the end of what was written */
        }
        struct rec r;
        status = read_flash(flash_at(s, off), h, sizeof(h));
        if (status != PSA_SUCCESS) {
            return status;
        }
        if (!decode_rec(h, s, off, &r)) {
            /* Torn headers: see after_torn. */
            uint32_t resume, tail;
            status = after_torn(s, off, &resume, &tail);
            if (status != PSA_SUCCESS) {
                return status;
            }
            if (resume == 0u) {
                st.sector[s].torn_from = (uint16_t)off;
                off = tail;
                break;
            }
            off = resume;
            continue;
        }
        uint32_t bytes = rec_bytes(&r);
        if ((r.kind == KIND_DATA && r.size > st.cfg.max_asset) || bytes > SECTOR - off) {
            return PSA_ERROR_DATA_CORRUPT; /* authentic but impossible */
        }
        uint8_t commit[UNIT];
        status = read_flash(flash_at(s, off + bytes - UNIT), commit, UNIT);
        if (status != PSA_SUCCESS) {
            return status;
        }
        bool committed = false;
        for (uint32_t i = 0; i < UNIT; i++) {
            committed |= commit[i] != FLASH_ERASED_VALUE;
        }
        if (committed && r.kind == KIND_DATA) {
            data += bytes;
        }
        if (committed && visit != NULL) {
            status = visit(&r, s, off);
            if (status != PSA_SUCCESS) {
                return status;
            }
        }
        off += bytes;
    }
    st.sector[s].used = (uint16_t)(off > SECTOR ? SECTOR : off);
    /* More data than DATA_MAX is only in a store written before the marker room was kept:
     * nothing more goes into that sector. */
    st.sector[s].data = (uint16_t)(data > DATA_MAX ? DATA_MAX : data);
    return PSA_SUCCESS;
}

/* First pass: erase markers. A marked sector still holding the marked seq, or an invalid header
 * over records, was being erased when power was cut; an erased one needs nothing more. */
static psa_status_t visit_marker(const struct rec *r, uint32_t sector, uint32_t off)
{
    (void)off;
    if (r->kind == KIND_ERASE) {
        st.sector[sector].marked = true; /* a collection into it was finished */
    }
    if (r->kind == KIND_ERASE && r->size < st.sectors) {
        struct sector *t = &st.sector[r->size];
        if (t->state == SECTOR_SUSPECT || (t->state == SECTOR_USED && t->seq == r->flags)) {
            t->state = SECTOR_DIRTY; /* explained: it is erased at the end of the mount */
        }
    }
    return PSA_SUCCESS;
}

static psa_status_t visit_apply(const struct rec *r, uint32_t sector, uint32_t off)
{
    return r->kind == KIND_ERASE || r->kind == KIND_RESUME ? PSA_SUCCESS : apply(r, sector, off);
}

/* USED sectors in seq order (insertion sort; a few dozen at most). */
static uint32_t by_seq(uint8_t order[SECTORS_MAX])
{
    uint32_t n = 0;
    for (uint32_t s = 0; s < st.sectors; s++) {
        if (st.sector[s].state != SECTOR_USED) {
            continue;
        }
        uint32_t i = n++;
        while (i > 0 && st.sector[order[i - 1]].seq > st.sector[s].seq) {
            order[i] = order[i - 1];
            i--;
        }
        order[i] = (uint8_t)s;
    }
    return n;
}

static psa_status_t erase_sector(uint32_t s)
{
    psa_status_t status = flash_status(st.cfg.flash->erase(flash_at(s, 0), SECTOR));
    if (status == PSA_SUCCESS) {
        st.sector[s].state = SECTOR_FREE;
        st.sector[s].used = 0;
    }
    return status;
}

static psa_status_t mount_sectors(void)
{
    for (uint32_t s = 0; s < st.sectors; s++) {
        struct sector *sec = &st.sector[s];
        uint8_t h[SECTOR_HDR], want[SECTOR_HDR];
        bool empty;
        psa_status_t status = read_flash(flash_at(s, 0), h, sizeof(h));
        if (status == PSA_SUCCESS) {
            status = blank(flash_at(s, 0), SECTOR, &empty);
        }
        if (status != PSA_SUCCESS) {
            return status;
        }
        sec->used = 0;
        if (empty) {
            sec->state = SECTOR_FREE;
            continue;
        }
        sec->gc = get32(h) == MAGIC_GC;
        sector_header(s, get32(h + 4), sec->gc, want);
        if ((get32(h) == MAGIC_SECTOR || sec->gc) && its_crypto_equal(h, want, SECTOR_HDR)) {
            sec->state = SECTOR_USED;
            sec->seq = get32(h + 4);
            continue;
        }
        /* Not a valid header: a torn open (nothing after the header), a torn erase (explained
         * by a marker in the first pass), or tampering (decided after that pass). */
        status = blank(flash_at(s, SECTOR_HDR), SECTOR - SECTOR_HDR, &empty);
        if (status != PSA_SUCCESS) {
            return status;
        }
        sec->state = empty ? SECTOR_DIRTY : SECTOR_SUSPECT;
    }
    return PSA_SUCCESS;
}

/* The reservations: distinct owners, adding up to no more than the index and the capacity. */
static bool quotas_valid(const struct its_store_config *cfg)
{
    if (cfg->quota == NULL || cfg->quotas == 0u || cfg->quotas > ITS_QUOTA_MAX) {
        return false;
    }
    uint32_t assets = 0, share = 0;
    for (uint32_t i = 0; i < cfg->quotas; i++) {
        for (uint32_t j = 0; j < i; j++) {
            if (cfg->quota[j].owner == cfg->quota[i].owner &&
                cfg->quota[i].owner != ITS_OWNER_UNCLAIMED) {
                return false;
            }
        }
        const struct its_quota *q = &cfg->quota[i];
        if (q->split && (q->split_assets > q->assets || q->split_share > q->share)) {
            return false; /* a client's part is within its owner's reservation */
        }
        assets += q->assets;
        share += q->share;
    }
    return assets <= ITS_MAX_ASSETS && share <= ITS_SHARE_WHOLE;
}

/*
 * After the markers are known: a collection the power cut before its marker committed left its
 * destination (a collector's sector without a marker, the newest sector) holding committed
 * copies of records its victim still holds, and maybe a copy begun. It stays `pending`: its
 * copies are read like any record, nothing else is written until the collection is finished,
 * by the next write (finish_pending: resumed where there is room, else started again from an
 * empty sector). A second such sector no cut explains. Then an invalid header over records is
 * tampering, with one exception: the erase of a destination being started again, cut in turn,
 * when it was the only sector not in use (a collection takes the last free one, so that is the
 * only state where none is free).
 */
static psa_status_t abandoned_collections(void)
{
    uint32_t suspect = 0, used = 0;
    st.pending = -1;
    for (uint32_t s = 0; s < st.sectors; s++) {
        struct sector *sec = &st.sector[s];
        if (sec->state == SECTOR_USED && sec->gc && !sec->marked) {
            if (st.pending >= 0) {
                return PSA_ERROR_DATA_CORRUPT;
            }
            st.pending = (int)s;
        }
        suspect += sec->state == SECTOR_SUSPECT;
        used += sec->state == SECTOR_USED;
    }
    for (uint32_t s = 0; st.pending >= 0 && s < st.sectors; s++) {
        if (st.sector[s].state == SECTOR_USED && st.sector[s].seq > st.sector[st.pending].seq) {
            return PSA_ERROR_DATA_CORRUPT; /* written after a collection that never finished */
        }
    }
    if (suspect == 0u) {
        return PSA_SUCCESS;
    }
    if (suspect != 1u || used != st.sectors - 1u) {
        return PSA_ERROR_DATA_CORRUPT; /* an invalid header over records, unexplained */
    }
    for (uint32_t s = 0; s < st.sectors; s++) {
        if (st.sector[s].state == SECTOR_SUSPECT) {
            st.sector[s].state = SECTOR_DIRTY;
        }
    }
    return PSA_SUCCESS;
}

static psa_status_t resume_after_torn(void);

psa_status_t its_store_mount(const struct its_store_config *cfg, const uint8_t root_key[32])
{
    memset(&st, 0, sizeof(st));
    st.active = -1;
    st.pending = -1;
    if (cfg->flash == NULL || cfg->entropy == NULL || cfg->offset % SECTOR != 0u ||
        cfg->size % SECTOR != 0u || cfg->size < ITS_SECTORS_MIN * SECTOR ||
        cfg->size > FLASH_ITS_SIZE_MAX || cfg->max_asset == 0u ||
        cfg->max_asset > ITS_ASSET_SIZE_LIMIT) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if (!quotas_valid(cfg)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    st.cfg = *cfg;
    memcpy(st.quota, cfg->quota, cfg->quotas * sizeof(st.quota[0]));
    for (uint32_t i = 0; i < ITS_QUOTA_MAX; i++) {
        st.module[i] = i < cfg->quotas && cfg->quota[i].owner == ITS_OWNER_UNCLAIMED;
    }
    st.cfg.quota = st.quota; /* the caller's table need not outlive the mount */
    st.sectors = cfg->size / SECTOR;
    if (its_crypto_init(root_key) != 0) {
        return PSA_ERROR_STORAGE_FAILURE;
    }
    psa_status_t status = mount_sectors();
    uint8_t order[SECTORS_MAX];
    uint32_t used = by_seq(order);
    /* Pass 1, newest first: erase markers. A marker is always in a sector newer than the one
     * it names, so a half-erased sector is known before it would be read. */
    for (uint32_t i = used; status == PSA_SUCCESS && i-- > 0;) {
        if (st.sector[order[i]].state == SECTOR_USED) {
            status = walk(order[i], visit_marker);
        }
    }
    /* The newest seq any valid header holds: seqs only go up, even past an abandoned sector. */
    uint32_t newest = used > 0 ? st.sector[order[used - 1]].seq : 0u;
    if (status == PSA_SUCCESS) {
        status = abandoned_collections();
    }
    /* Pass 2: the index, from the sectors still in use. */
    used = by_seq(order);
    for (uint32_t i = 0; status == PSA_SUCCESS && i < used; i++) {
        status = walk(order[i], visit_apply);
    }
    if (status == PSA_ERROR_DATA_CORRUPT) {
        st.corrupt = true;
        st.mounted = true;
        return status;
    }
    if (status != PSA_SUCCESS) {
        return status;
    }
    st.active = used > 0 ? order[used - 1] : -1;
    st.next_seq = newest + 1u;
    st.mounted = true;
    status = resume_after_torn();
    if (status != PSA_SUCCESS) {
        return status;
    }
    /* Finish interrupted erases now: nothing in those sectors is needed any more. */
    for (uint32_t s = 0; s < st.sectors; s++) {
        if (st.sector[s].state == SECTOR_DIRTY) {
            status = erase_sector(s);
            if (status != PSA_SUCCESS) {
                return status;
            }
        }
    }
    return PSA_SUCCESS;
}

/* ---- writing ---------------------------------------------------------------------------- */

static psa_status_t write_record(struct rec *r, its_source_t source, void *ctx, uint32_t *sector,
                                 uint32_t *off);

/* Torn headers at the end of the sector writes go on in: a RESUME record after them names
 * where they begin (see after_torn), before anything else is written there; without room for
 * it the sector is full. */
static psa_status_t resume_after_torn(void)
{
    if (st.active < 0 || st.sector[st.active].torn_from == 0u) {
        return PSA_SUCCESS;
    }
    struct sector *sec = &st.sector[st.active];
    if (SECTOR - (uint32_t)sec->used < RECORD_HDR + UNIT) {
        sec->used = SECTOR;
        return PSA_SUCCESS;
    }
    struct rec resume = {.kind = KIND_RESUME, .size = sec->torn_from};
    uint32_t s, o;
    psa_status_t status = write_record(&resume, NULL, NULL, &s, &o);
    sec->torn_from = 0;
    return status;
}

static psa_status_t ready(void)
{
    if (!st.mounted) {
        return PSA_ERROR_STORAGE_FAILURE;
    }
    return st.corrupt ? PSA_ERROR_DATA_CORRUPT : PSA_SUCCESS;
}

size_t its_store_capacity(void)
{
    if (!st.mounted) {
        return 0;
    }
    /* Every sector closes with less than one largest record free, and two are kept for the
     * garbage collector: this much live data always fits (docs/design/its.md). */
    return (size_t)(st.sectors - 2u) * (USABLE - its_store_record_size(st.cfg.max_asset));
}

size_t its_store_used(void)
{
    return st.live;
}

static const struct its_quota *quota_of(int32_t owner)
{
    for (uint32_t i = 0; owner != ITS_OWNER_UNCLAIMED && st.mounted && i < st.cfg.quotas; i++) {
        if (st.quota[i].owner == owner) {
            return &st.quota[i];
        }
    }
    return NULL;
}

bool its_store_claim(int32_t owner)
{
    if (owner == ITS_OWNER_UNCLAIMED || !st.mounted) {
        return false;
    }
    if (quota_of(owner) != NULL) {
        return true;
    }
    for (uint32_t i = 0; i < st.cfg.quotas; i++) {
        if (st.quota[i].owner == ITS_OWNER_UNCLAIMED) {
            st.quota[i].owner = owner;
            return true;
        }
    }
    return false;
}

/* Whether id holds a module's reservation (one unclaimed at mount, claimed since). */
static bool module_owner(int32_t id)
{
    for (uint32_t i = 0; id != ITS_OWNER_UNCLAIMED && i < st.cfg.quotas; i++) {
        if (st.module[i] && st.quota[i].owner == id) {
            return true;
        }
    }
    return false;
}

/* Whether a splitting owner's asset of one of its clients is charged to that client's own
 * reservation: a secure module's (the crypto service's keys of a module count against the
 * module's reservation, not against the crypto service's parts, which are sized for the
 * manifests' clients only: so modules' keys cannot fill them). */
static bool charged_to_module(int32_t owner, psa_storage_uid_t uid)
{
    const struct its_quota *q = quota_of(owner);
    const uint32_t client = (uint32_t)(uid >> 32);
    return q != NULL && q->split && client != 0u && module_owner((int32_t)client);
}

/* Usage of owner's assets, all of them or (whole false) those of one client of it; a module's
 * usage takes in the keys charged to it. Counted from the index each time: nothing to keep in
 * step, and the mount's rebuild of the index is the rebuild of every owner's usage. 57
 * entries cost nothing next to a set's key derivation. */
static bool counts_for(const struct entry *e, int32_t owner, bool whole, uint32_t client)
{
    if (charged_to_module(e->owner, e->uid)) {
        return whole && (int32_t)(uint32_t)(e->uid >> 32) == owner;
    }
    return e->owner == owner && (whole || (uint32_t)(e->uid >> 32) == client);
}

static void count(int32_t owner, bool whole, uint32_t client, struct its_usage *used)
{
    used->assets = 0;
    used->bytes = 0;
    for (uint32_t i = 0; i < ITS_MAX_ASSETS; i++) {
        const struct entry *e = &st.index[i];
        if (e->in_use && counts_for(e, owner, whole, client)) {
            used->assets++;
            used->bytes += its_store_record_size(e->size);
        }
    }
}

void its_store_usage(int32_t owner, struct its_usage *used, struct its_usage *share)
{
    const struct its_quota *q = quota_of(owner);
    count(owner, true, 0, used);
    share->assets = q != NULL ? q->assets : 0u;
    share->bytes = q != NULL ? its_store_capacity() * q->share / ITS_SHARE_WHOLE : 0u;
}

void its_store_usage_of_client(int32_t owner, uint32_t client, struct its_usage *used,
                               struct its_usage *share)
{
    const struct its_quota *q = quota_of(owner);
    bool split = q != NULL && q->split;
    count(owner, false, client, used);
    share->assets = split ? q->split_assets : 0u;
    share->bytes = split ? its_store_capacity() * q->split_share / ITS_SHARE_WHOLE : 0u;
}

/* Whether storing `length` bytes where `old` is (NULL: a new UID) stays within `used` of
 * `share`. A set that does not grow the use passes even over the share (assets stored under
 * an earlier, larger reservation can still shrink). */
static bool fits(const struct its_usage *used, const struct its_usage *share,
                 const struct entry *old, size_t length)
{
    if (old == NULL && used->assets >= share->assets) {
        return false;
    }
    size_t before = old != NULL ? its_store_record_size(old->size) : 0u;
    size_t after = its_store_record_size(length);
    return after <= before || used->bytes - before + after <= share->bytes;
}

/* Within owner's reservation of entries and of bytes, and, for a splitting owner's asset of
 * one of its clients (a non-zero upper half of the UID), within that client's part. */
static bool within_share(int32_t owner, psa_storage_uid_t uid, const struct entry *old,
                         size_t length)
{
    struct its_usage used, share;
    if (charged_to_module(owner, uid)) {
        /* a module's key: its reservation */
        its_store_usage((int32_t)(uint32_t)(uid >> 32), &used, &share);
        return fits(&used, &share, old, length);
    }
    its_store_usage(owner, &used, &share);
    if (!fits(&used, &share, old, length)) {
        return false;
    }
    const struct its_quota *q = quota_of(owner);
    if (q == NULL || !q->split || (uid >> 32) == 0u) {
        return true;
    }
    its_store_usage_of_client(owner, (uint32_t)(uid >> 32), &used, &share);
    return fits(&used, &share, old, length);
}

static uint32_t free_sectors(void)
{
    uint32_t n = 0;
    for (uint32_t s = 0; s < st.sectors; s++) {
        n += st.sector[s].state != SECTOR_USED;
    }
    return n;
}

/* Opens the next non-used sector after the active one (round robin) as the active one; gc: as
 * the collector's destination. */
static psa_status_t open_sector(bool gc)
{
    uint32_t start = st.active < 0 ? 0u : (uint32_t)st.active + 1u;
    for (uint32_t k = 0; k < st.sectors; k++) {
        uint32_t s = (start + k) % st.sectors;
        struct sector *sec = &st.sector[s];
        if (sec->state == SECTOR_USED) {
            continue;
        }
        psa_status_t status = PSA_SUCCESS;
        if (sec->state == SECTOR_DIRTY) {
            status = erase_sector(s);
        }
        uint8_t h[SECTOR_HDR];
        sector_header(s, st.next_seq, gc, h);
        if (status == PSA_SUCCESS) {
            sec->state = SECTOR_DIRTY; /* until the header is fully written */
            status = program(flash_at(s, 0), h, sizeof(h));
        }
        if (status != PSA_SUCCESS) {
            return status;
        }
        sec->state = SECTOR_USED;
        sec->seq = st.next_seq++;
        sec->used = SECTOR_HDR;
        sec->data = 0;
        sec->gc = gc;
        st.active = (int)s;
        return PSA_SUCCESS;
    }
    return PSA_ERROR_INSUFFICIENT_STORAGE;
}

/* Whether a record of `bytes` (a data record: data) fits in the active sector. */
static bool fits_in_active(uint32_t bytes, bool data)
{
    if (st.active < 0) {
        return false;
    }
    const struct sector *sec = &st.sector[st.active];
    return SECTOR - (uint32_t)sec->used >= bytes && (!data || sec->data + bytes <= DATA_MAX);
}

/* Room for a record of `bytes` (data: a data record) in the active sector, opening one if it is
 * short; the last free sector stays the collector's. */
static psa_status_t room_in_active(uint32_t bytes, bool data)
{
    if (fits_in_active(bytes, data)) {
        return PSA_SUCCESS;
    }
    if (free_sectors() < 2u) {
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    }
    return open_sector(false);
}

/* Takes `bytes` at the end of the active sector; returns where. The space is taken before it
 * is written, so that nothing is ever programmed twice after a failure. */
static uint32_t take(uint32_t bytes, bool data, uint32_t *sector)
{
    struct sector *sec = &st.sector[st.active];
    uint32_t off = sec->used;
    sec->used = (uint16_t)(sec->used + bytes);
    sec->data = (uint16_t)(sec->data + (data ? bytes : 0u));
    *sector = (uint32_t)st.active;
    return off;
}

/* Writes record r (a data record's bytes come from source) where `room_in_active` made room;
 * the commit unit last. */
static psa_status_t write_record(struct rec *r, its_source_t source, void *ctx, uint32_t *sector,
                                 uint32_t *off)
{
    uint32_t bytes = rec_bytes(r);
    if (r->kind == KIND_DATA && st.cfg.entropy(r->nonce, sizeof(r->nonce)) != PSA_SUCCESS) {
        return PSA_ERROR_STORAGE_FAILURE; /* before any space is taken: nothing changes */
    }
    uint32_t at = take(bytes, r->kind == KIND_DATA, sector);
    *off = at;
    uint8_t h[RECORD_HDR];
    encode_rec(r, *sector, at, h);
    psa_status_t status = program(flash_at(*sector, at), h, sizeof(h));
    at += RECORD_HDR;
    if (status == PSA_SUCCESS && r->kind == KIND_DATA) {
        struct its_aead aead;
        uint8_t tag[ITS_TAG_SIZE];
        if (its_aead_start(&aead, true, r->owner, r->uid, r->nonce, h, 32) != 0) {
            return PSA_ERROR_STORAGE_FAILURE;
        }
        for (uint32_t done = 0; status == PSA_SUCCESS && done < r->size;) {
            uint32_t n = r->size - done < ITS_CHUNK ? r->size - done : ITS_CHUNK;
            uint32_t padded = (uint32_t)align_unit(n);
            status = source(ctx, chunk, n);
            if (status == PSA_SUCCESS) {
                memset(chunk + n, 0, padded - n);
                status = its_aead_update(&aead, chunk, chunk, n) == 0 ? PSA_SUCCESS
                                                                      : PSA_ERROR_STORAGE_FAILURE;
            }
            if (status == PSA_SUCCESS) {
                status = program(flash_at(*sector, at), chunk, padded);
            }
            done += n;
            at += padded;
        }
        if (status == PSA_SUCCESS && its_aead_finish(&aead, tag) != 0) {
            status = PSA_ERROR_STORAGE_FAILURE;
        }
        its_aead_free(&aead);
        memset(chunk, 0, sizeof(chunk));
        if (status == PSA_SUCCESS) {
            status = program(flash_at(*sector, at), tag, sizeof(tag));
        }
        at += ITS_TAG_SIZE;
    }
    if (status == PSA_SUCCESS) {
        static const uint8_t commit[UNIT] = {0};
        status = program(flash_at(*sector, at), commit, sizeof(commit));
    }
    return status;
}

/* ---- garbage collection ----------------------------------------------------------------- */

/* Copies one live record of the victim, verbatim, to the destination (the active sector). The
 * index moves to the copy only once the collection's marker is committed (`moved_to`). */
static psa_status_t visit_copy(const struct rec *r, uint32_t sector, uint32_t off)
{
    if (r->kind != KIND_DATA) {
        return PSA_SUCCESS; /* tombstones and markers: nothing older is left to hide */
    }
    struct entry *e = find(r->owner, r->uid);
    if (e == NULL || e->sector != sector || e->offset != off) {
        return PSA_SUCCESS; /* superseded */
    }
    uint32_t bytes = rec_bytes(r);
    if (!fits_in_active(bytes, true)) {
        return PSA_ERROR_INSUFFICIENT_STORAGE; /* only a store from before DATA_MAX */
    }
    uint32_t to_sector;
    uint32_t to = take(bytes, true, &to_sector);
    /* The header anew for its new place (same contents, so the same GCM additional data),
     * then the ciphertext, tag and commit unit verbatim. */
    uint8_t h[RECORD_HDR];
    encode_rec(r, to_sector, to, h);
    psa_status_t status = program(flash_at(to_sector, to), h, sizeof(h));
    for (uint32_t done = RECORD_HDR; status == PSA_SUCCESS && done < bytes; done += ITS_CHUNK) {
        uint32_t n = bytes - done < ITS_CHUNK ? bytes - done : ITS_CHUNK;
        status = read_flash(flash_at(sector, off + done), chunk, n);
        if (status == PSA_SUCCESS) {
            status = program(flash_at(to_sector, to + done), chunk, n);
        }
    }
    e->moved_to = (uint16_t)to;
    return status;
}

/* The oldest (or the newest) USED sector other than `except` (-1: none), or -1. */
static int used_by_age(int except, bool newest)
{
    int found = -1;
    for (uint32_t s = 0; s < st.sectors; s++) {
        if (st.sector[s].state == SECTOR_USED && (int)s != except &&
            (found < 0 || (newest ? st.sector[s].seq > st.sector[found].seq
                                  : st.sector[s].seq < st.sector[found].seq))) {
            found = (int)s;
        }
    }
    return found;
}

static int oldest_used(int except)
{
    return used_by_age(except, false);
}

/* Copies the victim's live records still in it to the destination (the active sector), commits
 * the collection with a marker there (the index moves to the copies), and erases the victim.
 * On failure the index stays where it was. */
static psa_status_t copy_and_commit(int victim)
{
    psa_status_t status = walk((uint32_t)victim, visit_copy);
    if (status == PSA_SUCCESS) {
        status = fits_in_active(MARKER, false) ? PSA_SUCCESS : PSA_ERROR_INSUFFICIENT_STORAGE;
    }
    if (status == PSA_SUCCESS) {
        struct rec marker = {
            .kind = KIND_ERASE, .size = (uint32_t)victim, .flags = st.sector[victim].seq};
        uint32_t s, o;
        status = write_record(&marker, NULL, NULL, &s, &o);
    }
    for (uint32_t i = 0; i < ITS_MAX_ASSETS; i++) {
        struct entry *e = &st.index[i];
        if (e->in_use && e->moved_to != 0u && status == PSA_SUCCESS) {
            e->sector = (uint8_t)st.active;
            e->offset = e->moved_to;
        }
        e->moved_to = 0;
    }
    if (status == PSA_SUCCESS) {
        st.sector[victim].state = SECTOR_DIRTY;
        status = erase_sector((uint32_t)victim);
    }
    return status;
}

/* Drops destination d, not committed: the index goes back to the victim's records (d holds only
 * copies of them), and d is erased before it is used again. An entry in d goes back to the
 * newest record of its asset in the victim, the one that was copied: the walk visits them in
 * order, so the entry follows each (UNMOVED marks it as one that came back). */
#define UNMOVED 0xFFFFu
static int unmove_from;
static psa_status_t visit_unmove(const struct rec *r, uint32_t sector, uint32_t off)
{
    struct entry *e = r->kind == KIND_DATA ? find(r->owner, r->uid) : NULL;
    if (e != NULL && (e->sector == (uint8_t)unmove_from || e->moved_to == UNMOVED)) {
        e->sector = (uint8_t)sector;
        e->offset = (uint16_t)off;
        e->moved_to = UNMOVED;
    }
    return PSA_SUCCESS;
}

static psa_status_t drop_destination(int d, int victim)
{
    unmove_from = d;
    psa_status_t status = walk((uint32_t)victim, visit_unmove);
    for (uint32_t i = 0; i < ITS_MAX_ASSETS; i++) {
        if (status == PSA_SUCCESS && st.index[i].in_use && st.index[i].sector == (uint8_t)d) {
            status = PSA_ERROR_DATA_CORRUPT; /* a record in d that is no copy of the victim's */
        }
        st.index[i].moved_to = 0;
    }
    if (status != PSA_SUCCESS) {
        return status;
    }
    st.sector[d].state = SECTOR_DIRTY;
    if (st.active == d) {
        st.active = used_by_age(-1, true);
    }
    return PSA_SUCCESS;
}

/*
 * Frees the oldest sector (the victim): its live records are copied into a sector opened for
 * them, the last free one, then a marker naming the victim commits the collection there, and
 * the victim is erased. The destination starts empty, so the copies always fit (a sector's
 * data is at most DATA_MAX, and the marker takes the rest). A collection that fails is
 * abandoned whole: the index stays on the victim, and the destination is erased before it is
 * used again.
 */
static psa_status_t collect(void)
{
    int victim = oldest_used(-1);
    if (victim < 0 || free_sectors() < 1u) {
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    }
    const int before = st.active;
    psa_status_t status = open_sector(true);
    if (status == PSA_SUCCESS) {
        status = copy_and_commit(victim);
        if (status != PSA_SUCCESS && st.sector[victim].state == SECTOR_USED) {
            st.sector[st.active].state = SECTOR_DIRTY; /* erased when it is opened again */
            st.active = before;
        }
    }
    if (status == PSA_ERROR_DATA_CORRUPT) {
        st.corrupt = true;
    }
    return status;
}

/*
 * The collection a power cut interrupted (st.pending, the active sector): resumed in place if
 * the victim's records not yet copied and the marker fit in what is left of it (each cut copy
 * keeps its room, so repeated cuts go on making progress only while there is room), else
 * dropped and started again from an empty sector, so that cuts cannot use up the space.
 */
static psa_status_t finish_pending(void)
{
    const int d = st.pending;
    int victim = oldest_used(d);
    if (victim < 0 || st.active != d) {
        return PSA_ERROR_DATA_CORRUPT;
    }
    uint32_t rest = MARKER, data = 0;
    for (uint32_t i = 0; i < ITS_MAX_ASSETS; i++) {
        const struct entry *e = &st.index[i];
        if (e->in_use && e->sector == (uint8_t)victim) {
            data += (uint32_t)its_store_record_size(e->size);
        }
    }
    rest += data;
    const struct sector *sec = &st.sector[d];
    psa_status_t status;
    if (SECTOR - (uint32_t)sec->used >= rest && sec->data + data <= DATA_MAX) {
        status = copy_and_commit(victim);
    } else {
        status = drop_destination(d, victim);
        if (status == PSA_SUCCESS) {
            status = collect();
        }
    }
    if (status == PSA_SUCCESS) {
        st.pending = -1;
    }
    return status;
}

/* Room for a record of `bytes` (data: a data record), collecting garbage as needed. */
static psa_status_t make_room(uint32_t bytes, bool data)
{
    if (st.pending >= 0) {
        psa_status_t status = finish_pending();
        if (status != PSA_SUCCESS) {
            if (status == PSA_ERROR_DATA_CORRUPT) {
                st.corrupt = true;
            }
            return status;
        }
    }
    for (uint32_t round = 0; round < 2u * st.sectors + 2u; round++) {
        psa_status_t status = room_in_active(bytes, data);
        if (status != PSA_ERROR_INSUFFICIENT_STORAGE) {
            return status;
        }
        status = collect();
        if (status != PSA_SUCCESS) {
            return status;
        }
    }
    return PSA_ERROR_INSUFFICIENT_STORAGE;
}

/* ---- the API ---------------------------------------------------------------------------- */

psa_status_t its_store_set(int32_t owner, psa_storage_uid_t uid, size_t length,
                           psa_storage_create_flags_t flags, its_source_t source, void *ctx)
{
    psa_status_t status = ready();
    if (status != PSA_SUCCESS) {
        return status;
    }
    if (uid == 0u || length > st.cfg.max_asset || (length != 0u && source == NULL)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if ((flags & ~FLAGS_KNOWN) != 0u) {
        return PSA_ERROR_NOT_SUPPORTED;
    }
    struct entry *e = find(owner, uid);
    if (e != NULL && (e->flags & PSA_STORAGE_FLAG_WRITE_ONCE) != 0u) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    size_t live = st.live - (e != NULL ? its_store_record_size(e->size) : 0u);
    if (!within_share(owner, uid, e, length) || (e == NULL && free_entry() == NULL) ||
        live + its_store_record_size(length) > its_store_capacity()) {
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    }
    struct rec r = {
        .kind = KIND_DATA, .owner = owner, .uid = uid, .size = (uint32_t)length, .flags = flags};
    status = make_room(rec_bytes(&r), true);
    uint32_t s, o;
    if (status == PSA_SUCCESS) {
        status = write_record(&r, source, ctx, &s, &o);
    }
    if (status == PSA_SUCCESS) {
        status = apply(&r, s, o);
    }
    return status;
}

/* The checks every call on an existing asset starts with; *e is the asset. */
static psa_status_t existing(int32_t owner, psa_storage_uid_t uid, struct entry **e)
{
    psa_status_t status = ready();
    if (status != PSA_SUCCESS) {
        return status;
    }
    if (uid == 0u) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    *e = find(owner, uid);
    return *e != NULL ? PSA_SUCCESS : PSA_ERROR_DOES_NOT_EXIST;
}

/* A tombstone for (owner, uid): the asset is gone at once, its record reclaimed later. */
static psa_status_t write_tomb(int32_t owner, psa_storage_uid_t uid)
{
    struct rec r = {.kind = KIND_TOMB, .owner = owner, .uid = uid};
    psa_status_t status = make_room(rec_bytes(&r), false);
    uint32_t s, o;
    if (status == PSA_SUCCESS) {
        status = write_record(&r, NULL, NULL, &s, &o);
    }
    if (status == PSA_SUCCESS) {
        status = apply(&r, s, o);
    }
    return status;
}

psa_status_t its_store_remove(int32_t owner, psa_storage_uid_t uid)
{
    struct entry *e;
    psa_status_t status = existing(owner, uid, &e);
    if (status != PSA_SUCCESS) {
        return status;
    }
    if ((e->flags & PSA_STORAGE_FLAG_WRITE_ONCE) != 0u) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    return write_tomb(owner, uid);
}

psa_status_t its_store_get_info(int32_t owner, psa_storage_uid_t uid,
                                struct psa_storage_info_t *info)
{
    struct entry *e;
    psa_status_t status = existing(owner, uid, &e);
    if (status != PSA_SUCCESS) {
        return status;
    }
    info->capacity = e->size;
    info->size = e->size;
    info->flags = e->flags;
    return PSA_SUCCESS;
}

/* Decrypts the asset at e; emits bytes [from, to) of the plaintext through sink (NULL: none).
 * The tag is checked at the end, so a caller must not emit before a verified pass. */
static psa_status_t open_asset(const struct entry *e, size_t from, size_t to, its_sink_t sink,
                               void *ctx)
{
    uint8_t h[RECORD_HDR], tag[ITS_TAG_SIZE], stored[ITS_TAG_SIZE];
    struct rec r;
    uint32_t at = flash_at(e->sector, e->offset);
    psa_status_t status = read_flash(at, h, sizeof(h));
    if (status != PSA_SUCCESS) {
        return status;
    }
    if (!decode_rec(h, e->sector, e->offset, &r) || r.kind != KIND_DATA || r.owner != e->owner ||
        r.uid != e->uid || r.size != e->size) {
        return PSA_ERROR_DATA_CORRUPT; /* changed since it was mounted */
    }
    struct its_aead aead;
    if (its_aead_start(&aead, false, r.owner, r.uid, r.nonce, h, 32) != 0) {
        return PSA_ERROR_STORAGE_FAILURE;
    }
    at += RECORD_HDR;
    for (uint32_t done = 0; status == PSA_SUCCESS && done < r.size;) {
        uint32_t n = r.size - done < ITS_CHUNK ? r.size - done : ITS_CHUNK;
        status = read_flash(at + done, chunk, n);
        if (status == PSA_SUCCESS && its_aead_update(&aead, chunk, chunk, n) != 0) {
            status = PSA_ERROR_STORAGE_FAILURE;
        }
        if (status == PSA_SUCCESS && sink != NULL && done + n > from && done < to) {
            size_t a = from > done ? from - done : 0u;
            size_t b = to < done + n ? to - done : n;
            status = sink(ctx, chunk + a, b - a);
        }
        done += n;
    }
    if (status == PSA_SUCCESS) {
        status = its_aead_finish(&aead, tag) == 0 ? PSA_SUCCESS : PSA_ERROR_STORAGE_FAILURE;
    }
    its_aead_free(&aead);
    if (status == PSA_SUCCESS) {
        status = read_flash(at + (uint32_t)align_unit(r.size), stored, sizeof(stored));
    }
    if (status == PSA_SUCCESS && !its_crypto_equal(tag, stored, sizeof(tag))) {
        status = PSA_ERROR_INVALID_SIGNATURE;
    }
    return status;
}

psa_status_t its_store_get(int32_t owner, psa_storage_uid_t uid, size_t offset, size_t size,
                           its_sink_t sink, void *ctx, size_t *length)
{
    *length = 0;
    struct entry *e;
    psa_status_t status = existing(owner, uid, &e);
    if (status != PSA_SUCCESS) {
        return status;
    }
    if (offset > e->size) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    size_t n = e->size - offset < size ? e->size - offset : size;
    /* Authenticate first. A small asset's plaintext is still in `chunk` afterwards; a large
     * one is decrypted again to emit the range. */
    status = open_asset(e, 0, 0, NULL, NULL);
    if (status == PSA_SUCCESS && n != 0u) {
        status = e->size <= ITS_CHUNK ? sink(ctx, chunk + offset, n)
                                      : open_asset(e, offset, offset + n, sink, ctx);
    }
    memset(chunk, 0, sizeof(chunk));
    if (status == PSA_SUCCESS) {
        *length = n;
    }
    return status;
}

psa_status_t its_store_remove_owned(int32_t owner, uint32_t client)
{
    psa_status_t status = ready();
    for (uint32_t i = 0; status == PSA_SUCCESS && i < st.span; i++) {
        const struct entry *e = &st.index[i];
        if (!e->in_use || e->owner != owner ||
            (client != 0u && (uint32_t)(e->uid >> 32) != client)) {
            continue;
        }
        status = write_tomb(owner, e->uid);
    }
    return status;
}
