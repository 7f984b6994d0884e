/*
 * bl_boot.c: see bl_boot.h.
 */
#include "bl_boot.h"

#include <stdarg.h>
#include <string.h>

#include "bl_counter.h"
#include "bl_crypto.h"
#include "bl_status.h"
#include "bl_trailer.h"
#include "bl_verify.h"
#include "plat_console.h"
#include "plat_flash.h"

/* Install groups (docs/design/fwu.md): built in every stage but the iRoT, whose one image kind,
 * the uRoT, the update service installs alone (boot/common/CMakeLists.txt). */
#ifndef BL_BOOT_GROUPS
#define BL_BOOT_GROUPS 1
#endif

/* The boot log's longer lines. The iRoT (BL_STATUS_CODES) prints its failures as codes
 * (bl_status.c) and these lines in short: the same events and values, fewer words, for its
 * 16 KiB (docs/design/boot-speed.md). No test or tool reads them. */
#ifdef BL_STATUS_CODES
#define MSG_RESUMING "boot: resuming %s of %s\n"
#define MSG_GONE     "boot: %s trial %s, kept: previous %s\n"
#define MSG_REVERT   "boot: %s trial %s: reverting\n"
#define MSG_NO_BACK  "boot: %s: none to go back to, no trial\n"
#else
#define MSG_RESUMING "boot: resuming the interrupted %s of the %s image\n"
#define MSG_GONE     "boot: %s trial image %s, but the previous image is gone (%s): keeping it\n"
#define MSG_REVERT   "boot: %s trial image %s: reverting\n"
#define MSG_NO_BACK  "boot: no valid %s image to go back to: installing without trial\n"
#endif

void bl_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    plat_vprintf(fmt, ap);
    va_end(ap);
}

/* A reader over the part of a slot an image may occupy (the trailer is not image). */
static struct bl_reader slot_reader(uint32_t slot, uint32_t size)
{
    return bl_reader_flash(slot, size - BL_TRAILER_SIZE);
}

static int run_op(const struct bl_journal *j, struct bl_swap_op *op)
{
    uint8_t priv[32];
    int rc = BL_OK;
    if (op->flags & BL_OP_F_ENCRYPTED) {
        rc = bl_otp_enc_priv((enum bl_kind)op->kind, priv);
    }
    if (rc == BL_OK) {
        rc = bl_swap_run(j, op, (op->flags & BL_OP_F_ENCRYPTED) ? priv : NULL);
    }
    bl_zeroize(priv, sizeof(priv));
    return rc;
}

int bl_boot_resume(const struct bl_journal *j)
{
    struct bl_swap_op op;
    bool found;
    int rc = bl_swap_find(j, &op, &found);
    if (rc != BL_OK || !found || op.done) {
        return rc;
    }
    bl_log(MSG_RESUMING, op.type == BL_OP_INSTALL ? "install" : "revert",
           bl_kind_name((enum bl_kind)op.kind));
    rc = run_op(j, &op);
    if (rc != BL_OK) {
        bl_log("boot: resuming failed: %s\n", bl_strerror(rc));
    }
    return rc;
}

/* Sectors at the start of a slot that hold image bytes (0 for no parsable image). */
static uint32_t used_sectors(uint32_t slot, uint32_t size)
{
    struct bl_reader r = slot_reader(slot, size);
    struct bl_image_info info;
    if (bl_image_parse(&r, &info) != BL_OK) {
        /* Unparsable: move all of it, so that nothing is lost whatever it is. */
        return (size - BL_TRAILER_SIZE + FLASH_SECTOR_SIZE - 1) / FLASH_SECTOR_SIZE;
    }
    return (info.total_size + FLASH_SECTOR_SIZE - 1) / FLASH_SECTOR_SIZE;
}

/* `prev`: for a trial install, the measurement of the active image it replaces (the trial field
 * binds the revert to it). */
