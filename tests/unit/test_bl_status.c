/*
 * test_bl_status.c: the iRoT's error codes (boot/common/bl_status.c built with
 * BL_STATUS_CODES) against the texts every other stage prints, and against the table in
 * docs/design/secure-boot.md that tells a user what a code means.
 *
 *   test_bl_status DOC.md
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bl_status.h"

/* The same source, built as the iRoT builds it, under another name. */
#define BL_STATUS_CODES
#define bl_strerror bl_strerror_code
#include "bl_status.c"
#undef bl_strerror
#undef BL_STATUS_CODES

static const char *doc_path;
static char *doc;

static void test_codes(void **state)
{
    (void)state;
    char want[8];
    assert_string_equal(bl_strerror_code(BL_OK), "ok");
    for (int status = -1; status >= BL_E_PROVISIONING; status--) {
        snprintf(want, sizeof(want), "E%d", -status);
        assert_string_equal(bl_strerror_code(status), want);
        /* Every code has a text of its own in the other stages. */
        assert_string_not_equal(bl_strerror(status), "unknown error");
    }
    assert_string_equal(bl_strerror_code(BL_E_PROVISIONING - 1), "E?");
    assert_string_equal(bl_strerror_code(1), "E?");
    assert_string_equal(bl_strerror_code(INT32_MIN), "E?");
    assert_string_equal(bl_strerror(BL_E_PROVISIONING - 1), "unknown error");
}

/* The documented table has one row per code, with the text the other stages print. */
static void test_doc_table(void **state)
{
    (void)state;
    char row[256];
    for (int status = -1; status >= BL_E_PROVISIONING; status--) {
        snprintf(row, sizeof(row), "\n| %s | %s |\n", bl_strerror_code(status),
                 bl_strerror(status));
        if (strstr(doc, row) == NULL) {
            fail_msg("%s has no row \"%.*s\"", doc_path, (int)strlen(row) - 2, row + 1);
        }
    }
    snprintf(row, sizeof(row), "\n| %s |", bl_strerror_code(BL_E_PROVISIONING - 1));
    assert_null(strstr(doc, row));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_bl_status DOC.md\n");
        return 2;
    }
    doc_path = argv[1];
    FILE *f = fopen(doc_path, "rb");
    if (f == NULL) {
        perror(doc_path);
        return 2;
    }
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    doc = buf;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_doc_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
