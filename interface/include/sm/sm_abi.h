/*
 * sm/sm_abi.h: how the client API crosses into the SM core, shared by the SM, the partition
 * API library and the SMAK. Not for applications: they use psa/client.h.
 *
 * psa_call's six arguments do not fit the four registers a secure gateway veneer (or a
 * supervisor call) takes, so the client library packs type and vector counts in one word:
 * type in bits 15..0 (must be in [0, INT16_MAX]), in_len in 23..16, out_len in 31..24.
 * A type or count that cannot be packed becomes SM_CALL_BAD_TYPE, which the core refuses as a
 * programmer error.
 */
#ifndef SM_ABI_H
#define SM_ABI_H

#include <stdint.h>

#include "psa/client.h"

#define SM_CALL_BAD_TYPE 0xFFFFFFFFu

static inline uint32_t sm_call_pack(int32_t type, size_t in_len, size_t out_len)
{
    if (type < 0 || type > INT16_MAX || in_len > 0xFFu || out_len > 0xFFu) {
        return SM_CALL_BAD_TYPE;
    }
    return (uint32_t)type | ((uint32_t)in_len << 16) | ((uint32_t)out_len << 24);
}

/* The SM's non-secure entry points (secure gateway veneers) behind psa/client.h. */
uint32_t sm_ns_framework_version(void);
uint32_t sm_ns_version(uint32_t sid);
psa_handle_t sm_ns_connect(uint32_t sid, uint32_t version);
psa_status_t sm_ns_call(psa_handle_t handle, uint32_t packed, const psa_invec *in_vec,
                        psa_outvec *out_vec);
psa_status_t sm_ns_close(psa_handle_t handle);

#endif /* SM_ABI_H */
