/*
 * board_bench.c: instruction counts on the emulated board, run under `smrun --icount`.
 *
 * With QEMU's -icount shift=0 every guest instruction advances virtual time by 1 ns, so the
 * CMSDK timer (SYSCLK_HZ) advances one tick per fixed number of instructions. This image
 * measures that number with a loop of known length rather than assuming it, then reports
 * each figure as "BENCH <name> <value> <unit> <how>", the lines scripts/bench.sh tabulates.
 */
#include "plat_console.h"
#include "plat_system.h"

#define CAL_ITERATIONS 1000000u

/* Exactly 2 instructions per iteration (subs + bne). */
static void spin(uint32_t n)
{
    __asm volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

static uint64_t ticks_for(uint32_t iterations)
{
    uint64_t t0 = plat_timer_ticks();
    spin(iterations);
    return plat_timer_ticks() - t0;
}

int main(void)
{
    plat_console_init();
    plat_timer_init();
    /* Two lengths, so the fixed cost of reading the timer cancels out. */
    uint64_t t1 = ticks_for(CAL_ITERATIONS);
    uint64_t t2 = ticks_for(2 * CAL_ITERATIONS);
    uint64_t per_tick_milli = (2ULL * CAL_ITERATIONS * 1000u) / (t2 - t1);
    plat_printf("BENCH timer_insns_per_tick %u.%03u insn/tick "
                "calibration: spin loops of 2M and 4M instructions\n",
                (unsigned)(per_tick_milli / 1000u), (unsigned)(per_tick_milli % 1000u));
    return 0;
}
