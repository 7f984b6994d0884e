/*
 * console_uart.c: plat_console.h on the CMSDK UART0 (secure alias).
 */
#include "plat_console.h"

#include "armv8m.h"
#include "fmt.h"
#include "memory_map.h"

#define UART_DATA    REG32(UART0_BASE_S + 0x00u)
#define UART_STATE   REG32(UART0_BASE_S + 0x04u)
#define UART_CTRL    REG32(UART0_BASE_S + 0x08u)
#define UART_BAUDDIV REG32(UART0_BASE_S + 0x10u)

#define UART_STATE_TX_FULL 0x1u
#define UART_CTRL_TX_EN    0x1u

void plat_console_init(void)
{
    UART_BAUDDIV = SYSCLK_HZ / 115200u;
    UART_CTRL = UART_CTRL_TX_EN;
}

void plat_putc(char c)
{
    if (c == '\n') {
        plat_putc('\r');
    }
    while ((UART_STATE & UART_STATE_TX_FULL) != 0) {
    }
    UART_DATA = (uint8_t)c;
}

void plat_puts(const char *s)
{
    while (*s != '\0') {
        plat_putc(*s++);
    }
}

static void console_out(char c, void *ctx)
{
    (void)ctx;
    plat_putc(c);
}

void plat_vprintf(const char *fmt, va_list ap)
{
    fmt_format(console_out, NULL, fmt, ap);
}

void plat_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    plat_vprintf(fmt, ap);
    va_end(ap);
}
