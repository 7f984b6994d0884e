/*
 * device_fixture.h: a freshly provisioned device directory for host tests, made without PSA
 * Crypto. A host test linking the SM host library already has psa/crypto.h's functions from
 * the crypto client library (the partitions use them), so it cannot also call the host Mbed
 * TLS's (smtool's sm_otp_init does); and a test compiled with the client-mode Mbed TLS
 * configuration must not include the boot library's headers either.
 *
 * Contract: device_fixture_provision() leaves `dir` holding a fresh device: erased flash and,
 * if its_size is not 0, a valid sealed OTP area (lifecycle SECURED, the given HUK, ITS of
 * its_size bytes with assets up to its_max_asset, a fixed entropy seed, no image keys); the
 * flash is closed again. Returns 0, or -1 if any step fails.
 */
#ifndef DEVICE_FIXTURE_H
#define DEVICE_FIXTURE_H

#include <stdint.h>

int device_fixture_provision(const char *dir, const uint8_t huk[32], uint32_t its_size,
                             uint32_t its_max_asset);

#endif /* DEVICE_FIXTURE_H */
