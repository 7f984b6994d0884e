/*
 * bl_boot.h: what a boot stage does for one image kind (see docs/design/secure-boot.md,
 * "What a boot stage decides").
 *
 * Contract: bl_boot_resume finishes an install or revert that a power cut interrupted; call it
 * once at start, before bl_boot_image. bl_boot_image installs or reverts as the slots ask,
 * then verifies the active image and returns BL_OK only for an image that verified (signature
 * by the kind's provisioned key, hash, security counter), filling `out` with what it booted.
 * Every rejection is printed with its reason. Nothing unverified is ever reported bootable.
 * A revert happens only to a previous image that still verifies; an install over an active
 * slot without a valid image is permanent (there is nothing to go back to); requests that fail
 * for a reason other than the image itself (e.g. an unmet dependency) are kept.
 */
#ifndef BL_BOOT_H
#define BL_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "bl_image.h"
#include "bl_otp.h"
#include "bl_swap.h"

struct bl_boot_image {
    enum bl_kind kind;
    struct bl_image_version version;
    uint32_t sec_cnt;
    uint8_t measurement[32]; /* SHA-256 of header, payload, protected TLVs */
    uint8_t signer[32];      /* key hash of the signing key */
    uint32_t entry_offset;   /* flash offset of the payload (vector table) */
    bool trial;              /* running on trial: will be reverted unless confirmed */
};

int bl_boot_resume(const struct bl_journal *j);
int bl_boot_image(const struct bl_journal *j, enum bl_kind kind, struct bl_boot_image *out);
/* Records that a trial image (out->trial) is being started: its one trial run. A stage calls
 * it for each trial image just before handing over, after every image has verified, so that a
 * later failure in the same boot does not use up the run. */
int bl_boot_mark_trial_run(enum bl_kind kind);

/* Parses and verifies the image in a slot [slot, slot + size) (the trailer excluded) for
 * `kind`, as every decision above does: signed by the kind's provisioned key, hash, security
 * counter not below the device's, not flagged non-bootable, decrypted while hashing when
 * `encrypted_here` and the image is encrypted (a download slot). Dependencies are not checked.
 * BL_OK with `info` and `out` filled, or the reason. The SM's update service checks a download
 * with it, so that an image fails there exactly as it would at boot. */
int bl_boot_verify_slot(enum bl_kind kind, uint32_t slot, uint32_t size, bool encrypted_here,
                        struct bl_image_info *info, struct bl_boot_image *out);

/* Log hook: boot stages print on the console; defaults to plat_printf. */
void bl_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* BL_BOOT_H */
