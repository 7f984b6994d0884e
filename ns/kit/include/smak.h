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
 *
 * The serial line: the NS UART (UART1) carries smak_printf's text and, for an application that
 * opens it, raw bytes both ways (a protocol's frames: ns/examples/updater). smak_serial_open
 * enables the UART's receiver; smak_serial_getc returns the next byte received (0..255) or -1
 * when none has arrived (it never waits: the application polls); smak_serial_write sends n
 * bytes exactly as given (no newline translation) and returns once the last has left the UART.
 * On the emulated board a received byte is never lost inside the board: the UART holds one
 * byte and the runner passes the next only once the application read it (tools/smrun --port);
 * a real line loses and garbles bytes, which the protocol on top must survive. On Linux the
 * serial line is the program's standard input and output.
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

void smak_serial_open(void);
int smak_serial_getc(void);
void smak_serial_write(const void *data, unsigned n);

#endif /* SMAK_H */
