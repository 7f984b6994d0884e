/*
 * ns_bench.c: instruction counts of calls from the non-secure world into the SM, run as the
 * NS application under `smrun --icount` (scripts/bench.sh).
 *
 * It reads TIMER0 (given to the NS world by the SM) and measures, like board_bench.c, the
 * instructions per timer tick with a loop of known length first. Each figure is the cost of
 * one call, the cost of the same loop without the call subtracted.
 */
#include <stdint.h>

#include "psa/client.h"
#include "smak.h"

#define TIMER0_NS  0x40000000u
#define TIMER(off) (*(volatile uint32_t *)(uintptr_t)(TIMER0_NS + (off)))
#define CALLS      20000u

static uint32_t now(void)
{
    return 0xFFFFFFFFu - TIMER(0x04); /* VALUE counts down */
}

static void spin(uint32_t n)
{
    __asm volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

__attribute__((noinline)) static uint32_t loop_empty(uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

__attribute__((noinline)) static uint32_t loop_framework_version(uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        acc += psa_framework_version();
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

__attribute__((noinline)) static uint32_t loop_version(uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        acc += psa_version(0x1234u);
        __asm volatile("" : "+r"(acc));
    }
    return acc;
}

static uint32_t ticks(uint32_t (*loop)(uint32_t), uint32_t n)
{
    uint32_t t0 = now();
    (void)loop(n);
    return now() - t0;
}

/* Prints instructions per call, to a thousandth, from tick counts and the calibration. */
static void report(const char *name, uint32_t with, uint32_t without, uint32_t milli_per_tick,
                   const char *how)
{
    uint64_t milli = (uint64_t)(with - without) * milli_per_tick / CALLS;
    smak_printf("BENCH %s %u.%03u insn %s\n", name, (unsigned)(milli / 1000u),
                (unsigned)(milli % 1000u), how);
}

int main(void)
{
    TIMER(0x00) = 0;
    TIMER(0x08) = 0xFFFFFFFFu;
    TIMER(0x04) = 0xFFFFFFFFu;
    TIMER(0x00) = 1;
    uint32_t t1 = now();
    spin(1000000u);
    uint32_t t2 = now();
    spin(2000000u);
    uint32_t t3 = now();
    uint32_t milli_per_tick = (uint32_t)(2000000ull * 1000u / ((t3 - t2) - (t2 - t1)));
    uint32_t empty = ticks(loop_empty, CALLS);
    report("ns_psa_framework_version", ticks(loop_framework_version, CALLS), empty, milli_per_tick,
           "per call from NS, loop overhead subtracted");
    report("ns_psa_version", ticks(loop_version, CALLS), empty, milli_per_tick,
           "per call from NS (unknown SID), loop overhead subtracted");
    return 0;
}
