/*
 * plat_system.h: power and time.
 *
 * Contract:
 * - plat_reset() requests a system reset. On the emulated board the runner turns it into a
 *   power cycle: RAM is lost, flash is kept.
 * - plat_power_off(status) ends the run; the runner exits with `status` (0 = success).
 *   status must be 0..63.
 * - plat_timer_ticks() is monotonic from plat_timer_init(), at plat_timer_hz() ticks a second.
 *   Under QEMU with -icount shift=0 one tick is a fixed number of guest instructions
 *   (PLAT_TIMER_INSNS_PER_TICK), so it counts instructions deterministically.
 */
#ifndef PLAT_SYSTEM_H
#define PLAT_SYSTEM_H

#include <stdint.h>

__attribute__((noreturn)) void plat_reset(void);
__attribute__((noreturn)) void plat_power_off(int status);

void plat_timer_init(void);
uint64_t plat_timer_ticks(void);
uint32_t plat_timer_hz(void);

#endif /* PLAT_SYSTEM_H */
