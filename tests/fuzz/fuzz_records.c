/*
 * fuzz_records.c: the readers of the boot stages' authenticated records over arbitrary flash
 * (bl_record.c's scan, bl_counter.c's counters, bl_swap.c's journal reader) and the boot
 * records the uRoT hands the SM (bl_shared.c's bl_shared_find), with power cuts.
 *
 * The device's HUK is a hash of a secret and the input (provision_otp), in the OTP area no
 * operation writes, so the input can never make a record tag: what it can do is what an attacker
 * with the flash can do without the key: program erased units with any bytes, copy a unit
 * (an authentic record, possibly) from any record region into an erased unit of any other,
 * and cut the power in the middle of the device's own writes.
 *
 * Input, mode byte [0]:
 *   bit 7 set: the boot-record area: [1] the kind asked for, [2..] a struct bl_shared_data
 *   (zero padded; in a buffer of exactly its size, so ASan sees any read past it), then the
 *   same bytes as records added to a fresh area (bl_shared_reset, bl_shared_add).
 *   bit 7 clear: bit 0 provisions the counters first (smtool provision's first record); then
 *   operations of 6 bytes (+16 for a forge), opcode [0] % 6:
 *     0 raise counter [1] % BL_COUNTERS to le16 [2..3] (+ [4] << 16)
 *     1 begin an operation in journal [1] & 1 (iRoT's, uRoT's): kind [2], type and flags
 *       [3] (4 bits each), data sectors [4], body start/end [5] * 64 and ([5] + ...) , and an
 *       ENC_EC256 value (a pattern) when encrypted
 *     2 the device writes a STEP ([2] < 0xF0: step [2]) or DONE record for the last operation
 *       begun in journal [1] & 1
 *     3 forge: 16 input bytes into unit le16 [2..3] of region sector [1] % 6, if erased
 *     4 copy: unit le16 [2..3] of sector [1] % 6 into unit le16 [4..5] of sector [4] % 6
 *       (if the source is programmed and the target erased)
 *     5 cut: the next raise or begin loses power after [1] flash operations (torn if [2] odd)
 *   Region sectors: 0-1 the counters, 2-3 the iRoT's journal, 4-5 the uRoT's.
 * Oracles:
 * - bl_record_scan visits exactly the units whose tag an independent HMAC (Mbed TLS, key
 *   derived here from the HUK as secure-boot.md says) accepts, decoded, in order, and counts
 *   the erased ones; with a `want` (records of odd type), exactly those of them it asks for; every
 * such unit holds bytes the device itself wrote in that region (so no forgery or record from
 * another region is ever accepted);
 * - without provisioning no counter is ever readable (BL_E_COUNTERS); with it, every counter
 *   reads, at least the highest value a raise confirmed (never lower, also after cuts), and is
 *   0 or a value a raise was asked for; a raise that returns BL_OK is durable;
 * - bl_swap_find finds the last operation begun whose begin returned BL_OK, or one begun
 *   after it (cut), with exactly the fields it was begun with (of one done, those of its START,
 *   its body and key not read), its DONE, and unless done its highest step;
 *   with none begun, nothing;
 * - bl_shared_find accepts only a well-formed area (magic, count within bounds) and the first
 *   record of the kind among the counted ones, whose entry is aligned and inside the kind's
 *   active slot before its trailer; it fails for anything else; records added are found.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_counter.h"
#include "bl_crypto.h"
#include "bl_otp.h"
#include "bl_record.h"
#include "bl_shared.h"
#include "bl_slots.h"
#include "bl_status.h"
#include "bl_swap.h"
#include "flash_map.h"
#include "fuzz_common.h"
#include "host_flash.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/md.h"
#include "plat_flash.h"

#define UNITS    BL_RECORDS_PER_SECTOR
#define SECTORS  6
#define MAX_OPS  48
#define GENUINE  4096
#define ATTEMPTS 64
#define BEGUN    32
#define STEPS_J  0xA4u /* bl_swap.c's STEP and DONE record types: the device's own format */
#define DONE_J   0xA5u

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t journal_off[2] = {FLASH_IROT_JOURNAL_OFFSET, FLASH_UROT_JOURNAL_OFFSET};
static const uint32_t journal_scratch[2] = {FLASH_IROT_SCRATCH_OFFSET, FLASH_UROT_SCRATCH_OFFSET};

