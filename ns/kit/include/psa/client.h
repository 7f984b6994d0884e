/*
 * psa/client.h: the PSA Firmware Framework for M (FF-M 1.1) client API, as a non-secure
 * application sees it. Written from the FF-M specification.
 *
 * Contract: psa_framework_version() returns the FF-M version the SM implements
 * (PSA_FRAMEWORK_VERSION, major in bits 15..8, minor in bits 7..0). psa_version(sid) returns
 * the version of the RoT Service `sid` if the caller may use it, else PSA_VERSION_NONE.
 * Each call crosses into the secure world through a secure gateway veneer in the SM image
 * (linked from the SM's import library, sm_veneers.o).
 */
#ifndef PSA_CLIENT_H
#define PSA_CLIENT_H

#include <stdint.h>

#define PSA_FRAMEWORK_VERSION 0x0101u
#define PSA_VERSION_NONE      0u

uint32_t psa_framework_version(void);
uint32_t psa_version(uint32_t sid);

#endif /* PSA_CLIENT_H */
