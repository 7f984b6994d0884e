/*
 * shared_p256m_user.c (product profile, board): the boot core's side of the SM image's one
 * shared p256-m (cmake/mbedtls.cmake, sm_p256m). The boot core, linked into the core for the
 * update service, calls p256-m by the names the shared copy defines (SM_P256M_RENAMES) and the
 * fast verify (bl_p256.h) by its own; this checks at compile time that those are the names its
 * build sees. No code: the library links nothing into the image.
 */
#include "bl_p256.h"

#define SM_STR2(x) #x
#define SM_STR(x)  SM_STR2(x)
_Static_assert(sizeof(SM_STR(p256_ecdh_shared_secret)) ==
                   sizeof("sm_p256m_p256_ecdh_shared_secret"),
               "the boot core calls the shared p256-m by its prefixed names");
