/*
 * smak_board.c: the NS application's view of the emulated AN505: UART1 (non-secure alias),
 * reset, and power-off through semihosting (the convention of tools/smrun).
 */
#include <stdarg.h>

#include "an505_exit.h"
#include "fmt.h"
#include "smak.h"

#define UART1_NS 0x40201000u
#define REG(off) (*(volatile uint32_t *)(uintptr_t)(UART1_NS + (off)))

void smak_console_init(void)
{
    REG(0x10) = 20000000u / 115200u; /* BAUDDIV */
    REG(0x08) = 1u;                  /* CTRL: TX enable */
}

static void out(char c, void *ctx)
{
    (void)ctx;
    if (c == '\n') {
        out('\r', ctx);
    }
    while ((REG(0x04) & 1u) != 0) { /* STATE: TX full */
    }
    REG(0x00) = (uint8_t)c;
}

void smak_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_format(out, 0, fmt, ap);
    va_end(ap);
}

void smak_power_off(int status)
{
    const uint32_t args[2] = {0x20026u, AN505_EXIT_POWER_OFF_BASE + (uint32_t)status};
    register uint32_t r0 __asm("r0") = 0x20u; /* SYS_EXIT_EXTENDED */
    register const uint32_t *r1 __asm("r1") = args;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    for (;;) {
    }
}

void smak_reset(void)
{
    *(volatile uint32_t *)0xE000ED0Cu = (0x05FAu << 16) | (1u << 2); /* AIRCR.SYSRESETREQ */
    for (;;) {
    }
}
