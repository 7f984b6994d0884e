/*
 * prov_verify.c: bl_p256_verify (bl_p256.h) for the provisioning stage, through the iRoT's
 * ECDSA verify (bl_rom.h), which takes a DER signature: the stage carries no P-256 code of its
 * own, and the iRoT's table stays as it is (no new entry, no new version for the uRoT). r and
 * s are written as the shortest DER INTEGERs the iRoT's strict parser accepts; a value of zero
 * is written as one zero byte, which the iRoT then refuses as p256-m does (not in [1, n-1]).
 * Only the result's class is kept: P256_SUCCESS or P256_INVALID_SIGNATURE (prov_core asks for
 * success only).
 */
#include "bl_crypto.h"
#include "bl_p256.h"
#include "bl_status.h"

/* One 32-byte big-endian value as a DER INTEGER at out; returns its length (at most 35). */
static size_t der_integer(const uint8_t v[32], uint8_t *out)
{
    size_t skip = 0;
    while (skip < 31 && v[skip] == 0) {
        skip++;
    }
    const size_t pad = (v[skip] & 0x80u) != 0 ? 1u : 0u, len = 32 - skip + pad;
    out[0] = 0x02;
    out[1] = (uint8_t)len;
    out[2] = 0;
    for (size_t i = 0; i < 32 - skip; i++) {
        out[2 + pad + i] = v[skip + i];
    }
    return 2 + len;
}

int bl_p256_verify(const uint8_t sig[64], const uint8_t pub[64], const uint8_t hash[32])
{
    uint8_t der[2 + 2 * 35];
    size_t n = der_integer(sig, der + 2);
    n += der_integer(sig + 32, der + 2 + n);
    der[0] = 0x30;
    der[1] = (uint8_t)n;
    return bl_ecdsa_p256_verify(pub, hash, der, n + 2) == BL_OK ? P256_SUCCESS
                                                                : P256_INVALID_SIGNATURE;
}
