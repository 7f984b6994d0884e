/*
 * serial_echo.c: the SMAK's serial line on Linux (smak_serial_*: standard input and output),
 * for smak_serial_host_test.sh. Prints a line, then reads a count byte and that many bytes and
 * sends each back XOR 0x55, as raw bytes (a newline stays one byte), then prints a last line.
 */
#include "smak.h"

int main(void)
{
    smak_serial_open();
    smak_printf("serial_echo: ready\n");
    int n = -1;
    while (n < 0) {
        n = smak_serial_getc();
    }
    for (int i = 0; i < n; i++) {
        int b = -1;
        while (b < 0) {
            b = smak_serial_getc();
        }
        const unsigned char out = (unsigned char)(b ^ 0x55);
        smak_serial_write(&out, 1);
    }
    smak_printf("\nserial_echo: %d bytes\n", n);
    return 0;
}
