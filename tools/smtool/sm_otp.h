/*
 * sm_otp.h: builds the OTP-like provisioning area (struct bl_otp) for `smtool provision`.
 *
 * Contract: sm_otp_init fills defaults and fresh random secrets (HUK, IAK, entropy seed, image
 * decryption key) from the PSA RNG; setters change fields; sm_otp_seal computes the digest and
 * must come last; sm_otp_program writes a sealed area into the (open) flash, then erases the
 * security counters and writes their first record authenticated under the new HUK.
 */
#ifndef SM_OTP_H
#define SM_OTP_H

#include <stdint.h>

#include "bl_otp.h"

int sm_otp_init(struct bl_otp *otp);
/* A fresh random P-256 private key (from the PSA RNG, so in range). 0 or -1. */
int sm_p256_private(uint8_t priv[32]);
void sm_otp_set_key(struct bl_otp *otp, enum bl_kind kind, const uint8_t pub[64]);
/* Public key of a P-256 private key (for the IAK and the image decryption key). */
int sm_otp_public_of(const uint8_t priv[32], uint8_t pub[64]);
void sm_otp_seal(struct bl_otp *otp);
int sm_otp_program(const struct bl_otp *otp);

#endif /* SM_OTP_H */
