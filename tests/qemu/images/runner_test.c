/*
 * runner_test.c: exercises the runner (tools/smrun) from the guest side. The first byte of the
 * "ns" slot, programmed by the test, picks the behaviour:
 *   'P' power off with status 7        'R' request a reset on every boot
 *   'H' hang (never power off)         'F' fault (read an unmapped address)
 */
#include "plat_console.h"
#include "plat_flash.h"
#include "plat_system.h"

int main(void)
{
    plat_console_init();
    char mode = *(const volatile char *)(FLASH_BASE_S + FLASH_NS_PRIMARY_OFFSET);
    plat_printf("runner_test: mode %c\n", mode);
    switch (mode) {
    case 'P':
        plat_power_off(7);
    case 'R':
        plat_reset();
    case 'H':
        for (;;) {
        }
    case 'F':
        return (int)*(const volatile unsigned *)0x4FFFFFF0u; /* nothing answers there */
    default:
        plat_puts("runner_test: unknown mode\n");
        return 1;
    }
}
