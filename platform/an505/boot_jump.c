/*
 * boot_jump.c: plat_boot.h on the AN505.
 */
#include "plat_boot.h"

#include "armv8m.h"
#include "flash_map.h"

uint32_t plat_flash_address(uint32_t offset)
{
    return FLASH_BASE_S + offset;
}

void plat_boot_jump(uint32_t vector_table)
{
    const volatile uint32_t *vt = (const volatile uint32_t *)(uintptr_t)vector_table;
    uint32_t sp = vt[0], entry = vt[1];
    __asm volatile("cpsid i" ::: "memory");
    SCB_VTOR = vector_table;
    arm_dsb();
    arm_isb();
    /* The next image's stack may lie below this one's limit: clear the limit first. */
    __asm volatile("msr msplim, %0\n\t"
                   "msr msp, %1\n\t"
                   "isb\n\t"
                   "cpsie i\n\t"
                   "bx %2" ::"r"(0u),
                   "r"(sp), "r"(entry)
                   : "memory");
    __builtin_unreachable();
}
