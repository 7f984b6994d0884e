/*
 * plat_entropy.h: the platform's true random source, if it has one.
 *
 * plat_entropy() fills buf with len bytes and returns PLAT_ENTROPY_OK, PLAT_ENTROPY_NONE when the
 * platform has no such source, or PLAT_ENTROPY_FAILED when it has one and it failed (the SM
 * then fails closed). The host uses the operating system's. The emulated AN505 has none: the SM
 * then derives its randomness from the per-device seed provisioned in the OTP area and the boot
 * counter (core/sm_device.c), a documented limitation of the emulated board.
 */
#ifndef PLAT_ENTROPY_H
#define PLAT_ENTROPY_H

#include <stddef.h>
#include <stdint.h>

#define PLAT_ENTROPY_OK     0
#define PLAT_ENTROPY_NONE   (-1)
#define PLAT_ENTROPY_FAILED (-2)

int plat_entropy(uint8_t *buf, size_t len);

#endif /* PLAT_ENTROPY_H */
