/*
 * ns_attest_bench.c: instruction counts of the attestation API from the non-secure world, run as
 * the NS application of the product SM image (services ITS, Crypto, Attestation) under
 * `smrun --icount` (scripts/bench.sh), with the token's size. Timing as ns_bench.c: TIMER0,
 * calibrated with a loop of known length.
 */
#include <stdint.h>

#include "psa/initial_attestation.h"
#include "smak.h"

#define TIMER0_NS  0x40000000u
#define TIMER(off) (*(volatile uint32_t *)(uintptr_t)(TIMER0_NS + (off)))
#define TOKENS     4u
#define SIZES      200u

static uint32_t now(void)
{
    return 0xFFFFFFFFu - TIMER(0x04); /* VALUE counts down */
}

static void spin(uint32_t n)
{
    __asm volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

static void report(const char *name, uint32_t ticks, uint32_t milli_per_tick, uint32_t n,
                   const char *how)
{
    const uint64_t milli = (uint64_t)ticks * milli_per_tick / n;
    smak_printf("BENCH %s %u.%03u insn %s\n", name, (unsigned)(milli / 1000u),
                (unsigned)(milli % 1000u), how);
}

int main(void)
{
    static uint8_t token[PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE];
    uint8_t challenge[PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32];
    size_t len = 0, size = 0;
    TIMER(0x00) = 0;
    TIMER(0x08) = 0xFFFFFFFFu;
    TIMER(0x04) = 0xFFFFFFFFu;
    TIMER(0x00) = 1;
    uint32_t t1 = now();
    spin(1000000u);
    uint32_t t2 = now();
    spin(2000000u);
    uint32_t t3 = now();
    const uint32_t milli_per_tick = (uint32_t)(2000000ull * 1000u / ((t3 - t2) - (t2 - t1)));
    psa_status_t status = PSA_SUCCESS;
    uint32_t t0 = now();
    for (uint32_t i = 0; i < TOKENS; i++) {
        for (uint32_t j = 0; j < sizeof(challenge); j++) {
            challenge[j] = (uint8_t)(i + j);
        }
        status |=
            psa_initial_attest_get_token(challenge, sizeof(challenge), token, sizeof(token), &len);
    }
    const uint32_t tokens = now() - t0;
    t0 = now();
    for (uint32_t i = 0; i < SIZES; i++) {
        status |= psa_initial_attest_get_token_size(sizeof(challenge), &size);
    }
    const uint32_t sizes = now() - t0;
    if (status != PSA_SUCCESS || size != len) {
        smak_printf("ns_attest_bench: failed (%d, size %u, token %u)\n", (int)status,
                    (unsigned)size, (unsigned)len);
        return 1;
    }
    report("attest_token_ns", tokens, milli_per_tick, TOKENS,
           "psa_initial_attest_get_token from NS, 32-byte challenge, product SM image");
    report("attest_token_size_ns", sizes, milli_per_tick, SIZES,
           "psa_initial_attest_get_token_size from NS");
    smak_printf("BENCH attest_token_bytes %u bytes RFC 9783 token, 32-byte challenge, uRoT SM NS "
                "components, no optional claims\n",
                (unsigned)len);
    return 0;
}
