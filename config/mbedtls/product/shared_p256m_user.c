/*
 * shared_p256m_user.c (product profile, board): the boot core's side of the SM image's one
 * shared p256-m (cmake/mbedtls.cmake, sm_p256m). The core's update service checks a download's
 * signature with the boot core (bl_boot_verify_slot, in handler mode on the core's stack), which
 * calls bl_p256_verify. The boot stages' fast verify (boot/common/bl_p256.c) needs a 1,080-byte
 * frame (its digit arrays and point table) and its own copy of p256-m's arithmetic; here it is
 * p256-m's own verify, in the shared copy: the same answers (bl_p256.h: exactly what
 * p256_ecdsa_verify(sig, pub, hash, 32) returns), constant time, slower (docs/design/footprint.md).
 */
#include "bl_p256.h"

#define SM_STR2(x) #x
#define SM_STR(x)  SM_STR2(x)
_Static_assert(sizeof(SM_STR(p256_ecdsa_verify)) == sizeof("sm_p256m_p256_ecdsa_verify"),
               "the boot core calls the shared p256-m by its prefixed names");

int bl_p256_verify(const uint8_t sig[64], const uint8_t pub[64], const uint8_t hash[32])
{
    return p256_ecdsa_verify(sig, pub, hash, 32);
}
