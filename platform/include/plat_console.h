/*
 * plat_console.h: the text console (UART0 on the board, stdout on the host).
 *
 * Contract: plat_console_init() before the first output; output is unbuffered and blocking.
 * plat_printf understands %c %s %d %i %u %x %X %p %% with optional '0' flag, width and the
 * 'l', 'll' and 'z' length modifiers; it never allocates.
 */
#ifndef PLAT_CONSOLE_H
#define PLAT_CONSOLE_H

#include <stdarg.h>

void plat_console_init(void);
void plat_putc(char c);
void plat_puts(const char *s); /* no newline added */
void plat_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void plat_vprintf(const char *fmt, va_list ap);

#endif /* PLAT_CONSOLE_H */