static uint32_t sector_off(int s)
{
    return s < 2 ? FLASH_COUNTERS_OFFSET + (uint32_t)s * FLASH_SECTOR_SIZE
                 : journal_off[(s - 2) / 2] + (uint32_t)((s - 2) % 2) * FLASH_SECTOR_SIZE;
}

/* The region (key) a sector belongs to. */
static uint32_t region_of(int s)
{
    return s < 2 ? FLASH_COUNTERS_OFFSET : journal_off[(s - 2) / 2];
}

static uint8_t huk[32];
static uint8_t oracle_key[3][32]; /* counters, iRoT journal, uRoT journal: derived here */
static uint8_t *saved_data, *saved_prog;
#define AREA_OFF FLASH_COUNTERS_OFFSET
#define AREA_LEN (FLASH_UROT_SCRATCH_OFFSET + FLASH_SCRATCH_SIZE - FLASH_COUNTERS_OFFSET)

/* The records' key as docs/design/secure-boot.md defines it, computed without bl_record.c. */
static void derive(uint32_t region, uint8_t key[32])
{
    static const char label[] = "SM boot records";
    uint8_t info[sizeof(label) - 1 + 4];
    memcpy(info, label, sizeof(label) - 1);
    for (int i = 0; i < 4; i++) {
        info[sizeof(label) - 1 + i] = (uint8_t)(region >> (8 * i));
    }
    if (mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), NULL, 0, huk, sizeof(huk), info,
                     sizeof(info), key, 32) != 0) {
        fuzz_fail("HKDF");
    }
}

static const uint8_t *oracle_key_of(uint32_t region)
{
    return region == FLASH_COUNTERS_OFFSET ? oracle_key[0]
           : region == journal_off[0]      ? oracle_key[1]
                                           : oracle_key[2];
}

static bool tag_ok(uint32_t region, const uint8_t u[16])
{
    uint8_t full[32];
    if (mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), oracle_key_of(region), 32, u,
                        8, full) != 0) {
        fuzz_fail("HMAC");
    }
    /* Not memcmp: libFuzzer intercepts it and would hand the expected tag to the mutator,
     * which then "forges" records with the device's key (its first finding was that). */
    uint8_t diff = 0;
    for (size_t i = 0; i < BL_RECORD_TAG_LEN; i++) {
        diff |= (uint8_t)(full[i] ^ u[8 + i]);
    }
    return diff == 0;
}

/* The device of one input: its HUK is SHA-256 of a fixed secret and the whole input. The
 * input cannot compute a tag under it (that needs the HMAC), and a record the mutator saw in
 * another input (libFuzzer lifts compared bytes into its dictionary) is under another HUK, so
 * it is a forgery here, as it should be: within one input, replays of the device's own
 * records are what the model allows. */
static void provision_otp(const uint8_t *data, size_t size)
{
    static const uint8_t secret[16] = {0xA7, 0x1D, 0x5C, 0x93, 0x2E, 0x40, 0xF1, 0x6B,
                                       0x88, 0x0A, 0xC4, 0x37, 0x9E, 0x52, 0x1F, 0xD6};
    uint8_t *buf = malloc(sizeof(secret) + size);
    memcpy(buf, secret, sizeof(secret));
    memcpy(buf + sizeof(secret), data, size);
    bl_sha256(buf, sizeof(secret) + size, huk);
    free(buf);
    struct bl_otp otp;
    memset(&otp, 0, sizeof(otp));
    otp.magic = BL_OTP_MAGIC;
    otp.version = BL_OTP_VERSION;
    otp.lifecycle = BL_LIFECYCLE_SECURED;
    otp.its_size = 0x10000;
    memcpy(otp.huk, huk, sizeof(huk));
    bl_sha256(&otp, offsetof(struct bl_otp, digest), otp.digest);
    if (plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE) != PLAT_FLASH_OK ||
        plat_flash_program(FLASH_OTP_OFFSET, &otp, sizeof(otp)) != PLAT_FLASH_OK) {
        fuzz_fail("OTP");
    }
    derive(FLASH_COUNTERS_OFFSET, oracle_key[0]);
    derive(journal_off[0], oracle_key[1]);
    derive(journal_off[1], oracle_key[2]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet();
    if (host_flash_open_ram() != PLAT_FLASH_OK) {
        fuzz_fail("setup");
    }
    saved_data = malloc(AREA_LEN);
    saved_prog = calloc(AREA_LEN / FLASH_PROGRAM_UNIT / 8 + 1, 1);
    if (host_flash_save(AREA_OFF, AREA_LEN, saved_data, saved_prog) != PLAT_FLASH_OK) {
        fuzz_fail("save");
    }
    return 0;
}

