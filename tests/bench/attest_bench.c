/*
 * attest_bench.c: the attestation benchmark's floor: one ECDSA P-256 signature by the p256-m the
 * SM core signs tokens with (the core's own copy, sm_p256m_core, same build and options), made
 * directly in a secure image booted in the SM's place. scripts/bench.sh divides the cost of a
 * whole token from NS (ns_attest_bench.c) by it. Run under `smrun --icount`.
 *
 * The ECDSA nonce comes from a fixed stream here (deterministic figures; nothing here is secret;
 * p256-m's cost does not depend on the nonce's value).
 */
#include <stdint.h>
#include <string.h>

#include "p256-m.h"
#include "plat_console.h"
#include "plat_system.h"

#define CAL_ITERATIONS 1000000u
#define SIGNATURES     4u

int32_t sm_core_random(uint8_t *out, size_t n);
int32_t sm_core_random(uint8_t *out, size_t n)
{
    memset(out, 0x5A, n);
    return 0;
}

static void spin(uint32_t n)
{
    __asm volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

int main(void)
{
    static const uint8_t priv[32] = {0x3A, 0x1F, 0x77, 0x05, 0x91, 0x6C, 0x2B, 0xE4,
                                     0x0D, 0x58, 0xA3, 0x61, 0x7E, 0xC9, 0x14, 0x8F,
                                     0x22, 0xB0, 0x5D, 0x96, 0x3C, 0x47, 0xE1, 0x08,
                                     0x7A, 0xD3, 0x19, 0x6E, 0xF2, 0x40, 0x85, 0x2C};
    uint8_t hash[32], sig[64];
    plat_console_init();
    plat_timer_init();
    uint64_t t0 = plat_timer_ticks();
    spin(CAL_ITERATIONS);
    uint64_t t1 = plat_timer_ticks();
    spin(2 * CAL_ITERATIONS);
    uint64_t t2 = plat_timer_ticks();
    const uint64_t per_tick_milli = (2ULL * CAL_ITERATIONS * 1000u) / ((t2 - t1) - (t1 - t0));
    memset(hash, 0x42, sizeof(hash));
    t0 = plat_timer_ticks();
    for (uint32_t i = 0; i < SIGNATURES; i++) {
        hash[0] = (uint8_t)i;
        if (p256_ecdsa_sign(sig, priv, hash, sizeof(hash)) != P256_SUCCESS) {
            plat_puts("attest_bench: p256_ecdsa_sign failed\n");
            plat_power_off(1);
        }
    }
    const uint64_t milli = (plat_timer_ticks() - t0) * per_tick_milli / SIGNATURES;
    plat_printf("BENCH attest_ecdsa_sign_direct %u.%03u insn one ECDSA P-256 signature by the "
                "core's p256-m, called directly\n",
                (unsigned)(milli / 1000u), (unsigned)(milli % 1000u));
    plat_power_off(0);
    return 0;
}
