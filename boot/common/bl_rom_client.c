/*
 * bl_rom_client.c: see bl_rom.h. The uRoT's bl_crypto_shared.c: each function calls the iRoT's,
 * once the table has been checked.
 */
#include "bl_rom.h"

#include "bl_status.h"

/* The table: its address is the iRoT's (a link-time constant); its contents are checked. */
static const volatile struct bl_rom *rom(void)
{
    return (const volatile struct bl_rom *)&bl_rom_api;
}

int bl_rom_check(void)
{
    const volatile struct bl_rom *t = rom();
    return t->magic == BL_ROM_MAGIC && t->version == BL_ROM_VERSION &&
                   t->aes_ctx_size == sizeof(struct bl_aes_ctr) &&
                   t->hmac_ctx_size == sizeof(struct bl_hmac) &&
                   t->sha_ctx_size == sizeof(struct bl_sha256)
               ? BL_OK
               : BL_E_CRYPTO;
}

#ifdef BL_ROM_SHA256
/* Void: reached only after the stage's own bl_rom_check at its start (prov_main.c). */
void bl_sha256_start(struct bl_sha256 *h)
{
    rom()->sha256_start(h);
}

void bl_sha256_update(struct bl_sha256 *h, const void *data, size_t len)
{
    rom()->sha256_update(h, data, len);
}

void bl_sha256_finish(struct bl_sha256 *h, uint8_t out[32])
{
    rom()->sha256_finish(h, out);
}
#endif

int bl_ecdsa_p256_verify(const uint8_t pub[64], const uint8_t hash[32], const uint8_t *der_sig,
                         size_t der_len)
{
    return bl_rom_check() == BL_OK ? rom()->ecdsa_p256_verify(pub, hash, der_sig, der_len)
                                   : BL_E_CRYPTO;
}

int bl_ecies_p256_unwrap(const uint8_t device_priv[32], const uint8_t *tlv, size_t key_len,
                         uint8_t *key)
{
    return bl_rom_check() == BL_OK ? rom()->ecies_p256_unwrap(device_priv, tlv, key_len, key)
                                   : BL_E_CRYPTO;
}

int bl_p256_public(const uint8_t priv[32], uint8_t pub[64])
{
    return bl_rom_check() == BL_OK ? rom()->p256_public(priv, pub) : BL_E_CRYPTO;
}

int bl_aes_ctr_start(struct bl_aes_ctr *c, const uint8_t *key, size_t key_len)
{
    return bl_rom_check() == BL_OK ? rom()->aes_ctr_start(c, key, key_len) : BL_E_CRYPTO;
}

void bl_aes_ctr_crypt(struct bl_aes_ctr *c, uint32_t pos, uint8_t *buf, size_t len)
{
    rom()->aes_ctr_crypt(c, pos, buf, len);
}

void bl_aes_ctr_end(struct bl_aes_ctr *c)
{
    rom()->aes_ctr_end(c);
}

int bl_hkdf_sha256(const uint8_t *ikm, size_t ikm_len, const uint8_t *info, size_t info_len,
                   uint8_t *out, size_t out_len)
{
    return bl_rom_check() == BL_OK ? rom()->hkdf_sha256(ikm, ikm_len, info, info_len, out, out_len)
                                   : BL_E_CRYPTO;
}

int bl_hmac_start(struct bl_hmac *h, const uint8_t *key, size_t key_len)
{
    return bl_rom_check() == BL_OK ? rom()->hmac_start(h, key, key_len) : BL_E_CRYPTO;
}

int bl_hmac_tag(struct bl_hmac *h, const uint8_t *msg, size_t len, uint8_t tag[32])
{
    return rom()->hmac_tag(h, msg, len, tag);
}

void bl_hmac_end(struct bl_hmac *h)
{
    /* Also after a failed start: with no table there was no context to free. */
    if (bl_rom_check() == BL_OK) {
        rom()->hmac_end(h);
    }
}