/* ---- the model ------------------------------------------------------------------------- */

/* Units the device itself programmed, with the region they were written in. */
static struct {
    uint32_t region;
    uint8_t bytes[16];
} genuine[GENUINE];
static size_t n_genuine;
static uint8_t before_data[SECTORS][UNITS][16];
static bool before_prog[SECTORS][UNITS];

static bool provisioned;
static uint32_t confirmed[BL_COUNTERS];
static struct {
    uint8_t counter;
    uint32_t value;
} asked[ATTEMPTS];
static size_t n_asked;

struct begun {
    struct bl_swap_op op; /* as begun: fields and the generation begin chose */
    bool committed;       /* begin returned BL_OK */
    int32_t step_ok;      /* highest step record appended with BL_OK (-1: none) */
    int32_t step_any;     /* highest step record attempted */
    bool done;
};
static struct begun begun[2][BEGUN];
static size_t n_begun[2];

static long cut_at = -1;
static bool cut_torn;

static int learn_lo, learn_hi; /* the sectors the device write under way may touch */

static void snapshot(int lo, int hi)
{
    learn_lo = lo;
    learn_hi = hi;
    for (int s = lo; s <= hi; s++) {
        for (uint32_t u = 0; u < UNITS; u++) {
            uint32_t at = sector_off(s) + u * 16u;
            before_prog[s][u] = plat_flash_is_programmed(at) == 1;
            if (before_prog[s][u] && plat_flash_read(at, before_data[s][u], 16) != PLAT_FLASH_OK) {
                fuzz_fail("read");
            }
        }
    }
}

/* After a device write: every unit programmed since the snapshot is the device's. */
static void learn(void)
{
    for (int s = learn_lo; s <= learn_hi; s++) {
        for (uint32_t u = 0; u < UNITS; u++) {
            uint32_t at = sector_off(s) + u * 16u;
            uint8_t now[16];
            if (plat_flash_is_programmed(at) != 1) {
                continue;
            }
            if (plat_flash_read(at, now, 16) != PLAT_FLASH_OK) {
                fuzz_fail("read");
            }
            if (before_prog[s][u] && memcmp(now, before_data[s][u], 16) == 0) {
                continue;
            }
            if (n_genuine == GENUINE) {
                fuzz_fail("model full");
            }
            genuine[n_genuine].region = region_of(s);
            memcpy(genuine[n_genuine].bytes, now, 16);
            n_genuine++;
        }
    }
}

static bool is_genuine(uint32_t region, const uint8_t u[16])
{
    for (size_t i = 0; i < n_genuine; i++) {
        if (genuine[i].region == region && memcmp(genuine[i].bytes, u, 16) == 0) {
            return true;
        }
    }
    return false;
}

/* Arms the input's cut for one device write. No cut handler: after the cut every flash call
 * fails, so the code under test returns through its own error paths, freeing what it took. */
static void arm(void)
{
    host_flash_power_on();
    if (cut_at >= 0) {
        host_flash_cut_after(cut_at, cut_torn);
    }
}

/* Ends the write: true if the power went during it. */
static bool disarm(void)
{
    bool was_cut = !host_flash_powered();
    host_flash_cut_after(-1, false);
    host_flash_power_on();
    cut_at = -1;
    return was_cut;
}

/* ---- the oracles ------------------------------------------------------------------------ */

struct scan_log {
    struct bl_record r[UNITS];
    uint32_t n;
};

