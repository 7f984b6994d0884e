/*
 * shared_layout.c (product profile): compiled into the shared primitives and into each of their
 * users (the core's and the ITS partition's Mbed TLS, the crypto service's), each with its own
 * configuration (cmake/mbedtls.cmake). One copy of the primitives' code serves all of them, so
 * every one must compile the primitives' contexts exactly as that copy does: a user whose
 * configuration changed a context's layout would hand the shared code a structure it reads
 * differently. Any difference stops the build here. The sizes are those of Mbed TLS 3.6 on a
 * 32-bit Arm target with primitives.h; if an Mbed TLS update changes one, check that every
 * configuration agrees again and update the figure.
 */
#include "mbedtls/build_info.h"

#include "mbedtls/aes.h"
#include "mbedtls/block_cipher.h"
#include "mbedtls/ccm.h"
#include "mbedtls/gcm.h"
#include "mbedtls/sha256.h"

#if !defined(SM_MBEDTLS_PRODUCT_PRIMITIVES_H)
#error "every user of the shared primitives includes primitives.h"
#endif
/* Options that change the shared code's data or the contexts' layout, set by no user. */
#if !defined(MBEDTLS_HAVE_ASM) || !defined(MBEDTLS_AES_ROM_TABLES) ||                              \
    !defined(MBEDTLS_BLOCK_CIPHER_C) || defined(MBEDTLS_GCM_LARGE_TABLE) ||                        \
    defined(MBEDTLS_AES_ALT) || defined(MBEDTLS_GCM_ALT) || defined(MBEDTLS_CCM_ALT) ||            \
    defined(MBEDTLS_SHA256_ALT) || defined(MBEDTLS_BLOCK_CIPHER_SOME_PSA) ||                       \
    defined(MBEDTLS_THREADING_C)
#error "a configuration sharing the primitives changes what they keep (primitives.h)"
#endif

#define SM_LAYOUT(type, size)                                                                      \
    _Static_assert(sizeof(type) == (size), "layout of " #type " differs from the shared copy's")
SM_LAYOUT(mbedtls_aes_context, 280);
SM_LAYOUT(mbedtls_sha256_context, 108);
SM_LAYOUT(mbedtls_block_cipher_context_t, 284);
SM_LAYOUT(mbedtls_gcm_context, 616);
SM_LAYOUT(mbedtls_ccm_context, 344);
#if defined(SM_LAYOUT_MD)
/* The users of the shared md.c and hkdf.c (the core's and ITS's Mbed TLS, sm_config.h) and the
 * shared copy itself: their MD context, and nothing that would give md.c data or hand it to PSA. */
#include "mbedtls/md.h"
#if !defined(MBEDTLS_MD_C) || !defined(MBEDTLS_HKDF_C) || defined(MBEDTLS_MD_SOME_PSA) ||          \
    !defined(MBEDTLS_PLATFORM_MEMORY) || !defined(MBEDTLS_PLATFORM_CALLOC_MACRO) ||                \
    defined(MBEDTLS_SHA512_C) || defined(MBEDTLS_SHA1_C) || defined(MBEDTLS_MD5_C)
#error "a user of the shared md.c configures it differently (shared_config.h, sm_config.h)"
#endif
SM_LAYOUT(mbedtls_md_context_t, 12);
#endif

/* Something to compile (ISO C wants a declaration): the user's name, for the map file. */
#define SM_LAYOUT_NAME2(u) sm_mbedtls_layout_##u
#define SM_LAYOUT_NAME(u)  SM_LAYOUT_NAME2(u)
extern const char SM_LAYOUT_NAME(SM_LAYOUT_USER);
