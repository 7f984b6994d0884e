/*
 * smak_board.c: the NS application's view of the emulated AN505: UART1 (non-secure alias),
 * reset, and power-off through the NS mailbox the runner reads (an505_emu.h; tools/smrun).
 */
#include <stdarg.h>

#include "an505_emu.h"
#include "an505_exit.h"
#include "fmt.h"
#include "memory_map.h"
#include "smak.h"

_Static_assert(EMU_BOX_NS_BASE + EMU_BOX_SIZE == RAM_NS_BASE + RAM_NS_SIZE,
               "the NS mailbox is the end of the NS RAM, which ns.ld leaves out");

#define UART1_NS 0x40201000u
#define REG(off) (*(volatile uint32_t *)(uintptr_t)(UART1_NS + (off)))

void smak_console_init(void)
{
    REG(0x10) = 20000000u / 115200u; /* BAUDDIV */
    REG(0x08) = 1u;                  /* CTRL: TX enable */
}

/* CMSDK APB UART: DATA 0x00, STATE 0x04 (bit 0 TX full, bit 1 RX full, bit 3 RX overrun,
 * write 1 to clear), CTRL 0x08 (bit 0 TX enable, bit 1 RX enable). */
static void put(uint8_t b)
{
    while ((REG(0x04) & 1u) != 0) { /* STATE: TX full */
    }
    REG(0x00) = b;
}

static void out(char c, void *ctx)
{
    (void)ctx;
    if (c == '\n') {
        put('\r');
    }
    put((uint8_t)c);
}

void smak_serial_open(void)
{
    REG(0x08) = 3u; /* CTRL: TX and RX enable */
}

int smak_serial_getc(void)
{
    const uint32_t state = REG(0x04);
    if ((state & 8u) != 0) {
        REG(0x04) = 8u; /* an overrun lost a byte: the protocol's checksum notices */
    }
    if ((state & 2u) == 0) {
        return -1;
    }
    return (int)(REG(0x00) & 0xFFu);
}

void smak_serial_write(const void *data, unsigned n)
{
    const uint8_t *p = data;
    for (unsigned i = 0; i < n; i++) {
        put(p[i]);
    }
    while ((REG(0x04) & 1u) != 0) { /* the last byte has left the UART */
    }
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
    if (status < 0 || status > AN505_EXIT_STATUS_MAX) {
        status = AN505_EXIT_STATUS_MAX;
    }
    /* The NS world's own mailbox (the last bytes of the NS RAM, outside ns.ld's RAM): the
     * runner reads it when the board stops at the reset request below. */
    volatile uint32_t *box = (volatile uint32_t *)(uintptr_t)EMU_BOX_NS_BASE;
    box[AN505_EMU_BOX_STATUS / 4] = (uint32_t)status;
    box[AN505_EMU_BOX_OFF / 4] = AN505_EMU_OFF_MAGIC;
    __asm volatile("dsb 0xF" ::: "memory");
    smak_reset();
}

void smak_reset(void)
{
    __asm volatile("dsb 0xF" ::: "memory");
    *(volatile uint32_t *)0xE000ED0Cu = (0x05FAu << 16) | (1u << 2); /* AIRCR.SYSRESETREQ */
    for (;;) {
    }
}
