/*
 * string_test.c: an image's memset and memcpy (the SM's, core/arch/armv8m/sm_string.S, or the
 * iRoT's, platform/an505/stage_string.S, with STRING_TEST_NAME "stage_string"), on the emulated
 * board, against a byte loop: every destination and source offset within two words, every
 * length up to 100 and a few beyond the 32-byte blocks, each fill value kind; the bytes around
 * the range must stay as they were and the return value must be the destination. memcmp and
 * strlen (the iRoT's, or the C library's) against byte loops too.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "plat_console.h"
#include "qtest.h"

#ifndef STRING_TEST_NAME
#define STRING_TEST_NAME "sm_string"
#endif

#define GUARD 40
#define MAXN  300

static uint8_t dst[MAXN + 2 * GUARD], src[MAXN + 2 * GUARD], want[MAXN + 2 * GUARD];

static void pattern(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 13u);
    }
}

static int same(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

static const size_t lengths[] = {0,  1,  2,  3,  4,  5,  7,  8,  15,  16,  31,  32,  33,
                                 35, 36, 63, 64, 65, 95, 96, 99, 100, 127, 128, 255, 299};

int main(void)
{
    plat_console_init();
    unsigned bad_set = 0, bad_copy = 0;
    for (size_t d = 0; d < 8; d++) {
        for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
            const size_t n = lengths[k];
            /* memset: 0, 0xFF and a value whose int has bits above the byte */
            static const int values[] = {0, 0xFF, 0x1A5};
            for (size_t v = 0; v < 3; v++) {
                pattern(dst, sizeof(dst), (uint8_t)(d + n));
                memcpy(want, dst, sizeof(want)); /* checked below against the byte loop */
                for (size_t i = 0; i < n; i++) {
                    want[GUARD + d + i] = (uint8_t)values[v];
                }
                void *r = memset(&dst[GUARD + d], values[v], n);
                bad_set += r != &dst[GUARD + d] || !same(dst, want, sizeof(dst));
            }
            for (size_t s = 0; s < 8; s++) {
                pattern(dst, sizeof(dst), (uint8_t)(s + 1u));
                pattern(src, sizeof(src), (uint8_t)(d * 3u + n));
                for (size_t i = 0; i < sizeof(want); i++) {
                    want[i] = dst[i];
                }
                for (size_t i = 0; i < n; i++) {
                    want[GUARD + d + i] = src[GUARD + s + i];
                }
                void *r = memcpy(&dst[GUARD + d], &src[GUARD + s], n);
                bad_copy += r != &dst[GUARD + d] || !same(dst, want, sizeof(dst));
            }
        }
    }
    QTEST_CHECK(bad_set == 0);
    QTEST_CHECK(bad_copy == 0);
    /* The copy of the first pattern above went through memcpy itself: check it once more by
     * hand. */
    pattern(src, sizeof(src), 9);
    memcpy(dst, src, sizeof(dst));
    int ok = 1;
    for (size_t i = 0; i < sizeof(dst); i++) {
        ok = ok && dst[i] == (uint8_t)(9u + i * 13u);
    }
    QTEST_CHECK(ok);

    /* memcmp: equal ranges, then a first difference at the start, the middle or the end, the
     * byte above or below; only the sign of the result is the C standard's. */
    unsigned bad_cmp = 0;
    for (size_t d = 0; d < 4; d++) {
        for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
            const size_t n = lengths[k];
            pattern(src, sizeof(src), (uint8_t)(n + d));
            memcpy(dst, src, sizeof(dst));
            bad_cmp += memcmp(&dst[GUARD + d], &src[GUARD + d], n) != 0;
            for (size_t at = 0; n > 0 && at < 3; at++) {
                const size_t i = GUARD + d + (at == 0 ? 0 : at == 1 ? n / 2 : n - 1);
                const uint8_t keep = dst[i];
                dst[i] = (uint8_t)(src[i] + 0x80u); /* above or below, as unsigned char */
                const int r = memcmp(&dst[GUARD + d], &src[GUARD + d], n);
                bad_cmp += dst[i] > src[i] ? r <= 0 : r >= 0;
                dst[i] = keep;
            }
        }
    }
    QTEST_CHECK(bad_cmp == 0);
    /* strlen: every start within two words, every length up to 40. */
    unsigned bad_len = 0;
    for (size_t d = 0; d < 8; d++) {
        for (size_t n = 0; n <= 40; n++) {
            for (size_t i = 0; i < sizeof(dst); i++) {
                dst[i] = (uint8_t)(1u + i % 255u);
            }
            dst[GUARD + d + n] = 0;
            bad_len += strlen((const char *)&dst[GUARD + d]) != n;
        }
    }
    QTEST_CHECK(bad_len == 0);
    return qtest_finish(STRING_TEST_NAME);
}
