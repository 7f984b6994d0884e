/*
 * smak.h: the Secure Manager application kit (SMAK) for non-secure applications.
 *
 * Contract: an NS application provides main(); the kit's startup (smak_startup.c) prepares
 * memory and calls it, and powers off with main's return value. smak_printf writes to the
 * NS console (UART1); on the emulated board UART0 (secure) and UART1 share the terminal.
 * smak_power_off ends the run on the emulated board (the runner exits with `status`).
 * Exception handlers have CMSIS names (SVC_Handler, SysTick_Handler, ...; every external
 * interrupt goes to smak_irq_handler); the kit's defaults report the exception and power off,
 * and an application replaces one by defining it.
 */
#ifndef SMAK_H
#define SMAK_H

#include <stdint.h>

void smak_console_init(void);
/* Boots since the device was provisioned, this one included (from the SM at NS entry). */
uint32_t smak_boot_count(void);
void smak_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void smak_power_off(int status);
__attribute__((noreturn)) void smak_reset(void);

#endif /* SMAK_H */