static int swap(const struct bl_journal *j, const struct bl_slot_pair *s, uint8_t type,
                uint8_t flags, uint32_t group, const struct bl_image_info *incoming,
                const uint8_t *prev)
{
    struct bl_swap_op op;
    memset(&op, 0, sizeof(op));
    op.kind = (uint8_t)s->kind;
    op.type = type;
    op.flags = flags;
    op.group = (uint8_t)group;
    if (prev != NULL && !(flags & BL_OP_F_PERMANENT)) {
        op.flags |= BL_OP_F_BOUND;
        memcpy(op.enc_tlv + BL_SWAP_PREV_AT, prev, BL_TRAILER_PREV_LEN);
    }
    uint32_t a = used_sectors(s->primary, s->size), b = used_sectors(s->secondary, s->size);
    op.data_sectors = (uint16_t)(a > b ? a : b);
    if (flags & BL_OP_F_ENCRYPTED) {
        op.body_start = incoming->hdr.hdr_size;
        op.body_end = incoming->hdr.hdr_size + incoming->hdr.img_size;
        struct bl_reader r = slot_reader(s->secondary, s->size);
        if (r.read(&r, incoming->enc_off, op.enc_tlv, BL_ENC_EC256_TLV_LEN(bl_swap_key_len(&op))) !=
            BL_OK) {
            return BL_E_IO;
        }
    }
    int rc = bl_swap_begin(j, &op);
    return rc == BL_OK ? run_op(j, &op) : rc;
}

int bl_boot_verify_slot(enum bl_kind kind, uint32_t slot, uint32_t size, bool encrypted_here,
                        struct bl_image_info *info, struct bl_boot_image *out)
{
    struct bl_key key;
    uint8_t priv[32];
    struct bl_reader r = slot_reader(slot, size);
    uint32_t min_sec_cnt;
    int rc = bl_image_parse(&r, info); /* first: an empty slot is "no image", key or not */
    if (rc == BL_OK) {
        rc = bl_otp_key(kind, &key);
    }
    if (rc == BL_OK) {
        rc = bl_counter_get(kind, &min_sec_cnt);
    }
    if (rc == BL_OK && (info->hdr.flags & BL_IMAGE_F_NON_BOOTABLE)) {
        rc = BL_E_UNSUPPORTED;
    }
    bool decrypt = encrypted_here && info->enc_key_len != 0;
    if (rc == BL_OK && decrypt) {
        rc = bl_otp_enc_priv(kind, priv);
    }
    if (rc == BL_OK) {
        struct bl_verify_params p = {&key, decrypt ? priv : NULL, decrypt, min_sec_cnt};
        rc = bl_image_verify(&r, info, &p, out->measurement);
    }
    bl_zeroize(priv, sizeof(priv));
    if (rc == BL_OK) {
        out->kind = kind;
        out->version = info->hdr.version;
        out->sec_cnt = info->has_sec_cnt ? info->sec_cnt : 0;
        memcpy(out->signer, key.hash, sizeof(out->signer));
        out->entry_offset = slot + info->hdr.hdr_size;
    }
    return rc;
}

/* Install groups (docs/design/fwu.md, "Install and dependencies"): the members of a group go in
 * in bl_kind_rank order and the update service confirms them in that order, so the first of
 * them, the leader, decides for all: a member installed after it goes back when it went back,
 * and is confirmed when it was. */
#define KINDS_MASK ((1u << BL_KIND_COUNT) - 1u)

#if BL_BOOT_GROUPS
static enum bl_kind group_leader(uint32_t group)
{
    enum bl_kind lead = BL_KIND_COUNT;
    for (unsigned k = 0; k < BL_KIND_COUNT; k++) {
        if ((group & (1u << k)) != 0u && bl_kind_rank((enum bl_kind)k) < bl_kind_rank(lead)) {
            lead = (enum bl_kind)k;
        }
    }
    return lead;
}

/* Is kind k's new image of `group` installed already: in its active slot on trial with that
 * group, not confirmed, not started (but for the uRoT, which the iRoT started on this trial run
 * before the uRoT installs the rest; a uRoT trial seen started at an earlier boot was reverted
 * by the iRoT). */
static bool installed_in(enum bl_kind k, uint32_t group)
{
    const struct bl_slot_pair *o = bl_slots(k);
    struct bl_trailer t;
    return o != NULL && bl_trailer_read(o->primary, o->size, &t) == BL_OK && t.trial &&
           !t.image_ok && (!t.booted || k == BL_KIND_UROT) && t.group == group;
}

#endif

