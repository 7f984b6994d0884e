/*
 * sm_ns_entry.c: the functions the non-secure world may call, each a secure gateway entry
 * (cmse_nonsecure_entry: the compiler clears registers and returns with BXNS; the linker puts
 * an SG veneer for each in the non-secure-callable region and writes sm_veneers.o, the import
 * library NS applications link with).
 *
 * Contract: nothing here trusts an argument from the NS world; functions taking NS pointers
 * check them with the TT instructions (cmse_check_address_range) before use.
 */
#include <arm_cmse.h>
#include <stdint.h>

#include "psa/client.h"

__attribute__((cmse_nonsecure_entry)) uint32_t psa_framework_version(void)
{
    return PSA_FRAMEWORK_VERSION;
}

__attribute__((cmse_nonsecure_entry)) uint32_t psa_version(uint32_t sid)
{
    (void)sid; /* no RoT Service is offered yet */
    return PSA_VERSION_NONE;
}
