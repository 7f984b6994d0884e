/*
 * bl_crypto.c: see bl_crypto.h. The part in every image: SHA-256, comparison, zeroization,
 * key encoding.
 */
#include "bl_crypto.h"

#include <string.h>

#include "bl_status.h"
#include "mbedtls/platform_util.h"

#ifndef BL_ROM_SHA256 /* else the iRoT's (bl_rom_client.c: the provisioning stage) */
void bl_sha256_start(struct bl_sha256 *h)
{
    mbedtls_sha256_init(&h->ctx);
    (void)mbedtls_sha256_starts(&h->ctx, 0);
}

void bl_sha256_update(struct bl_sha256 *h, const void *data, size_t len)
{
    (void)mbedtls_sha256_update(&h->ctx, data, len);
}

void bl_sha256_finish(struct bl_sha256 *h, uint8_t out[32])
{
    (void)mbedtls_sha256_finish(&h->ctx, out);
    mbedtls_sha256_free(&h->ctx);
}
#endif

void bl_sha256(const void *data, size_t len, uint8_t out[32])
{
    struct bl_sha256 h;
    bl_sha256_start(&h);
    bl_sha256_update(&h, data, len);
    bl_sha256_finish(&h, out);
}

bool bl_ct_equal(const void *a, const void *b, size_t len)
{
    const volatile uint8_t *x = a;
    const volatile uint8_t *y = b;
    uint8_t diff = 0;
    for (size_t i = 0; i < len; i++) {
        diff |= (uint8_t)(x[i] ^ y[i]);
    }
    return diff == 0;
}

void bl_zeroize(void *p, size_t len)
{
    mbedtls_platform_zeroize(p, len);
}

static const uint8_t spki_p256_prefix[26] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
};

void bl_pubkey_der(const uint8_t pub[64], uint8_t der[91])
{
    memcpy(der, spki_p256_prefix, sizeof(spki_p256_prefix));
    der[26] = 0x04;
    memcpy(der + 27, pub, 64);
}

int bl_pubkey_from_der(const uint8_t der[91], uint8_t pub[64])
{
    if (memcmp(der, spki_p256_prefix, sizeof(spki_p256_prefix)) != 0 || der[26] != 0x04) {
        return BL_E_TLV;
    }
    memcpy(pub, der + 27, 64);
    return BL_OK;
}
