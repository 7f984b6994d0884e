/*
 * test_fmt.c: the firmware formatter (platform/common/fmt.c) against expected strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fmt.h"

static void test_conversions(void **state)
{
    (void)state;
    char b[64];
    fmt_snprintf(b, sizeof(b), "%d %i %u %x %X %c %s %%", -42, 7, 42u, 0xbeefu, 0xbeefu, 'z', "ok");
    assert_string_equal(b, "-42 7 42 beef BEEF z ok %");
    fmt_snprintf(b, sizeof(b), "[%08x] [%5d] [%-5d] [%05d] [%-4s]", 0x1234u, 42, 42, -42, "ab");
    assert_string_equal(b, "[00001234] [   42] [42   ] [-0042] [ab  ]");
    fmt_snprintf(b, sizeof(b), "%lu %lld %llx %zu", 4000000000ul, -9000000000ll, 0x123456789abcull,
                 (size_t)77);
    assert_string_equal(b, "4000000000 -9000000000 123456789abc 77");
    /* 64-bit extremes (the formatter divides in 16-bit digits, without 64-bit division). */
    fmt_snprintf(b, sizeof(b), "%llu %llx %lld", 18446744073709551615ull, 0xfedcba9876543210ull,
                 (long long)INT64_MIN);
    assert_string_equal(b, "18446744073709551615 fedcba9876543210 -9223372036854775808");
    fmt_snprintf(b, sizeof(b), "%llu %llu", 4294967296ull, 9999999999999999999ull);
    assert_string_equal(b, "4294967296 9999999999999999999");
    fmt_snprintf(b, sizeof(b), "%d %u", INT32_MIN, 0u);
    assert_string_equal(b, "-2147483648 0");
    fmt_snprintf(b, sizeof(b), "%p", (void *)0x1000);
    assert_string_equal(b, "0x1000");
    /* Not literals, so that the compiler's format check lets the odd cases through. */
    const char *volatile null_string = NULL;
    const char *fmt_s = "%s";
    fmt_snprintf(b, sizeof(b), fmt_s, null_string);
    assert_string_equal(b, "(null)");
}

static void test_truncation_and_length(void **state)
{
    (void)state;
    char b[8];
    int n = fmt_snprintf(b, sizeof(b), "0123456789");
    assert_int_equal(n, 10);
    assert_string_equal(b, "0123456");
    assert_int_equal(fmt_snprintf(b, 0, "abc"), 3);
    const char *unknown = "%q%";
    n = fmt_snprintf(b, sizeof(b), unknown);
    assert_string_equal(b, "%q%");
    assert_int_equal(n, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_truncation_and_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
