/*
 * prov_line.c: see prov_line.h. The CMSDK APB UART: DATA 0x00, STATE 0x04 (bit 0 TX full,
 * bit 1 RX full, bit 3 RX overrun, write 1 to clear), CTRL 0x08 (bit 0 TX enable, bit 1 RX
 * enable), BAUDDIV 0x10. Polled: the stages enable no interrupt.
 */
#include "prov_line.h"

#include "armv8m.h"
#include "memory_map.h"

#define LINE_DATA    REG32(UART1_BASE_S + 0x00u)
#define LINE_STATE   REG32(UART1_BASE_S + 0x04u)
#define LINE_CTRL    REG32(UART1_BASE_S + 0x08u)
#define LINE_BAUDDIV REG32(UART1_BASE_S + 0x10u)

#define STATE_TX_FULL    0x1u
#define STATE_RX_FULL    0x2u
#define STATE_RX_OVERRUN 0x8u

void prov_line_open(void)
{
    LINE_BAUDDIV = SYSCLK_HZ / 115200u;
    LINE_CTRL = 0x3u; /* TX and RX */
}

/* The install benchmark's stage takes its bytes from memory instead (prov_line_replay.c). */
#ifndef PROV_LINE_REPLAY
uint8_t prov_line_getc(void)
{
    uint32_t state;
    while (((state = LINE_STATE) & STATE_RX_FULL) == 0u) {
        if ((state & STATE_RX_OVERRUN) != 0u) {
            LINE_STATE = STATE_RX_OVERRUN;
        }
    }
    return (uint8_t)LINE_DATA;
}
#endif

void prov_line_write(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while ((LINE_STATE & STATE_TX_FULL) != 0u) {
        }
        LINE_DATA = p[i];
    }
    while ((LINE_STATE & STATE_TX_FULL) != 0u) {
    }
}
