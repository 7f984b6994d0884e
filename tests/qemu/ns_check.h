/*
 * ns_check.h: the check of the NS test programs on the board (tests/qemu/ns_*_test.c,
 * tests/product). CHECK(cond) counts the condition in passed or failed and prints a failed
 * one with its line, on the console the test scripts read ("FAIL: ..."); the program prints
 * the counts at its end ("N passed, M failed"), which the scripts match. Included by one file
 * of each program: the counters are that program's.
 */
#ifndef NS_CHECK_H
#define NS_CHECK_H

#include "smak.h"

static unsigned passed, failed;

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (c) {                                                                                   \
            passed++;                                                                              \
        } else {                                                                                   \
            failed++;                                                                              \
            smak_printf("FAIL: %s (line %d)\n", #c, __LINE__);                                     \
        }                                                                                          \
    } while (0)

#endif
