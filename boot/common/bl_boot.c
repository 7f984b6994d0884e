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
        rc = bl_otp_enc_priv(priv);
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
    bl_log("boot: resuming the interrupted %s of the %s image\n",
           op.type == BL_OP_INSTALL ? "install" : "revert", bl_kind_name((enum bl_kind)op.kind));
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

static int swap(const struct bl_journal *j, const struct bl_slot_pair *s, uint8_t type,
                uint8_t flags, const struct bl_image_info *incoming)
{
    struct bl_swap_op op;
    memset(&op, 0, sizeof(op));
    op.kind = (uint8_t)s->kind;
    op.type = type;
    op.flags = flags;
    uint32_t a = used_sectors(s->primary, s->size), b = used_sectors(s->secondary, s->size);
    op.data_sectors = (uint16_t)(a > b ? a : b);
    if (flags & BL_OP_F_ENCRYPTED) {
        op.body_start = incoming->hdr.hdr_size;
        op.body_end = incoming->hdr.hdr_size + incoming->hdr.img_size;
        struct bl_reader r = slot_reader(s->secondary, s->size);
        if (r.read(&r, incoming->enc_off, op.enc_tlv, sizeof(op.enc_tlv)) != BL_OK) {
            return BL_E_IO;
        }
    }
    int rc = bl_swap_begin(j, &op);
    return rc == BL_OK ? run_op(j, &op) : rc;
}

/* Is every dependency of the image met by the installed (active) images? */
static int check_dependencies(const struct bl_image_info *info)
{
    for (unsigned i = 0; i < info->n_deps; i++) {
        const struct bl_slot_pair *s = bl_slots((enum bl_kind)info->deps[i].image_id);
        struct bl_image_info dep;
        if (s == NULL) {
            return BL_E_DEPENDENCY;
        }
        struct bl_reader r = slot_reader(s->primary, s->size);
        if (bl_image_parse(&r, &dep) != BL_OK ||
            bl_version_cmp(&dep.hdr.version, &info->deps[i].min_version) < 0) {
            return BL_E_DEPENDENCY;
        }
    }
    return BL_OK;
}

/* Parse and verify the image in a slot for `kind`. */
static int verify_slot(enum bl_kind kind, uint32_t slot, uint32_t size, bool encrypted_here,
                       struct bl_image_info *info, struct bl_boot_image *out)
{
    struct bl_key key;
    uint8_t priv[32];
    struct bl_reader r = slot_reader(slot, size);
    uint32_t min_sec_cnt;
    int rc = bl_otp_key(kind, &key);
    if (rc == BL_OK) {
        rc = bl_counter_get(kind, &min_sec_cnt);
    }
    if (rc == BL_OK) {
        rc = bl_image_parse(&r, info);
    }
    if (rc == BL_OK && (info->hdr.flags & BL_IMAGE_F_NON_BOOTABLE)) {
        rc = BL_E_UNSUPPORTED;
    }
    bool decrypt = encrypted_here && (info->hdr.flags & BL_IMAGE_F_ENCRYPTED_AES128);
    if (rc == BL_OK && decrypt) {
        rc = bl_otp_enc_priv(priv);
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

static void log_version(const char *what, enum bl_kind kind, const struct bl_image_version *v)
{
    bl_log("boot: %s %s image %u.%u.%u+%u\n", what, bl_kind_name(kind), v->major, v->minor,
           v->revision, (unsigned)v->build);
}

/* A download slot asks for an install: verify it, then swap it in, or drop the request. */
static int try_install(const struct bl_journal *j, const struct bl_slot_pair *s,
                       const struct bl_trailer *dl)
{
    struct bl_image_info info;
    struct bl_boot_image candidate;
    int rc = verify_slot(s->kind, s->secondary, s->size, true, &info, &candidate);
    if (rc == BL_OK) {
        rc = check_dependencies(&info);
    }
    if (rc != BL_OK) {
        bl_log("boot: %s update rejected: %s\n", bl_kind_name(s->kind), bl_strerror(rc));
        /* Drop the request (its trailer sector), so it is not tried at every boot. */
        uint32_t last = s->secondary + s->size - FLASH_SECTOR_SIZE;
        return plat_flash_erase(last, FLASH_SECTOR_SIZE) == PLAT_FLASH_OK ? BL_OK : BL_E_IO;
    }
    log_version("installing", s->kind, &info.hdr.version);
    uint8_t flags = (dl->image_ok ? BL_OP_F_PERMANENT : 0) |
                    ((info.hdr.flags & BL_IMAGE_F_ENCRYPTED_AES128) ? BL_OP_F_ENCRYPTED : 0);
    return swap(j, s, BL_OP_INSTALL, flags, &info);
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
    if (rc != BL_OK) {
        return rc;
    }
    if (active.trial && active.booted && !active.image_ok) {
        bl_log("boot: %s trial image was not confirmed: reverting\n", bl_kind_name(kind));
        rc = swap(j, s, BL_OP_REVERT, 0, NULL);
        if (rc != BL_OK) {
            return rc;
        }
    } else if (!active.trial || active.image_ok) {
        /* Settled: an update may be waiting in the download slot. */
        rc = bl_trailer_read(s->secondary, s->size, &dl);
        if (rc == BL_OK && dl.magic) {
            rc = try_install(j, s, &dl);
        }
        if (rc != BL_OK) {
            return rc;
        }
    }
    rc = bl_trailer_read(s->primary, s->size, &active);
    if (rc != BL_OK) {
        return rc;
    }
    rc = verify_slot(kind, s->primary, s->size, false, &info, out);
    if (rc != BL_OK && active.trial && !active.image_ok) {
        /* A trial image that no longer verifies: go back to the one it replaced. */
        bl_log("boot: %s trial image rejected: %s: reverting\n", bl_kind_name(kind),
               bl_strerror(rc));
        rc = swap(j, s, BL_OP_REVERT, 0, NULL);
        if (rc == BL_OK) {
            rc = bl_trailer_read(s->primary, s->size, &active);
        }
        if (rc == BL_OK) {
            rc = verify_slot(kind, s->primary, s->size, false, &info, out);
        }
    }
    if (rc != BL_OK) {
        bl_log("boot: %s image rejected: %s\n", bl_kind_name(kind), bl_strerror(rc));
        return rc;
    }
    out->trial = active.trial && !active.image_ok;
    if (out->trial) {
        /* The one trial run: the next boot reverts unless the image confirms itself. */
        rc = bl_trailer_set(s->primary, s->size, BL_TRAILER_BOOTED);
    } else {
        /* Confirmed: from now on nothing older may run. */
        rc = bl_counter_raise(kind, out->sec_cnt);
    }
    if (rc != BL_OK) {
        return rc;
    }
    log_version(out->trial ? "booting (trial)" : "booting", kind, &out->version);
    return BL_OK;
}