static void log_visit(void *ctx, const struct bl_record *r)
{
    struct scan_log *l = ctx;
    if (l->n == UNITS) {
        fuzz_fail("bl_record_scan visited more records than the sector has units");
    }
    l->r[l->n++] = *r;
}

/* A reader's narrowing (bl_record.h, `want`): here the records of an odd type byte. */
static bool want_odd(void *ctx, const struct bl_record *r)
{
    (void)ctx;
    return (r->type & 1u) != 0;
}

/* Sector s scanned for every record, or (odd) for those want_odd asks for. */
static void check_scan(int s, bool odd)
{
    static struct scan_log log;
    uint8_t key[BL_RECORD_KEY_LEN];
    uint32_t erased = 0, expect_erased = 0, k = 0;
    log.n = 0;
    if (bl_record_key(region_of(s), key) != BL_OK ||
        bl_record_scan(sector_off(s), key, odd ? want_odd : NULL, log_visit, &log, &erased) !=
            BL_OK) {
        fuzz_fail("scanning sector %d failed", s);
    }
    bl_zeroize(key, sizeof(key));
    for (uint32_t u = 0; u < UNITS; u++) {
        uint32_t at = sector_off(s) + u * 16u;
        uint8_t b[16];
        if (plat_flash_is_programmed(at) != 1) {
            expect_erased++;
            continue;
        }
        if (plat_flash_read(at, b, 16) != PLAT_FLASH_OK) {
            fuzz_fail("read");
        }
        if (!tag_ok(region_of(s), b) || (odd && (b[0] & 1u) == 0)) {
            continue;
        }
        if (!is_genuine(region_of(s), b)) {
            fuzz_fail("sector %d unit %u: a record the device never wrote here verifies", s, u);
        }
        const struct bl_record want = {b[0], b[1], (uint16_t)(b[2] | (b[3] << 8)),
                                       fuzz_le32(b + 4)};
        if (k >= log.n || log.r[k].type != want.type || log.r[k].index != want.index ||
            log.r[k].aux != want.aux || log.r[k].value != want.value) {
            fuzz_fail("sector %d unit %u: authentic record not visited as written", s, u);
        }
        k++;
    }
    if (k != log.n) {
        fuzz_fail("sector %d: %u records visited, %u authentic", s, log.n, k);
    }
    if (erased != expect_erased) {
        fuzz_fail("sector %d: %u erased units counted, %u erased", s, erased, expect_erased);
    }
}

static void check_scans(void)
{
    for (int s = 0; s < SECTORS; s++) {
        check_scan(s, false);
        check_scan(s, true);
    }
}

static void check_counter(unsigned c)
{
    uint32_t v = 12345;
    int rc = bl_counter_get(c, &v);
    if (!provisioned) {
        if (rc != BL_E_COUNTERS) {
            fuzz_fail("counter %u: status %d without any authentic record", c, rc);
        }
        return;
    }
    if (rc != BL_OK) {
        fuzz_fail("counter %u: status %d on a provisioned area", c, rc);
    }
    if (v < confirmed[c]) {
        fuzz_fail("counter %u went down: %u below the confirmed %u", c, v, confirmed[c]);
    }
    bool known = v == 0;
    for (size_t i = 0; i < n_asked && !known; i++) {
        known = asked[i].counter == c && asked[i].value == v;
    }
    if (!known) {
        fuzz_fail("counter %u reads %u, a value never raised to", c, v);
    }
}

/* `a` as found, `b` as begun: of an operation found done only what its START gives (bl_swap.h),
 * its body and key left zero. */
static bool same_op(const struct bl_swap_op *a, const struct bl_swap_op *b)
{
    static const uint8_t zero[sizeof(a->enc_tlv)];
    return a->kind == b->kind && a->type == b->type && a->flags == b->flags &&
           a->group == b->group && a->data_sectors == b->data_sectors && a->gen == b->gen &&
           (a->done ? a->body_start == 0 && a->body_end == 0 &&
                          memcmp(a->enc_tlv, zero, sizeof(zero)) == 0
                    : a->body_start == b->body_start && a->body_end == b->body_end &&
                          memcmp(a->enc_tlv, b->enc_tlv, sizeof(a->enc_tlv)) == 0);
}