/* Is every dependency of the image (of `kind`, installed with `group`: 0 for none, while the
 * boot stage installs `now`'s) met? The
 * version compared is that of a dependency image verified here and now (signature, hash,
 * counter): a header is only a claim until then, and anyone who can write the flash can write
 * one. Outside the group only a confirmed image counts (a trial one may still be reverted);
 * a member of the group counts with its new image, installed before `now`'s or still in its
 * download slot, since the group goes in and back as one. */
static int check_dependencies(const struct bl_image_info *info, enum bl_kind kind, uint32_t group,
                              enum bl_kind now)
{
    for (unsigned i = 0; i < info->n_deps; i++) {
        const enum bl_kind d = (enum bl_kind)info->deps[i].image_id;
        const struct bl_slot_pair *s = bl_slots(d);
        struct bl_image_info dep;
        struct bl_boot_image verified;
        struct bl_trailer t;
        if (s == NULL) {
            return BL_E_DEPENDENCY;
        }
        if (BL_BOOT_GROUPS && d != kind && (group & (1u << d)) != 0u) {
            const bool before = bl_kind_rank(d) < bl_kind_rank(now);
            if (bl_boot_verify_slot(d, before ? s->primary : s->secondary, s->size, !before, &dep,
                                    &verified) != BL_OK) {
                return BL_E_DEPENDENCY;
            }
        } else if (bl_trailer_read(s->primary, s->size, &t) != BL_OK || (t.trial && !t.image_ok) ||
                   bl_boot_verify_slot(d, s->primary, s->size, false, &dep, &verified) != BL_OK) {
            return BL_E_DEPENDENCY;
        }
        if (bl_version_cmp(&verified.version, &info->deps[i].min_version) < 0) {
            return BL_E_DEPENDENCY;
        }
    }
    return BL_OK;
}

#if BL_BOOT_GROUPS
/* An update installed with others goes in only with all of them: each member before it in the
 * order is installed already (a power cut between the group's installs), each after it still
 * asks with the same group, and its download verifies with its dependencies met. Otherwise the
 * request waits, as for an unmet dependency. */
static bool group_ready(enum bl_kind kind, uint32_t group)
{
    for (unsigned k = 0; k < BL_KIND_COUNT; k++) {
        const struct bl_slot_pair *o = bl_slots((enum bl_kind)k);
        struct bl_trailer dl;
        struct bl_image_info info;
        struct bl_boot_image img;
        if (k == (unsigned)kind || (group & (1u << k)) == 0u) {
            continue;
        }
        if (bl_kind_rank((enum bl_kind)k) < bl_kind_rank(kind)) {
            if (!installed_in((enum bl_kind)k, group)) {
                return false;
            }
        } else if (bl_trailer_read(o->secondary, o->size, &dl) != BL_OK || !dl.magic ||
                   (bl_trailer_group(o->secondary, o->size) | (1u << k)) != group ||
                   bl_boot_verify_slot(o->kind, o->secondary, o->size, true, &info, &img) !=
                       BL_OK ||
                   check_dependencies(&info, o->kind, group, kind) != BL_OK) {
            return false;
        }
    }
    return true;
}
#endif

static void log_version(const char *what, enum bl_kind kind, const struct bl_image_version *v)
{
    bl_log("boot: %s %s image %u.%u.%u+%u\n", what, bl_kind_name(kind), v->major, v->minor,
           v->revision, (unsigned)v->build);
}

/* Failures that say the image itself is bad, so that asking again cannot help. */
static bool image_is_bad(int rc)
{
    return rc != BL_E_DEPENDENCY && rc != BL_E_IO && rc != BL_E_CONFIG && rc != BL_E_CRYPTO;
}

/* A download slot asks for an install: verify it, then swap it in, or drop the request.
 * `active`: the verified image in the active slot, to go back to; NULL if there is none. */
