/*
 * host_system.c: plat_system.h on Linux.
 *
 * A reset has no meaning for a host process; a program that calls plat_reset() (for example a
 * boot stage under test) gets it as a clean exit with HOST_EXIT_RESET so that its harness can
 * "power cycle" by running it again.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "host_system.h"
#include "plat_entropy.h"
#include "plat_system.h"

void plat_reset(void)
{
    fflush(stdout);
    exit(HOST_EXIT_RESET);
}

void plat_power_off(int status)
{
    fflush(stdout);
    exit(status);
}

void plat_timer_init(void) {}

uint64_t plat_timer_ticks(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint32_t plat_timer_hz(void)
{
    return 1000000000u;
}

int plat_entropy(uint8_t *buf, size_t len)
{
    /* SM_HOST_ENTROPY=none: a board without a true random source (the SM then derives its
     * randomness from the device's seed in the OTP area), so that a program's runs repeat
     * exactly: the fuzzing harnesses' seeded runs (tests/fuzz). */
    const char *mode = getenv("SM_HOST_ENTROPY");
    if (mode != NULL && strcmp(mode, "none") == 0) {
        return PLAT_ENTROPY_NONE;
    }
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return PLAT_ENTROPY_FAILED;
        }
        buf += n;
        len -= (size_t)n;
    }
    return PLAT_ENTROPY_OK;
}
