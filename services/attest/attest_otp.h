/*
 * attest_otp.h: the attestation block of the provisioning area, written once by
 * `smtool provision` after struct bl_otp, read by the SM core (core/sm_device.c).
 *
 * Contract: struct attest_otp is the exact flash layout at FLASH_OTP_OFFSET + ATTEST_OTP_AT
 * (little endian, no padding, a whole number of program units). `digest` is SHA-256 over
 * every byte before it, and `otp_digest` must equal the digest of the struct bl_otp of the
 * same area, so the block belongs to that provisioning and no other: a block copied from
 * another device, torn, or left from an earlier provisioning is refused, and the device then
 * has no attestation (PSA_ERROR_SERVICE_FAILURE). The IAK's private half is bl_otp.iak; its
 * public half is here because the core has no point multiplication to derive it.
 * cert_ref holds cert_ref_len characters (0: no certification reference, else exactly
 * SM_ATTEST_CERT_REF_MAX: RFC 9783's "[0-9]{13}-[0-9]{5}"); url holds url_len characters
 * (0: no verification service).
 */
#ifndef ATTEST_OTP_H
#define ATTEST_OTP_H

#include <stddef.h>
#include <stdint.h>

#define ATTEST_OTP_MAGIC   0x31544141u /* "AAT1" */
#define ATTEST_OTP_VERSION 1u
#define ATTEST_OTP_AT      0x400u /* offset in the provisioning area, after struct bl_otp */

struct attest_otp {
    uint32_t magic;
    uint32_t version;
    uint8_t otp_digest[32];
    uint8_t iak_pub[64]; /* x || y */
    uint8_t implementation_id[32];
    uint8_t cert_ref_len;
    uint8_t url_len;
    uint8_t reserved[2];
    char cert_ref[20];
    char url[96];
    uint8_t digest[32];
};

_Static_assert(sizeof(struct attest_otp) == 288 && sizeof(struct attest_otp) % 16 == 0,
               "attestation block layout");
_Static_assert(offsetof(struct attest_otp, digest) == 256, "attestation block layout");

#endif /* ATTEST_OTP_H */
