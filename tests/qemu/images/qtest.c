/*
 * qtest.c: see qtest.h.
 */
#include "qtest.h"

unsigned qtest_passed;
unsigned qtest_failed;

int qtest_finish(const char *name)
{
    plat_printf("%s: %u passed, %u failed\n", name, qtest_passed, qtest_failed);
    return qtest_failed == 0 ? 0 : 1;
}
