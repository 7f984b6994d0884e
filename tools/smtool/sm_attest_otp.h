/*
 * sm_attest_otp.h: builds the attestation block of the provisioning area (attest_otp.h) for
 * `smtool provision` and the host tests' fixtures. Depends on SHA-256 only (no PSA), so a test
 * linking the SM host library can use it too.
 *
 * Contract: sm_attest_otp_build fills `a` for the struct bl_otp whose digest is otp_digest
 * (seal that first) and seals it; cert_ref and url may be NULL (absent). It returns -1, with
 * `a` zeroed, for a certification reference that is not "[0-9]{13}-[0-9]{5}" or a URL that is
 * empty, longer than SM_ATTEST_URL_MAX or not printable ASCII. sm_attest_otp_program writes a
 * built block into the open flash, after sm_otp_program (which erased the area).
 */
#ifndef SM_ATTEST_OTP_H
#define SM_ATTEST_OTP_H

#include <stdint.h>

#include "attest_otp.h"

int sm_attest_otp_build(struct attest_otp *a, const uint8_t otp_digest[32],
                        const uint8_t iak_pub[64], const uint8_t implementation_id[32],
                        const char *cert_ref, const char *url);
int sm_attest_otp_program(const struct attest_otp *a);

/* 1 if s is RFC 9783's certification reference, an EAN-13, "-", five digits. */
int sm_attest_cert_ref_ok(const char *s);

#endif /* SM_ATTEST_OTP_H */
