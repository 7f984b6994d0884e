/*
 * fmt_stage.c: fmt.h's fmt_format for the boot stages, reduced to what they print: %s, %u and
 * %x of 32-bit values (with an optional zero-padding width, as in "%08x"), and %%. It is a
 * quarter of fmt.c's size; the stages build it in fmt.c's place (boot/common/CMakeLists.txt),
 * and have no fmt_snprintf.
 *
 * Contract: fmt_format calls `out` once per produced character, in order. A width is read as
 * digits after the '%' and pads %u and %x with zeros on the left (a '-' flag, %d, %c, %p and
 * the l, ll, z modifiers are not supported: the conversion is printed as '%' and its letter).
 * A NULL %s prints "(null)". The 64-bit and signed conversions of fmt.c are left out: the
 * stages print only unsigned 32-bit numbers (versions, counts, registers).
 */
#include <stdint.h>

#include "fmt.h"

void fmt_format(fmt_out_fn out, void *ctx, const char *fmt, va_list ap)
{
    char c;
    while ((c = *fmt++) != '\0') {
        if (c != '%') {
            out(c, ctx);
            continue;
        }
        unsigned width = 0;
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10u + (unsigned)(*fmt++ - '0');
        }
        c = *fmt;
        if (c == '\0') {
            out('%', ctx);
            return;
        }
        fmt++;
        if (c == 's') {
            const char *s = va_arg(ap, const char *);
            for (s = s != NULL ? s : "(null)"; *s != '\0'; s++) {
                out(*s, ctx);
            }
        } else if (c == 'u' || c == 'x') {
            const uint32_t base = c == 'u' ? 10u : 16u;
            uint32_t v = va_arg(ap, unsigned int);
            char digits[10]; /* 4294967295 */
            unsigned n = 0;
            do {
                digits[n++] = "0123456789abcdef"[v % base];
                v /= base;
            } while (v != 0u);
            for (; width > n; width--) {
                out('0', ctx);
            }
            while (n > 0u) {
                out(digits[--n], ctx);
            }
        } else {
            out('%', ctx);
            if (c != '%') {
                out(c, ctx);
            }
        }
    }
}
