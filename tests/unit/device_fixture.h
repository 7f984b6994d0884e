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
 * device_fixture_provision_ns_key() does the same with an ITS of 64 KiB (assets up to 4 KiB)
 * and ns_pub (x then y) as the NS image signing key: the OEM's key of a device provisioned
 * offline, which authorises its lifecycle requests (sm/sm_lifecycle.h).
 * device_fixture_boot() runs one boot of it (below).
 */
#ifndef DEVICE_FIXTURE_H
#define DEVICE_FIXTURE_H

#include <stdint.h>

int device_fixture_provision(const char *dir, const uint8_t huk[32], uint32_t its_size,
                             uint32_t its_max_asset);
int device_fixture_provision_ns_key(const char *dir, const uint8_t huk[32],
                                    const uint8_t ns_pub[64]);

/* One boot of the device in `dir`: a child process opens it, starts the SM and runs `run`, so
 * that a later boot sees what this one left. Returns 0 if `run` returned 0, else -1. */
int device_fixture_boot(const char *dir, int (*run)(void));

#endif /* DEVICE_FIXTURE_H */
