/*
 * shared_md_alloc.c (product profile, board): the memory of the SM image's one shared md.c and
 * hkdf.c (cmake/mbedtls.cmake), which the core (HUK derivations, record MACs, the boot core's
 * checks for the update service) and the ITS partition (its keys and MACs) both run. md.c takes
 * two small blocks per use (a hash context, HMAC's pads) through mbedtls_calloc, which the shared
 * configuration names sm_md_calloc; the shared code has no data to say whose call it is, so it
 * asks the processor, as the shared p256-m's randomness does (shared_p256m_random.c): the core
 * runs privileged (a handler, or deferred work in privileged Thread mode), every partition
 * unprivileged (isolation level 3). The core's blocks come from its own pool (bl_pool_calloc,
 * boot/common/bl_pool.c in its Mbed TLS); a partition's from the ITS partition's pool
 * (its_md_calloc, services/its/its_md_alloc.c), which only the ITS partition may execute: any
 * other partition calling in faults on its MPU regions, as it would calling any of ITS's code
 * (the crypto partition has its own md.c). Each pool zeroizes a block when it is released and
 * fails closed (NULL) when it has none; so does a partition's call in an image without ITS.
 */
#include <stddef.h>
#include <stdint.h>

#include "mbedtls/platform_util.h"

void *sm_md_calloc(size_t n, size_t size);
void sm_md_free(void *p);
void sm_shared_zeroize_and_free(void *buf, size_t len);

void *bl_pool_calloc(size_t n, size_t size);
void bl_pool_free(void *p);
void *its_md_calloc(size_t n, size_t size) __attribute__((weak));
void its_md_free(void *p) __attribute__((weak));

static int privileged(void)
{
    uint32_t control, ipsr;
    __asm volatile("mrs %0, control" : "=r"(control));
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    return ipsr != 0u || (control & 1u) == 0u;
}

void *sm_md_calloc(size_t n, size_t size)
{
    if (privileged()) {
        return bl_pool_calloc(n, size);
    }
    return its_md_calloc != NULL ? its_md_calloc(n, size) : NULL;
}

void sm_md_free(void *p)
{
    if (p == NULL) {
        return;
    }
    if (privileged()) {
        bl_pool_free(p);
    } else if (its_md_free != NULL) {
        its_md_free(p);
    }
}

/* platform_util.c's mbedtls_zeroize_and_free (md.c frees HMAC's pads with it), which each user
 * links with its own allocator: the shared md.c calls this one (renamed, cmake/mbedtls.cmake). */
void sm_shared_zeroize_and_free(void *buf, size_t len)
{
    if (buf != NULL) {
        mbedtls_platform_zeroize(buf, len);
    }
    sm_md_free(buf);
}
