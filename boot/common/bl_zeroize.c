/*
 * bl_zeroize.c: mbedtls_platform_zeroize for the boot stages (MBEDTLS_PLATFORM_ZEROIZE_ALT in
 * config/mbedtls/boot_stage_config.h).
 *
 * Mbed TLS's SHA-256 wipes its 288-byte working state after every 64-byte block, which made
 * Mbed TLS's own zeroize (a call to the C library's memset through a volatile pointer) 6% of
 * the time spent hashing at boot. Here: whole words, eight at a time, then an empty asm that
 * takes the buffer and clobbers memory, so that the compiler must assume the zeros are read
 * and cannot drop the stores (the same guarantee as Mbed TLS's version).
 *
 * The provisioning stage (BL_ZEROIZE_SMALL) hashes with the iRoT's SHA-256 (bl_rom.h) and
 * wipes only its own buffers, a few times per request: a byte loop, 80 bytes smaller, which its
 * 12 KiB region needs. The iRoT (BL_ZEROIZE_WORDS) keeps the words but not the unrolled loop:
 * 48 bytes for about 0.26 M instructions of boot (its SHA-256 serves the HMAC of every counter
 * record the uRoT reads through the table too), where the byte loop would cost 0.7 M
 * (docs/design/boot-speed.md, "Session 13").
 */
#include <stddef.h>
#include <stdint.h>

#include "mbedtls/platform_util.h"

typedef uint32_t __attribute__((may_alias)) bl_word;

/* Not turned back into a memset call by the compiler. */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) void
mbedtls_platform_zeroize(void *buf, size_t len)
{
    volatile uint8_t *p = buf;
#ifdef BL_ZEROIZE_SMALL
    while (len-- > 0) {
        *p++ = 0;
    }
#else
    while (len > 0 && ((uintptr_t)p & 3u) != 0) {
        *p++ = 0;
        len--;
    }
    bl_word *w = (bl_word *)(uintptr_t)p;
#ifndef BL_ZEROIZE_WORDS
    for (; len >= 32u; len -= 32u, w += 8) {
        w[0] = 0;
        w[1] = 0;
        w[2] = 0;
        w[3] = 0;
        w[4] = 0;
        w[5] = 0;
        w[6] = 0;
        w[7] = 0;
    }
#endif
    for (; len >= 4u; len -= 4u) {
        *w++ = 0;
    }
    p = (volatile uint8_t *)(uintptr_t)w;
    while (len-- > 0) {
        *p++ = 0;
    }
#endif
    __asm volatile("" : : "r"(buf) : "memory");
}
