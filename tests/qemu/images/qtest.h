/*
 * qtest.h: assertions for test images that run on the emulated board.
 *
 * Contract: QTEST_CHECK(cond) counts and prints each failure with its line; qtest_finish()
 * prints "<name>: N passed, N failed" (the line the QEMU test scripts match) and returns the
 * exit status to return from main (0 when nothing failed).
 */
#ifndef QTEST_H
#define QTEST_H

#include "plat_console.h"

extern unsigned qtest_passed;
extern unsigned qtest_failed;

#define QTEST_CHECK(cond)                                                                          \
    do {                                                                                           \
        if (cond) {                                                                                \
            qtest_passed++;                                                                        \
        } else {                                                                                   \
            qtest_failed++;                                                                        \
            plat_printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                            \
        }                                                                                          \
    } while (0)

int qtest_finish(const char *name);

#endif /* QTEST_H */
