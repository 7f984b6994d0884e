/*
 * bl_rom.h: the crypto the iRoT offers the uRoT, so that the uRoT does not carry a second copy
 * of it (docs/design/boot-speed.md, "What the two stages share").
 *
 * The iRoT's flash is immutable and was verified by nobody but the hardware: its code is the
 * root of trust already, and the uRoT runs on top of it. Offering its P-256, AES, HKDF and HMAC
 * (bl_crypto_shared.c) through a table at a fixed flash address, as a boot ROM does, gives the
 * uRoT the same functions without 8 KB of code of its own. Only stateless functions are offered,
 * whose memory is the caller's (contexts on the uRoT's stack) or the iRoT's own RAM (Mbed TLS's
 * HMAC contexts come from the iRoT's bl_pool; its AES tables), which the uRoT never uses.
 * The provisioning stage (boot/prov) links the same client, and takes more of the table: the
 * public half of the IAK it generates (bl_p256_public) and, built with BL_ROM_SHA256, SHA-256
 * (bl_sha256_start/update/finish), so that it carries neither p256-m nor SHA-256 of its own.
 * The policy (what boots, installs, reverts, counters) stays in each stage.
 *
 * Contract:
 * - the iRoT defines bl_rom_api (bl_rom.c); the uRoT is linked with its address, taken from
 *   the iRoT's ELF at build time (boot/urot/CMakeLists.txt);
 * - bl_rom_check() (uRoT, stage) returns BL_OK only if a table of this version is there, with
 *   the context sizes the caller was built with; every call through it checks that first and
 *   fails with BL_E_CRYPTO otherwise (the void functions are only reached after a start that
 *   succeeded, or, SHA-256's, after the caller's own bl_rom_check at its start: urot.c,
 *   prov_main.c);
 * - the functions behave exactly as their bl_crypto.h names.
 */
#ifndef BL_ROM_H
#define BL_ROM_H

#include <stddef.h>
#include <stdint.h>

#include "bl_crypto.h"

#define BL_ROM_MAGIC   0x4d4f5242u /* "BROM" */
#define BL_ROM_VERSION 3u          /* 2: AES-256 image keys; 3: SHA-256, P-256 public keys */

struct bl_rom {
    uint32_t magic;
    uint32_t version;
    uint32_t aes_ctx_size;  /* sizeof(struct bl_aes_ctr) */
    uint32_t hmac_ctx_size; /* sizeof(struct bl_hmac) */
    uint32_t sha_ctx_size;  /* sizeof(struct bl_sha256) */
    void (*sha256_start)(struct bl_sha256 *h);
    void (*sha256_update)(struct bl_sha256 *h, const void *data, size_t len);
    void (*sha256_finish)(struct bl_sha256 *h, uint8_t out[32]);
    int (*ecdsa_p256_verify)(const uint8_t pub[64], const uint8_t hash[32], const uint8_t *der_sig,
                             size_t der_len);
    int (*ecies_p256_unwrap)(const uint8_t device_priv[32], const uint8_t *tlv, size_t key_len,
                             uint8_t *key);
    int (*p256_public)(const uint8_t priv[32], uint8_t pub[64]);
    int (*aes_ctr_start)(struct bl_aes_ctr *c, const uint8_t *key, size_t key_len);
    void (*aes_ctr_crypt)(struct bl_aes_ctr *c, uint32_t pos, uint8_t *buf, size_t len);
    void (*aes_ctr_end)(struct bl_aes_ctr *c);
    int (*hkdf_sha256)(const uint8_t *ikm, size_t ikm_len, const uint8_t *info, size_t info_len,
                       uint8_t *out, size_t out_len);
    int (*hmac_start)(struct bl_hmac *h, const uint8_t *key, size_t key_len);
    int (*hmac_tag)(struct bl_hmac *h, const uint8_t *msg, size_t len, uint8_t tag[32]);
    void (*hmac_end)(struct bl_hmac *h);
};

extern const struct bl_rom bl_rom_api;

int bl_rom_check(void);

#endif /* BL_ROM_H */
