/*
 * fmt.c: see fmt.h. Kept tiny because it is linked into every boot stage.
 */
#include "fmt.h"

#include <stdbool.h>
#include <stdint.h>

static void put_padded(fmt_out_fn out, void *ctx, const char *s, size_t len, unsigned width,
                       bool left, char pad)
{
    size_t fill = width > len ? width - len : 0;
    if (!left) {
        while (fill-- > 0) {
            out(pad, ctx);
        }
    }
    for (size_t i = 0; i < len; i++) {
        out(s[i], ctx);
    }
    if (left) {
        while (fill-- > 0) {
            out(' ', ctx);
        }
    }
}

/* *v /= base, returning the remainder, with 32-bit divisions only: long division in 16-bit
 * digits (base <= 16 keeps each partial dividend under 2^21). This spares every image the C
 * library's 64-bit division routine (750 bytes) just to print numbers. */
static unsigned divmod(unsigned long long *v, unsigned base)
{
    const uint32_t hi = (uint32_t)(*v >> 32), lo = (uint32_t)*v;
    const uint32_t q_hi = hi / base;
    uint32_t part = ((hi % base) << 16) | (lo >> 16);
    const uint32_t q_mid = part / base;
    part = ((part % base) << 16) | (lo & 0xFFFFu);
    const uint32_t q_lo = part / base;
    *v = ((unsigned long long)q_hi << 32) | ((unsigned long long)q_mid << 16) | q_lo;
    return part % base;
}

/* Digits of v in `base`, written backwards into the end of buf; returns the first digit. */
static char *utoa_rev(char *end, unsigned long long v, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = digits[divmod(&v, base)];
    } while (v != 0);
    return p;
}

void fmt_format(fmt_out_fn out, void *ctx, const char *fmt, va_list ap)
{
    while (*fmt != '\0') {
        if (*fmt != '%') {
            out(*fmt++, ctx);
            continue;
        }
        const char *start = fmt++;
        bool left = false;
        char pad = ' ';
        for (;; fmt++) {
            if (*fmt == '-') {
                left = true;
            } else if (*fmt == '0') {
                pad = '0';
            } else {
                break;
            }
        }
        unsigned width = 0;
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (unsigned)(*fmt++ - '0');
        }
        int longs = 0;
        bool size_t_arg = false;
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        if (*fmt == 'z') {
            size_t_arg = true;
            fmt++;
        }
        char buf[24];
        char *end = buf + sizeof(buf);
        char conv = *fmt;
        if (conv == '\0') {
            put_padded(out, ctx, start, (size_t)(fmt - start), 0, false, ' ');
            return;
        }
        fmt++;
        switch (conv) {
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(out, ctx, &c, 1, width, left, ' ');
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL) {
                s = "(null)";
            }
            size_t len = 0;
            while (s[len] != '\0') {
                len++;
            }
            put_padded(out, ctx, s, len, width, left, ' ');
            break;
        }
        case 'd':
        case 'i': {
            long long v;
            if (size_t_arg) {
                v = (long long)va_arg(ap, size_t);
            } else if (longs >= 2) {
                v = va_arg(ap, long long);
            } else if (longs == 1) {
                v = va_arg(ap, long);
            } else {
                v = va_arg(ap, int);
            }
            unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            char *p = utoa_rev(end, mag, 10, false);
            if (v < 0) {
                if (pad == '0') {
                    out('-', ctx);
                    width = width > 0 ? width - 1 : 0;
                } else {
                    *--p = '-';
                }
            }
            put_padded(out, ctx, p, (size_t)(end - p), width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'p': {
            unsigned long long v;
            if (conv == 'p') {
                v = (uintptr_t)va_arg(ap, void *);
            } else if (size_t_arg) {
                v = va_arg(ap, size_t);
            } else if (longs >= 2) {
                v = va_arg(ap, unsigned long long);
            } else if (longs == 1) {
                v = va_arg(ap, unsigned long);
            } else {
                v = va_arg(ap, unsigned int);
            }
            char *p = utoa_rev(end, v, conv == 'u' ? 10 : 16, conv == 'X');
            if (conv == 'p') {
                out('0', ctx);
                out('x', ctx);
            }
            put_padded(out, ctx, p, (size_t)(end - p), width, left, pad);
            break;
        }
        case '%':
            out('%', ctx);
            break;
        default:
            put_padded(out, ctx, start, (size_t)(fmt - start), 0, false, ' ');
            break;
        }
    }
}

struct snprintf_ctx {
    char *buf;
    size_t size;
    size_t len;
};

static void snprintf_out(char c, void *ctx)
{
    struct snprintf_ctx *s = ctx;
    if (s->len + 1 < s->size) {
        s->buf[s->len] = c;
    }
    s->len++;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    struct snprintf_ctx s = {buf, size, 0};
    va_list ap;
    va_start(ap, fmt);
    fmt_format(snprintf_out, &s, fmt, ap);
    va_end(ap);
    if (size > 0) {
        buf[s.len < size ? s.len : size - 1] = '\0';
    }
    return (int)s.len;
}