static void check_journal(int j)
{
    const struct bl_journal jr = {journal_off[j], journal_scratch[j]};
    struct bl_swap_op op;
    bool found;
    int rc = bl_swap_find(&jr, &op, &found);
    if (rc != BL_OK) {
        fuzz_fail("journal %d: find failed (%d)", j, rc);
    }
    /* Which begins may be the newest: the last committed one and any begun after it. */
    size_t first = 0;
    for (size_t i = 0; i < n_begun[j]; i++) {
        if (begun[j][i].committed) {
            first = i;
        }
    }
    bool any_committed = false;
    for (size_t i = 0; i < n_begun[j]; i++) {
        any_committed |= begun[j][i].committed;
    }
    if (!found) {
        if (any_committed) {
            fuzz_fail("journal %d: the operation begun (gen %u) is lost", j,
                      begun[j][first].op.gen);
        }
        return;
    }
    for (size_t i = any_committed ? first : 0; i < n_begun[j]; i++) {
        const struct begun *b = &begun[j][i];
        if (!same_op(&op, &b->op)) {
            continue;
        }
        /* A finished operation's steps are not read (bl_swap.h). */
        if ((!op.done && (op.last_step < b->step_ok || op.last_step > b->step_any)) ||
            (b->done && !op.done)) {
            fuzz_fail("journal %d gen %u: step %d (written %d..%d), done %d (%d)", j, op.gen,
                      op.last_step, b->step_ok, b->step_any, op.done, b->done);
        }
        if (op.sector != jr.off && op.sector != jr.off + FLASH_SECTOR_SIZE) {
            fuzz_fail("journal %d: operation outside the journal", j);
        }
        return;
    }
    fuzz_fail("journal %d: found an operation (gen %u, kind %u) never begun there", j, op.gen,
              op.kind);
}

/* ---- the operations --------------------------------------------------------------------- */

static void raise_counter(unsigned c, uint32_t value)
{
    if (n_asked < ATTEMPTS) {
        asked[n_asked].counter = (uint8_t)c;
        asked[n_asked].value = value;
        n_asked++;
    } else {
        return;
    }
    uint32_t prev[BL_COUNTERS];
    for (unsigned k = 0; k < BL_COUNTERS; k++) {
        prev[k] = confirmed[k];
    }
    snapshot(0, 1);
    arm();
    int rc = bl_counter_raise(c, value);
    bool was_cut = disarm();
    learn();
    /* BL_E_JOURNAL: both sectors full of units the attacker programmed, neither holding all
     * the values: the raise fails closed (nothing lower is ever read), which is all an
     * attacker who can program the flash can get (it could as well erase it). */
    if (!was_cut && provisioned && rc != BL_OK && rc != BL_E_JOURNAL) {
        fuzz_fail("raise of counter %u to %u failed (%d) on a provisioned area", c, value, rc);
    }
    if (!was_cut && !provisioned && rc != BL_E_COUNTERS) {
        fuzz_fail("raise of counter %u: status %d without any authentic record", c, rc);
    }
    if (!was_cut && rc == BL_OK && value > confirmed[c]) {
        confirmed[c] = value;
    }
    for (unsigned k = 0; k < BL_COUNTERS; k++) {
        if (prev[k] > confirmed[k]) {
            fuzz_fail("model");
        }
    }
    check_counter(c);
}

static void begin_op(int j, const uint8_t *p)
{
    if (n_begun[j] == BEGUN) {
        return;
    }
    const struct bl_journal jr = {journal_off[j], journal_scratch[j]};
    struct begun *b = &begun[j][n_begun[j]];
    struct bl_swap_op op;
    memset(&op, 0, sizeof(op));
    op.kind = p[2];
    op.type = p[3] & 0x0Fu;
    op.flags = (uint8_t)(p[3] >> 4);
    op.data_sectors = p[4];
    op.body_start = p[5] * 64u;
    op.body_end = op.body_start + p[5] * 17u;
    if (op.flags & (BL_OP_F_ENCRYPTED | BL_OP_F_BOUND)) {
        /* The ENC_EC256 value and the trial binding: journaled whole with either flag. */
        for (size_t i = 0; i < sizeof(op.enc_tlv); i++) {
            op.enc_tlv[i] = (uint8_t)(p[2] + 31u * i);
        }
    }
    snapshot(2 + 2 * j, 3 + 2 * j);
    arm();
    int rc = bl_swap_begin(&jr, &op);
    bool was_cut = disarm();
    learn();
    if (!was_cut && rc != BL_OK) {
        fuzz_fail("journal %d: begin failed (%d)", j, rc);
    }
    memset(b, 0, sizeof(*b));
    b->op = op;
    b->committed = !was_cut;
    b->step_ok = b->step_any = -1;
    n_begun[j]++;
    check_journal(j);
}