static int try_install(const struct bl_journal *j, const struct bl_slot_pair *s,
                       const struct bl_trailer *dl, const struct bl_boot_image *active)
{
    struct bl_image_info info;
    struct bl_boot_image candidate;
    /* The group the update service named (a bit per kind, this one's included), or none. */
    uint32_t group = (bl_trailer_group(s->secondary, s->size) | (1u << s->kind)) & KINDS_MASK;
    if ((group & (group - 1u)) == 0u) {
        group = 0u;
    }
    int rc = bl_boot_verify_slot(s->kind, s->secondary, s->size, true, &info, &candidate);
#if BL_BOOT_GROUPS
    if (rc == BL_OK) {
        rc = group == 0u || group_ready(s->kind, group)
                 ? check_dependencies(&info, s->kind, group, s->kind)
                 : BL_E_DEPENDENCY;
    }
#else
    /* A stage without groups (the iRoT: the uRoT is updated alone, fwu.md) never installs a
     * member of one: such a request waits, as for an unmet dependency. */
    if (rc == BL_OK) {
        rc = group == 0u ? check_dependencies(&info, s->kind, 0u, s->kind) : BL_E_DEPENDENCY;
    }
#endif
    if (rc != BL_OK) {
        bl_log("boot: %s update rejected: %s\n", bl_kind_name(s->kind), bl_strerror(rc));
        if (!image_is_bad(rc)) {
            return BL_OK; /* kept: a later boot may succeed (e.g. once a dependency is met) */
        }
        /* Drop the request (its trailer sector), so it is not tried at every boot. */
        uint32_t last = s->secondary + s->size - FLASH_SECTOR_SIZE;
        return plat_flash_erase(last, FLASH_SECTOR_SIZE) == PLAT_FLASH_OK ? BL_OK : BL_E_IO;
    }
    log_version("installing", s->kind, &info.hdr.version);
    uint8_t flags = (dl->image_ok ? BL_OP_F_PERMANENT : 0) |
                    (info.enc_key_len != 0 ? BL_OP_F_ENCRYPTED : 0) |
                    (info.enc_key_len == 32 ? BL_OP_F_AES256 : 0);
    if (active == NULL && !(flags & BL_OP_F_PERMANENT)) {
        bl_log(MSG_NO_BACK, bl_kind_name(s->kind));
        flags |= BL_OP_F_PERMANENT;
    }
    return swap(j, s, BL_OP_INSTALL, flags, group, &info,
                active != NULL ? active->measurement : NULL);
}

/* Go back to the image a trial replaced, if it is still there and still verifies; otherwise
 * keep the trial image (reverting to nothing would leave nothing to boot). Only that very
 * image: the trial field holds its measurement, so another valid image written into the
 * download slot during the trial is never taken without a trial of its own. */
static int revert(const struct bl_journal *j, const struct bl_slot_pair *s, const char *why)
{
    struct bl_image_info info;
    struct bl_boot_image previous;
    int rc = bl_boot_verify_slot(s->kind, s->secondary, s->size, false, &info, &previous);
    if (rc == BL_OK && !bl_trailer_trial_replaced(s->primary, s->size, previous.measurement)) {
        rc = BL_E_HASH; /* a valid image, but not the one the trial replaced */
    }
    if (rc != BL_OK) {
        bl_log(MSG_GONE, bl_kind_name(s->kind), why, bl_strerror(rc));
        return BL_OK;
    }
    bl_log(MSG_REVERT, bl_kind_name(s->kind), why);
    return swap(j, s, BL_OP_REVERT, 0, 0u, NULL, NULL);
}

#if BL_BOOT_GROUPS
/* The boot stage's half of a group's confirmation: the service writes the download slot's
 * UPDATED mark, then image_ok; this does the same for a member whose confirmation a power cut
 * stopped. */
static int confirm(const struct bl_slot_pair *o)
{
    int rc = bl_trailer_mark_once(o->secondary, o->size, BL_TRAILER_MARK_UPDATED);
    return rc == BL_OK ? bl_trailer_set(o->primary, o->size, BL_TRAILER_IMAGE_OK) : rc;
}

/* A trial installed with a group follows the group's leader: the leader confirmed confirms the
 * rest (the service's accept was cut between members), the leader gone back (reverted, or
 * replaced) takes the rest back. `active` is read again when anything changed. */
