/*
 * system.c: plat_system.h on the AN505: reset through AIRCR, power off through the runner's
 * mailbox (an505_emu.h), and a 64-bit monotonic clock from the free-running CMSDK TIMER1.
 */
#include "plat_system.h"

#include "an505_emu.h"
#include "an505_exit.h"
#include "armv8m.h"
#include "memory_map.h"
#include "plat_entropy.h"

#define TIMER_CTRL    REG32(TIMER1_BASE_S + 0x00u)
#define TIMER_VALUE   REG32(TIMER1_BASE_S + 0x04u)
#define TIMER_RELOAD  REG32(TIMER1_BASE_S + 0x08u)
#define TIMER_CTRL_EN 0x1u

void plat_reset(void)
{
    arm_dsb();
    SCB_AIRCR = AIRCR_VECTKEY | (SCB_AIRCR & 0x700u) | AIRCR_SYSRESETREQ;
    arm_dsb();
    for (;;) {
    }
}

void plat_power_off(int status)
{
    if (status < 0 || status > AN505_EXIT_STATUS_MAX) {
        status = AN505_EXIT_STATUS_MAX;
    }
    /* The status first, the magic after it, then the reset request: the runner reads the
     * mailbox once the board has stopped at that request. */
    volatile uint32_t *box = (volatile uint32_t *)(uintptr_t)EMU_BOX_S_BASE;
    box[AN505_EMU_BOX_STATUS / 4] = (uint32_t)status;
    box[AN505_EMU_BOX_OFF / 4] = AN505_EMU_OFF_MAGIC;
    plat_reset();
}

/* The down-counter wraps every 2^32 ticks (about 3.5 minutes at 20 MHz); the 64-bit value is
 * kept by noticing wraps, so it stays right as long as it is read at least that often. */
static uint64_t timer_high;
static uint32_t timer_last;

void plat_timer_init(void)
{
    TIMER_CTRL = 0;
    TIMER_RELOAD = 0xFFFFFFFFu;
    TIMER_VALUE = 0xFFFFFFFFu;
    TIMER_CTRL = TIMER_CTRL_EN;
    timer_high = 0;
    timer_last = 0;
}

uint64_t plat_timer_ticks(void)
{
    uint32_t elapsed = 0xFFFFFFFFu - TIMER_VALUE;
    if (elapsed < timer_last) {
        timer_high += 1ULL << 32;
    }
    timer_last = elapsed;
    return timer_high | elapsed;
}

uint32_t plat_timer_hz(void)
{
    return SYSCLK_HZ;
}

int plat_entropy(uint8_t *buf, size_t len)
{
    (void)buf;
    (void)len;
    return PLAT_ENTROPY_NONE; /* no TRNG on the AN505: see plat_entropy.h */
}
