/*
 * prov_line_replay.c: prov_line_getc for the install benchmark's provisioning stage
 * (prov_replay, boot/prov/CMakeLists.txt; scripts/bench.sh). The real stage waits on UART1 for
 * the programmer, and the instructions it spins while the host is slow are no work of the
 * device's. This one takes the bytes a real session sent (`smtool install --record`, then
 * `smtool lifecycle --record`), loaded by the runner into the secure alias of SSRAM3
 * (REPLAY_BASE: the NS application's RAM, unused while the stage runs) as a 32-bit length and
 * the bytes; every other function of the stage is the real one, its replies still go out on
 * UART1. When the bytes are used up it leaves the timer's ticks since the iRoT started it in
 * the runner's mailbox (smrun prints `smrun: bench word N`) and powers off: the time from
 * power-on of a blank chip to the end of the session, with no wait on the line in it.
 */
#include "an505_emu.h"
#include "armv8m.h"
#include "memory_map.h"
#include "plat_system.h"
#include "prov_line.h"

#define REPLAY_BASE (RAM_NS_BASE + 0x10000000u) /* bit 28: the secure alias */
#define REPLAY_MAX  (RAM_NS_SIZE - 4u)

static uint32_t replay_at;

static __attribute__((noreturn)) void replay_done(void)
{
    /* TIMER1 counts down from 0xFFFFFFFF since plat_timer_init, the iRoT's first step
     * (irot.c, platform/an505/system.c): read here, it has not wrapped yet. The stage has no
     * room for a printf: the runner prints the mailbox word (an505_emu.h). */
    REG32(EMU_BOX_S_BASE + AN505_EMU_BOX_BENCH) = 0xFFFFFFFFu - REG32(TIMER1_BASE_S + 0x04u);
    plat_power_off(0);
}

uint8_t prov_line_getc(void)
{
    const uint32_t len = REG32(REPLAY_BASE);
    if (len > REPLAY_MAX || replay_at >= len) {
        replay_done();
    }
    return *(const volatile uint8_t *)(REPLAY_BASE + 4u + replay_at++);
}
