/*
 * bl_rom.c: see bl_rom.h. The iRoT's table (linked into the iRoT only, kept by the linker with
 * --require-defined: nothing in the iRoT refers to it).
 */
#include "bl_rom.h"

const struct bl_rom bl_rom_api = {
    BL_ROM_MAGIC,
    BL_ROM_VERSION,
    sizeof(struct bl_aes_ctr),
    sizeof(struct bl_hmac),
    sizeof(struct bl_sha256),
    bl_sha256_start,
    bl_sha256_update,
    bl_sha256_finish,
    bl_ecdsa_p256_verify,
    bl_ecies_p256_unwrap,
    bl_p256_public,
    bl_aes_ctr_start,
    bl_aes_ctr_crypt,
    bl_aes_ctr_end,
    bl_hkdf_sha256,
    bl_hmac_start,
    bl_hmac_tag,
    bl_hmac_end,
};
