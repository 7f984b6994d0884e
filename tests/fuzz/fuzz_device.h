/*
 * fuzz_device.h: a provisioned device in the host's RAM flash, for harnesses that run the SM
 * (built apart, with the boot library's Mbed TLS configuration, so that such a harness, which
 * sees psa/crypto.h in client mode, includes none of its headers; see tests/unit's
 * device_fixture.h for the same reason).
 *
 * Contract: fuzz_device_ram() opens an erased RAM flash and programs a sealed OTP area: fixed
 * HUK and entropy seed, lifecycle SECURED, ITS of its_size bytes with assets up to
 * its_max_asset. Returns 0, or -1 if any step fails.
 */
#ifndef FUZZ_DEVICE_H
#define FUZZ_DEVICE_H

#include <stdint.h>

int fuzz_device_ram(uint32_t its_size, uint32_t its_max_asset);
/* The same, with a signing key for the uRoT, the SM, the NS image and module 0 (in use), so
 * that those firmware update components exist (fuzz_fwu.c; no image verifies under them). */
int fuzz_device_ram_keys(void);

#endif /* FUZZ_DEVICE_H */
