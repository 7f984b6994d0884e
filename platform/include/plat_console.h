/*
 * plat_console.h: the text console (UART0 on the board, stdout on the host).
 *
 * Contract: plat_console_init() before the first output; output is unbuffered and blocking.
 * plat_printf understands %c %s %d %i %u %x %X %p %% with optional '0' flag, width and the
 * 'l', 'll' and 'z' length modifiers; it never allocates.
 *
 * With PLAT_LOG_IDS (the product profile's SM image, docs/design/footprint.md "Messages as
 * ids"), plat_printf and plat_puts are macros: their format, which must be a string literal,
 * goes to the section .sm_fmt, which the linker script keeps in the ELF but out of the image
 * (sm.ld.S), and the console prints a record in its place: PLAT_LOG_START, the format's offset
 * in .sm_fmt in hex, then for each argument PLAT_LOG_ARG and the argument (a %s argument's
 * characters, any other one as a 32-bit value in hex), then PLAT_LOG_END. `smrun` (with the
 * build's sm.logids, the section's bytes) prints each record as the text it stands for. Only
 * %s and 32-bit conversions may be used (%u %d %x with flags and width); the compiler still
 * checks the arguments against the format.
 */
#ifndef PLAT_CONSOLE_H
#define PLAT_CONSOLE_H

#include <stdarg.h>

void plat_console_init(void);
void plat_putc(char c);
void plat_puts(const char *s); /* no newline added */
void plat_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void plat_vprintf(const char *fmt, va_list ap);

#define PLAT_LOG_START '\x1e'
#define PLAT_LOG_ARG   '\x1f'
#define PLAT_LOG_END   '\x1d'

/* One record (see the top): `fmt` the format's place in .sm_fmt, `desc` the argument count in
 * bits 0-3 and, from bit 4, one bit per argument (the last one in bit 4) set for a string. */
void plat_log_id(const char *fmt, unsigned desc, ...);

/* cppcheck reads the plain functions: it cannot parse _Generic in these macros. */
#if defined(PLAT_LOG_IDS) && !defined(__CPPCHECK__)
/* The arguments' count (at most 12) and which of them are strings. */
#define PLAT_NARGS(...)                                                           PLAT_NARGS_(x, ##__VA_ARGS__, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define PLAT_NARGS_(x, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, n, ...) n
#define PLAT_STR(a)                                                               _Generic((a), char * : 1u, const char * : 1u, default : 0u)
#define PLAT_T0()                                                                 0u
#define PLAT_T1(a)                                                                PLAT_STR(a)
#define PLAT_T2(a, ...)                                                           (PLAT_STR(a) << 1) | PLAT_T1(__VA_ARGS__)
#define PLAT_T3(a, ...)                                                           (PLAT_STR(a) << 2) | PLAT_T2(__VA_ARGS__)
#define PLAT_T4(a, ...)                                                           (PLAT_STR(a) << 3) | PLAT_T3(__VA_ARGS__)
#define PLAT_T5(a, ...)                                                           (PLAT_STR(a) << 4) | PLAT_T4(__VA_ARGS__)
#define PLAT_T6(a, ...)                                                           (PLAT_STR(a) << 5) | PLAT_T5(__VA_ARGS__)
#define PLAT_T7(a, ...)                                                           (PLAT_STR(a) << 6) | PLAT_T6(__VA_ARGS__)
#define PLAT_T8(a, ...)                                                           (PLAT_STR(a) << 7) | PLAT_T7(__VA_ARGS__)
#define PLAT_T9(a, ...)                                                           (PLAT_STR(a) << 8) | PLAT_T8(__VA_ARGS__)
#define PLAT_T10(a, ...)                                                          (PLAT_STR(a) << 9) | PLAT_T9(__VA_ARGS__)
#define PLAT_T11(a, ...)                                                          (PLAT_STR(a) << 10) | PLAT_T10(__VA_ARGS__)
#define PLAT_T12(a, ...)                                                          (PLAT_STR(a) << 11) | PLAT_T11(__VA_ARGS__)
#define PLAT_CAT(a, b)                                                            PLAT_CAT_(a, b)
#define PLAT_CAT_(a, b)                                                           a##b
#define PLAT_DESC(...)                                                                             \
    ((unsigned)PLAT_NARGS(__VA_ARGS__) |                                                           \
     ((PLAT_CAT(PLAT_T, PLAT_NARGS(__VA_ARGS__))(__VA_ARGS__)) << 4))
/* The format in .sm_fmt (a string literal only: an array initialiser). */
#define PLAT_FMT(fmt)                                                                              \
    __extension__({                                                                                \
        static const char plat_fmt_[] __attribute__((section(".sm_fmt"))) = fmt;                   \
        plat_fmt_;                                                                                 \
    })
void plat_log_check(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define plat_printf(fmt, ...)                                                                      \
    do {                                                                                           \
        if (0) {                                                                                   \
            plat_log_check(fmt, ##__VA_ARGS__); /* the arguments against the format */             \
        }                                                                                          \
        plat_log_id(PLAT_FMT(fmt), PLAT_DESC(__VA_ARGS__), ##__VA_ARGS__);                         \
    } while (0)
#define plat_puts(s) plat_log_id(PLAT_FMT(s), 0u)
#endif

#endif /* PLAT_CONSOLE_H */
