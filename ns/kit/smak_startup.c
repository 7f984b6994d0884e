/*
 * smak_startup.c: vector table and reset handler of a non-secure application.
 *
 * The SM starts the NS world at the reset handler below with MSP_NS from the table's first
 * word; .data and .bss are the application's own business, done here.
 */
#include <stdint.h>
#include <string.h>

#include "smak.h"

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __stack_top[], __stack_limit[];

int main(void);
void Reset_Handler(void);
void smak_default_handler(void);

typedef void (*vector_fn)(void);

/* An application overrides a handler by defining it (CMSIS names). */
#define WEAK_DEFAULT __attribute__((weak, alias("smak_default_handler")))
void NMI_Handler(void) WEAK_DEFAULT;
void HardFault_Handler(void) WEAK_DEFAULT;
void MemManage_Handler(void) WEAK_DEFAULT;
void BusFault_Handler(void) WEAK_DEFAULT;
void UsageFault_Handler(void) WEAK_DEFAULT;
void SVC_Handler(void) WEAK_DEFAULT;
void DebugMon_Handler(void) WEAK_DEFAULT;
void PendSV_Handler(void) WEAK_DEFAULT;
void SysTick_Handler(void) WEAK_DEFAULT;
void smak_irq_handler(void) WEAK_DEFAULT; /* every external interrupt (IPSR tells which) */

__attribute__((section(".vectors"), used)) const struct {
    uint32_t *sp;
    vector_fn handlers[15 + 96];
} smak_vectors = {
    .sp = __stack_top,
    .handlers = {Reset_Handler, NMI_Handler, HardFault_Handler, MemManage_Handler, BusFault_Handler,
                 UsageFault_Handler, 0, 0, 0, 0, SVC_Handler, DebugMon_Handler, 0, PendSV_Handler,
                 SysTick_Handler, [15 ... 15 + 96 - 1] = smak_irq_handler},
};

static uint32_t boot_count;

uint32_t smak_boot_count(void)
{
    return boot_count;
}

/* The SM enters with the boot count in r0; keep it across .data/.bss set-up. */
__attribute__((naked, noreturn)) void Reset_Handler(void)
{
    __asm volatile("mov r4, r0\n\t"
                   "bl smak_init_memory\n\t"
                   "mov r0, r4\n\t"
                   "b smak_start");
}

void smak_init_memory(void);
__attribute__((noreturn)) void smak_start(uint32_t boots);

void smak_init_memory(void)
{
    __asm volatile("msr msplim, %0" ::"r"(__stack_limit));
    memcpy(__data_start, __data_load, (size_t)((uintptr_t)__data_end - (uintptr_t)__data_start));
    memset(__bss_start, 0, (size_t)((uintptr_t)__bss_end - (uintptr_t)__bss_start));
}

void smak_start(uint32_t boots)
{
    boot_count = boots;
    smak_console_init();
    smak_power_off(main());
}

void smak_default_handler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    smak_printf("NS: unexpected exception %u\n", (unsigned)(ipsr & 0x1FFu));
    smak_power_off(63);
}