/* The device's own progress records for the last operation begun in journal j. */
static void progress(int j, uint8_t what)
{
    if (n_begun[j] == 0) {
        return;
    }
    struct begun *b = &begun[j][n_begun[j] - 1];
    const struct bl_record r = {what < 0xF0u ? STEPS_J : DONE_J, 0, (uint16_t)b->op.gen,
                                what < 0xF0u ? what : 0u};
    if (!b->committed) {
        return; /* the device goes on only with an operation it began */
    }
    uint8_t key[BL_RECORD_KEY_LEN];
    snapshot(2 + 2 * j, 3 + 2 * j);
    int rc = bl_record_key(journal_off[j], key);
    if (rc == BL_OK) {
        rc = bl_record_append(b->op.sector, key, &r);
    }
    bl_zeroize(key, sizeof(key));
    learn();
    if (rc != BL_OK && rc != BL_E_JOURNAL) {
        fuzz_fail("journal %d: append failed (%d)", j, rc);
    }
    if (what < 0xF0u) {
        b->step_any = what > b->step_any ? what : b->step_any;
        if (rc == BL_OK) {
            b->step_ok = what > b->step_ok ? what : b->step_ok;
        }
    } else if (rc == BL_OK) {
        b->done = true;
    }
    /* A DONE that found no room may still be absent; one appended is there: nothing else to
     * note (a failed DONE is not "done" in the model, and a found DONE is not checked against
     * attempts since the device may write it). */
}

static void forge(int s, uint32_t unit, const uint8_t bytes[16])
{
    uint32_t at = sector_off(s) + (unit % UNITS) * 16u;
    if (plat_flash_is_programmed(at) == 0 && plat_flash_program(at, bytes, 16) != PLAT_FLASH_OK) {
        fuzz_fail("forge");
    }
}

static void copy_unit(int from, uint32_t fu, int to, uint32_t tu)
{
    uint8_t b[16];
    uint32_t src = sector_off(from) + (fu % UNITS) * 16u;
    if (plat_flash_is_programmed(src) == 1 && plat_flash_read(src, b, 16) == PLAT_FLASH_OK) {
        forge(to, tu, b);
    }
}

/* ---- the boot records ------------------------------------------------------------------- */