static int settle_group(const struct bl_journal *j, const struct bl_slot_pair *s,
                        struct bl_trailer *active)
{
    const uint32_t group = active->group;
    const enum bl_kind lead = group_leader(group);
    const struct bl_slot_pair *l = bl_slots(lead);
    struct bl_trailer t;
    int rc = BL_OK;
    if (group == 0u || l == NULL) {
        return BL_OK;
    }
    if (lead == s->kind) {
        for (unsigned k = 0; rc == BL_OK && active->image_ok && k < BL_KIND_COUNT; k++) {
            const struct bl_slot_pair *o = bl_slots((enum bl_kind)k);
            if (k != (unsigned)lead && (group & (1u << k)) != 0u &&
                bl_trailer_read(o->primary, o->size, &t) == BL_OK && t.trial && !t.image_ok &&
                t.group == group) {
                rc = confirm(o);
            }
        }
        return rc;
    }
    if (active->image_ok) {
        return BL_OK;
    }
    rc = bl_trailer_read(l->primary, l->size, &t);
    if (rc != BL_OK) {
        return rc;
    }
    if (t.trial && t.group == group) {
        if (!t.image_ok) {
            return BL_OK; /* the group's trial goes on */
        }
        rc = confirm(s);
    } else {
        rc = revert(j, s, "was installed with a group that went back");
    }
    return rc == BL_OK ? bl_trailer_read(s->primary, s->size, active) : rc;
}
#endif

int bl_boot_mark_trial_run(enum bl_kind kind)
{
    const struct bl_slot_pair *s = bl_slots(kind);
    return s == NULL ? BL_E_CONFIG : bl_trailer_set(s->primary, s->size, BL_TRAILER_BOOTED);
}

int bl_boot_image(const struct bl_journal *j, enum bl_kind kind, struct bl_boot_image *out)
{
    const struct bl_slot_pair *s = bl_slots(kind);
    struct bl_trailer active, dl;
    struct bl_image_info info;
    if (s == NULL) {
        return BL_E_CONFIG;
    }
    int rc = bl_trailer_read(s->primary, s->size, &active);
#if BL_BOOT_GROUPS
    if (rc == BL_OK) {
        rc = settle_group(j, s, &active);
    }
#endif
    if (rc != BL_OK) {
        return rc;
    }
    if (active.trial && active.booted && !active.image_ok) {
        rc = revert(j, s, "was not confirmed");
    } else if (!active.trial || active.image_ok) {
        /* Settled. When an update waits, the confirmed image first raises the counter, so
         * that an older image cannot be requested again once a newer one is confirmed. (With
         * none waiting, the verification below does that: one signature check per boot.) */
        rc = bl_trailer_read(s->secondary, s->size, &dl);
        if (rc == BL_OK && dl.magic) {
            struct bl_boot_image current;
            int active_rc = bl_boot_verify_slot(kind, s->primary, s->size, false, &info, &current);
            if (active_rc == BL_OK) {
                rc = bl_counter_raise(kind, current.sec_cnt);
            }
            if (rc == BL_OK) {
                rc = try_install(j, s, &dl, active_rc == BL_OK ? &current : NULL);
            }
        }
    }
    if (rc == BL_OK) {
        rc = bl_trailer_read(s->primary, s->size, &active);
    }
    if (rc != BL_OK) {
        return rc;
    }
    rc = bl_boot_verify_slot(kind, s->primary, s->size, false, &info, out);
    if (rc != BL_OK && active.trial && !active.image_ok) {
        rc = revert(j, s, "no longer verifies");
        if (rc == BL_OK) {
            rc = bl_trailer_read(s->primary, s->size, &active);
        }
        if (rc == BL_OK) {
            rc = bl_boot_verify_slot(kind, s->primary, s->size, false, &info, out);
        }
    }
    if (rc != BL_OK) {
        bl_log("boot: %s image rejected: %s\n", bl_kind_name(kind), bl_strerror(rc));
        return rc;
    }
    /* A trial image's run is marked by the stage (bl_boot_mark_trial_run) just before it
     * starts the next stage, once every image has verified; a confirmed one raises its
     * counter: from now on nothing older may run. */
    out->trial = active.trial && !active.image_ok;
    if (!out->trial) {
        rc = bl_counter_raise(kind, out->sec_cnt);
        if (rc != BL_OK) {
            return rc;
        }
    }
    log_version(out->trial ? "booting (trial)" : "booting", kind, &out->version);
    return BL_OK;
}
