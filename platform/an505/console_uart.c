/*
 * console_uart.c: plat_console.h on the CMSDK UART0 (secure alias).
 */
#include "plat_console.h"

#include <stdint.h>

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

/* Parenthesised, the names are not the macros of PLAT_LOG_IDS (plat_console.h). */
void(plat_puts)(const char *s)
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

void(plat_printf)(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    plat_vprintf(fmt, ap);
    va_end(ap);
}

static void put_hex(uint32_t v)
{
    int shift = 28;
    while (shift > 0 && (v >> shift) == 0u) {
        shift -= 4;
    }
    for (; shift >= 0; shift -= 4) {
        plat_putc("0123456789abcdef"[(v >> shift) & 0xFu]);
    }
}

void plat_log_id(const char *fmt, unsigned desc, ...)
{
    va_list ap;
    va_start(ap, desc);
    const unsigned n = desc & 0xFu;
    plat_putc(PLAT_LOG_START);
    put_hex((uint32_t)(uintptr_t)fmt);
    for (unsigned i = 0; i < n; i++) {
        plat_putc(PLAT_LOG_ARG);
        if (((desc >> (4u + n - 1u - i)) & 1u) != 0u) {
            const char *s = va_arg(ap, const char *);
            (plat_puts)(s != NULL ? s : "(null)");
        } else {
            put_hex(va_arg(ap, unsigned));
        }
    }
    plat_putc(PLAT_LOG_END);
    va_end(ap);
}
