/*
 * smak_psa.c: the PSA client API (psa/client.h) for non-secure applications: each call goes to
 * the SM through its secure gateway veneer (sm/sm_abi.h; the addresses come from the SM's
 * import library, sm_veneers.o). psa_call packs its type and vector counts into one word.
 */
#include "psa/client.h"
#include "sm/sm_abi.h"

uint32_t psa_framework_version(void)
{
    return sm_ns_framework_version();
}

uint32_t psa_version(uint32_t sid)
{
    return sm_ns_version(sid);
}

psa_handle_t psa_connect(uint32_t sid, uint32_t version)
{
    return sm_ns_connect(sid, version);
}

psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len)
{
    return sm_ns_call(handle, sm_call_pack(type, in_len, out_len), in_vec, out_vec);
}

void psa_close(psa_handle_t handle)
{
    (void)sm_ns_close(handle);
}
