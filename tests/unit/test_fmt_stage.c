/*
 * test_fmt_stage.c: the boot stages' formatter (platform/common/fmt_stage.c) against expected
 * strings, including what it leaves out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* The stages' fmt_format, under another name: the host library has fmt.c's. */
#define fmt_format fmt_stage_format
#include "fmt_stage.c"
#undef fmt_format

struct sink {
    char buf[128];
    size_t len;
};

static void put(char c, void *ctx)
{
    struct sink *s = ctx;
    assert_true(s->len + 1 < sizeof(s->buf));
    s->buf[s->len++] = c;
    s->buf[s->len] = '\0';
}

static const char *format(struct sink *s, const char *fmt, ...)
{
    va_list ap;
    s->len = 0;
    s->buf[0] = '\0';
    va_start(ap, fmt);
    fmt_stage_format(put, s, fmt, ap);
    va_end(ap);
    return s->buf;
}

static void test_conversions(void **state)
{
    (void)state;
    struct sink s;
    assert_string_equal(format(&s, "boot: %s %s image %u.%u.%u+%u\n", "booting", "uRoT", 1u, 2u,
                               65535u, 4294967295u),
                        "boot: booting uRoT image 1.2.65535+4294967295\n");
    assert_string_equal(
        format(&s, "[%x] [%08x] [%08x] [%3u] [%u]", 0xbeefu, 0x1234u, 0xfedcba98u, 7u, 0u),
        "[beef] [00001234] [fedcba98] [007] [0]");
    assert_string_equal(format(&s, "%x %u", 0u, 10u), "0 10");
    assert_string_equal(format(&s, "100%% %s", ""), "100% ");
    assert_string_equal(format(&s, "no conversion"), "no conversion");
    assert_string_equal(format(&s, ""), "");
}

/* Not literals, so that the compiler's format check lets the odd cases through. */
static void test_unsupported(void **state)
{
    (void)state;
    struct sink s;
    const char *volatile null_string = NULL;
    const char *volatile fmt_s = "%s|";
    assert_string_equal(format(&s, fmt_s, null_string), "(null)|");
    const char *volatile unknown = "%d %c %q %-5u";
    assert_string_equal(format(&s, unknown), "%d %c %q %-5u");
    const char *volatile trailing = "abc%";
    assert_string_equal(format(&s, trailing), "abc%");
    const char *volatile trailing_width = "abc%08";
    assert_string_equal(format(&s, trailing_width), "abc%");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_unsupported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
