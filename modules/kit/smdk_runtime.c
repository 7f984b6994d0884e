/*
 * smdk_runtime.c: the C runtime a secure module links (libsmdk.a), besides the SM's own
 * memset and memcpy (core/arch/armv8m/sm_string.S, position independent: no data).
 *
 * A module has no crt0: the SM does its start-up before the entry point runs (the data image
 * copied and relocated into the module's RAM, .bss zeroed, r9 at its RAM, the stack at the top
 * of what it asked for; docs/design/modules.md), and a module's entry point never returns (the
 * SM stops a partition whose entry returns). What is left is what the compiler may call on its
 * own: memmove and memcmp here, memset and memcpy from sm_string.S. Built with
 * -fno-tree-loop-distribute-patterns, so these loops are not turned into calls to themselves.
 */
#include <stddef.h>
#include <stdint.h>

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        for (size_t i = 0; i < n; i++) {
            d[i] = s[i];
        }
    } else {
        for (size_t i = n; i-- > 0;) {
            d[i] = s[i];
        }
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}
