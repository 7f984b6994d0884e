/*
 * startup.c: vector table and reset handler shared by every secure image on the AN505.
 *
 * Contract: the linker script provides __data_load/__data_start/__data_end, __bss_start/
 * __bss_end and __stack_top/__stack_limit. Reset_Handler sets the stack limit, copies .data,
 * clears .bss, points VTOR at this table and calls main(); main's return value powers off.
 * Any handler may be overridden by a strong definition in the image.
 */
#include <stdint.h>
#include <string.h>

#include "an505_exit.h"
#include "armv8m.h"
#include "plat_console.h"
#include "plat_system.h"

/* The boot stages (built with AN505_STAGE_VECTORS) never enable an interrupt: every NVIC
 * interrupt is disabled at reset and they leave it so, and each hands VTOR to the next image
 * before that one can enable any. Their table stops after the system exceptions (0.4 KB less
 * flash); an image that enables interrupts keeps all 96 (docs/design/boot-speed.md). */
#ifdef AN505_STAGE_VECTORS
#define AN505_IRQ_COUNT 0
#else
#define AN505_IRQ_COUNT 96
#endif

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __stack_top[], __stack_limit[];

int main(void);
void Reset_Handler(void);
void Default_Handler(void);

#define WEAK_ALIAS __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK_ALIAS;
void HardFault_Handler(void) WEAK_ALIAS;
void MemManage_Handler(void) WEAK_ALIAS;
void BusFault_Handler(void) WEAK_ALIAS;
void UsageFault_Handler(void) WEAK_ALIAS;
void SecureFault_Handler(void) WEAK_ALIAS;
void SVC_Handler(void) WEAK_ALIAS;
void DebugMon_Handler(void) WEAK_ALIAS;
void PendSV_Handler(void) WEAK_ALIAS;
void SysTick_Handler(void) WEAK_ALIAS;
void Irq_Handler(void) WEAK_ALIAS;

typedef void (*vector_fn)(void);

struct vector_table {
    uint32_t *initial_sp;
    vector_fn exceptions[15];
#if AN505_IRQ_COUNT > 0
    vector_fn irqs[AN505_IRQ_COUNT];
#endif
};

__attribute__((section(".vectors"), used)) const struct vector_table an505_vectors = {
    .initial_sp = __stack_top,
    .exceptions =
        {
            Reset_Handler,
            NMI_Handler,
            HardFault_Handler,
            MemManage_Handler,
            BusFault_Handler,
            UsageFault_Handler,
            SecureFault_Handler,
            0,
            0,
            0,
            SVC_Handler,
            DebugMon_Handler,
            0,
            PendSV_Handler,
            SysTick_Handler,
        },
#if AN505_IRQ_COUNT > 0
    .irqs = {[0 ... AN505_IRQ_COUNT - 1] = Irq_Handler},
#endif
};

__attribute__((noreturn)) void Reset_Handler(void)
{
    /* A stack overflow faults instead of silently corrupting .bss below the stack. */
    __asm volatile("msr msplim, %0" ::"r"(__stack_limit));
    size_t data_len = (size_t)((uintptr_t)__data_end - (uintptr_t)__data_start);
    memcpy(__data_start, __data_load, data_len);
    memset(__bss_start, 0, (size_t)((uintptr_t)__bss_end - (uintptr_t)__bss_start));
    SCB_VTOR = (uint32_t)(uintptr_t)&an505_vectors;
    arm_dsb();
    arm_isb();
    plat_power_off(main());
}

/* An unexpected exception: say which, with the fault status registers, then stop. */
void Default_Handler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    plat_printf("\nFATAL: exception %u CFSR=%08x HFSR=%08x SFSR=%08x MMFAR=%08x BFAR=%08x "
                "SFAR=%08x\n",
                (unsigned)(ipsr & 0x1FFu), (unsigned)SCB_CFSR, (unsigned)SCB_HFSR,
                (unsigned)SCB_SFSR, (unsigned)SCB_MMFAR, (unsigned)SCB_BFAR, (unsigned)SCB_SFAR);
    plat_power_off(AN505_EXIT_STATUS_FAULT);
}
