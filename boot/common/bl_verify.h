/*
 * bl_verify.h: decides whether a parsed image may run.
 *
 * Contract of bl_image_verify, in order, stopping at the first failure:
 *  1. the image names the key allowed for its kind (KEYHASH TLV, or PUBKEY TLV whose hash
 *     matches), else BL_E_KEY / BL_E_NO_KEY;
 *  2. SHA-256 over header, payload (decrypted first when `decrypt`) and protected TLVs equals
 *     the SHA256 TLV, else BL_E_HASH;
 *  3. the ECDSA P-256 signature over that hash verifies with the allowed key, else BL_E_SIG;
 *  4. its security counter (0 without a SEC_CNT TLV) is at least min_sec_cnt, else
 *     BL_E_ROLLBACK.
 * On success `measurement` holds the verified SHA-256. Tag and hash comparisons are constant
 * time; the image key is zeroized before returning.
 */
#ifndef BL_VERIFY_H
#define BL_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "bl_image.h"
#include "bl_reader.h"

/* A signing key allowed for an image kind, as provisioned. */
struct bl_key {
    uint8_t pub[64];  /* x || y */
    uint8_t hash[32]; /* SHA-256 of its SubjectPublicKeyInfo DER (MCUboot's KEYHASH) */
};

struct bl_verify_params {
    const struct bl_key *key;
    const uint8_t *device_priv; /* image decryption key, or NULL */
    bool decrypt;               /* the payload in this area is still encrypted */
    uint32_t min_sec_cnt;
};

int bl_image_verify(const struct bl_reader *r, const struct bl_image_info *info,
                    const struct bl_verify_params *p, uint8_t measurement[32]);

/* The image key of an encrypted image, for installing it: info->enc_key_len bytes (16 for
 * AES-128, 32 for AES-256) into key. BL_E_ENC if not encrypted, or not for this device. */
int bl_image_key(const struct bl_reader *r, const struct bl_image_info *info,
                 const uint8_t device_priv[32], uint8_t key[BL_ENC_KEY_MAX]);

/* Timer ticks (plat_timer_ticks) spent hashing and checking signatures so far, for the boot
 * time benchmark. */
struct bl_verify_stats {
    uint32_t hash_ticks;
    uint32_t sig_ticks;
};

const struct bl_verify_stats *bl_verify_stats(void);

#endif /* BL_VERIFY_H */
