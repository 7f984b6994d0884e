/*
 * smak_host.c: the SMAK on Linux. The program is the non-secure application: before its main()
 * runs, the SM starts in-process (the product's partitions, sm_host.h) over a device directory
 * made by smtool (flash.img, flash.prog: the same files as the emulated board's), so that the
 * application's source builds unchanged for the board and for a PC.
 *
 * - The device is $SM_DEVICE, or ./device. A directory that is not a provisioned device stops
 *   the program before main with a message naming it (exit status 2).
 * - Each run is one boot: it raises the device's boot counter, as the uRoT does on the board
 *   (smak_boot_count), so the counter is the board's and the host's together.
 * - smak_printf writes to stdout; smak_power_off(status) ends the program with that status;
 *   smak_reset ends it too (the next run is the next boot).
 * - The serial line is stdin (received bytes, read without waiting) and stdout (sent bytes).
 * - Secure modules compiled into the program (smdk_host.h) are loaded once the SM has started.
 */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bl_counter.h"
#include "host_flash.h"
#include "sm_host.h"
#include "smak.h"

void smdk_host_load_modules(void);

static uint32_t boots;

__attribute__((constructor)) static void smak_host_boot(void)
{
    const char *dir = getenv("SM_DEVICE");
    if (dir == NULL || *dir == '\0') {
        dir = "device";
    }
    if (host_flash_open_dir(dir, false) != 0) {
        fprintf(stderr,
                "smak: no device at %s (make one with smtool provision, or set SM_DEVICE)\n", dir);
        exit(2);
    }
    uint32_t n = 0;
    if (bl_counter_get(BL_COUNTER_BOOTS, &n) != 0 ||
        bl_counter_raise(BL_COUNTER_BOOTS, n + 1u) != 0) {
        fprintf(stderr, "smak: %s is not a provisioned device (its boot counter cannot be read)\n",
                dir);
        exit(2);
    }
    boots = n + 1u;
    sm_host_start();
    smdk_host_load_modules(); /* the program's secure modules (modules/kit/smdk_host.c) */
}

void smak_console_init(void) {}

uint32_t smak_boot_count(void)
{
    return boots;
}

void smak_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void smak_power_off(int status)
{
    fflush(NULL);
    exit(status);
}

void smak_reset(void)
{
    fflush(NULL);
    exit(0);
}

void smak_serial_open(void) {}

int smak_serial_getc(void)
{
    struct pollfd p = {.fd = 0, .events = POLLIN};
    uint8_t b;
    if (poll(&p, 1, 0) != 1 || read(0, &b, 1) != 1) {
        return -1;
    }
    return b;
}

void smak_serial_write(const void *data, unsigned n)
{
    fflush(stdout); /* after the text smak_printf buffered */
    const uint8_t *p = data;
    while (n != 0u) {
        const ssize_t w = write(1, p, n);
        if (w <= 0) {
            return; /* the line is gone: as on the board, bytes nobody reads are lost */
        }
        p += w;
        n -= (unsigned)w;
    }
}
