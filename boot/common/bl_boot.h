/*
 * bl_boot.h: what a boot stage does for one image kind (see docs/design/secure-boot.md,
 * "What a boot stage decides").
 *
 * Contract: bl_boot_resume finishes an install or revert that a power cut interrupted; call it
 * once at start, before bl_boot_image. bl_boot_image installs or reverts as the slots ask,
 * then verifies the active image and returns BL_OK only for an image that verified (signature
 * by the kind's provisioned key, hash, security counter), filling `out` with what it booted.
 * Every rejection is printed with its reason. Nothing unverified is ever reported bootable.
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

/* Log hook: boot stages print on the console; defaults to plat_printf. */
void bl_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* BL_BOOT_H */
