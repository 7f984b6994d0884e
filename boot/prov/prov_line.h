/*
 * prov_line.h: the provisioning stage's serial line, the board's UART1 (secure alias), the
 * programmer's port (smrun --port; docs/design/lifecycle.md says why UART1).
 *
 * Contract: prov_line_open enables the UART's receiver and transmitter (115200 baud);
 * prov_line_getc waits for one byte (a receive overrun is cleared: the frame it cost fails its
 * CRC); prov_line_write sends n bytes and returns once the last has left the UART.
 */
#ifndef PROV_LINE_H
#define PROV_LINE_H

#include <stddef.h>
#include <stdint.h>

void prov_line_open(void);
uint8_t prov_line_getc(void);
void prov_line_write(const uint8_t *p, size_t n);

#endif /* PROV_LINE_H */