static void check_shared(const uint8_t *data, size_t size)
{
    const enum bl_kind kind = (enum bl_kind)data[1];
    struct bl_shared_data *d = malloc(sizeof(*d));
    memset(d, 0, sizeof(*d));
    memcpy(d, data + 2, size - 2 < sizeof(*d) ? size - 2 : sizeof(*d));
    const struct bl_boot_record *out = (const void *)1;
    int rc = bl_shared_find(d, kind, &out);
    /* What the contract says, worked out here. */
    const struct bl_slot_pair *s = (unsigned)kind < BL_KIND_COUNT ? bl_slots(kind) : NULL;
    const struct bl_boot_record *want = NULL;
    if (s != NULL && d->magic == BL_SHARED_MAGIC && d->count <= BL_KIND_COUNT) {
        for (uint32_t i = 0; i < d->count; i++) {
            if (d->records[i].kind == (uint8_t)kind) {
                want = &d->records[i];
                break;
            }
        }
    }
    if (want != NULL) {
        uint32_t e = want->entry_offset;
        if (e < s->primary || e % 4u != 0 || (uint64_t)e + 64u > (uint64_t)s->primary + s->size) {
            want = NULL;
        }
    }
    if (want != NULL ? (rc != BL_OK || out != want) : (rc != BL_E_CONFIG || out != NULL)) {
        fuzz_fail("bl_shared_find(kind %d): status %d, record %p, expected %p", (int)kind, rc,
                  (const void *)out, (const void *)want);
    }
    /* The same records, added by the stages to a fresh area, are found as added. */
    bl_shared_reset(d);
    struct bl_boot_image img[BL_KIND_COUNT + 1];
    memset(img, 0, sizeof(img));
    for (int i = 0; i <= BL_KIND_COUNT; i++) {
        if (2 + (size_t)i * 8 + 8 > size) {
            break;
        }
        const uint8_t *p = data + 2 + (size_t)i * 8;
        img[i].kind = (enum bl_kind)(p[0] % BL_KIND_COUNT);
        img[i].entry_offset = fuzz_le32(p + 1);
        img[i].sec_cnt = p[5];
        img[i].trial = p[6] & 1u;
        img[i].measurement[0] = p[7];
        rc = bl_shared_add(d, &img[i]);
        if ((i < BL_KIND_COUNT) != (rc == BL_OK)) {
            fuzz_fail("bl_shared_add of record %d: %d", i, rc);
        }
    }
    for (int k = 0; k < BL_KIND_COUNT; k++) {
        rc = bl_shared_find(d, (enum bl_kind)k, &out);
        const struct bl_boot_image *first = NULL;
        for (uint32_t i = 0; i < d->count; i++) {
            if (img[i].kind == (enum bl_kind)k) {
                first = &img[i];
                break;
            }
        }
        const struct bl_slot_pair *sp = bl_slots((enum bl_kind)k);
        bool inside = first != NULL && first->entry_offset >= sp->primary &&
                      first->entry_offset % 4u == 0 &&
                      (uint64_t)first->entry_offset + 64u <= (uint64_t)sp->primary + sp->size;
        if (inside != (rc == BL_OK) ||
            (inside &&
             (out->entry_offset != first->entry_offset || out->sec_cnt != first->sec_cnt ||
              out->trial != first->trial || out->measurement[0] != first->measurement[0]))) {
            fuzz_fail("kind %d: the record added is not the record found (%d)", k, rc);
        }
    }
    free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return -1;
    }
    if (data[0] & 0x80u) {
        if (size < 2) {
            return -1;
        }
        check_shared(data, size);
        return 0;
    }
    if (host_flash_restore(AREA_OFF, AREA_LEN, saved_data, saved_prog) != PLAT_FLASH_OK) {
        fuzz_fail("restore");
    }
    host_flash_power_on();
    provision_otp(data, size);
    n_genuine = n_asked = 0;
    n_begun[0] = n_begun[1] = 0;
    memset(confirmed, 0, sizeof(confirmed));
    cut_at = -1;
    provisioned = (data[0] & 1u) != 0;
    if (provisioned) {
        snapshot(0, 1);
        if (bl_counter_provision() != BL_OK) {
            fuzz_fail("provisioning");
        }
        learn();
    }
    size_t p = 1;
    for (int n = 0; n < MAX_OPS && p + 6 <= size; n++) {
        const uint8_t *o = data + p;
        p += 6;
        switch (o[0] % 6) {
        case 0:
            raise_counter(o[1] % BL_COUNTERS, fuzz_le16(o + 2) | ((uint32_t)o[4] << 16));
            break;
        case 1:
            begin_op(o[1] & 1, o);
            break;
        case 2:
            progress(o[1] & 1, o[2]);
            break;
        case 3:
            if (p + 16 <= size) {
                forge(o[1] % SECTORS, fuzz_le16(o + 2), data + p);
                p += 16;
            }
            break;
        case 4:
            copy_unit(o[1] % SECTORS, fuzz_le16(o + 2), o[4] % SECTORS, fuzz_le16(o + 4));
            break;
        default:
            cut_at = o[1];
            cut_torn = (o[2] & 1u) != 0;
            break;
        }
    }
    check_scans();
    for (unsigned c = 0; c < BL_COUNTERS; c++) {
        check_counter(c);
    }
    check_journal(0);
    check_journal(1);
    return 0;
}
