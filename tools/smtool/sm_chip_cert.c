/*
 * sm_chip_cert.c: see sm_chip_cert.h. The signature is checked by the boot core's P-256 verify
 * (bl_p256.h), the one a boot stage would use: the certificate format needs no parser beyond
 * its fixed offsets, on the host or on a chip.
 */
#include "sm_chip_cert.h"

#include <string.h>

#include "bl_crypto.h"
#include "bl_p256.h"
#include "bl_status.h"

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

int sm_chip_cert_parse(const uint8_t *buf, size_t len, struct bl_chip_cert *out, const char **why)
{
    if (len != SM_CHIP_CERT_SIZE) {
        *why = len < SM_CHIP_CERT_SIZE ? "certificate truncated" : "certificate too long";
        return -1;
    }
    if (le32(buf) != BL_CHIP_CERT_MAGIC) {
        *why = "not a chip certificate (magic)";
        return -1;
    }
    if (le32(buf + 4) != BL_CHIP_CERT_VERSION) {
        *why = "chip certificate of another version";
        return -1;
    }
    out->magic = BL_CHIP_CERT_MAGIC;
    out->version = BL_CHIP_CERT_VERSION;
    memcpy(out->chip_id, buf + offsetof(struct bl_chip_cert, chip_id), sizeof(out->chip_id));
    memcpy(out->chip_pub, buf + offsetof(struct bl_chip_cert, chip_pub), sizeof(out->chip_pub));
    memcpy(out->issuer, buf + offsetof(struct bl_chip_cert, issuer), sizeof(out->issuer));
    memcpy(out->sig, buf + offsetof(struct bl_chip_cert, sig), sizeof(out->sig));
    return 0;
}

void sm_chip_cert_encode(const struct bl_chip_cert *c, uint8_t out[SM_CHIP_CERT_SIZE])
{
    put_le32(out, c->magic);
    put_le32(out + 4, c->version);
    memcpy(out + offsetof(struct bl_chip_cert, chip_id), c->chip_id, sizeof(c->chip_id));
    memcpy(out + offsetof(struct bl_chip_cert, chip_pub), c->chip_pub, sizeof(c->chip_pub));
    memcpy(out + offsetof(struct bl_chip_cert, issuer), c->issuer, sizeof(c->issuer));
    memcpy(out + offsetof(struct bl_chip_cert, sig), c->sig, sizeof(c->sig));
}

int sm_chip_cert_verify(const struct bl_chip_cert *c, const uint8_t root_pub[64], const char **why)
{
    uint8_t der[91], issuer[32], bytes[SM_CHIP_CERT_SIZE], hash[32];
    bl_pubkey_der(root_pub, der);
    bl_sha256(der, sizeof(der), issuer);
    if (!bl_ct_equal(issuer, c->issuer, sizeof(issuer))) {
        *why = "certificate issued by another key than this vendor root";
        return -1;
    }
    sm_chip_cert_encode(c, bytes);
    bl_sha256(bytes, SM_CHIP_CERT_SIGNED, hash);
    if (bl_p256_verify(c->sig, root_pub, hash) != P256_SUCCESS) {
        *why = "certificate signature does not verify with the vendor root";
        return -1;
    }
    return 0;
}
