/*
 * fmt.h: a small printf-style formatter for firmware (no heap, no stdio, no floating point).
 *
 * Contract: fmt_format calls `out` once per produced character, in order. Supported: %c %s %d
 * %i %u %x %X %p %%, the '0' and '-' flags, a decimal width, and the l, ll, z modifiers.
 * An unknown conversion is printed literally. fmt_snprintf always NUL-terminates when
 * size > 0 and returns the length the full output would have had.
 */
#ifndef FMT_H
#define FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_out_fn)(char c, void *ctx);

void fmt_format(fmt_out_fn out, void *ctx, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* FMT_H */
