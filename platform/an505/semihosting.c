/*
 * semihosting.c: see semihosting.h.
 */
#include "semihosting.h"

#define SYS_OPEN                     0x01u
#define SYS_CLOSE                    0x02u
#define SYS_WRITE                    0x05u
#define SYS_READ                     0x06u
#define SYS_SEEK                     0x0Au
#define SYS_FLEN                     0x0Cu
#define SYS_EXIT_EXTENDED            0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static uintptr_t sh_call(uint32_t op, const void *args)
{
    register uintptr_t r0 __asm("r0") = op;
    register uintptr_t r1 __asm("r1") = (uintptr_t)args;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

int sh_open(const char *path, int mode)
{
    size_t len = 0;
    while (path[len] != '\0') {
        len++;
    }
    const uintptr_t args[3] = {(uintptr_t)path, (uintptr_t)mode, len};
    return (int)sh_call(SYS_OPEN, args);
}

int sh_close(int handle)
{
    const uintptr_t args[1] = {(uintptr_t)handle};
    return (int)sh_call(SYS_CLOSE, args);
}

size_t sh_write(int handle, const void *buf, size_t len)
{
    const uintptr_t args[3] = {(uintptr_t)handle, (uintptr_t)buf, len};
    return sh_call(SYS_WRITE, args);
}

size_t sh_read(int handle, void *buf, size_t len)
{
    const uintptr_t args[3] = {(uintptr_t)handle, (uintptr_t)buf, len};
    return sh_call(SYS_READ, args);
}

int sh_seek(int handle, uint32_t position)
{
    const uintptr_t args[2] = {(uintptr_t)handle, position};
    return (int)sh_call(SYS_SEEK, args);
}

long sh_flen(int handle)
{
    const uintptr_t args[1] = {(uintptr_t)handle};
    return (long)sh_call(SYS_FLEN, args);
}

void sh_exit(uint32_t code)
{
    /* SYS_EXIT_EXTENDED lets a 32-bit guest choose QEMU's exit status. */
    const uintptr_t args[2] = {ADP_STOPPED_APPLICATION_EXIT, code};
    sh_call(SYS_EXIT_EXTENDED, args);
    for (;;) {
    }
}
