/*
 * armv8m.h: the Armv8-M system registers this project touches, by address.
 *
 * Written from the Armv8-M Architecture Reference Manual; kept to what is used so that each
 * register here has a reader. Secure code sees the secure banked copies at these addresses.
 */
#ifndef ARMV8M_H
#define ARMV8M_H

#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

#define SCB_ICSR  REG32(0xE000ED04u)
#define SCB_VTOR  REG32(0xE000ED08u)
#define SCB_AIRCR REG32(0xE000ED0Cu)
#define SCB_SHCSR REG32(0xE000ED24u)
#define SCB_CFSR  REG32(0xE000ED28u)
#define SCB_HFSR  REG32(0xE000ED2Cu)
#define SCB_MMFAR REG32(0xE000ED34u)
#define SCB_BFAR  REG32(0xE000ED38u)
#define SCB_SFSR  REG32(0xE000EDE4u)
#define SCB_SFAR  REG32(0xE000EDE8u)

#define AIRCR_VECTKEY     (0x05FAu << 16)
#define AIRCR_SYSRESETREQ (1u << 2)

static inline void arm_dsb(void)
{
    __asm volatile("dsb 0xF" ::: "memory");
}

static inline void arm_isb(void)
{
    __asm volatile("isb 0xF" ::: "memory");
}

#endif /* ARMV8M_H */
