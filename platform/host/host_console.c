/*
 * host_console.c: plat_console.h on stdout.
 */
#include <stdio.h>

#include "plat_console.h"

void plat_console_init(void) {}

void plat_putc(char c)
{
    fputc(c, stdout);
}

void plat_puts(const char *s)
{
    fputs(s, stdout);
}

void plat_vprintf(const char *fmt, va_list ap)
{
    vprintf(fmt, ap);
}

void plat_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}
